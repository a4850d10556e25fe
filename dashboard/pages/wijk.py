"""Wijk profile (``/wijk/<code>`` or ``/wijk/<naam>``) for the district coordinator."""

from __future__ import annotations

from datetime import date

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard import data, ids, pagerates, web, wijkmap
from dashboard.buurtfocus import buurt_notice, chosen_buurt_section, resolve_area
from dashboard.changeblock import wijk_change_section
from dashboard.components import (
    breadcrumbs,
    graph_config,
    indicator_picker,
    legend,
    simple_table,
    status_badge,
)
from dashboard.feeds import wijk_feed_link
from dashboard.figdicts import trend_figure
from dashboard.figures import short_value
from dashboard.i18n import label, pick, t
from dashboard.kpitext import kpi_scope_text
from dashboard.namechoice import area_choices, choice_page
from dashboard.pagerates import Measured, measured
from dashboard.profile import FIGURE_COLUMNS, resolve_wijk, wijk_index, wijk_profile
from dashboard.shell import href, not_found_page, page, parse_language, with_context
from geodata.gemeente import GEMEENTE
from indicators.age import format_day, format_period_age
from indicators.catalogue import comparable
from indicators.formatting import UNIT_LABEL, format_difference, format_number, is_missing
from indicators.periods import format_period

PREFIX = "wijk"
DEFAULT_INDICATOR = "misdrijf_diefstal_woning"
MEASURE = f"{PREFIX}-maat"  # the count/rate radio group (?maat=)
PARAMS = {"taal", "indicator", "maat"}  # a page of only these is kept per data version


def buurt_indicators(ctx: data.Context, buurt_codes: list[str], measure="aantal") -> list[str]:
    """Public indicators with at least one buurt value in this wijk (rate keys for the
    counts that have a rate under ``per1000``)."""
    shown = measured(ctx, measure)
    obs = shown.obs
    rows = obs[obs["area_code"].isin(buurt_codes) & obs["value"].notna()]
    present = set(rows["indicator_id"])
    return [i for i in shown.catalogue.index if i in present]


def profile_map(ctx: data.Context, code: str, indicator: str, lang: str, measure="aantal"):
    """(SVG map, MapView) of the wijk's buurten by ``indicator`` (dashboard/wijkmap.py)."""
    return wijkmap.buurt_map(ctx, code, indicator, lang, measure)


def not_found(ctx: data.Context, key: str, lang: str):
    """An unknown wijk: says so and lists the wijken."""
    links = [
        (f"{row.name} ({row.code})", f"/wijk/{row.slug}") for row in wijk_index(ctx).itertuples()
    ]
    return not_found_page("wijk", key, links, lang, "nav_map")


@with_context
def layout(ctx, code=None, **params):
    """The wijk page, built once per data version for each wijk, language and indicator
    (the same for every visitor)."""
    if set(params) <= PARAMS:
        key = ("wijk_page", code, *(params.get(k) for k in sorted(PARAMS)))
        return ctx.once(key, lambda: _layout(ctx, code, **params))
    return _layout(ctx, code, **params)


def cached_profile(ctx, wijk: str, measure: str = "aantal"):
    """The wijk's profile for ``measure``, once per data version."""
    return ctx.once(("wijk_profile", wijk, measure), lambda: wijk_profile(ctx, wijk, measure))


def page_has_rates(ctx, profile) -> bool:
    """Whether a figure of the (count) ``profile`` can be shown per 1,000 inhabitants."""
    shown = list(profile.figures.get("indicator_id", [])) + list(profile.trends)
    shown += list(profile.buurt_table.get("indicator_id", []))
    return pagerates.has_rates(ctx, shown)


