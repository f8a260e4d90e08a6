"""Wages imputed with employment: QCEW suppresses them together (disclosure code N).

The wage imputation is the employment one (same bounds, raking, solver) with another prior:
the cell's jobs (published or imputed) x the industry's typical wage per job.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from clusterid import schema as S
from clusterid.core import bounds as B
from clusterid.core import impute as I
from clusterid.core import impute_check as C
from clusterid.io.canonical import to_canonical
from conftest import run_main

HERE = Path(__file__).parent
SLICE = HERE / "data" / "impute" / "qcew_utah_2016q1_slice.csv"
SAMPLE = HERE.parent / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
W = S.WAGES


def table(rows):
    """Canonical frame from (region, industry, level, employment|None, establishments,
    wages|None); a cell is suppressed in both measures or in neither, as QCEW's."""
    n = len(rows)
    df = pl.DataFrame(
        {S.PERIOD: ["2016Q1"] * n, S.REGION: [r[0] for r in rows],
         S.OWNERSHIP: ["private"] * n, S.INDUSTRY: [r[1] for r in rows],
         S.LEVEL: [r[2] for r in rows], S.EMPLOYMENT: [r[3] for r in rows],
         S.ESTABLISHMENTS: [float(r[4]) for r in rows], W: [r[5] for r in rows],
         S.CLASSIFICATION: ["NAICS"] * n, S.REGION_LEVEL: ["county"] * n},
        schema_overrides={S.EMPLOYMENT: pl.Float64, W: pl.Float64, S.LEVEL: pl.Int8})
    return to_canonical(df.lazy()).collect()


def cell(df, region, industry, col=W):
    return df.filter((pl.col(S.REGION) == region) & (pl.col(S.INDUSTRY) == industry))[col].item()


TOY = [
    # 01001: total 100 jobs / $1,000,000; sector 11 suppressed with no establishment; 21
    # published (50 jobs, $500,000); 23 suppressed; under it 236 published, 237 and 238
    # suppressed: their jobs share 100 - 50 - 10 = 40, their wages 1,000,000 - 500,000 - 100,000
    ("01001", "10", 0, 100.0, 20, 1_000_000.0), ("01001", "11", 2, None, 0, None),
    ("01001", "21", 2, 50.0, 5, 500_000.0), ("01001", "23", 2, None, 15, None),
    ("01001", "236", 3, 10.0, 3, 100_000.0), ("01001", "237", 3, None, 2, None),
    ("01001", "238", 3, None, 10, None),
    # 01003: all published -- 237 pays $10,000 a job (12 jobs per establishment), 238 $5,000
    # (6 jobs per establishment)
    ("01003", "10", 0, 300.0, 40, 2_900_000.0), ("01003", "11", 2, 20.0, 4, 200_000.0),
    ("01003", "21", 2, 80.0, 6, 1_200_000.0), ("01003", "23", 2, 200.0, 30, 1_500_000.0),
    ("01003", "236", 3, 20.0, 5, 300_000.0), ("01003", "237", 3, 60.0, 5, 600_000.0),
    ("01003", "238", 3, 120.0, 20, 600_000.0),
]


def test_two_suppressed_children_by_hand():
    """Jobs first: priors 2 x 12 = 24 and 10 x 6 = 60 split the 40 jobs (40 x 24/84, 40 x
    60/84).  Wages: priors jobs x wage per job, 11.43 x 10,000 and 28.57 x 5,000, i.e. in the
    ratio 240,000 : 300,000, split the $400,000 residual: 177,777.78 and 222,222.22, whole
    dollars as published."""
    out, infos = I.impute_measures(table(TOY))
    assert [i.measure for i in infos] == [S.EMPLOYMENT, W]
    e237, e238 = cell(out, "01001", "237", S.EMPLOYMENT), cell(out, "01001", "238", S.EMPLOYMENT)
    assert e237 == pytest.approx(40 * 24 / 84, rel=1e-5)
    assert e238 == pytest.approx(40 * 60 / 84, rel=1e-5)
    assert cell(out, "01001", "237") == 177_778
    assert cell(out, "01001", "238") == 222_222
    assert cell(out, "01001", "237") + cell(out, "01001", "238") == 400_000
    # the suppressed parent is fixed by its published parent and sibling; no establishment: 0
    assert cell(out, "01001", "23") == 500_000
    assert cell(out, "01001", "11") == 0
    for code in ("237", "238"):
        assert cell(out, "01001", code, S.status_col(W)) == S.ESTIMATED
        assert cell(out, "01001", code, S.lower_col(W)) == 0
        assert cell(out, "01001", code, S.upper_col(W)) == 400_000
    assert cell(out, "01001", "236", S.status_col(W)) == S.REPORTED
    assert cell(out, "01001", "236", S.lower_col(W)) is None


