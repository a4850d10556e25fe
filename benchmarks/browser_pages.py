"""Browser benchmark: what a first and a repeat visit of every public page costs on the wire.

Run by hand (not a test; needs Debian's /usr/bin/chromium and Playwright):

    python benchmarks/browser_pages.py                          # this tree
    python benchmarks/browser_pages.py --compare /tmp/fast-base   # and another tree, side by side
    (make one with: git archive d4bf9ed | tar -x -C /tmp/fast-base)

Each tree is served by gunicorn (1 worker, 4 threads) on a store built from the bundled sources.
Per page, a fresh browser context (empty cache) visits it (first visit) and then the same page
again (repeat visit, browser cache kept); a visit ends when the network has been idle and every
chart on the page has drawn (``.js-plotly-plot .main-svg``) or the map has painted. Reported:
requests that went to the network, bytes on the wire (DevTools ``encodedDataLength``: compressed
bodies plus headers; request bodies added), whether plotly.js was loaded and how many charts drew,
and the time from navigation to that point. Leaves out: network latency and bandwidth (loopback),
a GPU, other load on the machine.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from browser_switch import ARGS, CHROMIUM, Traffic, serve  # noqa: E402

PAGES = [
    "/",
    "/?niveau=buurt&taal=en",
    "/wijk/berflo-es",
    "/wijk/buitengebied?taal=en",
    "/benchmark",
    "/benchmark?kern=veiligheid&thema=veiligheid.integraal",
    "/vergelijk",
    "/vergelijk?gebieden=WK016401,WK016402,BU01640501,GM0164&taal=en",
    "/thema",
    "/thema/veilige-wijken",
    "/data",
    "/toegankelijkheid",
    "/presentatie",
    "/presentatie/dia?weergave=/vergelijk",
]
FLOOR_BYTES = 1_000_000

DONE = """() => {
  const graphs = document.querySelectorAll('.js-plotly-plot');
  const drawn = document.querySelectorAll('.js-plotly-plot .main-svg');
  const map = window.wijkveiligheidKaart;
  const page = document.querySelector('#main');
  return {page: !!page, graphs: graphs.length, drawn: drawn.length,
          plotly: typeof window.Plotly === 'object', map: !!(map && map.map)};
}"""


def visit(page, url: str) -> dict:
    traffic = Traffic(page)
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector("#main", timeout=60000)
    page.wait_for_load_state("networkidle")
    deadline = time.time() + 30
    state = page.evaluate(DONE)
    while time.time() < deadline:
        state = page.evaluate(DONE)
        graphs = page.evaluate("() => document.querySelectorAll('.dash-graph').length")
        if state["drawn"] >= graphs and (state["drawn"] or not graphs):
            break
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    return {
        "ms": (time.perf_counter() - start) * 1000,
        "requests": traffic.network_requests(),
        "bytes": traffic.down + traffic.up,
        **state,
    }


def measure(tree: Path) -> dict:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="fast-browser-", dir="/tmp"))
    store = work / "wijkveiligheid.gpkg"
    subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "--store", str(store), "build"],
        cwd=tree,
        check=True,
        stdout=subprocess.DEVNULL,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )
    env = {"WIJKVEILIGHEID_STORE": str(store), "PYTHONPATH": str(tree)}
    url, proc = serve("dashboard.app:server", work / "server.log", root=tree, env=env)
    results = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for path in PAGES:
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                first = visit(page, url + path)
                repeat = visit(page, url + path)
                results[path] = {"first": first, "repeat": repeat}
                context.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compare", type=Path, help="another source tree, measured first")
    parser.add_argument("--tree", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    trees = ([("before", args.compare)] if args.compare else []) + [("this", args.tree)]
    results = {name: measure(tree) for name, tree in trees}
    print("first visit: requests / KB on the wire / charts drawn of charts / plotly / ms;")
    print("repeat visit: requests / KB")
    for path in PAGES:
        cells = []
        for name in results:
            f, r = results[name][path]["first"], results[name][path]["repeat"]
            mark = "" if f["bytes"] <= FLOOR_BYTES else " !"
            cells.append(
                f"{name}: {f['requests']:3d} / {f['bytes'] / 1000:6,.0f} KB{mark} / "
                f"{f['drawn']}/{f['graphs']} / {'yes' if f['plotly'] else 'no ':3s} / "
                f"{f['ms']:5.0f} ms | {r['requests']:2d} / {r['bytes'] / 1000:5,.0f} KB"
            )
        print(f"{path:40s} " + "   ".join(cells))
    print(f"(! = first visit above {FLOOR_BYTES / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
