"""One presentation slide (``/presentatie/dia?weergave=<permalink>``): only the chart or map
of a view, with its title, legend and source, filling the screen; no controls, no intro.

Presentation mode steps through these slides (see ``assets/presentation.js``); the permalink
in ``weergave`` says what the slide shows (:func:`dashboard.presentation.slide_spec`), and the
slide links back to it. A parameter of that view which the view's page would not accept (an
unknown kernvariabele, indicator, level, period, area or wijk) gives the slide the notice the
page itself gives, over the slide, and the slide shows what the page would show instead.
"""

from __future__ import annotations

from datetime import date

import dash
from dash import dcc, html

from dashboard import web
from dashboard.components import graph_config, legend
from dashboard.figures import (
    DISC_PX,
    comparison_bar_figure,
    map_view,
    score_bar_figure,
    short_value,
    slide_chart,
    slide_map_figure,
)
from dashboard.i18n import label, pick, t
from dashboard.pages.benchmark import chart_and_table, resolve, selection_notices
from dashboard.pages.kaart import resolve_state
from dashboard.pages.over_data import source_title
from dashboard.pages.vergelijk import DEFAULT_AREAS, area_names, resolve_selection
from dashboard.presentation import shown_item, slide_spec
from dashboard.profile import members, resolve_wijk, theme_index, theme_status_counts
from dashboard.shell import href, page, parse_language, visible, with_context
from geodata import discs
from indicators import g32 as bench
from indicators.age import format_period_age
from indicators.catalogue import comparable
from indicators.formatting import UNIT_LABEL, is_missing
from indicators.views import comparison, indicators_for_areas, indicators_with_data

FILENAME = "dia"
TOP_AREAS = 10
MAX_TIES_NAMED = 3  # more areas tied with the last of the top: only their number
DEFAULT_MAP_INDICATOR = "misdrijf_diefstal_woning"
MAX_SPIDER_AXES = 10  # more spokes: their labels in slide type do not fit 1280x720
SLIDE_MAP_PX = (830, 620)  # the map's box on the smallest slide (1280x720), measured
DISC_SPARE_PX = 3  # px kept free around a disc (the map may be fitted a little smaller)
GEO_ASSETS = "geo/"  # assets/geo/world_110m.json: an empty topology (no base map)


def _period(period, lang: str) -> str:
    return format_period_age(period, date.today(), lang)


def _pick(indicator, options: list[str], default: str) -> str | None:
    if indicator in options:
        return indicator
    return default if default in options else (options[0] if options else None)


def ranked(view, names: list[str], limit: int | None) -> list[tuple[str, str, str]]:
    """(code, name, value) of the areas with most concern first (highest first for a
    neutral indicator), at most ``limit`` (None: all)."""
    rows = [
        (v, c, n, f)
        for v, c, n, f in zip(view.values, view.codes, names, view.formatted, strict=True)
        if v is not None
    ]
    rows.sort(key=lambda r: r[0], reverse=view.polarity != "higher_better")
    return [(c, n, f) for _, c, n, f in rows[:limit]]


def tied_beyond(view, names: list[str], limit: int) -> list[tuple[str, str, str]]:
    """The areas left out of the top ``limit`` with the same value as the last one in it."""
    everything = ranked(view, names, None)
    if len(everything) <= limit:
        return []
    last = everything[limit - 1][2]
    return [row for row in everything[limit:] if row[2] == last]


def ties_note(view, names: list[str], lang: str, limit: int) -> list:
    """'en 2 andere met 5,0: A, B' under the list when the cut falls inside a tie."""
    tied = tied_beyond(view, names, limit)
    if not tied:
        return []
    listed = ": " + ", ".join(n for _, n, _ in tied) if len(tied) <= MAX_TIES_NAMED else ""
    text = t("slide_ties", lang, n=len(tied), value=tied[0][2]) + listed
    return [html.P(text, className="slide-ties")]


