"""QCEW and CBP files of other years and layouts than the 2016 files in ../shared/data, written
here from the agencies' published record layouts (BLS's QCEW CSV field layouts, Census's CBP
record layouts and API variable names), run through ``ingest``, ``lq`` and ``detect`` as a user
would, their numbers checked against values computed in the test.  Values are illustrative,
not copied from the agencies' files.
"""

from __future__ import annotations

from pathlib import Path

from conftest import csv_rows, run_main

CBP_DUMP_HEADER = "naics,empflag,emp_nf,emp,ap_nf,ap,est,n1_4,n5_9,geoid,year"
BEAVER_ROWS = ["------,,G,1598,G,52846,177,112,35,49001,2016",
               "31----,B,,0,,0,6,2,2,49001,2016"]


def _error_lines(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]


# ------------------------------------------------------------------ CBP: a geography not Census's

def test_cbp_columns_with_an_area_column_of_its_own_are_not_the_national_file(tmp_path, capsys):
    # CBP's county record layout cut to its figures with the county in a column of its own
    # (a 5-digit 'geoid', a 'year' of a stacked panel): no fipstate, fipscty, msa or zip, so it
    # was read as the national file, which has no geography column -- Beaver County's 1,598
    # jobs came out as the U.S. total, region US000 at level nation, exit 0 (and two counties
    # as 'duplicate row ... region=US000', the column left out unsaid)
    path = tmp_path / "cbp16_beaver.csv"
    path.write_text("\n".join([CBP_DUMP_HEADER, *BEAVER_ROWS]) + "\n")
    code, out, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv"), "--period", "2016"], capsys)
    (line,) = _error_lines(err)
    assert code == 1 and not (tmp_path / "o.csv").exists()
    assert "cbp16_beaver.csv:1: column 'geoid': a County Business Patterns table with columns the national file does not have" in line
    assert "found \"'geoid', 'year'\"" in line and "US000" in line
    # lq on the raw file says the same, and writes nothing
    code, _, err = run_main(["lq", str(path), "-o", str(tmp_path / "lq.csv"), "--period", "2016"], capsys)
    assert code == 1 and "column 'geoid'" in err and not (tmp_path / "lq.csv").exists()


def test_cbp_national_files_of_every_layout_still_read(tmp_path, capsys):
    # the national layouts (1998-2007 without lfo, 2008-2017 with lfo and empflag, 2018 on
    # with n<5) and the by-legal-form per-class columns (f1_4, e1_4nf, q1_4, a1_4 ...) are all
    # a record layout's columns: read as US000, as before
    layouts = {
        "cbp05us.txt": ("naics,empflag,emp,qp1,ap,est,n1_4,n5_9,n1000", '"------","",1000,250,40000,90,80,9,1'),
        "cbp12us.txt": ("uscode,naics,lfo,empflag,emp_nf,emp,qp1_nf,qp1,ap_nf,ap,est,f1_4,e1_4nf,e1_4,"
                        "q1_4nf,q1_4,a1_4nf,a1_4,n1_4",
                        '"98","------","-","","G",1000,"G",250,"G",40000,90,"","G",30,"G",20,"G",90,90'),
        "cbp21us.txt": ("naics,lfo,emp_nf,emp,qp1_nf,qp1,ap_nf,ap,est,n<5,n5_9,n1000_4",
                        '"------","-","G",1000,"G",250,"G",40000,90,80,9,1'),
    }
    for name, (header, row) in layouts.items():
        path = tmp_path / name
        path.write_text(header + "\n" + row + "\n")
        code, out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
        assert code == 0, (name, err)
        (r,) = csv_rows(out)
        assert (r["region"], r["region_level"], r["employment"], r["wages"]) == ("US000", "nation", "1000.0", "40000000.0")
        assert "not read" not in err, (name, err)


def test_cbp_county_file_with_a_column_of_its_own_says_it_is_not_read(tmp_path, capsys):
    # the same rows with fipstate and fipscty as Census writes them read as Beaver County; the
    # columns no record layout has were left out without a word, as the generic reader says them
    head = "fipstate,fipscty," + CBP_DUMP_HEADER
    path = tmp_path / "cbp16co.txt"
    path.write_text("\n".join([head, *("49,001," + r for r in BEAVER_ROWS)]) + "\n")
    code, out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 0, err
    rows = {r["industry"]: r for r in csv_rows(out)}
    assert rows["10"]["region"] == "49001" and rows["10"]["employment"] == "1598.0"
    assert rows["31-33"]["employment"] == "" and rows["31-33"]["employment_flag"] == "B"
    assert "ingest: columns not read: 'geoid', 'year'" in err
    # a file as Census writes it: nothing said
    plain = tmp_path / "plain" / "cbp16co.txt"
    plain.parent.mkdir()
    plain.write_text("fipstate,fipscty,naics,empflag,emp_nf,emp,qp1_nf,qp1,ap_nf,ap,est,n1_4,censtate,cencty\n"
                     '49,001,------,,G,1598,G,12210,G,52846,177,112,87,001\n')
    code, _, err = run_main(["ingest", str(plain), "-o", "-"], capsys)
    assert code == 0 and "not read" not in err, err


