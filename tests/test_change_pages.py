"""The tested change on the pages (issue 18 A1): the wijk page's 'Wat is veranderd' block and
/vergelijk's change table, through the real Flask test client on a real temporary store. The
two-period figures imported here are made up (test data only)."""

from __future__ import annotations

import json

import pytest

from dashboard import ids
from indicators import staff

from conftest import PASSWORD, copy_embedded
from dashclient import call, find, prop, render_page

WIJKEN = [f"WK01640{i}" for i in range(10)]
BERFLO, NOORD, WOOLDE = "WK016405", "WK016402", "WK016407"
# made-up registered crimes per wijk (multiples of 5: counts are rounded on public pages)
CRIMES = {BERFLO: (200, 300), NOORD: (200, 250)}


def made_up_csv() -> str:
    """Two years of made-up crime counts per wijk and two survey rounds for Berflo Es."""
    lines = ["gebied;indicator;periode;waarde;n"]
    for code in WIJKEN:
        before, after = CRIMES.get(code, (200, 205))
        lines.append(f"{code};geregistreerde_misdrijven;2023;{before};")
        lines.append(f"{code};geregistreerde_misdrijven;2024;{after};")
    lines.append(f"{BERFLO};vm_onveilig_buurt;2019;20;450")
    lines.append(f"{BERFLO};vm_onveilig_buurt;2023;30;450")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def made_up_store(base_store, tmp_path_factory):
    """A copy of the real store with the made-up two-period figures (made once)."""
    return build_made_up_store(base_store, tmp_path_factory.mktemp("change"))


def build_made_up_store(base_store, folder):
    """A copy of the real store in ``folder`` with :func:`made_up_csv` imported."""
    store = copy_embedded(base_store, folder, "change.gpkg")
    store.add_user("anna", PASSWORD)
    content = made_up_csv().encode()
    parsed = staff.parse_for_store(store, content, "verzonnen.csv")
    assert parsed.ok
    store.commit_import(parsed, "anna", "verzonnen.csv", content, "Test (verzonnen)")
    return store


@pytest.fixture()
def change_store(made_up_store, base_store):
    """The made-up store handed to the app for one test."""
    from dashboard import data

    data.use_store(made_up_store)
    yield made_up_store
    data.use_store(base_store)


def text_of(node) -> str:
    return json.dumps(node, ensure_ascii=False)


def test_wijk_block_lists_changes_beyond_chance_first(app, change_store):
    client = app.server.test_client()
    status, content, _ = render_page(client, f"/wijk/{BERFLO}")
    assert status == 200
    block = text_of(find(content, ids.WIJK_CHANGE))
    assert "Wat is veranderd" in block
    assert "Meer dan toeval" in block
    # 200 -> 300 crimes: exact Poisson test, beyond 99.8%; the survey 20% -> 30% with 450
    # respondents each: beyond chance on its margins
    assert "Geregistreerde misdrijven (totaal) (2023 → 2024): 200 → 300 (+50%)" in block
    assert "meer dan toeval (99,8%; exacte Poisson-toets)" in block
    assert "meer dan toeval (99,8%; toets op de marges)" in block
    assert "ongunstiger" in block
    # descriptive figures are named as not testable, the 2017-only crime rates as one period
    assert "Niet toetsbaar (een beschrijvende telling, geen toeval): Inwoners" in block
    # land area and density are measured, not counted: a reason of their own
    measured = "Niet toetsbaar (een gemeten oppervlakte/dichtheid, geen toevalsproces): "
    assert measured + "Oppervlakte land, Bevolkingsdichtheid" in block
    assert "beschrijvende telling, geen toeval): Inwoners, Oppervlakte" not in block
    assert "Maar één periode" in block and "Diefstal uit woning, schuur e.d. (2017)" in block
    # the block comes before the rest of the profile
    assert text_of(content).index("Wat is veranderd") < text_of(content).index("figures-heading")


