"""Read the samples of ``benchmarks/load.py --sample DIR``: per worker, what its busy threads
ran in a window of seconds (e.g. the 5 s after a staff confirm).

    python benchmarks/samples.py DIR                      # the whole run
    python benchmarks/samples.py DIR --after 1764850000 --seconds 5
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path


def window(doc: dict, after: float | None, seconds: float) -> collections.Counter:
    total = collections.Counter()
    for second, counts in doc.items():
        if after is None or after <= int(second) < after + seconds:
            total.update(counts)
    return total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--after", type=float, help="epoch seconds where the window starts")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    for path in sorted(args.folder.glob("*.json")):
        try:
            doc = json.loads(path.read_text())
        except ValueError:  # cut off by a worker stopped while writing (older sampler)
            print(f"worker {path.stem}: unreadable samples file, skipped")
            continue
        counts = window(doc, args.after, args.seconds)
        busy = counts.pop("#busy", 0)
        print(f"worker {path.stem}: {busy} busy thread samples (5 ms each)")
        for name, n in counts.most_common(args.top):
            print(f"  {n:6d} {100 * n / max(busy, 1):5.1f}%  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
