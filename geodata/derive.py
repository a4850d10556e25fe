"""Wijken and gemeente derived from buurten, so that buurten nest exactly."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geodata.gemeente import GEMEENTE


def dissolve_wijken(buurten: gpd.GeoDataFrame, wijk_names: pd.DataFrame) -> gpd.GeoDataFrame:
    """Union of the buurten per wijk code, with wijk name and number of buurten.

    >>> # wijken = dissolve_wijken(buurten, read_wijk_names())
    """
    grouped = buurten.dissolve(by="wijkcode", aggfunc={"buurtcode": "count"})
    grouped = grouped.rename(columns={"buurtcode": "n_buurten"}).reset_index()
    out = grouped.merge(wijk_names, on="wijkcode", how="left")
    out["gemeentecode"] = GEMEENTE.code
    cols = ["wijkcode", "wijknaam", "gemeentecode", "n_buurten", "geometry"]
    return gpd.GeoDataFrame(out[cols], geometry="geometry", crs=buurten.crs)


def dissolve_gemeente(buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The gemeente as the union of all buurten."""
    geom = buurten.geometry.union_all()
    return gpd.GeoDataFrame(
        {
            "gemeentecode": [GEMEENTE.code],
            "gemeentenaam": [GEMEENTE.name],
            "n_buurten": [len(buurten)],
        },
        geometry=[geom],
        crs=buurten.crs,
    )
