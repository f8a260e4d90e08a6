"""Known gaps closed in session 28 (helper 'gaps'): one test group per gap.

1. A QCEW or CBP CSV with its source pasted below the table ('Source: U.S. Bureau of Labor
   Statistics, Quarterly Census of Employment and Wages', as people paste it under a table;
   or quoted in the first column of a full-width row, as a spreadsheet saves it; or a few such
   lines: 'Note: ...', 'Downloaded on ...') was refused: 'row has 2 fields, the header has
   15'.  Such lines below the last row are notes, not data: left out, counted as dropped and
   named in the metadata notes.  A row cut short above or below them is still refused on its
   line, and a line of words that is no note ('Total for Beaver County') as well.

2. A German table keying its districts under a bare word for a code, the names under the
   word for the area ('Schlüssel;Kreis;...', 'Kennziffer;Kreise und kreisfreie Städte;...')
   was read by the names: 'column not read: Schlüssel', every district keyed by its name and
   without its level.  The key column beside the names is the region, the names its names.
3. German AGS keys lost their leading zero in an xlsx or xls whose key column holds numbers
   shown with the format '00000' (Excel's Special > Zip Code, or a custom format, the way a
   sheet keeps 01001 a number): read as the cell's number, Flensburg was region 1001, without
   its level.  Such a number is read as the sheet shows it (01001); a text cell, and a number
   without that format (1001, as the sheet shows it too), stay as written.  In CSV, Parquet
   and text cells of a workbook the codes were already kept as written (tested below).  An
   ods's number cell whose text is the number with leading zeros is read as that text.
4. A wide table whose corner heading names both what is down the rows and what is across
   ('Region\\Jahr', 'Kreis\\Jahr', 'Land / Jahr', 'Region/Year'), the years across, was refused
   as having 'no region column': the corner was read as a period column for its 'Jahr'.  It is
   the column of what is down (the region; German keys under 'Kreis\\Jahr' get their levels);
   a measure per year ('Beschäftigte/Jahr') is no corner.
5. An industry cell holding a range of divisions with blanks around its dash and its name
   ('10 - 12 Food products', '10 – 12 Nahrungsmittel', or the range alone, '10 - 12') was read
   as division 10 named '- 12 Food products': its jobs counted as food's alone.  It is the
   range 10-12 (C10-C12), as '10-12' was, in a cell as in a heading.
6. Eurostat SBS's wage indicators other than V13320: sbs_r_nuts2021's WAGE_LOC_MEUR (wages
   and salaries of local units, million euro) beside EMP_LOC_NR and LOC_NR was refused with
   --measure wages as 'none of them known as wages'; V13310 (personnel costs, million euro)
   beside V16110 the same, and a table of V13310 alone was read as employment (35,000
   'persons employed').  Both are wages (V13320 first where given), in millions; V13310 is
   said to be personnel costs in the notes.
7. A Eurostat TSV saved again by a spreadsheet as "Unicode text" (UTF-16, little-endian with
   a byte-order mark, CRLF; or big-endian, or without the mark) was read as UTF-8: its header
   was no Eurostat header and the generic reader refused the file as having 'no region
   column'.  It is read as the TSV it was, its bad cells named by their lines.
8. (found with 3) A sheet whose table starts right of an empty column A (title in B1, header
   in B3) with its source under it in column B ('Quelle: Statistische Ämter des Bundes und
   der Länder') was refused: 'empty key cell' in every column but the first.  A row of one
   filled cell in the table's first column is a note there as in column A.
"""

from __future__ import annotations

import json

import pytest

from conftest import TEST_DATA, csv_rows, ingest_text, run_main, run_ok

# ---------------------------------------------------- 1. notes pasted below a QCEW/CBP table

QCEW_FILE = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"
CBP_FILE = TEST_DATA / "cbp" / "cbp16co_excerpt.txt"
BLS_SOURCE = "Source: U.S. Bureau of Labor Statistics, Quarterly Census of Employment and Wages\n"
NOTES_BELOW = "note lines below the table (a source or note pasted under it)"


