"""Wijk and gemeente values derived from buurten: counts summed, rates weighted by their base."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodata.gemeente import GEMEENTE
from indicators.loaders import observations
from indicators.plausible import finite_or_nan

MIN_COVERAGE_SHARE = 0.9


def _target_areas(buurt_to_wijk: pd.Series) -> dict[str, list[str]]:
    areas = {wijk: list(group.index) for wijk, group in buurt_to_wijk.groupby(buurt_to_wijk)}
    areas[GEMEENTE.code] = list(buurt_to_wijk.index)
    return areas


def _values(obs: pd.DataFrame, indicator: str, period: str) -> pd.Series:
    rows = obs[
        (obs["level"] == "buurt") & (obs["indicator_id"] == indicator) & (obs["period"] == period)
    ]
    return rows.set_index("area_code")["value"]


def aggregate(
    members: list[str],
    values: pd.Series,
    base: pd.Series | None,
    how: str,
    proxy: pd.Series,
    factor: float = 1.0,
) -> dict:
    """One derived value for an area made of ``members`` buurten.

    ``how`` is 'sum' (complete coverage required), 'weighted' (mean of ``values`` weighted by
    ``base``) or 'ratio' (sum of ``values`` / sum of ``base`` * ``factor``). ``proxy`` weighs the
    coverage share (inhabitants). A value whose coverage is too low comes back missing.

    >>> aggregate(["a", "b"], pd.Series({"a": 10.0, "b": 20.0}), pd.Series({"a": 1.0, "b": 3.0}),
    ...           "weighted", pd.Series({"a": 1.0, "b": 1.0}))["value"]
    17.5
    """
    vals = values.reindex(members).astype(float)
    vals = vals.where(np.isfinite(vals))  # a non-finite stored value counts as missing
    ok = vals.notna()
    if base is not None:
        base = base.astype(float).where(np.isfinite(base.astype(float)))
        ok &= base.reindex(members).notna()
    present = [m for m, good in zip(members, ok, strict=True) if good]
    total = float(proxy.reindex(members).fillna(0).sum())
    share = float(proxy.reindex(present).fillna(0).sum()) / total if total else 0.0
    result = {"coverage_n": len(present), "coverage_total": len(members), "coverage_share": share}
    complete = len(present) == len(members)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # checked below
        value = _combine(vals[ok], base, present, how, factor, complete, share)
    if not np.isfinite(value) and not np.isnan(value):
        result["value"], result["status"] = np.nan, "missing"  # overflow: never shown
        return result
    result["value"] = value
    result["status"] = "derived" if not np.isnan(value) else "insufficient_coverage"
    return result


def _combine(vals, base, present, how, factor, complete, share) -> float:
    if how == "sum":
        return float(vals.sum()) if complete else np.nan
    if share < MIN_COVERAGE_SHARE or not present:
        return np.nan
    if how == "weighted":
        w = base.reindex(present)
        return float((vals * w).sum() / w.sum()) if w.sum() else np.nan
    den = base.reindex(present).sum()  # ratio
    return float(vals.sum() / den * factor) if den else np.nan


def derive_areas(
    obs: pd.DataFrame, catalogue: pd.DataFrame, buurt_to_wijk: pd.Series, proxy: pd.Series
) -> pd.DataFrame:
    """Add wijk and gemeente values derived from buurt observations where none is published.

    Parameters
    ----------
    obs : long observations (published values).
    catalogue : catalogue frame indexed by indicator id.
    buurt_to_wijk : buurt code -> wijk code for every buurt.
    proxy : buurt code -> inhabitants, to weigh how much of an area the data covers.
    """
    published = set(zip(obs["area_code"], obs["indicator_id"], obs["period"], strict=True))
    areas = _target_areas(buurt_to_wijk)
    rows = []
    for ind in catalogue.itertuples():
        if ind.aggregation == "none":
            continue
        buurt_rows = obs[(obs["level"] == "buurt") & (obs["indicator_id"] == ind.id)]
        for period in sorted(buurt_rows["period"].unique()):
            rows += _derive_indicator(obs, ind, period, areas, proxy, published)
    derived = observations(pd.DataFrame(rows)) if rows else obs.iloc[0:0]
    return pd.concat([obs, derived], ignore_index=True)


def _derive_indicator(obs, ind, period, areas, proxy, published) -> list[dict]:
    if ind.aggregation == "ratio":
        values, base = _values(obs, ind.numerator, period), _values(obs, ind.denominator, period)
    else:
        values = _values(obs, ind.id, period)
        base = _values(obs, ind.weight, period) if ind.aggregation == "weighted" else None
    source = _source_of(obs, ind.numerator if ind.aggregation == "ratio" else ind.id, period)
    rows = []
    for area, members in areas.items():
        if (area, ind.id, period) in published:
            continue
        result = aggregate(members, values, base, ind.aggregation, proxy, ind.factor)
        note = (
            f"Afgeleid uit {result['coverage_n']} van {result['coverage_total']} buurten "
            f"({result['coverage_share']:.0%} van de inwoners)"
        )
        rows.append(
            {
                "area_code": area,
                "indicator_id": ind.id,
                "period": period,
                "source_id": source or ind.source,
                "note": note,
                **result,
            }
        )
    return rows


def _source_of(obs: pd.DataFrame, indicator: str, period: str) -> str | None:
    """The source of the buurt values a derived value is built from (the most common one), so
    that a wijk value derived from 2017 buurt figures cites the 2017 table, and one derived
    from an import cites that import."""
    rows = obs[
        (obs["level"] == "buurt")
        & (obs["indicator_id"] == indicator)
        & (obs["period"] == period)
        & obs["value"].notna()
    ]
    counts = rows["source_id"].dropna().value_counts()
    return str(counts.index[0]) if len(counts) else None


def _per_1000(count, base) -> float:
    """``count`` per 1,000 of ``base``; NaN unless both are finite and the base positive."""
    count, base = finite_or_nan(count), finite_or_nan(base)
    if not base > 0 or np.isnan(count):
        return np.nan
    value = count / base * 1000
    return value if np.isfinite(value) else np.nan


def derive_crime_rate(obs: pd.DataFrame) -> pd.DataFrame:
    """Registered crimes per 1,000 inhabitants for the gemeente, where both are of one year."""
    gm = obs[obs["area_code"] == GEMEENTE.code]
    crimes = gm[gm["indicator_id"] == "geregistreerde_misdrijven"].set_index("period")["value"]
    people = gm[gm["indicator_id"] == "inwoners"].set_index("period")["value"]
    rows = [
        {
            "area_code": GEMEENTE.code,
            "indicator_id": "geregistreerde_misdrijven_per1000",
            "period": period,
            "value": _per_1000(crimes[period], people[period]),
            "source_id": "POLITIE_CBS",
            "status": "derived",
            "note": f"{crimes[period]:.0f} misdrijven (Politie/CBS) / "
            f"{people[period]:.0f} inwoners (CBS) x 1.000",
        }
        for period in crimes.index.intersection(people.index)
        if np.isfinite(_per_1000(crimes[period], people[period]))
    ]
    if not rows:
        return obs
    return pd.concat([obs, observations(pd.DataFrame(rows))], ignore_index=True)
