"""Benchmark: the CPU a worker spends building pages, in process (no server, no network).

What a gunicorn worker does after every data change (an import, undo, build, refresh): build
the warm list (``dashboard.pagecache.WARM_PATHS``, both languages) again, and what it does for a
page that is not in that list: build it on its first request. Measured in CPU seconds of this
process (``time.process_time``), so that other work on a shared machine counts less than in
wall-clock times (it still slows the CPU caches down); the store is built from the bundled
sources into a temporary folder.

    python benchmarks/warm_cost.py                        # this tree
    python benchmarks/warm_cost.py --compare /tmp/before  # and another tree, same run
    python benchmarks/warm_cost.py --engine json           # plotly's json engine (no orjson)
    (make one with: git archive <commit> | tar -x -C /tmp/before)

Reported: the whole warm list (median of ``--rounds``), each warm page (both languages), and
``--new`` compare queries of two to four areas that no one asked before (each once).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure_here(store: str, rounds: int, new: int, engine: str = "auto") -> dict:
    """Run inside the tree under test (its PYTHONPATH): the figures as a dict. ``engine``:
    plotly's JSON engine (``json`` is what an install without orjson uses)."""
    import plotly.io as pio

    from dashboard import data, pagecache

    pio.json.config.default_engine = engine
    from indicators.stores import open_store

    data.use_store(open_store(store))
    from dashboard.app import app  # every module of the tree under test, before the next line

    sys.path.append(str(ROOT / "benchmarks"))
    from page_layouts import new_compare_queries

    def fresh():
        data.reset()
        pagecache.layouts.clear()
        pagecache.responses.clear()
        data.get_context()

    pagecache.warm(app)  # imports and first-time costs, not measured
    totals = []
    for _ in range(rounds):
        fresh()
        start = time.process_time()
        pagecache.warm(app)
        totals.append(time.process_time() - start)
    per_page = {}
    fresh()
    for path in pagecache.WARM_PATHS:
        start = time.process_time()
        pagecache.warm(app, paths=[path])
        per_page[path] = time.process_time() - start
    queries, collecting = [], _gc_clock()
    for path in new_compare_queries(new):
        start, collected = time.process_time(), collecting[0]
        with app.server.test_request_context(
            "/_dash-layout",
            base_url="http://localhost",
            headers={"Referer": "http://localhost" + path},
        ):
            pagecache.first_layout(app)
        queries.append((time.process_time() - start, collecting[0] - collected))
    gc.callbacks.remove(collecting[1])
    return {"warm": totals, "pages": per_page, "new": [q for q, _ in queries], "gc": queries}


def _gc_clock() -> list:
    """[CPU seconds spent in full (generation 2) garbage collections so far, the callback]:
    such a collection walks every object of the process (hundreds of ms here) and lands on
    whichever request happens to allocate then, so it is reported apart from the page's own
    cost."""
    state = [0.0, None, 0.0]

    def clock(phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            state[2] = time.process_time()
        else:
            state[0] += time.process_time() - state[2]

    state[1] = clock
    gc.callbacks.append(clock)
    return state


def measure(tree: Path, args) -> dict:
    with tempfile.TemporaryDirectory(prefix="warm-cost-", dir="/tmp") as work:
        store = str(Path(work) / "wijkveiligheid.gpkg")
        env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKVEILIGHEID_")}
        env["PYTHONPATH"] = str(tree)
        cli = [sys.executable, "-m", "dashboard.cli", "--store", store, "build"]
        subprocess.run(cli, cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL)
        code = (
            f"import sys, json; sys.path.append({str(ROOT / 'benchmarks')!r}); "
            "from warm_cost import measure_here; "
            f"print(json.dumps(measure_here({store!r}, {args.rounds}, {args.new}, {args.engine!r})))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=tree, env=env, check=True, capture_output=True
        )
        return json.loads(out.stdout.decode().strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compare", type=Path, help="another source tree, measured first")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--new", type=int, default=16)
    parser.add_argument(
        "--engine",
        choices=["auto", "json", "orjson"],
        default="auto",
        help="plotly's JSON engine (auto: orjson when installed; CI has no orjson: json)",
    )
    args = parser.parse_args(argv)
    trees = ([("before", args.compare)] if args.compare else []) + [("this", ROOT)]
    results = {name: measure(tree, args) for name, tree in trees}
    print(
        f"CPU seconds in process, plotly JSON engine {args.engine}; "
        f"load average {os.getloadavg()[0]:.1f} at the end"
    )
    for name, r in results.items():
        new_ms = [1000 * s for s in r["new"]]
        print(
            f"{name:7s} warm list after a data change: median {statistics.median(r['warm']):.2f} s; "
            f"new compare query: median {statistics.median(new_ms):.0f} ms, max {max(new_ms):.0f} ms"
        )
        if "gc" in r:  # an older tree's measure_here has no split
            own = [1000 * (q - g) for q, g in r["gc"]]
            full = [1000 * g for _, g in r["gc"] if g]
            print(
                f"{'':7s} without full garbage collections: median {statistics.median(own):.0f} ms, "
                f"max {max(own):.0f} ms; {len(full)} of them in these queries "
                f"({', '.join(f'{g:.0f}' for g in full) or '-'} ms)"
            )
    print("per warm page, both languages (ms): " + ", ".join(results))
    for path in results[next(iter(results))]["pages"]:
        cells = " / ".join(f"{1000 * r['pages'][path]:.0f}" for r in results.values())
        print(f"  {path:20s} {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
