"""The map draws from the vector tiles (issue 17): one PMTiles archive per level read with Range
requests, features identified by their code, coloured with feature-state; no GeoJSON on the
way, pmtiles.js only on the map page, and the PNG export still holds the coloured map."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from test_browser import browser, page, server, settle, wait_for_map  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

# Per rendered feature of the level shown: its id, its code and the colour it is painted in,
# next to the colour the view payload gives its code.
PAINTED = """() => {
  const k = window.wijkveiligheidKaart, level = k.view.level, view = k.view;
  const codes = k.areas[level].codes;
  const feats = k.map.queryRenderedFeatures({layers: [level + '-fill']});
  return feats.map(f => {
    const i = codes.indexOf(f.properties.code), c = view.classes.charAt(i);
    const expected = c === '-' ? k.areas.constants.colours.missing : view.colours[+c];
    return [f.id, f.properties.code, f.state.colour, expected, Object.keys(f.properties)];
  });
}"""

SOURCE = """(level) => {
  const s = window.wijkveiligheidKaart.map.getStyle().sources[level];
  return [s.type, s.url, s.promoteId];
}"""


def resources(pg) -> list[str]:
    return pg.evaluate("performance.getEntriesByType('resource').map(e => e.name)")


def test_the_map_draws_and_colours_the_vector_tiles(page, server, context):  # noqa: F811
    page.goto(server + "/?niveau=buurt&indicator=pct_15_24&periode=2021")
    wait_for_map(page, "buurt", 50)
    settle(page)
    kind, url, promote = page.evaluate(SOURCE, "buurt")
    assert (kind, promote) == ("vector", "code")
    assert url.startswith("pmtiles://" + server + "/tegels/buurt.pmtiles?v=")
    loaded = resources(page)
    assert any("/tegels/buurt.pmtiles" in r for r in loaded)
    assert any("/assets/vendor/pmtiles.js?v=" in r for r in loaded)
    assert not any("/geo/" in r for r in loaded)  # no GeoJSON on the way
    painted = page.evaluate(PAINTED)
    codes = set(context.areas["buurt"]["code"])
    assert len({p[1] for p in painted}) >= 50
    for fid, code, colour, expected, props in painted:
        assert fid == code and code in codes  # the code is the feature id (promoteId)
        assert colour == expected, code
        assert props == ["code"]  # no figures in the tiles


def test_the_png_export_holds_the_coloured_map(page, server):  # noqa: F811
    page.goto(server + "/?niveau=wijk")
    wait_for_map(page, "wijk", 10)
    settle(page)
    with page.expect_download() as info:
        page.click("#kaart-png")
    image = Image.open(io.BytesIO(open(info.value.path(), "rb").read())).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 16) or []
    assert len(colours) > 20  # areas, borders and outline, not a blank canvas


def test_other_pages_load_no_tile_library(page, server):  # noqa: F811
    page.goto(server + "/thema")
    settle(page)
    assert not any("pmtiles" in r or "maplibre" in r for r in resources(page))
