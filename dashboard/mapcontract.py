"""The map page's contract with ``assets/kaart.js``, defined once.

The map page sends the browser four payloads: the *areas* payload (once, in the layout: area
codes and names, geometry URLs, indicator options, words, per-indicator *meta* and the
*constants* below), the *view* payload (on every switch: values, classes, statuses, legend),
and the *period list* (the period picker). Their shape is written here as ``TypedDict``s; the
JSON Schema in ``assets/map-contract.json`` is generated from them (``python3 -m
dashboard.mapcontract`` rewrites it; ``tests/test_map_contract.py`` fails when it is stale, when
a real payload does not match it, or when ``kaart.js`` reads a key or id it does not define).

Everything the browser would otherwise repeat from Python travels in :func:`map_constants`:
the element ids, the URL parameter names, the colours, the number locale and the status codes.
So ``kaart.js`` holds no rule of its own: it formats numbers with the locale and decimals it is
given, reads each area's status from a code, and labels periods from ``periodLabels``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Literal, NotRequired

from pydantic import ConfigDict, Field, TypeAdapter, with_config
from typing_extensions import TypedDict  # pydantic reads only this one on Python 3.11

from dashboard import ids
from dashboard.figures import (
    FOCUS_COLOUR,
    LINE_COLOUR,
    SELECTED_COLOUR,
    MapView,
    class_string,
    rounded,
    value_suffix,
)
from dashboard.i18n import DEFAULT_LANGUAGE, pick
from indicators import mapstate
from indicators.classify import MISSING_COLOUR
from indicators.formatting import LOCALES, UNIT_LABEL

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "assets" / "map-contract.json"
MAP_BACKGROUND = "#f4f4f1"  # the map's ground where no area is drawn
# 100 rows: Hengelo's 62 buurten stay one page (sortable, complete); a national map pages
TABLE_PAGE_SIZE = 100
LABEL_COLOUR, HALO_COLOUR = "#1a1a1a", "#ffffff"  # area names on the map, with a white halo
HATCH_COLOUR = "#6b6b6b"  # hatching of the change mode's untestable class (changemap.py)
LANG_PARAM = "taal"

# One character per area in the view payload's ``statuses`` (like ``classes``): the status of
# every area is sent, so the browser infers nothing.
STATUS_CODES = {
    "published": "p",
    "derived": "d",
    "missing": "-",
    "suppressed": "s",
    "secret": "x",
    "insufficient_coverage": "i",
}
STATUS_KEYS = tuple(STATUS_CODES)

# The elements kaart.js finds by id (every one of them is in the map page's layout).
ELEMENT_IDS = {
    "canvas": ids.MAP_CANVAS,
    "panel": ids.MAP_PANEL,
    "tableHead": ids.MAP_TABLE_HEAD,
    "tableBody": ids.MAP_TABLE_BODY,
    "tablePager": ids.MAP_TABLE_PAGER,
    "png": ids.MAP_PNG,
    "selected": ids.MAP_SELECTED,
    "sort": ids.MAP_SORT,
    "zoomTo": ids.MAP_ZOOM_TO,
    "description": ids.MAP_DESCRIPTION,
    "search": ids.MAP_SEARCH,
    "clear": ids.MAP_CLEAR,
}

Level = Literal["wijk", "buurt"]
Status = Literal["published", "derived", "missing", "suppressed", "secret", "insufficient_coverage"]
FORBID = ConfigDict(extra="forbid")
Colour = Annotated[str, Field(pattern="^#[0-9a-f]{6}$")]
ClassString = Annotated[str, Field(pattern="^[0-9-]*$")]
StatusString = Annotated[str, Field(pattern=f"^[{re.escape(''.join(STATUS_CODES.values()))}]*$")]


@with_config(FORBID)
class ChangeInfo(TypedDict):
    """The change mode of a view (dashboard/changemap.py): the two periods compared, the
    legend's note and the URL parameters that keep the mode (``weergave``, ``van``, ``tot``;
    null: left out)."""

    periodFrom: str
    periodTo: str
    note: str  # the legend's note (instead of "darker = more concern")
    method: str  # the tests, named under the legend (instead of the classification)
    url: dict[str, str | None]
    notes: list[str]  # the distinct verdicts in words, with the test or the reason
    noteOf: list[int | None]  # per area (the level's order): its verdict in ``notes``
    hatchClass: int  # the class drawn hatched (not testable), never by colour alone


@with_config(FORBID)
class ViewPayload(TypedDict):
    """One (indicator, level, period, language): what a switch sends (under 1 KB at 62 buurten).

    ``values``, ``classes`` and ``statuses`` are in the order of the level's area codes;
    ``classes`` holds one digit per area (``-`` without a class), ``statuses`` one status code
    per area (:data:`STATUS_CODES`); ``coverage`` maps an area's position to ``"n/total"`` for
    values derived from buurten."""

    indicator: str
    level: Level
    period: str | None
    periodLabel: str | None  # only when it reads differently from ``period`` (a month)
    chosenPeriod: str | None  # the period the user chose instead of the default (for the URL)
    ageYears: int | None  # the age of an old figure, else None
    values: list[float | None]
    classes: ClassString
    statuses: StatusString
    colours: list[Colour]
    legend: list[str]
    source: str
    coverage: dict[str, str] | None
    change: NotRequired[ChangeInfo]  # only in the change mode: values are differences
    urlIndicator: NotRequired[str]  # a rate (?maat=per1000): the count's id for the URL
    measure: NotRequired[str]  # "per1000" in a rate view


@with_config(FORBID)
class IndicatorMeta(TypedDict):
    """What is fixed per indicator (sent once, in the areas payload)."""

    unit: str  # the unit's label, for the column header
    decimals: int
    suffix: str  # written after every number ("%" for percentages)
    hoverUnit: str  # written after the number in the hover text
    polarity: Literal["higher_worse", "higher_better", "neutral"]
    method: str  # the classification, named under the legend


@with_config(FORBID)
class LevelAreas(TypedDict):
    """The areas of one level, in the order every view payload uses."""

    codes: list[str]
    names: list[str]
    wijk: list[str]  # the name of the wijk each area lies in


@with_config(FORBID)
class Option(TypedDict):
    label: str
    value: str
    disabled: NotRequired[bool]


@with_config(FORBID)
class MapText(TypedDict):
    """The words the legend, table, hover and period picker need, in the page's language."""

    col_area: str
    col_value: str
    col_difference: str  # the value column's head in the change mode
    col_class: str
    col_note: str
    no_data: str
    legend_darker: str
    legend_darker_neutral: str
    level_wijk: str
    level_buurt: str
    wijk_col: str
    focus: str
    of: str
    buurten: str
    period_latest: str  # with "{period}"
    period_default: str  # with "{period}"
    age: str  # with "{n}"
    zoom_in: str  # the map's zoom buttons
    table_rows: str  # with "{first}", "{last}" and "{n}"
    table_pages: str  # the name of the page buttons' group
    page_first: str
    page_previous: str
    page_next: str
    page_last: str
    zoom_out: str
    map_region: str  # the map's name, with "{indicator}" and "{level}"
    map_alt: str  # the map's description, with "{indicator}" and "{level}"


