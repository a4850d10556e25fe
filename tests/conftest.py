"""Shared fixtures: one real store built from the bundled sources, and the app's test client."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

sys.path.insert(0, str(Path(__file__).parent))

OUTPUT = Path(__file__).resolve().parents[1] / "test-output"


@pytest.fixture(scope="session")
def store_path(tmp_path_factory) -> Path:
    from indicators.store import build_store

    path = tmp_path_factory.mktemp("store") / "wijkveiligheid.gpkg"
    build_store(path)
    os.environ["WIJKVEILIGHEID_STORE"] = str(path)
    return path


@pytest.fixture(scope="session")
def context(store_path):
    from dashboard import data

    data.reset()
    return data.get_context()


@pytest.fixture(scope="session")
def app(context):
    from dashboard.app import app as dash_app

    return dash_app


@pytest.fixture()
def client(app):
    return app.server.test_client()


PASSWORD = "een-lang-testwachtwoord"


def send_json(handler, doc) -> None:
    """Answer a request of a fake HTTP server (tests of the CBS client) with ``doc`` as JSON."""
    import json

    body = json.dumps(doc).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture(scope="module")
def staff_template(store_path, tmp_path_factory):
    """The real store with an admin and a staff user (made once per module)."""
    from indicators import staff

    path = tmp_path_factory.mktemp("staff") / "template.gpkg"
    shutil.copy(store_path, path)
    staff.add_user(path, "admin", PASSWORD, "admin")
    staff.add_user(path, "medewerker", PASSWORD, "staff")
    return path


@pytest.fixture()
def staff_store(staff_template, tmp_path, monkeypatch):
    """A private copy of the staff template store for one test."""
    from dashboard import data as data_module
    from dashboard import intern

    path = tmp_path / "staff.gpkg"
    shutil.copy(staff_template, path)
    monkeypatch.setenv("WIJKVEILIGHEID_STORE", str(path))
    data_module.reset()
    intern._failures.clear()
    intern._pending.clear()
    yield path
    data_module.reset()


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
