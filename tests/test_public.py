"""The public map for residents: search, privacy end to end, data page and downloads."""

import dataclasses
import io
import json

import pandas as pd
import pyogrio
import pypdf
import pytest
from mapclient import switch, view_of

from dashboard import data as data_module
from dashboard import ids
from dashboard import profile as prof

from dashclient import call, prop, render_page

SECRET_VALUE = 47.3  # a made-up survey value with too few respondents (test data only)


@pytest.mark.parametrize(
    "query,first",
    [
        ("tuindorp", "Tuindorp 't Lansink"),
        ("TUINDÖRP", "Tuindorp 't Lansink"),
        ("berflo", "Berflo Es"),
        ("'t wilbert", "'t Wilbert"),
        ("hengelose es-noord", "Hengelose Es-Noord"),
        ("noord", "Noord"),
        ("binnenst", "Binnenstad"),
    ],
)
def test_search_is_accent_and_case_insensitive_and_partial(context, query, first):
    hits = prof.search_areas(context, query)
    assert hits and hits[0]["name"] == first


@pytest.mark.parametrize("query", ["", "x", "zzzzzz", None, "%%%"])
def test_search_without_result(context, query):
    assert prof.search_areas(context, query) == []


def test_search_callbacks(client):
    status, data, raw = call(
        client,
        [(ids.MAP_SEARCH_RESULTS, "children")],
        [prop(ids.MAP_SEARCH, "value", "berflo")],
        [prop(ids.MAP_LANG, "data", "nl")],
    )
    text = json.dumps(data, ensure_ascii=False)
    assert "Berflo Es" in text and "Berflo Es Noord" in text
    status, data, raw = call(
        client,
        [(ids.MAP_SEARCH_RESULTS, "children")],
        [prop(ids.MAP_SEARCH, "value", "qqqq")],
        [prop(ids.MAP_LANG, "data", "nl")],
    )
    assert "Geen buurt of wijk gevonden" in json.dumps(data, ensure_ascii=False)
    status, data, raw = call(
        client,
        [
            (ids.MAP_LEVEL, "value"),
            (ids.MAP_SELECTED, "data"),
            (ids.MAP_ZOOM_TO, "data"),
            (ids.MAP_SEARCH_RESULTS, "children"),
        ],
        [prop({"type": ids.MAP_SEARCH_RESULT, "code": ["ALL"]}, "n_clicks", [1])],
        [prop(ids.MAP_LEVEL, "value", "wijk")],
        changed=['{"code":"BU01640601","type":"kaart-search-result"}.n_clicks'],
    )
    assert status == 200
    response = data["response"]
    assert response[ids.MAP_LEVEL]["value"] == "buurt"
    assert response[ids.MAP_SELECTED]["data"] == "BU01640601"
    zoom = response[ids.MAP_ZOOM_TO]["data"]
    assert zoom["code"] == "BU01640601"
    minx, miny, maxx, maxy = zoom["bounds"]  # the browser fits the map to the buurt
    assert 6.6 < minx < maxx < 6.9 and 52.2 < miny < maxy < 52.3


@pytest.fixture()
def leaky_context(context, monkeypatch):
    """The real data plus one survey value with too few respondents (made up, n=50)."""
    extra = pd.DataFrame(
        [
            {
                "area_code": "WK016405",
                "level": "wijk",
                "indicator_id": "vm_onveilig_buurt",
                "period": "2019",
                "value": SECRET_VALUE,
                "n": 50,
                "margin": None,
                "source_id": "VM2015",
                "status": "published",
                "coverage_n": None,
                "coverage_total": None,
                "coverage_share": None,
                "note": "test",
            }
        ]
    )
    obs = pd.concat([context.data.observations, extra], ignore_index=True)
    leaky = data_module.build_context(dataclasses.replace(context.data, observations=obs))
    monkeypatch.setattr(data_module, "get_context", lambda: leaky)
    return leaky


def find_traces(node):
    """Every plotly trace in a rendered layout."""
    if isinstance(node, dict):
        if "type" in node and node.get("type") in ("choroplethmap",):
            yield node
        for value in node.values():
            yield from find_traces(value)
    elif isinstance(node, list):
        for value in node:
            yield from find_traces(value)


def assert_clean(raw: bytes | str):
    text = raw.decode() if isinstance(raw, bytes) else raw
    assert "47,3" not in text and "47.3" not in text
    assert "migratieachtergrond" not in text.lower()