def ranked_list(view, names: list[str], lang: str, limit: int) -> html.Div:
    """The ranked areas, name and value in large type, numbered as on the map: what the room
    reads without finding colours on the map."""
    top = ranked(view, names, limit)
    key = "slide_top_concern" if view.polarity != "neutral" else "slide_top_highest"
    return html.Div(
        className="slide-ranking",
        children=[
            html.H2(t(key, lang, n=len(top))),
            html.Ol(
                [
                    html.Li([html.Span(n, className="slide-name"), html.Span(f, className="num")])
                    for _, n, f in top
                ]
            ),
            *ties_note(view, names, lang, limit),
        ],
    )


def numbered_labels(gdf, code_col: str, view, names, limit: int) -> tuple[dict, list]:
    """Rank numbers on the ranked areas (code -> (lon, lat, number)) and the leader lines
    of the discs that stand beside a small area: placed in metres for the smallest slide
    (:func:`geodata.discs.place_discs`), so that no two discs overlap and none covers the
    area it names."""
    order = [code for code, _, _ in ranked(view, names, limit)]
    projected = gdf.to_crs(discs.RD_NEW)
    radius = (DISC_PX / 2 + DISC_SPARE_PX) * discs.metres_per_pixel(projected, SLIDE_MAP_PX)
    placed = discs.place_discs(projected, code_col, order, radius)
    placed = discs.discs_to_crs(placed, projected.crs, gdf.crs)
    labels = {d.code: (*d.centre, str(order.index(d.code) + 1)) for d in placed}
    leaders = [(d.centre, d.anchor) for d in placed if d.leader]
    return labels, leaders


MAP_PARAMS = {"indicator": "indicator", "level": "niveau", "period": "periode"}


def map_state(ctx, spec: dict, lang: str):
    """The map page's state and notices for the slide's URL (one reading for slide and title)."""
    params = {name: spec.get(key) for key, name in MAP_PARAMS.items()} | {"taal": lang}
    state, _, notices = resolve_state(ctx, params)
    return state, notices


def wijk_indicator(ctx, code: str, spec: dict) -> str | None:
    """The indicator a wijk slide shows: the asked one when its buurten have it, else the
    default (one choice for slide and title)."""
    buurten = ctx.areas["buurt"][ctx.areas["buurt"]["wijkcode"] == code]
    present = set(
        ctx.public_obs.loc[ctx.public_obs["area_code"].isin(buurten["code"]), "indicator_id"]
    )
    options = indicators_with_data(ctx.public_obs, ctx.data.indicators, "buurt")
    return _pick(spec.get("indicator"), [i for i in options if i in present], DEFAULT_MAP_INDICATOR)


def map_slide(ctx, spec: dict, lang: str):
    """A map of wijken or buurten for one indicator, read from the URL as the map page reads
    it (:func:`dashboard.pages.kaart.resolve_state`): the same fallbacks, the same notices."""
    state, notices = map_state(ctx, spec, lang)
    level, indicator = state.level, state.indicator
    areas = ctx.areas[level]
    codes, names = list(areas["code"]), list(areas["name"])
    view = map_view(
        ctx.public_obs,
        ctx.data.indicators,
        ctx.data.sources,
        indicator,
        level,
        codes,
        lang,
        state.chosen_period,
    )
    gdf = ctx.data.web_wijken if level == "wijk" else ctx.data.web_buurten
    labels, leaders = numbered_labels(gdf, f"{level}code", view, names, TOP_AREAS)
    fig = slide_map_figure(ctx.geojson[level], names, view, labels, lang, True, leaders)
    title = (
        f"{label(ctx.data.indicators.loc[indicator], lang)}, {t(f'slide_per_{level}', lang)}"
        f" · {_period(view.period, lang)}"
    )
    return title, _map_body(fig, view, names, lang), view.source_line, notices


def _map_body(fig, view, names, lang):
    return html.Div(
        className="slide-body slide-map",
        children=[
            html.Div(
                dcc.Graph(
                    figure=fig,
                    config=graph_config(
                        lang,
                        FILENAME,
                        displayModeBar=False,
                        scrollZoom=False,
                        # plotly's geo loads a world base map even with every base layer
                        # hidden: an empty one from here instead of cdn.plot.ly
                        topojsonURL=dash.get_asset_url(GEO_ASSETS),
                    ),
                    className="slide-graph",
                    responsive=True,
                ),
                className="slide-map-box",
            ),
            html.Div(
                className="slide-aside",
                children=[
                    html.Div(legend(view, lang), className="legend slide-legend"),
                    ranked_list(view, names, lang, TOP_AREAS),
                ],
            ),
        ],
    )


