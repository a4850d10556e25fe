"""What the rest of the code knows of the store without knowing a backend: the error it raises
(:class:`StoreError`) and the frames it hands the pages (:class:`StoreData`). The Store itself,
its schema and build live in :mod:`indicators.stores`."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd


class StoreError(RuntimeError):
    """The store is missing, unreadable or inconsistent; the message says how to fix it."""


@dataclass
class StoreData:
    """Everything the dashboard reads from the store, as in-memory frames."""

    buurten: gpd.GeoDataFrame
    wijken: gpd.GeoDataFrame
    web_buurten: gpd.GeoDataFrame
    web_wijken: gpd.GeoDataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    sources: pd.DataFrame
    g32: pd.DataFrame
    g32_capacity: pd.DataFrame
    g32_recommendations: pd.DataFrame
    themes: pd.DataFrame
    kpis: pd.DataFrame
    focus_wijken: pd.DataFrame
    budget: pd.DataFrame
    meta: dict
    # CBS buurt per full postcode (pc6, buurtcode, adressen, jaar); empty until fetched
    postcodes: pd.DataFrame = field(default_factory=pd.DataFrame)
    # the store's geometry_version() of the layers above ("" unknown): a later read whose
    # geometry version is the same takes these layers over instead of reading them again
    geometry_version: str = ""
