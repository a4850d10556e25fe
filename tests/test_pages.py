"""Every page and callback through the real Flask test client."""

import json

import pytest

from dashboard import ids
from indicators.formatting import format_number

from dashclient import call, find, prop, render_page

MAP_OUTPUTS = [
    (ids.MAP_GRAPH, "figure"),
    (ids.MAP_INDICATOR, "options"),
    (ids.MAP_INDICATOR, "value"),
    (ids.MAP_SELECTED, "data"),
    (ids.MAP_PERIODS, "data"),
    (ids.MAP_PERIOD, "value"),
]
INTERNAL = ("pct_niet_westerse_migratieachtergrond", "pct_westerse_migratieachtergrond")


def text_of(node) -> str:
    return json.dumps(node, ensure_ascii=False)


def map_page(client, search=""):
    status, content, raw = render_page(client, "/", search)
    assert status == 200
    return content


def switch(
    client,
    content,
    indicator,
    level,
    selected=None,
    trigger=ids.MAP_INDICATOR,
    period=None,
    shown_periods=None,
):
    areas = find(content, ids.MAP_AREAS)["props"]["data"]
    return call(
        client,
        MAP_OUTPUTS,
        [
            prop(ids.MAP_INDICATOR, "value", indicator),
            prop(ids.MAP_LEVEL, "value", level),
            prop(ids.MAP_FOCUS, "value", ["focus"]),
            prop(ids.MAP_SELECTED, "data", selected),
            prop(ids.MAP_PERIOD, "value", period),
        ],
        [prop(ids.MAP_AREAS, "data", areas), prop(ids.MAP_PERIODS, "data", shown_periods)],
        changed=[f"{trigger}.value" if trigger != ids.MAP_SELECTED else f"{trigger}.data"],
    )


@pytest.mark.parametrize(
    "path,search",
    [
        ("/", ""),
        ("/", "?taal=en"),
        ("/", "?niveau=buurt&indicator=pct_15_24"),
        ("/thema", ""),
        ("/thema", "?taal=en"),
        ("/bestaat-niet", ""),
    ],
)
def test_every_page_renders(client, path, search):
    status, content, raw = render_page(client, path, search)
    assert status == 200
    assert "Traceback" not in raw.decode()
    # an unknown page is the app's not-found page, with HTTP 404 (no soft 404)
    assert client.get(path + search).status_code == (404 if path == "/bestaat-niet" else 200)


@pytest.mark.parametrize(
    "search,expected_notice",
    [
        ("?indicator=bestaat_niet", "bestaat niet"),
        ("?niveau=provincie", "Niveau 'provincie' bestaat niet"),
        ("?gebied=WK999999", "Gebied 'WK999999' bestaat niet"),
        ("?taal=fr", "Taal 'fr' wordt niet ondersteund"),
        ("?indicator=%3Cscript%3Ealert(1)%3C/script%3E", "bestaat niet"),
        ("?niveau=buurt&gebied=WK016400", "bestaat niet op dit niveau"),
    ],
)
def test_broken_url_parameters_fall_back_with_a_notice(client, search, expected_notice):
    content = map_page(client, search)
    assert expected_notice in text_of(content)
    assert find(content, ids.MAP_GRAPH) is not None


def test_url_state_is_applied(client):
    content = map_page(client, "?indicator=misdrijf_geweld&niveau=buurt&gebied=BU01640000")
    assert find(content, ids.MAP_INDICATOR)["props"]["value"] == "misdrijf_geweld"
    assert find(content, ids.MAP_LEVEL)["props"]["value"] == "buurt"
    assert find(content, ids.MAP_SELECTED)["props"]["data"] == "BU01640000"
    assert "Binnenstad-Centrum" in text_of(find(content, ids.MAP_PANEL))


def test_english_page(client):
    content = map_page(client, "?taal=en")
    text = text_of(content)
    assert "Map of Hengelo" in text and "Kaart van Hengelo" not in text
    assert find(content, ids.MAP_AREAS)["props"]["data"]["lang"] == "en"


def test_indicator_switch_sends_a_small_patch(client):
    content = map_page(client, "?niveau=buurt")
    status, data, raw = switch(client, content, "misdrijf_vernieling", "buurt")
    assert status == 200
    figure = data["response"][ids.MAP_GRAPH]["figure"]
    assert figure["__dash_patch_update"]
    assert "geojson" not in raw.decode()
    assert len(raw) <= 2048
    merged = figure["operations"][0]["params"]["value"]
    assert merged["meta"][3:5] == ["misdrijf_vernieling", "buurt"]
    assert len(merged["z"]) == 62


def test_level_switch_lists_only_indicators_with_data(client, context):
    content = map_page(client)
    status, data, _ = switch(client, content, "misdrijf_geweld", "buurt", trigger=ids.MAP_LEVEL)
    options = data["response"][ids.MAP_INDICATOR]["options"]
    values = {o["value"] for o in options if not o.get("disabled")}
    assert "misdrijf_geweld" in values
    assert "woningvoorraad" not in values  # wijk and gemeente only
    assert not values & set(INTERNAL)
    obs = context.public_obs
    for value in values:
        assert (
            obs[(obs["indicator_id"] == value) & (obs["level"] == "buurt")]["value"].notna().any()
        )


