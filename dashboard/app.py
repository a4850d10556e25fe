"""The Dash app: one shell (location + page container) and a module per page.

``server = app.server`` is what gunicorn serves (``dashboard/gunicorn_conf.py``, used by
``wijkveiligheid serve`` and the Procfile). Importing this module does no I/O: the store is
opened from the settings (or handed in with ``create_app(store)``) and read on first use.
"""

from __future__ import annotations

import html as html_text
import json
import logging
import mimetypes
import re
from pathlib import Path

import dash
from dash import ClientsideFunction, Dash, Input, Output, dcc, html
from flask import Response, request
from flask_compress import Compress
from flask_talisman import Talisman
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard import data, feeds, open_data, pagecache, settings, tiles, web
from dashboard.i18n import t
from geodata.gemeente import GEMEENTE
from indicators.store import StoreError

HERE = Path(__file__).parent
PAGE_LANG = "page-lang"  # a store the clientside <html lang> callback writes to
INDEX = """<!DOCTYPE html>
<html lang="nl">
  <head>
    {%metas%}
    <title>{%title%}</title>
    {%favicon%}
    {%css%}
  </head>
  <body>
    {%app_entry%}
    {%config%}{%scripts%}{%renderer%}
  </body>
</html>"""


class App(web.LocalisedIndex, Dash):
    """Dash with the page's language and title in its first HTML answer."""


def create_app(store=None) -> Dash:
    """Build the app for ``store`` (default: the store the settings name); the data is loaded
    lazily on the first request."""
    if store is not None:
        data.use_store(store)
    app = App(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(settings.ROOT / "assets"),
        title=t("app_title"),
        suppress_callback_exceptions=True,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {
                "name": "description",
                "content": f"Veiligheid en leefbaarheid per wijk en buurt in {GEMEENTE.name}",
            },
        ],
        serve_locally=True,
        # the map library is loaded by assets/kaart.js on the map page only
        assets_path_ignore=["vendor"],
    )
    app.index_string = INDEX
    _register_pages()
    app.layout = initial_layout
    # <html lang> follows the page language after navigation in the browser too
    app.clientside_callback(
        ClientsideFunction(namespace="wijkveiligheid", function_name="setPageLanguage"),
        Output(PAGE_LANG, "data"),
        Input("_pages_location", "search"),
    )
    web.init_app(app.server)
    _register_geometry_route(app)
    tiles.init_app(app.server)  # /tegels/<level>.pmtiles, the map's vector tiles (issue 17)
    _register_pdf_route(app)
    _register_download_routes(app)
    open_data.init_app(app.server)  # /ogc, /embed, JSON per view (issue 20)
    feeds.init_app(app.server)  # Atom feeds of changes beyond chance (issue 18 A2)
    _register_health_route(app)
    _register_store_errors(app)
    from dashboard import intern

    intern.init_app(app.server)
    _register_error_handlers(app.server)
    _compress(app.server)
    app.server.after_request(long_cache)
    app.server.after_request(lean_callback_headers)  # runs after Talisman's (registered next)
    _harden(app)
    _register_component_paths(app)
    from dashboard import pagecache

    pagecache.install(app)  # last: the other request checks run before its cached answers
    return app


COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "application/json",
    "application/javascript",
    "text/javascript",
    "application/geo+json",
    "text/csv",
    "application/x-protobuf",  # the map's glyphs: signed distance fields shrink to a third
]
mimetypes.add_type("application/x-protobuf", ".pbf")


def _compress(server) -> None:
    """Compress answers of the text types above 500 bytes; assets are streamed files:
    compressed too (and answered 304 when unchanged)."""
    server.config["COMPRESS_MIMETYPES"] = list(COMPRESSED_TYPES)
    server.config["COMPRESS_MIN_SIZE"] = 500
    server.config["COMPRESS_ALGORITHM_STREAMING"] = ["zstd", "br", "gzip", "deflate"]
    server.config["COMPRESS_STREAMING_ENDPOINT_CONDITIONAL"] = ["static", "_dash_assets.static"]
    Compress(server)


LOG = logging.getLogger("wijkveiligheid.errors")
CALLBACK_PATH = "/_dash-update-component"
SUITES_PATH = "/_dash-component-suites/"


def _plain(text: str, status: int) -> Response:
    return Response(text, status=status, mimetype="text/plain")


SCALAR = (str, int, float)
MAX_VALUE_CHARS = 1_000


