"""What every store holds, independent of the backend: the tables built from the bundled
sources (:func:`build_frames`), the public tables derived from them and the staff tables
(:func:`effective_tables`), the frames the pages read (:func:`store_data`) and the checks of a
built store (:func:`boundary_problems`). Pure functions: frames in, frames out; the backends
do the reading and writing."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata import io as geo_io
from geodata.derive import dissolve_gemeente, dissolve_wijken
from geodata.gemeente import GEMEENTE
from geodata.validate import count_problems, validate_boundaries
from geodata.web import build_web_geometry
from indicators import catalogue as cat
from indicators import derive, loaders, seed
from indicators.store import StoreData, StoreError
from indicators.stores import schema


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
        postcodes=tables[schema.POSTCODE_TABLE],
    )


def boundary_problems(buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame) -> list[str]:
    """Plain-language problems of the stored boundaries: the number of buurten and wijken and
    the checks of :func:`geodata.validate.validate_boundaries`; empty when sound."""
    problems = count_problems(len(buurten), len(wijken))
    try:
        validate_boundaries(buurten, dict(zip(wijken["wijkcode"], wijken["wijknaam"], strict=True)))
    except ValueError as exc:
        problems.append(str(exc))
    return problems


def source_fingerprint() -> str:
    """Hash of every bundled source and seed file, to tell a stale store from a current one."""
    digest = hashlib.sha256(schema.SCHEMA_VERSION.encode())
    roots = [Path(loaders.__file__).parent, Path(geo_io.__file__).parent / "sources"]
    suffixes = {".csv", ".toml", ".shp", ".dbf", ".shx", ".geojson"}
    bundled = {p for root in roots for p in root.rglob("*") if p.is_file() and p.suffix in suffixes}
    # The gemeente's configuration and every file it names, wherever they live.
    configured = {Path(p) for p in GEMEENTE.files.values() if Path(p).is_file()}
    if GEMEENTE.config_file is not None:
        configured.add(Path(GEMEENTE.config_file))
    files = sorted(bundled | configured)
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_frames() -> dict:
    """Read, validate and derive everything from the bundled sources (no writing)."""
    buurten = geo_io.read_master_buurten()
    names = geo_io.read_wijk_names()
    validate_boundaries(buurten, dict(zip(names["wijkcode"], names["wijknaam"], strict=True)))
    wijken = dissolve_wijken(buurten, names)
    web = build_web_geometry(buurten, names)
    sources = cat.load_sources()
    indicators = cat.catalogue_frame(cat.load_catalogue(sources=sources))
    obs = loaders.read_all_sources()
    _check_references(obs, indicators, set(buurten["buurtcode"]) | set(wijken["wijkcode"]))
    budget, budget_check = seed.load_budget()
    return {
        "buurt": buurten,
        "wijk": wijken,
        "gemeente": dissolve_gemeente(buurten),
        "web_buurt": web.buurten.merge(
            buurten[["buurtcode", "buurtnaam"]], on=["buurtcode", "buurtnaam"]
        ),
        "web_wijk": web.wijken,
        "indicator": indicators.reset_index(drop=True),
        "observation_source": obs,
        "source": cat.sources_frame(sources).reset_index(drop=True),
        **_seed_tables(budget),
        "store_meta": _meta_table(web, budget_check),
    }


def _seed_tables(budget: pd.DataFrame) -> dict[str, pd.DataFrame]:
    themes = seed.load_themes()
    return {
        "g32_score": seed.load_g32(),
        "g32_capacity": seed.load_g32_capacity(),
        "g32_recommendation": seed.load_g32_recommendations(),
        "theme": _themes_table(themes),
        "kpi": _kpi_table(themes),
        "focus_wijk": _focus_table(seed.load_focus_wijken()),
        "budget_line": budget,
    }


def _meta_table(web, budget_check) -> pd.DataFrame:
    meta = {
        "schema_version": schema.SCHEMA_VERSION,
        "source_fingerprint": source_fingerprint(),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "web_max_deviation_m": round(web.max_deviation_m, 2),
        "web_vertices": web.vertices_web,
        "master_vertices": web.vertices_master,
        "budget_check": budget_check,
    }
    return pd.DataFrame({"key": list(meta), "value": [json.dumps(v) for v in meta.values()]})


def _check_references(obs: pd.DataFrame, indicators: pd.DataFrame, areas: set[str]) -> None:
    unknown_ind = set(obs["indicator_id"]) - set(indicators.index)
    unknown_area = set(obs["area_code"]) - areas - {GEMEENTE.code}
    if unknown_ind or unknown_area:
        raise StoreError(
            f"Onbekende indicatoren {sorted(unknown_ind)} of gebieden "
            f"{sorted(unknown_area)} in de bronbestanden."
        )


THEME_LISTS = ("goals", "needs", "measure", "focus_wijken", "cost_amounts_eur")


def _themes_table(themes) -> pd.DataFrame:
    rows = []
    for order, theme in enumerate(themes):
        row = theme.model_dump(exclude={"kpi"})
        for key in (*THEME_LISTS, "partners_intern", "partners_extern"):
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


def base_for_rederive(observation_source: pd.DataFrame, buurt_wijk: pd.DataFrame) -> dict:
    """What :func:`effective_tables` needs of a built store to derive its public tables again
    after a staff write: the stored source observations and buurt -> wijk codes, with the
    bundled catalogue and sources."""
    observation_source = observation_source.copy()
    observation_source["period"] = observation_source["period"].astype(str)
    return {
        "observation_source": observation_source,
        "buurt": buurt_wijk,
        "indicator": cat.catalogue_frame(cat.load_catalogue()).reset_index(drop=True),
        "source": cat.sources_frame(cat.load_sources()).reset_index(drop=True),
    }


def effective_tables(frames: dict, state: dict) -> dict[str, pd.DataFrame]:
    """Indicator, source and observation tables as the dashboard sees them: the bundled
    sources plus staff-defined indicators and every import that was not undone, with wijk and
    gemeente values derived afterwards (so an import of buurt figures updates the wijken)."""
    indicators = _effective_indicators(frames["indicator"], state["custom_indicator"])
    sources = pd.concat([frames["source"], state["import_source"]], ignore_index=True)
    obs = _with_imports(frames["observation_source"], state)
    proxy = frames["observation_source"]
    proxy = proxy[
        (proxy["indicator_id"] == "inwoners")
        & (proxy["period"] == "2021")
        & (proxy["level"] == "buurt")
    ].set_index("area_code")["value"]
    catalogue = indicators.set_index("id", drop=False)
    wijk_of = frames["buurt"].set_index("buurtcode")["wijkcode"]
    derived = derive.derive_crime_rate(derive.derive_areas(obs, catalogue, wijk_of, proxy))
    return {"indicator": indicators, "source": sources, "observation": derived}


def _effective_indicators(base: pd.DataFrame, custom: pd.DataFrame) -> pd.DataFrame:
    indicators = pd.concat([base, custom], ignore_index=True) if len(custom) else base.copy()
    indicators = indicators.drop_duplicates("id", keep="first").reset_index(drop=True)
    indicators["public"] = indicators["public"].astype(bool)
    # staff indicators defined before the catalogue knew frequencies were yearly
    indicators["frequency"] = indicators["frequency"].fillna("year").replace("", "year")
    return indicators


def _with_imports(obs: pd.DataFrame, state: dict) -> pd.DataFrame:
    """The source observations with the values of every import that was not undone (a later
    import wins over an earlier one and over the sources)."""
    log = state["import_log"]
    active_ids = set(log.loc[log["undone_at"].isna() | (log["undone_at"] == ""), "id"])
    imported = state["import_observation"]
    imported = imported[imported["import_id"].isin(active_ids)]
    if not len(imported):
        return obs
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
    return merged.drop_duplicates(keys, keep="last").reset_index(drop=True)
