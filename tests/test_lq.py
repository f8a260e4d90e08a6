"""clusterid.core.lq: worked values, hand-computed toys, a slow reference, Hypothesis properties."""

from __future__ import annotations

import math
import random
import statistics

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterid import schema
from clusterid.core import lq as core
from clusterid.core.lq import Benchmark, LQOptions, compute_lq
from clusterid.errors import DataError, UsageError

from conftest import TEST_DATA

Z95 = 1.959963984540054


def table(rows, measure=schema.EMPLOYMENT):
    """rows: (period, region, ownership, industry, level, value or None)."""
    df = pl.DataFrame(
        rows, schema=[schema.PERIOD, schema.REGION, schema.OWNERSHIP, schema.INDUSTRY,
                      schema.LEVEL, measure], orient="row")
    return df.with_columns(
        pl.col(schema.LEVEL).cast(pl.Int8), pl.col(measure).cast(pl.Float64),
        pl.when(pl.col(measure).is_null()).then(pl.lit(schema.SUPPRESSED))
        .otherwise(pl.lit(schema.REPORTED)).alias(schema.status_col(measure)))


def lookup(df, region, industry, column=core.LQ, period=None, measure=None):
    f = df.filter((pl.col(schema.REGION) == region) & (pl.col(schema.INDUSTRY) == industry))
    if period is not None:
        f = f.filter(pl.col(schema.PERIOD) == period)
    if measure is not None:
        f = f.filter(pl.col(core.MEASURE) == measure)
    assert f.height == 1, f
    return f[column][0]


def toy():
    return pl.read_csv(TEST_DATA / "lq" / "toy_canonical.csv",
                       schema_overrides={schema.PERIOD: pl.String, schema.INDUSTRY: pl.String,
                                         schema.LEVEL: pl.Int8})


# --- worked and hand-computed values -------------------------------------------------------


def test_reat_worked_value():
    assert core.lq_value(1714, 79006, 879213, 15593224) == pytest.approx(0.3847623, abs=5e-8)


def test_reat_worked_value_through_a_reference_table():
    cells = table([("2008", "GOE", "total", "10", 0, 79006), ("2008", "GOE", "total", "C", 1, 1714)])
    ref = pl.DataFrame({"industry": ["10", "C"], "benchmark_industry_total": [15593224.0, 879213.0],
                        "benchmark_total": [15593224.0, 15593224.0]})
    df, meta = compute_lq(cells, LQOptions(benchmark=Benchmark("table", table=ref)))
    assert lookup(df, "GOE", "C") == pytest.approx(0.3847623, abs=5e-8)
    assert meta["benchmark"]["kind"] == "table"


def test_toy_sum_benchmark_by_hand():
    # A: 40/100 of industry 11; all regions: 40 + 60 (C's 11 is suppressed) of 500.
    df, meta = compute_lq(toy(), LQOptions())
    assert lookup(df, "A", "11") == pytest.approx((40 / 100) / (100 / 500))
    assert lookup(df, "A", "21") == pytest.approx((60 / 100) / (370 / 500))
    assert lookup(df, "B", "21") == pytest.approx((240 / 300) / (370 / 500))
    assert lookup(df, "C", "11") is None
    assert lookup(df, "C", "11", core.LQ_REASON) == core.REASON_SUPPRESSED
    assert meta["denominator"]["region_groups_total_row"] == 3
    assert meta["undefined"] == {core.REASON_SUPPRESSED: 1}


def test_toy_rest_of_nation_by_hand():
    df, _ = compute_lq(toy(), LQOptions(benchmark=Benchmark("rest")))
    assert lookup(df, "A", "11") == pytest.approx((40 / 100) / (60 / 400))
    assert lookup(df, "B", "21") == pytest.approx((240 / 300) / (130 / 200))


