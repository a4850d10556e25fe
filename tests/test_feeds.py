"""Atom feeds of the changes beyond chance (issue 18 A2), through the real Flask test client on
real temporary stores: the structure RFC 4287 asks for, stable ids, entry times from the store,
the right numbers, no suppressed figure, both languages, the public URL rule and conditional
requests. The two- and three-period figures imported here are made up (test data only)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pandas as pd
import pytest

from dashboard import data
from indicators import feed, staff

from conftest import PASSWORD, copy_embedded
from dashclient import render_page

NS = {"a": "http://www.w3.org/2005/Atom", "x": "http://www.w3.org/1999/xhtml"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WIJKEN = [f"WK01640{i}" for i in range(10)]
BERFLO, NOORD = "WK016405", "WK016402"
BERFLO_NOORD, BERFLO_ZUID = "BU01640501", "BU01640502"
# made-up registered crimes per wijk in 2022, 2023, 2024 (multiples of 5: counts are rounded)
CRIMES = {BERFLO: (200, 300, 310), NOORD: (200, 250, 255)}
PUBLIC = "https://wijkveiligheid.example.nl"


def made_up_csv() -> str:
    """Three years of made-up crime counts per wijk, two for two buurten of Berflo Es, and
    two survey rounds: Berflo Es with 450 respondents, Noord with 20 (below the minimum n, so
    suppressed on public pages however much it moves)."""
    lines = ["gebied;indicator;periode;waarde;n"]
    for code in WIJKEN:
        for year, value in zip((2022, 2023, 2024), CRIMES.get(code, (200, 205, 200)), strict=True):
            lines.append(f"{code};geregistreerde_misdrijven;{year};{value};")
    for code, (before, after) in {BERFLO_NOORD: (100, 200), BERFLO_ZUID: (100, 105)}.items():
        lines.append(f"{code};geregistreerde_misdrijven;2023;{before};")
        lines.append(f"{code};geregistreerde_misdrijven;2024;{after};")
    lines += [f"{BERFLO};vm_onveilig_buurt;2019;20;450", f"{BERFLO};vm_onveilig_buurt;2023;30;450"]
    lines += [f"{NOORD};vm_onveilig_buurt;2019;10;20", f"{NOORD};vm_onveilig_buurt;2023;60;20"]
    return "\n".join(lines) + "\n"


def load(store, text: str, name: str = "verzonnen.csv") -> None:
    content = text.encode()
    parsed = staff.parse_for_store(store, content, name)
    assert parsed.ok, parsed.errors
    store.commit_import(parsed, "anna", name, content, "Test (verzonnen)")


@pytest.fixture(scope="module")
def made_up_store(base_store, tmp_path_factory):
    """A copy of the real store with the made-up figures imported (made once)."""
    store = copy_embedded(base_store, tmp_path_factory.mktemp("feeds"), "feeds.gpkg")
    store.add_user("anna", PASSWORD)
    load(store, made_up_csv())
    return store


@pytest.fixture()
def feed_store(made_up_store, base_store):
    data.use_store(made_up_store)
    yield made_up_store
    data.use_store(base_store)


@pytest.fixture()
def own_store(made_up_store, base_store, tmp_path):
    """A private copy of the made-up store for a test that changes it."""
    store = data.use_store(copy_embedded(made_up_store, tmp_path, "own.gpkg"))
    yield store
    data.use_store(base_store)


def get_feed(client, path: str, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.data
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    return response, ET.fromstring(response.data)


def entries(root) -> dict[str, ET.Element]:
    return {e.findtext("a:id", namespaces=NS): e for e in root.findall("a:entry", NS)}


def entry_text(entry) -> str:
    return "".join(entry.find("a:content", NS).itertext())


def entry_of(root, area: str, indicator: str, start: str, end: str) -> ET.Element | None:
    suffix = f":GM0164/{area}/{indicator}/{start}/{end}"
    return next((e for i, e in entries(root).items() if i.endswith(suffix)), None)


def check_atom(root) -> None:
    """The elements RFC 4287 requires of a feed and of each entry."""
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for tag in ("id", "title", "updated"):
        assert (root.findtext(f"a:{tag}", namespaces=NS) or "").strip(), tag
    assert root.find("a:author/a:name", NS).text.strip()
    assert [link.get("href") for link in root.findall("a:link[@rel='self']", NS)]
    datetime.fromisoformat(root.findtext("a:updated", namespaces=NS))
    ids = [e.findtext("a:id", namespaces=NS) for e in root.findall("a:entry", NS)]
    assert len(ids) == len(set(ids))
    for entry in root.findall("a:entry", NS):
        assert entry.findtext("a:id", namespaces=NS).startswith("tag:")
        assert entry.findtext("a:title", namespaces=NS).strip()
        datetime.fromisoformat(entry.findtext("a:updated", namespaces=NS))
        assert entry.find("a:link[@rel='alternate']", NS).get("href")
        content = entry.find("a:content", NS)
        assert content.get("type") == "xhtml" and content.find("x:div", NS) is not None


def test_wijk_feed_is_atom_with_the_changes_beyond_chance(app, feed_store):
    client = app.server.test_client()
    _, root = get_feed(client, "/wijk/berflo-es/veranderingen.atom")
    check_atom(root)
    assert root.get(XML_LANG) == "nl"
    assert root.findtext("a:title", namespaces=NS).startswith("Veranderingen in Berflo Es")
    # 200 -> 300 between 2022 and 2023: exact Poisson, beyond 99.8%; 300 -> 310 within chance
    crimes = entry_of(root, BERFLO, "geregistreerde_misdrijven", "2022", "2023")
    text = entry_text(crimes)
    assert "2022: 200 (aantal)" in text and "2023: 300 (aantal)" in text
    assert "Verschil: +100 (+50%)" in text
    assert "Toets: exacte Poisson-toets, p < 0,001; meer dan toeval (99,8%)" in text
    assert "Bron: Gemeente Hengelo (import), Test (verzonnen) (2024)" in text
    assert crimes.findtext("a:title", namespaces=NS) == (
        "Berflo Es: Geregistreerde misdrijven (totaal) (2022 → 2023): 200 → 300 (+50%), "
        "meer dan toeval (99,8%; exacte Poisson-toets)"
    )
    assert entry_of(root, BERFLO, "geregistreerde_misdrijven", "2023", "2024") is None
    assert entry_of(root, BERFLO, "geregistreerde_misdrijven", "2022", "2024") is None
    # the survey on its margins, and a buurt of the wijk with its own links
    survey = entry_text(entry_of(root, BERFLO, "vm_onveilig_buurt", "2019", "2023"))
    assert "2019: 20%" in survey and "+10 procentpunten" in survey and "marges" in survey
    buurt = entry_of(root, BERFLO_NOORD, "geregistreerde_misdrijven", "2023", "2024")
    assert "Berflo Es Noord (buurt, BU01640501)" in entry_text(buurt)
    links = {link.get("rel"): link.get("href") for link in buurt.findall("a:link", NS)}
    assert links["alternate"].endswith(f"/wijk/berflo-es?buurt={BERFLO_NOORD}")
    assert links["related"].endswith(
        "/?indicator=geregistreerde_misdrijven&niveau=buurt&weergave=verandering&van=2023"
        f"&tot=2024&gebied={BERFLO_NOORD}"
    )
    assert entry_of(root, BERFLO_ZUID, "geregistreerde_misdrijven", "2023", "2024") is None
    assert len(entries(root)) == 3


def test_suppressed_figures_never_reach_a_feed(app, feed_store):
    """Noord's survey moved from 10% to 60%, but with 20 respondents it is suppressed."""
    client = app.server.test_client()
    _, root = get_feed(client, "/wijk/noord/veranderingen.atom")
    assert entry_of(root, NOORD, "vm_onveilig_buurt", "2019", "2023") is None
    assert "60%" not in "".join(entry_text(e) for e in entries(root).values())
    crimes = entry_of(root, NOORD, "geregistreerde_misdrijven", "2022", "2023")
    assert "meer dan toeval (95%)" in entry_text(crimes)
    _, everything = get_feed(client, "/veranderingen.atom")
    assert entry_of(everything, NOORD, "vm_onveilig_buurt", "2019", "2023") is None


