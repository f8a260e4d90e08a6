"""Cluster LQ ranges under suppression: every bounded cell free at once (the cluster's cells in
the other regions make its benchmark sum), checked by hand, on a CBP county file made from
Utah's QCEW with cells withheld, and the wage status of clusters whose wages are all
suppressed."""

from __future__ import annotations

import csv
import gzip
import random
from pathlib import Path

import polars as pl
import pytest

from clusterid.core import definitions as cdefs
from clusterid.core import strength
from clusterid.io.canonical import to_canonical
from conftest import run_main
from test_unseen_layouts_9 import CBP_2007_2016_HEADER

UTAH = Path(__file__).resolve().parents[1] / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"


def _row(region, industry, emp, lo=None, hi=None, wages=None, wages_status=None):
    return dict(period="2016", region=region, industry=industry, region_level="county",
                employment=emp, employment_status="reported" if emp is not None else "suppressed",
                employment_lower=lo, employment_upper=hi, wages=wages,
                wages_status=wages_status or ("reported" if wages is not None else "suppressed"))


def _toy():
    # Two regions of 1,000 jobs; cluster K = {111, 112}, of no type (denominator: the region's
    # published total).  B's 112 is withheld with bounds [20, 99]; everything else published.
    rows = [_row("A", "10", 1000.0, wages=5e7), _row("A", "111", 100.0, wages=5e6),
            _row("A", "112", 50.0, wages=2e6),
            _row("B", "10", 1000.0, wages=4e7), _row("B", "111", 30.0, wages=1e6),
            _row("B", "112", None, 20.0, 99.0)]
    frame = to_canonical(pl.DataFrame(rows).lazy()).collect()
    return frame, cdefs.build("t", {"111": "K", "112": "K"})


def test_lq_range_by_hand_moves_the_benchmark_with_the_withheld_cell():
    frame, defs = _toy()
    df = strength.regional_strength(frame, defs, suppressed="bounds", denominator="total",
                                    rule="lq>=1.25").regional
    got = {r["region"]: r for r in df.iter_rows(named=True)}
    # --suppressed bounds counts B/112 at its midpoint, 59.5: E_c = 100 + 50 + 30 + 59.5 = 239.5
    a, b = got["A"], got["B"]
    assert a["lq"] == pytest.approx(0.15 / (239.5 / 2000))  # 1.2526
    # A publishes every cell, yet its LQ is not known: E_c holds B/112, 20..99.
    #   lowest:  B/112 = 99 -> E_c = 279 -> 0.15 / 0.1395 = 1.0753
    #   highest: B/112 = 20 -> E_c = 200 -> 0.15 / 0.1    = 1.5
    # (held at the estimate, the range was [1.2526, 1.2526] and the call 'robust')
    assert a["lq_min"] == pytest.approx(0.15 / (279 / 2000))
    assert a["lq_max"] == pytest.approx(1.5)
    assert a["strong"] and not a["strong_robust"]  # 1.2526 >= 1.25, but 1.0753 is allowed
    # B: its cluster employment 50..129, A's published 150 beside it
    #   lowest:  50 / 1000 / (200 / 2000) = 0.5;  highest: 129 / 1000 / (279 / 2000) = 0.9247
    assert b["lq"] == pytest.approx(0.0895 / (239.5 / 2000))
    assert b["lq_min"] == pytest.approx(0.5)
    assert b["lq_max"] == pytest.approx(0.129 / (279 / 2000))


def test_an_upper_limit_of_a_user_rule_is_robust_only_at_lq_max():
    frame, defs = _toy()
    df = strength.regional_strength(frame, defs, suppressed="bounds", denominator="total",
                                    rule="lq<0.9").regional
    b = df.filter(pl.col("region") == "B").row(0, named=True)
    # B's LQ 0.747 < 0.9, but 0.9247 is allowed: not robust (it was, read from lq_min 0.5)
    assert b["strong"] and not b["strong_robust"]
    df = strength.regional_strength(frame, defs, suppressed="bounds", denominator="total",
                                    rule="lq<0.95").regional
    b = df.filter(pl.col("region") == "B").row(0, named=True)
    assert b["strong"] and b["strong_robust"]


