"""The figures of every public view as CSV and JSON at stable URLs, both from one frame.

``/data/csv<path>?<the page's own query>`` and ``/data/json<path>?<the same query>`` give the
tables of the view at ``<path>`` (``/data/json/wijk/berflo-es?taal=en`` is the wijk page
``/wijk/berflo-es?taal=en``; ``/data/json/?indicator=…&niveau=buurt`` the map). Each table is
one frame, made by :func:`view_tables`, from which both formats are written, so they cannot
differ: the map's table comes from the map page's own ``table_frame`` (what its CSV button
sends); the tables of the other pages are read from the page's layout, the table the browser
shows and ``assets/tables.js`` downloads (same rounding, same suppression: the pages only
ever see public data). ``/data/cijfers.json`` is the JSON of ``/data/cijfers.csv``.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import plotly.utils
from flask import Response, request

from dashboard import data, pagecache
from dashboard.i18n import pick
from dashboard.open_data import credits
from indicators.csvsafe import neutralise

# the public pages whose figures are offered (the staff area, slides and embeds are not)
VIEWS = re.compile(r"^/(|wijk/[^/]{1,100}|thema|thema/[^/]{1,100}|benchmark|vergelijk|data)$")
MAP_PARAMS = {"indicator", "niveau", "periode", "gebied", "taal"}


class ViewError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


# ------------------------------------------------------------------ frames
def _tree(component) -> dict:
    """A layout as plain JSON (type, props, children)."""
    return json.loads(json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder))


def _nodes(node, kind: str | None = None, class_name: str | None = None):
    """Every component in a JSON layout of ``kind`` and/or with ``class_name``."""
    if isinstance(node, list):
        for item in node:
            yield from _nodes(item, kind, class_name)
    elif isinstance(node, dict) and "props" in node:
        classes = str(node["props"].get("className") or "").split()
        if (kind is None or node.get("type") == kind) and (
            class_name is None or class_name in classes
        ):
            yield node
        yield from _nodes(node["props"].get("children"), kind, class_name)


def text(node) -> str:
    """The text of a component as ``innerText`` reads it in tables.js (spaces collapsed)."""
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, (str, int, float)):
        return str(node)
    if isinstance(node, list):
        return " ".join(text(n) for n in node)
    return " ".join(re.sub(r"\s+", " ", text(node.get("props", {}).get("children"))).split())


def layout_tables(layout) -> list[tuple[str, str, pd.DataFrame]]:
    """(name, caption, frame) of every table in a page layout, as the page shows it; the
    name is the table's CSV name (its download button) or ``tabel-<n>``."""
    out = []
    for n, block in enumerate(_nodes(_tree(layout), class_name="table-block"), start=1):
        table = next(_nodes(block, "Table"), None)
        if table is None:
            continue
        caption = " ".join(text(c) for c in _nodes(table, "Caption"))
        out.append((_table_name(block, n), caption, _table_frame(table)))
    return out


def _table_name(block, n: int) -> str:
    """The CSV name of a table block's download button, else ``tabel-<n>``."""
    button = next(_nodes(block, class_name="csv-button"), None)
    return (button or {}).get("props", {}).get("data-csv") or f"tabel-{n}"


def _table_rows(table) -> list[list[str]]:
    """The text of the body cells of a table, row by row."""
    return [
        [text(cell) for cell in tr["props"].get("children") or [] if isinstance(cell, dict)]
        for body in _nodes(table, "Tbody")
        for tr in _nodes(body, "Tr")
    ]


def _table_frame(table) -> pd.DataFrame:
    """A table as a frame: its header (unique, ``kolom_<i>`` for blank) and padded rows."""
    head = [text(c) for thead in _nodes(table, "Thead") for c in _nodes(thead, "Th")]
    columns = _unique([h or f"kolom_{i + 1}" for i, h in enumerate(head)])
    width = len(columns)
    rows = _table_rows(table)
    return pd.DataFrame([(r + [""] * width)[:width] for r in rows], columns=columns)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def notices(layout) -> list[str]:
    """The notices a page shows about its URL parameters (a fallback, an unknown value)."""
    return [
        text(p) for box in _nodes(_tree(layout), class_name="notices") for p in _nodes(box, "P")
    ]


def view_tables(path: str, params: dict[str, str]) -> list[tuple[str, str, pd.DataFrame]]:
    """The tables of the public view at ``path`` with its query ``params``; a
    :class:`ViewError` for a page that is not a public view (404) or a parameter the page had
    to correct (400, with the page's own notice)."""
    if not VIEWS.match(path):
        raise ViewError(404, "Geen openbare weergave met cijfers: " + path[:80])
    if path == "/":
        return [map_table(params)]
    import dash
    from dash._pages import _path_to_page

    from dashboard.shell import robust_layout

    entry, variables = _path_to_page(dash.get_app().strip_relative_path(path))
    exists = (entry or {}).get("exists")
    if not entry or (exists and variables and not exists(**variables)):
        raise ViewError(404, "Onbekende pagina: " + path[:80])
    layout = robust_layout(entry["layout"])(**{**(variables or {}), **params})
    problems = notices(layout)
    if problems:
        raise ViewError(400, refusal(problems))
    return layout_tables(layout)


