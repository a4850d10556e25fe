"""Staff: login, safe imports (validation, preview, all-or-nothing, undo), new indicators,
and fetching open data. Numbers in these files are made up (test data only)."""

import functools
import hashlib
import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import data as data_module
from dashboard import intern
from dashboard.cli import main
from indicators import cbs_odata, staff
from indicators.imports import parse_import
from indicators.stores import open_store

from conftest import PASSWORD, made_up_indicator, send_json


@pytest.fixture()
def areas(staff_store):
    return staff.areas_frame(staff_store.read_data())


def parse(staff_store, text: str | bytes, name: str = "test.csv", period=None):
    content = text.encode("utf-8") if isinstance(text, str) else text
    return staff.parse_for_store(staff_store, content, name, period)


GOOD_LONG = (
    "gebied;indicator;periode;waarde;n\n"
    "Berflo Es;vm_onveilig_buurt;2019;31,5;450\n"
    "hengelo;Voelt zich wel eens onveilig in eigen buurt;2019;21;2600\n"
)

BAD_FILES = [
    (
        "unknown area",
        "gebied;indicator;periode;waarde\nAtlantis;vm_onveilig_buurt;2019;5\n",
        "onbekend gebied 'Atlantis'",
    ),
    (
        "unknown indicator",
        "gebied;indicator;periode;waarde\nNoord WK;geluk;2019;5\n",
        "onbekende indicator 'geluk'",
    ),
    (
        "non-numeric",
        "gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;veel\n",
        "'veel' is geen getal",
    ),
    (
        "percentage > 100",
        "gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;120\n",
        "percentage 120 ligt niet tussen 0 en 100",
    ),
    (
        "negative count",
        "gebied;indicator;periode;waarde\nBU01640000;inwoners;2019;-5\n",
        "negatieve waarde -5",
    ),
    (
        "duplicate",
        "gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;5\n"
        "wk016402;vm_onveilig_buurt;2019;6\n",
        "Dubbele regel",
    ),
    (
        "future",
        "gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2099;5\n",
        "ligt in de toekomst",
    ),
    (
        "not a year",
        "gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;vorig jaar;5\n",
        "is geen jaartal",
    ),
    (
        "ambiguous number",
        "gebied;indicator;periode;waarde\nBU01640000;inwoners;2019;1.234\n",
        "niet eenduidig",
    ),
    (
        "ambiguous name",
        "gebied;indicator;periode;waarde\nNoord;vm_onveilig_buurt;2019;5\n",
        "meer dan één gebied",
    ),
    (
        "wrong level",
        "gebied;indicator;periode;waarde\nBU01640000;vm_onveilig_buurt;2019;50\n",
        "bestaat niet op niveau buurt",
    ),
    (
        "no area column",
        "indicator;periode;waarde\nvm_onveilig_buurt;2019;5\n",
        "Geen kolom met het gebied",
    ),
    (
        "unknown wide column",
        "gebied;periode;geluk\nWK016402;2019;5\n",
        "Kolom 'geluk' is geen bekende indicator",
    ),
    ("empty", "", "Het bestand is leeg"),
    ("only separators", ";\n;;\n", "Het bestand is leeg"),  # found by hypothesis
    ("header only", "gebied;indicator;periode;waarde\n", "geen regels onder de kop"),
    (
        "too many columns",
        "gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;5;6\n",
        "heeft 5 kolommen",
    ),
    ("no separator", "gebied\nWK016402\n", "Geen kolommen gevonden"),
    (
        "utf-16",
        "gebied;indicator;periode;waarde\nWK016402;x;2019;5\n".encode("utf-16"),
        "geen tekst in UTF-8",
    ),
    ("broken xlsx", b"PK\x03\x04 not really a workbook", "Excel-bestand kan niet"),
]


