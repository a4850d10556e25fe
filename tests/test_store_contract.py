"""The Store interface: the same behaviour tests for every backend (the ``store`` fixture runs
each test on the embedded store and, when PostgreSQL is installed, on PostGIS). Figures in
these files are made up (test data only)."""

import time

import pandas as pd
import pytest

from indicators import staff
from indicators.stores import StaffError, base
from indicators.stores.base import MAX_FAILURES, REFRESH_DETAIL_MAX

from conftest import PASSWORD, second_store

CONTENT = b"gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;21\n"


def load(store, content: bytes = CONTENT) -> int:
    parsed = staff.parse_for_store(store, content, "m.csv")
    assert parsed.ok, parsed.issues
    return store.commit_import(parsed, "anna", "m.csv", content, "Test")


def value_of(store, area="WK016402", indicator="vm_onveilig_buurt", period="2019"):
    obs = store.read_data().observations
    row = obs[
        (obs["area_code"] == area) & (obs["indicator_id"] == indicator) & (obs["period"] == period)
    ]
    return row["value"].tolist()


def test_import_and_undo_change_the_figures_and_the_data_version(store):
    before_value = value_of(store)
    v0 = store.data_version()
    assert store.data_version() == v0  # reading does not change it
    number = load(store)
    v1 = store.data_version()
    assert v1 != v0
    assert value_of(store) == [21]
    log = store.import_log()
    assert log.iloc[0]["id"] == number and log.iloc[0]["user"] == "anna"
    assert log.iloc[0]["n_rows"] == 1
    store.undo_import(number, "anna")
    assert store.data_version() not in (v0, v1)
    assert value_of(store) == before_value
    with pytest.raises(StaffError, match="al ongedaan"):
        store.undo_import(number, "anna")
    with pytest.raises(StaffError, match="bestaat niet"):
        store.undo_import(999, "anna")
    assert len(store.state_tables()["import_observation"]) == 1  # kept for the audit


def test_a_buurt_import_updates_the_derived_wijk(store):
    data = store.read_data()
    buurten = data.buurten[data.buurten["wijkcode"] == "WK016400"]["buurtcode"].tolist()
    lines = ["gebied;indicator;periode;waarde"] + [f"{b};inwoners;2021;100" for b in buurten]
    load(store, ("\n".join(lines) + "\n").encode())
    obs = store.read_data().observations
    wijk = obs[
        (obs["area_code"] == "WK016400")
        & (obs["indicator_id"] == "inwoners")
        & (obs["period"] == "2021")
    ]
    assert wijk["value"].tolist() == [100 * len(buurten)]
    assert wijk["status"].tolist() == ["derived"]


def test_a_failing_import_writes_nothing(store, monkeypatch):
    """The import rows are inserted, then deriving the wijk values fails: the transaction is
    rolled back and nothing of the import remains."""
    from indicators.stores import build

    v0 = store.data_version()
    parsed = staff.parse_for_store(store, CONTENT, "m.csv")

    def broken(*args, **kwargs):
        raise RuntimeError("afleiden mislukt")

    monkeypatch.setattr(build, "effective_tables", broken)
    with pytest.raises(RuntimeError, match="afleiden mislukt"):
        store.commit_import(parsed, "anna", "m.csv", CONTENT, "Test")
    monkeypatch.undo()
    assert store.import_log().empty
    assert all(frame.empty for frame in store.state_tables().values())
    assert store.data_version() == v0


def test_define_indicator_then_import_it(store):
    fields = {
        "id": "vm_test_indicator",
        "label_nl": "Test",
        "label_en": "Test",
        "explanation_nl": "Test.",
        "explanation_en": "Test.",
        "theme": "veilige-wijken",
        "unit": "pct",
        "polarity": "higher_worse",
        "levels": ["wijk"],
        "public": True,
        "source": "VM2015",
        "frequency": "year",
    }
    v0 = store.data_version()
    assert store.define_indicator(fields) == "vm_test_indicator"
    assert store.data_version() != v0
    assert "vm_test_indicator" in store.read_data().indicators.index
    with pytest.raises(StaffError, match="bestaat al"):
        store.define_indicator(fields)
    with pytest.raises(StaffError, match="Onbekende bron"):
        store.define_indicator(fields | {"id": "vm_other", "source": "NOPE"})
    load(store, b"gebied;indicator;periode;waarde\nWK016402;vm_test_indicator;2019;7\n")
    assert value_of(store, indicator="vm_test_indicator") == [7]


def test_rebuild_keeps_users_imports_and_indicators(store):
    store.add_user("anna", PASSWORD, "admin")
    load(store)
    v = store.data_version()
    store.build()
    assert store.data_version() != v
    assert [u.username for u in store.users()] == ["anna"]
    assert value_of(store) == [21]
    assert store.problems(deep=False) == []


