"""The one owner of boundary file I/O: source files in, GeoPackage layers in and out."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geodata import RD_NEW
from geodata.gemeente import GEMEENTE

SOURCES = Path(__file__).parent / "sources"
BUURTEN_SOURCE = GEMEENTE.file("buurten")
WIJK_NAMES_SOURCE = GEMEENTE.file("wijk_names")


class BoundaryFileError(ValueError):
    """A boundary file could not be read."""


def read_master_buurten(path: Path = BUURTEN_SOURCE) -> gpd.GeoDataFrame:
    """Read the 2021 full-detail CBS buurten (EPSG:28992) with code, name and wijk code.

    Returns
    -------
    GeoDataFrame with columns ``buurtcode, buurtnaam, wijkcode, gemeentecode, geometry``.
    """
    try:
        raw = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise BoundaryFileError(f"{path.name}: kan het grenzenbestand niet lezen ({exc})") from exc
    if raw.crs is None or raw.crs.to_epsg() != 28992:
        raise BoundaryFileError(f"{path.name}: verwacht EPSG:28992 (RD New), kreeg {raw.crs}")
    missing = {"buurtcode", "buurtnaam", "wijkcode", "gemeenteco"} - set(raw.columns)
    if missing:
        raise BoundaryFileError(f"{path.name}: kolommen ontbreken: {', '.join(sorted(missing))}")
    out = raw.rename(columns={"gemeenteco": "gemeentecode"})
    cols = ["buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "geometry"]
    return gpd.GeoDataFrame(out[cols], geometry="geometry", crs=RD_NEW)


def read_wijk_names(path: Path = WIJK_NAMES_SOURCE) -> pd.DataFrame:
    """Wijk codes and names as CBS/Politie publish them (table 47018NED, indeling 2024).

    The published title "Wijk 05 Berflo Es" becomes ``wijknaam`` "Berflo Es".
    """
    table = pd.read_csv(path, dtype=str)
    table["code"] = table["Key"].str.strip()
    wijken = table[table["code"].str.startswith("WK")].drop_duplicates("code")
    names = wijken["Title"].str.replace(r"^Wijk \d\d ", "", regex=True)
    return pd.DataFrame({"wijkcode": wijken["code"].values, "wijknaam": names.values})


def write_layer(gdf: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """Write one geometry layer into a GeoPackage (creating or replacing the layer)."""
    pyogrio.write_dataframe(gdf, path, layer=layer, driver="GPKG")


def read_layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    """Read one geometry layer from a GeoPackage."""
    return pyogrio.read_dataframe(path, layer=layer)


def list_layers(path: Path) -> list[str]:
    """Names of the layers in a GeoPackage."""
    return [name for name, _ in pyogrio.list_layers(path)]


def geopackage_bytes(layers: dict[str, gpd.GeoDataFrame]) -> bytes:
    """A GeoPackage with the given layers, as bytes (for a download)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "grenzen.gpkg"
        for name, gdf in layers.items():
            write_layer(gdf, path, name)
        return path.read_bytes()
