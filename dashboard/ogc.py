"""OGC API - Features at ``/ogc``: the public figures for GIS software (QGIS, GDAL, ArcGIS).

Part 1 Core with GeoJSON, HTML and an OpenAPI 3.0 document, and Part 2 (CRS by reference)
for RD New. Three collections, all from the loaded public data (``dashboard.data``'s context,
so the store may be the GeoPackage or PostGIS, and suppression is exactly that of the public
pages: :func:`indicators.privacy.public_observations` made ``ctx.public_obs``):

- ``wijken`` and ``buurten``: the CBS/Kadaster 2021 boundaries (full detail) with code, name
  and per public indicator the figure of its latest period at that level, with that period,
  source and licence;
- ``cijfers``: the long table of every public figure (the rows of ``/data/cijfers.csv``).
The Core ``datetime`` parameter (an RFC 3339 date-time, or a date, or an interval of them
with ``..`` or nothing for an open end) is accepted on every items request: a figure of
``cijfers`` is selected when its period (a calendar year or month, in Dutch time) meets it;
the areas of ``wijken`` and ``buurten`` have no time of their own, so every area matches
(``/req/core/fc-time-response`` C) and ``period`` chooses the figures' period there.

A small implementation of our own rather than pygeoapi: pygeoapi reads its data through its
own providers straight from tables (our suppression is computed in Python, per data version,
and must not be bypassed), keeps its configuration in a global YAML file read at import, and
pulls in rasterio, SQLAlchemy, pygeofilter and tinydb; the registry offers it only up to
0.21. What we serve is three read-only collections of at most a few thousand rows.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import shapely
from flask import Blueprint, Response, request

from dashboard import data
from dashboard.downloads import source_names
from dashboard.i18n import pick
from dashboard.open_data import credit_line
from dashboard.publicurl import public_base_url
from geodata.gemeente import GEMEENTE
from indicators.formatting import format_number

PREFIX = "/ogc"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
RD_NEW = "http://www.opengis.net/def/crs/EPSG/0/28992"
CRS_EPSG = {CRS84: 4326, RD_NEW: 28992}
DECIMALS = {CRS84: 7, RD_NEW: 2}  # about 1 cm either way
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
CODE = re.compile(r"^[A-Za-z0-9]{1,20}$")
LEVEL_WORDS = {"wijk": ("wijk", "district"), "buurt": ("buurt", "neighbourhood")}


@dataclass(frozen=True)
class Collection:
    id: str
    level: str | None  # wijk / buurt; None: a table without geometry
    title: tuple[str, str]
    description: tuple[str, str]
    filters: tuple[str, ...]


COLLECTIONS = {
    "wijken": Collection(
        "wijken",
        "wijk",
        ("Wijken", "Districts"),
        (
            "De wijken met per openbare indicator het cijfer van de laatste periode "
            "(met periode, bron en licentie).",
            "The districts with, per public indicator, the figure of its latest period "
            "(with period, source and licence).",
        ),
        ("indicator", "period"),
    ),
    "buurten": Collection(
        "buurten",
        "buurt",
        ("Buurten", "Neighbourhoods"),
        (
            "De buurten met per openbare indicator het cijfer van de laatste periode "
            "(met periode, bron en licentie).",
            "The neighbourhoods with, per public indicator, the figure of its latest period "
            "(with period, source and licence).",
        ),
        ("indicator", "period"),
    ),
    "cijfers": Collection(
        "cijfers",
        None,
        ("Cijfers", "Figures"),
        (
            "Alle openbare cijfers als lange tabel: gebied, indicator, periode, waarde, "
            "eenheid, bron en licentie (zonder geometrie; dezelfde rijen als "
            "/data/cijfers.csv).",
            "Every public figure as a long table: area, indicator, period, value, unit, "
            "source and licence (no geometry; the same rows as /data/cijfers.csv).",
        ),
        ("area", "level", "indicator", "period"),
    ),
}
COMMON_PARAMS = ("f", "taal")
ITEMS_PARAMS = ("limit", "offset", "bbox", "bbox-crs", "crs", "datetime")
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")  # the periods are Dutch calendar years and months
DATE_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt](?P<time>\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(?P<zone>[Zz]|[+-]\d{2}:\d{2})?)?"
)
OPEN_END = ("", "..")
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)  # open ends (a day inside datetime's range)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)


class ApiError(Exception):
    """A request we answer with ``status`` and a message (never a 500)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def bad(lang: str, nl: str, en: str) -> ApiError:
    return ApiError(400, "InvalidParameterValue", pick(lang, nl, en))


# ------------------------------------------------------------------ data (pure, per data version)
def latest_figures(
    public_obs: pd.DataFrame,
    level: str,
    indicators: list[str] | None = None,
    period: str | None = None,
) -> pd.DataFrame:
    """The public rows of ``level``: per indicator those of its latest period (or of
    ``period``), optionally only ``indicators``. Suppressed values stay missing.

    >>> obs = pd.DataFrame({"level": ["wijk"] * 3, "indicator_id": ["a", "a", "b"],
    ...     "period": ["2017", "2021", "2017"], "area_code": ["W1"] * 3, "value": [1, 2, 3.0]})
    >>> latest_figures(obs, "wijk")[["indicator_id", "period"]].values.tolist()
    [['a', '2021'], ['b', '2017']]
    """
    rows = public_obs[public_obs["level"] == level]
    if indicators:
        rows = rows[rows["indicator_id"].isin(indicators)]
    if period:
        return rows[rows["period"] == period]
    latest = rows.groupby("indicator_id")["period"].transform("max")
    return rows[rows["period"] == latest]


