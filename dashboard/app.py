"""The Dash app: one shell (location + page container) and a module per page.

``server = app.server`` is what gunicorn serves (see the Procfile).
"""

from __future__ import annotations

from pathlib import Path

import dash
from dash import Dash, dcc, html
from flask import Response, request
from flask_compress import Compress

from dashboard import settings

HERE = Path(__file__).parent
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
    <footer>{%config%}{%scripts%}{%renderer%}</footer>
  </body>
</html>"""


def create_app() -> Dash:
    """Build the app; the data is loaded lazily from the store on the first request."""
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(settings.ROOT / "assets"),
        title="Wijkveiligheid Hengelo",
        suppress_callback_exceptions=True,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {
                "name": "description",
                "content": "Veiligheid en leefbaarheid per wijk en buurt in Hengelo",
            },
        ],
        serve_locally=True,
        # the map library is loaded by assets/kaart.js on the map page only
        assets_path_ignore=["vendor"],
    )
    app.index_string = INDEX
    _register_pages()
    app.layout = initial_layout
    _register_geometry_route(app)
    _register_pdf_route(app)
    _register_download_routes(app)
    from dashboard import intern

    intern.init_app(app.server)
    app.server.config["COMPRESS_MIMETYPES"] = [
        "text/html",
        "text/css",
        "text/plain",
        "application/json",
        "application/javascript",
        "text/javascript",
        "application/geo+json",
        "text/csv",
    ]
    app.server.config["COMPRESS_MIN_SIZE"] = 500
    # assets are streamed files: compressed too (and answered 304 when unchanged)
    app.server.config["COMPRESS_ALGORITHM_STREAMING"] = ["zstd", "br", "gzip", "deflate"]
    app.server.config["COMPRESS_STREAMING_ENDPOINT_CONDITIONAL"] = ["static", "_dash_assets.static"]
    Compress(app.server)
    app.server.after_request(long_cache)
    return app


FINGERPRINTED = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")
YEAR = 31536000


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

    container = html.Div(dash.page_container, id="app-root")
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
        from dashboard.profile import resolve_wijk, wijk_profile
        from dashboard.shell import parse_language

        ctx = get_context()
        wijk = resolve_wijk(ctx, code)
        if wijk is None:
            return Response(f"Wijk '{code[:60]}' bestaat niet.", status=404, mimetype="text/plain")
        lang, _ = parse_language(request.args.get("taal"))
        profile = wijk_profile(ctx, wijk)
        response = Response(build(profile, ctx.data.indicators, lang), mimetype="application/pdf")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="wijkprofiel-{profile.slug}.pdf"'
        )
        return response


def _register_download_routes(app: Dash) -> None:
    """Public downloads: every public figure as CSV, the boundaries as GeoPackage."""

    @app.server.route("/data/cijfers.csv")
    def figures_csv():
        from dashboard.data import get_context
        from dashboard.downloads import public_figures_csv

        response = Response(public_figures_csv(get_context()), mimetype="text/csv")
        response.headers["Content-Disposition"] = (
            'attachment; filename="wijkveiligheid-hengelo-cijfers.csv"'
        )
        return response

    @app.server.route("/data/grenzen.gpkg")
    def boundaries():
        from dashboard.data import get_context
        from dashboard.downloads import boundaries_geopackage

        response = Response(
            boundaries_geopackage(get_context()), mimetype="application/geopackage+sqlite3"
        )
        response.headers["Content-Disposition"] = (
            'attachment; filename="hengelo-wijken-buurten-2021.gpkg"'
        )
        return response


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

    for module in (
        "kaart",
        "themas",
        "thema",
        "wijk",
        "benchmark",
        "vergelijk",
        "presentatie",
        "over_data",
        "toegankelijkheid",
        "not_found_404",
    ):
        importlib.import_module(f"dashboard.pages.{module}")


app = create_app()
server = app.server
