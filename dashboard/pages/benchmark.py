"""The G32 safety benchmark 2015 (``/benchmark``): spiders, drill-down, objective vs subjective."""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from dashboard import data, web
from dashboard.components import graph_config, labelled, simple_table
from dashboard.figures import (
    objective_subjective_figure,
    radar_figure,
    score_bar_figure,
    wrap_label,
)
from dashboard.i18n import pick, t
from dashboard.pages.over_data import source_title
from dashboard.shell import href, page, parse_language, with_context
from indicators import g32 as bench
from indicators.age import format_period_age
from indicators.formatting import format_difference
from indicators.seed import G32_PARTICIPANTS

FILENAME = "g32-benchmark"
PREFIX = "benchmark"


def name_of(row, lang):
    """The G32 item's name in ``lang``."""
    return pick(lang, row["name_nl"], row["name_en"])


DIMENSION_EN = {"objectief": "objective", "subjectief": "subjective"}


def axis_label(row, lang: str) -> str:
    """A spider axis: the item's name, with objective/subjective where the report splits it."""
    dim = row.get("dimension")
    if isinstance(dim, str) and dim:
        return f"{name_of(row, lang)} ({pick(lang, dim, DIMENSION_EN[dim])})"
    return name_of(row, lang)


def reading(score: float, safety: bool, lang: str) -> str:
    if score == 100:
        return t("g32_reading_mean", lang)
    if safety:
        return t("g32_reading_safer" if score > 100 else "g32_reading_less_safe", lang)
    return t("g32_reading_more" if score > 100 else "g32_reading_less", lang)


def resolve(g32, kern: str | None, thema: str | None) -> tuple[str, str | None]:
    kerns = list(bench.kernvariabelen(g32)["id"])
    kern = kern if isinstance(kern, str) and kern in kerns else kerns[0]
    thema = thema if isinstance(thema, str) else None
    themes = set(bench.children(g32, kern)["id"])
    return kern, thema if thema in themes else None


def selection_notices(g32, asked: dict, kern: str, thema: str | None, lang: str) -> list[str]:
    """What the page says when ``?kern=`` or ``?thema=`` named nothing it has (it then
    shows the first kernvariabele, or the whole kernvariabele)."""
    names = g32.set_index("id")
    notices = []
    asked_kern, asked_thema = asked.get("kern"), asked.get("thema")
    if asked_kern not in (None, "", kern):
        default = name_of(names.loc[kern], lang)
        notices.append(t("g32_unknown_kern", lang, value=str(asked_kern)[:80], default=default))
    if asked_thema not in (None, "") and asked_thema != thema:
        kern_name = name_of(names.loc[kern], lang)
        notices.append(t("g32_unknown_thema", lang, value=str(asked_thema)[:80], kern=kern_name))
    return notices


def chart_and_table(g32, kern: str, thema: str | None, lang: str):
    """The spider (or bars, for fewer than three scores) of the selection, with its table."""
    item = thema or kern
    row = g32.set_index("id").loc[item]
    items = bench.spider_items(g32, item)
    safety = bench.is_safety(g32, item)
    scored = items[items["status"] == "score"]
    labels = [axis_label(r, lang) for r in scored.to_dict("records")]
    scores = [float(s) for s in scored["score"]]
    title = name_of(row, lang) + (
        f" ({t('g32_score', lang)} {row['score']:.0f})" if row["status"] == "score" else ""
    )
    if len(scores) >= 3:
        fig = radar_figure(labels, scores, title, safety, lang)
    else:
        fig = score_bar_figure(labels or ["–"], scores or [0], title, safety, lang)
    rows = []
    for r in items.to_dict("records"):
        if r["status"] == "score":
            rows.append(
                [axis_label(r, lang), f"{r['score']:.0f}", reading(r["score"], safety, lang)]
            )
        else:
            rows.append(
                [
                    axis_label(r, lang),
                    t("g32_no_score", lang),
                    t(f"g32_status_{r['status']}", lang),
                ]
            )
    table = simple_table(
        [t("col_aspect", lang), t("g32_score", lang), t("col_reading", lang)],
        rows,
        caption=title,
        numeric={1},
        csv_name=f"g32-{item}",
        lang=lang,
    )
    return fig, table


def narrow_figure(g32, kern: str, thema: str | None, lang: str):
    """The same scores as bars, for narrow screens where a spider shrinks to a blob."""
    item = thema or kern
    row = g32.set_index("id").loc[item]
    items = bench.spider_items(g32, item)
    scored = items[items["status"] == "score"]
    labels = [axis_label(r, lang) for r in scored.to_dict("records")]
    scores = [float(s) for s in scored["score"]]
    title = wrap_label(name_of(row, lang), 30)
    fig = score_bar_figure(
        [wrap_label(lbl, 24) for lbl in labels] or ["–"],
        scores or [0],
        title,
        bench.is_safety(g32, item),
        lang,
    )
    fig.update_layout(
        margin={"l": 5, "r": 40, "t": 80, "b": 40},
        height=160 + 56 * len(labels),
        font={"size": 14},
        bargap=0.35,
    )
    fig.update_traces(textfont={"size": 14}, cliponaxis=False)
    fig.update_yaxes(autorange="reversed")
    return fig


