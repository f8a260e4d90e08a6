"""Specialisation / concentration indices: toy cases, a slow obvious reference implementation,
the REAT German tables, properties (Hypothesis) and the ``indices`` command."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from clusterid import schema
from clusterid.core import indices as ix
from clusterid.io.tables import scan_canonical
from conftest import run_main

REAT = Path(__file__).resolve().parent / "data" / "reat"


# ----------------------------------------------------------------------------- reference
# Plain loops over dicts, written straight from METHODS.md §2; cells not observed are skipped.

def ref_region(e, obs, bench=None):
    """Per region: krugman, herfindahl (raw, normalised, 1/H), entropy, theil."""
    R, I = e.shape
    if bench is None:
        bench = [sum(e[j][i] for j in range(R) if obs[j][i]) for i in range(I)]
    out = []
    for j in range(R):
        cols = [i for i in range(I) if obs[j][i]]
        ej = sum(e[j][i] for i in cols)
        Bj = sum(bench[i] for i in cols)
        k = h = ent = theil = 0.0
        for i in cols:
            s = e[j][i] / ej
            S = bench[i] / Bj
            k += abs(s - S)
            h += s * s
            if s > 0:
                ent -= s * math.log(s)
                theil += s * math.log(s / S)
        n = len(cols)
        out.append({"krugman": k, "herfindahl": h,
                    "herfindahl_normalised": (h - 1 / n) / (1 - 1 / n),
                    "herfindahl_equivalent_number": 1 / h, "shannon_entropy": ent,
                    "relative_theil": theil})
    return out


def ref_industry(e, obs, n_plants=None):
    """Per industry: hoover localisation, locational gini (2 x area), EG G / gamma / z."""
    R, I = e.shape
    totals = [sum(e[j][i] for i in range(I) if obs[j][i]) for j in range(R)]
    out = []
    for i in range(I):
        regs = [j for j in range(R) if obs[j][i]]
        Ei = sum(e[j][i] for j in regs)
        E = sum(totals[j] for j in regs)
        y = {j: e[j][i] / Ei for j in regs}
        x = {j: totals[j] / E for j in regs}
        hoover = 0.5 * sum(abs(y[j] - x[j]) for j in regs)
        # localisation curve: regions by LQ ascending, trapezoids from (0, 0)
        order = sorted(regs, key=lambda j: (y[j] / x[j]) if x[j] > 0 else 0.0)
        area = 0.0
        cx = cy = 0.0
        for j in order:
            nx, ny = cx + x[j], cy + y[j]
            area += (nx - cx) * (ny + cy) / 2
            cx, cy = nx, ny
        gini = (0.5 - area) / 0.5
        G = sum((y[j] - x[j]) ** 2 for j in regs)
        s2 = sum(x[j] ** 2 for j in regs)
        s3 = sum(x[j] ** 3 for j in regs)
        row = {"hoover_localisation": hoover, "locational_gini": gini, "G": G}
        if n_plants is not None:
            H = 1 / n_plants[i]
            z4 = 1 / n_plants[i] ** 3
            row["gamma"] = (G - (1 - s2) * H) / ((1 - s2) * (1 - H))
            var = 2 * (H * H * (s2 - 2 * s3 + s2 * s2) - z4 * (s2 - 4 * s3 + 3 * s2 * s2))
            row["z"] = (G - (1 - s2) * H) / math.sqrt(var)
        out.append(row)
    return out


def ref_coagg(e, obs):
    R, I = e.shape
    totals = [sum(e[j][i] for i in range(I) if obs[j][i]) for j in range(R)]
    out = np.full((I, I), np.nan)
    for a in range(I):
        for b in range(I):
            regs = [j for j in range(R) if obs[j][a] and obs[j][b]]
            Ea = sum(e[j][a] for j in regs)
            Eb = sum(e[j][b] for j in regs)
            E = sum(totals[j] for j in regs)
            if not regs or Ea <= 0 or Eb <= 0 or E <= 0:
                continue
            x = {j: totals[j] / E for j in regs}
            num = sum((e[j][a] / Ea - x[j]) * (e[j][b] / Eb - x[j]) for j in regs)
            den = 1 - sum(v * v for v in x.values())
            if den > 0:  # one common region: undefined
                out[a, b] = num / den
    return out


def ref_variety(e, obs, groups):
    R, I = e.shape
    rv_all, uv_all = [], []
    for j in range(R):
        cols = [i for i in range(I) if obs[j][i]]
        ej = sum(e[j][i] for i in cols)
        s = {i: e[j][i] / ej for i in cols}
        P = {}
        for i in cols:
            P[groups[i]] = P.get(groups[i], 0.0) + s[i]
        uv = sum(p * math.log(1 / p) for p in P.values() if p > 0)
        rv = 0.0
        for g, p in P.items():
            if p <= 0:
                continue
            hg = sum((s[i] / p) * math.log(p / s[i]) for i in cols if groups[i] == g and s[i] > 0)
            rv += p * hg
        rv_all.append(rv)
        uv_all.append(uv)
    return rv_all, uv_all


def laender(period: str):
    lf, _ = scan_canonical(str(REAT / "laender_emp.csv"))
    sel = ix.select_rows(lf, schema.EMPLOYMENT)
    return sel, ix.period_matrix(sel, period)


# ----------------------------------------------------------------------------- toy cases

def test_toy_hand_computed():
    # two regions, two industries: s_1 = (.25, .75), S = (.5, .5)
    v = np.array([[1.0, 3.0], [3.0, 1.0]])
    assert ix.krugman(v) == pytest.approx([0.5, 0.5])
    h, hn, eq = ix.herfindahl(v)
    assert h == pytest.approx([0.625, 0.625])
    assert hn == pytest.approx([0.25, 0.25])
    assert eq == pytest.approx([1.6, 1.6])
    assert ix.shannon_entropy(v)[0] == pytest.approx(-(0.25 * math.log(0.25) + 0.75 * math.log(0.75)))
    assert ix.relative_theil(v)[0] == pytest.approx(0.25 * math.log(0.5) + 0.75 * math.log(1.5))
    # industry 0: y = (.25, .75), x = (.5, .5): Hoover ½(.25 + .25)
    assert ix.hoover_localisation(v) == pytest.approx([0.25, 0.25])
    # curve points (.5, .25), (1, 1): area = .5*.25/2 + .5*(1.25)/2 = .375 -> Gini .25
    assert ix.locational_gini(v) == pytest.approx([0.25, 0.25])


def test_all_in_one_region_is_maximal():
    v = np.array([[10.0, 0.0], [0.0, 10.0], [0.0, 10.0], [0.0, 10.0]])
    k = ix.krugman(v)
    assert k[0] == pytest.approx(2 * (1 - 0.25))  # s=(1,0), S=(.25,.75)
    g = ix.locational_gini(v)
    assert g[0] == pytest.approx(0.75)  # all in a region holding 1/4 of activity: 1 − 1/4


def test_region_with_no_activity_is_undefined_not_zero():
    v = np.array([[0.0, 0.0], [1.0, 2.0]])
    assert np.isnan(ix.krugman(v)[0])
    assert np.isnan(ix.herfindahl(v)[0][0])
    assert np.isnan(ix.shannon_entropy(v)[0])


def test_econgeo_locational_gini_is_half_of_ours():
    # EconGeo's own example matrix (regions x industries), and its algorithm transcribed
    mat = np.array([[100, 0, 0, 0, 0], [0, 15, 5, 70, 10], [0, 20, 10, 20, 50],
                    [0, 25, 30, 5, 40], [0, 40, 55, 5, 0]], dtype=float)

    def econgeo(col):
        share = mat.sum(axis=1) / mat.sum()
        ind = mat[:, col]
        o = np.argsort(ind / share, kind="stable")
        ind, pop = ind[o], share[o]
        cind = np.cumsum(ind) / np.cumsum(ind).max()
        cpop = np.cumsum(pop) / np.cumsum(pop).max()
        n = len(cind)
        return (np.sum(cind[1:] * cpop[: n - 1]) - np.sum(cind[: n - 1] * cpop[1:])) / 2

    ours = ix.locational_gini(mat)
    theirs = np.array([econgeo(c) for c in range(mat.shape[1])])
    assert ours == pytest.approx(2 * theirs, abs=1e-12)
    assert (theirs <= 0.5).all()


# ----------------------------------------------------------------------------- reference on REAT

@pytest.mark.parametrize("period", ["2008", "2014"])
def test_region_indices_match_reference_on_reat_laender(period):
    sel, m = laender(period)
    assert m.values.shape == (16, 10)
    got = ix.region_indices(m)
    want = ref_region(m.values, m.observed)
    for key in want[0]:
        assert got[key] == pytest.approx([w[key] for w in want], rel=1e-12), key
    assert got["hoover_specialisation"] == pytest.approx(got["krugman"] / 2)


@pytest.mark.parametrize("period", ["2008", "2014"])
def test_industry_indices_match_reference_on_reat_laender(period):
    _, m = laender(period)
    got = ix.industry_indices(m)
    want = ref_industry(m.values, m.observed)
    assert got["hoover_localisation"] == pytest.approx([w["hoover_localisation"] for w in want], rel=1e-12)
    assert got["locational_gini"] == pytest.approx([w["locational_gini"] for w in want], rel=1e-12)
    assert got["eg_G"] == pytest.approx([w["G"] for w in want], rel=1e-12)
    C = ix.coagglomeration_matrix(m.values, m.observed)
    assert np.allclose(C, ref_coagg(m.values, m.observed), rtol=1e-10, atol=1e-15)


def test_reat_laender_pinned_values():
    """Pin a few numbers (computed by the reference above) so a silent change shows up."""
    _, m = laender("2008")
    r = ix.region_indices(m)
    bw = m.regions.index("Baden-Wuerttemberg")
    assert r["krugman"][bw] == pytest.approx(0.170145049896639, rel=1e-12)
    assert r["herfindahl"][bw] == pytest.approx(0.209969434860603, rel=1e-12)
    g = ix.industry_indices(m)
    a = m.industries.index("A")
    assert g["hoover_localisation"][a] == pytest.approx(0.353270303653880, rel=1e-12)
    assert g["locational_gini"][a] == pytest.approx(0.440335738431278, rel=1e-12)


def test_ellison_glaeser_on_reat_firms_with_establishment_counts():
    lf, _ = scan_canonical(str(REAT / "laender_firms_2015.csv"))
    sel = ix.select_rows(lf, schema.EMPLOYMENT)
    m = ix.period_matrix(sel, "2015")
    n = ix.column_sums(sel, "2015", schema.ESTABLISHMENTS, m, "industry")
    got = ix.ellison_glaeser(m.values, m.observed, n_plants=n)
    want = ref_industry(m.values, m.observed, n_plants=n)
    assert got["gamma"] == pytest.approx([w["gamma"] for w in want], rel=1e-10)
    assert got["z"] == pytest.approx([w["z"] for w in want], rel=1e-10)
    # Verarbeitendes Gewerbe (C): 253,128 firms over the 16 Länder (REAT table)
    c = m.industries.index("C")
    assert n[c] == 253_128


def test_goettingen_against_germany_external_benchmark(shared):
    """Göttingen's specialisation against Germany (REAT's Göttingen table), from the raw CSV."""
    raw = pl.read_csv(shared("reat_germany_eu", "REAT_Goettingen.csv"))
    raw = raw.filter(pl.col("WZ2008_Code") != "A-R")
    for year in ("2008", "2017"):
        e = raw.get_column(f"Goettingen{year}").to_numpy().astype(float)
        E = raw.get_column(f"BRD{year}").to_numpy().astype(float)
        s, S = e / e.sum(), E / E.sum()
        want_k = np.abs(s - S).sum()
        want_t = float(np.sum(s * np.log(s / S)))
        got_k = ix.krugman(e[None, :], benchmark_shares=E)[0]
        got_t = ix.relative_theil(e[None, :], benchmark_shares=E)[0]
        assert got_k == pytest.approx(want_k, rel=1e-12)
        assert got_t == pytest.approx(want_t, rel=1e-12)


# ----------------------------------------------------------------------------- EG variance

def test_eg_null_moments_by_exact_enumeration():
    """E[G] and Var[G] under random location of equal plants, by enumerating every placement."""
    x = np.array([0.5, 0.3, 0.2])
    n = 3
    Gs, ps = [], []
    for placement in itertools.product(range(3), repeat=n):
        p = np.prod([x[r] for r in placement])
        s = np.bincount(placement, minlength=3) / n
        Gs.append(((s - x) ** 2).sum())
        ps.append(p)
    Gs, ps = np.array(Gs), np.array(ps)
    mean = (ps * Gs).sum()
    var = (ps * (Gs - mean) ** 2).sum()
    # a matrix whose region totals give x and whose industry has exactly G = any value: use z
    H, z4 = 1 / n, 1 / n ** 3
    s2, s3 = (x ** 2).sum(), (x ** 3).sum()
    assert mean == pytest.approx((1 - s2) * H, rel=1e-12)
    assert var == pytest.approx(2 * (H * H * (s2 - 2 * s3 + s2 * s2) - z4 * (s2 - 4 * s3 + 3 * s2 * s2)),
                                rel=1e-12)
    # and the function computes those same moments
    v = np.array([[1.0, 49.0], [1.0, 29.0], [1.0, 19.0]])  # totals 50, 30, 20 -> x
    eg = ix.ellison_glaeser(v, n_plants=np.array([n, n]))
    assert eg["expected_G"][0] == pytest.approx(mean, rel=1e-12)
    assert eg["var_G"][0] == pytest.approx(var, rel=1e-12)


def test_eg_without_plant_counts_is_unknown_not_zero():
    v = np.array([[1.0, 2.0], [3.0, 1.0]])
    eg = ix.ellison_glaeser(v)
    assert np.isnan(eg["gamma"]).all() and np.isfinite(eg["G"]).all()


# ----------------------------------------------------------------------------- variety

def test_related_unrelated_variety_match_reference_and_decompose_entropy():
    rng = np.random.default_rng(7)
    v = rng.integers(0, 40, size=(12, 9)).astype(float)
    codes = ["311111", "311112", "312111", "541711", "541712", "541330", "236115", "238110",
             "339112"]
    groups = ix.group_codes(codes, schema.NAICS, 2)
    assert groups == ["31-33", "31-33", "31-33", "54", "54", "54", "23", "23", "31-33"]
    rv, uv = ix.related_unrelated_variety(v, groups)
    want_rv, want_uv = ref_variety(v, np.ones_like(v, bool), groups)
    assert rv == pytest.approx(want_rv, rel=1e-12)
    assert uv == pytest.approx(want_uv, rel=1e-12)
    assert rv + uv == pytest.approx(ix.shannon_entropy(v), rel=1e-12)


def test_group_codes_nace_and_custom():
    assert ix.group_codes(["C10.11", "C10", "10", "A"], schema.NACE, 1) == ["C", "C", "C", "A"]
    assert ix.group_codes(["ab1", "ab2"], schema.CUSTOM, 2) == ["ab", "ab"]


# ----------------------------------------------------------------------------- suppression

def test_suppressed_cells_are_left_out_never_zero():
    _, m = laender("2008")
    obs = m.observed.copy()
    rng = np.random.default_rng(3)
    hide = rng.random(obs.shape) < 0.2
    obs &= ~hide
    vals = np.where(obs, m.values, np.nan)
    got = ix.region_indices(ix.Matrix(m.regions, m.industries, vals, obs))
    want = ref_region(m.values, obs)
    assert got["krugman"] == pytest.approx([w["krugman"] for w in want], rel=1e-12)
    # reading the hidden cells as 0 gives different numbers: the trap we avoid
    zeroed = ix.krugman(np.where(obs, m.values, 0.0))
    assert not np.allclose(zeroed, got["krugman"])
    C = ix.coagglomeration_matrix(vals, obs)
    assert np.allclose(C, ref_coagg(m.values, obs), rtol=1e-9, atol=1e-14, equal_nan=True)
    gi = ix.industry_indices(ix.Matrix(m.regions, m.industries, vals, obs))
    wi = ref_industry(m.values, obs)
    assert gi["locational_gini"] == pytest.approx([w["locational_gini"] for w in wi], rel=1e-12)
    assert gi["hoover_localisation"] == pytest.approx([w["hoover_localisation"] for w in wi], rel=1e-12)


def test_matrix_reads_status_and_absent_rows():
    df = pl.DataFrame({
        schema.REGION: ["a", "a", "b", "b"], schema.INDUSTRY: ["1", "2", "1", "3"],
        schema.EMPLOYMENT: [5.0, None, 7.0, 2.0],
        schema.status_col(schema.EMPLOYMENT): ["reported", "suppressed", "estimated", "reported"]})
    m = ix.region_industry_matrix(df, schema.EMPLOYMENT)
    assert m.industries == ["1", "2", "3"]
    assert m.observed.tolist() == [[True, False, True], [True, True, True]]
    assert m.values[0, 2] == 0.0  # no row: a true zero
    assert m.n_estimated == 1
    m2 = ix.region_industry_matrix(df, schema.EMPLOYMENT, use_estimated=False)
    assert not m2.observed[1, 0]


def test_duplicate_cells_are_a_data_error():
    from clusterid.errors import DataError

    df = pl.DataFrame({schema.REGION: ["a", "a"], schema.INDUSTRY: ["1", "1"],
                       schema.EMPLOYMENT: [1.0, 2.0]})
    with pytest.raises(DataError, match="more than once"):
        ix.region_industry_matrix(df, schema.EMPLOYMENT)


# ----------------------------------------------------------------------------- properties

matrices = hnp.arrays(np.float64, st.tuples(st.integers(2, 7), st.integers(2, 6)),
                      elements=st.integers(0, 1000).map(float))


def _positive(v):
    return v.sum(axis=1).all() and v.sum(axis=0).all()


@settings(max_examples=60, deadline=None)
@given(matrices, st.randoms(use_true_random=False))
def test_invariant_to_row_and_column_order(v, rnd):
    if not _positive(v):
        return
    rp = list(range(v.shape[0]))
    cp = list(range(v.shape[1]))
    rnd.shuffle(rp)
    rnd.shuffle(cp)
    w = v[rp][:, cp]
    for f in (ix.krugman, ix.shannon_entropy, ix.relative_theil):
        assert np.allclose(f(w), f(v)[rp], rtol=1e-9, atol=1e-12)
    for f in (ix.hoover_localisation, ix.locational_gini):
        assert np.allclose(f(w), f(v)[cp], rtol=1e-9, atol=1e-12)
    C = ix.coagglomeration_matrix(v)
    assert np.allclose(ix.coagglomeration_matrix(w), C[np.ix_(cp, cp)], rtol=1e-9, atol=1e-12,
                       equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(matrices, st.integers(0, 6), st.floats(0.01, 100))
def test_scaling_a_region(v, j, c):
    if not _positive(v):
        return
    j = j % v.shape[0]
    w = v.copy()
    w[j] *= c
    # shares of the region do not change: Herfindahl, entropy, variety
    for f in (lambda a: ix.herfindahl(a)[0], ix.shannon_entropy):
        assert f(w)[j] == pytest.approx(f(v)[j], rel=1e-9, abs=1e-12)
    # against a fixed (external) benchmark Krugman and Theil do not change either
    S = v.sum(axis=0)
    assert ix.krugman(w, benchmark_shares=S)[j] == pytest.approx(ix.krugman(v, benchmark_shares=S)[j],
                                                                 rel=1e-9, abs=1e-12)
    assert ix.relative_theil(w, benchmark_shares=S)[j] == pytest.approx(
        ix.relative_theil(v, benchmark_shares=S)[j], rel=1e-9, abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(matrices)
def test_bounds(v):
    if not _positive(v):
        return
    k = ix.krugman(v)
    assert ((k >= -1e-12) & (k <= 2 + 1e-12)).all()
    h, hn, eq = ix.herfindahl(v)
    n = v.shape[1]
    assert ((h >= 1 / n - 1e-12) & (h <= 1 + 1e-12)).all()
    assert ((hn >= -1e-12) & (hn <= 1 + 1e-12)).all()
    assert ((eq >= 1 - 1e-12) & (eq <= n + 1e-9)).all()
    ent = ix.shannon_entropy(v)
    assert ((ent >= -1e-12) & (ent <= math.log(n) + 1e-12)).all()
    assert (ix.relative_theil(v) >= -1e-12).all()
    g = ix.locational_gini(v)
    assert ((g >= 0) & (g <= 1)).all()
    hl = ix.hoover_localisation(v)
    assert ((hl >= -1e-12) & (hl <= 1)).all()


# ----------------------------------------------------------------------------- the command

def run(args, capsys):
    return run_main(args, capsys)


@pytest.mark.parametrize("by,rows,first_col", [("region", 16 * 7, "krugman"),
                                               ("industry", 10 * 7, "hoover_localisation"),
                                               ("pair", 45 * 7, "coagglomeration")])
def test_cli_writes_every_view(by, rows, first_col, tmp_path, capsys):
    out = tmp_path / "ix.csv"
    code, _, err = run(["indices", str(REAT / "laender_emp.csv"), "-o", str(out), "--by", by],
                       capsys)
    assert code == 0, err
    df = pl.read_csv(out)
    assert df.height == rows
    assert first_col in df.columns
    key = {"region": "region", "industry": "industry", "pair": "industry_a"}[by]
    assert df.select("period", key).rows() == sorted(df.select("period", key).rows())
    meta = json.loads((tmp_path / "ix.csv.meta.json").read_text())
    assert meta["kind"] == "indices" and meta["options"]["by"] == by
    assert meta["inputs"][0]["sha256"]


def test_cli_region_values_and_missing_share(tmp_path, capsys):
    out = tmp_path / "ix.csv"
    code, _, err = run(["indices", str(REAT / "laender_emp.csv"), "-o", str(out),
                        "--period", "2008"], capsys)
    assert code == 0, err
    df = pl.read_csv(out)
    bw = df.filter(pl.col("region") == "Bayern").row(0, named=True)
    # Bavaria 2008: sections sum to 4,517,632 of the reported total 4,518,801
    assert bw["observed_total"] == 4_517_632
    assert bw["missing_share"] == pytest.approx(1 - 4_517_632 / 4_518_801)
    assert bw["related_variety"] is None  # sections have no coarser groups


def test_cli_external_benchmark_goettingen(tmp_path, capsys):
    out = tmp_path / "goe.csv"
    code, _, err = run(["indices", str(REAT / "goettingen.csv"), "-o", str(out), "-b",
                        str(REAT / "goettingen_germany.csv"), "--period", "2008"], capsys)
    assert code == 0, err
    row = pl.read_csv(out).row(0, named=True)
    g = pl.read_csv(REAT / "goettingen.csv").filter((pl.col("period") == 2008) & (pl.col("level") == 1))
    d = pl.read_csv(REAT / "goettingen_germany.csv").filter((pl.col("period") == 2008) & (pl.col("level") == 1))
    j = g.join(d, on="industry")
    s = j["employment"].to_numpy() / j["employment"].sum()
    S = j["employment_right"].to_numpy() / j["employment_right"].sum()
    assert row["krugman"] == pytest.approx(np.abs(s - S).sum(), rel=1e-12)
    # A-R total 59,125 vs 56,872 in the sections listed: missing 3.8 %
    assert row["missing_share"] == pytest.approx(1 - 56_872 / 59_125)


def test_cli_is_deterministic(tmp_path, capsys):
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    for p in (a, b):
        code, _, err = run(["indices", str(REAT / "laender_emp.csv"), "-o", str(p), "--by", "industry"],
                           capsys)
        assert code == 0, err
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("args,code,message", [
    (["--measure", "wages"], 2, "the input has no wages column"),
    (["--by", "county"], 2, "unknown --by"),
    (["--level", "4"], 2, "no industries at that level"),
    (["--period", "1999"], 2, "--period 1999: not in the table; it has 2008"),
    (["--ownership", "private"], 2, "no rows with that ownership"),
    (["-b", "nowhere.csv"], 2, "expected sum, rest, region:ID"),
    (["-b", "region:Atlantis"], 2, "no such region"),
])
def test_cli_usage_errors(args, code, message, tmp_path, capsys):
    out = tmp_path / "x.csv"
    got, _, err = run(["indices", str(REAT / "laender_emp.csv"), "-o", str(out), *args], capsys)
    assert got == code, err
    assert err.startswith("clusterid: error:") and message in err, err
    assert not out.exists()


def test_cli_missing_input_file(tmp_path, capsys):
    code, _, err = run(["indices", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "x.csv")],
                       capsys)
    assert code == 2 and "nope.csv" in err


def test_cli_benchmark_region_leaves_it_out(tmp_path, capsys):
    out = tmp_path / "x.csv"
    code, _, err = run(["indices", str(REAT / "laender_emp.csv"), "-o", str(out), "--period",
                        "2008", "-b", "region:Bayern"], capsys)
    assert code == 0, err
    df = pl.read_csv(out)
    assert "Bayern" not in df["region"].to_list() and df.height == 15


# ----------------------------------------------------------------------------- raw QCEW sample

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"


def test_cli_help_example_runs_on_the_raw_qcew_sample(tmp_path, capsys):
    out = tmp_path / "indices.csv"
    code, _, err = run(["indices", str(SAMPLE), "-o", str(out), "--level", "2"], capsys)
    assert code == 0, err
    df = pl.read_csv(out, schema_overrides={"region": pl.String})
    assert set(df["period"]) == {"2016Q1", "2016Q2", "2016Q3", "2016Q4"}
    assert df.filter(pl.col("period") == "2016Q1").height == 29  # Utah's counties
    assert df["krugman"].drop_nulls().is_between(0, 2).all()


def test_cli_benchmark_glob_of_per_quarter_state_files_equals_the_region(tmp_path, capsys):
    """--benchmark 'nat/*.csv': the statewide rows cut into one raw QCEW file per quarter give
    the same indices as naming the state's region in one combined input; each file is in the
    provenance.  The glob was refused ('expected ... an existing reference file')."""
    raw = pl.read_csv(SAMPLE, infer_schema_length=0)
    nat = tmp_path / "nat"
    nat.mkdir()
    counties = tmp_path / "counties.csv"
    raw.filter(pl.col("area_fips") != "49000").write_csv(counties)
    for q in ("1", "2", "3", "4"):
        raw.filter((pl.col("area_fips") == "49000") & (pl.col("qtr") == q)).write_csv(
            nat / f"state_q{q}.csv")
    by_glob, by_region = tmp_path / "glob.csv", tmp_path / "region.csv"
    common = ["--level", "2", "--by", "region"]
    code, _, err = run(["indices", str(counties), "-o", str(by_glob), "-b",
                        str(nat / "state_*.csv"), *common], capsys)
    assert code == 0, err
    code, _, err = run(["indices", str(SAMPLE), "-o", str(by_region), "-b", "region:49000",
                        *common], capsys)
    assert code == 0, err
    a = pl.read_csv(by_glob, schema_overrides={"region": pl.String}).sort("period", "region")
    b = pl.read_csv(by_region, schema_overrides={"region": pl.String}).sort("period", "region")
    assert a.height == b.height == 4 * 29
    assert_frame_equal(a, b)
    meta = json.loads(Path(str(by_glob) + ".meta.json").read_text())
    assert sorted(Path(i["path"]).name for i in meta["inputs"] if i.get("role") == "benchmark") \
        == [f"state_q{q}.csv" for q in "1234"]


def test_cli_industry_missing_share_against_the_state_row(tmp_path, capsys):
    """Utah utilities (NAICS 22), 2016 Q1: counties' reported employment vs the state's row."""
    out = tmp_path / "ind.csv"
    code, _, err = run(["indices", str(SAMPLE), "-o", str(out), "--by", "industry", "--level", "2",
                        "-b", "region:49000", "--period", "2016Q1"], capsys)
    assert code == 0, err
    got = pl.read_csv(out, schema_overrides={"industry": pl.String}).filter(pl.col("industry") == "22").row(0, named=True)
    raw = pl.read_csv(SAMPLE, infer_schema_length=0).filter(
        (pl.col("own_code") == "5") & (pl.col("industry_code") == "22") & (pl.col("qtr") == "1"))
    avg = (pl.col("month1_emplvl").cast(pl.Float64) + pl.col("month2_emplvl").cast(pl.Float64)
           + pl.col("month3_emplvl").cast(pl.Float64)) / 3
    state = raw.filter(pl.col("area_fips") == "49000").select(avg).item()
    counties = raw.filter((pl.col("agglvl_code") == "74") & (pl.col("disclosure_code") != "N"))
    reported = counties.select(avg.sum()).item()
    n_sup = raw.filter((pl.col("agglvl_code") == "74") & (pl.col("disclosure_code") == "N")).height
    assert got["n_suppressed"] == n_sup > 0
    assert got["observed_total"] == pytest.approx(reported)
    assert got["missing_share"] == pytest.approx(1 - reported / state)
    assert got["eg_h_source"] == "establishment_count_lower_bound"


# ----------------------------------------------------------------------------- REAT's published values
# From the examples of REAT 3.0.3's manual (Wieland; Farhauer & Kröll 2013/2014), with the
# values the manual prints in its comments.

def test_reat_published_krugman_goettingen_2017():
    raw = pl.read_csv(REAT / "goettingen.csv").filter((pl.col("period") == 2017) & (pl.col("level") == 1))
    de = pl.read_csv(REAT / "goettingen_germany.csv").filter((pl.col("period") == 2017) & (pl.col("level") == 1))
    j = raw.join(de, on="industry")
    e = j["employment"].to_numpy()[None, :]
    E = j["employment_right"].to_numpy()
    assert ix.krugman(e, benchmark_shares=E)[0] == pytest.approx(0.4508469, abs=5e-8)
    # gini.spec: Göttingen 2017 against Germany
    assert ix.lq_gini_regions(e, benchmark_shares=E)[0] == pytest.approx(0.359852, abs=5e-7)


def test_reat_published_gini_spec_freiburg_and_textbook():
    raw = pl.read_csv(REAT / "freiburg.csv").filter(pl.col("period") == 2014).sort("industry")
    de = pl.read_csv(REAT / "freiburg_germany.csv").filter(pl.col("period") == 2014).sort("industry")
    e = raw["employment"].to_numpy()[None, :]
    assert ix.lq_gini_regions(e, benchmark_shares=de["employment"].to_numpy())[0] == \
        pytest.approx(0.2089009, abs=5e-8)
    fk = np.array([[700, 600, 500, 10000, 40000.0]])
    assert ix.lq_gini_regions(fk, benchmark_shares=np.array([30000, 15000, 10000, 60000, 50000.0]))[0] \
        == pytest.approx(0.6222222, abs=5e-8)


def test_reat_published_gini_conc_and_our_locational_gini():
    eij = np.array([500, 500, 1000, 7000, 1000.0])
    Ej = np.array([20000, 15000, 20000, 40000, 5000.0])
    v = np.stack([eij, Ej - eij], axis=1)  # region totals are E_j
    assert ix.lq_gini_industries(v)[0] == pytest.approx(0.4068966, abs=5e-8)
    # the area-based locational Gini of the same industry (hand-computed: 1 − 2 × 0.31375)
    assert ix.locational_gini(v)[0] == pytest.approx(0.3725, abs=1e-12)


def test_reat_published_ellison_glaeser_with_plant_sizes():
    plants = np.array([200, 650, 12000, 100, 50, 16000, 13000, 1500, 1500, 25000.0])
    region = [0, 0, 0, 0, 0, 1, 1, 1, 1, 2]  # Wien, Linz, Graz
    eij = np.bincount(region, weights=plants)
    Ej = np.array([500000, 400000, 100000.0])
    z = plants / plants.sum()
    v = np.stack([eij, Ej - eij], axis=1)
    eg = ix.ellison_glaeser(v, plant_herfindahl=np.array([(z ** 2).sum(), np.nan]),
                            plant_z4=np.array([(z ** 4).sum(), np.nan]))
    assert eg["gamma"][0] == pytest.approx(0.05990628, abs=5e-9)


def test_reat_published_herfindahl():
    h, hn, eq = ix.herfindahl(np.array([[20, 50, 20, 10.0]]))
    assert (round(h[0], 2), round(hn[0], 2), round(eq[0], 2)) == (0.34, 0.12, 2.94)


def test_unweighted_gini_matches_pairwise_definition():
    rng = np.random.default_rng(11)
    a = rng.random((5, 7))
    for row in a:
        want = np.abs(row[:, None] - row[None, :]).sum() / (2 * len(row) ** 2 * row.mean())
        assert ix.unweighted_gini(row[None, :])[0] == pytest.approx(want, rel=1e-12)


def test_cli_eg_on_establishments_is_exact(tmp_path, capsys):
    out = tmp_path / "est.csv"
    code, _, err = run(["indices", str(REAT / "laender_firms_2015.csv"), "-o", str(out), "--by",
                        "industry", "-m", "establishments"], capsys)
    assert code == 0, err
    df = pl.read_csv(out)
    assert set(df["eg_h_source"]) == {"establishment_count_exact"}
    firms = pl.read_csv(REAT / "laender_firms_2015.csv").filter(pl.col("industry") == "C")
    c = df.filter(pl.col("industry") == "C").row(0, named=True)
    assert c["eg_plant_herfindahl"] == pytest.approx(1 / firms["establishments"].sum())


def test_benchmark_without_an_industry_leaves_it_out_of_krugman_only():
    v = np.array([[10.0, 20.0, 30.0], [5.0, 5.0, 40.0]])
    m = ix.Matrix(["a", "b"], ["1", "2", "3"], v, np.ones_like(v, bool))
    bench = np.array([100.0, 300.0, np.nan])
    got = ix.region_indices(m, benchmark_shares=bench)
    want = ix.krugman(v[:, :2], benchmark_shares=bench[:2])
    assert got["krugman"] == pytest.approx(want)
    assert got["herfindahl"] == pytest.approx(ix.herfindahl(v)[0])  # unaffected by the benchmark


def test_coagglomeration_with_real_suppression_matches_reference():
    """Utah counties, 4-digit NAICS, 2016 Q1 (BLS QCEW sample): pairwise complete cases."""
    from clusterid.cli.indices import load_table

    lf, _ = load_table(str(SAMPLE))
    sel = ix.select_rows(lf, schema.EMPLOYMENT, level=4, region_level="county", periods=["2016Q1"])
    m = ix.period_matrix(sel, "2016Q1")
    sup_cols = np.flatnonzero((~m.observed).any(axis=0))[:25]
    full_cols = np.flatnonzero(m.observed.all(axis=0))[:10]
    cols = np.concatenate([sup_cols, full_cols])
    assert len(sup_cols) == 25  # real suppressed cells are in play
    v, o = m.values[:, cols], m.observed[:, cols]
    got = ix.coagglomeration_matrix(v, o)
    want = ref_coagg(np.where(o, v, 0.0), o)
    assert np.allclose(got, want, rtol=1e-8, atol=1e-12, equal_nan=True)
    assert np.isfinite(got).sum() > 100  # pairs with common activity


@pytest.mark.parametrize("by", ["region", "industry", "pair"])
def test_cli_output_does_not_depend_on_input_row_order(by, tmp_path, capsys):
    src = pl.read_csv(REAT / "laender_emp.csv", infer_schema_length=0)
    shuffled = tmp_path / "shuffled.csv"
    src.sample(fraction=1.0, shuffle=True, seed=5).write_csv(shuffled)
    outs = []
    for path in (REAT / "laender_emp.csv", shuffled):
        out = tmp_path / f"{path.stem}.{by}.csv"
        code, _, err = run(["indices", str(path), "-o", str(out), "--by", by, "--period", "2011"],
                           capsys)
        assert code == 0, err
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_cli_every_measure(tmp_path, capsys):
    out = tmp_path / "all.csv"
    code, _, err = run(["indices", str(REAT / "laender_firms_2015.csv"), "-o", str(out), "-m", "all"],
                       capsys)
    assert code == 0, err
    df = pl.read_csv(out)
    assert df["measure"].unique().sort().to_list() == ["employment", "establishments"]
    assert df.height == 2 * 16


def test_eg_p_value_is_the_upper_normal_tail():
    _, m = laender("2008")
    firms = np.full(m.values.shape[1], 1000.0)
    res = ix.industry_indices(m, n_plants=firms)
    z = res["eg_z"]
    from scipy.stats import norm

    assert res["eg_p_value"] == pytest.approx(norm.sf(z), rel=1e-9)


def test_cli_rest_of_nation_krugman(tmp_path, capsys):
    out = tmp_path / "rest.csv"
    code, _, err = run(["indices", str(REAT / "laender_emp.csv"), "-o", str(out), "--period", "2014",
                        "-b", "rest"], capsys)
    assert code == 0, err
    df = pl.read_csv(out)
    _, m = laender("2014")
    for j, region in enumerate(m.regions):
        others = np.delete(m.values, j, axis=0).sum(axis=0)
        want = ref_region(m.values[j:j + 1], m.observed[j:j + 1], others.tolist())[0]["krugman"]
        assert df.filter(pl.col("region") == region)["krugman"][0] == pytest.approx(want, rel=1e-12)
