"""Over de data (``/data``): sources, licences, definitions, privacy rules, downloads."""

from __future__ import annotations

from datetime import UTC, datetime

import dash
from dash import html

from dashboard import data, web
from dashboard.components import simple_table
from dashboard.downloads import DOWNLOADS
from dashboard.i18n import label, pick, t
from dashboard.open_data import data_page_section
from dashboard.shell import page, parse_language, with_context
from indicators import periods
from indicators.age import format_day
from indicators.formatting import UNIT_LABEL
from indicators.provenance import indicator_sources, sources_held, table_id
from indicators.schedule import TIMEZONE


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
    return pick(lang, row.notes, english if isinstance(english, str) and english else row.notes)


LICENCE_EN = {"Openbaar raadsdocument": "Public council document"}


def source_title(source, lang: str) -> str:
    """A source's title (a row of the source table) in ``lang``; Dutch when it has no English
    title (e.g. an imported source)."""
    english = source.get("title_en")
    has_english = isinstance(english, str) and english
    return pick(lang, source["title"], english if has_english else source["title"])


def attribution(text: str, lang: str) -> str:
    """'Bron: CBS' as the licence asks, 'Source: CBS' on the English page."""
    return pick(lang, text, "Source: " + text.removeprefix("Bron: "))


def licence(text: str, lang: str) -> str:
    """The licence in ``lang`` (CC licences are named as they are)."""
    english = text
    for dutch, translation in LICENCE_EN.items():
        english = english.replace(dutch, translation)
    return pick(lang, text, english.replace("bijlage", "annex"))


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


def source_table(ctx, lang: str):
    """Every source the store holds public figures of, with publisher, title, the periods of
    those figures, licence, attribution and notes (a known table not fetched yet is left
    out, see :func:`indicators.provenance.sources_held`)."""
    held = sources_held(ctx.public_obs, ctx.data.sources, ctx.data.indicators)
    rows = [
        [
            row.publisher,
            pick(lang, row.title, row.title_en),
            _period_span(found, lang),
            licence(row.licence, lang),
            attribution(row.attribution, lang),
            source_notes(row, lang),
        ]
        for row, found in held
    ]
    header = ["data_publisher", "data_title_col", "col_period", "data_licence"]
    header += ["data_attribution", "col_note"]
    return simple_table([t(k, lang) for k in header], rows, csv_name="bronnen", lang=lang)


def indicator_table(ctx, lang: str):
    """Every public indicator with its definition, unit, levels, periods and source."""
    catalogue = ctx.data.indicators[ctx.data.indicators["public"].astype(bool)]
    rows = [
        [
            label(row, lang),
            pick(lang, row["explanation_nl"], row["explanation_en"]),
            UNIT_LABEL[row["unit"]][lang],
            levels_of(ctx, row["id"], lang),
            periods_of(ctx, row["id"], lang),
            sources_of(ctx, row, lang),
        ]
        for _, row in catalogue.iterrows()
    ]
    header = ["col_indicator", "data_definition", "data_unit", "data_levels", "data_periods"]
    header += ["col_source"]
    return simple_table([t(k, lang) for k in header], rows, csv_name="indicatoren", lang=lang)


def sources_of(ctx, row, lang: str) -> str:
    """Where the figures of an indicator come from, per period and table: '2017: Bron: CBS,
    tabel 83765NED; 2021: …' ('–' when the store holds no figure of it)."""
    pairs = indicator_sources(ctx.public_obs, row["id"])
    return "; ".join(_source_of(ctx, found, source, lang) for found, source in pairs) or "–"


def _source_of(ctx, found: list[str], source: str, lang: str) -> str:
    if source not in ctx.data.sources.index:
        return source
    info = ctx.data.sources.loc[source]
    table = table_id(info["title"])
    what = pick(lang, f"tabel {table}", f"table {table}") if table else None
    what = what or pick(lang, info["title"], info["title_en"]).split(" (")[0]
    credit = attribution(info["attribution"], lang)
    text = credit_with(credit, what)
    return f"{_period_span(found, lang)}: {text}" if found else text


def credit_with(credit: str, what: str) -> str:
    """The credit line and what it does not already say of the source's title.

    >>> credit_with("Bron: CBS", "tabel 83765NED")
    'Bron: CBS, tabel 83765NED'
    >>> credit_with("Bron: Veiligheidsmonitor, gemeente Hengelo",
    ...             "Veiligheidsmonitor, tabellenboek 1997-2015")
    'Bron: Veiligheidsmonitor, gemeente Hengelo, tabellenboek 1997-2015'
    """
    if what in credit:
        return credit
    head, _, rest = what.partition(", ")
    if rest and head in credit:
        what = rest
    return f"{credit}, {what}"


def download_list(lang: str) -> html.Ul:
    """The downloads: every public figure (plain and for Dutch Excel) and the boundaries."""
    return html.Ul(
        [
            html.Li(
                [
                    html.A(t(f"data_download_{kind}", lang), href=url, download=DOWNLOADS[url]),
                    " – ",
                    t(f"data_download_{kind}_note", lang),
                    *json_twin(url),
                ]
            )
            for kind, url in download_kinds(lang)
        ]
    )


def json_twin(url: str) -> list:
    """The JSON counterpart of a CSV download, where there is one (the same rows)."""
    if url not in ("/data/cijfers.csv", "/data/cijfers-en.csv"):
        return []
    return [" (JSON: ", html.A("/data/cijfers.json", href="/data/cijfers.json"), ")"]


DOWNLOAD_KINDS = (
    ("csv", "/data/cijfers.csv"),
    ("excel", "/data/cijfers-excel.csv"),
    ("gpkg", "/data/grenzen.gpkg"),
)


def download_kinds(lang: str) -> tuple:
    """The downloads of the page's language: English readers get the English table."""
    if lang != "en":
        return DOWNLOAD_KINDS
    return (("csv_en", "/data/cijfers-en.csv"),) + DOWNLOAD_KINDS[1:]


def built_day(stamp, lang: str) -> str:
    """The day the store was built (a UTC ISO time) as each language writes a date, in the
    gemeente's time zone; the stamp as it is when it cannot be read."""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp or "")[:10]
    if moment.tzinfo is None:  # the store writes UTC
        moment = moment.replace(tzinfo=UTC)
    return format_day(moment.astimezone(TIMEZONE).date(), lang)


@with_context
def layout(ctx, **params):
    lang, notice = parse_language(params.get("taal"))
    built = built_day(ctx.data.meta.get("built_at"), lang)
    content = html.Div(
        className="data-page",
        children=[
            html.H1(t("data_title", lang)),
            html.P(t("data_intro", lang)),
            html.H2(t("data_downloads", lang)),
            download_list(lang),
            data_page_section(lang),  # OGC API, JSON per view, embedding (issue 20)
            html.H2(t("sources_heading", lang)),
            # the tables once per data version and language (the page itself is not cached:
            # its refresh note changes without a new data version)
            ctx.once(("data-sources", lang), lambda: source_table(ctx, lang)),
            html.H2(t("data_indicators", lang)),
            html.P(t("data_updated", lang, date=built), className="small-note"),
            html.P(refresh_note(lang), className="small-note", id="data-refresh"),
            ctx.once(("data-indicators", lang), lambda: indicator_table(ctx, lang)),
            html.H2(t("data_privacy", lang)),
            html.Ul([html.Li(t(f"data_privacy_{i}", lang)) for i in range(1, 7)]),
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
