"""The compare page's charts as plain dicts (dashboard/figdicts.py) send what the validated
``go.Figure`` builders of dashboard/figures.py send, and the compare table's judgements
(weighed in one array call) are those of the one-by-one weighing."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import plotly
import pytest
from dash import dcc

import dashboard.app  # noqa: F401  (pages register after the app exists)
from dashboard import comparedata, figdicts, figures
from dashboard.pages import vergelijk
from dashboard.profile import members
from indicators.views import comparison, weighed_judgement


def as_sent(figure) -> dict:
    """The JSON a figure (object or dict) is sent to the browser as, with typed arrays
    (``go.Figure`` sends numpy arrays base64-encoded) read back as plain lists."""
    return decoded(json.loads(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder)))


def decoded(value):
    if isinstance(value, dict) and set(value) == {"dtype", "bdata"}:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return [None if v != v else v for v in array.tolist()]  # NaN is sent as null
    if isinstance(value, dict):
        return {k: decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decoded(v) for v in value]
    return value


BAR_CASES = [
    (["Noord", "Berflo Es"], [4.5, None], ["4,5", "geen gegevens"], 3.1, "3,1", "T", "u", "nl"),
    (["A", "B", "C"], [1.0, 2.0, 3.0], ["1.0", "2.0", "3.0"], None, None, "T", "%", "en"),
]


@pytest.mark.parametrize("args", BAR_CASES)
def test_comparison_bar_dict_is_the_figure(args):
    assert as_sent(figdicts.comparison_bar(*args)) == as_sent(figures.comparison_bar_figure(*args))


@pytest.mark.parametrize("reference", [2.5, None])
def test_ranking_dict_is_the_figure(reference):
    args = (["a", "b", "c"], [3.0, 1.0, None], ["3", "1", "-"], [True, False, False])
    rest = (reference, "Titel", "per 1.000", "nl")
    text = "2,5" if reference else None
    expected = figures.ranking_figure(*args, *rest, reference_text=text)
    assert as_sent(figdicts.ranking(*args, *rest, reference_text=text)) == as_sent(expected)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_funnel_dict_is_the_figure_on_real_data(context, lang):
    points, curve = comparedata.funnel_parts(context, "misdrijf_geweld")
    names = vergelijk.area_names(context)
    args = (points, names, curve, ["WK016400", "BU01640501"], "Geweld", "per 1.000", lang)
    sent = as_sent(figdicts.funnel(*args))
    assert sent == as_sent(figures.funnel_figure(*args))
    assert len(sent["data"]) >= 6 and sent["layout"]["template"]["layout"]  # resolved template


@pytest.mark.parametrize("reference", [True, False])
def test_trend_dict_is_the_figure(reference):
    series = pd.DataFrame(
        {
            "period": ["2019", "2020", "2021-03"],
            "value": [1.0, None, 3.0],
            "hengelo": [2.0, 2.5, None],
        }
    )
    args = (series, "Naam", "Berflo Es", "per 1.000", reference, "en")
    assert as_sent(figdicts.trend_figure(*args)) == as_sent(figures.trend_figure(*args))


def graphs(component):
    """Every dcc.Graph in a component tree."""
    if isinstance(component, dcc.Graph):
        yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from graphs(child)


def test_the_wijk_page_sends_its_trends_as_dicts(context):
    from dashboard.pages import wijk

    found = list(graphs(wijk.layout(code="berflo-es")))
    assert found and all(isinstance(g.figure, dict) for g in found)


def test_the_compare_page_sends_dicts(context):
    charts = vergelijk.comparison_charts(
        context, ["WK016400", "WK016405"], ["misdrijf_geweld"], "nl"
    )
    graph, source = charts[0].children  # the chart and its source under it
    assert isinstance(graph.figure, dict)
    assert source.children == "Bron: CBS, 2017"  # Kerncijfers wijken en buurten 2017
    ranking = vergelijk.ranking_block(context, "misdrijf_geweld", ["WK016400"], "nl")
    assert isinstance(ranking[0].figure, dict)


AREA_SETS = [
    ["WK016400", "WK016401", "WK016402", "WK016403"],
    ["WK016409", "GM0164", "BU01640501", "BU01640102"],
    ["WK016405", "BU01640300"],
]


@pytest.mark.parametrize("areas", AREA_SETS)
def test_compare_judgements_equal_the_weighing_one_by_one(context, areas):
    catalogue, obs = context.data.indicators, context.public_obs
    frame = comparison(obs, catalogue, areas, list(catalogue.index), members(context))
    weighed = frame[frame["value"].notna()]
    assert (weighed["method"] == "poisson").any()  # the array path is exercised
    for row in weighed.itertuples():
        ind = {**catalogue.loc[row.indicator_id].to_dict(), "id": row.indicator_id}
        latest = pd.Series({"value": row.value, "period": row.period})
        against = row.reference if not pd.isna(row.difference) else float("nan")
        one = weighed_judgement(
            obs, ind, row.area_code, latest, against, members(context).get(row.area_code)
        )
        mine = [None if pd.isna(x) else x for x in (row.judgement, row.method, row.level)]
        assert mine == [one["judgement"], one["method"], one["level"]]
        assert (None if pd.isna(row.population) else row.population) == one["population"]


def test_the_compare_frame_is_kept_per_data_version(context):
    first = comparedata.comparison_frame(context, ("WK016400", "WK016405"), ("misdrijf_geweld",))
    again = comparedata.comparison_frame(context, ("WK016400", "WK016405"), ("misdrijf_geweld",))
    assert first is again
    other = object()  # another data version: the cache starts over
    assert comparedata.comparison_frame.cache.get(other, ()) is not first
    assert len(comparedata.comparison_frame.cache) == 0
