"""The map's change mode in a real browser (issue 18 A1): the areas are painted in the change
classes, the table shows the same, and the mode switch keeps its state in the URL. The
two-period figures are made up (test_change_pages.made_up_csv)."""

from __future__ import annotations

import subprocess

import pytest
from test_browser import (  # noqa: F401 - fixtures
    COLOURS,
    browser,
    page,
    server,
    settle,
    start_server,
    stop_server,
    table_values,
    wait_for_map,
)
from test_change_pages import BERFLO, NOORD, build_made_up_store

from dashboard import changemap

pytestmark = pytest.mark.browser
CHANGE_URL = "/?weergave=verandering&indicator=geregistreerde_misdrijven&niveau=wijk"
VIEW = "(window.wijkveiligheidKaart && window.wijkveiligheidKaart.view || {})"
CHANGE_SHOWN = f"() => {VIEW}.change !== undefined"
VALUES_SHOWN = f"() => {VIEW}.indicator !== undefined && {VIEW}.change === undefined"


@pytest.fixture(scope="module")
def change_server(base_store, tmp_path_factory, output_dir):
    store = build_made_up_store(base_store, tmp_path_factory.mktemp("browser-change"))
    url, proc, log = start_server(store.path, output_dir / "server-change.log")
    yield url
    try:
        stop_server(proc, log)
    except subprocess.TimeoutExpired:  # a busy machine: gunicorn's workers take longer
        proc.kill()
        proc.wait(timeout=30)
        log.close()


def rgb(hex_colour: str) -> str:
    n = int(hex_colour[1:], 16)
    return f"rgb({n >> 16}, {(n >> 8) & 255}, {n & 255})"


def test_change_mode_colours_the_map(page, change_server, output_dir):  # noqa: F811
    page.goto(change_server + CHANGE_URL)
    wait_for_map(page, "wijk", 10)
    page.wait_for_function("() => document.querySelectorAll('#kaart-table-body tr').length == 10")
    page.wait_for_function(CHANGE_SHOWN)
    settle(page)
    painted = page.evaluate(COLOURS)
    up_998, up_95, none = (rgb(c) for c in changemap.colours("higher_worse")[:3])
    assert painted[BERFLO] == [up_998, up_998]  # map and table swatch agree
    assert painted[NOORD] == [up_95, up_95]
    assert {p[0] for p in painted.values()} == {up_998, up_95, none}
    legend = page.locator("#kaart-legend").inner_text()
    assert "Toename (ongunstiger), meer dan toeval (99,8%)" in legend
    assert "bruin ongunstiger" in legend and "Toets: exacte Poisson-toets" in legend
    assert "verandering 2023 → 2024" in page.locator("#kaart-table-caption").inner_text()
    assert "weergave=verandering" in page.url  # kaart.js keeps the mode in the URL
    values = table_values(page)  # differences, with their sign
    assert values[BERFLO] == "+100" and values[NOORD] == "+50"
    # the note says what the server's change table says: the verdict and the test used
    notes = row_texts(page, "td.col-note")
    assert notes[BERFLO] == "meer dan toeval (99,8%; exacte Poisson-toets)"
    assert notes["WK016407"] == "binnen toeval (exacte Poisson-toets)"
    page.screenshot(path=str(output_dir / "map-change.png"), full_page=True)
    # another indicator with two periods stays in the change mode (the page is made again)
    page.select_option("#kaart-indicator", "inwoners")
    page.wait_for_function(f"() => {VIEW}.indicator === 'inwoners' && {VIEW}.change")
    assert "weergave=verandering" in page.url and "indicator=inwoners" in page.url
    assert page.get_by_label("Verandering (getoetst)").is_checked()
    # the other level too, with the URL following
    page.get_by_label("Buurten").check()
    page.wait_for_function(f"() => {VIEW}.level === 'buurt' && {VIEW}.change")
    assert "niveau=buurt" in page.url and "weergave=verandering" in page.url
    page.get_by_role("radio", name="Wijken").check()
    page.wait_for_function(f"() => {VIEW}.level === 'wijk' && {VIEW}.change")
    # one without: the values, with the notice that says why
    page.select_option("#kaart-indicator", "misdrijf_geweld")
    page.wait_for_function(f"() => {VIEW}.indicator === 'misdrijf_geweld'")
    page.wait_for_function(VALUES_SHOWN)
    assert page.get_by_label("Waarden").is_checked()
    assert "een verandering is nog niet te tonen" in page.locator("body").inner_text()
    assert "change" not in page.evaluate("() => Object.keys(window.wijkveiligheidKaart.view)")
    page.goto(change_server + CHANGE_URL)
    page.wait_for_function(CHANGE_SHOWN)
    # back to the values: the page is made again without the mode
    page.get_by_label("Waarden").check()
    page.wait_for_function("() => !window.location.search.includes('weergave')")
    page.wait_for_function(VALUES_SHOWN)
    # and the change again, by keyboard-reachable controls
    page.get_by_label("Verandering (getoetst)").check()
    page.wait_for_function("() => window.location.search.includes('weergave=verandering')")
    page.wait_for_function(CHANGE_SHOWN)


