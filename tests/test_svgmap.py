"""The wijk page's buurt map as a server-drawn SVG (dashboard/svgmap.py, dashboard/wijkmap.py):
every buurt a path with its title and the map page's class colour, every buurt name a label,
no two labels overlapping (by the boxes computed from the text extents placed)."""

from __future__ import annotations

from itertools import combinations
from xml.etree import ElementTree

import geopandas as gpd
import pytest
from mapclient import switch
from shapely.geometry import box

import dashboard.app  # noqa: F401  (pages register after the app exists)
from dashboard import ids, svgmap, wijkmap
from indicators.classify import MISSING_COLOUR

from dashclient import render_page

SVG = "{http://www.w3.org/2000/svg}"
WIJKEN = [f"WK0164{n:02d}" for n in range(10)]


def parsed(markup: str):
    return ElementTree.fromstring(markup)


def group(root, name: str):
    return next(g for g in root.iter(SVG + "g") if g.get("class") == name)


def label_texts(root) -> dict[str, str]:
    """code -> the label's words (its lines joined), of the names (not the numbers)."""
    texts = {}
    for el in group(root, "svgmap-labels").iter(SVG + "text"):
        words = ""
        for line in (span.text for span in el.iter(SVG + "tspan")):
            words += line if not words or words.endswith("-") else " " + line
        texts[el.get("data-code")] = words
    return texts


def assert_no_overlap(svg: svgmap.SvgMap):
    for a, b in combinations(svg.labels, 2):
        assert not a.box.overlaps(b.box, gap=0), (a.lines, b.lines)
    for label in svg.labels:
        assert 0 <= label.box.x0 and label.box.x1 <= svg.width, label
        assert 0 <= label.box.y0 and label.box.y1 <= svg.height, label


def tiny_buurten(names: list[str], size: float = 300.0) -> gpd.GeoDataFrame:
    """Made-up buurten: a row of small squares (RD New, metres), each too small for its name."""
    geoms = [box(i * size, 0, (i + 1) * size, size) for i in range(len(names))]
    codes = [f"BU9{i:07d}" for i in range(len(names))]
    return gpd.GeoDataFrame({"buurtcode": codes}, geometry=geoms, crs=28992)


def test_crowded_names_never_overlap_and_all_are_shown():
    names = [f"Een heel lange buurtnaam nummer {i}" for i in range(8)] + ["Kort", "Ö & <x>"]
    shapes = tiny_buurten(names)
    codes = list(shapes["buurtcode"])
    svg = svgmap.wijk_svg(
        shapes,
        dict(zip(codes, names, strict=True)),
        {c: "#fef0d9" for c in codes},
        {c: f"{n}: geen gegevens" for c, n in zip(codes, names, strict=True)},
        "caption",
    )
    root = parsed(svg.markup)  # well-formed XML: names are escaped
    assert label_texts(root) == dict(zip(codes, names, strict=True))
    assert_no_overlap(svg)
    assert any(label.leader for label in svg.labels)  # some went to the column, with a line
    assert root.get("aria-labelledby") == "caption" and root.get("role") == "img"


def assert_numbers_fit(svg: svgmap.SvgMap, names: dict[str, str]):
    """Every buurt has one number, 1 for the first name in alphabetical order; no two markers
    overlap and every marker lies inside the map's own part of the view box."""
    root = parsed(svg.markup)
    markers = [g for g in root.iter(SVG + "g") if g.get("class") == "svgmap-number"]
    by_number = sorted(markers, key=lambda g: int(g.find(SVG + "text").text))
    assert [g.get("data-name") for g in by_number] == sorted(names.values(), key=str.casefold)
    assert {g.get("data-code") for g in markers} == set(names)
    width, height = (float(v) for v in root.get("data-numbers-box").split()[2:])
    for a, b in combinations(svg.numbers, 2):
        assert not a.box.overlaps(b.box, gap=0), (a.lines, b.lines)
    for n in svg.numbers:
        assert 0 <= n.box.x0 and n.box.x1 <= width + 1 and 0 <= n.box.y0 <= n.box.y1 <= height


def test_crowded_numbers_never_overlap_and_stay_readable_on_a_phone():
    """The narrow screen's numbers: twenty tiny buurten in a row, each too small for its number,
    still get one each (with leader lines), sized 12.5 px when the map is 290 px wide."""
    names = [f"Buurt {chr(ord('T') - i)}" for i in range(20)]
    shapes = tiny_buurten(names)
    codes = list(shapes["buurtcode"])
    named = dict(zip(codes, names, strict=True))
    svg = svgmap.wijk_svg(
        shapes, named, {c: "#fef0d9" for c in codes}, {c: c for c in codes}, "caption"
    )
    assert_numbers_fit(svg, named)
    assert any(n.leader for n in svg.numbers)
    width = float(parsed(svg.markup).get("data-numbers-box").split()[2])
    # the map's own height: the rows under it only make the view box taller
    scale = min(svgmap.NARROW_PX / width, svgmap.MAX_HEIGHT_PX / svg.height)
    assert min(n.size for n in svg.numbers) * scale >= 12


def test_two_lines_splits_near_the_middle():
    assert svgmap.two_lines("Verspreide huizen Beckum") == ("Verspreide", "huizen Beckum")
    assert svgmap.two_lines("Twentekanaal-Noord") == ("Twentekanaal-", "Noord")
    assert svgmap.two_lines("Beckum") is None


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("code", WIJKEN)
def test_every_wijk_map_names_every_buurt_without_overlap(context, code, lang):
    svg, view = wijkmap.buurt_map(context, code, "misdrijf_diefstal_woning", lang)
    buurten = context.areas["buurt"][context.areas["buurt"]["wijkcode"] == code]
    names = dict(zip(buurten["code"], buurten["name"], strict=True))
    root = parsed(svg.markup)
    assert label_texts(root) == names
    assert_no_overlap(svg)
    assert_numbers_fit(svg, names)
    paths = list(root.iter(SVG + "path"))
    assert {p.get("data-code") for p in paths} == set(names)
    for path in paths:
        title = path.find(SVG + "title").text
        assert title.startswith(names[path.get("data-code")] + ": ")


def test_colours_are_the_map_pages_classes(client, context):
    indicator = "misdrijf_diefstal_woning"
    status, data, raw, _ = switch(client, indicator, "buurt")
    payload = data["response"][ids.MAP_VIEW]["data"]
    codes = list(context.areas["buurt"]["code"])
    expected = {
        code: MISSING_COLOUR if cls == "-" else payload["colours"][int(cls)]
        for code, cls in zip(codes, payload["classes"], strict=True)
    }
    seen = 0
    for code in WIJKEN:
        svg, _ = wijkmap.buurt_map(context, code, indicator, "nl")
        for path in parsed(svg.markup).iter(SVG + "path"):
            assert path.get("fill") == expected[path.get("data-code")]
            seen += 1
    assert seen == 62 and MISSING_COLOUR in expected.values()  # grey where there is no value


def test_the_wijk_page_sends_the_svg_and_no_plotly_map(client):
    status, content, raw = render_page(client, "/wijk/berflo-es", "?taal=en")
    text = raw.decode()
    assert status == 200 and "choroplethmap" not in text
    assert ids.WIJK_MAP_SVG in text and "Berflo Es" in text
    assert "Twentekanaal" in text  # a buurt name on the map
