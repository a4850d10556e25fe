"""Pure selections from the observations that pages show: map values, profiles, periods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import periods

GEMEENTE = "GM0164"


def latest_period(
    obs: pd.DataFrame, indicator: str, level: str, min_share: float = 0.5
) -> str | None:
    """The most recent period of ``indicator`` at ``level`` that covers at least ``min_share``
    of the best-covered period's areas (so that a few new values for one buurt do not turn
    the whole map grey); values suppressed for privacy count as covered.

    >>> obs = pd.DataFrame({"indicator_id": "x", "level": "buurt", "status": "published",
    ...                     "period": ["2017", "2017", "2017", "2020"],
    ...                     "value": [1.0, 2.0, 3.0, 4.0], "area_code": ["a", "b", "c", "a"]})
    >>> latest_period(obs, "x", "buurt")
    '2017'
    """
    rows = obs[(obs["indicator_id"] == indicator) & (obs["level"] == level) & shown_mask(obs)]
    if rows.empty:
        return None
    counts = rows.groupby("period")["area_code"].nunique()
    enough = counts[counts >= min_share * counts.max()]
    return periods.latest(enough.index)


def _latest_index(rows: pd.DataFrame):
    """Index label of the row with the most recent period."""
    return rows["period"].map(periods.sort_key).idxmax()


def shown_mask(obs: pd.DataFrame) -> pd.Series:
    """Rows that count as data: a value, or a value suppressed for privacy (the page then says
    why it is not shown)."""
    return obs["value"].notna() | (obs["status"] == "suppressed")


def indicators_with_data(
    obs: pd.DataFrame, catalogue: pd.DataFrame, level: str | None = None
) -> list[str]:
    """Catalogue ids (in catalogue order) with at least one value at ``level`` (any level when
    ``None``); a value that is suppressed for privacy counts. The one rule every page uses.

    >>> obs = pd.DataFrame({"indicator_id": ["a", "b", "c"], "level": ["wijk", "buurt", "wijk"],
    ...                     "value": [1.0, 2.0, None], "status": ["published"] * 2 + ["missing"]})
    >>> indicators_with_data(obs, pd.DataFrame(index=["c", "b", "a"]), "wijk")
    ['a']
    >>> indicators_with_data(obs, pd.DataFrame(index=["c", "b", "a"]))
    ['b', 'a']
    """
    mask = shown_mask(obs) if level is None else shown_mask(obs) & (obs["level"] == level)
    present = set(obs.loc[mask, "indicator_id"])
    return [i for i in catalogue.index if i in present]


def map_values(
    obs: pd.DataFrame, indicator: str, level: str, codes: list[str], period: str | None = None
) -> pd.DataFrame:
    """One row per area code in ``codes`` (same order): value, status, note, source, period.

    Areas without an observation get a missing value and status ``missing``.
    """
    period = period or latest_period(obs, indicator, level)
    rows = (
        obs[
            (obs["indicator_id"] == indicator) & (obs["level"] == level) & (obs["period"] == period)
        ]
        .drop_duplicates("area_code")
        .set_index("area_code")
    )
    out = rows.reindex(codes)[
        ["value", "status", "note", "source_id", "coverage_n", "coverage_total"]
    ]
    out["status"] = out["status"].fillna("missing")
    out["period"] = period
    return out.reset_index(names="area_code")


def reference_value(obs: pd.DataFrame, indicator: str, period: str | None) -> float:
    """The Hengelo (gemeente) value of ``indicator`` in ``period`` (NaN when there is none)."""
    rows = obs[
        (obs["indicator_id"] == indicator)
        & (obs["area_code"] == GEMEENTE)
        & (obs["period"] == period)
    ]
    return float(rows["value"].iloc[0]) if len(rows) else np.nan


def judgement(difference: float, polarity: str) -> str:
    """'better', 'worse', 'equal' or 'neutral' for a difference against the reference."""
    if np.isnan(difference) or polarity == "neutral":
        return "neutral"
    if difference == 0:
        return "equal"
    worse = difference > 0 if polarity == "higher_worse" else difference < 0
    return "worse" if worse else "better"


def area_profile(
    obs: pd.DataFrame, catalogue: pd.DataFrame, code: str, level: str, peers: list[str]
) -> pd.DataFrame:
    """Every indicator with a value for area ``code``: latest value, Hengelo value, difference,
    judgement by polarity, and rank among ``peers`` (1 = most concern / highest)."""
    rows = []
    for ind in catalogue.itertuples():
        mine = obs[
            (obs["indicator_id"] == ind.id) & (obs["area_code"] == code) & obs["value"].notna()
        ]
        if mine.empty:
            continue
        latest = mine.loc[_latest_index(mine)]
        ref = reference_value(obs, ind.id, latest["period"]) if code != GEMEENTE else np.nan
        # a count or an area is not comparable with the whole of Hengelo: no difference
        diff = latest["value"] - ref if ind.unit not in ("count", "ha") else np.nan
        rows.append(
            {
                "indicator_id": ind.id,
                "period": latest["period"],
                "value": latest["value"],
                "status": latest["status"],
                "note": latest["note"],
                "source_id": latest["source_id"],
                "reference": ref,
                "difference": diff,
                "judgement": judgement(diff, ind.polarity),
                "rank": _rank(obs, ind, latest["period"], level, code, peers),
                "n_ranked": _n_ranked(obs, ind.id, latest["period"], level, peers),
            }
        )
    return pd.DataFrame(rows)


def _peer_values(obs, indicator, period, level, peers) -> pd.Series:
    rows = obs[
        (obs["indicator_id"] == indicator)
        & (obs["period"] == period)
        & (obs["level"] == level)
        & obs["area_code"].isin(peers)
        & obs["value"].notna()
    ]
    return rows.set_index("area_code")["value"]


def _rank(obs, ind, period, level, code, peers):
    values = _peer_values(obs, ind.id, period, level, peers)
    if code not in values.index or len(values) < 2:
        return None
    ascending = ind.polarity == "higher_better"
    return int(values.rank(ascending=ascending, method="min")[code])


def _n_ranked(obs, indicator, period, level, peers) -> int:
    return int(len(_peer_values(obs, indicator, period, level, peers)))


def comparison(
    obs: pd.DataFrame, catalogue: pd.DataFrame, codes: list[str], indicators: list[str]
) -> pd.DataFrame:
    """Long table for side-by-side comparison: one row per (indicator, area) with the latest
    value of that area, the Hengelo value of the same period, difference and judgement."""
    rows = []
    for indicator in indicators:
        ind = catalogue.loc[indicator]
        for code in codes:
            mine = obs[
                (obs["indicator_id"] == indicator)
                & (obs["area_code"] == code)
                & obs["value"].notna()
            ]
            if mine.empty:
                rows.append(
                    {
                        "indicator_id": indicator,
                        "area_code": code,
                        "value": np.nan,
                        "period": None,
                        "reference": np.nan,
                        "difference": np.nan,
                        "judgement": "neutral",
                        "status": "missing",
                    }
                )
                continue
            latest = mine.loc[_latest_index(mine)]
            ref = reference_value(obs, indicator, latest["period"])
            comparable = ind["unit"] not in ("count", "ha") and code != GEMEENTE
            diff = latest["value"] - ref if comparable else np.nan
            rows.append(
                {
                    "indicator_id": indicator,
                    "area_code": code,
                    "value": latest["value"],
                    "period": latest["period"],
                    "reference": ref,
                    "difference": diff,
                    "judgement": judgement(diff, ind["polarity"]),
                    "status": latest["status"],
                }
            )
    return pd.DataFrame(rows)


def ranking(
    obs: pd.DataFrame, catalogue: pd.DataFrame, indicator: str, level: str, codes: list[str]
) -> pd.DataFrame:
    """All areas of ``level`` for one indicator (latest period), most concern first; areas
    without a value come last with a missing value."""
    period = latest_period(obs, indicator, level)
    rows = map_values(obs, indicator, level, codes, period)
    polarity = catalogue.loc[indicator, "polarity"]
    ascending = polarity == "higher_better"
    return rows.sort_values("value", ascending=ascending, na_position="last").reset_index(drop=True)
