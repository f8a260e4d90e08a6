"""Published layouts ingest had not been run on (hunt, session 19): each test writes a file in
the layout the agency publishes (keywords, headings, codes, markers, encodings), reads it with
ingest and the later stages in-process, and checks the figures by hand."""

from __future__ import annotations

from conftest import csv_rows, run_main

# Statistics Finland (StatFin), a PX-Web table saved as PC-Axis (.px, PX-Web's default
# "PC-Axis file" download; AXIS-VERSION 2013): ISO-8859-15 as its CODEPAGE says, three
# languages (the Swedish and English keywords in brackets), a title split over two lines, the
# areas and industries with their codes (SSS the whole country and all industries, MK01
# Uusimaa), the year its TIMEVAL, a content variable "Tiedot" of one value, ".." for a figure
# not published.  Figures: Uusimaa and Varsinais-Suomi, employed persons by workplace.
STATFIN_PX = '''\
CHARSET="ANSI";
AXIS-VERSION="2013";
CODEPAGE="iso-8859-15";
LANGUAGE="fi";
LANGUAGES="fi","sv","en";
CREATION-DATE="20231025 08:00";
DECIMALS=0;
SHOWDECIMALS=0;
MATRIX="115h";
SUBJECT-CODE="tyokay";
SUBJECT-AREA="Työssäkäynti";
SUBJECT-AREA[sv]="Sysselsättning";
SUBJECT-AREA[en]="Employment";
CONTENTS="Työlliset";
TITLE="Alueella työssäkäyvät (työpaikat) muuttujina Alue, Toimiala (TOL 2008), Vuosi ja "
"Tiedot";
TITLE[en]="Employed labour force by area of workplace by Area, Industry (TOL 2008), Year and Information";
UNITS="lukumäärä";
STUB="Alue","Toimiala (TOL 2008)";
STUB[en]="Area","Industry (TOL 2008)";
HEADING="Vuosi","Tiedot";
CONTVARIABLE="Tiedot";
VALUES("Alue")="KOKO MAA","Uusimaa","Varsinais-Suomi";
VALUES[en]("Area")="WHOLE COUNTRY","Uusimaa","Southwest Finland";
VALUES("Toimiala (TOL 2008)")="Kaikki toimialat","Teollisuus";
VALUES("Vuosi")="2020","2021";
VALUES("Tiedot")="Työlliset";
TIMEVAL("Vuosi")=TLIST(A1),"2020","2021";
CODES("Alue")="SSS","MK01","MK02";
CODES("Toimiala (TOL 2008)")="SSS","C";
CODES("Vuosi")="2020","2021";
CODES("Tiedot")="tyolliset";
SOURCE="Tilastokeskus, työssäkäyntitilasto";
DATA=
2488000 2531000
335000 340000
926000 945000
70000 71000
221000 224000
41000 ".."
;
'''


def _run(tmp_path, capsys, argv):
    code, _out, err = run_main(argv, capsys)
    return code, err


def test_pc_axis_file_is_read_as_its_cube(tmp_path, capsys):
    """A PC-Axis file was refused as a CSV whose first line is no header: "no region column
    recognised (... found 'CHARSET="ANSI"')", exit 1.  It is now read as the long table
    PX-Web's CSV download would be: each stub and heading variable a column ("code label"
    cells), the TIMEVAL variable the period, the figures in row-major order."""
    src = tmp_path / "statfin_tyokay_pxt_115h.px"
    src.write_bytes(STATFIN_PX.encode("iso-8859-15"))
    out = tmp_path / "fi.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert set(got) == {(y, r, i) for y in ("2020", "2021") for r in ("MK01", "MK02")
                        for i in ("10", "C")}
    # the sixth data line: Varsinais-Suomi, Teollisuus, 2020 and 2021
    assert float(got[("2020", "MK02", "C")]["employment"]) == 41000
    assert got[("2021", "MK02", "C")]["employment_status"] == "suppressed"
    assert got[("2021", "MK02", "C")]["employment_flag"] == ".."
    assert float(got[("2021", "MK01", "10")]["employment"]) == 945000
    assert got[("2020", "MK01", "C")]["industry_name"] == "Teollisuus"  # ISO-8859-15 read
    assert "region total rows" in err  # SSS KOKO MAA, the country

    lq_out = tmp_path / "lq.csv"
    code, err = _run(tmp_path, capsys, ["lq", str(src), "-o", str(lq_out), "--period", "2020"])
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv_rows(lq_out.read_text(encoding="utf-8"))}
    # Uusimaa's manufacturing in 2020: 70,000 of 926,000 against 111,000 of 1,147,000
    assert abs(float(lq[("MK01", "C")]["lq"]) - (70000 / 926000) / (111000 / 1147000)) < 1e-6


