"""Load benchmark: simulated users against the production serving, side by side with a baseline.

Run by hand (not a test; loopback only, bounded in time):

    python benchmarks/load.py                      # 50 users, 60 s per configuration
    python benchmarks/load.py --users 10 --duration 15 --configs embedded

Each configuration is started by this script on a free port, loaded, measured and stopped:

- ``baseline``: the old Procfile line (``gunicorn dashboard.app:server --workers 2``: sync workers,
  no threads, gunicorn's defaults) on the embedded store;
- ``embedded``: ``wijkveiligheid serve`` (the production gunicorn configuration) on the
  embedded store;
- ``postgis``: the same on PostgreSQL + PostGIS (a private server from Debian's packages,
  started like the tests do, filled with ``wijkveiligheid migrate --to``).

Every public page is visited as the browser asks it (the HTML, the first layout with the page
as Referer, the dependencies, the callbacks): the map, every wijk, benchmark (with a
drill-down), vergelijk (two to four areas, both languages), thema and thema/<slug>, data,
toegankelijkheid, presentatie and its slides, the embeddable pages; and the map switches, the
geometry and a tile range, the profile PDF, the CSV downloads (three kinds) and the
GeoPackage, the Atom feeds, the OGC API and the JSON figures. A staff member runs an import
cycle every ``--staff-every`` s (default 60 s: a municipality imports a few times a year, so
this is already a high rate; 20 s is the stress variant).

The callback requests are real browser payloads: headless Chromium (Playwright) visits the map
(and switches indicators) and each page of ``CAPTURE_PAGES`` once, and every
``/_dash-update-component`` body it sends is recorded and replayed. The client is an asyncio
httpx client (one connection per user, gzip like a browser), lighter than locust so it takes less
CPU from the server on the same machine. Users pick an action (weights in ``ACTIONS``), run
its requests one after the other, then think for 1-3 s.

Beside the visitors, a steady rotation (:func:`run_rotation`) asks the endpoints few visitors
ask: the open data (Atom feeds, OGC API, JSON figures, the GeoPackage), which programs and
feed readers poll on their own clock, and the rare pages (toegankelijkheid, presentatie and
its slides, the embeds that partner sites load). Picked by visitors' weights they were asked
7-17 times a run, so their p95 was their slowest answer or two; in the rotation each is asked
``ROTATION_PER_MINUTE`` (45) times a minute, and every visitor action's labels at least 40
times in the default run (50 users, 60 s). The rotation asks about 20 requests a second
(a page visit is three), some 15 more than these endpoints got from the visitors before.

Reported: requests per second, errors, the CPU seconds of the workers, PostgreSQL and this
client during the run, p50/p95/p99 and n per endpoint and configuration (a p95 of fewer than
``MIN_N`` requests is flagged ``?``: unreliable), one line per configuration ("floors: met" or
the endpoints that miss, with p95 and n), and the resident memory (RSS, and its peak) of every
gunicorn process. ``LOAD_PORTS=18300-18399`` keeps the servers' ports in a range (a shared
machine); ``TMPDIR`` says where the stores and PostgreSQL's files go.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WIJKEN = [f"WK0164{n:02d}" for n in range(10)]
THEMAS = [
    "veilige-wijken",
    "binnenstad",
    "huiselijk-geweld",
    "jeugd-middelengebruik",
    "jeugdgroepen-criminaliteit",
    "radicalisering",
    "ondermijning",
    "samenwerking-informatiedeling",
]
AREAS = WIJKEN + ["GM0164", "BU01640501", "BU01640300"]
# the pages whose callbacks are captured from Chromium: (name, path); "wijk" is replayed for
# every wijk (its code swapped in), the others as captured
CAPTURE_PAGES = [
    ("wijk", "/wijk/WK016400"),
    ("benchmark", "/benchmark"),
    ("vergelijk", "/vergelijk"),
    ("thema", "/thema"),
    ("themadetail", "/thema/veilige-wijken"),
    ("data", "/data"),
    ("a11y", "/toegankelijkheid"),
    ("presentatie", "/presentatie"),
    ("dia", "/presentatie/dia"),
    ("embed", "/embed"),
    ("embedkaart", "/embed/kaart"),
    ("embedwijk", "/embed/wijk/WK016400"),
]
# (action, weight): what a visitor does next. Each weight point is about 13 actions in the
# default run (50 users, 60 s), so every label here is expected 55 times or more (40 at 2
# standard deviations below: runs with weights of 4 gave some labels only 35-39).
ACTIONS = [
    ("map", 25),
    ("switch", 20),
    ("wijk", 15),
    ("benchmark", 8),
    ("vergelijk", 10),
    ("thema", 9),
    ("data", 5),
    ("pdf", 5),
    ("csv", 5),
    ("geometry", 5),
]
# the open-data endpoints that programs and feed readers ask (the open-data clients)
OPEN_PATHS = [
    "/veranderingen.atom",
    "/wijk/WK016400/veranderingen.atom",
    "/ogc",
    "/ogc/collections",
    "/ogc/collections/wijken/items?f=json",
    "/ogc/collections/buurten/items?f=json&limit=20",
    "/data/cijfers.json",
    "/data/grenzen.gpkg",
]
# pages few visitors open but that must be fast too: (captured payload name, path); the
# partner sites' iframes ask the embeds
ROTATION_PAGES = [
    ("a11y", "/toegankelijkheid"),
    ("presentatie", "/presentatie"),
    ("dia", "/presentatie/dia"),
    ("embed", "/embed"),
    ("embedkaart", "/embed/kaart"),
    ("embedwijk", "/embed/wijk/WK016400"),
]
ROTATION_PER_MINUTE = 45  # each rotation item is asked this often a minute (see run_rotation)
ROTATION_CLIENTS = 4  # connections the rotation uses side by side
MIN_N = 40  # a p95 of fewer requests is (nearly) their slowest answer: flagged as unreliable
FLOORS_MS = {"default": 300, "GET profile PDF": 1000}
STAFF_EVERY_S = 60.0  # one staff import cycle (upload, preview, confirm) this often
SAMPLER_PATH: list[str] = []  # --sample: benchmarks/sampler on the servers' PYTHONPATH
STAFF_USER, STAFF_PASSWORD = "belasting", "een-lang-wachtwoord-voor-de-belasting"


# -- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    """A free port: from ``LOAD_PORTS`` (e.g. ``18300-18399``, when several people share the
    machine) or any the system gives."""
    from pg import free_port as pick

    span = os.environ.get("LOAD_PORTS", "")
    if not span:
        return pick()
    import socket

    low, high = (int(x) for x in span.split("-"))
    for port in random.Random().sample(range(low, high + 1), high + 1 - low):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in LOAD_PORTS {span}")


def build_embedded(workdir: Path) -> Path:
    """A store built from the bundled sources (the same for every configuration)."""
    path = workdir / "wijkveiligheid.gpkg"
    subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "--store", str(path), "build"],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return path


def start_postgis(store: Path):
    """A private PostgreSQL + PostGIS server with the embedded store migrated into it."""
    from pg import PgCluster, missing_reason

    reason = missing_reason()
    if reason:
        raise SystemExit(f"postgis: {reason}")
    cluster = PgCluster(port=free_port())
    cluster.start()
    url = cluster.create_database("wijkveiligheid")
    subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "--store", str(store), "migrate", "--to", url],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return cluster, url


def server_command(config: str, port: int) -> list[str]:
    if config == "baseline":
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "dashboard.app:server",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
        ]
    return [
        sys.executable,
        "-m",
        "dashboard.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]


def start_server(config: str, env: dict, log_path: Path, tree: Path = ROOT):
    port = free_port()
    log = open(log_path, "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        server_command(config, port),
        env={**env, "PYTHONPATH": os.pathsep.join([str(tree), *SAMPLER_PATH])},
        cwd=tree,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{config} stopped:\n{log_path.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url + "/_dash-layout", timeout=2)
            return url, proc, log
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{config} did not answer:\n{log_path.read_text()[-3000:]}")


def stop_server(proc, log) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc."""
    children = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children[ppid].append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children.get(current, [])
    return tree


