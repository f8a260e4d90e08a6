"""Known gaps closed in session 27 (helper 'gaps'): one test group per gap.

1. A QCEW or CBP file whose rows end in two or more empty columns ('pay,,', as a spreadsheet
   saves a sheet whose cells right of the table were touched) was refused as 'header row
   cannot be read ... found '_duplicated_0'; an unbalanced quote?': the CSV scanner names the
   second blank heading '_duplicated_0'.  Blank headings are no broken header; and a row cut
   short is short of the last *named* heading (with one empty column every row was a
   suspect, and the whole file was read a second time, line by line, to clear them).
2. A QCEW industry title without its code ('Retail trade', 'Natural resources and mining', as
   a table joined to BLS's names writes it) lost its first word, taken for the code: the
   industry's name came out 'trade', 'resources and mining'.  Only a code is taken off.
3. A footnote mark closed by the superscript bracket ('⁾', U+207E, as Word and Excel set
   '¹⁾') was read after a region's name and after a marker ('-¹⁾'), but not after a figure
   ('11¹⁾': 'not a number', exit 1) nor after a year heading ('2022¹⁾': 'not a period').
4. A Eurostat TSV saved again by a spreadsheet as CSV (its first cell quoted,
   '"indic_sb,nace_r2,geo\\time",2016,2015') was refused on every line as 'first cell has 5
   codes, the header names 3'; with the first column split into one column per dimension
   ("text to columns": 'indic_sb,nace_r2,geo\\time,2016') it went to the generic reader and
   was refused as having 'no region column'.  Both are read as the TSV they came from.
5. An industry cell holding a code with its classification's prefix and its name, as GENESIS
   writes WZ 2008 with labels ('WZ08-C Verarbeitendes Gewerbe', 'WZ08-10 Herstellung von
   Nahrungsmitteln'), was read whole as a custom code 'C Verarbeitendes Gewerbe' (no level,
   no hierarchy), and beside plain 'C Verarbeitendes Gewerbe' rows the prefixed ones stayed
   custom codes of their own; and a dash between code and name ('C - Verarbeitendes
   Gewerbe') was kept as the name's first character.
6. GENESIS's units row under measure headings (';;;;Betriebe;Sozialversicherungspflichtig
   Beschäftigte' over ';;;;Anzahl;Anzahl', its key columns unheaded) was taken for the header
   and the file refused for its 'duplicate column heading' 'Anzahl'.  A row of unit words
   under labels in the same columns is the units row (as under period headings), the row
   above the header.
7. A region column headed by a word for the area ('Kreis', 'Region') holding codes (03159)
   with the names beside it under a bare 'Name' or 'Bezeichnung', or under German's one-word
   compound ('Kreisname', 'Gemeindebezeichnung'), left the names unread ('column not read:
   Name'): every region came out nameless in the reports.  The bare name right of a code
   column was read only under a heading that says 'code' ('Код КАТО;Наименование').
8. Codes written as floats by pandas (a column of numbers with a gap: '1001.0', '23.0') were
   read as written: the county 1001.0 was no FIPS code (no level, never padded to 01001) and
   NAICS sector 23.0 the NACE group C23.0 (level 3).  A region or industry column whose every
   code is a whole number followed by '.0' is read without it.
9. GENESIS's business register by size class (52111: 'Insgesamt', '0 bis unter 10
   sozialversicherungspflichtig Beschäftigte' ... beside each WZ section) was refused: its
   unheaded size-class column was taken for the names of the WZ codes beside it (a column of
   several 'names' per code) and every size class was a duplicate of its section's row; under
   its heading 'Beschäftigtengrößenklassen' the rows 'differ only in a column not read'.  The
   size classes are parts of their total (Insgesamt), dropped and counted, as Census's EMPSZES
   and Eurostat's size_emp; a units row under headings that leave a key column's heading
   without a unit is the units row still.
10. Eurostat SBS's wages and salaries (indic_sb V13320, million euro, no unit dimension) were
   read as employment when the table held that indicator alone (3,400 'persons employed'),
   and with --measure wages as euros, a millionth of the amount; beside V16110 --measure wages
   was refused as 'several values'.  The indicator says its measure and multiple (V13320 wages,
   V12150 and V12120 output, million euro), in the TSV and the SDMX-CSV alike; another code
   in money by Eurostat's suffix (sbs_r_nuts2021's WAGE_LOC_MEUR) is an amount in millions.
11. A wide table by year with a yearbook's change or share right of its years ('Change
   2020-2021', '% change', 'Veränderung 2021 gegenüber 2020 in %', 'в % к 2020') was refused
   as 'column heading among the period columns is not a period' (or as a fiscal year); such a
   column is derived from the years' figures: named as not read, as left of the years.
12. A table saved by a Mac ("CSV (Macintosh)", Mac OS Roman) was read in cp1252: its ä ö ü é
   are cp1252's Š š Ÿ Ž, so 'Beschäftigte' was no heading ('BeschŠftigte': 'no measure
   column recognised') and the names came out 'Gšttingen', 'MŸnchen', 'RŽgion', exit 0 where
   a heading did not need its umlaut.  Mac Roman is a contender of the short tables' Latin
   pages (last, so a tie keeps a Windows page).
"""

