"""The embedded store: one GeoPackage with geometry layers and attribute tables.

Built from the bundled sources in one go (written to a temporary file, then moved into place), so a
failed build leaves the old store untouched. GIS staff can open the file in QGIS.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata import io as geo_io
from geodata.derive import dissolve_gemeente, dissolve_wijken
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
    "app_user": [
        "username",
        "password_hash",
        "role",
        "created_at",
        "failed_logins",
        "locked_until",
    ],
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
SCHEMA_VERSION = "4"


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
    unknown_area = set(obs["area_code"]) - areas - {"GM0164"}
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


def read_state(path: Path) -> dict[str, pd.DataFrame]:
    """The staff tables of an existing store (empty ones where the store has none)."""
    state = empty_state()
    with _connect(path) as con:
        present = {
            row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for name in STATE_TABLES:
            if name in present:
                frame = pd.read_sql(f'SELECT * FROM "{name}"', con)
                state[name] = frame.reindex(columns=STATE_COLUMNS[name])
    return state


def build_store(path: Path) -> dict:
    """Build the store at ``path`` from the bundled sources; returns the store metadata.

    Users, imports and staff-defined indicators of an existing store are kept. The new file
    is written next to the target and moved into place only when complete.
    """
    frames = build_frames()
    state = empty_state()
    if path.exists():
        try:
            state = read_state(path)
        except (StoreError, sqlite3.DatabaseError, pd.errors.DatabaseError):
            state = empty_state()  # an unreadable store has no state to keep
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        _write_store(path, frames, state)
    return read_meta(path)


def _write_store(path: Path, frames: dict, state: dict) -> None:
    frames = dict(frames) | effective_tables(frames, state)
    fd, tmp_name = tempfile.mkstemp(suffix=".gpkg", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        for layer in GEOMETRY_LAYERS:
            geo_io.write_layer(frames[layer], tmp, layer)
        with sqlite3.connect(tmp) as con:
            for table in ATTRIBUTE_TABLES + ("observation",):
                _write_attribute_table(con, table, frames[table])
            for table in STATE_TABLES:
                _write_attribute_table(con, table, state[table])
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class _locked:
    """An exclusive lock next to the store, so that two writers never interleave."""

    def __init__(self, path: Path):
        self.lock_path = path.with_suffix(path.suffix + ".lock")

    def __enter__(self):
        import fcntl

        self.handle = open(self.lock_path, "w")  # noqa: SIM115
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        import fcntl

        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def read_base_frames(path: Path) -> dict:
    """The tables an effective recomputation needs, read back from a store."""
    with _connect(path) as con:
        frames = {t: pd.read_sql(f'SELECT * FROM "{t}"', con) for t in ATTRIBUTE_TABLES}
    frames["observation_source"]["period"] = frames["observation_source"]["period"].astype(str)
    for layer in GEOMETRY_LAYERS:
        frames[layer] = geo_io.read_layer(path, layer)
    base = cat.catalogue_frame(cat.load_catalogue())
    frames["indicator"] = base.reset_index(drop=True)
    frames["source"] = cat.sources_frame(cat.load_sources()).reset_index(drop=True)
    return frames


def transact(path: Path, change) -> dict:
    """Apply ``change(state) -> state`` to the staff tables and rewrite the store atomically:
    the whole new store is written to a temporary file and moved into place, so a failure at
    any point leaves the old store as it was. Returns the new state."""
    with _locked(path):
        frames = read_base_frames(path)
        state = change(read_state(path))
        _write_store(path, frames, state)
    return state


def _write_attribute_table(con: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    frame.to_sql(name, con, index=False, if_exists="replace")
    con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
        "VALUES (?, 'attributes', ?, ?)",
        (name, name, f"Wijkveiligheid Hengelo: {name}"),
    )


def _connect(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise StoreError(f"De datastore {path} bestaat niet. Maak hem met: wijkveiligheid build")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        con.execute("SELECT count(*) FROM gpkg_contents").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"De datastore {path} is geen leesbare GeoPackage ({exc}). "
            f"Bouw hem opnieuw met: wijkveiligheid build"
        ) from exc
    return con


def read_meta(path: Path) -> dict:
    """The build metadata of a store."""
    with _connect(path) as con:
        try:
            rows = con.execute("SELECT key, value FROM store_meta").fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"De datastore {path} mist de tabel store_meta. "
                f"Bouw hem opnieuw met: wijkveiligheid build"
            ) from exc
    return {key: json.loads(value) for key, value in rows}


def read_store(path: Path) -> StoreData:
    """Load the whole store into memory; raises :class:`StoreError` with a way out."""
    problems = store_problems(path, deep=False)
    if problems:
        raise StoreError(
            "De datastore is niet bruikbaar:\n- "
            + "\n- ".join(problems)
            + "\nBouw hem opnieuw met: wijkveiligheid build"
        )
    with _connect(path) as con:
        tables = {
            t: pd.read_sql(f'SELECT * FROM "{t}"', con) for t in ATTRIBUTE_TABLES + ("observation",)
        }
    tables["indicator"]["public"] = tables["indicator"]["public"].astype(bool)
    layers = {
        layer: geo_io.read_layer(path, layer)
        for layer in ("buurt", "wijk", "web_buurt", "web_wijk")
    }
    obs = tables["observation"]
    obs["period"] = obs["period"].astype(str)
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
        meta={
            k: json.loads(v)
            for k, v in zip(tables["store_meta"]["key"], tables["store_meta"]["value"], strict=True)
        },
    )


def store_problems(path: Path, deep: bool = True) -> list[str]:
    """Plain-language problems with an existing store; empty when it is sound.

    ``deep`` also re-validates the boundaries and the counts of areas.
    """
    try:
        con = _connect(path)
    except StoreError as exc:
        return [str(exc)]
    with con:
        present = {row[0] for row in con.execute("SELECT table_name FROM gpkg_contents")}
    missing = [t for t in GEOMETRY_LAYERS + ATTRIBUTE_TABLES + ("observation",) if t not in present]
    if missing:
        return [f"Ontbrekende lagen of tabellen: {', '.join(missing)}."]
    problems = []
    meta = read_meta(path)
    if meta.get("source_fingerprint") != source_fingerprint():
        problems.append(
            "De datastore is gebouwd uit andere bronbestanden dan die nu in de "
            "repository staan (verouderd)."
        )
    if deep:
        problems += _deep_problems(path)
    return problems


def _deep_problems(path: Path) -> list[str]:
    buurten = geo_io.read_layer(path, "buurt")
    wijken = geo_io.read_layer(path, "wijk")
    problems = []
    if len(buurten) != 62 or len(wijken) != 10:
        problems.append(
            f"Verwacht 62 buurten en 10 wijken, gevonden {len(buurten)} en {len(wijken)}."
        )
    try:
        validate_boundaries(buurten, dict(zip(wijken["wijkcode"], wijken["wijknaam"], strict=True)))
    except ValueError as exc:
        problems.append(str(exc))
    return problems
