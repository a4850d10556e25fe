"""Compare two to four areas side by side (``/vergelijk``), with a ranking of all wijken."""

from __future__ import annotations

import copy
from datetime import date

import dash
import dash_bootstrap_components as dbc
import numpy as np
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from dash.development.base_component import Component

from dashboard import comparedata, data, figdicts, pagerates, web
from dashboard.buurtfocus import resolve_area
from dashboard.changeblock import compare_change_section
from dashboard.components import graph_config, indicator_picker, simple_table
from dashboard.figures import short_value
from dashboard.i18n import label, t
from dashboard.pagerates import measured, missing_cell
from dashboard.shell import page, parse_language, visible, with_context
from geodata.gemeente import GEMEENTE
from indicators.age import format_period_age
from indicators.catalogue import comparable
from indicators.formatting import UNIT_LABEL, format_difference, format_number, is_missing
from indicators.periods import format_period
from indicators.uncertainty import funnel_limits
from indicators.views import indicators_with_data, reference_value

FILENAME = "vergelijking"
PREFIX = "vergelijk"
DEFAULT_AREAS = list(GEMEENTE.focus_wijken)
DEFAULT_INDICATORS = [
    "misdrijf_diefstal_woning",
    "misdrijf_vernieling",
    "misdrijf_geweld",
    "pct_15_24",
    "bevolkingsdichtheid",
]
MIN_AREAS, MAX_AREAS = 1, 4  # one area is compared with the gemeente's own column
MEASURE = f"{PREFIX}-maat"  # the count/rate radio group (?maat=)


def area_names(ctx: data.Context) -> dict[str, str]:
    """Code -> name of Hengelo, every wijk and every buurt (with its wijk); made once per data
    version, a copy for the caller."""
    return dict(ctx.once(("compare-area-names",), lambda: _area_names(ctx)))


def _area_names(ctx: data.Context) -> dict[str, str]:
    names = {GEMEENTE.code: GEMEENTE.name}
    names.update(dict(zip(ctx.areas["wijk"]["code"], ctx.areas["wijk"]["name"], strict=True)))
    buurten = ctx.areas["buurt"]
    names.update(
        {
            c: f"{n} ({w})"
            for c, n, w in zip(buurten["code"], buurten["name"], buurten["wijknaam"], strict=True)
        }
    )
    return names


def split(value) -> list[str]:
    if isinstance(value, list):
        items = value
    else:
        items = str(value or "").split(",")
    return [str(i).strip() for i in items if str(i).strip()]


@comparedata.per_version(4096)
def area_code(ctx: data.Context, key: str) -> str:
    """The area a URL item names: a code, or a wijk or buurt name as ``/wijk/`` takes it
    (:func:`dashboard.buurtfocus.resolve_area`); an unknown item as it was given. Remembered
    per data version (a new compare query mostly names areas asked before)."""
    if GEMEENTE.is_gemeente(key.upper()):
        return key.upper()
    wijk, buurt = resolve_area(ctx, key)
    return buurt or wijk or key


def resolve_selection(ctx: data.Context, areas, indicators, lang: str, measure="aantal"):
    """Valid, de-duplicated areas (1..4) and indicators (a count's rate key under
    ``per1000``), with notices for what was dropped."""
    keys = split(areas)
    asked = [area_code(ctx, a) for a in keys]
    names = area_names(ctx)
    unclear = ambiguous_notices(ctx, names, keys, asked, lang)
    chosen, notices = resolve_areas(names, asked, lang, set(unclear))
    notices = list(unclear.values()) + notices
    catalogue = measured(ctx, measure).catalogue
    wanted = [pagerates.shown_key(i, measure, catalogue) for i in split(indicators)]
    offered = offered_indicators(ctx, chosen, measure)
    picked, more = resolve_indicators(offered, wanted, lang, measure)
    return chosen, picked, notices + more


