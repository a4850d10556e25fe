"""Real-browser tests in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Run by .ci/run on every submission; screenshots land in test-output/ to be looked at.
"""

from __future__ import annotations

import datetime
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Areas of ``level`` drawn by the map (MapLibre, assets/kaart.js), counted in the rendered frame.
RENDERED = """(level) => {
  const k = window.wijkveiligheidKaart;
  if (!k || !k.map || !k.view || k.view.level !== level || !k.map.loaded()) return 0;
  const f = k.map.queryRenderedFeatures({layers: [level + '-fill']});
  return new Set(f.map(x => x.id)).size;
}"""

# Per area code: the colour the map paints (feature-state) and the table's class swatch.
COLOURS = """() => {
  const k = window.wijkveiligheidKaart, level = k.view.level;
  const rgb = (hex) => { const n = parseInt(hex.slice(1), 16);
    return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`; };
  return Object.fromEntries([...document.querySelectorAll('#kaart-table-body tr')].map(tr => {
    const ref = {source: level, sourceLayer: level, id: tr.dataset.code};  // vector tiles
    const painted = k.map.getFeatureState(ref).colour;
    return [tr.dataset.code, [rgb(painted), tr.querySelector('.col-class .swatch').style.background]];
  }));
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(store: Path, log_path: Path, ready_path: str = "/"):
    """Serve the app on a free port with ``store``; the log goes to a file (an unread pipe
    fills up and blocks the server). Returns (url, process, log file)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs Debian's chromium")
    port = free_port()
    env = dict(os.environ, WIJKVEILIGHEID_STORE=str(store))
    log = open(log_path, "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + ready_path, timeout=1)
            return url, proc, log
        except OSError:
            time.sleep(0.2)
    proc.kill()
    log.close()
    raise RuntimeError(log_path.read_text())


def stop_server(proc, log) -> None:
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def server(store_path, output_dir):
    url, proc, log = start_server(store_path, output_dir / "server.log")
    yield url
    stop_server(proc, log)


def chromium_browser():
    """Headless Debian Chromium for one test module (the body of each module's fixture)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def browser():
    yield from chromium_browser()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # the Content-Security-Policy must not block anything the pages need
    pg.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield pg
    context.close()
    assert not errors, errors


def wait_for_map(pg, level: str, expected: int):
    pg.wait_for_function(f"() => ({RENDERED})('{level}') >= {expected}", timeout=20000)


def settle(pg) -> None:
    """Wait until the page has loaded what it needs (no request for 500 ms), its fonts are
    ready and two frames have been painted since: conditions, not a fixed time, so a busy
    machine waits longer and a quiet one not at all."""
    pg.wait_for_load_state("networkidle")
    pg.evaluate(
        """() => document.fonts.ready.then(() => new Promise(
             done => requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))"""
    )


# The map shows the view of ``indicator`` and the table shows the same colours as the map.
TABLE_MATCHES_MAP = """(indicator) => {
  const k = window.wijkveiligheidKaart;
  if (!k || !k.view || k.view.indicator !== indicator) return false;
  const rows = document.querySelectorAll('#kaart-table-body tr');
  if (rows.length !== k.areas[k.view.level].codes.length) return false;
  try {  // an area not painted yet has no colour: not yet
    return Object.values((COLOURS)()).every(([painted, swatch]) => painted === swatch);
  } catch (e) { return false; }
}""".replace("(COLOURS)", "(" + COLOURS + ")")


def table_values(pg) -> dict[str, str]:
    return pg.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '#kaart-table-body tr')].map(tr => [tr.dataset.code, tr.querySelector('td.num').textContent]))""")


def callback_posts(pg) -> list:
    """Record the Dash callback requests the page sends from now on."""
    posts = []
    pg.on(
        "request",
        lambda r: posts.append(r.post_data or "") if "_dash-update-component" in r.url else None,
    )
    return posts


