"""Friendly not-found page for unknown paths."""

import dash
from dash import dcc, html

from dashboard import web
from dashboard.i18n import t
from dashboard.shell import href, page, parse_language


def layout(**params):
    lang, _ = parse_language(params.get("taal"))
    return page(
        html.Div(
            [
                html.H1(t("not_found_title", lang)),
                html.P(dcc.Link(t("not_found_text", lang), href=href("/", lang))),
            ]
        ),
        lang,
        "",
    )


dash.register_page(__name__, path="/404", title=web.titled("title_not_found"), layout=layout)