# Statistics Norway (SSB), StatBank table 13126 saved as PC-Axis: Windows text (CHARSET ANSI,
# no CODEPAGE: "næring" in cp1252), a content variable and the quarter in the HEADING, the
# quarters written 2023K1 (kvartal), SN2007 divisions grouped (10-33, 41-43), 00-99 all
# industries; DECIMALS 1 with a decimal point
SSB_PX = '''\
CHARSET="ANSI";
AXIS-VERSION="2010";
LANGUAGE="no";
CREATION-DATE="20240220 08:00";
DECIMALS=1;
SHOWDECIMALS=1;
MATRIX="13126";
SUBJECT-CODE="al";
SUBJECT-AREA="Arbeid og lønn";
CONTENTS="Lønnstakere, etter region, næring (SN2007), statistikkvariabel og kvartal";
TITLE="Lønnstakere, etter region, næring (SN2007), statistikkvariabel og kvartal";
UNITS="personer";
STUB="region","næring (SN2007)";
HEADING="statistikkvariabel","kvartal";
CONTVARIABLE="statistikkvariabel";
VALUES("region")="Oslo","Rogaland","Vestland";
VALUES("næring (SN2007)")="Alle næringer","Industri","Bygge- og anleggsvirksomhet";
VALUES("statistikkvariabel")="Lønnstakere";
VALUES("kvartal")="2023K1","2023K2";
TIMEVAL("kvartal")=TLIST(Q1),"20231","20232";
CODES("region")="03","11","46";
CODES("næring (SN2007)")="00-99","10-33","41-43";
CODES("statistikkvariabel")="Lonnstakere";
CODES("kvartal")="2023K1","2023K2";
SOURCE="Statistisk sentralbyrå";
DATA=
455123.0 457001.5 21012.0 21100.0 25010.0 25500.0
244000.0 245500.0 37100.0 37300.0 20400.0 "-"
340500.0 341700.0 44500.0 44700.0 28900.0 29800.0
;
'''


def test_pc_axis_windows_text_and_kvartal_quarters(tmp_path, capsys):
    """SSB's PX file: "2023K1" was 'not a period' (Statistics Sweden's and Denmark's quarters
    in their CSV downloads alike); a K between year and quarter number is now a quarter.  The
    cp1252 text of a PX file that names no code page is read as Windows text, as CHARSET ANSI
    says (the generic guess took "næring" for cp1250's "nćring")."""
    src = tmp_path / "13126.px"
    src.write_bytes(SSB_PX.encode("cp1252"))
    out = tmp_path / "no.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert len(got) == 18
    assert float(got[("2023Q2", "03", "10")]["employment"]) == 457001.5
    assert float(got[("2023Q1", "46", "C10-C33")]["employment"]) == 44500
    assert got[("2023Q2", "11", "F41-F43")]["employment_status"] == "suppressed"
    assert got[("2023Q1", "11", "10")]["industry_name"] == "Alle næringer"

    # the same quarters in SCB's CSV download, wide by quarter
    csv_src = tmp_path / "AM0401.csv"
    csv_src.write_text('"region","näringsgren SNI 2007","2023K1","2023K2"\n'
                       '"01 Stockholms län","C tillverkning",58000,59000\n'
                       '"03 Uppsala län","C tillverkning",17000,17500\n', encoding="utf-8")
    code, err = _run(tmp_path, capsys, ["ingest", str(csv_src), "-o", str(out)])
    assert code == 0, err
    assert {(r["period"], r["region"], float(r["employment"]))
            for r in csv_rows(out.read_text(encoding="utf-8"))} == {
        ("2023Q1", "01", 58000), ("2023Q2", "01", 59000),
        ("2023Q1", "03", 17000), ("2023Q2", "03", 17500)}


def test_pc_axis_cut_short_or_bad_figure_is_located(tmp_path, capsys):
    """A PX file cut short (fewer figures than its variables' values make) is one line naming
    the DATA line, the count expected and found, exit 1 and nothing written; a figure that is
    no number is named on its own line."""
    src = tmp_path / "13126.px"
    src.write_bytes(SSB_PX.replace("340500.0 341700.0 44500.0 44700.0 28900.0 29800.0\n;\n", "")
                    .encode("cp1252"))
    out = tmp_path / "no.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 1 and not out.exists()
    assert "13126.px:26: column 'DATA': PC-Axis DATA holds 12 figures, the variables' values give 18" in err
    assert "Traceback" not in err
    # cut short before its DATA: was read as a CSV, 'no region column ... found CHARSET="ANSI"'
    src.write_bytes(SSB_PX[:SSB_PX.index("CODES(")].encode("cp1252"))
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 1 and "13126.px:20: a PC-Axis file without DATA=" in err and "CHARSET" not in err, err
    # a quote left open in VALUES ran into the next keywords: 'variable ... has no VALUES'
    src.write_bytes(SSB_PX.replace('"Rogaland","Vestland";', '"Rogaland","Vestland;').encode("cp1252"))
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 1 and "13126.px:16: column 'VALUES': the PC-Axis keyword VALUES runs into the next" in err, err
    src.write_bytes(SSB_PX.replace("37100.0", "37I00.0").encode("cp1252"))
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 1 and "13126.px:28: column 'OBS_VALUE': not a number" in err and "37I00.0" in err
    # two contents (employees and employed persons): each cell was a "duplicate row", one
    # line per row; now one line naming the contents
    two = (SSB_PX.replace('VALUES("statistikkvariabel")="Lønnstakere";',
                          'VALUES("statistikkvariabel")="Lønnstakere","Sysselsatte personer";')
           .replace('CODES("statistikkvariabel")="Lonnstakere";',
                    'CODES("statistikkvariabel")="Lonnstakere","Sysselsatte";'))
    two = "\n".join(line + " " + line if line[:1].isdigit() else line for line in two.split("\n"))
    src.write_bytes(two.encode("cp1252"))
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert ("13126.px:15: column 'statistikkvariabel': a PC-Axis file of 2 contents in its CONTVARIABLE "
            "'statistikkvariabel' (expected one content, found 'Lønnstakere, Sysselsatte personer')") in err


