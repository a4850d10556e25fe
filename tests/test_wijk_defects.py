"""Defects of the wijk page, its PDF and the KPI status found in use (issue 18, part B)."""

from __future__ import annotations

import io
import json
from datetime import date

import pypdf
import pytest

from dashboard import profile as prof

from dashclient import render_page


def texts(node) -> str:
    return json.dumps(node, ensure_ascii=False)


def find_all(node, pred, found=None):
    """Every component (rendered JSON) for which ``pred(props)`` holds."""
    found = [] if found is None else found
    if isinstance(node, dict):
        if "props" in node and pred(node["props"]):
            found.append(node)
        for value in (node.get("props") or node).values():
            find_all(value, pred, found)
    elif isinstance(node, list):
        for value in node:
            find_all(value, pred, found)
    return found


# --- a name of several areas ---------------------------------------------------------------


def test_name_of_two_buurten_offers_both_with_their_wijk(client):
    response = client.get("/wijk/tuindorp")
    assert response.status_code == 200
    assert "tuindorp" in response.get_data(as_text=True).split("<title>")[1].lower()
    status, content, _ = render_page(client, "/wijk/tuindorp")
    text = texts(content)
    assert "Meer gebieden passen bij 'Tuindorp'" in text  # as the data writes it
    assert "Tuindorp 't Lansink" in text and "Tuindorp-Zuid" in text
    assert text.count("buurt in wijk Wilderinkshoek") == 2
    assert "/wijk/wilderinkshoek?buurt=BU01640601" in text
    assert "/wijk/wilderinkshoek?buurt=BU01640602" in text


def test_name_choice_in_english_and_unknown_stays_not_found(client):
    _, content, _ = render_page(client, "/wijk/tuindorp", "?taal=en")
    text = texts(content)
    assert "Several areas match" in text and "neighbourhood in district Wilderinkshoek" in text
    assert "taal=en" in text
    assert client.get("/wijk/nergens").status_code == 404
    assert client.get("/wijk/es").status_code == 404  # too short to offer anything


# --- KPI status: an area against its own baseline -------------------------------------------


def kpi(context, theme, area, kpi_id):
    return next(k for k in prof.theme_kpis(context, theme, area=area) if k.id == kpi_id)


def test_wijk_with_own_figure_is_judged_on_its_own_baseline(context):
    hasseler_es = kpi(context, "veilige-wijken", "WK016403", "vw-actief")
    assert hasseler_es.scope == "area"
    assert hasseler_es.status.baseline == 13.0  # its own 2011 figure, not Hengelo's 19%
    assert hasseler_es.status.baseline_period == "2011"


def test_wijk_figure_without_baseline_has_no_status():
    import pandas as pd

    from indicators.kpi import area_kpi_status

    obs = pd.DataFrame(
        {
            "area_code": ["WK1", "GM0164", "GM0164"],
            "indicator_id": ["x"] * 3,
            "period": ["2019", "2015", "2019"],
            "value": [30.0, 20.0, 18.0],
        }
    )
    rule = {"indicator": "x", "baseline": 20.0, "baseline_period": "2015"}
    status = area_kpi_status(rule | {"direction": "lower_or_equal"}, obs, "WK1")
    assert status.status == "no_area_baseline" and status.baseline is None


def test_no_area_baseline_is_said_in_words():
    from dashboard.components import status_badge

    assert "geen nulmeting voor deze wijk" in str(status_badge("no_area_baseline", "nl"))
    assert "no baseline for this district" in str(status_badge("no_area_baseline", "en"))


def test_per_wijk_figures_shown_instead_of_city_only(client):
    _, content, _ = render_page(client, "/wijk/berflo-es")
    text = texts(content)
    assert (
        "per wijk gemeten, niet voor Berflo Es (wel: Buitengebied 32%, Hasseler Es 13% (2011))"
        in text
    )
    line = next(
        s
        for s in find_all(content, lambda p: "kpi-scope" in str(p.get("className")))
        if "per wijk" in texts(s)
    )
    assert "alleen voor heel" not in texts(line)


def test_binnenstad_kpis_are_about_the_binnenstad(client, context):
    rows = prof.theme_kpis(context, "binnenstad", area="WK016400")
    assert {k.scope for k in rows} == {"unmeasured"}
    _, content, _ = render_page(client, "/wijk/binnenstad")
    items = [
        texts(li)
        for li in find_all(content, lambda p: "Het aantal incidenten" in texts(p.get("children")))
        if li["type"] == "Li"
    ]
    assert items and all("alleen voor heel" not in s for s in items)
    assert all("status van Binnenstad" in s for s in items)


def test_dutch_kpis_and_aandachtspunten_marked_on_english_page(client):
    _, content, _ = render_page(client, "/wijk/berflo-es", "?taal=en")
    dutch = texts(find_all(content, lambda p: p.get("lang") == "nl"))
    assert "Het percentage 'voelt zich wel eens onveilig in eigen buurt'" in dutch
    _, focus, _ = render_page(client, "/wijk/binnenstad", "?taal=en")
    lists = find_all(focus, lambda p: p.get("lang") == "nl")
    assert any("Het aantal incidenten" in texts(n) for n in lists)
    _, nl, _ = render_page(client, "/wijk/berflo-es")
    assert not find_all(nl, lambda p: p.get("lang") == "nl" and "kpi" not in str(p))


# --- the PDF ---------------------------------------------------------------------------------


