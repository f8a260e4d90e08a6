"""Imputation where a series is published in other periods: sibling pairs hidden in ONE quarter.

Run: .venv/bin/python benchmarks/bench_impute_history.py [--input FILE] [--period P] [--seed N]

The masking of bench_impute.py hides a pair in every quarter, as BLS does for a series it
suppresses all year; this one hides it in one quarter only (the others stay published), as
happens to the series BLS suppresses in some quarters only (7.7% of the suppressed private
6-digit county cells of 2016).  There the cell's own size per establishment in the published
quarters is its prior.  Prints the median / mean / 90th-percentile absolute percentage error of
the imputation beside the naive prior (establishments x national size) and the 5-digit residual
split.  Default input: the bundled Utah sample (no ../shared needed).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", default=str(SAMPLE))
    ap.add_argument("--period", default=None, help="the quarter to mask (default: the second)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    from clusterid.core import impute, impute_check
    from clusterid.io.ingest import load_input

    t0 = time.perf_counter()
    lf, _ = load_input(args.input)
    df = lf.collect()
    periods = sorted(df["period"].unique().to_list())
    if len(periods) < 2:
        print(f"{args.input}: one period only; nothing to learn from other periods")
        return 2
    period = args.period or periods[1]
    masked, truth = impute_check.mask_one_period(df, period, random_state=args.seed)
    out, _ = impute.impute(masked)
    res = impute_check.evaluate(out, truth, masked)
    print(f"bench_impute_history: {Path(args.input).name}, pairs hidden in {period} only "
          f"(seed {args.seed}); {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"hidden values {res['n_hidden_values']}, inside their bounds "
          f"{100 * res['inside_bounds']:.1f}%")
    for name in ("imputed", "naive", "residual"):
        if f"mdape_{name}" in res:
            print(f"{name:9s} median {100 * res[f'mdape_{name}']:5.1f}%  mean "
                  f"{100 * res[f'meanape_{name}']:5.1f}%  90th pct {100 * res[f'p90ape_{name}']:5.1f}%")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"wall {time.perf_counter() - t0:.1f} s, peak {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
