"""Vector tiles of the web geometry: one PMTiles archive per level, written by pyogrio's GDAL.

An archive holds two layers (the contract with ``assets/kaart.js``):

- ``<level>``: the polygons, with only the property ``code`` (MapLibre ``promoteId: "code"``);
- ``<level>_punt``: one label point per area, with ``code`` and ``name``.

The figures never go into the tiles: a switch only recolours with feature-state. GDAL's
PMTiles driver writes one layer per dataset and cannot add a layer to a written archive, so
each layer is written on its own and the two archives are merged tile by tile: a Mapbox
Vector Tile is a protobuf message whose layers are a repeated field, so the concatenation of
two tiles is the tile with both layers.
"""

from __future__ import annotations

import gzip
import io
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pmtiles.reader import MemorySource, Reader, all_tiles
from pmtiles.tile import Compression, zxy_to_tileid
from pmtiles.writer import Writer

from geodata import WGS84

MIN_ZOOM = 6  # the Netherlands fits a phone's screen at about zoom 6
MAX_ZOOM = 13  # 0.7 m per tile unit at 52 degrees north: finer than the web geometry (1 m)
POINT_SUFFIX = "_punt"
LABEL_PIXELS = 8  # an area's name is in the tiles from the zoom where the area is this wide
TILE_PIXELS = 512  # MapLibre's zoom z shows the world 512 * 2**z pixels wide
WORLD_METRES = 40075016.686  # the width of the world in Web Mercator metres
MERCATOR = 3857
# Like the store beside them: the owner and the group (the service and CLI users) read and
# write, others nothing; the folder keeps the group (setgid).
FILE_MODE, DIRECTORY_MODE = 0o660, 0o2770


def level_archive(
    polygons: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame,
    level: str,
    min_zoom: int = MIN_ZOOM,
    max_zoom: int = MAX_ZOOM,
) -> bytes:
    """The PMTiles archive of one level, as bytes.

    ``polygons`` has the columns ``code`` and geometry, ``points`` the columns ``code``,
    ``name`` and geometry; any other column is left out. Raises ``ValueError`` for empty or
    unprojected input.
    """
    shapes = _layer_frame(polygons, ["code"])
    labels = _layer_frame(points, ["code", "name"])
    zooms = label_zooms(shapes, labels, min_zoom, max_zoom)
    with tempfile.TemporaryDirectory(prefix="tegels-") as tmp:
        path = Path(tmp) / f"{level}.pmtiles"
        write_layer(shapes, path, level, min_zoom, max_zoom)
        parts = [path.read_bytes()]
        name = level + POINT_SUFFIX
        for low, high in label_bands(zooms, max_zoom):
            path = Path(tmp) / f"{name}-{low}.pmtiles"
            write_layer(labels[zooms <= low], path, name, low, high)
            parts.append(path.read_bytes())
    return merge_archives(parts)


def label_zooms(shapes: gpd.GeoDataFrame, labels: gpd.GeoDataFrame, min_zoom: int, max_zoom: int):
    """Per label point, the first zoom whose tiles hold it: where its area is at least
    ``LABEL_PIXELS`` across on the screen (the square root of its area), so a tile holds only
    names that can have room (MapLibre's collision picks among those). Hengelo's smallest
    buurt (420 m) gets its name from zoom 10, below the zoom its map opens at; a national map
    opened at zoom 7 lays out no buurt name until the user zooms in."""
    size = np.sqrt(shapes.to_crs(MERCATOR).area.to_numpy())
    by_code = pd.Series(size, index=shapes["code"].to_numpy()).groupby(level=0).max()
    size = labels["code"].map(by_code).fillna(np.inf).to_numpy()
    return _wide_enough(size, min_zoom, max_zoom)


def _wide_enough(size, min_zoom: int, max_zoom: int):
    """The first zoom at which ``size`` Web Mercator metres are ``LABEL_PIXELS`` wide."""
    with np.errstate(divide="ignore"):
        zoom = np.ceil(np.log2(WORLD_METRES / TILE_PIXELS * LABEL_PIXELS / size))
    return np.clip(np.nan_to_num(zoom, posinf=max_zoom), min_zoom, max_zoom).astype(int)