def test_toy_named_region_by_hand_and_region_left_out():
    df, meta = compute_lq(toy(), LQOptions(benchmark=Benchmark("region", region="B")))
    assert lookup(df, "A", "11") == pytest.approx((40 / 100) / (60 / 300))
    assert lookup(df, "C", "21") == pytest.approx((70 / 100) / (240 / 300))
    assert "B" not in df[schema.REGION].to_list()
    assert meta["benchmark"] == {"kind": "region", "region": "B",
                                 "description": meta["benchmark"]["description"]}


def test_sum_denominator_uses_the_level_sum():
    df, _ = compute_lq(toy(), LQOptions(denominator="sum"))
    # C's level-2 sum leaves the suppressed cell out: 70, not the published total 100.
    assert lookup(df, "C", "21", core.REGION_TOTAL) == 70
    assert lookup(df, "A", "11", core.REGION_TOTAL) == 100


def test_total_denominator_falls_back_to_sum_and_says_so():
    t = toy().filter(~((pl.col(schema.REGION) == "A") & (pl.col(schema.INDUSTRY) == "10")))
    df, meta = compute_lq(t, LQOptions(level=2))
    assert lookup(df, "A", "11", core.REGION_TOTAL) == 100  # 40 + 60
    assert meta["denominator"]["region_groups_total_row"] == 2
    assert meta["denominator"]["region_groups_sum_of_industries"] == 1


def test_levels_never_mix():
    rows = [("1", "A", "total", "10", 0, 100), ("1", "A", "total", "31-33", 2, 50),
            ("1", "A", "total", "311", 3, 30), ("1", "A", "total", "312", 3, 20),
            ("1", "A", "total", "42", 2, 50),
            ("1", "B", "total", "10", 0, 100), ("1", "B", "total", "31-33", 2, 20),
            ("1", "B", "total", "311", 3, 20), ("1", "B", "total", "42", 2, 80)]
    df, _ = compute_lq(table(rows), LQOptions(denominator="sum"))
    # level 3 denominator of A is 30 + 20 = 50, not 100 + 50 + 30 + 20 + 50
    assert lookup(df, "A", "311", core.REGION_TOTAL) == 50
    assert lookup(df, "A", "31-33", core.REGION_TOTAL) == 100
    assert lookup(df, "A", "311", core.BENCHMARK_TOTAL) == 70  # A's 50 + B's 20
    only3, _ = compute_lq(table(rows), LQOptions(denominator="sum", level=3))
    assert set(only3[schema.INDUSTRY].to_list()) == {"311", "312"}


def test_undefined_lqs_have_reasons_never_zero():
    rows = [("1", "A", "total", "x", 2, 0), ("1", "A", "total", "y", 2, 0),
            ("1", "B", "total", "x", 2, 5), ("1", "B", "total", "y", 2, 0),
            ("1", "B", "total", "z", 2, None)]
    df, meta = compute_lq(table(rows), LQOptions(denominator="sum"))
    assert lookup(df, "A", "x", core.LQ_REASON) == core.REASON_ZERO_REGION_TOTAL
    assert lookup(df, "B", "y", core.LQ_REASON) == core.REASON_ZERO_BENCHMARK
    assert lookup(df, "B", "z", core.LQ_REASON) == core.REASON_SUPPRESSED
    assert lookup(df, "B", "x") == pytest.approx(1.0)
    assert df.filter(pl.col(core.LQ_REASON).is_not_null())[core.LQ].null_count() == 4
    assert sum(meta["undefined"].values()) == 4


def test_reference_missing_industry_is_no_benchmark():
    cells = table([("1", "A", "total", "x", 2, 5), ("1", "A", "total", "y", 2, 5)])
    ref = pl.DataFrame({"industry": ["x"], "benchmark_share": [0.25]})
    df, _ = compute_lq(cells, LQOptions(benchmark=Benchmark("table", table=ref),
                                        denominator="sum"))
    assert lookup(df, "A", "x") == pytest.approx(0.5 / 0.25)
    assert lookup(df, "A", "y", core.LQ_REASON) == core.REASON_NO_BENCHMARK


