"""Refreshing every open-data table the product knows: ``wijkveiligheid fetch --all`` and the
scheduled refresh inside the app (setting ``WIJKVEILIGHEID_REFRESH``).

The tables: Politie/CBS registered crime per year (47018NED) and per month (47022NED, from
January of last year), and the newest known CBS Kerncijfers wijken en buurten table. Each goes
through the same validated import as a staff upload, all or nothing per table (one import,
one transaction); a table whose figures did not change adds no import. Time and outcome are
recorded in the store (``record_refresh``), shown on /data and in /health. Without network
every table fails with a clear message and nothing changes.

The schedule runs in every worker process, but a slot runs once across all workers and
instances: the worker that gets the store's ``refresh`` lock checks whether a refresh was
already recorded since the slot began, and only then fetches.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from indicators import cbs_odata
from indicators.schedule import Schedule, parse_schedule, slot_start

LOCK_NAME = "refresh"
CHECK_S = 60.0  # how often a worker looks whether a slot is due
log = logging.getLogger("wijkveiligheid.refresh")


@dataclass(frozen=True)
class Table:
    """One open-data table: what to fetch and how its rows become import rows."""

    key: str  # misdrijven, maand, kwb
    table: str
    base: str
    title: str
    publisher: str
    year: str = ""
    since: str = ""


@dataclass
class TableOutcome:
    table: Table
    ok: bool
    message: str
    number: int | None = None


@dataclass
class Outcome:
    """What one refresh did, per table."""

    tables: list[TableOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)

    def detail(self) -> str:
        return "; ".join(f"{t.table.table}: {t.message}" for t in self.tables)


def known_tables(today: date | None = None, base_url: str | None = None) -> list[Table]:
    """Every table ``fetch --all`` fetches (``base_url`` replaces the CBS addresses: tests)."""
    today = today or date.today()
    since = f"{today.year - 1}-01"
    year = max(cbs_odata.KWB_TABLES)
    kwb = cbs_odata.KWB_TABLES[year]
    politie = base_url or cbs_odata.POLITIE_BASE
    return [
        Table(
            "misdrijven",
            cbs_odata.CRIME_TABLE,
            politie,
            f"Politie/CBS, Geregistreerde misdrijven ({cbs_odata.CRIME_TABLE})",
            "Politie / CBS",
        ),
        Table(
            "maand",
            cbs_odata.MONTHLY_CRIME_TABLE,
            politie,
            f"Politie/CBS, Geregistreerde misdrijven per maand "
            f"({cbs_odata.MONTHLY_CRIME_TABLE}), vanaf {since}",
            "Politie / CBS",
            since=since,
        ),
        Table(
            "kwb",
            kwb,
            base_url or cbs_odata.KWB_BASE,
            f"CBS, Kerncijfers wijken en buurten {year} ({kwb})",
            "CBS",
            year=year,
        ),
    ]


def fetch_rows(table: Table, timeout: float):
    """The table's figures in the import layout and the raw reply (network; FetchError)."""
    if table.key == "kwb":
        keys = cbs_odata.kwb_keys(cbs_odata.fetch_properties(table.table, table.base, timeout))
        if not keys:
            raise cbs_odata.FetchError(
                f"Tabel {table.table} heeft geen van de verwachte kerncijfers "
                "(op titel en eenheid)."
            )
        reply = cbs_odata.fetch_table(table.table, table.base, cbs_odata.KWB_FILTER, timeout)
        return cbs_odata.kwb_observations(reply.rows, table.year, keys), reply
    if table.key == "maand":
        filter_ = cbs_odata.monthly_crime_filter(table.since)
        reply = cbs_odata.fetch_table(table.table, table.base, filter_, timeout)
        return cbs_odata.crime_observations(reply.rows, monthly=True), reply
    reply = cbs_odata.fetch_table(table.table, table.base, cbs_odata.CRIME_FILTER, timeout)
    return cbs_odata.crime_observations(reply.rows), reply


