"""Known gaps closed in session 22 (helper 122): one test group per gap.

1. A statistical yearbook's CSV or sheet holding two tables one under the other (a title, a
   header, rows; then another title, header and rows) is read as its first table, and the
   second is named (its line, its title) with the --skip-rows that reads it; it was refused
   as "files of two layouts joined with cat", or its rows were read as the first table's.
2. A unit column holding two measures of the same cells (Statistics Canada's employment in
   Persons downloaded with its earnings in dollars) reads the rows in the measure's unit and
   counts the others, naming how to read them; every run was refused, the advice looping.
3. ``--`` is all industries only in SUSB (or beside a name saying total); elsewhere an
   industry '--' is refused as a dash where a code is missing, and a figure '--' is a dash
   marker (suppressed).
4. ingest's summary line and metadata count suppressed cells (with bounds among them) and
   estimated cells apart; estimated figures were counted as suppressed.
5. A canonical table rewritten by another job while a command reads it stops the run before
   any output is published.
"""

from __future__ import annotations

from conftest import csv_rows, run_main, run_ok

# --------------------------------------------------------------------------- 1. yearbook tables

# made up, in the shape of a yearbook's CSV export (a title line over each table)
_TABLE_1 = ("Table 1. Employment by industry and region 2016,,\n"
            "Region,Industry,Employment\n"
            "North,A,1200\nNorth,B,3400\nSouth,A,900\nSouth,B,2100\n")
_TABLE_2 = (",,\nTable 2. Employment by industry and region 2017,,\n"
            "Region,Industry,Employment\n"
            "North,A,1250\nNorth,B,3500\nSouth,A,950\nSouth,B,2000\n")


def _values(out: str, measure: str = "employment") -> list[tuple]:
    return [(r["period"], r["region"], r["industry"], r[measure]) for r in csv_rows(out)]


