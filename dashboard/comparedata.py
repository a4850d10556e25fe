"""What ``/vergelijk`` computes, once per data version (issue 16).

A new compare query (another two to four areas) is not in the page cache; what it shows that
does not depend on the areas (the funnel's points and limits, the ranking of the wijken) is
kept here per indicator, and the comparison per query, so the table and the charts of one
page share it. The comparison itself is looked up in a
:class:`indicators.views.ComparisonIndex` per measure (:func:`compare_index`), not filtered
from the figures per query. Every entry belongs to one data context
(:class:`dashboard.data.Context`): a new data version starts empty. Values are shared:
callers must not change them.
"""

from __future__ import annotations

from functools import wraps

from dashboard.pagecache import _MISSING, VersionedCache
from dashboard.pagerates import measured
from dashboard.profile import members
from indicators.uncertainty import funnel_curve
from indicators.views import ComparisonIndex, funnel_points, ranking


def per_version(limit: int):
    """Decorate ``fn(ctx, *args)`` (hashable ``args``): its result once per data context and
    arguments, at most ``limit`` of them (least recently used go first)."""

    def decorate(fn):
        cache = VersionedCache(limit)

        @wraps(fn)
        def wrapped(ctx, *args):
            value = cache.get(ctx, args)
            if value is _MISSING:
                value = fn(ctx, *args)
                cache.put(ctx, args, value)
            return value

        wrapped.cache = cache
        return wrapped

    return decorate


@per_version(256)
def comparison_frame(
    ctx, areas: tuple[str, ...], indicators: tuple[str, ...], measure: str = "aantal"
):
    """:func:`indicators.views.comparison` of the public figures for ``areas`` (under
    ``measure`` ``per1000`` the counts' rates, :mod:`dashboard.pagerates`)."""
    return compare_index(ctx, measure).frame(list(areas), list(indicators))


@per_version(256)
def comparison_rows(ctx, areas: tuple[str, ...], indicators: tuple[str, ...], measure="aantal"):
    """The rows of :func:`comparison_frame` as {indicator: {area: row}} (no DataFrame to
    filter per indicator)."""
    out: dict = {}
    for row in compare_index(ctx, measure).rows(list(areas), list(indicators)):
        out.setdefault(row["indicator_id"], {})[row["area_code"]] = row
    return out


def source_texts(ctx, measure: str = "aantal") -> dict[tuple[str, str], str]:
    """(indicator, period) -> the sources of its public figures under ``measure`` as a page
    names them ("CBS, 2017"; several joined by "; "), once per data version."""
    measure = "per1000" if measure == "per1000" else "aantal"

    def build() -> dict:
        obs = measured(ctx, measure).obs
        sources = ctx.data.sources
        texts = {}
        for sid in obs["source_id"].dropna().unique():
            if sid in sources.index:
                who = str(sources.loc[sid, "attribution"]).removeprefix("Bron: ")
                year = _year(sources.loc[sid, "year"])
                known = year not in ("", "0") and year not in who
                texts[sid] = f"{who}, {year}" if known else who
        pairs = obs[["indicator_id", "period", "source_id"]].dropna().drop_duplicates()
        out: dict = {}
        for ind, period, sid in pairs.itertuples(index=False):
            if sid in texts:
                out.setdefault((ind, str(period)), []).append(texts[sid])
        return {key: "; ".join(sorted(set(v))) for key, v in out.items()}

    return ctx.once(("compare-sources", measure), build)


def _year(value) -> str:
    """A source's year as text ("2017"; "2019-2020" as it is; "" when missing)."""
    try:
        return str(int(float(value)))
    except (TypeError, ValueError, OverflowError):
        text = str(value or "").strip()
        return "" if text.lower() in ("nan", "none") else text


def compare_index(ctx, measure: str = "aantal") -> ComparisonIndex:
    """The :class:`indicators.views.ComparisonIndex` of the public figures under ``measure``,
    once per data version: what a new compare query looks up."""
    measure = "per1000" if measure == "per1000" else "aantal"

    def build() -> ComparisonIndex:
        shown = measured(ctx, measure)
        return ComparisonIndex(shown.obs, shown.catalogue, members(ctx))

    return ctx.once(("compare-index", measure), build)


@per_version(64)
def wijk_ranking(ctx, indicator: str, measure: str = "aantal"):
    """:func:`indicators.views.ranking` of all wijken for ``indicator``."""
    codes = list(ctx.areas["wijk"]["code"])
    shown = measured(ctx, measure)
    return ranking(shown.obs, shown.catalogue, indicator, "wijk", codes)


@per_version(64)
def funnel_parts(ctx, indicator: str):
    """The funnel of ``indicator`` over every buurt and wijk: (points, curve), the curve None
    without points."""
    levels = {c: "buurt" for c in ctx.areas["buurt"]["code"]}
    levels.update({c: "wijk" for c in ctx.areas["wijk"]["code"]})
    points = funnel_points(ctx.public_obs, ctx.data.indicators, indicator, levels, members(ctx))
    if points.empty:
        return points, None
    curve = funnel_curve(
        float(points["reference"].iloc[0]),
        float(points["population"].max()),
        min_population=float(points["population"].min()),
    )
    return points, curve