@pytest.mark.parametrize("name,content,message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_give_their_error_and_write_nothing(staff_store, name, content, message):
    before = hashlib.sha256(staff_store.path.read_bytes()).hexdigest()
    parsed = parse(staff_store, content, "test.xlsx" if name == "broken xlsx" else "test.csv")
    assert not parsed.ok
    assert any(message in issue.message for issue in parsed.issues), parsed.issues
    with pytest.raises(staff.StaffError):
        staff_store.commit_import(parsed, "admin", "test.csv", b"x", "Test")
    assert hashlib.sha256(staff_store.path.read_bytes()).hexdigest() == before
    assert staff_store.import_log().empty


def test_errors_name_row_and_field(staff_store):
    parsed = parse(
        staff_store,
        "gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;5"
        "\nAtlantis;vm_onveilig_buurt;2019;7\n",
    )
    (issue,) = parsed.errors
    assert (issue.row, issue.field) == (3, "gebied")


def test_long_semicolon_decimal_comma_names_and_labels(staff_store):
    parsed = parse(staff_store, GOOD_LONG)
    assert parsed.ok, parsed.issues
    assert parsed.layout == "long" and parsed.delimiter == ";"
    rows = parsed.rows.set_index("area_code")
    assert rows.loc["WK016405", "value"] == 31.5 and rows.loc["WK016405", "n"] == 450
    assert rows.loc["GM0164", "indicator_id"] == "vm_onveilig_buurt"


def test_wide_layout_comma_separated(staff_store):
    parsed = parse(
        staff_store,
        "gebied,periode,vm_onveilig_buurt,vm_actief_buurt\n"
        "WK016405,2019,31.5,14\nHasseler Es,2019,12,\n",
    )
    assert parsed.ok, parsed.issues
    assert parsed.layout == "wide" and len(parsed.rows) == 3  # the empty cell is no value


def test_wide_layout_with_period_from_the_form(staff_store):
    parsed = parse(staff_store, "gebied;vm_onveilig_buurt\nBerflo Es;31,5\n", period="2019")
    assert parsed.ok and parsed.rows["period"].tolist() == ["2019"]
    assert not parse(staff_store, "gebied;vm_onveilig_buurt\nBerflo Es;31,5\n").ok


def test_xlsx(staff_store):
    buffer = io.BytesIO()
    pd.DataFrame(
        {
            "gebied": ["WK016405"],
            "indicator": ["vm_onveilig_buurt"],
            "periode": [2019],
            "waarde": [31.5],
        }
    ).to_excel(buffer, index=False)
    parsed = parse(staff_store, buffer.getvalue(), "monitor.xlsx")
    assert parsed.ok, parsed.issues
    assert parsed.rows["value"].tolist() == [31.5] and parsed.rows["period"].tolist() == ["2019"]


def test_windows_1252_is_read_with_a_warning(staff_store):
    parsed = parse(
        staff_store,
        "gebied;indicator;periode;waarde;opmerking\n"
        "WK016405;vm_onveilig_buurt;2019;31,5;één\n".encode("cp1252"),
    )
    assert parsed.ok
    assert any(i.severity == "warning" and "Windows-1252" in i.message for i in parsed.issues)


@functools.lru_cache(maxsize=1)
def fuzz_store(path: str):
    """The real store, read once (hypothesis prints the arguments of a failing example, so
    the test gets only the path)."""
    return open_store(Path(path)).read_data()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.one_of(
        st.binary(max_size=400),
        st.lists(
            st.sampled_from(
                list("gebid;,\t\n\"'0123456789.-%WKBU")
                + ["é", "€", "Noord", "WK016405", "vm_onveilig_buurt", "2019", "BU01640000", ";;"]
            ),
            max_size=80,
        ).map(lambda parts: ("gebied;indicator;periode;waarde\n" + "".join(parts)).encode()),
    )
)
def test_parser_never_crashes_and_never_writes(store_path, content):
    store_data = fuzz_store(str(store_path))
    areas = staff.areas_frame(store_data)
    parsed = parse_import(
        content, "fuzz.csv", areas, store_data.indicators, set(store_data.sources.index)
    )
    assert isinstance(parsed.issues, list)
    for issue in parsed.issues:
        assert issue.message
    if parsed.ok:
        assert parsed.rows["value"].notna().all()


def test_preview_commit_reimport_and_undo(staff_store):
    content = GOOD_LONG.encode()
    parsed = parse(staff_store, content)
    preview = staff.import_preview(staff_store, parsed)
    assert set(preview["change"]) == {"new"}
    number = staff_store.commit_import(parsed, "admin", "monitor.csv", content, "Test VM")
    obs = staff_store.read_data().observations
    hit = obs[(obs["area_code"] == "WK016405") & (obs["period"] == "2019")]
    assert hit["value"].iloc[0] == 31.5 and hit["source_id"].iloc[0] == f"IMPORT_{number}"
    log = staff_store.import_log().iloc[0]
    assert log["user"] == "admin" and log["sha256"] == hashlib.sha256(content).hexdigest()
    assert log["n_new"] == 2
    again = staff.import_preview(staff_store, parse(staff_store, content))
    assert set(again["change"]) == {"unchanged"}
    changed = staff.import_preview(staff_store, parse(staff_store, GOOD_LONG.replace("31,5", "30")))
    assert "changed" in set(changed["change"])
    staff_store.undo_import(number, "admin")
    obs = staff_store.read_data().observations
    assert obs[(obs["period"] == "2019") & (obs["indicator_id"] == "vm_onveilig_buurt")].empty
    with pytest.raises(staff.StaffError, match="al ongedaan"):
        staff_store.undo_import(number, "admin")
    with pytest.raises(staff.StaffError, match="bestaat niet"):
        staff_store.undo_import(999, "admin")


