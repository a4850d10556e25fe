"""Pure selections from the observations that pages show: map values, profiles, periods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodata.gemeente import GEMEENTE
from indicators import periods
from indicators.catalogue import comparable
from indicators.uncertainty import PER, funnel_limits_many, weigh


def latest_period(
    obs: pd.DataFrame,
    indicator: str,
    level: str,
    min_share: float = periods.DEFAULT_COVERAGE,
) -> str | None:
    """The most recent period of ``indicator`` at ``level`` that covers at least ``min_share``
    of the best-covered period's areas (so that a few new values for one buurt do not turn
    the whole map grey); values suppressed for privacy count as covered.

    >>> obs = pd.DataFrame({"indicator_id": "x", "level": "buurt", "status": "published",
    ...                     "period": ["2017", "2017", "2017", "2020"],
    ...                     "value": [1.0, 2.0, 3.0, 4.0], "area_code": ["a", "b", "c", "a"]})
    >>> latest_period(obs, "x", "buurt")
    '2017'
    """
    rows = obs[(obs["indicator_id"] == indicator) & (obs["level"] == level) & shown_mask(obs)]
    if rows.empty:
        return None
    counts = rows.groupby("period")["area_code"].nunique()
    return periods.latest_well_covered(counts, min_share)


def _latest_index(rows: pd.DataFrame):
    """Index label of the row with the most recent period."""
    return rows["period"].map(periods.sort_key).idxmax()


def shown_mask(obs: pd.DataFrame) -> pd.Series:
    """Rows that count as data: a value, or a value suppressed for privacy (the page then says
    why it is not shown)."""
    return obs["value"].notna() | (obs["status"] == "suppressed")


def indicators_with_data(
    obs: pd.DataFrame, catalogue: pd.DataFrame, level: str | None = None
) -> list[str]:
    """Catalogue ids (in catalogue order) with at least one value at ``level`` (any level when
    ``None``); a value that is suppressed for privacy counts. The one rule every page uses.

    >>> obs = pd.DataFrame({"indicator_id": ["a", "b", "c"], "level": ["wijk", "buurt", "wijk"],
    ...                     "value": [1.0, 2.0, None], "status": ["published"] * 2 + ["missing"]})
    >>> indicators_with_data(obs, pd.DataFrame(index=["c", "b", "a"]), "wijk")
    ['a']
    >>> indicators_with_data(obs, pd.DataFrame(index=["c", "b", "a"]))
    ['b', 'a']
    """
    mask = shown_mask(obs) if level is None else shown_mask(obs) & (obs["level"] == level)
    present = set(obs.loc[mask, "indicator_id"])
    return [i for i in catalogue.index if i in present]


def map_values(
    obs: pd.DataFrame, indicator: str, level: str, codes: list[str], period: str | None = None
) -> pd.DataFrame:
    """One row per area code in ``codes`` (same order): value, status, note, source, period.

    Areas without an observation get a missing value and status ``missing``.
    """
    period = period or latest_period(obs, indicator, level)
    rows = (
        obs[
            (obs["indicator_id"] == indicator) & (obs["level"] == level) & (obs["period"] == period)
        ]
        .drop_duplicates("area_code")
        .set_index("area_code")
    )
    out = rows.reindex(codes)[
        ["value", "status", "note", "source_id", "coverage_n", "coverage_total"]
    ]
    out["status"] = out["status"].fillna("missing")
    out["period"] = period
    return out.reset_index(names="area_code")


def reference_value(obs: pd.DataFrame, indicator: str, period: str | None) -> float:
    """The gemeente's value of ``indicator`` in ``period`` (NaN when there is none)."""
    rows = obs[
        (obs["indicator_id"] == indicator)
        & (obs["area_code"] == GEMEENTE.code)
        & (obs["period"] == period)
    ]
    return float(rows["value"].iloc[0]) if len(rows) else np.nan


def judgement(difference: float, polarity: str) -> str:
    """'better', 'worse', 'equal' or 'neutral' for a difference against the reference."""
    if np.isnan(difference) or polarity == "neutral":
        return "neutral"
    if difference == 0:
        return "equal"
    worse = difference > 0 if polarity == "higher_worse" else difference < 0
    return "worse" if worse else "better"


