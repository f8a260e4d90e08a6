"""Eurostat's European aggregates are no region of a table by country.

A Eurostat table by country (the Data Browser's download with labels, or SDMX-CSV with codes)
lists the EU and euro-area aggregates beside the member states: "European Union - 27
countries (from 2020)" / ``EU27_2020``, "Euro area - 20 countries (from 2023)" / ``EA20``.  Such
a row was kept as a region beside Germany and Austria, so lq's sum-of-regions benchmark counted
every country twice.  It is a region total now, dropped and counted like "Deutschland" beside
the Länder.  Figures are stand-ins of the Labour Force Survey's size (persons, 2022).
"""

from __future__ import annotations

import csv
import io

import pytest

from conftest import run_main


@pytest.mark.parametrize("eu", ["European Union - 27 countries (from 2020)", "EU27_2020",
                                "EU27_2020: European Union - 27 countries (from 2020)",
                                "Euro area - 20 countries (from 2023)", "EA20"])
def test_an_eu_aggregate_beside_its_countries_is_a_region_total(eu, tmp_path, capsys):
    src = tmp_path / "lfsa_egan2.csv"
    src.write_text("geo,nace_r2,time,value\n"
                   f'"{eu}",C,2022,29000000\n"{eu}",F,2022,13000000\n'
                   "Germany,C,2022,7500000\nAustria,C,2022,650000\n"
                   "Germany,F,2022,1900000\nAustria,F,2022,300000\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sorted({r["region"] for r in rows}) == ["Austria", "Germany"]
    assert "2 region total rows" in err, err


def test_region_names_that_only_start_like_the_aggregates_stay_regions():
    from clusterid.io.readers.generic_plan import is_region_total_name

    for name in ("Eure", "Euskadi", "Estonia", "Europe", "Eurasia", "EE"):
        assert not is_region_total_name(name), name
