"""benchmarks/load.py's mix and report (no server, no timing): every endpoint is asked often
enough in the default run for its p95 to mean something, and the report says n, flags an
unreliable p95 and gives one floors line per configuration."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import load  # noqa: E402


def test_every_rare_endpoint_is_in_the_rotation_often_enough():
    items = load.rotation()
    paths = {path for _, path in items}
    for path in ["/toegankelijkheid", "/presentatie", "/presentatie/dia", "/embed"]:
        assert path in paths
    assert "/embed/kaart" in paths and "/embed/wijk/WK016400" in paths
    assert "/data/grenzen.gpkg" in paths and "/ogc/collections/wijken/items?f=json" in paths
    assert "/wijk/WK016400/veranderingen.atom" in paths
    assert load.ROTATION_PER_MINUTE >= load.MIN_N  # per item in the default 60-s run
    labels = {load.label_of(path.replace("WK016400", "WK016403"), "WK016403") for _, path in items}
    assert len(labels) == len(items)  # one label each: each gets its own p95


def test_the_visitor_actions_give_each_label_forty_requests_in_the_default_run():
    """50 users, 60 s, 1-3 s think time and about 0.3 s of requests: ~1,300 actions."""
    actions = 50 * 60 / (2.0 + 0.3)
    total = sum(w for _, w in load.ACTIONS)
    split = {"thema": 2}  # the overview or one thema, half and half
    for name, weight in load.ACTIONS:
        assert actions * weight / total / split.get(name, 1) >= 50, name  # 40 at -2 sd
    assert {name for name, _ in load.ACTIONS} - {"map", "switch", "wijk", "benchmark"} <= set(
        load.FEW_REQUEST_ACTIONS
    ) | {"vergelijk"}


def result(times: dict[str, list[float]], errors: int = 0) -> dict:
    stats = load.Stats()
    for label, values in times.items():
        for value in values:
            stats.add(label, value, True)
    for _ in range(errors):
        stats.add("GET /", 0.01, False, "HTTP 500")
    return {"stats": stats, "elapsed": 60.0, "load": (1.0, 1.2), "pids_seen": 3, "memory": {}}


def test_the_report_gives_n_flags_unreliable_p95_and_says_whether_floors_are_met():
    fast, slow = [0.05] * 60, [0.05] * 50 + [0.5] * 10
    results = {
        "embedded": result({"GET /": fast, "GET /embed": [0.05] * 12, "GET profile PDF": slow}),
        "postgis": result({"GET /": slow, "GET /embed": [0.05] * 10 + [0.9] * 2, "GET /ogc": fast}),
    }
    text = load.report(results)
    row = next(line for line in text.splitlines() if line.startswith("GET /embed "))
    assert " 12" in row and "?" in row  # n per configuration, flagged unreliable
    assert "  embedded  floors: met" in text  # the PDF's floor is 1 s
    line = next(line for line in text.splitlines() if line.startswith("  postgis   floors"))
    assert line.startswith("  postgis   floors missed: ")
    assert "GET / 500 ms (n=60)" in line and "GET /embed 900 ms (n=12, unreliable)" in line
    assert "/ogc" not in line


def test_errors_miss_the_floors():
    assert load.floors_line(result({"GET /": [0.01] * 50}, errors=2)["stats"]).startswith(
        "floors missed: 2 errors"
    )


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/wijk/WK016405/veranderingen.atom", "GET /wijk/<code>/veranderingen.atom"),
        ("/ogc/collections/buurten/items?f=json&limit=20", "GET /ogc/collections/buurten/items"),
        ("/data/grenzen.gpkg", "GET boundaries GeoPackage"),
        ("/embed/wijk/WK016405", "GET /embed/wijk/<code>"),
    ],
)
def test_labels_are_the_ones_earlier_reports_used(path, label):
    assert load.label_of(path, "WK016405") == label


def test_the_samples_reader_skips_a_cut_file(tmp_path, capsys):
    import samples

    (tmp_path / "11.json").write_text('{"100": {"#busy": 4, "dashboard/data.py:_load": 3}}')
    (tmp_path / "12.json").write_text('{"100": {"#bu')  # a worker stopped while writing
    assert samples.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "worker 11: 4 busy" in out and "dashboard/data.py:_load" in out
    assert "worker 12: unreadable samples file, skipped" in out
