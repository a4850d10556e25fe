"""The PostgreSQL + PostGIS store: one database shared by every worker and instance.

Geometry layers are PostGIS tables (``buurt``, ``wijk``, ``gemeente`` in EPSG:28992; the web
layers ``web_buurt``, ``web_wijk`` in EPSG:4326) with a spatial index, so QGIS and other GIS
clients can open them directly; attribute tables mirror the GeoPackage's. Users, sessions,
previews, the login throttle, the app secret and the refresh log are small internal tables.

Every write is one transaction; writes that change the public data take one advisory lock (so
two imports never interleave) and bump the one-row ``store_version`` table in the same
transaction, which is what :meth:`PostgisStore.data_version` reads. Connections come from a
pool that is made lazily in each process (so gunicorn's fork is safe) and checks a connection
before lending it, so the store survives a restart of PostgreSQL; while the database is away
every call raises :class:`StoreUnavailable` with a plain message.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
import time
from collections.abc import Iterator

import geopandas as gpd
import pandas as pd
import shapely

from indicators.store import StoreError
from indicators.stores import build, schema
from indicators.stores.base import Snapshot, Store, StoreUnavailable

GEOMETRY_SRID = {
    "buurt": 28992,
    "wijk": 28992,
    "gemeente": 28992,
    "web_buurt": 4326,
    "web_wijk": 4326,
}
WRITE_LOCK = 716_001  # advisory lock key: one writer of public data at a time
SCHEMA_LOCK = 716_002  # advisory lock key: creating the internal tables
POOL_MAX = int(os.environ.get("WIJKVEILIGHEID_DB_POOL", "8"))
CONNECT_TIMEOUT_S = 3
POOL_TIMEOUT_S = 5
INTERNAL_SCHEMA = """
CREATE TABLE IF NOT EXISTS store_version (
    id integer PRIMARY KEY CHECK (id = 1), version text NOT NULL);
INSERT INTO store_version (id, version) VALUES (1, 'empty') ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS app_user (
    username text PRIMARY KEY, password_hash text NOT NULL, role text NOT NULL,
    created_at text NOT NULL);
CREATE TABLE IF NOT EXISTS app_session (
    digest text PRIMARY KEY, username text NOT NULL, created double precision NOT NULL,
    expires double precision NOT NULL);
CREATE INDEX IF NOT EXISTS app_session_user ON app_session (username);
CREATE TABLE IF NOT EXISTS login_attempt (
    id bigserial PRIMARY KEY, username text NOT NULL, block text NOT NULL,
    at double precision NOT NULL);
CREATE INDEX IF NOT EXISTS login_attempt_key ON login_attempt (username, block);
CREATE TABLE IF NOT EXISTS import_preview (
    token text PRIMARY KEY, username text NOT NULL, payload jsonb NOT NULL,
    expires double precision NOT NULL);
CREATE TABLE IF NOT EXISTS app_secret (
    id integer PRIMARY KEY CHECK (id = 1), key text NOT NULL);
CREATE TABLE IF NOT EXISTS refresh_log (
    id bigserial PRIMARY KEY, at text NOT NULL, outcome text NOT NULL, detail text NOT NULL);