from __future__ import annotations

import pytest

from conftest import TEST_DATA, csv_rows, ingest_text, run_main, run_ok

# --------------------------------------------------- 1. empty columns after the last heading

QCEW_ANNUAL = (
    '"area_fips","own_code","industry_code","agglvl_code","size_code","year","qtr",'
    '"disclosure_code","area_title","industry_title","annual_avg_estabs_count",'
    '"annual_avg_emplvl","total_annual_wages"\n'
    '"49001","0","10","70","0","2019","A","","Beaver County, Utah","10 Total, all industries",300,3000,120000000\n'
    '"49001","5","10","71","0","2019","A","","Beaver County, Utah","10 Total, all industries",250,2500,100000000\n'
    '"49001","5","23","74","0","2019","A","","Beaver County, Utah","NAICS 23 Construction",20,400,15000000\n'
    '"49001","5","311","75","0","2019","A","N","Beaver County, Utah","NAICS 311 Food manufacturing",3,0,0\n')


def _with_empty_columns(text: str, n: int) -> str:
    return "".join(line + "," * n + "\r\n" for line in text.splitlines())


def test_qcew_file_ending_in_empty_columns_is_read(tmp_path, capsys):
    src = tmp_path / "2019.annual.by_area.csv"
    for n in (1, 2, 3):
        src.write_text(_with_empty_columns(QCEW_ANNUAL, n), encoding="utf-8-sig")
        out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
        rows = {(r["ownership"], r["industry"]): r for r in csv_rows(out)}
        assert rows[("private", "23")]["employment"] == "400.0", n
        assert rows[("private", "311")]["employment_status"] == "suppressed", n
        assert "unbalanced quote" not in err


def test_qcew_row_cut_short_before_the_empty_columns_is_still_refused(tmp_path, capsys):
    lines = _with_empty_columns(QCEW_ANNUAL, 2).splitlines()
    lines[3] = lines[3][:40]
    src = tmp_path / "2019.annual.by_area.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1
    assert "2019.annual.by_area.csv:4: row has 9 fields, the header has 15" in err


