"""A private PostgreSQL + PostGIS server for the tests, from Debian's packages.

``PgCluster`` runs ``initdb`` and ``pg_ctl`` in a temporary directory (as the ``postgres`` user
when the tests run as root, since PostgreSQL refuses to run as root), listens on 127.0.0.1 on a
free port with its unix socket in the same directory, and can be stopped and started again (the
"PostgreSQL restart is survived" test). ``.ci/run`` installs the packages (``make install-test``),
so in CI these tests always run; elsewhere they are skipped when the binaries are missing.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Debian: postgresql-15 and postgresql-15-postgis-3 (the Makefile's install-test installs both).
DEBIAN_PACKAGES = ("postgresql", "postgresql-15-postgis-3")


def _bindir() -> Path | None:
    """The newest PostgreSQL server binaries installed the Debian way, or on PATH."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def missing_reason() -> str | None:
    """Why PostgreSQL tests cannot run here (None when they can)."""
    bindir = _bindir()
    if bindir is None:
        return (
            "PostgreSQL is not installed (Debian: apt-get install "
            + " ".join(DEBIAN_PACKAGES)
            + ")"
        )
    version = bindir.parent.name
    if not glob.glob(f"/usr/share/postgresql/{version}/extension/postgis.control"):
        return f"PostGIS is not installed for PostgreSQL {version} (Debian: postgresql-{version}-postgis-3)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgCluster:
    """One throw-away PostgreSQL server; ``url(db)`` gives a connection string."""

    def __init__(self, port: int | None = None):
        self.bindir = _bindir()
        self.root = Path(tempfile.mkdtemp(prefix="wijkveiligheid-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = port or free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / tool), *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        result = self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "start",
            check=False,
        )
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {result.stderr}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str | None = None) -> str:
        """A new database with PostGIS; returns its URL."""
        import psycopg

        name = name or f"wv_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        with psycopg.connect(self.url(name), autocommit=True) as con:
            con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def running_cluster() -> Iterator[PgCluster]:
    """A started private server for a fixture to yield, destroyed afterwards. Without the
    Debian packages the test is SKIPPED with the reason; under WIJKVEILIGHEID_REQUIRE_POSTGRES=1
    (.ci/run) it fails instead."""
    reason = missing_reason()
    if reason and os.environ.get("WIJKVEILIGHEID_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason}; .ci/run requires PostgreSQL (WIJKVEILIGHEID_REQUIRE_POSTGRES=1)")
    if reason:
        pytest.skip(reason)
    cluster = PgCluster()
    cluster.start()
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="session")
def pg_cluster():
    """The session's PostgreSQL server."""
    yield from running_cluster()


@pytest.fixture()
def pg_url(pg_cluster):
    """A fresh PostGIS database for one test."""
    url = pg_cluster.create_database()
    yield url
    pg_cluster.drop_database(url)


TEMPLATE_DB = "wv_template"
_template_built: set[int] = set()


def make_postgis_store(request, tmp_path=None):
    """A fresh, built PostGIS store without staff state, for one test: a copy (``CREATE
    DATABASE ... TEMPLATE``) of a template database that is built once per session. Dropped
    after the test."""
    import psycopg

    from indicators.stores.postgis import PostgisStore

    cluster = request.getfixturevalue("pg_cluster")
    if id(cluster) not in _template_built:
        template = PostgisStore(cluster.create_database(TEMPLATE_DB))
        template.build()
        template.close()
        _template_built.add(id(cluster))
    name = f"wv_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(cluster.url(), autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"')
    store = PostgisStore(cluster.url(name))

    def finish():
        store.close()
        cluster.drop_database(cluster.url(name))

    request.addfinalizer(finish)
    return store
