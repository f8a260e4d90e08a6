"""Writes destatis_kreise_hidden_column.xlsx: a Land statistical office's table of employees
subject to social insurance (sozialversicherungspflichtig Beschäftigte) by Kreis and WZ 2008 section, the reference
years across (30.06. of 2019-2021), as a user keeps it after hiding the oldest year's column
(column D, `2019`) before printing: Excel writes `<col min="4" max="4" hidden="1"/>` in the
sheet's `<cols>`, the cells stay as they were.  Figures made up.

Run: python tests/data/layouts33/make_hidden_columns.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kreise"
    ws.append(["Sozialversicherungspflichtig Beschäftigte am Arbeitsort nach Kreisen, Stichtag 30.06."])
    ws.append([])
    ws.append(["Kreis", "Kreisname", "WZ 2008", "2019", "2020", "2021"])
    for row in (["09161", "Ingolstadt", "C", 51204, 50377, 50930],
                ["09161", "Ingolstadt", "F", 3512, 3577, 3630],
                ["09162", "München, Landeshauptstadt", "C", 112114, 110733, 111456],
                ["09162", "München, Landeshauptstadt", "F", 31207, 31988, 32652],
                ["09171", "Altötting", "C", 17388, 16902, 17511],
                ["09171", "Altötting", "F", 2301, 2366, 2410]):
        ws.append(row)
    ws.column_dimensions["D"].hidden = True
    wb.save(HERE / "destatis_kreise_hidden_column.xlsx")


if __name__ == "__main__":
    main()
