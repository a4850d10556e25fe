"""Find a wijk or buurt by name or code for the map's search box, on the server: the names of a
national map (about 18,000 areas) never go into the page. The search index (normalised names,
wijk names and codes of both levels) is built once per data version (``Context.once``) and
searched with vectorised string operations; postcodes are looked up by
:mod:`dashboard.postcodes` before this."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.profile import normalise

LEVELS = ("wijk", "buurt")
MIN_LENGTH = 2  # characters of a normalised query before it is searched
SHOWN = 8  # results shown as buttons under the search box; the rest are counted


def area_index(ctx) -> pd.DataFrame:
    """One row per area of both levels: code, name, level, wijk and their search keys."""

    def build() -> pd.DataFrame:
        frames = [
            pd.DataFrame(
                {
                    "code": ctx.areas[level]["code"].astype(str),
                    "name": ctx.areas[level]["name"].astype(str),
                    "level": level,
                    "wijk": ctx.areas[level]["wijknaam"].astype(str),
                }
            )
            for level in LEVELS
        ]
        index = pd.concat(frames, ignore_index=True)
        index["key"] = index["name"].map(normalise)
        index["key_wijk"] = index["key"] + " " + index["wijk"].map(normalise)
        index["key_code"] = index["code"].str.lower()
        return index

    return ctx.once(("area-search-index",), build)


def find_areas(ctx, query: str | None) -> list[dict]:
    """Every area whose name (or name and wijk) contains ``query``, accent- and
    case-insensitive, or whose code contains it ("BU01640401", "wk016405"): an exact code
    and names that start with the query first, then other name or code hits, then hits on
    the wijk's name; wijken before buurten, then by name."""
    needle = normalise(query or "")
    if len(needle) < MIN_LENGTH:
        return []
    index = area_index(ctx)
    starts = index["key"].str.startswith(needle)
    in_name = index["key"].str.contains(needle, regex=False)
    code = needle.replace(" ", "")
    in_code = (
        index["key_code"].str.contains(code, regex=False)
        if any(c.isdigit() for c in code)
        else np.zeros(len(index), dtype=bool)
    )
    in_wijk = index["key_wijk"].str.contains(needle, regex=False)
    rank = np.select(
        [index["key_code"] == code, starts, in_name | in_code, in_wijk], [0, 0, 1, 2], default=-1
    )
    hits = index.assign(rank=rank, wijk_first=index["level"] != "wijk")[rank >= 0]
    hits = hits.sort_values(["rank", "wijk_first", "name"], kind="stable")
    return hits[["code", "name", "level", "wijk", "rank"]].to_dict("records")
