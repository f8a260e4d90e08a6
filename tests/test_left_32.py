"""Gaps the previous session left in the readers (session 32): each test names the layout its
small file follows (tests/data/left32/README.md) and what clusterid did wrongly before."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import (ROOT, TEST_DATA, cell_values as _cells, csv_rows, ingest_stdout as _read,
                      run_main)

DATA = TEST_DATA / "left32"


# ---- 6. tests independent of the folder pytest is started from

def test_these_tests_name_their_files_from_the_repository_not_the_working_folder():
    """tests/test_crash_hunt_9.py and tests/test_csv_floats.py opened `tests/data/...` and
    `data/samples/...` relative to the working folder: started from another folder (an IDE, `cd
    tests && pytest`) they failed with "no such file".  They name them from the repository now
    (conftest's ROOT / TEST_DATA); no string in them is such a relative path."""
    for name in ("test_crash_hunt_9.py", "test_csv_floats.py"):
        tree = ast.parse((ROOT / "tests" / name).read_text(encoding="utf-8"))
        relative = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    and n.value.startswith(("tests/", "data/", "./tests", "./data"))]
        assert relative == [], (name, relative)


# ---- 2. rows hidden in xls, xlsb and ods sheets: said as for xlsx

import pytest  # noqa: E402


@pytest.mark.parametrize("fmt", ["xls", "xlsb", "ods"])
def test_rows_hidden_in_xls_xlsb_ods_are_said_with_their_lines(capsys, fmt):
    """stat.gov.kz's table (tests/data/spreadsheets/kz_oblast_oked_2022.*) with sheet rows 10
    and 15 hidden in each format's own row flags (xls ROW and xlsb BrtRowHdr fDyZero, ods
    table:visibility="collapse").  Rows hidden in an xlsx were read and said with their lines;
    in these formats (read by python-calamine, which gives no row's visibility) they were read
    without a word.  Now the same warning, and the same table as the file without hidden rows
    (its 16 rows), in which none is found."""
    from clusterid.io.readers import excel

    code, rows, err = _read(capsys, DATA / f"kz_oblast_oked_2022_hidden.{fmt}")
    assert code == 0, err
    assert "2 row(s) hidden in the sheet were read as the others (line(s) 10, 15)" in err
    assert len(rows) == 16 and _cells(rows)[("2022", "Карагандинская область", "C")] == ("3680.0", "reported")
    plain = TEST_DATA / "spreadsheets" / f"kz_oblast_oked_2022.{fmt}"
    assert "hidden_rows_read" not in excel.read_rows(str(plain), plain.read_bytes())[2]


# ---- 1. IBGE SIDRA's signs: '..' not applicable is no data

def test_sidra_not_applicable_is_no_data_not_suppressed(capsys, tmp_path):
    """SIDRA's legend: `-` zero not from rounding, `..` not applicable, `...` not available, `X`
    withheld.  `..` was read as suppressed (impute filled it as withheld employment).  Now a row
    of it is dropped and counted on stderr, neither imputed nor 0; `...` and `X` stay
    suppressed, `-` a reported 0."""
    import json

    out = tmp_path / "sidra.csv"
    code, _, err = run_main(["ingest", str(DATA / "sidra_tabela1757_signs_latin1.csv"), "-o", str(out)], capsys)
    assert code == 0, err
    cells = _cells(csv_rows(out.read_text(encoding="utf-8")))
    assert ("2021", "11", "B") not in cells  # '..'
    assert cells[("2021", "11", "F")] == ("", "suppressed")  # '...'
    assert cells[("2021", "33", "F")] == ("", "suppressed")  # 'X'
    assert cells[("2021", "35", "B")] == ("0.0", "reported")  # '-'
    assert cells[("2021", "11", "A")] == ("25000.0", "reported")
    assert "1 cells '..', not applicable" in err
    meta = json.loads(Path(str(out) + ".meta.json").read_text(encoding="utf-8"))
    assert any("'..' not applicable: no data" in n for n in meta["notes"]), meta["notes"]