def area_members(buurt_to_wijk: dict[str, str]) -> dict[str, list[str]]:
    """The buurten that make up every area: a buurt itself, a wijk its buurten, Hengelo all.

    >>> area_members({"B1": "W1", "B2": "W1"})["W1"]
    ['B1', 'B2']
    """
    members = {b: [b] for b in buurt_to_wijk}
    for buurt, wijk in buurt_to_wijk.items():
        members.setdefault(wijk, []).append(buurt)
    members[GEMEENTE.code] = list(buurt_to_wijk)
    return members


def rate_base(ind) -> str:
    """The indicator whose values are the inhabitants behind a rate: the catalogue's weight or
    denominator, else ``inwoners``."""
    base = ind["weight"] if ind["aggregation"] == "weighted" else ind["denominator"]
    return base if isinstance(base, str) and base else "inwoners"


def rate_population(
    obs: pd.DataFrame, ind, code: str, period, members: list[str] | None = None
) -> float | None:
    """The inhabitants behind a rate of area ``code`` in ``period``: for a value derived from
    buurten, the inhabitants of the buurten that have a value (the covered part); otherwise
    the area's own base (the catalogue's weight or denominator). None when unknown."""
    base = rate_base(ind)
    same = obs[(obs["period"] == period) & obs["value"].notna()]
    own = same[(same["area_code"] == code) & (same["indicator_id"] == ind["id"])]
    derived = len(own) and own["status"].iloc[0] == "derived"
    if derived and members:
        covered = set(same.loc[same["indicator_id"] == ind["id"], "area_code"]) & set(members)
        pop = same[(same["indicator_id"] == base) & same["area_code"].isin(covered)]["value"]
        return float(pop.sum()) if len(pop) else None
    pop = same[(same["indicator_id"] == base) & (same["area_code"] == code)]["value"]
    return float(pop.iloc[0]) if len(pop) else None


def weighed_judgement(obs, ind, code, latest, reference, members=None) -> dict:
    """Judgement of one value against Hengelo, weighing chance (see
    :func:`indicators.uncertainty.weigh`): 'judgement', 'method', 'level', 'population'."""
    population = None
    if ind["unit"] == "per1000":
        population = rate_population(obs, ind, code, latest["period"], members)
    margin = latest.get("margin") if hasattr(latest, "get") else None
    result = weigh(latest["value"], reference, ind["polarity"], ind["unit"], population, margin)
    return {
        "judgement": result.judgement,
        "method": result.method,
        "level": result.level,
        "population": population,
    }


def _ind(catalogue: pd.DataFrame, indicator: str) -> dict:
    row = catalogue.loc[indicator]
    return {**row.to_dict(), "id": indicator}


def area_profile(
    obs: pd.DataFrame,
    catalogue: pd.DataFrame,
    code: str,
    level: str,
    peers: list[str],
    members: dict[str, list[str]] | None = None,
) -> pd.DataFrame:
    """Every indicator with a value for area ``code``: latest value, Hengelo value, difference,
    judgement weighed for chance (with ``members``, the buurten of each area, a derived rate
    is weighed on the inhabitants it covers), and rank among ``peers`` (1 = most concern)."""
    # only the rows read below (the area, its buurten, its peers and the gemeente), split per
    # indicator once instead of a filter over every observation per indicator
    near = {code, GEMEENTE.code, *peers, *((members or {}).get(code) or [])}
    obs = obs[obs["area_code"].isin(near) & obs["indicator_id"].isin(catalogue.index)]
    per_indicator = dict(tuple(obs.groupby("indicator_id", sort=False)))
    rows = []
    for ind in catalogue.itertuples():
        part = per_indicator.get(ind.id)
        mine = part[(part["area_code"] == code) & part["value"].notna()] if part is not None else ()
        if len(mine) == 0:
            continue
        base = per_indicator.get(rate_base(_ind(catalogue, ind.id)))
        rows.append(_profile_row(part, base, catalogue, ind, mine, code, level, peers, members))
    return pd.DataFrame(rows)