def test_cbp_file_ending_in_empty_columns_is_read(tmp_path, capsys):
    text = (TEST_DATA / "cbp" / "cbp16co_excerpt.txt").read_text(encoding="utf-8")
    expected = csv_rows(run_ok(["ingest", str(TEST_DATA / "cbp" / "cbp16co_excerpt.txt"), "-o", "-"],
                               capsys)[0])
    src = tmp_path / "cbp16co.txt"
    src.write_text(_with_empty_columns(text, 2), encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert csv_rows(out) == expected


# ------------------------------------------------------- 2. industry titles without their code


def test_qcew_industry_title_without_its_code_keeps_its_first_word(tmp_path, capsys):
    text = (QCEW_ANNUAL.replace('"NAICS 23 Construction"', '"Heavy construction"')
            .replace('"10 Total, all industries"', '"Total, all industries"')
            .replace('"NAICS 311 Food manufacturing"', '"NAICS311 Food manufacturing"'))
    src = tmp_path / "2019.annual.by_area.csv"
    src.write_text(text, encoding="utf-8")
    rows = {(r["ownership"], r["industry"]): r["industry_name"]
            for r in csv_rows(run_ok(["ingest", str(src), "-o", "-"], capsys)[0])}
    assert rows == {("private", "10"): "Total, all industries", ("private", "23"): "Heavy construction",
                    ("private", "311"): "Food manufacturing", ("total", "10"): "Total, all industries"}


# -------------------------------------------- 3. a footnote mark closed by a superscript bracket


def test_superscript_bracket_after_a_figure_and_a_year_heading(tmp_path, capsys):
    text = ("region;industry;2021;2022¹⁾\nA;C;10;11¹⁾\nA;F;5;6\nB;C;7;8\nB;F;3;4²⁾\n")
    code, err, rows = ingest_text(tmp_path, capsys, "t.csv", text)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): (r["employment"], r["employment_flag"]) for r in rows}
    assert got[("2022", "A", "C")] == ("11.0", "¹⁾")
    assert got[("2022", "B", "F")] == ("4.0", "²⁾")
    assert got[("2021", "A", "C")] == ("10.0", "")


# ------------------------------------------------ 4. a Eurostat TSV saved again by a spreadsheet

EUROSTAT_TSV = (TEST_DATA / "eurostat" / "sbs_r_nuts06_r2_bulk_excerpt.tsv")


def _saved_again(sep: str, split: bool) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    for line in EUROSTAT_TSV.read_text(encoding="utf-8").splitlines():
        first, *rest = line.split("\t")
        writer.writerow([*(first.split(",") if split else [first]), *(c.strip() for c in rest)])
    return buf.getvalue()


@pytest.mark.parametrize("sep,split", [(",", False), (";", False), (",", True), (";", True), ("\t", True)])
def test_eurostat_tsv_saved_again_as_csv_reads_as_the_tsv(tmp_path, capsys, sep, split):
    expected = run_ok(["ingest", str(EUROSTAT_TSV), "-o", "-"], capsys)[0]
    code, err, rows = ingest_text(tmp_path, capsys, "sbs_r_nuts06_r2.csv", _saved_again(sep, split))
    assert code == 0, err
    assert rows == csv_rows(expected)
    assert any(r["employment_flag"] == "c" and r["employment_status"] == "suppressed" for r in rows)


def test_eurostat_csv_saved_again_names_its_own_lines(tmp_path, capsys):
    text = _saved_again(",", True).replace("48210", "48x10")
    code, err, _rows = ingest_text(tmp_path, capsys, "sbs.csv", text)
    assert code == 1
    assert "sbs.csv:3: column '2016': not a Eurostat value" in err
    assert "tmp" not in err.replace(str(tmp_path), "")


def test_a_crosstab_corner_is_no_eurostat_table(tmp_path, capsys):
    from clusterid.io.readers import eurostat

    assert eurostat.time_cell(["Region\\time", "2016"]) is None
    assert eurostat.time_cell(["region", "industry\\time", "2016"]) is None
    assert eurostat.time_cell(["unit", "nace_r2", "geo\\TIME_PERIOD", "2016"]) == 2


# ------------------------------------------ 5. a code with its classification's prefix and its name


