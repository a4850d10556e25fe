"""The gemeente this deployment is for: one configuration file, read once.

Hengelo is the bundled default, not a constant. Everything specific to a gemeente (its CBS code
and name, the focus wijken, the policy catalogue, the G32 report, the bundled sources and the map's
home view) comes from ``gemeente.toml`` (``WIJKVEILIGHEID_GEMEENTE`` may name another file), so a
deployment for another gemeente replaces that file and the data files it names.

This module sits in the lowest layer (``geodata``) so that every layer may read it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parent / "gemeente.toml"


@dataclass(frozen=True)
class Gemeente:
    """The configured gemeente.

    >>> g = Gemeente(code="GM0164", name="Hengelo")
    >>> g.number, g.is_gemeente("gm0164"), g.is_gemeente("WK016401")
    ('0164', True, False)
    """

    code: str
    name: str

    @property
    def number(self) -> str:
        """The four digits of the CBS code (``"0164"``), as area codes carry them."""
        return self.code[2:]

    def is_gemeente(self, code: object) -> bool:
        """Whether ``code`` names this gemeente itself (case and spaces ignored)."""
        return str(code).strip().upper() == self.code


def load_gemeente(path: Path | None = None) -> Gemeente:
    """Read the gemeente configuration (``path``, the setting, or the bundled Hengelo)."""
    path = Path(path or os.environ.get("WIJKVEILIGHEID_GEMEENTE") or DEFAULT_FILE)
    with path.open("rb") as handle:
        raw = tomllib.load(handle)["gemeente"]
    return Gemeente(code=str(raw["code"]).upper(), name=str(raw["name"]))


GEMEENTE = load_gemeente()