def wijk_slide(ctx, spec: dict, lang: str):
    """The buurten of one wijk for one indicator, named and valued on the map."""
    code = resolve_wijk(ctx, spec.get("wijk"))
    if code is None:
        return None
    buurten = ctx.areas["buurt"][ctx.areas["buurt"]["wijkcode"] == code]
    codes, names = list(buurten["code"]), list(buurten["name"])
    indicator = wijk_indicator(ctx, code, spec)
    notices = unknown_indicator_notice(ctx, spec.get("indicator"), indicator, lang)
    view = map_view(
        ctx.public_obs, ctx.data.indicators, ctx.data.sources, indicator, "buurt", codes, lang
    )
    gdf = ctx.data.web_buurten[ctx.data.web_buurten["buurtcode"].isin(codes)]
    geojson = {
        "type": "FeatureCollection",
        "features": [f for f in ctx.geojson["buurt"]["features"] if f["id"] in set(codes)],
    }
    labels, leaders = numbered_labels(gdf, "buurtcode", view, names, TOP_AREAS)
    fig = slide_map_figure(geojson, names, view, labels, lang, True, leaders)
    wijk_name = ctx.areas["wijk"].set_index("code").loc[code, "name"]
    title = (
        f"{wijk_name}: {label(ctx.data.indicators.loc[indicator], lang)}, "
        f"{t('slide_per_buurt', lang)} · {_period(view.period, lang)}"
    )
    return title, _map_body(fig, view, names, lang), view.source_line, notices


def unknown_indicator_notice(ctx, asked, shown: str, lang: str) -> list[str]:
    """The wijk page's notice when ``asked`` (from the URL) is not the indicator shown."""
    if asked in (None, "", shown):
        return []
    default = label(ctx.data.indicators.loc[shown], lang)
    return [t("notice_unknown_indicator", lang, value=str(asked)[:60], default=default)]


def benchmark_slide(ctx, spec: dict, lang: str):
    """A G32 spider (or bars) with the 100 line, in large type."""
    g32 = ctx.data.g32
    kern, thema = resolve(g32, spec.get("kern"), spec.get("thema"))
    notices = selection_notices(g32, spec, kern, thema, lang)
    fig, _ = chart_and_table(g32, kern, thema, lang)
    title = fig.layout.title.text
    if fig.data[-1].type == "scatterpolar" and len(fig.data[-1].r) - 1 > MAX_SPIDER_AXES:
        # too many spokes to read from the back of the room: the same scores as bars
        trace = fig.data[-1]
        labels = [str(x).replace("<br>", " ") for x in trace.theta[:-1]]
        scores = list(trace.r[:-1])
        safety = bench.is_safety(g32, thema or kern)
        fig = score_bar_figure(labels, scores, title, safety, lang)
        fig.update_yaxes(autorange="reversed")
    fig.update_layout(title=None)
    fig = slide_chart(fig)
    source = ctx.data.sources.loc["G32_2015"]
    return (
        f"{t('g32_title', lang)}: {title}",
        _chart_body(fig, lang),
        f"{t('source', lang)}: {source_title(source, lang)}, {_period(str(source['year']), lang)}",
        notices,
    )


def compare_selection(ctx, spec: dict, lang: str):
    """The areas, notices and indicator of a compare slide, as the compare page reads them."""
    asked = spec.get("indicator")
    areas, _, notices = resolve_selection(
        ctx, spec.get("areas") or DEFAULT_AREAS, [asked] if asked else [], lang
    )
    options = indicators_for_areas(ctx.public_obs, ctx.data.indicators, areas)
    return areas, notices, _pick(asked, options, DEFAULT_MAP_INDICATOR)


