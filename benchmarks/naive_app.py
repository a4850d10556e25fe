"""The naive baseline of benchmarks/browser_switch.py: a Dash app that rebuilds the whole figure
with ``px.choropleth_map`` on every switch, on the same simplified web geometry and data as the
dashboard (read from the same store). Dash's defaults otherwise: no compression settings, no
cache headers. Serve: ``gunicorn --pythonpath benchmarks,. naive_app:server``.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, callback, dcc, html

from dashboard import data
from dashboard.figures import map_view, naive_map_figure
from indicators.views import indicators_with_data

ctx = data.get_context()
LEVELS = ("wijk", "buurt")
OPTIONS = indicators_with_data(ctx.public_obs, ctx.data.indicators, "buurt")


def figure(indicator: str, level: str):
    codes = list(ctx.areas[level]["code"])
    names = list(ctx.areas[level]["name"])
    view = map_view(ctx.public_obs, ctx.data.indicators, ctx.data.sources, indicator, level, codes)
    return naive_map_figure(ctx.geojson[level], view, names, ctx.centre)


app = Dash(__name__, serve_locally=True)
app.layout = html.Div(
    [
        html.H1("Naive map"),
        dbc.Select(
            id="kaart-indicator",
            value=OPTIONS[0],
            options=[{"label": i, "value": i} for i in OPTIONS],
        ),
        dbc.RadioItems(
            id="kaart-level",
            value="wijk",
            options=[{"label": lv, "value": lv} for lv in LEVELS],
            inline=True,
        ),
        dcc.Graph(id="graph", figure=figure(OPTIONS[0], "wijk"), style={"height": "62vh"}),
    ]
)


@callback(
    Output("graph", "figure"),
    Input("kaart-indicator", "value"),
    Input("kaart-level", "value"),
    prevent_initial_call=True,
)
def update(indicator, level):
    return figure(indicator, level)


server = app.server
