"""Writes the small workbooks in this folder (run once; the outputs are committed, so the tests
need none of the writers).

One made-up table in stat.gov.kz's layout -- employees by oblast and OKED section "за 2022
год", a Russian title row merged over the table's width, "(человек)", each oblast's name
merged down over its sections' rows, 'х' for a confidential cell, a note under the table --
saved as the same table in four formats:

- ``kz_oblast_oked_2022.xlsx`` (xlsxwriter: the reference the others must equal),
- ``kz_oblast_oked_2022.xls`` (xlwt: BIFF8, Excel 97-2003, workbook encoding cp1251; BIFF8
  keeps Cyrillic as UTF-16 whatever the code page, so 'область Жетісу' with its Kazakh 'і'
  comes through too; BIFF5 files, whose text is in the code page, xlwt cannot write),
- ``kz_oblast_oked_2022.ods`` (odfpy: OpenDocument, as LibreOffice saves it; merged cells as
  ``number-rows-spanned`` with covered cells below),
- ``kz_oblast_oked_2022.xlsb`` (pyxlsbwriter 0.1.0, a small pure-Python writer of BIFF12
  records after an Excel-saved template; pyxlsb and pyxlsb2 only read xlsb, and there is no
  LibreOffice here): it writes no merged cells, so each oblast's name is on the first row of
  its block only, as a merged cell reads where calamine gives no merged ranges (ods, xlsb).

A number is stored as the binary float a spreadsheet holds: 2203 as the sum of other cells
left it (2203.0000000000005), so the readers' formatting of floats is tested on every format.

``qcew_beaver_2016_annual.xls/.ods/.xlsb``: BLS's annual Beaver County slice
(../qcew/2016.annual.49001.beaver_county.csv, public domain) as a spreadsheet re-saves it,
codes that look like numbers as numbers: read by the QCEW adapter as the CSV is.

``kz_excel95_cp1251.xls``: the table as an Excel 95 (BIFF5) workbook, text in cp1251.

``kz_two_sheets_2022_damaged.xlsb``: sheets 2021 and 2022 of the table, the 2022 sheet's
part cut in half (a damaged neighbour of the sheet read).

Also ``kz_bad_cell.xls`` and ``.ods`` (the table with '1 5O0', a letter O for a zero, as the
employment of its 6th row: sheet row 10), ``kz_two_sheets.xls`` (sheets "2021" and "2022" with the table of that year, and a notes
sheet with a date cell) and ``corrupt.xls`` (the first 1,536 bytes of the xls: an OLE2 header
whose sectors are cut off, as an interrupted download leaves it).

Run: python tests/data/spreadsheets/make_files.py   (needs xlwt, odfpy, xlsxwriter, pyxlsbwriter)
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent

TITLE = "Численность работников по областям и видам экономической деятельности (ОКЭД) за {year} год"
UNIT = "(человек)"
HEADER = ["Область", "Код ОКЭД", "Наименование", "Численность работников", "Число предприятий"]
OBLASTS = ["Акмолинская область", "Карагандинская область", "область Жетісу", "г. Алматы"]
OKED = [("A", "Сельское, лесное и рыбное хозяйство"), ("C", "Обрабатывающая промышленность"),
        ("F", "Строительство"), ("G", "Оптовая и розничная торговля")]
NOTE = "Примечание: х - данные конфиденциальны"
NOISY = 2203 + 4.5e-13  # 2203.0000000000005: 2203 as a sum of other cells may come out


BAD = (5, "1 5O0")  # row of table() and the cell a slip of the keyboard made (letter O)


def table(year: int = 2022, bad: bool = False) -> list[list]:
    """The rows of the table under its title: [oblast, code, name, employment, firms]."""
    rows = []
    for i, ob in enumerate(OBLASTS):
        for j, (code, name) in enumerate(OKED):
            emp = 1000 * (i + 2) + 137 * (j + 1) * (i + 1) + 11 * (year - 2019) * (j + 3)
            firms = 10 + 3 * i + j
            if (i, j) == (0, 0):
                emp = NOISY if year == 2022 else emp
            if (i, j) == (1, 2):
                emp = emp + 0.5  # an average headcount: 2 decimals would show .5
            if (i, j) == (2, 1):
                emp = "х"  # Cyrillic x: confidential
            rows.append([ob, code, name, emp, firms])
    if bad:
        rows[BAD[0]][3] = BAD[1]
    return rows


FIRST = 4  # 0-based sheet row of the header (title, unit, blank above)


def write_xlsx(path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Таблица 1")
    ws.merge_range(0, 0, 0, 4, TITLE.format(year=2022))
    ws.write(1, 0, UNIT)
    ws.write_row(FIRST - 1, 0, HEADER)
    rows = table()
    for k, r in enumerate(rows):
        ws.write_row(FIRST + k, 1, r[1:])
    for i, ob in enumerate(OBLASTS):
        top = FIRST + i * len(OKED)
        ws.merge_range(top, 0, top + len(OKED) - 1, 0, ob)
    ws.write(FIRST + len(rows) + 1, 0, NOTE)
    wb.close()


def _xls_sheet(wb, name: str, year: int, bad: bool = False):
    ws = wb.add_sheet(name)
    ws.write_merge(0, 0, 0, 4, TITLE.format(year=year))
    ws.write(1, 0, UNIT)
    for c, h in enumerate(HEADER):
        ws.write(FIRST - 1, c, h)
    rows = table(year, bad)
    for k, r in enumerate(rows):
        for c, v in enumerate(r[1:], start=1):
            ws.write(FIRST + k, c, v if isinstance(v, str) else v)
    for i, ob in enumerate(OBLASTS):
        top = FIRST + i * len(OKED)
        ws.write_merge(top, top + len(OKED) - 1, 0, 0, ob)
    ws.write(FIRST + len(rows) + 1, 0, NOTE)
    return ws


def write_xls(path: Path, bad: bool = False) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="cp1251")
    _xls_sheet(wb, "Таблица 1", 2022, bad)
    wb.save(str(path))


def write_two_sheets(path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="cp1251")
    _xls_sheet(wb, "2021", 2021)
    _xls_sheet(wb, "2022", 2022)
    notes = wb.add_sheet("Примечания")
    notes.write(0, 0, "Дата публикации")
    notes.write(0, 1, dt.date(2023, 3, 15), xlwt.easyxf(num_format_str="DD.MM.YYYY"))
    notes.write(1, 0, NOTE)
    wb.save(str(path))


def write_ods(path: Path, bad: bool = False) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    t = Table(name="Таблица 1")

    def text_cell(value: str, **span) -> TableCell:
        cell = TableCell(valuetype="string", **span)
        cell.addElement(P(text=value))
        return cell

    def number_cell(value) -> TableCell:
        cell = TableCell(valuetype="float", value=repr(value))
        shown = str(int(value)) if float(value).is_integer() else f"{value:g}"
        cell.addElement(P(text=shown))
        return cell

    row = TableRow()
    row.addElement(text_cell(TITLE.format(year=2022), numbercolumnsspanned=5))
    for _ in range(4):
        row.addElement(CoveredTableCell())
    t.addElement(row)
    row = TableRow()
    row.addElement(text_cell(UNIT))
    t.addElement(row)
    t.addElement(TableRow())
    row = TableRow()
    for h in HEADER:
        row.addElement(text_cell(h))
    t.addElement(row)
    for k, r in enumerate(table(bad=bad)):
        row = TableRow()
        if k % len(OKED) == 0:
            row.addElement(text_cell(r[0], numberrowsspanned=len(OKED)))
        else:
            row.addElement(CoveredTableCell())
        for v in r[1:]:
            row.addElement(text_cell(v) if isinstance(v, str) else number_cell(v))
        t.addElement(row)
    t.addElement(TableRow())
    row = TableRow()
    row.addElement(text_cell(NOTE))
    t.addElement(row)
    doc.spreadsheet.addElement(t)
    doc.save(str(path))


def _xlsb_rows(year: int = 2022) -> list[list]:
    width = len(HEADER)
    rows = [[TITLE.format(year=year)], [UNIT], [], HEADER]
    for k, r in enumerate(table(year)):
        rows.append([r[0] if k % len(OKED) == 0 else None, *r[1:]])
    rows += [[], [NOTE]]
    # every row as wide as the table (the writer sizes columns from its first 100 rows and
    # indexes each of them up to the widest)
    return [r + [None] * (width - len(r)) for r in rows]


def write_xlsb(path: Path) -> None:
    from pyxlsbwriter import XlsbWriter

    with XlsbWriter(str(path)) as writer:
        writer.add_sheet("Таблица 1")
        writer.write_sheet(_xlsb_rows())


def write_damaged_two_sheets_xlsb(path: Path) -> None:
    """Sheets 2021 and 2022 of the table, the second's part (sheet2.bin) cut in half."""
    import zipfile

    from pyxlsbwriter import XlsbWriter

    whole = path.with_name("_whole.xlsb")
    with XlsbWriter(str(whole)) as writer:
        for year in (2021, 2022):
            writer.add_sheet(str(year))
            writer.write_sheet(_xlsb_rows(year))
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data[: len(data) // 2] if info.filename.endswith("sheet2.bin") else data)
    whole.unlink()


QCEW = HERE.parent / "qcew" / "2016.annual.49001.beaver_county.csv"


def qcew_rows() -> list[list]:
    """BLS's annual Beaver County slice as a spreadsheet re-saves it: codes that look like
    numbers become numbers (49001, 0, 10, 70), counts and wages numbers, flags text."""
    import csv

    def cell(c: str):
        if c.isdigit():
            return int(c)
        return float(c) if c.replace(".", "", 1).isdigit() else (c or None)

    with open(QCEW, newline="") as fh:
        rows = list(csv.reader(fh))
    return [rows[0]] + [[cell(c) for c in r] for r in rows[1:]]


def write_qcew(stem: Path) -> None:
    """``stem``.xls, .ods and .xlsb: the QCEW slice on a sheet named after the file."""
    import xlwt
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P
    from pyxlsbwriter import XlsbWriter

    rows = qcew_rows()
    wb = xlwt.Workbook()
    ws = wb.add_sheet("2016.annual 49001")
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if v is not None:
                ws.write(i, j, v)
    wb.save(str(stem.with_suffix(".xls")))

    doc = OpenDocumentSpreadsheet()
    t = Table(name="2016.annual 49001")
    for r in rows:
        row = TableRow()
        for v in r:
            if v is None:
                row.addElement(TableCell())
            elif isinstance(v, str):
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=v))
                row.addElement(cell)
            else:
                cell = TableCell(valuetype="float", value=repr(v))
                cell.addElement(P(text=str(v)))
                row.addElement(cell)
        t.addElement(row)
    doc.spreadsheet.addElement(t)
    doc.save(str(stem.with_suffix(".ods")))

    with XlsbWriter(str(stem.with_suffix(".xlsb"))) as writer:
        writer.add_sheet("2016.annual 49001")
        writer.write_sheet(rows)


