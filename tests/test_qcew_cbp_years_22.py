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


# ------------------------------------------------------------------ QCEW: 2022 annual single file

ANNUAL_SINGLEFILE = [  # BLS's annual single-file layout (2022.annual.singlefile.csv), 38 fields
    "area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year", "qtr",
    "disclosure_code", "annual_avg_estabs", "annual_avg_emplvl", "total_annual_wages",
    "taxable_annual_wages", "annual_contributions", "annual_avg_wkly_wage", "avg_annual_pay",
    "lq_disclosure_code", "lq_annual_avg_estabs", "lq_annual_avg_emplvl", "lq_total_annual_wages",
    "lq_taxable_annual_wages", "lq_annual_contributions", "lq_annual_avg_wkly_wage",
    "lq_avg_annual_pay", "oty_disclosure_code", "oty_annual_avg_estabs_chg",
    "oty_annual_avg_estabs_pct_chg", "oty_annual_avg_emplvl_chg", "oty_annual_avg_emplvl_pct_chg",
    "oty_total_annual_wages_chg", "oty_total_annual_wages_pct_chg", "oty_taxable_annual_wages_chg",
    "oty_taxable_annual_wages_pct_chg", "oty_annual_contributions_chg",
    "oty_annual_contributions_pct_chg", "oty_annual_avg_wkly_wage_chg",
    "oty_annual_avg_wkly_wage_pct_chg", "oty_avg_annual_pay_chg", "oty_avg_annual_pay_pct_chg"]
# area -> (agglvl family, private employment of the NAICS 2022 six-digit codes below, government
# by own_code); 455110 (department stores) and 455219 exist from NAICS 2022 on (the 2022 retail
# reorganisation, from 452210/452319), 336111 and 541511 in every vintage since 1997
SIX = ("455110", "455219", "336111", "541511")
AREAS_2022 = {
    "US000": (1, (1_400_000, 620_000, 160_000, 680_000), {"1": 2_900_000, "2": 5_100_000, "3": 14_000_000}),
    "26000": (5, (38_000, 17_500, 41_000, 16_000), {"1": 52_000, "2": 170_000, "3": 390_000}),
    "26163": (7, (9_100, 3_900, 22_000, 6_200), {"1": 14_000, "2": 16_000, "3": 60_000}),
    "26161": (7, (2_300, 1_000, None, 2_800), {"1": 900, "2": 30_000, "3": 11_000}),  # 336111 N
    "C1982": (4, (19_000, 8_200, 30_500, 11_900), {"1": 20_000, "2": 40_000, "3": 120_000}),
    "CS220": (3, (21_000, 9_000, 31_000, 12_500), {"1": 21_000, "2": 44_000, "3": 130_000}),
    "USCMS": (1, (1_250_000, 550_000, 140_000, 640_000), {"1": 2_500_000, "2": 4_400_000, "3": 12_000_000}),
}
OTHER_PRIVATE = 3.0  # private employment outside the six-digit codes above, per unit of theirs


