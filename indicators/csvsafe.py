"""CSV cells that a spreadsheet would run as a formula are made inert (CSV injection).

Every CSV the product writes passes its frame through :func:`neutralise` first. A text cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe, as OWASP recommends, so Excel and LibreOffice show it as text. Numbers stay
numbers: numeric columns are left alone, and so is text that is a plain number (``-3,5``).
"""

from __future__ import annotations

import re

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,\u00a0 ]*%?")


def neutralise_text(text: str) -> str:
    """``text`` made safe for the start of a CSV cell.

    >>> neutralise_text('=HYPERLINK("http://x","x")')
    '\\'=HYPERLINK("http://x","x")'
    >>> neutralise_text("-3,5"), neutralise_text("Noord")
    ('-3,5', 'Noord')
    """
    if text.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) cannot start a formula."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            continue
        out[column] = out[column].map(lambda v: neutralise_text(v) if isinstance(v, str) else v)
    out.columns = [neutralise_text(c) if isinstance(c, str) else c for c in out.columns]
    return out
