"""Build the map's glyph PBFs from DejaVu Sans Condensed (regular and bold), so MapLibre draws
the area names as a symbol layer with fonts served by the app (no glyph server elsewhere).

    python3 assets/vendor/build_glyphs.py            # writes assets/vendor/glyphs/
    python3 assets/vendor/build_glyphs.py --fonts /usr/share/fonts/truetype/dejavu --out DIR

The format is the Mapbox/MapLibre glyph protobuf (``glyphs.proto`` of node-fontnik): per
range of 256 code points one ``glyphs`` message with one ``fontstack`` (name, range) holding a
``glyph`` per code point the font has (id, bitmap, width, height, left, top, advance). The
bitmap is a signed distance field of the glyph at 24 px with a border of 3 px on each side,
``(width + 6) * (height + 6)`` bytes, 191 on the outline (cut-off 0.25) and falling by 255/8
per pixel (radius 8), as fontnik and MapLibre's own TinySDF write it. ``top`` is the glyph's
top above the baseline minus the font's ascender, as fontnik writes it.

Rendering: Pillow (FreeType) draws each glyph with anti-aliasing; scipy's Euclidean distance
transform gives the distances, refined on the anti-aliased edge pixels by their coverage.
Same fonts and the same Pillow/FreeType give the same bytes. DejaVu fonts: Bitstream Vera
licence (glyphs/LICENSE-DejaVu.txt).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

SIZE = 24  # px: MapLibre scales the 24 px SDF to every text-size
BUFFER = 3  # px of border around each glyph
RADIUS = 8  # px over which the distance falls from 255 to 0
CUTOFF = 0.25  # the outline sits at 255 * (1 - CUTOFF) = 191
# Basic Latin and Latin-1, Latin Extended-A (ĳ, ł, ő ...), general punctuation (– ‘ ’ “ ” …)
RANGES = ((0, 255), (256, 511), (8192, 8447))
FONTSTACKS = {
    "DejaVuSansCondensed": "DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold": "DejaVuSansCondensed-Bold.ttf",
}
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
OUT = Path(__file__).resolve().parent / "glyphs"


# ---------- protobuf, written and read by hand (three message types, five field kinds) ------


def varint(value: int) -> bytes:
    """An unsigned varint."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def zigzag(value: int) -> int:
    """A signed integer as protobuf's sint32 stores it."""
    return (value << 1) ^ (value >> 31)


def field_varint(number: int, value: int) -> bytes:
    return varint(number << 3) + varint(value)


def field_bytes(number: int, value: bytes) -> bytes:
    return varint(number << 3 | 2) + varint(len(value)) + value


def encode_glyph(glyph: dict) -> bytes:
    """One ``glyph`` message (id, bitmap, width, height, left, top, advance)."""
    out = field_varint(1, glyph["id"])
    if glyph["bitmap"]:
        out += field_bytes(2, glyph["bitmap"])
    out += field_varint(3, glyph["width"]) + field_varint(4, glyph["height"])
    out += field_varint(5, zigzag(glyph["left"])) + field_varint(6, zigzag(glyph["top"]))
    return out + field_varint(7, glyph["advance"])


def encode_range(name: str, start: int, end: int, glyphs: list[dict]) -> bytes:
    """The ``glyphs`` message of one range: one fontstack holding its glyphs."""
    stack = field_bytes(1, name.encode()) + field_bytes(2, f"{start}-{end}".encode())
    stack += b"".join(field_bytes(3, encode_glyph(g)) for g in glyphs)
    return field_bytes(1, stack)


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def fields(data: bytes):
    """(field number, value) of a message: ints for varints, bytes for length-delimited."""
    pos = 0
    while pos < len(data):
        key, pos = read_varint(data, pos)
        number, kind = key >> 3, key & 7
        if kind == 0:
            value, pos = read_varint(data, pos)
        elif kind == 2:
            length, pos = read_varint(data, pos)
            value, pos = data[pos : pos + length], pos + length
        else:
            raise ValueError(f"unexpected wire type {kind} of field {number}")
        yield number, value


