"""The map's state rules in one place: which level, indicator, period and area are shown for the
URL parameters of a first visit, and after a switch. Pure: no Dash, no I/O.

Notices are returned as ``(key, arguments)`` pairs; the page translates them. A value that is
unknown, of the wrong type or given twice (``?gebied=x&gebied=y`` arrives as a list) falls back
to the default with a notice; nothing here raises on user input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indicators.mapindex import ObsIndex

LEVELS = ("wijk", "buurt")
DEFAULT_LEVEL = "wijk"
CONTEXT_THEME = "context"
# The URL parameter of each state field (kaart.js gets them from dashboard.mapcontract).
URL_NAMES = {
    "indicator": "indicator",
    "level": "niveau",
    "period": "periode",
    "area": "gebied",
    "measure": "maat",  # counts or rates (indicators.rates)
}  # background figures (inhabitants, households): not a safety figure


@dataclass(frozen=True)
class MapState:
    """What the map shows. ``period`` is the period shown, ``chosen_period`` the same when the
    user picked it instead of the default (kept in the URL), else ``None``."""

    level: str
    indicator: str
    period: str | None
    chosen_period: str | None = None
    area: str | None = None
    measure: str = "aantal"  # "per1000": the rate of a count (indicators.rates)


@dataclass
class Resolved:
    """A state and the notices that explain each fallback."""

    state: MapState
    notices: list[tuple[str, dict]] = field(default_factory=list)


def one_value(raw) -> tuple[str | None, bool]:
    """A single text parameter from a query value: ``(text or None, was_bad)``; a list (the
    parameter given twice), a non-text value or an over-long text is bad.

    >>> one_value("wijk"), one_value(["a", "b"]), one_value(None), one_value(3)
    (('wijk', False), (None, True), (None, False), (None, True))
    """
    if raw is None or raw == "":
        return None, False
    if not isinstance(raw, str) or len(raw) > 200:
        return None, True
    return raw.strip() or None, False


def shown_text(raw) -> str:
    """The bad value as a notice may quote it (short, plain text)."""
    text = ", ".join(map(str, raw)) if isinstance(raw, list | tuple) else str(raw)
    return text[:40]


def default_indicator(index: ObsIndex, level: str, themes: dict[str, str]) -> str | None:
    """The most recent safety figure at ``level``: among indicators with data whose theme is not
    ``context``, the one with the newest default period (catalogue order breaks ties); with no
    safety figure at all, the first indicator with data.

    ``themes`` maps indicator id -> theme slug.
    """
    from indicators import periods

    available = index.with_data.get(level, [])
    safety = [i for i in available if themes.get(i) != CONTEXT_THEME and index.default(i, level)]
    if not safety:
        return available[0] if available else None
    newest = max(periods.sort_key(index.default(i, level)) for i in safety)
    return next(i for i in safety if periods.sort_key(index.default(i, level)) == newest)


def resolve(params: dict, index: ObsIndex, themes: dict[str, str]) -> Resolved:
    """The state of a first visit from URL parameters (see :data:`URL_NAMES`); every unknown
    or malformed value falls back with a notice."""
    notices: list[tuple[str, dict]] = []
    level = checked(params, "level", LEVELS, notices) or DEFAULT_LEVEL
    fallback = default_indicator(index, level, themes)
    allowed = index.with_data.get(level, [])
    indicator = checked(params, "indicator", allowed, notices, fallback) or fallback
    area = checked(params, "area", index.codes.get(level, []), notices)
    default = index.default(indicator, level) if indicator else None
    allowed = index.available_periods(indicator, level)
    period = checked(params, "period", allowed, notices, default)
    state = MapState(
        level=level,
        indicator=indicator,
        period=period or default,
        chosen_period=period if period and period != default else None,
        area=area,
    )
    return Resolved(state, notices)


NOTICES = {
    "measure": "notice_unknown_measure",
    "level": "notice_unknown_level",
    "indicator": "notice_unknown_indicator",
    "area": "notice_unknown_area",
    "period": "notice_unknown_period",
}
WITH_DEFAULT = ("indicator", "period")  # their notice names what is shown instead


def checked(params: dict, name: str, allowed, notices: list, default=None) -> str | None:
    """The URL parameter of state field ``name`` when it is one of ``allowed``; else ``None``,
    and a notice (naming ``default`` for an indicator or period) is added to ``notices``.

    >>> notices = []
    >>> checked({"niveau": "buurt"}, "level", LEVELS, notices), notices
    ('buurt', [])
    >>> checked({"niveau": "land"}, "level", LEVELS, notices), notices
    (None, [('notice_unknown_level', {'value': 'land'})])
    """
    raw = params.get(URL_NAMES[name])
    value, bad = one_value(raw)
    if not bad and (value is None or value in allowed):
        return value
    values = {"value": shown_text(raw)}
    if name in WITH_DEFAULT:
        values["default"] = default
    notices.append((NOTICES[name], values))
    return None


def resolve_measure(params: dict, has_rate: bool, notices: list) -> str:
    """``aantal`` or ``per1000`` from the URL's ``maat``: an unknown value, or ``per1000`` for
    an indicator without a rate, falls back to ``aantal`` with a notice.

    >>> notices = []
    >>> resolve_measure({"maat": "per1000"}, True, notices), notices
    ('per1000', [])
    >>> resolve_measure({"maat": "per1000"}, False, notices), notices
    ('aantal', [('notice_unknown_measure', {'value': 'per1000'})])
    """
    from indicators.rates import DEFAULT_MEASURE, MEASURES

    allowed = MEASURES if has_rate else (DEFAULT_MEASURE,)
    return checked(params, "measure", allowed, notices) or DEFAULT_MEASURE


@dataclass(frozen=True)
class Switch:
    """The state after a switch and which controls the browser must be told about."""

    state: MapState
    indicator_reset: bool  # the indicator has no data at the new level: the select shows another
    level_changed: bool


def switch(
    index: ObsIndex,
    themes: dict[str, str],
    indicator,
    level,
    period,
    changed: str,
) -> Switch:
    """The state after the user changed ``changed`` (``"indicator"``, ``"level"`` or
    ``"period"``): another indicator or level starts at its own default period; a period
    without data falls back to the default; an indicator without data at the level falls back
    to the default indicator. Values of the wrong type count as unknown."""
    level, _ = one_value(level)
    level = level if level in LEVELS else DEFAULT_LEVEL
    indicator, _ = one_value(indicator)
    reset = indicator not in index.with_data.get(level, [])
    if reset:
        indicator = default_indicator(index, level, themes)
    period, _ = one_value(period)
    default = index.default(indicator, level) if indicator else None
    if changed != "period" or period not in index.available_periods(indicator, level):
        period = default
    state = MapState(
        level=level,
        indicator=indicator,
        period=period,
        chosen_period=period if period != default else None,
    )
    return Switch(state, indicator_reset=reset, level_changed=changed == "level")
