"""Tables of the Bureau of National Statistics of Kazakhstan (stat.gov.kz) and Rosstat as
regional statisticians get them (session 17): each test writes the file by hand in the
office's layout, invented figures, and checks what ingest (and the commands after it) make of
it by hand."""

from __future__ import annotations

import pytest

from conftest import csv_rows, run_main, run_ok


def _write(tmp_path, name, text, encoding="cp1251"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def _ingest(tmp_path, capsys, src, *extra):
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out), *extra], capsys)
    return code, err, (csv_rows(out.read_text(encoding="utf-8")) if code == 0 else [])


# ---- a units row under the header

# stat.gov.kz's CSV export of a table of employees by oblast, OKED section and year: the unit
# is on a row of its own under the years (the cell under each year merged in the sheet, the
# key columns' cells empty), not in the title
KZ_UNITS_UNDER_YEARS = """Численность наемных работников по регионам и видам экономической деятельности
Регион;ОКЭД;2021;2022
;;тыс. человек;тыс. человек
Акмолинская область;C;25,4;26,1
Акмолинская область;F;10,5;х
Актюбинская область;C;30,2;31,0
Актюбинская область;F;12,0;12,3
"""


def test_thousands_on_a_units_row_under_the_years_are_scaled(tmp_path, capsys):
    """The row under the header was dropped as a second heading row and every figure kept as
    printed: Акмолинская's manufacturing came out 25.4 persons, not 25,400 (the units row
    ignored, wages per job and any table joined with it a thousand times off)."""
    src = _write(tmp_path, "kz_units.csv", KZ_UNITS_UNDER_YEARS)
    code, err, rows = _ingest(tmp_path, capsys, src)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): (r["employment"], r["employment_status"])
           for r in rows}
    assert got == {
        ("2021", "Акмолинская область", "C"): ("25400.0", "reported"),
        ("2022", "Акмолинская область", "C"): ("26100.0", "reported"),
        ("2021", "Акмолинская область", "F"): ("10500.0", "reported"),
        ("2022", "Акмолинская область", "F"): ("", "suppressed"),
        ("2021", "Актюбинская область", "C"): ("30200.0", "reported"),
        ("2022", "Актюбинская область", "C"): ("31000.0", "reported"),
        ("2021", "Актюбинская область", "F"): ("12000.0", "reported"),
        ("2022", "Актюбинская область", "F"): ("12300.0", "reported")}
    assert "label row under the header giving the units (employment 'тыс. человек' x 1,000)" in err


# a long table of two measures, each with its unit on the row under the header
KZ_UNITS_PER_MEASURE = """Регион;ОКЭД;Год;Численность работников;Фонд оплаты труда
;;;тыс. человек;млн тенге
Акмолинская область;C;2021;25,4;9 120,5
Актюбинская область;C;2021;30,2;х
"""


def test_each_measure_takes_the_unit_under_its_heading(tmp_path, capsys):
    src = _write(tmp_path, "kz_two_units.csv", KZ_UNITS_PER_MEASURE)
    code, err, rows = _ingest(tmp_path, capsys, src)
    assert code == 0, err
    got = {r["region"]: (r["employment"], r["wages"], r["wages_status"]) for r in rows}
    assert got == {"Акмолинская область": ("25400.0", "9120500000.0", "reported"),
                   "Актюбинская область": ("30200.0", "", "suppressed")}
    assert "(employment 'тыс. человек' x 1,000; wages 'млн тенге' x 1,000,000)" in err


def test_a_unit_said_in_the_title_and_under_the_years_is_applied_once(tmp_path, capsys):
    text = KZ_UNITS_UNDER_YEARS.replace("экономической деятельности\n",
                                        "экономической деятельности\n(тысяч человек)\n")
    src = _write(tmp_path, "kz_units_twice.csv", text)
    code, err, rows = _ingest(tmp_path, capsys, src)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r["employment"] for r in rows}
    assert got[("2021", "Акмолинская область", "C")] == "25400.0"


def test_two_units_for_one_measure_are_refused_on_the_units_row(tmp_path, capsys):
    text = KZ_UNITS_UNDER_YEARS.replace(";;тыс. человек;тыс. человек", ";;тыс. человек;человек")
    src = _write(tmp_path, "kz_units_mixed.csv", text)
    code, err, _rows = _ingest(tmp_path, capsys, src)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert f"{src}:3:" in err and "a units row under the header gives one measure two units" in err