def outline_zoom(shapes: gpd.GeoDataFrame, min_zoom: int = 0, max_zoom: int = MAX_ZOOM) -> int:
    """The zoom from which the map draws a level's outlines: where its median area is
    ``LABEL_PIXELS`` wide (Hengelo's buurten: 9, below where its map opens; a national grid of
    buurten: 11, so the country at zoom 8 is drawn without 14,000 outlines)."""
    size = np.sqrt(shapes.to_crs(MERCATOR).area.to_numpy())
    return int(_wide_enough(np.array([np.median(size)]), min_zoom, max_zoom)[0])


def label_bands(zooms, max_zoom: int) -> list[tuple[int, int]]:
    """The zoom bands to write the label points in: one zoom each up to the last zoom where a
    name is added, then that zoom to ``max_zoom`` (every name); the points of a band are those
    whose zoom is at most its low end."""
    low, top = int(zooms.min()), int(zooms.max())
    return [(z, z) for z in range(low, top)] + [(top, max_zoom)]


def _layer_frame(frame: gpd.GeoDataFrame, columns: list[str]) -> gpd.GeoDataFrame:
    if frame.crs is None:
        raise ValueError("De geometrie heeft geen coördinatenstelsel.")
    if frame.empty:
        raise ValueError("Geen gebieden om tegels van te maken.")
    out = frame[[*columns, frame.geometry.name]].to_crs(WGS84)
    return out.astype({c: str for c in columns}).reset_index(drop=True)


def write_layer(frame: gpd.GeoDataFrame, path: Path, name: str, min_zoom: int, max_zoom: int):
    """Write ``frame`` as a one-layer PMTiles archive at ``path`` (layer ``name``)."""
    frame.to_file(
        path,
        driver="PMTiles",
        engine="pyogrio",
        layer=name,
        NAME=name,
        MINZOOM=min_zoom,
        MAXZOOM=max_zoom,
    )


def merge_archives(parts: list[bytes]) -> bytes:
    """One PMTiles archive (gzip-compressed MVT) with the layers of every archive in ``parts``."""
    readers = [Reader(MemorySource(part)) for part in parts]
    tiles: dict[int, list[bytes]] = {}
    for part in parts:
        for (z, x, y), data in all_tiles(MemorySource(part)):
            tiles.setdefault(zxy_to_tileid(z, x, y), []).append(gzip.decompress(data))
    out = io.BytesIO()
    writer = Writer(out)
    for tile_id in sorted(tiles):
        writer.write_tile(tile_id, gzip.compress(b"".join(tiles[tile_id]), mtime=0))
    header = readers[0].header()
    if header["tile_compression"] != Compression.GZIP:
        raise ValueError("Onverwachte compressie van de tegels.")
    writer.finalize(header, _merged_metadata([r.metadata() for r in readers]))
    return out.getvalue()


def _merged_metadata(metadata: list[dict]) -> dict:
    merged = dict(metadata[0])
    layers: dict[str, dict] = {}
    for layer in (layer for m in metadata for layer in m.get("vector_layers", [])):
        known = layers.setdefault(layer["id"], dict(layer))  # a layer written in zoom bands
        for key, pick in (("minzoom", min), ("maxzoom", max)):
            if key in layer and key in known:
                known[key] = pick(known[key], layer[key])
    merged["vector_layers"] = list(layers.values())
    merged.pop("tilestats", None)
    merged["name"] = merged["description"] = ""
    return merged


def cached_archive(directory: Path | None, version: str, level: str, make) -> bytes:
    """The archive ``<directory>/<version>-<level>.pmtiles`` when it exists, else ``make()``
    written there (atomically, older versions of the level removed). ``directory`` None: no
    file, ``make()`` only. A directory that cannot be written is left alone."""
    if directory is None:
        return make()
    path = Path(directory) / f"{version}-{level}.pmtiles"
    if path.is_file():
        return path.read_bytes()
    made = make()
    try:
        _private_directory(Path(directory))
        with tempfile.NamedTemporaryFile(dir=directory, suffix=".tmp", delete=False) as tmp:
            tmp.write(made)
        Path(tmp.name).chmod(FILE_MODE)  # the server may run as another user than `build`
        Path(tmp.name).replace(path)
        for old in directory.glob(f"*-{level}.pmtiles"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only directory: the archive stays in memory only
    return made


def _private_directory(directory: Path) -> None:
    if not directory.is_dir():
        directory.mkdir(parents=True)
        try:
            directory.chmod(DIRECTORY_MODE)
        except OSError:
            pass  # not ours to change: the files still get their own mode
