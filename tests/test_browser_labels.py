"""The map's names as a MapLibre symbol layer (glyphs served by the app, no name over another)
and the table under the map that pages (issue 17, items 2 and 3), in headless Chromium."""

from __future__ import annotations

import itertools

import pytest
from test_browser import browser, server, settle  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

# The names MapLibre placed: its collision index holds one box per placed name (in pixels, with
# a 100 px margin round the viewport); a query just inside each box names the label in it.
LABELS = """(level) => {
  const m = window.wijkveiligheidKaart.map, layer = level + '-label', margin = 100;
  const grid = m.style.placement.collisionIndex.grid, boxes = [];
  for (let i = 0; i < grid.boxKeys.length; i++) {
    const b = grid.bboxes.slice(4 * i, 4 * i + 4).map(v => v - margin);
    const inner = [[b[0] + 1, b[1] + 1], [b[2] - 1, b[3] - 1]];
    const names = m.queryRenderedFeatures(inner, {layers: [layer]}).map(f => f.properties.name);
    boxes.push({box: b, names: [...new Set(names)]});
  }
  const drawn = m.queryRenderedFeatures({layers: [layer]}).map(f => f.properties.name);
  return {boxes: boxes, drawn: [...new Set(drawn)],
          visible: m.getLayoutProperty(layer, 'visibility')};
}"""

PLACED = """(level) => {
  const k = window.wijkveiligheidKaart;
  return !!(k && k.map && k.view && k.view.level === level && k.map.loaded()
    && !k.map.isMoving() && k.map.queryRenderedFeatures({layers: [level + '-label']}).length);
}"""


# The map is idle and draws no name of the level (after the names are switched off).
NONE_DRAWN = """(level) => {
  const m = window.wijkveiligheidKaart.map;
  return m.loaded() && !m.isMoving() && !m.queryRenderedFeatures({layers: [level + '-label']}).length;
}"""


def open_map(browser, server, width, height, query=""):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    glyphs = []
    page.on("request", lambda r: glyphs.append(r.url) if ".pbf" in r.url else None)
    page.goto(server + "/" + query)
    return context, page, glyphs


def disjoint(a, b) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (375, 800)])
@pytest.mark.parametrize("level", ["wijk", "buurt"])
def test_no_name_is_drawn_over_another(browser, server, output_dir, level, width, height):  # noqa: F811
    context, page, glyphs = open_map(browser, server, width, height, f"?niveau={level}")
    try:
        page.wait_for_function(PLACED, arg=level, timeout=30000)
        settle(page)
        found = page.evaluate(LABELS, level)
        page.locator(".map-col").screenshot(path=str(output_dir / f"namen-{level}-{width}.png"))
    finally:
        context.close()
    boxes = found["boxes"]
    assert found["visible"] == "visible"
    assert all(len(b["names"]) == 1 for b in boxes), boxes  # one name per placed box
    named = {b["names"][0]: b["box"] for b in boxes}
    assert sorted(named) == sorted(found["drawn"])  # every drawn name has its box
    assert len(found["drawn"]) >= (9 if level == "wijk" else 15)
    for (n1, b1), (n2, b2) in itertools.combinations(named.items(), 2):
        assert disjoint(b1, b2), (n1, b1, n2, b2)
    if level == "wijk":  # the pairs the fresh-eyes test saw drawn over each other
        assert {"Wilderinkshoek", "Berflo Es", "Binnenstad"} <= set(named)
        for a, b in [("Wilderinkshoek", "Berflo Es"), ("Binnenstad", "Groot Driene")]:
            assert b not in named or disjoint(named[a], named[b])
    assert glyphs and all(
        g.startswith(server + "/assets/vendor/glyphs/DejaVuSansCondensed") for g in glyphs
    ), glyphs


def test_glyphs_come_from_the_app_and_names_switch_off(browser, server):  # noqa: F811
    context, page, glyphs = open_map(browser, server, 1280, 900)
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    try:
        page.wait_for_function(PLACED, arg="wijk", timeout=30000)
        settle(page)
        assert glyphs == [server + "/assets/vendor/glyphs/DejaVuSansCondensed-Bold/0-255.pbf?v=1"]
        with page.expect_download() as info:
            page.click("#kaart-png")
        with_names = open(info.value.path(), "rb").read()
        page.get_by_label("Namen op de kaart").uncheck()
        page.wait_for_function(
            "() => window.wijkveiligheidKaart.map.getLayoutProperty('wijk-label', 'visibility')"
            " === 'none'"
        )
        # MapLibre drops the names at its next placement, which a busy machine may paint some
        # frames after the switch: wait for the map to say it has nothing left to draw
        page.wait_for_function(NONE_DRAWN, arg="wijk", timeout=15000)
        settle(page)
        assert page.evaluate(LABELS, "wijk")["drawn"] == []
        with page.expect_download() as info:
            page.click("#kaart-png")
        without = open(info.value.path(), "rb").read()
        # the names are in the map's canvas, so the PNG export has them
        assert with_names[:8] == b"\x89PNG\r\n\x1a\n" and len(with_names) > len(without) + 2000
    finally:
        context.close()
    assert not failed, failed


