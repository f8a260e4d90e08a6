"""Gaps the previous session left in the readers (session 32): each test names the layout its
small file follows (tests/data/left32/README.md) and what clusterid did wrongly before."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT, TEST_DATA, csv_rows, run_main

DATA = TEST_DATA / "left32"


def _read(capsys, src, *options: str):
    code, out, err = run_main(["ingest", str(src), "-o", "-", *options], capsys)
    return code, (csv_rows(out) if code == 0 else []), err


def _cells(rows, measure: str = "employment"):
    return {(r["period"], r["region"], r["industry"]): (r[measure], r[f"{measure}_status"]) for r in rows}


# ---- 6. tests independent of the folder pytest is started from

def test_these_tests_name_their_files_from_the_repository_not_the_working_folder():
    """tests/test_crash_hunt_9.py and tests/test_csv_floats.py opened `tests/data/...` and
    `data/samples/...` relative to the working folder: started from another folder (an IDE, `cd
    tests && pytest`) they failed with "no such file".  They name them from the repository now
    (conftest's ROOT / TEST_DATA); no string in them is such a relative path."""
    for name in ("test_crash_hunt_9.py", "test_csv_floats.py"):
        tree = ast.parse((ROOT / "tests" / name).read_text(encoding="utf-8"))
        relative = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    and n.value.startswith(("tests/", "data/", "./tests", "./data"))]
        assert relative == [], (name, relative)


# ---- 2. rows hidden in xls, xlsb and ods sheets: said as for xlsx

import pytest  # noqa: E402


@pytest.mark.parametrize("fmt", ["xls", "xlsb", "ods"])
def test_rows_hidden_in_xls_xlsb_ods_are_said_with_their_lines(capsys, fmt):
    """stat.gov.kz's table (tests/data/spreadsheets/kz_oblast_oked_2022.*) with sheet rows 10
    and 15 hidden in each format's own row flags (xls ROW and xlsb BrtRowHdr fDyZero, ods
    table:visibility="collapse").  Rows hidden in an xlsx were read and said with their lines;
    in these formats (read by python-calamine, which gives no row's visibility) they were read
    without a word.  Now the same warning, and the same table as the file without hidden rows."""
    code, rows, err = _read(capsys, DATA / f"kz_oblast_oked_2022_hidden.{fmt}")
    assert code == 0, err
    assert "2 row(s) hidden in the sheet were read as the others (line(s) 10, 15)" in err
    code, plain, err = _read(capsys, TEST_DATA / "spreadsheets" / f"kz_oblast_oked_2022.{fmt}")
    assert code == 0 and "hidden" not in err
    assert rows == plain
