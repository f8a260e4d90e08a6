"""stat.gov.kz yearbook tables with the industry outside the rows: read where unmistakable.

``data/yearbook/`` (written by its make_files.py, invented figures, the bureau's layouts):

* sections over blocks -- each OKED section's title on a row of its own above the rows of the
  republic and its oblasts (``kz_sections_over_oblasts_cp1251.csv``, Russian, cp1251, ';';
  ``kz_sections_over_oblasts_kk.xlsx``, the same in Kazakh).  Each heading names one NACE
  section (or all industries), none twice, over the same regions: the industry of the rows
  below it.  Refused before as "no industry column recognised", with --industry-col as the
  only advice, which could not help.
* one sheet per section -- ``kz_one_sheet_per_section.xlsx``, sheets "Раздел A", "Раздел C",
  "Раздел F", oblasts down and years across: the sheet's name is the industry of its rows,
  as a sheet named "2022" is its year; the whole workbook is read when every sheet holding
  figures names a section of its own, else the first sheet and the others named (--sheet).

Where a heading or a sheet's name names no section, the refusal is one line that says what to
do.
"""

from __future__ import annotations

import csv
import io

import pytest

from conftest import TEST_DATA
from conftest import run_main as run_cli

YEARBOOK = TEST_DATA / "yearbook"
RU_CSV = YEARBOOK / "kz_sections_over_oblasts_cp1251.csv"
KK_XLSX = YEARBOOK / "kz_sections_over_oblasts_kk.xlsx"
SHEETS = YEARBOOK / "kz_one_sheet_per_section.xlsx"

# the figures of make_files.py: (section, region index) -> (2021, 2022); None: 'х'
CELLS = {("A", 0): (1204, 1251), ("A", 1): (903, 912), ("A", 2): (1197, 1190),
         ("C", 0): (15032, 15511), ("C", 1): (18140, 18237), ("C", 2): (None, 20318),
         ("F", 0): (7021, 7218), ("F", 1): (6005, 6107), ("F", 2): (10046, 10210)}
TOTALS = {0: (26257, 26980), 1: (28048, 28256), 2: (34113, 34718)}
RU = ("Акмолинская область", "Актюбинская область", "г.Алматы")
KK = ("Ақмола облысы", "Ақтөбе облысы", "Алматы қ.")


def _ingest(capsys, tmp_path, *args, name="o.csv"):
    out = tmp_path / name
    code, _, err = run_cli(["ingest", *map(str, args), "-o", str(out)], capsys)
    return code, err, out


def _table(out) -> dict:
    rows = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    return {(r["period"], r["region"], r["industry"]): (r["employment"], r["employment_status"])
            for r in rows}


def _expected(regions, sections=("A", "C", "F"), totals=True) -> dict:
    want = {}
    for (sec, i), values in CELLS.items():
        if sec in sections:
            for year, v in zip(("2021", "2022"), values):
                want[(year, regions[i], sec)] = ((f"{float(v)}", "reported") if v is not None
                                                else ("", "suppressed"))
    for i, values in TOTALS.items() if totals else ():
        for year, v in zip(("2021", "2022"), values):
            want[(year, regions[i], "10")] = (f"{float(v)}", "reported")
    return want


@pytest.mark.parametrize("path, regions", [(RU_CSV, RU), (KK_XLSX, KK)])
def test_sections_over_blocks_are_read_as_the_industry_of_their_rows(path, regions, tmp_path,
                                                                      capsys):
    code, err, out = _ingest(capsys, tmp_path, path)
    assert code == 0, err
    assert _table(out) == _expected(regions)
    # the headings, the republic's rows and the note under the table dropped and counted
    assert "4 block heading rows (a region, year or industry named above its rows)" in err
    assert "4 region total rows" in err
    assert "read as the NACE sections they name" in err


def test_a_footnote_between_the_blocks_is_refused_on_its_line(tmp_path, capsys):
    lines = RU_CSV.read_bytes().split(b"\r\n")
    lines.insert(13, "1) без учета малых предприятий;;".encode("cp1251"))  # above 'Обрабатывающая'
    path = tmp_path / RU_CSV.name
    path.write_bytes(b"\r\n".join(lines))
    code, err, out = _ingest(capsys, tmp_path, path)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert f"{path}:14:" in err and "names no industry section" in err
    assert "give the industry on each row (an industry column)" in err
    assert not out.exists()