def area_properties(
    ctx: data.Context, level: str, indicators: list[str] | None, period: str | None
) -> pd.DataFrame:
    """Code, name and per indicator (catalogue order) ``<id>``, ``<id>_period``,
    ``<id>_source`` and ``<id>_licence``; one row per area of ``level``, indexed by code."""
    areas = ctx.areas[level]
    out = pd.DataFrame({"code": areas["code"].values, "name": areas["name"].values})
    out = out.set_index("code", drop=False)
    rows = latest_figures(ctx.public_obs, level, indicators, period)
    sources = ctx.data.sources
    for ind in [i for i in ctx.data.indicators.index if i in set(rows["indicator_id"])]:
        own = rows[rows["indicator_id"] == ind].drop_duplicates("area_code").set_index("area_code")
        own = own.reindex(out.index)
        out[ind] = own["value"].astype(float)
        out[f"{ind}_period"] = own["period"]
        out[f"{ind}_source"] = own["source_id"].map(source_names(sources))  # as the CSV
        out[f"{ind}_licence"] = own["source_id"].map(sources["licence"])
    return out


def figures_table(ctx: data.Context) -> pd.DataFrame:
    """Every public figure, the rows of ``/data/cijfers.csv`` (one function makes both)."""
    from dashboard.downloads import public_figures

    table = public_figures(ctx).rename(
        columns={
            "area_code": "area",
            "indicator_id": "indicator",
            "indicator": "indicator_name",
        }
    )
    table.index = table["area"] + "." + table["indicator"] + "." + table["period"].astype(str)
    return table


def area_geometry(ctx: data.Context, level: str, crs: str) -> pd.Series:
    """Full-detail boundaries (CBS/Kadaster 2021) of ``level`` by code, in ``crs``, rounded to
    about a centimetre; made once per geometry version (an import of figures keeps it)."""

    def build():
        frame = ctx.data.buurten if level == "buurt" else ctx.data.wijken
        geo = frame.set_index(f"{level}code").geometry.to_crs(CRS_EPSG[crs])
        factor = 10 ** DECIMALS[crs]
        rounded = shapely.transform(geo.values, lambda xy: np.round(xy * factor) / factor)
        return pd.Series(rounded, index=geo.index)

    return ctx.once_geometry(("ogc-geometry", level, crs), build)


def area_geojson(ctx: data.Context, level: str, crs: str) -> dict[str, dict]:
    """GeoJSON geometry by code (made once per geometry version, level and CRS)."""

    def build():
        geo = area_geometry(ctx, level, crs)
        return {code: json.loads(shapely.to_geojson(g)) for code, g in geo.items()}

    return ctx.once_geometry(("ogc-geojson", level, crs), build)


def spatial_extent(ctx: data.Context) -> list[float]:
    def build():
        geo = area_geometry(ctx, "wijk", CRS84)
        minx, miny, maxx, maxy = shapely.total_bounds(geo.values)
        return [round(float(v), 6) for v in (minx, miny, maxx, maxy)]

    return list(ctx.once_geometry("ogc-extent", build))


