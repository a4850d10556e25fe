"""The map's change mode (issue 18 A1): each area coloured by its tested change between two
periods, made server-side as an ordinary view payload (values = differences, five classes,
a legend), so ``assets/kaart.js`` draws it as any other view. The state rules are in
:mod:`indicators.changestate`, the tests in :mod:`indicators.change`."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import data, ids, mapcontract
from dashboard.components import simple_table
from dashboard.i18n import label, t
from dashboard.profile import members
from indicators import change, changestate, mapstate
from indicators.periods import age_in_years, format_period

# ColorBrewer BrBG (colour-blind safe; not PuOr, whose purple is the focus wijken' outline):
# brown = a change for the worse, blue-green = for the better, darker = beyond chance at
# 99.8%; BrBG's neutral middle = no difference beyond chance. Not testable is a class of its
# own, white under a grey hatching (kaart.js draws the pattern), so it never reads as "no
# change" and differs from "no data" (solid grey) without relying on colour.
WORSE = ("#8c510a", "#d8b365")
BETTER = ("#01665e", "#5ab4ac")
NO_CHANGE = "#f5f5f5"
NOT_TESTABLE = "#ffffff"
HATCH_CLASS = 5
# class of each verdict when the value went up / down (2: the neutral middle class)
UP = {"beyond_99.8": 0, "beyond_95": 1}
DOWN = {"beyond_99.8": 4, "beyond_95": 3}
PAGES_LOCATION = "_pages_location"  # Dash's page router: a new search renders the page again


def colours(polarity: str) -> list[str]:
    """The six class colours, increase first (brown for the worse direction), then the
    hatched class of changes that cannot be tested.

    >>> colours("higher_better")[0], colours("higher_worse")[0], colours("neutral")[5]
    ('#01665e', '#8c510a', '#ffffff')
    """
    up, down = (BETTER, WORSE) if polarity == "higher_better" else (WORSE, BETTER)
    return [up[0], up[1], NO_CHANGE, down[1], down[0], NOT_TESTABLE]


def class_of(row) -> int | None:
    """The class of one change row: 0/1 up beyond chance (99.8% / 95%), 2 no change beyond
    chance, 3/4 down beyond chance (95% / 99.8%), 5 not testable, None without both values.

    >>> class_of({"verdict": "not_testable", "direction": "up"})
    5
    >>> class_of({"verdict": "within_chance", "direction": "up"})
    2
    """
    verdict = row["verdict"]
    if verdict in ("missing", "suppressed"):
        return None
    if verdict == "not_testable":
        return HATCH_CLASS
    table = UP if row["direction"] == "up" else DOWN
    return table.get(verdict, 2)


def legend(polarity: str, lang: str) -> list[str]:
    """The six legend labels (the classes of :func:`colours`), increase first, with
    'ongunstiger' / 'gunstiger' where the polarity says."""
    words = {"up": "", "down": ""}
    if polarity != "neutral":
        worse, better = t("change_worse", lang), t("change_better", lang)
        up_worse = polarity == "higher_worse"
        words = {"up": worse if up_worse else better, "down": better if up_worse else worse}
    levels = {"nl": ("99,8", "95"), "en": ("99.8", "95")}[lang if lang == "en" else "nl"]

    def one(side: str, level: str) -> str:
        word = f" ({words[side]})" if words[side] else ""
        return t(f"change_legend_{side}", lang, word=word, level=level)

    return [
        one("up", levels[0]),
        one("up", levels[1]),
        t("change_legend_none", lang),
        one("down", levels[1]),
        one("down", levels[0]),
        t("change_legend_untestable", lang),
    ]


def verdict_note(row, lang: str) -> str:
    """The verdict of one change with the test used or the reason it cannot be tested, as
    the server's change table words it (without the values, which the map's table shows):
    'meer dan toeval (99,8%; exacte Poisson-toets)', 'binnen toeval (exacte Poisson-toets)',
    'niet toetsbaar: een beschrijvende telling, geen toeval'."""
    verdict = change.verdict_text(row, lang)
    test = row.get("test")
    if row["verdict"] in ("missing", "suppressed") or not isinstance(test, str):
        return verdict
    words = change.TEXT[test]["en" if lang == "en" else "nl"]
    return f"{verdict[:-1]}; {words})" if verdict.endswith(")") else f"{verdict} ({words})"


def area_notes(rows: list[dict], lang: str) -> tuple[list[str], list[int | None]]:
    """(the distinct verdict notes, each area's index into them): a few words per kind of
    outcome instead of a sentence per area, so a national map's payload stays small."""
    notes: list[str] = []
    index: list[int | None] = []
    for row in rows:
        note = verdict_note(row, lang)
        if note not in notes:
            notes.append(note)
        index.append(notes.index(note))
    return notes, index


def pair_changes(ctx_: data.Context, indicator: str, level: str, pair, codes: list[str]):
    """The change rows of every area in ``codes`` (their order) for one indicator and pair,
    once per data version."""
    ind = {**ctx_.data.indicators.loc[indicator].to_dict(), "id": indicator}

    def compute():
        rows = change.indicator_changes(ctx_.public_obs, ind, level, pair, codes, members(ctx_))
        return rows

    return ctx_.once(("map_change", indicator, level, tuple(pair)), compute)


def _difference(row, cls, decimals: int):
    return None if cls is None else round(float(row["difference"]), decimals)


def _statuses(shown: list[str], rows: list[dict]) -> list[str]:
    """The later period's status of each area, 'missing' where one period has no value and
    'suppressed' where either was suppressed."""
    out = []
    for status, row in zip(shown, rows, strict=True):
        verdict = row["verdict"]
        out.append(verdict if verdict in ("missing", "suppressed") else status)
    return out


def change_payload(ctx_, state: mapstate.MapState, chosen: changestate.ChangeState, lang: str):
    """The view payload of the change mode: the value view of the later period (its statuses,
    source and age) with the differences as values, six classes, their legend and each
    area's verdict."""
    from dashboard.pages.kaart import build_view, map_data

    index = map_data(ctx_).index
    codes = index.codes[state.level]
    pair = chosen.pair
    base = build_view(ctx_, state.indicator, state.level, lang, pair[1], formatted=False)
    rows = pair_changes(ctx_, state.indicator, state.level, pair, codes)
    ind = ctx_.data.indicators.loc[state.indicator]
    decimals = int(ind["decimals"])
    payload = mapcontract.view_payload(base, decimals, age_in_years(pair[1]))
    classes = [class_of(r) for r in rows]
    when = f"{format_period(pair[0], lang)} → {format_period(pair[1], lang)}"
    notes, note_of = area_notes(rows, lang)
    payload.update(
        period=pair[1],
        periodLabel=t("change_period_label", lang, periods=when),
        chosenPeriod=None,
        values=[_difference(r, c, decimals) for r, c in zip(rows, classes, strict=True)],
        statuses=mapcontract.status_string(_statuses(base.status, rows)),
        classes="".join("-" if c is None else str(c) for c in classes),
        colours=colours(ind["polarity"]),
        legend=legend(ind["polarity"], lang),
        source=f"{base.source_line} · {t('change_source_note', lang, periods=when)}",
        change=mapcontract.ChangeInfo(
            periodFrom=pair[0],
            periodTo=pair[1],
            note=t("change_legend_note", lang),
            method=t("change_legend_method", lang),
            url=changestate.url_params(chosen),
            notes=notes,
            noteOf=note_of,
            hatchClass=HATCH_CLASS,
        ),
    )
    return payload


def resolve(ctx_: data.Context, state: mapstate.MapState, params: dict, lang: str):
    """The change mode of the map for URL ``params``: (ChangeState, notices in ``lang``)."""
    pairs = change.change_periods(ctx_.public_obs, state.indicator, state.level)
    resolved = changestate.resolve_change(params, pairs, state.period)
    notices = []
    for key, values in resolved.notices:
        values = dict(values)
        if key == "notice_change_one_period":
            values["indicator"] = label(ctx_.data.indicators.loc[state.indicator], lang)
            values["level"] = t(f"level_{state.level}", lang).lower()
            values["period"] = format_period(values["period"], lang)
        notices.append(t(key, lang, **values))
    return resolved.state, notices


def view_data(ctx_, state: mapstate.MapState, chosen: changestate.ChangeState, lang: str):
    """The change payload when the change mode is active, else None (the page then sends the
    ordinary value view)."""
    return change_payload(ctx_, state, chosen, lang) if chosen.active else None


def pair_value(pair) -> str:
    """A pair of periods as a select value: '2023/2024'."""
    return f"{pair[0]}/{pair[1]}"


def change_controls(ctx_, state: mapstate.MapState, chosen: changestate.ChangeState, lang: str):
    """The mode switch (values / tested change) and, in the change mode, the two periods."""
    pairs = change.change_periods(ctx_.public_obs, state.indicator, state.level)
    options = [
        {
            "label": f"{format_period(a, lang)} → {format_period(b, lang)}",
            "value": pair_value((a, b)),
        }
        for a, b in pairs
    ]
    return html.Div(
        className="controls change-controls",
        children=[
            html.Fieldset(
                className="control",
                children=[
                    html.Legend(t("change_mode_label", lang)),
                    dbc.RadioItems(
                        id=ids.MAP_CHANGE_MODE,
                        value=changestate.CHANGE_MODE if chosen.active else changestate.VALUE_MODE,
                        inline=True,
                        className="radio-row",
                        options=[
                            {
                                "label": t("change_mode_values", lang),
                                "value": changestate.VALUE_MODE,
                            },
                            {
                                "label": t("change_mode_change", lang),
                                "value": changestate.CHANGE_MODE,
                            },
                        ],
                    ),
                ],
            ),
            html.Div(
                id=ids.MAP_CHANGE_PAIR_BOX,
                className="control",
                hidden=not chosen.active,
                children=[
                    html.Label(t("change_pair_label", lang), htmlFor=ids.MAP_CHANGE_PAIR),
                    dbc.Select(
                        id=ids.MAP_CHANGE_PAIR,
                        value=pair_value(chosen.pair) if chosen.active else None,
                        options=options,
                        className="period-select",
                    ),
                ],
            ),
            dcc.Store(id=ids.MAP_CHANGE_STATE, data={"active": chosen.active}),
        ],
    )


def change_table(ctx_, state: mapstate.MapState, chosen: changestate.ChangeState, lang: str):
    """The change of every area in words (what was tested, its outcome): the table
    alternative of the change map. Hidden and empty outside the change mode."""
    if not chosen.active:
        return html.Section(id=ids.MAP_CHANGE_TABLE, hidden=True)
    from dashboard.pages.kaart import map_data

    codes = map_data(ctx_).index.codes[state.level]
    names = dict(zip(ctx_.areas[state.level]["code"], ctx_.areas[state.level]["name"], strict=True))
    rows = pair_changes(ctx_, state.indicator, state.level, chosen.pair, codes)
    body = [
        [names.get(r["area_code"], r["area_code"]), change.change_phrase(r, lang)]
        for r in change.sort_changes(_frame(rows)).to_dict("records")
    ]
    when = f"{format_period(chosen.pair[0], lang)} → {format_period(chosen.pair[1], lang)}"
    ind_label = label(ctx_.data.indicators.loc[state.indicator], lang)
    return html.Section(
        id=ids.MAP_CHANGE_TABLE,
        className="table-section change-block",
        **{"aria-labelledby": "change-table-heading"},
        children=[
            html.H2(t("change_table_heading", lang), id="change-table-heading"),
            simple_table(
                [t("col_area", lang), t("change_col_change", lang)],
                body,
                caption=f"{ind_label}: {when}",
                lang=lang,
            ),
            html.P(t("change_explained", lang), className="small-note"),
        ],
    )


def _frame(rows: list[dict]):
    import pandas as pd

    return pd.DataFrame(rows, columns=change.CHANGE_COLUMNS)


def change_search(indicator, level, mode, pair, area, lang) -> str:
    """The query string of the map for a mode switch (the URL names of mapstate and
    changestate; the language only when it is not Dutch)."""
    names = mapstate.URL_NAMES
    params = {names["indicator"]: indicator, names["level"]: level, names["area"]: area}
    if mode == changestate.CHANGE_MODE:
        params[changestate.MODE_PARAM] = changestate.CHANGE_MODE
        if pair:
            params[changestate.FROM_PARAM], params[changestate.TO_PARAM] = pair
    if lang == "en":
        params["taal"] = "en"
    kept = {k: v for k, v in params.items() if isinstance(v, str) and v}
    return "?" + "&".join(f"{k}={v}" for k, v in kept.items())


def _pair_of(value):
    if isinstance(value, str) and value.count("/") == 1:
        return tuple(value.split("/"))
    return None


@callback(
    Output(PAGES_LOCATION, "search", allow_duplicate=True),
    Input(ids.MAP_CHANGE_MODE, "value"),
    Input(ids.MAP_CHANGE_PAIR, "value"),
    State(ids.MAP_INDICATOR, "value"),
    State(ids.MAP_LEVEL, "value"),
    State(ids.MAP_CHANGE_STATE, "data"),
    State(ids.MAP_SELECTED, "data"),
    State(ids.MAP_LANG, "data"),
    prevent_initial_call=True,
)
def switch_mode(mode, pair, indicator, level, shown, area, lang):
    """Into or out of the change mode, or another pair of periods: the page is made again
    for the new URL."""
    active = isinstance(shown, dict) and bool(shown.get("active"))  # any value may arrive
    target = next_mode(ctx.triggered_id, mode, pair, active)
    if target is None:
        raise PreventUpdate
    lang = lang if lang in ("nl", "en") else "nl"
    return change_search(indicator, level, target[0], target[1], area or None, lang)


def next_mode(trigger, mode, pair, active: bool):
    """(mode, pair) to go to after ``trigger`` changed, or None to stay.

    >>> next_mode(ids.MAP_CHANGE_MODE, "waarde", None, True)
    ('waarde', None)
    >>> next_mode(ids.MAP_CHANGE_MODE, "waarde", None, False) is None
    True
    >>> next_mode(ids.MAP_CHANGE_PAIR, "verandering", "2017/2021", True)
    ('verandering', ('2017', '2021'))
    """
    if trigger == ids.MAP_CHANGE_MODE:
        wanted = mode if mode in changestate.MODES else changestate.VALUE_MODE
        return None if (wanted == changestate.CHANGE_MODE) == active else (wanted, None)
    chosen = _pair_of(pair)
    return (changestate.CHANGE_MODE, chosen) if chosen else None


def stays_in_change_mode(shown, changed: str) -> bool:
    """Whether a switch of ``changed`` ("indicator", "level", "period") keeps the change mode:
    another indicator or level is shown as its change (the page is made again for the new URL,
    whose fallback says why when it has fewer than two periods); a period leaves it.

    >>> stays_in_change_mode({"active": True}, "level"), stays_in_change_mode(None, "level")
    (True, False)
    >>> stays_in_change_mode({"active": True}, "period"), stays_in_change_mode("x", "indicator")
    (False, False)
    """
    active = isinstance(shown, dict) and shown.get("active") is True
    return active and changed in ("indicator", "level")


_NAMES = mapstate.URL_NAMES
# Another indicator or level in the change mode: the page is made again for the URL with the
# new indicator or level and the same weergave, van and tot (resolve falls back to the
# values, with its notice, when that change cannot be shown). The browser navigates as a
# dcc.Link does (pushState, then Dash's router hears of it), so the value map's switch, which
# sends nothing then (kaart.switch_view), and the URL sync of kaart.js are left as they are.
# The period picker is hidden in the change mode; a period that changes anyway leaves it in
# the browser only. Outside the change mode nothing happens (no request).
clientside_callback(
    "function (indicator, level, period, shown) {"
    "  var nu = window.dash_clientside.no_update;"
    "  if (!shown || shown.active !== true) { return [nu, nu, nu, nu, nu]; }"
    "  var fired = (window.dash_clientside.callback_context.triggered || [])"
    "    .map(function (t) { return t.prop_id; }).join(' ');"
    f'  if (fired.indexOf("{ids.MAP_PERIOD}.") < 0) {{'
    "    var p = new URLSearchParams(window.location.search);"
    f'    p.set("{_NAMES["indicator"]}", indicator); p.set("{_NAMES["level"]}", level);'
    f'    p.delete("{_NAMES["period"]}");'
    f'    if (fired.indexOf("{ids.MAP_LEVEL}.") >= 0) {{ p.delete("{_NAMES["area"]}"); }}'
    '    window.history.pushState({}, "", "/?" + p.toString().replace(/%2C/g, ","));'
    '    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));'
    "    return [nu, nu, nu, nu, nu];"
    "  }"
    f'  return ["{changestate.VALUE_MODE}", {{active: false}}, true, true, false];'
    "}",
    Output(ids.MAP_CHANGE_MODE, "value"),
    Output(ids.MAP_CHANGE_STATE, "data"),
    Output(ids.MAP_CHANGE_PAIR_BOX, "hidden"),
    Output(ids.MAP_CHANGE_TABLE, "hidden"),
    Output(ids.MAP_PERIOD_BOX, "hidden"),
    Input(ids.MAP_INDICATOR, "value"),
    Input(ids.MAP_LEVEL, "value"),
    Input(ids.MAP_PERIOD, "value"),
    State(ids.MAP_CHANGE_STATE, "data"),
    prevent_initial_call=True,
)