def resolve_measure(ctx: data.Context, areas: list[str], value, lang: str):
    """``(measure, notice, has_rates)``: ``per1000`` when asked and a count on the page
    (offered for ``areas``, or in the ranking) has a rate; else ``aantal``."""
    offered = offered_indicators(ctx, areas) + wijk_indicators(ctx)
    with_rates = pagerates.has_rates(ctx, offered)
    measure, notice = pagerates.resolve_measure(value, with_rates, lang)
    return measure, notice, with_rates


def ambiguous_notices(ctx, names: dict, keys: list[str], asked: list[str], lang: str) -> dict:
    """For each URL item that is no area but part of several names (``tuindorp``), as
    ``/wijk/`` offers them: {item: notice naming each area with its code}."""
    from dashboard.namechoice import area_choices

    found = {}
    for key, code in zip(keys, asked, strict=True):
        if code.upper() in names or GEMEENTE.is_gemeente(code.upper()):
            continue
        hits = area_choices(ctx, key)
        if len(hits) > 1:
            listed = ", ".join(f"{h['name']} ({h['code']})" for h in hits)
            found[code] = t("compare_ambiguous_area", lang, item=key[:60], areas=listed[:300])
    return found


def resolve_areas(
    names: dict, asked: list[str], lang: str, ambiguous=frozenset()
) -> tuple[list[str], list[str]]:
    """The known areas of ``asked`` (at most ``MAX_AREAS``; the focus wijken when none
    remain), with notices for unknown codes and the limits; items in ``ambiguous`` have a
    notice of their own. The gemeente is not an area here: it always has its own column."""
    notices = []
    codes = list(dict.fromkeys(code.upper() for code in asked))
    unknown = [code for code in asked if code.upper() not in names and code not in ambiguous]
    chosen = [code for code in codes if code in names and not GEMEENTE.is_gemeente(code)]
    if unknown:
        notices.append(t("compare_unknown_areas", lang, codes=", ".join(unknown)[:120]))
    if any(GEMEENTE.is_gemeente(code) for code in codes):
        notices.append(t("compare_gemeente_once", lang, gemeente=GEMEENTE.name))
    if len(chosen) > MAX_AREAS:
        notices.append(t("compare_too_many", lang, n=MAX_AREAS))
        chosen = chosen[:MAX_AREAS]
    if len(chosen) < MIN_AREAS:
        if asked:
            notices.append(t("compare_too_few", lang))
        chosen = list(DEFAULT_AREAS)
    return chosen, notices


def resolve_indicators(valid: list[str], asked: list[str], lang: str, measure="aantal"):
    """The offered indicators of ``asked`` (else the defaults), with a notice for the rest."""
    picked = [i for i in dict.fromkeys(asked) if i in valid]
    notices = [t("compare_unknown_indicators", lang)] if len(picked) < len(set(asked)) else []
    index = valid_index(valid)
    preferred = [pagerates.shown_key(i, measure, index) for i in DEFAULT_INDICATORS]
    defaults = [i for i in preferred if i in valid] or valid[:3]
    return picked or defaults, notices


def valid_index(valid: list[str]):
    """``valid`` as the index :func:`dashboard.pagerates.shown_key` looks keys up in (it only
    asks ``key in .index``: a set, not a DataFrame per call)."""
    from types import SimpleNamespace

    return SimpleNamespace(index=frozenset(valid))


def offered_indicators(ctx: data.Context, areas: list[str], measure="aantal") -> list[str]:
    """Public indicators that have figures for at least two of ``areas`` in one period."""
    return comparedata.compare_index(ctx, measure).indicators_for_areas(list(areas))


def indicator_options(ctx: data.Context, areas: list[str], lang: str, measure="aantal"):
    labels = indicator_labels(ctx, measure, lang)
    return [{"label": labels[i], "value": i} for i in offered_indicators(ctx, areas, measure)]


def indicator_labels(ctx: data.Context, measure: str, lang: str) -> dict[str, str]:
    """Id -> label in ``lang`` of every indicator under ``measure`` (once per data version)."""

    def build():
        catalogue = measured(ctx, measure).catalogue
        column = catalogue["label_en" if lang == "en" else "label_nl"]
        return dict(zip(catalogue.index, column, strict=True))

    return ctx.once(("compare-labels", measure, lang), build)


