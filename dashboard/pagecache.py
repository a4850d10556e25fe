"""Pages cost what their content costs: what a page shows is computed once per data version.

Two bounded caches, both tied to the loaded data context (``dashboard.data.get_context()``):
a new data version (an import, undo, build, a CLI run on any worker or instance) gives a new
context and empties them.

- **Layouts**: a page's ``layout(**params)`` per page, URL parameters (which carry the language,
  ``taal``) and day (pages say how old a figure is). A repeated parameter (which gets a notice)
  is not cached.
- **First layouts**: the JSON answer of ``GET /_dash-layout`` that the browser asks with the page
  as Referer (``dashboard.app.initial_layout`` puts the page in it), per page path and exact
  query string: a warm request is a lookup, without building or serialising components.

Only public Dash pages are cached: never ``/intern`` (staff pages are Flask routes, not Dash
pages, and are left alone), not ``/data`` (it shows the time of the last refresh, which changes
without a new data version) and not the not-found page. Nothing depends on the visitor: the
pages read no cookie or session.

Each gunicorn worker warms the common pages (:data:`WARM_PATHS`, both languages, and after a
change also the pages asked more than once before it) when it starts and again when the data
version changes (:func:`start_warming`, from ``dashboard/gunicorn_conf.py``), so no visitor
pays for a cold worker; between two pages the warming lets the worker's requests go first.
The workers of one server share what they build (:mod:`dashboard.pageshare`): a page is built
once per data version by whichever worker needs it first, and the warm list is split between
them. Nothing stale is ever served: a shared answer belongs to one data version.

Answers that are the same for every visitor of a data version (PDFs, CSVs, the JSON of every
figure, the Atom feeds, the OGC API documents: :func:`shared_bytes`, :func:`shared_answer`) are
built once per server too, and the warming builds the common open-data ones
(:data:`OPEN_PATHS`) right after the pages; what is made from the shapes alone (the GeoPackage)
is kept per geometry version, so an import of figures does not make it again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from datetime import date
from functools import wraps
from urllib.parse import urlsplit

import dash
from flask import Response, request

from dashboard import data, layoutjson, pageshare
from indicators.store import StoreError

LOG = logging.getLogger("wijkveiligheid.pagecache")

LAYOUT_LIMIT = 512  # page layouts kept per data version
RESPONSE_LIMIT = 512  # first-layout answers kept per data version
RESPONSE_BYTES = 64 * 2**20  # and at most this many bytes of them
UNCACHED_PAGES = ("/data", "/404")
PRIMED_PAGES = ("/data",)  # uncached, but warming builds what they keep per data version
WATCH_S = 1.0  # how often the warming thread asks whether the data changed
START_BUDGET_S = 3.0  # warming at worker start blocks it at most this long, then goes on in the
# background (a worker told to stop while it warms stops only after it; restarts stay quick)

WIJK_CODES = [f"WK0164{n:02d}" for n in range(10)]
WARM_PATHS = (  # the most visited first
    ["/", "/vergelijk", "/benchmark"] + [f"/wijk/{code}" for code in WIJK_CODES] + ["/thema"]
)

OPEN_PATHS = (  # answers the same for every visitor, warmed after the pages, most asked first
    [
        "/veranderingen.atom",
        "/ogc/collections",
        "/ogc/collections/wijken/items?f=json",
        "/ogc/collections/buurten/items?f=json&limit=20",
        "/ogc",
        "/data/cijfers.json",
    ]
    + [f"/wijk/{code}/veranderingen.atom" for code in WIJK_CODES]
    + ["/data/grenzen.gpkg"]
)
ONE_LANGUAGE = ("/data/cijfers.json", "/data/grenzen.gpkg")  # no English version

_MISSING = object()
SKIPPED = object()  # warming: another worker is building this page
REQUEST_WAIT_S = 1.0  # a request waits at most this long for a page another worker builds
WARM_WAIT_S = 5.0  # warming, at the end of its list, likewise
REWARM_LIMIT = 64  # pages asked again before a data change that are warmed after it
YIELD_S = 0.25  # between two pages the warming waits at most this long for requests to end

BYTES_WAIT_S = 10.0  # a download waits at most this long for another worker's build
ANSWER_LIMIT = 256  # answers keyed by URL (OGC API) kept per data version
ANSWER_BYTES = 64 * 2**20  # and at most this many bytes of them
_warming = threading.local()  # .active: this thread warms (it skips what others build)

_shared = None  # pageshare.SharedPages of this worker's server, or None
_in_flight = [0]
_flight_lock = threading.Lock()
_building: dict = {}  # key -> _Build: what a thread of this worker is building now
_building_lock = threading.Lock()


class _Build:
    def __init__(self):
        self.done = threading.Event()
        self.value = None


def single_flight(key, build, wait: float | None):
    """``build()`` once in this worker for threads that ask the same ``key`` at the same time:
    the first builds, the others wait for its result (at most ``wait`` seconds, then build it
    themselves; with ``wait`` None they get None at once). A failed build is not handed on."""
    with _building_lock:
        running = _building.get(key)
        if running is None:
            running = _building[key] = _Build()
            mine = True
        else:
            mine = False
    if not mine:
        if wait is None:
            return None
        if running.done.wait(wait) and running.value is not None:
            return running.value
        return build()
    try:
        running.value = build()
        return running.value
    finally:
        running.done.set()
        with _building_lock:
            _building.pop(key, None)


class VersionedCache:
    """A bounded LRU cache whose entries belong to one data context: asking with another
    context empties it. Thread-safe."""

    def __init__(self, limit: int, max_bytes: int | None = None):
        self.limit, self.max_bytes = limit, max_bytes
        self._lock = threading.Lock()
        self._owner = None
        self._entries: OrderedDict = OrderedDict()
        self._bytes = 0
        self._hits: dict = {}
        self.popular_before: list = []  # keys asked again under the previous owner, most first

    def _own(self, owner) -> None:
        if owner is not self._owner:
            # the pages asked again under the old owner, then those of the owners before it
            # (a version that came and went quickly keeps what was asked before it)
            ranked = [key for key, _ in sorted(self._hits.items(), key=lambda kv: -kv[1])]
            merged = dict.fromkeys(ranked + self.popular_before)
            self.popular_before = list(merged)[: self.limit]
            self._owner, self._entries, self._bytes, self._hits = owner, OrderedDict(), 0, {}

    def get(self, owner, key):
        with self._lock:
            self._own(owner)
            value = self._entries.get(key, _MISSING)
            if value is not _MISSING:
                self._entries.move_to_end(key)
                self._hits[key] = self._hits.get(key, 0) + 1
            return value

    def put(self, owner, key, value, size: int = 0) -> None:
        with self._lock:
            self._own(owner)
            if self.max_bytes is not None and size > self.max_bytes // 4:
                return  # one answer never pushes out most of the others
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old) if self.max_bytes is not None else 0
            self._entries[key] = value
            self._bytes += size
            while len(self._entries) > self.limit or (
                self.max_bytes is not None and self._bytes > self.max_bytes
            ):
                gone, dropped = self._entries.popitem(last=False)
                self._hits.pop(gone, None)
                self._bytes -= len(dropped) if self.max_bytes is not None else 0

    def popular(self, owner, limit: int) -> list:
        """Up to ``limit`` keys that were asked again under the owner before ``owner``."""
        with self._lock:
            self._own(owner)
            return self.popular_before[:limit]

    def asked_now(self, limit: int) -> list:
        """Up to ``limit`` keys asked again under the present owner (then those before it),
        without changing the owner."""
        with self._lock:
            ranked = [key for key, n in sorted(self._hits.items(), key=lambda kv: -kv[1])]
            return list(dict.fromkeys(ranked + self.popular_before))[:limit]

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._owner, self._entries, self._bytes, self._hits = None, OrderedDict(), 0, {}
            self.popular_before = []


layouts = VersionedCache(LAYOUT_LIMIT)
responses = VersionedCache(RESPONSE_LIMIT, RESPONSE_BYTES)


def _context():
    """The current data context, or None when the store cannot be read (nothing is cached; the
    page answers as it would without the cache, with its store error)."""
    try:
        return data.get_context()
    except Exception:  # noqa: BLE001 - StoreError or a damaged store: not this module's to report
        return None


def cacheable(page_path: str) -> bool:
    """Whether a registered page's layout may be cached (see the module docstring)."""
    return not page_path.startswith(("/intern", *UNCACHED_PAGES))


