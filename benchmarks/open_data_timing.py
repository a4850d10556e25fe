"""Benchmark: server time of the open-data endpoints right after a data change (issue 16).

The Atom feeds, the OGC API documents, ``/data/cijfers.json`` and the GeoPackage are the same for
every visitor of one data version. This script starts the production configuration
(``wijkveiligheid serve``: gunicorn, 2 gthread workers, as ``benchmarks/page_layouts.py`` does)
on a private copy of a store built from the bundled sources, and per tree:

- ``warm``: after the start has settled, each endpoint ``--repeat`` times (median);
- ``after import``: a staff import through the CLI (one made-up figure, as another instance
  would write it; the shapes do not change), ``--settle`` seconds of waiting (a visitor who
  comes after the change has been seen: 2 s check, 1.5 s preparation), then each endpoint
  ``--asks`` times on fresh connections (either worker answers, so with 4 asks both workers'
  first answer is almost always among them): the first answer and the slowest.

Run by hand (not a test; loopback only; ports 18200-18299 by default):

    python benchmarks/open_data_timing.py
    python benchmarks/open_data_timing.py --compare /tmp/share/before
    (make one with: git archive 32db2b4 | tar -x -C /tmp/share/before)

Times are what the client sees on loopback (server time plus well under a millisecond);
answers are asked with ``Accept-Encoding: gzip`` like a browser.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_layouts  # noqa: E402 - the same production start

ENDPOINTS = [
    "/veranderingen.atom",
    "/veranderingen.atom?taal=en",
    "/wijk/WK016400/veranderingen.atom",
    "/wijk/WK016405/veranderingen.atom?taal=en",
    "/ogc",
    "/ogc/collections",
    "/ogc/collections/wijken/items?f=json",
    "/ogc/collections/buurten/items?f=json&limit=20",
    "/data/cijfers.json",
    "/data/grenzen.gpkg",
]
IMPORT = "gebied;indicator;periode;waarde;n\nBerflo Es;vm_onveilig_buurt;2019;{value};450\n"
PORTS = range(18200, 18300)


def own_port() -> int:
    """A free port of this script's range (the machine is shared)."""
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18200-18299")


def ask_ms(port: int, path: str) -> float:
    """One GET on a fresh connection, in ms (a 200 is required)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
    resp = conn.getresponse()
    resp.read()
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    if resp.status != 200:
        raise RuntimeError(f"{path}: HTTP {resp.status}")
    return elapsed


def staff_import(tree: Path, store: Path, work: Path, value: str) -> None:
    """An import of one figure through the CLI (a new data version, the same shapes)."""
    upload = work / "import.csv"
    upload.write_text(IMPORT.format(value=value))
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKVEILIGHEID_")}
    subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "--store", str(store), "import", str(upload)]
        + ["--source", "Benchmark (verzonnen)", "--yes"],
        cwd=tree,
        env=env | {"PYTHONPATH": str(tree)},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def measure(tree: Path, args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="open-data-", dir=args.scratch))
    page_layouts.free_port = own_port  # start() in this script's port range
    try:
        store = work / "wijkveiligheid.gpkg"
        env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKVEILIGHEID_")}
        subprocess.run(
            [sys.executable, "-m", "dashboard.cli", "--store", str(store), "build"],
            cwd=tree,
            env=env | {"PYTHONPATH": str(tree)},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        port, proc = page_layouts.start(tree, store, work / "server.log")
        try:
            time.sleep(args.start_settle)
            warm = {p: [ask_ms(port, p) for _ in range(args.repeat)] for p in ENDPOINTS}
            after: dict[str, list[float]] = {p: [] for p in ENDPOINTS}
            for round_ in range(args.imports):
                staff_import(tree, store, work, f"{30 + round_},5")
                time.sleep(args.settle)
                for path in ENDPOINTS:
                    after[path] += [ask_ms(port, path) for _ in range(args.asks)]
            return {"warm": warm, "after": after}
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(results: dict[str, dict], asks: int) -> str:
    names = list(results)
    head = "| endpoint | " + " | ".join(
        f"{n}: warm median / after import first / max" for n in names
    )
    lines = [head + " |", "| --- |" + " --- |" * len(names)]
    for path in ENDPOINTS:
        cells = []
        for name in names:
            warm = statistics.median(results[name]["warm"][path])
            after = results[name]["after"][path]
            firsts = after[::asks]  # the first ask after each import
            cells.append(f"{warm:.0f} / {max(firsts):.0f} / {max(after):.0f}")
        lines.append(f"| `{path}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compare", type=Path, help="another tree (e.g. a git archive export)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--asks", type=int, default=4, help="asks per endpoint after an import")
    parser.add_argument("--imports", type=int, default=2)
    parser.add_argument("--settle", type=float, default=5.0, help="s after an import")
    parser.add_argument("--start-settle", type=float, default=15.0, help="s after the start")
    parser.add_argument("--scratch", default=tempfile.gettempdir())
    args = parser.parse_args(argv)
    trees = {"before": args.compare} if args.compare else {}
    trees["now"] = ROOT
    print(f"load average at start: {os.getloadavg()}", flush=True)
    results = {name: measure(tree.resolve(), args) for name, tree in trees.items()}
    print(f"load average at end: {os.getloadavg()}")
    print(table(results, args.asks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
