"""What may reach a public page: public indicators only, small numbers suppressed (CBS practice)."""

from __future__ import annotations

import numpy as np
import pandas as pd

COUNT_ROUNDING = 5


def round_to(value: float, base: int = COUNT_ROUNDING) -> float:
    """Round a count to the nearest multiple of ``base`` (CBS rounds buurt counts to 5)."""
    return float(base * round(value / base))


def public_observations(obs: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Observations fit for public pages.

    - only indicators the catalogue marks public;
    - counts below wijk-and-gemeente level sums are rounded to 5 (buurt and derived wijk counts);
    - survey figures with a known number of respondents below the indicator's ``min_n`` are
      suppressed (value missing, status ``suppressed``);
    - values that could not be derived well enough stay missing.
    """
    public_ids = set(catalogue.index[catalogue["public"].astype(bool)])
    out = obs[obs["indicator_id"].isin(public_ids)].copy()
    units = out["indicator_id"].map(catalogue["unit"])
    min_n = out["indicator_id"].map(catalogue["min_n"]).fillna(0)
    counts = (units == "count") & (out["level"] != "gemeente") & out["value"].notna()
    out.loc[counts, "value"] = out.loc[counts, "value"].map(round_to)
    small = out["n"].notna() & (out["n"] < min_n) & (min_n > 0)
    out.loc[small, "value"] = np.nan
    out.loc[small, "status"] = "suppressed"
    return out