def cached_layout(layout, page_path: str):
    """Wrap a page's ``layout(**params)``: its result once per data version, parameters and day."""

    @wraps(layout)
    def wrapped(**params):
        ctx = _context()
        if ctx is None or any(not isinstance(v, str) for v in params.values()):
            return layout(**params)
        if not data.is_installed(ctx):  # a version being prepared: only shared answers
            return layout(**params)
        key = (page_path, tuple(sorted(params.items())), date.today().isoformat())
        hit = layouts.get(ctx, key)
        if hit is not _MISSING:
            return hit
        value = layout(**params)
        if _context() is ctx:
            layouts.put(ctx, key, value)
        return value

    wrapped.robust = getattr(layout, "robust", False)
    wrapped.cached = True
    return wrapped


def install(app: dash.Dash) -> None:
    """Cache every public page's layout and first-layout answer (call after the pages are
    registered and after the other ``before_request`` checks, so those still run first)."""
    for entry in dash.page_registry.values():
        layout = entry.get("layout")
        if callable(layout) and not getattr(layout, "cached", False) and cacheable(entry["path"]):
            entry["layout"] = cached_layout(layout, entry["path"])
    layout_path = app.config.requests_pathname_prefix + "_dash-layout"
    app.server.wsgi_app = _count_requests(app.server.wsgi_app)

    @app.server.before_request
    def cached_first_layout():
        if request.method != "GET" or request.path != layout_path:
            return None
        return first_layout(app)


