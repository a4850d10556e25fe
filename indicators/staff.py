"""What staff do with figures before they reach the store: parse an upload against the areas,
indicators and sources of a store, and preview it against the current values. The writing
itself (imports, undo, users, indicators) is done by the store (:mod:`indicators.stores`)."""

from __future__ import annotations

import pandas as pd

from geodata.gemeente import GEMEENTE
from indicators import textcheck
from indicators.imports import Issue, ParsedImport, parse_import, preview
from indicators.rounding import rounding_warnings
from indicators.store import StoreData
from indicators.stores.base import MIN_PASSWORD, ROLES, StaffError  # noqa: F401 - re-exported


def import_preview(target, parsed: ParsedImport) -> pd.DataFrame:
    """New, changed and unchanged values of ``parsed`` against the store ``target``."""
    return preview(parsed.rows, target.current_values())


def areas_frame(data: StoreData) -> pd.DataFrame:
    """Code, name and level of every area imports may name (buurten, wijken, Hengelo)."""
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "code": data.web_wijken["wijkcode"],
                    "name": data.web_wijken["wijknaam"],
                    "level": "wijk",
                }
            ),
            pd.DataFrame(
                {
                    "code": data.web_buurten["buurtcode"],
                    "name": data.web_buurten["buurtnaam"],
                    "level": "buurt",
                }
            ),
            pd.DataFrame({"code": [GEMEENTE.code], "name": [GEMEENTE.name], "level": ["gemeente"]}),
        ],
        ignore_index=True,
    )


def parse_for_store(data: StoreData, content: bytes, file_name: str, period=None, source: str = ""):
    """Parse an import against the areas, indicators and sources of ``data`` (the store's
    public data, e.g. ``store.read_data()`` or the app's cached context); the file name and
    the ``source`` text staff typed are refused too when they hold invisible characters."""
    if not isinstance(data, StoreData):
        data = data.read_data()  # a Store was handed in
    parsed = parse_import(
        content,
        file_name,
        areas_frame(data),
        data.indicators,
        set(data.sources.index),
        period=period,
    )
    for where, text in (("bestandsnaam", file_name), ("bron", source)):
        problem = textcheck.text_problem(text or "")
        parsed.issues += [Issue(None, where, problem)] if problem else []
    if parsed.ok:  # say before confirming where values will be shown rounded
        parsed.issues += rounding_warnings(parsed.rows, data.indicators)
    return parsed
