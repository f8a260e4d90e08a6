"""Agency files in layouts the other tests do not cover (session 22): each test names the real
source whose layout its made-up input is written in (headings, codes, title lines, markers),
reads it with ingest and lq as a user would, and checks the figures by hand."""

from __future__ import annotations

import re

from conftest import csv_rows, ingest_text, lq_text, run_main

# The CSO's PxStat (data.cso.ie), table QLF18 "Persons aged 15 years and over in Employment" as
# its CSV download gives it: each classification a code column under its id and version
# (C02196V02652) left of its labels, "-" the code of the all-categories member (State, All NACE
# economic sectors, Both sexes), the quarter as TLIST(Q1) beside its label, UNIT Thousand, an
# empty VALUE for a figure not published.  Made-up figures (thousands of persons).
_CSO_HEAD = ('"STATISTIC","Statistic Label","TLIST(Q1)","Quarter","C02076V03371","Sex",'
             '"C02196V02652","Region","C02665V03225","NACE Rev 2 Economic Sector","UNIT","VALUE"')
_CSO_REGIONS = (("-", "State"), ("IE041", "Border"), ("IE061", "Dublin"), ("IE053", "South-West"))
_CSO_SECTORS = (("-", "All NACE economic sectors"), ("B-E", "Industry (B to E)"),
                ("F", "Construction (F)"), ("Q", "Human health and social work activities (Q)"))
_CSO_FIGURES = {  # region -> sector -> thousands (Both sexes)
    "-": {"-": "2710.1", "B-E": "330.2", "F": "166.3", "Q": "360.0"},
    "IE041": {"-": "192.4", "B-E": "30.1", "F": "14.8", "Q": "27.0"},
    "IE061": {"-": "794.0", "B-E": "60.0", "F": "", "Q": "95.5"},
    "IE053": {"-": "380.2", "B-E": "58.8", "F": "25.1", "Q": "50.3"},
}


def _cso_qlf18() -> str:
    rows = [_CSO_HEAD]
    for code, region in _CSO_REGIONS:
        for sector, label in _CSO_SECTORS:
            value = _CSO_FIGURES[code][sector]
            for sex_code, sex in (("-", "Both sexes"), ("1", "Male")):
                figure = value if sex_code == "-" or not value else f"{float(value) * 0.6:.1f}"
                rows.append(f'"QLF18C01","Persons aged 15 years and over in Employment","20234","2023Q4",'
                            f'"{sex_code}","{sex}","{code}","{region}","{sector}","{label}","Thousand",'
                            f'"{figure}"')
    return "\n".join(rows) + "\n"


def test_cso_pxstat_codes_beside_labels_and_dash_totals(tmp_path, capsys):
    """The CSO's PxStat CSV was read by its labels: the code columns, headed by the
    classifications' ids, were no columns, so 'State' was a region beside the regions it is the
    sum of (lq's benchmark counted every worker twice, Border's construction LQ came out 1.0)
    and 'All NACE economic sectors' an industry of no code, not the total.  The NUTS codes are
    now the regions (IE041, nuts3, its label the name; '-' the country, IE, nuts0) and the
    sector codes the industries ('-' all industries)."""
    code, err, rows = ingest_text(tmp_path, capsys, "QLF18.20231231T101010.csv", _cso_qlf18())
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert len(rows) == 16  # 4 regions x 4 sectors, Both sexes
    assert {(r["region"], r["region_name"], r["region_level"]) for r in rows} == {
        ("IE", "State", "nuts0"), ("IE041", "Border", "nuts3"), ("IE061", "Dublin", "nuts3"),
        ("IE053", "South-West", "nuts3")}
    assert float(got[("IE041", "10")]["employment"]) == 192400  # Thousand, scaled
    assert float(got[("IE", "10")]["employment"]) == 2710100
    assert got[("IE041", "B-E")]["classification"] == "NACE"
    assert got[("IE061", "F")]["employment_status"] == "suppressed"
    assert got[("IE061", "F")]["employment"] == ""
    assert {r["period"] for r in rows} == {"2023Q4"}
    assert "16 rows of one Sex category" in err
    # Border's construction: 14.8 of 192.4 against 39.9 of 1,366.6 thousand (the three regions,
    # the State apart at its own level)
    lq = lq_text(tmp_path, capsys, "QLF18.csv", _cso_qlf18())
    border = lq[("IE041", "F")]
    assert float(border["region_total"]) == 192400
    assert abs(float(border["lq"]) - (14.8 / 192.4) / (39.9 / 1366.6)) < 1e-4


def test_cso_pxstat_counties_stay_keyed_by_name_and_the_state_is_their_total(tmp_path, capsys):
    """PxStat's counties (codes of the CSO's own, not NUTS) stay keyed by their names, as the
    BRA08 test of session 20 reads them; the '-' row, 'State', was a county of its own beside
    the counties it is the sum of, and is now their region total."""
    head = ('"STATISTIC","Statistic Label","TLIST(A1)","Year","C03004V03625","County",'
            '"C02665V03225","NACE Rev 2 Economic Sector","UNIT","VALUE"\n')
    cells = (("-", "State", 52000), ("01", "Carlow", 3010), ("02", "Dublin", 41020), ("03", "Kildare", 7970))
    text = head + "".join(f'"BRA08C02","Persons Engaged","2020","2020","{c}","{n}","C",'
                          f'"Manufacturing (C)","Number",{v}\n' for c, n, v in cells)
    code, err, rows = ingest_text(tmp_path, capsys, "BRA08.csv", text)
    assert code == 0, err
    assert {r["region"]: float(r["employment"]) for r in rows} == {"Carlow": 3010, "Dublin": 41020,
                                                                   "Kildare": 7970}
    assert "1 region total rows" in err

