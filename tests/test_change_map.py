"""The map's change mode (issue 18 A1): URL state and its fallbacks (indicators/changestate.py),
the page through the real Flask test client, and the mode switch callback. Two-period figures
beyond the bundled ones are made up (test_change_pages.made_up_csv)."""

from __future__ import annotations

import json

import pytest
from test_change_pages import BERFLO, NOORD, change_store, made_up_store  # noqa: F401

from dashboard import changemap, ids
from indicators import changestate
from indicators.changestate import ChangeState, resolve_change

from dashclient import call, find, prop, render_page

PAIRS = [("2023", "2024"), ("2022", "2024"), ("2022", "2023")]


@pytest.mark.parametrize(
    ("params", "active", "pair", "notice"),
    [
        ({}, False, None, None),
        ({"weergave": "waarde"}, False, None, None),
        ({"weergave": "verandering"}, True, ("2023", "2024"), None),
        ({"weergave": "verandering", "van": "2022", "tot": "2023"}, True, ("2022", "2023"), None),
        ({"weergave": "verandering", "van": "2024", "tot": "2022"}, True, PAIRS[0], "periods"),
        ({"weergave": "verandering", "van": "2022"}, True, PAIRS[0], "periods"),
        ({"weergave": "verandering", "van": ["a", "b"]}, True, PAIRS[0], "periods"),
        ({"weergave": "verandering", "tot": "x" * 500}, True, PAIRS[0], "periods"),
        ({"weergave": "kaart"}, False, None, "mode"),
        ({"weergave": ["verandering", "waarde"]}, False, None, "mode"),
    ],
)
def test_change_state_from_the_url(params, active, pair, notice):
    resolved = resolve_change(params, PAIRS, "2024")
    assert resolved.state.active is active
    assert resolved.state.pair == pair
    keys = [key for key, _ in resolved.notices]
    expected = {
        None: [],
        "periods": ["notice_unknown_change_periods"],
        "mode": ["notice_unknown_mode"],
    }[notice]
    assert keys == expected


def test_one_period_falls_back_to_values_with_a_notice():
    resolved = resolve_change({"weergave": "verandering", "van": "2017"}, [], "2017")
    assert resolved.state == ChangeState(False)
    assert resolved.notices == [("notice_change_one_period", {"period": "2017"})]


def test_url_params_keep_only_a_chosen_pair():
    assert changestate.url_params(ChangeState(True, PAIRS[0]))["van"] is None
    assert changestate.url_params(ChangeState(True, PAIRS[2], chosen=True))["tot"] == "2023"


def _page(client, query):
    status, content, _ = render_page(client, "/", query)
    assert status == 200
    return content, json.dumps(content, ensure_ascii=False)


def test_change_map_colours_by_tested_change(app, change_store):  # noqa: F811
    client = app.server.test_client()
    query = "?weergave=verandering&indicator=geregistreerde_misdrijven&niveau=wijk"
    content, text = _page(client, query)
    view = find(content, ids.MAP_VIEW)["props"]["data"]
    codes = list(find(content, ids.MAP_AREAS)["props"]["data"]["wijk"]["codes"])
    # made up: Berflo Es 200 -> 300 (beyond 99.8%), Noord 200 -> 250 (beyond 95%), the rest
    # 200 -> 205 (within chance)
    assert view["classes"][codes.index(BERFLO)] == "0"
    assert view["classes"][codes.index(NOORD)] == "1"
    assert set(view["classes"]) == {"0", "1", "2"}
    assert view["values"][codes.index(BERFLO)] == 100
    assert view["colours"] == changemap.colours("higher_worse")
    assert view["legend"][0] == "Toename (ongunstiger), meer dan toeval (99,8%)"
    assert view["periodLabel"] == "verandering 2023 → 2024"
    assert view["change"]["url"]["weergave"] == "verandering"
    # the table alternative: every area's change in words, beyond chance first
    table = json.dumps(find(content, ids.MAP_CHANGE_TABLE), ensure_ascii=False)
    assert table.index("Berflo Es") < table.index("Noord") < table.index("Woolde")
    assert "200 → 300 (+50%), meer dan toeval (99,8%; exacte Poisson-toets)" in table
    # the mode controls say where we are
    assert find(content, ids.MAP_CHANGE_MODE)["props"]["value"] == "verandering"
    assert find(content, ids.MAP_CHANGE_PAIR)["props"]["value"] == "2023/2024"
    assert "notice" not in text or "bestaat niet" not in text