def memory(pid: int) -> dict[int, tuple[str, int, int]]:
    """pid -> (command, RSS kB, peak RSS kB) for the server's processes."""
    result = {}
    for p in process_tree(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:60]
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss = int(fields.get("VmRSS", "0 kB").split()[0])
        hwm = int(fields.get("VmHWM", "0 kB").split()[0])
        if rss:
            result[p] = (cmd, rss, hwm)
    return result


def cpu_seconds(pid: int | None) -> float:
    """CPU seconds used so far by ``pid`` and its descendants (with the children it reaped)."""
    if pid is None:
        return 0.0
    total = 0.0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def postmaster_pid(cluster) -> int | None:
    """The PostgreSQL server's main process (its backends are its children)."""
    try:
        return int((cluster.data / "postmaster.pid").read_text().split()[0])
    except (AttributeError, OSError, ValueError, IndexError):
        return None


# -- payloads from a real browser --------------------------------------------------------------


def capture_payloads(url: str) -> dict:
    """Every callback body Chromium sends: on loading /, /wijk/WK016400 and /benchmark, and on
    switching map indicators. Returns {"map": [...], "wijk": [...], "benchmark": [...],
    "switch": [...]}, each a list of JSON bodies."""
    from playwright.sync_api import sync_playwright

    captured: dict[str, list] = defaultdict(list)
    bucket = {"name": "map"}

    def record(request):
        if request.method == "POST" and "/_dash-update-component" in request.url:
            captured[bucket["name"]].append(request.post_data)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", record)
        page.goto(url + "/")
        page.wait_for_selector("#kaart-indicator", timeout=60000)
        page.wait_for_load_state("networkidle")
        bucket["name"] = "switch"
        options = page.eval_on_selector_all(
            "#kaart-indicator option:not([disabled])", "els => els.map(e => e.value)"
        )
        for value in options[1:9]:
            page.select_option("#kaart-indicator", value)
            page.wait_for_load_state("networkidle")
        for name, path in CAPTURE_PAGES:
            bucket["name"] = name
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
        browser.close()
    payloads = {k: [json.loads(b) for b in v] for k, v in captured.items()}
    for name in ("map", "switch", *(n for n, _ in CAPTURE_PAGES)):  # in the first layout: none
        payloads.setdefault(name, [])
    for page_name, _ in CAPTURE_PAGES:  # a map callback still in flight when leaving /
        payloads[page_name] = [
            b for b in payloads[page_name] if describe(b) != "POST map indicator switch"
        ]
    if os.environ.get("LOAD_SHOW_PAYLOADS"):
        for k, v in payloads.items():
            print(k, [b["output"][:90] for b in v])
    return payloads


