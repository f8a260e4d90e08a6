"""The employment split of a hidden sibling pair moved by the pair's wages (impute.wage_pair_prior).

QCEW hides a cell's wages with its jobs; under a published parent with two unknown children the
parent's jobs and wages minus the published siblings' fix the pair's sums of both, and the pair's
average wage tells how the jobs split where the two codes pay differently.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from clusterid import schema as S
from clusterid.core import impute as I
from clusterid.io.canonical import to_canonical

RATE = {"236": 8_000.0, "237": 10_000.0, "238": 5_000.0}
SIZE = {"236": 4.0, "237": 12.0, "238": 6.0}
ESTABS = {"236": 3, "237": 2, "238": 10}


def frame(state_row: bool = False):
    """Twelve published counties (sizes and wages per job around the codes' own, deterministic
    noise), and county 01099 where 237 and 238 are suppressed under a published 23: truly 36 jobs
    paid $10,000 (1.5 times the prior's 24) and 48 jobs paid $5,000 (0.8 times 60)."""
    rng = np.random.default_rng(3)
    rows = []
    for i in range(12):
        region = f"01{2 * i + 1:03d}"
        jobs = {c: round(ESTABS[c] * SIZE[c] * float(np.exp(rng.normal(0, 0.3)))) for c in RATE}
        pay = {c: round(jobs[c] * RATE[c] * float(np.exp(rng.normal(0, 0.2)))) for c in RATE}
        rows += [(region, c, 3, float(jobs[c]), ESTABS[c], float(pay[c])) for c in RATE]
        rows.append((region, "23", 2, float(sum(jobs.values())), sum(ESTABS.values()),
                     float(sum(pay.values()))))
    true = {"236": (12.0, 96_000.0), "237": (36.0, 360_000.0), "238": (48.0, 240_000.0)}
    rows += [("01099", "236", 3, 12.0, 3, 96_000.0), ("01099", "237", 3, None, 2, None),
             ("01099", "238", 3, None, 10, None),
             ("01099", "23", 2, sum(t[0] for t in true.values()), 15, sum(t[1] for t in true.values()))]
    levels = ["county"] * len(rows)
    if state_row:
        rows.append(("01000", "23", 2, 10_000.0, 500, 80_000_000.0))
        levels.append("state")
    n = len(rows)
    df = pl.DataFrame(
        {S.PERIOD: ["2016Q1"] * n, S.REGION: [r[0] for r in rows], S.OWNERSHIP: ["private"] * n,
         S.INDUSTRY: [r[1] for r in rows], S.LEVEL: [r[2] for r in rows],
         S.EMPLOYMENT: [r[3] for r in rows], S.ESTABLISHMENTS: [float(r[4]) for r in rows],
         S.WAGES: [r[5] for r in rows], S.CLASSIFICATION: ["NAICS"] * n, S.REGION_LEVEL: levels},
        schema_overrides={S.EMPLOYMENT: pl.Float64, S.WAGES: pl.Float64, S.LEVEL: pl.Int8})
    return to_canonical(df.lazy()).collect()


def jobs(out, code):
    return out.filter((pl.col(S.REGION) == "01099") & (pl.col(S.INDUSTRY) == code))[S.EMPLOYMENT].item()


@pytest.fixture
def wage_pairs_switch():
    before = I.WAGE_PAIRS
    yield
    I.WAGE_PAIRS = before


def test_wages_move_the_split_towards_the_higher_paid_code(wage_pairs_switch):
    df = frame()
    I.WAGE_PAIRS = False
    off, _ = I.impute(df)
    I.WAGE_PAIRS = True
    on, _ = I.impute(df)
    # the pair pays $600,000 for 84 jobs: more than the prior's split (24 at $10,000, 60 at
    # $5,000: $540,000) says, so more of the jobs are the better paid code's
    assert jobs(on, "237") > jobs(off, "237") + 1
    assert jobs(on, "237") < 36 + 1e-6
    for out in (off, on):
        assert jobs(out, "237") + jobs(out, "238") == pytest.approx(84, abs=1e-5)
        hidden = out.filter(pl.col(S.status_col(S.EMPLOYMENT)) == S.ESTIMATED)
        assert hidden.height == 2
        assert (hidden[S.EMPLOYMENT] >= hidden[S.lower_col(S.EMPLOYMENT)] - 1e-9).all()
        assert (hidden[S.EMPLOYMENT] <= hidden[S.upper_col(S.EMPLOYMENT)] + 1e-9).all()
    again, _ = I.impute(df)
    assert again.equals(on)


def test_only_the_pinned_pair_moves_and_only_without_the_areas_rows():
    df = frame()
    prior = I.prior_values(df)
    disp = I.prior_dispersion(df, prior=prior)
    moved = I.wage_pair_prior(df, prior, disp)
    changed = np.flatnonzero(~np.isclose(moved, prior, rtol=1e-12, equal_nan=True))
    codes = df[changed].select(S.REGION, S.INDUSTRY).rows()
    assert sorted(codes) == [("01099", "237"), ("01099", "238")]
    # a period whose counties add up to their state's rows is left as it was
    both = frame(state_row=True)
    prior = I.prior_values(both)
    disp = I.prior_dispersion(both, prior=prior)
    assert np.array_equal(I.wage_pair_prior(both, prior, disp, skip_periods={"2016Q1"}), prior,
                          equal_nan=True)