def pdf_reader(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return pypdf.PdfReader(io.BytesIO(response.data))


def pdf_text(reader) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_pdf_kpi_labels_equal_the_web_page(client, context):
    from dashboard.kpitext import kpi_scope_text, kpi_status_text

    text = pdf_text(pdf_reader(client, "/wijk/berflo-es/profiel.pdf"))
    assert "status van Hengelo" in text
    for row in prof.wijk_profile(context, "WK016405").kpis:
        words = f"{kpi_status_text(row, 'nl')} ({kpi_scope_text(row, 'Berflo Es', 'nl')})"
        assert " ".join(words.split())[:60] in text


def test_binnenstad_pdf_says_where_its_points_come_from(client):
    text = pdf_text(pdf_reader(client, "/wijk/binnenstad/profiel.pdf"))
    assert "thema 2.2 Binnenstad" in text and "geen eigen aandachtspunten" in text


def test_pdf_ages_and_buurt_units(client):
    years = date.today().year - 2017
    text = pdf_text(pdf_reader(client, "/wijk/berflo-es/profiel.pdf"))
    assert f"2017 · {years} jaar oud" in text
    assert "per 1.000 inwoners; 2017" in text  # the buurt table names its unit


def test_english_pdf_date_and_document_language_and_title(client):
    reader = pdf_reader(client, "/wijk/noord/profiel.pdf?taal=en")
    text = pdf_text(reader)
    today = date.today()
    assert f"Profile made on {today.day} {today.strftime('%B')} {today.year}" in text
    assert today.strftime("%d-%m-%Y") not in text
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == "District profile Noord"
    assert reader.metadata.author == "Neighbourhood Safety Hengelo"
    dutch = pdf_reader(client, "/wijk/noord/profiel.pdf")
    assert dutch.trailer["/Root"]["/Lang"] == "nl-NL"
    assert dutch.metadata.author == "Wijkveiligheid Hengelo"


@pytest.mark.parametrize("lang, expected", [("nl", "04-12-2026"), ("en", "4 December 2026")])
def test_format_day(lang, expected):
    from indicators.age import format_day

    assert format_day(date(2026, 12, 4), lang) == expected


def test_every_wijk_pdf_stays_on_one_page(client, context):
    for code in context.areas["wijk"]["code"]:
        for query in ("", "?taal=en"):
            assert len(pdf_reader(client, f"/wijk/{code}/profiel.pdf{query}").pages) == 1


# --- the map panel ---------------------------------------------------------------------------


def panel_text(client, code, level, lang="nl"):
    from dashboard import ids

    from dashclient import call, prop

    status, data, raw = call(
        client,
        [(ids.MAP_PANEL, "children")],
        [prop(ids.MAP_SELECTED, "data", code)],
        [
            prop(ids.MAP_LEVEL, "value", level),
            prop(ids.MAP_INDICATOR, "value", "misdrijf_geweld"),
            prop(ids.MAP_LANG, "data", lang),
        ],
    )
    assert status == 200
    return data


def test_panel_gives_age_coverage_and_a_wijk_name(client):
    years = date.today().year - 2017
    data = panel_text(client, "WK016405", "wijk")
    text = json.dumps(data, ensure_ascii=False)
    assert f"2017 · {years} jaar oud" in text
    assert "afgeleid (4 van 7 buurten)" in text
    assert "Wijk van Hengelo" in text and "(code WK016405)" in text
    subtitle = find_all(data, lambda p: p.get("className") == "panel-subtitle")
    assert not (len(subtitle) == 1 and subtitle[0]["props"]["children"] == "WK016405")
    english = panel_text(client, "WK016405", "wijk", "en")
    assert "derived (4 of 7 neighbourhoods)" in json.dumps(english, ensure_ascii=False)
    assert "years old" in json.dumps(english, ensure_ascii=False)


# --- themes ----------------------------------------------------------------------------------


def test_radicalisation_escalation_line_is_under_who_not_goals(client):
    _, content, _ = render_page(client, "/thema/radicalisering")
    text = texts(content)
    goals_at, who_at = text.index("Wat willen we bereiken"), text.index("Wie hebben we")
    escalation = text.index("weten waar die te melden (escalatielijn)")
    assert escalation > who_at > goals_at


def test_theme_2_8_partner_table_as_in_the_document(client):
    _, content, _ = render_page(client, "/thema/samenwerking-informatiedeling")
    tables = find_all(content, lambda p: "partners-table" in str(p.get("className")))
    assert len(tables) == 1
    text = texts(tables[0])
    for partner in ("Ondersteuning en zorg, TJG en TWMO", "Sociale recherche", "Communicatie"):
        assert partner in text
    for partner in ("Wijkracht", "Welbions", "Politie", "Brandweer", "RIEC", "Gildebor"):
        assert partner in text
    assert "Intern (gemeente)" in text and "Extern" in text
    assert "par. 2.8 Integrale samenwerking, tabel Intern / Extern" in texts(content)
    _, english, _ = render_page(client, "/thema/samenwerking-informatiedeling", "?taal=en")
    body = find_all(english, lambda p: p.get("lang") == "nl" and "Welbions" in texts(p))
    assert body and "Internal (municipality)" in texts(english)
    assert not find_all(
        render_page(client, "/thema/binnenstad")[1],
        lambda p: "partners-table" in str(p.get("className")),
    )


def test_theme_kpi_texts_marked_dutch_on_english_page(client):
    _, content, _ = render_page(client, "/thema/veilige-wijken", "?taal=en")
    dutch = texts(find_all(content, lambda p: p.get("lang") == "nl"))
    assert "blijft gelijk of wordt lager in 2020" in dutch and "gelijk of lager in 2020" in dutch
