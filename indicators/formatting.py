"""Locale-aware number formatting (Dutch first): ``20,5%``, ``1.234``, ``45,2``."""

from __future__ import annotations

import math

from babel.numbers import format_decimal

LOCALES = {"nl": "nl_NL", "en": "en_GB"}
MISSING = {"nl": "geen gegevens", "en": "no data"}
UNIT_SUFFIX = {
    "pct": {"nl": "%", "en": "%"},
    "per1000": {"nl": " per 1.000 inwoners", "en": " per 1,000 inhabitants"},
    "count": {"nl": "", "en": ""},
    "ha": {"nl": " ha", "en": " ha"},
    "per_km2": {"nl": " inwoners per km²", "en": " inhabitants per km²"},
    "persons": {"nl": " personen", "en": " persons"},
}
UNIT_LABEL = {
    "pct": {"nl": "%", "en": "%"},
    "per1000": {"nl": "per 1.000 inwoners", "en": "per 1,000 inhabitants"},
    "count": {"nl": "aantal", "en": "number"},
    "ha": {"nl": "hectare", "en": "hectares"},
    "per_km2": {"nl": "inwoners per km²", "en": "inhabitants per km²"},
    "persons": {"nl": "personen", "en": "persons"},
}


def is_missing(value) -> bool:
    """True for None and NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value, decimals: int = 0, lang: str = "nl") -> str:
    """A number in the locale's format, or the locale's word for missing.

    >>> format_number(1234.5, 1)
    '1.234,5'
    >>> format_number(1234.5, 1, "en")
    '1,234.5'
    """
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = None
    if is_missing(value) or not math.isfinite(value):
        return MISSING[lang]
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(shown_round(value, decimals), format=pattern, locale=LOCALES[lang])


def shown_round(value, decimals: int = 0) -> float:
    """A number rounded as every page shows it: Python's ``round`` (half to even on the
    binary value, so 0,5 shows as 0 and 2,675 as 2,67). One rule, so that a difference
    worked out from shown values agrees with what the reader sees.

    >>> shown_round(5.849, 1), shown_round(2.5, 0)
    (5.8, 2.0)
    """
    return round(float(value), decimals)


def shown_difference(value, reference, decimals: int = 0) -> float:
    """``value - reference`` as a reader would work it out from the two numbers shown:
    each rounded as shown first, then subtracted (5,849 against 4,96 shows as 5,8 and 5,0,
    so +0,8, not the +0,9 of the raw values). Judgements stay on the raw values; this is
    for display only. NaN when either is missing.

    >>> shown_difference(5.849, 4.96, 1)
    0.8
    """
    if is_missing(value) or is_missing(reference):
        return math.nan
    return round(shown_round(value, decimals) - shown_round(reference, decimals), decimals)


def format_difference(value, reference, decimals: int = 0, lang: str = "nl") -> str:
    """The signed difference of two values shown with ``decimals``, as the reader can check
    it from those two numbers: ``+0,8``; missing when either is.

    >>> format_difference(5.849, 4.96, 1)
    '+0,8'
    """
    return format_signed(shown_difference(value, reference, decimals), decimals, lang)


def format_value(value, unit: str, decimals: int = 0, lang: str = "nl") -> str:
    """A number with its unit: ``20,5%``, ``8,0 per 1.000 inwoners``; missing stays missing.

    >>> format_value(20.5, "pct", 1)
    '20,5%'
    """
    if is_missing(value):
        return MISSING[lang]
    return format_number(value, decimals, lang) + UNIT_SUFFIX[unit][lang]


def format_signed(value, decimals: int = 0, lang: str = "nl") -> str:
    """A difference with an explicit sign: ``+1,5`` / ``−2``."""
    if is_missing(value):
        return MISSING[lang]
    text = format_number(abs(value), decimals, lang)
    if round(value, decimals) == 0:
        return text
    return ("+" if value > 0 else "−") + text