def _annual_singlefile(path: Path):
    """A 2022 annual single file: each area's all-ownership total, its ownership totals (1, 2, 3,
    5, 8 government, 9 UI-covered excluding federal), the private domain and supersector rows
    (101, 1013, 102, 1021: not NAICS) and the private six-digit rows, with BLS's own
    lq_annual_avg_emplvl (private over the area's all-ownership total, against the nation's,
    rounded to two decimals) written as BLS writes it.  Returns the hand LQs (unrounded)."""
    import csv

    totals = {}
    for area, (_, six, gov) in AREAS_2022.items():
        private = sum(v or 0 for v in six) * (1 + OTHER_PRIVATE)
        totals[area] = (private, private + sum(gov.values()))
    us_six, (us_private, us_all) = AREAS_2022["US000"][1], totals["US000"]
    hand, rows = {}, []

    def row(area, own, code, agglvl, emp, lq, hidden=False):
        emp = 0 if hidden else round(emp)
        wages = emp * 61_000
        return [area, own, code, str(agglvl), "0", "2022", "A", "N" if hidden else "",
                max(1, emp // 12) if not hidden else 3, emp, wages, 0, 0,
                0 if hidden else wages // max(emp, 1) // 52, 0 if hidden else wages // max(emp, 1),
                "N" if hidden else "", 1.0, 0.0 if hidden else round(lq, 2), 1.0, 1.0, 1.0, 1.0, 1.0,
                "", 0, 0.0, 0, 0.0, 0, 0.0, 0, 0.0, 0, 0.0, 0, 0.0, 0, 0.0]

    for area, (family, six, gov) in AREAS_2022.items():
        private, everyone = totals[area]
        base = family * 10
        rows.append(row(area, "0", "10", base, everyone, 1.0))
        for own, emp in gov.items():
            rows.append(row(area, own, "10", base + 1, emp, (emp / everyone) / (AREAS_2022["US000"][2][own] / us_all)))
        rows.append(row(area, "8", "10", base + 1, sum(gov.values()), 1.0))
        rows.append(row(area, "9", "10", base + 1, everyone - gov["1"], 1.0))
        rows.append(row(area, "5", "10", base + 1, private, (private / everyone) / (us_private / us_all)))
        rows += [row(area, "5", code, base + lvl, private / 4, 1.0)
                 for code, lvl in (("101", 2), ("1013", 3), ("102", 2), ("1021", 3))]
        for code, emp, us_emp in zip(SIX, six, us_six):
            lq = None if emp is None else (emp / everyone) / (us_emp / us_all)
            hand[area, code] = lq
            rows.append(row(area, "5", code, base + 8, emp or 0, lq or 0.0, hidden=emp is None))
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(ANNUAL_SINGLEFILE)
        writer.writerows(rows)
    return hand, rows


def test_qcew_2022_annual_singlefile_reproduces_blss_lqs_against_its_own_us_row(tmp_path, capsys):
    import csv

    path = tmp_path / "2022.annual.singlefile.csv"
    hand, rows = _annual_singlefile(path)
    code, out, err = run_main(["ingest", str(path), "-o", "-", "--ownership", "all"], capsys)
    assert code == 0, err
    got = {(r["region"], r["ownership"], r["industry"]): r for r in csv_rows(out)}
    levels = {r["region"]: r["region_level"] for r in got.values()}
    assert levels == {"US000": "nation", "26000": "state", "26163": "county", "26161": "county",
                      "C1982": "msa", "CS220": "csa", "USCMS": "national-subgroup"}
    assert {o for _, o, _ in got} == {"total", "federal", "state", "local", "private", "government",
                                      "ui-covered-excl-federal"}
    assert {i for _, _, i in got} == {"10", *SIX}  # 101, 1013, 102, 1021 dropped, counted
    assert "28 domain and supersector rows" in err
    hidden = got["26161", "private", "336111"]
    assert (hidden["employment"], hidden["employment_status"], hidden["employment_flag"]) == ("", "suppressed", "N")
    assert hidden["establishments"] == "3.0"  # published for an undisclosed row
    assert got["26163", "private", "455110"]["employment"] == "9100.0"
    # BLS's convention: private over the all-ownership totals, against the U.S. row of the file
    lq_path = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(path), "-o", str(lq_path), "--benchmark", "region:US000",
                             "--denominator", "all-ownership", "--ownership", "private",
                             "--measure", "employment", "--level", "6"], capsys)
    assert code == 0, err
    with open(lq_path, newline="") as fh:
        mine = {(r["region"], r["industry"]): r for r in csv.DictReader(fh)}
    published = {(r[0], r[2]): r[17] for r in rows if r[1] == "5" and r[2] in SIX}
    assert set(mine) == {k for k in hand if k[0] != "US000"}
    for key, want in hand.items():
        if key[0] == "US000":
            continue
        if want is None:
            assert mine[key]["lq"] == "" and mine[key]["lq_reason"] == "suppressed cell"
            continue
        assert abs(float(mine[key]["lq"]) - want) <= 1e-6 * want, key
        assert abs(float(mine[key]["lq"]) - published[key]) <= 0.005 + 1e-9, key  # BLS's 2 decimals
    # Washtenaw's department stores by hand: 2,300 of 66,300 jobs (private 4 x 6,100, government
    # 41,900) against the nation's 1,400,000 of 33,440,000 (private 4 x 2,860,000, government 22 M)
    assert abs(float(mine["26161", "455110"]["lq"]) - (2_300 / 66_300) / (1_400_000 / 33_440_000)) < 1e-6
    assert mine["26161", "455110"]["region_total"] == "66300.0"
    assert mine["26161", "455110"]["benchmark_total"] == "33440000.0"