# The table: codes and raw values of the rows shown, and the row count under it.
TABLE = """() => {
  const t = window.wijkveiligheidKaart.table, codes = t.areas[t.view.level].codes;
  const rows = [...document.querySelectorAll('#kaart-table-body tr')].map(tr => tr.dataset.code);
  return {rows: rows, values: rows.map(c => t.view.values[codes.indexOf(c)]),
          count: document.querySelector('#kaart-table-pager .table-rows').textContent,
          buttons: !document.querySelector('#kaart-table-pager .pager-buttons').hidden};
}"""


def wait_rows(page, count_text: str):
    page.wait_for_function(
        "(t) => { const p = document.querySelector('#kaart-table-pager .table-rows');"
        " return p && p.textContent === t; }",
        arg=count_text,
    )
    return page.evaluate(TABLE)


def test_the_table_pages_and_sorts_every_row(browser, server, output_dir):  # noqa: F811
    context, page, _ = open_map(
        browser, server, 1280, 900, "?niveau=buurt&indicator=misdrijf_geweld"
    )
    try:
        one_page = wait_rows(page, "Rijen 1–62 van 62")  # Hengelo: every buurt on one page
        assert len(one_page["rows"]) == 62 and not one_page["buttons"]
        # a page of 25 rows (as a national map would page 14,000 by 100)
        page.evaluate("() => { window.wijkveiligheidKaart.pageSize = 25; }")
        page.click("#kaart-table-head button[data-col='value']")  # ascending on the raw value
        pages = [wait_rows(page, "Rijen 1–25 van 62")]
        assert pages[0]["buttons"]
        page.focus("#kaart-table-pager button[data-page='next']")
        page.keyboard.press("Enter")  # with the keyboard
        pages.append(wait_rows(page, "Rijen 26–50 van 62"))
        page.keyboard.press("Enter")
        pages.append(wait_rows(page, "Rijen 51–62 van 62"))
        assert page.get_attribute("button[data-page='next']", "aria-disabled") == "true"
        page.keyboard.press("Enter")  # the last page: nothing happens, the focus stays
        assert page.evaluate("() => document.activeElement.dataset.page") == "next"
        page.screenshot(path=str(output_dir / "tabel-pagina-3.png"), full_page=True)
        codes = [c for p in pages for c in p["rows"]]
        values = [v for p in pages for v in p["values"]]
        assert len(codes) == 62 == len(set(codes))  # every row once, across the pages
        known = [v for v in values if v is not None]
        assert known == sorted(known) and values == known + [None] * (62 - len(known))
        page.click("#kaart-table-pager button[data-page='first']")
        assert wait_rows(page, "Rijen 1–25 van 62")["rows"] == pages[0]["rows"]
        page.click("#kaart-table-head button[data-col='value']")  # descending: from the top
        page.wait_for_function(
            "(c) => document.querySelector('#kaart-table-body tr').dataset.code !== c",
            arg=pages[0]["rows"][0],
        )
        top = page.evaluate(TABLE)
        assert top["values"][0] == max(known)
    finally:
        context.close()


def test_the_csv_has_every_row_not_the_page(browser, server):  # noqa: F811
    context, page, _ = open_map(browser, server, 1280, 900, "?niveau=buurt")
    try:
        wait_rows(page, "Rijen 1–62 van 62")
        page.evaluate("() => { window.wijkveiligheidKaart.pageSize = 10; }")
        page.click("#kaart-table-head button[data-col='value']")
        shown = wait_rows(page, "Rijen 1–10 van 62")["rows"]
        codes = page.evaluate("() => window.wijkveiligheidKaart.areas.buurt.codes")
        with page.expect_download() as info:
            page.click("#kaart-download-button")
        lines = open(info.value.path(), encoding="utf-8-sig").read().splitlines()
    finally:
        context.close()
    assert len(shown) == 10 and len(lines) == 63
    assert {line.split(";")[0] for line in lines[1:]} == set(codes)


def test_a_click_on_the_map_finds_its_row_on_another_page(browser, server):  # noqa: F811
    context, page, _ = open_map(browser, server, 1280, 900, "?niveau=buurt&taal=en")
    try:
        wait_rows(page, "Rows 1–62 of 62")
        page.evaluate("() => { window.wijkveiligheidKaart.pageSize = 20; }")
        page.click("#kaart-table-head button[data-col='area']")  # descending by name
        first = wait_rows(page, "Rows 1–20 of 62")
        last_code = page.evaluate(
            "() => { const k = window.wijkveiligheidKaart; const a = k.areas.buurt;"
            " const names = [...a.names].sort((x, y) => x.localeCompare(y, 'en'));"
            " return a.codes[a.names.indexOf(names[0])]; }"
        )
        assert last_code not in first["rows"]
        page.evaluate(
            "(c) => window.dash_clientside.set_props('kaart-selected', {data: c})", last_code
        )
        found = wait_rows(page, "Rows 61–62 of 62")
        assert last_code in found["rows"]
        assert page.get_attribute(f"tr[data-code='{last_code}']", "class") == "selected"
    finally:
        context.close()