def test_map_renders_10_wijken_then_62_buurten(page, server, output_dir):
    posts = callback_posts(page)
    page.goto(server + "/")
    wait_for_map(page, "wijk", 10)
    settle(page)
    assert posts == []  # the layout holds the map: no callback after the first paint
    assert page.evaluate(RENDERED, "wijk") == 10
    page.get_by_label("Buurten").check()
    wait_for_map(page, "buurt", 62)
    page.wait_for_function("() => document.querySelectorAll('#kaart-table-body tr').length == 62")
    assert "niveau=buurt" in page.url
    assert len(posts) == 1 and len(posts[0].encode()) <= 1024  # one small request per switch
    page.screenshot(path=str(output_dir / "map-buurten.png"), full_page=True)


def test_switching_indicator_repaints_and_table_matches_map(page, server, output_dir):
    page.goto(server + "/?niveau=buurt&indicator=misdrijf_geweld")
    wait_for_map(page, "buurt", 62)
    page.wait_for_function("() => document.querySelectorAll('#kaart-table-body tr').length == 62")
    before = page.evaluate(COLOURS)
    posts = callback_posts(page)
    page.select_option("#kaart-indicator", "pct_15_24")
    page.wait_for_function(
        "() => document.querySelector('#map-heading').textContent.includes('15 tot 25')"
    )
    page.wait_for_function(
        "() => document.querySelector('#kaart-table-caption').textContent.includes('15 tot 25')"
    )
    page.wait_for_function(TABLE_MATCHES_MAP, arg="pct_15_24")
    page.wait_for_function("() => window.location.search.includes('indicator=pct_15_24')")
    assert len(posts) == 1 and len(posts[0].encode()) <= 1024
    after = page.evaluate(COLOURS)
    assert len(after) == 62 and after != before  # the map was repainted
    for code, (painted, swatch) in after.items():
        assert painted == swatch, code  # every area on the map has its table class colour
    with_value = [v for v in table_values(page).values() if v != "geen gegevens"]
    assert 40 < len(with_value) <= 62
    legend = page.inner_text("#kaart-legend")
    assert "Klassen:" in legend  # the classification method is named under the legend
    with page.expect_download() as info:
        page.click("#kaart-png")
    assert info.value.suggested_filename == "wijkveiligheid-kaart-pct_15_24-buurt-2021.png"
    assert open(info.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    page.screenshot(path=str(output_dir / "map-switch.png"), full_page=True)


def point_of(page, context, code: str) -> dict:
    """Screen position of a point inside wijk ``code`` (shapely's representative point)."""
    wijken = context.data.web_wijken.set_index("wijkcode")
    inside = wijken.loc[code, "geometry"].representative_point()
    return page.evaluate(
        """([lon, lat]) => {
        const m = window.wijkveiligheidKaart.map;
        const p = m.project([lon, lat]);
        const canvas = m.getCanvas().getBoundingClientRect();
        return {x: canvas.left + p.x, y: canvas.top + p.y};
    }""",
        [inside.x, inside.y],
    )


def test_click_on_a_wijk_opens_its_panel_and_hover_tells_value_and_source(
    page, server, context, output_dir
):
    page.goto(server + "/")
    wait_for_map(page, "wijk", 10)
    point = point_of(page, context, "WK016405")
    page.mouse.move(point["x"], point["y"])
    page.wait_for_selector(".map-hover", timeout=10000)
    hover = page.inner_text(".map-hover")
    assert "Berflo Es" in hover and "Bron:" in hover and "2017" in hover
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function(
        "() => document.querySelector('#kaart-panel h3') !== null", timeout=10000
    )
    assert page.inner_text("#kaart-panel h3") == "Berflo Es"
    page.wait_for_function("() => window.location.search.includes('gebied=WK016405')")
    assert page.get_attribute("#kaart-panel a.button-link", "href").startswith("/wijk/WK016405")
    page.screenshot(path=str(output_dir / "map-panel.png"), full_page=True)


def test_keyboard_only_use(page, server):
    page.goto(server + "/")
    wait_for_map(page, "wijk", 10)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # no fragment navigation: it would fire popstate and make the router render the page again
    assert page.evaluate("() => window.location.hash") == ""
    # the map itself takes keyboard focus (arrow keys pan, + and - zoom)
    assert (
        page.evaluate("() => window.wijkveiligheidKaart.map.getCanvas().getAttribute('tabindex')")
        == "0"
    )
    # the level radio group: arrow keys move the choice, as in any radio group
    page.focus("#kaart-level input[value='wijk']")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelectorAll('#kaart-table-body tr').length == 62")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelectorAll('#kaart-table-body tr').length == 10")
    # select an area from the table with the keyboard (the map's accessible alternative)
    page.focus("#kaart-table-body tr:first-child button")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#kaart-panel h3') !== null")
    assert page.inner_text("#kaart-panel h3") == "Berflo Es"
    # sorting on the raw values, with the keyboard
    page.focus("#kaart-table-head button[data-col='value']")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#kaart-table-head th.col-value').getAttribute('aria-sort')"
        " === 'ascending'"
    )


