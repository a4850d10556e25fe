"""OGC API - Features at /ogc (issue 20): documents, paging, filters, CRS, bad parameters,
suppression as on the public pages, and GDAL's OGC API driver (what QGIS uses) against a
real gunicorn server."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import pytest
import shapely
from appserver import serve, stop

from dashboard import ogc
from dashboard.downloads import public_figures
from indicators.privacy import cbs_sources, public_observations

ROOT = Path(__file__).resolve().parents[1]
ITEMS = "/ogc/collections/{}/items"


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.data[:300])
    return json.loads(response.data)


def test_landing_conformance_and_collections(client):
    landing = get_json(client, "/ogc?f=json")
    rels = {link["rel"] for link in landing["links"]}
    assert {"self", "alternate", "service-desc", "conformance", "data"} <= rels
    # links come from the configured public URL (default http://127.0.0.1:8050), never from the
    # request's Host ("localhost" in the test client)
    assert all(
        link["href"].startswith("http://127.0.0.1:8050/ogc") for link in landing["links"][:2]
    )
    conformance = get_json(client, "/ogc/conformance?f=json")["conformsTo"]
    assert ogc.CONFORMANCE == conformance
    collections = get_json(client, "/ogc/collections?f=json")["collections"]
    assert [c["id"] for c in collections] == ["wijken", "buurten", "cijfers"]
    wijken = get_json(client, "/ogc/collections/wijken?f=json")
    assert wijken["crs"] == [ogc.CRS84, ogc.RD_NEW] and wijken["storageCrs"] == ogc.RD_NEW
    minx, miny, maxx, maxy = wijken["extent"]["spatial"]["bbox"][0]
    assert 6.6 < minx < maxx < 6.9 and 52.1 < miny < maxy < 52.4  # Hengelo


def test_links_use_the_configured_public_url(client, monkeypatch):
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", "https://data.example.nl/")
    page = get_json(client, ITEMS.format("wijken") + "?limit=3")
    hrefs = [link["href"] for link in page["links"]]
    assert all(h.startswith("https://data.example.nl/ogc/") for h in hrefs), hrefs


def test_openapi_document_describes_every_path(client):
    response = client.get("/ogc/openapi")
    assert response.headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
    doc = json.loads(response.data)
    assert doc["openapi"].startswith("3.0")
    for col in ("wijken", "buurten", "cijfers"):
        assert f"/collections/{col}/items" in doc["paths"]
        assert f"/collections/{col}/items/{{featureId}}" in doc["paths"]
    names = {p["name"] for p in doc["paths"]["/collections/cijfers/items"]["get"]["parameters"]}
    assert {"limit", "offset", "area", "indicator", "period"} <= names


def test_wijken_have_the_latest_public_figure_of_each_indicator(client, context):
    page = get_json(client, ITEMS.format("wijken") + "?limit=100")
    assert page["numberMatched"] == 10 and page["numberReturned"] == 10
    assert {f["geometry"]["type"] for f in page["features"]} <= {"Polygon", "MultiPolygon"}
    obs = context.public_obs[context.public_obs["level"] == "wijk"]
    for indicator, rows in obs.groupby("indicator_id"):
        latest = rows[rows["period"] == rows["period"].max()].set_index("area_code")
        for feature in page["features"]:
            props = feature["properties"]
            if feature["id"] not in latest.index:
                assert props.get(indicator) is None
                continue
            expected = latest.loc[feature["id"], "value"]
            assert props[f"{indicator}_period"] == rows["period"].max()
            source = context.data.sources.loc[latest.loc[feature["id"], "source_id"]]
            assert props[f"{indicator}_licence"] == source["licence"]
            assert props[f"{indicator}_source"] == source["attribution"].removeprefix("Bron: ")
            if pd.isna(expected):
                assert props[indicator] is None
            else:
                assert props[indicator] == pytest.approx(float(expected))


def test_suppression_is_the_public_pages_own(client, context):
    """A survey figure with too few respondents and a buurt count: the API shows what the
    one public-data function makes of them, never the stored value."""
    store_obs = context.data.observations
    public = public_observations(
        store_obs, context.data.indicators, cbs_sources(context.data.sources)
    )
    figures = get_json(client, ITEMS.format("cijfers") + "?limit=1000")
    assert figures["numberMatched"] == len(public)
    served = {f["id"]: f["properties"]["value"] for f in figures["features"]}
    page2 = get_json(client, ITEMS.format("cijfers") + "?limit=1000&offset=1000")
    served |= {f["id"]: f["properties"]["value"] for f in page2["features"]}
    for row in public.itertuples():
        value = served[f"{row.area_code}.{row.indicator_id}.{row.period}"]
        assert (value is None) if pd.isna(row.value) else value == pytest.approx(row.value)
    internal = set(context.data.indicators.index[~context.data.indicators["public"]])
    assert internal and not internal & {k.split(".")[1] for k in served}


def test_cijfers_are_the_rows_of_the_csv_download(client, context):
    csv_rows = public_figures(context)
    page = get_json(client, ITEMS.format("cijfers") + "?limit=5&offset=10")
    for feature, (_, row) in zip(page["features"], csv_rows.iloc[10:15].iterrows(), strict=True):
        props = feature["properties"]
        assert props["area"] == row["area_code"] and props["indicator"] == row["indicator_id"]
        assert props["period"] == row["period"] and props["source"] == row["source"]
        assert props["licence"] == row["licence"] and feature["geometry"] is None


def test_paging_links_and_counts(client):
    url = ITEMS.format("buurten") + "?limit=25&offset=25"
    page = get_json(client, url)
    assert page["numberMatched"] == 62 and page["numberReturned"] == 25
    links = {link["rel"]: link["href"] for link in page["links"]}
    assert links["next"].endswith("limit=25&offset=50") and links["prev"].endswith("limit=25")
    last = get_json(client, ITEMS.format("buurten") + "?limit=25&offset=50")
    assert last["numberReturned"] == 12 and "next" not in {x["rel"] for x in last["links"]}
    assert get_json(client, ITEMS.format("buurten") + "?limit=99999")["numberReturned"] == 62


def test_bbox_selects_the_areas_it_touches(client, context):
    bbox = (6.78, 52.25, 6.80, 52.27)
    page = get_json(client, ITEMS.format("buurten") + "?bbox=" + ",".join(map(str, bbox)))
    expected = context.data.buurten.to_crs(4326)
    expected = set(expected[expected.intersects(shapely.box(*bbox))]["buurtcode"])
    assert {f["id"] for f in page["features"]} == expected and 0 < len(expected) < 62
    rd = get_json(
        client,
        ITEMS.format("buurten") + "?bbox=250000,475000,252000,477000&bbox-crs=" + ogc.RD_NEW,
    )
    assert 0 < rd["numberMatched"] < 62


def test_rd_new_on_request(client, context):
    url = ITEMS.format("wijken") + "/WK016405?crs=" + ogc.RD_NEW
    response = client.get(url)
    assert response.headers["Content-Crs"] == f"<{ogc.RD_NEW}>"
    served = shapely.geometry.shape(json.loads(response.data)["geometry"])
    stored = context.data.wijken.set_index("wijkcode").geometry["WK016405"]
    assert abs(served.area - stored.area) / stored.area < 1e-6  # metres, full detail
    wgs = client.get(ITEMS.format("wijken") + "/WK016405")
    assert wgs.headers["Content-Crs"] == f"<{ogc.CRS84}>"
    lon, lat = json.loads(wgs.data)["geometry"]["coordinates"][0][0][0]
    assert 6.6 < lon < 6.9 and 52.1 < lat < 52.4


def test_filters_on_indicator_period_and_area(client, context):
    obs = context.public_obs
    one = obs[obs["level"] == "buurt"].iloc[0]
    url = (
        ITEMS.format("cijfers")
        + f"?indicator={one.indicator_id}&period={one.period}&area={one.area_code}"
    )
    page = get_json(client, url)
    assert page["numberMatched"] == 1
    assert page["features"][0]["properties"]["indicator"] == one.indicator_id
    wijken = get_json(client, ITEMS.format("wijken") + f"?indicator={one.indicator_id}")
    keys = set(wijken["features"][0]["properties"])
    assert keys <= {"code", "name"} | {
        one.indicator_id + s for s in ("", "_period", "_source", "_licence")
    }
    none = get_json(client, ITEMS.format("cijfers") + "?period=1990")
    assert none["numberMatched"] == 0 and none["features"] == []


def _periods(page: dict) -> set[str]:
    return {str(f["properties"]["period"]) for f in page["features"]}


@pytest.mark.parametrize(
    ("value", "wanted"),
    [
        ("2017-01-01T00:00:00Z", {"2017"}),
        ("2017-06-15", {"2017"}),
        ("2017-01-01/2018-12-31", {"2017"}),
        ("2011-01-01T00:00:00Z/2021-12-31T12:00:00+01:00", {"2011", "2015", "2017", "2021"}),
        ("../2017-12-31", {"2011", "2015", "2017"}),
        ("/2015-06-01", {"2011", "2015"}),
        ("2022-01-01/..", {"2022", "2023", "2024"}),
        ("2016-12-31T23:30:00Z", {"2017"}),  # half past midnight in Dutch time
        ("2016-12-31T22:30:00Z", set()),  # still 2016 in Dutch time: no figures
    ],
)
def test_datetime_selects_the_figures_of_the_periods_it_meets(client, context, value, wanted):
    # the real figures are of 2011, 2015, 2017, 2021, 2022, 2023 and 2024
    assert set(context.public_obs["period"].astype(str)) >= wanted
    page = get_json(client, ITEMS.format("cijfers") + f"?datetime={quote(value)}&limit=1000")
    periods = context.public_obs["period"].astype(str)
    assert page["numberMatched"] == int(periods.isin(wanted).sum())
    assert _periods(page) == wanted


def test_the_paging_links_keep_the_datetime(client):
    page = get_json(client, ITEMS.format("cijfers") + "?datetime=2017-06-15&limit=1")
    (after,) = [x["href"] for x in page["links"] if x["rel"] == "next"]
    assert "datetime=2017-06-15" in after


@pytest.mark.parametrize(
    ("periods", "start", "end", "met"),
    [
        (["2024-01", "2024-02", "2024-12"], "2024-02-01", "2024-02-29", {"2024-02"}),
        (["2024-12", "2025-01"], "2024-12-31T23:00:00Z", None, {"2025-01"}),
        (["2023", "2024-03"], "2024-03-31T22:00:00Z", None, set()),  # April, summer time
        (["2023", "2024-03"], "2024-03-31T21:59:59Z", None, {"2024-03"}),
        (["2023", "2024-03"], "2024-03-31T22:00:00.5Z", None, set()),
    ],
)
def test_periods_meeting_a_time_in_dutch_calendar_months(periods, start, end, met):
    value = start if end is None else f"{start}/{end}"
    assert ogc.periods_meeting(periods, ogc.datetime_param(value, "en")) == met


def test_datetime_filters_the_real_figures(client, context):
    obs = context.public_obs
    page = get_json(client, ITEMS.format("cijfers") + "?datetime=2017-01-01/2017-12-31&limit=1000")
    assert page["numberMatched"] == int((obs["period"].astype(str) == "2017").sum()) > 0
    assert _periods(page) == {"2017"}
    later = get_json(client, ITEMS.format("cijfers") + "?datetime=2018-01-01T00:00:00Z/..")
    assert "2017" not in _periods(later)


def test_datetime_is_accepted_on_the_areas_which_have_no_time(client):
    page = get_json(client, ITEMS.format("wijken") + "?datetime=2017-01-01T00:00:00Z")
    assert page["numberMatched"] == 10


@pytest.mark.parametrize(
    "value",
    [
        "2017",
        "x",
        "../..",
        "/",
        "2018-01-01/2017-01-01",
        "2017-13-01",
        "2017-02-30",
        "2017-01-01T25:00:00Z",
        "2017-01-01T00:00:00+99:00",
        "2017-01-01/2017-02-01/2017-03-01",
    ],
)
def test_a_malformed_datetime_is_a_400_naming_it(client, value):
    for col in ("cijfers", "wijken"):
        doc = get_json(client, ITEMS.format(col) + f"?datetime={value}", 400)
        assert doc["code"] == "InvalidParameterValue" and "datetime" in doc["description"]
        assert "2019-01-01/.." in doc["description"]  # says what a datetime looks like


def test_openapi_and_the_collection_advertise_datetime(client, context):
    doc = get_json(client, "/ogc/openapi")
    for col in ("wijken", "buurten", "cijfers"):
        params = doc["paths"][f"/collections/{col}/items"]["get"]["parameters"]
        assert "datetime" in {p["name"] for p in params}
    interval = get_json(client, "/ogc/collections/cijfers")["extent"]["temporal"]["interval"]
    periods = sorted(context.public_obs["period"].astype(str))
    assert interval[0][0].startswith(str(int(periods[0][:4]) - 1) + "-12-31T23:00:00Z")


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        (ITEMS.format("wijken") + "?limit=-1", 400, "limit"),
        (ITEMS.format("wijken") + "?limit=abc", 400, "limit"),
        (ITEMS.format("wijken") + "?limit=0", 400, "limit"),
        (ITEMS.format("wijken") + "?offset=x", 400, "offset"),
        (ITEMS.format("wijken") + "?bbox=1,2,3", 400, "bbox"),
        (ITEMS.format("wijken") + "?bbox=a,b,c,d", 400, "bbox"),
        (ITEMS.format("wijken") + "?bbox=7,52,6,53", 400, "bbox"),
        (ITEMS.format("wijken") + "?bbox=0,0,1,1e999", 400, "bbox"),
        (ITEMS.format("wijken") + "?crs=EPSG:4326", 400, "crs"),
        (ITEMS.format("wijken") + "?bbox-crs=x&bbox=1,2,3,4", 400, "bbox-crs"),
        (ITEMS.format("wijken") + "?indicator=nope", 400, "indicator"),
        (ITEMS.format("wijken") + "?period=20x1", 400, "period"),
        (ITEMS.format("wijken") + "?colour=red", 400, "colour"),
        (ITEMS.format("wijken") + "?limit=1&limit=2", 400, "limit"),
        (ITEMS.format("cijfers") + "?bbox=1,2,3,4", 400, "bbox"),
        (ITEMS.format("cijfers") + "?area=%3Cscript%3E", 400, "area"),
        (ITEMS.format("cijfers") + "?level=mars", 400, "level"),
        (ITEMS.format("nope"), 404, "nope"),
        ("/ogc/collections/nope", 404, "nope"),
        (ITEMS.format("wijken") + "/WK999999", 404, "WK999999"),
        ("/ogc?f=xml", 400, "xml"),
        ("/ogc/collections?f=csv", 400, "csv"),
        ("/ogc?taal=fr", 400, "taal"),
    ],
)
def test_bad_parameters_are_named_in_a_400_or_404(client, url, status, words):
    doc = get_json(client, url, status)
    assert words in doc["description"] and doc["code"]


def test_non_public_indicators_are_refused_like_unknown_ones(client, context):
    internal = context.data.indicators.index[~context.data.indicators["public"]][0]
    doc = get_json(client, ITEMS.format("cijfers") + f"?indicator={internal}", 400)
    assert "Onbekende indicator" in doc["description"]


def test_html_is_dutch_with_english_and_accessible(client, context):
    page = client.get(ITEMS.format("wijken") + "?f=html&limit=5")
    text = page.data.decode()
    assert page.mimetype == "text/html" and '<html lang="nl">' in text
    assert "<caption>Wijken</caption>" in text and 'scope="col"' in text and "volgende" in text
    assert 'href="#main"' in text and "CC BY 4.0" in text
    first = context.areas["wijk"]["name"].iloc[0]
    assert first in text
    english = client.get("/ogc/collections?f=html&taal=en").data.decode()
    assert '<html lang="en">' in english and "Neighbourhoods" in english
    # the English page carries the English product name, as the app's English header does
    assert "· Neighbourhood Safety Hengelo</title>" in english
    assert ">Neighbourhood Safety Hengelo</a>" in english and "Wijkveiligheid" not in english
    assert "· Wijkveiligheid Hengelo</title>" in text
    browser = client.get("/ogc/collections", headers={"Accept": "text/html"})
    assert browser.mimetype == "text/html"


def test_geometry_is_rounded_to_about_a_centimetre(context):
    geo = ogc.area_geometry(context, "buurt", ogc.CRS84)
    coords = shapely.get_coordinates(geo.values)
    assert np.allclose(coords, np.round(coords, 7))


# ---------------------------------------------------------------------- GDAL against gunicorn
@pytest.fixture(scope="module")
def ogc_server(store_path, tmp_path_factory):
    if not shutil.which("ogrinfo"):
        pytest.fail("ogrinfo not found; .ci/run installs Debian's gdal-bin")
    log_path = tmp_path_factory.mktemp("ogc") / "gunicorn.log"
    url, proc, log = serve(store_path, log_path)
    yield url
    stop(proc, log)


def ogrinfo(*args: str) -> str:
    done = subprocess.run(
        ["ogrinfo", "-ro", *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_gdal_lists_the_layers_and_counts_the_features(ogc_server):
    source = f"OAPIF:{ogc_server}/ogc"
    listing = ogrinfo(source)
    assert "wijken (title: Wijken) (Multi Polygon)" in listing
    assert "buurten (title: Buurten) (Multi Polygon)" in listing and "cijfers" in listing
    assert "Feature Count: 10" in ogrinfo(source, "wijken", "-so")
    buurten = ogrinfo(source, "buurten", "-so")
    assert "Feature Count: 62" in buurten and "name: String" in buurten
    assert 'EPSG",4326' in buurten


def test_gdal_reads_the_attributes_of_one_buurt(ogc_server, context):
    out = ogrinfo(f"OAPIF:{ogc_server}/ogc", "buurten", "-where", "code='BU01640000'", "-q")
    name = context.areas["buurt"].set_index("code").loc["BU01640000", "name"]
    assert f"name (String) = {name}" in out and "_licence (String) = CC BY 4.0" in out


def test_corpus_urls_of_the_open_interfaces_are_refused_with_a_message(client):
    """The bad-input corpus (tests/corpus/web.json) entries for /ogc and /data/json|csv: each
    a 400 or 404 with a message (tests/test_corpus.py checks that nothing there is a 500)."""
    corpus = json.loads((ROOT / "tests" / "corpus" / "web.json").read_text(encoding="utf-8"))
    urls = [u for u in corpus["http_urls"] if u.startswith(("/ogc", "/data/json", "/data/csv"))]
    assert len(urls) >= 15
    for url in urls:
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert len(response.data) > 20 and b"Traceback" not in response.data, url


def test_the_same_features_from_either_store_backend(client, store, base_store):
    """The API reads the loaded public data, whatever the store: the GeoPackage or PostGIS
    give the same wijken with the same figures."""
    from dashboard import data

    embedded = get_json(client, ITEMS.format("wijken") + "?limit=10")
    data.use_store(store)
    try:
        served = get_json(client, ITEMS.format("wijken") + "?limit=10")
        figures = get_json(client, ITEMS.format("cijfers") + "?limit=1")
    finally:
        data.use_store(base_store)
    assert served["numberMatched"] == 10 and figures["numberMatched"] > 0
    for mine, theirs in zip(served["features"], embedded["features"], strict=True):
        assert mine["id"] == theirs["id"]
        for key, value in theirs["properties"].items():
            if isinstance(value, float):
                assert mine["properties"][key] == pytest.approx(value), key
            else:
                assert mine["properties"][key] == value, key
        a = shapely.geometry.shape(mine["geometry"])
        b = shapely.geometry.shape(theirs["geometry"])
        assert a.symmetric_difference(b).area < 1e-9
