"""The store's tables and their columns, written down once for both backends.

One typed column list (:data:`COLUMNS`: name and type per column) drives the GeoPackage/SQLite
schema, the PostgreSQL schema (:func:`pg_type`), what the readers hand back and the import's
columns (:func:`import_columns`), so adding a column is one edit here. Tables that only the
build writes from the bundled seed files (g32_score, theme, ...) take their types from the
frames (:func:`column_types`), which both backends see identically.

Values are brought to their declared type in Python (:func:`conform`) before either backend
writes them, so SQLite's column affinity and PostgreSQL's strict types store the same values
(no backend emulates the other).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from indicators import OBSERVATION_COLUMNS
from indicators import catalogue as cat

SCHEMA_VERSION = "5"  # 5: INTEGER PRIMARY KEY fid in every attribute table; users moved out
GEOMETRY_LAYERS = ("buurt", "wijk", "gemeente", "web_buurt", "web_wijk")
READ_LAYERS = ("buurt", "wijk", "web_buurt", "web_wijk")
SEED_TABLES = (
    "g32_score",
    "g32_capacity",
    "g32_recommendation",
    "theme",
    "kpi",
    "focus_wijk",
    "budget_line",
    "store_meta",
)
DERIVED_TABLES = ("indicator", "source", "observation")  # recomputed after every staff write
PUBLIC_TABLES = ("indicator", "observation_source", "source", *SEED_TABLES, "observation")
POSTCODE_TABLE = "postcode_pc6"
# kept when the public data is built again: the staff's work and the fetched postcode table
STATE_TABLES = (
    "import_log",
    "import_observation",
    "import_source",
    "custom_indicator",
    POSTCODE_TABLE,
)


@dataclass(frozen=True)
class Column:
    """One column of a store table: its name and its (GeoPackage) type."""

    name: str
    type: str = "TEXT"


def _typed(names, **types: str) -> tuple[Column, ...]:
    return tuple(Column(name, types.get(name, "TEXT")) for name in names)


def _model_columns(model) -> tuple[Column, ...]:
    kinds = {int: "INTEGER", float: "REAL", bool: "BOOLEAN"}
    return tuple(Column(n, kinds.get(f.annotation, "TEXT")) for n, f in model.model_fields.items())


_NUMBERS = {c: "REAL" for c in ("value", "n", "margin", "coverage_n", "coverage_total")}
_OBSERVATION = _typed(OBSERVATION_COLUMNS, coverage_share="REAL", **_NUMBERS)
_IMPORT_OBSERVATION = (
    Column("import_id", "INTEGER"),
    *_typed(
        ["area_code", "level", "indicator_id", "period", "value", "n", "margin", "source_id"],
        **_NUMBERS,
    ),
)
_COUNTS = {c: "INTEGER" for c in ("id", "n_rows", "n_new", "n_changed", "n_unchanged")}
_IMPORT_LOG = _typed(
    ["id", "user", "at", "file_name", "sha256", "source_id"]
    + ["n_rows", "n_new", "n_changed", "n_unchanged", "undone_at", "undone_by"],
    **_COUNTS,
)
# the public source table keeps ``year`` as text (the bundled catalogue leaves some empty)
_SOURCE = tuple(Column(c.name, "TEXT") for c in _model_columns(cat.Source))

COLUMNS: dict[str, tuple[Column, ...]] = {
    "observation": _OBSERVATION,
    "observation_source": _OBSERVATION,
    "indicator": _model_columns(cat.Indicator),
    "source": _SOURCE,
    "import_log": _IMPORT_LOG,
    "import_observation": _IMPORT_OBSERVATION,
    "import_source": _model_columns(cat.Source),
    "custom_indicator": _model_columns(cat.Indicator),
    # CBS "buurt per postcode" (wijkveiligheid fetch --table postcode): kept across rebuilds
    POSTCODE_TABLE: _typed(
        ["pc6", "buurtcode", "adressen", "jaar"], adressen="INTEGER", jaar="INTEGER"
    ),
}


def names(table: str) -> list[str]:
    """The column names of a declared table, in order."""
    return [c.name for c in COLUMNS[table]]


def import_columns() -> list[str]:
    """The columns of a parsed import's rows: the file row, then what the store keeps of each
    value (import_observation without the import number)."""
    return ["row", *names("import_observation")[1:]]


def empty(table: str) -> pd.DataFrame:
    """A declared table without rows."""
    return pd.DataFrame(columns=names(table))


def empty_state() -> dict[str, pd.DataFrame]:
    """The staff tables of a store that has none yet."""
    return {name: empty(name) for name in STATE_TABLES}


def column_types(table: str, frame: pd.DataFrame | None = None) -> dict[str, str]:
    """Column name -> type of a table: the declared list, else from the pandas dtypes of
    ``frame`` (INTEGER, REAL, BOOLEAN or TEXT)."""
    if table in COLUMNS:
        return {c.name: c.type for c in COLUMNS[table]}
    return {col: _dtype_type(dtype) for col, dtype in frame.dtypes.items()}


def _dtype_type(dtype) -> str:
    if pd.api.types.is_bool_dtype(dtype):
        return "BOOLEAN"
    if pd.api.types.is_integer_dtype(dtype):
        return "INTEGER"
    if pd.api.types.is_float_dtype(dtype):
        return "REAL"
    return "TEXT"


def pg_type(kind: str) -> str:
    """The PostgreSQL type of a GeoPackage column type."""
    return {"INTEGER": "bigint", "REAL": "double precision", "BOOLEAN": "boolean"}.get(kind, "text")


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the table's columns (declared or inferred) and every value a plain Python
    value of its column's type, or None: what both backends write, so they hold the same."""
    types = column_types(table, frame)
    frame = frame.reindex(columns=list(types))
    return pd.DataFrame(
        {col: [to_type(v, kind) for v in frame[col].tolist()] for col, kind in types.items()},
        columns=list(types),
        dtype=object,
    )


def to_type(value, kind: str):
    """One value as its column type stores it (None for missing).

    >>> to_type(2019, "TEXT"), to_type("1.5", "REAL"), to_type(3.0, "INTEGER")
    ('2019', 1.5, 3)
    """
    value = plain(value)
    if value is None:
        return None
    if kind == "BOOLEAN":
        return bool(value)
    if kind == "INTEGER":
        if not float(value).is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(value)
    if kind == "REAL":
        return float(value)
    return str(value)


def plain(value):
    """A numpy scalar as a Python one; NaN, NA and NaT as None."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
