"""The wijk page's SVG buurt map in Chromium: drawn, named, with titles, no two labels
overlapping as the browser lays the text out, at least 11 px on a phone (numbers with a key
where the names would be smaller), and redrawn when the indicator changes."""

from __future__ import annotations

import pytest
from test_browser import browser, page, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

# every label's box as the browser lays it out (screen pixels), and what the map holds
MAP = """() => {
  const svg = document.querySelector('#wijk-map svg');
  const boxes = [...svg.querySelectorAll('.svgmap-labels text')].map(t => {
    const r = t.getBoundingClientRect();
    return {code: t.dataset.code, text: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom};
  });
  const paths = [...svg.querySelectorAll('path')].map(p => ({
    code: p.dataset.code, fill: p.getAttribute('fill'), title: p.querySelector('title').textContent}));
  const frame = svg.getBoundingClientRect();
  return {boxes, paths, frame: {x0: frame.left, y0: frame.top, x1: frame.right, y1: frame.bottom},
          scripts: performance.getEntriesByType('resource').map(e => e.name)};
}"""


def overlap(a, b) -> bool:
    return not (
        a["x1"] <= b["x0"] or b["x1"] <= a["x0"] or a["y1"] <= b["y0"] or b["y1"] <= a["y0"]
    )


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize(
    "path", ["/wijk/buitengebied", "/wijk/berflo-es?taal=en", "/wijk/WK016403"]
)
def test_svg_map_labels_never_overlap_in_the_browser(page, server, path, width, output_dir):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server + path)
    page.wait_for_selector("#wijk-map svg text")
    found = page.evaluate(MAP)
    assert found["paths"] and len(found["boxes"]) == len(found["paths"])
    for i, a in enumerate(found["boxes"]):
        assert a["x0"] >= found["frame"]["x0"] - 1 and a["x1"] <= found["frame"]["x1"] + 1, a
        for b in found["boxes"][i + 1 :]:
            assert not overlap(a, b), (a, b)
    assert all(": " in p["title"] for p in found["paths"])
    assert not any("plotly-wijk" in s or "maplibre" in s for s in found["scripts"])
    name = path.split("/")[-1].split("?")[0]
    page.screenshot(path=str(output_dir / f"wijk-svgmap-{name}-{width}.png"), full_page=False)


# What a reader sees on the map: every text shown (names or numbers) with its rendered font size
# (the font size times the SVG's scale on screen) and its box, and the key under the map.
SHOWN = """() => {
  const svg = document.querySelector('#wijk-map svg');
  const marks = [...svg.querySelectorAll('text')].filter(t => t.getBoundingClientRect().width > 0)
    .map(t => { const r = t.getBoundingClientRect();
      return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
              x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; });
  const key = [...document.querySelectorAll('#wijk-map .svgmap-key li')]
    .filter(li => li.getClientRects().length).map(li => li.textContent.trim());
  const names = [...svg.querySelectorAll('path title')].map(t => t.textContent.split(': ')[0]);
  return {marks, key, names, numbered: svg.classList.contains('svgmap-numbered')};
}"""


@pytest.mark.parametrize("path", ["/wijk/buitengebied", "/wijk/berflo-es", "/wijk/WK016403"])
def test_svg_map_text_is_at_least_11_px_on_a_phone(browser, server, path, output_dir):  # noqa: F811
    """At 375 px every name or number on the map is drawn at 11 px or more and none overlaps
    another; where numbers stand in for the names, the key under the map names every buurt
    (1 = the first name in alphabetical order)."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    phone = context.new_page()
    phone.goto(server + path)
    phone.wait_for_selector("#wijk-map svg text", state="attached")
    found = phone.evaluate(SHOWN)
    marks = found["marks"]
    assert len(marks) == len(found["names"]), found
    assert all(m["px"] >= 11 and m["y1"] - m["y0"] >= 11 for m in marks), marks
    for i, a in enumerate(marks):
        for b in marks[i + 1 :]:
            assert not overlap(a, b), (a, b)
    if found["numbered"]:
        ordered = sorted(found["names"], key=str.casefold)
        assert found["key"] == [f"{n} {name}" for n, name in enumerate(ordered, 1)]
    else:
        assert not found["key"]
    if path.endswith("WK016403"):  # Hasseler Es: a wide wijk, its names would be 7 px
        assert found["numbered"]
    name = path.split("/")[-1]
    phone.locator("#wijk-map").screenshot(path=str(output_dir / f"wijk-svgmap-{name}-375.png"))
    context.close()


def test_svg_map_is_redrawn_for_another_indicator(page, server):  # noqa: F811
    page.goto(server + "/wijk/berflo-es")
    page.wait_for_selector("#wijk-map svg path")
    before = page.evaluate(MAP)["paths"]
    page.select_option("#wijk-indicator", "pct_65plus")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#wijk-map svg title')]"
        ".some(t => t.textContent.includes('%'))"
    )
    after = page.evaluate(MAP)["paths"]
    assert [p["code"] for p in after] == [p["code"] for p in before]
    assert [p["title"] for p in after] != [p["title"] for p in before]
