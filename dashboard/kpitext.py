"""What a KPI's status and scope say, in words: one function for the wijk page and its PDF."""

from __future__ import annotations

from dashboard.components import status_words
from dashboard.i18n import t
from dashboard.profile import KpiRow
from indicators.formatting import format_value
from indicators.periods import format_period


def kpi_status_text(kpi: KpiRow, lang: str) -> str:
    """The status in words ('op koers', 'geen nulmeting voor deze wijk', ...)."""
    return status_words(kpi.status.status, lang)


def kpi_scope_text(kpi: KpiRow, area_name: str, lang: str) -> str:
    """Whose status it is and why: the area's own, or Hengelo's when the KPI is measured for
    the whole city only or not for this wijk (then naming the wijken that have a figure)."""
    if kpi.scope == "city_only":
        return t("kpi_city_only", lang)
    if kpi.scope == "other_areas":
        return t("kpi_other_areas", lang, area=area_name, figures=_figures(kpi, lang))
    if kpi.scope == "city":
        return t("kpi_city_status", lang)
    return t("kpi_area_status", lang, area=area_name)


def kpi_line(kpi: KpiRow, area_name: str, lang: str) -> str:
    """Status and scope on one line, as the PDF prints them after the KPI's text."""
    return f"{kpi_status_text(kpi, lang)} ({kpi_scope_text(kpi, area_name, lang)})"


def _figures(kpi: KpiRow, lang: str) -> str:
    """'Buitengebied 32%, Hasseler Es 13% (2011)': the other wijken's figures and period."""
    parts = [
        f"{other['name']} {format_value(other['value'], other['unit'], other['decimals'], lang)}"
        for other in kpi.others
    ]
    years = sorted({other["period"] for other in kpi.others})
    when = ", ".join(format_period(p, lang) for p in years)
    return f"{', '.join(parts)} ({when})" if parts else "–"
