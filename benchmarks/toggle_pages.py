"""Benchmark: what the count/rate switch (``?maat=per1000``, issue 18 A3) costs the wijk and
compare pages: the first layout of each page (as the browser asks it, ``GET /_dash-layout``
with the page as Referer) built cold, then again from the page cache, and its size, for
``aantal`` and ``per1000``, in one process through the Flask test client.

The store is a private copy of one built from the bundled sources with made-up 2021 crime
counts for every buurt (test data, as the tests use; the import derives the wijk totals), so
that the rates exist. Run by hand (not a test):

    python benchmarks/toggle_pages.py [--store PATH] [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [f"/wijk/WK0164{n:02d}" for n in range(10)] + [
    "/vergelijk?gebieden=WK016400,WK016401&indicatoren=geregistreerde_misdrijven",
    "/vergelijk?gebieden=WK016402,WK016405,BU01640000&indicatoren=geregistreerde_misdrijven",
]


def rated_store(source: Path, folder: Path):
    """A copy of ``source`` with made-up buurt crime counts (test data only)."""
    from indicators import staff
    from indicators.stores import open_store

    path = folder / "store.gpkg"
    if not source.exists():
        open_store(source).build()
    shutil.copy(source, path)
    store = open_store(path)
    codes = sorted(store.read_data().web_buurten["buurtcode"])
    rows = "".join(f"{c};geregistreerde_misdrijven;2021;{10 + i}\n" for i, c in enumerate(codes))
    content = ("gebied;indicator;periode;waarde\n" + rows).encode()
    parsed = staff.parse_for_store(store, content, "m.csv", None, "Benchmark")
    store.commit_import(parsed, "bench", "m.csv", content, "Benchmark (verzonnen)")
    return store


def timed(client, page: str) -> tuple[float, int]:
    start = time.perf_counter()
    answer = client.get("/_dash-layout", headers={"Referer": f"http://localhost{page}"})
    elapsed = (time.perf_counter() - start) * 1000
    assert answer.status_code == 200, page
    return elapsed, len(answer.get_data())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path(tempfile.gettempdir()) / "tb.gpkg")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from dashboard import data

    with tempfile.TemporaryDirectory() as folder:
        data.use_store(rated_store(args.store, Path(folder)))
        from dashboard.app import app

        client = app.server.test_client()
        timed(client, "/")  # the data context and the app are set up outside the figures
        print(f"{'measure':8} {'cold ms (median/max)':>22} {'warm ms median':>15} {'KB':>6}")
        for measure in ("", "maat=per1000"):
            cold, warm, size = [], [], []
            for page in PAGES:
                sep = "&" if "?" in page else "?"
                url = f"{page}{sep}{measure}" if measure else page
                ms, nbytes = timed(client, url)
                cold.append(ms)
                size.append(nbytes)
                warm += [timed(client, url)[0] for _ in range(args.repeat)]
            label = measure.split("=")[-1] or "aantal"
            print(
                f"{label:8} {statistics.median(cold):>12.0f} / {max(cold):<7.0f}"
                f" {statistics.median(warm):>15.1f} {statistics.median(size) / 1024:>6.0f}"
            )


if __name__ == "__main__":
    main()
