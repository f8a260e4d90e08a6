"""Agency files in layouts the other tests do not cover (session 25): each test names the real
source whose field layout its made-up input follows (tests/data/unseen25/README.md) and checks
the figures the file says against what clusterid read."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import csv_rows, run_main, run_ok

DATA = Path(__file__).parent / "data" / "unseen25"


def _ingest(tmp_path, capsys, name: str, text: str, *options: str, encoding: str = "utf-8"):
    src = tmp_path / name
    src.write_text(text, encoding=encoding)
    return run_main(["ingest", str(src), "-o", "-", *options], capsys)


# ---- measure headings of national offices

@pytest.mark.parametrize("heading, measure", [
    ("Salariés", "employment"),          # INSEE (Flores): employees, not salaries
    ("Postes salariés", "employment"),
    ("Tätige Personen", "employment"),   # Destatis GENESIS 42111, 42271, 43111
    ("Arbeitnehmer", "employment"),      # VGR der Länder: employees
    ("Personas ocupadas", "employment"),  # INE
    ("Afiliados", "employment"),         # Seguridad Social, affiliates by CNAE
    ("Occupati", "employment"),          # ISTAT
    ("Addetti", "employment"),           # ISTAT ASIA: persons employed in local units
    ("Pracujący", "employment"),         # GUS
    ("Établissements", "establishments"),  # INSEE
    ("Niederlassungen", "establishments"),  # Destatis business register
    ("Numero unità locali", "establishments"),  # ISTAT ASIA
    ("Empresas", "establishments"),      # INE DIRCE
    ("Masse salariale", "wages"),        # INSEE
    ("Arbeitnehmerentgelt", "wages"),    # VGR der Länder: compensation of employees
    ("Entgelte der Arbeitnehmer", "wages"),
    ("Salaries", "wages"),               # English pay stays pay
])
def test_national_offices_measure_headings(tmp_path, capsys, heading, measure):
    """Each heading was either no measure ('no measure column recognised', exit 1) or, for
    INSEE's 'Salariés' (employees, whose accents fold to the English 'salaries'), wages: a table
    of employees came out as payroll and lq ran on it as wages, exit 0."""
    text = (f"Region;NACE;Jahr;{heading}\nBretagne;C;2022;150000\nBretagne;F;2022;80000\n"
            "Normandie;C;2022;140000\nNormandie;F;2022;60000\n")
    code, out, err = _ingest(tmp_path, capsys, "t.csv", text)
    assert code == 0, err
    rows = csv_rows(out)
    assert measure in rows[0], (out, err)
    assert {r[measure] for r in rows} == {"150000.0", "80000.0", "140000.0", "60000.0"}
    assert not any(m in rows[0] for m in ("employment", "establishments", "wages") if m != measure)


def test_insee_employees_beside_establishments_read_both(tmp_path, capsys):
    """INSEE's 'Salariés' beside 'Établissements': employment and establishments, both read
    (the second was 'column not read'); lq computes on employment."""
    text = ("Région;NAF;Année;Salariés;Établissements\nBretagne;C;2022;150000;9000\n"
            "Bretagne;F;2022;80000;12000\nNormandie;C;2022;140000;8000\nNormandie;F;2022;60000;10000\n")
    src = tmp_path / "insee.csv"
    src.write_text(text, encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert float(rows[("Bretagne", "C")]["employment"]) == 150000
    assert float(rows[("Normandie", "F")]["establishments"]) == 10000
    assert "wages" not in rows[("Bretagne", "C")]


# ---- a month (or quarter) beside the year

def test_genesis_flat_file_month_variable_makes_monthly_periods(tmp_path, capsys):
    """GENESIS-Online's flat file of a monthly table (42111, Monatsbericht: time JAHR 2023, the
    month as variable MONAT, MONAT01 Januar ...) was refused: 'variable MONAT (Monate) beside
    region and industry repeats every region x industry key'.  The month is the year's:
    2023M01 ... 2023M03; '.' (no figure) stays withheld."""
    out, err = run_ok(["ingest", str(DATA / "genesis_42111_monthly_ffcsv.csv"), "-o", "-"], capsys)
    rows = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}
    assert len(rows) == 12
    assert float(rows[("2023M01", "08", "C")]["employment"]) == 1203411
    assert float(rows[("2023M02", "09", "B")]["employment"]) == 9902
    assert rows[("2023M03", "09", "C")]["employment_status"] == "suppressed"
    assert rows[("2023M03", "09", "C")]["region_name"] == "Bayern"


def test_genesis_flat_file_quarter_variable_makes_quarters(tmp_path, capsys):
    """The same table by quarter (QUARTG: QUART1 '1. Quartal' ...): 2023Q1 ..."""
    text = (DATA / "genesis_42111_monthly_ffcsv.csv").read_text(encoding="utf-8")
    for i, name in enumerate(("Januar", "Februar", "März"), 1):
        text = text.replace(f"MONAT;Monate;MONAT0{i};{name}", f"QUARTG;Quartale;QUART{i};{i}. Quartal")
    code, out, err = _ingest(tmp_path, capsys, "q.csv", text)
    assert code == 0, err
    rows = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}
    assert float(rows[("2023Q1", "08", "C")]["employment"]) == 1203411
    assert float(rows[("2023Q3", "09", "B")]["employment"]) == 9933


@pytest.mark.parametrize("months", [("Januar", "Februar"), ("1", "2"), ("Jan", "Feb"), ("M01", "M02"),
                                    ("janvier", "février")])
def test_a_month_column_beside_the_year(tmp_path, capsys, months):
    """'Jahr;Monat' (GENESIS's classic CSV of a monthly table), 'year,month' 1-12: refused as
    rows differing only in a column not read ('Monat' was read as no column)."""
    a, b = months
    text = (f"Jahr;Monat;Land;WZ2008;Tätige Personen\n2023;{a};Bayern;C;1100000\n"
            f"2023;{b};Bayern;C;1101000\n2023;{a};Hessen;C;400000\n2023;{b};Hessen;C;401000\n")
    code, out, err = _ingest(tmp_path, capsys, "m.csv", text)
    assert code == 0, err
    rows = {(r["period"], r["region"]): float(r["employment"]) for r in csv_rows(out)}
    assert rows == {("2023M01", "Bayern"): 1100000, ("2023M02", "Bayern"): 1101000,
                    ("2023M01", "Hessen"): 400000, ("2023M02", "Hessen"): 401000}


def test_a_month_cell_that_is_no_month_is_refused_on_its_line(tmp_path, capsys):
    text = ("year,month,state,naics,employment\n2023,1,Utah,23,110000\n2023,Summer,Utah,23,111000\n")
    code, out, err = _ingest(tmp_path, capsys, "m.csv", text)
    assert code == 1
    # (said of the month's column and cell: the year's 2023 is sound -- test_review_25)
    assert "m.csv:3: column 'month': not a month" in err and "found 'Summer'" in err, err


@pytest.mark.parametrize("label, period", [
    ("Jan 2016", "2016M01"), ("January 2016", "2016M01"), ("2016 JAN", "2016M01"),  # ONS series
    ("Januar 2016", "2016M01"), ("Sept. 2016", "2016M09"), ("Jan-2016", "2016M01"),
    ("décembre 2016", "2016M12"), ("май 2016", "2016M05")])
def test_a_month_named_with_its_year_is_a_period(tmp_path, capsys, label, period):
    """BLS's data viewer and NOMIS write 'Jan 2016', 'January 2016'; ONS's time series
    '2016 JAN': each was 'not a period' on every line."""
    text = f"region,industry,period,employment\nA,C,{label},10\nA,F,{label},20\nB,C,{label},30\n"
    code, out, err = _ingest(tmp_path, capsys, "p.csv", text)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {period}


def test_a_month_with_a_two_digit_year_is_still_refused(tmp_path, capsys):
    """'Mar-16' is March 2016 or the 16th of March: refused on its line, as before."""
    code, _, err = _ingest(tmp_path, capsys, "p.csv", "region,industry,period,employment\nA,C,Mar-16,10\n")
    assert code == 1 and "p.csv:2: column 'period': not a period" in err, err


# ---- INE's PC-Axis tables (jaxi): Roman quarters, singular headings

def test_ine_jaxi_table_with_roman_quarters(tmp_path, capsys):
    """INE's PC-Axis tables (jaxi, the EPA series by comunidad and rama de actividad CNAE-93,
    "CSV separado por tabuladores", without its title) write the quarter '2004TIV', and head
    the region 'Comunidad autónoma': 'no region column recognised', and once named, 'not a
    period' on every line.  Now 2004Q4; 'total nacional' is the regions' total, dropped and
    counted; the CNAE-93 sections are NACE Rev. 1.1's ('B Pesca' is fishing, not mining)."""
    out, err = run_ok(["ingest", str(DATA / "ine_epa_jaxi_csv_bd_roman_quarters.tsv"), "-o", "-",
                       "--measure-col", "employment=Total"], capsys)
    rows = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}
    assert len(rows) == 16 and "2 region total rows" in err
    assert float(rows[("2004Q4", "Cataluña", "D")]["employment"]) == 700.5
    assert float(rows[("2004Q3", "Andalucía", "10")]["employment"]) == 2701.4
    assert rows[("2004Q4", "Andalucía", "B")]["classification"] == "NACE-R1.1"


