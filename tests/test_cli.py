"""The console command: build and check."""

from dashboard.cli import main


def test_build_then_check(tmp_path, capsys):
    path = tmp_path / "cli.gpkg"
    assert main(["--store", str(path), "build"]) == 0
    out = capsys.readouterr().out
    assert "Datastore gebouwd" in out and "23.400" in out
    assert main(["--store", str(path), "check"]) == 0
    assert "in orde" in capsys.readouterr().out


def test_check_missing_store_explains(tmp_path, capsys):
    assert main(["--store", str(tmp_path / "none.gpkg"), "check"]) == 1
    err = capsys.readouterr().err
    assert "wijkveiligheid build" in err and "Traceback" not in err


def test_check_corrupt_store(tmp_path, capsys):
    bad = tmp_path / "bad.gpkg"
    bad.write_text("garbage")
    assert main(["--store", str(bad), "check"]) == 1
    assert "wijkveiligheid build" in capsys.readouterr().err
