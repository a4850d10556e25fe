"""The wijk page's buurt map as a server-drawn SVG (issue 16: no plotly.js map bundle; issue 18:
the buurt names on the map).

Pure functions: the web layer's buurten (EPSG:4326) are projected to RD New (EPSG:28992, metres,
true shapes for a wijk), scaled into a view box and written as SVG paths, one per buurt, each
with its fill (the map's class colour, grey for *geen gegevens*) and a ``<title>`` (name, value,
period) for the pointer. Every buurt name is a label: placed at the buurt's pole of
inaccessibility (the point deepest inside it), else at a nearby spot, in a smaller size or on
two lines, and where nothing fits inside the map, in a column beside it with a leader line;
never over another label (the boxes come from an estimate of the text's extent that is
generous for the page's sans-serif font). The browser inserts the markup as it is
(``assets/svgmap.js``); the buurt table under the map is the table alternative.

Where the names would be drawn smaller than 11 px (a wide wijk on a phone: the view box is
shrunk to the screen), the browser shows numbers instead, with a key of number and name under
the map: each buurt a number in a circle, sized to stay at least 11 px on a 320 px phone,
numbered in the order of the names, never over another number (a leader line where the number
had to move off its buurt). Both sets are in the markup; ``svgmap.js`` picks one by measuring.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import cos, pi, sin
from xml.sax.saxutils import escape, quoteattr

import geopandas as gpd
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.ops import polylabel

RD_NEW = 28992
WIDTH = 640.0  # view box width of the map itself (a label column may be added on the right)
MAX_HEIGHT = 520.0
PAD = 12.0
FONT_SIZES = (13.0, 11.0)
CHAR_WIDTH = 0.62  # of the font size: wider than the average letter of a sans-serif font
LINE_HEIGHT = 1.25
LINE_COLOUR = "#3d3d3d"
PATH_SCALE = 10
# The numbers instead of names on a narrow screen: at least NUMBER_PX (with some margin over
# 11 px) when the map is NARROW_PX wide (a 320 px phone) or, for a tall wijk, MAX_HEIGHT_PX
# high (the stylesheet's max-height of .svgmap, 34rem).
NUMBER_PX, NARROW_PX, MAX_HEIGHT_PX = 12.5, 290.0, 544.0
RING_ANGLES = tuple(2 * pi * k / 12 for k in range(12))
# nearby spots tried around the anchor, in steps of the label's own height
OFFSETS = ((0, 0), (0, -1), (0, 1), (-0.5, 0), (0.5, 0), (0, -2), (0, 2), (-1, -1), (1, 1))


@dataclass(frozen=True)
class Box:
    """A label's box in view box units (x0 < x1, y0 < y1)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = 1.0) -> bool:
        return not (
            self.x1 + gap <= other.x0
            or other.x1 + gap <= self.x0
            or self.y1 + gap <= other.y0
            or other.y1 + gap <= self.y0
        )


@dataclass(frozen=True)
class Label:
    """One placed name: its lines, centre, font size, box and (in the column) leader line."""

    code: str
    lines: tuple[str, ...]
    x: float
    y: float
    size: float
    box: Box
    leader: tuple[float, float] | None = None  # the anchor the leader line points at


@dataclass(frozen=True)
class SvgMap:
    """The markup and what it was made of (for tests and the column width)."""

    markup: str
    width: float
    height: float
    labels: tuple[Label, ...]
    numbers: tuple[Label, ...] = ()  # the narrow screen's numbered markers (lines: the number)


def text_box(lines: tuple[str, ...], x: float, y: float, size: float) -> Box:
    """The box of centred text ``lines`` around (x, y) at font ``size``."""
    width = max(len(line) for line in lines) * size * CHAR_WIDTH
    height = len(lines) * size * LINE_HEIGHT
    return Box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def two_lines(name: str) -> tuple[str, ...] | None:
    """``name`` split into two lines at the space or hyphen nearest its middle, or None."""
    cuts = [i for i, c in enumerate(name) if c in " -"]
    if not cuts:
        return None
    cut = min(cuts, key=lambda i: abs(i - len(name) / 2))
    keep = 1 if name[cut] == "-" else 0
    return name[: cut + keep].strip(), name[cut + 1 :].strip()


class Frame:
    """Projected coordinates -> view box: scaled to WIDTH (or MAX_HEIGHT), y downwards."""

    def __init__(self, bounds):
        minx, miny, maxx, maxy = bounds
        span_x, span_y = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
        self.scale = min((WIDTH - 2 * PAD) / span_x, (MAX_HEIGHT - 2 * PAD) / span_y)
        self.minx, self.maxy = minx, maxy
        self.width = span_x * self.scale + 2 * PAD
        self.height = span_y * self.scale + 2 * PAD

    def point(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.minx) * self.scale + PAD, (self.maxy - y) * self.scale + PAD