def _page_of_referrer(app: dash.Dash) -> tuple[str, str] | None:
    """(path, query) of the page that asks for its first layout, when it is a cacheable page
    of this host; None otherwise (Dash answers as usual)."""
    from dash._pages import _path_to_page

    try:
        page = urlsplit(request.referrer or "")
    except ValueError:
        return None
    if page.netloc != request.host or not page.path:
        return None
    entry, _ = _path_to_page(app.strip_relative_path(page.path))
    if not entry or not cacheable(entry["path"]):
        return None
    return page.path, page.query


def first_layout(app: dash.Dash, wait: float | None = REQUEST_WAIT_S):
    """The answer to ``GET /_dash-layout`` for the page in the Referer: from this worker's
    cache, else from the other workers' (:mod:`dashboard.pageshare`), else built by Dash once
    and kept in both; None when this request is not for a cacheable page. A page that another
    worker is building is awaited (at most ``wait`` seconds, then built here); with ``wait``
    None (warming) it is left to that worker: :data:`SKIPPED`."""
    page = _page_of_referrer(app)
    ctx = _context() if page else None
    if ctx is None:
        return None
    key = (*page, date.today().isoformat())
    body = responses.get(ctx, key) if data.is_installed(ctx) else _MISSING
    if body is _MISSING:
        body = single_flight(
            ("page", id(ctx), key), lambda: _shared_or_built(app, ctx, key, wait), wait
        )
        if body is None:
            return SKIPPED
    return Response(body, mimetype="application/json")


def _shared_or_built(app: dash.Dash, ctx, key: tuple, wait: float | None) -> bytes | None:
    shared, name = _shared, f"{key[2]} {key[0]}?{key[1]}"
    version = ctx.version
    body = shared.get(version, name) if shared else None
    if body is None and shared is not None and not shared.claim(version, name):
        if wait is None:
            return None
        body = shared.wait(version, name, wait)
    if body is None:
        try:
            body = layoutjson.dumps(app.get_layout()).encode("utf-8")  # = serve_layout()
        finally:
            if shared is not None and (body is None or _context() is not ctx):
                shared.release(version, name)
        if shared is not None and _context() is ctx:
            shared.put(version, name, body)
    if _context() is ctx and data.is_installed(ctx):
        responses.put(ctx, key, body, len(body))
    return body