def _profile_row(part, base, catalogue, ind, mine, code, level, peers, members) -> dict:
    """One indicator of :func:`area_profile`: ``part`` its observations, ``base`` those of the
    inhabitants behind it (for a rate), ``mine`` the area's own."""
    latest = mine.loc[_latest_index(mine)]
    ref = reference_value(part, ind.id, latest["period"]) if code != GEMEENTE.code else np.nan
    # a count or an area is not comparable with the whole of Hengelo: no difference
    diff = latest["value"] - ref if comparable(ind.unit) else np.nan
    both = pd.concat([part, base]) if base is not None and ind.unit == "per1000" else part
    weighed = weighed_judgement(
        both,
        _ind(catalogue, ind.id),
        code,
        latest,
        ref if not np.isnan(diff) else np.nan,
        (members or {}).get(code),
    )
    values = _peer_values(part, ind.id, latest["period"], level, peers)  # once for both
    return {
        "indicator_id": ind.id,
        "period": latest["period"],
        "value": latest["value"],
        "status": latest["status"],
        "note": latest["note"],
        "source_id": latest["source_id"],
        "reference": ref,
        "difference": diff,
        **weighed,
        "rank": _rank_of(values, ind, code),
        "n_ranked": int(len(values)),
    }


def _peer_values(obs, indicator, period, level, peers) -> pd.Series:
    rows = obs[
        (obs["indicator_id"] == indicator)
        & (obs["period"] == period)
        & (obs["level"] == level)
        & obs["area_code"].isin(peers)
        & obs["value"].notna()
    ]
    return rows.set_index("area_code")["value"]


def _rank_of(values: pd.Series, ind, code):
    if code not in values.index or len(values) < 2:
        return None
    ascending = ind.polarity == "higher_better"
    return int(values.rank(ascending=ascending, method="min")[code])


def comparison(
    obs: pd.DataFrame,
    catalogue: pd.DataFrame,
    codes: list[str],
    indicators: list[str],
    members: dict[str, list[str]] | None = None,
    period: str | None = None,
) -> pd.DataFrame:
    """Long table for side-by-side comparison: one row per (indicator, area) with the value of
    that area in ``period`` (default: the latest period that all areas with data share, see
    :func:`common_period`), the gemeente's value of the same period, difference and a judgement
    weighed for chance."""
    obs = _comparison_obs(obs, catalogue, codes, indicators, members)
    rows = []
    for indicator in indicators:
        when = period or common_period(obs, indicator, codes)
        ref = reference_value(obs, indicator, when)
        ind = _ind(catalogue, indicator)
        for code in codes:
            rows.append(
                {
                    "indicator_id": indicator,
                    "area_code": code,
                    "period": when,
                    "reference": ref,
                    **_compared(obs, ind, code, when, ref, members),
                }
            )
    _weigh_compared(rows, catalogue)
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS) if rows else pd.DataFrame()


COMPARISON_COLUMNS = [
    "indicator_id",
    "area_code",
    "value",
    "period",
    "reference",
    "difference",
    "judgement",
    "method",
    "level",
    "population",
    "status",
]
MISSING_COMPARISON = {
    "value": np.nan,
    "difference": np.nan,
    "judgement": "neutral",
    "method": None,
    "level": None,
    "population": None,
    "status": "missing",
}


def _comparison_obs(obs, catalogue, codes, indicators, members) -> pd.DataFrame:
    """Only the rows a comparison reads: its indicators and the bases of their rates, for the
    areas, their buurten and the gemeente (one filter instead of one per area)."""
    ids = set(indicators) | {rate_base(_ind(catalogue, i)) for i in indicators}
    areas = set(codes) | {GEMEENTE.code}
    for code in codes:
        areas.update((members or {}).get(code) or [])
    return obs[obs["indicator_id"].isin(ids) & obs["area_code"].isin(areas)]


