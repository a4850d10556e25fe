"""Benchmark: bytes and server time per indicator switch, Patch vs naive rebuild; first-load bytes.

Run by hand (not a test):  python benchmarks/map_switch.py [--repeat 20]

Uses the real store (built from the bundled sources if missing) and the Flask test client, so
the numbers are what the server sends, measured without network noise.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import plotly  # noqa: E402

from dashboard import data, ids  # noqa: E402
from dashboard.figures import map_view, naive_map_figure  # noqa: E402

from dashclient import call, find, prop, render_page  # noqa: E402

GZIP = {"Accept-Encoding": "gzip"}


def first_load(client) -> dict:
    """Bytes of a first visit to /: HTML, layout, dependencies, page content, geometry."""
    parts = {}
    for name, path in [
        ("html", "/"),
        ("layout", "/_dash-layout"),
        ("dependencies", "/_dash-dependencies"),
    ]:
        resp = client.get(path, headers=GZIP)
        parts[name] = (len(resp.data), resp.headers.get("Content-Encoding") == "gzip")
    status, content, raw = render_page(client, "/")
    parts["page content (callback)"] = (len(gzip.compress(raw)), True)
    for level in ("wijk", "buurt"):
        resp = client.get(f"/geo/{level}.geojson", headers=GZIP)
        parts[f"geometry {level}"] = (
            len(resp.data),
            resp.headers.get("Content-Encoding") == "gzip",
        )
    return parts


def patch_switches(client, repeat: int) -> dict:
    ctx = data.get_context()
    results = {}
    for level in ("wijk", "buurt"):
        status, content, raw = render_page(client, "/", f"?niveau={level}")
        areas = find(content, ids.MAP_AREAS)["props"]["data"]
        options = [
            o["value"]
            for o in find(content, ids.MAP_INDICATOR)["props"]["options"]
            if not o.get("disabled")
        ]
        sizes, gz, times = [], [], []
        # the period picker's state, carried over from response to response as in the browser
        period = find(content, ids.MAP_PERIOD)["props"]["value"]
        period_options = find(content, ids.MAP_PERIODS)["props"]["data"]
        for _ in range(repeat):
            for indicator in options:
                start = time.perf_counter()
                status, resp, body = call(
                    client,
                    [
                        (ids.MAP_GRAPH, "figure"),
                        (ids.MAP_INDICATOR, "options"),
                        (ids.MAP_INDICATOR, "value"),
                        (ids.MAP_SELECTED, "data"),
                        (ids.MAP_PERIODS, "data"),
                        (ids.MAP_PERIOD, "value"),
                    ],
                    [
                        prop(ids.MAP_INDICATOR, "value", indicator),
                        prop(ids.MAP_LEVEL, "value", level),
                        prop(ids.MAP_FOCUS, "value", ["focus"]),
                        prop(ids.MAP_SELECTED, "data", None),
                        prop(ids.MAP_PERIOD, "value", period),
                    ],
                    [
                        prop(ids.MAP_AREAS, "data", areas),
                        prop(ids.MAP_PERIODS, "data", period_options),
                    ],
                )
                times.append(time.perf_counter() - start)
                assert status == 200, body
                period = resp["response"].get(ids.MAP_PERIOD, {}).get("value", period)
                period_options = (
                    resp["response"].get(ids.MAP_PERIODS, {}).get("data", period_options)
                )
                sizes.append(len(body))
                gz.append(len(gzip.compress(body)))
        results[level] = {
            "n_indicators": len(options),
            "bytes": sizes,
            "gzip": gz,
            "seconds": times,
        }
    del ctx
    return results


def naive_switches(repeat: int, master: bool) -> dict:
    """What a callback that rebuilds the figure with px.choropleth_map would send."""
    ctx = data.get_context()
    results = {}
    for level in ("wijk", "buurt"):
        codes = list(ctx.areas[level]["code"])
        names = list(ctx.areas[level]["name"])
        geojson = _master_geojson(ctx, level) if master else ctx.geojson[level]
        from dashboard.pages.kaart import available_indicators

        options = available_indicators(ctx, level)
        sizes, gz, times = [], [], []
        for _ in range(repeat):
            for indicator in options:
                start = time.perf_counter()
                view = map_view(
                    ctx.public_obs, ctx.data.indicators, ctx.data.sources, indicator, level, codes
                )
                fig = naive_map_figure(geojson, view, names)
                body = json.dumps(
                    {"multi": True, "response": {ids.MAP_GRAPH: {"figure": fig}}},
                    cls=plotly.utils.PlotlyJSONEncoder,
                ).encode()
                times.append(time.perf_counter() - start)
                sizes.append(len(body))
                gz.append(len(gzip.compress(body)))
        results[level] = {
            "n_indicators": len(options),
            "bytes": sizes,
            "gzip": gz,
            "seconds": times,
        }
    return results


def _master_geojson(ctx, level):
    from dashboard.data import _feature_collection
    from geodata.derive import dissolve_wijken

    gdf = ctx.data.buurten if level == "buurt" else ctx.data.wijken
    code = "buurtcode" if level == "buurt" else "wijkcode"
    del dissolve_wijken
    return _feature_collection(gdf.to_crs(4326), code)


def summary(label, result):
    rows = []
    for level, r in result.items():
        rows.append(
            (
                label,
                level,
                statistics.median(r["bytes"]),
                max(r["bytes"]),
                statistics.median(r["gzip"]),
                statistics.median(r["seconds"]) * 1000,
                sorted(r["seconds"])[int(len(r["seconds"]) * 0.95) - 1] * 1000,
            )
        )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    data.ensure_store()
    from dashboard.app import app

    client = app.server.test_client()
    load = first_load(client)
    print("First load of / (bytes on the wire, gzip where the server compresses):")
    total = 0
    for name, (size, compressed) in load.items():
        total += size
        print(f"  {name:28s} {size:>9,d} {'gzip' if compressed else 'raw'}")
    print(f"  {'total':28s} {total:>9,d}  (JS bundles excluded: cacheable)\n")
    patch = patch_switches(client, args.repeat)
    naive_web = naive_switches(max(1, args.repeat // 5), master=False)
    naive_master = naive_switches(max(1, args.repeat // 5), master=True)
    rows = (
        summary("patch (this app)", patch)
        + summary("naive px, web geometry", naive_web)
        + summary("naive px, full detail", naive_master)
    )
    print("Per indicator switch:")
    print(
        f"  {'callback':24s} {'level':6s} {'bytes med':>10s} {'bytes max':>10s} "
        f"{'gzip med':>9s} {'ms med':>7s} {'ms p95':>7s}"
    )
    for row in rows:
        print(
            f"  {row[0]:24s} {row[1]:6s} {row[2]:>10,.0f} {row[3]:>10,.0f} {row[4]:>9,.0f} "
            f"{row[5]:>7.1f} {row[6]:>7.1f}"
        )
    print("\nRatio naive / patch (median bytes):")
    for level in ("wijk", "buurt"):
        p = statistics.median(patch[level]["bytes"])
        for label, naive in (("web geometry", naive_web), ("full detail", naive_master)):
            n = statistics.median(naive[level]["bytes"])
            print(f"  {level:6s} {label:13s} {n / p:8.0f}x  ({n:,.0f} / {p:,.0f} bytes)")
    print("\nRatio naive / patch for the largest switch (the floor holds for every switch):")
    for level in ("wijk", "buurt"):
        p = max(patch[level]["bytes"])
        for label, naive in (("web geometry", naive_web), ("full detail", naive_master)):
            n = min(naive[level]["bytes"])
            print(f"  {level:6s} {label:13s} {n / p:8.0f}x  ({n:,.0f} / {p:,.0f} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
