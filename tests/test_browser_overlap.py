"""No text over text, nothing cut off, in real Chromium (issue 18, council): the G32 spiders on
/benchmark and on the slides, in Dutch and English at 1280 and 1920 px wide; the numbered
discs of a slide map apart from each other and off the small areas they name; the 100 line
of the benchmark bars drawn. Screenshots go to test-output/ to be looked at."""

from __future__ import annotations

import math
from urllib.parse import quote

import pytest

from tests.test_browser import chromium_browser, settle
from tests.test_browser_slides import new_page, server, wait_for_slide  # noqa: F401

pytestmark = pytest.mark.browser

SIZES = [(1280, 720), (1920, 1080)]
# the spiders that overlapped before (17, 13 and 12 axes) and two small ones
SPIDERS = ["veiligheid", "veiligheid.thema", "organisatie", "inzet", "sturing"]

# Every visible SVG text line of a chart: lines (tspans) of different text elements may not
# overlap, and every line lies inside the chart and the window.
TEXT_CLASHES = """(sel) => {
  const gd = document.querySelector(sel);
  const frame = gd.getBoundingClientRect();
  const lines = [];
  [...gd.querySelectorAll('svg text')].forEach((el, owner) => {
    if (!el.textContent.trim() || el.closest('.hoverlayer')) return;
    const parts = el.querySelectorAll('tspan.line');
    (parts.length ? [...parts] : [el]).forEach(part => {
      const b = part.getBoundingClientRect();
      if (b.width && b.height && part.textContent.trim())
        lines.push({owner, t: part.textContent.trim().slice(0, 40), b});
    });
  });
  const clashes = [], clipped = [];
  lines.forEach((a, i) => {
    const b = a.b;
    if (b.left < frame.left - 0.5 || b.right > frame.right + 0.5 || b.top < frame.top - 0.5
        || b.bottom > frame.bottom + 0.5 || b.left < 0 || b.right > window.innerWidth)
      clipped.push(a.t);
    lines.slice(i + 1).forEach(c => {
      if (c.owner === a.owner) return;
      const w = Math.min(b.right, c.b.right) - Math.max(b.left, c.b.left);
      const h = Math.min(b.bottom, c.b.bottom) - Math.max(b.top, c.b.top);
      if (w > 1 && h > 1) clashes.push([a.t, c.t]);
    });
  });
  return {lines: lines.length, clashes, clipped};
}"""


@pytest.fixture(scope="module")
def browser():
    yield from chromium_browser()


def benchmark_query(item: str) -> str:
    kern = item.split(".")[0]
    return f"kern={kern}" + (f"&thema={item}" if "." in item else "")


