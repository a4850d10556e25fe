"""What every store holds, independent of the backend: the tables built from the bundled
sources (:func:`build_frames`), the staff tables kept across rebuilds (:data:`STATE_COLUMNS`)
and the derived public tables (:func:`effective_tables`). The backends live in
:mod:`indicators.stores`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata import io as geo_io
from geodata.derive import dissolve_gemeente, dissolve_wijken
from geodata.gemeente import GEMEENTE
from geodata.validate import validate_boundaries
from geodata.web import build_web_geometry
from indicators import catalogue as cat
from indicators import derive, loaders, seed

GEOMETRY_LAYERS = ("buurt", "wijk", "gemeente", "web_buurt", "web_wijk")
ATTRIBUTE_TABLES = (
    "indicator",
    "observation",
    "source",
    "g32_score",
    "g32_capacity",
    "g32_recommendation",
    "theme",
    "kpi",
    "focus_wijk",
    "budget_line",
    "store_meta",
    "observation_source",
)
# Staff state: kept when the store is rebuilt from the bundled sources.
STATE_COLUMNS = {
    "import_log": [
        "id",
        "user",
        "at",
        "file_name",
        "sha256",
        "source_id",
        "n_rows",
        "n_new",
        "n_changed",
        "n_unchanged",
        "undone_at",
        "undone_by",
    ],
    "import_observation": [
        "import_id",
        "area_code",
        "level",
        "indicator_id",
        "period",
        "value",
        "n",
        "margin",
        "source_id",
    ],
    "import_source": list(cat.Source.model_fields),
    "custom_indicator": list(cat.Indicator.model_fields),
}
STATE_TABLES = tuple(STATE_COLUMNS)
SCHEMA_VERSION = "5"  # 5: INTEGER PRIMARY KEY fid in every attribute table; users moved out


class StoreError(RuntimeError):
    """The store is missing, unreadable or inconsistent; the message says how to fix it."""


@dataclass
class StoreData:
    """Everything the dashboard reads from the store, as in-memory frames."""

    buurten: gpd.GeoDataFrame
    wijken: gpd.GeoDataFrame
    web_buurten: gpd.GeoDataFrame
    web_wijken: gpd.GeoDataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    sources: pd.DataFrame
    g32: pd.DataFrame
    g32_capacity: pd.DataFrame
    g32_recommendations: pd.DataFrame
    themes: pd.DataFrame
    kpis: pd.DataFrame
    focus_wijken: pd.DataFrame
    budget: pd.DataFrame
    meta: dict


def store_data(tables: dict[str, pd.DataFrame], layers: dict) -> StoreData:
    """The public data from the attribute tables and geometry layers as a backend read them
    (the same frames and types from the GeoPackage and from PostGIS)."""
    tables["indicator"]["public"] = tables["indicator"]["public"].astype(bool)
    obs = tables["observation"]
    obs["period"] = obs["period"].astype(str)
    meta = tables["store_meta"]
    return StoreData(
        buurten=layers["buurt"],
        wijken=layers["wijk"],
        web_buurten=layers["web_buurt"],
        web_wijken=layers["web_wijk"],
        indicators=tables["indicator"].set_index("id", drop=False),
        observations=obs,
        sources=tables["source"].set_index("id", drop=False),
        g32=tables["g32_score"],
        g32_capacity=tables["g32_capacity"],
        g32_recommendations=tables["g32_recommendation"],
        themes=tables["theme"],
        kpis=tables["kpi"],
        focus_wijken=tables["focus_wijk"],
        budget=tables["budget_line"],
        meta={k: json.loads(v) for k, v in zip(meta["key"], meta["value"], strict=True)},
    )


def source_fingerprint() -> str:
    """Hash of every bundled source and seed file, to tell a stale store from a current one."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    roots = [Path(loaders.__file__).parent, Path(geo_io.__file__).parent / "sources"]
    files = sorted(
        p
        for root in roots
        for p in root.rglob("*")
        if p.is_file() and p.suffix in {".csv", ".toml", ".shp", ".dbf", ".shx"}
    )
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_frames() -> dict:
    """Read, validate and derive everything from the bundled sources (no writing)."""
    buurten = geo_io.read_master_buurten()
    names = geo_io.read_wijk_names()
    validate_boundaries(buurten, dict(zip(names["wijkcode"], names["wijknaam"], strict=True)))
    buurt_names = buurten[["buurtcode", "buurtnaam"]]
    wijken = dissolve_wijken(buurten, names)
    web = build_web_geometry(buurten, names)
    sources = cat.load_sources()
    indicators = cat.catalogue_frame(cat.load_catalogue(sources=sources))
    obs = loaders.read_all_sources()
    _check_references(obs, indicators, set(buurten["buurtcode"]) | set(wijken["wijkcode"]))
    themes = seed.load_themes()
    budget, budget_check = seed.load_budget()
    meta = {
        "schema_version": SCHEMA_VERSION,
        "source_fingerprint": source_fingerprint(),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "web_max_deviation_m": round(web.max_deviation_m, 2),
        "web_vertices": web.vertices_web,
        "master_vertices": web.vertices_master,
        "budget_check": budget_check,
    }
    return {
        "buurt": buurten,
        "wijk": wijken,
        "gemeente": dissolve_gemeente(buurten),
        "web_buurt": web.buurten.merge(buurt_names, on=["buurtcode", "buurtnaam"]),
        "web_wijk": web.wijken,
        "indicator": indicators.reset_index(drop=True),
        "observation_source": obs,
        "source": cat.sources_frame(sources).reset_index(drop=True),
        "g32_score": seed.load_g32(),
        "g32_capacity": seed.load_g32_capacity(),
        "g32_recommendation": seed.load_g32_recommendations(),
        "theme": _themes_table(themes),
        "kpi": _kpi_table(themes),
        "focus_wijk": _focus_table(seed.load_focus_wijken()),
        "budget_line": budget,
        "store_meta": pd.DataFrame(
            {"key": list(meta), "value": [json.dumps(v) for v in meta.values()]}
        ),
    }


