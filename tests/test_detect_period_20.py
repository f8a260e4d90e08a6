"""``clusterid detect --period``: the periods a panel is read for (a Parquet table's other row
groups are not read), as lq's --period.  Input: the bundled BLS QCEW slice (data/samples,
Utah 2016, public domain) read per quarter, and a canonical Parquet table of it."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from conftest import run_main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"


def _detect(capsys, inputs, out, *extra):
    return run_main(["detect", *map(str, inputs), "-o", str(out), "--definitions", "uscmp",
                     *extra], capsys)


def test_period_keeps_those_quarters_and_records_them(tmp_path, capsys, utah_parquet):
    """Two of four quarters, spelt as a user types them: the regional tables hold those two,
    growth runs between them, and the metadata records them as the input spells them."""
    canonical = utah_parquet  # the sample ingested with the defaults, once for the session
    out = tmp_path / "two"
    code, _o, err = _detect(capsys, [canonical], out, "--period", "2016q1,2016Q4")
    assert code == 0, err
    rc = pl.read_csv(out / "regional_clusters.csv", infer_schema_length=0)
    assert sorted(rc["period"].unique().to_list()) == ["2016Q1", "2016Q4"]
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["options"]["period"] == ["2016Q1", "2016Q4"]
    # the same as detect on a table holding those two quarters only
    only = tmp_path / "two.parquet"
    pl.read_parquet(canonical).filter(pl.col("period").is_in(["2016Q1", "2016Q4"])).write_parquet(only)
    code, _o, err = _detect(capsys, [only], tmp_path / "cut")
    assert code == 0, err
    for name in ("regional_clusters.csv", "region_summary.csv", "cluster_summary.csv"):
        assert (out / name).read_bytes() == (tmp_path / "cut" / name).read_bytes(), name


def test_period_the_input_lacks_is_refused_naming_its_periods(tmp_path, capsys):
    """--period 2016Q1 on a raw quarterly file read as the year's average (detect's default
    --month annual): exit 2, naming the period the input has, nothing written."""
    out = tmp_path / "out"
    code, _o, err = _detect(capsys, [SAMPLE], out, "--period", "2016Q1")
    assert code == 2
    # one wording for lq, indices, stats, detect and shift-share since session 31
    assert "--period 2016Q1: not in the table; it has 2016" in err
    assert not (out / "metadata.json").exists()