def _meta(path):
    return json.loads(path.with_name(path.name + ".meta.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("footer,n", [
    (BLS_SOURCE, 1),
    ("\n" + BLS_SOURCE + "\n", 1),
    ('"Source: U.S. Bureau of Labor Statistics, QCEW",,,,,,,,,,,,,,\r\n', 1),
    ('"Source: U.S. Bureau of Labor Statistics, QCEW"\nNote: Data are preliminary.\n\n'
     "Downloaded on 2024-03-01 from bls.gov\n", 3),
])
@pytest.mark.parametrize("gz", [False, True])
def test_qcew_file_with_notes_below_is_read(tmp_path, capsys, footer, n, gz):
    import gzip

    expected = csv_rows(run_ok(["ingest", str(QCEW_FILE), "-o", "-"], capsys)[0])
    data = QCEW_FILE.read_bytes() + footer.encode("utf-8")
    src = tmp_path / ("2016.annual.49001.csv" + (".gz" if gz else ""))
    src.write_bytes(gzip.compress(data) if gz else data)
    out = tmp_path / "out.csv"
    for extra in ([], ["--on-error", "skip"]):
        _out, err = run_ok(["ingest", str(src), "-o", str(out), *extra], capsys)
        assert csv_rows(out.read_text(encoding="utf-8")) == expected
        meta = _meta(out)
        assert meta["dropped"][NOTES_BELOW] == n
        assert any(f"{n} note line" in note and "Source: U.S. Bureau of Labor Statistics" in note
                   for note in meta["notes"])
        assert meta["rows_read"] == 21 + n


def test_qcew_rows_cut_short_are_refused_beside_notes_below(tmp_path, capsys):
    lines = QCEW_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = '"49001","5","10","71","0","2016"\n'
    for text, line in (("".join(lines[:10] + [cut] + lines[10:]) + BLS_SOURCE, 11),
                       ("".join(lines) + cut + BLS_SOURCE, 23),
                       ("".join(lines) + BLS_SOURCE + cut, 23),
                       ("".join(lines) + "Total for Beaver County, all industries\n", 23)):
        src = tmp_path / "2016.annual.49001.csv"
        src.write_text(text, encoding="utf-8")
        code, _out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
        assert code == 1
        assert f"2016.annual.49001.csv:{line}: row has" in err


def test_cbp_file_with_notes_below_is_read(tmp_path, capsys):
    expected = csv_rows(run_ok(["ingest", str(CBP_FILE), "-o", "-"], capsys)[0])
    src = tmp_path / "cbp16co.txt"
    for footer, n in (("Source: U.S. Census Bureau, 2016 County Business Patterns\n", 1),
                      ('"Source: U.S. Census Bureau, 2016 County Business Patterns"' + "," * 25 + "\n"
                       '"Note: Data exclude most government employees."' + "," * 25 + "\n", 2)):
        src.write_text(CBP_FILE.read_text(encoding="utf-8") + footer, encoding="utf-8")
        out = tmp_path / "out.csv"
        run_ok(["ingest", str(src), "-o", str(out)], capsys)
        assert csv_rows(out.read_text(encoding="utf-8")) == expected
        meta = _meta(out)
        assert meta["dropped"] == {NOTES_BELOW: n}
        assert any(note.startswith("cbp16co.txt: ") and "Source: U.S. Census Bureau" in note
                   for note in meta["notes"])
    # a row cut short above the note is still refused, on its line
    lines = CBP_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    src.write_text("".join(lines[:5] + ['"49","001","31----","B",""\n'] + lines[5:])
                   + "Source: U.S. Census Bureau\n", encoding="utf-8")
    code, _out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1
    assert "cbp16co.txt:6: row has 5 fields, the header has 26" in err

# --------------------------------------------- 2. 'Schlüssel;Kreis': the key beside the names


@pytest.mark.parametrize("key,area", [("Schlüssel", "Kreis"), ("Kennziffer", "Kreise und kreisfreie Städte"),
                                      ("Schluessel", "Kreis")])
