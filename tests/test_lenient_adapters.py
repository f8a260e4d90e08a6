"""Lenient mode inside the agency adapters (QCEW, CBP, Eurostat), through the same mechanism as
the generic reader: a bad cell or ragged row is a located problem; ``--on-error fail`` (default)
stops naming each one on its own line, ``--on-error skip`` sets its rows aside into the rejects
file with reason and line and counts them in the output's metadata.

The malformed corpus (tests/malformed, manifest column ``skip_lines``) holds, per adapter, files
with one kind of bad cell or row among good ones and files with several kinds together.
"""

from __future__ import annotations

import csv
import re
import shutil
import shlex
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from conftest import run_main
from clusterid.io.tables import read_metadata

CORPUS = Path(__file__).resolve().parent / "malformed"
MANIFEST = list(csv.DictReader(open(CORPUS / "manifest.csv", encoding="utf-8")))
LENIENT = [r for r in MANIFEST if r.get("skip_lines")]


def run(argv, capsys):
    return run_main(argv, capsys)


def rejects_of(path: Path) -> list[dict]:
    return list(csv.DictReader(open(path, encoding="utf-8")))


def test_every_adapter_has_lenient_corpus_files():
    names = [r["file"] for r in LENIENT]
    for prefix in ("qcew_", "cbp16co_", "eurostat_"):
        assert sum(n.startswith(prefix) for n in names) >= 4, prefix
        assert any(n.startswith(prefix) and "several" in n for n in names), prefix


@pytest.mark.parametrize("row", LENIENT, ids=[r["file"] for r in LENIENT])
def test_skip_sets_the_bad_lines_aside_and_counts_them(row, tmp_path, capsys):
    src = CORPUS / row["file"]
    out = tmp_path / "out.csv"
    code, _, err = run(["ingest", str(src), "-o", str(out), "--on-error", "skip",
                        *shlex.split(row["args"])], capsys)
    assert code == 0, err
    want = {int(x) for x in row["skip_lines"].split()}
    rejects = rejects_of(Path(str(out) + ".rejects.csv"))
    assert {int(r["line"]) for r in rejects} == want
    assert all(r["source"] == str(src) and r["reason"] for r in rejects)
    meta = read_metadata(str(out))
    assert meta["rejects_file"] == str(out) + ".rejects.csv"
    assert meta["rejected_rows"] >= len(want)
    rejected = {k: v for k, v in meta["dropped"].items() if k.startswith("rejected: ")}
    other = sum(v for k, v in meta["dropped"].items() if not k.startswith("rejected: "))
    assert sum(rejected.values()) >= len(want)
    # nothing disappears unreported: every row read is kept, dropped for a stated reason or rejected
    assert meta["rows_kept"] + meta["rejected_rows"] + other == meta["rows_read"]
    assert pl.read_csv(out, infer_schema_length=0).height == meta["rows_kept"] > 0
    assert f"{meta['rejected_rows']} rows rejected" in err


@pytest.mark.parametrize("row", LENIENT, ids=[r["file"] for r in LENIENT])
def test_fail_names_the_bad_lines_one_per_line_and_writes_nothing(row, tmp_path, capsys):
    src = CORPUS / row["file"]
    code, out, err = run(["ingest", str(src), "-o", str(tmp_path / "out.csv"),
                          *shlex.split(row["args"])], capsys)
    assert code == 1, err
    assert out == "" and list(tmp_path.iterdir()) == []
    lines = err.strip().splitlines()
    named = set()
    for line in lines:
        m = re.match(rf"clusterid: error: {re.escape(str(src))}:(\d+): (column '[^']+': )?\S.*"
                     r"\(expected .*(found '.*')?\)", line)
        assert m, line
        named.add(int(m.group(1)))
    want = {int(x) for x in row["skip_lines"].split()}
    # every named line is a bad one; the strict QCEW reader stops at the first broken row shape
    assert named and named <= want
    if not row["file"].startswith("qcew_"):
        assert named == want


def test_several_bad_cells_get_their_own_reasons(tmp_path, capsys):
    out = tmp_path / "out.csv"
    src = CORPUS / "cbp16co_several_bad_cells.txt"
    code, _, err = run(["ingest", str(src), "-o", str(out), "--on-error", "skip"], capsys)
    assert code == 0, err
    by_line = {int(r["line"]): r for r in rejects_of(Path(str(out) + ".rejects.csv"))}
    assert by_line[2]["column"] == "emp" and by_line[2]["found"] == "1e300"
    assert "plausible" in by_line[2]["reason"]
    assert by_line[3]["column"] == "emp_nf" and "unknown flag" in by_line[3]["reason"]
    assert by_line[4]["column"] == "" and "12 fields" in by_line[4]["reason"]
    assert by_line[6]["column"] == "est" and by_line[6]["found"] == "x"
    kept = pl.read_csv(out, infer_schema_length=0)
    assert sorted(kept["region"].to_list()) == ["49003", "49005"]  # lines 5 and 7


