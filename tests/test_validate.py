"""Boundary validation on tiny made-up coverages."""

import shapely

from geodata.derive import dissolve_gemeente, dissolve_wijken
from geodata.validate import BoundaryValidationError, boundary_problems, validate_boundaries
from geodata.web import max_deviation_m, simplify_coverage

from conftest import square

WIJKEN = {"WK016400": "Een", "WK016401": "Twee"}


def problems(gdf):
    # the tiny coverage is 4 ha, far from Hengelo's 6,183 ha: ignore that one rule here
    return [p for p in boundary_problems(gdf, WIJKEN) if "oppervlakte" not in p]


def test_tiny_coverage_is_sound(tiny_buurten):
    assert problems(tiny_buurten) == []


def test_area_rule_names_the_expected_total(tiny_buurten):
    text = " ".join(boundary_problems(tiny_buurten, WIJKEN))
    assert "6.183" in text or "6,183" in text


def test_bad_code(tiny_buurten):
    tiny_buurten.loc[0, "buurtcode"] = "BU99"
    assert any("BU99" in p for p in problems(tiny_buurten))


def test_buurt_in_wrong_wijk(tiny_buurten):
    tiny_buurten.loc[0, "wijkcode"] = "WK016401"
    assert any("WK016400" in p for p in problems(tiny_buurten))


def test_duplicate_code(tiny_buurten):
    tiny_buurten.loc[1, "buurtcode"] = "BU01640000"
    assert any("meer dan eens" in p for p in problems(tiny_buurten))


def test_missing_name(tiny_buurten):
    tiny_buurten.loc[2, "buurtnaam"] = " "
    assert any("geen naam" in p for p in problems(tiny_buurten))


def test_overlap(tiny_buurten):
    tiny_buurten.loc[1, "geometry"] = square(50, 0)
    assert any("overlappen" in p for p in problems(tiny_buurten))


def test_gap(tiny_buurten):
    tiny_buurten.loc[3, "geometry"] = shapely.box(100, 100, 200, 200).difference(
        shapely.box(100, 100, 110, 110)
    )
    found = problems(tiny_buurten)
    assert any("gaten" in p for p in found)


def test_invalid_geometry(tiny_buurten):
    bowtie = shapely.Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])
    tiny_buurten.loc[0, "geometry"] = bowtie
    assert any("ongeldige" in p for p in problems(tiny_buurten))


def test_unprojected_crs(tiny_buurten):
    assert (
        "metrisch" in boundary_problems(tiny_buurten.set_crs(4326, allow_override=True), WIJKEN)[0]
    )


def test_validate_raises_with_every_problem(tiny_buurten):
    tiny_buurten.loc[0, "buurtnaam"] = ""
    try:
        validate_boundaries(tiny_buurten, WIJKEN)
    except BoundaryValidationError as exc:
        assert len(exc.problems) >= 2
        assert "geen naam" in str(exc)
    else:
        raise AssertionError("expected BoundaryValidationError")


def test_dissolve_nests(tiny_buurten):
    import pandas as pd

    wijken = dissolve_wijken(
        tiny_buurten, pd.DataFrame({"wijkcode": list(WIJKEN), "wijknaam": list(WIJKEN.values())})
    )
    assert list(wijken["n_buurten"]) == [2, 2]
    assert wijken.geometry.area.sum() == tiny_buurten.geometry.area.sum()
    assert dissolve_gemeente(tiny_buurten).geometry.area.iloc[0] == 40000


def test_simplification_deviation_is_measured(tiny_buurten):
    simple = simplify_coverage(tiny_buurten, 1.0)
    assert max_deviation_m(tiny_buurten, simple) == 0.0
