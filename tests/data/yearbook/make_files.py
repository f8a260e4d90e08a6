"""Write the stat.gov.kz-style yearbook sheets of this folder (invented figures).

Layouts of the Bureau of National Statistics of Kazakhstan's yearbook tables "Численность
наемных работников по видам экономической деятельности и регионам": a title line, a unit line,
an empty corner cell over the years, then each OKED section's title on a row of its own above
the rows of the republic and its oblasts ("sections over blocks"), or one sheet per section
("one sheet per section", the sheets named by section).  Run from the project root:
``.venv/bin/python tests/data/yearbook/make_files.py``.
"""

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
YEARS = (2021, 2022)
REGIONS_RU = ("Акмолинская область", "Актюбинская область", "г.Алматы")
REGIONS_KK = ("Ақмола облысы", "Ақтөбе облысы", "Алматы қ.")
# section -> (Russian title, Kazakh title, {region: (2021, 2022)}); None: 'х', confidential
SECTIONS = {
    "A": ("Сельское, лесное и рыбное хозяйство", "Ауыл, орман және балық шаруашылығы",
          [(1204, 1251), (903, 912), (1197, 1190)]),
    "C": ("Обрабатывающая промышленность", "Өңдеу өнеркәсібі",
          [(15032, 15511), (18140, 18237), (None, 20318)]),  # х: 19,870 in the totals
    "F": ("Строительство", "Құрылыс", [(7021, 7218), (6005, 6107), (10046, 10210)]),
}


HIDDEN = 19870  # the confidential cell, counted in the totals above and beside it


def blocks(titles, regions, republic, total):
    rows = []
    totals = [[0, 0] for _ in regions]
    for code, (ru, kk, cells) in SECTIONS.items():
        for i, c in enumerate(cells):
            for j in (0, 1):
                totals[i][j] += HIDDEN if c[j] is None else c[j]
    rows.append([total, None, None])
    rows.append([republic] + [sum(t[j] for t in totals) + 9000 for j in (0, 1)])
    for i, r in enumerate(regions):
        rows.append([r] + [totals[i][j] + 3000 for j in (0, 1)])
    for code, (ru, kk, cells) in SECTIONS.items():
        rows.append([ru if titles == "ru" else kk, None, None])
        rows.append([republic] + [sum(HIDDEN if c[j] is None else c[j] for c in cells) + 2000
                                  for j in (0, 1)])
        for r, c in zip(regions, cells):
            rows.append([r] + ["х" if v is None else v for v in c])
    return rows


def main():
    # sections over blocks, Russian, cp1251, ';' (as the bureau's CSV export)
    lines = ["Численность наемных работников по видам экономической деятельности и регионам;;",
             "человек;;", ";" + ";".join(map(str, YEARS))]
    for r in blocks("ru", REGIONS_RU, "Республика Казахстан", "Всего"):
        lines.append(";".join("" if v is None else str(v) for v in r))
    lines.append("Примечание: х - данные конфиденциальны;;")
    (HERE / "kz_sections_over_oblasts_cp1251.csv").write_bytes(
        ("\r\n".join(lines) + "\r\n").encode("cp1251"))

    # the same in Kazakh, as an xlsx sheet
    wb = Workbook()
    ws = wb.active
    ws.title = "1.2"
    ws.append(["Экономикалық қызмет түрлері және өңірлер бойынша жалдамалы қызметкерлер саны"])
    ws.append(["адам"])
    ws.append([None, *YEARS])
    for r in blocks("kk", REGIONS_KK, "Қазақстан Республикасы", "Барлығы"):
        ws.append(r)
    wb.save(HERE / "kz_sections_over_oblasts_kk.xlsx")

    # one sheet per section, each sheet named by its section, the same figures as the CSV
    wb = Workbook()
    for n, (code, (ru, _kk, cells)) in enumerate(SECTIONS.items()):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = f"Раздел {code}"
        ws.append([f"Численность наемных работников: {ru}"])
        ws.append(["человек"])
        ws.append([None, *YEARS])
        ws.append(["Республика Казахстан"] + [sum(HIDDEN if c[j] is None else c[j] for c in cells)
                                              + 2000 for j in (0, 1)])
        for r, c in zip(REGIONS_RU, cells):
            ws.append([r] + ["х" if v is None else v for v in c])
    wb.save(HERE / "kz_one_sheet_per_section.xlsx")


if __name__ == "__main__":
    main()
