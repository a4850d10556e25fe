"""Counts or rates on the map (``?maat=aantal|per1000``): the rates of
:mod:`indicators.rates` as synthetic indicators with their own index, built once per loaded
data, and the small control that switches between them. The map page calls these from a
few lines; the browser draws a rate view as any view (its ``indicator`` is the rate's key,
``urlIndicator`` and ``measure`` keep the URL as the user wrote it)."""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import data, ids
from dashboard.i18n import label, t
from indicators import rates
from indicators.mapindex import ObsIndex, build_index


@dataclass
class RateData:
    """The rates of one loaded context: their index, observations and catalogue (the
    catalogue of the context plus a row per rate)."""

    index: ObsIndex
    obs: pd.DataFrame
    catalogue: pd.DataFrame


def rate_data(ctx_: data.Context) -> RateData:
    """The rates of ``ctx_``, made once per loaded data."""
    return ctx_.once("map-rates", lambda: _rate_data(ctx_))


def _rate_data(ctx_: data.Context) -> RateData:
    catalogue = ctx_.data.indicators
    extra = rates.rate_catalogue(catalogue[catalogue["public"].astype(bool)])
    obs = rates.rate_observations(ctx_.public_obs, catalogue)
    codes = {level: list(frame["code"]) for level, frame in ctx_.areas.items()}
    return RateData(
        index=build_index(obs, extra, codes),
        obs=obs,
        catalogue=pd.concat([catalogue, extra]),
    )


def has_rate(ctx_: data.Context, indicator: str | None, level: str) -> bool:
    """True when ``indicator`` has a rate with figures at ``level``."""
    if not indicator:
        return False
    return rates.rate_key(indicator) in rate_data(ctx_).index.with_data.get(level, [])


def shown_indicator(ctx_: data.Context, indicator: str, level: str, measure) -> str:
    """The id the map shows: the rate's key for ``per1000`` where the rate exists, else the
    indicator itself."""
    if measure == "per1000" and has_rate(ctx_, indicator, level):
        return rates.rate_key(indicator)
    return indicator


def extra_meta(ctx_: data.Context, lang: str, meta_of) -> tuple[dict, dict]:
    """Labels and meta of every rate for the areas payload (``meta_of`` as the map page
    makes meta of a catalogue row)."""
    extra = rates.rate_catalogue(ctx_.data.indicators[ctx_.data.indicators["public"].astype(bool)])
    labels = {key: label(row, lang) for key, row in extra.iterrows()}
    return labels, {key: meta_of(row, lang) for key, row in extra.iterrows()}


def payload_fields(key: str) -> dict:
    """What a rate view adds to its payload: the count's id for the URL and the measure."""
    if key == rates.count_of(key):
        return {}
    return {"urlIndicator": rates.count_of(key), "measure": "per1000"}


def measure_control(ctx_: data.Context, indicator: str, level: str, measure, lang: str):
    """The count/rate switch, hidden for an indicator without a rate at ``level``."""
    return html.Fieldset(
        id=ids.MAP_MEASURE_BOX,
        className="control",
        hidden=not has_rate(ctx_, indicator, level),
        children=[
            html.Legend(t("measure_label", lang)),
            dbc.RadioItems(
                id=ids.MAP_MEASURE,
                value=measure if measure in rates.MEASURES else rates.DEFAULT_MEASURE,
                inline=True,
                className="radio-row",
                options=[{"label": t(f"measure_{m}", lang), "value": m} for m in rates.MEASURES],
            ),
        ],
    )