def _judgement_note(rec, reference, dec: int, lang: str) -> str:
    """ " · +0,8 · hoger" beside a value: the difference of the two shown values and the
    judgement (weighed on the raw values)."""
    if rec["judgement"] not in ("better", "worse", "similar"):
        return ""
    text = " · " + t(f"judgement_short_{rec['judgement']}", lang)
    if rec["judgement"] != "similar":
        text = " · " + format_difference(rec["value"], reference, dec, lang) + text
    return text


def comparison_table(ctx, areas, indicators, lang, measure="aantal"):
    """Areas side by side: every value of a row from the same period, Hengelo's value of that
    period, each with its period (and age when old). The cells are kept per data version
    (:func:`_row_head`, :func:`_value_cell`): a new choice of areas reuses them."""
    names = area_names(ctx)
    rows_of = comparedata.comparison_rows(ctx, tuple(areas), tuple(indicators), measure)
    header = [t("col_indicator", lang)] + [names[a] for a in areas] + [GEMEENTE.name]
    today = date.today()
    rows = []
    for indicator in indicators:
        period = rows_of[indicator][areas[0]]["period"]
        key = (measure, lang, indicator, period)
        cells = [_row_head(ctx, *key, today)]
        cells += [_value_cell(ctx, *key, code) for code in areas]
        rows.append(cells + [_value_cell(ctx, *key, GEMEENTE.code)])
    return simple_table(
        header,
        rows,
        caption=t("compare_caption", lang),
        numeric=set(range(1, len(areas) + 2)),
        csv_name="vergelijking",
        lang=lang,
    )


@comparedata.per_version(2048)
def _row_head(ctx, measure, lang, indicator, period, today) -> html.Span:
    """The first cell of a row: the indicator, its unit and the age of its period."""
    ind = comparedata.compare_index(ctx, measure).ind(indicator)
    when = format_period_age(period, today, lang)
    parts = [UNIT_LABEL[ind["unit"]][lang], when]
    source = comparedata.source_texts(ctx, measure).get((indicator, str(period)))
    parts += [f"{t('source', lang)}: {source}"] if source else []
    note = html.Span(" · ".join(parts), className="cell-note")
    return html.Span([label(ind, lang), note])


def source_note(ctx, measure, indicator, period, lang: str):
    """The source of a chart's figures under it ("Bron: CBS, 2017"), or nothing."""
    source = comparedata.source_texts(ctx, measure).get((indicator, str(period)))
    if not source:
        return []
    return [html.P(f"{t('source', lang)}: {source}", className="small-note chart-source")]


@comparedata.per_version(16384)
def _value_cell(ctx, measure, lang, indicator, period, code) -> html.Span:
    """The cell of area ``code`` (Hengelo: its reference value) in ``period``."""
    index = comparedata.compare_index(ctx, measure)
    ind = index.ind(indicator)
    unit, dec = ind["unit"], int(ind["decimals"])
    shown = measured(ctx, measure)
    if code == GEMEENTE.code:
        value, note = index.refs.get((indicator, period), np.nan), ""
    else:
        rec = index.cell(indicator, code, period)
        value = rec["value"]
    if is_missing(value):
        return no_value_cell(shown, code, indicator, period, lang)
    if code != GEMEENTE.code:
        note = _judgement_note(rec, index.refs.get((indicator, period), np.nan), dec, lang)
    text = short_value(value, unit, dec, lang)
    return html.Span([text, html.Span(format_period(period, lang) + note, className="cell-note")])


def no_value_cell(shown, code: str, indicator: str, period, lang: str) -> html.Span:
    """A cell without a value: "—" and why for a rate that cannot be made, else "geen
    gegevens"; with the period."""
    when = html.Span(format_period(period, lang), className="cell-note")
    return html.Span([missing_cell(shown, code, indicator, period, lang, t("no_data", lang)), when])


