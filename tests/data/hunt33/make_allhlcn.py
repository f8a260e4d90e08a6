"""Writes tests/data/hunt33/allhlcn23.xlsx and allhlcn232.xlsx: BLS QCEW's county high-level
workbooks (the zips YYYY_all_county_high_level: allhlcnYY.xlsx annual, allhlcnYYQ.xlsx
quarterly; sheet US_St_Cn_MSA) in their published column order, rows made up (Utah-like
magnitudes).  Run from the repository root: python tests/data/hunt33/make_allhlcn.py"""
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
FRONT = ["Area\nCode", "St", "Cnty", "Own", "NAICS", "Year", "Qtr", "Area\nType", "St Name", "Area",
         "Ownership", "Industry"]
ANNUAL = FRONT + ["Annual Average Status Code", "Annual Average Establishment Count",
                  "Annual Average Employment", "Annual Total Wages", "Annual Average Weekly Wage",
                  "Annual Average Pay", "Employment Location Quotient Relative to U.S.",
                  "Total Wage Location Quotient Relative to U.S."]
QUARTER2 = FRONT + ["Status Code", "Establishment Count", "April Employment", "May Employment",
                    "June Employment", "Total Quarterly Wages", "Average Weekly Wage",
                    "Employment Location Quotient Relative to U.S.",
                    "Total Wage Location Quotient Relative to U.S."]
UT = ("49000", "49", "000", "State", "Utah", "Utah -- Statewide")
BEAVER = ("49001", "49", "001", "County", "Utah", "Beaver County, Utah")
UNKNOWN = ("49999", "49", "999", "County", "Utah", "Unknown Or Undefined, Utah")
MSA = ("C4162", "C4", "162", "MSA", "Utah", "Salt Lake City, UT MSA")
US = ("US000", "US", "000", "Nation", "U.S. Combined", "U.S. TOTAL")
IND = {10: "10 Total, all industries", 1013: "1013 Manufacturing",
       1021: "1021 Trade, transportation, and utilities"}
OWN = {0: "Total Covered", 5: "Private"}


def row(area, own, naics, qtr, figures):
    code, st, cnty, kind, stname, title = area
    return [code, st, cnty, own, naics, 2023, qtr, kind, stname, title, OWN[own], IND[naics], *figures]


def sheet(headings, rows, name):
    wb = Workbook()
    ws = wb.active
    ws.title = "US_St_Cn_MSA"
    ws.append(headings)
    for r in rows:
        ws.append(r)
    wb.save(HERE / name)


# status, establishments, employment, total wages, weekly wage, annual pay, LQ emp, LQ wages
sheet(ANNUAL, [
    row(US, 0, 10, "A", ["", 11800000, 153000000, 11200000000000, 1408, 73202, 1.0, 1.0]),
    row(UT, 0, 10, "A", ["", 120000, 1700000, 110000000000, 1244, 64706, 1.0, 1.0]),
    row(UT, 5, 10, "A", ["", 115000, 1450000, 95000000000, 1260, 65517, 1.0, 1.0]),
    row(UT, 5, 1013, "A", ["", 4000, 150000, 10000000000, 1282, 66667, 1.11, 1.05]),
    row(UT, 5, 1021, "A", ["", 20000, 300000, 17000000000, 1090, 56667, 0.99, 0.93]),
    row(BEAVER, 5, 10, "A", ["", 200, 2200, 110000000, 962, 50000, 1.0, 1.0]),
    # an undisclosed cell: BLS writes 0 in every figure but the establishment count
    row(BEAVER, 5, 1013, "A", ["N", 5, 0, 0, 0, 0, 0, 0]),
    row(BEAVER, 5, 1021, "A", ["", 60, 700, 30000000, 824, 42857, 1.25, 1.12]),
    row(UNKNOWN, 5, 10, "A", ["", 900, 3000, 200000000, 1282, 66667, 1.0, 1.0]),
    row(MSA, 5, 10, "A", ["", 50000, 700000, 50000000000, 1374, 71429, 1.0, 1.0]),
], "allhlcn23.xlsx")
# status, establishments, April, May, June employment, wages, weekly wage, LQ emp, LQ wages
sheet(QUARTER2, [
    row(UT, 5, 10, 2, ["", 115000, 1440000, 1450000, 1460000, 24000000000, 1273, 1.0, 1.0]),
    row(UT, 5, 1013, 2, ["", 4000, 149000, 150000, 151000, 2500000000, 1282, 1.11, 1.05]),
    row(BEAVER, 5, 10, 2, ["", 200, 2190, 2200, 2210, 28000000, 979, 1.0, 1.0]),
    row(BEAVER, 5, 1013, 2, ["N", 5, 0, 0, 0, 0, 0, 0, 0]),
    row(UNKNOWN, 5, 10, 2, ["", 900, 2900, 3000, 3100, 50000000, 1282, 1.0, 1.0]),
], "allhlcn232.xlsx")