def jsonable(value):
    """A cell as JSON: missing (NaN, None, NA) is null; numpy numbers become Python numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


# ------------------------------------------------------------------ query parameters
def parse_query(args, collection: Collection | None, lang: str, items: bool) -> dict:
    """The validated query of a request: an :class:`ApiError` (400) names what is wrong."""
    allowed = set(COMMON_PARAMS)
    if items and collection is not None:
        allowed |= set(ITEMS_PARAMS) | set(collection.filters)
    elif collection is not None:
        allowed |= {"crs"}
    for name in args:
        if name not in allowed:
            raise bad(
                lang,
                f"Onbekende parameter '{name[:40]}'; toegestaan: {', '.join(sorted(allowed))}.",
                f"Unknown parameter '{name[:40]}'; allowed: {', '.join(sorted(allowed))}.",
            )
        if len(args.getlist(name)) > 1:
            raise bad(lang, f"Parameter '{name}' staat er meer dan eens.", f"'{name}' repeated.")
    query = {"f": output_format(args.get("f"), lang)}
    if not items:
        return query
    query["limit"] = whole_number(args.get("limit"), "limit", DEFAULT_LIMIT, 1, lang)
    query["limit"] = min(query["limit"], MAX_LIMIT)
    query["offset"] = whole_number(args.get("offset"), "offset", 0, 0, lang)
    query["crs"] = crs_param(args.get("crs"), "crs", lang)
    query["bbox_crs"] = crs_param(args.get("bbox-crs"), "bbox-crs", lang)
    if args.get("bbox-crs") is not None and args.get("bbox") is None:
        raise bad(lang, "bbox-crs zonder bbox.", "bbox-crs without bbox.")
    query["bbox"] = bbox_param(args.get("bbox"), query["bbox_crs"], collection, lang)
    if collection.level is None and args.get("crs") is not None:
        raise bad(lang, "De cijfers hebben geen geometrie: geen crs.", "No geometry: no crs.")
    query["indicator"] = indicator_param(args.get("indicator"), lang)
    query["period"] = period_param(args.get("period"), lang)
    query["area"] = area_param(args.get("area"), lang)
    level = args.get("level")
    if level is not None and level not in ("gemeente", "wijk", "buurt"):
        raise bad(lang, "level is gemeente, wijk of buurt.", "level is gemeente, wijk or buurt.")
    query["level"] = level
    query["datetime"] = datetime_param(args.get("datetime"), lang)
    query["datetime_text"] = args.get("datetime")
    return query


def output_format(value: str | None, lang: str) -> str:
    """``json`` or ``html``: the ``f`` parameter, else what the client accepts."""
    if value is None:
        best = request.accept_mimetypes.best_match(
            [GEOJSON, "application/json", "text/html"], default="application/json"
        )
        return "html" if best == "text/html" else "json"
    if value in ("json", "html"):
        return value
    raise bad(
        lang,
        f"Onbekend formaat f={value[:20]}; kies json of html.",
        f"Unknown format f={value[:20]}; use json or html.",
    )


def whole_number(value: str | None, name: str, default: int, minimum: int, lang: str) -> int:
    if value is None:
        return default
    if not re.fullmatch(r"\d{1,9}", value) or int(value) < minimum:
        raise bad(
            lang,
            f"{name} moet een geheel getal van ten minste {minimum} zijn, niet '{value[:20]}'.",
            f"{name} must be a whole number of at least {minimum}, not '{value[:20]}'.",
        )
    return int(value)


def crs_param(value: str | None, name: str, lang: str) -> str:
    if value is None:
        return CRS84
    if value in CRS_EPSG:
        return value
    raise bad(
        lang,
        f"{name} wordt niet ondersteund: gebruik {CRS84} of {RD_NEW}.",
        f"{name} not supported: use {CRS84} or {RD_NEW}.",
    )


def bbox_param(value: str | None, crs: str, collection: Collection, lang: str):
    if value is None:
        return None
    if collection.level is None:
        raise bad(lang, "De cijfers hebben geen geometrie: geen bbox.", "No geometry: no bbox.")
    numbers = parse_bbox(value)
    if not bbox_valid(numbers, crs):
        raise bad(
            lang,
            "bbox is minx,miny,maxx,maxy (vier getallen, min niet groter dan max; "
            f"lengte/breedte in WGS84 tenzij bbox-crs), niet '{value[:60]}'.",
            "bbox is minx,miny,maxx,maxy (four numbers, min not above max; "
            f"lon/lat in WGS84 unless bbox-crs), not '{value[:60]}'.",
        )
    return numbers


def parse_bbox(value: str) -> list[float]:
    """The numbers of a bbox parameter; 3D boxes lose their heights; [] when not numbers."""
    try:
        numbers = [float(v) for v in value.split(",")]
    except ValueError:
        return []
    if len(numbers) == 6:  # 3D: the heights are ignored
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    return numbers


def bbox_valid(numbers: list[float], crs: str) -> bool:
    """Four finite numbers, min not above max, latitudes within range in CRS84."""
    if len(numbers) != 4 or not all(math.isfinite(v) for v in numbers):
        return False
    if numbers[0] > numbers[2] or numbers[1] > numbers[3]:
        return False
    return crs != CRS84 or (-90 <= numbers[1] <= 90 and -90 <= numbers[3] <= 90)


def indicator_param(value: str | None, lang: str) -> list[str] | None:
    """Public indicator ids (comma-separated); an unknown or non-public id is refused alike."""
    if value is None:
        return None
    catalogue = data.get_context().data.indicators
    public = set(catalogue.index[catalogue["public"].astype(bool)])
    wanted = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in wanted if v not in public]
    if unknown or not wanted:
        shown = (unknown or [value])[0][:40]
        raise bad(
            lang,
            f"Onbekende indicator '{shown}'; de openbare indicatoren staan op /data.",
            f"Unknown indicator '{shown}'; the public indicators are listed on /data.",
        )
    return wanted


def matching(value: str | None, pattern: re.Pattern, lang: str, nl: str, en: str):
    """``value`` when it matches ``pattern`` (None stays None), else a 400 saying ``nl``/``en``."""
    if value is not None and not pattern.match(value):
        raise bad(lang, f"{nl}, niet '{value[:30]}'.", f"{en}, not '{value[:30]}'.")
    return value


def period_param(value: str | None, lang: str) -> str | None:
    text = ("period is een jaar (2021) of maand (2024-03)", "period is a year or month (2024-03)")
    return matching(value, PERIOD, lang, *text)


def area_param(value: str | None, lang: str) -> str | None:
    text = (
        f"area is een CBS-gebiedscode (zoals {GEMEENTE.code})",
        f"area is a CBS area code (such as {GEMEENTE.code})",
    )
    found = matching(value, CODE, lang, *text)
    return found.upper() if found else None


def datetime_param(value: str | None, lang: str) -> tuple[datetime, datetime] | None:
    """The time of ``datetime`` as ``(start, end)``, end exclusive; a 400 when it is no
    date-time, date or interval of them (OGC API Features Part 1, ``/req/core/fc-time-response``).

    >>> [t.isoformat() for t in datetime_param("2017-01-01/2018-12-31", "en")]
    ['2017-01-01T00:00:00+01:00', '2019-01-01T00:00:00+01:00']
    >>> datetime_param("../2019-12-31T23:00:00Z", "en")[0] == EARLIEST
    True
    """
    if value is None:
        return None
    parts = value.strip().split("/")
    try:
        if len(parts) == 1:
            return moment(parts[0], False), moment(parts[0], True)
        if len(parts) == 2 and not (parts[0] in OPEN_END and parts[1] in OPEN_END):
            start = EARLIEST if parts[0] in OPEN_END else moment(parts[0], False)
            end = LATEST if parts[1] in OPEN_END else moment(parts[1], True)
            if start < end:
                return start, end
    except ValueError:
        pass
    raise bad(
        lang,
        f"datetime is een datum-tijd (2017-01-01T00:00:00Z), een datum of een interval "
        f"(2017-01-01/2018-12-31, ../2019-12-31, 2019-01-01/..), niet '{value[:40]}'.",
        f"datetime is a date-time (2017-01-01T00:00:00Z), a date or an interval "
        f"(2017-01-01/2018-12-31, ../2019-12-31, 2019-01-01/..), not '{value[:40]}'.",
    )


def moment(text: str, end: bool) -> datetime:
    """The start of a date-time or date, or (``end``) the first moment after it: a date is the
    whole Dutch calendar day, a date-time without an offset is Dutch time."""
    match = DATE_TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    day = datetime.fromisoformat(match["date"])
    if match["time"] is None:
        return (day + timedelta(days=int(end))).replace(tzinfo=DUTCH_TIME)
    zone = (match["zone"] or "").upper().replace("Z", "+00:00")
    stamp = datetime.fromisoformat(f"{match['date']}T{match['time'][:15]}{zone}")
    stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=DUTCH_TIME)
    return stamp + timedelta(microseconds=int(end))


def period_span(period: str) -> tuple[datetime, datetime]:
    """A period (``2017`` or ``2024-03``) as its Dutch start and the start of the next one.

    >>> [t.isoformat()[:10] for t in period_span("2024-12")]
    ['2024-12-01', '2025-01-01']
    """
    year, _, month = str(period).partition("-")
    if not month:
        first, after = (int(year), 1), (int(year) + 1, 1)
    else:
        m = int(month)
        first, after = (int(year), m), (int(year) + m // 12, m % 12 + 1)
    return tuple(datetime(y, m, 1, tzinfo=DUTCH_TIME) for y, m in (first, after))


def periods_meeting(periods, span: tuple[datetime, datetime]) -> set[str]:
    """The periods among ``periods`` whose time meets ``span`` (start, exclusive end)."""
    met = set()
    for period in set(map(str, periods)):
        first, after = period_span(period)
        if first < span[1] and span[0] < after:
            met.add(period)
    return met


# ------------------------------------------------------------------ documents
def url(path: str, **params) -> str:
    """An absolute URL under /ogc (public address: :func:`public_base_url`)."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return public_base_url() + PREFIX + path + ("?" + urlencode(query) if query else "")