def _is_count(value) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def _is_choice(value) -> bool:
    """What a dropdown, select, radio or checklist can send: a scalar or a flat list of them."""
    if isinstance(value, list):
        return len(value) <= 100 and all(_is_choice(v) and not isinstance(v, list) for v in value)
    if isinstance(value, str):
        return len(value) <= MAX_VALUE_CHARS
    return value is None or (isinstance(value, SCALAR) and not isinstance(value, bool))


PROPERTY_RULES = {
    "n_clicks": _is_count,
    "pathname": lambda v: isinstance(v, str) and v.startswith("/") and len(v) <= 20_000,
    "search": lambda v: v is None or (isinstance(v, str) and len(v) <= 10_000),
    "clickData": lambda v: v is None or isinstance(v, dict),
    "value": _is_choice,
}


def callback_body_problem(body) -> str | None:
    """Why a callback request cannot be what a browser sends (None when it can): the shape of
    the body, and the type of the properties whose type Dash fixes (``n_clicks`` a count,
    ``pathname`` a path, ``value`` a choice, ...). Store ``data`` is checked by its callback.

    >>> callback_body_problem({"output": "a.b", "inputs": [{"id": "x", "property": "n_clicks",
    ...     "value": "1"}]})
    'x.n_clicks heeft een ongeldige waarde'
    """
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return "geen geldige aanvraag"
    for group in ("inputs", "state"):
        items = body.get(group, [])
        if not isinstance(items, list):
            return f"'{group}' is geen lijst"
        for item in items:
            entries = item if isinstance(item, list) else [item]  # a wildcard input: a list
            for entry in entries:
                if not isinstance(entry, dict) or "property" not in entry:
                    return f"'{group}' bevat een ongeldig onderdeel"
                rule = PROPERTY_RULES.get(entry["property"])
                value = entry.get("value")
                values = (
                    value
                    if isinstance(entry.get("id"), dict) and isinstance(value, list)
                    else [value]
                )
                if rule and not all(rule(v) for v in values):
                    name = f"{str(entry.get('id'))[:60]}.{entry['property']}"
                    return f"{name} heeft een ongeldige waarde"
    return None


def _register_error_handlers(server) -> None:
    """No traceback ever reaches a visitor: a callback that cannot use what it was sent
    answers 400, an unknown file under the component suites 404, anything else a plain 500;
    each logs one line (no traceback). HTTP errors (404, 403, ...) keep their own pages."""

    @server.before_request
    def _check_callback():
        if request.method != "POST" or not request.path.endswith(CALLBACK_PATH):
            return None
        problem = callback_body_problem(request.get_json(silent=True))
        if problem is None:
            return None
        LOG.warning("POST %s: geweigerd: %s", CALLBACK_PATH, problem)
        return _plain(f"Ongeldige invoer: {problem}.", 400)

    @server.errorhandler(Exception)
    def _any_error(exc):
        if isinstance(exc, HTTPException):
            return exc
        path = request.path
        LOG.warning(
            "%s %s: %s: %s",
            request.method,
            path[:120],
            type(exc).__name__,
            " ".join(str(exc).split())[:200],
        )
        if path.endswith(CALLBACK_PATH):
            return _plain("Ongeldige invoer voor dit onderdeel van de pagina.", 400)
        if path.startswith(SUITES_PATH):
            return _plain("Bestand niet gevonden.", 404)
        return _plain(
            "Er ging iets mis aan onze kant; probeer het later opnieuw. "
            "(Something went wrong on our side.)",
            500,
        )


def _register_component_paths(app: Dash) -> None:
    """Dash accepts a request for a component's JavaScript only after its process has rendered
    the index once; a gunicorn worker that gets such a request first would answer 500. Render
    it once here (no store access)."""
    with app.server.test_request_context("/"):
        app.index()


