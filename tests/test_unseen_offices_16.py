"""National statistical offices' tables as their download buttons give them (crash hunt,
session 16): each test writes the file in the office's layout and reads it with ingest, stats
or lq, checking the figures by hand."""

from __future__ import annotations

import csv

from conftest import run_main


def _ingest(tmp_path, capsys, name, text, *extra):
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out), *extra], capsys)
    rows = list(csv.DictReader(out.open(encoding="utf-8"))) if code == 0 else []
    return code, err, rows


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
    assert got[("Hartlepool", "A01")] == 75 and got[("Middlesbrough", "N78")] == 1250
    assert got[("Hartlepool", "C10")] == 1250 and got[("Redcar and Cleveland", "H49")] == 350
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
