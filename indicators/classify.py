"""Classed colouring: classes from mapclassify (Fisher-Jenks natural breaks, head/tail breaks) or
quantiles, and colour-blind-safe sequential palettes."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

# ColorBrewer sequential schemes (colour-blind safe): OrRd for concern, Blues for neutral.
CONCERN = ("#fef0d9", "#fdcc8a", "#fc8d59", "#d7301f", "#990000")
NEUTRAL = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
MISSING_COLOUR = "#b4b4b4"
MAX_CLASSES = 5


@dataclass(frozen=True)
class Classes:
    """Class bounds (``lower[i]``..``upper[i]``: the smallest and largest value in the class),
    colours, and the class of every value."""

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


METHODS = ("fisher_jenks", "head_tail", "quantiles")
# Fisher-Jenks is O(k n^2): above this many values it is fitted on evenly spaced quantiles
JENKS_SAMPLE = 80


def jenks_breaks(values: np.ndarray, k: int = MAX_CLASSES) -> list[float]:
    """Upper bounds of up to ``k`` Fisher-Jenks classes (natural breaks), deterministic: a large
    set is fitted on ``JENKS_SAMPLE`` evenly spaced quantiles of it, with the maximum kept.

    >>> jenks_breaks(np.array([5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 90.0]), 3)
    [7.0, 10.0, 90.0]
    """
    import mapclassify

    distinct = np.unique(values)
    if len(distinct) <= k:
        return [float(v) for v in distinct]
    sample = values
    if len(values) > JENKS_SAMPLE:
        sample = np.quantile(values, np.linspace(0, 1, JENKS_SAMPLE), method="inverted_cdf")
    with warnings.catch_warnings():  # "Numba not installed": the pure version is fast enough
        warnings.simplefilter("ignore", UserWarning)
        bins = mapclassify.FisherJenks(sample, k=k).bins
    return sorted({float(b) for b in bins} | {float(values.max())})


def head_tail_breaks(values: np.ndarray, k: int = MAX_CLASSES) -> list[float]:
    """Upper bounds of head/tail breaks (Jiang 2013: split at the mean, again in the head) for
    heavy-tailed data; at most ``k`` classes (the last head is merged).

    >>> head_tail_breaks(np.array([1.0, 1.0, 2.0, 2.0, 4.0, 40.0, 90.0]))
    [20.0, 65.0, 90.0]
    """
    import mapclassify

    distinct = np.unique(values)
    if len(distinct) <= 2:
        return [float(v) for v in distinct]
    bins = [float(b) for b in mapclassify.HeadTailBreaks(values).bins]
    if len(bins) > k:
        bins = bins[: k - 1] + [bins[-1]]
    return sorted(set(bins))


BREAKS = {"fisher_jenks": jenks_breaks, "head_tail": head_tail_breaks}


def method_breaks(values: np.ndarray, method: str, k: int = MAX_CLASSES) -> list[float]:
    """Upper class bounds by ``method`` (one of ``METHODS``; anything else: quantiles)."""
    return BREAKS.get(method, quantile_breaks)(values, k)


def classify(
    values: list[float | None], polarity: str, k: int = MAX_CLASSES, method: str = "quantiles"
) -> Classes:
    """Classes for ``values`` by ``method`` (missing values get class ``None``); classes left
    empty are dropped, so every legend entry has an area.

    >>> c = classify([1.0, 2.0, None, 3.0], "higher_worse")
    >>> c.index
    [0, 1, None, 2]
    >>> classify([6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 90.0], "higher_worse", 3, "fisher_jenks").index
    [0, 0, 0, 1, 1, 1, 2]
    """
    arr = np.array([np.nan if v is None else v for v in values], dtype=float)
    present = arr[~np.isnan(arr)]
    if present.size == 0:
        return Classes([], [], [], [None] * len(values))
    breaks = method_breaks(present, method, k)
    used = np.unique(np.searchsorted(breaks, present, side="left"))
    breaks = [breaks[i] for i in used]
    classes = np.searchsorted(breaks, np.nan_to_num(arr), side="left")
    of_present = np.searchsorted(breaks, present, side="left")
    # the bounds shown are the smallest and largest value in each class, never a break that
    # no area has (head/tail breaks split at means: '6,0 – 19,8' when the largest was 16,0)
    lower = [float(present[of_present == i].min()) for i in range(len(breaks))]
    upper = [float(present[of_present == i].max()) for i in range(len(breaks))]
    index = np.where(np.isnan(arr), None, classes).tolist()
    return Classes(lower, upper, palette(polarity, len(upper)), index)
