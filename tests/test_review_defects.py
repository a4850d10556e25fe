"""Defects found by the fresh-eyes acceptance review of issues #17 and #18."""

from __future__ import annotations

import pytest

from dashboard import cli, settings


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", "8770", "http://127.0.0.1:8770"),
        ("localhost", "9000", "http://localhost:9000"),
        ("0.0.0.0", "8771", "http://127.0.0.1:8771"),
        ("::1", "8772", "http://[::1]:8772"),
    ],
)
def test_serve_on_another_port_links_to_that_port(monkeypatch, host, port, expected):
    """`serve --port 8770` without a public URL wrote every feed and OGC link to :8050."""
    environ: dict[str, str] = {}
    cli.default_public_url(environ, host, port)
    assert environ["WIJKVEILIGHEID_PUBLIC_URL"] == expected
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", environ["WIJKVEILIGHEID_PUBLIC_URL"])
    assert settings.public_url() == expected


def test_configured_public_url_is_kept():
    environ = {"WIJKVEILIGHEID_PUBLIC_URL": "https://wijkveiligheid.hengelo.nl"}
    cli.default_public_url(environ, "0.0.0.0", "8050")
    assert environ["WIJKVEILIGHEID_PUBLIC_URL"] == "https://wijkveiligheid.hengelo.nl"


def texts_with_language(node, lang: str = "en"):
    """Every string in a rendered layout (JSON) with the language of its nearest ``lang``."""
    if isinstance(node, str):
        yield node, lang
    elif isinstance(node, list):
        for item in node:
            yield from texts_with_language(item, lang)
    elif isinstance(node, dict):
        props = node.get("props", {})
        own = props.get("lang", lang)
        yield from texts_with_language(props.get("children"), own)


def test_theme_overview_marks_the_plans_dutch_goals_and_leads_in_english(client, context):
    """/thema?taal=en showed each theme's Dutch goal and lead without lang="nl" (WCAG 3.1.2)."""
    import json

    from dashboard.profile import theme_index

    from dashclient import render_page

    status, content, _ = render_page(client, "/thema", "?taal=en")
    assert status == 200
    langs = {}
    for text, lang in texts_with_language(content):
        langs.setdefault(text.strip(), set()).add(lang)
    themes = theme_index(context)
    assert len(themes) == 8
    for theme in themes.itertuples():
        goal = json.loads(theme.goals)[0]
        assert langs[goal] == {"nl"}, goal
        assert langs[theme.lead] == {"nl"}, theme.lead


def _verdicts(*verdicts: str):
    import pandas as pd

    return pd.DataFrame({"verdict": list(verdicts)})


@pytest.mark.parametrize(
    ("verdicts", "expected", "absent"),
    [
        # Berflo Es as bundled: every change is of a descriptive count, none was tested
        (
            ["not_testable"] * 7 + ["missing"] * 3,
            "Geen verandering getoetst. Veranderingen tussen opeenvolgende perioden die niet "
            "toetsbaar zijn (zoals beschrijvende tellingen: inwoners, oppervlakte): 7.",
            "Getoetst tussen",
        ),
        (["within_chance"] * 2, "perioden (95% en 99,8%): 2, alle binnen toeval.", "niet"),
        (
            ["within_chance", "not_testable", "not_testable"],
            "(95% en 99,8%): 1, alle binnen toeval; niet toetsbaar (zoals beschrijvende "
            "tellingen: inwoners, oppervlakte): 2.",
            "of niet",
        ),
        (["missing", "suppressed"], "maar één periode bekend", "getoetst"),
    ],
)
def test_empty_feed_says_how_many_changes_were_tested(verdicts, expected, absent):
    """The Berflo Es feed said '7 veranderingen ... getoetst' when all 7 were not testable."""
    from dashboard.feeds import subtitle

    text = subtitle(_verdicts(*verdicts), entries=0, lang="nl")
    assert expected in text
    assert absent not in text


def test_empty_feed_subtitle_in_english():
    from dashboard.feeds import subtitle

    text = subtitle(_verdicts("not_testable", "not_testable"), entries=0, lang="en")
    assert text.startswith("No change tested. Changes between")
    assert text.endswith(
        "that are not testable (such as descriptive counts: inhabitants, area): 2."
    )


def test_unknown_source_in_an_import_names_the_codes_it_may_hold(context):
    """An import with bron 'test' said only "onbekende bron 'test'": staff could not tell what
    to write. The message now names the source codes, and an empty bron stays allowed."""
    import pandas as pd

    from indicators.imports import parse_import

    areas = pd.DataFrame({"code": ["WK016405"], "name": ["Berflo Es"], "level": ["wijk"]})
    sources = set(context.data.sources.index)
    content = (
        b"gebied,indicator,periode,waarde,bron\n"
        b"WK016405,geregistreerde_misdrijven,2023,300,test\n"
        b"WK016405,geregistreerde_misdrijven,2024,200,\n"
    )
    parsed = parse_import(content, "x.csv", areas, context.data.indicators, sources)
    [issue] = [i for i in parsed.issues if i.severity == "error"]
    assert issue.row == 2 and issue.field == "bron"
    assert "laat de kolom bron leeg of gebruik een van: " in issue.message
    assert all(code in issue.message for code in sources)


