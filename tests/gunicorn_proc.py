"""Start ``wijkveiligheid serve`` (the production gunicorn configuration) as a real process for
a test, and stop it: shared by the Host tests and the least-privilege tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Served:
    url: str
    process: subprocess.Popen
    log_path: Path

    def stop(self) -> None:
        """Gunicorn's quick shutdown (the master stops its workers)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def serve(
    store: Path,
    port: int,
    log_path: Path,
    env: dict[str, str] | None = None,
    prefix: list[str] | None = None,
    python: str = sys.executable,
    ready_host: str | None = None,
    code: Path = ROOT,
) -> Served:
    """``python -m dashboard.cli --store STORE serve`` on 127.0.0.1:``port``, with only the
    given WIJKVEILIGHEID_ settings (one worker, plain HTTP cookies); ``prefix`` runs it as
    another user (``setpriv ... --``) with the ``python`` of its venv and the app in ``code``.
    Waits until ``/health`` answers 200, asked with Host ``ready_host`` (default: the
    listening address)."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKVEILIGHEID_")}
    base_env |= {
        "PYTHONPATH": str(code),
        "WIJKVEILIGHEID_SECURE_COOKIES": "0",
        "WIJKVEILIGHEID_WORKERS": "1",
        "WIJKVEILIGHEID_THREADS": "2",
    } | (env or {})
    command = [python, "-m", "dashboard.cli", "--store", str(store), "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [*(prefix or []), *command],
            env=base_env,
            cwd=code,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    headers = {"Host": ready_host} if ready_host else {}
    for _ in range(600):
        if process.poll() is not None:
            break
        try:
            if requests.get(url + "/health", headers=headers, timeout=5).status_code == 200:
                return Served(url, process, log_path)
        except requests.RequestException:
            pass
        time.sleep(0.2)
    Served(url, process, log_path).stop()
    raise RuntimeError(log_path.read_text(errors="replace")[-4000:])
