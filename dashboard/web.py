"""The web side of every page: ``<html lang>``, page titles that name the page and its area,
HTTP 404 for unknown pages (no soft 404), ``/robots.txt`` and ``/favicon.ico``.

Dash renders pages in the browser; the first HTML answer and the page-routing callback both
come through here, so a page's language and title are right before and after navigation.
"""

from __future__ import annotations

import re
from html import escape as escape_html
from urllib.parse import parse_qsl, urlsplit

import dash
from flask import Flask, Response, redirect, request, send_file
from werkzeug.sansio.utils import host_is_trusted

from dashboard import settings
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, pick, t
from geodata.gemeente import GEMEENTE

INDEX_ENDPOINTS = ("/", "/<path:path>")  # the endpoints Dash serves its page HTML from
PAGES_SEARCH = "_pages_location.search"
FAVICON = settings.ROOT / "assets" / "favicon.ico"
ROBOTS = "User-agent: *\nDisallow: /intern/\nDisallow: /_dash-\n"


def request_query() -> dict[str, str]:
    """The query of the page being built: the page URL's query inside Dash's page-routing
    callback, else the query of the HTTP request (the first HTML answer)."""
    try:
        search = dash.callback_context.inputs.get(PAGES_SEARCH)
    except Exception:  # noqa: BLE001 - outside a callback there is no callback context
        search = None
    if search is not None:
        return first_values(str(search).lstrip("?"))
    try:
        if request.path.endswith("/_dash-layout") and request.referrer:
            return first_values(urlsplit(request.referrer).query)  # the page's own URL
        return dict(request.args)
    except RuntimeError:  # outside a request (tests, the validation layout)
        return {}


def first_values(query: str) -> dict[str, str]:
    """The parameters of ``query``, a repeated one by its first value, as the pages read it
    (``dict(parse_qsl(...))`` kept the last: a title named another buurt than the page).

    >>> first_values("buurt=BU01640501&buurt=BU01640502&taal=en")
    {'buurt': 'BU01640501', 'taal': 'en'}
    """
    found: dict[str, str] = {}
    for name, value in parse_qsl(query):
        found.setdefault(name, value)
    return found


def request_language() -> str:
    """``nl`` or ``en`` for the page being built (an unknown ``taal`` is Dutch)."""
    lang = request_query().get("taal")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def compose_title(parts: list[str], lang: str) -> str:
    """'Berflo Es – wijkprofiel – Wijkveiligheid Hengelo': most specific part first.

    >>> compose_title(["Berflo Es", "wijkprofiel"], "nl")
    'Berflo Es – wijkprofiel – Wijkveiligheid Hengelo'
    """
    return " – ".join([p for p in parts if p] + [t("app_title", lang)])


def titled(key: str):
    """A page title function (for ``dash.register_page(title=...)``) naming the page in the
    language of the request."""

    def title(**_variables) -> str:
        lang = request_language()
        return compose_title([t(key, lang)], lang)

    return title


def _area_name(code: str | None) -> str | None:
    from dashboard.data import get_context

    if not code:
        return None
    ctx = get_context()
    for frame in ctx.areas.values():
        match = frame[frame["code"] == str(code).upper()]
        if len(match):
            return str(match["name"].iloc[0])
    return GEMEENTE.name if GEMEENTE.is_gemeente(code) else None


def map_title(**_variables) -> str:
    """'Tuindorp – Kaart – Wijkveiligheid Hengelo' when the URL selects an area."""
    lang = request_language()
    try:
        area = _area_name(request_query().get("gebied"))
    except Exception:  # noqa: BLE001 - a broken store shows its own error page
        area = None
    return compose_title([area, t("nav_map", lang)], lang)


def wijk_title(code: str | None = None, **_variables) -> str:
    """'Berflo Es – wijkprofiel – Wijkveiligheid Hengelo'; with a chosen buurt (a buurt URL or
    ``?buurt=``) 'Berflo Es Noord – Berflo Es – wijkprofiel – …'."""
    from dashboard.buurtfocus import resolve_area
    from dashboard.data import get_context

    lang = request_language()
    wijk, buurt = resolve_area(get_context(), code, request_query().get("buurt"))
    if wijk is None:
        return _no_wijk_title(code, lang)
    return compose_title([_area_name(buurt), _area_name(wijk), t("title_wijk", lang)], lang)