def test_a_section_over_its_divisions_is_refused(tmp_path, capsys):
    # a section's heading right above a division's (two levels): not read as one level
    lines = RU_CSV.read_bytes().split(b"\r\n")
    lines.insert(14, "Производство продуктов питания;;".encode("cp1251"))
    path = tmp_path / RU_CSV.name
    path.write_bytes(b"\r\n".join(lines))
    code, err, _out = _ingest(capsys, tmp_path, path)
    assert code == 1, err
    first = err.splitlines()[0]
    assert f"{path}:14: column 'column_1': an industry heading with no rows under it" in first
    assert "headings of two levels" in first


def test_a_section_named_twice_is_refused(tmp_path, capsys):
    text = RU_CSV.read_bytes().decode("cp1251").replace("Строительство;;", "Обрабатывающие производства;;")
    path = tmp_path / RU_CSV.name
    path.write_bytes(text.encode("cp1251"))
    code, err, _out = _ingest(capsys, tmp_path, path)
    assert code == 1 and "an industry heading given twice" in err and "section C" in err, err


@pytest.mark.parametrize("sheet, section", [("Раздел A", "A"), ("Раздел C", "C"), ("Раздел F", "F")])
def test_each_sheet_of_one_sheet_per_section_is_its_section(sheet, section, tmp_path, capsys):
    code, err, out = _ingest(capsys, tmp_path, SHEETS, "--sheet", sheet)
    assert code == 0, err
    assert _table(out) == _expected(RU, (section,), totals=False)


def test_a_workbook_of_one_sheet_per_section_is_read_whole(tmp_path, capsys):
    code, err, out = _ingest(capsys, tmp_path, SHEETS)
    assert code == 0, err
    assert _table(out) == _expected(RU, totals=False)
    assert ("3 sheets read, each as the industry its name names ('Раздел A' = A; 'Раздел C' = C; "
            "'Раздел F' = F)") in err
    # the same figures as the table of sections over blocks, its totals aside
    code, err, blocks = _ingest(capsys, tmp_path, RU_CSV, name="blocks.csv")
    assert code == 0, err
    assert _table(out) == {k: v for k, v in _table(blocks).items() if k[2] != "10"}


def test_the_sheets_read_one_by_one_make_the_same_table(tmp_path, capsys):
    parts = []
    for sheet in ("Раздел A", "Раздел C", "Раздел F"):
        code, err, out = _ingest(capsys, tmp_path, SHEETS, "--sheet", sheet,
                                 name=f"{sheet[-1]}.csv")
        assert code == 0, err
        parts.append(out)
    code, err, whole = _ingest(capsys, tmp_path, *parts, name="whole.csv")
    assert code == 0, err
    assert _table(whole) == _expected(RU, totals=False)


def test_a_bad_cell_names_its_sheet(tmp_path, capsys):
    from openpyxl import load_workbook

    wb = load_workbook(SHEETS)
    wb["Раздел C"]["B5"] = "15 032a"  # Акмолинская область, 2021
    path = tmp_path / "book.xlsx"
    wb.save(path)
    code, err, _out = _ingest(capsys, tmp_path, path)
    assert code == 1, err
    assert "book.xlsx[Раздел C]:5: column '2021'" in err.splitlines()[0], err


def test_a_sheet_that_names_no_section_leaves_the_first_sheet_read_alone(tmp_path, capsys):
    # a sheet of figures named by no section ("Справочно", for reference: the oblasts'
    # populations) beside the sections' sheets: which sheets are a section's table is no
    # longer plain, so one sheet is read and the others named, as before
    from openpyxl import load_workbook

    wb = load_workbook(SHEETS)
    ws = wb.create_sheet("Справочно")
    ws.append([None, 2021, 2022])
    for region, people in zip(RU, (736735, 894302, 2039376)):
        ws.append([region, people, people + 1000])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    code, err, out = _ingest(capsys, tmp_path, path)
    assert code == 0, err
    assert _table(out) == _expected(RU, ("A",), totals=False)
    assert ("read sheet 'Раздел A' only, its name as the industry of its rows; other sheets "
            "hold figures too: 'Раздел C', 'Раздел F', 'Справочно'") in err


