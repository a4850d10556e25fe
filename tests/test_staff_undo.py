"""Staff (issue 18): undo asks first and shows what it removes, log times in local time,
the import page lists what it accepts, errors quote what was typed, the preview says where
values will be shown rounded. Figures in the files are made up (test data only)."""

import io
import re

import pytest
from test_staff import GOOD_LONG, login, token, upload

from dashboard.cli import main
from indicators.undo import local_time

from conftest import made_up_indicator

LOCAL = re.compile(rb"\d\d-\d\d-\d{4} \d\d:\d\d CES?T")


def loaded(client, source="Veiligheidsmonitor test"):
    """Upload and confirm the made-up monitor file; returns the log page."""
    preview = upload(client, GOOD_LONG.encode(), "monitor.csv", source)
    pending = re.search(rb'name="pending" value="([^"]+)"', preview.data).group(1).decode()
    confirmed = client.post(
        "/intern/import/bevestig", data={"csrf_token": token(preview.data), "pending": pending}
    )
    assert confirmed.status_code == 302
    return client.get("/intern/log")


def test_undo_asks_first_and_shows_what_it_removes(client, staff_store):
    log = loaded(client)
    assert b'href="/intern/import/1/ongedaan"' in log.data  # a link to the question
    assert b'action="/intern/import/1/ongedaan"' not in log.data  # not a one-click form
    page = client.get("/intern/import/1/ongedaan")
    assert page.status_code == 200
    text = page.data.decode()
    assert "Import #1 ongedaan maken?" in text and "monitor.csv" in text
    assert "Veiligheidsmonitor test" in text and "2019" in text
    row = re.search(r"<code>vm_onveilig_buurt</code>.*?</tr>", text, re.S).group(0)
    assert '<td class="num">2</td>' in row and "pct" in row
    assert 'name="bevestigd" value="ja"' in text and 'name="csrf_token"' in text
    assert staff_store.import_log()["undone_at"].isna().all()  # looking undoes nothing


def test_undo_needs_the_confirmation_and_the_token(client, staff_store):
    log = loaded(client)
    unconfirmed = client.post("/intern/import/1/ongedaan", data={"csrf_token": token(log.data)})
    assert unconfirmed.status_code == 200 and b"confirm-undo" in unconfirmed.data
    assert staff_store.import_log()["undone_at"].isna().all()
    forged = client.post("/intern/import/1/ongedaan", data={"bevestigd": "ja"})
    assert forged.status_code == 400
    assert staff_store.import_log()["undone_at"].isna().all()
    page = client.get("/intern/import/1/ongedaan")
    done = client.post(
        "/intern/import/1/ongedaan", data={"csrf_token": token(page.data), "bevestigd": "ja"}
    )
    assert done.status_code == 302
    assert staff_store.import_log()["undone_at"].notna().all()
    again = client.get("/intern/import/1/ongedaan")
    assert b"al ongedaan gemaakt" in again.data and b"confirm-undo" not in again.data
    assert client.get("/intern/import/99/ongedaan").status_code == 404


def test_log_times_are_local_with_their_zone(client, staff_store):
    log = loaded(client)
    stamp = staff_store.import_log()["at"].iloc[0]
    assert "+00:00" in stamp  # stored in UTC
    assert local_time(stamp).encode() in log.data and LOCAL.search(log.data)
    assert stamp.encode() not in log.data


@pytest.mark.parametrize(
    "stamp,shown",
    [
        ("2026-01-15T23:30:00+00:00", "16-01-2026 00:30 CET"),
        ("2026-03-29T01:30:00+00:00", "29-03-2026 03:30 CEST"),  # just after the clock change
        ("2026-10-25T00:30:00+00:00", "25-10-2026 02:30 CEST"),
        ("2026-10-25T01:30:00+00:00", "25-10-2026 02:30 CET"),
    ],
)
def test_local_time(stamp, shown):
    assert local_time(stamp) == shown


