"""The map's search on the server (dashboard/areasearch.py): by name, code or postcode, every
hit counted, at most a few shown with "en nog n" (issue 17, item 3)."""

from __future__ import annotations

import json

import pytest

from dashboard import areasearch, ids

from dashclient import call, prop


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("BU01640401", "BU01640401"),  # a buurt's code, exactly
        ("bu01640401", "BU01640401"),
        ("WK016405", "WK016405"),  # Berflo Es
        ("wk 016405", "WK016405"),
        ("Anninks-/Nijhofshoek", "BU01640401"),
    ],
)
def test_an_area_is_found_by_its_code_or_name(context, query, code):
    assert areasearch.find_areas(context, query)[0]["code"] == code


def test_every_hit_is_counted_and_the_index_is_built_once(context):
    every = areasearch.find_areas(context, "0164")  # in every code of Hengelo
    assert len(every) == len(context.areas["wijk"]) + len(context.areas["buurt"]) == 72
    assert [h["level"] for h in every[:10]] == ["wijk"] * 10
    assert areasearch.area_index(context) is areasearch.area_index(context)
    assert areasearch.find_areas(context, "zzzz") == [] and areasearch.find_areas(context, "") == []


def search(client, query: str, lang: str = "nl") -> str:
    status, data, _ = call(
        client,
        [(ids.MAP_SEARCH_RESULTS, "children")],
        [prop(ids.MAP_SEARCH, "value", query)],
        [prop(ids.MAP_LANG, "data", lang)],
    )
    assert status == 200
    return json.dumps(data["response"], ensure_ascii=False)


@pytest.mark.parametrize(("lang", "words"), [("nl", "En nog {n}:"), ("en", "And {n} more:")])
def test_many_hits_show_a_few_buttons_and_how_many_more(client, context, lang, words):
    total = len(areasearch.find_areas(context, "hoek"))
    assert total > areasearch.SHOWN
    answer = search(client, "hoek", lang)
    assert answer.count(f'"type": "{ids.MAP_SEARCH_RESULT}"') == areasearch.SHOWN
    assert words.format(n=total - areasearch.SHOWN) in answer


def test_a_code_is_found_through_the_callback_and_few_hits_say_nothing_more(client):
    answer = search(client, "BU01640401")
    assert "Anninks-/Nijhofshoek" in answer and "En nog" not in answer
    assert "Tuindorp" in search(client, "tuindorp") and "En nog" not in search(client, "tuindorp")
