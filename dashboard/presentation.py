"""Presentation mode: a sequence of permalinks stepped through with the keyboard."""

from __future__ import annotations

import tomllib
from urllib.parse import parse_qs, urlencode, urlsplit

from geodata.gemeente import GEMEENTE

SEQUENCE_FILE = GEMEENTE.file("presentation")
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
            rejected.append(shown_item(item))
    return (views or default_sequence()), rejected


def shown_item(item: str) -> str:
    """A rejected URL item as the notice may echo it: at most 80 characters, quoted, control
    characters (a NUL from ``%00``, a newline) shown as U+FFFD instead of written to the page.

    >>> shown_item("zz"), shown_item("a" + chr(0) + "b") == "'a" + chr(0xFFFD) + "b'"
    ("'zz'", True)
    """
    return "'" + "".join(ch if ch.isprintable() else "\ufffd" for ch in item[:80]) + "'"


def slide_spec(path: str) -> dict | None:
    """What one slide shows, read from a dashboard permalink: ``{"kind": "map", ...}`` for the
    map, ``benchmark``, ``compare``, ``wijk`` or ``themes``; None for a view with no slide of
    its own (it is then shown as the page itself in presentation mode).

    >>> slide_spec("/?indicator=misdrijf_geweld&niveau=buurt")
    {'kind': 'map', 'indicator': 'misdrijf_geweld', 'level': 'buurt', 'period': None}
    >>> slide_spec("/data") is None
    True

    The map slide draws values as counts: a permalink of the change mode or of rates has no
    slide of its own (it would silently show something else), so it is shown as the page.

    >>> slide_spec("/?indicator=inwoners&weergave=verandering") is None
    True
    >>> slide_spec("/?indicator=inwoners&maat=per1000") is None
    True
    """
    if not is_local_path(path):
        return None
    parts = urlsplit(path)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    route = parts.path.rstrip("/") or "/"
    if route == "/":
        if query.get("weergave", "waarde") != "waarde" or query.get("maat", "aantal") != "aantal":
            return None
        return {
            "kind": "map",
            "indicator": query.get("indicator"),
            "level": query.get("niveau"),
            "period": query.get("periode"),
        }
    if route == "/benchmark":
        return {"kind": "benchmark", "kern": query.get("kern"), "thema": query.get("thema")}
    if route == "/vergelijk":
        return {
            "kind": "compare",
            "areas": query.get("gebieden"),
            "indicator": (query.get("indicatoren") or "").split(",")[0] or None,
        }
    if route == "/thema":
        return {"kind": "themes"}
    if route.startswith("/wijk/") and route.count("/") == 2:
        return {"kind": "wijk", "wijk": route.split("/")[2], "indicator": query.get("indicator")}
    return None


def slide_path(path: str) -> str:
    """Where presentation mode shows ``path``: its own slide, or the page itself."""
    if slide_spec(path) is None:
        return path
    return "/presentatie/dia?" + urlencode({"weergave": path})