@pytest.mark.parametrize("label, period", [("2004TIV", "2004Q4"), ("2008QII", "2008Q2"), ("1999TIII", "1999Q3")])
def test_a_quarter_in_roman_numerals_after_its_letter(tmp_path, capsys, label, period):
    text = f"region,industry,period,employment\nA,C,{label},10\nA,F,{label},20\n"
    code, out, err = _ingest(tmp_path, capsys, "p.csv", text)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {period}


@pytest.mark.parametrize("region, industry", [
    ("Comunidad autónoma", "Rama de actividad"),   # INE
    ("Provincia", "Sector económico"),              # INE, ISTAT
    ("Regione", "Ramo di attività"),                # ISTAT
    ("Département", "Secteur d'activité"),          # INSEE
    ("Commune", "Activité"),                        # INSEE
    ("Provincie", "Bedrijfstak"),                   # CBS
    ("Bundesländer", "Wirtschaftszweig"),           # Destatis
    ("Województwo", "PKD 2007"),                    # GUS
    ("Län", "Näringsgren"),                         # SCB
])
def test_national_offices_region_and_industry_headings(tmp_path, capsys, region, industry):
    """Each pair (one or both) was 'no region column recognised' or 'no industry column'."""
    text = f"{region};{industry};Jahr;Employment\nNord;C;2022;150\nNord;F;2022;80\nSud;C;2022;140\n"
    code, out, err = _ingest(tmp_path, capsys, "t.csv", text)
    assert code == 0, err
    assert {(r["region"], r["industry"]) for r in csv_rows(out)} == {("Nord", "C"), ("Nord", "F"), ("Sud", "C")}