def content_security_policy(app: Dash) -> dict:
    """The CSP the pages work under: scripts only from here plus the hashes of Dash's inline
    scripts; MapLibre (the map) needs blob: workers; Dash sets inline styles."""
    tiles = ["https://service.pdok.nl"] if settings.get("WIJKVEILIGHEID_BASEMAP") == "pdok" else []
    return {
        "default-src": "'self'",
        "script-src": ["'self'", *app.csp_hashes()],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *tiles],
        "connect-src": ["'self'", *tiles],
        "worker-src": ["'self'", "blob:"],
        "child-src": ["'self'", "blob:"],
        "font-src": ["'self'", "data:"],
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def _harden(app: Dash) -> None:
    """Security headers (CSP, frame-ancestors/X-Frame-Options, nosniff, referrer policy, HSTS
    only for requests that came over TLS), the client address/scheme/host from trusted proxies
    and a plain 400 for a host that is not ours (WIJKVEILIGHEID_HOSTS)."""
    server = app.server
    proxies = int(settings.get("WIJKVEILIGHEID_PROXIES") or 0)
    # the Host check sees what the app would: the forwarded host behind trusted proxies
    ours = web.only_our_hosts(server.wsgi_app, settings.allowed_hosts())
    if proxies:
        server.wsgi_app = ProxyFix(ours, x_for=proxies, x_proto=proxies, x_host=proxies)
    else:
        server.wsgi_app = _ignore_forwarded(ours)
    talisman = Talisman(
        server,
        force_https=False,  # TLS ends at the proxy; HSTS is sent when the request was HTTPS
        strict_transport_security=True,
        strict_transport_security_max_age=365 * 24 * 3600,
        session_cookie_secure=settings.get("WIJKVEILIGHEID_SECURE_COOKIES") == "1",
        content_security_policy=content_security_policy(app),
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
    )
    _keep_script_hashes_current(app, talisman)


def _keep_script_hashes_current(app: Dash, talisman: Talisman) -> None:
    """Dash adds inline scripts (page callbacks) when it sets itself up on the first request:
    hash them too, before Talisman writes the header (after_request runs last-registered
    first)."""
    from dash import _callback

    seen = {"count": -1}

    @app.server.after_request
    def refresh_hashes(response):
        count = len(app._inline_scripts) + len(_callback.GLOBAL_INLINE_SCRIPTS)
        if count != seen["count"]:
            hashes = list(dict.fromkeys(app.csp_hashes()))
            talisman.content_security_policy["script-src"] = ["'self'", *hashes]
            seen["count"] = len(app._inline_scripts)
        return response


def _ignore_forwarded(wsgi_app):
    """Without trusted proxies, X-Forwarded-* headers from clients are dropped."""

    def middleware(environ, start_response):
        for key in [k for k in environ if k.startswith("HTTP_X_FORWARDED_")]:
            del environ[key]
        return wsgi_app(environ, start_response)

    return middleware


UNAVAILABLE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Tijdelijk niet beschikbaar</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/style.css"></head>
<body><main id="main" style="padding: 1rem">
<h1>{title} is tijdelijk niet beschikbaar</h1>
<p>De gegevens kunnen nu niet worden gelezen. Probeer het over een minuut opnieuw.</p>
<p lang="en">The data cannot be read right now. Please try again in a minute.</p>
<p><small>{detail}</small></p></main></body></html>"""


_PATH = re.compile(r"(?:/[^/\s]+)+/([^/\s]+)")
_DB_URL = re.compile(r"postgres(?:ql)?://\S+")


def public_detail(text: str) -> str:
    """The store's message for a public page: what to do, without directories or database
    addresses.

    >>> public_detail("De datastore /srv/var/weg.gpkg bestaat niet.")
    'De datastore weg.gpkg bestaat niet.'
    >>> public_detail("postgresql://app:geheim@db/wv is niet bereikbaar")
    'de database is niet bereikbaar'
    """
    return _PATH.sub(r"\1", _DB_URL.sub("de database", text))


def unavailable_response(exc: Exception) -> Response:
    """The 503 page (or JSON for Dash's own requests) when the store cannot be used. The
    store's own words (which may name a file or a host) go to the log and, for signed-in
    staff pages, onto the page; visitors of public pages see only the plain message."""
    LOG.warning("%s %s: 503: %s", request.method, request.path[:120], " ".join(str(exc).split()))
    detail = str(exc) if request.path.startswith("/intern") else public_detail(str(exc))
    if request.path.startswith("/_dash-"):
        body, kind = json.dumps({"error": "store unavailable"}), "application/json"
    else:
        body = UNAVAILABLE.format(title=t("app_title"), detail=html_text.escape(detail))
        kind = "text/html"
    response = Response(body, status=503, mimetype=kind)
    response.headers["Retry-After"] = "30"
    return response


def _register_store_errors(app: Dash) -> None:
    """A store that cannot be used gives the 503 page, never a traceback: for every route
    (errorhandler) and for page loads, whose content Dash fetches later (checked up front)."""
    server = app.server
    server.register_error_handler(StoreError, unavailable_response)

    @server.before_request
    def store_reachable():
        path = request.path
        if request.method != "GET" or path.startswith(("/_dash-", "/assets/", "/_favicon")):
            return None
        if path.startswith(("/health", "/intern")):
            return None
        try:
            data.get_context()
        except StoreError as exc:
            return unavailable_response(exc)
        return None


def _register_health_route(app: Dash) -> None:
    """``/health``: store reachable, data version, last refresh; 503 when unreachable."""

    @app.server.route("/health")
    def health():
        store = data.current_store()
        try:
            store.ping()
            report = {
                "status": "ok",
                "store": store.kind,
                "data_version": store.data_version(),
                "last_refresh": store.last_refresh(),
            }
            status = 200
        except StoreError as exc:
            LOG.warning("GET /health: 503: %s", " ".join(str(exc).split()))
            report = {"status": "unavailable", "store": store.kind, "error": type(exc).__name__}
            status = 503
        response = Response(json.dumps(report), status=status, mimetype="application/json")
        response.headers["Cache-Control"] = "no-store"
        return response


FINGERPRINTED = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")
YEAR = 31536000


def lean_callback_headers(response: Response) -> Response:
    """Callback answers are JSON that no browser renders as a page: they keep nosniff and the
    frame and referrer rules, but not the page's Content-Security-Policy and Permissions-Policy
    (about 900 bytes), which would be more than the answer itself on every map switch."""
    if request.path.endswith("/_dash-update-component") and response.mimetype == "application/json":
        response.headers.pop("Content-Security-Policy", None)
        response.headers.pop("Permissions-Policy", None)
    return response


def long_cache(response: Response) -> Response:
    """A year's cache for files whose URL changes with their content (Dash's ``.v…m…`` and
    ``?m=`` fingerprints, our ``?v=``); a repeat visit then loads only the page's data."""
    path = request.path
    fingerprinted = request.args.get("m") or request.args.get("v") or ".v" in path
    if response.status_code == 200 and path.startswith(FINGERPRINTED) and fingerprinted:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


