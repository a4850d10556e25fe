"""The public map (``/``): choropleth of wijken or buurten, legend, side panel and table."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import data, ids, settings, web
from dashboard.components import graph_config
from dashboard.figures import map_figure, map_patch, map_view, short_value
from dashboard.i18n import label, t
from dashboard.postcodes import postcode_results
from dashboard.profile import fit_zoom, normalise, search_areas
from dashboard.shell import href, page, parse_language, store_error_page, store_lang
from indicators import periods
from indicators.csvsafe import neutralise
from indicators.formatting import UNIT_LABEL, format_signed
from indicators.periods import format_period
from indicators.views import area_profile, indicators_with_data, latest_period

LEVELS = ("wijk", "buurt")
DEFAULT_LEVEL = "wijk"
DEFAULT_INDICATOR = "misdrijf_diefstal_woning"
STATUS_KEYS = ("derived", "insufficient_coverage", "secret", "suppressed", "missing", "published")


def resolve_state(ctx_: data.Context, params: dict) -> tuple[dict, list[str]]:
    """The map state from URL parameters; unknown values fall back to defaults with a notice."""
    lang, notice = parse_language(params.get("taal"))
    notices = [notice] if notice else []
    level = params.get("niveau") or DEFAULT_LEVEL
    if level not in LEVELS:
        notices.append(t("notice_unknown_level", lang, value=str(level)[:40]))
        level = DEFAULT_LEVEL
    available = available_indicators(ctx_, level)
    indicator = params.get("indicator") or DEFAULT_INDICATOR
    if indicator not in available:
        fallback = DEFAULT_INDICATOR if DEFAULT_INDICATOR in available else available[0]
        if params.get("indicator"):
            notices.append(
                t(
                    "notice_unknown_indicator",
                    lang,
                    value=str(indicator)[:60],
                    default=label(ctx_.data.indicators.loc[fallback], lang),
                )
            )
        indicator = fallback
    area = params.get("gebied") or None
    if area and area not in set(ctx_.areas[level]["code"]):
        notices.append(t("notice_unknown_area", lang, value=str(area)[:40]))
        area = None
    period = params.get("periode") or None
    if period and period not in available_periods(ctx_, indicator, level):
        default = latest_period(ctx_.public_obs, indicator, level)
        notices.append(
            t(
                "notice_unknown_period",
                lang,
                value=str(period)[:20],
                default=format_period(default, lang),
            )
        )
        period = None
    state = {"lang": lang, "level": level, "indicator": indicator, "area": area}
    return state | {"period": period}, notices


def available_periods(ctx_: data.Context, indicator: str, level: str) -> list[str]:
    """Periods with public values (or values suppressed for privacy) at ``level``, newest
    first."""
    obs = ctx_.public_obs
    shown = obs["value"].notna() | (obs["status"] == "suppressed")
    rows = obs[(obs["indicator_id"] == indicator) & (obs["level"] == level) & shown]
    return sorted(set(rows["period"]), key=periods.sort_key, reverse=True)


def period_list(ctx_: data.Context, indicator: str, level: str) -> list:
    """What the browser needs to build the period picker: ``[periods newest first, index of
    the default]`` (kaart.js formats the labels, so a switch sends a few bytes)."""
    found = available_periods(ctx_, indicator, level)
    default = latest_period(ctx_.public_obs, indicator, level)
    return [found, found.index(default) if default in found else 0]


def period_options(ctx_: data.Context, indicator: str, level: str, lang: str) -> list[dict]:
    """The period picker: the default (latest well-covered) period marked, newest first."""
    default = latest_period(ctx_.public_obs, indicator, level)
    return [
        {
            "label": t("period_latest", lang, period=format_period(p, lang))
            if p == default
            else format_period(p, lang),
            "value": p,
        }
        for p in available_periods(ctx_, indicator, level)
    ]


def available_indicators(ctx_: data.Context, level: str) -> list[str]:
    """Public indicators with data at ``level``, in catalogue order."""
    return indicators_with_data(ctx_.public_obs, ctx_.data.indicators, level)


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
    titles = dict(
        zip(themes["slug"], themes["title_en" if lang == "en" else "title_nl"], strict=True)
    )
    titles["context"] = t("theme_context", lang)
    return titles


def build_view(
    ctx_: data.Context, indicator: str, level: str, lang: str, period: str | None = None
):
    """The map view; a ``period`` without data for this indicator and level means the
    default period."""
    codes = list(ctx_.areas[level]["code"])
    if period and period not in available_periods(ctx_, indicator, level):
        period = None
    obs, catalogue, sources = ctx_.public_obs, ctx_.data.indicators, ctx_.data.sources
    return map_view(obs, catalogue, sources, indicator, level, codes, lang, period)


def areas_payload(ctx_: data.Context, lang: str) -> dict:
    """Static data for the browser: area names per level and the words the table needs."""
    payload = {
        level: {
            "codes": list(frame["code"]),
            "names": list(frame["name"]),
            "wijk": list(frame["wijknaam"]),
        }
        for level, frame in ctx_.areas.items()
    }
    payload["lang"] = lang
    payload["text"] = {
        key: t(key, lang)
        for key in (
            "col_area",
            "col_value",
            "col_class",
            "col_note",
            "no_data",
            "legend_darker",
            "legend_darker_neutral",
            "level_wijk",
            "level_buurt",
        )
    }
    payload["text"]["wijk_col"] = "Wijk" if lang == "nl" else "District"
    payload["text"]["focus"] = t("focus_legend", lang)
    payload["text"]["of"] = "van" if lang == "nl" else "of"
    payload["text"]["buurten"] = "buurten" if lang == "nl" else "neighbourhoods"
    payload["text"]["period_latest"] = t("period_latest", lang, period="{period}")
    payload["status"] = {key: t(f"status_{key}", lang) for key in STATUS_KEYS}
    public = ctx_.data.indicators[ctx_.data.indicators["public"].astype(bool)]
    payload["labels"] = {i: label(row, lang) for i, row in public.iterrows()}
    return payload


def layout(**params):
    try:
        ctx_ = data.get_context()
    except Exception as exc:  # the store is missing or broken: say so, never a traceback
        return store_error_page(exc, params)
    state, notices = resolve_state(ctx_, params)
    lang, level, indicator = state["lang"], state["level"], state["indicator"]
    view = build_view(ctx_, indicator, level, lang, state["period"])
    figure = map_figure(
        ctx_.geojson_url,
        ctx_.areas,
        view,
        ctx_.centre,
        data.FOCUS_CODES,
        selected=state["area"],
        basemap=settings.get("WIJKVEILIGHEID_BASEMAP"),
        lang=lang,
    )
    ind_label = label(ctx_.data.indicators.loc[indicator], lang)
    content = html.Div(
        className="map-page",
        children=[
            html.H1(t("map_title", lang)),
            controls(ctx_, state),
            html.Div(
                className="map-layout",
                children=[
                    html.Section(
                        className="map-col",
                        **{"aria-labelledby": "map-heading"},
                        children=[
                            html.H2(ind_label, id="map-heading", className="map-heading"),
                            html.Figure(
                                className="map-figure",
                                children=[
                                    dcc.Graph(
                                        id=ids.MAP_GRAPH,
                                        figure=figure,
                                        className="map-graph",
                                        config=graph_config(
                                            lang, "wijkveiligheid-kaart", scrollZoom=True
                                        ),
                                    ),
                                    html.Figcaption(
                                        t(
                                            "map_alt",
                                            lang,
                                            indicator=ind_label,
                                            level=t(f"level_{level}", lang).lower(),
                                        ),
                                        id=ids.MAP_DESCRIPTION,
                                        className="visually-hidden",
                                    ),
                                ],
                            ),
                            html.Div(
                                id=ids.MAP_LEGEND,
                                className="legend",
                                **{"aria-label": t("legend", lang)},
                                role="group",
                            ),
                            html.P(view.source_line, id=ids.MAP_SOURCE, className="source-line"),
                        ],
                    ),
                    html.Aside(
                        id=ids.MAP_PANEL,
                        className="side-panel",
                        **{"aria-live": "polite"},
                        children=panel(ctx_, state["area"], level, indicator, lang),
                    ),
                ],
            ),
            table_section(lang),
            dcc.Store(id=ids.MAP_AREAS, data=areas_payload(ctx_, lang)),
            dcc.Store(id=ids.MAP_SELECTED, data=state["area"]),
            dcc.Store(
                id=ids.MAP_PERIODS, data=period_list(ctx_, state["indicator"], state["level"])
            ),
            dcc.Store(id=ids.MAP_SORT, data={"col": "area", "asc": True}),
            dcc.Store(id=ids.MAP_URL_SYNC),
            dcc.Download(id=ids.MAP_DOWNLOAD),
        ],
    )
    switch = {
        "indicator": indicator,
        "niveau": level,
        "gebied": state["area"],
        "periode": state["period"],
    }
    return page(content, lang, "nav_map", switch_params=switch, notices=notices)


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
    query = query if isinstance(query, str) else ""
    hits = search_areas(ctx_, query)
    if not (query or "").strip() or len(normalise(query or "")) < 2:
        return []
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
    return [
        html.P(t("search_results", lang, n=len(hits)), className="visually-hidden"),
        html.Ul(items, className="search-results"),
    ]


def labelled_select(
    text: str, id_: str, value, options: list[dict], class_name: str, wide: bool = False
) -> html.Div:
    """A native select with its visible label (keyboard and screen readers get both)."""
    return html.Div(
        className="control control-wide" if wide else "control",
        children=[
            html.Label(text, htmlFor=id_),
            dbc.Select(id=id_, value=value, options=options, className=class_name),
        ],
    )


def controls(ctx_: data.Context, state: dict) -> html.Div:
    lang = state["lang"]
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
                        value=state["level"],
                        inline=True,
                        className="radio-row",
                        options=[{"label": t(f"level_{lv}", lang), "value": lv} for lv in LEVELS],
                    ),
                ],
            ),
            labelled_select(
                t("indicator", lang),
                ids.MAP_INDICATOR,
                state["indicator"],
                indicator_options(ctx_, state["level"], lang),
                "indicator-select",
                wide=True,
            ),
            labelled_select(
                t("period_label", lang),
                ids.MAP_PERIOD,
                state["period"]
                or latest_period(ctx_.public_obs, state["indicator"], state["level"]),
                period_options(ctx_, state["indicator"], state["level"], lang),
                "period-select",
            ),
            html.Div(
                className="control",
                children=[
                    dbc.Checklist(
                        id=ids.MAP_FOCUS,
                        value=["focus"],
                        className="check-row",
                        options=[
                            {
                                "label": html.Span(
                                    [
                                        html.Span(
                                            className="focus-swatch", **{"aria-hidden": "true"}
                                        ),
                                        t("focus_outline", lang),
                                    ]
                                ),
                                "value": "focus",
                            }
                        ],
                    ),
                ],
            ),
        ],
    )


def table_section(lang: str) -> html.Section:
    return html.Section(
        className="table-section",
        **{"aria-labelledby": "table-heading"},
        children=[
            html.Div(
                className="table-header",
                children=[
                    html.H2(t("table_heading", lang), id="table-heading"),
                    html.Button(
                        t("download_csv", lang), id=ids.MAP_DOWNLOAD_BUTTON, className="button"
                    ),
                ],
            ),
            html.Div(
                className="table-scroll",
                tabIndex="0",
                role="region",
                # a name of its own: two regions named by one heading are not unique landmarks
                **{"aria-label": t("table_scroll_region", lang)},
                children=html.Table(
                    className="data-table",
                    children=[
                        html.Caption(id=ids.MAP_TABLE_CAPTION),
                        html.Thead(id=ids.MAP_TABLE_HEAD),
                        html.Tbody(id=ids.MAP_TABLE_BODY),
                    ],
                ),
            ),
            html.P(t("rounding_note", lang), className="small-note"),
        ],
    )


def panel(ctx_: data.Context, code: str | None, level: str, indicator: str, lang: str):
    """The side panel of the selected area: every public figure next to Hengelo's."""
    heading = html.H2(t("panel_heading", lang))
    if not code:
        return [heading, html.P(t("panel_hint", lang))]
    areas = ctx_.areas[level].set_index("code")
    if code not in areas.index:
        return [heading, html.P(t("panel_hint", lang))]
    area = areas.loc[code]
    peers = list(ctx_.areas[level]["code"])
    profile = area_profile(ctx_.public_obs, ctx_.data.indicators, code, level, peers)
    catalogue = ctx_.data.indicators
    rows = []
    for row in profile.itertuples():
        ind = catalogue.loc[row.indicator_id]
        unit, dec = ind["unit"], int(ind["decimals"])
        judgement = [t(f"judgement_short_{row.judgement}", lang)]
        if row.judgement in ("better", "worse"):
            judgement.append(
                html.Span(format_signed(row.difference, dec, lang), className="cell-note")
            )
        if row.judgement == "neutral":
            judgement = html.Span("–", title=t("judgement_neutral", lang))
        rows.append(
            html.Tr(
                className="current" if row.indicator_id == indicator else None,
                children=[
                    html.Th(
                        scope="row",
                        children=[
                            label(ind, lang),
                            html.Span(
                                f"{UNIT_LABEL[unit][lang]} · {format_period(row.period, lang)}",
                                className="cell-note",
                            ),
                        ],
                    ),
                    html.Td(short_value(row.value, unit, dec, lang), className="num"),
                    html.Td(
                        short_value(
                            None if pd.isna(row.reference) else row.reference, unit, dec, lang
                        )
                        or "–",
                        className="num",
                    ),
                    html.Td(judgement, className=f"judgement judgement-{row.judgement}"),
                ],
            )
        )
    subtitle = t("panel_in_wijk", lang, wijk=area["wijknaam"]) if level == "buurt" else code
    wijk_code = area["wijkcode"]
    children = [
        heading,
        html.H3(area["name"], className="panel-area"),
        html.P(subtitle, className="panel-subtitle"),
        html.A(
            t("panel_profile_link", lang),
            href=href(f"/wijk/{wijk_code}", lang),
            className="button button-link",
        ),
        html.Div(
            className="table-scroll",
            tabIndex="0",
            role="region",
            **{"aria-label": t("panel_heading", lang) + ": " + str(area["name"])},
            children=html.Table(
                className="data-table compact",
                children=[
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(t(k, lang), scope="col")
                                for k in (
                                    "col_indicator",
                                    "col_value",
                                    "col_hengelo",
                                    "col_judgement",
                                )
                            ]
                        )
                    ),
                    html.Tbody(rows),
                ],
            ),
        ),
        html.Button(t("panel_close", lang), id=ids.MAP_CLEAR, className="button button-quiet"),
    ]
    return children


