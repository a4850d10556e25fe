"""Every page and callback through the real Flask test client."""

import json

import pytest

from dashboard import ids

from dashclient import call, find, prop, render_page

MAP_OUTPUTS = [
    (ids.MAP_GRAPH, "figure"),
    (ids.MAP_INDICATOR, "options"),
    (ids.MAP_INDICATOR, "value"),
    (ids.MAP_SELECTED, "data"),
]
INTERNAL = ("pct_niet_westerse_migratieachtergrond", "pct_westerse_migratieachtergrond")


def text_of(node) -> str:
    return json.dumps(node, ensure_ascii=False)


def map_page(client, search=""):
    status, content, raw = render_page(client, "/", search)
    assert status == 200
    return content


def switch(client, content, indicator, level, selected=None, trigger=ids.MAP_INDICATOR):
    areas = find(content, ids.MAP_AREAS)["props"]["data"]
    return call(
        client,
        MAP_OUTPUTS,
        [
            prop(ids.MAP_INDICATOR, "value", indicator),
            prop(ids.MAP_LEVEL, "value", level),
            prop(ids.MAP_FOCUS, "value", ["focus"]),
            prop(ids.MAP_SELECTED, "data", selected),
        ],
        [prop(ids.MAP_AREAS, "data", areas)],
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
    assert client.get(path + search).status_code == 200


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


def test_missing_store_gives_a_page_not_a_crash(client, monkeypatch, tmp_path):
    from dashboard import data

    monkeypatch.setenv("WIJKVEILIGHEID_STORE", str(tmp_path / "weg.gpkg"))
    data.reset()
    try:
        status, content, raw = render_page(client, "/")
        assert status == 200
        assert "wijkveiligheid build" in raw.decode()
    finally:
        monkeypatch.undo()
        data.reset()