# The ABS's Census TableBuilder, "Comma Separated Value (.csv)" download of INDP Industry of
# Employment (1-digit, ANZSIC divisions by title) down and STATE (POW) across: the title lines
# (Counting, Filters, Default Summation), the variable across named in the header's corner,
# the variable down on a line of its own under the header, every line ending in a comma, a
# Total row and column, the source, INFO (perturbed cells) and copyright lines under the table.
# Made-up figures, each state's Total the sum of its rows.
_TB_DIVISIONS = ("Agriculture, Forestry and Fishing", "Mining", "Manufacturing", "Construction",
                 "Retail Trade", "Health Care and Social Assistance", "Inadequately described",
                 "Not stated")
_TB_STATES = {"New South Wales": (70213, 41230, 230150, 300120, 320500, 500400, 45210, 30120),
              "Victoria": (66010, 9834, 251020, 280550, 290020, 420300, 38100, 25100),
              "Queensland": (61822, 62012, 160330, 250110, 240330, 340200, 30010, 20110),
              "Tasmania": (11690, 2660, 16000, 17200, 22000, 35600, 3010, 2010)}


def _tablebuilder(counting: str = "Persons Place of Work", geography: str = "STATE (POW)",
                  not_applicable: tuple = (0, 0, 0, 0)) -> str:
    states = list(_TB_STATES)
    lines = ["Australian Bureau of Statistics", "",
             '"2021 Census - employment, income and education"',
             f'"INDP Industry of Employment by {geography}"', f'"Counting: {counting}"', "",
             "Filters:", f'"Default Summation","{counting}"', "",
             ",".join(f'"{h}"' for h in (geography, *states, "Total")) + ",",
             '"INDP Industry of Employment",']
    for i, division in enumerate(_TB_DIVISIONS):
        cells = [_TB_STATES[s][i] for s in states]
        lines.append(",".join([f'"{division}"', *map(str, cells), str(sum(cells))]) + ",")
    lines.append(",".join(['"Not applicable"', *map(str, not_applicable), str(sum(not_applicable))]) + ",")
    totals = [sum(_TB_STATES[s]) + n for s, n in zip(states, not_applicable)]
    lines.append(",".join(['"Total"', *map(str, totals), str(sum(totals))]) + ",")
    lines += ["", "", '"Data Source: Census of Population and Housing, 2021, TableBuilder"', "",
              '"INFO","Cells in this table have been randomly adjusted to avoid the release of '
              'confidential data. No reliance should be placed on small cells."', "", "",
              '"Copyright Commonwealth of Australia, 2022"']
    return "\n".join(lines) + "\n"


def test_tablebuilder_states_across_and_the_variable_down_under_the_header(tmp_path, capsys):
    """TableBuilder's CSV names the variable across in the header's corner ("STATE (POW)") and
    the variable down on the line under the header: the corner was taken for the heading of the
    industries' column, and the file refused ("an industry section's title among the regions").
    The states are now the regions across, the industries the rows, the Total column their
    total and the Total row all industries; the year is the Census's."""
    code, err, rows = ingest_text(tmp_path, capsys, "INDP_by_STATE_POW.csv", _tablebuilder())
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert {r["region"] for r in rows} == set(_TB_STATES)
    assert {r["period"] for r in rows} == {"2021"}
    assert float(got[("Queensland", "Mining")]["employment"]) == 62012
    assert float(got[("Tasmania", "10")]["employment"]) == sum(_TB_STATES["Tasmania"])
    assert got[("Victoria", "Not stated")]["classification"] == "custom"  # ANZSIC, not NACE
    assert len(rows) == 4 * 9  # 8 divisions and the total, the Not applicable row left out
    assert "9 region total rows" in err and "1 TableBuilder 'Not applicable' rows" in err
    lq = lq_text(tmp_path, capsys, "INDP_by_STATE_POW.csv", _tablebuilder())
    qld = lq[("Queensland", "Mining")]
    share = 62012 / sum(_TB_STATES["Queensland"])
    national = 115736 / sum(sum(v) for v in _TB_STATES.values())
    assert abs(float(qld["lq"]) - share / national) < 1e-5


def test_tablebuilder_by_usual_residence_total_counting_the_not_employed(tmp_path, capsys):
    """Counted by usual residence, INDP's 'Not applicable' holds everyone not employed and the
    Total row counts them: read as the states' all-industries figures, New South Wales' total
    was its population (5,957,943), not its 1,537,943 employed, and every LQ was off by the
    states' employment rates.  The Not applicable rows are dropped, and the Total rows that
    count them; the totals are the sums of the divisions."""
    text = _tablebuilder("Persons Place of Usual Residence", "STATE (UR)",
                         (4420000, 3600000, 3000000, 310000))
    code, err, rows = ingest_text(tmp_path, capsys, "INDP_by_STATE_UR.csv", text)
    assert code == 0, err
    assert not [r for r in rows if r["industry"] in ("10", "Not applicable")]
    assert "'Total' rows counting the 'Not applicable' persons" in err
    lq = lq_text(tmp_path, capsys, "INDP_by_STATE_UR.csv", text)
    assert float(lq[("New South Wales", "Mining")]["region_total"]) == 1537943
    # across, the Not applicable column and the Total counting it cannot be told from the
    # figures row by row: refused in one line saying what to do
    across = text.replace('"STATE (UR)","New South Wales"', '"INDP Industry of Employment","New South Wales"')
    lines = [ln for ln in across.splitlines() if ln != '"INDP Industry of Employment",']
    transposed = _transpose_tablebuilder(lines)
    code, err, _ = ingest_text(tmp_path, capsys, "STATE_by_INDP.csv", transposed, "--classification", "custom")
    assert code == 1
    assert "column 'Not applicable': a TableBuilder 'Not applicable' column across" in err
    assert len(err.strip().splitlines()) == 1