def initial_layout():
    """The shell with the requested page already in it, so the first paint needs no
    page-content callback: the page comes from the URL the browser asked ``/_dash-layout``
    from (its Referer), and the location component starts at that URL, so Dash's router does
    not render it a second time. Without a Referer the router renders the page as usual."""
    from urllib.parse import urlsplit

    container = html.Div([dash.page_container, dcc.Store(id=PAGE_LANG)], id="app-root")
    try:
        page = urlsplit(request.referrer or "")
        same_host = page.netloc == request.host
    except RuntimeError:  # outside a request (validation)
        return container
    if not same_host or not page.path:
        return container
    try:
        content, title = render_page(page.path, page.query)
    except Exception:  # noqa: BLE001 - the router renders the page (and its error) as usual
        return container
    location, holder, store, dummy = dash.page_container.children
    return html.Div(
        [
            html.Div(
                [
                    dcc.Location(
                        id=location.id,
                        refresh="callback-nav",
                        pathname=page.path,
                        search=f"?{page.query}" if page.query else "",
                        hash="",
                    ),
                    html.Div(content, id=holder.id, disable_n_clicks=True),
                    dcc.Store(id=store.id, data={"title": title}),
                    dummy,
                ]
            ),
            dcc.Store(id=PAGE_LANG),
        ],
        id="app-root",
    )


def render_page(path: str, query: str):
    """The layout and title of the registered page at ``path`` with its query parameters
    (what Dash's router would render), or an exception when there is none."""
    from dash._pages import _parse_query_string, _path_to_page

    page, variables = _path_to_page(dash.get_app().strip_relative_path(path))
    if not page:
        raise LookupError(path)
    layout = page.get("layout", "")
    params = _parse_query_string(f"?{query}" if query else "")
    title = page["title"](**(variables or {})) if callable(page["title"]) else page["title"]
    content = layout(**{**(variables or {}), **params}) if callable(layout) else layout
    return content, title


