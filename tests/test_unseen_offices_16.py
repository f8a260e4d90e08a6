"""National statistical offices' tables as their download buttons give them (crash hunt,
session 16): each test writes the file in the office's layout and reads it with ingest, stats
or lq, checking the figures by hand."""

from __future__ import annotations

import csv

import pytest

from conftest import ingest_text, run_main


_ingest = ingest_text  # (conftest: write the text, ingest it, its rows)


# NOMIS (ONS Business Register and Employment Survey, open access), "Download data" as CSV
# with local authorities down and SIC 2007 divisions across: title lines, the "mnemonic"
# column with the ONS codes, figures rounded and with thousands commas, notes under the table
NOMIS_BRES_QUERY = '''\
"Business Register and Employment Survey : open access"
"ONS Crown Copyright Reserved [from Nomis on 29 November 2026]"
"date","2022"
"measure","Count"
"employment status","Employment"

"local authority: district / unitary (as of April 2023)","mnemonic","01 : Crop and animal production, hunting and related service activities","10 : Manufacture of food products","49 : Land transport and transport via pipelines","78 : Employment activities"
"Hartlepool","E06000001","75","1,250","400","300"
"Middlesbrough","E06000002","20","600","900","1,250"
"Redcar and Cleveland","E06000003","150","700","350","100"

"* Employment includes employees plus the number of working owners."
"Figures may not sum due to rounding"
'''


def test_nomis_bres_divisions_across_are_all_read(tmp_path, capsys):
    """NOMIS's BRES download with the SIC 2007 divisions across.  The headings' words were
    read as roles: "Crop and animal production" made A01 an output column and "Employment
    activities" N78 an employment one, and both columns were left out of the table without a
    word (12 cells read as 6).  Now every division is read, its name without the colon."""
    code, err, rows = _ingest(tmp_path, capsys, "bres_la_divisions.csv", NOMIS_BRES_QUERY)
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert len(got) == 12
    # (Hartlepool, Middlesbrough, Redcar and Cleveland by their GSS codes; session 30)
    assert got[("E06000001", "A01")] == 75 and got[("E06000002", "N78")] == 1250
    assert got[("E06000001", "C10")] == 1250 and got[("E06000003", "H49")] == 350
    names = {r["industry"]: r["industry_name"] for r in rows}
    assert names["A01"] == "Crop and animal production, hunting and related service activities"
    assert names["N78"] == "Employment activities"


# NOMIS API (www.nomisweb.co.uk/api/v01/dataset/NM_189_1.data.csv, BRES open access, with
# select=date,date_name,geography_name,geography_code,geography_type,industry_name,
# industry_type,employment_status,employment_status_name,measures_name,obs_value,obs_status,
# obs_status_name): upper-case headings, the dimensions' ids, names and types beside the value
NOMIS_API = '''\
"DATE","DATE_NAME","GEOGRAPHY_NAME","GEOGRAPHY_CODE","GEOGRAPHY_TYPE","INDUSTRY_NAME","INDUSTRY_TYPE","EMPLOYMENT_STATUS","EMPLOYMENT_STATUS_NAME","MEASURES_NAME","OBS_VALUE","OBS_STATUS","OBS_STATUS_NAME"
"2022","2022","Hartlepool","E06000001","local authorities: district / unitary (as of April 2023)","01 : Crop and animal production, hunting and related service activities","SIC 2007 division (2 digit)","4","Employment","Value","75","A","Normal Value"
"2022","2022","Hartlepool","E06000001","local authorities: district / unitary (as of April 2023)","10 : Manufacture of food products","SIC 2007 division (2 digit)","4","Employment","Value","1250","A","Normal Value"
"2022","2022","Middlesbrough","E06000002","local authorities: district / unitary (as of April 2023)","01 : Crop and animal production, hunting and related service activities","SIC 2007 division (2 digit)","4","Employment","Value","20","A","Normal Value"
"2022","2022","Middlesbrough","E06000002","local authorities: district / unitary (as of April 2023)","10 : Manufacture of food products","SIC 2007 division (2 digit)","4","Employment","Value","600","A","Normal Value"
'''


def test_nomis_api_employment_status_is_not_the_employment_column(tmp_path, capsys):
    """NOMIS's API CSV: EMPLOYMENT_STATUS (the code 4, "Employment") was read as the
    employment column, every cell 4, and OBS_VALUE was left unread; DATE_TYPE competed with
    DATE as the period.  A heading naming a dimension's status, type or sort order is that
    dimension's attribute: the figures are OBS_VALUE's, the regions GEOGRAPHY_CODE's."""
    code, err, rows = _ingest(tmp_path, capsys, "NM_189_1.data.csv", NOMIS_API,
                              "--industry-col", "INDUSTRY_NAME")
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("E06000001", "A01"): 75, ("E06000001", "C10"): 1250,
                   ("E06000002", "A01"): 20, ("E06000002", "C10"): 600}
    assert {r["period"] for r in rows} == {"2022"}
    assert {r["region_name"] for r in rows} == {"Hartlepool", "Middlesbrough"}
    assert "EMPLOYMENT_STATUS" in err  # named as not read


def test_ownership_type_heading_is_still_the_ownership_column():
    # the attribute words of NOMIS's headings (status, type) do not take the ownership's own
    # column from a table that heads it as people write it; NOMIS's INDUSTRY_TYPE stays none
    from clusterid.io.readers.generic_headings import role_of

    for heading in ("Ownership type", "Type of ownership", "ownership_type"):
        assert role_of(heading) == "ownership", heading
    for heading in ("EMPLOYMENT_STATUS", "INDUSTRY_TYPE", "GEOGRAPHY_TYPE", "DATE_TYPE"):
        assert role_of(heading) is None, heading


# Statistics Canada, full table download (14100202.csv from 14100202-eng.zip: "Employment by
# industry, annual", SEPH): one row per cell, the NAICS member's code in square brackets after
# its name, StatCan's own aggregates marked N, the country beside the provinces, STATUS beside
# VALUE (x suppressed, F too unreliable, E use with caution, ".." not available)
_SC_HEAD = ('"REF_DATE","GEO","DGUID","Type of employee","North American Industry Classification '
            'System (NAICS)","UOM","UOM_ID","SCALAR_FACTOR","SCALAR_ID","VECTOR","COORDINATE","VALUE",'
            '"STATUS","SYMBOL","TERMINATED","DECIMALS"\n')
_SC_INDUSTRIES = ["Industrial aggregate including unclassified businesses [00-91N]",
                  "Goods producing industries [11-33N]", "Forestry, logging and support [11N]",
                  "Mining, quarrying, and oil and gas extraction [21]", "Utilities [22]",
                  "Construction [23]", "Manufacturing [31-33]", "Wholesale trade [41]",
                  "Retail trade [44-45]"]
_SC_CELLS = {
    ("Canada", "2021A000011124"): ["16843255", "3083440", "39220", "209731", "122544", "1089372",
                                   "1622573", "813221", "2011870"],
    ("Newfoundland and Labrador", "2021A000210"): ["212430", "33109", "..", "5931", ("", "x"),
                                                   "15022", ("9817", "E"), "6870", "29980"],
    ("Nova Scotia", "2021A000212"): ["435108", "61102", "2105", ("", "F"), "2461", "28815", "29190",
                                     "15310", "61120"],
}


