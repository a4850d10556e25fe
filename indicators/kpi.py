"""KPI status computed from the data: on track, off track, or no measurement after the baseline."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.gemeente import GEMEENTE
from indicators import periods


@dataclass(frozen=True)
class KpiStatus:
    """``status`` is 'on_track', 'off_track', 'no_data' (no measurement after the baseline) or
    'not_measurable' (the KPI has no indicator in the data)."""

    status: str
    latest_value: float | None
    latest_period: str | None
    baseline: float | None
    baseline_period: str | None


def kpi_status(kpi: dict, obs: pd.DataFrame, area: str = GEMEENTE.code) -> KpiStatus:
    """Compare the latest value of the KPI's indicator after its baseline period with the
    baseline, in the KPI's direction ('lower_or_equal' or 'higher_or_equal').

    >>> obs = pd.DataFrame({"area_code": [GEMEENTE.code] * 2, "indicator_id": ["x"] * 2,
    ...                     "period": ["2015", "2019"], "value": [20.0, 18.0]})
    >>> kpi_status({"indicator": "x", "baseline": 20.0, "baseline_period": "2015",
    ...             "direction": "lower_or_equal"}, obs).status
    'on_track'
    """
    baseline = _number(kpi.get("baseline"))
    base_period = kpi.get("baseline_period")
    indicator = kpi.get("indicator")
    if not isinstance(indicator, str) or not indicator or not kpi.get("direction"):
        return KpiStatus("not_measurable", None, None, baseline, base_period)
    rows = obs[
        (obs["indicator_id"] == indicator) & (obs["area_code"] == area) & obs["value"].notna()
    ]
    if base_period:
        rows = rows[rows["period"].map(periods.year_of) > int(base_period)]
    if rows.empty or baseline is None:
        return KpiStatus("no_data", None, None, baseline, base_period)
    latest = rows.loc[rows["period"].map(periods.sort_key).idxmax()]
    value = float(latest["value"])
    good = value <= baseline if kpi["direction"] == "lower_or_equal" else value >= baseline
    return KpiStatus(
        "on_track" if good else "off_track", value, str(latest["period"]), baseline, base_period
    )


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return float(value)


def area_kpi_status(kpi: dict, obs: pd.DataFrame, area: str) -> KpiStatus:
    """The status of ``area`` against its *own* baseline: its value of the KPI's baseline
    period. The plan's baseline is Hengelo's; comparing an area with it would judge the area
    by the city. Without an area value of that period the status is 'no_area_baseline'.

    >>> obs = pd.DataFrame({"area_code": ["WK1", "WK1"], "indicator_id": ["x", "x"],
    ...                     "period": ["2011", "2019"], "value": [13.0, 15.0]})
    >>> kpi = {"indicator": "x", "baseline": 19.0, "baseline_period": "2011",
    ...        "direction": "higher_or_equal"}
    >>> area_kpi_status(kpi, obs, "WK1").status, area_kpi_status(kpi, obs, "WK1").baseline
    ('on_track', 13.0)
    >>> area_kpi_status(kpi, obs, "WK2").status
    'no_area_baseline'
    """
    baseline = area_baseline(kpi, obs, area)
    if baseline is None:
        if not isinstance(kpi.get("indicator"), str) or not kpi.get("direction"):
            return kpi_status(kpi, obs, area)
        return KpiStatus("no_area_baseline", None, None, None, kpi.get("baseline_period"))
    return kpi_status({**kpi, "baseline": baseline}, obs, area)


def area_baseline(kpi: dict, obs: pd.DataFrame, area: str) -> float | None:
    """``area``'s value of the KPI's indicator in the KPI's baseline period (None if none)."""
    period = kpi.get("baseline_period")
    if not period or not isinstance(kpi.get("indicator"), str):
        return None
    rows = obs[
        (obs["indicator_id"] == kpi["indicator"])
        & (obs["area_code"] == area)
        & (obs["period"].astype(str) == str(period))
        & obs["value"].notna()
    ]
    return None if rows.empty else float(rows["value"].iloc[0])
