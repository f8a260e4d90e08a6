"""Leftovers of crash hunt 12 (detect, the ownership message, lone codes, chained periods): each
problem pinned by a test that failed before its fix.  Real data: Utah's QCEW sample
(``data/samples/qcew_utah_2016_counties.csv.gz``, BLS QCEW 2016, Utah's counties)."""

from __future__ import annotations

from collections import defaultdict

from conftest import SAMPLES, csv_rows, run_main, run_ok

UTAH = SAMPLES / "qcew_utah_2016_counties.csv.gz"  # BLS QCEW 2016 annual, Utah counties


def _detect(tmp_path, capsys, name, *extra):
    out = tmp_path / name
    run_ok(["detect", str(UTAH), "-o", str(out), "--definitions", "uscmp", *extra], capsys)
    return out


def _csv(path):
    return csv_rows(path.read_text(encoding="utf-8"))


def test_rows_without_a_known_lq_are_not_ranked(tmp_path, capsys):
    # With --suppressed drop a cluster whose member cells are all suppressed has no LQ; it was
    # ranked all the same, behind the known ones (782 of Utah's 1,294 rows).  A rule on
    # establishments (published where employment is not) also calls such rows strong: they were
    # then named among a cluster's top regions before regions whose LQ is known.
    out = _detect(tmp_path, capsys, "drop", "--suppressed", "drop", "--rule", "establishments>=1")
    rows = _csv(out / "regional_clusters.csv")
    unknown = [r for r in rows if r["lq"] == ""]
    assert unknown and any(r["strong"] == "true" for r in unknown)
    assert all(r["rank_in_region"] == "" and r["rank_in_cluster"] == "" for r in unknown)
    by_region, by_cluster = defaultdict(list), defaultdict(list)
    for r in rows:
        if r["lq"] != "":
            by_region[r["period"], r["region"]].append(int(r["rank_in_region"]))
            by_cluster[r["period"], r["region_level"], r["cluster_id"]].append(int(r["rank_in_cluster"]))
    for ranks in [*by_region.values(), *by_cluster.values()]:
        assert sorted(ranks) == list(range(1, len(ranks) + 1))
    # the file's order: a region's ranked rows first, its unranked ones after them
    for key in by_region:
        mine = [r["rank_in_region"] for r in rows if (r["period"], r["region"]) == key]
        assert mine == sorted(mine, key=lambda v: (v == "", int(v or 0)))
    # top_regions: ranked strong regions only, by rank_in_cluster
    main = {r["region"]: r for r in rows if r["region_level"] == "county"}
    ranked = defaultdict(list)
    for r in rows:
        if r["region_level"] == "county" and r["strong"] == "true" and r["rank_in_cluster"]:
            ranked[r["cluster_id"]].append((int(r["rank_in_cluster"]), r["region"]))
    assert main
    for s in _csv(out / "cluster_summary.csv"):
        want = [reg for _, reg in sorted(ranked[s["cluster_id"]])][:5]
        assert s["top_regions"] == "; ".join(want), s["cluster_id"]
    # the report's "where it is strongest" lists ranked regions only
    from clusterid.io.report_input import read_detect_folder
    from clusterid.report.build import build_report

    report = build_report(read_detect_folder(out))
    details = [d for c in report["clusters"] for d in c.get("top_regions_detail", [])]
    assert details and all(d.get("rank_in_cluster") is not None for d in details)
