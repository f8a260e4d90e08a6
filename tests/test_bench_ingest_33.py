"""benchmarks/bench_ingest.py's own runs on a slice of three Utah counties: a benchmark whose pieces
drift from the ingest they stand beside measures nothing.  The adapter and both fused runs keep
the same rows (the fused file holds the adapter's frame, only unsorted); the floors read every
row of the file.  (The ``ingest`` and ``stages`` children run the command itself, which leaves
the process at its end: not called in-process here.)"""

from __future__ import annotations

import importlib.util
import sys

import polars as pl
import pytest

from conftest import ROOT

SAMPLE = ROOT / "tests" / "data" / "qcew" / "utah_3counties_2016_gov.csv.gz"  # 904 rows, BLS by-area layout


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location("bench_ingest_33", ROOT / "benchmarks" / "bench_ingest.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module


def test_each_run_of_the_benchmark_keeps_the_rows_it_says(bench, tmp_path):
    adapter = bench.child_adapter(str(SAMPLE))
    fused = bench.child_fused(str(SAMPLE), str(tmp_path / "fused.parquet"), checks=False)
    checked = bench.child_fused(str(SAMPLE), str(tmp_path / "checked.parquet"), checks=True)
    floor = bench.child_floor(str(SAMPLE), str(tmp_path / "floor.parquet"))
    ordered = bench.child_sorted_floor(str(SAMPLE), str(tmp_path / "sorted.parquet"))
    assert adapter["rows"] == fused["rows"] == checked["rows"] > 0
    assert adapter["rows"] < adapter["rows_read"] == floor["rows"] == ordered["rows"]
    from clusterid.io.ingest import IngestOptions
    from clusterid.io.readers import qcew

    keys = ["period", "region", "ownership", "industry"]
    frame = qcew.read([str(SAMPLE)], IngestOptions()).frame.collect().sort(keys)
    written = pl.read_parquet(tmp_path / "fused.parquet")
    assert written.sort(keys).equals(frame)
    assert not written.equals(frame)  # unsorted: in the file's own order