def describe(body: dict) -> str:
    """Endpoint label of one callback body."""
    output = body.get("output", "")
    if "_pages_content" in output:
        path = next(
            (i["value"] for i in body.get("inputs", []) if i.get("property") == "pathname"), "/"
        )
        return "POST page content " + ("/wijk/<code>" if path.startswith("/wijk/") else path)
    if "kaart-graph.figure" in output or "kaart-view.data" in output:
        return "POST map indicator switch"
    return "POST other callback"


def for_wijk(body: dict, code: str) -> bytes:
    return json.dumps(body).replace("WK016400", code).encode()


# -- the load ----------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []

    def add(self, label: str, seconds: float, ok: bool, detail: str = "") -> None:
        self.times[label].append(seconds)
        if not ok:
            self.errors[label] += 1
            if len(self.samples) < 5:
                self.samples.append(f"{label}: {detail}")


async def request(
    client, stats: Stats, label: str, method: str, path: str, body=None, headers=None
) -> None:
    start = time.perf_counter()
    try:
        if method == "GET":
            resp = await client.get(path, headers=headers)
        else:
            resp = await client.post(
                path, content=body, headers={"Content-Type": "application/json"}
            )
        ok, detail = (
            resp.status_code in (200, 204, 206),
            f"HTTP {resp.status_code} {resp.text[:120]!r}",
        )
    except Exception as exc:  # noqa: BLE001 - a failed request is an error in the report
        ok, detail = False, repr(exc)[:160]
    stats.add(label, time.perf_counter() - start, ok, detail)


async def page_visit(client, stats, path: str, label: str, bodies: list[bytes]) -> None:
    await request(client, stats, label, "GET", path)
    # as the browser asks it: the Referer names the page, whose content comes in this answer
    referer = {"Referer": str(client.base_url).rstrip("/") + path}
    page = label.removeprefix("GET ")
    await request(
        client, stats, f"GET /_dash-layout ({page})", "GET", "/_dash-layout", None, referer
    )
    await request(client, stats, "GET /_dash-dependencies", "GET", "/_dash-dependencies")
    for body in bodies:
        await request(
            client, stats, describe(json.loads(body)), "POST", "/_dash-update-component", body
        )


