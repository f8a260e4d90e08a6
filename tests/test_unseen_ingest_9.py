"""ingest on inputs the project was not tuned on (session 9): quarterly and annual data dated
by the period's first day, two-level region headings of a yearbook sheet, canonical tables a
spreadsheet re-saved without their codes' leading zeros, and the rejects file of a failed run.
Expected values are written out by hand from the files in tests/data/unseen9."""

from __future__ import annotations

import csv
import os

import pytest

from conftest import TEST_DATA, run_main

DATA = TEST_DATA / "unseen9"
BAD_NUMBER = TEST_DATA / "generic" / "bad_number.csv"  # lines 3 and 4 hold '12a' and 'b7'


# ------------------------------------------------------------- rejects: both files or neither

def test_failed_output_write_restores_the_earlier_rejects(tmp_path, capsys):
    """The rejects were written during the ingest, before the output: an output that could not
    be written (its folder is a file) left the new rejects in place of the earlier run's,
    beside the earlier run's output -- two rejected rows that belong to no table.  Now the
    earlier rejects are back, byte for byte, and the error is the one line it was."""
    src = tmp_path / "bad_number.csv"
    src.write_bytes(BAD_NUMBER.read_bytes())
    rej = tmp_path / "rej.csv"
    rej.write_text("source,line,column,reason,found\nearlier.csv,9,employment,x,y\n")
    before = rej.read_bytes()
    (tmp_path / "blocker").write_text("x")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "blocker" / "out.csv"),
                                "--on-error", "skip", "--rejects", str(rej)], capsys)
    assert code == 2 and "cannot write output" in err, err
    assert rej.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad_number.csv", "blocker", "rej.csv"]


def test_failed_output_write_leaves_no_new_rejects(tmp_path, capsys):
    src = tmp_path / "bad_number.csv"
    src.write_bytes(BAD_NUMBER.read_bytes())
    (tmp_path / "blocker").write_text("x")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "blocker" / "out.csv"),
                                "--on-error", "skip", "--rejects", str(tmp_path / "rej.csv")], capsys)
    assert code == 2, err
    assert not (tmp_path / "rej.csv").exists()


def test_successful_run_replaces_the_earlier_rejects(tmp_path, capsys):
    src = tmp_path / "bad_number.csv"
    src.write_bytes(BAD_NUMBER.read_bytes())
    rej = tmp_path / "rej.csv"
    rej.write_text("source,line,column,reason,found\nearlier.csv,9,employment,x,y\n")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "out.csv"),
                                "--on-error", "skip", "--rejects", str(rej)], capsys)
    assert code == 0, err
    assert [r["line"] for r in csv.DictReader(rej.open())] == ["3", "4"]
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_clean_run_leaves_no_earlier_rejects_beside_its_output(tmp_path, capsys):
    """A run that rejects nothing wrote no rejects file and recorded rejects_file null, but an
    earlier run's rejects at the same path stayed beside the new output, to be taken for its."""
    src = tmp_path / "good.csv"
    src.write_text("region,industry,year,employment\nAlpha,C,2016,120\nAlpha,F,2016,20\n")
    rej = tmp_path / "out.csv.rejects.csv"
    rej.write_text("source,line,column,reason,found\nearlier.csv,9,employment,x,y\n")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "out.csv"),
                                "--on-error", "skip"], capsys)
    assert code == 0, err
    assert not rej.exists()
