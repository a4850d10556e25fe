"""Write the committed corpus of bad inputs (run by hand after changing the lists below:
``python3 tests/corpus/make_corpus.py``). Large files (the zip bomb, 20,001 rows, 6 MB) are
made at test time instead, see ``tests/test_corpus.py``.

Import files are named by what the answer must show:
- ``cell_*``: refused with at least one error that names the row and the column;
- ``file_*``: refused as a whole (nothing to point at: empty, not text, not a workbook, ...).
``{THIS_MONTH}`` in a file is replaced by the current month when the test runs.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
HEAD = "gebied;indicator;periode;waarde"

# values that are not a plausible count of inhabitants (BU01640000, 2021)
BAD_COUNTS = [
    "1.7e308", "1e308", "1e-400", "1_000", ".5", "12%", "inf", "-inf", "nan", "NaN",
    "Infinity", "1e309", "-1", "0x10", "1,5", "12.5.3", "١٢", "--5", "+-5", "5-", "1e", "e5",
    "$5", "5 €", "五", "∞", "TRUE", "=1+1", "@SUM(A1)", "0,5", "99999999999999999999999",
    "1" * 50, "2000000", "600000", "1e6", "1E+308", "0.0000001", "-0,1", "+", "-", ",", "1,,0",
    "1;2", "½", "1e-05", "3.14e-2", "12 %", "%", "⁵", "𝟓", "1\u200b0", "NULL", "None",
    "#N/A", "#DIV/0!", "1.0e400", "-1e308", "4,2e-1", "2e7", "9" * 30,
]  # fmt: skip
# values that are not a plausible percentage (vm_onveilig_buurt, WK016402, 2019)
BAD_PCTS = ["101", "-0,1", "100,0001", "1e3", "nan", "150%", "12%%", "%", "inf", "1e308", "-5%"]
BAD_N = ["1e308", "-1", "1,5", "inf", "12%", "2000000", "nan", "1_0", ".5", "n=1e308"]
BAD_MARGINS = ["-1", "inf", "101", "nan", "1e308", "-0,5"]
BAD_PERIODS = [
    "{THIS_MONTH}", "2099-01", "2024-13", "2024-00", "1989-05", "0", "-2021", "2021",
    "maart", "2024-3-1", "99999-01", "2024MM13", "",
]  # fmt: skip
BAD_YEARS = ["2099", "1989", "0", "-2021", "2021.5", "20211", "MMXXI", "2021-01", ""]
BAD_AREAS = [
    "", "BU99999999", "<script>alert(1)</script>", "'; DROP TABLE observation; --", "A" * 500,
    "=HYPERLINK(\"http://evil\",\"x\")", "WK0164000", "Noord", "GM0000", "../../etc/passwd",
]  # fmt: skip
DUPLICATE_HEADERS = [
    "gebied;gebied;indicator;periode;waarde",
    "gebied;code;indicator;periode;waarde",
    "gebied;indicator;periode;waarde;value",
    "gebied;indicator;indicator;periode;waarde",
    "gebied;indicator;periode;jaar;waarde",
    "gebied;indicator;periode;waarde;n;respondenten",
    "gebied;indicator;periode;waarde;marge;margin",
    "gebied;indicator;periode;waarde;bron;source",
    "Gebied;GEBIED;indicator;periode;waarde",
    "gebied;naam;indicator;periode;waarde",
]
WIDE_DUPLICATES = [
    "gebied;periode;inwoners;inwoners",
    "gebied;periode;inwoners;Inwoners",
    "gebied;periode;inwoners;INWONERS ",
    "gebied;periode;vm_onveilig_buurt;Voelt zich wel eens onveilig in eigen buurt",
]

# invisible characters (issue 21): bidi controls, zero-width and other format characters (Cf),
# a control, separators and a blank filler; each one must be refused with row, column and name
INVISIBLE = [
    "\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
    "\u2062", "\u180e", "\ufff9", "\U000e0041", "\x1b", "\u2028", "\u3164",
]  # fmt: skip
GOOD_ROW = ["WK016402", "vm_onveilig_buurt", "2019", "20"]


def invisible_files() -> dict[str, str]:
    """The issue's case (an indicator id ending in U+202E) for every character, then one
    character in every other place: area code and name, period, value, n, source, header,
    a wide column, and a BOM that is not at the start of the file."""
    files = {
        f"cell_invisible_indicator_{i:02d}.csv": f"{HEAD}\nWK016402;vm_onveilig_buurt{c};2019;20\n"
        for i, c in enumerate(INVISIBLE)
    }
    rlo, zwsp = "\u202e", "\u200b"
    for place, row in {
        "area_code": ["WK0164" + zwsp + "02", *GOOD_ROW[1:]],
        "area_name": ["Hasseler" + zwsp + " Es", *GOOD_ROW[1:]],
        "area_name_rlo": [rlo + "Hasseler Es", *GOOD_ROW[1:]],
        "period": [*GOOD_ROW[:2], "2019" + rlo, "20"],
        "value": [*GOOD_ROW[:3], "2" + zwsp + "0"],
    }.items():
        files[f"cell_invisible_{place}.csv"] = f"{HEAD}\n{';'.join(row)}\n"
    files |= {
        "cell_invisible_n.csv": f"{HEAD};n\n{';'.join(GOOD_ROW)};5\u20600\n",
        "cell_invisible_source.csv": f"{HEAD};bron\n{';'.join(GOOD_ROW)};VM2015{rlo}\n",
        "cell_invisible_header.csv": f"gebied;indicator{rlo};periode;waarde\n{';'.join(GOOD_ROW)}\n",
        "cell_invisible_wide_column.csv": f"gebied;periode;vm_onveilig_buurt{zwsp}\nWK016402;2019;20\n",
        "cell_invisible_bom_in_cell.csv": f"{HEAD}\n\ufeff{';'.join(GOOD_ROW)}\n",
        "cell_invisible_bom_twice.csv": f"\ufeff\ufeff{HEAD}\n{';'.join(GOOD_ROW)}\n",
    }
    return files


def csv_files() -> dict[str, bytes]:
    files: dict[str, str | bytes] = {}
    for i, value in enumerate(BAD_COUNTS):
        files[f"cell_count_{i:02d}.csv"] = f"{HEAD}\nBU01640000;inwoners;2021;{value}\n"
    for i, value in enumerate(BAD_COUNTS[:20]):  # the same in a wide table, comma-separated
        quoted = '"' + value.replace('"', '""') + '"'
        files[f"cell_wide_count_{i:02d}.csv"] = (
            f"gebied,periode,inwoners\nBU01640000,2021,{quoted}\n"
        )
    for i, value in enumerate(BAD_PCTS):
        files[f"cell_pct_{i:02d}.csv"] = f"{HEAD}\nWK016402;vm_onveilig_buurt;2019;{value}\n"
    for i, value in enumerate(BAD_N):
        files[f"cell_n_{i:02d}.csv"] = f"{HEAD};n\nWK016402;vm_onveilig_buurt;2019;20;{value}\n"
    for i, value in enumerate(BAD_MARGINS):
        files[f"cell_margin_{i:02d}.csv"] = (
            f"{HEAD};marge\nWK016402;vm_onveilig_buurt;2019;20;{value}\n"
        )
    for i, value in enumerate(BAD_PERIODS):
        files[f"cell_month_{i:02d}.csv"] = (
            f"{HEAD}\nBU01640000;geregistreerde_misdrijven_maand;{value};5\n"
        )
    for i, value in enumerate(BAD_YEARS):
        files[f"cell_year_{i:02d}.csv"] = f"{HEAD}\nWK016402;vm_onveilig_buurt;{value};20\n"
    for i, value in enumerate(BAD_AREAS):
        quoted = '"' + value.replace('"', '""') + '"'
        files[f"cell_area_{i:02d}.csv"] = f"{HEAD}\n{quoted};vm_onveilig_buurt;2019;20\n"
    for i, header in enumerate(DUPLICATE_HEADERS):
        width = header.count(";") + 1
        row = ";".join(["WK016402", "vm_onveilig_buurt", "2019", "20", "5", "5"][:width])
        files[f"cell_dupcol_{i:02d}.csv"] = f"{header}\n{row}\n"
    for i, header in enumerate(WIDE_DUPLICATES):
        files[f"cell_widedup_{i:02d}.csv"] = f"{header}\nWK016402;2021;10;11\n"
    files |= {
        "cell_unknown_indicator.csv": f"{HEAD}\nWK016402;geluk;2019;5\n",
        "cell_wrong_level.csv": f"{HEAD}\nBU01640000;vm_onveilig_buurt;2019;50\n",
        "cell_unknown_wide_column.csv": "gebied;periode;geluk\nWK016402;2019;5\n",
        "cell_too_many_columns.csv": f"{HEAD}\nWK016402;vm_onveilig_buurt;2019;5;6\n",
        "cell_duplicate_row.csv": f"{HEAD}\nWK016402;vm_onveilig_buurt;2019;5\n"
        "wk016402;vm_onveilig_buurt;2019;6\n",
        "cell_formula_indicator.csv": f"{HEAD}\nWK016402;\"=cmd|' /C calc'!A0\";2019;5\n",
        "cell_no_area_column.csv": "indicator;periode;waarde\nvm_onveilig_buurt;2019;5\n",
        "cell_ambiguous_thousands.csv": f"{HEAD}\nBU01640000;inwoners;2019;1.234\n",
        "cell_comma_in_comma_file.csv": 'gebied,indicator,periode,waarde\nBU01640000,inwoners,2019,"1,5"\n',
        "cell_unknown_source.csv": f"{HEAD};bron\nWK016402;vm_onveilig_buurt;2019;5;NOPE\n",
        "cell_tabs.csv": "gebied\tindicator\tperiode\twaarde\nBU01640000\tinwoners\t2021\tinf\n",
        "cell_crlf.csv": f"{HEAD}\r\nBU01640000;inwoners;2021;1e308\r\n",
        "cell_cr_only.csv": f"{HEAD}\rBU01640000;inwoners;2021;1e308\r",
        "cell_bom.csv": "\ufeff" + f"{HEAD}\nBU01640000;inwoners;2021;1e308\n",
        "cell_cp1252.csv": f"{HEAD}\nBU01640000;inwoners;2021;1e308 \u00e9\n".encode("cp1252"),
        "cell_quoted_newline.csv": f'{HEAD}\n"BU0164\n0000";inwoners;2021;5\n',
        "cell_unclosed_quote.csv": f'{HEAD}\n"BU01640000;inwoners;2021;5\n',
        "cell_many_bad_rows.csv": HEAD
        + "\n"
        + "".join(f"BU01640000;inwoners;{1990 + i};{v}\n" for i, v in enumerate(BAD_COUNTS[:30])),
        "cell_empty_value.csv": f"{HEAD}\nBU01640000;inwoners;2021;\n",
        "file_empty.csv": "",
        "file_blank_lines.csv": "\n\n   \n",
        "file_only_separators.csv": ";\n;;\n",
        "file_header_only.csv": f"{HEAD}\n",
        "file_no_separator.csv": "gebied\nWK016402\n",
        "file_utf16.csv": f"{HEAD}\nWK016402;x;2019;5\n".encode("utf-16"),
        "file_utf16be.csv": f"{HEAD}\nWK016402;x;2019;5\n".encode("utf-16-be"),
        "file_nul_bytes.csv": b"gebied;\x00indicator\x00;periode;waarde\n",
        "file_binary.csv": bytes(range(256)) * 4,
        "file_png.csv": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "file_pdf.csv": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n\x00",
        "file_bom_only.csv": "\ufeff",
        "file_huge_field.csv": f"{HEAD}\n" + '"' + "x" * 200_000 + '";a;b;c\n',
        "file_fake_xlsx.xlsx": b"PK\x03\x04 not really a workbook",
        "file_text_as_xlsx.xlsx": f"{HEAD}\nBU01640000;inwoners;2021;5\n",
        "file_gzip.csv": b"\x1f\x8b\x08\x00" + b"\x00" * 40,
        "file_invalid_utf8.csv": b"gebied;indicator;periode;waarde\n\x81\x8d\x8f\x90\x9d;x;2019;5\n",
    }
    files |= invisible_files()
    return {name: (v.encode("utf-8") if isinstance(v, str) else v) for name, v in files.items()}


def _workbook(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_parts(workbook: bytes, extra: dict[str, bytes], drop: tuple = ()) -> bytes:
    """The workbook with ``extra`` parts added (and parts named in ``drop`` left out)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename not in drop:
                dst.writestr(info, src.read(info.filename))
        for name, data in extra.items():
            dst.writestr(name, data)
    return out.getvalue()


