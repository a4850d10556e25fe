"""What changed between two periods, and is it more than chance?

A figure that moves from one period to the next may have moved by chance alone: a buurt with
40 burglaries one year can have 50 the next without anything having changed. Every change is
therefore *tested*, at the same two levels as the funnel plot (:mod:`indicators.uncertainty`):
95% (p < 0.05) and 99.8% (p < 0.002), two-sided.

- **Counts** (unit ``count``, e.g. registered crimes): the exact Poisson test of two counts,
  conditional on their sum. Given ``n1 + n2`` events, ``n1`` follows
  ``Binomial(n1 + n2, t1 / (t1 + t2))`` under "no change", with exposures ``t`` (one period
  each: a year against a year). The p-value is scipy's exact two-sided binomial test.
- **Rates** (``per1000``): the same test on the counts behind them, worked back from the rate
  and the inhabitants (or dwellings: the catalogue's weight or denominator) of each period,
  with those inhabitants as exposures. Without the inhabitants of both periods: not testable.
- **Survey percentages** (``pct``) with a known 95% margin (or number of respondents, from
  which the binomial margin follows): a z-test on the difference,
  ``z = (p2 - p1) / sqrt(se1**2 + se2**2)`` with ``se = margin / 1.96``.
- Anything else is **not testable** (and says why). Descriptive figures (the catalogue's
  polarity ``neutral``: inhabitants, land area, households) are full counts of a register, not
  events that happen by chance: they are not tested.

Only public figures go in (``public_observations``: small numbers suppressed); a suppressed
value stays suppressed here (never shown, no difference worked out from it).

Pure functions: frames in, frames or text out (scipy for the tests).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from indicators import periods
from indicators.formatting import format_number, format_signed, format_value
from indicators.views import rate_base, shown_mask

ALPHA = {"99.8": 0.002, "95": 0.05}  # the funnel plot's two levels, two-sided
Z95 = stats.norm.ppf(0.975)

VERDICTS = ("beyond_99.8", "beyond_95", "within_chance", "not_testable", "suppressed", "missing")

CHANGE_COLUMNS = [
    "indicator_id",
    "area_code",
    "level",
    "period_from",
    "period_to",
    "value_from",
    "value_to",
    "difference",
    "relative",
    "direction",
    "test",
    "count_from",
    "count_to",
    "exposure_from",
    "exposure_to",
    "p_value",
    "significance",
    "verdict",
    "judgement",
    "reason",
    "unit",
    "decimals",
    "label_nl",
    "label_en",
]


def poisson_change_p(n1: float, n2: float, t1: float = 1.0, t2: float = 1.0) -> float:
    """Two-sided p-value of the exact (conditional) Poisson test that two counts ``n1`` and
    ``n2`` observed over exposures ``t1`` and ``t2`` share one rate: given ``n1 + n2``,
    ``n1 ~ Binomial(n1 + n2, t1 / (t1 + t2))``. Counts are rounded to whole numbers.

    >>> round(poisson_change_p(42, 61), 4)
    0.0756
    >>> poisson_change_p(0, 0)
    1.0
    """
    k1, k2 = int(round(n1)), int(round(n2))
    if k1 < 0 or k2 < 0 or t1 <= 0 or t2 <= 0:
        raise ValueError("counts must be >= 0 and exposures > 0")
    if k1 + k2 == 0:
        return 1.0
    return float(stats.binomtest(k1, k1 + k2, t1 / (t1 + t2)).pvalue)


def margin_change_p(p1: float, m1: float, p2: float, m2: float) -> float:
    """Two-sided p-value of the z-test on two survey percentages ``p1`` and ``p2`` with 95%
    margins ``m1`` and ``m2`` (percentage points; standard error = margin / 1.96).

    >>> round(margin_change_p(20.0, 3.0, 26.0, 3.0), 4)
    0.0056
    """
    se = math.hypot(m1, m2) / Z95
    if se <= 0:
        return 1.0 if p1 == p2 else 0.0
    return float(2 * stats.norm.sf(abs(p2 - p1) / se))


def binomial_margin(pct: float, n: float) -> float:
    """The 95% margin (percentage points) of a survey percentage ``pct`` from ``n``
    respondents (normal approximation).

    >>> round(binomial_margin(20.0, 400), 2)
    3.92
    """
    p = pct / 100.0
    return float(Z95 * math.sqrt(p * (1 - p) / n) * 100.0)


def significance(p_value: float) -> str | None:
    """'99.8' when ``p_value`` < 0.002, '95' when < 0.05, else None.

    >>> significance(0.001), significance(0.01), significance(0.2)
    ('99.8', '95', None)
    """
    if p_value is None or np.isnan(p_value):
        return None
    for level in ("99.8", "95"):
        if p_value < ALPHA[level]:
            return level
    return None


def _well_covered(obs: pd.DataFrame, indicator: str, level: str) -> list[str]:
    rows = obs[(obs["indicator_id"] == indicator) & (obs["level"] == level) & shown_mask(obs)]
    if rows.empty:
        return []
    counts = rows.groupby("period")["area_code"].nunique()
    keep = counts[counts >= periods.DEFAULT_COVERAGE * counts.max()].index
    return sorted((str(p) for p in keep), key=periods.sort_key)


def change_periods(obs: pd.DataFrame, indicator: str, level: str) -> list[tuple[str, str]]:
    """The pairs of periods (earlier, later) that ``indicator`` can be compared over at
    ``level``: both periods well covered (at least half the areas of the best-covered period,
    as for the map), newest pairs first; the first pair (the two latest periods) is the
    default. Empty when there is only one period.

    >>> obs = pd.DataFrame({"indicator_id": "x", "level": "wijk", "status": "published",
    ...     "value": 1.0, "area_code": ["a", "b", "c", "a", "b", "c", "a"],
    ...     "period": ["2017"] * 3 + ["2021"] * 3 + ["2024"]})
    >>> change_periods(obs, "x", "wijk")
    [('2017', '2021')]
    """
    found = _well_covered(obs, indicator, level)
    pairs = [(a, b) for i, b in enumerate(found) for a in found[:i]]
    return sorted(pairs, key=lambda p: (periods.sort_key(p[1]), periods.sort_key(p[0])))[::-1]


def default_change_periods(obs: pd.DataFrame, indicator: str, level: str):
    """The default pair of :func:`change_periods` (the two latest well-covered periods), or
    None when ``indicator`` has fewer than two periods at ``level``."""
    pairs = change_periods(obs, indicator, level)
    return pairs[0] if pairs else None


def _values(obs: pd.DataFrame, indicator: str, level: str, period: str) -> pd.DataFrame:
    rows = obs[
        (obs["indicator_id"] == indicator)
        & (obs["level"] == level)
        & (obs["period"].astype(str) == str(period))
    ]
    return rows.drop_duplicates("area_code").set_index("area_code")


def _populations(obs, ind: dict, level: str, period: str, members) -> dict[str, float]:
    """Area code -> inhabitants (the rate's base) behind the rate ``ind`` in ``period``: the
    area's own base, or for a value derived from buurten the base of the buurten that have a
    value (the covered part)."""
    base = rate_base(ind)
    same = obs[(obs["period"].astype(str) == str(period)) & obs["value"].notna()]
    pop = same[same["indicator_id"] == base].drop_duplicates("area_code")
    pop = pop.set_index("area_code")["value"].astype(float)
    rates = same[(same["indicator_id"] == ind["id"]) & (same["level"] == level)]
    out = {}
    covered = set(same.loc[same["indicator_id"] == ind["id"], "area_code"])
    for row in rates.itertuples():
        parts = (members or {}).get(row.area_code)
        if row.status == "derived" and parts:
            have = [b for b in parts if b in covered and b in pop.index]
            out[row.area_code] = float(pop[have].sum()) if have else np.nan
        else:
            out[row.area_code] = float(pop.get(row.area_code, np.nan))
    return out


def _direction(difference: float) -> str:
    if np.isnan(difference):
        return "missing"
    return "equal" if difference == 0 else ("up" if difference > 0 else "down")


def _judgement(difference: float, polarity: str) -> str:
    if np.isnan(difference) or difference == 0 or polarity == "neutral":
        return "neutral"
    worse = difference > 0 if polarity == "higher_worse" else difference < 0
    return "worse" if worse else "better"


def _empty_test(reason: str | None) -> dict:
    return {
        "test": None,
        "count_from": np.nan,
        "count_to": np.nan,
        "exposure_from": np.nan,
        "exposure_to": np.nan,
        "p_value": np.nan,
        "reason": reason,
    }


def _count_test(v1, v2) -> dict:
    if v1 < 0 or v2 < 0:
        return _empty_test("no_counts")
    out = _empty_test(None) | {"test": "poisson", "count_from": round(v1), "count_to": round(v2)}
    return out | {"exposure_from": 1.0, "exposure_to": 1.0, "p_value": poisson_change_p(v1, v2)}


def _rate_test(v1, v2, pop1, pop2, per: float) -> dict:
    if not (pop1 > 0 and pop2 > 0):  # also False for NaN
        return _empty_test("no_denominator")
    n1, n2 = round(v1 * pop1 / per), round(v2 * pop2 / per)
    p = poisson_change_p(n1, n2, pop1, pop2)
    out = {"test": "poisson_rate", "count_from": n1, "count_to": n2, "p_value": p}
    return _empty_test(None) | out | {"exposure_from": pop1, "exposure_to": pop2}


def _survey_margin(row) -> float:
    margin = row.get("margin")
    if margin is not None and not pd.isna(margin) and margin >= 0:
        return float(margin)
    n = row.get("n")
    if n is not None and not pd.isna(n) and n > 0 and 0 <= row["value"] <= 100:
        return binomial_margin(float(row["value"]), float(n))
    return np.nan


def _margin_test(row1, row2) -> dict:
    m1, m2 = _survey_margin(row1), _survey_margin(row2)
    if np.isnan(m1) or np.isnan(m2):
        return _empty_test("no_margin")
    p = margin_change_p(float(row1["value"]), m1, float(row2["value"]), m2)
    return _empty_test(None) | {"test": "margin", "p_value": p}


def _tested(ind: dict, row1, row2, pops: tuple[dict, dict], code: str) -> dict:
    """The test of one area's change, by the indicator's unit."""
    v1, v2 = float(row1["value"]), float(row2["value"])
    if ind["polarity"] == "neutral":
        return _empty_test("measured" if ind["unit"] in MEASURED_UNITS else "descriptive")
    if ind["unit"] == "count":
        return _count_test(v1, v2)
    if ind["unit"] == "per1000":
        return _rate_test(v1, v2, pops[0].get(code, np.nan), pops[1].get(code, np.nan), 1000.0)
    if ind["unit"] == "pct":
        return _margin_test(row1, row2)
    return _empty_test("no_counts")


def _verdict(row1, row2, test: dict) -> str:
    if row1 is None or row2 is None:
        return "missing"
    if "suppressed" in (row1["status"], row2["status"]):
        return "suppressed"
    if test["test"] is None:
        return "not_testable"
    level = significance(test["p_value"])
    return f"beyond_{level}" if level else "within_chance"


def _usable(rows: pd.DataFrame, code: str):
    """The observation of ``code`` when it has a value or is suppressed, else None."""
    if code not in rows.index:
        return None
    row = rows.loc[code]
    if pd.isna(row["value"]) and row["status"] != "suppressed":
        return None
    return row


def _area_change(ind, code, level, pair, rows, pops) -> dict:
    row1, row2 = _usable(rows[0], code), _usable(rows[1], code)
    hidden = row1 is None or row2 is None or "suppressed" in (row1["status"], row2["status"])
    v1 = np.nan if hidden else float(row1["value"])
    v2 = np.nan if hidden else float(row2["value"])
    test = _empty_test("missing") if hidden else _tested(ind, row1, row2, pops, code)
    verdict = _verdict(row1, row2, test)
    if verdict == "suppressed":
        test["reason"] = "suppressed"
    diff = v2 - v1
    relative = diff / v1 if v1 else np.nan
    return {
        "indicator_id": ind["id"],
        "area_code": code,
        "level": level,
        "period_from": pair[0],
        "period_to": pair[1],
        "value_from": v1,
        "value_to": v2,
        "difference": diff,
        "relative": relative,
        "direction": _direction(diff),
        **test,
        "significance": verdict.removeprefix("beyond_") if verdict.startswith("beyond") else None,
        "verdict": verdict,
        "judgement": _judgement(diff, ind["polarity"]),
        "unit": ind["unit"],
        "decimals": int(ind.get("decimals", 0) or 0),
        "label_nl": ind.get("label_nl", ind["id"]),
        "label_en": ind.get("label_en", ind["id"]),
    }


def indicator_changes(
    obs: pd.DataFrame,
    ind: dict,
    level: str,
    pair: tuple[str, str],
    areas: list[str] | None = None,
    members: dict[str, list[str]] | None = None,
) -> list[dict]:
    """The change records of one catalogue row ``ind`` (a dict with ``id``) at ``level``
    between the periods of ``pair``: one per area in ``areas`` (default: every area with a
    value in either period)."""
    rows = tuple(_values(obs, ind["id"], level, p) for p in pair)
    codes = areas if areas is not None else sorted(set(rows[0].index) | set(rows[1].index))
    pops = ({}, {})
    if ind["unit"] == "per1000" and ind["polarity"] != "neutral":
        pops = tuple(_populations(obs, ind, level, p, members) for p in pair)
    return [_area_change(ind, code, level, pair, rows, pops) for code in codes]


def _pair(obs, indicator, level, period_from, period_to):
    if period_from is not None and period_to is not None:
        return (str(period_from), str(period_to))
    return default_change_periods(obs, indicator, level)


def changes(
    obs: pd.DataFrame,
    catalogue: pd.DataFrame,
    level: str,
    period_from: str | None = None,
    period_to: str | None = None,
    *,
    indicators: list[str] | None = None,
    areas: list[str] | None = None,
    members: dict[str, list[str]] | None = None,
) -> pd.DataFrame:
    """The change of every indicator (or those in ``indicators``) for every area of ``level``
    (or those in ``areas``) between ``period_from`` and ``period_to``: values, difference,
    relative change, the test used, its p-value and the verdict at 95% and 99.8%.

    Without both periods, each indicator uses its default pair
    (:func:`default_change_periods`); an indicator with only one period at ``level`` is left
    out. ``obs`` are public observations (suppressed values stay hidden); ``catalogue`` is the
    indicator catalogue indexed by id; ``members`` (area -> buurten, see
    :func:`indicators.views.area_members`) weighs a rate derived from buurten on the
    inhabitants of the buurten it covers.

    ``count_from`` / ``count_to`` are the test's working numbers (for a rate, worked back
    from the rounded public rate and its inhabitants): not for display, show the values.

    Columns (:data:`CHANGE_COLUMNS`): ``verdict`` is one of :data:`VERDICTS`; ``test`` is
    'poisson' (two counts), 'poisson_rate' (counts behind two rates, inhabitants as
    exposures), 'margin' (survey z-test) or None with the ``reason`` ('descriptive', 'measured',
    'no_denominator', 'no_margin', 'no_counts', 'suppressed', 'missing'); ``direction`` is
    'up', 'down', 'equal' or 'missing'; ``judgement`` 'better', 'worse' or 'neutral' by the
    indicator's polarity.

    >>> cat = pd.DataFrame({"unit": ["count"], "polarity": ["higher_worse"]}, index=["x"])
    >>> obs = pd.DataFrame({"indicator_id": "x", "level": "wijk", "area_code": "W1",
    ...     "period": ["2022", "2024"], "value": [42.0, 61.0], "status": "published"})
    >>> row = changes(obs, cat, "wijk").iloc[0]
    >>> row["test"], round(float(row["p_value"]), 3), row["verdict"]
    ('poisson', 0.076, 'within_chance')
    """
    records = []
    # the rows of ``level`` split per indicator once (not a filter over all rows per indicator)
    at_level = dict(tuple(obs[obs["level"] == level].groupby("indicator_id", sort=False)))
    for indicator in indicators if indicators is not None else list(catalogue.index):
        if indicator not in catalogue.index:
            continue
        part = at_level.get(indicator, obs.iloc[:0])
        pair = _pair(part, indicator, level, period_from, period_to)
        if pair is None:
            continue
        ind = {**catalogue.loc[indicator].to_dict(), "id": indicator}
        records += indicator_changes(obs, ind, level, pair, areas, members)
    return pd.DataFrame(records, columns=CHANGE_COLUMNS)


ORDER = {"beyond_99.8": 0, "beyond_95": 1, "within_chance": 2, "not_testable": 3}


def significant_changes(frame: pd.DataFrame, level: str = "95") -> pd.DataFrame:
    """The rows of a :func:`changes` frame that are beyond chance at ``level`` ('95' keeps
    both levels, '99.8' only the strongest), 99.8% first, then by p-value.

    >>> frame = pd.DataFrame({"verdict": ["within_chance", "beyond_95", "beyond_99.8"],
    ...                       "p_value": [0.3, 0.01, 0.0001]})
    >>> significant_changes(frame)["verdict"].tolist()
    ['beyond_99.8', 'beyond_95']
    """
    keep = ["beyond_99.8"] if level == "99.8" else ["beyond_99.8", "beyond_95"]
    rows = frame[frame["verdict"].isin(keep)]
    return sort_changes(rows)


def sort_changes(frame: pd.DataFrame) -> pd.DataFrame:
    """Beyond 99.8% first, then 95%, within chance, not testable, the rest; by p-value."""
    rank = frame["verdict"].map(ORDER).fillna(9)
    return (
        frame.assign(_rank=rank)
        .sort_values(["_rank", "p_value"], na_position="last", kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


TEXT = {
    "beyond": {"nl": "meer dan toeval ({level}%)", "en": "more than chance ({level}%)"},
    "within_chance": {"nl": "binnen toeval", "en": "within chance"},
    "not_testable": {"nl": "niet toetsbaar: {reason}", "en": "not testable: {reason}"},
    "suppressed": {
        "nl": "niet getoond (te weinig waarnemingen)",
        "en": "not shown (too few observations)",
    },
    "missing": {"nl": "geen gegevens voor beide perioden", "en": "no data for both periods"},
    "poisson": {"nl": "exacte Poisson-toets", "en": "exact Poisson test"},
    "poisson_rate": {
        "nl": "exacte Poisson-toets op de aantallen achter de cijfers",
        "en": "exact Poisson test on the counts behind the rates",
    },
    "margin": {"nl": "toets op de marges", "en": "test on the margins"},
}
MEASURED_UNITS = ("ha", "per_km2")  # land area and density: measured, not counted
REASONS = {
    "measured": {
        "nl": "een gemeten oppervlakte/dichtheid, geen toevalsproces",
        "en": "a measured area/density, not a chance process",
    },
    "descriptive": {
        "nl": "een beschrijvende telling, geen toeval",
        "en": "a descriptive count, not chance",
    },
    "no_denominator": {
        "nl": "geen aantallen inwoners bekend",
        "en": "no numbers of inhabitants known",
    },
    "no_margin": {
        "nl": "geen marges of aantallen respondenten bekend",
        "en": "no margins or numbers of respondents known",
    },
    "no_counts": {"nl": "geen aantallen bekend", "en": "no counts known"},
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "nl"


def verdict_text(row, lang: str = "nl") -> str:
    """The verdict of one change in words: 'meer dan toeval (99,8%)', 'binnen toeval',
    'niet toetsbaar: geen aantallen bekend', ...

    >>> verdict_text({"verdict": "beyond_99.8", "reason": None}, "nl")
    'meer dan toeval (99,8%)'
    """
    lang = _lang(lang)
    verdict = row["verdict"]
    if verdict.startswith("beyond_"):
        level = verdict.removeprefix("beyond_")
        return TEXT["beyond"][lang].format(level=level.replace(".", "," if lang == "nl" else "."))
    if verdict == "not_testable":
        reason = REASONS.get(str(row["reason"]), REASONS["no_counts"])[lang]
        return TEXT["not_testable"][lang].format(reason=reason)
    return TEXT[verdict][lang]


def relative_text(row, lang: str = "nl") -> str:
    """The relative change as a signed whole percentage ('+45%'); '' when it has none."""
    rel = row["relative"]
    if rel is None or pd.isna(rel):
        return ""
    return format_signed(rel * 100.0, 0, _lang(lang)) + "%"


def value_text(row, which: str, lang: str = "nl") -> str:
    """``value_from`` or ``value_to`` (``which`` 'from' or 'to') of a change row, formatted in
    its unit ('42', '20,5%')."""
    value = row[f"value_{which}"]
    decimals = int(row["decimals"] or 0)
    if row["unit"] == "count":
        return format_number(value, 0, _lang(lang))
    if row["unit"] == "pct":
        return format_value(value, "pct", decimals, _lang(lang))
    return format_number(value, decimals, _lang(lang))


def periods_text(row, lang: str = "nl") -> str:
    """The two periods of a change row: '2022 → 2024', 'maart 2024 → april 2024'."""
    lang = _lang(lang)
    start = periods.format_period(row["period_from"], lang)
    return f"{start} → {periods.format_period(row['period_to'], lang)}"


def change_phrase(row, lang: str = "nl") -> str:
    """Values, relative change and verdict of one change, without its name and periods:
    '42 → 61 (+45%), meer dan toeval (99,8%; exacte Poisson-toets)'."""
    lang = _lang(lang)
    verdict = verdict_text(row, lang)
    if row["verdict"] in ("missing", "suppressed"):
        return verdict
    values = f"{value_text(row, 'from', lang)} → {value_text(row, 'to', lang)}"
    rel = relative_text(row, lang)
    values += f" ({rel})" if rel else ""
    if not isinstance(row["test"], str):
        return f"{values}; {verdict}"
    test = TEXT[row["test"]][lang]
    if verdict.endswith(")"):
        return f"{values}, {verdict[:-1]}; {test})"
    return f"{values}, {verdict} ({test})"


def change_sentence(row, lang: str = "nl", label: str | None = None) -> str:
    """One change in plain words, with what was tested.

    >>> row = {"label_nl": "Woninginbraken", "label_en": "Burglaries", "unit": "count",
    ...        "decimals": 0, "period_from": "2022", "period_to": "2024", "value_from": 42.0,
    ...        "value_to": 61.0, "relative": 19 / 42, "verdict": "beyond_99.8",
    ...        "test": "poisson", "reason": None}
    >>> change_sentence(row)
    'Woninginbraken (2022 → 2024): 42 → 61 (+45%), meer dan toeval (99,8%; exacte Poisson-toets)'
    >>> change_sentence(row | {"verdict": "not_testable", "test": None, "reason": "no_counts"})
    'Woninginbraken (2022 → 2024): 42 → 61 (+45%); niet toetsbaar: geen aantallen bekend'
    """
    lang = _lang(lang)
    name = label or row[f"label_{lang}"]
    return f"{name} ({periods_text(row, lang)}): {change_phrase(row, lang)}"
