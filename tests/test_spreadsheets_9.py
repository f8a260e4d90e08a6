"""Legacy Excel .xls (BIFF8), Excel binary .xlsb and LibreOffice .ods read like xlsx.

The files are committed (tests/data/spreadsheets/, made by its make_files.py): one made-up
stat.gov.kz table (employees by oblast x OKED section "за 2022 год", Russian title row merged
over the table, each oblast merged down over its rows, 'х' for a confidential cell, a note
under it) saved as xlsx, xls, ods and xlsb.  The xlsx is read by openpyxl, the others by
python-calamine: each must give the xlsx's canonical table.  Expected figures are recomputed
here from the generator's own formula, never copied from the reader's output.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile

import polars as pl
import pytest

from clusterid.errors import DataError, UsageError
from clusterid.io.ingest import IngestOptions, ingest, is_archive
from clusterid.io.readers import excel
from conftest import TEST_DATA, run_here, run_main
from ods_files import write_ods_xml

SP = TEST_DATA / "spreadsheets"
BOOK = "kz_oblast_oked_2022"
OTHERS = ("xls", "ods", "xlsb")
OBLASTS = ["Акмолинская область", "Карагандинская область", "область Жетісу", "г. Алматы"]
OKED = ["A", "C", "F", "G"]


def expected_employment(year: int = 2022) -> dict[tuple[str, str], float | None]:
    """The generator's figures (make_files.table), None for the confidential cell."""
    out = {}
    for i, ob in enumerate(OBLASTS):
        for j, code in enumerate(OKED):
            emp = 1000 * (i + 2) + 137 * (j + 1) * (i + 1) + 11 * (year - 2019) * (j + 3)
            if (i, j) == (0, 0) and year == 2022:
                emp = 2203  # stored as 2203.0000000000005, as a sum of cells may leave it
            if (i, j) == (1, 2):
                emp += 0.5
            out[ob, code] = None if (i, j) == (2, 1) else float(emp)
    return out


def get(df, **keys):
    out = df
    for k, v in keys.items():
        out = out.filter(pl.col(k) == v)
    assert out.height == 1, (keys, out)
    return out.row(0, named=True)


def comparable(df: pl.DataFrame) -> pl.DataFrame:
    """The canonical columns without the private ones naming the source file and line."""
    return df.drop([c for c in df.columns if c.startswith("_")]).sort(["region", "industry"])


@pytest.fixture(scope="module")
def reference():
    return ingest([str(SP / f"{BOOK}.xlsx")])


@pytest.mark.parametrize("ext", OTHERS)
def test_same_table_as_the_xlsx(ext, reference):
    ref, ref_meta = reference
    df, meta = ingest([str(SP / f"{BOOK}.{ext}")])
    assert comparable(df).equals(comparable(ref))
    reader = meta["readers"][str(SP / f"{BOOK}.{ext}")]
    assert reader["format"] == ext and reader["sheet"] == "Таблица 1"
    # the title and unit rows skipped: the header is sheet row 4, as in the xlsx
    assert reader["header_line"] == ref_meta["readers"][str(SP / f"{BOOK}.xlsx")]["header_line"] == 4
    assert reader["period_from"] == "title line" and set(df["period"]) == {"2022"}
    assert meta["rows_read"] == ref_meta["rows_read"] and meta["dropped"] == ref_meta["dropped"]


