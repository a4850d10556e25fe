"""One settings table: (name, default, help); environment variables override the defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS = (
    Setting(
        "WIJKVEILIGHEID_STORE",
        str(ROOT / "var" / "wijkveiligheid.gpkg"),
        "Path of the embedded GeoPackage store; built from the bundled sources when missing.",
    ),
    Setting(
        "WIJKVEILIGHEID_INTERNAL_DB",
        "",
        "Path of the internal SQLite file of the embedded store (users, sessions, previews, "
        "login throttle, refresh log); empty: next to the GeoPackage as "
        "`<name>-intern.sqlite`. Never give it to GIS staff.",
    ),
    Setting(
        "WIJKVEILIGHEID_DATABASE_URL",
        "",
        "`postgresql://user:password@host/db`: use PostgreSQL + PostGIS instead of the embedded "
        "store (needed for several instances).",
    ),
    Setting(
        "WIJKVEILIGHEID_DB_POOL",
        "8",
        "Connections per worker process to PostgreSQL (PostGIS store only).",
    ),
    Setting(
        "WIJKVEILIGHEID_REFRESH",
        "off",
        "Scheduled open-data refresh (fetch --all) inside the app, once across all instances: "
        "off, daily@HH:MM (Amsterdam time) or every@N (minutes).",
    ),
    Setting("WIJKVEILIGHEID_HOST", "127.0.0.1", "Address `wijkveiligheid serve` listens on."),
    Setting("WIJKVEILIGHEID_PORT", "8050", "Port `wijkveiligheid serve` listens on."),
    Setting(
        "WIJKVEILIGHEID_WORKERS",
        "2",
        "Gunicorn worker processes (`serve` and the Procfile; about one per CPU core).",
    ),
    Setting("WIJKVEILIGHEID_THREADS", "4", "Threads per gunicorn worker (gthread)."),
    Setting(
        "WIJKVEILIGHEID_TIMEOUT",
        "60",
        "Seconds a gunicorn worker may spend on one request before it is restarted.",
    ),
    Setting(
        "WIJKVEILIGHEID_PROXIES",
        "0",
        "Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto headers "
        "are trusted (e.g. 1 behind nginx). 0: headers ignored.",
    ),
    Setting(
        "WIJKVEILIGHEID_HOSTS",
        "127.0.0.1,localhost,[::1]",
        "Comma-separated host names the app answers to (any port; `.hengelo.nl` also matches "
        "its subdomains); a request for any other host gets a plain 400. The host of "
        "`WIJKVEILIGHEID_PUBLIC_URL` is always allowed. Behind proxies the forwarded host "
        "(X-Forwarded-Host) is the one checked.",
    ),
    Setting(
        "WIJKVEILIGHEID_PUBLIC_URL",
        "http://127.0.0.1:8050",
        "The address the public reaches the app at (scheme, host and optional path prefix, "
        "e.g. `https://wijkveiligheid.hengelo.nl`): every absolute URL the app writes (page "
        "meta tags, links in feeds and exports) starts with it, never with the request's host. "
        "Unset, `wijkveiligheid serve` uses the address it listens on (http://HOST:PORT).",
    ),
    Setting(
        "WIJKVEILIGHEID_BASEMAP",
        "none",
        "Background of the maps: `none` (plain, works offline) or `pdok` (PDOK BRT grey "
        "tiles, needs internet).",
    ),
    Setting(
        "WIJKVEILIGHEID_DEBUG",
        "0",
        "Set to 1 for Dash debug mode with `serve --dev` (development only).",
    ),
    Setting(
        "WIJKVEILIGHEID_EMBED_ORIGINS",
        "",
        "Origins (scheme://host[:port], space- or comma-separated) that may show the embed "
        "pages /embed/kaart and /embed/wijk/<code> in a frame; every other page can never be "
        "framed. Empty: only this site itself.",
    ),
    Setting(
        "WIJKVEILIGHEID_SECRET_KEY",
        "",
        "Key that signs the staff cookie; when empty a random key kept in the store is used "
        "(the same for every worker and instance of that store).",
    ),
    Setting(
        "WIJKVEILIGHEID_SECURE_COOKIES",
        "1",
        "1: the staff session cookie is sent over HTTPS only (browsers also accept it on "
        "localhost); 0 only for a test setup over plain HTTP.",
    ),
)


def get(name: str) -> str:
    """The value of a setting: the environment variable if set, else the default."""
    for setting in SETTINGS:
        if setting.name == name:
            return os.environ.get(name, setting.default)
    raise KeyError(f"Unknown setting {name}")


def public_url() -> str:
    """The configured public address without a trailing slash (``https://host[/prefix]``);
    a ValueError for anything else, so a typo stops the app at its start, not in a link."""
    url = get("WIJKVEILIGHEID_PUBLIC_URL").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ValueError(f"WIJKVEILIGHEID_PUBLIC_URL must be http(s)://host[/path], not {url!r}")
    return url


def allowed_hosts() -> list[str]:
    """The host names (lower case, IDNA-encoded as HTTP sends them) the app answers to: the
    configured list plus the public URL's host; never empty, since an empty list would make
    Werkzeug's check allow every host."""
    names = [h.strip().lower() for h in get("WIJKVEILIGHEID_HOSTS").split(",")]
    public = urlsplit(public_url()).hostname
    names += [f"[{public}]" if public and ":" in public else public or ""]
    return list(dict.fromkeys(name for name in names if name))


def store_path() -> Path:
    return Path(get("WIJKVEILIGHEID_STORE"))


def open_store(store: str | Path | None = None):
    """The store these settings name (no I/O yet): PostGIS when WIJKVEILIGHEID_DATABASE_URL
    is set, else the embedded GeoPackage ``store`` (default WIJKVEILIGHEID_STORE)."""
    from indicators.stores import open_store as open_

    return open_(
        store_path=Path(store) if store else store_path(),
        internal_path=get("WIJKVEILIGHEID_INTERNAL_DB") or None,
        database_url=get("WIJKVEILIGHEID_DATABASE_URL").strip(),
    )
