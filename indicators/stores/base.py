"""The Store interface: one object that owns all persistence of the dashboard.

Two backends implement it with the same behaviour (the same tests run against both):
:mod:`indicators.stores.embedded` (a GeoPackage for the public data plus a separate internal
SQLite file for users, sessions, previews and the login throttle) and
:mod:`indicators.stores.postgis` (PostgreSQL + PostGIS, for several app instances).

Rules every backend keeps:

- Writes are row-level and transactional: a login failure, a session or a new user never
  rewrites geometry; an import writes its observations and the derived values in ONE
  transaction, and a failure writes nothing.
- Every change to what the public pages show (build, import, undo, new indicator) changes
  :meth:`Store.data_version`, which is cheap (one small query), so every worker and instance
  notices it.
- Nothing about users lives in process memory: sessions, previews and the throttle are rows.
- An unreachable or unusable store raises :class:`StoreUnavailable` (a subclass of
  :class:`indicators.store.StoreError`) with a plain-language message; never a raw driver error.

The shared logic (reading with its retry, the problems check, re-deriving the public tables
after a write, imports, undo, staff indicators, users, the throttle rule, the expiry of
sessions and previews, the refresh log) is implemented here once, in SQL both databases
understand (``?`` placeholders); a backend supplies the primitives at the end of
:class:`Store` (transactions, reading a table or layer, inserting and replacing rows).
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import re
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd
from pydantic import ValidationError
from werkzeug.security import check_password_hash, generate_password_hash

from indicators import periods
from indicators.catalogue import Indicator
from indicators.store import StoreData, StoreError
from indicators.stores import build, schema

ROLES = ("staff", "admin")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 12
MAX_FAILURES = 5  # wrong passwords per user name and address block ...
WINDOW_S = 15 * 60  # ... within this many seconds; then the login is refused
SESSION_TTL_S = 8 * 3600  # a staff session ends after 8 hours at the latest
PREVIEW_TTL_S = 30 * 60  # an import preview can be confirmed for 30 minutes
READ_ATTEMPTS = 3  # a write that commits while the public data is read: read it again
# the StoreData field of each layer read_data reads (schema.READ_LAYERS)
LAYER_FIELDS = {
    "buurt": "buurten",
    "wijk": "wijken",
    "web_buurt": "web_buurten",
    "web_wijk": "web_wijken",
}
REFRESH_DETAIL_MAX = 2000  # characters of a refresh record's detail that are kept
# The one expiry rule of sessions and previews: live while expires > now, so a row whose
# expiry time is exactly now is expired (and dropped) on both backends.
LIVE = "expires > ?"
EXPIRED = "expires <= ?"
STALE = (
    "De datastore is gebouwd uit andere bronbestanden dan die nu in de repository staan "
    "(verouderd)."
)
# Hashing a fixed password once, so an unknown user costs the same time as a wrong password.
_DUMMY_HASH = generate_password_hash("dummy-password-for-timing")


class StaffError(ValueError):
    """A staff action that cannot be done; the message says why, in plain words (Dutch)."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or written right now (database down, read-only file, full
    disk). Pages answer 503, the CLI prints the message; nothing was written."""


def now() -> str:
    """The current UTC time as ISO text (seconds), the one time format of the store."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def now_s() -> float:
    """The current time in epoch seconds (throttle, sessions, previews)."""
    return datetime.now(UTC).timestamp()


