"""The Dash app: one shell (location + page container) and a module per page.

``server = app.server`` is what gunicorn serves (see the Procfile).
"""

from __future__ import annotations

from pathlib import Path

import dash
from dash import Dash, html
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
    )
    app.index_string = INDEX
    _register_pages()
    app.layout = html.Div(dash.page_container, id="app-root")
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
        "application/geo+json",
        "text/csv",
    ]
    app.server.config["COMPRESS_MIN_SIZE"] = 500
    Compress(app.server)
    return app


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
        "presentatie_dia",
        "over_data",
        "toegankelijkheid",
        "not_found_404",
    ):
        importlib.import_module(f"dashboard.pages.{module}")


app = create_app()
server = app.server