def test_wages_all_suppressed_say_suppressed_under_bounds():
    frame, defs = _toy()
    # B's two cluster cells: 111 published with its wages, 112 withheld with its wages
    df = strength.regional_strength(frame, defs, suppressed="bounds", denominator="total").regional
    got = {r["region"]: r for r in df.iter_rows(named=True)}
    assert got["A"]["wages_status"] == "reported" and got["A"]["wages"] == 7e6
    assert got["B"]["wages_status"] == "partial" and got["B"]["wages"] == 1e6
    # every member cell's wages withheld (111's too): suppressed, wages empty, while employment
    # holds the cells at points inside their bounds (partial)
    sup = frame.with_columns(
        pl.when((pl.col("region") == "B") & (pl.col("industry") == "111")).then(None)
        .otherwise(pl.col("wages")).alias("wages"),
        pl.when((pl.col("region") == "B") & (pl.col("industry") == "111"))
        .then(pl.lit("suppressed")).otherwise(pl.col("wages_status")).alias("wages_status"))
    df = strength.regional_strength(sup, defs, suppressed="bounds", denominator="total").regional
    b = df.filter(pl.col("region") == "B").row(0, named=True)
    assert b["wages_status"] == "suppressed" and b["wages"] is None
    assert b["employment_status"] == "partial" and b["employment"] == pytest.approx(89.5)


# ------------------------------------------------------------------ a CBP file with cells withheld
SIZE_FLAGS = [("A", 19), ("B", 99), ("C", 249), ("E", 499), ("F", 999), ("G", 2499),
              ("H", 4999), ("I", 9999), ("J", 24999), ("K", 49999), ("L", 99999), ("M", None)]


def _withheld_cbp(path, share=0.3, seed=0):
    """A CBP county file (2007-2016 layout) from the Utah QCEW sample: the disclosed private
    6-digit cells of 2016 Q1 (March employment), each county's all-industries row their sum (a
    complete partition, as CBP's), ``share`` of the cells withheld with their size flag.
    Returns the true employment per (county, industry)."""
    rng = random.Random(seed)
    cells = {}
    with gzip.open(UTAH, "rt", newline="") as fh:
        for r in csv.DictReader(fh):
            if (r["qtr"] == "1" and r["own_code"] == "5" and r["agglvl_code"] == "78"
                    and r["disclosure_code"] == "" and r["area_fips"] != "49999"):
                cells[r["area_fips"], r["industry_code"]] = (int(r["month3_emplvl"]),
                                                             int(r["qtrly_estabs_count"]))
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
        w.writerow(CBP_2007_2016_HEADER)
        for area in sorted({a for a, _ in cells}):
            own = sorted((i, v) for (a, i), v in cells.items() if a == area)
            st, cty = area[:2], area[2:]
            tot, est = sum(e for _, (e, _) in own), sum(n for _, (_, n) in own)
            w.writerow([st, cty, "------", "", "G", tot, "G", tot * 9, "G", tot * 36, est]
                       + [0] * 13 + [st, cty])
            for ind, (emp, n) in own:
                if rng.random() < share:
                    flag = next(f for f, hi in SIZE_FLAGS if hi is None or emp <= hi)
                    w.writerow([st, cty, ind, flag, "", 0, "", 0, "", 0, n] + [0] * 13 + [st, cty])
                else:
                    w.writerow([st, cty, ind, "", "G", emp, "G", emp * 9, "G", emp * 36, n]
                               + [0] * 13 + [st, cty])
    return {k: v[0] for k, v in cells.items()}


@pytest.mark.parametrize("suppressed,denominator", [("bounds", "auto"), ("bounds", "total"),
                                                    ("drop", "auto")])
