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


def test_rounded_values_and_class_string():
    assert figures.rounded([1.25, 2.0, None], 1) == [1.2, 2, None]
    assert figures.class_string([None, 0, 4]) == "-04"


def test_hover_meta_of_an_area_map(small):
    view = figures.map_view(*small, "bad", "wijk", CODES)
    assert figures.hover_meta(view) == ["Slecht", " per 1.000 inwoners", "Bron: CBS, 2020"]
    assert "%{meta[0]}: %{text}%{meta[1]}" in figures.DATA_HOVER


def test_neutral_palette(small):
    obs, catalogue, sources = small
    catalogue.loc["bad", "polarity"] = "neutral"
    view = figures.map_view(obs, catalogue, sources, "bad", "wijk", CODES)
    assert set(view.colours) <= set(NEUTRAL)
