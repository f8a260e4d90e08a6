"""Gaps other helpers found in session 31 and left: each test names the layout its small file
follows (tests/data/left31/README.md) and what clusterid read wrongly before."""

from __future__ import annotations

from pathlib import Path

from conftest import TEST_DATA, cell_values as _cells, csv_rows, ingest_stdout as _read, run_main

DATA = Path(__file__).parent / "data" / "left31"


# ---- 4. --suppressed bounds: a z cell (no data) has no bounds, as impute never fills it

def test_suppression_bounds_give_a_not_applicable_cell_no_bounds(capsys, tmp_path):
    """Eurostat's ': z' beside another measure's figure is no data (no value, no status, flag
    z): impute left it empty, but `suppression_bounds` (`--suppressed bounds` in detect,
    `impute --method bounds-only`) gave it a lower bound 0 and counted it suppressed.  Now it
    has no bounds and no point; the 'c' cell is still bounded."""
    from clusterid.core import impute as imp
    from clusterid.io.ingest import load_input

    canonical = tmp_path / "z.csv"
    src = TEST_DATA / "readers31" / "sbs_regions_two_measures_z.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(canonical)], capsys)
    assert code == 0, err
    code, out, err = run_main(["impute", str(canonical), "--method", "bounds-only", "-o", "-"], capsys)
    assert code == 0, err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    b = rows[("AT11", "B")]
    assert (b["employment"], b["employment_status"], b["employment_lower"], b["employment_upper"],
            b["employment_flag"]) == ("", "", "", "", "z")
    assert (rows[("AT12", "C")]["employment_status"], rows[("AT12", "C")]["employment_lower"]) == (
        "suppressed", "0.0")
    assert "1 suppressed employment values" in err
    df = load_input(str(canonical))[0].collect()
    out, info = imp.apply_suppressed(df, "bounds", point_col="__point")
    z = out.filter((out["region"] == "AT11") & (out["industry"] == "B"))
    assert z["employment_lower"].to_list() == [None] and z["__point"].to_list() == [None]
    assert z["employment_status"].to_list() == [None]


# ---- 1. IBGE SIDRA: "-" is a true zero there, "X" withheld

SIDRA = DATA / "sidra_tabela1757_dash_is_zero_latin1.csv"


def test_sidra_dash_is_a_reported_zero(capsys, tmp_path):
    """SIDRA's conventional signs (the table's notes): `-` a numeric zero not from rounding, `X`
    withheld, `...` not available.  clusterid read `-` as suppressed everywhere, so a state's
    empty industry was imputed as withheld employment.  In a SIDRA export (its `Tabela 1757 -`
    title line and `Variável -` line) it is a reported 0 now, said in the metadata's notes;
    `X` and `...` stay suppressed."""
    import json

    out = tmp_path / "sidra.csv"
    code, _, err = run_main(["ingest", str(SIDRA), "-o", str(out)], capsys)
    assert code == 0, err
    cells = _cells(csv_rows(out.read_text(encoding="utf-8")))
    assert cells[("2021", "35", "B")] == ("0.0", "reported")
    assert cells[("2021", "11", "F")] == ("0.0", "reported")
    assert cells[("2021", "33", "F")] == ("", "suppressed")  # X
    assert cells[("2021", "11", "B")] == ("", "suppressed")  # ...
    assert cells[("2021", "33", "B")] == ("60000.0", "reported")
    meta = json.loads(Path(str(out) + ".meta.json").read_text(encoding="utf-8"))
    assert any("2 cells '-' read as reported 0" in n for n in meta["notes"]), meta["notes"]


def test_dash_without_sidra_titles_still_withholds(capsys, tmp_path):
    """The same table without SIDRA's `Tabela ... -` title line is no SIDRA export: its `-` stays
    suppressed, as for most agencies (NOMIS, Destatis, Rosstat)."""
    src = tmp_path / "not_sidra.csv"
    src.write_bytes(b"\r\n".join(SIDRA.read_bytes().split(b"\r\n")[1:]))
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    assert _cells(rows)[("2021", "35", "B")] == ("", "suppressed")


# ---- 3. StatCan's displayed CSV: the footnote numbers after its aggregates' names

