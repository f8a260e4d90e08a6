"""Agency files in layouts and eras the other tests do not cover (session 21): each test names
the real source whose field layout its made-up input is written in, and checks the figures the
file says against what clusterid read."""

from __future__ import annotations

from pathlib import Path

from conftest import csv_rows, run_main, run_ok

DATA = Path(__file__).parent / "data"

# BLS's field layout of the SIC-based annual CSV files (1975-2000: "sic.1995.annual.by_area";
# bls.gov/cew/about-data/downloadable-file-layouts/annual/sic-based-annual-layout.htm): the
# NAICS files' first fields, no lq_/oty_ columns; the area's total comes first as '10'
SIC_ANNUAL = (
    '"area_fips","own_code","industry_code","agglvl_code","size_code","year","qtr",'
    '"disclosure_code","annual_avg_estabs","annual_avg_emplvl","total_annual_wages",'
    '"taxable_annual_wages","annual_contributions","annual_avg_wkly_wage","avg_annual_pay"\n'
    '"49001","0","10","26","0","1995","A","",120,1500,30000000,0,0,384,20000\n'
    '"49001","5","10","27","0","1995","A","",100,1200,24000000,0,0,384,20000\n'
    '"49001","5","SIC_20","29","0","1995","A","N",5,0,0,0,0,0,0\n'
    '"49001","5","SIC_2011","31","0","1995","A","",2,300,6000000,0,0,384,20000\n')


def test_sic_qcew_file_starting_with_its_total_is_refused_in_one_line(tmp_path, capsys):
    """A SIC-era QCEW file whose first row is the total '10' (as every area file starts) was
    read as NAICS: one 'not a NAICS industry code' error per SIC row, each advising
    --classification custom, which would have read SIC codes on QCEW's NAICS levels.  Any SIC
    code, on any row, now refuses the file in one line naming the first, in both modes."""
    src = tmp_path / "sic.1995.annual 49001 Beaver County, Utah.csv"
    src.write_text(SIC_ANNUAL, encoding="utf-8")
    for extra in ([], ["--on-error", "skip"]):
        code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv"), *extra], capsys)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code == 1 and len(lines) == 1, err
        assert ":4: column 'industry_code': a SIC-based QCEW file" in lines[0]
        assert "found 'SIC_20'" in lines[0] and "custom" not in lines[0]


def _abs_eq06(path: Path, persons: bool) -> None:
    """The ABS's Labour Force data cube EQ06 ('Employed persons by Industry division of main job
    (ANZSIC), Sex, State and Territory'), sheet 'Data 1': four title rows, the header, a row per
    mid-quarter month, sex, state and division; counts in thousands ('000) and hours."""
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Contents"
    ws = wb.create_sheet("Data 1")
    for title in ("Australian Bureau of Statistics",
                  "6291.0.55.003 Labour Force, Australia, Detailed, Quarterly, Feb 2019",
                  "Released at 11.30am (Canberra time) 21 March 2019",
                  "Data Cube EQ06: Employed persons by Industry division of main job (ANZSIC), "
                  "Sex, State and Territory, November 1984 onwards", None):
        ws.append([title])
    ws.append(["Mid-quarter month", "Sex", "State and territory (STT): ASGS (2011)",
               "Industry division of main job: ANZSIC (2006) Rev.2.0", "Employed full-time ('000)",
               "Employed part-time ('000)", "Employed total ('000)",
               "Number of hours actually worked in all jobs (employed full-time) ('000 Hours)",
               "Number of hours actually worked in all jobs (employed part-time) ('000 Hours)",
               "Number of hours actually worked in all jobs (employed total) ('000 Hours)"])
    sexes = ("Males", "Females") + (("Persons",) if persons else ())
    for month in (dt.datetime(2018, 11, 1), dt.datetime(2019, 2, 1)):
        for sex in sexes:
            k = 2 if sex == "Persons" else 1
            for state, base in (("New South Wales", 100.5), ("Victoria", 80.25)):
                for j, division in enumerate(("Mining", "Manufacturing", "Construction")):
                    full, part = k * (base + 10 * j), k * (base / 4 + j)
                    ws.append([month, sex, state, division, full, part, full + part,
                               full * 38, part * 17, full * 38 + part * 17])
    wb.save(path)


