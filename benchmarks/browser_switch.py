"""Browser benchmark of the map page, side by side in one run with a naive app.

Run by hand (not a test; needs Debian's /usr/bin/chromium and Playwright):

    python benchmarks/browser_switch.py [--rounds 2] [--json out.json]
    python benchmarks/browser_switch.py --synthetic 1000 --synthetic 14000 --compare ../main

``--synthetic N`` (repeatable) also serves the dashboard on ``benchmarks/synthetic.py``'s grid of
N buurten (``synthetic_app.py``: made-up figures, in memory only) and measures it at
``/?niveau=buurt``; ``--compare DIR`` measures another checkout side by side at every size (its
store is written under this checkout's test-output/, nothing is written into DIR).

Serves this dashboard and ``benchmarks/naive_app.py`` (a Dash app that rebuilds
``px.choropleth_map`` per switch on the same simplified geometry) with gunicorn on free local
ports, and measures in headless Chromium (viewport 1280x800):

- first visit (empty cache): requests, bytes on the wire (compressed bodies + headers, from the
  DevTools protocol's ``encodedDataLength``), time from navigation to the first drawn map
  (MapLibre idle with the areas rendered);
- repeat visit (same browser cache): requests that went to the network and their bytes;
- per indicator switch and per level switch: the callback requests it causes, bytes uploaded
  (request bodies) and downloaded, the time from the select's ``change`` event to the new
  colours applied (``view-end`` in kaart.js's log; not for the naive app) and to the map's
  next ``idle`` event after the answer was drawn (both apps draw with MapLibre GL: Plotly's
  ``choroplethmap`` runs on it too);
- pan and zoom: the frame times (requestAnimationFrame intervals) while the map pans 300 px
  and zooms in 1.5 levels and back, each animated over one second.

What the figures leave out: network latency and bandwidth (loopback), a GPU (software WebGL),
other CPU load on this 2-core machine (run it on a quiet machine), hover and pan speed, and
time spent by a screen reader.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# The MapLibre map of either app: ours exposes it, Plotly keeps it on the graph div.
FIND_MAP = """() => {
  const k = window.wijkveiligheidKaart;
  if (k && k.map) { return k.map; }
  const gd = document.querySelector('.js-plotly-plot');
  try { return gd._fullLayout.map._subplot.map; } catch (e) { return null; }
}"""

HOOK = """(findMap) => {
  const find = eval(findMap);
  const hook = () => {
    const m = find();
    if (m && !m.__bench) {
      m.__bench = true;
      m.on('idle', () => { window.__idle = performance.now(); });
      m.on('render', () => { window.__render = performance.now(); });
    }
  };
  hook();
  if (!window.__hooking) { window.__hooking = setInterval(hook, 20); }
  if (!window.__changeHooked) {
    window.__changeHooked = true;
    document.addEventListener('change', () => { window.__t0 = performance.now(); }, true);
  }
}"""

DRAWN = """(findMap) => {
  const m = eval(findMap)();
  if (!m || !m.loaded() || !m.areTilesLoaded()) { return false; }
  const layers = m.getStyle().layers.filter(l => l.type === 'fill' &&
    (m.getLayoutProperty(l.id, 'visibility') || 'visible') === 'visible' &&
    m.getPaintProperty(l.id, 'fill-opacity') !== 0).map(l => l.id);
  if (!layers.length) { return false; }
  return m.queryRenderedFeatures({layers}).length > 0 ? performance.now() : false;
}"""


# From the select's change to the first "view-end" mark of kaart.js after it (colours applied).
APPLIED = """() => {
  const k = window.wijkveiligheidKaart, t0 = window.__t0;
  if (!k || !k.log || !t0) { return null; }
  const end = k.log.find(e => e[0] === 'view-end' && e[1] > t0);
  return end ? end[1] - t0 : null;
}"""

CLEAR_LOG = "() => { const k = window.wijkveiligheidKaart; if (k && k.log) { k.log.length = 0; } }"

# Frame intervals (ms) while the map pans or zooms, animated over one second.
FRAMES = """async ([findMap, kind]) => {
  const m = eval(findMap)();
  const times = []; let run = true;
  const tick = (t) => { times.push(t); if (run) { requestAnimationFrame(tick); } };
  requestAnimationFrame(tick);
  const done = new Promise(r => m.once('moveend', r));
  const z = m.getZoom();
  if (kind === 'pan') { m.panBy([300, 200], {duration: 1000}); }
  else if (kind === 'pan back') { m.panBy([-300, -200], {duration: 1000}); }
  else if (kind === 'zoom in') { m.zoomTo(z + 1.5, {duration: 1000}); }
  else { m.zoomTo(z - 1.5, {duration: 1000}); }
  await done;
  run = false;
  const gaps = [];
  for (let i = 1; i < times.length; i++) { gaps.push(times[i] - times[i - 1]); }
  return gaps;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app: str, log: Path, root: Path = ROOT, env: dict | None = None, page: str = "/"):
    """Serve ``app`` (module:variable) with gunicorn from ``root`` (this checkout's benchmarks
    first on the path); warm it up at ``page``; returns (url, process)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--pythonpath",
            f"{ROOT / 'benchmarks'},{root}",
            "-w",
            "1",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            app,
        ],
        cwd=root,
        env=dict(os.environ, **(env or {})),
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,  # noqa: SIM115
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/", timeout=2).read()
            # warm up: the first page render loads the data (both apps, before measuring)
            warm = urllib.request.Request(url + "/_dash-layout", headers={"Referer": url + page})
            urllib.request.urlopen(warm, timeout=300).read()
            warm_tiles(url)
            return url, proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{app} did not start; see {log}")


def warm_tiles(url: str) -> None:
    """Have the vector tiles made (once per geometry version, not measured); an app without
    them answers 404."""
    for level in ("wijk", "buurt"):
        try:
            urllib.request.urlopen(f"{url}/tegels/{level}.pmtiles", timeout=300).read(16)
        except OSError:
            pass


class Traffic:
    """Requests and bytes on the wire from the DevTools protocol."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.reset()
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.responseReceived", self._received)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._finished)

    def reset(self):
        self.requests, self.cached, self.down, self.up, self.posts = {}, set(), 0, 0, 0
        self.finished = set()

    def _sent(self, event):
        req = event["request"]
        self.requests[event["requestId"]] = req["url"]
        body = req.get("postData") or ""
        self.up += len(body.encode())
        if req["method"] == "POST":
            self.posts += 1

    def _received(self, event):
        resp = event["response"]
        if (
            resp.get("fromDiskCache")
            or resp.get("fromMemoryCache")
            or resp.get("fromPrefetchCache")
        ):
            self.cached.add(event["requestId"])

    def _finished(self, event):
        self.down += int(event.get("encodedDataLength") or 0)
        self.finished.add(event["requestId"])

    def network_requests(self) -> int:
        return len(
            [
                r
                for r in self.requests
                if r not in self.cached and not self.requests[r].startswith("data:")
            ]
        )

    def pending(self) -> bool:
        """A callback request still on its way."""
        return any(
            r not in self.finished
            for r, url in self.requests.items()
            if "/_dash-update-component" in url
        )


