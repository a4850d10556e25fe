"""Every page and callback through the real Flask test client."""

import json

import plotly
import pytest
from mapclient import switch, view_of

from dashboard import ids

from dashclient import call, find, prop, render_page

INTERNAL = ("pct_niet_westerse_migratieachtergrond", "pct_westerse_migratieachtergrond")


def text_of(node) -> str:
    return json.dumps(node, ensure_ascii=False)


def map_page(client, search=""):
    status, content, raw = render_page(client, "/", search)
    assert status == 200
    return content


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
        # a parameter given twice arrives as a list: the first value, a notice, never a crash
        ("?gebied=WK016405&gebied=WK016401", "noemt 'gebied' 2 keer"),
        ("?niveau=wijk&niveau=buurt", "noemt 'niveau' 2 keer"),
        ("?indicator=inwoners&indicator=pct_65plus", "noemt 'indicator' 2 keer"),
        ("?periode=2021&periode=2024", "noemt 'periode' 2 keer"),
    ],
)
def test_broken_url_parameters_fall_back_with_a_notice(client, search, expected_notice):
    content = map_page(client, search)
    assert expected_notice in text_of(content)
    assert find(content, ids.MAP_CANVAS) is not None and view_of(content)["values"]


def test_the_first_layout_holds_the_page_so_no_router_callback_runs(client):
    # the browser asks /_dash-layout from the page: its Referer names the page
    layout = client.get(
        "/_dash-layout", headers={"Referer": "http://localhost/?niveau=buurt&gebied=BU01640000"}
    ).get_json()
    location = find(layout, "_pages_location")["props"]
    assert (location["pathname"], location["search"]) == ("/", "?niveau=buurt&gebied=BU01640000")
    assert find(layout, ids.MAP_VIEW)["props"]["data"]["level"] == "buurt"
    assert find(layout, ids.MAP_SELECTED)["props"]["data"] == "BU01640000"
    assert find(layout, "_pages_store")["props"]["data"]["title"]
    # without a Referer (or for an unknown page) the router renders the page as before
    bare = client.get("/_dash-layout").get_json()
    assert find(bare, "_pages_content")["props"]["children"] is None


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


def test_indicator_switch_is_one_small_request_and_answer(client):
    status, data, raw, sent = switch(client, "misdrijf_vernieling", "buurt")
    assert status == 200
    view = data["response"][ids.MAP_VIEW]["data"]
    assert "geojson" not in raw.decode() and "Feature" not in raw.decode()
    assert sent <= 1024 and len(raw) <= 1024  # issue 11: at most 1 KB each way at 62 buurten
    assert (view["indicator"], view["level"]) == ("misdrijf_vernieling", "buurt")
    assert len(view["values"]) == 62 and len(view["classes"]) == 62


def test_every_switch_at_62_buurten_stays_under_1_kb(client, context):
    from dashboard.pages.kaart import available_indicators

    for level in ("wijk", "buurt"):
        for indicator in available_indicators(context, level):
            for changed in ("indicator", "level"):
                status, data, raw, sent = switch(client, indicator, level, changed=changed)
                assert status == 200 and len(raw) <= 1024 and sent <= 1024, (indicator, level)


def test_level_options_list_only_indicators_with_data(client, context):
    options = find(map_page(client), ids.MAP_AREAS)["props"]["data"]["options"]["buurt"]
    values = {o["value"] for o in options if not o.get("disabled")}
    assert "misdrijf_geweld" in values
    assert "woningvoorraad" not in values  # wijk and gemeente only
    assert not values & set(INTERNAL)
    obs = context.public_obs
    for value in values:
        rows = obs[(obs["indicator_id"] == value) & (obs["level"] == "buurt")]
        assert (rows["value"].notna() | (rows["status"] == "suppressed")).any()


def test_an_indicator_without_data_at_the_new_level_falls_back(client):
    status, data, _, _ = switch(client, "woningvoorraad", "buurt", changed="level")
    assert data["response"][ids.MAP_INDICATOR]["value"] == "misdrijf_diefstal_woning"
    assert data["response"][ids.MAP_VIEW]["data"]["level"] == "buurt"