def chart_views(item: str, lang: str) -> list[tuple[str, str, str]]:
    """(name, url path, chart selector) of the page and the slide of one G32 item."""
    query = benchmark_query(item)
    en = "&taal=en" if lang == "en" else ""
    slide = "/presentatie/dia?weergave=" + quote("/benchmark?" + query, safe="") + en
    return [
        ("pagina", f"/benchmark?{query}{en}", "#benchmark-graph .js-plotly-plot"),
        ("dia", slide, ".slide-graph .js-plotly-plot"),
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_spider_text_neither_overlaps_nor_is_cut_off(browser, server, output_dir, size, lang):  # noqa: F811
    context, pg, errors = new_page(browser, *size)
    found = {}
    for item in SPIDERS:
        for name, path, selector in chart_views(item, lang):
            pg.goto(server + path)
            pg.wait_for_selector(selector + " .main-svg", state="attached")
            settle(pg)
            result = pg.evaluate(TEXT_CLASHES, selector)
            assert result["lines"] > 5, (path, result)
            if result["clashes"] or result["clipped"]:
                found[(name, item)] = result
            pg.locator(selector).scroll_into_view_if_needed()
            shot = f"g32-{name}-{item}-{lang}-{size[0]}x{size[1]}.png"
            pg.screenshot(path=str(output_dir / shot))
    context.close()
    assert not found, found
    assert not errors, errors


# The numbered discs of a slide map and, for each, its area's path: a disc stands inside
# its area (centre and rim in the area's fill) or off it entirely (none of them in it).
DISCS = """() => {
  const gd = document.querySelector('.slide-map-box .js-plotly-plot');
  const traces = [...gd.querySelectorAll('.geolayer .trace.scattergeo')];
  const labels = traces[traces.length - 1];
  const codes = gd.data[gd.data.length - 1].customdata;
  const areas = {};
  gd.querySelectorAll('.geolayer .trace.choropleth')[0].querySelectorAll('path')
    .forEach(p => { if (p.__data__) areas[p.__data__.loc] = p; });
  const inFill = (path, x, y) => {
    const pt = path.ownerSVGElement.createSVGPoint();
    pt.x = x; pt.y = y;
    return path.isPointInFill(pt.matrixTransform(path.getScreenCTM().inverse()));
  };
  return [...labels.querySelectorAll('path.point')].map((p, i) => {
    const b = p.getBoundingClientRect();
    const cx = (b.left + b.right) / 2, cy = (b.top + b.bottom) / 2, r = b.width / 2 - 1;
    const rim = [...Array(8).keys()].map(k => [cx + r * Math.cos(k * Math.PI / 4),
                                               cy + r * Math.sin(k * Math.PI / 4)]);
    const hits = [[cx, cy], ...rim].filter(([x, y]) => inFill(areas[codes[i]], x, y)).length;
    return {code: codes[i], left: b.left, right: b.right, top: b.top, bottom: b.bottom, hits};
  });
}"""


def centre(box: dict) -> tuple[float, float]:
    return ((box["left"] + box["right"]) / 2, (box["top"] + box["bottom"]) / 2)


@pytest.mark.parametrize(
    "view",
    [
        "/%3Findicator%3Dmisdrijf_geweld%26niveau%3Dbuurt",
        "/%3Findicator%3Dmisdrijf_diefstal_woning",
    ],
    ids=["buurten", "wijken"],
)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_slide_map_discs_apart_and_off_the_small_areas_they_name(
    browser,
    server,  # noqa: F811
    output_dir,
    size,
    view,
):
    context, pg, errors = new_page(browser, *size)
    pg.goto(server + "/presentatie/dia?weergave=" + view)
    wait_for_slide(pg)
    discs = pg.evaluate(DISCS)
    assert len(discs) == (10 if "buurt" in view else 9)  # one wijk has no figure
    for i, a in enumerate(discs):
        assert a["hits"] in (0, 9), a  # wholly on its area or wholly off it
        for b in discs[i + 1 :]:
            # discs are round: their boxes give centre and radius; the circles keep apart
            apart = math.dist(centre(a), centre(b))
            assert apart >= (a["right"] - a["left"] + b["right"] - b["left"]) / 2, (a, b)
    if "buurt" in view:
        centrum = next(d for d in discs if d["code"] == "BU01640000")
        assert centrum["hits"] == 0  # Binnenstad-Centrum stays in sight
    name = "buurten" if "buurt" in view else "wijken"
    pg.screenshot(path=str(output_dir / f"dia-schijven-{name}-{size[0]}x{size[1]}.png"))
    context.close()
    assert not errors, errors


def test_slide_bars_draw_the_100_line(browser, server, output_dir):  # noqa: F811
    context, pg, errors = new_page(browser, 1280, 720)
    pg.goto(server + "/presentatie/dia?weergave=/benchmark%3Fkern%3Dveiligheid")
    wait_for_slide(pg)
    line = pg.evaluate(
        """() => { const p = document.querySelector('.slide-graph .shapelayer path');
                   const s = getComputedStyle(p);
                   return [parseFloat(s.strokeWidth), parseFloat(s.strokeOpacity),
                           parseFloat(s.opacity)]; }"""
    )
    assert line[0] >= 2 and line[1] == 1 and line[2] == 1, line
    pg.screenshot(path=str(output_dir / "dia-g32-staven-100.png"))
    context.close()
    assert not errors, errors


@pytest.mark.parametrize("size", [(1280, 720), (375, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_compare_checkboxes_keep_their_size_beside_long_labels(browser, server, size):  # noqa: F811
    """/vergelijk in English at 1280 px: 'Vandalism, offences against public order' wraps, and
    its checkbox (a flex item) shrank to half the size of the others. Every box the same."""
    context, pg, _ = new_page(browser, *size)
    pg.goto(server + "/vergelijk?taal=en")
    pg.wait_for_selector(".check-columns .form-check-input")
    settle(pg)
    widths = pg.evaluate(
        """() => [...document.querySelectorAll('.check-columns .form-check-input')]
                 .map(e => e.getBoundingClientRect().width)"""
    )
    assert widths and max(widths) - min(widths) < 0.5, widths
    context.close()
