"""Small shared pieces of layout: legend, breadcrumbs, status badges, simple tables."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.figures import MapView
from dashboard.i18n import label, t
from dashboard.shell import href


def labelled(text: str, component_id: str, control, extra_class: str = "") -> html.Div:
    """A wide control: ``control`` with its visible label."""
    return html.Div(
        className=f"control control-wide {extra_class}".strip(),
        children=[html.Label(text, htmlFor=component_id), control],
    )


def indicator_picker(component_id, value, indicators, catalogue, lang, extra_class=""):
    """A labelled select of ``indicators`` by their catalogue labels."""
    select = dbc.Select(
        id=component_id,
        value=value,
        className="indicator-select",
        options=[{"label": label(catalogue.loc[i], lang), "value": i} for i in indicators],
    )
    return labelled(t("indicator", lang), component_id, select, extra_class)


def legend(view: MapView, lang: str, focus: bool = False) -> list:
    """The classed legend of a map as HTML (values in words, not colour alone)."""
    note = t("legend_darker_neutral" if view.polarity == "neutral" else "legend_darker", lang)
    items = [
        html.Li(
            className="legend-item",
            children=[
                html.Span(
                    className="swatch", style={"background": colour}, **{"aria-hidden": "true"}
                ),
                html.Span(text),
            ],
        )
        for colour, text in view.legend
    ]
    if focus:
        items.append(
            html.Li(
                className="legend-item",
                children=[
                    html.Span(className="swatch swatch-focus", **{"aria-hidden": "true"}),
                    html.Span(t("focus_legend", lang)),
                ],
            )
        )
    unit = view.notes[0] if view.notes else ""
    return [
        html.P(f"{note} · {unit}" if unit else note, className="legend-note"),
        html.Ul(items, className="legend-list"),
    ]


def breadcrumbs(trail: list[tuple[str, str | None]], lang: str) -> html.Nav:
    """``[(text, path or None for the current page), ...]``."""
    items = []
    for text, path in trail:
        if path:
            items.append(html.Li(html.A(text, href=href(path, lang))))
        else:
            items.append(html.Li(text, **{"aria-current": "page"}))
    return html.Nav(
        html.Ol(items, className="breadcrumb-list"),
        className="breadcrumbs",
        **{"aria-label": t("breadcrumbs", lang)},
    )


def status_words(status: str, lang: str) -> str:
    """A KPI status in words ('op koers', 'geen nulmeting voor deze wijk'): the one wording of
    badges on the pages and of the PDF (via :mod:`dashboard.kpitext`)."""
    return t(f"kpi_{status}", lang)


def status_badge(status: str, lang: str) -> html.Span:
    """A KPI status in words with a symbol, so that colour is never the only carrier."""
    symbols = {"on_track": "✓", "off_track": "✗", "no_data": "…", "not_measurable": "–"}
    symbols["no_area_baseline"] = "–"
    return html.Span(
        [
            html.Span(symbols.get(status, ""), **{"aria-hidden": "true"}),
            " ",
            status_words(status, lang),
        ],
        className=f"badge status-{status}",
    )


def simple_table(
    header: list,
    rows: list[list],
    caption: str | None = None,
    numeric: set[int] | None = None,
    row_header: bool = True,
    csv_name: str | None = None,
    lang: str = "nl",
) -> html.Div:
    """An accessible table: caption, column headers with scope, first cell as row header, and
    (with ``csv_name``) a button that downloads the table as CSV in the browser."""
    numeric = numeric or set()
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if i == 0 and row_header:
                cells.append(html.Th(value, scope="row"))
            else:
                cells.append(html.Td(value, className="num" if i in numeric else None))
        body.append(html.Tr(cells))
    button = (
        html.Button(
            t("download_table_csv", lang),
            className="button button-quiet csv-button",
            type="button",
            **{"data-csv": csv_name, "data-lang": lang},
        )
        if csv_name
        else None
    )
    return html.Div(
        className="table-block",
        children=[
            button,
            html.P(
                t("table_scroll_hint", lang), className="scroll-hint", **{"aria-hidden": "true"}
            ),
            html.Div(
                className="table-scroll",
                tabIndex="0",
                role="region",
                **{"aria-label": caption or " / ".join(h for h in header if isinstance(h, str))},
                children=html.Table(
                    className="data-table",
                    children=[
                        html.Caption(caption) if caption else None,
                        html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
                        html.Tbody(body),
                    ],
                ),
            ),
        ],
    )


PLOTLY_NL = {
    "Download plot as a PNG": "Grafiek opslaan als PNG",
    "Download plot": "Grafiek opslaan",
    "Zoom": "Zoomen",
    "Pan": "Verschuiven",
    "Zoom in": "Inzoomen",
    "Zoom out": "Uitzoomen",
    "Autoscale": "Automatisch schalen",
    "Reset axes": "Assen herstellen",
    "Reset view": "Weergave herstellen",
    "Reset": "Herstellen",
    "Box Select": "Rechthoek selecteren",
    "Lasso Select": "Lasso selecteren",
    "Toggle Spike Lines": "Hulplijnen aan/uit",
    "Show closest data on hover": "Dichtstbijzijnde waarde tonen",
    "Compare data on hover": "Waarden vergelijken",
    "Taking snapshot - this may take a few seconds": "Afbeelding maken, een ogenblik",
    "Snapshot succeeded": "Afbeelding gemaakt",
}


def graph_config(lang: str, filename: str, **extra) -> dict:
    """Plotly config for every chart: PNG export under a sensible name, the modebar in the
    page language, no logo and no button that uploads data to an outside service."""
    config = {
        "displaylogo": False,
        "locale": lang,
        "locales": {"nl": {"dictionary": PLOTLY_NL}},
        "modeBarButtonsToRemove": ["sendChartToCloud", "select2d", "lasso2d"],
        "toImageButtonOptions": {"filename": filename, "scale": 2},
    }
    config.update(extra)
    return config