def _transpose_tablebuilder(lines: list[str]) -> str:
    """The table of :func:`_tablebuilder` with INDP across and STATE down."""
    import csv
    import io

    at = next(i for i, ln in enumerate(lines) if ln.startswith('"INDP Industry of Employment","New'))
    end = next(i for i in range(at + 1, len(lines)) if not lines[i])
    table = [r[:-1] for r in csv.reader(io.StringIO("\n".join(lines[at:end])))]
    cols = list(zip(*table))
    out = lines[:at] + [",".join(f'"{c}"' for c in cols[0]) + ",", '"STATE (UR)",']
    out += [",".join([f'"{c[0]}"', *c[1:]]) + "," for c in cols[1:]]
    return "\n".join(out + lines[end:]) + "\n"


# BLS's Occupational Employment and Wage Statistics, the state file (state_M2023_dl.xlsx saved
# as CSV): one row per area, industry and occupation (OCC_CODE, SOC), the all-occupations row
# 00-0000 ("total") first, thousands commas, ** for an estimate not released, # for a wage
# above the top; AREA_TYPE 2 a state; no year column (May 2023 in the file's name)
OEWS_STATE = '''\
AREA,AREA_TITLE,AREA_TYPE,PRIM_STATE,NAICS,NAICS_TITLE,I_GROUP,OWN_CODE,OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,EMP_PRSE,JOBS_1000,LOC_QUOTIENT,PCT_TOTAL,PCT_RPT,H_MEAN,A_MEAN,MEAN_PRSE,H_PCT10,H_PCT25,H_MEDIAN,H_PCT75,H_PCT90,A_PCT10,A_PCT25,A_MEDIAN,A_PCT75,A_PCT90,ANNUAL,HOURLY
01,Alabama,2,AL,000000,Cross-industry,cross-industry,1235,00-0000,All Occupations,total,"2,031,630",0.4,1000.000,1.00,,,26.03,"54,150",0.5,11.21,14.17,20.47,31.56,46.52,"23,310","29,480","42,570","65,640","96,770",,
01,Alabama,2,AL,000000,Cross-industry,cross-industry,1235,11-0000,Management Occupations,major,"100,430",1.1,49.433,0.77,,,55.83,"116,130",0.6,24.57,34.65,48.39,68.11,#,"51,110","72,070","100,650","141,670",#,,
01,Alabama,2,AL,000000,Cross-industry,cross-industry,1235,11-1011,Chief Executives,detailed,"1,680",7.9,0.827,0.41,,,98.40,"204,670",3.1,41.96,62.38,#,#,#,"87,280","129,750",#,#,#,,
01,Alabama,2,AL,000000,Cross-industry,cross-industry,1235,45-2091,Agricultural Equipment Operators,detailed,**,**,**,**,,,17.44,"36,270",4.3,12.01,14.55,17.03,19.80,23.11,"24,980","30,270","35,420","41,190","48,070",,
02,Alaska,2,AK,000000,Cross-industry,cross-industry,1235,00-0000,All Occupations,total,**,**,1000.000,1.00,,,34.20,"71,140",0.6,15.92,19.55,28.15,41.24,56.27,"33,120","40,660","58,550","85,780","117,040",,
02,Alaska,2,AK,000000,Cross-industry,cross-industry,1235,11-0000,Management Occupations,major,"18,720",2.3,60.296,0.94,,,57.33,"119,250",1.2,27.49,37.10,51.82,70.29,#,"57,170","77,170","107,790","146,200",#,,
'''


def test_oews_occupations_are_parts_of_the_all_occupations_row(tmp_path, capsys):
    """OEWS's state file was refused asking for a period, and with --period 2023 its
    occupations were 'rows that share a key differ only in a column not read'.  Its occupations
    are now parts of the all-occupations row (OCC_CODE 00-0000), dropped and counted; the year
    is the file name's (M2023), AREA_TYPE 2 a state, ** a figure withheld."""
    code, err, rows = ingest_text(tmp_path, capsys, "state_M2023_dl.csv", OEWS_STATE)
    assert code == 0, err
    assert [(r["period"], r["region"], r["region_name"], r["region_level"], r["industry"]) for r in rows] == [
        ("2023", "01", "Alabama", "state", "10"), ("2023", "02", "Alaska", "state", "10")]
    assert float(rows[0]["employment"]) == 2031630
    assert rows[1]["employment"] == "" and rows[1]["employment_status"] == "suppressed"
    assert rows[1]["employment_flag"] == "**"
    assert "4 rows of one OCC_CODE category" in err
    # under another name the year is asked for, as before
    code, err, _ = ingest_text(tmp_path, capsys, "oews_alabama.csv", OEWS_STATE)
    assert code == 1 and "no period column recognised" in err


