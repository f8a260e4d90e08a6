"""A Regionalstatistik / GENESIS flat CSV export: title lines, a header that labels only the
value columns (the date, AGS code and name columns have no heading), a Stichtag date as the
period, Latin-1, semicolons, Destatis markers and a copyright footer."""

from __future__ import annotations

from clusterid import schema
from clusterid.io.ingest import IngestOptions, ingest
from clusterid.io.readers import generic_plan
from conftest import TEST_DATA

GENESIS = TEST_DATA / "generic" / "de_kreise_genesis_latin1.csv"


def test_genesis_export_read_without_options():
    df, meta = ingest([str(GENESIS)], IngestOptions())
    assert sorted(set(df[schema.REGION])) == ["03159", "03241", "03251"]
    assert set(df[schema.PERIOD]) == {"2016"}  # Stichtag 30.06.2016 throughout -> the year
    rows = {(r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}
    assert rows[("03159", "10")][schema.EMPLOYMENT] == 123456
    assert rows[("03159", "10")][schema.REGION_NAME] == "Göttingen, Landkreis"
    assert rows[("03159", "A")][schema.EMPLOYMENT] == 789
    assert rows[("03241", "C")][schema.EMPLOYMENT] is None and rows[("03241", "C")][schema.flag_col(schema.EMPLOYMENT)] == "."
    assert rows[("03251", "A")][schema.status_col(schema.EMPLOYMENT)] == schema.SUPPRESSED
    (details,) = meta["readers"].values()
    assert details["header_line"] == 6 and details["encoding"] in ("latin-1", "cp1252", "iso-8859-1")
    assert meta["dropped"] == {"note rows under the table (one filled cell)": 2}


def test_date_periods():
    assert generic_plan.date_periods(["30.06.2016", "30.06.2017"]) == {"30.06.2016": "2016", "30.06.2017": "2017"}
    assert generic_plan.date_periods(["2016-03-31", "2016-04-30"]) == {"2016-03-31": "2016M03", "2016-04-30": "2016M04"}
    assert generic_plan.date_periods(["2016", "x"]) is None


def test_a_named_table_is_not_reinterpreted(tmp_path):
    # headings name the roles: content is not consulted, "Land" stays the region
    p = tmp_path / "named.csv"
    p.write_text("Land;WZ 2008;Jahr;Beschäftigte\nBY;C;2016;5\n", encoding="utf-8")
    df, _ = ingest([str(p)], IngestOptions())
    assert df[schema.REGION].to_list() == ["BY"]


def test_xlsx_date_cells_are_periods(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Stichtag", "Kreis", "WZ 2008", "Beschäftigte"])
    ws.append([dt.datetime(2016, 6, 30), "03159", "C", 7999])
    ws.append([dt.datetime(2017, 6, 30), "03159", "C", 7874])
    p = tmp_path / "dates.xlsx"
    wb.save(p)
    df, _ = ingest([str(p)], IngestOptions())  # "Stichtag" is a period heading
    assert dict(df.select(schema.PERIOD, schema.EMPLOYMENT).iter_rows()) == {"2016": 7999, "2017": 7874}


def test_wide_table_by_stichtag_dates(tmp_path):
    # a GENESIS table with its reference dates across (30.06.2016;30.06.2017) was refused:
    # 'no period column recognised'
    p = tmp_path / "wide_dates.csv"
    p.write_text("Kreis;WZ 2008;30.06.2016;30.06.2017\n03159;C;7999;7874\n03241;C;50000;51000\n",
                 encoding="utf-8")
    df, _ = ingest([str(p)], IngestOptions())
    got = {(r[schema.PERIOD], r[schema.REGION]): r[schema.EMPLOYMENT] for r in df.iter_rows(named=True)}
    assert got == {("2016", "03159"): 7999, ("2017", "03159"): 7874,
                   ("2016", "03241"): 50000, ("2017", "03241"): 51000}


def test_wide_table_by_month_end_dates(tmp_path):
    p = tmp_path / "wide_months.csv"
    p.write_text("Kreis;WZ 2008;2016-03-31;2016-06-30\n03159;C;7999;7874\n", encoding="utf-8")
    df, _ = ingest([str(p)], IngestOptions())
    assert sorted(df[schema.PERIOD].to_list()) == ["2016M03", "2016M06"]


def test_heading_periods():
    assert generic_plan.heading_periods(["Kreis", "2016", "30.06.2017"]) == {"2016": "2016", "30.06.2017": "2017"}
    assert generic_plan.heading_periods(["Kreis", "WZ 2008"]) == {}