def _statcan_table() -> str:
    lines = [_SC_HEAD]
    for g, ((geo, dguid), cells) in enumerate(_SC_CELLS.items(), start=1):
        for i, (industry, cell) in enumerate(zip(_SC_INDUSTRIES, cells), start=1):
            value, status = cell if isinstance(cell, tuple) else (cell, "")
            symbol = ".." if value == ".." else ""
            lines.append(f'"2022","{geo}","{dguid}","All employees","{industry}","Persons","249",'
                         f'"units","0","v7931{g}{i:03d}","{g}.1.{i}","{value}","{status}","{symbol}",'
                         f'"","0"\n')
    return "".join(lines)


def test_statcan_full_table_codes_total_country_and_status(tmp_path, capsys):
    """StatCan's table CSV was read with every member as a custom industry named by itself:
    the industrial aggregate (the total) was summed with its sectors and with "Goods producing
    industries" into the provinces' totals (NL 313,159 for a published 212,430), Canada was a
    region beside its provinces, and the STATUS flags (x, F, E) were lost.  Now the bracketed
    codes are NAICS (Canada's own sectors 41 and 91 included), the aggregate including
    unclassified businesses is the all-industries row, the N aggregates are kept by name at no
    code level, Canada is the nation beside its provinces (never summed with them), and STATUS
    is each value's flag."""
    code, err, rows = _ingest(tmp_path, capsys, "14100202.csv", _statcan_table())
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    # (the DGUID gives each region its level: Canada is the nation beside its provinces)
    assert {(r["region"], r["region_level"]) for r in rows} == {
        ("Canada", "nation"), ("Newfoundland and Labrador", "province"), ("Nova Scotia", "province")}
    nl = "Newfoundland and Labrador"
    assert float(got[(nl, "10")]["employment"]) == 212430 and got[(nl, "10")]["level"] == "0"
    assert got[(nl, "41")]["classification"] == "NAICS" and got[(nl, "41")]["level"] == "2"
    assert got[(nl, "31-33")]["industry_name"] == "Manufacturing"
    assert (got[(nl, "31-33")]["employment"], got[(nl, "31-33")]["employment_status"],
            got[(nl, "31-33")]["employment_flag"]) == ("9817.0", "reported", "E")
    assert (got[(nl, "22")]["employment"], got[(nl, "22")]["employment_status"],
            got[(nl, "22")]["employment_flag"]) == ("", "suppressed", "x")
    assert got[("Nova Scotia", "21")]["employment_flag"] == "F"
    assert got[("Nova Scotia", "21")]["employment_status"] == "suppressed"
    goods = got[(nl, "Goods producing industries [11-33N]")]
    assert goods["classification"] == "custom" and goods["level"] == ""

    lq_out = tmp_path / "lq.csv"
    code, _o, err = run_main(["lq", str(tmp_path / "14100202.csv"), "-o", str(lq_out)], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv.DictReader(lq_out.open())}
    # the provinces' totals are their published aggregates; construction: NL 15,022 of
    # 212,430 against (15,022 + 28,815) of (212,430 + 435,108)
    assert float(lq[(nl, "23")]["region_total"]) == 212430
    assert float(lq[(nl, "23")]["lq"]) == pytest.approx((15022 / 212430) / (43837 / 647538), rel=1e-6)


# Statistics Canada, "Download as displayed" CSV of table 14-10-0202-01 with the layout
# customised to the provinces down and industries across: title and selection lines above the
# header, a symbol legend, footnotes and the citation under the table, two cells a row
STATCAN_AS_DISPLAYED = '''\
"Employment by industry, annual 1 2 3"
"Frequency: Annual"
"Table: 14-10-0202-01 (formerly CANSIM 281-0024)"
"Release date: 2023-03-30"
"Geography: Canada, Province or territory"
""
"Type of employee","All employees"
""
"Geography","Manufacturing [31-33]","Wholesale trade [41]","Retail trade [44-45]"
"Newfoundland and Labrador","9,817","6,870","29,980"
"Prince Edward Island","7,130","2,105","9,870"
"Nova Scotia","29,190","15,310","61,120"
""
"Symbol legend:"
"..","not available for a specific reference period"
"x","suppressed to meet the confidentiality requirements of the Statistics Act"
""
"Footnotes:"
"1","Statistics Canada. 2023. Survey of Employment, Payrolls and Hours."
"How to cite: Statistics Canada. Table 14-10-0202-01  Employment by industry, annual"
"DOI: https://doi.org/10.25318/1410020201-eng"
'''


def test_statcan_as_displayed_legend_and_footnotes_under_the_table(tmp_path, capsys):
    """The legend and footnote rows of two cells under StatCan's table were each refused as
    'row has 2 fields, the header has 4' (exit 1; only editing the file helped).  Rows with
    too few fields below the data, after a blank line or a note, are notes under the table,
    dropped and counted; a short row right under the data (a cut-off download) is still one
    of the table's rows, refused on its line."""
    code, err, rows = _ingest(tmp_path, capsys, "1410020201-eng.csv", STATCAN_AS_DISPLAYED,
                              "--period", "2022")
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert len(got) == 9
    assert got[("Nova Scotia", "41")] == 15310 and got[("Newfoundland and Labrador", "31-33")] == 9817
    assert "7 note rows under the table" in err

    cut = STATCAN_AS_DISPLAYED.split('""\n"Symbol legend:"')[0] + '"New Brunswick","28,740"\n'
    code, err, _rows = _ingest(tmp_path, capsys, "cut.csv", cut, "--period", "2022")
    assert code == 1 and "cut.csv:13: row has 2 fields, the header has 4" in err


# Statistics Canada, "Download as displayed" CSV of table 14-10-0202-01 as the page shows it
# for one province: years across, a units row under the header, footnote numbers after names,
# "F" and ".." in the cells, legend and footnotes under the table
STATCAN_AS_DISPLAYED_YEARS = '''\
"Employment by industry, annual 1 2 3"
"Frequency: Annual"
"Table: 14-10-0202-01 (formerly CANSIM 281-0024)"
"Release date: 2023-03-30"
"Geography: Canada, Province or territory"
""
"Geography","Nova Scotia"
"Type of employee","All employees"
""
"North American Industry Classification System (NAICS) 4","2020","2021","2022"
"","Persons","",""
"Industrial aggregate including unclassified businesses [00-91N] 5","411,845","425,310","435,108"
"Goods producing industries [11-33N]","58,870","60,044","61,102"
"Forestry, logging and support [11N]","2,010","..","2,105"
"Mining, quarrying, and oil and gas extraction [21]","1,504","F","F"
"Construction [23]","27,118","27,960","28,815"
"Manufacturing [31-33]","28,003","28,610","29,190"
""
"Symbol legend:"
"..","not available for a specific reference period"
"F","too unreliable to be published"
""
"Footnotes:"
"1","Statistics Canada. 2023. Survey of Employment, Payrolls and Hours."
"How to cite: Statistics Canada. Table 14-10-0202-01  Employment by industry, annual"
'''


