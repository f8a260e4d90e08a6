"""A canonical Parquet clusterid wrote is checked on opening by filters that polars answers from
the row groups' statistics where it can (session 26): the checks must still find an edited
row in the middle of a file of many row groups, whatever the statistics say of the others.

The file: the bundled Utah sample ingested, saved again with pyarrow in row groups of 500 rows
(its clusterid metadata kept, as a script's edit keeps it), one row changed far from the first
and last row group; written with and without row-group statistics.
"""

from __future__ import annotations

import pytest

from conftest import run_main


def _edited(good, tmp_path, column, value, statistics):
    import polars as pl
    import pyarrow.parquet as pq

    table = pq.read_table(good)
    df = pl.from_arrow(table)
    at = df.height // 2 + 7  # inside a middle row group of 500 rows
    df = df.with_columns(pl.when(pl.int_range(pl.len()) == at).then(pl.lit(value, df.schema[column]))
                         .otherwise(pl.col(column)).alias(column))
    kept = {k: v for k, v in pq.read_metadata(good).metadata.items() if k != b"ARROW:schema"}
    assert b"clusterid" in kept
    path = tmp_path / "edited.parquet"
    pq.write_table(df.to_arrow().replace_schema_metadata(kept), path, row_group_size=500,
                   write_statistics=statistics)
    assert pq.ParquetFile(path).metadata.num_row_groups > 10
    return path, at


@pytest.mark.parametrize("statistics", [True, False])
@pytest.mark.parametrize("column, value, found", [
    ("employment", float("nan"), "column 'employment'"),
    ("employment", float("inf"), "column 'employment'"),
    ("employment", -3.0, "negative value"),
    ("employment_status", "weird", "not a status"),
    ("region", None, "a key cell is empty"),
])
def test_an_edited_row_in_a_middle_row_group_is_found(tmp_path, capsys, column, value, found,
                                                      statistics, utah_parquet):
    path, at = _edited(utah_parquet, tmp_path, column, value, statistics)
    out = tmp_path / "lq.parquet"
    code, _, err = run_main(["lq", str(path), "-o", str(out)], capsys)
    assert code == 1, err
    assert found in err, err
    assert f"row {at + 1}" in err, err
    assert not out.exists()


@pytest.mark.parametrize("statistics", [True, False])
def test_the_same_file_unedited_reads(tmp_path, capsys, statistics, utah_parquet):
    """The control: the file saved the same way with no row changed opens and gives LQs."""
    import polars as pl
    import pyarrow.parquet as pq

    good = utah_parquet
    kept = {k: v for k, v in pq.read_metadata(good).metadata.items() if k != b"ARROW:schema"}
    path = tmp_path / "resaved.parquet"
    pq.write_table(pq.read_table(good).replace_schema_metadata(kept), path, row_group_size=500,
                   write_statistics=statistics)
    code, _, err = run_main(["lq", str(path), "-o", str(tmp_path / "lq.parquet")], capsys)
    assert code == 0, err
    assert pl.read_parquet(tmp_path / "lq.parquet").height > 0
