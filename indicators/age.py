"""How old a figure is, in whole years from today's date, and how pages say so.

A figure counts as *old* from :data:`OLD_AFTER_YEARS` years on; pages then add its age to the
period (``2017 · 9 jaar oud``). The map page has its own helper; every other page uses this one.
"""

from __future__ import annotations

from datetime import date

from indicators import periods

OLD_AFTER_YEARS = 3
AGE_TEXT = {
    "nl": ("{period} · {years} jaar oud", "{period} · 1 jaar oud"),
    "en": ("{period} · {years} years old", "{period} · 1 year old"),
}


def figure_age(period, today: date) -> int | None:
    """Whole calendar years between the period's year and ``today`` (None without a period).

    >>> figure_age("2017", date(2026, 11, 30))
    9
    >>> figure_age("2024-03", date(2026, 1, 5))
    2
    """
    if period is None or period == "" or (isinstance(period, float) and period != period):
        return None
    return max(today.year - periods.year_of(period), 0)


def is_old(period, today: date) -> bool:
    """True when the figure is at least :data:`OLD_AFTER_YEARS` years old."""
    years = figure_age(period, today)
    return years is not None and years >= OLD_AFTER_YEARS


def format_period_age(period, today: date, lang: str = "nl", short: bool = False) -> str:
    """The period as pages show it, with its age when it is old.

    >>> format_period_age("2017", date(2026, 11, 30))
    '2017 · 9 jaar oud'
    >>> format_period_age("2025", date(2026, 11, 30))
    '2025'
    """
    text = periods.format_period(period, lang, short=short)
    if not is_old(period, today):
        return text
    years = figure_age(period, today)
    many, one = AGE_TEXT.get(lang, AGE_TEXT["nl"])
    return (one if years == 1 else many).format(period=text, years=years)


MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()


def format_day(day: date, lang: str = "nl") -> str:
    """A date as each language writes it (Dutch ``04-12-2026``, English ``4 December 2026``).

    >>> format_day(date(2026, 12, 4)), format_day(date(2026, 12, 4), "en")
    ('04-12-2026', '4 December 2026')
    """
    if lang == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return day.strftime("%d-%m-%Y")