def wait_drawn(page, timeout=60.0) -> float:
    start = time.time()
    while time.time() - start < timeout:
        t = page.evaluate(DRAWN, FIND_MAP)
        if t:
            return t
        page.wait_for_timeout(20)
    page.screenshot(path=str(ROOT / "test-output" / "browser_switch_not_drawn.png"))
    raise TimeoutError("map not drawn (screenshot in test-output/)")


def visit(browser_context, url: str, repeat_of=None) -> dict:
    page = repeat_of or browser_context.new_page()
    traffic = Traffic(page)
    page.goto(url, wait_until="commit")
    drawn = wait_drawn(page)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    return {
        "page": page,
        "traffic": traffic,
        "first_draw_ms": drawn,
        "requests": traffic.network_requests(),
        "bytes": traffic.down + traffic.up,
    }


def settle(page, traffic, timeout=30.0) -> float:
    """Wait until the change's requests are done and the map has been idle for 400 ms after
    its last render; return change-to-idle in ms."""
    start, s = time.time(), None
    while time.time() - start < timeout:
        page.wait_for_timeout(50)  # (lets Playwright deliver the DevTools events)
        if traffic.pending():
            continue
        s = page.evaluate(
            "() => [window.__t0, window.__idle || 0, window.__render || 0, performance.now()]"
        )
        t0, idle, render, now = s
        t0 = t0 or 0
        if idle > t0 and idle >= render and now - idle > 400:
            return idle - t0
    pending = [u for r, u in traffic.requests.items() if r not in traffic.finished]
    raise TimeoutError(f"map did not settle: {s} pending {pending}")