@pytest.mark.parametrize("cell,code,name", [
    ("WZ08-C Verarbeitendes Gewerbe", "C", "Verarbeitendes Gewerbe"),
    ("WZ08-10 Herstellung von Nahrungsmitteln", "C10", "Herstellung von Nahrungsmitteln"),
    ("C - Verarbeitendes Gewerbe", "C", "Verarbeitendes Gewerbe"),
])
def test_industry_code_with_prefix_and_name_in_one_cell(tmp_path, capsys, cell, code, name):
    text = ("Kreis;Name;WZ;Beschäftigte\n"
            f"03159;Göttingen;Insgesamt;100\n03159;Göttingen;{cell};20\n03159;Göttingen;WZ08-F Baugewerbe;8\n"
            f"03241;Hannover;Insgesamt;500\n03241;Hannover;{cell};80\n03241;Hannover;WZ08-F Baugewerbe;30\n")
    code_, err, rows = ingest_text(tmp_path, capsys, "kreise.csv", text, "--period", "2021")
    assert code_ == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert set(got) == {(k, i) for k in ("03159", "03241") for i in ("10", code, "F")}
    assert {r["classification"] for r in rows} == {"NACE"}
    assert got[("03241", code)]["industry_name"] == name
    assert got[("03241", "F")]["industry_name"] == "Baugewerbe"


def test_genesis_grouping_and_prefix_alone_stay_as_they_were():
    from clusterid.core import codes

    assert codes.split_label("WZ08-B-10 Energieintensive Industriezweige")[1] is None
    assert codes.split_label("WZ08-C") == ("WZ08-C", None)
    assert codes.split_label("NACE Rev. 2") == ("NACE Rev. 2", None)


# --------------------------------------------------- 6. a units row under the measures' headings

GENESIS_52111 = (
    "52111-01-02-4: Betriebe und sozialversicherungspflichtig Beschäftigte nach;;;;;\n"
    "Wirtschaftsabschnitten - Stichtag 31.12. - regionale Tiefe: Kreise und krfr. Städte;;;;;\n"
    "Unternehmensregister;;;;;\n"
    ";;;;Betriebe;Sozialversicherungspflichtig Beschäftigte\n"
    ";;;;Anzahl;{unit}\n"
    "2021;03159;  Göttingen, Landkreis;Insgesamt;12.345;98.765\n"
    "2021;03159;  Göttingen, Landkreis;WZ08-C Verarbeitendes Gewerbe;1.000;20.000\n"
    "2021;03159;  Göttingen, Landkreis;WZ08-F Baugewerbe;1.500;8.000\n"
    "2021;03241;  Region Hannover;Insgesamt;50.000;500.000\n"
    "2021;03241;  Region Hannover;WZ08-C Verarbeitendes Gewerbe;3.000;80.000\n"
    "2021;03241;  Region Hannover;WZ08-F Baugewerbe;5.000;30.000\n"
    "__________;;;;;\n"
    "(C)opyright Statistische Ämter des Bundes und der Länder, 2023;;;;;\n")


@pytest.mark.parametrize("unit,factor", [("Anzahl", 1), ("Tausend", 1000)])
def test_units_row_under_measure_headings(tmp_path, capsys, unit, factor):
    src = tmp_path / "52111-01-02-4.csv"
    src.write_bytes(GENESIS_52111.format(unit=unit).replace("\n", "\r\n").encode("latin-1"))
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    got = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert float(got[("03241", "C")]["employment"]) == 80000 * factor
    assert float(got[("03241", "C")]["establishments"]) == 3000
    assert got[("03159", "F")]["region_name"] == "Göttingen, Landkreis"
    assert "label row under the header" in err


# ------------------------------------------------------ 7. region names beside a 'Kreis' of codes

KREISE = ("Kreis;{name};WZ;Jahr;employment\n"
          "03159;Göttingen;C;2021;20\n03159;Göttingen;F;2021;8\n"
          "03241;Region Hannover;C;2021;80\n03241;Region Hannover;F;2021;30\n"
          "09162;München;C;2021;200\n09162;München;F;2021;50\n")


@pytest.mark.parametrize("name", ["Name", "Bezeichnung", "Kreisname", "Landkreisname"])
def test_names_beside_a_region_column_of_codes_are_read(tmp_path, capsys, name):
    code, err, rows = ingest_text(tmp_path, capsys, "kreise.csv", KREISE.format(name=name))
    assert code == 0, err
    names = {r["region"]: r["region_name"] for r in rows}
    assert names == {"03159": "Göttingen", "03241": "Region Hannover", "09162": "München"}
    assert "column not read" not in err


