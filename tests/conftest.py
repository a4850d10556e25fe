"""Shared fixtures: one real store built from the bundled sources, and the app's test client."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

sys.path.insert(0, str(Path(__file__).parent))

from pg import pg_cluster, pg_url  # noqa: E402, F401 - fixtures for pytest

OUTPUT = Path(__file__).resolve().parents[1] / "test-output"


# Both backends always: without PostgreSQL the postgis runs show as SKIPPED with the reason
# (pg_cluster), and fail under WIJKVEILIGHEID_REQUIRE_POSTGRES=1 (CI).
STORE_BACKENDS = ["embedded", "postgis"]
PASSWORD = "een-lang-testwachtwoord"


def open_embedded(path: Path):
    """The embedded store of a GeoPackage (its internal file next to it)."""
    from indicators.stores import open_store

    return open_store(path)


def copy_embedded(source, folder: Path, name: str = "wijkveiligheid.gpkg"):
    """A private copy (GeoPackage + internal file) of an embedded store, opened."""
    from indicators.stores import default_internal_path

    target = folder / name
    shutil.copy(source.path, target)
    if source.internal.exists():
        shutil.copy(source.internal, default_internal_path(target))
    return open_embedded(target)


def made_up_indicator(indicator_id: str, **changes) -> dict:
    """The fields of a staff-defined survey indicator (test data, not a real one)."""
    return {
        "id": indicator_id,
        "label_nl": "Testindicator",
        "label_en": "Test indicator",
        "explanation_nl": "Verzonnen indicator (test).",
        "explanation_en": "Made-up indicator (test).",
        "theme": "veilige-wijken",
        "unit": "pct",
        "polarity": "higher_worse",
        "levels": ["wijk", "gemeente"],
        "public": True,
        "min_n": 100,
        "source": "VM2015",
        "decimals": 0,
    } | changes


def cap_pages(monkeypatch, store, pages: int) -> None:
    """Every connection ``store`` opens from now on may grow its file to ``pages`` pages at
    most: SQLite's page limit stands in for a full disk (the same error, SQLITE_FULL)."""
    original = type(store)._connect

    def capped(self, path, write):
        con = original(self, path, write)
        con.execute(f"PRAGMA max_page_count = {pages}")
        return con

    monkeypatch.setattr(type(store), "_connect", capped)


@pytest.fixture(scope="session")
def base_store(tmp_path_factory):
    """The embedded store built once from the bundled sources (read it, never change it)."""
    store = open_embedded(tmp_path_factory.mktemp("store") / "wijkveiligheid.gpkg")
    store.build()
    return store


@pytest.fixture(scope="session")
def store_path(base_store) -> Path:
    return base_store.path


@pytest.fixture(scope="session")
def context(base_store):
    from dashboard import data

    data.use_store(base_store)
    return data.get_context()


@pytest.fixture(scope="session")
def app(context, base_store):
    from dashboard import data
    from dashboard.app import app as dash_app

    data.use_store(base_store)
    return dash_app


@pytest.fixture()
def client(app):
    return app.server.test_client()


def send_json(handler, doc) -> None:
    """Answer a request of a fake HTTP server (tests of the CBS client) with ``doc`` as JSON."""
    import json

    body = json.dumps(doc).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture(scope="module")
def staff_template(base_store, tmp_path_factory):
    """The real store with an admin and a staff user (made once per module)."""
    store = copy_embedded(base_store, tmp_path_factory.mktemp("staff"), "template.gpkg")
    store.add_user("admin", PASSWORD, "admin")
    store.add_user("medewerker", PASSWORD, "staff")
    return store


@pytest.fixture()
def staff_store(staff_template, base_store, tmp_path):
    """A private copy of the staff template store for one test, handed to the app."""
    from dashboard import data

    store = data.use_store(copy_embedded(staff_template, tmp_path, "staff.gpkg"))
    yield store
    data.use_store(base_store)


@pytest.fixture(params=STORE_BACKENDS)
def store(request, base_store, tmp_path):
    """A fresh store with no users or imports, once per backend (the same behaviour tests run
    against each): the embedded one, and PostGIS (skipped with the reason when PostgreSQL is
    not installed)."""
    if request.param == "postgis":
        from pg import make_postgis_store

        made = make_postgis_store(request, tmp_path)
    else:
        made = copy_embedded(base_store, tmp_path)
    yield made
    made.close()


def second_store(store):
    """Another store object on the same data, as another worker or instance opens it."""
    from indicators.stores import open_store

    if store.kind == "postgis":
        return open_store(database_url=store.url)
    return open_store(store.path, store.internal)


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


def square(x0: float, y0: float, size: float = 100.0):
    return shapely.box(x0, y0, x0 + size, y0 + size)


@pytest.fixture()
def tiny_buurten():
    """Four 100 m squares in two wijken, RD New; test data, not Hengelo's."""
    return gpd.GeoDataFrame(
        {
            "buurtcode": ["BU01640000", "BU01640001", "BU01640100", "BU01640101"],
            "buurtnaam": ["A", "B", "C", "D"],
            "wijkcode": ["WK016400", "WK016400", "WK016401", "WK016401"],
            "gemeentecode": ["GM0164"] * 4,
        },
        geometry=[square(0, 0), square(100, 0), square(0, 100), square(100, 100)],
        crs="EPSG:28992",
    )


@pytest.fixture()
def audit_page(browser):
    """A page that lets a browser test inject axe-core as an inline script: the app's CSP would
    (rightly) block it; the other browser tests run under the CSP. ``browser`` is the
    requesting test module's own fixture."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()
