"""Relatedness signals against slow obvious references and hand-computed cases."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from clusterid import schema
from clusterid.core import relatedness
from clusterid.errors import UsageError


def _frame():
    rows = []
    emp = {"R1": [10, 20, None, 5], "R2": [30, 5, 8, 0], "R3": [3, 40, 12, 9], "R4": [7, 7, 7, 7]}
    est = {"R1": [2, 3, 4, 1], "R2": [5, 1, 2, 0], "R3": [1, 6, 3, 2], "R4": [2, 2, 2, 2]}
    codes = ["311111", "311112", "325411", "541711"]
    for r in emp:
        for j, c in enumerate(codes):
            if emp[r][j] == 0 and est[r][j] == 0:
                continue  # no row: a true zero
            e = emp[r][j]
            rows.append({schema.REGION: r, schema.INDUSTRY: c, schema.EMPLOYMENT: None if e is None else float(e),
                         schema.status_col(schema.EMPLOYMENT): schema.SUPPRESSED if e is None else schema.REPORTED,
                         schema.ESTABLISHMENTS: float(est[r][j])})
    return pl.DataFrame(rows)


def test_suppressed_cell_is_proxied_never_zero():
    pan = relatedness.panel(_frame())
    i, j = pan.regions.index("R1"), pan.codes.index("325411")
    # typical size of 325411 over reported cells = (8 + 12 + 7) / (2 + 3 + 2) = 27/7; 4 establishments
    assert pan.employment[i, j] == pytest.approx(4 * 27 / 7)
    assert pan.info["suppressed_proxied_by_establishments"] == 1
    assert pan.employment[pan.regions.index("R2"), pan.codes.index("541711")] == 0.0  # absent row


def test_colocation_matches_reference_corrcoef():
    rng = np.random.default_rng(0)
    x = rng.poisson(20, size=(30, 6)).astype(float)
    got = relatedness.colocation_correlation(x, region_weights="equal")
    lq = (x / x.sum(1, keepdims=True)) / (x.sum(0) / x.sum())
    ref = np.corrcoef(np.log1p(lq), rowvar=False)
    np.fill_diagonal(ref, np.nan)
    np.testing.assert_allclose(got, ref, atol=1e-12)
    # weighted: numpy's weighted covariance with weights sqrt(region total)
    w = np.sqrt(x.sum(1))
    cov = np.cov(np.log1p(lq), rowvar=False, aweights=w)
    ref_w = cov / np.sqrt(np.outer(np.diag(cov), np.diag(cov)))
    np.fill_diagonal(ref_w, np.nan)
    np.testing.assert_allclose(relatedness.colocation_correlation(x), ref_w, atol=1e-12)


def test_coagglomeration_matches_loop_reference():
    rng = np.random.default_rng(1)
    x = rng.poisson(10, size=(12, 4)).astype(float) + 1
    got = relatedness.coagglomeration(x)
    e_j = x.sum(1)
    xs = e_j / e_j.sum()
    for i in range(4):
        for k in range(4):
            if i == k:
                continue
            num = sum((x[j, i] / x[:, i].sum() - xs[j]) * (x[j, k] / x[:, k].sum() - xs[j]) for j in range(12))
            assert got[i, k] == pytest.approx(num / (1 - (xs**2).sum()))


def test_hierarchy_grades():
    h = relatedness.hierarchy_similarity(["311111", "311112", "311211", "312111", "331111", "541711"])
    assert h[0, 1] == pytest.approx(0.8)  # same 5-digit
    assert h[0, 2] == pytest.approx(0.4)  # same 3-digit parent 311
    assert h[0, 3] == pytest.approx(0.2)  # 311 vs 312: same sector 31-33
    assert h[0, 4] == pytest.approx(0.2)  # 31 and 33 are one sector
    assert h[0, 5] == 0.0


def test_percentile_scale_ties_and_nan():
    m = np.array([[np.nan, 0, 0, 1], [0, np.nan, np.nan, 2], [0, np.nan, np.nan, 3], [1, 2, 3, np.nan]])
    p = relatedness.percentile_scale(m)
    assert np.isnan(p[1, 2])
    assert p[0, 1] == p[0, 2]  # ties share a rank
    assert p[2, 3] > p[1, 3] > p[0, 3] > p[0, 1]
    np.testing.assert_array_equal(np.isnan(p), np.isnan(m))


def test_build_combines_and_is_in_unit_interval():
    sim = relatedness.build(_frame(), signals="colocation,hierarchy")
    assert sim.codes == ("311111", "311112", "325411", "541711")
    m = sim.matrix
    assert np.allclose(m, m.T) and np.all(np.diag(m) == 1) and m.min() >= 0 and m.max() <= 1
    assert set(sim.per_signal) == {"colocation", "hierarchy"}
    assert sim.weights == {"colocation": 0.5, "hierarchy": 0.5}
    # the hierarchy is the frame: same 5-digit pair beats cross-sector pairs whatever the data
    assert m[0, 1] > m[0, 3]


def test_build_errors():
    with pytest.raises(UsageError, match="unknown signal"):
        relatedness.build(_frame(), signals="colocaton")
    with pytest.raises(UsageError, match="--io"):
        relatedness.build(_frame(), signals="io")
    with pytest.raises(UsageError, match="not among"):
        relatedness.build(_frame(), signals="colocation", weights={"io": 1})


def test_hierarchy_only_needs_no_table():
    sim = relatedness.build(None, "hierarchy", codes=["311111", "311112", "541711"])
    assert sim.matrix[0, 1] > sim.matrix[0, 2]


def test_industries_restrict_keeps_region_totals():
    full = relatedness.panel(_frame())
    sub = relatedness.panel(_frame(), industries=["311111", "311112"])
    np.testing.assert_allclose(full.region_totals, sub.region_totals)
    assert sub.codes == ("311111", "311112")


def test_natural_scale_is_the_mean_of_correlations_and_graded_hierarchy():
    sim = relatedness.build(_frame(), signals="colocation,hierarchy", scale="natural")
    assert sim.info["scale"] == "natural"
    c = sim.per_signal["colocation"]
    h = sim.per_signal["hierarchy"]
    iu = np.triu_indices(sim.n, k=1)
    expected = ((np.clip(c, -1, 1) + 1) / 2 + h) / 2
    ok = np.isfinite(c[iu])
    np.testing.assert_allclose(sim.matrix[iu][ok], np.round(expected[iu][ok], 12), atol=1e-12)
    # a correlation of 1 is 1, of -1 is 0; other signals become percentiles
    m = np.array([[np.nan, 1.0, -1.0], [1.0, np.nan, 0.0], [-1.0, 0.0, np.nan]])
    nat = relatedness.natural_scale("colocation", m)
    assert nat[0, 1] == 1.0 and nat[0, 2] == 0.0 and nat[1, 2] == 0.5 and np.isnan(nat[0, 0])
    np.testing.assert_array_equal(np.isnan(relatedness.natural_scale("user", m)), np.isnan(m))
    assert relatedness.natural_scale("io", m, io_measure="link")[0, 1] == pytest.approx(5 / 6)


def test_standard_scale_gives_each_signal_the_same_spread():
    sim = relatedness.build(_frame(), signals="colocation,hierarchy")
    assert sim.info["scale"] == "standard"
    iu = np.triu_indices(sim.n, k=1)

    def z(v):  # the obvious reference: standardise the pairs of one signal
        return (v - v.mean()) / v.std()

    c = (np.clip(sim.per_signal["colocation"], -1, 1)[iu] + 1) / 2
    h = sim.per_signal["hierarchy"][iu]
    ok = np.isfinite(c)
    zc = np.full(c.shape, np.nan)
    zc[ok] = z(c[ok])
    zh = z(h)
    mean = np.where(ok, (zc + zh) / 2, zh)
    expected = (mean - mean.min()) / (mean.max() - mean.min())
    np.testing.assert_allclose(sim.matrix[iu], np.round(expected, 12), atol=1e-12)
    assert np.all(np.diag(sim.matrix) == 1.0)
    # each standardised signal has mean 0 and sd 1 over its pairs
    for name in ("colocation", "hierarchy"):
        v = sim.scaled[name][iu]
        v = v[np.isfinite(v)]
        assert abs(v.mean()) < 1e-9 and v.std() == pytest.approx(1.0)
    # a constant signal carries no information: all 0, NaN kept
    m = np.array([[np.nan, 2.0, 2.0], [2.0, np.nan, np.nan], [2.0, np.nan, np.nan]])
    st = relatedness.standardise(m)
    assert st[0, 1] == 0.0 and np.isnan(st[1, 2]) and np.isnan(st[0, 0])
    u = relatedness.unit_range(np.array([[1.0, 3.0, np.nan], [3.0, 1.0, 5.0], [np.nan, 5.0, 1.0]]))
    np.testing.assert_array_equal(u, [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 1.0, 1.0]])


def test_rank_scale_keeps_the_hierarchy_as_frame():
    sim = relatedness.build(_frame(), signals="colocation,hierarchy", scale="rank")
    assert sim.info["scale"] == "rank" and sim.info["hierarchy_step"] == pytest.approx(0.2)
    h = np.nan_to_num(sim.per_signal["hierarchy"])
    d = np.nan_to_num(sim.scaled["colocation"])
    iu = np.triu_indices(sim.n, k=1)
    np.testing.assert_allclose(sim.matrix[iu], ((h + 0.2 * d) / 1.2)[iu], atol=1e-12)
    with pytest.raises(UsageError, match="unknown scale"):
        relatedness.build(_frame(), signals="colocation", scale="zscore")


def _io_table(flows, output):
    from clusterid.io.iotables import IOTable

    flows = np.asarray(flows, dtype=float)
    return IOTable(sectors=tuple(f"S{i}" for i in range(len(flows))), flows=flows,
                   total_inputs=flows.sum(axis=0), total_output=np.asarray(output, dtype=float))


def test_total_requirements_profiles_match_the_leontief_and_ghosh_inverses():
    # a chain S0 -> S1 -> S2 (S0 sells to S1, S1 to S2) plus a side sale S0 -> S3
    flows = [[0, 20, 0, 10], [0, 0, 30, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    output = [100.0, 80.0, 60.0, 40.0]
    t = _io_table(flows, output)
    prof, info = relatedness.total_requirements_profiles(t)
    assert info["io_total_requirements"].startswith("used")
    a = np.array(flows, float) / np.array(output)[None, :]
    b = np.array(flows, float) / np.array(output)[:, None]
    leontief = np.linalg.inv(np.eye(4) - a) - np.eye(4)
    ghosh = np.linalg.inv(np.eye(4) - b) - np.eye(4)
    # S2 needs 30/60 of S1 per unit, and S1 20/80 of S0: S0's 0.125 per unit of S2 comes
    # only through S1
    assert leontief[0, 2] == pytest.approx(0.5 * 0.25) and leontief[1, 2] == pytest.approx(0.5)
    back = prof[2, :4]
    np.testing.assert_allclose(back, leontief[:, 2] / leontief[:, 2].sum())
    fwd = prof[0, 4:]
    np.testing.assert_allclose(fwd, ghosh[0, :] / ghosh[0, :].sum())
    # S0's output reaches S2 indirectly, which direct shares do not see
    assert fwd[2] > 0 and relatedness.io_shares(t)[1][0, 2] == 0


def test_io_total_is_the_mean_of_direct_and_total_profile_correlations():
    flows = [[0, 20, 0, 10], [0, 0, 30, 5], [2, 0, 0, 0], [0, 4, 0, 0]]
    t = _io_table(flows, [100.0, 80.0, 60.0, 40.0])
    codes = list(t.sectors)
    direct, _ = relatedness.io_similarity(codes, t, measure="profile")
    total, info = relatedness.io_similarity(codes, t, measure="total")
    prof, _ = relatedness.total_requirements_profiles(t)
    ref = np.corrcoef(prof)  # rows are the sectors' profiles (each code is its own sector)
    iu = np.triu_indices(4, k=1)
    np.testing.assert_allclose(total[iu], ((direct + ref) / 2)[iu], atol=1e-12)
    assert info["io_measure"] == "total" and "used" in info["io_total_requirements"]
    # the default of build, on the natural scale a correlation like the direct profile
    sim = relatedness.build(None, "io", io=t, codes=codes, scale="natural")
    assert sim.info["io_measure"] == "total"
    np.testing.assert_allclose(sim.matrix[iu], np.round(((total + 1) / 2)[iu], 12), atol=1e-12)
    with pytest.raises(UsageError, match="unknown IO measure"):
        relatedness.io_similarity(codes, t, measure="leontief")


def test_unproductive_table_falls_back_to_the_direct_profile_with_a_note():
    # a plain matrix whose 'output' is the row sum of intermediate flows: a cycle S0 <-> S1
    # uses each sector's whole output again, the spectral radius is 1 and (I - A) singular
    flows = [[0, 5, 0], [5, 0, 0], [1, 1, 0]]
    t = _io_table(flows, np.array(flows, float).sum(axis=1))
    prof, info = relatedness.total_requirements_profiles(t)
    assert prof is None and "not productive" in info["io_total_requirements"]
    codes = list(t.sectors)
    direct, _ = relatedness.io_similarity(codes, t, measure="profile")
    total, info = relatedness.io_similarity(codes, t, measure="total")
    np.testing.assert_array_equal(np.isnan(total), np.isnan(direct))
    np.testing.assert_allclose(np.nan_to_num(total), np.nan_to_num(direct))
    assert "not productive" in info["io_total_requirements"]
