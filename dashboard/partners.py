"""The table of partners a theme of the plan lists (theme 2.8: internal and external), as the
document has it, with its place in the document."""

from __future__ import annotations

import json
from itertools import zip_longest

from dash import html

from dashboard.i18n import pick, t


def theme_partners(theme) -> tuple[list[str], list[str]]:
    """The theme's internal and external partners (empty lists when it lists none)."""

    def listed(key: str) -> list[str]:
        value = theme.get(key) if hasattr(theme, "get") else None
        return json.loads(value) if isinstance(value, str) and value else []

    return listed("partners_intern"), listed("partners_extern")


def partners_section(theme, lang: str):
    """The partners table (Dutch names, marked so on an English page) and its source, or None."""
    intern, extern = theme_partners(theme)
    if not intern and not extern:
        return None
    rows = [html.Tr([html.Td(a or ""), html.Td(b or "")]) for a, b in zip_longest(intern, extern)]
    head = html.Tr(
        [
            html.Th(t("theme_partners_intern", lang), scope="col"),
            html.Th(t("theme_partners_extern", lang), scope="col"),
        ]
    )
    table = html.Table(
        className="data-table partners-table",
        children=[
            html.Caption(t("theme_partners", lang)),
            html.Thead(head),
            html.Tbody(rows, **pick(lang, {}, {"lang": "nl"})),
        ],
    )
    source = f"{t('source', lang)}: {theme.get('partners_source')}"
    return html.Div([table, html.P(source, className="small-note")], className="partners")