def test_buurt_import_updates_the_derived_wijk(staff_store):
    content = (
        b"gebied;indicator;periode;waarde\nBU01640000;geregistreerde_misdrijven;2023;100\n"
        b"BU01640001;geregistreerde_misdrijven;2023;50\n"
        b"BU01640002;geregistreerde_misdrijven;2023;25\n"
    )
    staff_store.commit_import(parse(staff_store, content), "admin", "p.csv", content, "Test")
    obs = staff_store.read_data().observations
    wijk = obs[
        (obs["area_code"] == "WK016400") & (obs["indicator_id"] == "geregistreerde_misdrijven")
    ]
    assert wijk["value"].iloc[0] == 175 and wijk["status"].iloc[0] == "derived"


def test_a_few_new_values_do_not_hijack_the_map_period(staff_store):
    from indicators.views import map_values

    content = b"gebied;indicator;periode;waarde\nBU01640000;misdrijf_geweld;2020;85\n"
    staff_store.commit_import(parse(staff_store, content), "admin", "p.csv", content, "T")
    obs = staff_store.read_data().observations
    codes = sorted(obs.loc[obs["level"] == "buurt", "area_code"].unique())
    assert map_values(obs, "misdrijf_geweld", "buurt", codes)["period"].iloc[0] == "2017"


def test_rebuild_keeps_users_and_imports(staff_store):
    content = GOOD_LONG.encode()
    staff_store.commit_import(parse(staff_store, content), "admin", "m.csv", content, "T")
    staff_store.build()
    assert {u.username for u in staff_store.users()} == {"admin", "medewerker"}
    assert len(staff_store.import_log()) == 1
    obs = staff_store.read_data().observations
    assert (obs["period"] == "2019").any()


def test_define_indicator_then_import_it(staff_store):
    fields = made_up_indicator("vm_slachtoffer")
    assert staff_store.define_indicator(fields) == "vm_slachtoffer"
    with pytest.raises(staff.StaffError, match="bestaat al"):
        staff_store.define_indicator(fields)
    with pytest.raises(staff.StaffError, match="unit"):
        staff_store.define_indicator(fields | {"id": "x2", "unit": "parsecs"})
    content = b"gebied;indicator;periode;waarde;n\nBerflo Es;vm_slachtoffer;2019;12;400\n"
    parsed = parse(staff_store, content)
    assert parsed.ok, parsed.issues
    staff_store.commit_import(parsed, "admin", "v.csv", content, "Test")
    data_module.reset()
    context = data_module.get_context()
    assert "vm_slachtoffer" in context.data.indicators.index
    public = context.public_obs
    assert public[(public["indicator_id"] == "vm_slachtoffer")]["value"].tolist() == [12]


# --- the web: login, CSRF, roles ---------------------------------------------------------

INTERNAL_GETS = [
    "/intern",
    "/intern/",
    "/intern/import",
    "/intern/log",
    "/intern/indicator",
    "/intern/gebruikers",
]
INTERNAL_POSTS = [
    "/intern/import",
    "/intern/import/bevestig",
    "/intern/import/1/ongedaan",
    "/intern/indicator",
    "/intern/gebruikers",
    "/intern/logout",
]


def token(html: bytes) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', html).group(1).decode()


def login(client, username="admin", password=PASSWORD):
    page = client.get("/intern/login")
    return client.post(
        "/intern/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": token(page.data),
            "next": "/intern",
        },
    )


@pytest.mark.parametrize("path", INTERNAL_GETS)
def test_every_internal_page_refuses_anonymous(client, staff_store, path):
    response = client.get(path)
    assert response.status_code == 302 and "/intern/login" in response.headers["Location"]


