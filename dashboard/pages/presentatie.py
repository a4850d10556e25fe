"""Start page of presentation mode (``/presentatie``)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import dash
from dash import html

from dashboard import web
from dashboard.i18n import pick, t
from dashboard.presentation import parse_sequence, shown_item, slide_path
from dashboard.shell import page, parse_language


def known_view(path: str) -> bool:
    """Whether ``path`` (a local path, query allowed) is a page of this dashboard: a
    registered page whose variables (a wijk's name) exist."""
    from dash._pages import _path_to_page

    route = urlsplit(path).path
    entry, variables = _path_to_page(dash.get_app().strip_relative_path(route) or "")
    exists = (entry or {}).get("exists")
    return bool(entry) and not (exists and variables and not exists(**variables))


def unknown_views_notice(views: list[dict], lang: str, asked: bool) -> str | None:
    """A notice naming the views of an asked-for sequence that are no page of this
    dashboard (each slide of such a view would only say there is no slide)."""
    unknown = [shown_item(v["path"]) for v in views if not known_view(v["path"])]
    if not asked or not unknown:
        return None
    return t("presentation_unknown_views", lang, items=", ".join(unknown))


def layout(**params):
    lang, notice = parse_language(params.get("taal"))
    views, rejected = parse_sequence(params.get("reeks"))
    notices = [notice] if notice else []
    if rejected:
        notices.append(t("presentation_rejected", lang, items=", ".join(rejected)))
    unknown = unknown_views_notice(views, lang, bool(params.get("reeks")))
    if unknown:
        notices.append(unknown)
    title_key = pick(lang, "title_nl", "title_en")
    sequence = [
        {"title": v[title_key], "path": v["path"], "slide": slide_path(v["path"])} for v in views
    ]
    content = html.Div(
        className="presentation-start",
        children=[
            html.H1(t("presentation_title", lang)),
            html.P(t("presentation_intro", lang)),
            html.Dl(
                className="keys",
                children=[
                    html.Dt(html.Kbd("→ / PageDown")),
                    html.Dd(t("presentation_next", lang)),
                    html.Dt(html.Kbd("← / PageUp")),
                    html.Dd(t("presentation_previous", lang)),
                    html.Dt(html.Kbd("F")),
                    html.Dd(t("presentation_fullscreen", lang)),
                    html.Dt(html.Kbd("Esc")),
                    html.Dd(t("presentation_stop", lang)),
                ],
            ),
            html.Ol(
                [html.Li(html.A(v["title"], href=v["path"])) for v in sequence],
                className="presentation-list",
            ),
            html.Button(
                t("presentation_start", lang),
                id="presentation-start",
                type="button",
                className="button presentation-start-button",
                **{"data-sequence": json.dumps(sequence), "data-lang": lang},
            ),
        ],
    )
    return page(content, lang, "nav_presentation", notices=notices, path="/presentatie")


dash.register_page(
    __name__,
    path="/presentatie",
    title=web.titled("nav_presentation"),
    name="Presentatie",
    layout=layout,
)