def test_statcan_as_displayed_years_across(tmp_path, capsys):
    """StatCan's displayed table for one province.  Its units row ("", "Persons", "", "") was
    'not a number' and 'empty key cell'; "F" (too unreliable to be published) was not a
    number; the total's footnote number ("[00-91N] 5") hid it, so it was an industry of its
    own; and the two "Geography" title lines (the table's levels, then the province chosen)
    gave every row the region "Canada, Province or territory" once "Geography" named a region.
    Now the units row is a label row, F is suppressed, the total is the all-industries row,
    and the two different title regions name none: --region says which."""
    code, err, _rows = _ingest(tmp_path, capsys, "1410020201-eng.csv", STATCAN_AS_DISPLAYED_YEARS)
    assert code == 1 and "no region column recognised" in err and "--region" in err
    code, err, rows = _ingest(tmp_path, capsys, "1410020201-eng.csv", STATCAN_AS_DISPLAYED_YEARS,
                              "--region", "12:Nova Scotia")
    assert code == 0, err
    got = {(r["period"], r["industry"]): r for r in rows}
    assert {r["region"] for r in rows} == {"12"}
    assert float(got[("2022", "10")]["employment"]) == 435108
    assert float(got[("2020", "21")]["employment"]) == 1504
    assert (got[("2021", "21")]["employment"], got[("2021", "21")]["employment_status"],
            got[("2021", "21")]["employment_flag"]) == ("", "suppressed", "F")
    assert float(got[("2021", "31-33")]["employment"]) == 28610
    assert "1 label row under the header" in err
    assert len(rows) == 18  # 6 industries x 3 years, the units row and the notes left out


# Eurostat SDMX-CSV 1.0 with labels (the API's &labels=name / the Data Browser's "labels"
# download) of nama_10_a10_e by country: the countries' names in geo
ESTAT_BY_COUNTRY_LABELS = '''\
DATAFLOW,LAST UPDATE,freq,unit,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG
ESTAT:NAMA_10_A10_E(1.0),22/02/24 23:00:00,Annual,Thousand persons,Manufacturing,Belgium,2021,495.1,
ESTAT:NAMA_10_A10_E(1.0),22/02/24 23:00:00,Annual,Thousand persons,Manufacturing,Germany,2021,7516.0,
ESTAT:NAMA_10_A10_E(1.0),22/02/24 23:00:00,Annual,Thousand persons,Manufacturing,Austria,2021,676.3,
ESTAT:NAMA_10_A10_E(1.0),22/02/24 23:00:00,Annual,Thousand persons,Construction,Belgium,2021,296.0,
ESTAT:NAMA_10_A10_E(1.0),22/02/24 23:00:00,Annual,Thousand persons,Construction,Germany,2021,2580.0,
ESTAT:NAMA_10_A10_E(1.0),22/02/24 23:00:00,Annual,Thousand persons,Construction,Austria,2021,358.0,
'''

# Statistics Netherlands (CBS StatLine) CSV export of "Banen van werknemers; SBI 2008, regio":
# semicolons, every cell quoted, decimal commas with a blank as thousands mark, "(x 1 000)",
# the country above its provinces, "." where no figure is published, the source under it
CBS_STATLINE = '''\
"Banen van werknemers; SBI 2008, regio";;;
"Bedrijfstakken/branches (SBI 2008)";"Regio's";"Perioden";"Banen van werknemers (x 1 000)"
"A-U Alle economische activiteiten";"Nederland";"2022";"8 530,2"
"A-U Alle economische activiteiten";"Groningen (PV)";"2022";"250,4"
"A-U Alle economische activiteiten";"Friesland (PV)";"2022";"262,1"
"C Industrie";"Nederland";"2022";"801,5"
"C Industrie";"Groningen (PV)";"2022";"24,1"
"C Industrie";"Friesland (PV)";"2022";"32,8"
"F Bouwnijverheid";"Nederland";"2022";"337,0"
"F Bouwnijverheid";"Groningen (PV)";"2022";"10,5"
"F Bouwnijverheid";"Friesland (PV)";"2022";"."
"Bron: CBS";;;
'''


def test_countries_side_by_side_are_regions_and_a_country_above_its_provinces_a_total(tmp_path, capsys):
    """A table by country (Eurostat with labels) lost Germany and Austria as "region total
    rows", Belgium alone left: two countries' names are no total of the others.  One country
    above its own regions (CBS's Nederland over the provinces) is the total, dropped and
    counted, as Deutschland or Canada are; it was kept and summed with its provinces."""
    code, err, rows = _ingest(tmp_path, capsys, "nama_10_a10_e_labels.csv", ESTAT_BY_COUNTRY_LABELS)
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("Belgium", "C"): 495100, ("Germany", "C"): 7516000, ("Austria", "C"): 676300,
                   ("Belgium", "F"): 296000, ("Germany", "F"): 2580000, ("Austria", "F"): 358000}

    # one country of the totals' names among others (Belgium, France): still a country
    code, err, rows = _ingest(tmp_path, capsys, "nama_10_a10_e_labels.csv",
                              ESTAT_BY_COUNTRY_LABELS.replace(",Austria,", ",France,"))
    assert code == 0, err
    assert {r["region"] for r in rows} == {"Belgium", "Germany", "France"}

    code, err, rows = _ingest(
        tmp_path, capsys, "82800NED.csv", CBS_STATLINE, "--region-col", "Regio's", "--industry-col",
        "Bedrijfstakken/branches (SBI 2008)", "--period-col", "Perioden",
        "--measure-col", "employment=Banen van werknemers (x 1 000)")
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert {r["region"] for r in rows} == {"Groningen (PV)", "Friesland (PV)"}
    assert "3 region total rows" in err
    assert float(got[("Groningen (PV)", "10")]["employment"]) == 250400
    assert float(got[("Groningen (PV)", "C")]["employment"]) == 24100
    assert got[("Friesland (PV)", "F")]["employment_status"] == "suppressed"


# ABS Data Explorer, "CSV with labels" (SDMX-CSV, ID: Name in every dimension cell): employed
# persons by ANZSIC 2006 division and state, in thousands (UNIT_MULT 3)
ABS_LABELS = '''\
DATAFLOW,MEASURE: Measure,INDUSTRY: Industry,STATE: State,FREQ: Frequency,TIME_PERIOD: Time Period,OBS_VALUE,UNIT_MEASURE: Unit of Measure,UNIT_MULT: Unit of Multiplier,OBS_STATUS: Observation Status,OBS_COMMENT: Observation Comment
ABS:LF_IND(1.0.0),M3: Employed total,C: Manufacturing,1: New South Wales,Q: Quarterly,2023-Q1,276.4,NUM: Number,3: Thousands,,
ABS:LF_IND(1.0.0),M3: Employed total,E: Construction,1: New South Wales,Q: Quarterly,2023-Q1,378.2,NUM: Number,3: Thousands,,
ABS:LF_IND(1.0.0),M3: Employed total,F: Wholesale Trade,1: New South Wales,Q: Quarterly,2023-Q1,131.9,NUM: Number,3: Thousands,,
ABS:LF_IND(1.0.0),M3: Employed total,TOT: All industries,1: New South Wales,Q: Quarterly,2023-Q1,4320.1,NUM: Number,3: Thousands,,
ABS:LF_IND(1.0.0),M3: Employed total,C: Manufacturing,2: Victoria,Q: Quarterly,2023-Q1,269.7,NUM: Number,3: Thousands,,
ABS:LF_IND(1.0.0),M3: Employed total,E: Construction,2: Victoria,Q: Quarterly,2023-Q1,345.0,NUM: Number,3: Thousands,,
ABS:LF_IND(1.0.0),M3: Employed total,F: Wholesale Trade,2: Victoria,Q: Quarterly,2023-Q1,118.3,NUM: Number,3: Thousands,,
ABS:LF_IND(1.0.0),M3: Employed total,TOT: All industries,2: Victoria,Q: Quarterly,2023-Q1,3602.5,NUM: Number,3: Thousands,,
'''