def refresh_table(store, table: Table, timeout: float = 20.0, user: str = "fetch") -> TableOutcome:
    """Fetch one table and import it (one transaction); never raises for network or data
    trouble: the outcome says what happened."""
    from indicators.imports import preview
    from indicators.staff import parse_for_store
    from indicators.stores.base import StaffError

    try:
        frame, reply = fetch_rows(table, timeout)
    except cbs_odata.FetchError as exc:
        return TableOutcome(table, False, f"ophalen mislukt, niets geschreven ({exc})")
    public = store.read_data()
    frame, _ = cbs_odata.offered_by_catalogue(frame, public.indicators)
    if frame.empty:
        return TableOutcome(table, False, "geen bruikbare cijfers in het antwoord")
    content = cbs_odata.as_import_csv(frame)
    parsed = parse_for_store(public, content, f"{table.table}.csv")
    if not parsed.ok:
        first = parsed.issues[0].message if parsed.issues else "ongeldig"
        return TableOutcome(table, False, f"cijfers niet geldig, niets geschreven ({first})")
    changes = preview(parsed.rows, store.current_values())["change"].value_counts()
    if not changes.get("new", 0) and not changes.get("changed", 0):
        return TableOutcome(table, True, f"ongewijzigd ({len(parsed.rows)} waarden)")
    try:
        number = store.commit_import(
            parsed,
            user,
            f"{table.table}.csv",
            content,
            table.title,
            publisher=table.publisher,
            licence="CC BY 4.0",
        )
    except StaffError as exc:
        return TableOutcome(table, False, f"niet geladen ({exc})")
    return TableOutcome(
        table,
        True,
        f"import #{number} ({changes.get('new', 0)} nieuw, {changes.get('changed', 0)} gewijzigd)",
        number,
    )


def fetch_all(
    store,
    base_url: str | None = None,
    timeout: float = 20.0,
    today: date | None = None,
    user: str = "fetch",
) -> Outcome:
    """Refresh every known table and record the time and outcome in the store."""
    outcome = Outcome()
    for table in known_tables(today, base_url):
        outcome.tables.append(refresh_table(store, table, timeout, user))
    store.record_refresh("ok" if outcome.ok else "failed", outcome.detail()[:2000])
    return outcome


def run_due(
    store,
    schedule: Schedule,
    now: datetime | None = None,
    refresh: Callable = fetch_all,
) -> bool:
    """Run the refresh when a slot is due and nobody ran it since the slot began; True when
    this call ran it. Safe to call from every worker of every instance at once."""
    now = now or datetime.now(UTC)
    start = slot_start(schedule, now)
    if start is None:
        return False
    with store.try_lock(LOCK_NAME) as got:
        if not got:
            return False  # another worker or instance is refreshing right now
        last = store.last_refresh()
        if last and datetime.fromisoformat(last["at"]) >= start:
            return False  # this slot (or a later manual refresh) is done
        refresh(store)
        return True


def start_scheduler(store, setting: str | None = None) -> threading.Thread | None:
    """Start the scheduled refresh in this process (a daemon thread); None when the schedule
    is off. ``setting`` defaults to WIJKVEILIGHEID_REFRESH."""
    if setting is None:
        import os

        setting = os.environ.get("WIJKVEILIGHEID_REFRESH", "off")
    schedule = parse_schedule(setting)
    if schedule.kind == "off":
        return None
    thread = threading.Thread(
        target=_loop, args=(store, schedule), name="wijkveiligheid-refresh", daemon=True
    )
    thread.start()
    return thread


def _loop(store, schedule: Schedule) -> None:
    time.sleep(random.uniform(1, 5))  # workers that start together do not all ask at once
    while True:
        try:
            if run_due(store, schedule):
                log.info("scheduled refresh: %s", store.last_refresh())
        except Exception:  # noqa: BLE001 - e.g. the database is away: try again next round
            log.exception("scheduled refresh could not run")
        time.sleep(CHECK_S)
