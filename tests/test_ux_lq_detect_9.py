"""Small user-facing gaps of lq and detect a new-user walkthrough found: lq saying which
ownerships its output holds, --ownership/--region-level in another case, and detect's
drop-mode employment beside its bounds."""

from __future__ import annotations

from pathlib import Path

from conftest import run_main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz")
TOY = str(ROOT / "tests" / "data" / "lq" / "toy_canonical.csv")


# ------------------------------------------- 1. lq says which ownerships its output holds


def test_lq_says_the_ownerships_and_levels_of_a_raw_file(tmp_path, capsys):
    code, _, err = run_main(["lq", SAMPLE, "--measure", "employment",
                             "-o", str(tmp_path / "lq.parquet")], capsys)
    assert code == 0, err
    assert ("ownership(s) ['private', 'total'] in the output ('private' has industries at "
            "levels [2, 3, 4, 5, 6]; 'total' has only all-industry totals;") in err
    assert "choose with --ownership and --level)" in err


def test_lq_says_nothing_when_the_ownership_is_obvious(tmp_path, capsys):
    code, _, err = run_main(["lq", TOY, "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    assert "ownership(s)" not in err  # one ownership of a canonical table
    code, _, err = run_main(["lq", SAMPLE, "--measure", "employment", "--ownership", "private",
                             "-o", str(tmp_path / "lq2.parquet")], capsys)
    assert code == 0, err
    assert "ownership(s)" not in err  # chosen by the user