def link(href: str, rel: str, kind: str, title: str | None = None) -> dict:
    out = {"href": href, "rel": rel, "type": kind}
    if title:
        out["title"] = title
    return out


def self_links(path: str, fmt: str, lang: str, kind: str = "application/json", **params):
    """``self`` and the ``alternate`` in the other format, keeping the query."""
    other = "html" if fmt == "json" else "json"
    return [
        link(url(path, **params, f=fmt), "self", kind if fmt == "json" else "text/html"),
        link(url(path, **params, f=other), "alternate", "text/html" if other == "html" else kind),
    ]


def landing(ctx: data.Context, lang: str, fmt: str) -> dict:
    name = GEMEENTE.name
    return {
        "title": pick(
            lang, f"Wijkveiligheid {name}: open data", f"Neighbourhood Safety {name}: open data"
        ),
        "description": pick(
            lang,
            f"De openbare cijfers over veiligheid en leefbaarheid per wijk en buurt in {name}, "
            "met dezelfde afronding en onderdrukking als op de website. Bronnen en licenties: "
            f"{credit_line(ctx, lang)}. Vermeld de bron bij hergebruik.",
            f"The public safety and liveability figures per district and neighbourhood of "
            f"{name}, with the same rounding and suppression as the website. Sources and "
            f"licences: {credit_line(ctx, lang)}. Credit the source when reusing.",
        ),
        "links": [
            *self_links("", fmt, lang),
            link(url("/openapi"), "service-desc", OPENAPI, "OpenAPI 3.0"),
            link(url("/openapi", f="html"), "service-doc", "text/html", "OpenAPI 3.0 (HTML)"),
            link(url("/conformance"), "conformance", "application/json"),
            link(url("/collections"), "data", "application/json"),
            link(
                public_base_url() + "/data",
                "license",
                "text/html",
                pick(lang, "Bronnen", "Sources"),
            ),
        ],
    }


def collection_doc(ctx: data.Context, col: Collection, lang: str, fmt: str = "json") -> dict:
    doc = {
        "id": col.id,
        "title": pick(lang, *col.title),
        "description": pick(lang, *col.description),
        "itemType": "feature",
        "links": [
            *self_links(f"/collections/{col.id}", fmt, lang),
            link(url(f"/collections/{col.id}/items"), "items", GEOJSON),
            link(url(f"/collections/{col.id}/items", f="html"), "items", "text/html"),
            link(
                public_base_url() + "/data",
                "license",
                "text/html",
                pick(lang, "Bronnen en licenties", "Sources and licences"),
            ),
        ],
    }
    if col.level:
        doc["extent"] = {"spatial": {"bbox": [spatial_extent(ctx)], "crs": CRS84}}
        doc["crs"] = [CRS84, RD_NEW]
        doc["storageCrs"] = RD_NEW
    else:
        doc["extent"] = {"temporal": {"interval": [temporal_extent(ctx)], "trs": GREGORIAN}}
    return doc


def temporal_extent(ctx: data.Context) -> list[str | None]:
    """The first and last moment of the public figures' periods (UTC), for ``datetime``."""
    periods = ctx.public_obs["period"].dropna().astype(str).unique()
    if not len(periods):
        return [None, None]
    spans = [period_span(p) for p in periods]
    first = min(s[0] for s in spans).astimezone(UTC)
    last = (max(s[1] for s in spans) - timedelta(seconds=1)).astimezone(UTC)
    return [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in (first, last)]


