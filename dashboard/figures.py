"""Pure figure builders: frames in, ``go.Figure`` (or a ``dash.Patch``) out."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import spider
from dashboard.i18n import label, t
from geodata.gemeente import GEMEENTE
from indicators import periods
from indicators.classify import METHODS, MISSING_COLOUR, classify
from indicators.formatting import UNIT_LABEL, format_number, is_missing
from indicators.views import latest_period, map_values

# The hover text of an area map reads indicator, unit and source from the trace's ``meta``
# (see hover_meta), so that the words are sent once instead of a template per area.
DATA_HOVER = (
    "<b>%{customdata}</b><br>%{meta[0]}: %{text}%{meta[1]}<br><i>%{meta[2]}</i><extra></extra>"
)
LINE_COLOUR = "#3d3d3d"
SELECTED_COLOUR = "#000000"
FOCUS_COLOUR = "#5e2b97"
PDOK_TILES = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
)
PDOK_ATTRIBUTION = "Kaart: PDOK / Kadaster (CC BY 4.0)"
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
    period_label: str = ""
    chosen_period: str | None = None  # a period the user chose instead of the default


def map_view(
    obs: pd.DataFrame,
    catalogue: pd.DataFrame,
    sources: pd.DataFrame,
    indicator: str,
    level: str,
    codes: list[str],
    lang: str = "nl",
    period: str | None = None,
    rows: pd.DataFrame | None = None,
    default: str | None = None,
    formatted: bool = True,
) -> MapView:
    """Values, classes, colours, legend and hover text of one indicator at one level, in
    ``period`` (default: the latest period that covers the level well). ``rows`` (as
    :func:`indicators.views.map_values` makes them) and ``default`` may come from an index,
    so that nothing is scanned; without ``formatted`` the values are not formatted as text (the
    browser does that)."""
    ind = catalogue.loc[indicator]
    if rows is None:
        default = latest_period(obs, indicator, level)
        rows = map_values(obs, indicator, level, codes, period or default)
    numbers = pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype=float)
    values = np.where(np.isnan(numbers), None, numbers).tolist()
    classes = classify(values, ind["polarity"], method=classification_method(ind))
    decimals = int(ind["decimals"])
    texts = [short_value(v, ind["unit"], decimals, lang) for v in values] if formatted else []
    period = rows["period"].iloc[0] if len(rows) else None
    period_label = periods.format_period(period, lang)
    attribution = shown_attribution(rows, ind, sources)
    source_line = f"{t('source', lang)}: {attribution}, {period_label}"
    unit = UNIT_LABEL[ind["unit"]][lang]
    suffix = "" if ind["unit"] in ("pct", "count") else " " + unit
    hover = label(ind, lang)
    return MapView(
        indicator=indicator,
        level=level,
        period=period,
        period_label=period_label,
        chosen_period=period if period and period != default else None,
        codes=list(codes),
        values=values,
        formatted=texts,
        class_index=classes.index,
        status=rows["status"].tolist(),
        colours=classes.colours,
        legend=class_legend(classes, decimals, lang, any(v is None for v in values)),
        hovertemplate=hover,
        unit_suffix=suffix,
        source_line=source_line,
        polarity=ind["polarity"],
        notes=[unit],
        coverage=_coverages(rows),
    )


def class_legend(classes, decimals: int, lang: str, with_missing: bool) -> list[tuple[str, str]]:
    """(colour, label) per class, and the grey of *geen gegevens* when an area has no value."""
    legend = [
        (colour, _class_label(lo, hi, decimals, lang))
        for colour, lo, hi in zip(classes.colours, classes.lower, classes.upper, strict=True)
    ]
    if with_missing:
        legend.append((MISSING_COLOUR, t("no_data", lang)))
    return legend


def shown_attribution(rows: pd.DataFrame, ind, sources: pd.DataFrame) -> str:
    """The attribution of the values shown: their most frequent source (a derived or imported
    value cites where it came from), else the indicator's own source."""
    shown = rows.loc[rows["value"].notna(), "source_id"].dropna()
    source_id = shown.value_counts().index[0] if len(shown) else ind["source"]
    source = sources.loc[source_id if source_id in sources.index else ind["source"]]
    return source["attribution"].removeprefix("Bron: ")