def switches(page, traffic, indicators, levels_rounds) -> dict:
    page.evaluate(HOOK, FIND_MAP)
    out = {"indicator": [], "level": []}
    for level in ("wijk", "buurt"):
        if not page.is_checked(f"#kaart-level input[value='{level}']"):
            page.check(f"#kaart-level input[value='{level}']")
            page.evaluate(HOOK, FIND_MAP)
            settle(page, traffic)
        for indicator in indicators:
            if page.input_value("#kaart-indicator") == indicator:
                continue
            traffic.reset()
            page.evaluate(CLEAR_LOG)
            page.select_option("#kaart-indicator", indicator)
            try:
                ms = settle(page, traffic)
            except TimeoutError as exc:
                raise TimeoutError(f"{level} {indicator}: {exc}") from exc
            out["indicator"].append(
                {
                    "level": level,
                    "ms": ms,
                    "applied": page.evaluate(APPLIED),
                    "posts": traffic.posts,
                    "up": traffic.up,
                    "down": traffic.down,
                }
            )
    if page.input_value("#kaart-indicator") != indicators[0]:
        page.select_option("#kaart-indicator", indicators[0])
        settle(page, traffic)
    for _ in range(levels_rounds):
        for level in ("wijk", "buurt"):
            if page.is_checked(f"#kaart-level input[value='{level}']"):
                continue
            traffic.reset()
            page.evaluate(CLEAR_LOG)
            page.check(f"#kaart-level input[value='{level}']")
            page.evaluate(HOOK, FIND_MAP)
            ms = settle(page, traffic)
            out["level"].append(
                {
                    "level": level,
                    "ms": ms,
                    "applied": page.evaluate(APPLIED),
                    "posts": traffic.posts,
                    "up": traffic.up,
                    "down": traffic.down,
                }
            )
    return out


def frames(page, traffic) -> dict:
    """Frame intervals of pan, pan back, zoom in and zoom out (each then settles: the tiles of
    the new view load)."""
    page.evaluate(HOOK, FIND_MAP)
    out = {}
    for kind in ("pan", "pan back", "zoom in", "zoom out"):
        page.evaluate("() => { window.__t0 = performance.now(); }")
        out[kind] = page.evaluate(FRAMES, [FIND_MAP, kind])
        settle(page, traffic)
    return out


def measure(browser, url: str, indicators, rounds: int, page_path: str = "/") -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    first = visit(context, url + page_path)
    page = first["page"]
    repeat_page = context.new_page()
    repeat = visit(context, url + page_path, repeat_of=repeat_page)
    repeat_page.close()
    result = {
        "first_visit": {k: first[k] for k in ("requests", "bytes", "first_draw_ms")},
        "repeat_visit": {k: repeat[k] for k in ("requests", "bytes", "first_draw_ms")},
    }
    result["frames"] = frames(page, first["traffic"])
    runs = [switches(page, first["traffic"], indicators, 3) for _ in range(rounds)]
    result["indicator"] = [s for r in runs for s in r["indicator"]]
    result["level"] = [s for r in runs for s in r["level"]]
    context.close()
    return result


def frame_stats(gaps: list[float]) -> tuple[float, float]:
    """Median and 95th percentile of frame intervals (ms)."""
    if not gaps:
        return float("nan"), float("nan")
    ordered = sorted(gaps)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def med(rows, key, level=None):
    values = [
        r[key] for r in rows if (level is None or r["level"] == level) and r.get(key) is not None
    ]
    return statistics.median(values) if values else float("nan")


def print_report(results: dict) -> None:
    names = list(results)
    print(f"\n{'':38s}" + "".join(f"{n:>16s}" for n in names))

    def line(label, values, fmt="{:,.0f}"):
        print(f"{label:38s}" + "".join(f"{fmt.format(v):>16s}" for v in values))

    for visit_ in ("first_visit", "repeat_visit"):
        line(
            f"{visit_.replace('_', ' ')}: requests", [results[n][visit_]["requests"] for n in names]
        )
        line(
            f"{visit_.replace('_', ' ')}: KB on the wire",
            [results[n][visit_]["bytes"] / 1024 for n in names],
            "{:,.1f}",
        )
        line(
            f"{visit_.replace('_', ' ')}: first draw ms",
            [results[n][visit_]["first_draw_ms"] for n in names],
        )
    print_switches(results, line)
    print_frames(results, line)


def print_switches(results: dict, line) -> None:
    names = list(results)
    for kind, levels in (("indicator", ("wijk", "buurt")), ("level", ("buurt", "wijk"))):
        for level in levels:
            rows = {n: results[n][kind] for n in names}
            tag = f"{kind} switch @ {level}" if kind == "indicator" else f"level switch to {level}"
            line(f"{tag}: requests (median)", [med(rows[n], "posts", level) for n in names])
            line(f"{tag}: bytes up (median)", [med(rows[n], "up", level) for n in names])
            line(f"{tag}: bytes down (median)", [med(rows[n], "down", level) for n in names])
            applied = [med(rows[n], "applied", level) for n in names]
            line(f"{tag}: change to applied ms (median)", applied)
            line(f"{tag}: change to idle ms (median)", [med(rows[n], "ms", level) for n in names])
        print_switch_totals(results, kind, line)


