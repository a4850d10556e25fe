"""Start page of presentation mode (``/presentatie``)."""

from __future__ import annotations

import json

import dash
from dash import html

from dashboard import web
from dashboard.i18n import pick, t
from dashboard.presentation import parse_sequence, slide_path
from dashboard.shell import page, parse_language


def layout(**params):
    lang, notice = parse_language(params.get("taal"))
    views, rejected = parse_sequence(params.get("reeks"))
    notices = [notice] if notice else []
    if rejected:
        notices.append(t("presentation_rejected", lang, items=", ".join(rejected)))
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