def classification_method(ind) -> str:
    """The indicator's classification method (catalogue field ``classification``; stores built
    before the field existed get Fisher-Jenks)."""
    method = ind.get("classification") if hasattr(ind, "get") else None
    return method if isinstance(method, str) and method in METHODS else "fisher_jenks"


def _coverages(rows: pd.DataFrame) -> list[str | None]:
    """``"n/total"`` for derived values, else ``None`` (one per row)."""
    n, total = rows["coverage_n"], rows["coverage_total"]
    if not (n.notna() & total.notna()).any():
        return [None] * len(rows)
    return [_coverage(a, b) for a, b in zip(n, total, strict=True)]


def _coverage(n, total) -> str | None:
    if is_missing(n) or is_missing(total):
        return None
    return f"{int(n)}/{int(total)}"


def short_value(value, unit: str, decimals: int, lang: str) -> str | None:
    """A value as the map and table cells show it: the number (with % for percentages);
    the unit stands in the column header and the hover text. Missing stays ``None``."""
    if value is None:
        return None
    return format_number(value, decimals, lang) + value_suffix(unit)


def value_suffix(unit: str) -> str:
    """What follows every number of ``unit`` in a cell: ``%`` for percentages (``20,5%``);
    other units stand in the column header. The map's browser side gets it in the meta."""
    return "%" if unit == "pct" else ""


def _class_label(lower: float, upper: float, decimals: int, lang: str) -> str:
    low, high = format_number(lower, decimals, lang), format_number(upper, decimals, lang)
    return low if low == high else f"{low} – {high}"


def discrete_colorscale(colours: list[str]) -> list[list]:
    """One stop per class for class indices 0..k-1 (with zmin 0, zmax k-1): every z is an
    integer that sits exactly on its stop, so it gets exactly that colour and nothing is
    interpolated; half the bytes of a stepped scale on every switch.

    >>> discrete_colorscale(["#fee", "#c00"])
    [[0.0, '#fee'], [1.0, '#c00']]
    """
    if not colours:
        return [[0, MISSING_COLOUR], [1, MISSING_COLOUR]]
    if len(colours) == 1:
        return [[0, colours[0]], [1, colours[0]]]
    k = len(colours)
    return [[round(i / (k - 1), 4), colour] for i, colour in enumerate(colours)]


def z_max(colours: list[str]) -> int:
    """The top of the z range that matches :func:`discrete_colorscale`."""
    return max(len(colours) - 1, 1)


def hover_meta(view: MapView) -> list[str]:
    """The three words the hover text of a plotly area map reads (``DATA_HOVER``): indicator
    label, unit suffix and source line."""
    return [view.hovertemplate, view.unit_suffix, view.source_line]


def class_string(class_index: list[int | None]) -> str:
    """The class of every area as one digit, ``-`` for missing (compact for the browser).

    >>> class_string([0, 4, None, 1])
    '04-1'
    """
    return "".join("-" if c is None else str(c) for c in class_index)


def rounded(values, decimals: int) -> list[float | None]:
    """Values rounded as they are shown (the browser formats them), ``None`` where missing.

    >>> rounded([1.26, None, float("nan"), 3.0], 1)
    [1.3, None, None, 3]
    """
    arr = np.array([np.nan if v is None else v for v in values], dtype=float)
    arr = np.round(arr, decimals)
    out = np.where(np.isnan(arr), None, arr).tolist()
    return [int(v) if v is not None and v.is_integer() else v for v in out]


def naive_map_figure(
    geojson: dict, view: MapView, names: list[str], centre: dict | None = None
) -> go.Figure:
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
        center=centre,
    )


