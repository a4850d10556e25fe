"""Reviewer fixes (branch fixb): the gemeente in the compare change table, the wijk's own
change first and named, unknown buurten and views noticed, the refused JSON message, the
reason for measured figures and the OGC source fields."""

from __future__ import annotations

import json

from test_change_pages import BERFLO, change_store, made_up_store  # noqa: F401

from dashboard import ids

from dashclient import find, render_page


def text_of(node) -> str:
    return json.dumps(node, ensure_ascii=False)


def test_compare_change_table_has_hengelo(app, base_store):
    """Hengelo's own tested change (registered crimes, the bundled data's default periods
    2023 -> 2024) shows on /vergelijk in a Hengelo column, whatever areas are chosen."""
    from dashboard import data

    data.use_store(base_store)
    client = app.server.test_client()
    _, content, _ = render_page(client, "/vergelijk", "?gebieden=BU01640500,BU01640501")
    table = text_of(find(content, ids.COMPARE_CHANGE))
    assert '"Hengelo"' in table
    assert "2023 → 2024: 3.676 → 3.752" in table


def test_wijk_change_names_the_wijk_first(app, change_store):  # noqa: F811
    client = app.server.test_client()
    _, content, _ = render_page(client, f"/wijk/{BERFLO}")
    items = [text_of(i) for i in _items(find(content, ids.WIJK_CHANGE))]
    assert items and all(": " in i for i in items)
    assert " Berflo Es: " in items[0]


def _items(node):
    if isinstance(node, dict):
        if node.get("props", {}).get("className") == "change-item":
            yield node
            return
        yield from _items(node.get("props", {}).get("children"))
    elif isinstance(node, list):
        for child in node:
            yield from _items(child)


def test_land_area_and_density_are_measured_not_counted(context):
    from dashboard import changeblock
    from indicators.change import REASONS

    rows = changeblock.level_changes(context, "wijk").set_index("indicator_id")
    for indicator in ("oppervlakte_land_ha", "bevolkingsdichtheid"):
        if indicator in rows.index:
            assert set(rows.loc[[indicator], "reason"]) == {"measured"}
    assert set(rows.loc[["inwoners"], "reason"]) == {"descriptive"}
    assert "gemeten" in REASONS["measured"]["nl"] and "measured" in REASONS["measured"]["en"]


def test_unknown_buurt_on_wijk_page_gets_a_notice(client):
    _, content, _ = render_page(client, "/wijk/berflo-es", "?buurt=zz%00z" + "y" * 100)
    shown = text_of(content)
    assert "Buurt 'zz\ufffdz" + "y" * 56 + "' bestaat niet in Berflo Es" in shown
    assert "y" * 57 not in shown


def test_buurt_of_another_wijk_names_its_wijk_and_links_it(client, context):
    buurten = context.areas["buurt"].set_index("code")
    wijk = str(buurten.loc["BU01640000", "wijknaam"])
    _, content, _ = render_page(client, "/wijk/berflo-es", "?buurt=BU01640000&taal=en")
    shown = text_of(content)
    assert f"'BU01640000' lies in the district {wijk}, not in Berflo Es" in shown
    code = str(buurten.loc["BU01640000", "wijkcode"])
    assert f"/wijk/{code}?buurt=BU01640000&taal=en" in shown


def test_refused_json_says_refused_and_names_unknown_codes(client):
    answer = client.get("/data/json/vergelijk?gebieden=zzz")
    message = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert message.startswith("Verzoek geweigerd") and "zzz" in message
    assert "getoond" not in message and "weggelaten" not in message


def test_presentation_names_unknown_views(client):
    _, content, _ = render_page(client, "/presentatie", "?reeks=/a|/b|/wijk/berflo-es|/vergelijk")
    notices = text_of([n for n in _nodes(content) if _class(n) == "notice"])
    assert "Onbekende weergaven" in notices and "'/a', '/b'" in notices
    assert "berflo-es" not in notices and "vergelijk" not in notices


def test_presentation_default_sequence_has_no_unknown_views(client):
    _, content, _ = render_page(client, "/presentatie")
    assert "Onbekende weergaven" not in text_of(content)


def _class(node) -> str | None:
    return node.get("props", {}).get("className") if isinstance(node, dict) else None


def _nodes(node):
    if isinstance(node, dict):
        yield node
        yield from _nodes(node.get("props", {}).get("children"))
    elif isinstance(node, list):
        for child in node:
            yield from _nodes(child)


def test_ogc_source_fields_hold_the_source_name(client):
    for path in ("/ogc/collections/wijken/items?f=json", "/ogc/collections/cijfers/items?f=json"):
        doc = client.get(path).get_json()
        values = [
            v
            for feature in doc["features"]
            for k, v in feature["properties"].items()
            if (k == "source" or k.endswith("_source")) and v is not None
        ]
        assert "CBS" in values
        assert not any(v.startswith("Bron") for v in values), path


def test_the_domestic_violence_target_belongs_to_the_cases_not_to_the_measures():
    """The plan (par. 2.3) wants the number of *cases* to fall sharply; it sets no target for
    the number of measures taken, and its goal is quoted where the target is shown."""
    from indicators import seed

    kpis = {k.id: k for t in seed.load_themes() for k in t.kpi}
    assert kpis["hg-maatregelen"].target is None
    assert kpis["hg-meldingen"].target == "sterke vermindering"
    assert "sterk vermindert" in kpis["hg-meldingen"].target_note
