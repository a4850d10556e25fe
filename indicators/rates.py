"""Counts or rates: a count the catalogue gives a ``denominator`` (and ``factor``) can also be
shown per 1,000 of that denominator (registered crimes per 1,000 inhabitants), derived here
from the public figures, never estimated:

- the rate of an area and period is its public count divided by its public denominator of
  the same area and year (a month's count uses the inhabitants of its year), times the
  factor; without a denominator of that year the rate is missing, not borrowed from another;
- it is made from the public figures (counts rounded and suppressed already, see
  :mod:`indicators.privacy`), so it reveals nothing the count does not: the rate of a
  suppressed count is suppressed with it, and a rate never gives an unrounded count away.

A rate is a synthetic indicator ``<count id>@per1000`` with its own catalogue row, so the
map, its index and its table treat it as any indicator. Pure: frames in, frames out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEPARATOR = "@"
MEASURES = ("aantal", "per1000")  # the values of the URL parameter ``maat``
DEFAULT_MEASURE = "aantal"
RATE_UNIT = "per1000"


def rate_key(indicator: str) -> str:
    """The id of the rate of count ``indicator``.

    >>> rate_key("geregistreerde_misdrijven"), count_of("geregistreerde_misdrijven@per1000")
    ('geregistreerde_misdrijven@per1000', 'geregistreerde_misdrijven')
    """
    return f"{indicator}{SEPARATOR}{RATE_UNIT}"


def count_of(key: str) -> str:
    """The count indicator of a rate key (a plain id comes back as it is)."""
    return key.split(SEPARATOR, 1)[0]


def with_rates(catalogue: pd.DataFrame) -> dict[str, str]:
    """Count indicator -> its denominator, for the counts that have a rate: unit ``count``,
    a ``denominator`` in the catalogue that is itself an indicator, and factor 1,000."""
    if "denominator" not in catalogue:
        return {}
    found = catalogue[
        (catalogue["unit"] == "count")
        & catalogue["denominator"].isin(catalogue.index)
        & (pd.to_numeric(catalogue["factor"], errors="coerce") == 1000)
    ]
    return dict(zip(found.index, found["denominator"], strict=True))


def rate_catalogue(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Catalogue rows of the rates: the count's row with the rate's id, unit, one decimal
    and its label ('… per 1.000 inwoners')."""
    rows = []
    for count, base in with_rates(catalogue).items():
        row = catalogue.loc[count].copy()
        base_nl, base_en = (str(catalogue.loc[base, k]).lower() for k in ("label_nl", "label_en"))
        row["id"] = rate_key(count)
        row["unit"] = RATE_UNIT
        row["decimals"] = 1
        row["aggregation"] = "none"
        row["label_nl"] = f"{row['label_nl']} per 1.000 {base_nl}"
        row["label_en"] = f"{row['label_en']} per 1,000 {base_en}"
        rows.append(row.rename(rate_key(count)))
    return pd.DataFrame(rows, columns=catalogue.columns)


def _year(period) -> str:
    return str(period)[:4]


def rate_observations(public_obs: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The rates of every count with a denominator, from ``public_obs`` (the output of
    :func:`indicators.privacy.public_observations`), with the columns of the observations.

    >>> cat = pd.DataFrame({"unit": ["count", "count"], "denominator": ["inwoners", None],
    ...     "factor": [1000.0, 1.0], "label_nl": ["M", "Inwoners"],
    ...     "label_en": ["C", "Inhabitants"]}, index=["m", "inwoners"])
    >>> obs = pd.DataFrame({"area_code": ["B1", "B1", "B2", "B2"], "level": "buurt",
    ...     "indicator_id": ["m", "inwoners", "m", "inwoners"], "period": "2021",
    ...     "value": [25.0, 500.0, np.nan, 400.0], "n": np.nan, "margin": np.nan,
    ...     "source_id": "S", "status": ["published", "published", "suppressed", "published"],
    ...     "coverage_n": np.nan, "coverage_total": np.nan, "coverage_share": np.nan,
    ...     "note": ""})
    >>> rate_observations(obs, cat)[["area_code", "value", "status"]].values.tolist()
    [['B1', 50.0, 'derived'], ['B2', nan, 'suppressed']]
    """
    parts = [
        _rates_of(public_obs, count, base, str(catalogue.loc[base, "label_nl"]).lower())
        for count, base in with_rates(catalogue).items()
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return public_obs.iloc[0:0].copy()
    return pd.concat(parts, ignore_index=True)


def _rates_of(obs: pd.DataFrame, count: str, base: str, base_label: str) -> pd.DataFrame:
    counts = obs[obs["indicator_id"] == count].copy()
    if counts.empty:
        return counts
    bases = obs[(obs["indicator_id"] == base) & obs["value"].notna()]
    keys = zip(bases["area_code"], bases["period"].map(_year), strict=True)
    lookup = dict(zip(keys, bases["value"], strict=True))
    denominator = [
        lookup.get((a, _year(p)), np.nan)
        for a, p in zip(counts["area_code"], counts["period"], strict=True)
    ]
    den = pd.Series(denominator, index=counts.index, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = counts["value"].astype(float) / den.where(den > 0) * 1000.0
    counts["value"] = rate
    shown = counts["status"] != "suppressed"
    counts.loc[shown & rate.notna(), "status"] = "derived"
    counts.loc[shown & rate.isna(), "status"] = "missing"
    counts["note"] = [
        rate_note(d, p, base_label) for d, p in zip(den, counts["period"], strict=True)
    ]
    counts["indicator_id"] = rate_key(count)
    return counts


def rate_note(denominator: float, period, base_label: str = "inwoners") -> str:
    """How a rate was made, or why it is missing (Dutch, as the notes of the store).

    >>> rate_note(500.0, "2021"), rate_note(float("nan"), "2025-03")
    ('per 1.000 inwoners (2021: 500)', 'geen inwoners uit 2025 in de bron')
    >>> rate_note(0.0, "2021")
    'geen inwoners in 2021: geen cijfer per 1.000'

    """
    if np.isnan(denominator):
        return f"geen {base_label} uit {_year(period)} in de bron"
    if denominator <= 0:
        return f"geen {base_label} in {_year(period)}: geen cijfer per 1.000"
    return f"per 1.000 {base_label} ({_year(period)}: {int(denominator)})"