def test_reference_table_errors():
    cells = table([("1", "A", "total", "x", 2, 5)])
    with pytest.raises(DataError, match="not a reference table"):
        compute_lq(cells, LQOptions(benchmark=Benchmark("table", table=pl.DataFrame({"industry": ["x"]}))))
    dup = pl.DataFrame({"industry": ["x", "x"], "benchmark_share": [0.1, 0.2]})
    with pytest.raises(DataError, match="several rows"):
        compute_lq(cells, LQOptions(benchmark=Benchmark("table", table=dup)))


def test_canonical_reference_must_be_one_region():
    cells = table([("1", "A", "total", "x", 2, 5), ("1", "A", "total", "10", 0, 10)])
    nation = table([("1", "US", "total", "x", 2, 50), ("1", "US", "total", "10", 0, 1000)])
    df, _ = compute_lq(cells, LQOptions(benchmark=Benchmark("table", table=nation)))
    assert lookup(df, "A", "x") == pytest.approx((5 / 10) / (50 / 1000))
    two = pl.concat([nation, nation.with_columns(pl.lit("CA").alias(schema.REGION))])
    with pytest.raises(DataError, match="one region per period"):
        compute_lq(cells, LQOptions(benchmark=Benchmark("table", table=two)))


def test_bls_all_ownership_denominator():
    rows = [("Q1", "A", "total", "10", 0, 1000), ("Q1", "A", "private", "10", 0, 800),
            ("Q1", "A", "private", "111", 3, 40),
            ("Q1", "B", "total", "10", 0, 3000), ("Q1", "B", "private", "10", 0, 2000),
            ("Q1", "B", "private", "111", 3, 60)]
    df, meta = compute_lq(table(rows), LQOptions(denominator="all-ownership",
                                                 ownership=("private",)))
    # (40 / 1000) / ((40 + 60) / (1000 + 3000)), the all-ownership totals
    assert lookup(df, "A", "111") == pytest.approx((40 / 1000) / (100 / 4000))
    assert lookup(df, "A", "10") == pytest.approx((800 / 1000) / (2800 / 4000))
    assert set(df[schema.OWNERSHIP].to_list()) == {"private"}
    assert meta["denominator"]["rule"] == "all-ownership"


def test_each_period_has_its_own_benchmark():
    rows1 = [("P1", "A", "total", "x", 2, 10), ("P1", "A", "total", "y", 2, 30),
             ("P1", "B", "total", "x", 2, 20), ("P1", "B", "total", "y", 2, 5)]
    rows2 = [("P2", "A", "total", "x", 2, 1), ("P2", "A", "total", "y", 2, 90),
             ("P2", "B", "total", "x", 2, 70), ("P2", "B", "total", "y", 2, 5)]
    both, _ = compute_lq(table(rows1 + rows2), LQOptions(denominator="sum"))
    one, _ = compute_lq(table(rows2), LQOptions(denominator="sum"))
    assert np.allclose(both.filter(pl.col(schema.PERIOD) == "P2")[core.LQ].to_numpy(),
                       one[core.LQ].to_numpy(), rtol=1e-12)


def test_every_measure_and_relative_productivity():
    base = table([("1", "A", "total", "x", 2, 10), ("1", "A", "total", "y", 2, 30),
                  ("1", "B", "total", "x", 2, 20), ("1", "B", "total", "y", 2, 40)])
    out = base.with_columns(pl.Series(schema.OUTPUT, [50.0, 30.0, 20.0, 40.0]),
                            pl.lit(schema.REPORTED).alias(schema.status_col(schema.OUTPUT)))
    df, meta = compute_lq(out, LQOptions(denominator="sum"))
    assert meta["measures"] == [schema.EMPLOYMENT, schema.OUTPUT]
    assert df[core.MEASURE].to_list() == [schema.EMPLOYMENT] * 4 + [schema.OUTPUT] * 4
    lq_emp = lookup(df, "A", "x", measure=schema.EMPLOYMENT)
    lq_out = lookup(df, "A", "x", measure=schema.OUTPUT)
    assert lq_out == pytest.approx((50 / 80) / (70 / 140))
    assert lookup(df, "A", "x", core.RELATIVE_PRODUCTIVITY, measure=schema.OUTPUT) == \
        pytest.approx(lq_out / lq_emp)
    # output is not a count: no Poisson interval
    assert lookup(df, "A", "x", core.LQ_LOWER, measure=schema.OUTPUT) is None
    assert meta["interval"]["not_computed_for"] == [schema.OUTPUT]