def trend_figure(
    series: pd.DataFrame,
    name: str,
    area_name: str,
    unit: str,
    show_reference: bool,
    lang: str = "nl",
) -> go.Figure:
    """A small line chart of one indicator over the periods (with Hengelo when comparable)."""
    labels = [periods.format_period(p, lang, short=True) for p in series["period"]]
    fig = go.Figure(
        go.Scatter(
            x=labels,
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
                x=labels,
                y=series["hengelo"],
                mode="lines+markers",
                name=GEMEENTE.name,
                line={"color": "#4a4a4a", "dash": "dash"},
                marker={"size": 8, "symbol": "square"},
            )
        )
    head = title_layout(name, 14, 30, 240)
    fig.update_layout(
        template="simple_white",
        height=head["height"],
        margin={"l": 50, "r": 10, "t": head["margin_top"], "b": 30},
        title=head["title"],
        separators=SEPARATORS.get(lang, ",."),
        xaxis={"type": "category", "title": None},
        yaxis={"title": unit, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
        hovermode="x unified",
    )
    return fig


# Okabe-Ito blue and vermillion: distinguishable with colour-vision deficiencies; shapes and
# printed scores carry the same meaning.
BETTER_COLOUR = "#0072b2"
WORSE_COLOUR = "#d55e00"
HENGELO_COLOUR = "#0b5394"
OBJECTIVE_COLOUR = "#0b5394"
SUBJECTIVE_COLOUR = "#d95f02"
MEAN_LINE = {"dash": "dash", "color": "#4a4a4a", "width": 2}  # the benchmark mean, 100


def _score_markers(scores: list[float], safety: bool) -> dict:
    """Marker style per score: for Veiligheid, below 100 is worse (colour and shape), else
    every point looks the same (below 100 means 'less', not 'worse')."""
    if not safety:
        return {"color": HENGELO_COLOUR, "size": 9, "symbol": "circle"}
    return {
        "color": [WORSE_COLOUR if s < 100 else BETTER_COLOUR for s in scores],
        "size": 11,
        "symbol": ["triangle-down" if s < 100 else "circle" for s in scores],
    }


# Characters per line of a chart title: plotly wraps nothing, and a title of one line is cut
# off on a phone (a chart of 351 px at 375 px); 44 characters of 14-15 px fit there.
TITLE_WIDTH = 44
THOUSANDS = ",~g"  # axis ticks with the thousands separator of the page's language (4.000)
GLUE = "\x00"  # holds a title's closing "(…)" on one line while it is broken


def title_layout(text: str, size: int, top: int, height: int) -> dict:
    """A chart title broken over lines, with the top margin and height that hold the lines
    (so the plot keeps its size): ``title``, ``margin_top`` and ``height``.

    >>> title_layout("Diefstal uit woning, schuur e.d. (2017 · 9 jaar oud)", 14, 50, 300)["title"]
    {'text': 'Diefstal uit woning, schuur e.d.<br>(2017 · 9 jaar oud)', 'font': {'size': 14}}
    >>> title = "Geweld (incl. bedreiging en mishandeling, excl. zeden) per 1.000 inwoners"
    >>> max(len(line) for line in title_layout(title, 14, 50, 300)["title"]["text"].split("<br>"))
    41
    """
    head, bracket, tail = text.rpartition(" (")
    closing = bracket and text.endswith(")") and len(tail) < TITLE_WIDTH  # "(2017 · 9 jaar oud)"
    glued = f"{head} ({tail.replace(' ', GLUE)}" if closing else text
    wrapped = wrap_label(glued, TITLE_WIDTH).replace(GLUE, " ")
    extra = round(wrapped.count("<br>") * size * 1.3)
    return {
        "title": {"text": wrapped, "font": {"size": size}},
        "margin_top": top + extra,
        "height": height + extra,
    }


def wrap_label(text: str, width: int = 22) -> str:
    """Break a long axis label over lines (plotly wraps nothing by itself)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + [line])


def radar_figure(
    labels: list[str], scores: list[float], title: str, safety: bool, lang: str = "nl"
) -> go.Figure:
    """A spider of G32 scores: Hengelo as one line, the benchmark mean 100 as the reference
    ring, on the fixed 10..150 scale; every score printed in its axis label (no hover-only
    information), laid out so that no text overlaps (:mod:`dashboard.spider`)."""
    ticktext = [spider.score_text(s) for s in scores]  # set by spider.apply below
    labels = [wrap_label(lbl) for lbl in labels]
    closed = labels + labels[:1]
    fig = go.Figure()
    fig.add_trace(
        go.Scatterpolar(
            r=[100] * len(closed),
            theta=closed,
            mode="lines",
            name=t("g32_mean", lang),
            line={"color": "#4a4a4a", "dash": "dash", "width": 2},
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatterpolar(
            r=scores + scores[:1],
            theta=closed,
            mode="lines+markers",
            name=GEMEENTE.name,
            line={"color": HENGELO_COLOUR, "width": 3},
            marker=_score_markers(scores + scores[:1], safety),
            hovertemplate="%{theta}: %{r}<extra>" + GEMEENTE.name + "</extra>",
        )
    )
    fig.update_layout(
        template=None,
        title={"text": title, "font": {"size": 16}, "x": 0, "xanchor": "left", "y": 0.98},
        height=radar_height(len(labels)),
        separators=SEPARATORS.get(lang, ",."),
        polar=radar_axes(labels, ticktext, RADAR_FONT),
        legend={"orientation": "h", "x": 0, "y": 0, "yref": "container", "yanchor": "bottom"},
        paper_bgcolor="#ffffff",
    )
    size = (RADAR_SIZE[0], radar_height(len(labels)))
    return spider.apply(fig, RADAR_FONT, size, reserve=(44, 36))


def radar_height(axes: int) -> int:
    """The page spider's height: taller with more than 12 axes, room for their labels."""
    return RADAR_SIZE[1] + 70 * max(0, axes - 12)


RADAR_FONT = 12
RADAR_SIZE = (960, 640)  # px: the page's chart column (60rem) at its fixed height


def radar_axes(labels: list[str], ticktext: list[str], font: int) -> dict:
    """The polar axes of a spider: the first axis at the top and the others clockwise, each
    labelled with its score; no radial tick numbers (they sat on the labels)."""
    return {
        "radialaxis": {
            "range": [10, 150],
            "tickvals": [10, 50, 100, 150],
            "showticklabels": False,
            "showline": False,
            "ticks": "",
            "gridcolor": "#d0d0d0",
        },
        "angularaxis": {
            "gridcolor": "#d0d0d0",
            "tickfont": {"size": font},
            "rotation": 90,
            "direction": "clockwise",
            "tickmode": "array",
            "tickvals": labels,
            "ticktext": ticktext,
        },
        "bgcolor": "#ffffff",
    }


def score_bar_figure(
    labels: list[str], scores: list[float], title: str, safety: bool, lang: str = "nl"
) -> go.Figure:
    """Horizontal bars of G32 scores on the fixed 10..150 scale with the 100 line (for groups
    too small for a spider)."""
    colours = (
        [WORSE_COLOUR if s < 100 else BETTER_COLOUR for s in scores]
        if safety
        else [HENGELO_COLOUR] * len(scores)
    )
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=scores,
            orientation="h",
            marker={"color": colours},
            text=[f"{s:.0f}" for s in scores],
            textposition="outside",
            name=GEMEENTE.name,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.add_vline(
        x=100,
        line=MEAN_LINE,
        opacity=1,  # simple_white draws shapes at 0.3 with no line width
        layer="above",
        annotation_text=t("g32_mean", lang),
        annotation_position="top",
    )
    fig.update_layout(
        template="simple_white",
        title={"text": title, "font": {"size": 16}},
        height=140 + 45 * len(labels),
        margin={"l": 10, "r": 30, "t": 70, "b": 40},
        xaxis={"range": [10, 160], "tickvals": [10, 50, 100, 150]},
        yaxis={"automargin": True},
        separators=SEPARATORS.get(lang, ",."),
    )
    return fig


def objective_subjective_figure(
    names: list[str], objective: list[float], subjective: list[float], lang: str = "nl"
) -> go.Figure:
    """Objective (police figures) and subjective (survey) safety scores side by side; the two
    series differ in colour and in pattern."""
    fig = go.Figure(
        [
            go.Bar(
                x=names,
                y=objective,
                name=t("g32_objective", lang),
                marker={"color": OBJECTIVE_COLOUR},
                text=[f"{v:.0f}" for v in objective],
                textposition="outside",
            ),
            go.Bar(
                x=names,
                y=subjective,
                name=t("g32_subjective", lang),
                marker={"color": SUBJECTIVE_COLOUR, "pattern": {"shape": "/"}},
                text=[f"{v:.0f}" for v in subjective],
                textposition="outside",
            ),
        ]
    )
    fig.add_hline(
        y=100,
        line=MEAN_LINE,
        opacity=1,  # simple_white draws shapes at 0.3 with no line width
        layer="above",
        annotation_text=t("g32_mean", lang),
        annotation_position="top left",
    )
    fig.update_layout(
        template="simple_white",
        barmode="group",
        height=420,
        yaxis={"range": [0, 165], "tickvals": [10, 50, 100, 150], "title": t("g32_score", lang)},
        margin={"l": 60, "r": 20, "t": 30, "b": 80},
        legend={"orientation": "h", "y": 1.1},
        separators=SEPARATORS.get(lang, ",."),
    )
    return fig


def comparison_bar_figure(
    names: list[str],
    values: list[float | None],
    formatted: list[str],
    reference: float | None,
    reference_text: str | None,
    title: str,
    unit: str,
    lang: str = "nl",
) -> go.Figure:
    """One indicator for a few areas, with Hengelo as a reference bar (grey, hatched); values
    are printed on the bars."""
    bars = [
        go.Bar(
            x=names,
            y=[v if v is not None else 0 for v in values],
            text=formatted,
            textposition="outside",
            marker={"color": HENGELO_COLOUR},
            name=title,
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    ]
    if reference is not None:
        bars.append(
            go.Bar(
                x=[GEMEENTE.name],
                y=[reference],
                text=[reference_text],
                textposition="outside",
                name=GEMEENTE.name,
                marker={
                    "color": "#bdbdbd",
                    "line": {"color": "#4a4a4a", "width": 1},
                    "pattern": {"shape": "/", "fgcolor": "#4a4a4a"},
                },
                hovertemplate="%{x}: %{text}<extra></extra>",
            )
        )
    top = max([v for v in values if v is not None] + [reference or 0, 0]) * 1.2 or 1
    fig = go.Figure(bars)
    head = title_layout(title, 14, 50, 300)
    fig.update_layout(
        template="simple_white",
        height=head["height"],
        title=head["title"],
        yaxis={"title": unit, "range": [0, top], "tickformat": THOUSANDS},
        showlegend=False,
        margin={"l": 60, "r": 10, "t": head["margin_top"], "b": 60},
        separators=SEPARATORS.get(lang, ",."),
    )
    return fig


def ranking_figure(
    names: list[str],
    values: list[float | None],
    formatted: list[str],
    highlight: list[bool],
    reference: float | None,
    title: str,
    unit: str,
    lang: str = "nl",
    reference_text: str | None = None,
) -> go.Figure:
    """All wijken for one indicator, most concern on top; selected areas in a darker colour
    and marked with ◆ in their label (not by colour alone)."""
    labels = [f"◆ {n}" if h else n for n, h in zip(names, highlight, strict=True)]
    colours = ["#0b3d6e" if h else "#8fb3d9" for h in highlight]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=[v if v is not None else 0 for v in values],
            orientation="h",
            text=formatted,
            textposition="outside",
            marker={"color": colours, "line": {"color": "#1a1a1a", "width": 0.5}},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    if reference is not None:
        fig.add_vline(
            x=reference,
            line={"dash": "dash", "color": "#1a1a1a", "width": 2},
            layer="above",
            annotation_text=f"{GEMEENTE.name} {reference_text or ''}".strip(),
            annotation_position="top",
        )
    top = max([v for v in values if v is not None] + [reference or 0, 0]) * 1.25 or 1
    head = title_layout(title, 15, 60, 120 + 32 * len(names))
    fig.update_layout(
        template="simple_white",
        height=head["height"],
        title=head["title"],
        xaxis={"title": unit, "range": [0, top], "tickformat": THOUSANDS},
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"l": 10, "r": 30, "t": head["margin_top"], "b": 50},
        separators=SEPARATORS.get(lang, ",."),
    )
    return fig


# Presentation slides: read from the back of a meeting room (nothing below 18 px).
SLIDE_FONT = 20
SLIDE_TITLE_FONT = 28
DISC_PX = 30  # diameter of a numbered disc on a slide map
SLIDE_GRAPH = (1240, 560)  # px: the chart of a slide on the smallest screen (1280x720)


def slide_map_figure(
    geojson: dict,
    names: list[str],
    view: MapView,
    labels: dict | None,
    lang: str = "nl",
    badges: bool = False,
    leaders: list | None = None,
) -> go.Figure:
    """The map of one presentation slide: areas coloured by class, with ``labels`` (code ->
    ``(lon, lat, text)``) printed on the areas in large type; with ``badges`` as short
    numbers in white discs that key the areas to the ranked list beside the map;
    ``leaders`` (``((lon, lat), (lon, lat))`` pairs) join a disc beside a small area to it.

    Drawn as SVG on a ``geo`` subplot (d3-geo), not on a MapLibre map: no tiles and no glyph
    server, so the slide works offline and under the app's CSP. ``fitbounds="locations"``
    fits the areas to whatever size the slide gives the graph, at every redraw.
    """
    codes = view.codes
    traces = slide_area_traces(geojson, names, view, lang)
    if leaders:
        traces.append(slide_leaders(leaders))
    if labels:
        traces.append(slide_labels(codes, labels, badges))
    fig = go.Figure(traces)
    fig.update_layout(
        template=None,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        separators=SEPARATORS.get(lang, ",."),
        dragmode=False,
        geo=SLIDE_GEO,
        paper_bgcolor="#ffffff",
        hoverlabel={"bgcolor": "#ffffff", "font": {"size": SLIDE_FONT, "color": "#000000"}},
    )
    return fig


def slide_area_traces(geojson: dict, names: list[str], view: MapView, lang: str) -> list:
    """Every area in grey (what has no value shows as missing) and, on top, the areas with a
    value in their class colour (no empty paths for the others)."""
    codes = view.codes
    valued = [i for i, k in enumerate(view.class_index) if k is not None]
    outline = {"line": {"color": LINE_COLOUR, "width": 1.2}}
    return [
        go.Choropleth(  # every area, grey: what has no value shows as missing
            geojson=geojson,
            featureidkey="id",
            locations=codes,
            z=[0] * len(codes),
            customdata=names,
            colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
            showscale=False,
            marker=outline,
            hovertemplate=f"<b>%{{customdata}}</b><br>{t('no_data', lang)}<extra></extra>",
            name="base",
        ),
        go.Choropleth(  # the areas with a value, on top (no empty paths for the others)
            geojson=geojson,
            featureidkey="id",
            locations=[codes[i] for i in valued],
            z=[view.class_index[i] for i in valued],
            text=[view.formatted[i] for i in valued],
            customdata=[names[i] for i in valued],
            zmin=0,
            zmax=z_max(view.colours),
            colorscale=discrete_colorscale(view.colours),
            showscale=False,
            marker=outline,
            hovertemplate=DATA_HOVER,
            meta=hover_meta(view),
            name="data",
        ),
    ]


def slide_labels(codes: list[str], labels: dict, badges: bool) -> go.Scattergeo:
    """The slide's area labels in large type (``badges``: short numbers in white discs)."""
    shown = [c for c in codes if c in labels]
    disc = {
        "size": DISC_PX,
        "color": "#ffffff",
        "opacity": 0.95,
        "line": {"width": 1.5, "color": "#000000"},
    }
    return go.Scattergeo(
        lon=[labels[c][0] for c in shown],
        lat=[labels[c][1] for c in shown],
        mode="markers+text" if badges else "text",
        text=[labels[c][2] for c in shown],
        textposition="middle center",
        textfont={"size": SLIDE_FONT, "color": "#000000"},
        marker=disc if badges else None,
        customdata=shown,
        hoverinfo="skip",
        name="labels",
    )


def slide_leaders(leaders: list) -> go.Scattergeo:
    """Leader lines from discs beside their areas to a dot inside each area."""
    lon, lat = [], []
    for disc, anchor in leaders:
        lon += [disc[0], anchor[0], None]
        lat += [disc[1], anchor[1], None]
    return go.Scattergeo(
        lon=lon,
        lat=lat,
        mode="lines+markers",
        line={"color": "#000000", "width": 2},
        marker={"size": [0, 7, 0] * len(leaders), "color": "#000000"},
        hoverinfo="skip",
        name="leaders",
    )


def funnel_limit_traces(curve: list[dict], lang: str) -> list[go.Scatter]:
    """The lower and upper control limit lines of each level (one legend entry per level)."""
    pops = [c["population"] for c in curve]
    return [
        go.Scatter(
            x=pops,
            y=[c[f"{side}{level}"] for c in curve],
            mode="lines",
            line=style,
            name=t(f"funnel_limit_{level.replace('.', '_')}", lang),
            legendgroup=level,
            showlegend=side == "upper",
            hoverinfo="skip",
        )
        for level, style in FUNNEL_LIMIT_STYLE.items()
        for side in ("lower", "upper")
    ]


def funnel_point_trace(part, judgement, marker, names, highlight, unit, lang) -> go.Scatter:
    """The areas of one judgement; the ``highlight``-ed ones larger and named."""
    chosen = part["area_code"].isin(highlight)
    return go.Scatter(
        x=part["population"],
        y=part["value"],
        mode="markers+text",
        text=[names.get(c, c) if h else "" for c, h in zip(part["area_code"], chosen, strict=True)],
        textposition="top center",
        customdata=[names.get(c, c) for c in part["area_code"]],
        marker={
            **marker,
            "size": [14 if h else 9 for h in chosen],
            "line": {"color": "#000000", "width": [2 if h else 0.5 for h in chosen]},
        },
        name=t(f"judgement_short_{judgement}", lang),
        hovertemplate="<b>%{customdata}</b><br>%{y:.1f} "
        + unit
        + "<br>%{x:,.0f} "
        + t("funnel_inhabitants", lang)
        + "<extra></extra>",
    )


# A bare geo subplot: only the areas of the traces, fitted to them, no world base map.
SLIDE_GEO = {
    "visible": False,
    "fitbounds": "locations",
    "projection": {"type": "mercator"},
    "bgcolor": "#ffffff",
    "domain": {"x": [0, 1], "y": [0, 1]},
}


def slide_chart(fig: go.Figure) -> go.Figure:
    """A chart made readable on a projector: every text at least 18 px (20 px body, 28 px
    title), the height left to the slide, no legend clicks needed to read it."""
    fig.update_layout(
        height=None,
        autosize=True,
        font={"size": SLIDE_FONT, "color": "#000000"},
        title={"font": {"size": SLIDE_TITLE_FONT}},
        legend={"font": {"size": SLIDE_FONT}},
        hoverlabel={"font": {"size": SLIDE_FONT}},
    )
    fig.update_xaxes(tickfont={"size": SLIDE_FONT}, title_font={"size": SLIDE_FONT})
    fig.update_yaxes(tickfont={"size": SLIDE_FONT}, title_font={"size": SLIDE_FONT})
    fig.update_traces(textfont={"size": SLIDE_FONT}, selector={"type": "bar"})
    fig.update_traces(textfont={"size": SLIDE_FONT}, selector={"type": "scatterpolar"})
    fig.update_annotations(font={"size": SLIDE_FONT})
    if fig.layout.polar and fig.layout.polar.angularaxis.ticktext:
        # labels in slide type wrapped anew, the legend above the spider
        fig.update_layout(
            polar={"angularaxis": {"tickfont": {"size": SLIDE_FONT}}},
            legend={"orientation": "h", "x": 0, "y": 1, "yref": "container", "yanchor": "top"},
        )
        spider.apply(fig, SLIDE_FONT, SLIDE_GRAPH, reserve=(44, 4))
    return fig


FUNNEL_LIMIT_STYLE = {
    "95": {"dash": "dash", "color": "#4a4a4a", "width": 1.5},
    "99.8": {"dash": "dot", "color": "#1a1a1a", "width": 2},
}
JUDGEMENT_MARKERS = {
    "worse": {"color": WORSE_COLOUR, "symbol": "triangle-up"},
    "better": {"color": BETTER_COLOUR, "symbol": "triangle-down"},
    "similar": {"color": "#8c8c8c", "symbol": "circle"},
}


def funnel_figure(
    points: pd.DataFrame,
    names: dict[str, str],
    curve: list[dict],
    highlight: list[str],
    title: str,
    unit: str,
    lang: str = "nl",
) -> go.Figure:
    """A funnel plot: each area's rate against its inhabitants, the gemeente's rate as a line
    and the 95% and 99.8% Poisson control limits around it. Judgements differ in colour and in
    marker shape; the selected areas are named."""
    pops = [c["population"] for c in curve]
    fig = go.Figure(funnel_limit_traces(curve, lang))
    if len(points):
        reference = float(points["reference"].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=[pops[0], pops[-1]],
                y=[reference, reference],
                mode="lines",
                line={"color": HENGELO_COLOUR, "width": 2.5},
                name=f"{GEMEENTE.name} ({format_number(reference, 1, lang)})",
                hoverinfo="skip",
            )
        )
    for judgement, marker in JUDGEMENT_MARKERS.items():
        part = points[points["judgement"] == judgement]
        if not part.empty:
            fig.add_trace(funnel_point_trace(part, judgement, marker, names, highlight, unit, lang))
    head = title_layout(title, 15, 60, 460)
    fig.update_layout(
        template="simple_white",
        height=head["height"],
        title=head["title"],
        xaxis={
            "title": t("funnel_x", lang),
            "type": "log",
            "tickvals": [100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000],
            "tickformat": ",.0f",
        },
        yaxis={"title": unit, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.22},
        margin={"l": 60, "r": 20, "t": head["margin_top"], "b": 100},
        separators=SEPARATORS.get(lang, ",."),
    )
    return fig
