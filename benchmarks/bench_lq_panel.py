"""Benchmark: `clusterid lq` on a multi-year panel too large to compute whole.

    python benchmarks/bench_lq_panel.py [--periods 10] [--regions 3000] [--industries 1000]
                                        [--keep DIR] [--whole] [--whole-limit-gb 20]

Synthesises a seeded canonical panel, one Parquet table per year (as a panel ingested year by
year is kept): every region x industry cell of three measures (employment, establishments,
wages), an all-industries row per region, about 45% of the industry cells suppressed (status
``suppressed``, no value; establishments published), as QCEW's county files.  Then times, in
a child process each, with peak memory (the child's max RSS):

* ``parts``: ``clusterid lq 'DIR/panel_*.parquet' -o DIR/lq.parquet`` as a user runs it; above
  ``core.lq.PART_CELLS`` cells it computes one (measure, period) part at a time;
* ``whole`` (``--whole``): the same command with the threshold lifted, the whole table at once,
  killed when it passes ``--whole-limit-gb`` (reported as such: on a 24 GB machine ten 3 M-row
  periods of three measures do not fit).

Prints the figures and whether the two outputs hold the same rows (Parquet data compared; the
metadata differs by ``computed_in_parts`` only).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _installed import byte_compile

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
WHOLE = ("import sys; from clusterid.core import lq; lq.PART_CELLS = 10**15; "
         "from clusterid.entry import main; sys.argv = ['clusterid'] + sys.argv[1:]; main()")


def synthesise(folder: Path, periods: int, n_regions: int, n_industries: int, seed: int) -> int:
    """One canonical Parquet table per year in ``folder``; returns the rows written."""
    import numpy as np
    import polars as pl

    from clusterid import schema
    from clusterid.io.canonical import to_canonical
    from clusterid.io.tables import base_metadata, write_frame

    rng = np.random.default_rng(seed)
    size = rng.lognormal(6.0, 1.5, n_regions)
    share = rng.dirichlet(np.full(n_industries, 0.5))
    regions = np.array([f"{10000 + r:05d}" for r in range(n_regions)])
    industries = np.array([f"{100000 + i:06d}" for i in range(n_industries)])
    rows = 0
    for p in range(periods):
        year = str(2010 + p)
        tilt = rng.lognormal(0.0, 0.7, (n_regions, n_industries))
        emp = rng.poisson(size[:, None] * share[None, :] * tilt * 20).astype(float)
        estabs = np.maximum(1.0, np.ceil(emp / rng.uniform(5, 40, emp.shape)))
        wages = np.round(emp * rng.uniform(8_000, 20_000, emp.shape))
        hidden = rng.random(emp.shape) < 0.45
        status = np.where(hidden, schema.SUPPRESSED, schema.REPORTED)
        cells = pl.DataFrame({
            schema.PERIOD: year, schema.REGION: np.repeat(regions, n_industries),
            schema.OWNERSHIP: schema.OWNERSHIP_PRIVATE,
            schema.INDUSTRY: np.tile(industries, n_regions),
            schema.REGION_LEVEL: "county", schema.CLASSIFICATION: schema.NAICS,
            schema.LEVEL: np.full(emp.size, 6, dtype=np.int8),
            schema.EMPLOYMENT: np.where(hidden, np.nan, emp).ravel(),
            schema.status_col(schema.EMPLOYMENT): status.ravel(),
            schema.ESTABLISHMENTS: estabs.ravel(),
            schema.status_col(schema.ESTABLISHMENTS): schema.REPORTED,
            schema.WAGES: np.where(hidden, np.nan, wages).ravel(),
            schema.status_col(schema.WAGES): status.ravel(),
        }).with_columns(pl.col(schema.EMPLOYMENT, schema.WAGES).fill_nan(None))
        totals = pl.DataFrame({
            schema.PERIOD: year, schema.REGION: regions, schema.OWNERSHIP: schema.OWNERSHIP_PRIVATE,
            schema.INDUSTRY: schema.ALL_INDUSTRIES, schema.REGION_LEVEL: "county",
            schema.CLASSIFICATION: schema.NAICS, schema.LEVEL: np.zeros(n_regions, dtype=np.int8),
            schema.EMPLOYMENT: emp.sum(axis=1),
            schema.status_col(schema.EMPLOYMENT): schema.REPORTED,
            schema.ESTABLISHMENTS: estabs.sum(axis=1),
            schema.status_col(schema.ESTABLISHMENTS): schema.REPORTED,
            schema.WAGES: wages.sum(axis=1), schema.status_col(schema.WAGES): schema.REPORTED})
        table = to_canonical(pl.concat([totals, cells], how="diagonal_relaxed").lazy()).collect()
        write_frame(table, str(folder / f"panel_{year}.parquet"), base_metadata("canonical"))
        rows += table.height
    return rows


def run(cmd: list[str], limit_gb: float | None) -> dict:
    """Run ``cmd``: wall time, peak RSS in GB (the child's own, from wait4), exit code; killed
    when its resident memory passes ``limit_gb``."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    err: list[bytes] = []
    killed = [False]
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
    reader.start()

    def watch() -> None:
        while limit_gb is not None and not killed[0]:
            try:
                with open(f"/proc/{proc.pid}/statm") as fh:
                    rss = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e9
            except (OSError, IndexError, ValueError):
                return
            if rss > limit_gb:
                killed[0] = True
                proc.kill()
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    killed[0] = killed[0] or proc.returncode < 0
    reader.join()
    return {"wall": wall, "peak_gb": usage.ru_maxrss / 1e6, "rc": proc.returncode,
            "killed": killed[0],
            "stderr": b"".join(err).decode(errors="replace").strip().splitlines()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--periods", type=int, default=10)
    ap.add_argument("--regions", type=int, default=3000)
    ap.add_argument("--industries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--keep", help="folder for the panel and outputs (kept; reused when there)")
    ap.add_argument("--whole", action="store_true", help="also run the whole computation")
    ap.add_argument("--whole-limit-gb", type=float, default=20.0)
    args = ap.parse_args()
    byte_compile()  # as installed: see _installed.py

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench_lq_panel_"))
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    if len(list(folder.glob("panel_*.parquet"))) != args.periods:
        for old in folder.glob("panel_*.parquet"):
            old.unlink()
        rows = synthesise(folder, args.periods, args.regions, args.industries, args.seed)
        print(f"synthesised {args.periods} periods x {args.regions} regions x {args.industries} "
              f"industries x 3 measures ({rows:,} rows) in {time.perf_counter() - t0:.0f} s")
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    glob = str(folder / "panel_*.parquet")
    parts = run([PYTHON, "-m", "clusterid", "lq", glob, "-o", str(folder / "lq.parquet")], None)
    said = next((line for line in parts["stderr"] if "parts (measure, period)" in line), "")
    print(f"parts  wall {parts['wall']:6.1f} s   peak {parts['peak_gb']:5.2f} GB   exit "
          f"{parts['rc']}   {said.removeprefix('lq: ')}")
    if parts["rc"] != 0:
        print("\n".join(parts["stderr"][-3:]))
        return 1
    if args.whole:
        whole = run([PYTHON, "-c", WHOLE, "lq", glob, "-o", str(folder / "lq_whole.parquet")],
                    args.whole_limit_gb)
        if whole["killed"]:
            print(f"whole  killed at {whole['peak_gb']:.1f} GB (limit {args.whole_limit_gb:g} GB) "
                  f"after {whole['wall']:.1f} s")
        else:
            print(f"whole  wall {whole['wall']:6.1f} s   peak {whole['peak_gb']:5.2f} GB   exit "
                  f"{whole['rc']}")
            if whole["rc"] == 0:
                import polars as pl

                same = pl.read_parquet(folder / "lq.parquet").equals(
                    pl.read_parquet(folder / "lq_whole.parquet"))
                print(f"same rows and values: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
