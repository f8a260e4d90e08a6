"""Lenient mode (``ingest --on-error skip``): bad rows are set aside, never lost unreported.

Each bad row goes to the rejects CSV with its file, line, column and reason; the output's
metadata counts them (``rejected_rows``, ``dropped["rejected: <reason>"]``), and
rows kept + rows rejected == data rows read.  The same file without ``--on-error skip`` fails
with exactly the same lines named, one line per problem.
"""

from __future__ import annotations

import csv
import re

import polars as pl
import pytest

from conftest import run_main
from clusterid.io.tables import read_metadata

MESSY = (
    "region,industry,year,employment\n"
    "A,31-33,2016,100\n"        # 2 ok, but duplicated on line 6
    "A,44-45,2016,50a\n"        # 3 not a number
    "B,31-33,2016,80\n"         # 4 ok
    "B,44-45,2016,-70\n"        # 5 negative
    "A,31-33,2016,101\n"        # 6 duplicate of line 2
    "C,31-3X,2016,5\n"          # 7 unknown NAICS code
    "C,44-45,2016Q7,5\n"        # 8 not a period
    "D,44-45,2016,9\n"          # 9 ok
    ",44-45,2016,3\n"           # 10 empty region
    "D,31-33,2016,4,4\n"        # 11 ragged
    "E,31-33,2016,(D)\n"        # 12 suppressed: kept, not rejected
)
BAD_LINES = {2, 3, 5, 6, 7, 8, 10, 11}
DATA_ROWS = 11


def run(argv, capsys):
    return run_main(argv, capsys)


@pytest.fixture
def messy(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text(MESSY)
    return path


def test_skip_sets_every_bad_row_aside_with_line_and_reason(messy, tmp_path, capsys):
    out = tmp_path / "out.parquet"
    code, _, err = run(["ingest", str(messy), "-o", str(out), "--on-error", "skip"], capsys)
    assert code == 0, err
    rejects = list(csv.DictReader(open(str(out) + ".rejects.csv", encoding="utf-8")))
    assert {int(r["line"]) for r in rejects} == BAD_LINES
    assert all(r["source"].endswith("messy.csv") and r["reason"] for r in rejects)
    by_line = {int(r["line"]): r for r in rejects}
    assert by_line[3]["column"] == "employment" and by_line[3]["found"] == "50a"
    assert by_line[7]["found"] == "31-3X"
    assert "fields" in by_line[11]["reason"]
    meta = read_metadata(str(out))
    assert meta["rejected_rows"] == len(BAD_LINES)
    assert meta["rows_read"] == DATA_ROWS
    assert meta["rows_kept"] + meta["rejected_rows"] == DATA_ROWS
    rejected_counts = {k: v for k, v in meta["dropped"].items() if k.startswith("rejected: ")}
    assert sum(rejected_counts.values()) >= len(BAD_LINES)
    assert meta["rejects_file"] == str(out) + ".rejects.csv"
    table = pl.read_parquet(out)
    assert table.height == meta["rows_kept"] == DATA_ROWS - len(BAD_LINES)
    assert sorted(table["region"].to_list()) == ["B", "D", "E"]
    assert f"{len(BAD_LINES)} rows rejected" in err


def test_fail_mode_names_the_same_lines_one_per_problem_and_writes_nothing(messy, tmp_path, capsys):
    out = tmp_path / "out.parquet"
    code, out_text, err = run(["ingest", str(messy), "-o", str(out)], capsys)
    assert code == 1
    assert out_text == ""
    assert list(tmp_path.iterdir()) == [messy]
    lines = err.strip().splitlines()
    assert all(line.startswith(f"clusterid: error: {messy}:") for line in lines), err
    named = {int(m.group(1)) for m in (re.match(rf"clusterid: error: {re.escape(str(messy))}:(\d+):", x)
                                       for x in lines) if m}
    # the ragged row is structural: found first, alone; everything else is reported together
    assert named == {11} or named == BAD_LINES


def test_fail_mode_reports_all_row_problems_together(tmp_path, capsys):
    src = tmp_path / "values.csv"
    src.write_text("region,industry,year,employment\nA,31-33,2016,1x\nB,31-33,2016,-5\n"
                   "C,31-33,2016,7\nD,31-3X,2016,1\n")
    code, _, err = run(["ingest", str(src), "-o", str(tmp_path / "o.parquet")], capsys)
    assert code == 1
    lines = err.strip().splitlines()
    assert [re.match(r"clusterid: error: .*values\.csv:(\d+):", x).group(1) for x in lines] == ["2", "3", "5"]
    assert "column 'employment': not a number (expected" in lines[0] and "found '1x'" in lines[0]


def test_every_row_rejected_is_an_error_not_an_empty_table(tmp_path, capsys):
    src = tmp_path / "allbad.csv"
    src.write_text("region,industry,year,employment\nA,31-33,2016,1x\nB,31-33,2016,-5\n")
    out = tmp_path / "out.parquet"
    code, _, err = run(["ingest", str(src), "-o", str(out), "--on-error", "skip"], capsys)
    assert code == 1
    assert "every data row was rejected" in err
    assert not out.exists()


def test_skip_to_stdout_still_counts_the_rejected_rows(messy, capsys):
    code, out, err = run(["ingest", str(messy), "-o", "-", "--on-error", "skip"], capsys)
    assert code == 0
    assert len(out.strip().splitlines()) == 1 + DATA_ROWS - len(BAD_LINES)
    assert f"{len(BAD_LINES)} rows rejected" in err and "--rejects" in err


def test_explicit_rejects_path(messy, tmp_path, capsys):
    rej = tmp_path / "bad" / "rows.csv"
    code, _, err = run(["ingest", str(messy), "-o", str(tmp_path / "o.csv"), "--on-error", "skip",
                        "--rejects", str(rej)], capsys)
    assert code == 0, err
    assert len(list(csv.DictReader(open(rej, encoding="utf-8")))) == len(BAD_LINES)
    assert read_metadata(str(tmp_path / "o.csv"))["rejects_file"] == str(rej)


def test_unknown_on_error_value_is_a_usage_error(messy, tmp_path, capsys):
    code, _, err = run(["ingest", str(messy), "-o", str(tmp_path / "o.parquet"), "--on-error", "ignore"], capsys)
    assert code == 2
    assert "--on-error 'ignore'" in err and "fail or skip" in err
