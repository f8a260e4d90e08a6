"""The stages after ingest on inputs other than the US QCEW sample (session 29): realistic
tables of other countries -- Kazakhstan's oblasts by OKED section in cp1251, REAT's German
tables -- run by hand as a regional statistician would.  Each test says what the user saw
before its fix.  Fixtures in tests/data/stages29/ (README there names their sources)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import csv_rows, run_main

DATA = Path(__file__).parent / "data" / "stages29"


def _lq(capsys, tmp_path, *argv) -> tuple[dict, str]:
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", *map(str, argv), "-o", str(out)], capsys)
    assert code == 0, err
    rows = csv_rows(out.read_text(encoding="utf-8"))
    return {(r["period"], r["region"], r["industry"]): r for r in rows}, err


# --------------------------------------------------------------------------- lq --benchmark FILE

def test_benchmark_national_file_as_the_office_publishes_it_cp1251(capsys, tmp_path):
    """``lq oblasts.csv -b republic.csv``, the republic's table as the Bureau of National
    Statistics publishes it (cp1251, a title line, ';', space thousands): the input itself was
    read, the benchmark refused as "not UTF-8 text (expected a reference table in UTF-8 …)",
    and saved again as UTF-8 it was a "row has 5 fields, the header has 1" for every row under
    its title.  Now it is ingested as the input is, its one region the benchmark."""
    rows, err = _lq(capsys, tmp_path, DATA / "kz_regions_oked_cp1251.csv",
                    "-b", DATA / "kz_republic_oked_cp1251.csv")
    astana_j = rows[("2022", "711000000", "J")]
    # (e_ir / e_r) / (E_i / E): Astana's 4 sections sum to 61,760, the republic's to 2,301,570
    assert float(astana_j["lq"]) == pytest.approx((31250 / 61760) / (160220 / 2301570), rel=1e-6)
    assert astana_j["benchmark_industry_total"] == "160220.0"
    assert astana_j["benchmark_total"] == "2301570.0"
    assert len(rows) == 16 and not any(r["lq_reason"] for r in rows.values()), err


def test_benchmark_national_file_saved_as_utf8_under_its_title(capsys, tmp_path):
    """The same republic file converted with iconv, as the old message advised: its title
    line made every row "row has 5 fields, the header has 1" (exit 1)."""
    utf8 = tmp_path / "republic.csv"
    utf8.write_bytes((DATA / "kz_republic_oked_cp1251.csv").read_bytes()
                     .decode("cp1251").encode("utf-8"))
    rows, _ = _lq(capsys, tmp_path, DATA / "kz_regions_oked_cp1251.csv", "-b", utf8)
    assert rows[("2022", "111000000", "A")]["benchmark_industry_total"] == "712400.0"


def test_benchmark_reat_federal_republic_column(capsys, tmp_path):
    """REAT's Göttingen table cut in two, the city and the Federal Republic (wide, years as
    ``BRD2008``): the BRD file as benchmark was "not a reference table (expected an 'industry'
    column, found 'columns WZ2008_Code, …')".  Now the same LQs as ``-b region:BRD`` on the
    table kept whole (REAT's own comparison)."""
    rows, _ = _lq(capsys, tmp_path, DATA / "reat_goettingen_city.csv", "-b", DATA / "reat_brd.csv")
    a = rows[("2017", "Goettingen", "A")]
    assert float(a["lq"]) == pytest.approx((45 / 69403) / (248052 / 32164973), rel=1e-6)
    assert rows[("2008", "Goettingen", "C")]["benchmark_industry_total"] == "6528569.0"


def test_benchmark_raw_national_file_with_a_bad_cell_names_it(capsys, tmp_path):
    """A raw national file with a cell that is no number: the error is the cell's (its line in
    the file), not the plain reference reading's "not UTF-8 text"."""
    text = (DATA / "kz_republic_oked_cp1251.csv").read_bytes().decode("cp1251")
    bad = tmp_path / "republic.csv"
    bad.write_bytes(text.replace("441 300", "44l 300").encode("cp1251"))
    code, _, err = run_main(["lq", str(DATA / "kz_regions_oked_cp1251.csv"), "-b", str(bad),
                             "-o", str(tmp_path / "lq.csv")], capsys)
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid:")]
    assert code == 1 and len(lines) == 1, err
    assert "republic.csv:5:" in lines[0] and "44l 300" in lines[0], lines[0]
    assert not (tmp_path / "lq.csv").exists()


def test_benchmark_file_of_neither_kind_keeps_its_message(capsys, tmp_path):
    """A file that is no reference table and no table ingest reads says what it said."""
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run_main(["lq", str(DATA / "reat_goettingen_city.csv"), "-b", str(odd),
                             "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 1 and "odd.csv: not a reference table" in err, err


# --------------------------------------------------------------------------- lq --denominator total

def test_divisions_of_one_section_take_the_region_total_not_the_sections(capsys, tmp_path):
    """A table of NACE sections with manufacturing also by division (C10, C29), no all-industry
    row: the divisions' region total was the sum of the divisions (the region's manufacturing),
    the benchmark's likewise, so each division's LQ was its LQ within manufacturing -- divided
    by the region's LQ of section C --, said nowhere.  Now the region's total is its sections'
    sum at every level, as the detect tables have it; the sections' LQs are unchanged."""
    rows, _ = _lq(capsys, tmp_path, DATA / "oked_sections_divisions.csv")
    north_c29 = rows[("2022", "N", "C29")]
    # region N: sections 100 + 900 = 1,000; all regions: 1,000 + 500 + 1,500 = 3,000
    assert north_c29["region_total"] == "1000.0" and north_c29["benchmark_total"] == "3000.0"
    assert float(north_c29["lq"]) == pytest.approx((300 / 1000) / (400 / 3000), rel=1e-6)
    assert float(rows[("2022", "S", "C10")]["lq"]) == pytest.approx(
        (50 / 500) / (550 / 3000), rel=1e-6)
    # the sections were right before and stay as they were
    assert float(rows[("2022", "N", "C")]["lq"]) == pytest.approx((900 / 1000) / (2100 / 3000),
                                                                  rel=1e-6)


def test_divisions_listed_instead_of_their_section_count_in_every_total(capsys, tmp_path):
    """Sections A and F with manufacturing listed by division only (no row for C), no
    all-industry row: the sections' region total left manufacturing out (North: 300 of 1,100)
    and the divisions' was manufacturing alone (800), so every LQ was against a part of the
    region, said nowhere.  Now both levels take the sum of the region's root codes, those
    with no listed code above them (A, C10, C29, F: 1,100), as detect's region totals do."""
    rows, _ = _lq(capsys, tmp_path, DATA / "oked_divisions_without_section.csv")
    total = 1100 + 490 + 570
    for industry in ("A", "C10"):
        row = rows[("2022", "N", industry)]
        assert row["region_total"] == "1100.0" and row["benchmark_total"] == f"{total}.0", row
    assert float(rows[("2022", "N", "A")]["lq"]) == pytest.approx((100 / 1100) / (800 / total),
                                                                  rel=1e-6)
    assert float(rows[("2022", "W", "C29")]["lq"]) == pytest.approx((60 / 570) / (400 / total),
                                                                    rel=1e-6)