def test_wage_prior_is_jobs_times_wage_per_job():
    emp, _ = I.impute(table(TOY), S.EMPLOYMENT)
    prior = I.prior_values(emp, W)
    at = {(r, c): i for i, (r, c) in enumerate(zip(emp[S.REGION], emp[S.INDUSTRY]))}
    e = emp[S.EMPLOYMENT].to_numpy()
    assert prior[at["01001", "237"]] == pytest.approx(e[at["01001", "237"]] * 10_000)
    assert prior[at["01001", "238"]] == pytest.approx(e[at["01001", "238"]] * 5_000)
    # the naive baseline of the masking check: establishments x wage per establishment
    naive = C.naive_prior(emp, W)
    assert naive[at["01001", "237"]] == pytest.approx(2 * 600_000 / 5)


def test_wages_alone_rest_on_the_same_imputed_jobs():
    """``--measure wages``: employment stays suppressed in the output, but the wage prior uses
    the jobs the employment imputation gives, so the wages are those of imputing both."""
    both, _ = I.impute_measures(table(TOY))
    alone, info = I.impute(table(TOY), W)
    assert (alone[S.status_col(S.EMPLOYMENT)] == S.SUPPRESSED).sum() == 4
    np.testing.assert_array_equal(alone[W].to_numpy(), both[W].to_numpy())
    assert any("employment imputed" in n for n in info.notes)


def test_without_employment_wages_fall_back_to_establishments():
    df = table(TOY).drop(S.measure_columns(S.EMPLOYMENT))
    out, info = I.impute(df, W)
    # 237: 2 establishments x $120,000 a establishment; 238: 10 x $30,000; split 400,000
    a, b = 2 * 120_000, 10 * 30_000
    assert cell(out, "01001", "237") == pytest.approx(400_000 * a / (a + b), abs=0.5)
    assert info.n_left_suppressed == 0


def violations(out, measure, tol_per_child=0.5):
    """Groups whose parent is published and whose children (published + estimated) miss it
    by more than the whole-unit rounding of their estimated children.

    The links and their kinds are those of the published figures (what the imputation had to
    meet): classified on the filled table, an estimated parent whose two estimated children
    round to a dollar more would mark the whole kind of link unused and hide it from the check.
    """
    orig = B.build_structure(out, measure)
    value = out[measure].cast(pl.Float64).fill_null(np.nan).to_numpy()
    m = len(orig.parent)
    sums = np.bincount(orig.child_group, weights=np.nan_to_num(value[orig.child]), minlength=m)
    n_est = np.bincount(orig.child_group, weights=(~orig.known[orig.child]).astype(float),
                        minlength=m)
    bad = []
    for g in range(m):
        p = orig.parent[g]
        if not orig.known[p] or not orig.exact[g] or n_est[g] == 0:
            continue
        if abs(sums[g] - value[p]) > tol_per_child * n_est[g] + 1e-6 * abs(value[p]):
            bad.append((g, sums[g], value[p]))
    return bad, int((orig.known[orig.parent] & orig.exact & (n_est > 0)).sum())


def _slice():
    from clusterid.io.ingest import load_input

    lf, _ = load_input(str(SLICE))
    return lf.collect()