def _compared(obs, ind: dict, code: str, when, ref: float, members) -> dict:
    """Value, difference with the gemeente's ``ref`` (only where comparable, never for the
    gemeente itself), the inhabitants behind a rate and status of ``code`` in ``when``; the
    judgement follows in :func:`_weigh_compared`."""
    mine = obs[
        (obs["indicator_id"] == ind["id"])
        & (obs["area_code"] == code)
        & (obs["period"] == when)
        & obs["value"].notna()
    ]
    if mine.empty:
        return dict(MISSING_COMPARISON)
    latest = mine.iloc[0]
    judged = comparable(ind["unit"]) and code != GEMEENTE.code
    population = None
    if ind["unit"] == "per1000":
        population = rate_population(obs, ind, code, when, (members or {}).get(code))
    return {
        "value": latest["value"],
        "difference": latest["value"] - ref if judged else np.nan,
        "population": population,
        "status": latest["status"],
        "_against": ref if judged else np.nan,
        "_margin": latest.get("margin"),
    }


def _weigh_compared(rows: list[dict], catalogue: pd.DataFrame) -> None:
    """Add the judgement weighed for chance to every compared row; the Poisson limits of all
    rates come from one array call (:func:`indicators.uncertainty.funnel_limits_many`)."""
    weighed = [r for r in rows if "_against" in r]
    units = [catalogue.loc[r["indicator_id"], "unit"] for r in weighed]
    tested = [
        i
        for i, (r, unit) in enumerate(zip(weighed, units, strict=True))
        if unit in PER and r["population"] and not np.isnan(r["_against"])
    ]
    limits = funnel_limits_many(
        [weighed[i]["_against"] for i in tested],
        [weighed[i]["population"] for i in tested],
        [PER[units[i]] for i in tested],
    )
    known = dict(zip(tested, limits, strict=True))
    for i, (row, unit) in enumerate(zip(weighed, units, strict=True)):
        polarity = catalogue.loc[row["indicator_id"], "polarity"]
        result = weigh(
            row["value"],
            row.pop("_against"),
            polarity,
            unit,
            row["population"],
            row.pop("_margin"),
            limits=known.get(i),
        )
        row.update(judgement=result.judgement, method=result.method, level=result.level)


def common_period(obs: pd.DataFrame, indicator: str, codes: list[str]) -> str | None:
    """The period to compare ``codes`` in: the latest period in which every area that has
    ``indicator`` at all has a value (like with like); without one, the period most areas
    share (the latest of those).

    >>> obs = pd.DataFrame({"indicator_id": "x", "value": 1.0,
    ...     "area_code": ["W1", "W1", "B1", GEMEENTE.code],
    ...     "period": ["2021", "2024", "2021", "2021"]})
    >>> common_period(obs, "x", ["W1", "B1"])
    '2021'
    """
    rows = obs[
        (obs["indicator_id"] == indicator) & obs["area_code"].isin(codes) & obs["value"].notna()
    ]
    if rows.empty:
        return None
    counts = rows.groupby("period")["area_code"].nunique()
    best = counts[counts == counts.max()]
    return periods.latest(best.index)


def indicators_for_areas(
    obs: pd.DataFrame, catalogue: pd.DataFrame, codes: list[str], minimum: int = 2
) -> list[str]:
    """Catalogue ids (in order) with a value for at least ``minimum`` of ``codes`` in one
    period: only what can be compared is offered."""
    rows = obs[obs["area_code"].isin(codes) & obs["value"].notna()]
    counts = rows.groupby(["indicator_id", "period"])["area_code"].nunique()
    need = min(minimum, len(codes))
    ok = {i for (i, _), n in counts.items() if n >= need}
    return [i for i in catalogue.index if i in ok]


def ranking(
    obs: pd.DataFrame, catalogue: pd.DataFrame, indicator: str, level: str, codes: list[str]
) -> pd.DataFrame:
    """All areas of ``level`` for one indicator (latest period), most concern first; areas
    without a value come last with a missing value."""
    period = latest_period(obs, indicator, level)
    rows = map_values(obs, indicator, level, codes, period)
    polarity = catalogue.loc[indicator, "polarity"]
    ascending = polarity == "higher_better"
    return rows.sort_values("value", ascending=ascending, na_position="last").reset_index(drop=True)


