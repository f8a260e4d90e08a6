"""Benchmark: `clusterid detect` on the national county panel with BEA input-output links.

Runs the whole command (gzip CSV -> ingest -> relatedness (co-location, I-O, hierarchy) ->
grouping -> regional strength -> outputs) in a child process and prints its wall time, peak
memory (max RSS of the child, from resource.getrusage) and, with --compare uscmp, the AMI of
the data-driven partition of the USCMP traded industries against the USCMP traded definitions.

Usage: python benchmarks/bench_detect.py [--shared ../shared/data] [--out /tmp/bench_detect]
                                         [--signals colocation,io,hierarchy]
Target (issue 6): under 2 minutes and 4 GB on the project machine (2 cores).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", default="/tmp/bench_detect")
    ap.add_argument("--signals", default="colocation,io,hierarchy")
    ap.add_argument("--extra", nargs=argparse.REMAINDER, default=[],
                    help="further detect options, e.g. --extra --method leiden")
    args = ap.parse_args()
    shared = Path(args.shared)
    panel = shared / "qcew_counties_2016_odd_states" / "qcew_2016_counties_odd_states.csv.gz"
    io = shared / "bea_io_2017" / "Detail_Use_2017_PRO_BeforeRedef_17sch.csv"
    crosswalk = shared / "bea_io_2017" / "MasterCrosswalk2017.csv"
    for p in (panel, io, crosswalk):
        if not p.exists():
            print(f"missing {p}", file=sys.stderr)
            return 2
    cmd = [sys.executable, "-m", "clusterid", "detect", str(panel), "-o", args.out,
           "--signals", args.signals, "--io", str(io), "--crosswalk", str(crosswalk),
           "--universe", "uscmp-traded", "--compare", "uscmp", *args.extra]
    print("running:", " ".join(cmd))
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT)
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    print(f"exit code        {proc.returncode}")
    print(f"wall time        {wall:.1f} s   (target < 120 s)")
    print(f"CPU time         {cpu:.1f} s   (user + system; wall >> CPU means the machine was busy)")
    print(f"peak memory      {peak_mb:.0f} MB (target < 4096 MB)")
    meta_path = Path(args.out) / "metadata.json"
    if proc.returncode == 0 and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        c = meta.get("compare", {})
        print(f"industries       {meta['definitions']['n_industries']} in "
              f"{meta['definitions']['n_clusters']} clusters")
        if c:
            print(f"vs USCMP traded  AMI {c['ami']:.3f}  ARI {c['ari']:.3f}  over {c['n_industries']} industries")
            print(f"VS-Industry      data {c['data']['vs_industry']:.3f}  "
                  f"USCMP {c['benchmark_scores']['vs_industry']:.3f}")
        files = meta.get("files", {})
        print("rows             " + ", ".join(f"{k} {v['rows']}" for k, v in files.items()))
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
