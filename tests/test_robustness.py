"""Issue 13: implausible numbers never reach the data or break a page, CSV cells cannot start
a formula, duplicate columns and the current month are refused. Numbers are made up."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest

from dashboard import data as data_module
from dashboard.cli import main
from indicators import staff
from indicators.catalogue import UNITS, load_catalogue, plausible_ranges
from indicators.csvsafe import neutralise
from indicators.imports import ParsedImport, parse_import
from indicators.privacy import round_to

from dashclient import render_page

BINNENSTAD = ["BU01640000", "BU01640001", "BU01640002"]
HEAD = "gebied;indicator;periode;waarde"


def parse(staff_store, text: str, name: str = "x.csv", today: date | None = None):
    data = staff_store.read_data()
    return parse_import(
        text.encode("utf-8"),
        name,
        staff.areas_frame(data),
        data.indicators,
        set(data.sources.index),
        today=today,
    )


def test_every_unit_has_a_plausible_range_and_limits_name_indicators():
    ranges = plausible_ranges()
    assert set(UNITS) <= set(ranges.units)
    assert ranges.units["pct"].min == 0 and ranges.units["pct"].max == 100
    assert ranges.units["count"].whole and not ranges.units["pct"].whole
    known = {i.id for i in load_catalogue()}
    assert set(ranges.limits) <= known


@pytest.mark.parametrize(
    "value,message",
    [
        ("1.7e308", "buiten het bereik"),
        ("1e308", "buiten het bereik"),
        ("1e-400", "te klein om op te slaan"),
        ("1_000", "geen getal"),
        (".5", "geen getal"),
        ("12%", "is een percentage"),
        ("inf", "geen getal"),
        ("nan", "geen getal"),
        ("0,5", "geheel getal"),
    ],
)
def test_implausible_counts_are_refused_with_row_and_field(staff_store, value, message):
    parsed = parse(staff_store, f"{HEAD}\nBU01640000;inwoners;2021;{value}\n")
    assert not parsed.ok
    assert any(e.row == 2 and e.field == "waarde" and message in e.message for e in parsed.errors)


def test_respondents_must_be_a_plausible_whole_number(staff_store):
    parsed = parse(staff_store, f"{HEAD};n\nWK016402;vm_onveilig_buurt;2019;20;1e308\n")
    assert any(e.row == 2 and e.field == "n" for e in parsed.errors)


@pytest.mark.parametrize(
    "header,columns",
    [
        ("gebied;gebied;indicator;periode;waarde", ["gebied"]),
        ("gebied;code;indicator;periode;waarde", ["gebied", "code"]),
        ("gebied;indicator;periode;waarde;value", ["waarde", "value"]),
        ("gebied;periode;inwoners;inwoners", ["inwoners"]),
    ],
)
def test_duplicate_columns_are_refused_naming_them(staff_store, header, columns):
    parsed = parse(staff_store, f"{header}\nBU01640000;2021;5;6;7\n")
    assert not parsed.ok
    text = " ".join(e.message for e in parsed.errors)
    assert all(f"'{c}'" in text for c in columns), text


def test_the_current_month_is_refused_the_last_one_accepted(staff_store):
    today = date(2026, 11, 29)
    rows = "BU01640000;geregistreerde_misdrijven_maand;{};5\n"
    refused = parse(staff_store, HEAD + "\n" + rows.format("2026-11"), today=today)
    assert any(e.field == "periode" and "nog niet voorbij" in e.message for e in refused.errors)
    assert parse(staff_store, HEAD + "\n" + rows.format("2026-10"), today=today).ok


def test_rounding_is_safe_for_any_value():
    assert round_to(12) == 10
    for value in (float("inf"), float("-inf"), float("nan"), 1.7e308, None, "x"):
        result = round_to(value)
        assert result != result or abs(result) < float("inf")


def _force_values(staff_store, value: float) -> None:
    """Values that an older version let through, written as an import would have."""
    rows = pd.DataFrame(
        {
            "row": [2, 3, 4],
            "area_code": BINNENSTAD,
            "level": "buurt",
            "indicator_id": "inwoners",
            "period": "2021",
            "value": value,
            "n": None,
            "margin": None,
            "source_id": None,
        }
    )
    staff_store.commit_import(ParsedImport(rows, []), "admin", "oud.csv", b"x", "Oud")
    data_module.reset()


def test_huge_stored_values_never_break_the_public_site(client, staff_store, capsys):
    _force_values(staff_store, 1.7e308)
    for url in ("/data/cijfers.csv", "/geo/wijk.geojson", "/wijk/WK016400/profiel.pdf", "/"):
        assert client.get(url).status_code == 200, url
    from dashclient import render_page

    for path, search in (
        ("/", "?indicator=inwoners&niveau=buurt"),
        ("/", "?indicator=bevolkingsdichtheid"),
        ("/wijk/WK016400", ""),
        ("/thema", ""),
        ("/vergelijk", "?gebieden=WK016400,WK016401"),
        ("/presentatie", ""),
        ("/data", ""),
    ):
        status, content, raw = render_page(client, path, search)
        assert status == 200 and content is not None, path + search
        assert b"e+308" not in raw and b"Infinity" not in raw, path + search
    figures = client.get("/data/cijfers.csv").data.decode()
    assert "1.7e+308" not in figures and "inf" not in figures.lower().replace("info", "")
    assert main(["--store", str(staff_store.path), "check"]) == 1
    err = capsys.readouterr().err
    assert "Onwaarschijnlijke waarde" in err and "BU01640000, inwoners, 2021" in err


def test_csv_cells_cannot_start_a_formula(client, staff_store):
    label = '=HYPERLINK("http://evil.example","x")'
    staff_store.define_indicator(
        {
            "id": "test_formule",
            "label_nl": label,
            "label_en": "+cmd",
            "explanation_nl": "@x",
            "explanation_en": "-x",
            "theme": "veilige-wijken",
            "unit": "pct",
            "polarity": "neutral",
            "levels": ["wijk"],
            "public": True,
            "source": "VM2015",
        },
    )
    parsed = parse(staff_store, f"{HEAD}\nWK016402;test_formule;2019;-0\n")
    staff_store.commit_import(parsed, "admin", "f.csv", b"x", "Test")
    data_module.reset()
    text = client.get("/data/cijfers.csv").data.decode()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + label in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    frame = neutralise(
        pd.DataFrame({"t": ["=1+1", "-3,5", "Noord", "@SUM(A1)"], "n": [-1.5, 2, 3, 4]})
    )
    assert list(frame["t"]) == ["'=1+1", "-3,5", "Noord", "'@SUM(A1)"]
    assert list(frame["n"]) == [-1.5, 2, 3, 4]


def test_an_unexpected_error_answers_a_plain_500_and_logs_one_line(client, monkeypatch, caplog):
    import logging

    import dashboard.downloads

    def broken(ctx):
        raise RuntimeError("kapot\nop twee regels")

    monkeypatch.setattr(dashboard.downloads, "public_figures_csv", broken)
    with caplog.at_level(logging.WARNING):
        response = client.get("/data/cijfers.csv")
    assert response.status_code == 500 and response.mimetype == "text/plain"
    assert b"Traceback" not in response.data and b"kapot" not in response.data
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and lines[0].exc_info is None
    assert "RuntimeError: kapot op twee regels" in lines[0].getMessage()


def test_callback_guard_refuses_impossible_values():
    from dashboard.app import callback_body_problem

    ok = {"output": "a.b", "inputs": [{"id": "x", "property": "n_clicks", "value": 3}]}
    assert callback_body_problem(ok) is None
    for value in (-1, "3", True, [1], {"a": 1}):
        bad = {"output": "a.b", "inputs": [{"id": "x", "property": "n_clicks", "value": value}]}
        assert callback_body_problem(bad)
    assert callback_body_problem({"output": 1}) and callback_body_problem([])
    wildcard = {"id": {"type": "t", "code": ["ALL"]}, "property": "n_clicks", "value": [1, None]}
    assert callback_body_problem({"output": "a.b", "inputs": [wildcard]}) is None


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.get("props", {}).values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


@pytest.mark.parametrize(
    "path, search",
    [
        ("/", "?weergave=%00a&maat=%00b&niveau=%00c&indicator=%00d&periode=%00e"),
        ("/vergelijk", "?gebieden=%00x,WK016400"),
        ("/benchmark", "?kern=%00k"),
        ("/embed/kaart", "?weergave=%00a&taal=en"),
    ],
)
def test_notices_never_echo_control_characters(client, path, search):
    """A NUL (or newline) in a URL parameter is named in the notice as U+FFFD, not written
    into the page."""
    status, content, _ = render_page(client, path, search)
    notices = [
        p["props"]["children"]
        for p in _walk(content)
        if p.get("type") == "P" and p["props"].get("className") == "notice"
    ]
    assert status == 200 and notices
    assert not any("\x00" in n or "\n" in n for n in notices), notices
    assert any("\ufffd" in n for n in notices)


def test_pdf_404_does_not_echo_control_characters(client):
    response = client.get("/wijk/a%00b/profiel.pdf")
    assert response.status_code == 404
    assert "\x00" not in response.get_data(as_text=True)
