"""The embedded store as others see it: a standard GeoPackage (GDAL's validator), no password
hashes in the GIS file, safe after a kill, keeps its mode and owner, and says clearly when it
is read-only or the disk is full. Figures are made up (test data only)."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from indicators import staff
from indicators.stores import StoreUnavailable

from conftest import PASSWORD, cap_pages, copy_embedded, open_embedded

ROOT = Path(__file__).resolve().parents[1]
VALIDATE_GPKG = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
# Debian's GDAL 3.6 predates GeoPackage 1.4, whose R-tree triggers replaced update1/update3.
EXPECTED = ("_update1 trigger missing", "_update3 trigger missing")
CONTENT = b"gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;21\n"


def validate(path: Path) -> list[str]:
    if not VALIDATE_GPKG.exists():
        pytest.fail(
            f"{VALIDATE_GPKG} is missing: apt-get install python3-gdal (make install-test does)"
        )
    done = subprocess.run(
        ["/usr/bin/python3", str(VALIDATE_GPKG), "-k", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = (done.stdout + done.stderr).splitlines()
    return [line for line in lines if line.strip() and not line.endswith(EXPECTED)]


def test_gdal_finds_the_store_a_standard_geopackage(base_store, tmp_path):
    store = copy_embedded(base_store, tmp_path)
    store.add_user("anna", PASSWORD)
    parsed = staff.parse_for_store(store, CONTENT, "m.csv")
    store.commit_import(parsed, "anna", "m.csv", CONTENT, "Test")
    assert validate(store.path) == []


def test_no_password_hash_in_the_gis_file(base_store, tmp_path):
    store = copy_embedded(base_store, tmp_path)
    store.add_user("anna", PASSWORD)
    with sqlite3.connect(store.internal) as con:
        (hashed,) = con.execute("SELECT password_hash FROM app_user").fetchone()
    assert hashed.encode() not in store.path.read_bytes()
    with sqlite3.connect(store.path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert not tables & {"app_user", "app_session", "login_attempt", "import_preview"}


def test_an_old_store_hands_its_users_to_the_internal_file(base_store, tmp_path):
    """A store of schema 4 kept users (with hashes) in the GeoPackage: the next build moves
    them to the internal file and drops them from the GIS file."""
    store = copy_embedded(base_store, tmp_path)
    from werkzeug.security import generate_password_hash

    hashed = generate_password_hash(PASSWORD)
    with sqlite3.connect(store.path) as con:
        con.execute(
            "CREATE TABLE app_user (username TEXT, password_hash TEXT, role TEXT, "
            "created_at TEXT, failed_logins INTEGER, locked_until TEXT)"
        )
        con.execute(
            "INSERT INTO app_user VALUES ('oud', ?, 'admin', '2025-01-01', 0, NULL)", (hashed,)
        )
        con.execute("UPDATE store_meta SET value = '\"4\"' WHERE key = 'schema_version'")
        con.execute("UPDATE store_meta SET value = '\"0\"' WHERE key = 'source_fingerprint'")
    store = open_embedded(store.path)
    store.ensure()
    assert store.check_login("oud", PASSWORD, "127.0.0.1").user.role == "admin"
    with sqlite3.connect(store.path) as con:
        assert not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'app_user'").fetchall()
    assert hashed.encode() not in store.path.read_bytes()


KILLED_IMPORT = """
import sys, time
from indicators import staff
from indicators.stores import open_store

store = open_store(sys.argv[1])
original = store._rederive

def slow(con):
    original(con)
    print("inside", flush=True)
    time.sleep(60)

store._rederive = slow
content = sys.argv[2].encode()
parsed = staff.parse_for_store(store, content, "m.csv")
store.commit_import(parsed, "anna", "m.csv", content, "Test")
"""

KILLED_BUILD = """
import sys, time
from indicators.stores import open_store

store = open_store(sys.argv[1])

def stuck(tmp):
    print("inside", flush=True)
    time.sleep(60)

