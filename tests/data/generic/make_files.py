"""Writes the small real-looking test tables in this folder (run once; the outputs are committed).

The numbers are invented but laid out the way the agencies publish them: Kazakh oblast tables
(cp1251 and KOI8-R, ';' and tab, 'х' and '...' markers, spaces as thousands separators),
German Länder tables (Latin-1, ';', decimal comma, '.' thousands, Destatis markers '.', '-',
'x'), US NAICS tables (UTF-8 with BOM, UTF-16), wide tables by industry and by year.
Run: python tests/data/generic/make_files.py
"""

from __future__ import annotations

import codecs
from pathlib import Path

HERE = Path(__file__).resolve().parent

OBLASTS = ["Акмолинская область", "Алматинская область", "Восточно-Казахстанская область",
           "Карагандинская область", "г. Алматы"]
OKED = [("A", "Сельское, лесное и рыбное хозяйство"), ("B", "Горнодобывающая промышленность"),
        ("C", "Обрабатывающая промышленность"), ("F", "Строительство")]


def emp(i: int, j: int, year: int) -> int:
    return 1000 * (i + 2) + 137 * (j + 1) * (i + 1) + 11 * (year - 2019) * (j + 3)


def write(name: str, text: str, encoding: str, bom: bytes = b"") -> None:
    (HERE / name).write_bytes(bom + text.encode(encoding))


def kz_cp1251() -> None:
    lines = ["Численность работников по областям и видам экономической деятельности",
             "",
             "Область;Код ОКЭД;Наименование отрасли;Год;Численность работников;Число предприятий"]
    for i, ob in enumerate(OBLASTS):
        for year in (2021, 2022):
            total = 0
            for j, (code, name) in enumerate(OKED):
                e = emp(i, j, year)
                total += e
                cell = f"{e:,}".replace(",", " ")
                firms = str(10 + i + j)
                if (i, j, year) == (1, 1, 2022):
                    cell = "х"  # Cyrillic x: confidential
                if (i, j, year) == (4, 0, 2021):
                    cell, firms = "...", "-"
                lines.append(f"{ob};{code};{name};{year};{cell};{firms}")
            lines.append(f"{ob};;Всего;{year};{total + 5000:,};{100 + i}".replace(",", " "))
    lines.append("Источник: условные данные для тестов")
    write("kz_oked_cp1251.csv", "\r\n".join(lines) + "\r\n", "cp1251")


def kz_koi8r_wide() -> None:
    lines = ["Регион\tОКЭД\t2019\t2020\t2021"]
    for i, ob in enumerate(OBLASTS):
        for j, (code, _) in enumerate(OKED):
            cells = [str(emp(i, j, y)) for y in (2019, 2020, 2021)]
            if (i, j) == (2, 3):
                cells[1] = "х"
            lines.append("\t".join([ob, code, *cells]))
    write("kz_oked_koi8r_wide.tsv", "\n".join(lines) + "\n", "koi8-r")


LAENDER = ["Baden-Württemberg", "Bayern", "Thüringen", "Schleswig-Holstein"]
WZ = [("B", "Bergbau und Gewinnung von Steinen und Erden"), ("C", "Verarbeitendes Gewerbe"),
      ("F", "Baugewerbe"), ("J", "Information und Kommunikation")]


def de_latin1() -> None:
    lines = ["Bundesland;WZ 2008;Jahr;Beschäftigte;Betriebe;Bruttowertschöpfung"]
    for i, land in enumerate(LAENDER):
        for j, (code, _) in enumerate(WZ):
            e = 150_000 * (i + 1) + 23_456 * (j + 1)
            gva = 1234.5 * (i + 1) + 10.25 * j
            e_txt = f"{e:,}".replace(",", ".")
            gva_txt = f"{gva:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
            firms = str(100 * (i + 1) + j)
            if (i, j) == (2, 0):
                e_txt, gva_txt = ".", "."  # Destatis: unknown or secret
            if (i, j) == (3, 0):
                e_txt, firms = "-", "-"  # Destatis: nothing (kept missing, flag '-')
            if (i, j) == (1, 3):
                gva_txt = "x"  # Destatis: not applicable / secret
            lines.append(f"{land};WZ08-{code};2015;{e_txt};{firms};{gva_txt}")
    lines.append("Deutschland;WZ08-C;2015;7.000.000;200000;500.000,00")
    write("de_laender_latin1.csv", "\n".join(lines) + "\n", "latin-1")


STATES = [("01", "Alabama"), ("04", "Arizona"), ("49", "Utah")]
NAICS = [("10", "Total, all industries"), ("31-33", "Manufacturing"), ("54", "Professional and technical services"),
         ("5417", "Scientific research and development services")]


