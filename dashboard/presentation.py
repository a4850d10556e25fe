"""Presentation mode: a sequence of permalinks stepped through with the keyboard."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

SEQUENCE_FILE = Path(__file__).parent / "presentation.toml"
MAX_VIEWS = 30


def default_sequence() -> list[dict]:
    """The prepared sequence of views (title_nl, title_en, path)."""
    return tomllib.loads(SEQUENCE_FILE.read_text(encoding="utf-8"))["view"]


def is_local_path(path: str) -> bool:
    """Only paths of this dashboard may be in a sequence: no scheme, no host."""
    parts = urlsplit(path)
    return (
        path.startswith("/")
        and not path.startswith("//")
        and not parts.scheme
        and not parts.netloc
        and "\\" not in path
    )


def parse_sequence(text: str | None) -> tuple[list[dict], list[str]]:
    """A custom sequence from ``a|b|c`` (local paths), or the default; plus rejected items."""
    if not text:
        return default_sequence(), []
    views, rejected = [], []
    for item in str(text).split("|")[:MAX_VIEWS]:
        item = item.strip()
        if not item:
            continue
        if is_local_path(item):
            views.append({"title_nl": item, "title_en": item, "path": item})
        else:
            rejected.append(item[:80])
    return (views or default_sequence()), rejected