def test_qcew_annual_average_with_a_bad_quarter_row_sets_that_year_aside(tmp_path, capsys):
    head = ("area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,"
            "qtrly_estabs_count,month1_emplvl,month2_emplvl,month3_emplvl,total_qtrly_wages\n")
    rows = []
    for q in "1234":
        rows.append(f"49001,5,10,71,0,2016,{q},,100,5,6,7,1000")
        rows.append(f"49003,5,10,71,0,2016,{q},,90,{'4x' if q == '2' else '4'},5,6,900")
    src = tmp_path / "q.csv"
    src.write_text(head + "\n".join(rows) + "\n")
    out = tmp_path / "out.csv"
    code, _, err = run(["ingest", str(src), "-o", str(out), "--on-error", "skip", "--month", "annual"],
                       capsys)
    assert code == 0, err
    (reject,) = rejects_of(Path(str(out) + ".rejects.csv"))
    assert (reject["line"], reject["column"], reject["found"]) == ("5", "month1_emplvl", "4x")
    kept = pl.read_csv(out, infer_schema_length=0)
    # 49003's annual average would be wrong without its second quarter: not written at all
    assert kept["region"].to_list() == ["49001"] and kept["employment"].to_list() == ["6.0"]
    assert read_metadata(str(out))["rejected_rows"] == 1


def test_bad_rows_in_two_files_are_told_apart_by_source(tmp_path, capsys):
    a = tmp_path / "cbp16co.txt"
    b = tmp_path / "cbp15co.txt"
    shutil.copy(CORPUS / "cbp16co_text_in_emp.txt", a)
    shutil.copy(CORPUS / "cbp16co_short_row.txt", b)
    out = tmp_path / "out.csv"
    code, _, err = run(["ingest", str(a), str(b), "-o", str(out), "--on-error", "skip"], capsys)
    assert code == 0, err
    got = {(Path(r["source"]).name, int(r["line"])) for r in rejects_of(Path(str(out) + ".rejects.csv"))}
    assert got == {("cbp16co.txt", 3), ("cbp15co.txt", 4)}
    kept = pl.read_csv(out, infer_schema_length=0)
    assert kept.height == 6 and sorted(set(kept["period"].to_list())) == ["2015", "2016"]


def test_stdin_rejects_name_stdin(tmp_path):
    data = (CORPUS / "eurostat_text_cell.tsv").read_bytes()
    out = tmp_path / "out.csv"
    res = subprocess.run([sys.executable, "-m", "clusterid", "ingest", "-", "-o", str(out),
                          "--on-error", "skip"], input=data, capture_output=True)
    assert res.returncode == 0, res.stderr.decode()
    (reject,) = rejects_of(Path(str(out) + ".rejects.csv"))
    assert (reject["source"], reject["line"], reject["found"]) == ("<stdin>", "3", "n/a")


QCEW_HEAD = ("area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,area_title,"
             "qtrly_estabs_count,month1_emplvl,month2_emplvl,month3_emplvl,total_qtrly_wages\n")


def test_qcew_title_spanning_lines_is_read_whole_in_skip_mode(tmp_path, capsys):
    # a quoted title with a line break: records and lines differ, so rows are not located by
    # line; a clean file is still read completely
    src = tmp_path / "q.csv"
    src.write_text(QCEW_HEAD + '49001,5,10,71,0,2016,1,,"Beaver County,\nUtah",100,5,6,7,1000\n'
                   "49003,5,10,71,0,2016,1,,Box Elder,90,4,5,6,900\n")
    out = tmp_path / "out.csv"
    code, _, err = run(["ingest", str(src), "-o", str(out), "--on-error", "skip"], capsys)
    assert code == 0, err
    kept = pl.read_csv(out, infer_schema_length=0)
    assert kept["region"].to_list() == ["49001", "49003"]
    assert kept["region_name"].to_list()[0] == "Beaver County,\nUtah"


def test_qcew_title_spanning_lines_with_a_bad_cell_fails_naming_it(tmp_path, capsys):
    src = tmp_path / "q.csv"
    src.write_text(QCEW_HEAD + '49001,5,10,71,0,2016,1,,"Beaver County,\nUtah",100,5,6,7,1000\n'
                   "49003,5,10,71,0,2016,1,,Box Elder,90,4x,5,6,900\n")
    code, _, err = run(["ingest", str(src), "-o", str(tmp_path / "out.csv"), "--on-error", "skip"], capsys)
    assert code == 1
    assert "4x" in err and "q.csv:4" in err  # the physical line, after the title's line break
    assert list(tmp_path.iterdir()) == [src]
