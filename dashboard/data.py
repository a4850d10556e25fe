"""The in-memory data the app reads, loaded once from the store (the only I/O the app does)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard import settings
from indicators import store
from indicators.privacy import cbs_sources, public_observations

FOCUS_CODES = ("WK016405", "WK016401", "WK016402", "WK016400")


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


def ensure_store(path: Path | None = None) -> Path:
    """Build the store from the bundled sources when it does not exist yet, or again (keeping
    users, imports and staff indicators) when it was built from other bundled sources, e.g.
    after an update of the repository."""
    path = path or settings.store_path()
    if not path.exists():
        store.build_store(path)
        return path
    try:
        stale = store.read_meta(path).get("source_fingerprint") != store.source_fingerprint()
    except Exception:  # noqa: BLE001 - an unreadable store is reported by store_problems
        stale = False
    if stale:
        store.build_store(path)
    return path


def get_context() -> Context:
    """The loaded store; loaded again when the file changed (an import by this or another
    worker process). Raises :class:`indicators.store.StoreError`."""
    path = settings.store_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    return _load(str(path), stamp)


@lru_cache(maxsize=1)
def _load(path: str, stamp) -> Context:
    # an outdated store is built again (as `serve` does), also under gunicorn. A missing one
    # is reported with the way out (a wrong WIJKVEILIGHEID_STORE must not quietly get a fresh
    # store without the imports), and so is a corrupt one.
    if Path(path).exists():
        ensure_store(Path(path))
    return build_context(store.read_store(Path(path)))


def reset() -> None:
    """Forget the loaded data (after a rebuild or import, and in tests)."""
    _load.cache_clear()


def build_context(data: store.StoreData) -> Context:
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
    minx, miny, maxx, maxy = web_w.total_bounds
    version = data.meta.get("source_fingerprint", "0")
    return Context(
        data=data,
        public_obs=public_observations(
            data.observations, data.indicators, cbs_sources(data.sources)
        ),
        areas={k: v.reset_index(drop=True) for k, v in areas.items()},
        geojson=geojson,
        geojson_text={k: json.dumps(v, separators=(",", ":")) for k, v in geojson.items()},
        geojson_url={k: f"/geo/{k}.geojson?v={version}" for k in geojson},
        centre={"lon": round((minx + maxx) / 2, 5), "lat": round((miny + maxy) / 2, 5)},
    )


def _feature_collection(gdf, code_col: str) -> dict:
    """Minimal GeoJSON: only the geometry and the code as feature id."""
    raw = json.loads(gdf[[code_col, "geometry"]].to_json(drop_id=True))
    for feature in raw["features"]:
        feature["id"] = feature.pop("properties")[code_col]
    return raw
