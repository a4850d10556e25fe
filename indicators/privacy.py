"""What may reach a public page: public indicators only, small numbers suppressed (CBS practice)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from indicators.catalogue import Ranges, plausible_ranges
from indicators.complementary import complementary_suppression
from indicators.plausible import implausible

COUNT_ROUNDING = 5


def round_to(value: float, base: int = COUNT_ROUNDING) -> float:
    """Round a count to the nearest multiple of ``base`` (CBS rounds buurt counts to 5); a
    missing or non-finite value (or one too large to round) comes back missing.

    >>> round_to(12), round_to(float("inf")) != round_to(float("inf"))
    (10.0, True)
    """
    try:
        value = float(value)
        rounded = float(base * round(value / base)) if math.isfinite(value) else math.nan
    except (TypeError, ValueError, OverflowError):
        return math.nan
    return rounded if math.isfinite(rounded) else math.nan


def cbs_sources(sources: pd.DataFrame) -> set[str]:
    """Source ids published by CBS (alone or with others): their published figures have
    passed CBS's own disclosure control already."""
    publisher = sources.set_index("id")["publisher"] if "id" in sources else sources["publisher"]
    return {i for i, p in publisher.items() if "CBS" in str(p)}


def public_observations(
    obs: pd.DataFrame,
    catalogue: pd.DataFrame,
    published_by_cbs: set[str] | None = None,
    ranges: Ranges | None = None,
    parents: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Observations fit for public pages.

    - only indicators the catalogue marks public;
    - counts below gemeente level are rounded to 5 (CBS practice), except figures exactly as
      CBS published them (status 'published' from a source in ``published_by_cbs``): CBS
      has applied its disclosure control to those already (it rounds inhabitants to 5 and
      leaves out small areas itself), so they are shown as published, not changed. Counts
      we sum from buurten ('derived') and counts from other sources are rounded;
    - survey figures with a known number of respondents below the indicator's ``min_n`` are
      suppressed (value missing, status ``suppressed``);
    - values that could not be derived well enough stay missing;
    - a cell from which a suppressed one could be worked back (a total minus its other
      parts, along ``parents``: area code -> code of the area it lies in) is suppressed too:
      see :mod:`indicators.complementary`;
    - values that are not plausible (not finite, out of the unit's range: see
      :mod:`indicators.plausible`; ``wijkveiligheid check`` reports them) are shown as missing.
    """
    public_ids = set(catalogue.index[catalogue["public"].astype(bool)])
    out = obs[obs["indicator_id"].isin(public_ids)].copy()
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    bad = implausible(out, catalogue, ranges or plausible_ranges())
    out.loc[bad, "value"] = np.nan
    out.loc[bad, "status"] = "missing"
    units = out["indicator_id"].map(catalogue["unit"])
    min_n = out["indicator_id"].map(catalogue["min_n"]).fillna(0)
    counts = (units == "count") & (out["level"] != "gemeente") & out["value"].notna()
    if published_by_cbs:
        as_published = (out["status"] == "published") & out["source_id"].isin(published_by_cbs)
        counts &= ~as_published
    out.loc[counts, "value"] = out.loc[counts, "value"].map(round_to)
    small = out["n"].notna() & (out["n"] < min_n) & (min_n > 0)
    out.loc[small, "value"] = np.nan
    out.loc[small, "status"] = "suppressed"
    return complementary_suppression(out, parents or {})
