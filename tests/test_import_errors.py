"""Staff import errors a tester found: an upload over the request limit, a header of a million
columns, columns that are silently dropped, line numbers after blank lines, an unclosed
quote and a field over the csv module's limit. Each is checked as staff meet it (the upload
page), and a refused file writes nothing. Figures in the files are made up (test data only)."""

import hashlib
import io
import re
import time

import pytest
from test_staff import GOOD_LONG, parse, upload

from dashboard import intern
from indicators.imports import MAX_COLUMNS, Issue

HEADER = "gebied;indicator;periode;waarde\n"
GOOD_ROW = "WK016405;vm_onveilig_buurt;2019;31,5\n"


def digest(staff_store) -> str:
    return hashlib.sha256(staff_store.path.read_bytes()).hexdigest()


def refused(client, staff_store, content: bytes, name: str = "test.csv"):
    """Upload ``content``; it must be refused with nothing written. Returns the page text."""
    before = digest(staff_store)
    response = upload(client, content, name, "Test")
    assert response.status_code in (413, 422), response.status_code
    assert digest(staff_store) == before and staff_store.import_log().empty
    return response.data.decode()


def cells(page: str) -> list[str]:
    """The 'wat er mis is' cells of the report on the import page."""
    return re.findall(r"<tr class=\"issue-\w+\">.*?<td>([^<]*)</td></tr>", page, re.S)


def test_upload_over_the_request_limit_says_the_size_in_dutch(client, staff_store):
    content = (HEADER + GOOD_ROW * 300_000).encode()
    assert len(content) > 8_000_000
    page = refused(client, staff_store, content)
    assert "Bestand te groot" in page and "groter dan 5 MB" in page
    assert "Er ging iets mis" not in page
    assert 'href="/intern/import"' in page  # back to the form


def test_a_header_of_a_million_columns_is_refused_at_once(client, staff_store):
    content = ("gebied,indicator,periode,waarde," + "x," * 500_000 + "\n").encode()
    started = time.monotonic()
    page = refused(client, staff_store, content)
    assert time.monotonic() - started < 10
    assert len(page) < 200_000
    assert f"hoogstens {MAX_COLUMNS}" in page and "500.004 kolommen" in page


def test_a_repeated_column_is_named_once_with_how_often(staff_store):
    parsed = parse(staff_store, "gebied,indicator,periode,waarde,x,x,x,y,y\nWK016405,a,b,c\n")
    messages = [i.message for i in parsed.errors]
    assert messages == [
        "De kolom 'x' staat 3 keer in de kop; laat er één staan.",
        "De kolom 'y' staat twee keer in de kop; laat er één staan.",
    ]


def test_trailing_empty_columns_do_not_count(staff_store):
    parsed = parse(staff_store, HEADER.strip() + ";" * 5_000 + "\n" + GOOD_ROW)
    assert parsed.ok, parsed.issues


def test_error_report_shows_the_first_50_and_how_many_more(client, staff_store):
    rows = "".join(f"Atlantis{i};vm_onveilig_buurt;2019;5\n" for i in range(120))
    page = refused(client, staff_store, (HEADER + rows).encode())
    shown = cells(page)
    assert len(shown) == intern.MAX_SHOWN_ISSUES + 1
    assert "… en nog 70 fouten" in shown[-1]
    assert "120 fouten gevonden" in page


def test_shown_issues_keeps_a_short_list_as_it_is():
    issues = [Issue(2, None, "b", "warning"), Issue(3, None, "a")]
    assert intern.shown_issues(issues) == issues


def test_unused_columns_are_named_in_the_preview(client, staff_store):
    content = (
        b"gebied,indicator,periode,waarde,marges,respondenten\n"
        b"WK016405,vm_onveilig_buurt,2019,31.5,2.1,450\n"
    )
    response = upload(client, content, "test.csv", "Test")
    assert response.status_code == 200 and "Voorbeeld" in response.data.decode()
    (note,) = [c for c in cells(response.data.decode()) if "niet gebruikt" in c]
    assert "Let op: deze kolom wordt niet gebruikt: marges (bedoelt u marge?)" in note
    assert "respondenten" not in note.split(".")[0]  # an accepted name for n: it is used
    assert "marge (ook: margin)" in note and "n (ook: aantal_respondenten, respondenten)" in note
    assert staff_store.import_log().empty  # a preview writes nothing


def test_no_warning_when_every_column_is_used(staff_store):
    parsed = parse(staff_store, GOOD_LONG)
    assert parsed.ok and not [i for i in parsed.issues if "niet gebruikt" in i.message]


def test_error_names_the_line_in_the_file_after_blank_lines(client, staff_store):
    content = (HEADER + GOOD_ROW + "\n" * 10 + "WK999999;vm_onveilig_buurt;2019;5\n").encode()
    parsed = parse(staff_store, content)
    (issue,) = parsed.errors
    assert (issue.row, issue.field) == (13, "gebied")
    page = refused(client, staff_store, content)
    assert "<td>13</td><td>gebied</td>" in page