# Statistics Sweden (SCB), the Labour Force Survey (AKU) by county saved from PX-Web as
# PC-Axis: thousands as SCB writes them, UNITS="1000-tal", one decimal; a variable whose
# VALUES run over two lines; "..": too few in the sample
SCB_AKU_PX = '''\
CHARSET="ANSI";
AXIS-VERSION="2010";
LANGUAGE="sv";
CREATION-DATE="20240515 08:00";
DECIMALS=1;
SHOWDECIMALS=1;
MATRIX="AM0401N";
SUBJECT-CODE="AM";
SUBJECT-AREA="Arbetsmarknad";
CONTENTS="Sysselsatta 15-74 år (AKU), 1000-tal";
TITLE="Sysselsatta 15-74 år (AKU), 1000-tal efter län, näringsgren SNI 2007 och år";
UNITS="1000-tal";
STUB="län","näringsgren SNI 2007";
HEADING="år";
VALUES("län")="Stockholms län","Uppsala län",
"Skåne län";
VALUES("näringsgren SNI 2007")="samtliga näringsgrenar","tillverkning och utvinning, energi och miljö";
VALUES("år")="2022","2023";
TIMEVAL("år")=TLIST(A1),"2022","2023";
CODES("län")="01","03","12";
CODES("näringsgren SNI 2007")="A-U+US","B-E";
SOURCE="SCB";
DATA=
1290.4 1301.2
75.3 76.0
205.1 207.9
22.6 ".."
703.5 709.4
80.2 79.8
;
'''


def test_pc_axis_units_in_thousands_are_scaled(tmp_path, capsys):
    """SCB's AKU table gives its figures in thousands (UNITS="1000-tal"): 1,290.4 thousand
    employed in Stockholm county would have been 1,290 people.  The Swedish, Norwegian, Danish
    and Finnish words for thousands (1000-tal, tusental, tusen, tuhatta) are a unit of a
    thousand, as 'thousands' and 'Tsd.' are."""
    src = tmp_path / "AM0401N.px"
    src.write_bytes(SCB_AKU_PX.encode("cp1252"))
    out = tmp_path / "se.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert float(got[("2022", "01", "10")]["employment"]) == 1290400
    assert float(got[("2023", "12", "B-E")]["employment"]) == 79800
    assert got[("2023", "03", "B-E")]["employment_status"] == "suppressed"
    assert len(got) == 12


# ISTAT's IstatData (esploradati.istat.it), the ASIA local units by municipality
# (183_1163_DF_DICA_ASIAULP_TERRIFDATA) downloaded as SDMX-CSV: REF_AREA the municipality's
# ISTAT code, DATA_TYPE LU (local units) and LUEMPDAA (persons employed, annual average) in one
# column, ATECO 2007 with its total 0010, the size classes of persons employed beside their
# TOTAL.  With labels each cell is "CODE: label" (labels=both).
_ASIA_CELLS = {  # municipality -> ATECO -> (local units, persons employed)
    ("072021", "Gioia del Colle"): {"0010": (2056, "6048.34"), "C": (210, "1150.2"), "G": (569, "1473.63")},
    ("072006", "Bari"): {"0010": (28010, "101234.5"), "C": (1500, "9000.25"), "G": (7000, "20011")},
}
_ATECO = {"0010": "TOTAL", "C": "manufacturing",
          "G": "wholesale and retail trade; repair of motor vehicles and motorcycles"}
_DATA_TYPE = {"LU": "number of local units of active enterprises",
              "LUEMPDAA": "persons employed of local units (annual average)"}


def _asia(labels: bool) -> str:
    rows = ["DATAFLOW,FREQ,REF_AREA,DATA_TYPE,ECON_ACTIVITY_NACE_2007,PERS_EMPL_SIZE_CLASS,"
            "TIME_PERIOD,OBS_VALUE,OBS_STATUS"]
    for (code, name), cells in _ASIA_CELLS.items():
        for ateco, (lu, emp) in cells.items():
            for data_type, value in (("LU", str(lu)), ("LUEMPDAA", emp)):
                for size, size_label, part in (("TOTAL", "total", value), ("W0_9", "0-9", "99")):
                    if labels:
                        cells_ = ["IT1:183_1163_DF_DICA_ASIAULP_TERRIFDATA_3(1.0): Local units", "A: annual",
                                  f"{code}: {name}", f"{data_type}: {_DATA_TYPE[data_type]}",
                                  f"{ateco}: {_ATECO[ateco]}", f"{size}: {size_label}"]
                    else:
                        cells_ = ["IT1:183_1163_DF_DICA_ASIAULP_TERRIFDATA_3(1.0)", "A", code, data_type,
                                  ateco, size]
                    rows.append(",".join(f'"{c}"' if "," in c or ";" in c else c for c in cells_)
                                + f",2021,{part},")
    return "\n".join(rows) + "\n"