def compare_slide(ctx, spec: dict, lang: str):
    """One indicator for the chosen areas and Hengelo, all of the same period."""
    areas, notices, indicator = compare_selection(ctx, spec, lang)
    ind = ctx.data.indicators.loc[indicator]
    unit, dec = ind["unit"], int(ind["decimals"])
    frame = comparison(ctx.public_obs, ctx.data.indicators, areas, [indicator], members(ctx))
    frame = frame.set_index("area_code").loc[areas]
    names = area_names(ctx)
    values = [None if is_missing(v) else float(v) for v in frame["value"]]
    reference = frame["reference"].iloc[0]
    reference = None if is_missing(reference) or not comparable(unit) else float(reference)
    period = frame["period"].iloc[0]
    fig = comparison_bar_figure(
        [names[a].split(" (")[0] for a in areas],
        values,
        [short_value(v, unit, dec, lang) or t("no_data", lang) for v in values],
        reference,
        short_value(reference, unit, dec, lang) if reference is not None else None,
        "",
        UNIT_LABEL[unit][lang],
        lang,
    )
    fig.update_layout(title=None, margin={"l": 90, "r": 20, "t": 20, "b": 60})
    fig = slide_chart(fig)
    rows = ctx.public_obs[
        (ctx.public_obs["indicator_id"] == indicator) & (ctx.public_obs["period"] == period)
    ]
    source_id = rows["source_id"].dropna().iloc[0] if len(rows) else ind["source"]
    attribution = ctx.data.sources.loc[source_id, "attribution"].removeprefix("Bron: ")
    title = f"{label(ind, lang)} · {_period(period, lang)}"
    return (
        title,
        _chart_body(fig, lang),
        f"{t('source', lang)}: {attribution}, {_period(period, lang)}",
        notices,
    )


def _chart_body(fig, lang):
    return html.Div(
        className="slide-body slide-chart",
        children=dcc.Graph(
            figure=fig,
            config=graph_config(lang, FILENAME, displayModeBar=False),
            className="slide-graph",
            responsive=True,
        ),
    )


def themes_slide(ctx, spec: dict, lang: str):
    """The eight themes with the status of their KPIs, as a table in large type."""
    rows = []
    for theme in theme_index(ctx).itertuples():
        counts = theme_status_counts(ctx, theme.slug)
        title = pick(lang, theme.title_nl, theme.title_en)
        urgent = " ●" if theme.urgent else ""
        rows.append(
            html.Tr(
                [html.Th(f"{theme.number} {title}{urgent}", scope="row")]
                + status_cells(counts, lang)
            )
        )
    header = [t("col_theme", lang)] + [t(f"kpi_{k}", lang) for k in STATUSES]
    table = html.Table(
        className="data-table slide-table",
        children=[
            html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
            html.Tbody(rows),
        ],
    )
    source = ctx.data.sources.loc["IVP2017"]
    return (
        t("slide_themes_title", lang),
        html.Div(table, className="slide-body slide-chart"),
        f"● {t('theme_urgent', lang)} · {t('slide_themes_note', lang)} · "
        f"{t('source', lang)}: {source_title(source, lang)}",
        [],
    )


STATUSES = ("on_track", "off_track", "no_data", "not_measurable")


def status_cells(counts: dict[str, int], lang: str) -> list:
    """The number of KPIs per status, or one cell saying the policy sets none (not zeros)."""
    if not counts:
        return [html.Td(t("slide_no_kpis", lang), colSpan=len(STATUSES), className="no-kpis")]
    return [html.Td(str(counts.get(k, 0)), className="num") for k in STATUSES]


BUILDERS = {
    "themes": themes_slide,
    "map": map_slide,
    "wijk": wijk_slide,
    "benchmark": benchmark_slide,
    "compare": compare_slide,
}


def slide_frame(
    title: str, body, source: str, view_path: str, lang: str, notices: list[str] = ()
) -> html.Div:
    """The whole screen is the slide: title, notices of the view's fallbacks (as its page
    gives them), chart or map with legend, source line."""
    return html.Div(
        className=f"slide-page lang-{lang}",
        lang=lang,
        children=[
            html.Main(
                id="main",
                className="slide",
                tabIndex="-1",
                children=[
                    html.H1(title, className="slide-title"),
                    html.Div(
                        [html.P(visible(n), className="notice") for n in notices],
                        role="status",
                        className="notices slide-notices",
                    ),
                    body,
                    html.P(
                        [
                            source,
                            " · ",
                            html.A(
                                t("slide_open_view", lang), href=href_with_lang(view_path, lang)
                            ),
                        ],
                        className="slide-source",
                    ),
                ],
            )
        ],
    )


