"""Open data after a data change (issue 16): the Atom feeds, the OGC API documents, the JSON of
every figure and the GeoPackage are built once per data version and server (the workers share
them, the warming thread makes the common ones before anyone asks), what depends only on the
shapes is taken over when only figures changed, and the HTTP answers stay what they were."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from gunicorn_proc import ROOT, serve
from importcycle import csv_for
from test_browser import free_port
from test_feeds import load, made_up_csv

from dashboard import data, downloads, feeds, ogc, pagecache, pageshare

from conftest import PASSWORD, copy_embedded

ITEMS = "/ogc/collections/buurten/items?f=json&limit=20"


@pytest.fixture()
def share(tmp_path, monkeypatch):
    monkeypatch.setattr(pageshare.tempfile, "tempdir", str(tmp_path))
    made = pageshare.create()
    pagecache.use_shared(made)
    yield made
    pagecache.use_shared(None)
    pageshare.remove(made)


@pytest.fixture()
def imported(base_store, tmp_path):
    """A private copy of the real store with a staff import (its source: the gemeente)."""
    store = copy_embedded(base_store, tmp_path, "open.gpkg")
    store.add_user("anna", PASSWORD)
    load(store, made_up_csv())
    data.use_store(store)
    yield store
    data.use_store(base_store)


def counting(monkeypatch, module, name: str) -> list:
    """Count the calls of ``module.name`` (it still does its work)."""
    calls, real = [], getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


# ------------------------------------------------------------------ defects
def test_the_feed_rights_name_the_gemeente_once(app, imported):
    client = app.server.test_client()
    for path in ("/veranderingen.atom", "/wijk/WK016400/veranderingen.atom?taal=en"):
        body = client.get(path).get_data(as_text=True)
        (rights,) = re.findall(r"<rights>(.*?)</rights>", body)
        assert rights.count("Gemeente Hengelo") == 1, rights
        assert "CC BY 4.0" in rights and "import" in rights


def test_bundled_feed_rights_are_unchanged(client):
    body = client.get("/veranderingen.atom").get_data(as_text=True)
    assert "<rights>CBS, CBS/Kadaster, Politie / CBS (CC BY 4.0); Gemeente Hengelo " in body


# ------------------------------------------------------------------ once per data version
def test_a_feed_is_built_once_per_version_language_and_public_url(app, monkeypatch):
    client = app.server.test_client()
    calls = counting(monkeypatch, feeds, "feed_document")
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", "https://een.example.nl")
    first = client.get("/wijk/WK016401/veranderingen.atom")
    again = client.get("/wijk/WK016401/veranderingen.atom")
    assert first.get_data() == again.get_data() and len(calls) == 1
    assert first.headers["ETag"] == again.headers["ETag"] and first.last_modified
    tag = first.headers["ETag"]
    assert (
        client.get("/wijk/WK016401/veranderingen.atom", headers={"If-None-Match": tag}).status_code
        == 304
    )
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", "https://twee.example.nl")
    other = client.get("/wijk/WK016401/veranderingen.atom").get_data(as_text=True)
    assert "https://twee.example.nl/" in other and "een.example.nl" not in other
    assert len(calls) == 2  # another public URL: its own document


def test_ogc_answers_are_kept_per_query_format_and_public_url(app, monkeypatch):
    client = app.server.test_client()
    calls = counting(monkeypatch, ogc, "items_doc")
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", "https://een.example.nl")
    first = client.get(ITEMS)
    assert first.status_code == 200 and first.headers["Content-Type"] == ogc.GEOJSON
    assert first.headers["Content-Crs"] == f"<{ogc.CRS84}>"
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(ITEMS).get_data() == first.get_data() and len(calls) == 1
    # the same query without f (JSON by the Accept header) is the same answer
    same = client.get("/ogc/collections/buurten/items?limit=20")
    assert same.get_data() == first.get_data() and len(calls) == 1
    html = client.get("/ogc/collections/buurten/items?limit=20", headers={"Accept": "text/html"})
    assert html.headers["Content-Type"] == "text/html; charset=utf-8" and len(calls) == 2
    page = client.get(ITEMS + "&offset=20").get_json()
    assert len(calls) == 3 and any(link["rel"] == "prev" for link in page["links"])
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", "https://twee.example.nl")
    links = client.get(ITEMS).get_json()["links"]
    assert all(link["href"].startswith("https://twee.example.nl/ogc") for link in links)
    assert len(calls) == 4


def test_a_bad_ogc_request_is_never_kept(app, monkeypatch):
    client = app.server.test_client()
    calls = counting(monkeypatch, ogc, "items_doc")
    for query in ("limit=abc", "limit=0", "f=xml", "onbekend=1", "limit=1&limit=2"):
        for _ in range(2):
            answer = client.get(f"/ogc/collections/wijken/items?{query}")
            assert answer.status_code == 400 and answer.get_json()["code"]
    assert client.get("/ogc/collections/niets/items").status_code == 404
    assert calls == []
    kept = data.get_context().once("shared-answers", lambda: None)
    assert not any("limit=abc" in key or "niets" in key for key in kept._entries)


def test_a_new_data_version_builds_the_answers_again(app, staff_store, monkeypatch):
    from test_share_bytes import commit_figure

    client = app.server.test_client()
    calls = counting(monkeypatch, ogc, "items_doc")
    before = client.get("/ogc/collections/wijken/items?f=json").get_json()
    commit_figure(staff_store, "31,5")
    data.get_context(fresh=True)
    after = client.get("/ogc/collections/wijken/items?f=json").get_json()
    assert len(calls) == 2
    berflo = [f for f in after["features"] if f["properties"]["name"] == "Berflo Es"]
    old = [f for f in before["features"] if f["properties"]["name"] == "Berflo Es"]
    assert berflo[0]["properties"] != old[0]["properties"]


# ------------------------------------------------------------------ shapes kept
def test_shapes_only_products_are_taken_over_when_only_figures_changed(context, monkeypatch):
    calls = counting(monkeypatch, downloads, "geopackage_bytes")
    gpkg = pagecache.shared_bytes(
        context, "gpkg", lambda: downloads.boundaries_geopackage(context), geometry=True
    )
    geojson = ogc.area_geojson(context, "buurt", ogc.CRS84)
    again = data.build_context(context.data, context)  # an import of figures: same shapes
    assert again.memo is not context.memo  # the figures' memo is new
    assert ogc.area_geojson(again, "buurt", ogc.RD_NEW) is not None
    assert ogc.area_geojson(again, "buurt", ogc.CRS84) is geojson
    assert pagecache.shared_bytes(again, "gpkg", _never, geometry=True) is gpkg
    assert len(calls) <= 1
    moved = context.data.buurten.copy()
    moved["geometry"] = moved.geometry.translate(1, 0)
    changed = type(context.data)(**{**vars(context.data), "buurten": moved})
    rebuilt = data.build_context(changed, context)
    assert rebuilt.geometry_key != context.geometry_key
    assert ogc.area_geojson(rebuilt, "buurt", ogc.CRS84) is not geojson


def _never():
    raise AssertionError("built again although only figures changed")


# ------------------------------------------------------------------ warming
def test_warming_builds_the_open_answers_before_anyone_asks(app, staff_store, monkeypatch):
    data.get_context(fresh=True)
    assert pagecache._complete(pagecache.warm(app))  # the pages, then the open data
    for module, name in ((feeds, "feed_document"), (ogc, "items_doc"), (ogc, "collections_doc")):
        monkeypatch.setattr(module, name, _never)
    client = app.server.test_client()
    for path in pagecache._open_targets(("nl", "en")):
        answer = client.get(path)
        assert answer.status_code == 200, path


def test_warming_skips_what_another_worker_builds(app, staff_store, share, monkeypatch):
    ctx = data.get_context(fresh=True)
    theirs = pageshare.SharedPages(share)
    theirs.pid = os.getpid() + 1
    key = f"feed GM0164 nl {ogc.public_base_url()}"
    assert theirs.claim(ctx.version, f"bytes {key}")
    monkeypatch.setattr(feeds, "feed_document", _never)
    assert pagecache._answer_open(app, "/veranderingen.atom", skip=True) is pagecache.SKIPPED
    assert ("shared-bytes", key) not in ctx.memo
    theirs.put(ctx.version, f"bytes {key}", b"2026-01-01T00:00:00+00:00\n<feed/>")
    assert pagecache._answer_open(app, "/veranderingen.atom", skip=False) == 1
    assert app.server.test_client().get("/veranderingen.atom").get_data() == b"<feed/>"


# ------------------------------------------------------------------ real workers
def builds(directory: Path, like: str) -> list[tuple[str, str, int]]:
    """(version, key, builds) of the shared answers whose key is LIKE ``like``."""
    with sqlite3.connect(directory / pageshare.FILE_NAME) as con:
        return con.execute(
            "SELECT version, key, builds FROM pages WHERE key LIKE ?", (like,)
        ).fetchall()


def test_two_gunicorn_workers_share_the_open_answers(base_store, tmp_path):
    """The production configuration with 2 workers: every feed, OGC document and download
    asked on fresh connections (either worker answers) is the same bytes and was built once
    for the server, before and after an import (the CLI, as another instance would); the
    GeoPackage is not built again for the new version (same shapes)."""
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
        (directory,) = temp.iterdir()
        _ask_all(served.url)
        _assert_built_once(directory)
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
        time.sleep(data.CHECK_S + data.PREPARE_S + 3)  # every worker has the new version
        _ask_all(served.url)
        _assert_built_once(directory)
        versions = {version for version, _, _ in builds(directory, "bytes feed GM0164 nl %")}
        assert len(versions) == 2  # the feed again for the new version
        assert len(builds(directory, "bytes gpkg")) == 1  # taken over by the new version
    finally:
        served.stop()


def _ask_all(url: str) -> None:
    for path in pagecache._open_targets(("nl", "en")):
        bodies = set()
        for _ in range(4):
            answer = requests.get(url + path, headers={"Connection": "close"}, timeout=120)
            assert answer.status_code == 200, path
            bodies.add(answer.content)
        assert len(bodies) == 1, path  # one build, whichever worker answers


def _assert_built_once(directory: Path) -> None:
    """Each answer built at most once per worker (2 workers), never per request (each path is
    asked 4 times). Once per server is the rule, but a worker waits for the other's claim at
    most ``REQUEST_WAIT_S`` and then builds itself: on a busy CI machine that happens."""
    for like in ("bytes feed %", "bytes ogc %", "bytes figures-json", "bytes gpkg"):
        found = builds(directory, like)
        assert found and all(count <= 2 for _, _, count in found), (like, found)
