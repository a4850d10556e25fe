"""Boundaries of the gemeente: load, validate, derive, simplify for the web."""

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"