def test_sdmx_unit_multiplier_scales_the_values(tmp_path, capsys):
    """SDMX's UNIT_MULT (3: Thousands) was a column not read: the ABS's 4,320.1 thousand
    employed in New South Wales came out as 4,320.1 persons.  Each value is now times ten to
    its row's power; a cell that is no power of ten is refused on its line."""
    code, err, rows = _ingest(tmp_path, capsys, "LF_IND.csv", ABS_LABELS, "--classification", "custom")
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got[("1", "10")] == 4320100 and got[("2", "C")] == 269700 and got[("1", "F")] == 131900
    assert "UNIT_MULT" not in err  # read, not named as a column not read

    bad = ABS_LABELS.replace("3: Thousands,,\nABS:LF_IND(1.0.0),M3: Employed total,E: Construction,1",
                             "Thousands,,\nABS:LF_IND(1.0.0),M3: Employed total,E: Construction,1", 1)
    code, err, _rows = _ingest(tmp_path, capsys, "LF_IND_bad.csv", bad, "--classification", "custom")
    assert code == 1 and "LF_IND_bad.csv:2: column 'UNIT_MULT': not a unit multiplier" in err


def test_anzsic_letters_are_not_read_as_nace_sections(tmp_path, capsys):
    """ANZSIC 2006 divisions are letters like NACE's sections, with other meanings: the ABS's
    "E: Construction" and "F: Wholesale Trade" were read as NACE E (water supply) and F
    (construction) without a word.  A section letter whose name names another section is
    refused on its line, with the option that reads the codes as they are."""
    code, err, _rows = _ingest(tmp_path, capsys, "LF_IND.csv", ABS_LABELS)
    assert code == 1
    assert "LF_IND.csv:3: column 'INDUSTRY': an industry code named as another NACE section" in err
    assert "E: Construction (NACE F)" in err and "--classification custom" in err
    assert "LF_IND.csv:4:" in err and "F: Wholesale Trade (NACE G)" in err
    code, err, rows = _ingest(tmp_path, capsys, "LF_IND.csv", ABS_LABELS, "--classification", "custom")
    assert code == 0, err
    assert {r["classification"] for r in rows} == {"custom"}


# OECD Data Explorer, SDMX-CSV "with labels" (each code column followed by its label column,
# TIME_PERIOD's label column empty, ACTIVITY _T the total, UNIT_MULT 3): employees by ISIC
# Rev. 4 section, whose letters are NACE Rev. 2's sections
OECD_LABELS = '''\
STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,ACTION,REF_AREA,Reference area,FREQ,Frequency of observation,MEASURE,Measure,ACTIVITY,Economic activity,UNIT_MEASURE,Unit of measure,TIME_PERIOD,Time period,OBS_VALUE,Observation value,OBS_STATUS,Observation status,UNIT_MULT,Unit multiplier
DATAFLOW,OECD.SDD.TPS:DSD_ALFS@DF_ALFS_EMP_EES(1.0),Employees by activity,I,AUT,Austria,A,Annual,EES,Employees,C,Manufacturing,PS,Persons,2022,,693.1,,A,Normal value,3,Thousands
DATAFLOW,OECD.SDD.TPS:DSD_ALFS@DF_ALFS_EMP_EES(1.0),Employees by activity,I,AUT,Austria,A,Annual,EES,Employees,F,Construction,PS,Persons,2022,,297.5,,A,Normal value,3,Thousands
DATAFLOW,OECD.SDD.TPS:DSD_ALFS@DF_ALFS_EMP_EES(1.0),Employees by activity,I,AUT,Austria,A,Annual,EES,Employees,_T,Total,PS,Persons,2022,,3921.8,,A,Normal value,3,Thousands
DATAFLOW,OECD.SDD.TPS:DSD_ALFS@DF_ALFS_EMP_EES(1.0),Employees by activity,I,BEL,Belgium,A,Annual,EES,Employees,C,Manufacturing,PS,Persons,2022,,480.2,,A,Normal value,3,Thousands
DATAFLOW,OECD.SDD.TPS:DSD_ALFS@DF_ALFS_EMP_EES(1.0),Employees by activity,I,BEL,Belgium,A,Annual,EES,Employees,F,Construction,PS,Persons,2022,,242.0,,A,Normal value,3,Thousands
DATAFLOW,OECD.SDD.TPS:DSD_ALFS@DF_ALFS_EMP_EES(1.0),Employees by activity,I,BEL,Belgium,A,Annual,EES,Employees,_T,Total,PS,Persons,2022,,4150.3,,A,Normal value,3,Thousands
'''


def test_oecd_sdmx_csv_with_labels(tmp_path, capsys):
    """The OECD's download with labels was refused twice before a figure was read: the empty
    label column "Time period" as a second period beside TIME_PERIOD, then "Economic
    activity" as a second industry column beside ACTIVITY (exit 2 each); with both named,
    ACTIVITY's "_T" was 'not a NACE industry code'.  An empty column is no rival, a column of
    codes beside one of names is the codes and their names, and SDMX's _T is the total."""
    code, err, rows = _ingest(tmp_path, capsys, "DF_ALFS_EMP_EES.csv", OECD_LABELS)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert float(got[("AUT", "10")]["employment"]) == 3921800 and got[("AUT", "10")]["level"] == "0"
    assert float(got[("BEL", "C")]["employment"]) == 480200
    assert got[("BEL", "F")]["industry_name"] == "Construction"
    assert {r["period"] for r in rows} == {"2022"}


def _statcan_lfs_table() -> str:
    """Statistics Canada's full table CSV of the LFS's 14-10-0023 ("Labour force
    characteristics by industry, annual"): VALUE in thousands (SCALAR_FACTOR thousands,
    SCALAR_ID 3), each cell also split by characteristic, gender and age group."""
    head = ('"REF_DATE","GEO","DGUID","Labour force characteristics","North American Industry '
            'Classification System (NAICS)","Gender","Age group","UOM","UOM_ID","SCALAR_FACTOR",'
            '"SCALAR_ID","VECTOR","COORDINATE","VALUE","STATUS","SYMBOL","TERMINATED","DECIMALS"')
    figures = {("Nova Scotia", "2021A000212"): {"Total, all industries": 500.3, "Construction [23]": 37.2,
                                                 "Manufacturing [31-33]": 33.9},
               ("New Brunswick", "2021A000213"): {"Total, all industries": 386.6,
                                                   "Construction [23]": 29.5, "Manufacturing [31-33]": 34.8}}
    rows, n = [head], 0
    for (geo, dguid), cells in figures.items():
        for what, f_what in (("Employment", 1.0), ("Unemployment", 0.07)):
            for industry, value in cells.items():
                for gender, f_gender in (("Total - Gender", 1.0), ("Men+", 0.52)):
                    for age, f_age in (("15 years and over", 1.0), ("15 to 24 years", 0.13)):
                        n += 1
                        rows.append(f'"2023","{geo}","{dguid}","{what}","{industry}","{gender}","{age}",'
                                    f'"Persons","249","thousands","3","v{2057000 + n}","1.1.1.1.{n}",'
                                    f'"{value * f_what * f_gender * f_age:.1f}","","","","1"')
    return "\n".join(rows) + "\n"


