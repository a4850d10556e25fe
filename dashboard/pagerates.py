"""Counts or rates on the wijk and compare pages (``?maat=aantal|per1000``, issue 18 A3).

The rule of a rate is :mod:`indicators.rates` (public, suppressed-aware counts divided by the
inhabitants of the same year); the map's :mod:`dashboard.maprates` makes the rates once per
loaded data. This module gives the other pages a *measured view* of the public figures: with
``per1000`` every count that has a rate is replaced by its rate (id ``<count>@per1000``, its
own catalogue row, in the count's place in the catalogue order), so the pure builders of the
pages (profile, comparison, ranking, map) work on it unchanged. Built once per data version.
A rate that cannot be made is shown as "—" with its reason (:func:`reason`), never as 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, html

from dashboard import data, maprates
from dashboard.i18n import t
from indicators import rates

PARAM = "maat"
DASH = "—"
COMPLEMENTARY = "aanvullend onderdrukt"  # the start of indicators.complementary.NOTE


@dataclass
class Measured:
    """The public figures as one measure shows them."""

    measure: str
    obs: pd.DataFrame
    catalogue: pd.DataFrame
    rated: dict[str, str] = field(default_factory=dict)  # count id -> rate key (per1000)
    cells: dict = field(default_factory=dict)  # (area, rate key, period) -> (status, note)


def measured(ctx: data.Context, measure: str | None) -> Measured:
    """The figures of ``ctx`` for ``measure`` (anything but ``per1000`` is the counts), made
    once per data version."""
    if measure != "per1000":
        return Measured("aantal", ctx.public_obs, ctx.data.indicators)
    return ctx.once(("page-measure", "per1000"), lambda: _per1000(ctx))


def _per1000(ctx: data.Context) -> Measured:
    rate = maprates.rate_data(ctx)
    catalogue = ctx.data.indicators
    rated = {count: rates.rate_key(count) for count in _bases(ctx)}
    obs = ctx.public_obs[~ctx.public_obs["indicator_id"].isin(list(rated))]
    obs = pd.concat([obs, rate.obs], ignore_index=True)
    order = [rated.get(i, i) for i in catalogue.index]
    rows = rate.catalogue[~rate.catalogue.index.isin(list(rated))]
    cells = _cells(rate.obs, ctx.public_obs)
    return Measured("per1000", obs, rows.loc[order], rated, cells)


def _cells(rate_obs: pd.DataFrame, public_obs: pd.DataFrame) -> dict:
    """(area, rate key, period) -> (status, note) of every rate; a suppressed rate keeps the
    note of its count (which says whether it was hidden as small or to protect another)."""
    hidden = public_obs[public_obs["status"] == "suppressed"]
    keys = zip(
        hidden["area_code"], hidden["indicator_id"], hidden["period"].astype(str), strict=True
    )
    count_notes = dict(zip(keys, hidden["note"].fillna(""), strict=True))
    cells = {}
    for a, k, p, s, n in zip(
        rate_obs["area_code"],
        rate_obs["indicator_id"],
        rate_obs["period"].astype(str),
        rate_obs["status"],
        rate_obs["note"],
        strict=True,
    ):
        note = count_notes.get((a, rates.count_of(k), p), n) if s == "suppressed" else n
        cells[(a, k, p)] = (s, note)
    return cells


def resolve_measure(value, has_rate: bool, lang: str) -> tuple[str, str | None]:
    """``(measure, notice)`` from the URL's ``maat``: ``aantal`` by default; an unknown value
    (or ``per1000`` where nothing on the page has a rate) falls back to ``aantal`` with a
    notice.

    >>> resolve_measure("per1000", True, "nl"), resolve_measure(None, False, "nl")
    (('per1000', None), ('aantal', None))
    >>> resolve_measure("zzz", True, "nl")[0]
    'aantal'
    """
    if value in (None, "", rates.DEFAULT_MEASURE) or (value == "per1000" and has_rate):
        return (value or rates.DEFAULT_MEASURE), None
    key = "toggle_unknown" if value != "per1000" else "toggle_no_rate"
    return rates.DEFAULT_MEASURE, t(key, lang, value=str(value)[:40])


def shown_key(indicator: str, measure: str, catalogue: pd.DataFrame) -> str:
    """The id a page shows for the count (or rate key) ``indicator`` under ``measure``.

    >>> cat = pd.DataFrame(index=["m", "m@per1000", "x"])
    >>> shown_key("m", "per1000", cat), shown_key("m@per1000", "aantal", cat)
    ('m@per1000', 'm')
    >>> shown_key("x", "per1000", cat)
    'x'
    """
    count = rates.count_of(indicator)
    key = rates.rate_key(count)
    return key if measure == "per1000" and key in catalogue.index else count


def url_key(indicator: str) -> str:
    """The id a URL carries: always the count's (``maat`` says which measure)."""
    return rates.count_of(indicator)


def _bases(ctx: data.Context) -> dict[str, str]:
    """Public count -> the indicator its rate divides by (the catalogue's denominator)."""
    catalogue = ctx.data.indicators
    return rates.with_rates(catalogue[catalogue["public"].astype(bool)])


def has_rates(ctx: data.Context, indicators) -> bool:
    """True when one of ``indicators`` (ids or rate keys) is a count with a rate."""
    counts = ctx.once(("page-rate-bases",), lambda: _bases(ctx))
    return any(rates.count_of(str(i)) in counts for i in indicators)


