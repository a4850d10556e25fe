"""Least privilege (issue 21): the production server (gunicorn from the service venv) runs as
the unprivileged service user with the store in a directory of its own, and the CLI runs as
another user of the same group: serve, import, undo, build and refresh work for both, nothing
in the store directory becomes world-writable (or readable: it holds password hashes), and a
store the service may not write gives the 503 page. The accounts and the venv are made by
``.ci/service`` (run by ``.ci/run`` as root), which names them in the environment; without
them (a developer's machine) these tests are skipped. Figures are made up (test data only)."""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
from gunicorn_proc import serve
from test_browser import free_port
from test_refresh import open_data  # noqa: F401 - the fake CBS server, a fixture
from test_serving import staff_cycle

from conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
VENV = os.environ.get("WIJKVEILIGHEID_SERVICE_VENV", "")
APP = Path(os.environ.get("WIJKVEILIGHEID_SERVICE_APP", "/opt/wijkveiligheid/app"))
SERVICE = os.environ.get("WIJKVEILIGHEID_SERVICE_USER", "")
GROUP = os.environ.get("WIJKVEILIGHEID_SERVICE_GROUP", "wijkveiligheid")
CLI = os.environ.get("WIJKVEILIGHEID_CLI_USER", "")
CSV = "gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;{value}\n"

pytestmark = pytest.mark.skipif(
    not (VENV and SERVICE and CLI) or os.geteuid() != 0,
    reason="needs root and the service accounts and venv of .ci/service "
    "(WIJKVEILIGHEID_SERVICE_VENV, _SERVICE_USER, _CLI_USER; .ci/run sets them)",
)


def as_user(user: str, umask: str | None = None) -> list[str]:
    """The command prefix that runs a program as ``user`` with its own groups (and umask)."""
    prefix = ["setpriv", f"--reuid={user}", f"--regid={pwd.getpwnam(user).pw_gid}"]
    prefix += ["--init-groups", "--"]
    if umask:
        prefix += ["sh", "-c", f'umask {umask} && exec "$0" "$@"']
    return prefix


