"""One index of the public observations per (indicator, level, period), built once per data load.

A map switch reads one entry (values aligned to the level's area codes) instead of filtering the
whole observation frame. :func:`build_index` does one pass over the frame; the periods offered
and the default (latest well-covered) period follow the same rules as
:func:`indicators.views.latest_period` and :func:`indicators.views.indicators_with_data`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators import periods
from indicators.views import indicators_with_data, shown_mask


@dataclass(frozen=True)
class Series:
    """The values of one indicator at one level in one period, in the level's area order:
    ``rows`` has the columns of :func:`indicators.views.map_values` (status ``missing`` where an
    area has no observation)."""

    period: str
    rows: pd.DataFrame

    @property
    def values(self) -> np.ndarray:
        """The values as floats, NaN where missing or suppressed."""
        return pd.to_numeric(self.rows["value"], errors="coerce").to_numpy(dtype=float)


@dataclass
class ObsIndex:
    """Everything a map switch needs, looked up by key (no scan of the observations)."""

    codes: dict[str, list[str]]
    with_data: dict[str, list[str]]
    periods: dict[tuple[str, str], list[str]]  # newest first
    default_period: dict[tuple[str, str], str]
    series: dict[tuple[str, str, str], Series] = field(default_factory=dict)

    def available_periods(self, indicator: str, level: str) -> list[str]:
        """Periods with a shown value of ``indicator`` at ``level``, newest first."""
        return self.periods.get((indicator, level), [])

    def default(self, indicator: str, level: str) -> str | None:
        """The latest period that covers the level well (see ``MIN_SHARE``)."""
        return self.default_period.get((indicator, level))

    def get(self, indicator: str, level: str, period: str) -> Series | None:
        """The series of one (indicator, level, period), or ``None``."""
        return self.series.get((indicator, level, period))


def build_index(
    obs: pd.DataFrame, catalogue: pd.DataFrame, codes: dict[str, list[str]]
) -> ObsIndex:
    """Index ``obs`` (public observations) for the levels in ``codes`` (level -> area codes).

    >>> obs = pd.DataFrame({"indicator_id": "x", "level": "wijk", "status": "published",
    ...     "period": ["2017", "2017", "2020"], "value": [1.0, 2.0, 4.0],
    ...     "area_code": ["a", "b", "a"], "note": None, "source_id": "s",
    ...     "coverage_n": None, "coverage_total": None})
    >>> index = build_index(obs, pd.DataFrame(index=["x"]), {"wijk": ["a", "b"]})
    >>> index.available_periods("x", "wijk"), index.default("x", "wijk")
    (['2020', '2017'], '2020')
    >>> index.get("x", "wijk", "2020").values.tolist()
    [4.0, nan]
    """
    rows = obs[obs["level"].isin(list(codes)) & obs["area_code"].notna()]
    shown = rows[shown_mask(rows)]
    index = ObsIndex(
        codes={level: list(c) for level, c in codes.items()},
        with_data={level: indicators_with_data(obs, catalogue, level) for level in codes},
        periods={},
        default_period={},
    )
    for (indicator, level), part in shown.groupby(["indicator_id", "level"], sort=False):
        counts = part.groupby("period")["area_code"].nunique()
        index.periods[(indicator, level)] = sorted(counts.index, key=periods.sort_key, reverse=True)
        index.default_period[(indicator, level)] = periods.latest_well_covered(counts)
    for (indicator, level, period), part in rows.groupby(
        ["indicator_id", "level", "period"], sort=False
    ):
        index.series[(indicator, level, period)] = _series(part, period, index.codes[level])
    return index


def _series(part: pd.DataFrame, period: str, codes: list[str]) -> Series:
    rows = (
        part.drop_duplicates("area_code")
        .set_index("area_code")
        .reindex(codes)[["value", "status", "note", "source_id", "coverage_n", "coverage_total"]]
    )
    rows["status"] = rows["status"].fillna("missing")
    rows["period"] = period
    return Series(period=period, rows=rows.reset_index(names="area_code"))
