"""A Parquet table with the canonical keys but no ``level`` column (c56327c, 47ae55c).

Written by pandas or R, or by clusterid and then cut with pyarrow (its key-value metadata kept),
it is read as a generic table, which gives each code its level: opened as canonical, impute and
detect failed with 'internal error: ColumnNotFoundError: level'.  Only a table a newer clusterid
wrote (its metadata says a higher schema version) is opened as canonical, to be refused as
such (tests/malformed/canonical_from_newer_version.parquet).
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from clusterid import schema
from conftest import run_main

ROWS = {
    "period": ["2016"] * 9, "region": ["A"] * 3 + ["B"] * 3 + ["C"] * 3,
    "ownership": ["total"] * 9, "industry": ["10", "31-33", "23"] * 3,
    "classification": ["NAICS"] * 9,
    "employment": [100.0, 60.0, 40.0, 50.0, 10.0, 40.0, 80.0, 30.0, 50.0],
}


def _table(path, version):
    meta = {"kind": "canonical", "schema_version": version, "tool": "clusterid"}
    table = pa.table(ROWS).replace_schema_metadata({schema.METADATA_KEY: json.dumps(meta).encode()})
    pq.write_table(table, path)
    return path


@pytest.mark.parametrize("command", ["lq", "impute", "detect"])
def test_a_clusterid_table_without_levels_is_read_with_them(tmp_path, capsys, command):
    src = _table(tmp_path / "cut.parquet", schema.SCHEMA_VERSION)
    out = tmp_path / ("out" if command == "detect" else "out.csv")
    code, _stdout, stderr = run_main([command, str(src), "-o", str(out)], capsys)
    assert "internal error" not in stderr
    assert code == 0, stderr
    if command == "lq":
        import polars as pl

        lq = pl.read_csv(out)
        # each region's total is its '10' row alone, not the sum over both levels
        assert lq.filter(pl.col("region") == "A")["region_total"].unique().to_list() == [100.0]


def test_a_newer_table_without_levels_is_refused_as_newer(tmp_path, capsys):
    src = _table(tmp_path / "newer.parquet", schema.SCHEMA_VERSION + 1)
    code, _stdout, stderr = run_main(["lq", str(src), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 1
    assert "newer clusterid" in stderr