def test_key_under_a_bare_code_word_beside_the_names(tmp_path, capsys, key, area):
    text = (f"{key};{area};Wirtschaftszweig;Beschäftigte\n"
            "01001;Flensburg, Stadt;C;1200\n01001;Flensburg, Stadt;F;300\n"
            "09162;München, Stadt;C;90000\n09162;München, Stadt;F;20000\n")
    code, err, rows = ingest_text(tmp_path, capsys, "kreise.csv", text, "--period", "2021")
    assert code == 0, err
    assert {(r["region"], r["region_name"], r["region_level"]) for r in rows} == {
        ("01001", "Flensburg, Stadt", "kreis"), ("09162", "München, Stadt", "kreis")}
    assert "column not read" not in err


def test_a_running_number_beside_the_names_is_no_key(tmp_path, capsys):
    text = ("Nr.;Kreis;Wirtschaftszweig;Beschäftigte\n1;Flensburg;C;1200\n2;München;C;90000\n")
    code, err, rows = ingest_text(tmp_path, capsys, "kreise.csv", text, "--period", "2021")
    assert code == 0, err
    assert {r["region"] for r in rows} == {"Flensburg", "München"}


# --------------------------------------------------- 3. AGS keys keep their leading zero

KREISE = (("01001", "Flensburg", "C", 1200), ("01001", "Flensburg", "F", 300),
          ("09162", "München", "C", 90000), ("09162", "München", "F", 20000))


def _kreise_xlsx(path, mode: str, title: bool = False):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    top, left = (3, 2) if title else (1, 1)
    if title:
        ws.cell(1, left, "Sozialversicherungspflichtig Beschäftigte nach Kreisen, 30.06.2021")
    for j, h in enumerate(["Kreis", "Name", "WZ", "Jahr", "Beschäftigte"]):
        ws.cell(top, left + j, h)
    for i, (key, name, wz, emp) in enumerate(KREISE, start=top + 1):
        cell = ws.cell(i, left, key if mode == "text" else int(key))
        if mode == "format":
            cell.number_format = "00000"
        for j, v in enumerate((name, wz, 2021, emp), start=1):
            ws.cell(i, left + j, v)
    ws.cell(top + 1, left + 4).number_format = "#,##0"
    wb.save(path)


@pytest.mark.parametrize("title", [False, True])
def test_xlsx_keys_shown_with_leading_zeros_keep_them(tmp_path, capsys, title):
    src = tmp_path / "kreise.xlsx"
    for mode, keys, level in (("format", {"01001", "09162"}, "kreis"), ("text", {"01001", "09162"}, "kreis"),
                              ("number", {"1001", "9162"}, "")):
        _kreise_xlsx(src, mode, title)
        out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
        rows = csv_rows(out)
        assert {r["region"] for r in rows} == keys, mode
        assert {r["region_level"] for r in rows} == {level}, mode
        assert {r["employment"] for r in rows if r["region"].endswith("9162")} == {"90000.0", "20000.0"}


def test_xls_keys_shown_with_leading_zeros_keep_them(tmp_path, capsys):
    import xlwt

    for mode, keys in (("format", {"01001", "09162"}), ("number", {"1001", "9162"})):
        wb = xlwt.Workbook()
        wb.add_sheet("Info").write(0, 0, "Quelle: Statistische Ämter des Bundes und der Länder")
        ws = wb.add_sheet("Kreise")
        ws.write(0, 1, "Beschäftigte nach Kreisen, 30.06.2021")
        for j, h in enumerate(["Kreis", "Name", "WZ", "Jahr", "Beschäftigte"]):
            ws.write(2, 1 + j, h)
        padded = xlwt.easyxf(num_format_str="00000")
        for i, (key, name, wz, emp) in enumerate(KREISE, start=3):
            if mode == "format":
                ws.write(i, 1, int(key), padded)
            else:
                ws.write(i, 1, int(key))
            for j, v in enumerate((name, wz, 2021, emp), start=2):
                ws.write(i, j, v)
        src = tmp_path / "kreise.xls"
        wb.save(str(src))
        out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
        assert {r["region"] for r in csv_rows(out)} == keys, mode