@pytest.mark.parametrize("heading", ["Taux d'activité", "Tasa de actividad", "Tasso di attività"])
def test_an_activity_rate_is_no_industry_column(heading):
    """'Taux d'activité' (the share of the population in work) names a rate, not the industry."""
    from clusterid.io.readers.generic_headings import role_of

    assert role_of(heading) is None


# ---- headings that name an index, a change, a cost, a ratio or the unemployed

@pytest.mark.parametrize("heading", [
    "Employment index (2015=100)", "Employment change", "Employment (% change)",
    "Beschäftigte Veränderung", "Total employment costs", "Unemployed persons",
    "Численность безработных", "% of employment", "Employees per establishment",
    "Employees per 1000 inhabitants", "Численность занятых, в % к 2021"])
def test_an_index_change_cost_or_ratio_is_not_read_as_employment(tmp_path, capsys, heading):
    """Each was read as the employment column, exit 0: index points, changes, pounds, ratios and
    the jobless came out as jobs and went on to lq.  Now no measure is read from it: refused,
    asking for the column of counts."""
    text = f"County;NAICS;Year;{heading}\nAlpha;23;2020;104\nAlpha;31-33;2020;98\nBeta;23;2020;110\n"
    code, out, err = _ingest(tmp_path, capsys, "t.csv", text)
    assert code == 1 and "no measure column recognised" in err, (out, err)


def test_a_change_column_beside_the_counts_is_said_as_not_read(tmp_path, capsys):
    text = "County,NAICS,Year,Employment,Employment change\nAlpha,23,2020,1000,20\nBeta,23,2020,2000,15\n"
    code, out, err = _ingest(tmp_path, capsys, "t.csv", text)
    assert code == 0, err
    assert {float(r["employment"]) for r in csv_rows(out)} == {1000, 2000}
    assert "column not read: 'Employment change'" in err


@pytest.mark.parametrize("heading", ["Sysselsatte per 4. kvartal", "Persons employed", "Employment, thousands"])
def test_counts_keep_their_role(heading):
    from clusterid.io.readers.generic_headings import role_of

    assert role_of(heading) == "employment"


# ---- a suppression marker with its footnote mark

ROSSTAT_WIDE = """\
Среднегодовая численность работников организаций, тыс. человек
Регион;ОКВЭД2;2020;2021;2022
Алтайский край;C;120,5;121,0;{a}
Алтайский край;F;20,5;21,0;22,0
Амурская область;C;40,2;{b};41,0
Амурская область;F;10,2;11,1;12,0
1) Данные не публикуются в целях обеспечения конфиденциальности первичных статистических данных.
"""