def _layout(ctx, code=None, **params):
    lang, notice = parse_language(params.get("taal"))
    wijk, buurt = resolve_area(ctx, code, params.get("buurt"))
    if wijk is None:
        choices = area_choices(ctx, code)
        if choices:
            return choice_page(ctx, code, choices, lang, f"/wijk/{code}")
        return not_found(ctx, code, lang)
    counts = cached_profile(ctx, wijk)
    with_rates = page_has_rates(ctx, counts)
    measure, measure_notice = pagerates.resolve_measure(params.get("maat"), with_rates, lang)
    shown = measured(ctx, measure)
    profile = cached_profile(ctx, wijk, measure)
    options = buurt_indicators(ctx, list(profile.buurten["code"]), measure)
    wanted = params.get("indicator")
    wanted = pagerates.shown_key(wanted, measure, shown.catalogue) if wanted else None
    indicator, indicator_notice = chosen_indicator(shown, wanted, options, lang)
    area_notice = buurt_notice(ctx, wijk, params.get("buurt"), buurt, lang)
    content = html.Div(
        className="profile",
        children=[
            breadcrumbs(
                [
                    (t("nav_map", lang), "/"),
                    (t("wijken", lang), "/?niveau=wijk"),
                    (profile.name, None),
                ],
                lang,
            ),
            profile_head(profile, lang),
            measure_block(ctx, profile, measure, with_rates, lang),
            wijk_change_section(ctx, counts, lang),
            wijk_feed_link(profile, lang),  # Atom feed of its changes (issue 18 A2)
            chosen_buurt_section(ctx, profile, buurt, indicator, lang, shown),
            focus_section(profile, lang),
            map_section(ctx, profile, indicator, options, lang, shown),
            figures_section(ctx, profile, lang, shown),
            buurt_section(ctx, profile, wijk, indicator, lang, shown),
            trend_section(ctx, profile, lang, shown),
            themes_section(profile, lang),
            sources_section(profile, lang),
            dcc.Store(id=f"{PREFIX}-code", data={"code": wijk, "lang": lang, "maat": measure}),
            html.Div(id=f"{PREFIX}-print-done", hidden=True),
            html.Div(id=f"{PREFIX}-maat-focus", hidden=True),
        ],
    )
    switch = {"indicator": pagerates.url_key(indicator), "buurt": buurt}
    return page(
        content,
        lang,
        "nav_map",
        notices=[n for n in (notice, measure_notice, indicator_notice, area_notice) if n],
        path=f"/wijk/{profile.slug}",
        switch_params=pagerates.with_measure(switch, measure),
    )


def measure_block(ctx, profile, measure: str, with_rates: bool, lang: str) -> html.Div:
    """The count/rate switch (only where a figure has a rate) and a link to compare this
    wijk that keeps the measure."""
    link = href("/vergelijk", lang, **pagerates.with_measure({"gebieden": profile.code}, measure))
    return html.Div(
        className="measure-block",
        children=[
            pagerates.measure_control(ctx, MEASURE, measure, lang, hidden=not with_rates),
            html.P(
                html.A(t("toggle_compare_link", lang, name=profile.name), href=link),
                className="no-print",
            ),
        ],
    )


def chosen_indicator(shown: Measured, wanted, options, lang: str) -> tuple[str, str | None]:
    """The map's indicator: ``wanted`` when the buurten have it, else the default (with a
    notice when something else was asked for)."""
    if wanted in options:
        return wanted, None
    notice = None
    if wanted:
        default = label(shown.catalogue.loc[DEFAULT_INDICATOR], lang)
        notice = t("notice_unknown_indicator", lang, value=str(wanted)[:60], default=default)
    return (DEFAULT_INDICATOR if DEFAULT_INDICATOR in options else options[0]), notice


def profile_head(profile, lang: str) -> html.Div:
    """Title, code, number of buurten, focus badge, print date and the print/PDF buttons."""
    today = format_day(date.today(), lang)
    focus = html.Span(t("focus_badge", lang), className="badge badge-focus")
    meta = [f"{profile.code} · {len(profile.buurten)} {t('buurten_word', lang)}"]
    return html.Div(
        className="profile-head",
        children=[
            html.Div(
                [
                    html.H1(t("wijk_title", lang, name=profile.name)),
                    html.P(meta + [focus if profile.focus else None], className="profile-meta"),
                    html.P(t("profile_date", lang, date=today), className="small-note print-only"),
                ]
            ),
            html.Div(
                className="profile-actions",
                children=[
                    html.Button(
                        t("print", lang), id=f"{PREFIX}-print", className="button", n_clicks=0
                    ),
                    html.A(
                        t("download_pdf", lang),
                        className="button",
                        href=href(f"/wijk/{profile.code}/profiel.pdf", lang),
                    ),
                ],
            ),
        ],
    )