def _check_references(obs: pd.DataFrame, indicators: pd.DataFrame, areas: set[str]) -> None:
    unknown_ind = set(obs["indicator_id"]) - set(indicators.index)
    unknown_area = set(obs["area_code"]) - areas - {GEMEENTE.code}
    if unknown_ind or unknown_area:
        raise StoreError(
            f"Onbekende indicatoren {sorted(unknown_ind)} of gebieden "
            f"{sorted(unknown_area)} in de bronbestanden."
        )


def _themes_table(themes) -> pd.DataFrame:
    rows = []
    for order, theme in enumerate(themes):
        row = theme.model_dump(exclude={"kpi"})
        for key in ("goals", "needs", "measure", "focus_wijken", "cost_amounts_eur"):
            row[key] = json.dumps(row[key], ensure_ascii=False)
        rows.append(row | {"position": order})
    return pd.DataFrame(rows)


def _kpi_table(themes) -> pd.DataFrame:
    rows = [
        kpi.model_dump() | {"theme": t.slug, "position": i}
        for t in themes
        for i, kpi in enumerate(t.kpi)
    ]
    return pd.DataFrame(rows)


def _focus_table(focus) -> pd.DataFrame:
    rows = [f.model_dump() for f in focus]
    for row in rows:
        row["aandachtspunten"] = json.dumps(row["aandachtspunten"], ensure_ascii=False)
        row["themes"] = json.dumps(row["themes"])
    return pd.DataFrame(rows)


def empty_state() -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(columns=cols) for name, cols in STATE_COLUMNS.items()}