def collections_doc(ctx: data.Context, lang: str, fmt: str) -> dict:
    return {
        "links": self_links("/collections", fmt, lang),
        "collections": [collection_doc(ctx, c, lang) for c in COLLECTIONS.values()],
        "crs": [CRS84, RD_NEW],
    }


def select_items(ctx: data.Context, col: Collection, query: dict) -> pd.DataFrame:
    """The rows of ``col`` that the filters and bbox select (before paging)."""
    if col.level is None:
        table = ctx.once("ogc-figures", lambda: figures_table(ctx))
        for name in ("area", "level", "period"):
            if query.get(name):
                table = table[table[name].astype(str) == query[name]]
        if query.get("indicator"):
            table = table[table["indicator"].isin(query["indicator"])]
        if query.get("datetime"):
            periods = table["period"].astype(str)
            table = table[periods.isin(periods_meeting(periods.unique(), query["datetime"]))]
        return table
    key = ("ogc-props", col.level, tuple(query.get("indicator") or ()), query.get("period"))
    props = ctx.once(
        key, lambda: area_properties(ctx, col.level, query.get("indicator"), query.get("period"))
    )
    if query.get("bbox"):
        geo = area_geometry(ctx, col.level, query["bbox_crs"])
        hit = shapely.intersects(geo.values, shapely.box(*query["bbox"]))
        props = props[props.index.isin(geo.index[hit])]
    return props


def feature(ctx: data.Context, col: Collection, fid: str, row: pd.Series, crs: str) -> dict:
    geometry = None
    if col.level:
        geometry = area_geojson(ctx, col.level, crs)[fid]
    properties = {k: jsonable(v) for k, v in row.items()}
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": properties}


def items_doc(ctx: data.Context, col: Collection, query: dict, lang: str) -> dict:
    rows = select_items(ctx, col, query)
    offset, limit = query["offset"], query["limit"]
    page = rows.iloc[offset : offset + limit]
    features = [feature(ctx, col, fid, row, query["crs"]) for fid, row in page.iterrows()]
    keep = {
        "bbox": ",".join(format(v, "g") for v in query["bbox"]) if query.get("bbox") else None,
        "bbox-crs": query["bbox_crs"] if query.get("bbox") and query["bbox_crs"] != CRS84 else None,
        "crs": query["crs"] if query["crs"] != CRS84 else None,
        "indicator": ",".join(query["indicator"]) if query.get("indicator") else None,
        "period": query.get("period"),
        "area": query.get("area"),
        "level": query.get("level"),
        "datetime": query.get("datetime_text"),
        "taal": lang if lang != "nl" else None,
    }
    path = f"/collections/{col.id}/items"
    links = self_links(path, query["f"], lang, GEOJSON, **keep, limit=limit, offset=offset or None)
    if offset + limit < len(rows):
        links.append(link(url(path, **keep, limit=limit, offset=offset + limit), "next", GEOJSON))
    if offset > 0:
        previous = max(offset - limit, 0) or None
        links.append(link(url(path, **keep, limit=limit, offset=previous), "prev", GEOJSON))
    links.append(link(url(f"/collections/{col.id}"), "collection", "application/json"))
    return {
        "type": "FeatureCollection",
        "numberMatched": len(rows),
        "numberReturned": len(features),
        "timeStamp": pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ"),
        "features": features,
        "links": links,
    }


def item_doc(ctx: data.Context, col: Collection, fid: str, query: dict, lang: str) -> dict:
    rows = select_items(ctx, col, {"indicator": None, "period": None})
    if fid not in rows.index:
        raise ApiError(
            404,
            "NotFound",
            pick(lang, f"'{fid[:40]}' staat niet in {col.id}.", f"'{fid[:40]}' not in {col.id}."),
        )
    doc = feature(ctx, col, fid, rows.loc[fid], query.get("crs", CRS84))
    crs = query.get("crs") if query.get("crs") != CRS84 else None
    doc["links"] = [
        *self_links(f"/collections/{col.id}/items/{fid}", query["f"], lang, GEOJSON, crs=crs),
        link(url(f"/collections/{col.id}"), "collection", "application/json"),
    ]
    return doc


# ------------------------------------------------------------------ OpenAPI 3.0
def openapi_param(name: str, description: str, schema: dict, style: str | None = None) -> dict:
    """An optional query parameter of the OpenAPI document."""
    out = {"name": name, "in": "query", "required": False, "description": description}
    out["schema"] = schema
    if style:
        out.update({"style": style, "explode": False})
    return out


def openapi_common() -> list[dict]:
    return [
        openapi_param("f", "Output format", {"type": "string", "enum": ["json", "html"]}),
        openapi_param(
            "taal", "Language of texts (nl, en)", {"type": "string", "enum": ["nl", "en"]}
        ),
    ]


def openapi_crs() -> dict:
    return openapi_param("crs", "CRS of the geometry", {"type": "string", "enum": [CRS84, RD_NEW]})


def openapi_paging() -> list[dict]:
    return [
        openapi_param(
            "limit",
            "Items per page",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        ),
        openapi_param("offset", "Items to skip", {"type": "integer", "minimum": 0, "default": 0}),
    ]