def test_duplicate_row_names_both_lines_in_the_file(staff_store):
    parsed = parse(staff_store, HEADER + GOOD_ROW + "\n\n" + GOOD_ROW)
    (issue,) = parsed.errors
    assert issue.row == 5 and "staat ook op regel 2" in issue.message


def test_unclosed_quote_is_named_with_its_line(client, staff_store):
    content = HEADER + GOOD_ROW + '"unterminated;quote\nWK016401;vm_onveilig_buurt;2019;5\n'
    parsed = parse(staff_store, content)
    (issue,) = parsed.errors
    assert issue.row == 3 and "Aanhalingsteken niet gesloten" in issue.message
    assert "onbekend gebied" not in refused(client, staff_store, content.encode())


def test_unclosed_quote_in_the_middle_of_a_file(staff_store):
    content = HEADER + '"Berflo Es;vm_onveilig_buurt;2019;5\n' + GOOD_ROW + '"x";a;b;c\n'
    (issue,) = parse(staff_store, content).errors
    assert (issue.row, issue.field) == (2, "gebied")
    assert "Aanhalingsteken niet gesloten" in issue.message


def test_a_quoted_value_on_one_line_is_fine(staff_store):
    assert parse(staff_store, HEADER + '"WK016405";"vm_onveilig_buurt";2019;"31,5"\n').ok


def test_a_field_over_the_csv_limit_gets_a_dutch_message(client, staff_store):
    content = HEADER + GOOD_ROW + "WK016405;" + "9" * 3_000_000 + ";2019;5\n"
    (issue,) = parse(staff_store, content).errors
    assert issue.message.startswith("Een veld is langer dan 131.072 tekens (regel 3);")
    assert "field limit" not in refused(client, staff_store, content.encode())


@pytest.mark.parametrize("blank", ["\n", ";;;\n"])
def test_csv_rows_keep_their_place(staff_store, blank):
    content = HEADER + blank + "Atlantis;vm_onveilig_buurt;2019;5\n"
    (issue,) = parse(staff_store, content).errors
    assert issue.row == 3


def test_xlsx_rows_keep_their_row_number(staff_store):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["gebied", "indicator", "periode", "waarde"])
    sheet.append(["WK016405", "vm_onveilig_buurt", 2019, 31.5])
    sheet.append([])
    sheet.append(["Atlantis", "vm_onveilig_buurt", 2019, 5])
    buffer = io.BytesIO()
    book.save(buffer)
    (issue,) = parse(staff_store, buffer.getvalue(), "monitor.xlsx").errors
    assert (issue.row, issue.field) == (4, "gebied")


@pytest.mark.parametrize("end", ["", "\n"])
def test_unclosed_quote_on_the_last_line(staff_store, end):
    content = HEADER + GOOD_ROW + '"WK016405;vm_onveilig_buurt;2019;5' + end
    (issue,) = parse(staff_store, content).errors
    assert (issue.row, issue.field) == (3, "gebied")
    assert "Aanhalingsteken niet gesloten" in issue.message


def test_a_quote_inside_a_field_is_no_open_quote(staff_store):
    content = HEADER + GOOD_ROW + 'Atlantis 5";vm_onveilig_buurt;2019;5\n'
    (issue,) = parse(staff_store, content).errors
    assert issue.row == 3 and "onbekend gebied" in issue.message


def test_unclosed_quote_names_the_column_it_opened_in(staff_store):
    content = HEADER + GOOD_ROW + 'WK016405;"vm_onveilig_buurt;2019;5\n'
    (issue,) = parse(staff_store, content).errors
    assert (issue.row, issue.field) == (3, "indicator")


def test_header_findings_name_the_line_the_header_is_on(staff_store):
    content = "\n\ngebied;gebied;periode;waarde\nWK016405;x;2019;1\n"
    (issue,) = parse(staff_store, content).errors
    assert issue.row == 3 and "twee keer in de kop" in issue.message
    content = "\n" + HEADER.replace("waarde", "waarde;marges") + GOOD_ROW.strip() + ";3\n"
    issues = parse(staff_store, content).issues
    (warning,) = [i for i in issues if "niet gebruikt" in i.message]
    assert warning.row == 2 and "deze kolom wordt niet gebruikt: marges" in warning.message


def test_a_quoted_note_over_two_lines_with_a_delimiter_is_a_field(staff_store):
    """A quoted remark over two lines that holds a semicolon is a field, not an open quote:
    no swallowed line looks like a record (the column is not loaded: a warning only)."""
    content = (
        HEADER.replace("waarde", "waarde;toelichting")
        + 'WK016405;vm_onveilig_buurt;2019;31,5;"Veiligheidsmonitor; bewerkt\ndoor de gemeente"\n'
    )
    parsed = parse(staff_store, content)
    assert parsed.ok, parsed.errors


def test_a_quote_open_to_the_end_says_so(staff_store):
    content = HEADER + GOOD_ROW + '"WK016405;vm_onveilig_buurt;2019;5\n'
    (issue,) = parse(staff_store, content).errors
    assert "loopt door tot het einde van het bestand" in issue.message
