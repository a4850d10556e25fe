"""The map's label glyphs (assets/vendor/build_glyphs.py): the hand-written protobuf writer, the
signed distance field and the vendored PBFs MapLibre reads."""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
GLYPHS = ROOT / "assets" / "vendor" / "glyphs"
_spec = importlib.util.spec_from_file_location(
    "build_glyphs", ROOT / "assets" / "vendor" / "build_glyphs.py"
)
build_glyphs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_glyphs)


@pytest.mark.parametrize(
    ("value", "encoded"), [(0, b"\x00"), (1, b"\x01"), (127, b"\x7f"), (300, b"\xac\x02")]
)
def test_varint(value, encoded):
    assert build_glyphs.varint(value) == encoded
    assert build_glyphs.read_varint(encoded, 0) == (value, len(encoded))


@pytest.mark.parametrize(("value", "stored"), [(0, 0), (-1, 1), (1, 2), (-2, 3), (-23, 45)])
def test_sint32_is_zigzag(value, stored):
    assert build_glyphs.zigzag(value) == stored


def test_a_range_decodes_to_what_was_written():
    glyphs = [
        {
            "id": 65,
            "width": 2,
            "height": 1,
            "left": -1,
            "top": -23,
            "advance": 3,
            "bitmap": bytes(range(8 * 7)),
        },
        {"id": 32, "width": 0, "height": 0, "left": 0, "top": -5, "advance": 7, "bitmap": b""},
    ]
    data = build_glyphs.encode_range("Test Sans", 0, 255, glyphs)
    assert data[0] == 0x0A  # field 1 (stacks), length-delimited
    [stack] = build_glyphs.decode(data)
    assert stack["name"] == "Test Sans" and stack["range"] == "0-255"
    assert stack["glyphs"] == glyphs


def test_the_distance_field_puts_the_outline_at_191():
    alpha = np.zeros((20, 20))
    alpha[6:14, 6:14] = 1.0
    field = build_glyphs.sdf(alpha).astype(int)
    assert field[10, 10] > 191 + 255 / 8 * 2  # well inside: above the cut-off
    assert field[0, 0] < 191 - 255 / 8 * 5  # far outside
    assert 191 - 20 < field[10, 6] < 255 and 150 < field[10, 5] < 191  # across the edge


def vendored() -> list[Path]:
    return sorted(GLYPHS.glob("*/*.pbf"))


def test_every_fontstack_and_range_is_vendored():
    names = {
        f"{name}/{a}-{b}.pbf" for name in build_glyphs.FONTSTACKS for a, b in build_glyphs.RANGES
    }
    assert {f"{p.parent.name}/{p.name}" for p in vendored()} == names
    assert (GLYPHS / "LICENSE-DejaVu.txt").read_text().count("Bitstream") >= 2


@pytest.mark.parametrize("path", vendored(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_vendored_pbf_has_its_range_with_valid_bitmaps(path):
    [stack] = build_glyphs.decode(path.read_bytes())
    start, end = (int(x) for x in path.stem.split("-"))
    assert stack["name"] == path.parent.name and stack["range"] == path.stem
    ids = [g["id"] for g in stack["glyphs"]]
    assert ids == sorted(set(ids)) and start <= ids[0] and ids[-1] <= end
    for g in stack["glyphs"]:
        border = 2 * build_glyphs.BUFFER
        expected = (g["width"] + border) * (g["height"] + border) if g["width"] else 0
        assert len(g["bitmap"]) == expected, g["id"]  # MapLibre refuses any other size
        assert 0 <= g["advance"] <= 2 * build_glyphs.SIZE


@pytest.mark.parametrize("stack", sorted(build_glyphs.FONTSTACKS))
def test_dutch_names_are_covered(stack):
    found = {}
    for path in (GLYPHS / stack).glob("*.pbf"):
        found.update({g["id"]: g for g in build_glyphs.decode(path.read_bytes())[0]["glyphs"]})
    for char in "AZaz09éëïöüèáóúÉĲĳ'-()–’":
        assert ord(char) in found, char
    letter, space = found[ord("H")], found[ord(" ")]
    assert letter["width"] > 5 and letter["height"] > 10 and letter["advance"] > 10
    assert space["bitmap"] == b"" and space["advance"] > 0
    # letters share the baseline: H and x end on it, g and j go below
    assert found[ord("H")]["top"] - found[ord("H")]["height"] == (
        found[ord("x")]["top"] - found[ord("x")]["height"]
    )


@pytest.mark.skipif(
    not all((build_glyphs.FONT_DIR / f).exists() for f in build_glyphs.FONTSTACKS.values()),
    reason="DejaVu fonts not installed (Debian fonts-dejavu-core)",
)
def test_the_build_reproduces_the_vendored_files(tmp_path):
    for path in build_glyphs.build(out=tmp_path):
        vendored_file = GLYPHS / path.parent.name / path.name
        assert path.read_bytes() == vendored_file.read_bytes(), vendored_file


def test_the_app_serves_glyphs_compressed_and_cached_for_a_year(client):
    path = "/assets/vendor/glyphs/DejaVuSansCondensed/0-255.pbf"
    response = client.get(path + "?v=1", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.mimetype == "application/x-protobuf"
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    body = gzip.decompress(response.get_data())
    assert body == (GLYPHS / "DejaVuSansCondensed" / "0-255.pbf").read_bytes()
    assert len(response.get_data()) < len(body) / 2  # an SDF compresses well
    assert client.get("/assets/vendor/glyphs/Unknown/0-255.pbf").status_code == 404
