"""Monthly figures (Politie/CBS 47022NED): the period model, imports, derivation, pages, fetch.

Every number here is made up for the test; the shipped store has no monthly figures until
staff run ``wijkveiligheid fetch --table maand``.
"""

from __future__ import annotations

import io
import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from dashboard import data as data_module
from dashboard.cli import main
from dashboard.figures import map_view
from dashboard.profile import trends
from indicators import cbs_odata, periods, staff
from indicators.views import latest_period

from conftest import send_json
from dashclient import render_page

MONTHLY = "geregistreerde_misdrijven_maand"
TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    "text,frequency,expected",
    [
        ("2024", "year", "2024"),
        ("2024.0", "year", "2024"),
        ("2024JJ00", "year", "2024"),
        ("2024-03", "month", "2024-03"),
        ("2024-3", "month", "2024-03"),
        ("03-2024", "month", "2024-03"),
        ("2024/11", "month", "2024-11"),
        ("2024M03", "month", "2024-03"),
        ("2024MM03", "month", "2024-03"),
        ("2026-10", "month", "2026-10"),  # the last complete month may be imported
    ],
)
def test_periods_are_read_in_their_common_spellings(text, frequency, expected):
    assert periods.parse_period(text, frequency, TODAY) == expected


@pytest.mark.parametrize(
    "text,frequency,message",
    [
        ("2024-03", "year", "geen jaartal"),
        ("2024", "month", "geen maand"),
        ("2024-13", "month", "maand 13 bestaat niet"),
        ("2024-00", "month", "maand 0 bestaat niet"),
        ("2026-12", "month", "ligt in de toekomst"),
        ("2026-11", "month", "nog niet voorbij"),  # the current month is not complete yet
        ("2027", "year", "ligt in de toekomst"),
        ("1989-05", "month", "te oud"),
        ("maart", "month", "geen maand"),
    ],
)
def test_bad_periods_say_why(text, frequency, message):
    with pytest.raises(periods.PeriodError, match=message):
        periods.parse_period(text, frequency, TODAY)


def test_months_sort_and_read_as_people_expect():
    assert periods.latest(["2024-09", "2024-10", "2023-12"]) == "2024-10"
    assert periods.format_period("2024-10", "nl") == "oktober 2024"
    assert periods.format_period("2024-10", "en") == "October 2024"
    assert periods.format_period("2024-03", "nl", short=True) == "mrt 2024"
    assert periods.format_period(None) == ""


def buurten_of(target, wijk: str) -> list[str]:
    buurten = target.read_data().buurten
    return sorted(buurten.loc[buurten["wijkcode"] == wijk, "buurtcode"])


def monthly_csv(codes: list[str], months: dict[str, int]) -> bytes:
    """A long import file; months are written in mixed spellings on purpose."""
    lines = ["gebied;indicator;periode;waarde"]
    for i, code in enumerate(codes):
        for month, base in months.items():
            lines.append(f"{code};{MONTHLY};{month};{base + i}")
    return ("\n".join(lines) + "\n").encode()


def commit(target, content: bytes, name: str = "maand.csv") -> int:
    parsed = staff.parse_for_store(target, content, name, None)
    assert parsed.ok, parsed.errors
    return target.commit_import(parsed, "admin", name, content, "Test, maandcijfers")


def test_a_yearly_period_for_a_monthly_indicator_is_refused(staff_store):
    parsed = staff.parse_for_store(
        staff_store, f"gebied;indicator;periode;waarde\nWK016400;{MONTHLY};2024;5\n".encode(), "x"
    )
    assert not parsed.ok
    assert [(e.row, e.field) for e in parsed.errors] == [(2, "periode")]
    assert "geen maand" in parsed.errors[0].message


