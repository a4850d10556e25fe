"""Console command ``wijkveiligheid``: serve, build, check."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from dashboard import settings


def cmd_build(args, store) -> int:
    try:
        meta = store.build()
    except Exception as exc:  # a source file is broken: say which, keep the old store
        print(f"Bouwen mislukt, de bestaande datastore is niet aangeraakt:\n{exc}", file=sys.stderr)
        return 1
    print(f"Datastore gebouwd: {store.describe()}")
    _prepare_tiles(store)
    print(
        f"  bronnen-vingerafdruk {meta['source_fingerprint']}, "
        f"webgeometrie max. afwijking {meta['web_max_deviation_m']} m "
        f"({meta['web_vertices']} van {meta['master_vertices']} punten)"
    )
    check = meta["budget_check"]
    if check["difference_eur"]:
        from indicators.formatting import format_number as fmt

        print(
            f"  let op: begroting 2017 telt op tot € {fmt(check['sum_of_lines_eur'])}, "
            f"de bron noemt € {fmt(check['stated_total_eur'])} "
            f"(verschil € {fmt(check['difference_eur'])})"
        )
    return 0


def _prepare_tiles(store) -> None:
    """The map's vector tiles of the new geometry, made now (dashboard/tiles.py) so the
    server's workers read them instead of making them on their first request."""
    from dashboard import data, tiles

    data.use_store(store)
    folder = tiles.cache_directory()
    if folder is None:  # PostGIS: every instance makes them once, from the layers it reads
        print("  vectortegels: de server maakt ze bij het eerste verzoek")
        return
    try:
        made = tiles.prepare(data.get_context(fresh=True))
    except Exception as exc:  # noqa: BLE001 - the server makes them on the first request
        print(f"  let op: vectortegels niet gemaakt ({exc}); de server maakt ze zelf")
        return
    print(f"  vectortegels ({', '.join(made)}): {folder}")


def cmd_check(args, store) -> int:
    problems = store.problems()
    fix = "Herstel: wijkveiligheid build"
    if not problems:
        problems = _value_problems(store)
        fix = "Herstel: maak de import ongedaan (/intern/log) en laad verbeterde cijfers"
    if problems:
        print(f"De datastore {store.describe()} heeft problemen:", file=sys.stderr)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        print(fix, file=sys.stderr)
        return 1
    print(f"De datastore {store.describe()} is in orde.")
    return 0


def _value_problems(store) -> list[str]:
    """Stored values that are not finite or outside their unit's plausible range."""
    from indicators.catalogue import plausible_ranges
    from indicators.plausible import stored_value_problems

    data = store.read_data()
    found = stored_value_problems(data.observations, data.indicators, plausible_ranges())
    return [f"Onwaarschijnlijke waarde: {line}" for line in found]


def default_public_url(environ, host: str, port: str) -> None:
    """Without a configured public URL, the address ``serve`` listens on becomes it (a
    wildcard host as the loopback), so the absolute links of feeds, OGC API and meta tags
    point at this server and not at the default port 8050."""
    if environ.get("WIJKVEILIGHEID_PUBLIC_URL", "").strip():
        return
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    environ["WIJKVEILIGHEID_PUBLIC_URL"] = f"http://{shown}:{port}"


def cmd_serve(args, store) -> int:
    """Build the store when needed, then serve with gunicorn (dashboard/gunicorn_conf.py, as
    the Procfile), or with Werkzeug's development server (``--dev``)."""
    import os

    try:
        store.ensure()
    except Exception as exc:  # noqa: BLE001 - any build failure is reported, not raised
        print(f"Kan de datastore niet bouwen: {exc}", file=sys.stderr)
        return 1
    problems = store.problems(deep=False)
    if problems:
        print(
            "De datastore is niet bruikbaar:\n- "
            + "\n- ".join(problems)
            + "\nHerstel: wijkveiligheid build",
            file=sys.stderr,
        )
        return 1
    if args.store:
        os.environ["WIJKVEILIGHEID_STORE"] = args.store  # for the gunicorn workers
    if args.host:
        os.environ["WIJKVEILIGHEID_HOST"] = args.host
    if args.port:
        os.environ["WIJKVEILIGHEID_PORT"] = str(args.port)
    host, port = settings.get("WIJKVEILIGHEID_HOST"), settings.get("WIJKVEILIGHEID_PORT")
    default_public_url(os.environ, host, port)
    print(f"Wijkveiligheid Hengelo op http://{host}:{port}/", flush=True)
    if args.dev:
        from dashboard.app import create_app

        create_app(store).run(
            host=host, port=int(port), debug=settings.get("WIJKVEILIGHEID_DEBUG") == "1"
        )
        return 0
    config = Path(__file__).with_name("gunicorn_conf.py")
    command = [sys.executable, "-m", "gunicorn", "--config", str(config), "dashboard.app:server"]
    os.execv(sys.executable, command)
    return 0  # pragma: no cover - execv does not return


