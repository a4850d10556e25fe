"""Text layout of a G32 spider: axis labels that carry their score, wrapped to the room
they have, and margins that hold them, so that no text overlaps another or is cut off.

Plotly reserves no room for the labels of a polar subplot (polar axes have no automargin)
and wraps nothing: both are worked out here from the labels. The scores are printed in
the axis labels, not next to the points, where they collided with the labels of the outer
ring and with each other; the radial tick numbers are left out (the dashed ring is named
in the legend as the benchmark mean of 100).

Widths are estimates (:data:`CHAR_WIDTH` of the font size per character, with room to
spare); the browser tests measure the drawn text (tests/test_browser_overlap.py).
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

CHAR_WIDTH = 0.6  # of the font size, for the widest of the browsers' sans-serif fonts
LINE_HEIGHT = 1.3  # of the font size
PAD = 14  # px between the circle and its labels (plotly's tick length and gap)
GAP = 10  # px kept free between two labels
MIN_CHARS, MAX_CHARS = 9, 28


def score_text(score: float) -> str:
    """A score as printed on a spider axis (G32 scores are whole numbers)."""
    return f"{score:.0f}"


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` characters (words are not split).

    >>> wrap("Uitgaans- en horecaoverlast (objectief)", 16)
    ['Uitgaans- en', 'horecaoverlast', '(objectief)']
    """
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


def axis_angles(count: int) -> list[float]:
    """The angle (degrees, counterclockwise from east) of each axis: the first at the top,
    the others clockwise, as the spider is drawn (``rotation=90, direction='clockwise'``)."""
    return [90 - i * 360 / count for i in range(count)]


def label_lines(label: str, score: float, chars: int) -> list[str]:
    """The label wrapped to ``chars`` characters a line, its score on the last line."""
    return wrap(f"{label} {score_text(score)}", chars)


def as_tick(lines: list[str]) -> str:
    """Lines as a plotly tick label, the score (the last word) in bold."""
    head, _, score = lines[-1].rpartition(" ")
    last = f"{head} <b>{score}</b>" if head else f"<b>{score}</b>"
    return "<br>".join(lines[:-1] + [last])


def initial_chars(angle: float, room: float, font: float) -> int:
    """Characters per line to start from: near the top and bottom, where the neighbours
    stand beside a label, as wide as the room between the spokes; at the sides, where they
    stand above and below, wide (few lines)."""
    if abs(math.cos(math.radians(angle))) < 0.7:
        return max(MIN_CHARS, min(MAX_CHARS, int((room - GAP) / (CHAR_WIDTH * font))))
    return MAX_CHARS


def label_box(lines: list[str], font: float) -> tuple[float, float]:
    """(width, height) in px of a label of ``lines`` in a font of ``font`` px (an estimate)."""
    return (
        max(len(line) for line in lines) * CHAR_WIDTH * font,
        len(lines) * LINE_HEIGHT * font,
    )


def placed_box(lines, angle: float, radius: float, font: float) -> tuple[float, ...]:
    """(left, bottom, right, top) of a label around a circle of ``radius`` centred at 0,
    y up, placed as plotly places angular tick labels: anchored at the end toward the
    circle (the middle within 0.1 of the vertical), hanging down by (1 - sin) / 2 of its
    height, a little further out below the circle (plotly.js ``src/plots/polar/polar.js``,
    the angular tick label functions)."""
    width, height = label_box(lines, font)
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    out = radius + PAD + font * (1.0 if sin < 0 else 0.2) * abs(sin)
    x, y = out * cos, out * sin
    if abs(cos) < 0.1:
        left = x - width / 2
    else:
        left = x if cos > 0 else x - width
    top = y + 0.5 * (1 + sin) * height
    return left, top - height, left + width, top


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two boxes come closer than :data:`GAP` px."""
    return min(a[2], b[2]) - max(a[0], b[0]) > -GAP and min(a[3], b[3]) - max(a[1], b[1]) > -GAP


def settle_chars(labels, scores, angles, radius, font) -> list[int]:
    """Characters per line of every label such that neighbouring labels keep apart where
    that can be done: of two that touch, one is made narrower (taller) or wider (fewer
    lines), whichever parts them without touching its other neighbour."""
    count = len(labels)
    room = 2 * math.pi * radius / count
    chars = [initial_chars(a, room, font) for a in angles]

    def box(i, width=None):
        lines = label_lines(labels[i], scores[i], width or chars[i])
        return placed_box(lines, angles[i], radius, font)

    def clear(i, width):
        return not any(overlap(box(i, width), box(n)) for n in {(i - 1) % count, (i + 1) % count})

    for _ in range(4 * count):
        touching = [i for i in range(count) if count > 2 and overlap(box(i), box((i + 1) % count))]
        if not touching:
            break
        for i in touching:
            upright = abs(math.cos(math.radians(angles[i]))) < 0.7
            options = [
                (k, chars[k] + step)
                for step in ((-1, -2, 2, 4) if upright else (2, 4, -1, -2))
                for k in (i, (i + 1) % count)
                if MIN_CHARS <= chars[k] + step <= MAX_CHARS
            ]
            k, width = next(
                (o for o in options if clear(*o)), options[0] if options else (i, chars[i])
            )
            chars[k] = width
    return chars


def reach(boxes, radius: float) -> dict:
    """How far (px) the labels reach beyond a circle of ``radius`` on each side."""
    return {
        "l": max(0.0, *(-b[0] - radius for b in boxes)),
        "b": max(0.0, *(-b[1] - radius for b in boxes)),
        "r": max(0.0, *(b[2] - radius for b in boxes)),
        "t": max(0.0, *(b[3] - radius for b in boxes)),
    }


def fit(
    labels: list[str],
    scores: list[float],
    font: float,
    size: tuple[float, float],
    reserve: tuple[float, float],
) -> tuple[list[str], dict]:
    """The tick labels and the plotly margins of a spider of ``size`` (width, height px)
    with ``reserve`` (top, bottom px) kept for the title and legend: the radius and the
    wrapping settle together in a few rounds."""
    width, height = size
    angles = axis_angles(len(labels))
    radius = min(width, height - sum(reserve)) / 3
    for _ in range(5):
        chars = settle_chars(labels, scores, angles, radius, font)
        lines = [label_lines(*args) for args in zip(labels, scores, chars, strict=True)]
        boxes = [placed_box(ls, a, radius, font) for ls, a in zip(lines, angles, strict=True)]
        out = reach(boxes, radius)
        side = max(out["l"], out["r"]) + GAP
        tall = height - sum(reserve) - out["t"] - out["b"] - 2 * GAP
        radius = max(40.0, min(width / 2 - side, tall / 2))
    margin = {
        "t": round(reserve[0] + out["t"] + GAP),
        "b": round(reserve[1] + out["b"] + GAP),
        "l": round(side),
        "r": round(side),
    }
    return [as_tick(ls) for ls in lines], margin


def plain_labels(fig: go.Figure) -> tuple[list[str], list[float]]:
    """The axis names and scores of a spider built by ``radar_figure``."""
    axis = fig.layout.polar.angularaxis
    names = [str(v).replace("<br>", " ") for v in axis.tickvals]
    scores = list(fig.data[-1].r[: len(names)])
    return names, scores


def apply(fig: go.Figure, font: float, size, reserve) -> go.Figure:
    """Wrap the spider's labels and set its margins for ``size`` in a ``font`` px font."""
    ticktext, margin = fit(*plain_labels(fig), font, size, reserve)
    fig.update_layout(polar={"angularaxis": {"ticktext": ticktext}}, margin=margin)
    return fig