def test_a_name_column_beside_region_names_is_still_not_read_as_names(tmp_path, capsys):
    text = KREISE.format(name="Name").replace("03159;", "Goettingen;").replace(
        "03241;", "Hannover;").replace("09162;", "Muenchen;")
    code, err, rows = ingest_text(tmp_path, capsys, "kreise.csv", text)
    assert code == 0, err
    assert {r["region"] for r in rows} == {"Goettingen", "Hannover", "Muenchen"}


@pytest.mark.parametrize("heading,role", [("Kreisname", "region_name"), ("Gemeindebezeichnung", "region_name"),
                                          ("Kreiskennziffer", "region_code"), ("Kreisschlüssel", "region_code"),
                                          ("Kreis", "region"), ("Kreisstadt", None)])
def test_german_area_compounds(heading, role):
    from clusterid.io.readers.generic_headings import role_of

    assert role_of(heading) == role


# ---------------------------------------------------------- 8. codes written as floats by pandas


def test_region_and_industry_codes_written_as_floats(tmp_path, capsys):
    text = ("area_fips,naics,year,employment\n1001.0,23.0,2019.0,100.0\n1001.0,31-33,2019.0,50.0\n"
            "1003.0,23.0,2019.0,80.0\n1003.0,31-33,2019.0,40.0\n")
    code, err, rows = ingest_text(tmp_path, capsys, "counties.csv", text)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert set(got) == {(a, i) for a in ("01001", "01003") for i in ("23", "31-33")}
    assert got[("01001", "23")]["region_level"] == "county"
    assert got[("01001", "23")]["classification"] == "NAICS"


def test_a_code_column_with_one_real_decimal_is_left_as_it_is(tmp_path, capsys):
    # NACE groups: 10.1 and 10.0-looking cells together are codes as written
    text = ("region,industry,year,employment\nA,C10.1,2019,100\nA,C10.2,2019,50\n"
            "B,C10.1,2019,80\nB,C10.2,2019,40\n")
    code, err, rows = ingest_text(tmp_path, capsys, "groups.csv", text)
    assert code == 0, err
    assert {r["industry"] for r in rows} == {"C10.1", "C10.2"}


# ------------------------------------------------- 9. GENESIS's size classes beside the sections

GENESIS_BY_SIZE = (
    "52111-01-02-4: Betriebe und sozialversicherungspflichtig Beschäftigte nach;;;;;;\n"
    "Beschäftigtengrößenklassen und Wirtschaftsabschnitten - Stichtag 31.12. -;;;;;;\n"
    "regionale Tiefe: Kreise und krfr. Städte;;;;;;\n"
    ";;;;{size};Betriebe;Sozialversicherungspflichtig Beschäftigte\n"
    ";;;;;Anzahl;Anzahl\n"
    "2021;03159;Göttingen, Landkreis;Insgesamt;Insgesamt;12.345;98.765\n"
    "2021;03159;Göttingen, Landkreis;Insgesamt;0 bis unter 10 sozialversicherungspflichtig Beschäftigte;10.000;20.000\n"
    "2021;03159;Göttingen, Landkreis;Insgesamt;250 und mehr sozialversicherungspflichtig Beschäftigte;45;13.765\n"
    "2021;03159;Göttingen, Landkreis;WZ08-C Verarbeitendes Gewerbe;Insgesamt;1.000;20.000\n"
    "2021;03159;Göttingen, Landkreis;WZ08-C Verarbeitendes Gewerbe;0 bis unter 10 sozialversicherungspflichtig Beschäftigte;700;2.000\n"
    "2021;03159;Göttingen, Landkreis;WZ08-C Verarbeitendes Gewerbe;10 bis unter 50 sozialversicherungspflichtig Beschäftigte;.;.\n"
    "2021;03159;Göttingen, Landkreis;WZ08-F Baugewerbe;Insgesamt;1.500;8.000\n"
    "2021;03241;Region Hannover;Insgesamt;Insgesamt;50.000;500.000\n"
    "2021;03241;Region Hannover;WZ08-C Verarbeitendes Gewerbe;Insgesamt;3.000;80.000\n"
    "2021;03241;Region Hannover;WZ08-F Baugewerbe;Insgesamt;5.000;30.000\n"
    "__________;;;;;;\n"
    "(C)opyright Statistische Ämter des Bundes und der Länder, 2023;;;;;;\n")