def test_map_fits_the_city_on_a_phone_and_shows_the_answer(browser, server, output_dir):
    context = browser.new_context(viewport={"width": 375, "height": 800}, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto(server + "/")
        wait_for_map(page, "wijk", 10)
        # the whole city, not a zoom tuned for a desktop (fitted again when the box resizes)
        page.wait_for_function("""() => {
            const k = window.wijkveiligheidKaart, b = k.map.getBounds(), c = k.areas.bounds;
            return !k.map.isMoving() && b.getWest() <= c[0] && b.getSouth() <= c[1]
                && b.getEast() >= c[2] && b.getNorth() >= c[3];
        }""")
        canvas = page.locator("#kaart-map").bounding_box()
        controls = page.locator("#kaart-map .maplibregl-ctrl-group").bounding_box()
        assert controls["y"] > canvas["y"] + canvas["height"] / 2  # no toolbar over the top
        page.locator(".map-col").screenshot(path=str(output_dir / "kaart-375.png"))
        page.fill("#kaart-search", "Tuindorp")
        page.wait_for_selector(".search-results button")
        page.click(".search-results button >> nth=0")
        page.wait_for_function("() => document.querySelector('#kaart-panel h3') !== null")
        # the answer scrolls into view
        page.wait_for_function(
            "() => { const top = document.getElementById('kaart-panel')"
            ".getBoundingClientRect().top; return top >= 0 && top < 800; }"
        )
        page.screenshot(path=str(output_dir / "kaart-375-antwoord.png"))
    finally:
        context.close()


def test_choosing_an_earlier_period_recolours_and_keeps_it_in_the_url(page, server, context):
    page.goto(server + "/?indicator=inwoners&niveau=wijk")
    page.wait_for_function("() => document.querySelectorAll('#kaart-table-body tr').length == 10")
    assert table_values(page)["WK016401"] == "11.030"  # CBS 2024
    page.select_option("#kaart-periode", "2021")
    page.wait_for_function("() => window.location.search.includes('periode=2021')")
    page.wait_for_function(
        "() => document.querySelector('#kaart-table-caption').textContent.includes('2021')"
    )
    obs = context.public_obs
    wanted = obs[
        (obs["indicator_id"] == "inwoners")
        & (obs["area_code"] == "WK016401")
        & (obs["period"] == "2021")
    ]["value"].iloc[0]
    assert table_values(page)["WK016401"] == f"{wanted:,.0f}".replace(",", ".")
    age = datetime.date.today().year - 2021  # its age, computed from today's date
    assert page.inner_text("#kaart-source").endswith(f"2021 · {age} jaar oud")
    # a reload of the link shows the same period
    page.reload()
    page.wait_for_function("() => document.querySelectorAll('#kaart-table-body tr').length == 10")
    assert page.input_value("#kaart-periode") == "2021"


def test_english_page_has_english_table(page, server):
    page.goto(server + "/?taal=en&niveau=wijk&indicator=inwoners")
    page.wait_for_function("() => document.querySelectorAll('#kaart-table-body tr').length == 10")
    assert page.inner_text("h1") == "Map of Hengelo"
    values = table_values(page)
    assert values["WK016401"] == "11,030"  # CBS 2024, English number format
    assert page.get_attribute(".lang-switch", "href").count("taal") == 0


def test_from_map_to_profile_and_theme(page, server, output_dir):
    page.goto(server + "/?gebied=WK016405")
    page.wait_for_selector("#kaart-panel a.button-link")
    page.click("#kaart-panel a.button-link")
    page.wait_for_selector("h1:has-text('Wijkprofiel Berflo Es')")
    page.wait_for_selector("#wijk-map svg path")
    assert page.locator(".profile-focus li").count() == 3
    page.select_option("#wijk-indicator", "pct_65plus")
    page.wait_for_function(
        "() => document.querySelector('#wijk-map-caption').textContent.includes('65 jaar')"
    )
    settle(page)
    page.screenshot(path=str(output_dir / "wijk-profiel.png"), full_page=True)
    page.click("a[href='/thema/veilige-wijken']")
    page.wait_for_selector("h1:has-text('Veilige wijken')")
    assert page.locator("text=nog geen nieuwe meting").count() >= 3
    page.screenshot(path=str(output_dir / "thema.png"), full_page=True)


def test_presentation_mode_steps_with_the_keyboard(page, server, output_dir):
    page.goto(server + "/presentatie")
    page.click("#presentation-start")
    page.wait_for_selector("#presentation-bar")
    assert "Dia 1 van 7" in page.inner_text("#presentation-bar")
    assert "presentation-mode" in page.evaluate("document.body.className")
    # the map slide, drawn (SVG areas; nothing fetched elsewhere, or the CSP would complain)
    page.wait_for_selector(".slide-map-box .geolayer path.choroplethlocation", state="attached")
    page.screenshot(path=str(output_dir / "presentatie-1.png"))
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**stap=2**")
    page.wait_for_selector("#presentation-bar")
    assert "Dia 2 van 7" in page.inner_text("#presentation-bar")
    page.keyboard.press("PageDown")
    page.wait_for_url("**weergave=%2Fbenchmark**stap=3**")
    page.wait_for_selector("#presentation-bar")
    page.screenshot(path=str(output_dir / "presentatie-3.png"))
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**stap=2**")
    page.wait_for_selector("#presentation-bar")
    page.keyboard.press("Escape")  # on a slide: back to the view it shows
    page.wait_for_url("**/?indicator=misdrijf_geweld**")
    page.wait_for_selector("main#main")
    assert "presentatie" not in page.url and not page.locator("#presentation-bar").count()


def test_every_table_downloads_as_csv(page, server):
    page.goto(server + "/benchmark")
    page.wait_for_selector(".csv-button")
    with page.expect_download() as info:
        page.click(".csv-button >> nth=0")
    path = info.value.path()
    text = open(path, encoding="utf-8-sig").read()
    assert text.splitlines()[0] == "Onderdeel;Score;Betekenis"
    assert "121" in text


def test_charts_offer_png_export(page, server):
    page.goto(server + "/benchmark")
    page.wait_for_selector(
        "#benchmark-graph .modebar-btn[data-title='Grafiek opslaan als PNG']", state="attached"
    )
    titles = page.evaluate(
        "[...document.querySelectorAll('.modebar-btn')].map(e => e.getAttribute('data-title'))"
    )
    assert not any("Share" in (title or "") for title in titles)  # nothing goes to a cloud


PUBLIC_PAGES = [
    "/",
    "/?niveau=buurt&gebied=BU01640000",
    "/thema",
    "/thema/veilige-wijken",
    "/wijk/berflo-es",
    "/wijk/berflo-es?buurt=BU01640501",
    "/benchmark",
    "/benchmark?kern=inzet",
    "/vergelijk",
    "/presentatie",
    "/data",
    "/toegankelijkheid",
    "/bestaat-niet",
    "/intern/login",
]


def axe_violations(page) -> list:
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    page.add_script_tag(path=str(script))
    # every rule axe runs by default: WCAG 2.x A/AA and its best practices (landmarks, ...)
    result = page.evaluate("async () => await axe.run(document)")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_no_violations_of_any_impact_on_public_pages(audit_page, server, lang):
    page = audit_page
    problems = {}
    for path in PUBLIC_PAGES:
        url = server + path + (("&" if "?" in path else "?") + "taal=en" if lang == "en" else "")
        page.goto(url)
        page.wait_for_selector("main h1")
        settle(page)
        found = axe_violations(page)
        if found:
            problems[path] = found
        if path.startswith("/intern"):
            continue  # the staff area is Dutch only, with its own titles
        # the page's language and a title naming the page, also after rendering in the browser
        assert page.evaluate("document.documentElement.lang") == lang, path
        title = page.title()
        assert title.endswith(
            "Neighbourhood Safety Hengelo" if lang == "en" else "Wijkveiligheid Hengelo"
        ), (path, title)
        assert title.count(" – ") >= 1, (path, title)
    assert not problems, problems


def test_public_pages_request_nothing_from_other_hosts(browser, server):
    """Offline use and the CSP: every request a public page makes (scripts, data, map tiles,
    fonts, glyphs, topojson) goes to the app's own origin."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    elsewhere = []
    page.on(
        "request",
        lambda r: (
            elsewhere.append((page.url, r.url))
            if not r.url.startswith(server + "/") and not r.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    slides = ["/presentatie/dia?weergave=" + v for v in ("/", "/wijk/berflo-es", "/benchmark")]
    for path in PUBLIC_PAGES + slides:
        page.goto(server + path)
        page.wait_for_selector("main h1")
        settle(page)  # maps and charts load what they need
    context.close()
    assert not elsewhere, elsewhere


def test_phone_width_without_horizontal_scroll(browser, server, output_dir):
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    try:
        for path in PUBLIC_PAGES:
            page.goto(server + path)
            page.wait_for_selector("main h1")
            settle(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (path, width)
        page.goto(server + "/")
        page.wait_for_selector("#kaart-table-body tr")
        for selector in ("#kaart-search", "#kaart-indicator", "#kaart-legend", "#kaart-table-body"):
            box = page.locator(selector).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 376, selector
        page.screenshot(path=str(output_dir / "mobiel-375.png"), full_page=True)
    finally:
        context.close()


def test_find_your_buurt_zooms_the_map(page, server, output_dir):
    page.goto(server + "/")
    wait_for_map(page, "wijk", 10)
    zoom = "() => window.wijkveiligheidKaart.map.getZoom()"
    zoom_before = page.evaluate(zoom)
    page.fill("#kaart-search", "Tuindorp")
    page.wait_for_selector(".search-results button")
    page.keyboard.press("Tab")
    page.click(".search-results button >> nth=0")
    page.wait_for_function("() => document.querySelector('#kaart-panel h3') !== null")
    assert page.inner_text("#kaart-panel h3").startswith("Tuindorp")
    # the map flies to the buurt: wait until it is there and has stopped
    page.wait_for_function(
        f"() => !window.wijkveiligheidKaart.map.isMoving() && ({zoom})() > {zoom_before + 1}"
    )
    assert "niveau=buurt" in page.url
    page.screenshot(path=str(output_dir / "zoek-buurt.png"))


@pytest.fixture(scope="module")
def staff_server(store_path, tmp_path_factory, output_dir):
    """A second server on a private copy of the store, with a staff user (the import test
    changes data and must not disturb the other browser tests)."""
    import shutil

    from conftest import open_embedded

    path = tmp_path_factory.mktemp("browser-staff") / "store.gpkg"
    shutil.copy(store_path, path)
    open_embedded(path).add_user("anna", "een-lang-testwachtwoord", "staff")
    url, proc, log = start_server(path, output_dir / "server-staff.log", "/intern/login")
    yield url
    stop_server(proc, log)


def test_staff_login_upload_preview_confirm_map_and_undo(page, staff_server, output_dir, tmp_path):
    csv = tmp_path / "veiligheidsmonitor-2019.csv"
    lines = ["gebied;indicator;periode;waarde;n"]
    values = {
        "Binnenstad": "24,0",
        "Hengelose Es": "31,0",
        "WK016402": "27,0",
        "Hasseler Es": "14,0",
        "Groot Driene": "16,0",
        "Berflo Es": "33,0",
        "Wilderinkshoek": "18,0",
        "WK016407": "15,0",
        "Slangenbeek": "12,0",
        "Buitengebied": "9,0",
    }  # made-up test figures
    lines += [f"{area};vm_onveilig_buurt;2019;{value};400" for area, value in values.items()]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.goto(staff_server + "/intern/import")
    assert "/intern/login" in page.url
    page.fill("#username", "anna")
    page.fill("#password", "een-lang-testwachtwoord")
    page.click("button[type=submit]")
    page.wait_for_url("**/intern/import")
    page.set_input_files("#file", str(csv))
    page.fill("#source", "Veiligheidsmonitor 2019 (testbestand)")
    page.click("form.staff-form button[type=submit]")
    page.wait_for_selector("#preview-table")
    assert "Nieuw: 10" in page.inner_text(".preview-counts")
    page.screenshot(path=str(output_dir / "intern-voorbeeld.png"), full_page=True)
    page.click("#confirm-import")
    page.wait_for_url("**/intern/log")
    assert "actief" in page.inner_text("#import-log")
    # every gunicorn worker shows the import within 5 s (each checks the data version every 2 s)
    deadline = time.monotonic() + 5
    while True:
        page.goto(staff_server + "/?indicator=vm_onveilig_buurt&niveau=wijk")
        page.wait_for_function(
            "() => document.querySelectorAll('#kaart-table-body tr').length == 10"
        )
        table = table_values(page)
        if table.get("WK016405") == "33%" or time.monotonic() > deadline:
            break
    assert table["WK016405"] == "33%" and table["WK016409"] == "9%"
    page.screenshot(path=str(output_dir / "kaart-na-import.png"), full_page=True)
    page.goto(staff_server + "/intern/log")
    page.click("#import-log a")  # undo asks first, on a page that shows what it removes
    page.wait_for_selector("#undo-rows")
    page.click("#confirm-undo")
    page.wait_for_selector("text=ongedaan op")
    deadline = time.monotonic() + 5
    while True:
        page.goto(staff_server + "/?indicator=vm_onveilig_buurt&niveau=wijk")
        page.wait_for_selector("main h1")
        notices = page.inner_text(".notices") if page.locator(".notices").count() else ""
        if "bestaat niet of heeft geen gegevens" in notices or time.monotonic() > deadline:
            break
    assert "bestaat niet of heeft geen gegevens" in notices


@pytest.fixture(scope="module")
def rates_server(store_path, tmp_path_factory, output_dir):
    """A server on a private copy of the store with made-up crime counts for every buurt in
    2021 (test data only), so the map can show them as a number or per 1.000 inwoners."""
    import shutil

    from indicators import staff

    from conftest import open_embedded

    path = tmp_path_factory.mktemp("browser-rates") / "store.gpkg"
    shutil.copy(store_path, path)
    store = open_embedded(path)
    codes = sorted(store.read_data().web_buurten["buurtcode"])
    rows = "".join(f"{c};geregistreerde_misdrijven;2021;{10 + i}\n" for i, c in enumerate(codes))
    content = ("gebied;indicator;periode;waarde\n" + rows).encode()
    parsed = staff.parse_for_store(store, content, "m.csv", None, "Test")
    store.commit_import(parsed, "test", "m.csv", content, "Test (verzonnen)")
    url, proc, log = start_server(path, output_dir / "server-rates.log")
    yield url
    stop_server(proc, log)


def test_counts_or_rates_switch_keeps_its_state_in_the_url(page, rates_server, output_dir):
    page.goto(rates_server + "/?indicator=geregistreerde_misdrijven&niveau=buurt")
    wait_for_map(page, "buurt", 62)
    heading = "document.getElementById('map-heading').textContent"
    page.check("#kaart-maat input[value=per1000]")
    page.wait_for_function("() => location.search.includes('maat=per1000')")
    page.wait_for_function(f"() => {heading}.includes('per 1.000 inwoners')")
    assert "indicator=geregistreerde_misdrijven&" in page.url + "&"  # the count's id
    page.screenshot(path=str(output_dir / "kaart-per-1000.png"))
    page.reload()
    wait_for_map(page, "buurt", 62)
    assert page.is_checked("#kaart-maat input[value=per1000]")
    page.wait_for_function(f"() => {heading}.includes('per 1.000 inwoners')")
    page.check("#kaart-maat input[value=aantal]")
    page.wait_for_function("() => !location.search.includes('maat=')")
    page.wait_for_function(f"() => !{heading}.includes('per 1.000')")
    page.select_option("#kaart-indicator", "pct_65plus")
    page.wait_for_selector("#kaart-maat-keuze", state="hidden")


def test_benchmark_and_compare_keep_their_state_in_the_url(page, server):
    page.goto(server + "/benchmark")
    page.wait_for_selector("#benchmark-graph .js-plotly-plot")
    page.get_by_label("Sturing en samenwerking").check()
    page.wait_for_url("**/benchmark?kern=sturing")
    page.select_option("#benchmark-thema", "sturing.ivp")
    page.wait_for_url("**thema=sturing.ivp")
    page.goto(server + "/vergelijk?gebieden=WK016405,WK016401")
    page.wait_for_selector("#vergelijk-table table")
    # Hengelo is no choice in the selects (it always has its own column)
    assert page.locator("#vergelijk-area-2 option[value=GM0164]").count() == 0
    page.select_option("#vergelijk-area-2", "WK016402")
    page.wait_for_url("**gebieden=WK016405,WK016401,WK016402**")
    page.wait_for_function(
        "() => document.querySelector('#vergelijk-table thead').textContent.includes('Noord')"
    )


def test_postcode_search_and_a_buurt_url(page, server, output_dir):
    page.goto(server + "/")
    wait_for_map(page, "wijk", 10)
    page.fill("#kaart-search", "7556")
    page.wait_for_selector(".postcode-note")
    assert "bij benadering" in page.inner_text(".postcode-note")
    names = page.locator(".search-results button").all_inner_texts()
    assert any(name.startswith("Hengelose Es-Noord") for name in names)
    page.screenshot(path=str(output_dir / "zoek-postcode.png"))
    page.click(".search-results button >> nth=0")
    page.wait_for_function("() => document.querySelector('#kaart-panel h3') !== null")
    page.goto(server + "/wijk/berflo-es-noord?taal=en")
    page.wait_for_selector("#gekozen-buurt h2")
    assert "buurt=BU01640501" in page.url
    assert page.inner_text("#gekozen-buurt h2") == "Neighbourhood Berflo Es Noord"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert (
        page.title()
        == "Berflo Es Noord – Berflo Es – district profile – Neighbourhood Safety Hengelo"
    )
    page.screenshot(path=str(output_dir / "wijk-gekozen-buurt.png"))