def test_utah_slice_wages_inside_bounds_and_add_up_where_the_parent_is_published():
    df = _slice()
    out, infos = I.impute_measures(df)
    est = out.filter(pl.col(S.status_col(W)) == S.ESTIMATED)
    assert est.height == infos[1].n_unknown == 77
    assert est[W].null_count() == 0
    lo, hi = est[S.lower_col(W)], est[S.upper_col(W)].fill_null(np.inf)
    assert ((est[W] >= lo) & (est[W] <= hi)).all()
    assert (est[W] == est[W].round(0)).all()  # whole dollars, as QCEW publishes
    bad, checked = violations(out, W)
    assert checked >= 8 and bad == []
    # the links are those of employment (the same bounds code, measure by measure)
    assert infos[1].links == infos[0].links
    # every published wage untouched
    rep = df.filter(pl.col(S.status_col(W)) == S.REPORTED).join(out, on=list(S.KEYS), suffix="_o")
    assert (rep[W] == rep[W + "_o"]).all()
    # a cell with jobs has wages, one without (no establishment) has none
    assert ((est[S.EMPLOYMENT] > 0) == (est[W] > 0)).all()


def test_masking_recovers_hidden_wages_better_than_the_naive_prior():
    """Utah sample, 2016 Q1: published 6-digit sibling pairs hidden with their wages, as BLS's
    complementary suppression hides them; the imputed wages sit inside their bounds and miss
    the truth far less than establishments x the national wage per establishment."""
    from clusterid.io.ingest import load_input

    lf, _ = load_input(str(SAMPLE))
    df = lf.filter(pl.col(S.PERIOD) == "2016Q1").collect()
    masked, truth = C.mask_complementary(df, random_state=3, share=0.5, region_level="county")
    assert "true_wages" in truth.columns and truth.height >= 40
    out, _ = I.impute_measures(masked)
    res = C.evaluate(out, truth, masked, measure=W)
    bad, checked = violations(out, W)  # adding-up wherever the parent is published
    assert checked >= 20 and bad == []
    assert res["inside_bounds"] == 1.0
    assert res["mdape_imputed"] < 0.5 * res["mdape_naive"]
    assert res["mdape_imputed"] < res["mdape_residual"]
    # the employment figures are those of the masking check as before
    emp = C.evaluate(out, truth, masked)
    assert emp["n_hidden_values"] == res["n_hidden_values"]


def test_cli_imputes_every_measure_with_suppressed_cells_or_the_chosen_one(tmp_path, capsys):
    both = tmp_path / "both.csv"
    code, _, err = run_main(["impute", str(SLICE), "-o", str(both)], capsys)
    assert code == 0, err
    assert "77 suppressed employment values" in err and "77 suppressed wages values" in err
    df = pl.read_csv(both, infer_schema_length=0)
    assert set(df[S.status_col(W)]) == {S.REPORTED, S.ESTIMATED}
    meta = json.loads(Path(str(both) + ".meta.json").read_text())
    assert meta["options"]["measure"] == [S.EMPLOYMENT, W]
    assert meta["impute"]["measure"] == S.EMPLOYMENT
    assert meta["impute_measures"][W]["n_unknown"] == 77
    one = tmp_path / "one.csv"
    code, _, err = run_main(["impute", str(SLICE), "-o", str(one), "-m", "employment"], capsys)
    assert code == 0, err
    df = pl.read_csv(one, infer_schema_length=0)
    assert set(df[S.status_col(W)]) == {S.REPORTED, S.SUPPRESSED}
    assert json.loads(Path(str(one) + ".meta.json").read_text())["options"]["measure"] == S.EMPLOYMENT


