"""The public map (``/``): choropleth of wijken or buurten, legend, side panel and table.

The map is drawn in the browser by MapLibre GL (``assets/kaart.js``): the geometry is fetched
once per level as a cacheable GeoJSON file, and a switch of indicator, level or period sends
one small request whose answer is the view payload (:func:`dashboard.mapcontract.view_payload`); the
browser recolours the areas with feature-state and draws legend and table from it.
The state rules live in :mod:`indicators.mapstate`, the lookups in :mod:`indicators.mapindex`.
"""

from __future__ import annotations

import dataclasses
import weakref
from dataclasses import dataclass, field

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import areasearch, changemap, data, ids, mapcontract, maprates, settings, tiles, web
from dashboard.figures import (
    PDOK_ATTRIBUTION,
    PDOK_TILES,
    classification_method,
    map_view,
    short_value,
)
from dashboard.i18n import label, pick, t
from dashboard.panelnotes import area_coverage, panel_note, panel_subtitle
from dashboard.postcodes import postcode_results
from dashboard.profile import normalise, profile_index, search_areas
from dashboard.shell import href, page, parse_language, with_context
from indicators import changestate, mapstate
from indicators.csvsafe import neutralise
from indicators.formatting import UNIT_LABEL, format_difference
from indicators.mapindex import ObsIndex, build_index
from indicators.periods import age_in_years, format_period

LEVELS = mapstate.LEVELS
DEFAULT_LEVEL = mapstate.DEFAULT_LEVEL


@dataclass
class MapData:
    """The index of one loaded context and what is made from it once: the view payloads (a
    switch is a lookup) and the static data of the page per language."""

    index: ObsIndex
    themes: dict[str, str]
    payloads: dict[tuple, dict] = field(default_factory=dict)
    statics: dict[str, dict] = field(default_factory=dict)


_LOADED: dict[str, tuple] = {}


def map_data(ctx_: data.Context) -> MapData:
    """The map index of ``ctx_``, built on first use and again for a newly loaded context (a
    reload after an import gives a new context object)."""
    held = _LOADED.get("current")
    if held is not None and held[0]() is ctx_:
        return held[1]
    codes = {level: list(ctx_.areas[level]["code"]) for level in LEVELS}
    public = ctx_.data.indicators[ctx_.data.indicators["public"].astype(bool)]
    built = MapData(
        index=build_index(ctx_.public_obs, public, codes),
        themes=dict(zip(ctx_.data.indicators.index, ctx_.data.indicators["theme"], strict=True)),
    )
    _LOADED["current"] = (weakref.ref(ctx_), built)
    return built


def resolve_state(ctx_: data.Context, params: dict) -> tuple[mapstate.MapState, str, list[str]]:
    """The map state and language from URL parameters, with the notices of every fallback."""
    lang, notice = parse_language(params.get("taal"))
    notices = [notice] if notice else []
    md = map_data(ctx_)
    resolved = mapstate.resolve(params, md.index, md.themes)
    st = resolved.state  # counts or rates (?maat=), see dashboard.maprates
    has_rate = maprates.has_rate(ctx_, st.indicator, st.level)
    measure = mapstate.resolve_measure(params, has_rate, resolved.notices)
    resolved.state = dataclasses.replace(st, measure=measure)
    for key, values in resolved.notices:
        values = dict(values)
        if "default" in values:
            values["default"] = (
                label(ctx_.data.indicators.loc[values["default"]], lang)
                if key == "notice_unknown_indicator" and values["default"]
                else format_period(values["default"], lang)
            )
        notices.append(t(key, lang, **values))
    return resolved.state, lang, notices


def available_indicators(ctx_: data.Context, level: str) -> list[str]:
    """Public indicators with data at ``level``, in catalogue order."""
    return map_data(ctx_).index.with_data.get(level, [])


def available_periods(ctx_: data.Context, indicator: str, level: str) -> list[str]:
    """Periods with public values (or values suppressed for privacy), newest first."""
    return map_data(ctx_).index.available_periods(indicator, level)


def period_list(ctx_: data.Context, indicator: str, level: str) -> list:
    """What the browser needs to build the period picker: ``[periods newest first, index of
    the default]`` (kaart.js formats the labels, so a switch sends a few bytes)."""
    found = available_periods(ctx_, indicator, level)
    default = map_data(ctx_).index.default(indicator, level)
    return [found, found.index(default) if default in found else 0]