def test_feed_of_a_part_of_several_names_offers_their_wijk_feeds(client):
    """/wijk/tuindorp offers both Tuindorp buurten, but its feed answered "Wijk 'tuindorp'
    bestaat niet." Now the 404 names the areas and the feed of their wijk."""
    response = client.get("/wijk/tuindorp/veranderingen.atom")
    text = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "bestaat niet" not in text
    assert "Tuindorp 't Lansink" in text and "Tuindorp-Zuid" in text
    assert "/wijk/wilderinkshoek/veranderingen.atom" in text
    english = client.get("/wijk/tuindorp/veranderingen.atom?taal=en").get_data(as_text=True)
    assert english.startswith("'tuindorp' is no district or neighbourhood")


def test_feed_of_an_unknown_wijk_still_says_it_does_not_exist(client):
    response = client.get("/wijk/zzzz/veranderingen.atom")
    assert response.status_code == 404
    assert response.get_data(as_text=True) == "Wijk 'zzzz' bestaat niet.\n"


def test_data_page_names_a_survey_source_once(client):
    """/data's indicator table said 'Bron: Veiligheidsmonitor 2015, gemeente Hengelo,
    Veiligheidsmonitor 2015, zoals geciteerd …': the credit and the title repeated the name."""
    from dashclient import render_page

    status, content, _ = render_page(client, "/data", "")
    assert status == 200
    texts = [text for text, _ in texts_with_language(content, "nl")]
    survey = [text for text in texts if text.startswith("2015: Bron: Veiligheidsmonitor 2015")]
    assert survey, "no Veiligheidsmonitor source cell on /data"
    for text in survey:
        assert text.count("Veiligheidsmonitor 2015") == 1, text
    assert any(text.startswith("2017: Bron: CBS, tabel 83765NED") for text in texts)
    older = [text for text in texts if text.startswith("2011: Bron: Veiligheidsmonitor")]
    assert older == ["2011: Bron: Veiligheidsmonitor, gemeente Hengelo, tabellenboek 1997-2015"]


@pytest.mark.parametrize("method", ["head_tail", "fisher_jenks", "quantiles"])
def test_legend_bounds_are_values_an_area_has(method):
    """Head/tail breaks split at means: slide 2 and the buurt map's legend said '0,0 – 5,5' and
    '6,0 – 19,8' for buurt violence, though no buurt had 5,5 or 19,8 (made-up values here)."""
    from indicators.classify import classify

    values = [0.0, 1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 5.0, 6.0, 9.0, 14.0, 16.0, 90.0, None]
    classes = classify(values, "higher_worse", method=method)
    present = {v for v in values if v is not None}
    assert set(classes.upper) <= present and set(classes.lower) <= present
    for value, index in zip(values, classes.index, strict=True):
        if value is not None:
            assert classes.lower[index] <= value <= classes.upper[index]


def test_head_tail_legend_of_buurt_violence_names_observed_values():
    from indicators.classify import classify

    values = [0.0, 2.0, 3.0, 4.0, 5.0, 5.0, 6.0, 9.0, 10.0, 14.0, 16.0, 90.0]
    classes = classify(values, "higher_worse", method="head_tail")
    assert list(zip(classes.lower, classes.upper, strict=True))[-1] == (90.0, 90.0)
    assert 16.0 in classes.upper


@pytest.mark.parametrize(
    ("path", "search", "expected"),
    [
        # the page shows the first buurt (and says so); the tab title named the last one
        (
            "/wijk/berflo-es",
            "?buurt=BU01640501&buurt=BU01640502",
            "Berflo Es Noord – Berflo Es – wijkprofiel",
        ),
        ("/", "?gebied=WK016405&gebied=WK016400", "Berflo Es – Kaart"),
        ("/thema", "?taal=en&taal=nl", "Themes – Neighbourhood Safety Hengelo"),
    ],
)
def test_title_of_a_repeated_parameter_follows_its_first_value(client, path, search, expected):
    """Pages use the first value of a repeated parameter, with a notice; the title the router
    callback sent to the browser was made from the last (dict(parse_qsl(...)))."""
    from dashclient import call, prop

    status, data, _ = call(
        client,
        [("_pages_content", "children"), ("_pages_store", "data")],
        [prop("_pages_location", "pathname", path), prop("_pages_location", "search", search)],
        changed=["_pages_location.pathname"],
    )
    assert status == 200
    assert data["response"]["_pages_store"]["data"]["title"].startswith(expected)