def test_istat_sdmx_asia_total_size_classes_and_data_types(tmp_path, capsys):
    """IstatData's SDMX-CSV of the ASIA local units was refused on every line: ATECO's total
    0010 'not a NACE industry code' (with labels too: "0010: TOTAL"), and each cell a
    'duplicate row', the size classes (W0_9) and the two data types (LU, LUEMPDAA) being read
    as one table.  Now 0010 is the total, the size classes are parts of their TOTAL row,
    LUEMPDAA is the employment (LU with --measure establishments)."""
    for labels in (False, True):
        src = tmp_path / f"asia_{labels}.csv"
        src.write_text(_asia(labels), encoding="utf-8")
        out = tmp_path / "it.csv"
        code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
        assert code == 0, err
        got = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
        assert set(got) == {(m, i) for m in ("072021", "072006") for i in ("10", "C", "G")}
        assert float(got[("072021", "10")]["employment"]) == 6048.34
        assert float(got[("072006", "G")]["employment"]) == 20011
        assert "12 rows of one PERS_EMPL_SIZE_CLASS category" in err
        assert "6 rows of another DATA_TYPE indicator" in err
        if labels:
            assert got[("072006", "10")]["region_name"] == "Bari"
        code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out), "--measure", "establishments"])
        assert code == 0, err
        got = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
        assert float(got[("072006", "10")]["establishments"]) == 28010


# IstatData's SDMX-CSV of the labour force survey, employed by region and ATECO section
# (thousands: UNIT_MULT 3), REF_AREA holding Italy (IT) beside its NUTS 2 regions
ISTAT_LFS = '''\
DATAFLOW,FREQ,REF_AREA,DATA_TYPE,ECON_ACTIVITY_NACE_2007,SEX,AGE,TIME_PERIOD,OBS_VALUE,BASE_PER,UNIT_MEAS,UNIT_MULT,OBS_STATUS
IT1:150_872(1.0),A,IT,EMP_N,0010,9,Y15-89,2022,23099.4,,N,3,
IT1:150_872(1.0),A,IT,EMP_N,C,9,Y15-89,2022,4354.6,,N,3,
IT1:150_872(1.0),A,ITC1,EMP_N,0010,9,Y15-89,2022,1811.2,,N,3,
IT1:150_872(1.0),A,ITC1,EMP_N,C,9,Y15-89,2022,431.5,,N,3,
IT1:150_872(1.0),A,ITC4,EMP_N,0010,9,Y15-89,2022,4471.8,,N,3,
IT1:150_872(1.0),A,ITC4,EMP_N,C,9,Y15-89,2022,1172.0,,N,3,
IT1:150_872(1.0),A,ITF3,EMP_N,0010,9,Y15-89,2022,1650.0,,N,3,
IT1:150_872(1.0),A,ITF3,EMP_N,C,9,Y15-89,2022,180.5,,N,3,
'''


def test_istat_sdmx_ref_area_is_nuts(tmp_path, capsys):
    """REF_AREA of an IstatData download holds ITTER107's NUTS codes, as I.Stat's ITTER107
    did: Italy (IT) had no region level beside Piemonte, Lombardia and Campania, and lq summed
    it with them (Lombardia's manufacturing against 6,138,600 of 31,032,400 jobs instead of
    1,784,000 of 7,933,000).  Italy's NUTS codes under REF_AREA get their levels; the OECD's
    ITA or AUS under REF_AREA do not."""
    src = tmp_path / "150_872.csv"
    src.write_text(ISTAT_LFS, encoding="utf-8")
    out = tmp_path / "lq.csv"
    code, err = _run(tmp_path, capsys, ["lq", str(src), "-o", str(out)])
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    lombardia = lq[("ITC4", "C")]
    assert float(lombardia["benchmark_total"]) == 7933000
    assert abs(float(lombardia["lq"]) - (1172000 / 4471800) / (1784000 / 7933000)) < 1e-6
    assert ("IT", "C") not in lq or lq[("IT", "C")]["benchmark_total"] != lombardia["benchmark_total"]


# Statistics Denmark, StatBank (statistikbanken.dk) table RAS300 saved as "CSV (semicolon
# separated)": UTF-8 with a BOM, the variables' Danish codes as headings (OMRÅDE, BRANCHE07,
# TID, INDHOLD), DB07 sections by code and name, "TOT Erhverv i alt" all industries, "Hele
# landet" the country, ".." not published
DST_RAS300 = '''\ufeffOMRÅDE;BRANCHE07;TID;INDHOLD
Hele landet;TOT Erhverv i alt;2022K4;2980123
Hele landet;C Industri;2022K4;300456
Region Hovedstaden;TOT Erhverv i alt;2022K4;1010234
Region Hovedstaden;C Industri;2022K4;70123
Region Midtjylland;TOT Erhverv i alt;2022K4;650321
Region Midtjylland;C Industri;2022K4;90321
Region Syddanmark;TOT Erhverv i alt;2022K4;590456
Region Syddanmark;C Industri;2022K4;..
'''


