"""The wijk page after a data change reads its profile from lookups built once per data
version (:class:`indicators.views.ProfileIndex`, :class:`dashboard.profile.ProfileTables`):
they must give what the rules give (``area_profile``, ``trends``, ``buurt_table``), frame for
frame (columns, dtypes, order, missing values), on the real data in both measures, after a
staff import, and on a small made-up table with the awkward cases (test data only)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_staff_undo import loaded

from dashboard import data
from dashboard.pagerates import measured
from dashboard.profile import (
    ProfileTables,
    buurt_table,
    members,
    profile_index,
    profile_tables,
    trends,
    wijk_profile,
)
from geodata.gemeente import GEMEENTE
from indicators.views import (
    ProfileIndex,
    area_profile,
    funnel_points,
    latest_period,
    rate_base,
    reference_value,
    weighed_judgement,
)

MEASURES = ("aantal", "per1000")


def _levels(ctx) -> list[tuple[str, list[str], list[str]]]:
    """(level, peers, codes to profile): every wijk, every buurt and Hengelo at both."""
    wijken, buurten = list(ctx.areas["wijk"]["code"]), list(ctx.areas["buurt"]["code"])
    return [("wijk", wijken, [*wijken, GEMEENTE.code]), ("buurt", buurten, buurten)]


def assert_profiles_are_the_rule(ctx, measure: str) -> None:
    shown = measured(ctx, measure)
    index = profile_index(ctx, measure)
    for level, peers, codes in _levels(ctx):
        for code in codes:
            expected = area_profile(shown.obs, shown.catalogue, code, level, peers, members(ctx))
            pd.testing.assert_frame_equal(index.frame(code, level, peers), expected)


def assert_tables_are_the_rule(ctx, measure: str) -> None:
    shown = measured(ctx, measure)
    tables = profile_tables(ctx, measure)
    for code in [*ctx.areas["wijk"]["code"], *ctx.areas["buurt"]["code"], GEMEENTE.code]:
        expected = trends(shown.obs, code)
        got = tables.trends(code)
        assert list(got) == list(expected), code
        for indicator, frame in expected.items():
            pd.testing.assert_frame_equal(got[indicator], frame)
    buurten = ctx.areas["buurt"]
    for wijk in ctx.areas["wijk"]["code"]:
        codes = list(buurten.loc[buurten["wijkcode"] == wijk, "code"])
        for some in (codes, codes[::-1], codes[:1], []):
            expected = buurt_table(shown.obs, shown.catalogue, some)
            pd.testing.assert_frame_equal(tables.buurt_table(some), expected)


@pytest.mark.parametrize("measure", MEASURES)
def test_fast_profiles_are_the_rule(context, measure):
    assert_profiles_are_the_rule(context, measure)


@pytest.mark.parametrize("measure", MEASURES)
def test_fast_trends_and_buurt_tables_are_the_rule(context, measure):
    assert_tables_are_the_rule(context, measure)


def test_after_an_import_the_fast_paths_are_the_rule(client, staff_store):
    """A staff import makes a new data version (a new 2019 survey figure of Berflo Es and
    Hengelo): the lookups are built again from it and still give what the rules give."""
    before = data.get_context()
    loaded(client)
    ctx = data.get_context()
    assert ctx is not before
    assert profile_index(ctx) is not profile_index(before)
    for measure in MEASURES:
        assert_profiles_are_the_rule(ctx, measure)
        assert_tables_are_the_rule(ctx, measure)


def test_the_wijk_profile_reads_the_lookups_of_its_version(context):
    """Built once per data version and measure, and what the wijk page shows comes from them."""
    assert profile_index(context) is profile_index(context, "aantal")
    assert profile_index(context, "per1000") is not profile_index(context)
    assert profile_tables(context, "per1000") is not profile_tables(context)
    code = context.areas["wijk"]["code"].iloc[0]
    shown = measured(context, "per1000")
    profile = wijk_profile(context, code, "per1000")
    assert list(profile.trends) == list(trends(shown.obs, code))


# A made-up table (test data only): a rate derived from its buurten, a rate that is its own
# base, tied peers, a reference without a value, a margin, and rows without a value.
TINY_CATALOGUE = pd.DataFrame(
    {
        "id": ["inwoners", "rate", "self", "share", "count"],
        "unit": ["count", "per1000", "per1000", "pct", "count"],
        "polarity": ["neutral", "higher_worse", "higher_better", "higher_worse", "neutral"],
        "aggregation": ["sum", "derived", "weighted", "weighted", "sum"],
        "weight": [None, None, "self", "inwoners", None],
        "denominator": [None, "inwoners", None, None, None],
    }
).set_index("id", drop=False)

TINY_ROWS = [
    # indicator, area, level, period, value, status, margin
    ("inwoners", "B1", "buurt", "2020", 1000.0, "published", None),
    ("inwoners", "B2", "buurt", "2020", 3000.0, "published", None),
    ("inwoners", "B3", "buurt", "2020", 2000.0, "published", None),
    ("inwoners", "W1", "wijk", "2020", 4000.0, "derived", None),
    ("inwoners", "W2", "wijk", "2020", 2000.0, "derived", None),
    ("rate", "B1", "buurt", "2020", 12.0, "published", None),
    ("rate", "B2", "buurt", "2020", np.nan, "secret", None),
    ("rate", "B3", "buurt", "2020", 12.0, "published", None),
    ("rate", "W1", "wijk", "2020", 12.0, "derived", None),
    ("rate", "W2", "wijk", "2020", 12.0, "derived", None),
    ("rate", "W1", "wijk", "2019", 30.0, "derived", None),
    ("rate", GEMEENTE.code, "gemeente", "2020", 8.0, "derived", None),
    ("self", "W1", "wijk", "2021", 5.0, "published", None),
    ("self", "W2", "wijk", "2021", 7.0, "derived", None),
    ("self", "B3", "buurt", "2021", 4.0, "published", None),
    ("self", GEMEENTE.code, "gemeente", "2021", np.nan, "missing", None),
    ("share", "W1", "wijk", "2020-03", 21.0, "published", 4.0),
    ("share", "W1", "wijk", "2020", 40.0, "published", 4.0),
    ("share", "W2", "wijk", "2020-03", 21.0, "published", None),
    ("share", GEMEENTE.code, "gemeente", "2020-03", 19.0, "published", None),
    ("count", "W2", "wijk", "2020", 3.0, "published", None),
    ("count", GEMEENTE.code, "gemeente", "2020", 9.0, "published", None),
]


def _tiny_obs() -> pd.DataFrame:
    columns = ["indicator_id", "area_code", "level", "period", "value", "status", "margin"]
    obs = pd.DataFrame(TINY_ROWS, columns=columns)
    obs["margin"] = obs["margin"].astype(object).where(obs["margin"].notna(), None)
    return obs.assign(note=np.nan, source_id="TEST")


@pytest.mark.parametrize(
    ("code", "level", "peers"),
    [
        ("W1", "wijk", ["W1", "W2"]),
        ("W2", "wijk", ["W1", "W2"]),
        ("W2", "wijk", ["W2"]),
        ("B1", "buurt", ["B1", "B2", "B3"]),
        ("B2", "buurt", ["B1", "B2", "B3"]),
        (GEMEENTE.code, "wijk", ["W1", "W2"]),
        ("W9", "wijk", ["W1", "W2"]),
    ],
)
def test_fast_profile_is_the_rule_in_awkward_cases(code, level, peers):
    obs, members = _tiny_obs(), {"W1": ["B1", "B2"], "W2": ["B3"], "B1": ["B1"], "B2": ["B2"]}
    expected = area_profile(obs, TINY_CATALOGUE, code, level, peers, members)
    got = ProfileIndex(obs, TINY_CATALOGUE, members).frame(code, level, peers)
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("codes", [["B1", "B2", "B3"], ["B2"], ["B3", "B1"], []])
def test_fast_buurt_table_is_the_rule_in_awkward_cases(codes):
    obs = _tiny_obs()
    expected = buurt_table(obs, TINY_CATALOGUE, codes)
    pd.testing.assert_frame_equal(ProfileTables(obs, TINY_CATALOGUE).buurt_table(codes), expected)


@pytest.mark.parametrize("code", ["W1", "W2", "B1", GEMEENTE.code])
def test_fast_trends_are_the_rule_in_awkward_cases(code):
    obs = _tiny_obs()
    expected, got = trends(obs, code), ProfileTables(obs, TINY_CATALOGUE).trends(code)
    assert list(got) == list(expected)
    for indicator, frame in expected.items():
        pd.testing.assert_frame_equal(got[indicator], frame)


def rule_funnel_points(obs, catalogue, indicator, areas, members, period=None) -> pd.DataFrame:
    """:func:`indicators.views.funnel_points` as it was before its lookups: every area
    weighed by :func:`weighed_judgement` on the rows of the period (the reference)."""
    period = (
        period or latest_period(obs, indicator, "buurt") or latest_period(obs, indicator, "wijk")
    )
    ref = reference_value(obs, indicator, period)
    ind = {**catalogue.loc[indicator].to_dict(), "id": indicator}
    rows = obs[
        (obs["indicator_id"] == indicator)
        & (obs["period"] == period)
        & obs["area_code"].isin(list(areas))
        & obs["value"].notna()
    ]
    relevant = obs[
        (obs["period"] == period) & obs["indicator_id"].isin([indicator, rate_base(ind)])
    ]
    records = []
    for row in rows.itertuples():
        latest = pd.Series(row._asdict())
        weighed = weighed_judgement(
            relevant, ind, row.area_code, latest, ref, members.get(row.area_code)
        )
        if weighed["population"] is not None:
            head = {"area_code": row.area_code, "area_level": areas[row.area_code]}
            head.update(value=float(row.value), period=period, reference=ref)
            records.append({**head, **weighed})
    columns = ["area_code", "area_level", "value", "period", "reference", "judgement"]
    return pd.DataFrame(records, columns=[*columns, "method", "level", "population"])


@pytest.mark.parametrize("measure", MEASURES)
def test_funnel_points_are_the_rule(context, measure):
    shown = measured(context, measure)
    areas = {c: "buurt" for c in context.areas["buurt"]["code"]}
    areas.update({c: "wijk" for c in context.areas["wijk"]["code"]})
    found = 0
    for indicator in shown.catalogue.index:
        for period in (None, *sorted(set(shown.obs["period"]))):
            args = (shown.obs, shown.catalogue, indicator, areas, members(context), period)
            expected = rule_funnel_points(*args)
            pd.testing.assert_frame_equal(funnel_points(*args), expected)
            found += len(expected) > 0
    assert found


@pytest.mark.parametrize("period", [None, "2019", "2020"])
def test_funnel_points_are_the_rule_in_awkward_cases(period):
    args = (_tiny_obs(), TINY_CATALOGUE, "rate", {"W1": "wijk", "W2": "wijk", "B1": "buurt"})
    members = {"W1": ["B1", "B2"], "W2": ["B3"], "B1": ["B1"]}
    pd.testing.assert_frame_equal(
        funnel_points(*args, members, period), rule_funnel_points(*args, members, period)
    )
