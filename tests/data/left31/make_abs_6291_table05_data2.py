"""tests/data/left31/abs_6291_table05_data1_data2.xlsx: an ABS time series workbook (6291.0.55.001
Labour Force, Australia, Detailed, Table 05) whose series run on from sheet Data1 to Data2, as the
ABS splits a table of many series: Index (the catalogue, its Spreadsheet and Sheet Number columns
saying which sheet holds each series), Data1, Data2 (each: descriptions; Unit ... Series ID rows;
a row per date), Inquiries.  ``build(path, repeat=True)``: Data2 repeats a Data1 series too."""
import datetime
import sys

import openpyxl

Q3, Q4 = datetime.datetime(2023, 8, 1), datetime.datetime(2023, 11, 1)
DATA1 = [("> New South Wales ;  Manufacturing ;  Employed total ;", "A84601001A", [300.1, 301.2]),
         ("> New South Wales ;  Construction ;  Employed total ;", "A84601002B", [400.5, 402.0]),
         ("Employed total ;  Persons ;  > New South Wales ;", "A84601005E", [4000.0, 4050.0]),
         ("Employed total ;  Persons ;  Australia ;", "A84601007G", [13000.0, 13100.0])]
DATA2 = [("> Queensland ;  Manufacturing ;  Employed total ;", "A84601101K", [180.3, 181.0]),
         ("> Queensland ;  Construction ;  Employed total ;", "A84601102L", [260.0, None]),
         ("Employed total ;  Persons ;  > Queensland ;", "A84601105P", [2800.0, 2820.0])]


def _data_sheet(ws, cols):
    for j, (desc, sid, vals) in enumerate(cols, start=2):
        ws.cell(1, j, desc)
        meta = [("Unit", "000"), ("Series Type", "Original"), ("Data Type", "STOCK"), ("Frequency", "Quarter"),
                ("Collection Month", "2"), ("Series Start", Q3), ("Series End", Q4), ("No. Obs", 2),
                ("Series ID", sid)]
        for i, (lab, val) in enumerate(meta, start=2):
            ws.cell(i, 1, lab)
            c = ws.cell(i, j, val)
            if isinstance(val, datetime.datetime):
                c.number_format = "mmm-yyyy"
        for k, dt in enumerate((Q3, Q4)):
            c = ws.cell(11 + k, 1, dt)
            c.number_format = "mmm-yyyy"
            if vals[k] is not None:
                ws.cell(11 + k, j, vals[k])


def build(path, repeat=False):
    wb = openpyxl.Workbook()
    ix = wb.active
    ix.title = "Index"
    ix["A1"] = "Australian Bureau of Statistics"
    ix["B2"] = "6291.0.55.001 Labour Force, Australia, Detailed"
    ix["B3"] = "Table 05. Employed persons by State, Territory and Industry division of main job (ANZSIC)"
    ix["B10"] = "Index"
    heads = ["Data Item Description", "Series Type", "Series ID", "Series Start", "Series End", "No. Obs.",
             "Unit", "Data Type", "Freq.", "Collection Month", "Spreadsheet", "Sheet Number"]
    for j, h in enumerate(heads, start=1):
        ix.cell(11, j, h)
    data2 = DATA2 + ([DATA1[0]] if repeat else [])
    listed = [(c, "Data1", 1) for c in DATA1] + [(c, "Data2", 2) for c in data2]
    for i, ((desc, sid, _v), sheet, number) in enumerate(listed, start=12):
        for j, v in enumerate([desc, "Original", sid, Q3, Q4, 2, "000", "STOCK", "Quarter", 2, sheet, number],
                              start=1):
            c = ix.cell(i, j, v)
            if isinstance(v, datetime.datetime):
                c.number_format = "mmm-yyyy"
    _data_sheet(wb.create_sheet("Data1"), DATA1)
    _data_sheet(wb.create_sheet("Data2"), data2)
    wb.create_sheet("Inquiries")["A1"] = ("For further information about these and related statistics, contact "
                                          "the National Information and Referral Service on 1300 135 070.")
    wb.save(path)


if __name__ == "__main__":
    build(sys.argv[1])
