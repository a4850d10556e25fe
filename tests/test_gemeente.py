"""The gemeente is configuration: one file (geodata/gemeente.toml) that another deployment
replaces, checked when it is read, and no copy of its code anywhere in the product code."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from geodata.gemeente import (
    DEFAULT_FILE,
    FILE_KEYS,
    GEMEENTE,
    GemeenteConfigError,
    load_gemeente,
)

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("dashboard", "indicators", "geodata", "assets")
BUNDLED_CODE = "GM0164"  # the bundled default's code, which only the configuration may name


def product_files():
    for folder in PRODUCT:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".py", ".js"} and "vendor" not in path.parts:
                yield path


def test_no_gemeente_code_outside_the_configuration():
    """The code (``GM0164``) or its bare number as a string (``"0164"``) in product code would
    tie the product to Hengelo again; read ``GEMEENTE.code`` / ``GEMEENTE.number`` instead."""
    literal = re.compile(rf"{BUNDLED_CODE}|[\"']{BUNDLED_CODE[2:]}[\"']", re.IGNORECASE)
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in product_files()
        if path.name != "gemeente.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert found == []
    assert any(path.name == "cbs_odata.py" for path in product_files())  # the scan saw the code


def test_the_bundled_configuration_is_hengelo():
    assert (GEMEENTE.code, GEMEENTE.name, GEMEENTE.number) == (BUNDLED_CODE, "Hengelo", "0164")
    assert (GEMEENTE.buurten, GEMEENTE.wijken, GEMEENTE.area_ha) == (62, 10, 6183.0)
    # the four focus wijken of the IVP, in the document's order
    assert GEMEENTE.focus_wijken == ("WK016405", "WK016401", "WK016402", "WK016400")
    assert set(GEMEENTE.files) == set(FILE_KEYS)
    assert all(path.is_file() for path in GEMEENTE.files.values())


def write_config(folder: Path, **overrides) -> Path:
    """A made-up gemeente "Voorbeeldstad" (GM9999) with two focus wijken of its own; the data
    files it does not replace are the bundled ones, named by absolute path."""
    bundled = tomllib.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    files = {
        key: str((DEFAULT_FILE.parent / value).resolve()) for key, value in bundled["files"].items()
    }
    focus = folder / "focus.toml"
    focus.write_text(
        '[[wijk]]\ncode = "WK999903"\nslug = "oost"\n\n[[wijk]]\ncode = "WK999901"\nslug = "west"\n',
        encoding="utf-8",
    )
    files["focus_wijken"] = "focus.toml"  # relative to the configuration file
    main = {"code": "GM9999", "name": "Voorbeeldstad", "buurten": 7, "wijken": 3, "area_ha": 812.5}
    main.update(overrides)
    lines = ["[gemeente]"] + [f"{k} = {json.dumps(v)}" for k, v in main.items() if v is not None]
    lines += ["", "[map]", "bounds = [6.1, 52.0, 6.3, 52.1]"]
    lines += ["", "[g32]", 'participants = ["Elders", "Voorbeeldstad"]', "", "[files]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in files.items()]
    path = folder / "gemeente.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def other_gemeente(tmp_path) -> Path:
    return write_config(tmp_path)


def test_another_configuration_is_followed(other_gemeente, tmp_path):
    other = load_gemeente(other_gemeente)
    assert (other.code, other.name, other.number) == ("GM9999", "Voorbeeldstad", "9999")
    assert (other.buurten, other.wijken, other.area_ha) == (7, 3, 812.5)
    assert other.focus_wijken == ("WK999903", "WK999901")
    assert other.home_bounds == (6.1, 52.0, 6.3, 52.1)
    assert other.g32_participants == ("Elders", "Voorbeeldstad")
    assert other.file("focus_wijken") == tmp_path / "focus.toml"
    assert other.is_gemeente("gm9999") and not other.is_gemeente(BUNDLED_CODE)
    assert other.slug == "voorbeeldstad"


def test_the_product_reads_the_configuration_it_is_given(other_gemeente):
    """With WIJKVEILIGHEID_GEMEENTE naming another file, the modules that used to hard-code
    Hengelo follow it: the CBS OData filters of ``wijkveiligheid fetch``, the focus wijken of
    the map, the boundary check and the texts."""
    script = """
import json
from dashboard import data
from dashboard.i18n import t
from geodata import validate
from indicators import cbs_odata
print(json.dumps({
    "crime": cbs_odata.CRIME_FILTER, "kwb": cbs_odata.KWB_FILTER,
    "focus": list(data.FOCUS_CODES),
    "counts": validate.count_problems(62, 10), "title": t("app_title"),
}))
"""
    env = dict(os.environ, WIJKVEILIGHEID_GEMEENTE=str(other_gemeente), PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert "startswith(WijkenEnBuurten,'BU9999')" in seen["crime"]
    assert "WijkenEnBuurten eq 'GM9999    '" in seen["crime"]
    assert "startswith(WijkenEnBuurten,'WK9999')" in seen["kwb"]
    assert "0164" not in seen["crime"] + seen["kwb"]
    assert seen["focus"] == ["WK999903", "WK999901"]
    assert seen["counts"] == ["Verwacht 7 buurten en 3 wijken, gevonden 62 en 10."]
    assert seen["title"] == "Wijkveiligheid Voorbeeldstad"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"code": None}, "[gemeente] code: ontbreekt"),
        ({"code": "0164"}, "[gemeente] code: verwacht GM en vier cijfers"),
        ({"buurten": "62"}, "[gemeente] buurten: verwacht int"),
        ({"area_ha": True}, "[gemeente] area_ha: verwacht float"),
    ],
)
def test_a_wrong_field_is_named_with_the_file(tmp_path, overrides, field):
    path = write_config(tmp_path, **overrides)
    with pytest.raises(GemeenteConfigError) as caught:
        load_gemeente(path)
    assert str(caught.value).startswith(f"{path}: {field}")


def test_a_missing_data_file_is_named(tmp_path):
    path = write_config(tmp_path)
    (tmp_path / "focus.toml").unlink()
    with pytest.raises(
        GemeenteConfigError, match=r"gemeente.toml: \[files\] focus_wijken: bestand"
    ):
        load_gemeente(path)


def test_focus_wijken_of_another_gemeente_are_refused(tmp_path):
    path = write_config(tmp_path)
    (tmp_path / "focus.toml").write_text('[[wijk]]\ncode = "WK016405"\n', encoding="utf-8")
    with pytest.raises(GemeenteConfigError, match="geen wijkcodes van de gemeente"):
        load_gemeente(path)