def funnel_points(
    obs: pd.DataFrame,
    catalogue: pd.DataFrame,
    indicator: str,
    areas: dict[str, str],
    members: dict[str, list[str]],
    period: str | None = None,
) -> pd.DataFrame:
    """The areas of a funnel plot: for every code in ``areas`` (code -> level) with a value
    of the rate ``indicator`` in ``period`` (default: the latest buurt period): value,
    inhabitants behind it and the judgement against Hengelo weighed for chance."""
    period = (
        period or latest_period(obs, indicator, "buurt") or latest_period(obs, indicator, "wijk")
    )
    ref = reference_value(obs, indicator, period)
    ind = _ind(catalogue, indicator)
    rows = obs[
        (obs["indicator_id"] == indicator)
        & (obs["period"] == period)
        & obs["area_code"].isin(list(areas))
        & obs["value"].notna()
    ]
    # what rate_population reads (this period, the rate and its base) as lookups: no filter
    # per area (issue 16: the funnel weighs every buurt and wijk)
    relevant = obs[
        (obs["period"] == period) & obs["indicator_id"].isin([indicator, rate_base(ind)])
    ]
    index = ComparisonIndex(relevant, catalogue, members)
    records = []
    for row in rows.itertuples():
        weighed = _funnel_weighed(index, ind, row, ref)
        if weighed["population"] is None:
            continue
        records.append(
            {
                "area_code": row.area_code,
                "area_level": areas[row.area_code],
                "value": float(row.value),
                "period": period,
                "reference": ref,
                **weighed,
            }
        )
    columns = ["area_code", "area_level", "value", "period", "reference", "judgement"]
    columns += ["method", "level", "population"]
    return pd.DataFrame(records, columns=columns)


def _funnel_weighed(index: ComparisonIndex, ind: dict, row, ref: float) -> dict:
    """:func:`weighed_judgement` of one funnel ``row`` (an obs row), its inhabitants looked up
    in ``index`` (:meth:`ComparisonIndex.population` is :func:`rate_population`)."""
    population = None
    if ind["unit"] == "per1000":
        population = index.population(ind, row.area_code, row.period)
    margin = getattr(row, "margin", None)
    result = weigh(row.value, ref, ind["polarity"], ind["unit"], population, margin)
    return {
        "judgement": result.judgement,
        "method": result.method,
        "level": result.level,
        "population": population,
    }


