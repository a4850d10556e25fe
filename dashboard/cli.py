"""Console command ``wijkveiligheid``: serve, build, check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard import settings


def cmd_build(args) -> int:
    from indicators.store import build_store

    path = Path(args.store or settings.store_path())
    try:
        meta = build_store(path)
    except Exception as exc:  # a source file is broken: say which, keep the old store
        print(f"Bouwen mislukt, de bestaande datastore is niet aangeraakt:\n{exc}", file=sys.stderr)
        return 1
    print(f"Datastore gebouwd: {path}")
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


def cmd_check(args) -> int:
    from indicators.store import store_problems

    path = Path(args.store or settings.store_path())
    problems = store_problems(path)
    if problems:
        print(f"De datastore {path} heeft problemen:", file=sys.stderr)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        print("Herstel: wijkveiligheid build", file=sys.stderr)
        return 1
    print(f"De datastore {path} is in orde.")
    return 0


def cmd_serve(args) -> int:
    import os

    from dashboard.data import ensure_store
    from indicators.store import StoreError, store_problems

    if args.store:
        os.environ["WIJKVEILIGHEID_STORE"] = args.store
    path = settings.store_path()
    try:
        ensure_store(path)
    except Exception as exc:
        print(f"Kan de datastore niet bouwen: {exc}", file=sys.stderr)
        return 1
    problems = store_problems(path, deep=False)
    if problems:
        print(
            "De datastore is niet bruikbaar:\n- "
            + "\n- ".join(problems)
            + "\nHerstel: wijkveiligheid build",
            file=sys.stderr,
        )
        return 1
    from dashboard.app import app

    host = args.host or settings.get("WIJKVEILIGHEID_HOST")
    port = int(args.port or settings.get("WIJKVEILIGHEID_PORT"))
    print(f"Wijkveiligheid Hengelo op http://{host}:{port}/")
    try:
        app.run(host=host, port=port, debug=settings.get("WIJKVEILIGHEID_DEBUG") == "1")
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="wijkveiligheid", description="Wijkveiligheid Hengelo dashboard"
    )
    parser.add_argument(
        "--store", help="path of the GeoPackage store (default: WIJKVEILIGHEID_STORE)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the dashboard (builds the store if missing)")
    serve.add_argument("--host")
    serve.add_argument("--port")
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("build", help="(re)build the store from the bundled sources").set_defaults(
        func=cmd_build
    )
    sub.add_parser("check", help="validate an existing store").set_defaults(func=cmd_check)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
