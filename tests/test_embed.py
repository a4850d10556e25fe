"""Embeddable map and wijk card (issue 20): which pages may be framed and by whom, what they
show (public figures from the store), the iframe code, and in Chromium: a page on another
port frames /embed/kaart and the map draws; framing a normal page is refused."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from appserver import serve, stop
from test_browser import ARGS, CHROMIUM, RENDERED, free_port
from test_pages import text_of

from dashboard import embed
from dashboard.figures import short_value

from dashclient import find, render_page

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", []),
        ("https://www.hengelo.nl", ["https://www.hengelo.nl"]),
        ("https://a.nl, http://b.nl:8080/", ["https://a.nl", "http://b.nl:8080"]),
        ("https://a.nl https://a.nl", ["https://a.nl"]),
        ("* 'unsafe-inline' https://x.nl;script-src javascript:1", []),
        ("HTTPS://Upper.NL", ["https://upper.nl"]),
    ],
)
def test_embed_origins_keeps_only_real_origins(raw, expected):
    assert embed.embed_origins(raw) == expected


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("/", "/embed/kaart"),
        (
            "/?indicator=misdrijf_geweld&niveau=buurt&periode=2017&taal=en&extra=1",
            "/embed/kaart?indicator=misdrijf_geweld&niveau=buurt&periode=2017&taal=en",
        ),
        ("/wijk/berflo-es", "/embed/wijk/berflo-es"),
        ("/wijk/WK016405?taal=en&indicator=x", "/embed/wijk/WK016405?taal=en"),
        ("/benchmark", None),
        ("https://evil.example/?indicator=x", None),
        ("//evil.example/", None),
        ("/wijk/<script>", None),
    ],
)
def test_embed_url_of_a_view(view, expected):
    assert embed.embed_url(view) == expected


def test_only_embed_pages_may_be_framed_and_only_by_the_configured_origins(client, monkeypatch):
    monkeypatch.setenv("WIJKVEILIGHEID_EMBED_ORIGINS", "https://www.hengelo.nl http://x.test:81")
    for path in ("/embed/kaart?niveau=buurt", "/embed/wijk/WK016405"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'self' https://www.hengelo.nl http://x.test:81" in csp, path
        assert "'none'" not in csp.split("frame-ancestors")[1].split(";")[0]
        assert "X-Frame-Options" not in response.headers, path
    for path in ("/", "/embed", "/wijk/WK016405", "/data", "/ogc?f=html", "/embed/kaart/x"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_embed_map_is_the_map_page_without_the_site_frame(client, context):
    status, content, _ = render_page(
        client, "/embed/kaart", "?indicator=misdrijf_geweld&niveau=buurt"
    )
    assert status == 200
    raw = json.dumps(content)
    assert "site-header" not in raw and "nav-link" not in raw  # no navigation
    assert find(content, "kaart-map") is not None  # the map page's own canvas for kaart.js
    view = find(content, "kaart-view")["props"]["data"]
    assert view["indicator"] == "misdrijf_geweld" and view["level"] == "buurt"
    text = text_of(content)
    assert "Bekijk in Wijkveiligheid" in text and "CC BY 4.0" in text
    assert "/?indicator=misdrijf_geweld&niveau=buurt" in raw  # the link back to the full view


def test_embed_wijk_card_shows_public_figures_from_the_store(client, context):
    from dashboard.profile import wijk_profile

    status, content, _ = render_page(client, "/embed/wijk/berflo-es", "?taal=en")
    assert status == 200
    text = text_of(content)
    profile = wijk_profile(context, "WK016405")
    first = profile.figures[profile.figures["judgement"].isin(["better", "worse"])].iloc[0]
    shown = short_value(first["value"], first["unit"], int(first["decimals"]), "en")
    assert profile.name in text and first["label_en"] in text and shown in text
    assert "Open in Wijkveiligheid" in text and "CC BY 4.0" in text
    assert "site-header" not in json.dumps(content)
    # only public figures: no internal indicator in the card
    internal = context.data.indicators[~context.data.indicators["public"]]
    assert not any(label in text for label in internal["label_en"])


def test_embed_of_an_unknown_wijk_is_a_404(client):
    assert client.get("/embed/wijk/nope").status_code == 404


def test_help_page_gives_the_iframe_code_for_a_view(client, monkeypatch):
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", "https://wijkveiligheid.example.nl/")
    status, content, _ = render_page(client, "/embed", "?weergave=/?indicator=misdrijf_geweld")
    code = find(content, "embed-code")["props"]["value"]
    assert code.startswith(
        '<iframe src="https://wijkveiligheid.example.nl/embed/kaart?indicator=misdrijf_geweld"'
    )
    status, content, _ = render_page(client, "/embed", "?weergave=/benchmark")
    assert status == 200 and "kan niet worden ingesloten" in text_of(content)


# ---------------------------------------------------------------------- Chromium
class _Host(BaseHTTPRequestHandler):
    """Another site: a page that frames an embed page and a normal page of the app."""

    app_url = ""

    def do_GET(self):  # noqa: N802 - http.server's name
        body = (
            "<!DOCTYPE html><html lang='nl'><head><title>Gemeente</title></head><body>"
            f"<iframe id='embed' src='{self.app_url}/embed/kaart?niveau=wijk' "
            "title='kaart' width='800' height='600'></iframe>"
            f"<iframe id='plain' src='{self.app_url}/' title='site' width='400' height='300'>"
            "</iframe></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def host_and_app(store_path, output_dir):
    host_port = free_port()
    origin = f"http://127.0.0.1:{host_port}"
    log_path = output_dir / "embed-server.log"
    app_url, proc, log = serve(store_path, log_path, WIJKVEILIGHEID_EMBED_ORIGINS=origin)
    handler = type("Host", (_Host,), {"app_url": app_url})
    host = ThreadingHTTPServer(("127.0.0.1", host_port), handler)
    threading.Thread(target=host.serve_forever, daemon=True).start()
    yield origin, app_url
    host.shutdown()
    stop(proc, log)


@pytest.mark.browser
def test_another_site_frames_the_map_and_cannot_frame_a_page(host_and_app, output_dir):
    from playwright.sync_api import sync_playwright

    host_url, app_url = host_and_app
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        refused = []
        page.on("console", lambda m: refused.append(m.text) if "frame" in m.text else None)
        page.goto(host_url + "/")
        framed = page.frame_locator("#embed")
        framed.locator("#kaart-map canvas").wait_for(timeout=30000)
        embed_frame = next(f for f in page.frames if "/embed/kaart" in f.url)
        embed_frame.wait_for_function(f"() => ({RENDERED})('wijk') >= 10", timeout=30000)
        assert embed_frame.locator(".site-header").count() == 0
        assert embed_frame.locator(".embed-credit a").get_attribute("target") == "_blank"
        plain = next(
            f for f in page.frames if f.url.rstrip("/") == app_url or "chrome-error" in f.url
        )
        # the browser refuses the normal page: its frame holds no document of the app
        assert plain.url.startswith("chrome-error://") or plain.locator("#app-root").count() == 0
        assert any("frame-ancestors" in text for text in refused), refused
        page.screenshot(path=str(output_dir / "embed-framed.png"))
        browser.close()
