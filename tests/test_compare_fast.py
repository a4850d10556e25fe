"""A new /vergelijk query is built from pieces kept per data version (issue 16): the fast
paths must give what the rules give (``indicators.views.comparison``, ``common_period``,
``indicators_for_areas``) on the real data, for many random sets of areas, in both measures."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest

from dashboard import comparedata
from dashboard.pagerates import measured
from dashboard.profile import members
from geodata.gemeente import GEMEENTE
from indicators.views import (
    common_period,
    comparison,
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


QUERIES = [
    "/vergelijk?gebieden=WK016400,BU01640501",
    "/vergelijk?gebieden=WK016401,WK016402,BU01640300,GM0164&taal=en",
    "/vergelijk?gebieden=BU01640501,WK016400,WK016408&maat=per1000",
    "/vergelijk?gebieden=WK016403,WK016404&rangorde=misdrijf_geweld&trechter=misdrijf_geweld",
    "/vergelijk?gebieden=BU01640300,WK016401&maat=per1000&taal=en&indicatoren=misdrijf_geweld",
    "/vergelijk?gebieden=WK016400,WK016405",
]


def _pages(app, queries) -> dict:
    """The first-layout JSON of each query, built in a new data context (empty caches), in
    the given order: later queries reuse the pieces the earlier ones made."""
    from dashboard import data, pagecache

    data.reset()
    data.get_context()
    out = {}
    for path in queries:
        headers = {"Referer": f"http://localhost{path}"}
        with app.server.test_request_context(
            "/_dash-layout", base_url="http://localhost", headers=headers
        ):
            out[path] = json.loads(pagecache.first_layout(app).get_data())
    return out


def test_a_page_from_kept_pieces_is_the_page_built_alone(app):
    """Pieces kept per data version (cells, rankings, funnels, change cells) belong to their
    keys only: each page is the same whether built first, after others, or alone."""
    forward = _pages(app, QUERIES)
    backward = _pages(app, QUERIES[::-1])
    for path in QUERIES:
        assert forward[path] == backward[path], path
    for path in (QUERIES[2], QUERIES[4]):
        assert _pages(app, [path])[path] == forward[path], path


@pytest.mark.parametrize("engine", ["json", "orjson"])
def test_layout_json_is_dashs_text(app, engine, monkeypatch):
    """:func:`dashboard.layoutjson.dumps` gives the very text of Dash's ``to_json`` (either
    plotly engine) for the pages with the most components."""
    import plotly.io as pio
    from dash._utils import to_json

    from dashboard import layoutjson
    from dashboard.pages import benchmark, kaart, thema, vergelijk, wijk

    if engine == "orjson":
        pytest.importorskip("orjson")
    monkeypatch.setattr(pio.json.config, "default_engine", engine)
    layouts = [
        vergelijk.layout(gebieden="WK016400,BU01640501,GM0164", maat="per1000"),
        vergelijk.layout(taal="en"),
        wijk.layout(code="WK016405"),
        wijk.layout(code="WK016400", taal="en", maat="per1000"),
        kaart.layout(),
        benchmark.layout(),
        thema.layout(),
    ]
    for layout in layouts:
        assert layoutjson.dumps(layout) == to_json(layout)


def _leaves(node, path=()):
    """(path, value) of every leaf of a JSON tree."""
    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(node, list):
        return [leaf for i, v in enumerate(node) for leaf in _leaves(v, (*path, i))]
    return [(path, node)]


def test_the_funnel_table_marks_only_the_chosen_areas(app, context):
    """The funnel table of a query is the kept table with ◆ after the chosen areas' names:
    nothing else differs, and the kept table itself is never changed."""
    from dash._utils import to_json

    from dashboard.pages import vergelijk

    indicator = vergelijk.rate_indicators(context)[0]
    plain = to_json(vergelijk.funnel_block(context, indicator, [], "nl")[1])
    areas = ["WK016400", "BU01640501", "GM0164"]
    marked = json.loads(to_json(vergelijk.funnel_block(context, indicator, areas, "nl")[1]))
    names = vergelijk.area_names(context)
    before, after = dict(_leaves(json.loads(plain))), dict(_leaves(marked))
    assert before.keys() == after.keys()
    changed = {before[p]: after[p] for p in before if before[p] != after[p]}
    shown = {names[a] for a in areas} & set(before.values())
    assert changed == {name: f"{name} ◆" for name in shown} and len(shown) >= 2
    assert to_json(vergelijk.funnel_block(context, indicator, [], "nl")[1]) == plain
