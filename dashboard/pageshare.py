"""First-layout answers shared by the workers of one server (issue 16).

Each gunicorn worker keeps its own in-memory page cache (``dashboard/pagecache.py``); this file
lets the workers of one server hand each other what they built, so a page is built once per
data version, not once per worker, and the warm list is split between them:

- **pages**: the JSON answer of a page's first ``GET /_dash-layout`` per server generation,
  data version and key (day, path, query), with the pid that built it;
- **bytes**: other answers that are the same for every visitor of one data version (the wijk
  profile PDFs, the CSV downloads), built by one worker and read by the others
  (:meth:`SharedPages.once`);
- **claims**: a worker that starts building a page says so; another worker that wants the
  same page waits for the answer (a bounded time) instead of building it too, and a warming
  worker skips it and takes the next page.

The file lives in a private directory that the gunicorn master makes when it starts
(``tempfile.mkdtemp``: mode ``700``, owned by the server's user; the file ``600``; SQLite's
``-wal``/``-shm`` files take the file's mode) and removes when it stops; nothing is written
beside the store. A master reloaded with HUP starts a new generation (``token``): answers of
the old code are never served by the new. Entries of all but the two newest data versions are
pruned, and at most :data:`ROW_LIMIT` answers are kept (keys can come from URLs). A damaged,
locked or unwritable file only costs speed: every method answers "not there" on an error.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

LOG = logging.getLogger("wijkveiligheid.pageshare")

FILE_NAME = "pages.sqlite"
ROW_LIMIT = 1024  # answers kept over all versions
BODY_LIMIT = 4 * 2**20  # a larger answer is not shared
CLAIM_S = 5.0  # a claim older than this is void (its worker died or is very slow)
POLL_S = 0.02
BUSY_MS = 250
PRUNE_EVERY = 64  # puts

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    token TEXT NOT NULL, version TEXT NOT NULL, key TEXT NOT NULL, body BLOB NOT NULL,
    pid INTEGER NOT NULL, made REAL NOT NULL, builds INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (token, version, key));
CREATE TABLE IF NOT EXISTS claims (
    token TEXT NOT NULL, version TEXT NOT NULL, key TEXT NOT NULL, pid INTEGER NOT NULL,
    at REAL NOT NULL, PRIMARY KEY (token, version, key));
"""


@dataclass(frozen=True)
class Share:
    """What a gunicorn master hands its workers: the private directory and the generation."""

    directory: str
    token: str


def create() -> Share | None:
    """A new private directory (None when the temporary directory is not writable)."""
    try:
        directory = tempfile.mkdtemp(prefix="wijkveiligheid-pages-")
    except OSError as exc:
        LOG.warning("no shared page cache: %s", exc)
        return None
    return Share(directory, uuid.uuid4().hex)


def renew(share: Share | None) -> Share | None:
    """The same directory for a new generation of workers (new code after a reload)."""
    return Share(share.directory, uuid.uuid4().hex) if share else create()


def remove(share: Share | None) -> None:
    if share is not None:
        shutil.rmtree(share.directory, ignore_errors=True)


