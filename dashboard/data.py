"""The in-memory data the pages read: loaded from the store of this process, again whenever
the store's data version changes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import shapely

from dashboard import settings
from geodata.gemeente import GEMEENTE
from indicators import store
from indicators.privacy import cbs_sources, public_observations
from indicators.stores import Store

FOCUS_CODES = GEMEENTE.focus_wijken


CHECK_S = 2.0  # how often a worker asks the store whether the data changed
MEMO_LIMIT = 2000  # results kept per data version (bounded: keys can come from URLs)


@dataclass
class Context:
    """Frames and precomputed web geometry shared by all pages."""

    data: store.StoreData
    public_obs: pd.DataFrame
    areas: dict[str, pd.DataFrame]
    geojson: dict[str, dict]
    geojson_text: dict[str, str]
    geojson_url: dict[str, str]
    centre: dict
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    version: str = ""
    geometry_key: str = ""  # what the geometry fields were made from (geometry_key())
    memo: Memo = field(default_factory=lambda: Memo(), repr=False)
    shapes_memo: Memo = field(default_factory=lambda: Memo(), repr=False)  # once_geometry

    def once(self, key, compute):
        """``compute()`` once per data version and ``key`` (e.g. a PDF or CSV that is the
        same for every user): the context is replaced when the data changes. Threads that ask
        a key another thread is computing wait for its value instead of computing it too."""
        return self.memo.once(key, compute)

    def once_geometry(self, key, compute):
        """``compute()`` once per geometry version (:func:`geometry_key`) and ``key``: for
        what is made from the shapes alone (the GeoPackage, OGC geometry), which a new context
        takes over when only figures changed, so an import does not make it again."""
        return self.shapes_memo.once(key, compute)


class Memo(dict):
    """Values by key, each computed once: threads that ask a key another thread is computing
    wait for its value. Bounded (keys can come from URLs): past MEMO_LIMIT nothing is kept."""

    def once(self, key, compute):
        try:
            return self[key]
        except KeyError:
            pass
        with self._key_lock(key):
            try:
                return self[key]
            except KeyError:
                value = compute()
                if len(self) < MEMO_LIMIT:
                    self[key] = value
                return value

    def _key_lock(self, key) -> threading.RLock:
        with _locks_lock:
            locks = self.__dict__.setdefault("_locks", {})
            if len(locks) >= MEMO_LIMIT:
                return threading.RLock()  # bounded: past the limit, nothing is shared anyway
            return locks.setdefault(key, threading.RLock())


_locks_lock = threading.Lock()


@dataclass
class _Cache:
    version: str
    context: Context
    checked: float


_store: Store | None = None
_cache: _Cache | None = None
_lock = threading.Lock()


def use_store(handed_in: Store) -> Store:
    """Make ``handed_in`` the store of this process (the app, a CLI command, a test)."""
    global _store
    with _lock:
        _store = handed_in
    reset()
    return handed_in


def current_store() -> Store:
    """The store of this process; opened from the settings on first use (no I/O yet)."""
    global _store
    with _lock:
        if _store is None:
            _store = settings.open_store()
        return _store


def ensure_store(path: Path | None = None) -> Store:
    """Build the store when it does not exist yet, or again (keeping users, imports and staff
    indicators) when it was built from other bundled sources, e.g. after an update."""
    target = settings.open_store(path) if path else current_store()
    target.ensure()
    return target


PREPARE_S = 1.5  # a new version is prepared (pages built) at most this long before requests load it
_local = threading.local()  # .context: the context this thread prepares (prepare_context)
_preparer = {"active": False, "seen": {}}  # is a thread preparing; version -> first seen


def get_context(fresh: bool = False) -> Context:
    """The public data of the store, cached per data version: at most every CHECK_S seconds
    the store is asked (one small query) whether another worker, instance or the CLI changed
    it; ``fresh`` asks now (staff pages, before parsing an upload). Raises
    :class:`indicators.store.StoreError` (StoreUnavailable when unreachable).

    While the warming thread prepares a new version (:func:`prepare`, for at most PREPARE_S
    after a request first saw it), requests keep the installed one; in that thread (inside
    :func:`preparing`) the context is the one being prepared."""
    preparing = getattr(_local, "context", None)
    if preparing is not None:
        return preparing
    return _installed_or_loaded(fresh)


def _installed_or_loaded(fresh: bool) -> Context:
    global _cache
    cache, now = _cache, time.monotonic()
    if cache is not None and not fresh and now - cache.checked < CHECK_S:
        return cache.context
    source = current_store()
    version = source.data_version() if source.exists() else ""
    if cache is not None and cache.version == version:
        cache.checked = now
        return cache.context
    if not fresh and cache is not None and _being_prepared(version, now):
        return cache.context  # the warming thread makes it ready, then installs it
    if not _load_lock.acquire(blocking=fresh or cache is None):
        return cache.context  # another thread loads the new version: no one waits behind it
    try:
        return _load(source, version)
    finally:
        _load_lock.release()


def _load(source: Store, version: str) -> Context:
    """Under the load lock: the context of ``version`` (built unless another thread just did)."""
    global _cache
    cache = _cache
    if cache is not None and cache.version == version:
        return cache.context
    if cache is None and source.exists() and not source.is_current():
        source.build()  # an outdated store is built again (as `serve` does), also under
        version = source.data_version()  # gunicorn; a missing one is reported
    read, version = _read_settled(source, version, cache.context.data if cache else None)
    context = build_context(read, cache.context if cache else None)
    context.version = version
    _cache = _Cache(version, context, time.monotonic())
    return context


_load_lock = threading.Lock()


def _being_prepared(version: str, now: float) -> bool:
    """Whether a warming thread prepares ``version`` and started less than PREPARE_S ago."""
    if not _preparer["active"]:
        return False
    seen = _preparer["seen"]
    if version not in seen and len(seen) > 8:
        seen.clear()
    return now - seen.setdefault(version, now) < PREPARE_S


def set_preparer(active: bool) -> None:
    """A warming thread prepares each new version before requests use it (pagecache)."""
    _preparer["active"] = active
    _preparer["seen"] = {}


def prepare() -> Context | None:
    """The context of the store's data version when it is newer than the installed one,
    loaded but not installed (the warming thread builds its pages first, then installs it);
    None when the installed one is current or none is installed (get_context loads it)."""
    source = current_store()
    version = source.data_version() if source.exists() else ""
    cache = _cache
    if cache is None or cache.version == version:
        return None
    with _load_lock:
        cache = _cache
        if cache is None or cache.version == version:
            return None
        read, version = _read_settled(source, version, cache.context.data)
        context = build_context(read, cache.context)
        context.version = version
        _preparer["seen"].setdefault(version, time.monotonic())
        return context


def install(context: Context) -> bool:
    """Make a prepared ``context`` the one requests use, unless the store has moved on (or a
    request loaded that version meanwhile); whether it was installed."""
    global _cache
    source = current_store()
    with _load_lock:
        cache = _cache
        if cache is not None and cache.version == context.version:
            return False
        if source.data_version() != context.version:
            return False
        _cache = _Cache(context.version, context, time.monotonic())
        return True


@contextlib.contextmanager
def preparing(context: Context):
    """In this thread, :func:`get_context` answers ``context`` (a version being prepared)."""
    _local.context = context
    try:
        yield context
    finally:
        _local.context = None


def is_installed(context: Context) -> bool:
    """Whether ``context`` is the one requests use now (not one being prepared)."""
    cache = _cache
    return cache is not None and cache.context is context


SETTLE_ATTEMPTS = 3


def _read_settled(
    source: Store, version: str, previous: store.StoreData | None = None
) -> tuple[store.StoreData, str]:
    """The store's data and the version it belongs to. ``version`` was asked before reading: a
    change committed in between would label newer data with the older version, and pages that
    workers share per version would mix them. So the version is asked again after reading;
    when it keeps moving, the data gets a label of this process alone (nothing is shared under
    it, and the next check loads again). ``previous`` lends its geometry layers when they did
    not change (Store.read_data)."""
    for _ in range(SETTLE_ATTEMPTS):
        read = source.read_data(previous) if previous is not None else source.read_data()
        after = source.data_version()
        if after == version:
            return read, version
        version = after
    return read, f"{version}#unsettled-{os.getpid()}"


def reset() -> None:
    """Forget the loaded data (after a change by this process, and in tests)."""
    global _cache
    _cache = None
    _preparer["seen"] = {}


def build_context(data: store.StoreData, previous: Context | None = None) -> Context:
    """The context of ``data``; what is made from the web geometry alone (areas, GeoJSON,
    bounds) is taken from ``previous`` when that was made from the same geometry (an import of
    figures changes no shape: the worker does not make it again)."""
    web_b, web_w = data.web_buurten, data.web_wijken
    key = geometry_key(data)
    if previous is not None and previous.geometry_key == key:
        shapes = {name: getattr(previous, name) for name in GEOMETRY_FIELDS}
    else:
        shapes = _geometry_fields(data)
    return Context(
        data=data,
        public_obs=public_observations(
            data.observations,
            data.indicators,
            cbs_sources(data.sources),
            parents=area_parents(web_b, web_w),
        ),
        geometry_key=key,
        **shapes,
    )


GEOMETRY_FIELDS = (
    "areas",
    "geojson",
    "geojson_text",
    "geojson_url",
    "centre",
    "bounds",
    "shapes_memo",
)


def geometry_key(data: store.StoreData) -> str:
    """A hash of everything :func:`_geometry_fields` and ``Context.once_geometry`` read: codes,
    names and shapes of the web geometry and of the full-detail boundaries (with the columns
    the GeoPackage download has), and the store's source fingerprint (in the GeoJSON URLs)."""
    digest = hashlib.sha256(str(data.meta.get("source_fingerprint", "0")).encode())
    for frame, columns in (
        (data.web_buurten, ["buurtcode", "buurtnaam", "wijkcode"]),
        (data.web_wijken, ["wijkcode", "wijknaam"]),
        (data.buurten, ["buurtcode", "buurtnaam", "wijkcode", "gemeentecode"]),
        (data.wijken, ["wijkcode", "wijknaam", "gemeentecode", "n_buurten"]),
    ):
        for column in columns:
            digest.update("\t".join(frame[column].astype(str)).encode() + b"\n")
        digest.update(b"".join(shapely.to_wkb(frame.geometry.values)))
    return digest.hexdigest()