def thema_options(g32, kern: str, lang: str) -> list[dict]:
    options = [{"label": t("g32_all", lang), "value": ""}]
    for r in bench.children(g32, kern).to_dict("records"):
        suffix = f" ({r['score']:.0f})" if r["status"] == "score" else ""
        options.append({"label": name_of(r, lang) + suffix, "value": r["id"]})
    return options


def objective_subjective_section(g32, lang: str):
    pairs = bench.objective_subjective(g32)
    names = [name_of(r, lang) for r in pairs.to_dict("records")]
    fig = objective_subjective_figure(
        names, list(pairs["objectief"]), list(pairs["subjectief"]), lang
    )
    rows = [
        [n, f"{o:.0f}", f"{s:.0f}", format_difference(s, o, 0, lang)]
        for n, o, s in zip(names, pairs["objectief"], pairs["subjectief"], strict=True)
    ]
    return html.Section(
        **{"aria-labelledby": "objsubj-heading"},
        children=[
            html.H2(t("g32_objsubj_title", lang), id="objsubj-heading"),
            html.P(t("g32_objsubj_text", lang)),
            dcc.Graph(figure=fig, config=graph_config(lang, FILENAME), className="chart"),
            simple_table(
                [
                    t("col_aspect", lang),
                    t("g32_objective", lang),
                    t("g32_subjective", lang),
                    t("g32_gap", lang),
                ],
                rows,
                numeric={1, 2, 3},
                csv_name="g32-objectief-subjectief",
                lang=lang,
            ),
        ],
    )


def ranked_section(g32, lang: str):
    blocks = []
    for safety, high_key, low_key in (
        (True, "g32_safety_high", "g32_safety_low"),
        (False, "g32_other_high", "g32_other_low"),
    ):
        high, low = bench.ranked_aspects(g32, 5, safety=safety)
        for key, frame in ((high_key, high), (low_key, low)):
            blocks.append(
                html.Div(
                    className="ranked",
                    children=[
                        html.H3(t(key, lang)),
                        html.Ol(
                            [
                                html.Li(f"{axis_label(r, lang)}: {r['score']:.0f}")
                                for r in frame.to_dict("records")
                            ]
                        ),
                    ],
                )
            )
    return html.Section(
        **{"aria-labelledby": "ranked-heading"},
        children=[
            html.H2(t("g32_strong", lang), id="ranked-heading"),
            html.Div(blocks, className="ranked-grid"),
        ],
    )


def missing_section(g32, lang: str):
    rows = [
        [axis_label(r, lang), t(f"g32_status_{r['status']}", lang)]
        for r in bench.without_score(g32).to_dict("records")
    ]
    return html.Section(
        **{"aria-labelledby": "missing-heading"},
        children=[
            html.H2(t("g32_missing_title", lang), id="missing-heading"),
            simple_table(
                [t("col_aspect", lang), t("col_note", lang)],
                rows,
                csv_name="g32-zonder-score",
                lang=lang,
            ),
        ],
    )


def capacity_section(ctx, lang: str):
    cap = ctx.data.g32_capacity
    rows = [[r["component"], r["fte_text"], f"{r['score']:.0f}"] for r in cap.to_dict("records")]
    return html.Section(
        **{"aria-labelledby": "capacity-heading"},
        children=[
            html.H2(t("g32_capacity_title", lang), id="capacity-heading"),
            simple_table(
                [t("col_aspect", lang), t("g32_fte", lang), t("g32_score", lang)],
                rows,
                numeric={1, 2},
                csv_name="g32-capaciteit",
                lang=lang,
            ),
        ],
    )


def recommendations_section(ctx, lang: str):
    themes = ctx.data.themes.set_index("slug")
    items = []
    for rec in ctx.data.g32_recommendations.to_dict("records"):
        links = [
            html.A(
                themes.loc[s, pick(lang, "title_nl", "title_en")],
                href=href(f"/thema/{s}", lang),
            )
            for s in rec["ivp_themes"].split(";")
        ]
        joined = []
        for i, link in enumerate(links):
            joined += ([", "] if i else []) + [link]
        items.append(
            html.Li(
                [
                    html.P(rec["text"], **pick(lang, {}, {"lang": "nl"})),
                    html.P(
                        [t("g32_recommendation_themes", lang) + ": "] + joined,
                        className="small-note",
                    ),
                ]
            )
        )
    return html.Section(
        **{"aria-labelledby": "recs-heading"},
        children=[
            html.H2(t("g32_recommendations", lang), id="recs-heading"),
            html.P(t("g32_recommendations_reading", lang), className="small-note"),
            html.Ul(items, className="recommendations"),
        ],
    )


