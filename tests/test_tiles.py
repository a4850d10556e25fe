"""The map's vector tiles (issue 17): the PMTiles archive per level (layers, codes, names, no
figures; read back with pyogrio's GDAL) and how the app serves it (Range, ETag, caching, the
Host check) through the real Flask test client."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import box

from dashboard import tiles
from geodata import tiles as geotiles


def read_back(tmp_path, archive: bytes, name: str = "a.pmtiles"):
    path = tmp_path / name
    path.write_bytes(archive)
    layers = dict(pyogrio.list_layers(path).tolist())
    return path, layers


@pytest.fixture()
def tiny_archive(tiny_buurten):
    polygons = tiny_buurten.rename(columns={"buurtcode": "code"})
    points = polygons.rename(columns={"buurtnaam": "name"})
    points = points.set_geometry(points.geometry.representative_point())
    return geotiles.level_archive(polygons, points, "buurt")


def test_an_archive_has_the_polygons_and_the_label_points(tmp_path, tiny_archive):
    path, layers = read_back(tmp_path, tiny_archive)
    assert layers == {"buurt": "Polygon", "buurt_punt": "Point"}
    shapes = pyogrio.read_dataframe(path, layer="buurt")
    assert sorted(set(shapes["code"])) == ["BU01640000", "BU01640001", "BU01640100", "BU01640101"]
    # only the code travels: no names, wijken or figures in the polygon layer
    assert set(shapes.columns) <= {"mvt_id", "code", "geometry"}
    points = pyogrio.read_dataframe(path, layer="buurt_punt")
    assert dict(zip(points["code"], points["name"], strict=True))["BU01640101"] == "D"
    assert set(points.columns) <= {"mvt_id", "code", "name", "geometry"}
    info = pyogrio.read_info(path, layer="buurt")["dataset_metadata"]
    assert (info["minzoom"], info["maxzoom"]) == (str(geotiles.MIN_ZOOM), str(geotiles.MAX_ZOOM))


def test_a_name_is_in_the_tiles_from_the_zoom_where_its_area_is_wide_enough(tmp_path):
    # two 100 m buurten (8 px wide from zoom 12) and a 2 km one (from zoom 8)
    polygons = gpd.GeoDataFrame(
        {"code": ["A", "B", "C"], "name": ["a", "b", "c"]},
        geometry=[
            box(250000, 470000, 250100, 470100),
            box(250100, 470000, 250200, 470100),
            box(251000, 470000, 253000, 472000),
        ],
        crs="EPSG:28992",
    )
    points = polygons.set_geometry(polygons.geometry.representative_point())
    path, _ = read_back(
        tmp_path, geotiles.level_archive(polygons[["code", "geometry"]], points, "buurt")
    )
    named = {
        z: sorted(pyogrio.read_dataframe(path, layer="buurt_punt", ZOOM_LEVEL=z)["name"])
        for z in (8, 11, 12, 13)
    }
    assert named == {8: ["c"], 11: ["c"], 12: ["a", "b", "c"], 13: ["a", "b", "c"]}
    for z in (geotiles.MIN_ZOOM, 11, 13):  # every polygon at every zoom
        shapes = pyogrio.read_dataframe(path, layer="buurt", ZOOM_LEVEL=z)
        assert sorted(set(shapes["code"])) == ["A", "B", "C"]


def test_bad_input_is_refused_with_a_message(tiny_buurten):
    polygons = tiny_buurten.rename(columns={"buurtcode": "code"})
    with pytest.raises(ValueError, match="Geen gebieden"):
        geotiles.level_archive(polygons.iloc[:0], polygons.iloc[:0], "buurt")
    with pytest.raises(ValueError, match="coördinatenstelsel"):
        geotiles.level_archive(polygons.set_crs(None, allow_override=True), polygons, "buurt")


def test_the_real_archives_hold_every_area_and_no_figures(tmp_path, context):
    for level in ("wijk", "buurt"):
        path, layers = read_back(tmp_path, tiles.archive(context, level), f"{level}.pmtiles")
        assert set(layers) == {level, f"{level}_punt"}
        shapes = pyogrio.read_dataframe(path, layer=level)
        assert set(shapes["code"]) == set(context.areas[level]["code"])
        assert set(shapes.columns) <= {"mvt_id", "code", "geometry"}
        points = pyogrio.read_dataframe(path, layer=f"{level}_punt")
        names = dict(zip(context.areas[level]["code"], context.areas[level]["name"], strict=True))
        assert dict(zip(points["code"], points["name"], strict=True)) == names


def test_the_archive_is_made_once_and_kept_as_a_file(tmp_path):
    made = []

    def make():
        made.append(1)
        return b"PMTiles-one"

    first = geotiles.cached_archive(tmp_path, "v1", "wijk", make)
    again = geotiles.cached_archive(tmp_path, "v1", "wijk", make)
    assert first == again == b"PMTiles-one" and len(made) == 1
    geotiles.cached_archive(tmp_path, "v2", "wijk", lambda: b"PMTiles-two")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v2-wijk.pmtiles"]
    assert geotiles.cached_archive(None, "v3", "wijk", lambda: b"x") == b"x"


def test_the_areas_payload_names_the_versioned_archives(app, context):
    from dashboard.pages.kaart import areas_payload

    urls = areas_payload(context, "nl")["tegels"]
    version = tiles.tile_version(context)
    assert urls == {
        "wijk": f"/tegels/wijk.pmtiles?v={version}",
        "buurt": f"/tegels/buurt.pmtiles?v={version}",
    }


def test_the_archive_is_served_whole_with_its_version(client, context):
    url = tiles.tile_urls(context)["buurt"]
    response = client.get(url)
    assert response.status_code == 200
    assert response.data[:7] == b"PMTiles"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["ETag"].strip('"') == f"{tiles.tile_version(context)}-buurt"
    assert "Content-Encoding" not in response.headers  # the tiles are gzip inside already
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    # an old or missing version is served, but checked again next time
    assert client.get("/tegels/buurt.pmtiles?v=oud").headers["Cache-Control"] == "public, no-cache"


def test_ranges_are_served_as_pmtiles_readers_ask(client, context):
    whole = tiles.archive(context, "wijk")
    url = tiles.tile_urls(context)["wijk"]
    part = client.get(url, headers={"Range": "bytes=0-16383"})
    assert part.status_code == 206
    assert part.data == whole[:16384]
    assert part.headers["Content-Range"] == f"bytes 0-16383/{len(whole)}"
    assert part.headers["Content-Length"] == "16384"
    tail = client.get(url, headers={"Range": f"bytes={len(whole) - 10}-"})
    assert tail.status_code == 206 and tail.data == whole[-10:]
    beyond = client.get(url, headers={"Range": f"bytes={len(whole) + 5}-{len(whole) + 9}"})
    assert beyond.status_code == 416
    assert beyond.headers["Content-Range"] == f"bytes */{len(whole)}"
    # a valid range beyond the end is unsatisfiable, and so is a suffix of no bytes
    for header in ("bytes=999999999-", "bytes=-0"):
        refused = client.get(url, headers={"Range": header})
        assert refused.status_code == 416, header
        assert refused.headers["Content-Range"] == f"bytes */{len(whole)}"


@pytest.mark.parametrize(
    "header",
    ["bytes=abc", "items=0-5", "bytes=5-2", "bytes=9-2", "bytes=0-5,10-20", "bytes=-", "bytes"],
)
def test_a_malformed_range_is_ignored_and_the_whole_archive_sent(client, context, header):
    whole = tiles.archive(context, "wijk")
    response = client.get(tiles.tile_urls(context)["wijk"], headers={"Range": header})
    assert response.status_code == 200
    assert response.data == whole
    assert "Content-Range" not in response.headers
    assert response.headers["ETag"].strip('"') == f"{tiles.tile_version(context)}-wijk"


def test_if_range_with_an_old_etag_sends_the_whole_archive(client, context):
    whole = tiles.archive(context, "wijk")
    url = tiles.tile_urls(context)["wijk"]
    etag = client.get(url).headers["ETag"]
    fresh = client.get(url, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert fresh.status_code == 206 and fresh.data == whole[:10]
    stale = client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"oud-wijk"'})
    assert stale.status_code == 200 and stale.data == whole


@pytest.mark.parametrize(
    ("header", "served"),
    [
        ("bytes=0-0", True),
        ("BYTES=5-", True),
        ("bytes=-10", True),
        ("bytes=2-1", False),
        ("bytes=1-2,4-5", False),
        ("bytes=x-1", False),
        ("lines=1-2", False),
        ("bytes=-", False),
    ],
)
def test_which_ranges_are_served(header, served):
    assert tiles.range_is_served(header) is served


def test_a_known_etag_is_answered_not_modified(client, context):
    url = tiles.tile_urls(context)["wijk"]
    etag = client.get(url).headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_unknown_levels_and_hosts_are_refused(client):
    assert client.get("/tegels/provincie.pmtiles").status_code == 404
    assert client.get("/tegels/..%2Fwijk.pmtiles").status_code == 404
    other = client.get("/tegels/wijk.pmtiles", headers={"Host": "evil.example"})
    assert other.status_code == 400


def test_build_makes_the_tiles_beside_the_store(base_store, tmp_path, capsys):
    from dashboard import cli, data

    from conftest import copy_embedded

    copy = copy_embedded(base_store, tmp_path)
    try:
        cli._prepare_tiles(copy)
        version = tiles.tile_version(data.get_context())
    finally:
        data.use_store(base_store)
    assert "vectortegels (buurt, wijk)" in capsys.readouterr().out
    made = sorted(p.name for p in (tmp_path / "tegels").iterdir())
    assert made == [f"{version}-buurt.pmtiles", f"{version}-wijk.pmtiles"]
    assert (tmp_path / "tegels" / made[0]).read_bytes()[:7] == b"PMTiles"


def test_the_tile_files_are_open_to_the_group_only(tmp_path):
    folder = tmp_path / "tegels"
    geotiles.cached_archive(folder, "v1", "buurt", lambda: b"PMTiles")
    assert folder.stat().st_mode & 0o7777 == 0o2770
    assert (folder / "v1-buurt.pmtiles").stat().st_mode & 0o777 == 0o660


def test_both_store_backends_give_the_same_tiles(store, base_store, tmp_path):
    """PostGIS instances make the archive from the layers they read: the same code path."""
    from dashboard import data

    data.use_store(store)
    try:
        ctx = data.get_context()
        made = tiles.make_archive(ctx, "wijk")
        folder = tiles.cache_directory()
    finally:
        data.use_store(base_store)
    assert (folder is None) == (store.kind == "postgis")
    path, layers = read_back(tmp_path, made)
    assert set(layers) == {"wijk", "wijk_punt"}  # (multi)polygons, points
    assert len(pyogrio.read_dataframe(path, layer="wijk_punt")) == len(ctx.areas["wijk"])


def test_outlines_are_drawn_from_the_zoom_where_the_median_area_is_wide_enough(context):
    # Hengelo's buurten (median 760 m) from zoom 9, below the zoom its map opens at; 300 m
    # squares (a national grid of buurten) from zoom 11
    assert tiles.outline_zoom(context, "buurt") == 9
    squares = gpd.GeoDataFrame(
        {"code": ["A", "B"]},
        geometry=[box(250000, 470000, 250300, 470300), box(250300, 470000, 250600, 470300)],
        crs="EPSG:28992",
    )
    assert geotiles.outline_zoom(squares) == 11