def test_feed_404_shows_a_nul_as_the_pages_do(client):
    """/wijk/%00/veranderingen.atom said "Wijk '' bestaat niet." (the NUL dropped); pages and
    the PDF show such a character as U+FFFD."""
    response = client.get("/wijk/a%00b/veranderingen.atom")
    assert response.status_code == 404
    assert response.get_data(as_text=True) == "Wijk 'a\ufffdb' bestaat niet.\n"


@pytest.mark.parametrize("slug", ["ondermijning", "samenwerking-informatiedeling"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_theme_without_kpis_says_so_instead_of_an_empty_table(client, slug, lang):
    """/thema/ondermijning and /thema/samenwerking-informatiedeling showed a KPI table with
    only its header, and the status rule under it; the plan gives these themes no KPIs."""
    from dashclient import render_page

    search = "?taal=en" if lang == "en" else ""
    status, content, _ = render_page(client, f"/thema/{slug}", search)
    assert status == 200
    texts = " ".join(text for text, _ in texts_with_language(content, lang))
    assert ("geen KPI's (met nulmeting en doel)" if lang == "nl" else "no KPIs") in texts
    assert "de laatste meting na de nulmeting" not in texts
    tables = [n for n in _nodes(content) if n.get("type") in ("Table", "DataTable")]
    assert not any("KPI" in str(tbl) for tbl in tables)


def test_theme_with_kpis_keeps_its_table(client):
    from dashclient import render_page

    status, content, _ = render_page(client, "/thema/veilige-wijken", "")
    texts = " ".join(text for text, _ in texts_with_language(content, "nl"))
    assert status == 200 and "geen KPI's (met nulmeting en doel)" not in texts
    assert "'voelt zich wel eens onveilig in eigen buurt'" in texts


def _nodes(node):
    if isinstance(node, dict):
        yield node
        yield from _nodes(node.get("props", {}).get("children"))
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def test_import_preview_shows_values_as_they_will_be_loaded(context):
    """The preview wrote values with ':g' (1234567 as '1,23457e+06', 123,4567 as '123,457')
    and said '1 waarden zijn in orde'."""
    import pandas as pd

    from dashboard.intern import _report
    from indicators.imports import ParsedImport

    rows = pd.DataFrame({"area_code": ["BU01640501"], "value": [123.4567]})
    parsed = ParsedImport(rows, [])
    preview = pd.DataFrame(
        {
            "area_code": ["BU01640501", "WK016405"],
            "indicator_id": ["inwoners", "inwoners"],
            "period": ["2024", "2024"],
            "current": [float("nan"), 1000.0],
            "value": [123.4567, 1234567.0],
            "change": ["new", "changed"],
        }
    )
    report = _report(parsed, preview)
    assert [(r["current"], r["value"]) for r in report["preview"]] == [
        ("–", "123,4567"),
        ("1000", "1234567"),
    ]
    assert report["summary"].startswith("1 waarde is in orde.")


def test_hengelo_feed_entries_link_to_a_page_without_fallback_notices(client):
    """The Hengelo feed's entry (police totals 2022 → 2023, bundled) linked to
    /vergelijk?gebieden=GM0164, which opens with 'Hengelo staat altijd in de laatste kolom'
    and 'Kies ten minste één gebied; de vier focuswijken worden getoond'."""
    import xml.etree.ElementTree as ET
    from urllib.parse import urlsplit

    from dashclient import render_page

    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(client.get("/veranderingen.atom").data)
    links = [
        link.get("href")
        for entry in root.findall(f"{atom}entry")
        for link in entry.findall(f"{atom}link")
    ]
    assert links, "the bundled police totals give Hengelo at least one entry"
    for href in links:
        parts = urlsplit(href)
        assert "GM0164" not in parts.query
        status, content, _ = render_page(
            client, parts.path, f"?{parts.query}" if parts.query else ""
        )
        notices = [n for n in _nodes(content) if n.get("props", {}).get("className") == "notice"]
        assert status == 200 and not notices, href


def test_feed_entry_map_link_opens_the_change_it_reports(client, context):
    """An entry about '2023 → 2024' linked to the value map of 2024 (?periode=2024); it now
    opens the map's change mode for those two periods, without a fallback notice."""
    from urllib.parse import parse_qs, urlsplit

    from dashboard.feeds import view_links

    from dashclient import find, render_page

    row = {
        "area_code": "BU01640501",
        "level": "buurt",
        "indicator_id": "inwoners",  # bundled at buurt level for 2017 and 2021
        "period_from": "2017",
        "period_to": "2021",
    }
    with client.application.test_request_context("/"):
        links = {rel: url for rel, _, url in view_links(context, row, "nl")}
    parts = urlsplit(links["related"])
    query = parse_qs(parts.query)
    assert query["weergave"] == ["verandering"] and query["van"] == ["2017"]
    assert query["tot"] == ["2021"] and "periode" not in query
    status, content, _ = render_page(client, parts.path, "?" + parts.query)
    notices = [n for n in _nodes(content) if n.get("props", {}).get("className") == "notice"]
    assert status == 200 and not notices
    assert find(content, "kaart-weergave")["props"]["value"] == "verandering"
