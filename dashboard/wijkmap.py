"""The wijk page's buurt map (``/wijk/<code>``): the SVG of :mod:`dashboard.svgmap` with the
main map's classes, kept per data version, wijk, indicator and language (issue 16)."""

from __future__ import annotations

from dash import Input, Output, clientside_callback, dcc, html

from dashboard import ids
from dashboard.comparedata import per_version
from dashboard.figures import map_view
from dashboard.i18n import t
from dashboard.pagerates import measured
from dashboard.svgmap import SvgMap, area_fills, area_titles, draw_svg, wijk_shapes


@per_version(256)
def buurt_map(ctx, code: str, indicator: str, lang: str, measure: str = "aantal"):
    """(SvgMap, MapView) of wijk ``code``'s buurten by ``indicator``: classified over every
    buurt of the gemeente, as the map page does, so a colour means the same class on both
    (``measure`` ``per1000``: a count's rate, :mod:`dashboard.pagerates`). The shapes and
    labels of a wijk are drawn once per data version, whatever the indicator and language."""
    buurten = ctx.areas["buurt"]
    view = buurt_view(ctx, indicator, lang, measure)
    shapes = ctx.data.web_buurten[ctx.data.web_buurten["wijkcode"] == code]
    names = dict(zip(buurten["code"], buurten["name"], strict=True))
    codes = list(shapes["buurtcode"])
    drawn = ctx.once(("wijk-svg-shapes", code), lambda: wijk_shapes(shapes, names))
    svg = draw_svg(
        drawn,
        names,
        area_fills(view, codes),
        area_titles(view, names, t("no_data", lang)),
        ids.WIJK_MAP_CAPTION,
    )
    return svg, view


@per_version(64)
def buurt_view(ctx, indicator: str, lang: str, measure: str = "aantal"):
    """The MapView of ``indicator`` over every buurt of the gemeente: the same for the map of
    every wijk, so made once per data version, not once per wijk (values are shared: callers
    must not change them)."""
    shown = measured(ctx, measure)
    codes = list(ctx.areas["buurt"]["code"])
    return map_view(shown.obs, shown.catalogue, ctx.data.sources, indicator, "buurt", codes, lang)


def map_components(svg: SvgMap) -> list:
    """The map's container (``assets/svgmap.js`` draws the markup into it) and its markup."""
    return [
        html.Div(id=ids.WIJK_MAP, className="area-map svgmap-box"),
        dcc.Store(id=ids.WIJK_MAP_SVG, data=svg.markup),
        html.Span(id=ids.WIJK_MAP_DRAWN, hidden=True),
    ]


clientside_callback(
    "function (markup) { return window.wijkSvgMap.draw('" + ids.WIJK_MAP + "', markup); }",
    Output(ids.WIJK_MAP_DRAWN, "children"),
    Input(ids.WIJK_MAP_SVG, "data"),
)