def _acs_c24030() -> str:
    """data.census.gov's download of ACS table C24030 (Sex by Industry for the Civilian Employed
    Population 16 Years and Over, ACSDT5Y2022.C24030-Data.csv): the variables' names, then
    their labels as a second header row, each estimate beside its margin of error."""
    names = ['"GEO_ID"', '"NAME"']
    labels = ['"Geography"', '"Geographic Area Name"']
    for n, label in enumerate(("Total:", "Total:!!Male:", "Total:!!Male:!!Agriculture, forestry, "
                               "fishing and hunting, and mining:", "Total:!!Male:!!Construction"), 1):
        names += [f'"C24030_{n:03d}E"', f'"C24030_{n:03d}M"']
        labels += [f'"Estimate!!{label}"', f'"Margin of Error!!{label}"']
    rows = [",".join(names), ",".join(labels),
            '"0500000US49001","Beaver County, Utah","3012","301","1650","210","310","95","260","80"']
    return "\n".join(rows) + "\n"


def test_acs_table_of_variables_is_refused_saying_what_it_is(tmp_path, capsys):
    """An ACS table (C24030) was 'no industry column recognised ... name it with
    --industry-col', which no column could answer: its columns are survey variables, each
    estimate beside its margin of error.  Refused in one line saying so and what to use."""
    code, err, _ = ingest_text(tmp_path, capsys, "ACSDT5Y2022.C24030-Data.csv", _acs_c24030())
    assert code == 1
    assert "column 'C24030_001E': a Census table of survey variables" in err
    assert "use CBP or QCEW" in err and len(err.strip().splitlines()) == 1


# BLS's time-series flat files (download.bls.gov/pub/time.series/sm/sm.data.50.Utah: Current
# Employment Statistics, State and Area): tab-separated, the series ID padded with blanks
BLS_SM_DATA = ("series_id                     \tyear\tperiod\t       value\tfootnote_codes\n"
               "SMS49000000000000001          \t2023\tM01\t      1695.3\t\n"
               "SMS49000003000000001          \t2023\tM01\t       145.1\t\n"
               "SMS49000003000000001          \t2023\tM02\t       146.0\tP\n")


def test_bls_time_series_file_is_refused_saying_what_it_is(tmp_path, capsys):
    """A BLS time-series file asked which of 'year' and 'period' was the period (exit 2):
    answered, it was refused for want of a region.  Its area and industry are inside each series
    ID: refused in one line saying so."""
    code, err, _ = ingest_text(tmp_path, capsys, "sm.data.50.Utah", BLS_SM_DATA)
    assert code == 1
    assert "a BLS time-series file: the area, industry and data type are coded inside each series ID" in err
    assert len(err.strip().splitlines()) == 1


# INE (Spain), an EPA table saved from INE's web tables with its title lines (the table's name,
# "Unidades: Miles de personas") and its notes and source under the table: ';' separated,
# Latin-1, thousands '.' and decimal ',', the quarter '2023T4', 'Total Nacional' above the
# comunidades and 'Total' above the sections.  Made-up figures in thousands of persons.
INE_EPA_TITLED = '''\
Encuesta de Población Activa
Ocupados por rama de actividad y comunidad autónoma. Valores absolutos
Unidades: Miles de personas

Comunidades y Ciudades Autónomas;Rama de actividad CNAE 2009;Periodo;Total
Total Nacional;Total;2023T4;21.246,9
Total Nacional;C Industria manufacturera;2023T4;2.629,1
01 Andalucía;Total;2023T4;3.356,2
01 Andalucía;C Industria manufacturera;2023T4;272,4
09 Cataluña;Total;2023T4;3.692,0
09 Cataluña;C Industria manufacturera;2023T4;584,3

Notas:
1) Desde el 1T 2023 las cifras se han calculado con la nueva base poblacional
Fuente: Instituto Nacional de Estadística
'''


def test_ine_title_naming_its_unit_after_a_label_scales_the_table(tmp_path, capsys):
    """'Unidades: Miles de personas' above INE's table named no unit (the label before it hid
    the thousands): Cataluña's 3.692,0 thousand employed came out 3,692 persons, exit 0.  A unit
    after 'Unidades:', 'Units:', 'Einheit:' or 'Unité :' is the title's unit."""
    src = tmp_path / "65349.csv"
    src.write_bytes(INE_EPA_TITLED.encode("latin-1"))
    out = tmp_path / "es.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out), "--measure-col", "employment=Total"], capsys)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert float(got[("09", "10")]["employment"]) == 3692000
    assert float(got[("01", "C")]["employment"]) == 272400
    assert {r["period"] for r in got.values()} == {"2023Q4"}
    assert len(got) == 4 and "2 region total rows" in err


