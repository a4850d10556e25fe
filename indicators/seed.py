"""The seed transcriptions: G32 benchmark 2015, IVP themes and KPIs, focus wijken, budget."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ValidationError, model_validator

from geodata.gemeente import GEMEENTE
from indicators.catalogue import CatalogueError

G32_FILE = GEMEENTE.file("g32")
G32_CAPACITY_FILE = GEMEENTE.file("g32_capacity")
THEMES_FILE = GEMEENTE.file("themes")
FOCUS_FILE = GEMEENTE.file("focus_wijken")
BUDGET_FILE = GEMEENTE.file("budget")
G32_RECOMMENDATIONS_FILE = GEMEENTE.file("g32_recommendations")
BUDGET_META_FILE = GEMEENTE.file("budget_meta")
G32_MIN, G32_MEAN, G32_MAX = 10, 100, 150
G32_PARTICIPANTS = GEMEENTE.g32_participants  # the report's participants (configuration)


class Kpi(BaseModel, extra="forbid"):
    id: str
    text: str
    indicator: str | None = None
    baseline: float | None = None
    baseline_period: str | None = None
    baseline_note: str | None = None
    target: str | None = None
    target_note: str | None = None
    direction: Literal["lower_or_equal", "higher_or_equal"] | None = None
    source: str | None = None
    # the unit of baseline and target ('count' for numbers of measures or groups, never a
    # percentage by default); a KPI with an indicator takes the indicator's unit
    unit: Literal["pct", "count", "per1000", "eur"] | None = None
    # 'measure': an item of "Hoe gaan we dat meten?" without baseline or target (a count to
    # keep), shown as a measurement item, not as a KPI with a status
    kind: Literal["kpi", "measure"] = "kpi"

    @model_validator(mode="after")
    def _unit_known(self):
        if self.baseline is not None and not self.unit and not self.indicator:
            raise ValueError(f"KPI {self.id}: a baseline needs a unit (or an indicator)")
        if self.kind == "measure" and (self.baseline is not None or self.target):
            raise ValueError(f"KPI {self.id}: a measurement item has no baseline or target")
        return self


class Theme(BaseModel, extra="forbid"):
    slug: str
    number: str
    title_nl: str
    title_en: str
    urgent: bool
    phase: Literal[1, 2]
    lead: str
    about: str
    about_en: str
    goals: list[str]
    needs: list[str]
    who: str
    costs: str
    cost_amounts_eur: list[float] = []
    measure: list[str]
    focus_wijken: list[str]
    kpi: list[Kpi] = []
    # a table of partners the document gives (theme 2.8: internal and external), with where
    partners_intern: list[str] = []
    partners_extern: list[str] = []
    partners_source: str = ""


class FocusWijk(BaseModel, extra="forbid"):
    code: str
    slug: str
    source: str
    year: int
    aandachtspunten: list[str]
    themes: list[str]
    # False when the document lists no aandachtspunten for this wijk and the points are taken
    # from elsewhere in it (the Binnenstad: theme 2.2); pages say so
    listed_by_document: bool = True


def _load_toml(path: Path, key: str, model) -> list:
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8"))[key]
        return [model(**entry) for entry in entries]
    except (tomllib.TOMLDecodeError, KeyError, ValidationError) as exc:
        raise CatalogueError(f"{path.name}: {exc}") from exc


def load_themes(path: Path = THEMES_FILE) -> list[Theme]:
    """The eight IVP themes, in seed order."""
    return _load_toml(path, "theme", Theme)


def load_focus_wijken(path: Path = FOCUS_FILE) -> list[FocusWijk]:
    """The four focus wijken with their aandachtspunten."""
    return _load_toml(path, "wijk", FocusWijk)


def load_g32(path: Path = G32_FILE) -> pd.DataFrame:
    """G32 2015 scores as a hierarchy (kernvariabele > hoofdthema > aspect)."""
    g32 = pd.read_csv(path, dtype={"parent_id": str, "dimension": str})
    parents = set(g32["id"])
    orphans = g32[g32["parent_id"].notna() & ~g32["parent_id"].isin(parents)]
    if not orphans.empty:
        raise CatalogueError(f"{path.name}: onbekende parent_id bij {list(orphans['id'])}")
    scored = g32[g32["status"] == "score"]
    bad = scored[~scored["score"].between(G32_MIN, G32_MAX)]
    if not bad.empty or scored["score"].isna().any():
        raise CatalogueError(f"{path.name}: score buiten {G32_MIN}..{G32_MAX}: {list(bad['id'])}")
    return g32


def load_g32_capacity(path: Path = G32_CAPACITY_FILE) -> pd.DataFrame:
    """Table 2.1 of the G32 report: OOV capacity in fte and its benchmark score."""
    return pd.read_csv(path)


def load_budget(
    path: Path = BUDGET_FILE, meta: Path = BUDGET_META_FILE
) -> tuple[pd.DataFrame, dict]:
    """Budget 2017 lines and a check of the stated total against their sum."""
    lines = pd.read_csv(path)
    info = tomllib.loads(meta.read_text(encoding="utf-8"))
    total = float(lines["amount_eur"].sum())
    check = {
        "stated_total_eur": float(info["stated_total_eur"]),
        "sum_of_lines_eur": total,
        "difference_eur": total - float(info["stated_total_eur"]),
        "seed_section": info["seed_section"],
        "note": info.get("note", ""),
    }
    return lines, check


def load_g32_recommendations(path: Path = G32_RECOMMENDATIONS_FILE) -> pd.DataFrame:
    """The report's recommendations ("Vervolg") with the IVP themes they concern."""
    recs = pd.read_csv(path)
    slugs = {t.slug for t in load_themes()}
    for row in recs.itertuples():
        unknown = set(row.ivp_themes.split(";")) - slugs
        if unknown:
            raise CatalogueError(f"{path.name}: {row.id} verwijst naar onbekende thema's {unknown}")
    return recs
