"""One staff import cycle over HTTP, as a browser does it: log in, open the import page, upload
a file (preview), confirm. Used by the contention test and by benchmarks/load.py."""

from __future__ import annotations

import re
import time

CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')
PENDING = re.compile(rb'name="pending" value="([^"]+)"')
TRY_AGAIN = "opnieuw"  # the 503 page: "Probeer het over een minuut opnieuw."


def csv_for(value: float) -> bytes:
    """A one-row import (made-up figure, for tests and benchmarks only)."""
    text = f"gebied;indicator;periode;waarde;n\nBerflo Es;vm_onveilig_buurt;2019;{value:.1f};450\n"
    return text.replace(".", ",").encode()


def token(body: bytes) -> str:
    return CSRF.search(body).group(1).decode()


def login(client, username: str, password: str):
    page = client.get("/intern/login")
    form = {"username": username, "password": password, "csrf_token": token(page.content)}
    return client.post("/intern/login", data={**form, "next": "/intern"})


def cycle(client, value: float, timings: dict | None = None) -> dict:
    """Upload and confirm one import with a logged-in ``client`` (httpx.Client, no redirects
    followed). Returns {"upload": status, "confirm": status, "confirm_body": text}."""
    times = timings if timings is not None else {}
    start = time.perf_counter()
    page = client.get("/intern/import")
    times["GET /intern/import"] = time.perf_counter() - start
    files = {"file": ("cijfers.csv", csv_for(value), "text/csv")}
    form = {"csrf_token": token(page.content), "source": "Test (contention)", "period": ""}
    start = time.perf_counter()
    preview = client.post("/intern/import", data=form, files=files)
    times["POST /intern/import (preview)"] = time.perf_counter() - start
    out = {"upload": preview.status_code, "confirm": None, "confirm_body": ""}
    match = PENDING.search(preview.content)
    if preview.status_code != 200 or match is None:
        out["confirm_body"] = preview.text[:300]
        return out
    form = {"csrf_token": token(preview.content), "pending": match.group(1).decode()}
    start = time.perf_counter()
    confirmed = client.post("/intern/import/bevestig", data=form)
    times["POST /intern/import/bevestig"] = time.perf_counter() - start
    out["confirm"], out["confirm_body"] = confirmed.status_code, confirmed.text[:2000]
    if confirmed.status_code == 302:
        follow = client.get(confirmed.headers["Location"])
        out["confirm_body"] = follow.text[:20000]
    return out
