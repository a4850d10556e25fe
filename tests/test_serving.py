"""Production serving: security headers, /health, a clear 503 when the store cannot be used,
and real gunicorn with 2 workers sharing one embedded store (staff cycles, lockout, logout).
Figures are made up (test data only)."""

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from test_browser import free_port
from test_staff import login, token

from indicators.stores import StoreUnavailable

from conftest import PASSWORD, cap_pages, copy_embedded

ROOT = Path(__file__).resolve().parents[1]
UPLOAD = "gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;{value}\n"


# ---------------------------------------------------------------------- in-process (test client)
def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+'", csp)
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_only_over_https_and_not_from_an_untrusted_header(client):
    assert (
        "Strict-Transport-Security" in client.get("/health", base_url="https://localhost").headers
    )
    forged = client.get("/health", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in forged.headers


def test_health_reports_the_store(client, staff_store):
    staff_store.record_refresh("ok", "test")
    response = client.get("/health")
    assert response.status_code == 200
    report = response.get_json()
    assert report["status"] == "ok" and report["store"] == "embedded"
    assert report["data_version"] == staff_store.data_version()
    assert report["last_refresh"]["outcome"] == "ok"


def test_an_unreachable_store_gives_503_never_a_traceback(client, base_store, monkeypatch):
    from dashboard import data

    def down(*args, **kwargs):
        raise StoreUnavailable("De database is niet bereikbaar (test).")

    monkeypatch.setattr(type(base_store), "data_version", down)
    data.reset()
    try:
        health = client.get("/health")
        assert health.status_code == 503 and health.get_json()["status"] == "unavailable"
        for path in ("/", "/wijk/berflo-es", "/data/cijfers.csv", "/geo/wijk.geojson"):
            page = client.get(path)
            assert page.status_code == 503, path
            text = page.get_data(as_text=True)
            assert "tijdelijk niet beschikbaar" in text and "Traceback" not in text
            assert page.headers["Retry-After"]
    finally:
        monkeypatch.undo()
        data.reset()
    assert client.get("/").status_code == 200  # back without a restart


def test_a_full_disk_during_a_web_import_is_a_503_and_loses_nothing(
    client, staff_store, monkeypatch
):
    import sqlite3

    login(client)
    page = client.get("/intern/import")
    codes = staff_store.read_data().buurten["buurtcode"]
    lines = ["gebied;indicator;periode;waarde"]
    lines += [f"{c};inwoners;{y};{100 + y}" for c in codes for y in range(2000, 2021)]
    preview = client.post(
        "/intern/import",
        data={
            "csrf_token": token(page.data),
            "source": "Test",
            "period": "",
            "file": (io.BytesIO(("\n".join(lines) + "\n").encode()), "groot.csv"),
        },
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    pending = re.search(rb'name="pending" value="([^"]+)"', preview.data).group(1).decode()
    with sqlite3.connect(staff_store.path) as con:
        (pages,) = con.execute("PRAGMA page_count").fetchone()
    cap_pages(monkeypatch, staff_store, pages)
    confirmed = client.post(
        "/intern/import/bevestig", data={"csrf_token": token(preview.data), "pending": pending}
    )
    monkeypatch.undo()
    assert confirmed.status_code == 503
    assert "schijf is vol" in confirmed.get_data(as_text=True)
    assert staff_store.import_log().empty


def test_work_the_same_for_everyone_is_done_once_per_data_version(client, context):
    from dashboard import data

    first = client.get("/data/cijfers.csv").data
    ctx = data.get_context()
    assert ctx.memo[("shared-bytes", "csv")] == first  # and shared with the other workers
    pdf = client.get("/wijk/berflo-es/profiel.pdf").data
    assert any(key[0] == "shared-bytes" and key[1].startswith("pdf ") for key in ctx.memo)
    assert client.get("/wijk/berflo-es/profiel.pdf").data == pdf


def test_importing_the_app_writes_nothing(tmp_path):
    """The app module opens no store and writes no file when imported (gunicorn imports it
    in every worker)."""
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        WIJKVEILIGHEID_STORE=str(tmp_path / "store.gpkg"),
        WIJKVEILIGHEID_SECRET_KEY="",
    )
    subprocess.run([sys.executable, "-c", "import dashboard.app"], env=env, check=True, timeout=120)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------- real gunicorn, 2 workers
@pytest.fixture(scope="module")
def gunicorn_server(base_store, tmp_path_factory):
    """``wijkveiligheid serve`` (gunicorn, 2 workers) on a private copy of the store."""
    folder = tmp_path_factory.mktemp("gunicorn")
    store = copy_embedded(base_store, folder)
    store.add_user("admin", PASSWORD, "admin")
    port = free_port()
    log_path = folder / "gunicorn.log"
    log = open(log_path, "ab")  # noqa: SIM115
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        WIJKVEILIGHEID_WORKERS="2",
        WIJKVEILIGHEID_THREADS="2",
        WIJKVEILIGHEID_SECURE_COOKIES="0",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "--store", str(store.path), "serve"]
        + ["--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(url + "/health", timeout=10).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail(log_path.read_text())
    yield url, store, log_path
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def fresh(session: requests.Session) -> requests.Session:
    """Every request on a new connection, so the two workers take turns."""
    session.headers["Connection"] = "close"
    return session


def web_login(url: str, user="admin", password=PASSWORD, address=None) -> requests.Session:
    session = fresh(requests.Session())
    if address:
        session.headers["X-Forwarded-For"] = address  # ignored: no trusted proxies
    page = session.get(url + "/intern/login")
    session.post(
        url + "/intern/login",
        data={"username": user, "password": password, "csrf_token": token(page.content)},
        allow_redirects=False,
    )
    return session


def staff_cycle(url: str, value: int) -> list[str]:
    """Login, upload, preview, confirm, undo; returns what went wrong (empty: nothing)."""
    problems = []
    session = web_login(url)
    page = session.get(url + "/intern/import")
    if page.status_code != 200:
        return [f"import page {page.status_code}"]
    preview = session.post(
        url + "/intern/import",
        data={"csrf_token": token(page.content), "source": "Test", "period": ""},
        files={"file": ("m.csv", UPLOAD.format(value=value).encode())},
    )
    found = re.search(rb'name="pending" value="([^"]+)"', preview.content)
    if preview.status_code != 200 or not found:
        return [f"preview {preview.status_code}"]
    confirmed = session.post(
        url + "/intern/import/bevestig",
        data={"csrf_token": token(preview.content), "pending": found.group(1).decode()},
    )
    if "is geladen" not in confirmed.text:
        problems.append("confirm: " + re.sub(r"\s+", " ", confirmed.text)[:200])
        return problems
    number = re.search(r"Import #(\d+) is geladen", confirmed.text).group(1)
    undone = session.post(
        url + f"/intern/import/{number}/ongedaan",
        data={"csrf_token": token(confirmed.content), "bevestigd": "ja"},
    )
    if "ongedaan gemaakt" not in undone.text:
        problems.append(f"undo {undone.status_code}")
    return problems


def test_twenty_staff_cycles_over_two_workers_without_a_failure(gunicorn_server):
    url, store, log_path = gunicorn_server
    failures = [p for i in range(20) for p in staff_cycle(url, 20 + i)]
    assert failures == []
    log = store.import_log()
    assert len(log) == 20 and log["undone_at"].notna().all()
    pids = set(re.findall(r"POST /intern/import/bevestig .* pid=<?(\d+)", log_path.read_text()))
    assert len(pids) == 2, "both workers confirmed imports"


def test_an_import_shows_on_every_worker_within_five_seconds(gunicorn_server):
    url, store, _ = gunicorn_server
    session = web_login(url)
    page = session.get(url + "/intern/import")
    preview = session.post(
        url + "/intern/import",
        data={"csrf_token": token(page.content), "source": "Test", "period": ""},
        files={"file": ("m.csv", UPLOAD.format(value=77).encode())},
    )
    pending = re.search(rb'name="pending" value="([^"]+)"', preview.content).group(1).decode()
    session.post(
        url + "/intern/import/bevestig",
        data={"csrf_token": token(preview.content), "pending": pending},
    )
    deadline = time.monotonic() + 5
    seen = []
    while time.monotonic() < deadline and (len(seen) < 6 or not all(seen[-6:])):
        csv = fresh(requests.Session()).get(url + "/data/cijfers.csv").text
        seen.append(bool(re.search(r"WK016402,.*vm_onveilig_buurt,.*,2019,77", csv)))
        time.sleep(0.2)
    assert seen[-6:] == [True] * 6  # six requests in a row, over both workers, see it
    number = int(store.import_log().iloc[0]["id"])
    store.undo_import(number, "admin")  # the CLI's way; the workers notice this too


def test_lockout_after_exactly_five_wrong_passwords_across_workers(gunicorn_server):
    url, store, _ = gunicorn_server
    store.add_user("lisa", PASSWORD)
    codes = []
    for _ in range(5):
        session = fresh(requests.Session())
        page = session.get(url + "/intern/login")
        wrong = session.post(
            url + "/intern/login",
            data={"username": "lisa", "password": "fout" * 4, "csrf_token": token(page.content)},
        )
        codes.append(wrong.status_code)
    assert codes == [401] * 5
    right = web_login(url, "lisa")
    assert right.get(url + "/intern/log", allow_redirects=False).status_code == 302
    # a forged X-Forwarded-For does not buy a new address block (no trusted proxies)
    forged = web_login(url, "lisa", address="203.0.113.9")
    assert forged.get(url + "/intern/log", allow_redirects=False).status_code == 302


def test_a_cookie_copied_before_logout_is_refused_afterwards(gunicorn_server):
    url, store, _ = gunicorn_server
    store.add_user("piet", PASSWORD)
    session = web_login(url, "piet")
    assert session.get(url + "/intern/log").status_code == 200
    copied = dict(session.cookies)
    page = session.get(url + "/intern")
    session.post(url + "/intern/logout", data={"csrf_token": token(page.content)})
    thief = fresh(requests.Session())
    for _ in range(4):  # on both workers
        stolen = thief.get(url + "/intern/log", cookies=copied, allow_redirects=False)
        assert stolen.status_code == 302 and "/intern/login" in stolen.headers["Location"]
    # a password reset ends every session too
    again = web_login(url, "piet")
    assert again.get(url + "/intern/log").status_code == 200
    store.set_password("piet", PASSWORD + "-nieuw")
    assert again.get(url + "/intern/log", allow_redirects=False).status_code == 302


def test_gunicorn_sends_headers_but_no_version(gunicorn_server):
    url, _, _ = gunicorn_server
    response = requests.get(url + "/")
    assert response.headers.get("Server", "") in ("", "gunicorn")
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_map_switch_answer_carries_no_page_policy_but_keeps_nosniff(client):
    """Callback answers are JSON, never rendered: the page's CSP (about 900 bytes) is left off
    so that a switch stays small on the wire; nosniff and the frame rule stay."""
    import mapclient

    sent = {}
    original = client.post

    def post(*args, **kwargs):
        sent["response"] = original(*args, **kwargs)
        return sent["response"]

    client.post = post
    status, _, raw, _ = mapclient.switch(client, "misdrijf_vernieling", "buurt")
    headers = sent["response"].headers
    assert status == 200 and "Content-Security-Policy" not in headers
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    header_bytes = sum(len(k) + len(v) + 4 for k, v in headers.items())
    assert len(raw) + header_bytes <= 1536
    page = client.get("/")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
