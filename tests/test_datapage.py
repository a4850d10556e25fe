"""/data and its downloads (issue 18): only sources the store holds, with their real periods
and tables; counts written as whole numbers; an English table for English readers."""

import io
import json
import re

import pandas as pd

from dashclient import render_page


def page_text(client, search=""):
    status, content, raw = render_page(client, "/data", search)
    assert status == 200
    return json.dumps(content, ensure_ascii=False)


def table_rows(content_text: str, first_cell: str) -> list[str]:
    """The texts of the table row whose first cell is ``first_cell`` (rough, from JSON)."""
    return [m for m in re.findall(r'"children": "([^"]*)"', content_text)]


def test_data_page_lists_only_sources_the_store_holds_with_their_periods(client):
    text = page_text(client)
    cells = table_rows(text, "")
    # known, not fetched: nothing of it is in the store (only the definition names it)
    assert [c for c in cells if "47022NED" in c and "één maand" not in c] == []
    assert "2026" not in cells  # the period column: the periods of the figures it holds
    politie = cells.index(
        "Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente (totaal misdrijven)"
    )
    assert cells[politie + 1] == "2022, 2023, 2024"
    assert "Benchmark Veiligheid G32, ronde 2015, rapport gemeente Hengelo" in cells


def test_indicator_sources_name_the_table_per_year(client):
    cells = table_rows(page_text(client), "")
    inhabitants = cells[cells.index("Inwoners") :][:8]
    source = next(c for c in inhabitants if "83765NED" in c)
    assert source.startswith("2017: Bron: CBS, tabel 83765NED")
    assert "2021: Bron: CBS/Kadaster, PDOK, Wijk- en buurtkaart 2021" in source
    assert "2024: Bron: CBS, tabel 85984NED" in source
    english = table_rows(page_text(client, "?taal=en"), "")
    assert any("2024: Source: CBS, table 85984NED" in c for c in english)


def test_counts_are_written_as_whole_numbers(client):
    text = client.get("/data/cijfers.csv").get_data(as_text=True)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    counts = frame[(frame["unit"] == "count") & (frame["value"] != "")]
    assert len(counts) > 50
    assert counts["value"].str.fullmatch(r"\d+").all()
    assert ",83058," in text and "83058.0" not in text
    rates = frame[(frame["unit"] == "per1000") & (frame["value"] != "")]
    assert rates["value"].str.fullmatch(r"\d+(\.\d+)?").all()
    excel = client.get("/data/cijfers-excel.csv").data.decode("utf-8-sig")
    assert ";83058;" in excel and "83058,0" not in excel


def test_english_table_of_all_figures(client):
    response = client.get("/data/cijfers-en.csv")
    assert response.status_code == 200
    assert "figures-en.csv" in response.headers["Content-Disposition"]
    frame = pd.read_csv(io.BytesIO(response.data), dtype=str, keep_default_na=False)
    assert list(frame.columns[:4]) == ["area code", "area", "level", "indicator id"]
    row = frame[(frame["area code"] == "GM0164") & (frame["indicator id"] == "inwoners")]
    assert set(row["indicator"]) == {"Inhabitants"}
    assert row.loc[row["period"] == "2024", "value"].iloc[0] == "83058"
    text = response.get_data(as_text=True)
    for dutch in ("Bron:", "Afgeleid uit", "gepubliceerd", "Inwoners,"):
        assert dutch not in text
    assert "Derived from" in text and "municipality" in text


def test_english_data_page_links_the_english_table(client):
    status, content, raw = render_page(client, "/data", "?taal=en")
    hrefs = re.findall(r'"href": "([^"]*)"', json.dumps(content))
    assert "/data/cijfers-en.csv" in hrefs and "/data/cijfers.csv" not in hrefs
    dutch = re.findall(r'"href": "([^"]*)"', json.dumps(render_page(client, "/data")[1]))
    assert "/data/cijfers.csv" in dutch and "/data/cijfers-en.csv" not in dutch


def test_data_page_says_where_rounding_and_complementary_suppression_apply(client):
    text = page_text(client)
    assert "aanvullende onderdrukking" in text and "zoals geladen" in text
    english = page_text(client, "?taal=en")
    assert "complementary suppression" in english and "as loaded" in english


def test_the_build_date_is_written_as_each_language_writes_dates(client, context):
    """'op 04-12-2026 in het dashboard geladen' on the Dutch page, '4 December 2026' on the English one (the
    build day in the gemeente's time zone), as the PDF and the staff log write dates."""
    from datetime import datetime

    from indicators.age import format_day
    from indicators.schedule import TIMEZONE

    built = datetime.fromisoformat(str(context.data.meta["built_at"])).astimezone(TIMEZONE)
    dutch, english = page_text(client), page_text(client, "?taal=en")
    assert f"De cijfers zijn op {format_day(built.date(), 'nl')} in het dashboard" in dutch
    assert f"source files on {format_day(built.date(), 'en')};" in english
    assert built.strftime("%Y-%m-%d") not in dutch + english
