"""The page frame every page shares: skip link, header with navigation and language, footer."""

from __future__ import annotations

from contextvars import ContextVar
from functools import wraps
from urllib.parse import parse_qsl, urlencode

from dash import html

from dashboard import data
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, pick, t

NAV = (
    ("nav_map", "/"),
    ("nav_themes", "/thema"),
    ("nav_benchmark", "/benchmark"),
    ("nav_compare", "/vergelijk"),
    ("nav_presentation", "/presentatie"),
    ("nav_data", "/data"),
)


MAX_PARAM_CHARS = 200
_PARAM_NOTICES: ContextVar[tuple] = ContextVar("param_notices", default=())


def normalise_params(params: dict) -> tuple[dict[str, str], list[tuple[str, int]]]:
    """URL parameters as pages expect them: one string each, at most ``MAX_PARAM_CHARS`` long.
    A list (``?gebieden=a,b,…``) longer than that is cut after its last whole item, so no
    half code is reported as unknown. A parameter given more than once (``?gebied=x&gebied=y``)
    keeps its first value and is returned as ``(name, count)`` for a notice; other types become
    text, ``None`` stays out.

    >>> normalise_params({"gebied": ["x", "y"], "taal": "en", "n": 3})
    ({'gebied': 'x', 'taal': 'en', 'n': '3'}, [('gebied', 2)])
    >>> len(normalise_params({"gebieden": ",".join(["WK016405"] * 30)})[0]["gebieden"])
    197
    """
    clean, repeated = {}, []
    for name, value in params.items():
        if isinstance(value, (list, tuple)):
            if len(value) > 1:
                repeated.append((str(name)[:40], len(value)))
            value = value[0] if value else ""
        if value is None:
            continue
        clean[str(name)] = _cut(str(value))
    return clean, repeated


def _cut(value: str) -> str:
    if len(value) <= MAX_PARAM_CHARS:
        return value
    cut = value[:MAX_PARAM_CHARS]
    if value[MAX_PARAM_CHARS] != "," and "," in cut:
        cut = cut[: cut.rindex(",")]
    return cut


def visible(text: str) -> str:
    """A notice as the page may show it: a control character echoed from the URL (a NUL from
    ``%00``, a newline) becomes U+FFFD instead of being written into the page.

    >>> visible("Weergave 'a" + chr(0) + "' bestaat niet") == "Weergave 'a\ufffd' bestaat niet"
    True
    """
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in str(text))


def robust_layout(layout):
    """Wrap a page's ``layout(**params)`` so that it always gets normalised scalar strings
    (see :func:`normalise_params`); :func:`page` shows a notice for repeated parameters."""

    @wraps(layout)
    def wrapped(**params):
        clean, repeated = normalise_params(params)
        token = _PARAM_NOTICES.set(tuple(repeated))
        try:
            return layout(**clean)
        finally:
            _PARAM_NOTICES.reset(token)

    wrapped.robust = True
    return wrapped


def store_lang(data) -> str:
    """The page language a page keeps in a store's data (``{"lang": ...}``); the default for
    anything else a request may carry."""
    lang = data.get("lang") if isinstance(data, dict) else None
    return lang if isinstance(lang, str) and lang in LANGUAGES else DEFAULT_LANGUAGE


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


def site_header(lang: str, active: str, path: str, switch_params: dict | None) -> html.Header:
    """Brand, navigation (``active`` marked) and the link to the page in the other language."""
    other = pick(lang, "en", "nl")
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
    return html.Header(
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
                [menu_button(lang), html.Ul(nav_items, className="nav-list", id="site-nav-list")],
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


def menu_button(lang: str) -> html.Button:
    """The phone menu's button (shown below 600 px only): opens and closes the menu list
    (assets/navmenu.js sets ``aria-expanded``; the stylesheet shows the list when true)."""
    return html.Button(
        t("nav_menu", lang),
        type="button",
        className="nav-toggle",
        **{"aria-expanded": "false", "aria-controls": "site-nav-list"},
    )


def site_footer(lang: str) -> html.Footer:
    """Sources line and the links to the data page and the accessibility statement."""
    links = [
        html.A(t("nav_data", lang), href=href("/data", lang)),
        " · ",
        html.A(t("nav_a11y", lang), href=href("/toegankelijkheid", lang)),
    ]
    return html.Footer(
        className="site-footer", children=[html.P(t("footer_sources", lang)), html.P(links)]
    )


def page(
    content,
    lang: str,
    active: str,
    switch_params: dict | None = None,
    notices: list | None = None,
    path: str = "/",
) -> html.Div:
    """Wrap page ``content`` in the shared frame. A notice is a string (control characters
    shown as U+FFFD) or a list of components whose text was cleaned by its maker."""
    notices = list(notices or []) + [
        t("notice_repeated_param", lang, name=name, count=count)
        for name, count in _PARAM_NOTICES.get()
    ]
    notice_box = html.Div(
        [html.P(visible(n) if isinstance(n, str) else n, className="notice") for n in notices],
        role="status",
        className="notices",
    )
    return html.Div(
        className=f"page lang-{lang}",
        lang=lang,
        children=[
            html.A(t("skip_to_content", lang), href="#main", className="skip-link"),
            site_header(lang, active, path, switch_params),
            html.Main(id="main", tabIndex="-1", children=[notice_box, content]),
            site_footer(lang),
        ],
    )


def store_error_page(exc: Exception, params: dict) -> html.Div:
    """Shown instead of a page when the store is missing or broken: what is wrong, how to fix."""
    lang, _ = parse_language(params.get("taal"))
    return page(html.Div([html.H1(t("store_error_title", lang)), html.Pre(str(exc))]), lang, "")


def not_found_page(kind: str, value, links: list[tuple[str, str]], lang: str, active: str):
    """An unknown ``kind`` (``wijk``, ``theme``) asked for as ``value``: says so and lists
    what there is (``links``: text and path)."""
    items = [html.Li(html.A(text, href=href(path, lang))) for text, path in links]
    content = html.Div(
        [
            html.H1(t(f"{kind}_not_found", lang, value=str(value)[:60])),
            html.P(t(f"{kind}_not_found_hint", lang)),
            html.Ul(items),
        ]
    )
    return page(content, lang, active)


def with_context(layout):
    """The one store guard of the pages: ``layout(ctx, *args, **params)`` gets the data
    context; when the store is missing or broken the page says so (:func:`store_error_page`)
    instead of answering with a traceback. Only getting the context is guarded: an error in
    the page itself stays an error."""

    @wraps(layout)
    def guarded(*args, **params):
        try:
            ctx = data.get_context()
        except Exception as exc:  # the store is missing or broken (any backend's error type)
            return store_error_page(exc, params)
        return layout(ctx, *args, **params)

    return guarded
