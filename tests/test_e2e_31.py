"""End-to-end use on inputs clusterid had not seen (session 31): raw table -> detect -> report.

Inputs: tests/data/e2e31/ (hand-made, see its README)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from conftest import run_main

DATA = Path(__file__).resolve().parent / "data" / "e2e31"


def test_lower_bound_totals_make_lq_range_open_and_calls_fragile(tmp_path, capsys):
    """No region publishes its total and C20 is withheld everywhere: each region's total is
    the sum of its published cells, so the other cluster is 100% of every region and its LQ
    1.0 everywhere.  The withheld cells could be anything, so that LQ is no fact: lq_min must
    fall below 1, lq_max stay open and no strong call be robust (detect gave lq_min = lq_max
    = 1.0 and called three regions strong and robust)."""
    out = tmp_path / "det"
    code, _o, err = run_main(["detect", str(DATA / "one_industry_withheld_everywhere.csv"),
                              "-o", str(out), "--definitions",
                              str(DATA / "definitions_two_clusters.csv")], capsys)
    assert code == 0, err
    rc = pl.read_csv(out / "regional_clusters.csv").filter(pl.col("cluster_id") == 1)
    assert rc.height == 4
    assert rc["lq"].to_list() == [1.0] * 4
    # R1: 3201 of the cluster's 14,968 jobs; the region's withheld C20 unbounded above
    lq_min = dict(zip(rc["region"], rc["lq_min"]))
    assert abs(lq_min["R1"] - 3201 / 14968) < 1e-6
    assert all(v < 1 for v in lq_min.values())
    assert rc["lq_max"].null_count() == 4
    assert not any(rc["strong_robust"].to_list())