@pytest.mark.parametrize("ext", ("xlsx", *OTHERS))
def test_figures_cyrillic_and_markers(ext):
    df, meta = ingest([str(SP / f"{BOOK}.{ext}")])
    want = expected_employment()
    assert df.height == len(want)
    # Cyrillic as written, also the Kazakh 'і' cp1251 has no letter for
    assert set(df["region"]) == set(OBLASTS)
    for (ob, code), emp in want.items():
        row = get(df, region=ob, industry=code)
        if emp is None:
            assert row["employment"] is None and row["employment_status"] == "suppressed"
            assert row["employment_flag"] == "х"
        else:
            # exact: 2203.0000000000005 in the sheet is the 2203 it shows, 3987.5 stays .5
            assert row["employment"] == emp, (ob, code, row["employment"])
    assert get(df, region="Акмолинская область", industry="A")["employment"] == 2203.0
    assert get(df, region="Карагандинская область", industry="F")["employment"] % 1 == 0.5
    reader = meta["readers"][str(SP / f"{BOOK}.{ext}")]
    if ext in ("xlsx", "xls", "ods"):
        # each oblast merged down over its 4 rows: the 3 covered cells of each filled
        assert reader["merged_cells_filled"] == 12 and "filled_down" not in reader
    else:
        # the xlsb has no merged cells (its writer makes none), nor does calamine give an
        # xlsb's: the blank cells under each oblast's name are the report layout's, filled
        # down by the generic reader
        assert "merged_cells_filled" not in reader and reader["filled_down"] == {"Область": 12}


@pytest.mark.parametrize("ext", OTHERS)
def test_recognised_by_content_not_name(ext, tmp_path, reference):
    data = (SP / f"{BOOK}.{ext}").read_bytes()
    assert excel.workbook_format(data) == ext
    renamed = tmp_path / "download.dat"  # as a browser or a portal names a download
    renamed.write_bytes(data)
    df, meta = ingest([str(renamed)])
    assert comparable(df).equals(comparable(reference[0]))
    assert meta["readers"][str(renamed)]["format"] == ext


def test_workbook_format_of_bytes():
    assert excel.workbook_format((SP / f"{BOOK}.xlsx").read_bytes()) == "xlsx"
    assert excel.workbook_format(b"region;industry\n") is None
    assert excel.workbook_format(b"PK\x03\x04 not really a zip") == "xlsx"  # the xlsx reader says so
    # an OpenDocument text document is no spreadsheet: not taken for ods
    zpath = SP / f"{BOOK}.ods"
    with zipfile.ZipFile(zpath) as zf:
        assert zf.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    assert not is_archive(str(zpath)) and not is_archive(str(SP / f"{BOOK}.xlsb"))


def test_two_sheets_first_read_others_named(capsys):
    path = SP / "kz_two_sheets.xls"
    df, meta = ingest([str(path)])
    reader = meta["readers"][str(path)]
    # (since session 24 its sheets, one per year with the same table, are read whole:
    # test_known_gaps_24; before, the first alone and the other named)
    assert reader["sheets_per_year"] == ["2021", "2022"] and "other_sheets_with_figures" not in reader
    assert set(df["period"]) == {"2021", "2022"}
    want = expected_employment(2021)
    assert get(df.filter(df["period"] == "2021"), region="Акмолинская область", industry="A")[
        "employment"] == want["Акмолинская область", "A"]
    # the CLI says both sheets were read, and how to read one
    code, _, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 0, err
    assert "2 sheets read, one per year ('2021', '2022')" in err and "--sheet NAME reads one alone" in err


def test_sheet_option_on_xls(reference):
    path = SP / "kz_two_sheets.xls"
    by_name, meta = ingest([str(path)], IngestOptions(sheet="2022"))
    by_number, _ = ingest([str(path)], IngestOptions(sheet="2"))
    assert by_name.equals(by_number)
    assert comparable(by_name).equals(comparable(reference[0]))
    assert "other_sheets_with_figures" not in meta["readers"][str(path)]
    with pytest.raises(UsageError, match="no sheet '2020'; sheets are: 2021, 2022, Примечания"):
        ingest([str(path)], IngestOptions(sheet="2020"))
    # a Unicode digit is no sheet number (int('²') was an internal error)
    with pytest.raises(UsageError, match="no sheet '²'; sheets are: 2021, 2022, Примечания"):
        ingest([str(path)], IngestOptions(sheet="²"))