@with_config(FORBID)
class GeometryUrls(TypedDict):
    wijk: str
    buurt: str


@with_config(FORBID)
class Colours(TypedDict):
    missing: Colour
    line: Colour
    selected: Colour
    focus: Colour
    background: Colour
    label: Colour  # the area names on the map
    halo: Colour  # around the names (contrast 17:1 with label)
    hatch: Colour  # the lines over the change mode's untestable areas (4.5:1 on white)


@with_config(FORBID)
class ElementIds(TypedDict):
    canvas: str
    panel: str
    tableHead: str
    tableBody: str
    tablePager: str
    png: str
    selected: str
    sort: str
    zoomTo: str
    description: str
    search: str
    clear: str  # in the panel while an area is chosen


@with_config(FORBID)
class UrlNames(TypedDict):
    indicator: str
    level: str
    period: str
    area: str
    measure: str
    lang: str


@with_config(FORBID)
class MapConstants(TypedDict):
    """What the browser would otherwise repeat from Python."""

    levels: list[Level]
    ids: ElementIds
    url: UrlNames
    colours: Colours
    statusCodes: dict[str, Status]  # code -> status
    locale: str  # the BCP 47 tag numbers are formatted in (Intl.NumberFormat)
    defaultLang: str  # the language a URL need not name
    switchLang: str  # the language the language switch leads to
    tablePageSize: int  # rows per page of the table under the map


