"""Complementary suppression: no suppressed figure can be worked back from a total minus the
other parts (made-up fixture figures; the catalogue is the real one)."""

import dataclasses
import io

import numpy as np
import pandas as pd
import pytest

from dashboard import data as data_module
from indicators.catalogue import catalogue_frame, load_catalogue
from indicators.complementary import groups, protect_cells
from indicators.privacy import public_observations

PARENTS = {"B1": "W1", "B2": "W1", "B3": "W1", "B4": "W2", "W1": "G", "W2": "G"}
INDICATOR = "vm_onveilig_buurt"  # survey figure with min_n 100 (fixture values are made up)


def row(code, level, value, n, status="published"):
    return {
        "area_code": code,
        "level": level,
        "indicator_id": INDICATOR,
        "period": "2019",
        "value": value,
        "n": n,
        "margin": np.nan,
        "source_id": "VM2015",
        "status": status,
        "coverage_n": np.nan,
        "coverage_total": np.nan,
        "coverage_share": np.nan,
        "note": "",
    }


def public(rows, parents=PARENTS):
    catalogue = catalogue_frame(load_catalogue())
    out = public_observations(pd.DataFrame(rows), catalogue, parents=parents)
    return out.set_index("area_code")


def test_a_total_minus_its_other_parts_never_reveals_a_suppressed_buurt():
    out = public(
        [
            row("B1", "buurt", 31.0, 40),  # primary: too few respondents
            row("B2", "buurt", 22.0, 150),
            row("B3", "buurt", 18.0, 300),
            row("W1", "wijk", 21.0, 490, "derived"),
        ]
    )
    assert out.loc["B1", "status"] == "suppressed"
    assert out.loc["B3", "status"] == "suppressed"  # next-smallest value hidden too
    assert np.isnan(out.loc["B3", "value"]) and "aanvullend onderdrukt" in out.loc["B3", "note"]
    assert out.loc["B2", "value"] == 22.0 and out.loc["W1", "value"] == 21.0


def test_without_protection_the_other_parts_stay():
    out = public(
        [row("B1", "buurt", 31.0, 40), row("B2", "buurt", 22.0, 150)],
        parents={},
    )
    assert out.loc["B2", "value"] == 22.0


def test_a_lone_hidden_part_hides_its_total_and_that_protects_the_gemeente_too():
    out = public(
        [
            row("B4", "buurt", 30.0, 20),  # the only buurt of W2, suppressed
            row("W2", "wijk", 30.0, 20, "derived"),  # suppressed itself (n < 100)
            row("W1", "wijk", 20.0, 500),
            row("G", "gemeente", 21.0, 520),
        ]
    )
    assert out.loc["W2", "status"] == "suppressed"
    # Hengelo minus W1 would give W2 away: with no other wijk shown, the total goes
    assert out.loc["G", "status"] == "suppressed" and np.isnan(out.loc["G", "value"])


def test_a_missing_value_gives_no_protection():
    out = public(
        [
            row("B1", "buurt", 31.0, 40),
            row("B2", "buurt", np.nan, np.nan, "missing"),
            row("B3", "buurt", 18.0, 300),
            row("W1", "wijk", 21.0, 490, "derived"),
        ]
    )
    # a derived total holds only the parts with a value: W1 minus B3 would still give B1
    assert out.loc["B3", "status"] == "suppressed"
    assert out.loc["B2", "status"] == "missing"


@pytest.mark.parametrize(
    "values,status,expected",
    [
        ({"W": 9, "A": 1, "B": 2}, {"W": "d", "A": "suppressed", "B": "p"}, {"B"}),
        ({"W": 9, "A": 1}, {"W": "d", "A": "suppressed"}, {"W"}),
        ({"W": 9, "A": 1, "B": 2}, {"W": "suppressed", "A": "suppressed", "B": "p"}, set()),
        ({"A": 1, "B": 2}, {"A": "suppressed", "B": "p"}, set()),  # no total shown
    ],
)
def test_protect_cells(values, status, expected):
    assert protect_cells(values, status, [("W", ["A", "B"])]) == expected


def test_groups_include_the_gemeente_over_all_buurten():
    assert ("G", ["B1", "B2", "B3", "B4"]) in groups(PARENTS)


@pytest.fixture()
def one_wijk_suppressed(context, monkeypatch):
    """The real data plus made-up 2019 survey figures for every wijk and Hengelo, one wijk
    with too few respondents."""
    wijken = list(context.areas["wijk"]["code"])
    rows = [row(code, "wijk", 20.0 + i, 400) for i, code in enumerate(wijken)]
    rows[0] = row(wijken[0], "wijk", 47.3, 50)
    rows.append(row("GM0164", "gemeente", 23.0, 4000))
    obs = pd.concat([context.data.observations, pd.DataFrame(rows)], ignore_index=True)
    leaky = data_module.build_context(dataclasses.replace(context.data, observations=obs))
    monkeypatch.setattr(data_module, "get_context", lambda *a, **k: leaky)
    return wijken, leaky


def test_public_downloads_hide_the_complementary_cell(client, one_wijk_suppressed):
    wijken, leaky = one_wijk_suppressed
    smallest = wijken[1]  # 21.0: the next-smallest shown wijk
    shown = leaky.public_obs.query(f"indicator_id == '{INDICATOR}' and period == '2019'")
    hidden = set(shown.loc[shown["status"] == "suppressed", "area_code"])
    assert hidden == {wijken[0], smallest}
    csv = pd.read_csv(io.BytesIO(client.get("/data/cijfers.csv").data), dtype={"period": str})
    mine = csv[(csv["indicator_id"] == INDICATOR) & (csv["period"] == "2019")]
    assert smallest not in set(mine.loc[mine["value"].notna(), "area_code"])
    assert "47.3" not in client.get("/data/cijfers.csv").get_data(as_text=True)
    ogc = client.get(
        f"/ogc/collections/cijfers/items?f=json&area={smallest}&indicator={INDICATOR}&period=2019"
    )
    assert ogc.status_code == 200
    values = [f["properties"].get("value") for f in ogc.get_json()["features"]]
    assert values and all(v is None for v in values)
