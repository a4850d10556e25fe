"""Embedding: which pages another site may frame, and the iframe code for a view.

Only the embed pages (``/embed/kaart``, ``/embed/wijk/<code>``) may be framed, and only by
this site itself and the origins of ``WIJKVEILIGHEID_EMBED_ORIGINS``; every other page keeps
``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` (set for all pages in
``dashboard.app._harden``).
"""

from __future__ import annotations

import logging
import re
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Response, request

from dashboard import settings

LOG = logging.getLogger("wijkveiligheid.embed")
EMBED_PAGE = re.compile(r"^/embed/(kaart|wijk/[^/]+)/?$")
ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$")
MAP_PARAMS = ("indicator", "niveau", "periode", "gebied", "taal")


def embed_origins(raw: str | None = None) -> list[str]:
    """The origins that may frame the embed pages, from the setting (space- or
    comma-separated); anything that is not ``scheme://host[:port]`` is left out (and logged).

    >>> embed_origins("https://www.hengelo.nl, http://localhost:8080  x;y")
    ['https://www.hengelo.nl', 'http://localhost:8080']
    """
    raw = settings.get("WIJKVEILIGHEID_EMBED_ORIGINS") if raw is None else raw
    origins = []
    for item in re.split(r"[\s,]+", raw or ""):
        origin = item.strip().rstrip("/").lower()
        if not origin:
            continue
        if ORIGIN.match(origin):
            origins.append(origin)
        else:
            LOG.warning("WIJKVEILIGHEID_EMBED_ORIGINS: '%s' is geen origin; genegeerd", item[:80])
    return list(dict.fromkeys(origins))


def frame_ancestors(origins: list[str]) -> str:
    """The CSP directive for the embed pages: this site itself and the configured origins."""
    return " ".join(["frame-ancestors", "'self'", *origins])


def frame_headers(response: Response) -> Response:
    """An embed page may be framed by the configured origins: its CSP gets their
    ``frame-ancestors`` and it loses ``X-Frame-Options`` (which cannot name origins). Runs
    after Talisman's headers (registered before it). Other pages are left as they are."""
    if not EMBED_PAGE.match(request.path) or response.mimetype != "text/html":
        return response
    csp = response.headers.get("Content-Security-Policy")
    if csp:
        rule = frame_ancestors(embed_origins())
        csp = re.sub(r"frame-ancestors [^;]*", rule, csp)
        response.headers["Content-Security-Policy"] = csp
    response.headers.pop("X-Frame-Options", None)
    return response


def embed_url(view: str) -> str | None:
    """The embed page of a public view (a path with its query, as in the address bar):
    the map (``/?indicator=…``) or a wijk (``/wijk/<code>``); None for any other page.

    >>> embed_url("/?indicator=misdrijf_geweld&niveau=buurt&x=1")
    '/embed/kaart?indicator=misdrijf_geweld&niveau=buurt'
    >>> embed_url("/wijk/berflo-es?taal=en"), embed_url("/benchmark")
    ('/embed/wijk/berflo-es?taal=en', None)
    """
    parts = urlsplit(view or "/")
    if parts.scheme or parts.netloc:
        return None
    query = {k: v for k, v in parse_qsl(parts.query) if v}
    path = parts.path or "/"
    if path == "/":
        kept = {k: query[k] for k in MAP_PARAMS if k in query}
        return "/embed/kaart" + ("?" + urlencode(kept) if kept else "")
    found = re.fullmatch(r"/wijk/([A-Za-z0-9-]{1,80})/?", path)
    if found:
        kept = {k: query[k] for k in ("taal",) if k in query}
        return f"/embed/wijk/{found.group(1)}" + ("?" + urlencode(kept) if kept else "")
    return None


# The height of the frame a site is given: the map fills what it gets; a wijk card holds its
# heading, link back and table at a desktop width (638 px at 1000 px wide, measured)
MAP_HEIGHT = 560
CARD_HEIGHT = 680


def frame_height(src: str) -> int:
    """The iframe height for the embed page ``src``."""
    return CARD_HEIGHT if "/embed/wijk/" in src else MAP_HEIGHT


def iframe_code(src: str, title: str, height: int = MAP_HEIGHT) -> str:
    """The HTML another site pastes to show an embed page."""
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="{height}" '
        'style="border:0" loading="lazy" referrerpolicy="strict-origin-when-cross-origin">'
        "</iframe>"
    )