def write_excel95(path: Path) -> None:
    """The table as an Excel 5.0/95 workbook (BIFF5), its text in cp1251 as the workbook's
    CODEPAGE record says: what old yearbook files of the CIS statistics offices are.  No
    library writes BIFF5, so its records are written here (BOF, CODEPAGE 1251, BOUNDSHEET,
    LABEL with 8-bit text, NUMBER, EOF; MS-XLS 2.4) into the OLE2 container xlwt builds, its
    stream renamed "Book" as BIFF5 names it.  BIFF5 has no merged cells: each row carries its
    oblast, as such files often do."""
    import struct

    from xlwt.CompoundDoc import XlsDoc

    def rec(kind: int, body: bytes) -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    def bof(dt: int) -> bytes:  # BIFF5 (0x0500); dt 5 workbook globals, 0x10 worksheet
        return rec(0x0809, struct.pack("<HHHH", 0x0500, dt, 0x0DBB, 0x07CC))

    rows = [[TITLE.format(year=2022)], [UNIT], [], HEADER] + table() + [[], [NOTE]]
    sheet = bof(0x10) + rec(0x0200, struct.pack("<HHHHH", 0, len(rows), 0, len(HEADER), 0))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, str):
                text = v.encode("cp1251")
                sheet += rec(0x0204, struct.pack("<HHHH", r, c, 0, len(text)) + text)
            else:
                sheet += rec(0x0203, struct.pack("<HHHd", r, c, 0, float(v)))
    sheet += rec(0x000A, b"")
    name = "Таблица 1".encode("cp1251")

    def workbook_globals(sheet_at: int) -> bytes:
        return (bof(0x05) + rec(0x0042, struct.pack("<H", 1251))
                + rec(0x0085, struct.pack("<IHB", sheet_at, 0, len(name)) + name) + rec(0x000A, b""))

    head = workbook_globals(len(workbook_globals(0)))
    out = io.BytesIO()
    XlsDoc().save(out, head + sheet)
    data = bytearray(out.getvalue())
    at = data.index("Workbook\x00".encode("utf-16-le"))
    book = "Book\x00".encode("utf-16-le")
    data[at:at + 64] = book + bytes(64 - len(book))
    data[at + 64:at + 66] = struct.pack("<H", len(book))
    path.write_bytes(bytes(data))


