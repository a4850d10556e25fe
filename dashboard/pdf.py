"""The printable one-page wijk profile as PDF (reportlab), dated and with its sources."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dashboard.figures import short_value
from dashboard.i18n import label, pick, t
from dashboard.kpitext import kpi_line
from dashboard.profile import FIGURE_COLUMNS, WijkProfile
from indicators.age import format_day, format_period_age
from indicators.formatting import UNIT_LABEL, format_signed, is_missing

GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 7),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf1")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b0b0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.0),
    ]
)


def _pdf_text(text) -> str:
    """Characters outside the PDF base fonts replaced (the minus sign) and XML escaped."""
    text = "" if text is None else str(text)
    text = text.replace("−", "-").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


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
    map_png: tuple[bytes, list[str]] | None = None,
    coverage: dict | None = None,
) -> bytes:
    """The profile as PDF bytes: with the wijk map (``map_png``) when given, and a note under
    every derived wijk value saying from how many buurten it was derived (``coverage``)."""
    today = today or date.today()
    st = _styles()
    notes = coverage_notes(profile.figures, coverage or {}, lang)
    footnotes = {text: i for i, text in enumerate(dict.fromkeys(notes.values()), start=1)}
    notes = {ind: footnotes[text] for ind, text in notes.items()}
    meta = (
        f"{profile.code} · {len(profile.buurten)} {t('buurten_word', lang)} · "
        f"{t('profile_date', lang, date=format_day(today, lang))}"
    )
    story = [
        Paragraph(_pdf_text(t("wijk_title", lang, name=profile.name)), st["h1"]),
        Paragraph(_pdf_text(meta), st["small"]),
    ]
    story += _map_and_focus(profile, lang, st, map_png)
    story += [
        Paragraph(_pdf_text(t("wijk_figures_heading", lang)), st["h2"]),
        _figures_table(profile, lang, st["small"], notes, today),
    ]
    if footnotes:
        joined = " · ".join(f"{i}) {text}" for text, i in footnotes.items())
        story.append(Paragraph(_pdf_text(joined), st["small"]))
    story += [
        Paragraph(_pdf_text(t("buurten_heading", lang)), st["h2"]),
        _buurt_table(profile, catalogue, lang, st["small"], today),
        Paragraph(_pdf_text(t("rounding_note", lang)), st["small"]),
    ]
    story += _kpis_and_sources(profile, lang, st)
    return _pdf_bytes(story, profile, lang)


def _styles() -> dict[str, ParagraphStyle]:
    """The profile's paragraph styles: small, body and two headings."""
    styles = getSampleStyleSheet()
    return {
        "small": ParagraphStyle("small", parent=styles["Normal"], fontSize=7, leading=8),
        "body": ParagraphStyle("body", parent=styles["Normal"], fontSize=8, leading=10),
        "h1": ParagraphStyle("h1", parent=styles["Heading1"], fontSize=15, spaceAfter=2),
        "h2": ParagraphStyle(
            "h2", parent=styles["Heading2"], fontSize=10, spaceBefore=4, spaceAfter=2
        ),
    }


def _focus_points(profile: WijkProfile, lang: str, st: dict) -> list:
    """The aandachtspunten of a focus wijk with their source (nothing for other wijken)."""
    if not profile.focus:
        return []
    focus = [Paragraph(_pdf_text(t("aandachtspunten", lang)), st["h2"])]
    if not profile.focus.get("listed_by_document", True):
        focus.append(Paragraph(_pdf_text(t("focus_not_listed", lang)), st["small"]))
    focus += [Paragraph("• " + _pdf_text(p), st["body"]) for p in profile.focus["aandachtspunten"]]
    source = f"{t('source', lang)}: {profile.focus['source']} ({profile.focus['year']})"
    return focus + [Paragraph(_pdf_text(source), st["small"])]


def _map_and_focus(profile: WijkProfile, lang: str, st: dict, map_png) -> list:
    """The map with its caption and the aandachtspunten beside it (which keeps the profile on
    one page), or the aandachtspunten alone without a map."""
    focus = _focus_points(profile, lang, st)
    if not map_png:
        return focus
    png, numbered = map_png
    caption = t("pdf_map_caption", lang, name=profile.name)
    if numbered:
        caption += " " + t("pdf_map_numbers", lang) + " " + "; ".join(numbered) + "."
    left = [_map_image(png), Paragraph(_pdf_text(caption), st["small"])]
    return [Spacer(1, 2 * mm), _side_by_side(left, focus)]


def _kpis_and_sources(profile: WijkProfile, lang: str, st: dict) -> list:
    """The KPIs that apply with their status, the sources and the footer."""
    story = []
    if profile.kpis:
        story.append(Paragraph(_pdf_text(t("wijk_themes_heading", lang)), st["h2"]))
        story += [
            Paragraph(_pdf_text(f"• {k.text} — {kpi_line(k, profile.name, lang)}"), st["small"])
            for k in profile.kpis
        ]
    story.append(Paragraph(_pdf_text(t("sources_heading", lang)), st["h2"]))
    story += [
        Paragraph(
            _pdf_text(f"{row.publisher}: {row.title} ({row.year or '–'}; {row.licence})"),
            st["small"],
        )
        for row in profile.sources.itertuples()
    ]
    return story + [Spacer(1, 1.5 * mm), Paragraph(_pdf_text(t("pdf_footer", lang)), st["small"])]


