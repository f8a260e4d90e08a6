"""Files as users keep them, in layouts and places the other tests do not cover (session 20):
each test says which field layout its input is written in."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import QCEW_HIGH_LEVEL_HEADINGS, csv_rows, run_main, run_ok

DATA = Path(__file__).parent / "data"
BEAVER = DATA / "qcew" / "2016.annual.49001.beaver_county.csv"


def _county(src: Path, dest: Path, fips: str, factor: int) -> None:
    """BLS's open-data annual area slice of Beaver County (tests/data/qcew) as county ``fips``,
    its counts multiplied by ``factor`` (a second county that adds up like the first)."""
    lines = src.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[0] = f'"{fips}"'
        cells[8:] = [str(int(c) * factor) for c in cells[8:]]
        out.append(",".join(cells))
    dest.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_file_and_folder_names_holding_brackets_are_names_not_patterns(tmp_path, capsys):
    """QCEW's open-data annual area slice (``/cew/data/api/2016/a/area/49001.csv``) saved as
    Internet Explorer's cache names a second download, ``49001[1].csv``, in a folder named
    ``qcew [2016]``.  Every command refused it: 'cannot read: no paths specified for this
    reader' (polars read the name as a glob), and the quoted pattern 'qcew [2016]/*.csv'
    matched nothing ('[2016]' read as one character of 2, 0, 1, 6)."""
    folder = tmp_path / "qcew [2016]"
    folder.mkdir()
    shutil.copy(BEAVER, folder / "49001[1].csv")
    _county(BEAVER, folder / "49003[1].csv", "49003", 2)
    out = tmp_path / "out [v2]"
    out.mkdir()
    rows = csv_rows(run_ok(["ingest", str(folder / "49001[1].csv"), "-o", "-"], capsys)[0])
    total = {(r["ownership"], r["industry"]): r["employment"] for r in rows}
    assert total[("total", "10")] == "2719.0" and total[("private", "31-33")] == "122.0"
    # the quoted pattern over the folder: both counties; written and read back as Parquet
    run_ok(["ingest", str(folder / "*.csv"), "-o", str(out / "both [1].parquet")], capsys)
    summary, _ = run_ok(["stats", str(out / "both [1].parquet"), "--by", "summary"], capsys)
    employment = next(r for r in csv_rows(summary) if r["measure"] == "employment")
    assert employment["regions"] == "2"
    run_ok(["lq", str(out / "both [1].parquet"), "-o", str(out / "lq [1].csv")], capsys)
    lq = {(r["region"], r["ownership"], r["industry"]): r
          for r in csv_rows((out / "lq [1].csv").read_text(encoding="utf-8"))
          if r["measure"] == "employment"}
    # private manufacturing: 122 of 1,964 private jobs in Beaver, twice both in 49003: LQ 1
    assert float(lq[("49001", "private", "31-33")]["lq"]) == 1.0
    assert float(lq[("49003", "private", "31-33")]["benchmark_industry_total"]) == 366.0


def test_pipeline_in_a_folder_whose_name_holds_brackets(tmp_path, capsys):
    """A pipeline file in a project folder named ``clusters [Utah]``, its input the quoted
    pattern ``raw/*.csv`` over QCEW annual area slices.  The pattern was joined to the folder
    and read whole as a glob: 'the pattern matches no file', exit 2; and a pattern that would
    read a stage's own output was no longer caught there."""
    project = tmp_path / "clusters [Utah]"
    (project / "raw").mkdir(parents=True)
    for fips, factor in (("49001", 1), ("49003", 2), ("49005", 3)):
        _county(BEAVER, project / "raw" / f"{fips}.csv", fips, factor)
    toml = project / "pipeline.toml"
    toml.write_text('[pipeline]\noutdir = "out"\n\n[[stage]]\nname = "ingest"\n'
                    'inputs = ["raw/*.csv"]\noutput = "canonical.csv"\n', encoding="utf-8")
    run_ok(["run", str(toml)], capsys)
    rows = csv_rows((project / "out" / "canonical.csv").read_text(encoding="utf-8"))
    assert sorted({r["region"] for r in rows}) == ["49001", "49003", "49005"]
    _, err = run_ok(["run", str(toml)], capsys)
    assert "nothing to do" in err
    toml.write_text('[pipeline]\noutdir = "raw"\n\n[[stage]]\nname = "ingest"\n'
                    'inputs = ["raw/*.csv"]\noutput = "canonical.csv"\n', encoding="utf-8")
    code, _, err = run_main(["run", str(toml), "--dry-run"], capsys)
    assert code == 2 and "also matches the output of stage 'ingest'" in err


# Stats NZ's business demography CSV ("Geographic units by industry and statistical area",
# descending order): ANZSIC 2006 codes as Stats NZ writes them (division letter, subdivision
# A01, group A011), statistical areas, geographic units and employee counts
NZ_GEO_UNITS = """\
anzsic06,Area,year,geo_count,ec_count
A,A100100,2023,87,90
A01,A100100,2023,81,80
A011,A100100,2023,9,12
C,A100100,2023,12,80
C11,A100100,2023,4,55
E,A100100,2023,20,60
A,A100200,2023,198,110
C,A100200,2023,8,45
E,A100200,2023,15,40
"""


def test_stats_nz_anzsic_codes_are_not_read_as_nace(tmp_path, capsys):
    """Its headings were none clusterid knew ('no industry column recognised'); named with
    --industry-col, the ANZSIC codes were read as NACE's without a word -- C11, ANZSIC's food
    product manufacturing, as NACE's beverages, E (construction) as water supply -- until a
    code NACE lacks.  The heading now says the codes are ANZSIC's: under
    --classification auto they are refused on the first coded line, with the option that reads
    them as they are; ec_count and geo_count are the employment and establishments."""
    src = tmp_path / "geographic-units-by-industry-and-statistical-area-2000-2023.csv"
    src.write_text(NZ_GEO_UNITS, encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "nz.csv")], capsys)
    assert code == 1
    line = err.strip().splitlines()[-1]
    assert f"{src.name}:2: column 'anzsic06': an ANZSIC table's industry codes read as NACE's" in line
    assert "--classification custom" in line
    rows = csv_rows(run_ok(["ingest", str(src), "-o", "-", "--classification", "custom"], capsys)[0])
    got = {(r["region"], r["industry"]): r for r in rows}
    assert len(rows) == 9 and {r["classification"] for r in rows} == {"custom"}
    assert float(got[("A100100", "C11")]["employment"]) == 55
    assert float(got[("A100200", "A")]["establishments"]) == 198
    # an ABS table under a title naming ANZSIC, its industries by title: the NACE sections
    # they name, as before (the same industries in either classification)
    abs_table = tmp_path / "abs_lfs_detailed.csv"
    abs_table.write_text("Employed persons by state and industry (ANZSIC division), September "
                         "quarter 2024\n\nState,Industry,Employed persons\n"
                         "New South Wales,Manufacturing,270500\nVictoria,Construction,350900\n",
                         encoding="utf-8")
    rows = csv_rows(run_ok(["ingest", str(abs_table), "-o", "-"], capsys)[0])
    assert [(r["industry"], r["industry_name"]) for r in rows] == [
        ("C", "Manufacturing"), ("F", "Construction")]


# MOSPI's Annual Survey of Industries (India), a state x NIC 2008 extract as its portal
# exports it (year relabelled from the fiscal 2019-20, which clusterid refuses to guess)
ASI_HEAD = "Year,State,{nic},Description,Number of Factories,Persons Engaged\n"


def test_india_asi_names_beside_the_named_column_and_nic_classes_refused(tmp_path, capsys):
    """NIC 2008 is ISIC Rev. 4 with national subclasses: its divisions are NACE's, its groups
    and classes ISIC's.  With --industry-col naming the code column, the 'Description' beside
    it was a column not read (no industry names in any output), and the 4-digit classes were
    read as NACE classes without a word -- ISIC's 1010 (all meat processing) as a NACE class
    C10.10 that does not exist.  The bare name heading right of the named column is now its
    names, and NIC named in the heading is refused below its divisions, as ISIC is."""
    two = tmp_path / "asi_2019_nic2.csv"
    two.write_text(ASI_HEAD.format(nic="NIC 2008 (2-digit)")
                   + "2019,Gujarat,10,Manufacture of food products,3105,190234\n"
                     "2019,Gujarat,13,Manufacture of textiles,2011,210345\n"
                     "2019,Tamil Nadu,10,Manufacture of food products,5100,260110\n",
                   encoding="utf-8")
    out, err = run_ok(["ingest", str(two), "-o", "-", "--industry-col", "NIC 2008 (2-digit)"], capsys)
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert rows[("Gujarat", "C13")]["industry_name"] == "Manufacture of textiles"
    assert float(rows[("Tamil Nadu", "C10")]["employment"]) == 260110
    assert "'Description'" not in err
    four = tmp_path / "asi_2019_nic4.csv"
    four.write_text(ASI_HEAD.format(nic="NIC 2008 (4-digit)")
                    + "2019,Gujarat,1061,Manufacture of grain mill products,120,19023\n"
                      "2019,Gujarat,1010,Processing and preserving of meat,15,2103\n",
                    encoding="utf-8")
    code, _, err = run_main(["ingest", str(four), "-o", "-", "--industry-col", "NIC 2008 (4-digit)"],
                            capsys)
    assert code == 1
    assert (f"{four.name}:2: column 'NIC 2008 (4-digit)': ISIC groups or classes read as NACE's"
            in err and "--classification custom" in err)


def test_eurostat_tsv_saved_with_a_tab_after_the_last_period(tmp_path, capsys):
    """Eurostat's bulk TSV (namq_10_a10_e, tests/data/eurostat) saved again by a spreadsheet
    as "Text (Tab delimited)", which writes a tab after the last period on every line (a
    column it kept, empty), CRLF line ends and blank lines at the end.  It was refused:
    "column '': unrecognised period heading (... found '')".  The empty column is now no
    period, and the table reads as the original; a value under the empty heading is refused
    on its line."""
    src = DATA / "eurostat" / "namq_10_a10_e_bulk_excerpt.tsv"
    lines = src.read_text(encoding="utf-8").splitlines()
    saved = tmp_path / "namq_10_a10_e.txt"
    saved.write_bytes(("".join(f"{line}\t\r\n" for line in lines) + "\r\n\r\n").encode("utf-8"))
    original = csv_rows(run_ok(["ingest", str(src), "-o", "-"], capsys)[0])
    again = csv_rows(run_ok(["ingest", str(saved), "-o", "-"], capsys)[0])
    assert again == original and len(original) == 150
    lines[2] += "\t5.0"
    bad = tmp_path / "namq_10_a10_e_bad.txt"
    bad.write_text("".join(f"{line}\t\n" for line in lines[:2]) + lines[2] + "\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(bad), "-o", "-"], capsys)
    assert code == 1
    assert f"{bad.name}:3: a value under a blank heading" in err and "found '5.0'" in err


# The Central Statistics Office's PxStat CSV (Ireland): business demography by NACE sector and
# county (BRA08), two statistics under one VALUE column
CSO_HEAD = ('"STATISTIC","Statistic Label","TLIST(A1)","Year","C02166V02602","NACE Rev 2 Sector",'
            '"C03004V03625","County","UNIT","VALUE"\n')


def _cso(statistic, label, rows):
    return "".join(f'"{statistic}","{label}","2020","2020","{code}","{name}","{cc}","{county}",'
                   f'"Number",{value}\n' for code, name, cc, county, value in rows)


def test_rows_told_apart_only_by_a_column_not_read_say_which(tmp_path, capsys):
    """Its 'Active Enterprises' and 'Persons Engaged' rows share period, county and sector and
    differ only in STATISTIC / Statistic Label, which clusterid does not read: each of the 12
    rows was said as a 'duplicate row', none saying why.  Now one line names the column and its
    values; the rows of one statistic, with --measure, are read."""
    cells = [("C", "Manufacturing (C)", "01", "Carlow"), ("F", "Construction (F)", "01", "Carlow"),
             ("C", "Manufacturing (C)", "02", "Dublin")]
    firms = _cso("BRA08C01", "Active Enterprises", [(*c, v) for c, v in zip(cells, (210, 801, 3120))])
    persons = _cso("BRA08C02", "Persons Engaged", [(*c, v) for c, v in zip(cells, (3010, 2104, 41020))])
    src = tmp_path / "BRA08.csv"
    src.write_text(CSO_HEAD + firms + persons, encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "duplicate row" not in err
    assert (f"{src.name}:5: column 'Statistic Label': rows that share a key differ only in a "
            "column not read") in lines[0]
    assert "found \"'Active Enterprises', 'Persons Engaged'\"" in lines[0] and "--measure" in lines[0]
    one = tmp_path / "BRA08_persons.csv"
    one.write_text(CSO_HEAD + persons, encoding="utf-8")
    rows = csv_rows(run_ok(["ingest", str(one), "-o", "-", "--measure", "employment"], capsys)[0])
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("Carlow", "C"): 3010, ("Carlow", "F"): 2104, ("Dublin", "C"): 41020}


# QCEW as a state's labour market office publishes it (the Texas Workforce Commission's
# "Quarterly Employment and Wages" download): a year and its quarter in two columns, amounts in
# the spreadsheet's currency format
TWC = """\
Year,Period,Area Type,Area,Ownership,Level,Industry Code,Industry,Establishments,Average Employment,Total Wages,Average Weekly Wage
2023,1st Qtr,County,Travis County,Private,1,10,Total All Industries,52010,812345,"$18,234,567,890","$1,727"
2023,1st Qtr,County,Travis County,Private,2,31-33,Manufacturing,1010,60120,"$1,820,200,300","$2,329"
2023,1st Qtr,County,Williamson County,Private,1,10,Total All Industries,15010,220340,"$3,534,567,890","$1,234"
2023,1st Qtr,County,Williamson County,Private,2,31-33,Manufacturing,410,18120,"$520,200,300","$2,208"
2023,2nd Qtr,County,Travis County,Private,1,10,Total All Industries,52210,815345,"$18,034,567,890","$1,701"
2023,2nd Qtr,County,Travis County,Private,2,31-33,Manufacturing,1012,60320,"$1,825,200,300","$2,327"
2023,2nd Qtr,County,Williamson County,Private,1,10,Total All Industries,15110,221340,"$3,634,567,890","$1,263"
2023,2nd Qtr,County,Williamson County,Private,2,31-33,Manufacturing,412,18220,(D),(D)
"""


def test_state_qcew_download_with_year_and_quarter_columns_and_dollar_amounts(tmp_path, capsys):
    """It was refused ("columns 'Year' and 'Period' could each be the period ... pick one with
    --period-col"), an option that cannot read it: either column alone loses the year or the
    quarter.  Then every wage was 'not a number' ('$18,234,567,890').  A column of quarters
    written without their year (1st Qtr, Q1, Quarter 1) beside a column of years is now the
    quarter of that year, and a currency sign before or after an amount is dropped."""
    src = tmp_path / "qcew_travis_williamson_2023.csv"
    src.write_text(TWC, encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}
    assert len(rows) == 8
    assert float(rows[("2023Q1", "Travis County", "10")]["wages"]) == 18234567890
    assert float(rows[("2023Q2", "Williamson County", "31-33")]["employment"]) == 18220
    assert rows[("2023Q2", "Williamson County", "31-33")]["wages_status"] == "suppressed"
    assert "'Average Weekly Wage'" in err  # an average, not read
    # Travis manufacturing, Q1: (60,120 / 812,345) / (78,240 / 1,032,685) = 0.976827
    lq = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(run_ok(
        ["lq", str(src), "-o", "-"], capsys)[0]) if r["measure"] == "employment"}
    assert abs(float(lq[("2023Q1", "Travis County", "31-33")]["lq"]) - 0.976827) < 1e-5


# QCEW as California's Employment Development Department publishes it (Labor Market Info's
# "Quarterly Census of Employment and Wages" CSV): annual and quarterly rows, NAICS Level
EDD = """\
Area Type,Area Name,Year,Time Period,Ownership,NAICS Level,NAICS Code,Industry Name,Establishments,Average Monthly Employment,1st Month Emp,2nd Month Emp,3rd Month Emp,Total Wages (All Workers),Average Weekly Wages
County,Alameda County,2022,Annual,Private,2,10,Total All Industries,62010,652345,0,0,0,58234567890,1717
County,Alameda County,2022,Annual,Private,3,31-33,Manufacturing,2010,80120,0,0,0,10820200300,2597
County,Alameda County,2022,1st Qtr,Private,2,10,Total All Industries,61500,645000,643000,645000,647000,14000000000,1669
County,Contra Costa County,2022,Annual,Private,2,10,Total All Industries,32010,332345,0,0,0,25234567890,1460
County,Contra Costa County,2022,Annual,Private,3,31-33,Manufacturing,810,18120,0,0,0,2520200300,2674
County,Contra Costa County,2022,1st Qtr,Private,2,10,Total All Industries,31800,330000,329000,330000,331000,6200000000,1445
"""


def test_edd_naics_level_and_wages_of_all_workers(tmp_path, capsys):
    """'NAICS Level' (2, 3: the depth of the code beside it) was taken for a second industry
    column and the file refused ('columns NAICS Level and NAICS Code could each be the
    industry'); 'Total Wages (All Workers)' was an employment heading (its 'Workers'), so the
    wages were left unread -- and in a table without another employment column would have been
    read as jobs, as 'Payroll of employees ($1,000)' and 'Compensation of employees' were.  A
    level heading is no industry column, and a heading naming two measures is the one outside
    its parentheses and before 'of'."""
    from clusterid.io.readers.generic_headings import role_of

    assert [role_of(h) for h in ("Total Wages (All Workers)", "Payroll of employees ($1,000)",
                                 "Compensation of employees", "Wage and salary employment",
                                 "Employment (wage and salary)", "NAICS Level")] == [
        "wages", "wages", "wages", "employment", "employment", None]
    src = tmp_path / "qcew_alameda_contra_costa_2022.csv"
    src.write_text(EDD, encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}
    assert sorted({p for p, _, _ in rows}) == ["2022", "2022Q1"]
    alameda = rows[("2022", "Alameda County", "31-33")]
    assert float(alameda["employment"]) == 80120 and float(alameda["wages"]) == 10820200300
    assert float(rows[("2022Q1", "Contra Costa County", "10")]["establishments"]) == 31800
    assert "'NAICS Level'" in err and "'Total Wages (All Workers)'" not in err


def test_detect_growth_runs_between_periods_of_one_frequency(tmp_path, capsys):
    """The EDD's download holds each year's annual averages beside its quarters (Time Period
    'Annual', '1st Qtr' ...).  detect's employment_growth and lq_change ran from the first
    period sorted, the annual average 2022, to 2022Q4: no growth at all (a year's average
    against one quarter).  They now run from 2022Q1, the first period of the last one's
    frequency."""
    from clusterid.core.strength import growth_periods

    assert growth_periods(["2022Q4", "2022", "2022Q1", "2021"]) == ("2022Q1", "2022Q4")
    assert growth_periods(["2021", "2022Q1", "2022Q4", "2022"]) == ("2022Q1", "2022Q4")
    assert growth_periods(["2022", "2022Q1"]) is None
    assert growth_periods(["2021", "2022"]) == ("2021", "2022")
    industries = [("23", "Construction"), ("31-33", "Manufacturing"), ("42", "Wholesale Trade"),
                  ("54", "Professional and Technical Services"), ("62", "Health Care")]
    head = EDD.splitlines()[0].split(",")
    keep = [head.index(h) for h in ("Area Type", "Area Name", "Year", "Time Period", "Ownership",
                                    "NAICS Code", "Industry Name", "Establishments",
                                    "Average Monthly Employment")]
    lines = [",".join(head[i] for i in keep)]
    for k, county in enumerate(["Alameda County", "Contra Costa County", "Marin County", "Napa County"]):
        for period, step in (("Annual", 0), ("1st Qtr", 0), ("2nd Qtr", 1), ("3rd Qtr", 2), ("4th Qtr", 3)):
            # each industry 100 more per quarter; the annual average is 10,000 below Q1
            base = -10000 if period == "Annual" else 100 * step
            for j, (code, name) in enumerate(industries):
                value = 20000 + 5000 * ((j + k) % 5) + base
                lines.append(f"County,{county},2022,{period},Private,{code},{name},{value // 10},{value}")
    src = tmp_path / "qcew_bay_area_2022.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_ok(["detect", str(src), "-o", str(tmp_path / "d")], capsys)
    rows = csv_rows((tmp_path / "d" / "regional_clusters.csv").read_text(encoding="utf-8"))
    last = [r for r in rows if r["period"] == "2022Q4"]
    assert last and all(r["employment_growth"] for r in last)
    for r in last:  # from Q1: n industries of the cluster each 300 more, out of their Q1 sum
        q1 = next(x for x in rows if x["period"] == "2022Q1" and x["region"] == r["region"]
                  and x["cluster_id"] == r["cluster_id"])
        n = int(r["n_industries"])
        assert abs(float(r["employment_growth"]) - 300 * n / float(q1["employment"])) < 1e-6


# An ONS table as the Government Statistical Service's standards have it since 2021: GSS area
# codes beside their names, England and its region beside their authorities, the GSS shorthand
# ([c] confidential, [x] not available, [low], "[p]" after a provisional figure)
ONS_TABLE = """\
Area code,Area name,Industry,Employment
E92000001,England,C,2400000
E92000001,England,F,1500000
E12000001,North East,C,110000
E12000001,North East,F,70000
E06000001,Hartlepool,C,4500
E06000001,Hartlepool,F,2100
E06000002,Middlesbrough,C,6000
E06000002,Middlesbrough,F,"3,500 [p]"
E06000003,Redcar and Cleveland,C,5200
E06000003,Redcar and Cleveland,F,2900
E06000004,Stockton-on-Tees,C,[c]
E06000004,Stockton-on-Tees,F,[x]
E06000005,Darlington,C,[low]
"""


def test_ons_table_gss_levels_and_shorthand(tmp_path, capsys):
    """Every GSS shorthand cell was 'not a number', and with them removed the codes had no
    level: lq's sum of regions added England, the North East and its authorities together
    (Hartlepool's manufacturing LQ against 2.54 million jobs of 4.1 million).  The markers are
    now withheld cells (their flag kept), "3,500 [p]" is 3,500 flagged [p], and GSS codes give
    their level (E92 country, E12 region, E06 lad), as NOMIS's GEOGRAPHY_CODE did."""
    src = tmp_path / "bres_table_2022.csv"
    src.write_text(ONS_TABLE, encoding="utf-8")
    table = tmp_path / "bres.csv"
    run_ok(["ingest", str(src), "-o", str(table), "--period", "2022"], capsys)
    rows = {(r["region"], r["industry"]): r for r in csv_rows(table.read_text(encoding="utf-8"))}
    assert {r["region_level"] for r in rows.values()} == {"country", "region", "lad"}
    assert rows[("E06000001", "C")]["region_level"] == "lad"
    assert (float(rows[("E06000002", "F")]["employment"]), rows[("E06000002", "F")]["employment_flag"]) \
        == (3500.0, "[p]")
    for key, flag in ((("E06000004", "C"), "[c]"), (("E06000004", "F"), "[x]"), (("E06000005", "C"), "[low]")):
        assert rows[key]["employment"] == "" and rows[key]["employment_status"] == "suppressed"
        assert rows[key]["employment_flag"] == flag
    lq = {(r["region"], r["industry"]): r for r in csv_rows(run_ok(["lq", str(table), "-o", "-"], capsys)[0])}
    # Hartlepool C among the three published authorities: (4,500 / 6,600) / (15,700 / 24,200)
    assert float(lq[("E06000001", "C")]["benchmark_total"]) == 24200
    assert abs(float(lq[("E06000001", "C")]["lq"]) - (4500 / 6600) / (15700 / 24200)) < 1e-6


def test_fips_and_geoid_columns_of_states_and_counties_get_levels(tmp_path, capsys):
    """A Census/ACS-style extract (GEOID 1 Alabama beside 1001, 1003 -- the leading zeros lost
    in a spreadsheet -- and NAME) was refused ('no region column recognised'); a 'FIPS' column
    of 49 Utah beside 49001 and 49003 was read without levels, so lq's sum of regions added
    Utah to its own counties.  GEOID is now a region code heading, and a FIPS / GEOID column's
    two-digit codes are states, its five-digit ones counties (zeros restored)."""
    geoid = tmp_path / "cbp_alabama_2021.csv"
    geoid.write_text('GEOID,NAME,NAICS2017,YEAR,EMP\n1,Alabama,23,2021,90000\n'
                     '1001,"Autauga County, Alabama",23,2021,900\n'
                     '1003,"Baldwin County, Alabama",23,2021,5000\n', encoding="utf-8")
    rows = csv_rows(run_ok(["ingest", str(geoid), "-o", "-"], capsys)[0])
    assert [(r["region"], r["region_level"]) for r in rows] == [
        ("01", "state"), ("01001", "county"), ("01003", "county")]
    fips = tmp_path / "utah_2022.csv"
    fips.write_text("FIPS,Area,NAICS,Year,Employment\n49,Utah,23,2022,110000\n49,Utah,31-33,2022,140000\n"
                    "49001,Beaver County,23,2022,300\n49001,Beaver County,31-33,2022,150\n"
                    "49003,Box Elder County,23,2022,2100\n49003,Box Elder County,31-33,2022,9000\n",
                    encoding="utf-8")
    lq = {(r["region"], r["industry"]): r for r in csv_rows(run_ok(["lq", str(fips), "-o", "-"], capsys)[0])}
    # Beaver's construction against its two counties: (300 / 450) / (2,400 / 11,550)
    assert float(lq[("49001", "23")]["benchmark_total"]) == 11550
    assert abs(float(lq[("49001", "23")]["lq"]) - (300 / 450) / (2400 / 11550)) < 1e-6


# Lightcast's "Industry Table" export (the industry tables regional economic developers work
# from; JobsEQ's are alike): a region in a title line, unquoted, with its code after it; years
# with their measure in the headings; derived columns after them
LIGHTCAST = """\
Industry Table
Region: Salt Lake County, UT (49035)
Datarun 2024.1 -- QCEW Employees, Non-QCEW Employees, and Self-Employed

NAICS,Description,2022 Jobs,2023 Jobs,2022 - 2023 Change,2022 - 2023 % Change,2023 Location Quotient,Avg. Earnings Per Job
311,Food Manufacturing,"9,120","9,405",285,3%,0.92,"$62,100"
336,Transportation Equipment Manufacturing,"6,010","6,220",210,3%,0.88,"$98,400"
541,"Professional, Scientific, and Technical Services","61,300","63,900","2,600",4%,1.21,"$112,300"
"""


def test_lightcast_industry_table_years_named_with_their_measure(tmp_path, capsys):
    """It was refused ('no period column recognised ... the title's year 2024 is not written
    alone'), as was any table headed 'Employment 2022, Employment 2023': a year beside a
    measure's words in a heading was no period.  Such headings, of one measure, are
    now the years across of that measure; the change, share, LQ and earnings columns after them
    are named as not read; the title's region, whose comma split the unquoted line, is the
    county 49035 'Salt Lake County, UT'."""
    src = tmp_path / "Industry_Table.csv"
    src.write_text(LIGHTCAST, encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = {(r["period"], r["industry"]): r for r in csv_rows(out)}
    assert len(rows) == 6
    assert {(r["region"], r["region_name"]) for r in rows.values()} == {("49035", "Salt Lake County, UT")}
    assert float(rows[("2023", "541")]["employment"]) == 63900
    assert float(rows[("2022", "311")]["employment"]) == 9120
    assert "'2023 Location Quotient'" in err and "'Avg. Earnings Per Job'" in err
    src2 = tmp_path / "counties.csv"
    src2.write_text("County,NAICS,Employment 2022,Employment 2023\nSalt Lake,311,9120,9405\n"
                    "Utah,311,4000,4100\n", encoding="utf-8")
    got = {(r["period"], r["region"]): float(r["employment"])
           for r in csv_rows(run_ok(["ingest", str(src2), "-o", "-"], capsys)[0])}
    assert got == {("2022", "Salt Lake"): 9120, ("2023", "Salt Lake"): 9405,
                   ("2022", "Utah"): 4000, ("2023", "Utah"): 4100}
    # one year only ("2023 Jobs"): that year, as a title line's year would be
    one = tmp_path / "Industry_Table_2023.csv"
    one.write_text("Industry Table\nRegion: Salt Lake County, UT (49035)\n\nNAICS,Description,2023 Jobs\n"
                   '311,Food Manufacturing,"9,405"\n', encoding="utf-8")
    rows = csv_rows(run_ok(["ingest", str(one), "-o", "-"], capsys)[0])
    assert [(r["period"], r["region"], float(r["employment"])) for r in rows] == [("2023", "49035", 9405)]


def test_agency_files_joined_with_cat(tmp_path, capsys):
    """Two CBP county files joined with `cat` (the second state's file after the first, its
    header between them) were refused with a 'not a FIPS code' line for each header cell ('...
    and 16 more problems'); the repeated header is now dropped and counted, as the generic
    reader does.  Two QCEW by-area files joined alike are read as the two files (since
    session 21; they were refused, saying the line repeats the header).  A Eurostat TSV's repeated header line is dropped and counted as such."""
    cbp = (DATA / "cbp" / "cbp16co_excerpt.txt").read_text(encoding="utf-8").splitlines()
    other = [line.replace('"49"', '"50"', 1) for line in cbp[1:]]  # Vermont's rows alike
    joined = tmp_path / "cbp16co.txt"
    joined.write_text("\n".join(cbp + [cbp[0]] + other) + "\n", encoding="utf-8")
    out, err = run_ok(["ingest", str(joined), "-o", "-"], capsys)
    rows = csv_rows(out)
    assert len(rows) == 2 * 13 and {r["region"][:2] for r in rows} == {"49", "50"}
    assert "dropped: 1 rows repeating the header (files joined with cat)" in err
    # Eurostat's bulk TSV, a second download of other countries after the first: its header
    # line was dropped as 'unit other than THS_PER', a reason it is not
    est = (DATA / "eurostat" / "namq_10_a10_e_bulk_excerpt.tsv").read_text(encoding="utf-8").splitlines()
    more = [line.replace(",AT\t", ",XK\t") for line in est[1:] if ",AT\t" in line]
    both = tmp_path / "namq_10_a10_e.tsv"
    both.write_text("\n".join(est + est[:1] + more) + "\n", encoding="utf-8")
    out, err = run_ok(["ingest", str(both), "-o", "-"], capsys)
    assert len(csv_rows(out)) == 150 + 3 * len(more)
    assert "dropped: 3 values of lines repeating the header (files joined with cat)" in err
    assert "unit other than" not in err
    beaver = BEAVER.read_text(encoding="utf-8").splitlines()
    qcew = tmp_path / "utah.csv"
    qcew.write_text("\n".join(beaver + beaver[:1] + [l.replace('"49001"', '"49003"') for l in beaver[1:]])
                    + "\n", encoding="utf-8")
    # since session 21 read as the two files they are (tests/test_known_gaps_21.py)
    out, err = run_ok(["ingest", str(qcew), "-o", "-"], capsys)
    assert {r["region"] for r in csv_rows(out)} == {"49001", "49003"}
    assert "1 rows repeating the header (files joined with cat)" in err


def test_qcew_high_level_file_reads_its_supersectors(tmp_path, capsys):
    """BLS's county high-level file (allhlcnYYQ.xlsx) holds, below each area's totals by
    ownership, only QCEW's domains (101, 102) and supersectors (1011-1029), which are not NAICS
    codes: every one was dropped, lq wrote 1.0 for every row and detect refused the table ('no
    industry but the all-industries total').  Where nothing below the total is left but them,
    the supersectors are now the table's industries (custom codes) and the domains, their sums,
    are dropped and counted.  Rows written by hand from Utah's 2016 Q1 by-area files."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(QCEW_HIGH_LEVEL_HEADINGS)
    figures = {  # area -> (total private, 1013 manufacturing, 1021 trade ..., 101 goods-producing)
        "49035": (560000, 53000, 134000, 89500), "49049": (200000, 23000, 40000, 45000),
        "49057": (90000, 12000, 20000, 18000)}
    for area, (tot, manu, trade, goods) in figures.items():
        for code, title, value in (("10", "10 Total, all industries", tot),
                                   ("101", "101 Goods-producing", goods),
                                   ("1013", "1013 Manufacturing", manu),
                                   ("1021", "1021 Trade, transportation, and utilities", trade)):
            ws.append([area, "49", area[2:], 5, int(code), 2016, 1, "County", "Utah", area, "Private",
                       title, "", 100, value, value, value, value * 3000, 900])
    src = tmp_path / "allhlcn161.xlsx"
    wb.save(src)
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert {i for _, i in rows} == {"10", "1013", "1021"}
    assert rows[("49035", "1013")]["classification"] == "custom"
    assert "3 QCEW domain rows (101 goods-producing" in err
    lq = {(r["region"], r["industry"]): r for r in csv_rows(run_ok(["lq", str(src), "-o", "-"], capsys)[0])
          if r["measure"] == "employment"}
    # Salt Lake's manufacturing against the three counties: (53,000 / 560,000) / (88,000 / 850,000)
    assert abs(float(lq[("49035", "1013")]["lq"]) - (53000 / 560000) / (88000 / 850000)) < 1e-6
