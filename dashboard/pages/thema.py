"""One IVP theme (``/thema/<slug>``): goal, KPIs with baseline, target, latest value, status."""

from __future__ import annotations

import json
from datetime import date

import dash
from dash import html

from dashboard import web
from dashboard.components import breadcrumbs, simple_table, status_badge
from dashboard.i18n import pick, t
from dashboard.pages.over_data import source_title
from dashboard.partners import partners_section
from dashboard.profile import theme_index, theme_kpis
from dashboard.shell import href, not_found_page, page, parse_language, with_context
from indicators.age import format_period_age
from indicators.formatting import UNIT_SUFFIX, format_value
from indicators.views import indicators_with_data

PHASE_YEARS = {1: "2017-2018", 2: "2019-2020"}


def not_found(ctx, slug, lang):
    """An unknown theme: says so and lists the eight."""
    links = [
        (f"{row.number} {pick(lang, row.title_nl, row.title_en)}", f"/thema/{row.slug}")
        for row in theme_index(ctx).itertuples()
    ]
    return not_found_page("theme", slug, links, lang, "nav_themes")


def kpi_rows(ctx, slug, lang):
    catalogue = ctx.data.indicators
    dutch = pick(lang, {}, {"lang": "nl"})  # the plan's KPI texts are Dutch (WCAG 3.1.2)
    rows = []
    for kpi in theme_kpis(ctx, slug):
        st = kpi.status
        unit, dec = kpi_unit(kpi, catalogue)
        baseline = (
            f"{format_value(st.baseline, unit, dec, lang)} ({st.baseline_period})"
            if st.baseline is not None
            else t("kpi_no_baseline", lang)
        )
        latest = (
            f"{format_value(st.latest_value, unit, dec, lang)} "
            f"({format_period_age(st.latest_period, date.today(), lang)})"
            if st.latest_value is not None
            else t("kpi_no_data", lang)
        )
        link = map_link(ctx, kpi.indicator, lang)
        details = [html.Span(kpi.text, **dutch)]
        if kpi.source:
            details.append(html.Span(f"{t('source', lang)}: {kpi.source}", className="cell-note"))
        if kpi.note:
            details.append(html.Span(kpi.note, className="cell-note", **dutch))
        if link:
            details.append(link)
        # key columns first: what the KPI is and how it stands, then the numbers behind it
        rows.append(
            [
                html.Span(details),
                status_badge(st.status, lang),
                latest,
                baseline,
                html.Span(kpi.target, **dutch) if kpi.target else "–",
            ]
        )
    return rows


def kpi_unit(kpi, catalogue) -> tuple[str, int]:
    """The unit (and decimals) of a KPI's numbers: its indicator's, else its own; a KPI
    without either shows a plain number (never a percentage by default)."""
    if kpi.indicator and kpi.indicator in catalogue.index:
        return catalogue.loc[kpi.indicator, "unit"], int(catalogue.loc[kpi.indicator, "decimals"])
    return (kpi.unit if kpi.unit in UNIT_SUFFIX else "count"), 0


def map_link(ctx, indicator, lang):
    """A link to the map showing the KPI's indicator, at the finest level with data."""
    if not indicator or indicator not in ctx.data.indicators.index:
        return None
    for level in ("wijk", "buurt"):
        if indicator in indicators_with_data(ctx.public_obs, ctx.data.indicators, level):
            return html.A(
                t("show_on_map", lang),
                className="cell-note",
                href=href("/", lang, indicator=indicator, niveau=level),
            )
    return html.Span(t("only_hengelo", lang), className="cell-note")


def theme_badges(theme, lang: str) -> list:
    """Urgency (in words, not colour) and phase of a theme."""
    phase = int(theme["phase"])
    badges = [
        html.Span(
            t("theme_phase", lang, phase=theme["phase"], years=PHASE_YEARS[phase]),
            className="badge",
        )
    ]
    if theme["urgent"]:
        badges.insert(0, html.Span(t("theme_urgent", lang), className="badge badge-urgent"))
    return badges