def test_import_page_lists_the_indicators_and_units_it_accepts(client, staff_store):
    staff_store.define_indicator(made_up_indicator("vm_test_intern", public=False))
    login(client)
    page = client.get("/intern/import").data.decode()
    table = page[page.index('id="accepted-table"') :]
    for indicator, unit in (
        ("inwoners", "count (aantal)"),
        ("vm_onveilig_buurt", "pct (%)"),
        ("misdrijf_geweld", "per1000 (per 1.000 inwoners)"),
        ("vm_test_intern", "pct (%)"),
    ):
        row = re.search(rf"<code>{indicator}</code>.*?</tr>", table, re.S).group(0)
        assert unit in row
    row = re.search(r"<code>vm_test_intern</code>.*?</tr>", table, re.S).group(0)
    assert "alleen intern" in row


def test_an_ambiguous_number_is_quoted_as_typed(client, staff_store):
    comma_file = b"gebied,indicator,periode,waarde\nWK016405,inwoners,2019,1.234\n"
    response = upload(client, comma_file, "komma.csv", "Test")
    assert response.status_code == 422
    text = response.data.decode()
    assert "&#39;1.234&#39;: een aantal moet een geheel getal zijn" in text
    assert "bijvoorbeeld 1234" in text
    semicolon = b"gebied;indicator;periode;waarde\nWK016405;inwoners;2019;1.234\n"
    assert "&#39;1.234&#39; is niet eenduidig" in upload(client, semicolon, "p.csv", "T").text


def test_preview_warns_where_values_will_be_shown_rounded(client, staff_store):
    content = (
        b"gebied;indicator;periode;waarde;n\n"
        b"WK016405;inwoners;2019;1234;\n"
        b"WK016402;vm_onveilig_buurt;2019;31,57;450\n"
    )
    response = upload(client, content, "afronding.csv", "Test")
    assert response.status_code == 200 and b"confirm-import" in response.data
    text = response.data.decode()
    assert "afgerond op 5" in text and "1.234 als 1.235" in text
    assert "31,57 als 32" in text and "zoals geladen" in text


def test_cli_undo_shows_the_import_and_asks(staff_store, tmp_path, monkeypatch, capsys):
    file = tmp_path / "monitor.csv"
    file.write_text(GOOD_LONG, encoding="utf-8")
    store = str(staff_store.path)
    assert main(["--store", store, "import", str(file), "--source", "VM test", "--yes"]) == 0
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no answer is no
    assert main(["--store", store, "undo", "1"]) == 1
    out = capsys.readouterr().out
    assert "Import #1: monitor.csv" in out and "VM test" in out and "2 waarden" in out
    assert "vm_onveilig_buurt" in out and "Niets gewijzigd" in out
    assert staff_store.import_log()["undone_at"].isna().all()
    monkeypatch.setattr("sys.stdin", io.StringIO("j\n"))
    assert main(["--store", store, "undo", "1"]) == 0
    assert staff_store.import_log()["undone_at"].notna().all()
    assert main(["--store", store, "undo", "7", "--yes"]) == 1


def test_undo_of_an_import_that_does_not_exist_is_a_dutch_page(client, staff_store):
    """Staff pages are Dutch: an unknown import number answers 404 in the staff layout with
    a way back to the log, not Werkzeug's English 'Not Found' page."""
    login(client)
    page = client.get("/intern/import/99999/ongedaan")
    text = page.get_data(as_text=True)
    assert page.status_code == 404
    assert "Import #99999 bestaat niet" in text and 'href="/intern/log"' in text
    assert "The requested URL" not in text and "Not Found" not in text
    assert '<html lang="nl">' in text


def test_a_second_confirm_does_not_invite_a_second_import(client, staff_store):
    """A double click on 'laden' (or the same preview in two tabs) loads once; the second
    click says the preview may already be loaded and points at the log."""
    preview = upload(client, GOOD_LONG.encode(), "monitor.csv", "Veiligheidsmonitor test")
    pending = re.search(rb'name="pending" value="([^"]+)"', preview.data).group(1).decode()
    form = {"csrf_token": token(preview.data), "pending": pending}
    assert client.post("/intern/import/bevestig", data=form).status_code == 302
    again = client.post("/intern/import/bevestig", data=form, follow_redirects=True)
    text = again.get_data(as_text=True)
    assert "al geladen of verlopen" in text and "importlog" in text
    assert len(staff_store.import_log()) == 1