def test_qcew_2022_annual_singlefile_through_detect_with_the_2022_definitions(tmp_path, capsys):
    # detect --definitions uscmp on 2022 data takes the NAICS 2022 definitions: 455110
    # (department stores, new in 2022) lands in the cluster of its NAICS 2012 sources
    # (452111, 452112) and is no 'code in no cluster'
    import csv
    import json

    path = tmp_path / "2022.annual.singlefile.csv"
    _annual_singlefile(path)
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(path), "-o", str(out), "--definitions", "uscmp"], capsys)
    assert code == 0, err
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["definitions"]["vintage"] == "2022"
    with open(out / "clusters.csv", newline="") as fh:
        clusters = {r["industry"]: r for r in csv.DictReader(fh)}
    assert clusters["455110"]["cluster_name"] == "Local Retailing of Clothing and General Merchandise"
    assert clusters["336111"]["cluster_name"] == "Automotive"
    with open(out / "regional_clusters.csv", newline="") as fh:
        regions = {r["region"] for r in csv.DictReader(fh)}
    assert "26163" in regions and "USCMS" not in regions  # a national subgroup is no place


# ------------------------------------------------------------------ QCEW: --month annual, gaps

QUARTERLY_SINGLEFILE = ("area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,"
                        "qtrly_estabs,month1_emplvl,month2_emplvl,month3_emplvl,total_qtrly_wages,"
                        "taxable_qtrly_wages,qtrly_contrib,avg_wkly_wage")


def _quarter_rows(area, own, code, agglvl, quarters, estabs, months, wages):
    return [f'"{area}","{own}","{code}","{agglvl}","0","2022","{q}","",{estabs},{months[0]},{months[1]},'
            f"{months[2]},{wages},0,0,700" for q in quarters]


def test_annual_average_counts_a_row_absent_from_a_quarter_as_zero(tmp_path, capsys):
    # the quarterly single-file layout cut to its rows with establishments (BLS carries an
    # industry's empty quarters as '-' rows of zeros; a cut, or an industry that closed, has
    # none): 12 jobs in each month of quarters 1-3 are an annual average of 9 (108 / 12), as
    # BLS computes it and as the establishments (3 / 4) were already counted; --month annual
    # wrote 12, the mean over the months present
    path = tmp_path / "2022.q1-q4.singlefile.csv"
    path.write_text("\n".join([
        QUARTERLY_SINGLEFILE,
        *_quarter_rows("26161", "0", "10", "70", "1234", 100, (1000, 1000, 1000), 9_000_000),
        *_quarter_rows("26161", "5", "10", "71", "1234", 90, (900, 900, 900), 8_000_000),
        *_quarter_rows("26161", "5", "336111", "78", "123", 1, (12, 12, 12), 90_000)]) + "\n")
    code, out, err = run_main(["ingest", str(path), "-o", "-", "--month", "annual"], capsys)
    assert code == 0, err
    rows = {(r["ownership"], r["industry"]): r for r in csv_rows(out)}
    cars = rows["private", "336111"]
    assert (cars["period"], cars["employment"], cars["establishments"], cars["wages"]) == ("2022", "9.0", "0.75", "270000.0")
    assert rows["total", "10"]["employment"] == "1000.0"
    # and the LQ against the county's own private total of 900: (9 / 900) / (900 / 900) over itself
    code, out, err = run_main(["lq", str(path), "-o", "-", "--month", "annual", "--measure", "employment",
                               "--denominator", "sum", "--level", "6"], capsys)
    assert code == 0, err
    assert [r["value"] for r in csv_rows(out)] == ["9.0"]