# ---- each year's count beside its share

# stat.gov.kz's yearbook table with each year's count beside its share of the republic's (the
# year merged over "тыс. человек | в % к итогу"), as its CSV export writes it: the merged year
# followed by an empty cell, the key headings merged down over the units row
KZ_COUNT_AND_SHARE = """Численность наемных работников по регионам и видам экономической деятельности
Регион;ОКЭД;2021;;2022;
;;тыс. человек;в % к итогу;тыс. человек;в % к итогу
Республика Казахстан;C;650,2;100,0;661,0;100,0
Акмолинская область;C;25,4;3,9;26,1;3,9
Актюбинская область;C;30,2;4,6;х;х
"""


def _count_and_share_rows(rows):
    return {(r["period"], r["region"]): (r["employment"], r["employment_status"]) for r in rows}


COUNT_AND_SHARE = {("2021", "Акмолинская область"): ("25400.0", "reported"),
                   ("2022", "Акмолинская область"): ("26100.0", "reported"),
                   ("2021", "Актюбинская область"): ("30200.0", "reported"),
                   ("2022", "Актюбинская область"): ("", "suppressed")}


@pytest.mark.parametrize("text", [
    KZ_COUNT_AND_SHARE,
    # the merged year repeated over its columns, as some exports write it; Rosstat's words
    KZ_COUNT_AND_SHARE.replace(";2021;;2022;", ";2021;2021;2022;2022")
    .replace("в % к итогу", "в процентах к итогу"),
])
def test_each_years_share_beside_its_count_is_named_not_read(text, tmp_path, capsys):
    """The empty heading over each share made the table a refusal ("column heading among the
    period columns is not a period ... found 'column_4'", a column the user cannot see); the
    counts are the table's figures, in thousands as the row under the years says, and the
    shares are named as columns not read."""
    src = _write(tmp_path, "kz_count_share.csv", text)
    code, err, rows = _ingest(tmp_path, capsys, src)
    assert code == 0, err
    assert _count_and_share_rows(rows) == COUNT_AND_SHARE
    assert "columns not read: '2021 в " in err and "'2022 в " in err