def test_sidra_not_applicable_beside_a_figure_keeps_no_value_and_is_never_imputed(capsys, tmp_path):
    """SIDRA's Tabela 1757 with its two variables across (`Unidades locais (Unidades)`, CEMPRE's
    establishments, beside `Pessoal ocupado total (Pessoas)`): a row of `..` alone is dropped; a
    `..` employment beside 410 local units keeps no value and no status (flag `..`), and impute
    leaves it empty while it fills the `...` cell (data not available: a figure exists)."""
    canonical = tmp_path / "two.csv"
    code, _, err = run_main(["ingest", str(DATA / "sidra_tabela1757_two_variables_latin1.csv"),
                             "-o", str(canonical)], capsys)
    assert code == 0, err
    rows = {r["industry"]: r for r in csv_rows(canonical.read_text(encoding="utf-8"))}
    assert "B" not in rows and "1 cells '..', not applicable" in err
    k = rows["K"]
    assert (k["employment"], k["employment_status"], k["employment_flag"]) == ("", "", "..")
    assert (k["establishments"], k["establishments_status"]) == ("410.0", "reported")
    assert (rows["F"]["employment"], rows["F"]["employment_status"]) == ("", "suppressed")
    code, out, err = run_main(["impute", str(canonical), "-o", "-"], capsys)
    assert code == 0, err
    imputed = {r["industry"]: r for r in csv_rows(out)}
    assert (imputed["K"]["employment"], imputed["K"]["employment_status"]) == ("", "")
    assert imputed["F"]["employment_status"] == "estimated"


# ---- 5. an xlsx formula without its value, in a column not read

HELPER = DATA / "kz_oblast_oked_2022_helper_formula.xlsx"


def test_uncached_formulas_in_a_column_not_read_do_not_refuse_the_workbook(capsys):
    """stat.gov.kz's table re-saved by a script (openpyxl) with a helper column of formulas,
    `Работников на одно предприятие` (a ratio, not read), saved without their values.  The
    whole workbook was refused (16 errors, one per helper cell).  Now it is read as the table
    without the helper, and stderr says the formulas were in a column not read."""
    code, rows, err = _read(capsys, HELPER)
    assert code == 0, err
    code, plain, _ = _read(capsys, TEST_DATA / "spreadsheets" / "kz_oblast_oked_2022.xlsx")
    assert rows == plain
    assert ("16 formula cell(s) saved without their value (the workbook was never calculated) in "
            "column(s) not read, 'Работников на одно предприятие' (F5, F6, F7, F8, F9 ...)") in err


def test_an_uncached_formula_in_a_column_read_is_still_refused_alone(capsys, tmp_path):
    """The same workbook with one employment cell a formula saved without its value: refused on
    that cell alone (the helper column's cells are not named), as before."""
    import openpyxl

    wb = openpyxl.load_workbook(HELPER)
    wb.worksheets[0]["D7"] = "=D5+D6"
    path = tmp_path / "kz.xlsx"
    wb.save(path)
    code, _rows, err = _read(capsys, path)
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]
    assert len(lines) == 1 and "kz.xlsx:7: column 'D': a formula saved without its value" in lines[0], err


# ---- 4. the ABS's financial years: the year they end, said

def test_abs_annual_series_dated_june_is_the_financial_year_it_ends_said(capsys):
    """5220.0's annual series dated `Jun-2018` ... `Jun-2020` (financial years 2017-18 ...) were
    read as 2018 ... 2020 without a word.  The label stays (the year each ends) and stderr and
    the notes say what it stands for."""
    code, rows, err = _read(capsys, DATA / "abs_5220_table02_annual_fy.xlsx", "--region", "1:New South Wales",
                            "--classification", "custom")
    assert code == 0, err
    assert sorted({r["period"] for r in rows}) == ["2018", "2019", "2020"]
    assert ("financial years (July to June, the ABS's) read as the year they end: "
            "2017-18 -> 2018, 2018-19 -> 2019, 2019-20 -> 2020") in err


def test_abs_data_cube_2018_19_is_read_as_2019(capsys):
    """8155.0's data cube writes its financial years `2018-19`, `2019-20`: refused as fiscal
    years (relabel ...).  Under the ABS's title line they are the years they end, as the
    time series' `Jun-2019`: 2019, 2020, said."""
    code, rows, err = _read(capsys, DATA / "abs_8155_cube_financial_years.xlsx", "--classification", "custom")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2019", "New South Wales", "C")] == ("262000.0", "reported")
    assert cells[("2020", "Victoria", "E")] == ("329800.0", "reported")
    assert "2018-19 -> 2019, 2019-20 -> 2020" in err


