"""Crash hunt 11: ``clusterid impute`` and ``--suppressed bounds|impute`` of ``lq`` and
``detect`` on files a regional statistician would have (QCEW by-area and statewide files
mixed, CBP excerpts, generic tables with suppression markers, German tables), each problem
pinned by a test that failed before its fix."""

from __future__ import annotations

import re

from conftest import TEST_DATA, csv_rows, run_main

UTAH_Q1 = TEST_DATA / "impute" / "qcew_utah_2016q1_slice.csv"  # BLS QCEW 2016 Q1, Utah slice


def _canonical_csv(path, rows):
    """A small canonical CSV: rows of (period, region, ownership, industry, level, employment,
    status, establishments)."""
    head = ("period,region,ownership,industry,region_level,classification,level,employment,"
            "employment_status,establishments\n")
    body = "".join(f"{p},{r},{o},{i},county,NAICS,{lv},{'' if e is None else e},{s},{est}\n"
                   for p, r, o, i, lv, e, s, est in rows)
    path.write_text(head + body, encoding="utf-8")
    return path


def test_a_duplicate_key_names_its_whole_key(tmp_path, capsys):
    # Utah's statewide file from the 2016 by-area distribution given with the statewide Q1
    # file of every state (../shared/data) repeats 49000's Q1 rows; the message cut the key at
    # 60 characters: "found 'period=2016Q1, region=49000, ownership=private, industry=...'",
    # so the industry of the 4,000 duplicates was never named.  Here: the committed Utah Q1
    # slice given twice, as the by-area file and as a copy of it
    copy = tmp_path / "statewide_copy.csv"
    copy.write_bytes(UTAH_Q1.read_bytes())
    code, _, err = run_main(["impute", str(UTAH_Q1), str(copy), "-o", str(tmp_path / "o.csv")],
                            capsys)
    assert code == 1, err
    lines = [x for x in err.splitlines() if "duplicate row" in x]
    assert len(lines) == 20, err  # the first 20 of 219, then a count
    assert all(re.search(r"ownership=\w+, industry=[0-9-]+'\)", x) for x in lines), lines
    assert any("ownership=private, industry=21111'" in x for x in lines), lines


def test_a_duplicate_key_of_a_canonical_table_names_its_whole_key(tmp_path, capsys):
    src = _canonical_csv(tmp_path / "dup.csv", [
        ("2016Q1", "49000", "private", "10", 0, 100, "reported", 5),
        ("2016Q1", "49000", "private", "311119", 6, 25, "reported", 1),
        ("2016Q1", "49000", "private", "311119", 6, 25, "reported", 1),
    ])
    code, _, err = run_main(["impute", str(src), "-o", str(tmp_path / "out.csv")], capsys)
    assert code == 1, err
    line = next(x for x in err.splitlines() if f"{src}:4:" in x)
    assert "duplicate row" in line and "industry=311119'" in line, line