@pytest.mark.parametrize("path", INTERNAL_POSTS)
def test_every_internal_post_refuses_anonymous(client, staff_store, path):
    page = client.get("/intern/login")
    response = client.post(path, data={"csrf_token": token(page.data)})
    assert response.status_code == 401
    assert client.post(path, data={}).status_code == 400  # and without a CSRF token


def test_login_logout_and_cookie_flags(client, staff_store):
    response = login(client)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    home = client.get("/intern")
    assert home.status_code == 200 and b"admin (admin)" in home.data
    client.post("/intern/logout", data={"csrf_token": token(home.data)})
    assert client.get("/intern").status_code == 302


def test_wrong_password_and_rate_limit(client, staff_store):
    for _ in range(intern.MAX_FAILURES):
        assert login(client, password="fout-wachtwoord").status_code == 401
    blocked = login(client)  # even the right password is refused while blocked
    assert blocked.status_code == 429 and "Te veel mislukte pogingen" in blocked.data.decode()


def test_open_redirect_is_refused(client, staff_store):
    page = client.get("/intern/login")
    response = client.post(
        "/intern/login",
        data={
            "username": "admin",
            "password": PASSWORD,
            "csrf_token": token(page.data),
            "next": "https://evil.example/",
        },
    )
    assert response.headers["Location"] == "/intern"


def test_staff_role_cannot_open_admin_pages(client, staff_store):
    login(client, "medewerker")
    assert client.get("/intern/import").status_code == 200
    assert client.get("/intern/gebruikers").status_code == 403
    assert client.get("/intern/indicator").status_code == 403


def test_admin_removes_a_user_and_its_session_ends(app, client, staff_store):
    other = app.server.test_client()
    login(other, "medewerker")
    assert other.get("/intern/log").status_code == 200
    login(client)
    page = client.get("/intern/gebruikers")
    assert b"/intern/gebruikers/medewerker/verwijderen" in page.data
    assert b"/intern/gebruikers/admin/verwijderen" not in page.data  # not yourself
    removed = client.post(
        "/intern/gebruikers/medewerker/verwijderen", data={"csrf_token": token(page.data)}
    )
    assert removed.status_code == 302
    assert [u.username for u in staff_store.users()] == ["admin"]
    assert other.get("/intern/log").status_code == 302  # sent to the login page
    self_removal = client.post(
        "/intern/gebruikers/admin/verwijderen", data={"csrf_token": token(page.data)}
    )
    assert self_removal.status_code == 302 and staff_store.user("admin") is not None


def upload(client, content: bytes, name: str, source: str):
    """Log in and upload a file on the import page (the preview, nothing written yet)."""
    login(client)
    page = client.get("/intern/import")
    return client.post(
        "/intern/import",
        data={
            "csrf_token": token(page.data),
            "source": source,
            "period": "",
            "file": (io.BytesIO(content), name),
        },
        content_type="multipart/form-data",
    )


def test_upload_preview_confirm_and_undo_through_the_web(client, staff_store):
    response = upload(client, GOOD_LONG.encode(), "monitor.csv", "Veiligheidsmonitor test")
    assert response.status_code == 200 and b"Voorbeeld" in response.data
    assert staff_store.import_log().empty  # nothing written before confirming
    pending = re.search(rb'name="pending" value="([^"]+)"', response.data).group(1).decode()
    confirmed = client.post(
        "/intern/import/bevestig", data={"csrf_token": token(response.data), "pending": pending}
    )
    assert confirmed.status_code == 302
    log = client.get("/intern/log")
    assert b"monitor.csv" in log.data and b"actief" in log.data
    public = data_module.get_context().public_obs
    assert (public["period"] == "2019").any()
    undone = client.post(
        "/intern/import/1/ongedaan", data={"csrf_token": token(log.data), "bevestigd": "ja"}
    )
    assert undone.status_code == 302
    assert b"ongedaan op" in client.get("/intern/log").data


def test_bad_upload_through_the_web_writes_nothing(client, staff_store):
    bad = b"gebied;indicator;periode;waarde\nAtlantis;vm_onveilig_buurt;2019;5\n"
    response = upload(client, bad, "fout.csv", "x")
    assert response.status_code == 422
    assert "onbekend gebied" in response.data.decode() and b"confirm-import" not in response.data
    assert staff_store.import_log().empty