def test_users_are_checked_and_never_show_their_hash(store):
    store.add_user("Anna", PASSWORD, "admin")
    (user,) = store.users()
    assert (user.username, user.role) == ("anna", "admin")
    assert not hasattr(user, "password_hash")
    with pytest.raises(StaffError, match="minstens"):
        store.add_user("piet", "kort")
    with pytest.raises(StaffError, match="Gebruikersnaam"):
        store.add_user("x y", PASSWORD)
    with pytest.raises(StaffError, match="Rol"):
        store.add_user("piet", PASSWORD, "god")
    store.add_user("anna", PASSWORD + "2", "staff")  # replace password and role
    assert [(u.username, u.role) for u in store.users()] == [("anna", "staff")]
    assert store.check_login("anna", PASSWORD + "2", "10.0.0.1").user is not None
    store.remove_user("anna")
    assert store.users() == []
    with pytest.raises(StaffError, match="bestaat niet"):
        store.remove_user("anna")


def test_exactly_five_failures_lock_a_name_per_address_block(store):
    store.add_user("anna", PASSWORD)
    for _ in range(MAX_FAILURES):
        result = store.check_login("anna", "fout-wachtwoord-123", "192.0.2.10")
        assert result.user is None and not result.locked
    locked = store.check_login("anna", PASSWORD, "192.0.2.99")  # same /24 block
    assert locked.user is None and locked.locked
    other_block = store.check_login("anna", PASSWORD, "198.51.100.1")
    assert other_block.user is not None
    # a second store object (another worker or instance) sees the same count
    other = second_store(store)
    assert other is not store
    assert other.check_login("ANNA ", PASSWORD, "192.0.2.10").locked
    other.close()


def test_a_right_password_clears_the_failures(store):
    store.add_user("anna", PASSWORD)
    for _ in range(MAX_FAILURES - 1):
        store.check_login("anna", "fout-wachtwoord-123", "192.0.2.10")
    assert store.check_login("anna", PASSWORD, "192.0.2.10").user is not None
    for _ in range(MAX_FAILURES - 1):
        store.check_login("anna", "fout-wachtwoord-123", "192.0.2.10")
    assert store.check_login("anna", PASSWORD, "192.0.2.10").user is not None


def test_unknown_users_are_throttled_too(store):
    for _ in range(MAX_FAILURES):
        assert store.check_login("niemand", "x" * 12, "2001:db8::1").user is None
    assert store.check_login("niemand", "x" * 12, "2001:db8::2").locked  # same /64


def test_sessions_end_on_logout_password_reset_and_removal(store):
    store.add_user("anna", PASSWORD, "admin")
    token = store.create_session("anna")
    assert store.session(token).username == "anna"
    assert store.session("not-a-token") is None and store.session(None) is None
    store.end_session(token)
    assert store.session(token) is None
    first, second = store.create_session("anna"), store.create_session("anna")
    store.set_password("anna", PASSWORD + "-nieuw")
    assert store.session(first) is None and store.session(second) is None
    third = store.create_session("anna")
    store.remove_user("anna")
    assert store.session(third) is None
    store.add_user("anna", PASSWORD)
    assert store.session(third) is None  # a new user of the same name gets no old session


def test_an_expired_session_is_refused(store):
    store.add_user("anna", PASSWORD)
    token = store.create_session("anna", ttl_s=-1)
    assert store.session(token) is None


def test_a_preview_is_taken_once_and_only_by_its_owner(store):
    payload = {"content": "YWJj", "file_name": "m.csv", "source": "T", "period": ""}
    store.put_preview("tok1", "anna", payload, 60)
    assert store.take_preview("tok1", "piet") is None
    assert store.take_preview("tok1", "anna") == payload
    assert store.take_preview("tok1", "anna") is None
    store.put_preview("tok2", "anna", payload, -1)
    assert store.take_preview("tok2", "anna") is None


def test_the_secret_key_is_kept(store):
    key = store.secret_key()
    assert len(key) >= 32 and store.secret_key() == key


def test_a_named_lock_is_held_once(store):
    with store.try_lock("refresh") as first:
        assert first is True
        with store.try_lock("refresh") as second:
            assert second is False
        with store.try_lock("other") as other:
            assert other is True
    with store.try_lock("refresh") as again:
        assert again is True


def test_refreshes_are_recorded(store):
    assert store.last_refresh() is None
    store.record_refresh("failed", "geen netwerk", at="2026-01-01T03:00:00+00:00")
    time.sleep(0.01)
    store.record_refresh("ok", "3 tabellen")
    last = store.last_refresh()
    assert last["outcome"] == "ok" and last["detail"] == "3 tabellen" and last["at"]


