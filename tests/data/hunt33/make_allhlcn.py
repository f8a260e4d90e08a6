"""Writes tests/data/hunt33/allhlcn23.xlsx, allhlcn232.xlsx and quarters/allhlcn231.xlsx ..
allhlcn234.xlsx: BLS QCEW's
county high-level workbooks (the zips YYYY_all_county_high_level: allhlcnYY.xlsx annual,
allhlcnYYQ.xlsx quarterly; sheet US_St_Cn_MSA) in their published column order, rows made up
(Utah-like magnitudes); and 2023.q1-q4.utah_high_level.csv, the four quarters' rows in the QCEW
CSV layout (quarters/; as the QCEW adapter reads them), for the annual averages of the two to be compared.  Run from the repository root: python tests/data/hunt33/make_allhlcn.py"""
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
OWN = {0: "Total Covered", 2: "State Government", 3: "Local Government", 5: "Private"}


def row(area, own, naics, qtr, figures):
    code, st, cnty, kind, stname, title = area
    return [code, st, cnty, own, naics, 2023, qtr, kind, stname, title, OWN[own], IND[naics], *figures]


def sheet(headings, rows, name):
    (HERE / name).parent.mkdir(exist_ok=True)
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
# (the four quarters of 2023 are under quarters/, written below: their Q2 has more rows)
sheet(QUARTER2, [
    row(UT, 5, 10, 2, ["", 115000, 1440000, 1450000, 1460000, 24000000000, 1273, 1.0, 1.0]),
    row(UT, 5, 1013, 2, ["", 4000, 149000, 150000, 151000, 2500000000, 1282, 1.11, 1.05]),
    row(BEAVER, 5, 10, 2, ["", 200, 2190, 2200, 2210, 28000000, 979, 1.0, 1.0]),
    row(BEAVER, 5, 1013, 2, ["N", 5, 0, 0, 0, 0, 0, 0, 0]),
    row(UNKNOWN, 5, 10, 2, ["", 900, 2900, 3000, 3100, 50000000, 1282, 1.0, 1.0]),
], "allhlcn232.xlsx")


# the other quarters of 2023: status, establishments, the quarter's three months, wages
MONTHS = {1: ("January", "February", "March"), 3: ("July", "August", "September"),
          4: ("October", "November", "December")}
QUARTERS = {
    1: [(UT, 5, 10, ["", 114000, 1421003, 1430007, 1438011, 23000000000]),
        (UT, 5, 1013, ["", 3990, 148001, 148502, 149005, 2400000000]),
        (BEAVER, 5, 10, ["", 199, 2171, 2183, 2195, 27000000]),
        (BEAVER, 5, 1013, ["", 5, 31, 32, 33, 400000]),
        (BEAVER, 5, 1021, ["", 60, 701, 703, 707, 7400000]),
        (UNKNOWN, 5, 10, ["", 880, 2801, 2855, 2899, 48000000]),
        (BEAVER, 2, 10, ["", 3, 41, 43, 47, 600000]),
        (BEAVER, 3, 10, ["", 12, 301, 307, 311, 3300000])],
    3: [(UT, 5, 10, ["", 116000, 1468001, 1471003, 1469999, 24500000000]),
        (UT, 5, 1013, ["", 4010, 151500, 152001, 151777, 2550000000]),
        (BEAVER, 5, 10, ["", 201, 2221, 2230, 2219, 28500000]),
        (BEAVER, 5, 1013, ["", 5, 30, 31, 29, 390000]),
        (BEAVER, 5, 1021, ["", 61, 710, 712, 709, 7600000]),
        (UNKNOWN, 5, 10, ["", 905, 3120, 3150, 3177, 51000000]),
        (BEAVER, 2, 10, ["", 3, 40, 44, 45, 610000]),
        (BEAVER, 3, 10, ["", 12, 299, 305, 313, 3400000])],
    4: [(UT, 5, 10, ["", 117000, 1475013, 1480021, 1490033, 26000000000]),
        (UT, 5, 1013, ["", 4020, 152003, 152501, 152999, 2700000000]),
        (BEAVER, 5, 10, ["", 202, 2240, 2251, 2263, 29000000]),
        (BEAVER, 5, 1013, ["", 6, 29, 28, 30, 380000]),
        (BEAVER, 5, 1021, ["", 62, 720, 731, 745, 7800000]),
        (UNKNOWN, 5, 10, ["", 910, 3200, 3215, 3233, 52000000]),
        (BEAVER, 2, 10, ["", 3, 43, 42, 46, 620000]),
        (BEAVER, 3, 10, ["", 13, 303, 310, 317, 3500000])],
}
QUARTERS[2] = [(UT, 5, 10, ["", 115000, 1440000, 1450000, 1460000, 24000000000]),
               (UT, 5, 1013, ["", 4000, 149000, 150000, 151000, 2500000000]),
               (BEAVER, 5, 10, ["", 200, 2190, 2200, 2210, 28000000]),
               (BEAVER, 5, 1013, ["N", 5, 0, 0, 0, 0]),
               (UNKNOWN, 5, 10, ["", 900, 2900, 3000, 3100, 50000000]),
               (BEAVER, 2, 10, ["N", 3, 0, 0, 0, 0])]
MONTHS[2] = ("April", "May", "June")
for q, words in sorted(MONTHS.items()):
    headings = FRONT + ["Status Code", "Establishment Count", *(w + " Employment" for w in words),
                        "Total Quarterly Wages", "Average Weekly Wage",
                        "Employment Location Quotient Relative to U.S.",
                        "Total Wage Location Quotient Relative to U.S."]
    sheet(headings, [row(a, own, naics, q, [*f, round(f[-1] / 13 / max(f[2], 1)), 1.0, 1.0])
                     for a, own, naics, f in QUARTERS[q]], f"quarters/allhlcn23{q}.xlsx")

# the same rows in the QCEW CSV layout (the columns the adapter reads; agglvl 51/53 state by
# ownership and supersector, 71/73 county)
AGGLVL = {("State", 10): 51, ("State", 1013): 53, ("County", 10): 71, ("County", 1013): 73,
          ("County", 1021): 73}
with open(HERE / "quarters" / "2023.q1-q4.utah_high_level.csv", "w", newline="") as fh:
    import csv

    out = csv.writer(fh, lineterminator="\n")
    out.writerow(["area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year", "qtr",
                  "disclosure_code", "area_title", "own_title", "industry_title", "qtrly_estabs_count",
                  "month1_emplvl", "month2_emplvl", "month3_emplvl", "total_qtrly_wages"])
    for q in (1, 2, 3, 4):
        for a, own, naics, f in QUARTERS[q]:
            out.writerow([a[0], own, naics, AGGLVL[(a[3], naics)], 0, 2023, q, f[0], a[5], OWN[own],
                          IND[naics], *f[1:]])
