"""The council's defects of issue 18 (part B): slide discs, spider text, the 100 line, themes
without KPIs, ties at the cut of a top 10, the slide's tab title, fallback notices and the
areas of /vergelijk. The drawn text is measured in tests/test_browser_overlap.py."""

from __future__ import annotations

import itertools
import json

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

import dashboard.app  # noqa: F401  (pages register after the app exists)
from dashboard import figures, spider
from dashboard.figures import map_view
from dashboard.pages import presentatie_dia, vergelijk
from geodata import discs

from dashclient import render_page

CENTRUM = "BU01640000"  # Binnenstad-Centrum: small, the only buurt in the top class


def test_spider_prints_scores_in_the_axis_labels_not_at_the_points():
    fig = figures.radar_figure(["Aa bb", "Cc", "Dd ee ff"], [147.0, 93.0, 150.0], "t", True)
    hengelo = fig.data[-1]
    assert "text" not in hengelo.mode  # no score text next to a point (it sat on the labels)
    ticks = fig.layout.polar.angularaxis.ticktext
    assert [tick.split("<b>")[-1] for tick in ticks] == ["147</b>", "93</b>", "150</b>"]
    assert fig.layout.polar.radialaxis.showticklabels is False  # no "150" over a label
    assert fig.layout.polar.angularaxis.tickvals == fig.data[0].theta[:-1]


def test_spider_margins_hold_the_labels():
    labels = ["Woonoverlast, overlast verwarde personen (subjectief)"] * 4 + ["Geluid"] * 4
    ticktext, margin = spider.fit(labels, [147.0] * 8, 12, (960, 640), (44, 36))
    # the top label's lines fit in the top margin, above the title's reserve
    lines = ticktext[0].count("<br>") + 1
    assert margin["t"] >= 44 + lines * spider.LINE_HEIGHT * 12
    assert all(len(line) <= spider.MAX_CHARS + 8 for t in ticktext for line in t.split("<br>"))


@pytest.mark.parametrize("builder", ["score_bar_figure", "objective_subjective_figure"])
def test_the_benchmark_mean_line_is_drawn(builder):
    if builder == "score_bar_figure":
        fig = figures.score_bar_figure(["a", "b"], [90.0, 120.0], "t", True)
    else:
        fig = figures.objective_subjective_figure(["a"], [90.0], [120.0])
    (line,) = fig.layout.shapes
    # simple_white's shape defaults (width 0, opacity 0.3) made the line invisible
    assert line.line.width >= 2 and line.opacity == 1


def test_place_discs_puts_a_disc_beside_an_area_too_small_for_it():
    crs = "EPSG:28992"
    gdf = gpd.GeoDataFrame(
        {"code": ["small", "big", "next"]},
        geometry=[box(0, 0, 100, 100), box(100, -2000, 3000, 2000), box(-2000, -2000, 0, 2000)],
        crs=crs,
    )
    placed = {d.code: d for d in discs.place_discs(gdf, "code", ["small", "big", "next"], 150)}
    small = placed["small"]
    assert small.leader and not Point(small.centre).buffer(150).intersects(gdf.geometry[0])
    assert gdf.geometry[0].contains(Point(small.anchor))
    assert not placed["big"].leader
    assert gdf.geometry[1].contains(Point(placed["big"].centre).buffer(150))
    for a, b in itertools.combinations(placed.values(), 2):
        assert Point(a.centre).distance(Point(b.centre)) >= 300


def test_place_discs_refuses_degrees():
    gdf = gpd.GeoDataFrame({"code": ["a"]}, geometry=[box(6, 52, 7, 53)], crs="EPSG:4326")
    with pytest.raises(ValueError, match="projected"):
        discs.place_discs(gdf, "code", ["a"], 0.01)


def slide_map_discs(context):
    """The discs of the violence-per-buurt slide, in metres, with their radius."""
    ctx = context
    areas = ctx.areas["buurt"]
    view = map_view(
        ctx.public_obs,
        ctx.data.indicators,
        ctx.data.sources,
        "misdrijf_geweld",
        "buurt",
        list(areas["code"]),
        "nl",
    )
    labels, leaders = presentatie_dia.numbered_labels(
        ctx.data.web_buurten, "buurtcode", view, list(areas["name"]), 10
    )
    rd = ctx.data.web_buurten.to_crs(discs.RD_NEW).set_index("buurtcode")
    centres = gpd.GeoSeries(
        [Point(lon, lat) for lon, lat, _ in labels.values()], crs=ctx.data.web_buurten.crs
    ).to_crs(discs.RD_NEW)
    radius = (figures.DISC_PX / 2) * discs.metres_per_pixel(rd, presentatie_dia.SLIDE_MAP_PX)
    return dict(zip(labels, centres, strict=True)), rd, radius, leaders


