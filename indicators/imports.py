"""Reading and validating staff imports (CSV or XLSX) into observations, without writing.

Everything here is pure: bytes and frames in, a parsed import with a report per row and field
out. Writing happens only in the store (:meth:`indicators.stores.Store.commit_import`, one
transaction), and only for an import without errors.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from indicators import periods

ALIASES = {
    "area": {
        "gebied",
        "area",
        "area_code",
        "code",
        "gebiedscode",
        "regio",
        "wijk",
        "buurt",
        "naam",
        "gebiedsnaam",
        "area_name",
        "wijken_en_buurten",
    },
    "indicator": {"indicator", "indicator_id", "variabele"},
    "period": {"periode", "period", "jaar", "year"},
    "value": {"waarde", "value"},
    "n": {"n", "respondenten", "aantal_respondenten"},
    "margin": {"marge", "margin"},
    "source": {"bron", "source", "source_id"},
}
MAX_BYTES = 5_000_000
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Issue:
    """One finding: ``row`` is the line in the file (header = 1), ``field`` the column."""

    row: int | None
    field: str | None
    message: str
    severity: str = "error"


@dataclass
class ParsedImport:
    rows: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    layout: str | None = None
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors and len(self.rows) > 0


def normalise(text) -> str:
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def _key(text) -> str:
    return normalise(text).replace(" ", "_")


def decode(content: bytes) -> tuple[str | None, str | None, list[Issue]]:
    """Text of a CSV file: UTF-8 (with or without BOM); Windows-1252 is accepted with a
    warning when it decodes to printable text; anything else is refused."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content[:1000]:
        return (
            None,
            None,
            [
                Issue(
                    None,
                    None,
                    "Het bestand is geen tekst in UTF-8 (het lijkt "
                    "UTF-16 of binair). Sla het op als 'CSV UTF-8'.",
                )
            ],
        )
    try:
        return content.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    text = content.decode("cp1252", errors="replace")
    if "\ufffd" in text or any(ord(c) < 32 and c not in "\r\n\t" for c in text):
        return (
            None,
            None,
            [
                Issue(
                    None,
                    None,
                    "Het bestand is niet in UTF-8 en ook niet als "
                    "Windows-1252 te lezen. Sla het op als 'CSV UTF-8'.",
                )
            ],
        )
    return (
        text,
        "cp1252",
        [
            Issue(
                None,
                None,
                "Het bestand was niet in UTF-8; gelezen als "
                "Windows-1252 (Excel). Controleer de namen met "
                "accenten in het voorbeeld.",
                "warning",
            )
        ],
    )


def read_table(content: bytes, file_name: str) -> tuple[pd.DataFrame | None, dict, list[Issue]]:
    """The raw table of a CSV or XLSX file as strings, with how it was read."""
    if len(content) > MAX_BYTES:
        return (
            None,
            {},
            [Issue(None, None, f"Het bestand is groter dan {MAX_BYTES // 1_000_000} MB.")],
        )
    if not content.strip():
        return None, {}, [Issue(None, None, "Het bestand is leeg.")]
    if content[:2] == b"PK" or file_name.lower().endswith((".xlsx", ".xlsm")):
        try:
            table = pd.read_excel(io.BytesIO(content), dtype=str, header=0)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            return (
                None,
                {},
                [
                    Issue(
                        None,
                        None,
                        f"Het Excel-bestand kan niet worden gelezen ({type(exc).__name__}).",
                    )
                ],
            )
        return table.fillna(""), {"encoding": "xlsx", "delimiter": None}, []
    text, encoding, issues = decode(content)
    if text is None:
        return None, {}, issues
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        return (
            None,
            {},
            issues
            + [
                Issue(
                    1,
                    None,
                    "Geen kolommen gevonden: gebruik een "
                    "puntkomma, komma of tab tussen de kolommen.",
                )
            ],
        )
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        return None, {}, issues + [Issue(None, None, f"Het CSV-bestand is niet te lezen ({exc}).")]
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return None, {}, issues + [Issue(None, None, "Het bestand is leeg.")]
    header, body = rows[0], rows[1:]
    width = len(header)
    for number, row in enumerate(body, start=2):
        if len(row) > width:
            issues.append(
                Issue(
                    number, None, f"Deze regel heeft {len(row)} kolommen, de kop heeft er {width}."
                )
            )
    body = [r + [""] * (width - len(r)) if len(r) < width else r[:width] for r in body]
    table = pd.DataFrame(body, columns=[h.strip() for h in header], dtype=str)
    return table, {"encoding": encoding, "delimiter": delimiter}, issues