def decode_glyph(data: bytes) -> dict:
    names = {1: "id", 2: "bitmap", 3: "width", 4: "height", 5: "left", 6: "top", 7: "advance"}
    glyph = {"bitmap": b""}
    for number, value in fields(data):
        glyph[names[number]] = value
    for key in ("left", "top"):  # sint32: zigzag
        glyph[key] = (glyph[key] >> 1) ^ -(glyph[key] & 1)
    return glyph


def decode(data: bytes) -> list[dict]:
    """The fontstacks of a glyph PBF: [{name, range, glyphs: [glyph dicts]}]."""
    stacks = []
    for _, stack in fields(data):
        entry = {"glyphs": []}
        for number, value in fields(stack):
            if number == 3:
                entry["glyphs"].append(decode_glyph(value))
            else:
                entry["name" if number == 1 else "range"] = value.decode()
        stacks.append(entry)
    return stacks


# ---------- the signed distance field ------------------------------------------------------


def sdf(alpha: np.ndarray) -> np.ndarray:
    """The SDF bytes of an anti-aliased coverage image (0..1, border included)."""
    inside = alpha >= 0.5
    if not inside.any():
        outside = np.full(alpha.shape, float(RADIUS))
    else:
        outside = ndimage.distance_transform_edt(~inside) - 0.5
    within = ndimage.distance_transform_edt(inside) - 0.5
    distance = np.where(inside, -within, outside)
    edge = (alpha > 0) & (alpha < 1)
    distance = np.where(edge, 0.5 - alpha, distance)  # the coverage places the outline
    value = 255 - 255 * (distance / RADIUS + CUTOFF)
    return np.clip(np.round(value), 0, 255).astype(np.uint8)


def render(font: ImageFont.FreeTypeFont, code: int, ascender: int) -> dict:
    """One glyph: metrics and the SDF of its bitmap (none for an empty glyph like space)."""
    char = chr(code)
    glyph = {
        "id": code,
        "width": 0,
        "height": 0,
        "left": 0,
        "top": -ascender,
        "advance": round(font.getlength(char)),
        "bitmap": b"",
    }
    x0, y0, x1, y1 = font.getbbox(char, anchor="ls")
    if x1 <= x0 or y1 <= y0:
        return glyph
    image = Image.new("L", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(image).text((-x0, -y0), char, font=font, fill=255, anchor="ls")
    ink = image.getbbox()  # the box Pillow reports can be wider than the ink
    if ink is None:
        return glyph
    left, top, right, bottom = ink
    alpha = np.pad(np.asarray(image.crop(ink), dtype=float) / 255, BUFFER)
    return dict(
        glyph,
        width=right - left,
        height=bottom - top,
        left=x0 + left,
        top=-(y0 + top) - ascender,
        bitmap=sdf(alpha).tobytes(),
    )


def covered(path: Path) -> set[int]:
    """The code points the font has a glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as face:
        return set(face.getBestCmap())


def build(font_dir: Path = FONT_DIR, out: Path = OUT) -> list[Path]:
    """Write <out>/<fontstack>/<start>-<end>.pbf for every fontstack and range."""
    written = []
    for name, filename in FONTSTACKS.items():
        path = font_dir / filename
        font = ImageFont.truetype(str(path), SIZE, layout_engine=ImageFont.Layout.BASIC)
        ascender = font.getmetrics()[0]
        codes = covered(path)
        for start, end in RANGES:
            glyphs = [render(font, c, ascender) for c in range(start, end + 1) if c in codes]
            target = out / name / f"{start}-{end}.pbf"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(encode_range(name, start, end, glyphs))
            written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fonts", type=Path, default=FONT_DIR, help="folder of the DejaVu .ttf")
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write the PBFs into")
    args = parser.parse_args()
    for path in build(args.fonts, args.out):
        print(path, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