def test_dates_and_numbers_as_the_sheet_shows_them():
    # a date-formatted cell of an xls is its date, as openpyxl gives an xlsx's
    rows, lines, details = excel.read_rows("kz_two_sheets.xls", (SP / "kz_two_sheets.xls").read_bytes(),
                                           "Примечания")
    assert rows[0] == ["Дата публикации", "2023-03-15"] and lines[:2] == [1, 2]
    assert details["format"] == "xls"
    # floats: 15 significant digits, no exponent, integers without .0
    cases = {2203 + 4.5e-13: "2203", 0.1 + 0.2: "0.3", 2716.5: "2716.5", 1e15: "1000000000000000",
             1.5e-7: "0.00000015", -0.0: "0", 12345678.9: "12345678.9", 2.0: "2",
             123456789012.345: "123456789012.345", -42.25: "-42.25"}
    for value, text in cases.items():
        assert excel._cell_text(value) == text, value
    assert excel._cell_text(7) == "7" and excel._cell_text(None) is None


@pytest.mark.parametrize("ext", ("xls", "ods"))
def test_problem_lines_are_sheet_rows(ext):
    path = SP / f"kz_bad_cell.{ext}"
    with pytest.raises(DataError) as info:
        ingest([str(path)])
    problems = info.value.problems
    assert len(problems) == 1
    # title, unit, blank, header, then the table's 6th row: sheet row 10
    assert problems[0].line == 10 and problems[0].found == "1 5O0"
    assert problems[0].path == str(path)


def test_corrupt_xls_is_one_error_line(tmp_path, capsys):
    out = tmp_path / "out.parquet"
    code, stdout, err = run_main(["ingest", str(SP / "corrupt.xls"), "-o", str(out)], capsys)
    assert code == 1, err  # bad content of a file that opened: data error, as a corrupt xlsx/gzip
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert f"{SP / 'corrupt.xls'}: " in lines[0] and "not a readable Excel 97-2003 .xls workbook" in lines[0]
    assert "Traceback" not in err and stdout == "" and not out.exists()


