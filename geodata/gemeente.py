"""The gemeente this deployment is for: one configuration file, read once.

Hengelo is the bundled default, not a constant. Everything specific to a gemeente (its CBS code
and name, the expected numbers of buurten and wijken and their area, the focus wijken, the
policy files, the G32 report, the bundled sources and the map's home view) comes from
``gemeente.toml`` (``WIJKVEILIGHEID_GEMEENTE`` may name another file), so a deployment for
another gemeente replaces that file and the data files it names. The file is checked when it is
read; an error names the file and the field, so a deployment fails at start, not on a page.

This module sits in the lowest layer (``geodata``) so that every layer may read it.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parent / "gemeente.toml"
SETTING = "WIJKVEILIGHEID_GEMEENTE"
CODE_RE = re.compile(r"^GM\d{4}$")
# Every data file a deployment supplies, by its key under [files].
FILE_KEYS = (
    "buurten",
    "wijk_names",
    "sources",
    "kwb2017",
    "wbk2021_buurt",
    "wbk2021_gemeente",
    "kwb2024",
    "politie_totals",
    "veiligheidsmonitor",
    "themes",
    "focus_wijken",
    "budget",
    "budget_meta",
    "g32",
    "g32_capacity",
    "g32_recommendations",
    "presentation",
)


class GemeenteConfigError(ValueError):
    """The gemeente configuration is missing a field, has a wrong one, or names a missing file."""


@dataclass(frozen=True)
class Gemeente:
    """The configured gemeente.

    >>> g = Gemeente(code="GM0164", name="Hengelo")
    >>> g.number, g.is_gemeente("gm0164"), g.is_gemeente("WK016401")
    ('0164', True, False)
    >>> g.wijk_prefix, g.buurt_prefix, Gemeente(code="GM0518", name="'s-Gravenhage").slug
    ('WK0164', 'BU0164', 's-gravenhage')
    """

    code: str
    name: str
    buurten: int = 0
    wijken: int = 0
    area_ha: float = 0.0
    focus_wijken: tuple[str, ...] = ()
    home_bounds: tuple[float, float, float, float] | None = None
    g32_participants: tuple[str, ...] = ()
    files: dict[str, Path] = field(default_factory=dict, compare=False, repr=False)
    config_file: Path | None = None

    @property
    def number(self) -> str:
        """The four digits of the CBS code (``"0164"``), as area codes carry them."""
        return self.code[2:]

    @property
    def wijk_prefix(self) -> str:
        """What every wijk code of this gemeente starts with (``"WK0164"``)."""
        return "WK" + self.number

    @property
    def buurt_prefix(self) -> str:
        """What every buurt code of this gemeente starts with (``"BU0164"``)."""
        return "BU" + self.number

    @property
    def slug(self) -> str:
        """The name for file names and URLs (``"hengelo"``, ``"den-haag"``)."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    def is_gemeente(self, code: object) -> bool:
        """Whether ``code`` names this gemeente itself (case and spaces ignored)."""
        return str(code).strip().upper() == self.code

    def file(self, key: str) -> Path:
        """The data file the configuration names under ``[files] key`` (absolute)."""
        try:
            return self.files[key]
        except KeyError:
            raise GemeenteConfigError(f"{self.config_file}: [files] {key} ontbreekt") from None


def _fail(path: Path, where: str, problem: str) -> GemeenteConfigError:
    return GemeenteConfigError(f"{path}: {where}: {problem}")


def _typed(path: Path, table: dict, section: str, key: str, kind: type):
    """``table[key]`` checked to be of ``kind`` (an int is accepted where a float is asked)."""
    if key not in table:
        raise _fail(path, f"[{section}] {key}", "ontbreekt")
    value = table[key]
    accepted = (int, float) if kind is float else kind
    if isinstance(value, bool) or not isinstance(value, accepted):
        raise _fail(path, f"[{section}] {key}", f"verwacht {kind.__name__}, kreeg {value!r}")
    return kind(value)


