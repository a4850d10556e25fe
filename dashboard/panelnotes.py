"""The small print of the map panel: a figure's unit, period with its age, and for a derived
wijk value from how many buurten it was derived, as the map's table says it."""

from __future__ import annotations

from datetime import date

import pandas as pd
from dash import html

from dashboard.i18n import t
from indicators.age import format_period_age
from indicators.formatting import UNIT_LABEL, is_missing


def area_coverage(obs: pd.DataFrame, code: str) -> dict[tuple[str, str], tuple[int, int]]:
    """``(indicator_id, period) -> (k, n)`` of ``code``'s derived values."""
    rows = obs[(obs["area_code"] == code) & obs["coverage_n"].notna()]
    return {
        (r.indicator_id, str(r.period)): (int(r.coverage_n), int(r.coverage_total))
        for r in rows.itertuples()
        if not is_missing(r.coverage_total)
    }


def derived_text(row, coverage: dict, lang: str) -> str | None:
    """'afgeleid (4 van 7 buurten)' for a derived value ('afgeleid' without its coverage)."""
    if row.status != "derived":
        return None
    k_n = coverage.get((row.indicator_id, str(row.period)))
    if k_n is None:
        return t("status_derived", lang)
    return t("derived_short", lang, n=k_n[0], total=k_n[1])


def panel_note(row, unit: str, coverage: dict, lang: str, today: date | None = None) -> str:
    """'per 1.000 inwoners · 2017 · 9 jaar oud · afgeleid (4 van 7 buurten)'."""
    parts = [
        UNIT_LABEL[unit][lang],
        format_period_age(row.period, today or date.today(), lang),
        derived_text(row, coverage, lang),
    ]
    return " · ".join(p for p in parts if p)


def panel_subtitle(area: pd.Series, level: str, code: str, lang: str) -> list:
    """Under the area's name: its wijk for a buurt; for a wijk the gemeente, code secondary."""
    if level == "buurt":
        return [t("panel_in_wijk", lang, wijk=area["wijknaam"])]
    return [
        t("panel_wijk_of", lang),
        " ",
        html.Span(f"(code {code})", className="panel-code"),
    ]
