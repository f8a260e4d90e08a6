"""Session 32, the lead's own finds on files clusterid had not seen."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import csv_rows, run_main

NOMIS = Path(__file__).parent / "data" / "nomis30" / "nomis_api_bres_NM_189_1.data.csv"


def test_nomis_api_csv_of_industry_percentages_alone_is_refused(tmp_path, capsys):
    """NOMIS's API CSV of BRES downloaded with the measure 'Industry percentage' alone (each
    industry's share of the area's jobs; no Count row to keep) was read as counts: Hartlepool's
    share of its jobs in food manufacturing became that many jobs, exit 0.  Now refused at the
    first row, naming the column and what it holds, as the title block's 'Measure : Industry
    percentage' already was."""
    src = tmp_path / "bres_percent.data.csv"
    src.write_text(NOMIS.read_text(encoding="utf-8").replace('"Count"', '"Industry percentage"'),
                   encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert err.strip() == (
        f"clusterid: error: {src}:2: column 'MEASURE_NAME': the cells are a percentage, not a "
        "count (expected counts (measure: Count), found 'Industry percentage'); download the "
        "table again with the measure Count")


def test_nomis_api_csv_with_counts_beside_percentages_keeps_the_counts(tmp_path, capsys):
    """Beside its Count rows the percentages are another measure's rows, dropped and counted."""
    lines = NOMIS.read_text(encoding="utf-8").splitlines()
    pct = [ln.replace('"Count"', '"Industry percentage"').replace('"1250"', '"2.9"')
           for ln in lines[1:]]
    src = tmp_path / "bres_both.data.csv"
    src.write_text("\n".join([*lines, *pct]) + "\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    expected = csv_rows(run_main(["ingest", str(NOMIS), "-o", "-"], capsys)[1])
    assert csv_rows(out) == expected
    assert f"{len(pct)} rows of another MEASURE_NAME indicator than the measure's" in err


def _wages_under(tmp_path, capsys, heading: str) -> float:
    src = tmp_path / "wages.csv"
    src.write_text(f'region,industry,year,employment,"{heading}"\nNSW,C,2021,100,2.5\n'
                   "NSW,F,2021,50,1.5\nVIC,C,2021,80,2\nVIC,F,2021,40,1\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert float(rows[("NSW", "C")]["employment"]) == 100  # (the other measure untouched)
    return float(rows[("NSW", "C")]["wages"])


@pytest.mark.parametrize(("heading", "wages"), [
    # the ABS's data cubes (8155.0 Australian Industry: "Wages and salaries ($m)"), ONS's "£m":
    # read as units, a million times too small, exit 0
    ("Wages and salaries ($m)", 2.5e6), ("Wages (£m)", 2.5e6), ("Wages (€m)", 2.5e6),
    ("Wages and salaries (A$m)", 2.5e6), ("Wages (NZ$m)", 2.5e6),
    # billions were scaled in no heading at all
    ("Wages ($bn)", 2.5e9), ("Wages and salaries ($ billion)", 2.5e9),
    ("Bruttolöhne in Milliarden Euro", 2.5e9), ("wages_usd_bn", 2.5e9),
    # (as before)
    ("Wages and salaries ($'000)", 2500), ("Wages (US$ millions)", 2.5e6), ("Wages (mn)", 2.5e6),
    # no multiple
    ("Wages ($)", 2.5), ("Wages per billion", 2.5), ("Wages (AUD)", 2.5),
])
def test_money_headings_with_a_symbol_and_multiple_are_scaled(tmp_path, capsys, heading, wages):
    assert _wages_under(tmp_path, capsys, heading) == wages


@pytest.mark.parametrize(("unit", "factor"), [
    ("$m", 1e6), ("A$m", 1e6), ("£m", 1e6), ("$bn", 1e9), ("$'000", 1e3), ("'000", 1e3),
    ("£000s", 1e3), ("$", 1.0), ("US dollars, millions", 1e6), ("Persons, thousands", 1e3),
    ("m", None), ("000 persons", None),
])
def test_money_units_with_a_symbol_and_multiple(unit, factor):
    """A unit column's or units row's '$m' (the ABS), '£m' (ONS), "$'000": unknown units before,
    their values kept as read (a unit column of '$m' read with --measure wages: 2.5 dollars)."""
    from clusterid.io.readers.generic_post import unit_factor

    assert unit_factor(unit) == factor


def test_unit_column_of_dollar_millions_is_money_not_employment(tmp_path, capsys):
    src = tmp_path / "unitcol.csv"
    src.write_text("region,industry,year,value,unit\nNSW,C,2021,2.5,$m\nNSW,F,2021,1.5,$m\n"
                   "VIC,C,2021,2,$m\nVIC,F,2021,1,$m\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 2 and out == ""  # (a usage error: the option that reads them is named)
    assert "values in $m are amounts of money, not employment" in err
    code, out, err = run_main(["ingest", str(src), "-o", "-", "--measure", "wages"], capsys)
    assert code == 0, err
    assert {(r["region"], r["industry"]): float(r["wages"]) for r in csv_rows(out)} == {
        ("NSW", "C"): 2.5e6, ("NSW", "F"): 1.5e6, ("VIC", "C"): 2e6, ("VIC", "F"): 1e6}


def test_a_title_names_its_section_only_where_no_row_codes_it(tmp_path, capsys):
    """REAT's Länder table: its three A*10 groups named by title alone are read as the NACE
    aggregates they name (they were custom codes at no level, a third of the jobs left out of
    every level's sums).  A title whose section a row already codes, even a bare code, stays
    an uncoded industry: two rows of F would be one key twice."""
    src = tmp_path / "laender.csv"
    src.write_text('"industry","region","year","emp"\n'
                   '"Baugewerbe (F)","Bayern",2014,300\n'
                   '"Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL","Bayern",2014,500\n'
                   '"oeff.Verw.,Verteidig.,Sozialvers.,Erz.-u.Unterricht","Bayern",2014,700\n'
                   '"Information und Kommunikation (J)","Bayern",2014,60\n'
                   '"Baugewerbe (F)","Hessen",2014,120\n'
                   '"Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL","Hessen",2014,300\n'
                   '"oeff.Verw.,Verteidig.,Sozialvers.,Erz.-u.Unterricht","Hessen",2014,400\n'
                   '"Information und Kommunikation (J)","Hessen",2014,40\n', encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["classification"], r["level"], r["employment"])
           for r in csv_rows(out)}
    assert got[("Bayern", "M-N")] == ("NACE", "1", "500.0")
    assert got[("Hessen", "O-Q")] == ("NACE", "1", "400.0")
    assert "industries listed by title only" in err

    bare = tmp_path / "bare.csv"
    bare.write_text("region,industry,year,employment\nA,C,2021,10\nA,F,2021,5\nA,Baugewerbe,2021,5\n"
                    "A,J,2021,3\nB,C,2021,8\nB,F,2021,4\nB,Baugewerbe,2021,4\nB,J,2021,2\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(bare), "-o", "-"], capsys)
    assert code == 0, err
    assert {r["industry"] for r in csv_rows(out) if r["classification"] == "custom"} == {"Baugewerbe"}
    assert "1 industry without a code kept under its name" in err
