"""One settings table: (name, default, help); environment variables override the defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
