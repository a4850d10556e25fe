"""Classed colouring: quantile classes and colour-blind-safe sequential palettes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# ColorBrewer sequential schemes (colour-blind safe): OrRd for concern, Blues for neutral.
CONCERN = ("#fef0d9", "#fdcc8a", "#fc8d59", "#d7301f", "#990000")
NEUTRAL = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
MISSING_COLOUR = "#b4b4b4"
MAX_CLASSES = 5


@dataclass(frozen=True)
class Classes:
    """Class bounds (``lower[i]``..``upper[i]``), colours, and the class of every value."""

    lower: list[float]
    upper: list[float]
    colours: list[str]
    index: list[int | None]


def quantile_breaks(values: np.ndarray, k: int = MAX_CLASSES) -> list[float]:
    """Upper bounds of up to ``k`` quantile classes, taken from the data and never repeated."""
    distinct = np.unique(values)
    if len(distinct) <= k:
        return [float(v) for v in distinct]
    qs = np.quantile(values, np.linspace(0, 1, k + 1)[1:], method="inverted_cdf")
    return sorted({float(q) for q in qs})


def palette(polarity: str, k: int) -> list[str]:
    """``k`` colours, light to dark in the direction of concern.

    Higher-is-worse runs light->dark with the value, higher-is-better dark->light (so darker
    always means more concern); neutral uses a different hue, light->dark with the value.
    """
    base = NEUTRAL if polarity == "neutral" else CONCERN
    picks = np.linspace(0, len(base) - 1, k).round().astype(int) if k > 1 else [2]
    colours = [base[i] for i in picks]
    return colours[::-1] if polarity == "higher_better" else colours


def classify(values: list[float | None], polarity: str, k: int = MAX_CLASSES) -> Classes:
    """Quantile classes for ``values`` (missing values get class ``None``).

    >>> c = classify([1.0, 2.0, None, 3.0], "higher_worse")
    >>> c.index
    [0, 1, None, 2]
    """
    arr = np.array([np.nan if v is None else v for v in values], dtype=float)
    present = arr[~np.isnan(arr)]
    if present.size == 0:
        return Classes([], [], [], [None] * len(values))
    upper = quantile_breaks(present, k)
    lower = [float(present[present > prev].min()) for prev in [-np.inf] + upper[:-1]]
    index = [None if np.isnan(v) else int(np.searchsorted(upper, v, side="left")) for v in arr]
    return Classes(lower, upper, palette(polarity, len(upper)), index)
