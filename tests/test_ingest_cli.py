"""``clusterid ingest`` end to end: exit codes, messages, outputs, stdin/stdout, rejects."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from types import SimpleNamespace

import pyarrow.parquet as pq
import pytest

from clusterid.io.tables import read_metadata
from conftest import TEST_DATA, run_main

GEN = TEST_DATA / "generic"


def run(*args, stdin: bytes | None = None, cwd=None):
    """``clusterid ARGS`` in a process of its own (stdout's bytes, stdin): code, stdout, stderr."""
    res = subprocess.run([sys.executable, "-m", "clusterid", *map(str, args)], input=stdin,
                         capture_output=True, cwd=cwd)
    return res.returncode, res.stdout.decode("utf-8"), res.stderr.decode("utf-8")


def run_here(capsys, *args):
    """``clusterid ARGS`` in-process, for the tests of exit codes and messages (the same in a
    process of its own, without its ~0.7 s of start-up): code, stdout, stderr."""
    return run_main([str(a) for a in args], capsys)


def test_parquet_output_with_provenance_and_summary(tmp_path):
    out = tmp_path / "kz.parquet"
    code, stdout, stderr = run("ingest", GEN / "kz_oked_cp1251.csv", "-o", out)
    assert code == 0, stderr
    assert stdout == ""
    summary = " ".join(stderr.split())
    assert summary.startswith("ingest: 50 rows kept, 1 dropped, suppressed: employment 4.0%, establishments 2.0%")
    assert str(out) in summary.replace(" ", "") or out.name in summary
    table = pq.read_table(out)
    assert table.num_rows == 50
    meta = read_metadata(str(out))
    assert meta["kind"] == "canonical" and meta["adapters"] == ["generic"]
    assert meta["inputs"][0]["sha256"] == __import__("hashlib").sha256((GEN / "kz_oked_cp1251.csv").read_bytes()).hexdigest()
    assert meta["options"]["format"] == "auto" and meta["rows_read"] == 51
    # deterministic: a second run writes the same bytes
    out2 = tmp_path / "kz2.parquet"
    assert run("ingest", GEN / "kz_oked_cp1251.csv", "-o", out2)[0] == 0
    assert out.read_bytes() == out2.read_bytes()


def test_csv_by_extension_and_stdout_and_stdin(tmp_path, capsys):
    out = tmp_path / "de.csv"
    code, _, stderr = run_here(capsys, "ingest", GEN / "de_laender_latin1.csv", "-o", out)
    assert code == 0, stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 16 and "Baden-Württemberg" in {r["region"] for r in rows}
    assert json.loads((tmp_path / "de.csv.meta.json").read_text())["rows_kept"] == 16
    code, stdout, stderr = run("ingest", "-", "-o", "-", stdin=(GEN / "de_laender_latin1.csv").read_bytes())
    assert code == 0, stderr
    assert list(csv.DictReader(io.StringIO(stdout))) == rows
    assert "-> stdout" in stderr


def test_data_error_exit_1_lists_every_problem(tmp_path, capsys):
    out = tmp_path / "x.parquet"
    code, stdout, stderr = run_here(capsys, "ingest", GEN / "bad_number.csv", "-o", out)
    assert code == 1
    lines = stderr.strip().splitlines()
    assert lines == [
        f"clusterid: error: {GEN / 'bad_number.csv'}:3: column 'employment': not a number (expected a number "
        "or a suppression marker like (D), x, .., -, found '12a'); read with decimal '.' and thousands ','; "
        "override with --decimal/--thousands if that is wrong",
        f"clusterid: error: {GEN / 'bad_number.csv'}:4: column 'establishments': not a number (expected a "
        "number or a suppression marker like (D), x, .., -, found 'b7'); read with decimal '.' and thousands "
        "','; override with --decimal/--thousands if that is wrong",
    ]
    assert not out.exists() and stdout == ""


def test_skip_writes_rejects_next_to_output(tmp_path, capsys):
    out = tmp_path / "ok.parquet"
    code, _, stderr = run_here(capsys, "ingest", GEN / "bad_number.csv", "-o", out, "--on-error", "skip")
    assert code == 0, stderr
    rejects = tmp_path / "ok.parquet.rejects.csv"
    assert [r["line"] for r in csv.DictReader(rejects.open())] == ["3", "4"]
    assert "2 rows rejected" in " ".join(stderr.split())
    assert pq.read_table(out).num_rows == 1


@pytest.mark.parametrize("args,message", [
    (["/no/such.csv", "-o", "x.parquet"], "/no/such.csv: no such file"),
    ([GEN / "markers.csv", "-o", "x.parquet", "--format", "spss"], "unknown --format 'spss'"),
    ([GEN / "markers.csv", "-o", "x.parquet", "--on-error", "ignore"], "--on-error 'ignore'"),
    ([GEN / "markers.csv", "-o", "x.xlsx"], "cannot write .xlsx"),
    # a Parquet file under a spreadsheet's name (ingest now reads .xls/.ods/.xlsb) misleads
    ([GEN / "markers.csv", "-o", "x.xls"], "cannot write .xls"),
    ([GEN / "markers.csv", "-o", "x.ods"], "cannot write .ods"),
    ([GEN / "markers.csv", "-o", "x.xlsb"], "cannot write .xlsb"),
    ([GEN / "markers.csv", "-o", "x.parquet", "--encoding", "klingon"], "unknown --encoding 'klingon'"),
    ([GEN / "markers.csv", "-o", "x.parquet", "--region-col", "nope"], "--region-col 'nope' is not a column"),
    ([GEN / "markers.csv", "-o", "x.parquet", "--measure-col", "employment"], "expected MEASURE=COLUMN"),
])
def test_usage_errors_exit_2(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = run_here(capsys, "ingest", *args)
    assert code == 2, stderr
    assert message in stderr and stdout == ""
    assert "Traceback" not in stderr


def test_help_leads_with_a_runnable_example(tmp_path, monkeypatch, capsys):
    code, stdout, _ = run_here(capsys, "ingest", "--help")
    assert code == 0
    example = next(line for line in stdout.splitlines() if "Example:" in line)
    assert "clusterid ingest" in example
    cmd = example.split("Example:", 1)[1].split()
    # the example continues on the next help line when wrapped; rebuild it from the module
    from clusterid.cli.ingest import HELP

    line = next(x for x in HELP.splitlines() if x.startswith("Example:")).split(":", 1)[1].split()
    assert line[0] == "clusterid" and cmd[0] == "clusterid"
    out = tmp_path / "canonical.parquet"
    monkeypatch.chdir(TEST_DATA.parent.parent)
    code, _, stderr = run_here(capsys, *line[1:-1], out)
    assert code == 0, stderr


def _ingest(capsys, *args):
    """``clusterid ingest ARGS`` in-process: ``.returncode``, ``.stderr``."""
    code, out, err = run_here(capsys, "ingest", *args)
    return SimpleNamespace(returncode=code, stdout=out, stderr=err)


def test_validation_problem_of_an_adapter_names_the_file(tmp_path, capsys):
    """QCEW's frame carries no file or line column (it would cost memory): the validation
    problem is still located in the file, and at its line (found by a second, lenient read on
    the error path), not in '<input>'."""
    rows = list(csv.reader(open(TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv")))
    h = rows[0]
    own, ind, emp, dis = (h.index(c) for c in ("own_code", "industry_code", "annual_avg_emplvl",
                                               "disclosure_code"))
    sector = next(r for r in rows[1:]
                  if r[own] == "5" and len(r[ind]) == 2 and r[ind] != "10" and not r[dis])
    sector[emp] = "999999"  # above the private all-industry total
    bad = tmp_path / "beaver.csv"
    with open(bad, "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    res = _ingest(capsys, bad, "-o", tmp_path / "out.parquet")
    assert res.returncode == 1
    line = next(i for i, r in enumerate(rows, start=1) if r is sector)
    assert f"{bad}:{line}: column 'employment': industry larger than" in res.stderr
    assert "<input>" not in res.stderr
    assert not (tmp_path / "out.parquet").exists()


def test_the_same_problem_is_reported_once(tmp_path, capsys):
    """A wide table's unknown code is met once per period column: one message, not one each."""
    wide = tmp_path / "wide.csv"
    wide.write_text("region,industry,2014,2015,2016\nA,11,5,6,7\nA,99999999,3,4,5\nB,11,1,2,3\n")
    res = _ingest(capsys, wide, "-o", tmp_path / "out.parquet")
    assert res.returncode == 1
    lines = [x for x in res.stderr.splitlines() if "99999999" in x]
    assert len(lines) == 1, res.stderr