def test_other_ole2_or_zip_garbage(tmp_path):
    # an OLE2 header and nothing after it; an xlsb's zip without its workbook part
    bad = tmp_path / "empty_ole.xls"
    bad.write_bytes(excel.OLE2_MAGIC + b"\x00" * 504)
    with pytest.raises(DataError, match="not a readable Excel 97-2003 .xls workbook"):
        ingest([str(bad)])
    broken = tmp_path / "broken.xlsb"
    with zipfile.ZipFile(SP / f"{BOOK}.xlsb") as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data[: len(data) // 2] if info.filename.endswith("sheet1.bin") else data)
    with pytest.raises(DataError, match="sheet 'Таблица 1' of this xlsb workbook is unreadable"):
        ingest([str(broken)])


def test_from_a_zip_archive(tmp_path, reference):
    archive = tmp_path / "stat_gov_kz.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(SP / f"{BOOK}.xls", f"2022/{BOOK}.xls")
        zf.writestr("readme.txt", "Численность работников. Источник: условные данные\n")
    df, meta = ingest([str(archive)])
    assert comparable(df).equals(comparable(reference[0]))
    assert [i["path"] for i in meta["inputs"] if "skipped" not in i] == [f"{archive}:2022/{BOOK}.xls"]
    for ext in ("ods", "xlsb"):
        one = tmp_path / f"{ext}.zip"
        with zipfile.ZipFile(one, "w") as zf:
            zf.write(SP / f"{BOOK}.{ext}", f"{BOOK}.{ext}")
        got, _ = ingest([str(one)])
        assert comparable(got).equals(comparable(reference[0])), ext


@pytest.mark.parametrize("ext", OTHERS)
def test_from_stdin(ext, tmp_path, capsys):
    out = tmp_path / "from_stdin.csv"
    ref = tmp_path / "from_file.csv"
    run = lambda *a, **k: subprocess.run([sys.executable, "-m", "clusterid", "ingest", *a],  # noqa: E731
                                         capture_output=True, **k)
    piped = run("-", "-o", str(out), input=(SP / f"{BOOK}.{ext}").read_bytes())
    assert piped.returncode == 0, piped.stderr.decode()
    direct = run_here(capsys, "ingest", str(SP / f"{BOOK}.xlsx"), "-o", str(ref))  # the reference
    assert direct.returncode == 0, direct.stderr
    assert out.read_text(encoding="utf-8") == ref.read_text(encoding="utf-8")


def test_merged_ranges_of_an_xls_are_sheet_positions():
    data = (SP / f"{BOOK}.xls").read_bytes()
    book = excel._CalamineBook("kz.xls", data, "xls")
    try:
        merged = sorted(book.merged("Таблица 1"))
    finally:
        book.close()
    # column A, over rows 5-8, 9-12, 13-16, 17-20 (1-based); the title's merge is one row
    assert merged == [(1, 5 + 4 * i, 8 + 4 * i) for i in range(4)]



@pytest.mark.parametrize("ext", OTHERS)
def test_qcew_table_in_a_workbook_goes_to_the_qcew_adapter(ext, tmp_path, capsys):
    # BLS's Beaver County slice re-saved as xls/ods/xlsb went to the generic reader (or was
    # refused): it is read by the QCEW adapter exactly as the CSV it came from
    csv_path = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"
    book = SP / f"qcew_beaver_2016_annual.{ext}"
    from_csv, _ = ingest([str(csv_path)], IngestOptions())
    from_book, meta = ingest([str(book)], IngestOptions())
    assert meta["adapters"] == ["qcew"] and meta["inputs"][0]["path"] == str(book)
    assert from_book.equals(from_csv)
    assert set(from_book["ownership"]) == {"total", "private"}
    # under another name too (by content)
    renamed = tmp_path / "qcew_export"
    renamed.write_bytes(book.read_bytes())
    again, meta = ingest([str(renamed)], IngestOptions())
    assert meta["adapters"] == ["qcew"] and again.equals(from_csv)


def test_password_protected_workbook_says_so(tmp_path):
    # Excel saves an xlsx with a password as an OLE2 file whose EncryptedPackage stream holds
    # the zip: it looks like an xls by its magic bytes; the error must not say "corrupt .xls"
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(excel.OLE2_MAGIC + b"\x00" * 1016 + "EncryptedPackage".encode("utf-16-le")
                       + b"\x00" * 512)
    with pytest.raises(DataError) as info:
        ingest([str(locked)])
    problem = info.value.problems[0]
    assert problem.message == "a password-protected (encrypted) workbook cannot be read"
    assert "without a password" in problem.hint and problem.path == str(locked)


def test_chart_sheet_between_tables_is_no_sheet(tmp_path, capsys):
    # a workbook with a chart sheet: the check of the other sheets for figures called the
    # chart's iter_rows ("internal error: AttributeError", exit 2); chart sheets are no sheets
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "with_chart.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Данные")
    ws.write_row(0, 0, ["Область", "ОКЭД", "Год", "Численность работников"])
    ws.write_row(1, 0, ["Акмолинская область", "A", 2022, 2203])
    ws.write_row(2, 0, ["г. Алматы", "A", 2022, 5120])
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "='Данные'!$D$2:$D$3"})
    wb.add_chartsheet("Диаграмма").set_chart(chart)
    more = wb.add_worksheet("2021")
    more.write_row(0, 0, ["Область", "ОКЭД", "Год", "Численность работников"])
    more.write_row(1, 0, ["Акмолинская область", "A", 2021, 3100])
    more.write_row(2, 0, ["г. Алматы", "A", 2021, 5000])
    wb.close()
    code, out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 0, err
    assert "other sheets hold figures too: '2021'" in err and "Диаграмма" not in err
    assert "2022,г. Алматы,total,A" in out
    # --sheet by number counts worksheets: 2 is '2021', not the chart
    df, meta = ingest([str(path)], IngestOptions(sheet="2"))
    assert meta["readers"][str(path)]["sheet"] == "2021" and set(df["period"]) == {"2021"}