def xlsx_files() -> dict[str, bytes]:
    head = ["gebied", "indicator", "periode", "waarde"]
    good = _workbook([head, ["BU01640000", "inwoners", 2021, 5]])
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("a.txt", "x")
    files = {
        "cell_xlsx_huge_number.xlsx": _workbook([head, ["BU01640000", "inwoners", 2021, 1e308]]),
        "cell_xlsx_tiny_number.xlsx": _workbook([head, ["BU01640000", "inwoners", 2021, 1e-300]]),
        "cell_xlsx_fraction_count.xlsx": _workbook([head, ["BU01640000", "inwoners", 2021, 0.5]]),
        "cell_xlsx_percent_text.xlsx": _workbook([head, ["BU01640000", "inwoners", 2021, "12%"]]),
        "cell_xlsx_negative.xlsx": _workbook([head, ["BU01640000", "inwoners", 2021, -3]]),
        "cell_xlsx_pct_over.xlsx": _workbook([head, ["WK016402", "vm_onveilig_buurt", 2019, 101]]),
        "cell_xlsx_dup_columns.xlsx": _workbook(
            [["gebied", "gebied", "indicator", "periode", "waarde"], ["WK016402"] * 5]
        ),
        "cell_xlsx_synonyms.xlsx": _workbook(
            [["gebied", "indicator", "periode", "waarde", "value"], ["WK016402", "x", 2019, 1, 2]]
        ),
        "cell_xlsx_formula.xlsx": _workbook(
            [head, ['=HYPERLINK("http://evil","x")', "inwoners", 2021, "=1+1"]]
        ),
        "cell_xlsx_future.xlsx": _workbook([head, ["BU01640000", "inwoners", 2099, 5]]),
        "cell_xlsx_invisible.xlsx": _workbook(
            [head, ["WK016402", "vm_onveilig_buurt\u202e", 2019, 20]]
        ),
        "cell_xlsx_wide_dup.xlsx": _workbook(
            [["gebied", "periode", "inwoners", "Inwoners"], ["BU01640000", 2021, 5, 6]]
        ),
        "file_xlsx_empty.xlsx": _workbook([]),
        "file_xlsx_header_only.xlsx": _workbook([head]),
        "file_xlsx_truncated.xlsx": good[: len(good) // 2],
        "file_xlsx_no_sheet.xlsx": _with_parts(good, {}, drop=("xl/worksheets/sheet1.xml",)),
        "file_xlsx_nested_zip.xlsx": _with_parts(
            good, {"xl/embeddings/inner.zip": inner.getvalue()}
        ),
        "file_xlsx_many_parts.xlsx": _with_parts(
            good, {f"xl/media/p{i}.txt": b"x" for i in range(250)}
        ),
        "file_xlsx_garbage_sheet.xlsx": _with_parts(
            good, {"xl/worksheets/sheet1.xml": b"<not xml"}, drop=("xl/worksheets/sheet1.xml",)
        ),
        "file_xlsx_entity_expansion.xlsx": _with_parts(
            good,
            {
                "xl/worksheets/sheet1.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                b'<worksheet><sheetData><row><c t="inlineStr"><is><t>&c;</t></is></c></row></sheetData></worksheet>'
            },
            drop=("xl/worksheets/sheet1.xml",),
        ),
    }
    return files


URLS = [
    "/?gebied=x&gebied=y", "/?indicator=a&indicator=b", "/?niveau=wijk&niveau=buurt",
    "/?taal=en&taal=nl", "/?periode=2021&periode=2022", "/?niveau=%00", "/?niveau=%0d%0a",
    "/?indicator=%3Cscript%3E", "/?gebied=" + "A" * 5000, "/?periode=9999-99", "/?periode=-1",
    "/?periode=1e308", "/?niveau=__proto__", "/?taal=", "/?taal=xx", "/?indicator=inwoners&niveau=x",
    "/?gebied[]=x", "/?gebied=x&gebied=", "/?=x", "/?&&&", "/?a=1&a=2&a=3&a=4",
    "/?indicator=_veilige-wijken", "/?niveau=gemeente", "/?gebied=WK016400&niveau=buurt",
    "/?periode=2021-13", "/?focus=1&focus=2", "/?layout=x", "/?code=x", "/?slug=x",
    "/thema?slug=a&slug=b", "/thema/onbekend", "/thema/%00", "/thema/veilige-wijken?taal=en&taal=de",
    "/thema/" + "x" * 3000, "/wijk/WK016400?code=x&code=y", "/wijk/XX", "/wijk/%0a", "/wijk/",
    "/wijk/WK016400?taal=en&taal=en", "/wijk/WK016400/extra", "/benchmark?item=a&item=b",
    "/benchmark?taal=%ff", "/vergelijk?a=x&a=y", "/vergelijk?gebieden=x&gebieden=y",
    "/vergelijk?indicator=1&indicator=2", "/vergelijk?wijken=WK016400,WK016400,WK016400",
    "/vergelijk?wijk=" + ",".join(["WK016400"] * 200), "/presentatie?dia=x&dia=y",
    "/presentatie?dia=-1", "/presentatie?dia=1e308", "/presentatie?dia=99999999999999999999",
    "/data?taal=en&taal=nl", "/toegankelijkheid?x=1&x=2", "/bestaat-niet?x=1&x=2", "/..%2f..%2f",
    "/%2e%2e/%2e%2e/etc/passwd", "/thema/veilige-wijken?periode=x&periode=y",
    "/?taal=%E2%80%AE", "/?indicator=%F0%9F%92%A3", "/?gebied=%25%25", "/?niveau=wijk%00buurt",
]  # fmt: skip
HTTP_URLS = [
    "/_dash-component-suites/nope/x.js", "/_dash-component-suites/dash/nope.js",
    "/_dash-component-suites/dash/../../etc/passwd", "/_dash-component-suites/plotly/x",
    "/_dash-component-suites/dash_bootstrap_components/_components/nope.min.js",
    "/_dash-component-suites/sys/x.js", "/_dash-component-suites/os/x.py",
    "/geo/x.geojson", "/geo/%00.geojson", "/geo/wijk.geojson?x=1&x=2", "/wijk/XX/profiel.pdf",
    "/wijk/%0a/profiel.pdf", "/wijk/WK016400/profiel.pdf?taal=en&taal=xx",
    "/wijk/" + "A" * 3000 + "/profiel.pdf", "/data/cijfers.csv?x=1&x=2", "/intern/%0aabc",
    "/intern/login?next=/intern%0d%0aSet-Cookie:x=1", "/intern/login?next=//evil.example",
    "/intern/login?next=javascript:alert(1)", "/intern/login?next=%5C%5Cevil", "/intern/login?next=/intern/..%2f..%2f",
    "/intern/login?next=/intern\\evil", "/intern/login?next=https://evil", "/intern/login?next=",
    "/intern/login?next=a&next=b", "/intern/import/abc/ongedaan", "/_dash-layout?x=1",
    "/_dash-dependencies?x=1", "/_reload-hash", "/assets/../dashboard/settings.py",
    # issue 20: OGC API, JSON per view, embeds
    "/ogc/collections/wijken/items?limit=-1", "/ogc/collections/wijken/items?limit=abc",
    "/ogc/collections/wijken/items?bbox=1,2,3", "/ogc/collections/wijken/items?offset=x",
    "/ogc/collections/nope/items", "/ogc?f=xml", "/ogc/collections/buurten/items?bbox=a,b,c,d",
    "/ogc/collections/buurten/items?crs=EPSG:4326", "/ogc/collections/cijfers/items?area=%00",
    "/ogc/collections/cijfers/items?period=%0a", "/ogc/collections/wijken/items/%00",
    "/ogc/collections/wijken/items?limit=99999999999999999999", "/data/json/?indicator=x",
    "/data/csv/wijk/%0a", "/data/json/" + "A" * 3000, "/data/csv/benchmark?tabel=%00",
    "/embed/wijk/%0a", "/embed/kaart?niveau=mars&taal=xx", "/embed?weergave=javascript:alert(1)",
]  # fmt: skip
LOGIN_NEXT = [
    "/intern\r\nSet-Cookie: x=1", "//evil.example", "javascript:alert(1)", "\\\\evil",
    "/intern\\..\\evil", "https://evil.example/intern", "/intern/../../x", "/\tintern", "",
    "/intern/" + "a" * 5000, "/intern?next=//evil", "%2F%2Fevil", "/intern\x00", "\r\n",
]  # fmt: skip
LOGIN_FIELDS = [
    {"username": "", "password": ""}, {"username": "a" * 10000, "password": "x"},
    {"username": "admin\r\n", "password": "\x00"}, {"username": "' OR 1=1 --", "password": "x"},
    {"username": "admin", "password": "x" * 100000}, {"username": "ädmïn", "password": "é"},
    {"password": "only"}, {"username": "only"}, {},
]  # fmt: skip
INDICATOR_FIELDS = [
    {"id": "", "label_nl": ""}, {"id": "1abc", "label_nl": "x"}, {"id": "a" * 500},
    {"id": "x_ok", "unit": "zzz"}, {"id": "x_ok", "min_n": "abc"}, {"id": "x_ok", "decimals": "-1"},
    {"id": "x_ok", "decimals": "1e308"}, {"id": "x_ok", "min_n": "99999999999999999999999"},
    {"id": "x_ok", "levels": "mars"}, {"id": "x_ok", "frequency": "decade"},
    {"id": "x_ok", "theme": "\x00"}, {"id": "x_ok", "polarity": "sideways"},
    {"id": "inwoners", "label_nl": "dubbel"}, {"id": "x_ok", "source": "NOPE"},
    {"id": "x_ok", "public": "maybe"}, {"id": "x_ok", "decimals": "99"},
    {"id": "x_ok\u202e", "label_nl": "x"}, {"id": "x_ok", "label_nl": "Inbraak\u200b"},
]  # fmt: skip
USER_FIELDS = [
    {"username": "", "password": "", "role": "staff"}, {"username": "x", "password": "kort", "role": "staff"},
    {"username": "x", "password": "een-lang-wachtwoord", "role": "god"},
    {"username": "a" * 1000, "password": "een-lang-wachtwoord", "role": "staff"},
    {"username": "x\r\ny", "password": "een-lang-wachtwoord", "role": "staff"},
]  # fmt: skip
IMPORT_FORM_FIELDS = [
    {"source": "", "period": ""}, {"source": "x" * 10000, "period": "x" * 10000},
    {"source": "=HYPERLINK(\"x\")", "period": "{THIS_MONTH}"}, {"source": "ok", "period": "2099"},
    {"source": "\x00", "period": "\r\n"}, {"source": "CBS\u202e", "period": ""},
    {"source": "\u200b", "period": "2019\u200e"},
]  # fmt: skip
CALLBACK_VALUES = [
    0, -1, 1.5, 10**30, True, "", "x" * 100_000, "<script>", [], ["a", "b"], [[1]], {}, {"a": 1},
    None, {"lang": ["x"]}, "1e308",
]  # fmt: skip

GEOMETRY = {
    "not_json.geojson": "{this is not json",
    "empty_file.geojson": "",
    "empty_collection.geojson": {"type": "FeatureCollection", "features": []},
    "wrong_crs.geojson": "WGS84",
    "self_intersecting.geojson": [[[0, 0], [100, 100], [100, 0], [0, 100], [0, 0]]],
    "empty_polygon.geojson": [],
    "point.geojson": "POINT",
    "line.geojson": "LINE",
    "unclosed_ring.geojson": [[[0, 0], [100, 0], [100, 100], [0, 100]]],
    "two_points_ring.geojson": [[[0, 0], [1, 1], [0, 0]]],
    "huge_coordinates.geojson": [[[0, 0], [1e308, 0], [1e308, 1e308], [0, 0]]],
    "overlap.geojson": "OVERLAP",
    "missing_columns.geojson": "NOCOLS",
    "bad_codes.geojson": "BADCODES",
    "null_geometry.geojson": None,
    "nested_garbage.geojson": {"type": "FeatureCollection", "features": [{"type": "Feature"}]},
}
RD = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def _feature(code: str, coords, kind: str = "Polygon", props: dict | None = None) -> dict:
    geometry = None if coords is None else {"type": kind, "coordinates": coords}
    properties = props or {
        "buurtcode": code,
        "buurtnaam": "Test",
        "wijkcode": "WK016400",
        "gemeenteco": "GM0164",
    }
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def geometry_files() -> dict[str, str]:
    square = [[[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]]]
    out = {}
    for name, spec in GEOMETRY.items():
        if isinstance(spec, str) and name in ("not_json.geojson", "empty_file.geojson"):
            out[name] = spec
            continue
        if isinstance(spec, dict):
            out[name] = json.dumps(spec | {"crs": RD})
            continue
        crs = RD
        if spec == "WGS84":
            features, crs = [_feature("BU01640000", square)], None
        elif spec == "POINT":
            features = [_feature("BU01640000", [5, 5], "Point")]
        elif spec == "LINE":
            features = [_feature("BU01640000", [[0, 0], [5, 5]], "LineString")]
        elif spec == "OVERLAP":
            features = [_feature("BU01640000", square), _feature("BU01640001", square)]
        elif spec == "NOCOLS":
            features = [_feature("BU01640000", square, props={"naam": "x"})]
        elif spec == "BADCODES":
            props = {"buurtcode": "XX", "buurtnaam": "", "wijkcode": "WK9", "gemeenteco": "GM1"}
            features = [_feature("XX", square, props=props)]
        else:
            features = [_feature("BU01640000", spec)]
        doc = {"type": "FeatureCollection", "features": features}
        if crs:
            doc["crs"] = crs
        out[name] = json.dumps(doc)
    return out


def main() -> None:
    imports = HERE / "imports"
    imports.mkdir(exist_ok=True)
    for old in imports.iterdir():
        old.unlink()
    for name, content in (csv_files() | xlsx_files()).items():
        (imports / name).write_bytes(content)
    geometry = HERE / "geometry"
    geometry.mkdir(exist_ok=True)
    for name, text in geometry_files().items():
        (geometry / name).write_text(text, encoding="utf-8")
    web = {
        "urls": URLS,
        "http_urls": HTTP_URLS,
        "login_next": LOGIN_NEXT,
        "login_fields": LOGIN_FIELDS,
        "indicator_fields": INDICATOR_FIELDS,
        "user_fields": USER_FIELDS,
        "import_form_fields": IMPORT_FORM_FIELDS,
        "callback_values": CALLBACK_VALUES,
    }
    (HERE / "web.json").write_text(json.dumps(web, indent=1, ensure_ascii=False) + "\n")
    counts = {k: len(v) for k, v in web.items()}
    print(f"{len(list(imports.iterdir()))} import files, {len(GEOMETRY)} geometry files, {counts}")


if __name__ == "__main__":
    main()