class ComparisonIndex:
    """:func:`comparison`, :func:`common_period` and :func:`indicators_for_areas` over
    dictionaries built once from ``obs`` (issue 16): a new compare query then costs a few
    lookups instead of a pandas filter per (indicator, area). ``tests/test_compare_fast.py``
    holds it equal to those functions, which stay the rule. Each (indicator, area, period) is
    weighed once: its judgement depends only on that and Hengelo's value of the period."""

    def __init__(self, obs: pd.DataFrame, catalogue: pd.DataFrame, members: dict | None):
        self.catalogue, self.members = catalogue, members or {}
        self.values: dict = {}  # (indicator, area) -> {period: (value, status, margin)}
        self.by_period: dict = {}  # (indicator, period) -> {area: value}, in obs order
        self.refs: dict = {}  # (indicator, period) -> the gemeente's first value (NaN too)
        self.periods_of: dict = {}  # area -> {indicator: {period}}
        self._inds: dict = {}
        self._cells: dict = {}
        columns = ("indicator_id", "area_code", "period", "value", "status", "margin")
        for ind, area, period, value, status, margin in zip(
            *(obs[c] for c in columns), strict=True
        ):
            if area == GEMEENTE.code:
                self.refs.setdefault((ind, period), float(value))
            if value != value:  # NaN: no value
                continue
            self.values.setdefault((ind, area), {}).setdefault(period, (value, status, margin))
            self.by_period.setdefault((ind, period), {}).setdefault(area, value)
            self.periods_of.setdefault(area, {}).setdefault(ind, set()).add(period)

    def ind(self, indicator: str) -> dict:
        if indicator not in self._inds:
            self._inds[indicator] = _ind(self.catalogue, indicator)
        return self._inds[indicator]

    def common_period(self, indicator: str, codes) -> str | None:
        """:func:`common_period` by set counts."""
        counts: dict = {}
        for code in set(codes):
            for period in self.values.get((indicator, code), ()):
                counts[period] = counts.get(period, 0) + 1
        if not counts:
            return None
        best = max(counts.values())
        return periods.latest(sorted(p for p, n in counts.items() if n == best))

    def indicators_for_areas(self, codes: list[str], minimum: int = 2) -> list[str]:
        """:func:`indicators_for_areas` by set counts."""
        counts: dict = {}
        for code in set(codes):
            for ind, found in self.periods_of.get(code, {}).items():
                for period in found:
                    counts[(ind, period)] = counts.get((ind, period), 0) + 1
        need = min(minimum, len(codes))
        ok = {i for (i, _), n in counts.items() if n >= need}
        return [i for i in self.catalogue.index if i in ok]

    def rows(self, codes: list[str], indicators: list[str]) -> list[dict]:
        """The rows of :func:`comparison` (``period`` None: each indicator's common period)."""
        out = []
        for indicator in indicators:
            when = self.common_period(indicator, codes)
            ref = self.refs.get((indicator, when), np.nan)
            for code in codes:
                head = {"indicator_id": indicator, "area_code": code, "period": when}
                out.append({**head, "reference": ref, **self.cell(indicator, code, when)})
        return out

    def frame(self, codes: list[str], indicators: list[str]) -> pd.DataFrame:
        rows = self.rows(codes, indicators)
        return pd.DataFrame(rows, columns=COMPARISON_COLUMNS) if rows else pd.DataFrame()

    def cell(self, indicator: str, code: str, when) -> dict:
        """What :func:`_compared` and :func:`_weigh_compared` give for one area (a copy)."""
        key = (indicator, code, when)
        if key not in self._cells:
            self._cells[key] = self._weighed(indicator, code, when)
        return dict(self._cells[key])

    def _weighed(self, indicator: str, code: str, when) -> dict:
        found = self.values.get((indicator, code), {}).get(when)
        if found is None:
            return dict(MISSING_COMPARISON)
        value, status, margin = found
        ind = self.ind(indicator)
        ref = self.refs.get((indicator, when), np.nan)
        against = ref if comparable(ind["unit"]) and code != GEMEENTE.code else np.nan
        population = self.population(ind, code, when) if ind["unit"] == "per1000" else None
        limits = None
        if ind["unit"] in PER and population and not np.isnan(against):
            limits = funnel_limits_many([against], [population], [PER[ind["unit"]]])[0]
        result = weigh(value, against, ind["polarity"], ind["unit"], population, margin, limits)
        return {
            "value": value,
            "difference": value - against,
            "population": population,
            "status": status,
            "judgement": result.judgement,
            "method": result.method,
            "level": result.level,
        }

    def population(self, ind: dict, code: str, period) -> float | None:
        """:func:`rate_population` by lookups."""
        bases = self.by_period.get((rate_base(ind), period), {})
        own = self.values.get((ind["id"], code), {}).get(period)
        members = self.members.get(code)
        if own is not None and own[1] == "derived" and members:
            with_value = self.by_period.get((ind["id"], period), {})
            covered = set(with_value) & set(members)
            pop = [v for a, v in bases.items() if a in covered]
            return float(np.sum(pop)) if pop else None
        return float(bases[code]) if code in bases else None