def test_yearbook_second_table_is_named_and_read_by_skip_rows(tmp_path, capsys):
    """2016 above 2017: the 2017 rows were read as duplicates of 2016's (the second title a
    note row, its header a repeated one); now the first table is read, the second is said
    with the option that reads it, and that option reads it under its own title's year."""
    src = tmp_path / "yearbook.csv"
    src.write_text(_TABLE_1 + _TABLE_2, encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert _values(out) == [("2016", "North", "A", "1200.0"), ("2016", "North", "B", "3400.0"),
                            ("2016", "South", "A", "900.0"), ("2016", "South", "B", "2100.0")]
    assert ("a second table starts on line 8 ('Table 2. Employment by industry and region 2017', "
            "its header on line 9) and was not read: --skip-rows 8 reads the table from there") in err
    out, err = run_ok(["ingest", str(src), "-o", "-", "--skip-rows", "8"], capsys)
    assert _values(out)[0] == ("2017", "North", "A", "1250.0") and len(_values(out)) == 4
    assert "second table" not in err


def test_yearbook_second_table_of_another_measure(tmp_path, capsys):
    """A second table of establishments under one of employment was refused as 'files of two
    layouts joined with cat'; a title line without padding commas (a comma in it) as 'row has 2
    fields'."""
    second = _TABLE_2.replace("Employment,", "Establishments,").replace("Employment\n", "Establishments\n")
    for text in (_TABLE_1 + second,
                 (_TABLE_1 + second).replace(",,\n", "\n").replace("and region", "and region,")):
        src = tmp_path / "yearbook.csv"
        src.write_text(text, encoding="utf-8")
        out, err = run_ok(["ingest", str(src), "-o", "-", "--period", "2016"], capsys)
        assert len(_values(out)) == 4 and "a second table starts on line 8" in err, err
        out, err = run_ok(["ingest", str(src), "-o", "-", "--period", "2016", "--skip-rows", "8"], capsys)
        assert _values(out, "establishments")[0] == ("2016", "North", "A", "1250.0")


def test_yearbook_third_table_said_from_the_second(tmp_path, capsys):
    src = tmp_path / "yearbook.csv"
    third = _TABLE_2.replace("Table 2", "Table 3").replace("2017", "2018")
    src.write_text(_TABLE_1 + _TABLE_2 + third, encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-", "--skip-rows", "8"], capsys)
    assert [r[0] for r in _values(out)] == ["2017"] * 4
    assert "a second table starts on line 15 ('Table 3." in err and "--skip-rows 15 reads" in err


def test_yearbook_page_break_is_still_one_table(tmp_path, capsys):
    """A printed export's page break repeats the title (or says 'continued') and the header:
    one table, its rows read together, the repeated header dropped and counted, as before."""
    for title in ("Table 1. Employment by industry and region 2016,,",
                  "Table 1 (continued),,", "noch: Table 1,,"):
        text = _TABLE_1 + f"{title}\nRegion,Industry,Employment\nWest,A,5\nWest,B,6\n"
        src = tmp_path / "printed.csv"
        src.write_text(text, encoding="utf-8")
        out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
        assert len(_values(out)) == 6 and "second table" not in err, err
        assert "1 rows repeating the header" in err


def test_yearbook_sheet_with_two_tables(tmp_path, capsys):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "T1"
    for line in (_TABLE_1 + _TABLE_2).splitlines():
        cells = [c for c in line.split(",")]
        ws.append([int(c) if c.isdigit() else (c or None) for c in cells])
    src = tmp_path / "yearbook.xlsx"
    wb.save(src)
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert [r[0] for r in _values(out)] == ["2016"] * 4
    assert "a second table starts on line 8" in err and "--skip-rows" in err, err
    skip = err.split("--skip-rows ")[1].split()[0]
    out, err = run_ok(["ingest", str(src), "-o", "-", "--skip-rows", skip], capsys)
    assert _values(out)[0] == ("2017", "North", "A", "1250.0"), err


def test_yearbook_warning_is_in_the_metadata(tmp_path, capsys):
    src = tmp_path / "yearbook.csv"
    src.write_text(_TABLE_1 + _TABLE_2, encoding="utf-8")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "out.csv")], capsys)
    assert code == 0, err
    meta = (tmp_path / "out.csv.meta.json").read_text(encoding="utf-8")
    assert "a second table starts on line 8" in meta


# --------------------------------------------------------------------------- 3. '--' as a code

def test_double_dash_is_all_industries_in_susb_only(tmp_path, capsys):
    """'--' was all industries in every NAICS table: a dash where a code is missing became the
    region's total (exit 0).  It is SUSB's code for all industries (tests/test_unseen_files_21.py
    reads SUSB's county file so), or a name beside it saying total; elsewhere refused."""
    from conftest import ingest_text

    text = "region,naics,employment\n49001,--,1500\n49001,31-33,200\n49001,311,120\n"
    code, err, _rows = ingest_text(tmp_path, capsys, "naics.csv", text, "--period", "2021")
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]
    assert code == 1 and len(lines) == 1, err
    assert ("naics.csv:2: column 'industry': not a NAICS industry code (expected NAICS 2-6 digits or "
            "31-33/44-45/48-49, found '--'); '--' is a dash, no code: all industries in SUSB's "
            "tables only") in lines[0]
    named = "region,naics,industry name,employment\n49001,--,Total,1500\n49001,31-33,Manufacturing,200\n"
    code, err, rows = ingest_text(tmp_path, capsys, "named.csv", named, "--period", "2021")
    assert code == 0 and [(r["industry"], r["industry_name"]) for r in rows] == [
        ("10", "Total"), ("31-33", "Manufacturing")], err


def test_double_dash_in_a_figure_cell_is_a_suppression_marker(tmp_path, capsys):
    """'--' (a dash typed as two) where a figure stands was 'not a number'; it is a dash, as
    '-' and '—' are: suppressed, its flag kept, never zero."""
    from conftest import ingest_text

    text = "region,naics,employment\n49001,10,1500\n49001,31-33,--\n49001,311,120\n"
    code, err, rows = ingest_text(tmp_path, capsys, "naics.csv", text, "--period", "2021")
    assert code == 0, err
    manu = next(r for r in rows if r["industry"] == "31-33")
    assert (manu["employment"], manu["employment_status"], manu["employment_flag"]) == ("", "suppressed", "--")


