"""A small client for the CBS OData v3 API (StatLine and dataderden, e.g. the Politie tables
47018NED yearly and 47022NED monthly), and the mapping of its replies onto catalogue
indicators.

Offline tests run it against recorded replies and a local test server; ``wijkveiligheid fetch``
runs it against the real API when there is a network.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pandas as pd

from geodata.gemeente import GEMEENTE

POLITIE_BASE = "https://dataderden.cbs.nl/ODataApi/OData"
CRIME_TABLE = "47018NED"
MONTHLY_CRIME_TABLE = "47022NED"
# The gemeente's own rows: its buurten and wijken by code prefix, the gemeente itself (the
# Politie tables pad the key to ten characters; the Kerncijfers tables may too).
CRIME_FILTER = (
    f"startswith(WijkenEnBuurten,'{GEMEENTE.buurt_prefix}') "
    f"or startswith(WijkenEnBuurten,'{GEMEENTE.wijk_prefix}') "
    f"or WijkenEnBuurten eq '{GEMEENTE.code:<10}'"
)
TOTAL_CRIME = "0.0.0"
MAX_PAGES = 200


class FetchError(RuntimeError):
    """The API could not be reached or answered something unusable; the message says what."""


@dataclass
class Reply:
    rows: list[dict]
    pages: int


def parse_typed_dataset(text: str) -> tuple[list[dict], str | None]:
    """Rows of one TypedDataSet page (string values stripped of CBS padding) and the next
    page's link, if any."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FetchError(f"Het antwoord van CBS is geen geldige JSON ({exc.msg}).") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("value"), list):
        raise FetchError("Het antwoord van CBS heeft geen lijst 'value' (geen TypedDataSet).")
    rows = [
        {k: v.strip() if isinstance(v, str) else v for k, v in row.items()} for row in doc["value"]
    ]
    return rows, doc.get("odata.nextLink")


def fetch_table(
    table: str, base_url: str = POLITIE_BASE, filter_: str | None = None, timeout: float = 20.0
) -> Reply:
    """All rows of ``table``'s TypedDataSet, following ``odata.nextLink`` pages."""
    query = {"$format": "json"}
    if filter_:
        query["$filter"] = filter_
    url = f"{base_url.rstrip('/')}/{table}/TypedDataSet?" + urllib.parse.urlencode(query)
    rows, pages = [], 0
    while url and pages < MAX_PAGES:
        text = _get(url, timeout)
        page_rows, url = parse_typed_dataset(text)
        rows += page_rows
        pages += 1
    if url:
        raise FetchError(f"Meer dan {MAX_PAGES} pagina's; afgebroken.")
    return Reply(rows, pages)


def _get(url: str, timeout: float) -> str:
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "wijkveiligheid-hengelo"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read().decode("utf-8-sig")
    except urllib.error.HTTPError as exc:
        raise FetchError(f"CBS antwoordde met HTTP {exc.code} ({exc.reason}) voor {url}") from exc
    except TimeoutError as exc:
        raise FetchError(f"CBS antwoordde niet binnen {timeout:g} seconden ({url}).") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise FetchError(f"CBS antwoordde niet binnen {timeout:g} seconden ({url}).") from exc
        raise FetchError(f"CBS is niet bereikbaar: {exc.reason}") from exc


def crime_observations(rows: list[dict], monthly: bool = False) -> pd.DataFrame:
    """Total registered crimes per area and year (47018NED) or month (47022NED, ``monthly``),
    in the import layout. Only the total over all crime types is taken; withheld values
    (empty) are left out, never counted as zero."""
    frame = pd.DataFrame(rows)
    needed = {"WijkenEnBuurten", "SoortMisdrijf", "Perioden", "GeregistreerdeMisdrijven_1"}
    missing = needed - set(frame.columns)
    if missing:
        raise FetchError(f"Het antwoord mist de kolommen {', '.join(sorted(missing))}.")
    total = frame[frame["SoortMisdrijf"].astype(str).str.strip() == TOTAL_CRIME]
    periods = total["Perioden"].astype(str).str.strip()
    if monthly:
        match = periods.str.fullmatch(r"\d{4}MM(0[1-9]|1[0-2])")
        period = periods[match].str[:4] + "-" + periods[match].str[-2:]
        indicator = "geregistreerde_misdrijven_maand"
    else:
        match = periods.str.fullmatch(r"\d{4}JJ00")
        period = periods[match].str[:4]
        indicator = "geregistreerde_misdrijven"
    chosen = total[match]
    return (
        pd.DataFrame(
            {
                "gebied": chosen["WijkenEnBuurten"].astype(str).str.strip(),
                "indicator": indicator,
                "periode": period,
                "waarde": chosen["GeregistreerdeMisdrijven_1"],
            }
        )
        .dropna(subset=["waarde"])
        .reset_index(drop=True)
    )


def monthly_crime_filter(since: str) -> str:
    """The 47022NED filter: Hengelo's areas, the total over all crime types, months from
    ``since`` (``YYYY-MM``). Codes are padded with spaces in CBS v3, hence ``startswith``.

    >>> monthly_crime_filter("2024-01").endswith("and Perioden ge '2024MM01'")
    True
    """
    year, month = since.split("-")
    return (
        f"({CRIME_FILTER}) and startswith(SoortMisdrijf,'{TOTAL_CRIME}') "
        f"and Perioden ge '{int(year):04d}MM{int(month):02d}'"
    )