def effective_tables(frames: dict, state: dict) -> dict[str, pd.DataFrame]:
    """Indicator, source and observation tables as the dashboard sees them: the bundled
    sources plus staff-defined indicators and every import that was not undone, with wijk and
    gemeente values derived afterwards (so an import of buurt figures updates the wijken)."""
    base_indicators = frames["indicator"]
    custom = state["custom_indicator"]
    indicators = (
        pd.concat([base_indicators, custom], ignore_index=True)
        if len(custom)
        else (base_indicators.copy())
    )
    indicators = indicators.drop_duplicates("id", keep="first").reset_index(drop=True)
    for col in ("public",):
        indicators[col] = indicators[col].astype(bool)
    # staff indicators defined before the catalogue knew frequencies were yearly
    indicators["frequency"] = indicators["frequency"].fillna("year").replace("", "year")
    sources = pd.concat([frames["source"], state["import_source"]], ignore_index=True)
    obs = frames["observation_source"]
    log = state["import_log"]
    active_ids = set(log.loc[log["undone_at"].isna() | (log["undone_at"] == ""), "id"])
    imported = state["import_observation"]
    imported = imported[imported["import_id"].isin(active_ids)]
    if len(imported):
        imported = imported.sort_values("import_id")
        rows = loaders.observations(
            pd.DataFrame(
                {
                    "area_code": imported["area_code"],
                    "indicator_id": imported["indicator_id"],
                    "period": imported["period"].astype(str),
                    "value": imported["value"],
                    "n": imported["n"],
                    "margin": imported["margin"],
                    "source_id": imported["source_id"],
                    "note": "Import #" + imported["import_id"].astype(int).astype(str),
                }
            )
        )
        keys = ["area_code", "indicator_id", "period"]
        rows = rows.drop_duplicates(keys, keep="last")
        merged = pd.concat([obs, rows], ignore_index=True)
        obs = merged.drop_duplicates(keys, keep="last").reset_index(drop=True)
    buurten = frames["buurt"]
    proxy = frames["observation_source"]
    proxy = proxy[
        (proxy["indicator_id"] == "inwoners")
        & (proxy["period"] == "2021")
        & (proxy["level"] == "buurt")
    ].set_index("area_code")["value"]
    catalogue = indicators.set_index("id", drop=False)
    derived = derive.derive_areas(obs, catalogue, buurten.set_index("buurtcode")["wijkcode"], proxy)
    derived = derive.derive_crime_rate(derived)
    return {"indicator": indicators, "source": sources, "observation": derived}


def attribute_types(name: str, frame: pd.DataFrame | None = None) -> dict[str, str]:
    """GeoPackage column types of an attribute table: the declared ones of the staff tables,
    else from the pandas dtypes of ``frame`` (INTEGER, REAL, BOOLEAN or TEXT)."""
    if name in STATE_TYPES:
        return dict(STATE_TYPES[name])
    types = {}
    for col, dtype in frame.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            types[col] = "BOOLEAN"
        elif pd.api.types.is_integer_dtype(dtype):
            types[col] = "INTEGER"
        elif pd.api.types.is_float_dtype(dtype):
            types[col] = "REAL"
        else:
            types[col] = "TEXT"
    return types


def _model_types(model) -> dict[str, str]:
    kinds = {int: "INTEGER", float: "REAL", bool: "BOOLEAN"}
    return {name: kinds.get(f.annotation, "TEXT") for name, f in model.model_fields.items()}


STATE_TYPES = {
    "import_log": {
        "id": "INTEGER",
        "user": "TEXT",
        "at": "TEXT",
        "file_name": "TEXT",
        "sha256": "TEXT",
        "source_id": "TEXT",
        "n_rows": "INTEGER",
        "n_new": "INTEGER",
        "n_changed": "INTEGER",
        "n_unchanged": "INTEGER",
        "undone_at": "TEXT",
        "undone_by": "TEXT",
    },
    "import_observation": {
        "import_id": "INTEGER",
        "area_code": "TEXT",
        "level": "TEXT",
        "indicator_id": "TEXT",
        "period": "TEXT",
        "value": "REAL",
        "n": "REAL",
        "margin": "REAL",
        "source_id": "TEXT",
    },
    "import_source": _model_types(cat.Source),
    "custom_indicator": _model_types(cat.Indicator),
}


def build_store(path: Path) -> dict:
    """Build the embedded store at ``path`` (convenience for scripts and tests)."""
    from indicators.stores import open_store

    return open_store(path).build()


def read_store(path: Path) -> StoreData:
    """Read the embedded store at ``path`` (convenience for scripts and tests)."""
    from indicators.stores import open_store

    return open_store(path).read_data()


def read_meta(path: Path) -> dict:
    """The build metadata of the embedded store at ``path``."""
    from indicators.stores import open_store

    return open_store(path).meta()


def store_problems(path: Path, deep: bool = True) -> list[str]:
    """Plain-language problems of the embedded store at ``path``; empty when sound."""
    from indicators.stores import open_store

    return open_store(path).problems(deep=deep)