def source_line(ctx, lang: str) -> str:
    """The benchmark's source with its round and how old that is."""
    source = ctx.data.sources.loc["G32_2015"]
    when = format_period_age(str(source["year"]), date.today(), lang)
    return f"{t('source', lang)}: {source_title(source, lang)} ({when})"


def selection_controls(g32, kern: str, thema: str | None, lang: str) -> html.Div:
    """The kernvariabele radio buttons and the drill-down to one of its hoofdthema's."""
    kerns = bench.kernvariabelen(g32).to_dict("records")
    return html.Div(
        className="controls",
        children=[
            html.Fieldset(
                className="control",
                children=[
                    html.Legend(t("g32_kern", lang)),
                    dbc.RadioItems(
                        id=f"{PREFIX}-kern",
                        value=kern,
                        inline=True,
                        className="radio-row",
                        options=[{"label": name_of(r, lang), "value": r["id"]} for r in kerns],
                    ),
                ],
            ),
            labelled(
                t("g32_drill", lang),
                f"{PREFIX}-thema",
                dbc.Select(
                    id=f"{PREFIX}-thema",
                    value=thema or "",
                    className="indicator-select",
                    options=thema_options(g32, kern, lang),
                ),
            ),
        ],
    )


def chart_block(g32, kern: str, thema: str | None, lang: str) -> html.Div:
    """The chart of the selection (wide and narrow screens) with its table."""
    fig, table = chart_and_table(g32, kern, thema, lang)
    graphs = [
        dcc.Graph(
            id=f"{PREFIX}-{name}",
            figure=figure,
            config=graph_config(lang, FILENAME),
            className=f"chart {size}",
        )
        for name, figure, size in (
            ("graph", fig, "chart-wide"),
            ("graph-narrow", narrow_figure(g32, kern, thema, lang), "chart-narrow"),
        )
    ]
    return html.Div(
        className="chart-with-table",
        children=graphs + [html.Div(id=f"{PREFIX}-table", children=table)],
    )


@with_context
def layout(ctx, **params):
    lang, notice = parse_language(params.get("taal"))
    g32 = ctx.data.g32
    kern, thema = resolve(g32, params.get("kern"), params.get("thema"))
    content = html.Div(
        className="benchmark-page",
        children=[
            html.H1(t("g32_title", lang)),
            html.P(t("g32_intro", lang)),
            html.Div(
                className="reading-rule",
                role="note",
                children=[html.H2(t("g32_rule_title", lang)), html.P(t("g32_rule", lang))],
            ),
            html.P([html.Strong(t("g32_participants", lang) + ": "), ", ".join(G32_PARTICIPANTS)]),
            selection_controls(g32, kern, thema, lang),
            chart_block(g32, kern, thema, lang),
            objective_subjective_section(g32, lang),
            ranked_section(g32, lang),
            capacity_section(ctx, lang),
            missing_section(g32, lang),
            recommendations_section(ctx, lang),
            html.P(source_line(ctx, lang), className="small-note"),
            dcc.Store(id=f"{PREFIX}-lang", data=lang),
            dcc.Store(id=f"{PREFIX}-url"),
        ],
    )
    return page(
        content,
        lang,
        "nav_benchmark",
        notices=([notice] if notice else []) + selection_notices(g32, params, kern, thema, lang),
        path="/benchmark",
        switch_params={"kern": kern, "thema": thema},
    )


@callback(
    Output(f"{PREFIX}-graph", "figure"),
    Output(f"{PREFIX}-graph-narrow", "figure"),
    Output(f"{PREFIX}-table", "children"),
    Output(f"{PREFIX}-thema", "options"),
    Output(f"{PREFIX}-thema", "value"),
    Input(f"{PREFIX}-kern", "value"),
    Input(f"{PREFIX}-thema", "value"),
    State(f"{PREFIX}-lang", "data"),
    prevent_initial_call=True,
)
def update(kern, thema, lang):
    g32 = data.get_context().data.g32
    lang = lang if lang in ("nl", "en") else "nl"
    kern_changed = dash.ctx.triggered_id == f"{PREFIX}-kern"
    kern, thema = resolve(g32, kern, None if kern_changed else thema)
    fig, table = chart_and_table(g32, kern, thema, lang)
    options = thema_options(g32, kern, lang) if kern_changed else dash.no_update
    narrow = narrow_figure(g32, kern, thema, lang)
    return fig, narrow, table, options, (thema or "") if kern_changed else dash.no_update


clientside_callback(
    """function (kern, thema, lang) {
        return window.wijkveiligheid.replaceQuery("/benchmark", {kern: kern, thema: thema}, lang);
    }""",
    Output(f"{PREFIX}-url", "data"),
    Input(f"{PREFIX}-kern", "value"),
    Input(f"{PREFIX}-thema", "value"),
    State(f"{PREFIX}-lang", "data"),
    prevent_initial_call=True,
)

dash.register_page(
    __name__,
    path="/benchmark",
    title=web.titled("nav_benchmark"),
    name="G32-benchmark",
    layout=layout,
)
