"""Small user-facing defects a new-user walkthrough found: what the commands say on stderr
when they choose for the user, period names in another case, typos in a region id, Word and
PowerPoint files given as tables, and message spelling."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz")


# ------------------------------------------------ 1. shift-share says what it chose and why


def test_shift_share_by_region_says_ownership_level_and_left_out_cells(tmp_path, capsys):
    out = tmp_path / "ss.csv"
    code, _, err = run_main(["shift-share", SAMPLE, "--from", "2016Q1", "--to", "2016Q4",
                             "--by", "region", "-o", str(out)], capsys)
    assert code == 0, err
    # the sample's 'total' ownership holds only the all-industry totals: private was the only
    # choice at level 6, said with how to choose otherwise
    assert "industry level 6 (deepest of [2, 3, 4, 5, 6]; choose with --level)" in err
    assert ("ownership 'private' (the only one with industries at level 6; 'total' has only "
            "all-industry totals; choose with --ownership and --level)") in err
    # most 6-digit cells are suppressed: the region sums leave them out, and that is said
    assert "6095 of 8309 cells are suppressed in a period and left out" in err
    assert "a coarser --level leaves fewer out" in err


def test_indices_says_the_ownership_too(tmp_path, capsys):
    code, _, err = run_main(["indices", SAMPLE, "--level", "2", "--period", "2016Q1",
                             "-o", str(tmp_path / "ix.csv")], capsys)
    assert code == 0, err
    assert "ownership 'private' (the only one with industries at level 2;" in err
    assert "industry level" not in err  # chosen by the user: nothing to say