def test_ods_keys_shown_with_leading_zeros_keep_them(tmp_path, capsys):
    from ods_files import write_ods_xml

    def cell(v):
        if isinstance(v, tuple):  # (number held, text shown)
            return (f'<table:table-cell office:value-type="float" office:value="{v[0]}">'
                    f"<text:p>{v[1]}</text:p></table:table-cell>")
        if isinstance(v, int):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'

    def row(*vs):
        return "<table:table-row>" + "".join(cell(v) for v in vs) + "</table:table-row>"

    for shown, keys in ((lambda k: (int(k), k), {"01001", "09162"}), (lambda k: int(k), {"1001", "9162"})):
        body = row("Kreis", "Name", "WZ", "Jahr", "Beschäftigte") + "".join(
            row(shown(k), n, w, 2021, e) for k, n, w, e in KREISE)
        src = write_ods_xml(tmp_path / "kreise.ods", body, sheet="Kreise")
        out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
        assert {r["region"] for r in csv_rows(out)} == keys


def test_keys_stay_as_written_in_csv_and_parquet(tmp_path, capsys):
    import polars as pl

    text = "AGS,Kreis,WZ,Jahr,Beschäftigte\n" + "".join(f"{k},{n},{w},2021,{e}\n" for k, n, w, e in KREISE)
    for name, sep in (("kreise.csv", ","), ("kreise_semicolon.csv", ";"), ("kreise.tsv", "\t")):
        code, err, rows = ingest_text(tmp_path, capsys, name, text.replace(",", sep))
        assert code == 0, err
        assert {r["region"] for r in rows} == {"01001", "09162"}
    src = tmp_path / "kreise.parquet"
    pl.DataFrame({"AGS": [k for k, *_ in KREISE], "WZ": [w for _k, _n, w, _e in KREISE],
                  "Jahr": [2021] * 4, "Beschäftigte": [e for *_, e in KREISE]}).write_parquet(src)
    out = tmp_path / "out.parquet"
    run_ok(["ingest", str(src), "-o", str(out)], capsys)
    assert set(pl.read_parquet(out).get_column("region").to_list()) == {"01001", "09162"}


# ------------------------------------------------ 4. a corner heading 'Region\\Jahr'


@pytest.mark.parametrize("corner,sep", [("Region\\Jahr", ";"), ("Kreis\\Jahr", ";"), ("Land / Jahr", ","),
                                        ("Region/Year", ",")])
def test_corner_heading_over_years_across(tmp_path, capsys, corner, sep):
    rows_in = [[corner, "WZ", "2020", "2021"], ["01001", "C", "100", "110"], ["09162", "C", "900", "950"],
               ["01001", "F", "10", "11"], ["09162", "F", "90", "95"]]
    text = "".join(sep.join(r) + "\n" for r in rows_in)
    code, err, rows = ingest_text(tmp_path, capsys, "wide.csv", text)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r["employment"] for r in rows}
    assert got == {("2020", "01001", "C"): "100.0", ("2021", "01001", "C"): "110.0",
                   ("2020", "09162", "C"): "900.0", ("2021", "09162", "C"): "950.0",
                   ("2020", "01001", "F"): "10.0", ("2021", "01001", "F"): "11.0",
                   ("2020", "09162", "F"): "90.0", ("2021", "09162", "F"): "95.0"}
    if corner.startswith("Kreis"):
        assert {r["region_level"] for r in rows} == {"kreis"}


def test_corner_heading_over_years_with_names(tmp_path, capsys):
    text = "Region\\Jahr;Wirtschaftszweig;2020;2021\nFlensburg;C;100;110\nMünchen;C;900;950\n"
    code, err, rows = ingest_text(tmp_path, capsys, "wide.csv", text)
    assert code == 0, err
    assert {(r["period"], r["region"]): r["employment"] for r in rows} == {
        ("2020", "Flensburg"): "100.0", ("2021", "Flensburg"): "110.0",
        ("2020", "München"): "900.0", ("2021", "München"): "950.0"}