def shared_bytes(ctx, key: str, compute, geometry: bool = False) -> bytes:
    """What ``compute()`` gives (bytes, or text sent as UTF-8) for the data version of ``ctx``:
    built once per data version by one thread of one worker of this server and read by the
    others (:meth:`dashboard.pageshare.SharedPages.once`), kept in the context after that.
    ``compute`` must read only ``ctx`` (the answer is shared under its version). With
    ``geometry`` it reads only the shapes: kept per geometry version (``Context.once_geometry``),
    so a new version of the figures takes it over instead of building it again."""
    memo = ctx.shapes_memo if geometry else ctx.memo
    return memo.once(("shared-bytes", key), lambda: _built_once(ctx, memo, key, compute))


def shared_answer(ctx, key: str, compute) -> bytes:
    """As :func:`shared_bytes`, for answers keyed by URL (``key`` holds the path, normalised
    query and public URL): at most ANSWER_LIMIT of them (ANSWER_BYTES) kept per data version."""
    kept = ctx.once("shared-answers", lambda: VersionedCache(ANSWER_LIMIT, ANSWER_BYTES))
    body = kept.get(ctx, key)
    if body is _MISSING:
        body = _built_once(ctx, kept, key, compute)
        kept.put(ctx, key, body, len(body))
    return body


class Skipped(Exception):
    """Warming: another worker or thread is building this answer (take the next one)."""


def _built_once(ctx, owner, key: str, compute) -> bytes:
    """``compute()`` once in this worker (its threads wait) and once per server (the other
    workers read it); while warming, an answer another worker builds raises :class:`Skipped`."""
    warming = getattr(_warming, "active", False)

    def build() -> bytes:
        def made() -> bytes:
            value = compute()
            return value.encode("utf-8") if isinstance(value, str) else value

        shared = _shared
        if shared is None:
            return made()
        body = shared.once(ctx.version, f"bytes {key}", made, None if warming else BYTES_WAIT_S)
        if body is None:
            raise Skipped(key)
        return body

    body = single_flight(("bytes", id(owner), key), build, None if warming else BYTES_WAIT_S)
    if body is None:
        raise Skipped(key)
    return body


def _targets(paths, languages, ctx) -> list[str]:
    """The pages to warm: ``paths`` (default :data:`WARM_PATHS`) in each language, and without
    ``paths`` also the pages asked more than once before the last data change (up to
    :data:`REWARM_LIMIT`), so that a change does not make their next visitor wait."""
    targets = [
        path if lang == "nl" else f"{path}?taal={lang}"
        for path in paths or WARM_PATHS
        for lang in languages
    ]
    if paths is None and ctx is not None:
        if data.is_installed(ctx):
            asked = [_target(key) for key in responses.popular(ctx, REWARM_LIMIT)]
            return list(dict.fromkeys(targets + asked))
        # preparing a version (a short time): the pages asked most under the installed one first
        asked = [_target(key) for key in responses.asked_now(REWARM_LIMIT)]
        return list(dict.fromkeys(asked + targets))
    return targets


def _target(key: tuple) -> str:
    path, query, _day = key
    return f"{path}?{query}" if query else path


def _warm_one(app: dash.Dash, target: str, wait: float | None):
    """1 when the page of ``target`` is in this worker's cache now, 0 when it failed,
    :data:`SKIPPED` when another worker is building it (and ``wait`` is None)."""
    headers = {"Referer": f"http://localhost{target}"}
    with app.server.test_request_context(
        "/_dash-layout", base_url="http://localhost", headers=headers
    ):
        try:
            return SKIPPED if first_layout(app, wait=wait) is SKIPPED else 1
        except Exception as exc:  # noqa: BLE001 - a page that fails is built on request
            LOG.warning("warming %s: %s: %s", target, type(exc).__name__, exc)
            return 0