async def action(client, stats, name: str, payloads: dict) -> None:
    """One visitor action of ``ACTIONS``: its requests one after the other."""
    code = random.choice(WIJKEN)
    if name == "map":
        bodies = [json.dumps(b).encode() for b in payloads["map"]]
        await page_visit(client, stats, "/", "GET /", bodies)
        await request(client, stats, "GET geometry", "GET", "/geo/wijk.geojson")
    elif name == "switch":
        body = random.choice(payloads["switch"])
        await request(
            client,
            stats,
            describe(body),
            "POST",
            "/_dash-update-component",
            json.dumps(body).encode(),
        )
    elif name == "wijk":
        bodies = [for_wijk(b, code) for b in payloads["wijk"]]
        await page_visit(client, stats, f"/wijk/{code}", "GET /wijk/<code>", bodies)
    elif name == "benchmark":
        bodies = [json.dumps(b).encode() for b in payloads["benchmark"]]
        drill = random.choice(["", "?kern=veiligheid&thema=veiligheid.integraal"])
        await page_visit(client, stats, "/benchmark" + drill, "GET /benchmark", bodies)
    elif name == "vergelijk":
        bodies = [json.dumps(b).encode() for b in payloads["vergelijk"]]
        chosen = ",".join(random.sample(AREAS, random.randint(2, 4)))
        query = random.choice(["", f"?gebieden={chosen}", f"?gebieden={chosen}&taal=en"])
        await page_visit(client, stats, "/vergelijk" + query, "GET /vergelijk", bodies)
    else:
        await FEW_REQUEST_ACTIONS[name](client, stats, payloads, code)


async def thema_visit(client, stats, payloads: dict, code: str) -> None:
    """The thema overview or one thema, half and half."""
    if random.random() < 0.5:
        bodies = [json.dumps(b).encode() for b in payloads["thema"]]
        await page_visit(client, stats, "/thema", "GET /thema", bodies)
    else:
        bodies = [json.dumps(b).encode() for b in payloads["themadetail"]]
        path = f"/thema/{random.choice(THEMAS)}"
        await page_visit(client, stats, path, "GET /thema/<slug>", bodies)


async def data_visit(client, stats, payloads: dict, code: str) -> None:
    bodies = [json.dumps(b).encode() for b in payloads["data"]]
    await page_visit(client, stats, "/data", "GET /data", bodies)


async def pdf_download(client, stats, payloads: dict, code: str) -> None:
    await request(client, stats, "GET profile PDF", "GET", f"/wijk/{code}/profiel.pdf")


async def csv_download(client, stats, payloads: dict, code: str) -> None:
    path = random.choice(["/data/cijfers.csv", "/data/cijfers-excel.csv", "/data/cijfers-en.csv"])
    await request(client, stats, "GET public CSV", "GET", path)


async def geometry_read(client, stats, payloads: dict, code: str) -> None:
    level = random.choice(["wijk", "buurt"])
    await request(client, stats, "GET geometry", "GET", f"/geo/{level}.geojson")
    await request(
        client, stats, "GET tiles (range)", "GET", f"/tegels/{level}.pmtiles", headers=RANGE
    )


FEW_REQUEST_ACTIONS = {
    "thema": thema_visit,
    "data": data_visit,
    "pdf": pdf_download,
    "csv": csv_download,
    "geometry": geometry_read,
}
RANGE = {"Range": "bytes=0-16383"}  # the first request of the PMTiles client


def label_of(path: str, code: str) -> str:
    """The endpoint label of a path: without its query and with the wijk code as <code>."""
    label = "GET " + path.split("?")[0].replace(code, "<code>")
    return "GET boundaries GeoPackage" if label.endswith(".gpkg") else label


async def rotation_item(client, stats, payloads: dict, item: tuple[str, str]) -> None:
    """One item of the rotation: an open-data request, or a page visit as its browser (or a
    partner site's iframe) asks it (``item``: payload name or "", path)."""
    code = random.choice(WIJKEN)
    name, path = item[0], item[1].replace("WK016400", code)
    if not name:
        await request(client, stats, label_of(path, code), "GET", path)
        return
    bodies = [for_wijk(b, code) for b in payloads[name]]
    await page_visit(client, stats, path, label_of(path, code), bodies)


