"""Derivation of wijk and gemeente values from buurten (made-up numbers)."""

import math

import pandas as pd
import pytest

from indicators.derive import MIN_COVERAGE_SHARE, aggregate, derive_areas
from indicators.loaders import observations

PROXY = pd.Series({"a": 100.0, "b": 300.0, "c": 600.0})


def test_counts_are_summed_only_with_full_coverage():
    values = pd.Series({"a": 10.0, "b": 20.0, "c": 30.0})
    assert aggregate(["a", "b", "c"], values, None, "sum", PROXY)["value"] == 60
    partial = aggregate(["a", "b", "c"], values.drop("c"), None, "sum", PROXY)
    assert math.isnan(partial["value"])
    assert partial["status"] == "insufficient_coverage"
    assert (partial["coverage_n"], partial["coverage_total"]) == (2, 3)


def test_percentages_are_weighted_by_their_base_not_averaged():
    pct = pd.Series({"a": 50.0, "b": 10.0})
    base = pd.Series({"a": 100.0, "b": 900.0})
    result = aggregate(["a", "b"], pct, base, "weighted", pd.Series({"a": 1.0, "b": 1.0}))
    assert result["value"] == pytest.approx(14.0)  # not the plain mean 30
    assert result["status"] == "derived"


def test_ratio_of_sums():
    people = pd.Series({"a": 100.0, "b": 300.0})
    land_ha = pd.Series({"a": 10.0, "b": 30.0})
    result = aggregate(
        ["a", "b"], people, land_ha, "ratio", pd.Series({"a": 1.0, "b": 1.0}), factor=100
    )
    assert result["value"] == pytest.approx(1000.0)  # inhabitants per km²


@pytest.mark.parametrize("present,expected_shown", [(["b", "c"], True), (["a", "b"], False)])
def test_low_coverage_rates_are_not_shown(present, expected_shown):
    values = pd.Series({k: 5.0 for k in present})
    base = pd.Series({"a": 1.0, "b": 1.0, "c": 1.0})
    result = aggregate(["a", "b", "c"], values, base, "weighted", PROXY)
    share = PROXY[present].sum() / PROXY.sum()
    assert result["coverage_share"] == pytest.approx(share)
    assert (not math.isnan(result["value"])) == expected_shown == (share >= MIN_COVERAGE_SHARE)


def test_derive_areas_marks_derived_and_keeps_published():
    obs = observations(
        pd.DataFrame(
            {
                "area_code": ["BU01640000", "BU01640001", "BU01640000", "BU01640001", "GM0164"],
                "indicator_id": ["inwoners", "inwoners", "pct", "pct", "inwoners"],
                "period": ["2021"] * 5,
                "value": [100, 300, 50, 10, 999],
                "source_id": "S",
            }
        )
    )
    catalogue = pd.DataFrame(
        [
            {
                "id": "inwoners",
                "aggregation": "sum",
                "weight": None,
                "numerator": None,
                "denominator": None,
                "factor": 1.0,
                "source": "S",
            },
            {
                "id": "pct",
                "aggregation": "weighted",
                "weight": "inwoners",
                "numerator": None,
                "denominator": None,
                "factor": 1.0,
                "source": "S",
            },
        ]
    ).set_index("id", drop=False)
    b2w = pd.Series({"BU01640000": "WK016400", "BU01640001": "WK016400"})
    proxy = pd.Series({"BU01640000": 100.0, "BU01640001": 300.0})
    out = derive_areas(obs, catalogue, b2w, proxy).set_index(["area_code", "indicator_id"])
    assert out.loc[("WK016400", "inwoners"), "value"] == 400
    assert out.loc[("WK016400", "inwoners"), "status"] == "derived"
    assert out.loc[("WK016400", "pct"), "value"] == pytest.approx(20.0)
    assert out.loc[("GM0164", "inwoners"), "value"] == 999  # published wins
    assert out.loc[("GM0164", "inwoners"), "status"] == "published"
    assert "2 van 2 buurten" in out.loc[("WK016400", "pct"), "note"]