def test_store_is_healthy_and_current(store):
    store.ping()
    assert store.exists() and store.is_current()
    assert store.meta()["schema_version"]
    current = store.current_values()
    assert set(current.columns) >= {"area_code", "indicator_id", "period", "value", "status"}
    assert (current["status"] != "derived").all()


@pytest.fixture()
def clock(monkeypatch):
    """The store's clock, stopped at a fixed time the test can move."""
    now = {"s": 1_800_000_000.0}
    monkeypatch.setattr(base, "now_s", lambda: now["s"])
    return now


def test_a_session_expires_at_its_expiry_time_exactly(store, clock):
    store.add_user("anna", PASSWORD)
    token = store.create_session("anna", ttl_s=10)
    clock["s"] += 9.999
    assert store.session(token).username == "anna"
    clock["s"] += 0.001  # now == expires: expired (live only while expires > now)
    assert store.session(token) is None


def test_a_preview_expires_at_its_expiry_time_exactly(store, clock):
    payload = {"file_name": "m.csv"}
    store.put_preview("live", "anna", payload, 10)
    store.put_preview("edge", "anna", payload, 10)
    clock["s"] += 9.5
    assert store.take_preview("live", "anna") == payload
    clock["s"] += 0.5
    assert store.take_preview("edge", "anna") is None


def test_expired_rows_are_dropped_at_their_expiry_time(store, clock):
    """Writing a session or preview drops the ones whose expiry time has come (the same
    rule as reading: expires <= now is expired)."""
    store.add_user("anna", PASSWORD)
    token = store.create_session("anna", ttl_s=5)
    store.put_preview("old", "anna", {"a": 1}, 5)
    clock["s"] += 5
    store.create_session("anna")
    store.put_preview("new", "anna", {"a": 2}, 5)
    with store._internal() as con:
        sessions = store._query(con, "SELECT count(*) FROM app_session")[0][0]
        previews = store._query(con, "SELECT token FROM import_preview")
    assert sessions == 1 and previews == [("new",)]
    assert store.session(token) is None


def test_a_long_refresh_detail_is_cut_the_same_everywhere(store):
    store.record_refresh("failed", "x" * (REFRESH_DETAIL_MAX + 500))
    assert store.last_refresh()["detail"] == "x" * REFRESH_DETAIL_MAX


def test_the_postcode_table_is_a_store_table_every_instance_sees(store):
    rows = pd.DataFrame(
        {"pc6": ["7551AB"], "buurtcode": ["BU01640000"], "adressen": [3], "jaar": [2021]}
    )  # made up
    assert store.postcodes().empty and store.read_data().postcodes.empty
    version = store.data_version()
    store.replace_postcodes(rows)
    assert store.data_version() != version  # every worker's search cache notices it
    other = second_store(store)
    assert other.postcodes().to_dict("records") == rows.to_dict("records")
    other.close()
    store.build()  # kept across a rebuild, like the staff's work
    assert store.read_data().postcodes.to_dict("records") == rows.to_dict("records")
    store.replace_postcodes(rows.assign(adressen=[4]))
    assert store.postcodes()["adressen"].tolist() == [4]


def test_an_import_by_one_store_object_is_read_by_another(store):
    other = second_store(store)
    version = other.data_version()
    load(store)
    assert other.data_version() != version
    assert value_of(other) == [21]
    other.close()


def test_an_import_with_respondents_keeps_numbers_numeric(store):
    """An imported ``n`` and ``marge`` come back as numbers from every backend, so the public
    frame (suppression compares ``n`` with the indicator's minimum) can be built after it."""
    from indicators.privacy import public_observations

    content = (
        b"gebied;indicator;periode;waarde;n;marge\n"
        b"WK016402;vm_onveilig_buurt;2019;21;250;3,5\n"
        b"WK016401;vm_onveilig_buurt;2019;19;20;4,5\n"
    )
    load(store, content)
    data = store.read_data()
    obs = data.observations
    mine = obs[(obs["indicator_id"] == "vm_onveilig_buurt") & (obs["period"] == "2019")]
    assert pd.api.types.is_numeric_dtype(obs["n"]) and pd.api.types.is_numeric_dtype(obs["margin"])
    assert sorted(mine["n"].dropna().tolist()) == [20, 250]
    public = public_observations(obs, data.indicators)
    shown = public[(public["indicator_id"] == "vm_onveilig_buurt") & (public["period"] == "2019")]
    assert shown.set_index("area_code").loc["WK016402", "value"] == 21
