"""Statistical yearbooks' report layouts through the generic reader (tests/data/blocks).

* a key given once per block (a region, a year on the first row of its block, the cells
  below blank): filled down within the block, counted in the metadata (``filled_down``);
* a region's name on a row of its own above the rows of its industries: the region of the
  rows below (``block_headings``), refused (located) where it could be anything else;
* "в том числе:" / "davon:" lines and footnotes: dropped and counted, never data;
* uncoded industries indented under others: refused (they would count twice).

Expected values come from an independent reading (the csv module and a fill-down written
here) or from REAT's canonical Länder table (tests/data/reat), never from the reader.
"""

from __future__ import annotations

import csv

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterid.errors import DataError
from clusterid.io.ingest import IngestOptions
from clusterid.io.readers import generic, generic_blocks, generic_raw
from conftest import TEST_DATA, csv_rows, run_main, run_ok

BLOCKS = TEST_DATA / "blocks"
REAT = TEST_DATA / "reat" / "laender_emp.csv"


def read(path, fast=True, monkeypatch=None, **opts):
    """The generic reader's frame, problems, dropped and details of one file."""
    if monkeypatch is not None:
        monkeypatch.setattr(generic_raw, "FAST_TEXT", fast)
    lf, problems, dropped, details, _n = generic.read_bytes(path.name, path.read_bytes(),
                                                            IngestOptions(**opts))
    return lf.collect(), problems, dropped, details


def keyed(df):
    return {(r["period"], r["region"], r["industry"]): r["employment"]
            for r in df.iter_rows(named=True)}


def error_lines(err, path, message):
    """The line numbers of the stderr messages about ``path`` that say ``message``."""
    import re

    return sorted(int(m.group(1)) for x in err.splitlines() if message in x
                  for m in [re.search(re.escape(str(path)) + r":(\d+):", x)] if m)


def reat(regions, industries, periods):
    """REAT's employment for those keys (the all-industries row is code 10)."""
    out = {}
    with open(REAT, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["region"] in regions and r["industry"] in industries and r["period"] in periods:
                out[(r["period"], r["region"], r["industry"])] = float(r["employment"])
    return out


def filled_by_hand(path, encoding, sep, columns):
    """The file's rows with ``columns`` filled down from the last filled cell (the obvious
    reference), and how many cells that filled per column."""
    with open(path, encoding=encoding, newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter=sep) if any((v or "").strip() for v in r.values())]
    last, n = {}, dict.fromkeys(columns, 0)
    for r in rows:
        for c in columns:
            if (r[c] or "").strip():
                last[c] = r[c]
            else:
                r[c] = last[c]
                n[c] += 1
    return rows, n


# ------------------------------------------------------------------ keys once per block

def test_region_once_per_block_is_filled_down(monkeypatch):
    """stat.gov.kz's long export of a report (cp1251): the oblast on the first row of its
    block only.  Before: "empty key cell" on 9 of 12 rows.  After: each row its oblast."""
    path = BLOCKS / "kz_long_region_once_cp1251.csv"
    rows, n = filled_by_hand(path, "cp1251", ";", ["Регион"])
    df, problems, dropped, details = read(path)
    assert not problems and not dropped
    want = {("2020", r["Регион"], r["Код ОКЭД"]): float(r["Численность работников"]) for r in rows}
    assert keyed(df) == want
    assert details["filled_down"] == {"Регион": n["Регион"]} == {"Регион": 9}
    # the rows keep their own lines
    assert df.filter(pl.col("industry") == "G", pl.col("region") == "г. Алматы")["_line"].to_list() == [13]


