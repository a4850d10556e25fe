"""The map page with the keyboard only, as a district coordinator uses it (review: focus fell to
the top of the page): an area chosen in the table or the search gives focus to the panel, the
panel closes with Escape or its button and focus goes back to the area's row, and a table
that is made again (sorting) keeps focus on the same button. In headless Chromium."""

from __future__ import annotations

import pytest
from test_browser import browser, page, server, settle, wait_for_map  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

ACTIVE = """() => { const e = document.activeElement;
  return {tag: e.tagName, cls: e.className, code: e.getAttribute('data-code'),
          col: e.getAttribute('data-col'), id: e.id}; }"""
PANEL_SHOWS = (
    "(name) => (document.querySelector('#kaart-panel .panel-area') || {}).textContent === name"
)


def row_button(page, code):  # noqa: F811
    return page.locator(f"#kaart-table-body .area-button[data-code='{code}']")


def test_table_choice_panel_and_back_with_the_keyboard(page, server):  # noqa: F811
    page.goto(server + "/?niveau=wijk")
    wait_for_map(page, "wijk", 10)
    settle(page)
    row_button(page, "WK016400").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(PANEL_SHOWS, arg="Binnenstad")
    page.wait_for_function("() => document.activeElement.classList.contains('panel-area')")
    assert page.evaluate(ACTIVE)["tag"] == "H3"
    page.keyboard.press("Escape")  # closes the panel, focus back on the area's row
    page.wait_for_function("() => !document.querySelector('#kaart-panel .panel-area')")
    page.wait_for_function("() => document.activeElement.getAttribute('data-code') === 'WK016400'")
    # the close button does the same
    page.keyboard.press("Enter")
    page.wait_for_function(PANEL_SHOWS, arg="Binnenstad")
    page.wait_for_function("() => document.activeElement.classList.contains('panel-area')")
    page.locator("#kaart-clear").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.getAttribute('data-code') === 'WK016400'")


def test_sorting_keeps_focus_on_the_sort_button(page, server):  # noqa: F811
    page.goto(server + "/?niveau=wijk")
    wait_for_map(page, "wijk", 10)
    settle(page)
    page.locator("#kaart-table-head .sort-button[data-col='value']").focus()
    before = page.evaluate("() => document.querySelector('#kaart-table-body tr').dataset.code")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(b) => document.querySelector('#kaart-table-body tr').dataset.code !== b", arg=before
    )
    assert page.evaluate(ACTIVE)["col"] == "value"
    page.keyboard.press("Enter")  # again: the other order, focus still there
    page.wait_for_function(
        "() => (document.activeElement.textContent || '').includes('▼')"
        " || (document.activeElement.textContent || '').includes('▲')"
    )
    assert page.evaluate(ACTIVE)["col"] == "value"


def test_search_choice_gives_focus_to_the_panel(page, server):  # noqa: F811
    page.goto(server + "/?niveau=wijk")
    wait_for_map(page, "wijk", 10)
    settle(page)
    page.locator("#kaart-search").focus()
    page.keyboard.type("Hasseler")
    result = page.locator(".search-results button").first
    result.wait_for()
    name = result.inner_text()
    result.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.classList.contains('panel-area')")
    assert page.evaluate("() => document.activeElement.textContent") in name