def period_options(ctx_: data.Context, indicator: str, level: str, lang: str) -> list[dict]:
    """The period picker: the default (latest well-covered) period marked, newest first."""
    found, default = period_list(ctx_, indicator, level)
    return [
        {
            "label": t(
                "period_latest" if default == 0 else "period_default",
                lang,
                period=format_period(p, lang),
            )
            if i == default
            else format_period(p, lang),
            "value": p,
        }
        for i, p in enumerate(found)
    ]


def indicator_options(ctx_: data.Context, level: str, lang: str) -> list[dict]:
    """Select options grouped by theme: a disabled heading per theme, then its indicators."""
    catalogue = ctx_.data.indicators
    titles = theme_titles(ctx_, lang)
    options, current = [], None
    for ind_id in available_indicators(ctx_, level):
        theme = catalogue.loc[ind_id, "theme"]
        if theme != current:
            options.append(
                {"label": f"— {titles.get(theme, theme)} —", "value": f"_{theme}", "disabled": True}
            )
            current = theme
        options.append({"label": label(catalogue.loc[ind_id], lang), "value": ind_id})
    return options


def theme_titles(ctx_: data.Context, lang: str) -> dict[str, str]:
    themes = ctx_.data.themes
    titles = dict(zip(themes["slug"], themes[pick(lang, "title_nl", "title_en")], strict=True))
    titles["context"] = t("theme_context", lang)
    return titles


def build_view(
    ctx_: data.Context,
    indicator: str,
    level: str,
    lang: str,
    period: str | None = None,
    formatted: bool = True,
    measure: str | None = None,
):
    """The map view from the index; a ``period`` without data means the default period;
    ``measure`` ``per1000`` shows the rate of a count (see :mod:`dashboard.maprates`)."""
    index = map_data(ctx_).index
    obs, catalogue, sources = ctx_.public_obs, ctx_.data.indicators, ctx_.data.sources
    shown = maprates.shown_indicator(ctx_, indicator, level, measure)
    if shown != indicator:
        rated = maprates.rate_data(ctx_)
        index, obs, catalogue, indicator = rated.index, rated.obs, rated.catalogue, shown
    default = index.default(indicator, level)
    series = index.get(indicator, level, period) if period else None
    series = series or index.get(indicator, level, default)
    codes = index.codes[level]
    rows = series.rows if series is not None else None
    return map_view(
        obs,
        catalogue,
        sources,
        indicator,
        level,
        codes,
        lang,
        period,
        rows=rows,
        default=default,
        formatted=formatted,
    )


def view_payload(
    ctx_: data.Context, state: mapstate.MapState, lang: str
) -> mapcontract.ViewPayload:
    """The payload of one (indicator, level, period, language), made once per loaded data."""
    md = map_data(ctx_)
    key = (state.indicator, state.level, state.period, lang, state.measure)
    if key not in md.payloads:
        view = build_view(
            ctx_, state.indicator, state.level, lang, state.period, False, state.measure
        )
        ind = maprates.rate_data(ctx_).catalogue.loc[view.indicator]  # the count's or rate's
        decimals = int(ind["decimals"])
        md.payloads[key] = mapcontract.view_payload(view, decimals, age_in_years(view.period))
        md.payloads[key].update(maprates.payload_fields(view.indicator))
    return md.payloads[key]


def areas_payload(ctx_: data.Context, lang: str) -> mapcontract.AreasPayload:
    """Static data for the browser (sent once, in the layout): area codes, names and wijk
    names per level (the table and the hover), the geometry URLs and bounds, the indicator
    options per level, the words the legend, table and hover need, and the contract's
    constants. Made once per loaded data and language."""
    statics = map_data(ctx_).statics
    if lang not in statics:
        statics[lang] = _areas_payload(ctx_, lang)
    return statics[lang]


def _areas_payload(ctx_: data.Context, lang: str) -> mapcontract.AreasPayload:
    public = ctx_.data.indicators[ctx_.data.indicators["public"].astype(bool)]
    rate_labels, rate_meta = maprates.extra_meta(ctx_, lang, meta_of)
    return {
        **level_areas(ctx_),
        **geometry_config(ctx_),
        "lang": lang,
        "options": {level: indicator_options(ctx_, level, lang) for level in LEVELS},
        "text": map_text(lang),
        "status": {key: t(f"status_{key}", lang) for key in mapcontract.STATUS_KEYS},
        "labels": {i: label(row, lang) for i, row in public.iterrows()} | rate_labels,
        "meta": {i: meta_of(row, lang) for i, row in public.iterrows()} | rate_meta,
        "periodLabels": period_labels(ctx_, lang),
        "constants": mapcontract.map_constants(lang),
    }


