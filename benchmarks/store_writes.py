"""Staff writes on the embedded store, side by side with the whole-file-rewrite store of an
earlier commit (the naive baseline, run from ``git archive`` of that commit in the same run).

    python3 benchmarks/store_writes.py [--baseline 6699806] [--repeat 5]

Measures, per operation, the median wall time of: adding a user (including the password
hash, which both do), a failed login (the old one wrote nothing, so only the new one), an
import of one value and its undo, and the data-version check the workers make every 2 s.
Prints one table; writes nothing outside a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTENT = "gebied;indicator;periode;waarde\nWK016402;vm_onveilig_buurt;2019;21\n"

NEW = """
import json, statistics, sys, time
from pathlib import Path
from indicators import staff
from indicators.stores import open_store

store = open_store(Path(sys.argv[1]))
store.build()
repeat = int(sys.argv[2])
content = sys.argv[3].encode()
times = {"add_user": [], "failed_login": [], "import": [], "undo": [], "version_check": []}
times["password_hash_only"] = []
from werkzeug.security import generate_password_hash
for i in range(repeat):
    t = time.perf_counter(); generate_password_hash("een-lang-testwachtwoord")
    times["password_hash_only"].append(time.perf_counter() - t)
    t = time.perf_counter(); store.add_user(f"user{i}", "een-lang-testwachtwoord")
    times["add_user"].append(time.perf_counter() - t)
    t = time.perf_counter(); store.check_login(f"user{i}", "fout-fout-fout", "10.0.0.1")
    times["failed_login"].append(time.perf_counter() - t)
    parsed = staff.parse_for_store(store, content, "m.csv")
    t = time.perf_counter(); n = store.commit_import(parsed, "u", "m.csv", content, "T")
    times["import"].append(time.perf_counter() - t)
    t = time.perf_counter(); store.undo_import(n, "u")
    times["undo"].append(time.perf_counter() - t)
    t = time.perf_counter(); store.data_version()
    times["version_check"].append(time.perf_counter() - t)
print(json.dumps({k: statistics.median(v) for k, v in times.items()}))
"""

OLD = """
import json, statistics, sys, time
from pathlib import Path
from indicators import staff
from indicators.store import build_store

path = Path(sys.argv[1])
build_store(path)
repeat = int(sys.argv[2])
content = sys.argv[3].encode()
times = {"add_user": [], "import": [], "undo": [], "version_check": []}
for i in range(repeat):
    t = time.perf_counter(); staff.add_user(path, f"user{i}", "een-lang-testwachtwoord")
    times["add_user"].append(time.perf_counter() - t)
    parsed = staff.parse_for_store(path, content, "m.csv")
    t = time.perf_counter(); n = staff.commit_import(path, parsed, "u", "m.csv", content, "T")
    times["import"].append(time.perf_counter() - t)
    t = time.perf_counter(); staff.undo_import(path, n, "u")
    times["undo"].append(time.perf_counter() - t)
    t = time.perf_counter(); path.stat().st_mtime_ns
    times["version_check"].append(time.perf_counter() - t)
times["size_bytes"] = [path.stat().st_size]
print(json.dumps({k: statistics.median(v) for k, v in times.items()}))
"""


def run(code: str, tree: Path, folder: Path, repeat: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder / "store.gpkg"), str(repeat), CONTENT],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(tree)),
        cwd=tree,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="6699806", help="commit of the old store")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old_tree = tmp / "baseline"
        old_tree.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.baseline], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(old_tree)], input=archive.stdout, check=True)
        (tmp / "old").mkdir()
        (tmp / "new").mkdir()
        old = run(OLD, old_tree, tmp / "old", args.repeat)
        new = run(NEW, ROOT, tmp / "new", args.repeat)
    print(
        f"median of {args.repeat}, seconds; baseline = commit {args.baseline} (whole-file rewrite)"
    )
    print(f"{'operation':<16}{'baseline':>12}{'row-level':>12}")
    for key in (
        "password_hash_only",
        "add_user",
        "failed_login",
        "import",
        "undo",
        "version_check",
    ):
        before = f"{old[key]:.4f}" if key in old else "-"
        print(f"{key:<16}{before:>12}{new[key]:>12.4f}")
    print(f"baseline store size: {old['size_bytes'] / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
