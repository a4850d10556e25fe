"""Pick and open the store: PostgreSQL + PostGIS when a database URL is given, else the
embedded GeoPackage + internal SQLite file. See :mod:`indicators.stores.base` for the
interface every backend implements."""

from __future__ import annotations

from pathlib import Path

from indicators.stores.base import (
    LoginResult,
    StaffError,
    Store,
    StoreUnavailable,
    User,
)

__all__ = ["LoginResult", "StaffError", "Store", "StoreUnavailable", "User", "open_store"]


def open_store(
    store_path: str | Path | None = None,
    internal_path: str | Path | None = None,
    database_url: str = "",
) -> Store:
    """The store for these settings (no I/O yet).

    ``database_url`` starting with ``postgresql://`` (or ``postgres://``) opens the PostGIS
    store; otherwise the embedded store at ``store_path`` (GeoPackage) with its internal
    SQLite file at ``internal_path`` (default: next to the GeoPackage,
    ``<name>-intern.sqlite``).
    """
    if database_url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        from indicators.stores.postgis import PostgisStore

        return PostgisStore(database_url)
    if database_url:
        raise StoreUnavailable(
            "WIJKVEILIGHEID_DATABASE_URL moet met postgresql:// beginnen "
            f"(gegeven: {database_url.split(':', 1)[0]}:...)."
        )
    from indicators.stores.embedded import EmbeddedStore

    if store_path is None:
        raise ValueError("open_store: store_path or database_url is needed")
    gpkg = Path(store_path)
    internal = Path(internal_path) if internal_path else default_internal_path(gpkg)
    return EmbeddedStore(gpkg, internal)


def default_internal_path(gpkg: Path) -> Path:
    """The internal database next to a GeoPackage: var/wijkveiligheid.gpkg ->
    var/wijkveiligheid-intern.sqlite."""
    return gpkg.with_name(f"{gpkg.stem}-intern.sqlite")