def test_wijk_block_95_and_within_chance(app, change_store):
    client = app.server.test_client()
    _, content, _ = render_page(client, f"/wijk/{NOORD}")
    block = text_of(find(content, ids.WIJK_CHANGE))
    assert "200 → 250 (+25%), meer dan toeval (95%; exacte Poisson-toets)" in block
    _, content, _ = render_page(client, f"/wijk/{WOOLDE}")
    block = text_of(find(content, ids.WIJK_CHANGE))
    assert "Geen verandering die meer is dan toeval." in block
    assert "Binnen toeval: 1 veranderingen (Geregistreerde misdrijven (totaal))" in block


def test_wijk_block_in_english(app, change_store):
    client = app.server.test_client()
    _, content, _ = render_page(client, f"/wijk/{BERFLO}", "?taal=en")
    block = text_of(find(content, ids.WIJK_CHANGE))
    assert "What changed" in block and "More than chance" in block
    assert "Registered crimes (total) (2023 → 2024): 200 → 300 (+50%)" in block
    assert "more than chance (99.8%; exact Poisson test)" in block
    assert "Wat is veranderd" not in block


def test_wijk_block_with_one_period_says_so(app, base_store):
    """The bundled data: the wijk's safety figures have one period (2017): said in words."""
    from dashboard import data

    data.use_store(base_store)
    client = app.server.test_client()
    _, content, _ = render_page(client, f"/wijk/{BERFLO}")
    block = text_of(find(content, ids.WIJK_CHANGE))
    assert "Maar één periode, dus nog geen verandering te tonen" in block
    assert "Gewelds- en seksuele misdrijven (2017)" in block
    assert '"children": "Meer dan toeval"' not in block


def test_compare_page_change_table(app, change_store):
    client = app.server.test_client()
    search = f"?gebieden={BERFLO},{NOORD},{WOOLDE}"
    status, content, _ = render_page(client, "/vergelijk", search)
    assert status == 200
    table = text_of(find(content, ids.COMPARE_CHANGE))
    assert "2023 → 2024: 200 → 300 (+50%), meer dan toeval (99,8%; exacte Poisson-toets)" in table
    assert "2023 → 2024: 200 → 205 (+2%), binnen toeval (exacte Poisson-toets)" in table
    assert "Berflo Es" in table and "Woolde" in table


def test_compare_change_follows_the_area_selects(app, change_store):
    client = app.server.test_client()
    inputs = [prop(f"vergelijk-area-{i}", "value", v) for i, v in enumerate([NOORD, WOOLDE])]
    inputs += [prop(f"vergelijk-area-{i}", "value", None) for i in (2, 3)]
    status, body, _ = call(
        client,
        [(ids.COMPARE_CHANGE, "children")],
        inputs,
        state=[prop("vergelijk-lang", "data", "en")],
        changed=["vergelijk-area-0.value"],
    )
    assert status == 200
    table = text_of(body["response"][ids.COMPARE_CHANGE]["children"])
    assert "200 → 250 (+25%), more than chance (95%; exact Poisson test)" in table
    assert "Berflo Es" not in table


def test_compare_without_two_periods_says_so(app, base_store):
    from dashboard import data

    data.use_store(base_store)
    client = app.server.test_client()
    _, content, _ = render_page(client, "/vergelijk", "?gebieden=BU01640500,BU01640501")
    table = text_of(find(content, ids.COMPARE_CHANGE))
    # the buurten's only two-period figure is their inhabitants: descriptive, not tested
    # inhabitants are a count (descriptive); Hengelo's land area and density (its column is
    # always there) are measured, not counted
    assert "niet toetsbaar: een beschrijvende telling, geen toeval" in table
    assert "niet toetsbaar: een gemeten oppervlakte/dichtheid, geen toevalsproces" in table


def test_block_without_any_change_says_so(context):
    """No figure with two periods: words, not an empty block; nothing tested, so no 'no
    change beyond chance' either."""
    import pandas as pd

    from dashboard import changeblock
    from indicators.change import CHANGE_COLUMNS

    empty = pd.DataFrame(columns=CHANGE_COLUMNS)
    body = text_of(
        [
            c.to_plotly_json() if c else None
            for c in changeblock.change_body(context, BERFLO, "Berflo Es", empty, {}, "en")
        ]
    )
    assert "The figures of Berflo Es have only one period; there is no change to show yet." in body
    assert "No change that is more than chance" not in body