def us_utf8_bom() -> None:
    lines = ["state_fips,state_name,naics,industry_title,year,employment,establishments,annual_payroll"]
    for i, (fips, name) in enumerate(STATES):
        for j, (code, title) in enumerate(NAICS):
            e = {0: 1_000_000, 1: 150_000, 2: 60_000, 3: 9_000}[j] * (i + 1) + 17 * j
            ap = e * 52
            # a total's establishments at least its sectors' (40 beside 37 + 34 made ingest warn
            # "establishments smaller than the sum of their reported children" on this table)
            est = 100 * (i + 1) if j == 0 else 40 * (i + 1) - 3 * j
            lines.append(f'{fips},{name},{code},"{title}",2016,"{e:,}",{est},"{ap:,}"')
    write("us_naics_utf8_bom.csv", "\n".join(lines) + "\n", "utf-8", codecs.BOM_UTF8)


def us_utf16() -> None:
    lines = ["area\tindustry\tperiod\temp"]
    for i, (fips, name) in enumerate(STATES):
        for j, (code, _) in enumerate(NAICS):
            e = {0: 500_000, 1: 80_000, 2: 30_000, 3: 4_000}[j] * (i + 1)
            cell = "(D)" if (i, j) == (2, 3) else str(e)
            lines.append(f"{name}\t{code}\t2016Q1\t{cell}")
    write("us_naics_utf16.tsv", "\r\n".join(lines) + "\r\n", "utf-16-le", codecs.BOM_UTF16_LE)


MARKERS = ["(D)", "D", "S", "N", "x", "X", "*", "..", "...", "-", "–", ":", "c", "(NA)", "(X)",
           "(S)", "(Z)", ""]


def markers() -> None:
    lines = ["region,industry,year,employment"]
    for k, m in enumerate(MARKERS):
        cell = f'"{m}"' if m else ""
        lines.append(f"R{k:02d},C,2020,{cell}")
    lines.append("R99,C,2020,42")
    write("markers.csv", "\n".join(lines) + "\n", "utf-8")


def wide_industry() -> None:
    lines = ["Region,Jahr,A,B,C,F,Insgesamt"]
    for i, land in enumerate(["Saarland", "Bremen", "Hamburg"]):
        vals = [100 * (i + 1), 20 * (i + 1), 3000 * (i + 1), 700 * (i + 1)]
        lines.append(",".join([land, "2014", *map(str, vals), str(sum(vals) + 5000)]))
    write("wide_by_industry.csv", "\n".join(lines) + "\n", "utf-8")


def wide_year() -> None:
    lines = ["region;nace;2015;2016;2017"]
    for i, r in enumerate(["DE1", "DE2", "DE3"]):
        for j, code in enumerate(["C", "F", "J"]):
            lines.append(";".join([r, code, *(f"{1000 * (i + 1) + 10 * j + d},5" for d in range(3))]))
    write("wide_by_year.csv", "\n".join(lines) + "\n", "utf-8")
    bad = lines[0].replace("2017", "2O17")
    write("wide_by_year_bad_heading.csv", "\n".join([bad, *lines[1:]]) + "\n", "utf-8")


def bad_number() -> None:
    lines = ["region,industry,year,employment,establishments",
             "49001,54,2016,120,4",
             "49003,54,2016,12a,5",
             "49005,54,2016,300,b7"]
    write("bad_number.csv", "\n".join(lines) + "\n", "utf-8")


def thousands_us() -> None:
    lines = ["region,industry,year,employment,wages",
             '49001,54,2016,"1,234","1,234,567.5"',
             '49003,54,2016,"12,000","98,765.25"',
             "49005,54,2016,999,12.5"]
    write("thousands_us.csv", "\n".join(lines) + "\n", "utf-8")


def spaces_decimal_comma() -> None:
    nb, nnb = "\u00a0", "\u202f"
    lines = ["region;industry;year;employment;output",
             f"FR10;C;2019;1{nb}234;1{nb}234,5",
             f"FR20;C;2019;12{nnb}000;98{nnb}765,25",
             "FR30;C;2019;999;12,5",
             "FR40;C;2019;1 000 000;0,75"]
    write("spaces_decimal_comma.csv", "\n".join(lines) + "\n", "utf-8")


if __name__ == "__main__":
    kz_cp1251()
    kz_koi8r_wide()
    de_latin1()
    us_utf8_bom()
    us_utf16()
    markers()
    wide_industry()
    wide_year()
    bad_number()
    thousands_us()
    spaces_decimal_comma()