def test_a_measure_per_year_is_no_corner():
    from clusterid.io.readers.generic_headings import corner_down, role_of

    assert role_of("Region\\Jahr") == "region"
    assert role_of("Wirtschaftszweig\\Jahr") == "industry"
    assert corner_down("Beschäftigte/Jahr") is None and corner_down("Umsatz / Jahr") is None


# ------------------------------------------------ 5. a range with blanks around its dash


@pytest.mark.parametrize("cell,name", [("10 - 12 Food products", "Food products"),
                                       ("10 – 12 Nahrungsmittel", "Nahrungsmittel"),
                                       ("10–12 Food products", "Food products"), ("10 - 12", ""),
                                       ("10-12 Food products", "Food products")])
def test_a_division_range_with_blanks_around_its_dash(tmp_path, capsys, cell, name):
    text = ("region,industry,year,employment\n"
            f"A,{cell},2020,100\nA,C,2020,500\nB,{cell},2020,50\nB,C,2020,300\n")
    code, err, rows = ingest_text(tmp_path, capsys, "t.csv", text)
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["industry_name"], r["level"], r["employment"]) for r in rows}
    assert got[("A", "C10-C12")] == (name, "2", "100.0")
    assert got[("B", "C10-C12")] == (name, "2", "50.0")
    assert not any(r["industry"] == "C10" for r in rows)


def test_a_division_range_with_blanks_as_a_heading(tmp_path, capsys):
    text = ("Region;Jahr;C Verarbeitendes Gewerbe;10 - 12 Nahrungsmittel;F Baugewerbe\n"
            "A;2020;500;100;30\nB;2020;300;50;20\n")
    code, err, rows = ingest_text(tmp_path, capsys, "t.csv", text)
    assert code == 0, err
    assert {(r["region"], r["industry"]): r["employment"] for r in rows}[("A", "C10-C12")] == "100.0"


def test_split_label_ranges():
    from clusterid.core.codes import split_label

    assert split_label("10 - 12 Food products") == ("10-12", "Food products")
    assert split_label("31 - 33 Manufacturing") == ("31-33", "Manufacturing")
    assert split_label("10 - Food products") == ("10", "Food products")  # a dash before the name
    assert split_label("10 - 12") == ("10-12", None)


# ------------------------------------------------- 6. SBS wage indicators other than V13320

NUTS2021_TSV = ("freq,indic_sbs,nace_r2,geo\\TIME_PERIOD\t2021 \t2022 \n"
                "A,EMP_LOC_NR,C,DE11\t752340 \t748120 \nA,EMP_LOC_NR,F,DE11\t48210 \t47980 \n"
                "A,LOC_NR,C,DE11\t1000 \t1001 \nA,LOC_NR,F,DE11\t2000 \t2001 \n"
                "A,WAGE_LOC_MEUR,C,DE11\t35000.5 \t36000.1 \nA,WAGE_LOC_MEUR,F,DE11\t1500.2 \t: c\n")


def test_sbs_nuts2021_wages_beside_employment_and_units(tmp_path, capsys):
    code, err, rows = ingest_text(tmp_path, capsys, "sbs_r_nuts2021.tsv", NUTS2021_TSV,
                                  "--measure", "wages")
    assert code == 0, err
    got = {(r["period"], r["industry"]): (r["wages"], r["wages_status"]) for r in rows}
    assert got[("2021", "C")] == ("35000500000.0", "reported")
    assert got[("2022", "F")] == ("", "suppressed")
    assert "8 indic_sbs other than WAGE_LOC_MEUR" in err
    # the other measures as they were
    code, err, rows = ingest_text(tmp_path, capsys, "sbs_r_nuts2021.tsv", NUTS2021_TSV)
    assert code == 0, err
    assert {r["employment"] for r in rows if r["period"] == "2021"} == {"752340.0", "48210.0"}


