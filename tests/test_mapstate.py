"""The map's state rules and index, without Dash (indicators/mapstate.py, indicators/mapindex.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import mapstate
from indicators.mapindex import build_index
from indicators.views import indicators_with_data

CODES = {"wijk": ["W1", "W2"], "buurt": ["B1", "B2", "B3", "B4"]}
THEMES = {"theft": "veilige-wijken", "crime": "veilige-wijken", "people": "context"}


def rows(indicator, level, period, values, status="published"):
    codes = CODES[level][: len(values)]
    return [
        {
            "indicator_id": indicator,
            "level": level,
            "period": period,
            "area_code": code,
            "value": value,
            "status": status if value is not None else "suppressed",
            "note": None,
            "source_id": "S",
            "coverage_n": None,
            "coverage_total": None,
        }
        for code, value in zip(codes, values, strict=True)
    ]


@pytest.fixture(scope="module")
def index():
    obs = pd.DataFrame(
        rows("theft", "buurt", "2017", [1.0, 2.0, 3.0, 4.0])
        + rows("theft", "wijk", "2017", [1.5, 3.5])
        + rows("crime", "wijk", "2023", [10.0, 20.0])  # the most recent safety figure per wijk
        + rows("crime", "wijk", "2024", [30.0])  # one wijk of two: still the newest period
        + rows("people", "wijk", "2025", [100.0, 200.0])  # newer, but context, not safety
        + rows("people", "buurt", "2021", [None, 5.0, 6.0, 7.0])  # one suppressed
    )
    catalogue = pd.DataFrame(index=["theft", "crime", "people"])
    return build_index(obs, catalogue, CODES)


def test_index_holds_periods_defaults_and_values(index):
    assert index.with_data == {"wijk": ["theft", "crime", "people"], "buurt": ["theft", "people"]}
    assert index.available_periods("crime", "wijk") == ["2024", "2023"]
    assert index.default("crime", "wijk") == "2024"  # 1 of 2 wijken: half the best period
    series = index.get("people", "buurt", "2021")
    assert series.values.tolist()[1:] == [5.0, 6.0, 7.0]
    assert series.rows["status"].tolist() == ["suppressed", "published", "published", "published"]
    assert index.get("theft", "buurt", "1999") is None


def test_with_data_is_the_one_rule_of_every_page(index):
    obs = pd.DataFrame(rows("people", "buurt", "2021", [None, 5.0]))
    catalogue = pd.DataFrame(index=["theft", "people"])
    assert indicators_with_data(obs, catalogue, "buurt") == ["people"]  # suppressed counts
    assert indicators_with_data(obs, catalogue) == ["people"]


def test_default_indicator_is_the_most_recent_safety_figure(index):
    assert mapstate.default_indicator(index, "wijk", THEMES) == "crime"  # not 'people' (2025)
    assert mapstate.default_indicator(index, "buurt", THEMES) == "theft"


RESOLVE = [
    # params, expected (level, indicator, period, chosen, area), notice keys
    ({}, ("wijk", "crime", "2024", None, None), []),
    ({"niveau": "buurt"}, ("buurt", "theft", "2017", None, None), []),
    ({"indicator": "theft"}, ("wijk", "theft", "2017", None, None), []),
    ({"indicator": "crime", "periode": "2023"}, ("wijk", "crime", "2023", "2023", None), []),
    ({"indicator": "crime", "periode": "2024"}, ("wijk", "crime", "2024", None, None), []),
    ({"gebied": "W2"}, ("wijk", "crime", "2024", None, "W2"), []),
    ({"niveau": "provincie"}, ("wijk", "crime", "2024", None, None), ["notice_unknown_level"]),
    ({"indicator": "nope"}, ("wijk", "crime", "2024", None, None), ["notice_unknown_indicator"]),
    (
        {"niveau": "buurt", "indicator": "crime"},
        ("buurt", "theft", "2017", None, None),
        ["notice_unknown_indicator"],
    ),
    ({"gebied": "B1"}, ("wijk", "crime", "2024", None, None), ["notice_unknown_area"]),
    ({"periode": "1850"}, ("wijk", "crime", "2024", None, None), ["notice_unknown_period"]),
    # a parameter given twice arrives as a list; a wrong type; an over-long value
    ({"gebied": ["W1", "W2"]}, ("wijk", "crime", "2024", None, None), ["notice_unknown_area"]),
    (
        {"niveau": ["wijk", "buurt"]},
        ("wijk", "crime", "2024", None, None),
        ["notice_unknown_level"],
    ),
    ({"indicator": 42}, ("wijk", "crime", "2024", None, None), ["notice_unknown_indicator"]),
    (
        {"periode": ["2023", "2024"]},
        ("wijk", "crime", "2024", None, None),
        ["notice_unknown_period"],
    ),
    ({"indicator": "x" * 500}, ("wijk", "crime", "2024", None, None), ["notice_unknown_indicator"]),
    ({"indicator": "", "niveau": "", "gebied": ""}, ("wijk", "crime", "2024", None, None), []),
]


@pytest.mark.parametrize("params,expected,notices", RESOLVE)
def test_resolve_falls_back_with_a_notice_and_never_raises(index, params, expected, notices):
    resolved = mapstate.resolve(params, index, THEMES)
    s = resolved.state
    assert (s.level, s.indicator, s.period, s.chosen_period, s.area) == expected
    assert [key for key, _ in resolved.notices] == notices
    for _, values in resolved.notices:
        assert len(str(values.get("value", ""))) <= 40


SWITCH = [
    # indicator, level, period, changed -> (level, indicator, period, chosen), indicator reset
    ("theft", "wijk", "2024", "indicator", ("wijk", "theft", "2017", None), False),
    ("crime", "wijk", "2023", "period", ("wijk", "crime", "2023", "2023"), False),
    ("crime", "wijk", "1999", "period", ("wijk", "crime", "2024", None), False),
    ("crime", "wijk", "2023", "indicator", ("wijk", "crime", "2024", None), False),
    ("crime", "buurt", "2024", "level", ("buurt", "theft", "2017", None), True),
    ("theft", "buurt", None, "level", ("buurt", "theft", "2017", None), False),
    ("bogus", "wijk", None, "indicator", ("wijk", "crime", "2024", None), True),
    (["theft"], "wijk", None, "indicator", ("wijk", "crime", "2024", None), True),
    ("theft", "provincie", None, "level", ("wijk", "theft", "2017", None), False),
    ("theft", None, {"x": 1}, "period", ("wijk", "theft", "2017", None), False),
]


@pytest.mark.parametrize("indicator,level,period,changed,expected,reset", SWITCH)
def test_switch_rules(index, indicator, level, period, changed, expected, reset):
    result = mapstate.switch(index, THEMES, indicator, level, period, changed)
    s = result.state
    assert (s.level, s.indicator, s.period, s.chosen_period) == expected
    assert result.indicator_reset is reset
    assert result.level_changed is (changed == "level")


def test_index_is_built_once_per_loaded_context(app, context):
    from dashboard.pages import kaart

    first = kaart.map_data(context)
    assert kaart.map_data(context) is first
    import dataclasses

    reloaded = dataclasses.replace(context)  # what a reload after an import gives: a new object
    assert kaart.map_data(reloaded) is not first
    assert kaart.map_data(reloaded).index.with_data == first.index.with_data
