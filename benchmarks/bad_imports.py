"""Time and peak memory of refusing two hostile imports, before and after the checks of
issue 13, side by side in one run (run by hand: ``PYTHONPATH=. python3 benchmarks/bad_imports.py``).

- an XLSX zip bomb: a real workbook (about 200 KB) with one text cell of 200 MB;
- a CSV of 300,000 rows (3.9 MB, under the 5 MB upload limit).

"Before" is ``indicators/imports.py`` as of commit 6699806 (read with ``git show``), "after" the
current one. Each case runs in a fresh Python process; peak RSS is that process's maximum
resident set (``ru_maxrss``) minus the one before the parse (the process has loaded only
pandas, the areas and the catalogue), i.e. what the refusal cost; "allocated MB" is the peak
of Python allocations during a second, traced run of the same parse (tracemalloc).
"""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE_COMMIT = "6699806"
CHILD = r"""
import importlib.util, json, resource, sys, time
from pathlib import Path
module_path, data_path, name = sys.argv[1:4]
import pickle
from indicators.catalogue import plausible_ranges
areas, catalogue, sources = pickle.loads(Path(sys.argv[4]).read_bytes())
plausible_ranges()
spec = importlib.util.spec_from_file_location("imports_under_test", module_path)
module = importlib.util.module_from_spec(spec)
sys.modules["imports_under_test"] = module
spec.loader.exec_module(module)
content = Path(data_path).read_bytes()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
parsed = module.parse_import(content, name, areas, catalogue, sources)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
import tracemalloc
tracemalloc.start()
module.parse_import(content, name, areas, catalogue, sources)
traced = tracemalloc.get_traced_memory()[1] / 1e6
print(json.dumps({"seconds": seconds, "base_mb": base / 1024, "peak_mb": peak / 1024,
                  "traced_mb": traced,
                  "refused": not parsed.ok,
                  "message": (parsed.errors[0].message if parsed.errors else "")[:70]}))
"""


def zip_bomb(text_mb: int = 200) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["gebied", "indicator", "periode", "waarde"])
    book.active.append(["BU01640000", "inwoners", 2021, "x"])
    plain, out = io.BytesIO(), io.BytesIO()
    book.save(plain)
    with (
        zipfile.ZipFile(plain) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":  # the one cell: MBs of text
                part = part.replace(b"<t>x</t>", b"<t>" + b"A" * (text_mb * 1_000_000) + b"</t>")
            dst.writestr(info, part)
    return out.getvalue()


def run(module: Path, data: Path, name: str, store: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(module), str(data), name, str(store)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    if result.returncode:
        raise SystemExit(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    from indicators.staff import areas_frame
    from indicators.stores import open_store

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = tmp / "store.gpkg"
        opened = open_store(store)
        opened.build()
        data = opened.read_data()
        frames = tmp / "frames.pickle"  # areas, catalogue, sources: the child loads only these
        frames.write_bytes(
            pickle.dumps((areas_frame(data), data.indicators, set(data.sources.index)))
        )
        before = tmp / "imports_before.py"
        before.write_text(
            subprocess.run(
                ["git", "show", f"{BASELINE_COMMIT}:indicators/imports.py"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        after = ROOT / "indicators" / "imports.py"
        bomb = tmp / "bomb.xlsx"
        bomb.write_bytes(zip_bomb())
        rows = tmp / "rows.csv"
        rows.write_bytes(b"gebied;waarde\n" + b"BU01640000;5\n" * 300_000)
        cases = [("zip bomb", bomb, "bomb.xlsx"), ("300,000-row CSV", rows, "rows.csv")]
        print(
            f"{'case':18} {'size':>9} {'version':8} {'seconds':>8} {'peak MB':>8} "
            f"{'extra MB':>9} {'allocated MB':>12}  answer"
        )
        for label, path, name in cases:
            for version, module in (("before", before), ("after", after)):
                r = run(module, path, name, frames)
                extra = r["peak_mb"] - r["base_mb"]
                print(
                    f"{label:18} {path.stat().st_size / 1000:7.0f}KB {version:8} "
                    f"{r['seconds']:8.2f} {r['peak_mb']:8.0f} {extra:9.0f} {r['traced_mb']:12.1f}  "
                    f"{r['message'][:50]}"
                )


if __name__ == "__main__":
    main()