def rotation() -> list[tuple[str, str]]:
    """The endpoints few visitors ask, each once: the open-data paths and the rare pages."""
    return [("", path) for path in OPEN_PATHS] + list(ROTATION_PAGES)


async def run_rotation(url: str, stats: Stats, payloads: dict, stop_at: float) -> None:
    """Open-data clients and the rare pages, at a steady rate beside the visitors.

    Feed readers, GIS programs and harvesters poll the open data on their own clock, not as
    visitors between two pages; and a few pages (toegankelijkheid, presentatie, the embeds in
    partner sites) are asked rarely but must be fast too. Picked by visitors' weights they
    were asked 7-17 times a run, so their p95 was their slowest answer or two. Here each is
    asked ROTATION_PER_MINUTE times a minute (about 45 in the default run: enough for a p95,
    about 20 requests a second in all, a quarter of the load), in a fixed rotation spread
    evenly over the run, by ROTATION_CLIENTS connections side by side (one slow answer does
    not hold up the schedule); late items go at once."""
    import httpx

    items = rotation()
    interval = 60.0 / (ROTATION_PER_MINUTE * len(items))
    start, counter = time.time(), iter(range(10**9))

    async def client_loop():
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            while True:
                n = next(counter)
                due = start + n * interval
                if due >= stop_at:
                    return
                await asyncio.sleep(max(0.0, due - time.time()))
                await rotation_item(client, stats, payloads, items[n % len(items)])

    await asyncio.gather(*(client_loop() for _ in range(ROTATION_CLIENTS)))


def add_staff_user(env: dict, tree: Path = ROOT) -> None:
    """The staff user whose import cycles run during the load (in the store under test)."""
    subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "user", "add", STAFF_USER, "--role", "admin"]
        + ["--password-stdin"],
        input=(STAFF_PASSWORD + "\n").encode(),
        env={**env, "PYTHONPATH": str(tree)},
        cwd=tree,
        check=True,
        stdout=subprocess.DEVNULL,
    )


async def staff(url: str, stats: Stats, stop_at: float, every: float) -> None:
    """A staff member at a low rate: every ``every`` s an import cycle (the import page, an
    upload with its preview, the confirm), each request timed like the others."""
    import httpx
    from importcycle import cycle, login

    def one(value: float) -> None:
        with httpx.Client(base_url=url, timeout=120) as client:
            if login(client, STAFF_USER, STAFF_PASSWORD).status_code != 302:
                stats.add("staff login", 0.0, False, "login refused")
                return
            timings = {}
            result = cycle(client, value, timings)
            print(f"  import confirmed at {time.time():.0f} (epoch s)", flush=True)
            for label, seconds in timings.items():
                ok = result["upload"] == 200 and (
                    "bevestig" not in label or result["confirm"] == 302
                )
                stats.add(label, seconds, ok, str(result)[:160])

    if every <= 0:
        return
    # the first in the first half of the run (so its aftermath is measured), then every `every`
    # s; never a wait past the end of the run (it made the run longer and its req/s lower)
    value, next_at = 10.0, time.time() + random.uniform(0, min(every, stop_at - time.time()) / 2)
    while True:
        await asyncio.sleep(max(0.0, min(next_at, stop_at) - time.time()))
        if time.time() >= stop_at:
            return
        await asyncio.to_thread(one, value)
        value, next_at = value + 0.1, next_at + every


async def user(url: str, stats: Stats, payloads: dict, stop_at: float, think: tuple) -> None:
    import httpx

    names, weights = zip(*ACTIONS, strict=True)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        await asyncio.sleep(random.uniform(0, think[1]))  # users arrive spread out
        while time.time() < stop_at:
            await action(client, stats, random.choices(names, weights)[0], payloads)
            await asyncio.sleep(random.uniform(*think))