def _nomis_api_full() -> str:
    """NOMIS's API CSV of BRES (NM_189_1.data.csv) with every column the API gives by default:
    each dimension's id, _NAME, _CODE, _TYPE, _TYPECODE and _SORTORDER, then MEASURES,
    OBS_VALUE, OBS_STATUS (Q: 'These figures are missing.'), OBS_CONF, URN, RECORD_OFFSET and
    RECORD_COUNT."""
    dims = ("DATE", "GEOGRAPHY", "INDUSTRY", "EMPLOYMENT_STATUS", "MEASURE")
    head = [f"{d}{s}" for d in dims for s in ("", "_NAME", "_CODE", "_TYPE", "_TYPECODE", "_SORTORDER")]
    head += ["MEASURES", "MEASURES_NAME", "OBS_VALUE", "OBS_STATUS", "OBS_STATUS_NAME", "OBS_CONF",
             "OBS_CONF_NAME", "URN", "RECORD_OFFSET", "RECORD_COUNT"]
    geos = (("1946157057", "Hartlepool", "E06000001"), ("1946157058", "Middlesbrough", "E06000002"))
    inds = (("146800641", "10 : Manufacture of food products", "10"),
            ("146800693", "62 : Computer programming, consultancy and related activities", "62"))
    values = {("E06000001", "10"): "1250", ("E06000001", "62"): "300", ("E06000002", "10"): "600",
              ("E06000002", "62"): "0"}
    lines = [",".join(head)]
    for g, (gid, gname, gcode) in enumerate(geos):
        for i, (iid, iname, icode) in enumerate(inds):
            value = values[(gcode, icode)]
            status = ("Q", "These figures are missing.") if value == "0" else ("A", "Normal Value")
            cells = ["2022", "2022", "2022", "date", "0", "0",
                     gid, gname, gcode, "local authorities: district / unitary (as of April 2023)", "424", str(g),
                     iid, f'"{iname}"', icode, "SIC 2007 division (2 digit)", "2", str(i),
                     "4", "Employment", "4", "employment status", "0", "3",
                     "1", "Count", "1", "measure", "0", "0", "20100", "Value", value, *status,
                     "F", "Free (free for publication)", f"Nm-189d1d20100e{gid}i{iid}", str(2 * g + i), "4"]
            lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def test_nomis_api_csv_with_every_column_reads_codes_names_and_missing(tmp_path, capsys):
    """NOMIS's API CSV as it comes by default (no select=): read without options, the GSS code
    the region, INDUSTRY_CODE the division (C10), Q 'These figures are missing.' withheld, not
    0.  The industry's name was ': Manufacture of food products' (the code before ' : ' taken
    off, the colon left)."""
    code, err, rows = ingest_text(tmp_path, capsys, "NM_189_1.data.csv", _nomis_api_full())
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert set(got) == {("E06000001", "C10"), ("E06000001", "J62"), ("E06000002", "C10"), ("E06000002", "J62")}
    assert got[("E06000001", "C10")]["industry_name"] == "Manufacture of food products"
    assert got[("E06000002", "J62")]["industry_name"] == "Computer programming, consultancy and related activities"
    assert got[("E06000001", "C10")]["region_level"] == "lad" and float(got[("E06000001", "C10")]["employment"]) == 1250
    assert got[("E06000002", "J62")]["employment_status"] == "suppressed"
    assert got[("E06000002", "J62")]["employment"] == ""


# Statistics Sweden's PX-Web table AM0207 (RAMS) downloaded as "comma delimited with heading"
# and saved by Excel as Windows text (cp1252): years across, '..' for a figure not published
SCB_RAMS_YEARS = '''\
"Förvärvsarbetande 16+ år med arbetsplats i regionen (dagbefolkning) (RAMS) efter region, näringsgren SNI 2007 och år"

"region","näringsgren SNI 2007","2020","2021","2022"
"00 Riket","A-U+US samtliga näringsgrenar",5010000,5060000,5140000
"00 Riket","B+C tillverkning och utvinning",560000,562000,565000
"00 Riket","F byggverksamhet",380000,385000,390000
"01 Stockholms län","A-U+US samtliga näringsgrenar",1290000,1300000,1310000
"01 Stockholms län","B+C tillverkning och utvinning",58000,58500,59000
"01 Stockholms län","F byggverksamhet",80000,81000,82000
"03 Uppsala län","A-U+US samtliga näringsgrenar",190000,193000,196000
"03 Uppsala län","B+C tillverkning och utvinning",16500,16800,17000
"03 Uppsala län","F byggverksamhet",..,14000,14500
'''