def test_small_numbers_and_internal_figures_never_reach_a_public_response(client, leaky_context):
    assert (
        leaky_context.public_obs.query("area_code == 'WK016405' and period == '2019'")[
            "status"
        ].iloc[0]
        == "suppressed"
    )
    status, content, raw = render_page(
        client, "/", "?indicator=vm_onveilig_buurt&niveau=wijk&gebied=WK016405"
    )
    assert_clean(raw)
    view = view_of(content)
    assert (view["indicator"], view["level"]) == ("vm_onveilig_buurt", "wijk")
    assert view["statuses"][5] == "s"  # suppressed: the table says why the value is not shown
    status, data, raw, _ = switch(client, "vm_onveilig_buurt", "wijk")
    assert status == 200
    assert_clean(raw)
    status, data, raw = call(
        client,
        [(ids.MAP_DOWNLOAD, "data")],
        [prop(ids.MAP_DOWNLOAD_BUTTON, "n_clicks", 1)],
        [
            prop(ids.MAP_INDICATOR, "value", "vm_onveilig_buurt"),
            prop(ids.MAP_LEVEL, "value", "wijk"),
            prop(ids.MAP_LANG, "data", "nl"),
            prop(ids.MAP_PERIOD, "value", None),
            prop(ids.MAP_MEASURE, "value", None),
        ],
    )
    assert status in (200, 204)
    assert_clean(raw)
    status, data, raw = call(
        client,
        [(ids.MAP_PANEL, "children")],
        [prop(ids.MAP_SELECTED, "data", "WK016405")],
        [
            prop(ids.MAP_LEVEL, "value", "wijk"),
            prop(ids.MAP_INDICATOR, "value", "vm_onveilig_buurt"),
            prop(ids.MAP_LANG, "data", "nl"),
        ],
    )
    assert_clean(raw)
    for path, search in [
        ("/wijk/WK016405", ""),
        ("/vergelijk", "?gebieden=WK016405,GM0164&indicatoren=vm_onveilig_buurt"),
    ]:
        status, content, raw = render_page(client, path, search)
        assert status == 200
        assert_clean(raw)
    assert_clean(client.get("/data/cijfers.csv").data)
    pdf = client.get("/wijk/WK016405/profiel.pdf").data
    assert_clean(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def test_data_page_lists_sources_definitions_and_downloads(client, context):
    status, content, raw = render_page(client, "/data")
    text = json.dumps(content, ensure_ascii=False)
    held = set(context.public_obs.loc[context.public_obs["value"].notna(), "source_id"])
    for source in context.data.sources.itertuples():
        if source.id in held or source.id in ("G32_2015", "IVP2017"):
            assert source.title in text
        elif source.id == "POLITIE_CBS_MAAND":  # not fetched: the store holds none of it
            assert source.title not in text
    assert "CC BY 4.0" in text
    for row in context.data.indicators.itertuples():
        if row.public:
            assert row.explanation_nl in text
        else:
            assert row.label_nl not in text
    assert "/data/cijfers.csv" in text and "/data/grenzen.gpkg" in text


def test_public_figures_csv(client, context):
    response = client.get("/data/cijfers.csv")
    frame = pd.read_csv(io.BytesIO(response.data))
    assert set(frame["indicator_id"]) <= set(
        context.data.indicators.index[context.data.indicators["public"].astype(bool)]
    )
    assert frame["source"].notna().all() and frame["period"].notna().all()
    row = frame[
        (frame["area_code"] == "GM0164")
        & (frame["indicator_id"] == "inwoners")
        & (frame["period"] == 2024)
    ]
    assert row["value"].iloc[0] == 83058


def test_boundaries_geopackage_opens(client, tmp_path):
    response = client.get("/data/grenzen.gpkg")
    path = tmp_path / "grenzen.gpkg"
    path.write_bytes(response.data)
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"buurt", "wijk"}
    assert len(pyogrio.read_dataframe(path, layer="buurt")) == 62
    assert len(pyogrio.read_dataframe(path, layer="wijk")) == 10


@pytest.mark.parametrize(
    "lang,text", [("", "Toegankelijkheidsverklaring"), ("?taal=en", "Accessibility statement")]
)
def test_accessibility_statement(client, lang, text):
    status, content, raw = render_page(client, "/toegankelijkheid", lang)
    assert status == 200 and text in json.dumps(content, ensure_ascii=False)