def cmd_user(args, store) -> int:
    import getpass

    from indicators.stores import StaffError

    if args.user_command == "remove":
        try:
            store.remove_user(args.username)
        except StaffError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        name = args.username.strip().lower()
        print(f"Gebruiker {name} is verwijderd; alle sessies zijn beëindigd.")
        return 0
    if not store.exists():
        print("Er is nog geen datastore. Maak hem met: wijkveiligheid build", file=sys.stderr)
        return 1
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Wachtwoord: ")
        if password != getpass.getpass("Nogmaals: "):
            print("De wachtwoorden verschillen.", file=sys.stderr)
            return 1
    try:
        store.add_user(args.username, password, args.role)
    except StaffError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Gebruiker {args.username.strip().lower()} ({args.role}) is vastgelegd.")
    return 0


def _print_report(parsed, preview=None) -> None:
    from indicators.textcheck import visible

    for issue in parsed.issues:
        where = f"regel {issue.row}" if issue.row else "bestand"
        field = f", kolom {issue.field}" if issue.field else ""
        word = "FOUT" if issue.severity == "error" else "let op"
        # a message may quote a cell: no terminal escape or bidi control reaches the terminal
        print(visible(f"  {word} ({where}{field}): {issue.message}", limit=None))
    if preview is not None:
        counts = preview["change"].value_counts()
        print(
            f"  {len(preview)} waarden: {counts.get('new', 0)} nieuw, "
            f"{counts.get('changed', 0)} gewijzigd, {counts.get('unchanged', 0)} ongewijzigd"
        )


def cmd_import(args, store) -> int:
    from indicators.staff import StaffError, import_preview, parse_for_store

    file = Path(args.file)
    try:
        content = file.read_bytes()
    except OSError as exc:
        print(f"Kan {file} niet lezen: {exc.strerror}", file=sys.stderr)
        return 1
    parsed = parse_for_store(store.read_data(), content, file.name, args.period, args.source)
    if not parsed.ok:
        print(f"{file.name} is niet geladen; er is niets geschreven:", file=sys.stderr)
        _print_report(parsed)
        return 1
    preview = import_preview(store, parsed)
    print(f"{file.name} is in orde ({parsed.layout}, {parsed.encoding}):")
    _print_report(parsed, preview)
    if args.dry_run:
        print("Proefdraai: niets geschreven.")
        return 0
    if not args.yes and not _confirmed("Laden? [j/N] "):
        print("Niets geschreven (bevestig met j, of gebruik --yes).")
        return 1
    try:
        number = store.commit_import(parsed, args.user, file.name, content, args.source)
    except StaffError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Import #{number} is geladen.")
    return 0


def cmd_undo(args, store) -> int:
    from indicators.staff import StaffError
    from indicators.undo import import_summary, summary_lines

    summary = import_summary(args.number, store.state_tables(), store.read_data().indicators)
    if summary is None:
        print(f"Import #{args.number} bestaat niet.", file=sys.stderr)
        return 1
    print("\n".join(summary_lines(summary)))
    if not summary.undone_at and not args.yes and not _confirmed("Ongedaan maken? [j/N] "):
        print("Niets gewijzigd (bevestig met j, of gebruik --yes).")
        return 1
    try:
        store.undo_import(args.number, args.user)
    except StaffError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Import #{args.number} is ongedaan gemaakt.")
    return 0


def _confirmed(question: str) -> bool:
    """A yes from the terminal; no answer (no terminal, end of input) is a no."""
    try:
        answer = input(question)
    except EOFError:
        print()
        return False
    return answer.strip().lower() in ("j", "ja", "y", "yes")


def _default_since() -> str:
    """January of last year: two calendar years of months, enough for a trend."""
    return f"{date.today().year - 1}-01"


def cmd_fetch_all(args, store) -> int:
    """Every open-data table the product knows, each through the validated import."""
    from indicators.refresh import fetch_all

    outcome = fetch_all(store, args.base_url, args.timeout)
    for item in outcome.tables:
        print(f"{item.table.table}: {item.message}", file=sys.stdout if item.ok else sys.stderr)
    if not outcome.ok:
        print("Niet alles is vernieuwd; wat mislukte is niet gewijzigd.", file=sys.stderr)
    return 0 if outcome.ok else 1