def test_scb_windows_text_is_not_read_as_hp_roman8(tmp_path, capsys):
    """charset_normalizer took SCB's cp1252 download for HP Roman-8: 'Stockholms lðn', and
    'A-U+US samtliga nðringsgrenar' was an industry of no code instead of all industries, so
    lq took Stockholm's total from its two sections.  A guess of another machine's code page
    (HP Roman-8, Mac, EBCDIC) is read as cp1252."""
    src = tmp_path / "AM0207.csv"
    src.write_bytes(SCB_RAMS_YEARS.encode("cp1252"))
    out = tmp_path / "se.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert float(got[("2022", "01", "10")]["employment"]) == 1310000
    assert got[("2020", "03", "F")]["employment_status"] == "suppressed"
    assert len(got) == 18 and "3 region total rows" in err  # (00 Riket, each year)
    code, _, err = run_main(["lq", str(src), "-o", str(tmp_path / "lq.csv"), "--period", "2022"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv_rows((tmp_path / "lq.csv").read_text(encoding="utf-8"))}
    assert float(lq[("01", "F")]["region_total"]) == 1310000


# Statistics Denmark's StatBank (statistikbanken.dk) table saved as "Semicolon separated" in
# Windows text: the title, the headings in Danish
DST_RAS = '''\
"Beskæftigede (ultimo november) efter område, branche (DB07) og tid"

"område";"branche (DB07)";"2022"
"Hele landet";"C Industri";290000
"Region Hovedstaden";"C Industri";45000
"Region Sjælland";"C Industri";30000
"Region Syddanmark";"C Industri";85000
"Region Syddanmark";"F Bygge og anlæg";41000
'''


def test_danish_windows_text_is_not_read_as_central_european(tmp_path, capsys):
    """charset_normalizer took StatBank's cp1252 text for cp1250: 'område' came out 'omrĺde',
    no region heading was recognised and the file was refused; 'Sjćlland' would have been a
    region's name.  A cp1250 reading that differs from cp1252's only in the letters Nordic å æ ø
    ð þ become there (ĺ ć ř đ ţ) is read as cp1252."""
    src = tmp_path / "RAS300.csv"
    src.write_bytes(DST_RAS.encode("cp1252"))
    out = tmp_path / "dk.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert {r["region"] for r in rows} == {"Region Hovedstaden", "Region Sjælland", "Region Syddanmark"}
    assert {r["industry_name"] for r in rows} == {"Industri", "Bygge og anlæg"}
    assert "1 region total rows" in err  # Hele landet


# data.census.gov's Economic Census download (EC1700BASIC, "All sectors: Summary Statistics for
# the U.S., States, and Selected Geographies"): the variables, their labels as a second header
# row, each industry once per type of operation (TYPOP 00 all establishments, 10 merchant
# wholesalers ...) and tax status (TAXSTAT 00), payroll in $1,000, EMP_F 'D' withheld
EC_BASIC = '''\
"GEO_ID","NAME","NAICS2017","NAICS2017_LABEL","TAXSTAT","TAXSTAT_LABEL","TYPOP","TYPOP_LABEL","SECTOR","SUBSECTOR","INDLEVEL","YEAR","ESTAB","RCPTOT","RCPTOT_F","PAYANN","PAYANN_F","EMP","EMP_F"
"Geography","Geographic Area Name","2017 NAICS code","Meaning of NAICS code","Tax status code","Meaning of Tax status code","Type of operation code","Meaning of Type of operation code","NAICS economic sector","NAICS subsector","Industry level","Year","Number of establishments","Sales, value of shipments, or revenue ($1,000)","Noise range for sales, value of shipments, or revenue","Annual payroll ($1,000)","Noise range for annual payroll","Number of employees","Noise range for number of employees"
"0500000US49001","Beaver County, Utah","31-33","Manufacturing","00","All establishments","00","All establishments","31","","2","2017","12","145230","","20400","","410",""
"0500000US49001","Beaver County, Utah","42","Wholesale trade","00","All establishments","00","All establishments","42","","2","2017","8","54000","","3400","","75",""
"0500000US49001","Beaver County, Utah","42","Wholesale trade","00","All establishments","10","Merchant wholesalers, except manufacturers' sales branches and offices","42","","2","2017","6","40000","","2500","","50",""
"0500000US49003","Box Elder County, Utah","31-33","Manufacturing","00","All establishments","00","All establishments","31","","2","2017","120","3145230","","420400","","8410",""
"0500000US49003","Box Elder County, Utah","42","Wholesale trade","00","All establishments","00","All establishments","42","","2","2017","40","354000","","23400","","0","D"
"0500000US49003","Box Elder County, Utah","42","Wholesale trade","00","All establishments","20","Manufacturers' sales branches and offices","42","","2","2017","4","54000","","3400","","80",""
'''


def test_economic_census_types_of_operation_are_parts_of_all_establishments(tmp_path, capsys):
    """The Economic Census gives wholesale trade once for all establishments (TYPOP 00) and
    again per type of operation: 'duplicate row' on each, exit 1.  The types of operation (and
    tax statuses, TAXSTAT 00) are parts of the all-establishments row, dropped and counted."""
    code, err, rows = ingest_text(tmp_path, capsys, "ECNBASIC2017.EC1700BASIC-Data.csv", EC_BASIC)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert set(got) == {("49001", "31-33"), ("49001", "42"), ("49003", "31-33"), ("49003", "42")}
    assert float(got[("49001", "42")]["employment"]) == 75
    assert float(got[("49001", "42")]["wages"]) == 3400000  # $1,000
    assert got[("49003", "42")]["employment_status"] == "suppressed"
    assert float(got[("49003", "42")]["establishments"]) == 40
    assert {r["period"] for r in rows} == {"2017"} and {r["region_level"] for r in rows} == {"county"}
    assert "2 rows of one TYPOP category" in err


def _cso_jsonstat() -> str:
    """The same QLF18 as PxStat's JSON-stat 2.0 answer (the API's and the 'JSON-stat' download):
    dimension ids STATISTIC, TLIST(Q1) and the classifications' ids, each labelled; the unit on
    the statistic's category; values row-major, null for a figure not published."""
    import json

    regions = [("-", "State"), ("IE041", "Border"), ("IE061", "Dublin")]
    sectors = [("-", "All NACE economic sectors"), ("F", "Construction (F)")]
    return json.dumps({
        "version": "2.0", "class": "dataset", "label": "Persons aged 15 years and over in Employment",
        "source": "Central Statistics Office, Ireland", "updated": "2024-02-22T11:00:00Z",
        "id": ["STATISTIC", "TLIST(Q1)", "C02196V02652", "C02665V03225"], "size": [1, 1, 3, 2],
        "dimension": {
            "STATISTIC": {"label": "Statistic", "category": {
                "index": ["QLF18C01"], "label": {"QLF18C01": "Persons aged 15 years and over in Employment"},
                "unit": {"QLF18C01": {"label": "Thousand", "decimals": 1}}}},
            "TLIST(Q1)": {"label": "Quarter", "category": {"index": ["20234"], "label": {"20234": "2023Q4"}}},
            "C02196V02652": {"label": "Region", "category": {"index": [c for c, _ in regions],
                                                             "label": dict(regions)}},
            "C02665V03225": {"label": "NACE Rev 2 Economic Sector", "category": {
                "index": [c for c, _ in sectors], "label": dict(sectors)}}},
        "role": {"time": ["TLIST(Q1)"], "metric": ["STATISTIC"]},
        "value": [2710.1, 166.3, 192.4, 14.8, 794.0, None]})


def test_cso_pxstat_json_stat_reads_as_its_csv(tmp_path, capsys):
    """PxStat's JSON-stat was read with its dimension ids as headings: 'no region column
    recognised' (C02196V02652), its quarter the code 20234 ('not a period').  An opaque
    classification id becomes PxStat's CSV pair (codes, then labels under the dimension's
    label), TLIST's labels are the periods and the statistic's unit (Thousand) scales."""
    code, err, rows = ingest_text(tmp_path, capsys, "QLF18.json", _cso_jsonstat())
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert set(got) == {("IE", "10"), ("IE", "F"), ("IE041", "10"), ("IE041", "F"), ("IE061", "10")}
    assert float(got[("IE041", "F")]["employment"]) == 14800
    assert got[("IE061", "10")]["region_name"] == "Dublin" and got[("IE", "10")]["region_level"] == "nuts0"
    assert {r["period"] for r in rows} == {"2023Q4"}


# GENESIS-Online (Destatis), table 13111-0004 as its "CSV" download gives it: Latin-1, ';', the
# table's number and title lines, the reference days (Stichtag) across over a row of the unit
# (Anzahl), the key columns unheaded, each Land named on the first row of its block only, the
# sections by title, Destatis's markers ('.' withheld, '-' nothing, 'x' not sensible) and the
# footer under a rule.  Made-up figures.
GENESIS_13111 = '''\
GENESIS-Tabelle: 13111-0004
Sozialversicherungspflichtig Beschäftigte am Arbeitsort:;;;
Bundesländer, Stichtag, Wirtschaftszweige (WZ2008);;;
Statistik der sozialversicherungspflichtig Beschäftigten;;;
Sozialversicherungspflichtig Beschäftigte am Arbeitsort (Anzahl);;;
;;30.06.2022;30.06.2023
;;Anzahl;Anzahl
Baden-Württemberg;Insgesamt;4.901.210;4.947.123
;Land- und Forstwirtschaft, Fischerei;25.102;25.432
;Verarbeitendes Gewerbe;1.230.001;1.234.567
;Baugewerbe;.;.
Bayern;Insgesamt;5.977.001;6.012.345
;Land- und Forstwirtschaft, Fischerei;38.500;38.901
;Verarbeitendes Gewerbe;1.450.000;1.456.789
;Baugewerbe;343.210;345.678
Bremen;Insgesamt;340.001;345.123
;Land- und Forstwirtschaft, Fischerei;-;-
;Verarbeitendes Gewerbe;56.001;56.789
;Baugewerbe;x;x
__________
Stand: 01.03.2024 / 14:35:57
© Statistisches Bundesamt (Destatis), 2024
'''


def test_genesis_reference_days_across_over_a_unit_row(tmp_path, capsys):
    """GENESIS's table with its reference days across over a row of the unit: the unit row
    ('Anzahl;Anzahl') was taken for the header, 'duplicate column heading'; with one day the
    title line was the header and every row 'has 3 fields, the header has 1'.  The days'
    row is the header (30.06.2023 the year 2023), the unit row a label row under it, each Land
    filled down its block, the sections read from their titles."""
    src = tmp_path / "13111-0004.csv"
    src.write_bytes(GENESIS_13111.encode("latin-1"))
    out = tmp_path / "de.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert len(got) == 24
    assert float(got[("2023", "Bayern", "C")]["employment"]) == 1456789
    assert float(got[("2022", "Baden-Württemberg", "10")]["employment"]) == 4901210
    assert got[("2023", "Baden-Württemberg", "F")]["employment_status"] == "suppressed"
    assert got[("2023", "Bremen", "A")]["employment_flag"] == "-" and got[("2023", "Bremen", "A")]["employment"] == ""
    # one reference day alone (the 2022 column left out): the same table
    one = re.sub(r"^([^;\n]*;[^;\n]*);[^;\n]*;", r"\1;", GENESIS_13111, flags=re.MULTILINE)
    assert ";;30.06.2023\n;;Anzahl\nBaden-Württemberg;Insgesamt;4.947.123\n" in one
    src.write_bytes(one.encode("latin-1"))
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert {r["period"] for r in rows} == {"2023"} and len(rows) == 12


def test_tablebuilder_csv_saved_again_by_excel(tmp_path, capsys):
    """TableBuilder's CSV opened in Excel and saved again: every line padded to the table's
    width, CRLF.  Its INFO line ('INFO','Cells in this table have been randomly adjusted ...')
    was then a row of the table, 'not a number' under New South Wales, exit 1; it is a note
    under the table, dropped and counted."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(_tablebuilder())))
    width = max(len(r) for r in rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows((r + [""] * width)[:width] for r in rows)
    src = tmp_path / "INDP_by_STATE_POW.csv"
    src.write_bytes(out.getvalue().encode("utf-8"))
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "au.csv")], capsys)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in csv_rows((tmp_path / "au.csv").read_text(encoding="utf-8"))}
    assert len(got) == 36 and float(got[("Victoria", "Manufacturing")]["employment"]) == 251020
    assert "1 TableBuilder INFO lines under the table" in err


# data.census.gov's Annual Business Survey download (AB2100CSA01: employer firms by sector,
# owners' sex, ethnicity, race and veteran status): each breakdown a code column beside its
# label, its total 001 (race 00), the labels as a second header row, payroll in $1,000
ABS_CSA = '''\
"GEO_ID","NAME","NAICS2017","NAICS2017_LABEL","SEX","SEX_LABEL","ETH_GROUP","ETH_GROUP_LABEL","RACE_GROUP","RACE_GROUP_LABEL","VET_GROUP","VET_GROUP_LABEL","EMPSZFI","EMPSZFI_LABEL","YEAR","FIRMPDEMP","FIRMPDEMP_F","RCPPDEMP","RCPPDEMP_F","EMP","EMP_F","PAYANN","PAYANN_F"
"Geography","Geographic Area Name","2017 NAICS code","Meaning of NAICS code","Sex code","Meaning of Sex code","Ethnicity code","Meaning of Ethnicity code","Race code","Meaning of Race code","Veteran code","Meaning of Veteran code","Employment size of firms code","Meaning of Employment size of firms code","Year","Number of employer firms","Noise range for number of employer firms","Sales, value of shipments, or revenue of employer firms ($1,000)","Noise range for sales","Number of employees","Noise range for number of employees","Annual payroll ($1,000)","Noise range for annual payroll"
"0400000US49","Utah","00","Total for all sectors","001","Total","001","Total","00","Total","001","Total","001","All firms","2021","75000","","250000000","","1300000","","70000000",""
"0400000US49","Utah","00","Total for all sectors","002","Female","001","Total","00","Total","001","Total","001","All firms","2021","15000","","30000000","","150000","","7000000",""
"0400000US49","Utah","31-33","Manufacturing","001","Total","001","Total","00","Total","001","Total","001","All firms","2021","3500","","50000000","","130000","","8000000",""
"0400000US49","Utah","31-33","Manufacturing","003","Male","001","Total","00","Total","001","Total","001","All firms","2021","2500","","40000000","","100000","","6000000",""
"0400000US16","Idaho","00","Total for all sectors","001","Total","001","Total","00","Total","001","Total","001","All firms","2021","40000","","120000000","","550000","","28000000",""
"0400000US16","Idaho","31-33","Manufacturing","001","Total","001","Total","00","Total","001","Total","001","All firms","2021","1900","","25000000","","62000","","3300000",""
"0400000US16","Idaho","31-33","Manufacturing","001","Total","001","Total","30","White","001","Total","611","Firms with less than 5 employees","2021","1700","","23000000","","58000","","3100000",""
'''


def test_annual_business_survey_owner_breakdowns_under_their_total_codes(tmp_path, capsys):
    """The Annual Business Survey's owner breakdowns were refused: 'rows of SEX categories
    only, none of all of them' (its total is coded 001).  SEX 001, ETH_GROUP 001, RACE_GROUP
    00, VET_GROUP 001 and EMPSZFI 001 are the all-firms rows; the others are parts, dropped
    and counted."""
    code, err, rows = ingest_text(tmp_path, capsys, "ABSCS2021.AB2100CSA01-Data.csv", ABS_CSA)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert set(got) == {("49000", "10"), ("49000", "31-33"), ("16000", "10"), ("16000", "31-33")}
    assert float(got[("49000", "31-33")]["employment"]) == 130000
    assert float(got[("16000", "31-33")]["wages"]) == 3300000000  # $1,000
    assert "2 rows of one SEX category" in err and "1 rows of one RACE_GROUP category" in err


# OEWS's national industry file (nat4d_M2023_dl.xlsx as CSV): every NAICS code six characters,
# padded with zeros, its level in I_GROUP; OWN_CODE 1235 (all ownerships) on the cross-industry
# row, 5 (private) on the industries'
OEWS_NAT4D = '''\
AREA,AREA_TITLE,AREA_TYPE,PRIM_STATE,NAICS,NAICS_TITLE,I_GROUP,OWN_CODE,OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,EMP_PRSE,PCT_TOTAL,PCT_RPT,H_MEAN,A_MEAN
99,U.S.,1,US,000000,Cross-industry,cross-industry,1235,00-0000,All Occupations,total,"151,853,870",0.1,,,31.48,"65,470"
99,U.S.,1,US,310000,Manufacturing,sector,5,00-0000,All Occupations,total,"12,894,660",0.3,100,,30.21,"62,840"
99,U.S.,1,US,311000,Food Manufacturing,3-digit,5,00-0000,All Occupations,total,"1,697,580",0.5,100,,23.52,"48,920"
99,U.S.,1,US,311500,Dairy Product Manufacturing,4-digit,5,00-0000,All Occupations,total,"158,060",1.3,100,,26.07,"54,230"
99,U.S.,1,US,311500,Dairy Product Manufacturing,4-digit,5,53-3032,Heavy and Tractor-Trailer Truck Drivers,detailed,"11,210",3.0,7.09,89,27.10,"56,370"
'''


def test_oews_padded_naics_codes_are_read_at_their_i_group_level(tmp_path, capsys):
    """OEWS pads its NAICS codes to six characters: '311500' (4-digit, dairy products) was read
    as a six-digit NAICS code NAICS has not (level 6), '310000' as another, manufacturing's
    sector lost; OWN_CODE 1235 was an ownership of its own beside QCEW's.  I_GROUP gives each
    code's digits (3115 level 4, 311, 31-33), 1235 is all ownerships (total), 123 government."""
    code, err, rows = ingest_text(tmp_path, capsys, "nat4d_M2023_dl.csv", OEWS_NAT4D)
    assert code == 0, err
    got = {(r["ownership"], r["industry"]): r for r in rows}
    assert set(got) == {("total", "10"), ("private", "31-33"), ("private", "311"), ("private", "3115")}
    assert got[("private", "3115")]["level"] == "4" and float(got[("private", "3115")]["employment"]) == 158060
