"""The map of one wijk for its PDF profile (an SVG): its buurten drawn from the master geometry
(EPSG:28992, metres) with geopandas and matplotlib, each buurt labelled, the wijk outlined
(dashed in the web map's focus colour for a focus wijk), other wijken in grey, a scale bar."""

from __future__ import annotations

import io
import textwrap

import geopandas as gpd
import matplotlib
import shapely

matplotlib.use("Agg")  # no display: render to a file only

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from shapely.ops import nearest_points  # noqa: E402

from dashboard.figures import FOCUS_COLOUR  # noqa: E402

FILL = "#dbe6f1"
EDGE = "#4a5a6a"
WIJK_EDGE = "#1f3550"
FOCUS_EDGE = FOCUS_COLOUR  # the focus outline of the web map
CONTEXT = "#eeeeee"
FONT_PT = 5.5  # the labels' size
CHAR_MM = FONT_PT * 0.62 * 25.4 / 72  # wider than the font's average letter
LINE_MM = FONT_PT * 1.25 * 25.4 / 72
DISC_MM = 1.8  # a number's disc, with room around it
GAP_MM = 0.3  # between two labels
SIMPLIFY_M = 2.0  # below the width of a printed line at the scale of a wijk map
SVG_SETTINGS = {"svg.fonttype": "path", "svg.hashsalt": "wijkprofiel"}


def _scale_bar(ax, minx: float, miny: float, width: float) -> None:
    """A bar of a round length (about a fifth of the map width) in the lower left corner."""
    length = next(x for x in (5000, 2000, 1000, 500, 250, 100) if x <= width / 4)
    y = miny + width * 0.03
    x0 = minx + width * 0.03
    ax.plot([x0, x0 + length], [y, y], color="black", linewidth=2, solid_capstyle="butt")
    text = f"{length // 1000} km" if length >= 1000 else f"{length} m"
    ax.text(x0 + length / 2, y + width * 0.012, text, ha="center", va="bottom", fontsize=6)


def drawn(areas: gpd.GeoDataFrame, tolerance_m: float = SIMPLIFY_M) -> gpd.GeoDataFrame:
    """``areas`` with the vertices a printed map cannot show removed (shared edges stay
    shared): the SVG, and so the PDF, carries half the points of the master geometry."""
    simplified = shapely.coverage_simplify(areas.geometry.values, tolerance_m)
    return areas.set_geometry(gpd.GeoSeries(simplified, index=areas.index, crs=areas.crs))


def small_buurten(own: gpd.GeoDataFrame, extent_area: float, share: float = 0.012) -> dict:
    """``buurtcode -> number`` (1, 2, ...) for buurten smaller than ``share`` of the map."""
    small = own[own.geometry.area < share * extent_area].sort_values("buurtcode")
    return {code: i for i, code in enumerate(small["buurtcode"], start=1)}


def wijk_map_svg(
    buurten: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame,
    wijk_code: str,
    focus: bool = False,
    size_mm: tuple[float, float] = (86, 56),
) -> tuple[bytes, dict[str, int]]:
    """SVG of wijk ``wijk_code``: ``buurten`` (``buurtcode``, ``buurtnaam``, ``wijkcode``) and
    ``wijken`` (``wijkcode``) in a projected CRS in metres (RD New). Buurten too small for
    their name carry the number :func:`small_buurten` gives them: returned with the SVG, for
    the caption. Text is drawn as outlines (the PDF needs no font for it; the figure's alt
    text and caption say what the map shows), the same bytes on every run."""
    buurten, wijken = drawn(buurten), drawn(wijken)
    own = buurten[buurten["wijkcode"] == wijk_code]
    outline = wijken[wijken["wijkcode"] == wijk_code]
    width_in, height_in = size_mm[0] / 25.4, size_mm[1] / 25.4
    minx, miny, maxx, maxy = map_extent(outline.total_bounds, width_in, height_in)
    with matplotlib.rc_context(SVG_SETTINGS):
        fig, ax = plt.subplots(figsize=(width_in, height_in))
    try:
        ax.set_axis_off()
        fig.subplots_adjust(0, 0, 1, 1)
        others = wijken[wijken["wijkcode"] != wijk_code]
        others.plot(ax=ax, color=CONTEXT, edgecolor="#bbbbbb", linewidth=0.4)
        own.plot(ax=ax, color=FILL, edgecolor=EDGE, linewidth=0.5)
        outline.boundary.plot(
            ax=ax,
            color=FOCUS_EDGE if focus else WIJK_EDGE,
            linewidth=1.8,
            linestyle=(0, (4, 2)) if focus else "solid",
        )
        numbered = small_buurten(own, (maxx - minx) * (maxy - miny))
        _label_buurten(ax, own, numbered, (maxx - minx) / size_mm[0])
        ax.set_xlim(minx, maxx)
        ax.set_ylim(miny, maxy)
        ax.set_aspect("equal")
        _scale_bar(ax, minx, miny, maxx - minx)
        buffer = io.BytesIO()
        with matplotlib.rc_context(SVG_SETTINGS):
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue(), numbered
    finally:
        plt.close(fig)