def map_section(ctx, profile, indicator: str, options, lang: str, shown) -> html.Section:
    """The map of the wijk's buurten by ``indicator``, its picker, caption and legend."""
    fig, view = profile_map(ctx, profile.code, indicator, lang, shown.measure)
    catalogue = shown.catalogue
    picker = indicator_picker(
        f"{PREFIX}-indicator", indicator, options, catalogue, lang, "no-print"
    )
    return html.Section(
        className="profile-map",
        **{"aria-labelledby": "wijk-map-heading"},
        children=[
            html.H2(t("wijk_map_heading", lang), id="wijk-map-heading"),
            picker,
            html.Figure(
                className="map-figure",
                children=[
                    *wijkmap.map_components(fig),
                    html.Figcaption(
                        id=f"{PREFIX}-map-caption",
                        children=map_caption(shown, indicator, profile.name, view, lang),
                        className="small-note",
                    ),
                ],
            ),
            html.Div(id=f"{PREFIX}-legend", className="legend", children=legend(view, lang)),
        ],
    )


def map_caption(shown, indicator, name, view, lang):
    return t(
        "wijk_map_caption",
        lang,
        indicator=label(shown.catalogue.loc[indicator], lang).rstrip("."),  # "e.d."
        name=name,
        source=view.source_line.rstrip("."),
    )


def focus_section(profile, lang):
    if not profile.focus:
        return None
    focus = profile.focus
    return html.Section(
        className="profile-focus",
        **{"aria-labelledby": "focus-heading"},
        children=[
            html.H2(t("aandachtspunten", lang), id="focus-heading"),
            html.P(t("focus_not_listed", lang), className="focus-note")
            if not focus.get("listed_by_document", True)
            else None,
            html.Ul([html.Li(point) for point in focus["aandachtspunten"]], **dutch(lang)),
            html.P(
                f"{t('source', lang)}: {focus['source']} ({focus['year']})", className="small-note"
            ),
        ],
    )


def judgement_note(row, lang: str) -> str | None:
    """How the judgement weighed chance (or that it did not)."""
    if row.judgement == "neutral":
        return None
    if row.method == "poisson":
        population = format_number(row.population, 0, lang)
        key = (
            "judgement_method_poisson_strong" if row.level == "99.8" else "judgement_method_poisson"
        )
        return t(key, lang, population=population)
    if row.method == "margin":
        return t("judgement_method_margin", lang)
    return t("judgement_method_none", lang)


def judgement_cell(row, lang: str) -> html.Span:
    """The judgement against Hengelo in words, with how chance was weighed."""
    note = judgement_note(row, lang)
    return html.Span(
        [
            html.Span(t(f"judgement_{row.judgement}", lang)),
            html.Span(note, className="cell-note") if note else None,
        ],
        className=f"judgement-{row.judgement}",
    )


def figure_source(ctx, row, lang: str) -> str:
    """The source cell of a figure; a rate adds where its inhabitants come from."""
    source = ctx.data.sources.loc[row.source_id, "attribution"].removeprefix("Bron: ")
    notes = [t("status_derived", lang)] if row.status == "derived" else []
    if pagerates.is_rate(row.indicator_id):
        base = pagerates.base_source_of(ctx, row.area_code, row.indicator_id, row.period)
        notes += [t("toggle_inhabitants_source", lang, sources=base)] if base else []
    return " · ".join([source, *notes])