class SharedPages:
    """The shared answers of one server generation; thread-safe (a connection per thread)."""

    def __init__(self, share: Share):
        self.path = Path(share.directory) / FILE_NAME
        self.token = share.token
        self.pid = os.getpid()
        self._local = threading.local()
        self._puts = 0
        self._pruned: str | None = None

    # ------------------------------------------------------------------ connection
    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)  # before SQLite makes it
            os.close(fd)
            con = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            con.executescript(SCHEMA)
            self._local.con = con
        return con

    def _do(self, what: str, work, default=None):
        """``work(connection)``; an error of the file is logged once per kind and swallowed
        (``default`` is answered: the caller builds the page itself)."""
        try:
            return work(self._con())
        except (sqlite3.Error, OSError) as exc:
            LOG.warning("shared page cache, %s: %s", what, exc)
            con, self._local.con = getattr(self._local, "con", None), None
            if con is not None:
                with contextlib.suppress(sqlite3.Error):
                    con.close()
            return default

    # ------------------------------------------------------------------ answers
    def get(self, version: str, key: str) -> bytes | None:
        row = self._do(
            "read",
            lambda con: con.execute(
                "SELECT body FROM pages WHERE token = ? AND version = ? AND key = ?",
                (self.token, version, key),
            ).fetchone(),
        )
        return bytes(row[0]) if row else None

    def put(self, version: str, key: str, body: bytes) -> None:
        if len(body) > BODY_LIMIT:
            self.release(version, key)
            return
        self._do("write", lambda con: self._put(con, version, key, body))

    def _put(self, con: sqlite3.Connection, version: str, key: str, body: bytes) -> None:
        con.execute(
            "INSERT INTO pages (token, version, key, body, pid, made) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT (token, version, key) DO UPDATE SET builds = builds + 1",
            (self.token, version, key, body, self.pid, time.time()),
        )
        con.execute(
            "DELETE FROM claims WHERE token = ? AND version = ? AND key = ?",
            (self.token, version, key),
        )
        self._puts += 1
        if version != self._pruned or self._puts % PRUNE_EVERY == 0:
            self._prune(con)
            self._pruned = version

    def _prune(self, con: sqlite3.Connection) -> None:
        """Keep the two newest data versions of this generation, at most ROW_LIMIT answers."""
        newest = con.execute(
            "SELECT version FROM pages WHERE token = ? GROUP BY version "
            "ORDER BY max(made) DESC LIMIT 2",
            (self.token,),
        ).fetchall()
        keep = [v for (v,) in newest]
        marks = ",".join("?" * len(keep)) or "NULL"
        con.execute(
            f"DELETE FROM pages WHERE token != ? OR version NOT IN ({marks})",  # noqa: S608
            (self.token, *keep),
        )
        con.execute(
            "DELETE FROM pages WHERE rowid IN "
            "(SELECT rowid FROM pages ORDER BY made DESC LIMIT -1 OFFSET ?)",
            (ROW_LIMIT,),
        )
        con.execute("DELETE FROM claims WHERE at < ?", (time.time() - 10 * CLAIM_S,))

    # ------------------------------------------------------------------ claims
    def claim(self, version: str, key: str) -> bool:
        """Whether this worker may build the page now: True unless another worker claimed it
        less than CLAIM_S ago (True too when the file fails: build it)."""
        now = time.time()
        cur = self._do(
            "claim",
            lambda con: con.execute(
                "INSERT INTO claims (token, version, key, pid, at) VALUES (?,?,?,?,?) "
                "ON CONFLICT (token, version, key) DO UPDATE SET pid = excluded.pid, "
                "at = excluded.at WHERE claims.at < ? OR claims.pid = excluded.pid",
                (self.token, version, key, self.pid, now, now - CLAIM_S),
            ),
        )
        return cur is None or cur.rowcount == 1

    def release(self, version: str, key: str) -> None:
        """Give up a claim (the build failed, or the answer is not shared)."""
        self._do(
            "release",
            lambda con: con.execute(
                "DELETE FROM claims WHERE token = ? AND version = ? AND key = ? AND pid = ?",
                (self.token, version, key, self.pid),
            ),
        )

    def wait(self, version: str, key: str, timeout: float) -> bytes | None:
        """The answer another worker is building, once it is there; None after ``timeout``
        or as soon as no live claim remains (then build it)."""
        end = time.monotonic() + timeout
        while True:
            body = self.get(version, key)
            if body is not None or time.monotonic() >= end:
                return body
            if not self._claimed(version, key):
                return self.get(version, key)  # put between the two looks, or given up
            time.sleep(POLL_S)

    def once(self, version: str, key: str, compute, wait: float | None) -> bytes | None:
        """The bytes of ``key`` for ``version``: read when another worker has built them, awaited
        (at most ``wait`` seconds) while another worker builds them, else ``compute()`` here and
        shared. The caller answers what it gets; an error of the file only costs the build.
        With ``wait`` None (warming) an answer another worker is building is None at once."""
        body = self.get(version, key)
        if body is None and not self.claim(version, key):
            if wait is None:
                return None
            body = self.wait(version, key, wait)
        if body is not None:
            return body
        try:
            body = compute()
        finally:
            if body is None:
                self.release(version, key)
        self.put(version, key, body)
        LOG.info("built %s for version %s (pid %d)", key, version, self.pid)
        return body

    def _claimed(self, version: str, key: str) -> bool:
        row = self._do(
            "claim",
            lambda con: con.execute(
                "SELECT 1 FROM claims WHERE token = ? AND version = ? AND key = ? AND at >= ?",
                (self.token, version, key, time.time() - CLAIM_S),
            ).fetchone(),
        )
        return row is not None