def cmd_migrate(args, store) -> int:
    """Copy the embedded store into PostgreSQL + PostGIS."""
    from indicators.stores import open_store
    from indicators.stores.base import StaffError
    from indicators.stores.migrate import migrate

    if not args.to.startswith(("postgresql://", "postgres://")):
        print("--to: geef een adres als postgresql://gebruiker@host/database", file=sys.stderr)
        return 2
    if store.kind != "embedded":
        print("Overzetten kan alleen vanuit de ingebouwde datastore (--store).", file=sys.stderr)
        return 2
    target = open_store(database_url=args.to)
    try:
        counts = migrate(store, target, replace=args.replace)
    except StaffError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        target.close()
    print(
        f"Overgezet naar {target.describe()}: {counts['layers']['buurt']} buurten, "
        f"{counts['observations']} cijfers, {counts['imports']} imports, "
        f"{counts['indicators']} eigen indicatoren, {counts['users']} gebruikers."
    )
    print("Zet nu WIJKVEILIGHEID_DATABASE_URL op dit adres voor elke instantie.")
    return 0


class UsageError(Exception):
    """A command line that cannot run: the message for the user and the exit code."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def cmd_fetch(args, store) -> int:
    """``wijkveiligheid fetch``: one open-data table (or ``--all``) through the validated
    import; ``--table postcode`` writes the postcode table."""
    from indicators import cbs_odata
    from indicators.refresh import fetch_rows

    if args.all:
        return cmd_fetch_all(args, store)
    if args.table == "postcode":
        from dashboard.postcodes import cmd_fetch_postcode

        return cmd_fetch_postcode(args, store)
    try:
        spec = fetch_spec(args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    try:
        frame, reply = fetch_rows(spec, args.timeout)
    except cbs_odata.FetchError as exc:
        print(f"Ophalen mislukt, er is niets geschreven: {exc}", file=sys.stderr)
        return 1
    return _load_fetched(args, store, spec, frame, reply)


def fetch_spec(args):
    """The table ``args`` ask for (an :class:`indicators.refresh.Table`); raises UsageError."""
    from indicators import cbs_odata
    from indicators.refresh import Table

    year = since = ""
    if args.table == "kwb":
        year, table, base, title = _kwb_table(args)
    elif args.table == "maand":
        since = _since(args)
        table, base = cbs_odata.MONTHLY_CRIME_TABLE, args.base_url or cbs_odata.POLITIE_BASE
        title = f"Politie/CBS, Geregistreerde misdrijven per maand ({table}), vanaf {since}"
    else:
        table, base = cbs_odata.CRIME_TABLE, args.base_url or cbs_odata.POLITIE_BASE
        title = f"Politie/CBS, Geregistreerde misdrijven ({table})"
    publisher = "CBS" if args.table == "kwb" else "Politie / CBS"
    return Table(args.table, table, base, title, publisher, year=year, since=since)


def _kwb_table(args) -> tuple[str, str, str, str]:
    """Year, CBS table, API base and source title of the Kerncijfers ``args`` ask for."""
    from indicators import cbs_odata, periods

    try:
        year = periods.parse_period(args.year or max(cbs_odata.KWB_TABLES), "year")
    except periods.PeriodError as exc:
        raise UsageError(f"--year: {exc}") from exc
    if args.table_id and not re.fullmatch(r"[0-9]{5}[A-Z]{3}", args.table_id):
        raise UsageError("--table-id: een CBS-tabel heet bijvoorbeeld 85984NED.")
    if year not in cbs_odata.KWB_TABLES and not args.table_id:
        known = ", ".join(sorted(cbs_odata.KWB_TABLES))
        raise UsageError(
            f"Geen Kerncijfers-tabel bekend voor {year} (bekend: {known}); geef de tabel "
            f"met --table-id, bijvoorbeeld zoals op CBS StatLine.",
            code=1,
        )
    table = args.table_id or cbs_odata.KWB_TABLES[year]
    base = args.base_url or cbs_odata.KWB_BASE
    return year, table, base, f"CBS, Kerncijfers wijken en buurten {year} ({table})"


def _since(args) -> str:
    from indicators import periods

    try:
        return periods.parse_period(args.since or _default_since(), "month")
    except periods.PeriodError as exc:
        raise UsageError(f"--since: {exc}") from exc


def _load_fetched(args, store, spec, frame, reply) -> int:
    """Check the fetched rows as an import, report, and load them (unless ``--dry-run``)."""
    from indicators import cbs_odata
    from indicators.staff import StaffError, import_preview, parse_for_store

    public = store.read_data()
    frame, dropped = cbs_odata.offered_by_catalogue(frame, public.indicators)
    if dropped:
        print(f"{dropped} waarden overgeslagen: die indicator wordt op dat niveau niet getoond.")
    content = cbs_odata.as_import_csv(frame)
    name = f"{spec.table}.csv"
    parsed = parse_for_store(public, content, name)
    if not parsed.ok:
        print("De opgehaalde cijfers zijn niet geldig; er is niets geschreven:", file=sys.stderr)
        _print_report(parsed)
        return 1
    print(f"{len(reply.rows)} regels uit {reply.pages} pagina's van {spec.table}:")
    _print_report(parsed, import_preview(store, parsed))
    if args.dry_run:
        print("Proefdraai: niets geschreven.")
        return 0
    try:
        number = store.commit_import(
            parsed,
            "fetch",
            name,
            content,
            spec.title,
            publisher=spec.publisher,
            licence="CC BY 4.0",
        )
    except StaffError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Import #{number} is geladen.")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


def build_parser() -> argparse.ArgumentParser:
    """The ``wijkveiligheid`` command line: one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="wijkveiligheid", description="Wijkveiligheid Hengelo dashboard"
    )
    parser.add_argument(
        "--store", help="path of the embedded GeoPackage store (default: WIJKVEILIGHEID_STORE)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the dashboard (builds the store if missing)")
    serve.add_argument("--host")
    serve.add_argument("--port")
    serve.add_argument(
        "--dev", action="store_true", help="Werkzeug's development server instead of gunicorn"
    )
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("build", help="(re)build the store from the bundled sources").set_defaults(
        func=cmd_build
    )
    sub.add_parser("check", help="validate an existing store").set_defaults(func=cmd_check)
    _add_user_commands(sub)
    _add_import_commands(sub)
    _add_fetch_command(sub)
    migrate = sub.add_parser(
        "migrate", help="copy the embedded store (--store) into PostgreSQL + PostGIS"
    )
    migrate.add_argument("--to", required=True, help="postgresql://user@host/database")
    migrate.add_argument(
        "--replace", action="store_true", help="overwrite a database that has users or imports"
    )
    migrate.set_defaults(func=cmd_migrate)
    return parser


