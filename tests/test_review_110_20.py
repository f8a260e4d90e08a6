"""Review of session 20's reader, CLI and canonical-table fixes (helper 110): regressions
they introduced.

Inputs are the repository's own files: ``tests/data/generic/de_laender_latin1.csv`` (a
Länder table by WZ section as a German office's Excel export saves it).
"""

from __future__ import annotations

from conftest import TEST_DATA, run_main

LAENDER = TEST_DATA / "generic" / "de_laender_latin1.csv"


def test_an_option_value_spelt_like_a_global_flag_stays_the_options(tmp_path, capsys, monkeypatch):
    """b407e63 moved -q/--quiet/--debug given after the command in front of it, the value of
    an option too: ``clusterid lq X -o -q`` (click takes the word after -o as its value, a
    file named -q, as before b407e63) failed with "Option '-o' requires an argument", exit 2.
    A value is now left to its option; a flag after it is still clusterid's own."""
    monkeypatch.chdir(tmp_path)
    code, _out, err = run_main(["lq", str(LAENDER), "-o", "-q"], capsys)
    assert code == 0 and (tmp_path / "-q").is_file(), err
    (tmp_path / "-q").unlink()
    code, _out, err = run_main(["lq", str(LAENDER), "-o", "-q", "-q"], capsys)
    assert (code, err) == (0, "") and (tmp_path / "-q").is_file()
    code, _out, err = run_main(["lq", str(LAENDER), "-o", "--debug", "--quiet"], capsys)
    assert (code, err) == (0, "") and (tmp_path / "--debug").is_file()


# a long table kept by hand at a regional office, a note column beside the figures, one cell
# entered twice (a correction added below the first entry, the note saying so)
NOTED = ("Region,NACE,Year,Employment,Notes\n"
         "DE1,C,2016,100,first entry\n"
         "DE1,C,2016,100,corrected\n"
         "DE2,C,2016,50,\n"
         "DE2,F,2016,70,\n")