def test_abs_data_cube_employed_total_in_thousands_of_persons(tmp_path, capsys):
    """The ABS's EQ06 data cube was refused ('Mid-quarter month' and "Employed full-time
    ('000)" could each be the period: 'time'); read past that, it gave the full-time column as
    employment, in thousands read as persons (1000 times too small).  Now: Employed total,
    scaled ('000 like 1000), the Persons rows kept and Males, Females dropped as their parts;
    the hours columns are no employment.  November is the fourth quarter."""
    src = tmp_path / "EQ06.xlsx"
    _abs_eq06(src, persons=True)
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = {(r["period"], r["region"], r["industry_name"]): r for r in csv_rows(out)}
    assert len(rows) == 12 and {p for p, _, _ in rows} == {"2018Q4", "2019Q1"}
    # Persons, NSW, Manufacturing: 2 * ((100.5 + 10) + (100.5 / 4 + 1)) thousand
    assert float(rows[("2018Q4", "New South Wales", "Manufacturing")]["employment"]) == 2 * (110.5 + 26.125) * 1000
    assert "rows of one Sex category" in err and "Employed full-time ('000)" in err


def test_abs_data_cube_of_males_and_females_only_is_refused_in_one_line(tmp_path, capsys):
    """EQ06 as the ABS ships it: Males and Females, no Persons row.  Each cell came twice: a
    'duplicate row' error on every line.  Now one line naming the Sex column and its
    categories."""
    src = tmp_path / "EQ06.xlsx"
    _abs_eq06(src, persons=False)
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 1 and len(lines) == 1, err
    assert ":7: column 'Sex': rows of Sex categories only" in lines[0]
    assert "found 'Females, Males'" in lines[0] and "'persons'" in lines[0]