async def run_load(
    url: str, payloads: dict, users: int, duration: float, think: tuple, pid: int, every=0.0
):
    stats = Stats()
    peak: dict[int, tuple] = {}
    start = time.time()
    stop_at = start + duration

    async def sample_memory():
        while time.time() < stop_at:
            for p, row in memory(pid).items():
                peak[p] = max(peak.get(p, row), row, key=lambda r: r[1])
            await asyncio.sleep(2)

    await asyncio.gather(
        sample_memory(),
        staff(url, stats, stop_at, every),
        run_rotation(url, stats, payloads, stop_at),
        *(user(url, stats, payloads, stop_at, think) for _ in range(users)),
    )
    return stats, time.time() - start, peak


def warm_up(url: str, payloads: dict) -> None:
    """Every request once or twice (every wijk page and PDF), so that no configuration is
    measured cold: what is computed once per data version is then computed."""

    async def once(stats):
        import httpx

        # one connection stays with one worker: fresh connections reach the others too
        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            for code in WIJKEN:
                bodies = [for_wijk(b, code) for b in payloads["wijk"]]
                await page_visit(client, stats, f"/wijk/{code}", "warm-up", bodies)
                await request(client, stats, "warm-up", "GET", f"/wijk/{code}/profiel.pdf")
            for name, _ in ACTIONS:
                await action(client, stats, name, payloads)
            for item in rotation():
                await rotation_item(client, stats, payloads, item)

    async def all_workers():
        stats = Stats()
        await asyncio.gather(*(once(stats) for _ in range(4)))
        return stats

    stats = asyncio.run(all_workers())
    if stats.errors:
        raise RuntimeError(f"warm-up failed: {stats.samples}")


# -- report ------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def floor_of(label: str) -> float | None:
    """The p95 floor of an endpoint in ms; None for staff requests (no floor)."""
    return None if "/intern" in label else FLOORS_MS.get(label, FLOORS_MS["default"])


def cell(times: list[float], label: str) -> str:
    """p50, p95 (marked "!" above its floor, "?" when n < MIN_N: unreliable), p99 and n."""
    if not times:
        return f"{'-':>34s}"
    floor, p95 = floor_of(label), pct(times, 0.95)
    mark = "!" if floor is not None and p95 > floor else ""
    mark += "?" if floor is not None and len(times) < MIN_N else ""
    return f"{pct(times, 0.5):7.0f} {p95:7.0f}{mark:2s} {pct(times, 0.99):7.0f} {len(times):6d}"


def floors_line(stats: Stats) -> str:
    """Either "floors: met", or the endpoints whose p95 is above their floor (with p95 and n)."""
    misses = [
        f"{label} {pct(times, 0.95):.0f} ms (n={len(times)}{', unreliable' if len(times) < MIN_N else ''})"
        for label, times in sorted(stats.times.items())
        if floor_of(label) is not None and pct(times, 0.95) > floor_of(label)
    ]
    errors = sum(stats.errors.values())
    if errors:
        misses.insert(0, f"{errors} errors")
    return "floors: met" if not misses else "floors missed: " + "; ".join(misses)


def report(results: dict) -> str:
    lines = []
    labels = sorted({label for r in results.values() for label in r["stats"].times})
    configs = list(results)
    lines.append("req/s and errors:")
    for config, r in results.items():
        total = sum(len(v) for v in r["stats"].times.values())
        errors = sum(r["stats"].errors.values())
        lines.append(
            f"  {config:9s} {total / r['elapsed']:7.1f} req/s  {total:6d} requests  "
            f"{errors} errors  (load average {r['load'][0]:.1f} -> {r['load'][1]:.1f}; "
            f"{r['pids_seen']} server processes seen, recycled workers included)"
        )
        for sample in r["stats"].samples:
            lines.append(f"            e.g. {sample}")
        server, database, client = r.get("cpu", (0.0, 0.0, 0.0))
        lines.append(
            f"            CPU s in the run: server {server:.0f}, PostgreSQL {database:.0f}, "
            f"load client {client:.0f} (of {os.cpu_count() * r['elapsed']:.0f} available)"
        )
    lines.append("")
    header = "  ".join(f"{c + ' p50/p95/p99 ms, n':>34s}" for c in configs)
    lines.append(f"{'endpoint':38s}  {header}")
    for label in labels:
        cells = [cell(results[c]["stats"].times.get(label, []), label) for c in configs]
        lines.append(f"{label:38s}  " + "  ".join(cells))
    lines.append(
        f"(! = p95 above the floor: 300 ms, 1000 ms for the PDF; ? = fewer than {MIN_N} "
        "requests, the p95 is unreliable; staff requests have no floor)"
    )
    for config, r in results.items():
        lines.append(f"  {config:9s} {floors_line(r['stats'])}")
    lines.append("")
    lines.append("memory per process (RSS at the end / peak RSS during the run, MB):")
    for config, r in results.items():
        for pid, (cmd, rss, hwm) in sorted(r["memory"].items()):
            lines.append(f"  {config:9s} pid {pid:7d} {rss / 1024:7.0f} / {hwm / 1024:5.0f}  {cmd}")
    return "\n".join(lines)