def _ring(frame: Frame, coords) -> str:
    # whole tenths of a unit: the areas' group is scaled by 1/PATH_SCALE (short, and no
    # decimal number in the markup that could be read as a figure)
    points = [frame.point(x, y) for x, y in coords]
    text = [f"{round(px * PATH_SCALE)} {round(py * PATH_SCALE)}" for px, py in points[:-1]]
    return "M" + "L".join(text) + "Z"


def path_data(frame: Frame, geom) -> str:
    """SVG path data of a (multi)polygon: every ring closed, holes as their own rings (drawn
    with ``fill-rule="evenodd"``)."""
    polygons = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    rings = []
    for polygon in polygons:
        rings.append(_ring(frame, polygon.exterior.coords))
        rings.extend(_ring(frame, ring.coords) for ring in polygon.interiors)
    return "".join(rings)


def anchor(geom) -> tuple[float, float]:
    """The label point of a (multi)polygon: the pole of inaccessibility of its largest part."""
    part = max(geom.geoms, key=lambda g: g.area) if isinstance(geom, MultiPolygon) else geom
    point = polylabel(part, tolerance=max(part.length / 500, 1.0))
    return point.x, point.y


def _inside(box: Box, width: float, height: float) -> bool:
    return box.x0 >= 2 and box.y0 >= 2 and box.x1 <= width - 2 and box.y1 <= height - 2


def _variants(name: str):
    for size in FONT_SIZES:
        yield (name,), size
        split = two_lines(name)
        if split:
            yield split, size


def place_inside(code, name, point, shape: Polygon, placed, width, height) -> Label | None:
    """The first spot near ``point`` (view box) where ``name`` fits in the map without
    touching a placed label, preferring spots over the buurt itself (``shape``, view box)."""
    for over_own in (True, False):
        for lines, size in _variants(name):
            step = len(lines) * size * LINE_HEIGHT
            for dx, dy in OFFSETS:
                x, y = point[0] + dx * step * 2, point[1] + dy * step
                box = text_box(lines, x, y, size)
                if over_own and not shape.contains(Point(x, y)):
                    continue
                if _inside(box, width, height) and not any(box.overlaps(p.box) for p in placed):
                    return Label(code, lines, x, y, size, box)
    return None


def place_in_column(left: list[tuple[str, str, tuple]], x0: float, height: float) -> list[Label]:
    """Names that did not fit in the map, stacked top to bottom in a column from ``x0``, in the
    order of their anchors' height (so leader lines hardly cross)."""
    size = FONT_SIZES[-1]
    step = size * LINE_HEIGHT + 4
    labels = []
    y = max(PAD, (height - step * len(left)) / 2) + step / 2
    for code, name, point in sorted(left, key=lambda item: item[2][1]):
        width = len(name) * size * CHAR_WIDTH
        box = Box(x0, y - step / 2 + 2, x0 + width, y + step / 2 - 2)
        labels.append(Label(code, (name,), x0 + width / 2, y, size, box, leader=point))
        y += step
    return labels