def level_areas(ctx_: data.Context) -> dict[str, mapcontract.LevelAreas]:
    """Codes, names and wijk names of the areas of every level, in the views' order."""
    return {
        level: {
            "codes": list(frame["code"]),
            "names": list(frame["name"]),
            "wijk": list(frame["wijknaam"]),
        }
        for level, frame in ctx_.areas.items()
    }


TEXT_KEYS = (
    "col_area",
    "col_value",
    "col_difference",
    "col_class",
    "col_note",
    "no_data",
    "legend_darker",
    "legend_darker_neutral",
    "level_wijk",
    "level_buurt",
    *("table_rows", "table_pages", "page_first", "page_previous", "page_next", "page_last"),
)


def map_text(lang: str) -> mapcontract.MapText:
    """The words of legend, table, hover and period picker; ``{period}`` and ``{n}`` are
    filled in by the browser."""
    return {
        **{key: t(key, lang) for key in TEXT_KEYS},
        "wijk_col": pick(lang, "Wijk", "District"),
        "focus": t("focus_legend", lang),
        "of": pick(lang, "van", "of"),
        "buurten": pick(lang, "buurten", "neighbourhoods"),
        "period_latest": t("period_latest", lang, period="{period}"),
        "period_default": t("period_default", lang, period="{period}"),
        "age": t("figure_age", lang, n="{n}"),
        # MapLibre's own English words, in Dutch on a Dutch page
        "zoom_in": pick(lang, "Inzoomen", "Zoom in"),
        "zoom_out": pick(lang, "Uitzoomen", "Zoom out"),
        # the map's name and description follow a switch of indicator or level
        "map_region": t("map_region", lang, indicator="{indicator}", level="{level}"),
        "map_alt": t("map_alt", lang, indicator="{indicator}", level="{level}"),
    }


def meta_of(ind: pd.Series, lang: str) -> mapcontract.IndicatorMeta:
    """The indicator's meta with its classification method named in ``lang``."""
    method = t(f"class_method_{classification_method(ind)}", lang)
    return mapcontract.indicator_meta(ind, lang, t("class_method", lang, method=method))


def period_labels(ctx_: data.Context, lang: str) -> dict[str, str]:
    """How every period the map offers reads in ``lang``, where that differs from the period
    itself (months: ``maart 2024``); the browser labels the period picker from it."""
    found = set(ctx_.public_obs["period"].dropna().astype(str))
    labels = {p: format_period(p, lang) for p in sorted(found)}
    return {p: text for p, text in labels.items() if text != p}


def geometry_config(ctx_: data.Context) -> dict:
    """Where the browser finds the geometry (and the label points: in the tiles), what to fit,
    what is outlined."""
    minx, miny, maxx, maxy = ctx_.bounds
    basemap = settings.get("WIJKVEILIGHEID_BASEMAP")
    return {
        "geo": dict(ctx_.geojson_url),
        "tegels": tiles.tile_urls(ctx_),  # the map draws from these (dashboard/tiles.py)
        "bounds": [round(minx, 5), round(miny, 5), round(maxx, 5), round(maxy, 5)],
        "outlineZoom": {level: tiles.outline_zoom(ctx_, level) for level in LEVELS},
        "focus": list(data.FOCUS_CODES),
        "tiles": [PDOK_TILES] if basemap == "pdok" else None,
        "attribution": PDOK_ATTRIBUTION if basemap == "pdok" else None,
    }


@with_context
def layout(ctx_, **params):
    state, lang, notices = resolve_state(ctx_, params)
    changing, change_notices = changemap.resolve(ctx_, state, params, lang)
    content = html.Div(
        className="map-page",
        children=[
            html.H1(t("map_title", lang)),
            controls(ctx_, state, lang, changing.active),
            changemap.change_controls(ctx_, state, changing, lang),
            html.Div(
                className="map-layout",
                children=[
                    map_column(ctx_, state, lang),
                    html.Aside(
                        id=ids.MAP_PANEL,
                        className="side-panel",
                        **{"aria-live": "polite"},
                        children=panel(ctx_, state.area, state.level, state.indicator, lang),
                    ),
                ],
            ),
            table_section(lang),
            changemap.change_table(ctx_, state, changing, lang),
            *stores(ctx_, state, lang, changemap.view_data(ctx_, state, changing, lang)),
        ],
    )
    switch = {**url_params(state), **changestate.url_params(changing)}
    notices += change_notices
    return page(content, lang, "nav_map", switch_params=switch, notices=notices)