def _geometry_fields(data: store.StoreData) -> dict:
    web_b, web_w = data.web_buurten, data.web_wijken
    names = dict(zip(web_w["wijkcode"], web_w["wijknaam"], strict=True))
    areas = {
        "wijk": pd.DataFrame(
            {"code": web_w["wijkcode"], "name": web_w["wijknaam"], "wijkcode": web_w["wijkcode"]}
        ).sort_values("code"),
        "buurt": pd.DataFrame(
            {"code": web_b["buurtcode"], "name": web_b["buurtnaam"], "wijkcode": web_b["wijkcode"]}
        ).sort_values("code"),
    }
    areas["buurt"]["wijknaam"] = areas["buurt"]["wijkcode"].map(names)
    areas["wijk"]["wijknaam"] = areas["wijk"]["name"]
    geojson = {
        "buurt": _feature_collection(web_b, "buurtcode"),
        "wijk": _feature_collection(web_w, "wijkcode"),
    }
    bounds = home_bounds(web_w)
    minx, miny, maxx, maxy = bounds
    version = data.meta.get("source_fingerprint", "0")
    return {
        "areas": {k: v.reset_index(drop=True) for k, v in areas.items()},
        "geojson": geojson,
        "geojson_text": {k: json.dumps(v, separators=(",", ":")) for k, v in geojson.items()},
        "geojson_url": {k: f"/geo/{k}.geojson?v={version}" for k in geojson},
        "centre": {"lon": round((minx + maxx) / 2, 5), "lat": round((miny + maxy) / 2, 5)},
        "bounds": bounds,
        "shapes_memo": Memo(),
    }