def test_unknown_indicator_in_a_callback_falls_back(client):
    content = map_page(client)
    status, data, _ = switch(client, content, "bogus", "wijk")
    assert status == 200
    assert data["response"][ids.MAP_INDICATOR]["value"] == "misdrijf_diefstal_woning"


@pytest.mark.parametrize("internal", INTERNAL)
def test_internal_indicator_never_reaches_a_public_response(client, internal):
    content = map_page(client, f"?indicator={internal}")
    assert find(content, ids.MAP_INDICATOR)["props"]["value"] != internal
    status, data, raw = switch(client, content, internal, "buurt")
    assert data["response"][ids.MAP_INDICATOR]["value"] != internal
    status, data, raw = call(
        client,
        [(ids.MAP_DOWNLOAD, "data")],
        [prop(ids.MAP_DOWNLOAD_BUTTON, "n_clicks", 1)],
        [
            prop(ids.MAP_INDICATOR, "value", internal),
            prop(ids.MAP_LEVEL, "value", "buurt"),
            prop(ids.MAP_AREAS, "data", {"lang": "nl"}),
            prop(ids.MAP_PERIOD, "value", None),
        ],
    )
    assert status == 204
    panel_status, panel, panel_raw = call(
        client,
        [(ids.MAP_PANEL, "children")],
        [prop(ids.MAP_SELECTED, "data", "BU01640000")],
        [
            prop(ids.MAP_LEVEL, "value", "buurt"),
            prop(ids.MAP_INDICATOR, "value", internal),
            prop(ids.MAP_AREAS, "data", {"lang": "nl"}),
        ],
    )
    assert panel_status == 200
    assert "migratieachtergrond" not in panel_raw.decode()


def test_click_on_map_selects_and_opens_panel(client):
    status, data, _ = call(
        client,
        [(ids.MAP_SELECTED, "data")],
        [
            prop(ids.MAP_GRAPH, "clickData", {"points": [{"location": "WK016405"}]}),
            prop({"type": ids.MAP_AREA_BUTTON, "code": ["ALL"]}, "n_clicks", []),
        ],
    )
    assert data["response"][ids.MAP_SELECTED]["data"] == "WK016405"
    status, data, raw = call(
        client,
        [(ids.MAP_PANEL, "children")],
        [prop(ids.MAP_SELECTED, "data", "WK016405")],
        [
            prop(ids.MAP_LEVEL, "value", "wijk"),
            prop(ids.MAP_INDICATOR, "value", "misdrijf_geweld"),
            prop(ids.MAP_AREAS, "data", {"lang": "nl"}),
        ],
    )
    text = text_of(data)
    assert "Berflo Es" in text and "/wijk/WK016405" in text
    assert "ongunstiger" in text or "gunstiger" in text


def test_panel_with_unknown_area_is_harmless(client):
    status, data, raw = call(
        client,
        [(ids.MAP_PANEL, "children")],
        [prop(ids.MAP_SELECTED, "data", "XX")],
        [
            prop(ids.MAP_LEVEL, "value", "wijk"),
            prop(ids.MAP_INDICATOR, "value", "misdrijf_geweld"),
            prop(ids.MAP_AREAS, "data", {"lang": "nl"}),
        ],
    )
    assert status == 200 and "Klik op een wijk" in raw.decode()


def test_csv_download_is_what_the_table_shows(client, context):
    status, data, raw = call(
        client,
        [(ids.MAP_DOWNLOAD, "data")],
        [prop(ids.MAP_DOWNLOAD_BUTTON, "n_clicks", 1)],
        [
            prop(ids.MAP_INDICATOR, "value", "misdrijf_geweld"),
            prop(ids.MAP_LEVEL, "value", "wijk"),
            prop(ids.MAP_AREAS, "data", {"lang": "nl"}),
            prop(ids.MAP_PERIOD, "value", None),
        ],
    )
    download = data["response"][ids.MAP_DOWNLOAD]["data"]
    lines = download["content"].strip().splitlines()
    assert download["filename"].startswith("wijkveiligheid_misdrijf_geweld_wijk_2017")
    assert len(lines) == 11  # header + 10 wijken
    header = lines[0].split(";")
    assert header[:3] == ["code", "gebied", "wijk"]
    berflo = next(line for line in lines if line.startswith("WK016405"))
    assert "afgeleid" in berflo and "Bron: CBS" not in berflo.split(";")[1]
    buitengebied = next(line for line in lines if line.startswith("WK016409"))
    assert "geen gegevens" in buitengebied