def openapi_spatial() -> list[dict]:
    return [
        openapi_param(
            "bbox",
            "minx,miny,maxx,maxy",
            {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
            "form",
        ),
        openapi_param("bbox-crs", "CRS of bbox", {"type": "string", "enum": [CRS84, RD_NEW]}),
        openapi_crs(),
    ]


def openapi_datetime(col: Collection) -> dict:
    """The Core ``datetime`` parameter, with what it selects in ``col``."""
    selects = (
        "Figures whose period (a Dutch calendar year or month) meets it"
        if col.level is None
        else "Accepted; the areas have no time of their own, so every area matches "
        "(use period to choose the figures' period)"
    )
    return openapi_param(
        "datetime",
        "A date-time (RFC 3339, e.g. 2017-01-01T00:00:00Z), a date, or an interval of them "
        f"(2017-01-01/2018-12-31, ../2019-12-31, 2019-01-01/..). {selects}.",
        {"type": "string"},
        "form",
    )


def openapi_filters(ctx: data.Context) -> dict[str, dict]:
    """The filter parameters by name; indicator lists the public indicator ids."""
    catalogue = ctx.data.indicators
    public = [str(i) for i in catalogue.index[catalogue["public"].astype(bool)]]
    return {
        "indicator": openapi_param(
            "indicator",
            "Public indicator id(s), comma-separated",
            {"type": "array", "items": {"type": "string", "enum": public}},
            "form",
        ),
        "period": openapi_param(
            "period",
            "Year or month (default: latest)",
            {"type": "string", "pattern": PERIOD.pattern},
        ),
        "area": openapi_param("area", "CBS area code", {"type": "string", "pattern": CODE.pattern}),
        "level": openapi_param(
            "level", "Area level", {"type": "string", "enum": ["gemeente", "wijk", "buurt"]}
        ),
    }


def openapi_ok(description: str, kind: str = "application/json") -> dict:
    return {"200": {"description": description, "content": {kind: {}, "text/html": {}}}}


OPENAPI_ERRORS = {
    "400": {"description": "Bad parameter (message in 'description')"},
    "404": {"description": "Not found"},
}


def openapi_root_paths(common: list[dict]) -> dict:
    """Landing page, conformance and the list of collections."""

    def get(summary, description):
        return {
            "get": {"summary": summary, "parameters": common, "responses": openapi_ok(description)}
        }

    return {
        "/": get("Landing page", "Landing"),
        "/conformance": get("Conformance", "Classes"),
        "/collections": get("Collections", "Collections"),
    }


def openapi_collection_paths(col: Collection, common: list[dict], filters: dict) -> dict:
    """The collection, its items and one item."""
    extra = (openapi_spatial() if col.level else []) + [filters[f] for f in col.filters]
    extra.append(openapi_datetime(col))
    base = f"/collections/{col.id}"
    one = {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        base: {
            "get": {
                "summary": col.title[1],
                "parameters": common,
                "responses": {**openapi_ok("Collection"), **OPENAPI_ERRORS},
            }
        },
        f"{base}/items": {
            "get": {
                "summary": f"{col.title[1]}: items",
                "description": col.description[1],
                "parameters": [*common, *openapi_paging(), *extra],
                "responses": {**openapi_ok("Features", GEOJSON), **OPENAPI_ERRORS},
            }
        },
        f"{base}/items/{{featureId}}": {
            "get": {
                "summary": f"{col.title[1]}: one item",
                "parameters": [one, *common, *([openapi_crs()] if col.level else [])],
                "responses": {**openapi_ok("Feature", GEOJSON), **OPENAPI_ERRORS},
            }
        },
    }


def openapi_doc(ctx: data.Context) -> dict:
    """The OpenAPI 3.0 description of this API."""
    common = openapi_common()
    filters = openapi_filters(ctx)
    paths = openapi_root_paths(common)
    for col in COLLECTIONS.values():
        paths.update(openapi_collection_paths(col, common, filters))
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"Wijkveiligheid {GEMEENTE.name}: OGC API - Features",
            "version": "1.0.0",
            "description": COLLECTIONS["cijfers"].description[1],
            "license": {"name": credit_line(ctx, "en"), "url": public_base_url() + "/data"},
        },
        "servers": [{"url": url("")}],
        "paths": paths,
    }


# ------------------------------------------------------------------ HTML
def e(text) -> str:
    return html.escape("" if text is None else str(text))


def html_page(title: str, body: str, lang: str, json_href: str) -> str:
    credit = credit_line(data.get_context(), lang)
    """A document in the app's look: header with the way back, main, attribution."""
    other = "en" if lang == "nl" else "nl"
    here = request.args.to_dict()
    here["taal"] = other
    if other == "nl":
        here.pop("taal")
    switch = request.path + ("?" + urlencode(here) if here else "")
    brand = e(pick(lang, "Wijkveiligheid", "Neighbourhood Safety") + f" {GEMEENTE.name}")
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} · {brand}</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="alternate" type="application/json" href="{e(json_href)}"></head>
<body><div class="page lang-{lang} ogc-page">
<a class="skip-link" href="#main">{pick(lang, "Naar de inhoud", "Skip to content")}</a>
<header class="site-header"><div class="brand">
<a class="brand-title" href="/{"?taal=en" if lang == "en" else ""}">{brand}</a>
<span class="brand-subtitle">OGC API - Features</span></div>
<a class="lang-switch" lang="{other}" hreflang="{other}" href="{e(switch)}">{
        pick(lang, "English", "Nederlands")
    }</a></header>
