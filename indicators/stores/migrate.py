"""Move an embedded store (GeoPackage + internal SQLite file) into PostgreSQL + PostGIS:
``wijkveiligheid migrate --to postgresql://...``.

Copied as they are, in one transaction: the geometry layers, every public attribute table
(figures, catalogue, seed tables, build metadata), the kept tables (import log with its
observations and sources, staff-defined indicators, the postcode table), the users with their
password hashes and the refresh records (:meth:`Store.export_snapshot`). Not copied: sessions,
pending previews and login failures (staff log in again). The embedded store is only read; a
database that already has users or imports is left alone unless ``replace`` is given.
"""

from __future__ import annotations

from indicators.store import StoreError
from indicators.stores.base import StaffError, Store


def migrate(source: Store, target, replace: bool = False) -> dict:
    """Copy ``source`` (any Store) into ``target`` (a PostgisStore) through the source's
    public snapshot export; returns counts of what was copied. Raises StoreError/StaffError
    with a plain message."""
    if not source.exists():
        raise StoreError(
            f"Er is geen datastore om over te zetten in {source.describe()}. "
            "Maak hem met: wijkveiligheid build"
        )
    if not replace and target.has_staff_data():
        raise StaffError(
            f"De database {target.describe()} heeft al gebruikers of imports; er is niets "
            "overschreven. Gebruik --replace om hem te vervangen."
        )
    snapshot = source.export_snapshot()
    target.load_snapshot(snapshot)
    return {
        "layers": {layer: len(gdf) for layer, gdf in snapshot.layers.items()},
        "observations": len(snapshot.tables["observation"]),
        "imports": len(snapshot.state["import_log"]),
        "indicators": len(snapshot.state["custom_indicator"]),
        "postcodes": len(snapshot.state["postcode_pc6"]),
        "users": len(snapshot.users),
    }