# --------------------------------------------------------------------------- 2. two units in UOM

_SEPH_HEAD = ('"REF_DATE","GEO","DGUID","Estimate","North American Industry Classification System (NAICS)",'
              '"UOM","UOM_ID","SCALAR_FACTOR","SCALAR_ID","VECTOR","COORDINATE","VALUE","STATUS",'
              '"SYMBOL","TERMINATED","DECIMALS"\n')


def _seph_both(tmp_path, second=("Average weekly earnings including overtime for all employees",
                                 "Current dollars", "81")):
    """Statistics Canada's SEPH (tables 14-10-0202 and 14-10-0203) downloaded together: each
    cell's employment (UOM Persons) and a second estimate in dollars, one VALUE column."""
    rows, i = [], 0
    for geo, dguid in (("Nova Scotia", "2016A000212"), ("Prince Edward Island", "2016A000211")):
        for naics, emp, amount in (("Industrial aggregate including unclassified businesses [00-91N]", "400000", "9000.50"),
                                   ("Manufacturing [31-33]", "30000", "1200.25"),
                                   ("Construction [23]", "25000", "1300.00")):
            for est, uom, uom_id, value in (("Employment for all employees", "Persons", "249", emp),
                                            (*second, amount)):
                i += 1
                rows.append(f'"2022","{geo}","{dguid}","{est}","{naics}","{uom}","{uom_id}","units","0",'
                            f'"v{i}","1.{i}","{value}","","","","0"\n')
    src = tmp_path / "14100202.csv"
    src.write_text(_SEPH_HEAD + "".join(rows), encoding="utf-8")
    return src


def test_statcan_persons_beside_dollars_reads_the_persons(tmp_path, capsys):
    """The default run was 'values in Current dollars are amounts of money, not employment;
    ingest with --measure output ... or --measure wages', and --measure wages was 'rows that
    share a key differ only in a column not read': no run read the file.  The Persons rows are
    the employment, the dollar rows dropped and counted, said to be an average not read."""
    src = _seph_both(tmp_path)
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = {(r["region"], r["industry"]): r["employment"] for r in csv_rows(out)}
    assert rows == {(g, i): v for g in ("Nova Scotia", "Prince Edward Island")
                    for i, v in (("10", "400000.0"), ("23", "25000.0"), ("31-33", "30000.0"))}
    assert ("6 rows in Current dollars, not a unit of employment (another measure of the same cells: "
            "'Average weekly earnings including overtime for all employees' is an average, which "
            "clusterid does not read: its wages are totals)") in err


def test_statcan_persons_beside_a_total_in_dollars_reads_either(tmp_path, capsys):
    """A total in dollars beside the persons: the hint's --measure reads the amounts, and the
    persons rows are then the ones dropped, said with the way back."""
    src = _seph_both(tmp_path, ("Gross payroll", "Dollars", "81"))
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert len(csv_rows(out)) == 6
    assert "6 rows in Dollars, not a unit of employment (another measure of the same cells: " \
           "--measure wages or --measure output reads the amounts)" in err
    out, err = run_ok(["ingest", str(src), "-o", "-", "--measure", "wages"], capsys)
    rows = {(r["region"], r["industry"]): r["wages"] for r in csv_rows(out)}
    assert rows[("Nova Scotia", "31-33")] == "1200.25" and len(rows) == 6
    assert "6 rows in Persons, not a unit of wages (another measure of the same cells: " \
           "leave --measure out to read the persons as employment)" in err


# --------------------------------------------------------------------------- 4. the summary line