def warm(app: dash.Dash, paths=None, languages=("nl", "en"), deadline: float | None = None) -> int:
    """Build the first layout of ``paths`` (default :data:`WARM_PATHS`, and the pages asked
    again before the last change) in each language, as a browser would ask it, and with the
    default list then the open-data answers (:data:`OPEN_PATHS`); returns how many are now in
    this worker's cache. What another worker is building is taken from it at the end.
    Between pages it lets this worker's requests go first (at most YIELD_S).
    Stops at ``deadline`` (monotonic) or when a newer data version comes in."""
    ctx = _context()
    targets = _targets(paths, languages, ctx)
    common = len(WARM_PATHS) * len(languages) if paths is None else len(targets)
    done, later = _warm_pages(app, targets[:common], ctx, deadline)
    if paths is None:  # the open data after the common pages, before the pages asked before
        opened, skipped = _warm_open(app, languages, ctx, deadline)
        more, rest = _warm_pages(app, targets[common:], ctx, deadline)
        if not _stop(ctx, deadline):
            _prime_uncached(app, languages)
        done, later = done + opened + more, later + [(target,) for target in skipped] + rest
    for target in later:
        if _stop(ctx, deadline):
            return done
        if isinstance(target, tuple):  # an open-data answer: built here now, or awaited
            done += _answer_open(app, target[0], skip=False)
            continue
        left = WARM_WAIT_S if deadline is None else max(deadline - time.monotonic(), 0.0)
        done += _warm_one(app, target, wait=min(WARM_WAIT_S, left))
    return done


def _warm_pages(app: dash.Dash, targets: list[str], ctx, deadline) -> tuple[int, list[str]]:
    """Warm the pages of ``targets`` in order (see :func:`_warm_list`)."""
    return _warm_list(targets, ctx, deadline, lambda target: _warm_one(app, target, wait=None))


def _warm_list(targets: list[str], ctx, deadline, warm_one) -> tuple[int, list[str]]:
    """``warm_one(target)`` for each of ``targets`` in order, letting this worker's requests go
    first between two: how many are built, and those another worker is building (SKIPPED).
    Stops at ``deadline`` or a newer data version."""
    done, later = 0, []
    for target in targets:
        if _stop(ctx, deadline):
            break
        _yield_to_requests()
        result = warm_one(target)
        if result is SKIPPED:
            later.append(target)
        else:
            done += result
    return done, later


def _open_targets(languages) -> list[str]:
    """:data:`OPEN_PATHS` in each language (Dutch first: most asked)."""
    targets = []
    for lang in languages:
        for path in OPEN_PATHS:
            if lang == "nl":
                targets.append(path)
            elif path not in ONE_LANGUAGE:
                targets.append(path + ("&" if "?" in path else "?") + f"taal={lang}")
    return targets


def _warm_open(app: dash.Dash, languages, ctx, deadline: float | None) -> tuple[int, list]:
    """Build the open-data answers of :func:`_open_targets` (Atom feeds, OGC API documents,
    downloads: each kept once per data version and server, see :func:`shared_bytes`) as a
    request would; returns how many are built and those another worker is building (taken
    from it later)."""
    targets = _open_targets(languages)
    return _warm_list(targets, ctx, deadline, lambda target: _answer_open(app, target, True))


def _answer_open(app: dash.Dash, target: str, skip: bool):
    """Answer ``target`` inside this thread (the route's view, no response is sent): 1 when
    it is built, 0 when it failed, :data:`SKIPPED` when another worker builds it (``skip``)."""
    _warming.active = skip
    try:
        with app.server.test_request_context(target, base_url="http://localhost"):
            app.server.dispatch_request()
        return 1
    except Skipped:
        return SKIPPED
    except Exception as exc:  # noqa: BLE001 - built on request then
        LOG.warning("warming %s: %s: %s", target, type(exc).__name__, exc)
        return 0
    finally:
        _warming.active = False


