"""Indicator catalogue, observations, derivation and the seed transcriptions."""

LEVELS = ("buurt", "wijk", "gemeente")
OBSERVATION_COLUMNS = [
    "area_code",
    "level",
    "indicator_id",
    "period",
    "value",
    "n",
    "margin",
    "source_id",
    "status",
    "coverage_n",
    "coverage_total",
    "coverage_share",
    "note",
]
