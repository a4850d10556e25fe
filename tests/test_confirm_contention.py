"""Issue 16: concurrent import confirms on real gunicorn workers while the machine is busy.

A confirm either loads its file (and the log shows it once) or answers a page that says to try
again; never HTTP 500, never an import twice or half. Bounded in time: 12 cycles on 4 threads
against 2 workers with 4 threads each, with a CPU hog for at most CYCLE_LIMIT_S."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from importcycle import TRY_AGAIN, cycle, login
from test_browser import free_port

from conftest import PASSWORD, copy_embedded

ROOT = Path(__file__).resolve().parents[1]
CYCLES, THREADS = 12, 4
CYCLE_LIMIT_S = 240
HOG = "import time\nend = time.time() + {s}\nwhile time.time() < end:\n    pass\n"


@pytest.fixture()
def busy_server(staff_template, tmp_path):
    store = copy_embedded(staff_template, tmp_path)
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        WIJKVEILIGHEID_WORKERS="2",
        WIJKVEILIGHEID_THREADS="4",
        WIJKVEILIGHEID_SECURE_COOKIES="0",
    )
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dashboard.cli", "--store", str(store.path), "serve"]
            + ["--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(url + "/health", timeout=10).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    hog = subprocess.Popen([sys.executable, "-c", HOG.format(s=CYCLE_LIMIT_S)])
    try:
        yield url, store, log_path
    finally:
        hog.kill()
        hog.wait()
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def one_cycle(url: str, i: int) -> dict:
    with httpx.Client(base_url=url, timeout=CYCLE_LIMIT_S) as client:
        assert login(client, "admin", PASSWORD).status_code == 302
        return cycle(client, 10.0 + i)


def test_concurrent_confirms_load_once_or_say_try_again(busy_server):
    url, store, log_path = busy_server
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda i: one_cycle(url, i), range(CYCLES)))
    log = log_path.read_text()
    assert '" 500 ' not in log, log[-3000:]
    loaded = 0
    for r in results:
        assert r["upload"] == 200, r
        if r["confirm"] == 302 and "is geladen" in r["confirm_body"]:
            loaded += 1
        else:
            assert TRY_AGAIN in r["confirm_body"], r
    imports = store.import_log()
    assert len(imports) == loaded and imports["id"].is_unique
    values = store.read_data().observations.query(
        "area_code == 'WK016405' and indicator_id == 'vm_onveilig_buurt' and period == '2019'"
    )
    assert len(values) == 1  # the last import's row, whole: never two, never half