def url_params(state: mapstate.MapState) -> dict:
    """The URL parameters of ``state`` (the language switch keeps them)."""
    names = mapstate.URL_NAMES
    return {
        names["indicator"]: state.indicator,
        names["level"]: state.level,
        names["area"]: state.area,
        names["period"]: state.chosen_period,
        names["measure"]: state.measure if state.measure != "aantal" else None,
    }


def map_column(ctx_: data.Context, state: mapstate.MapState, lang: str) -> html.Section:
    """Heading, map canvas (drawn by kaart.js), legend, source line and the PNG button."""
    shown = maprates.shown_indicator(ctx_, state.indicator, state.level, state.measure)
    ind_label = label(maprates.rate_data(ctx_).catalogue.loc[shown], lang)
    words = {"indicator": ind_label, "level": t(f"level_{state.level}", lang).lower()}
    figure = html.Figure(
        className="map-figure",
        children=[
            html.Div(
                id=ids.MAP_CANVAS,
                className="map-canvas",
                role="region",
                **{"aria-label": t("map_region", lang, **words)},
            ),
            html.Figcaption(
                t("map_alt", lang, **words), id=ids.MAP_DESCRIPTION, className="visually-hidden"
            ),
        ],
    )
    return html.Section(
        className="map-col",
        **{"aria-labelledby": ids.MAP_HEADING},
        children=[
            html.H2(ind_label, id=ids.MAP_HEADING, className="map-heading"),
            figure,
            html.Div(
                id=ids.MAP_LEGEND,
                className="legend",
                **{"aria-label": t("legend", lang)},
                role="group",
            ),
            html.P(id=ids.MAP_SOURCE, className="source-line"),
            html.Button(
                t("map_png", lang),
                id=ids.MAP_PNG,
                type="button",
                className="button button-quiet",
            ),
        ],
    )


def stores(ctx_: data.Context, state: mapstate.MapState, lang: str, view=None) -> list:
    """The page's state in the browser: the contract's payloads and the selection (``view``:
    the view payload when not the state's own, e.g. the change mode's)."""
    return [
        dcc.Store(id=ids.MAP_AREAS, data=areas_payload(ctx_, lang)),
        dcc.Store(id=ids.MAP_LANG, data=lang),
        dcc.Store(id=ids.MAP_VIEW, data=view or view_payload(ctx_, state, lang)),
        # "" not None: no initial callback
        dcc.Store(id=ids.MAP_SELECTED, data=state.area or ""),
        dcc.Store(id=ids.MAP_PERIODS, data=period_list(ctx_, state.indicator, state.level)),
        dcc.Store(id=ids.MAP_SORT, data={"col": "area", "asc": True}),
        dcc.Store(id=ids.MAP_ZOOM_TO),
        dcc.Store(id=ids.MAP_DRAWN),
        dcc.Store(id=ids.MAP_URL_SYNC),
        dcc.Download(id=ids.MAP_DOWNLOAD),
    ]


def search_box(lang: str) -> html.Div:
    """Find a buurt or wijk by name; results are buttons that select and zoom to the area."""
    return html.Div(
        className="search-box",
        role="search",
        children=[
            html.Label(t("search_label", lang), htmlFor=ids.MAP_SEARCH),
            dcc.Input(
                id=ids.MAP_SEARCH,
                type="search",
                debounce=0.3,
                autoComplete="off",
                placeholder=t("search_placeholder", lang),
                className="search-input",
            ),
            html.Div(id=ids.MAP_SEARCH_RESULTS, **{"aria-live": "polite"}),
        ],
    )


def search_results(ctx_: data.Context, query: str | None, lang: str):
    """At most ``areasearch.SHOWN`` buttons, and how many more were found."""
    query = query if isinstance(query, str) else ""
    found = search_areas(ctx_, query, limit=None)
    hits = found[: areasearch.SHOWN]
    if not query.strip():
        return []
    if len(normalise(query)) < areasearch.MIN_LENGTH:  # "a", "'t": say why nothing is shown
        return html.P(t("search_too_short", lang, n=areasearch.MIN_LENGTH), className="small-note")
    if not hits:
        return html.P(t("search_none", lang, query=str(query)[:60]), className="small-note")
    items = [
        html.Li(
            html.Button(
                [
                    html.Strong(hit["name"]),
                    " – ",
                    t("search_wijk", lang)
                    if hit["level"] == "wijk"
                    else t("search_buurt_in", lang, wijk=hit["wijk"]),
                ],
                id={"type": ids.MAP_SEARCH_RESULT, "code": hit["code"]},
                className="link-button",
                type="button",
                n_clicks=0,
            )
        )
        for hit in hits
    ]
    more = len(found) - len(hits)
    return [
        html.P(t("search_results", lang, n=len(found)), className="visually-hidden"),
        html.Ul(items, className="search-results"),
        html.P(t("search_more", lang, n=more), className="small-note") if more else None,
    ]


