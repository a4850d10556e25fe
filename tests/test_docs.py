"""Documentation and translations stay true."""

import re
from pathlib import Path

from dashboard.i18n import LANGUAGES, STRINGS
from dashboard.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in readme, setting.name


def test_readme_commands_and_ci_agree():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make serve" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^serve:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_every_ui_string_has_every_language():
    for key, texts in STRINGS.items():
        for lang in LANGUAGES:
            assert texts.get(lang, "").strip(), f"{key} has no {lang} text"
        placeholders = {lang: set(re.findall(r"{(\w+)}", texts[lang])) for lang in LANGUAGES}
        assert len({frozenset(p) for p in placeholders.values()}) == 1, key


def test_every_string_key_used_in_code_exists():
    used = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*[\"']([a-z_]+)[\"']", path.read_text(encoding="utf-8")))
    missing = used - set(STRINGS)
    assert not missing, missing


def test_catalogue_labels_are_bilingual():
    from indicators.catalogue import load_catalogue

    for ind in load_catalogue():
        assert ind.label_nl.strip() and ind.label_en.strip()
        assert ind.explanation_nl.strip() and ind.explanation_en.strip()
