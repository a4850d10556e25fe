"""'Wat is veranderd': the tested change between two periods on the wijk page and on
/vergelijk (issue 18 A1). The tests and their wording live in :mod:`indicators.change`; this
module only picks the rows for the areas shown and lays them out."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, callback, html

from dashboard import data, ids
from dashboard.components import simple_table
from dashboard.i18n import t
from dashboard.profile import members
from geodata.gemeente import GEMEENTE
from indicators import change
from indicators.periods import format_period

COMPARE_AREAS = 4  # the area selects of /vergelijk (vergelijk-area-0 .. 3)


def level_changes(ctx: data.Context, level: str) -> pd.DataFrame:
    """Every indicator's change at ``level`` between its default periods (public figures),
    computed once per data version."""
    return ctx.once(
        ("changes", level),
        lambda: change.changes(ctx.public_obs, ctx.data.indicators, level, members=members(ctx)),
    )


def level_of(ctx: data.Context, code: str) -> str | None:
    """'gemeente', 'wijk' or 'buurt' for a known area code, else None."""
    if code == GEMEENTE.code:
        return "gemeente"
    for level in ("wijk", "buurt"):
        if code in set(ctx.areas[level]["code"]):
            return level
    return None


def area_changes(ctx: data.Context, codes: list[str]) -> pd.DataFrame:
    """The change rows of the areas ``codes`` (each at its own level), most notable first."""
    frames = []
    for code in codes:
        level = level_of(ctx, code)
        if level:
            frames.append(_changes_by_area(ctx, level).get(code))
    frames = [f for f in frames if f is not None]
    if not frames:
        return pd.DataFrame(columns=change.CHANGE_COLUMNS)
    return change.sort_changes(pd.concat(frames, ignore_index=True))


def _changes_by_area(ctx: data.Context, level: str) -> dict[str, pd.DataFrame]:
    """:func:`level_changes` split per area once per data version (each wijk page would
    otherwise filter the whole table once per area it shows)."""

    def build() -> dict:
        rows = level_changes(ctx, level)
        return dict(tuple(rows.groupby("area_code", sort=False, observed=True)))

    return ctx.once(("changes-by-area", level), build)


def one_period_figures(ctx: data.Context, code: str, changed: set[str]) -> list[tuple[str, str]]:
    """(indicator, period) of the figures of area ``code`` that have a single period (and are
    not among ``changed``), in catalogue order."""
    found = _periods_per_area(ctx).get(code, {})
    return [
        (indicator, next(iter(found[indicator])))
        for indicator in ctx.data.indicators.index
        if len(found.get(indicator, ())) == 1 and indicator not in changed
    ]


def _periods_per_area(ctx: data.Context) -> dict[str, dict[str, dict[str, None]]]:
    """Area -> indicator -> the periods (as text, in order) with a public value, once per
    data version."""

    def build() -> dict:
        obs = ctx.public_obs
        shown = obs[obs["value"].notna()]
        out: dict = {}
        columns = (shown[c] for c in ("area_code", "indicator_id", "period"))
        for area, indicator, period in zip(*columns, strict=True):
            out.setdefault(area, {}).setdefault(indicator, {})[str(period)] = None
        return out

    return ctx.once("periods-per-area", build)


def _label(ctx, indicator: str, lang: str) -> str:
    ind = ctx.data.indicators.loc[indicator]
    return ind["label_en"] if lang == "en" else ind["label_nl"]


def _names(labels) -> str:
    return ", ".join(dict.fromkeys(labels))


def change_item(row, area_name: str | None, lang: str) -> html.Li:
    """One change beyond chance: a word for its direction (never colour alone) and the
    sentence of what was tested."""
    word = {"worse": "change_worse", "better": "change_better"}.get(row["judgement"])
    sentence = change.change_sentence(row, lang)
    return html.Li(
        [
            html.Span(t(word, lang), className=f"change-word change-{row['judgement']}")
            if word
            else None,
            f" {area_name}: " if area_name else " ",
            sentence,
        ],
        className="change-item",
    )


def _summary(ctx, rows: pd.DataFrame, lang: str) -> list:
    """The compact lines under the list: how many within chance, which not testable."""
    out = []
    within = rows[rows["verdict"] == "within_chance"]
    if len(within):
        names = _names(_label(ctx, i, lang) for i in within["indicator_id"])
        out.append(html.P(t("change_within_count", lang, count=len(within), names=names)))
    untested = rows[rows["verdict"] == "not_testable"]
    for reason, group in untested.groupby("reason", sort=False):
        names = _names(_label(ctx, i, lang) for i in group["indicator_id"])
        why = change.REASONS.get(str(reason), change.REASONS["no_counts"])[lang]
        out.append(html.P(t("change_not_testable", lang, reason=why, names=names)))
    return out


def _one_period_line(ctx, single: list[tuple[str, str]], lang: str):
    if not single:
        return None
    names = _names(f"{_label(ctx, i, lang)} ({format_period(p, lang)})" for i, p in single)
    return html.P(t("change_one_period", lang, names=names), className="small-note")


def change_body(ctx: data.Context, code: str, name: str, rows, buurt_names, lang: str) -> list:
    """The content of the block for area ``code``: beyond chance first (99.8% then 95%),
    then the compact summary and the figures with one period only."""
    single = one_period_figures(ctx, code, set(rows.loc[rows["area_code"] == code, "indicator_id"]))
    shown = rows[rows["verdict"].isin(["beyond_99.8", "beyond_95", "within_chance"])]
    if shown.empty and rows[rows["verdict"] == "not_testable"].empty:
        return [html.P(t("change_nothing", lang, name=name)), _one_period_line(ctx, single, lang)]
    beyond = change.significant_changes(rows)
    beyond = pd.concat([beyond[beyond["area_code"] == code], beyond[beyond["area_code"] != code]])
    area_names = {code: name, **buurt_names}
    items = [change_item(r, area_names.get(r["area_code"]), lang) for _, r in beyond.iterrows()]
    listed = [] if shown.empty else [html.P(t("change_none_beyond", lang))]
    if items:
        listed = [
            html.H3(t("change_beyond_heading", lang)),
            html.Ul(items, className="change-list"),
        ]
    return listed + _summary(ctx, rows, lang) + [_one_period_line(ctx, single, lang)]


def wijk_change_section(ctx: data.Context, profile, lang: str) -> html.Section:
    """The 'Wat is veranderd' block at the top of a wijk page: the wijk's own figures and
    those of its buurten."""
    codes = [profile.code, *profile.buurten["code"]]
    buurt_names = dict(zip(profile.buurten["code"], profile.buurten["name"], strict=True))
    rows = ctx.once(("wijk-changes", *codes), lambda: _shown_changes(ctx, codes))
    return html.Section(
        id=ids.WIJK_CHANGE,
        className="change-block",
        **{"aria-labelledby": "change-heading"},
        children=[
            html.H2(t("change_heading", lang), id="change-heading"),
            *change_body(ctx, profile.code, profile.name, rows, buurt_names, lang),
            html.P(t("change_explained", lang), className="small-note"),
        ],
    )


def _shown_changes(ctx: data.Context, codes: list[str]) -> pd.DataFrame:
    """:func:`area_changes` of ``codes`` without the rows that have no data (the same for
    both languages of a wijk page, so kept per data version; callers must not change it)."""
    rows = area_changes(ctx, codes)
    return rows[rows["verdict"].ne("missing")]


def compare_cell(row, lang: str):
    """A table cell: periods, values and the verdict in words ('geen gegevens' without);
    a change beyond chance in bold."""
    if row is None:
        return t("no_data", lang)
    text = f"{change.periods_text(row, lang)}: {change.change_phrase(row, lang)}"
    return html.Strong(text) if str(row["verdict"]).startswith("beyond") else text


def compare_change_block(ctx: data.Context, areas: list[str], names: dict, lang: str) -> list:
    """The change table of /vergelijk for the chosen ``areas`` (code -> name in ``names``),
    with Hengelo (the gemeente, the reference) always as the last column, as in the
    comparison table. Each area's cells are kept per data version (:func:`_area_cells`), so a
    new choice of areas only lays them out (one row per indicator that changed for any
    of them, in catalogue order)."""
    areas = [*(a for a in areas if a != GEMEENTE.code), GEMEENTE.code]
    names = {GEMEENTE.code: GEMEENTE.name, **names}
    cells = [_area_cells(ctx, a, lang) for a in areas]
    changed = set().union(*cells)
    if not changed:
        return [html.P(t("change_compare_none", lang))]
    header = [t("col_indicator", lang), *(names.get(a, a) for a in areas)]
    labels = _labels(ctx, lang)
    missing = t("no_data", lang)
    rows = [[labels[i], *(mine.get(i, missing) for mine in cells)] for i in labels if i in changed]
    table = simple_table(header, rows, caption=t("change_compare_caption", lang), lang=lang)
    return [table, html.P(t("change_explained", lang), className="small-note")]


def _area_cells(ctx: data.Context, code: str, lang: str) -> dict:
    """Indicator -> the change cell of area ``code`` (:func:`compare_cell`), for its changes
    that are not missing; once per data version, area and language."""
    return ctx.once(("compare-change-cells", code, lang), lambda: _cells_of(ctx, code, lang))


def _cells_of(ctx: data.Context, code: str, lang: str) -> dict:
    rows = area_changes(ctx, [code])
    rows = rows[rows["verdict"].ne("missing")]
    return dict(
        zip(rows["indicator_id"], [compare_cell(r, lang) for _, r in rows.iterrows()], strict=True)
    )


def _labels(ctx: data.Context, lang: str) -> dict[str, str]:
    """Indicator -> label in ``lang``, in catalogue order (once per data version)."""
    return ctx.once(
        ("change-labels", lang),
        lambda: {i: _label(ctx, i, lang) for i in ctx.data.indicators.index},
    )


def compare_change_section(ctx: data.Context, areas: list[str], names: dict, lang: str):
    """The section of /vergelijk (its content follows the area selects, see
    :func:`update_compare_change`)."""
    return html.Section(
        className="change-block",
        **{"aria-labelledby": "compare-change-heading"},
        children=[
            html.H2(t("change_compare_heading", lang), id="compare-change-heading"),
            html.Div(id=ids.COMPARE_CHANGE, children=compare_change_block(ctx, areas, names, lang)),
        ],
    )


@callback(
    Output(ids.COMPARE_CHANGE, "children"),
    *[Input(f"vergelijk-area-{i}", "value") for i in range(COMPARE_AREAS)],
    State("vergelijk-lang", "data"),
    prevent_initial_call=True,
)
def update_compare_change(a0, a1, a2, a3, lang):
    """The change table after another choice of areas (the same selection rules as the
    comparison table)."""
    from dashboard.pages.vergelijk import area_names, resolve_selection

    ctx = data.get_context()
    lang = lang if lang in ("nl", "en") else "nl"
    chosen = [a for a in (a0, a1, a2, a3) if a]
    areas, _, _ = resolve_selection(ctx, chosen, [], lang)
    return compare_change_block(ctx, areas, area_names(ctx), lang)
