"""Every Plotly chart draws with the partial plotly.js bundles (assets/vendor) and still exports
as PNG; the map page loads no plotly.js at all (issue 16)."""

from __future__ import annotations

import pytest
from test_browser import browser, page, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

CHART_PAGES = [
    ("/benchmark", "plotly-partial"),
    ("/benchmark?kern=veiligheid&thema=veiligheid.integraal", "plotly-partial"),
    ("/vergelijk?gebieden=WK016400,WK016405,GM0164", "plotly-partial"),
    ("/wijk/berflo-es", "plotly-partial"),
    ("/presentatie/dia?weergave=/vergelijk", "plotly-partial"),
    ("/presentatie/dia?weergave=/", "plotly-partial"),
]

# Per chart: its trace types, how many traces plotly drew (a trace type missing from the bundle
# is not drawn), and whether the drawing has marks (paths, points, bars or a map canvas).
CHARTS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
  types: (gd.data || []).map(t => t.type || 'scatter'),
  known: (gd._fullData || []).filter(t => t._module).length,
  marks: gd.querySelectorAll('.trace path, .point, .scatterlayer path, canvas').length,
}))"""


def loaded_scripts(pg) -> list[str]:
    return pg.evaluate("performance.getEntriesByType('resource').map(e => e.name)")


@pytest.mark.parametrize(("path", "bundle"), CHART_PAGES)
def test_every_chart_draws_with_the_partial_bundle(page, server, path, bundle):  # noqa: F811
    page.goto(server + path)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.dash-graph')].every("
        "g => g.querySelector('.main-svg'))",
        timeout=60000,
    )
    charts = page.evaluate(CHARTS)
    assert charts
    for chart in charts:
        assert chart["known"] == len(chart["types"]), chart  # every trace type is in the bundle
        assert chart["marks"] > 0, chart
    scripts = loaded_scripts(page)
    assert any(f"/assets/vendor/{bundle}.min.js" in s for s in scripts)
    assert not any("plotly.min.js" in s for s in scripts)  # never the full bundle


def test_the_map_page_loads_no_plotly(page, server):  # noqa: F811
    page.goto(server + "/")
    page.wait_for_function("() => window.wijkveiligheidKaart && window.wijkveiligheidKaart.map")
    page.wait_for_load_state("networkidle")
    assert not any("plotly" in s and ".min.js" in s for s in loaded_scripts(page))


def test_png_export_works_with_the_partial_bundle(page, server):  # noqa: F811
    page.goto(server + "/benchmark")
    button = "#benchmark-graph .modebar-btn[data-title='Grafiek opslaan als PNG']"
    page.wait_for_selector(button, state="attached")
    page.hover("#benchmark-graph")
    with page.expect_download() as info:
        page.click(button)
    assert open(info.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