HTML_XLS = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><table>
<tr><td>Область</td><td>Код ОКЭД</td><td>Год</td><td>Численность работников</td></tr>
<tr><td>Акмолинская область</td><td>A</td><td>2022</td><td>2203</td></tr>
</table></body></html>
"""
SSML_XLS = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Таблица 1"><Table>
  <Row><Cell><Data ss:Type="String">Область</Data></Cell><Cell><Data ss:Type="Number">2203</Data></Cell></Row>
 </Table></Worksheet>
</Workbook>
"""


@pytest.mark.parametrize(("text", "encoding", "what"), [
    (HTML_XLS, "utf-8", "an HTML page"),
    (HTML_XLS, "utf-16", "an HTML page"),  # Excel's "Web page" in Unicode, with its BOM
    ("\ufeff" + SSML_XLS, "utf-8", "an XML Spreadsheet 2003 file"),
])
def test_html_or_xml_spreadsheet_named_xls_is_refused_saying_what_it_is(text, encoding, what, tmp_path, capsys):
    # a portal's "export to Excel" is often an HTML table (or Excel 2003 XML) named .xls: the
    # generic reader took the markup's first line for a header ("no region column recognised,
    # found '<html ...'"); it now says what the file is and how to make it readable
    path = tmp_path / "export.xls"
    path.write_bytes(text.encode(encoding))
    code, out, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 2, err  # a format clusterid does not read, like any unreadable input
    assert f"{path}: {what}, not a workbook or a delimited table" in err
    assert "save it as .xlsx, or save the table as CSV" in err and len(err.strip().splitlines()) == 1
    assert excel.disguised_workbook((SP / f"{BOOK}.xls").read_bytes()) is None
    assert excel.disguised_workbook("Область;ОКЭД\n<b>;A\n".encode()) is None


def test_damaged_neighbour_sheet_is_named_not_fatal(capsys):
    # the 2022 sheet's part is cut in half: the 2021 sheet (the one read) is good, and a
    # damaged neighbour is said on stderr and kept in the metadata; asked for, it is an error
    path = SP / "kz_two_sheets_2022_damaged.xlsb"
    df, meta = ingest([str(path)])
    reader = meta["readers"][str(path)]
    assert reader["sheet"] == "2021" and reader["unreadable_sheets"] == ["2022"]
    assert set(df["period"]) == {"2021"} and df.height == 16
    code, _, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 0 and "sheet(s) '2022' cannot be read (damaged?)" in err
    with pytest.raises(DataError, match="sheet '2022' of this xlsb workbook is unreadable"):
        ingest([str(path)], IngestOptions(sheet="2022"))


def _ods(tmp_path, rows_xml: str):
    """A minimal ods written by hand, one sheet 'Лист1' of six declared columns."""
    return write_ods_xml(tmp_path / "hand.ods", rows_xml, sheet="Лист1", columns=6)


