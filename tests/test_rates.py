"""Counts or rates (issue 18, A3): a count with a denominator in the catalogue is also shown
per 1,000 inhabitants, derived from the public figures of the same year and kept in the URL
(``?maat=``). Crime counts per buurt here are made up (test data only)."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from mapclient import switch, view_of

from dashboard import data as data_module
from dashboard import ids
from indicators import rates
from indicators.catalogue import catalogue_frame, load_catalogue

from dashclient import call, find, prop, render_page

COUNT = "geregistreerde_misdrijven"


def obs_row(code, indicator, period, value, status="published", level="buurt"):
    return {
        "area_code": code,
        "level": level,
        "indicator_id": indicator,
        "period": period,
        "value": value,
        "n": np.nan,
        "margin": np.nan,
        "source_id": "POLITIE_CBS",
        "status": status,
        "coverage_n": np.nan,
        "coverage_total": np.nan,
        "coverage_share": np.nan,
        "note": "",
    }


@pytest.fixture(scope="module")
def catalogue():
    return catalogue_frame(load_catalogue())


def test_the_catalogue_names_the_counts_with_a_rate(catalogue):
    assert rates.with_rates(catalogue) == {
        "geregistreerde_misdrijven": "inwoners",
        "geregistreerde_misdrijven_maand": "inwoners",
    }
    extra = rates.rate_catalogue(catalogue)
    assert extra.loc[rates.rate_key(COUNT), "unit"] == "per1000"
    assert extra.loc[rates.rate_key(COUNT), "label_nl"].endswith("per 1.000 inwoners")


@pytest.mark.parametrize(
    "rows,expected",
    [
        # the rate of the public count and inhabitants of the same year
        (
            [obs_row("B", COUNT, "2021", 30.0), obs_row("B", "inwoners", "2021", 1200.0)],
            (25.0, "derived"),
        ),
        # a month uses the inhabitants of its year
        (
            [
                obs_row("B", "geregistreerde_misdrijven_maand", "2021-03", 6.0),
                obs_row("B", "inwoners", "2021", 1200.0),
            ],
            (5.0, "derived"),
        ),
        # no inhabitants of that year: missing, never borrowed from another year
        (
            [obs_row("B", COUNT, "2023", 30.0), obs_row("B", "inwoners", "2021", 1200.0)],
            (None, "missing"),
        ),
        # a suppressed count: its rate is suppressed with it
        (
            [
                obs_row("B", COUNT, "2021", np.nan, "suppressed"),
                obs_row("B", "inwoners", "2021", 1200.0),
            ],
            (None, "suppressed"),
        ),
    ],
)
def test_rate_observations(catalogue, rows, expected):
    out = rates.rate_observations(pd.DataFrame(rows), catalogue)
    value, status = expected
    assert len(out) == 1 and out["status"].iloc[0] == status
    if value is None:
        assert np.isnan(out["value"].iloc[0])
    else:
        assert out["value"].iloc[0] == pytest.approx(value)


@pytest.fixture()
def buurt_counts(context, monkeypatch):
    """The real data plus made-up crime counts for every buurt in 2021 (CBS-published, so
    not rounded), one of them suppressed."""
    buurten = list(context.areas["buurt"]["code"])
    rows = [obs_row(code, COUNT, "2021", float(10 + i)) for i, code in enumerate(buurten)]
    rows[1] = obs_row(buurten[1], COUNT, "2021", np.nan, "suppressed")
    obs = pd.concat([context.data.observations, pd.DataFrame(rows)], ignore_index=True)
    ctx = data_module.build_context(dataclasses.replace(context.data, observations=obs))
    monkeypatch.setattr(data_module, "get_context", lambda *a, **k: ctx)
    return buurten, ctx


def inhabitants(ctx, code):
    obs = ctx.public_obs
    mask = (obs["indicator_id"] == "inwoners") & (obs["area_code"] == code)
    return float(obs[mask & (obs["period"] == "2021")]["value"].iloc[0])


def test_map_shows_the_rate_from_the_url(client, buurt_counts):
    buurten, ctx = buurt_counts
    search = f"?indicator={COUNT}&niveau=buurt&maat=per1000"
    status, content, raw = render_page(client, "/", search)
    view = view_of(content)
    assert view["indicator"] == rates.rate_key(COUNT)
    assert (view["urlIndicator"], view["measure"]) == (COUNT, "per1000")
    expected = round(10 / inhabitants(ctx, buurten[0]) * 1000, 1)
    assert view["values"][0] == pytest.approx(expected)
    assert view["values"][1] is None and view["statuses"][1] == "s"  # suppressed with its count
    assert find(content, ids.MAP_MEASURE)["props"]["value"] == "per1000"
    heading = find(content, ids.MAP_HEADING)["props"]["children"]
    assert heading == "Geregistreerde misdrijven (totaal) per 1.000 inwoners"
    assert find(content, ids.MAP_MEASURE_BOX)["props"]["hidden"] is False
    text = json.dumps(content, ensure_ascii=False)
    assert "kan hier niet" not in text
    counts = view_of(render_page(client, "/", f"?indicator={COUNT}&niveau=buurt")[1])
    assert counts["indicator"] == COUNT and counts["values"][0] == 10.0
    assert "measure" not in counts


@pytest.mark.parametrize(
    "search",
    [
        f"?indicator={COUNT}&niveau=buurt&maat=zzz",
        f"?indicator={COUNT}&niveau=buurt&maat=1000",
        "?indicator=pct_65plus&niveau=buurt&maat=per1000",  # a percentage has no rate
    ],
)
def test_a_broken_measure_falls_back_to_the_count_with_a_notice(client, buurt_counts, search):
    status, content, raw = render_page(client, "/", search)
    assert status == 200
    view = view_of(content)
    assert "@" not in view["indicator"] and "measure" not in view
    assert "de kaart toont het aantal" in json.dumps(content, ensure_ascii=False)


def test_switching_to_the_rate_and_back(client, buurt_counts):
    status, data, raw, _ = switch(client, COUNT, "buurt", measure="per1000", changed="measure")
    assert status == 200
    view = data["response"][ids.MAP_VIEW]["data"]
    assert view["indicator"] == rates.rate_key(COUNT) and view["measure"] == "per1000"
    status, data, raw, _ = switch(client, COUNT, "buurt", measure="aantal", changed="measure")
    assert data["response"][ids.MAP_VIEW]["data"]["indicator"] == COUNT


def test_the_switch_is_hidden_without_a_rate(client, buurt_counts):
    # the one switch request of the map also says whether the count/rate choice is shown
    status, data, raw, _ = switch(client, "pct_65plus", "buurt")
    assert data["response"][ids.MAP_MEASURE_BOX]["hidden"] is True
    status, data, raw, _ = switch(client, COUNT, "buurt")
    assert data["response"][ids.MAP_MEASURE_BOX]["hidden"] is False


def test_table_download_and_language_switch_follow_the_measure(client, buurt_counts):
    from dashboard.pages import kaart  # after the app exists

    buurten, ctx = buurt_counts
    frame = kaart.table_frame(ctx, COUNT, "buurt", "nl", None, "per1000")
    assert "per 1.000 inwoners" in frame.iloc[0, 3] and frame.iloc[0, 6] == "per 1.000 inwoners"
    state = kaart.resolve_state(ctx, {"indicator": COUNT, "niveau": "buurt", "maat": "per1000"})
    assert kaart.url_params(state[0])["maat"] == "per1000"
    json_view = client.get(f"/data/json/?indicator={COUNT}&niveau=buurt&maat=per1000")
    assert json_view.status_code == 200 and "per 1.000 inwoners" in json_view.get_data(as_text=True)


def test_the_csv_button_sends_the_rate_when_the_map_shows_it(client, buurt_counts):
    status, data, raw = call(
        client,
        [(ids.MAP_DOWNLOAD, "data")],
        [prop(ids.MAP_DOWNLOAD_BUTTON, "n_clicks", 1)],
        [
            prop(ids.MAP_INDICATOR, "value", COUNT),
            prop(ids.MAP_LEVEL, "value", "buurt"),
            prop(ids.MAP_LANG, "data", "nl"),
            prop(ids.MAP_PERIOD, "value", None),
            prop(ids.MAP_MEASURE, "value", "per1000"),
        ],
    )
    content = data["response"][ids.MAP_DOWNLOAD]["data"]["content"]
    assert "per 1.000 inwoners" in content.splitlines()[1]