def comparison_charts(ctx, areas, indicators, lang, measure="aantal"):
    """A bar chart per indicator of the areas and Hengelo (the texts kept per data version)."""
    names = [area_names(ctx)[a] for a in areas]
    rows_of = comparedata.comparison_rows(ctx, tuple(areas), tuple(indicators), measure)
    today = date.today()
    graphs = []
    for indicator in indicators:
        period = rows_of[indicator][areas[0]]["period"]
        values = [_number(rows_of[indicator][a]["value"]) for a in areas]
        texts = [_value_text(ctx, measure, lang, indicator, period, a) for a in areas]
        title, unit, reference, ref_text = _chart_texts(
            ctx, measure, lang, indicator, period, today
        )
        fig = figdicts.comparison_bar(names, values, texts, reference, ref_text, title, unit, lang)
        graph = dcc.Graph(figure=fig, config=graph_config(lang, FILENAME), className="small-chart")
        graphs.append(html.Div([graph, *source_note(ctx, measure, indicator, period, lang)]))
    return graphs


def _number(value) -> float | None:
    return None if is_missing(value) else float(value)


@comparedata.per_version(2048)
def _chart_texts(ctx, measure, lang, indicator, period, today):
    """(title, unit, reference or None, its text) of a comparison chart."""
    index = comparedata.compare_index(ctx, measure)
    ind = index.ind(indicator)
    unit, dec = ind["unit"], int(ind["decimals"])
    ref = index.refs.get((indicator, period), np.nan)
    reference = float(ref) if not is_missing(ref) and comparable(unit) else None
    ref_text = short_value(reference, unit, dec, lang) if reference is not None else None
    title = f"{label(ind, lang)} ({format_period_age(period, today, lang)})"
    return title, UNIT_LABEL[unit][lang], reference, ref_text


@comparedata.per_version(16384)
def _value_text(ctx, measure, lang, indicator, period, code) -> str:
    """A value as a chart writes it (or why it is missing)."""
    ind = comparedata.compare_index(ctx, measure).ind(indicator)
    value = _number(comparedata.compare_index(ctx, measure).cell(indicator, code, period)["value"])
    shown = measured(ctx, measure)
    text = short_value(value, ind["unit"], int(ind["decimals"]), lang)
    return text or missing_text(shown, code, indicator, period, lang)


def missing_text(shown, code: str, indicator: str, period, lang: str) -> str:
    """The words of a missing value in a chart: "— (why)" for a rate, else "geen gegevens"."""
    why = pagerates.reason(shown, code, indicator, period, lang)
    return f"{pagerates.DASH} ({why})" if why else t("no_data", lang)


def ranking_block(ctx, indicator, areas, lang, measure="aantal"):
    """The ranking of every wijk by ``indicator``, the chosen ``areas`` marked ◆ (what does
    not depend on them is kept per data version: :func:`_ranking_parts`)."""
    parts = _ranking_parts(ctx, indicator, measure, lang, date.today())
    codes, names, values, formatted, ref, title, unit, ref_text = parts
    fig = figdicts.ranking(
        names,
        values,
        formatted,
        [c in areas for c in codes],
        ref,
        title,
        unit,
        lang,
        reference_text=ref_text,
    )
    rows = [
        [i + 1, n, f, "◆" if c in areas else ""]
        for i, (c, n, f) in enumerate(zip(codes, names, formatted, strict=True))
    ]
    table = simple_table(
        [
            t("col_rank", lang),
            t("col_area", lang),
            t("col_value", lang),
            t("compare_selected", lang),
        ],
        rows,
        numeric={2},
        row_header=False,
        csv_name=f"rangorde-{indicator}",
        lang=lang,
    )
    graph = dcc.Graph(figure=fig, config=graph_config(lang, FILENAME), className="chart")
    period = comparedata.wijk_ranking(ctx, indicator, measure)["period"].iloc[0]
    return [graph, table, *source_note(ctx, measure, indicator, period, lang)]