"""


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PostgisStore(Store):
    """The store in a PostgreSQL database with PostGIS (``WIJKVEILIGHEID_DATABASE_URL``)."""

    kind = "postgis"

    def __init__(self, database_url: str):
        self.url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
        self._pool = None
        self._pool_pid = None
        self._schema_ready = False
        self._guard = threading.Lock()

    # ------------------------------------------------------------------ connections
    def describe(self) -> str:
        from psycopg.conninfo import conninfo_to_dict

        try:
            info = conninfo_to_dict(self.url)
        except Exception:  # noqa: BLE001 - a malformed URL is reported when connecting
            return "PostgreSQL"
        host = info.get("host", "localhost")
        return f"PostgreSQL {host}:{info.get('port', 5432)}/{info.get('dbname', '')}"

    def _get_pool(self) -> _Pool:
        with self._guard:
            if self._pool is None or self._pool_pid != os.getpid():
                # a pool inherited through fork belongs to the parent: start a new one
                self._pool = _Pool(self.url, max(POOL_MAX, 1))
                self._pool_pid = os.getpid()
                self._schema_ready = False
            return self._pool

    def close(self) -> None:
        with self._guard:
            if self._pool is not None and self._pool_pid == os.getpid():
                self._pool.close()
            self._pool = None

    def _unavailable(self, exc: Exception) -> StoreUnavailable:
        return StoreUnavailable(
            f"De database ({self.describe()}) is nu niet bereikbaar. Probeer het over een "
            f"minuut opnieuw; er is niets gewijzigd. ({type(exc).__name__})"
        )

    @contextlib.contextmanager
    def _tx(self, lock: int | None = None, snapshot: bool = False) -> Iterator:
        """One transaction on a pooled connection; database trouble becomes StoreUnavailable,
        a missing table a StoreError that says to build."""
        import psycopg
        from psycopg import IsolationLevel

        try:
            with self._get_pool().connection() as con:
                if not self._schema_ready:
                    self._create_internal(con)
                con.read_only = snapshot
                con.isolation_level = IsolationLevel.REPEATABLE_READ if snapshot else None
                with con.transaction():
                    if lock is not None:
                        con.execute("SELECT pg_advisory_xact_lock(%s)", (lock,))
                    yield con
        except (psycopg.OperationalError, psycopg.InterfaceError, PoolBusy) as exc:
            raise self._unavailable(exc) from exc
        except psycopg.errors.ReadOnlySqlTransaction as exc:
            raise StoreUnavailable(
                f"De database ({self.describe()}) is alleen-lezen; er is niets gewijzigd."
            ) from exc
        except psycopg.errors.UndefinedTable as exc:
            raise StoreError(
                f"De datastore in {self.describe()} is nog niet gebouwd of onvolledig "
                f"({exc.diag.message_primary}). Maak hem met: wijkveiligheid build"
            ) from exc

    def _create_internal(self, con) -> None:
        import psycopg

        try:
            with con.transaction():
                con.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                if con.execute("SELECT to_regtype('geometry')").fetchone()[0] is None:
                    con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                con.execute(INTERNAL_SCHEMA)
                for name in schema.STATE_TABLES:
                    columns = ", ".join(
                        f"{_ident(col)} {schema.pg_type(kind)}"
                        for col, kind in schema.column_types(name).items()
                    )
                    con.execute(
                        f"CREATE TABLE IF NOT EXISTS {_ident(name)} "
                        f"(fid bigserial PRIMARY KEY, {columns})"
                    )
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreError(
                f"De database {self.describe()} heeft de extensie PostGIS niet en deze gebruiker "
                f"mag hem niet aanmaken. Laat een beheerder uitvoeren: CREATE EXTENSION postgis;"
            ) from exc
        self._schema_ready = True

    # ------------------------------------------------------------------ lifecycle
    def exists(self) -> bool:
        """One statement (every worker asks it with each version check): a missing
        ``store_meta`` table says "not built" as an empty one does."""
        import psycopg

        try:
            with self._tx() as con:
                return con.execute("SELECT EXISTS (SELECT 1 FROM store_meta)").fetchone()[0]
        except StoreError as exc:
            if isinstance(exc.__cause__, psycopg.errors.UndefinedTable):
                return False
            raise

    def build(self) -> dict:
        frames = build.build_frames()  # reading and validating the sources: outside the lock
        with self._writing() as con:
            tables = dict(frames) | build.effective_tables(frames, self._read_state(con))
            for layer in schema.GEOMETRY_LAYERS:
                self._replace_layer(con, layer, tables[layer])
            for name in schema.PUBLIC_TABLES:
                self._replace_table(con, name, tables[name])
        return self.meta()

    def ping(self) -> None:
        with self._tx() as con:
            con.execute("SELECT 1")

    # ------------------------------------------------------------------ public data
    def data_version(self) -> str:
        with self._tx() as con:
            row = con.execute("SELECT version FROM store_version WHERE id = 1").fetchone()
        return row[0] if row else "empty"

    # ------------------------------------------------------------------ app secret
    def secret_key(self) -> str:
        with self._tx() as con:
            con.execute(
                "INSERT INTO app_secret (id, key) VALUES (1, %s) ON CONFLICT (id) DO NOTHING",
                (secrets.token_hex(32),),
            )
            return con.execute("SELECT key FROM app_secret WHERE id = 1").fetchone()[0]

    # ------------------------------------------------------------------ refresh bookkeeping
    @contextlib.contextmanager
    def try_lock(self, name: str) -> Iterator[bool]:
        """A session-level advisory lock on its own connection, held for the block."""
        import psycopg

        try:
            con = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.OperationalError as exc:
            raise self._unavailable(exc) from exc
        try:
            got = con.execute(
                "SELECT pg_try_advisory_lock(hashtextextended(%s, 717))", (name,)
            ).fetchone()[0]
            yield bool(got)
        finally:
            con.close()  # ending the session releases the lock

    # ------------------------------------------------------------------ moving a store in
    def load_snapshot(self, snapshot: Snapshot) -> None:
        """Replace everything with a copy of another store (``wijkveiligheid migrate``), in one
        transaction: geometry layers, public tables, kept tables, users (with their hashes)
        and refresh records. Sessions, previews and throttle counts are not copied."""
        with self._writing() as con:
            for layer in schema.GEOMETRY_LAYERS:
                self._replace_layer(con, layer, snapshot.layers[layer])
            for name in schema.PUBLIC_TABLES:
                self._replace_table(con, name, snapshot.tables[name])
            for name in schema.STATE_TABLES:
                self._replace(con, name, snapshot.state.get(name, schema.empty(name)))
            con.execute("DELETE FROM app_session")
            con.execute("DELETE FROM app_user")
            users = pd.DataFrame(
                snapshot.users, columns=["username", "password_hash", "role", "created_at"]
            )
            self._copy_rows(con, "app_user", users.astype(str))
            refreshes = pd.DataFrame(snapshot.refreshes, columns=["at", "outcome", "detail"])
            self._copy_rows(con, "refresh_log", refreshes.fillna(""))

    # ------------------------------------------------------------------ primitives
    @contextlib.contextmanager
    def _reading(self) -> Iterator:
        with self._tx(snapshot=True) as con:
            yield con

    @contextlib.contextmanager
    def _writing(self) -> Iterator:
        with self._tx(lock=WRITE_LOCK) as con:
            yield con
            con.execute(
                "UPDATE store_version SET version = %s WHERE id = 1", (secrets.token_hex(8),)
            )

    def _internal(self, write: bool = False):
        return self._tx()

    def _serialise(self, con, key: str) -> None:
        con.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 716))", (key,))

    def _tables(self, con) -> set[str]:
        rows = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        return {row[0] for row in rows}

    def _table(self, con, name: str) -> pd.DataFrame:
        cur = con.execute(f"SELECT * FROM {_ident(name)} ORDER BY fid")
        return _frame(cur).drop(columns="fid")

    def _query(self, con, sql: str, params: tuple = ()) -> list[tuple]:
        return con.execute(sql.replace("?", "%s"), params).fetchall()

    def _execute(self, con, sql: str, params: tuple = ()) -> int:
        return con.execute(sql.replace("?", "%s"), params).rowcount

    def _insert(self, con, name: str, frame: pd.DataFrame) -> None:
        self._copy_rows(con, name, schema.conform(name, frame))

    def _replace(self, con, name: str, frame: pd.DataFrame) -> None:
        """DELETE + COPY, not DROP: a reader's older snapshot would see a dropped and made
        again table as empty. The table keeps its declared column types."""
        con.execute(f"DELETE FROM {_ident(name)}")
        self._insert(con, name, frame)

    def _json_value(self, payload: dict):
        from psycopg.types.json import Jsonb

        return Jsonb(payload)

    def _replace_table(self, con, name: str, frame: pd.DataFrame) -> None:
        types = schema.column_types(name, frame)
        columns = ", ".join(f"{_ident(c)} {schema.pg_type(t)}" for c, t in types.items())
        con.execute(f"DROP TABLE IF EXISTS {_ident(name)}")
        con.execute(f"CREATE TABLE {_ident(name)} (fid bigserial PRIMARY KEY, {columns})")
        self._copy_rows(con, name, schema.conform(name, frame))

    def _copy_rows(self, con, name: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        columns = ", ".join(map(_ident, frame.columns))
        values = [frame[c].tolist() for c in frame.columns]
        with con.cursor() as cur:
            with cur.copy(f"COPY {_ident(name)} ({columns}) FROM STDIN") as copy:
                for row in zip(*values, strict=True):
                    copy.write_row([schema.plain(v) for v in row])

    def _replace_layer(self, con, layer: str, gdf: gpd.GeoDataFrame) -> None:
        srid = GEOMETRY_SRID[layer]
        if gdf.crs is not None and gdf.crs.to_epsg() != srid:
            gdf = gdf.to_crs(srid)
        attrs = gdf.drop(columns=gdf.geometry.name)
        types = schema.column_types(layer, pd.DataFrame(attrs))
        columns = ", ".join(f"{_ident(c)} {schema.pg_type(t)}" for c, t in types.items())
        geoms, kind = _one_geometry_type(gdf.geometry.values)
        con.execute(f"DROP TABLE IF EXISTS {_ident(layer)}")
        con.execute(
            f"CREATE TABLE {_ident(layer)} (fid bigserial PRIMARY KEY, {columns}, "
            f"geom geometry({kind}, {srid}) NOT NULL)"
        )
        frame = pd.DataFrame(attrs)
        frame["geom"] = shapely.to_wkb(shapely.set_srid(geoms, srid), hex=True, include_srid=True)
        self._copy_rows(con, layer, frame)
        con.execute(f"CREATE INDEX ON {_ident(layer)} USING gist (geom)")

    def _geometry_version(self, con) -> str:
        """The identity of the layer tables read_data reads: every write of a layer (build,
        migrate) drops and creates its table, which gives it a new oid, and its catalogue row
        a new xmin (ALTER TABLE too). One catalogue query, no table scan."""
        layers = ", ".join(f"to_regclass('{_ident(n)}')" for n in schema.READ_LAYERS)
        row = con.execute(
            "SELECT string_agg(relname || ':' || oid || ':' || xmin, ',' ORDER BY relname) "
            f"FROM pg_class WHERE oid IN ({layers})"
        ).fetchone()
        return f"pg:{row[0]}" if row and row[0] else ""

    def _layer(self, con, layer: str) -> gpd.GeoDataFrame:
        names = [d.name for d in con.execute(f"SELECT * FROM {_ident(layer)} LIMIT 0").description]
        attrs = [n for n in names if n not in ("fid", "geom")]
        cur = con.execute(
            f"SELECT {''.join(_ident(n) + ', ' for n in attrs)}ST_AsBinary(geom) AS geom_wkb "
            f"FROM {_ident(layer)} ORDER BY fid"
        )
        frame = _frame(cur)
        geometry = shapely.from_wkb(frame.pop("geom_wkb").map(bytes).tolist())
        return gpd.GeoDataFrame(frame, geometry=geometry, crs=f"EPSG:{GEOMETRY_SRID[layer]}")


class PoolBusy(RuntimeError):
    """Every connection of this process is in use for longer than POOL_TIMEOUT_S."""


class _Pool:
    """A small connection pool for one process: at most ``size`` connections (autocommit, each
    use in an explicit transaction). A connection that sat idle is checked before it is lent,
    a broken one is dropped, and a new one is made on demand, so when the database is down a
    call fails at once (connection refused) and the first call after it is back works."""

    CHECK_AFTER_IDLE_S = 2.0

    def __init__(self, url: str, size: int):
        self.url = url
        self.slots = threading.BoundedSemaphore(size)
        self.idle: list[tuple[object, float]] = []
        self.lock = threading.Lock()

    @contextlib.contextmanager
    def connection(self) -> Iterator:
        if not self.slots.acquire(timeout=POOL_TIMEOUT_S):
            raise PoolBusy("alle databaseverbindingen zijn bezet")
        try:
            con = self._take()
            try:
                yield con
            except BaseException:
                if con.broken or con.closed or con.info.transaction_status != 0:
                    con.close()  # 0: idle; anything else is not safe to lend again
                    raise
                self._give(con)
                raise
            self._give(con)
        finally:
            self.slots.release()

    def _take(self):
        import psycopg

        while True:
            with self.lock:
                con, since = self.idle.pop() if self.idle else (None, 0.0)
            if con is None:
                return psycopg.connect(
                    self.url,
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT_S,
                    application_name="wijkveiligheid",
                )
            if con.closed or con.broken:
                continue
            if time.monotonic() - since > self.CHECK_AFTER_IDLE_S:
                try:
                    con.execute("SELECT 1")
                except psycopg.Error:
                    con.close()
                    continue
            return con

    def _give(self, con) -> None:
        if con.closed or con.broken:
            return
        with self.lock:
            self.idle.append((con, time.monotonic()))

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for con, _ in idle:
            con.close()


def _one_geometry_type(geoms) -> tuple:
    """One geometry type per layer, as GIS clients expect (and as the GeoPackage writer does):
    polygons become multipolygons when the layer mixes both."""
    kinds = set(shapely.get_type_id(geoms).tolist())
    polygon, multi = 3, 6
    if kinds == {polygon, multi}:
        geoms = [
            shapely.MultiPolygon([g]) if shapely.get_type_id(g) == polygon else g for g in geoms
        ]
        kinds = {multi}
    names = {polygon: "Polygon", multi: "MultiPolygon"}
    kind = names.get(next(iter(kinds)), "Geometry") if len(kinds) == 1 else "Geometry"
    return shapely.from_wkb(shapely.to_wkb(geoms)) if isinstance(geoms, list) else geoms, kind


def _frame(cur) -> pd.DataFrame:
    """A query result as a frame with the dtypes SQLite gives (booleans as 0/1, so both
    backends hand the pages identical frames)."""
    columns = [d.name for d in cur.description]
    rows = cur.fetchall()
    bool_cols = [i for i, d in enumerate(cur.description) if d.type_code == 16]  # boolean oid
    if bool_cols:
        rows = [
            tuple(int(v) if i in bool_cols and v is not None else v for i, v in enumerate(row))
            for row in rows
        ]
    return pd.DataFrame.from_records(rows, columns=columns)
