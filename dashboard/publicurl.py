"""The public address of the app, for absolute links in documents others keep (OGC API
documents, iframe code)."""

from __future__ import annotations

from dashboard import settings


def public_base_url() -> str:
    """The configured public address (``WIJKVEILIGHEID_PUBLIC_URL``, without a trailing
    slash), never the request's host: a link others keep (OGC documents, iframe code) must not
    follow a Host header a client chose (issue 21)."""
    return settings.public_url()
