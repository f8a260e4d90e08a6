"""tests/data/hunt31/abs_6291_table05_data1.xlsx: an ABS time series workbook (6291.0.55.001
Labour Force, Australia, Detailed, Table 05) in the layout every ABS time series spreadsheet has:
Index sheet (titles, a catalogue of the series), Data1 (descriptions; Unit ... Series ID rows; a row per date), Inquiries."""
import openpyxl, datetime, sys
wb = openpyxl.Workbook()
ix = wb.active; ix.title = "Index"
ix["A1"] = "Australian Bureau of Statistics"
ix["B2"] = "6291.0.55.001 Labour Force, Australia, Detailed"
ix["B3"] = "Table 05. Employed persons by State, Territory and Industry division of main job (ANZSIC)"
ix["B4"] = "Released at 11.30am (Canberra time) 21 December 2023"
d = wb.create_sheet("Data1")
Q3, Q4 = datetime.datetime(2023, 8, 1), datetime.datetime(2023, 11, 1)
cols = [("> New South Wales ;  Manufacturing ;  Employed total ;", "A84601001A", "Original", Q3, [300.1, 301.2]),
        ("> New South Wales ;  Construction ;  Employed total ;", "A84601002B", "Original", Q3, [400.5, None]),
        ("> Victoria ;  Manufacturing ;  Employed total ;", "A84601003C", "Original", Q3, [250.2, 251.0]),
        ("> Victoria ;  Construction ;  Employed total ;", "A84601004D", "Original", Q4, [None, 330.1]),
        ("Employed total ;  Persons ;  > New South Wales ;", "A84601005E", "Original", Q3, [4000.0, 4050.0]),
        ("Employed total ;  Persons ;  > Victoria ;", "A84601006F", "Original", Q3, [3400.0, 3450.0]),
        ("Employed total ;  Persons ;  Australia ;", "A84601007G", "Original", Q3, [13000.0, 13100.0]),
        ("> New South Wales ;  Manufacturing ;  Employed total ;", "A84601008H", "Seasonally Adjusted", Q3, [299.0, 305.0])]
for j, (desc, sid, kind, start, vals) in enumerate(cols, start=2):
    d.cell(1, j, desc)
    meta = [("Unit", "000"), ("Series Type", kind), ("Data Type", "STOCK"), ("Frequency", "Quarter"),
            ("Collection Month", "2"), ("Series Start", start), ("Series End", Q4), ("No. Obs", 2),
            ("Series ID", sid)]
    for i, (lab, val) in enumerate(meta, start=2):
        d.cell(i, 1, lab)
        c = d.cell(i, j, val)
        if isinstance(val, datetime.datetime):
            c.number_format = "mmm-yyyy"
    for k, dt in enumerate((Q3, Q4)):
        c = d.cell(11 + k, 1, dt)
        c.number_format = "mmm-yyyy"
        if vals[k] is not None:
            d.cell(11 + k, j, vals[k])
# the Index sheet's catalogue of the series (figures too: the numbers of observations)
ix["B10"] = "Index"
heads = ["Data Item Description", "Series Type", "Series ID", "Series Start", "Series End", "No. Obs.",
         "Unit", "Data Type", "Freq.", "Collection Month", "Spreadsheet", "Sheet Number"]
for j, h in enumerate(heads, start=1):
    ix.cell(11, j, h)
for i, (desc, sid, kind, start, _vals) in enumerate(cols, start=12):
    for j, v in enumerate([desc, kind, sid, start, Q4, 2, "000", "STOCK", "Quarter", 2, "Data1", 1], start=1):
        c = ix.cell(i, j, v)
        if isinstance(v, datetime.datetime):
            c.number_format = "mmm-yyyy"
wb.create_sheet("Inquiries")["A1"] = "For further information about these and related statistics, contact the National Information and Referral Service on 1300 135 070."
wb.save(sys.argv[1])
