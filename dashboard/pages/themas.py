"""Overview of the eight IVP themes (``/thema``) with their KPI status at a glance."""

from __future__ import annotations

import json

import dash
from dash import html

from dashboard import web
from dashboard.components import simple_table
from dashboard.i18n import pick, t
from dashboard.profile import theme_index, theme_status_counts
from dashboard.shell import href, page, parse_language, with_context
from indicators.formatting import format_number

PHASE_YEARS = {1: "2017-2018", 2: "2019-2020"}


def theme_cards(ctx, lang: str) -> list:
    """One card per theme, in the seed's order, urgent themes marked in words (not colour)."""
    cards = []
    for theme in theme_index(ctx).itertuples():
        title = pick(lang, theme.title_nl, theme.title_en)
        counts = theme_status_counts(ctx, theme.slug)
        badges = []
        if theme.urgent:
            badges.append(html.Span(t("theme_urgent", lang), className="badge badge-urgent"))
        badges.append(
            html.Span(
                t("theme_phase", lang, phase=theme.phase, years=PHASE_YEARS[int(theme.phase)]),
                className="badge",
            )
        )
        goals = json.loads(theme.goals)
        dutch = pick(lang, {}, {"lang": "nl"})  # the plan's texts are Dutch (WCAG 3.1.2)
        cards.append(
            html.Li(
                className="theme-card",
                children=[
                    html.H2(
                        html.A(
                            [html.Span(f"{theme.number} ", className="theme-number"), title],
                            href=href(f"/thema/{theme.slug}", lang),
                        )
                    ),
                    html.Div(badges, className="badges"),
                    html.P(pick(lang, theme.about, theme.about_en)),
                    html.P(
                        [html.Strong(t("theme_lead", lang) + ": "), html.Span(theme.lead, **dutch)]
                    ),
                    html.P(
                        [
                            html.Strong(t("theme_goals", lang) + " "),
                            html.Span(goals[0] if goals else "", **dutch),
                        ]
                    ),
                    html.P(
                        t(
                            "theme_status_summary",
                            lang,
                            on=counts.get("on_track", 0),
                            off=counts.get("off_track", 0),
                            none=counts.get("no_data", 0),
                            na=counts.get("not_measurable", 0),
                        ),
                        className="small-note",
                    ),
                ],
            )
        )
    return cards


def euro(amount: float, lang: str) -> str:
    return "€ " + format_number(amount, 0, lang)


def budget_section(ctx, lang: str) -> html.Section:
    """The 2017 budget as the document has it: the lines, their sum, the stated total and
    the difference (the document's lines add up to more than its total)."""
    lines = ctx.data.budget
    total = float(lines["amount_eur"].sum())
    stated = float(ctx.data.meta.get("budget_check", {}).get("stated_total_eur", 180000))
    rows = [[r.line, r.status, euro(r.amount_eur, lang), r.explanation] for r in lines.itertuples()]
    rows += [
        [html.Strong(t("budget_sum", lang)), "", html.Strong(euro(total, lang)), ""],
        [t("budget_stated", lang), "", euro(stated, lang), ""],
        [t("budget_difference", lang), "", euro(total - stated, lang), ""],
    ]
    return html.Section(
        **{"aria-labelledby": "budget-heading"},
        children=[
            html.H2(t("budget_heading", lang), id="budget-heading"),
            html.P(
                t(
                    "budget_intro",
                    lang,
                    sum=euro(total, lang),
                    difference=euro(total - stated, lang),
                )
            ),
            simple_table(
                [
                    t("budget_line", lang),
                    t("budget_status", lang),
                    t("budget_amount", lang),
                    t("budget_explanation", lang),
                ],
                rows,
                caption=t("budget_table_caption", lang),
                numeric={2},
                csv_name="begroting-2017",
                lang=lang,
            ),
            html.P(
                f"{t('source', lang)}: {ctx.data.sources.loc['IVP2017', 'title']}, "
                f"{t('section', lang)} 3.4",
                className="small-note",
            ),
        ],
    )


@with_context
def layout(ctx, **params):
    lang, notice = parse_language(params.get("taal"))
    content = html.Div(
        [
            html.H1(t("themes_title", lang)),
            html.P(t("themes_intro", lang)),
            html.P(t("theme_dutch_only", lang), className="small-note"),
            html.Ol(theme_cards(ctx, lang), className="theme-list"),
            budget_section(ctx, lang),
        ]
    )
    return page(content, lang, "nav_themes", notices=[notice] if notice else [], path="/thema")


dash.register_page(
    __name__, path="/thema", title=web.titled("nav_themes"), name="Thema's", layout=layout
)
