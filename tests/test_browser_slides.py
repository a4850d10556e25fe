"""Presentation slides and phone layout in a real browser (headless Chromium), with
screenshots in test-output/ to be looked at: slides at 1280x720 and 1920x1080, pages at
375x800."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.test_browser import chromium_browser, settle, start_server, stop_server

pytestmark = pytest.mark.browser

SLIDE_SIZES = [(1280, 720), (1920, 1080)]

# every visible text node inside the slide, with its rendered font size (HTML and SVG)
SMALLEST_TEXT = """() => {
  const sizes = [];
  const walker = document.createTreeWalker(document.querySelector('main.slide'),
                                           NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (el.closest('.modebar')) continue;
    sizes.push([parseFloat(getComputedStyle(el).fontSize), node.textContent.trim().slice(0, 30)]);
  }
  return sizes.sort((a, b) => a[0] - b[0]).slice(0, 3);
}"""

# The slide map is SVG (plotly geo): every area is drawn (base + data paths), and the areas
# together lie inside the graph's plot area and fill its width or height (fitted, not a
# corner of a world map, nothing cut off).
MAP_SHOWS_ALL_AREAS = """() => {
  const gd = document.querySelector('.slide-map-box .js-plotly-plot');
  const paths = gd ? [...gd.querySelectorAll('.geolayer path.choroplethlocation')] : [];
  if (!paths.length) return null;
  const boxes = paths.map(p => p.getBoundingClientRect()).filter(b => b.width || b.height);
  const area = gd.querySelector('.main-svg').getBoundingClientRect();
  const left = Math.min(...boxes.map(b => b.left)), right = Math.max(...boxes.map(b => b.right));
  const top = Math.min(...boxes.map(b => b.top)), bottom = Math.max(...boxes.map(b => b.bottom));
  return {
    inside: left >= area.left - 1 && right <= area.right + 1
         && top >= area.top - 1 && bottom <= area.bottom + 1,
    fill: Math.max((right - left) / area.width, (bottom - top) / area.height),
    areas: gd.querySelector('.geolayer .trace.choropleth').querySelectorAll('path').length,
    empty: paths.length - boxes.length,
    badges: gd.querySelectorAll('.geolayer .scattergeo text').length,
  };
}"""


def outside(url: str) -> bool:
    """A request that leaves this machine (the app runs on 127.0.0.1)."""
    parts = urlsplit(url)
    return parts.scheme not in ("data", "blob") and parts.hostname != "127.0.0.1"


@pytest.fixture(scope="module")
def server(store_path, output_dir):
    url, proc, log = start_server(store_path, output_dir / "server-slides.log")
    yield url
    stop_server(proc, log)


@pytest.fixture(scope="module")
def browser():
    yield from chromium_browser()


def new_page(browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # the slides work offline and under the CSP: nothing is fetched from elsewhere
    pg.on("request", lambda r: errors.append("request " + r.url) if outside(r.url) else None)
    pg.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return context, pg, errors


def wait_for_slide(pg):
    pg.wait_for_selector("main.slide .slide-body")
    if pg.locator("main.slide .slide-graph").count():
        pg.wait_for_selector("main.slide .js-plotly-plot .main-svg", state="attached")
    if pg.locator(".slide-map-box").count():
        pg.wait_for_function(MAP_SHOWS_ALL_AREAS, timeout=20000)
    settle(pg)


@pytest.mark.parametrize("size", SLIDE_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_slide_fits_the_screen_in_large_type(browser, server, output_dir, size):
    width, height = size
    context, pg, errors = new_page(browser, width, height)
    pg.goto(server + "/presentatie")
    pg.wait_for_selector("#presentation-start")
    total = len(pg.eval_on_selector("#presentation-start", "b => JSON.parse(b.dataset.sequence)"))
    pg.click("#presentation-start")
    for step in range(1, total + 1):
        pg.wait_for_url(f"**stap={step}**")
        pg.wait_for_selector("#presentation-bar")
        pg.wait_for_selector("main#main")  # Dash has rendered the page
        if pg.locator("main.slide").count():
            wait_for_slide(pg)
            # no controls, no intro: a title, the chart or map, its legend and source
            assert pg.locator("main.slide select, main.slide input, main.slide button").count() == 0
            assert pg.locator(".site-header").count() == 0
            smallest = pg.evaluate(SMALLEST_TEXT)
            assert smallest[0][0] >= 18, smallest
            # the slide fits the screen: nothing to scroll
            assert pg.evaluate("document.documentElement.scrollHeight") <= height + 1
            if pg.locator(".slide-map-box").count():
                # the whole city (or wijk) is in view, filling the map's box, numbered
                shown = pg.evaluate(MAP_SHOWS_ALL_AREAS)
                assert shown["inside"] and shown["fill"] > 0.85, shown
                assert shown["badges"] >= 1, shown
        pg.screenshot(path=str(output_dir / f"dia-{width}x{height}-{step}.png"))
        if step < total:
            pg.keyboard.press("ArrowRight")
    context.close()
    assert not errors, errors


def test_escape_on_a_slide_opens_its_view(browser, server):
    context, pg, errors = new_page(browser, 1280, 720)
    pg.goto(server + "/presentatie")
    pg.click("#presentation-start")
    pg.wait_for_url("**/presentatie/dia?**stap=1**")
    pg.wait_for_selector("main#main")
    wait_for_slide(pg)
    pg.keyboard.press("Escape")
    pg.wait_for_url("**/?indicator=misdrijf_diefstal_woning**")
    assert "presentatie" not in pg.url
    context.close()
    assert not errors, errors


def test_slide_in_english(browser, server, output_dir):
    context, pg, errors = new_page(browser, 1280, 720)
    pg.goto(server + "/presentatie/dia?taal=en&weergave=/benchmark%3Fkern%3Dveiligheid")
    wait_for_slide(pg)
    assert "G32" in pg.inner_text("h1") and pg.get_attribute(".slide-page", "lang") == "en"
    pg.screenshot(path=str(output_dir / "dia-en-benchmark.png"))
    context.close()
    assert not errors, errors


PHONE = {"width": 375, "height": 800}


@pytest.mark.parametrize("path", ["/benchmark", "/wijk/berflo-es", "/vergelijk", "/thema"])
def test_phone_header_is_compact(browser, server, output_dir, path):
    context, pg, errors = new_page(browser, PHONE["width"], PHONE["height"])
    pg.goto(server + path)
    pg.wait_for_selector("main#main h1")
    settle(pg)
    header = pg.eval_on_selector(".site-header", "h => h.getBoundingClientRect().height")
    assert header <= 120, header
    # every menu item is still there (the menu scrolls sideways)
    assert pg.locator(".site-nav .nav-link").count() == 6
    assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    name = path.strip("/").replace("/", "-") or "kaart"
    pg.screenshot(path=str(output_dir / f"telefoon-{name}.png"))
    context.close()
    assert not errors, errors


def test_phone_benchmark_shows_bars_instead_of_a_spider(browser, server, output_dir):
    context, pg, errors = new_page(browser, PHONE["width"], PHONE["height"])
    pg.goto(server + "/benchmark")
    pg.wait_for_selector("#benchmark-graph-narrow .js-plotly-plot .main-svg", state="attached")
    assert pg.is_hidden("#benchmark-graph") and pg.is_visible("#benchmark-graph-narrow")
    bar_font = pg.evaluate(
        "Math.min(...[...document.querySelectorAll('#benchmark-graph-narrow .ytick text')]"
        ".map(t => parseFloat(getComputedStyle(t).fontSize)))"
    )
    assert bar_font >= 14
    # the table alternative stays
    assert pg.locator("#benchmark-table table").count() == 1
    pg.locator("#benchmark-graph-narrow").scroll_into_view_if_needed()
    pg.screenshot(path=str(output_dir / "telefoon-benchmark-staven.png"))
    wide = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    wide.goto(server + "/benchmark")
    wide.wait_for_selector("#benchmark-graph .js-plotly-plot .main-svg", state="attached")
    assert wide.is_visible("#benchmark-graph") and wide.is_hidden("#benchmark-graph-narrow")
    wide.context.close()
    context.close()
    assert not errors, errors


def test_phone_tables_show_that_they_scroll(browser, server, output_dir):
    context, pg, errors = new_page(browser, PHONE["width"], PHONE["height"])
    pg.goto(server + "/wijk/berflo-es")
    pg.wait_for_selector(".table-block.is-scrollable")
    block = pg.locator(".table-block.is-scrollable").first
    assert block.locator(".scroll-hint").is_visible()
    region = block.locator(".table-scroll")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label")
    # the key column stays in view while the table scrolls
    region.evaluate("r => r.scrollLeft = 200")
    left = block.locator("tbody th").first.evaluate("c => c.getBoundingClientRect().left")
    assert left < 30
    block.scroll_into_view_if_needed()
    pg.screenshot(path=str(output_dir / "telefoon-tabel-scrollt.png"))
    context.close()
    assert not errors, errors


@pytest.mark.parametrize(
    "view",
    [
        "/%3Findicator%3Dmisdrijf_geweld%26niveau%3Dbuurt",
        "/benchmark%3Fkern%3Dveiligheid",
        "/thema",
    ],
)
def test_slides_have_no_accessibility_violations(audit_page, server, view):
    from tests.test_browser import axe_violations

    # axe is injected as an inline script, which the CSP blocks: this page bypasses the CSP
    audit_page.goto(server + "/presentatie/dia?weergave=" + view)
    wait_for_slide(audit_page)
    assert axe_violations(audit_page) == []


@pytest.mark.parametrize(
    ("view", "areas"),
    [
        ("/%3Findicator%3Dmisdrijf_geweld%26niveau%3Dbuurt", 62),
        ("/%3Findicator%3Dmisdrijf_diefstal_woning", 10),
        ("/wijk/berflo-es", None),
    ],
    ids=["buurten", "wijken", "wijk"],
)
@pytest.mark.parametrize("size", SLIDE_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_slide_map_shows_every_area_without_requests_elsewhere(
    browser, server, output_dir, view, areas, size
):
    context, pg, errors = new_page(browser, *size)
    pg.goto(server + "/presentatie/dia?weergave=" + view)
    wait_for_slide(pg)
    shown = pg.evaluate(MAP_SHOWS_ALL_AREAS)
    assert shown["inside"] and shown["fill"] > 0.85 and shown["empty"] == 0, shown
    assert shown["areas"] == (areas or shown["areas"]) and shown["areas"] > 1, shown
    # the ranked numbers are SVG text in large type: no glyph server needed
    assert 1 <= shown["badges"] <= 10
    fonts = pg.evaluate(
        "[...document.querySelectorAll('.slide-map-box .scattergeo text')]"
        ".map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert min(fonts) >= 18, fonts
    # hovering an area names it
    pg.hover(".slide-map-box .trace.choropleth:last-child path >> nth=0", force=True)
    pg.wait_for_selector(".slide-map-box .hoverlayer .hovertext", timeout=5000)
    name = view.split("%3F")[0].strip("/").replace("/", "-") or "stad"
    pg.screenshot(path=str(output_dir / f"dia-kaart-{name}-{areas}-{size[0]}x{size[1]}.png"))
    context.close()
    assert not errors, errors
