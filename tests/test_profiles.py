"""Wijk profiles and theme panels: pure builders on the real data, pages, PDF, KPI status."""

import io
import json
from xml.etree import ElementTree

import pandas as pd
import pypdf
import pytest

from dashboard import profile as prof
from indicators.kpi import kpi_status

from dashclient import call, prop, render_page

SVG = "{http://www.w3.org/2000/svg}"

WIJKEN = [
    "WK016400",
    "WK016401",
    "WK016402",
    "WK016403",
    "WK016404",
    "WK016405",
    "WK016406",
    "WK016407",
    "WK016408",
    "WK016409",
]
THEMES = [
    "veilige-wijken",
    "binnenstad",
    "huiselijk-geweld",
    "jeugd-middelengebruik",
    "jeugdgroepen-criminaliteit",
    "radicalisering",
    "ondermijning",
    "samenwerking-informatiedeling",
]


@pytest.mark.parametrize(
    "name,slug",
    [
        ("Berflo Es", "berflo-es"),
        ("Hengelose Es", "hengelose-es"),
        ("Ëxtra  Spatie's", "extra-spatie-s"),
    ],
)
def test_slugify(name, slug):
    assert prof.slugify(name) == slug


@pytest.mark.parametrize(
    "key,code",
    [
        ("WK016405", "WK016405"),
        ("wk016405", "WK016405"),
        ("berflo-es", "WK016405"),
        ("Berflo Es", "WK016405"),
        ("BERFLO-ES", "WK016405"),
        ("noord", "WK016402"),
        ("WK999999", None),
        ("", None),
        (None, None),
        ("../etc/passwd", None),
    ],
)
def test_resolve_wijk(context, key, code):
    assert prof.resolve_wijk(context, key) == code


@pytest.mark.parametrize("code", WIJKEN)
def test_every_wijk_profile_equals_the_store(context, code):
    profile = prof.wijk_profile(context, code)
    obs = context.public_obs
    assert len(profile.figures) >= 10
    for row in profile.figures.itertuples():
        stored = obs[
            (obs["area_code"] == code)
            & (obs["indicator_id"] == row.indicator_id)
            & (obs["period"] == row.period)
        ]["value"].iloc[0]
        assert row.value == stored
    assert set(profile.buurten["code"]) == set(
        context.areas["buurt"].loc[context.areas["buurt"]["wijkcode"] == code, "code"]
    )
    assert "pct_niet_westerse_migratieachtergrond" not in set(profile.figures["indicator_id"])


def test_focus_wijk_has_aandachtspunten_themes_and_kpis(context):
    profile = prof.wijk_profile(context, "WK016405")
    assert profile.focus and len(profile.focus["aandachtspunten"]) == 3
    assert "veilige-wijken" in set(profile.themes["slug"])
    assert {k.id for k in profile.kpis} >= {"vw-onveilig", "vw-actief", "vw-overlast"}
    other = prof.wijk_profile(context, "WK016407")  # Woolde: not a focus wijk
    assert other.focus is None and other.kpis == []


def test_rank_and_judgement_follow_polarity(context):
    profile = prof.wijk_profile(context, "WK016400").figures.set_index("indicator_id")
    violence = profile.loc["misdrijf_geweld"]
    assert violence["judgement"] == "worse" and violence["rank"] == 1  # most concern
    assert pd.isna(profile.loc["inwoners", "difference"])  # counts are not compared


def test_trends_only_with_more_than_one_period(context):
    trends = prof.trends(context.public_obs, "WK016405")
    assert "inwoners" in trends
    assert list(trends["inwoners"]["period"]) == ["2021", "2024"]
    for series in trends.values():
        assert series["period"].nunique() >= 2


def test_buurt_table_applies_suppression(context):
    profile = prof.wijk_profile(context, "WK016405")
    table = profile.buurt_table.set_index("indicator_id")
    counts = table.loc["inwoners"].drop("period").dropna()
    assert (counts % 5 == 0).all()


@pytest.mark.parametrize("code", WIJKEN)
def test_every_wijk_page_renders(client, code):
    status, content, raw = render_page(client, f"/wijk/{code}")
    assert status == 200 and "Wijkprofiel" in raw.decode()


def test_wijk_page_by_name_and_english(client):
    status, content, raw = render_page(client, "/wijk/berflo-es", "?taal=en")
    text = json.dumps(content, ensure_ascii=False)
    assert "District profile Berflo Es" in text and "Aandachtspunten" not in text


@pytest.mark.parametrize("key", ["WK999999", "nergens", "%3Cscript%3E"])
def test_unknown_wijk_lists_the_valid_ones(client, key):
    status, content, raw = render_page(client, f"/wijk/{key}")
    text = json.dumps(content, ensure_ascii=False)
    assert status == 200 and "bestaat niet" in text
    assert text.count("/wijk/") >= 10


