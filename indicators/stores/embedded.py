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
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata import io as geo_io
from indicators.store import StoreError
from indicators.stores import build, schema
from indicators.stores.base import Store, StoreUnavailable

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
            raise StoreError(
                f"De datastore {what} mist een tabel ({exc}). Bouw hem opnieuw met: "
                "wijkveiligheid build"
            ) from exc
        raise unavailable(exc, what) from exc


@contextlib.contextmanager
def _immediate(con: sqlite3.Connection, write: bool, before_commit=None) -> Iterator[None]:
    """Use ``con`` in one IMMEDIATE transaction when ``write`` (``before_commit(con)`` runs
    last inside it), rolled back on any error; the connection is closed afterwards."""
    try:
        if write:
            con.execute("BEGIN IMMEDIATE")
        yield
        if write:
            if before_commit is not None:
                before_commit(con)
            con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


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
        except sqlite3.OperationalError as exc:
            raise unavailable(exc, path) from exc
        return con

    def _require_built(self) -> None:
        """Housekeeping once per process, then a clear StoreError when there is no store."""
        self._housekeeping()
        if not self.path.exists():
            raise StoreError(
                f"De datastore {self.path} bestaat niet. Maak hem met: wijkveiligheid build"
            )

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read connection to the GeoPackage (clear StoreError when missing or broken)."""
        self._require_built()
        con = self._connect(self.path, write=False)
        try:
            try:
                con.execute("SELECT count(*) FROM gpkg_contents").fetchone()
            except sqlite3.DatabaseError as exc:
                if _is_outage(exc):
                    raise unavailable(exc, self.path) from exc
                raise StoreError(
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
        self._require_built()
        with self._write_lock(), _translated(self.path):
            con = self._connect(self.path, write=True)
            with _immediate(con, write=True, before_commit=_bump_version):
                yield con

    @contextlib.contextmanager
    def _internal(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection to the internal database; ``write`` runs one IMMEDIATE transaction."""
        self._housekeeping()
        with _translated(self.internal):
            if not self.internal.exists():
                self._create_internal()
            con = self._connect(self.internal, write=write)
            with _immediate(con, write):
                yield con

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

    def data_version(self) -> str:
        with self._read() as con:
            row = con.execute("SELECT value FROM store_meta WHERE key = 'data_version'").fetchone()
        return json.loads(row[0]) if row else "0"

    def build(self) -> dict:
        frames = build.build_frames()  # slow part, before taking any lock
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
            return schema.empty_state(), []
        try:
            con = self._connect(self.path, write=False)
            try:
                return _read_state(con), _legacy_users(con)
            finally:
                con.close()
        except (sqlite3.DatabaseError, pd.errors.DatabaseError, StoreUnavailable):
            return schema.empty_state(), []  # an unreadable store has no state to keep

    def _write_new_file(self, frames: dict, state: dict) -> Path:
        fd, name = tempfile.mkstemp(prefix=BUILD_PREFIX, suffix=".gpkg", dir=self.path.parent)
        os.close(fd)
        tmp = Path(name)
        tmp.unlink()
        try:
            for layer in schema.GEOMETRY_LAYERS:
                geo_io.write_layer(frames[layer], tmp, layer)
            tables = dict(frames) | build.effective_tables(frames, state)
            con = sqlite3.connect(tmp, isolation_level=None)
            try:
                con.execute("BEGIN")
                for table in schema.PUBLIC_TABLES:
                    _create_table(con, table, tables[table])
                for table in schema.STATE_TABLES:
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

    # ------------------------------------------------------------------ primitives
    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read connection inside one transaction: every table read through it comes from
        the same snapshot, even while an import commits (the retry in read_data then only has
        to cover the geometry layers, which GDAL reads on its own connection)."""
        with self._read() as con:
            con.execute("BEGIN")
            try:
                yield con
            finally:
                con.execute("COMMIT")

    def _writing(self):
        return self._transaction()

    def _tables(self, con) -> set[str]:
        return {row[0] for row in con.execute("SELECT table_name FROM gpkg_contents")}

    def _table(self, con, name: str) -> pd.DataFrame:
        return _read_table(con, name)

    def _layer(self, con, name: str) -> gpd.GeoDataFrame:
        return geo_io.read_layer(self.path, name)

    def _geometry_version(self, con) -> str:
        """When each layer read_data reads was last written, as the GeoPackage records it
        (``gpkg_contents.last_change``, in milliseconds: GDAL sets it on every write of a
        layer; a build writes every layer anew) and the store's build time."""
        marks = ", ".join("?" for _ in schema.READ_LAYERS)
        rows = con.execute(
            "SELECT table_name || '=' || last_change FROM gpkg_contents "
            f"WHERE table_name IN ({marks}) ORDER BY table_name",
            schema.READ_LAYERS,
        ).fetchall()
        built = con.execute("SELECT value FROM store_meta WHERE key = 'built_at'").fetchone()
        if len(rows) != len(schema.READ_LAYERS) or None in (r[0] for r in rows):
            return ""
        return "gpkg:" + ",".join(r[0] for r in rows) + f";{built[0] if built else ''}"

    def _query(self, con, sql: str, params: tuple = ()) -> list[tuple]:
        return con.execute(sql, params).fetchall()

    def _execute(self, con, sql: str, params: tuple = ()) -> int:
        return con.execute(sql, params).rowcount

    def _insert(self, con, name: str, frame: pd.DataFrame) -> None:
        _insert(con, name, schema.conform(name, frame))

    def _replace(self, con, name: str, frame: pd.DataFrame) -> None:
        _create_table(con, name, frame)


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
    the schema's column types), registered in gpkg_contents, filled with ``frame``."""
    types = schema.column_types(name, frame)
    columns = ", ".join(f'"{col}" {kind}' for col, kind in types.items())
    con.execute(f'DROP TABLE IF EXISTS "{name}"')
    con.execute(f'CREATE TABLE "{name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, {columns})')
    con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
        "VALUES (?, 'attributes', ?, ?)",
        (name, name, f"Wijkveiligheid Hengelo: {name}"),
    )
    _insert(con, name, schema.conform(name, frame))


def _insert(con: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    """Append the rows of a conformed frame (plain Python values)."""
    if frame.empty:
        return
    names = ", ".join(f'"{c}"' for c in frame.columns)
    marks = ", ".join("?" for _ in frame.columns)
    rows = list(frame.itertuples(index=False, name=None))
    con.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', rows)


def _read_table(con: sqlite3.Connection, name: str) -> pd.DataFrame:
    frame = pd.read_sql(f'SELECT * FROM "{name}"', con)
    return frame.drop(columns=["fid"], errors="ignore")


def _read_state(con: sqlite3.Connection) -> dict[str, pd.DataFrame]:
    """The kept tables of a GeoPackage that may be older than the schema (missing ones empty)."""
    state = schema.empty_state()
    present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for name in schema.STATE_TABLES:
        if name in present:
            state[name] = _read_table(con, name).reindex(columns=schema.names(name))
    return state


def _legacy_users(con: sqlite3.Connection) -> list[dict]:
    present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "app_user" not in present:
        return []
    frame = pd.read_sql("SELECT username, password_hash, role, created_at FROM app_user", con)
    return frame.to_dict("records")