@comparedata.per_version(512)
def _ranking_parts(ctx, indicator, measure, lang, today):
    """(codes, names, values, texts, reference, title, unit, reference text) of the ranking."""
    names = dict(zip(ctx.areas["wijk"]["code"], ctx.areas["wijk"]["name"], strict=True))
    shown = measured(ctx, measure)
    ind = shown.catalogue.loc[indicator]
    unit, dec = ind["unit"], int(ind["decimals"])
    ranked = comparedata.wijk_ranking(ctx, indicator, measure)
    codes = list(ranked["area_code"])
    values = [None if is_missing(v) else float(v) for v in ranked["value"]]
    period = ranked["period"].iloc[0]
    formatted = [
        short_value(v, unit, dec, lang) or missing_text(shown, c, indicator, period, lang)
        for c, v in zip(codes, values, strict=True)
    ]
    reference = reference_value(shown.obs, indicator, period)
    ref = None if is_missing(reference) or not comparable(unit) else reference
    when = format_period_age(period, today, lang)
    title = f"{label(ind, lang)} – {t('compare_ranking_title', lang)} ({when})"
    ref_text = short_value(ref, unit, dec, lang) if ref is not None else None
    return (
        codes,
        [names[c] for c in codes],
        values,
        formatted,
        ref,
        title,
        UNIT_LABEL[unit][lang],
        ref_text,
    )


def wijk_indicators(ctx, measure="aantal"):
    """Indicators with wijk figures under ``measure`` (once per data version)."""

    def build():
        shown = measured(ctx, measure)
        return indicators_with_data(shown.obs, shown.catalogue, "wijk")

    return list(ctx.once(("compare-wijk-indicators", measure), build))


def rate_indicators(ctx) -> list[str]:
    """Indicators per 1,000 inhabitants with buurt figures: the ones a funnel plot can weigh
    (once per data version)."""

    def build():
        catalogue = ctx.data.indicators
        with_data = indicators_with_data(ctx.public_obs, catalogue, "buurt")
        return [i for i in with_data if catalogue.loc[i, "unit"] == "per1000"]

    return list(ctx.once(("compare-rate-indicators",), build))


def funnel_block(ctx, indicator, areas, lang):
    """Funnel plot of every buurt and wijk for a rate, with its table alternative; what does
    not depend on the chosen ``areas`` (marked ◆) is kept per data version
    (:func:`_funnel_parts`)."""
    parts = _funnel_parts(ctx, indicator, lang, date.today())
    if parts is None:
        return [html.P(t("no_data", lang))]
    base, rows, table = parts
    marked = {
        i: html.Tr(_funnel_cells([f"{row[0]} ◆", *row[1:]]))
        for i, (code, row) in enumerate(rows)
        if code in areas
    }
    graph = dcc.Graph(
        figure=figdicts.marked_funnel(base, areas),
        config=graph_config(lang, FILENAME),
        className="chart funnel-chart",
    )
    period = comparedata.funnel_parts(ctx, indicator)[0]["period"].iloc[0]
    note = source_note(ctx, "aantal", indicator, period, lang)
    return [graph, _with_body_rows(table, marked) if marked else table, *note]


FUNNEL_NUMERIC = {1, 3, 4}


def _funnel_cells(row: list) -> list:
    """The cells of a funnel table row, as :func:`dashboard.components.simple_table` makes
    them (the area as row header)."""
    return [html.Th(row[0], scope="row")] + [
        html.Td(v, className="num" if i in FUNNEL_NUMERIC else None)
        for i, v in enumerate(row[1:], start=1)
    ]


def _with_body_rows(node, rows: dict):
    """``node`` (a table block) with the body rows at the positions of ``rows`` replaced:
    only the components on the way to the body are copied, the rest is shared."""
    if isinstance(node, html.Tbody):
        body = copy.copy(node)
        body.children = [rows.get(i, row) for i, row in enumerate(node.children)]
        return body
    children = getattr(node, "children", None)
    if not isinstance(children, (list, Component)) or isinstance(node, html.Tr):
        return node
    changed = copy.copy(node)
    if isinstance(children, list):
        changed.children = [_with_body_rows(child, rows) for child in children]
    else:
        changed.children = _with_body_rows(children, rows)
    return changed


