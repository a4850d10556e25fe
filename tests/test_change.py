"""Change between two periods, tested (issue 18 A1): indicators/change.py on made-up data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from indicators import change

CATALOGUE = pd.DataFrame(
    {
        "unit": ["count", "per1000", "pct", "count", "per_km2"],
        "polarity": ["higher_worse", "higher_worse", "higher_worse", "neutral", "higher_worse"],
        "aggregation": ["sum", "weighted", "none", "sum", "ratio"],
        "weight": [None, "inwoners", None, None, None],
        "denominator": [None, None, None, None, "opp"],
        "decimals": [0, 1, 0, 0, 0],
        "label_nl": ["Inbraken", "Geweld", "Onveilig", "Inwoners", "Dichtheid"],
        "label_en": ["Burglaries", "Violence", "Unsafe", "Inhabitants", "Density"],
    },
    index=["inbraak", "geweld", "onveilig", "inwoners", "dichtheid"],
)


def _obs(rows):
    """Observations from (indicator, area, period, value[, extra]) tuples (made-up)."""
    records = []
    for row in rows:
        indicator, area, period, value = row[:4]
        extra = row[4] if len(row) > 4 else {}
        records.append(
            {
                "indicator_id": indicator,
                "area_code": area,
                "level": "wijk",
                "period": period,
                "value": value,
                "n": np.nan,
                "margin": np.nan,
                "status": "published",
                **extra,
            }
        )
    return pd.DataFrame(records)


@pytest.mark.parametrize(
    ("n1", "n2", "t1", "t2"),
    [(42, 61, 1, 1), (0, 10, 1, 1), (5, 5, 1, 3), (120, 80, 2000, 2100), (3, 0, 1, 1)],
)
def test_poisson_change_matches_scipy_binomtest(n1, n2, t1, t2):
    expected = stats.binomtest(n1, n1 + n2, t1 / (t1 + t2)).pvalue
    assert change.poisson_change_p(n1, n2, t1, t2) == pytest.approx(expected)


def test_poisson_change_hand_computed():
    # 0 against 10 with equal exposure: 2 * 0.5**10
    assert change.poisson_change_p(0, 10) == pytest.approx(2 * 0.5**10)
    # 2 against 8: 2 * P(X <= 2), X ~ Bin(10, 1/2) = 2 * (1 + 10 + 45) / 1024
    assert change.poisson_change_p(2, 8) == pytest.approx(2 * 56 / 1024)
    assert change.poisson_change_p(0, 0) == 1.0
    with pytest.raises(ValueError):
        change.poisson_change_p(-1, 3)


def test_margin_change_hand_computed():
    # 20% +-3 against 26% +-3: z = 6 / (sqrt(18) / 1.96)
    z = 6 / (math.sqrt(18) / stats.norm.ppf(0.975))
    assert change.margin_change_p(20, 3, 26, 3) == pytest.approx(2 * stats.norm.sf(z))
    assert change.binomial_margin(50, 100) == pytest.approx(1.959964 * 5, rel=1e-5)


@pytest.mark.parametrize(
    ("p", "expected"), [(0.0019, "99.8"), (0.002, "95"), (0.049, "95"), (0.05, None), (1, None)]
)
def test_significance_levels_as_the_funnel(p, expected):
    assert change.significance(p) == expected


def test_counts_are_tested_exactly_and_verdict_follows_p():
    obs = _obs(
        [
            ("inbraak", "W1", "2022", 10.0),
            ("inbraak", "W1", "2024", 40.0),
            ("inbraak", "W2", "2022", 42.0),
            ("inbraak", "W2", "2024", 61.0),
        ]
    )
    frame = change.changes(obs, CATALOGUE, "wijk", indicators=["inbraak"]).set_index("area_code")
    w1, w2 = frame.loc["W1"], frame.loc["W2"]
    assert w1["test"] == "poisson"
    assert w1["p_value"] == pytest.approx(stats.binomtest(10, 50, 0.5).pvalue)
    assert w1["verdict"] == "beyond_99.8" and w1["judgement"] == "worse"
    assert w1["relative"] == pytest.approx(3.0) and w1["direction"] == "up"
    assert w2["verdict"] == "within_chance" and pd.isna(w2["significance"])


def test_rates_are_tested_on_the_counts_behind_them_with_inhabitants():
    obs = _obs(
        [
            ("geweld", "W1", "2017", 10.0),
            ("geweld", "W1", "2021", 5.0),
            ("inwoners", "W1", "2017", 2000.0),
            ("inwoners", "W1", "2021", 4000.0),
        ]
    )
    row = change.changes(obs, CATALOGUE, "wijk", "2017", "2021", indicators=["geweld"]).iloc[0]
    # 10 per 1,000 of 2,000 = 20 events; 5 per 1,000 of 4,000 = 20 events: same count, the
    # exposure doubled, so the rate halved: 20 of 40 against p = 1/3
    assert (row["count_from"], row["count_to"]) == (20, 20)
    assert row["test"] == "poisson_rate"
    assert row["p_value"] == pytest.approx(stats.binomtest(20, 40, 2000 / 6000).pvalue)
    assert row["judgement"] == "better" and row["direction"] == "down"


def test_rate_without_inhabitants_is_not_testable():
    obs = _obs([("geweld", "W1", "2017", 10.0), ("geweld", "W1", "2021", 5.0)])
    row = change.changes(obs, CATALOGUE, "wijk").iloc[0]
    assert row["verdict"] == "not_testable" and row["reason"] == "no_denominator"
    assert "niet toetsbaar: geen aantallen inwoners bekend" in change.change_sentence(row)


def test_survey_with_margins_or_respondents_and_without():
    obs = _obs(
        [
            ("onveilig", "W1", "2015", 20.0, {"margin": 3.0}),
            ("onveilig", "W1", "2019", 26.0, {"margin": 3.0}),
            ("onveilig", "W2", "2015", 20.0, {"n": 400.0}),
            ("onveilig", "W2", "2019", 21.0, {"n": 400.0}),
            ("onveilig", "W3", "2015", 20.0),
            ("onveilig", "W3", "2019", 30.0),
        ]
    )
    frame = change.changes(obs, CATALOGUE, "wijk").set_index("area_code")
    assert frame.loc["W1", "test"] == "margin"
    assert frame.loc["W1", "p_value"] == pytest.approx(change.margin_change_p(20, 3, 26, 3))
    assert frame.loc["W1", "verdict"] == "beyond_95"
    assert frame.loc["W2", "test"] == "margin" and frame.loc["W2", "verdict"] == "within_chance"
    assert frame.loc["W3", "verdict"] == "not_testable"
    assert frame.loc["W3", "reason"] == "no_margin"


def test_descriptive_and_other_units_are_not_tested():
    obs = _obs(
        [
            ("inwoners", "W1", "2021", 1000.0),
            ("inwoners", "W1", "2024", 2000.0),
            ("dichtheid", "W1", "2021", 1000.0),
            ("dichtheid", "W1", "2024", 2000.0),
        ]
    )
    frame = change.changes(obs, CATALOGUE, "wijk").set_index("indicator_id")
    assert frame.loc["inwoners", "reason"] == "descriptive"
    assert frame.loc["dichtheid", "reason"] == "no_counts"
    assert set(frame["verdict"]) == {"not_testable"}


def test_suppressed_values_stay_hidden():
    obs = _obs(
        [
            ("onveilig", "W1", "2015", np.nan, {"status": "suppressed"}),
            ("onveilig", "W1", "2019", 26.0, {"margin": 3.0}),
        ]
    )
    row = change.changes(obs, CATALOGUE, "wijk").iloc[0]
    assert row["verdict"] == "suppressed"
    assert np.isnan(row["value_from"]) and np.isnan(row["value_to"])
    assert np.isnan(row["difference"])
    assert "26" not in change.change_sentence(row)


def test_an_area_missing_in_one_period_is_missing_not_zero():
    obs = _obs(
        [
            ("inbraak", "W1", "2022", 10.0),
            ("inbraak", "W1", "2024", 12.0),
            ("inbraak", "W2", "2024", 12.0),
        ]
    )
    frame = change.changes(obs, CATALOGUE, "wijk").set_index("area_code")
    assert frame.loc["W2", "verdict"] == "missing" and np.isnan(frame.loc["W2", "difference"])


def test_change_periods_default_is_two_latest_well_covered():
    rows = [("inbraak", a, p, 1.0) for p in ("2017", "2021") for a in ("W1", "W2", "W3")]
    rows += [("inbraak", "W1", "2024", 1.0)]  # 1 of 3: not well covered
    obs = _obs(rows)
    assert change.change_periods(obs, "inbraak", "wijk") == [("2017", "2021")]
    assert change.default_change_periods(obs, "inbraak", "wijk") == ("2017", "2021")
    only_one = _obs([("inbraak", "W1", "2017", 1.0)])
    assert change.change_periods(only_one, "inbraak", "wijk") == []
    assert change.changes(only_one, CATALOGUE, "wijk").empty


def test_significant_changes_order_and_sentences():
    obs = _obs(
        [
            ("inbraak", "W1", "2022", 10.0),
            ("inbraak", "W1", "2024", 40.0),
            ("inbraak", "W2", "2022", 20.0),
            ("inbraak", "W2", "2024", 40.0),
            ("inbraak", "W3", "2022", 20.0),
            ("inbraak", "W3", "2024", 21.0),
        ]
    )
    frame = change.changes(obs, CATALOGUE, "wijk")
    sig = change.significant_changes(frame)
    assert sig["area_code"].tolist() == ["W1", "W2"]
    assert sig["verdict"].tolist() == ["beyond_99.8", "beyond_95"]
    assert change.significant_changes(frame, "99.8")["area_code"].tolist() == ["W1"]
    nl = change.change_sentence(sig.iloc[0], "nl")
    en = change.change_sentence(sig.iloc[0], "en")
    assert (
        nl
        == "Inbraken (2022 → 2024): 10 → 40 (+300%), meer dan toeval (99,8%; exacte Poisson-toets)"
    )
    assert (
        en
        == "Burglaries (2022 → 2024): 10 → 40 (+300%), more than chance (99.8%; exact Poisson test)"
    )
    within = frame.set_index("area_code").loc["W3"]
    assert change.change_sentence(within).endswith("binnen toeval (exacte Poisson-toets)")


def test_real_store_gemeente_crime_counts_are_tested(base_store):
    """The bundled police totals for the gemeente (2022-2024) are counts with three periods."""
    from dashboard.data import build_context

    ctx = build_context(base_store.read_data())
    frame = change.changes(ctx.public_obs, ctx.data.indicators, "gemeente")
    row = frame.set_index("indicator_id").loc["geregistreerde_misdrijven"]
    assert (row["period_from"], row["period_to"]) == ("2023", "2024")
    assert row["test"] == "poisson"
    n1, n2 = int(row["value_from"]), int(row["value_to"])
    assert row["p_value"] == pytest.approx(stats.binomtest(n1, n1 + n2, 0.5).pvalue)
