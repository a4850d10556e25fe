"""Reading the store again after a change (issue 16): a worker that reloads after an import
hands its previous data in, and the geometry layers are taken over instead of read and parsed
again, unless a layer was written since (a build). Runs on both backends (the ``store``
fixture). Figures in this file are made up (test data only)."""

import pandas as pd
from pandas.testing import assert_frame_equal

from indicators import staff

CONTENT = b"gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;23\n"
LAYERS = ("buurten", "wijken", "web_buurten", "web_wijken")


def test_an_import_keeps_the_geometry_version_and_lends_the_layers(store):
    first = store.read_data()
    assert first.geometry_version and first.geometry_version == store.geometry_version()
    parsed = staff.parse_for_store(store, CONTENT, "m.csv")
    store.commit_import(parsed, "anna", "m.csv", CONTENT, "Test")
    assert store.geometry_version() == first.geometry_version
    again = store.read_data(previous=first)
    for name in LAYERS:
        assert getattr(again, name) is getattr(first, name)  # not read again
    obs = again.observations
    mine = obs[(obs["area_code"] == "WK016402") & (obs["indicator_id"] == "vm_onveilig_buurt")]
    assert 23 in mine["value"].tolist()  # the figures are read anew
    plain = store.read_data()
    for name in LAYERS:
        assert_frame_equal(pd.DataFrame(getattr(again, name)), pd.DataFrame(getattr(plain, name)))
    assert_frame_equal(again.observations, plain.observations)


def test_a_build_writes_the_layers_and_they_are_read_again(store):
    first = store.read_data()
    store.build()
    assert store.geometry_version() != first.geometry_version
    again = store.read_data(previous=first)
    for name in LAYERS:
        assert getattr(again, name) is not getattr(first, name)
        assert_frame_equal(pd.DataFrame(getattr(again, name)), pd.DataFrame(getattr(first, name)))


def test_data_of_an_unknown_geometry_version_lends_nothing(store):
    first = store.read_data()
    first.geometry_version = ""
    again = store.read_data(previous=first)
    assert all(getattr(again, name) is not getattr(first, name) for name in LAYERS)


def test_an_unbuilt_or_emptied_postgis_store_does_not_exist(pg_url):
    """PostgisStore.exists is one statement now (asked with every version check): a missing
    store_meta table and an empty one both say "not built"; a built store exists."""
    import psycopg

    from indicators.stores.postgis import PostgisStore

    store = PostgisStore(pg_url)
    try:
        assert store.exists() is False  # no store_meta table yet
        store.ping()  # the failed statement left the pooled connection usable
        with psycopg.connect(pg_url, autocommit=True) as con:
            con.execute("CREATE TABLE store_meta (fid serial, key text, value text)")
        assert store.exists() is False
        with psycopg.connect(pg_url, autocommit=True) as con:
            con.execute("INSERT INTO store_meta (key, value) VALUES ('built_at', '\"x\"')")
        assert store.exists() is True
    finally:
        store.close()
