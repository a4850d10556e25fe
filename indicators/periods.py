"""Periods of observations: a year (``2024``) or a month (``2024-03``).

Each indicator has one frequency (catalogue field ``frequency``: ``year`` or ``month``), so
the periods of one indicator share one format and sort as text. Imports accept the common
spellings (``2024``, ``2024.0`` from Excel; ``2024-03``, ``2024-3``, ``03-2024``, ``2024M03``,
and the CBS code ``2024MM03``) and store the canonical form.
"""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date

FREQUENCIES = ("year", "month")
FIRST_YEAR = 1990
LOCALES = {"nl": "nl_NL", "en": "en_GB"}

_YEAR = re.compile(r"(\d{4})(?:\.0)?")
_CBS_YEAR = re.compile(r"(\d{4})JJ00")
_MONTH_PATTERNS = (
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})"),
    re.compile(r"(?P<m>\d{1,2})[-/.](?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})MM?(?P<m>\d{2})", re.IGNORECASE),
)


class PeriodError(ValueError):
    """A period that cannot be read for its indicator; the message says why in Dutch."""


def parse_period(text, frequency: str = "year", today: date | None = None) -> str:
    """The canonical period for ``text`` at ``frequency``, or a :class:`PeriodError`.

    >>> parse_period("2024")
    '2024'
    >>> parse_period("2024MM03", "month")
    '2024-03'
    >>> parse_period("3-2024", "month")
    '2024-03'
    >>> parse_period("2024", "month")
    Traceback (most recent call last):
    ...
    indicators.periods.PeriodError: periode '2024' is geen maand (schrijf bijvoorbeeld 2024-03)
    """
    today = today or date.today()
    raw = str(text if text is not None else "").strip()
    if frequency == "month":
        for pattern in _MONTH_PATTERNS:
            match = pattern.fullmatch(raw)
            if match:
                year, month = int(match["y"]), int(match["m"])
                if not 1 <= month <= 12:
                    raise PeriodError(f"periode '{raw[:20]}': maand {month} bestaat niet")
                _check_year(year, raw)
                if (year, month) > (today.year, today.month):
                    raise PeriodError(f"periode {year}-{month:02d} ligt in de toekomst")
                if (year, month) == (today.year, today.month):
                    raise PeriodError(
                        f"periode {year}-{month:02d} is nog niet voorbij (de maand is nog "
                        "niet compleet)"
                    )
                return f"{year}-{month:02d}"
        raise PeriodError(f"periode '{raw[:20]}' is geen maand (schrijf bijvoorbeeld 2024-03)")
    match = _YEAR.fullmatch(raw) or _CBS_YEAR.fullmatch(raw)
    if not match:
        raise PeriodError(f"periode '{raw[:20]}' is geen jaartal")
    year = int(match[1])
    _check_year(year, raw)
    if year > today.year:
        raise PeriodError(f"periode {year} ligt in de toekomst")
    return str(year)


def _check_year(year: int, raw: str) -> None:
    if year < FIRST_YEAR:
        raise PeriodError(f"periode {raw[:20]} is te oud (vóór {FIRST_YEAR})")


def frequency_of(period: str) -> str:
    """``month`` for ``2024-03``, ``year`` otherwise."""
    return "month" if "-" in str(period) else "year"


def sort_key(period) -> tuple[int, int]:
    """Chronological order of canonical periods (a year sorts before its months).

    >>> sorted(["2024-11", "2023", "2024-02"], key=sort_key)
    ['2023', '2024-02', '2024-11']
    """
    text = str(period)
    year, _, month = text.partition("-")
    return int(year), int(month or 0)


def latest(periods) -> str | None:
    """The most recent of ``periods`` (None for none)."""
    periods = [p for p in periods if p is not None and str(p) != "nan"]
    return max(periods, key=sort_key) if periods else None


# A period must cover this share of the best-covered period's areas to be shown by default, so
# that a few new values for one buurt do not turn the whole map grey.
DEFAULT_COVERAGE = 0.5


def latest_well_covered(areas_per_period, min_share: float = DEFAULT_COVERAGE) -> str | None:
    """The most recent period whose number of areas is at least ``min_share`` of the best.

    ``areas_per_period`` maps period -> number of areas with a value (a pandas Series). Used
    for the default period of the map, the pages and the map index alike.

    >>> import pandas as pd
    >>> latest_well_covered(pd.Series({"2017": 42, "2020": 1, "2021": 30}))
    '2021'
    >>> latest_well_covered(pd.Series({"2017": 42, "2020": 1}))
    '2017'
    """
    counts = areas_per_period
    if len(counts) == 0:
        return None
    return latest(counts[counts >= min_share * counts.max()].index)


def year_of(period) -> int:
    return sort_key(period)[0]


def as_date(period) -> date:
    """The first day of the period, for a time axis."""
    year, month = sort_key(period)
    return date(year, month or 1, 1)


def format_period(period, lang: str = "nl", short: bool = False) -> str:
    """The period as people read it: ``2024``, ``maart 2024`` / ``March 2024``.

    >>> format_period("2024-03")
    'maart 2024'
    >>> format_period("2024-03", "en", short=True)
    'Mar 2024'
    >>> format_period("2021")
    '2021'
    """
    if period is None or str(period) in ("", "nan", "None"):
        return ""
    if frequency_of(period) == "year":
        return str(period)
    pattern = "MMM y" if short else "MMMM y"
    return format_date(as_date(period), pattern, locale=LOCALES.get(lang, "nl_NL"))


OLD_AFTER_YEARS = 3  # a figure this many years old or older shows its age


def age_in_years(period, today: date | None = None) -> int | None:
    """Whole years between ``period`` and ``today`` when the figure counts as old (at least
    ``OLD_AFTER_YEARS``), else ``None``.

    >>> age_in_years("2017", date(2026, 11, 30)), age_in_years("2024", date(2026, 11, 30))
    (9, None)
    >>> age_in_years("2023-05", date(2026, 11, 30))
    3
    """
    if period is None or str(period) == "nan":
        return None
    years = (today or date.today()).year - year_of(period)
    return years if years >= OLD_AFTER_YEARS else None
