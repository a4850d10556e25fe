"""The GeoPackage store: round trip, idempotent rebuild, clear errors for bad stores."""

import sqlite3

import pandas as pd
import pyogrio
import pytest

from indicators.catalogue import CatalogueError, load_catalogue
from indicators.store import StoreError
from indicators.stores import build, open_store, schema


def test_round_trip(store_path):
    data = open_store(store_path).read_data()
    assert len(data.buurten) == 62 and len(data.wijken) == 10
    assert data.buurten.crs.to_epsg() == 28992
    assert data.web_buurten.crs.to_epsg() == 4326
    assert len(data.indicators) >= 20
    assert len(data.themes) == 8
    assert open_store(store_path).problems() == []


def test_store_is_a_geopackage_qgis_can_list(store_path):
    layers = dict(pyogrio.list_layers(store_path))
    for name in schema.GEOMETRY_LAYERS:
        assert name in layers
    with sqlite3.connect(store_path) as con:
        kinds = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents"))
    assert kinds["observation"] == "attributes"
    assert kinds["buurt"] == "features"


def test_rebuild_is_idempotent(tmp_path, store_path):
    again = tmp_path / "again.gpkg"
    open_store(again).build()
    a, b = open_store(store_path).read_data(), open_store(again).read_data()
    pd.testing.assert_frame_equal(a.observations, b.observations)
    pd.testing.assert_frame_equal(a.g32, b.g32)
    assert a.meta["source_fingerprint"] == b.meta["source_fingerprint"]
    open_store(again).build()  # a rebuild over an existing store replaces it whole
    pd.testing.assert_frame_equal(open_store(again).read_data().observations, a.observations)


def test_missing_store_says_how_to_build(tmp_path):
    with pytest.raises(StoreError, match="wijkveiligheid build"):
        open_store(tmp_path / "nope.gpkg").read_data()


def test_corrupt_store_says_how_to_rebuild(tmp_path):
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    problems = open_store(bad).problems()
    assert problems and "wijkveiligheid build" in problems[0]
    with pytest.raises(StoreError, match="wijkveiligheid build"):
        open_store(bad).read_data()


def test_store_missing_a_table_is_reported(tmp_path, store_path):
    copy = tmp_path / "copy.gpkg"
    copy.write_bytes(store_path.read_bytes())
    with sqlite3.connect(copy) as con:
        con.execute("DROP TABLE g32_score")
        con.execute("DELETE FROM gpkg_contents WHERE table_name = 'g32_score'")
    assert any("g32_score" in p for p in open_store(copy).problems())


def test_failed_build_leaves_old_store_untouched(tmp_path, store_path, monkeypatch):
    target = tmp_path / "keep.gpkg"
    target.write_bytes(store_path.read_bytes())
    before = target.read_bytes()

    def broken():
        raise ValueError("kapot bronbestand")

    monkeypatch.setattr(build, "build_frames", broken)
    with pytest.raises(ValueError):
        open_store(target).build()
    assert target.read_bytes() == before
    assert list(tmp_path.glob("*.gpkg")) == [target]


def test_catalogue_error_names_file_entry_and_field(tmp_path):
    bad = tmp_path / "catalogue.toml"
    bad.write_text(
        '[[indicator]]\nid = "x"\nlabel_nl = "X"\nlabel_en = "X"\n'
        'explanation_nl = ""\nexplanation_en = ""\ntheme = "t"\nunit = "parsecs"\n'
        'polarity = "neutral"\nlevels = ["wijk"]\npublic = true\nsource = "CBS_KWB2024"\n'
        'aggregation = "none"\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=r"catalogue.toml: indicator #1 \(x\), veld 'unit'"):
        load_catalogue(bad)


def test_catalogue_unknown_source(tmp_path):
    bad = tmp_path / "catalogue.toml"
    bad.write_text(
        '[[indicator]]\nid = "x"\nlabel_nl = "X"\nlabel_en = "X"\n'
        'explanation_nl = ""\nexplanation_en = ""\ntheme = "t"\nunit = "pct"\n'
        'polarity = "neutral"\nlevels = ["wijk"]\npublic = true\nsource = "NOPE"\n'
        'aggregation = "none"\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match="onbekende bron 'NOPE'"):
        load_catalogue(bad)


def test_an_outdated_store_is_rebuilt_on_load_keeping_staff_state(staff_store):
    """After an update of the repository the running app rebuilds the store (as `serve`
    does) instead of showing an error; users and imports survive."""
    import json
    import sqlite3

    from dashboard import data
    from indicators import staff

    content = b"gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;21\n"
    parsed = staff.parse_for_store(staff_store, content, "m.csv", None)
    staff_store.commit_import(parsed, "admin", "m.csv", content, "Test")
    with sqlite3.connect(staff_store.path) as con:
        con.execute(
            "UPDATE store_meta SET value = ? WHERE key = 'source_fingerprint'",
            (json.dumps("0000000000000000"),),
        )
    assert staff_store.problems(deep=False)  # outdated
    data.reset()
    ctx = data.get_context()
    assert staff_store.problems(deep=False) == []
    assert staff_store.check_login("admin", "een-lang-testwachtwoord", "127.0.0.1").user
    obs = ctx.data.observations
    row = obs[(obs["area_code"] == "WK016402") & (obs["period"] == "2019")]
    assert row["value"].tolist() == [21]


def declared_tables():
    return sorted(schema.COLUMNS)


def test_the_geopackage_tables_follow_the_one_column_list(base_store):
    """The GeoPackage's columns and types are the schema's list (no second schema)."""
    with sqlite3.connect(base_store.path) as con:
        for name in declared_tables():
            stored = [(r[1], r[2]) for r in con.execute(f'PRAGMA table_info("{name}")')]
            declared = [(c.name, c.type) for c in schema.COLUMNS[name]]
            assert stored == [("fid", "INTEGER"), *declared], name


def test_the_import_columns_come_from_the_column_list(monkeypatch):
    from indicators.imports import parse_import

    parsed = parse_import(b"", "leeg.csv", pd.DataFrame(), pd.DataFrame(), set())
    assert list(parsed.rows.columns) == schema.import_columns()
    extra = schema.Column("betrouwbaarheid", "REAL")  # a column added in one place ...
    columns = dict(schema.COLUMNS)
    columns["import_observation"] = (*schema.COLUMNS["import_observation"], extra)
    monkeypatch.setattr(schema, "COLUMNS", columns)
    assert schema.import_columns()[-1] == "betrouwbaarheid"  # ... reaches the import
    parsed = parse_import(b"", "leeg.csv", pd.DataFrame(), pd.DataFrame(), set())
    assert list(parsed.rows.columns)[-1] == "betrouwbaarheid"
    assert schema.column_types("import_observation")["betrouwbaarheid"] == "REAL"
    assert "betrouwbaarheid" in schema.empty_state()["import_observation"].columns


@pytest.mark.parametrize(
    "value,kind,stored",
    [(2019, "TEXT", "2019"), (12.0, "TEXT", "12.0"), ("1.5", "REAL", 1.5), (3.0, "INTEGER", 3)]
    + [(1, "BOOLEAN", True), (float("nan"), "REAL", None), (None, "TEXT", None)],
)
def test_values_take_their_column_type_before_either_backend_writes(value, kind, stored):
    assert schema.to_type(value, kind) == stored


def test_a_fraction_in_a_whole_number_column_is_refused():
    with pytest.raises(ValueError, match="whole number"):
        schema.to_type(2.5, "INTEGER")