def test_bounds_hook():
    t = table([("1", "A", "total", "x", 2, None), ("1", "A", "total", "10", 0, 100),
               ("1", "B", "total", "x", 2, 50), ("1", "B", "total", "10", 0, 100)])
    t = t.with_columns(pl.when(pl.col(schema.EMPLOYMENT).is_null()).then(10.0)
                       .alias(schema.lower_col(schema.EMPLOYMENT)),
                       pl.when(pl.col(schema.EMPLOYMENT).is_null()).then(20.0)
                       .alias(schema.upper_col(schema.EMPLOYMENT)))
    ref = pl.DataFrame({"industry": ["x", "10"], "benchmark_share": [0.2, 1.0]})
    df, _ = compute_lq(t, LQOptions(benchmark=Benchmark("table", table=ref)))
    assert lookup(df, "A", "x") is None
    assert lookup(df, "A", "x", core.LQ_BOUND_LOWER) == pytest.approx(0.1 / 0.2)
    assert lookup(df, "A", "x", core.LQ_BOUND_UPPER) == pytest.approx(0.2 / 0.2)


def test_options_are_validated():
    with pytest.raises(UsageError, match="denominator"):
        compute_lq(toy(), LQOptions(denominator="nation"))
    with pytest.raises(UsageError, match="not in the input"):
        compute_lq(toy(), LQOptions(benchmark=Benchmark("region", region="ZZ")))
    with pytest.raises(UsageError, match="not in the input"):
        compute_lq(toy(), LQOptions(measures=(schema.WAGES,)))
    with pytest.raises(UsageError, match="confidence"):
        compute_lq(toy(), LQOptions(confidence=1.5))


def test_threshold_is_at_or_above():
    rows = [("1", "A", "total", "x", 2, 1), ("1", "A", "total", "y", 2, 1),
            ("1", "B", "total", "x", 2, 0), ("1", "B", "total", "y", 2, 2)]
    df, meta = compute_lq(table(rows), LQOptions(denominator="sum", threshold=2.0))
    assert lookup(df, "A", "x") == pytest.approx(2.0)
    assert lookup(df, "A", "x", core.SPECIALISED) is True
    assert meta["specialised"]["comparison"] == ">="
    # a true zero is LQ 0 (not undefined), with interval [0, the exact Poisson upper limit of
    # the count, u = 3.689 at 95%, as an LQ, the other counts held fixed: B's total and the
    # benchmark's hold the cell, (u / (2 + u)) / ((1 + u) / (4 + u)) = 1.063]; it was [0, inf),
    # then u / 2 / (1 / 4) = 7.38, where no count could lift B's LQ above 4 / 2
    u = 3.6888794541
    assert lookup(df, "B", "x") == 0.0
    assert lookup(df, "B", "x", core.LQ_LOWER) == 0.0
    assert lookup(df, "B", "x", core.LQ_UPPER) == pytest.approx((u / (2 + u)) / ((1 + u) / (4 + u)))


# --- the slow, obvious reference implementation ----------------------------------------------


