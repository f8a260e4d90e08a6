"""Files in layouts and shapes earlier hunts did not cover (session 30): each test names the
real source whose layout its made-up input follows (tests/data/hunt30/README.md) and checks what
clusterid read against the file, or that the file is refused in one located line."""

from __future__ import annotations

from pathlib import Path

from conftest import cell_values as _cells, csv_rows, ingest_stdout, run_main

DATA = Path(__file__).parent / "data" / "hunt30"


def _read(capsys, name: str, *options: str):
    return ingest_stdout(capsys, DATA / name, *options)


# ---- a decimal comma before three digits in a ';'-separated table

def test_a_decimal_comma_before_three_digits_is_no_thousands_group(capsys):
    """Destatis's Erwerbstätigenrechnung in millions (`;`, decimal comma): `0,052` is 52,000
    persons and `1,456` 1.456 million.  Read as grouped thousands (the English reading of
    `1,456`), Baden-Württemberg's manufacturing had 1,456 million employees, Bremen's 52 million:
    every figure a thousand times too large, silently."""
    code, rows, err = _read(capsys, "etr_laender_mio_decimal_comma.csv")
    assert code == 0, err
    assert _cells(rows) == {("2022", "08", "C"): ("1456000.0", "reported"),
                            ("2022", "08", "F"): ("398000.0", "reported"),
                            ("2022", "09", "C"): ("1401000.0", "reported"),
                            ("2022", "09", "F"): ("512000.0", "reported"),
                            ("2022", "04", "C"): ("52000.0", "reported"),
                            ("2022", "04", "F"): ("21000.0", "reported")}


def test_an_ungrouped_figure_settles_the_comma_of_a_semicolon_table(capsys):
    """GENESIS writes no thousands separator: beside an ungrouped `1041`, `1,456` (thousands)
    is 1.456 thousand persons, not 1,456 thousand."""
    code, rows, err = _read(capsys, "etr_laender_ungrouped_beside.csv")
    assert code == 0, err
    assert _cells(rows)[("2022", "08", "C")] == ("1456.0", "reported")
    assert _cells(rows)[("2022", "08", "F")] == ("398125.0", "reported")
    assert _cells(rows)[("2022", "09", "F")] == ("1041000.0", "reported")


def test_a_semicolon_table_of_comma_three_digit_figures_alone_asks_for_decimal(capsys):
    """Nothing settles `1,456` in a `;` table of such figures alone: a decimal comma in the
    continental layout, a thousands group in the English one, either reading a thousand times
    the other.  Refused in one line asking for --decimal, as `283.060` is elsewhere."""
    code, _, err = _read(capsys, "etr_laender_1000_three_decimals.csv")
    assert code == 1 and err.count("error:") == 1, err
    assert ("etr_laender_1000_three_decimals.csv:2: column 'Erwerbstätige (1000)': cannot tell whether ',' "
            "is a decimal comma or a thousands separator") in err and "found '1,456'" in err, err
    assert "--decimal" in err and "Traceback" not in err
    code, rows, err = _read(capsys, "etr_laender_1000_three_decimals.csv", "--decimal", ",")
    assert code == 0 and _cells(rows)[("2022", "08", "C")] == ("1456.0", "reported"), err


def test_a_benchmark_share_with_a_decimal_comma_is_a_fraction(tmp_path, capsys):
    """A reference file of national shares saved by a continental spreadsheet (`;`, `0,185`):
    the share was read as 185 and refused as a percentage."""
    table = tmp_path / "t.csv"
    table.write_text("region,industry,year,employment\nBW,C,2022,1500\nBY,C,2022,1400\nBW,F,2022,400\n"
                     "BY,F,2022,500\nBW,10,2022,6000\nBY,10,2022,7000\n", encoding="utf-8")
    ref = tmp_path / "ref.csv"
    ref.write_text("industry;period;benchmark_share\nC;2022;0,185\nF;2022;0,065\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(table), "-b", str(ref), "-o", "-"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"], r["measure"]): r["lq"] for r in csv_rows(out)}
    assert abs(float(lq[("BW", "C", "employment")]) - (1500 / 6000) / 0.185) < 1e-6