store._install = stuck
store.build()
"""


def run_and_kill(script: str, *args) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "inside"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)


def leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if "journal" in p.name or p.name.startswith((".", "tmp"))
    )


def test_a_killed_import_leaves_nothing_behind(base_store, tmp_path):
    store = copy_embedded(base_store, tmp_path)
    version = store.data_version()
    run_and_kill(KILLED_IMPORT, str(store.path), CONTENT.decode())
    assert leftovers(tmp_path) == ["wijkveiligheid.gpkg-journal"]  # the killed transaction
    again = open_embedded(store.path)  # the next process to open it rolls it back
    assert again.data_version() == version
    assert again.import_log().empty
    assert leftovers(tmp_path) == []
    parsed = staff.parse_for_store(again, CONTENT, "m.csv")
    assert again.commit_import(parsed, "anna", "m.csv", CONTENT, "Test") == 1


def test_a_killed_build_leaves_nothing_behind(base_store, tmp_path):
    store = copy_embedded(base_store, tmp_path)
    before = store.path.read_bytes()
    run_and_kill(KILLED_BUILD, str(store.path))
    assert any(name.startswith(".wijkveiligheid-build-") for name in leftovers(tmp_path))
    again = open_embedded(store.path)
    assert again.problems(deep=False) == []
    assert leftovers(tmp_path) == []
    assert store.path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() != 0, reason="changing owners needs root")
def test_writes_keep_the_mode_and_owner_of_the_store(base_store, tmp_path):
    """The web server's user owns the store; the CLI run as root must not take it away."""
    store = copy_embedded(base_store, tmp_path)
    store.internal.unlink(missing_ok=True)
    os.chown(store.path, 65534, 65534)
    os.chmod(store.path, 0o660)
    store = open_embedded(store.path)
    store.add_user("anna", PASSWORD)  # creates the internal file
    parsed = staff.parse_for_store(store, CONTENT, "m.csv")
    store.commit_import(parsed, "anna", "m.csv", CONTENT, "Test")
    store.build()
    for path in (store.path, store.internal):
        info = path.stat()
        assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (65534, 65534, 0o660), path


@pytest.mark.skipif(os.geteuid() != 0, reason="chattr needs root")
def test_a_read_only_store_gives_a_clear_message_and_loses_nothing(base_store, tmp_path):
    """An immutable file (chattr +i: read-only even for root) can be read, and an import
    through the CLI says plainly that it cannot write; nothing changes."""
    store = copy_embedded(base_store, tmp_path)
    store.add_user("anna", PASSWORD)
    csv = tmp_path / "m.csv"
    csv.write_bytes(CONTENT)
    before = store.path.read_bytes()
    subprocess.run(["chattr", "+i", str(store.path)], check=True)
    try:
        assert open_embedded(store.path).read_data().observations is not None
        done = subprocess.run(
            [sys.executable, "-m", "dashboard.cli", "--store", str(store.path), "import"]
            + [str(csv), "--source", "Test", "--yes"],
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            timeout=120,
        )
    finally:
        subprocess.run(["chattr", "-i", str(store.path)], check=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "alleen-lezen" in done.stderr and "Traceback" not in done.stderr
    assert store.path.read_bytes() == before
    assert store.import_log().empty


def big_import(store) -> tuple:
    """Inhabitants of every buurt for 21 years: enough rows to need new pages."""
    codes = store.read_data().buurten["buurtcode"]
    lines = ["gebied;indicator;periode;waarde"]
    lines += [
        f"{code};inwoners;{year};{100 + year}" for code in codes for year in range(2000, 2021)
    ]
    content = ("\n".join(lines) + "\n").encode()
    return staff.parse_for_store(store, content, "groot.csv"), content


def test_a_full_disk_gives_a_clear_error_and_loses_nothing(base_store, tmp_path, monkeypatch):
    """SQLite's page limit stands in for a full disk: the same error code (SQLITE_FULL)."""
    store = copy_embedded(base_store, tmp_path)
    parsed, content = big_import(store)
    with sqlite3.connect(store.path) as con:
        (pages,) = con.execute("PRAGMA page_count").fetchone()
    version = store.data_version()
    cap_pages(monkeypatch, store, pages)
    with pytest.raises(StoreUnavailable, match="schijf is vol"):
        store.commit_import(parsed, "anna", "groot.csv", content, "Test")
    monkeypatch.undo()
    assert store.data_version() == version and store.import_log().empty