def slow_lq(rows, kind="sum", denominator="total", bench_region=None, z=Z95):
    """Loops over dicts: LQ, interval and SLQ for one measure, exactly as METHODS.md reads."""
    cells = {(p, r, o, i): (lvl, v) for p, r, o, i, lvl, v in rows}
    def e_j(p, r, o, lvl):
        if denominator == "total" and (p, r, o, "10") in cells:
            return cells[(p, r, o, "10")][1]
        vals = [v for (pp, rr, oo, _), (ll, v) in cells.items() if (pp, rr, oo, ll) == (p, r, o, lvl)]
        if denominator == "total" and any(v is None for v in vals):
            return None  # no total row and a suppressed cell: the sum is only a lower bound
        return sum(v for v in vals if v is not None)
    out = {}
    for (p, r, o, i), (lvl, e) in cells.items():
        if kind == "region" and r == bench_region:
            continue
        d = e_j(p, r, o, lvl)
        if kind == "region":
            Ei = cells.get((p, bench_region, o, i), (None, None))[1]
            E = e_j(p, bench_region, o, lvl)
            own = [ll for (pp, rr, oo, ii), (ll, v) in cells.items()
                   if (pp, rr, oo) == (p, bench_region, o) and ll]
            if i == "10" and (p, bench_region, o, "10") not in cells and own:
                # a benchmark region without an all-industry row: its whole, the sum of its
                # coarsest level
                Ei = E = e_j(p, bench_region, o, min(own))
        else:
            Ei = sum(v for (pp, rr, oo, ii), (ll, v) in cells.items()
                     if (pp, oo, ii) == (p, o, i) and v is not None and e_j(p, rr, o, ll) is not None)
            regions = {rr for (pp, rr, oo, ii), (ll, v) in cells.items() if (pp, oo, ll) == (p, o, lvl)}
            E = sum(t for t in (e_j(p, rr, o, lvl) for rr in regions) if t is not None)
            if kind == "rest":
                Ei = Ei - e if e is not None else None
                E = E - d if d is not None else None
        lq = lo = hi = None
        if e is not None and d and Ei and E:
            lq = (e / d) / (Ei / E)
            if e > 0:
                if kind == "rest":
                    var = 1 / e - 1 / d + 1 / Ei - 1 / E
                else:
                    var = 1 / e - 1 / d - 1 / Ei - 1 / E + 2 * e / (d * Ei)
                sd = math.sqrt(max(var, 0.0))
                lo, hi = lq * math.exp(-z * sd), lq * math.exp(z * sd)
            else:  # a zero cell: the exact Poisson upper limit of its count (chi2 / 2, 2 df),
                # the other counts held fixed (the totals that hold the cell move with it)
                from scipy.stats import chi2, norm

                u = chi2.ppf(1 - 2 * norm.sf(z) / 2, 2) / 2
                lo, hi = 0.0, (u / (d + u)) / (Ei / E if kind == "rest" else (Ei + u) / (E + u))
        out[(p, r, o, i)] = [lq, lo, hi, None]
    for (p, o, i) in {(k[0], k[2], k[3]) for k in out}:
        keys = [k for k in out if (k[0], k[2], k[3]) == (p, o, i) and out[k][0] is not None]
        vals = [out[k][0] for k in keys]
        if len(vals) >= 2 and statistics.stdev(vals) > 0:
            m, s = statistics.mean(vals), statistics.stdev(vals)
            for k in keys:
                out[k][3] = (out[k][0] - m) / s
    return out


def random_rows(seed, n_regions=6, n_industries=5, periods=("P1", "P2"), zeros=0.0):
    """``zeros``: the share of cells that are a true 0 (else 1 in 501: the zero cells' exact
    upper limit went untested in the four seeds)."""
    rng = random.Random(seed)
    rows = []
    for p in periods:
        for r in range(n_regions):
            total = 0
            for i in range(n_industries):
                if rng.random() < 0.15:
                    continue  # absent row
                v = None if rng.random() < 0.1 else float(rng.randint(0, 500))
                if zeros and v is not None and rng.random() < zeros:
                    v = 0.0
                total += v or 0
                rows.append((p, f"R{r}", "total", f"I{i}", 2, v))
            if rng.random() < 0.8:
                rows.append((p, f"R{r}", "total", "10", 0, float(total + rng.randint(0, 300))))
    return rows


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("kind,denominator", [("sum", "total"), ("sum", "sum"), ("rest", "total"),
                                              ("region", "sum"), ("region", "total")])