def test_statbank_denmark_headings_and_its_total(tmp_path, capsys):
    """StatBank's CSV was refused ('no period column recognised': TID, time in Danish), and
    once past that "TOT Erhverv i alt" would have been an uncoded industry, each region's
    total taken as the sum of its coded rows (Hovedstaden's 70,123 for its 1,010,234 jobs).
    TID is the period, INDHOLD the value, OMRÅDE the region, and "TOT Erhverv i alt" the
    all-industries row."""
    src = tmp_path / "RAS300.csv"
    src.write_text(DST_RAS300, encoding="utf-8")
    out = tmp_path / "lq.csv"
    code, err = _run(tmp_path, capsys, ["lq", str(src), "-o", str(out)])
    assert code == 0, err
    lq = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    hovedstaden = lq[("2022Q4", "Region Hovedstaden", "C")]
    assert float(hovedstaden["region_total"]) == 1010234
    assert float(hovedstaden["benchmark_total"]) == 1010234 + 650321 + 590456
    assert lq[("2022Q4", "Region Syddanmark", "C")]["status"] == "suppressed"


# NOMIS, "UK Business Counts - local units by industry and employment size band" (ONS's IDBR),
# downloaded as CSV with the local authorities down and SIC 2007 divisions across: the title
# block (the size band and legal status chosen: Total), the counts rounded to 5, the notes
# under the table
NOMIS_UK_BUSINESS_COUNTS = '''\
"UK Business Counts - local units by industry and employment size band"
"ONS Crown Copyright Reserved [from Nomis on 30 November 2026]"
"date","2023"
"employment sizeband","Total"
"legal status","Total"

"local authority: district / unitary (as of April 2023)","mnemonic","10 : Manufacture of food products","62 : Computer programming, consultancy and related activities"
"Hartlepool","E06000001","15","60"
"Middlesbrough","E06000002","20","95"

"Column Total"
"Data are rounded to avoid disclosure."
'''


def test_nomis_business_counts_are_local_units_not_employment(tmp_path, capsys):
    """The title names local units and an employment size band: with two measures named, the
    counts of local units were read as employment, silently (Hartlepool's 15 food plants as
    15 jobs).  A size class by employment names no measure: the cells are establishments."""
    src = tmp_path / "ukbc.csv"
    src.write_text(NOMIS_UK_BUSINESS_COUNTS, encoding="utf-8")
    out = tmp_path / "uk.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 0, err
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert "employment" not in rows[0]
    got = {(r["region"], r["industry"]): float(r["establishments"]) for r in rows}
    assert got == {("E06000001", "C10"): 15, ("E06000001", "J62"): 60,
                   ("E06000002", "C10"): 20, ("E06000002", "J62"): 95}


# Statistics Denmark's StatBank, a table saved as PC-Axis in English: UTF-8 with a BOM as its
# CODEPAGE says, every variable in the STUB (the months too), labels that begin with their
# codes (TOT Total; the 10-grouping's 1 Agriculture ...), figures separated by commas, "-"
DST_PX = '''\ufeffCHARSET="ANSI";
AXIS-VERSION="2013";
CODEPAGE="utf-8";
LANGUAGE="en";
MATRIX="RAS201";
TITLE="Employed by region, industry and time";
UNITS="number";
STUB="region","industry (DB07 10-grouping)","time";
VALUES("region")="Region Hovedstaden","Region Sjælland";
VALUES("industry (DB07 10-grouping)")="TOT Total","1 Agriculture, forestry and fishing";
VALUES("time")="2021M01","2021M02";
CODES("region")="084","085";
CODES("industry (DB07 10-grouping)")="TOT","1";
CODES("time")="2021M01","2021M02";
DATA=
1000,1010,50,51,
800,805,"-",40;
'''


def test_pc_axis_labels_that_begin_with_their_code(tmp_path, capsys):
    """A label that begins with its code was written with the code twice ("TOT TOT Total"),
    and DST's "TOT Total" was no total: both industries were custom ones, each region's total
    the sum of its rows.  The label is kept as it is, "TOT Total" is all industries."""
    src = tmp_path / "RAS201.px"
    src.write_bytes(DST_PX.encode("utf-8"))
    out = tmp_path / "dk.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert float(got[("2021M02", "085", "10")]["employment"]) == 805
    assert got[("2021M02", "085", "10")]["industry_name"] == "TOT Total"
    assert float(got[("2021M01", "084", "A")]["employment"]) == 50
    assert got[("2021M01", "085", "A")]["employment_status"] == "suppressed"


