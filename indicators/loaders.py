"""Readers of the bundled source files: each returns observations in the long format."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geodata.gemeente import GEMEENTE
from indicators import OBSERVATION_COLUMNS

SOURCES = Path(__file__).parent / "sources"
SEED = Path(__file__).parent / "seed"
CBS_SECRET = -99999999

KWB2017_FILE = GEMEENTE.file("kwb2017")
WBK2021_BUURT_FILE = GEMEENTE.file("wbk2021_buurt")
WBK2021_GEMEENTE_FILE = GEMEENTE.file("wbk2021_gemeente")
KWB2024_FILE = GEMEENTE.file("kwb2024")
POLITIE_FILE = GEMEENTE.file("politie_totals")
VM_FILE = GEMEENTE.file("veiligheidsmonitor")

KWB2017_CRIME = {
    "TotaalDiefstalUitWoningSchuurED_106": "misdrijf_diefstal_woning",
    "VernielingMisdrijfTegenOpenbareOrde_107": "misdrijf_vernieling",
    "GeweldsEnSeksueleMisdrijven_108": "misdrijf_geweld",
}
WBK2021_COLUMNS = {
    "aantal_inw": "inwoners",
    "oppervla_1": "oppervlakte_land_ha",
    "bevolkings": "bevolkingsdichtheid",
    "percenta_1": "pct_15_24",
    "percenta_4": "pct_65plus",
    "aantal_hui": "huishoudens",
    "percenta_9": "pct_eenpersoonshuishoudens",
    "percenta11": "pct_huishoudens_met_kinderen",
    "gemiddelde": "gem_huishoudgrootte",
    "percenta12": "pct_westerse_migratieachtergrond",
    "percenta13": "pct_niet_westerse_migratieachtergrond",
}
KWB2024_COLUMNS = {
    "AantalInwoners_5": "inwoners",
    "Bevolkingsdichtheid_34": "bevolkingsdichtheid",
    "Woningvoorraad_35": "woningvoorraad",
    "OppervlakteLand_123": "oppervlakte_land_ha",
}


def level_of(code: str) -> str:
    """'buurt', 'wijk' or 'gemeente' from a CBS area code."""
    return {"BU": "buurt", "WK": "wijk", "GM": "gemeente"}[code[:2]]


def observations(rows: pd.DataFrame) -> pd.DataFrame:
    """Complete a partial frame to the observation columns, secrecy codes becoming missing."""
    out = rows.copy()
    out["area_code"] = out["area_code"].astype(str).str.strip()
    out["level"] = out["area_code"].map(level_of)
    out["value"] = pd.to_numeric(out["value"], errors="raise").astype(float)
    secret = out["value"] == CBS_SECRET
    out.loc[secret, "value"] = np.nan
    if "status" not in out:
        out["status"] = "published"
    out.loc[secret, "status"] = "secret"
    for col in OBSERVATION_COLUMNS:
        if col not in out:
            out[col] = np.nan
    out["period"] = out["period"].astype(str)
    return out[OBSERVATION_COLUMNS].reset_index(drop=True)


def read_kwb2017_crime(path: Path = KWB2017_FILE) -> pd.DataFrame:
    """CBS 83765NED crime rates per buurt (42 buurten), plus inhabitants of the same table."""
    raw = pd.read_csv(path, dtype={"area_code": str})
    crime = pd.DataFrame(
        {
            "area_code": raw["area_code"],
            "indicator_id": raw["crime_type_code"].map(KWB2017_CRIME),
            "period": "2017",
            "value": raw["value"],
            "source_id": "CBS_KWB2017",
        }
    )
    if crime["indicator_id"].isna().any():
        raise ValueError(f"{path.name}: onbekende crime_type_code")
    pop = raw.drop_duplicates("area_code")
    inhabitants = pd.DataFrame(
        {
            "area_code": pop["area_code"],
            "indicator_id": "inwoners",
            "period": "2017",
            "value": pop["population_AantalInwoners_5_same_table"],
            "source_id": "CBS_KWB2017",
        }
    )
    return observations(pd.concat([crime, inhabitants]))


def _wide_to_long(raw: pd.DataFrame, code_col: str, columns: dict, period: str, source: str):
    long = raw.melt(id_vars=[code_col], value_vars=list(columns), var_name="variable")
    return pd.DataFrame(
        {
            "area_code": long[code_col],
            "indicator_id": long["variable"].map(columns),
            "period": period,
            "value": long["value"],
            "source_id": source,
        }
    )


def read_wbk2021(
    buurt_path: Path = WBK2021_BUURT_FILE, gemeente_path: Path = WBK2021_GEMEENTE_FILE
) -> pd.DataFrame:
    """CBS wijk- en buurtkaart 2021: buurt figures and the published gemeente figures."""
    buurten = pd.read_csv(buurt_path, dtype={"buurtcode": str})
    gemeente = pd.read_csv(gemeente_path, dtype={"gemeenteco": str})
    parts = [
        _wide_to_long(buurten, "buurtcode", WBK2021_COLUMNS, "2021", "CBS_WBK2021"),
        _wide_to_long(gemeente, "gemeenteco", WBK2021_COLUMNS, "2021", "CBS_WBK2021"),
    ]
    return observations(pd.concat(parts))


def read_kwb2024(path: Path = KWB2024_FILE) -> pd.DataFrame:
    """CBS 85984NED (2024) figures for the gemeente and its wijken."""
    raw = pd.read_csv(path, dtype={"WijkenEnBuurten": str})
    return observations(
        _wide_to_long(raw, "WijkenEnBuurten", KWB2024_COLUMNS, "2024", "CBS_KWB2024")
    )


def read_politie_totals(path: Path = POLITIE_FILE) -> pd.DataFrame:
    """Politie/CBS total registered crimes for the gemeente, 2022-2024."""
    raw = pd.read_csv(path)
    if not (raw["RegioS"] == "Hengelo (O.)").all():
        raise ValueError(f"{path.name}: verwacht alleen 'Hengelo (O.)'")
    return observations(
        pd.DataFrame(
            {
                "area_code": GEMEENTE.code,
                "indicator_id": "geregistreerde_misdrijven",
                "period": raw["Perioden"].astype(str),
                "value": raw["value"],
                "source_id": "POLITIE_CBS",
            }
        )
    )


def read_veiligheidsmonitor(path: Path = VM_FILE) -> pd.DataFrame:
    """Veiligheidsmonitor figures transcribed from the seed (section 2.1)."""
    raw = pd.read_csv(path, dtype={"area_code": str, "period": str})
    raw["note"] = "IVP 2017-2020, par. " + raw["seed_section"]
    return observations(
        raw[["area_code", "indicator_id", "period", "value", "n", "margin", "source_id", "note"]]
    )


def read_all_sources() -> pd.DataFrame:
    """Every bundled observation, published values only (derivation comes after)."""
    parts = [
        read_kwb2017_crime(),
        read_wbk2021(),
        read_kwb2024(),
        read_politie_totals(),
        read_veiligheidsmonitor(),
    ]
    return pd.concat(parts, ignore_index=True)