<main id="main" tabindex="-1"><h1>{e(title)}</h1>
{body}
<p><a href="{e(json_href)}">{pick(lang, "Dit document als JSON", "This document as JSON")}</a></p>
</main><footer class="site-footer"><p>{
        pick(
            lang,
            f"Bronnen: {e(credit)}. Vermeld de bron bij hergebruik.",
            f"Sources: {e(credit)}. Credit the source when reusing.",
        )
    } <a href="/data{"?taal=en" if lang == "en" else ""}">{
        pick(lang, "Over de data", "About the data")
    }</a></p></footer></div></body></html>"""


def links_html(links: list[dict]) -> str:
    items = "".join(
        f'<li><a href="{e(x["href"])}">{e(x.get("title") or x["rel"])}</a> '
        f"<small>({e(x['type'])})</small></li>"
        for x in links
        if x["rel"] not in ("self",)
    )
    return f"<ul>{items}</ul>"


def table_html(caption: str, header: list[str], rows: list[list], numeric=()) -> str:
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{e(c)}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        '<div class="table-scroll" tabindex="0" role="region" '
        f'aria-label="{e(caption)}"><table class="data-table"><caption>{e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def as_html(kind: str, doc: dict, lang: str, ctx: data.Context, col: Collection | None) -> str:
    """The HTML page of an API document, by document kind."""
    json_href = next((x["href"] for x in doc.get("links", []) if x["rel"] == "alternate"), "")
    if kind == "conformance":
        return conformance_html(doc, lang)
    renderer = HTML_RENDERERS.get(kind, items_html)
    title, body = renderer(doc, lang, ctx, col)
    return html_page(title, body, lang, json_href)


def conformance_html(doc: dict, lang: str) -> str:
    body = "<ul>" + "".join(f"<li>{e(c)}</li>" for c in doc["conformsTo"]) + "</ul>"
    return html_page(pick(lang, "Conformiteit", "Conformance"), body, lang, url("/conformance"))


def landing_html(doc: dict, lang: str, ctx: data.Context, col: Collection | None):
    return doc["title"], f"<p>{e(doc['description'])}</p>" + links_html(doc["links"])


def collections_html(doc: dict, lang: str, ctx: data.Context, col: Collection | None):
    rows = [
        [collection_link(c["id"], lang), e(c["title"]), e(c["description"])]
        for c in doc["collections"]
    ]
    header = [pick(lang, "Collectie", "Collection"), pick(lang, "Titel", "Title"), ""]
    title = pick(lang, "Collecties", "Collections")
    return title, table_html(title, header, rows)


def collection_html(doc: dict, lang: str, ctx: data.Context, col: Collection | None):
    body = f"<p>{e(doc['description'])}</p>" + links_html(doc["links"])
    if doc.get("crs"):
        body += f"<p>CRS: {', '.join(e(c) for c in doc['crs'])}</p>"
    return doc["title"], body


def item_html(doc: dict, lang: str, ctx: data.Context, col: Collection | None):
    rows = [[e(k), e(v)] for k, v in doc["properties"].items()]
    body = table_html(doc["id"], [pick(lang, "Eigenschap", "Property"), ""], rows)
    return f"{col.id}: {doc['id']}", body


def items_columns(feats: list[dict], col: Collection) -> list[str]:
    """The property columns of an items table; areas show code, name and the figures
    (not the long source columns)."""
    columns = list(feats[0]["properties"]) if feats else []
    if col.level:
        columns = [c for c in columns if not c.endswith(("_source", "_licence", "_period"))]
    return columns


def pager_html(doc: dict, lang: str) -> str:
    pager = " · ".join(
        f'<a href="{e(x["href"].replace("f=json", "f=html"))}" rel="{x["rel"]}">'
        f"{pager_word(x['rel'], lang)}</a>"
        for x in doc["links"]
        if x["rel"] in ("next", "prev")
    )
    return f"<p>{pager}</p>" if pager else ""


def items_html(doc: dict, lang: str, ctx: data.Context, col: Collection | None):
    feats = doc["features"]
    columns = items_columns(feats, col)
    rows = [
        [item_link(col, f["id"], lang), *[cell(ctx, f["properties"], c, lang) for c in columns]]
        for f in feats
    ]
    shown = pick(
        lang,
        f"{doc['numberReturned']} van {doc['numberMatched']}",
        f"{doc['numberReturned']} of {doc['numberMatched']}",
    )
    body = (
        f"<p>{e(shown)}</p>"
        + table_html(pick(lang, *col.title), ["id", *columns], rows)
        + pager_html(doc, lang)
    )
    return pick(lang, *col.title), body


HTML_RENDERERS = {
    "landing": landing_html,
    "collections": collections_html,
    "collection": collection_html,
    "item": item_html,
    "items": items_html,
}


def cell(ctx: data.Context, props: dict, column: str, lang: str) -> str:
    """A property as the pages show it: a figure rounded to its indicator's decimals in the
    page's number format ('geen gegevens' when missing); other text as it is."""
    decimals = ctx.data.indicators["decimals"]
    indicator = column if column in decimals.index else None
    if column == "value":
        indicator = props.get("indicator")
    if indicator in decimals.index:
        return e(format_number(props.get(column), int(decimals[indicator]), lang))
    return e(props.get(column))


def item_link(col: Collection, fid: str, lang: str) -> str:
    href = url(f"/collections/{col.id}/items/{fid}", f="html", taal=tl(lang))
    return f'<a href="{e(href)}">{e(fid)}</a>'


def collection_link(cid: str, lang: str) -> str:
    return f'<a href="{e(url("/collections/" + cid, f="html", taal=tl(lang)))}">{e(cid)}</a>'


def pager_word(rel: str, lang: str) -> str:
    return pick(lang, "volgende", "next") if rel == "next" else pick(lang, "vorige", "previous")


