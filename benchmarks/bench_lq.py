"""Benchmark `clusterid lq` against a plain pandas script and py-ecomplexity on 3 M cells.

Run: .venv/bin/python benchmarks/bench_lq.py [--regions 3000] [--industries 1000] [--keep DIR]
     [--repeat N] [--skip-ecomplexity]

Synthesises (seeded) a long CSV of regions x industries (columns period, region, ownership,
industry, level, employment: the canonical CSV layout, which `clusterid` opens directly; a CSV
without those columns goes through `clusterid ingest`'s generic reader first), then runs,
side by side and each in a fresh subprocess:

  (a) a plain pandas groupby script: read the CSV, compute LQ only, write a CSV;
  (b) py-ecomplexity (``pip install ecomplexity``): its public ``ecomplexity()`` call on the same
      file (which computes RCA among other things), RCA written to a CSV;
  (b') py-ecomplexity's RCA step alone (ComplexityData.create_full_df + calculate_rca), for
      reference;
  (c) ``clusterid lq`` CSV -> CSV with its full default output (intervals, SLQ, flags);
  (d) ``clusterid lq`` canonical Parquet -> Parquet;
  (a') and (c'): (a) and (c) on the same cells as a plain long CSV (region, industry, year,
      employment), which ``clusterid lq`` reads through the generic reader (ingest on the fly).

Prints wall time and peak RSS of each run, and the ratios against the issue's targets:
(c) <= 1.0 x (a) and <= 0.35 x (b); (d) <= 0.3 x (a); peak memory < 1.5 GB.

Session 25 (2026-11-30 21:30-23:00, code of c75defe against main's 6402176; the machine shared
with three other agents the whole time, load average 5-14, so every wall time below is ~2x
what a quiet machine gives and CPU seconds -- user + system -- are the figures to compare).
Kept, each checked against main's outputs (Parquet read back, CSV bytes and stderr equal on the
Utah sample under 10 option sets, and on the 3 M cells):
  - the text columns written from the key codes: compute_lq(coded=) makes Enum columns equal to
    the keys, measure, lq_reason and status from the integer codes it has (a gather, ~0.01 s a
    column; status one cast, 0.03 s), and write_frame writes Enum columns under the Arrow schema
    of text (``ARROW:schema`` of the same frame with them as String, in place of polars' own),
    so polars, pandas and pyarrow read back the same text, typed as text, with the same
    statistics; only the dictionary pages differ (each holds every category: +0.6 MB on 161).
    Parquet wrote dictionary pages for the text columns before too (RLE_DICTIONARY), hashing
    every row's text to build them: writing the 3 M-cell LQ frame took 1.48 s of CPU as text,
    0.90 s coded (in-process, best of 4);
  - scipy's three ufuncs (ndtr, ndtri, gammaincinv) loaded without the package scipy.special,
    whose array-API layer touches every numpy attribute (numpy.f2py, numpy.testing, ...):
    0.24-0.31 s of CPU in a background thread during the read -> 0.01-0.02 s
    (core.lq.special_functions);
  - _encode cast each key's text to its Enum twice (code column and sort key in one eager
    with_columns, which shares no subexpression): 0.30 -> 0.21 s of CPU; _Groups.ids shares
    one array between groupings with the same coded keys; _group_z sums with the rows outside
    its mask weighing 0 instead of copying the masked rows: 0.29-0.31 -> 0.19-0.23 s.
  In-process CPU of the whole command (cli main, 2 runs each): 3.91-4.15 s -> 3.21-3.24 s.
  Interleaved A/B, 8 pairs of `python -m clusterid -q lq canonical.parquet -o d.parquet` at
  load 7-10 (22:13-22:15): wall min / median 7.01 / 8.69 s (main) against 5.46 / 7.17 s,
  CPU min / median 4.28 / 4.52 against 3.05 / 3.34 s; peak 1.17 against 1.15 GB; 8 more
  pairs at load 13-15 (22:27-22:30): wall median 14.45 against 11.31 s, CPU median 5.07
  against 3.98 s.  bench_lq
  --repeat 3 at load 8-12 (22:08-22:13): (a) 14.69 s, (c) 11.55 s, (d) 5.82 s -> (d)/(a) 0.40,
  (c)/(a) 0.79 (at load ~3, 21:32, main's code: 0.31): under that load no ratio is the quiet
  machine's.  The Parquet target is not shown met here.
  Measured and not kept: the element-wise slice work (_ratios_of_slice, 0.24 s of CPU on one
  thread) is the p-value 0.07, the Garwood rows and ln LQ 0.06, the variance 0.02, each bound
  0.01-0.02, the reason codes only 0.014: nothing large left to cut exactly; two threads
  against one for it, 0.41 against 0.24 s wall at load 12, 0.33 against 0.36 at load 7 (kept
  at two: a quiet machine gave 0.17 against 0.26); a zero-copy numpy -> polars Series (polars
  2.1 has no buffer constructor left).  Not done: labels (region_name, industry_name) and
  region_level from the region codes (~0.02 s a column, needs a check that each region has
  one name); open_input reads the Parquet file twice before compute_lq does (keys and
  statuses, then the values: ~0.15 s of CPU), which one query could do.

Session 26 (2026-12-01 00:05-00:15, helpers running, load 2-8): opening the canonical Parquet
read it twice before compute_lq did (null keys and statuses, 0.06-0.09 s of CPU; the values'
NaN/negative/implausible pass with row numbers, 0.08 s).  Both are now filters for one
offending row (io.tables._keys_and_statuses_sound, _check_foreign's first test), which polars
answers from the row groups' statistics (null counts, min/max) where they rule a flag out:
0.006 s for the keys and statuses; the values' pass 0.06 s (NaN is in no statistic, so the
measure is read).  4 interleaved A/B pairs at load 5-8: CPU median ~3.45 -> ~2.9 s.  Left
(each <= 0.03 s): lq's note on ownerships counts the output's distinct ownerships; typer
builds every command's options at start-up.

Session 27 (2026-12-01 02:40-03:40, code of 37696326 against 3a9f6fd4; helpers running in other
cgroups most of the time, so their load takes CPU from this process whatever its nice: only the
quiet windows' walls count).  Kept, each output byte-identical on the 3 M cells (and the
per-group sums equal to the row-by-row formulas bit for bit, tests/test_lq_groups_27.py):
  - numpy (~0.12 s of start-up on the main thread, after the read) and core.codes (~0.03 s:
    60 regular expressions compiled) imported in a background thread from the start of the
    command, while polars checks and reads the input outside the GIL (cli.lq; compute_lq
    imports numpy after its read);
  - _region_totals and _sum_of_regions work per group (a region's total is one number per
    measure, period, region, ownership and level) and gather to the rows once: eight row-long
    temporaries fewer (each ~24 MB of fresh pages the kernel zeroes);
  - _group_z writes over two row-long arrays instead of making five (np.take with mode
    'clip': with 'raise' numpy buffers ``out``);
  - the industries' distinct codes for the overlapping-aggregates rule and the count rows of
    the interval come from _encode's categories and the measure's codes (~0.03 + ~0.04 s: a
    second unique() of the industries and a string is_in over every row);
  - _coded_text's gathers in one select, its columns in parallel (~0.13 -> ~0.06 s alone).
  Quiet window (03:03, nothing else running), 6 interleaved pairs of `python -m clusterid -q
  lq canonical.parquet -o d.parquet`: wall median 2.30 s (3a9f6fd4) against 2.05 s (these
  changes), CPU 3.06 against 2.86 s.  For (c'), the generic reader's look for rows repeating
  the header (~1.3 s: every cell of every column cleaned) now runs on the rows one regular
  expression picks (~0.1 s), and a column of plain digits skips the four flag patterns (~0.4 s).
  Measured and not kept: LZ4 instead of Snappy for the output (CPU 0.92 -> 0.78-0.89 s of the
  write, the file 161 -> 155 MB, but LZ4_RAW is unreadable by older Parquet readers); pyarrow's
  read_dictionary to take the key codes from the Parquet dictionaries instead of hashing the
  text (0.6-0.8 s against polars' 0.12-0.18 s read: pyarrow's import and the chunks' merge).
Quiet machine after the merges (nothing else running, --repeat 3, code of 6b7ec066): at
  03:47 (a) 8.23 s, (c) 6.67 s, (a') 7.46 s, (c') 8.69 s, (d) 2.23 s / 1150 MB -> (c)/(a)
  0.81, (c')/(a') 1.17, (d)/(a) 0.27; at 03:52, with py-ecomplexity, (a) 8.42 s, (b) 46.70 s,
  (c) 6.71 s, (a') 7.91 s, (c') 8.37 s, (d) 2.27 s / 1157 MB -> (c)/(a) 0.80, (c)/(b) 0.14,
  (c')/(a') 1.06, (d)/(a) 0.27.  Interleaved A/B against 3a9f6fd4 at 03:48 (6 pairs): (d)
  wall median 2.28 against 2.56 s; (c') 3 pairs 9.38 against 10.02 s.  The Parquet target is
  met in both runs, with room (0.27 for 0.3).

Where (d)'s time goes (2026-11-30 18:40-18:56, helpers running at nice 19, code of 9810f7c;
one process timed at each step, three runs): start-up to the read 0.45-0.53 s (polars 0.24-0.28
s, numpy 0.15 s, typer and the command ~0.1 s; scipy.special's ~0.28 s of CPU in a background
thread during the read), the read 0.28 s, key codes 0.24-0.37 s, the arithmetic ~0.9 s (region
totals 0.10-0.19, sums over regions 0.06-0.33, cell ratios 0.21-0.41, the two z-scores 0.33 +
0.10), the Parquet write 0.94-0.97 s (0.75 s of it polars encoding on ~1.8 cores: the nine
text columns 0.5 s, the twelve float columns 0.37 s; no codec, row-group size or statistics
setting moved it by more than 0.08 s; pyarrow's writer 1.0-1.3 s and it must be imported).
Under perf, 36% of the CPU samples are the kernel's, 23% zeroing fresh pages: each run
first-touches ~0.86 GB (220,000 minor faults), and the same run's system time went from 0.74 to
2.35 s from one run to the next while the faults stayed the same -- the machine, not the code,
decides most of (d)'s spread (2.6-4.4 s today).  Measured and not kept: numpy's transparent
huge pages off (8 interleaved pairs: mean 3.31 s both ways), glibc's mmap and trim thresholds
raised (faults unchanged), jemalloc's default decay instead of the entry point's (within noise),
transparent huge pages for polars' jemalloc (faults 220,000 -> 52,000 but system time up 0.8-1.5 s).

Latest (2026-11-29 12:20 and 12:25, idle, --repeat 3, two runs): (a) 7.97 s and 5.78 s (its
runs spread over 5.78-9.15 s), (b) 34.1 / 28.6 s, (c) 5.54 / 4.76 s, (d) 2.34 / 2.13 s -> (c)/(a)
0.69 / 0.82, (c)/(b) 0.16 / 0.17, (d)/(a) 0.29 / 0.37; peak 1.35-1.36 GB.  The element-wise part
now runs in 64 K-row slices (its temporaries stay in the cache) and the few-industries note is
one bincount: (d) 2.13-2.34 s against 2.30-2.62 s before.  The Parquet target is met in one run
of two: the pandas script's own speed decides it.

Before (2026-11-29, idle, --repeat 3, pandas 3.1.1, py-ecomplexity 0.5.3): at 10:33 (a) 6.57 s,
(b) 31.3 s, (c) 5.03 s, (c') 8.80 s against (a') 6.79 s, (d) 2.62 s -> (c)/(a) 0.77, (c)/(b)
0.16, (d)/(a) 0.40; at 10:23, as the test suite ended, (a) 6.18 s, (c) 5.92 s, (d) 2.30 s (the
best (d) measured) -> 0.96 and 0.37; peak 1.37-1.39 GB.  The pandas script took 8.2-11.1 s in
the runs of the day before, 6.2-9.0 s today (7.0-9.0 s by hand within ten minutes of the 6.57 s,
the same under pandas 2.2.3): the machine's speed moves the ratios as much as the code does.
The Parquet target is not met.

The plain long CSV through the generic reader (2026-11-28 09:00, after the vectorised text
reader; load average 3.7-5): (a') 15.2 s / 446 MB, (c') 17.8 s / 1592 MB -> (c')/(a') 1.17;
the same pair run by hand on a shuffled 3 M-row region,industry,year,employment CSV at load
2.4-3.4: pandas 10.2 / 11.9 s, clusterid lq 10.2 / 11.4 s (~1.0).  The reader itself takes
~3.5 s and 0.8 GB (was ~150-190 s); (c')'s peak is the ingested frame held in memory during
the LQ computation, not the reader.

Last run of the session (2026-11-29 02:49, load 1.3-3 as it started): (c)/(a) 0.85, (c')/(a')
0.98, (d)/(a) 0.32 (3.06 s against 9.55 s); (d)'s peak was 1.63 GB there, from a note's filter
of the whole LQ frame (fixed in c9f4c46: 1.32-1.37 GB measured by hand after it).

Latest (2026-11-29 02:08-02:17, --repeat 3, two runs, the first beside other jobs, load 1.2-2.4,
the second as they ended): (c)/(a) 0.89 and 0.82 (6.81 s against 8.26 s), (c')/(a') 0.95 and
0.96 (8.23 s against 8.60 s; 1.14 at 01:13), (d)/(a) 0.37 and 0.36 (2.94 s; an interleaved A/B
against the code of 00:10 gave 2.92-3.51 s against 3.09-3.87 s: the machine ran slower than at
23:55, not the code), peak 1.37-1.45 GB.  Gained this round: the CSV writer no longer rounds
lq's p-values a second time, and the rounding's tie test costs one extended-precision
operation instead of five (~0.6 s of (c)); the generic reader splits a body without quotes with
polars' CSV parser and cleans key columns on their distinct values (its read of plain.csv: 3.0
-> 1.9 s); clusterid's bytecode is compiled as an installed copy's is (``_installed.py``: with
PYTHONDONTWRITEBYTECODE every command compiled ~30 modules, ~0.11 s).  The Parquet target is
still not met.

Earlier (2026-11-28 23:55-00:08, idle machine, --repeat 3): (d) 2.41-2.51 s against (a) 7.64 s
at best -> 0.32-0.33, and 2.85 s against 8.21 s -> 0.35 later as the whole machine ran ~30%
slower (every stage alike, the code of an hour before as slow in an interleaved A/B).  Gained
this round: OpenBLAS' workers no longer spin at start-up (``OPENBLAS_THREAD_TIMEOUT`` set by the
entry point: ~0.2 s of CPU).  Measured and not kept: scipy.special's import (~0.25 s of CPU,
most of it numpy.testing and numpy.f2py pulled in by scipy's array-API layer) moved to after the
read (no gain), Parquet statistics off (within noise), Categorical text columns (0.15 s less
write, but the file then reads back as Categorical).  The Parquet target is not met.

Earlier (2026-11-28 21:05-21:45, idle machine, --repeat 3, the disk flushed before each run
after 21:20): (a) 8.2-9.7 s / 0.57 GB, (b) 47.7-49.2 s, (c) 6.7-8.5 s / 1.37 GB, (d) 2.7-3.1 s /
1.29-1.35 GB -> (c)/(a) 0.73-0.87, (c)/(b) 0.15-0.18, (d)/(a) 0.27 (the first run, as other
work ended), then 0.33, 0.32, 0.32: the 0.3 target is not met reliably.  (d) by stage: imports
0.27-0.31 s, first read 0.3 s (0.06 s in a warm process: mostly polars starting), key encoding
0.26 s, numpy ~0.6 s (element-wise part and the two z-scores on two threads), Parquet write
(Snappy) 0.66-0.95 s, half of it the nine text columns.

Earlier (2026-11-28 10:57 and 11:10, 2 cores shared with other jobs, load average 8.5
and 5.8; the runs are sequential and see similar load, but multi-threaded clusterid loses
more to the other jobs than single-threaded pandas):
  load 8.5: (a) 19.3 s / 569 MB, (b) 114.2 s / 1562 MB, (b') 33.8 s / 1208 MB,
            (c) 18.2 s / 1120 MB, (d) 13.6 s / 1195 MB -> (c)/(a) 0.95, (c)/(b) 0.16, (d)/(a) 0.71
  load 5.8: (a) 13.9 s / 561 MB, (c) 10.1 s / 1131 MB, (d) 5.65 s / 1206 MB
            -> (c)/(a) 0.72, (d)/(a) 0.41 (target 0.3 missed); (c') 1539 MB, then 1.19-1.22 GB
            once lq released the frame ingested on the fly after reading its cells
  by hand at load 4-5: (a) 9.4-10.3 s wall, 9.1-10.5 s CPU; (d) 5.5-6.1 s wall, 5.3-5.9 s CPU.
Peak memory of (d): 1.52-1.59 GB before -> 1.20-1.29 GB (target 1.5 GB met).

Where the time of (d) goes (CPU seconds at load ~4, the code before -> after this round):
imports 0.83 -> 0.77 (polars, numpy, scipy.special, pyarrow, typer); compute 3.05 -> 2.72
(reading the 7 needed Parquet columns ~0.5, one rechunk 0.35 — dropping it raised the peak
memory by ~0.35 GB —, integer key codes 0.5, numpy arithmetic ~1.3 single-threaded; before, the
boolean flag columns went through pyarrow.array, which imported pandas: 0.7 s); write 2.71 ->
2.05 (Parquet, zstd -> LZ4; 24 columns, 3 M rows, mostly float64 that no codec shrinks much).
The input is already scanned lazily with projection (only the measure's columns are read).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from _installed import byte_compile

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CLUSTERID = [PYTHON, "-m", "clusterid", "-q"]

WRAPPER = textwrap.dedent("""
    import json, resource, subprocess, sys, time
    cmd = json.loads(sys.argv[1])
    t0 = time.perf_counter()
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"wall": wall, "peak_mb": peak_kb / 1024, "rc": res.returncode,
                      "stderr": res.stderr.decode(errors="replace")[-2000:]}))