def test_gemeente_feed_has_every_area(app, feed_store):
    client = app.server.test_client()
    _, root = get_feed(client, "/veranderingen.atom")
    check_atom(root)
    found = {e.rsplit(":", 1)[1].split("/")[1] for e in entries(root)}
    assert {BERFLO, NOORD, BERFLO_NOORD} <= found
    # the police totals of the bundled sources: 3.907 (2022) -> 3.676 (2023), beyond 95%
    police = entry_text(entry_of(root, "GM0164", "geregistreerde_misdrijven", "2022", "2023"))
    assert "2022: 3.907 (aantal)" in police and "2023: 3.676 (aantal)" in police
    assert "Bron: Politie / CBS" in police
    # a bundled figure entered the store with its build, not with the buurten's import
    built = feed_store.read_data().meta["built_at"]
    assert (
        entry_of(root, "GM0164", "geregistreerde_misdrijven", "2022", "2023").findtext(
            "a:updated", namespaces=NS
        )
        == built
    )


def test_ids_and_times_are_stable_and_from_the_store(app, own_store):
    client = app.server.test_client()
    _, first = get_feed(client, "/wijk/WK016405/veranderingen.atom")
    own_store.build()  # the public data again from the bundled sources, imports kept
    data.reset()
    _, again = get_feed(client, "/wijk/Berflo%20Es/veranderingen.atom")
    times = {i: e.findtext("a:updated", namespaces=NS) for i, e in entries(first).items()}
    assert times == {i: e.findtext("a:updated", namespaces=NS) for i, e in entries(again).items()}
    imported_at = own_store.import_log()["at"].iloc[0]
    assert set(times.values()) == {imported_at}
    assert first.findtext("a:updated", namespaces=NS) == imported_at
    assert next(iter(times)).startswith("tag:127.0.0.1,2026:GM0164/")


