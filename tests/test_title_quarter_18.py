"""A quarter named by its last month in a title line: the ABS's "September quarter 2024"
(Labour Force, Australia, Detailed) and Stats NZ's "June 2024 quarter" (Household Labour Force
Survey).  The first was read as the year 2024, the second as the month 2024M06, both silently."""

from __future__ import annotations

import polars as pl
import pytest

from clusterid.io.readers.generic_plan import period_from_titles

from conftest import run_main


@pytest.mark.parametrize("title, period", [
    ("Employed persons by state and industry, September quarter 2024", "2024Q3"),
    ("Employed persons by region and industry, June 2024 quarter", "2024Q2"),
    ("December Qtr 2016", "2016Q4"),
    ("March quarter 2025 (next release: June quarter 2025)", "2025Q1"),
    # a month that ends no calendar quarter: no period said (the user gives --period)
    ("Employment, August quarter 2024", None),
    # as before: a month alone, a quarter by number, a date, a year
    ("Employment by industry, September 2024", "2024M09"),
    ("Quarter 3: 2024", "2024Q3"),
    ("за январь-март 2016 г.", "2016Q1"),
    ("Employment 2016", "2016"),
])
def test_title_period(title, period):
    assert period_from_titles([[title]]) == period


def test_an_abs_table_under_its_title_is_that_quarter(tmp_path, capsys):
    path = tmp_path / "abs_lfs_detailed.csv"
    path.write_text("Employed persons by state and industry (ANZSIC division), September quarter 2024\n"
                    "\n"
                    "State,Industry,Employed persons\n"
                    "New South Wales,Manufacturing,270500\nNew South Wales,Construction,390200\n"
                    "Victoria,Manufacturing,280100\nVictoria,Construction,350900\n", encoding="utf-8")
    out = tmp_path / "canonical.csv"
    code, _out, err = run_main(["ingest", str(path), "-o", str(out), "--classification", "custom"], capsys)
    assert code in (0, None), err
    assert pl.read_csv(out)["period"].unique().to_list() == ["2024Q3"]
