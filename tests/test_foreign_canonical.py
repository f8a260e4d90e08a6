"""Canonical-looking tables clusterid did not write (no metadata) are checked when opened.

A Parquet file written by pandas/polars or a hand-made CSV with the canonical columns has not
been through ingest's validation: empty keys, duplicate keys and negative, infinite or
astronomically large values are located problems (exit 1), not numbers a stage computes with.
"""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import polars as pl
import pytest

from conftest import run_main

ROWS = {"period": ["2016", "2016", "2016"], "region": ["A", "B", "C"],
        "ownership": ["total"] * 3, "industry": ["11", "11", "11"], "level": [2, 2, 2],
        "employment": [1.0, 2.0, 3.0]}


def _lq(path, tmp_path, capsys):
    """``clusterid lq PATH -o tmp_path/lq.parquet`` in-process (conftest.run_main: the real
    entry point, its exit code and stderr); the one test of stdin runs a process of its own."""
    out = tmp_path / "lq.parquet"
    code, stdout, stderr = run_main(["lq", str(path), "-o", str(out)], capsys)
    return SimpleNamespace(returncode=code, stdout=stdout, stderr=stderr), out


@pytest.mark.parametrize("change, message, line", [
    ({"region": ["A", "A", "C"]}, "duplicate row for the same key", 2),
    ({"region": ["A", None, "C"]}, "a key cell is empty", 3),
    ({"employment": [1.0, -2.0, 3.0]}, "negative value", 3),
    ({"employment": [1.0, float("inf"), 3.0]}, "not a plausible number", 3),
    ({"employment": [1.0, 2.0, 1e24]}, "not a plausible number", 4),
])
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_foreign_table_problems_are_located(tmp_path, capsys, change, message, line, fmt):
    df = pl.DataFrame({**ROWS, **change})
    path = tmp_path / f"foreign.{fmt}"
    df.write_parquet(path) if fmt == "parquet" else df.write_csv(path)
    res, out = _lq(path, tmp_path, capsys)
    assert res.returncode == 1, res.stderr
    assert message in res.stderr and "Traceback" not in res.stderr
    assert str(path) in res.stderr
    if fmt == "csv":  # the physical line of the first bad row (the header is line 1)
        assert f"{path}:{line}:" in res.stderr
    else:
        assert f"row {line - 1}" in res.stderr
    assert not out.exists()


def test_clean_foreign_table_is_read(tmp_path, capsys):
    path = tmp_path / "foreign.parquet"
    pl.DataFrame(ROWS).write_parquet(path)
    res, out = _lq(path, tmp_path, capsys)
    assert res.returncode == 0, res.stderr
    assert pl.read_parquet(out).height == 3


def test_stdin_is_named_stdin(tmp_path):
    text = "period,region,ownership,industry,level,employment\n2016,A,total,11,2,1\n" \
           "2016,A,total,11,2,2\n"
    res = subprocess.run([sys.executable, "-m", "clusterid", "lq", "-", "-o", "-"], input=text,
                         capture_output=True, text=True)
    assert res.returncode == 1
    assert "<stdin>:3: duplicate row for the same key" in res.stderr


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
@pytest.mark.parametrize("region, message", [
    (["A", "A ", "C"], "duplicate row for the same key"),  # the same key once stripped
    (["A", "  ", "C"], "a key cell is empty"),            # blanks only: empty
])
def test_keys_are_checked_as_stripped(tmp_path, capsys, fmt, region, message):
    """The check first looks for blanks around text cells in the same pass; where it meets one,
    the table is stripped and checked again, so a key that differs only by blanks is the same
    key, and a cell of blanks an empty one."""
    path = tmp_path / f"foreign.{fmt}"
    df = pl.DataFrame({**ROWS, "region": region})
    df.write_parquet(path) if fmt == "parquet" else df.write_csv(path)
    res, out = _lq(path, tmp_path, capsys)
    assert res.returncode == 1, res.stderr
    assert message in res.stderr and not out.exists()


def test_a_clean_foreign_table_is_read_as_it_is(tmp_path, capsys):
    path = tmp_path / "foreign.csv"
    pl.DataFrame(ROWS).write_csv(path)
    res, out = _lq(path, tmp_path, capsys)
    assert res.returncode == 0, res.stderr
    assert sorted(pl.read_parquet(out).get_column("region").to_list()) == ["A", "B", "C"]


# a foreign CSV small enough is parsed once and checked in memory (io.tables.HELD_CSV_BYTES),
# a larger one in streaming passes over the file: both must find the same problems
_HELD_CASES = [
    # sorted, the duplicate beside its twin (the ascending-order shortcut must not hide it)
    ("2016,A,total,11,2,1\n2016,A,total,11,2,2\n2016,B,total,11,2,3\n",
     "duplicate row for the same key", 2),
    # unsorted: the duplicate three rows apart
    ("2016,B,total,11,2,1\n2016,A,total,11,2,2\n2016,C,total,11,2,3\n2016,B,total,11,2,4\n",
     "duplicate row for the same key", 2),
    ("2016,A,total,11,2,1\n2016Q5,B,total,11,2,2\n", "not a period", 3),
    ("2016,A,total,11,2,1\n2016,B,total,1\x0b1,2,2\n", "control character", 3),
    ("2016,A,total,11,2,1\n2016,B,total,11,2,-2\n", "negative value", 3),
    ("2016,A,total,11,2,1,reported\n2016,B,total,11,2,2,guessed\n", "not a status", 3),
    # a row longer than the header fails polars' parse; one cut short is read with empty cells
    ("2016,A,total,11,2,1\n2016,B,total,11,2,2,9\n", "row has 7 fields", 3),
    ("2016,A,total,11,2,1\n2016,B,total,11\n2016,C,total,11,2,3\n", "row has 4 fields", 3),
]


@pytest.mark.parametrize("body, message, line", _HELD_CASES)
@pytest.mark.parametrize("held", [True, False])
def test_held_and_streamed_checks_agree(tmp_path, monkeypatch, body, message, line, held):
    from clusterid.errors import DataError
    from clusterid.io import tables

    header = "period,region,ownership,industry,level,employment"
    if body.split("\n")[0].count(",") == 6:
        header += ",employment_status"
    path = tmp_path / "foreign.csv"
    path.write_text(header + "\n" + body)
    if not held:
        monkeypatch.setattr(tables, "HELD_CSV_BYTES", 0)
    with pytest.raises(DataError) as err:
        lf, _meta = tables.scan_canonical(str(path))
        lf.collect()
    first = err.value.problems[0]
    assert message in first.message and first.line == line, err.value.problems


def test_held_blank_cells_are_stripped_as_streamed(tmp_path, monkeypatch):
    from clusterid.io import tables

    path = tmp_path / "foreign.csv"
    path.write_text("period,region,ownership,industry,level,employment\n"
                    "2016,A ,total,11,2,1\n2016,B,total, 11,2,2\n")
    frames = []
    for limit in (tables.HELD_CSV_BYTES, 0):
        monkeypatch.setattr(tables, "HELD_CSV_BYTES", limit)
        frames.append(tables.scan_canonical(str(path))[0].collect())
    assert frames[0].equals(frames[1])
    assert frames[0]["region"].to_list() == ["A", "B"]
    assert frames[0]["industry"].to_list() == ["11", "11"]