def _prime_uncached(app: dash.Dash, languages) -> None:
    """Build the uncached pages of :data:`PRIMED_PAGES` once per language, so that what they
    keep per data version (``Context.once``) is there before a visitor asks."""
    for entry in dash.page_registry.values():
        if entry["path"] not in PRIMED_PAGES or not callable(entry.get("layout")):
            continue
        for lang in languages:
            _yield_to_requests()
            with app.server.test_request_context(entry["path"], base_url="http://localhost"):
                try:
                    entry["layout"](taal=lang)
                except Exception as exc:  # noqa: BLE001 - built on request then
                    LOG.warning("priming %s: %s: %s", entry["path"], type(exc).__name__, exc)


def _stop(ctx, deadline: float | None) -> bool:
    if deadline is not None and time.monotonic() > deadline:
        return True
    return _context() is not ctx  # a newer version came in: warming starts again for that one


def _yield_to_requests() -> None:
    """Wait while this worker answers requests (at most YIELD_S): they go first."""
    end = time.monotonic() + YIELD_S
    while _in_flight[0] > 0 and time.monotonic() < end:
        time.sleep(0.005)


def _count_requests(wsgi_app):
    """WSGI middleware: how many requests this worker is answering now (:data:`_in_flight`)."""

    def counted(environ, start_response):
        with _flight_lock:
            _in_flight[0] += 1
        try:
            return wsgi_app(environ, start_response)
        finally:
            with _flight_lock:
                _in_flight[0] -= 1

    return counted


def use_shared(share) -> None:
    """Share first-layout answers with the other workers of this server (``share`` from
    ``dashboard/gunicorn_conf.py``; None: this worker alone)."""
    global _shared
    _shared = pageshare.SharedPages(share) if share is not None else None


def start_warming(app: dash.Dash, share=None) -> threading.Thread:
    """In a gunicorn worker before it serves: share answers with the other workers (``share``),
    warm the common pages (for at most START_BUDGET_S), then keep a daemon thread that loads
    a new data version as soon as it appears and warms the pages again."""
    use_shared(share)
    data.set_preparer(True)  # the thread below prepares each new version before requests use it
    started = time.monotonic()
    ctx = _context()
    built = warm(app, deadline=started + START_BUDGET_S) if ctx is not None else 0
    LOG.info("warmed %d pages in %.1f s", built, time.monotonic() - started)
    thread = threading.Thread(
        target=_watch,
        args=(app, ctx if _complete(built) else None),
        name="pagecache-warm",
        daemon=True,
    )
    thread.start()
    return thread


def _complete(built: int) -> bool:
    return built >= len(WARM_PATHS) * 2 + len(_open_targets(("nl", "en")))


def _watch(app: dash.Dash, warmed) -> None:
    """Warm again as soon as the data version has changed (the thread asks every WATCH_S, the
    requests every ``data.CHECK_S``, so the new pages are mostly built before a visitor asks;
    a newer version in a burst of imports stops the warming and starts it again)."""
    while True:
        try:
            _prepare_next(app)
            ctx = data.get_context(fresh=True)
            if ctx is not warmed and _complete(warm(app)):
                warmed = ctx
        except StoreError:
            pass  # the pages show the store's error; try again later
        except Exception as exc:  # noqa: BLE001 - the thread must keep running
            LOG.warning("warming: %s: %s", type(exc).__name__, exc)
        time.sleep(WATCH_S)


def _prepare_next(app: dash.Dash) -> bool:
    """When the store has a new data version: load it and build its pages (the most asked
    first; the other workers build their share) while requests still get the installed
    version from memory, for at most ``data.PREPARE_S``; then install it. So a change does not
    make visitors wait behind the builds (they see it up to PREPARE_S later). Whether a
    version was installed."""
    upcoming = data.prepare()
    if upcoming is None:
        return False
    started = time.monotonic()
    with data.preparing(upcoming):
        built = warm(app, deadline=started + data.PREPARE_S)
    installed = data.install(upcoming)
    LOG.info(
        "prepared %d pages of version %s in %.1f s (installed: %s)",
        built,
        upcoming.version,
        time.monotonic() - started,
        installed,
    )
    return installed