def _pdf_bytes(story: list, profile: WijkProfile, lang: str) -> bytes:
    """The story laid out on A4 with narrow margins, titled after the wijk."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=8 * mm,
        bottomMargin=8 * mm,
        title=t("wijk_title", lang, name=profile.name),
        author=t("app_title", lang),
        subject=profile.code,
        lang=pick(lang, "nl-NL", "en-GB"),
    )
    doc.build(story, onFirstPage=_show_title)
    return buffer.getvalue()


def _show_title(canvas, _doc) -> None:
    """Viewers show the document's title (not its file name) in the title bar. ReportLab
    cannot write a structure tree, so the PDF says its language and title but is not tagged."""
    canvas.setViewerPreference("DisplayDocTitle", "true")


def _side_by_side(left: list, right: list) -> Table:
    """Two columns without lines: the map and its caption left, ``right`` beside it."""
    table = Table([[left, right]], colWidths=[90 * mm, 96 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 4 * mm),
            ]
        )
    )
    return table


def _map_image(png: bytes, width_mm: float = 76) -> Image:
    """The map PNG at ``width_mm`` wide, its proportions kept."""
    image = Image(io.BytesIO(png))
    ratio = image.imageHeight / image.imageWidth
    image.drawWidth, image.drawHeight = width_mm * mm, width_mm * ratio * mm
    image.hAlign = "LEFT"
    return image


def _figures_table(
    profile: WijkProfile, lang: str, style, notes: dict | None = None, today: date | None = None
) -> Table:
    header = [t(k, lang) for k in FIGURE_COLUMNS]
    rows = [header]
    for row in profile.figures.itertuples():
        unit, dec = row.unit, int(row.decimals)
        rows.append(
            [
                Paragraph(
                    _pdf_text(
                        f"{pick(lang, row.label_nl, row.label_en)} ({UNIT_LABEL[unit][lang]})"
                    ),
                    style,
                ),
                _pdf_text(
                    short_value(row.value, unit, dec, lang)
                    + (f" {notes[row.indicator_id]})" if row.indicator_id in (notes or {}) else "")
                ),
                _pdf_text(
                    short_value(
                        None if is_missing(row.reference) else row.reference, unit, dec, lang
                    )
                    or "–"
                ),
                _pdf_text(
                    format_signed(row.difference, dec, lang)
                    if not is_missing(row.difference)
                    else "–"
                ),
                _pdf_text(t(f"judgement_short_{row.judgement}", lang)),
                _pdf_text(
                    t("rank_of", lang, rank=int(row.rank), n=int(row.n_ranked))
                    if row.rank and not pd.isna(row.rank)
                    else "–"
                ),
                Paragraph(_pdf_text(format_period_age(row.period, today, lang)), style),
            ]
        )
    table = Table(
        rows,
        colWidths=[56 * mm, 20 * mm, 20 * mm, 18 * mm, 22 * mm, 16 * mm, 24 * mm],
        repeatRows=1,
    )
    table.setStyle(GRID)
    return table


def _buurt_table(
    profile: WijkProfile, catalogue: pd.DataFrame, lang: str, style, today: date
) -> Table:
    codes = list(profile.buurten["code"])
    names = dict(zip(profile.buurten["code"], profile.buurten["name"], strict=True))
    header = [t("col_indicator", lang)] + [Paragraph(_pdf_text(names[c]), style) for c in codes]
    rows = [header]
    for rec in profile.buurt_table.to_dict("records"):
        ind = catalogue.loc[rec["indicator_id"]]
        unit, dec = ind["unit"], int(ind["decimals"])
        when = format_period_age(rec["period"], today, lang)
        rows.append(
            [Paragraph(_pdf_text(f"{label(ind, lang)} ({UNIT_LABEL[unit][lang]}; {when})"), style)]
            + [
                _pdf_text(
                    short_value(None if is_missing(rec[c]) else rec[c], unit, dec, lang) or "–"
                )
                for c in codes
            ]
        )
    width = (186 - 62) / max(len(codes), 1)
    table = Table(rows, colWidths=[62 * mm] + [width * mm] * len(codes), repeatRows=1)
    table.setStyle(GRID)
    return table


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
    """The wijk map PNG from the store's master geometry (EPSG:28992), cached per store, and
    the key of its numbered buurten ('1 Stadspark Weusthag-Noord', ...)."""
    from dashboard.pdfmap import wijk_map_png

    key = (ctx.data.meta.get("source_fingerprint"), ctx.data.meta.get("built_at"), wijk, focus)
    if key not in _MAP_CACHE:
        if len(_MAP_CACHE) > 40:
            _MAP_CACHE.clear()
        png, numbered = wijk_map_png(ctx.data.buurten, ctx.data.wijken, wijk, focus)
        names = ctx.areas["buurt"].set_index("code")["name"]
        key_list = [f"{number} {names[code]}" for code, number in numbered.items()]
        _MAP_CACHE[key] = (png, key_list)
    return _MAP_CACHE[key]
