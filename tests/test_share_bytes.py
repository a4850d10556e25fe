"""Work after a data change is done once per server, not once per worker (issue 16): the
downloads that are the same for every visitor are shared between the workers, a worker builds
a thing once however many of its threads ask, the shapes are not made again after an import of
figures, and a context is never labelled with an older data version than its data."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from gunicorn_proc import ROOT, serve
from importcycle import csv_for
from test_browser import free_port

from dashboard import data, pagecache, pageshare

from conftest import copy_embedded


@pytest.fixture()
def share(tmp_path, monkeypatch):
    monkeypatch.setattr(pageshare.tempfile, "tempdir", str(tmp_path))
    made = pageshare.create()
    yield made
    pageshare.remove(made)


def test_bytes_built_by_one_worker_are_read_by_the_other(share):
    mine, theirs = pageshare.SharedPages(share), pageshare.SharedPages(share)
    theirs.pid = os.getpid() + 1
    assert mine.once("v1", "bytes pdf", lambda: b"%PDF mine", wait=1) == b"%PDF mine"

    def no_build():
        raise AssertionError("built again")

    assert theirs.once("v1", "bytes pdf", no_build, wait=1) == b"%PDF mine"
    assert theirs.once("v2", "bytes pdf", lambda: b"%PDF v2", wait=1) == b"%PDF v2"
    with sqlite3.connect(mine.path) as con:
        rows = sorted(con.execute("SELECT version, builds FROM pages"))
    assert rows == [("v1", 1), ("v2", 1)]


def test_bytes_another_worker_is_building_are_awaited(share):
    mine, theirs = pageshare.SharedPages(share), pageshare.SharedPages(share)
    theirs.pid = os.getpid() + 1
    assert theirs.claim("v1", "bytes csv")
    threading.Timer(0.1, lambda: theirs.put("v1", "bytes csv", b"a,b")).start()

    def no_build():
        raise AssertionError("built although another worker was building it")

    assert mine.once("v1", "bytes csv", no_build, wait=5) == b"a,b"


def test_a_failed_build_does_not_hold_up_the_other_workers(share):
    mine, theirs = pageshare.SharedPages(share), pageshare.SharedPages(share)
    theirs.pid = os.getpid() + 1

    def broken():
        raise ValueError("broken")

    with pytest.raises(ValueError):
        mine.once("v1", "bytes pdf", broken, wait=1)
    assert theirs.claim("v1", "bytes pdf")  # the claim was given up


def test_threads_of_one_worker_build_a_thing_once():
    builds, gate = [], threading.Event()

    def build():
        builds.append(1)
        gate.wait(5)
        return b"body"

    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(pagecache.single_flight("k", build, 5)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    while not builds:
        threading.Event().wait(0.01)
    assert pagecache.single_flight("k", build, None) is None  # warming does not wait
    gate.set()
    for thread in threads:
        thread.join()
    assert builds == [1] and answers == [b"body"] * 4


def test_a_download_is_shared_under_the_version_of_its_context(app, share):
    pagecache.use_shared(share)
    try:
        ctx = data.get_context()
        calls = []

        def csv():
            calls.append(1)
            return "a,b\n"

        assert pagecache.shared_bytes(ctx, "probe", csv) == b"a,b\n"
        assert pagecache.shared_bytes(ctx, "probe", csv) == b"a,b\n"
        assert calls == [1]
        other = pageshare.SharedPages(share)
        assert other.get(ctx.version, "bytes probe") == b"a,b\n"
    finally:
        pagecache.use_shared(None)


def test_shapes_are_reused_when_only_figures_changed(context):
    again = data.build_context(context.data, context)
    assert again.geojson_text is context.geojson_text and again.areas is context.areas
    moved = context.data.web_wijken.copy()
    moved["geometry"] = moved.geometry.translate(0.001, 0)
    changed = type(context.data)(**{**vars(context.data), "web_wijken": moved})
    rebuilt = data.build_context(changed, context)
    assert rebuilt.geometry_key != context.geometry_key
    assert rebuilt.geojson_text["wijk"] != context.geojson_text["wijk"]
    assert rebuilt.geojson_text["buurt"] == context.geojson_text["buurt"]


class MovingStore:
    """A store whose version moves on while its data is read (an import committed meanwhile)."""

    def __init__(self, real, versions):
        self.real, self.versions = real, list(versions)

    def read_data(self):
        return self.real.read_data()

    def data_version(self):
        return self.versions.pop(0) if len(self.versions) > 1 else self.versions[0]


def test_data_read_during_a_change_is_not_labelled_with_the_older_version(base_store):
    _, version = data._read_settled(MovingStore(base_store, ["v2", "v2"]), "v1")
    assert version == "v2"  # read again: the data and its label agree
    _, version = data._read_settled(MovingStore(base_store, ["v2", "v3", "v4", "v5"]), "v1")
    assert version.startswith("v4#unsettled-")  # never "v1": shared under no real version


def test_a_request_does_not_wait_while_another_thread_loads_the_new_version(app, monkeypatch):
    old = data.get_context()
    data._cache.checked -= data.CHECK_S + 1
    monkeypatch.setattr(type(data.current_store()), "data_version", lambda self: "newer")
    assert data._load_lock.acquire(timeout=5)
    try:
        assert data.get_context() is old  # answered from the loaded version, not blocked
    finally:
        data._load_lock.release()
    assert data.get_context().version == "newer"
    data.reset()


def shared_builds(directory: Path, key_part: str) -> list[tuple[str, int]]:
    with sqlite3.connect(directory / pageshare.FILE_NAME) as con:
        return con.execute(
            "SELECT version, builds FROM pages WHERE key LIKE ? ORDER BY made",
            (f"%{key_part}%",),
        ).fetchall()


def test_two_gunicorn_workers_build_a_pdf_once_per_version(base_store, tmp_path):
    """The production configuration with 2 workers: the PDF asked on fresh connections (either
    worker answers) is built once; after an import (the CLI, as another instance would) it is
    built once more, for the new version, and the answers before and after differ in nothing
    but what changed."""
    store = copy_embedded(base_store, tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    served = serve(
        store.path,
        free_port(),
        tmp_path / "server.log",
        env={"WIJKVEILIGHEID_WORKERS": "2", "TMPDIR": str(temp)},
    )
    try:
        path = "/data/cijfers.csv"

        def ask(url_path: str) -> set[bytes]:
            bodies = set()
            for _ in range(6):
                answer = requests.get(
                    served.url + url_path, headers={"Connection": "close"}, timeout=120
                )
                assert answer.status_code == 200
                bodies.add(answer.content)
            return bodies

        assert len(ask("/wijk/WK016400/profiel.pdf")) == 1
        (before,) = ask(path)
        (directory,) = temp.iterdir()
        assert [b for _, b in shared_builds(directory, "bytes pdf WK016400 nl")] == [1]
        upload = tmp_path / "cijfers.csv"
        upload.write_bytes(csv_for(12.5))
        subprocess.run(
            [sys.executable, "-m", "dashboard.cli", "--store", str(store.path), "import"]
            + [str(upload), "--source", "Test (verzonnen)", "--yes"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
            capture_output=True,
        )
        threading.Event().wait(data.CHECK_S + 1.5)  # every worker has asked the store again
        (after,) = ask(path)
        assert after != before and b"Test (verzonnen)" in after
        assert len(ask("/wijk/WK016400/profiel.pdf")) == 1
        pdfs = shared_builds(directory, "bytes pdf WK016400 nl")
        assert [b for _, b in pdfs] == [1, 1] and pdfs[0][0] != pdfs[1][0]
        assert [b for _, b in shared_builds(directory, "bytes csv")][-1] == 1
    finally:
        served.stop()


@pytest.fixture()
def preparer(share):
    pagecache.layouts.clear()
    pagecache.responses.clear()
    pagecache.use_shared(share)
    data.set_preparer(True)
    yield share
    data.set_preparer(False)
    pagecache.use_shared(None)
    pagecache.layouts.clear()
    pagecache.responses.clear()


def commit_figure(store, value: str) -> None:
    from indicators import staff

    content = f"gebied;indicator;periode;waarde;n\nBerflo Es;vm_onveilig_buurt;2019;{value};450\n"
    parsed = staff.parse_for_store(store, content.encode(), "test.csv")
    store.commit_import(parsed, "tester", "test.csv", content.encode(), "Test (verzonnen)")


def layout_of(client, page: str) -> bytes:
    answer = client.get("/_dash-layout", headers={"Referer": f"http://localhost{page}"})
    assert answer.status_code == 200
    return answer.get_data()


def test_a_new_version_is_prepared_while_requests_get_the_installed_one(
    app, client, staff_store, preparer, monkeypatch
):
    """After a change, requests keep the installed version (never the new one half made, never
    the old one as new) while the warming thread builds the new version's pages into the
    share; once installed, those pages are served without building them again."""
    page = "/wijk/berflo-es"
    old = data.get_context(fresh=True)
    before = layout_of(client, page)
    commit_figure(staff_store, "31,5")
    data._cache.checked -= data.CHECK_S + 1
    assert data.get_context() is old  # being prepared: the installed version still answers
    assert layout_of(client, page) == before
    upcoming = data.prepare()
    assert upcoming is not None and upcoming.version != old.version
    with data.preparing(upcoming):
        assert data.get_context() is upcoming
        assert pagecache.warm(app, paths=[page], languages=("nl",)) == 1
    assert data.get_context() is old and not data.is_installed(upcoming)
    shared = pageshare.SharedPages(preparer)
    key = f"{pagecache.date.today().isoformat()} {page}?"
    assert shared.get(old.version, key) == before
    new_body = shared.get(upcoming.version, key)
    assert new_body is not None and new_body != before
    assert data.install(upcoming) and data.get_context() is upcoming

    def no_build(*args, **kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(pagecache.dash.Dash, "serve_layout", no_build)
    assert layout_of(client, page) == new_body


def test_a_version_not_installed_in_time_is_loaded_by_the_requests(
    app, staff_store, preparer, monkeypatch
):
    old = data.get_context(fresh=True)
    commit_figure(staff_store, "32,5")
    monkeypatch.setattr(data, "PREPARE_S", 0.0)
    data._cache.checked -= data.CHECK_S + 1
    assert data.get_context() is not old  # no preparing thread kept it back


def test_a_prepared_version_is_not_installed_over_a_newer_one(app, staff_store, preparer):
    data.get_context(fresh=True)
    commit_figure(staff_store, "33,5")
    upcoming = data.prepare()
    commit_figure(staff_store, "34,5")
    assert not data.install(upcoming)
    assert data.get_context(fresh=True).version != upcoming.version


def test_preparing_builds_the_most_asked_pages_first(app, client, staff_store, preparer):
    data.get_context(fresh=True)
    page = "/vergelijk?gebieden=WK016401,WK016406"
    for _ in range(3):
        layout_of(client, page)
    commit_figure(staff_store, "35,5")
    upcoming = data.prepare()
    with data.preparing(upcoming):
        targets = pagecache._targets(None, ("nl", "en"), upcoming)
    assert targets[0] == page and "/" in targets
    data.install(upcoming)
    assert pagecache._targets(None, ("nl", "en"), upcoming)[0] == "/"
