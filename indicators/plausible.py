"""Plausible values: the one rule for what a stored or imported number may be.

A value must be finite, lie in the range the catalogue gives its unit (``[[unit]]``, narrowed
per indicator by ``[[limit]]``) and be whole where the unit counts things. Imports refuse
anything else; values already in a store that break the rule are reported by
``wijkveiligheid check`` and shown as missing on public pages. Pure functions, no I/O.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from indicators.catalogue import Range, Ranges

UNIT_WORDS = {
    "pct": "een percentage",
    "per1000": "een aantal per 1.000 inwoners",
    "count": "een aantal",
    "ha": "hectare",
    "per_km2": "een aantal per km²",
    "persons": "een aantal personen",
}


def _show(value: float) -> str:
    """A number the Dutch way: ``500.000``, ``1,5``, ``1,7e+308``."""
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}".replace(",", ".")
    return f"{value:.10g}".replace(".", ",")


def value_problem(value: float, rng: Range, unit: str) -> str | None:
    """Why ``value`` is not plausible for a unit with range ``rng`` (None when it is).

    >>> value_problem(12.5, Range(0, 100, False), "pct") is None
    True
    >>> value_problem(1.5, Range(0, 10, True), "count")
    'een aantal moet een geheel getal zijn, niet 1,5'
    >>> value_problem(1.7e308, Range(0, 1e6, True), "count")
    'waarde 1,7e+308 ligt buiten het bereik 0 tot 1.000.000 voor een aantal'
    """
    if value is None or not math.isfinite(value):
        return f"waarde {value} is geen eindig getal"
    if unit == "pct" and not rng.min <= value <= rng.max:
        return f"percentage {_show(value)} ligt niet tussen {_show(rng.min)} en {_show(rng.max)}"
    what = UNIT_WORDS.get(unit, unit)
    if value < 0 <= rng.min:
        return f"negatieve waarde {_show(value)} voor {what}"
    if not rng.min <= value <= rng.max:
        return (
            f"waarde {_show(value)} ligt buiten het bereik {_show(rng.min)} tot "
            f"{_show(rng.max)} voor {what}"
        )
    if rng.whole and value != math.floor(value):
        return f"{what} moet een geheel getal zijn, niet {_show(value)}"
    return None


def implausible(obs: pd.DataFrame, catalogue: pd.DataFrame, ranges: Ranges) -> pd.Series:
    """True for every observation whose value is present but not plausible (non-finite, out
    of range, a fraction of a count). Missing values are not implausible."""
    values = pd.to_numeric(obs["value"], errors="coerce").astype(float)
    present = obs["value"].notna()
    units = catalogue["unit"] if len(catalogue) else pd.Series(dtype=str)
    per_indicator = {
        ind: ranges.for_indicator(str(ind), str(units.get(ind, "count")))
        for ind in obs["indicator_id"].unique()
    }
    found = [per_indicator[ind] for ind in obs["indicator_id"]]
    low = np.array([r.min for r in found], dtype=float)
    high = np.array([r.max for r in found], dtype=float)
    whole = np.array([r.whole for r in found], dtype=bool)
    arr = values.to_numpy()
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(arr) | (arr < low) | (arr > high)
        bad |= whole & np.isfinite(arr) & (arr != np.floor(np.where(np.isfinite(arr), arr, 0)))
    return pd.Series(bad, index=obs.index) & present


def stored_value_problems(
    obs: pd.DataFrame, catalogue: pd.DataFrame, ranges: Ranges, limit: int = 20
) -> list[str]:
    """One line per implausible stored value (at most ``limit``, then a count of the rest)."""
    mask = implausible(obs, catalogue, ranges)
    bad = obs[mask]
    lines = []
    for row in bad.head(limit).itertuples():
        unit = catalogue["unit"].get(row.indicator_id, "?") if len(catalogue) else "?"
        rng = ranges.for_indicator(str(row.indicator_id), str(unit))
        value = pd.to_numeric(pd.Series([row.value]), errors="coerce").iloc[0]
        reason = value_problem(float(value), rng, str(unit)) or "geen getal"
        note = getattr(row, "note", None)
        where = f" ({note})" if isinstance(note, str) and note.startswith("Import") else ""
        lines.append(f"{row.area_code}, {row.indicator_id}, {row.period}: {reason}{where}")
    if len(bad) > limit:
        lines.append(f"en nog {len(bad) - limit} onwaarschijnlijke waarden")
    return lines


def finite_or_nan(value) -> float:
    """``value`` as a float, or NaN when it is missing, not a number or not finite."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return math.nan
    return number if math.isfinite(number) else math.nan
