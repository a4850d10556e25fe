"""Table-driven tests of the pure helpers: formatting, classes, polarity, suppression."""

import math

import numpy as np
import pandas as pd
import pytest

from indicators.classify import CONCERN, NEUTRAL, classify, palette
from indicators.formatting import format_number, format_signed, format_value
from indicators.privacy import public_observations, round_to
from indicators.views import judgement


@pytest.mark.parametrize(
    "value,unit,decimals,lang,expected",
    [
        (20.5, "pct", 1, "nl", "20,5%"),
        (20.5, "pct", 1, "en", "20.5%"),
        (81049, "count", 0, "nl", "81.049"),
        (81049, "count", 0, "en", "81,049"),
        (45.17, "per1000", 1, "nl", "45,2 per 1.000 inwoners"),
        (None, "pct", 0, "nl", "geen gegevens"),
        (float("nan"), "pct", 0, "en", "no data"),
    ],
)
def test_format_value(value, unit, decimals, lang, expected):
    assert format_value(value, unit, decimals, lang) == expected


@pytest.mark.parametrize("value,expected", [(1.5, "+1,5"), (-2.0, "−2,0"), (0.0, "0,0")])
def test_format_signed(value, expected):
    assert format_signed(value, 1) == expected


def test_format_number_rounds():
    assert format_number(1234.56, 1) == "1.234,6"


@pytest.mark.parametrize(
    "polarity,first,last",
    [
        ("higher_worse", CONCERN[0], CONCERN[-1]),
        ("higher_better", CONCERN[-1], CONCERN[0]),
        ("neutral", NEUTRAL[0], NEUTRAL[-1]),
    ],
)
def test_palette_darker_means_more_concern(polarity, first, last):
    colours = palette(polarity, 5)
    assert (colours[0], colours[-1]) == (first, last)


def test_classes_are_ordered_and_cover_every_value():
    values = [float(v) for v in range(1, 21)] + [None]
    classes = classify(values, "higher_worse")
    assert len(classes.colours) == 5
    assert classes.lower == sorted(classes.lower)
    assert all(lo <= hi for lo, hi in zip(classes.lower, classes.upper))
    assert classes.index[-1] is None
    for value, idx in zip(values[:-1], classes.index[:-1]):
        assert classes.lower[idx] <= value <= classes.upper[idx]


def test_few_distinct_values_give_few_classes():
    classes = classify([13.0, 32.0, None], "higher_better")
    assert len(classes.colours) == 2
    assert classes.index == [0, 1, None]
    assert classes.colours[1] == CONCERN[0]  # higher is better: the high value is light


def test_all_missing():
    classes = classify([None, None], "neutral")
    assert classes.colours == [] and classes.index == [None, None]


@pytest.mark.parametrize(
    "diff,polarity,expected",
    [
        (1.0, "higher_worse", "worse"),
        (-1.0, "higher_worse", "better"),
        (1.0, "higher_better", "better"),
        (0.0, "higher_worse", "equal"),
        (5.0, "neutral", "neutral"),
        (float("nan"), "higher_worse", "neutral"),
    ],
)
def test_judgement(diff, polarity, expected):
    assert judgement(diff, polarity) == expected


@pytest.mark.parametrize("value,expected", [(3, 5), (2, 0), (12, 10), (13, 15), (81049, 81050)])
def test_round_to_5(value, expected):
    assert round_to(value) == expected


def test_public_observations_drop_internal_and_suppress_small_n():
    catalogue = pd.DataFrame(
        [
            {"id": "public_pct", "public": True, "unit": "pct", "min_n": 100},
            {"id": "internal", "public": False, "unit": "pct", "min_n": 0},
            {"id": "count", "public": True, "unit": "count", "min_n": 0},
        ]
    ).set_index("id", drop=False)
    obs = pd.DataFrame(
        {
            "area_code": ["WK016400", "WK016401", "WK016400", "BU01640000", "GM0164"],
            "level": ["wijk", "wijk", "wijk", "buurt", "gemeente"],
            "indicator_id": ["public_pct", "public_pct", "internal", "count", "count"],
            "value": [20.0, 30.0, 5.0, 13.0, 81049.0],
            "n": [50, np.nan, 500, np.nan, np.nan],
            "status": ["published"] * 5,
        }
    )
    out = public_observations(obs, catalogue).set_index(["area_code", "indicator_id"])
    assert "internal" not in out.index.get_level_values(1)
    assert math.isnan(out.loc[("WK016400", "public_pct"), "value"])
    assert out.loc[("WK016400", "public_pct"), "status"] == "suppressed"
    assert out.loc[("WK016401", "public_pct"), "value"] == 30.0  # n unknown: published figure
    assert out.loc[("BU01640000", "count"), "value"] == 15.0
    assert out.loc[("GM0164", "count"), "value"] == 81049.0


def test_counts_published_by_cbs_are_shown_as_published():
    catalogue = pd.DataFrame([{"id": "count", "public": True, "unit": "count", "min_n": 0}])
    catalogue = catalogue.set_index("id", drop=False)
    obs = pd.DataFrame(
        {
            "area_code": ["WK016400", "WK016401", "WK016402"],
            "level": ["wijk"] * 3,
            "indicator_id": ["count"] * 3,
            "value": [3931.0, 3931.0, 3931.0],
            "n": [np.nan] * 3,
            "status": ["published", "derived", "published"],
            "source_id": ["CBS_KWB2024", "CBS_KWB2024", "IMPORT_1"],
        }
    )
    out = public_observations(obs, catalogue, {"CBS_KWB2024"}).set_index("area_code")
    assert out.loc["WK016400", "value"] == 3931.0  # exactly as CBS published it
    assert out.loc["WK016401", "value"] == 3930.0  # our own sum: rounded
    assert out.loc["WK016402", "value"] == 3930.0  # another source: rounded
