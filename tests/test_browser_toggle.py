"""The count/rate switch on the wijk and compare pages in Chromium (issue 18 A3): a click (or
the arrow keys) changes the figures and the URL, the switch keeps the keyboard focus, and
the page at 1280 and 375 px. Crime counts per buurt are made up (test data only)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from test_browser import CHROMIUM, browser, free_port, stop_server  # noqa: F401 - fixture

pytestmark = pytest.mark.browser
FIGURES = "document.querySelector('section[aria-labelledby=figures-heading]').textContent"
TABLE = "document.querySelector('#vergelijk-table').textContent"


def start(store, log_path):
    """Serve ``store`` with one worker (``TOGGLE_TEST_PORT`` or a free port)."""
    port = int(os.environ.get("TOGGLE_TEST_PORT") or free_port())
    env = dict(os.environ, WIJKVEILIGHEID_STORE=str(store), WIJKVEILIGHEID_WORKERS="1")
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
            urllib.request.urlopen(url + "/health", timeout=1)
            return url, proc, log
        except OSError:
            time.sleep(0.2)
    stop_server(proc, log)
    pytest.fail(log_path.read_text())


@pytest.fixture(scope="module")
def rates_server(store_path, tmp_path_factory, output_dir):
    """A server on a copy of the store with made-up 2021 crime counts for every buurt (the
    import derives the wijk totals), so the pages can show them per 1.000 inwoners."""
    from indicators import staff

    from conftest import open_embedded

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}")
    path = tmp_path_factory.mktemp("browser-toggle") / "store.gpkg"
    shutil.copy(store_path, path)
    store = open_embedded(path)
    codes = sorted(store.read_data().web_buurten["buurtcode"])
    rows = "".join(f"{c};geregistreerde_misdrijven;2021;{10 + i}\n" for i, c in enumerate(codes))
    content = ("gebied;indicator;periode;waarde\n" + rows).encode()
    parsed = staff.parse_for_store(store, content, "m.csv", None, "Test")
    store.commit_import(parsed, "test", "m.csv", content, "Test (verzonnen)")
    url, proc, log = start(path, output_dir / "server-toggle.log")
    yield url
    stop_server(proc, log)


@pytest.fixture()
def page(browser):  # noqa: F811 - the fixture imported above
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, errors


def test_wijk_switch_changes_the_figures_and_the_url(page, rates_server, output_dir):
    page.goto(rates_server + "/wijk/WK016400")
    page.wait_for_selector("#wijk-maat input[value=per1000]")
    assert "maat=" not in page.url
    before = page.evaluate(FIGURES)
    assert "Geregistreerde misdrijven (totaal)" in before and "(totaal) per 1.000" not in before
    page.check("#wijk-maat input[value=per1000]")
    page.wait_for_function("() => location.search.includes('maat=per1000')")
    page.wait_for_function(f"() => {FIGURES}.includes('(totaal) per 1.000 inwoners')")
    page.wait_for_function("() => document.activeElement && document.activeElement.value")
    assert page.evaluate("document.activeElement.value") == "per1000"  # focus kept
    page.locator("#wijk-maat-box").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "wijk-per-1000-1280.png"))
    page.reload()  # the URL reproduces the view
    page.wait_for_selector("#wijk-maat input[value=per1000]:checked")
    # back with the keyboard: arrow keys move through the radio group
    page.focus("#wijk-maat input[value=per1000]")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => !location.search.includes('maat=')")
    page.wait_for_function(f"() => !{FIGURES}.includes('(totaal) per 1.000')")


def test_compare_switch_changes_the_figures_and_keeps_the_url(page, rates_server):
    query = "?gebieden=WK016400,WK016401&indicatoren=geregistreerde_misdrijven"
    page.goto(rates_server + "/vergelijk" + query)
    page.wait_for_selector("#vergelijk-table table")
    assert "per 1.000 inwoners" not in page.evaluate(TABLE)
    page.check("#vergelijk-maat input[value=per1000]")
    page.wait_for_function("() => location.search.includes('maat=per1000')")
    page.wait_for_function(f"() => {TABLE}.includes('(totaal) per 1.000 inwoners')")
    assert "indicatoren=geregistreerde_misdrijven" in page.url  # the count's id, not '@'
    page.select_option("#vergelijk-area-2", "WK016402")
    page.wait_for_url("**gebieden=WK016400,WK016401,WK016402**")
    assert "maat=per1000" in page.url
    page.wait_for_function(f"() => {TABLE}.includes('Noord')")
    assert "(totaal) per 1.000 inwoners" in page.evaluate(TABLE)


def test_switch_on_a_phone(browser, rates_server, output_dir):  # noqa: F811
    context = browser.new_context(viewport={"width": 375, "height": 800})
    phone = context.new_page()
    phone.goto(rates_server + "/wijk/WK016400?maat=per1000")
    box = phone.locator("#wijk-maat-box")
    box.wait_for()
    found = box.bounding_box()
    assert found["x"] >= 0 and found["x"] + found["width"] <= 375
    box.scroll_into_view_if_needed()
    phone.screenshot(path=str(output_dir / "wijk-per-1000-375.png"))
    phone.goto(rates_server + "/vergelijk?gebieden=WK016400,WK016401&maat=per1000")
    phone.locator("#vergelijk-maat-box").scroll_into_view_if_needed()
    phone.screenshot(path=str(output_dir / "vergelijk-per-1000-375.png"))
    context.close()
