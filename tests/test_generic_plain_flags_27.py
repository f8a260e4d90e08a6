"""A measure column of plain digits skips the flag patterns (session 27, for speed): its cells
have no flags, while a column beside it with figures in brackets, stars, Statistics Canada's
'0s', footnote marks and markers keeps every flag."""

from __future__ import annotations

from conftest import ingest_text

TEXT = ("region,industry,year,employment,wages\n"
        "R1,11,2020,5,12\nR1,21,2020,7,(5)\nR2,11,2020,3,*3\n"
        "R2,21,2020,9,0s\nR3,11,2020,4,7\u00b9\nR3,21,2020,2,x\n")


def test_plain_column_has_no_flags_and_its_neighbour_keeps_them(tmp_path, capsys):
    code, err, rows = ingest_text(tmp_path, capsys, "flags.csv", TEXT)
    assert code == 0, err
    assert [r["employment"] for r in rows] == ["5.0", "7.0", "3.0", "9.0", "4.0", "2.0"]
    assert [r["employment_flag"] for r in rows] == [""] * 6
    assert [r["employment_status"] for r in rows] == ["reported"] * 6
    assert [r["wages_flag"] for r in rows] == ["", "()", "*", "0s", "\u00b9", "x"]
    assert [r["wages"] for r in rows] == ["12.0", "5.0", "3.0", "0.0", "7.0", ""]
    assert [r["wages_status"] for r in rows][-1] == "suppressed"