@pytest.mark.parametrize("a, b", [("…1)", "…1)"), ("...1)", "х1)"), ("…¹⁾", "-1)"), ("… 2)", "…*")])
def test_rosstat_marker_with_its_footnote_is_withheld(tmp_path, capsys, a, b):
    """Rosstat's tables mark a figure withheld to keep primary data confidential '…1)', the
    footnote '1)' under the table saying so: 'not a number' (exit 1).  Withheld, the marker its
    flag; the figures beside it in thousands as the title says."""
    code, out, err = _ingest(tmp_path, capsys, "ros.csv", ROSSTAT_WIDE.format(a=a, b=b))
    assert code == 0, err
    rows = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}
    for key in (("2022", "Алтайский край", "C"), ("2021", "Амурская область", "C")):
        assert rows[key]["employment"] == "" and rows[key]["employment_status"] == "suppressed"
        assert rows[key]["employment_flag"] in ("…", "...", "х", "-")
    assert float(rows[("2022", "Амурская область", "C")]["employment"]) == 41000


@pytest.mark.parametrize("cell", [".1)", "12,51)"])
def test_a_figure_with_a_bracket_digit_is_still_refused(tmp_path, capsys, cell):
    """'12,51)' is 12,5 with footnote 1 or 12,51 cut: never guessed."""
    code, _, err = _ingest(tmp_path, capsys, "ros.csv", ROSSTAT_WIDE.format(a=cell, b="1,0"))
    assert code == 1 and "not a number" in err and repr(cell) in err, err


@pytest.mark.parametrize("heading, measure", [
    ("Número de trabajadores", "employment"), ("Puestos de trabajo", "employment"),  # INE
    ("Persone occupate", "employment"), ("Lavoratori", "employment"),              # ISTAT
    ("Liczba pracujących", "employment"), ("Zatrudnienie", "employment"),          # GUS
    ("Beschäftigungsverhältnisse", "employment"), ("Medewerkers", "employment"),
    ("Jednostki lokalne", "establishments"),
    ("Sueldos y salarios", "wages"), ("Rémunérations", "wages"), ("Wynagrodzenia", "wages"),
    ("Valor añadido bruto", "output"), ("Valore aggiunto", "output"), ("Valeur ajoutée", "output"),
])
def test_more_national_measure_headings(tmp_path, capsys, heading, measure):
    """Each was 'no measure column recognised'."""
    from clusterid.io.readers.generic_headings import role_of

    assert role_of(heading) == measure


@pytest.mark.parametrize("label, years", [("FY 2016-17", "2016 or 2017"), ("FY2016/17", "2016 or 2017"),
                                          ("FY 2016-2017", "2016 or 2017")])
def test_a_fiscal_year_range_after_fy_is_said_as_a_fiscal_year(tmp_path, capsys, label, years):
    """'FY 2016-17' (the ABS's and India's MoSPI's headings) was 'not a period', with no word of
    why; said now as the fiscal year it is, with the two calendar years it may stand for."""
    code, _, err = _ingest(tmp_path, capsys, "p.csv", f"region,industry,period,employment\nA,C,{label},10\n")
    assert code == 1 and "a fiscal year, not a calendar period" in err and f"({years})" in err, err


def test_genesis_classic_table_years_over_months(tmp_path, capsys):
    """GENESIS's classic CSV of a monthly table heads the values with two rows, the year over
    the months: refused as "duplicate column heading '2023'".  Each column is its month of the
    year above it: 2023M01 ...; '.' withheld."""
    out, err = run_ok(["ingest", str(DATA / "genesis_42111-0003_years_over_months_latin1.csv"), "-o", "-"],
                      capsys)
    rows = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}
    assert len(rows) == 12
    assert float(rows[("2023M02", "Baden-Württemberg", "C")]["employment"]) == 1204120
    assert rows[("2023M03", "Bayern", "C")]["employment_status"] == "suppressed"