def test_utah_impute_then_detect_equals_detect_suppressed_impute_with_wages(utah_impute_chain):
    """Utah sample (annual): ingest > impute > detect gives detect --suppressed impute's
    tables byte for byte, now with imputed wages; every cluster's wage total is complete
    (wages_status reported or estimated), it is the sum of its member cells in the imputed
    table, and cluster_summary has the totals.  The four commands: conftest's
    utah_impute_chain (once a session; test_detect's chain test reads them too)."""
    chain = utah_impute_chain
    imputed, meta = chain.imputed, chain.meta  # detect RAW --suppressed impute's metadata
    assert meta["suppression"]["measure"] == S.EMPLOYMENT
    assert meta["suppression"]["also_imputed"][W]["n_unknown"] > 1000
    for name in ("clusters.csv", "cluster_summary.csv", "regional_clusters.csv",
                 "region_summary.csv"):  # raw: detect RAW --suppressed impute; chained: detect IMPUTED
        assert (chain.raw / name).read_bytes() == (chain.chained / name).read_bytes(), name
    reg = pl.read_csv(chain.raw / "regional_clusters.csv", infer_schema_length=0)
    assert set(reg["wages_status"]) == {"reported", S.ESTIMATED}
    assert reg[W].null_count() == 0
    summary = pl.read_csv(chain.raw / "cluster_summary.csv", infer_schema_length=0)
    assert summary.filter(pl.col("employment").is_not_null())[W].null_count() == 0
    # the largest estimated cluster total against its member cells in the imputed table
    from clusterid.core import definitions as cdefs
    from clusterid.io import definitions as iodefs

    row = reg.filter(pl.col("wages_status") == S.ESTIMATED).sort(
        pl.col(W).cast(pl.Float64)).row(-1, named=True)
    defs = iodefs.load_definitions("uscmp", year=2016)
    members = defs.members.filter(pl.col(cdefs.CLUSTER_ID).cast(pl.String) == row["cluster_id"])
    cells = pl.read_parquet(imputed).filter(
        (pl.col(S.REGION) == row[S.REGION]) & (pl.col(S.OWNERSHIP) == row.get(S.OWNERSHIP, "private"))
        & pl.col(S.INDUSTRY).is_in(members[S.INDUSTRY].implode()))
    assert (cells[S.status_col(W)] == S.ESTIMATED).any()
    assert cells[W].sum() == pytest.approx(float(row[W]), rel=1e-11)


# --------------------------------------------------------------------------- jobs without pay

def _toy_with_236_wages(wages_236):
    """TOY with 01001's published 236 paid ``wages_236``: 237 and 238 share $500,000 minus it."""
    return table([r if r[:2] != ("01001", "236") else (*r[:5], wages_236) for r in TOY])


def test_a_cell_with_jobs_keeps_its_sectors_lowest_wage_per_job(monkeypatch):
    """237 and 238 (sector 23) share a wage residual of $240,000.  The priors (11.43 jobs x
    $10,000, 28.57 x $5,000) split it 106,667 : 133,333, which pays 238's jobs $4,667 each,
    below the lowest wage per job any published cell of the sector shows ($5,000: 01003's
    238).  The floor holds 238 at 28.57 x 5,000 = 142,857 and 237 takes the rest."""
    monkeypatch.setattr(I, "FLOOR_CELLS", 1)  # the toy's sector has 5 published cells
    out, infos = I.impute_measures(_toy_with_236_wages(260_000.0))
    e238 = cell(out, "01001", "238", S.EMPLOYMENT)
    assert e238 == pytest.approx(40 * 60 / 84, rel=1e-5)
    assert cell(out, "01001", "238") == round(e238 * 5_000)
    assert cell(out, "01001", "237") == 240_000 - round(e238 * 5_000)
    for code in ("237", "238"):  # bounds and status as before
        assert cell(out, "01001", code, S.status_col(W)) == S.ESTIMATED
        assert cell(out, "01001", code, S.lower_col(W)) == 0
        assert cell(out, "01001", code, S.upper_col(W)) == 240_000
    assert any("lowest wage per job" in n for n in infos[1].notes)