# Statistics Canada, Canadian Business Counts (table 33-10-0661-01, "Canadian Business Counts,
# with employees, December 2022"), the full table CSV: business locations by CMA, NAICS and
# "Employment size ranges" (Total, with employees; 1 to 4 employees ...), UOM Number
STATCAN_BUSINESS_COUNTS_HEAD = (
    '"REF_DATE","GEO","DGUID","North American Industry Classification System (NAICS)","Employment size ranges",'
    '"UOM","UOM_ID","SCALAR_FACTOR","SCALAR_ID","VECTOR","COORDINATE","VALUE","STATUS","SYMBOL","TERMINATED",'
    '"DECIMALS"')


def _business_counts() -> str:
    cells = {("Halifax, Nova Scotia", "2021S0503205"): {"Total, all industries": (12450, 6010),
                                                         "Manufacturing [31-33]": (410, 150)},
             ("Moncton, New Brunswick", "2021S0503305"): {"Total, all industries": (4980, 2400),
                                                           "Manufacturing [31-33]": (190, 70)}}
    rows, n = [STATCAN_BUSINESS_COUNTS_HEAD], 0
    for (geo, dguid), by_industry in cells.items():
        for industry, (total, small) in by_industry.items():
            for size, value in (("Total, with employees", total), ("1 to 4 employees", small)):
                n += 1
                rows.append(f'"2022-12","{geo}","{dguid}","{industry}","{size}","Number","223","units","0",'
                            f'"v{1273000 + n}","1.1.{n}","{value}","","","","0"')
    return "\n".join(rows) + "\n"


def test_statcan_business_counts_by_employment_size(tmp_path, capsys):
    """StatCan's business counts were refused on every line: "Employment size ranges" was
    read as the employment column ('1 to 4 employees': not a number) and each cell a duplicate.
    The size ranges are parts of "Total, with employees", and the VALUE beside them counts
    business locations: establishments, not employment."""
    src = tmp_path / "33100661.csv"
    src.write_text(_business_counts(), encoding="utf-8")
    out = tmp_path / "ca.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 0, err
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert "employment" not in rows[0]
    got = {(r["region"], r["industry"]): float(r["establishments"]) for r in rows}
    assert got == {("Halifax, Nova Scotia", "10"): 12450, ("Halifax, Nova Scotia", "31-33"): 410,
                   ("Moncton, New Brunswick", "10"): 4980, ("Moncton, New Brunswick", "31-33"): 190}
    assert "4 rows of one Employment size ranges category" in err


# INE (Spain), DIRCE: local units by province, main activity (CNAE 2009 groups) and "Estrato de
# asalariados", downloaded from jaxiT3 as "CSV: separado por ;" (Latin-1, Spanish thousands,
# "Total Nacional" above the provinces, "Total CNAE" all activities, the value column "Total")
INE_DIRCE = '''\
Provincias;Actividad principal (grupos CNAE 2009);Estrato de asalariados;Periodo;Total
Total Nacional;Total CNAE;Total;2023;3.321.150
Total Nacional;10 Industria de la alimentación;Total;2023;31.012
Total Nacional;10 Industria de la alimentación;Sin asalariados;2023;10.321
02 Albacete;Total CNAE;Total;2023;29.876
02 Albacete;10 Industria de la alimentación;Total;2023;512
02 Albacete;10 Industria de la alimentación;Sin asalariados;2023;140
28 Madrid;Total CNAE;Total;2023;571.234
28 Madrid;10 Industria de la alimentación;Total;2023;2.345
28 Madrid;10 Industria de la alimentación;Sin asalariados;2023;801
'''


def test_ine_dirce_size_strata_are_parts_of_their_total(tmp_path, capsys):
    """INE's DIRCE by "Estrato de asalariados": each size stratum was a second row for its
    province and activity ('duplicate row' on every line).  The strata are parts of their
    Total rows, dropped and counted (the value column still needs naming, as INE heads it
    "Total")."""
    src = tmp_path / "39372.csv"
    src.write_bytes(INE_DIRCE.encode("latin-1"))
    out = tmp_path / "es.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out), "--measure-col", "establishments=Total"])
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["establishments"]) for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert got == {("02", "10"): 29876, ("02", "C10"): 512,
                   ("28", "10"): 571234, ("28", "C10"): 2345}
    assert "3 rows of one Estrato de asalariados category" in err


def _nomis_api_all_statuses() -> str:
    """NOMIS's API CSV of BRES (NM_189_1) asked for two employment statuses and both measures:
    Employment (4) and Employees (1), each as a Count (1) and an Industry percentage (2)."""
    head = ('"DATE","DATE_NAME","GEOGRAPHY_NAME","GEOGRAPHY_CODE","GEOGRAPHY_TYPE","INDUSTRY_NAME",'
            '"INDUSTRY_TYPE","EMPLOYMENT_STATUS","EMPLOYMENT_STATUS_NAME","MEASURE","MEASURE_NAME",'
            '"MEASURES_NAME","OBS_VALUE","OBS_STATUS","OBS_STATUS_NAME"')
    cells = {("Hartlepool", "E06000001"): {"10 : Manufacture of food products": (1250, 1100, 3.1),
                                            "62 : Computer programming, consultancy and related activities": (300, 280, 0.8)},
             ("Middlesbrough", "E06000002"): {"10 : Manufacture of food products": (600, 550, 1.2),
                                               "62 : Computer programming, consultancy and related activities": (900, 850, 1.9)}}
    rows = [head]
    for (name, gss), by_industry in cells.items():
        for industry, (employment, employees, share) in by_industry.items():
            for status, status_name, count in (("4", "Employment", employment), ("1", "Employees", employees)):
                for measure, measure_name, value in (("1", "Count", count), ("2", "Industry percentage", share)):
                    rows.append(f'"2022","2022","{name}","{gss}","local authorities: district / unitary (as of '
                                f'April 2023)","{industry}","SIC 2007 division (2 digit)","{status}","{status_name}",'
                                f'"{measure}","{measure_name}","Value","{value}","A","Normal Value"')
    return "\n".join(rows) + "\n"


