"""Move an embedded store (GeoPackage + internal SQLite file) into PostgreSQL + PostGIS:
``wijkveiligheid migrate --to postgresql://...``.

Copied as they are, in one transaction: the geometry layers, every public attribute table
(figures, catalogue, seed tables, build metadata), the staff tables (import log with its
observations and sources, staff-defined indicators), the users with their password hashes and
the last refresh record. Not copied: sessions, pending previews and login failures (staff log in
again). The embedded store is only read; a database that already has users or imports is left
alone unless ``replace`` is given.
"""

from __future__ import annotations

import pandas as pd

from geodata import io as geo_io
from indicators import store as common
from indicators.stores.base import StaffError


def migrate(source, target, replace: bool = False) -> dict:
    """Copy ``source`` (an EmbeddedStore) into ``target`` (a PostgisStore); returns counts of
    what was copied. Raises StoreError/StaffError with a plain message."""
    from indicators.stores.embedded import _read_table

    if not source.exists():
        raise common.StoreError(
            f"Er is geen datastore om over te zetten in {source.describe()}. "
            "Maak hem met: wijkveiligheid build"
        )
    if not replace and target.has_staff_data():
        raise StaffError(
            f"De database {target.describe()} heeft al gebruikers of imports; er is niets "
            "overschreven. Gebruik --replace om hem te vervangen."
        )
    with source._read() as con:
        tables = {name: _read_table(con, name) for name in common.ATTRIBUTE_TABLES}
        tables["observation"] = _read_table(con, "observation")
    layers = {layer: geo_io.read_layer(source.path, layer) for layer in common.GEOMETRY_LAYERS}
    state = source.state_tables()
    users = pd.DataFrame(
        source.export_users(), columns=["username", "password_hash", "role", "created_at"]
    )
    last = source.last_refresh()
    target.load_snapshot(layers, tables, state, users, [last] if last else [])
    return {
        "layers": {layer: len(gdf) for layer, gdf in layers.items()},
        "observations": len(tables["observation"]),
        "imports": len(state["import_log"]),
        "indicators": len(state["custom_indicator"]),
        "users": len(users),
    }
