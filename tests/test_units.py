"""Values published in thousands are read in units: a unit column (Eurostat's ``THS_PER``) or
a heading that says so (``emp1000``, ``Beschäftigte (1000)``, ``in Tsd.``)."""

from __future__ import annotations

import csv

import polars as pl
import pytest

from clusterid import schema
from clusterid.errors import DataError
from clusterid.io.ingest import IngestOptions, ingest
from clusterid.io.readers import generic_post
from conftest import shared_path


def test_unit_factors():
    assert generic_post.unit_factor("THS_PER") == 1000 and generic_post.unit_factor("Tsd.") == 1000
    assert generic_post.unit_factor("тыс. чел.") == 1000 and generic_post.unit_factor("MIO_EUR") == 1e6
    assert generic_post.unit_factor("PER") == 1 and generic_post.unit_factor("") == 1
    assert generic_post.unit_factor("furlongs") is None


def test_unit_column_scales_each_row(tmp_path):
    p = tmp_path / "units.csv"
    p.write_text("unit,geo,nace_r2,time,value\nTHS_PER,AT,C,2016,1.005\nTHS_PER,AT,F,2016,:\n"
                 "PER,MT,C,2016,21000\n")
    df, meta = ingest([str(p)], IngestOptions())
    got = dict(df.select(schema.REGION + "", schema.EMPLOYMENT).filter(
        pl.col(schema.EMPLOYMENT).is_not_null()).iter_rows())
    assert got == {"AT": 1005.0, "MT": 21000.0}
    (details,) = meta["readers"].values()
    assert details["units"] == {"PER": 1.0, "THS_PER": 1000.0}


def test_heading_in_thousands(tmp_path):
    p = tmp_path / "tsd.csv"
    p.write_text("Land;WZ 2008;Jahr;Beschäftigte (1000)\nBY;C;2016;1.234,5\n", encoding="utf-8")
    df, meta = ingest([str(p)], IngestOptions())
    assert df[schema.EMPLOYMENT].to_list() == [1234500.0]
    assert list(meta["readers"].values())[0]["scaled_by_heading"] == {"Beschäftigte (1000)": 1000.0}


def test_a_share_is_not_a_level(tmp_path):
    p = tmp_path / "pc.csv"
    p.write_text("unit,geo,nace_r2,time,value\nTHS_PER,AT,C,2016,5\nPC_TOT,AT,F,2016,12.5\n")
    with pytest.raises(DataError) as err:
        ingest([str(p)], IngestOptions())
    (problem,) = err.value.problems
    assert (problem.line, problem.column, problem.found) == (3, "unit", "PC_TOT")


def test_reat_eu28_thousands_of_persons():
    path = shared_path("reat_germany_eu", "REAT_EU28.emp.csv")
    df, meta = ingest([str(path)], IngestOptions())
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["unit"] for r in rows} == {"THS_PER"}
    want = sum(float(r["emp1000"]) for r in rows if r["emp1000"] not in ("", "NA"))
    assert df[schema.EMPLOYMENT].sum() == pytest.approx(want * 1000, rel=1e-12)
    at = df.filter((pl.col(schema.REGION) == "AT") & (pl.col(schema.INDUSTRY) == "A")
                   & (pl.col(schema.PERIOD) == "2016"))
    row = next(r for r in rows if r["geo"] == "AT" and r["nace_r2"] == "A" and r["time"] == "2016")
    assert at[schema.EMPLOYMENT].item() == pytest.approx(float(row["emp1000"]) * 1000)