def test_a_new_period_adds_entries_and_keeps_the_old_ones(app, own_store):
    client = app.server.test_client()
    _, before = get_feed(client, "/wijk/berflo-es/veranderingen.atom")
    rows = [f"{code};geregistreerde_misdrijven;2025;200;" for code in WIJKEN if code != BERFLO]
    load(own_store, "gebied;indicator;periode;waarde;n\n" + "\n".join(rows) + "\n", "extra.csv")
    load(
        own_store, f"gebied;indicator;periode;waarde\n{BERFLO};geregistreerde_misdrijven;2025;450\n"
    )
    data.reset()
    _, after = get_feed(client, "/wijk/berflo-es/veranderingen.atom")
    old, new = entries(before), entries(after)
    assert set(old) < set(new)
    for key, entry in old.items():
        assert new[key].findtext("a:updated", namespaces=NS) == entry.findtext(
            "a:updated", namespaces=NS
        )
    added = entry_of(after, BERFLO, "geregistreerde_misdrijven", "2024", "2025")
    assert "2024: 310 (aantal)" in entry_text(added) and "2025: 450 (aantal)" in entry_text(added)
    newest = own_store.import_log()["at"].iloc[0]
    assert added.findtext("a:updated", namespaces=NS) == newest
    assert after.findtext("a:updated", namespaces=NS) == newest


def test_english_feed(app, feed_store):
    client = app.server.test_client()
    _, root = get_feed(client, "/wijk/berflo-es/veranderingen.atom?taal=en")
    check_atom(root)
    assert root.get(XML_LANG) == "en"
    assert root.findtext("a:title", namespaces=NS).startswith("Changes in Berflo Es")
    text = entry_text(entry_of(root, BERFLO, "geregistreerde_misdrijven", "2022", "2023"))
    assert "Test: exact Poisson test, p < 0.001; more than chance (99.8%)" in text
    assert "Difference: +100 (+50%)" in text
    self_link = root.find("a:link[@rel='self']", NS).get("href")
    assert self_link.endswith("/wijk/berflo-es/veranderingen.atom?taal=en")
    for link in root.findall("a:entry/a:link", NS):
        assert "taal=en" in link.get("href")


def test_english_feeds_use_the_english_product_name(client):
    """An English feed is titled and signed with the name the English pages use."""
    for path in ("/veranderingen.atom?taal=en", "/wijk/berflo-es/veranderingen.atom?taal=en"):
        _, root = get_feed(client, path)
        title = root.findtext("a:title", namespaces=NS)
        author = root.findtext("a:author/a:name", namespaces=NS)
        assert title.endswith("– Neighbourhood Safety Hengelo"), title
        assert author == "Neighbourhood Safety Hengelo"
        assert "Wijkveiligheid" not in title + author
    _, dutch = get_feed(client, "/veranderingen.atom")
    assert dutch.findtext("a:author/a:name", namespaces=NS) == "Wijkveiligheid Hengelo"