@pytest.mark.parametrize("zeros", [0.0, 0.3])
def test_fast_equals_slow_reference(seed, kind, denominator, zeros):
    rows = random_rows(seed, zeros=zeros)
    bench = Benchmark(kind, region="R2") if kind == "region" else Benchmark(kind)
    df, _ = compute_lq(table(rows), LQOptions(benchmark=bench, denominator=denominator))
    expected = slow_lq(rows, kind, denominator, bench_region="R2")
    assert df.height == len(expected)
    for row in df.iter_rows(named=True):
        key = (row[schema.PERIOD], row[schema.REGION], row[schema.OWNERSHIP], row[schema.INDUSTRY])
        lq, lo, hi, slq = expected[key]
        for got, want in ((row[core.LQ], lq), (row[core.LQ_LOWER], lo), (row[core.LQ_UPPER], hi),
                          (row[core.SLQ], slq)):
            if want is None:
                assert got is None, (key, got)
            else:
                assert got == pytest.approx(want, rel=1e-9, abs=1e-12), key


# --- multiple testing ------------------------------------------------------------------------


def test_corrections_match_scipy():
    from scipy import stats

    rows = random_rows(11, n_regions=12, n_industries=8, periods=("P",))
    base, _ = compute_lq(table(rows), LQOptions(correction="none"))
    p = base[core.P_VALUE].to_numpy()
    level = base[schema.LEVEL].to_numpy()
    for correction in ("bh", "bonferroni"):
        df, meta = compute_lq(table(rows), LQOptions(correction=correction))
        assert meta["significance"]["correction"] == correction
        for lvl in (0, 2):
            mask = (level == lvl) & ~np.isnan(p)
            if correction == "bh":
                want = stats.false_discovery_control(p[mask], method="bh") < 0.05
            else:
                want = p[mask] * mask.sum() < 0.05
            got = df[core.SIGNIFICANT].to_numpy()[mask]
            assert got.tolist() == want.tolist()
    none_sig = base.filter(pl.col(core.SIGNIFICANT))
    # without a correction, significant <=> the interval excludes 1
    assert ((none_sig[core.LQ_LOWER] > 1) | (none_sig[core.LQ_UPPER] < 1)).all()


def test_bootstrap_is_seeded_and_recorded():
    rows = random_rows(3, n_regions=15, n_industries=4, periods=("P",))
    a, meta = compute_lq(table(rows), LQOptions(bootstrap=50, random_state=7))
    b, _ = compute_lq(table(rows), LQOptions(bootstrap=50, random_state=7))
    assert a.equals(b)
    assert meta["bootstrap"]["random_state"] == 7 and meta["bootstrap"]["replicates"] == 50
    crit = a[core.LOG_SLQ_CRITICAL].drop_nulls()
    assert crit.len() > 0 and ((crit > 0.5) & (crit < 4)).all()


def test_bootstrap_too_large_for_memory_is_refused_before_resampling():
    # 4 million replicates of an industry in up to 15 regions: ~60 M resampled values, three
    # copies of ~0.5 GB each
    rows = random_rows(3, n_regions=15, n_industries=4, periods=("P",))
    with pytest.raises(UsageError, match=r"--bootstrap 4000000: at most [0-9,]+ replicates "
                                         r"for an industry in 1[0-5] regions"):
        compute_lq(table(rows), LQOptions(bootstrap=4_000_000))


# --- Hypothesis properties -------------------------------------------------------------------


@st.composite
def matrices(draw):
    n_r = draw(st.integers(2, 6))
    n_i = draw(st.integers(2, 6))
    values = draw(st.lists(st.lists(st.integers(0, 10_000), min_size=n_i, max_size=n_i),
                           min_size=n_r, max_size=n_r))
    for row in values:
        if sum(row) == 0:
            row[0] = 1
    return values


def matrix_table(values, scale=None):
    rows = []
    for r, row in enumerate(values):
        for i, v in enumerate(row):
            f = scale.get(r, 1) if scale else 1
            rows.append(("P", f"R{r}", "total", f"I{i}", 2, float(v) * f))
    return table(rows)