def _no_wijk_title(key: str | None, lang: str) -> str:
    """'Tuindorp – kies een gebied – …' for a name of several areas (as the data writes it),
    else 'not found'."""
    from dashboard.data import get_context
    from dashboard.namechoice import area_choices, display_key

    if area_choices(get_context(), key):
        return compose_title([display_key(get_context(), key), t("title_choice", lang)], lang)
    return compose_title([t("title_not_found", lang)], lang)


def theme_title(slug: str | None = None, **_variables) -> str:
    """'2.1 Veilige wijken – thema – Wijkveiligheid Hengelo'."""
    from dashboard.data import get_context

    lang = request_language()
    themes = get_context().data.themes
    match = themes[themes["slug"] == slug]
    if not len(match):
        return compose_title([t("title_not_found", lang)], lang)
    row = match.iloc[0]
    name = f"{row['number']} {pick(lang, row['title_nl'], row['title_en'])}"
    return compose_title([name, t("title_theme", lang)], lang)


def wijk_exists(code: str) -> bool:
    """A wijk or a buurt (which leads to its wijk) by code or name, or a name several areas
    share (a page offers each)."""
    from dashboard.data import get_context
    from dashboard.namechoice import area_choices
    from dashboard.profile import resolve_buurt, resolve_wijk

    ctx = get_context()
    return bool(resolve_wijk(ctx, code) or resolve_buurt(ctx, code) or area_choices(ctx, code))


def theme_exists(slug: str) -> bool:
    """A theme slug of the policy plan."""
    from dashboard.data import get_context

    return slug in set(get_context().data.themes["slug"])


def _template_regex(template: str) -> re.Pattern:
    pattern = re.sub(r"<([a-zA-Z_]\w*)>", r"(?P<\1>[^/]+)", template.strip("/"))
    return re.compile(f"^{pattern}$")


def match_page(path: str) -> tuple[dict | None, dict]:
    """The registered page for a URL path and its path variables; (None, {}) if none."""
    path = path.strip("/")
    for page in dash.page_registry.values():
        if page.get("path_template"):
            found = _template_regex(page["path_template"]).match(path)
            if found:
                return page, found.groupdict()
        elif page["path"].strip("/") == path:
            return page, {}
    return None, {}


def page_status(path: str) -> int:
    """200 for a page that exists, 404 for an unknown path or an unknown value in a path
    template (a page may register ``exists=callable(**variables)`` for that)."""
    page, variables = match_page(path)
    if page is None or page["module"].endswith("not_found_404"):
        return 404
    exists = page.get("exists")
    if exists and variables:
        try:
            return 200 if exists(**variables) else 404
        except Exception:  # noqa: BLE001 - a broken store shows its own error page
            return 200
    return 200


def page_title(path: str) -> str:
    """The title of the page at ``path`` for the current request (the not-found title for an
    unknown one)."""
    page, variables = match_page(path)
    if page is None:
        page = next(
            (p for p in dash.page_registry.values() if p["module"].endswith("not_found_404")), {}
        )
        variables = {}
    title = page.get("title", t("app_title", request_language()))
    if callable(title):
        try:
            title = title(**variables)
        except Exception:  # noqa: BLE001 - a broken store must not break the HTML answer
            title = t("app_title", request_language())
    return title


def localise_index(html: str, path: str) -> str:
    """The first HTML answer with the page's language and title filled in."""
    lang = request_language()
    html = re.sub(r'<html lang="[a-z]+"', f'<html lang="{lang}"', html, count=1)
    title = page_title(path).replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"<title>.*?</title>", f"<title>{title}</title>", html, count=1, flags=re.S)


# ---------------------------------------------------------------- our own hosts, our own URLs
HOST_REFUSED = b"Onbekende host (unknown host).\n"
_URL_META = re.compile(r'(<meta property="(?:twitter|og):url" content=")[^"]*(")')


