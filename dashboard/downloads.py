"""Downloads of public data: all public figures as CSV, the boundaries as GeoPackage."""

from __future__ import annotations

import pandas as pd

from dashboard.data import Context, plain_area_names
from dashboard.i18n import STRINGS
from geodata.gemeente import GEMEENTE
from geodata.io import geopackage_bytes
from indicators.csvsafe import neutralise
from indicators.formatting import UNIT_LABEL

# The public downloads by URL, with the file name each is saved as (named after the gemeente).
DOWNLOADS = {
    "/data/cijfers.csv": f"wijkveiligheid-{GEMEENTE.slug}-cijfers.csv",
    "/data/cijfers-excel.csv": f"wijkveiligheid-{GEMEENTE.slug}-cijfers-excel.csv",
    "/data/cijfers-en.csv": f"wijkveiligheid-{GEMEENTE.slug}-figures-en.csv",
    "/data/grenzen.gpkg": f"{GEMEENTE.slug}-wijken-buurten-2021.gpkg",
}

# The Dutch Excel variant: Dutch column names, `;`, decimal comma, UTF-8 with BOM.
EXCEL_COLUMNS = {
    "area_code": "gebiedscode",
    "area_name": "gebied",
    "level": "niveau",
    "indicator_id": "indicator_id",
    "indicator": "indicator",
    "unit": "eenheid",
    "period": "periode",
    "value": "waarde",
    "status": "status",
    "coverage_buurten": "dekking_buurten",
    "source": "bron",
    "licence": "licentie",
    "note": "opmerking",
}


def public_figures(ctx: Context) -> pd.DataFrame:
    """Every public value with area name, indicator, unit, period, status and source."""
    obs = ctx.public_obs
    names = plain_area_names(ctx)
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
            "source": obs["source_id"].map(source_names(sources)),
            "licence": obs["source_id"].map(sources["licence"]),
            "note": obs["note"].fillna(""),
        }
    )
    return out.sort_values(["indicator_id", "level", "area_code", "period"]).reset_index(drop=True)


def value_text(value, decimal: str = ".") -> str:
    """A value as the CSV writes it: whole numbers (every count) without a decimal part,
    other values in full, as stored (pages round to the catalogue's decimals, the CSV does
    not); missing as an empty cell.

    >>> value_text(920.0), value_text(1234.5678), value_text(float("nan")), value_text(2.5, ",")
    ('920', '1234.5678', '', '2,5')
    """
    if pd.isna(value):
        return ""
    number = float(value)
    text = str(int(number)) if number.is_integer() else repr(number)
    return text.replace(".", decimal)


def public_figures_csv(ctx: Context) -> str:
    """All public figures as CSV (comma, decimal point, English column names, Dutch labels)."""
    frame = public_figures(ctx)
    frame["value"] = frame["value"].map(value_text)
    return neutralise(frame).to_csv(index=False)


def public_figures_english_csv(ctx: Context) -> str:
    """All public figures as CSV for English readers: English headers, indicator names,
    units, levels, statuses, attributions and coverage notes."""
    from dashboard.open_data_en import english_figures

    frame = english_figures(public_figures(ctx), ctx)
    return neutralise(frame).to_csv(index=False)


def public_figures_excel_csv(ctx: Context) -> bytes:
    """The same figures for Dutch Excel: Dutch column names and words, `;` as separator,
    decimal comma, UTF-8 with a byte order mark (so Excel reads accents)."""
    frame = public_figures(ctx)
    frame["value"] = frame["value"].map(lambda v: value_text(v, ","))
    frame["unit"] = frame["unit"].map(lambda u: UNIT_LABEL.get(u, {}).get("nl", u))
    frame["status"] = frame["status"].map(lambda s: STRINGS.get(f"status_{s}", {}).get("nl", s))
    # "4/7" would become a date in Excel
    frame["coverage_buurten"] = frame["coverage_buurten"].str.replace("/", " van ", regex=False)
    frame = neutralise(frame.rename(columns=EXCEL_COLUMNS))
    text = frame.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def boundaries_geopackage(ctx: Context) -> bytes:
    """Buurten and wijken (CBS/Kadaster 2021, RD New) as a GeoPackage for QGIS users (made
    from the shapes alone: ``/data/grenzen.gpkg`` keeps it per geometry version)."""
    return geopackage_bytes(
        {
            "buurt": ctx.data.buurten[
                ["buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "geometry"]
            ],
            "wijk": ctx.data.wijken[
                ["wijkcode", "wijknaam", "gemeentecode", "n_buurten", "geometry"]
            ],
        }
    )


def source_name(attribution):
    """The source itself for a data field (a CSV column, an OGC property), without the
    page's word 'Bron: ' before it.

    >>> source_name("Bron: Politie / CBS"), source_name("CBS")
    ('Politie / CBS', 'CBS')
    """
    if not isinstance(attribution, str):
        return attribution
    return attribution.removeprefix("Bron:").strip()


def source_names(sources: pd.DataFrame) -> pd.Series:
    """Source id -> :func:`source_name` of its attribution."""
    return sources["attribution"].map(source_name)
