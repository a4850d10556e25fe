"""Benchmark: server time and size of the wijk profile PDF with its map (first request, then
cached map) against the PDF without a map, the baseline, in the same run.

Run by hand (not a test):  python benchmarks/profile_pdf.py [--repeat 5]

Uses the real store (built from the bundled sources if missing) and the Flask test client.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard import data, pdf  # noqa: E402
from dashboard.profile import wijk_profile  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, int]:
    """Median milliseconds and size in bytes of ``fn()``."""
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(fn())
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size


def row(ctx, wijk: str, repeat: int) -> str:
    """One line: baseline, first (map drawn) and cached map times, and both sizes. "map ms"
    builds the same document again (Typst memoises what did not change); "new doc ms" one
    with another date each time, as a new data version or day gives."""
    profile = wijk_profile(ctx, wijk)
    coverage = pdf.wijk_coverage(ctx, wijk)
    pdf._MAP_CACHE.clear()
    days = itertools.count()

    def with_map(today=date(2026, 1, 1)):
        map_svg = pdf.wijk_map(ctx, wijk, profile.focus is not None)
        return pdf.profile_pdf(
            profile, ctx.data.indicators, today=today, map_svg=map_svg, coverage=coverage
        )

    def new_document():
        return with_map(date(2026, 1, 1) + timedelta(days=next(days)))

    def without_map():
        return pdf.profile_pdf(profile, ctx.data.indicators, coverage=coverage)

    start = time.perf_counter()
    with_map()
    first = (time.perf_counter() - start) * 1000
    base_ms, base_size = timed(without_map, repeat)
    map_ms, map_size = timed(with_map, repeat)
    new_ms, _ = timed(new_document, repeat)
    return (
        f"{wijk:10} {base_ms:10.0f} {first:11.0f} {map_ms:8.0f} {new_ms:11.0f} "
        f"{base_size / 1024:10.0f} {map_size / 1024:8.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data.ensure_store()
    ctx = data.get_context()
    print(
        f"{'wijk':10} {'no map ms':>10} {'map 1st ms':>11} {'map ms':>8} {'new doc ms':>11} "
        f"{'KB no map':>10} {'KB map':>8}"
    )
    for wijk in ctx.areas["wijk"]["code"]:
        print(row(ctx, wijk, args.repeat))


if __name__ == "__main__":
    main()
