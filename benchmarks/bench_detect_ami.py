"""AMI of data-driven industry clusters against the USCMP traded definitions (issue 6).

Run:  .venv/bin/python benchmarks/bench_detect_ami.py [--halves] [--methods dps,leiden]

Data: ../shared/data/qcew_counties_2016_odd_states (BLS QCEW 2016, counties of odd-numbered
states), private ownership, 6-digit NAICS, the four quarters averaged; restricted to the 675
USCMP traded industries (NAICS 2012, clusters 1-51).  IO: BEA 2017 detail Use table before
redefinitions + MasterCrosswalk2017.  Prints, per signal set and method: AMI and ARI against
USCMP at 51 clusters and at the number the sweep chooses (VS gate, then silhouette), VS-Industry / VS-Cluster of the data-driven
and of the USCMP partition on the same matrix, wall time and peak memory.  ``--halves`` also
runs everything on a random half of the counties and on the other half (the check that
nothing is tuned to one sample).

The raw file is read with a small polars reader below (canonical columns; suppressed
employment null with status "suppressed", so relatedness proxies it by establishments x typical
size).  ``--table FILE`` uses a canonical table instead, e.g. one whose suppressed cells were
imputed by clusterid.core.impute (status "estimated"), which relatedness then uses as values:

    clusterid ingest ../shared/data/qcew_counties_2016_odd_states/*.csv.gz -o counties.parquet
    python -c "import polars as pl; from clusterid.core import impute; \
      df = pl.read_parquet('counties.parquet').filter(pl.col('ownership') == 'private'); \
      impute.impute_frame(df)[0].write_parquet('counties_imputed.parquet')"
    python benchmarks/bench_detect_ami.py --table counties_imputed.parquet
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
QCEW = SHARED / "qcew_counties_2016_odd_states" / "qcew_2016_counties_odd_states.csv.gz"
USCMP = SHARED / "uscmp_clusters" / "uscmp_naics_to_cluster_long.csv"
USE = SHARED / "bea_io_2017" / "Detail_Use_2017_PRO_BeforeRedef_17sch.csv"
XWALK = SHARED / "bea_io_2017" / "MasterCrosswalk2017.csv"

SIGNAL_SETS = ("colocation", "colocation,io", "colocation,io,hierarchy", "hierarchy", "io")


def read_counties(path: Path) -> pl.DataFrame:
    """Private 6-digit county rows in canonical shape (region, industry, period, measures)."""
    from clusterid import schema

    lf = pl.scan_csv(path, schema_overrides={
        "area_fips": pl.String, "industry_code": pl.String, "disclosure_code": pl.String,
        "agglvl_code": pl.Int32, "own_code": pl.Int32})
    supp = pl.col("disclosure_code") == "N"
    emp = (pl.col("month1_emplvl") + pl.col("month2_emplvl") + pl.col("month3_emplvl")) / 3.0
    return (lf.filter((pl.col("own_code") == 5) & (pl.col("agglvl_code") == 78))
            .select(
                pl.col("area_fips").alias(schema.REGION),
                pl.col("industry_code").alias(schema.INDUSTRY),
                (pl.col("year").cast(pl.String) + "Q" + pl.col("qtr").cast(pl.String)).alias(schema.PERIOD),
                pl.lit(schema.OWNERSHIP_PRIVATE).alias(schema.OWNERSHIP),
                pl.lit(6, dtype=pl.Int8).alias(schema.LEVEL),
                pl.when(supp).then(None).otherwise(emp).alias(schema.EMPLOYMENT),
                pl.when(supp).then(pl.lit(schema.SUPPRESSED)).otherwise(pl.lit(schema.REPORTED))
                .alias(schema.status_col(schema.EMPLOYMENT)),
                pl.col("qtrly_estabs_count").cast(pl.Float64).alias(schema.ESTABLISHMENTS),
            ).collect())


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run(frame, bench, io_table, methods, label, fixed_k=51):
    from clusterid.core import grouping, relatedness, validation

    codes = sorted(bench)
    rows = []
    for sigs in SIGNAL_SETS:
        t = time.perf_counter()
        sim = relatedness.build(frame if "colocation" in sigs else None, sigs, io=io_table,
                                industries=codes, codes=codes)
        truth = np.array([bench[c] for c in sim.codes])
        t_build = time.perf_counter() - t
        for method in methods:
            t = time.perf_counter()
            kw = {"n_clusters": fixed_k} if method == "dps" else {}
            res_fixed = grouping.find_clusters(sim, method=method, random_state=0, n_seeds=5,
                                               **kw) if method == "dps" else None
            res_auto = grouping.find_clusters(sim, method=method, random_state=0, n_seeds=5)
            t_group = time.perf_counter() - t
            if res_fixed is None:  # leiden: the resolution whose k is closest to 51
                sw = res_auto.sweep.with_columns((pl.col("n_clusters") - fixed_k).abs().alias("d"))
                r = sw.sort("d", "value").row(0, named=True)["value"]
                res_fixed = grouping.find_clusters(sim, method=method, resolution=r,
                                                   random_state=0, n_seeds=0)
            cf = validation.compare(res_fixed.labels, truth, sim.matrix)
            ca = validation.compare(res_auto.labels, truth, sim.matrix)
            rows.append({
                "sample": label, "signals": sigs, "method": method,
                "ami@51": round(cf["ami"], 3), "ari@51": round(cf["ari"], 3),
                "k@51": cf["n_clusters"],
                "ami_auto": round(ca["ami"], 3), "k_auto": ca["n_clusters"],
                "vsi": round(ca["vs_industry"], 3), "vsi_uscmp": round(ca["benchmark_vs_industry"], 3),
                "vsc": round(ca["vs_cluster"], 3), "vsc_uscmp": round(ca["benchmark_vs_cluster"], 3),
                "build_s": round(t_build, 1), "group_s": round(t_group, 1),
            })
            print(rows[-1], flush=True)
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--halves", action="store_true", help="also run on two random county halves")
    ap.add_argument("--methods", default="dps,leiden")
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--table", help="canonical table (Parquet) to use instead of the raw file")
    args = ap.parse_args(argv)
    for p in (QCEW, USCMP, USE, XWALK):
        if not p.exists():
            print(f"missing {p}; this benchmark needs ../shared/data", file=sys.stderr)
            return 2
    from clusterid.io.iotables import read_use_table

    t0 = time.perf_counter()
    if args.table:
        from clusterid import schema

        frame = pl.read_parquet(args.table).filter(
            (pl.col(schema.OWNERSHIP) == schema.OWNERSHIP_PRIVATE) & (pl.col(schema.LEVEL) == 6))
    else:
        frame = read_counties(QCEW)
    t_read = time.perf_counter() - t0
    us = pl.read_csv(USCMP, schema_overrides={"naics_code": pl.String}).filter(
        (pl.col("naics_vintage") == 2012) & (pl.col("cluster_code") <= 51))
    bench = dict(zip(us["naics_code"].to_list(), us["cluster_code"].to_list()))
    io_table = read_use_table(USE, XWALK)
    print(f"read {frame.height} rows in {t_read:.1f}s; {len(bench)} USCMP traded industries; "
          f"IO sectors {len(io_table.sectors)}", flush=True)
    methods = [m for m in args.methods.split(",") if m]
    rows = run(frame, bench, io_table, methods, "all")
    if args.halves:
        regions = np.array(sorted(frame["region"].unique().to_list()))
        rng = np.random.default_rng(args.seed)
        pick = rng.permutation(len(regions))[: len(regions) // 2]
        half = set(regions[pick].tolist())
        a = frame.filter(pl.col("region").is_in(list(half)))
        b = frame.filter(~pl.col("region").is_in(list(half)))
        rows += run(a, bench, io_table, methods, "half A")
        rows += run(b, bench, io_table, methods, "half B")
    total = time.perf_counter() - t0
    with pl.Config(tbl_rows=100, tbl_cols=20, tbl_width_chars=200):
        print(pl.DataFrame(rows))
    print(f"total wall {total:.1f}s, peak RSS {peak_mb():.0f} MB "
          "(2-core machine shared with other helpers: times measured under contention)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