def test_annual_average_refuses_an_area_absent_from_a_whole_quarter(tmp_path, capsys):
    # an area with no row in a quarter the other areas have (a by-area file of three quarters
    # among complete ones; BLS suspended Colorado's substate data late in 2024) is a quarter
    # not published, not a zero: refused, naming the area, before anything is written
    path = tmp_path / "2022.q1-q4.singlefile.csv"
    path.write_text("\n".join([
        QUARTERLY_SINGLEFILE,
        *_quarter_rows("26161", "0", "10", "70", "1234", 100, (1000, 1000, 1000), 9_000_000),
        *_quarter_rows("08001", "0", "10", "70", "123", 100, (1000, 1000, 1000), 9_000_000)]) + "\n")
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(path), "-o", str(out), "--month", "annual"], capsys)
    (line,) = _error_lines(err)
    assert code == 1 and not out.exists()
    assert ("column 'qtr': an annual average needs all four quarters of every area (expected quarters "
            "1, 2, 3, 4 of 2022 for area 08001, found '1, 2, 3')") in line
    # the quarters themselves still read
    code, _, err = run_main(["ingest", str(path), "-o", str(out), "--month", "average"], capsys)
    assert code == 0, err


# ------------------------------------------------------------------ CBP: metro and state, 2018 on

def test_cbp_metro_and_state_files_of_the_2018_on_layout(tmp_path, capsys):
    # the 2018-2022 record layouts without empflag, n<5 for n1_4: the metro file (msa, CBSA
    # 10180 -> C1018 as QCEW writes it) and the state file by legal form (lfo '-' kept, 'C'
    # corporations a part of it); withheld 'D' cells bounded by their size classes alone:
    # metro 4 x <5 and 2 x 5-9 -> 0 + 10 .. 16 + 18 = 10-34; state 20 x <5 -> 0-80
    noise = '"emp_nf","emp","qp1_nf","qp1","ap_nf","ap","est","n<5","n5_9"'
    metro = tmp_path / "cbp22msa.txt"
    metro.write_text(f'"msa","naics",{noise}\n'
                     '"10180","------","G",55000,"G",480000,"G",2000000,4100,2300,800\n'
                     '"10180","31----","D",0,"D",0,"D",0,6,4,2\n')
    state = tmp_path / "cbp22st.txt"
    state.write_text(f'"fipstate","naics","lfo",{noise}\n'
                     '"01","------","-","G",1000,"G",10000,"G",40000,100,100,0\n'
                     '"01","------","C","G",600,"G",6000,"G",24000,40,40,0\n'
                     '"01","44----","-","D",0,"D",0,"D",0,20,20,0\n')
    # (level cbsa since session 32: the metro file's areas are metropolitan and micropolitan)
    want = {"C1018": ("cbsa", 55000.0, 2_000_000, (10.0, 34.0)), "01000": ("state", 1000.0, 40_000, (0.0, 80.0))}
    for path in (metro, state):
        code, out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
        assert code == 0, err
        rows = {r["industry"]: r for r in csv_rows(out)}
        region = rows["10"]["region"]
        level, total, payroll, bounds = want[region]
        assert rows["10"]["region_level"] == level and float(rows["10"]["employment"]) == total
        assert float(rows["10"]["wages"]) == payroll * 1000  # payroll $1,000 -> dollars
        withheld = rows["31-33" if level == "cbsa" else "44-45"]
        assert (withheld["employment"], withheld["employment_status"], withheld["employment_flag"]) == ("", "suppressed", "D")
        assert (float(withheld["employment_lower"]), float(withheld["employment_upper"])) == bounds
        assert rows["10"]["period"] == "2022" and "not read" not in err
    assert "1 legal-form rows" in run_main(["ingest", str(state), "-o", "-"], capsys)[2]
