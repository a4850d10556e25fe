"""Serve the app for a test as production does (``wijkveiligheid serve``: gunicorn, 2 workers)
on a free port, with extra settings; the log goes to a file (an unread pipe would block)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from test_browser import free_port

ROOT = Path(__file__).resolve().parents[1]


def serve(store_path: Path, log_path: Path, **settings: str):
    """Start the server; returns (url, process, log file) once /health answers."""
    port = free_port()
    own = {"WIJKVEILIGHEID_PUBLIC_URL": f"http://127.0.0.1:{port}"}  # links point back here
    env = dict(os.environ, PYTHONPATH=str(ROOT), WIJKVEILIGHEID_WORKERS="2", **own, **settings)
    log = open(log_path, "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "--store", str(store_path), "serve"]
        + ["--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(url + "/health", timeout=10).status_code == 200:
                return url, proc, log
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    log.close()
    pytest.fail(log_path.read_text())


def stop(proc, log) -> None:
    proc.terminate()
    proc.wait(timeout=20)
    log.close()
