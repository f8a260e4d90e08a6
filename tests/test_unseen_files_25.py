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