def test_geometry_is_served_once_as_cacheable_json(client):
    response = client.get("/geo/buurt.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age" in response.headers["Cache-Control"]
    assert client.get("/geo/provincie.geojson").status_code == 404


def test_themes_page_lists_eight_and_marks_urgent(client):
    status, content, raw = render_page(client, "/thema")
    text = raw.decode()
    assert text.count("theme-card") == 8
    assert text.count("Hoge urgentie") == 3


def test_missing_store_gives_a_page_not_a_crash(client, base_store, tmp_path):
    """A missing store: a clear 503 page that says how to build it, never a traceback."""
    from dashboard import data

    from conftest import open_embedded

    data.use_store(open_embedded(tmp_path / "weg.gpkg"))
    try:
        response = client.get("/")
        assert response.status_code == 503
        assert "wijkveiligheid build" in response.get_data(as_text=True)
    finally:
        data.use_store(base_store)


def test_period_picker_offers_the_periods_of_the_indicator(client, context):
    content = map_page(client, "?indicator=inwoners&niveau=wijk")
    picker = find(content, ids.MAP_PERIOD)["props"]
    assert [o["value"] for o in picker["options"]] == ["2024", "2021", "2017"]  # 2017: 2 wijken
    assert picker["options"][0]["label"] == "2024 (nieuwste)"
    assert picker["value"] == "2024"
    # an earlier period from the URL: its values, its year in the source line and the URL meta
    content = map_page(client, "?indicator=inwoners&niveau=wijk&periode=2021")
    assert find(content, ids.MAP_PERIOD)["props"]["value"] == "2021"
    figure = find(content, ids.MAP_GRAPH)["props"]["figure"]
    trace = next(tr for tr in figure["data"] if tr.get("meta") and tr.get("visible") is True)
    assert trace["meta"][5] == "2021" and trace["meta"][11] == "2021"
    obs = context.public_obs
    wanted = obs[
        (obs["indicator_id"] == "inwoners") & (obs["level"] == "wijk") & (obs["period"] == "2021")
    ].set_index("area_code")["value"]
    codes = list(context.areas["wijk"]["code"])
    assert trace["text"] == [format_number(wanted[c]) for c in codes]
    assert find(content, ids.MAP_SOURCE)["props"]["children"].endswith("2021")


def test_unknown_period_in_the_url_falls_back_with_a_notice(client):
    status, content, raw = render_page(client, "/", "?indicator=inwoners&niveau=wijk&periode=1850")
    assert status == 200
    assert "Periode '1850' heeft voor deze indicator geen gegevens" in text_of(content)
    assert find(content, ids.MAP_PERIOD)["props"]["value"] == "2024"


def test_period_switch_patches_values_and_indicator_switch_resets_it(client):
    content = map_page(client, "?indicator=inwoners&niveau=wijk")
    status, data, raw = switch(
        client, content, "inwoners", "wijk", trigger=ids.MAP_PERIOD, period="2021"
    )
    assert status == 200 and len(raw) <= 2048
    response = data["response"]
    merged = response[ids.MAP_GRAPH]["figure"]["operations"][0]["params"]["value"]
    assert merged["meta"][5] == "2021" and merged["meta"][11] == "2021"
    assert ids.MAP_PERIOD not in response  # the picker already shows the choice
    # another indicator starts at its own latest period, with its own options
    shown = find(content, ids.MAP_PERIODS)["props"]["data"]
    assert shown == [["2024", "2021", "2017"], 0]
    status, data, raw = switch(
        client, content, "pct_65plus", "wijk", period="2024", shown_periods=shown
    )
    response = data["response"]
    assert response[ids.MAP_PERIOD]["value"] == "2021"  # pct_65plus has only 2021 per wijk
    periods = response[ids.MAP_PERIODS]["data"]
    assert periods == [["2021"], 0]
    # the next indicator with the same periods: the picker is left alone (fewer bytes)
    status, data, raw = switch(
        client, content, "pct_15_24", "wijk", period="2021", shown_periods=periods
    )
    assert ids.MAP_PERIOD not in data["response"] and ids.MAP_PERIODS not in data["response"]
    # a period the indicator does not have (a stale picker) falls back to the default
    status, data, raw = switch(
        client, content, "inwoners", "wijk", trigger=ids.MAP_PERIOD, period="1999"
    )
    assert data["response"][ids.MAP_PERIOD]["value"] == "2024"


def test_source_line_cites_the_table_of_the_period_shown(client, context):
    sources = context.data.sources.set_index("id")["attribution"]
    for period, source_id in [("2024", "CBS_KWB2024"), ("2021", "CBS_WBK2021")]:
        content = map_page(client, f"?indicator=inwoners&niveau=wijk&periode={period}")
        line = find(content, ids.MAP_SOURCE)["props"]["children"]
        assert line == f"{sources[source_id]}, {period}"
    # wijk values derived from the 2017 buurt figures cite the 2017 table, not the catalogue's
    obs = context.public_obs
    derived = obs[(obs["indicator_id"] == "inwoners") & (obs["period"] == "2017")]
    assert set(derived["source_id"]) == {"CBS_KWB2017"}
