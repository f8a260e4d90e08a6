"""Shift-share: toy cases, a loop reference on the REAT German tables (Länder, Göttingen and
Freiburg against Germany), adding-up properties (Hypothesis) and the ``shift-share`` command."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from clusterid import schema
from clusterid.core import indices as ix
from clusterid.core import shiftshare as ss
from clusterid.io.tables import scan_canonical
from conftest import run_main

REAT = Path(__file__).resolve().parent / "data" / "reat"


# ----------------------------------------------------------------------------- reference

def ref_cells(e0, e1, E0_i, E1_i, E0, E1):
    """Dunn and Esteban-Marquillas straight from METHODS.md §3, one cell at a time."""
    R, I = len(e0), len(e0[0])
    G = E1 / E0 - 1
    out = {}
    for j in range(R):
        ej0 = sum(e0[j])
        for i in range(I):
            Gi = E1_i[i] / E0_i[i] - 1
            ns = e0[j][i] * G
            im = e0[j][i] * (Gi - G)
            rs = e1[j][i] - e0[j][i] * (1 + Gi)
            hom = ej0 * E0_i[i] / E0
            if e0[j][i] > 0:
                g = e1[j][i] / e0[j][i] - 1
                comp = hom * (g - Gi)
                alloc = (e0[j][i] - hom) * (g - Gi)
            else:
                comp = alloc = None
            out[j, i] = {"national_share": ns, "industry_mix": im, "regional_share": rs,
                         "homothetic_base": hom, "competitive": comp, "allocation": alloc}
    return out


def matrices(path, p0, p1):
    lf, _ = scan_canonical(str(path))
    sel = ix.select_rows(lf, schema.EMPLOYMENT)
    d = sel.detail
    regions = sorted(d[schema.REGION].unique().to_list())
    inds = sorted(d[schema.INDUSTRY].unique().to_list())
    m0 = ix.period_matrix(sel, p0, regions=regions, industries=inds)
    m1 = ix.period_matrix(sel, p1, regions=regions, industries=inds)
    return sel, m0, m1


def check_against_reference(cells, ref, R, I):
    for j in range(R):
        for i in range(I):
            want = ref[j, i]
            for k, v in want.items():
                got = cells[k][j, i]
                if v is None:
                    assert math.isnan(got), (k, j, i)
                else:
                    assert got == pytest.approx(v, rel=1e-10, abs=1e-7), (k, j, i)


# ----------------------------------------------------------------------------- toy cases

def test_toy_dunn_by_hand():
    # benchmark grows 200 -> 220 (G = .1); industry 100 -> 120 (G_i = .2); region 10 -> 15
    d = ss.dunn(np.array([[10.0]]), np.array([[15.0]]), np.array([100.0]), np.array([120.0]),
                200.0, 220.0)
    assert d["national_share"][0, 0] == pytest.approx(1.0)
    assert d["industry_mix"][0, 0] == pytest.approx(1.0)
    assert d["regional_share"][0, 0] == pytest.approx(3.0)


def test_new_industry_has_finite_regional_share():
    e0 = np.array([[0.0, 50.0], [10.0, 40.0]])
    e1 = np.array([[7.0, 55.0], [12.0, 41.0]])
    cells = ss.shift_share(e0, e1)
    assert cells["regional_share"][0, 0] == 7.0
    assert cells["national_share"][0, 0] == 0.0 and cells["industry_mix"][0, 0] == 0.0
    assert math.isnan(cells["competitive"][0, 0]) and cells["new_industry"][0, 0] == 7.0
    tot = ss.region_totals(cells)
    parts = (tot["national_share"] + tot["industry_mix"] + tot["competitive"] + tot["allocation"]
             + tot["new_industry"])
    assert parts == pytest.approx(tot["change"])


def test_unobserved_cells_get_no_components():
    e0 = np.array([[np.nan, 50.0], [10.0, 40.0]])
    e1 = np.array([[7.0, 55.0], [12.0, 41.0]])
    cells = ss.shift_share(e0, e1)
    assert math.isnan(cells["regional_share"][0, 0]) and math.isnan(cells["national_share"][0, 0])
    tot = ss.region_totals(cells)
    assert tot["n_cells"].tolist() == [1, 2]
    assert tot["change"][0] == 5.0  # only the observed cell, never 7 − 0


def test_esteban_marquillas_splits_regional_share():
    e0 = np.array([[20.0, 80.0], [60.0, 40.0]])
    e1 = np.array([[30.0, 82.0], [63.0, 45.0]])
    c = ss.shift_share(e0, e1)
    # homothetic: e_j0 S_i0 with S0 = (80, 120) / 200
    assert c["homothetic_base"][0] == pytest.approx([40.0, 60.0])
    ok = e0 > 0
    assert (c["competitive"] + c["allocation"])[ok] == pytest.approx(c["regional_share"][ok])


# ----------------------------------------------------------------------------- REAT

@pytest.mark.parametrize("p0,p1", [("2008", "2014"), ("2010", "2012")])
def test_laender_match_reference(p0, p1):
    _, m0, m1 = matrices(REAT / "laender_emp.csv", p0, p1)
    cells = ss.shift_share(m0.values, m1.values)
    E0_i, E1_i = m0.values.sum(axis=0), m1.values.sum(axis=0)
    ref = ref_cells(m0.values.tolist(), m1.values.tolist(), E0_i.tolist(), E1_i.tolist(),
                    E0_i.sum(), E1_i.sum())
    check_against_reference(cells, ref, *m0.values.shape)


def test_goettingen_against_germany_from_the_raw_table(shared):
    """Göttingen 2008 -> 2017 against Germany; benchmark growth from the national A-R total."""
    raw = pl.read_csv(shared("reat_germany_eu", "REAT_Goettingen.csv"))
    tot = raw.filter(pl.col("WZ2008_Code") == "A-R")
    sec = raw.filter(pl.col("WZ2008_Code") != "A-R").sort("WZ2008_Code")
    e0 = [sec["Goettingen2008"].cast(pl.Float64).to_list()]
    e1 = [sec["Goettingen2017"].cast(pl.Float64).to_list()]
    E0_i = sec["BRD2008"].cast(pl.Float64).to_list()
    E1_i = sec["BRD2017"].cast(pl.Float64).to_list()
    E0, E1 = float(tot["BRD2008"][0]), float(tot["BRD2017"][0])
    ref = ref_cells(e0, e1, E0_i, E1_i, E0, E1)
    cells = ss.shift_share(np.array(e0), np.array(e1), None, np.array(E0_i), np.array(E1_i), E0, E1)
    check_against_reference(cells, ref, 1, len(E0_i))
    # Göttingen's health sector (Q) grew 12,360 -> 16,896; more than Germany's Q: RS > 0
    q = sec["WZ2008_Code"].to_list().index("Q")
    assert cells["regional_share"][0, q] == pytest.approx(16896 - 12360 * 4676036 / 3554458)


def test_cli_goettingen_external_benchmark_matches_reference(tmp_path, capsys):
    out = tmp_path / "goe.csv"
    code, _, err = run(["shift-share", str(REAT / "goettingen.csv"), "--from", "2008", "--to", "2017",
                        "-b", str(REAT / "goettingen_germany.csv"), "-o", str(out)], capsys)
    assert code == 0, err
    df = pl.read_csv(out).sort("industry")
    de = pl.read_csv(REAT / "goettingen_germany.csv")
    goe = pl.read_csv(REAT / "goettingen.csv")

    def col(frame, period, level=1):
        f = frame.filter((pl.col("period") == period) & (pl.col("level") == level)).sort("industry")
        return f["employment"].to_list()

    ref = ref_cells([col(goe, 2008)], [col(goe, 2017)], col(de, 2008), col(de, 2017),
                    col(de, 2008, 0)[0], col(de, 2017, 0)[0])
    for i in range(df.height):
        for k in ("national_share", "industry_mix", "regional_share", "competitive"):
            assert df[k][i] == pytest.approx(ref[0, i][k], rel=1e-10), k


def test_cli_freiburg_against_germany(tmp_path, capsys):
    out = tmp_path / "fr.csv"
    code, _, err = run(["shift-share", str(REAT / "freiburg.csv"), "--from", "2008", "--to", "2014",
                        "-b", str(REAT / "freiburg_germany.csv"), "--by", "region", "-o", str(out)],
                       capsys)
    assert code == 0, err
    row = pl.read_csv(out).row(0, named=True)
    raw = pl.read_csv(REAT / "freiburg.csv")
    de = pl.read_csv(REAT / "freiburg_germany.csv")
    e0 = raw.filter(pl.col("period") == 2008).sort("industry")["employment"].to_numpy()
    e1 = raw.filter(pl.col("period") == 2014).sort("industry")["employment"].to_numpy()
    E0 = de.filter(pl.col("period") == 2008).sort("industry")["employment"].to_numpy()
    E1 = de.filter(pl.col("period") == 2014).sort("industry")["employment"].to_numpy()
    G = E1.sum() / E0.sum() - 1
    assert row["national_share"] == pytest.approx(e0.sum() * G, rel=1e-12)
    assert row["regional_share"] == pytest.approx(float(np.sum(e1 - e0 * E1 / E0)), rel=1e-10)
    assert row["change"] == e1.sum() - e0.sum()


# ----------------------------------------------------------------------------- properties

pairs = st.integers(2, 6).flatmap(lambda r: st.integers(2, 5).flatmap(lambda i: st.tuples(
    hnp.arrays(np.float64, (r, i), elements=st.integers(0, 10_000).map(float)),
    hnp.arrays(np.float64, (r, i), elements=st.integers(0, 10_000).map(float)))))


def _close(a, b, scale):
    return np.all(np.abs(a - b) <= 1e-9 * np.maximum(1.0, scale))


@settings(max_examples=120, deadline=None)
@given(pairs)
def test_components_add_up_per_cell_and_region(pair):
    e0, e1 = pair
    if not (e0.sum(axis=0) > 0).all():
        # industries absent from the benchmark in the base year have no growth rate
        e0 = e0 + (e0.sum(axis=0) == 0)[None, :]
    c = ss.shift_share(e0, e1)
    scale = np.maximum(np.abs(e0), np.abs(e1)) * 10
    total = c["national_share"] + c["industry_mix"] + c["regional_share"]
    assert _close(total, e1 - e0, scale)
    em = np.nan_to_num(c["competitive"]) + np.nan_to_num(c["allocation"]) + c["new_industry"]
    assert _close(em, c["regional_share"], scale)
    t = ss.region_totals(c)
    parts = (t["national_share"] + t["industry_mix"] + t["competitive"] + t["allocation"]
             + t["new_industry"])
    rscale = scale.sum(axis=1)
    assert _close(parts, t["change"], rscale)
    assert _close(t["national_share"] + t["industry_mix"] + t["regional_share"],
                  (e1 - e0).sum(axis=1), rscale)


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 5).flatmap(lambda t: hnp.arrays(
    np.float64, (t, 3, 4), elements=st.integers(1, 5000).map(float))))
def test_dynamic_chain_adds_up_to_the_whole_change(panel):
    steps, total = ss.dynamic_shift_share(list(panel))
    assert len(steps) == panel.shape[0] - 1
    scale = np.abs(panel).max(axis=0) * 10 * panel.shape[0]
    parts = total["national_share"] + total["industry_mix"] + total["regional_share"]
    assert _close(parts, panel[-1] - panel[0], scale)
    em = total["competitive"] + total["allocation"] + total["new_industry"]
    assert _close(em, total["regional_share"], scale)


@settings(max_examples=40, deadline=None)
@given(pairs, st.randoms(use_true_random=False))
def test_invariant_to_region_and_industry_order(pair, rnd):
    e0, e1 = pair
    e0 = e0 + 1
    rp, cp = list(range(e0.shape[0])), list(range(e0.shape[1]))
    rnd.shuffle(rp)
    rnd.shuffle(cp)
    a = ss.shift_share(e0, e1)
    b = ss.shift_share(e0[rp][:, cp], e1[rp][:, cp])
    for k in ("national_share", "industry_mix", "regional_share", "competitive"):
        assert np.allclose(b[k], a[k][rp][:, cp], rtol=1e-10, atol=1e-9, equal_nan=True)


# ----------------------------------------------------------------------------- the command

def run(args, capsys):
    return run_main(args, capsys)


def test_cli_cells_and_regions(tmp_path, capsys):
    cells, regions = tmp_path / "c.csv", tmp_path / "r.csv"
    args = ["shift-share", str(REAT / "laender_emp.csv"), "--from", "2008", "--to", "2014"]
    assert run(args + ["-o", str(cells)], capsys)[0] == 0
    assert run(args + ["-o", str(regions), "--by", "region"], capsys)[0] == 0
    c, r = pl.read_csv(cells), pl.read_csv(regions)
    assert c.height == 160 and r.height == 16
    assert set(c["span"]) == {"static"}
    agg = c.group_by("region").agg(pl.col("regional_share").sum(), pl.col("change").sum()).sort("region")
    r = r.sort("region")
    assert agg["regional_share"].to_list() == pytest.approx(r["regional_share"].to_list())
    assert (r["national_share"] + r["industry_mix"] + r["regional_share"]).to_list() == \
        pytest.approx(r["change"].to_list())
    meta = json.loads((tmp_path / "c.csv.meta.json").read_text())
    assert meta["kind"] == "shift_share" and meta["options"]["from"] == "2008"


def test_cli_dynamic(tmp_path, capsys):
    out = tmp_path / "d.csv"
    code, _, err = run(["shift-share", str(REAT / "laender_emp.csv"), "--from", "2008", "--to", "2014",
                        "--dynamic", "--by", "region", "-o", str(out)], capsys)
    assert code == 0, err
    df = pl.read_csv(out)
    assert df.filter(pl.col("span") == "step").height == 16 * 6
    chained = df.filter(pl.col("span") == "chained").sort("region")
    steps = (df.filter(pl.col("span") == "step").group_by("region")
             .agg(pl.col("regional_share").sum(), pl.col("change").sum()).sort("region"))
    assert chained["regional_share"].to_list() == pytest.approx(steps["regional_share"].to_list())
    assert chained["change"].to_list() == pytest.approx(steps["change"].to_list())


@pytest.mark.parametrize("args,message", [
    (["--from", "2008", "--to", "2008"], "same period"),
    (["--from", "2014", "--to", "2008"], "comes after"),
    (["--from", "1990", "--to", "2008"], "not in"),
    (["--from", "2008", "--to", "2014", "--by", "county"], "unknown --by"),
    (["--from", "2008", "--to", "2014", "-m", "output"], "the input has no output column"),
])
def test_cli_usage_errors(args, message, tmp_path, capsys):
    out = tmp_path / "x.csv"
    code, _, err = run(["shift-share", str(REAT / "laender_emp.csv"), "-o", str(out), *args], capsys)
    assert code == 2, err
    assert err.startswith("clusterid: error:") and message in err, err
    assert not out.exists()


def test_cli_shares_only_reference_is_refused(tmp_path, capsys):
    ref = tmp_path / "ref.csv"
    ref.write_text("industry,benchmark_share\nA,0.5\nB-E,0.5\n")
    code, _, err = run(["shift-share", str(REAT / "laender_emp.csv"), "--from", "2008", "--to",
                        "2014", "-b", str(ref), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 2 and "needs benchmark totals" in err, err


def test_estimated_cells_are_used_unless_refused(tmp_path, capsys):
    """A cell with status 'estimated' counts by default and is left out with --no-estimated."""
    src = pl.read_csv(REAT / "laender_emp.csv", infer_schema_length=0)
    hit = (pl.col("region") == "Bremen") & (pl.col("industry") == "A") & (pl.col("period") == "2014")
    src = src.with_columns(pl.when(hit).then(pl.lit("estimated")).otherwise(pl.col("employment_status"))
                           .alias("employment_status"))
    path = tmp_path / "est.csv"
    src.write_csv(path)
    outs = {}
    for flag in ("--estimated", "--no-estimated"):
        out = tmp_path / f"{flag}.csv"
        code, _, err = run(["shift-share", str(path), "--from", "2008", "--to", "2014", "--by",
                            "region", "-o", str(out), flag], capsys)
        assert code == 0, err
        outs[flag] = pl.read_csv(out).filter(pl.col("region") == "Bremen").row(0, named=True)
    assert outs["--estimated"]["n_unobserved"] == 0
    assert outs["--no-estimated"]["n_unobserved"] == 1
    assert outs["--no-estimated"]["n_cells"] == outs["--estimated"]["n_cells"] - 1


def test_cli_rest_of_nation_benchmark(tmp_path, capsys):
    out = tmp_path / "rest.csv"
    code, _, err = run(["shift-share", str(REAT / "laender_emp.csv"), "--from", "2008", "--to", "2014",
                        "-b", "rest", "-o", str(out)], capsys)
    assert code == 0, err
    df = pl.read_csv(out)
    _, m0, m1 = matrices(REAT / "laender_emp.csv", "2008", "2014")
    j = m0.regions.index("Bremen")
    e0, e1 = m0.values, m1.values
    E0_i, E1_i = e0.sum(axis=0) - e0[j], e1.sum(axis=0) - e1[j]
    ref = ref_cells([e0[j].tolist()], [e1[j].tolist()], E0_i.tolist(), E1_i.tolist(),
                    E0_i.sum(), E1_i.sum())
    got = df.filter(pl.col("region") == "Bremen").sort("industry")
    assert got["industry"].to_list() == m0.industries
    for i in range(len(m0.industries)):
        for k in ("national_share", "industry_mix", "regional_share", "competitive", "allocation"):
            assert got[k][i] == pytest.approx(ref[0, i][k], rel=1e-10), k


def test_cli_region_benchmark_is_left_out(tmp_path, capsys):
    out = tmp_path / "reg.csv"
    code, _, err = run(["shift-share", str(REAT / "laender_emp.csv"), "--from", "2008", "--to", "2014",
                        "-b", "region:Bayern", "--by", "region", "-o", str(out)], capsys)
    assert code == 0, err
    df = pl.read_csv(out)
    assert df.height == 15 and "Bayern" not in df["region"].to_list()
    _, m0, m1 = matrices(REAT / "laender_emp.csv", "2008", "2014")
    b = m0.regions.index("Bayern")
    G = m1.values[b].sum() / m0.values[b].sum() - 1
    bremen = df.filter(pl.col("region") == "Bremen").row(0, named=True)
    assert bremen["national_share"] == pytest.approx(m0.values[m0.regions.index("Bremen")].sum() * G)


def test_cli_every_measure(tmp_path, capsys):
    out = tmp_path / "all.csv"
    code, _, err = run(["shift-share", str(REAT / "laender_emp.csv"), "--from", "2008", "--to", "2014",
                        "-m", "all", "--by", "region", "-o", str(out)], capsys)
    assert code == 0, err
    assert pl.read_csv(out)["measure"].unique().to_list() == ["employment"]


@settings(max_examples=80, deadline=None)
@given(pairs, st.integers(0, 2 ** 32 - 1))
def test_suppressed_cells_drop_out_and_the_rest_still_adds_up(pair, seed):
    e0, e1 = pair
    e0 = e0 + 1
    hide = np.random.default_rng(seed).random(e0.shape) < 0.3
    c = ss.shift_share(np.where(hide, np.nan, e0), e1)
    assert np.isnan(c["regional_share"][hide]).all()
    t = ss.region_totals(c)
    want = np.where(hide, 0.0, e1 - e0).sum(axis=1)
    scale = (np.abs(e0) + np.abs(e1)).sum(axis=1) * 10
    assert _close(t["change"], want, scale)
    assert _close(t["national_share"] + t["industry_mix"] + t["regional_share"], want, scale)