def test_a_decimal_point_after_a_zero_settles_a_semicolon_table(capsys):
    """The Swiss FSO writes `;`-separated tables with decimal points: beside `0.852` (Appenzell
    Innerrhoden's thousands), `76.412` is 76,412 persons.  `;` alone made every `d.ddd` a German
    thousands group, and `0.852` thousand became 852,000 persons."""
    code, rows, err = _read(capsys, "bfs_kantone_1000_decimal_point_semicolon.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2021", "AI", "C")] == ("852.0", "reported")
    assert cells[("2021", "ZH", "C")] == ("76412.0", "reported")
    assert cells[("2021", "BE", "F")] == ("38960.0", "reported")


# ---- a header of two rows with the key headings on the lower one

def test_years_over_measures_with_the_key_headings_on_the_lower_row(capsys):
    """A Land office's table typed in a spreadsheet: each year merged over `Betriebe | Tätige
    Personen`, the key columns headed on the row of the measures (`Kreis-Nr.;Kreis;WZ 2008`)
    under empty cells.  It was refused as 'duplicate column heading ... rename one of the
    columns', though the years said which is which."""
    code, rows, err = _read(capsys, "sh_kreise_years_over_measures_keys_below.csv")
    assert code == 0, err
    assert len(rows) == 8
    assert _cells(rows)[("2021", "01003", "C")] == ("12230.0", "reported")
    assert _cells(rows)[("2022", "01003", "C")] == ("", "suppressed")
    assert _cells(rows, "establishments")[("2022", "01003", "C")] == ("118.0", "reported")
    assert {r["region_name"] for r in rows if r["region"] == "01002"} == {"Kiel, Landeshauptstadt"}


# ---- a hidden sheet before the table the workbook shows

def test_a_hidden_sheet_is_not_read_in_place_of_the_visible_table(capsys):
    """A Land office's workbook keeping last year's figures on a hidden first sheet: ingest
    read the hidden 2019 table, one nobody opening the workbook sees, and only warned that the
    visible sheet 'holds figures too'.  The visible sheet is read; the hidden one is named, and
    read when --sheet names it.  In xlsx (openpyxl) and xls (calamine) alike."""
    for name in ("laender_hidden_sheet_first.xlsx", "laender_hidden_sheet_first.xls"):
        code, rows, err = _read(capsys, name)
        assert code == 0, err
        assert {r["period"] for r in rows} == {"2022"}, name
        assert _cells(rows)[("2022", "Bremen", "C")] == ("54400.0", "reported")
        assert f"{name}: hidden sheet(s) 'Daten_alt' hold figures too and were not read" in err, err
        code, rows, err = _read(capsys, name, "--sheet", "Daten_alt")
        assert code == 0 and {r["period"] for r in rows} == {"2019"}, err


# ---- two agency files saved by Excel as "CSV UTF-8" and joined with cat

def test_cbp_files_joined_with_a_bom_before_the_second_header(capsys):
    """Two CBP county files saved by Excel as CSV UTF-8 and joined with cat: the second keeps
    its BOM before its quoted first heading ('\\ufeff"fipstate"'), which was not taken for the
    header again but read as a row of three bad cells (FIPS code, NAICS code, flag)."""
    code, rows, err = _read(capsys, "cbp16co_two_states_excel_utf8_cat.txt")
    assert code == 0, err
    assert "dropped: 1 rows repeating the header (files joined with cat)" in err, err
    assert {r["region"][:2] for r in rows} == {"32", "49"}
    assert _cells(rows)[("2016", "32001", "10")] == _cells(rows)[("2016", "49001", "10")] == ("1598.0", "reported")


def test_lodes_files_joined_with_cat_are_read_as_the_files_they_are(capsys):
    """Two states' LODES WAC files (Utah's, and the same blocks as Nevada's) joined with cat,
    each saved by Excel with its BOM: the second header was 'not a census block code
    (found '\\ufeffw_geocode')', and without BOMs 'not a census block code (found 'w_geocode')'."""
    code, rows, err = _read(capsys, "ut_nv_wac_S000_JT00_2019.csv")
    assert code == 0, err
    assert "dropped: 1 rows repeating the header (files joined with cat)" in err, err
    total = {r["region"]: float(r["employment"]) for r in rows if r["industry"] == "10"}
    assert set(total) == {"49001", "49003", "49005", "32001", "32003", "32005"}
    assert total["32001"] == total["49001"]


