"""The printable one-page wijk profile as a tagged PDF (Typst), dated and with its sources.

:func:`profile_document` turns a profile into one JSON-ready dict of display strings (pure,
tested without Typst); :func:`profile_pdf` sets it with the template
``dashboard/templates/wijkprofiel.typ``. Typst writes the structure tree (H1, H2, P, L, Table
with TH/TD, the map as a Figure with alt text), ``/Lang``, the title shown by viewers, and
the fonts it embeds (DejaVu Sans, which matplotlib ships) hold the minus sign U+2212 that
the web pages write."""

from __future__ import annotations

import functools
import json
import threading
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.figures import short_value
from dashboard.i18n import label, pick, t
from dashboard.kpitext import kpi_line
from dashboard.profile import FIGURE_COLUMNS, WijkProfile
from indicators.age import format_day, format_period_age
from indicators.formatting import UNIT_LABEL, format_difference, is_missing

TEMPLATE = Path(__file__).with_name("templates") / "wijkprofiel.typ"
FIGURE_WIDTHS = [56, 20, 20, 18, 22, 16, 24]  # mm, 186 in all: the A4 width between margins
FIGURE_RIGHT = [1, 2, 3, 5]  # the columns of figures, aligned right
BUURT_NAME_WIDTH = 62
PAGE_WIDTH = 186
NONE = "–"
MAP_ALT = {
    "nl": "Kaart van wijk {name} met de grenzen van zijn {n} buurten: {names}.",
    "en": "Map of the district {name} with the boundaries of its {n} neighbourhoods: {names}.",
}


def coverage_notes(figures: pd.DataFrame, coverage: dict, lang: str) -> dict[str, str]:
    """Per indicator of a derived wijk value: 'afgeleid uit k van n buurten'. ``coverage`` maps
    ``(indicator_id, period)`` to ``(k, n)``."""
    notes = {}
    for row in figures.itertuples():
        if row.status != "derived":
            continue
        k, n = coverage.get((row.indicator_id, row.period), (None, None))
        notes[row.indicator_id] = (
            t("derived_note", lang, n=int(k), total=int(n))
            if k is not None and n is not None
            else t("status_derived", lang)
        )
    return notes


def profile_pdf(
    profile: WijkProfile,
    catalogue: pd.DataFrame,
    lang: str = "nl",
    today: date | None = None,
    map_svg: tuple[bytes, list[str]] | None = None,
    coverage: dict | None = None,
) -> bytes:
    """The profile as PDF bytes: with the wijk map (``map_svg``: SVG and the key of its
    numbered buurten) when given, and a note under every derived wijk value saying from how
    many buurten it was derived (``coverage``)."""
    doc = profile_document(profile, catalogue, lang, today, map_svg, coverage)
    files = {"main.typ": _template()}
    if map_svg:
        files["map.svg"] = map_svg[0]
    return _compiler().compile(
        input=files,
        sys_inputs={"data": json.dumps(doc, ensure_ascii=False)},
        pdf_standards=["ua-1"],
    )


def profile_document(
    profile: WijkProfile,
    catalogue: pd.DataFrame,
    lang: str = "nl",
    today: date | None = None,
    map_svg: tuple[bytes, list[str]] | None = None,
    coverage: dict | None = None,
) -> dict:
    """Every string the PDF shows, in ``lang``, as the template reads it."""
    today = today or date.today()
    meta = (
        f"{profile.code} · {len(profile.buurten)} {t('buurten_word', lang)} · "
        f"{t('profile_date', lang, date=format_day(today, lang))}"
    )
    return {
        "title": t("wijk_title", lang, name=profile.name),
        "author": t("app_title", lang),
        "subject": profile.code,
        "lang": pick(lang, "nl", "en"),
        "region": pick(lang, "NL", "GB"),
        "meta": meta,
        "map": _map(profile, lang, map_svg[1]) if map_svg else None,
        "focus": _focus_points(profile, lang),
        "figures": _figures_table(profile, lang, coverage or {}, today),
        "buurten": _buurt_table(profile, catalogue, lang, today),
        "kpis": _kpis(profile, lang),
        "sources": {
            "heading": t("sources_heading", lang),
            "items": [
                f"{row.publisher}: {row.title} ({row.year or NONE}; {row.licence})"
                for row in profile.sources.itertuples()
            ],
        },
        "footer": t("pdf_footer", lang),
    }


def _map(profile: WijkProfile, lang: str, numbered: list[str]) -> dict:
    """The map's caption (with the key of its numbered buurten) and its alt text."""
    caption = t("pdf_map_caption", lang, name=profile.name)
    if numbered:
        caption += " " + t("pdf_map_numbers", lang) + " " + "; ".join(numbered) + "."
    names = list(profile.buurten["name"])
    alt = MAP_ALT[pick(lang, "nl", "en")].format(
        name=profile.name, n=len(names), names=", ".join(names)
    )
    return {"caption": caption, "alt": alt}


def _focus_points(profile: WijkProfile, lang: str) -> dict | None:
    """The aandachtspunten of a focus wijk with their source (nothing for other wijken); the
    points are the policy document's Dutch words, marked Dutch on an English page."""
    if not profile.focus:
        return None
    listed = profile.focus.get("listed_by_document", True)
    source = f"{t('source', lang)}: {profile.focus['source']} ({profile.focus['year']})"
    return {
        "heading": t("aandachtspunten", lang),
        "note": None if listed else t("focus_not_listed", lang),
        "points": [{"text": p, "lang": "nl"} for p in profile.focus["aandachtspunten"]],
        "source": source,
    }