""")

PANDAS_SCRIPT = textwrap.dedent("""
    import sys
    import pandas as pd
    df = pd.read_csv(sys.argv[1], dtype={"period": str, "region": str, "ownership": str,
                                         "industry": str, "employment": float})
    e_j = df.groupby("region")["employment"].transform("sum")
    E_i = df.groupby("industry")["employment"].transform("sum")
    E = df["employment"].sum()
    df["lq"] = (df["employment"] / e_j) / (E_i / E)
    df[["region", "industry", "lq"]].to_csv(sys.argv[2], index=False)
""")

ECOMPLEXITY_SCRIPT = textwrap.dedent("""
    import sys, warnings
    import pandas as pd
    from ecomplexity import ecomplexity
    warnings.simplefilter("ignore")
    df = pd.read_csv(sys.argv[1], dtype={"period": str, "region": str, "ownership": str,
                                         "industry": str, "employment": float})
    cols = {"time": "period", "loc": "region", "prod": "industry", "val": "employment"}
    out = ecomplexity(df, cols, verbose=False)
    out[["region", "industry", "rca"]].to_csv(sys.argv[2], index=False)
""")

ECOMPLEXITY_RCA_SCRIPT = textwrap.dedent("""
    import sys, warnings
    import numpy as np
    import pandas as pd
    from ecomplexity.ComplexityData import ComplexityData
    warnings.simplefilter("ignore")
    df = pd.read_csv(sys.argv[1], dtype={"period": str, "region": str, "ownership": str,
                                         "industry": str, "employment": float})
    cols = {"time": "period", "loc": "region", "prod": "industry", "val": "employment"}
    cdata = ComplexityData(df, cols, "coerce")
    frames = []
    for t in cdata.data.index.unique("time"):
        cdata.create_full_df(t)
        cdata.calculate_rca()
        idx = cdata.data_t.index
        frames.append(pd.DataFrame({"region": idx.get_level_values(0),
                                    "industry": idx.get_level_values(1),
                                    "rca": np.asarray(cdata.rca_t).ravel()}))
    pd.concat(frames).to_csv(sys.argv[2], index=False)
