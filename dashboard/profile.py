"""Pure builders of the wijk profile and theme panels: the loaded data in, plain records out."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.data import Context
from dashboard.i18n import label
from geodata.gemeente import GEMEENTE
from indicators import periods
from indicators.kpi import KpiStatus, area_kpi_status, kpi_status
from indicators.views import ProfileIndex, area_members


def slugify(name: str) -> str:
    """'Berflo Es' -> 'berflo-es'; accents and case do not matter."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def wijk_index(ctx: Context) -> pd.DataFrame:
    """Code, name and slug of every wijk."""
    wijken = ctx.areas["wijk"][["code", "name"]].copy()
    wijken["slug"] = wijken["name"].map(slugify)
    return wijken.reset_index(drop=True)


def resolve_wijk(ctx: Context, key: str | None) -> str | None:
    """A wijk code from a code (any case) or a name slug; None when it is not a wijk."""
    if not key:
        return None
    wijken = wijk_index(ctx)
    key = str(key).strip()
    if key.upper() in set(wijken["code"]):
        return key.upper()
    match = wijken[wijken["slug"] == slugify(key)]
    return match["code"].iloc[0] if len(match) else None


def resolve_buurt(ctx: Context, key: str | None) -> str | None:
    """A buurt code from a code (any case) or a name slug; None when it is not a buurt."""
    if not key:
        return None
    buurten = ctx.areas["buurt"]
    key = str(key).strip()
    if key.upper() in set(buurten["code"]):
        return key.upper()
    match = buurten[buurten["name"].map(slugify) == slugify(key)]
    return match["code"].iloc[0] if len(match) else None


def theme_index(ctx: Context) -> pd.DataFrame:
    return ctx.data.themes.sort_values("position").reset_index(drop=True)


# The columns of a profile's figures table (the page adds the source; the PDF has no room).
FIGURE_COLUMNS = (
    "col_indicator",
    "col_value",
    "col_hengelo",
    "col_difference",
    "col_judgement",
    "col_rank",
    "col_period",
)


@dataclass
class KpiRow:
    theme: str
    id: str
    text: str
    indicator: str | None
    target: str | None
    source: str | None
    note: str | None
    status: KpiStatus
    unit: str | None = None
    # 'area': the status of the area itself (against its own baseline); 'city': Hengelo's
    # (the theme pages); 'city_only': the area's page, but the KPI is measured for the whole
    # city only; 'other_areas': measured per wijk, but not for this one (``others`` lists the
    # wijken that have a figure); 'unmeasured': the KPI has no indicator in the data
    scope: str = "city"
    others: list[dict] = field(default_factory=list)


@dataclass
class WijkProfile:
    """Everything a district coordinator's one-page profile shows."""

    code: str
    name: str
    slug: str
    buurten: pd.DataFrame
    figures: pd.DataFrame
    trends: dict[str, pd.DataFrame]
    focus: dict | None
    themes: pd.DataFrame
    kpis: list[KpiRow]
    buurt_table: pd.DataFrame
    sources: pd.DataFrame
    n_wijken: int = 10
    notes: list[str] = field(default_factory=list)


def wijk_profile(ctx: Context, code: str, measure: str = "aantal") -> WijkProfile:
    """The profile of wijk ``code`` from public data only (suppression applied); with
    ``measure`` ``per1000`` its counts are shown per 1,000 inhabitants where a rate exists
    (:mod:`dashboard.pagerates`; the KPIs keep the figures the plan measures)."""
    from dashboard.pagerates import measured

    shown = measured(ctx, measure)
    catalogue = shown.catalogue
    wijken = wijk_index(ctx).set_index("code")
    buurten = ctx.areas["buurt"][ctx.areas["buurt"]["wijkcode"] == code][["code", "name"]]
    peers = list(wijken.index)
    figures = profile_index(ctx, shown.measure).frame(code, "wijk", peers)
    tables = profile_tables(ctx, shown.measure)
    figures = with_missing_rates(ctx.public_obs, shown, figures, code)
    columns = ["label_nl", "label_en", "unit", "decimals", "polarity", "theme"]
    attributes = pd.DataFrame({c: list(catalogue[c]) for c in columns}, index=list(catalogue["id"]))
    figures = figures.join(attributes, on="indicator_id")
    focus = _focus(ctx, code)
    theme_slugs = set(focus["themes"]) if focus else set()
    themes = theme_index(ctx)
    in_focus = themes["focus_wijken"].map(lambda v: code in json.loads(v))
    themes = themes[in_focus | themes["slug"].isin(theme_slugs)]
    kpis = [kpi for slug in themes["slug"] for kpi in theme_kpis(ctx, slug, area=code)]
    used_sources = (
        set(figures["source_id"])
        | ({"VM2015", "IVP2017"} if focus else set())
        | _kpi_sources(ctx, kpis)
    )
    return WijkProfile(
        code=code,
        name=wijken.loc[code, "name"],
        slug=wijken.loc[code, "slug"],
        buurten=buurten.reset_index(drop=True),
        figures=figures,
        trends=tables.trends(code),
        focus=focus,
        themes=themes.reset_index(drop=True),
        kpis=kpis,
        buurt_table=tables.buurt_table(list(buurten["code"])),
        sources=ctx.data.sources[ctx.data.sources["id"].isin(used_sources)],
        n_wijken=len(peers),
    )