@callback(
    Output(ids.MAP_GRAPH, "figure"),
    Output(ids.MAP_INDICATOR, "options"),
    Output(ids.MAP_INDICATOR, "value"),
    Output(ids.MAP_SELECTED, "data", allow_duplicate=True),
    Output(ids.MAP_PERIODS, "data"),
    Output(ids.MAP_PERIOD, "value"),
    Input(ids.MAP_INDICATOR, "value"),
    Input(ids.MAP_LEVEL, "value"),
    Input(ids.MAP_FOCUS, "value"),
    Input(ids.MAP_SELECTED, "data"),
    Input(ids.MAP_PERIOD, "value"),
    State(ids.MAP_AREAS, "data"),
    State(ids.MAP_PERIODS, "data"),
    prevent_initial_call=True,
)
def update_map(indicator, level, focus, selected, period, areas, shown_periods=None):
    """Send only what changed: one Patch of values, colours and texts (no geometry)."""
    ctx_ = data.get_context()
    lang = store_lang(areas)
    selected = selected if isinstance(selected, str) else None
    trigger = ctx.triggered_id
    if trigger == ids.MAP_FOCUS:
        patch = dash.Patch()
        patch["data"][4]["visible"] = "focus" in (focus if isinstance(focus, list) else [])
        return patch, *[dash.no_update] * 5
    level = level if level in LEVELS else DEFAULT_LEVEL
    triggered = set(ctx.triggered_prop_ids)
    level_changed = f"{ids.MAP_LEVEL}.value" in triggered
    available = available_indicators(ctx_, level)
    options = indicator_options(ctx_, level, lang) if level_changed else dash.no_update
    value_out = dash.no_update
    if indicator not in available:
        indicator = DEFAULT_INDICATOR if DEFAULT_INDICATOR in available else available[0]
        value_out = indicator
    selected_out = dash.no_update
    if selected is not None and selected not in set(ctx_.areas[level]["code"]):
        selected, selected_out = None, None
    # another indicator or level starts at its own default period
    period_options_out = period_out = dash.no_update
    if triggered & {f"{ids.MAP_INDICATOR}.value", f"{ids.MAP_LEVEL}.value"}:
        new_options = period_list(ctx_, indicator, level)
        default = latest_period(ctx_.public_obs, indicator, level)
        # send the picker only what changed (most indicators share their periods)
        period_options_out = new_options if new_options != shown_periods else dash.no_update
        period_out = default if default != period else dash.no_update
        period = None
    elif period not in available_periods(ctx_, indicator, level):
        period, period_out = None, latest_period(ctx_.public_obs, indicator, level)
    view = build_view(ctx_, indicator, level, lang, period)
    patch = map_patch(
        view,
        level_changed=level_changed,
        selected=selected,
        selection_changed=f"{ids.MAP_SELECTED}.data" in triggered or selected_out is None,
        values_changed=triggered != {f"{ids.MAP_SELECTED}.data"},
    )
    return patch, options, value_out, selected_out, period_options_out, period_out


