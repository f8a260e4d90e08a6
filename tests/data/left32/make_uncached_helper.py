"""Writes kz_oblast_oked_2022_helper_formula.xlsx: stat.gov.kz's table of employees by oblast and
OKED section (../spreadsheets/kz_oblast_oked_2022.xlsx, see ../spreadsheets/make_files.py) as a
script re-saves it with openpyxl after adding a helper column right of the figures, `Работников на
одно предприятие` (employees per enterprise, a ratio clusterid does not read), each cell a formula
(`=IFERROR(D5/E5,"")`).  openpyxl saves a formula without its value (the workbook was never
calculated), as any workbook written by a program and not opened in a spreadsheet since.

Run: python tests/data/left32/make_uncached_helper.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "spreadsheets" / "kz_oblast_oked_2022.xlsx"
HEADING = "Работников на одно предприятие"


def main() -> None:
    import openpyxl

    wb = openpyxl.load_workbook(SOURCE)
    ws = wb.worksheets[0]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Область")
    ws.cell(header, 6).value = HEADING
    for r in range(header + 1, ws.max_row + 1):
        if isinstance(ws.cell(r, 4).value, (int, float)) or ws.cell(r, 4).value == "х":
            ws.cell(r, 6).value = f'=IFERROR(D{r}/E{r},"")'
    wb.save(HERE / "kz_oblast_oked_2022_helper_formula.xlsx")


if __name__ == "__main__":
    main()
