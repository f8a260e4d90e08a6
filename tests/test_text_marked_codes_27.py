"""Codes typed with a spreadsheet's text mark ('01001, '311, '2020: the apostrophe that keeps
Excel from dropping a leading zero, written into the file by some exports) are read as the
codes; a name that starts with an apostrophe ('s-Hertogenbosch) keeps it."""

from __future__ import annotations

from conftest import ingest_text


def test_apostrophe_before_codes_is_dropped(tmp_path, capsys):
    text = ("fips,naics,year,employment\n'01001,'311,'2020,5\n'01003,'311,'2020,7\n"
            "'01001,'31-33,'2020,9\n'01003,'31-33,'2020,8\n")
    code, err, rows = ingest_text(tmp_path, capsys, "apostrophes.csv", text)
    assert code == 0, err
    assert {r["region"] for r in rows} == {"01001", "01003"}
    assert {r["industry"] for r in rows} == {"311", "31-33"}
    assert {r["period"] for r in rows} == {"2020"}
    assert {r["classification"] for r in rows} == {"NAICS"}
    assert {r["region_level"] for r in rows} == {"county"}


def test_a_name_starting_with_an_apostrophe_keeps_it(tmp_path, capsys):
    text = ("gemeente,sbi,jaar,werkzame personen\n's-Hertogenbosch,C,2020,5\nUtrecht,C,2020,7\n"
            "'s-Hertogenbosch,F,2020,3\nUtrecht,F,2020,4\n")
    code, err, rows = ingest_text(tmp_path, capsys, "names.csv", text)
    assert code == 0, err
    assert "'s-Hertogenbosch" in {r["region"] for r in rows} | {r["region_name"] for r in rows}