def fresh_store(built: Path, folder: Path) -> Path:
    """A private copy of the built store (staff imports change it) for one configuration."""
    folder.mkdir(parents=True, exist_ok=True)
    for file in built.parent.glob(built.name + "*"):
        shutil.copy(file, folder / file.name)
    intern = built.with_name(built.stem + "-intern.sqlite")
    if intern.exists():
        shutil.copy(intern, folder / intern.name)
    return folder / built.name


RAMP_MIN_SAMPLES = 20  # a p95 of fewer requests is their maximum: one slow answer stopped a ramp


def worst_p95(stats: Stats) -> tuple[float, str]:
    """The highest p95 of an endpoint with the 300 ms floor (not the PDF, not staff requests)
    among those asked at least RAMP_MIN_SAMPLES times in the step."""
    rows = [
        (pct(times, 0.95), label)
        for label, times in stats.times.items()
        if label not in FLOORS_MS and "/intern" not in label and len(times) >= RAMP_MIN_SAMPLES
    ]
    return max(rows) if rows else (0.0, "-")


def ramp(url, payloads, steps, duration, think, pid, every=0.0) -> list[str]:
    """Users in steps until the worst p95 crosses the floor: the throughput a server carries
    (with the staff import cycle every ``every`` s, as in the main run)."""
    lines = []
    for users in steps:
        load = os.getloadavg()[0]
        stats, elapsed, _ = asyncio.run(run_load(url, payloads, users, duration, think, pid, every))
        total = sum(len(v) for v in stats.times.values())
        p95, label = worst_p95(stats)
        errors = sum(stats.errors.values())
        lines.append(
            f"    {users:4d} users: {total / elapsed:6.1f} req/s, {errors} errors, worst p95 "
            f"{p95:6.0f} ms ({label}); PDF p95 {pdf_p95(stats):6.0f} ms; "
            f"{len(stats.times.get('POST /intern/import/bevestig', []))} imports; load average "
            f"{load:.1f} -> {os.getloadavg()[0]:.1f}"
        )
        print(lines[-1], flush=True)
        if p95 > FLOORS_MS["default"]:
            break
    return lines


def pdf_p95(stats: Stats) -> float:
    times = stats.times.get("GET profile PDF", [])
    return pct(times, 0.95) if times else 0.0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument(
        "--configs",
        default="baseline,embedded,postgis",
        help="baseline, embedded, postgis, before (this configuration on the --before tree)",
    )
    parser.add_argument("--before", type=Path, help="another source tree (git archive of main)")
    parser.add_argument("--think", default="1,3", help="think time between actions, s (min,max)")
    parser.add_argument("--staff-every", type=float, default=STAFF_EVERY_S, help="s; 0: none")
    parser.add_argument("--ramp", default="", help="user counts to step through, e.g. 50,100,150")
    parser.add_argument("--ramp-duration", type=float, default=30)
    parser.add_argument("--json", help="also write the raw figures to this file")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--logs", help="keep the servers' logs in this folder")
    parser.add_argument(
        "--sample", help="sample the workers' stacks into this folder (benchmarks/samples.py)"
    )
    args = parser.parse_args(argv)
    if args.sample:
        Path(args.sample).mkdir(parents=True, exist_ok=True)
        os.environ["SAMPLE_DIR"] = str(Path(args.sample).resolve())
        SAMPLER_PATH.append(str(ROOT / "benchmarks" / "sampler"))
    args.think = tuple(float(x) for x in args.think.split(","))
    return args


