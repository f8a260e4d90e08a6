"""Benchmark: `clusterid report` on 3,000 regions, and a no-op `clusterid run` of the sample.

Run: .venv/bin/python benchmarks/bench_report.py
Prints wall time, peak memory of the child process and the report's size.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def child(*args: str) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB of the children so far) for one clusterid call."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "clusterid", *args], check=True, cwd=ROOT,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, peak


def main() -> None:
    from test_report import _big_detect_folder

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "detect"
        _big_detect_folder(folder, n_regions=3000, n_clusters=51)
        for fmt in ("html", "json", "md"):
            out = Path(tmp) / f"report.{fmt}"
            wall, peak = child("report", str(folder), "-o", str(out))
            print(f"report 3000 regions x 51 clusters -> {fmt}: {wall:.2f} s, "
                  f"{out.stat().st_size / 1e6:.2f} MB, peak RSS <= {peak:.0f} MB")
        outdir = Path(tmp) / "demo"
        wall, _ = child("run", "data/samples/pipeline.toml", "--outdir", str(outdir))
        print(f"sample pipeline, first run: {wall:.2f} s")
        times = [child("run", "data/samples/pipeline.toml", "--outdir", str(outdir))[0] for _ in range(5)]
        print(f"sample pipeline, nothing to do: best {min(times):.3f} s, worst {max(times):.3f} s "
              "(process start-up included)")


if __name__ == "__main__":
    main()
