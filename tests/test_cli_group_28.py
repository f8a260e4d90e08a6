"""The click group typer builds from the app is built once per process (cli.app.click_group),
and the error path of many duplicate keys in canonical Parquet tables builds each problem once.

Typer built the group anew for every ``app(...)`` call and every ``typer.main.get_command``:
two or three times a command line, once more per ``clusterid run`` stage, from every command's
signature and annotations -- half the time of a small ingest run in-process."""

from __future__ import annotations

import pytest
import typer

from clusterid.cli import app as app_module
from clusterid.io import ingest as ingest_module

from conftest import SAMPLES, run_main


@pytest.fixture
def built(monkeypatch):
    """The groups typer builds from here on (none built yet in this process's cache)."""
    made = []
    real = typer.main.get_command
    monkeypatch.setattr(typer.main, "get_command", lambda app: made.append(app) or real(app))
    monkeypatch.setattr(app_module, "_GROUP", [])
    return made


def test_the_group_is_built_once_for_many_runs(tmp_path, capsys, built):
    src = SAMPLES / "qcew_utah_2016_counties.csv.gz"
    for i in range(3):
        code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / f"t{i}.parquet")], capsys)
        assert code == 0, err
    assert len(built) == 1
    # the same group serves the option checks before the run (_value_options, ...)
    assert app_module.click_group() is app_module.click_group()
    assert set(app_module.click_group().commands) >= {"ingest", "lq", "stats", "detect", "run"}


def test_a_pipeline_runs_its_stages_through_the_one_group(tmp_path, capsys, built):
    src = SAMPLES / "qcew_utah_2016_counties.csv.gz"
    (tmp_path / "pipe.toml").write_text(
        '[pipeline]\noutdir = "out"\n\n'
        f'[[stage]]\nname = "ingest"\ninputs = ["{src.as_posix()}"]\noutput = "canonical.parquet"\n\n'
        '[[stage]]\nname = "lq"\ninputs = ["@ingest"]\noutput = "lq.parquet"\n', encoding="utf-8")
    code, _out, err = run_main(["run", str(tmp_path / "pipe.toml")], capsys)
    assert code == 0, err
    assert (tmp_path / "out" / "lq.parquet").exists()
    assert len(built) == 1


def test_duplicate_keys_across_parquet_tables_are_said_without_a_locating_pass(tmp_path, capsys, monkeypatch,
                                                                               utah_parquet):
    # a Parquet table has no lines: the second (lenient) pass that locates problems by line
    # found none and only built every problem again
    whole = utah_parquet
    capsys.readouterr()
    passes = []
    real = ingest_module.ingest
    monkeypatch.setattr(ingest_module, "ingest", lambda *a, **k: passes.append(k) or real(*a, **k))
    copy = tmp_path / "copy.parquet"
    copy.write_bytes(whole.read_bytes())
    code, _out, err = run_main(["lq", str(whole), str(copy), "-o", "-"], capsys)
    assert code == 1
    lines = [x for x in err.splitlines() if x.startswith("clusterid: error:")]
    assert "duplicate row for the same period, region, ownership and industry" in lines[0]
    assert lines[-1].startswith("clusterid: error: ... and ") and "more problems" in lines[-1]
    assert not [k for k in passes if "_problems" in k]  # no locating pass