def test_summary_line_says_suppressed_bounded_and_estimated_apart(tmp_path, capsys):
    """'suppressed: employment 2.0%' counted Eurostat's estimated figures ('e': a value, read
    as one) as suppressed; CBP's range-flagged cells (no figure, but bounds) were not told from
    cells of no bound.  The line and the metadata now say each."""
    import json

    from conftest import ROOT

    out = tmp_path / "eu.csv"
    _code, _out, err = run_main(["ingest", str(ROOT / "tests/data/eurostat/namq_10_a10_e_bulk_excerpt.tsv"),
                                 "-o", str(out)], capsys)
    assert "150 rows kept, 0 dropped, suppressed: employment 1.3%; estimated: employment 0.7% ->" in err, err
    meta = json.loads((tmp_path / "eu.csv.meta.json").read_text(encoding="utf-8"))
    assert (meta["suppressed_share"], meta["estimated_share"]) == ({"employment": 0.013333},
                                                                   {"employment": 0.006667})
    out = tmp_path / "cbp.csv"
    _code, _out, err = run_main(["ingest", str(ROOT / "tests/data/cbp/cbp16co_excerpt.txt"), "-o", str(out)], capsys)
    assert ("suppressed: employment 38.5% (38.5% with bounds), establishments 0.0%, wages 30.8% ->") in err
    meta = json.loads((tmp_path / "cbp.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["suppressed_with_bounds_share"]["employment"] == meta["suppressed_share"]["employment"]
    assert meta["suppressed_with_bounds_share"]["wages"] == 0.0


# --------------------------------------------------------------------------- 5. a table rewritten

_CANON = ("region,industry,year,employment\n" + "".join(
    f"R{r},{i},2016,{100 * r + 10 * k}\n" for r in (1, 2, 3) for k, i in enumerate(("C", "F", "G"), 1)))


def test_parquet_input_rewritten_while_lq_reads_it_is_refused(tmp_path, capsys, monkeypatch):
    """A canonical Parquet table rewritten by another job while lq read it (opened, then its
    pages read when the stage collects them): lq wrote LQs of the new table under the old
    table's checksum, exit 0.  Its inode, size and mtime as opened are compared before each
    output is renamed into place: refused, nothing written."""
    import os

    from clusterid.io import tables

    raw = tmp_path / "raw.csv"
    raw.write_text(_CANON, encoding="utf-8")
    table, other = tmp_path / "canon.parquet", tmp_path / "other.parquet"
    run_ok(["ingest", str(raw), "-o", str(table)], capsys)
    raw.write_text(_CANON.replace(",100\n", ",900\n") + "R4,C,2016,5\n", encoding="utf-8")
    run_ok(["ingest", str(raw), "-o", str(other)], capsys)
    run_ok(["lq", str(table), "-o", str(tmp_path / "before.csv")], capsys)  # reads as it is

    scan = tables.scan_canonical
    for rewrite in ("copy", "replace"):
        fresh = tmp_path / f"fresh_{rewrite}.parquet"
        fresh.write_bytes(table.read_bytes())

        def rewritten(path, label=None, dropped=None, rewrite=rewrite):
            opened = scan(path, label, dropped)
            data = other.read_bytes()  # the other job's table lands once the read has begun
            if rewrite == "copy":
                with open(path, "wb") as fh:
                    fh.write(data)
            else:
                (tmp_path / "next.parquet").write_bytes(data)
                os.replace(tmp_path / "next.parquet", path)
            return opened

        monkeypatch.setattr(tables, "scan_canonical", rewritten)
        for out in (tmp_path / f"lq_{rewrite}.csv", "-"):
            code, stdout, err = run_main(["lq", str(fresh), "-o", str(out)], capsys)
            fresh.write_bytes(table.read_bytes())
            lines = [ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]
            assert code == 2 and len(lines) == 1, err
            assert f"{fresh}: changed while it was read (expected the file as the read began" in lines[0]
            assert stdout == "" and not (tmp_path / f"lq_{rewrite}.csv").exists()
            assert not list(tmp_path.glob(f".lq_{rewrite}.csv*"))
        monkeypatch.setattr(tables, "scan_canonical", scan)
