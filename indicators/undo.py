"""What undoing an import removes, told before it is done (web confirm page and CLI), and
times of the import log in the gemeente's local time. Pure: frames in, plain values out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from indicators import periods
from indicators.formatting import UNIT_LABEL
from indicators.schedule import TIMEZONE


def local_time(stamp) -> str:
    """An ISO time of the store (UTC) as local time with its zone, Dutch date format;
    '' for a missing or unreadable one.

    >>> local_time("2026-12-04T08:05:48+00:00"), local_time("2026-07-01T12:00:00+00:00")
    ('04-12-2026 09:05 CET', '01-07-2026 14:00 CEST')
    >>> local_time(None), local_time("gisteren")
    ('', '')
    """
    if not isinstance(stamp, str) or not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return ""
    if moment.tzinfo is None:  # the store writes UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TIMEZONE).strftime("%d-%m-%Y %H:%M %Z")


@dataclass
class IndicatorRows:
    """The rows of one indicator in an import."""

    indicator_id: str
    label: str
    unit: str
    rows: int
    periods: list[str]


@dataclass
class ImportSummary:
    """An import as the undo confirmation shows it."""

    number: int
    user: str
    at: str
    file_name: str
    source: str
    periods: list[str]
    rows: int
    undone_at: str = ""
    undone_by: str = ""
    per_indicator: list[IndicatorRows] = field(default_factory=list)


def _unit(catalogue: pd.DataFrame, indicator) -> str:
    """'count (aantal)': the unit's id and its Dutch word."""
    unit = str(catalogue["unit"].get(indicator, "")) if len(catalogue) else ""
    word = UNIT_LABEL.get(unit, {}).get("nl")
    return f"{unit} ({word})" if word else unit


def _sorted_periods(values) -> list[str]:
    return sorted({str(v) for v in values}, key=periods.sort_key)


def _source_title(log_row: pd.Series, import_sources: pd.DataFrame) -> str:
    source_id = str(log_row.get("source_id") or "")
    match = import_sources[import_sources["id"] == source_id]
    return str(match["title"].iloc[0]) if len(match) else source_id


def import_summary(number: int, state: dict, catalogue: pd.DataFrame) -> ImportSummary | None:
    """What import ``number`` holds (``state``: the store's kept tables, see
    ``Store.state_tables``): who loaded which file when (local time), its source, periods
    and the rows per indicator with label and unit; ``None`` when there is no such import."""
    log = state["import_log"]
    match = log[pd.to_numeric(log["id"], errors="coerce") == number]
    if match.empty:
        return None
    head = match.iloc[0]
    obs = state["import_observation"]
    obs = obs[pd.to_numeric(obs["import_id"], errors="coerce") == number]
    per = [
        IndicatorRows(
            str(ind),
            str(catalogue["label_nl"].get(ind, ind)) if len(catalogue) else str(ind),
            _unit(catalogue, ind),
            len(group),
            _sorted_periods(group["period"]),
        )
        for ind, group in obs.groupby("indicator_id", sort=True)
    ]
    return ImportSummary(
        number=number,
        user=str(head["user"]),
        at=local_time(head["at"]),
        file_name=str(head["file_name"]),
        source=_source_title(head, state["import_source"]),
        periods=_sorted_periods(obs["period"]),
        rows=len(obs),
        undone_at=local_time(head["undone_at"]),
        undone_by=str(head["undone_by"] or "") if pd.notna(head["undone_by"]) else "",
        per_indicator=per,
    )


def summary_lines(summary: ImportSummary) -> list[str]:
    """The summary as plain Dutch lines (the CLI prints them before asking)."""
    lines = [
        f"Import #{summary.number}: {summary.file_name}, geladen door {summary.user} "
        f"op {summary.at}",
        f"Bron: {summary.source}; periode(n): {', '.join(summary.periods) or '–'}",
        f"Wordt verwijderd: {summary.rows} waarden",
    ]
    lines += [
        f"  {r.indicator_id} ({r.label}, eenheid {r.unit}): {r.rows} waarden, "
        f"{', '.join(r.periods)}"
        for r in summary.per_indicator
    ]
    return lines
