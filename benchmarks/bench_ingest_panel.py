"""Benchmark: ``clusterid ingest`` of a multi-year national panel, one file per year, in parts.

    python benchmarks/bench_ingest_panel.py [--years 10] [--whole-years 2] [--single-years 5]
                                            [--keep DIR]

Builds a panel of YEARS yearly files from the QCEW county panel in ../shared/data (4.9 M rows,
2016): each a plain CSV copy of it with ``year`` set to 2016, 2017, ... (BLS's own layout, one
file per year, as its annual singlefiles come), ~0.42 GB of text and 4.9 M rows each.  Then,
each in a fresh subprocess (peak memory is the run's own):

* ``parts``: ``clusterid ingest 'DIR/*.csv' -o panel.parquet --format qcew`` over every year:
  above ``ingest_parts.PART_BYTES`` of text a glob of several files is ingested one file at a
  time (:mod:`clusterid.io.ingest_parts`);
* ``whole``: the first ``--whole-years`` files ingested in one piece (the parts threshold
  set out of reach), for the memory a whole run needs per year -- the whole panel would need
  ~0.4 GB per million rows, past this machine's 24 GB at ten years, so it is not run whole;
* ``single``: the first ``--single-years`` files joined into ONE file (header once, as BLS's
  single files concatenated), ``clusterid ingest single.csv``: above
  ``ingest_parts.SPLIT_BYTES`` of text the file is split by year and the years ingested in
  turn; checked against the parts run of the same years' files (the same rows).

Prints wall time, CPU time, peak RSS and rows of each, and checks that the parts run of the
``--whole-years`` first files gives the same rows as the whole run of them.

Skips (exit 0, saying why) when ../shared/data is absent.

2026-11-30 19:24 (five years, load 4.5 from other work, niced): parts of 5 years 68.6-81.3 s,
2.04-2.26 GB; the single file of the same 5 years (2.09 GB of text, 24,155,080 rows) split by
year 125.5 s, 150.7 s CPU, 2.28 GB, the same rows; 2 years 27.4 s / 2.12 GB in parts, 25.4 s /
3.86 GB whole.

Earlier (2026-11-30 07:55, load 4-7 from other work, niced): ten years 94.6 s wall, 137 s CPU,
peak 2.32 GB, 48,310,160 rows; two years 17.7 s and 2.31 GB in parts against 19.1 s and
3.84 GB in one piece, the same rows.  (07:10, at load 4-5, before the review's fixes to the
batching: 88.7 s and 2.61 GB.)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLUSTERID_SHARED_DATA", ROOT.parent / "shared" / "data"))
PANEL = SHARED / "qcew_counties_2016_odd_states" / "qcew_2016_counties_odd_states.csv.gz"

CHILD = """
import json, resource, sys, time
from clusterid.entry import set_environment
set_environment()
import clusterid.io.ingest_parts as P
if sys.argv[1] == "whole":
    P.PART_BYTES = 10**18
from clusterid.cli.app import main
t = time.perf_counter()
ru0 = resource.getrusage(resource.RUSAGE_SELF)
try:
    main(["--quiet", "ingest", *sys.argv[2:], "--format", "qcew"])
    code = 0
except SystemExit as exc:
    code = int(exc.code or 0)
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"rc": code, "wall": time.perf_counter() - t,
                  "cpu": ru.ru_utime + ru.ru_stime - ru0.ru_utime - ru0.ru_stime,
                  "peak_mb": ru.ru_maxrss / 1024}))
"""


def build(folder: Path, years: int) -> list[Path]:
    import polars as pl

    base = pl.read_csv(PANEL, infer_schema_length=0)
    files = []
    for k in range(years):
        path = folder / f"qcew_{2016 + k}_counties.csv"
        if not path.exists():
            base.with_columns(pl.lit(str(2016 + k)).alias("year")).write_csv(path)
        files.append(path)
    return files


def joined(folder: Path, files: list[Path]) -> Path:
    """``files`` joined into one CSV, the header once (as ``cat`` after the first file's header
    would join BLS's yearly single files)."""
    path = folder / f"qcew_{len(files)}_years_in_one.csv"
    if not path.exists():
        with open(path, "wb") as out:
            for i, f in enumerate(files):
                with open(f, "rb") as fh:
                    header = fh.readline()
                    if i == 0:
                        out.write(header)
                    while chunk := fh.read(1 << 24):
                        out.write(chunk)
    return path


def run(mode: str, inputs: list[str], out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, mode, *inputs, "-o", str(out)],
                          capture_output=True, text=True)
    if proc.returncode != 0 and not proc.stdout.strip():
        return {"rc": proc.returncode, "wall": float("nan"), "cpu": float("nan"),
                "peak_mb": float("nan"), "err": proc.stderr.strip()[-400:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--whole-years", type=int, default=2)
    ap.add_argument("--single-years", type=int, default=5,
                    help="years joined into one file for the 'single' run (0: no such run)")
    ap.add_argument("--keep", help="folder for the yearly files and outputs (kept)")
    args = ap.parse_args()
    if not PANEL.exists():
        print(f"bench_ingest_panel: skipped, needs {PANEL} (../shared/data is not present)")
        return
    import polars as pl

    tmp = None
    if args.keep:
        folder = Path(args.keep)
        folder.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="bench-ingest-panel-")
        folder = Path(tmp.name)
    t = time.perf_counter()
    files = build(folder, max(args.years, args.whole_years, args.single_years))
    text_gb = sum(f.stat().st_size for f in files[:args.years]) / 1e9
    print(f"bench_ingest_panel: {args.years} yearly QCEW county files, {text_gb:.2f} GB of text "
          f"(built in {time.perf_counter() - t:.0f} s), {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"{'run':<34} {'wall s':>8} {'cpu s':>8} {'peak MB':>9} {'rows':>12}")
    out_dir = folder / "out"
    out_dir.mkdir(exist_ok=True)
    runs = [(f"parts, {args.years} years", "parts", files[:args.years], out_dir / "panel.parquet"),
            (f"parts, {args.whole_years} years", "parts", files[:args.whole_years],
             out_dir / "parts_small.parquet"),
            (f"whole, {args.whole_years} years", "whole", files[:args.whole_years],
             out_dir / "whole_small.parquet")]
    if args.single_years:
        one = joined(folder, files[:args.single_years])
        runs += [(f"single file, {args.single_years} years", "parts", [one],
                  out_dir / "single.parquet"),
                 (f"parts, {args.single_years} years", "parts", files[:args.single_years],
                  out_dir / "parts_single.parquet")]
    for label, mode, inputs, out in runs:
        r = run(mode, [str(f) for f in inputs], out)
        rows = pl.scan_parquet(out).select(pl.len()).collect().item() if r["rc"] == 0 else 0
        print(f"{label:<34} {r['wall']:8.1f} {r['cpu']:8.1f} {r['peak_mb']:9.0f} {rows:12,}"
              + ("" if r["rc"] == 0 else f"   FAILED (exit {r['rc']}) {r.get('err', '')}"))
    a = pl.read_parquet(out_dir / "parts_small.parquet")
    b = pl.read_parquet(out_dir / "whole_small.parquet")
    print(f"parts and whole runs of {args.whole_years} years give the same rows: {a.equals(b)}")
    del a, b
    if args.single_years:
        a = pl.read_parquet(out_dir / "single.parquet")
        b = pl.read_parquet(out_dir / "parts_single.parquet")
        print(f"the single file of {args.single_years} years, split by year, and its years' files "
              f"give the same rows: {a.equals(b)}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
