"""Silent wrong answers of session 32 (uk): England beside its own ITL1 regions in ONS's tables,
ITL2 and ITL3 codes side by side; each test checks clusterid's figures against a computation
of its own (tests/data/uk32/README.md names the layouts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import csv_rows, run_main

DATA = Path(__file__).parent / "data" / "uk32"
HUNT = Path(__file__).parent / "data" / "hunt32"


def _ingest(capsys, path: Path, *options: str):
    code, out, err = run_main(["ingest", str(path), "-o", "-", *options], capsys)
    return code, (csv_rows(out) if code == 0 else []), err


def _lq(capsys, path: Path, *options: str):
    code, out, err = run_main(["lq", str(path), "-o", "-", *options], capsys)
    assert code == 0, err
    return {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}


# ---- ONS by ITL region: England beside its own ITL1 regions

def test_ons_england_beside_its_itl1_regions_is_a_country_not_one_more_region(capsys):
    """ONS's regional tables print England (GSS code E92000001) beside its own ITL1 regions
    (TLC North East ... TLK South West).  It was read as one more region of the same (no)
    level, so lq's benchmark summed England with its own regions: 2020's benchmark total
    100+200+300+150+600 = 1,350 (£ million) for 750 of activity, manufacturing 260 for 140.
    Now England is region level `country`, the ITL1 codes `itl1`; the ITL1 benchmark is their
    own sum."""
    path = DATA / "ons_itl1_england_e92000001.csv"
    code, rows, err = _ingest(capsys, path)
    assert code == 0, err
    levels = {r["region"]: r["region_level"] for r in rows}
    assert levels == {"E92000001": "country", "TLC": "itl1", "TLD": "itl1", "TLK": "itl1", "TLM": "itl1"}
    assert "3 region total rows" in err  # the United Kingdom's, as before
    lq = _lq(capsys, path, "--period", "2020")
    ne = lq[("2020", "TLC", "C")]
    # by hand: ITL1 regions only (England's 600 and 120 out)
    total, manuf = 100 + 200 + 300 + 150, 30 + 40 + 50 + 20
    assert (total, manuf) == (750, 140)
    assert float(ne["benchmark_total"]) == pytest.approx(total * 1e6)
    assert float(ne["benchmark_industry_total"]) == pytest.approx(manuf * 1e6)
    assert float(ne["lq"]) == pytest.approx((30 / 100) / (manuf / total), rel=1e-6)
    # (before: 1,350 and 260 -- England counted twice -- and North East's LQ 1.5577)
    assert float(ne["lq"]) != pytest.approx((30 / 100) / (260 / 1350), rel=1e-3)
    assert lq[("2020", "E92000001", "C")]["region_level"] == "country"


def test_itl2_and_itl3_codes_get_levels_as_nuts_codes_do(capsys):
    """ITL codes are NUTS's shape with TL for UK (TLC1 ITL2, TLC11 ITL3 inside it): beside one
    another they had no level, and lq summed TLC1 with its own parts TLC11 and TLC12
    (benchmark total 140, not 100).  Now they get levels itl2 and itl3, as UKC1 and UKC11 get
    nuts2 and nuts3."""
    path = DATA / "ons_itl2_itl3_nested.csv"
    code, rows, err = _ingest(capsys, path)
    assert code == 0, err
    levels = {r["region"]: r["region_level"] for r in rows}
    assert levels == {"TLC1": "itl2", "TLC2": "itl2", "TLC11": "itl3", "TLC12": "itl3"}
    lq = _lq(capsys, path, "--period", "2020")
    assert float(lq[("2020", "TLC1", "C")]["benchmark_total"]) == pytest.approx((40 + 60) * 1e6)
    assert float(lq[("2020", "TLC11", "C")]["benchmark_total"]) == pytest.approx((15 + 25) * 1e6)
    assert float(lq[("2020", "TLC11", "C")]["lq"]) == pytest.approx((5 / 15) / ((5 + 7) / 40), rel=1e-6)


# ---- the World Bank's WDI bulk CSV: an indicator in per cent of total employment

@pytest.mark.parametrize("options", [("--industry-col", "Indicator Code"), ("--industry-col", "Indicator Name")])
def test_wdi_percentage_indicator_is_refused_not_read_as_employment(capsys, options):
    """The WDI's bulk CSV of SL.IND.EMPL.ZS, `Employment in industry (% of total employment)`:
    with --industry-col it was read as employment, Afghanistan's 18.3 % of its jobs in industry
    18.3 employees (exit 0).  Now refused in one line on the first data line (line 6, under the
    header on line 5), naming the column and the indicator."""
    code, rows, err = _ingest(capsys, HUNT / "API_SL.IND.EMPL.ZS_DS2_en_csv_v2_excerpt.csv", *options)
    assert code != 0 and rows == []
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid: error")]
    assert len(lines) == 1, err
    assert "API_SL.IND.EMPL.ZS_DS2_en_csv_v2_excerpt.csv:6:" in lines[0]
    assert "column 'Indicator Name'" in lines[0] and "percentage" in lines[0]
    assert "expected an indicator of counts" in lines[0] and "% of total employment" in lines[0]


# ---- CBS StatLine: a provisional period's star

def test_statline_provisional_star_flags_the_cells_p(capsys, tmp_path):
    """CBS StatLine marks a provisional period with a star (`2023*`, `2023 2e kwartaal**` for
    its further provisional figures): it was read as 2023 and reported with no flag, as final
    as 2022.  Now its cells are flagged `p` as a `2021p` or `2021 (p)` year is (2014e and
    2014r flag e and r), and the metadata's notes say so; 2022's cells keep no flag."""
    import json

    src = DATA / "cbs_statline_banen_provisional_year.csv"
    out = tmp_path / "banen.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    rows = csv_rows(out.read_text(encoding="utf-8"))
    got = {(r["period"], r["region"], r["industry"]): (r["employment"], r["employment_status"], r["employment_flag"])
           for r in rows}
    assert got[("2023", "Groningen (PV)", "C")] == ("28300.0", "reported", "p")
    assert got[("2023", "Utrecht (PV)", "10")] == ("715000.0", "reported", "p")
    assert got[("2022", "Utrecht (PV)", "10")] == ("711200.0", "reported", "")
    assert {r["employment_flag"] for r in rows if r["period"] == "2023"} == {"p"}
    meta = json.loads((tmp_path / "banen.csv.meta.json").read_text(encoding="utf-8"))
    notes = " ".join(meta.get("notes", []))
    assert "provisional, their cells flagged p: period 2023 (headed '2023*')" in notes


def test_statline_quarter_with_two_stars_is_the_quarter_flagged_p(capsys, tmp_path):
    """`2023 2e kwartaal**` (nader voorlopig): was refused as no period; now 2023Q2, flagged p
    (the suppressed `.` cell keeps its own flag)."""
    text = (HUNT / "cbs_statline_banen_sbi2008_quarters.csv").read_bytes().replace(
        b'"2023 2e kwartaal"', b'"2023 2e kwartaal**"')
    src = tmp_path / "banen_q.csv"
    src.write_bytes(text)
    code, rows, err = _ingest(capsys, src)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): (r["employment_status"], r["employment_flag"]) for r in rows}
    assert got[("2023Q2", "Utrecht (PV)", "C")] == ("reported", "p")
    assert got[("2023Q2", "Groningen (PV)", "F")] == ("suppressed", ".")
    assert got[("2023Q1", "Utrecht (PV)", "C")] == ("reported", "")


def test_canonical_table_of_nested_itl_codes_gets_their_levels(capsys, tmp_path):
    """A canonical table without region_level whose regions are ITL codes of two levels (TLC
    beside its parts TLC1, TLC2): lq summed them into one benchmark (150 jobs for 110), as it
    did NUTS's UKC beside UKC1 before those got levels.  Now itl1 and itl2, each its own
    benchmark: 40 + 70 = 110 and 16 + 24 = 40."""
    src = tmp_path / "itl.csv"
    src.write_text("period,region,industry,employment\n2020,TLC,C,30\n2020,TLC,F,10\n2020,TLC1,C,12\n"
                   "2020,TLC1,F,4\n2020,TLC2,C,18\n2020,TLC2,F,6\n2020,TLD,C,40\n2020,TLD,F,30\n", encoding="utf-8")
    lq = _lq(capsys, src)
    assert lq[("2020", "TLC", "C")]["region_level"] == "itl1"
    assert float(lq[("2020", "TLC", "C")]["benchmark_total"]) == pytest.approx(110)
    assert float(lq[("2020", "TLC1", "C")]["benchmark_total"]) == pytest.approx(40)
    assert float(lq[("2020", "TLD", "C")]["lq"]) == pytest.approx((40 / 70) / (70 / 110), rel=1e-6)
