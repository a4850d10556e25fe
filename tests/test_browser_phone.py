"""Residents on a phone (issue 18): touch targets of at least 44 x 44 px, every menu item
reachable, the map panel's names whole and the wijk page's trend tables readable; checked by
bounding boxes in Chromium at 375 x 800 (and 1280 px where the layout differs)."""

from __future__ import annotations

import pytest
from test_browser import browser, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 800}
MIN = 44


@pytest.fixture()
def phone(browser):  # noqa: F811 - the fixture imported above
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None
    return found


def test_menu_button_shows_every_item_and_says_so(phone, server, output_dir):  # noqa: F811
    phone.goto(server + "/")
    toggle = phone.locator(".nav-toggle")
    toggle.wait_for()
    links = phone.locator(".site-nav .nav-link")
    assert toggle.get_attribute("aria-expanded") == "false" and not links.first.is_visible()
    assert box(toggle)["height"] >= MIN and box(toggle)["width"] >= MIN
    toggle.focus()
    phone.keyboard.press("Enter")
    phone.wait_for_function("document.querySelector('.nav-toggle').ariaExpanded === 'true'")
    assert links.count() == 6
    for i in range(links.count()):
        link = box(links.nth(i))
        assert link["height"] >= MIN and link["x"] >= 0 and link["x"] + link["width"] <= 375
    phone.screenshot(path=str(output_dir / "phone-menu-375.png"))
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.classList.contains('nav-link')")
    phone.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert phone.evaluate("document.activeElement.classList.contains('nav-toggle')")


def test_menu_button_hidden_on_a_wide_screen(browser, server):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server + "/")
    page.locator(".site-nav .nav-link").first.wait_for()
    assert not page.locator(".nav-toggle").is_visible()
    assert all(page.locator(".site-nav .nav-link").nth(i).is_visible() for i in range(6))
    context.close()


def test_search_results_and_radio_choices_are_44_px(phone, server):  # noqa: F811
    phone.goto(server + "/")
    phone.fill(".search-input input", "es")
    phone.wait_for_selector(".search-results button")
    sizes = phone.evaluate(
        "[...document.querySelectorAll('.search-results button')]"
        ".map(b => [b.getBoundingClientRect().width, b.getBoundingClientRect().height])"
    )
    assert sizes and all(w >= MIN and h >= MIN for w, h in sizes), sizes
    # each visible radio's whole box (circle, gap, words) is its target, at least 44 x 44;
    # hidden ones (the count/rate switch of an indicator without rates) are left out, and
    # each box is scrolled into view first (elementFromPoint sees only the viewport)
    targets = phone.evaluate(
        """() => [...document.querySelectorAll('input[type=radio]')]
          .filter(i => i.getClientRects().length).map(i => {
          const box = i.closest('.form-check') || i.closest('label');
          box.scrollIntoView({block: 'center'});
          const r = box.getBoundingClientRect();
          const on = (x, y) => { const e = document.elementFromPoint(x, y);
            return !!e && (e === i || e.control === i || e.contains(i)); };
          return [r.width, r.height, on(r.left + 2, r.top + 2), on(r.right - 2, r.bottom - 2)];
        })"""
    )
    assert targets and all(w >= MIN and h >= MIN and a and b for w, h, a, b in targets), targets


# Per row name: the words that the browser broke over two lines (each word must sit on one
# line) and whether the name stays inside its cell.
NAMES_FIT = """() => [...document.querySelectorAll('.side-panel tbody th[scope=row]')].map(th => {
  const node = th.firstChild, text = node.textContent, broken = [];
  let at = 0;
  for (const word of text.split(' ')) {
    const range = document.createRange();
    range.setStart(node, at); range.setEnd(node, at + word.length);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (tops.size > 1) broken.push(word);
    at += word.length + 1;
  }
  return [text, broken, th.scrollWidth <= th.clientWidth + 1];
})"""


@pytest.mark.parametrize("width", [375, 1280])
def test_panel_names_never_break_inside_a_word(browser, server, output_dir, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(server + "/?niveau=wijk&gebied=WK016405")
    page.wait_for_selector(".side-panel tbody th[scope=row]")
    rows = page.evaluate(NAMES_FIT)
    assert any(name == "Oppervlakte land" for name, *_ in rows)
    assert all(not broken and fits for _, broken, fits in rows), rows
    page.locator(".side-panel").screenshot(path=str(output_dir / f"panel-{width}.png"))
    context.close()


TREND_TABLES = """() => [...document.querySelectorAll('.trend-block .table-scroll')].map(s =>
  [s.scrollWidth, s.clientWidth])"""


@pytest.mark.parametrize("width", [375, 1280])
def test_trend_tables_fit_without_cutting_off(browser, server, output_dir, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    for wijk in ("wilderinkshoek", "buitengebied"):
        page.goto(server + f"/wijk/{wijk}")
        page.wait_for_selector(".trend-block table")
        sizes = page.evaluate(TREND_TABLES)
        assert sizes and all(scroll <= client + 1 for scroll, client in sizes), (wijk, sizes)
        assert "gepubliceerd" in page.locator(".trend-block").first.inner_text()
    page.locator(".trend-grid").screenshot(path=str(output_dir / f"trends-{width}.png"))
    context.close()
