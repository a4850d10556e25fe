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


# Keyboard only (issue 18): every control of the map page is reached by Tab, in one pass that
# ends (no focus trap in the map: from the canvas Tab goes on to the zoom buttons and beyond),
# and each shows a focus ring: an outline of at least 2 px on the control or, for a field in a
# frame (the search box), on the frame around it. A radio group counts as reached when one of
# its radios is (arrow keys move within a group).
MARK_CONTROLS = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
              '[tabindex]:not([tabindex="-1"])';
  const keys = new Set();
  document.querySelectorAll(sel).forEach((e, i) => {
    if (!e.getClientRects().length || getComputedStyle(e).visibility === 'hidden' ||
        e.closest('[hidden], [inert]') || e.disabled) return;
    e.dataset.kb = e.type === 'radio' ? 'radio:' + e.name : 'c' + i;
    keys.add(e.dataset.kb);
  });
  return [...keys];
}"""
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const ring = [e, e.parentElement].some(x => { const cs = getComputedStyle(x);
    return cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 &&
           cs.outlineColor !== 'rgba(0, 0, 0, 0)'; });
  return [e.dataset.kb || e.tagName, ring, (e.getAttribute('aria-label') || e.textContent || '')
          .trim().slice(0, 30)];
}"""


@pytest.mark.parametrize("size", [(375, 800), (1280, 720)])
def test_keyboard_reaches_every_map_control_with_a_visible_ring(browser, server, size):  # noqa: F811
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(server + "/")
    wait_for_page(page, "/")
    controls = page.evaluate(MARK_CONTROLS)
    reached, no_ring = [], []
    for _ in range(3 * len(controls)):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUSED)
        if found is None or (reached and found[0] == reached[0]):
            break  # back at the start: the pass ended
        reached.append(found[0])
        if not found[1]:
            no_ring.append(found)
    else:
        pytest.fail(f"Tab never left the page's controls: {reached[-5:]}")
    assert not set(controls) - set(reached), set(controls) - set(reached)
    assert not no_ring, no_ring
    canvas = page.evaluate("() => window.wijkveiligheidKaart.map.getCanvas().dataset.kb")
    after = reached[reached.index(canvas) + 1 :]
    assert after and canvas not in after  # on from the map, and never back into it
    context.close()