""")


def synthesise(path: Path, n_regions: int, n_industries: int, seed: int) -> int:
    """A seeded long CSV: skewed region sizes and industry shares, about 5% true zeros."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    size = rng.lognormal(8.0, 1.5, n_regions)
    share = rng.dirichlet(np.full(n_industries, 0.5))
    tilt = rng.lognormal(0.0, 0.7, (n_regions, n_industries))
    mean = size[:, None] * share[None, :] * tilt * 20
    emp = rng.poisson(mean).astype(float)
    emp[rng.random(emp.shape) < 0.05] = 0.0
    regions = np.array([f"R{r:05d}" for r in range(n_regions)])
    industries = np.array([f"{100000 + i:06d}" for i in range(n_industries)])
    df = pl.DataFrame({
        "period": np.full(n_regions * n_industries, "2020"),
        "region": np.repeat(regions, n_industries),
        "ownership": np.full(n_regions * n_industries, "total"),
        "industry": np.tile(industries, n_regions),
        "level": np.full(n_regions * n_industries, 6, dtype=np.int8),
        "employment": emp.ravel(),
    })
    df.write_csv(path)
    return df.height


def to_plain(csv_path: Path, plain_path: Path) -> None:
    """The same cells as a plain long CSV (region, industry, year, employment): no canonical
    columns, so ``clusterid lq`` reads it through the generic reader (prep, not timed)."""
    import polars as pl

    pl.read_csv(csv_path, infer_schema=False).select(
        "region", "industry", pl.col("period").alias("year"), "employment").write_csv(plain_path)