class ProfileIndex:
    """:func:`area_profile` over dictionaries built once from ``obs`` (the wijk page after a
    data change): a profile then costs a few lookups per indicator instead of several pandas
    filters. ``tests/test_profile_fast.py`` holds it equal to :func:`area_profile`, which
    stays the rule."""

    def __init__(self, obs: pd.DataFrame, catalogue: pd.DataFrame, members: dict | None):
        self.catalogue, self.members = catalogue, members or {}
        self.inds = {i: _ind(catalogue, i) for i in catalogue.index}
        self.latest: dict = {}  # (indicator, area) -> its row of the most recent period
        self.refs: dict = {}  # (indicator, period) -> the gemeente's first value (NaN too)
        self.status: dict = {}  # (indicator, area, period) -> the first status with a value
        self.with_value: dict = {}  # (indicator, period) -> [(area, value)], in obs order
        self.at_level: dict = {}  # (indicator, period, level) -> [(area, value)], in obs order
        margins = obs["margin"] if "margin" in obs else [None] * len(obs)
        columns = ("indicator_id", "area_code", "period", "value", "status", "note")
        columns += ("source_id", "level")
        for row in zip(*(obs[c] for c in columns), margins, strict=True):
            if row[0] in self.inds:
                self._add(*row)

    def _add(self, ind, area, period, value, status, note, source, level, margin) -> None:
        if area == GEMEENTE.code:
            self.refs.setdefault((ind, period), float(value))
        if value != value:  # NaN: no value
            return
        row = {"period": period, "value": value, "status": status, "note": note}
        row.update(source_id=source, margin=margin)
        known = self.latest.get((ind, area))
        if known is None or periods.sort_key(period) > periods.sort_key(known["period"]):
            self.latest[(ind, area)] = row
        self.status.setdefault((ind, area, period), status)
        self.with_value.setdefault((ind, period), []).append((area, value))
        self.at_level.setdefault((ind, period, level), []).append((area, value))

    def frame(self, code: str, level: str, peers: list[str]) -> pd.DataFrame:
        """What :func:`area_profile` gives for ``code`` (with the members of the index)."""
        peers = set(peers)
        rows = [
            self._row(ind, latest, code, level, peers)
            for ind in self.catalogue.index
            if (latest := self.latest.get((ind, code))) is not None
        ]
        return pd.DataFrame(rows)

    def _row(self, indicator: str, latest: dict, code: str, level: str, peers: set) -> dict:
        """One indicator, as :func:`_profile_row` makes it."""
        ind, period, value = self.inds[indicator], latest["period"], latest["value"]
        ref = self.refs.get((indicator, period), np.nan) if code != GEMEENTE.code else np.nan
        diff = value - ref if comparable(ind["unit"]) else np.nan
        population = self.population(ind, code, period) if ind["unit"] == "per1000" else None
        against = ref if not np.isnan(diff) else np.nan
        result = weigh(value, against, ind["polarity"], ind["unit"], population, latest["margin"])
        ranked = [
            (a, v) for a, v in self.at_level.get((indicator, period, level), ()) if a in peers
        ]
        return {
            "indicator_id": indicator,
            **{k: latest[k] for k in ("period", "value", "status", "note", "source_id")},
            "reference": ref,
            "difference": diff,
            "judgement": result.judgement,
            "method": result.method,
            "level": result.level,
            "population": population,
            "rank": _min_rank(ranked, code, ind["polarity"] == "higher_better"),
            "n_ranked": len(ranked),
        }

    def population(self, ind: dict, code: str, period) -> float | None:
        """:func:`rate_population` by lookups. As there, the base's rows count once more when
        a rate is its own base (the rule reads its rows together with the base's)."""
        base = rate_base(ind)
        copies = (base == ind["id"]) + (base in self.inds)
        bases = list(self.with_value.get((base, period), ())) * copies
        members = self.members.get(code)
        if self.status.get((ind["id"], code, period)) == "derived" and members:
            covered = {a for a, _ in self.with_value.get((ind["id"], period), ())} & set(members)
            pop = [v for a, v in bases if a in covered]
            return float(np.sum(pop)) if pop else None
        return next((float(v) for a, v in bases if a == code), None)


def _min_rank(ranked: list[tuple[str, float]], code: str, ascending: bool) -> int | None:
    """:func:`_rank_of` over (area, value) pairs: 1 + the values of more concern ("min" ties)."""
    mine = next((v for a, v in ranked if a == code), None)
    if mine is None or len(ranked) < 2:
        return None
    return 1 + sum(v < mine if ascending else v > mine for _, v in ranked)
