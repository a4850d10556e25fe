"""The compare page's charts as plain dicts (issue 16).

``go.Figure`` validates every property and deep-copies the figure on each ``update_layout``;
for the few small charts of ``/vergelijk`` that was about half the time of a new query. These
builders return the JSON that :mod:`dashboard.figures`' builders of the same name would send
(``dcc.Graph(figure=dict)`` takes it as it is); ``tests/test_figdicts.py`` holds them equal.
The template is resolved once: plotly.js takes a template object, not its name.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dashboard.figures import (
    FUNNEL_LIMIT_STYLE,
    HENGELO_COLOUR,
    JUDGEMENT_MARKERS,
    SEPARATORS,
    THOUSANDS,
    title_layout,
)
from dashboard.i18n import t
from geodata.gemeente import GEMEENTE
from indicators import periods
from indicators.formatting import format_number

REFERENCE_MARKER = {
    "color": "#bdbdbd",
    "line": {"color": "#4a4a4a", "width": 1},
    "pattern": {"shape": "/", "fgcolor": "#4a4a4a"},
}
FUNNEL_TICKS = [100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000]


@lru_cache(maxsize=4)
def _template_json(name: str) -> dict:
    import plotly.io as pio

    return pio.templates[name].to_plotly_json()


def template(name: str = "simple_white") -> dict:
    """Plotly's named template as the object plotly.js reads (built once per process)."""
    return _template_json(name)


def _top(values, reference, factor: float) -> float:
    return max([v for v in values if v is not None] + [reference or 0, 0]) * factor or 1


def _layout(lang: str, **items) -> dict:
    return {"template": template(), **items, "separators": SEPARATORS.get(lang, ",.")}


def comparison_bar(names, values, formatted, reference, reference_text, title, unit, lang="nl"):
    """:func:`dashboard.figures.comparison_bar_figure` as a dict."""
    bars = [
        {
            "hovertemplate": "%{x}: %{text}<extra></extra>",
            "marker": {"color": HENGELO_COLOUR},
            "name": title,
            "text": list(formatted),
            "textposition": "outside",
            "x": list(names),
            "y": [v if v is not None else 0 for v in values],
            "type": "bar",
        }
    ]
    if reference is not None:
        bars.append(
            {
                "hovertemplate": "%{x}: %{text}<extra></extra>",
                "marker": REFERENCE_MARKER,
                "name": GEMEENTE.name,
                "text": [reference_text],
                "textposition": "outside",
                "x": [GEMEENTE.name],
                "y": [reference],
                "type": "bar",
            }
        )
    head = title_layout(title, 14, 50, 300)
    layout = _layout(
        lang,
        height=head["height"],
        title=head["title"],
        yaxis={
            "title": {"text": unit},
            "range": [0, _top(values, reference, 1.2)],
            "tickformat": THOUSANDS,
        },
        showlegend=False,
        margin={"l": 60, "r": 10, "t": head["margin_top"], "b": 60},
    )
    return {"data": bars, "layout": layout}


def _reference_line(reference: float, reference_text: str | None) -> dict:
    """What ``fig.add_vline`` adds: a dashed line over the bars and its label on top."""
    shape = {
        "layer": "above",
        "line": {"color": "#1a1a1a", "dash": "dash", "width": 2},
        "type": "line",
        "x0": reference,
        "x1": reference,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
    }
    note = {
        "showarrow": False,
        "text": f"{GEMEENTE.name} {reference_text or ''}".strip(),
        "x": reference,
        "xanchor": "center",
        "xref": "x",
        "y": 1,
        "yanchor": "bottom",
        "yref": "y domain",
    }
    return {"shapes": [shape], "annotations": [note]}


def ranking(
    names, values, formatted, highlight, reference, title, unit, lang="nl", reference_text=None
):
    """:func:`dashboard.figures.ranking_figure` as a dict."""
    bar = {
        "hovertemplate": "%{y}: %{text}<extra></extra>",
        "marker": {
            "color": ["#0b3d6e" if h else "#8fb3d9" for h in highlight],
            "line": {"color": "#1a1a1a", "width": 0.5},
        },
        "orientation": "h",
        "text": list(formatted),
        "textposition": "outside",
        "x": [v if v is not None else 0 for v in values],
        "y": [f"◆ {n}" if h else n for n, h in zip(names, highlight, strict=True)],
        "type": "bar",
    }
    lines = _reference_line(reference, reference_text) if reference is not None else {}
    head = title_layout(title, 15, 60, 120 + 32 * len(names))
    layout = _layout(
        lang,
        **lines,
        title=head["title"],
        xaxis={
            "title": {"text": unit},
            "range": [0, _top(values, reference, 1.25)],
            "tickformat": THOUSANDS,
        },
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"l": 10, "r": 30, "t": head["margin_top"], "b": 50},
        height=head["height"],
    )
    return {"data": [bar], "layout": layout}


def funnel_limit_traces(curve: list[dict], lang: str) -> list[dict]:
    """:func:`dashboard.figures.funnel_limit_traces` as dicts."""
    pops = [c["population"] for c in curve]
    return [
        {
            "hoverinfo": "skip",
            "legendgroup": level,
            "line": style,
            "mode": "lines",
            "name": t(f"funnel_limit_{level.replace('.', '_')}", lang),
            "showlegend": side == "upper",
            "x": pops,
            "y": [c[f"{side}{level}"] for c in curve],
            "type": "scatter",
        }
        for level, style in FUNNEL_LIMIT_STYLE.items()
        for side in ("lower", "upper")
    ]


