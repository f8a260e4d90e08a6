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
