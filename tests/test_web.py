"""The web side (issue 12): <html lang>, titles, 404s, robots/favicon, links, /data in
English, buurt URLs under /wijk, downloads for Excel, CSV injection, the PDF and its map,
postcode search and its fetch."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from dashboard.shell import href
from indicators import postcode
from indicators.csvsafe import neutralise, neutralise_text

from dashclient import render_page

FIXTURES = Path(__file__).parent / "fixtures" / "postcode"


def html_of(client, path):
    response = client.get(path)
    body = response.get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", body)
    lang = re.search(r'<html lang="(\w+)"', body)
    return response.status_code, title and title.group(1), lang and lang.group(1), body


# --- language, titles, status -------------------------------------------------------------


@pytest.mark.parametrize(
    "path,title,lang",
    [
        ("/", "Kaart – Wijkveiligheid Hengelo", "nl"),
        ("/?taal=en", "Map – Neighbourhood Safety Hengelo", "en"),
        ("/wijk/berflo-es", "Berflo Es – wijkprofiel – Wijkveiligheid Hengelo", "nl"),
        (
            "/wijk/berflo-es?taal=en",
            "Berflo Es – district profile – Neighbourhood Safety Hengelo",
            "en",
        ),
        ("/thema/veilige-wijken?taal=en", None, "en"),
        (
            "/?niveau=buurt&gebied=BU01640000",
            "Binnenstad-Centrum – Kaart – Wijkveiligheid Hengelo",
            "nl",
        ),
        ("/data?taal=en", "About the data – Neighbourhood Safety Hengelo", "en"),
        ("/benchmark?taal=xx", "G32-benchmark – Wijkveiligheid Hengelo", "nl"),
        (
            "/vergelijk?gebieden=WK016405,GM0164",
            "Berflo Es, Hengelo – Vergelijken – Wijkveiligheid Hengelo",
            "nl",
        ),
        ("/vergelijk?gebieden=bogus", "Vergelijken – Wijkveiligheid Hengelo", "nl"),
    ],
)
def test_first_html_has_the_page_language_and_a_title_naming_the_page(client, path, title, lang):
    status, found_title, found_lang, _ = html_of(client, path)
    assert status == 200
    assert found_lang == lang
    if title:
        assert found_title == title
    else:
        assert found_title.startswith("2.1 ") and "– theme –" in found_title


def test_titles_after_navigation_follow_the_language(client):
    from dashclient import call, prop

    status, reply, _ = call(
        client,
        [("_pages_content", "children"), ("_pages_store", "data")],
        [
            prop("_pages_location", "pathname", "/wijk/berflo-es"),
            prop("_pages_location", "search", "?taal=en"),
        ],
        changed=["_pages_location.pathname"],
    )
    assert status == 200
    title = reply["response"]["_pages_store"]["data"]["title"]
    assert title == "Berflo Es – district profile – Neighbourhood Safety Hengelo"


@pytest.mark.parametrize(
    "path,status",
    [
        ("/bestaat-niet", 404),
        ("/wijk/bestaat-niet", 404),
        ("/thema/bestaat-niet", 404),
        ("/a/b/c", 404),
        ("/404", 404),
        ("/", 200),
        ("/wijk/WK016405", 200),
        ("/thema/veilige-wijken", 200),
        ("/toegankelijkheid", 200),
        ("/presentatie", 200),
    ],
)
def test_unknown_pages_answer_404_with_the_app(client, path, status):
    code, title, _, body = html_of(client, path)
    assert code == status
    if status == 404:
        assert title.startswith("Niet gevonden") and 'id="react-entry-point"' in body


def test_robots_and_favicon_are_real_files(client):
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.mimetype == "text/plain"
    assert "Disallow: /intern/" in robots.get_data(as_text=True)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"
    _, _, _, body = html_of(client, "/")
    assert "/assets/favicon.ico" in body


def test_scripts_are_not_in_a_second_footer_landmark(client):
    _, _, _, body = html_of(client, "/")
    assert "<footer>" not in body


def test_links_keep_their_own_query_and_the_language():
    assert href("/?niveau=wijk", "en") == "/?niveau=wijk&taal=en"
    assert href("/?niveau=wijk&taal=en", "nl") == "/?niveau=wijk"
    assert href("/vergelijk", "en", gebieden="A,B") == "/vergelijk?gebieden=A%2CB&taal=en"


def test_english_breadcrumb_to_the_wijken_map_is_one_query(client):
    _, content, _ = render_page(client, "/wijk/berflo-es", "?taal=en")
    links = re.findall(r'"href": "([^"]*)"', json.dumps(content))
    assert "/?niveau=wijk&taal=en" in links
    assert not [link for link in links if link.count("?") > 1]


def test_data_page_notes_are_english_in_english(client):
    _, content, _ = render_page(client, "/data", "?taal=en")
    text = json.dumps(content)
    assert "Municipality level only, 2022-2024." in text
    assert "Alleen gemeenteniveau" not in text
    assert "/data/cijfers-excel.csv" in text
    assert "Source: CBS" in text and "Public council document" in text
    assert "Bron: CBS" not in text and "Openbaar raadsdocument" not in text
    _, content, _ = render_page(client, "/data", "")
    assert "Bron: CBS" in json.dumps(content)


# --- buurt under /wijk ----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["BU01640501", "bu01640501", "berflo-es-noord", "Berflo Es Noord"])
def test_a_buurt_under_wijk_leads_to_its_wijk_with_the_buurt_chosen(client, key):
    response = client.get(f"/wijk/{key}?taal=en")
    assert response.status_code == 302
    assert response.headers["Location"] == "/wijk/berflo-es?buurt=BU01640501&taal=en"


def test_the_wijk_page_opens_on_the_chosen_buurt(client):
    status, content, _ = render_page(client, "/wijk/berflo-es", "?buurt=BU01640501")
    assert status == 200
    text = json.dumps(content, ensure_ascii=False)
    assert "Buurt Berflo Es Noord" in text and "gekozen-buurt" in text
    assert "buurt=BU01640501&taal=en" in text  # the language switch keeps the buurt
    # a buurt of another wijk is ignored, a wijk with a buurt's name stays the wijk
    _, content, _ = render_page(client, "/wijk/berflo-es", "?buurt=BU01640000")
    assert "gekozen-buurt" not in json.dumps(content)
    assert client.get("/wijk/noord").status_code == 200


# --- downloads ------------------------------------------------------------------------------


def test_excel_csv_is_dutch_excel_and_holds_the_same_figures(client):
    plain = pd.read_csv(io.BytesIO(client.get("/data/cijfers.csv").data))
    response = client.get("/data/cijfers-excel.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("gebiedscode;gebied;niveau;")
    excel = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert len(excel) == len(plain)
    pd.testing.assert_series_equal(
        excel["waarde"], plain["value"], check_names=False, check_exact=False
    )
    assert "4,959" in text or re.search(r";\d+,\d+;", text)  # decimal comma
    assert "gepubliceerd" in set(excel["status"])
    assert not excel["dekking_buurten"].dropna().str.contains("/").any()


def test_neutralise_guards_formulas_and_keeps_numbers():
    frame = pd.DataFrame(
        {
            "name": ["=1+1", "+SUM(1)", "-cmd", "@SUM(A1)", "\tx", "\rx", "Berflo", "-0,3", None],
            "value": [-1.5, 2.0, -3.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    out = neutralise(frame)
    assert list(out["name"][:6]) == ["'=1+1", "'+SUM(1)", "'-cmd", "'@SUM(A1)", "'\tx", "'\rx"]
    assert out["name"][6] == "Berflo" and out["name"][7] == "-0,3" and pd.isna(out["name"][8])
    pd.testing.assert_series_equal(out["value"], frame["value"])
    assert neutralise_text("-2+3+cmd") == "'-2+3+cmd"


def test_public_csv_neutralises_a_formula_in_a_note(context, monkeypatch):
    from dashboard import downloads

    frame = downloads.public_figures(context)
    frame.loc[0, "note"] = "=HYPERLINK(1)"
    monkeypatch.setattr(downloads, "public_figures", lambda ctx: frame.copy())
    assert "'=HYPERLINK(1)" in downloads.public_figures_csv(context)
    assert b"'=HYPERLINK(1)" in downloads.public_figures_excel_csv(context)


# --- PDF ------------------------------------------------------------------------------------


def test_profile_pdf_opens_inline_with_map_and_coverage_notes(client, output_dir_web):
    from pypdf import PdfReader
    from test_pdf_tagged import structure_tags

    response = client.get("/wijk/berflo-es/profiel.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'inline; filename="wijkprofiel-berflo-es.pdf"'
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Afgeleid uit 4 van 7 buurten" in text
    assert "Kaart: de buurten van Berflo Es" in text
    assert structure_tags(reader)["/Figure"] == 1  # the map (vector, from SVG)
    (output_dir_web / "wijkprofiel-berflo-es.pdf").write_bytes(response.data)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                str(output_dir_web / "wijkprofiel-berflo-es.pdf"),
                str(output_dir_web / "wijkprofiel-berflo-es"),
            ],
            check=True,
        )
        assert (output_dir_web / "wijkprofiel-berflo-es-1.png").stat().st_size > 20_000


def test_wijk_map_numbers_the_buurten_too_small_for_a_name(context):
    from dashboard.pdfmap import wijk_map_svg

    svg, numbered = wijk_map_svg(context.data.buurten, context.data.wijken, "WK016409")
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    assert numbered and set(numbered) <= set(context.areas["buurt"]["code"])
    _, none = wijk_map_svg(context.data.buurten, context.data.wijken, "WK016405", focus=True)
    assert none == {}


def test_english_pdf_says_derived_in_english(client):
    from pypdf import PdfReader

    response = client.get("/wijk/berflo-es/profiel.pdf?taal=en")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Derived from 4 of 7 neighbourhoods" in text


# --- postcodes ------------------------------------------------------------------------------


def test_pc4_from_the_bundled_buurt_attributes():
    from dashboard.postcodes import pc4_index

    index = pc4_index()
    assert "BU01640100" in index["7556"] and "BU01640102" in index["7556"]
    assert all(code.startswith("BU0164") for codes in index.values() for code in codes)
    answer = postcode.lookup("7556", index)
    assert answer.kind == "approximate" and answer.buurten == index["7556"]
    assert postcode.lookup("Tuindorp", index) is None


def fixture_table() -> pd.DataFrame:
    rows = pd.read_csv(FIXTURES / "pc6hnr20210801_gwb.csv", sep=";", dtype=str)
    return postcode.pc6_table(rows, "GM0164", 2021)


def test_pc6_table_from_the_cbs_address_layout():
    table = fixture_table()
    assert set(table["pc6"]) == {"7556AB", "7553XY", "7551CD", "7551EF"}  # not Enschede's
    ab = table[table["pc6"] == "7556AB"].set_index("buurtcode")["adressen"].to_dict()
    assert ab == {"BU01640100": 2, "BU01640101": 1}


@pytest.mark.parametrize(
    "text,kind,buurten",
    [
        ("7556AB", "exact", ["BU01640100", "BU01640101"]),
        ("7556 ab", "exact", ["BU01640100", "BU01640101"]),
        ("7553XY", "exact", ["BU01640501"]),
        ("7556ZZ", "unknown_pc6", None),
    ],
)
def test_pc6_lookup_is_exact_with_the_table(text, kind, buurten):
    from dashboard.postcodes import pc4_index

    answer = postcode.lookup(text, pc4_index(), fixture_table())
    assert answer.kind == kind
    assert answer.buurten == (buurten or pc4_index()["7556"])


def test_pc6_without_the_table_falls_back_to_its_pc4():
    from dashboard.postcodes import pc4_index

    answer = postcode.lookup("7556AB", pc4_index(), None)
    assert answer.kind == "fallback" and answer.buurten == pc4_index()["7556"]


def search_text(client, query, lang="nl"):
    from dashboard import ids

    from dashclient import call, prop

    status, reply, _ = call(
        client,
        [("kaart-search-results", "children")],
        [prop("kaart-search", "value", query)],
        state=[prop(ids.MAP_LANG, "data", lang)],
    )
    assert status == 200
    return json.dumps(reply["response"]["kaart-search-results"]["children"], ensure_ascii=False)


def test_map_search_knows_postcodes(client):
    text = search_text(client, "7556")
    assert "bij benadering" in text and "Hengelose Es-Noord" in text
    assert "kaart-search-result" in text
    text = search_text(client, "7556 ab", "en")
    assert "exact table per postcode is not loaded" in text
    assert "Tuindorp" in search_text(client, "Tuindorp")


class FakeCbs(BaseHTTPRequestHandler):
    body = b""
    status = 200

    def do_GET(self):  # noqa: N802 - http.server API
        self.send_response(self.status)
        self.send_header("Content-Type", "application/zip")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def fake_cbs_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(FIXTURES / "pc6hnr20210801_gwb.csv", "pc6hnr20210801_gwb.csv")
        archive.writestr("gem2021.csv", "Gemcode2021;Gemeentenaam2021\n164;Hengelo\n")
    FakeCbs.body, FakeCbs.status = buffer.getvalue(), 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeCbs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/2021-cbs-pc6huisnr.zip"
    server.shutdown()


def test_fetch_postcode_table_then_search_is_exact(staff_store, fake_cbs_zip, capsys):
    from dashboard.cli import main
    from dashboard.data import get_context
    from dashboard.postcodes import postcode_results

    args = ["--store", str(staff_store.path), "fetch", "--table", "postcode", "--url", fake_cbs_zip]
    assert main([*args, "--dry-run"]) == 0
    assert staff_store.postcodes().empty
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "3 postcodes in 4 buurten" in out and "BU01649999" in out
    table = staff_store.postcodes()
    assert set(table["pc6"]) == {"7556AB", "7553XY", "7551CD"}
    text = json.dumps(
        postcode_results(get_context(), "7553xy", "nl"), default=lambda o: o.to_plotly_json()
    )
    assert "volgens CBS" in text and "Berflo Es Noord" in text and "2 adressen" in text


@pytest.mark.parametrize("mode", ["http", "not-a-zip-member"])
def test_fetch_postcode_failures_write_nothing(staff_store, fake_cbs_zip, capsys, mode):
    from dashboard.cli import main

    if mode == "http":
        FakeCbs.status = 404
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("iets-anders.csv", "a;b\n1;2\n")
        FakeCbs.body = buffer.getvalue()
    args = ["--store", str(staff_store.path), "fetch", "--table", "postcode", "--url", fake_cbs_zip]
    assert main(args) == 1
    assert "niets veranderd" in capsys.readouterr().err
    assert staff_store.postcodes().empty


@pytest.fixture(scope="module")
def output_dir_web():
    from conftest import OUTPUT

    path = OUTPUT / "web"
    path.mkdir(parents=True, exist_ok=True)
    return path