def focus_links(ctx, theme, lang: str):
    """Links to the focus wijken the theme names (None when it names none)."""
    focus = json.loads(theme["focus_wijken"])
    if not focus:
        return None
    wijk_names = ctx.areas["wijk"].set_index("code")["name"]
    links = [
        html.Li(html.A(wijk_names.get(code, code), href=href(f"/wijk/{code}", lang)))
        for code in focus
    ]
    return html.Section([html.H2(t("theme_focus_wijken", lang)), html.Ul(links)])


def policy_texts(theme, lang: str) -> list:
    """Measurement items, needs, who, lead and costs, as the document has them (Dutch)."""
    dutch = pick(lang, {}, {"lang": "nl"})  # the policy texts are Dutch (WCAG 3.1.2)
    return [
        html.H3(t("theme_measure", lang)),
        html.P(t("theme_measure_note", lang), className="small-note"),
        html.Ul([html.Li(m) for m in json.loads(theme["measure"])], **dutch),
        html.H2(t("theme_needs", lang)),
        html.Ul([html.Li(n) for n in json.loads(theme["needs"])], **dutch),
        html.H2(t("theme_who", lang)),
        html.P(theme["who"], **dutch),
        partners_section(theme, lang),
        html.H2(t("theme_lead", lang)),
        html.P(theme["lead"], **dutch),
        html.H2(t("theme_costs", lang)),
        html.P(theme["costs"], **dutch),
    ]


def kpi_section(ctx, slug: str, header: list[str], lang: str) -> list:
    """The KPI table with its status rule, or, for a theme the plan gives no KPIs (2.7, 2.8),
    a sentence saying so instead of an empty table."""
    rows = kpi_rows(ctx, slug, lang)
    if not rows:
        return [
            html.P(
                pick(
                    lang,
                    "Het beleidsplan noemt voor dit thema geen KPI's (met nulmeting en doel); "
                    "hieronder staat waarmee het wil meten.",
                    "The policy plan gives this theme no KPIs (with a baseline and a target); "
                    "what it means to measure is listed below.",
                )
            )
        ]
    return [
        simple_table(header, rows, lang=lang),
        html.P(t("kpi_status_explained", lang), className="small-note"),
    ]


@with_context
def layout(ctx, slug=None, **params):
    lang, notice = parse_language(params.get("taal"))
    themes = theme_index(ctx).set_index("slug", drop=False)
    if slug not in themes.index:
        return not_found(ctx, slug, lang)
    theme = themes.loc[slug]
    title = pick(lang, theme["title_nl"], theme["title_en"])
    header = [
        t(k, lang)
        for k in ("col_kpi", "col_status", "col_latest", "theme_baseline", "theme_target")
    ]
    dutch = pick(lang, {}, {"lang": "nl"})  # the policy texts are Dutch (WCAG 3.1.2)
    content = html.Div(
        className="theme-page",
        children=[
            breadcrumbs([(t("nav_themes", lang), "/thema"), (title, None)], lang),
            html.H1([html.Span(f"{theme['number']} ", className="theme-number"), title]),
            html.Div(theme_badges(theme, lang), className="badges"),
            html.P(t("theme_dutch_only", lang), className="small-note"),
            html.H2(t("theme_about", lang)),
            html.P(pick(lang, theme["about"], theme["about_en"])),
            html.H2(t("theme_goals", lang)),
            html.Ul([html.Li(g) for g in json.loads(theme["goals"])], **dutch),
            html.H2(t("theme_kpis", lang)),
            *kpi_section(ctx, slug, header, lang),
            *policy_texts(theme, lang),
            focus_links(ctx, theme, lang),
            html.P(
                f"{t('source', lang)}: {source_title(ctx.data.sources.loc['IVP2017'], lang)}, "
                f"{t('section', lang)} {theme['number']}",
                className="small-note",
            ),
        ],
    )
    return page(
        content, lang, "nav_themes", notices=[notice] if notice else [], path=f"/thema/{slug}"
    )


dash.register_page(
    __name__,
    path_template="/thema/<slug>",
    title=web.theme_title,
    exists=web.theme_exists,
    name="Thema",
    layout=layout,
)
