"""Downloads of public data: all public figures as CSV, the boundaries as GeoPackage."""

from __future__ import annotations

import pandas as pd

from dashboard.data import Context
from geodata.io import geopackage_bytes
from indicators.csvsafe import neutralise


def public_figures(ctx: Context) -> pd.DataFrame:
    """Every public value with area name, indicator, unit, period, status and source."""
    obs = ctx.public_obs
    names = {"GM0164": "Hengelo"}
    for frame in ctx.areas.values():
        names.update(dict(zip(frame["code"], frame["name"], strict=True)))
    catalogue = ctx.data.indicators
    sources = ctx.data.sources
    out = pd.DataFrame(
        {
            "area_code": obs["area_code"],
            "area_name": obs["area_code"].map(names),
            "level": obs["level"],
            "indicator_id": obs["indicator_id"],
            "indicator": obs["indicator_id"].map(catalogue["label_nl"]),
            "unit": obs["indicator_id"].map(catalogue["unit"]),
            "period": obs["period"],
            "value": obs["value"],
            "status": obs["status"],
            "coverage_buurten": [
                f"{int(n)}/{int(t)}" if pd.notna(n) and pd.notna(t) else ""
                for n, t in zip(obs["coverage_n"], obs["coverage_total"], strict=True)
            ],
            "source": obs["source_id"].map(sources["attribution"]),
            "licence": obs["source_id"].map(sources["licence"]),
            "note": obs["note"].fillna(""),
        }
    )
    return out.sort_values(["indicator_id", "level", "area_code", "period"]).reset_index(drop=True)


def public_figures_csv(ctx: Context) -> str:
    """All public figures as CSV; text cells cannot start a spreadsheet formula."""
    return neutralise(public_figures(ctx)).to_csv(index=False)


_GPKG_CACHE: dict[str, bytes] = {}


def boundaries_geopackage(ctx: Context) -> bytes:
    """Buurten and wijken (CBS/Kadaster 2021, RD New) as a GeoPackage for QGIS users."""
    key = f"{ctx.data.meta.get('source_fingerprint')}-{ctx.data.meta.get('built_at')}"
    if key not in _GPKG_CACHE:
        _GPKG_CACHE.clear()
        _GPKG_CACHE[key] = geopackage_bytes(
            {
                "buurt": ctx.data.buurten[
                    ["buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "geometry"]
                ],
                "wijk": ctx.data.wijken[
                    ["wijkcode", "wijknaam", "gemeentecode", "n_buurten", "geometry"]
                ],
            }
        )
    return _GPKG_CACHE[key]
