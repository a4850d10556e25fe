"""A buurt asked for by name or code on the wijk page (``/wijk/<buurt>``, ``?buurt=``): its wijk
profile opens with a section on that buurt at the top."""

from __future__ import annotations

from dash import html

from dashboard.components import simple_table
from dashboard.data import Context
from dashboard.figures import short_value
from dashboard.i18n import label, t
from dashboard.pagerates import Measured, measured, missing_cell, url_key, with_measure
from dashboard.profile import WijkProfile, resolve_buurt, resolve_wijk
from dashboard.shell import href, visible
from indicators.formatting import UNIT_LABEL, is_missing
from indicators.periods import format_period


def resolve_area(ctx: Context, key: str | None, buurt_key: str | None = None):
    """``(wijk code, buurt code or None)`` for a wijk or buurt name/code, with an optional
    ``?buurt=`` that must lie in that wijk; ``(None, None)`` when neither is known."""
    wijk = resolve_wijk(ctx, key)
    buurt = None
    if wijk is None:
        buurt = resolve_buurt(ctx, key)
    elif buurt_key:
        buurt = resolve_buurt(ctx, buurt_key)
    if buurt is not None:
        home = buurt_wijk(ctx, buurt)
        if wijk is not None and home != wijk:
            buurt = None
        wijk = wijk or home
    return wijk, buurt


def buurt_notice(ctx: Context, wijk: str, buurt_key: str | None, buurt: str | None, lang: str):
    """A notice for a ``?buurt=`` the wijk page did not use (None otherwise): unknown, or a
    buurt of another wijk (with a link to that wijk's page on that buurt). The value echoed
    is cut to 60 characters with control characters shown as U+FFFD."""
    if not buurt_key or buurt is not None:
        return None
    names = dict(zip(ctx.areas["wijk"]["code"], ctx.areas["wijk"]["name"], strict=True))
    value = visible(str(buurt_key)[:60])
    other = resolve_buurt(ctx, buurt_key)
    if other is None:
        return t("notice_unknown_buurt", lang, value=value, wijk=names.get(wijk, wijk))
    home = buurt_wijk(ctx, other)
    buurten = ctx.areas["buurt"].set_index("code")
    name, other_name = str(buurten.loc[other, "name"]), names.get(home, home)
    text = t("notice_other_wijk_buurt", lang, value=value, other=other_name, wijk=names[wijk])
    link = t("notice_other_wijk_link", lang, name=name, other=other_name)
    return [text, html.A(link, href=href(f"/wijk/{home}", lang, buurt=other))]


def buurt_wijk(ctx: Context, buurt: str) -> str:
    """The wijk code of a buurt code."""
    buurten = ctx.areas["buurt"]
    return str(buurten.loc[buurten["code"] == buurt, "wijkcode"].iloc[0])


def chosen_buurt_section(
    ctx: Context,
    profile: WijkProfile,
    buurt: str | None,
    indicator: str,
    lang: str,
    shown: Measured | None = None,
):
    """The asked-for buurt's own figures (or None without a buurt); ``shown`` the measure of
    the page (counts, or per 1,000 inhabitants where a rate exists)."""
    if buurt is None or buurt not in set(profile.buurten["code"]):
        return None
    shown = shown or measured(ctx, "aantal")
    name = profile.buurten.set_index("code").loc[buurt, "name"]
    rows = []
    for rec in profile.buurt_table.to_dict("records"):
        key = rec["indicator_id"]
        ind = shown.catalogue.loc[key]
        unit, dec = ind["unit"], int(ind["decimals"])
        value = None if is_missing(rec[buurt]) else rec[buurt]
        no_data = t("no_data", lang)
        rows.append(
            [
                label(ind, lang),
                short_value(value, unit, dec, lang)
                or missing_cell(shown, buurt, key, rec["period"], lang, no_data),
                UNIT_LABEL[unit][lang],
                format_period(rec["period"], lang),
            ]
        )
    header = [t(k, lang) for k in ("col_indicator", "col_value", "data_unit", "col_period")]
    return html.Section(
        id="gekozen-buurt",
        className="chosen-buurt",
        **{"aria-labelledby": "gekozen-buurt-heading"},
        children=[
            html.H2(t("chosen_buurt_heading", lang, name=name), id="gekozen-buurt-heading"),
            html.P(t("chosen_buurt_text", lang, name=name, wijk=profile.name)),
            html.P(
                html.A(
                    t("chosen_buurt_map", lang, name=name),
                    href=href("/", lang, **_map_params(indicator, shown.measure), gebied=buurt),
                )
            ),
            simple_table(header, rows, numeric={1}, csv_name=f"buurt-{buurt}", lang=lang),
        ],
    )


def _map_params(indicator: str, measure: str) -> dict:
    """The map's URL for ``indicator`` (a count's rate as the count and ``maat``)."""
    return with_measure({"indicator": url_key(indicator), "niveau": "buurt"}, measure)