def test_statcan_lfs_thousands_and_its_other_dimensions(tmp_path, capsys):
    """The LFS table's VALUE is in thousands (SCALAR_ID 3): read as persons, Nova Scotia had
    500 jobs; and its rows by characteristic (Unemployment), gender (Men+) and age group
    (15 to 24 years) were duplicates of the all-categories rows, refused on every line.  Now
    the values are scaled, the Employment, Total - Gender, 15 years and over rows are the
    table's, and the others are dropped and counted.  SEPH's "Type of employee" likewise
    keeps All employees."""
    code, err, rows = _ingest(tmp_path, capsys, "14100023.csv", _statcan_lfs_table())
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("Nova Scotia", "10"): 500300, ("Nova Scotia", "23"): 37200,
                   ("Nova Scotia", "31-33"): 33900, ("New Brunswick", "10"): 386600,
                   ("New Brunswick", "23"): 29500, ("New Brunswick", "31-33"): 34800}
    assert "24 rows of one Gender category" in err and "12 rows of one Age group category" in err
    assert "6 rows of another Labour force characteristics indicator" in err

    salaried = "".join(line + (line.replace('"All employees"', '"Salaried employees paid a fixed salary"')
                               if '"Nova Scotia"' in line else "")
                       for line in _statcan_table().splitlines(keepends=True))
    code, err, rows = _ingest(tmp_path, capsys, "14100202.csv", salaried)
    assert code == 0, err
    assert float({(r["region"], r["industry"]): r for r in rows}[("Nova Scotia", "10")]["employment"]) == 435108
    assert "9 rows of one Type of employee category" in err


def test_statcan_as_displayed_units_row_in_thousands(tmp_path, capsys):
    """A displayed table whose units row says "Persons x 1,000" is in thousands: the row is a
    label row and the values are scaled, said on stderr (dropped as a mere label row, every
    figure would have been a thousand times too small)."""
    text = STATCAN_AS_DISPLAYED_YEARS.replace('"","Persons","",""', '"","Persons x 1,000","",""')
    for units, thousands in (("411,845", "411.8"), ("425,310", "425.3"), ("435,108", "435.1"),
                             ("58,870", "58.9"), ("60,044", "60.0"), ("61,102", "61.1"),
                             ("2,010", "2.0"), ("2,105", "2.1"), ("1,504", "1.5"),
                             ("27,118", "27.1"), ("27,960", "28.0"), ("28,815", "28.8"),
                             ("28,003", "28.0"), ("28,610", "28.6"), ("29,190", "29.2")):
        text = text.replace(f'"{units}"', f'"{thousands}"')
    code, err, rows = _ingest(tmp_path, capsys, "1410002301-eng.csv", text, "--region", "12:Nova Scotia")
    assert code == 0, err
    got = {(r["period"], r["industry"]): r["employment"] for r in rows}
    assert float(got[("2022", "10")]) == 435100
    assert float(got[("2020", "21")]) == 1500 and float(got[("2022", "31-33")]) == 29200
    assert "giving the unit 'Persons x 1,000': values scaled by 1,000" in err


# NOMIS BRES download with the broad industrial groups across (the default industry choice
# of NOMIS's BRES query): a group number, a colon, the name and the sections it covers
_BROAD = ["1 : Agriculture, forestry & fishing (A)", "2 : Mining, quarrying & utilities (B,D and E)",
          "3 : Manufacturing (C)", "5 : Motor trades (Part G)", "10 : Information & communication (J)",
          "18 : Arts, entertainment, recreation & other services (R,S,T and U)"]
NOMIS_BRES_BROAD = (
    '"Business Register and Employment Survey : open access"\n'
    '"ONS Crown Copyright Reserved [from Nomis on 29 November 2026]"\n'
    '"date","2022"\n"measure","Count"\n"employment status","Employment"\n\n'
    + ",".join(f'"{h}"' for h in ["local authority: district / unitary (as of April 2023)", "mnemonic"] + _BROAD)
    + '\n"Hartlepool","E06000001","450","1,850","2,750","2,450","2,450","1,600"\n'
    '"Middlesbrough","E06000002","50","700","3,100","1,200","1,950","2,250"\n\n'
    '"* Employment includes employees plus the number of working owners."\n')


def test_nomis_broad_groups_are_nace_codes_and_group_18_is_no_division(tmp_path, capsys):
    """NOMIS's broad industrial groups: "18 : Arts, ... (R,S,T and U)" was read as division C18
    (printing) and "2 : Mining ... (B,D and E)" refused.  The number before a label ending in
    the sections it covers is the group's number, no code; the sections are the code (R-U,
    B+D+E; Motor trades, ONS's part of G, its division G45; session 30), with or without
    --classification custom."""
    for extra, classification in (((), "NACE"), (("--classification", "custom"), "custom")):
        code, err, rows = _ingest(tmp_path, capsys, "bres_broad.csv", NOMIS_BRES_BROAD, *extra)
        assert code == 0, err
        got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
        assert len(got) == 12
        assert got[("E06000001", "B+D+E")] == 1850 and got[("E06000001", "G45")] == 2450
        assert got[("E06000002", "R-U")] == 2250
        assert got[("E06000002", "C")] == 3100
        assert {r["industry_name"] for r in rows if r["industry"] == "C"} == {"Manufacturing"}
        assert {r["classification"] for r in rows} == {classification}


# Regionalstatistik (regionalstatistik.de) CSV of table 82111-01-05-4, "Erwerbstätige nach
# Wirtschaftsbereichen", Kreise: Latin-1, semicolons, title lines, unheaded year / AGS / name
# columns, the Wirtschaftsbereiche by title without their letters, figures in 1000 with a
# decimal comma, Deutschland (DG) above the Kreise, the footer under the table
RS_82111 = '''\
82111-01-05-4: Erwerbstätige nach Wirtschaftsbereichen - Jahresdurchschnitt -;;;;;;
regionale Tiefe: Kreise und krfr. Städte;;;;;;
Erwerbstätigenrechnung des Bundes und der Länder;;;;;;
Erwerbstätige (1000);;;;;;
;;;Insgesamt;Land- und Forstwirtschaft, Fischerei;Produzierendes Gewerbe;Dienstleistungsbereiche
2021;DG;Deutschland;44980,0;553,0;10768,0;33659,0
2021;03101;Braunschweig, Stadt;174,3;0,4;26,1;147,8
2021;03159;Göttingen, Landkreis;175,2;2,4;32,0;140,8
2022;DG;Deutschland;45596,0;555,0;10796,0;34245,0
2022;03101;Braunschweig, Stadt;176,0;0,4;26,0;149,6
2022;03159;Göttingen, Landkreis;177,0;2,4;32,1;142,5
__________
Erwerbstätigenrechnung: Berechnungsstand August 2022
© Statistische Ämter des Bundes und der Länder, 2024 | Stand: 12.03.2024 / 14:48:09
'''


def _ingest_latin1(tmp_path, capsys, name, text, *extra):
    src = tmp_path / name
    src.write_bytes(text.encode("latin-1"))
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out), *extra], capsys)
    return code, err, (list(csv.DictReader(out.open(encoding="utf-8"))) if code == 0 else [])