def figures_section(ctx, profile, lang, shown):
    rows = []
    for row in profile.figures.assign(area_code=profile.code).itertuples():
        unit, dec = row.unit, int(row.decimals)
        judged = judgement_cell(row, lang)
        rank = (
            t("rank_of", lang, rank=int(row.rank), n=int(row.n_ranked))
            if row.rank and not pd.isna(row.rank)
            else "–"
        )
        value = short_value(None if is_missing(row.value) else row.value, unit, dec, lang)
        rows.append(
            [
                html.Span(
                    [
                        pick(lang, row.label_nl, row.label_en),
                        html.Span(UNIT_LABEL[unit][lang], className="cell-note"),
                    ]
                ),
                value
                or pagerates.missing_cell(
                    shown, profile.code, row.indicator_id, row.period, lang, "–"
                ),
                short_value(None if is_missing(row.reference) else row.reference, unit, dec, lang)
                or "–",
                (
                    format_difference(row.value, row.reference, dec, lang)
                    if not is_missing(row.difference)
                    else "–"
                ),
                judged,
                rank,
                format_period_age(row.period, date.today(), lang),
                figure_source(ctx, row, lang),
            ]
        )
    header = [t(k, lang) for k in (*FIGURE_COLUMNS, "col_source")]
    return html.Section(
        **{"aria-labelledby": "figures-heading"},
        children=[
            html.H2(t("wijk_figures_heading", lang), id="figures-heading"),
            html.P(t("rank_explained", lang), className="small-note"),
            html.P(t("judgement_explained", lang), className="small-note"),
            simple_table(header, rows, numeric={1, 2, 3, 5}, lang=lang),
        ],
    )


def buurt_section(ctx, profile, wijk, indicator, lang, shown):
    table = profile.buurt_table
    names = dict(zip(profile.buurten["code"], profile.buurten["name"], strict=True))
    codes = list(profile.buurten["code"])
    on_map = pagerates.with_measure(
        {"indicator": pagerates.url_key(indicator), "niveau": "buurt"}, shown.measure
    )
    header = [t("col_indicator", lang)] + [
        html.A(names[c], href=href("/", lang, **on_map, gebied=c)) for c in codes
    ]
    rows = []
    for rec in table.to_dict("records"):
        key = rec["indicator_id"]
        ind = shown.catalogue.loc[key]
        unit, dec = ind["unit"], int(ind["decimals"])
        no_data = t("no_data", lang)
        rows.append(
            [
                html.Span(
                    [
                        label(ind, lang),
                        html.Span(
                            f"{UNIT_LABEL[unit][lang]} · "
                            + format_period_age(rec["period"], date.today(), lang),
                            className="cell-note",
                        ),
                    ]
                )
            ]
            + [
                short_value(None if is_missing(rec[c]) else rec[c], unit, dec, lang)
                or pagerates.missing_cell(shown, c, key, rec["period"], lang, no_data)
                for c in codes
            ]
        )
    return html.Section(
        **{"aria-labelledby": "buurten-heading"},
        children=[
            html.H2(t("buurten_heading", lang), id="buurten-heading"),
            html.P(t("rounding_note", lang), className="small-note"),
            simple_table(header, rows, numeric=set(range(1, len(codes) + 1)), lang=lang),
        ],
    )


def trend_rows(series, unit: str, dec: int, with_reference: bool, lang: str) -> list[list]:
    """Three columns that fit a phone and a trend card: the status note stands under the
    period; Hengelo's cell is a dash where the unit is not comparable or it has no value."""
    return [
        [
            html.Span(
                [format_period(p, lang), html.Span(t(f"status_{s}", lang), className="cell-note")]
            ),
            short_value(v, unit, dec, lang),
            short_value(h, unit, dec, lang) if with_reference and not is_missing(h) else "–",
        ]
        for p, v, h, s in zip(
            series["period"], series["value"], series["hengelo"], series["status"], strict=True
        )
    ]


def trend_note(rows: list, with_reference: bool, lang: str) -> html.P | None:
    """Why Hengelo's column is a dash for a count: said only under a table that has such a
    row (a bare dash reads as a missing figure)."""
    if with_reference or not rows:
        return None
    return html.P(
        t("trend_no_reference_note", lang, gemeente=GEMEENTE.name), className="small-note"
    )


def trend_section(ctx, profile, lang, shown):
    if not profile.trends:
        return None
    blocks = []
    for indicator, series in profile.trends.items():
        ind = shown.catalogue.loc[indicator]
        unit, dec = ind["unit"], int(ind["decimals"])
        with_reference = comparable(unit)
        fig = trend_figure(
            series, label(ind, lang), profile.name, UNIT_LABEL[unit][lang], with_reference, lang
        )
        rows = trend_rows(series, unit, dec, with_reference, lang)
        blocks.append(
            html.Div(
                className="trend-block",
                children=[
                    dcc.Graph(
                        figure=fig,
                        config=graph_config(lang, f"trend-{profile.slug}-{indicator}"),
                        className="trend-graph",
                    ),
                    simple_table(
                        [t("col_period", lang), profile.name, GEMEENTE.name],
                        rows,
                        caption=f"{label(ind, lang)} ({UNIT_LABEL[unit][lang]})",
                        numeric={1, 2},
                        lang=lang,
                    ),
                    trend_note(rows, with_reference, lang),
                ],
            )
        )
    return html.Section(
        **{"aria-labelledby": "trend-heading"},
        children=[
            html.H2(t("trend_heading", lang), id="trend-heading"),
            html.Div(blocks, className="trend-grid"),
        ],
    )


