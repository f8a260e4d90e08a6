"""Benchmark and acceptance check of suppressed-cell imputation on the QCEW county panel.

Run:  .venv/bin/python benchmarks/bench_impute.py [--panel PATH] [--states PATH] [--skip-timing]

Prints
1. time (wall and CPU) and peak memory of imputing the whole county panel (all NAICS levels,
   4 quarters, private and total ownership);
2. the masking check: published 6-digit sibling pairs hidden the way BLS's complementary
   suppression hides cells (two under the same published 5-digit parent, never one alone, in
   every quarter), imputed, compared with the truth — median absolute percentage error (MdAPE)
   and share inside the bounds, against the naive prior (establishments x national size) and
   the 5-digit residual split by that prior; the same for the wages hidden with them (QCEW
   hides wages with employment), imputed after employment (prior: imputed jobs x the
   industry's wage per job) against establishments x the national wage per establishment and
   the 5-digit wage residual split by it; for the whole panel, for two disjoint halves of
   the states (FIPS = 1 or 3 mod 4) and for a random half of them (seed HALF_SEED): the check
   must not depend on which counties it is run on;
3. the same check on the panel with the statewide rows of 2016 Q1 added (../shared/data has no
   other quarter of them; counties add up to their state there: both geographies), reported for
   Q1 and for Q2-Q4, and on the Q1 table alone, when ../shared/data/qcew_states_2016q1 is present.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import polars as pl

from clusterid import schema as S
from clusterid.core import impute as I
from clusterid.core import impute_check as C

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLUSTERID_SHARED_DATA", ROOT.parent / "shared" / "data"))
PANEL = SHARED / "qcew_counties_2016_odd_states" / "qcew_2016_counties_odd_states.csv.gz"
STATES = SHARED / "qcew_states_2016q1" / "qcew_2016q1_statewide_total_and_private.csv"


def rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def read_plain(path: Path) -> pl.DataFrame:
    """The county panel as a canonical table, with plain polars (the QCEW adapter's columns)."""
    raw = pl.read_csv(path, infer_schema_length=0, columns=[
        "area_fips", "own_code", "industry_code", "agglvl_code", "qtr", "disclosure_code",
        "qtrly_estabs_count", "month1_emplvl", "month2_emplvl", "month3_emplvl", "total_qtrly_wages"])
    raw = raw.with_columns(pl.col("agglvl_code").cast(pl.Int16), pl.col("own_code").cast(pl.Int8))
    raw = raw.filter(pl.col("agglvl_code").is_in([50, 51, 54, 55, 56, 57, 58, 70, 71, 74, 75, 76, 77, 78])
                     & pl.col("own_code").is_in([0, 5]))
    supp = pl.col("disclosure_code").fill_null("") == "N"
    emp = sum(pl.col(f"month{i}_emplvl").cast(pl.Float64) for i in (1, 2, 3)) / 3
    detail = pl.col("agglvl_code") % 10
    lf = raw.lazy().select(
        pl.format("{}Q{}", pl.lit("2016"), pl.col("qtr")).alias(S.PERIOD),
        pl.col("area_fips").alias(S.REGION),
        pl.when(pl.col("own_code") == 0).then(pl.lit("total")).otherwise(pl.lit("private")).alias(S.OWNERSHIP),
        pl.col("industry_code").alias(S.INDUSTRY),
        pl.when(pl.col("agglvl_code") >= 70).then(pl.lit("county")).otherwise(pl.lit("state")).alias(S.REGION_LEVEL),
        pl.lit(S.NAICS).alias(S.CLASSIFICATION),
        pl.when(detail <= 1).then(0).when(detail == 4).then(2).otherwise(detail - 2).cast(pl.Int8).alias(S.LEVEL),
        pl.when(supp).then(None).otherwise(emp).alias(S.EMPLOYMENT),
        pl.when(supp).then(pl.lit(S.SUPPRESSED)).otherwise(pl.lit(S.REPORTED)).alias(S.status_col(S.EMPLOYMENT)),
        pl.col("disclosure_code").alias(S.flag_col(S.EMPLOYMENT)),
        pl.col("qtrly_estabs_count").cast(pl.Float64).alias(S.ESTABLISHMENTS),
        pl.when(supp).then(None).otherwise(pl.col("total_qtrly_wages").cast(pl.Float64)).alias(S.WAGES),
        pl.when(supp).then(pl.lit(S.SUPPRESSED)).otherwise(pl.lit(S.REPORTED)).alias(S.status_col(S.WAGES)),
        pl.col("disclosure_code").alias(S.flag_col(S.WAGES)),
    )
    from clusterid.io.canonical import to_canonical

    return to_canonical(lf).collect()


def read_panel(path: Path) -> tuple[pl.DataFrame, str]:
    """Through the QCEW adapter (``clusterid ingest``) when it reads the file, else plainly."""
    try:
        from clusterid.io.ingest import IngestOptions, ingest

        df, _ = ingest([str(path)], IngestOptions(format="qcew", ownership=("total", "private")))
        df = df.collect() if isinstance(df, pl.LazyFrame) else df
        keep = [c for c in S.column_order(S.measures_in(df.columns)) if c in df.columns]
        return df.select(keep), "QCEW adapter"
    except Exception as exc:  # noqa: BLE001 - the benchmark must run while the adapter changes
        print(f"  (QCEW adapter failed: {type(exc).__name__}: {str(exc)[:120]}; plain reader)")
        return read_plain(path), "plain polars reader"


def check(df: pl.DataFrame, label: str, seed: int = 1, region_level: str | None = "county",
          by_period: dict[str, pl.Expr] | None = None) -> dict:
    masked, truth = C.mask_complementary(df, random_state=seed, share=0.3, region_level=region_level)
    t0 = time.perf_counter()
    out, _info = I.impute(masked)
    dt = time.perf_counter() - t0
    res = C.evaluate(out, truth, masked)
    report(label, res, dt)
    wages = S.WAGES in masked.columns
    if wages:
        t0 = time.perf_counter()
        out, _info = I.impute(out, S.WAGES)  # as impute_measures: jobs first, then wages
        dw = time.perf_counter() - t0
        report(f"  wages of {label}", C.evaluate(out, truth, masked, measure=S.WAGES), dw)
    for sub, keep in (by_period or {}).items():
        report(f"  {sub}", C.evaluate(out, truth.filter(keep), masked), dt)
        if wages:
            report(f"    wages, {sub}", C.evaluate(out, truth.filter(keep), masked, measure=S.WAGES), dw)
    return res


HALF_SEED = 12345


def random_half(df: pl.DataFrame) -> list[int]:
    """Half of the table's states (FIPS), drawn with a fixed seed: a split that no rule of the
    method could have been tuned to, beside the two halves by FIPS code."""
    import numpy as np

    states = sorted(df.select(pl.col(S.REGION).str.slice(0, 2).cast(pl.Int32).unique())[S.REGION].to_list())
    pick = np.random.default_rng(HALF_SEED).choice(states, len(states) // 2, replace=False)
    return sorted(int(s) for s in pick)


def report(label: str, res: dict, dt: float) -> None:
    ratio = res["mdape_imputed"] / res["mdape_naive"] if res["mdape_naive"] else float("nan")
    print(f"  {label:<44} cells {res['n_hidden_cells']:>6} values {res['n_hidden_values']:>6}  "
          f"MdAPE imputed {res['mdape_imputed']:6.1%}  naive {res['mdape_naive']:6.1%}  "
          f"residual {res['mdape_residual']:6.1%}  imputed/naive {ratio:5.2f}  "
          f"inside bounds {res['inside_bounds']:7.2%}  ({dt:.0f} s)")
    print(f"  {'':<44} mean APE imputed {res['meanape_imputed']:6.1%}  naive {res['meanape_naive']:6.1%}  "
          f"residual {res['meanape_residual']:6.1%};  90th pct imputed {res['p90ape_imputed']:6.1%}  "
          f"naive {res['p90ape_naive']:6.1%}  residual {res['p90ape_residual']:6.1%}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--panel", default=str(PANEL))
    ap.add_argument("--states", default=str(STATES))
    ap.add_argument("--skip-timing", action="store_true")
    ap.add_argument("--skip-check", action="store_true")
    args = ap.parse_args(argv)
    panel = Path(args.panel)
    if not panel.exists():
        print(f"needs {panel}")
        return 2
    print(f"clusterid impute benchmark; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} "
          "(other work on the machine slows wall time; CPU time is the steadier figure)")
    t0 = time.perf_counter()
    df, how = read_panel(panel)
    print(f"read {panel.name} via {how}: {df.height:,} rows in {time.perf_counter() - t0:.0f} s; "
          f"peak RSS so far {rss_gb():.2f} GB")

    if not args.skip_timing:
        n_supp = df.filter(pl.col(S.status_col(S.EMPLOYMENT)) == S.SUPPRESSED).height
        w0, c0 = time.perf_counter(), time.process_time()
        out, info = I.impute(df)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        print(f"1. impute whole panel: {df.height:,} cells, {n_supp:,} suppressed employment values; "
              f"wall {wall:.1f} s, CPU {cpu:.1f} s, peak RSS {rss_gb():.2f} GB (input table included); "
              f"{info.n_solved:,} solved in {info.n_blocks} QP blocks, {info.n_fixed_by_bounds:,} fixed "
              f"by bounds, {info.rounds} propagation rounds")
        q = I.imputation_summary(out)["overall"]
        print(f"   share of 6-digit employment estimated: {q['share_estimated']:.1%}")
        if S.WAGES in out.columns:
            w0, c0 = time.perf_counter(), time.process_time()
            out, info = I.impute(out, S.WAGES)
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            q = I.imputation_summary(out, S.WAGES)["overall"]
            print(f"   then wages (prior: imputed jobs x wage per job): {info.n_unknown:,} suppressed; "
                  f"wall {wall:.1f} s, CPU {cpu:.1f} s, peak RSS {rss_gb():.2f} GB; "
                  f"share of 6-digit wages estimated: {q['share_estimated']:.1%}")
        del out

    if not args.skip_check:
        print("2. masking check (private, 6-digit sibling pairs under published 5-digit parents, "
              "all quarters):")
        state = pl.col(S.REGION).str.slice(0, 2).cast(pl.Int32)
        check(df, "all counties, 2016 Q1-Q4")
        check(df.filter(state % 4 == 1), "half A (state FIPS = 1 mod 4)", seed=2)
        check(df.filter(state % 4 == 3), "half B (state FIPS = 3 mod 4)", seed=2)
        half = random_half(df)
        check(df.filter(state.is_in(half)), f"random half ({len(half)} states, seed {HALF_SEED})", seed=3)
        states = Path(args.states)
        if states.exists():
            print("3. both geographies: the county panel (2016 Q1-Q4) with the statewide rows "
                  "published beside it (2016 Q1: counties add up to states there):")
            st_df = read_plain(states)
            odd = st_df.filter(pl.col(S.REGION).str.slice(0, 2).cast(pl.Int32) % 2 == 1)
            both = pl.concat([df, odd.select(df.columns)], how="vertical_relaxed")
            q1 = pl.col(S.PERIOD) == "2016Q1"
            parts = {"of which Q1 (state rows)": q1, "of which Q2-Q4 (no state rows)": ~q1}
            check(both, "counties Q1-Q4 + states Q1", by_period=parts)
            sb = pl.col(S.REGION).str.slice(0, 2).cast(pl.Int32)
            check(both.filter(sb % 4 == 1), "the same, half A", seed=2, by_period=parts)
            check(both.filter(sb % 4 == 3), "the same, half B", seed=2, by_period=parts)
            check(both.filter(sb.is_in(half)), "the same, random half", seed=3, by_period=parts)
            q1_only = pl.concat([df.filter(q1), odd.select(df.columns)], how="vertical_relaxed")
            check(q1_only, "Q1 table alone (counties + states)")
        else:
            print(f"3. skipped: {states} not present")
    return 0


if __name__ == "__main__":
    sys.exit(main())