def test_change_map_in_english(app, change_store):  # noqa: F811
    client = app.server.test_client()
    query = "?weergave=verandering&indicator=geregistreerde_misdrijven&niveau=wijk&taal=en"
    content, _ = _page(client, query)
    view = find(content, ids.MAP_VIEW)["props"]["data"]
    assert view["legend"][4] == "Decrease (better), more than chance (99.8%)"
    assert view["periodLabel"] == "change 2023 → 2024"


def test_broken_change_parameters_fall_back_with_a_notice(app, change_store):  # noqa: F811
    client = app.server.test_client()
    base = "?indicator=geregistreerde_misdrijven&niveau=wijk"
    content, text = _page(client, base + "&weergave=verandering&van=1999&tot=2024")
    assert "Perioden '1999 → 2024' zijn voor deze indicator niet te vergelijken" in text
    assert "de kaart toont de verandering 2023 → 2024" in text
    assert find(content, ids.MAP_VIEW)["props"]["data"]["change"]["periodFrom"] == "2023"
    content, text = _page(client, base + "&weergave=grafiek")
    assert "Weergave 'grafiek' bestaat niet; de kaart toont de waarden." in text
    assert "change" not in find(content, ids.MAP_VIEW)["props"]["data"]


def test_one_period_says_so_instead_of_an_empty_map(app, base_store):
    """The bundled crime rates per buurt are 2017 only: the values with a notice."""
    from dashboard import data

    data.use_store(base_store)
    client = app.server.test_client()
    content, text = _page(client, "?weergave=verandering&indicator=misdrijf_geweld&niveau=buurt")
    assert (
        "Gewelds- en seksuele misdrijven heeft op het niveau buurten maar één periode (2017)"
        in (text)
    )
    view = find(content, ids.MAP_VIEW)["props"]["data"]
    assert "change" not in view and view["period"] == "2017"
    hidden = find(content, ids.MAP_CHANGE_TABLE)["props"]
    assert hidden["hidden"] is True and not hidden.get("children")


def test_language_switch_keeps_the_change_mode(app, change_store):  # noqa: F811
    client = app.server.test_client()
    query = "?weergave=verandering&van=2022&tot=2024&indicator=geregistreerde_misdrijven"
    body = client.get("/" + query + "&niveau=wijk").get_data(as_text=True)
    assert "weergave=verandering" in body and "van=2022" in body


@pytest.mark.parametrize(
    ("trigger", "mode", "pair", "active", "expected"),
    [
        (ids.MAP_CHANGE_MODE, "verandering", None, False, "?indicator=x&niveau=wijk&weergave=verandering"),
        (ids.MAP_CHANGE_MODE, "waarde", None, True, "?indicator=x&niveau=wijk"),
        (ids.MAP_CHANGE_PAIR, "verandering", "2017/2021", True,
         "?indicator=x&niveau=wijk&weergave=verandering&van=2017&tot=2021"),
        (ids.MAP_CHANGE_MODE, "waarde", None, False, None),  # already there: no navigation
        (ids.MAP_CHANGE_PAIR, "verandering", "2017", True, None),  # not a pair
    ],
)  # fmt: skip
def test_mode_switch_navigates(app, trigger, mode, pair, active, expected):
    client = app.server.test_client()
    inputs = [prop(ids.MAP_CHANGE_MODE, "value", mode), prop(ids.MAP_CHANGE_PAIR, "value", pair)]
    state = [
        prop(ids.MAP_INDICATOR, "value", "x"),
        prop(ids.MAP_LEVEL, "value", "wijk"),
        prop(ids.MAP_CHANGE_STATE, "data", {"active": active}),
        prop(ids.MAP_SELECTED, "data", ""),
        prop(ids.MAP_LANG, "data", "nl"),
    ]
    status, body, _ = call(
        client,
        [(changemap.PAGES_LOCATION, "search")],
        inputs,
        state=state,
        changed=[f"{trigger}.value"],
    )
    if expected is None:
        assert status == 204  # PreventUpdate
    else:
        assert status == 200
        assert body["response"][changemap.PAGES_LOCATION]["search"] == expected


def test_value_map_switches_send_no_extra_request(app):
    """Outside the change mode an indicator, level or period switch costs the one request it
    did: leaving the change mode is a clientside callback, never a server one."""
    layout = app.server.test_client().get("/_dash-dependencies").get_json()
    served = [
        d
        for d in layout
        if not d.get("clientside_function") and "kaart-indicator" in json.dumps(d["inputs"])
    ]
    assert len(served) == 1 and "kaart-view" in served[0]["output"]