def test_ods_merged_cells_counted_over_repeated_rows_and_cells(tmp_path):
    # LibreOffice writes runs of empty rows and cells as one element with number-*-repeated:
    # the merged oblast cells must land on the rows and column calamine puts the text on
    s_ = lambda v, extra="": (f'<table:table-cell office:value-type="string"{extra}>'  # noqa: E731
                              f'<text:p>{v}</text:p></table:table-cell>')
    n_ = lambda v: f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'  # noqa: E731
    blank2 = '<table:table-cell table:number-columns-repeated="2"/>'
    rows = ['<table:table-row>' + s_("Численность работников за 2022 год") + '</table:table-row>',
            '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>',
            '<table:table-row>' + blank2 + s_("Область") + s_("ОКЭД") + s_("Численность работников") + '</table:table-row>']
    data = [("Акмолинская область", [("A", 2203), ("C", 2406), ("F", 2576)]),
            ("г. Алматы", [("A", 5120), ("C", 7311), ("F", 6150)])]
    for region, cells in data:
        for k, (code, emp) in enumerate(cells):
            first = s_(region, f' table:number-rows-spanned="{len(cells)}"') if k == 0 else '<table:covered-table-cell/>'
            rows.append('<table:table-row>' + blank2 + first + s_(code) + n_(emp) + '</table:table-row>')
    path = _ods(tmp_path, "".join(rows))
    raw = path.read_bytes()
    assert excel.workbook_format(raw) == "ods"
    # column C (after two empty cells), rows 5-7 and 8-10 (title, 2 empty rows, header above)
    assert excel._ods_merged(raw, "Лист1") == [(3, 5, 7), (3, 8, 10)]
    rows_read, lines, details = excel.read_rows(str(path), raw)
    assert details["merged_cells_filled"] == 4
    assert [r[2] for r in rows_read[4:10]] == ["Акмолинская область"] * 3 + ["г. Алматы"] * 3
    df, meta = ingest([str(path)])
    assert get(df, region="г. Алматы", industry="F")["employment"] == 6150.0
    assert meta["readers"][str(path)]["header_line"] == 4