def _section(path: Path, raw: dict, name: str, required: bool = True) -> dict:
    table = raw.get(name, {} if not required else None)
    if not isinstance(table, dict):
        raise _fail(path, f"[{name}]", "ontbreekt")
    return table


def _files(path: Path, table: dict) -> dict[str, Path]:
    """The data files by key, resolved against the configuration's folder; each must exist."""
    files = {}
    for key in FILE_KEYS:
        relative = _typed(path, table, "files", key, str)
        target = (path.parent / relative).resolve()
        if not target.is_file():
            raise _fail(path, f"[files] {key}", f"bestand {target} bestaat niet")
        files[key] = target
    return files


def _focus_wijken(path: Path, focus_file: Path, wijk_prefix: str) -> tuple[str, ...]:
    """The focus wijk codes, in their file's order (the file also holds their aandachtspunten)."""
    try:
        entries = tomllib.loads(focus_file.read_text(encoding="utf-8"))["wijk"]
        codes = tuple(str(entry["code"]).strip().upper() for entry in entries)
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise _fail(path, "[files] focus_wijken", f"{focus_file.name} onleesbaar ({exc})") from exc
    wrong = [c for c in codes if not re.fullmatch(wijk_prefix + r"\d\d", c)]
    if wrong:
        raise _fail(path, "[files] focus_wijken", f"geen wijkcodes van de gemeente: {wrong}")
    return codes


def _home_bounds(path: Path, table: dict) -> tuple[float, float, float, float] | None:
    bounds = table.get("bounds")
    if bounds is None:
        return None
    ok = isinstance(bounds, list) and len(bounds) == 4
    ok = ok and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in bounds)
    if not ok or not (bounds[0] < bounds[2] and bounds[1] < bounds[3]):
        raise _fail(path, "[map] bounds", f"verwacht [west, zuid, oost, noord], kreeg {bounds!r}")
    return tuple(float(v) for v in bounds)


def _names(path: Path, table: dict, section: str, key: str) -> tuple[str, ...]:
    """``table[key]``: a list of non-empty names."""
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, f"[{section}] {key}", f"verwacht een lijst namen, kreeg {value!r}")
    return tuple(v.strip() for v in value)


def parse_gemeente(raw: dict, path: Path) -> Gemeente:
    """A :class:`Gemeente` from the parsed configuration ``raw`` read from ``path``.

    Raises
    ------
    GemeenteConfigError
        naming ``path`` and the field that is missing or wrong.
    """
    main = _section(path, raw, "gemeente")
    code = _typed(path, main, "gemeente", "code", str).strip().upper()
    if not CODE_RE.match(code):
        raise _fail(path, "[gemeente] code", f"verwacht GM en vier cijfers, kreeg {code!r}")
    files = _files(path, _section(path, raw, "files"))
    return Gemeente(
        code=code,
        name=_typed(path, main, "gemeente", "name", str).strip(),
        buurten=_typed(path, main, "gemeente", "buurten", int),
        wijken=_typed(path, main, "gemeente", "wijken", int),
        area_ha=_typed(path, main, "gemeente", "area_ha", float),
        focus_wijken=_focus_wijken(path, files["focus_wijken"], "WK" + code[2:]),
        home_bounds=_home_bounds(path, _section(path, raw, "map", required=False)),
        g32_participants=_names(path, _section(path, raw, "g32"), "g32", "participants"),
        files=files,
        config_file=path,
    )


def load_gemeente(path: Path | None = None) -> Gemeente:
    """Read the gemeente configuration (``path``, the setting, or the bundled Hengelo)."""
    path = Path(path or os.environ.get(SETTING) or DEFAULT_FILE).resolve()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GemeenteConfigError(f"{path}: onleesbaar ({exc})") from exc
    return parse_gemeente(raw, path)


GEMEENTE = load_gemeente()