def measure(
    config: str, url: str, pid: int, payloads: dict, args, pg_pid: int | None = None
) -> tuple[dict, list[str]]:
    """The load on one running configuration (then its ramp): (result, ramp lines). Also the
    CPU seconds the workers, PostgreSQL and this client used in the run (they share the CPUs)."""
    warm_up(url, payloads)
    print(f"{config}: {args.users} users for {args.duration:g} s ...", flush=True)
    load_before = os.getloadavg()[0]
    cpu_before = (cpu_seconds(pid), cpu_seconds(pg_pid), sum(os.times()[:2]))
    stats, elapsed, peak = asyncio.run(
        run_load(url, payloads, args.users, args.duration, args.think, pid, args.staff_every)
    )
    cpu_after = (cpu_seconds(pid), cpu_seconds(pg_pid), sum(os.times()[:2]))
    mem = memory(pid)
    result = {
        "cpu": tuple(b - a for a, b in zip(cpu_before, cpu_after, strict=True)),
        "stats": stats,
        "elapsed": elapsed,
        "load": (load_before, os.getloadavg()[0]),
        "pids_seen": len(peak),
        "memory": {p: (c, r, max(h, peak.get(p, (c, 0, 0))[2])) for p, (c, r, h) in mem.items()},
    }
    if not args.ramp:
        return result, []
    steps = [int(x) for x in args.ramp.split(",")]
    print(f"{config}: ramp {steps} users, {args.ramp_duration:g} s each", flush=True)
    lines = ramp(url, payloads, steps, args.ramp_duration, args.think, pid, args.staff_every)
    return result, lines


def run_config(config: str, built: Path, workdir: Path, base_env: dict, payloads, args):
    """Start one configuration on its own copy of the store, measure it, stop it:
    (result, ramp lines, payloads captured from Chromium on the first configuration)."""
    tree = args.before if config == "before" else ROOT
    if tree is None:
        raise SystemExit("--configs before needs --before DIR")
    store = fresh_store(built, workdir / config)
    env, cluster = dict(base_env, WIJKVEILIGHEID_STORE=str(store)), None
    if config == "postgis":
        cluster, db_url = start_postgis(store)
        env["WIJKVEILIGHEID_DATABASE_URL"] = db_url
    try:
        if args.staff_every > 0:
            add_staff_user(env, tree)
        url, proc, log = start_server(config, env, workdir / f"{config}.log", tree)
        try:
            if payloads is None:
                payloads = capture_payloads(url)
                counts = {k: len(v) for k, v in payloads.items()}
                print(f"captured browser payloads: {counts}", flush=True)
            result, lines = measure(config, url, proc.pid, payloads, args, postmaster_pid(cluster))
        finally:
            stop_server(proc, log)
    finally:
        if cluster is not None:
            cluster.destroy()
    return result, lines, payloads


def main(argv=None) -> int:
    args = parse_args(argv)
    random.seed(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="fast-load-", dir=os.environ.get("TMPDIR", "/tmp")))
    results, payloads, ramps = {}, None, {}
    try:
        built = build_embedded(workdir / "built")
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKVEILIGHEID_")}
        base_env["WIJKVEILIGHEID_SECURE_COOKIES"] = "0"  # the staff cycle runs over plain HTTP
        for config in args.configs.split(","):
            results[config], ramps[config], payloads = run_config(
                config, built, workdir, base_env, payloads, args
            )
    finally:
        if args.logs:
            Path(args.logs).mkdir(parents=True, exist_ok=True)
            for log_file in workdir.glob("*.log"):
                shutil.copy(log_file, Path(args.logs) / log_file.name)
        shutil.rmtree(workdir, ignore_errors=True)
    print_results(args, results, ramps)
    return 0


def print_results(args, results: dict, ramps: dict) -> None:
    print()
    print(
        f"{args.users} users, {args.duration:g} s each, think time {args.think[0]:g}-{args.think[1]:g} s, a staff "
        f"import cycle every {args.staff_every:g} s, {os.cpu_count()} CPUs shared by client "
        "and server"
    )
    print(report(results))
    for config, lines in ramps.items():
        if lines:
            print(f"ramp, {config} (stops at the first step whose worst p95 is above 300 ms):")
            print("\n".join(lines))
    if args.json:
        raw = {
            c: {
                "elapsed": r["elapsed"],
                "times": r["stats"].times,
                "errors": r["stats"].errors,
                "memory": r["memory"],
            }
            for c, r in results.items()
        }
        Path(args.json).write_text(json.dumps(raw))


if __name__ == "__main__":
    sys.exit(main())