def to_parquet(csv_path: Path, parquet_path: Path) -> None:
    """The canonical Parquet table of the same data (prep, not timed)."""
    from clusterid.io.canonical import to_canonical
    from clusterid.io.tables import base_metadata, scan_canonical, write_frame

    lf, _ = scan_canonical(str(csv_path))
    write_frame(to_canonical(lf).collect(), str(parquet_path), base_metadata("canonical"))


def measure(name: str, cmd: list[str]) -> dict:
    # the runs before wrote up to ~0.5 GB of CSV each: flushed first (untimed), so no run pays
    # for the disk writeback of the one before it (it had slowed the Parquet run that follows
    # the 529 MB CSV of (c') by up to 0.5 s)
    os.sync()
    out = subprocess.run([PYTHON, "-c", WRAPPER, json.dumps(cmd)], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    result = json.loads(out.stdout)
    result["name"] = name
    if result["rc"] != 0:
        print(f"{name}: FAILED (exit {result['rc']})\n{result['stderr']}", file=sys.stderr)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regions", type=int, default=3000)
    ap.add_argument("--industries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--keep", help="folder to keep the files in (default: a temp folder)")
    ap.add_argument("--skip-ecomplexity", action="store_true")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run every command N times, interleaved (a, c, ..., a, c, ...), and "
                         "keep each one's fastest run: on a shared machine the minimum is the "
                         "run least disturbed by other work (timeit's convention)")
    args = ap.parse_args()
    byte_compile()  # as installed: see _installed.py

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench_lq_"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / "long.csv"
    pq_path = folder / "canonical.parquet"
    t0 = time.perf_counter()
    plain_path = folder / "plain.csv"
    n = synthesise(csv_path, args.regions, args.industries, args.seed)
    to_plain(csv_path, plain_path)
    to_parquet(csv_path, pq_path)
    print(f"synthesised {n:,} cells ({args.regions} regions x {args.industries} industries, "
          f"seed {args.seed}) in {time.perf_counter() - t0:.1f} s; CSV "
          f"{csv_path.stat().st_size / 1e6:.0f} MB, Parquet {pq_path.stat().st_size / 1e6:.0f} MB")
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} "
          "(other work on the machine inflates every figure alike)")

    scripts = {}
    for key, text in (("lq_pandas", PANDAS_SCRIPT), ("ecx", ECOMPLEXITY_SCRIPT),
                      ("ecx_rca", ECOMPLEXITY_RCA_SCRIPT)):
        scripts[key] = folder / f"bench_{key}.py"
        scripts[key].write_text(text)

    runs = [("(a) pandas groupby, CSV->CSV, LQ only",
             [PYTHON, str(scripts["lq_pandas"]), str(csv_path), str(folder / "a.csv")])]
    import importlib.util
    import pandas

    print(f"pandas {pandas.__version__}")
    if not args.skip_ecomplexity and importlib.util.find_spec("ecomplexity") is None:
        print("py-ecomplexity is not installed: (b) skipped; install it with "
              ".venv/bin/pip install -e '.[bench]'")
        args.skip_ecomplexity = True
    if not args.skip_ecomplexity:
        runs += [("(b) py-ecomplexity ecomplexity(), CSV->CSV",
                  [PYTHON, str(scripts["ecx"]), str(csv_path), str(folder / "b.csv")]),
                 ("(b') py-ecomplexity RCA step only, CSV->CSV",
                  [PYTHON, str(scripts["ecx_rca"]), str(csv_path), str(folder / "b2.csv")])]
    runs += [("(c) clusterid lq, CSV->CSV, full output",
              CLUSTERID + ["lq", str(csv_path), "-o", str(folder / "c.csv")]),
             ("(a') pandas groupby, plain CSV->CSV, LQ only",
              [PYTHON, str(scripts["lq_pandas"]), str(plain_path), str(folder / "a2.csv")]),
             ("(c') clusterid lq, plain CSV->CSV (generic)",
              CLUSTERID + ["lq", str(plain_path), "-o", str(folder / "c2.csv")]),
             ("(d) clusterid lq, Parquet->Parquet, full output",
              CLUSTERID + ["lq", str(pq_path), "-o", str(folder / "d.parquet")])]
    results, walls = {}, {}
    for rep in range(max(1, args.repeat)):
        for name, cmd in runs:
            r = measure(name, cmd)
            key = name.split()[0]
            walls.setdefault(key, []).append(r["wall"])
            peak = max(r["peak_mb"], results.get(key, r)["peak_mb"])  # memory: the worst run
            if key not in results or r["wall"] < results[key]["wall"]:
                results[key] = r
            results[key] = {**results[key], "peak_mb": peak}
            if rep == max(1, args.repeat) - 1:
                best = results[key]
                tries = ("   runs " + ", ".join(f"{w:.2f}" for w in walls[key])
                         if args.repeat > 1 else "")
                print(f"{name:<50} {best['wall']:7.2f} s   peak {best['peak_mb']:7.0f} MB"
                      + ("" if r["rc"] == 0 else "   FAILED") + tries)

    print()

    def ratio(top: str, bottom: str, note: str) -> None:
        """top/bottom of the fastest runs, or why there is none (a failed run has no time)."""
        if top not in results or bottom not in results:
            return
        failed = [k for k in (top, bottom) if results[k]["rc"] != 0]
        if failed:
            print(f"{top}/{bottom}: no ratio, {' and '.join(failed)} failed")
            return
        print(f"{top}/{bottom} = {results[top]['wall'] / results[bottom]['wall']:.2f}   {note}")

    ratio("(c)", "(a)", "target <= 1.0")
    ratio("(c)", "(b)", "target <= 0.35")
    ratio("(c)", "(b')", "(RCA step only, for reference)")
    ratio("(c')", "(a')", "(the plain long CSV through the generic reader; target <= 1.0)")
    ratio("(d)", "(a)", "target <= 0.3")
    peak = max(results["(c)"]["peak_mb"], results["(d)"]["peak_mb"])
    print(f"clusterid peak memory {peak:.0f} MB   target < 1536 MB")
    if not args.keep:
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