def test_bea_files_joined_with_cat_are_read_as_the_files_they_are(capsys):
    """Two states' CAEMP25N files (Utah's and the same lines as Nevada's), the second saved
    by Excel with a BOM, joined with cat: the second header, under the first file's notes, was
    'not a FIPS code (found 'GeoFIPS')' (without a BOM too)."""
    code, rows, err = _read(capsys, "CAEMP25N_UT_NV_2015_2016_cat.csv")
    assert code == 0, err
    assert "1 rows repeating the header (files joined with cat)" in err, err
    cells = _cells(rows)
    assert cells[("2015", "32001", "10")] == cells[("2015", "49001", "10")] == ("2320.0", "reported")
    assert {r["region"] for r in rows} == {"32000", "32001", "49000", "49001"}


def test_r_scientific_notation_is_refused_saying_what_it_is(tmp_path, capsys):
    """A table written by R's write.csv, whose round figures come out as 1e+05 (100000) and
    3e+06: refused, as before, but no longer told to try --decimal/--thousands."""
    src = tmp_path / "r_table.csv"
    src.write_text("region,industry,year,employment\nDE1,C,2020,1e+05\nDE2,C,2020,123456\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and err.count("error:") == 1, err
    assert "r_table.csv:2: column 'employment': not a number" in err and "found '1e+05'" in err
    assert "scientific notation, as R writes round numbers" in err and "--decimal" not in err, err


# ---- Excel's owner file beside an open workbook

def _owner_file(folder: Path) -> Path:
    """The owner file Excel writes beside ``book.xlsx`` while it is open: a length byte, the
    user's name padded with blanks, NULs."""
    owner = folder / "~$book.xlsx"
    owner.write_bytes(b"\x0bMax Muster" + b" " * 43 + b"\x00" * 108)
    return owner


def test_an_excel_owner_file_matched_by_a_glob_is_left_out_and_named(tmp_path, capsys):
    """'tables/*.xlsx' while the workbook is open in Excel matched '~$book.xlsx' too: the whole
    input was refused ('NUL byte in a text file ... give --encoding utf-16').  Left out, said on
    stderr and in the provenance; an unquoted glob (the shell's expansion) alike."""
    (tmp_path / "book.xlsx").write_bytes((DATA / "laender_hidden_sheet_first.xlsx").read_bytes())
    owner = _owner_file(tmp_path)
    for inputs in ([str(tmp_path / "*.xlsx")], [str(tmp_path / "book.xlsx"), str(owner)]):
        out = tmp_path / "out.csv"
        code, _, err = run_main(["ingest", *inputs, "-o", str(out)], capsys)
        assert code == 0, err
        assert "~$book.xlsx: Office's owner file" in err and "skipped" in err, err
        assert "~$book.xlsx" in (tmp_path / "out.csv.meta.json").read_text(encoding="utf-8")
        assert len(csv_rows(out.read_text(encoding="utf-8"))) == 4
    code, _, err = run_main(["ingest", str(owner), "-o", "-"], capsys)
    assert code == 2 and err.count("error:") == 1 and "Office's owner file" in err, err


# ---- options for a generic table's columns given with an agency file

def test_column_options_with_an_agency_file_are_a_usage_error(tmp_path, capsys):
    """`--measure-col employment=month1_emplvl` on a QCEW file: its reader never looks at the
    option, so the three months' average was read where the first month was asked for, without
    a word.  A usage error now, pointing at --month; the same for the other column and layout
    options on any agency file or canonical table."""
    qcew = Path(__file__).parent / "data" / "qcew" / "2016.annual.49001.beaver_county.csv"
    code, out, err = run_main(["ingest", str(qcew), "-o", "-", "--measure-col", "employment=annual_avg_emplvl"],
                              capsys)
    assert code == 2 and err.count("error:") == 1 and out == "", err
    assert "--measure-col: " in err and "is read as a BLS QCEW file" in err and "--month" in err, err
    cbp = Path(__file__).parent / "data" / "cbp" / "cbp16co_excerpt.txt"
    code, _, err = run_main(["ingest", str(cbp), "-o", "-", "--skip-rows", "1", "--industry-col", "naics"], capsys)
    assert code == 2 and "--industry-col, --skip-rows: " in err and "Census CBP" in err, err


# ---- codes written as Excel text formulas

def test_codes_written_as_excel_text_formulas_are_read_as_their_text(capsys):
    """A labour-market portal's CSV export writes each code as an Excel text formula
    (`="01001"`, `="31-33"`; CSV-quoted, its quotes doubled, too) so that Excel keeps the leading
    zeros.  Read as they stood, the regions were `="01001"` and the NAICS sectors a custom
    classification of their own (`="31-33"`, no level), silently."""
    code, rows, err = _read(capsys, "lmi_export_excel_text_codes.csv")
    assert code == 0, err
    assert {r["region"] for r in rows} == {"01001", "01003"}
    assert {r["industry"] for r in rows} == {"10", "31-33", "44-45"}
    assert {r["classification"] for r in rows} == {"NAICS"} and {r["region_level"] for r in rows} == {"county"}
    assert _cells(rows)[("2022", "01003", "44-45")] == ("13870.0", "reported")


def test_sections_over_measures_with_the_key_headings_on_the_lower_row(capsys):
    """The same Land office's table by section: `B` and `C` each over `Betriebe | Tätige
    Personen`, the key headings (`Kreis-Nr.;Kreis;Jahr`) on the row of the measures.  Refused
    as 'duplicate column heading'; read now, each section's pair its rows' figures, `-` and `.`
    withheld (never 0)."""
    code, rows, err = _read(capsys, "sh_kreise_sections_over_measures_keys_below.csv")
    assert code == 0, err
    assert len(rows) == 8 and {r["industry"] for r in rows} == {"B", "C"}
    assert _cells(rows)[("2021", "01003", "C")] == ("12230.0", "reported")
    assert _cells(rows)[("2021", "01003", "B")] == ("", "suppressed")
    assert _cells(rows, "establishments")[("2021", "01003", "B")] == ("1.0", "reported")
    assert _cells(rows, "establishments")[("2021", "01001", "B")] == ("", "suppressed")


# ---- a command's --measure on a raw table of several indicators

def test_lq_and_stats_read_the_indicator_of_the_measure_asked_for(capsys):
    """A Eurostat SBS TSV holding wages (V13320) beside persons employed (V16110): `lq
    --measure wages` on the raw file said 'the input has no wages column; it has employment',
    as the file was read on the fly with employment's indicator alone.  The indicator of the
    one measure asked for is kept now (in million euro, scaled), for lq, stats, indices,
    shift-share and impute."""
    src = str(DATA / "sbs_r_nuts06_r2_wages_and_persons.tsv")
    code, out, err = run_main(["lq", src, "--measure", "wages", "-o", "-"], capsys)
    assert code == 0, err
    rows = [r for r in csv_rows(out) if r["period"] == "2020" and r["region"] == "AT11"]
    assert {r["measure"] for r in rows} == {"wages"}
    value = {r["industry"]: float(r["value"]) for r in rows}
    assert value == {"C": 123.4e6, "F": 45.6e6}
    code, out, err = run_main(["stats", src, "--measure", "Wages", "-o", "-"], capsys)
    assert code == 0 and "suppressed" in out.splitlines()[0], err
    code, out, err = run_main(["lq", src, "-o", "-"], capsys)  # employment, as before
    assert code == 0 and {r["measure"] for r in csv_rows(out)} == {"employment"}, err
    code, out, err = run_main(["indices", src, "--measure", "wages", "--period", "2020", "-o", "-"], capsys)
    assert code == 0 and {r["measure"] for r in csv_rows(out)} == {"wages"}, err


def test_quarters_written_letter_first_in_french_and_nordic(tmp_path, capsys):
    """INSEE's tables show a quarter as `T1 2021` (trimestre), the Nordic offices' as `K1 2021`
    beside `2021K1`: refused as 'not a period', where `Q1 2021` and `2021-T1` were read."""
    src = tmp_path / "estel_trimestres.csv"
    src.write_text("Région;Secteur d'activité;T1 2021;T2 2021\n84;C;512,3;514,0\n11;C;431,9;430,2\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2021Q1", "2021Q2"}
    src.write_text("region,industry,period,employment\nSE11,C,K3 2021,100\nSE12,C,K3 2021,200\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0 and {r["period"] for r in csv_rows(out)} == {"2021Q3"}, err
