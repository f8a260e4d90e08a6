"""Two commands run in one process (tests, a program calling the CLI) each read their own
stdin: the buffer of the first one's stdin was kept for the process, so the second ingested
the first one's data again (or a buffer file its clean-up had removed)."""

from __future__ import annotations

import io
import sys

from conftest import csv_rows, run_main

FIRST = "region,industry,year,employment\nR1,11,2020,5\nR2,11,2020,7\n"
SECOND = "region,industry,year,employment\nR8,21,2021,3\nR9,21,2021,4\n"


def _ingest_stdin(text: str, tmp_path, capsys, monkeypatch, name: str):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    out = tmp_path / name
    code, _out, err = run_main(["ingest", "-", "-o", str(out)], capsys)
    assert code == 0, err
    return csv_rows(out.read_text(encoding="utf-8"))


def test_each_command_reads_its_own_stdin(tmp_path, capsys, monkeypatch):
    first = _ingest_stdin(FIRST, tmp_path, capsys, monkeypatch, "a.csv")
    second = _ingest_stdin(SECOND, tmp_path, capsys, monkeypatch, "b.csv")
    assert {r["region"] for r in first} == {"R1", "R2"}
    assert {r["region"] for r in second} == {"R8", "R9"}
    assert {r["period"] for r in second} == {"2021"}