def test_regionalstatistik_sections_by_title_without_letters(tmp_path, capsys):
    """"Land- und Forstwirtschaft, Fischerei" was taken for the regions' column ("Land"), so
    the unheaded year, AGS and name columns were never looked at: 'no period column' (exit 1,
    a --period would have read the section's figures as region codes).  A section's title is
    no region heading.  "Dienstleistungsbereiche" names no section: refused on the header's
    line (said as line 1 before), with --classification custom the way to read the table;
    beside coded headings the titled section is read as the section it names."""
    code, err, _rows = _ingest_latin1(tmp_path, capsys, "82111-01-05-4.csv", RS_82111)
    assert code == 1
    assert "82111-01-05-4.csv:5: column 'Dienstleistungsbereiche'" in err and "--classification custom" in err
    code, err, rows = _ingest_latin1(tmp_path, capsys, "82111-01-05-4.csv", RS_82111,
                                     "--classification", "custom")
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got[("2021", "03101", "10")] == 174300
    assert got[("2022", "03159", "Land- und Forstwirtschaft, Fischerei")] == 2400
    assert got[("2022", "03159", "Dienstleistungsbereiche")] == 142500
    assert {r["region"] for r in rows} == {"03101", "03159"}  # Deutschland dropped as the total

    coded = RS_82111.replace(";Produzierendes Gewerbe;Dienstleistungsbereiche",
                             ";Produzierendes Gewerbe (B-F);Dienstleistungsbereiche (G-U)")
    code, err, rows = _ingest_latin1(tmp_path, capsys, "82111-01-05-4.csv", coded)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in rows}
    assert float(got[("2021", "03159", "G-U")]["employment"]) == 140800
    # (the titled section beside coded headings: since session 32 the section A its title
    # names, none of the others being A; an industry named by itself, custom, before)
    a = got[("2021", "03159", "A")]
    assert (a["classification"], a["industry_name"], a["level"]) == (
        "NACE", "Land- und Forstwirtschaft, Fischerei", "1")


# Statistics Canada's French table CSV (14100202-fra.zip: semicolons, French headings with
# accents, "Ensemble des salariés") and of the LFS (14100023-fra.zip: thousands with a decimal
# comma, IDENTIFICATEUR SCALAIRE 3)
STATCAN_FR = '''\
"PÉRIODE DE RÉFÉRENCE";"GÉO";"DGUID";"Type de salarié";"Système de classification des industries de l'Amérique du Nord (SCIAN)";"UNITÉ DE MESURE";"IDENTIFICATEUR D'UNITÉ DE MESURE";"FACTEUR SCALAIRE";"IDENTIFICATEUR SCALAIRE";"VECTEUR";"COORDONNÉES";"VALEUR";"STATUT";"SYMBOLE";"TERMINÉ";"DÉCIMALES"
"2022";"Terre-Neuve-et-Labrador";"2021A000210";"Ensemble des salariés";"Ensemble des industries y compris les entreprises non classifiées [00-91N]";"Personnes";"249";"unités";"0";"v79311300";"2.1.1";"212430";"";"";"";"0"
"2022";"Terre-Neuve-et-Labrador";"2021A000210";"Ensemble des salariés";"Services publics [22]";"Personnes";"249";"unités";"0";"v79311304";"2.1.5";"";"x";"";"";"0"
"2022";"Terre-Neuve-et-Labrador";"2021A000210";"Salariés rémunérés à l'heure";"Services publics [22]";"Personnes";"249";"unités";"0";"v79311354";"2.2.5";"1210";"";"";"";"0"
"2022";"Nouvelle-Écosse";"2021A000212";"Ensemble des salariés";"Ensemble des industries y compris les entreprises non classifiées [00-91N]";"Personnes";"249";"unités";"0";"v79311400";"3.1.1";"435108";"";"";"";"0"
"2022";"Nouvelle-Écosse";"2021A000212";"Ensemble des salariés";"Services publics [22]";"Personnes";"249";"unités";"0";"v79311404";"3.1.5";"2461";"";"";"";"0"
'''
STATCAN_LFS_FR = '''\
"PÉRIODE DE RÉFÉRENCE";"GÉO";"DGUID";"Caractéristiques de la population active";"Système de classification des industries de l'Amérique du Nord (SCIAN)";"Genre";"Groupe d'âge";"UNITÉ DE MESURE";"IDENTIFICATEUR D'UNITÉ DE MESURE";"FACTEUR SCALAIRE";"IDENTIFICATEUR SCALAIRE";"VECTEUR";"COORDONNÉES";"VALEUR";"STATUT";"SYMBOLE";"TERMINÉ";"DÉCIMALES"
"2023";"Nouvelle-Écosse";"2021A000212";"Emploi";"Total, toutes les industries";"Total - Genre";"15 ans et plus";"Personnes";"249";"milliers";"3";"v2057980";"3.2.1.1.1";"500,3";"";"";"";"1"
"2023";"Nouvelle-Écosse";"2021A000212";"Emploi";"Fabrication [31-33]";"Total - Genre";"15 ans et plus";"Personnes";"249";"milliers";"3";"v2057995";"3.2.16.1.1";"33,9";"";"";"";"1"
"2023";"Nouveau-Brunswick";"2021A000213";"Emploi";"Total, toutes les industries";"Total - Genre";"15 ans et plus";"Personnes";"249";"milliers";"3";"v2058200";"4.2.1.1.1";"386,6";"";"";"";"1"
"2023";"Nouveau-Brunswick";"2021A000213";"Emploi";"Fabrication [31-33]";"Total - Genre";"15 ans et plus";"Personnes";"249";"milliers";"3";"v2058215";"4.2.16.1.1";"34,8";"";"";"";"1"
"2023";"Nouveau-Brunswick";"2021A000213";"Chômage";"Fabrication [31-33]";"Total - Genre";"15 ans et plus";"Personnes";"249";"milliers";"3";"v2058315";"4.3.16.1.1";"1,9";"";"";"";"1"
"2023";"Nouveau-Brunswick";"2021A000213";"Emploi";"Fabrication [31-33]";"Hommes+";"15 ans et plus";"Personnes";"249";"milliers";"3";"v2058415";"4.2.16.2.1";"25,1";"";"";"";"1"
"2023";"Nouveau-Brunswick";"2021A000213";"Emploi";"Fabrication [31-33]";"Total - Genre";"15 à 24 ans";"Personnes";"249";"milliers";"3";"v2058515";"4.2.16.1.2";"3,2";"";"";"";"1"
'''


def test_statcan_french_table_csv(tmp_path, capsys):
    """The French download of a StatCan table was refused at once: "GÉO", "PÉRIODE DE
    RÉFÉRENCE" and "VALEUR" named nothing (accents kept the words apart), and with options its
    total, its STATUT flags, its other types of employee and its thousands (IDENTIFICATEUR
    SCALAIRE) were lost as the English ones had been.  French headings are now read like the
    English ones."""
    code, err, rows = _ingest(tmp_path, capsys, "14100202.csv", STATCAN_FR)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert float(got[("Nouvelle-Écosse", "10")]["employment"]) == 435108
    assert (got[("Terre-Neuve-et-Labrador", "22")]["employment_status"],
            got[("Terre-Neuve-et-Labrador", "22")]["employment_flag"]) == ("suppressed", "x")
    assert "1 rows of one Type de salarié category" in err

    code, err, rows = _ingest(tmp_path, capsys, "14100023.csv", STATCAN_LFS_FR)
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("Nouvelle-Écosse", "31-33"): 33900, ("Nouvelle-Écosse", "10"): 500300,
                   ("Nouveau-Brunswick", "31-33"): 34800, ("Nouveau-Brunswick", "10"): 386600}


# INE (Spain), a table of the EPA by comunidad autónoma and rama de actividad downloaded as
# "CSV: separado por ;" from jaxiT3: quarters written 2023T4, Spanish thousands (1.234,5),
# "Total Nacional" above the comunidades, "Total CNAE" the all-activities row, an empty cell
INE_EPA = '''\
Comunidades y Ciudades Autónomas;Rama de actividad CNAE 2009;Periodo;Total
Total Nacional;Total CNAE;2023T4;21.246,9
Total Nacional;C Industria manufacturera;2023T4;2.631,5
01 Andalucía;Total CNAE;2023T4;3.386,2
01 Andalucía;C Industria manufacturera;2023T4;272,4
01 Andalucía;F Construcción;2023T4;251,0
09 Cataluña;Total CNAE;2023T4;3.692,0
09 Cataluña;C Industria manufacturera;2023T4;584,3
09 Cataluña;F Construcción;2023T4;
'''