def parse_number(text: str, decimal_comma: bool) -> tuple[float | None, str | None]:
    """A number from a cell; the second value is an error message."""
    raw = str(text).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if raw == "":
        return None, "waarde ontbreekt"
    if decimal_comma:
        if "," in raw and "." in raw:
            raw = raw.replace(".", "").replace(",", ".")
        elif "," in raw:
            raw = raw.replace(",", ".")
        elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", raw):
            return None, (
                f"'{text}' is niet eenduidig: duizendtallen of decimalen? Schrijf "
                f"bijvoorbeeld 1234 of 1,234"
            )
    elif "," in raw:
        return None, f"'{text}' bevat een komma in een bestand met komma's als scheidingsteken"
    try:
        value = float(raw)
    except ValueError:
        return None, f"'{str(text)[:40]}' is geen getal"
    if not np.isfinite(value):
        return None, f"'{text}' is geen eindig getal"
    return value, None


def area_lookup(areas: pd.DataFrame) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """Code and name (normalised) -> (code, level); names used by more than one area."""
    lookup, seen = {}, {}
    for row in areas.itertuples():
        lookup[row.code.upper()] = (row.code, row.level)
        seen.setdefault(normalise(row.name), []).append((row.code, row.level))
    ambiguous = {name for name, hits in seen.items() if len(hits) > 1}
    for name, hits in seen.items():
        if len(hits) == 1:
            lookup[name] = hits[0]
    return lookup, ambiguous


def indicator_lookup(catalogue: pd.DataFrame) -> dict[str, str]:
    lookup = {}
    for row in catalogue.itertuples():
        lookup[_key(row.id)] = row.id
        lookup[_key(row.label_nl)] = row.id
        lookup[_key(row.label_en)] = row.id
    return lookup


def _find_columns(columns: list[str]) -> dict[str, str]:
    found = {}
    for column in columns:
        for role, names in ALIASES.items():
            if _key(column) in names and role not in found:
                found[role] = column
    return found


def parse_import(
    content: bytes,
    file_name: str,
    areas: pd.DataFrame,
    catalogue: pd.DataFrame,
    sources: set[str],
    period: str | None = None,
    today: date | None = None,
) -> ParsedImport:
    """Parse and validate an import. Long layout: area, indicator, period, value (and
    optional n, margin, source); wide layout: area (and period) plus one column per indicator.
    ``areas`` has columns code, name, level; ``period`` is used when the file has none."""
    today = today or date.today()
    table, info, issues = read_table(content, file_name)
    empty = pd.DataFrame(
        columns=[
            "row",
            "area_code",
            "level",
            "indicator_id",
            "period",
            "value",
            "n",
            "margin",
            "source_id",
        ]
    )
    if table is None:
        return ParsedImport(empty, issues)
    if len(table) > MAX_ROWS:
        return ParsedImport(empty, issues + [Issue(None, None, f"Meer dan {MAX_ROWS} regels.")])
    if table.empty:
        return ParsedImport(
            empty,
            issues + [Issue(None, None, "Het bestand heeft geen regels onder de kop.")],
            **info,
        )
    columns = _find_columns(list(table.columns))
    if "area" not in columns:
        return ParsedImport(
            empty,
            issues
            + [Issue(1, None, "Geen kolom met het gebied (code of naam), bijvoorbeeld 'gebied'.")],
            **info,
        )
    decimal_comma = info.get("delimiter") == ";"
    layout = "long" if "indicator" in columns and "value" in columns else "wide"
    indicators = indicator_lookup(catalogue)
    records = _long_records(table, columns) if layout == "long" else None
    if layout == "wide":
        records, wide_issues = _wide_records(table, columns, indicators)
        issues += wide_issues
    if "period" not in columns and not period:
        issues.append(Issue(1, None, "Geen kolom 'periode' en geen periode opgegeven."))
    lookup, ambiguous = area_lookup(areas)
    rows, seen = [], {}
    for rec in records:
        row_issues, parsed = _check_record(
            rec, lookup, ambiguous, indicators, catalogue, sources, period, today, decimal_comma
        )
        issues += row_issues
        if parsed is None:
            continue
        key = (parsed["area_code"], parsed["indicator_id"], parsed["period"])
        if key in seen:
            issues.append(
                Issue(
                    rec["row"],
                    None,
                    f"Dubbele regel: {key[0]}, {key[1]}, {key[2]} staat ook op regel {seen[key]}.",
                )
            )
            continue
        seen[key] = rec["row"]
        rows.append(parsed)
    frame = pd.DataFrame(rows, columns=empty.columns) if rows else empty
    return ParsedImport(frame, issues, layout, info.get("encoding"), info.get("delimiter"))


def _long_records(table: pd.DataFrame, columns: dict[str, str]) -> list[dict]:
    records = []
    for number, row in enumerate(table.to_dict("records"), start=2):
        records.append(
            {
                "row": number,
                **{role: row.get(col, "") for role, col in columns.items()},
                "indicator_column": "waarde",
            }
        )
    return records


