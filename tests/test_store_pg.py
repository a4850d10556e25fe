"""The PostGIS store on a real PostgreSQL + PostGIS server (Debian's packages, a private server
per session, see tests/pg.py): same data as the embedded store, PostGIS layers a GIS client can
read, outages become StoreUnavailable and are survived, moving an embedded store in.
Numbers in the imports are made up (test data only)."""

from __future__ import annotations

import dataclasses
import shutil
import threading

import pandas as pd
import pytest
import shapely
from pg import make_postgis_store, running_cluster

from conftest import PASSWORD, made_up_indicator

IMPORT_CSV = b"gebied,indicator,periode,waarde\nBU01640000,inwoners,2019,1234\n"


def embedded_copy(store_path, tmp_path):
    """A private copy of the session's embedded store (fresh internal database)."""
    from indicators.stores import open_store

    path = tmp_path / "embedded.gpkg"
    shutil.copy(store_path, path)
    return open_store(path)


def import_figures(store, content=IMPORT_CSV, user="medewerker"):
    from indicators.staff import parse_for_store

    parsed = parse_for_store(store.read_data(), content, "cijfers.csv")
    assert parsed.ok, parsed.issues
    return store.commit_import(parsed, user, "cijfers.csv", content, "Testbron (verzonnen)")


@pytest.mark.parametrize("after_import", [False, True])
def test_read_data_is_the_same_as_from_the_embedded_store(
    store_path, tmp_path, request, after_import
):
    stores = [embedded_copy(store_path, tmp_path), make_postgis_store(request)]
    if after_import:  # the derived tables are recomputed: same values and dtypes again
        for store in stores:
            import_figures(store)
            import_figures(store, b"gebied,indicator,periode,waarde\nWK016401,inwoners,2019,77\n")
            store.undo_import(1, "medewerker")
    embedded, postgis = (store.read_data() for store in stores)
    for field in dataclasses.fields(embedded):
        a, b = getattr(embedded, field.name), getattr(postgis, field.name)
        if field.name == "meta":
            assert a["source_fingerprint"] == b["source_fingerprint"]
        elif field.name == "geometry_version":  # each backend has its own kind of version
            assert a and b
        elif hasattr(a, "geometry"):
            assert list(a.columns) == list(b.columns) and a.crs == b.crs
            pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
            assert shapely.equals_exact(a.geometry.values, b.geometry.values, 1e-6).all()
        else:
            pd.testing.assert_frame_equal(a, b, obj=field.name)


def test_layers_are_real_postgis_geometry_with_index(request):
    import psycopg

    store = make_postgis_store(request)
    with psycopg.connect(store.url) as con:
        srids = dict(con.execute("SELECT f_table_name, srid FROM geometry_columns").fetchall())
        valid = con.execute("SELECT bool_and(ST_IsValid(geom)), count(*) FROM buurt").fetchone()
        area = con.execute("SELECT sum(ST_Area(geom)) / 1e6 FROM gemeente").fetchone()[0]
        indexes = con.execute(
            "SELECT count(*) FROM pg_indexes WHERE indexdef ILIKE '%USING gist%'"
        ).fetchone()[0]
    assert srids == {
        "buurt": 28992,
        "wijk": 28992,
        "gemeente": 28992,
        "web_buurt": 4326,
        "web_wijk": 4326,
    }
    assert valid == (True, 62)
    assert 55 < area < 70  # Hengelo is about 62 km²
    assert indexes == 5


def test_import_is_one_transaction_and_changes_the_version(request, monkeypatch):
    import psycopg

    store = make_postgis_store(request)
    before = store.data_version()

    def table_oid():
        with psycopg.connect(store.url) as con:
            return con.execute("SELECT 'observation'::regclass::oid").fetchone()[0]

    oid = table_oid()
    number = import_figures(store)
    assert store.data_version() != before
    assert table_oid() == oid  # rows replaced, not the table: safe for concurrent readers
    obs = store.read_data().observations
    row = obs[(obs.area_code == "BU01640000") & (obs.period == "2019")]
    assert row["value"].tolist() == [1234]
    # a failing write (the recomputation breaks) leaves nothing behind
    version = store.data_version()

    from indicators.stores import build

    def broken(*args, **kwargs):
        raise RuntimeError("stop halfway")

    monkeypatch.setattr(build, "effective_tables", broken)
    with pytest.raises(RuntimeError, match="stop halfway"):
        import_figures(store)
    monkeypatch.undo()
    assert store.data_version() == version
    assert store.import_log()["id"].tolist() == [number]