def test_unknown_indicator_in_a_callback_falls_back(client):
    status, data, _, _ = switch(client, "bogus", "wijk")
    assert status == 200
    assert data["response"][ids.MAP_INDICATOR]["value"] == "misdrijf_diefstal_woning"


@pytest.mark.parametrize("internal", INTERNAL)
def test_internal_indicator_never_reaches_a_public_response(client, internal):
    content = map_page(client, f"?indicator={internal}")
    assert find(content, ids.MAP_INDICATOR)["props"]["value"] != internal
    status, data, raw, _ = switch(client, internal, "buurt")
    assert data["response"][ids.MAP_INDICATOR]["value"] != internal
    assert internal not in raw.decode()
    status, data, raw = call(
        client,
        [(ids.MAP_DOWNLOAD, "data")],
        [prop(ids.MAP_DOWNLOAD_BUTTON, "n_clicks", 1)],
        [
            prop(ids.MAP_INDICATOR, "value", internal),
            prop(ids.MAP_LEVEL, "value", "buurt"),
            prop(ids.MAP_LANG, "data", "nl"),
            prop(ids.MAP_PERIOD, "value", None),
            prop(ids.MAP_MEASURE, "value", None),
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
            prop(ids.MAP_LANG, "data", "nl"),
        ],
    )
    assert panel_status == 200
    assert "migratieachtergrond" not in panel_raw.decode()


def test_selection_opens_the_panel(client):
    # a click on the map or on a table row sets the selection in the browser (kaart.js);
    # the panel is the one request it causes
    status, data, raw = call(
        client,
        [(ids.MAP_PANEL, "children")],
        [prop(ids.MAP_SELECTED, "data", "WK016405")],
        [
            prop(ids.MAP_LEVEL, "value", "wijk"),
            prop(ids.MAP_INDICATOR, "value", "misdrijf_geweld"),
            prop(ids.MAP_LANG, "data", "nl"),
        ],
    )
    text = text_of(data).replace("\\u00ad", "").replace("\u00ad", "")  # soft hyphens
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
            prop(ids.MAP_LANG, "data", "nl"),
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
            prop(ids.MAP_LANG, "data", "nl"),
            prop(ids.MAP_PERIOD, "value", None),
            prop(ids.MAP_MEASURE, "value", None),
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


GUARDED_PAGES = (
    ("kaart", {}),
    ("wijk", {"code": "berflo-es"}),
    ("thema", {"slug": "veilige-wijken"}),
    ("themas", {}),
    ("benchmark", {}),
    ("vergelijk", {}),
    ("presentatie_dia", {"weergave": "/benchmark"}),
    ("over_data", {}),
)


@pytest.mark.parametrize("module, params", GUARDED_PAGES)
@pytest.mark.parametrize(
    "lang, title", [("nl", "De gegevens kunnen niet"), ("en", "The data cann")]
)
def test_every_page_with_data_shows_the_store_error(
    client, monkeypatch, module, params, lang, title
):
    """Each page's layout goes through the one guard (shell.with_context): a broken store gives
    the error page in the page's language with the store's own message, not a traceback."""
    import importlib

    from dashboard import data
    from indicators.store import StoreError

    def broken():
        raise StoreError("De datastore kapot.gpkg is beschadigd.")

    monkeypatch.setattr(data, "get_context", broken)
    layout = importlib.import_module(f"dashboard.pages.{module}").layout
    text = json.dumps(layout(taal=lang, **params), cls=plotly.utils.PlotlyJSONEncoder)
    assert title in text
    assert "De datastore kapot.gpkg is beschadigd." in text