def test_monthly_import_derives_the_wijk_and_maps_the_latest_month(staff_store):
    codes = buurten_of(staff_store, "WK016400")
    # "2024-9" sorts after "2024-10" as text: the canonical form must fix the order
    commit(staff_store, monthly_csv(codes, {"2024-9": 10, "2024-10": 20, "11-2024": 30}))
    data = staff_store.read_data()
    obs = data.observations
    mine = obs[obs["indicator_id"] == MONTHLY]
    assert set(mine["period"]) == {"2024-09", "2024-10", "2024-11"}
    wijk = mine[(mine["area_code"] == "WK016400")].set_index("period")
    n = len(codes)
    assert wijk.loc["2024-11", "value"] == sum(30 + i for i in range(n))
    assert wijk.loc["2024-11", "status"] == "derived"
    assert latest_period(obs, MONTHLY, "wijk") == "2024-11"
    series = trends(obs, "WK016400")[MONTHLY]
    assert list(series["period"]) == ["2024-09", "2024-10", "2024-11"]
    view = map_view(
        obs,
        data.indicators.set_index("id", drop=False),
        data.sources.set_index("id"),
        MONTHLY,
        "wijk",
        sorted(data.web_wijken["wijkcode"]),
        "nl",
    )
    assert view.period == "2024-11" and view.period_label == "november 2024"
    assert view.source_line.endswith("november 2024")


def test_monthly_figures_show_on_the_public_pages(staff_store, client):
    codes = buurten_of(staff_store, "WK016400")
    commit(staff_store, monthly_csv(codes, {"2025-01": 12, "2025-02": 7}))
    data_module.reset()
    status, content, raw = render_page(client, "/wijk/WK016400")
    assert status == 200
    text = raw.decode()
    assert "feb 2025" in text and "jan 2025" in text  # the trend's axis and table
    assert " van 10" in text and ".0 van " not in text  # ranks are whole numbers
    status, content, raw = render_page(client, "/", f"?indicator={MONTHLY}&niveau=buurt")
    assert status == 200 and "februari 2025" in raw.decode()
    # buurt and wijk counts are rounded to 5 on public pages: the raw 7 + i never gets out
    csv = pd.read_csv(io.BytesIO(client.get("/data/cijfers.csv").data), dtype={"period": str})
    mine = csv[(csv["indicator_id"] == MONTHLY) & (csv["period"] == "2025-02")]
    mine = mine[mine["value"].notna()]  # the other wijken are listed as missing
    assert len(mine) == len(codes) + 1  # the buurten and their wijk
    assert (mine["value"] % 5 == 0).all()
    assert set(mine["level"]) == {"buurt", "wijk"}
    status, content, raw = render_page(client, "/data")
    assert "jan 2025 t/m feb 2025 (2 maanden)" in json.dumps(content, ensure_ascii=False)


class Fake47022(BaseHTTPRequestHandler):
    """A local stand-in for the 47022NED TypedDataSet in the API's reply format."""

    seen: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        Fake47022.seen.append(self.path)
        rows = [
            {
                "ID": 10,
                "SoortMisdrijf": "0.0.0    ",
                "WijkenEnBuurten": "WK016400  ",
                "Perioden": "2025MM01",
                "GeregistreerdeMisdrijven_1": 41.0,
            },
            {
                "ID": 11,
                "SoortMisdrijf": "0.0.0    ",
                "WijkenEnBuurten": "WK016400  ",
                "Perioden": "2025MM02",
                "GeregistreerdeMisdrijven_1": 38.0,
            },
            {
                "ID": 12,
                "SoortMisdrijf": "0.0.0    ",
                "WijkenEnBuurten": "GM0164    ",
                "Perioden": "2025MM02",
                "GeregistreerdeMisdrijven_1": 512.0,
            },
            # withheld: left out, never a zero
            {
                "ID": 13,
                "SoortMisdrijf": "0.0.0    ",
                "WijkenEnBuurten": "WK016401  ",
                "Perioden": "2025MM02",
                "GeregistreerdeMisdrijven_1": None,
            },
            # another crime type: not the total, not imported
            {
                "ID": 14,
                "SoortMisdrijf": "1.1.1    ",
                "WijkenEnBuurten": "WK016400  ",
                "Perioden": "2025MM02",
                "GeregistreerdeMisdrijven_1": 3.0,
            },
        ]
        send_json(self, {"odata.metadata": "x", "value": rows})