def labelled_select(
    text: str, id_: str, value, options: list[dict], class_name: str, wide: bool = False, **box
) -> html.Div:
    """A native select with its visible label (keyboard and screen readers get both); ``box``:
    more properties of the surrounding Div (its id, hidden)."""
    return html.Div(
        className="control control-wide" if wide else "control",
        **box,
        children=[
            html.Label(text, htmlFor=id_),
            dbc.Select(id=id_, value=value, options=options, className=class_name),
        ],
    )


def controls(
    ctx_: data.Context, state: mapstate.MapState, lang: str, changing: bool = False
) -> html.Div:
    """Search, level, indicator and period pickers and the two display toggles (the period
    picker hidden in the change mode, where the two periods are chosen instead)."""
    return html.Div(
        className="controls",
        children=[
            search_box(lang),
            html.Fieldset(
                className="control",
                children=[
                    html.Legend(t("level", lang)),
                    dbc.RadioItems(
                        id=ids.MAP_LEVEL,
                        value=state.level,
                        inline=True,
                        className="radio-row",
                        options=[{"label": t(f"level_{lv}", lang), "value": lv} for lv in LEVELS],
                    ),
                ],
            ),
            labelled_select(
                t("indicator", lang),
                ids.MAP_INDICATOR,
                state.indicator,
                indicator_options(ctx_, state.level, lang),
                "indicator-select",
                wide=True,
            ),
            labelled_select(
                t("period_label", lang),
                ids.MAP_PERIOD,
                state.period,
                period_options(ctx_, state.indicator, state.level, lang),
                "period-select",
                id=ids.MAP_PERIOD_BOX,
                hidden=changing,
            ),
            maprates.measure_control(ctx_, state.indicator, state.level, state.measure, lang),
            html.Div(className="control", children=toggles(lang)),
        ],
    )


def toggles(lang: str) -> list:
    """The focus-wijken outline and the area names, both on at first."""
    swatch = html.Span(className="focus-swatch", **{"aria-hidden": "true"})
    focus = html.Span([swatch, t("focus_outline", lang)])
    return [
        dbc.Checklist(
            id=ids.MAP_FOCUS,
            value=["focus"],
            className="check-row",
            options=[{"label": focus, "value": "focus"}],
        ),
        dbc.Checklist(
            id=ids.MAP_LABELS,
            value=["labels"],
            className="check-row",
            options=[{"label": t("map_labels", lang), "value": "labels"}],
        ),
    ]


def table_section(lang: str) -> html.Section:
    return html.Section(
        className="table-section",
        **{"aria-labelledby": ids.MAP_TABLE_HEADING},
        children=[
            html.Div(
                className="table-header",
                children=[
                    html.H2(t("table_heading", lang), id=ids.MAP_TABLE_HEADING),
                    html.Button(
                        t("download_csv", lang), id=ids.MAP_DOWNLOAD_BUTTON, className="button"
                    ),
                ],
            ),
            scroll_region(
                t("table_scroll_region", lang),
                html.Table(
                    className="data-table",
                    children=[
                        html.Caption(id=ids.MAP_TABLE_CAPTION),
                        html.Thead(id=ids.MAP_TABLE_HEAD),
                        html.Tbody(id=ids.MAP_TABLE_BODY),
                    ],
                ),
            ),
            html.Div(id=ids.MAP_TABLE_PAGER, className="table-pager"),  # filled by kaart.js
            html.P(t("rounding_note", lang), className="small-note"),
        ],
    )


SOFT_HYPHENS = {
    "gunstiger": "gun\u00adsti\u00adger",
    "ongunstiger": "on\u00adgun\u00adsti\u00adger",
    "vergelijkbaar": "ver\u00adge\u00adlijk\u00adbaar",
}