def test_every_true_cluster_lq_of_a_withheld_cbp_file_lies_in_its_range(
        tmp_path, capsys, suppressed, denominator):
    # Before: 25 of 494 true cluster LQs outside [lq_min, lq_max] with bounds (typed, as auto
    # chose), 215 with bounds --lq-denominator total, 314 with drop (total, as auto chose)
    truth = _withheld_cbp(tmp_path / "cbp16co.txt")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(tmp_path / "cbp16co.txt"), "-o", str(out),
                             "--definitions", "uscmp", "--suppressed", suppressed,
                             "--lq-denominator", denominator], capsys)
    assert code == 0, err
    reg = pl.read_csv(out / "regional_clusters.csv", infer_schema_length=0)
    clusters = pl.read_csv(out / "clusters.csv", infer_schema_length=0)
    cluster_of = dict(zip(clusters["industry"], clusters["cluster_id"]))
    x: dict = {}
    for (area, ind), v in truth.items():
        if ind in cluster_of:
            x[area, cluster_of[ind]] = x.get((area, cluster_of[ind]), 0) + v
    rows = list(reg.iter_rows(named=True))
    assert len({r["region"] for r in rows}) == 27  # two counties disclose no 6-digit cell
    # the true LQ with the denominator the row states, from the true cells
    D: dict = {}
    for r in rows:
        key = r["region"], r["lq_denominator"]
        if r["lq_denominator"] == "total":
            D[key] = float(r["region_employment"])  # published (the sum of the true cells)
        else:
            D[key] = D.get(key, 0) + x.get((r["region"], r["cluster_id"]), 0)
    ED: dict = {}
    for (_, kind), v in D.items():
        ED[kind] = ED.get(kind, 0) + v
    EC: dict = {}
    for r in rows:
        EC[r["cluster_id"]] = EC.get(r["cluster_id"], 0) + x.get((r["region"], r["cluster_id"]), 0)
    outside, withheld = [], 0
    for r in rows:
        kind, c = r["lq_denominator"], r["cluster_id"]
        true = (x.get((r["region"], c), 0) / D[r["region"], kind]) / (EC[c] / ED[kind])
        lo = float(r["lq_min"])
        hi = float(r["lq_max"]) if r["lq_max"] else float("inf")
        # the CSV writes ratios at single precision (about 7 digits)
        if not lo * (1 - 2e-6) - 1e-9 <= true <= hi * (1 + 2e-6) + 1e-9:
            outside.append((r["region"], c, kind, true, lo, hi))
        withheld += r["employment_status"] != "reported"
    assert len(rows) == 494 and withheld > 200
    assert outside == []


def test_typed_lq_max_takes_the_peak_inside_the_cells_bounds():
    # Against traded employment a cluster's LQ x (x + o + O + R) / ((x + o) (x + O)) rises and
    # then falls in its own employment x (o: the region's other traded clusters, O: the
    # cluster elsewhere, R: the other traded clusters elsewhere).  A's K withheld, 0..5,000,
    # beside 100 jobs in L; B: K 10,000 and L 1,000,000.  The peak, near x = 1,006, is above
    # both ends (0 and 5,000); the lowest LQ is at x = 0.
    rows = [_row("A", "10", 2e4), _row("A", "111", None, 0.0, 5000.0), _row("A", "221", 100.0),
            _row("B", "10", 2e6), _row("B", "111", 10000.0), _row("B", "221", 1e6)]
    frame = to_canonical(pl.DataFrame(rows).lazy()).collect()
    defs = cdefs.build("t", {"111": "K", "221": "L"}, cluster_types={"K": "traded", "L": "traded"})
    df = strength.regional_strength(frame, defs, suppressed="bounds", denominator="typed").regional
    a = df.filter((pl.col("region") == "A") & (pl.col("cluster_id") == "K")).row(0, named=True)
    assert a["lq_denominator"] == "traded"

    def lq(x):
        return x * (x + 100 + 10000 + 1e6) / ((x + 100) * (x + 10000))

    grid = [5000.0 * i / 200000 for i in range(200001)]
    assert max(lq(0.0), lq(5000.0)) < max(map(lq, grid)) * (1 - 0.05)
    assert a["lq_max"] == pytest.approx(max(map(lq, grid)), rel=1e-8)
    assert a["lq_min"] == 0.0
    assert a["lq"] == pytest.approx(lq(2500.0))