@callback(
    Output(ids.MAP_SELECTED, "data"),
    Input(ids.MAP_GRAPH, "clickData"),
    Input({"type": ids.MAP_AREA_BUTTON, "code": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def select_area(click, _clicks):
    """A click on the map or on an area name in the table selects that area."""
    trigger = ctx.triggered_id
    if trigger == ids.MAP_GRAPH:
        points = (click or {}).get("points") or []
        if not points or "location" not in points[0]:
            raise PreventUpdate
        return points[0]["location"]
    if isinstance(trigger, dict) and ctx.triggered and ctx.triggered[0]["value"]:
        return trigger["code"]
    raise PreventUpdate


@callback(
    Output(ids.MAP_SELECTED, "data", allow_duplicate=True),
    Input(ids.MAP_CLEAR, "n_clicks"),
    prevent_initial_call=True,
)
def clear_selection(n_clicks):
    if not n_clicks:
        raise PreventUpdate
    return None


@callback(
    Output(ids.MAP_PANEL, "children"),
    Input(ids.MAP_SELECTED, "data"),
    State(ids.MAP_LEVEL, "value"),
    State(ids.MAP_INDICATOR, "value"),
    State(ids.MAP_AREAS, "data"),
    prevent_initial_call=True,
)
def update_panel(selected, level, indicator, areas):
    ctx_ = data.get_context()
    level = level if level in LEVELS else DEFAULT_LEVEL
    selected = selected if isinstance(selected, str) else None
    return panel(ctx_, selected, level, indicator, store_lang(areas))


@callback(
    Output(ids.MAP_DOWNLOAD, "data"),
    Input(ids.MAP_DOWNLOAD_BUTTON, "n_clicks"),
    State(ids.MAP_INDICATOR, "value"),
    State(ids.MAP_LEVEL, "value"),
    State(ids.MAP_AREAS, "data"),
    State(ids.MAP_PERIOD, "value"),
    prevent_initial_call=True,
)
def download_csv(n_clicks, indicator, level, areas, period=None):
    """Exactly what the table shows, as CSV (semicolon-separated, decimal comma in Dutch)."""
    if not n_clicks:
        raise PreventUpdate
    ctx_ = data.get_context()
    lang = store_lang(areas)
    level = level if level in LEVELS else DEFAULT_LEVEL
    if indicator not in available_indicators(ctx_, level):
        raise PreventUpdate
    frame = table_frame(ctx_, indicator, level, lang, period)
    sep = ";" if lang == "nl" else ","
    period = frame.iloc[0, 4]
    name = f"wijkveiligheid_{indicator}_{level}_{period}.csv"
    return dcc.send_string(neutralise(frame).to_csv(index=False, sep=sep), name)


def table_frame(
    ctx_: data.Context, indicator: str, level: str, lang: str, period: str | None = None
) -> pd.DataFrame:
    """The table of the map as a frame (public values only, formatted as on screen)."""
    view = build_view(ctx_, indicator, level, lang, period)
    ind = ctx_.data.indicators.loc[indicator]
    areas = ctx_.areas[level]
    legend = dict(enumerate(lbl for _, lbl in view.legend))
    return pd.DataFrame(
        {
            "code": view.codes,
            "gebied" if lang == "nl" else "area": list(areas["name"]),
            "wijk" if lang == "nl" else "district": list(areas["wijknaam"]),
            "indicator": label(ind, lang),
            "periode" if lang == "nl" else "period": view.period,
            "waarde" if lang == "nl" else "value": [
                v or t("no_data", lang) for v in view.formatted
            ],
            "eenheid" if lang == "nl" else "unit": UNIT_LABEL[ind["unit"]][lang],
            "klasse" if lang == "nl" else "class": [legend.get(i, "") for i in view.class_index],
            "status": [t(f"status_{s}", lang) for s in view.status],
            "bron" if lang == "nl" else "source": view.source_line,
        }
    )


clientside_callback(
    dash.ClientsideFunction(namespace="kaart", function_name="render"),
    Output(ids.MAP_LEGEND, "children"),
    Output(ids.MAP_TABLE_HEAD, "children"),
    Output(ids.MAP_TABLE_BODY, "children"),
    Output(ids.MAP_TABLE_CAPTION, "children"),
    Output(ids.MAP_SOURCE, "children"),
    Output("map-heading", "children"),
    Input(ids.MAP_GRAPH, "figure"),
    Input(ids.MAP_SORT, "data"),
    Input(ids.MAP_SELECTED, "data"),
    State(ids.MAP_AREAS, "data"),
)

clientside_callback(
    dash.ClientsideFunction(namespace="kaart", function_name="periodOptions"),
    Output(ids.MAP_PERIOD, "options"),
    Input(ids.MAP_PERIODS, "data"),
    State(ids.MAP_AREAS, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    dash.ClientsideFunction(namespace="kaart", function_name="sort"),
    Output(ids.MAP_SORT, "data"),
    Input({"type": ids.MAP_SORT_BUTTON, "col": ALL}, "n_clicks"),
    State(ids.MAP_SORT, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    dash.ClientsideFunction(namespace="kaart", function_name="syncUrl"),
    Output(ids.MAP_URL_SYNC, "data"),
    Input(ids.MAP_GRAPH, "figure"),
    Input(ids.MAP_SELECTED, "data"),
    State(ids.MAP_AREAS, "data"),
)


dash.register_page(__name__, path="/", title=web.map_title, name="Kaart", layout=layout)


@callback(
    Output(ids.MAP_SEARCH_RESULTS, "children"),
    Input(ids.MAP_SEARCH, "value"),
    State(ids.MAP_AREAS, "data"),
    prevent_initial_call=True,
)
def find_area(query, areas):
    lang = store_lang(areas)
    found = postcode_results(data.get_context(), query, lang)  # "7556", "7556 AB"
    return found if found is not None else search_results(data.get_context(), query, lang)


@callback(
    Output(ids.MAP_LEVEL, "value"),
    Output(ids.MAP_SELECTED, "data", allow_duplicate=True),
    Output(ids.MAP_GRAPH, "figure", allow_duplicate=True),
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
    minx, miny, maxx, maxy = shape.total_bounds
    patch = dash.Patch()
    patch["layout"]["map"]["center"] = {
        "lon": round((minx + maxx) / 2, 5),
        "lat": round((miny + maxy) / 2, 5),
    }
    # fitted for a phone-sized map; on a wide screen this shows some surroundings as well
    patch["layout"]["map"]["zoom"] = min(fit_zoom(shape.total_bounds, 340, 360), 14)
    patch["layout"]["uirevision"] = f"map-{code}"
    level_out = target if target != level else dash.no_update
    return level_out, code, patch, []