def print_switch_totals(results: dict, kind: str, line) -> None:
    names = list(results)
    rows = {n: results[n][kind] for n in names}
    line(f"{kind} switch: change to idle ms (all, median)", [med(rows[n], "ms") for n in names])
    line(f"{kind} switch: max requests", [max(r["posts"] for r in rows[n]) for n in names])
    line(f"{kind} switch: max bytes up", [max(r["up"] for r in rows[n]) for n in names])


def print_frames(results: dict, line) -> None:
    names = list(results)
    for kind in ("pan", "pan back", "zoom in", "zoom out"):
        stats = [frame_stats(results[n]["frames"][kind]) for n in names]
        line(f"{kind}: frame ms (median)", [m for m, _ in stats], "{:,.1f}")
        line(f"{kind}: frame ms (95th percentile)", [p for _, p in stats], "{:,.1f}")


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=2, help="passes over the indicators")
    parser.add_argument("--indicators", type=int, default=8, help="indicators per level")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="DIR",
        help="also measure the app of another checkout (e.g. main, or an older commit exported "
        "with `git archive`), with its own store under test-output/ (DIR is only read)",
    )
    parser.add_argument(
        "--synthetic",
        type=int,
        action="append",
        metavar="N",
        help="also measure on a synthetic grid of N buurten at /?niveau=buurt (repeatable)",
    )
    parser.add_argument("--no-real", action="store_true", help="skip the real 62 buurten")
    return parser.parse_args(argv)


def real_indicators(limit: int) -> list[str]:
    """Indicators with figures at both levels in the real data (the first ``limit``)."""
    from dashboard import data
    from indicators.views import indicators_with_data

    data.ensure_store()
    ctx = data.get_context()
    both = [
        i
        for i in indicators_with_data(ctx.public_obs, ctx.data.indicators, "buurt")
        if i in indicators_with_data(ctx.public_obs, ctx.data.indicators, "wijk")
    ]
    return both[:limit]


def compare_store(checkout: Path, log: Path) -> Path:
    """The other checkout's store, built by its own CLI under this checkout's test-output/."""
    store = ROOT / "test-output" / f"compare-{checkout.resolve().name}.gpkg"
    env = dict(os.environ, PYTHONPATH=str(checkout), PYTHONDONTWRITEBYTECODE="1")
    with open(log, "ab") as out:
        subprocess.run(
            [sys.executable, "-m", "dashboard.cli", "--store", str(store), "build"],
            cwd=ROOT / "test-output",
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
        )
    return store


def size_servers(size, args, log) -> dict:
    """The servers to measure at one size (None: the real data): (url, process) by name."""
    tag = "62" if size is None else f"{size:,}"
    app = "dashboard.app:server" if size is None else "synthetic_app:server"
    page = "/" if size is None else "/?niveau=buurt"
    env = {} if size is None else {"WIJKVEILIGHEID_SYNTHETIC": str(size)}
    servers = {f"{tag} this app": serve(app, log, env=env, page=page)}
    if args.compare:
        other = dict(
            env,
            WIJKVEILIGHEID_STORE=str(compare_store(args.compare, log)),
            PYTHONPATH=str(args.compare),
            PYTHONDONTWRITEBYTECODE="1",
        )
        name = f"{tag} {args.compare.resolve().name}"
        servers[name] = serve(app, log, args.compare, other, page=page)
    if size is None:
        servers[f"{tag} naive px"] = serve("naive_app:server", log)
    return servers


def measure_size(size, args, log, indicators) -> dict:
    """Serve, measure in one headless Chromium, stop: the results of one size by server."""
    from playwright.sync_api import sync_playwright

    page = "/" if size is None else "/?niveau=buurt"
    servers = size_servers(size, args, log)
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name, (url, _) in servers.items():
                print(f"measuring {name} at {url}{page}", flush=True)
                results[name] = measure(browser, url, indicators, args.rounds, page)
            browser.close()
    finally:
        for _, proc in servers.values():
            proc.terminate()
            proc.wait(timeout=10)
    return results


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    log = ROOT / "test-output" / "browser_switch.log"
    log.parent.mkdir(exist_ok=True)
    results = {}
    sizes = ([] if args.no_real else [None]) + (args.synthetic or [])
    for size in sizes:
        if size is None:
            indicators = real_indicators(args.indicators)
        else:
            from synthetic import INDICATORS

            indicators = list(INDICATORS)[: args.indicators]
        results.update(measure_size(size, args, log, indicators))
        print(
            f"Indicators switched ({len(indicators)} per level, {args.rounds} rounds): "
            + ", ".join(indicators)
        )
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