def panel(ctx_: data.Context, code: str | None, level: str, indicator: str, lang: str):
    """The side panel of the selected area: every public figure next to Hengelo's."""
    heading = html.H2(t("panel_heading", lang))
    areas = ctx_.areas[level].set_index("code")
    if not code or code not in areas.index:
        return [heading, html.P(t("panel_hint", lang))]
    area = areas.loc[code]
    peers = list(ctx_.areas[level]["code"])
    profile = profile_index(ctx_).frame(code, level, peers)
    catalogue = ctx_.data.indicators
    coverage = area_coverage(ctx_.public_obs, code)
    rows = [
        panel_row(row, catalogue.loc[row.indicator_id], indicator, lang, coverage)
        for row in profile.itertuples()
    ]
    subtitle = panel_subtitle(area, level, code, lang)
    return [
        heading,
        html.H3(area["name"], className="panel-area"),
        html.P(subtitle, className="panel-subtitle"),
        html.A(
            t("panel_profile_link", lang),
            href=href(f"/wijk/{area['wijkcode']}", lang),
            className="button button-link",
        ),
        panel_table(rows, t("panel_heading", lang) + ": " + str(area["name"]), lang),
        html.Button(t("panel_close", lang), id=ids.MAP_CLEAR, className="button button-quiet"),
    ]


PANEL_COLUMNS = ("col_indicator", "col_value", "col_hengelo", "col_judgement")


def panel_table(rows: list, name: str, lang: str) -> html.Div:
    """The panel's rows in a compact table, in a named region that scrolls sideways. Its
    roles are explicit: on a phone the stylesheet lays the rows out as grids."""
    cells = [html.Th(t(k, lang), scope="col", role="columnheader") for k in PANEL_COLUMNS]
    head = html.Thead(html.Tr(cells, role="row"))
    table = html.Table(
        className="data-table compact", role="table", children=[head, html.Tbody(rows)]
    )
    return scroll_region(name, table)


def scroll_region(name: str, table: html.Table) -> html.Div:
    """A table in a box that scrolls sideways: focusable (the keyboard scrolls it) and a
    region of its own name (two regions named alike are not unique landmarks)."""
    return html.Div(
        className="table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": name},
        children=table,
    )


def panel_row(
    row, ind: pd.Series, indicator: str, lang: str, coverage: dict | None = None
) -> html.Tr:
    """One figure of the area: indicator (unit, period with age, derived from how many
    buurten), value, Hengelo, judgement."""
    unit, dec = ind["unit"], int(ind["decimals"])
    reference = None if pd.isna(row.reference) else row.reference
    return html.Tr(
        className="current" if row.indicator_id == indicator else None,
        role="row",
        children=[
            html.Th(
                scope="row",
                role="rowheader",
                children=[
                    label(ind, lang),
                    html.Span(
                        panel_note(row, unit, coverage or {}, lang),
                        className="cell-note",
                    ),
                ],
            ),
            html.Td(short_value(row.value, unit, dec, lang), className="num", role="cell"),
            html.Td(short_value(reference, unit, dec, lang) or "–", className="num", role="cell"),
            html.Td(
                judgement_cell(row, dec, lang),
                className=f"judgement judgement-{row.judgement}",
                role="cell",
            ),
        ],
    )


def judgement_cell(row, decimals: int, lang: str):
    """The judgement words (with the difference when better or worse), or a dash with the
    reason when there is no judgement."""
    if row.judgement == "neutral":
        return html.Span("–", title=t("judgement_neutral", lang))
    # soft hyphens: the word breaks (with a hyphen) only where the panel is too narrow
    words = t(f"judgement_short_{row.judgement}", lang)
    cell = [SOFT_HYPHENS.get(words, words)]
    if row.judgement in ("better", "worse"):
        shown = format_difference(row.value, row.reference, decimals, lang)
        cell.append(html.Span(shown, className="cell-note"))
    return cell


CHANGED = {
    f"{ids.MAP_INDICATOR}.value": "indicator",
    f"{ids.MAP_LEVEL}.value": "level",
    f"{ids.MAP_PERIOD}.value": "period",
    f"{ids.MAP_MEASURE}.value": "period",  # the same view as count or rate
}


