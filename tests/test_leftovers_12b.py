"""Leftovers of crash hunt 12: problems found and left by it, each pinned by a test that failed
before its fix.  The small tables are written here in clusterid's canonical layout
(``clusterid ingest`` writes them)."""

from __future__ import annotations

import pytest

from conftest import csv_rows, run_main


def _raw(path, rows):
    """A canonical-looking CSV of (period, region, ownership, industry, level, employment)."""
    head = "period,region,ownership,industry,level,employment,employment_status\n"
    path.write_text(head + "".join(f"{p},{r},{o},{i},{lv},{e},reported\n"
                                   for p, r, o, i, lv, e in rows), encoding="utf-8")
    return path


def _ingested(tmp_path, capsys, name, rows):
    out = tmp_path / f"{name}.csv"
    code, _, err = run_main(["ingest", str(_raw(tmp_path / f"{name}_raw.csv", rows)), "-o",
                             str(out)], capsys)
    assert code == 0, err
    return out


def test_key_in_two_canonical_tables_is_located_in_each(tmp_path, capsys):
    # `lq a.csv b.csv` (both written by ingest, sharing 2016) said "a.csv: duplicate row ..." and
    # "b.csv: duplicate row ..." with no line: each copy is now named by file and line
    a = _ingested(tmp_path, capsys, "a", [("2016", "A", "total", "10", 0, 100),
                                          ("2016", "A", "total", "11", 2, 40),
                                          ("2016", "A", "total", "21", 2, 60),
                                          ("2016", "B", "total", "10", 0, 300)])
    b = _ingested(tmp_path, capsys, "b", [("2016", "C", "total", "10", 0, 100),
                                          ("2016", "A", "total", "21", 2, 60)])
    code, out, err = run_main(["lq", str(a), str(b), "-o", "-"], capsys)
    assert code == 1 and out == ""
    dup = [ln for ln in err.splitlines() if "duplicate row" in ln]
    # one line for the key (session 31: each copy was a line of its own), naming both
    assert len(dup) == 1, err
    assert dup[0].startswith(f"clusterid: error: {b}:2: duplicate row"), err
    assert dup[0].endswith(f"first seen at {a}:4"), err


def test_csv_record_lines_follow_quoted_line_breaks(tmp_path):
    # a region named on two lines in a quoted cell: the rows after it start a line later; the
    # blank line is no row (scan_canonical reads three rows), C is on line 6 (the blank line,
    # 5, was taken for C's row)
    from clusterid.io.ingest import _csv_record_lines

    p = tmp_path / "t.csv"
    p.write_text('period,region,region_name\n2016,A,"Davis\nCounty"\n2016,B,x\n\n2016,C,y\n',
                 encoding="utf-8")
    assert _csv_record_lines(str(p), 3).to_list() == [2, 4, 6]
    p.write_text("period,region\n2016,A\n2016,B", encoding="utf-8")
    assert _csv_record_lines(str(p), 2).to_list() == [2, 3]


_REGIONS = [(p, r, "total", i, 2, e) for p, vals in
            (("2008", {"DE": (100, 200), "DE1": (40, 50), "DE2": (60, 150)}),
             ("2014", {"DE": (120, 210), "DE1": (50, 55), "DE2": (70, 155)}))
            for r, (a, b) in vals.items() for i, e in (("11", a), ("21", b))]
_COMMANDS = [["lq"], ["indices"], ["shift-share", "--from", "2008", "--to", "2014"]]


@pytest.mark.parametrize("command", _COMMANDS)
def test_benchmark_region_matches_ignoring_case(command, tmp_path, capsys):
    # `-b region:de` for the table's DE was "not in the input", though --ownership Private and
    # --period 2016q1 match the table's spelling ignoring case
    src = _raw(tmp_path / "r.csv", _REGIONS)
    code, exact, err = run_main([*command, str(src), "-b", "region:DE", "-o", "-"], capsys)
    assert code == 0, err
    code, folded, err = run_main([*command, str(src), "-b", "region:de", "-o", "-"], capsys)
    assert code == 0, err
    assert folded == exact and "DE1" in exact
    code, out, err = run_main([*command, str(src), "-b", "region:dx", "-o", "-"], capsys)
    assert code == 2 and out == "" and "DE, DE1, DE2" in err, err


@pytest.mark.parametrize("command", _COMMANDS)
def test_benchmark_region_equal_to_two_ignoring_case_is_refused(command, tmp_path, capsys):
    rows = [(p, "de" if r == "DE2" else r, o, i, lv, e) for p, r, o, i, lv, e in _REGIONS]
    src = _raw(tmp_path / "r.csv", rows)
    code, out, err = run_main([*command, str(src), "-b", "region:De", "-o", "-"], capsys)
    assert code == 2 and out == "", err
    assert "--benchmark region:De: matches regions 'DE', 'de' ignoring case" in err, err
    code, out, err = run_main([*command, str(src), "-b", "region:de", "-o", "-"], capsys)
    assert code == 0, err  # the exact spelling is no guess
    if command[0] == "lq":  # the benchmark's own rows are left out: de's, not DE's
        assert {r["region"] for r in csv_rows(out)} == {"DE", "DE1"}


@pytest.mark.parametrize("by", ["industry", "pair"])
def test_group_level_is_refused_where_nothing_is_grouped(by, tmp_path, capsys):
    # `indices --by industry --group-level 1` ran as if the option had not been given
    src = _raw(tmp_path / "r.csv", _REGIONS)
    code, out, err = run_main(["indices", str(src), "--by", by, "--group-level", "1", "-o", "-"],
                              capsys)
    assert code == 2 and out == "", err
    assert "--group-level 1 applies to --by region" in err and f"--by {by}" in err, err
    code, out, err = run_main(["indices", str(src), "--by", by, "-o", "-"], capsys)
    assert code == 0 and out, err