def _add_user_commands(sub) -> None:
    user = sub.add_parser("user", help="manage staff users")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="add a user or reset a password")
    add.add_argument("username")
    add.add_argument("--role", choices=["staff", "admin"], default="staff")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.set_defaults(func=cmd_user)
    remove = user_sub.add_parser("remove", help="remove a user and end its sessions")
    remove.add_argument("username")
    remove.set_defaults(func=cmd_user)


def _add_import_commands(sub) -> None:
    imp = sub.add_parser("import", help="import figures from a CSV or XLSX file")
    imp.add_argument("file")
    imp.add_argument("--source", required=True, help="where the figures come from")
    imp.add_argument(
        "--period", help="the year (2024) or month (2024-03), for a file without a period column"
    )
    imp.add_argument("--user", default="cli", help="name recorded in the import log")
    imp.add_argument("--dry-run", action="store_true", help="check and preview only")
    imp.add_argument("--yes", action="store_true", help="load without asking")
    imp.set_defaults(func=cmd_import)
    undo = sub.add_parser("undo", help="undo a whole import")
    undo.add_argument("number", type=int)
    undo.add_argument("--user", default="cli")
    undo.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    undo.set_defaults(func=cmd_undo)


def _add_fetch_command(sub) -> None:
    fetch = sub.add_parser(
        "fetch",
        help="fetch open data per wijk and buurt: Politie/CBS "
        "crime (47018NED) or CBS Kerncijfers (kwb)",
    )
    fetch.add_argument(
        "--table",
        choices=["misdrijven", "maand", "kwb", "postcode"],
        default="misdrijven",
        help="misdrijven: 47018NED per year; maand: 47022NED per month; kwb: Kerncijfers; "
        "postcode: CBS buurt per postcode and house number (exact postcode search)",
    )
    fetch.add_argument(
        "--since", help="with --table maand: the first month (default: January of last year)"
    )
    fetch.add_argument(
        "--year", help="with --table kwb or postcode: the year of the table (postcode: 2021)"
    )
    fetch.add_argument(
        "--table-id", help="with --table kwb: the CBS table of that year, if not known here"
    )
    fetch.add_argument("--base-url", help="API base (default: the real CBS address)")
    fetch.add_argument("--url", help="with --table postcode: the CBS zip, if not known here")
    fetch.add_argument("--timeout", type=float, default=20.0)
    fetch.add_argument("--dry-run", action="store_true")
    fetch.add_argument(
        "--all",
        action="store_true",
        help="every known table (47018NED, 47022NED, newest Kerncijfers); records the outcome",
    )
    fetch.set_defaults(func=cmd_fetch)


def run(args) -> int:
    """Run one command with ONE store (opened from --store or the settings); a store that
    cannot be used gives its plain message, never a traceback."""
    from indicators.store import StoreError

    try:
        store = settings.open_store(args.store)
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        return args.func(args, store)
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
