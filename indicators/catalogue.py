"""The typed indicator catalogue and source list, checked when loaded."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ValidationError, field_validator, model_validator

from geodata.gemeente import GEMEENTE
from indicators.textcheck import text_problem

HERE = Path(__file__).parent
CATALOGUE_FILE = HERE / "catalogue.toml"
SOURCES_FILE = GEMEENTE.file("sources")
UNITS = ("pct", "per1000", "count", "ha", "per_km2", "persons")
# Units whose value grows with an area's size: never set against the gemeente's value.
SIZE_UNITS = frozenset({"count", "ha"})


def comparable(unit: str | None) -> bool:
    """Whether a value in ``unit`` can be set against the gemeente's value (the one rule).

    Counts and land area grow with an area's size, so a wijk's count is never judged against
    the gemeente's; rates, shares and densities are.

    >>> comparable("per1000"), comparable("pct"), comparable("count"), comparable("ha")
    (True, True, False, False)
    """
    return unit not in SIZE_UNITS


class CatalogueError(ValueError):
    """A catalogue or source file breaks a rule; the message names file, entry and field."""


class Indicator(BaseModel, extra="forbid"):
    id: str
    label_nl: str
    label_en: str
    explanation_nl: str
    explanation_en: str
    theme: str
    unit: Literal["pct", "per1000", "count", "ha", "per_km2", "persons"]
    polarity: Literal["higher_worse", "higher_better", "neutral"]
    levels: list[Literal["buurt", "wijk", "gemeente"]]
    public: bool
    min_n: int = 0
    source: str
    aggregation: Literal["sum", "weighted", "ratio", "none"]
    weight: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    factor: float = 1.0
    decimals: int = 0
    frequency: Literal["year", "month"] = "year"
    # map classes (mapclassify): Fisher-Jenks natural breaks, or head/tail breaks for
    # heavy-tailed figures; quantiles as before
    classification: Literal["fisher_jenks", "head_tail", "quantiles"] = "fisher_jenks"

    @field_validator("id", "label_nl", "label_en", "explanation_nl", "explanation_en", "theme")
    @classmethod
    def _no_invisible_characters(cls, text: str) -> str:
        """Staff type these (Nieuwe indicator): an invisible character is refused, not kept."""
        problem = text_problem(text)
        if problem:
            raise ValueError(problem)
        return text

    @model_validator(mode="after")
    def _aggregation_fields(self):
        if self.aggregation == "weighted" and not self.weight:
            raise ValueError("aggregation 'weighted' needs a 'weight'")
        if self.aggregation == "ratio" and not (self.numerator and self.denominator):
            raise ValueError("aggregation 'ratio' needs 'numerator' and 'denominator'")
        if not self.id.isidentifier():
            raise ValueError("id must be letters, digits and underscores")
        return self


class Source(BaseModel, extra="forbid"):
    id: str
    publisher: str
    title: str
    title_en: str
    year: int
    licence: str
    attribution: str
    file: str
    notes: str = ""
    notes_en: str = ""


class UnitRange(BaseModel, extra="forbid"):
    id: str
    min: float
    max: float
    whole: bool

    @model_validator(mode="after")
    def _ordered(self):
        if not self.min <= self.max:
            raise ValueError("'min' must not exceed 'max'")
        return self


class Limit(BaseModel, extra="forbid"):
    indicator: str
    max: float


@dataclass(frozen=True)
class Range:
    """Plausible values of one unit or indicator: ``min`` to ``max``, whole numbers only when
    ``whole``."""

    min: float
    max: float
    whole: bool


@dataclass(frozen=True)
class Ranges:
    """The plausible range of every unit, and narrower maxima for some indicators."""

    units: dict[str, Range]
    limits: dict[str, float]

    def for_indicator(self, indicator_id: str, unit: str) -> Range:
        """The range of ``indicator_id`` (measured in ``unit``)."""
        base = self.units.get(unit) or self.units["count"]
        top = min(base.max, self.limits.get(indicator_id, base.max))
        return Range(base.min, top, base.whole)


def load_ranges(path: Path = CATALOGUE_FILE) -> Ranges:
    """Read and check the plausible ranges: every unit needs one, and so do respondents."""
    units = _load_entries(path, "unit", UnitRange)
    found = {u.id: Range(u.min, u.max, u.whole) for u in units}
    missing = [u for u in (*UNITS, "respondents") if u not in found]
    if missing:
        raise CatalogueError(f"{path.name}: geen [[unit]] met bereik voor {', '.join(missing)}")
    limits = tomllib.loads(path.read_text(encoding="utf-8")).get("limit", [])
    checked = {}
    for number, entry in enumerate(limits, start=1):
        try:
            limit = Limit(**entry)
        except ValidationError as exc:
            raise CatalogueError(f"{path.name}: limit #{number}: {exc.errors()[0]['msg']}") from exc
        checked[limit.indicator] = limit.max
    return Ranges(found, checked)


@lru_cache(maxsize=1)
def plausible_ranges() -> Ranges:
    """The ranges of the bundled catalogue (read once)."""
    return load_ranges()


def _load_entries(path: Path, key: str, model):
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get(key, [])
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path.name}: geen geldige TOML ({exc})") from exc
    items = []
    for number, entry in enumerate(entries, start=1):
        try:
            items.append(model(**entry))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "(entry)"
            raise CatalogueError(
                f"{path.name}: {key} #{number} ({entry.get('id', '?')}), veld '{field}': "
                f"{first['msg']}"
            ) from exc
    ids = [item.id for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CatalogueError(f"{path.name}: dubbele id's: {', '.join(duplicates)}")
    return items


def load_sources(path: Path = SOURCES_FILE) -> list[Source]:
    """Read and check the source list."""
    return _load_entries(path, "source", Source)


def load_catalogue(
    path: Path = CATALOGUE_FILE,
    sources: list[Source] | None = None,
) -> list[Indicator]:
    """Read and check the indicator catalogue; references to sources and bases must resolve."""
    indicators = _load_entries(path, "indicator", Indicator)
    known_sources = {s.id for s in (sources if sources is not None else load_sources())}
    ids = {i.id for i in indicators}
    for number, ind in enumerate(indicators, start=1):
        if ind.source not in known_sources:
            raise CatalogueError(
                f"{path.name}: indicator #{number} ({ind.id}), veld 'source': "
                f"onbekende bron {ind.source!r}"
            )
        for field in ("weight", "numerator", "denominator"):
            ref = getattr(ind, field)
            if ref and ref not in ids:
                raise CatalogueError(
                    f"{path.name}: indicator #{number} ({ind.id}), veld "
                    f"'{field}': onbekende indicator {ref!r}"
                )
    return indicators


def catalogue_frame(indicators: list[Indicator]) -> pd.DataFrame:
    """The catalogue as a DataFrame indexed by id (levels joined by commas)."""
    rows = [ind.model_dump() | {"levels": ",".join(ind.levels)} for ind in indicators]
    return pd.DataFrame(rows).set_index("id", drop=False)


def sources_frame(sources: list[Source]) -> pd.DataFrame:
    """The source list as a DataFrame indexed by id."""
    return pd.DataFrame([s.model_dump() for s in sources]).set_index("id", drop=False)