@comparedata.per_version(256)
def _funnel_parts(ctx, indicator, lang, today):
    """(figure base, [(code, table row)], the table without marks) of the funnel of
    ``indicator``; None without points."""
    ind = ctx.data.indicators.loc[indicator]
    unit, dec = UNIT_LABEL[ind["unit"]][lang], int(ind["decimals"])
    points, curve = comparedata.funnel_parts(ctx, indicator)
    if points.empty:
        return None
    names = area_names(ctx)
    period = points["period"].iloc[0]
    reference = float(points["reference"].iloc[0])
    when = format_period_age(period, today, lang)
    base = figdicts.funnel_base(points, names, curve, f"{label(ind, lang)} ({when})", unit, lang)
    order = {"worse": 0, "better": 1, "similar": 2}
    points = points.assign(order=points["judgement"].map(order)).sort_values(
        ["order", "value"], ascending=[True, False]
    )
    rows = []
    for p in points.itertuples():
        limits = funnel_limits(reference, p.population)
        strength = f" ({format_number(99.8, 1, lang)}%)" if p.level == "99.8" else ""
        row = [
            names[p.area_code],
            format_number(p.value, dec, lang),
            t(f"judgement_short_{p.judgement}", lang) + strength,
            format_number(p.population, 0, lang),
            format_number(limits["lower95"], dec, lang)
            + " – "
            + format_number(limits["upper95"], dec, lang),
            t(f"level_{p.area_level}", lang),
        ]
        rows.append((p.area_code, row))
    # key columns first: area, value and judgement; then what the judgement rests on
    header = [
        t("col_area", lang),
        unit,
        t("col_judgement", lang),
        t("col_inhabitants", lang),
        t("col_limits", lang),
        t("level", lang),
    ]
    caption = t("funnel_caption", lang, indicator=label(ind, lang), period=when)
    plain = [row for _, row in rows]
    csv_name = f"trechter-{indicator}"
    table = simple_table(
        header, plain, caption=caption, numeric=FUNNEL_NUMERIC, csv_name=csv_name, lang=lang
    )
    return base, rows, table


def funnel_section(ctx, indicator, areas, lang):
    catalogue = ctx.data.indicators
    return html.Section(
        **{"aria-labelledby": "funnel-heading"},
        children=[
            html.H2(t("funnel_heading", lang), id="funnel-heading"),
            html.P(t("funnel_intro", lang)),
            indicator_picker(f"{PREFIX}-funnel", indicator, rate_indicators(ctx), catalogue, lang),
            html.Div(
                id=f"{PREFIX}-funnel-block", children=funnel_block(ctx, indicator, areas, lang)
            ),
        ],
    )


def area_selects(names: dict[str, str], areas: list[str], lang: str) -> html.Fieldset:
    """Four native selects (the fourth and third may stay empty): keyboard and screen reader
    friendly, and at most four areas by construction."""
    options = [{"label": t("compare_none", lang), "value": ""}] + [
        {"label": n, "value": c} for c, n in names.items() if not GEMEENTE.is_gemeente(c)
    ]  # the gemeente is no choice here: it always has its own column
    padded = areas + [""] * (MAX_AREAS - len(areas))
    return html.Fieldset(
        className="control control-wide area-selects",
        children=[html.Legend(t("compare_areas", lang))]
        + [
            html.Div(
                className="area-select",
                children=[
                    html.Label(t("compare_area_n", lang, n=i + 1), htmlFor=f"{PREFIX}-area-{i}"),
                    dbc.Select(
                        id=f"{PREFIX}-area-{i}",
                        value=code,
                        options=options,
                        className="indicator-select",
                    ),
                ],
            )
            for i, code in enumerate(padded)
        ],
    )


def chosen_or_default(wanted, offered: list[str], preferred: list[str]) -> str:
    """``wanted`` when it is offered, else the first of ``preferred`` that is, else the first
    offered (the URL's ``rangorde`` and ``trechter`` fall back this way)."""
    if wanted in offered:
        return wanted
    return next((i for i in preferred if i in offered), offered[0])


