"""Columns of an input that no reader used are said on stderr, not only kept in the metadata.

A column of figures under a heading the generic reader does not recognise (a comment column,
a second measure spelt oddly, a heading whose spreadsheet formula failed: ``#REF!``) was left
out of the canonical table with exit 0 and nothing printed; the metadata's ``ignored_columns``
was the only trace.
"""

from __future__ import annotations

import json

from conftest import run_main


def _ingest(tmp_path, text, capsys):
    src = tmp_path / "in.csv"
    src.write_text(text)
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    return code, err, out


def test_an_unused_column_is_named(tmp_path, capsys):
    code, err, out = _ingest(tmp_path, "region,industry,year,employment,notes\n"
                                       "R1,11,2016,5,a\nR2,11,2016,6,b\n", capsys)
    assert code == 0, err
    assert "ingest: column not read: 'notes'" in err
    meta = json.loads((tmp_path / "out.csv.meta.json").read_text())
    assert [f["ignored_columns"] for f in meta["readers"].values()] == [["notes"]]


def test_a_table_whose_columns_are_all_read_says_nothing_more(tmp_path, capsys):
    code, err, _ = _ingest(tmp_path, "region,industry,year,employment\nR1,11,2016,5\n", capsys)
    assert code == 0, err
    assert "not read" not in err


def test_a_heading_that_is_a_spreadsheet_error_is_a_warning(tmp_path, capsys):
    code, err, _ = _ingest(tmp_path, "region,industry,year,employment,#REF!\n"
                                     "R1,11,2016,5,7\nR2,11,2016,6,8\n", capsys)
    assert code == 0, err
    assert "warning:" in err and "spreadsheet error value ('#REF!') not read" in err
    assert "column not read" not in err  # said once, by the warning


def test_an_sdmx_freq_column_is_read_not_named_unread(tmp_path, capsys):
    """FREQ says what the dates stand for (Q: 2016-04-01 is 2016Q2), so it was read; stderr
    called it 'not read' beside DATAFLOW.  Layout: tests/data/unseen9/sdmx_quarterly_first_day.csv."""
    code, err, out = _ingest(tmp_path, "DATAFLOW,FREQ,REF_AREA,NACE_R2,TIME_PERIOD,OBS_VALUE\n"
                                       "XX:DF(1.0),Q,AT11,C,2016-01-01,21\n"
                                       "XX:DF(1.0),Q,AT11,C,2016-04-01,22\n", capsys)
    assert code == 0, err
    assert "2016Q2" in out.read_text()
    assert "ingest: column not read: 'DATAFLOW'" in err
    meta = json.loads((tmp_path / "out.csv.meta.json").read_text())
    assert [f["ignored_columns"] for f in meta["readers"].values()] == [["DATAFLOW"]]