def test_wijk_and_compare_change_blocks_render(page, change_server, output_dir):  # noqa: F811
    page.goto(change_server + f"/wijk/{BERFLO}")
    block = page.locator("#wijk-change")
    block.wait_for()
    assert "Meer dan toeval" in block.inner_text()
    block.screenshot(path=str(output_dir / "wijk-change.png"))
    page.goto(change_server + f"/vergelijk?gebieden={BERFLO},{NOORD},WK016407")
    table = page.locator("#vergelijk-change")
    table.wait_for()
    assert "200 → 300 (+50%)" in table.inner_text()
    table.screenshot(path=str(output_dir / "vergelijk-change.png"))


def row_texts(pg, cell: str) -> dict[str, str]:
    return pg.evaluate(
        """(cell) => Object.fromEntries([...document.querySelectorAll('#kaart-table-body tr')]
          .map(tr => [tr.dataset.code, tr.querySelector(cell).textContent]))""",
        cell,
    )


HATCHED = """() => { const k = window.wijkveiligheidKaart;
  return [...new Set(k.map.queryRenderedFeatures({layers: ['wijk-hatch']})
    .map(f => f.properties.code))].sort(); }"""


def test_untestable_changes_are_hatched_and_say_why(page, server, output_dir):  # noqa: F811
    """Not testable is no 'no difference beyond chance': its own legend entry, hatched on the
    map and in legend and table, its reason in the note (the bundled inhabitants per wijk,
    2021 → 2024, a register count: descriptive, not tested)."""
    page.goto(server + "/?indicator=inwoners&niveau=wijk&weergave=verandering&van=2021&tot=2024")
    wait_for_map(page, "wijk", 10)
    page.wait_for_function(CHANGE_SHOWN)
    page.wait_for_function("() => document.querySelectorAll('#kaart-table-body tr').length == 10")
    items = page.locator("#kaart-legend .legend-item").all_inner_texts()
    assert "Geen verschil buiten toeval" in items and "Niet toetsbaar (gearceerd)" in items
    assert not any("/" in item for item in items)
    notes = row_texts(page, "td.col-note")
    reason = "niet toetsbaar: een beschrijvende telling, geen toeval"
    assert len(notes) == 10 and set(notes.values()) == {reason}
    classes = row_texts(page, "td.col-class")
    assert set(classes.values()) == {"Niet toetsbaar (gearceerd)"}
    swatches = page.evaluate(
        "[...document.querySelectorAll('#kaart-table-body .swatch, #kaart-legend .swatch')]"
        ".map(s => s.style.background)"
    )
    assert sum("repeating-linear-gradient" in s for s in swatches) == 11  # 10 rows + legend
    settle(page)
    # MapLibre draws the hatch at a frame of its own: wait for it rather than assume it is there
    page.wait_for_function(f"() => ({HATCHED})().length == 10", timeout=15000)
    assert len(page.evaluate(HATCHED)) == 10
    page.screenshot(path=str(output_dir / "map-change-untestable.png"), full_page=True)
    # the values again: nothing hatched
    page.get_by_label("Waarden").check()
    page.wait_for_function(VALUES_SHOWN)
    settle(page)
    page.wait_for_function(f"() => ({HATCHED})().length == 0", timeout=15000)
    assert page.evaluate(HATCHED) == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_no_violations_in_the_change_views(audit_page, change_server, lang):
    """The change map, the wijk block with changes beyond chance and /vergelijk's change
    table pass axe (every rule it runs by default), in both languages."""
    from test_browser import axe_violations

    problems = {}
    suffix = "&taal=en" if lang == "en" else ""
    for path in (CHANGE_URL, f"/wijk/{BERFLO}?", f"/vergelijk?gebieden={BERFLO},{NOORD}"):
        audit_page.goto(change_server + path + suffix)
        audit_page.wait_for_selector("main h1")
        settle(audit_page)
        found = axe_violations(audit_page)
        if found:
            problems[path] = found
    assert not problems, problems