def test_cli_user_import_undo(staff_store, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["--store", str(staff_store.path), "user", "add", "piet", "--password-stdin"]) == 0
    assert "piet" in {u.username for u in staff_store.users()}
    token = staff_store.create_session("piet")
    assert main(["--store", str(staff_store.path), "user", "remove", "piet"]) == 0
    assert staff_store.session(token) is None and staff_store.user("piet") is None
    assert main(["--store", str(staff_store.path), "user", "remove", "piet"]) == 1
    file = tmp_path / "monitor.csv"
    file.write_text(GOOD_LONG, encoding="utf-8")
    assert (
        main(["--store", str(staff_store.path), "import", str(file), "--source", "T", "--dry-run"])
        == 0
    )
    assert staff_store.import_log().empty
    assert (
        main(["--store", str(staff_store.path), "import", str(file), "--source", "T", "--yes"]) == 0
    )
    assert main(["--store", str(staff_store.path), "undo", "1", "--yes"]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("gebied;indicator;periode;waarde\nAtlantis;x;2019;1\n", encoding="utf-8")
    assert (
        main(["--store", str(staff_store.path), "import", str(bad), "--source", "T", "--yes"]) == 1
    )
    assert "onbekend gebied" in capsys.readouterr().out


# --- open data ---------------------------------------------------------------------------


def test_real_recorded_cbs_reply_parses(tmp_path):
    from pathlib import Path

    text = (
        Path(__file__).parent
        / "fixtures"
        / "cbs_odata"
        / "ncov-stats_84489NED_raw_v3_reply"
        / "TypedDataSet.json"
    ).read_text(encoding="utf-8")
    rows, next_link = cbs_odata.parse_typed_dataset(text)
    assert len(rows) == 2500 and next_link is None
    hengelo = [r for r in rows if r.get("Code_3") == "GM0164"]
    assert hengelo and all(r["Code_3"] == "GM0164" for r in hengelo)  # padding stripped


class FakeCbs(BaseHTTPRequestHandler):
    """A local stand-in for the CBS API, in its own reply format (made-up numbers)."""

    mode = "ok"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if FakeCbs.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        if FakeCbs.mode == "slow":
            import time

            time.sleep(2)
        if FakeCbs.mode == "garbage":
            body = b"<html>onderhoud</html>"
        else:
            page = 2 if "skip" in self.path else 1
            rows = [
                {
                    "ID": 1000 + i,
                    "SoortMisdrijf": "0.0.0    ",
                    "WijkenEnBuurten": code,
                    "Perioden": "2023JJ00",
                    "GeregistreerdeMisdrijven_1": value,
                }
                for i, (code, value) in enumerate(
                    [("BU01640000", 120.0), ("BU01640001", 45.0)]
                    if page == 1
                    else [("BU01640002", 30.0), ("WK016400  ", 195.0)]
                )
            ]
            rows.append(
                {
                    "ID": 99,
                    "SoortMisdrijf": "1.1.1    ",
                    "WijkenEnBuurten": "BU01640000",
                    "Perioden": "2023JJ00",
                    "GeregistreerdeMisdrijven_1": 10.0,
                }
            )
            doc = {"odata.metadata": "http://localhost/$metadata#TypedDataSet", "value": rows}
            if page == 1:
                doc["odata.nextLink"] = (
                    f"http://127.0.0.1:{self.server.server_port}/47018NED/TypedDataSet?$skip=3"
                )
            import json

            body = json.dumps(doc).replace(",", ",\r\n").encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)


@pytest.fixture()
def fake_cbs():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeCbs)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeCbs.mode = "ok"
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_fetch_imports_through_the_validated_path(staff_store, fake_cbs, capsys):
    assert main(["--store", str(staff_store.path), "fetch", "--base-url", fake_cbs]) == 0
    log = staff_store.import_log()
    assert log.iloc[0]["user"] == "fetch" and log.iloc[0]["n_rows"] == 4
    obs = staff_store.read_data().observations
    crimes = obs[(obs["indicator_id"] == "geregistreerde_misdrijven") & (obs["period"] == "2023")]
    assert crimes.set_index("area_code").loc["WK016400", "value"] == 195


@pytest.mark.parametrize(
    "mode,message",
    [("error", "HTTP 500"), ("slow", "niet binnen"), ("garbage", "geen geldige JSON")],
)
def test_fetch_failures_are_clear_and_write_nothing(staff_store, fake_cbs, capsys, mode, message):
    FakeCbs.mode = mode
    assert (
        main(
            ["--store", str(staff_store.path), "fetch", "--base-url", fake_cbs, "--timeout", "0.5"]
        )
        == 1
    )
    assert message in capsys.readouterr().err
    assert staff_store.import_log().empty