def test_statcan_aggregate_names_lose_their_footnote_numbers(capsys):
    """`Total, all industries 7` was read as the total (session 31), but its name and its
    aggregates' kept the footnote numbers: `Goods-producing sector 8` was an industry coded
    and named so.  Where the total's name carries footnote numbers, so do its members' without
    a code: stripped.  `Wholesale and retail trade [41, 44-45]` (two NAICS codes) is their
    union since session 32, `41+44-45` (as NACE's `B+D+E`), named without its bracket
    (tests/test_left_32.py); it was a custom industry named as written."""
    code, rows, err = _read(capsys, TEST_DATA / "hunt31" / "statcan_1410002301_as_displayed_x1000.csv",
                            "--region", "35:Ontario")
    assert code == 0, err
    names = {r["industry"]: r["industry_name"] for r in rows}
    assert names == {"10": "Total, all industries", "23": "Construction", "31-33": "Manufacturing",
                     "Goods-producing sector": "Goods-producing sector",
                     "Services-producing sector": "Services-producing sector",
                     "41+44-45": "Wholesale and retail trade"}
    assert _cells(rows)[("2021", "35", "Goods-producing sector")] == ("1500000.0", "reported")


def test_trailing_number_is_kept_where_the_total_has_none(capsys, tmp_path):
    """Without a footnote number on the total, a trailing number is part of a name."""
    src = tmp_path / "groups.csv"
    src.write_text("region,industry,employment\nA1,Total,100\nA1,Group 8,60\nA1,Group 9,40\n", encoding="utf-8")
    code, rows, err = _read(capsys, src, "--period", "2021")
    assert code == 0, err
    assert {r["industry"] for r in rows} == {"10", "Group 8", "Group 9"}


# ---- 2. INEGI's census output variables

INEGI = DATA / "inegi_saic2019_estatal_output.csv"


def test_inegi_gross_output_is_the_output_measure_value_added_on_request(capsys):
    """SAIC's `A111A Producción bruta total (millones de pesos)` and `A131A Valor agregado
    censal bruto` were columns not read.  Gross output is now `output` (as the Census's
    nonemployer receipts and Destatis's Produktionswert are), scaled from millions of pesos,
    `C` withheld; value added, a second output measure, stays a column not read (named on
    stderr) unless `--measure-col output=` names it."""
    code, rows, err = _read(capsys, INEGI, "--classification", "custom")
    assert code == 0, err
    out = _cells(rows, "output")
    assert out[("2019", "01", "10")] == ("150000200000.0", "reported")
    assert out[("2019", "01", "Sector 43 Comercio al por mayor")] == ("", "suppressed")
    assert _cells(rows)[("2019", "02", "10")] == ("900123.0", "reported")
    assert "'A131A Valor agregado censal bruto (millones de pesos)'" in err
    code, rows, err = _read(capsys, INEGI, "--classification", "custom", "--measure-col",
                            "output=A131A Valor agregado censal bruto (millones de pesos)")
    assert code == 0, err
    assert _cells(rows, "output")[("2019", "02", "10")] == ("120000500000.0", "reported")


# ---- 5. the ABS's time series workbooks whose series run on over Data1, Data2 ...

ABS = DATA / "abs_6291_table05_data1_data2.xlsx"


def test_abs_series_over_data1_and_data2_are_read_together(capsys):
    """The ABS splits a table's series over sheets Data1, Data2 ... (its Index lists each
    series' sheet).  Only Data1 was read, Data2 named in a warning: Queensland was left out.
    Each series is in one sheet, so the sheets' cells cannot meet: read together now, said."""
    code, rows, err = _read(capsys, ABS)
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2023Q3", "New South Wales", "C")] == ("300100.0", "reported")
    assert cells[("2023Q3", "Queensland", "C")] == ("180300.0", "reported")
    assert cells[("2023Q4", "Queensland", "F")] == ("", "suppressed")
    assert len(cells) == 12
    assert "2 sheets of ABS time series read together ('Data1', 'Data2')" in err
    assert "read sheet 'Data1' only" not in err


def test_abs_series_repeated_in_data2_keeps_data1_alone(capsys, tmp_path):
    """A Data2 repeating a cell of Data1 (the same series again, or another series type of it)
    would count it twice: Data1 is read alone and Data2 named in the warning, as before."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_abs", DATA / "make_abs_6291_table05_data2.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    src = tmp_path / "repeat.xlsx"
    make.build(src, repeat=True)
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    assert {r["region"] for r in rows} == {"New South Wales"}
    assert "read sheet 'Data1' only; other sheets hold figures too: 'Index', 'Data2'" in err