SBS_V13310 = ("indic_sb,nace_r2,geo\\time\t2016 \t2015 \n"
              "V13310,C,DE11\t35000.5 \t36000.1 \nV13310,F,DE11\t1500.2 \t1600.0 \n")


def test_sbs_personnel_costs_are_wages_in_million_euro(tmp_path, capsys):
    text = SBS_V13310 + "V16110,C,DE11\t752340 \t748120 \nV16110,F,DE11\t48210 \t47980 \n"
    code, err, rows = ingest_text(tmp_path, capsys, "sbs.tsv", text, "--measure", "wages")
    assert code == 0, err
    assert {(r["period"], r["industry"]): r["wages"] for r in rows}[("2015", "C")] == "36000100000.0"
    notes = json.loads((tmp_path / "out.csv.meta.json").read_text(encoding="utf-8"))["notes"]
    assert any("V13310 is personnel costs" in n for n in notes)
    # beside V13320, wages and salaries are the wages
    both = text + "V13320,C,DE11\t30000.0 \t31000.0 \nV13320,F,DE11\t1200.0 \t1300.0 \n"
    code, err, rows = ingest_text(tmp_path, capsys, "sbs.tsv", both, "--measure", "wages")
    assert code == 0, err
    assert {(r["period"], r["industry"]): r["wages"] for r in rows}[("2015", "C")] == "31000000000.0"
    # V16110 still the employment
    code, err, rows = ingest_text(tmp_path, capsys, "sbs.tsv", text)
    assert code == 0, err
    assert {r["employment"] for r in rows if r["period"] == "2016"} == {"752340.0", "48210.0"}


def test_sbs_personnel_costs_alone_are_no_employment(tmp_path, capsys):
    code, err, _rows = ingest_text(tmp_path, capsys, "sbs.tsv", SBS_V13310)
    assert code != 0
    assert "V13310 is personnel costs" in err and "--measure wages" in err


# ------------------------------------------------------ 7. a Eurostat TSV saved as UTF-16

EUROSTAT_TSV = TEST_DATA / "eurostat" / "sbs_r_nuts06_r2_bulk_excerpt.tsv"


@pytest.mark.parametrize("encoding,bom,end", [("utf-16-le", b"\xff\xfe", "\r\n"), ("utf-16-be", b"\xfe\xff", "\n"),
                                              ("utf-16-le", b"", "\r\n")])
def test_eurostat_tsv_saved_as_utf16_reads_as_the_tsv(tmp_path, capsys, encoding, bom, end):
    expected = csv_rows(run_ok(["ingest", str(EUROSTAT_TSV), "-o", "-"], capsys)[0])
    text = EUROSTAT_TSV.read_text(encoding="utf-8")
    src = tmp_path / "sbs_r_nuts06_r2.tsv"
    src.write_bytes(bom + text.replace("\n", end).encode(encoding))
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert csv_rows(out) == expected
    # a bad cell is named by its line in the file given
    src.write_bytes(bom + text.replace("48210", "48x10").replace("\n", end).encode(encoding))
    code, _out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1
    assert "sbs_r_nuts06_r2.tsv:3: column '2016': not a Eurostat value" in err


# --------------------------------------- 8. a note under a table that starts in column B


def test_note_under_a_table_right_of_an_empty_column(tmp_path, capsys):
    import openpyxl

    src = tmp_path / "kreise.xlsx"
    _kreise_xlsx(src, "format", title=True)
    wb = openpyxl.load_workbook(src)
    wb.active.cell(4 + len(KREISE), 2, "Quelle: Statistische Ämter des Bundes und der Länder")
    wb.save(src)
    out = tmp_path / "out.csv"
    _out, err = run_ok(["ingest", str(src), "-o", str(out)], capsys)
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert {r["region"] for r in rows} == {"01001", "09162"} and len(rows) == 4
    assert _meta(out)["dropped"] == {"note rows under the table (one filled cell)": 1}