def test_ine_quarters_written_with_t_and_its_totals(tmp_path, capsys):
    """INE's table: 'Periodo' and the quarters '2023T4' were no period ('not a period' on every
    line once named), 'Rama de actividad' and 'Comunidades' named nothing, 'Total CNAE' was an
    industry of its own summed beside its sections and 'Total Nacional' a region beside the
    comunidades.  Now only the value column needs naming."""
    code, err, rows = _ingest(tmp_path, capsys, "65132.csv", INE_EPA, "--measure-col", "employment=Total")
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert {r["period"] for r in rows} == {"2023Q4"}
    assert {r["region"] for r in rows} == {"01", "09"}
    assert float(got[("09", "10")]["employment"]) == 3692.0
    assert float(got[("01", "C")]["employment"]) == 272.4
    assert got[("09", "F")]["employment_status"] == "suppressed"


def test_cbs_statline_headings_are_recognised(tmp_path, capsys):
    """CBS StatLine's Dutch headings ("Regio's", "Perioden", "Bedrijfstakken/branches (SBI
    2008)", "Banen van werknemers (x 1 000)") named nothing: the table was refused until each
    column was named with an option.  Read as they are now, provisional years ("2022*") too."""
    code, err, rows = _ingest(tmp_path, capsys, "82800NED.csv", CBS_STATLINE.replace('"2022"', '"2022*"'))
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert {r["period"] for r in rows} == {"2022"}
    assert float(got[("Friesland (PV)", "C")]["employment"]) == 32800
    assert {r["region"] for r in rows} == {"Groningen (PV)", "Friesland (PV)"}


# a Land statistical office's table (Statistik-Portal / Landesamt download): semicolons, German
# thousands, the middle dot for "Zahlenwert unbekannt oder geheimzuhalten"
LAENDER_MIDDLE_DOT = '''\
Land;WZ 2008;Jahr;Beschäftigte
Bayern;C;2022;1.234.567
Berlin;C;2022;·
Bremen;C;2022;45.123
'''


def test_middle_dot_is_a_suppression_marker(tmp_path, capsys):
    """The Länder offices print '·' where GENESIS prints '.': it was 'not a number' (exit 1)
    with a hint about decimal marks; it is now suppressed with its flag, never 0."""
    code, err, rows = _ingest(tmp_path, capsys, "laender.csv", LAENDER_MIDDLE_DOT)
    assert code == 0, err
    got = {r["region"]: r for r in rows}
    assert (got["Berlin"]["employment"], got["Berlin"]["employment_status"],
            got["Berlin"]["employment_flag"]) == ("", "suppressed", "·")
    assert float(got["Bayern"]["employment"]) == 1234567


# Statistics Canada, "Download as displayed" of 14-10-0202-01 as the page shows it by
# default: the industries down, the geographies across, each heading with its footnote number
# and a link to its map ("Canada 5 (map)"), a units row, symbols in the cells
STATCAN_AS_DISPLAYED_GEO_ACROSS = '''\
"Employment by industry, annual 1 2 3"
"Frequency: Annual"
"Table: 14-10-0202-01 (formerly CANSIM 281-0024)"
"Release date: 2023-03-30"
"Geography: Canada, Province or territory"
""
"Type of employee","All employees"
"Reference period","2022"
""
"North American Industry Classification System (NAICS) 4","Canada 5 (map)","Newfoundland and Labrador (map)","Nova Scotia (map)"
"","Persons","",""
"Industrial aggregate including unclassified businesses [00-91N] 6","16,843,255","212,430","435,108"
"Mining, quarrying, and oil and gas extraction [21]","209,731","5,931","F"
"Utilities [22]","122,544","x","2,461"
"Construction [23]","1,089,372","15,022","28,815"
""
"Symbol legend:"
"x","suppressed to meet the confidentiality requirements of the Statistics Act"
"F","too unreliable to be published"
""
"How to cite: Statistics Canada. Table 14-10-0202-01  Employment by industry, annual"
'''


def test_statcan_as_displayed_geographies_across(tmp_path, capsys):
    """The geographies across ("Newfoundland and Labrador (map)") were no region headings, so
    the table was refused with 'no measure column recognised' and a --measure-col hint that
    could not help.  A heading with StatCan's map link is a region, named without the link
    and footnote number; Canada is the region total.  The year is the reference period's: the
    release date ("Release date: 2023-03-30") made two years, and --period was asked for."""
    code, err, rows = _ingest(tmp_path, capsys, "1410020201-eng.csv", STATCAN_AS_DISPLAYED_GEO_ACROSS)
    assert code == 0, err
    assert {r["period"] for r in rows} == {"2022"}  # "Reference period","2022", not the release date
    got = {(r["region"], r["industry"]): r for r in rows}
    assert {r["region"] for r in rows} == {"Newfoundland and Labrador", "Nova Scotia"}
    assert float(got[("Nova Scotia", "10")]["employment"]) == 435108
    assert float(got[("Newfoundland and Labrador", "23")]["employment"]) == 15022
    assert got[("Newfoundland and Labrador", "22")]["employment_flag"] == "x"
    assert got[("Nova Scotia", "21")]["employment_status"] == "suppressed"


def test_abs_codes_only_download_is_not_read_as_nace(tmp_path, capsys):
    """The ABS Data Explorer's "CSV with codes" has no names to betray the ANZSIC letters:
    E (construction) and F (wholesale trade) were read as NACE sections, exit 0.  The ABS's
    dataflow says whose codes they are: refused, also with --on-error skip, until
    --classification custom reads them as they are."""
    text = "\n".join(
        ",".join(cell.split(": ")[0] if ": " in cell else cell for cell in line.split(","))
        for line in ABS_LABELS.splitlines()) + "\n"
    assert text.startswith("DATAFLOW,MEASURE,INDUSTRY,STATE,FREQ,TIME_PERIOD,OBS_VALUE")
    for extra in ((), ("--on-error", "skip")):
        code, err, _rows = _ingest(tmp_path, capsys, "LF_IND_codes.csv", text, *extra)
        assert code == 1
        assert "LF_IND_codes.csv:2: column 'DATAFLOW': an ANZSIC table's industry letters read as NACE" in err
    code, err, rows = _ingest(tmp_path, capsys, "LF_IND_codes.csv", text, "--classification", "custom")
    assert code == 0, err
    assert float({(r["region"], r["industry"]): r for r in rows}[("2", "E")]["employment"]) == 345000


