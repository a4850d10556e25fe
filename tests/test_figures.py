"""Figure builders inspected as objects, without a server."""

import pandas as pd
import pytest

from dashboard import figures
from indicators.classify import CONCERN, MISSING_COLOUR, NEUTRAL


@pytest.fixture()
def small():
    """Made-up observations for three wijken."""
    obs = pd.DataFrame(
        {
            "area_code": ["WK016400", "WK016401", "WK016402", "WK016400", "WK016401"],
            "level": ["wijk"] * 5,
            "indicator_id": ["bad", "bad", "bad", "good", "good"],
            "period": ["2020"] * 5,
            "value": [1.0, 2.0, None, 10.0, 30.0],
            "status": ["derived", "published", "secret", "published", "published"],
            "note": None,
            "source_id": "S",
            "coverage_n": [3, None, None, None, None],
            "coverage_total": [3, None, None, None, None],
        }
    )
    catalogue = pd.DataFrame(
        [
            {
                "id": "bad",
                "label_nl": "Slecht",
                "label_en": "Bad",
                "unit": "per1000",
                "polarity": "higher_worse",
                "decimals": 1,
                "source": "S",
            },
            {
                "id": "good",
                "label_nl": "Goed",
                "label_en": "Good",
                "unit": "pct",
                "polarity": "higher_better",
                "decimals": 0,
                "source": "S",
            },
        ]
    ).set_index("id", drop=False)
    sources = pd.DataFrame([{"id": "S", "attribution": "Bron: CBS"}]).set_index("id", drop=False)
    return obs, catalogue, sources


CODES = ["WK016400", "WK016401", "WK016402"]


def test_view_values_classes_and_missing(small):
    view = figures.map_view(*small, "bad", "wijk", CODES)
    assert view.formatted == ["1,0", "2,0", None]
    assert view.class_index == [0, 1, None]
    assert view.colours[0] == CONCERN[0] and view.colours[-1] == CONCERN[-1]
    assert view.legend[-1] == (MISSING_COLOUR, "geen gegevens")
    assert view.status == ["derived", "published", "secret"]
    assert view.hovertemplate == "Slecht" and view.unit_suffix == " per 1.000 inwoners"
    assert view.source_line == "Bron: CBS, 2020"


def test_higher_is_better_reverses_the_palette(small):
    view = figures.map_view(*small, "good", "wijk", CODES)
    assert view.formatted == ["10%", "30%", None]
    assert view.colours == [CONCERN[-1], CONCERN[0]]  # low value = dark = concern


def test_legend_order_follows_classes_and_dutch_bounds(small):
    view = figures.map_view(*small, "bad", "wijk", CODES, lang="en")
    assert [lbl for _, lbl in view.legend] == ["1.0", "2.0", "no data"]


def test_full_figure_has_both_levels_and_geometry_reference(small):
    view = figures.map_view(*small, "bad", "wijk", CODES)
    areas = {lv: pd.DataFrame({"code": CODES, "name": ["A", "B", "C"]}) for lv in ("wijk", "buurt")}
    geo = {"wijk": "/geo/wijk.geojson", "buurt": "/geo/buurt.geojson"}
    fig = figures.map_figure(
        geo, areas, view, {"lon": 6.8, "lat": 52.26}, ["WK016400"], selected="WK016401"
    )
    assert [t.type for t in fig.data] == ["choroplethmap"] * 5
    data = fig.data[figures.TRACE["wijk"]["data"]]
    assert data.visible is True and fig.data[figures.TRACE["buurt"]["data"]].visible is False
    assert list(data.z) == [0, 1, None]
    assert data.geojson == "/geo/wijk.geojson"
    assert list(data.marker.line.width) == [0.6, 3.5, 0.6]
    assert fig.layout.map.style == "white-bg" and not fig.layout.map.layers
    assert fig.layout.separators == ",."
    colours = {c for _, c in data.colorscale}
    assert colours == set(view.colours)


def test_pdok_basemap_is_an_option(small):
    view = figures.map_view(*small, "bad", "wijk", CODES)
    areas = {lv: pd.DataFrame({"code": CODES, "name": ["A", "B", "C"]}) for lv in ("wijk", "buurt")}
    fig = figures.map_figure(
        {"wijk": "w", "buurt": "b"}, areas, view, {"lon": 0, "lat": 0}, [], basemap="pdok"
    )
    assert "pdok" in fig.layout.map.layers[0].source[0]


def test_patch_sends_values_not_geometry(small):
    view = figures.map_view(*small, "bad", "wijk", CODES)
    patch = figures.map_patch(view, level_changed=False, selected=None, selection_changed=False)
    ops = patch.to_plotly_json()["operations"]
    assert len(ops) == 1 and ops[0]["operation"] == "Merge"
    assert ops[0]["location"] == ["data", 3]
    merged = ops[0]["params"]["value"]
    assert set(merged) == {"z", "text", "colorscale", "zmax", "meta"}
    assert merged["z"] == [0, 1, None]
    level = figures.map_patch(view, level_changed=True, selected=None, selection_changed=False)
    assert any(op["location"][-1] == "visible" for op in level.to_plotly_json()["operations"])
    only_selection = figures.map_patch(
        view, level_changed=False, selected="WK016400", selection_changed=True, values_changed=False
    )
    locations = [op["location"] for op in only_selection.to_plotly_json()["operations"]]
    assert all(loc[-1] == "width" for loc in locations)


def test_trace_meta_carries_the_view_for_the_browser(small):
    view = figures.map_view(*small, "bad", "wijk", CODES)
    meta = figures.trace_meta(view)
    assert meta[:3] == ["Slecht", " per 1.000 inwoners", "Bron: CBS, 2020"]
    assert meta[3:6] == ["bad", "wijk", "2020"]
    assert meta[7] == ["1,0", "2,0", "geen gegevens"]
    assert meta[9] == ["3:3", None, None]
    assert meta[10] == [[2, "secret"]]
    assert "%{meta[0]}: %{text}%{meta[1]}" in figures.DATA_HOVER


def test_neutral_palette(small):
    obs, catalogue, sources = small
    catalogue.loc["bad", "polarity"] = "neutral"
    view = figures.map_view(obs, catalogue, sources, "bad", "wijk", CODES)
    assert set(view.colours) <= set(NEUTRAL)
