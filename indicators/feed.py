"""The changes a feed reports (issue 18 A2): every change beyond chance between two
*consecutive* periods, so that an import or refresh that adds a period adds entries and the
older entries stay as they were.

Built on :mod:`indicators.change` (its tests, levels and wording); this module only chooses
the pairs of periods, gives each change a stable key and says when its newer figure entered
the store. Pure functions: frames in, frames or text out.
"""

from __future__ import annotations

import re

import pandas as pd

from indicators import change, periods

FEED_LEVELS = ("gemeente", "wijk", "buurt")
IMPORT_NOTE = re.compile(r"^Import #(\d+)$")
LEVEL_ORDER = {"gemeente": 0, "wijk": 1, "buurt": 2}


def consecutive_pairs(obs: pd.DataFrame, indicator: str, level: str) -> list[tuple[str, str]]:
    """The pairs of consecutive well-covered periods of ``indicator`` at ``level`` (those
    :func:`indicators.change.change_periods` allows), oldest first.

    >>> obs = pd.DataFrame({"indicator_id": "x", "level": "wijk", "status": "published",
    ...     "value": 1.0, "area_code": "a", "period": ["2024", "2022", "2023"]})
    >>> consecutive_pairs(obs, "x", "wijk")
    [('2022', '2023'), ('2023', '2024')]
    """
    found = {p for pair in change.change_periods(obs, indicator, level) for p in pair}
    ordered = sorted(found, key=periods.sort_key)
    return list(zip(ordered, ordered[1:], strict=False))


def _level_changes(obs, catalogue, level: str, members) -> list[pd.DataFrame]:
    frames = []
    for indicator in catalogue.index:
        for start, end in consecutive_pairs(obs, indicator, level):
            frames.append(
                change.changes(
                    obs, catalogue, level, start, end, indicators=[indicator], members=members
                )
            )
    return [f for f in frames if not f.empty]


def consecutive_changes(
    obs: pd.DataFrame,
    catalogue: pd.DataFrame,
    members: dict[str, list[str]] | None = None,
    levels: tuple[str, ...] = FEED_LEVELS,
) -> pd.DataFrame:
    """The change of every indicator with two or more periods between each pair of
    consecutive periods, at each of ``levels``, whatever its verdict: the rows of
    :func:`indicators.change.changes`, newest later period first, then gemeente, wijk, buurt,
    then strongest first. ``obs`` are public observations (suppressed values never count)."""
    frames = [f for level in levels for f in _level_changes(obs, catalogue, level, members)]
    if not frames:
        return pd.DataFrame(columns=change.CHANGE_COLUMNS)
    return _newest_first(pd.concat(frames, ignore_index=True))


def feed_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`consecutive_changes` beyond chance (95% or 99.8%), in its order.

    >>> cat = pd.DataFrame({"unit": ["count"], "polarity": ["higher_worse"]}, index=["x"])
    >>> obs = pd.DataFrame({"indicator_id": "x", "level": "wijk", "area_code": "W1",
    ...     "period": ["2022", "2023", "2024"], "value": [200.0, 300.0, 310.0],
    ...     "status": "published"})
    >>> rows = feed_changes(consecutive_changes(obs, cat))
    >>> rows[["period_from", "period_to", "verdict"]].values.tolist()
    [['2022', '2023', 'beyond_99.8']]
    """
    beyond = changes["verdict"].isin(["beyond_99.8", "beyond_95"])
    return changes[beyond].reset_index(drop=True)


def _newest_first(rows: pd.DataFrame) -> pd.DataFrame:
    year_month = rows["period_to"].map(lambda p: periods.sort_key(str(p)))
    keys = rows.assign(
        _year=-year_month.str[0],
        _month=-year_month.str[1],
        _level=rows["level"].map(LEVEL_ORDER).fillna(9),
        _rank=rows["verdict"].map(change.ORDER).fillna(9),
    )
    order = ["_year", "_month", "_level", "_rank", "p_value", "area_code", "indicator_id"]
    ordered = keys.sort_values(order, kind="stable", na_position="last")
    return ordered.drop(columns=["_year", "_month", "_level", "_rank"]).reset_index(drop=True)


def change_key(gemeente_code: str, row) -> str:
    """The stable part of a change's id: gemeente, area, indicator and the two periods.

    >>> change_key("GM9999", {"area_code": "WK016405", "indicator_id": "x",
    ...     "period_from": "2023", "period_to": "2024"})
    'GM9999/WK016405/x/2023/2024'
    """
    parts = [gemeente_code, row["area_code"], row["indicator_id"]]
    return "/".join(str(p) for p in [*parts, row["period_from"], row["period_to"]])


def tag_uri(authority: str, key: str, year: int = 2026) -> str:
    """A tag: URI (RFC 4151) for ``key`` minted by ``authority`` (a host name):
    ``tag:authority,year:key``; the same inputs give the same id on every build and request.

    >>> tag_uri("wijkveiligheid.example.nl", "GM9999/WK016405/x/2023/2024")
    'tag:wijkveiligheid.example.nl,2026:GM9999/WK016405/x/2023/2024'
    """
    return f"tag:{authority.lower()},{year}:{key}"


def active_imports(log: pd.DataFrame) -> dict[int, str]:
    """Import number -> the time it was loaded, for imports not undone."""
    if log is None or log.empty:
        return {}
    undone = log["undone_at"].fillna("").astype(str).str.len() > 0
    kept = log[~undone]
    return {int(n): str(at) for n, at in zip(kept["id"], kept["at"], strict=True)}


def _import_number(note) -> int | None:
    found = IMPORT_NOTE.match(str(note or ""))
    return int(found.group(1)) if found else None


def entered_at(
    obs: pd.DataFrame,
    row,
    imports: dict[int, str],
    built_at: str,
    members: dict[str, list[str]] | None = None,
) -> str:
    """When the newer figure of change ``row`` entered the store: the time of the import it
    came with (``imports``: number -> time); for a figure derived from buurten (status
    'derived') the newest import of the buurten it covers; else ``built_at`` (the store's
    build from the bundled sources). Never the time of asking.

    >>> obs = pd.DataFrame({"area_code": ["W1"], "indicator_id": ["x"], "period": ["2024"],
    ...     "note": ["Import #3"], "status": ["published"]})
    >>> row = {"area_code": "W1", "indicator_id": "x", "period_to": "2024"}
    >>> entered_at(obs, row, {3: "2026-05-01T10:00:00+00:00"}, "2026-01-01T00:00:00+00:00")
    '2026-05-01T10:00:00+00:00'
    >>> entered_at(obs, row, {}, "2026-01-01T00:00:00+00:00")
    '2026-01-01T00:00:00+00:00'
    """
    same = obs[
        (obs["indicator_id"] == row["indicator_id"])
        & (obs["period"].astype(str) == str(row["period_to"]))
    ]
    own = same[same["area_code"] == row["area_code"]]
    rows = own
    if own.empty or (own["status"] == "derived").any():
        rows = same[same["area_code"].isin((members or {}).get(row["area_code"]) or [])]
    times = [imports[n] for n in map(_import_number, rows["note"]) if n in imports]
    return max(times) if times else built_at
