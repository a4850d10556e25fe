"""Honest comparisons: chance weighed (Poisson funnel limits, margins), like compared with
like on /vergelijk, the age of old figures, and wijk KPIs with the wijk's own status."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import dashboard.app  # noqa: F401  (pages register after the app exists)
from dashboard import profile
from dashboard.pages import vergelijk
from indicators.age import figure_age, format_period_age, is_old
from indicators.kpi import kpi_status
from indicators.uncertainty import (
    exact_poisson_interval,
    funnel_curve,
    funnel_limits,
    poisson_control_limit,
    weigh,
)
from indicators.views import common_period, comparison, indicators_for_areas, rate_population

from dashclient import call, prop, render_page

TODAY = date(2026, 11, 30)


# ---- statistics -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "count,lower,upper",
    [
        # exact (Garwood) 95% limits as tabulated, e.g. in the PHE technical guide
        (0, 0.0, 3.689),
        (1, 0.0253, 5.572),
        (10, 4.795, 18.390),
        (100, 81.364, 121.627),
    ],
)
def test_exact_poisson_interval_matches_tabulated_values(count, lower, upper):
    lo, hi = exact_poisson_interval(count)
    assert lo == pytest.approx(lower, abs=1e-3) and hi == pytest.approx(upper, abs=1e-3)


def test_control_limit_is_the_interpolated_poisson_quantile():
    # mean 10: P(X<=16)=0.9730, P(X<=17)=0.9857, so the 97.5% limit lies between 16 and 17
    limit = poisson_control_limit(10.0, 1000, 0.975)
    assert 16 < limit < 17
    y = stats.poisson.ppf(0.975, 10)
    assert y == 17 and limit == pytest.approx(17 - (0.98572 - 0.975) / (0.98572 - 0.97300), 1e-3)


def test_funnel_narrows_with_population():
    small, large = funnel_limits(5.0, 500), funnel_limits(5.0, 50000)
    assert small["upper99.8"] > small["upper95"] > large["upper95"] > 5.0
    assert small["lower95"] < large["lower95"] < 5.0
    curve = funnel_curve(5.0, 10000)
    assert curve[0]["population"] < curve[-1]["population"]
    assert curve[0]["upper95"] > curve[-1]["upper95"]


@pytest.mark.parametrize(
    "value,reference,polarity,unit,population,margin,expected",
    [
        (4.7, 4.4, "higher_worse", "per1000", 2000, None, ("similar", "poisson", None)),
        (4.7, 4.4, "higher_worse", "per1000", 400, None, ("similar", "poisson", None)),
        (12.0, 4.4, "higher_worse", "per1000", 3000, None, ("worse", "poisson", "99.8")),
        (1.0, 4.4, "higher_worse", "per1000", 5000, None, ("better", "poisson", "99.8")),
        (30.0, 25.0, "higher_worse", "pct", None, 6.0, ("similar", "margin", None)),
        (15.0, 25.0, "higher_worse", "pct", None, 4.0, ("better", "margin", "95")),
        (15.0, 25.0, "neutral", "pct", None, 4.0, ("neutral", None, None)),
        (26.0, 25.0, "higher_worse", "pct", None, None, ("worse", None, None)),
        (np.nan, 25.0, "higher_worse", "pct", None, None, ("neutral", None, None)),
    ],
)
def test_weigh(value, reference, polarity, unit, population, margin, expected):
    result = weigh(value, reference, polarity, unit, population, margin)
    assert (result.judgement, result.method, result.level) == expected


def test_small_buurt_is_not_flagged_for_noise():
    # one extra crime in a buurt of 300 moves its rate by 3.3 per 1,000
    assert weigh(4.4 + 3.3, 4.4, "higher_worse", "per1000", 300).judgement == "similar"
    assert weigh(4.4 + 3.3, 4.4, "higher_worse", "per1000", 30000).judgement == "worse"


# ---- age --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "period,years,old,text",
    [
        ("2017", 9, True, "2017 · 9 jaar oud"),
        ("2024", 2, False, "2024"),
        ("2023", 3, True, "2023 · 3 jaar oud"),
        ("2024-03", 2, False, "maart 2024"),
        (None, None, False, ""),
    ],
)
def test_figure_age(period, years, old, text):
    assert figure_age(period, TODAY) == years
    assert is_old(period, TODAY) == old
    assert format_period_age(period, TODAY) == text


def test_figure_age_in_english():
    assert format_period_age("2017", TODAY, "en") == "2017 · 9 years old"


# ---- like with like ---------------------------------------------------------------------


def fixture_obs():
    rows = [
        ("W1", "wijk", "dichtheid", "2021", 100.0),
        ("W1", "wijk", "dichtheid", "2024", 120.0),
        ("B1", "buurt", "dichtheid", "2021", 80.0),
        ("GM0164", "gemeente", "dichtheid", "2021", 90.0),
        ("GM0164", "gemeente", "dichtheid", "2024", 95.0),
        ("GM0164", "gemeente", "alleen_stad", "2024", 1.0),
    ]
    frame = pd.DataFrame(rows, columns=["area_code", "level", "indicator_id", "period", "value"])
    return frame.assign(status="published", note=None, source_id="S", margin=np.nan)


def fixture_catalogue():
    return pd.DataFrame(
        {
            "unit": ["per_km2", "pct"],
            "polarity": ["neutral", "neutral"],
            "aggregation": ["none", "none"],
            "weight": [None, None],
            "denominator": [None, None],
        },
        index=["dichtheid", "alleen_stad"],
    )


def test_comparison_uses_one_period_for_all_areas_and_hengelo():
    frame = comparison(fixture_obs(), fixture_catalogue(), ["W1", "B1"], ["dichtheid"])
    assert set(frame["period"]) == {"2021"}
    assert list(frame["value"]) == [100.0, 80.0]
    assert set(frame["reference"]) == {90.0}  # Hengelo of 2021, not 2024
    assert common_period(fixture_obs(), "dichtheid", ["W1"]) == "2024"


def test_only_indicators_with_data_at_the_areas_are_offered():
    offered = indicators_for_areas(fixture_obs(), fixture_catalogue(), ["W1", "B1"])
    assert offered == ["dichtheid"]


def test_rate_population_of_a_derived_wijk_counts_covered_buurten_only():
    obs = pd.DataFrame(
        [
            ("B1", "buurt", "rate", "2017", 5.0, "published"),
            ("B2", "buurt", "rate", "2017", np.nan, "missing"),
            ("W1", "wijk", "rate", "2017", 5.0, "derived"),
            ("B1", "buurt", "inwoners", "2017", 1200.0, "published"),
            ("B2", "buurt", "inwoners", "2017", 3000.0, "published"),
        ],
        columns=["area_code", "level", "indicator_id", "period", "value", "status"],
    )
    ind = {"id": "rate", "unit": "per1000", "aggregation": "weighted", "weight": "inwoners"}
    assert rate_population(obs, ind, "W1", "2017", ["B1", "B2"]) == 1200.0
    assert rate_population(obs, ind, "B1", "2017", ["B1"]) == 1200.0


def test_compare_page_states_periods_and_shows_hengelo(client):
    status, content, raw = render_page(
        client,
        "/vergelijk",
        "?gebieden=WK016405,BU01640000&indicatoren=bevolkingsdichtheid,misdrijf_geweld",
    )
    text = json.dumps(content, ensure_ascii=False)
    assert status == 200
    assert "2021" in text and "2017 · " in text and "jaar oud" in text
    assert "trechterdiagram" in text
    # the density row is of 2021 for the wijk, the buurt and Hengelo (no 2024 wijk value)
    row = text.split("Bevolkingsdichtheid")[1].split("</tr>")[0][:1500]
    assert "2024" not in row.split("Gewelds")[0]


def test_compare_offers_only_indicators_of_the_chosen_areas(context):
    offered = vergelijk.offered_indicators(context, ["BU01640000", "BU01640001"])
    assert "woningvoorraad" not in offered  # wijk and gemeente only
    assert "misdrijf_geweld" in offered


def test_compare_callback_updates_options_and_funnel(client):
    status, data, raw = call(
        client,
        [
            ("vergelijk-table", "children"),
            ("vergelijk-charts", "children"),
            ("vergelijk-ranking", "children"),
            ("vergelijk-notices", "children"),
            ("vergelijk-indicators", "options"),
            ("vergelijk-indicators", "value"),
            ("vergelijk-funnel-block", "children"),
        ],
        [
            prop("vergelijk-area-0", "value", "BU01640000"),
            prop("vergelijk-area-1", "value", "BU01640001"),
            prop("vergelijk-area-2", "value", ""),
            prop("vergelijk-area-3", "value", ""),
            prop("vergelijk-indicators", "value", ["misdrijf_geweld"]),
            prop("vergelijk-rank", "value", "misdrijf_geweld"),
            prop("vergelijk-funnel", "value", "misdrijf_vernieling"),
        ],
        [prop("vergelijk-lang", "data", "nl"), prop("vergelijk-maat", "value", "aantal")],
    )
    assert status == 200
    response = data["response"]
    values = [o["value"] for o in response["vergelijk-indicators"]["options"]]
    assert "woningvoorraad" not in values
    funnel = json.dumps(response["vergelijk-funnel-block"]["children"], ensure_ascii=False)
    assert "99,8%-grenzen" in funnel and "Vernieling" in funnel


def test_funnel_figure_has_limits_hengelo_and_areas(context):
    block = vergelijk.funnel_block(context, "misdrijf_geweld", ["WK016400"], "nl")
    fig = block[0].figure
    names = [tr["name"] for tr in fig["data"]]
    assert "95%-grenzen" in names and "99,8%-grenzen" in names
    assert any(n.startswith("Hengelo") for n in names)
    assert fig["layout"]["xaxis"]["type"] == "log"


# ---- wijk KPIs ----------------------------------------------------------------------------


def test_kpi_status_of_the_wijk_itself():
    obs = pd.DataFrame(
        {
            "area_code": ["GM0164", "WK1"],
            "indicator_id": ["x", "x"],
            "period": ["2019", "2019"],
            "value": [25.0, 15.0],
        }
    )
    kpi = {"indicator": "x", "baseline": 20.0, "baseline_period": "2015"}
    kpi["direction"] = "lower_or_equal"
    assert kpi_status(kpi, obs).status == "off_track"
    assert kpi_status(kpi, obs, area="WK1").status == "on_track"
    assert profile.kpi_scope(obs, "x", "WK1") == "area"
    # measured per wijk, but not for WK2 (issue 18: not "alleen voor heel Hengelo gemeten")
    assert profile.kpi_scope(obs, "x", "WK2") == "other_areas"
    assert profile.kpi_scope(obs[obs["area_code"] == "GM0164"], "x", "WK2") == "city_only"
    assert profile.kpi_scope(obs, "x", None) == "city"


def test_wijk_page_says_when_a_kpi_is_measured_city_wide_only(client):
    status, content, raw = render_page(client, "/wijk/berflo-es")
    text = json.dumps(content, ensure_ascii=False)
    assert status == 200 and "alleen voor heel Hengelo gemeten" in text
    assert "vergelijkbaar met Hengelo" in text  # vandalism 4,7 vs 4,4: not flagged
    assert "jaar oud" in text


# ---- slide figures -------------------------------------------------------------------------


def test_slide_chart_sets_every_text_to_at_least_18_px():
    from dashboard import figures

    fig = figures.slide_chart(figures.score_bar_figure(["a", "b"], [90.0, 120.0], "t", True))
    assert fig.layout.font.size >= 18 and fig.layout.xaxis.tickfont.size >= 18
    assert fig.layout.yaxis.tickfont.size >= 18 and fig.data[0].textfont.size >= 18
    assert fig.layout.height is None  # the slide gives the height
    spider = figures.slide_chart(
        figures.radar_figure(["a", "b", "c"], [90.0, 100.0, 120.0], "t", True)
    )
    assert spider.layout.polar.angularaxis.tickfont.size >= 18


def test_slide_map_is_svg_geo_fitted_to_its_areas_without_tiles_or_glyphs(context):
    """The slide map needs no tile or glyph server (offline, CSP ``connect-src 'self'``):
    plotly geo (SVG) with the world base map hidden, fitted to the areas, numbers as SVG text."""
    from dashboard import figures
    from dashboard.pages.presentatie_dia import numbered_labels

    codes = list(context.areas["wijk"]["code"])
    names = list(context.areas["wijk"]["name"])
    view = figures.map_view(
        context.public_obs,
        context.data.indicators,
        context.data.sources,
        "misdrijf_diefstal_woning",
        "wijk",
        codes,
    )
    labels, leaders = numbered_labels(context.data.web_wijken, "wijkcode", view, names, 10)
    fig = figures.slide_map_figure(
        context.geojson["wijk"], names, view, labels, badges=True, leaders=leaders
    )
    lines = ["scattergeo"] if leaders else []  # leader lines under the discs
    assert [tr.type for tr in fig.data] == ["choropleth", "choropleth", *lines, "scattergeo"]
    assert all(tr.featureidkey == "id" for tr in fig.data[:2])
    assert list(fig.data[0].locations) == codes  # every area, grey where it has no value
    valued = {c: k for c, k in zip(codes, view.class_index, strict=True) if k is not None}
    assert dict(zip(fig.data[1].locations, fig.data[1].z, strict=True)) == valued
    geo = fig.layout.geo
    assert geo.visible is False and geo.fitbounds == "locations"
    assert geo.projection.type == "mercator"
    assert fig.layout.map.style is None  # no MapLibre map, so no tiles or glyphs
    assert fig.data[-1].mode == "markers+text" and fig.data[-1].textfont.size >= 18
    assert sorted(fig.data[-1].text, key=int) == [str(i) for i in range(1, len(labels) + 1)]


def test_slide_map_loads_its_empty_base_map_from_the_app(client):
    """plotly geo fetches a world topojson even with every base layer hidden; the slide points
    it at an empty one in assets/ (never at cdn.plot.ly)."""
    from urllib.parse import quote

    from dashboard.pages.presentatie_dia import GEO_ASSETS

    status, content, _ = render_page(
        client, "/presentatie/dia", "?weergave=" + quote("/?indicator=misdrijf_geweld")
    )
    text = json.dumps(content)
    assert status == 200 and f'"topojsonURL": "/assets/{GEO_ASSETS}"' in text
    response = client.get(f"/assets/{GEO_ASSETS}world_110m.json")
    assert response.status_code == 200
    topology = json.loads(response.data)
    assert topology["type"] == "Topology" and topology["objects"] == {}
