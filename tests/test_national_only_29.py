"""A table of the nation alone (session 29).

Every row of such a table is the country's: REAT's column of the Federal Republic (``BRD2008``,
``BRD2017``), a national office's table with ``Deutschland`` or ``Total`` in its region
column.  The generic reader drops a region total beside the regions it sums; with no region
beside it, all rows were dropped and the table refused as "no data rows left" (exit 1).  Now
the rows are kept, their region level the nation's.  Beside regions, the total is still dropped.
"""

from __future__ import annotations

import polars as pl
import pytest

from conftest import TEST_DATA, run_main

BRD = TEST_DATA / "stages29" / "reat_brd.csv"  # REAT 3.0.3's G.regions.industries, BRD columns


def _ingest(tmp_path, capsys, path):
    out = tmp_path / "out.parquet"
    code, _o, err = run_main(["ingest", str(path), "-o", str(out)], capsys)
    return code, err, (pl.read_parquet(out) if code == 0 else None)


def test_reat_federal_republic_alone_is_read_as_the_nation(tmp_path, capsys):
    code, err, df = _ingest(tmp_path, capsys, BRD)
    assert code == 0, err
    assert df.get_column("region").unique().to_list() == ["BRD"]
    assert df.get_column("region_level").unique().to_list() == ["nation"]
    total = df.filter((pl.col("industry") == "10") & (pl.col("period") == "2008"))
    assert total.get_column("employment").to_list() == [27695398.0]  # the file's A-R Insgesamt
    c17 = df.filter((pl.col("industry") == "C") & (pl.col("period") == "2017"))
    assert c17.get_column("employment").to_list() == [6797172.0]
    assert df.height == 2 * (len(BRD.read_text().splitlines()) - 1)


@pytest.mark.parametrize("name", ["Deutschland", "Total"])
def test_a_long_table_of_the_nation_alone(tmp_path, capsys, name):
    path = tmp_path / "nation.csv"
    path.write_text("region,industry,year,employment\n"
                    f"{name},A,2020,100\n{name},C,2020,300\n{name},Insgesamt,2020,1000\n")
    code, err, df = _ingest(tmp_path, capsys, path)
    assert code == 0, err
    assert df.height == 3 and df.get_column("region_level").unique().to_list() == ["nation"]
    assert df.filter(pl.col("industry") == "10").get_column("employment").to_list() == [1000.0]


def test_beside_regions_the_total_is_still_dropped(tmp_path, capsys):
    path = tmp_path / "laender.csv"
    path.write_text("Land;WZ;Jahr;Beschäftigte\nDeutschland;A;2020;100\nDeutschland;C;2020;300\n"
                    "Bayern;A;2020;10\nBayern;C;2020;30\nHessen;A;2020;5\nHessen;C;2020;7\n")
    code, err, df = _ingest(tmp_path, capsys, path)
    assert code == 0, err
    assert sorted(df.get_column("region").unique().to_list()) == ["Bayern", "Hessen"]
    assert "region total rows" in err
