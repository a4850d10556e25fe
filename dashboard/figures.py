"""Pure figure builders: frames in, ``go.Figure`` (or a ``dash.Patch``) out."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import Patch

from dashboard.i18n import label, t
from indicators.classify import MISSING_COLOUR, classify
from indicators.formatting import UNIT_LABEL, format_number, is_missing
from indicators.views import map_values

TRACE = {"buurt": {"base": 0, "data": 1}, "wijk": {"base": 2, "data": 3}}
# The hover text reads indicator, unit and source from the trace's ``meta`` (see trace_meta),
# so that a switch sends those few words once instead of a template per area.
DATA_HOVER = (
    "<b>%{customdata}</b><br>%{meta[0]}: %{text}%{meta[1]}<br><i>%{meta[2]}</i><extra></extra>"
)
FOCUS_TRACE = 4
LINE_COLOUR = "#3d3d3d"
SELECTED_COLOUR = "#000000"
FOCUS_COLOUR = "#5e2b97"
PDOK_TILES = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
)
SEPARATORS = {"nl": ",.", "en": ".,"}


@dataclass
class MapView:
    """Everything that changes on the map when the indicator or level changes."""

    indicator: str
    level: str
    period: str | None
    codes: list[str]
    values: list[float | None]
    formatted: list[str]
    class_index: list[int | None]
    status: list[str]
    colours: list[str]
    legend: list[tuple[str, str]]
    hovertemplate: str  # the indicator's label in the hover text (the template is fixed)
    unit_suffix: str
    source_line: str
    polarity: str
    notes: list[str] = field(default_factory=list)
    coverage: list[str | None] = field(default_factory=list)


def map_view(
    obs: pd.DataFrame,
    catalogue: pd.DataFrame,
    sources: pd.DataFrame,
    indicator: str,
    level: str,
    codes: list[str],
    lang: str = "nl",
) -> MapView:
    """Values, classes, colours, legend and hover text of one indicator at one level."""
    ind = catalogue.loc[indicator]
    rows = map_values(obs, indicator, level, codes)
    values = [None if is_missing(v) else float(v) for v in rows["value"]]
    classes = classify(values, ind["polarity"])
    decimals = int(ind["decimals"])
    formatted = [short_value(v, ind["unit"], decimals, lang) for v in values]
    legend = [
        (colour, _class_label(lo, hi, decimals, lang))
        for colour, lo, hi in zip(classes.colours, classes.lower, classes.upper, strict=True)
    ]
    if any(v is None for v in values):
        legend.append((MISSING_COLOUR, t("no_data", lang)))
    period = rows["period"].iloc[0] if len(rows) else None
    source = sources.loc[ind["source"]]
    source_line = f"{t('source', lang)}: {source['attribution'].removeprefix('Bron: ')}, {period}"
    unit = UNIT_LABEL[ind["unit"]][lang]
    suffix = "" if ind["unit"] in ("pct", "count") else " " + unit
    hover = label(ind, lang)
    return MapView(
        indicator=indicator,
        level=level,
        period=period,
        codes=list(codes),
        values=values,
        formatted=formatted,
        class_index=classes.index,
        status=list(rows["status"]),
        colours=classes.colours,
        legend=legend,
        hovertemplate=hover,
        unit_suffix=suffix,
        source_line=source_line,
        polarity=ind["polarity"],
        notes=[unit],
        coverage=[
            _coverage(n, total)
            for n, total in zip(rows["coverage_n"], rows["coverage_total"], strict=True)
        ],
    )


def _coverage(n, total) -> str | None:
    if is_missing(n) or is_missing(total):
        return None
    return f"{int(n)}/{int(total)}"


def short_value(value, unit: str, decimals: int, lang: str) -> str | None:
    """A value as the map and table cells show it: the number (with % for percentages);
    the unit stands in the column header and the hover text. Missing stays ``None``."""
    if value is None:
        return None
    text = format_number(value, decimals, lang)
    return text + "%" if unit == "pct" else text


def _class_label(lower: float, upper: float, decimals: int, lang: str) -> str:
    low, high = format_number(lower, decimals, lang), format_number(upper, decimals, lang)
    return low if low == high else f"{low} – {high}"


def discrete_colorscale(colours: list[str]) -> list[list]:
    """A stepped colour scale for class indices 0..k-1 (with zmin -0.5, zmax k-0.5)."""
    if not colours:
        return [[0, MISSING_COLOUR], [1, MISSING_COLOUR]]
    k = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / k, colour], [(i + 1) / k, colour]]
    return scale


def line_widths(codes: list[str], selected: str | None) -> list[float]:
    return [3.5 if code == selected else 0.6 for code in codes]


def map_figure(
    geojson: dict,
    areas: dict,
    view: MapView,
    centre: dict,
    focus: list[str],
    show_focus: bool = True,
    selected: str | None = None,
    basemap: str = "none",
    lang: str = "nl",
) -> go.Figure:
    """The full map: a base (grey, 'no data') and a data trace per level, plus focus outlines.

    ``geojson`` maps a level to its GeoJSON (a dict, or the URL of a cacheable file the browser
    fetches once). Later changes are sent as patches of values and colours only.
    """
    traces = []
    for level in ("buurt", "wijk"):
        codes, names = list(areas[level]["code"]), list(areas[level]["name"])
        active = level == view.level
        traces.append(
            go.Choroplethmap(
                geojson=geojson[level],
                locations=codes,
                z=[0] * len(codes),
                customdata=names,
                colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
                showscale=False,
                marker={"line": {"color": LINE_COLOUR, "width": line_widths(codes, selected)}},
                hovertemplate=f"<b>%{{customdata}}</b><br>{t('no_data', lang)}<extra></extra>",
                visible=active,
                name=f"{level}-base",
            )
        )
        z = view.class_index if active else [None] * len(codes)
        traces.append(
            go.Choroplethmap(
                geojson=geojson[level],
                locations=codes,
                z=z,
                text=view.formatted if active else None,
                customdata=names,
                zmin=-0.5,
                zmax=max(len(view.colours), 1) - 0.5,
                colorscale=discrete_colorscale(view.colours),
                showscale=False,
                marker={"line": {"color": LINE_COLOUR, "width": line_widths(codes, selected)}},
                hovertemplate=DATA_HOVER,
                meta=trace_meta(view) if active else None,
                visible=active,
                name=f"{level}-data",
            )
        )
    traces.append(
        go.Choroplethmap(
            geojson=geojson["wijk"],
            locations=list(focus),
            z=[0] * len(focus),
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            showscale=False,
            marker={"line": {"color": FOCUS_COLOUR, "width": 3.5}},
            hoverinfo="skip",
            visible=show_focus,
            name="focus",
        )
    )
    fig = go.Figure(traces)
    fig.update_layout(
        template=None,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        separators=SEPARATORS.get(lang, ",."),
        uirevision="map",
        dragmode="pan",
        map={
            "style": "white-bg",
            "center": centre,
            "zoom": 10.9,
            "layers": _basemap_layers(basemap),
        },
        paper_bgcolor="#ffffff",
        hoverlabel={"bgcolor": "#ffffff", "font": {"size": 14}},
    )
    return fig


def _basemap_layers(basemap: str) -> list[dict]:
    if basemap != "pdok":
        return []
    return [
        {
            "below": "traces",
            "sourcetype": "raster",
            "source": [PDOK_TILES],
            "sourceattribution": "Kaart: PDOK / Kadaster (CC BY 4.0)",
        }
    ]


def trace_meta(view: MapView) -> list:
    """What the browser needs besides values and classes, kept in the data trace's ``meta``.

    ``[label, unit suffix, source, indicator, level, period, unit, legend labels, polarity,
    coverage per area as "n:total" (derived values) or None, other statuses as [row, status]]``.
    The first three fill the hover text. Statuses 'published', 'missing' and 'derived' are
    implied by a value being present or not and by the coverage.
    """
    coverage = [c.replace("/", ":") if c else None for c in view.coverage]
    notes = [
        [i, status]
        for i, status in enumerate(view.status)
        if status not in ("published", "missing", "derived")
    ]
    return [
        view.hovertemplate,
        view.unit_suffix,
        view.source_line,
        view.indicator,
        view.level,
        view.period,
        view.notes[0] if view.notes else "",
        [lbl for _, lbl in view.legend],
        view.polarity,
        coverage if any(coverage) else None,
        notes,
    ]


def map_patch(
    view: MapView,
    *,
    level_changed: bool,
    selected: str | None,
    selection_changed: bool,
    values_changed: bool = True,
    show_focus: bool | None = None,
) -> Patch:
    """Only what changes: values, colours and texts in one merge; visibility and outlines when
    the level or selection changes."""
    patch = Patch()
    data = TRACE[view.level]["data"]
    if values_changed:
        patch["data"][data].update(
            {
                "z": view.class_index,
                "text": view.formatted,
                "colorscale": discrete_colorscale(view.colours),
                "zmax": max(len(view.colours), 1) - 0.5,
                "meta": trace_meta(view),
            }
        )
    if level_changed:
        for level, idx in TRACE.items():
            for trace in idx.values():
                patch["data"][trace]["visible"] = level == view.level
    if level_changed or selection_changed:
        widths = line_widths(view.codes, selected)
        patch["data"][data]["marker"]["line"]["width"] = widths
        patch["data"][TRACE[view.level]["base"]]["marker"]["line"]["width"] = widths
    if show_focus is not None:
        patch["data"][FOCUS_TRACE]["visible"] = show_focus
    return patch


def naive_map_figure(geojson: dict, view: MapView, names: list[str]) -> go.Figure:
    """The baseline the benchmark compares against: rebuild everything with plotly express."""
    import plotly.express as px

    frame = pd.DataFrame(
        {
            "code": view.codes,
            "name": names,
            "value": [np.nan if v is None else v for v in view.values],
        }
    )
    return px.choropleth_map(
        frame,
        geojson=geojson,
        locations="code",
        color="value",
        hover_name="name",
        map_style="white-bg",
        zoom=10.6,
    )


def area_map_figure(
    geojson_url: str,
    codes: list[str],
    names: list[str],
    view: MapView,
    centre: dict,
    zoom: float,
    lang: str = "nl",
) -> go.Figure:
    """A map of a few areas (e.g. the buurten of one wijk), zoomed to them."""
    base = go.Choroplethmap(
        geojson=geojson_url,
        locations=codes,
        z=[0] * len(codes),
        customdata=names,
        colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
        showscale=False,
        marker={"line": {"color": LINE_COLOUR, "width": 0.8}},
        hovertemplate=f"<b>%{{customdata}}</b><br>{t('no_data', lang)}<extra></extra>",
        name="base",
    )
    data = go.Choroplethmap(
        geojson=geojson_url,
        locations=codes,
        z=view.class_index,
        text=view.formatted,
        customdata=names,
        zmin=-0.5,
        zmax=max(len(view.colours), 1) - 0.5,
        colorscale=discrete_colorscale(view.colours),
        showscale=False,
        marker={"line": {"color": LINE_COLOUR, "width": 0.8}},
        hovertemplate=DATA_HOVER,
        meta=trace_meta(view),
        name="data",
    )
    fig = go.Figure([base, data])
    fig.update_layout(
        template=None,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        separators=SEPARATORS.get(lang, ",."),
        uirevision="area-map",
        dragmode="pan",
        map={"style": "white-bg", "center": centre, "zoom": zoom},
        hoverlabel={"bgcolor": "#ffffff", "font": {"size": 14}},
    )
    return fig


def trend_figure(
    series: pd.DataFrame,
    name: str,
    area_name: str,
    unit: str,
    show_reference: bool,
    lang: str = "nl",
) -> go.Figure:
    """A small line chart of one indicator over the periods (with Hengelo when comparable)."""
    fig = go.Figure(
        go.Scatter(
            x=series["period"],
            y=series["value"],
            mode="lines+markers",
            name=area_name,
            line={"color": "#0b5394", "width": 3},
            marker={"size": 9, "symbol": "circle"},
        )
    )
    if show_reference and series["hengelo"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=series["period"],
                y=series["hengelo"],
                mode="lines+markers",
                name="Hengelo",
                line={"color": "#4a4a4a", "dash": "dash"},
                marker={"size": 8, "symbol": "square"},
            )
        )
    fig.update_layout(
        template="simple_white",
        height=240,
        margin={"l": 50, "r": 10, "t": 30, "b": 30},
        title={"text": name, "font": {"size": 14}},
        separators=SEPARATORS.get(lang, ",."),
        xaxis={"type": "category", "title": None},
        yaxis={"title": unit, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
        hovermode="x unified",
    )
    return fig
