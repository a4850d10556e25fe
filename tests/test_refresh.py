"""``wijkveiligheid fetch --all`` and the scheduled refresh, against local fake CBS servers
(the recorded reply formats; made-up numbers) and a closed port, on both store backends."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from test_monthly import Fake47022
from test_staff import FakeCbs, FakeKwb

from indicators import refresh
from indicators.schedule import ScheduleError, parse_schedule


class FakeOpenData(BaseHTTPRequestHandler):
    """One server for every table: 47018NED, 47022NED and the Kerncijfers tables."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        if "/47022NED/" in self.path:
            Fake47022.do_GET(self)
        elif "/47018NED/" in self.path:
            FakeCbs.do_GET(self)
        else:
            FakeKwb.do_GET(self)


@pytest.fixture()
def open_data():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenData)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeCbs.mode = "ok"
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


TODAY = date(2026, 3, 1)


def test_fetch_all_imports_every_table_and_records_it(store, open_data):
    outcome = refresh.fetch_all(store, open_data, timeout=5, today=TODAY)
    assert outcome.ok, outcome.detail()
    assert [t.table.table for t in outcome.tables] == ["47018NED", "47022NED", "86165NED"]
    log = store.import_log()
    assert len(log) == 3 and set(log["user"]) == {"fetch"}
    obs = store.read_data().observations
    crimes = obs[(obs.indicator_id == "geregistreerde_misdrijven") & (obs.period == "2023")]
    assert crimes.set_index("area_code").loc["WK016400", "value"] == 195
    last = store.last_refresh()
    assert last["outcome"] == "ok" and "import #" in last["detail"]
    # the same figures again: nothing new to import, still a successful refresh
    again = refresh.fetch_all(store, open_data, timeout=5, today=TODAY)
    assert again.ok and "ongewijzigd" in again.detail()
    assert len(store.import_log()) == 3


def test_fetch_all_without_network_fails_clearly_and_changes_nothing(store):
    version = store.data_version()
    outcome = refresh.fetch_all(store, "http://127.0.0.1:9", timeout=1, today=TODAY)
    assert not outcome.ok
    assert all("niet bereikbaar" in t.message for t in outcome.tables)
    assert store.import_log().empty and store.data_version() == version
    last = store.last_refresh()
    assert last["outcome"] == "failed" and "niet bereikbaar" in last["detail"]


def test_one_bad_table_leaves_the_others(store, open_data):
    FakeCbs.mode = "garbage"  # 47018NED answers HTML
    outcome = refresh.fetch_all(store, open_data, timeout=5, today=TODAY)
    assert not outcome.ok
    assert [t.ok for t in outcome.tables] == [False, True, True]
    assert "geen geldige JSON" in outcome.tables[0].message
    assert len(store.import_log()) == 2


def test_cli_fetch_all(base_store, tmp_path, open_data, capsys):
    from dashboard.cli import main

    from conftest import copy_embedded

    store = copy_embedded(base_store, tmp_path)
    assert main(["--store", str(store.path), "fetch", "--all", "--base-url", open_data]) == 0
    assert "47022NED: import #" in capsys.readouterr().out
    args = ["--store", str(store.path), "fetch", "--all", "--base-url", "http://127.0.0.1:9"]
    assert main([*args, "--timeout", "1"]) == 1
    assert "niet bereikbaar" in capsys.readouterr().err


def test_schedule_setting_is_read_or_refused():
    assert parse_schedule("off").kind == "off"
    assert parse_schedule("daily@03:00").minute_of_day == 180
    with pytest.raises(ScheduleError, match="daily@HH:MM"):
        parse_schedule("nightly")


def test_a_due_slot_runs_exactly_once_across_workers(store):
    """Eight workers (threads with their own store objects) wake up at once, twice."""
    from indicators.stores import open_store

    runs = []
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    clock = {"now": now}

    def slow_refresh(target):
        runs.append(1)
        threading.Event().wait(0.3)
        target.record_refresh("ok", "test", at=clock["now"].isoformat(timespec="seconds"))

    schedule = parse_schedule("daily@03:00")
    if store.kind == "postgis":
        others = [open_store(database_url=store.url) for _ in range(8)]
    else:
        others = [open_store(store.path, store.internal) for _ in range(8)]
    for _ in range(2):
        threads = [
            threading.Thread(target=refresh.run_due, args=(s, schedule, now, slow_refresh))
            for s in others
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(runs) == 1
    # the next day's slot runs again
    clock["now"] = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert refresh.run_due(store, schedule, clock["now"], slow_refresh)
    assert len(runs) == 2
    for other in others:
        other.close()


def test_scheduler_is_off_by_default(store, monkeypatch):
    monkeypatch.delenv("WIJKVEILIGHEID_REFRESH", raising=False)
    assert refresh.start_scheduler(store) is None


def test_data_page_and_health_show_the_last_refresh(staff_store, client):
    from dashclient import find, render_page

    status, content, _ = render_page(client, "/data")
    assert "nog niet gedaan" in find(content, "data-refresh")["props"]["children"]
    staff_store.record_refresh(
        "failed", "47018NED: CBS is niet bereikbaar", at="2026-03-01T02:00:00+00:00"
    )
    status, content, _ = render_page(client, "/data")
    note = find(content, "data-refresh")["props"]["children"]
    assert "01-03-2026 03:00" in note and "mislukt" in note
    status, content, _ = render_page(client, "/data", "?taal=en")
    assert "failed" in find(content, "data-refresh")["props"]["children"]
    health = client.get("/health").get_json()
    assert health["last_refresh"]["outcome"] == "failed"
