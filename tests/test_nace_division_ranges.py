"""Eurostat's NACE division ranges (C10-C12) beside their divisions (C10, C11, C12).

sbs_r_nuts06_r2 and other Eurostat regional tables publish division aggregates at level 2
beside the divisions they add up.  Summing a level's codes counted them twice: the level-2
region total of DE11 in the toy table came out 1,450 instead of 1,000, and the bounds put
C10-C12 beside C10 under C, which made C's adding-up contradictory and left a confidential
C11 unbounded (imputed 0).  Hand-computed expectations throughout.
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from clusterid.core.codes import nace_cover, overlapping_aggregates
from conftest import TEST_DATA, run_main

TOY = TEST_DATA / "eurostat" / "sbs_division_ranges_toy.tsv"


@pytest.mark.parametrize("code, divisions", [
    ("C10-C12", {"10", "11", "12"}), ("C10T12", {"10", "11", "12"}),
    ("C31_C32", {"31", "32"}), ("E37-E39", {"37", "38", "39"}), ("C10", {"10"}),
])
def test_division_codes_cover_their_divisions(code, divisions):
    assert nace_cover(code) == frozenset(("D", d) for d in divisions)


@pytest.mark.parametrize("code", ["31-33", "10", "C10.1", "C12-C10", "", "541711"])
def test_codes_that_are_not_nace_divisions_or_sections_cover_nothing(code):
    assert nace_cover(code) is None


def test_sections_and_divisions_never_overlap_each_other():
    # C (a section) and C10 (a division) are different levels: neither is left out
    assert overlapping_aggregates(["C", "C10", "C11", "B-E"]) == {"C": "part of B-E"}


def test_a_fully_split_range_goes_and_a_partly_split_one_stays():
    got = overlapping_aggregates(["C10-C12", "C10", "C11", "C12", "C13-C15", "C13", "C14", "C20"])
    assert got == {"C10-C12": "C10 + C11 + C12", "C13": "part of C13-C15",
                   "C14": "part of C13-C15"}


def _lq(tmp_path, capsys, *extra):
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(TOY), "-o", str(out), *extra], capsys)
    assert code == 0, err
    meta = json.loads((tmp_path / "lq.csv.meta.json").read_text())
    return pl.read_csv(out, infer_schema_length=0), meta


def test_level_two_region_total_counts_each_division_once(tmp_path, capsys):
    # no all-industry row: the default denominator falls back to the sum of the level's codes
    df, meta = _lq(tmp_path, capsys)
    totals = dict(df.filter(pl.col("level") == "2")
                  .select("region", pl.col("region_total").cast(pl.Float64)).unique().iter_rows())
    # DE11: C10 + C11 + C12 + C13-C15 + C20 = 200 + 60 + 40 + 150 + 550 (C13, C14 are inside
    # C13-C15, C10-C12 is C10 + C11 + C12); DE12 has a confidential C11, so its published
    # C10-C12 is summed in place of the parts: 300 + 150 + 450 = 900, its C (the parts summed
    # left it unknown, 840 a lower bound)
    assert totals == {"DE11": 1000.0, "DE12": 900.0}
    left_out = meta["lq"]["denominator"]["sum_leaves_out"]
    assert set(left_out) == {"C10-C12", "C13", "C14", "C10", "C11", "C12"}
    assert left_out["C11"] == "part of C10-C12 (C11 not published)"


def test_confidential_division_is_pinned_by_its_range(tmp_path, capsys):
    df, _ = _lq(tmp_path, capsys, "--denominator", "sum", "--suppressed", "impute")
    c11 = df.filter((pl.col("region") == "DE12") & (pl.col("industry") == "C11")).row(0, named=True)
    assert c11["status"] == "estimated"
    assert float(c11["value"]) == pytest.approx(60.0)  # C10-C12 - C10 - C12 = 300 - 200 - 40
    de12 = df.filter((pl.col("region") == "DE12") & (pl.col("level") == "2"))
    assert de12["region_total"].cast(pl.Float64).to_list() == pytest.approx([900.0] * de12.height)


def test_stats_coverage_sums_each_division_once(tmp_path, capsys):
    out = tmp_path / "stats.json"
    code, _, err = run_main(["stats", str(TOY), "-o", str(out)], capsys)
    assert code == 0, err
    rows = {r["region"]: r for r in json.loads(out.read_text())["rows"]}
    assert rows["DE11"]["detail_reported"] == 1000.0
    # C11 confidential: the disclosed C10-C12 is summed in place of its parts, 300 + 150 + 450
    # (the parts summed gave 840, C11's activity uncovered though its range is published)
    assert rows["DE12"]["detail_reported"] == 900.0


def test_a_region_listing_only_the_aggregate_keeps_it_in_its_total(tmp_path, capsys):
    # R2 lists G-I where R1 lists G, H and I: the overlap is decided per region, so R2's total
    # is 500 (B-E + F + G-I), not 200 with G-I left out (which made every LQ of R2 2.5x too high)
    p = tmp_path / "mixed.tsv"
    rows = [("B-E", "R1", 100), ("F", "R1", 50), ("G", "R1", 30), ("H", "R1", 20), ("I", "R1", 10),
            ("B-E", "R2", 100), ("F", "R2", 100), ("G-I", "R2", 300)]
    p.write_text("unit,nace_r2,geo\\time\t2016 \n"
                 + "".join(f"THS_PER,{c},{r}\t{v / 1000} \n" for c, r, v in rows))
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(p), "-o", str(out)], capsys)
    assert code == 0, err
    df = pl.read_csv(out, infer_schema_length=0)
    totals = dict(df.select("region", pl.col("region_total").cast(pl.Float64)).unique().iter_rows())
    assert totals == {"R1": pytest.approx(210.0), "R2": pytest.approx(500.0)}
    lq = {(r["region"], r["industry"]): float(r["lq"]) for r in df.iter_rows(named=True)}
    # F: (100 / 500) / (150 / 710)
    assert lq["R2", "F"] == pytest.approx((100 / 500) / (150 / 710), rel=1e-6)