@pytest.mark.parametrize("size", ["", "Beschäftigtengrößenklassen"])
def test_genesis_size_classes_are_parts_of_their_total(tmp_path, capsys, size):
    src = tmp_path / "52111-01-02-4.csv"
    src.write_bytes(GENESIS_BY_SIZE.format(size=size).encode("latin-1"))
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    got = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert set(got) == {(k, i) for k in ("03159", "03241") for i in ("10", "C", "F")}
    assert got[("03159", "C")]["employment"] == "20000.0"
    assert got[("03159", "C")]["industry_name"] == "Verarbeitendes Gewerbe"
    assert got[("03159", "10")]["establishments"] == "12345.0"
    assert "4 rows of one" in err


def test_names_beside_codes_are_one_per_code(tmp_path, capsys):
    # the names column right of GENESIS's unheaded WZ codes is still their names
    text = (";;;30.06.2022\n"
            "Niedersachsen;WZ08-A;Land- und Forstwirtschaft, Fischerei;31.870\n"
            "Niedersachsen;WZ08-C;Verarbeitendes Gewerbe;552.101\n"
            "Bremen;WZ08-A;Land- und Forstwirtschaft, Fischerei;1.101\n"
            "Bremen;WZ08-C;Verarbeitendes Gewerbe;60.101\n")
    code, err, rows = ingest_text(tmp_path, capsys, "laender.csv", text)
    assert code == 0, err
    assert {(r["industry"], r["industry_name"]) for r in rows} == {
        ("A", "Land- und Forstwirtschaft, Fischerei"), ("C", "Verarbeitendes Gewerbe")}


# ------------------------------------------------------ 10. SBS indicators in million euro

SBS_TSV = ("indic_sb,nace_r2,geo\\time\t2016 \t2015 \n"
           "V13320,C,DE11\t3500.2 \t3400.1 \nV13320,C10,DE11\t150.3 \t140.0 \nV13320,C,DE12\t1500.0 \t: c\n")
SBS_SDMX = ("DATAFLOW,LAST UPDATE,freq,indic_sb,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
            + "".join(f"ESTAT:SBS_R_NUTS06_R2(1.0),18/12/23 23:00:00,A,V13320,{n},{g},2016,{v},\n"
                      for n, g, v in (("C", "DE11", "3500.2"), ("C10", "DE11", "150.3"), ("C", "DE12", "1500.0"))))


@pytest.mark.parametrize("name,text", [("sbs.tsv", SBS_TSV), ("sbs.csv", SBS_SDMX)])
def test_sbs_wages_in_million_euro(tmp_path, capsys, name, text):
    code, err, rows = ingest_text(tmp_path, capsys, name, text, "--measure", "wages")
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r["wages"] for r in rows}
    assert float(got[("2016", "DE11", "C")]) == 3500.2e6
    assert float(got[("2016", "DE12", "C")]) == 1500e6
    code, err, _rows = ingest_text(tmp_path, capsys, name, text)
    assert code != 0
    assert "--measure wages" in err


def test_sbs_wages_chosen_beside_persons_employed(tmp_path, capsys):
    text = SBS_TSV + "V16110,C,DE11\t752340 \t748120 \nV16110,C,DE12\t301220 \t298400 \n"
    code, err, rows = ingest_text(tmp_path, capsys, "sbs.tsv", text, "--measure", "wages")
    assert code == 0, err
    assert float({(r["period"], r["region"], r["industry"]): r["wages"] for r in rows}[("2015", "DE11", "C")]) == 3400.1e6
    code, err, rows = ingest_text(tmp_path, capsys, "sbs.tsv", text)
    assert code == 0, err
    assert {r["employment"] for r in rows if r["region"] == "DE11" and r["period"] == "2016"} == {"752340.0"}