def test_nomis_api_statuses_and_percentages_beside_the_counts(tmp_path, capsys):
    """NOMIS's API CSV holding Employment beside Employees and each Count beside its Industry
    percentage was refused, four 'duplicate row' lines per cell.  Employment is the status
    read (Employees a part of it), Count the measure (the percentage a share, no count); the
    others are dropped and counted."""
    src = tmp_path / "NM_189_1.data.csv"
    src.write_text(_nomis_api_all_statuses(), encoding="utf-8")
    out = tmp_path / "uk.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out), "--industry-col", "INDUSTRY_NAME"])
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert got == {("E06000001", "C10"): 1250, ("E06000001", "J62"): 300,
                   ("E06000002", "C10"): 600, ("E06000002", "J62"): 900}
    assert "8 rows of one EMPLOYMENT_STATUS_NAME category" in err
    assert "4 rows of another MEASURE_NAME indicator" in err


# The Census Bureau's Quarterly Workforce Indicators (LEHD), a state's county file by sex and
# age and NAICS sector, private ownership (qwi_ut_sa_f_gc_ns_op_u.csv, schema 4.x): the key
# columns periodicity ... quarter, the indicators (a few of them: Emp beginning-of-quarter
# employment, EmpEnd, EmpS, EmpTotal, EarnS average earnings, Payroll) and their status flags
# sEmp ... (1 published, 5 suppressed with the value left empty)
_QWI_HEAD = ("periodicity,seasonadj,geo_level,geography,ind_level,industry,ownercode,sex,agegrp,race,"
             "ethnicity,education,firmage,firmsize,year,quarter,Emp,EmpEnd,EmpS,EmpTotal,EarnS,Payroll,"
             "sEmp,sEmpEnd,sEmpS,sEmpTotal,sEarnS,sPayroll")


def _qwi() -> str:
    rows = [_QWI_HEAD]
    for county, total in (("49001", 1500), ("49003", 12000)):
        for industry, level, share in (("00", "A", 1.0), ("11", "S", 0.1), ("31-33", "S", 0.2)):
            for sex, age, part in (("0", "A00", 1.0), ("1", "A00", 0.52), ("2", "A00", 0.48), ("0", "A01", 0.1)):
                emp = int(total * share * part)
                withheld = county == "49003" and industry == "11" and (sex, age) == ("0", "A00")
                cells = ("", "", "", "", "4100", "", "5") if withheld else (
                    str(emp), str(emp + 10), str(int(emp * 0.9)), str(int(emp * 1.1)), "4100", str(emp * 12000), "1")
                flag = cells[-1]
                rows.append(f"Q,U,C,{county},{level},{industry},A05,{sex},{age},A0,A0,E0,0,0,2016,1,"
                            + ",".join(cells[:-1]) + f",{flag},{flag},{flag},{flag},1,{flag}")
    return "\n".join(rows) + "\n"


def test_qwi_county_file_by_sex_and_age(tmp_path, capsys):
    """LEHD's QWI file was refused: ind_level and industry 'could each be the industry'; with
    --industry-col, every cell was a 'duplicate row' (one per sex and age group) and A05 was
    read as no ownership.  ind_level is the code's level, the rows of one sex or age group are
    parts of sex 0 and agegrp A00, A05 is private, geo_level C county; Emp is the employment,
    Payroll the wages (EarnS, an average, is not read)."""
    src = tmp_path / "qwi_ut_sa_f_gc_ns_op_u.csv"
    src.write_text(_qwi(), encoding="utf-8")
    out = tmp_path / "qwi.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert set(got) == {(c, i) for c in ("49001", "49003") for i in ("10", "11", "31-33")}
    beaver = got[("49001", "31-33")]
    assert (beaver["period"], beaver["ownership"], beaver["region_level"]) == ("2016Q1", "private", "county")
    assert float(beaver["employment"]) == 300 and float(beaver["wages"]) == 300 * 12000
    assert float(got[("49003", "10")]["employment"]) == 12000
    assert got[("49003", "11")]["employment_status"] == "suppressed"
    assert "12 rows of one sex category" in err and "6 rows of one agegrp category" in err
    assert "EarnS" in err  # named as not read