def href_with_lang(path: str, lang: str) -> str:
    """The view's permalink in ``lang`` (Dutch needs no parameter)."""
    return pick(lang, path, path + ("&" if "?" in path else "?") + "taal=en")


@with_context
def layout(ctx, weergave=None, **params):
    lang, _ = parse_language(params.get("taal"))
    view_path = str(weergave or "")
    spec = slide_spec(view_path)
    built = BUILDERS[spec["kind"]](ctx, spec, lang) if spec else None
    if built is None:
        return no_slide_page(ctx, view_path, spec, lang)
    title, body, source, notices = built
    return slide_frame(title, body, source, view_path, lang, notices)


def no_slide_page(ctx, view_path: str, spec: dict | None, lang: str) -> html.Div:
    """What the slide says when it has nothing to show: no view given, a wijk that does not
    exist, or a view without a slide of its own; with a way back to the presentation."""
    return page(
        html.Div(
            [
                html.H1(t("slide_none_title", lang)),
                html.P(no_slide_text(ctx, view_path, spec, lang)),
                html.A(t("nav_presentation", lang), href=href("/presentatie", lang)),
            ]
        ),
        lang,
        "nav_presentation",
        path="/presentatie",
    )


def no_slide_text(ctx, view_path: str, spec: dict | None, lang: str) -> str:
    """Why there is no slide, in plain words (the URL's values quoted short and clean)."""
    if not view_path.strip():
        return t("slide_no_view", lang)
    if spec is not None and spec["kind"] == "wijk":
        return t("slide_unknown_wijk", lang, value=shown_item(str(spec.get("wijk")))[1:-1])
    return t("slide_none", lang, value=shown_item(view_path)[1:-1])


def slide_subject(ctx, spec: dict | None, lang: str) -> str | None:
    """What the slide shows, for its tab title: the indicator (per wijk or buurt), the wijk,
    the G32 item or the themes; None when there is no slide. Cheap: no figure is drawn."""
    kind = spec["kind"] if spec else None
    indicators = ctx.data.indicators
    if kind == "map":
        state = map_state(ctx, spec, lang)[0]
        return (
            f"{label(indicators.loc[state.indicator], lang)}, {t(f'slide_per_{state.level}', lang)}"
        )
    if kind == "wijk":
        code = resolve_wijk(ctx, spec.get("wijk"))
        if code is None:
            return None
        wijk_name = ctx.areas["wijk"].set_index("code").loc[code, "name"]
        return f"{wijk_name}: {label(indicators.loc[wijk_indicator(ctx, code, spec)], lang)}"
    if kind == "compare":
        return f"{label(indicators.loc[compare_selection(ctx, spec, lang)[2]], lang)}"
    if kind == "benchmark":
        kern, thema = resolve(ctx.data.g32, spec.get("kern"), spec.get("thema"))
        row = ctx.data.g32.set_index("id").loc[thema or kern]
        return f"{t('g32_title', lang)}: {pick(lang, row['name_nl'], row['name_en'])}"
    return t("slide_themes_title", lang) if kind == "themes" else None


def slide_title(**_variables) -> str:
    """'Geweld, per wijk – Dia – Wijkveiligheid Hengelo': the tab names what the slide
    shows (a row of slide tabs all called 'Dia' could not be told apart)."""
    lang = web.request_language()
    try:
        from dashboard.data import get_context

        spec = slide_spec(str(web.request_query().get("weergave") or ""))
        subject = slide_subject(get_context(), spec, lang)
    except Exception:  # noqa: BLE001 - a broken store shows its own error page
        subject = None
    return web.compose_title([subject, t("slide_tab", lang)], lang)


dash.register_page(
    __name__,
    path="/presentatie/dia",
    title=slide_title,
    name="Dia",
    layout=layout,
)
