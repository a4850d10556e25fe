"""Policy figures as the policy document has them (checked against the seed text)."""

from __future__ import annotations

import json

import pytest

import dashboard.app  # noqa: F401  (pages register after the app exists)
from dashboard import profile
from dashboard.pages import thema as thema_page
from dashboard.presentation import slide_path, slide_spec
from indicators import seed
from indicators.catalogue import CatalogueError

from dashclient import find, render_page


def page_text(client, path, query=""):
    status, content, raw = render_page(client, path, query)
    assert status == 200, path
    return json.dumps(content, ensure_ascii=False)


def kpis_by_id():
    return {k.id: k for t in seed.load_themes() for k in t.kpi}


def test_counts_are_not_percentages(client):
    kpis = kpis_by_id()
    assert kpis["hg-maatregelen"].unit == "count" and kpis["jg-aantal"].unit == "count"
    for kpi in kpis.values():  # every KPI with a baseline has a unit
        assert kpi.baseline is None or kpi.unit or kpi.indicator, kpi.id
    text = page_text(client, "/thema/huiselijk-geweld")
    assert "225 (2016)" in text and "225%" not in text
    text = page_text(client, "/thema/jeugdgroepen-criminaliteit")
    assert "29 (2017)" in text and "29%" not in text


def test_a_baseline_without_unit_is_refused(tmp_path):
    path = tmp_path / "themes.toml"
    text = seed.THEMES_FILE.read_text(encoding="utf-8").replace('unit = "count"\n', "", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match="unit"):
        seed.load_themes(path)


def test_measurement_items_are_not_kpis(context):
    kinds = [k.kind for k in kpis_by_id().values()]
    assert kinds.count("measure") == 10
    listed = {k.id for t in seed.load_themes() for k in profile.theme_kpis(context, t.slug)}
    assert "sw-bijeenkomsten" not in listed and "vw-onveilig" in listed
    assert "Aantal netwerkbijeenkomsten." in profile.theme_measure_items(
        context, "samenwerking-informatiedeling"
    )


def test_theme_2_8_title_and_goals_as_in_the_document():
    theme = {t.number: t for t in seed.load_themes()}["2.8"]
    assert theme.title_nl == "Integrale samenwerking: bevorderen netwerkvorming, informatiedeling"
    assert "Weten van elkaar wat ze doen en over welke informatie ze kunnen beschikken;" in (
        theme.goals
    )
    assert len(theme.goals) == 7


def test_who_of_2_3_and_2_5():
    themes = {t.number: t for t in seed.load_themes()}
    assert "maatschappelijke instellingen" in themes["2.3"].who
    assert "Stadstoezicht" in themes["2.5"].who


def test_binnenstad_says_its_points_come_from_theme_2_2(client):
    text = page_text(client, "/wijk/binnenstad")
    assert "noemt voor de Binnenstad geen eigen aandachtspunten" in text
    assert "geen eigen aandachtspunten" not in page_text(client, "/wijk/berflo-es")


def test_budget_2017_on_the_themes_page(client):
    text = page_text(client, "/thema")
    for amount in ("€ 180.000", "€ 203.400", "€ 23.400", "€ 28.000", "€ 10.000"):
        assert amount in text
    assert "Budget 2017" in page_text(client, "/thema", "?taal=en")


def test_policy_texts_are_said_to_be_summarised(client):
    text = page_text(client, "/thema/binnenstad")
    assert "samengevat" in text and "letterlijk overgenomen uit" not in text


def test_recommendation_links_are_our_reading(client):
    text = page_text(client, "/benchmark")
    assert "lezing van dit project" in text


def test_housing_stock_published_by_cbs_is_not_rounded(context):
    obs = context.public_obs
    raw = context.data.observations
    key = (raw["indicator_id"] == "woningvoorraad") & (raw["level"] == "wijk")
    shown = obs[(obs["indicator_id"] == "woningvoorraad") & (obs["level"] == "wijk")]
    assert set(raw.loc[key, "status"]) == {"published"}
    assert sorted(shown["value"]) == sorted(raw.loc[key, "value"])


def test_kpi_unit_never_defaults_to_percent(context):
    kpi = profile.KpiRow("x", "x", "x", None, None, None, None, None, unit=None)
    assert thema_page.kpi_unit(kpi, context.data.indicators) == ("count", 0)


@pytest.mark.parametrize(
    "path,kind",
    [
        ("/?indicator=misdrijf_geweld&niveau=buurt", "map"),
        ("/benchmark?kern=veiligheid", "benchmark"),
        ("/vergelijk?gebieden=WK016405,WK016401", "compare"),
        ("/wijk/berflo-es", "wijk"),
        ("/thema", "themes"),
        ("/data", None),
        ("https://evil.example/", None),
    ],
)
def test_slide_spec(path, kind):
    spec = slide_spec(path)
    assert (spec or {}).get("kind") == kind
    assert slide_path(path).startswith("/presentatie/dia?") == (kind is not None)


@pytest.mark.parametrize(
    "view",
    [
        "/?indicator=misdrijf_geweld&niveau=buurt",
        "/?indicator=bestaat-niet&niveau=raar",
        "/benchmark?kern=veiligheid&thema=veiligheid.thema",
        "/vergelijk?gebieden=WK016405,BU01640000&indicatoren=bevolkingsdichtheid",
        "/wijk/berflo-es",
        "/wijk/bestaat-niet",
        "/thema",
        "/data",
    ],
)
def test_every_slide_renders(client, view):
    from urllib.parse import quote

    for lang in ("", "&taal=en"):
        status, content, raw = render_page(
            client, "/presentatie/dia", f"?weergave={quote(view)}{lang}"
        )
        assert status == 200, view
        # the body (a view without a slide shows a page, whose header has the phone menu button)
        text = json.dumps(find(content, "main") or content, ensure_ascii=False)
        for control in ("Select", "Input", "Checklist", "RadioItems", "Button", "Dropdown"):
            assert f'"type": "{control}"' not in text, (view, control)
