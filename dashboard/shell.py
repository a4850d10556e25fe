"""The page frame every page shares: skip link, header with navigation and language, footer."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from dash import html

from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

NAV = (
    ("nav_map", "/"),
    ("nav_themes", "/thema"),
    ("nav_benchmark", "/benchmark"),
    ("nav_compare", "/vergelijk"),
    ("nav_presentation", "/presentatie"),
    ("nav_data", "/data"),
)


def parse_language(value) -> tuple[str, str | None]:
    """The page language from a URL value, and a notice when the value was not understood."""
    if value in (None, ""):
        return DEFAULT_LANGUAGE, None
    if value in LANGUAGES:
        return value, None
    return DEFAULT_LANGUAGE, t("notice_unknown_language", DEFAULT_LANGUAGE, value=str(value)[:40])


def href(path: str, lang: str, **params) -> str:
    """A link that keeps the language (Dutch needs no parameter). ``path`` may carry a query
    of its own (``/?niveau=wijk``): its parameters are kept, ``params`` win.

    >>> href("/?niveau=wijk", "en")
    '/?niveau=wijk&taal=en'
    >>> href("/wijk/berflo-es", "nl", indicator="x")
    '/wijk/berflo-es?indicator=x'
    """
    path, _, own = path.partition("?")
    query = dict(parse_qsl(own))
    query.update({k: v for k, v in params.items() if v not in (None, "")})
    query.pop("taal", None)
    if lang != DEFAULT_LANGUAGE:
        query["taal"] = lang
    return path + ("?" + urlencode(query) if query else "")


def page(
    content,
    lang: str,
    active: str,
    switch_params: dict | None = None,
    notices: list[str] | None = None,
    path: str = "/",
) -> html.Div:
    """Wrap page ``content`` in the shared frame."""
    other = "en" if lang == "nl" else "nl"
    nav_items = [
        html.Li(
            html.A(
                t(key, lang),
                href=href(target, lang),
                className="nav-link" + (" active" if key == active else ""),
                **({"aria-current": "page"} if key == active else {}),
            )
        )
        for key, target in NAV
    ]
    header = html.Header(
        className="site-header",
        children=[
            html.Div(
                className="brand",
                children=[
                    html.A(t("app_title", lang), href=href("/", lang), className="brand-title"),
                    html.Span(t("app_subtitle", lang), className="brand-subtitle"),
                ],
            ),
            html.Nav(
                html.Ul(nav_items, className="nav-list"),
                className="site-nav",
                **{"aria-label": t("nav_label", lang)},
            ),
            html.A(
                t("language_switch", lang),
                href=href(path, other, **(switch_params or {})),
                className="lang-switch",
                lang=other,
                hrefLang=other,
                **{"aria-label": t("language_switch_label", lang)},
            ),
        ],
    )
    notice_box = html.Div(
        [html.P(n, className="notice") for n in notices or []], role="status", className="notices"
    )
    return html.Div(
        className=f"page lang-{lang}",
        lang=lang,
        children=[
            html.A(t("skip_to_content", lang), href="#main", className="skip-link"),
            header,
            html.Main(id="main", tabIndex="-1", children=[notice_box, content]),
            html.Footer(
                className="site-footer",
                children=[
                    html.P(t("footer_sources", lang)),
                    html.P(
                        [
                            html.A(t("nav_data", lang), href=href("/data", lang)),
                            " · ",
                            html.A(t("nav_a11y", lang), href=href("/toegankelijkheid", lang)),
                        ]
                    ),
                ],
            ),
        ],
    )


def store_error_page(exc: Exception, params: dict) -> html.Div:
    """Shown instead of a page when the store is missing or broken: what is wrong, how to fix."""
    lang, _ = parse_language(params.get("taal"))
    return page(html.Div([html.H1(t("store_error_title", lang)), html.Pre(str(exc))]), lang, "")