def test_nomis_industry_percentage_is_refused_not_read_as_counts(tmp_path, capsys):
    """NOMIS's BRES download with the measure "Industry percentage" (each division's share of
    the area's jobs) was read as employment counts, silently (Hartlepool's 3.1 % of its jobs
    in food as 3.1 jobs).  The title block's measure line saying a percentage is refused in
    one line; the Count download reads as before."""
    text = '''\
"Business Register and Employment Survey : open access"
"ONS Crown Copyright Reserved [from Nomis on 30 November 2026]"
"date","2022"
"measure","Industry percentage"
"employment status","Employment"

"local authority: district / unitary (as of April 2023)","mnemonic","10 : Manufacture of food products","62 : Computer programming, consultancy and related activities"
"Hartlepool","E06000001","3.1","0.8"
"Middlesbrough","E06000002","1.2","1.9"

"* Employment includes employees plus the number of working owners."
'''
    src = tmp_path / "bres_percent.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "uk.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 1 and not out.exists()
    assert "the title says the cells are a percentage, not a count" in err and "Industry percentage" in err
    assert len(err.strip().splitlines()) == 1
    src.write_text(text.replace("Industry percentage", "Count"), encoding="utf-8")
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 0, err
    assert float({r["region"]: r for r in csv_rows(out.read_text(encoding="utf-8"))
                  if r["industry"] == "C10"}["E06000001"]["employment"]) == 3.1


def test_ssb_year_and_kvartal_columns_are_quarters(tmp_path, capsys):
    """SSB's StatBank CSV with the year and the quarter in columns of their own ("år" 2022,
    "kvartal" 1-4): each quarter's row was a 'duplicate row' of the year's, as "år" was no
    year a quarter column completes (only year, Jahr, год were).  Now 2022 and 1 are 2022Q1,
    wherever the quarter's column stands."""
    text = ('"kvartal";"region";"næring (SN2007)";"år";"Sysselsatte"\n'
            '"1";"03 Oslo";"C Industri";"2022";11000\n"2";"03 Oslo";"C Industri";"2022";11100\n'
            '"1";"46 Vestland";"C Industri";"2022";30000\n"2";"46 Vestland";"C Industri";"2022";30100\n')
    src = tmp_path / "11656.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "no.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 0, err
    got = {(r["period"], r["region"]): float(r["employment"]) for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert got == {("2022Q1", "03"): 11000, ("2022Q2", "03"): 11100,
                   ("2022Q1", "46"): 30000, ("2022Q2", "46"): 30100}


def test_statfin_quarter_column_is_the_period(tmp_path, capsys):
    """Statistics Finland's PX-Web CSV of a quarterly table heads its period "Vuosineljännes"
    (quarter; "Kuukausi" for a monthly one): 'no period column recognised'.  It is the period
    column now, its 2023Q1 read as given."""
    text = ('"Työlliset työpaikan alueen ja toimialan mukaan"\n\n'
            '"Alue";"Toimiala (TOL 2008)";"Vuosineljännes";"Työlliset"\n'
            '"MK01 Uusimaa";"C Teollisuus";"2023Q1";70000\n"MK01 Uusimaa";"C Teollisuus";"2023Q2";71000\n'
            '"MK02 Varsinais-Suomi";"C Teollisuus";"2023Q1";41000\n'
            '"MK02 Varsinais-Suomi";"C Teollisuus";"2023Q2";42000\n')
    src = tmp_path / "statfin_quarterly.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "fi.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 0, err
    got = {(r["period"], r["region"]): float(r["employment"]) for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert got == {("2023Q1", "MK01"): 70000, ("2023Q2", "MK01"): 71000,
                   ("2023Q1", "MK02"): 41000, ("2023Q2", "MK02"): 42000}
    src.write_text(text.replace("Vuosineljännes", "Kuukausi").replace("Q1", "M01").replace("Q2", "M02"),
                   encoding="utf-8")
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out.read_text(encoding="utf-8"))} == {"2023M01", "2023M02"}


def test_cbs_open_data_period_keys():
    """Statistics Netherlands' open data (the "onbewerkte dataset" CSV and the OData feed)
    write their periods as keys: 2022JJ00 the year, 2022KW01 a quarter, 2022MM01 a month.
    Each was 'not a period'; they are read as 2022, 2022Q1 and 2022M01."""
    from clusterid.io.readers.generic_headings import period_of

    assert [period_of(k) for k in ("2022JJ00", "2022KW01", "2022KW04", "2022MM01", "2022MM12")] == [
        "2022", "2022Q1", "2022Q4", "2022M01", "2022M12"]
    assert period_of("2022KW05") is None and period_of("2022MM13") is None


def test_pc_axis_files_in_a_zip_archive(tmp_path, capsys):
    """A zip archive of PX files (several tables of PX-Web saved together) was 'a zip archive
    without a data file (expected .csv ...; it holds 13126.px)'.  Its .px members are read as
    the archive's data, as its CSVs would be."""
    import zipfile

    src = tmp_path / "ssb.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("13126.px", SSB_PX.encode("cp1252"))
    out = tmp_path / "no.csv"
    code, err = _run(tmp_path, capsys, ["ingest", str(src), "-o", str(out)])
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert len(got) == 18 and float(got[("2023Q2", "03", "10")]["employment"]) == 457001.5