def area_parents(web_b, web_w) -> dict[str, str]:
    """Area code -> the code of the area it lies in (buurt -> wijk, wijk -> gemeente), for
    complementary suppression."""
    parents = dict(zip(web_b["buurtcode"], web_b["wijkcode"], strict=True))
    parents.update({code: GEMEENTE.code for code in web_w["wijkcode"]})
    return parents


def home_bounds(web_wijken) -> tuple[float, float, float, float]:
    """The map's home view (west, south, east, north in degrees): the configuration's
    ``[map] bounds`` when it gives them, else the extent of the wijken."""
    if GEMEENTE.home_bounds:
        return GEMEENTE.home_bounds
    return tuple(float(v) for v in web_wijken.total_bounds)


def plain_area_names(ctx: Context) -> dict[str, str]:
    """Code -> name of the gemeente, every wijk and every buurt (names as CBS gives them)."""
    names = {GEMEENTE.code: GEMEENTE.name}
    for frame in ctx.areas.values():
        names.update(dict(zip(frame["code"], frame["name"], strict=True)))
    return names


def _feature_collection(gdf, code_col: str) -> dict:
    """Minimal GeoJSON: only the geometry and the code as feature id."""
    raw = json.loads(gdf[[code_col, "geometry"]].to_json(drop_id=True))
    for feature in raw["features"]:
        feature["id"] = feature.pop("properties")[code_col]
    return raw