def test_sheets_not_named_by_section_are_refused_in_one_line(tmp_path, capsys):
    from openpyxl import load_workbook

    wb = load_workbook(SHEETS)
    for n, ws in enumerate(wb.worksheets, 1):
        ws.title = f"Лист{n}"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    code, err, _out = _ingest(capsys, tmp_path, path)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "no industry column recognised" in err
    assert ("a workbook of one sheet per industry: the sheet's name ('Лист1') names no NACE "
            "section; name each sheet by its section (C, Раздел C, Строительство) and the "
            "workbook is read as one table") in err


# ---- sheets named by section titles, cut at Excel's 31 characters

def _titled_book(path, titles, regions, republic):
    """A workbook of one sheet per section named by the section's title as Excel keeps it
    (its first 31 characters), each sheet a title line, a unit line, the years across and the
    country's row above its regions; invented figures, section k's region i at 100k + 10i
    (2021) and one more (2022), the country the sum; the second region's first cell 'х'."""
    from openpyxl import Workbook

    wb = Workbook()
    for k, title in enumerate(titles):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = title[:31]
        ws.append([f"Численность наемных работников: {title}"])
        ws.append(["человек"])
        ws.append([None, 2021, 2022])
        cells = [(100 * (k + 1) + 10 * i, 100 * (k + 1) + 10 * i + 1) for i in range(len(regions))]
        ws.append([republic, sum(c[0] for c in cells), sum(c[1] for c in cells)])
        for i, (region, (a, b)) in enumerate(zip(regions, cells)):
            ws.append([region, "х" if (i, k) == (1, 0) else a, b])
    wb.save(path)


@pytest.mark.parametrize("titles, sections, republic", [
    # stat.gov.kz's OKED titles
    (("Сельское, лесное и рыбное хозяйство", "Предоставление услуг по проживанию и питанию",
      "Деятельность в области административного и вспомогательного обслуживания",
      "Предоставление прочих видов услуг"), "AINS", "Республика Казахстан"),
    # Rosstat's OKVED2 titles
    (("Обеспечение электрической энергией, газом и паром; кондиционирование воздуха",
      "Деятельность в области информации и связи",
      "Деятельность по операциям с недвижимым имуществом",
      "Деятельность в области здравоохранения и социальных услуг",
      "Деятельность в области культуры, спорта, организации досуга и развлечений"),
     "DJLQR", "Российская Федерация"),
])
def test_sheets_named_by_titles_excel_cut_are_their_sections(titles, sections, republic, tmp_path,
                                                             capsys):
    """Excel keeps 31 characters of a sheet's name, so a workbook naming its sheets by section
    titles has 'Предоставление услуг по прожива' and 'Деятельность в области информац': those
    named no section, and only the first sheet was read, the others named in a warning.  A
    name that is the first 31 characters of one section's official title is that section, the
    whole title its industry's name; every sheet is read."""
    path = tmp_path / "book.xlsx"
    regions = ("Акмолинская область", "Актюбинская область", "г.Алматы")
    _titled_book(path, titles, regions, republic)
    code, err, out = _ingest(capsys, tmp_path, path, "--keep-region-totals")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    got = {(r["period"], r["region"], r["industry"]): (r["employment"], r["employment_status"])
           for r in rows}
    want = {}
    for k, sec in enumerate(sections):
        cells = [(100 * (k + 1) + 10 * i, 100 * (k + 1) + 10 * i + 1) for i in range(3)]
        for j, year in enumerate(("2021", "2022")):
            want[(year, republic, sec)] = (f"{float(sum(c[j] for c in cells))}", "reported")
            for i, region in enumerate(regions):
                want[(year, region, sec)] = (("", "suppressed") if (i, k, j) == (1, 0, 0)
                                             else (f"{float(cells[i][j])}", "reported"))
    assert got == want
    assert {r["industry"]: r["industry_name"] for r in rows} == dict(zip(sections, titles))
    assert f"{len(titles)} sheets read, each as the industry its name names" in err
    assert f"{len(titles)} industries listed by title only" in err
