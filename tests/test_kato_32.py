"""KATO's nine digits under a plain ``region`` heading, lq's note on regions outside a
benchmark of a length-named level, and StatCan's union industries in validation's parent
check (session 32).  Each test says what the user met before its fix.  Fixtures in
tests/data/kato32/ (README there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import csv_rows, run_main

DATA = Path(__file__).parent / "data" / "kato32"


def _lq(capsys, tmp_path, src, *extra):
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(src), "-o", str(out), *extra], capsys)
    assert code == 0, err
    return {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}, err


# --------------------------------------------------------------------------- KATO, nine digits

def test_kato_oblast_beside_its_districts_nine_digits(capsys, tmp_path):
    """Oblast 110000000 beside its districts 113200000, 113400000 (and 150000000 beside
    153200000, 153400000), all nine digits under ``region``: no code begins another, so no
    levels and lq summed each oblast with its own districts -- benchmark_total 1,200 + 400 +
    600 + 2,000 + 1,500 + 500 = 6,200, C 300 + 100 + 200 + 300 + 250 + 50 = 1,200.  Now
    KATO's levels (trailing zeros the higher unit, figures bounding): the districts'
    benchmark 400 + 600 + 1,500 + 500 = 3,000, C 100 + 200 + 250 + 50 = 600; the oblasts'
    1,200 + 2,000 = 3,200, C 600; the republic a level of its own."""
    got, _ = _lq(capsys, tmp_path, DATA / "kz_kato_region_heading.csv")
    district, oblast = got[("113200000", "C")], got[("110000000", "C")]
    assert district["region_level"] == "district" and oblast["region_level"] == "oblast"
    assert got[("000000000", "C")]["region_level"] == "nation"
    assert district["benchmark_total"] == "3000.0" and district["benchmark_industry_total"] == "600.0"
    assert float(district["lq"]) == pytest.approx((100 / 400) / (600 / 3000))
    assert oblast["benchmark_total"] == "3200.0" and oblast["benchmark_industry_total"] == "600.0"
    assert float(oblast["lq"]) == pytest.approx((300 / 1200) / (600 / 3200))


def test_kato_canonical_table_without_region_level(capsys, tmp_path):
    """The same regions in a canonical table without region_level: levelled as ingest levels
    them (before: one level, benchmark 6,200)."""
    rows = [line.split(",") for line in
            (DATA / "kz_kato_region_heading.csv").read_text(encoding="utf-8").splitlines()[1:]]
    src = tmp_path / "t.csv"
    src.write_text("period,region,ownership,industry,level,employment,employment_status\n"
                   + "".join(f"{y},{r},total,{i},{0 if i == '10' else 1},{v},reported\n"
                             for r, i, y, v in rows), encoding="utf-8")
    got, _ = _lq(capsys, tmp_path, src)
    assert got[("153400000", "C")]["region_level"] == "district"
    assert got[("153400000", "C")]["benchmark_total"] == "3000.0"


def test_impute_bounds_a_kato_district_by_its_nine_digit_oblast(capsys, tmp_path):
    """113200000's C withheld: unlevelled before, bounded by its own total alone [0, 400];
    with levels but no district -> oblast link for nine-digit oblasts (the link took the
    district's first two digits, 11, an oblast code no such table has), by the republic:
    600 - (200 + 250 + 50) = 100.  Now by its oblast: 250 - 200 = 50."""
    code, out, err = run_main(["impute", str(DATA / "kz_kato_district_withheld.csv"), "-o", "-"],
                              capsys)
    assert code == 0, err
    cell = {(r["region"], r["industry"]): r for r in csv_rows(out)}[("113200000", "C")]
    assert (cell["employment_lower"], cell["employment_upper"]) == ("0.0", "50.0"), cell


def test_nine_digit_numbers_below_their_parts_stay_one_level(capsys, tmp_path):
    """110000000 far below the sum of 113200000 and 113400000: numbers, not an oblast and its
    districts -- one level, as before (benchmark 100 + 400 + 600)."""
    got, _ = _lq(capsys, tmp_path, DATA / "nine_digit_numbers_by_chance.csv")
    assert not got[("110000000", "C")].get("region_level")
    assert got[("113200000", "C")]["benchmark_total"] == "1100.0"


# --------------------------------------------------------------------------- lq's outside note

def test_outside_benchmark_note_on_length_named_levels(capsys, tmp_path):
    """Against ``-b region:12`` (2-digit), 34001 (5-digit) is no part of 12: nothing said
    before, its LQ compared with an economy it is no part of.  Now named on stderr."""
    got, err = _lq(capsys, tmp_path, DATA / "digit_levels_two_parents.csv", "-b", "region:12")
    assert got[("34001", "C")]["region_level"] == "5-digit"
    assert ("the benchmark region 12 (2-digit) does not hold 1 region of a finer level in the "
            "table, whose codes do not start with its own (34001)") in err, err
    assert "12001" not in err and "12002" not in err


def test_outside_benchmark_note_function_digit_levels():
    """The shared note (lq, indices, shift-share) on levels named by length: 5-digit codes the
    2-digit benchmark begins are inside; a 2-digit peer is no finer level."""
    from clusterid.core.lq import outside_benchmark_note

    regions = [("12", "2-digit"), ("34", "2-digit"), ("12001", "5-digit"), ("34001", "5-digit"),
               ("12001", "5-digit")]
    note = outside_benchmark_note("12", "2-digit", regions)
    assert note is not None and "(34001)" in note and "34," not in note
    assert outside_benchmark_note("12", "2-digit", regions[:3]) is None


# --------------------------------------------------------------------------- StatCan's unions

_STATCAN = ('"Geography","North American Industry Classification System (NAICS)","REF_DATE","VALUE"\n'
            '"Ontario","All industries","2021","1500"\n'
            '"Ontario","Construction [23]","2021","600"\n'
            '"Ontario","Wholesale trade [41]","2021","{wholesale}"\n'
            '"Ontario","Retail trade [44-45]","2021","800"\n'
            '"Ontario","Wholesale and retail trade [41, 44-45]","2021","1100"\n'
            '"Quebec","Construction [23]","2021","300"\n'
            '"Quebec","Wholesale trade [41]","2021","300"\n'
            '"Quebec","Retail trade [44-45]","2021","400"\n'
            '"Quebec","Wholesale and retail trade [41, 44-45]","2021","600"\n')


def test_union_larger_part_is_refused(capsys, tmp_path):
    """Ontario's wholesale (41) 1,200 above its union with retail, 41+44-45 (1,100): ingested
    silently before (the union compared with no part).  Now the parent check's problem."""
    src = tmp_path / "statcan.csv"
    src.write_text(_STATCAN.format(wholesale=1200), encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "c.csv")], capsys)
    assert code == 1, err
    assert "expected <= 1100 (industry 41+44-45), found '1200 (industry 41)'" in err, err


