"""User-facing defects found in review: shown differences, trend notes, slide titles and the
map's change mode across a switch."""

import json

import pytest

import dashboard.profile as prof
from indicators.formatting import (
    format_difference,
    format_number,
    format_signed,
    is_missing,
    shown_difference,
)

from dashclient import render_page


def text_of(node) -> str:
    return json.dumps(node, ensure_ascii=False)


@pytest.mark.parametrize(
    "value,reference,decimals,expected",
    [
        (5.849, 4.96, 1, "+0,8"),  # shown 5,8 and 5,0 (raw difference 0,889 would read +0,9)
        (5.0, 5.04, 1, "0,0"),
        (0.5, 1.5, 0, "−2"),  # half to even, as format_number shows them: 0 and 2
        (2.675, 2.0, 2, "+0,67"),  # 2,675 is 2,67499... in binary: shown 2,67
        (12.0, float("nan"), 1, "geen gegevens"),
    ],
)
def test_difference_of_shown_values(value, reference, decimals, expected):
    assert format_difference(value, reference, decimals) == expected


@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_difference_agrees_with_the_shown_numbers(decimals):
    """Over many pairs, the difference equals the difference of the numbers as shown."""
    for i in range(400):
        value, reference = i * 0.0137 + 3.1, 7.35 - i * 0.0091
        shown = [
            float(format_number(v, decimals, "en").replace(",", "")) for v in (value, reference)
        ]
        assert shown_difference(value, reference, decimals) == round(shown[0] - shown[1], decimals)


def _mismatches(context):
    """Figures of every wijk whose raw difference reads otherwise than the shown one."""
    found = []
    for code in context.areas["wijk"]["code"]:
        figures = prof.wijk_profile(context, code).figures
        for row in figures.itertuples():
            if is_missing(row.difference):
                continue
            dec = int(row.decimals)
            old = format_signed(row.difference, dec, "nl")
            new = format_difference(row.value, row.reference, dec, "nl")
            if old != new:
                found.append((code, row.indicator_id, old, new))
    return found


def _rows(node) -> list[str]:
    """The text of every table row (``Tr``) in a rendered Dash layout."""
    if isinstance(node, list):
        return [r for child in node for r in _rows(child)]
    if not isinstance(node, dict):
        return []
    if node.get("type") == "Tr":
        return [text_of(node)]
    props = node.get("props", node)
    return [r for value in props.values() for r in _rows(value)]


NOORD = "WK016402"


def _noord_burglaries(context):
    figures = prof.wijk_profile(context, NOORD).figures
    return next(r for r in figures.itertuples() if r.indicator_id == "misdrijf_diefstal_woning")


def test_noord_has_a_difference_that_rounding_changes(context):
    """The case the reviewers saw; the other tests rely on it."""
    assert (NOORD, "misdrijf_diefstal_woning", "+0,9", "+0,8") in _mismatches(context)


def test_wijk_page_shows_the_difference_of_the_shown_values(client, context):
    row = _noord_burglaries(context)
    status, content, raw = render_page(client, "/wijk/noord")
    assert status == 200
    hits = [r for r in _rows(content) if row.label_nl in r and "+0," in r]
    assert hits and all("+0,8" in r and "+0,9" not in r for r in hits)


def test_map_panel_shows_the_difference_of_the_shown_values(context):
    from dashboard.pages.kaart import judgement_cell

    row = _noord_burglaries(context)._replace(judgement="worse")  # the cell shows it then
    cell = judgement_cell(row, int(row.decimals), "nl")
    assert text_of(cell[1].to_plotly_json()).count("+0,8") == 1


def test_pdf_shows_the_difference_of_the_shown_values(context):
    from datetime import date

    from dashboard.pdf import _figure_row

    row = _noord_burglaries(context)
    cells = _figure_row(row, "nl", {}, date.today())
    assert cells[3] == "+0,8"


def _trend_blocks(node) -> list[str]:
    """The text of every trend block (chart, table and note) of a rendered wijk page."""
    if isinstance(node, list):
        return [b for child in node for b in _trend_blocks(child)]
    if not isinstance(node, dict):
        return []
    props = node.get("props", node)
    if props.get("className") == "trend-block":
        return [text_of(node)]
    return [b for value in props.values() for b in _trend_blocks(value)]


@pytest.mark.parametrize(
    "lang,note",
    [("nl", "is voor de wijk niet te vergelijken"), ("en", "cannot be set against the total")],
)
def test_trend_note_only_under_tables_with_a_dash_for_hengelo(client, context, lang, note):
    from indicators.catalogue import comparable

    profile = prof.wijk_profile(context, NOORD)
    units = [context.data.indicators.loc[i, "unit"] for i in profile.trends]
    assert not all(map(comparable, units)) and any(map(comparable, units))
    status, content, raw = render_page(client, "/wijk/noord", f"?taal={lang}")
    blocks = _trend_blocks(content)
    assert len(blocks) == len(units)
    for unit, block in zip(units, blocks, strict=True):
        assert (note in block) == (not comparable(unit))


