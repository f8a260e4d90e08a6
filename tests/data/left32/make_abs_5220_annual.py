"""Writes abs_5220_table02_annual_fy.xlsx: an ABS time series workbook in the layout of 5220.0
Australian National Accounts: State Accounts, Table 2 (New South Wales: industry gross value added,
current prices), an annual series by financial year: Index, Data1 (each series' description
``Manufacturing (C) ;  Gross value added: Current prices ;``, then Unit ``$ Millions``, Series
Type ``Original``, Data Type ``FLOW``, Frequency ``Annual``, Collection Month ``6``, Series
Start/End, No. Obs, Series ID; a row per financial year dated its last month, shown ``Jun-2019``
for 2018-19), Inquiries.  Figures made up.

Also abs_8155_cube_financial_years.xlsx: an ABS data cube in the layout of 8155.0 Australian
Industry (its first lines ``Australian Bureau of Statistics``, the catalogue and release lines,
the table's title; a header; a row per state, division and financial year written ``2018-19``;
the copyright line under the table).  Figures made up.

Run: python tests/data/left32/make_abs_5220_annual.py
"""

from __future__ import annotations

import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
YEARS = [datetime.datetime(2018, 6, 1), datetime.datetime(2019, 6, 1), datetime.datetime(2020, 6, 1)]
SERIES = [("Agriculture, forestry and fishing (A) ;  Gross value added: Current prices ;", "A2336001V",
           [11925, 12310, 11402]),
          ("Manufacturing (C) ;  Gross value added: Current prices ;", "A2336011X", [38712, 39120, 37950]),
          ("Construction (E) ;  Gross value added: Current prices ;", "A2336021A", [47321, 48877, 47012])]


def main() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ix = wb.active
    ix.title = "Index"
    ix["A1"] = "Australian Bureau of Statistics"
    ix["B2"] = "5220.0 Australian National Accounts: State Accounts"
    ix["B3"] = "Table 2. Expenditure, Income and Industry Components of Gross State Product, New South Wales, Current prices"
    heads = ["Data Item Description", "Series Type", "Series ID", "Series Start", "Series End", "No. Obs.",
             "Unit", "Data Type", "Freq.", "Collection Month", "Spreadsheet", "Sheet Number"]
    for j, h in enumerate(heads, start=1):
        ix.cell(10, j, h)
    for i, (desc, sid, _v) in enumerate(SERIES, start=11):
        for j, v in enumerate([desc, "Original", sid, YEARS[0], YEARS[-1], len(YEARS), "$ Millions", "FLOW",
                               "Annual", 6, "Data1", 1], start=1):
            c = ix.cell(i, j, v)
            if isinstance(v, datetime.datetime):
                c.number_format = "mmm-yyyy"
    ws = wb.create_sheet("Data1")
    for j, (desc, sid, vals) in enumerate(SERIES, start=2):
        ws.cell(1, j, desc)
        meta = [("Unit", "$ Millions"), ("Series Type", "Original"), ("Data Type", "FLOW"), ("Frequency", "Annual"),
                ("Collection Month", "6"), ("Series Start", YEARS[0]), ("Series End", YEARS[-1]),
                ("No. Obs", len(YEARS)), ("Series ID", sid)]
        for i, (lab, val) in enumerate(meta, start=2):
            ws.cell(i, 1, lab)
            c = ws.cell(i, j, val)
            if isinstance(val, datetime.datetime):
                c.number_format = "mmm-yyyy"
        for k, dt in enumerate(YEARS):
            c = ws.cell(11 + k, 1, dt)
            c.number_format = "mmm-yyyy"
            ws.cell(11 + k, j, vals[k])
    wb.create_sheet("Inquiries")["A1"] = ("For further information about these and related statistics, contact "
                                          "the National Information and Referral Service on 1300 135 070.")
    wb.save(HERE / "abs_5220_table02_annual_fy.xlsx")


def cube() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Table_4"
    for r, text in enumerate(["Australian Bureau of Statistics", "8155.0 Australian Industry, 2019-20",
                              "Released at 11.30am (Canberra time) 28 May 2021",
                              "Table 4 Australian industry, by state and industry division"], start=1):
        ws.cell(r, 1, text)
    ws.append([])
    ws.append(["State", "Industry division", "Year", "Employment at end of June ('000)"])
    figures = {("New South Wales", "C Manufacturing"): [262.0, 258.1],
               ("New South Wales", "E Construction"): [365.2, 371.9],
               ("Victoria", "C Manufacturing"): [251.7, 247.3],
               ("Victoria", "E Construction"): [320.4, 329.8]}
    for (state, division), rows in figures.items():
        for year, emp in zip(("2018-19", "2019-20"), rows):
            ws.append([state, division, year, emp])
    ws.append([])
    ws.append(["\u00a9 Commonwealth of Australia 2021"])
    wb.save(HERE / "abs_8155_cube_financial_years.xlsx")


if __name__ == "__main__":
    main()
    cube()
