"""CSV files that are safe to open in a spreadsheet: a text cell that a spreadsheet would read
as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading
``'`` (OWASP "CSV injection"). Numbers stay numbers: numeric columns are not touched, nor
text that is just a number such as ``-0,3`` or ``+12%``. Every CSV the product writes goes
through :func:`neutralise`."""

from __future__ import annotations

import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+\-−]?\d+(?:[.,]\d+)*%?")


def neutralise_text(value):
    """One cell: ``'`` before a formula-like text, anything else unchanged.

    >>> neutralise_text("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_text("-0,3"), neutralise_text(-0.3), neutralise_text("Berflo Es")
    ('-0,3', -0.3, 'Berflo Es')
    >>> neutralise_text("-2+3+cmd|' /C calc'!A0")
    "'-2+3+cmd|' /C calc'!A0"
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every formula-like text cell (and column name) neutralised."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(neutralise_text)
    out.columns = [neutralise_text(c) for c in out.columns]
    return out