def damaged_copies(xls: bytes) -> None:
    """Two damaged copies of the xls that made calamine fail hard (found by mutating it):
    ``kz_cut_directory.xls``, cut at 5,345 bytes inside its directory sector (calamine
    panics: "range start index 116 out of range for slice of length 97", with a Rust
    backtrace on stderr), and ``kz_zeroed_sectors.xls``, 64 zero bytes at offset 4,585 across
    two sectors (calamine asks for 2 GB, or loops until memory runs out, and aborts)."""
    (HERE / "kz_cut_directory.xls").write_bytes(xls[:5345])
    zeroed = bytearray(xls)
    zeroed[4585:4585 + 64] = bytes(64)
    (HERE / "kz_zeroed_sectors.xls").write_bytes(bytes(zeroed))


def main() -> None:
    write_xlsx(HERE / "kz_oblast_oked_2022.xlsx")
    write_xls(HERE / "kz_oblast_oked_2022.xls")
    write_ods(HERE / "kz_oblast_oked_2022.ods")
    write_xlsb(HERE / "kz_oblast_oked_2022.xlsb")
    write_damaged_two_sheets_xlsb(HERE / "kz_two_sheets_2022_damaged.xlsb")
    write_two_sheets(HERE / "kz_two_sheets.xls")
    write_xls(HERE / "kz_bad_cell.xls", bad=True)
    write_qcew(HERE / "qcew_beaver_2016_annual")
    write_excel95(HERE / "kz_excel95_cp1251.xls")
    write_ods(HERE / "kz_bad_cell.ods", bad=True)
    xls = (HERE / "kz_oblast_oked_2022.xls").read_bytes()
    (HERE / "corrupt.xls").write_bytes(xls[:1536])
    damaged_copies(xls)


if __name__ == "__main__":
    main()