def test_union_below_its_parts_is_warned_and_the_total_still_sums_them(capsys, tmp_path):
    """Quebec's 41 + 44-45 = 300 + 400 = 700 above their union's 600: unsaid before, now the
    parent check's warning.  Ontario's all industries (1,500) is still compared with 23 + 41 +
    44-45 = 600 + 300 + 800 = 1,700, now as 23 + the union, 600 + 1,100 (two direct children,
    not three): warned as before.  The join-based check (a key twice) says the same."""
    import polars as pl

    from clusterid.core import codes

    src, out = tmp_path / "statcan.csv", tmp_path / "c.csv"
    src.write_text(_STATCAN.format(wholesale=300), encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    assert "Quebec 2021 41+44-45: 2 children sum to 700 > 600" in err, err
    assert "Ontario 2021 10: 2 children sum to 1700 > 1500" in err, err
    df = pl.read_csv(out, infer_schema=False).with_columns(
        pl.col("employment").cast(pl.Float64), pl.col("level").cast(pl.Int8))
    sums: list = []
    codes.children_exceeding_parent(df, ["employment"], sums=sums)
    said = {(s["parent"], s["children_sum"], s["parent_value"], s["children"]) for s in sums}
    assert said == {("41+44-45", 700.0, 600.0, 2), ("10", 1700.0, 1500.0, 2)}, sums
