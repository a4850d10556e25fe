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

The shared logic (validation, password hashing, the throttle rule, building the import rows)
is implemented here once; a backend implements the abstract primitives.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import re
import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
from pydantic import ValidationError
from werkzeug.security import check_password_hash, generate_password_hash

from indicators import periods
from indicators.catalogue import Indicator
from indicators.store import STATE_COLUMNS, StoreData, StoreError

ROLES = ("staff", "admin")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 12
MAX_FAILURES = 5  # wrong passwords per user name and address block ...
WINDOW_S = 15 * 60  # ... within this many seconds; then the login is refused
SESSION_TTL_S = 8 * 3600  # a staff session ends after 8 hours at the latest
PREVIEW_TTL_S = 30 * 60  # an import preview can be confirmed for 30 minutes
IMPORT_OBSERVATION_COLUMNS = STATE_COLUMNS["import_observation"]
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

    def __getitem__(self, key):  # templates and old code index users like dicts
        return getattr(self, key)


@dataclass(frozen=True)
class LoginResult:
    """Outcome of :meth:`Store.check_login`: ``user`` when the password was right;
    ``locked`` when too many failures refused the attempt without checking the password."""

    user: User | None
    locked: bool = False


@dataclass
class ImportRecord:
    """Everything one import writes: built by :meth:`Store.commit_import` once the backend has
    given it its number (inside the backend's transaction)."""

    number: int
    log: dict  # one import_log row (columns of indicators.store.STATE_COLUMNS["import_log"])
    source: dict  # one import_source row
    observations: pd.DataFrame  # IMPORT_OBSERVATION_COLUMNS
    extra: dict = field(default_factory=dict)


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
        """(Re)build the public data from the bundled sources; users, sessions, imports and staff
        indicators are kept and re-applied. All or nothing: a failure (bad source file) leaves
        the old data untouched. Changes data_version. Returns :meth:`meta`."""

    def ensure(self) -> None:
        """Build when missing, or again (keeping staff state) when built from other bundled
        sources than the ones installed now. Also does backend housekeeping (migrations, left
        over temporary files). Called by `serve`, the app's first request and the CLI."""
        if not self.exists() or not self.is_current():
            self.build()

    def is_current(self) -> bool:
        """True when the public data was built from the bundled sources installed now."""
        from indicators.store import source_fingerprint

        try:
            return self.meta().get("source_fingerprint") == source_fingerprint()
        except StoreUnavailable:
            raise
        except StoreError:
            return False

    @abstractmethod
    def meta(self) -> dict:
        """The build metadata (store_meta: schema_version, source_fingerprint, built_at, ...)."""

    @abstractmethod
    def problems(self, deep: bool = True) -> list[str]:
        """Plain-language problems; empty when sound. ``deep`` re-validates boundaries."""

    @abstractmethod
    def ping(self) -> None:
        """Raise StoreUnavailable when the store cannot be reached (for /health)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections/pools (tests, CLI end). Optional."""

    # ------------------------------------------------------------------ public data
    @abstractmethod
    def data_version(self) -> str:
        """A short text that changes on every build, import, undo and new indicator. Must be
        cheap: one small query, no table scans (called every ~2 s per worker)."""

    @abstractmethod
    def read_data(self) -> StoreData:
        """Everything the pages read, as frames (same columns and dtypes for every backend:
        see indicators.store.read_store). Raises StoreError with a way out."""

    @abstractmethod
    def current_values(self) -> pd.DataFrame:
        """The effective non-derived observations: area_code, indicator_id, period (str),
        value, status (what an import preview compares with)."""

    @abstractmethod
    def state_tables(self) -> dict[str, pd.DataFrame]:
        """The staff tables kept across rebuilds (indicators.store.STATE_TABLES: import_log,
        import_observation, import_source, custom_indicator) with STATE_COLUMNS columns."""

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
        at = now()

        def make(number: int) -> ImportRecord:
            source_id = f"IMPORT_{number}"
            rows = parsed.rows.copy()
            rows["source_id"] = rows["source_id"].fillna(source_id)
            rows["import_id"] = number
            year = int(source_year or max(rows["period"].map(periods.year_of)))
            source = {
                "id": source_id,
                "publisher": publisher,
                "title": title,
                "title_en": title,
                "year": year,
                "licence": licence,
                "attribution": f"Bron: {title}",
                "file": file_name[:200],
                "notes": f"Import #{number} door {user}",
            }
            log = {
                "id": number,
                "user": user,
                "at": at,
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
            return ImportRecord(number, log, source, rows[IMPORT_OBSERVATION_COLUMNS])

        return self._write_import(make)

    @abstractmethod
    def _write_import(self, make: Callable[[int], ImportRecord]) -> int:
        """In ONE transaction: take the next import number (max(import_log.id) + 1, serialised
        against other writers), call ``make(number)``, insert its log, source and observation
        rows, recompute the derived public tables (indicators.store.effective_tables) and
        replace the effective observation/indicator/source rows, bump data_version. Returns the
        number."""

    @abstractmethod
    def undo_import(self, number: int, user: str) -> None:
        """Mark a whole import undone (its rows stay for the audit) and recompute the derived
        values, in one transaction; bumps data_version. Raises StaffError
        "Import #N bestaat niet." / "Import #N is al ongedaan gemaakt."."""

    @abstractmethod
    def import_log(self) -> pd.DataFrame:
        """The import log, newest first (columns of STATE_COLUMNS["import_log"])."""

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
        self._add_indicator(row)
        return indicator.id

    @abstractmethod
    def _add_indicator(self, row: dict) -> None:
        """In one transaction: raise StaffError "Indicator 'x' bestaat al." when the id is known
        (bundled or custom), "Onbekende bron 'y'." when row["source"] is not a known source id;
        else insert the custom_indicator row, recompute the derived tables, bump data_version."""

    # ------------------------------------------------------------------ users
    def add_user(self, username: str, password: str, role: str = "staff") -> None:
        """Create a user, or replace the password and role of an existing one (which ends its
        sessions)."""
        name = clean_username(username)
        if role not in ROLES:
            raise StaffError(f"Rol moet een van {', '.join(ROLES)} zijn.")
        self._upsert_user(name, hash_password(password), role, now())
        self.end_sessions(name)

    def set_password(self, username: str, password: str) -> None:
        """Give an existing user a new password; ends all its sessions."""
        name = clean_username(username)
        if not self._set_password_hash(name, hash_password(password)):
            raise StaffError(f"Gebruiker '{name}' bestaat niet.")
        self.end_sessions(name)

    def remove_user(self, username: str) -> None:
        """Remove a user and end all its sessions."""
        name = str(username).strip().lower()
        self.end_sessions(name)
        if not self._delete_user(name):
            raise StaffError(f"Gebruiker '{name}' bestaat niet.")

    @abstractmethod
    def users(self) -> list[User]:
        """Every user, sorted by name (no password hashes)."""

    def user(self, username: str) -> User | None:
        """One user, or None."""
        name = str(username).strip().lower()
        return next((u for u in self.users() if u.username == name), None)

    @abstractmethod
    def _upsert_user(self, username: str, password_hash: str, role: str, created_at: str) -> None:
        """Insert or replace one user row (created_at kept when it exists)."""

    @abstractmethod
    def _set_password_hash(self, username: str, password_hash: str) -> bool:
        """Update the hash; False when there is no such user."""

    @abstractmethod
    def _delete_user(self, username: str) -> bool:
        """Delete the user row; False when there was none."""

    @abstractmethod
    def _password_hash(self, username: str) -> tuple[User, str] | None:
        """The user and its password hash, or None."""

    # ------------------------------------------------------------------ login throttle
    def check_login(self, username: str, password: str, address: str | None) -> LoginResult:
        """Check a password with the throttle shared by every worker and instance: after
        MAX_FAILURES wrong passwords for the same user name from the same address block within
        WINDOW_S, attempts are refused without checking (``locked``) until the window passes.
        A right password clears the failures of that name and block."""
        name = str(username).strip().lower()[:80]
        block = address_block(address)
        attempt = self._begin_attempt(name, block, now_s(), WINDOW_S, MAX_FAILURES)
        if attempt is None:
            return LoginResult(None, locked=True)
        found = self._password_hash(name)
        if found is None:
            check_password_hash(_DUMMY_HASH, str(password))  # same work either way
            ok = False
        else:
            ok = check_password_hash(found[1], str(password))
        self._end_attempt(attempt, name, block, ok)
        return LoginResult(found[0] if ok and found else None)

    @abstractmethod
    def _begin_attempt(
        self, username: str, block: str, at: float, window_s: float, limit: int
    ) -> int | None:
        """Atomically (one transaction, serialised against other workers): drop attempts older
        than ``at - window_s``; when ``limit`` or more remain for (username, block) return None;
        else insert an attempt row (counted as a failure until _end_attempt says otherwise) and
        return its id. This makes the limit exact even with concurrent attempts."""

    @abstractmethod
    def _end_attempt(self, attempt: int, username: str, block: str, ok: bool) -> None:
        """ok: delete every attempt of (username, block); not ok: keep the row (a failure)."""

    # ------------------------------------------------------------------ sessions
    def create_session(self, username: str, ttl_s: float = SESSION_TTL_S) -> str:
        """A new server-side session for a user; returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        self._insert_session(token_digest(token), username, now_s(), now_s() + ttl_s)
        return token

    def session(self, token: str | None) -> User | None:
        """The user of a live session (not ended, not expired, user still exists), else None."""
        if not token:
            return None
        return self._session_user(token_digest(str(token)), now_s())

    def end_session(self, token: str | None) -> None:
        """End one session (logout)."""
        if token:
            self._delete_sessions(digest=token_digest(str(token)))

    def end_sessions(self, username: str) -> None:
        """End every session of a user (password reset, removal)."""
        self._delete_sessions(username=str(username).strip().lower())

    @abstractmethod
    def _insert_session(self, digest: str, username: str, created: float, expires: float) -> None:
        """Insert a session row (and drop expired ones)."""

    @abstractmethod
    def _session_user(self, digest: str, at: float) -> User | None:
        """The user of the session with this digest when expires > at and the user exists."""

    @abstractmethod
    def _delete_sessions(self, digest: str | None = None, username: str | None = None) -> None:
        """Delete the session with this digest, or every session of this user."""

    # ------------------------------------------------------------------ import previews
    @abstractmethod
    def put_preview(self, token: str, username: str, payload: dict, ttl_s: float) -> None:
        """Keep a checked upload (JSON-able dict) until confirmed, for ``ttl_s`` seconds; drop
        expired previews."""

    @abstractmethod
    def take_preview(self, token: str, username: str) -> dict | None:
        """Remove and return the preview when it exists, is not expired and belongs to
        ``username``; else None (and nothing removed when it belongs to someone else).
        Atomic: two workers confirming the same preview get it once."""

    # ------------------------------------------------------------------ app secret
    @abstractmethod
    def secret_key(self) -> str:
        """A random key kept in the store (made on first use, the same for every worker and
        instance), for signing cookies when WIJKVEILIGHEID_SECRET_KEY is not set."""

    # ------------------------------------------------------------------ refresh bookkeeping
    @abstractmethod
    def try_lock(self, name: str) -> contextlib.AbstractContextManager[bool]:
        """A context manager: yields True when this process got the named lock (held until the
        block ends), False at once when another process holds it. Across every worker and
        instance of this store (PostgreSQL: pg_try_advisory_lock; embedded: flock)."""

    @abstractmethod
    def record_refresh(self, outcome: str, detail: str = "", at: str | None = None) -> None:
        """Record a scheduled/CLI refresh: outcome "ok" or "failed", detail a short message."""

    @abstractmethod
    def last_refresh(self) -> dict | None:
        """The newest refresh record {"at", "outcome", "detail"}, or None."""


@contextlib.contextmanager
def no_lock() -> Iterator[bool]:  # pragma: no cover - helper for backends without locks
    yield True
