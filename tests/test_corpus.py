"""The corpus of bad inputs (tests/corpus, made by tests/corpus/make_corpus.py, plus a zip bomb
and oversized CSVs made here): import files, URL parameters, callback bodies, form fields and
boundary files. Every one must be answered without a 500 or a traceback, with at most one log
line, without changing the store, and every refused import names the row and the column
where a cell is at fault. The counts are written to test-output/corpus-summary.json."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from geodata.io import BoundaryFileError, read_master_buurten
from geodata.validate import boundary_problems

from conftest import PASSWORD
from dashclient import prop, render_page

CORPUS = Path(__file__).parent / "corpus"
WEB = json.loads((CORPUS / "web.json").read_text(encoding="utf-8"))
THIS_MONTH = date.today().strftime("%Y-%m")
TRACEBACK = re.compile(rb"Traceback \(most recent call last\)|File \"/[^\"]+\.py\", line \d+")
SUMMARY: dict[str, int] = {}
CELL_ERROR = re.compile(r'<tr class="issue-error"><td>(\d+)</td><td>([^<–]+)</td>')


def _digest(store) -> str:
    """The public data (the whole GeoPackage), the import log and the users of a store; not
    the login throttle and sessions, which a refused login is meant to write."""
    digest = hashlib.sha256(store.path.read_bytes())
    digest.update(store.import_log().to_csv().encode())
    digest.update(repr(store.users()).encode())
    return digest.hexdigest()


def _token(html: bytes) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', html).group(1).decode()


def _login(client, username="admin"):
    page = client.get("/intern/login")
    data = {"username": username, "password": PASSWORD, "csrf_token": _token(page.data)}
    assert client.post("/intern/login", data=data).status_code == 302


class Tally:
    """Counts answers; fails on a 500, a traceback in a body, or more than one log line."""

    def __init__(self, caplog, kind: str):
        self.caplog, self.kind, self.count, self.statuses = caplog, kind, 0, {}

    def check(self, label: str, status: int, body: bytes) -> None:
        records = [r for r in self.caplog.records if r.levelno >= logging.WARNING]
        self.caplog.clear()
        self.count += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        assert status != 500, f"{self.kind} {label!r}: 500"
        assert not TRACEBACK.search(body or b""), f"{self.kind} {label!r}: traceback in answer"
        assert len(records) <= 1, f"{self.kind} {label!r}: {len(records)} log lines"
        for record in records:
            assert record.exc_info is None and "Traceback" not in record.getMessage()

    def done(self) -> None:
        SUMMARY[self.kind] = self.count
        SUMMARY[f"{self.kind}_statuses"] = {str(k): v for k, v in sorted(self.statuses.items())}
        write_summary()


def write_summary() -> None:
    """The counts of this run, for the report (test-output/corpus-summary.json)."""
    out = Path(__file__).resolve().parents[1] / "test-output"
    out.mkdir(exist_ok=True)
    (out / "corpus-summary.json").write_text(json.dumps(SUMMARY, indent=1))


# ---------------------------------------------------------------- generated large files


def zip_bomb(unpacked_mb: int = 30) -> bytes:
    """A real workbook whose one text cell is ``unpacked_mb`` MB long (packed to KBs)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["gebied", "indicator", "periode", "waarde"])
    book.active.append(["BU01640000", "inwoners", 2021, "x"])
    plain, out = io.BytesIO(), io.BytesIO()
    book.save(plain)
    with (
        zipfile.ZipFile(plain) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":  # the one cell: MBs of text
                part = part.replace(
                    b"<t>x</t>", b"<t>" + b"A" * (unpacked_mb * 1_000_000) + b"</t>"
                )
            dst.writestr(info, part)
    return out.getvalue()


def ratio_bomb() -> bytes:
    """Under the 20 MB total, but one part packed more than 200 times."""
    return zip_bomb(unpacked_mb=8)


def many_rows(rows: int) -> bytes:
    return ("a;b\n" + "x;1\n" * rows).encode()


GENERATED = {
    "file_zip_bomb.xlsx": zip_bomb,
    "file_ratio_bomb.xlsx": ratio_bomb,
    "file_20001_rows.csv": lambda: (
        "gebied;indicator;periode;waarde\n" + "BU01640000;inwoners;2021;5\n" * 20_001
    ).encode(),
    "file_300000_rows.csv": lambda: many_rows(300_000),
    "file_6mb.csv": lambda: b"gebied;waarde\n" + b"x;1\n" * 1_600_000,
}


def corpus_files() -> dict[str, bytes]:
    files = {
        path.name: path.read_bytes().replace(b"{THIS_MONTH}", THIS_MONTH.encode())
        for path in sorted((CORPUS / "imports").iterdir())
    }
    return files | {name: make() for name, make in GENERATED.items()}


# ---------------------------------------------------------------- imports through the web


def test_every_bad_import_file_is_refused_with_row_and_column(client, staff_store, caplog):
    files = corpus_files()
    _login(client, "medewerker")
    before = _digest(staff_store)
    tally, with_cell, whole_file = Tally(caplog, "import_files"), 0, 0
    for name, content in files.items():
        page = client.get("/intern/import")
        response = client.post(
            "/intern/import",
            data={
                "csrf_token": _token(page.data),
                "source": "Corpus",
                "period": "",
                "file": (io.BytesIO(content), name),
            },
            content_type="multipart/form-data",
        )
        tally.check(name, response.status_code, response.data)
        assert response.status_code in (400, 413, 422), f"{name}: {response.status_code}"
        assert b"niet geladen" in response.data or response.status_code == 413, name
        cells = CELL_ERROR.findall(response.data.decode("utf-8", "replace"))
        if name.startswith("cell_"):
            assert cells, f"{name}: no error names a row and a column"
            with_cell += 1
        else:
            assert name.startswith("file_"), name
            whole_file += 1
    assert _digest(staff_store) == before
    assert staff_store.import_log().empty
    SUMMARY["import_refused_with_row_and_column"] = with_cell
    SUMMARY["import_refused_as_whole_file"] = whole_file
    tally.done()


def test_oversized_inputs_are_refused_before_reading():
    from indicators.imports import check_workbook, read_table

    problem = check_workbook(zip_bomb())
    assert problem and "uitgepakt 30 MB" in problem.message
    assert "verdacht sterk ingepakt" in check_workbook(ratio_bomb()).message
    table, _, issues = read_table(many_rows(300_000), "groot.csv")
    assert table is None and any("Meer dan 20000 regels" in i.message for i in issues)
    table, _, issues = read_table(many_rows(20_000), "precies.csv")
    assert table is not None and len(table) == 20_000


# ---------------------------------------------------------------- pages and plain URLs


def test_bad_url_parameters_never_break_a_page(client, caplog):
    tally = Tally(caplog, "page_urls")
    for url in WEB["urls"]:
        path, _, query = url.partition("?")
        status, content, raw = render_page(client, path, "?" + query if query else "")
        tally.check(url, status, raw)
        assert status == 200 and content is not None, url
    tally.done()


def test_repeated_parameter_uses_the_first_value_with_a_notice(client):
    status, content, raw = render_page(client, "/", "?gebied=x&gebied=y")
    assert status == 200 and b"'gebied' 2 keer" in raw


def test_bad_http_paths_answer_plainly(client, caplog):
    tally = Tally(caplog, "http_urls")
    for url in WEB["http_urls"]:
        response = client.get(url)
        tally.check(url, response.status_code, response.data)
        location = response.headers.get("Location", "")
        assert "\n" not in location and "\r" not in location and "evil" not in location
        if url.startswith("/_dash-component-suites/"):
            assert response.status_code == 404, url
    tally.done()


def test_hostile_next_never_leaves_the_staff_area(client, staff_store, caplog):
    tally = Tally(caplog, "login_next")
    for target in WEB["login_next"]:
        page = client.get("/intern/login", query_string={"next": target})
        tally.check(target, page.status_code, page.data)
        response = client.post(
            "/intern/login",
            data={
                "username": "admin",
                "password": PASSWORD,
                "csrf_token": _token(page.data),
                "next": target,
            },
        )
        tally.check(target, response.status_code, response.data)
        location = response.headers.get("Location", "")
        assert response.status_code == 302 and location.startswith("/intern"), (target, location)
        assert not re.search(r"[\r\n\\\x00]|//|\.\.", location), location
        client.post("/intern/logout", data={"csrf_token": _token(client.get("/intern").data)})
    tally.done()


# ---------------------------------------------------------------- form fields


def _post_form(client, path: str, fields: dict):
    page = client.get(path)
    data = {"csrf_token": _token(page.data)}
    for key, value in fields.items():
        data[key] = value
    return client.post(path, data=data)


def test_bad_form_fields_are_refused_and_change_nothing(client, staff_store, caplog):
    tally = Tally(caplog, "form_fields")
    for fields in WEB["login_fields"]:
        before = _digest(staff_store)
        response = _post_form(client, "/intern/login", fields)
        tally.check(str(fields)[:60], response.status_code, response.data)
        assert response.status_code in (400, 401, 429)
        assert _digest(staff_store) == before
    _login(client)
    for path, corpus in (
        ("/intern/indicator", WEB["indicator_fields"]),
        ("/intern/gebruikers", WEB["user_fields"]),
    ):
        for fields in corpus:
            before = _digest(staff_store)
            response = _post_form(client, path, fields)
            tally.check(f"{path} {str(fields)[:60]}", response.status_code, response.data)
            assert response.status_code in (400, 422), (path, fields, response.status_code)
            assert _digest(staff_store) == before, (path, fields)
    for fields in WEB["import_form_fields"]:
        before = _digest(staff_store)
        page = client.get("/intern/import")
        form = {k: v.replace("{THIS_MONTH}", THIS_MONTH) for k, v in fields.items()}
        response = client.post(
            "/intern/import",
            data={
                "csrf_token": _token(page.data),
                **form,
                "file": (io.BytesIO(b"gebied;waarde\nBU01640000;5\n"), "x.csv"),
            },
            content_type="multipart/form-data",
        )
        tally.check(str(fields)[:60], response.status_code, response.data)
        assert response.status_code in (400, 422)
        assert _digest(staff_store) == before
    tally.done()


# ---------------------------------------------------------------- callbacks


PAGES = ["/", "/?niveau=buurt", "/thema", "/wijk/WK016400", "/benchmark", "/vergelijk"]


def _components(node, found: dict) -> dict:
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and "id" in props:
            key = props["id"] if isinstance(props["id"], str) else json.dumps(props["id"])
            found.setdefault(key, props)
        for value in (props or node).values() if isinstance(props, dict) else node.values():
            _components(value, found)
    elif isinstance(node, list):
        for value in node:
            _components(value, found)
    return found


def _outputs(spec: str) -> list[dict]:
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
    out = []
    for part in parts:
        cid, _, prop_name = part.rpartition(".")
        prop_name = prop_name.split("@")[0]
        out.append({"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop_name})
    return out


def _baseline(dep_input: dict, components: dict):
    cid = dep_input["id"]
    if cid.startswith("{"):
        return []  # a wildcard input: no such buttons on the page yet
    return components.get(cid, {}).get(dep_input["property"])


def callback_bodies(client) -> list[dict]:
    """One request body per server-side callback with values from the rendered pages."""
    components: dict = {
        "_pages_location": {"pathname": "/", "search": ""},
    }
    for url in PAGES:
        path, _, query = url.partition("?")
        _, content, _ = render_page(client, path, "?" + query if query else "")
        _components(content, components)
    bodies = []
    for dep in client.get("/_dash-dependencies").get_json():
        if dep.get("clientside_function"):
            continue
        outputs = _outputs(dep["output"])
        body = {
            "output": dep["output"],
            "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            "inputs": [
                prop(i["id"], i["property"], _baseline(i, components)) for i in dep["inputs"]
            ],
            "state": [prop(s["id"], s["property"], _baseline(s, components)) for s in dep["state"]],
            "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
        }
        bodies.append(body)
    return bodies


def test_callbacks_with_values_of_the_wrong_type_answer_400_at_worst(client, caplog):
    tally = Tally(caplog, "callback_bodies")
    bodies = callback_bodies(client)
    assert len(bodies) >= 8
    exceptions = refused = 0
    for body in bodies:
        response = client.post("/_dash-update-component", json=body)
        tally.check(body["output"][:60], response.status_code, response.data)
        for group in ("inputs", "state"):
            for index, item in enumerate(body[group]):
                for value in WEB["callback_values"]:
                    bad = json.loads(json.dumps(body))
                    bad[group][index]["value"] = value
                    bad["changedPropIds"] = [f"{item['id']}.{item['property']}"]
                    response = client.post("/_dash-update-component", json=bad)
                    label = f"{item['id']}.{item['property']}={str(value)[:20]}"
                    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
                    refused += any("geweigerd" in line for line in lines)
                    exceptions += sum("geweigerd" not in line for line in lines)
                    tally.check(label, response.status_code, response.data)
                    assert response.status_code in (200, 204, 400), label
    for junk in (b"", b"{", b"[]", b'{"output": 1}', b'{"output": "x.y", "inputs": 5}'):
        response = client.post(
            "/_dash-update-component", data=junk, content_type="application/json"
        )
        tally.check(junk.decode(), response.status_code, response.data)
    SUMMARY["callback_bodies_refused_before_the_callback"] = refused
    SUMMARY["callback_exceptions"] = exceptions
    assert exceptions == 0, "a callback raised on a value of the wrong type"
    tally.done()


# ---------------------------------------------------------------- boundaries


WIJKEN = {"WK016400": "Binnenstad"}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # coordinates of 1e308 overflow areas
def test_bad_boundary_files_are_refused_in_plain_words():
    refused = 0
    for path in sorted((CORPUS / "geometry").iterdir()):
        try:
            buurten = read_master_buurten(path)
        except BoundaryFileError as exc:
            assert path.name in str(exc)
            refused += 1
            continue
        problems = boundary_problems(buurten, WIJKEN)
        assert problems, path.name
        refused += 1
    SUMMARY["geometry_files"] = refused
    write_summary()