def test_each_years_share_beside_its_count_in_a_workbook(tmp_path, capsys):
    """The same table as the bureau's xlsx: the years merged over their two columns, the key
    headings merged down over the units row, the title merged across."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "1.3"
    ws.append(["Численность наемных работников по регионам и видам экономической деятельности"])
    ws.append(["Регион", "ОКЭД", 2021, None, 2022, None])
    ws.append([None, None, "тыс. человек", "в % к итогу", "тыс. человек", "в % к итогу"])
    for row in (["Республика Казахстан", "C", 650.2, 100.0, 661.0, 100.0],
                ["Акмолинская область", "C", 25.4, 3.9, 26.1, 3.9],
                ["Актюбинская область", "C", 30.2, 4.6, "х", "х"]):
        ws.append(row)
    for cells in ("A1:F1", "C2:D2", "E2:F2", "A2:A3", "B2:B3"):
        ws.merge_cells(cells)
    src = tmp_path / "kz_count_share.xlsx"
    wb.save(src)
    code, err, rows = _ingest(tmp_path, capsys, src)
    assert code == 0, err
    assert _count_and_share_rows(rows) == COUNT_AND_SHARE
    assert "columns not read: '2021 в % к итогу', '2022 в % к итогу'" in err


# ---- KATO codes with their names

# stat.gov.kz's table keyed by KATO code with the region's name beside it ("Код КАТО",
# "Наименование региона"), OKED sections, years as "2021 г.", persons with a space between
# thousands
KZ_KATO_NAMED = """Код КАТО;Наименование региона;ОКЭД;2021 г.;2022 г.
000000000;Республика Казахстан;C;650 200;661 000
110000000;Акмолинская область;C;25 400;26 100
150000000;Актюбинская область;C;30 200;х
"""


@pytest.mark.parametrize("heading", ["Наименование региона", "Наименование"])
def test_the_region_name_beside_kato_codes_is_read(heading, tmp_path, capsys):
    """"Наименование региона" (the genitive) named no role, nor did a bare "Наименование"
    right of the codes (as it does right of OKED codes): the names were a column not read and
    every region was its bare code in the output and in lq's and detect's tables."""
    src = _write(tmp_path, "kz_kato.csv", KZ_KATO_NAMED.replace("Наименование региона", heading))
    code, err, rows = _ingest(tmp_path, capsys, src)
    assert code == 0, err
    got = {(r["period"], r["region"]): (r["region_name"], r["region_level"], r["employment"])
           for r in rows}
    assert got == {
        ("2021", "000000000"): ("Республика Казахстан", "nation", "650200.0"),
        ("2022", "000000000"): ("Республика Казахстан", "nation", "661000.0"),
        ("2021", "110000000"): ("Акмолинская область", "oblast", "25400.0"),
        ("2022", "110000000"): ("Акмолинская область", "oblast", "26100.0"),
        ("2021", "150000000"): ("Актюбинская область", "oblast", "30200.0"),
        ("2022", "150000000"): ("Актюбинская область", "oblast", "")}
    assert "not read" not in err


# ---- Kazakh text in KZ-1048

# the Kazakh version of a stat.gov.kz table saved as CSV by Excel on a Kazakh-language Windows,
# which writes KZ-1048 (cp1251 with Kazakh letters in 16 of its places): ';', CRLF
KK_TABLE = """Өңірлер;ЭҚЖЖ;2021;2022
Қазақстан Республикасы;C;56 100;57 410
Ақмола облысы;C;25 400;26 100
Ақтөбе облысы;C;30 200;х
Алматы қ.;C;500;510
"""


@pytest.mark.parametrize("heading", ["Өңірлер;ЭҚЖЖ", "Регион;ОКЭД"])
def test_kazakh_text_in_kz1048_is_read_as_kazakh(heading, tmp_path, capsys):
    """Read as cp1251, 'Өңірлер' was 'Ґѕірлер' (no region column: refused) and, under a
    Russian heading, every name was garbled ('Аќмола облысы') and 'Ќазаќстан Республикасы'
    no total: kept as a region and summed with its oblasts by lq and detect."""
    src = _write(tmp_path, "kk.csv", KK_TABLE.replace("Өңірлер;ЭҚЖЖ", heading), encoding="kz1048")
    code, err, rows = _ingest(tmp_path, capsys, src)
    assert code == 0, err
    got = {(r["period"], r["region"]): (r["employment"], r["employment_status"]) for r in rows}
    assert got == {("2021", "Ақмола облысы"): ("25400.0", "reported"),
                   ("2022", "Ақмола облысы"): ("26100.0", "reported"),
                   ("2021", "Ақтөбе облысы"): ("30200.0", "reported"),
                   ("2022", "Ақтөбе облысы"): ("", "suppressed"),
                   ("2021", "Алматы қ."): ("500.0", "reported"),
                   ("2022", "Алматы қ."): ("510.0", "reported")}
    assert "1 region total rows" in err


def test_russian_and_ukrainian_cp1251_stay_cp1251():
    from clusterid.io.readers import text

    for sample in ("Регион;Отрасль;2021\nАкмолинская область;C;25 400\n",
                   "Область;Галузь;2021\nКиївська область;C;25 400\nЇжаківка;F;5\nҐалаґан;G;1\n"):
        assert text.decode(sample.encode("cp1251"))[1] == "cp1251"


# ---- regions over their sections in one column

# stat.gov.kz's table of employees by region and OKED section as its CSV export gives it (a
# title and a unit line, the years across): each region's row with its total, then its
# sections' rows, their titles only, in the same first column
KZ_REGIONS_OVER_SECTIONS = """Численность наемных работников по регионам и видам экономической деятельности;;
человек;;
;2021;2022
Республика Казахстан;3900;4000
Сельское, лесное и рыбное хозяйство;500;520
Обрабатывающая промышленность;800;840
Строительство;700;720
Акмолинская область;1700;1750
Сельское, лесное и рыбное хозяйство;300;315
Обрабатывающая промышленность;300;315
Строительство;х;360
г.Алматы;2200;2250
Сельское, лесное и рыбное хозяйство;200;205
Обрабатывающая промышленность;500;525
Строительство;350;360
"""
REGIONS_OVER_SECTIONS = {
    ("Республика Казахстан", "10"): ("3900.0", "4000.0"), ("Республика Казахстан", "A"): ("500.0", "520.0"),
    ("Республика Казахстан", "C"): ("800.0", "840.0"), ("Республика Казахстан", "F"): ("700.0", "720.0"),
    ("Акмолинская область", "10"): ("1700.0", "1750.0"), ("Акмолинская область", "A"): ("300.0", "315.0"),
    ("Акмолинская область", "C"): ("300.0", "315.0"), ("Акмолинская область", "F"): ("", "360.0"),
    ("г.Алматы", "10"): ("2200.0", "2250.0"), ("г.Алматы", "A"): ("200.0", "205.0"),
    ("г.Алматы", "C"): ("500.0", "525.0"), ("г.Алматы", "F"): ("350.0", "360.0")}


def _by_region_industry(rows):
    got = {}
    for r in rows:
        got.setdefault((r["region"], r["industry"]), {})[r["period"]] = r["employment"]
    return {k: (v.get("2021"), v.get("2022")) for k, v in got.items()}


@pytest.mark.parametrize("corner", ["", "Отрасль"])
def test_each_regions_row_above_its_sections_rows_is_read(corner, tmp_path, capsys):
    """Regions and section titles in one column was refused as a table with no industry column
    (or, headed 'Отрасль', with no region column), --industry-col the only advice.  Each
    region's row is the region of the rows under it and its own row the region's total; the
    republic is the nation with --keep-region-totals, and its figures bound Акмолинская's
    confidential construction: 700 - 350 = 350."""
    text = KZ_REGIONS_OVER_SECTIONS.replace("\n;2021;2022", f"\n{corner};2021;2022")
    src = _write(tmp_path, "kz_regions_sections.csv", text)
    code, err, rows = _ingest(tmp_path, capsys, src, "--keep-region-totals")
    assert code == 0, err
    assert _by_region_industry(rows) == REGIONS_OVER_SECTIONS
    assert {r["region_level"] for r in rows if r["region"] == "Республика Казахстан"} == {"nation"}
    out, _err = run_ok(["impute", str(tmp_path / "out.csv"), "-o", "-"], capsys)
    f = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}[
        ("2021", "Акмолинская область", "F")]
    assert (f["employment"], f["employment_status"]) == ("350.0", "estimated")


def test_region_headings_over_section_titles_are_read(tmp_path, capsys):
    """The same table with the region on a row of its own (no figures) and the first column
    headed 'Отрасль': refused as "rows of one cell above rows of industry names: regions or
    industry headings?".  Every industry a section's title, no heading one, the headings are
    the regions."""
    text = KZ_REGIONS_OVER_SECTIONS.replace("\n;2021;2022", "\nОтрасль;2021;2022")
    for line in ("Республика Казахстан;3900;4000", "Акмолинская область;1700;1750",
                 "г.Алматы;2200;2250"):
        text = text.replace(line, line.split(";")[0] + ";;")
    src = _write(tmp_path, "kz_region_headings.csv", text)
    code, err, rows = _ingest(tmp_path, capsys, src, "--keep-region-totals")
    assert code == 0, err
    assert _by_region_industry(rows) == {k: v for k, v in REGIONS_OVER_SECTIONS.items() if k[1] != "10"}
    assert "3 block heading rows" in err


def test_a_title_twice_under_one_region_leaves_the_table_refused(tmp_path, capsys):
    text = KZ_REGIONS_OVER_SECTIONS.replace("Строительство;х;360", "Обрабатывающая промышленность;х;360")
    src = _write(tmp_path, "kz_regions_sections.csv", text)
    code, err, _rows = _ingest(tmp_path, capsys, src)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert f"{src}:11:" in err and "an industry section's title among the regions" in err
    assert "each section once" in err


# the other way round: each section's title carrying the republic's figures, its oblasts under
# it (the republic itself never named)
KZ_SECTIONS_WITH_FIGURES = """Численность наемных работников по видам экономической деятельности и регионам;;
человек;;
;2021;2022
Всего;3900;4000
Акмолинская область;1700;1750
г.Алматы;2200;2250
Сельское, лесное и рыбное хозяйство;500;520
Акмолинская область;300;315
г.Алматы;200;205
Строительство;700;720
Акмолинская область;х;360
г.Алматы;350;360
"""


def test_a_sections_title_with_the_countrys_figures_is_refused_saying_why(tmp_path, capsys):
    """Refused before as "no industry column recognised" with --industry-col as the only
    advice; the figures on a title's row belong to no named region, so the refusal names the
    row and says how the table is read."""
    src = _write(tmp_path, "kz_sections_figures.csv", KZ_SECTIONS_WITH_FIGURES)
    code, err, _rows = _ingest(tmp_path, capsys, src)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert f"{src}:7:" in err
    assert "an industry section's title among the regions, with figures of its own" in err
    assert "put them on a row of the country's name under the title" in err
    # done so, it is the layout of sections over blocks
    fixed = KZ_SECTIONS_WITH_FIGURES
    for title, figures in (("Всего", "3900;4000"), ("Сельское, лесное и рыбное хозяйство", "500;520"),
                           ("Строительство", "700;720")):
        fixed = fixed.replace(f"{title};{figures}", f"{title};;\nРеспублика Казахстан;{figures}")
    code, err, rows = _ingest(tmp_path, capsys, _write(tmp_path, "kz_fixed.csv", fixed))
    assert code == 0, err
    assert {(r["region"], r["industry"]) for r in rows} == {
        (region, ind) for region in ("Акмолинская область", "г.Алматы") for ind in ("10", "A", "F")}


# ---- a table of one year

# Rosstat's table of one year by subject and section as its CSV gives it: an empty corner cell
# over the year alone, each subject's row (its total) above its sections' rows, the federal
# districts among the subjects; an excerpt whose Federation is the sum of the subjects listed
ROSSTAT_ONE_YEAR = """Среднегодовая численность занятых по субъектам Российской Федерации и видам экономической деятельности
(тысяч человек)
;2021
Российская Федерация;436,1
Добыча полезных ископаемых;51,1
Обрабатывающие производства;385,0
Центральный федеральный округ;281,5
Добыча полезных ископаемых;23,7
Обрабатывающие производства;257,8
Белгородская область;124,7
Добыча полезных ископаемых;22,5
Обрабатывающие производства;102,2
Брянская область;84,5
Добыча полезных ископаемых;к
Обрабатывающие производства;83,6
Москва;72,3
Добыча полезных ископаемых;0,3
Обрабатывающие производства;72,0
Северо-Западный федеральный округ;154,6
Добыча полезных ископаемых;27,4
Обрабатывающие производства;127,2
Ненецкий автономный округ;11,0
Добыча полезных ископаемых;10,0
Обрабатывающие производства;1,0
Архангельская область без автономного округа;129,0
Добыча полезных ископаемых;15,0
Обрабатывающие производства;114,0
Калининградская область;14,6
Добыча полезных ископаемых;2,4
Обрабатывающие производства;12,2
"""


def test_a_table_of_one_year_under_an_empty_corner_is_read(tmp_path, capsys):
    """';2021' over the figures has one heading, so it was no header: the title line was taken
    for it and every row refused as having two fields for a header of one.  Read, the subjects
    are regions, the districts their own level, and Брянская's confidential mining is the
    Federation's 51.1 thousand minus the other subjects: 900."""
    src = _write(tmp_path, "rosstat_2021.csv", ROSSTAT_ONE_YEAR)
    code, err, rows = _ingest(tmp_path, capsys, src, "--keep-region-totals")
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["employment"], r["region_level"]) for r in rows}
    assert len(got) == 27 and {r["period"] for r in rows} == {"2021"}
    assert got[("Белгородская область", "10")] == ("124700.0", "")
    assert got[("Белгородская область", "C")] == ("102200.0", "")
    assert got[("Центральный федеральный округ", "B")] == ("23700.0", "federal_district")
    assert got[("Российская Федерация", "C")] == ("385000.0", "nation")
    assert got[("Брянская область", "B")] == ("", "")
    out, _err = run_ok(["impute", str(tmp_path / "out.csv"), "-o", "-"], capsys)
    b = {(r["region"], r["industry"]): r for r in csv_rows(out)}[("Брянская область", "B")]
    assert (float(b["employment_lower"]), float(b["employment"]), float(b["employment_upper"])) \
        == (900.0, 900.0, 900.0)
