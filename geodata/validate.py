"""Validation of the buurt coverage: codes, validity, nesting, gaps, overlaps, area."""

from __future__ import annotations

import re

import geopandas as gpd
import shapely

from geodata.gemeente import GEMEENTE

BUURT_RE = re.compile(rf"^{GEMEENTE.buurt_prefix}(\d\d)\d\d$")
WIJK_RE = re.compile(rf"^{GEMEENTE.wijk_prefix}\d\d$")
AREA_TOLERANCE = 0.005
SLIVER_M2 = 1.0


class BoundaryValidationError(ValueError):
    """The boundaries break one or more rules; ``problems`` lists them in plain words."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Grenzen ongeldig:\n- " + "\n- ".join(problems))


def boundary_problems(buurten: gpd.GeoDataFrame, wijk_names: dict[str, str]) -> list[str]:
    """List every rule the buurt layer breaks; an empty list means it is sound.

    Parameters
    ----------
    buurten : GeoDataFrame in a metric CRS with ``buurtcode, buurtnaam, wijkcode, gemeentecode``.
    wijk_names : wijk code -> name, the wijken a buurt may belong to.
    """
    if buurten.crs is None or not buurten.crs.is_projected:
        return ["De grenzen moeten in een metrisch stelsel staan (RD New, EPSG:28992)."]
    geometry = _geometry_problems(buurten)
    coverage = [] if geometry else _coverage_problems(buurten)
    return _code_problems(buurten, wijk_names) + geometry + coverage


def count_problems(n_buurten: int, n_wijken: int) -> list[str]:
    """The numbers of buurten and wijken against the configuration's (``[gemeente] buurten``,
    ``wijken``): a store built from other boundaries is reported, not shown.

    >>> count_problems(GEMEENTE.buurten, GEMEENTE.wijken)
    []
    >>> count_problems(3, GEMEENTE.wijken)[0].startswith("Verwacht")
    True
    """
    if n_buurten == GEMEENTE.buurten and n_wijken == GEMEENTE.wijken:
        return []
    return [
        f"Verwacht {GEMEENTE.buurten} buurten en {GEMEENTE.wijken} wijken, "
        f"gevonden {n_buurten} en {n_wijken}."
    ]


def validate_boundaries(buurten: gpd.GeoDataFrame, wijk_names: dict[str, str]) -> None:
    """Raise :class:`BoundaryValidationError` when :func:`boundary_problems` finds any."""
    problems = boundary_problems(buurten, wijk_names)
    if problems:
        raise BoundaryValidationError(problems)


def _code_problems(buurten: gpd.GeoDataFrame, wijk_names: dict[str, str]) -> list[str]:
    problems = []
    for row in buurten.itertuples():
        code, wijk = str(row.buurtcode), str(row.wijkcode)
        match = BUURT_RE.match(code)
        if not match:
            problems.append(f"Buurtcode {code!r} heeft niet de vorm {GEMEENTE.buurt_prefix}dddd.")
            continue
        if not WIJK_RE.match(wijk) or wijk != f"{GEMEENTE.wijk_prefix}{match.group(1)}":
            problems.append(
                f"Buurt {code} ligt in wijk {wijk!r}; volgens de code hoort dat "
                f"{GEMEENTE.wijk_prefix}{match.group(1)} te zijn."
            )
        if wijk not in wijk_names:
            problems.append(f"Buurt {code} verwijst naar onbekende wijk {wijk}.")
        if str(row.gemeentecode) != GEMEENTE.code:
            problems.append(
                f"Buurt {code} heeft gemeentecode {row.gemeentecode!r}, verwacht {GEMEENTE.code}."
            )
        if not str(row.buurtnaam or "").strip():
            problems.append(f"Buurt {code} heeft geen naam.")
    duplicates = buurten["buurtcode"][buurten["buurtcode"].duplicated()].unique()
    problems += [f"Buurtcode {code} komt meer dan eens voor." for code in duplicates]
    empty = set(wijk_names) - set(buurten["wijkcode"])
    problems += [f"Wijk {code} heeft geen enkele buurt." for code in sorted(empty)]
    problems += [
        f"Wijk {code} heeft geen naam."
        for code, name in wijk_names.items()
        if not str(name or "").strip()
    ]
    return problems


def _geometry_problems(buurten: gpd.GeoDataFrame) -> list[str]:
    problems = []
    for code, geom in zip(buurten["buurtcode"], buurten.geometry, strict=True):
        if geom is None or geom.is_empty:
            problems.append(f"Buurt {code} heeft geen geometrie.")
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(f"Buurt {code} is geen vlak maar een {geom.geom_type}.")
        elif not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            problems.append(f"Buurt {code} heeft een ongeldige geometrie ({reason}).")
    return problems


def _coverage_problems(buurten: gpd.GeoDataFrame) -> list[str]:
    problems = []
    areas = buurten.geometry.area
    union = shapely.union_all(buurten.geometry.values)
    overlap_m2 = float(areas.sum() - union.area)
    if overlap_m2 > SLIVER_M2:
        problems.append(f"Buurten overlappen elkaar over {overlap_m2:,.0f} m².")
    gaps = _holes(union)
    gap_m2 = sum(hole.area for hole in gaps if hole.area > SLIVER_M2)
    if gap_m2:
        problems.append(f"Tussen de buurten liggen gaten van samen {gap_m2:,.0f} m².")
    total_ha = union.area / 10_000
    if abs(total_ha - GEMEENTE.area_ha) > AREA_TOLERANCE * GEMEENTE.area_ha:
        problems.append(
            f"Totale oppervlakte is {total_ha:,.0f} ha; verwacht ongeveer "
            f"{GEMEENTE.area_ha:,.0f} ha (±0,5%)."
        )
    return problems


def _holes(geom) -> list:
    polygons = getattr(geom, "geoms", [geom])
    return [shapely.Polygon(ring) for poly in polygons for ring in poly.interiors]