# GENESIS-Online flat file (ffcsv) of table 82111-0004, Erwerbstätige by Kreis and
# Wirtschaftsbereich: the unit in value_unit ("Tsd."), decimal commas, "-" and "." cells
GENESIS_FFCSV_TSD = '''\
statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label;value_q
82111;Erwerbstätigenrechnung;JAHR;Jahr;2021;KREISE;Kreise und kreisfreie Städte;03101;Braunschweig, Stadt;WZ08G4;WZ2008 (Wirtschaftsbereiche);WZ08-A;Land- und Forstwirtschaft, Fischerei;0,4;Tsd.;ERW012;Erwerbstätige;e
82111;Erwerbstätigenrechnung;JAHR;Jahr;2021;KREISE;Kreise und kreisfreie Städte;03101;Braunschweig, Stadt;WZ08G4;WZ2008 (Wirtschaftsbereiche);INSGESAMT;Insgesamt;174,3;Tsd.;ERW012;Erwerbstätige;e
82111;Erwerbstätigenrechnung;JAHR;Jahr;2021;KREISE;Kreise und kreisfreie Städte;03159;Göttingen, Landkreis;WZ08G4;WZ2008 (Wirtschaftsbereiche);WZ08-A;Land- und Forstwirtschaft, Fischerei;.;Tsd.;ERW012;Erwerbstätige;
82111;Erwerbstätigenrechnung;JAHR;Jahr;2021;KREISE;Kreise und kreisfreie Städte;03159;Göttingen, Landkreis;WZ08G4;WZ2008 (Wirtschaftsbereiche);INSGESAMT;Insgesamt;175,2;Tsd.;ERW012;Erwerbstätige;e
'''


def test_genesis_flat_file_value_unit_scales(tmp_path, capsys):
    """GENESIS's flat file gives the unit in value_unit: 'Tsd.' was not read, so Braunschweig's
    174.3 thousand Erwerbstätige came out as 174.3 persons.  value_unit is the unit column."""
    code, err, rows = _ingest(tmp_path, capsys, "82111-0004_flat.csv", GENESIS_FFCSV_TSD)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert float(got[("03101", "10")]["employment"]) == 174300
    assert float(got[("03101", "A")]["employment"]) == 400
    assert got[("03159", "A")]["employment_status"] == "suppressed"


def test_statcan_canadian_sectors_alone_are_naics(tmp_path, capsys):
    """A StatCan table of NAICS Canada's own sectors and their subsectors (41 wholesale trade,
    91 public administration, 411 ...) was detected as custom: every code one industry, each
    province's total the sum of parents and children together (Nova Scotia 78,610 for
    53,310).  Codes in StatCan's brackets are NAICS.  (Each level was summed on its own until
    session 29; a level that covers part of a province without an all-industry row -- two
    subsectors of each sector here -- now takes the province's whole, its coarsest level's sum,
    as every LQ's denominator: test_stages_29.)"""
    head = _SC_HEAD.strip()
    members = ["Wholesale trade [41]", "Farm product merchant wholesalers [411]",
               "Food, beverage and tobacco merchant wholesalers [413]", "Public administration [91]",
               "Federal government public administration [911]",
               "Local, municipal and regional public administration [913]"]
    figures = {"Nova Scotia": [15310, 1200, 3100, 38000, 9000, 12000],
               "New Brunswick": [11905, 900, 2500, 30000, 7000, 9000]}
    lines = [head] + [
        f'"2022","{geo}","2021A00021{g}","All employees","{m}","Persons","249","units","0",'
        f'"v8{g}{i}","{g}.1.{i}","{x}","","","","0"'
        for g, (geo, xs) in enumerate(figures.items(), start=2) for i, (m, x) in enumerate(zip(members, xs))]
    src = tmp_path / "14100203.csv"
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "lq.csv"
    code, _o, err = run_main(["lq", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv.DictReader(out.open())}
    assert lq[("Nova Scotia", "41")]["level"] == "2"
    assert float(lq[("Nova Scotia", "41")]["region_total"]) == 15310 + 38000
    assert float(lq[("Nova Scotia", "411")]["region_total"]) == 15310 + 38000


# Statistics Sweden (SCB), PX-Web table downloaded as "Comma delimited with heading": the
# title, a blank line, region and industry with their codes before the names, years across,
# ".." where no figure is published
SCB_PX_WEB = '''\
"Gainfully employed 16+ years by region of work (RAMS), industrial classification SNI 2007 and year"

"region","industrial classification SNI 2007","2021","2022"
"00 Sweden","A-U total",5059372,5156000
"00 Sweden","C manufacturing",532000,538000
"01 Stockholm county","A-U total",1263000,1290000
"01 Stockholm county","C manufacturing",58000,59000
"03 Uppsala county","A-U total",192000,196000
"03 Uppsala county","C manufacturing",17000,..
'''


def test_px_web_industry_heading_and_the_country_row(tmp_path, capsys):
    """SCB's PX-Web table: "industrial classification SNI 2007" named no industry column
    (refused), and "00 Sweden", the country with its code, would have been a region beside
    its counties.  SNI / TOL / næring headings are industry columns, and a national row is
    the region total with its code before the name too."""
    code, err, rows = _ingest(tmp_path, capsys, "000006XF.csv", SCB_PX_WEB)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in rows}
    assert {r["region"] for r in rows} == {"01", "03"}
    assert "region total rows" in err
    assert float(got[("2022", "01", "10")]["employment"]) == 1290000
    assert got[("2022", "03", "C")]["employment_status"] == "suppressed"


# Statistics Finland, PX-Web table (StatFin) as "Comma delimited with heading": TOL 2008 with
# SSS for all industries, the regions (maakunta) with their MK codes, the whole country above
STATFIN_PX_WEB = '''\
"Employed labour force by area of workplace, industry (TOL 2008) and year"

"Area","Industry (TOL 2008)","2021","2022"
"WHOLE COUNTRY","SSS Total",2488000,2531000
"WHOLE COUNTRY","C Manufacturing",335000,340000
"MK01 Uusimaa","SSS Total",926000,945000
"MK01 Uusimaa","C Manufacturing",70000,71000
"MK02 Southwest Finland","SSS Total",221000,224000
"MK02 Southwest Finland","C Manufacturing",41000,42000
'''


def test_statfin_sss_total(tmp_path, capsys):
    """Statistics Finland's "SSS Total" was an industry without a code kept by name, so each
    region's total was the sum of its listed sections; it is the all-industries row."""
    code, err, rows = _ingest(tmp_path, capsys, "statfin_tyokay.csv", STATFIN_PX_WEB)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in rows}
    assert float(got[("2022", "MK01", "10")]["employment"]) == 945000
    assert got[("2022", "MK01", "10")]["level"] == "0"
    assert {r["region"] for r in rows} == {"MK01", "MK02"}


def test_statcan_dguid_levels_keep_cmas_apart_from_provinces(tmp_path, capsys):
    """A StatCan table of provinces and census metropolitan areas (Halifax beside Nova Scotia,
    as the LFS's and SEPH's tables by CMA have them) was one level: lq's sum of regions added
    Halifax's jobs to Nova Scotia's.  The DGUID's schema is the level (A0000 nation, A0002
    province, S0503 cma): each level is its own benchmark."""
    text = _statcan_table()
    text += "".join(line.replace('"Nova Scotia","2021A000212"', '"Halifax, Nova Scotia","2021S0503205"') + "\n"
                    for line in text.splitlines() if '"Nova Scotia"' in line)
    src = tmp_path / "14100202.csv"
    src.write_text(text)
    out = tmp_path / "lq.csv"
    code, _o, err = run_main(["lq", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv.DictReader(out.open())}
    # construction's benchmark: the two provinces only, 15,022 + 28,815 of 212,430 + 435,108
    assert float(lq[("Nova Scotia", "23")]["benchmark_industry_total"]) == 43837
    assert float(lq[("Nova Scotia", "23")]["benchmark_total"]) == 647538
    code, err, rows = _ingest(tmp_path, capsys, "14100202.csv", text, "--region-level", "cma")
    assert code == 0, err
    assert {r["region"] for r in rows} == {"Halifax, Nova Scotia"}
