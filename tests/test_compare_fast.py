"""A new /vergelijk query is built from pieces kept per data version (issue 16): the fast
paths must give what the rules give (``indicators.views.comparison``, ``common_period``,
``indicators_for_areas``) on the real data, for many random sets of areas, in both measures."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from dashboard import comparedata
from dashboard.pagerates import measured
from dashboard.profile import members
from geodata.gemeente import GEMEENTE
from indicators.views import (
    comparison,
    common_period,
    indicators_for_areas,
    indicators_with_data,
)

MEASURES = ("aantal", "per1000")


def _area_sets(ctx, n: int, seed: int = 16) -> list[list[str]]:
    rng = random.Random(seed)
    pool = [*ctx.areas["wijk"]["code"], *ctx.areas["buurt"]["code"], GEMEENTE.code]
    return [rng.sample(pool, rng.randint(1, 4)) for _ in range(n)]


@pytest.mark.parametrize("measure", MEASURES)
def test_fast_comparison_is_the_rule(context, measure):
    shown = measured(context, measure)
    index = comparedata.compare_index(context, measure)
    indicators = indicators_with_data(shown.obs, shown.catalogue)
    for areas in _area_sets(context, 40):
        expected = comparison(shown.obs, shown.catalogue, areas, indicators, members(context))
        pd.testing.assert_frame_equal(index.frame(areas, indicators), expected)


@pytest.mark.parametrize("measure", MEASURES)
def test_fast_periods_and_offer_are_the_rule(context, measure):
    shown = measured(context, measure)
    index = comparedata.compare_index(context, measure)
    indicators = list(shown.catalogue.index)
    for areas in _area_sets(context, 60, seed=7):
        assert index.indicators_for_areas(areas) == indicators_for_areas(
            shown.obs, shown.catalogue, areas
        )
        for indicator in indicators:
            assert index.common_period(indicator, areas) == common_period(
                shown.obs, indicator, areas
            )


def test_the_index_belongs_to_one_data_version(context):
    first = comparedata.compare_index(context, "aantal")
    assert comparedata.compare_index(context, "aantal") is first
    assert comparedata.compare_index(context, "per1000") is not first
