"""lq's output keeps the input's region_level (county, state, msa).

Sums and SLQs are taken within each region level, so a state, its counties and its metro
areas can share one input; the output said which row was which only through the codes."""

from __future__ import annotations

import polars as pl

from conftest import TEST_DATA, run_main


def _table(tmp_path, with_level: bool):
    # two counties and their state, hand-made in the canonical layout (QCEW-like codes)
    rows = [("49001", "county", "10", 100.0), ("49001", "county", "31-33", 40.0),
            ("49003", "county", "10", 300.0), ("49003", "county", "31-33", 60.0),
            ("49000", "state", "10", 400.0), ("49000", "state", "31-33", 100.0)]
    df = pl.DataFrame({
        "period": ["2016Q1"] * len(rows), "region": [r[0] for r in rows],
        "ownership": ["private"] * len(rows), "industry": [r[2] for r in rows],
        "level": [0 if r[2] == "10" else 2 for r in rows],
        "employment": [r[3] for r in rows], "employment_status": ["reported"] * len(rows)})
    if with_level:
        df = df.with_columns(pl.Series("region_level", [r[1] for r in rows]))
    path = tmp_path / ("with.csv" if with_level else "without.csv")
    df.write_csv(path)
    return path


def test_region_level_is_kept_beside_the_region(capsys, tmp_path):
    out = tmp_path / "lq.csv"
    code, _out, err = run_main(["lq", str(_table(tmp_path, True)), "-o", str(out)], capsys)
    assert code in (0, None), err
    lq = pl.read_csv(out, schema_overrides={"region": pl.String, "industry": pl.String})
    assert "region_level" in lq.columns
    assert lq.columns.index("region_level") < lq.columns.index("measure")
    levels = dict(lq.select("region", "region_level").unique().iter_rows())
    assert levels == {"49001": "county", "49003": "county", "49000": "state"}
    # the state is its own benchmark (sum within its level): LQ 1; the counties against their sum
    row = lq.filter((pl.col("region") == "49001") & (pl.col("industry") == "31-33"))
    assert abs(row["lq"][0] - (40 / 100) / (100 / 400)) < 1e-6


def test_no_region_level_column_when_the_input_has_none(capsys, tmp_path):
    out = tmp_path / "lq.csv"
    code, _out, err = run_main(["lq", str(_table(tmp_path, False)), "-o", str(out)], capsys)
    assert code in (0, None), err
    assert "region_level" not in pl.read_csv(out).columns
    # a canonical table always has the column: left empty, it is not written either
    empty = tmp_path / "empty_level.csv"
    pl.read_csv(_table(tmp_path, True)).with_columns(
        pl.lit(None, pl.String).alias("region_level")).write_csv(empty)
    out3 = tmp_path / "lq_empty.csv"
    code, _out, err = run_main(["lq", str(empty), "-o", str(out3)], capsys)
    assert code in (0, None), err
    assert "region_level" not in pl.read_csv(out3).columns
    out2 = tmp_path / "toy.csv"
    code, _out, err = run_main(["lq", str(TEST_DATA / "lq" / "toy_canonical.csv"), "-o", str(out2)], capsys)
    assert "region_level" not in pl.read_csv(out2).columns