def absolute_url(path: str) -> str:
    """``path`` (``/wijk/berflo-es?taal=en``) under the configured public URL: the one way to
    write an absolute link, so a forged Host header can never end up in a page, feed or cache.

    >>> import os; os.environ["WIJKVEILIGHEID_PUBLIC_URL"] = "https://wv.example.nl/"
    >>> absolute_url("/wijk/berflo-es?taal=en")
    'https://wv.example.nl/wijk/berflo-es?taal=en'
    >>> del os.environ["WIJKVEILIGHEID_PUBLIC_URL"]
    """
    return settings.public_url() + "/" + path.lstrip("/")


def public_meta_urls(page: str, path: str) -> str:
    """The index HTML with Dash's ``twitter:url`` (and any ``og:url``), which Dash builds from
    the request URL, pointing at the page under the public URL instead."""
    url = escape_html(absolute_url(path), quote=True)
    return _URL_META.sub(lambda m: m.group(1) + url + m.group(2), page)


def request_host_allowed(environ: dict, hosts: list[str]) -> bool:
    """Whether the host a WSGI request is for (its Host header, or the forwarded host that a
    trusted proxy put in its place) is one of ``hosts``; port and letter case do not count."""
    host = environ.get("HTTP_HOST")
    if host is None:  # HTTP/1.0 without Host: the address the server was asked on
        host = environ.get("SERVER_NAME", "")
    return bool(hosts) and host_is_trusted(str(host).lower(), hosts)


def only_our_hosts(wsgi_app, hosts: list[str]):
    """WSGI middleware: a request for a host not in ``hosts`` gets a plain 400 before Flask or
    Dash see it (Dash writes the request URL into its meta tags: a cache-poisoning path)."""

    def middleware(environ, start_response):
        if request_host_allowed(environ, hosts):
            return wsgi_app(environ, start_response)
        headers = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(HOST_REFUSED))),
            ("X-Content-Type-Options", "nosniff"),
            ("Cache-Control", "no-store"),
        ]
        start_response("400 Bad Request", headers)
        return [HOST_REFUSED]

    return middleware


def buurt_redirect(path: str, args: dict) -> str | None:
    """``/wijk/<buurt name or code>`` -> the URL of its wijk's profile with that buurt chosen
    (``/wijk/berflo-es?buurt=BU01640501``); None for any other path."""
    from dashboard.buurtfocus import resolve_area
    from dashboard.data import get_context
    from dashboard.profile import resolve_wijk, slugify
    from dashboard.shell import href

    page, variables = match_page(path)
    if page is None or not page["module"].endswith(".wijk") or "code" not in variables:
        return None
    ctx = get_context()
    if resolve_wijk(ctx, variables["code"]):
        return None
    wijk, buurt = resolve_area(ctx, variables["code"])
    if buurt is None:
        return None
    name = ctx.areas["wijk"].set_index("code").loc[wijk, "name"]
    query = {k: v for k, v in args.items() if k not in ("taal", "buurt")}
    lang = request_language()
    return href(f"/wijk/{slugify(name)}", lang, buurt=buurt, **query)


def init_app(server: Flask) -> None:
    """Register the status of page answers, buurt URLs under /wijk, robots.txt, favicon."""

    @server.before_request
    def wijk_of_buurt():
        if request.method != "GET" or not request.path.startswith("/wijk/"):
            return None
        try:
            target = buurt_redirect(request.path, dict(request.args))
        except Exception:  # noqa: BLE001 - a broken store shows its own error page
            return None
        return redirect(target, code=302) if target else None

    @server.after_request
    def page_answer(response: Response) -> Response:
        if request.endpoint in INDEX_ENDPOINTS and response.status_code == 200:
            response.status_code = page_status(request.path)
        return response

    @server.route("/robots.txt")
    def robots() -> Response:
        return Response(ROBOTS, mimetype="text/plain")

    @server.route("/favicon.ico")
    def favicon() -> Response:
        response = send_file(FAVICON, mimetype="image/vnd.microsoft.icon")
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response


class LocalisedIndex:
    """Mixin for the Dash app: its first HTML answer carries the page's language and title."""

    def interpolate_index(self, **kwargs) -> str:
        page = super().interpolate_index(**kwargs)
        try:
            path = request.full_path if request.query_string else request.path
        except RuntimeError:
            return page
        from dashboard.feeds import with_discovery_link  # Atom feed in the head (issue 18 A2)

        page = public_meta_urls(localise_index(page, request.path), path)
        return with_discovery_link(page, request.path, request_language())
