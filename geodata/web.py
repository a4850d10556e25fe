"""Web geometry: coverage-preserving simplification, measured deviation, WGS84, rounding."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from geodata import WGS84

MAX_DEVIATION_M = 5.0
DEFAULT_TOLERANCE_M = 2.5
DECIMALS = 5


@dataclass(frozen=True)
class WebGeometry:
    """Simplified buurten and wijken in WGS84 with the measured deviation from the master."""

    buurten: gpd.GeoDataFrame
    wijken: gpd.GeoDataFrame
    max_deviation_m: float
    vertices_master: int
    vertices_web: int


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    """Simplify a polygon coverage so that shared borders stay shared (``coverage_simplify``)."""
    simplified = shapely.coverage_simplify(gdf.geometry.values, tolerance_m)
    return gdf.set_geometry(gpd.GeoSeries(simplified, index=gdf.index, crs=gdf.crs))


def round_coordinates(gdf: gpd.GeoDataFrame, decimals: int = DECIMALS) -> gpd.GeoDataFrame:
    """Round every coordinate to ``decimals`` places (about 1 m at 5 decimals in degrees)."""
    rounded = shapely.transform(gdf.geometry.values, lambda xy: np.round(xy, decimals))
    return gdf.set_geometry(gpd.GeoSeries(rounded, index=gdf.index, crs=gdf.crs))


def max_deviation_m(master: gpd.GeoDataFrame, web: gpd.GeoDataFrame) -> float:
    """Largest Hausdorff distance (metres) between each master polygon and its web version."""
    back = web.to_crs(master.crs)
    return float(max(shapely.hausdorff_distance(master.geometry.values, back.geometry.values)))


def build_web_geometry(
    buurten: gpd.GeoDataFrame,
    wijk_names,
    tolerance_m=DEFAULT_TOLERANCE_M,
    limit_m: float = MAX_DEVIATION_M,
) -> WebGeometry:
    """Simplify the buurt coverage, derive wijken from it, reproject and round.

    Raises ``ValueError`` when the measured deviation exceeds ``limit_m``.
    """
    from geodata.derive import dissolve_wijken

    simple = simplify_coverage(buurten, tolerance_m)
    web_buurten = round_coordinates(simple.to_crs(WGS84))
    deviation = max_deviation_m(buurten, web_buurten)
    if deviation > limit_m:
        raise ValueError(f"Vereenvoudiging wijkt {deviation:.1f} m af (max {limit_m} m).")
    web_buurten = web_buurten.set_geometry(shapely.make_valid(web_buurten.geometry.values))
    web_wijken = round_coordinates(dissolve_wijken(simple, wijk_names).to_crs(WGS84))
    return WebGeometry(
        buurten=web_buurten,
        wijken=web_wijken,
        max_deviation_m=deviation,
        vertices_master=int(shapely.get_num_coordinates(buurten.geometry.values).sum()),
        vertices_web=int(shapely.get_num_coordinates(web_buurten.geometry.values).sum()),
    )