def address_block(address: str | None) -> str:
    """The address block a login throttle counts per: IPv4 /24, IPv6 /64.

    >>> address_block("192.0.2.77"), address_block("2001:db8::1"), address_block(None)
    ('192.0.2.0/24', '2001:db8::/64', 'unknown')
    """
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def token_digest(token: str) -> str:
    """What the store keeps of a session token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def clean_username(username: str) -> str:
    """A user name as stored: trimmed and lower case; raises StaffError when not allowed."""
    name = str(username).strip().lower()
    if not USERNAME_RE.match(name):
        raise StaffError("Gebruikersnaam: 2-40 tekens, kleine letters, cijfers, punt, streepje.")
    return name


def hash_password(password: str) -> str:
    """The stored hash of a password; raises StaffError when it is too short."""
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"Wachtwoord moet minstens {MIN_PASSWORD} tekens hebben.")
    return generate_password_hash(password)


@dataclass(frozen=True)
class User:
    """A staff user as the app sees it (never with the password hash)."""

    username: str
    role: str
    created_at: str


@dataclass(frozen=True)
class LoginResult:
    """Outcome of :meth:`Store.check_login`: ``user`` when the password was right;
    ``locked`` when too many failures refused the attempt without checking the password."""

    user: User | None
    locked: bool = False


@dataclass
class Snapshot:
    """Everything a store holds that moves with it to another store (``wijkveiligheid
    migrate``): geometry layers, public tables, staff tables (with the postcode table), users
    with their password hashes and the refresh records. Not sessions, previews or throttle
    counts: staff log in again."""

    layers: dict[str, gpd.GeoDataFrame]
    tables: dict[str, pd.DataFrame]
    state: dict[str, pd.DataFrame]
    users: list[dict]
    refreshes: list[dict]


@dataclass
class ImportRecord:
    """Everything one import writes: built by :func:`import_record` inside the write
    transaction, once the next import number is known."""

    number: int
    log: dict  # one import_log row (columns of schema.COLUMNS["import_log"])
    source: dict  # one import_source row
    observations: pd.DataFrame  # schema.COLUMNS["import_observation"]


class Store(ABC):
    """All persistence of the dashboard. Create ONE per process (app, CLI command, test) with
    :func:`indicators.stores.open_store` and hand it in; it is safe to share between threads.
    Opening a store does no I/O; the first call does."""

    kind: str = "abstract"  # "embedded" or "postgis"

    # ------------------------------------------------------------------ lifecycle
    def describe(self) -> str:
        """Where the store is, for messages (no passwords)."""
        return self.kind

    @abstractmethod
    def exists(self) -> bool:
        """True when the public data has been built (a store to read)."""

    @abstractmethod
    def build(self) -> dict:
        """(Re)build the public data from the bundled sources; users, sessions, imports, staff
        indicators and the postcode table are kept and re-applied. All or nothing: a failure
        (bad source file) leaves the old data untouched. Changes data_version. Returns
        :meth:`meta`."""

    def ensure(self) -> None:
        """Build when missing, or again (keeping staff state) when built from other bundled
        sources than the ones installed now. Also does backend housekeeping (migrations, left
        over temporary files). Called by `serve`, the app's first request and the CLI."""
        if not self.exists() or not self.is_current():
            self.build()

    def is_current(self) -> bool:
        """True when the public data was built from the bundled sources installed now."""
        try:
            return self.meta().get("source_fingerprint") == build.source_fingerprint()
        except StoreUnavailable:
            raise
        except StoreError:
            return False

    def meta(self) -> dict:
        """The build metadata (store_meta: schema_version, source_fingerprint, built_at, ...)."""
        with self._reading() as con:
            rows = self._query(con, "SELECT key, value FROM store_meta")
        return {key: json.loads(value) for key, value in rows}

    def problems(self, deep: bool = True) -> list[str]:
        """Plain-language problems; empty when sound. ``deep`` re-validates boundaries."""
        try:
            with self._reading() as con:
                present = self._tables(con)
                missing = [
                    t for t in schema.GEOMETRY_LAYERS + schema.PUBLIC_TABLES if t not in present
                ]
                layers = {} if missing or not deep else self._boundary_layers(con)
        except StoreError as exc:
            return [str(exc)]
        if missing:
            return [f"Ontbrekende lagen of tabellen: {', '.join(missing)}."]
        problems = [] if self.is_current() else [STALE]
        if deep:
            problems += build.boundary_problems(layers["buurt"], layers["wijk"])
        return problems

    def _boundary_layers(self, con) -> dict[str, gpd.GeoDataFrame]:
        return {layer: self._layer(con, layer) for layer in ("buurt", "wijk")}

    @abstractmethod
    def ping(self) -> None:
        """Raise StoreUnavailable when the store cannot be reached (for /health)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections/pools (tests, CLI end). Optional."""

    # ------------------------------------------------------------------ public data
    @abstractmethod
    def data_version(self) -> str:
        """A short text that changes on every build, import, undo, new indicator and postcode
        table. Must be cheap: one small query, no table scans (called every ~2 s per worker)."""

    def read_data(self, previous: StoreData | None = None) -> StoreData:
        """Everything the pages read, as frames (same columns and dtypes for every backend).
        Raises StoreError with a way out. Tables and layers come from one data version: when a
        write commits while reading, it reads again (up to READ_ATTEMPTS times).

        ``previous`` (the data a worker read before) lends its geometry layers when the
        store's :meth:`geometry_version` is still theirs: an import, undo or new indicator
        changes figures, never a shape, so a worker that reloads after one does not read and
        parse every layer again (the shapes are the same objects: do not change them)."""
        problems = self.problems(deep=False)
        if problems:
            raise StoreError(
                "De datastore is niet bruikbaar:\n- "
                + "\n- ".join(problems)
                + "\nBouw hem opnieuw met: wijkveiligheid build"
            )
        for _ in range(READ_ATTEMPTS):
            before = self.data_version()
            data = self._read_data_once(previous)
            if self.data_version() == before:
                break
        return data

    def geometry_version(self) -> str:
        """A short text that changes whenever a geometry layer is written (build, migrate);
        "" when the backend cannot tell (then every read reads the layers)."""
        with self._reading() as con:
            return self._geometry_version(con)

    def _read_data_once(self, previous: StoreData | None = None) -> StoreData:
        with self._reading() as con:
            tables = self._public_tables(con)
            geometry = self._geometry_version(con)
            if previous is not None and geometry and previous.geometry_version == geometry:
                layers = {layer: getattr(previous, LAYER_FIELDS[layer]) for layer in LAYER_FIELDS}
            else:
                layers = {layer: self._layer(con, layer) for layer in schema.READ_LAYERS}
        data = build.store_data(tables, layers)
        data.geometry_version = geometry
        return data

    def _public_tables(self, con) -> dict[str, pd.DataFrame]:
        tables = {name: self._table(con, name) for name in schema.PUBLIC_TABLES}
        tables[schema.POSTCODE_TABLE] = self._state_table(con, schema.POSTCODE_TABLE)
        return tables

    def current_values(self) -> pd.DataFrame:
        """The effective non-derived observations: area_code, indicator_id, period (str),
        value, status (what an import preview compares with)."""
        columns = ["area_code", "indicator_id", "period", "value", "status"]
        with self._reading() as con:
            rows = self._query(con, f"SELECT {', '.join(columns)} FROM observation")
        frame = pd.DataFrame.from_records(rows, columns=columns)
        frame = frame[frame["status"].ne("derived")].reset_index(drop=True)
        frame["period"] = frame["period"].astype(str)
        return frame

    def state_tables(self) -> dict[str, pd.DataFrame]:
        """The tables kept across rebuilds (schema.STATE_TABLES: import_log,
        import_observation, import_source, custom_indicator, the postcode table) with their
        declared columns."""
        with self._reading() as con:
            return self._read_state(con)

    def _read_state(self, con) -> dict[str, pd.DataFrame]:
        return {name: self._state_table(con, name) for name in schema.STATE_TABLES}

    def _state_table(self, con, name: str) -> pd.DataFrame:
        """A kept table with its declared columns; empty when an older store lacks it."""
        if name not in self._tables(con):
            return schema.empty(name)
        return self._table(con, name).reindex(columns=schema.names(name))

    def postcodes(self) -> pd.DataFrame:
        """The CBS buurt per full postcode (pc6, buurtcode, adressen, jaar); empty until
        ``wijkveiligheid fetch --table postcode`` wrote it."""
        with self._reading() as con:
            return self._state_table(con, schema.POSTCODE_TABLE)

    def replace_postcodes(self, table: pd.DataFrame) -> None:
        """Replace the postcode table (one transaction, shared by every instance); bumps
        data_version so every worker's search uses the new table."""
        with self._writing() as con:
            self._replace(con, schema.POSTCODE_TABLE, table)

    # ------------------------------------------------------------------ moving a store
    def export_snapshot(self) -> Snapshot:
        """Everything that moves to another store (see :class:`Snapshot`), read in one go."""
        with self._reading() as con:
            tables = self._public_tables(con)
            layers = {layer: self._layer(con, layer) for layer in schema.GEOMETRY_LAYERS}
            state = self._read_state(con)
        with self._internal() as con:
            users = self._query(
                con, "SELECT username, password_hash, role, created_at FROM app_user"
            )
            refreshes = self._query(con, "SELECT at, outcome, detail FROM refresh_log ORDER BY id")
        return Snapshot(
            layers,
            tables,
            state,
            [
                dict(zip(("username", "password_hash", "role", "created_at"), r, strict=True))
                for r in users
            ],
            [dict(zip(("at", "outcome", "detail"), r, strict=True)) for r in refreshes],
        )

    def has_staff_data(self) -> bool:
        """True when the store already holds users or imports (migrate will not overwrite)."""
        with self._internal() as con:
            users = self._query(con, "SELECT count(*) FROM app_user")[0][0]
        if not self.exists():
            return bool(users)
        return bool(users) or not self.import_log().empty

    # ------------------------------------------------------------------ imports
    def commit_import(
        self,
        parsed,
        user: str,
        file_name: str,
        content: bytes,
        source_title: str,
        source_year: int | None = None,
        publisher: str = "Gemeente Hengelo (import)",
        licence: str = "Gemeente Hengelo",
    ) -> int:
        """Write a validated import (an :class:`indicators.imports.ParsedImport`) in one
        transaction; returns the import number. Figures fetched from open data name their real
        ``publisher`` and ``licence``."""
        from indicators.imports import preview

        if not parsed.ok:
            raise StaffError("Het bestand heeft fouten; er is niets geschreven.")
        title = str(source_title).strip()[:200]
        if not title:
            raise StaffError("Geef de bron van de cijfers op.")
        counts = preview(parsed.rows, self.current_values())["change"].value_counts()
        origin = {"publisher": publisher, "licence": licence, "title": title, "year": source_year}
        with self._writing() as con:
            top = self._query(con, "SELECT max(id) FROM import_log")[0][0]
            record = import_record(
                int(top or 0) + 1, parsed.rows, origin, user, file_name, content, counts
            )
            self._insert(con, "import_log", pd.DataFrame([record.log]))
            self._insert(con, "import_source", pd.DataFrame([record.source]))
            self._insert(con, "import_observation", record.observations)
            self._rederive(con)
        return record.number

    def undo_import(self, number: int, user: str) -> None:
        """Mark a whole import undone (its rows stay for the audit) and recompute the derived
        values, in one transaction; bumps data_version. Raises StaffError
        "Import #N bestaat niet." / "Import #N is al ongedaan gemaakt."."""
        with self._writing() as con:
            rows = self._query(con, "SELECT undone_at FROM import_log WHERE id = ?", (int(number),))
            if not rows:
                raise StaffError(f"Import #{number} bestaat niet.")
            if rows[0][0]:
                raise StaffError(f"Import #{number} is al ongedaan gemaakt.")
            self._execute(
                con,
                "UPDATE import_log SET undone_at = ?, undone_by = ? WHERE id = ?",
                (now(), user, int(number)),
            )
            self._rederive(con)

    def import_log(self) -> pd.DataFrame:
        """The import log, newest first (columns of schema.COLUMNS["import_log"])."""
        with self._reading() as con:
            log = self._state_table(con, "import_log")
        return log.sort_values("id", ascending=False).reset_index(drop=True)

    def define_indicator(self, fields: dict) -> str:
        """Add an indicator defined by staff, checked against the catalogue's typed model;
        returns its id. Bumps data_version."""
        clean = dict(fields)
        clean["levels"] = [lv for lv in clean.get("levels", []) if lv]
        clean.setdefault("aggregation", "none")
        try:
            indicator = Indicator(**clean)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "invoer"
            raise StaffError(f"Veld '{where}': {first['msg']}") from exc
        if indicator.aggregation != "none":
            raise StaffError(
                "Nieuwe indicatoren worden niet uit buurten afgeleid (aggregatie 'none')."
            )
        row = indicator.model_dump() | {"levels": ",".join(indicator.levels)}
        with self._writing() as con:
            if self._query(con, "SELECT 1 FROM indicator WHERE id = ?", (row["id"],)):
                raise StaffError(f"Indicator '{row['id']}' bestaat al.")
            if not self._query(con, "SELECT 1 FROM source WHERE id = ?", (row["source"],)):
                raise StaffError(f"Onbekende bron '{row['source']}'.")
            self._insert(con, "custom_indicator", pd.DataFrame([row]))
            self._rederive(con)
        return indicator.id

    def _rederive(self, con) -> None:
        """Recompute the public indicator, source and observation tables from the stored
        source observations, the bundled catalogue and the staff tables, and replace their
        rows (in the transaction of the change that asked for it)."""
        buurt_wijk = pd.DataFrame.from_records(
            self._query(con, "SELECT buurtcode, wijkcode FROM buurt ORDER BY fid"),
            columns=["buurtcode", "wijkcode"],
        )
        base = build.base_for_rederive(self._table(con, "observation_source"), buurt_wijk)
        derived = build.effective_tables(base, self._read_state(con))
        for name in schema.DERIVED_TABLES:
            self._replace(con, name, derived[name])

    # ------------------------------------------------------------------ users
    def add_user(self, username: str, password: str, role: str = "staff") -> None:
        """Create a user, or replace the password and role of an existing one (which ends its
        sessions)."""
        name = clean_username(username)
        if role not in ROLES:
            raise StaffError(f"Rol moet een van {', '.join(ROLES)} zijn.")
        with self._internal(write=True) as con:
            self._execute(
                con,
                "INSERT INTO app_user (username, password_hash, role, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET "
                "password_hash = excluded.password_hash, role = excluded.role",
                (name, hash_password(password), role, now()),
            )
        self.end_sessions(name)

    def set_password(self, username: str, password: str) -> None:
        """Give an existing user a new password; ends all its sessions."""
        name = clean_username(username)
        with self._internal(write=True) as con:
            changed = self._execute(
                con,
                "UPDATE app_user SET password_hash = ? WHERE username = ?",
                (hash_password(password), name),
            )
        if not changed:
            raise StaffError(f"Gebruiker '{name}' bestaat niet.")
        self.end_sessions(name)

    def remove_user(self, username: str) -> None:
        """Remove a user and end all its sessions."""
        name = str(username).strip().lower()
        self.end_sessions(name)
        with self._internal(write=True) as con:
            removed = self._execute(con, "DELETE FROM app_user WHERE username = ?", (name,))
        if not removed:
            raise StaffError(f"Gebruiker '{name}' bestaat niet.")

    def users(self) -> list[User]:
        """Every user, sorted by name (no password hashes)."""
        with self._internal() as con:
            rows = self._query(
                con, "SELECT username, role, created_at FROM app_user ORDER BY username"
            )
        return [User(*row) for row in rows]

    def user(self, username: str) -> User | None:
        """One user, or None."""
        name = str(username).strip().lower()
        return next((u for u in self.users() if u.username == name), None)

    def _password_hash(self, username: str) -> tuple[User, str] | None:
        with self._internal() as con:
            rows = self._query(
                con,
                "SELECT username, role, created_at, password_hash FROM app_user WHERE username = ?",
                (username,),
            )
        return (User(*rows[0][:3]), rows[0][3]) if rows else None

    # ------------------------------------------------------------------ login throttle
    def check_login(self, username: str, password: str, address: str | None) -> LoginResult:
        """Check a password with the throttle shared by every worker and instance: after
        MAX_FAILURES wrong passwords for the same user name from the same address block within
        WINDOW_S, attempts are refused without checking (``locked``) until the window passes.
        A right password clears the failures of that name and block."""
        name = str(username).strip().lower()[:80]
        block = address_block(address)
        if not self._begin_attempt(name, block, now_s()):
            return LoginResult(None, locked=True)
        found = self._password_hash(name)
        if found is None:
            check_password_hash(_DUMMY_HASH, str(password))  # same work either way
            ok = False
        else:
            ok = check_password_hash(found[1], str(password))
        if ok:  # a wrong password keeps its attempt row: a failure
            with self._internal(write=True) as con:
                self._execute(
                    con,
                    "DELETE FROM login_attempt WHERE username = ? AND block = ?",
                    (name, block),
                )
        return LoginResult(found[0] if ok and found else None)

    def _begin_attempt(self, username: str, block: str, at: float) -> bool:
        """Atomically (one transaction, serialised per name and block against other workers):
        drop attempts older than the window; when MAX_FAILURES remain refuse (False); else
        count this attempt as a failure until the password proves right. This makes the limit
        exact even with concurrent attempts."""
        with self._internal(write=True) as con:
            self._serialise(con, f"{username}|{block}")
            self._execute(con, "DELETE FROM login_attempt WHERE at < ?", (at - WINDOW_S,))
            count = self._query(
                con,
                "SELECT count(*) FROM login_attempt WHERE username = ? AND block = ?",
                (username, block),
            )[0][0]
            if count >= MAX_FAILURES:
                return False
            self._execute(
                con,
                "INSERT INTO login_attempt (username, block, at) VALUES (?, ?, ?)",
                (username, block, at),
            )
        return True

    # ------------------------------------------------------------------ sessions
    def create_session(self, username: str, ttl_s: float = SESSION_TTL_S) -> str:
        """A new server-side session for a user; returns the token for the cookie (expired
        sessions are dropped on the way)."""
        token = secrets.token_urlsafe(32)
        at = now_s()
        with self._internal(write=True) as con:
            self._execute(con, f"DELETE FROM app_session WHERE {EXPIRED}", (at,))
            self._execute(
                con,
                "INSERT INTO app_session (digest, username, created, expires) VALUES (?, ?, ?, ?)",
                (token_digest(token), username, at, at + ttl_s),
            )
        return token

    def session(self, token: str | None) -> User | None:
        """The user of a live session (not ended, not expired, user still exists), else None."""
        if not token:
            return None
        with self._internal() as con:
            rows = self._query(
                con,
                "SELECT u.username, u.role, u.created_at FROM app_session s "
                "JOIN app_user u ON u.username = s.username "
                f"WHERE s.digest = ? AND s.{LIVE}",
                (token_digest(str(token)), now_s()),
            )
        return User(*rows[0]) if rows else None

    def end_session(self, token: str | None) -> None:
        """End one session (logout)."""
        if token:
            with self._internal(write=True) as con:
                sql = "DELETE FROM app_session WHERE digest = ?"
                self._execute(con, sql, (token_digest(str(token)),))

    def end_sessions(self, username: str) -> None:
        """End every session of a user (password reset, removal)."""
        with self._internal(write=True) as con:
            name = str(username).strip().lower()
            self._execute(con, "DELETE FROM app_session WHERE username = ?", (name,))

    # ------------------------------------------------------------------ import previews
    def put_preview(self, token: str, username: str, payload: dict, ttl_s: float) -> None:
        """Keep a checked upload (JSON-able dict) until confirmed, for ``ttl_s`` seconds; drop
        expired previews."""
        at = now_s()
        with self._internal(write=True) as con:
            self._execute(con, f"DELETE FROM import_preview WHERE {EXPIRED}", (at,))
            self._execute(
                con,
                "INSERT INTO import_preview (token, username, payload, expires) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (token) DO UPDATE SET "
                "username = excluded.username, payload = excluded.payload, "
                "expires = excluded.expires",
                (str(token), username, self._json_value(payload), at + ttl_s),
            )

    def take_preview(self, token: str, username: str) -> dict | None:
        """Remove and return the preview when it exists, is not expired and belongs to
        ``username``; else None (and nothing removed when it belongs to someone else).
        Atomic: two workers confirming the same preview get it once."""
        with self._internal(write=True) as con:
            rows = self._query(
                con,
                "DELETE FROM import_preview WHERE token = ? AND username = ? "
                f"AND {LIVE} RETURNING payload",
                (str(token), username, now_s()),
            )
        if not rows:
            return None
        payload = rows[0][0]
        return json.loads(payload) if isinstance(payload, str) else payload

    # ------------------------------------------------------------------ refresh bookkeeping
    def record_refresh(self, outcome: str, detail: str = "", at: str | None = None) -> None:
        """Record a scheduled/CLI refresh: outcome "ok" or "failed", detail a short message
        (its first REFRESH_DETAIL_MAX characters are kept)."""
        with self._internal(write=True) as con:
            self._execute(
                con,
                "INSERT INTO refresh_log (at, outcome, detail) VALUES (?, ?, ?)",
                (at or now(), outcome, (detail or "")[:REFRESH_DETAIL_MAX]),
            )

    def last_refresh(self) -> dict | None:
        """The newest refresh record {"at", "outcome", "detail"}, or None."""
        with self._internal() as con:
            rows = self._query(
                con, "SELECT at, outcome, detail FROM refresh_log ORDER BY id DESC LIMIT 1"
            )
        return dict(zip(("at", "outcome", "detail"), rows[0], strict=True)) if rows else None

    # ------------------------------------------------------------------ app secret, locks
    @abstractmethod
    def secret_key(self) -> str:
        """A random key kept in the store (made on first use, the same for every worker and
        instance), for signing cookies when WIJKVEILIGHEID_SECRET_KEY is not set."""

    @abstractmethod
    def try_lock(self, name: str) -> contextlib.AbstractContextManager[bool]:
        """A context manager: yields True when this process got the named lock (held until the
        block ends), False at once when another process holds it. Across every worker and
        instance of this store (PostgreSQL: pg_try_advisory_lock; embedded: flock)."""

    # ------------------------------------------------------------------ backend primitives
    @abstractmethod
    def _reading(self) -> contextlib.AbstractContextManager:
        """A connection that reads the public data as of one moment (StoreError with a way out
        when the store is missing or broken)."""

    @abstractmethod
    def _writing(self) -> contextlib.AbstractContextManager:
        """ONE write transaction on the public data and the kept tables, serialised against
        every other writer; bumps data_version when it commits, writes nothing on an error."""

    @abstractmethod
    def _internal(self, write: bool = False) -> contextlib.AbstractContextManager:
        """A connection (one transaction when ``write``) to the users, sessions, previews,
        throttle and refresh tables."""

    def _serialise(self, con, key: str) -> None:  # noqa: B027 - optional hook
        """Serialise ``_internal(write=True)`` transactions that name the same ``key`` (a
        backend whose write transactions are already serial needs nothing)."""

    @abstractmethod
    def _tables(self, con) -> set[str]:
        """The names of the tables and layers present."""

    @abstractmethod
    def _table(self, con, name: str) -> pd.DataFrame:
        """Every row of an attribute table in stored order, without ``fid``."""

    @abstractmethod
    def _layer(self, con, name: str) -> gpd.GeoDataFrame:
        """A geometry layer in its stored CRS."""

    def _geometry_version(self, con) -> str:
        """See :meth:`geometry_version` (one small query; "" when unknown)."""
        return ""

    @abstractmethod
    def _query(self, con, sql: str, params: tuple = ()) -> list[tuple]:
        """The rows of ``sql`` (``?`` placeholders)."""

    @abstractmethod
    def _execute(self, con, sql: str, params: tuple = ()) -> int:
        """Run ``sql`` (``?`` placeholders); returns the number of rows it changed."""

    @abstractmethod
    def _insert(self, con, name: str, frame: pd.DataFrame) -> None:
        """Append the rows of ``frame`` to a table, as :func:`schema.conform` types them."""

    @abstractmethod
    def _replace(self, con, name: str, frame: pd.DataFrame) -> None:
        """Replace every row of a table (created when missing) with ``frame``, as
        :func:`schema.conform` types them."""

    def _json_value(self, payload: dict):
        """A preview payload as the backend's column takes it (JSON text by default)."""
        return json.dumps(payload)


