"""``clusterid lq`` on inputs the project was not tuned on, as a regional statistician brings
them: a state beside its counties in one canonical table, QCEW files with --month and
--denominator all-ownership, a one-state cut of the QCEW states file as --benchmark FILE.
Every figure is checked against a plain recomputation in this file (LQ = (e_ij/e_j)/(E_i/E),
METHODS.md §1) or against BLS's published lq_* columns, never against the tool's own output.
"""

from __future__ import annotations

import csv
import io

from conftest import TEST_DATA, run_main

DATA = TEST_DATA / "unseen4"
MIXED = DATA / "state_and_counties_toy.csv"


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _ok(argv, capsys):
    code, out, err = run_main(argv, capsys)
    assert code == 0, err
    return out, err


# ------------------------------------------------------------------ bootstrap per region level

def test_bootstrap_critical_values_are_per_region_level(capsys):
    """A state and its two counties in one table: log_slq is standardised per region level
    (the state alone has none), so the bootstrap must resample per level too.  Two counties
    are too few for a bootstrap (n < 3): no critical value; the state alone: none either.
    Pooled with the state (n = 3) every row got 1.1547."""
    out, _ = _ok(["lq", str(MIXED), "-o", "-", "--level", "2", "--bootstrap", "200"], capsys)
    rows = _rows(out)
    assert len(rows) == 9
    county = [r for r in rows if r["region"] != "S"]
    assert all(r["log_slq"] != "" for r in county)  # standardised among the two counties
    assert all(r["log_slq"] == "" for r in rows if r["region"] == "S")
    assert [r["log_slq_critical"] for r in rows] == [""] * 9
    assert [r["slq_significant"] for r in rows] == [""] * 9


# ------------------------------------------------------------------ nothing left to compute

ONE = DATA / "one_county_two_ownerships.csv"


def _refused(argv, capsys, *words):
    code, out, err = run_main(argv, capsys)
    assert code == 2, (code, out, err)
    assert out == ""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err


def test_level_and_ownership_that_never_meet_are_refused(capsys):
    """QCEW's total-ownership rows exist only at level 0 and the 2-digit rows only for private:
    each option alone is in the input, together they select nothing.  That was a header-only
    table with exit 0, which looks like an answer."""
    _refused(["lq", str(ONE), "-o", "-", "--level", "2", "--ownership", "total"], capsys,
             "level 2", "total")
    out, _ = _ok(["lq", str(ONE), "-o", "-", "--level", "2", "--ownership", "private"], capsys)
    assert len(_rows(out)) == 2


def test_benchmark_region_that_is_the_whole_input_is_refused(capsys):
    """-b region:ID leaves the benchmark region's own rows out; when it is the only region
    (one county file given with its own FIPS code) nothing is left: exit 2, not 0 rows."""
    _refused(["lq", str(ONE), "-o", "-", "-b", "region:49009"], capsys, "49009")


def test_negative_random_state_is_a_usage_error(capsys):
    """--random-state -1 with --bootstrap was 'internal error: ValueError: expected
    non-negative integer' (numpy's seed rule); a usage message now."""
    _refused(["lq", str(MIXED), "-o", "-", "--bootstrap", "10", "--random-state", "-1"], capsys,
             "--random-state")