def refusal(problems: list[str]) -> str:
    """The message of a refused request (400): what was wrong, from the page's notices
    without what the page would show instead (a refused request shows nothing).

    >>> refusal(["Onbekende gebieden: zzz; die zijn weggelaten.",
    ...          "Kies ten minste één gebied; de vier focuswijken worden getoond."])[49:]
    'Onbekende gebieden: zzz. Kies ten minste één gebied.'
    """
    wrong = [p.split("; ")[0].rstrip(".") + "." for p in problems]
    return " ".join(["Verzoek geweigerd, er zijn geen cijfers gegeven.", *wrong])


def map_table(params: dict[str, str]) -> tuple[str, str, pd.DataFrame]:
    """The map's table, exactly as its CSV button sends it (``kaart.table_frame``)."""
    from dashboard.pages import kaart

    ctx = data.get_context()
    state, lang, problems = kaart.resolve_state(ctx, params)
    if problems:
        raise ViewError(400, " ".join(problems))
    frame = kaart.table_frame(ctx, state.indicator, state.level, lang, state.period, state.measure)
    name = f"wijkveiligheid_{state.indicator}_{state.level}_{frame.iloc[0, 4]}"
    return name, frame.iloc[0, 3], frame


# ------------------------------------------------------------------ formats
def as_csv(frame: pd.DataFrame, lang: str) -> str:
    """As the map page's CSV: semicolon in Dutch, comma in English, formula cells neutralised."""
    return neutralise(frame).to_csv(index=False, sep=";" if lang == "nl" else ",")


def as_records(frame: pd.DataFrame) -> list[dict]:
    return [
        {k: (None if pd.isna(v) else v) for k, v in row.items()}
        for row in frame.astype(object).to_dict(orient="records")
    ]


def view_json(view: str, tables, lang: str) -> dict:
    return {
        "view": view,
        "sources": credits(data.get_context()),
        "attribution": pick(
            lang,
            "Bronnen per cijfer in de tabellen; zie /data. Vermeld de bron bij hergebruik.",
            "Sources per figure in the tables; see /data. Credit the source when reusing.",
        ),
        "tables": [
            {"name": name, "caption": caption, "columns": list(frame.columns),
             "rows": as_records(frame)}
            for name, caption, frame in tables
        ],
    }  # fmt: skip


# ------------------------------------------------------------------ routes
def _params() -> dict[str, str]:
    """The query as pages get it: one string per name (the first of a repeated one)."""
    return {k: v for k, v in request.args.items() if k != "tabel"}


def _error(exc: ViewError) -> Response:
    return Response(exc.message, status=exc.status, mimetype="text/plain")


def _request_tables(path: str):
    """The query of this request and the tables of its view (or the error answer)."""
    params = _params()
    try:
        return params, cached_tables("/" + path.strip("/"), params)
    except ViewError as exc:
        return params, _error(exc)


def init_app(server) -> None:
    @server.route("/data/json", defaults={"path": ""})
    @server.route("/data/json/", defaults={"path": ""})
    @server.route("/data/json/<path:path>")
    def view_as_json(path: str):
        params, tables = _request_tables(path)
        if isinstance(tables, Response):
            return tables
        lang = "en" if params.get("taal") == "en" else "nl"
        view = "/" + path.strip("/") + ("?" + request.query_string.decode() if params else "")
        response = Response(
            json.dumps(view_json(view, tables, lang), ensure_ascii=False),
            mimetype="application/json",
        )
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    @server.route("/data/csv", defaults={"path": ""})
    @server.route("/data/csv/", defaults={"path": ""})
    @server.route("/data/csv/<path:path>")
    def view_as_csv(path: str):
        params, tables = _request_tables(path)
        if isinstance(tables, Response):
            return tables
        names = [name for name, _, _ in tables]
        wanted = request.args.get("tabel") or (names[0] if names else None)
        if wanted not in names:
            return _error(ViewError(400, "Kies tabel uit: " + ", ".join(names or ["(geen)"])))
        frame = tables[names.index(wanted)][2]
        lang = "en" if params.get("taal") == "en" else "nl"
        response = Response(as_csv(frame, lang), content_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="{wanted}.csv"'
        return response

    @server.route("/data/cijfers.json")
    def figures_json():
        from dashboard.downloads import public_figures

        ctx = data.get_context()
        body = pagecache.shared_bytes(  # once per data version and server
            ctx,
            "figures-json",
            lambda: json.dumps(
                {"sources": credits(ctx), "figures": as_records(public_figures(ctx))},
                ensure_ascii=False,
            ),
        )
        return Response(body, mimetype="application/json")


def cached_tables(path: str, params: dict[str, str]):
    """The tables of a view, once per data version, view and query."""
    ctx = data.get_context()
    key = ("view-tables", path, tuple(sorted(params.items())))
    return ctx.once(key, lambda: view_tables(path, params))
