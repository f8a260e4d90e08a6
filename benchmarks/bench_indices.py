"""Benchmark: every index of ``clusterid indices`` on the national county panel.

Input: ../shared/data/qcew_counties_2016_odd_states (BLS QCEW 2016, 1,663 counties of the
odd-numbered states, 4 quarters, private 6-digit NAICS; about 70% of those cells suppressed).
The raw file goes through the QCEW adapter once (timed separately, cached as canonical Parquet
with --canonical); then the indices are timed exactly as the command computes them: region,
industry and pair (coagglomeration) views for all four quarters, plus a two-quarter shift-share.

Run:  .venv/bin/python benchmarks/bench_indices.py [--canonical /tmp/qcew_counties.parquet]
      [--level 6] [--periods 2016Q1 ...]
Prints wall times (time.perf_counter) and peak resident memory (resource.getrusage).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT.parent / "shared" / "data" / "qcew_counties_2016_odd_states" / \
    "qcew_2016_counties_odd_states.csv.gz"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", default=str(RAW))
    ap.add_argument("--canonical", default="/tmp/clusterid_bench_qcew_counties.parquet",
                    help="cache of the ingested table (created when missing)")
    ap.add_argument("--level", type=int, default=6)
    ap.add_argument("--periods", nargs="*", default=None)
    args = ap.parse_args()

    from clusterid.cli import indices as cli_ix
    from clusterid.cli import shiftshare as cli_ss
    from clusterid.core import indices as ix
    from clusterid.io import ingest, tables

    canonical = Path(args.canonical)
    if not canonical.exists():
        if not Path(args.raw).exists():
            print(f"needs {args.raw}", file=sys.stderr)
            return 2
        t = time.perf_counter()
        df, _ = ingest.ingest([args.raw], ingest.IngestOptions(format="qcew"))
        tables.write_frame(df, str(canonical), tables.base_metadata("canonical"))
        print(f"ingest (QCEW adapter, not part of the indices figure): "
              f"{time.perf_counter() - t:.1f} s, {df.height:,} rows")
        del df

    c0 = cpu_s()
    t0 = time.perf_counter()
    lf, _ = tables.scan_canonical(str(canonical))
    sel = ix.select_rows(lf, "employment", level=args.level, periods=args.periods)
    t_sel = time.perf_counter() - t0
    m = ix.period_matrix(sel, sel.periods[0])
    print(f"input: {len(sel.periods)} periods, ownership {sel.ownership}, level {sel.level}, "
          f"{m.values.shape[0]:,} regions x {m.values.shape[1]:,} industries, "
          f"{(~m.observed).mean():.0%} of cells suppressed ({sel.detail.height:,} rows)")
    print(f"  read + select rows           {t_sel:7.2f} s")
    total = t_sel
    bench = cli_ix.Bench("sum")
    for by in ("region", "industry", "pair"):
        t = time.perf_counter()
        out = cli_ix.compute(sel, by=by, bench=bench)
        dt = time.perf_counter() - t
        total += dt
        print(f"  indices --by {by:<9}       {dt:7.2f} s  ({out.height:,} rows)")
    t = time.perf_counter()
    p0, p1 = sel.periods[0], sel.periods[-1]
    out = cli_ss.compute(sel, [p0, p1], by="cell", bench=bench)
    dt_ss = time.perf_counter() - t
    print(f"  shift-share {p0}->{p1} (cells) {dt_ss:7.2f} s  ({out.height:,} rows)")
    print(f"all indices (read + region + industry + pair): {total:.2f} s wall "
          f"(target < 30 s); CPU (user+sys) of the whole run {cpu_s() - c0:.2f} s; "
          f"peak RSS {peak_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
