"""The wijk profile PDF after a staff import of one buurt figure (found by benchmarks/load.py,
whose staff cycle imports it): the wijk's derived figure has no rank among the wijken, and the
PDF shows a dash instead of failing with HTTP 500. Figures in this file are made up."""

from importcycle import csv_for

from indicators import staff


def test_a_wijk_figure_without_a_rank_gets_a_dash_in_the_pdf(staff_store, client):
    content = csv_for(10.0)
    parsed = staff.parse_for_store(staff_store, content, "cijfers.csv")
    assert parsed.ok, parsed.issues
    staff_store.commit_import(parsed, "admin", "cijfers.csv", content, "Test")
    response = client.get("/wijk/WK016405/profiel.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
