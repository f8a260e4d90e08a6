"""Several canonical Parquet tables, each of its own periods (a panel ingested year by year),
read as one input: opened lazily (io.ingest.scan_canonical_set), with the same results as the
one table they make up, and read a period at a time by ``lq --period``."""

from __future__ import annotations

import io
import json

import polars as pl
import pyarrow.parquet as pq
import pytest

from clusterid import schema
from clusterid.io.ingest import scan_canonical_set

from conftest import SAMPLES, run_main

SAMPLE = SAMPLES / "qcew_utah_2016_counties.csv.gz"


@pytest.fixture(scope="module")
def panel(tmp_path_factory, utah_parquet):
    """The Utah sample ingested once (conftest's utah_parquet, shared by the session), and the
    same table cut into two canonical files by quarters (Q1-Q2, Q3-Q4), each carrying the
    metadata clusterid wrote."""
    folder = tmp_path_factory.mktemp("set")
    whole = utah_parquet
    meta = pq.read_metadata(whole).metadata[schema.METADATA_KEY].decode()
    table = pl.read_parquet(whole)
    parts = []
    for name, quarters in (("b_second_half", ["2016Q3", "2016Q4"]),
                           ("a_first_half", ["2016Q1", "2016Q2"])):
        path = folder / f"{name}.parquet"
        table.filter(pl.col(schema.PERIOD).is_in(quarters)).write_parquet(
            path, metadata={schema.METADATA_KEY.decode(): meta})
        parts.append(path)
    return whole, sorted(parts)


def _run(capsys, *argv):
    code, out, err = run_main([str(a) for a in argv], capsys)
    assert code == 0, err
    return out, err


def test_tables_of_their_own_periods_open_lazily_as_one_in_period_order(panel):
    whole, parts = panel
    lf, meta = scan_canonical_set([str(p) for p in reversed(parts)])
    assert isinstance(lf, pl.LazyFrame)
    assert lf.collect().equals(pl.read_parquet(whole))  # the same rows, in key order
    assert [t["periods"] for t in meta["tables"]] == [["2016Q1", "2016Q2"], ["2016Q3", "2016Q4"]]
    assert all(t["metadata"]["kind"] == "canonical" for t in meta["tables"])


def test_a_period_in_two_tables_is_left_to_ingest(panel, tmp_path, capsys):
    # the same period twice could hold the same key twice: the files go through ingest, which
    # validates them as one table (and finds the duplicates)
    whole, parts = panel
    assert scan_canonical_set([str(whole), str(parts[0])]) is None
    code, _, err = run_main(["lq", str(whole), str(parts[0]), "-o", "-"], capsys)
    assert code == 1 and "duplicate row" in err


def test_tables_whose_periods_interleave_are_left_to_ingest(panel, tmp_path, capsys):
    # quarters 1 and 3 in one table, 2 and 4 in the other: one after the other they are out of
    # key order, so ingest reads them (and sorts them) as one table
    whole, _parts = panel
    meta = pq.read_metadata(whole).metadata[schema.METADATA_KEY].decode()
    table = pl.read_parquet(whole)
    odd, even = tmp_path / "odd.parquet", tmp_path / "even.parquet"
    for path, quarters in ((odd, ["2016Q1", "2016Q3"]), (even, ["2016Q2", "2016Q4"])):
        table.filter(pl.col(schema.PERIOD).is_in(quarters)).write_parquet(
            path, metadata={schema.METADATA_KEY.decode(): meta})
    assert scan_canonical_set([str(odd), str(even)]) is None
    on_whole, _ = _run(capsys, "lq", whole, "-o", "-")
    on_pair, _ = _run(capsys, "lq", odd, even, "-o", "-")
    assert on_pair == on_whole


def test_a_parquet_clusterid_did_not_write_is_left_to_ingest(panel, tmp_path):
    whole, parts = panel
    plain = tmp_path / "plain.parquet"
    pl.read_parquet(parts[1]).write_parquet(plain)  # no clusterid metadata
    assert scan_canonical_set([str(parts[0]), str(plain)]) is None


@pytest.mark.parametrize("command", [
    ["lq", "-o", "-"],
    ["lq", "--period", "2016Q3", "-o", "-"],
    ["stats", "--output-format", "csv"],
    ["indices", "--period", "2016Q2", "-o", "-"],
])
def test_commands_give_the_whole_tables_results(panel, capsys, command):
    whole, parts = panel
    name, *options = command
    on_whole, _ = _run(capsys, name, whole, *options)
    on_set, err = _run(capsys, name, *parts, *options)
    assert on_set == on_whole
    assert "reading 2 files as one input" in err


def test_lq_records_the_tables_of_the_set(panel, capsys, tmp_path):
    _whole, parts = panel
    out = tmp_path / "lq.parquet"
    _run(capsys, "lq", f"{parts[0].parent}/[ab]_*.parquet", "--period", "2016q4", "-o", out)
    meta = json.loads(pq.read_metadata(out).metadata[schema.METADATA_KEY])
    assert [t["path"] for t in meta["source"]["tables"]] == [str(p) for p in parts]
    got = pl.read_parquet(out)
    assert got[schema.PERIOD].unique().to_list() == ["2016Q4"] and got.height > 0
    assert meta["options"]["period"] == ["2016Q4"]


def test_month_option_with_a_set_of_canonical_tables_is_refused(panel, capsys):
    _whole, parts = panel
    code, _, err = run_main(["lq", *map(str, parts), "--month", "1", "-o", "-"], capsys)
    assert code == 2 and "--month applies to a raw file" in err


def test_set_csv_output_reads_back(panel, capsys):
    _whole, parts = panel
    out, _ = _run(capsys, "lq", *parts, "-o", "-")
    df = pl.read_csv(io.StringIO(out), infer_schema_length=0)
    assert sorted(df[schema.PERIOD].unique().to_list()) == ["2016Q1", "2016Q2", "2016Q3", "2016Q4"]