@callback(
    Output(ids.MAP_VIEW, "data"),
    Output(ids.MAP_INDICATOR, "value"),
    Output(ids.MAP_PERIODS, "data"),
    Output(ids.MAP_PERIOD, "value"),
    Output(ids.MAP_MEASURE_BOX, "hidden"),  # the count/rate switch only where a rate exists
    Input(ids.MAP_INDICATOR, "value"),
    Input(ids.MAP_LEVEL, "value"),
    Input(ids.MAP_PERIOD, "value"),
    Input(ids.MAP_MEASURE, "value"),
    State(ids.MAP_LANG, "data"),
    State(ids.MAP_CHANGE_STATE, "data"),
    prevent_initial_call=True,
)
def switch_view(indicator, level, period, measure, lang, change_mode=None):
    """One request per switch: the inputs are three short values and the language; the answer
    is the view payload, plus the indicator and period pickers only when they change. In the
    change mode another indicator or level makes the page again for its change (changemap's
    clientside switch), so no value view is sent that could land on the new page."""
    changed = next((CHANGED[p] for p in ctx.triggered_prop_ids if p in CHANGED), "indicator")
    if changemap.stays_in_change_mode(change_mode, changed):
        raise PreventUpdate
    ctx_ = data.get_context()
    lang, _ = parse_language(lang)
    md = map_data(ctx_)
    result = mapstate.switch(md.index, md.themes, indicator, level, period, changed)
    state = result.state
    if state.indicator is None:
        raise PreventUpdate
    value_out = state.indicator if result.indicator_reset else dash.no_update
    periods_out = period_out = dash.no_update
    if changed != "period":
        periods_out = period_list(ctx_, state.indicator, state.level)
        period_out = state.period if state.period != period else dash.no_update
    elif state.period != period:
        period_out = state.period
    state = dataclasses.replace(state, measure=measure if measure == "per1000" else "aantal")
    no_rate = not maprates.has_rate(ctx_, state.indicator, state.level)
    return view_payload(ctx_, state, lang), value_out, periods_out, period_out, no_rate


@callback(
    Output(ids.MAP_PANEL, "children"),
    Input(ids.MAP_SELECTED, "data"),
    State(ids.MAP_LEVEL, "value"),
    State(ids.MAP_INDICATOR, "value"),
    State(ids.MAP_LANG, "data"),
    prevent_initial_call=True,
)
def update_panel(selected, level, indicator, lang):
    """The side panel of the area selected on the map, in the table or by search."""
    ctx_ = data.get_context()
    level = level if level in LEVELS else DEFAULT_LEVEL
    lang, _ = parse_language(lang)
    return panel(ctx_, selected if isinstance(selected, str) else None, level, indicator, lang)


@callback(
    Output(ids.MAP_DOWNLOAD, "data"),
    Input(ids.MAP_DOWNLOAD_BUTTON, "n_clicks"),
    State(ids.MAP_INDICATOR, "value"),
    State(ids.MAP_LEVEL, "value"),
    State(ids.MAP_LANG, "data"),
    State(ids.MAP_PERIOD, "value"),
    State(ids.MAP_MEASURE, "value"),
    prevent_initial_call=True,
)
def download_csv(n_clicks, indicator, level, lang, period=None, measure=None):
    """Exactly what the table shows, as CSV (semicolon-separated, decimal comma in Dutch)."""
    if not n_clicks:
        raise PreventUpdate
    ctx_ = data.get_context()
    lang, _ = parse_language(lang if isinstance(lang, str) else (lang or {}).get("lang"))
    level = level if level in LEVELS else DEFAULT_LEVEL
    if indicator not in available_indicators(ctx_, level):
        raise PreventUpdate
    frame = table_frame(ctx_, indicator, level, lang, period, measure)
    sep = pick(lang, ";", ",")  # Dutch Excel reads semicolons
    period = frame.iloc[0, 4]
    name = f"wijkveiligheid_{indicator}_{level}_{period}.csv"
    return dcc.send_string(neutralise(frame).to_csv(index=False, sep=sep), name)


def table_frame(
    ctx_: data.Context,
    indicator: str,
    level: str,
    lang: str,
    period: str | None = None,
    measure: str | None = None,
) -> pd.DataFrame:
    """The table of the map as a frame (public values only, formatted as on screen)."""
    view = build_view(ctx_, indicator, level, lang, period, measure=measure)
    ind = maprates.rate_data(ctx_).catalogue.loc[view.indicator]
    areas = ctx_.areas[level]
    legend = dict(enumerate(lbl for _, lbl in view.legend))
    columns = [
        view.codes,
        list(areas["name"]),
        list(areas["wijknaam"]),
        label(ind, lang),
        view.period,
        [v or t("no_data", lang) for v in view.formatted],
        UNIT_LABEL[ind["unit"]][lang],
        [legend.get(i, "") for i in view.class_index],
        [t(f"status_{s}", lang) for s in view.status],
        view.source_line,
    ]
    names = [pick(lang, nl, en) for nl, en in CSV_COLUMNS]
    return pd.DataFrame(dict(zip(names, columns, strict=True)))


