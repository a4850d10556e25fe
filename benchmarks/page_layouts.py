"""Benchmark: the server time of every page's first layout, as the browser asks it.

A browser that opens ``/vergelijk?gebieden=...`` fetches the HTML and then ``GET /_dash-layout``
with the page as Referer; that answer carries the page (``dashboard.app.initial_layout``). This
script starts the production configuration (``wijkveiligheid serve``: gunicorn, 2 gthread
workers) on a private copy of a store built from the bundled sources and times that request for
every public page in both languages with typical queries (``/vergelijk`` with two to four areas,
``/benchmark`` with a drill-down, every wijk and thema):

- ``first``: the first request for the page after the server started (its worker may be cold);
- ``warm``: ``--repeat`` more requests each, median and max;
- ``new compare queries``: ``--new`` compare queries that no one asked before (two to four
  random areas: wijken, buurten, Hengelo; either language), once each: a page the cache
  cannot hold in advance, built on request;
- ``after change``: the data version is bumped in the store (what an import, undo or build does
  to every worker), the script waits ``--settle`` seconds (a visitor who arrives after the
  change) and asks each page once; ``right after`` asks the map and the compare page at once.

Run by hand (not a test; loopback only, a fresh connection per request so both workers answer):

    python benchmarks/page_layouts.py                         # this tree
    python benchmarks/page_layouts.py --compare /tmp/fast-base  # side by side with another tree
    (make one with: git archive d4bf9ed | tar -x -C /tmp/fast-base)

Times are what the client sees on loopback (server time plus well under a millisecond).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from load import THEMAS, WIJKEN  # noqa: E402 - the same pages as the load benchmark

FLOORS = {"warm median": 50, "warm max": 100, "after change": 300}


def pages() -> list[tuple[str, str]]:
    """(label, path with query) of every public page with typical queries, Dutch then English."""
    base = [
        ("/", "/"),
        ("/ buurt", "/?niveau=buurt"),
        ("/thema", "/thema"),
        ("/benchmark", "/benchmark"),
        ("/benchmark drill", "/benchmark?kern=veiligheid&thema=veiligheid.integraal"),
        ("/vergelijk", "/vergelijk"),
        ("/vergelijk 2", "/vergelijk?gebieden=WK016400,WK016405"),
        ("/vergelijk 3", "/vergelijk?gebieden=WK016400,WK016405,GM0164"),
        ("/vergelijk 4", "/vergelijk?gebieden=WK016401,WK016402,BU01640501,GM0164"),
        ("/data", "/data"),
        ("/toegankelijkheid", "/toegankelijkheid"),
        ("/presentatie", "/presentatie"),
        ("/presentatie/dia", "/presentatie/dia?weergave=/vergelijk"),
    ]
    base += [(f"/wijk/{code}", f"/wijk/{code}") for code in WIJKEN]
    base += [(f"/thema/{slug}", f"/thema/{slug}") for slug in THEMAS]
    out = []
    for lang in ("nl", "en"):
        for label, path in base:
            if lang == "en":
                path += ("&" if "?" in path else "?") + "taal=en"
            out.append((f"{label} [{lang}]", path))
    return out


AREA_POOL = [f"WK0164{n:02d}" for n in range(10)] + [
    "GM0164",
    "BU01640000",
    "BU01640102",
    "BU01640300",
    "BU01640501",
    "BU01640605",
    "BU01640909",
]


def new_compare_queries(n: int, seed: int = 16) -> list[str]:
    """``n`` distinct compare queries of 2-4 areas that :func:`pages` does not ask."""
    import random

    rng = random.Random(seed)
    asked = {path for _, path in pages()}
    out: list[str] = []
    while len(out) < n:
        areas = rng.sample(AREA_POOL, rng.randint(2, 4))
        path = "/vergelijk?gebieden=" + ",".join(areas) + rng.choice(["", "&taal=en"])
        if path not in asked and path not in out:
            out.append(path)
    return out


def layout_ms(port: int, path: str) -> float:
    """One ``GET /_dash-layout`` with ``path`` as Referer on a fresh connection, in ms."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Referer": f"http://127.0.0.1:{port}{path}", "Accept-Encoding": "gzip"}
    start = time.perf_counter()
    conn.request("GET", "/_dash-layout", headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    if resp.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    if resp.status != 200 or b'"main"' not in body:  # the page itself, not an empty shell
        raise RuntimeError(f"{path}: HTTP {resp.status}, {len(body)} B without the page")
    return elapsed


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(tree: Path, store: Path, log: Path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKVEILIGHEID_")}
    env |= {"WIJKVEILIGHEID_STORE": str(store), "PYTHONPATH": str(tree)}
    cmd = [sys.executable, "-m", "dashboard.cli", "serve", "--host", "127.0.0.1"]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port)],
        cwd=tree,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text()[-3000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return port, proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"no answer:\n{log.read_text()[-3000:]}")


