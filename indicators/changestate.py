"""The map's change mode in the URL (``?weergave=verandering&van=2023&tot=2024``): which two
periods are compared, with a notice for every fallback. Pure: a dict in, a state out; like
:mod:`indicators.mapstate`, nothing here raises on user input.

Notices are ``(key, arguments)`` pairs; the page translates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indicators.mapstate import one_value, shown_text

MODE_PARAM = "weergave"
FROM_PARAM = "van"
TO_PARAM = "tot"
CHANGE_MODE = "verandering"
VALUE_MODE = "waarde"
MODES = (VALUE_MODE, CHANGE_MODE)


@dataclass(frozen=True)
class ChangeState:
    """``active`` when the map shows the change between ``pair`` (earlier, later);
    ``chosen`` when the pair was picked in the URL (kept there), not the default."""

    active: bool
    pair: tuple[str, str] | None = None
    chosen: bool = False


@dataclass
class ResolvedChange:
    state: ChangeState
    notices: list[tuple[str, dict]] = field(default_factory=list)


def _mode(params: dict, notices: list) -> str:
    raw = params.get(MODE_PARAM)
    mode, bad = one_value(raw)
    if bad or (mode is not None and mode not in MODES):
        notices.append(("notice_unknown_mode", {"value": shown_text(raw)}))
        return VALUE_MODE
    return mode or VALUE_MODE


def resolve_change(params: dict, pairs: list[tuple[str, str]], latest: str | None):
    """The change mode for URL ``params`` given the ``pairs`` of periods the indicator can be
    compared over at the level (newest first, see :func:`indicators.change.change_periods`)
    and ``latest``, the period the value map shows.

    - ``weergave`` unknown: values, with a notice;
    - change asked but fewer than two periods: values, with a notice naming the one period;
    - ``van``/``tot`` not a pair of ``pairs`` (or one of them missing): the default pair
      (the two latest), with a notice.

    >>> resolve_change({"weergave": "verandering"}, [("2023", "2024")], "2024").state
    ChangeState(active=True, pair=('2023', '2024'), chosen=False)
    >>> r = resolve_change({"weergave": "verandering"}, [], "2017")
    >>> r.state.active, r.notices
    (False, [('notice_change_one_period', {'period': '2017'})])
    """
    notices: list[tuple[str, dict]] = []
    if _mode(params, notices) != CHANGE_MODE:
        return ResolvedChange(ChangeState(False), notices)
    if not pairs:
        notices.append(("notice_change_one_period", {"period": latest or ""}))
        return ResolvedChange(ChangeState(False), notices)
    asked = _asked_pair(params)
    if asked is None:
        return ResolvedChange(ChangeState(True, pairs[0]), notices)
    if asked in pairs:
        return ResolvedChange(ChangeState(True, asked, chosen=asked != pairs[0]), notices)
    shown = f"{shown_text(params.get(FROM_PARAM) or '')} → {shown_text(params.get(TO_PARAM) or '')}"
    notices.append(
        ("notice_unknown_change_periods", {"value": shown, "default": " → ".join(pairs[0])})
    )
    return ResolvedChange(ChangeState(True, pairs[0]), notices)


def _asked_pair(params: dict):
    """(van, tot) from the URL; None when neither is given, ("", "") when malformed."""
    start, bad_start = one_value(params.get(FROM_PARAM))
    end, bad_end = one_value(params.get(TO_PARAM))
    if start is None and end is None and not (bad_start or bad_end):
        return None
    return (start or "", end or "")


def url_params(state: ChangeState) -> dict[str, str | None]:
    """The URL parameters of a change state (None: left out of the URL).

    >>> url_params(ChangeState(True, ("2017", "2021"), chosen=True))
    {'weergave': 'verandering', 'van': '2017', 'tot': '2021'}
    >>> url_params(ChangeState(False))
    {'weergave': None, 'van': None, 'tot': None}
    """
    if not state.active:
        return {MODE_PARAM: None, FROM_PARAM: None, TO_PARAM: None}
    pair = state.pair if state.chosen else (None, None)
    return {MODE_PARAM: CHANGE_MODE, FROM_PARAM: pair[0], TO_PARAM: pair[1]}
