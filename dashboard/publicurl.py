"""The public address of the app, for absolute links in documents others keep (OGC API
documents, iframe code)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import request


def public_base_url() -> str:
    """``WIJKVEILIGHEID_PUBLIC_URL`` without a trailing slash when it is set (behind a proxy
    the app cannot know its public address), else the address of the current request.

    THE ONE PLACE that reads WIJKVEILIGHEID_PUBLIC_URL. The setting itself is added to
    ``dashboard/settings.py`` by another branch; once it is there, read it with
    ``settings.get("WIJKVEILIGHEID_PUBLIC_URL")`` here instead of ``os.environ``.
    """
    configured = os.environ.get("WIJKVEILIGHEID_PUBLIC_URL", "").strip().rstrip("/")
    parts = urlsplit(configured)
    if parts.scheme in ("http", "https") and parts.netloc:
        return configured
    return request.host_url.rstrip("/")