def import_record(number, rows, origin, user, file_name, content, counts) -> ImportRecord:
    """The log, source and observation rows of import ``number`` of ``rows`` (a parsed
    import); ``origin`` names the publisher, licence, title and (optional) year of the
    figures, ``counts`` the new/changed/unchanged values."""
    source_id = f"IMPORT_{number}"
    rows = rows.copy()
    rows["source_id"] = rows["source_id"].fillna(source_id)
    rows["import_id"] = number
    title = origin["title"]
    source = {
        "id": source_id,
        "publisher": origin["publisher"],
        "title": title,
        "title_en": title,
        "year": int(origin["year"] or max(rows["period"].map(periods.year_of))),
        "licence": origin["licence"],
        "attribution": f"Bron: {title}",
        "file": file_name[:200],
        "notes": f"Import #{number} door {user}",
    }
    log = {
        "id": number,
        "user": user,
        "at": now(),
        "file_name": file_name[:200],
        "sha256": hashlib.sha256(content).hexdigest(),
        "source_id": source_id,
        "n_rows": len(rows),
        "n_new": int(counts.get("new", 0)),
        "n_changed": int(counts.get("changed", 0)),
        "n_unchanged": int(counts.get("unchanged", 0)),
        "undone_at": None,
        "undone_by": None,
    }
    observations = rows[schema.names("import_observation")]
    return ImportRecord(number, log, source, observations)
