"""The map's vector tiles: ``/tegels/<level>.pmtiles``, one PMTiles archive per level.

Made once per version of the web geometry (:func:`tile_version`, a hash of the codes, names
and shapes), never per request: in memory per process, and for the embedded store also as a
file beside it (``<store dir>/tegels/``, written by ``wijkveiligheid build``), so the workers
of an instance read it instead of making it again. PostGIS instances make it from the layers
they read, the same code path. Served with HTTP Range requests (``Accept-Ranges``, 206, 416,
``ETag``, ``If-Range``), a year's cache when the URL names the current version; through the
app, so the Host check and the security headers apply as to every answer.

One byte range is served: ``bytes=first-last``, ``bytes=first-`` or ``bytes=-suffix``. A
Range header that is not one such range (another unit, no numbers, last before first, several
ranges) is ignored and the whole archive is sent with 200, as RFC 9110 section 14.2 asks of an
invalid range and allows for any range; a valid range that lies beyond the archive (or a
suffix of zero bytes) is answered 416 with ``Content-Range: bytes */<size>``.
"""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path

import geopandas as gpd
import shapely
from flask import Flask, Response, request
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from dashboard import data
from geodata import tiles as geotiles

LEVEL_COLUMNS = {"buurt": ("buurtcode", "buurtnaam"), "wijk": ("wijkcode", "wijknaam")}
MIMETYPE = "application/vnd.pmtiles"
YEAR = 31536000
ONE_RANGE = re.compile(r"bytes=(\d*)-(\d*)", re.IGNORECASE)
FORMAT = "2"  # bump when the archive's layout changes: a new version for every browser cache

_memory: dict[tuple[str, str], bytes] = {}
_lock = threading.Lock()


def tile_version(ctx: data.Context) -> str:
    """A short hash of what the tiles hold (codes, names, shapes, zoom range) for ``ctx``."""
    return ctx.once("tile-version", lambda: _geometry_hash(ctx))


def _geometry_hash(ctx: data.Context) -> str:
    zooms = f"{geotiles.MIN_ZOOM}:{geotiles.MAX_ZOOM}:{geotiles.LABEL_PIXELS}"
    digest = hashlib.sha256(f"{FORMAT}:{zooms}".encode())
    for level in LEVEL_COLUMNS:
        frame = level_frame(ctx, level)
        digest.update("\n".join(frame["code"] + "\t" + frame["name"]).encode())
        digest.update(b"".join(shapely.to_wkb(frame.geometry.values)))
    return digest.hexdigest()[:16]


def tile_urls(ctx: data.Context) -> dict[str, str]:
    """The archive URL of every level, versioned (the browser caches them for a year)."""
    version = tile_version(ctx)
    return {level: f"/tegels/{level}.pmtiles?v={version}" for level in LEVEL_COLUMNS}


def level_frame(ctx: data.Context, level: str) -> gpd.GeoDataFrame:
    """The web geometry of ``level`` as ``code``, ``name``, geometry."""
    frame = ctx.data.web_buurten if level == "buurt" else ctx.data.web_wijken
    code, name = LEVEL_COLUMNS[level]
    out = frame[[code, name, frame.geometry.name]].rename(columns={code: "code", name: "name"})
    return out.astype({"code": str, "name": str})


def outline_zoom(ctx: data.Context, level: str) -> int:
    """The zoom from which the map outlines the areas of ``level`` (geodata.tiles)."""
    return ctx.once(f"outline-zoom-{level}", lambda: geotiles.outline_zoom(level_frame(ctx, level)))


def make_archive(ctx: data.Context, level: str) -> bytes:
    """Write the archive of ``level``: polygons with their code, label points with code and
    name (the representative point, as the map's names use)."""
    frame = level_frame(ctx, level)
    points = frame.set_geometry(frame.geometry.representative_point())
    return geotiles.level_archive(frame[["code", frame.geometry.name]], points, level)


def cache_directory() -> Path | None:
    """Where the archives are kept as files: beside the embedded store, else nowhere."""
    path = getattr(data.current_store(), "path", None)
    return Path(path).parent / "tegels" if path else None


def archive(ctx: data.Context, level: str) -> bytes:
    """The archive of ``level`` for ``ctx``: from memory, else from the cache file, else made
    (and kept in both). Threads asking at once wait for one another."""
    found = _memory.get((tile_version(ctx), level))
    return found if found is not None else _load(ctx, level)


def _load(ctx: data.Context, level: str) -> bytes:
    key = (tile_version(ctx), level)
    with _lock:
        known = _memory.get(key)
        made = geotiles.cached_archive(
            cache_directory(), key[0], level, lambda: known or make_archive(ctx, level)
        )
        for old in [k for k in _memory if k[0] != key[0]]:
            del _memory[old]  # one geometry version in memory
        _memory[key] = made
        return made


def prepare(ctx: data.Context) -> list[str]:
    """Make the archives of every level now and keep them as files beside the store (after a
    build, before serving); returns the levels."""
    return [level for level in LEVEL_COLUMNS if _load(ctx, level)]


def tiles_response(level: str) -> Response:
    """The archive of ``level`` with Range, ETag and cache headers; 404 for another level."""
    if level not in LEVEL_COLUMNS:
        return Response("Onbekend niveau", status=404, mimetype="text/plain")
    ctx = data.get_context()
    version = tile_version(ctx)
    body = archive(ctx, level)
    response = Response(body, mimetype=MIMETYPE)
    response.set_etag(f"{version}-{level}")
    current = request.args.get("v") == version
    response.headers["Cache-Control"] = (
        f"public, max-age={YEAR}, immutable" if current else "public, no-cache"
    )
    environ = served_range_environ(request.environ, len(body))
    return response.make_conditional(environ, accept_ranges=True, complete_length=len(body))


def range_is_served(header: str) -> bool:
    """Whether ``header`` is one byte range this server serves (RFC 9110 section 14.1.1):
    ``first-last`` with last not before first, ``first-`` or ``-suffix``."""
    match = ONE_RANGE.fullmatch(header.strip())
    if match is None or match.group(1) == match.group(2) == "":
        return False
    first, last = match.groups()
    return not (first and last) or int(last) >= int(first)


def served_range_environ(environ: dict, length: int) -> dict:
    """``environ`` without a Range header that is not served (so the whole archive goes out);
    a zero-byte suffix is refused with 416 (werkzeug would read it as the whole archive)."""
    header = environ.get("HTTP_RANGE")
    if header is None:
        return environ
    if not range_is_served(header):
        return {key: value for key, value in environ.items() if key != "HTTP_RANGE"}
    if ONE_RANGE.fullmatch(header.strip()).group(1) == "" and int(header.split("-")[-1]) == 0:
        raise RequestedRangeNotSatisfiable(length=length)
    return environ


def init_app(server: Flask) -> None:
    """Register ``/tegels/<level>.pmtiles``."""
    server.add_url_rule(
        "/tegels/<level>.pmtiles", "vector_tiles", lambda level: tiles_response(level)
    )