@pytest.fixture()
def fake_47022():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Fake47022)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Fake47022.seen = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_fetch_monthly_imports_months_through_the_validated_path(staff_store, fake_47022, capsys):
    args = ["--store", str(staff_store.path), "fetch", "--table", "maand", "--since", "2025-01"]
    assert main([*args, "--base-url", fake_47022]) == 0
    request = urlsplit(Fake47022.seen[0])
    assert request.path == "/47022NED/TypedDataSet"
    query = parse_qs(request.query)["$filter"][0]
    assert "startswith(SoortMisdrijf,'0.0.0')" in query and "Perioden ge '2025MM01'" in query
    rows = staff_store.state_tables()["import_observation"]
    got = {(r.area_code, r.period): r.value for r in rows.itertuples()}
    assert got == {
        ("WK016400", "2025-01"): 41,
        ("WK016400", "2025-02"): 38,
        ("GM0164", "2025-02"): 512,
    }
    source = staff_store.state_tables()["import_source"].iloc[0]
    assert source["publisher"] == "Politie / CBS" and source["licence"] == "CC BY 4.0"
    assert "47022NED" in source["title"]


def test_fetch_monthly_with_a_bad_start_month_writes_nothing(staff_store, capsys):
    args = ["--store", str(staff_store.path), "fetch", "--table", "maand", "--since", "2025-13"]
    assert main(args) == 2
    assert "maand 13 bestaat niet" in capsys.readouterr().err
    assert staff_store.import_log().empty


def test_monthly_rows_ignore_yearly_and_other_types():
    rows = [
        {
            "SoortMisdrijf": "0.0.0 ",
            "WijkenEnBuurten": "BU01640000",
            "Perioden": "2025MM03",
            "GeregistreerdeMisdrijven_1": 4.0,
        },
        {
            "SoortMisdrijf": "0.0.0 ",
            "WijkenEnBuurten": "BU01640000",
            "Perioden": "2025JJ00",
            "GeregistreerdeMisdrijven_1": 40.0,
        },
        {
            "SoortMisdrijf": "0.0.0 ",
            "WijkenEnBuurten": "BU01640000",
            "Perioden": "2025MM13",
            "GeregistreerdeMisdrijven_1": 9.0,
        },
    ]
    frame = cbs_odata.crime_observations(rows, monthly=True)
    assert frame.to_dict("records") == [
        {"gebied": "BU01640000", "indicator": MONTHLY, "periode": "2025-03", "waarde": 4.0}
    ]
    yearly = cbs_odata.crime_observations(rows)
    assert list(yearly["periode"]) == ["2025"]


def test_staff_can_define_a_monthly_indicator(staff_store):
    new_id = staff_store.define_indicator(
        {
            "id": "meldingen_overlast_maand",
            "label_nl": "Meldingen overlast per maand",
            "label_en": "Nuisance reports per month",
            "explanation_nl": "Test.",
            "explanation_en": "Test.",
            "theme": "veilige-wijken",
            "unit": "count",
            "polarity": "higher_worse",
            "levels": ["wijk"],
            "public": False,
            "source": "POLITIE_CBS",
            "frequency": "month",
        },
    )
    content = f"gebied;indicator;periode;waarde\nWK016400;{new_id};2025-04;17\n".encode()
    commit(staff_store, content)
    obs = staff_store.read_data().observations
    assert obs[(obs["indicator_id"] == new_id)]["period"].tolist() == ["2025-04"]


def test_cli_import_without_an_answer_writes_nothing(staff_store, tmp_path, monkeypatch, capsys):
    path = tmp_path / "maand.csv"
    path.write_bytes(monthly_csv(["WK016400"], {"2025-05": 9}))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal: end of input
    args = ["--store", str(staff_store.path), "import", str(path), "--source", "Test"]
    assert main(args) == 1
    assert "Niets geschreven" in capsys.readouterr().out
    assert staff_store.import_log().empty