def lq_matrix(df):
    return {(r, i): v for r, i, v in df.select(schema.REGION, schema.INDUSTRY, core.LQ).iter_rows()}


PROP = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROP
@given(matrices())
def test_identities_of_the_sum_benchmark(values):
    df, _ = compute_lq(matrix_table(values), LQOptions(denominator="sum"))
    E = float(np.sum(values))
    lq = lq_matrix(df)
    for r, row in enumerate(values):
        e_j = sum(row)
        total = sum((sum(v[i] for v in values) / E) * (lq[(f"R{r}", f"I{i}")] or 0.0)
                    for i in range(len(row)))
        assert total == pytest.approx(1.0)
        for i in range(len(row)):
            if lq[(f"R{r}", f"I{i}")] is not None:
                assert lq[(f"R{r}", f"I{i}")] <= E / e_j * (1 + 1e-12)
    for i in range(len(values[0])):
        E_i = sum(v[i] for v in values)
        if E_i == 0:
            assert all(lq[(f"R{r}", f"I{i}")] is None for r in range(len(values)))
            continue
        total = sum(sum(row) / E * lq[(f"R{r}", f"I{i}")] for r, row in enumerate(values))
        assert total == pytest.approx(1.0)


@PROP
@given(matrices(), st.integers(2, 50))
def test_scaling_a_region_leaves_its_lqs_unchanged(values, factor):
    base = lq_matrix(compute_lq(matrix_table(values), LQOptions(denominator="sum",
                                                                benchmark=Benchmark("rest")))[0])
    # rest-of-nation benchmark: region 0's benchmark does not contain it, so its LQs stay put
    scaled = lq_matrix(compute_lq(matrix_table(values, {0: factor}),
                                  LQOptions(denominator="sum", benchmark=Benchmark("rest")))[0])
    for i in range(len(values[0])):
        a, b = base[("R0", f"I{i}")], scaled[("R0", f"I{i}")]
        assert (a is None and b is None) or a == pytest.approx(b)


@PROP
@given(matrices(), st.randoms(use_true_random=False))
def test_row_order_changes_nothing(values, rnd):
    t = matrix_table(values)
    order = list(range(t.height))
    rnd.shuffle(order)
    a, meta_a = compute_lq(t, LQOptions(correction="bh"))
    b, meta_b = compute_lq(t[order], LQOptions(correction="bh"))
    # same rows, same order; floats equal up to the order of summation
    from polars.testing import assert_frame_equal

    assert_frame_equal(a, b, check_exact=False, rel_tol=1e-12, abs_tol=1e-15)
    assert meta_a == meta_b


@PROP
@given(matrices(), st.integers(2, 100))
def test_intervals_contain_the_estimate_and_shrink_with_counts(values, k):
    a, _ = compute_lq(matrix_table(values), LQOptions(denominator="sum"))
    b, _ = compute_lq(matrix_table(values, {r: k for r in range(len(values))}),
                      LQOptions(denominator="sum"))
    ok = a.filter(pl.col(core.LQ) > 0)
    assert (ok[core.LQ_LOWER] <= ok[core.LQ] * (1 + 1e-12)).all()
    assert (ok[core.LQ_UPPER] >= ok[core.LQ] * (1 - 1e-12)).all()
    width_a = (a[core.LQ_UPPER] / a[core.LQ_LOWER]).to_numpy()
    width_b = (b[core.LQ_UPPER] / b[core.LQ_LOWER]).to_numpy()
    assert np.allclose(a[core.LQ].to_numpy(), b[core.LQ].to_numpy(), equal_nan=True)
    finite = np.isfinite(width_a) & (width_a > 1 + 1e-9)
    assert (width_b[finite] < width_a[finite]).all()