def profile_index(ctx: Context, measure: str = "aantal") -> ProfileIndex:
    """The :class:`indicators.views.ProfileIndex` of the public figures under ``measure``,
    once per data version: every wijk page (and the map's panel) looks its profile up in it
    instead of filtering the figures per indicator."""
    from dashboard.pagerates import measured

    shown = measured(ctx, measure)

    def build() -> ProfileIndex:
        return ProfileIndex(shown.obs, shown.catalogue, members(ctx))

    return ctx.once(("profile-index", shown.measure), build)


def with_missing_rates(public_obs: pd.DataFrame, shown, figures: pd.DataFrame, code: str):
    """``figures`` (of :func:`area_profile`) with a row for every count of ``code`` whose
    rate cannot be made (no inhabitants that year, suppressed): value missing, its status
    and note kept, so the page says "—" and why instead of leaving the count out."""
    have = set(figures["indicator_id"]) if len(figures) else set()
    mine = public_obs[(public_obs["area_code"] == code) & public_obs["value"].notna()]
    extra = []
    for count, key in shown.rated.items():
        rows = mine[mine["indicator_id"] == count]
        if key in have or rows.empty:
            continue
        period = periods.latest(rows["period"])
        status, note = shown.cells.get((code, key, str(period)), ("missing", ""))
        source = rows.loc[rows["period"] == period, "source_id"].iloc[0]
        extra.append(_missing_row(key, period, status, note, source))
    if not extra:
        return figures
    order = {key: i for i, key in enumerate(shown.catalogue.index)}
    out = pd.concat([figures, pd.DataFrame(extra)], ignore_index=True)
    return out.sort_values("indicator_id", key=lambda c: c.map(order)).reset_index(drop=True)


def _missing_row(key: str, period, status: str, note: str, source: str) -> dict:
    return {
        "indicator_id": key,
        "period": period,
        "value": math.nan,
        "status": status,
        "note": note,
        "source_id": source,
        "reference": math.nan,
        "difference": math.nan,
        "judgement": "neutral",
        "method": None,
        "rank": None,
        "n_ranked": 0,
    }


def _focus(ctx: Context, code: str) -> dict | None:
    rows = ctx.data.focus_wijken[ctx.data.focus_wijken["code"] == code]
    if rows.empty:
        return None
    row = rows.iloc[0].to_dict()
    row["aandachtspunten"] = json.loads(row["aandachtspunten"])
    row["themes"] = json.loads(row["themes"])
    return row


def _chronological(column: pd.Series) -> pd.Series:
    return column.map(periods.sort_key)


def trends(obs: pd.DataFrame, code: str) -> dict[str, pd.DataFrame]:
    """Indicators with values in more than one period for ``code``: period, value, Hengelo."""
    mine = obs[(obs["area_code"] == code) & obs["value"].notna()]
    hengelo = obs[(obs["area_code"] == GEMEENTE.code) & obs["value"].notna()]
    out = {}
    for indicator, rows in mine.groupby("indicator_id", sort=False):
        if rows["period"].nunique() < 2:
            continue
        series = rows[["period", "value", "status"]].sort_values("period", key=_chronological)
        ref = hengelo[hengelo["indicator_id"] == indicator].set_index("period")["value"]
        series["hengelo"] = series["period"].map(ref)
        out[indicator] = series.reset_index(drop=True)
    return out