def user_env(user: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TZ")}
    return keep | {"HOME": pwd.getpwnam(user).pw_dir, "USER": user}


def cli(store: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``wijkveiligheid --store STORE ARGS`` from the service venv, as the CLI user (with the
    usual umask, 022: the store keeps its own modes)."""
    return subprocess.run(
        [*as_user(CLI), f"{VENV}/bin/wijkveiligheid", "--store", str(store), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=user_env(CLI),
        cwd="/",
        timeout=300,
    )


def owned(path: Path) -> tuple[str, str, int]:
    info = path.stat()
    owner = pwd.getpwuid(info.st_uid).pw_name
    return owner, grp.getgrgid(info.st_gid).gr_name, stat.S_IMODE(info.st_mode)


def figure(url: str) -> float | None:
    """The public value of vm_onveilig_buurt in Noord, 2019 (None when there is none)."""
    csv = requests.get(url + "/data/cijfers.csv", timeout=60).text
    found = re.search(r"WK016402,.*vm_onveilig_buurt,.*,2019,([0-9.]+)", csv)
    return float(found.group(1)) if found else None


def eventually(check, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.3)


@pytest.fixture(scope="module")
def var_dir():
    """The store directory: the service user's, group-writable for the group (setgid, so
    files the CLI user makes belong to the group too), nothing for others. Under /tmp, since
    pytest's own temporary directories are root's alone."""
    folder = Path(tempfile.mkdtemp(prefix="wijkveiligheid-var-", dir="/tmp"))
    shutil.chown(folder, SERVICE, GROUP)
    folder.chmod(0o2770)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def first_build(store: Path) -> None:
    """The deployment's first step (README): build as the service user, then make the files
    group-writable (SQLite creates them 0644 minus the umask; every file the store makes
    later copies the GeoPackage's mode)."""
    built = subprocess.run(
        [*as_user(SERVICE, umask="007"), f"{VENV}/bin/wijkveiligheid", "--store", str(store)]
        + ["build"],
        capture_output=True,
        text=True,
        env=user_env(SERVICE),
        cwd="/",
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    subprocess.run(
        [*as_user(SERVICE), "find", str(store.parent), "-type", "f", "-exec"]
        + ["chmod", "g+w", "{}", "+"],
        check=True,
    )


@pytest.fixture(scope="module")
def service(var_dir, tmp_path_factory):
    """``wijkveiligheid serve`` (gunicorn, production configuration) from the service venv as
    the service user, with umask 007 as its unit file sets it."""
    first_build(var_dir / "wijkveiligheid.gpkg")
    log_path = tmp_path_factory.mktemp("service") / "gunicorn.log"
    served = serve(
        var_dir / "wijkveiligheid.gpkg",
        free_port(),
        log_path,
        env=user_env(SERVICE) | {"WIJKVEILIGHEID_WORKERS": "2"},
        prefix=as_user(SERVICE, umask="007"),
        python=f"{VENV}/bin/python",
        code=APP,
    )
    yield served
    served.stop()


def test_the_service_runs_the_code_of_this_checkout():
    """.ci/service copies the checkout; a stale copy would test other code."""
    for folder in ("dashboard", "indicators", "geodata", "assets"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                copy = APP / path.relative_to(ROOT)
                assert copy.read_bytes() == path.read_bytes(), f"{copy} is stale: run .ci/service"


def test_the_server_runs_as_the_service_user_on_its_own_store(service, var_dir):
    status = Path(f"/proc/{service.process.pid}/status").read_text()
    uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))
    assert pwd.getpwuid(uid).pw_name == SERVICE
    assert requests.get(service.url + "/health", timeout=30).json()["status"] == "ok"
    for name in ("wijkveiligheid.gpkg", "wijkveiligheid-intern.sqlite"):
        assert owned(var_dir / name) == (SERVICE, GROUP, 0o660), name
    assert requests.get(service.url + "/wijk/noord", timeout=60).status_code == 200


def test_the_cli_user_adds_a_user_imports_and_undoes(service, var_dir):
    store = var_dir / "wijkveiligheid.gpkg"
    added = cli(
        store, "user", "add", "admin", "--role", "admin", "--password-stdin", stdin=PASSWORD
    )
    assert added.returncode == 0, added.stderr
    upload = var_dir.parent / f"{var_dir.name}-import.csv"
    upload.write_text(CSV.format(value=31))
    upload.chmod(0o644)
    try:
        loaded = cli(store, "import", str(upload), "--source", "Test", "--yes")
    finally:
        upload.unlink()
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert eventually(lambda: figure(service.url) == 31), "the service sees the import"
    undone = cli(store, "undo", "1", "--yes")
    assert undone.returncode == 0, undone.stderr
    assert eventually(lambda: figure(service.url) != 31), "the service sees the undo"


def test_the_service_writes_after_the_cli_did(service):
    assert staff_cycle(service.url, 41) == []


def test_the_cli_user_rebuilds_and_the_service_keeps_writing(service, var_dir):
    built = cli(var_dir / "wijkveiligheid.gpkg", "build")
    assert built.returncode == 0, built.stdout + built.stderr
    # a rebuild writes into the existing file: owner, group and mode stay the service's
    assert owned(var_dir / "wijkveiligheid.gpkg") == (SERVICE, GROUP, 0o660)
    assert staff_cycle(service.url, 42) == []


def test_the_cli_user_refreshes_the_open_data(service, var_dir, open_data):  # noqa: F811
    store = var_dir / "wijkveiligheid.gpkg"
    refreshed = cli(store, "fetch", "--all", "--base-url", open_data, "--timeout", "20")
    assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
    assert "47018NED: import #" in refreshed.stdout
    health = eventually(lambda: requests.get(service.url + "/health", timeout=30).json())
    assert health["last_refresh"]["outcome"] == "ok"


def test_nothing_in_the_store_directory_is_open_to_others(service, var_dir):
    assert owned(var_dir) == (SERVICE, GROUP, 0o2770)
    paths = list(var_dir.rglob("*"))
    assert len(paths) >= 3  # the GeoPackage, the internal database, their locks
    for path in paths:
        owner, group, mode = owned(path)
        assert mode & 0o007 == 0, f"{path.name}: {oct(mode)} (others may use it)"
        assert group == GROUP and owner in (SERVICE, CLI), (path.name, owner, group)


def test_a_store_the_service_may_not_write_gives_the_503_page(service, var_dir):
    """Read-only for the group (the service's only way in): pages still read, a write is a
    503 page that says so, and nothing changes."""
    files = [p for p in var_dir.iterdir() if p.is_file()]
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in files}
    before = {p: p.read_bytes() for p in files if p.suffix in (".gpkg", ".sqlite")}
    for path in files:
        shutil.chown(path, CLI, GROUP)
        path.chmod(0o640)
    var_dir.chmod(0o2750)
    try:
        assert requests.get(service.url + "/wijk/noord", timeout=60).status_code == 200
        session = requests.Session()
        page = session.get(service.url + "/intern/login", timeout=60)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = session.post(
            service.url + "/intern/login",
            data={"username": "admin", "password": PASSWORD, "csrf_token": token},
            timeout=60,
        )
        assert answer.status_code == 503, answer.text[:300]
        assert "tijdelijk niet beschikbaar" in answer.text and "Traceback" not in answer.text
        assert "alleen-lezen" in answer.text  # staff pages say why: the rights
        assert answer.headers["Retry-After"]
        assert {p: p.read_bytes() for p in before} == before
    finally:
        var_dir.chmod(0o2770)
        for path, mode in modes.items():
            path.chmod(mode)
