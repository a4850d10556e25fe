"""Where numbered discs go on a map: each on the area it names when it fits there, else
beside it with a leader line, never two discs overlapping and never a disc over the area
it names (issue 18: disc 1 hid Binnenstad-Centrum, the only area in the top class).

Pure geometry in a projected (metric) CRS: the caller gives the disc radius in metres for
the smallest screen the map is shown on (the same disc is smaller in metres on a larger
screen, so what is apart there stays apart).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import shapely
from shapely.geometry import Point

RD_NEW = "EPSG:28992"
RINGS = (2.2, 3.0, 4.0, 5.0, 6.5, 8.0)  # candidate distances beside an area, in radii
DIRECTIONS = 16  # candidate directions on each ring


@dataclass(frozen=True)
class Disc:
    """A disc at ``centre`` for the area whose inside point is ``anchor``; ``leader`` when
    it stands beside the area (a line joins the two)."""

    code: str
    centre: tuple[float, float]
    anchor: tuple[float, float]
    leader: bool


def metres_per_pixel(gdf: gpd.GeoDataFrame, box_px: tuple[float, float]) -> float:
    """Metres per screen pixel when ``gdf`` (projected) is fitted into ``box_px`` (width,
    height), as a fitted map does: the tighter of the two directions decides."""
    minx, miny, maxx, maxy = gdf.total_bounds
    return max((maxx - minx) / box_px[0], (maxy - miny) / box_px[1])


def inside_point(geom) -> tuple[Point, float]:
    """The point deepest inside ``geom`` and its distance to the boundary."""
    line = shapely.maximum_inscribed_circle(geom, tolerance=1.0)
    centre = Point(line.coords[0])
    return centre, line.length


def place_discs(
    gdf: gpd.GeoDataFrame, code_col: str, codes: list[str], radius: float, gap: float = 0.0
) -> list[Disc]:
    """A disc of ``radius`` (CRS units) for each of ``codes``, in that order (rank first).

    A disc stands on its area when a circle of ``radius`` fits inside the area there; else
    beside it, on the nearest free spot that covers neither the area nor another numbered
    area, with a leader line. Discs keep ``2 * radius + gap`` apart.
    """
    if gdf.crs is None or not gdf.crs.is_projected:
        raise ValueError("place_discs needs a projected (metric) CRS")
    geoms = dict(zip(gdf[code_col], gdf.geometry, strict=True))
    named = shapely.union_all([geoms[c] for c in codes if c in geoms]) if codes else None
    frame = shapely.box(*gdf.total_bounds).buffer(-radius)
    placed: list[Disc] = []
    for code in codes:
        if code not in geoms:
            continue
        anchor, depth = inside_point(geoms[code])
        free = _free(placed, radius, gap)
        if depth >= radius and free(anchor):
            placed.append(Disc(code, (anchor.x, anchor.y), (anchor.x, anchor.y), False))
            continue
        spot = _beside(geoms[code], anchor, radius, named, frame, free)
        placed.append(Disc(code, (spot.x, spot.y), (anchor.x, anchor.y), True))
    return placed


def _free(placed: list[Disc], radius: float, gap: float):
    def free(point: Point) -> bool:
        return all(math.dist((point.x, point.y), d.centre) >= 2 * radius + gap for d in placed)

    return free


def _beside(geom, anchor: Point, radius: float, named, frame, free) -> Point:
    """The candidate spot around ``anchor`` that is free, keeps off the area itself and
    covers the least of the other numbered areas, nearest first."""
    best, best_cost = None, None
    for ring in RINGS:
        for k in range(DIRECTIONS):
            angle = 2 * math.pi * k / DIRECTIONS
            spot = Point(
                anchor.x + ring * radius * math.cos(angle),
                anchor.y + ring * radius * math.sin(angle),
            )
            disc = spot.buffer(radius)
            if disc.intersects(geom) or not free(spot) or not frame.contains(spot):
                continue
            cost = disc.intersection(named).area / disc.area + ring / 10
            if best_cost is None or cost < best_cost:
                best, best_cost = spot, cost
    if best is None:  # nowhere free nearby: the farthest ring straight up
        return Point(anchor.x, anchor.y + RINGS[-1] * radius)
    return best


def discs_to_crs(discs: list[Disc], crs_from, crs_to) -> list[Disc]:
    """The same discs with their points in another CRS (e.g. WGS84 for a web map)."""
    if not discs:
        return []
    points = gpd.GeoSeries(
        [Point(d.centre) for d in discs] + [Point(d.anchor) for d in discs], crs=crs_from
    ).to_crs(crs_to)
    n = len(discs)
    return [
        Disc(d.code, (points[i].x, points[i].y), (points[n + i].x, points[n + i].y), d.leader)
        for i, d in enumerate(discs)
    ]
