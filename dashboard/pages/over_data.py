"""Over de data (``/data``): sources, licences, definitions, privacy rules, downloads."""

from __future__ import annotations

import dash
from dash import html

from dashboard import data, web
from dashboard.components import simple_table
from dashboard.i18n import label, t
from dashboard.open_data import data_page_section
from dashboard.shell import page, parse_language, store_error_page
from indicators import periods
from indicators.formatting import UNIT_LABEL


def periods_of(ctx, indicator: str, lang: str = "nl") -> str:
    rows = ctx.public_obs[
        (ctx.public_obs["indicator_id"] == indicator) & ctx.public_obs["value"].notna()
    ]
    found = sorted(set(rows["period"]), key=periods.sort_key)
    return _period_span(found, lang) if found else "–"


def _period_span(found: list[str], lang: str) -> str:
    """Years listed; months as a span with their number (a list of 40 months says nothing)."""
    if periods.frequency_of(found[0]) == "year":
        return ", ".join(found)
    first, last = (periods.format_period(p, lang, short=True) for p in (found[0], found[-1]))
    return t("months_span", lang, first=first, last=last, count=len(found))


def source_notes(row, lang: str) -> str:
    """The notes of a source in ``lang`` (Dutch when there is no English text, e.g. imports)."""
    english = getattr(row, "notes_en", "")
    return english if lang == "en" and isinstance(english, str) and english else row.notes


LICENCE_EN = {"Openbaar raadsdocument": "Public council document"}


def attribution(text: str, lang: str) -> str:
    """'Bron: CBS' as the licence asks, 'Source: CBS' on the English page."""
    return "Source: " + text.removeprefix("Bron: ") if lang == "en" else text


def licence(text: str, lang: str) -> str:
    """The licence in ``lang`` (CC licences are named as they are)."""
    if lang != "en":
        return text
    for dutch, english in LICENCE_EN.items():
        text = text.replace(dutch, english)
    return text.replace("bijlage", "annex")


def levels_of(ctx, indicator: str, lang: str) -> str:
    rows = ctx.public_obs[
        (ctx.public_obs["indicator_id"] == indicator) & ctx.public_obs["value"].notna()
    ]
    order = [lv for lv in ("buurt", "wijk", "gemeente") if lv in set(rows["level"])]
    return ", ".join(
        t(f"level_{lv}", lang) if lv == "gemeente" else t(f"level_{lv}", lang).lower()
        for lv in order
    )


def refresh_note(lang: str) -> str:
    """The last open-data refresh (``fetch --all`` or the schedule): when, and whether it
    worked; Amsterdam time, Dutch date format."""
    from datetime import datetime

    from indicators.schedule import TIMEZONE
    from indicators.store import StoreError

    try:
        last = data.current_store().last_refresh()
    except StoreError:
        last = None
    if not last:
        return t("refresh_none", lang)
    when = datetime.fromisoformat(last["at"]).astimezone(TIMEZONE).strftime("%d-%m-%Y %H:%M")
    return t("refresh_ok" if last["outcome"] == "ok" else "refresh_failed", lang, when=when)


def layout(**params):
    try:
        ctx = data.get_context()
    except Exception as exc:
        return store_error_page(exc, params)
    lang, notice = parse_language(params.get("taal"))
    sources = ctx.data.sources[ctx.data.sources["id"] != "DERIVED"]
    source_rows = [
        [
            row.publisher,
            row.title_en if lang == "en" else row.title,
            str(row.year),
            licence(row.licence, lang),
            attribution(row.attribution, lang),
            source_notes(row, lang),
        ]
        for row in sources.itertuples()
    ]
    catalogue = ctx.data.indicators[ctx.data.indicators["public"].astype(bool)]
    indicator_rows = [
        [
            label(row, lang),
            row["explanation_en"] if lang == "en" else row["explanation_nl"],
            UNIT_LABEL[row["unit"]][lang],
            levels_of(ctx, row["id"], lang),
            periods_of(ctx, row["id"], lang),
            attribution(ctx.data.sources.loc[row["source"], "attribution"], lang),
        ]
        for _, row in catalogue.iterrows()
    ]
    built = str(ctx.data.meta.get("built_at", ""))[:10]
    content = html.Div(
        className="data-page",
        children=[
            html.H1(t("data_title", lang)),
            html.P(t("data_intro", lang)),
            html.H2(t("data_downloads", lang)),
            html.Ul(
                [
                    html.Li(
                        [
                            html.A(
                                t("data_download_csv", lang),
                                href="/data/cijfers.csv",
                                download="wijkveiligheid-hengelo-cijfers.csv",
                            ),
                            " – ",
                            t("data_download_csv_note", lang),
                            " (JSON: ",
                            html.A("/data/cijfers.json", href="/data/cijfers.json"),
                            ")",
                        ]
                    ),
                    html.Li(
                        [
                            html.A(
                                t("data_download_excel", lang),
                                href="/data/cijfers-excel.csv",
                                download="wijkveiligheid-hengelo-cijfers-excel.csv",
                            ),
                            " – ",
                            t("data_download_excel_note", lang),
                        ]
                    ),
                    html.Li(
                        [
                            html.A(
                                t("data_download_gpkg", lang),
                                href="/data/grenzen.gpkg",
                                download="hengelo-wijken-buurten-2021.gpkg",
                            ),
                            " – ",
                            t("data_download_gpkg_note", lang),
                        ]
                    ),
                ]
            ),
            data_page_section(lang),  # OGC API, JSON per view, embedding (issue 20)
            html.H2(t("sources_heading", lang)),
            simple_table(
                [
                    t("data_publisher", lang),
                    t("data_title_col", lang),
                    t("col_period", lang),
                    t("data_licence", lang),
                    t("data_attribution", lang),
                    t("col_note", lang),
                ],
                source_rows,
                csv_name="bronnen",
                lang=lang,
            ),
            html.H2(t("data_indicators", lang)),
            html.P(t("data_updated", lang, date=built), className="small-note"),
            html.P(refresh_note(lang), className="small-note", id="data-refresh"),
            simple_table(
                [
                    t("col_indicator", lang),
                    t("data_definition", lang),
                    t("data_unit", lang),
                    t("data_levels", lang),
                    t("data_periods", lang),
                    t("col_source", lang),
                ],
                indicator_rows,
                csv_name="indicatoren",
                lang=lang,
            ),
            html.H2(t("data_privacy", lang)),
            html.Ul([html.Li(t(f"data_privacy_{i}", lang)) for i in range(1, 5)]),
            html.H2(t("data_derived", lang)),
            html.P(t("data_derived_text", lang)),
        ],
    )
    return page(content, lang, "nav_data", notices=[notice] if notice else [], path="/data")


dash.register_page(
    __name__,
    path="/data",
    title=web.titled("nav_data"),
    name="Over de data",
    layout=layout,
)