def test_stat_gov_kz_kazakh_heading_row_above_russian_names_the_years(tmp_path, capsys):
    """stat.gov.kz's bilingual workbook: a Kazakh heading row ('Облыстар атауы', 'Жылдар',
    'Барлығы', section titles) above the Russian one ('Наименование областей', 'Годы' ...),
    a year per row.  'Жылдар' (years) was no period heading: every oblast's two years were
    refused as rows 'differing only in a column not read'."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Экономикалық қызмет түрлері бойынша кәсіпорындар саны"])
    ws.append(["Число предприятий по видам экономической деятельности"])
    ws.append(["Облыстар атауы", "Жылдар", "Барлығы", "Ауыл, орман және балық шаруашылығы",
               "Өнеркәсіп", "Құрылыс"])
    ws.append(["Наименование областей", "Годы", "Всего", "Сельское, лесное и рыбное хозяйство",
               "Промышленность", "Строительство"])
    for year, k in ((2021, 1), (2022, 2)):
        ws.append(["Қазақстан Республикасы", year, 8900 * k, 1200 * k, 1100 * k, 600 * k])
        ws.append(["Ақмола облысы", year, 350 * k, 80 * k, 40 * k, 20 * k])
        ws.append(["Алматы қаласы", year, 1000 * k, 5 * k, "х", 80 * k])
    src = tmp_path / "kz_bilingual.xlsx"
    wb.save(src)
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}
    assert len(rows) == 16
    assert float(rows[("2022", "Ақмола облысы", "B-E")]["establishments"]) == 80
    assert rows[("2021", "Алматы қаласы", "B-E")]["establishments_status"] == "suppressed"
    assert "2 region total rows" in err


def test_stat_gov_kz_kazakh_headings_of_period_employees_and_wages(tmp_path, capsys):
    """stat.gov.kz's tables in Kazakh: 'Кезең' (period), 'Жалдамалы жұмыскерлер саны' (hired
    employees, Russian 'Численность наемных работников'), 'Еңбекақы қоры' (the wage fund) were
    no headings clusterid knew; and a title naming the average monthly wage ('... орташа айлық
    жалақысы') was read as employment (the wide table's default), refused only where a
    section came out larger than the total.  The average wage is now refused by its title."""
    src = tmp_path / "kz_long.csv"
    src.write_text("Аймақ;Кезең;ЭҚЖЖ коды;Атауы;Жалдамалы жұмыскерлер саны;Еңбекақы қоры\n"
                   "Ақмола облысы;2022;C;Өңдеу өнеркәсібі;12500;х\n"
                   "Ақмола облысы;2022;F;Құрылыс;8000;40000000\n"
                   "Алматы қаласы;2022;C;Өңдеу өнеркәсібі;50000;300000000\n", encoding="utf-8")
    rows = {(r["region"], r["industry"]): r for r in csv_rows(run_ok(["ingest", str(src), "-o", "-"], capsys)[0])}
    assert float(rows[("Ақмола облысы", "F")]["employment"]) == 8000
    assert float(rows[("Ақмола облысы", "F")]["wages"]) == 40000000
    assert rows[("Ақмола облысы", "C")]["wages_status"] == "suppressed"
    assert {r["period"] for r in rows.values()} == {"2022"}
    wage = tmp_path / "kz_wage.csv"
    wage.write_text("Жалдамалы жұмыскерлердің орташа айлық жалақысы, 2022 жыл\nтеңге\n"
                    "Аймақ;Өнеркәсіп;Құрылыс\nАқмола облысы;300000;280000\n"
                    "Алматы қаласы;450000;420000\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(wage), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1 and "the title names an average wage" in err and len(err.strip().splitlines()) == 1, err


def test_statcan_seph_average_weekly_earnings_are_not_employment(tmp_path, capsys):
    """Statistics Canada's table 14-10-0223-01 (SEPH, 'Average weekly earnings by industry'),
    the full-table CSV: one VALUE column under the 'Estimate' dimension, 'Average weekly
    earnings including overtime for all employees', in current dollars.  Read as employment
    (the one value column's default): refused only where manufacturing's $1,250.10 exceeded the
    aggregate's $1,170.25, silently read otherwise.  Now one line naming the column."""
    head = ('"REF_DATE","GEO","DGUID","Estimate","North American Industry Classification System '
            '(NAICS)","UOM","UOM_ID","SCALAR_FACTOR","SCALAR_ID","VECTOR","COORDINATE","VALUE",'
            '"STATUS","SYMBOL","TERMINATED","DECIMALS"\n')
    est = "Average weekly earnings including overtime for all employees"
    rows = [("Canada", "2016A000011124", "Manufacturing [31-33]", "1250.10"),
            ("Nova Scotia", "2016A000212", "Manufacturing [31-33]", "1100.75"),
            ("Nova Scotia", "2016A000212", "Construction [23]", "1300.00")]
    src = tmp_path / "14100223.csv"
    src.write_text(head + "".join(
        f'"2022","{geo}","{dguid}","{est}","{naics}","Current dollars","81","units","0","v{i}",'
        f'"1.1.{i}","{value}","","","","2"\n' for i, (geo, dguid, naics, value) in enumerate(rows)),
        encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 1 and len(lines) == 1, err
    assert ":2: column 'Estimate': the column names an average wage" in lines[0]


_SC_HEAD = ('"REF_DATE","GEO","DGUID",{dim}"North American Industry Classification System (NAICS)",'
            '"UOM","UOM_ID","SCALAR_FACTOR","SCALAR_ID","VECTOR","COORDINATE","VALUE","STATUS",'
            '"SYMBOL","TERMINATED","DECIMALS"\n')


def _statcan(path: Path, dim: str, rows, uom: str, scalar: tuple[str, str]) -> None:
    """A Statistics Canada full-table CSV: ``rows`` of (GEO, DGUID, dimension cells, NAICS
    member, VALUE, STATUS), all in ``uom`` with the SCALAR_FACTOR and SCALAR_ID ``scalar``."""
    lines = [_SC_HEAD.format(dim="".join(f'"{d}",' for d in dim.split("|")) if dim else "")]
    for i, (geo, dguid, cells, naics, value, status) in enumerate(rows):
        lines.append(f'"2023","{geo}","{dguid}",' + "".join(f'"{c}",' for c in cells)
                     + f'"{naics}","{uom}","410","{scalar[0]}","{scalar[1]}","v{i}","1.{i}","{value}",'
                     f'"{status}","","","1"\n')
    path.write_text("".join(lines), encoding="utf-8")


def test_statcan_lfs_persons_in_thousands_are_scaled(tmp_path, capsys):
    """Statistics Canada's LFS table 14-10-0023-01 says its unit in UOM, 'Persons in
    thousands', with SCALAR_FACTOR 'units': UOM was a column not read, so Nova Scotia's 510.3
    thousand employed came out as 510.3 persons.  UOM is now the unit column."""
    src = tmp_path / "14100023.csv"
    both, total = ("Employment", "Total - Gender", "15 years and over"), "Total, all industries"
    _statcan(src, "Labour force characteristics|Gender|Age group", [
        ("Nova Scotia", "2016A000212", both, total, "510.3", ""),
        ("Nova Scotia", "2016A000212", both, "Manufacturing [31-33]", "33.4", ""),
        ("Nova Scotia", "2016A000212", ("Employment", "Men+", "15 years and over"), "Manufacturing [31-33]", "25.0", ""),
        ("Prince Edward Island", "2016A000211", both, total, "92.1", ""),
        ("Prince Edward Island", "2016A000211", both, "Manufacturing [31-33]", "8.9", "E")],
        "Persons in thousands", ("units", "0"))
    rows = {(r["region"], r["industry"]): r for r in csv_rows(run_ok(["ingest", str(src), "-o", "-"], capsys)[0])}
    assert float(rows[("Nova Scotia", "10")]["employment"]) == 510300
    assert float(rows[("Prince Edward Island", "31-33")]["employment"]) == 8900
    assert rows[("Prince Edward Island", "31-33")]["employment_flag"] == "E"


def test_statcan_gdp_in_dollars_is_no_employment_and_t001_is_all_industries(tmp_path, capsys):
    """Statistics Canada's GDP by industry (36-10-0402-01): UOM 'Dollars', SCALAR_FACTOR
    'millions'.  Its one VALUE column was read as employment -- Nova Scotia's manufacturing 4
    billion jobs -- and 'All industries [T001]' was an uncoded industry beside the NAICS
    sectors.  Dollars are now refused as employment; read with --measure output, T001 is the
    all-industries total and the values are in dollars."""
    src = tmp_path / "36100402.csv"
    _statcan(src, "", [
        ("Nova Scotia", "2016A000212", (), "All industries [T001]", "45000.5", ""),
        ("Nova Scotia", "2016A000212", (), "Manufacturing [31-33]", "4000.1", ""),
        ("Prince Edward Island", "2016A000211", (), "All industries [T001]", "8000.0", ""),
        ("Prince Edward Island", "2016A000211", (), "Manufacturing [31-33]", "900.2", "")],
        "Dollars", ("millions", "6"))
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
    assert code != 0 and "values in Dollars are amounts of money, not employment" in err, err
    rows = {(r["region"], r["industry"]): r
            for r in csv_rows(run_ok(["ingest", str(src), "--measure", "output", "-o", "-"], capsys)[0])}
    assert set(rows) == {(g, i) for g in ("Nova Scotia", "Prince Edward Island") for i in ("10", "31-33")}
    assert float(rows[("Nova Scotia", "10")]["output"]) == 45000.5e6
    assert rows[("Nova Scotia", "10")]["level"] == "0"


def test_bea_use_table_as_bea_ships_it_with_title_lines_csv_and_xlsx(tmp_path):
    """BEA's own Use table downloads (the Interactive Data CSV, IOUse_Before_Redefinitions_PRO
    _Summary.xlsx) carry title lines above the codes ('Use Tables/Before Redefinitions/Producer
    Value', 'Summary - 2017', '[Millions of dollars]'): the first line was taken for the header
    and 'detect --io' refused them as 'not an input-output table'; an xlsx was read as text.
    Now the header is the row whose cells name the codes down the first column, a workbook's
    one sheet of figures is read, and a workbook of one sheet per year is refused naming
    them (the first, 1997, is no default)."""
    import csv

    import numpy as np
    from openpyxl import Workbook

    from clusterid.errors import DataError
    from clusterid.io import iotables

    tiny = (DATA / "io" / "use_bea_tiny.csv").read_text(encoding="utf-8").splitlines()
    plain = iotables.read_use_table(DATA / "io" / "use_bea_tiny.csv")
    titles = ["Use Tables/Before Redefinitions/Producer Value", "Summary - 2017",
              "[Millions of dollars]", "Bureau of Economic Analysis", ""]
    csv_path = tmp_path / "Use_Summary_2017.csv"
    csv_path.write_text("\n".join([f'"{t}"' for t in titles] + tiny) + "\n", encoding="utf-8")
    wb = Workbook()
    ws = wb.active
    ws.title = "2017"
    for t in titles:
        ws.append([t or None])
    for cells in csv.reader(tiny):
        ws.append([float(c) if c.replace(".", "", 1).isdigit() else c for c in cells])
    xlsx = tmp_path / "IOUse_Before_Redefinitions_PRO_2017_Summary.xlsx"
    wb.save(xlsx)
    for path in (csv_path, xlsx):
        t = iotables.read_use_table(path)
        assert t.sectors == plain.sectors and t.source["layout"] == "bea"
        np.testing.assert_array_equal(np.nan_to_num(t.flows), np.nan_to_num(plain.flows))
        np.testing.assert_array_equal(t.total_output, plain.total_output)
        np.testing.assert_array_equal(t.total_inputs, plain.total_inputs)
    wb.copy_worksheet(ws).title = "2016"
    wb.save(xlsx)
    try:
        iotables.read_use_table(xlsx)
        raise AssertionError("a workbook of two years was read")
    except DataError as exc:
        assert "a workbook of 2 sheets of figures" in str(exc) and "2017, 2016" in str(exc)


# Census's Statistics of U.S. Businesses, county file (www2.census.gov/programs-surveys/susb/
# datasets/2021/county_3digitnaics_2021.txt): state and county FIPS, NAICS with '--' for all
# sectors, enterprise size classes (01 Total), firms, establishments, employment with its
# range flag (EMPLFL_R a-m) and noise flag (EMPLFL_N), payroll in $1,000 with its flag
SUSB_COUNTY = """\
STATE,COUNTY,NAICS,ENTRSIZE,FIRM,ESTB,EMPL_N,EMPLFL_R,EMPLFL_N,PAYR_N,PAYRFL_N,STATEDSCR,COUNTYDSCR,NCSDSCR,ENTRSIZEDSCR
49,001,--,01,150,170,1500,,G,60000,G,Utah,Beaver County,Total,01: Total
49,001,--,02,100,100,150,,G,5000,G,Utah,Beaver County,Total,02: <20 employees
49,001,31-33,01,4,5,0,b,,0,D,Utah,Beaver County,Manufacturing,01: Total
49,001,311,01,2,2,120,,H,4000,H,Utah,Beaver County,Food Manufacturing,01: Total
49,003,--,01,1100,1200,15000,,G,600000,G,Utah,Box Elder County,Total,01: Total
49,003,31-33,01,40,50,5000,,G,300000,G,Utah,Box Elder County,Manufacturing,01: Total
"""


def test_susb_county_file_is_read_with_its_flags_and_year(tmp_path, capsys):
    """SUSB's county file was refused: no period (its rows hold no year), then no measure
    (EMPL_N, ESTB, PAYR_N were no headings clusterid knew), then '--' 'not a NAICS industry
    code'.  Now: the year from the file's name, the enterprise-size classes dropped as parts of
    01 Total, STATE + COUNTY the county's FIPS, '--' all industries, EMPLFL_R 'b' a withheld
    employment of 20-99, payroll in dollars."""
    src = tmp_path / "county_3digitnaics_2021.txt"
    src.write_text(SUSB_COUNTY, encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert set(rows) == {("49001", "10"), ("49001", "31-33"), ("49001", "311"),
                         ("49003", "10"), ("49003", "31-33")}
    beaver = rows[("49001", "10")]
    assert (beaver["period"], beaver["region_level"], beaver["region_name"]) == ("2021", "county", "Beaver County")
    assert float(beaver["employment"]) == 1500 and float(beaver["establishments"]) == 170
    assert float(beaver["wages"]) == 60000 * 1000 and beaver["employment_flag"] == "G"
    manu = rows[("49001", "31-33")]
    assert manu["employment_status"] == "suppressed" and manu["employment"] == ""
    assert (float(manu["employment_lower"]), float(manu["employment_upper"])) == (20, 99)
    assert manu["wages_status"] == "suppressed"
    assert "1 rows of one ENTRSIZE category" in err and "'FIRM'" in err


def test_value_added_in_millions_is_output_scaled(tmp_path, capsys):
    """ONS's regional tables head value added 'Gross value added (£ million)': the heading was
    no measure ('value added' is two words, and no single word of it named output), a column
    not read; and a heading in millions ('Bruttowertschöpfung (Mill. EUR)', read as output)
    was taken as euros, a million times too small."""
    src = tmp_path / "gva.csv"
    src.write_text("region,industry,year,Gross value added (£ million),Employment\n"
                   "E06000001,C,2022,250.5,1250\nE06000002,C,2022,120.25,600\n", encoding="utf-8")
    rows = {r["region"]: r for r in csv_rows(run_ok(["ingest", str(src), "-o", "-"], capsys)[0])}
    assert float(rows["E06000001"]["output"]) == 250.5e6 and float(rows["E06000001"]["employment"]) == 1250
    de = tmp_path / "bws.csv"
    de.write_text("Land;WZ 2008;Jahr;Bruttowertschöpfung (Mill. EUR)\n"
                  "Bayern;C;2021;158.034,5\nHessen;C;2021;50.123,25\n", encoding="utf-8")
    rows = {r["region"]: r for r in csv_rows(run_ok(["ingest", str(de), "-o", "-"], capsys)[0])}
    assert float(rows["Bayern"]["output"]) == 158034.5e6


def test_abs_business_counts_by_size_across_are_no_employment(tmp_path, capsys):
    """The ABS's Counts of Australian Businesses (8165.0, 'Table 1 BUSINESSES BY INDUSTRY
    DIVISION BY STATE BY EMPLOYMENT SIZE RANGES'): businesses by size class across ('Non
    Employing', '1-4 Employees' ... '200+ Employees', 'Total').  '1-4 Employees' was read as
    employment: New South Wales's 10,000 farms with 1-4 employees came out as 10,000 jobs.  A
    size class heading is no measure; the table is refused, saying to read its total as
    establishments, which then reads."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for title in ("Australian Bureau of Statistics",
                  "Table 1 BUSINESSES BY INDUSTRY DIVISION BY STATE BY EMPLOYMENT SIZE RANGES, June 2023", None):
        ws.append([title])
    ws.append(["State", "Industry Division", "Non Employing", "1-4 Employees", "5-19 Employees",
               "20-199 Employees", "200+ Employees", "Total"])
    ws.append(["New South Wales", "Agriculture, Forestry and Fishing", 40000, 10000, 3000, 500, 20, 53520])
    ws.append(["New South Wales", "Mining", 1000, 300, 200, 100, 30, 1630])
    ws.append(["Victoria", "Agriculture, Forestry and Fishing", 35000, 9000, 2500, 400, 15, 46915])
    ws.append(["Victoria", "Mining", 600, 200, 150, 80, 20, 1050])
    src = tmp_path / "8165_cabee.xlsx"
    wb.save(src)
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1 and "'1-4 Employees'" in err and "--measure-col establishments=COLUMN" in err, err
    rows = {(r["region"], r["industry_name"]): r for r in csv_rows(run_ok(
        ["ingest", str(src), "--measure-col", "establishments=Total", "-o", "-"], capsys)[0])}
    assert float(rows[("New South Wales", "Mining")]["establishments"]) == 1630
    assert "employment" not in rows[("New South Wales", "Mining")]


def test_size_class_headings_have_no_role():
    from clusterid.io.readers.generic_headings import role_of

    # (Regionalstatistik's Unternehmensregister: establishments by size class across)
    for heading in ("1-4 Employees", "200+ Employees", "20 to 199 employees", "Non Employing",
                    "500 and more employees", "10 bis 49 Beschäftigte", "Establishments with 1-4 employees",
                    "0 bis unter 10 sozialversicherungspflichtig Beschäftigte",
                    "Betriebe mit 1 bis 9 Beschäftigten"):
        assert role_of(heading) is None, heading
    for heading in ("Employees", "2016 Employment", "Sysselsatte personer 15-74 år", "Employment 2016",
                    "Employees aged 15-64", "Employees (000)"):
        assert role_of(heading) == "employment", heading


def test_thousands_in_kazakh_and_russian_words_in_a_heading(tmp_path, capsys):
    """'Жұмыспен қамтылғандар саны, мың адам' (stat.gov.kz: employed, thousand persons) and
    'Численность занятых, тысяч человек' were read as persons, a thousand times too small:
    only the abbreviation 'тыс.' scaled a heading."""
    for heading in ("Жұмыспен қамтылғандар саны, мың адам", "Численность занятых, тысяч человек"):
        src = tmp_path / "kz.csv"
        src.write_text(f"Аймақ;Кезең;Экономикалық қызмет түрлері;{heading}\n"
                       "Ақмола облысы;2022;Өңдеу өнеркәсібі;12,5\n"
                       "Алматы қаласы;2022;Өңдеу өнеркәсібі;50,1\n", encoding="utf-8")
        rows = {r["region"]: r for r in csv_rows(run_ok(["ingest", str(src), "-o", "-"], capsys)[0])}
        assert float(rows["Ақмола облысы"]["employment"]) == 12500, heading


def test_statcan_lfs_by_cma_reads_the_estimate_not_its_standard_error(tmp_path, capsys):
    """Statistics Canada's LFS tables by census metropolitan area (14-10-0392 ...) give each
    figure under 'Statistics' as its Estimate and its standard error: refused as rows that
    differ only in a column not read.  The Estimate rows are read, the others dropped and
    counted; UOM 'Persons in thousands' scaled."""
    src = tmp_path / "14100392.csv"
    _statcan(src, "Labour force characteristics|Statistics|Data type", [
        ("Halifax, Nova Scotia", "2021S0503205", ("Employment", "Estimate", "Seasonally adjusted"), "Total, all industries", "270.1", ""),
        ("Halifax, Nova Scotia", "2021S0503205", ("Employment", "Standard error of estimate", "Seasonally adjusted"), "Total, all industries", "3.2", ""),
        ("Halifax, Nova Scotia", "2021S0503205", ("Employment", "Estimate", "Seasonally adjusted"), "Manufacturing [31-33]", "10.3", ""),
        ("Halifax, Nova Scotia", "2021S0503205", ("Employment", "Standard error of estimate", "Seasonally adjusted"), "Manufacturing [31-33]", "1.1", "")],
        "Persons in thousands", ("units", "0"))
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = {r["industry"]: r for r in csv_rows(out)}
    assert float(rows["10"]["employment"]) == 270100 and float(rows["31-33"]["employment"]) == 10300
    assert rows["10"]["region_level"] == "cma"
    assert "2 rows of another Statistics indicator" in err


def test_bds_establishments_are_estabs_not_firms(tmp_path, capsys):
    """The Census's Business Dynamics Statistics by state and sector (bds2021_st_sec.csv:
    year, st, sector, firms, estabs, emp, ...): 'firms' came first and was read as the
    establishments (500 for Utah's agriculture where 520 establishments are published).
    A heading naming establishments is read before one naming firms."""
    src = tmp_path / "bds2021_st_sec.csv"
    src.write_text("year,st,sector,firms,estabs,emp,denom,estabs_entry,estabs_entry_rate,job_creation\n"
                   "2021,49,11,500,520,4000,3900,30,5.8,400\n"
                   "2021,49,31-33,3000,3400,130000,128000,150,4.4,9000\n"
                   "2021,01,11,800,830,(D),(D),40,4.8,(D)\n", encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "--region-col", "st", "-o", "-"], capsys)
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert float(rows[("49", "11")]["establishments"]) == 520
    assert float(rows[("49", "11")]["employment"]) == 4000
    assert rows[("01", "11")]["employment_status"] == "suppressed"
    assert "'firms'" in err


def test_eurostat_hours_worked_alone_are_no_employment(tmp_path, capsys):
    """Eurostat's national accounts employment (nama_10_a10_e, namq_10_a10_e) downloaded in
    thousand hours worked only (unit THS_HW, no THS_PER beside it): read as employment,
    Austria's 7,000.1 thousand hours came out as 7,000,100 persons employed, exit 0.  Hours
    are refused as employment in the TSV and in SDMX-CSV; beside THS_PER the persons are read
    as before."""
    tsv = tmp_path / "nama_10_a10_e_hw.tsv"
    tsv.write_text("freq,unit,nace_r2,geo\\TIME_PERIOD\t2021 \t2022 \n"
                   "A,THS_HW,TOTAL,AT\t7000.1 \t7100.2 \nA,THS_HW,C,AT\t1200.5 \t1210.4 \n", encoding="utf-8")
    sdmx = tmp_path / "nama_10_a10_e_hw.csv"
    sdmx.write_text("STRUCTURE,STRUCTURE_ID,freq,unit,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
                    "dataflow,ESTAT:NAMA_10_A10_E(1.0),A,THS_HW,TOTAL,AT,2021,7000.1,\n"
                    "dataflow,ESTAT:NAMA_10_A10_E(1.0),A,THS_HW,C,AT,2021,1200.5,\n", encoding="utf-8")
    for src in (tsv, sdmx):
        code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
        assert code != 0 and "values in THS_HW are hours worked, not employment" in err, err
    both = tmp_path / "both.tsv"
    both.write_text("freq,unit,nace_r2,geo\\TIME_PERIOD\t2021 \n"
                    "A,THS_HW,TOTAL,AT\t7000.1 \nA,THS_PER,TOTAL,AT\t4500.5 \n"
                    "A,THS_HW,C,AT\t1200.5 \nA,THS_PER,C,AT\t700.2 \n", encoding="utf-8")
    rows = {r["industry"]: r for r in csv_rows(run_ok(["ingest", str(both), "-o", "-"], capsys)[0])}
    assert float(rows["10"]["employment"]) == 4500500