def test_login_lockout_is_exact_across_store_objects(request):
    """Two PostgisStore objects (as two instances) hammer one user name at once."""
    from indicators.stores.postgis import PostgisStore

    first = make_postgis_store(request)
    first.add_user("medewerker", PASSWORD)
    second = PostgisStore(first.url)
    request.addfinalizer(second.close)
    results = []

    def attempt(store):
        results.append(store.check_login("medewerker", "fout-wachtwoord-123", "192.0.2.7"))

    threads = [threading.Thread(target=attempt, args=(s,)) for s in [first, second] * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(not r.locked for r in results) == 5
    assert second.check_login("medewerker", PASSWORD, "192.0.2.9").locked
    assert first.check_login("medewerker", PASSWORD, "198.51.100.1").user is not None


def test_a_preview_is_taken_once(request):
    from indicators.stores.postgis import PostgisStore

    first = make_postgis_store(request)
    second = PostgisStore(first.url)
    request.addfinalizer(second.close)
    first.put_preview("tok", "medewerker", {"rows": [1, 2], "naam": "cijfers.csv"}, 60)
    assert second.take_preview("tok", "iemand-anders") is None
    assert second.take_preview("tok", "medewerker") == {"rows": [1, 2], "naam": "cijfers.csv"}
    assert first.take_preview("tok", "medewerker") is None


def test_try_lock_is_exclusive_across_store_objects(request):
    from indicators.stores.postgis import PostgisStore

    first = make_postgis_store(request)
    second = PostgisStore(first.url)
    with first.try_lock("refresh") as got:
        assert got
        with second.try_lock("refresh") as other:
            assert not other
    with second.try_lock("refresh") as got:
        assert got


@pytest.fixture()
def own_cluster():
    """A separate server for the outage test (the session's keeps running)."""
    yield from running_cluster()


def test_outage_is_a_clear_error_and_is_survived(own_cluster):
    from indicators.stores.base import StoreUnavailable
    from indicators.stores.postgis import PostgisStore

    store = PostgisStore(own_cluster.create_database())
    store.add_user("medewerker", PASSWORD)
    own_cluster.stop()
    with pytest.raises(StoreUnavailable, match="niet bereikbaar"):
        store.users()
    with pytest.raises(StoreUnavailable):
        store.data_version()
    own_cluster.start()
    assert [u.username for u in store.users()] == ["medewerker"]
    store.close()


def test_unreachable_database_is_a_clear_error():
    from indicators.stores.base import StoreUnavailable
    from indicators.stores.postgis import PostgisStore

    store = PostgisStore("postgresql://nobody@127.0.0.1:9/none")
    with pytest.raises(StoreUnavailable, match="niet bereikbaar"):
        store.ping()
    assert "password" not in store.describe()
    store.close()


def test_migrate_copies_an_embedded_store(store_path, tmp_path, request):
    from indicators.stores.base import StaffError
    from indicators.stores.migrate import migrate

    source = embedded_copy(store_path, tmp_path)
    source.add_user("admin", PASSWORD, "admin")
    number = import_figures(source)
    source.define_indicator(made_up_indicator("test_tellers"))
    source.record_refresh("ok", "3 tabellen opgehaald")
    target = make_postgis_store(request)
    counts = migrate(source, target)
    assert counts["users"] == 1 and counts["imports"] == 1 and counts["layers"]["buurt"] == 62
    assert [u.username for u in target.users()] == ["admin"]
    assert target.check_login("admin", PASSWORD, "127.0.0.1").user is not None
    assert target.import_log()["id"].tolist() == [number]
    assert "test_tellers" in target.read_data().indicators.index
    pd.testing.assert_frame_equal(source.read_data().observations, target.read_data().observations)
    assert target.last_refresh()["detail"] == "3 tabellen opgehaald"
    target.undo_import(number, "admin")  # the copy works on its own
    with pytest.raises(StaffError, match="al gebruikers of imports"):
        migrate(source, target)


def test_cli_migrate_then_serve_from_postgis(store_path, tmp_path, pg_url, capsys, monkeypatch):
    from dashboard.cli import main
    from indicators.stores.postgis import PostgisStore

    source = embedded_copy(store_path, tmp_path)
    source.add_user("admin", PASSWORD, "admin")
    monkeypatch.delenv("WIJKVEILIGHEID_DATABASE_URL", raising=False)
    assert main(["--store", str(source.path), "migrate", "--to", pg_url]) == 0
    assert "1 gebruikers" in capsys.readouterr().out
    assert main(["--store", str(source.path), "migrate", "--to", pg_url]) == 1
    assert "--replace" in capsys.readouterr().err
    assert main(["--store", str(source.path), "migrate", "--to", "sqlite:///x"]) == 2
    target = PostgisStore(pg_url)
    assert target.problems() == [] and [u.username for u in target.users()] == ["admin"]
    target.close()
    monkeypatch.setenv("WIJKVEILIGHEID_DATABASE_URL", pg_url)
    assert main(["check"]) == 0


def test_the_postgis_tables_follow_the_one_column_list(request):
    """The PostgreSQL columns and types are the schema's list, as in the GeoPackage."""
    import psycopg

    from indicators.stores import schema

    store = make_postgis_store(request)
    with psycopg.connect(store.url) as con:
        for name, columns in schema.COLUMNS.items():
            stored = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = %s AND column_name <> 'fid' ORDER BY ordinal_position",
                (name,),
            ).fetchall()
            assert stored == [(c.name, schema.pg_type(c.type)) for c in columns], name
