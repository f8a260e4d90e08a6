"""Regional cluster strength: cluster LQs, intervals, bounds, named rules, ranks."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from clusterid import schema
from clusterid.core import definitions as cdefs
from clusterid.core import strength
from clusterid.errors import UsageError
from clusterid.io.canonical import to_canonical


def canonical(rows):
    return to_canonical(pl.DataFrame(rows).lazy()).collect()


def one_cluster_frame(emp, est, total=1000.0, cluster_type="unknown"):
    rows = []
    for j, (e, s) in enumerate(zip(emp, est)):
        region = f"R{j}"
        rows.append(dict(period="2016", region=region, industry="111", employment=float(e),
                         establishments=float(s), region_level="county"))
        rows.append(dict(period="2016", region=region, industry="10", employment=total,
                         establishments=100.0, region_level="county"))
    defs = cdefs.build("t", {"111": "A"}, cluster_types={"A": cluster_type})
    return canonical(rows), defs


def by_region(df, col):
    return dict(zip(df[schema.REGION].to_list(), df[col].to_list()))


# ------------------------------------------------------------------ uscmp-strong, by hand
# Eight regions of 1,000 workers; cluster A employs e = 0,10,20,40,80,160,320,370 (sum 1,000),
# so LQ = 8e/1000 = 0, .08, .16, .32, .64, 1.28, 2.56, 2.96 against total employment.
# Over the seven regions with employment (numpy linear quantiles):
#   Q25(LQ) = .24, Q50 = .64, Q75 = 1.92, Q90 = 2.72; Q25(emp) = 30; est 1,2,3,4,5,1,6 -> Q25 = 1.5
# R7: LQ 2.96 >= Q90 -> top10 (strong); R6: LQ 2.56 >= Q75 but est 1 <= 1.5 -> nothing;
# R5: LQ 1.28 > Q50, >= 1, sizes above Q25 -> significant; R1-R4: LQ < 1 -> none.
EMP = [0, 10, 20, 40, 80, 160, 320, 370]
EST = [0, 1, 2, 3, 4, 5, 1, 6]


def test_uscmp_strong_on_a_hand_made_distribution():
    frame, defs = one_cluster_frame(EMP, EST)
    res = strength.regional_strength(frame, defs, rule="uscmp-strong", denominator="total")
    df = res.regional
    lq = by_region(df, "lq")
    for j, e in enumerate(EMP):
        assert lq[f"R{j}"] == pytest.approx(8 * e / 1000)
    tiers = by_region(df, "uscmp_tier")
    assert tiers == {"R0": "none", "R1": "none", "R2": "none", "R3": "none", "R4": "none",
                     "R5": "significant", "R6": "none", "R7": "top10"}
    assert [r for r, s in by_region(df, "strong").items() if s] == ["R7"]
    assert by_region(df, "lq_denominator")["R7"] == "total"


def test_tier_variants_select_nested_sets():
    frame, defs = one_cluster_frame(EMP, EST)
    strong_sets = {}
    for name in ("uscmp-top10", "uscmp-strong", "uscmp-significant", "uscmp-qualifying"):
        df = strength.regional_strength(frame, defs, rule=name, denominator="total").regional
        strong_sets[name] = {r for r, s in by_region(df, "strong").items() if s}
    assert strong_sets["uscmp-top10"] == {"R7"}
    assert strong_sets["uscmp-strong"] == {"R7"}
    assert strong_sets["uscmp-significant"] == {"R5", "R7"}
    assert strong_sets["uscmp-qualifying"] == {"R5", "R7"}


def test_establishment_condition_decides():
    est = list(EST)
    est[6] = 5  # R6 now has establishments above Q25 -> strong (LQ 2.56 >= Q75 1.92, < Q90)
    frame, defs = one_cluster_frame(EMP, est)
    df = strength.regional_strength(frame, defs, denominator="total").regional
    assert by_region(df, "uscmp_tier")["R6"] == "strong"
    assert by_region(df, "strong")["R6"] is True


# ------------------------------------------------------------------ LQ with typed denominators
def two_cluster_frame():
    rows = []
    for region, a, b in (("R1", 30.0, 70.0), ("R2", 10.0, 90.0)):
        for ind, e in (("111", a), ("221", b)):
            rows.append(dict(period="2016", region=region, industry=ind, employment=e,
                             establishments=3.0, region_level="county"))
        rows.append(dict(period="2016", region=region, industry="10", employment=1000.0,
                         establishments=10.0, region_level="county"))
    defs = cdefs.build("t", {"111": "A", "221": "B"}, cluster_types={"A": "traded", "B": "traded"})
    return canonical(rows), defs


def test_traded_denominator_as_uscmp():
    frame, defs = two_cluster_frame()
    df = strength.regional_strength(frame, defs, denominator="typed").regional
    got = {(r, c): v for r, c, v in zip(df["region"], df["cluster_id"], df["lq"])}
    # D = traded employment (100 in each region); E_A = 40 of 200 traded
    assert got[("R1", "A")] == pytest.approx((30 / 100) / (40 / 200))
    assert got[("R2", "A")] == pytest.approx((10 / 100) / (40 / 200))
    assert got[("R1", "B")] == pytest.approx((70 / 100) / (160 / 200))
    assert set(df["lq_denominator"]) == {"traded"}
    assert df["share"].to_list()[0] == pytest.approx(df["employment"][0] / 1000)


def test_delta_interval():
    frame, defs = two_cluster_frame()
    df = strength.regional_strength(frame, defs, denominator="typed").regional
    row = df.filter((pl.col("region") == "R1") & (pl.col("cluster_id") == "A")).row(0, named=True)
    # e = 30 in D = 100 (the region's traded employment), E_A = 40, E_D = 200: the exact delta
    # method over the four independent Poisson parts (e, rest of D, rest of E_A, the remainder)
    e, r1, r2, r3 = 30, 70, 10, 90
    var = (e * (1 / e - 1 / 100 - 1 / 40 + 1 / 200) ** 2 + r1 * (1 / 200 - 1 / 100) ** 2
           + r2 * (1 / 200 - 1 / 40) ** 2 + r3 / 200 ** 2)
    from clusterid.core.lq import var_ln_lq

    assert var == pytest.approx(var_ln_lq(30, 100, 40, 200, nested=True))
    z = 1.959963984540054
    assert row["lq_ci_lower"] == pytest.approx(1.5 * math.exp(-z * math.sqrt(var)))
    assert row["lq_ci_upper"] == pytest.approx(1.5 * math.exp(z * math.sqrt(var)))


def test_auto_denominator_falls_back_to_total_when_most_cells_are_suppressed():
    frame, defs = two_cluster_frame()
    res = strength.regional_strength(frame, defs)
    assert res.info["lq_denominator"]["used"] == "typed"
    sup = frame.with_columns(
        pl.when(pl.col("industry") == "221").then(None).otherwise(pl.col("employment")).alias("employment"),
        pl.when(pl.col("industry") == "221").then(pl.lit("suppressed"))
        .otherwise(pl.col("employment_status")).alias("employment_status"))
    res = strength.regional_strength(sup, defs)
    assert res.info["lq_denominator"]["used"] == "total"
    b = res.regional.filter(pl.col("cluster_id") == "B")
    # a cluster with no known value: employment and LQ missing, never 0
    assert b["employment"].null_count() == 2 and b["lq"].null_count() == 2
    assert set(b["employment_status"]) == {"suppressed"}


# ------------------------------------------------------------------ suppression bounds
def test_bounds_give_lq_min_and_max_and_robustness():
    rows = []
    for j, (rep, lo, hi) in enumerate(((100.0, 0.0, 40.0), (20.0, 0.0, 5.0), (50.0, 0.0, 5.0))):
        region = f"R{j}"
        rows.append(dict(period="2016", region=region, industry="111", employment=rep,
                         employment_status="reported", establishments=5.0, region_level="county"))
        rows.append(dict(period="2016", region=region, industry="112", employment=None,
                         employment_status="suppressed", employment_lower=lo, employment_upper=hi,
                         establishments=2.0, region_level="county"))
        rows.append(dict(period="2016", region=region, industry="10", employment=1000.0,
                         employment_status="reported", establishments=50.0, region_level="county"))
    frame = canonical(rows)
    defs = cdefs.build("t", {"111": "A", "112": "A"})
    df = strength.regional_strength(frame, defs, denominator="total").regional
    r0 = df.filter(pl.col("region") == "R0").row(0, named=True)
    assert r0["employment"] == 100.0 and r0["employment_status"] == "partial"
    assert r0["employment_lower"] == 100.0 and r0["employment_upper"] == 140.0
    assert r0["n_suppressed"] == 1
    # lq_max: R0 at 140, the others' suppressed cells at their lower bounds (0: 20, 50)
    assert r0["lq_max"] == pytest.approx((140 / 1000) / (210 / 3000))
    # lq_min: R0 at 100, the others' at their upper bounds (25, 55): E_c is not known either
    # (it was held at the estimates, 170: lq_min 1.76, above the 1.67 the data allow)
    assert r0["lq_min"] == pytest.approx((100 / 1000) / (180 / 3000))
    # midpoint of the bounds with --suppressed bounds
    df_b = strength.regional_strength(frame, defs, suppressed="bounds", denominator="total").regional
    assert df_b.filter(pl.col("region") == "R0")["employment"].item() == 120.0


# ------------------------------------------------------------------ eco-stars and user rules
def test_eco_stars():
    emp = [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000]
    frame, defs = one_cluster_frame(emp, [5] * 10)
    df = strength.regional_strength(frame, defs, rule="eco-stars", denominator="total").regional
    top = df.filter(pl.col("region") == "R9").row(0, named=True)
    # LQ = 10 e / 1450; R9: 6.9 >= 2; size and focus: above Q90 of the ten regions
    assert top["star_specialisation"] and top["star_size"] and top["star_focus"]
    assert top["stars"] == 3 and top["strong"]
    low = df.filter(pl.col("region") == "R0").row(0, named=True)
    assert low["stars"] == 0 and not low["strong"]


def test_user_rule():
    frame, defs = one_cluster_frame(EMP, EST)
    df = strength.regional_strength(frame, defs, rule="lq>=1.25,employment>=200",
                                    denominator="total").regional
    assert {r for r, s in by_region(df, "strong").items() if s} == {"R6", "R7"}
    df = strength.regional_strength(frame, defs, rule="lq>1,significant", denominator="total").regional
    assert {r for r, s in by_region(df, "strong").items() if s} == {"R5", "R6", "R7"}


def test_bad_rule_is_a_usage_error():
    with pytest.raises(UsageError, match="cannot read"):
        strength.parse_rule("lq >> 2")
    with pytest.raises(UsageError):
        strength.parse_rule("")


# ------------------------------------------------------------------ growth, ranks, summaries
def test_growth_first_to_last_period_and_ranks():
    rows = []
    for period, scale in (("2015", 1.0), ("2016", 1.5)):
        for region, a, b in (("R1", 30.0, 70.0), ("R2", 10.0, 90.0)):
            rows.append(dict(period=period, region=region, industry="111", employment=a * scale,
                             establishments=3.0, region_level="county"))
            rows.append(dict(period=period, region=region, industry="221", employment=b,
                             establishments=3.0, region_level="county"))
            rows.append(dict(period=period, region=region, industry="10", employment=1000.0,
                             establishments=9.0, region_level="county"))
    defs = cdefs.build("t", {"111": "A", "221": "B"}, cluster_types={"A": "traded", "B": "traded"})
    df = strength.regional_strength(canonical(rows), defs, denominator="total").regional
    last = df.filter((pl.col("period") == "2016") & (pl.col("cluster_id") == "A"))
    assert last["employment_growth"].to_list() == pytest.approx([0.5, 0.5])
    assert df.filter(pl.col("period") == "2015")["employment_growth"].null_count() == 4
    # every region's clusters ranked 1..n, every cluster's regions ranked 1..n
    for _, g in df.group_by(["period", "region"]):
        assert sorted(g["rank_in_region"]) == [1, 2]
    r1 = df.filter((pl.col("period") == "2016") & (pl.col("cluster_id") == "A"))
    assert by_region(r1, "rank_in_cluster") == {"R1": 1, "R2": 2}


def test_cluster_strength_and_knowledge_base():
    rows = []
    for region, a, rd, total in (("R1", 300.0, 50.0, 1000.0), ("R2", 10.0, 10.0, 1000.0),
                                 ("R3", 20.0, None, 1000.0), ("R4", 30.0, 40.0, 2000.0)):
        rows.append(dict(period="2016", region=region, industry="111", employment=a,
                         establishments=10.0, region_level="county"))
        rows.append(dict(period="2016", region=region, industry="5417", employment=rd,
                         establishments=2.0, region_level="county"))
        rows.append(dict(period="2016", region=region, industry="10", employment=total,
                         establishments=50.0, region_level="county"))
    defs = cdefs.build("t", {"111": "A"}, cluster_types={"A": "traded"})
    res = strength.regional_strength(canonical(rows), defs, denominator="total")
    reg = res.regions
    # R&D LQ over the regions that report it: (50/1000) / (100/4000)
    assert by_region(reg, "rd_lq")["R1"] == pytest.approx((50 / 1000) / (100 / 4000))
    assert by_region(reg, "rd_lq")["R3"] is None  # suppressed: no LQ, never 0
    strong = by_region(res.regional, "strong")
    cs = by_region(reg, "cluster_strength")
    for r in ("R1", "R2", "R3", "R4"):
        assert cs[r] == (1.0 if strong[r] else 0.0)


# ------------------------------------------------------------------ invariances
def test_row_order_does_not_matter():
    frame, defs = one_cluster_frame(EMP, EST)
    a = strength.regional_strength(frame, defs, denominator="total").regional
    b = strength.regional_strength(frame.sample(fraction=1.0, shuffle=True, seed=3), defs,
                                   denominator="total").regional
    assert a.equals(b)


def test_scaling_a_region_keeps_its_total_lq():
    frame, defs = one_cluster_frame(EMP, EST)
    base = by_region(strength.regional_strength(frame, defs, denominator="total").regional, "lq")
    scaled = frame.with_columns(
        pl.when(pl.col("region") == "R3").then(pl.col("employment") * 3).otherwise(pl.col("employment"))
        .alias("employment"))
    new = by_region(strength.regional_strength(scaled, defs, denominator="total").regional, "lq")
    # R3's share is unchanged, the benchmark moves: LQ ratio between regions is preserved
    assert new["R3"] / new["R7"] == pytest.approx(base["R3"] / base["R7"])
    assert np.isfinite(new["R3"])


def test_knowledge_base_reads_nace_codes_and_not_naics_sector_72():
    rows = []
    for region, rd, acc in (("R1", 20.0, 500.0), ("R2", 5.0, 100.0)):
        rows.append(dict(period="2016", region=region, industry="M72", employment=rd,
                         classification="NACE", region_level="nuts2"))
        rows.append(dict(period="2016", region=region, industry="72", employment=acc,
                         classification="NAICS", region_level="nuts2"))
        rows.append(dict(period="2016", region=region, industry="P85.4", employment=rd * 2,
                         classification="NACE", region_level="nuts2"))
        rows.append(dict(period="2016", region=region, industry="10", employment=1000.0,
                         region_level="nuts2"))
    frame = canonical(rows)
    totals = strength.region_totals(frame)
    kb = strength.knowledge_base(frame, totals)
    assert by_region(kb, "rd_employment") == {"R1": 20.0, "R2": 5.0}
    assert by_region(kb, "rd_lq")["R1"] == pytest.approx((20 / 1000) / (25 / 2000))
    assert by_region(kb, "higher_ed_employment") == {"R1": 40.0, "R2": 10.0}


# ------------------------------------------------------------------ property: rule == numpy reference
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def reference_tiers(emp, est, total=1000.0):
    emp = np.asarray(emp, dtype=float)
    est = np.asarray(est, dtype=float)
    lq = (emp / total) / (emp.sum() / (total * len(emp)))
    pos = emp > 0
    q = {p: np.quantile(lq[pos], p) for p in (0.25, 0.5, 0.75, 0.9)}
    e25, s25 = np.quantile(emp[pos], 0.25), np.quantile(est[pos], 0.25)
    out = []
    for e, s, l in zip(emp, est, lq):
        size = e > 0 and e > e25 and s > s25 and l >= 1
        if size and l >= q[0.75]:
            out.append("top10" if l >= q[0.9] else "strong")
        elif size and l > q[0.5]:
            out.append("significant")
        elif size and l > q[0.25]:
            out.append("qualifying")
        else:
            out.append("none")
    return out


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 5000), st.integers(1, 60)), min_size=3, max_size=25)
       .filter(lambda cells: sum(e for e, _ in cells) > 0))
def test_uscmp_tiers_match_a_numpy_reference(cells):
    emp = [e for e, _ in cells]
    est = [s for _, s in cells]
    frame, defs = one_cluster_frame(emp, est)
    df = strength.regional_strength(frame, defs, denominator="total").regional
    got = by_region(df, "uscmp_tier")
    want = reference_tiers(emp, est)
    assert [got[f"R{j}"] for j in range(len(emp))] == want


@settings(max_examples=15, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(1, 900), st.integers(1, 900), st.integers(1, 900)),
                min_size=2, max_size=12))
def test_lq_identity_with_traded_denominators(cells):
    """sum_j (D_j / sum D) * LQ_cj = 1 for every cluster (METHODS.md section 1)."""
    rows = []
    for j, emps in enumerate(cells):
        for ind, e in zip(("111", "221", "331"), emps):
            rows.append(dict(period="2016", region=f"R{j}", industry=ind, employment=float(e),
                             establishments=1.0, region_level="county"))
        rows.append(dict(period="2016", region=f"R{j}", industry="10", employment=5000.0,
                         establishments=9.0, region_level="county"))
    defs = cdefs.build("t", {"111": "A", "221": "B", "331": "C"},
                       cluster_types={"A": "traded", "B": "traded", "C": "local"})
    df = strength.regional_strength(canonical(rows), defs, denominator="typed").regional
    traded = df.filter(pl.col("cluster_type") == "traded")
    d = traded.group_by("region").agg(pl.col("employment").sum().alias("D"))
    t = traded.join(d, on="region").with_columns((pl.col("D") / pl.col("D").sum().over("cluster_id")).alias("w"))
    for _, g in t.group_by("cluster_id"):
        assert (g["w"] * g["lq"]).sum() == pytest.approx(1.0, rel=1e-9)
    # the single local cluster would be its own denominator (LQ 1 everywhere, every region
    # tied at the quantiles): it takes the region's total employment instead
    local = df.filter(pl.col("cluster_type") == "local").sort("region")
    assert set(local["lq_denominator"]) == {"total"}
    c = {f"R{j}": float(emps[2]) for j, emps in enumerate(cells)}
    share = sum(c.values()) / (5000.0 * len(cells))
    assert dict(zip(local["region"], local["lq"])) == pytest.approx(
        {r: v / 5000.0 / share for r, v in c.items()})


def test_significance_with_multiple_testing_control():
    from scipy.stats import norm

    emp = [5, 8, 10, 12, 15, 30, 60, 90, 160, 400]
    frame, defs = one_cluster_frame(emp, [3] * len(emp))
    results = {}
    for kind in ("significant", "significant-bh", "significant-bonferroni"):
        df = strength.regional_strength(frame, defs, rule=f"lq>0,{kind}", denominator="total").regional
        results[kind] = {r for r, s in by_region(df, "strong").items() if s}
    # reference: one-sided p of ln LQ > 0 with se recovered from the 95% interval
    z975 = 1.959963984540054
    p = {}
    for row in df.iter_rows(named=True):
        se = math.log(row["lq_ci_upper"] / row["lq"]) / z975
        p[row["region"]] = norm.sf(math.log(row["lq"]) / se)
    m = len(p)
    ranked = sorted(p, key=p.get)
    k = max([i + 1 for i, r in enumerate(ranked) if p[r] <= 0.05 * (i + 1) / m], default=0)
    assert results["significant-bh"] == set(ranked[:k])
    assert results["significant-bonferroni"] == {r for r in p if p[r] <= 0.05 / m}
    assert results["significant"] == {r for r in p if p[r] < 0.025}
    assert results["significant-bonferroni"] <= results["significant-bh"]
    assert results["significant-bonferroni"]  # the large regions are clearly specialised