def funnel_point_trace(part, judgement, marker, names, highlight, unit, lang) -> dict:
    """:func:`dashboard.figures.funnel_point_trace` as a dict."""
    return marked_points(point_base(part, judgement, marker, names, unit, lang), highlight)


def point_base(part, judgement, marker, names, unit, lang) -> dict:
    """What a funnel point trace is without the chosen areas (:func:`marked_points` adds
    them): kept per data version by the compare page."""
    hover = (
        f"<b>%{{customdata}}</b><br>%{{y:.1f}} {unit}<br>%{{x:,.0f}} "
        f"{t('funnel_inhabitants', lang)}<extra></extra>"
    )
    codes = list(part["area_code"])
    return {
        "codes": codes,
        "customdata": [names.get(c, c) for c in codes],
        "hovertemplate": hover,
        "marker": marker,
        "name": t(f"judgement_short_{judgement}", lang),
        "x": np.asarray(part["population"], dtype=float).tolist(),
        "y": np.asarray(part["value"], dtype=float).tolist(),
    }


def marked_points(base: dict, highlight) -> dict:
    """The point trace of ``base`` with the areas in ``highlight`` larger and named."""
    chosen = [c in highlight for c in base["codes"]]
    return {
        "customdata": base["customdata"],
        "hovertemplate": base["hovertemplate"],
        "marker": {
            **base["marker"],
            "size": [14 if h else 9 for h in chosen],
            "line": {"color": "#000000", "width": [2 if h else 0.5 for h in chosen]},
        },
        "mode": "markers+text",
        "name": base["name"],
        "text": [n if h else "" for n, h in zip(base["customdata"], chosen, strict=True)],
        "textposition": "top center",
        "x": base["x"],
        "y": base["y"],
        "type": "scatter",
    }


def _hengelo_line(points, pops: list[float], lang: str) -> dict:
    reference = float(points["reference"].iloc[0])
    return {
        "hoverinfo": "skip",
        "line": {"color": HENGELO_COLOUR, "width": 2.5},
        "mode": "lines",
        "name": f"{GEMEENTE.name} ({format_number(reference, 1, lang)})",
        "x": [pops[0], pops[-1]],
        "y": [reference, reference],
        "type": "scatter",
    }


def funnel(points, names, curve, highlight, title, unit, lang="nl") -> dict:
    """:func:`dashboard.figures.funnel_figure` as a dict."""
    return marked_funnel(funnel_base(points, names, curve, title, unit, lang), highlight)


def funnel_base(points, names, curve, title, unit, lang="nl") -> dict:
    """The funnel without the chosen areas: limits, Hengelo's line, point bases and layout
    (:func:`marked_funnel` adds the areas)."""
    traces = funnel_limit_traces(curve, lang)
    if len(points):
        traces.append(_hengelo_line(points, [c["population"] for c in curve], lang))
    bases = []
    for judgement, marker in JUDGEMENT_MARKERS.items():
        part = points[points["judgement"] == judgement]
        if not part.empty:
            bases.append(point_base(part, judgement, marker, names, unit, lang))
    head = title_layout(title, 15, 60, 460)
    layout = _layout(
        lang,
        height=head["height"],
        title=head["title"],
        xaxis={
            "title": {"text": t("funnel_x", lang)},
            "type": "log",
            "tickvals": FUNNEL_TICKS,
            "tickformat": ",.0f",
        },
        yaxis={"title": {"text": unit}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.22},
        margin={"l": 60, "r": 20, "t": head["margin_top"], "b": 100},
    )
    return {"traces": traces, "points": bases, "layout": layout}


def marked_funnel(base: dict, highlight) -> dict:
    """The funnel figure of ``base`` with the areas in ``highlight`` marked."""
    points = [marked_points(b, highlight) for b in base["points"]]
    return {"data": [*base["traces"], *points], "layout": base["layout"]}


def _numbers(values) -> list[float | None]:
    return [None if v is None or v != v else float(v) for v in values]


def trend_figure(series, name, area_name, unit, show_reference, lang="nl") -> dict:
    """:func:`dashboard.figures.trend_figure` as a dict (the wijk page draws a dozen)."""
    labels = [periods.format_period(p, lang, short=True) for p in series["period"]]
    traces = [
        {
            "line": {"color": "#0b5394", "width": 3},
            "marker": {"size": 9, "symbol": "circle"},
            "mode": "lines+markers",
            "name": area_name,
            "x": labels,
            "y": _numbers(series["value"]),
            "type": "scatter",
        }
    ]
    if show_reference and series["hengelo"].notna().any():
        traces.append(
            {
                "line": {"color": "#4a4a4a", "dash": "dash"},
                "marker": {"size": 8, "symbol": "square"},
                "mode": "lines+markers",
                "name": GEMEENTE.name,
                "x": labels,
                "y": _numbers(series["hengelo"]),
                "type": "scatter",
            }
        )
    head = title_layout(name, 14, 30, 240)
    layout = _layout(
        lang,
        height=head["height"],
        margin={"l": 50, "r": 10, "t": head["margin_top"], "b": 30},
        title=head["title"],
        xaxis={"type": "category", "title": {}},
        yaxis={"title": {"text": unit}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
        hovermode="x unified",
    )
    return {"data": traces, "layout": layout}