def project(buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The buurten in RD New (metres), for true shapes in the view box."""
    return buurten.to_crs(RD_NEW) if buurten.crs and buurten.crs.to_epsg() != RD_NEW else buurten


def _view_shape(frame: Frame, geom) -> Polygon:
    part = max(geom.geoms, key=lambda g: g.area) if isinstance(geom, MultiPolygon) else geom
    return Polygon([frame.point(x, y) for x, y in part.exterior.coords])


def place_labels(frame: Frame, codes, names, geoms) -> tuple[list[Label], float]:
    """Every name placed (largest buurten first); returns the labels and the total width."""
    order = sorted(range(len(codes)), key=lambda i: -geoms[i].area)
    placed, left = [], []
    for i in order:
        point = frame.point(*anchor(geoms[i]))
        shape = _view_shape(frame, geoms[i])
        label = place_inside(codes[i], names[i], point, shape, placed, frame.width, frame.height)
        if label:
            placed.append(label)
        else:
            left.append((codes[i], names[i], point))
    if not left:
        return placed, frame.width
    column = place_in_column(left, frame.width + 16, frame.height)
    width = max(label.box.x1 for label in column) + PAD
    return placed + column, width


def number_size(frame: Frame) -> float:
    """The font size (view box units) of the numbers: NUMBER_PX on a NARROW_PX wide map."""
    scale = min(NARROW_PX / frame.width, MAX_HEIGHT_PX / frame.height)
    return round(NUMBER_PX / scale, 1)


def _number_box(x: float, y: float, size: float) -> Box:
    r = size * 0.8
    return Box(x - r, y - r, x + r, y + r)


def _number_spots(point, size: float):
    """Spots around ``point`` in growing rings (the anchor first)."""
    yield point
    for ring in range(1, 40):
        for angle in RING_ANGLES:
            dist = ring * size * 0.9
            yield point[0] + dist * cos(angle), point[1] + dist * sin(angle)


def place_number(code, number, point, shape: Polygon, placed, frame: Frame, size) -> Label | None:
    """The number's marker at the first spot near ``point`` inside the map and clear of the
    markers placed; on its own buurt if it can, else with a leader line to ``point``; None
    when the map has no room left."""
    spots = list(_number_spots(point, size))
    for over_own in (True, False):
        for x, y in spots:
            box = _number_box(x, y, size)
            if over_own and not shape.contains(Point(x, y)):
                continue
            if _inside(box, frame.width, frame.height) and not any(
                box.overlaps(p.box, gap=2) for p in placed
            ):
                leader = None if over_own else point
                return Label(code, (str(number),), x, y, size, box, leader=leader)
    return None


def place_in_rows(left: list[tuple[str, int, tuple]], frame: Frame, size: float) -> list[Label]:
    """Markers that found no room in the map, in rows under it (the numbers' view box grows
    to hold them), each with a leader line to its buurt."""
    step = size * 1.8
    per_row = max(1, int((frame.width - 2 * PAD) // step))
    labels = []
    for k, (code, number, point) in enumerate(sorted(left, key=lambda item: item[2][0])):
        x = PAD + step / 2 + (k % per_row) * step
        y = frame.height + step / 2 + (k // per_row) * step
        labels.append(Label(code, (str(number),), x, y, size, _number_box(x, y, size), point))
    return labels


def place_numbers(frame: Frame, codes, names, geoms) -> list[Label]:
    """A number per buurt, 1 for the first name in alphabetical order (the key's order);
    placed smallest buurt first (they have the least room)."""
    size = number_size(frame)
    alphabetical = sorted(range(len(codes)), key=lambda i: names[i].casefold())
    numbers = {i: n for n, i in enumerate(alphabetical, 1)}
    placed: list[Label] = []
    left = []
    for i in sorted(range(len(codes)), key=lambda i: geoms[i].area):
        point = frame.point(*anchor(geoms[i]))
        shape = _view_shape(frame, geoms[i])
        label = place_number(codes[i], numbers[i], point, shape, placed, frame, size)
        if label:
            placed.append(label)
        else:
            left.append((codes[i], numbers[i], point))
    placed += place_in_rows(left, frame, size)
    return sorted(placed, key=lambda label: int(label.lines[0]))


def _number_markup(label: Label, name: str) -> str:
    line = ""
    if label.leader:
        lx, ly = label.leader
        line = (
            f'<line x1="{lx:.0f}" y1="{ly:.0f}" x2="{label.x:.0f}" y2="{label.y:.0f}" '
            f'stroke="{LINE_COLOUR}" stroke-width="1.5"/>'
        )
    r = label.box.x1 - label.x
    return (
        f'<g class="svgmap-number" data-code="{label.code}" data-name={quoteattr(name)}>{line}'
        f'<circle cx="{label.x:.0f}" cy="{label.y:.0f}" r="{r:.1f}" fill="#fff" '
        f'stroke="{LINE_COLOUR}" stroke-width="1.5"/>'
        f'<text class="svgmap-number-text" x="{label.x:.0f}" y="{label.y:.0f}" '
        f'font-size="{label.size:g}" text-anchor="middle" dominant-baseline="central">'
        f"{label.lines[0]}</text></g>"
    )


def _label_markup(label: Label) -> str:
    parts = []
    if label.leader:
        lx, ly = label.leader
        parts.append(
            f'<line x1="{lx:.0f}" y1="{ly:.0f}" x2="{label.box.x0 - 2:.0f}" y2="{label.y:.0f}" '
            f'stroke="{LINE_COLOUR}" stroke-width="0.8"/>'
            f'<circle cx="{lx:.0f}" cy="{ly:.0f}" r="2" fill="{LINE_COLOUR}"/>'
        )
    first = label.y - (len(label.lines) - 1) * label.size * LINE_HEIGHT / 2
    tspans = "".join(
        f'<tspan x="{label.x:.0f}" y="{first + i * label.size * LINE_HEIGHT:.0f}">'
        f"{escape(line)}</tspan>"
        for i, line in enumerate(label.lines)
    )
    parts.append(
        f'<text class="svgmap-label" font-size="{label.size:g}" text-anchor="middle" '
        f'dominant-baseline="central" data-code="{label.code}">{tspans}</text>'
    )
    return "".join(parts)


@dataclass(frozen=True)
class SvgShapes:
    """What a wijk's SVG is made of apart from its fills and titles: the same for every
    indicator and language, so a page can keep it (:func:`draw_svg` draws it)."""

    codes: tuple[str, ...]
    paths: tuple[str, ...]  # the path data of each code
    labels: tuple[Label, ...]
    numbers: tuple[Label, ...]
    width: float  # of the names' view box
    height: float
    frame_width: float  # of the numbers' view box
    numbers_height: float


def wijk_shapes(buurten: gpd.GeoDataFrame, names: dict[str, str]) -> SvgShapes:
    """The :class:`SvgShapes` of ``buurten`` (a GeoDataFrame with ``buurtcode`` and geometry,
    any CRS) with the names as labels."""
    shapes = project(buurten)
    codes = list(shapes["buurtcode"])
    geoms = list(shapes.geometry)
    frame = Frame(shapes.total_bounds)
    labels, width = place_labels(frame, codes, [names[c] for c in codes], geoms)
    numbers = place_numbers(frame, codes, [names[c] for c in codes], geoms)
    return SvgShapes(
        codes=tuple(codes),
        paths=tuple(path_data(frame, geom) for geom in geoms),
        labels=tuple(labels),
        numbers=tuple(numbers),
        width=width,
        height=frame.height,
        frame_width=frame.width,
        numbers_height=max([frame.height] + [n.box.y1 + PAD for n in numbers]),
    )


def wijk_svg(
    buurten: gpd.GeoDataFrame,
    names: dict[str, str],
    fills: dict[str, str],
    titles: dict[str, str],
    labelled_by: str,
) -> SvgMap:
    """The SVG of ``buurten`` (a GeoDataFrame with ``buurtcode`` and geometry, any CRS):
    fills and titles per buurt code, the names as labels; the element with id
    ``labelled_by`` (the map's caption) names it for assistive technology."""
    return draw_svg(wijk_shapes(buurten, names), names, fills, titles, labelled_by)


def draw_svg(
    shapes: SvgShapes,
    names: dict[str, str],
    fills: dict[str, str],
    titles: dict[str, str],
    labelled_by: str,
) -> SvgMap:
    """The SVG of :func:`wijk_svg` from its ``shapes`` (made with the same ``names``)."""
    paths = "".join(
        f'<path d="{path}" fill="{fills[code]}" fill-rule="evenodd" '
        f'stroke="{LINE_COLOUR}" stroke-width="8" data-code="{code}">'
        f"<title>{escape(titles[code])}</title></path>"
        for code, path in zip(shapes.codes, shapes.paths, strict=True)
    )
    labels, numbers = shapes.labels, shapes.numbers
    names_box = f"0 0 {shapes.width:.0f} {shapes.height:.0f}"
    numbers_box = f"0 0 {shapes.frame_width:.0f} {shapes.numbers_height:.0f}"
    min_size = min(label.size for label in labels) if labels else FONT_SIZES[-1]
    markers = "".join(_number_markup(n, names[n.code]) for n in numbers)
    markup = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="svgmap" role="img" '
        f'viewBox="{names_box}" data-names-box="{names_box}" data-numbers-box="{numbers_box}" '
        f'data-name-size="{min_size:g}" aria-labelledby={quoteattr(labelled_by)}>'
        f'<g class="svgmap-areas" transform="scale({1 / PATH_SCALE:g})">{paths}</g>'
        f'<g class="svgmap-labels">{"".join(_label_markup(lab) for lab in labels)}</g>'
        f'<g class="svgmap-numbers">{markers}</g></svg>'
    )
    return SvgMap(markup, shapes.width, shapes.height, labels, numbers)


def area_fills(view, codes: list[str]) -> dict[str, str]:
    """The map's class colour of every code of ``view`` (a :class:`dashboard.figures.MapView`),
    grey (``MISSING_COLOUR``) where there is no value."""
    from indicators.classify import MISSING_COLOUR

    index = dict(zip(view.codes, view.class_index, strict=True))
    return {c: MISSING_COLOUR if index.get(c) is None else view.colours[index[c]] for c in codes}


def area_titles(view, names: dict[str, str], no_data: str) -> dict[str, str]:
    """The pointer text of every area of ``view``: name, value with unit, period."""
    titles = {}
    for code, text in zip(view.codes, view.formatted, strict=True):
        shown = f"{text}{view.unit_suffix} ({view.period_label})" if text else no_data
        titles[code] = f"{names.get(code, code)}: {shown}"
    return titles