def test_on_error_skip_sets_aside_duplicates_told_apart_by_a_note(tmp_path, capsys):
    """4ed11df refuses rows that share a key and differ only in a column not read (PxStat's
    statistics under one VALUE column) in one line -- under --on-error skip too, where the
    help promises such rows go to the rejects: the table above was refused whole (exit 1,
    nothing written) where it was written without the two duplicate rows.  With skip they are
    set aside again."""
    src = tmp_path / "kept_by_hand.csv"
    src.write_text(NOTED, encoding="utf-8")
    out = tmp_path / "t.csv"
    code, _out, err = run_main(["ingest", str(src), "--on-error", "skip", "-o", str(out)], capsys)
    assert code == 0, err
    rejects = (tmp_path / "t.csv.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[1] for r in rejects[1:]] == ["2", "3"]
    assert all("duplicate row" in r for r in rejects[1:])
    rows = out.read_text(encoding="utf-8").splitlines()[1:]
    assert [r.split(",")[1] + "/" + r.split(",")[3] for r in rows] == ["DE2/C", "DE2/F"]


def test_a_duplicate_row_told_apart_by_a_row_number_is_a_duplicate_row(tmp_path, capsys):
    """R's write.csv keeps the row names as a first column headed "" (1, 2, 3 ...): since
    4ed11df a cell entered twice in such an export was said as "column 'column_1': rows that
    share a key differ only in a column not read ... the column holds a measure or a breakdown
    ...: keep the rows of one of its values", and a note on each entry the same way -- advice
    that fits a column labelling many cells (PxStat's statistics), not a value on one row
    alone.  Such rows are said as duplicate rows again, the second naming the first."""
    src = tmp_path / "r_write_csv.csv"
    src.write_text('"","Region","NACE","Year","Employment"\n"1","DE1","C",2016,100\n'
                   '"2","DE1","C",2016,100\n"3","DE2","C",2016,50\n"4","DE2","F",2016,70\n',
                   encoding="utf-8")
    for table in (src, tmp_path / "kept_by_hand.csv"):
        if table.name == "kept_by_hand.csv":
            table.write_text(NOTED, encoding="utf-8")
        code, _out, err = run_main(["ingest", str(table), "-o", str(tmp_path / "u.csv")], capsys)
        lines = err.splitlines()
        # one line for the key since session 31 (each copy was a line of its own)
        assert code == 1 and len(lines) == 1, err
        assert lines[0].startswith(f"clusterid: error: {table}:3: duplicate row for the same "
                                   "period, region, ownership and industry"), err
        assert lines[0].endswith("first seen on line 2"), err


def _as_r_writes(canonical, saved, every_empty: bool) -> None:
    """``canonical`` as R writes it back: ``write.csv(read.csv(f), row.names = FALSE)`` quotes
    the text and writes NA for a missing number and for a column empty on every row (read.csv
    takes it for logical NA); readr's ``write_csv(read_csv(f))`` (``every_empty``) writes NA
    for every empty cell."""
    import csv

    with open(canonical, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    numeric = {c for c in head if c == "level" or c.split("_")[0] in
               ("employment", "establishments", "wages", "output")
               and not c.endswith(("_status", "_flag"))}
    empty = {c for i, c in enumerate(head) if all(r[i] == "" for r in rows[1:])}
    with open(saved, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(f'"{c}"' for c in head) + "\n")
        for row in rows[1:]:
            fh.write(",".join(
                "NA" if not v and (every_empty or h in empty or h in numeric)
                else v if h in numeric else f'"{v}"' for h, v in zip(head, row)) + "\n")


def test_a_canonical_table_through_r_keeps_no_na_names(tmp_path, capsys):
    """e66d156 read R's NA as an empty cell in numeric columns only; R writes an empty text
    column as NA too (the Länder table has no region or industry names, no region level), so
    lq and stats said region 'Bayern' named 'NA', of region level 'NA' (a column lq added to
    its output for it), and with readr's files impute wrote a flag 'NA' on every reported
    cell.  Names and the level are empty there, a reported cell's flag NA no marker: the
    outputs are byte-identical to the original table's."""
    canonical = tmp_path / "laender.csv"
    run_main(["ingest", str(LAENDER), "-o", str(canonical)], capsys)
    # (write.csv's file for lq, readr's for stats and impute)
    for every_empty, commands in ((False, ("lq",)), (True, ("stats", "impute"))):
        saved = tmp_path / f"from_r_{every_empty}.csv"
        _as_r_writes(canonical, saved, every_empty)
        assert ",NA,NA,NA," in saved.read_text(encoding="utf-8")  # the layout this test is about
        for command in commands:
            for name, table in (("original", canonical), ("r", saved)):
                code, _out, err = run_main([command, str(table), "-o",
                                            str(tmp_path / f"{command}_{name}.csv")], capsys)
                assert code == 0, err
            assert ((tmp_path / f"{command}_r.csv").read_bytes()
                    == (tmp_path / f"{command}_original.csv").read_bytes()), (command, every_empty)


def test_a_year_in_parentheses_after_the_region_is_no_region_code(tmp_path, capsys):
    """61eaff0 reads a code in parentheses after the region a title line names (Lightcast's
    'Region: Salt Lake County, UT (49035)') as its code -- a year too: a county office's
    yearly files titled 'Region: Salt Lake County (2016)', '... (2017)' were regions 2016 and
    2017, each named Salt Lake County, every LQ of one year against itself.  A period in
    parentheses is now no code: both years are of region 'Salt Lake County'; a code stays a
    code (Riley County, KS is 20161)."""
    files = []
    for year in (2016, 2017):
        f = tmp_path / f"slco_{year}.csv"
        f.write_text(f"Region: Salt Lake County ({year})\nYear,NAICS,Description,Jobs\n"
                     f"{year},11,Agriculture,100\n{year},23,Construction,200\n", encoding="utf-8")
        files.append(str(f))
    out = tmp_path / "t.csv"
    code, _out, err = run_main(["ingest", *files, "-o", str(out)], capsys)
    assert code == 0, err
    rows = [r.split(",")[:2] for r in out.read_text(encoding="utf-8").splitlines()[1:]]
    assert rows == [["2016", "Salt Lake County"]] * 2 + [["2017", "Salt Lake County"]] * 2
    riley = tmp_path / "riley.csv"
    riley.write_text("Region: Riley County, KS (20161)\nYear,NAICS,Description,Jobs\n"
                     "2016,11,Agriculture,100\n", encoding="utf-8")
    code, _out, err = run_main(["ingest", str(riley), "-o", str(out)], capsys)
    assert code == 0 and out.read_text(encoding="utf-8").splitlines()[1].startswith("2016,20161,"), err