# ------------------------------------------------------------------ CBP tables: EMPFLAG beside EMP

def test_census_table_with_the_record_layouts_empflag_gives_its_size_ranges(tmp_path, capsys):
    # a CBP table in the Census API's naming for a NAICS 2002 year (GEO_ID, NAICS2002, EMP,
    # ESTAB, PAYANN, YEAR) whose employment flag keeps the record layouts' one-word heading
    # EMPFLAG: the column was 'not read', so B (20-99) and C (100-249) were lost -- the withheld
    # zeros only caught by the unflagged-zero rule, without bounds or flag
    path = tmp_path / "cbp05_counties.csv"
    path.write_text(
        "GEO_ID,NAICS2002,NAICS2002_TTL,EMP,EMPFLAG,ESTAB,PAYANN,YEAR\n"
        "0500000US49001,00,Total for all sectors,1750,,188,70000,2005\n"
        '0500000US49001,11,"Forestry, fishing, hunting, and agriculture support",0,B,10,0,2005\n'
        "0500000US49001,31-33,Manufacturing,300,,12,9000,2005\n"
        "0500000US49003,00,Total for all sectors,17000,,1100,800000,2005\n"
        "0500000US49003,31-33,Manufacturing,0,C,30,0,2005\n")
    code, out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 0, err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    farm, manu = rows["49001", "11"], rows["49003", "31-33"]
    assert (farm["employment"], farm["employment_status"], farm["employment_flag"]) == ("", "suppressed", "B")
    assert (float(farm["employment_lower"]), float(farm["employment_upper"])) == (20.0, 99.0)
    assert (manu["employment_flag"], float(manu["employment_lower"]), float(manu["employment_upper"])) == ("C", 100.0, 249.0)
    assert rows["49001", "31-33"]["employment"] == "300.0" and rows["49001", "31-33"]["employment_status"] == "reported"
    assert "'EMPFLAG'" not in err


def test_census_api_answer_without_name_names_no_county_by_its_state_code(tmp_path, capsys):
    # get=GEO_ID,NAICS2017,EMP,ESTAB,PAYANN,YEAR&for=county:*&in=state:49 (no NAME), turned
    # from JSON into CSV: the regions are GEO_ID's counties, and 'state' (the FIPS code of
    # their state) was taken for their name -- Beaver and Box Elder County both named '49' in
    # ingest's, lq's and detect's outputs
    path = tmp_path / "cbp21_api.csv"
    path.write_text("GEO_ID,NAICS2017,EMP,ESTAB,PAYANN,YEAR,state,county\n"
                    "0500000US49001,00,1750,188,70000,2021,49,001\n"
                    "0500000US49001,11,35,10,1200,2021,49,001\n"
                    "0500000US49003,00,17000,1100,800000,2021,49,003\n"
                    "0500000US49003,11,120,40,4000,2021,49,003\n")
    code, out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert {r["region"] for r in rows} == {"49001", "49003"} and {r["region_level"] for r in rows} == {"county"}
    assert {r["region_name"] for r in rows} == {""}
    assert "columns not read: 'state', 'county'" in err
    # with NAME asked for, the names are NAME's
    named = tmp_path / "named" / "cbp21_api.csv"
    named.parent.mkdir()
    named.write_text(path.read_text().replace("GEO_ID,", "NAME,GEO_ID,", 1).replace(
        "\n0500000US49001,", '\n"Beaver County, Utah",0500000US49001,').replace(
        "\n0500000US49003,", '\n"Box Elder County, Utah",0500000US49003,'))
    code, out, err = run_main(["ingest", str(named), "-o", "-"], capsys)
    assert code == 0, err
    assert {(r["region"], r["region_name"]) for r in csv_rows(out)} == {
        ("49001", "Beaver County, Utah"), ("49003", "Box Elder County, Utah")}