def _kpis(profile: WijkProfile, lang: str) -> dict | None:
    """The KPIs that apply: their (Dutch) text and their status in ``lang``."""
    if not profile.kpis:
        return None
    return {
        "heading": t("wijk_themes_heading", lang),
        "items": [
            {"name": {"text": k.text, "lang": "nl"}, "status": kpi_line(k, profile.name, lang)}
            for k in profile.kpis
        ],
    }


def _figure_row(row, lang: str, marks: dict, today: date) -> list[str]:
    """One indicator of the wijk next to Hengelo, as the table's seven cells."""
    unit, dec = row.unit, int(row.decimals)
    reference = None if is_missing(row.reference) else row.reference
    mark = f" {marks[row.indicator_id]})" if row.indicator_id in marks else ""
    rank = NONE  # a figure no other wijk has for its period has no rank (NaN)
    if row.rank and not pd.isna(row.rank):
        rank = t("rank_of", lang, rank=int(row.rank), n=int(row.n_ranked))
    return [
        f"{pick(lang, row.label_nl, row.label_en)} ({UNIT_LABEL[unit][lang]})",
        short_value(row.value, unit, dec, lang) + mark,
        short_value(reference, unit, dec, lang) or NONE,
        NONE if is_missing(row.difference) else format_difference(row.value, reference, dec, lang),
        t(f"judgement_short_{row.judgement}", lang),
        rank,
        format_period_age(row.period, today, lang),
    ]


def _figures_table(profile: WijkProfile, lang: str, coverage: dict, today: date) -> dict:
    """Every figure of the wijk next to Hengelo; derived values carry a footnote number."""
    notes = coverage_notes(profile.figures, coverage, lang)
    footnotes = {text: i for i, text in enumerate(dict.fromkeys(notes.values()), start=1)}
    marks = {ind: footnotes[text] for ind, text in notes.items()}
    joined = " · ".join(f"{i}) {text}" for text, i in footnotes.items())
    return {
        "heading": t("wijk_figures_heading", lang),
        "header": [t(k, lang) for k in FIGURE_COLUMNS],
        "rows": [_figure_row(row, lang, marks, today) for row in profile.figures.itertuples()],
        "widths": FIGURE_WIDTHS,
        "right": FIGURE_RIGHT,
        "note": joined or None,
    }


def _buurt_table(profile: WijkProfile, catalogue: pd.DataFrame, lang: str, today: date) -> dict:
    """The indicators (rows) per buurt (columns), each row naming its unit and period."""
    codes = list(profile.buurten["code"])
    names = dict(zip(profile.buurten["code"], profile.buurten["name"], strict=True))
    rows = []
    for rec in profile.buurt_table.to_dict("records"):
        ind = catalogue.loc[rec["indicator_id"]]
        unit, dec = ind["unit"], int(ind["decimals"])
        when = format_period_age(rec["period"], today, lang)
        values = [
            short_value(None if is_missing(rec[c]) else rec[c], unit, dec, lang) or NONE
            for c in codes
        ]
        rows.append([f"{label(ind, lang)} ({UNIT_LABEL[unit][lang]}; {when})", *values])
    width = (PAGE_WIDTH - BUURT_NAME_WIDTH) / max(len(codes), 1)
    return {
        "heading": t("buurten_heading", lang),
        "header": [t("col_indicator", lang)] + [names[c] for c in codes],
        "rows": rows,
        "widths": [BUURT_NAME_WIDTH] + [width] * len(codes),
        "right": list(range(1, len(codes) + 1)),
        "note": t("rounding_note", lang),
    }


_LOCAL = threading.local()


@functools.cache
def _template() -> bytes:
    """The Typst template, read once per process."""
    return TEMPLATE.read_bytes()


def _compiler():
    """One Typst compiler per thread (it keeps its fonts and caches between documents and
    is not shared between threads), with the DejaVu fonts matplotlib ships and no system
    fonts: the same PDF on every machine."""
    if not hasattr(_LOCAL, "compiler"):
        import matplotlib
        import typst

        fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        _LOCAL.compiler = typst.Compiler(font_paths=[str(fonts)], ignore_system_fonts=True)
    return _LOCAL.compiler


def wijk_coverage(ctx, wijk: str) -> dict:
    """``(indicator_id, period) -> (k, n)`` of the wijk's derived values (public figures)."""
    obs = ctx.public_obs
    rows = obs[(obs["area_code"] == wijk) & obs["coverage_n"].notna()]
    return {
        (r.indicator_id, r.period): (r.coverage_n, r.coverage_total)
        for r in rows.itertuples()
        if pd.notna(r.coverage_total)
    }


_MAP_CACHE: dict[tuple, tuple] = {}


def wijk_map(ctx, wijk: str, focus: bool) -> tuple[bytes, list[str]]:
    """The wijk map SVG from the store's master geometry (EPSG:28992), cached per store, and
    the key of its numbered buurten ('1 Stadspark Weusthag-Noord', ...)."""
    from dashboard.pdfmap import wijk_map_svg

    key = (ctx.data.meta.get("source_fingerprint"), ctx.data.meta.get("built_at"), wijk, focus)
    if key not in _MAP_CACHE:
        if len(_MAP_CACHE) > 40:
            _MAP_CACHE.clear()
        svg, numbered = wijk_map_svg(ctx.data.buurten, ctx.data.wijken, wijk, focus)
        names = ctx.areas["buurt"].set_index("code")["name"]
        key_list = [f"{number} {names[code]}" for code, number in numbered.items()]
        _MAP_CACHE[key] = (svg, key_list)
    return _MAP_CACHE[key]
