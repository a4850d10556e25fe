"""Boundaries of Hengelo: load, validate, derive, simplify for the web."""

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"
EXPECTED_AREA_HA = 6183.0