# The CSV's column names (Dutch, English), in the order of table_frame's columns.
CSV_COLUMNS = (
    ("code", "code"),
    ("gebied", "area"),
    ("wijk", "district"),
    ("indicator", "indicator"),
    ("periode", "period"),
    ("waarde", "value"),
    ("eenheid", "unit"),
    ("klasse", "class"),
    ("status", "status"),
    ("bron", "source"),
)


# Everything below runs in the browser (assets/kaart.js): no request.
clientside_callback(
    dash.ClientsideFunction(namespace="kaart", function_name="render"),
    Output(ids.MAP_LEGEND, "children"),
    Output(ids.MAP_TABLE_CAPTION, "children"),
    Output(ids.MAP_SOURCE, "children"),
    Output(ids.MAP_HEADING, "children"),
    Input(ids.MAP_VIEW, "data"),
    Input(ids.MAP_SORT, "data"),
    Input(ids.MAP_SELECTED, "data"),
    State(ids.MAP_AREAS, "data"),
)

clientside_callback(
    dash.ClientsideFunction(namespace="kaart", function_name="draw"),
    Output(ids.MAP_DRAWN, "data"),
    Input(ids.MAP_VIEW, "data"),
    Input(ids.MAP_SELECTED, "data"),
    Input(ids.MAP_FOCUS, "value"),
    Input(ids.MAP_LABELS, "value"),
    Input(ids.MAP_ZOOM_TO, "data"),
    State(ids.MAP_AREAS, "data"),
)

clientside_callback(
    dash.ClientsideFunction(namespace="kaart", function_name="levelOptions"),
    Output(ids.MAP_INDICATOR, "options"),
    Input(ids.MAP_LEVEL, "value"),
    State(ids.MAP_AREAS, "data"),
    State(ids.MAP_SELECTED, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    dash.ClientsideFunction(namespace="kaart", function_name="periodOptions"),
    Output(ids.MAP_PERIOD, "options"),
    Input(ids.MAP_PERIODS, "data"),
    State(ids.MAP_AREAS, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    dash.ClientsideFunction(namespace="kaart", function_name="clear"),
    Output(ids.MAP_SELECTED, "data", allow_duplicate=True),
    Input(ids.MAP_CLEAR, "n_clicks"),
    prevent_initial_call=True,
)

clientside_callback(
    dash.ClientsideFunction(namespace="kaart", function_name="showPanel"),
    Output(ids.MAP_DRAWN, "data", allow_duplicate=True),
    Input(ids.MAP_PANEL, "children"),
    State(ids.MAP_SELECTED, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    dash.ClientsideFunction(namespace="kaart", function_name="syncUrl"),
    Output(ids.MAP_URL_SYNC, "data"),
    Input(ids.MAP_VIEW, "data"),
    Input(ids.MAP_SELECTED, "data"),
    State(ids.MAP_AREAS, "data"),
)


dash.register_page(__name__, path="/", title=web.map_title, name="Kaart", layout=layout)


@callback(
    Output(ids.MAP_SEARCH_RESULTS, "children"),
    Input(ids.MAP_SEARCH, "value"),
    State(ids.MAP_LANG, "data"),
    prevent_initial_call=True,
)
def find_area(query, lang):
    lang, _ = parse_language(lang)
    query = query if isinstance(query, str) else ""
    found = postcode_results(data.get_context(), query, lang)  # "7556", "7556 AB"
    return found if found is not None else search_results(data.get_context(), query, lang)


@callback(
    Output(ids.MAP_LEVEL, "value"),
    Output(ids.MAP_SELECTED, "data", allow_duplicate=True),
    Output(ids.MAP_ZOOM_TO, "data"),
    Output(ids.MAP_SEARCH_RESULTS, "children", allow_duplicate=True),
    Input({"type": ids.MAP_SEARCH_RESULT, "code": ALL}, "n_clicks"),
    State(ids.MAP_LEVEL, "value"),
    prevent_initial_call=True,
)
def go_to_area(clicks, level):
    """A search result selects its area (switching level when needed) and zooms the map."""
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not any(clicks if isinstance(clicks, list) else []):
        raise PreventUpdate
    code = trigger.get("code")
    ctx_ = data.get_context()
    target = "buurt" if str(code).startswith("BU") else "wijk"
    if code not in set(ctx_.areas[target]["code"]):
        raise PreventUpdate
    web = ctx_.data.web_buurten if target == "buurt" else ctx_.data.web_wijken
    shape = web[web["buurtcode" if target == "buurt" else "wijkcode"] == code]
    bounds = [round(float(b), 5) for b in shape.total_bounds]
    level_out = target if target != level else dash.no_update
    return level_out, code, {"code": code, "bounds": bounds}, []