def _title(client, path: str) -> str:
    return client.get(path).get_data(as_text=True).split("<title>")[1].split("</title>")[0]


@pytest.mark.parametrize(
    "view,lang,expected",
    [
        (
            "/?indicator=misdrijf_geweld&niveau=buurt",
            "nl",
            "Gewelds- en seksuele misdrijven, per buurt – Dia – ",
        ),
        (
            "/?indicator=misdrijf_geweld&niveau=buurt",
            "en",
            "Violent and sexual offences, per neighbourhood – Slide – ",
        ),
        ("/wijk/noord?indicator=bogus", "nl", "Noord: Diefstal uit woning, schuur e.d. – Dia – "),
        ("/wijk/noord", "en", "Noord: "),
        ("/benchmark", "nl", "G32"),
        ("/thema", "en", " – Slide – "),
        (
            "/vergelijk?indicatoren=misdrijf_geweld",
            "nl",
            "Gewelds- en seksuele misdrijven – Dia – ",
        ),
        ("/wijk/bestaat-niet", "nl", "<title>Dia – "),  # no slide: the plain name
    ],
)
def test_slide_tab_names_what_the_slide_shows(client, view, lang, expected):
    from urllib.parse import urlencode

    query = {"weergave": view} | ({"taal": "en"} if lang == "en" else {})
    title = "<title>" + _title(client, "/presentatie/dia?" + urlencode(query))
    assert expected in title


def test_compare_note_shows_the_difference_of_the_shown_values():
    """The compare table's note beside a value uses the same rule as the wijk page."""
    from dashboard.pages.vergelijk import _judgement_note

    note = _judgement_note({"judgement": "worse", "value": 5.849}, 4.96, 1, "nl")
    assert note.startswith(" · +0,8 · ")


def test_feed_difference_is_that_of_the_two_shown_values():
    from dashboard.feeds import difference_text

    row = {
        "unit": "per1000",
        "decimals": 1,
        "value_from": 4.96,
        "value_to": 5.849,
        "difference": 0.889,
        "relative": 0.179,
    }
    assert difference_text(row, "nl").startswith("+0,8 ")


@pytest.mark.parametrize(
    "shown,changed,stays",
    [
        ({"active": True}, "indicator", True),
        ({"active": True}, "level", True),
        ({"active": True}, "period", False),  # the period picker is the value map's
        ({"active": False}, "indicator", False),
        (None, "level", False),
        ("verandering", "indicator", False),  # any value may arrive
    ],
)
def test_change_mode_stays_across_an_indicator_or_level_switch(shown, changed, stays):
    from dashboard.changemap import stays_in_change_mode

    assert stays_in_change_mode(shown, changed) is stays


def _switch(client, changed: str, change_state):
    from mapclient import SWITCH_OUTPUTS

    from dashboard import ids

    from dashclient import call, prop

    inputs = [
        prop(ids.MAP_INDICATOR, "value", "inwoners"),
        prop(ids.MAP_LEVEL, "value", "wijk"),
        prop(ids.MAP_PERIOD, "value", None),
        prop(ids.MAP_MEASURE, "value", None),
    ]
    state = [prop(ids.MAP_LANG, "data", "nl"), prop(ids.MAP_CHANGE_STATE, "data", change_state)]
    target = {"indicator": ids.MAP_INDICATOR, "level": ids.MAP_LEVEL}[changed]
    return call(client, SWITCH_OUTPUTS, inputs, state, changed=[f"{target}.value"])[0]


@pytest.mark.parametrize("changed", ["indicator", "level"])
def test_value_switch_sends_no_values_in_the_change_mode(client, changed):
    """The page is made again in the change mode: a value view must not land on it."""
    assert _switch(client, changed, {"active": True}) == 204
    assert _switch(client, changed, {"active": False}) == 200


def test_wijk_sources_name_what_the_kpis_quote(client, context):
    """Berflo Es's KPI text quotes the Veiligheidsmonitor 2011 figures of other wijken; its
    sources (page and PDF) name that survey, as every figure on the page names its source."""
    profile = prof.wijk_profile(context, "WK016405")
    assert "VM2011" in set(profile.sources["id"])
    kpi_figures = [o for k in profile.kpis for o in k.others if o["period"] == "2011"]
    assert kpi_figures  # the quoted 2011 figures are on the page
    status, content, _raw = render_page(client, "/wijk/WK016405")
    assert status == 200
    title = context.data.sources.loc["VM2011", "title"]
    assert title in text_of(content)


def test_compare_page_names_the_source_of_every_row_and_chart(client):
    """/vergelijk: each row of the table and each chart says its source and year, as the
    map and the wijk page do (the footer alone named no source per figure)."""
    status, content, _raw = render_page(client, "/vergelijk", "?gebieden=WK016405,WK016402")
    assert status == 200
    page = text_of(content)
    assert page.count("chart-source") >= 3  # bars, ranking, funnel
    assert "Bron: CBS, 2017" in page
    assert "per 1.000 inwoners · 2017" in page and "· Bron: " in page  # the table's row heads
