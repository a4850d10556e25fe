"""What staff change in the store: users, imports (all-or-nothing, with undo), new indicators.

Every change goes through :func:`indicators.store.transact`, which rewrites the store in one
atomic step.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from pydantic import ValidationError
from werkzeug.security import check_password_hash, generate_password_hash

from indicators import periods, store
from indicators.catalogue import Indicator
from indicators.imports import ParsedImport, preview

ROLES = ("staff", "admin")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 12


class StaffError(ValueError):
    """A staff action that cannot be done; the message says why, in plain words."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_user(path: Path, username: str, password: str, role: str = "staff") -> None:
    """Create a user (or replace the password and role of an existing one)."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise StaffError("Gebruikersnaam: 2-40 tekens, kleine letters, cijfers, punt, streepje.")
    if role not in ROLES:
        raise StaffError(f"Rol moet een van {', '.join(ROLES)} zijn.")
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"Wachtwoord moet minstens {MIN_PASSWORD} tekens hebben.")
    hashed = generate_password_hash(password)

    def change(state):
        users = state["app_user"]
        users = users[users["username"] != username]
        row = pd.DataFrame(
            [
                {
                    "username": username,
                    "password_hash": hashed,
                    "role": role,
                    "created_at": now(),
                    "failed_logins": 0,
                    "locked_until": None,
                }
            ]
        )
        state["app_user"] = pd.concat([users, row], ignore_index=True)
        return state

    store.transact(path, change)


def users(path: Path) -> pd.DataFrame:
    return store.read_state(path)["app_user"]


def check_login(path: Path, username: str, password: str) -> dict | None:
    """The user record when the password is right, else None (timing-safe comparison)."""
    table = users(path)
    match = table[table["username"] == str(username).strip().lower()]
    if match.empty:
        check_password_hash(generate_password_hash("x"), str(password))  # same work either way
        return None
    user = match.iloc[0].to_dict()
    return user if check_password_hash(user["password_hash"], str(password)) else None


def current_values(path: Path) -> pd.DataFrame:
    with store._connect(path) as con:
        obs = pd.read_sql(
            "SELECT area_code, indicator_id, period, value, status FROM observation", con
        )
    obs["period"] = obs["period"].astype(str)
    return obs[obs["status"] != "derived"]


def import_preview(path: Path, parsed: ParsedImport) -> pd.DataFrame:
    return preview(parsed.rows, current_values(path))


def commit_import(
    path: Path,
    parsed: ParsedImport,
    user: str,
    file_name: str,
    content: bytes,
    source_title: str,
    source_year: int | None = None,
    publisher: str = "Gemeente Hengelo (import)",
    licence: str = "Gemeente Hengelo",
) -> int:
    """Write a validated import in one atomic step; returns the import number. Figures pulled
    from open data name their real ``publisher`` and ``licence``."""
    if not parsed.ok:
        raise StaffError("Het bestand heeft fouten; er is niets geschreven.")
    if not str(source_title).strip():
        raise StaffError("Geef de bron van de cijfers op.")
    changes = import_preview(path, parsed)
    counts = changes["change"].value_counts()
    created = {}

    def change(state):
        log = state["import_log"]
        number = int(pd.to_numeric(log["id"]).max()) + 1 if len(log) else 1
        source_id = f"IMPORT_{number}"
        rows = parsed.rows.copy()
        rows["source_id"] = rows["source_id"].fillna(source_id)
        rows["import_id"] = number
        state["import_observation"] = pd.concat(
            [state["import_observation"], rows[store.STATE_COLUMNS["import_observation"]]],
            ignore_index=True,
        )
        state["import_source"] = pd.concat(
            [
                state["import_source"],
                pd.DataFrame(
                    [
                        {
                            "id": source_id,
                            "publisher": publisher,
                            "title": str(source_title).strip()[:200],
                            "title_en": str(source_title).strip()[:200],
                            "year": int(source_year or max(rows["period"].map(periods.year_of))),
                            "licence": licence,
                            "attribution": f"Bron: {str(source_title).strip()}",
                            "file": file_name[:200],
                            "notes": f"Import #{number} door {user}",
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
        state["import_log"] = pd.concat(
            [
                log,
                pd.DataFrame(
                    [
                        {
                            "id": number,
                            "user": user,
                            "at": now(),
                            "file_name": file_name[:200],
                            "sha256": hashlib.sha256(content).hexdigest(),
                            "source_id": source_id,
                            "n_rows": len(rows),
                            "n_new": int(counts.get("new", 0)),
                            "n_changed": int(counts.get("changed", 0)),
                            "n_unchanged": int(counts.get("unchanged", 0)),
                            "undone_at": None,
                            "undone_by": None,
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
        created["id"] = number
        return state

    store.transact(path, change)
    return created["id"]


def undo_import(path: Path, number: int, user: str) -> None:
    """Undo a whole import: its values stop counting (they stay in the log for the audit)."""

    def change(state):
        log = state["import_log"]
        ids = pd.to_numeric(log["id"])
        match = log[ids == int(number)]
        if match.empty:
            raise StaffError(f"Import #{number} bestaat niet.")
        if pd.notna(match["undone_at"].iloc[0]) and match["undone_at"].iloc[0] != "":
            raise StaffError(f"Import #{number} is al ongedaan gemaakt.")
        log.loc[ids == int(number), "undone_at"] = now()
        log.loc[ids == int(number), "undone_by"] = user
        state["import_log"] = log
        return state

    store.transact(path, change)


def import_log(path: Path) -> pd.DataFrame:
    log = store.read_state(path)["import_log"]
    return log.sort_values("id", ascending=False) if len(log) else log


def define_indicator(path: Path, fields: dict) -> str:
    """Add an indicator defined by staff, checked against the same typed model as the
    catalogue; returns its id."""
    clean = dict(fields)
    clean["levels"] = [lv for lv in clean.get("levels", []) if lv]
    clean.setdefault("aggregation", "none")
    try:
        indicator = Indicator(**clean)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "invoer"
        raise StaffError(f"Veld '{where}': {first['msg']}") from exc
    if indicator.aggregation != "none":
        raise StaffError("Nieuwe indicatoren worden niet uit buurten afgeleid (aggregatie 'none').")
    with store._connect(path) as con:
        existing = set(pd.read_sql("SELECT id FROM indicator", con)["id"])
        known_sources = set(pd.read_sql("SELECT id FROM source", con)["id"])
    if indicator.id in existing:
        raise StaffError(f"Indicator '{indicator.id}' bestaat al.")
    if indicator.source not in known_sources:
        raise StaffError(f"Onbekende bron '{indicator.source}'.")
    row = indicator.model_dump() | {"levels": ",".join(indicator.levels)}

    def change(state):
        state["custom_indicator"] = pd.concat(
            [state["custom_indicator"], pd.DataFrame([row])], ignore_index=True
        )
        return state

    store.transact(path, change)
    return indicator.id


def areas_frame(data: store.StoreData) -> pd.DataFrame:
    """Code, name and level of every area imports may name (buurten, wijken, Hengelo)."""
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "code": data.web_wijken["wijkcode"],
                    "name": data.web_wijken["wijknaam"],
                    "level": "wijk",
                }
            ),
            pd.DataFrame(
                {
                    "code": data.web_buurten["buurtcode"],
                    "name": data.web_buurten["buurtnaam"],
                    "level": "buurt",
                }
            ),
            pd.DataFrame({"code": ["GM0164"], "name": ["Hengelo"], "level": ["gemeente"]}),
        ],
        ignore_index=True,
    )


def parse_for_store(path: Path, content: bytes, file_name: str, period: str | None = None):
    """Parse an import against the areas, indicators and sources of the store at ``path``."""
    from indicators.imports import parse_import

    data = store.read_store(path)
    return parse_import(
        content,
        file_name,
        areas_frame(data),
        data.indicators,
        set(data.sources.index),
        period=period,
    )