def test_year_and_land_once_per_block_nested_as_reat(capsys):
    """A Land office's report: the year once per year block, the Land once per Land block
    inside it (REAT's figures, 2008 and 2009).  Read through `clusterid ingest`, every value
    is REAT's, the footnote is a note row, and `clusterid lq`'s benchmark is the sum of the
    three Länder once (nothing counted twice)."""
    path = BLOCKS / "de_laender_report_year_once.csv"
    out, _ = run_ok(["ingest", str(path), "-o", "-"], capsys)
    got = {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in csv_rows(out)}
    lands = {"Bayern", "Berlin", "Hamburg"}
    assert got == reat(lands, {"10", "B-E", "F", "G-I"}, {"2008", "2009"})
    _df, _p, dropped, details = read(path)
    assert details["filled_down"] == {"Jahr": 22, "Land": 18}
    assert dropped == {generic_blocks.REASON_NOTES: 1}
    lq, _ = run_ok(["lq", str(path), "-o", "-"], capsys)
    totals = reat(lands, {"10"}, {"2008"})
    for r in csv_rows(lq):
        if r["period"] == "2008":
            assert float(r["benchmark_total"]) == sum(totals.values())


def test_filled_down_in_the_output_metadata(tmp_path, capsys):
    path = BLOCKS / "kz_long_region_once_cp1251.csv"
    out = tmp_path / "kz.parquet"
    run_ok(["ingest", str(path), "-o", str(out)], capsys)
    from clusterid.io.tables import read_metadata

    meta = read_metadata(out)
    assert meta["readers"][path.name if path.name in meta["readers"] else str(path)]["filled_down"] == {"Регион": 9}


def test_a_lone_blank_region_in_a_long_table_is_a_located_error(capsys):
    """Every other row names its region: the blank one is an error on its line, not a fill."""
    path = BLOCKS / "long_one_region_cell_blank.csv"
    code, _out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 1
    assert f"{path}:5: column 'region': empty key cell" in err
    assert err.count("empty key cell") == 1
    _df, problems, _d, details = read(path)
    assert "filled_down" not in details and [p.line for p in problems] == [5]


def test_an_inner_key_is_not_filled_across_its_outer_block(capsys):
    """The year once per year block, the region once per region block inside it: a 2020
    block whose first row has no region is not given 2019's last region (Astana): lines 6 and
    7 are errors, line 9 (under 2020's Astana) is filled."""
    path = BLOCKS / "nested_blank_at_boundary.csv"
    code, _out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 1
    lines = error_lines(err, path, "empty key cell")
    assert lines == [6, 7]
    assert "duplicate row" not in err


def test_of_which_line_in_a_long_report_is_dropped_and_counted():
    """"в том числе:" in the industry column between a total and its parts (its figures blank)."""
    path = BLOCKS / "long_region_once_v_tom_chisle.csv"
    df, problems, dropped, details = read(path)
    assert not problems
    assert dropped == {generic_blocks.REASON_OF_WHICH: 2}
    assert details["filled_down"] == {"Регион": 6}
    assert keyed(df)[("2020", "г. Алматы", "10")] == 512380.0
    assert df.height == 8


# ------------------------------------------------------------------ region heading rows

def test_region_heading_rows_of_a_wide_german_table_with_davon():
    """A Land office's table by year: each Land's name on a row of its own, "davon:" between
    the total and its (indented, named) sections, footnotes under the table.  Before: "no
    region column recognised".  After: REAT's values, the headings, davon lines and footnotes
    each counted."""
    path = BLOCKS / "de_wide_region_headings_davon.csv"
    df, problems, dropped, details = read(path)
    assert not problems
    lands = {"Bayern", "Berlin", "Hamburg"}
    assert keyed(df) == reat(lands, {"10", "B-E", "F", "G-I"}, {"2008", "2009"})
    assert dropped == {generic_blocks.REASON_HEADINGS: 3, generic_blocks.REASON_OF_WHICH: 3,
                       generic_blocks.REASON_NOTES: 2}
    assert details["block_headings"] == 3 and details["region_from"] == "heading rows"
    assert set(df["industry_name"].drop_nulls()) >= {"Baugewerbe", "Insgesamt"}
    # each value keeps its own line (line 8: Bayern's G-I)
    assert df.filter(pl.col("region") == "Bayern", pl.col("industry") == "G-I")["_line"].unique().to_list() == [8]