def test_abs_financial_years_across_and_other_offices_fiscal_years(capsys, tmp_path):
    """The same years as headings across, under the ABS's line: read alike.  Without it (any
    other office's 2018-19: India's runs April to March) still refused."""
    body = "State,Industry division,2018-19,2019-20\nNew South Wales,C Manufacturing,262.0,258.1\n"
    abs_csv = tmp_path / "abs.csv"
    abs_csv.write_text("Australian Bureau of Statistics\n8155.0 Australian Industry, 2019-20\n" + body,
                       encoding="utf-8")
    code, rows, err = _read(capsys, abs_csv, "--classification", "custom")
    assert code == 0, err
    assert _cells(rows)[("2020", "New South Wales", "C")] == ("258.1", "reported")
    other = tmp_path / "other.csv"
    other.write_text(body, encoding="utf-8")
    code, _rows, err = _read(capsys, other, "--classification", "custom")
    assert code == 1 and "a fiscal year, not a calendar period" in err


# ---- 3. Statistics Canada's aggregates listing their codes: [41, 44-45]

LFS = DATA / "statcan_1410002301_lfs_sectors_x1000.csv"


def test_statcan_aggregate_of_sectors_is_their_union(capsys):
    """14-10-0023-01's `Wholesale and retail trade [41, 44-45]` and `Information, culture and
    recreation [51, 71]` were industries of no code (custom, named with their brackets).  They
    are the NAICS unions `41+44-45` and `51+71` now, level 2, named without the bracket; the
    LFS's `Agriculture [111-112, 1100, 1151-1152]` (StatCan's own codes beside subsectors) cannot
    be placed: kept as before, and stderr says why."""
    code, rows, err = _read(capsys, LFS, "--region", "35:Ontario")
    assert code == 0, err
    named = {r["industry"]: (r["industry_name"], r["classification"], r["level"]) for r in rows}
    assert named["41+44-45"] == ("Wholesale and retail trade", "NAICS", "2")
    assert named["51+71"] == ("Information, culture and recreation", "NAICS", "2")
    assert named["41"] == ("Wholesale trade", "NAICS", "2")
    assert _cells(rows)[("2023", "35", "41+44-45")] == ("1130000.0", "reported")
    assert "'Agriculture [111-112, 1100, 1151-1152]': its codes are not all NAICS sectors" in err


STATCAN_LONG = ('"Geography","North American Industry Classification System (NAICS)","REF_DATE","VALUE"\n'
                '"Ontario","Construction [23]","2021","600"\n"Ontario","Wholesale trade [41]","2021","x"\n'
                '"Ontario","Retail trade [44-45]","2021","800"\n'
                '"Ontario","Wholesale and retail trade [41, 44-45]","2021","1100"\n'
                '"Quebec","Construction [23]","2021","300"\n"Quebec","Wholesale trade [41]","2021","200"\n'
                '"Quebec","Retail trade [44-45]","2021","400"\n'
                '"Quebec","Wholesale and retail trade [41, 44-45]","2021","600"\n')


def test_lq_and_impute_never_add_the_union_to_its_parts(capsys, tmp_path):
    """Two provinces listing the union beside its parts, no total row: lq's region totals sum
    23, 41 and 44-45 once (the union left out of the sum, its own LQ on the same totals), and
    impute fills Ontario's withheld wholesale from the union less retail: 1100 - 800 = 300."""
    src = tmp_path / "statcan.csv"
    src.write_text(STATCAN_LONG, encoding="utf-8")
    canonical = tmp_path / "c.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(canonical)], capsys)
    assert code == 0, err
    code, out, err = run_main(["lq", str(canonical), "-o", "-"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert lq[("Quebec", "41+44-45")]["region_total"] == "900.0"  # 300 + 200 + 400
    assert lq[("Quebec", "41+44-45")]["lq"] != ""
    code, out, err = run_main(["impute", str(canonical), "-o", "-"], capsys)
    assert code == 0, err
    imputed = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert (imputed[("Ontario", "41")]["employment"], imputed[("Ontario", "41")]["employment_status"]) == (
        "300.0", "estimated")
