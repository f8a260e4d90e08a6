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
    fall below 1 and no strong call be robust (detect gave lq_min = lq_max
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
    assert not any(rc["strong_robust"].to_list())


def test_region_listing_only_the_section_keeps_its_clusters(tmp_path, capsys):
    """R4 gives manufacturing and trade as sections C and G only, the others detail them into
    divisions: R4's divisions are unknown, not absent.  detect left R4 out of every cluster
    table without a word (its 8,000 jobs counted in its total only); now its divisions are
    suppressed cells bounded by their section, said on stderr, so R4 is in every cluster's
    rows with bounds from C and G, and its call is undecided, not missing."""
    out = tmp_path / "det"
    code, _o, err = run_main(["detect", str(DATA / "section_alone_in_one_region.csv"),
                              "-o", str(out), "--definitions",
                              str(DATA / "definitions_sections_detailed.csv")], capsys)
    assert code == 0, err
    assert ("4 cells of level-2 codes that a region lists only through their parent "
            "(region R4 2022: C without C10, C11, C20) are read as suppressed") in err
    rc = pl.read_csv(out / "regional_clusters.csv").filter(pl.col("region") == "R4")
    assert sorted(rc["cluster_id"].to_list()) == [1, 2, 3]
    upper = dict(zip(rc["cluster_id"], rc["employment_upper"]))
    assert upper[2] == 5000 and upper[3] == 3000
    assert rc["employment_status"].to_list() == ["suppressed"] * 3
    assert rc["strong"].null_count() == 3
    code, _o, err = run_main(["report", str(out), "-o", str(tmp_path / "r.md")], capsys)
    assert code == 0, err
    assert "C without C10, C11, C20) are read as suppressed" in (tmp_path / "r.md").read_text(
        encoding="utf-8")


def test_word_in_first_data_row_is_an_error_not_a_heading_row(tmp_path, capsys):
    """'R1,C10,2022,abc' right under the header: its year says it is data, so the word is a
    broken figure on line 2 (exit 1, nothing written); it was dropped as "1 label row under
    the header (a second heading row)", exit 0, R1's C10 lost."""
    out = tmp_path / "t.csv"
    code, _o, err = run_main(["ingest", str(DATA / "word_in_first_data_row.csv"), "-o", str(out)],
                             capsys)
    assert code == 1, err
    assert "word_in_first_data_row.csv:2: column 'employment': not a number" in err
    assert "found 'abc'" in err
    assert not out.exists()