def as_import_csv(frame: pd.DataFrame) -> bytes:
    """The long-layout CSV that goes through the same validation as a staff upload."""
    from indicators.csvsafe import neutralise

    return neutralise(frame).to_csv(index=False).encode("utf-8")


KWB_BASE = "https://opendata.cbs.nl/ODataApi/OData"
# Kerncijfers wijken en buurten: one table per year, as listed on CBS StatLine. Another year's
# table can be given with ``fetch --table-id``.
KWB_TABLES = {
    "2019": "84583NED",
    "2020": "84799NED",
    "2021": "85039NED",
    "2022": "85318NED",
    "2023": "85618NED",
    "2024": "85984NED",
    "2025": "86165NED",
}
# The keys carry a number suffix that differs between years, so each table's keys are found
# by their title (and unit) in that table's own DataProperties. These are the 2024 keys
# (checked against the real 85984NED DataProperties in the tests), used when the metadata
# cannot be read.
KWB_VARIABLES = {
    "AantalInwoners_5": "inwoners",
    "HuishoudensTotaal_29": "huishoudens",
    "GemiddeldeHuishoudensgrootte_33": "gem_huishoudgrootte",
    "Bevolkingsdichtheid_34": "bevolkingsdichtheid",
    "Woningvoorraad_35": "woningvoorraad",
    "OppervlakteLand_123": "oppervlakte_land_ha",
}
KWB_TITLES = {
    "Aantal inwoners": ("inwoners", "aantal"),
    "Huishoudens totaal": ("huishoudens", "aantal"),
    "Gemiddelde huishoudensgrootte": ("gem_huishoudgrootte", "aantal"),
    "Bevolkingsdichtheid": ("bevolkingsdichtheid", "aantal inwoners per km²"),
    "Woningvoorraad": ("woningvoorraad", "aantal"),
    "Oppervlakte land": ("oppervlakte_land_ha", "ha"),
}


def kwb_keys(properties: list[dict]) -> dict[str, str]:
    """Key -> catalogue indicator for one Kerncijfers table, from its DataProperties: matched on
    title and unit, so a table that measures land in km² is not read as hectares.

    >>> kwb_keys([{"Key": "AantalInwoners_5", "Title": "Aantal inwoners", "Unit": "aantal",
    ...            "Type": "Topic"},
    ...           {"Key": "OppervlakteLand_111", "Title": "Oppervlakte land", "Unit": "km²",
    ...            "Type": "Topic"}])
    {'AantalInwoners_5': 'inwoners'}
    """
    keys = {}
    for prop in properties:
        title = str(prop.get("Title") or "").strip()
        if prop.get("Type", "Topic") != "Topic" or title not in KWB_TITLES:
            continue
        indicator, unit = KWB_TITLES[title]
        if str(prop.get("Unit") or "").strip() == unit and prop.get("Key"):
            keys[str(prop["Key"]).strip()] = indicator
    return keys


def fetch_properties(table: str, base_url: str, timeout: float = 20.0) -> list[dict]:
    """A table's DataProperties (its columns with title and unit)."""
    url = f"{base_url.rstrip('/')}/{table}/DataProperties?$format=json"
    rows, _ = parse_typed_dataset(_get(url, timeout))
    return rows


KWB_FILTER = (
    f"startswith(WijkenEnBuurten,'{GEMEENTE.buurt_prefix}') "
    f"or startswith(WijkenEnBuurten,'{GEMEENTE.wijk_prefix}') "
    f"or startswith(WijkenEnBuurten,'{GEMEENTE.code}')"
)


def kwb_observations(
    rows: list[dict], year: str, keys: dict[str, str] | None = None
) -> pd.DataFrame:
    """Kerncijfers wijken en buurten rows (one table year) in the import layout, with ``keys``
    from :func:`kwb_keys` (default: the 2024 keys); CBS secrecy and missing values (empty)
    are left out, never filled in."""
    keys = keys or KWB_VARIABLES
    frame = pd.DataFrame(rows)
    if "WijkenEnBuurten" not in frame.columns:
        raise FetchError("Het antwoord mist de kolom WijkenEnBuurten.")
    present = [key for key in keys if key in frame.columns]
    if not present:
        raise FetchError("Het antwoord bevat geen van de verwachte kerncijfers.")
    long = frame.melt(
        id_vars=["WijkenEnBuurten"], value_vars=present, var_name="key", value_name="waarde"
    )
    long = long[pd.to_numeric(long["waarde"], errors="coerce").notna()]
    long = long[pd.to_numeric(long["waarde"]) != -99999999]
    return pd.DataFrame(
        {
            "gebied": long["WijkenEnBuurten"].astype(str).str.strip(),
            "indicator": long["key"].map(keys),
            "periode": year,
            "waarde": long["waarde"],
        }
    ).reset_index(drop=True)


def offered_by_catalogue(frame: pd.DataFrame, catalogue: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Only the (indicator, level) pairs the catalogue offers; the number left out."""
    level = frame["gebied"].str[:2].map({"BU": "buurt", "WK": "wijk", "GM": "gemeente"})
    levels = frame["indicator"].map(catalogue["levels"]).fillna("")
    keep = [lv in str(allowed).split(",") for lv, allowed in zip(level, levels, strict=True)]
    kept = frame[keep].reset_index(drop=True)
    return kept, len(frame) - len(kept)