def tl(lang: str) -> str | None:
    return lang if lang != "nl" else None


# ------------------------------------------------------------------ routes
bp = Blueprint("ogc", __name__, url_prefix=PREFIX)


def language() -> str:
    value = request.args.get("taal")
    return value if value in ("nl", "en") else "nl"


def answer(doc: dict, fmt: str, kind: str, ctx, col=None, json_type="application/json", crs=None):
    return respond(render(doc, fmt, kind, ctx, col), fmt, json_type, crs)


def render(doc: dict, fmt: str, kind: str, ctx, col=None) -> bytes:
    """The body of a document in ``fmt``: the HTML page or the JSON."""
    if fmt == "html":
        return as_html(kind, doc, language(), ctx, col).encode("utf-8")
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def respond(body: bytes, fmt: str, json_type="application/json", crs=None) -> Response:
    if fmt == "html":
        return Response(body, mimetype="text/html")
    response = Response(body, content_type=json_type)
    if crs:
        response.headers["Content-Crs"] = f"<{crs}>"
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data, read-only
    return response


def shared(ctx, fmt: str, kind: str, make_doc, col=None, json_type="application/json", crs=None):
    """The answer of a valid request (checked before: an error is never kept) whose document
    depends on nothing but the data version, path, query and public URL: built once per data
    version and server (``pagecache.shared_answer``, bounded), then a lookup. The key holds
    the format chosen (``f``, or the Accept header without it) instead of ``f``."""
    from dashboard import pagecache

    query = urlencode(sorted((k, v) for k, v in request.args.items() if k != "f"))
    key = f"ogc {request.path}?{query} {fmt} {public_base_url()}"
    body = pagecache.shared_answer(ctx, key, lambda: render(make_doc(), fmt, kind, ctx, col))
    return respond(body, fmt, json_type, crs)


def check_language() -> str:
    value = request.args.get("taal")
    if value not in (None, "nl", "en"):
        raise bad("nl", "taal is nl of en.", "taal is nl or en.")
    return language()


def collection_or_404(collection_id: str, lang: str) -> Collection:
    col = COLLECTIONS.get(collection_id)
    if col is None:
        raise ApiError(
            404,
            "NotFound",
            pick(
                lang,
                f"Collectie '{collection_id[:40]}' bestaat niet; wel: {', '.join(COLLECTIONS)}.",
                f"No collection '{collection_id[:40]}'; there are: {', '.join(COLLECTIONS)}.",
            ),
        )
    return col


@bp.errorhandler(ApiError)
def api_error(exc: ApiError):
    body = {"code": exc.code, "description": exc.message}
    response = Response(json.dumps(body, ensure_ascii=False), status=exc.status)
    response.mimetype = "application/json"
    return response


@bp.route("", strict_slashes=False)
@bp.route("/")
def landing_page():
    lang = check_language()
    query = parse_query(request.args, None, lang, items=False)
    ctx = data.get_context()
    return shared(ctx, query["f"], "landing", partial(landing, ctx, lang, query["f"]))


@bp.route("/conformance")
def conformance():
    lang = check_language()
    query = parse_query(request.args, None, lang, items=False)
    doc = {"conformsTo": CONFORMANCE}
    return answer(doc, query["f"], "conformance", data.get_context())


@bp.route("/collections")
def collections():
    lang = check_language()
    query = parse_query(request.args, None, lang, items=False)
    ctx = data.get_context()
    return shared(ctx, query["f"], "collections", partial(collections_doc, ctx, lang, query["f"]))


@bp.route("/collections/<collection_id>")
def collection(collection_id: str):
    lang = check_language()
    col = collection_or_404(collection_id, lang)
    query = parse_query(request.args, None, lang, items=False)
    ctx = data.get_context()
    doc = partial(collection_doc, ctx, col, lang, query["f"])
    return shared(ctx, query["f"], "collection", doc, col)


@bp.route("/collections/<collection_id>/items")
def items(collection_id: str):
    lang = check_language()
    col = collection_or_404(collection_id, lang)
    query = parse_query(request.args, col, lang, items=True)
    ctx = data.get_context()
    crs = query["crs"] if col.level else None
    doc = partial(items_doc, ctx, col, query, lang)
    return shared(ctx, query["f"], "items", doc, col, GEOJSON, crs)


@bp.route("/collections/<collection_id>/items/<path:feature_id>")
def item(collection_id: str, feature_id: str):
    lang = check_language()
    col = collection_or_404(collection_id, lang)
    query = parse_query(request.args, col, lang, items=False)
    query["crs"] = crs_param(request.args.get("crs"), "crs", lang)
    ctx = data.get_context()
    doc = item_doc(ctx, col, feature_id, query, lang)
    return answer(doc, query["f"], "item", ctx, col, GEOJSON, query["crs"] if col.level else None)


@bp.route("/openapi")
def openapi():
    lang = check_language()
    query = parse_query(request.args, None, lang, items=False)
    doc = openapi_doc(data.get_context())
    if query["f"] == "html" and request.args.get("f") == "html":
        rows = [
            [e(path), e(", ".join(p["name"] for p in spec["get"]["parameters"]))]
            for path, spec in doc["paths"].items()
        ]
        body = table_html("OpenAPI", [pick(lang, "Pad", "Path"), "Parameters"], rows)
        return Response(html_page("OpenAPI 3.0", body, lang, url("/openapi")), mimetype="text/html")
    return Response(json.dumps(doc), content_type=OPENAPI)


def init_app(server) -> None:
    """Mount the API at /ogc."""
    server.register_blueprint(bp)
