"""Postcode to buurt, without I/O.

Two sources, said apart in every answer:

* **approximate (PC4)**: the CBS buurt attributes give each buurt its most frequent
  four-digit postcode (``meest_voorkomende_postcode``). A PC4 lists the buurten whose most
  frequent postcode it is; addresses of that PC4 in other buurten are not found this way.
* **exact (PC6)**: CBS's table "Buurt, wijk en gemeente <jaar> voor postcode huisnummer"
  (``pc6hnr<jaar>0801_gwb.csv``: ``PC6;Huisnummer;Buurt<jaar>;Wijk<jaar>;Gemeente<jaar>``,
  one row per address), fetched with ``wijkveiligheid fetch --table postcode``, gives the
  buurt(en) of every full postcode. Without it a PC6 falls back to its PC4, and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from geodata.gemeente import GEMEENTE

POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")


@dataclass(frozen=True)
class Postcode:
    """A parsed Dutch postcode: ``pc4`` ('7556') and, for a full postcode, ``pc6`` ('7556AB')."""

    pc4: str
    pc6: str | None = None


def parse_postcode(text: str | None) -> Postcode | None:
    """'7556', '7556AB', '7556 ab' -> Postcode; anything else -> None.

    >>> parse_postcode("7556 ab")
    Postcode(pc4='7556', pc6='7556AB')
    >>> parse_postcode("7556"), parse_postcode("Tuindorp"), parse_postcode("0556")
    (Postcode(pc4='7556', pc6=None), None, None)
    """
    found = POSTCODE.match(text) if isinstance(text, str) else None
    if not found:
        return None
    pc4, letters = found.group(1), found.group(2)
    return Postcode(pc4, f"{pc4}{letters.upper()}" if letters else None)


@dataclass
class PostcodeAnswer:
    """The buurten of a postcode and how sure that is.

    ``kind``: ``exact`` (PC6 from the CBS address table), ``approximate`` (PC4 from the most
    frequent postcode per buurt), ``fallback`` (a PC6 answered by its PC4, the address table
    not being there), ``unknown_pc6`` (the address table does not have it; PC4 answer below)."""

    postcode: Postcode
    kind: str
    buurten: list[str] = field(default_factory=list)
    addresses: dict[str, int] = field(default_factory=dict)


def pc4_index(attributes: pd.DataFrame) -> dict[str, list[str]]:
    """PC4 -> buurt codes whose most frequent postcode it is, from a frame with ``buurtcode`` and
    ``meest_voor`` (the CBS buurt attributes; missing or secret values are skipped)."""
    index: dict[str, list[str]] = {}
    for code, pc4 in zip(attributes["buurtcode"], attributes["meest_voor"], strict=True):
        value = pd.to_numeric(pc4, errors="coerce")
        if pd.isna(value) or not 1000 <= value <= 9999:
            continue
        index.setdefault(str(int(value)), []).append(str(code))
    return {k: sorted(v) for k, v in index.items()}


def pc6_table(
    rows: pd.DataFrame, gemeente: str = GEMEENTE.number, year: int | None = None
) -> pd.DataFrame:
    """The CBS address table (one row per address) reduced to one municipality: ``pc6``,
    ``buurtcode`` (``BU`` + 8 digits) and ``adressen`` (addresses of that postcode in that
    buurt). Column names are found by prefix (``Buurt2021``, ``Gemeente2021``, ...)."""
    columns = {c.strip().lower(): c for c in rows.columns}

    def column(prefix: str) -> str:
        found = [orig for low, orig in columns.items() if low.startswith(prefix)]
        if not found:
            raise ValueError(f"kolom '{prefix}…' ontbreekt; gevonden: {', '.join(rows.columns)}")
        return found[0]

    pc6, buurt, gem = column("pc6"), column("buurt"), column("gemeente")
    wanted = int(gemeente.removeprefix("GM"))
    in_gemeente = pd.to_numeric(rows[gem], errors="coerce") == wanted
    own = rows.loc[in_gemeente, [pc6, buurt]].copy()
    own["pc6"] = own[pc6].astype(str).str.replace(" ", "", regex=False).str.upper()
    digits = pd.to_numeric(own[buurt], errors="coerce")
    own = own[digits.notna() & own["pc6"].str.fullmatch(r"[1-9][0-9]{3}[A-Z]{2}")]
    own["buurtcode"] = "BU" + digits[own.index].astype("int64").map("{:08d}".format)
    table = own.groupby(["pc6", "buurtcode"]).size().rename("adressen").reset_index()
    if year is not None:
        table["jaar"] = year
    return table.sort_values(["pc6", "buurtcode"]).reset_index(drop=True)


def lookup(
    text: str | None,
    pc4: dict[str, list[str]],
    pc6: pd.DataFrame | None = None,
) -> PostcodeAnswer | None:
    """The buurten of a postcode in ``text`` (None when ``text`` is not a postcode)."""
    postcode = parse_postcode(text)
    if postcode is None:
        return None
    approximate = list(pc4.get(postcode.pc4, []))
    if postcode.pc6 is None:
        return PostcodeAnswer(postcode, "approximate", approximate)
    if pc6 is None or pc6.empty:
        return PostcodeAnswer(postcode, "fallback", approximate)
    rows = pc6[pc6["pc6"] == postcode.pc6].sort_values("adressen", ascending=False)
    if rows.empty:
        return PostcodeAnswer(postcode, "unknown_pc6", approximate)
    return PostcodeAnswer(
        postcode,
        "exact",
        list(rows["buurtcode"]),
        dict(zip(rows["buurtcode"], rows["adressen"].astype(int), strict=True)),
    )
