"""The map's contract across languages (dashboard/mapcontract.py), without a browser.

Real payloads, built from the real bundled store, are validated against the shipped JSON Schema
(assets/map-contract.json), which must be the one the types write; and kaart.js may read only
keys, ids and names the contract defines, while every id the contract names is in the layout.
A drift on either side fails here, not only in the browser tests.
"""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from mapclient import switch
from test_figures import CODES, small  # noqa: F401 - fixture

from dashboard import ids, mapcontract
from dashboard.figures import map_view
from dashboard.settings import ROOT
from indicators import mapstate

from dashclient import find, render_page

KAART_JS = (ROOT / "assets" / "kaart.js").read_text(encoding="utf-8")
SCHEMA = json.loads(mapcontract.SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(payload, name: str) -> None:
    """Validate ``payload`` against the schema asset's definition of ``name``."""
    schema = {"$defs": SCHEMA["$defs"], **SCHEMA["properties"][name]}
    jsonschema.Draft202012Validator(schema).validate(payload)


@pytest.fixture(autouse=True)
def _pages_registered(app):
    """The page modules register themselves with the app: import them after it exists."""


def keys_of(typed) -> set[str]:
    return set(typed.__annotations__)


def test_the_schema_asset_is_written_from_the_types():
    assert mapcontract.SCHEMA_PATH.read_text(encoding="utf-8") == mapcontract.schema_text(), (
        "assets/map-contract.json is stale: run python3 -m dashboard.mapcontract"
    )
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


# indicator, level, period (None: the default), language
VIEWS = [
    ("misdrijf_geweld", "buurt", None, "nl"),
    ("misdrijf_diefstal_woning", "wijk", None, "en"),
    ("inwoners", "wijk", "2021", "nl"),  # an earlier period, chosen
    ("inwoners", "wijk", "1850", "en"),  # a period without data: the default instead
    ("pct_65plus", "buurt", None, "en"),  # suppressed values
    ("vm_onveilig_buurt", "wijk", None, "nl"),  # survey figures, wijken only
    ("bevolkingsdichtheid", "buurt", None, "nl"),  # the largest switch answer
]


@pytest.mark.parametrize("indicator,level,period,lang", VIEWS)
def test_real_view_payloads_match_the_schema(context, indicator, level, period, lang):
    from dashboard.pages import kaart

    state = mapstate.MapState(level=level, indicator=indicator, period=period)
    view = kaart.view_payload(context, state, lang)
    validate(view, "view")
    n = len(context.areas[level])
    assert len(view["values"]) == len(view["classes"]) == len(view["statuses"]) == n
    assert (view["indicator"], view["level"]) == (indicator, level)
    assert len(view["legend"]) == len(view["colours"])
    if period == "1850":
        assert view["period"] == kaart.map_data(context).index.default(indicator, level)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_real_change_payload_matches_the_schema(context, lang):
    """The change mode (dashboard/changemap.py): the bundled inhabitants per wijk have 2021
    and 2024; a register count is not tested, so every wijk is in the hatched class of its
    own (not the middle class of no difference beyond chance), with the reason as its note."""
    from dashboard import changemap
    from dashboard.pages import kaart
    from indicators.changestate import ChangeState

    state = mapstate.MapState(level="wijk", indicator="inwoners", period="2024")
    view = changemap.change_payload(context, state, ChangeState(True, ("2021", "2024")), lang)
    validate(view, "view")
    assert view["change"]["periodFrom"] == "2021" and view["change"]["url"]["van"] is None
    hatch = view["change"]["hatchClass"]
    assert view["classes"] == str(hatch) * len(context.areas["wijk"])
    assert len(view["legend"]) == len(view["colours"]) == 6
    assert view["change"]["noteOf"] == [0] * len(context.areas["wijk"])
    reason = {"nl": "niet toetsbaar: een beschrijvende telling", "en": "not testable: a desc"}
    assert view["change"]["notes"][0].startswith(reason[lang])
    plain = kaart.view_payload(context, state, lang)
    assert "change" not in plain  # the value view stays as it was


def test_statuses_say_what_the_store_says(context):
    """Every area's status code is the status of its observation (``missing`` without one)."""
    from dashboard.pages import kaart

    obs, seen = context.public_obs, set()
    for indicator, level in [("pct_65plus", "buurt"), ("inwoners", "wijk")]:
        state = mapstate.MapState(level=level, indicator=indicator, period=None)
        view = kaart.view_payload(context, state, "nl")
        rows = obs[
            (obs["indicator_id"] == indicator)
            & (obs["level"] == level)
            & (obs["period"] == view["period"])
        ].set_index("area_code")["status"]
        codes = context.areas[level]["code"]
        wanted = "".join(mapcontract.STATUS_CODES[rows.get(c, "missing")] for c in codes)
        assert view["statuses"] == wanted
        seen |= set(wanted)
    assert seen - {"p", "-"}, "no other status: the test proves nothing"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_real_areas_payload_and_period_list_match_the_schema(context, lang):
    from dashboard.pages import kaart

    areas = kaart.areas_payload(context, lang)
    validate(areas, "areas")
    assert areas["constants"] == mapcontract.map_constants(lang)
    for level in mapstate.LEVELS:
        assert len(areas[level]["names"]) == len(areas[level]["codes"])
        for indicator in kaart.available_indicators(context, level):
            validate(kaart.period_list(context, indicator, level), "periods")


def test_switch_answers_through_the_app_match_the_schema(client):
    for indicator, level, changed in [("pct_65plus", "buurt", "indicator"), ("x", "wijk", "level")]:
        status, data, raw, _ = switch(client, indicator, level, changed=changed)
        assert status == 200
        validate(data["response"][ids.MAP_VIEW]["data"], "view")
        validate(data["response"][ids.MAP_PERIODS]["data"], "periods")


def test_a_payload_that_drifts_fails_the_schema(context):
    from dashboard.pages import kaart

    state = mapstate.MapState(level="wijk", indicator="inwoners", period=None)
    view = dict(kaart.view_payload(context, state, "nl"))
    for broken in (
        {**view, "notes": []},  # a key the contract does not know
        {k: v for k, v in view.items() if k != "statuses"},  # a key missing
        {**view, "statuses": "pq"},  # a status code that does not exist
        {**view, "level": "provincie"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate(broken, "view")


def test_view_payload_has_named_keys_and_no_geometry(small):  # noqa: F811
    view = map_view(*small, "bad", "wijk", CODES, formatted=False)
    payload = mapcontract.view_payload(view, decimals=1, age_years=6)
    assert payload["indicator"] == "bad" and payload["level"] == "wijk"
    assert payload["period"] == "2020" and payload["periodLabel"] is None  # a year reads as is
    assert payload["values"] == [1, 2, None]
    assert payload["classes"] == "01-"
    assert payload["statuses"] == "dpx"  # derived, published, secret
    assert payload["legend"] == ["1,0", "2,0"]  # "geen gegevens" is added by the browser
    assert payload["colours"] == view.colours
    assert payload["coverage"] == {"0": "3/3"}
    assert payload["ageYears"] == 6 and payload["source"] == "Bron: CBS, 2020"
    assert "geometry" not in str(payload) and view.formatted == []
    validate(payload, "view")


@pytest.mark.parametrize(
    "indicator,lang,expected",
    [
        ("good", "nl", {"unit": "%", "decimals": 0, "suffix": "%", "hoverUnit": ""}),
        (
            "bad",
            "en",
            {
                "unit": "per 1,000 inhabitants",
                "decimals": 1,
                "suffix": "",
                "hoverUnit": " per 1,000 inhabitants",
            },
        ),
    ],
)
def test_indicator_meta_carries_the_number_rules(small, indicator, lang, expected):  # noqa: F811
    _, catalogue, _ = small
    meta = mapcontract.indicator_meta(catalogue.loc[indicator], lang, "Klassen: kwantielen")
    assert {k: meta[k] for k in expected} == expected
    assert meta["method"] == "Klassen: kwantielen"


# ---------- kaart.js against the contract ----------


def read_in_js(name: str) -> set[str]:
    """The properties kaart.js reads from its variable ``name`` (``view.values`` -> values);
    kaart.js names the payload parts always the same (see its header)."""
    return set(re.findall(rf"(?<![\w.]){re.escape(name)}\.(\w+)", KAART_JS)) | set(
        re.findall(rf"\.{re.escape(name)}\.(\w+)", KAART_JS)
    )


JS_NAMES = [
    ("view", mapcontract.ViewPayload),
    ("areas", mapcontract.AreasPayload),
    ("meta", mapcontract.IndicatorMeta),
    ("text", mapcontract.MapText),
    ("levelAreas", mapcontract.LevelAreas),
    ("consts", mapcontract.MapConstants),
    ("consts.ids", mapcontract.ElementIds),
    ("consts.url", mapcontract.UrlNames),
    ("consts.colours", mapcontract.Colours),
    ("constants", mapcontract.MapConstants),
    ("view.change", mapcontract.ChangeInfo),
]


@pytest.mark.parametrize("name,typed", JS_NAMES, ids=[n for n, _ in JS_NAMES])
def test_kaart_js_reads_only_what_the_contract_defines(name, typed):
    read = read_in_js(name) - {"constants"} if name == "consts" else read_in_js(name)
    if name in ("consts", "constants"):
        read -= {"ids", "url", "colours"} - keys_of(typed)
    unknown = read - keys_of(typed)
    assert not unknown, f"kaart.js reads {name}.{sorted(unknown)}, not in dashboard/mapcontract.py"


def test_kaart_js_reads_every_view_key_and_word():
    """Nothing is sent that the browser does not use (a dead key costs every switch bytes)."""
    assert keys_of(mapcontract.ViewPayload) <= read_in_js("view")
    words = read_in_js("text") | {f"level_{level}" for level in mapstate.LEVELS}
    assert 'text["level_" + view.level]' in KAART_JS
    assert keys_of(mapcontract.MapText) <= words
    assert keys_of(mapcontract.IndicatorMeta) <= read_in_js("meta")


def test_kaart_js_repeats_no_id_url_name_colour_or_locale():
    literals = set(re.findall(r"\"([^\"]*)\"", KAART_JS))
    names = set(mapcontract.ELEMENT_IDS.values()) | set(mapstate.URL_NAMES.values())
    names |= {mapcontract.LANG_PARAM, "nl-NL", "en-GB"}
    assert not literals & names
    assert not re.search(r"[\"']#?kaart-", KAART_JS)  # no element id of the page
    assert not re.search(r"#[0-9a-fA-F]{6}\b", KAART_JS)  # no colour
    assert "statusCodes[view.statuses.charAt(i)]" in KAART_JS  # no status inference


def test_every_id_the_contract_names_is_in_the_layout(client):
    status, content, _ = render_page(client, "/", "?niveau=buurt&gebied=BU01640000")
    assert status == 200
    for key, element_id in mapcontract.ELEMENT_IDS.items():
        assert find(content, element_id) is not None, (key, element_id)
    areas = find(content, ids.MAP_AREAS)["props"]["data"]
    assert areas["constants"]["ids"] == mapcontract.ELEMENT_IDS
    validate(areas, "areas")


def test_url_names_are_the_ones_the_page_reads(client):
    """The names kaart.js writes into the URL are the ones the page resolves from it."""
    names = mapstate.URL_NAMES
    query = f"?{names['level']}=buurt&{names['indicator']}=pct_65plus&{names['area']}=BU01640000"
    status, content, _ = render_page(client, "/", query)
    view = find(content, ids.MAP_VIEW)["props"]["data"]
    assert (view["level"], view["indicator"]) == ("buurt", "pct_65plus")
    assert find(content, ids.MAP_SELECTED)["props"]["data"] == "BU01640000"