def test_unknown_wijk_is_a_plain_404(client):
    for path in ("/wijk/zzz/veranderingen.atom", "/wijk/%3Cscript%3E/veranderingen.atom"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.mimetype == "text/plain"
        assert "bestaat niet" in response.get_data(as_text=True)
    english = client.get("/wijk/zzz/veranderingen.atom?taal=en")
    assert english.status_code == 404 and "does not exist" in english.get_data(as_text=True)


def test_a_buurt_leads_to_the_feed_of_its_wijk(app, feed_store):
    client = app.server.test_client()
    _, by_buurt = get_feed(client, f"/wijk/{BERFLO_NOORD.lower()}/veranderingen.atom")
    _, by_wijk = get_feed(client, "/wijk/berflo-es/veranderingen.atom")
    assert set(entries(by_buurt)) == set(entries(by_wijk))


def test_bundled_data_feeds_are_valid_and_say_why_they_are_empty(client, base_store):
    """The bundled figures: no wijk has a testable figure with two periods."""
    _, root = get_feed(client, "/wijk/berflo-es/veranderingen.atom")
    check_atom(root)
    assert not root.findall("a:entry", NS)
    assert root.findtext("a:subtitle", namespaces=NS).startswith("Geen verandering")
    built = base_store.read_data().meta["built_at"]
    assert root.findtext("a:updated", namespaces=NS) == built


def test_links_use_the_public_url_not_the_request_host(app, feed_store, monkeypatch):
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", PUBLIC + "/")
    client = app.server.test_client()
    response = client.get("/wijk/berflo-es/veranderingen.atom", headers={"Host": "localhost:9"})
    root = ET.fromstring(response.data)
    hrefs = [link.get("href") for link in root.iter("{http://www.w3.org/2005/Atom}link")]
    hrefs += [a.get("href") for a in root.iter("{http://www.w3.org/1999/xhtml}a")]
    assert hrefs and all(h.startswith(PUBLIC + "/") for h in hrefs), hrefs
    assert b"localhost" not in response.data and b"127.0.0.1" not in response.data
    assert next(iter(entries(root))).startswith("tag:wijkveiligheid.example.nl,2026:GM0164/")
    forged = client.get("/veranderingen.atom", headers={"Host": "evil.example"})
    assert forged.status_code == 400 and b"evil" not in forged.data


def test_etag_last_modified_and_304(app, feed_store):
    client = app.server.test_client()
    response, root = get_feed(client, "/veranderingen.atom")
    etag = response.headers["ETag"]
    assert etag and "public" in response.headers["Cache-Control"]
    updated = datetime.fromisoformat(root.findtext("a:updated", namespaces=NS))
    assert response.last_modified == updated.replace(microsecond=0).astimezone(UTC)
    again = client.get("/veranderingen.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    other = client.get("/veranderingen.atom?taal=en", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag


def test_wijk_page_and_data_page_link_to_the_feeds(app, feed_store):
    client = app.server.test_client()
    status, content, _ = render_page(client, f"/wijk/{BERFLO}")
    page = json.dumps(content, ensure_ascii=False)
    assert status == 200
    assert "Volg veranderingen (Atom)" in page and "/wijk/berflo-es/veranderingen.atom" in page
    _, content, _ = render_page(client, "/data", "?taal=en")
    page = json.dumps(content, ensure_ascii=False)
    assert "Follow changes (Atom)" in page and "/veranderingen.atom?taal=en" in page


# ---------------------------------------------------------------------------- pure helpers
@pytest.mark.parametrize(
    ("found", "pairs"),
    [
        (["2024"], []),
        (["2022", "2024"], [("2022", "2024")]),
        (["2024", "2022", "2023"], [("2022", "2023"), ("2023", "2024")]),
        (["2024-02", "2024-01", "2023"], [("2023", "2024-01"), ("2024-01", "2024-02")]),
    ],
)
def test_consecutive_pairs(found, pairs):
    obs = pd.DataFrame(
        {"indicator_id": "x", "level": "wijk", "status": "published", "value": 1.0}
        | {"area_code": "W1", "period": found}
    )
    assert feed.consecutive_pairs(obs, "x", "wijk") == pairs


def test_a_derived_figure_dates_from_the_import_of_its_buurten():
    obs = pd.DataFrame(
        {
            "area_code": ["W1", "B1", "B2"],
            "indicator_id": "x",
            "period": "2024",
            "note": [None, "Import #2", "Import #5"],
            "status": ["derived", "published", "published"],
        }
    )
    row = {"area_code": "W1", "indicator_id": "x", "period_to": "2024"}
    imports = {2: "2026-01-02T00:00:00+00:00", 5: "2026-03-04T00:00:00+00:00"}
    built = "2025-12-01T00:00:00+00:00"
    assert feed.entered_at(obs, row, imports, built, {"W1": ["B1", "B2"]}) == imports[5]
    assert feed.entered_at(obs, row, {2: imports[2]}, built, {"W1": ["B1", "B2"]}) == imports[2]
    assert feed.entered_at(obs, row, imports, built) == built  # no buurten known: the build
    # a figure of its own (not derived) dates from its own import or the build, not the buurten
    own = obs.assign(status=["published", "published", "published"])
    assert feed.entered_at(own, row, imports, built, {"W1": ["B1", "B2"]}) == built


def test_pages_name_their_feed_in_the_head(app, feed_store, monkeypatch):
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", PUBLIC)
    client = app.server.test_client()
    link = '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">'
    page = client.get("/wijk/WK016405?taal=en").get_data(as_text=True)
    feed_url = PUBLIC + "/wijk/berflo-es/veranderingen.atom?taal=en"
    assert link.format("Follow changes (Atom)", feed_url) in page.split("</head>")[0]
    page = client.get("/data").get_data(as_text=True)
    assert link.format("Volg veranderingen (Atom)", PUBLIC + "/veranderingen.atom") in page
    for path in ("/thema", "/wijk/zzz"):
        assert "application/atom+xml" not in client.get(path).get_data(as_text=True)
