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
    Setting("WIJKVEILIGHEID_HOST", "127.0.0.1", "Address `wijkveiligheid serve` listens on."),
    Setting("WIJKVEILIGHEID_PORT", "8050", "Port `wijkveiligheid serve` listens on."),
    Setting(
        "WIJKVEILIGHEID_BASEMAP",
        "none",
        "Background of the maps: `none` (plain, works offline) or `pdok` (PDOK BRT grey "
        "tiles, needs internet).",
    ),
    Setting("WIJKVEILIGHEID_DEBUG", "0", "Set to 1 for Dash debug mode (development only)."),
    Setting(
        "WIJKVEILIGHEID_SECRET_KEY",
        "",
        "Key that signs staff sessions; when empty a random key is kept in "
        "`var/secret_key`. Set it (the same) for every instance behind a load balancer.",
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