def is_rate(key) -> bool:
    return rates.count_of(str(key)) != str(key)


def reason(m: Measured, area: str, key: str, period, lang: str) -> str | None:
    """Why the rate ``key`` of ``area`` in ``period`` is not shown ("—" and a reason), or
    None when it is not a rate or has a value."""
    status, note = m.cells.get((area, key, str(period)), (None, ""))
    if status == "suppressed":
        which = "complementary" if str(note).startswith(COMPLEMENTARY) else "suppressed"
        return t(f"toggle_reason_{which}", lang)
    if status == "missing":
        year = str(period)[:4]
        none = "geen inwoners in" in str(note)
        return t("toggle_reason_zero" if none else "toggle_reason_no_base", lang, year=year)
    return None


def missing_cell(m: Measured, area: str, key: str, period, lang: str, fallback: str):
    """The cell of a missing value: "—" with the reason for a rate that cannot be made,
    else ``fallback`` (e.g. "geen gegevens")."""
    why = reason(m, area, key, period, lang) if is_rate(key) else None
    if why is None:
        return fallback
    return html.Span([DASH, html.Span(why, className="cell-note")], title=why)


def base_sources(ctx: data.Context, lang: str) -> str:
    """The inhabitants behind the rates: 'CBS 2017, 2021, 2024' (publisher and years)."""
    obs = ctx.public_obs
    rows = obs[obs["indicator_id"].isin(set(_bases(ctx).values())) & obs["value"].notna()]
    publishers = ctx.data.sources["publisher"]
    parts = []
    for source, group in rows.groupby("source_id", sort=True):
        publisher = publishers.get(source, source)
        years = sorted({str(p)[:4] for p in group["period"]})
        parts.append((years[0], f"{publisher} {', '.join(years)}"))
    return "; ".join(text for _, text in sorted(parts)) or t("no_data", lang)


def measure_note(ctx: data.Context, measure: str, lang: str) -> str:
    """'Per 1.000 inwoners: … (inwoners: CBS 2017, 2021, 2024).' under the control."""
    key = "toggle_note_per1000" if measure == "per1000" else "toggle_note_aantal"
    return t(key, lang, sources=base_sources(ctx, lang))


def measure_control(ctx, control_id: str, measure: str, lang: str, hidden: bool = False):
    """The count/rate radio group (a fieldset with a legend: keyboard and screen reader),
    with a line saying what the shown measure is and where the inhabitants come from."""
    return html.Fieldset(
        id=f"{control_id}-box",
        className="control measure-toggle no-print",
        hidden=hidden,
        children=[
            html.Legend(t("toggle_legend", lang)),
            dbc.RadioItems(
                id=control_id,
                value=measure,
                inline=True,
                className="radio-row",
                options=[{"label": t(f"toggle_{m}", lang), "value": m} for m in rates.MEASURES],
            ),
            html.P(
                None if hidden else measure_note(ctx, measure, lang),
                id=f"{control_id}-note",
                className="small-note",
            ),
        ],
    )


def with_measure(params: dict, measure: str) -> dict:
    """``params`` for a link with ``maat`` (left out for the default count)."""
    return {**params, PARAM: measure if measure == "per1000" else None}


def base_source_of(ctx: data.Context, area: str, key: str, period) -> str | None:
    """Publisher and year of the inhabitants the rate ``key`` of ``area`` in ``period``
    divides by ('CBS/Kadaster 2021'), None when there are none."""
    obs = ctx.public_obs
    year = str(period)[:4]
    rows = obs[
        (obs["indicator_id"] == _bases(ctx).get(rates.count_of(key)))
        & (obs["area_code"] == area)
        & (obs["period"].astype(str) == year)
        & obs["value"].notna()
    ]
    if rows.empty:
        return None
    source = rows["source_id"].iloc[0]
    return f"{ctx.data.sources['publisher'].get(source, source)} {year}"


SWITCH_JS = """function (measure, indicator) {
    var q = new URLSearchParams(window.location.search);
    if (measure === "per1000") { q.set("maat", "per1000"); } else { q.delete("maat"); }
    if (indicator) { q.set("indicator", String(indicator).split("@")[0]); }
    try { window.sessionStorage.setItem("maat-focus", "1"); } catch (e) {}
    var s = q.toString().replace(/%2C/g, ",");
    return s ? "?" + s : "";
}"""
FOCUS_JS = """function (id) {
    var again = false;
    try { again = window.sessionStorage.getItem("maat-focus") === "1";
          window.sessionStorage.removeItem("maat-focus"); } catch (e) {}
    var input = again ? document.querySelector("#" + id + " input:checked") : null;
    if (input) { input.focus(); }
    return "";
}"""


def switch_callbacks(control_id: str, focus_id: str, indicator: State | None = None) -> None:
    """Register the switch of a page: a new ``maat`` in the URL makes Dash's page router
    build the page again (each measure's page is cached per data version), and the switch
    gets the keyboard focus back. ``indicator``: a State whose value (a count or its rate
    key) the URL keeps as ``indicator``."""
    states = [indicator] if indicator is not None else []
    dash.clientside_callback(
        SWITCH_JS,
        Output("_pages_location", "search", allow_duplicate=True),
        Input(control_id, "value"),
        *states,
        prevent_initial_call=True,
    )
    dash.clientside_callback(
        FOCUS_JS, Output(focus_id, "children"), Input(f"{control_id}-box", "id")
    )
