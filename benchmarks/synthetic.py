"""A synthetic test tessellation for the benchmarks (``--synthetic N``): N square buurten in a
grid over the Hengelo area, grouped six by six (2x3 blocks) into wijken, with made-up values for
a few indicators in two periods. Never shipped, never written to a store: it exists only in the
memory of a benchmark run, to see how the map scales towards national size (~14,000 buurten).
"""

from __future__ import annotations

import dataclasses
import math

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

INDICATORS = ("misdrijf_diefstal_woning", "misdrijf_vernieling", "misdrijf_geweld", "pct_65plus")
PERIODS = ("2017", "2021")
WEST, SOUTH, CELL = 6.70, 52.20, 0.004  # degrees; a cell is about 270 x 450 m


def grid(n: int) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """``n`` buurten (web geometry, WGS84) and the wijken they form."""
    cols = max(1, math.ceil(math.sqrt(n)))
    cols += cols % 2  # wijken are 2 columns wide
    rows = []
    for i in range(n):
        r, c = divmod(i, cols)
        wijk = (r // 3) * (cols // 2) + c // 2
        rows.append(
            {
                "buurtcode": f"BU9{i:07d}",
                "buurtnaam": f"Testbuurt {i + 1}",
                "wijkcode": f"WK9{wijk:05d}",
                "gemeentecode": "GM9999",
                "geometry": box(
                    WEST + c * CELL, SOUTH + r * CELL, WEST + (c + 1) * CELL, SOUTH + (r + 1) * CELL
                ),
            }
        )
    buurten = gpd.GeoDataFrame(rows, crs=4326)
    wijken = buurten.dissolve("wijkcode", as_index=False, aggfunc={"buurtcode": "count"})
    wijken = wijken.rename(columns={"buurtcode": "n_buurten"})
    wijken["wijknaam"] = [f"Testwijk {i + 1}" for i in range(len(wijken))]
    wijken["gemeentecode"] = "GM9999"
    return buurten, wijken[["wijkcode", "wijknaam", "gemeentecode", "n_buurten", "geometry"]]


def observations(buurten, wijken, columns, catalogue) -> pd.DataFrame:
    """Made-up values (log-normal, deterministic) for ``INDICATORS`` at both levels."""
    rng = np.random.default_rng(164)
    frames = []
    for level, codes in (("buurt", buurten["buurtcode"]), ("wijk", wijken["wijkcode"])):
        for indicator in INDICATORS:
            for period in PERIODS:
                values = np.round(rng.lognormal(2.0, 0.8, len(codes)), 1)
                values[rng.random(len(codes)) < 0.05] = np.nan  # some areas without data
                frames.append(
                    pd.DataFrame(
                        {
                            "area_code": codes.to_numpy(),
                            "level": level,
                            "indicator_id": indicator,
                            "period": period,
                            "value": values,
                            "source_id": catalogue.loc[indicator, "source"],
                            "status": "published",
                        }
                    )
                )
    obs = pd.concat(frames, ignore_index=True)
    for col in columns:
        if col not in obs:
            obs[col] = np.nan
    obs.loc[obs["value"].isna(), "status"] = "missing"
    return obs[list(columns)]


def synthetic_context(real, n: int):
    """A :class:`dashboard.data.Context` like ``real`` but on an ``n``-buurt grid."""
    from dashboard.data import build_context

    buurten, wijken = grid(n)
    d = real.data
    obs = observations(buurten, wijken, d.observations.columns, d.indicators)
    fake = dataclasses.replace(
        d,
        buurten=buurten,
        wijken=wijken,
        web_buurten=buurten,
        web_wijken=wijken,
        observations=obs,
        meta=dict(d.meta, source_fingerprint=f"synthetic-{n}"),
    )
    return build_context(fake)