def bump_version(store: Path) -> None:
    """What every write does for the workers: a new data version (the figures stay as built)."""
    with sqlite3.connect(store) as con:
        con.execute(
            "UPDATE store_meta SET value = ? WHERE key = 'data_version'",
            (json.dumps(uuid.uuid4().hex),),
        )


def measure(tree: Path, args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="fast-layouts-", dir="/tmp"))
    try:
        store = work / "wijkveiligheid.gpkg"
        env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKVEILIGHEID_")}
        env["PYTHONPATH"] = str(tree)
        subprocess.run(
            [sys.executable, "-m", "dashboard.cli", "--store", str(store), "build"],
            cwd=tree,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        port, proc = start(tree, store, work / "server.log")
        try:
            time.sleep(args.settle)  # workers that warm up when they start have done so
            result = {"first": {}, "warm": {}, "after": {}, "right_after": {}}
            for label, path in pages():
                result["first"][label] = layout_ms(port, path)
            for label, path in pages():
                result["warm"][label] = [layout_ms(port, path) for _ in range(args.repeat)]
            result["new"] = [layout_ms(port, path) for path in new_compare_queries(args.new)]
            bump_version(store)
            for label in ("/ [nl]", "/vergelijk [nl]"):
                path = dict(pages())[label]
                result["right_after"][label] = layout_ms(port, path)
            bump_version(store)
            time.sleep(args.settle)
            for label, path in pages():
                result["after"][label] = layout_ms(port, path)
            return result
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def summary(result: dict) -> dict:
    warm = [t for ts in result["warm"].values() for t in ts]
    return {
        "first: median / max": (
            statistics.median(result["first"].values()),
            max(result["first"].values()),
        ),
        "warm: median / max": (statistics.median(warm), max(warm)),
        "after change: median / max": (
            statistics.median(result["after"].values()),
            max(result["after"].values()),
        ),
        "right after change: / , /vergelijk": tuple(result["right_after"].values()),
        "new compare queries: median / max": (
            statistics.median(result["new"]),
            max(result["new"]),
        ),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compare", type=Path, help="another source tree, measured first")
    parser.add_argument(
        "--tree", type=Path, default=ROOT, help="the tree to measure (default: this)"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--new", type=int, default=16, help="new compare queries, see above")
    parser.add_argument("--settle", type=float, default=8.0, help="seconds to wait, see above")
    args = parser.parse_args(argv)
    trees = ([("before", args.compare)] if args.compare else []) + [("this", args.tree)]
    results = {}
    for name, tree in trees:
        print(f"measuring {name} ({tree}) ...", flush=True)
        results[name] = measure(tree, args)
    names = list(results)
    print(f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end; ms")
    print(f"{'page':32s}" + "".join(f"{n + ' first/warm med/max/after':>34s}" for n in names))
    for label, _ in pages():
        cells = []
        for n in names:
            r = results[n]
            warm = r["warm"][label]
            cells.append(
                f"{r['first'][label]:8.0f} {statistics.median(warm):6.0f} {max(warm):6.0f}"
                f" {r['after'][label]:6.0f}".rjust(34)
            )
        print(f"{label:32s}" + "".join(cells))
    print()
    for n in names:
        for key, values in summary(results[n]).items():
            shown = " / ".join(f"{v:.0f}" for v in values)
            print(f"{n:7s} {key:38s} {shown}")
    print(f"floors: {FLOORS} (ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