def test_floors_the_residual_cannot_hold_give_way_by_one_common_fraction(monkeypatch):
    """A residual of $100,000 for floors of 57,143 (237) and 142,857 (238), the latter capped
    at its upper bound, the residual: both are paid the same fraction of their floor,
    100,000 / 157,143, and the two still add up to the residual."""
    monkeypatch.setattr(I, "FLOOR_CELLS", 1)
    out, infos = I.impute_measures(_toy_with_236_wages(400_000.0))
    f237 = cell(out, "01001", "237", S.EMPLOYMENT) * 5_000
    f238 = cell(out, "01001", "238", S.EMPLOYMENT) * 5_000
    assert f237 == pytest.approx(57_142.86, abs=0.01) and f238 > 100_000
    w237, w238 = cell(out, "01001", "237"), cell(out, "01001", "238")
    assert w237 + w238 == 100_000
    share = 100_000 / (f237 + 100_000)
    assert w237 / f237 == pytest.approx(share, abs=1e-4)
    assert w238 / 100_000 == pytest.approx(share, abs=1e-4)
    assert any("2 of them end below it" in n for n in infos[1].notes)


def test_utah_cells_with_jobs_are_paid_what_the_published_cells_allow():
    """Utah sample, 2016 Q1 (counties and the state rows): imputing the two measures apart
    left 35 cells with half a job or more and $0 wages (32 of them where the published
    figures allow more, Box Elder County's 541810 with 22 jobs among them).  Now each such
    cell is paid at least what the published figures force: the three left are Weber
    County's 5259 chain, where even a $100 floor has no solution inside the bounds.  Nearly
    every cell's wage per job is at least its sector's lowest published one (worked out here
    from the published county cells)."""
    from clusterid.io.ingest import load_input

    lf, _ = load_input(str(SAMPLE))
    df = lf.filter(pl.col(S.PERIOD) == "2016Q1").collect()
    out, infos = I.impute_measures(df)
    est = out.filter(pl.col(S.status_col(W)) == S.ESTIMATED)
    jobs, wages, upper = pl.col(S.EMPLOYMENT), pl.col(W), pl.col(S.upper_col(W))
    unpaid = est.filter((jobs >= 0.5) & (wages == 0) & (upper.is_null() | (upper > 0)))
    assert unpaid.height <= 3, unpaid.select(S.REGION, S.INDUSTRY, S.EMPLOYMENT)
    box_elder = est.filter((pl.col(S.REGION) == "49003") & (pl.col(S.INDUSTRY) == "541810")
                           & (pl.col(S.OWNERSHIP) == "private"))
    assert box_elder[S.EMPLOYMENT].item() > 21 and box_elder[W].item() > 0
    # inside the bounds, and adding up wherever the parent is published, as before
    upper_or_open = est[S.upper_col(W)].fill_null(np.inf)
    assert ((est[W] >= est[S.lower_col(W)]) & (est[W] <= upper_or_open)).all()
    bad, checked = violations(out, W)
    assert checked >= 1000 and bad == []
    # the lowest wage per job of each sector, from the published county cells
    pub = df.filter((pl.col(S.REGION_LEVEL) == "county") & (pl.col(S.status_col(W)) == S.REPORTED)
                    & (pl.col(S.status_col(S.EMPLOYMENT)) == S.REPORTED) & (jobs > 0)
                    & (pl.col(S.LEVEL) >= 2))
    sector = pl.col(S.INDUSTRY).str.slice(0, 2).replace({"32": "31", "33": "31", "45": "44",
                                                          "49": "48"})
    rmin = pub.group_by(S.OWNERSHIP, sector.alias("s")).agg((wages / jobs).min().alias("rmin"))
    paid = (est.filter((jobs >= 0.5) & (pl.col(S.LEVEL) >= 2))
            .join(rmin, left_on=[S.OWNERSHIP, sector], right_on=[S.OWNERSHIP, "s"]))
    below = paid.filter(wages < jobs * pl.col("rmin") - 0.5)
    assert paid.height > 10_000 and below.height < 0.02 * paid.height
