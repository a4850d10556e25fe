"""Benchmark: what one map switch costs the server, per indicator and level switch, and what a
first load of the map carries; this app against a naive callback that rebuilds the figure with
``px.choropleth_map`` on the same simplified geometry.

Run by hand (not a test):

    python benchmarks/map_switch.py                    # the real data (10 wijken, 62 buurten)
    python benchmarks/map_switch.py --synthetic 14000  # a synthetic grid of 14,000 buurten
    python benchmarks/map_switch.py --synthetic 1000 --synthetic 14000

Each switch goes through Dash's callback machinery with the Flask test client (no network
noise): request body as the browser sends it, response body, server time. The synthetic grid
(``benchmarks/synthetic.py``) lives in memory only. The naive rebuild is timed on at most
``--naive-max`` areas (it takes seconds beyond that).
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
sys.path.insert(0, str(ROOT / "benchmarks"))

import plotly  # noqa: E402

from dashboard import data, ids  # noqa: E402
from dashboard.figures import map_view, naive_map_figure  # noqa: E402

SWITCH_OUTPUTS = [
    (ids.MAP_VIEW, "data"),
    (ids.MAP_INDICATOR, "value"),
    (ids.MAP_PERIODS, "data"),
    (ids.MAP_PERIOD, "value"),
]


def switch_body(indicator, level, period, lang, changed) -> dict:
    """The request body the browser POSTs for a switch (as dash-renderer builds it)."""
    output = ".." + "...".join(f"{i}.{p}" for i, p in SWITCH_OUTPUTS) + ".."
    return {
        "output": output,
        "outputs": [{"id": i, "property": p} for i, p in SWITCH_OUTPUTS],
        "inputs": [
            {"id": ids.MAP_INDICATOR, "property": "value", "value": indicator},
            {"id": ids.MAP_LEVEL, "property": "value", "value": level},
            {"id": ids.MAP_PERIOD, "property": "value", "value": period},
        ],
        "changedPropIds": [f"{changed}.value"],
        "parsedChangedPropsIds": [f"{changed}.value"],
        "state": [{"id": ids.MAP_LANG, "property": "data", "value": lang}],
    }


def post(client, body: dict):
    raw = json.dumps(body, separators=(",", ":")).encode()
    start = time.perf_counter()
    resp = client.post("/_dash-update-component", data=raw, content_type="application/json")
    elapsed = time.perf_counter() - start
    assert resp.status_code == 200, resp.data[:300]
    return len(raw), resp.data, elapsed


def app_switches(client, ctx, repeat: int) -> dict:
    """Indicator switches at each level and level switches, through the real callback."""
    from dashboard.pages.kaart import available_indicators, map_data

    out = {}
    index = map_data(ctx).index
    for level in ("wijk", "buurt"):
        options = available_indicators(ctx, level)
        req, resp, secs, cold = [], [], [], []
        for r in range(repeat):
            for indicator in options:
                period = index.default(indicator, level)
                size, body, elapsed = post(
                    client, switch_body(indicator, level, period, "nl", ids.MAP_INDICATOR)
                )
                (cold if r == 0 else secs).append(elapsed)
                req.append(size)
                resp.append(len(body))
        out[f"indicator @ {level}"] = {
            "request": req,
            "response": resp,
            "seconds": secs or cold,
            "cold": cold,
        }
    req, resp, secs = [], [], []
    for _ in range(repeat):
        for level in ("buurt", "wijk"):
            indicator = available_indicators(ctx, level)[0]
            size, body, elapsed = post(
                client, switch_body(indicator, level, None, "nl", ids.MAP_LEVEL)
            )
            req.append(size)
            resp.append(len(body))
            secs.append(elapsed)
    out["level switch"] = {"request": req, "response": resp, "seconds": secs, "cold": []}
    return out


def naive_switches(ctx, repeat: int) -> dict:
    """What a callback that rebuilds the figure with px.choropleth_map would send."""
    from dashboard.pages.kaart import available_indicators

    out = {}
    for level in ("wijk", "buurt"):
        codes = list(ctx.areas[level]["code"])
        names = list(ctx.areas[level]["name"])
        resp, secs = [], []
        for _ in range(repeat):
            for indicator in available_indicators(ctx, level):
                start = time.perf_counter()
                view = map_view(
                    ctx.public_obs, ctx.data.indicators, ctx.data.sources, indicator, level, codes
                )
                fig = naive_map_figure(ctx.geojson[level], view, names)
                body = json.dumps(
                    {"multi": True, "response": {"graph": {"figure": fig}}},
                    cls=plotly.utils.PlotlyJSONEncoder,
                ).encode()
                secs.append(time.perf_counter() - start)
                resp.append(len(body))
        out[f"indicator @ {level}"] = {"request": [0], "response": resp, "seconds": secs}
    return out


def first_load(client, ctx) -> dict:
    """Data a first visit loads besides the cacheable bundles: the map page's layout and the
    geometry of both levels (raw and gzip)."""
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/"}).data
    parts = {"layout with the page": layout}
    for level in ("wijk", "buurt"):
        parts[f"geometry {level}"] = ctx.geojson_text[level].encode()
    return {name: (len(raw), len(gzip.compress(raw))) for name, raw in parts.items()}


def med(values):
    return statistics.median(values) if values else float("nan")


def report(label: str, ctx, client, repeat: int, naive_max: int) -> dict:
    n_buurt, n_wijk = len(ctx.areas["buurt"]), len(ctx.areas["wijk"])
    print(f"\n=== {label}: {n_wijk:,} wijken, {n_buurt:,} buurten ===")
    load = first_load(client, ctx)
    print("First load (bytes, raw / gzip):")
    for name, (raw, gz) in load.items():
        print(f"  {name:24s} {raw:>12,d} {gz:>11,d}")
    mine = app_switches(client, ctx, repeat)
    print("Per switch, this app (one request):")
    print(
        f"  {'switch':20s} {'request B':>10s} {'resp B med':>11s} {'resp B max':>11s} "
        f"{'ms med':>7s} {'ms max':>7s} {'ms first':>9s}"
    )
    for name, r in mine.items():
        print(
            f"  {name:20s} {max(r['request']):>10,d} {med(r['response']):>11,.0f} "
            f"{max(r['response']):>11,d} {med(r['seconds']) * 1000:>7.1f} "
            f"{max(r['seconds']) * 1000:>7.1f} {med(r['cold']) * 1000 if r['cold'] else 0:>9.1f}"
        )
    result = {"areas": n_buurt, "load": load, "mine": mine}
    if n_buurt <= naive_max:
        naive = naive_switches(ctx, max(1, repeat // 3))
        print("Per indicator switch, naive px.choropleth_map rebuild (response only):")
        for name, r in naive.items():
            m = med(mine[name]["response"])
            print(
                f"  {name:20s} {'':>10s} {med(r['response']):>11,.0f} {max(r['response']):>11,d} "
                f"{med(r['seconds']) * 1000:>7.1f}   ({med(r['response']) / m:,.0f}x this app)"
            )
        result["naive"] = naive
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--synthetic",
        type=int,
        action="append",
        metavar="N",
        help="also run on a synthetic grid of N buurten (repeatable)",
    )
    parser.add_argument("--naive-max", type=int, default=1500)
    args = parser.parse_args(argv)
    data.ensure_store()
    from dashboard.app import app

    client = app.server.test_client()
    real = data.get_context()
    results = [report("real data", real, client, args.repeat, args.naive_max)]
    if args.synthetic:
        from synthetic import synthetic_context

        original = data.get_context
        try:
            for n in args.synthetic:
                ctx = synthetic_context(real, n)
                data.get_context = lambda ctx=ctx: ctx
                results.append(
                    report(f"synthetic grid N={n}", ctx, client, args.repeat, args.naive_max)
                )
        finally:
            data.get_context = original
    if len(results) > 1:
        print(
            "\nGrowth per buurt-level indicator switch (linear if bytes and ms per area stay flat):"
        )
        for r in results:
            m = r["mine"]["indicator @ buurt"]
            n = r["areas"]
            print(
                f"  {n:>7,d} buurten: {med(m['response']) / n:6.1f} B/area, "
                f"{med(m['seconds']) * 1e6 / n:7.1f} us/area (warm), "
                f"{med(m['cold']) * 1e6 / n:7.1f} us/area (first switch to each figure)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
