"""Invisible characters in text that staff bring in: refused, never stripped silently.

A bidi control such as U+202E RIGHT-TO-LEFT OVERRIDE makes ``inwoners<RLO>`` look like another
word on screen while the import reads it as ``inwoners`` (names are compared without what
ASCII cannot spell); a zero-width space makes two codes look equal that are not. So a cell,
area code or name, source text, file name or indicator field holding a format character
(Unicode category Cf: bidi controls, zero-width characters, soft hyphen, word joiner, BOM,
tag characters), a control character other than tab and line ends (Cc: a terminal escape
in a CLI preview), a line or paragraph separator (Zl, Zp) or one of the blank "filler"
letters is refused with the position and the name of the character.

A BOM at the very start of a CSV file is an encoding marker, not a cell character: the
decoder (``utf-8-sig``) removes it before any cell exists, so it never reaches this check.

Pure: text and frames in, findings out; no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import pandas as pd

REFUSED_CATEGORIES = {"Cf", "Cc", "Zl", "Zp"}
ALLOWED_CONTROLS = {"\t", "\n", "\r"}  # layout inside a quoted cell, never invisible trickery
# letters that draw nothing (Unicode's default-ignorable fillers), used to fake empty names
INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u034f", "\u180b", "\u180c"}
INVISIBLE_LETTERS |= {chr(c) for c in range(0xFE00, 0xFE10)}  # variation selectors
CONTROL_NAMES = {"\x00": "NULL", "\x1b": "ESCAPE", "\x7f": "DELETE"}
ASCII_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # the Cc above, in ASCII
MAX_REPORTED = 3  # characters named per text; more only make the message longer


def is_invisible(char: str) -> bool:
    """Whether ``char`` is refused: a format, control (but tab and line ends), separator or
    filler character.

    >>> [is_invisible(c) for c in ("a", " ", "\\u00e9", "\\u202e", "\\u200b", "\\t", "\\x1b")]
    [False, False, False, True, True, False, True]
    """
    if char in ALLOWED_CONTROLS:
        return False
    return unicodedata.category(char) in REFUSED_CATEGORIES or char in INVISIBLE_LETTERS


def character_name(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: the code point and its Unicode name (controls have
    no name in the database: their usual one, else CONTROL).

    >>> character_name("\\u200b")
    'U+200B ZERO WIDTH SPACE'
    >>> character_name("\\x1b")
    'U+001B ESCAPE'
    """
    fallback = CONTROL_NAMES.get(char, "CONTROL")
    return f"U+{ord(char):04X} {unicodedata.name(char, fallback)}"


def invisible_characters(text: str) -> list[tuple[int, str]]:
    """Every refused character of ``text`` with its position (1 = the first character).

    >>> invisible_characters("inwoners\\u202e")
    [(9, '\\u202e')]
    """
    text = str(text)
    if text.isascii() and not ASCII_REFUSED.search(text):
        return []  # the common case, without a Unicode lookup per character
    return [(at, char) for at, char in enumerate(text, start=1) if is_invisible(char)]


def visible(text: str, limit: int | None = 60) -> str:
    """``text`` (its first ``limit`` characters) with every refused character written as
    ``<U+202E>``, so a message can quote it without carrying the character itself (into HTML,
    a terminal or a log).

    >>> visible("inwoners\\u202e")
    'inwoners<U+202E>'
    """
    text = str(text)
    cut = text if limit is None else text[:limit]
    shown = "".join(f"<U+{ord(c):04X}>" if is_invisible(c) else c for c in cut)
    return shown + ("…" if len(cut) < len(text) else "")


def text_problem(text: str) -> str | None:
    """A Dutch message naming the refused characters of ``text`` and where they are; None
    when it has none.

    >>> text_problem("BU0164\\u200b0501").split(";")[0]
    "onzichtbaar teken U+200B ZERO WIDTH SPACE op positie 7 in 'BU0164<U+200B>0501'"
    >>> text_problem("Berflo Es") is None
    True
    """
    found = invisible_characters(text)
    if not found:
        return None
    named = ", ".join(f"{character_name(c)} op positie {at}" for at, c in found[:MAX_REPORTED])
    more = f" (en nog {len(found) - MAX_REPORTED})" if len(found) > MAX_REPORTED else ""
    word = "onzichtbaar teken" if len(found) == 1 else "onzichtbare tekens"
    return (
        f"{word} {named}{more} in '{visible(text)}'; typ de tekst opnieuw zonder "
        f"{'dit teken' if len(found) == 1 else 'deze tekens'}"
    )


def table_problems(table: pd.DataFrame) -> Iterator[tuple[int, str, str]]:
    """(row, column, message) for every cell of an import table, and every header, holding a
    refused character. Rows are numbered as in the file (header = 1, first data row = 2);
    the column is the header's text made visible, or ``kolom N`` for a bad header."""
    columns = [str(c) for c in table.columns]
    names = []
    for number, column in enumerate(columns, start=1):
        problem = text_problem(column)
        names.append(f"kolom {number}" if problem else column)
        if problem:
            yield 1, f"kolom {number}", problem
    for row, cells in enumerate(table.itertuples(index=False, name=None), start=2):
        for name, cell in zip(names, cells, strict=True):
            problem = text_problem(cell) if isinstance(cell, str) else None
            if problem:
                yield row, name, problem
