"""Toegankelijkheidsverklaring (``/toegankelijkheid``): the accessibility statement."""

from __future__ import annotations

import dash
from dash import html

from dashboard import web
from dashboard.i18n import t
from dashboard.shell import page, parse_language


def layout(**params):
    lang, notice = parse_language(params.get("taal"))
    content = html.Div(
        className="statement",
        children=[
            html.H1(t("a11y_title", lang)),
            html.P(t("a11y_intro", lang)),
            html.H2(t("a11y_status_title", lang)),
            html.P(t("a11y_status", lang)),
            html.H2(t("a11y_how_title", lang)),
            html.Ul([html.Li(t(f"a11y_how_{i}", lang)) for i in range(1, 6)]),
            html.H2(t("a11y_limits_title", lang)),
            html.Ul([html.Li(t(f"a11y_limit_{i}", lang)) for i in range(1, 4)]),
            html.H2(t("a11y_contact_title", lang)),
            html.P(t("a11y_contact", lang)),
        ],
    )
    return page(
        content, lang, "nav_a11y", notices=[notice] if notice else [], path="/toegankelijkheid"
    )


dash.register_page(
    __name__,
    path="/toegankelijkheid",
    title=web.titled("nav_a11y"),
    name="Toegankelijkheid",
    layout=layout,
)