def buurt_table(obs: pd.DataFrame, catalogue: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Latest public value of every indicator with buurt data, one column per buurt."""
    rows = obs[(obs["level"] == "buurt") & obs["area_code"].isin(codes)]
    records = []
    for ind in catalogue.itertuples():
        mine = rows[rows["indicator_id"] == ind.id]
        if mine["value"].notna().sum() == 0:
            continue
        period = periods.latest(mine.loc[mine["value"].notna(), "period"])
        latest = mine[mine["period"] == period].set_index("area_code")["value"]
        records.append(
            {
                "indicator_id": ind.id,
                "period": period,
                **{c: latest.get(c, math.nan) for c in codes},
            }
        )
    return pd.DataFrame(records)


class ProfileTables:
    """:func:`trends` and :func:`buurt_table` over the figures split once per data version
    (:func:`profile_tables`): a wijk then costs lookups and one small frame per indicator,
    not a filter over all figures per indicator. ``tests/test_profile_fast.py`` holds both
    equal to those functions, which stay the rule."""

    def __init__(self, obs: pd.DataFrame, catalogue: pd.DataFrame):
        self.ids = list(catalogue["id"])
        self.columns = obs[["period", "value", "status"]]
        self.periods = list(obs["period"])
        self.at_buurt: dict = {}  # indicator -> [(buurt, period, value)], in obs order
        self.shown: dict = {}  # area -> {indicator: [positions of rows with a value]}
        self.hengelo: dict = {}  # (indicator, period) -> the gemeente's value
        columns = (obs[c] for c in ("indicator_id", "area_code", "period", "value", "level"))
        for i, (ind, area, period, value, level) in enumerate(zip(*columns, strict=True)):
            if level == "buurt":
                self.at_buurt.setdefault(ind, []).append((area, period, value))
            if value != value:  # NaN: no value
                continue
            self.shown.setdefault(area, {}).setdefault(ind, []).append(i)
            if area == GEMEENTE.code:
                self.hengelo[(ind, period)] = value

    def trends(self, code: str) -> dict[str, pd.DataFrame]:
        """What :func:`trends` gives for ``code``."""
        out = {}
        for indicator, rows in self.shown.get(code, {}).items():
            if len({self.periods[i] for i in rows}) < 2:
                continue
            rows = sorted(rows, key=lambda i: periods.sort_key(self.periods[i]))
            series = self.columns.take(rows).reset_index(drop=True)
            refs = [self.hengelo.get((indicator, self.periods[i]), math.nan) for i in rows]
            series["hengelo"] = np.array(refs, dtype=float)
            out[indicator] = series
        return out

    def buurt_table(self, codes: list[str]) -> pd.DataFrame:
        """What :func:`buurt_table` gives for the buurten ``codes``."""
        wanted, records = set(codes), []
        for indicator in self.ids:
            mine = [row for row in self.at_buurt.get(indicator, ()) if row[0] in wanted]
            with_value = [p for _, p, v in mine if v == v]
            if not with_value:
                continue
            period = periods.latest(with_value)
            latest = {area: v for area, p, v in mine if p == period}
            values = {c: latest.get(c, math.nan) for c in codes}
            records.append({"indicator_id": indicator, "period": period, **values})
        return pd.DataFrame(records)


def profile_tables(ctx: Context, measure: str = "aantal") -> ProfileTables:
    """The :class:`ProfileTables` of the public figures under ``measure``, once per data
    version."""
    from dashboard.pagerates import measured

    shown = measured(ctx, measure)

    def build() -> ProfileTables:
        return ProfileTables(shown.obs, shown.catalogue)

    return ctx.once(("profile-tables", shown.measure), build)


def members(ctx: Context) -> dict[str, list[str]]:
    """The buurten of every area (a buurt itself, a wijk its buurten, Hengelo all)."""
    buurten = ctx.areas["buurt"]
    return area_members(dict(zip(buurten["code"], buurten["wijkcode"], strict=True)))


def kpi_scope(obs: pd.DataFrame, indicator: str | None, area: str | None) -> str:
    """'city' for Hengelo's own page; on an area's page 'unmeasured' for a KPI without an
    indicator, 'area' when ``indicator`` has figures for ``area``, 'other_areas' when it has
    figures for other areas but not this one, else 'city_only' (measured city-wide only)."""
    if area in (None, GEMEENTE.code):
        return "city"
    if not indicator:
        return "unmeasured"
    rows = obs[(obs["indicator_id"] == indicator) & obs["value"].notna()]
    if (rows["area_code"] == area).any():
        return "area"
    return "other_areas" if (rows["area_code"] != GEMEENTE.code).any() else "city_only"


def other_area_figures(ctx: Context, indicator: str | None) -> list[dict]:
    """Name, value, period, unit and decimals of every wijk with a figure of ``indicator``,
    highest first (the per-wijk figures a KPI has for other wijken)."""
    obs = ctx.public_obs
    rows = obs[(obs["indicator_id"] == indicator) & (obs["level"] == "wijk") & obs["value"].notna()]
    names = ctx.areas["wijk"].set_index("code")["name"]
    ind = ctx.data.indicators.loc[indicator]
    return [
        {
            "name": names.get(r.area_code, r.area_code),
            "value": float(r.value),
            "period": str(r.period),
            "unit": ind["unit"],
            "decimals": int(ind["decimals"]),
        }
        for r in rows.sort_values("value", ascending=False).itertuples()
    ]


def _kpi_status(kpi: dict, obs: pd.DataFrame, scope: str, area: str | None) -> KpiStatus:
    """An area's own status (against its own baseline), else Hengelo's."""
    if scope in ("area", "unmeasured"):
        return area_kpi_status(kpi, obs, area)
    return kpi_status(kpi, obs, area=GEMEENTE.code)


def _kpi_sources(ctx: Context, kpis: list[KpiRow]) -> set[str]:
    """The sources of the figures the KPIs quote: their status (of the wijk or of Hengelo)
    and the figures of the wijken measured."""
    indicators = {k.indicator for k in kpis if k.indicator}
    if not indicators:
        return set()
    obs = ctx.public_obs
    quoted = obs["indicator_id"].isin(indicators) & obs["level"].isin(["wijk", "gemeente"])
    return set(obs.loc[quoted & obs["value"].notna(), "source_id"].dropna())


def theme_kpis(ctx: Context, slug: str, area: str | None = None) -> list[KpiRow]:
    """The KPIs of a theme with their status computed from the data: of ``area`` against its
    own baseline where the KPI's indicator has figures for it, else of Hengelo (the scope says
    which, see :class:`KpiRow`)."""
    kpis = ctx.data.kpis[ctx.data.kpis["theme"] == slug].sort_values("position")
    if "kind" in kpis:
        kpis = kpis[kpis["kind"].fillna("kpi") == "kpi"]
    out = []
    for kpi in kpis.to_dict("records"):
        kpi = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in kpi.items()}
        scope = kpi_scope(ctx.public_obs, kpi.get("indicator"), area)
        out.append(
            KpiRow(
                theme=slug,
                id=kpi["id"],
                text=kpi["text"],
                indicator=kpi.get("indicator"),
                target=kpi.get("target"),
                source=kpi.get("source"),
                note=kpi.get("baseline_note") or kpi.get("target_note"),
                status=_kpi_status(kpi, ctx.public_obs, scope, area),
                unit=kpi.get("unit"),
                scope=scope,
                others=other_area_figures(ctx, kpi.get("indicator"))
                if scope == "other_areas"
                else [],
            )
        )
    return out


def theme_measure_items(ctx: Context, slug: str) -> list[str]:
    """The theme's measurement items: counts to keep, without baseline or target."""
    kpis = ctx.data.kpis[ctx.data.kpis["theme"] == slug].sort_values("position")
    if "kind" not in kpis:
        return []
    return list(kpis.loc[kpis["kind"] == "measure", "text"])


