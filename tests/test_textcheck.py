"""Invisible characters (bidi controls, zero-width and other format characters, controls) in
what staff bring in are refused with row, column and the character's name, never stripped
silently: import cells, area codes and names, the source text, the file name and the fields
of a new indicator, through the CLI and the web (issue 21). A BOM that starts a CSV file is
an encoding marker and stays accepted. Figures are made up (test data only)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from test_staff import login, token

from indicators import staff, textcheck

from conftest import copy_embedded

ROOT = Path(__file__).resolve().parents[1]
IMPORTS = ROOT / "tests" / "corpus" / "imports"
sys.path.insert(0, str(ROOT / "tests" / "corpus"))
from make_corpus import INVISIBLE  # noqa: E402 - the corpus lists are the test's table

GOOD = "gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;20\n"
RLO = "\u202e"
RLO_NAME = "U+202E RIGHT-TO-LEFT OVERRIDE"


# ---------------------------------------------------------------------- the rule, pure
@pytest.mark.parametrize("char", INVISIBLE)
def test_every_corpus_character_is_refused_and_named(char):
    problem = textcheck.text_problem(f"vm_onveilig_buurt{char}")
    assert problem and textcheck.character_name(char) in problem
    assert char not in problem  # the message quotes it made visible, not the character
    assert f"<U+{ord(char):04X}>" in problem


@pytest.mark.parametrize(
    "text",
    ["Berflo Es", "Hengelose Es", "Café 't Hööfd", "Noord-Oost", "12,5", "a\tb", "Ελλάδα", ""],
)
def test_ordinary_text_passes(text):
    assert textcheck.text_problem(text) is None


def test_every_format_character_in_unicode_is_refused():
    """The whole category Cf, not a hand-made list."""
    format_chars = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert len(format_chars) > 150
    assert all(textcheck.is_invisible(c) for c in format_chars)


def test_table_problems_name_row_and_column_as_in_the_file():
    table = pd.DataFrame(
        [["WK016402", f"inwoners{RLO}"], ["WK0164\u200b02", "inwoners"]],
        columns=["gebied", "indicator\u200d"],
    )
    found = list(textcheck.table_problems(table))
    assert [(row, column) for row, column, _ in found] == [
        (1, "kolom 2"),
        (2, "kolom 2"),
        (3, "gebied"),
    ]
    assert "U+200D ZERO WIDTH JOINER" in found[0][2]
    assert RLO_NAME in found[1][2] and "positie 9" in found[1][2]
    assert "U+200B ZERO WIDTH SPACE op positie 7" in found[2][2]


# ---------------------------------------------------------------------- the import, parsed
EXPECTED = {  # corpus file: (row, column, character)
    "cell_invisible_indicator_00.csv": (2, "indicator", RLO),
    "cell_invisible_area_code.csv": (2, "gebied", "\u200b"),
    "cell_invisible_area_name.csv": (2, "gebied", "\u200b"),
    "cell_invisible_area_name_rlo.csv": (2, "gebied", RLO),
    "cell_invisible_period.csv": (2, "periode", RLO),
    "cell_invisible_value.csv": (2, "waarde", "\u200b"),
    "cell_invisible_n.csv": (2, "n", "\u2060"),
    "cell_invisible_source.csv": (2, "bron", RLO),
    "cell_invisible_header.csv": (1, "kolom 2", RLO),
    "cell_invisible_wide_column.csv": (1, "kolom 3", "\u200b"),
    "cell_invisible_bom_in_cell.csv": (2, "gebied", "\ufeff"),
    "cell_invisible_bom_twice.csv": (1, "kolom 1", "\ufeff"),
    "cell_xlsx_invisible.xlsx": (2, "indicator", RLO),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_files_are_refused_with_row_column_and_name(base_store, name):
    row, column, char = EXPECTED[name]
    parsed = staff.parse_for_store(base_store, (IMPORTS / name).read_bytes(), name, None, "Test")
    assert not parsed.ok  # an error stops the whole file: nothing is previewed or written
    found = [i for i in parsed.errors if textcheck.character_name(char) in i.message]
    assert [(i.row, i.field) for i in found] == [(row, column)], parsed.errors


@pytest.mark.parametrize("index", range(len(INVISIBLE)))
def test_the_issue_case_for_every_character(base_store, index):
    """An indicator id ending in an invisible character reached a preview before."""
    name = f"cell_invisible_indicator_{index:02d}.csv"
    parsed = staff.parse_for_store(base_store, (IMPORTS / name).read_bytes(), name, None, "Test")
    names = [textcheck.character_name(INVISIBLE[index]) in i.message for i in parsed.errors]
    assert not parsed.ok and any(names)


def test_a_bom_that_starts_the_file_is_accepted(base_store):
    for content in (("\ufeff" + GOOD).encode(), GOOD.encode()):
        parsed = staff.parse_for_store(base_store, content, "m.csv", None, "Test")
        assert parsed.ok and parsed.encoding == "utf-8", parsed.issues
        assert parsed.rows["indicator_id"].tolist() == ["vm_onveilig_buurt"]


@pytest.mark.parametrize(
    ("file_name", "source", "field"),
    [("m.csv", f"Monitor{RLO}", "bron"), (f"cijfers{RLO}vsc.csv", "Monitor", "bestandsnaam")],
)
def test_source_text_and_file_name_are_checked_too(base_store, file_name, source, field):
    parsed = staff.parse_for_store(base_store, GOOD.encode(), file_name, None, source)
    assert not parsed.ok
    assert [(i.row, i.field) for i in parsed.errors] == [(None, field)]
    assert RLO_NAME in parsed.errors[0].message


def test_a_staff_indicator_with_an_invisible_character_is_refused(staff_store):
    fields = {
        "id": "vm_slachtoffer",
        "label_nl": f"Slachtoffer{RLO} van een delict",
        "label_en": "Victim of a crime",
        "explanation_nl": "Deel van de inwoners dat slachtoffer werd.",
        "explanation_en": "Share of residents who were a victim.",
        "theme": "veilige-wijken",
        "unit": "pct",
        "polarity": "higher_worse",
        "levels": ["wijk", "gemeente"],
        "public": True,
        "source": "VM2015",
    }
    version = staff_store.data_version()
    with pytest.raises(staff.StaffError, match=f"label_nl.*{re.escape(RLO_NAME)}"):
        staff_store.define_indicator(fields)
    with pytest.raises(staff.StaffError, match="id.*U\\+200B ZERO WIDTH SPACE"):
        staff_store.define_indicator(fields | {"id": "vm\u200bslachtoffer", "label_nl": "x"})
    assert staff_store.data_version() == version
    assert staff_store.define_indicator(fields | {"label_nl": "Slachtoffer"}) == "vm_slachtoffer"


# ---------------------------------------------------------------------- the CLI
def run_import(store, file: Path, source: str):
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "--store", str(store.path), "import", str(file)]
        + ["--source", source, "--yes"],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        timeout=180,
    )


def test_the_cli_refuses_and_names_the_character(base_store, tmp_path):
    store = copy_embedded(base_store, tmp_path)
    bad = tmp_path / "m.csv"
    bad.write_text(f"{GOOD.splitlines()[0]}\nWK016402;vm_onveilig_buurt\x1b[31m;2019;20\n")
    done = run_import(store, bad, "Test")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FOUT (regel 2, kolom indicator): onzichtbaar teken U+001B ESCAPE" in done.stdout
    assert "\x1b" not in done.stdout + done.stderr  # no terminal escape reaches the terminal
    good = tmp_path / "goed.csv"
    good.write_text(GOOD)
    done = run_import(store, good, f"Veiligheidsmonitor{RLO}")
    assert done.returncode == 1
    assert f"FOUT (bestand, kolom bron): onzichtbaar teken {RLO_NAME}" in done.stdout
    assert store.import_log().empty
    done = run_import(store, good, "Veiligheidsmonitor")  # the same file, typed cleanly
    assert done.returncode == 0 and "Import #1 is geladen" in done.stdout, done.stderr


# ---------------------------------------------------------------------- the web
CELL_ERROR = re.compile(
    r'<tr class="issue-error"><td>([^<]*)</td><td>([^<]*)</td>\s*<td>fout</td><td>([^<]*)</td>'
)


def upload(client, content: bytes, source: str = "Test", name: str = "m.csv"):
    page = client.get("/intern/import")
    return client.post(
        "/intern/import",
        data={
            "csrf_token": token(page.data),
            "source": source,
            "period": "",
            "file": (io.BytesIO(content), name),
        },
        content_type="multipart/form-data",
    )


def test_the_web_import_refuses_and_names_the_character(client, staff_store):
    login(client, "medewerker")
    content = (IMPORTS / "cell_invisible_indicator_00.csv").read_bytes()
    answer = upload(client, content)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert b'name="pending"' not in answer.data  # no preview to confirm
    rows = CELL_ERROR.findall(html)
    assert any(r[:2] == ("2", "indicator") and RLO_NAME in r[2] for r in rows), rows
    source = upload(client, GOOD.encode(), source=f"CBS{RLO}")
    assert source.status_code == 422 and RLO_NAME in source.get_data(as_text=True)
    assert staff_store.import_log().empty
    accepted = upload(client, ("\ufeff" + GOOD).encode())  # a BOM that starts the file
    assert accepted.status_code == 200 and b'name="pending"' in accepted.data


def test_the_web_refuses_a_new_indicator_with_an_invisible_id(client, staff_store):
    login(client)
    page = client.get("/intern/indicator")
    answer = client.post(
        "/intern/indicator",
        data={
            "csrf_token": token(page.data),
            "id": f"vm_slachtoffer{RLO}",
            "label_nl": "Slachtoffer",
            "label_en": "Victim",
            "explanation_nl": "Deel van de inwoners.",
            "explanation_en": "Share of residents.",
            "theme": "veilige-wijken",
            "unit": "pct",
            "polarity": "higher_worse",
            "levels": ["wijk"],
            "public": "1",
            "source": "VM2015",
        },
    )
    assert answer.status_code == 422 and RLO_NAME in answer.get_data(as_text=True)
    assert "vm_slachtoffer" not in set(staff_store.read_data().indicators.index)