def test_slide_discs_never_overlap_nor_cover_the_area_they_name(context):
    centres, rd, radius, leaders = slide_map_discs(context)
    assert len(centres) == 10
    for a, b in itertools.combinations(centres.values(), 2):
        assert a.distance(b) >= 2 * radius
    for code, centre in centres.items():
        disc = centre.buffer(radius)
        area = rd.geometry[code]
        # on the area when it fits there, else off it entirely (with a leader line)
        assert area.contains(disc) or not disc.intersects(area), code
    assert not centres[CENTRUM].buffer(radius).intersects(rd.geometry[CENTRUM])
    assert leaders  # the small central buurten are joined to their discs


def test_slide_top_ten_says_who_else_ties_with_the_last(client):
    path = "/presentatie/dia"
    # violence per buurt: the top 10 cuts a tie of four buurten at 5,0
    _, content, _ = render_page(
        client, path, "?weergave=/%3Findicator%3Dmisdrijf_geweld%26niveau%3Dbuurt"
    )
    text = json.dumps(content, ensure_ascii=False)
    assert "en 2 andere met 5,0: " in text
    _, content, _ = render_page(
        client, path, "?taal=en&weergave=/%3Findicator%3Dmisdrijf_geweld%26niveau%3Dbuurt"
    )
    assert "and 2 others at 5.0: " in json.dumps(content, ensure_ascii=False)


def test_themes_slide_says_when_a_theme_has_no_kpis(client):
    _, content, _ = render_page(client, "/presentatie/dia", "?weergave=/thema")
    rows = [r for r in _walk(content) if r.get("type") == "Tr"]
    texts = {json.dumps(r, ensure_ascii=False) for r in rows}
    without = [r for r in texts if "geen KPI's in het beleid" in r]
    assert len(without) == 2 and all(("2.7 " in r) != ("2.8 " in r) for r in without)
    assert not any('"0"' in r for r in without)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.get("props", {}).values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


@pytest.mark.parametrize(
    ("query", "title"),
    [("?weergave=/thema", " – Dia – "), ("?weergave=/thema&taal=en", " – Slide – ")],
)
def test_slide_tab_title_follows_the_language(client, query, title):
    html = client.get("/presentatie/dia" + query).get_data(as_text=True)
    assert title in html


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("?kern=zzz", "Kernvariabele 'zzz' bestaat niet; de pagina toont 'Veiligheid'."),
        ("?kern=zzz&taal=en", "Core variable 'zzz' does not exist; the page shows 'Safety'."),
        ("?kern=veiligheid&thema=nope", "Hoofdthema 'nope' hoort niet bij 'Veiligheid'"),
    ],
)
def test_benchmark_says_when_it_falls_back(client, query, says):
    _, content, _ = render_page(client, "/benchmark", query)
    assert says in json.dumps(content, ensure_ascii=False)


def test_benchmark_known_selection_has_no_fallback_notice(client):
    _, content, _ = render_page(client, "/benchmark", "?kern=veiligheid&thema=veiligheid.thema")
    text = json.dumps(content, ensure_ascii=False)
    assert "bestaat niet" not in text and "hoort niet bij" not in text


@pytest.mark.parametrize(
    ("asked", "areas", "said"),
    [
        ("berflo-es,Noord", ["WK016405", "WK016402"], []),  # names, as /wijk/ takes them
        ("binnenstad-centrum,WK016405", [CENTRUM, "WK016405"], []),
        ("WK016405,zzz", ["WK016405"], ["zzz"]),  # the valid one stays, the other is named
        ("GM0164,WK016405", ["WK016405"], ["laatste kolom"]),  # Hengelo once
        ("zzz", vergelijk.DEFAULT_AREAS, ["zzz", "ten minste één"]),
        # part of two buurt names, as /wijk/tuindorp offers both: named, not 'unknown'
        ("WK016405,tuindorp", ["WK016405"], ["Tuindorp 't Lansink (BU01640601)"]),
        ("tuindorp", vergelijk.DEFAULT_AREAS, ["Tuindorp-Zuid (BU01640602)", "ten minste één"]),
    ],
)
def test_compare_selection_from_the_url(context, asked, areas, said):
    chosen, _, notices = vergelijk.resolve_selection(context, asked, "", "nl")
    assert chosen == areas
    assert len(notices) == len(said)
    assert all(part in notice for part, notice in zip(said, notices, strict=True))


def test_compare_shows_hengelo_once_when_chosen(client):
    _, content, _ = render_page(client, "/vergelijk", "?gebieden=GM0164,WK016405")
    tables = [n for n in _walk(content) if n.get("type") == "Table"]
    assert tables
    for table in tables:  # the comparison and the tested changes: Hengelo once in each
        headers = [
            n["props"].get("children")
            for n in _walk(table)
            if n.get("type") == "Th" and n["props"].get("scope") == "col"
        ]
        assert headers.count("Hengelo") <= 1, headers
    first = [
        n["props"].get("children")
        for n in _walk(tables[0])
        if n.get("type") == "Th" and n["props"].get("scope") == "col"
    ]
    assert first.count("Hengelo") == 1, first
