"""Tables with a flag column beside each value, codes to translate and rows that are parts of
others: a CBP table in the layout of data.census.gov downloads (GEO_ID, NAME, NAICS2017, LFO,
EMPSZES, a second row of labels, EMP with EMP_F, PAYANN in $1,000) and a Eurostat SDMX-CSV
extract (OBS_VALUE, OBS_FLAG, unit THS). Both files are written to those layouts by hand with
illustrative values (tests/data/README.md)."""

from __future__ import annotations

import polars as pl
import pytest

from clusterid import schema
from clusterid.errors import DataError
from clusterid.io.ingest import IngestOptions, ingest
from clusterid.io.readers import generic_plan, generic_post, levels
from conftest import QCEW_HIGH_LEVEL_HEADINGS, TEST_DATA

CENSUS = TEST_DATA / "generic" / "cbp2017_table_layout.csv"
ESTAT = TEST_DATA / "generic" / "eurostat_sdmx_csv_layout.csv"


def by_key(df):
    return {(r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}


def test_census_table_codes_levels_and_parts():
    df, meta = ingest([str(CENSUS)], IngestOptions())
    assert meta["rows_read"] == 7  # the label row and six data rows
    assert meta["dropped"] == {
        "label row under the header (a second heading row)": 1,
        generic_plan.REASON_BREAKDOWN.format("EMPSZES"): 1,
        generic_plan.REASON_BREAKDOWN.format("LFO"): 1,
    }
    rows = by_key(df)
    assert set(rows) == {("49000", "10"), ("49001", "10"), ("49001", "21"), ("49001", "31-33")}
    assert rows[("49000", "10")][schema.REGION_LEVEL] == "state"
    assert rows[("49001", "10")][schema.REGION_LEVEL] == "county"
    assert rows[("49001", "10")][schema.REGION_NAME] == "Beaver County, Utah"
    assert rows[("49001", "10")][schema.WAGES] == 52000 * 1000  # PAYANN is $1,000


def test_census_flag_d_withholds_the_published_zero():
    df, _ = ingest([str(CENSUS)], IngestOptions())
    mining = by_key(df)[("49001", "21")]
    assert mining[schema.EMPLOYMENT] is None and mining[schema.status_col(schema.EMPLOYMENT)] == schema.SUPPRESSED
    assert mining[schema.flag_col(schema.EMPLOYMENT)] == "D"
    assert mining[schema.WAGES] is None and mining[schema.ESTABLISHMENTS] == 3
    manu = by_key(df)[("49001", "31-33")]
    assert manu[schema.EMPLOYMENT] == 310 and manu[schema.flag_col(schema.EMPLOYMENT)] == "H"
    assert manu[schema.status_col(schema.EMPLOYMENT)] == schema.REPORTED


def test_census_range_letters_become_bounds(tmp_path):
    text = CENSUS.read_text().replace(",2017,3,0,D,0,D", ",2017,3,0,b,0,D")
    p = tmp_path / "ranges.csv"
    p.write_text(text)
    df, _ = ingest([str(p)], IngestOptions())
    mining = by_key(df)[("49001", "21")]
    assert mining[schema.EMPLOYMENT] is None
    assert (mining[schema.lower_col(schema.EMPLOYMENT)], mining[schema.upper_col(schema.EMPLOYMENT)]) == (20, 99)


def test_census_region_level_selection():
    df, meta = ingest([str(CENSUS)], IngestOptions(region_level="county"))
    assert set(df[schema.REGION]) == {"49001"}
    assert meta["dropped"][levels.REASON.format("state")] == 1


def test_eurostat_sdmx_csv_flags_units_and_levels():
    df, meta = ingest([str(ESTAT)], IngestOptions())
    rows = by_key(df)
    assert rows[("DE11", "C")][schema.EMPLOYMENT] == 401200  # THS -> persons
    assert rows[("DE12", "C")][schema.flag_col(schema.EMPLOYMENT)] == "p"
    assert rows[("DE12", "C")][schema.status_col(schema.EMPLOYMENT)] == schema.REPORTED
    assert rows[("DE12", "F")][schema.status_col(schema.EMPLOYMENT)] == schema.ESTIMATED
    for key in (("DE11", "F"), ("DE13", "F")):  # c: confidential; DE13's published 0 is no data
        assert rows[key][schema.EMPLOYMENT] is None
        assert rows[key][schema.status_col(schema.EMPLOYMENT)] == schema.SUPPRESSED
    assert set(df[schema.REGION_LEVEL]) == {"nuts2"}
    (details,) = meta["readers"].values()
    assert details["flag_columns"] == {"employment": "OBS_FLAG"}


def test_eurostat_nuts_level_selection_missing_level():
    with pytest.raises(DataError, match="no rows at region level nuts1"):
        ingest([str(ESTAT)], IngestOptions(region_level="nuts1"))


def test_a_first_row_with_some_numbers_is_data_not_labels(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("region,industry,year,employment,firms\nA,C,2016,abc,5\nB,C,2016,4,5\n")
    with pytest.raises(DataError) as err:
        ingest([str(p)], IngestOptions())
    assert [(x.line, x.found) for x in err.value.problems] == [(2, "abc")]


def test_month_columns_average_and_suppression(tmp_path):
    p = tmp_path / "months.csv"
    p.write_text("area_fips,industry_code,year,qtr,month1_emplvl,month2_emplvl,month3_emplvl\n"
                 "49001,10,2016,1,10,20,30\n49003,10,2016,1,10,(D),30\n")
    df, meta = ingest([str(p)], IngestOptions())
    rows = {r[schema.REGION]: r for r in df.iter_rows(named=True)}
    assert rows["49001"][schema.EMPLOYMENT] == 20
    assert rows["49003"][schema.EMPLOYMENT] is None
    assert rows["49003"][schema.status_col(schema.EMPLOYMENT)] == schema.SUPPRESSED
    assert rows["49003"][schema.flag_col(schema.EMPLOYMENT)] == "(D)"
    df, _ = ingest([str(p)], IngestOptions(month="2"))
    assert dict(df.select(schema.REGION, schema.EMPLOYMENT).iter_rows()) == {"49001": 20, "49003": None}


def test_qcew_cut_without_aggregation_codes(tmp_path):
    # a QCEW extract someone cut to a few columns (no agglvl_code, so not the QCEW adapter):
    # year + qtr make the period, own_code digits the ownership, 10 the all-industries code
    p = tmp_path / "qcew_cut.csv"
    p.write_text('area_fips,own_code,industry_code,year,qtr,area_title,month3_emplvl\n'
                 '49001,0,10,2016,1,"Beaver County, Utah",2500\n49001,5,10,2016,1,"Beaver County, Utah",2000\n'
                 '49001,0,10,2016,2,"Beaver County, Utah",2600\n49001,5,31-33,2016,2,"Beaver County, Utah",300\n')
    df, _ = ingest([str(p)], IngestOptions())
    got = {(r[schema.PERIOD], r[schema.OWNERSHIP], r[schema.INDUSTRY]): r[schema.EMPLOYMENT]
           for r in df.iter_rows(named=True)}
    assert got == {("2016Q1", "total", "10"): 2500, ("2016Q1", "private", "10"): 2000,
                   ("2016Q2", "total", "10"): 2600, ("2016Q2", "private", "31-33"): 300}
    assert set(df[schema.CLASSIFICATION]) == {"NAICS"} and set(df[schema.LEVEL]) == {0, 2}


def test_a_row_flag_column_withholds_the_published_zero(tmp_path):
    # QCEW cut without agglvl_code: disclosure_code N -> employment and wages suppressed (the
    # published 0 is no data), establishments kept; "-" is a row of true zeros
    p = tmp_path / "qcew_cut.csv"
    p.write_text("area_fips,own_code,industry_code,year,qtr,disclosure_code,qtrly_estabs,month3_emplvl,total_qtrly_wages\n"
                 "49001,5,21,2016,1,N,3,0,0\n49001,5,22,2016,1,-,0,0,0\n49001,5,23,2016,1,,40,310,2500000\n")
    df, _ = ingest([str(p)], IngestOptions())
    rows = {r[schema.INDUSTRY]: r for r in df.iter_rows(named=True)}
    n = rows["21"]
    assert n[schema.EMPLOYMENT] is None and n[schema.status_col(schema.EMPLOYMENT)] == schema.SUPPRESSED
    assert n[schema.WAGES] is None and n[schema.flag_col(schema.WAGES)] == "N"
    assert n[schema.ESTABLISHMENTS] == 3 and n[schema.status_col(schema.ESTABLISHMENTS)] == schema.REPORTED
    assert rows["22"][schema.EMPLOYMENT] == 0 and rows["22"][schema.status_col(schema.EMPLOYMENT)] == schema.REPORTED
    assert rows["23"][schema.EMPLOYMENT] == 310


def test_qcew_high_level_workbook(tmp_path):
    """A workbook in the layout of BLS's QCEW high-level files (allhlcnYYQ.xlsx: headings with
    line breaks such as "Area\\nCode", Own, NAICS, Year, Qtr, "Area\\nType", Status Code, month
    employment columns); rows written by hand, Utah values from the by-area files."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(QCEW_HIGH_LEVEL_HEADINGS)
    ws.append(["US000", "US", "000", "0", "10", 2016, "1", "Nation", "U.S. Combined", "U.S. TOTAL",
               "Total Covered", "10 Total, all industries", "", 9800000, 140000000, 141000000,
               142000000, 2.5e12, 900])
    ws.append(["49000", "49", "000", "0", "10", 2016, "1", "State", "Utah", "Utah -- Statewide",
               "Total Covered", "10 Total, all industries", "", 93968, 1348136, 1358101, 1368710,
               14984977106, 849])
    ws.append(["49001", "49", "001", "5", "1011", 2016, "1", "County", "Utah", "Beaver County, Utah",
               "Private", "1011 Natural resources and mining", "N", 12, 0, 0, 0, 0, 0])
    ws.append(["49001", "49", "001", "5", "10", 2016, "1", "County", "Utah", "Beaver County, Utah",
               "Private", "10 Total, all industries", "N", 160, 0, 0, 0, 0, 0])
    p = tmp_path / "allhlcn161.xlsx"
    wb.save(p)
    df, meta = ingest([str(p)], IngestOptions())
    # (the file's only industries below the totals are supersectors: read as custom industries,
    # tests/test_unseen_files_20.py; the domains 101/102, their sums, would be dropped)
    supersector = df.filter(pl.col(schema.INDUSTRY) == "1011").row(0, named=True)
    assert supersector[schema.CLASSIFICATION] == schema.CUSTOM and supersector[schema.ESTABLISHMENTS] == 12
    df = df.filter(pl.col(schema.INDUSTRY) == "10")
    rows = {(r[schema.REGION], r[schema.OWNERSHIP]): r for r in df.iter_rows(named=True)}
    assert set(rows) == {("US000", "total"), ("49000", "total"), ("49001", "private")}
    assert rows[("US000", "total")][schema.REGION_LEVEL] == "nation"  # kept: a level, not a total row
    assert rows[("49000", "total")][schema.PERIOD] == "2016Q1"
    assert rows[("49000", "total")][schema.INDUSTRY_NAME] == "Total, all industries"
    beaver = rows[("49001", "private")]
    assert beaver[schema.EMPLOYMENT] is None and beaver[schema.flag_col(schema.EMPLOYMENT)] == "N"
    assert beaver[schema.ESTABLISHMENTS] == 160
    assert meta["dropped"] == {}
    # employment: the mean of the quarter's three months, as the QCEW adapter's --month average
    assert rows[("49000", "total")][schema.EMPLOYMENT] == pytest.approx((1348136 + 1358101 + 1368710) / 3)
    df, _ = ingest([str(p)], IngestOptions(region_level="county"))
    assert set(df[schema.REGION]) == {"49001"}
    df, _ = ingest([str(p)], IngestOptions(month="3"))
    assert dict(df.filter(pl.col(schema.OWNERSHIP) == "total").select(
        schema.REGION, schema.EMPLOYMENT).iter_rows()) == {"US000": 142000000, "49000": 1368710}
