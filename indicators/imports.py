"""Reading and validating staff imports (CSV or XLSX) into observations, without writing.

Everything here is pure: bytes and frames in, a parsed import with a report per row and field
out. Writing happens only in the store (:meth:`indicators.stores.Store.commit_import`, one
transaction), and only for an import without errors.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from indicators import periods, textcheck
from indicators.catalogue import Ranges, plausible_ranges
from indicators.plausible import value_problem

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
# a workbook is a zip: its parts are checked before anything is unpacked (zip bomb)
MAX_XLSX_UNPACKED = 20_000_000
MAX_XLSX_PARTS = 200
MAX_XLSX_RATIO = 200
MAX_NUMBER_CHARS = 40
# more columns than any import needs (a wide table has one per indicator): refused at once
MAX_COLUMNS = 100
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]{1,4})?")


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


def _not_text(message: str) -> tuple[None, None, list[Issue]]:
    return None, None, [Issue(None, None, message)]


def _key(text) -> str:
    return normalise(text).replace(" ", "_")


def decode(content: bytes) -> tuple[str | None, str | None, list[Issue]]:
    """Text of a CSV file: UTF-8 (with or without BOM); Windows-1252 is accepted with a
    warning when it decodes to printable text; anything else is refused."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content[:1000]:
        return _not_text(
            "Het bestand is geen tekst in UTF-8 (het lijkt UTF-16 of binair). "
            "Sla het op als 'CSV UTF-8'."
        )
    try:
        return content.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    text = content.decode("cp1252", errors="replace")
    if "\ufffd" in text or any(ord(c) < 32 and c not in "\r\n\t" for c in text):
        return _not_text(
            "Het bestand is niet in UTF-8 en ook niet als Windows-1252 te lezen. "
            "Sla het op als 'CSV UTF-8'."
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


def check_workbook(content: bytes) -> Issue | None:
    """Why a workbook must not be unpacked (None when it may): a broken zip, too many parts,
    more than ``MAX_XLSX_UNPACKED`` bytes unpacked, a part packed suspiciously tightly, or an
    archive inside. The sizes come from the zip directory, and Python's zipfile never unpacks
    more than the size a part declares, so this bounds what reading can cost."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return Issue(None, None, "Het Excel-bestand kan niet worden gelezen (geen geldig xlsx).")
    if len(parts) > MAX_XLSX_PARTS:
        return Issue(
            None,
            None,
            f"Het Excel-bestand heeft {len(parts)} onderdelen (meer dan {MAX_XLSX_PARTS}).",
        )
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_XLSX_UNPACKED:
        return Issue(
            None,
            None,
            f"Het Excel-bestand is uitgepakt {unpacked / 1_000_000:.0f} MB, meer dan "
            f"{MAX_XLSX_UNPACKED // 1_000_000} MB. Sla alleen de tabel op, of als CSV.",
        )
    for part in parts:
        if part.filename.lower().endswith((".zip", ".xlsx", ".xlsm", ".gz", ".7z", ".rar")):
            return Issue(None, None, f"Het Excel-bestand bevat een archief ({part.filename[:60]}).")
        if part.file_size > 1_000_000 and part.file_size > MAX_XLSX_RATIO * max(
            part.compress_size, 1
        ):
            return Issue(
                None,
                None,
                f"Het Excel-bestand is verdacht sterk ingepakt ({part.filename[:60]}: "
                f"{part.file_size // max(part.compress_size, 1)}x).",
            )
    return None


def _read_workbook(content: bytes) -> tuple[list[list[str]] | None, list[int], list[Issue]]:
    """The rows of a workbook's first sheet and the row number of each in Excel."""
    problem = check_workbook(content)
    if problem:
        return None, [], [problem]
    try:
        raw = pd.read_excel(io.BytesIO(content), dtype=str, header=None, nrows=MAX_ROWS + 2)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        message = f"Het Excel-bestand kan niet worden gelezen ({type(exc).__name__})."
        return None, [], [Issue(None, None, message)]
    rows = raw.fillna("").astype(str).values.tolist()
    # pandas keeps the empty rows of a sheet: a row's place is its number in Excel
    return [[cell for cell in row] for row in rows], list(range(1, len(rows) + 1)), []


def dutch_number(number: int) -> str:
    """A whole number with a dot between the thousands.

    >>> dutch_number(131072)
    '131.072'
    """
    return f"{number:,}".replace(",", ".")


def _read_csv_rows(
    text: str, delimiter: str
) -> tuple[list[list[str]] | None, list[int], Issue | None]:
    """The non-empty rows of a CSV text with the line each starts on (blank lines count, as
    in an editor), reading no further than one row past the limit."""
    rows, lines, start = [], [], 1
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                problem = _open_quote(row, start, reader.line_num, delimiter, rows[:1])
                if problem:
                    return None, [], problem
                rows.append(row)
                lines.append(start)
                if len(rows) > MAX_ROWS + 1:
                    message = f"Meer dan {MAX_ROWS} regels; splits het bestand."
                    return None, [], Issue(start, None, message)
            start = reader.line_num + 1
    except csv.Error as exc:
        return None, [], _csv_error(exc, text, start)
    if lines and text.count('"') % 2:  # an odd number of quotes: one may be open at the end
        problem = _open_at_end(text, lines[-1], reader.line_num, delimiter, rows)
        if problem:
            return None, [], problem
    return rows, lines, None


def _unclosed(start: int, end: int | None, number: int, header: list[list[str]]) -> Issue:
    """The error for a quote opened in column ``number`` on line ``start`` (``end`` None: it
    runs to the end of the file)."""
    names = header[0] if header else []
    column = names[number - 1].strip() if number <= len(names) else ""
    until = "het einde van het bestand" if end is None else f"regel {end}"
    return Issue(
        start,
        column or f"kolom {number}",
        f'Aanhalingsteken niet gesloten: het veld begint op regel {start} met een " en loopt '
        f"door tot {until}. Sluit het aanhalingsteken of haal het weg.",
    )


def _open_quote(row: list[str], start: int, end: int, delimiter: str, header) -> Issue | None:
    """An unclosed quote in the file: a field that runs over a line end and holds the
    delimiter (it swallowed the rest of its line and the next)."""
    if end == start:
        return None
    # a swallowed line looks like a record: as many delimiters as the header has, less one
    # (a quoted note over two lines with a delimiter in it is a field, not an open quote)
    record = max(1, len(header[0]) - 1) if header else 1
    for number, cell in enumerate(row, start=1):
        if "\n" in cell and any(line.count(delimiter) >= record for line in cell.split("\n")[1:]):
            return _unclosed(start, end, number, header)
    return None


def _open_at_end(text: str, start: int, end: int, delimiter: str, rows) -> Issue | None:
    """An unclosed quote in the last record: the csv module's strict mode says the data
    ended inside a quoted field (its lenient mode gave the rest of the file as the field)."""
    tail = text.split("\n", start - 1)[-1]
    try:
        for _ in csv.reader(io.StringIO(tail), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return _unclosed(start, None, len(rows[-1]), rows[:1])  # its last field ran on
    return None


def _csv_error(exc: csv.Error, text: str, start: int) -> Issue:
    """What the csv module could not read, in Dutch, with the line the record starts on."""
    if "field larger than field limit" in str(exc):
        limit = dutch_number(csv.field_size_limit())
        line = text.split("\n", start)[start - 1] if start >= 1 else ""
        hint = " Misschien is een aanhalingsteken niet gesloten." if '"' in line[:1000] else ""
        return Issue(
            start,
            None,
            f"Een veld is langer dan {limit} tekens (regel {start}); is dit wel een CSV met "
            f"cijfers?{hint}",
        )
    return Issue(start, None, f"Het CSV-bestand is niet te lezen vanaf regel {start} ({exc}).")


def duplicate_columns(header: list[str]) -> list[Issue]:
    """Columns that mean the same: one name twice (``gebied;gebied``), or two names for one
    field (``gebied`` and ``code``, ``waarde`` and ``value``). One issue per name, with how
    often it is there."""
    issues, by_key, counts, by_role = [], {}, {}, {}
    for column in header:
        key = _key(column)
        if not key:
            continue
        if key in by_key:
            counts[key] += 1
            continue
        by_key[key], counts[key] = column, 1
        role = next((r for r, names in ALIASES.items() if key in names), None)
        if role is None:
            continue
        if role in by_role:
            issues.append(
                Issue(
                    1,
                    column,
                    f"De kolommen '{by_role[role]}' en '{column}' betekenen hetzelfde "
                    f"({role}); laat er één staan.",
                )
            )
        else:
            by_role[role] = column
    for key, count in counts.items():
        if count > 1:
            column, times = by_key[key], "twee keer" if count == 2 else f"{count} keer"
            message = f"De kolom '{column}' staat {times} in de kop; laat er één staan."
            issues.append(Issue(1, column, message))
    return issues


def _frame(
    rows: list[list[str]], lines: list[int], issues: list[Issue]
) -> tuple[pd.DataFrame | None, list[Issue]]:
    """The table of the rows, indexed by the line each row is on in the file."""
    header, body = [str(h).strip() for h in rows[0]], rows[1:]
    used = 0  # the widest column any row fills
    for row in body:
        used = max(used, next((i + 1 for i in range(len(row) - 1, -1, -1) if row[i].strip()), 0))
    while header and not header[-1] and len(header) > used:
        header.pop()  # an empty trailing column (a spreadsheet's last separator)
    if len(header) > MAX_COLUMNS:
        message = (
            f"De kop heeft {dutch_number(len(header))} kolommen; een import heeft er hoogstens "
            f"{MAX_COLUMNS}. "
            "Laat de kolommen weg die niet geladen worden."
        )
        return None, issues + [Issue(1, None, message)]
    duplicates = duplicate_columns(header)
    if duplicates:
        return None, issues + duplicates
    width = len(header)
    for number, row in zip(lines[1:], body, strict=True):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            issues.append(
                Issue(
                    number,
                    f"kolom {width + 1}",
                    f"Deze regel heeft {len(row)} kolommen, de kop heeft er {width}.",
                )
            )
    body = [r + [""] * (width - len(r)) if len(r) < width else r[:width] for r in body]
    return pd.DataFrame(body, columns=header, index=lines[1:], dtype=str), issues


def read_table(content: bytes, file_name: str) -> tuple[pd.DataFrame | None, dict, list[Issue]]:
    """The raw table of a CSV or XLSX file as strings, with how it was read. The table's index
    is the line (CSV) or row (Excel) each row is on, the header being the first one read."""
    refused = _refused_content(content)
    if refused:
        return None, {}, refused
    if content[:2] == b"PK" or str(file_name).lower().endswith((".xlsx", ".xlsm")):
        rows, lines, issues = _read_workbook(content)
        info = {"encoding": "xlsx", "delimiter": None}
    else:
        rows, lines, info, issues = _read_csv(content)
    if rows is None:
        return None, {}, issues
    kept = [(r, n) for r, n in zip(rows, lines, strict=True) if any(str(c).strip() for c in r)]
    rows, lines = [r for r, _ in kept], [n for _, n in kept]
    refused = _refused_rows(rows)
    if refused:
        return None, {}, issues + refused
    table, issues = _frame(rows, lines, issues)
    if table is not None:
        table.attrs["header_line"] = lines[0]
    return table, (info if table is not None else {}), at_header(issues, lines[0])


def at_header(issues: list[Issue], line: int) -> list[Issue]:
    """``issues`` with a finding of the header (numbered 1 where it was found) on the line the
    header is on in the file (blank lines or a title row above it count)."""
    if line == 1:
        return issues
    return [replace(i, row=line) if i.row == 1 else i for i in issues]


def _refused_content(content: bytes) -> list[Issue]:
    """Why a file is refused before reading it (too big, empty); empty when it may be read."""
    if len(content) > MAX_BYTES:
        return [Issue(None, None, f"Het bestand is groter dan {MAX_BYTES // 1_000_000} MB.")]
    if not content.strip():
        return [Issue(None, None, "Het bestand is leeg.")]
    return []


def _refused_rows(rows: list) -> list[Issue]:
    """Why the non-empty rows of a file are refused (none, too many); empty when fine."""
    if not rows:
        return [Issue(None, None, "Het bestand is leeg.")]
    if len(rows) > MAX_ROWS + 1:
        return [Issue(MAX_ROWS + 2, None, f"Meer dan {MAX_ROWS} regels; splits het bestand.")]
    return []


def _read_csv(content: bytes) -> tuple[list | None, list[int], dict, list[Issue]]:
    """The rows of a CSV file, the line each starts on, and its encoding and delimiter
    (guessed from the first line)."""
    text, encoding, issues = decode(content)
    if text is None:
        return None, [], {}, issues
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        message = "Geen kolommen gevonden: gebruik een puntkomma, komma of tab tussen de kolommen."
        return None, [], {}, issues + [Issue(1, None, message)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # also old Mac line ends
    rows, lines, problem = _read_csv_rows(text, delimiter)
    issues += [problem] if problem else []
    return rows, lines, {"encoding": encoding, "delimiter": delimiter}, issues


def parse_number(
    text: str, decimal_comma: bool, allow_percent: bool = True
) -> tuple[float | None, str | None]:
    """A number from a cell; the second value is an error message.

    Plain decimals only (``12``, ``-3,5``, ``1.234,5`` with a decimal comma, ``1e-05`` as Excel
    writes small numbers): no ``inf``/``nan``, no ``1_000`` or ``.5``, nothing that is not
    finite or that underflows to 0, and ``12%`` only where a percentage is asked for.

    >>> parse_number("1_000", False)[1]
    "'1_000' is geen getal (schrijf bijvoorbeeld 12 of 12,5)"
    >>> parse_number("1e-400", False)[1]
    "'1e-400' is te klein om op te slaan (wordt 0)"
    """
    shown = str(text)[:MAX_NUMBER_CHARS]
    raw = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if raw == "":
        return None, "waarde ontbreekt"
    if len(raw) > MAX_NUMBER_CHARS:
        return None, f"'{shown}…' is te lang voor een getal"
    if raw.endswith("%"):
        if not allow_percent:
            return None, f"'{shown}' is een percentage; hier hoort een getal zonder %"
        raw = raw[:-1]
    if decimal_comma:
        if "," in raw and "." in raw:
            raw = raw.replace(".", "").replace(",", ".")
        elif "," in raw:
            raw = raw.replace(",", ".")
        elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", raw):
            return None, (
                f"'{shown}' is niet eenduidig: duizendtallen of decimalen? Schrijf "
                f"bijvoorbeeld 1234 of 1,234"
            )
    elif "," in raw:
        return None, f"'{shown}' bevat een komma in een bestand met komma's als scheidingsteken"
    if not _NUMBER.fullmatch(raw):
        return None, f"'{shown}' is geen getal (schrijf bijvoorbeeld 12 of 12,5)"
    value = float(raw)
    if not math.isfinite(value):
        return None, f"'{shown}' is geen eindig getal"
    if value == 0 and re.search(r"[1-9]", raw.lower().split("e")[0]):
        return None, f"'{shown}' is te klein om op te slaan (wordt 0)"
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


ROLE_NAMES = {
    "area": "gebied",
    "indicator": "indicator",
    "period": "periode",
    "value": "waarde",
    "n": "n",
    "margin": "marge",
    "source": "bron",
}


def accepted_columns() -> str:
    """The column names a long import uses, the Dutch one first with the others after it."""
    parts = []
    for role, name in ROLE_NAMES.items():
        others = sorted(ALIASES[role] - {name})
        parts.append(f"{name} (ook: {', '.join(others)})" if others else name)
    return "; ".join(parts)


def unused_columns(header: list[str], found: dict[str, str]) -> list[Issue]:
    """A warning naming the columns of a long table that are not loaded (a misspelled
    ``marges`` would otherwise be dropped without a word), with the names that are."""
    used = set(found.values())
    unused = [c for c in header if c not in used and _key(c)]
    if not unused:
        return []
    names = sorted(set().union(*ALIASES.values()))
    hints = []
    for column in unused:
        close = difflib.get_close_matches(_key(column), names, n=1, cutoff=0.75)
        hints.append(f"{column} (bedoelt u {close[0]}?)" if close else column)
    message = (
        f"Let op: {'deze kolommen worden' if len(hints) > 1 else 'deze kolom wordt'} niet "
        f"gebruikt: {', '.join(hints)}. Een import in de "
        f"lange vorm gebruikt alleen de kolommen {accepted_columns()}."
    )
    return [Issue(1, ", ".join(unused)[:200], message, "warning")]


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
    ranges: Ranges | None = None,
) -> ParsedImport:
    """Parse and validate an import. Long layout: area, indicator, period, value (and
    optional n, margin, source); wide layout: area (and period) plus one column per indicator.
    ``areas`` has columns code, name, level; ``period`` is used when the file has none;
    ``ranges`` are the plausible values per unit (the bundled catalogue's by default)."""
    table, info, issues = read_table(content, file_name)
    empty = pd.DataFrame(columns=import_columns())
    if table is None:
        return ParsedImport(empty, issues)
    # invisible characters are refused, never stripped (issue 21): every header and cell
    # textcheck numbers rows from the header as if none were blank: give them their line
    header_line = table.attrs.get("header_line", 1)
    lines = [header_line, *table.index.tolist()]
    issues += [
        Issue(lines[row - 1] if row <= len(lines) else row, column, text)
        for row, column, text in textcheck.table_problems(table)
    ]
    columns = _find_columns(list(table.columns))
    refusal = _refused_table(table, columns)
    if refusal:
        return ParsedImport(empty, at_header(issues + [refusal], header_line), **info)
    rules = _rules(areas, catalogue, sources, period, today, ranges, info)
    layout, records, layout_issues = _records(table, columns, rules.indicators)
    issues += layout_issues
    if layout == "long":
        issues += unused_columns(list(table.columns), columns)
    if "period" not in columns and not period:
        issues.append(Issue(1, None, "Geen kolom 'periode' en geen periode opgegeven."))
    rows = _accepted_rows(records, rules, issues)
    frame = pd.DataFrame(rows, columns=empty.columns) if rows else empty
    issues = at_header(issues, header_line)
    return ParsedImport(frame, issues, layout, info.get("encoding"), info.get("delimiter"))


def import_columns() -> list[str]:
    """The columns of a parsed import's rows (the store's list, see
    :func:`indicators.stores.schema.import_columns`)."""
    from indicators.stores import schema

    return schema.import_columns()


def _refused_table(table: pd.DataFrame, columns: dict[str, str]) -> Issue | None:
    """Why a table that was read cannot be an import (no rows, no area column), or None."""
    if table.empty:
        return Issue(None, None, "Het bestand heeft geen regels onder de kop.")
    if "area" not in columns:
        message = "Geen kolom met het gebied (code of naam), bijvoorbeeld 'gebied'."
        return Issue(1, "gebied", message)
    return None


@dataclass(frozen=True)
class _Rules:
    """What every row of one import is checked against."""

    lookup: dict
    ambiguous: set
    indicators: dict
    catalogue: pd.DataFrame
    sources: set
    period: str | None
    today: date
    decimal_comma: bool
    ranges: Ranges


def _rules(areas, catalogue, sources, period, today, ranges, info) -> _Rules:
    lookup, ambiguous = area_lookup(areas)
    return _Rules(
        lookup,
        ambiguous,
        indicator_lookup(catalogue),
        catalogue,
        sources,
        period,
        today or date.today(),
        info.get("delimiter") == ";",
        ranges or plausible_ranges(),
    )


def _records(table, columns, indicators) -> tuple[str, list[dict], list[Issue]]:
    """The layout of the table and one record per value in it."""
    if "indicator" in columns and "value" in columns:
        return "long", _long_records(table, columns), []
    records, issues = _wide_records(table, columns, indicators)
    return "wide", records, issues


def _accepted_rows(records: list[dict], rules: _Rules, issues: list[Issue]) -> list[dict]:
    """The rows of the records without errors and not repeated; adds what is wrong to
    ``issues``."""
    rows, seen = [], {}
    for rec in records:
        row_issues, parsed = _check_record(rec, rules)
        issues += row_issues
        if parsed is None:
            continue
        key = (parsed["area_code"], parsed["indicator_id"], parsed["period"])
        if key in seen:
            issues.append(
                Issue(
                    rec["row"],
                    "gebied, indicator, periode",
                    f"Dubbele regel: {key[0]}, {key[1]}, {key[2]} staat ook op regel {seen[key]}.",
                )
            )
            continue
        seen[key] = rec["row"]
        rows.append(parsed)
    return rows


def _long_records(table: pd.DataFrame, columns: dict[str, str]) -> list[dict]:
    records = []
    for number, row in zip(table.index.tolist(), table.to_dict("records"), strict=True):
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
        elif indicator in value_columns.values():
            first = next(c for c, i in value_columns.items() if i == indicator)
            issues.append(
                Issue(
                    1,
                    column,
                    f"De kolommen '{first}' en '{column}' zijn allebei indicator {indicator}; "
                    "laat er één staan.",
                )
            )
        else:
            value_columns[column] = indicator
    records = []
    for number, row in zip(table.index.tolist(), table.to_dict("records"), strict=True):
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


def _check_record(rec: dict, rules: _Rules) -> tuple[list[Issue], dict | None]:
    """The issues of one record and, when it has no error, its row."""
    row, issues = rec["row"], []
    area = _check_area(rec, rules, issues)
    indicator = _check_indicator(rec, rules, issues)
    period_text = _check_period(rec, indicator, rules, issues)
    unit = str(rules.catalogue.loc[indicator, "unit"]) if indicator is not None else None
    value_column = rec.get("indicator_column") or "waarde"
    value, problem = parse_number(rec.get("value", ""), rules.decimal_comma, unit in (None, "pct"))
    if problem:
        issues.append(Issue(row, value_column, problem))
    n = _check_n(rec, rules, issues)
    margin = _check_margin(rec, indicator, unit, rules, issues)
    source = _check_source(rec, rules, issues)
    if indicator is not None and value is not None:
        _check_fit(rec, value, area, indicator, unit, rules, issues)
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


def _check_area(rec, rules: _Rules, issues: list[Issue]) -> tuple[str, str] | None:
    """(code, level) of the record's area, by code or by a name only one area has."""
    row, text = rec["row"], str(rec.get("area", "")).strip()
    area = rules.lookup.get(text.upper()) or rules.lookup.get(normalise(text))
    if not text:
        issues.append(Issue(row, "gebied", "gebied ontbreekt"))
    elif normalise(text) in rules.ambiguous and text.upper() not in rules.lookup:
        message = f"'{text}' is de naam van meer dan één gebied (wijk en buurt); gebruik de code"
        issues.append(Issue(row, "gebied", message))
    elif area is None:
        issues.append(Issue(row, "gebied", f"onbekend gebied '{text[:60]}'"))
    return area


def _check_indicator(rec, rules: _Rules, issues: list[Issue]) -> str | None:
    """The catalogue id of the record's indicator (by id or label)."""
    text = str(rec.get("indicator", "")).strip()
    indicator = rules.indicators.get(_key(text))
    if indicator is None:
        issues.append(Issue(rec["row"], "indicator", f"onbekende indicator '{text[:60]}'"))
    return indicator


def _check_period(rec, indicator, rules: _Rules, issues: list[Issue]) -> str:
    """The record's period (or the import's) in the indicator's frequency."""
    text = str(rec.get("period") or rules.period or "").strip()
    try:
        return periods.parse_period(text, _frequency(indicator, rules.catalogue), rules.today)
    except periods.PeriodError as exc:
        issues.append(Issue(rec["row"], "periode", str(exc)))
        return text


def _frequency(indicator: str | None, catalogue: pd.DataFrame) -> str:
    if indicator is None or "frequency" not in catalogue.columns:
        return "year"
    frequency = catalogue.loc[indicator, "frequency"] or "year"
    return frequency if frequency in periods.FREQUENCIES else "year"


def _check_n(rec, rules: _Rules, issues: list[Issue]) -> float | None:
    """The number of respondents, when the record gives one."""
    if not str(rec.get("n", "")).strip():
        return None
    n, problem = parse_number(rec["n"], rules.decimal_comma, allow_percent=False)
    problem = problem or value_problem(
        n, rules.ranges.units["respondents"], "het aantal respondenten"
    )
    if problem:
        issues.append(Issue(rec["row"], "n", problem))
    return n


def _check_margin(rec, indicator, unit, rules: _Rules, issues: list[Issue]) -> float | None:
    """The margin, when the record gives one: from 0 up to the unit's largest value."""
    if not str(rec.get("margin", "")).strip():
        return None
    margin, problem = parse_number(rec["margin"], rules.decimal_comma, unit in (None, "pct"))
    if not problem and unit is not None:
        top = rules.ranges.for_indicator(indicator, unit)
        problem = value_problem(margin, type(top)(0, top.max, False), "de marge")
    if problem:
        issues.append(Issue(rec["row"], "marge", problem))
    return margin


def _check_source(rec, rules: _Rules, issues: list[Issue]) -> str | None:
    source = str(rec.get("source", "")).strip() or None
    if source and source not in rules.sources:
        issues.append(Issue(rec["row"], "bron", unknown_source(source, rules.sources)))
    return source


def unknown_source(typed: str, sources) -> str:
    """Why the ``bron`` cell ``typed`` is refused, with the codes it may hold.

    >>> unknown_source("test", {"VM2015", "CBS_KWB2017"})
    "onbekende bron 'test'; laat de kolom bron leeg of gebruik een van: CBS_KWB2017, VM2015"
    """
    known = ", ".join(sorted(sources)) or "(geen)"
    return f"onbekende bron '{typed[:40]}'; laat de kolom bron leeg of gebruik een van: {known}"


THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+")


def typed_in(problem: str, typed) -> str:
    """``problem`` with the cell quoted as the user typed it (the number was read from it, so
    ``1.234`` in a comma-separated file is 1 point 234, not 1234), and a hint for a point
    that looks like a thousands separator.

    >>> typed_in("een aantal moet een geheel getal zijn, niet 1,234", "1.234")[:46]
    "'1.234': een aantal moet een geheel getal zijn"
    """
    shown = str(typed).strip()[:MAX_NUMBER_CHARS]
    hint = ""
    if THOUSANDS.fullmatch(shown.replace("\u00a0", "").replace(" ", "")):
        hint = (
            " (hier is de punt het decimaalteken; schrijf duizendtallen zonder punt, "
            f"bijvoorbeeld {shown.replace('.', '')})"
        )
    return f"'{shown}': {problem}{hint}"


def _check_fit(rec, value, area, indicator, unit, rules: _Rules, issues: list[Issue]) -> None:
    """A value plausible for its indicator, at a level the indicator has."""
    row = rec["row"]
    problem = value_problem(value, rules.ranges.for_indicator(indicator, unit), unit)
    if problem:
        problem = typed_in(problem, rec.get("value", ""))
        issues.append(Issue(row, rec.get("indicator_column") or "waarde", problem))
    levels = str(rules.catalogue.loc[indicator, "levels"]).split(",")
    if area is not None and area[1] not in levels:
        issues.append(
            Issue(row, "gebied", f"indicator {indicator} bestaat niet op niveau {area[1]}")
        )


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