def test_workbook_with_a_merged_year_over_its_months(tmp_path, capsys):
    """The same as a workbook, each year merged over its months (2023 over three, 2024 over two)."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tätige Personen (Anzahl)"])
    ws.append([None, None, "2023", None, None, "2024", None])
    ws.merge_cells("C2:E2")
    ws.merge_cells("F2:G2")
    ws.append([None, None, "Januar", "Februar", "März", "Januar", "Februar"])
    ws.append(["Bayern", "WZ08-C Verarbeitendes Gewerbe", 10, 11, 12, 13, 14])
    ws.append(["Hessen", "WZ08-C Verarbeitendes Gewerbe", 20, 21, 22, 23, 24])
    src = tmp_path / "m.xlsx"
    wb.save(src)
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    got = {(r["period"], r["region"]): float(r["employment"]) for r in csv_rows(out)}
    assert got[("2023M03", "Bayern")] == 12 and got[("2024M01", "Hessen")] == 23
    assert got[("2024M02", "Bayern")] == 14 and len(got) == 10


def test_nomis_aps_twelve_months_of_a_calendar_year(tmp_path, capsys):
    """NOMIS's Annual Population Survey dates its figures 'Jan 2016-Dec 2016': the calendar
    year 2016 ('not a period' on every line before); 'Oct 2015-Sep 2016' stays refused (as a
    fiscal year since session 26)."""
    text = ("date,geography,industry,employment\nJan 2016-Dec 2016,Hartlepool,C,4500\n"
            "Jan 2016-Dec 2016,Hartlepool,F,2100\nJan 2016-Dec 2016,Middlesbrough,C,5100\n")
    code, out, err = _ingest(tmp_path, capsys, "aps.csv", text)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2016"}
    code, _, err = _ingest(tmp_path, capsys, "aps2.csv", text.replace("Jan 2016-Dec 2016", "Oct 2015-Sep 2016"))
    assert code == 1 and "a fiscal year, not a calendar period" in err


def test_a_month_column_holding_the_whole_month_beside_the_year(tmp_path, capsys):
    """'Year 2023, Month 2023-06': the month column's own period, not '2023 2023-06'."""
    text = "Year,Month,County,NAICS,Employment\n2023,2023-06,Alpha,23,100\n2023,2023-06,Beta,23,70\n"
    code, out, err = _ingest(tmp_path, capsys, "ym.csv", text)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2023M06"}


# ---- a workbook mixing number cells and numbers typed as text

def _mixed_workbook(path, first):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Численность работников, тыс. человек"])
    ws.append(["Регион", "ОКЭД", "2021", "2022"])
    ws.append(["Акмолинская область", "C", first, "13,1"])
    ws.append(["Акмолинская область", "F", "1 234,5", 1240])
    ws.append(["Алматинская область", "C", 25, 2400])
    ws.append(["Алматинская область", "F", 300, "х"])
    wb.save(path)


@pytest.mark.parametrize("first, want", [(12.345, 12345), (12.5, 12500)])
def test_number_cells_beside_numbers_typed_with_a_decimal_comma(tmp_path, capsys, first, want):
    """stat.gov.kz's and Rosstat's sheets mix number cells with numbers typed as text ('13,1',
    '1 234,5').  The number cell 12.345 (thousand persons) was written '12.345' and read by the
    text cells' comma convention as 12,345 thousand: 12,345,000 jobs, exit 0; 12.5 was 'not a
    number'.  A number cell is its number."""
    src = tmp_path / "kz.xlsx"
    _mixed_workbook(src, first)
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = {(r["period"], r["region"], r["industry"]): float(r["employment"] or "nan") for r in csv_rows(out)}
    assert rows[("2021", "Акмолинская область", "C")] == want
    assert rows[("2021", "Акмолинская область", "F")] == 1234500
    assert rows[("2022", "Акмолинская область", "C")] == 13100


# ---- ISTAT's and GUS's thousands

@pytest.mark.parametrize("heading", ["Occupati (migliaia)", "Occupati (in migliaia)", "Pracujący (w tys.)"])
def test_thousands_in_italian_and_polish_headings(tmp_path, capsys, heading):
    """'Occupati (migliaia)' (ISTAT's labour force tables) was read as persons: Piemonte's
    412,5 thousand employed came out 412.5, exit 0."""
    text = f"Regione;Ateco 2007;Anno;{heading}\nPiemonte;C;2022;412,5\nPiemonte;F;2022;120,1\n"
    code, out, err = _ingest(tmp_path, capsys, "t.csv", text)
    assert code == 0, err
    assert {float(r["employment"]) for r in csv_rows(out)} == {412500, 120100}


def test_istat_title_unit_and_anno(tmp_path, capsys):
    """'Unità di misura: migliaia' above the table scales it; 'Anno' is the year ('no period
    column recognised' before)."""
    text = ("Occupati per regione e settore di attività economica\nUnità di misura: migliaia\n"
            "Regione;Ateco 2007;Anno;Occupati\nPiemonte;C;2022;412,5\nPiemonte;F;2022;120,1\n"
            "Lombardia;C;2022;1012,3\n")
    code, out, err = _ingest(tmp_path, capsys, "istat.csv", text)
    assert code == 0, err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert float(rows[("Lombardia", "C")]["employment"]) == 1012300
    assert rows[("Piemonte", "F")]["period"] == "2022"