def test_wijk_page_bad_indicator_falls_back(client):
    status, content, raw = render_page(client, "/wijk/noord", "?indicator=bogus")
    assert status == 200 and "bestaat niet" in raw.decode()


def test_wijk_indicator_callback(client):
    outputs = [
        ("wijk-map-svg", "data"),
        ("wijk-legend", "children"),
        ("wijk-map-caption", "children"),
    ]
    status, data, raw = call(
        client,
        outputs,
        [prop("wijk-indicator", "value", "pct_65plus")],
        [prop("wijk-code", "data", {"code": "WK016405", "lang": "nl"})],
    )
    assert status == 200
    svg = ElementTree.fromstring(data["response"]["wijk-map-svg"]["data"])
    titles = [el.text for el in svg.iter(SVG + "title")]
    assert len(titles) == 7 and all("%" in t or "geen gegevens" in t for t in titles)
    status, data, raw = call(
        client,
        outputs,
        [prop("wijk-indicator", "value", "pct_65plus")],
        [prop("wijk-code", "data", {"code": "XX", "lang": "nl"})],
    )
    assert status == 204


@pytest.mark.parametrize("code,name", [("WK016405", "Berflo Es"), ("WK016409", "Buitengebied")])
def test_pdf_is_produced_with_name_date_and_sources(client, code, name):
    response = client.get(f"/wijk/{code}/profiel.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    text = " ".join(p.extract_text() for p in reader.pages)
    assert f"Wijkprofiel {name}" in text
    assert "Bronnen" in text and "CBS" in text and "CC BY 4.0" in text
    assert "Profiel gemaakt op" in text


def test_pdf_english_and_unknown(client):
    response = client.get("/wijk/noord/profiel.pdf?taal=en")
    text = pypdf.PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "District profile Noord" in text and "Sources" in text
    assert client.get("/wijk/nope/profiel.pdf").status_code == 404


@pytest.mark.parametrize("slug", THEMES)
def test_every_theme_page_renders(client, slug):
    status, content, raw = render_page(client, f"/thema/{slug}")
    text = json.dumps(content, ensure_ascii=False)
    assert status == 200 and "Hoe gaan we dat meten?" in text


def test_theme_page_kpis_with_baseline_status_and_map_link(client):
    status, content, raw = render_page(client, "/thema/veilige-wijken")
    text = json.dumps(content, ensure_ascii=False)
    assert "20% (2015)" in text and "29% (2015)" in text and "19% (2011)" in text
    assert "nog geen nieuwe meting" in text
    assert "indicator=vm_actief_buurt" in text  # KPI with data at wijk level links to the map


def test_unknown_theme_lists_the_eight(client):
    status, content, raw = render_page(client, "/thema/onbekend")
    text = json.dumps(content, ensure_ascii=False)
    assert "bestaat niet" in text
    assert sum(f"/thema/{slug}" in text for slug in THEMES) == 8


def test_theme_overview_shows_status_at_a_glance(client):
    status, content, raw = render_page(client, "/thema")
    text = json.dumps(content, ensure_ascii=False)
    assert text.count("KPI's:") == 8 and text.count("Hoge urgentie") == 3


@pytest.mark.parametrize(
    "values,direction,expected",
    [
        ({"2015": 20.0, "2019": 18.0}, "lower_or_equal", "on_track"),
        ({"2015": 20.0, "2019": 22.0}, "lower_or_equal", "off_track"),
        ({"2011": 19.0, "2019": 21.0}, "higher_or_equal", "on_track"),
        ({"2015": 20.0}, "lower_or_equal", "no_data"),
        ({"2013": 25.0}, "lower_or_equal", "no_data"),  # only before the baseline
    ],
)
def test_kpi_status(values, direction, expected):
    base_period = min(values)
    obs = pd.DataFrame(
        {
            "area_code": "GM0164",
            "indicator_id": "x",
            "period": list(values),
            "value": list(values.values()),
        }
    )
    kpi = {
        "indicator": "x",
        "baseline": values[base_period],
        "baseline_period": base_period,
        "direction": direction,
    }
    assert kpi_status(kpi, obs).status == expected


def test_kpi_without_indicator_is_not_measurable():
    obs = pd.DataFrame(columns=["area_code", "indicator_id", "period", "value"])
    assert kpi_status({"text": "Takenmatrix"}, obs).status == "not_measurable"


def test_fit_zoom_grows_for_smaller_areas():
    assert prof.fit_zoom((6.7, 52.2, 6.9, 52.35)) < prof.fit_zoom((6.79, 52.26, 6.80, 52.27))
