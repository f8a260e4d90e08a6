"""The later stages (stats, lq, indices, shift-share, impute, detect, report, run) on tables a
regional statistician outside the US brings: Kazakh OKED oblasts in cp1251, German Länder,
Eurostat NUTS 2, one region, one period, suppressed industries, zero regions; pipelines run
from another folder.  Every number is checked against a computation written out in the test.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import TEST_DATA, run_main

REAT = TEST_DATA / "reat"


def _table(path: Path) -> dict[tuple, float]:
    """A canonical CSV as {(period, region, industry): employment} (None where missing)."""
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        return {(r["period"], r["region"], r["industry"]):
                (float(r["employment"]) if r["employment"] else None) for r in csv.DictReader(fh)}


def _rows(path: Path) -> list[dict]:
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _check_dunn(ss_csv: Path, region_csv: Path, bench_csv: Path, p0: str, p1: str) -> None:
    """Dunn's NS / IM / RS of every cell against METHODS.md §3 with the benchmark file's own
    all-industry row (industry 10) as E and its industry rows as E_i."""
    e, E = _table(region_csv), _table(bench_csv)
    (nation,) = {k[1] for k in E}
    G = E[(p1, nation, "10")] / E[(p0, nation, "10")] - 1
    rows = _rows(ss_csv)
    assert rows
    for r in rows:
        i, j = r["industry"], r["region"]
        e0, e1 = e[(p0, j, i)], e[(p1, j, i)]
        Gi = E[(p1, nation, i)] / E[(p0, nation, i)] - 1
        assert float(r["national_share"]) == pytest.approx(e0 * G, rel=1e-9)
        assert float(r["industry_mix"]) == pytest.approx(e0 * (Gi - G), rel=1e-9, abs=1e-9)
        assert float(r["regional_share"]) == pytest.approx(e1 - e0 * (1 + Gi), rel=1e-9, abs=1e-6)


# --------------------------------------------------------------------------- clusterid run

def _goettingen_project(root: Path, benchmark: str) -> Path:
    (root / "data").mkdir(parents=True)
    for name in ("goettingen.csv", "goettingen_germany.csv"):
        shutil.copy(REAT / name, root / "data" / name)
    pipe = root / "pipeline.toml"
    pipe.write_text(textwrap.dedent(f"""
        [pipeline]
        outdir = "out"

        [[stage]]
        name = "shift-share"
        inputs = ["data/goettingen.csv"]
        output = "ss.csv"
        options = {{ from = "2008", to = "2017", benchmark = "{benchmark}" }}
    """), encoding="utf-8")
    return pipe


def test_run_option_file_is_relative_to_the_pipeline_and_tracked(tmp_path, monkeypatch, capsys):
    """A benchmark FILE named in a stage's options was passed on as written, so it was read
    relative to the working directory: a pipeline run from anywhere but its own folder failed
    (exit 2, "expected sum, rest, region:ID or an existing reference file") or read another
    file; and an edited benchmark file did not make the stage run again."""
    pipe = _goettingen_project(tmp_path / "proj", "data/goettingen_germany.csv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, _, err = run_main(["run", str(pipe), "--log-json"], capsys)
    assert code == 0, err
    _check_dunn(tmp_path / "proj" / "out" / "ss.csv", REAT / "goettingen.csv",
                REAT / "goettingen_germany.csv", "2008", "2017")
    code, _, err = run_main(["run", str(pipe), "--log-json"], capsys)
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert code == 0 and [e["status"] for e in events] == ["skipped"], err

    bench = tmp_path / "proj" / "data" / "goettingen_germany.csv"
    bench.write_text(bench.read_text(encoding="utf-8").replace(",215570.0,", ",215571.0,"),
                     encoding="utf-8")
    code, _, err = run_main(["run", str(pipe), "--log-json"], capsys)
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert code == 0, err
    assert [(e["status"], e["reason"]) for e in events] == [
        ("run", "input goettingen_germany.csv changed")]


def test_run_option_file_missing_is_named(tmp_path, monkeypatch, capsys):
    pipe = _goettingen_project(tmp_path / "proj", "data/no_such_benchmark.csv")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_main(["run", str(pipe)], capsys)
    assert code == 2
    assert "no_such_benchmark.csv: no such file" in err
    assert not (tmp_path / "proj" / "out" / "ss.csv").exists()
