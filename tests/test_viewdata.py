"""JSON per view next to its CSV (issue 20): both formats from one frame, so they hold the same
rows; the map's CSV is what its download button sends; bad parameters are a 400 with the
page's own notice, never a 500."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from dashboard import ids
from dashboard.downloads import public_figures
from dashboard.figures import short_value

from dashclient import call, prop

VIEWS = [
    "/?indicator=misdrijf_geweld&niveau=buurt",
    "/?niveau=wijk&taal=en",
    "/wijk/berflo-es",
    "/wijk/WK016401?taal=en",
    "/benchmark",
    "/vergelijk",
    "/thema",
    "/data",
]


def tables(client, view: str) -> dict:
    response = client.get("/data/json" + view)
    assert response.status_code == 200, (view, response.data[:200])
    assert response.mimetype == "application/json"
    return json.loads(response.data)


def csv_frame(client, view: str, name: str) -> pd.DataFrame:
    joiner = "&" if "?" in view else "?"
    response = client.get(f"/data/csv{view}{joiner}tabel={name}")
    assert response.status_code == 200, (view, name)
    sep = "," if "taal=en" in view else ";"
    text = response.data.decode("utf-8")
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("view", VIEWS)
def test_csv_and_json_of_a_view_hold_the_same_rows(client, view):
    doc = tables(client, view)
    assert doc["tables"], view
    assert {s["licence"] for s in doc["sources"]} and doc["view"].startswith("/")
    for table in doc["tables"]:
        frame = csv_frame(client, view, table["name"])
        for csv_name, json_name in zip(frame.columns, table["columns"], strict=True):
            assert csv_name in (json_name, "'" + json_name)
        assert len(frame) == len(table["rows"]) > 0, table["name"]
        for csv_row, json_row in zip(frame.to_dict("records"), table["rows"], strict=True):
            for (column, csv_cell), json_cell in zip(
                csv_row.items(), json_row.values(), strict=True
            ):
                json_cell = "" if json_cell is None else str(json_cell)
                # the CSV makes a formula-like cell inert with a leading apostrophe
                assert csv_cell in (json_cell, "'" + json_cell), (view, column)


def test_map_csv_is_what_the_download_button_sends(client):
    status, data, _ = call(
        client,
        [(ids.MAP_DOWNLOAD, "data")],
        [prop(ids.MAP_DOWNLOAD_BUTTON, "n_clicks", 1)],
        [
            prop(ids.MAP_INDICATOR, "value", "misdrijf_geweld"),
            prop(ids.MAP_LEVEL, "value", "buurt"),
            prop(ids.MAP_LANG, "data", "nl"),
            prop(ids.MAP_PERIOD, "value", None),
            prop(ids.MAP_MEASURE, "value", None),
        ],
    )
    button = data["response"][ids.MAP_DOWNLOAD]["data"]
    stable = client.get("/data/csv/?indicator=misdrijf_geweld&niveau=buurt")
    assert stable.data.decode() == button["content"]
    assert stable.headers["Content-Disposition"].endswith(f'filename="{button["filename"]}"')


def test_wijk_json_carries_the_profile_figures(client, context):
    from dashboard.profile import wijk_profile

    profile = wijk_profile(context, "WK016405")
    doc = tables(client, "/wijk/berflo-es")
    first = doc["tables"][0]
    row = profile.figures.iloc[0]
    shown = short_value(row["value"], row["unit"], int(row["decimals"]), "nl")
    cells = first["rows"][0]
    assert cells[first["columns"][0]].startswith(row["label_nl"])
    assert cells[first["columns"][1]] == shown


def test_all_figures_json_is_the_csv_download(client, context):
    doc = json.loads(client.get("/data/cijfers.json").data)
    csv = pd.read_csv(io.StringIO(client.get("/data/cijfers.csv").data.decode()), dtype=str)
    assert len(doc["figures"]) == len(csv) == len(public_figures(context))
    for record, (_, row) in zip(doc["figures"][:50], csv.head(50).iterrows(), strict=True):
        assert record["area_code"] == row["area_code"] and record["period"] == row["period"]
        value = record["value"]
        assert (pd.isna(row["value"]) and value is None) or float(row["value"]) == value
    assert {s["source"] for s in doc["sources"]} <= set(context.data.sources["id"])


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/data/json/?indicator=nope", 400, "nope"),
        ("/data/json/?niveau=mars", 400, "mars"),
        ("/data/json/?taal=xx", 400, "xx"),
        ("/data/csv/benchmark?tabel=zzz", 400, "g32-veiligheid"),
        ("/data/json/wijk/nope", 404, "nope"),
        ("/data/json/intern", 404, "intern"),
        ("/data/json/presentatie", 404, "presentatie"),
        ("/data/csv/embed/kaart", 404, "embed"),
    ],
)
def test_bad_views_are_a_400_or_404_with_a_message(client, url, status, words):
    response = client.get(url)
    assert response.status_code == status and words in response.data.decode()