@with_config(FORBID)
class AreasPayload(TypedDict):
    """Sent once, in the layout; made once per loaded data and language."""

    wijk: LevelAreas
    buurt: LevelAreas
    geo: GeometryUrls
    tegels: GeometryUrls  # the PMTiles archive per level (/tegels/<level>.pmtiles?v=...)
    bounds: list[float]  # [west, south, east, north]
    outlineZoom: dict[str, int]  # level -> the zoom from which its outlines are drawn
    focus: list[str]  # wijk codes outlined
    tiles: list[str] | None
    attribution: str | None
    lang: str
    options: dict[str, list[Option]]  # level -> indicator picker
    text: MapText
    status: dict[str, str]  # status -> its word in the table
    labels: dict[str, str]  # indicator -> label
    meta: dict[str, IndicatorMeta]  # indicator -> what is fixed per indicator
    periodLabels: dict[str, str]  # period -> how it reads, where that differs (months)
    constants: MapConstants


# The period picker: [periods newest first, position of the default].
PeriodList = tuple[list[str], int]

PAYLOADS = {"view": ViewPayload, "areas": AreasPayload, "periods": PeriodList}


def map_constants(lang: str) -> MapConstants:
    """The constants of the contract in ``lang``.

    >>> map_constants("en")["url"]["level"], map_constants("nl")["locale"]
    ('niveau', 'nl-NL')
    """
    return {
        "levels": list(mapstate.LEVELS),
        "ids": ElementIds(**ELEMENT_IDS),
        "url": UrlNames(**mapstate.URL_NAMES, lang=LANG_PARAM),
        "colours": Colours(
            missing=MISSING_COLOUR,
            line=LINE_COLOUR,
            selected=SELECTED_COLOUR,
            focus=FOCUS_COLOUR,
            background=MAP_BACKGROUND,
            label=LABEL_COLOUR,
            halo=HALO_COLOUR,
            hatch=HATCH_COLOUR,
        ),
        "statusCodes": {code: status for status, code in STATUS_CODES.items()},
        "locale": LOCALES.get(lang, LOCALES[DEFAULT_LANGUAGE]).replace("_", "-"),
        "defaultLang": DEFAULT_LANGUAGE,
        "switchLang": pick(lang, "en", DEFAULT_LANGUAGE),
        "tablePageSize": TABLE_PAGE_SIZE,
    }


def status_string(statuses: list[str]) -> str:
    """The status of every area as one code each (see :data:`STATUS_CODES`).

    >>> status_string(["published", "missing", "derived", "suppressed"])
    'p-ds'
    """
    return "".join(STATUS_CODES[s] for s in statuses)


def view_payload(view: MapView, decimals: int, age_years: int | None) -> ViewPayload:
    """The view the browser draws, by named keys: values rounded as shown, the class and the
    status of each area (one character each), legend colours and labels, source line and
    period. What is fixed per indicator travels once, in the areas payload
    (:func:`indicator_meta`); so a switch at 62 buurten stays under 1 KB."""
    coverage = {str(i): c for i, c in enumerate(view.coverage) if c}
    label = view.period_label or view.period
    return {
        "indicator": view.indicator,
        "level": view.level,
        "period": view.period,
        "periodLabel": label if label != view.period else None,
        "chosenPeriod": view.chosen_period,
        "ageYears": age_years,
        "values": rounded(view.values, decimals),
        "classes": class_string(view.class_index),
        "statuses": status_string(view.status),
        "colours": list(view.colours),
        "legend": [lbl for _, lbl in view.legend[: len(view.colours)]],
        "source": view.source_line,
        "coverage": coverage or None,
    }


def indicator_meta(ind, lang: str, method_label: str) -> IndicatorMeta:
    """What the browser needs per indicator besides the values (sent once, in the layout)."""
    unit = UNIT_LABEL[ind["unit"]][lang]
    suffix = value_suffix(ind["unit"])
    return {
        "unit": unit,
        "decimals": int(ind["decimals"]),
        "suffix": suffix,
        "hoverUnit": "" if suffix else " " + unit,
        "polarity": ind["polarity"],
        "method": method_label,
    }


def json_schema() -> dict:
    """The JSON Schema of every payload (``$defs``), written from the ``TypedDict``s above."""
    defs: dict = {}
    properties = {}
    for name, payload in PAYLOADS.items():
        schema = TypeAdapter(payload).json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        title = schema.get("title", name)
        if "title" in schema:
            defs[title] = schema
            properties[name] = {"$ref": f"#/$defs/{title}"}
        else:
            properties[name] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "/assets/map-contract.json",
        "title": "Wijkveiligheid map payloads (dashboard/mapcontract.py)",
        "description": "Generated by `python3 -m dashboard.mapcontract`; do not edit.",
        "type": "object",
        "properties": properties,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    """The schema as the asset file holds it."""
    return json.dumps(json_schema(), indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    """Write the schema asset (run after changing a payload type)."""
    path.write_text(schema_text(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_schema())