def _register_pdf_route(app: Dash) -> None:
    """The wijk profile as a dated PDF for meetings."""

    @app.server.route("/wijk/<code>/profiel.pdf")
    def profile_pdf(code: str):
        from dashboard.data import get_context
        from dashboard.pdf import profile_pdf as build
        from dashboard.pdf import wijk_coverage, wijk_map
        from dashboard.profile import resolve_wijk, wijk_profile
        from dashboard.shell import parse_language

        ctx = get_context()
        wijk = resolve_wijk(ctx, code)
        if wijk is None:
            from dashboard.shell import visible

            return Response(
                f"Wijk '{visible(code[:60])}' bestaat niet.", status=404, mimetype="text/plain"
            )
        lang, _ = parse_language(request.args.get("taal"))
        profile = ctx.once(("wijk_profile", wijk), lambda: wijk_profile(ctx, wijk))
        pdf = pagecache.shared_bytes(  # built by one worker per data version
            ctx,
            f"pdf {wijk} {lang}",
            lambda: build(
                profile,
                ctx.data.indicators,
                lang,
                map_svg=wijk_map(ctx, wijk, profile.focus is not None),
                coverage=wijk_coverage(ctx, wijk),
            ),
        )
        response = Response(pdf, mimetype="application/pdf")
        # opens in the browser's PDF viewer; saving it offers this name
        response.headers["Content-Disposition"] = (
            f'inline; filename="wijkprofiel-{profile.slug}.pdf"'
        )
        return response


def attachment(response: Response, filename: str) -> Response:
    """``response`` as a download named ``filename``."""
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _register_download_routes(app: Dash) -> None:
    """Public downloads: every public figure as CSV, the boundaries as GeoPackage."""

    @app.server.route("/data/cijfers.csv")
    def figures_csv():
        from dashboard.data import get_context
        from dashboard.downloads import DOWNLOADS, public_figures_csv

        ctx = get_context()
        body = pagecache.shared_bytes(ctx, "csv", lambda: public_figures_csv(ctx))
        response = Response(body, mimetype="text/csv")
        return attachment(response, DOWNLOADS["/data/cijfers.csv"])

    @app.server.route("/data/cijfers-excel.csv")
    def figures_excel_csv():
        from dashboard.data import get_context
        from dashboard.downloads import DOWNLOADS, public_figures_excel_csv

        ctx = get_context()
        body = pagecache.shared_bytes(ctx, "csv-excel", lambda: public_figures_excel_csv(ctx))
        response = Response(body, content_type="text/csv; charset=utf-8")
        return attachment(response, DOWNLOADS["/data/cijfers-excel.csv"])

    @app.server.route("/data/cijfers-en.csv")
    def figures_english_csv():
        from dashboard.data import get_context
        from dashboard.downloads import DOWNLOADS, public_figures_english_csv

        ctx = get_context()
        text = pagecache.shared_bytes(ctx, "csv-en", lambda: public_figures_english_csv(ctx))
        return attachment(Response(text, mimetype="text/csv"), DOWNLOADS["/data/cijfers-en.csv"])

    @app.server.route("/data/grenzen.gpkg")
    def boundaries():
        from dashboard.data import get_context
        from dashboard.downloads import DOWNLOADS, boundaries_geopackage

        ctx = get_context()
        body = pagecache.shared_bytes(  # per geometry version: an import does not rebuild it
            ctx, "gpkg", lambda: boundaries_geopackage(ctx), geometry=True
        )
        response = Response(body, mimetype="application/geopackage+sqlite3")
        return attachment(response, DOWNLOADS["/data/grenzen.gpkg"])


def _register_geometry_route(app: Dash) -> None:
    """Web geometry as a static, cacheable GeoJSON file: the map fetches it once per level."""

    @app.server.route("/geo/<level>.geojson")
    def geometry(level: str):
        from dashboard.data import get_context

        ctx = get_context()
        if level not in ctx.geojson_text:
            return Response("Onbekend niveau", status=404, mimetype="text/plain")
        response = Response(ctx.geojson_text[level], mimetype="application/geo+json")
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response


def _register_pages() -> None:
    """Import the page modules (each calls ``dash.register_page``) under their package names."""
    import importlib

    from dashboard.shell import robust_layout

    for module in (
        "kaart",
        "themas",
        "thema",
        "wijk",
        "benchmark",
        "vergelijk",
        "presentatie",
        "presentatie_dia",
        "over_data",
        "toegankelijkheid",
        "embed",  # /embed, /embed/kaart, /embed/wijk/<code> (issue 20)
        "not_found_404",
    ):
        importlib.import_module(f"dashboard.pages.{module}")
    for entry in dash.page_registry.values():  # every page gets one string per URL parameter
        layout = entry.get("layout")
        if callable(layout) and not getattr(layout, "robust", False):
            entry["layout"] = robust_layout(layout)


app = create_app()
server = app.server