def test_no_total_row_and_a_suppressed_cell_leaves_the_region_total_unknown():
    """Without an all-industry row the region total is the sum of its cells; with one of them
    suppressed that sum is a lower bound and every LQ of the region would come out too high
    (region B below: 2.33 for industry b, 'specialised').  Those LQs stay empty, with a reason;
    --denominator sum asks for the sum of the published cells and still gets it."""
    rows = [("2020", "A", "total", "a", 2, 100.0), ("2020", "A", "total", "b", 2, 100.0),
            ("2020", "B", "total", "a", 2, None), ("2020", "B", "total", "b", 2, 70.0),
            ("2020", "C", "total", "a", 2, 50.0), ("2020", "C", "total", "b", 2, 150.0)]
    df, meta = compute_lq(table(rows), LQOptions())
    assert lookup(df, "B", "b") is None
    assert lookup(df, "B", "b", core.LQ_REASON) == core.REASON_SUPPRESSED_TOTAL
    # the benchmark is the regions whose totals are known (A and C): b is 250 of 400
    assert lookup(df, "A", "b") == pytest.approx((100 / 200) / (250 / 400))
    assert "suppressed" in meta["denominator"]["description"]
    summed, _ = compute_lq(table(rows), LQOptions(denominator="sum"))
    assert lookup(summed, "B", "b") == pytest.approx((70 / 70) / (320 / 470))


@pytest.mark.parametrize("benchmark", [Benchmark("sum"), Benchmark("rest")])
def test_cells_worked_in_slices_give_the_same_table(monkeypatch, benchmark):
    # the element-wise part runs in slices of core._SLICE_ROWS rows on threads: the cut must
    # not show
    rng = np.random.default_rng(5)
    rows = [dict(period="2020", region=f"R{r}", ownership="total", industry=f"I{i}", level=2,
                 employment=float(rng.integers(0, 500)) if rng.random() > 0.1 else None,
                 employment_status="reported")
            for r in range(37) for i in range(11)]
    for row in rows:
        if row["employment"] is None:
            row["employment_status"] = "suppressed"
    df = pl.DataFrame(rows)
    options = LQOptions(benchmark=benchmark)
    tables = []
    for slice_rows in (1 << 16, 100, 7):  # one slice; 5 slices; 59 slices, one short
        monkeypatch.setattr(core, "_SLICE_ROWS", slice_rows)
        tables.append(compute_lq(df, options)[0])
    assert tables[0].equals(tables[1]) and tables[0].equals(tables[2])
    assert tables[0]["lq"].null_count() < tables[0].height  # some LQs defined


@pytest.mark.parametrize("seed", range(6))
def test_few_industries_note_counts_industries_per_ownership_and_level(seed):
    # the note's count of industries per (ownership, level), taken on integer codes, against a
    # plain group-by over the rows it sums
    from clusterid.core.lq import FEW_INDUSTRIES, _few_industries_note, _Groups

    rng = np.random.default_rng(seed)
    owners = ["private", "federal", "total"][: int(rng.integers(1, 4))]
    levels = [4, 5, 6][: int(rng.integers(1, 4))]
    rows = []
    for own in owners:
        for lvl in levels:
            # even seeds: more than FEW_INDUSTRIES everywhere (no note); odd: often fewer
            for i in rng.choice(9, size=int(rng.integers(1 if seed % 2 else 4, 10)), replace=False):
                for r in range(int(rng.integers(1, 4))):
                    rows.append({"period": "2020", "region": f"R{r}", "ownership": own,
                                 "industry": f"{lvl}{i:0{lvl - 1}d}", "level": lvl})
    cells = pl.DataFrame(rows, schema_overrides={"level": pl.Int8})
    summed = rng.random(cells.height) < (0.8 if seed % 2 else 1.0)
    note = _few_industries_note(cells, _Groups(cells), summed, False)
    want = (cells.filter(pl.Series(summed)).group_by("ownership", "level")
            .agg(pl.col("industry").n_unique().alias("n"))
            .filter(pl.col("n") <= FEW_INDUSTRIES).sort("ownership", "level"))
    if want.is_empty():
        assert note is None
    else:
        shown = ", ".join(f"{o} at level {v}: {n}" for o, v, n in want.head(4).iter_rows())
        assert note is not None and f"({shown}" in note