@pytest.mark.parametrize(("name", "found"), [
    ("kz_cut_directory.xls", "PanicException: range start index"),  # calamine panics
    ("kz_zeroed_sectors.xls", "the reader stopped on it (signal"),  # calamine aborts the process
])
def test_damaged_xls_that_crashes_calamine_is_one_error_line(name, found, tmp_path):
    # a panic printed a Rust backtrace and then a Python traceback; an allocation of 2 GB
    # sized by a zeroed field killed the process (or the machine's memory): calamine now meets
    # each file first in a forked child, and this process reports what it met
    path = SP / name
    with pytest.raises(DataError) as info:
        ingest([str(path)])
    (problem,) = info.value.problems
    assert problem.path == str(path) and problem.found.startswith(found), problem.found
    assert "not a readable Excel 97-2003 .xls workbook" in problem.message
    # the CLI, in its own process: one line on stderr, exit 1, nothing written
    out = tmp_path / "o.csv"
    res = subprocess.run([sys.executable, "-m", "clusterid", "ingest", str(path), "-o", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1, res.stderr
    assert res.stderr.strip().splitlines() == [res.stderr.strip()], res.stderr
    assert "panicked" not in res.stderr and "Traceback" not in res.stderr and not out.exists()


def test_trial_parse_that_does_not_finish_is_stopped(monkeypatch):
    # a damaged file on which calamine loops: the child is killed at the deadline, the
    # verdict says so, and nothing of it is left running (waitpid returned: no child is left,
    # not even a zombie).  The child's parse is a loop that never ends, standing in for
    # calamine's: with the real parse and a deadline of 0.1 ms, a parent scheduled late after
    # the fork (a loaded machine) found the verdict written already and the test failed
    import os
    import time

    def loops(data):  # noqa: ARG001
        while True:
            time.sleep(1)

    forked = []

    def fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    real_fork = os.fork
    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(excel, "_parse_everything", loops)
    monkeypatch.setattr(excel, "TRIAL_SECONDS", 0.05)
    monkeypatch.setattr(excel, "_TRIALS", {})
    data = (SP / "kz_two_sheets.xls").read_bytes() + b"\x00"  # bytes no earlier trial saw
    verdict = excel._trial_parse(data)
    assert verdict["open"].startswith("the reader did not finish in")
    (pid,) = forked
    with pytest.raises(ChildProcessError):  # reaped: no such child any more
        os.waitpid(pid, os.WNOHANG)
    with pytest.raises(DataError, match="did not finish"):
        excel.read_rows("slow.xls", data)


def test_zip_with_a_damaged_header_is_a_data_error(tmp_path, capsys):
    # a byte flipped in the central directory ("version needed to extract" 11.9): zipfile
    # raises NotImplementedError, which the archive check let through as an internal error
    data = bytearray((SP / f"{BOOK}.ods").read_bytes())
    at = data.index(b"PK\x01\x02")
    data[at + 6:at + 8] = (119).to_bytes(2, "little")
    path = tmp_path / "damaged.ods"
    path.write_bytes(bytes(data))
    code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1, err
    assert f"{path}: not a readable workbook: a damaged zip file" in err and "internal error" not in err


def test_ods_whose_mimetype_entry_is_damaged_is_still_called_an_ods(tmp_path):
    # its central directory points the mimetype entry past the end of the file: the zip
    # opens, the mimetype cannot be read (zipfile raised ValueError "negative seek value" for
    # another such offset, an internal error); the file is an OpenDocument one all the same
    data = bytearray((SP / f"{BOOK}.ods").read_bytes())
    at = data.index(b"PK\x01\x02")  # the first central directory entry: mimetype
    assert data[at + 46:at + 54] == b"mimetype"
    data[at + 42:at + 46] = (0x7FFFFFF0).to_bytes(4, "little")
    assert excel.workbook_format(bytes(data)) == "ods"
    path = tmp_path / "damaged_mimetype.ods"
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match="not a readable OpenDocument .ods spreadsheet"):
        ingest([str(path)])


@pytest.mark.parametrize("ext", OTHERS)
def test_mutated_workbooks_are_refused_or_read_never_a_crash(ext, tmp_path):
    # cut short, bytes flipped, a run zeroed: each copy is read or refused with a located
    # DataError/InputFileError -- never an internal error (ValueError, NotImplementedError,
    # a calamine panic or abort: those were found this way)
    from clusterid.errors import ClusteridError

    rng = __import__("random").Random(9)
    src = (SP / f"{BOOK}.{ext}").read_bytes()
    for i in range(12):
        data = bytearray(src)
        if i % 3 == 0:
            data = data[: rng.randrange(8, len(data))]
        elif i % 3 == 1:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        else:
            at = rng.randrange(len(data) - 64)
            data[at:at + 64] = bytes(64)
        path = tmp_path / f"m{i}.{ext}"
        path.write_bytes(bytes(data))
        try:
            ingest([str(path)])
        except ClusteridError as exc:
            assert str(path) in str(exc) or any(str(path) == p.path for p in getattr(exc, "problems", [])), exc


def test_excel95_workbook_with_cp1251_text(reference):
    # an Excel 5.0/95 (BIFF5) workbook keeps its text in the code page its CODEPAGE record
    # names (1251 here), not in UTF-16 as BIFF8 does: the Cyrillic must be decoded by it
    path = SP / "kz_excel95_cp1251.xls"
    raw = path.read_bytes()
    assert "Акмолинская область".encode("cp1251") in raw
    assert "Акмолинская область".encode("utf-16-le") not in raw
    df, meta = ingest([str(path)])
    assert meta["readers"][str(path)]["format"] == "xls"
    assert comparable(df).equals(comparable(reference[0]))
    assert "область Жетісу" in set(df["region"])  # cp1251's і (0xB3)


def test_ods_date_and_float_cells_as_the_sheet_shows_them(tmp_path):
    # a date cell is its ISO date (read as a period, as in xlsx and xls); a float with binary
    # noise is the number the sheet shows; an integer has no '.0'
    cell = '<table:table-cell office:value-type="{t}" office:{k}="{v}"><text:p>{v}</text:p></table:table-cell>'
    rows = ("<table:table-row>" + cell.format(t="date", k="date-value", v="2016-06-30")
            + cell.format(t="float", k="value", v="0.30000000000000004")
            + cell.format(t="float", k="value", v="2203") + "</table:table-row>")
    path = _ods(tmp_path, rows)
    got, lines, _ = excel.read_rows(str(path), path.read_bytes())
    assert got == [["2016-06-30", "0.3", "2203"]] and lines == [1]