def kpi_item(kpi, area_name: str, lang: str) -> html.Li:
    """A KPI (Dutch text of the plan) with the status of this wijk, or Hengelo's when it is not
    measured for this wijk (the words shared with the PDF, :mod:`dashboard.kpitext`)."""
    return html.Li(
        [
            html.Span(kpi.text, **dutch(lang)),
            " ",
            status_badge(kpi.status.status, lang),
            html.Span(kpi_scope_text(kpi, area_name, lang), className="cell-note kpi-scope"),
        ]
    )


def dutch(lang: str) -> dict:
    """``lang="nl"`` for the plan's Dutch text on an English page (WCAG 3.1.2)."""
    return pick(lang, {}, {"lang": "nl"})


def themes_section(profile, lang):
    if profile.themes.empty:
        return None
    items = []
    for theme in profile.themes.itertuples():
        kpis = [k for k in profile.kpis if k.theme == theme.slug]
        title = pick(lang, theme.title_nl, theme.title_en)
        items.append(
            html.Li(
                [
                    html.A(f"{theme.number} {title}", href=href(f"/thema/{theme.slug}", lang)),
                    html.Ul([kpi_item(k, profile.name, lang) for k in kpis]),
                ]
            )
        )
    return html.Section(
        **{"aria-labelledby": "themes-heading"},
        children=[
            html.H2(t("wijk_themes_heading", lang), id="themes-heading"),
            html.Ul(items, className="theme-kpi-list"),
        ],
    )


def sources_section(profile, lang):
    items = [
        html.Li(
            f"{row.publisher}: {pick(lang, row.title, row.title_en)} "
            f"({row.year if row.year else '–'}; {row.licence})"
        )
        for row in profile.sources.itertuples()
    ]
    return html.Section(
        **{"aria-labelledby": "sources-heading"},
        children=[
            html.H2(t("sources_heading", lang), id="sources-heading"),
            html.Ul(items, className="small-note"),
        ],
    )


@callback(
    Output(ids.WIJK_MAP_SVG, "data"),
    Output(f"{PREFIX}-legend", "children"),
    Output(f"{PREFIX}-map-caption", "children"),
    Input(f"{PREFIX}-indicator", "value"),
    State(f"{PREFIX}-code", "data"),
    prevent_initial_call=True,
)
def change_indicator(indicator, state):
    ctx = data.get_context()
    state = state if isinstance(state, dict) else {}
    lang = state.get("lang", "nl")
    measure = "per1000" if state.get("maat") == "per1000" else "aantal"
    wijk = resolve_wijk(ctx, state.get("code"))
    if wijk is None:
        raise dash.exceptions.PreventUpdate
    buurt_codes = list(ctx.areas["buurt"].loc[ctx.areas["buurt"]["wijkcode"] == wijk, "code"])
    options = buurt_indicators(ctx, buurt_codes, measure)
    if indicator not in options:
        indicator = DEFAULT_INDICATOR if DEFAULT_INDICATOR in options else options[0]
    fig, view = profile_map(ctx, wijk, indicator, lang, measure)
    name = ctx.areas["wijk"].set_index("code").loc[wijk, "name"]
    shown = measured(ctx, measure)
    return fig.markup, legend(view, lang), map_caption(shown, indicator, name, view, lang)


pagerates.switch_callbacks(MEASURE, f"{PREFIX}-maat-focus", State(f"{PREFIX}-indicator", "value"))

dash.register_page(
    __name__,
    path_template="/wijk/<code>",
    title=web.wijk_title,
    exists=web.wijk_exists,
    name="Wijkprofiel",
    layout=layout,
)