def test_period_picker_offers_the_periods_of_the_indicator(client, context):
    content = map_page(client, "?indicator=inwoners&niveau=wijk")
    picker = find(content, ids.MAP_PERIOD)["props"]
    assert [o["value"] for o in picker["options"]] == ["2024", "2021", "2017"]  # 2017: 2 wijken
    assert picker["options"][0]["label"] == "2024 (nieuwste)"
    assert picker["value"] == "2024"
    # an earlier period from the URL: its values, its year in the source line and the URL meta
    content = map_page(client, "?indicator=inwoners&niveau=wijk&periode=2021")
    assert find(content, ids.MAP_PERIOD)["props"]["value"] == "2021"
    view = view_of(content)
    assert view["period"] == "2021" and view["chosenPeriod"] == "2021"
    obs = context.public_obs
    wanted = obs[
        (obs["indicator_id"] == "inwoners") & (obs["level"] == "wijk") & (obs["period"] == "2021")
    ].set_index("area_code")["value"]
    codes = list(context.areas["wijk"]["code"])
    assert view["values"] == [round(wanted[c]) for c in codes]
    assert view["source"].endswith("2021")


def test_unknown_period_in_the_url_falls_back_with_a_notice(client):
    status, content, raw = render_page(client, "/", "?indicator=inwoners&niveau=wijk&periode=1850")
    assert status == 200
    assert "Periode '1850' heeft voor deze indicator geen gegevens" in text_of(content)
    assert find(content, ids.MAP_PERIOD)["props"]["value"] == "2024"


def test_period_switch_and_indicator_switch_resets_it(client):
    content = map_page(client, "?indicator=inwoners&niveau=wijk")
    status, data, raw, _ = switch(client, "inwoners", "wijk", period="2021", changed="period")
    assert status == 200 and len(raw) <= 1024
    response = data["response"]
    view = response[ids.MAP_VIEW]["data"]
    assert view["period"] == "2021" and view["chosenPeriod"] == "2021"
    assert ids.MAP_PERIOD not in response  # the picker already shows the choice
    # another indicator starts at its own latest period, with its own options
    assert find(content, ids.MAP_PERIODS)["props"]["data"] == [["2024", "2021", "2017"], 0]
    status, data, raw, _ = switch(client, "pct_65plus", "wijk", period="2024")
    response = data["response"]
    assert response[ids.MAP_PERIOD]["value"] == "2021"  # pct_65plus has only 2021 per wijk
    assert response[ids.MAP_PERIODS]["data"] == [["2021"], 0]
    assert response[ids.MAP_VIEW]["data"]["chosenPeriod"] is None
    # a period the indicator does not have (a stale picker) falls back to the default
    status, data, raw, _ = switch(client, "inwoners", "wijk", period="1999", changed="period")
    assert data["response"][ids.MAP_PERIOD]["value"] == "2024"


def test_source_line_cites_the_table_of_the_period_shown(client, context):
    sources = context.data.sources.set_index("id")["attribution"]
    for period, source_id in [("2024", "CBS_KWB2024"), ("2021", "CBS_WBK2021")]:
        content = map_page(client, f"?indicator=inwoners&niveau=wijk&periode={period}")
        line = view_of(content)["source"]
        assert line == f"{sources[source_id]}, {period}"
    # wijk values derived from the 2017 buurt figures cite the 2017 table, not the catalogue's
    obs = context.public_obs
    derived = obs[(obs["indicator_id"] == "inwoners") & (obs["period"] == "2017")]
    assert set(derived["source_id"]) == {"CBS_KWB2017"}


def test_classes_keep_a_city_centre_outlier_apart(client):
    # issue 12: with quantile classes 6.0 and 90.0 (Binnenstad-Centrum) shared a class
    status, data, _, _ = switch(client, "misdrijf_geweld", "buurt")
    view = data["response"][ids.MAP_VIEW]["data"]
    classes = {v: view["classes"][i] for i, v in enumerate(view["values"]) if v is not None}
    assert 90 in classes and 6 in classes
    assert classes[90] != classes[6]
    areas = find(map_page(client), ids.MAP_AREAS)["props"]["data"]
    assert "head/tail" in areas["meta"]["misdrijf_geweld"]["method"]
    assert "Fisher-Jenks" in areas["meta"]["misdrijf_diefstal_woning"]["method"]
