"""Is an area really different from Hengelo? Comparisons that weigh chance.

A rate per 1,000 inhabitants in a small buurt moves a lot by chance alone. As public-health
small-area comparisons do (Spiegelhalter, *Funnel plots for comparing institutional
performance*, Stat Med 2005; the funnel plots of England's public-health profiles), an area's
rate is compared with Hengelo's through Poisson control limits that depend on the area's
population: 95% limits (about two standard deviations) and 99.8% limits (about three). Inside
the 95% limits the area is *vergelijkbaar*; outside them it is *gunstiger* or *ongunstiger*,
and outside the 99.8% limits that is unlikely to be chance at all. A survey percentage with a
known margin is *vergelijkbaar* when Hengelo's value lies within the margin.

Pure functions: numbers in, numbers or records out (scipy for the Poisson distribution).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats

LIMITS = {"95": (0.025, 0.975), "99.8": (0.001, 0.999)}
PER = {"per1000": 1000.0, "per10000": 10000.0}


def exact_poisson_interval(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) confidence interval of a Poisson count, from the chi-square quantiles.

    >>> [round(x, 3) for x in exact_poisson_interval(10)]
    [4.795, 18.39]
    """
    alpha = 1 - confidence
    lower = 0.0 if count <= 0 else stats.chi2.ppf(alpha / 2, 2 * count) / 2
    upper = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return float(lower), float(upper)


def poisson_control_limits(target_rate, populations, p, per=1000.0) -> np.ndarray:
    """:func:`poisson_control_limit` for arrays at once (scipy's distributions take arrays:
    three calls instead of three per limit); ``target_rate``, ``populations``, ``p`` and
    ``per`` broadcast against each other, so the limits of many areas, rates and levels come
    from one call. NaN where the population or the expected count is not positive.

    >>> [round(float(x), 2) for x in poisson_control_limits(10.0, [1000, 4000], 0.975)]
    [16.16, 13.09]
    >>> [round(float(x), 2) for x in poisson_control_limits([10.0, 5.0], 1000, [0.975, 0.025])]
    [16.16, 0.54]
    """
    pops, rate, q, scale = np.broadcast_arrays(
        np.atleast_1d(np.asarray(populations, dtype=float)),
        np.asarray(target_rate, dtype=float),
        np.asarray(p, dtype=float),
        np.asarray(per, dtype=float),
    )
    mean = rate * pops / scale
    valid = (pops > 0) & (mean > 0)
    out = np.full(pops.shape, np.nan)
    if not valid.any():
        return out
    m, n, q = mean[valid], pops[valid], q[valid]
    y = stats.poisson.ppf(q, m)
    upper, lower = stats.poisson.cdf(y, m), stats.poisson.cdf(y - 1, m)
    gap = upper - lower
    alpha = np.divide(upper - q, gap, out=np.zeros_like(gap), where=upper > lower)
    out[valid] = np.maximum(y - alpha, 0.0) / n * scale[valid]
    return out


def funnel_limits_many(target_rates, populations, pers) -> list[dict[str, float]]:
    """:func:`funnel_limits` of many (rate, population, per) at once, in one array call of
    :func:`poisson_control_limits`.

    >>> funnel_limits_many([10.0], [1000], [1000.0]) == [funnel_limits(10.0, 1000)]
    True
    """
    names = [f"{side}{level}" for level in LIMITS for side in ("lower", "upper")]
    probabilities = [p for level in LIMITS.values() for p in level]
    rates, pops, scale = (
        np.asarray(a, dtype=float)[:, None] for a in (target_rates, populations, pers)
    )
    limits = poisson_control_limits(rates, pops, np.asarray(probabilities)[None, :], scale)
    return [{n: float(v) for n, v in zip(names, row, strict=True)} for row in limits]