def _wide_records(table, columns, indicators) -> tuple[list[dict], list[Issue]]:
    reserved = {columns[r] for r in ("area", "period", "n", "margin", "source") if r in columns}
    value_columns, issues = {}, []
    for column in table.columns:
        if column in reserved:
            continue
        indicator = indicators.get(_key(column))
        if indicator is None:
            issues.append(Issue(1, column, f"Kolom '{column}' is geen bekende indicator."))
        else:
            value_columns[column] = indicator
    records = []
    for number, row in enumerate(table.to_dict("records"), start=2):
        for column, indicator in value_columns.items():
            if str(row.get(column, "")).strip() == "":
                continue  # an empty cell in a wide table: this area has no value for it
            records.append(
                {
                    "row": number,
                    "area": row.get(columns["area"], ""),
                    "indicator": indicator,
                    "value": row.get(column, ""),
                    "period": row.get(columns.get("period"), "") if "period" in columns else "",
                    "n": row.get(columns.get("n"), "") if "n" in columns else "",
                    "margin": row.get(columns.get("margin"), "") if "margin" in columns else "",
                    "indicator_column": column,
                }
            )
    return records, issues


def _check_record(
    rec, lookup, ambiguous, indicators, catalogue, sources, period, today, decimal_comma
) -> tuple[list[Issue], dict | None]:
    row, issues = rec["row"], []
    area_text = str(rec.get("area", "")).strip()
    area = lookup.get(area_text.upper()) or lookup.get(normalise(area_text))
    if not area_text:
        issues.append(Issue(row, "gebied", "gebied ontbreekt"))
    elif normalise(area_text) in ambiguous and area_text.upper() not in lookup:
        issues.append(
            Issue(
                row,
                "gebied",
                f"'{area_text}' is de naam van meer dan één gebied "
                f"(wijk en buurt); gebruik de code",
            )
        )
    elif area is None:
        issues.append(Issue(row, "gebied", f"onbekend gebied '{area_text[:60]}'"))
    indicator_text = str(rec.get("indicator", "")).strip()
    indicator = indicators.get(_key(indicator_text))
    if indicator is None:
        issues.append(Issue(row, "indicator", f"onbekende indicator '{indicator_text[:60]}'"))
    period_text = str(rec.get("period") or period or "").strip()
    frequency = "year"
    if indicator is not None and "frequency" in catalogue.columns:
        frequency = catalogue.loc[indicator, "frequency"] or "year"
        frequency = frequency if frequency in periods.FREQUENCIES else "year"
    try:
        period_text = periods.parse_period(period_text, frequency, today)
    except periods.PeriodError as exc:
        issues.append(Issue(row, "periode", str(exc)))
    value, problem = parse_number(rec.get("value", ""), decimal_comma)
    if problem:
        issues.append(Issue(row, rec.get("indicator_column") or "waarde", problem))
    n = margin = None
    if str(rec.get("n", "")).strip():
        n, problem = parse_number(rec["n"], decimal_comma)
        if problem or (n is not None and (n < 0 or n != int(n))):
            issues.append(
                Issue(row, "n", problem or "aantal respondenten moet een geheel getal ≥ 0 zijn")
            )
    if str(rec.get("margin", "")).strip():
        margin, problem = parse_number(rec["margin"], decimal_comma)
        if problem or (margin is not None and margin < 0):
            issues.append(Issue(row, "marge", problem or "marge kan niet negatief zijn"))
    source = str(rec.get("source", "")).strip() or None
    if source and source not in sources:
        issues.append(Issue(row, "bron", f"onbekende bron '{source[:40]}'"))
    if indicator is not None and value is not None:
        ind = catalogue.loc[indicator]
        if ind["unit"] == "pct" and not 0 <= value <= 100:
            issues.append(Issue(row, "waarde", f"percentage {value:g} ligt niet tussen 0 en 100"))
        elif value < 0:
            issues.append(Issue(row, "waarde", f"negatieve waarde {value:g} voor {ind['unit']}"))
        if area is not None and area[1] not in str(ind["levels"]).split(","):
            issues.append(
                Issue(row, "gebied", f"indicator {indicator} bestaat niet op niveau {area[1]}")
            )
    if any(i.severity == "error" for i in issues):
        return issues, None
    return issues, {
        "row": row,
        "area_code": area[0],
        "level": area[1],
        "indicator_id": indicator,
        "period": period_text,
        "value": value,
        "n": n,
        "margin": margin,
        "source_id": source,
    }


def preview(rows: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Each imported row with 'new', 'changed' or 'unchanged' against the current values."""
    keys = ["area_code", "indicator_id", "period"]
    now = current[keys + ["value"]].rename(columns={"value": "current"})
    now = now.drop_duplicates(keys, keep="last")
    merged = rows.merge(now, on=keys, how="left")
    change = np.where(
        merged["current"].isna(),
        "new",
        np.where(
            np.isclose(merged["value"], merged["current"].fillna(np.nan)), "unchanged", "changed"
        ),
    )
    merged["change"] = change
    return merged
