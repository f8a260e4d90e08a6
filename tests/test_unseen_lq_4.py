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
