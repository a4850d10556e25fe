"""The wijk profile PDF as an accessible document (issue 18): tagged (a structure tree with
headings, paragraphs, lists, tables with header cells and the map as a figure with alt text),
marked, in the page's language, titled, declared PDF/UA-1, and with the real minus sign."""

from __future__ import annotations

import dataclasses
import io
from collections import Counter

import pypdf
import pytest
from pypdf.generic import ArrayObject, DictionaryObject

from dashboard import pdf
from dashboard import profile as prof
from indicators.formatting import format_signed


def reader_for(client, url: str) -> pypdf.PdfReader:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.data))


def structure_elements(reader: pypdf.PdfReader) -> list[DictionaryObject]:
    """Every structure element of the PDF's tree, in document order."""
    found: list[DictionaryObject] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject):
            if "/S" in node:
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def structure_tags(reader: pypdf.PdfReader) -> Counter:
    """How often each structure type (``/H1``, ``/TD``, ...) occurs."""
    return Counter(str(element["/S"]) for element in structure_elements(reader))


def plain_text(reader: pypdf.PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_pdf_has_a_structure_tree_of_headings_paragraphs_tables_and_a_figure(client):
    reader = reader_for(client, "/wijk/berflo-es/profiel.pdf")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    tags = structure_tags(reader)
    assert tags["/H1"] == 1 and tags["/H2"] >= 4
    assert tags["/P"] >= 5 and tags["/L"] >= 2 and tags["/LI"] >= 3
    assert tags["/Table"] == 2 and tags["/TR"] > 20
    # the figures table's seven column headers and the buurt table's 1 + 7 buurten
    assert tags["/TH"] == 7 + 1 + 7 and tags["/TD"] > 100
    assert tags["/Figure"] == 1 and tags["/Caption"] == 1


@pytest.mark.parametrize(
    "query, lang, alt",
    [
        ("", "nl-NL", "Kaart van wijk Berflo Es met de grenzen van zijn 7 buurten: "),
        ("?taal=en", "en-GB", "Map of the district Berflo Es with the boundaries of its 7 "),
    ],
)
def test_the_map_figure_says_in_words_what_it_shows(client, context, query, lang, alt):
    reader = reader_for(client, f"/wijk/berflo-es/profiel.pdf{query}")
    assert reader.trailer["/Root"]["/Lang"] == lang
    (figure,) = [e for e in structure_elements(reader) if e["/S"] == "/Figure"]
    assert figure["/Alt"].startswith(alt)
    names = context.areas["buurt"].query("wijkcode == 'WK016405'")["name"]
    assert all(name in figure["/Alt"] for name in names)


def test_the_pdf_declares_pdf_ua_1_and_shows_its_title(client):
    reader = reader_for(client, "/wijk/binnenstad/profiel.pdf?taal=en")
    root = reader.trailer["/Root"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == "District profile Binnenstad"
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp and b"District profile Binnenstad" in xmp


def test_dutch_points_on_an_english_page_are_marked_dutch(client):
    reader = reader_for(client, "/wijk/binnenstad/profiel.pdf?taal=en")
    marked = Counter(
        (str(e["/S"]), str(e["/Lang"])) for e in structure_elements(reader) if "/Lang" in e
    )
    # three aandachtspunten, and five KPI texts quoted in a line whose status is English
    assert marked == {("/LBody", "nl-NL"): 3, ("/Quote", "nl-NL"): 5}
    dutch = reader_for(client, "/wijk/binnenstad/profiel.pdf")
    assert not [e for e in structure_elements(dutch) if "/Lang" in e]


def test_a_negative_difference_is_written_with_the_minus_sign(client, context):
    figures = prof.wijk_profile(context, "WK016405").figures
    negative = figures[figures["difference"] < 0].iloc[0]
    text = plain_text(reader_for(client, "/wijk/berflo-es/profiel.pdf"))
    written = format_signed(negative["difference"], int(negative["decimals"]), "nl")
    assert written.startswith("\u2212") and f" {written} " in text
    assert f" -{written[1:]} " not in text


def test_names_are_set_as_text_never_read_as_typst_markup(context):
    profile = prof.wijk_profile(context, "WK016405")
    odd = dataclasses.replace(profile, name='Wijk #x *vet* $a$ _b_ <c> @d "e" \\f [g] = h')
    reader = pypdf.PdfReader(io.BytesIO(pdf.profile_pdf(odd, context.data.indicators)))
    text = plain_text(reader)
    assert 'Wijkprofiel Wijk #x *vet* $a$ _b_ <c> @d "e" \\f [g] = h' in text
    assert reader.metadata.title.startswith("Wijkprofiel Wijk #x")


def test_without_a_map_there_is_no_figure_and_still_one_page(context):
    profile = prof.wijk_profile(context, "WK016409")
    reader = pypdf.PdfReader(io.BytesIO(pdf.profile_pdf(profile, context.data.indicators, "en")))
    assert len(reader.pages) == 1 and structure_tags(reader)["/Figure"] == 0
    assert "District profile Buitengebied" in plain_text(reader)


def test_the_map_drops_the_vertices_a_print_cannot_show(context):
    import shapely

    from dashboard.pdfmap import drawn

    buurten = context.data.buurten
    simpler = drawn(buurten)
    before = shapely.get_num_coordinates(buurten.geometry.values).sum()
    assert shapely.get_num_coordinates(simpler.geometry.values).sum() < 0.7 * before
    assert simpler.crs == buurten.crs and simpler.geometry.is_valid.all()
    assert abs(simpler.area.sum() / buurten.area.sum() - 1) < 0.001


def test_no_map_label_covers_a_number_or_another_name(context):
    from dashboard.pdfmap import (
        DISC_MM,
        drawn,
        label_anchors,
        label_box,
        map_extent,
        small_buurten,
    )

    buurten, wijken = drawn(context.data.buurten), context.data.wijken
    for wijk in wijken["wijkcode"]:
        own = buurten[buurten["wijkcode"] == wijk]
        bounds = wijken[wijken["wijkcode"] == wijk].total_bounds
        minx, miny, maxx, maxy = map_extent(bounds, 86 / 25.4, 56 / 25.4)
        numbered = small_buurten(own, (maxx - minx) * (maxy - miny))
        per_mm = (maxx - minx) / 86
        anchors = label_anchors(own, numbered, per_mm)
        discs = [shapely_point(*anchors[c][1:]).buffer(DISC_MM * per_mm) for c in numbered]
        names = [label_box(*anchors[c], per_mm) for c in anchors if c not in numbered]
        for i, box in enumerate(names):
            assert not any(box.intersects(disc) for disc in discs), wijk
            assert not any(box.intersects(other) for other in names[i + 1 :]), wijk


def shapely_point(x, y):
    from shapely import Point

    return Point(x, y)