def test_a_decrease_in_the_table_has_a_minus_sign(page, server):  # noqa: F811
    """The paged table writes a change as the pages and the PDF do: −140 with U+2212, not
    Intl's hyphen (Hasseler Es, inhabitants 2021 → 2024 in the bundled figures)."""
    page.goto(server + "/?indicator=inwoners&niveau=wijk&weergave=verandering&van=2021&tot=2024")
    wait_for_map(page, "wijk", 10)
    page.wait_for_function(CHANGE_SHOWN)
    page.wait_for_function("() => document.querySelectorAll('#kaart-table-body tr').length == 10")
    shown = table_values(page)
    assert shown["WK016403"] == "\u2212140"
    # the column holds differences, and says so (not "Waarde")
    head = page.inner_text("#kaart-table-head th.col-value")
    assert head.startswith("Verschil (aantal)"), head
    assert not any(v.startswith("-") for v in shown.values())


ACTIVE_ID = "() => document.activeElement && document.activeElement.id"


def test_keyboard_focus_stays_on_the_control_when_the_page_is_made_again(page, change_server):  # noqa: F811
    """The change mode, and a level switch in it, make the page again for the new URL; a
    keyboard user keeps focus on the control she used (the choice now checked) rather than
    being thrown back to the top of the document, and goes on with the arrow keys."""
    page.goto(change_server + "/?indicator=geregistreerde_misdrijven&niveau=wijk")
    wait_for_map(page, "wijk", 10)
    page.wait_for_function(VALUES_SHOWN)
    settle(page)
    mode = page.get_by_role("radio", name="Waarden", exact=True)
    mode.focus()
    page.keyboard.press("ArrowDown")  # to "Verandering": the page is made again
    page.wait_for_function(CHANGE_SHOWN)
    page.wait_for_function(f"() => ({ACTIVE_ID})().endsWith('_verandering')", timeout=15000)
    assert "weergave=verandering" in page.url
    page.get_by_role("radio", name="Wijken", exact=True).focus()
    page.keyboard.press("ArrowDown")  # to buurten, in the change mode: made again
    page.wait_for_function("() => location.search.includes('niveau=buurt')")
    page.wait_for_function(f"() => ({ACTIVE_ID})().endsWith('_buurt')", timeout=15000)
    wait_for_map(page, "buurt", 20)  # (the made-up pair is at wijk level: values, with a notice)
    assert page.evaluate(ACTIVE_ID).endswith("_buurt")
    assert page.evaluate("() => document.activeElement.checked")
    page.keyboard.press("ArrowUp")  # on with the keyboard: back to wijken
    page.wait_for_function("() => location.search.includes('niveau=wijk')")
    page.wait_for_function(f"() => ({ACTIVE_ID})().endsWith('_wijk')", timeout=15000)
    # a click on the page leaves the control on purpose: a page made again (Back) leaves
    # focus where the click put it, not on the radio
    page.evaluate("() => document.activeElement.blur()")  # as a click on blank page does
    page.evaluate("() => { document.querySelector('#main h1').dataset.old = '1'; }")
    page.go_back()
    page.wait_for_function("() => !document.querySelector('#main h1[data-old]')")  # made again
    settle(page)
    assert page.evaluate("() => !document.activeElement.matches('input, select')")