def theme_status_counts(ctx: Context, slug: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kpi in theme_kpis(ctx, slug):
        counts[kpi.status.status] = counts.get(kpi.status.status, 0) + 1
    return counts


def indicator_label(ctx: Context, indicator: str, lang: str) -> str:
    return label(ctx.data.indicators.loc[indicator], lang)


def fit_zoom(bounds, width_px: float = 620, height_px: float = 420) -> float:
    """A web-mercator zoom that fits ``bounds`` (minx, miny, maxx, maxy in degrees)."""
    minx, miny, maxx, maxy = bounds
    mid = math.radians((miny + maxy) / 2)
    dlon = max(maxx - minx, 1e-4)
    dlat = max((maxy - miny) / math.cos(mid), 1e-4)
    zoom_x = math.log2(360 / dlon * width_px / 512)  # MapLibre: 512 px tiles
    zoom_y = math.log2(360 / dlat * height_px / 512)
    return round(min(zoom_x, zoom_y) - 0.25, 2)


def normalise(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces: 'Ñoord-Oost' -> 'noord oost'."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def search_areas(ctx: Context, query: str | None, limit: int | None = 8) -> list[dict]:
    """The first ``limit`` (None: all) of :func:`dashboard.areasearch.find_areas`: buurten
    and wijken by name (accent- and case-insensitive, partial) or code."""
    from dashboard.areasearch import find_areas  # it reads normalise from here

    return find_areas(ctx, query)[:limit]
