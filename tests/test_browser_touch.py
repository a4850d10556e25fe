"""Touch targets on a phone (issue 18, WCAG 2.5.5 target size): at 375 x 800 with touch, every
control a resident can tap on a public page is at least 44 x 44 CSS px, measured as Chromium
lays it out (getBoundingClientRect), so a style that shrinks one fails here.

What counts as a target (``SMALL_TARGETS`` below):

- every visible ``a``, ``button``, ``input``, ``select``, ``textarea``, ``summary``,
  ``[role=button]`` and ``[tabindex]`` (not ``-1``), MapLibre's controls included;
- a radio button or check box is measured by its whole choice (the ``.form-check`` or the
  ``label`` around it): tapping the words picks it, so that box is the target;
- hidden ones are left out: no layout box, ``visibility: hidden``, inside ``[hidden]`` or
  ``aria-hidden="true"``, or off-screen until focused (the skip link);
- WCAG's inline exception: a link inside a sentence (an ``a`` in a ``p`` or ``li`` that holds
  other words besides the link's own) is exempt; its line height is set by the text around it.
  A list item that holds nothing but the link is *not* exempt (a menu, a list of links).
"""

from __future__ import annotations

import pytest
from test_browser import browser, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 800}
MIN = 44

SMALL_TARGETS = """(min) => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
              '[role=button], [tabindex]:not([tabindex="-1"])';
  const hidden = (e) => !e.getClientRects().length || getComputedStyle(e).visibility === 'hidden'
    || e.closest('[hidden], [aria-hidden="true"]');
  const inline = (e) => {
    if (e.tagName !== 'A') return false;
    const flow = e.parentElement && e.parentElement.closest('p, li');
    if (!flow) return false;
    const own = e.textContent.trim().length, all = flow.textContent.trim().length;
    return all > own + 1;  // words besides the link's own: a link in a sentence
  };
  const target = (e) => (e.type === 'radio' || e.type === 'checkbox')
    ? (e.closest('.form-check, label') || e) : e;
  const seen = new Set(), small = [];
  for (const e of document.querySelectorAll(sel)) {
    if (hidden(e) || inline(e)) continue;
    const t = target(e);
    if (seen.has(t)) continue;
    seen.add(t);
    const r = t.getBoundingClientRect();
    if (r.right <= 0 || r.bottom <= -window.scrollY) continue;  // off-screen until focused
    if (r.width < min - 0.5 || r.height < min - 0.5) {
      const name = (t.getAttribute('aria-label') || t.textContent || t.value || '').trim();
      small.push([t.tagName.toLowerCase() + (t.className && typeof t.className === 'string'
        ? '.' + t.className.trim().split(/\\s+/).join('.') : ''), name.slice(0, 30),
        Math.round(r.width), Math.round(r.height)]);
    }
  }
  return small;
}"""

PAGES = ["/", "/wijk/berflo-es", "/vergelijk", "/benchmark", "/thema", "/data"]


@pytest.fixture()
def touch_phone(browser):  # noqa: F811 - the fixture imported above
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


def wait_for_page(page, path: str) -> None:
    page.wait_for_selector("main h1")
    if path == "/":  # the map's table and MapLibre's controls are drawn in the browser
        page.wait_for_selector("#kaart-table-body tr button")
        page.wait_for_selector(".maplibregl-ctrl-zoom-in")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("path", PAGES)
def test_every_control_is_44_px_on_a_phone(touch_phone, server, path, output_dir):  # noqa: F811
    touch_phone.goto(server + path)
    wait_for_page(touch_phone, path)
    small = touch_phone.evaluate(SMALL_TARGETS, MIN)
    name = path.strip("/").replace("/", "-") or "kaart"
    touch_phone.screenshot(path=str(output_dir / f"touch-{name}-375.png"), full_page=True)
    assert not small, small


def test_the_rule_exempts_links_in_a_sentence_only(touch_phone, server):  # noqa: F811
    """The measurement itself: a small link in a sentence is exempt, the same link alone in a
    list item is not, and a small button always counts."""
    touch_phone.goto(server + "/data")
    touch_phone.wait_for_selector("main h1")
    touch_phone.evaluate(
        """() => { const box = document.createElement('div');
        box.innerHTML = '<p>Lees <a href="#x" style="font-size:10px">dit</a> eerst.</p>' +
          '<ul><li><a id="alone" href="#y" style="font-size:10px">alleen</a></li></ul>' +
          '<button id="tiny" style="all:unset">x</button>';
        document.querySelector('main').prepend(box); }"""
    )
    small = touch_phone.evaluate(SMALL_TARGETS, MIN)
    names = [s[1] for s in small]
    assert "alleen" in names and "x" in names and "dit" not in names
