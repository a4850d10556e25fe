"""First-layout answers shared by the workers of one server (dashboard/pageshare.py): a page is
built once per data version, never served across versions or server generations, claims split
the warming, a broken file only costs speed, and the files are private to the server's user."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
import requests
from gunicorn_proc import serve
from test_browser import free_port

from dashboard import data, pagecache, pageshare

from conftest import copy_embedded


@pytest.fixture()
def share(tmp_path, monkeypatch):
    monkeypatch.setattr(pageshare.tempfile, "tempdir", str(tmp_path))
    made = pageshare.create()
    yield made
    pageshare.remove(made)


def other_worker(share, pid=1):
    """The same share as seen by another worker process."""
    other = pageshare.SharedPages(share)
    other.pid = os.getpid() + pid
    return other


def test_an_answer_belongs_to_one_version_and_one_generation(share):
    one = pageshare.SharedPages(share)
    one.put("v1", "k", b"page of v1")
    assert other_worker(share).get("v1", "k") == b"page of v1"
    assert one.get("v2", "k") is None and one.get("v1", "other") is None
    renewed = pageshare.SharedPages(pageshare.renew(share))  # new code after a HUP
    assert renewed.get("v1", "k") is None


def test_a_claimed_page_is_left_to_its_builder_and_awaited(share):
    mine, theirs = pageshare.SharedPages(share), other_worker(share)
    assert theirs.claim("v1", "k")
    assert not mine.claim("v1", "k")
    assert theirs.claim("v1", "k")  # its own claim again (a retry)

    def build():
        theirs.put("v1", "k", b"built once")

    thread = threading.Thread(target=build)
    thread.start()
    assert mine.wait("v1", "k", timeout=60) == b"built once"
    thread.join()
    assert mine.claim("v1", "k2")


def test_a_claim_given_up_or_too_old_does_not_hold_anyone_up(share, monkeypatch):
    mine, theirs = pageshare.SharedPages(share), other_worker(share)
    theirs.claim("v1", "k")
    theirs.release("v1", "k")
    assert mine.wait("v1", "k", timeout=60) is None and mine.claim("v1", "k")
    other_worker(share, pid=2).claim("v1", "k3")
    monkeypatch.setattr(pageshare, "CLAIM_S", -1.0)  # every claim is old
    assert mine.claim("v1", "k3")


def test_only_the_two_newest_versions_and_a_bounded_number_are_kept(share, monkeypatch):
    one = pageshare.SharedPages(share)
    for version in ("v1", "v2", "v3"):
        one.put(version, "k", version.encode())
    assert one.get("v1", "k") is None
    assert one.get("v2", "k") == b"v2" and one.get("v3", "k") == b"v3"
    monkeypatch.setattr(pageshare, "ROW_LIMIT", 5)
    monkeypatch.setattr(pageshare, "PRUNE_EVERY", 1)
    for i in range(20):
        one.put("v3", f"query {i}", b"x")
    with sqlite3.connect(one.path) as con:
        assert con.execute("SELECT count(*) FROM pages").fetchone()[0] == 5


def test_the_files_are_private_to_the_servers_user(share):
    pageshare.SharedPages(share).put("v1", "k", b"page")
    directory = Path(share.directory)
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    for path in directory.iterdir():  # the file and SQLite's -wal and -shm
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    pageshare.remove(share)
    assert not directory.exists()


def test_a_broken_file_only_costs_speed(share):
    shared = pageshare.SharedPages(share)
    shared.path.write_bytes(b"this is not a database" * 100)
    assert shared.get("v1", "k") is None
    shared.put("v1", "k", b"page")  # no error
    assert shared.claim("v1", "k")  # build it then


@pytest.fixture()
def shared_here(share):
    pagecache.layouts.clear()
    pagecache.responses.clear()
    pagecache.use_shared(share)
    yield share
    pagecache.use_shared(None)
    pagecache.layouts.clear()
    pagecache.responses.clear()


def first_layout(client, page: str):
    return client.get("/_dash-layout", headers={"Referer": f"http://localhost{page}"})


def test_a_page_built_by_one_worker_is_served_by_the_other(client, shared_here, monkeypatch):
    page = "/vergelijk?gebieden=WK016400,WK016403&taal=en"
    built = first_layout(client, page).get_data()
    pagecache.responses.clear()  # the other worker: its own cache is empty

    def no_build(*args, **kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(pagecache.dash.Dash, "serve_layout", no_build)
    assert first_layout(client, page).get_data() == built
    assert b'"main"' in built


def test_warming_leaves_a_claimed_page_to_the_worker_that_builds_it(app, shared_here):
    ctx = data.get_context()
    theirs = other_worker(shared_here)
    day = pagecache.date.today().isoformat()
    claimed, other = f"{day} /wijk/WK016402?", f"{day} /wijk/WK016403?"
    assert theirs.claim(ctx.version, claimed)
    mine = pagecache._shared

    def their_build():  # once this worker has built the other page, theirs is done too
        while mine.get(ctx.version, other) is None:
            threading.Event().wait(0.01)
        theirs.put(ctx.version, claimed, b'{"their": "page"}')

    thread = threading.Thread(target=their_build)
    thread.start()
    assert pagecache.warm(app, paths=["/wijk/WK016402", "/wijk/WK016403"], languages=("nl",)) == 2
    thread.join()
    with sqlite3.connect(mine.path) as con:
        rows = dict(con.execute("SELECT key, builds FROM pages"))
    assert rows == {claimed: 1, other: 1}
    served = pagecache.responses.get(ctx, ("/wijk/WK016402", "", day))
    assert served == b'{"their": "page"}'


def test_pages_asked_again_before_a_change_are_warmed_after_it(client, shared_here):
    page = "/benchmark?kern=veiligheid&thema=veiligheid.integraal"
    once = "/vergelijk?gebieden=WK016401,WK016406"
    first_layout(client, page), first_layout(client, page), first_layout(client, once)
    data.reset()  # a new data context (what a change gives)
    targets = pagecache._targets(None, ("nl", "en"), data.get_context())
    assert page in targets and once not in targets
    assert targets[: len(pagecache.WARM_PATHS) * 2] == pagecache._targets(
        pagecache.WARM_PATHS, ("nl", "en"), None
    )


def test_requests_in_flight_are_counted(client):
    assert client.get("/health").status_code == 200
    assert pagecache._in_flight[0] == 0


def test_two_gunicorn_workers_build_a_page_once(base_store, tmp_path):
    """The production configuration with 2 workers: a compare page asked on fresh connections
    (either worker answers) is built once, every answer the same; the master removes its
    directory when it stops."""
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
        page = "/vergelijk?gebieden=WK016400,WK016407,GM0164"
        bodies = set()
        for _ in range(8):
            with requests.Session() as session:
                answer = session.get(
                    served.url + "/_dash-layout",
                    headers={"Referer": served.url + page, "Connection": "close"},
                    timeout=120,
                )
            assert answer.status_code == 200
            bodies.add(answer.content)
        assert len(bodies) == 1
        (directory,) = temp.iterdir()
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
        with sqlite3.connect(directory / pageshare.FILE_NAME) as con:
            rows = con.execute(
                "SELECT builds FROM pages WHERE key LIKE ?", (f"% {page}",)
            ).fetchall()
        assert rows == [(1,)]
    finally:
        served.stop()
    assert list(temp.iterdir()) == []


def test_warming_primes_the_data_pages_tables(app, monkeypatch):
    """/data is never cached (its refresh note), but its tables are kept per data version and
    warming builds them, so the first visitor after a change does not wait for them."""
    from dashboard.pages import over_data

    calls = []
    real = over_data.indicator_table
    monkeypatch.setattr(
        over_data, "indicator_table", lambda ctx, lang: calls.append(lang) or real(ctx, lang)
    )
    data.reset()
    ctx = data.get_context()
    monkeypatch.setattr(pagecache, "WARM_PATHS", ["/toegankelijkheid"])
    pagecache.warm(app)
    assert sorted(calls) == ["en", "nl"] and ("data-indicators", "en") in ctx.memo
