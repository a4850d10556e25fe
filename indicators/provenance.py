"""Which sources the store really holds figures of, for which periods, and which table each
figure of an indicator came from. Pure: frames in, plain values out.

The source list (``sources.toml``) names every source the product knows, also those that
only appear after a fetch (47022NED) with the year the list was written; the data page shows
what the store holds, with the periods of its figures.
"""

from __future__ import annotations

import re

import pandas as pd

from indicators import periods

TABLE_ID = re.compile(r"\b\d{5}NED\b")


def table_id(title: str) -> str | None:
    """The CBS table id a source title names, if any.

    >>> table_id("Kerncijfers wijken en buurten 2024 (tabel 85984NED)"), table_id("Kaart")
    ('85984NED', None)
    """
    found = TABLE_ID.search(str(title))
    return found.group(0) if found else None


def periods_by_source(obs: pd.DataFrame) -> dict[str, list[str]]:
    """Source id -> the periods (oldest first) of its figures with a value in ``obs``.

    >>> obs = pd.DataFrame({"source_id": ["A", "A", "B"], "period": ["2024", "2022", "2017"],
    ...                     "value": [1.0, 2.0, None]})
    >>> periods_by_source(obs)
    {'A': ['2022', '2024']}
    """
    held = obs[obs["value"].notna()]
    return {
        str(source): sorted(set(group["period"].astype(str)), key=periods.sort_key)
        for source, group in held.groupby("source_id")
    }


def sources_held(obs: pd.DataFrame, sources: pd.DataFrame, catalogue: pd.DataFrame) -> list:
    """``(source row, periods)`` for each source to list: those with figures in ``obs``
    (their periods), and documents that are no indicator's source (the G32 report, the
    policy plan: their own year). A source of indicators with no figure in the store (a
    table not fetched yet) is left out. ``DERIVED`` is never listed."""
    held = periods_by_source(obs)
    of_indicators = set(catalogue["source"])
    rows = []
    for row in sources.itertuples():
        if row.id == "DERIVED":
            continue
        if row.id in held:
            rows.append((row, held[row.id]))
        elif row.id not in of_indicators:
            rows.append((row, [str(row.year)]))
    return rows


def indicator_sources(obs: pd.DataFrame, indicator: str) -> list[tuple[list[str], str]]:
    """``(periods, source id)`` of the figures of ``indicator`` with a value in ``obs``, one
    pair per source, oldest first: inhabitants come from 83765NED (2017), the 2021 map and
    85984NED (2024).

    >>> obs = pd.DataFrame({"indicator_id": ["i"] * 3, "source_id": ["K24", "W21", "W21"],
    ...                     "period": ["2024", "2021", "2021"], "value": [1.0, 2.0, 3.0]})
    >>> indicator_sources(obs, "i")
    [(['2021'], 'W21'), (['2024'], 'K24')]
    """
    held = periods_by_source(obs[obs["indicator_id"] == indicator])
    pairs = [(found, source) for source, found in held.items()]
    return sorted(pairs, key=lambda pair: periods.sort_key(pair[0][0]))