def selection_controls(ctx, names, areas, indicators, lang: str, measure: str = "aantal"):
    """The area pickers and the indicator checklist."""
    return html.Div(
        className="controls",
        children=[
            area_selects(names, areas, lang),
            html.Fieldset(
                className="control control-wide",
                children=[
                    html.Legend(t("compare_indicators", lang)),
                    html.P(t("compare_offered_note", lang), className="small-note"),
                    dbc.Checklist(
                        id=f"{PREFIX}-indicators",
                        value=indicators,
                        className="check-columns",
                        options=indicator_options(ctx, areas, lang, measure),
                    ),
                ],
            ),
        ],
    )


def ranking_section(ctx, rank: str, rank_options, areas, lang: str, measure="aantal"):
    """The ranking of all wijken by one indicator, with its picker."""
    catalogue = measured(ctx, measure).catalogue
    picker = indicator_picker(f"{PREFIX}-rank", rank, rank_options, catalogue, lang)
    block = ranking_block(ctx, rank, areas, lang, measure)
    return html.Section(
        **{"aria-labelledby": "ranking-heading"},
        children=[
            html.H2(t("compare_ranking", lang), id="ranking-heading"),
            picker,
            html.Div(id=f"{PREFIX}-ranking", children=block),
        ],
    )


def page_state(ctx, params: dict, lang: str):
    """What the URL asks, resolved: (areas, indicators, measure, rank, funnel, notices,
    has_rates)."""
    areas = resolve_selection(ctx, params.get("gebieden"), None, lang)[0]
    measure, measure_notice, with_rates = resolve_measure(ctx, areas, params.get("maat"), lang)
    areas, indicators, notices = resolve_selection(
        ctx, params.get("gebieden"), params.get("indicatoren"), lang, measure
    )
    notices += [measure_notice] if measure_notice else []
    rank_options = wijk_indicators(ctx, measure)
    catalogue = measured(ctx, measure).catalogue
    asked_rank = pagerates.shown_key(str(params.get("rangorde") or ""), measure, catalogue)
    rank = chosen_or_default(asked_rank, rank_options, indicators[:1])
    funnel = chosen_or_default(params.get("trechter"), rate_indicators(ctx), indicators)
    return areas, indicators, measure, rank, funnel, notices, with_rates


@with_context
def layout(ctx, **params):
    lang, notice = parse_language(params.get("taal"))
    areas, indicators, measure, rank, funnel, notices, with_rates = page_state(ctx, params, lang)
    if notice:
        notices.insert(0, notice)
    names = area_names(ctx)
    content = html.Div(
        className="compare-page",
        children=[
            html.H1(t("compare_title", lang)),
            html.P(t("compare_intro", lang)),
            selection_controls(ctx, names, areas, indicators, lang, measure),
            pagerates.measure_control(ctx, MEASURE, measure, lang, hidden=not with_rates),
            html.Div(id=f"{PREFIX}-notices", role="status", className="notices"),
            html.Div(
                id=f"{PREFIX}-table",
                children=comparison_table(ctx, areas, indicators, lang, measure),
            ),
            html.Div(
                id=f"{PREFIX}-charts",
                className="small-charts",
                children=comparison_charts(ctx, areas, indicators, lang, measure),
            ),
            compare_change_section(ctx, areas, names, lang),
            ranking_section(ctx, rank, wijk_indicators(ctx, measure), areas, lang, measure),
            funnel_section(ctx, funnel, areas, lang),
            dcc.Store(id=f"{PREFIX}-lang", data=lang),
            dcc.Store(id=f"{PREFIX}-url"),
            html.Div(id=f"{PREFIX}-maat-focus", hidden=True),
        ],
    )
    keys = [pagerates.url_key(i) for i in indicators]
    switch = {"gebieden": ",".join(areas), "indicatoren": ",".join(keys)}
    switch.update({"rangorde": pagerates.url_key(rank), "trechter": funnel})
    return page(
        content,
        lang,
        "nav_compare",
        notices=notices,
        path="/vergelijk",
        switch_params=pagerates.with_measure(switch, measure),
    )