def test_fetch_without_network_says_so(staff_store, capsys):
    assert (
        main(
            [
                "--store",
                str(staff_store.path),
                "fetch",
                "--base-url",
                "http://127.0.0.1:9",
                "--timeout",
                "1",
            ]
        )
        == 1
    )
    assert "niet bereikbaar" in capsys.readouterr().err


def test_kwb_mapping_uses_keys_of_the_real_table_metadata():
    import json
    from pathlib import Path

    props = json.loads(
        (
            Path(__file__).parent
            / "fixtures"
            / "cbs_odata"
            / "niquedegraaff_85984NED_cbsodata_download"
            / "DataProperties.json"
        ).read_text(encoding="utf-8")
    )
    keys = {p.get("Key") for p in props}
    assert set(cbs_odata.KWB_VARIABLES) <= keys
    assert "WijkenEnBuurten" in keys


REAL_KWB_PROPERTIES = (
    Path(__file__).parent
    / "fixtures"
    / "cbs_odata"
    / "niquedegraaff_85984NED_cbsodata_download"
    / "DataProperties.json"
)


class FakeKwb(BaseHTTPRequestHandler):
    """A stand-in for CBS Kerncijfers in its reply format (made-up numbers, test only); its
    DataProperties are the real ones of 85984NED."""

    seen: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        import json

        FakeKwb.seen.append(self.path)
        if "/DataProperties" in self.path:
            props = json.loads(REAL_KWB_PROPERTIES.read_text(encoding="utf-8"))
            send_json(self, {"odata.metadata": "x", "value": props})
            return

        rows = [
            {
                "ID": 1,
                "WijkenEnBuurten": "BU01640000",
                "AantalInwoners_5": 1111.0,
                "Woningvoorraad_35": 555.0,
                "Bevolkingsdichtheid_34": None,
            },
            {
                "ID": 2,
                "WijkenEnBuurten": "WK016400  ",
                "AantalInwoners_5": 3333.0,
                "Woningvoorraad_35": -99999999.0,
                "Bevolkingsdichtheid_34": 4000.0,
            },
        ]
        send_json(self, {"odata.metadata": "x", "value": rows})


def test_fetch_kwb_leaves_secret_and_missing_out(staff_store):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeKwb)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert (
            main(
                [
                    "--store",
                    str(staff_store.path),
                    "fetch",
                    "--table",
                    "kwb",
                    "--year",
                    "2024",
                    "--base-url",
                    f"http://127.0.0.1:{server.server_port}",
                ]
            )
            == 0
        )
    finally:
        server.shutdown()
    rows = staff_store.state_tables()["import_observation"]
    got = {(r.area_code, r.indicator_id): r.value for r in rows.itertuples()}
    assert got == {
        ("BU01640000", "inwoners"): 1111,
        ("BU01640000", "woningvoorraad"): 555,
        ("WK016400", "inwoners"): 3333,
        ("WK016400", "bevolkingsdichtheid"): 4000,
    }
    assert (
        main(["--store", str(staff_store.path), "fetch", "--table", "kwb", "--year", "1999"]) == 1
    )
    bad_id = ["--year", "2018", "--table-id", "../x"]
    assert main(["--store", str(staff_store.path), "fetch", "--table", "kwb", *bad_id]) == 2


def test_kwb_keys_are_found_by_title_in_the_real_metadata():
    import json

    props = json.loads(REAL_KWB_PROPERTIES.read_text(encoding="utf-8"))
    assert cbs_odata.kwb_keys(props) == cbs_odata.KWB_VARIABLES


def test_fetch_kwb_of_another_year_reads_that_tables_keys(staff_store):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeKwb)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeKwb.seen = []
    base = f"http://127.0.0.1:{server.server_port}"
    args = ["--store", str(staff_store.path), "fetch", "--table", "kwb", "--base-url", base]
    try:
        assert main([*args, "--year", "2023"]) == 0
        assert main([*args, "--year", "2018", "--table-id", "84286NED"]) == 0
    finally:
        server.shutdown()
    tables = [p.split("/")[1] for p in FakeKwb.seen]
    assert tables == ["85618NED", "85618NED", "84286NED", "84286NED"]
    rows = staff_store.state_tables()["import_observation"]
    assert set(rows["period"]) == {"2023", "2018"}