def map_extent(bounds, width_in: float, height_in: float) -> tuple[float, float, float, float]:
    """``bounds`` with a 6% margin, the shorter side widened to the image's proportions
    (``width_in`` by ``height_in``) so that the map keeps its aspect.

    >>> map_extent((0, 0, 100, 100), 2.0, 1.0)
    (-62.0, -6.0, 162.0, 106.0)
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    pad = max(maxx - minx, maxy - miny) * 0.06
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    if (maxx - minx) / (maxy - miny) < width_in / height_in:
        extra = (maxy - miny) * width_in / height_in - (maxx - minx)
        return minx - extra / 2, miny, maxx + extra / 2, maxy
    extra = (maxx - minx) * height_in / width_in - (maxy - miny)
    return minx, miny - extra / 2, maxx, maxy + extra / 2


def label_box(text: str, x: float, y: float, metres_per_mm: float):
    """The extent (a shapely box, map units) of a label set at (x, y): generous for the
    map's sans-serif font."""
    half_w, half_h = _half_size(text, metres_per_mm)
    return shapely.box(x - half_w, y - half_h, x + half_w, y + half_h)


def _half_size(text: str, metres_per_mm: float) -> tuple[float, float]:
    lines = text.split("\n")
    width = max(len(line) for line in lines) * CHAR_MM
    return width / 2 * metres_per_mm, len(lines) * LINE_MM / 2 * metres_per_mm


def _free_spot(shape, point, text: str, taken: list, metres_per_mm: float):
    """The point of ``shape`` nearest to ``point`` where the label ``text`` covers nothing
    in ``taken`` (``point`` itself when it is free, or when no such point exists)."""
    half_w, half_h = _half_size(text, metres_per_mm)
    gap = GAP_MM * metres_per_mm
    blocked = [
        shapely.box(x0 - half_w - gap, y0 - half_h - gap, x1 + half_w + gap, y1 + half_h + gap)
        for x0, y0, x1, y1 in (item.bounds for item in taken)
    ]
    free = shape.difference(shapely.union_all(blocked)) if blocked else shape
    return point if free.is_empty else nearest_points(free, point)[0]


def label_anchors(own: gpd.GeoDataFrame, numbered: dict[str, int], metres_per_mm: float) -> dict:
    """``buurtcode -> (text, x, y)``: a number at its buurt's representative point; a name
    there too, or at the nearest spot of its buurt where it covers no number (an enclave's
    number sat under its surrounding buurt's name) and no name placed before it."""
    shapes = dict(zip(own["buurtcode"], own.geometry, strict=True))
    points = {code: shape.representative_point() for code, shape in shapes.items()}
    anchors = {code: (str(n), points[code].x, points[code].y) for code, n in numbered.items()}
    taken = [points[c].buffer(DISC_MM * metres_per_mm) for c in numbered]
    for code in sorted(set(shapes) - set(numbered)):
        text = textwrap.fill(own.loc[own["buurtcode"] == code, "buurtnaam"].iloc[0], 18)
        spot = _free_spot(shapes[code], points[code], text, taken, metres_per_mm)
        taken.append(label_box(text, spot.x, spot.y, metres_per_mm))
        anchors[code] = (text, spot.x, spot.y)
    return anchors


def _label_buurten(ax, own: gpd.GeoDataFrame, numbered: dict[str, int], metres_per_mm) -> None:
    """Each buurt's name (white halo), or its number on a white disc when it is too small."""
    halo = [patheffects.withStroke(linewidth=2, foreground="white")]
    disc = {"boxstyle": "circle,pad=0.2", "fc": "white", "ec": EDGE, "lw": 0.4}
    for code, (text, x, y) in label_anchors(own, numbered, metres_per_mm).items():
        number = code in numbered
        ax.annotate(
            text,
            (x, y),
            ha="center",
            va="center",
            fontsize=FONT_PT,
            color="#111111",
            path_effects=None if number else halo,
            # numbers on a white disc, above the names (an enclave's number stays visible)
            bbox=disc if number else None,
            zorder=4 if number else 3,
        )
