"""Where an imported value will be shown rounded, said in the import preview (staff see it
before they confirm). Two roundings apply, both on display only for the first:

- every page shows a value with the catalogue's ``decimals`` for its indicator (12,345 per
  1.000 as 12,3); the downloads keep the value as loaded;
- counts below gemeente level are rounded to 5 on every public page and download
  (:func:`indicators.privacy.public_observations`; figures as CBS published them excepted).

Pure: frames in, :class:`indicators.imports.Issue` warnings out.
"""

from __future__ import annotations

import math

import pandas as pd

from indicators.formatting import format_number
from indicators.imports import Issue
from indicators.privacy import COUNT_ROUNDING, round_to


def _shown(value: float, decimals: int) -> str:
    return format_number(value, decimals, "nl")


def _more_decimals(value: float, decimals: int) -> bool:
    """True when ``value`` has more decimals than the page shows."""
    return math.isfinite(value) and round(value, decimals) != value


def _rows_text(rows: pd.DataFrame) -> str:
    lines = ", ".join(str(int(r)) for r in rows["row"].head(5))
    more = f" en {len(rows) - 5} meer" if len(rows) > 5 else ""
    return f"regel {lines}{more}" if len(rows) == 1 else f"regels {lines}{more}"


def decimal_warning(rows: pd.DataFrame, indicator: str, decimals: int) -> Issue | None:
    """One warning for the values of ``indicator`` with more decimals than shown."""
    hit = rows[rows["value"].map(lambda v: _more_decimals(float(v), decimals))]
    if hit.empty:
        return None
    first = float(hit["value"].iloc[0])
    typed = f"{first:g}".replace(".", ",")
    message = (
        f"{indicator}: {len(hit)} waarde(n) met meer dan {decimals} decimalen "
        f"({_rows_text(hit)}); de pagina's tonen ze afgerond, bijvoorbeeld "
        f"{typed} als {_shown(first, decimals)}. De downloads bevatten de waarde zoals "
        "geladen."
    )
    return Issue(int(hit["row"].iloc[0]), "waarde", message, "warning")


def count_warning(rows: pd.DataFrame, indicator: str) -> Issue | None:
    """One warning for the counts of ``indicator`` below gemeente level that are no
    multiple of 5: public pages and downloads show them rounded to 5."""
    below = rows[rows["level"] != "gemeente"]
    hit = below[below["value"].map(lambda v: round_to(v) != float(v))]
    if hit.empty:
        return None
    first = float(hit["value"].iloc[0])
    message = (
        f"{indicator}: {len(hit)} aantal(len) per buurt of wijk ({_rows_text(hit)}) worden op "
        f"openbare pagina's en in downloads afgerond op {COUNT_ROUNDING} (privacyregel, zoals "
        f"het CBS doet), bijvoorbeeld {_shown(first, 0)} als {_shown(round_to(first), 0)}; "
        "intern en in de import blijft de waarde zoals geladen."
    )
    return Issue(int(hit["row"].iloc[0]), "waarde", message, "warning")


def rounding_warnings(rows: pd.DataFrame, catalogue: pd.DataFrame) -> list[Issue]:
    """Warnings for the parsed import ``rows`` (columns row, level, indicator_id, value)
    whose values will be shown rounded: per indicator at most one about decimals and one
    about counts rounded to 5.

    >>> cat = pd.DataFrame({"unit": ["count"], "decimals": [0]}, index=["inwoners"])
    >>> rows = pd.DataFrame({"row": [2], "level": ["wijk"], "indicator_id": ["inwoners"],
    ...                      "value": [1234.0]})
    >>> [w.message[:44] for w in rounding_warnings(rows, cat)]
    ['inwoners: 1 aantal(len) per buurt of wijk (r']
    """
    warnings: list[Issue] = []
    if rows.empty:
        return warnings
    for indicator, group in rows.groupby("indicator_id", sort=False):
        if indicator not in catalogue.index:
            continue
        decimals = int(catalogue.loc[indicator, "decimals"])
        found = [decimal_warning(group, str(indicator), decimals)]
        if catalogue.loc[indicator, "unit"] == "count":
            found.append(count_warning(group, str(indicator)))
        warnings += [w for w in found if w is not None]
    return warnings
