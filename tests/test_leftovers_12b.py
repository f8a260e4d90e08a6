"""Leftovers of crash hunt 12: problems found and left by it, each pinned by a test that failed
before its fix.  The small tables are written here in clusterid's canonical layout
(``clusterid ingest`` writes them)."""

from __future__ import annotations

from conftest import run_main


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
    assert len(dup) == 2, err
    assert dup[0].startswith(f"clusterid: error: {a}:4: duplicate row"), err
    assert dup[1].startswith(f"clusterid: error: {b}:2: duplicate row"), err
    assert dup[1].endswith(f"first seen at {a}:4"), err


def test_csv_record_lines_follow_quoted_line_breaks(tmp_path):
    # a region named on two lines in a quoted cell: the rows after it start a line later
    from clusterid.io.ingest import _csv_record_lines

    p = tmp_path / "t.csv"
    p.write_text('period,region,region_name\n2016,A,"Davis\nCounty"\n2016,B,x\n\n2016,C,y\n',
                 encoding="utf-8")
    assert _csv_record_lines(str(p), 4).to_list() == [2, 4, 5, 6]
    p.write_text("period,region\n2016,A\n2016,B", encoding="utf-8")
    assert _csv_record_lines(str(p), 2).to_list() == [2, 3]