@lru_cache(maxsize=8192)
def poisson_control_limit(target_rate: float, population: float, p: float, per=1000.0) -> float:
    """The ``p`` control limit of a rate (per ``per`` inhabitants) for an area of
    ``population`` when its true rate is ``target_rate``: the ``p`` quantile of the Poisson
    count with mean ``target_rate * population / per``, interpolated between whole counts
    (Spiegelhalter 2005, appendix A.1.1), as a rate again. Remembered per arguments: the same
    area is weighed for its judgement and again for its table row.

    >>> round(poisson_control_limit(10.0, 1000, 0.975), 2)
    16.16
    """
    return float(poisson_control_limits(target_rate, population, p, per)[0])


def funnel_limits(target_rate: float, population: float, per=1000.0) -> dict[str, float]:
    """The four control limits of a funnel plot at ``population``: ``lower95``, ``upper95``,
    ``lower99.8`` and ``upper99.8``."""
    out = {}
    for name, (low, high) in LIMITS.items():
        out[f"lower{name}"] = poisson_control_limit(target_rate, population, low, per)
        out[f"upper{name}"] = poisson_control_limit(target_rate, population, high, per)
    return out


@dataclass(frozen=True)
class Weighed:
    """The outcome of comparing an area with Hengelo.

    ``judgement`` is 'better', 'similar', 'worse', 'neutral' (no direction is better) or, when
    nothing about the uncertainty is known, the plain 'better' / 'worse' / 'equal' with
    ``method`` None. ``method`` is 'poisson' or 'margin'; ``level`` is '95' or '99.8' for an
    area outside those limits.
    """

    judgement: str
    method: str | None = None
    level: str | None = None


def _direction(difference: float, polarity: str) -> str:
    worse = difference > 0 if polarity == "higher_worse" else difference < 0
    return "worse" if worse else "better"


def weigh(
    value: float,
    reference: float,
    polarity: str,
    unit: str,
    population: float | None = None,
    margin: float | None = None,
    limits: dict[str, float] | None = None,
) -> Weighed:
    """Compare ``value`` with the Hengelo ``reference``, weighing chance where we can.

    >>> weigh(4.7, 4.4, "higher_worse", "per1000", population=3000).judgement
    'similar'
    >>> weigh(12.0, 4.4, "higher_worse", "per1000", population=3000).judgement
    'worse'

    ``limits`` are the :func:`funnel_limits` at ``population`` when already known (from
    :func:`funnel_limits_many`).
    """
    if _missing(value) or _missing(reference) or polarity == "neutral":
        return Weighed("neutral")
    difference = value - reference
    if unit in PER and not _missing(population) and population > 0:
        limits = limits or funnel_limits(reference, population, PER[unit])
        for level in ("99.8", "95"):
            if not limits[f"lower{level}"] <= value <= limits[f"upper{level}"]:
                return Weighed(_direction(difference, polarity), "poisson", level)
        return Weighed("similar", "poisson")
    if not _missing(margin):
        if abs(difference) <= margin:
            return Weighed("similar", "margin")
        return Weighed(_direction(difference, polarity), "margin", "95")
    return Weighed("equal" if difference == 0 else _direction(difference, polarity))


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def funnel_curve(
    target_rate: float,
    max_population: float,
    per=1000.0,
    steps: int = 80,
    min_population: float | None = None,
):
    """The control limits of a funnel plot from ``min_population`` (default a small area) up
    to ``max_population``: records with ``population`` and the four limits (for drawing)."""
    start = max(min_population * 0.8 if min_population else max_population / 400, 50.0)
    ratio = (max_population * 1.05 / start) ** (1 / (steps - 1))
    populations = start * ratio ** np.arange(steps)
    limits = {}
    for name, (low, high) in LIMITS.items():
        limits[f"lower{name}"] = poisson_control_limits(target_rate, populations, low, per)
        limits[f"upper{name}"] = poisson_control_limits(target_rate, populations, high, per)
    return [
        {"population": float(p), **{k: float(v[i]) for k, v in limits.items()}}
        for i, p in enumerate(populations)
    ]