def compare_title(**_variables) -> str:
    """'Berflo Es, Hengelose Es – Vergelijken – Wijkveiligheid Hengelo': the names of the
    areas the URL names (codes or names), as the page resolves them."""
    lang = web.request_language()
    query = web.request_query()
    try:
        names = url_area_names(data.get_context(), query.get("gebieden"))
    except Exception:  # noqa: BLE001 - a broken store shows its own error page
        names = []
    return web.compose_title([", ".join(names), t("nav_compare", lang)], lang)


def url_area_names(ctx: data.Context, value) -> list[str]:
    """The names of the areas the URL's ``gebieden`` names (codes or names, as the page
    resolves them; at most four and the gemeente), unknown items left out."""
    plain = data.plain_area_names(ctx)
    codes = [area_code(ctx, key).upper() for key in split(value)]
    known = [code for code in dict.fromkeys(codes) if code in plain]
    return [plain[code] for code in known[: MAX_AREAS + 1]]


AREA_INPUTS = [Input(f"{PREFIX}-area-{i}", "value") for i in range(MAX_AREAS)]


@callback(
    Output(f"{PREFIX}-table", "children"),
    Output(f"{PREFIX}-charts", "children"),
    Output(f"{PREFIX}-ranking", "children"),
    Output(f"{PREFIX}-notices", "children"),
    Output(f"{PREFIX}-indicators", "options"),
    Output(f"{PREFIX}-indicators", "value"),
    Output(f"{PREFIX}-funnel-block", "children"),
    *AREA_INPUTS,
    Input(f"{PREFIX}-indicators", "value"),
    Input(f"{PREFIX}-rank", "value"),
    Input(f"{PREFIX}-funnel", "value"),
    State(f"{PREFIX}-lang", "data"),
    State(MEASURE, "value"),
    prevent_initial_call=True,
)
def update(a0, a1, a2, a3, indicators, rank, funnel, lang, measure):
    ctx = data.get_context()
    lang = lang if lang in ("nl", "en") else "nl"
    params = {
        "gebieden": [a for a in (a0, a1, a2, a3) if a],
        "indicatoren": indicators if isinstance(indicators, list) else [],
        "rangorde": rank if isinstance(rank, str) else None,
        "trechter": funnel if isinstance(funnel, str) else None,
        "maat": measure if measure in ("aantal", "per1000") else None,
    }
    areas, indicators, measure, rank, funnel, notices, _ = page_state(ctx, params, lang)
    return (
        comparison_table(ctx, areas, indicators, lang, measure),
        comparison_charts(ctx, areas, indicators, lang, measure),
        ranking_block(ctx, rank, areas, lang, measure),
        [html.P(visible(n), className="notice") for n in notices],
        indicator_options(ctx, areas, lang, measure),
        indicators,
        funnel_block(ctx, funnel, areas, lang),
    )


clientside_callback(
    """function (a0, a1, a2, a3, indicators, rank, funnel, lang, measure) {
        var count = function (key) { return key ? String(key).split("@")[0] : key; };
        return window.wijkveiligheid.replaceQuery("/vergelijk", {
            gebieden: [a0, a1, a2, a3], indicatoren: (indicators || []).map(count),
            rangorde: count(rank), trechter: funnel,
            maat: measure === "per1000" ? "per1000" : null}, lang);
    }""",
    Output(f"{PREFIX}-url", "data"),
    *AREA_INPUTS,
    Input(f"{PREFIX}-indicators", "value"),
    Input(f"{PREFIX}-rank", "value"),
    Input(f"{PREFIX}-funnel", "value"),
    State(f"{PREFIX}-lang", "data"),
    State(MEASURE, "value"),
    prevent_initial_call=True,
)

pagerates.switch_callbacks(MEASURE, f"{PREFIX}-maat-focus")

dash.register_page(
    __name__,
    path="/vergelijk",
    title=compare_title,
    name="Vergelijken",
    layout=layout,
)
