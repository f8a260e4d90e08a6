"""A cluster's employment_upper with members under one parent (session 32): each withheld
member's upper bound alone is the parent less its published siblings, and summed separately
two divisions of one section held up to twice what the section leaves them.

Input: tests/data/stages32/two_divisions_withheld.csv (R1: C = 5,000, C20 = 1,000, C10 and
C11 withheld; G = 3,000, G46 = 1,200), definitions C10 + C11 / C20 / G46."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from conftest import run_main

TESTS = Path(__file__).resolve().parent
TABLE = TESTS / "data" / "stages32" / "two_divisions_withheld.csv"
DEFS = TESTS / "data" / "e2e31" / "definitions_sections_detailed.csv"


def test_two_withheld_divisions_hold_at_most_what_their_section_leaves(tmp_path, capsys):
    """C10 <= 4,000 and C11 <= 4,000 each, but C10 + C11 <= 5,000 - 1,000 = 4,000 (it was
    8,000: the cluster the whole of R1's 8,000 jobs).  lq_max follows: R1's share 4,000 /
    8,000 against a benchmark of (4,000 + 2,300 + 1,000) / 19,500 = 1.33562 (was 1.72566)."""
    out = tmp_path / "det"
    code, _o, err = run_main(["detect", str(TABLE), "-o", str(out), "--definitions", str(DEFS),
                              "--suppressed", "bounds"], capsys)
    assert code == 0, err
    rc = pl.read_csv(out / "regional_clusters.csv").filter(pl.col("region") == "R1")
    row = {r["cluster_id"]: r for r in rc.iter_rows(named=True)}
    assert row[1]["employment_lower"] == 0.0
    assert row[1]["employment_upper"] == 4000.0
    assert row[1]["lq_max"] == pytest.approx(0.5 / (7300 / 19500), rel=1e-6)
    # published clusters unchanged
    assert (row[2]["employment_upper"], row[3]["employment_upper"]) == (1000.0, 1200.0)


def test_members_under_a_lone_section_hold_at_most_the_section(tmp_path, capsys):
    """tests/data/e2e31/section_alone_in_one_region.csv: R4 lists C = 5,000 alone; its C10
    and C11 (cluster 1) were at most 5,000 each, 10,000 together; now 5,000."""
    out = tmp_path / "det"
    code, _o, err = run_main(["detect", str(TESTS / "data" / "e2e31" /
                                            "section_alone_in_one_region.csv"),
                              "-o", str(out), "--definitions", str(DEFS)], capsys)
    assert code == 0, err
    rc = pl.read_csv(out / "regional_clusters.csv").filter(pl.col("region") == "R4")
    upper = dict(zip(rc["cluster_id"], rc["employment_upper"]))
    assert upper == {1: 5000.0, 2: 5000.0, 3: 3000.0}