def test_region_heading_rows_of_a_kazakh_yearbook_table(capsys):
    """stat.gov.kz's table by year (cp1251, thousands in the title): the republic's block is
    its total (dropped as a region total), "в том числе:" lines dropped, the note under it."""
    path = BLOCKS / "kz_wide_oblast_headings_cp1251.csv"
    out, _ = run_ok(["ingest", str(path), "-o", "-"], capsys)
    rows = csv_rows(out)
    assert {r["region"] for r in rows} == {"Акмолинская область", "г. Алматы"}
    got = {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got[("2020", "г. Алматы", "C")] == 59600.0
    assert got[("2019", "Акмолинская область", "10")] == 369800.0
    assert len(rows) == 20
    _df, _p, dropped, _d = read(path)
    assert dropped[generic_blocks.REASON_HEADINGS] == 3 and dropped[generic_blocks.REASON_OF_WHICH] == 3
    assert dropped[generic_blocks.REASON_NOTES] == 1


def test_heading_rows_in_the_region_column_fill_its_blank_cells():
    path = BLOCKS / "headings_region_column_first.csv"
    df, problems, dropped, details = read(path)
    assert not problems
    assert keyed(df) == {("2020", "Almaty", "A"): 1200.0, ("2020", "Almaty", "B"): 340.0,
                         ("2020", "Astana", "A"): 800.0, ("2020", "Astana", "B"): 90.0}
    assert dropped == {generic_blocks.REASON_HEADINGS: 2, generic_blocks.REASON_NOTES: 1}
    assert details["filled_down"] == {"region": 4}


def test_industry_codes_on_the_row_above_their_names_are_refused(capsys):
    """"A" alone on a row, "Agriculture" and its figures below: before, "A" was a footnote
    and the names custom industries; now refused on the code's lines."""
    path = BLOCKS / "codes_above_names.csv"
    code, _out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 1
    assert f"{path}:2: column 'industry': an industry code on a row of its own" in err
    assert f"{path}:4:" in err and "put each industry's code and name on one row" in err


def test_data_rows_above_the_first_heading_are_refused(capsys):
    path = BLOCKS / "rows_above_first_heading.csv"
    code, _out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 1
    assert f"{path}:2: column 'industry': data rows above the first region heading" in err
    assert "--region ID[:NAME]" in err


def test_a_footnote_between_blocks_is_refused_not_taken_for_a_region(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("industry,2019,2020\nAlmaty,,\nA,1200,1250\n1) without Almaty city,,\n"
                    "Astana,,\nA,800,810\n")
    with pytest.raises(DataError) as exc:
        read(path)
    (p,) = exc.value.problems
    assert p.line == 4 and p.message.startswith("a row of one cell between the data rows")


def test_heading_rows_above_uncoded_names_are_refused(tmp_path):
    """Region or industry-section headings? Over names (no codes) it cannot be told -- unless
    every name is a NACE section's title and no heading is one (then the headings are
    regions: stat.gov.kz's oblasts above 'Сельское, лесное и рыбное хозяйство' ...)."""
    path = tmp_path / "t.csv"
    path.write_text("industry,2019,2020\nAlmaty,,\nGrowing of cereals,1200,1250\nAstana,,\n"
                    "Growing of cereals,800,810\n")
    with pytest.raises(DataError) as exc:
        read(path)
    assert "regions or industry headings?" in exc.value.problems[0].message
    path.write_text("industry,2019,2020\nAlmaty,,\nAgriculture,1200,1250\nAstana,,\nAgriculture,800,810\n")
    df, problems, _dropped, _details = read(path)
    assert not problems and sorted(set(df["region"].to_list())) == ["Almaty", "Astana"]


def test_two_heading_rows_in_a_row_are_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("industry,2019,2020\nAkmola,,\nKokshetau,,\nA,1200,1250\n")
    with pytest.raises(DataError) as exc:
        read(path)
    assert exc.value.problems[0].line == 2 and "two heading rows" in exc.value.problems[0].message


def test_footnotes_under_a_table_stay_note_rows(tmp_path):
    """A table with its region column and footnotes under it: as before, the notes are
    dropped and counted; nothing is filled.  (The copy with footnotes is written under
    tmp_path: written into tests/data, it was there for another xdist worker's glob or copy
    of the tree, and left behind if the run was killed.)"""
    path = TEST_DATA / "generic" / "wide_by_year.csv"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n1) provisional,,\nSource: made up,,\n"
    df0, _p0, d0, det0 = read(path)
    tmp = tmp_path / "wide_by_year_with_notes.csv"
    tmp.write_text(text, encoding="utf-8")
    df, problems, dropped, details = read(tmp)
    assert df.drop("_source").equals(df0.drop("_source")) and not problems
    assert dropped.get(generic_blocks.REASON_NOTES, 0) == d0.get(generic_blocks.REASON_NOTES, 0) + 2
    assert "filled_down" not in details and "block_headings" not in details


def test_a_table_without_region_column_and_only_footnotes_still_says_so(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("industry,2019,2020\nA,1200,1250\nB,340,360\nSource: made up,,\n")
    with pytest.raises(DataError) as exc:
        read(path)
    assert exc.value.problems[0].message == "no region column recognised"


# ------------------------------------------------------------------ indentation

def test_uncoded_industries_indented_under_others_are_refused(capsys):
    path = BLOCKS / "indented_uncoded_names.csv"
    code, _out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 1
    lines = error_lines(err, path, "indented under another")
    assert lines == [4, 8]


def test_coded_industries_may_be_indented(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("region;industry;year;employment\nX;C;2020;100\nX;  C10;2020;60\nX;  C11;2020;40\n"
                    "Y;C;2020;50\nY;  C10;2020;20\nY;  C11;2020;30\n")
    df, problems, _d, _det = read(path)
    assert not problems and set(df["industry"]) == {"C", "C10", "C11"}


# ------------------------------------------------------------------ xlsx: merged cells and blank cells

def _workbook(path, merged: bool):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Land", "Jahr", "WZ 2008", "Beschäftigte"])
    want = reat({"Bayern", "Berlin"}, {"10", "F", "G-I"}, {"2008"})
    row = 2
    for land in ("Bayern", "Berlin"):
        for i, ind in enumerate(("10", "F", "G-I")):
            withheld = (land, ind) == ("Bayern", "F")  # a row of withheld figures only
            sheet.append([land if i == 0 else None, 2008 if i == 0 else None,
                          "Insgesamt" if ind == "10" else ind, "x" if withheld else want[("2008", land, ind)]])
        if merged:
            sheet.merge_cells(f"A{row}:A{row + 2}")
            sheet.merge_cells(f"B{row}:B{row + 2}")
        row += 3
    book.save(path)
    return {**want, ("2008", "Bayern", "F"): None}


def test_merged_and_blank_cells_of_a_workbook_read_alike(tmp_path):
    """The same report saved with its Land and year merged down, and with them blank below
    the block's first row: one frame; the metadata says which filled them.  A row whose only
    figure is withheld ("x") is in its block both ways (merged cells filled only rows with a
    figure: "empty key cell" there, where the blank layout was read)."""
    want = _workbook(tmp_path / "merged.xlsx", True)
    _workbook(tmp_path / "blank.xlsx", False)
    a, pa, _da, deta = read(tmp_path / "merged.xlsx")
    b, pb, _db, detb = read(tmp_path / "blank.xlsx")
    assert not pa and not pb
    assert a.drop("_source").equals(b.drop("_source"))
    assert keyed(a) == want
    assert deta["merged_cells_filled"] == 8 and "filled_down" not in deta
    assert detb["filled_down"] == {"Land": 4, "Jahr": 4} and "merged_cells_filled" not in detb


# (both text readers alike on every file here: tests/test_ingest_fastpath.py reads them)


# ------------------------------------------------------------------ property: a long table as a report

@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(1, 5), min_size=1, max_size=6), years=st.integers(1, 2))
def test_any_long_table_written_as_a_report_reads_back(tmp_path_factory, sizes, years):
    """A long table written as a report (the year once per year block, the region once per
    region block) reads back to the same keys and values, whatever the block sizes."""
    industries = ["A", "B", "C", "F", "G"]
    lines, want = ["year;region;industry;employment"], {}
    for y in range(years):
        year = str(2019 + y)
        for k, size in enumerate(sizes):
            region = f"Region {k}"
            for i in range(size):
                value = 100 * (k + 1) + 10 * i + y
                want[(year, region, industries[i])] = float(value)
                lines.append(f"{year if k == 0 and i == 0 else ''};{region if i == 0 else ''};"
                             f"{industries[i]};{value}")
    path = tmp_path_factory.mktemp("r") / "report.csv"
    path.write_text("\n".join(lines) + "\n")
    rows, heads = len(lines) - 1, len(sizes) * years
    if 0 < rows - heads < heads:
        # too few blank cells to tell a report from a table missing a cell: refused, located
        _df, problems, _d, details = read(path)
        assert problems and all(p.message == "empty key cell" and p.column == "region" for p in problems)
        assert "region" not in details.get("filled_down", {})
        return
    df, problems, _d, _det = read(path)
    assert not problems
    assert keyed(df) == want


# ------------------------------------------------------------------ year headings, lines, LQ

def test_year_and_land_heading_rows(capsys):
    """The year on a row of its own above the year's Land headings (Betriebe made up beside
    REAT's Beschäftigte): each row its year and Land, the five headings and the source line
    counted, nothing left as data."""
    path = BLOCKS / "de_year_and_land_headings.csv"
    df, problems, dropped, details = read(path)
    assert not problems
    assert keyed(df) == reat({"Bayern", "Berlin"}, {"10", "F"}, {"2008", "2009"})
    assert dropped == {generic_blocks.REASON_HEADINGS: 6, generic_blocks.REASON_NOTES: 1}
    assert details["columns"]["period"] == "period (heading rows)"
    assert df.filter(pl.col("period") == "2009", pl.col("region") == "Berlin",
                     pl.col("industry") == "F")["_line"].to_list() == [15]


def test_a_year_block_without_its_region_heading_is_refused(capsys):
    """2009's rows follow the year directly: carrying 2008's last Land (Berlin) over would
    give Bayern's figures to Berlin."""
    path = BLOCKS / "year_block_without_region_heading.csv"
    code, _out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 1
    assert f"{path}:9: column 'WZ 2008': a year's block does not start with a region heading" in err


def test_lines_of_a_heading_layout_are_the_files(tmp_path, capsys):
    """A bad cell in Berlin's block of the Land headings table is reported on its own line
    (title lines, headings, davon lines and blank lines all counted)."""
    text = (BLOCKS / "de_wide_region_headings_davon.csv").read_text(encoding="utf-8").splitlines()
    assert text[12].startswith("  F Baugewerbe;49631")
    text[12] = "  F Baugewerbe;4963l;49719"
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    code, _out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 1
    assert error_lines(err, path, "not a number") == [13]


def test_lq_of_a_heading_layout_counts_each_land_once(tmp_path, capsys):
    path = BLOCKS / "de_wide_region_headings_davon.csv"
    out = tmp_path / "c.parquet"
    run_ok(["ingest", str(path), "-o", str(out)], capsys)
    lq, _ = run_ok(["lq", str(out), "-o", "-"], capsys)
    rows = csv_rows(lq)
    totals = reat({"Bayern", "Berlin", "Hamburg"}, {"10", "G-I"}, {"2009"})
    g_i = sum(v for (_p, _r, i), v in totals.items() if i == "G-I")
    for r in rows:
        if r["period"] == "2009" and r["industry"] == "G-I":
            assert float(r["benchmark_total"]) == sum(v for (_p, _r, i), v in totals.items() if i == "10")
            assert float(r["benchmark_industry_total"]) == g_i
    assert len(rows) == 24


def test_a_unit_line_under_the_header_is_no_region_heading(tmp_path):
    """stat.gov.kz's table with its unit on a line of its own under the header rather than in
    the title: the unit of the values (thousands), not a region's heading ("two heading rows")."""
    lines = (BLOCKS / "kz_wide_oblast_headings_cp1251.csv").read_text(encoding="cp1251").splitlines()
    moved = [lines[1], "(тысяч человек);;"] + lines[2:]
    path = tmp_path / "kz.csv"
    path.write_text("\n".join(moved) + "\n", encoding="cp1251")
    df, problems, dropped, details = read(path)
    want, *_ = read(BLOCKS / "kz_wide_oblast_headings_cp1251.csv")
    assert not problems
    assert keyed(df) == keyed(want)
    assert keyed(df)[("2020", "г. Алматы", "C")] == 59600.0
    assert details["unit_line"] == "(тысяч человек)"
    assert dropped[generic_blocks.REASON_NOTES] == 2 and dropped[generic_blocks.REASON_HEADINGS] == 3


def test_a_unit_line_above_region_cells_given_once(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("region,industry,year,employment\n(persons),,,\nAlmaty,,,\n,A,2020,1200\n,B,2020,340\n"
                    "Astana,,,\n,A,2020,800\n,B,2020,90\nSource: made up\n")
    df, problems, dropped, details = read(path)
    assert not problems and df.height == 4
    assert dropped == {generic_blocks.REASON_HEADINGS: 2, generic_blocks.REASON_NOTES: 2}
    assert details["filled_down"] == {"region": 4}


def test_a_remark_above_the_first_heading_is_a_note_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("WZ 2008;2008;2009\nStand: 30.06.;;\nBayern;;\nInsgesamt;4518801;4505412\n"
                    "Berlin;;\nInsgesamt;1081660;1106163\n")
    df, problems, dropped, _d = read(path)
    assert not problems and set(df["region"]) == {"Bayern", "Berlin"}
    assert dropped == {generic_blocks.REASON_HEADINGS: 2, generic_blocks.REASON_NOTES: 1}
    only = tmp_path / "u.csv"
    only.write_text("WZ 2008;2008;2009\nStand: 30.06.;;\nInsgesamt;4518801;4505412\n")
    with pytest.raises(DataError) as exc:
        read(only)
    assert exc.value.problems[0].message == "no region column recognised"


def test_year_headings_over_a_region_column_given_once(tmp_path):
    """The year on a row of its own, the Land on the first row of its block: filled within
    the year's block, never carried from 2008's last Land into 2009's first rows."""
    good = ("Land,WZ 2008,Beschäftigte\n2008,,\nBayern,Insgesamt,4518801\n,F,257982\nBerlin,Insgesamt,1081660\n"
            ",F,49631\n2009,,\nBayern,Insgesamt,4505412\n,F,258692\nBerlin,Insgesamt,1106163\n,F,49719\n")
    path = tmp_path / "good.csv"
    path.write_text(good)
    df, problems, dropped, details = read(path)
    assert not problems
    assert keyed(df) == reat({"Bayern", "Berlin"}, {"10", "F"}, {"2008", "2009"})
    assert details["filled_down"] == {"Land": 4} and dropped == {generic_blocks.REASON_HEADINGS: 2}
    bad = tmp_path / "bad.csv"
    bad.write_text(good.replace("2009,,\nBayern,", "2009,,\n,"))
    _df, problems, _d, _det = read(bad)
    assert [(p.line, p.message) for p in problems] == [(8, "empty key cell"), (9, "empty key cell")]


_KINDS = st.sampled_from(["heading", "data", "data", "data", "of_which", "footnote", "blank", "code_alone"])


@settings(max_examples=60, deadline=None)
@given(kinds=st.lists(_KINDS, min_size=1, max_size=14), lead=st.booleans())
def test_heading_layouts_read_right_or_refused(tmp_path_factory, kinds, lead):
    """Any mix of region headings, data rows, 'в том числе:' lines, footnotes, blank lines
    and codes alone under a header of years: each data row read gets the heading above it
    (from an independent walk over the lines), or the file is refused -- never another
    region, never a traceback."""
    lines, region, want, n_head, codes_ = ["industry,2019,2020"], None, {}, 0, iter(range(10 ** 6))
    for kind in (["heading"] if lead else []) + kinds:
        if kind == "heading":
            n_head += 1
            region = f"Region {n_head}"
            lines.append(f"{region},,")
        elif kind == "data":
            code = ["A", "B", "C", "F", "G"][next(codes_) % 5]
            value = 10 + len(lines)
            lines.append(f"{code},{value},{value + 1}")
            want.setdefault((region, code), []).append((len(lines), value))
        elif kind == "of_which":
            lines.append("в том числе:,,")
        elif kind == "footnote":
            lines.append("1) made up,,")
        elif kind == "blank":
            lines.append("")
        else:
            lines.append("C,,")
    path = tmp_path_factory.mktemp("h") / "t.csv"
    path.write_text("\n".join(lines) + "\n")
    try:
        df, _problems, _d, _det = read(path)
    except DataError:
        return
    for r in df.filter(pl.col("period") == "2019").iter_rows(named=True):
        assert (r["_line"], r["employment"]) in want.get((r["region"], r["industry"]), [])


def test_longer_of_which_lines_are_no_region_headings(tmp_path):
    """"в том числе по видам деятельности:" between the total and its parts: an 'of which'
    line, not the region of the parts below it (they were Almaty's)."""
    path = tmp_path / "t.csv"
    path.write_text("industry,2019,2020\nAlmaty,,\nВсего,1595,1610\nв том числе по видам деятельности:,,\n"
                    "A,1200,1250\nB,340,360\nAstana,,\nВсего,890,900\nDavon nach Abschnitten:,,\nA,800,810\n")
    df, problems, dropped, _d = read(path)
    assert not problems
    assert set(df["region"]) == {"Almaty", "Astana"}
    assert dropped[generic_blocks.REASON_OF_WHICH] == 2


def test_an_industry_named_including_with_withheld_figures_is_kept(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("region;industry;year;employment\nX;C;2020;100\nX;including repair;2020;\n"
                    "Y;C;2020;50\nY;including repair;2020;\n")
    df, _problems, dropped, _d = read(path)
    assert generic_blocks.REASON_OF_WHICH not in dropped and df.height == 4


def test_headings_of_industry_sections_are_refused(tmp_path):
    """A national table with its sections' names over their divisions: no region's block
    (the blocks share no industry; one heading over one section's parts) -- refused."""
    path = tmp_path / "t.csv"
    path.write_text("industry,2019,2020\nVerarbeitendes Gewerbe,,\nC10,100,110\nC11,50,55\n"
                    "Handel,,\nG45,70,72\nG46,90,95\n")
    with pytest.raises(DataError) as exc:
        read(path)
    assert [p.line for p in exc.value.problems] == [2, 5]
    one = tmp_path / "u.csv"
    one.write_text("industry,2019,2020\nVerarbeitendes Gewerbe,,\nC10,100,110\nC11,50,55\n")
    with pytest.raises(DataError) as exc:
        read(one)
    assert "one heading over the parts of one industry" in exc.value.problems[0].message
    assert "--region" in exc.value.problems[0].hint


def test_a_name_column_is_filled_only_with_its_codes(tmp_path):
    """A state's name on its own row, blank beside its counties' codes: no block to fill
    (the counties are not called Utah); code and name once per block: both filled."""
    path = tmp_path / "t.csv"
    path.write_text("fips,area_name,industry,year,employment\n49000,Utah,10,2016,100\n49001,,10,2016,10\n"
                    "49003,,10,2016,20\n49005,,10,2016,30\n")
    df, _p, _d, details = read(path)
    assert df["region_name"].to_list() == ["Utah", "", "", ""]
    assert "filled_down" not in details
    both = tmp_path / "u.csv"
    both.write_text("kato,region_name,oked,year,employment\n111000000,Akmola,A,2020,5\n,,C,2020,6\n"
                    "751000000,Almaty city,A,2020,7\n,,C,2020,8\n")
    df, problems, _d, details = read(both)
    assert not problems and details["filled_down"] == {"kato": 2, "region_name": 2}
    assert df["region_name"].to_list() == ["Akmola", "Akmola", "Almaty city", "Almaty city"]
