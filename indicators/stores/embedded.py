"""The embedded store: a GeoPackage for geometry and public figures (GIS staff open it in QGIS)
plus a separate internal SQLite file for users, sessions, previews, the login throttle and the
refresh log (never password hashes in the GIS file).

Writes are row-level SQLite transactions; only :meth:`EmbeddedStore.build` writes a whole new
GeoPackage, which is then copied INTO the existing file with SQLite's backup API (one atomic
write transaction), so the file keeps its inode, mode and owner and a kill at any point leaves
the old or the new store, never a mix. Writers to the GeoPackage are serialised by an flock on
``<store>.lock``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import secrets
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from geodata import io as geo_io
from geodata.validate import validate_boundaries
from indicators import store as core
from indicators.stores.base import (
    ImportRecord,
    StaffError,
    Store,
    StoreUnavailable,
    User,
    now,
)

BUILD_PREFIX = ".wijkveiligheid-build-"
BUSY_TIMEOUT_S = 15
INTERNAL_SCHEMA = """
CREATE TABLE IF NOT EXISTS app_user (
    username TEXT PRIMARY KEY, password_hash TEXT NOT NULL, role TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS app_session (
    digest TEXT PRIMARY KEY, username TEXT NOT NULL, created REAL NOT NULL,
    expires REAL NOT NULL);
CREATE INDEX IF NOT EXISTS app_session_user ON app_session (username);
CREATE TABLE IF NOT EXISTS login_attempt (
    id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, block TEXT NOT NULL,
    at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_attempt_key ON login_attempt (username, block);
CREATE TABLE IF NOT EXISTS import_preview (
    token TEXT PRIMARY KEY, username TEXT NOT NULL, payload TEXT NOT NULL,
    expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS app_secret (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS refresh_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, outcome TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '');
"""


def unavailable(exc: BaseException, what: Path) -> StoreUnavailable:
    """A plain-language StoreUnavailable for an OS or SQLite error on ``what``."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if "full" in text or code == errno.ENOSPC:
        reason = "de schijf is vol"
    elif "readonly" in text or "read-only" in text or code in (errno.EACCES, errno.EROFS):
        reason = "het bestand of de map is alleen-lezen (rechten?)"
    elif "locked" in text or "busy" in text:
        reason = "het bestand is te lang bezet door een andere schrijver"
    else:
        reason = str(exc)
    return StoreUnavailable(
        f"De datastore {what} kan nu niet worden geschreven of gelezen: {reason}. "
        "Er is niets veranderd; probeer het opnieuw als dit is verholpen."
    )


def _is_outage(exc: BaseException) -> bool:
    """True for errors that say the store cannot be used now (not that it is broken)."""
    text = str(exc).lower()
    return any(w in text for w in ("locked", "busy", "readonly", "full", "disk i/o", "unable"))


@contextlib.contextmanager
def _translated(what: Path) -> Iterator[None]:
    try:
        yield
    except (sqlite3.OperationalError, OSError) as exc:
        if isinstance(exc, sqlite3.OperationalError) and "no such table" in str(exc):
            raise core.StoreError(
                f"De datastore {what} mist een tabel ({exc}). Bouw hem opnieuw met: "
                "wijkveiligheid build"
            ) from exc
        raise unavailable(exc, what) from exc


def _same_owner_file(path: Path, like: Path | None, flags: int = os.O_RDONLY) -> int:
    """Open (creating when missing) ``path``; a new file gets the mode and owner of ``like``,
    so a command run as root does not lock the web server's user out."""
    existed = path.exists()
    fd = os.open(path, flags | os.O_CREAT, 0o666)
    if not existed and like is not None and like.exists():
        info = like.stat()
        with contextlib.suppress(OSError):
            os.fchmod(fd, info.st_mode & 0o777)
        if os.geteuid() == 0:
            with contextlib.suppress(OSError):
                os.fchown(fd, info.st_uid, info.st_gid)
    return fd


class EmbeddedStore(Store):
    """GeoPackage ``path`` + internal SQLite file ``internal``."""

    kind = "embedded"
    extra_pragmas: tuple[str, ...] = ()  # tests: e.g. ("PRAGMA max_page_count = 1",)

    def __init__(self, path: Path, internal: Path):
        self.path = Path(path)
        self.internal = Path(internal)
        self._ready_lock = threading.Lock()
        self._ready = False

    def describe(self) -> str:
        return f"{self.path} (intern: {self.internal})"

    # ------------------------------------------------------------------ connections
    def _connect(self, path: Path, write: bool) -> sqlite3.Connection:
        mode = "rw" if write else "ro"
        try:
            con = sqlite3.connect(
                f"file:{path}?mode={mode}",
                uri=True,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
            )
            for pragma in self.extra_pragmas:
                con.execute(pragma)
        except sqlite3.OperationalError as exc:
            raise unavailable(exc, path) from exc
        return con

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read connection to the GeoPackage (clear StoreError when missing or broken)."""
        self._housekeeping()
        if not self.path.exists():
            raise core.StoreError(
                f"De datastore {self.path} bestaat niet. Maak hem met: wijkveiligheid build"
            )
        con = self._connect(self.path, write=False)
        try:
            try:
                con.execute("SELECT count(*) FROM gpkg_contents").fetchone()
            except sqlite3.DatabaseError as exc:
                if _is_outage(exc):
                    raise unavailable(exc, self.path) from exc
                raise core.StoreError(
                    f"De datastore {self.path} is geen leesbare GeoPackage ({exc}). "
                    "Bouw hem opnieuw met: wijkveiligheid build"
                ) from exc
            with _translated(self.path):
                yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def _flock(self, lock_path: Path, like: Path | None, blocking: bool = True):
        try:
            fd = _same_owner_file(lock_path, like)
        except OSError as exc:
            raise unavailable(exc, lock_path) from exc
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _write_lock(self):
        """Serialises every writer of the GeoPackage (imports, undo, indicators, build)."""
        return self._flock(self.path.with_suffix(self.path.suffix + ".lock"), self.path)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on the GeoPackage; rolled back on any error."""
        self._housekeeping()
        if not self.path.exists():
            raise core.StoreError(
                f"De datastore {self.path} bestaat niet. Maak hem met: wijkveiligheid build"
            )
        with self._write_lock(), _translated(self.path):
            con = self._connect(self.path, write=True)
            try:
                con.execute("BEGIN IMMEDIATE")
                yield con
                _bump_version(con)
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            finally:
                con.close()

    @contextlib.contextmanager
    def _internal(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection to the internal database; ``write`` runs one IMMEDIATE transaction."""
        self._housekeeping()
        with _translated(self.internal):
            if not self.internal.exists():
                self._create_internal()
            con = self._connect(self.internal, write=write)
            try:
                if write:
                    con.execute("BEGIN IMMEDIATE")
                yield con
                if write:
                    con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            finally:
                con.close()

    def _create_internal(self) -> None:
        self.internal.parent.mkdir(parents=True, exist_ok=True)
        like = self.path if self.path.exists() else None
        os.close(_same_owner_file(self.internal, like, os.O_RDWR))
        con = sqlite3.connect(self.internal, timeout=BUSY_TIMEOUT_S)
        try:
            con.executescript(INTERNAL_SCHEMA)
        finally:
            con.close()

    def _housekeeping(self) -> None:
        """Once per process: roll back a transaction a killed writer left (hot journal),
        remove build files a killed build left, create the internal tables."""
        if self._ready:
            return
        with self._ready_lock:
            if self._ready:
                return
            self._ready = True
            self._clean_leftovers()

    def _clean_leftovers(self) -> None:
        if self.path.exists() and os.access(self.path, os.W_OK):
            with contextlib.suppress(OSError, StoreUnavailable), self._write_lock():
                _settle_journal(self.path, "UPDATE gpkg_contents SET table_name = table_name")
                for leftover in self.path.parent.glob(f"{BUILD_PREFIX}*"):
                    leftover.unlink(missing_ok=True)
        if self.internal.exists() and os.access(self.internal, os.W_OK):
            _settle_journal(self.internal, "UPDATE app_secret SET name = name")
            with contextlib.suppress(sqlite3.Error, OSError):
                con = sqlite3.connect(self.internal, timeout=BUSY_TIMEOUT_S)
                con.executescript(INTERNAL_SCHEMA)
                con.close()

    # ------------------------------------------------------------------ lifecycle
    def exists(self) -> bool:
        return self.path.exists()

    def ping(self) -> None:
        self.data_version()
        with self._internal() as con:
            con.execute("SELECT count(*) FROM app_secret").fetchone()

    def meta(self) -> dict:
        with self._read() as con:
            rows = con.execute("SELECT key, value FROM store_meta").fetchall()
        return {key: json.loads(value) for key, value in rows}

    def data_version(self) -> str:
        with self._read() as con:
            row = con.execute("SELECT value FROM store_meta WHERE key = 'data_version'").fetchone()
        return json.loads(row[0]) if row else "0"

    def problems(self, deep: bool = True) -> list[str]:
        try:
            with self._read() as con:
                present = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
        except core.StoreError as exc:
            return [str(exc)]
        tables = core.GEOMETRY_LAYERS + core.ATTRIBUTE_TABLES + ("observation",)
        missing = [t for t in tables if t not in present]
        if missing:
            return [f"Ontbrekende lagen of tabellen: {', '.join(missing)}."]
        problems = []
        if not self.is_current():
            problems.append(
                "De datastore is gebouwd uit andere bronbestanden dan die nu in de "
                "repository staan (verouderd)."
            )
        if deep:
            problems += self._deep_problems()
        return problems

    def _deep_problems(self) -> list[str]:
        buurten = geo_io.read_layer(self.path, "buurt")
        wijken = geo_io.read_layer(self.path, "wijk")
        problems = []
        if len(buurten) != 62 or len(wijken) != 10:
            problems.append(
                f"Verwacht 62 buurten en 10 wijken, gevonden {len(buurten)} en {len(wijken)}."
            )
        try:
            names = dict(zip(wijken["wijkcode"], wijken["wijknaam"], strict=True))
            validate_boundaries(buurten, names)
        except ValueError as exc:
            problems.append(str(exc))
        return problems

    def build(self) -> dict:
        frames = core.build_frames()  # slow part, before taking any lock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._housekeeping()
        with self._write_lock():
            state, legacy_users = self._state_for_rebuild()
            if legacy_users:
                self._adopt_users(legacy_users)
            tmp = self._write_new_file(frames, state)
            try:
                self._install(tmp)
            finally:
                tmp.unlink(missing_ok=True)
        return self.meta()

    def _state_for_rebuild(self) -> tuple[dict, list[dict]]:
        """Staff tables (and users of a pre-5 store) of the existing file; empty when none or
        unreadable."""
        if not self.path.exists():
            return core.empty_state(), []
        try:
            con = self._connect(self.path, write=False)
            try:
                return _read_state(con), _legacy_users(con)
            finally:
                con.close()
        except (sqlite3.DatabaseError, pd.errors.DatabaseError, StoreUnavailable):
            return core.empty_state(), []  # an unreadable store has no state to keep

    def _write_new_file(self, frames: dict, state: dict) -> Path:
        fd, name = tempfile.mkstemp(prefix=BUILD_PREFIX, suffix=".gpkg", dir=self.path.parent)
        os.close(fd)
        tmp = Path(name)
        tmp.unlink()
        try:
            for layer in core.GEOMETRY_LAYERS:
                geo_io.write_layer(frames[layer], tmp, layer)
            tables = dict(frames) | core.effective_tables(frames, state)
            con = sqlite3.connect(tmp, isolation_level=None)
            try:
                con.execute("BEGIN")
                for table in core.ATTRIBUTE_TABLES + ("observation",):
                    _create_table(con, table, tables[table])
                for table in core.STATE_TABLES:
                    _create_table(con, table, state[table])
                _bump_version(con)
                con.execute("COMMIT")
            finally:
                con.close()
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return tmp

    def _install(self, tmp: Path) -> None:
        """Copy the new file into the existing one in one SQLite write transaction (keeps
        inode, mode and owner; readers see the old or the new store); a missing or corrupt
        target is replaced."""
        if self.path.exists():
            try:
                src = sqlite3.connect(tmp)
                dst = self._connect(self.path, write=True)
                try:
                    dst.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    src.backup(dst)
                finally:
                    src.close()
                    dst.close()
                return
            except sqlite3.DatabaseError as exc:
                if "not a database" not in str(exc) and "malformed" not in str(exc):
                    raise unavailable(exc, self.path) from exc
            except StoreUnavailable:
                raise
            info = self.path.stat()
            os.chmod(tmp, info.st_mode & 0o777)
            if os.geteuid() == 0:
                os.chown(tmp, info.st_uid, info.st_gid)
        try:
            os.replace(tmp, self.path)
        except OSError as exc:
            raise unavailable(exc, self.path) from exc

    def _adopt_users(self, rows: list[dict]) -> None:
        """Move users out of a pre-5 GeoPackage into the internal database."""
        with self._internal(write=True) as con:
            con.executemany(
                "INSERT OR IGNORE INTO app_user (username, password_hash, role, created_at) "
                "VALUES (:username, :password_hash, :role, :created_at)",
                rows,
            )

    # ------------------------------------------------------------------ public data
    def read_data(self) -> core.StoreData:
        problems = self.problems(deep=False)
        if problems:
            raise core.StoreError(
                "De datastore is niet bruikbaar:\n- "
                + "\n- ".join(problems)
                + "\nBouw hem opnieuw met: wijkveiligheid build"
            )
        for _ in range(3):  # attribute tables and layers from the same version
            before = self.data_version()
            data = self._read_data_once()
            if self.data_version() == before:
                return data
        return data

    def _read_data_once(self) -> core.StoreData:
        with self._read() as con:
            con.execute("BEGIN")  # one snapshot of all tables while imports commit (issue 16)
            tables = {t: _read_table(con, t) for t in core.ATTRIBUTE_TABLES + ("observation",)}
            con.execute("COMMIT")
        layers = {
            layer: geo_io.read_layer(self.path, layer)
            for layer in ("buurt", "wijk", "web_buurt", "web_wijk")
        }
        return core.store_data(tables, layers)

    def current_values(self) -> pd.DataFrame:
        with self._read() as con:
            obs = pd.read_sql(
                "SELECT area_code, indicator_id, period, value, status FROM observation "
                "WHERE status != 'derived'",
                con,
            )
        obs["period"] = obs["period"].astype(str)
        return obs

    def state_tables(self) -> dict[str, pd.DataFrame]:
        with self._read() as con:
            return _read_state(con)

    # ------------------------------------------------------------------ imports
    def _write_import(self, make: Callable[[int], ImportRecord]) -> int:
        with self._transaction() as con:
            top = con.execute("SELECT max(id) FROM import_log").fetchone()[0]
            record = make(int(top or 0) + 1)
            _insert(con, "import_log", pd.DataFrame([record.log]))
            _insert(con, "import_source", pd.DataFrame([record.source]))
            _insert(con, "import_observation", record.observations)
            _rederive(con)
        return record.number

    def undo_import(self, number: int, user: str) -> None:
        with self._transaction() as con:
            row = con.execute(
                "SELECT undone_at FROM import_log WHERE id = ?", (int(number),)
            ).fetchone()
            if row is None:
                raise StaffError(f"Import #{number} bestaat niet.")
            if row[0]:
                raise StaffError(f"Import #{number} is al ongedaan gemaakt.")
            con.execute(
                "UPDATE import_log SET undone_at = ?, undone_by = ? WHERE id = ?",
                (now(), user, int(number)),
            )
            _rederive(con)

    def import_log(self) -> pd.DataFrame:
        with self._read() as con:
            log = _read_table(con, "import_log")
        log = log.reindex(columns=core.STATE_COLUMNS["import_log"])
        return log.sort_values("id", ascending=False).reset_index(drop=True)

    def _add_indicator(self, row: dict) -> None:
        with self._transaction() as con:
            known = {r[0] for r in con.execute("SELECT id FROM indicator")}
            sources = {r[0] for r in con.execute("SELECT id FROM source")}
            if row["id"] in known:
                raise StaffError(f"Indicator '{row['id']}' bestaat al.")
            if row["source"] not in sources:
                raise StaffError(f"Onbekende bron '{row['source']}'.")
            _insert(con, "custom_indicator", pd.DataFrame([row]))
            _rederive(con)

    # ------------------------------------------------------------------ users
    def users(self) -> list[User]:
        with self._internal() as con:
            rows = con.execute(
                "SELECT username, role, created_at FROM app_user ORDER BY username"
            ).fetchall()
        return [User(*row) for row in rows]

    def _upsert_user(self, username, password_hash, role, created_at) -> None:
        with self._internal(write=True) as con:
            con.execute(
                "INSERT INTO app_user (username, password_hash, role, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET "
                "password_hash = excluded.password_hash, role = excluded.role",
                (username, password_hash, role, created_at),
            )

    def _set_password_hash(self, username, password_hash) -> bool:
        with self._internal(write=True) as con:
            cur = con.execute(
                "UPDATE app_user SET password_hash = ? WHERE username = ?",
                (password_hash, username),
            )
            return cur.rowcount > 0

    def _delete_user(self, username) -> bool:
        with self._internal(write=True) as con:
            con.execute("DELETE FROM app_session WHERE username = ?", (username,))
            return con.execute("DELETE FROM app_user WHERE username = ?", (username,)).rowcount > 0

    def _password_hash(self, username):
        with self._internal() as con:
            row = con.execute(
                "SELECT username, role, created_at, password_hash FROM app_user WHERE username = ?",
                (username,),
            ).fetchone()
        return (User(*row[:3]), row[3]) if row else None

    def export_users(self) -> list[dict]:
        """Every user WITH its password hash, for moving the store into PostGIS."""
        with self._internal() as con:
            con.row_factory = sqlite3.Row
            rows = con.execute(
                "SELECT username, password_hash, role, created_at FROM app_user"
            ).fetchall()
        return [dict(r) for r in rows]

    # ------------------------------------------------------------------ throttle
    def _begin_attempt(self, username, block, at, window_s, limit):
        with self._internal(write=True) as con:
            con.execute("DELETE FROM login_attempt WHERE at < ?", (at - window_s,))
            (count,) = con.execute(
                "SELECT count(*) FROM login_attempt WHERE username = ? AND block = ?",
                (username, block),
            ).fetchone()
            if count >= limit:
                return None
            cur = con.execute(
                "INSERT INTO login_attempt (username, block, at) VALUES (?, ?, ?)",
                (username, block, at),
            )
            return cur.lastrowid

    def _end_attempt(self, attempt, username, block, ok) -> None:
        if ok:
            with self._internal(write=True) as con:
                con.execute(
                    "DELETE FROM login_attempt WHERE username = ? AND block = ?",
                    (username, block),
                )

    # ------------------------------------------------------------------ sessions
    def _insert_session(self, digest, username, created, expires) -> None:
        with self._internal(write=True) as con:
            con.execute("DELETE FROM app_session WHERE expires < ?", (created,))
            con.execute(
                "INSERT INTO app_session (digest, username, created, expires) VALUES (?, ?, ?, ?)",
                (digest, username, created, expires),
            )

    def _session_user(self, digest, at):
        with self._internal() as con:
            row = con.execute(
                "SELECT u.username, u.role, u.created_at FROM app_session s "
                "JOIN app_user u ON u.username = s.username "
                "WHERE s.digest = ? AND s.expires > ?",
                (digest, at),
            ).fetchone()
        return User(*row) if row else None

    def _delete_sessions(self, digest=None, username=None) -> None:
        with self._internal(write=True) as con:
            if digest is not None:
                con.execute("DELETE FROM app_session WHERE digest = ?", (digest,))
            if username is not None:
                con.execute("DELETE FROM app_session WHERE username = ?", (username,))

    # ------------------------------------------------------------------ previews
    def put_preview(self, token, username, payload, ttl_s) -> None:
        from indicators.stores.base import now_s

        at = now_s()
        with self._internal(write=True) as con:
            con.execute("DELETE FROM import_preview WHERE expires < ?", (at,))
            con.execute(
                "INSERT OR REPLACE INTO import_preview (token, username, payload, expires) "
                "VALUES (?, ?, ?, ?)",
                (token, username, json.dumps(payload), at + ttl_s),
            )

    def take_preview(self, token, username):
        from indicators.stores.base import now_s

        with self._internal(write=True) as con:
            row = con.execute(
                "SELECT payload FROM import_preview WHERE token = ? AND username = ? "
                "AND expires > ?",
                (str(token), username, now_s()),
            ).fetchone()
            if row is None:
                return None
            con.execute("DELETE FROM import_preview WHERE token = ?", (str(token),))
        return json.loads(row[0])

    # ------------------------------------------------------------------ secret, refresh
    def secret_key(self) -> str:
        with self._internal() as con:
            row = con.execute("SELECT value FROM app_secret WHERE name = 'cookies'").fetchone()
        if row:
            return row[0]
        with self._internal(write=True) as con:
            con.execute(
                "INSERT OR IGNORE INTO app_secret (name, value) VALUES ('cookies', ?)",
                (secrets.token_urlsafe(48),),
            )
            return con.execute("SELECT value FROM app_secret WHERE name = 'cookies'").fetchone()[0]

    def try_lock(self, name: str):
        safe = "".join(c if c.isalnum() else "-" for c in name)[:40]
        lock = self.internal.with_name(f"{self.internal.name}.{safe}.lock")
        self.internal.parent.mkdir(parents=True, exist_ok=True)
        return self._flock(lock, self.internal if self.internal.exists() else None, False)

    def record_refresh(self, outcome: str, detail: str = "", at: str | None = None) -> None:
        with self._internal(write=True) as con:
            con.execute(
                "INSERT INTO refresh_log (at, outcome, detail) VALUES (?, ?, ?)",
                (at or now(), outcome, detail[:2000]),
            )

    def last_refresh(self) -> dict | None:
        with self._internal() as con:
            row = con.execute(
                "SELECT at, outcome, detail FROM refresh_log ORDER BY id DESC LIMIT 1"
            ).fetchone()
        return {"at": row[0], "outcome": row[1], "detail": row[2]} if row else None


# ---------------------------------------------------------------------- table helpers
def _settle_journal(path: Path, noop: str) -> None:
    """A journal left by a killed writer: reading rolls a hot one back; one that never got
    that far is removed by a no-op write transaction (SQLite deletes the journal on commit)."""
    journal = path.with_name(path.name + "-journal")
    if not journal.exists():
        return
    with contextlib.suppress(sqlite3.Error, OSError):
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # hot: rolled back
            if journal.exists():
                con.execute("BEGIN IMMEDIATE")
                con.execute(noop)
                con.execute("COMMIT")
        finally:
            con.close()


def _bump_version(con: sqlite3.Connection) -> None:
    """Give the public data a new version (every worker and instance reloads on it)."""
    value = json.dumps(secrets.token_hex(8))
    if con.execute("UPDATE store_meta SET value = ? WHERE key = 'data_version'", (value,)).rowcount:
        return
    con.execute("INSERT INTO store_meta (key, value) VALUES ('data_version', ?)", (value,))


def _create_table(con: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    """An attribute table as the GeoPackage standard wants it (INTEGER PRIMARY KEY ``fid``,
    GeoPackage column types), registered in gpkg_contents, filled with ``frame``."""
    types = core.attribute_types(name, frame)
    columns = ", ".join(f'"{col}" {kind}' for col, kind in types.items())
    con.execute(f'DROP TABLE IF EXISTS "{name}"')
    con.execute(f'CREATE TABLE "{name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, {columns})')
    con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
        "VALUES (?, 'attributes', ?, ?)",
        (name, name, f"Wijkveiligheid Hengelo: {name}"),
    )
    _insert(con, name, frame)


def _insert(con: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    cols = list(frame.columns)
    clean = frame.astype(object).where(frame.notna(), None)
    rows = [tuple(_plain(v) for v in row) for row in clean.itertuples(index=False)]
    names = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)
    con.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', rows)


def _plain(value):
    """numpy scalars to Python ones (sqlite3 binds only those)."""
    return value.item() if hasattr(value, "item") else value


def _read_table(con: sqlite3.Connection, name: str) -> pd.DataFrame:
    frame = pd.read_sql(f'SELECT * FROM "{name}"', con)
    return frame.drop(columns=["fid"], errors="ignore")


def _read_state(con: sqlite3.Connection) -> dict[str, pd.DataFrame]:
    state = core.empty_state()
    present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for name in core.STATE_TABLES:
        if name in present:
            state[name] = _read_table(con, name).reindex(columns=core.STATE_COLUMNS[name])
    return state


def _legacy_users(con: sqlite3.Connection) -> list[dict]:
    present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "app_user" not in present:
        return []
    frame = pd.read_sql("SELECT username, password_hash, role, created_at FROM app_user", con)
    return frame.to_dict("records")


def _rederive(con: sqlite3.Connection) -> None:
    """Recompute the public indicator, source and observation tables from the bundled base
    and the staff tables, and replace their rows (same transaction as the change)."""
    base = {
        "observation_source": _read_table(con, "observation_source"),
        "buurt": pd.read_sql("SELECT buurtcode, wijkcode FROM buurt", con),
        "indicator": core.cat.catalogue_frame(core.cat.load_catalogue()).reset_index(drop=True),
        "source": core.cat.sources_frame(core.cat.load_sources()).reset_index(drop=True),
    }
    base["observation_source"]["period"] = base["observation_source"]["period"].astype(str)
    tables = core.effective_tables(base, _read_state(con))
    for name in ("indicator", "source", "observation"):
        con.execute(f'DELETE FROM "{name}"')
        frame = tables[name]
        known = [r[1] for r in con.execute(f'PRAGMA table_info("{name}")') if r[1] != "fid"]
        _insert(con, name, frame.reindex(columns=known))
