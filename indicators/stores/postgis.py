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
import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator

import geopandas as gpd
import pandas as pd
import shapely

from indicators import catalogue as cat
from indicators import store as common
from indicators.stores.base import ImportRecord, StaffError, Store, StoreUnavailable, User, now

GEOMETRY_SRID = {
    "buurt": 28992,
    "wijk": 28992,
    "gemeente": 28992,
    "web_buurt": 4326,
    "web_wijk": 4326,
}
PUBLIC_TABLES = common.ATTRIBUTE_TABLES + ("observation",)
EFFECTIVE_TABLES = ("indicator", "source", "observation")
PG_TYPES = {
    "INTEGER": "bigint",
    "REAL": "double precision",
    "BOOLEAN": "boolean",
    "TEXT": "text",
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


def _python(value):
    """A value psycopg can send: numpy scalars as Python ones, missing as NULL."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


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
            raise common.StoreError(
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
                for name in common.STATE_TABLES:
                    columns = ", ".join(
                        f"{_ident(col)} {PG_TYPES[kind]}"
                        for col, kind in common.attribute_types(name).items()
                    )
                    con.execute(
                        f"CREATE TABLE IF NOT EXISTS {_ident(name)} "
                        f"(fid bigserial PRIMARY KEY, {columns})"
                    )
        except psycopg.errors.InsufficientPrivilege as exc:
            raise common.StoreError(
                f"De database {self.describe()} heeft de extensie PostGIS niet en deze gebruiker "
                f"mag hem niet aanmaken. Laat een beheerder uitvoeren: CREATE EXTENSION postgis;"
            ) from exc
        self._schema_ready = True

    # ------------------------------------------------------------------ lifecycle
    def exists(self) -> bool:
        with self._tx() as con:
            if con.execute("SELECT to_regclass('store_meta')").fetchone()[0] is None:
                return False
            return con.execute("SELECT count(*) FROM store_meta").fetchone()[0] > 0

    def build(self) -> dict:
        frames = common.build_frames()  # reading and validating the sources: outside the lock
        with self._tx(lock=WRITE_LOCK) as con:
            state = self._read_state(con)
            tables = dict(frames) | common.effective_tables(frames, state)
            for layer in common.GEOMETRY_LAYERS:
                self._replace_layer(con, layer, tables[layer])
            for name in PUBLIC_TABLES:
                self._replace_table(con, name, tables[name])
            self._bump(con)
        return self.meta()

    def meta(self) -> dict:
        with self._tx() as con:
            rows = con.execute("SELECT key, value FROM store_meta").fetchall()
        return {key: json.loads(value) for key, value in rows}

    def problems(self, deep: bool = True) -> list[str]:
        try:
            with self._tx() as con:
                present = {
                    row[0]
                    for row in con.execute(
                        "SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = current_schema()"
                    )
                }
        except StoreUnavailable as exc:
            return [str(exc)]
        missing = [t for t in common.GEOMETRY_LAYERS + PUBLIC_TABLES if t not in present]
        if missing:
            return [f"Ontbrekende lagen of tabellen: {', '.join(missing)}."]
        problems = []
        if self.meta().get("source_fingerprint") != common.source_fingerprint():
            problems.append(
                "De datastore is gebouwd uit andere bronbestanden dan die nu in de "
                "repository staan (verouderd)."
            )
        if deep:
            with self._tx(snapshot=True) as con:
                buurten = self._read_layer(con, "buurt")
                wijken = self._read_layer(con, "wijk")
            problems += _boundary_problems(buurten, wijken)
        return problems

    def ping(self) -> None:
        with self._tx() as con:
            con.execute("SELECT 1")

    # ------------------------------------------------------------------ public data
    def data_version(self) -> str:
        with self._tx() as con:
            row = con.execute("SELECT version FROM store_version WHERE id = 1").fetchone()
        return row[0] if row else "empty"

    def read_data(self) -> common.StoreData:
        problems = self.problems(deep=False)
        if problems:
            raise common.StoreError(
                "De datastore is niet bruikbaar:\n- "
                + "\n- ".join(problems)
                + "\nBouw hem opnieuw met: wijkveiligheid build"
            )
        for _ in range(3):  # a build that commits while reading: read again
            before = self.data_version()
            data = self._read_data_once()
            if self.data_version() == before:
                break
        return data

    def _read_data_once(self) -> common.StoreData:
        with self._tx(snapshot=True) as con:
            tables = {name: self._read_table(con, name) for name in PUBLIC_TABLES}
            layers = {
                layer: self._read_layer(con, layer)
                for layer in ("buurt", "wijk", "web_buurt", "web_wijk")
            }
        return common.store_data(tables, layers)

    def current_values(self) -> pd.DataFrame:
        with self._tx() as con:
            cur = con.execute(
                "SELECT area_code, indicator_id, period, value, status FROM observation "
                "WHERE status IS DISTINCT FROM 'derived'"
            )
            frame = _frame(cur)
        frame["period"] = frame["period"].astype(str)
        return frame

    def state_tables(self) -> dict[str, pd.DataFrame]:
        with self._tx(snapshot=True) as con:
            return self._read_state(con)

    # ------------------------------------------------------------------ imports
    def _write_import(self, make: Callable[[int], ImportRecord]) -> int:
        with self._tx(lock=WRITE_LOCK) as con:
            number = con.execute("SELECT coalesce(max(id), 0) + 1 FROM import_log").fetchone()[0]
            record = make(int(number))
            self._insert_rows(con, "import_log", [record.log])
            self._insert_rows(con, "import_source", [record.source])
            rows = record.observations.reindex(columns=common.STATE_COLUMNS["import_observation"])
            self._copy_rows(con, "import_observation", rows)
            self._recompute(con)
            self._bump(con)
        return record.number

    def undo_import(self, number: int, user: str) -> None:
        with self._tx(lock=WRITE_LOCK) as con:
            row = con.execute(
                "SELECT undone_at FROM import_log WHERE id = %s", (int(number),)
            ).fetchone()
            if row is None:
                raise StaffError(f"Import #{number} bestaat niet.")
            if row[0]:
                raise StaffError(f"Import #{number} is al ongedaan gemaakt.")
            con.execute(
                "UPDATE import_log SET undone_at = %s, undone_by = %s WHERE id = %s",
                (now(), user, int(number)),
            )
            self._recompute(con)
            self._bump(con)

    def import_log(self) -> pd.DataFrame:
        columns = common.STATE_COLUMNS["import_log"]
        with self._tx() as con:
            cur = con.execute(
                f"SELECT {', '.join(map(_ident, columns))} FROM import_log ORDER BY id DESC"
            )
            frame = _frame(cur)
        return frame.reindex(columns=columns)

    def _add_indicator(self, row: dict) -> None:
        with self._tx(lock=WRITE_LOCK) as con:
            known = con.execute("SELECT 1 FROM indicator WHERE id = %s", (row["id"],)).fetchone()
            if known:
                raise StaffError(f"Indicator '{row['id']}' bestaat al.")
            source = con.execute(
                "SELECT 1 FROM source WHERE id = %s", (row.get("source"),)
            ).fetchone()
            if not source:
                raise StaffError(f"Onbekende bron '{row.get('source')}'.")
            self._insert_rows(con, "custom_indicator", [row])
            self._recompute(con)
            self._bump(con)

    # ------------------------------------------------------------------ users
    def users(self) -> list[User]:
        with self._tx() as con:
            rows = con.execute(
                "SELECT username, role, created_at FROM app_user ORDER BY username"
            ).fetchall()
        return [User(*row) for row in rows]

    def _upsert_user(self, username: str, password_hash: str, role: str, created_at: str) -> None:
        with self._tx() as con:
            con.execute(
                "INSERT INTO app_user (username, password_hash, role, created_at) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (username) DO UPDATE SET "
                "password_hash = excluded.password_hash, role = excluded.role",
                (username, password_hash, role, created_at),
            )

    def _set_password_hash(self, username: str, password_hash: str) -> bool:
        with self._tx() as con:
            cur = con.execute(
                "UPDATE app_user SET password_hash = %s WHERE username = %s",
                (password_hash, username),
            )
            return cur.rowcount > 0

    def _delete_user(self, username: str) -> bool:
        with self._tx() as con:
            return con.execute("DELETE FROM app_user WHERE username = %s", (username,)).rowcount > 0

    def _password_hash(self, username: str) -> tuple[User, str] | None:
        with self._tx() as con:
            row = con.execute(
                "SELECT username, role, created_at, password_hash FROM app_user "
                "WHERE username = %s",
                (username,),
            ).fetchone()
        return (User(*row[:3]), row[3]) if row else None

    # ------------------------------------------------------------------ login throttle
    def _begin_attempt(
        self, username: str, block: str, at: float, window_s: float, limit: int
    ) -> int | None:
        with self._tx() as con:
            con.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 716))", (f"{username}|{block}",)
            )
            con.execute("DELETE FROM login_attempt WHERE at < %s", (at - window_s,))
            count = con.execute(
                "SELECT count(*) FROM login_attempt WHERE username = %s AND block = %s",
                (username, block),
            ).fetchone()[0]
            if count >= limit:
                return None
            return con.execute(
                "INSERT INTO login_attempt (username, block, at) VALUES (%s, %s, %s) RETURNING id",
                (username, block, at),
            ).fetchone()[0]

    def _end_attempt(self, attempt: int, username: str, block: str, ok: bool) -> None:
        if not ok:
            return
        with self._tx() as con:
            con.execute(
                "DELETE FROM login_attempt WHERE username = %s AND block = %s", (username, block)
            )

    # ------------------------------------------------------------------ sessions
    def _insert_session(self, digest: str, username: str, created: float, expires: float) -> None:
        with self._tx() as con:
            con.execute("DELETE FROM app_session WHERE expires <= %s", (created,))
            con.execute(
                "INSERT INTO app_session (digest, username, created, expires) "
                "VALUES (%s, %s, %s, %s)",
                (digest, username, created, expires),
            )

    def _session_user(self, digest: str, at: float) -> User | None:
        with self._tx() as con:
            row = con.execute(
                "SELECT u.username, u.role, u.created_at FROM app_session s "
                "JOIN app_user u ON u.username = s.username "
                "WHERE s.digest = %s AND s.expires > %s",
                (digest, at),
            ).fetchone()
        return User(*row) if row else None

    def _delete_sessions(self, digest: str | None = None, username: str | None = None) -> None:
        with self._tx() as con:
            if digest is not None:
                con.execute("DELETE FROM app_session WHERE digest = %s", (digest,))
            if username is not None:
                con.execute("DELETE FROM app_session WHERE username = %s", (username,))

    # ------------------------------------------------------------------ previews
    def put_preview(self, token: str, username: str, payload: dict, ttl_s: float) -> None:
        from psycopg.types.json import Jsonb

        from indicators.stores.base import now_s

        at = now_s()
        with self._tx() as con:
            con.execute("DELETE FROM import_preview WHERE expires <= %s", (at,))
            con.execute(
                "INSERT INTO import_preview (token, username, payload, expires) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (token) DO UPDATE SET "
                "username = excluded.username, payload = excluded.payload, "
                "expires = excluded.expires",
                (token, username, Jsonb(payload), at + ttl_s),
            )

    def take_preview(self, token: str, username: str) -> dict | None:
        from indicators.stores.base import now_s

        with self._tx() as con:
            row = con.execute(
                "DELETE FROM import_preview WHERE token = %s AND username = %s AND expires > %s "
                "RETURNING payload",
                (token, username, now_s()),
            ).fetchone()
        return row[0] if row else None

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

    def record_refresh(self, outcome: str, detail: str = "", at: str | None = None) -> None:
        with self._tx() as con:
            con.execute(
                "INSERT INTO refresh_log (at, outcome, detail) VALUES (%s, %s, %s)",
                (at or now(), outcome, detail),
            )

    def last_refresh(self) -> dict | None:
        with self._tx() as con:
            row = con.execute(
                "SELECT at, outcome, detail FROM refresh_log ORDER BY id DESC LIMIT 1"
            ).fetchone()
        return dict(zip(("at", "outcome", "detail"), row, strict=True)) if row else None

    # ------------------------------------------------------------------ moving a store in
    def load_snapshot(
        self,
        layers: dict[str, gpd.GeoDataFrame],
        tables: dict[str, pd.DataFrame],
        state: dict[str, pd.DataFrame],
        users: pd.DataFrame,
        refreshes: list[dict] | None = None,
    ) -> None:
        """Replace everything with a copy of another store (``wijkveiligheid migrate``), in one
        transaction: geometry layers, public tables, staff tables, users (with their hashes)
        and refresh records. Sessions, previews and throttle counts are not copied."""
        with self._tx(lock=WRITE_LOCK) as con:
            for layer in common.GEOMETRY_LAYERS:
                self._replace_layer(con, layer, layers[layer])
            for name in PUBLIC_TABLES:
                self._replace_table(con, name, tables[name])
            for name in common.STATE_TABLES:
                con.execute(f"DELETE FROM {_ident(name)}")
                frame = state.get(name, pd.DataFrame(columns=common.STATE_COLUMNS[name]))
                self._copy_rows(con, name, frame.reindex(columns=common.STATE_COLUMNS[name]))
            con.execute("DELETE FROM app_session")
            con.execute("DELETE FROM app_user")
            for row in users.itertuples(index=False):
                con.execute(
                    "INSERT INTO app_user (username, password_hash, role, created_at) "
                    "VALUES (%s, %s, %s, %s)",
                    (row.username, row.password_hash, row.role, str(row.created_at)),
                )
            for item in refreshes or []:
                con.execute(
                    "INSERT INTO refresh_log (at, outcome, detail) VALUES (%s, %s, %s)",
                    (item["at"], item["outcome"], item.get("detail") or ""),
                )
            self._bump(con)

    def has_staff_data(self) -> bool:
        """True when the database already holds users or imports (migrate will not overwrite)."""
        with self._tx() as con:
            users = con.execute("SELECT count(*) FROM app_user").fetchone()[0]
            imports = con.execute("SELECT count(*) FROM import_log").fetchone()[0]
        return bool(users or imports)

    # ------------------------------------------------------------------ table helpers
    def _bump(self, con) -> None:
        con.execute("UPDATE store_version SET version = %s WHERE id = 1", (secrets.token_hex(8),))

    def _read_state(self, con) -> dict[str, pd.DataFrame]:
        state = {}
        for name, columns in common.STATE_COLUMNS.items():
            cur = con.execute(
                f"SELECT {', '.join(map(_ident, columns))} FROM {_ident(name)} ORDER BY fid"
            )
            state[name] = _frame(cur).reindex(columns=columns)
        return state

    def _recompute(self, con) -> None:
        """Recompute the derived public tables from the bundled base and the staff tables."""
        frames = {
            "indicator": cat.catalogue_frame(cat.load_catalogue()).reset_index(drop=True),
            "source": cat.sources_frame(cat.load_sources()).reset_index(drop=True),
            "observation_source": self._read_table(con, "observation_source"),
            "buurt": _frame(con.execute("SELECT buurtcode, wijkcode FROM buurt ORDER BY fid")),
        }
        frames["observation_source"]["period"] = frames["observation_source"]["period"].astype(str)
        derived = common.effective_tables(frames, self._read_state(con))
        for name in EFFECTIVE_TABLES:
            self._refill_table(con, name, derived[name])

    def _refill_table(self, con, name: str, frame: pd.DataFrame) -> None:
        """Replace the rows of a table (DELETE + COPY: safe for readers in other transactions,
        unlike DROP, which a reader's older snapshot would see as an empty new table). The
        table keeps its column types, as the GeoPackage's does; a new table only when the
        columns changed or a value does not fit."""
        present = con.execute(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
            "WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped "
            "AND a.attname <> 'fid' ORDER BY a.attnum",
            (_ident(name),),
        ).fetchall()
        if [c for c, _ in present] != list(frame.columns):
            self._replace_table(con, name, frame)
            return
        try:
            fitted = pd.DataFrame(
                {c: [_fit(v, kind) for v in frame[c].tolist()] for c, kind in present},
                columns=list(frame.columns),
            )
        except ValueError:
            self._replace_table(con, name, frame)
            return
        con.execute(f"DELETE FROM {_ident(name)}")
        self._copy_rows(con, name, fitted)

    def _replace_table(self, con, name: str, frame: pd.DataFrame) -> None:
        types = _column_types(name, frame)
        columns = ", ".join(f"{_ident(c)} {PG_TYPES[t]}" for c, t in types.items())
        con.execute(f"DROP TABLE IF EXISTS {_ident(name)}")
        con.execute(f"CREATE TABLE {_ident(name)} (fid bigserial PRIMARY KEY, {columns})")
        self._copy_rows(con, name, frame[list(types)])

    def _copy_rows(self, con, name: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        columns = ", ".join(map(_ident, frame.columns))
        values = [frame[c].tolist() for c in frame.columns]
        with con.cursor() as cur:
            with cur.copy(f"COPY {_ident(name)} ({columns}) FROM STDIN") as copy:
                for row in zip(*values, strict=True):
                    copy.write_row([_python(v) for v in row])

    def _insert_rows(self, con, name: str, rows: list[dict]) -> None:
        columns = common.STATE_COLUMNS[name]
        sql = (
            f"INSERT INTO {_ident(name)} ({', '.join(map(_ident, columns))}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        for row in rows:
            con.execute(sql, [_python(row.get(c)) for c in columns])

    def _replace_layer(self, con, layer: str, gdf: gpd.GeoDataFrame) -> None:
        srid = GEOMETRY_SRID[layer]
        if gdf.crs is not None and gdf.crs.to_epsg() != srid:
            gdf = gdf.to_crs(srid)
        attrs = gdf.drop(columns=gdf.geometry.name)
        types = _column_types(layer, pd.DataFrame(attrs))
        columns = ", ".join(f"{_ident(c)} {PG_TYPES[t]}" for c, t in types.items())
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

    def _read_table(self, con, name: str) -> pd.DataFrame:
        cur = con.execute(f"SELECT * FROM {_ident(name)} ORDER BY fid")
        return _frame(cur).drop(columns="fid")

    def _read_layer(self, con, layer: str) -> gpd.GeoDataFrame:
        names = [d.name for d in con.execute(f"SELECT * FROM {_ident(layer)} LIMIT 0").description]
        attrs = [n for n in names if n not in ("fid", "geom")]
        cur = con.execute(
            f"SELECT {''.join(_ident(n) + ', ' for n in attrs)}ST_AsBinary(geom) AS geom_wkb "
            f"FROM {_ident(layer)} ORDER BY fid"
        )
        frame = _frame(cur)
        geometry = shapely.from_wkb(frame.pop("geom_wkb").map(bytes).tolist())
        return gpd.GeoDataFrame(frame, geometry=geometry, crs=f"EPSG:{GEOMETRY_SRID[layer]}")


def _column_types(name: str, frame: pd.DataFrame) -> dict[str, str]:
    """Column types of a table: the store's rule (indicators.store.attribute_types), except that
    an object column of decimal numbers with gaps (e.g. the coverage of derived values after an
    import) is REAL, as the GeoPackage's table keeps it: "12.0" must never come back as text."""
    types = common.attribute_types(name, frame)
    for col, kind in types.items():
        if kind != "TEXT" or name in common.STATE_TYPES:
            continue
        values = frame[col].dropna().tolist()
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        if values and numbers and any(isinstance(v, float) for v in values):
            types[col] = "REAL"  # whole numbers in a text column stay text, as in the GeoPackage
    return types


def _fit(value, kind: str):
    """A value for a column of type ``kind`` as SQLite's column affinity would store it (whole
    numbers in bigint, numbers as text in text columns); ValueError when it cannot fit."""
    value = _python(value)
    if value is None:
        return value
    if kind == "boolean":
        return bool(value)
    if isinstance(value, bool):
        value = int(value)  # SQLite keeps booleans as 0/1
    if kind == "bigint" and isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    if kind == "double precision" and isinstance(value, str):
        return float(value)
    if kind == "text" and isinstance(value, int | float):
        return str(value)
    return value


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


def _boundary_problems(buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame) -> list[str]:
    from geodata.validate import count_problems, validate_boundaries

    problems = count_problems(len(buurten), len(wijken))
    try:
        validate_boundaries(buurten, dict(zip(wijken["wijkcode"], wijken["wijknaam"], strict=True)))
    except ValueError as exc:
        problems.append(str(exc))
    return problems