# ----------------------------------------------- 11. a change or share right of the years


@pytest.mark.parametrize("heading", ["Change 2020-2021", "% change", "Veränderung 2021 gegenüber 2020 in %",
                                     "в % к 2020", "Anteil 2021"])
def test_a_change_right_of_the_years_is_not_read(tmp_path, capsys, heading):
    text = (f"Region;Industry;2020;2021;{heading}\nA;C;100;110;10\nA;F;50;55;5\n"
            "B;C;80;88;8\nB;F;40;44;4\n")
    code, err, rows = ingest_text(tmp_path, capsys, "wide.csv", text)
    assert code == 0, err
    assert {(r["period"], r["region"], r["industry"]): r["employment"] for r in rows}[("2021", "B", "F")] == "44.0"
    assert len(rows) == 8
    assert f"column not read: '{heading}'" in err


def test_a_word_right_of_the_years_is_still_refused(tmp_path, capsys):
    text = "Region;Industry;2020;2021;Notes\nA;C;100;110;x\nA;F;50;55;y\n"
    code, err, _rows = ingest_text(tmp_path, capsys, "wide.csv", text)
    assert code != 0
    assert "'Notes'" in err


# -------------------------------------------------------------------- 12. Mac OS Roman

MAC_TABLE = ("Kreis;Name;WZ;Jahr;Beschäftigte\n03159;Göttingen;C;2021;20\n03159;Göttingen;F;2021;8\n"
             "09162;München;C;2021;200\n09162;München;F;2021;50\n05315;Köln;C;2021;90\n05315;Köln;F;2021;30\n")


@pytest.mark.parametrize("end", ["\n", "\r"])
def test_mac_roman_table(tmp_path, capsys, end):
    src = tmp_path / "kreise.csv"
    src.write_bytes(MAC_TABLE.replace("\n", end).encode("mac_roman"))
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert {r["region"]: r["region_name"] for r in csv_rows(out)} == {
        "03159": "Göttingen", "09162": "München", "05315": "Köln"}


def test_mac_roman_french_headings():
    from clusterid.io.readers import text as textmod

    data = "Région;Secteur;Année;Salariés\n01;C;2021;1200\n".encode("mac_roman")
    assert textmod.decode(data)[0].startswith("Région;Secteur;Année;Salariés")


@pytest.mark.parametrize("page", ["cp1252", "cp1250"])
def test_windows_tables_stay_in_their_page(page):
    from clusterid.io.readers import text as textmod

    text = {"cp1252": "Région;Année;Salariés\nAriège;2021;12\nIsère;2021;30\n",
            "cp1250": "Kraj;Rok;Zaměstnanci\nJihomoravský;2021;12\nStředočeský;2021;30\n"}[page]
    assert textmod.decode(text.encode(page))[0] == text


def test_an_indicator_in_million_euro_by_its_suffix(tmp_path, capsys):
    text = ("freq,nace_r2,indic_sbs,geo\\TIME_PERIOD\t2021 \t2022 \n"
            "A,C,WAGE_LOC_MEUR,AT11\t700.5 \t720.1 \nA,C,WAGE_LOC_MEUR,AT12\t5000.2 \t5100.0 \n"
            "A,C10,WAGE_LOC_MEUR,AT11\t60.3 \t: c\n")
    code, err, rows = ingest_text(tmp_path, capsys, "sbs21.tsv", text, "--measure", "wages")
    assert code == 0, err
    assert float({(r["period"], r["region"], r["industry"]): r["wages"] for r in rows}[("2021", "AT12", "C")]) == 5000.2e6
    code, err, _rows = ingest_text(tmp_path, capsys, "sbs21.tsv", text)
    assert code != 0
    assert "WAGE_LOC_MEUR is an amount in million euro, not employment" in err
