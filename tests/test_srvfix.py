"""Defects left open on issue 18 (server side): slide notices, the embed card's link, English
notices that name a level."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from tests.dashclient import render_page

SLIDE = "/presentatie/dia"


def _texts(node, out=None) -> list[str]:
    """Every text of a rendered layout, in order."""
    out = [] if out is None else out
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, dict):
        for value in node.get("props", {}).values():
            _texts(value, out)
    elif isinstance(node, list):
        for item in node:
            _texts(item, out)
    return out


def _notices(node, out=None) -> list[str]:
    """The texts of the notices (``className="notice"``) of a rendered layout."""
    out = [] if out is None else out
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("className") == "notice":
            out.extend(_texts(props.get("children")))
        for value in props.values():
            _notices(value, out)
    elif isinstance(node, list):
        for item in node:
            _notices(item, out)
    return out


def slide_notices(client, view: str, lang: str = "") -> list[str]:
    status, content, _ = render_page(client, SLIDE, f"?weergave={quote(view)}{lang}")
    assert status == 200
    return _notices(content)


def page_notices(client, view: str) -> list[str]:
    path, _, query = view.partition("?")
    status, content, _ = render_page(client, path, "?" + query if query else "")
    assert status == 200
    return _notices(content)


@pytest.mark.parametrize(
    "view",
    [
        "/benchmark?kern=zzz",
        "/benchmark?kern=veiligheid&thema=zzz",
        "/?indicator=zzz",
        "/?niveau=land&indicator=misdrijf_geweld",
        "/?indicator=misdrijf_geweld&niveau=buurt&periode=1900",
        "/vergelijk?gebieden=zzz",
        "/wijk/berflo-es?indicator=zzz",
    ],
)
def test_a_slide_gives_the_notice_its_page_gives(client, view):
    on_page = page_notices(client, view)
    assert on_page  # the page itself says what it fell back to
    assert slide_notices(client, view) == on_page


def test_a_slide_notice_is_in_english_on_an_english_slide(client):
    notices = slide_notices(client, "/?indicator=zzz", "&taal=en")
    assert notices == page_notices(client, "/?indicator=zzz&taal=en")
    assert "does not exist" in notices[0]


def test_a_slide_without_fallbacks_has_no_notice(client):
    assert slide_notices(client, "/?indicator=misdrijf_geweld&niveau=buurt") == []


def test_a_hostile_view_value_is_cleaned_and_cut(client):
    hostile = "<script>alert(1)</script>" + chr(1) + "x" * 500
    (notice,) = slide_notices(client, "/benchmark?kern=" + quote(hostile))
    assert chr(1) not in notice and "\ufffd" in notice
    assert len(notice) < 200
    raw = client.get(SLIDE + "?weergave=" + quote("/benchmark?kern=" + quote(hostile)))
    assert "<script>alert(1)" not in raw.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "says"),
    [("", "Er is geen weergave opgegeven"), ("&taal=en", "No view was given")],
)
def test_an_empty_view_says_that_no_view_was_given(client, lang, says):
    _, content, _ = render_page(client, SLIDE, "?weergave=" + lang)
    text = " ".join(_texts(content))
    assert says in text
    assert "''" not in text  # not "'' is geen weergave"


def test_an_unknown_wijk_slide_names_the_wijk(client):
    _, content, _ = render_page(client, SLIDE, "?weergave=" + quote("/wijk/zz" + chr(0) + "z"))
    text = " ".join(_texts(content))
    assert "Wijk 'zz\ufffdz' bestaat niet" in text
    assert chr(0) not in json.dumps(content)


def _link_to_the_full_view(content) -> dict:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "A" and node["props"].get("target") == "_blank":
                found.append(node["props"])
            for value in node.get("props", {}).values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(content)
    assert len(found) == 1
    return found[0]


def _accessible_name(node) -> str:
    """The text a screen reader reads for a link: its text without aria-hidden parts."""
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "".join(_accessible_name(n) for n in node)
    if isinstance(node, dict):
        if node.get("props", {}).get("aria-hidden") == "true":
            return ""
        return _accessible_name(node.get("props", {}).get("children"))
    return ""


def _visible_text(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "".join(_visible_text(n) for n in node)
    if isinstance(node, dict):
        if "visually-hidden" in str(node.get("props", {}).get("className", "")):
            return ""
        return _visible_text(node.get("props", {}).get("children"))
    return ""


@pytest.mark.parametrize(
    ("path", "lang", "visible", "name"),
    [
        (
            "/embed/wijk/berflo-es",
            "",
            "Bekijk in Wijkveiligheid Hengelo ↗",
            "Bekijk in Wijkveiligheid Hengelo (opent in een nieuw tabblad)",
        ),
        (
            "/embed/wijk/berflo-es",
            "?taal=en",
            "Open in Wijkveiligheid Hengelo ↗",
            "Open in Wijkveiligheid Hengelo (opens in a new tab)",
        ),
        (
            "/embed/kaart",
            "",
            "Bekijk in Wijkveiligheid Hengelo ↗",
            "Bekijk in Wijkveiligheid Hengelo (opent in een nieuw tabblad)",
        ),
        (
            "/embed/kaart",
            "?taal=en",
            "Open in Wijkveiligheid Hengelo ↗",
            "Open in Wijkveiligheid Hengelo (opens in a new tab)",
        ),
    ],
)
def test_the_embed_link_speaks_the_embed_language_and_says_it_opens_a_tab(
    client, path, lang, visible, name
):
    status, content, _ = render_page(client, path, lang)
    assert status == 200
    link = _link_to_the_full_view(content)
    assert _visible_text(link["children"]) == visible
    assert _accessible_name(link["children"]) == name
    assert link["rel"] == "noopener"


LEVEL_STRINGS = ["map_region", "map_alt", "table_caption", "notice_change_one_period"]
AWKWARD = {
    "en": ("at the level ", "per districts", "per neighbourhoods", "by districts", "by neigh"),
    "nl": ("per wijken", "per buurten"),
}


@pytest.mark.parametrize("key", LEVEL_STRINGS)
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("level", ["wijk", "buurt"])
def test_strings_that_name_a_level_read_as_plain_language(key, lang, level):
    from dashboard.i18n import t

    words = t(f"level_{level}", lang).lower()  # as kaart.py and changemap.py fill them in
    text = t(key, lang, indicator="X etc.", level=words, period="2017", gemeente="Hengelo")
    assert not any(bad in text for bad in AWKWARD[lang]), text
    assert ".." not in text  # a label ending in a full stop does not end the sentence


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("&taal=en", "has only one period (2017) for the neighbourhoods (buurten); there is no"),
        ("", "heeft op het niveau buurten maar één periode (2017)"),
    ],
)
def test_the_one_period_change_notice_is_grammatical(client, lang, says):
    query = "?weergave=verandering&indicator=misdrijf_geweld&niveau=buurt" + lang
    status, content, _ = render_page(client, "/", query)
    assert status == 200
    assert any(says in n for n in _notices(content))


def test_the_map_region_names_its_level_in_english(client):
    status, content, _ = render_page(client, "/", "?niveau=buurt&indicator=misdrijf_geweld&taal=en")
    assert status == 200
    text = json.dumps(content, ensure_ascii=False)
    assert "Map showing Violent and sexual offences for the neighbourhoods (buurten). " in text


def _english_texts(node, inherited: str = "en", out=None) -> list[str]:
    """The texts of a rendered layout that are not inside an element with ``lang="nl"``."""
    out = [] if out is None else out
    if isinstance(node, str):
        if inherited != "nl":
            out.append(node)
    elif isinstance(node, dict):
        props = node.get("props", {})
        here = props.get("lang", inherited)
        for value in props.values():
            _english_texts(value, here, out)
    elif isinstance(node, list):
        for item in node:
            _english_texts(item, inherited, out)
    return out


def test_the_themes_page_marks_the_plans_dutch_texts_in_english(client, context):
    status, content, _ = render_page(client, "/thema", "?taal=en")
    assert status == 200
    english = " ".join(_english_texts(content))
    everything = " ".join(_texts(content))
    budget = context.data.budget.iloc[0]
    for dutch in (budget.line, budget.explanation, context.data.themes.iloc[0]["lead"]):
        assert dutch in everything and dutch not in english, dutch
    assert "Integral Safety Policy" in english  # the source line names the plan in English


def test_the_embed_card_names_the_licence_in_english(client):
    _, dutch, _ = render_page(client, "/embed/wijk/WK016403", "")
    _, english, _ = render_page(client, "/embed/wijk/WK016403", "?taal=en")
    assert "Openbaar raadsdocument" in " ".join(_texts(dutch))
    text = " ".join(_texts(english))
    assert "Public council document" in text and "raadsdocument" not in text


@pytest.mark.parametrize(
    ("path", "query", "english", "dutch"),
    [
        ("/benchmark", "?taal=en", "G32 Safety Benchmark 2015, report for", "ronde 2015, rapport"),
        (SLIDE, "?taal=en&weergave=/benchmark", "G32 Safety Benchmark 2015, report for", "ronde"),
        (SLIDE, "?taal=en&weergave=/thema", "Source: Integral Safety Policy", "Integraal"),
        ("/thema/veilige-wijken", "?taal=en", "Source: Integral Safety Policy", "Integraal"),
    ],
)
def test_source_lines_name_the_source_in_english(client, path, query, english, dutch):
    status, content, _ = render_page(client, path, query)
    assert status == 200
    text = " ".join(_texts(content))
    assert english in text and dutch not in text


@pytest.mark.parametrize(
    ("key", "wrong", "right"),
    [
        ("judgement_method_poisson", "weighed on", "based on 7 inhabitants"),
        ("judgement_method_poisson_strong", "weighed on", "based on 7 inhabitants"),
        ("judgement_method_none", "not weighed", "not taken into account"),
        ("compare_caption", "chance weighed", "allowing for chance"),
        ("focus_not_listed", "aandachtspunten", "points of attention"),
        ("g32_capacity_title", "OOV capacity", "Public order and safety (OOV)"),
    ],
)
def test_english_strings_read_as_english(key, wrong, right):
    from dashboard.i18n import t

    text = t(key, "en", population="7")
    assert wrong not in text and right in text


def test_an_unencoded_view_with_a_bad_parameter_gives_its_notice(client):
    status, content, _ = render_page(client, SLIDE, "?weergave=/benchmark?kern=zzz")
    assert status == 200
    assert _notices(content) == page_notices(client, "/benchmark?kern=zzz")
