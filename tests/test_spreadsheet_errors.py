"""Spreadsheet error cells (#DIV/0!, #N/A, #REF! ...) in xlsx, xls, xlsb and ods.

python-calamine (xls, xlsb, ods) gives an error cell as "" -- the same as an empty cell, which
the generic reader takes for a withheld figure: a broken formula became a "suppressed"
statistic, exit 0.  openpyxl (xlsx) gives the error's text, which the generic reader refuses
on its line ("a spreadsheet error value ... found '#DIV/0!'").  Every format must now do what
the xlsx does.  The generic reader says so wherever the error stands, for a CSV saved from a
spreadsheet too: a figure, a key or name column (once read as a region called '#REF!'), the
first data row (once dropped as a second heading row).

The workbooks are written here, each by its own writer, with the error cells put where the
test knows them: xlsx by xlsxwriter (a formula with its cached error, as Excel saves it); xls
by xlwt (a BOOLERR error cell, and a FORMULA record whose cached result is an error: xlwt
writes every formula's result as an empty string, so its FormulaRecord is patched for the
write); xlsb by pyxlsbwriter, a marker number's BrtCellReal record then replaced by a
BrtCellError or BrtFmlaError record; ods as LibreOffice writes an error cell (an empty
``office:string-value``, ``calcext:value-type="error"``, the error's text in ``<text:p>``).
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from clusterid.errors import DataError
from clusterid.io.ingest import IngestOptions, ingest
from clusterid.io.readers import excel
from conftest import TEST_DATA, run_main
from ods_files import write_ods_xml

# BIFF error codes
NA, DIV0, REF, VALUE = 0x2A, 0x07, 0x17, 0x0F
TEXT = {NA: "#N/A", DIV0: "#DIV/0!", REF: "#REF!", VALUE: "#VALUE!"}
FORMATS = ("xlsx", "xls", "xlsb", "ods")

HEADER = ["region", "industry", "employment"]
ROWS = [HEADER, ["01001", "23", 120], ["01001", "31", None], ["01003", "23", 80], ["01003", "31", None],
        ["01005", "23", None]]
# (row, column) 0-based -> (error code, written as a formula's cached result?)
ERRORS = {(2, 2): (NA, False), (4, 2): (DIV0, True)}  # row 6's cell is left empty: suppressed


# --- writers -------------------------------------------------------------------------------

def write_xlsx(path, rows, errors, sheet="T"):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    for (r, c), (code, _formula) in errors.items():
        ws.write_formula(r, c, "=1/0" if code == DIV0 else "=NA()", None, TEXT[code])
    wb.close()
    return path


def write_xls(path, sheets: dict[str, tuple[list, dict]]):
    """``{sheet name: (rows, errors)}``: BOOLERR cells, or FORMULA records with a cached error."""
    import xlwt
    from xlwt import BIFFRecords

    formula_codes: dict[tuple[int, int], int] = {}
    original = BIFFRecords.FormulaRecord.__init__

    def formula_record(self, row, col, xf_index, rpn, calc_flags=0):
        # result bytes: 02 (an error), 00, the error code, 00 00 00, FF FF
        result = 0xFFFF000000000002 | (formula_codes[row, col] << 16)
        self._rec_data = struct.pack("<3HQHL", row, col, xf_index, result, calc_flags & 3, 0) + rpn

    wb = xlwt.Workbook()
    written = []
    for name, (rows, errors) in sheets.items():
        ws = wb.add_sheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None and (r, c) not in errors:
                    ws.write(r, c, v)
        for (r, c), (code, formula) in errors.items():
            if formula:
                ws.write(r, c, xlwt.Formula("1/0"))
                written.append(((r, c), code))
            else:
                ws.row(r).set_cell_error(c, code)  # xlwt's map of names is wrong for #VALUE!: codes
    BIFFRecords.FormulaRecord.__init__ = formula_record
    try:
        for (r, c), code in written:  # the last sheet's codes win on a clash: keep positions apart
            formula_codes[r, c] = code
        wb.save(str(path))
    finally:
        BIFFRecords.FormulaRecord.__init__ = original
    return path


def write_xlsb(path, rows, errors, sheet="T"):
    from pyxlsbwriter import XlsbWriter

    rows = [list(r) for r in rows]
    swaps = {}
    for i, ((r, c), (code, formula)) in enumerate(sorted(errors.items())):
        marker = 7_000_000.25 + i  # written as BrtCellReal (type 5, size 16: col, style, double)
        rows[r][c] = marker
        old = b"\x05\x10" + struct.pack("<IId", c, 0, marker)
        if formula:  # BrtFmlaError (11): cell, error, flags, an empty formula (cce 0, cb 0)
            new = b"\x0b\x13" + struct.pack("<IIBHII", c, 0, code, 0, 0, 0)
        else:  # BrtCellError (3): cell, error
            new = b"\x03\x09" + struct.pack("<IIB", c, 0, code)
        swaps[old] = new
    with XlsbWriter(str(path)) as writer:
        writer.add_sheet(sheet)
        writer.write_sheet(rows)
    out = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                for old, new in swaps.items():
                    assert data.count(old) == 1, "the marker cell's record is not where expected"
                    data = data.replace(old, new)
            zout.writestr(item, data)
    path.write_bytes(out.getvalue())
    return path


def ods_cell(v):
    if v is None:
        return "<table:table-cell/>"
    if isinstance(v, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{v}" calcext:value-type="float">'
                f"<text:p>{v}</text:p></table:table-cell>")
    return (f'<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>{v}</text:p>'
            "</table:table-cell>")


def ods_error(text, formula="of:=1/0", extra=""):
    """An error cell as LibreOffice writes it."""
    return (f'<table:table-cell table:formula="{formula}" office:value-type="string" office:string-value="" '
            f'calcext:value-type="error"{extra}><text:p>{text}</text:p></table:table-cell>')


def write_ods(path, rows, errors, sheet="T"):
    xml = []
    for r, row in enumerate(rows):
        cells = []
        for c, v in enumerate(row):
            if (r, c) in errors:
                code, _formula = errors[r, c]
                cells.append(ods_error(TEXT[code], "of:=NA()" if code == NA else "of:=1/0"))
            else:
                cells.append(ods_cell(v))
        xml.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    return write_ods_xml(path, "".join(xml), sheet)


def write_book(fmt, path, rows=ROWS, errors=ERRORS):
    if fmt == "xls":
        return write_xls(path, {"T": (rows, errors)})
    return {"xlsx": write_xlsx, "xlsb": write_xlsb, "ods": write_ods}[fmt](path, rows, errors)


def problems_of(path, **options):
    with pytest.raises(DataError) as info:
        ingest([str(path)], IngestOptions(period="2016", **options))
    return [(p.line, p.column, p.found) for p in info.value.problems], info.value.problems


# --- what calamine gives, and what the scanners find ---------------------------------------

@pytest.mark.parametrize("fmt", ("xls", "xlsb", "ods"))
def test_calamine_gives_an_error_cell_as_empty_and_the_scanner_finds_it(fmt, tmp_path):
    # the premise: without the scanner these cells are indistinguishable from the empty one
    from python_calamine import CalamineWorkbook

    path = write_book(fmt, tmp_path / f"e.{fmt}")
    cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    assert cells[2][2] == cells[4][2] == cells[5][2] == ""
    found = excel.error_cells(path.read_bytes(), fmt)
    key = "#0" if fmt == "xls" else "T"
    assert sorted(found[key]) == [(2, 2, "#N/A"), (4, 2, "#DIV/0!")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_error_in_a_measure_is_a_located_error_in_every_format(fmt, tmp_path):
    path = write_book(fmt, tmp_path / f"e.{fmt}")
    located, problems = problems_of(path)
    # sheet rows 3 and 5 (1-based), the measure's heading, the error's text; the empty cell
    # of row 6 is no problem (a withheld figure, as before)
    assert located == [(3, "employment", "#N/A"), (5, "employment", "#DIV/0!")]
    assert all(p.path == str(path) and p.message == "a spreadsheet error value" for p in problems)
    assert all(p.expected.startswith("a number or a suppression marker") for p in problems)
    # no --decimal/--thousands hint: no number format reads '#N/A'
    assert all(p.hint.startswith("the formula failed in the spreadsheet") and "--decimal" not in p.hint
               for p in problems)


def test_every_format_reports_the_same_problems_as_the_xlsx(tmp_path):
    reports = {fmt: problems_of(write_book(fmt, tmp_path / f"e.{fmt}"))[0] for fmt in FORMATS}
    assert reports["xls"] == reports["xlsb"] == reports["ods"] == reports["xlsx"]


@pytest.mark.parametrize("fmt", ("xls", "xlsb", "ods"))
def test_cli_exit_1_with_one_line_per_error_and_nothing_written(fmt, tmp_path, capsys):
    path = write_book(fmt, tmp_path / f"e.{fmt}")
    out = tmp_path / "out.csv"
    code, stdout, err = run_main(["ingest", str(path), "-o", str(out), "--period", "2016"], capsys)
    assert code == 1 and stdout == "" and not out.exists()
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]
    assert len(lines) == 2, err
    assert lines[0].startswith(f"clusterid: error: {path}:3: column 'employment': a spreadsheet error value")
    assert "found '#N/A'" in lines[0] and "found '#DIV/0!'" in lines[1] and f"{path}:5:" in lines[1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_error_cells_an_empty_measure_is_still_suppressed(fmt, tmp_path):
    # the scanner changes error cells only: the empty cells of the same table read as before
    path = write_book(fmt, tmp_path / f"ok.{fmt}", errors={})
    df, meta = ingest([str(path)], IngestOptions(period="2016"))
    status = dict(zip(zip(df["region"], df["industry"]), df["employment_status"]))
    assert status == {("01001", "23"): "reported", ("01001", "31"): "suppressed",
                      ("01003", "23"): "reported", ("01003", "31"): "suppressed",
                      ("01005", "23"): "suppressed"}
    assert "error_cells_unchecked" not in meta["readers"][str(path)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_error_in_an_industry_code_column_is_located(fmt, tmp_path):
    errors = {(3, 1): (REF, True)}  # the industry code of sheet row 4 is =#REF!
    path = write_book(fmt, tmp_path / f"c.{fmt}", errors=errors)
    located, problems = problems_of(path)
    assert located == [(4, "industry", "#REF!")], located
    assert problems[0].message == "a spreadsheet error value" and problems[0].expected == "an industry code"
    assert len(problems) == 1  # said once: not 'not a NAICS industry code' as well


@pytest.mark.parametrize("fmt", ("xls", "xlsb", "ods"))
def test_error_deep_in_a_long_sheet(fmt, tmp_path):
    # 3000 rows: an xls Workbook stream far past 4096 bytes (read through the FAT, where the
    # small files above sit in the OLE2 mini stream); the error's line is its sheet row
    rows = [HEADER] + [[f"{49001 + 2 * (i // 2):05d}", ("23", "31")[i % 2], 10 + i] for i in range(3000)]
    rows[2500][2] = None
    errors = {(2500, 2): (VALUE, False)}
    path = write_book(fmt, tmp_path / f"long.{fmt}", rows=rows, errors=errors)
    if fmt == "xls":
        stream = excel._ole_stream(path.read_bytes(), ("Workbook",))
        assert len(stream) > 4096  # the regular-sector path
    located, _ = problems_of(path)
    assert located == [(2501, "employment", "#VALUE!")]


def ole_with_mini_stream(stream: bytes, name: str = "Workbook") -> bytes:
    """A compound file (512-byte sectors) holding ``stream`` in its mini stream (64-byte
    sectors), as a writer that does not pad a small Workbook stream to 4096 bytes saves it:
    sector 0 the FAT, 1 the directory, 2 the MiniFAT, 3... the root entry's mini stream."""
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    mini = stream + b"\0" * (-len(stream) % 64)
    n_mini = len(mini) // 64
    assert n_mini <= 128, "one MiniFAT sector"
    mini_sectors = -(-len(mini) // 512)
    fat = [fat_sector, end, end] + [4 + i for i in range(mini_sectors - 1)] + [end]
    fat += [free] * (128 - len(fat))
    minifat = [i + 1 for i in range(n_mini - 1)] + [end] + [free] * (128 - n_mini)

    def entry(entry_name, kind, child, start, size):
        raw = (entry_name + "\0").encode("utf-16-le") if entry_name else b""
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, free, free, child)
                + b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16 + struct.pack("<III", start, size, 0))

    directory = (entry("Root Entry", 5, 1, 3, len(mini)) + entry(name, 2, free, 0, len(stream))
                 + entry("", 0, free, 0, 0) * 2)
    header = (excel.OLE2_MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 2, 1, end, 0)
              + struct.pack("<109I", 0, *([free] * 108)))
    assert len(header) == 512
    return (header + struct.pack("<128I", *fat) + directory + struct.pack("<128I", *minifat)
            + mini.ljust(mini_sectors * 512, b"\0"))


def test_small_xls_reads_its_workbook_stream_from_the_mini_stream(tmp_path):
    # xlwt (like Excel) pads the Workbook stream to 4096 bytes, out of the mini stream; other
    # writers do not: the same records, moved into the mini stream, give the same errors
    padded = write_xls(tmp_path / "padded.xls", {"T": (ROWS, ERRORS)}).read_bytes()
    stream = excel._ole_stream(padded, ("Workbook",))
    records, pos = [], 0
    while pos + 4 <= len(stream):  # the records up to the last sheet's EOF, without the padding
        typ, ln = struct.unpack_from("<HH", stream, pos)
        pos += 4 + ln
        if typ == 0x000A:
            records.append(pos)
    small = ole_with_mini_stream(stream[:records[-1]])
    assert len(stream[:records[-1]]) < 4096
    assert excel._ole_stream(small, ("Workbook", "Book")) == stream[:records[-1]]
    assert excel.error_cells(small, "xls") == {"#0": [(2, 2, "#N/A"), (4, 2, "#DIV/0!")]}
    path = tmp_path / "small.xls"
    path.write_bytes(small)
    located, _ = problems_of(path)  # calamine reads the same file: the cells are where it puts them
    assert located == [(3, "employment", "#N/A"), (5, "employment", "#DIV/0!")]


def test_xls_error_cells_belong_to_their_own_sheet(tmp_path):
    # three sheets; errors on the second only: the first reads, the second is refused
    good = [HEADER, ["01001", "23", 5], ["01003", "23", 7]]
    path = write_xls(tmp_path / "three.xls", {
        "2015": (good, {}),
        "2016": ([HEADER, ["01001", "23", 5], ["01003", "23", None]], {(2, 2): (DIV0, True)}),
        "2017": (good, {}),
    })
    assert excel.error_cells(path.read_bytes(), "xls") == {"#1": [(2, 2, "#DIV/0!")]}
    df, _ = ingest([str(path)], IngestOptions(period="2015", sheet="2015"))
    assert df["employment"].to_list() == [5.0, 7.0]
    located, _ = problems_of(path, sheet="2016")
    assert located == [(3, "employment", "#DIV/0!")]


def test_ods_repeated_error_cells_and_rows_are_each_an_error(tmp_path):
    # LibreOffice writes equal neighbours once with number-*-repeated: each cell they stand for
    # is an error; a LibreOffice-only error (Err:502) is one too
    rows = ["<table:table-row>" + "".join(ods_cell(h) for h in ["region", "industry", "employment", "firms"])
            + "</table:table-row>",
            "<table:table-row>" + ods_cell("01001") + ods_cell("23")
            + ods_error("#N/A", extra=' table:number-columns-repeated="2"') + "</table:table-row>",
            '<table:table-row table:number-rows-repeated="2">' + ods_cell("01003") + ods_cell("23")
            + ods_cell(4) + ods_error("Err:502", "of:=SQRT(-1)") + "</table:table-row>"]
    path = write_ods_xml(tmp_path / "rep.ods", "".join(rows))
    assert sorted(excel.error_cells(path.read_bytes(), "ods")["T"]) == [
        (1, 2, "#N/A"), (1, 3, "#N/A"), (2, 3, "Err:502"), (3, 3, "Err:502")]
    located, _ = problems_of(path)
    # (the two repeated rows are also one key twice, said as a duplicate, which is not ours)
    located = [p for p in located if p[1] is not None]
    assert sorted(located, key=str) == sorted([(2, "employment", "#N/A"), (2, "firms", "#N/A"),
                                               (3, "firms", "Err:502"), (4, "firms", "Err:502")], key=str)


def test_ods_formula_text_that_is_no_error_is_not_taken_for_one(tmp_path):
    # a formula whose string result is text ("n/a" from =IF(...)) is that text, read by calamine
    cell = ('<table:table-cell table:formula="of:=IF(1;&quot;x&quot;;0)" office:value-type="string" '
            'office:string-value="x" calcext:value-type="string"><text:p>x</text:p></table:table-cell>')
    rows = ("<table:table-row>" + "".join(ods_cell(h) for h in HEADER) + "</table:table-row>"
            "<table:table-row>" + ods_cell("01001") + ods_cell("23") + cell + "</table:table-row>")
    path = write_ods_xml(tmp_path / "x.ods", rows)
    assert excel.error_cells(path.read_bytes(), "ods") == {}
    df, _ = ingest([str(path)], IngestOptions(period="2016"))
    assert df["employment_status"].to_list() == ["suppressed"] and df["employment_flag"].to_list() == ["x"]


def test_records_that_cannot_be_walked_are_said_not_silent(tmp_path):
    assert set(excel._scan_errors(excel.OLE2_MAGIC + b"\0" * 600, "xls", [])) == {
        "errors_unchecked"}
    assert "errors_unchecked" in excel._scan_errors(b"PK\x03\x04 no zip", "xlsb", [])
    # an ods whose content.xml breaks off (calamine reads nothing then): the scanner says why
    # it stopped, and keeps the sheets that ended before the break
    path = write_ods(tmp_path / "e.ods", ROWS, ERRORS)
    merged, errors, failed = excel._ods_scan(path.read_bytes())
    assert failed is None and len(errors["T"]) == 2

    def cut(at: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
            for item in zin.infolist():
                body = zin.read(item.filename)
                zout.writestr(item, body[:body.rindex(at)] if item.filename == "content.xml" else body)
        return out.getvalue()

    _merged, errors, failed = excel._ods_scan(cut(b"</office:spreadsheet>"))  # after the sheet
    assert failed.startswith("ParseError") and len(errors["T"]) == 2
    _merged, errors, failed = excel._ods_scan(cut(b"</table:table-row>"))  # in its last row
    assert failed.startswith("ParseError") and errors == {}


def test_unchecked_error_cells_are_named_in_the_metadata(tmp_path, monkeypatch):
    # when an xlsb's records cannot be walked, the table is read as calamine gives it and
    # the reader's details say that error cells could not be told from empty ones
    def broken(data):
        raise ValueError("a record cut short")

    monkeypatch.setattr(excel, "_xlsb_walk", broken)
    # a file no other test has parsed (the trial parse's verdict is kept by content)
    path = write_xlsb(tmp_path / "u.xlsb", ROWS + [["01007", "23", 3]], {})
    df, meta = ingest([str(path)], IngestOptions(period="2016"))
    assert meta["readers"][str(path)]["error_cells_unchecked"] == "ValueError: a record cut short"
    assert df.height == 6
    assert [w for w in meta["warnings"] if "error cells" in w] == [
        f"{path}: its error cells (#N/A, #DIV/0!) could not be looked for (ValueError: a record cut "
        "short): a failed formula in it reads as an empty cell (suppressed)"]


def test_unchecked_error_cells_are_said_on_stderr_once(tmp_path, monkeypatch, capsys):
    def broken(data):
        raise ValueError("a record cut short")

    monkeypatch.setattr(excel, "_xlsb_walk", broken)
    path = write_xlsb(tmp_path / "w.xlsb", ROWS + [["01009", "23", 4]], {})  # bytes of its own
    code, _stdout, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv"), "--period", "2016"],
                                  capsys)
    assert code == 0, err
    said = [ln for ln in err.splitlines() if "error cells" in ln]
    assert said == [f"warning: {path}: its error cells (#N/A, #DIV/0!) could not be looked for "
                    "(ValueError: a record cut short): a failed formula in it reads as an empty cell "
                    "(suppressed)"], err


@pytest.mark.parametrize("name", ["Workbook", "WORKBOOK", "Book", "book"])
def test_xls_workbook_stream_found_by_any_case_and_as_excel95_book(name, tmp_path):
    # OLE2 compares stream names case-blind; an Excel 5/95 file names its stream "Book"
    stream = excel._ole_stream(write_xls(tmp_path / "p.xls", {"T": (ROWS, ERRORS)}).read_bytes(), ("Workbook",))
    data = ole_with_mini_stream(stream[:1800], name)
    assert excel.error_cells(data, "xls") == {"#0": [(2, 2, "#N/A"), (4, 2, "#DIV/0!")]}
    with pytest.raises(ValueError, match="no Workbook stream"):
        excel._ole_stream(ole_with_mini_stream(stream[:1800], "Sheet"), ("Workbook",))


@pytest.mark.parametrize("cut", [1024, 4864, 9216])
def test_truncated_xls_is_a_value_error_and_one_line_on_the_cli(cut, tmp_path, capsys):
    # cut through its FAT and directory: the stream cannot be read (ValueError, which the
    # reader turns into "error cells unchecked"), and calamine refuses the file: one line
    data = (TEST_DATA / "spreadsheets" / "qcew_beaver_2016_annual.xls").read_bytes()[:cut]
    with pytest.raises(ValueError, match="unreadable OLE2 file"):
        excel.error_cells(data, "xls")
    path = tmp_path / "cut.xls"
    path.write_bytes(data)
    code, stdout, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and stdout == "" and not (tmp_path / "o.csv").exists()
    assert err.splitlines() == [err.strip()] and err.startswith(
        f"clusterid: error: {path}: not a readable Excel 97-2003 .xls workbook"), err


@pytest.mark.parametrize("exc", [OSError("incomplete OLE sector"), struct.error("unpack requires 4 bytes"),
                                 IndexError("array index out of range")])
def test_olefile_errors_are_value_errors_and_a_warning(exc, tmp_path, monkeypatch, capsys):
    # olefile raises its own errors (OleFileError is an OSError) and, on a damaged file,
    # struct's and IndexError: error_cells gives each as a ValueError, the cells are read
    # unchecked and the run says so
    import olefile

    def broken(*args, **kwargs):
        raise exc

    monkeypatch.setattr(olefile, "OleFileIO", broken)
    rows = ROWS + [["01011", "23", 9], ["01013", "23", len(str(exc))]]  # bytes no other test has
    path = write_xls(tmp_path / "o.xls", {"T": (rows, {})})
    with pytest.raises(ValueError, match=f"unreadable OLE2 file [(]{type(exc).__name__}: "):
        excel.error_cells(path.read_bytes(), "xls")
    code, _stdout, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv"), "--period", "2016"],
                                  capsys)
    assert code == 0, err
    said = [ln for ln in err.splitlines() if "error cells" in ln]
    assert said == [f"warning: {path}: its error cells (#N/A, #DIV/0!) could not be looked for "
                    f"(ValueError: unreadable OLE2 file ({type(exc).__name__}: {exc})): a failed formula "
                    "in it reads as an empty cell (suppressed)"], err


@pytest.mark.parametrize(("text", "error"), [
    ("#DIV/0!", True), ("#N/A", True), (" #REF! ", True), ("#NAME?", True), ("#SPILL!", True),
    ("Err:502", True), ("n/a", False), ("#", False), ("(D)", False), ("#N/A2", False), ("", False),
    (None, False)])
def test_is_spreadsheet_error(text, error):
    assert excel.is_spreadsheet_error(text) is error


@pytest.mark.parametrize("fmt", FORMATS)
def test_error_in_a_region_name_column_is_located(fmt, tmp_path):
    rows = [["region", "region_name", "industry", "employment"], ["01001", "Autauga", "23", 5],
            ["01003", None, "23", 7]]
    path = write_book(fmt, tmp_path / f"n.{fmt}", rows=rows, errors={(2, 1): (NA, True)})
    located, _ = problems_of(path)
    assert located == [(3, "region_name", "#N/A")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_error_in_the_first_data_row_is_located(fmt, tmp_path):
    rows = [HEADER, ["01001", "23", None], ["01003", "23", 7], ["01005", "23", 9]]
    path = write_book(fmt, tmp_path / f"f.{fmt}", rows=rows, errors={(1, 2): (DIV0, True)})
    located, _ = problems_of(path)
    assert located == [(2, "employment", "#DIV/0!")]


# --- the generic reader: error values wherever they stand, in a CSV saved from a spreadsheet too

def write_csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_error_in_a_measure_says_what_it_is(tmp_path, capsys):
    # a CSV saved from Excel holds the error's text: not "not a number" with a --decimal hint
    path = write_csv(tmp_path / "m.csv", "region,industry,employment\n01001,23,120\n01001,31,#DIV/0!\n"
                                         "01003,23,80\n01003,31,(D)\n")
    code, stdout, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv"), "--period", "2016"], capsys)
    assert code == 1 and stdout == ""
    assert err.strip() == (
        f"clusterid: error: {path}:3: column 'employment': a spreadsheet error value (expected a number or a "
        "suppression marker like (D), x, .., -, found '#DIV/0!'); the formula failed in the spreadsheet; "
        "fix it there (or give the cell a suppression marker)"), err


def test_a_real_non_number_is_still_not_a_number(tmp_path):
    # only the exact error tokens change their message: '12a', '#N/A2' are what they were
    path = write_csv(tmp_path / "n.csv", "region,industry,employment\n01001,23,12a\n01003,23,#N/A2\n")
    _located, problems = problems_of(path)
    assert [(p.line, p.message, p.found) for p in problems] == [(2, "not a number", "12a"),
                                                                (3, "not a number", "#N/A2")]
    assert all("--decimal/--thousands" in p.hint for p in problems)


def test_csv_error_values_in_key_and_name_columns_are_located(tmp_path):
    path = write_csv(tmp_path / "k.csv", (
        "region,region_name,industry,industry_name,year,employment\n"
        "01001,Autauga,23,Construction,2016,5\n"
        "#REF!,Baldwin,23,Construction,2016,7\n"
        "01005,#N/A,23,Construction,2016,9\n"
        "01007,Bibb,#VALUE!,Construction,2016,3\n"
        "01009,Blount,23,Err:502,2016,4\n"
        "01011,Bullock,23,Construction,#N/A,6\n"
        "01013,Butler, #NAME? ,#N/A,2016,#DIV/0!\n"))
    with pytest.raises(DataError) as info:
        ingest([str(path)], IngestOptions())
    said = [(p.line, p.column, p.message, p.found) for p in info.value.problems]
    error = "a spreadsheet error value"
    # each cell once, nothing else of those rows ('not a NAICS industry code', 'not a period')
    assert said == [(3, "region", error, "#REF!"), (4, "region_name", error, "#N/A"),
                    (5, "industry", error, "#VALUE!"), (6, "industry_name", error, "Err:502"),
                    (7, "year", error, "#N/A"), (8, "employment", error, "#DIV/0!"),
                    (8, "industry", error, "#NAME?"), (8, "industry_name", error, "#N/A")], said
    assert all(p.hint == "the formula failed in the spreadsheet; fix it there" for p in info.value.problems
               if p.column != "employment")


def test_error_values_in_unit_and_flag_columns_are_located(tmp_path):
    # a '#N/A' unit read as none (the figure left in its own scale beside thousands), a '#N/A'
    # flag kept as the figure's flag with the figure 'reported'
    unit = write_csv(tmp_path / "u.csv", "region,industry,unit,employment\n01001,23,#N/A,5\n01003,23,THS,7\n")
    assert problems_of(unit)[0] == [(2, "unit", "#N/A")]
    flag = write_csv(tmp_path / "f.csv", "region,industry,emp,emp_f\n01001,23,5,#N/A\n01003,23,7,\n"
                                         "01005,23,,D\n")
    assert problems_of(flag)[0] == [(2, "emp_f", "#N/A")]


def test_canonical_table_saved_from_a_spreadsheet_says_its_error_values(tmp_path, capsys):
    # ingest's own layout, opened and saved again by a spreadsheet: a region '#REF!' was read
    # as a region (exit 0), a figure '#DIV/0!' as 'not a canonical value'
    src = write_csv(tmp_path / "s.csv", "region,industry,employment\n01001,23,5\n01003,23,6\n")
    out = tmp_path / "c.csv"
    assert run_main(["ingest", str(src), "-o", str(out), "--period", "2016"], capsys)[0] == 0
    lines = out.read_text().splitlines()
    assert lines[1].startswith("2016,01001,") and ",6.0," in lines[2]
    lines[1] = lines[1].replace("01001", "#REF!")
    lines[2] = lines[2].replace(",6.0,", ",#DIV/0!,")
    out.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as info:
        ingest([str(out)], IngestOptions(format="generic"))
    assert [(p.line, p.column, p.message, p.found) for p in info.value.problems] == [
        (2, "region", "a spreadsheet error value", "#REF!"),
        (3, "employment", "a spreadsheet error value", "#DIV/0!")]


@pytest.mark.parametrize(("header", "column"), [
    ("region,industry,2015,#REF!", "#REF!"),  # wide by year: after the periods
    ("region,industry,#REF!,2015,2016", "#REF!"),  # before them: was left out without a word
    ("region,23,31,#N/A", "#N/A")])  # wide by industry
def test_a_wide_tables_error_heading_is_said_as_one(tmp_path, header, column):
    width = header.count(",") + 1
    path = write_csv(tmp_path / "h.csv", f"{header}\n01001{',23' if 'industry' in header else ''}"
                                         + ",1" * (width - 1 - ("industry" in header)) + "\n")
    with pytest.raises(DataError) as info:
        ingest([str(path)], IngestOptions(period="2016"))
    assert [(p.column, p.message) for p in info.value.problems] == [
        (column, "a spreadsheet error value as a column heading")]


def test_an_error_value_is_not_filled_down_its_block(tmp_path):
    # a region named on the first row of its block only is filled down; a '#REF!' there was
    # carried to the block's rows, each said as holding '#REF!' where its cell is empty
    path = write_csv(tmp_path / "b.csv", "region,industry,employment\n#REF!,23,5\n,31,6\n01003,23,7\n,31,8\n")
    with pytest.raises(DataError) as info:
        ingest([str(path)], IngestOptions(period="2016"))
    assert [(p.line, p.message, p.found) for p in info.value.problems] == [
        (2, "a spreadsheet error value", "#REF!"), (3, "empty key cell", "")]


def test_custom_industry_codes_do_not_take_an_error_value(tmp_path):
    # --classification custom accepts any code: '#N/A' was an industry of its own, exit 0
    path = write_csv(tmp_path / "c.csv", "region,industry,employment\nA,steel,5\nA,#N/A,7\nB,steel,2\n")
    located, _ = problems_of(path, classification="custom")
    assert located == [(3, "industry", "#N/A")]


def test_text_that_only_looks_like_an_error_is_read(tmp_path):
    # a region named '#1 District', a name '#N/A2', 'n/a' and '(D)' markers: no error values
    path = write_csv(tmp_path / "t.csv", "region,region_name,industry,employment\n#1 District,#N/A2,23,5\n"
                                         "#2 District,N/A,23,(D)\n#3 District,Err:50,23,n/a\n")
    df, _ = ingest([str(path)], IngestOptions(period="2016"))
    assert sorted(zip(df["region"], df["region_name"], df["employment_status"])) == [
        ("#1 District", "#N/A2", "reported"), ("#2 District", "N/A", "suppressed"),
        ("#3 District", "Err:50", "suppressed")]


def test_on_error_skip_rejects_the_rows_of_error_values(tmp_path):
    path = write_csv(tmp_path / "s.csv", "region,region_name,industry,employment\n01001,Autauga,23,5\n"
                                         "01003,#N/A,23,7\n#REF!,Bibb,23,9\n01007,Blount,23,#DIV/0!\n"
                                         "01009,Bullock,23,4\n")
    df, meta = ingest([str(path)], IngestOptions(period="2016", on_error="skip"))
    assert df["region"].to_list() == ["01001", "01009"]
    assert meta["dropped"] == {"rejected: a spreadsheet error value": 3}


def test_wide_table_error_in_a_region_cell_said_once(tmp_path):
    # a table wide by year: the row is one region's over three periods, its bad cell said once
    path = write_csv(tmp_path / "w.csv", "region,industry,2015,2016,2017\n01001,23,1,2,3\n#N/A,23,4,5,6\n")
    located, _ = problems_of(path)
    assert located == [(3, "region", "#N/A")]


@pytest.mark.parametrize("error", ["#DIV/0!", "#VALUE!", "#NAME?", "#N/A"])
def test_csv_first_data_row_error_is_located_and_a_label_row_still_dropped(tmp_path, error):
    # '#VALUE!' has letters like a heading's words: still no second heading row
    path = write_csv(tmp_path / "f.csv", f"region,industry,employment,firms\n01001,23,{error},{error}\n"
                                         "01003,23,7,1\n")
    located, _ = problems_of(path)
    assert located == [(2, "employment", error), (2, "firms", error)]
    # beside it, a label row whose figures are words is the heading row it was
    label = write_csv(tmp_path / "l.csv", "region,industry,employment,firms\nGeography,Industry,"
                                          "Number of employees,Number of firms\n01003,23,7,1\n")
    df, meta = ingest([str(label)], IngestOptions(period="2016"))
    assert df.height == 1 and meta["dropped"] == {"label row under the header (a second heading row)": 1}


def test_a_row_of_error_values_is_no_header(tmp_path):
    # key columns without headings (GENESIS exports): the header is the last row of labels
    # above the first data row; a row of '#N/A' figures was that row ("duplicate column heading")
    path = write_csv(tmp_path / "g.csv", "Employment\n;;B;C\nBremen;2016;#N/A;#N/A\nHamburg;2016;5;6\n"
                                         "Berlin;2016;7;8\n")
    located, _ = problems_of(path)
    assert located == [(3, "B", "#N/A"), (3, "C", "#N/A")]


def test_a_header_with_a_failed_heading_is_still_the_header(tmp_path):
    # the other way round: a heading whose formula failed, under a title line, beside headings
    # that name their columns: the header (the row of '#N/A' figures above was not)
    path = write_csv(tmp_path / "h.csv", "Employment 2016\nregion,industry,employment,#REF!\n01001,23,1,2\n"
                                         "01003,23,4,5\n")
    df, meta = ingest([str(path)], IngestOptions(period="2016"))
    assert df["employment"].to_list() == [1.0, 4.0]
    assert meta["readers"][str(path)]["header_line"] == 2


@pytest.mark.parametrize("row", ["#REF!,,,", "#REF!"])
def test_a_lone_error_value_is_no_note_row(tmp_path, row):
    # a row of one filled first cell is a footnote (or a block's heading): dropped and counted;
    # a failed formula in the region column with no figures beside it is said on its line
    path = write_csv(tmp_path / "n.csv", f"region,industry,employment,firms\n01001,23,5,1\n{row}\n01003,23,7,1\n")
    with pytest.raises(DataError) as info:
        ingest([str(path)], IngestOptions(period="2016"))
    assert [(p.line, p.found) for p in info.value.problems] == [(3, "#REF!")]
    # (the same row in a workbook)
    book = write_xlsx(tmp_path / "n.xlsx", [["region", "industry", "employment", "firms"], ["01001", "23", 5, 1],
                                            [None], ["01003", "23", 7, 1]], {(2, 0): (REF, True)})
    located, _ = problems_of(book)
    assert located == [(3, "region", "#REF!")]


# --- merged cells of an xlsb ----------------------------------------------------------------
# calamine gives no merged ranges for xlsb (merged_cell_ranges is None): a label merged down
# over data rows was read in its first row only, and a column that the generic reader does not
# fill down (the industry) was refused row by row as "empty key cell" where the same xlsx was
# read.  The BrtMergeCell records are now read from the sheet's part.

MERGED_ROWS = [["industry", "region", "employment"], ["C", "DE1", 5], [None, "DE2", 7], [None, "DE3", 9],
               ["F", "DE1", 2], [None, "DE2", 4], [None, "DE3", 6]]
MERGES = [(1, 3, 0), (4, 6, 0)]  # first row, last row (0-based), column


def add_xlsb_merges(path, merges):
    """BrtBeginMergeCells (177), a BrtMergeCell (176: rows first-last, columns first-last) per
    range, BrtEndMergeCells (178), after the sheet's BrtEndSheetData (146) as Excel places them."""
    recs = b"\xb1\x01\x04" + struct.pack("<I", len(merges))
    for r0, r1, c in merges:
        recs += b"\xb0\x01\x10" + struct.pack("<4I", r0, r1, c, c)
    recs += b"\xb2\x01\x00"
    out = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                assert data.count(b"\x92\x01\x00") == 1
                data = data.replace(b"\x92\x01\x00", b"\x92\x01\x00" + recs)
            zout.writestr(item, data)
    path.write_bytes(out.getvalue())
    return path


def test_xlsb_merged_label_is_filled_as_in_the_xlsx(tmp_path):
    import xlsxwriter

    xlsx = tmp_path / "m.xlsx"
    wb = xlsxwriter.Workbook(str(xlsx))
    ws = wb.add_worksheet("T")
    for r, row in enumerate(MERGED_ROWS):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    for r0, r1, c in MERGES:
        ws.merge_range(r0, c, r1, c, MERGED_ROWS[r0][c])
    wb.close()
    xlsb = add_xlsb_merges(write_xlsb(tmp_path / "m.xlsb", MERGED_ROWS, {}), MERGES)
    assert excel._xlsb_walk(xlsb.read_bytes())[0] == {"T": [(1, 2, 4), (1, 5, 7)]}
    ref, ref_meta = ingest([str(xlsx)], IngestOptions(period="2016"))
    df, meta = ingest([str(xlsb)], IngestOptions(period="2016"))
    private = [c for c in df.columns if c.startswith("_")]
    assert df.drop(private).sort(["industry", "region"]).equals(ref.drop(private).sort(["industry", "region"]))
    assert sorted(zip(df["industry"], df["region"], df["employment"])) == [
        ("C", "DE1", 5.0), ("C", "DE2", 7.0), ("C", "DE3", 9.0), ("F", "DE1", 2.0), ("F", "DE2", 4.0),
        ("F", "DE3", 6.0)]
    assert meta["readers"][str(xlsb)]["merged_cells_filled"] == 4
    assert ref_meta["readers"][str(xlsx)]["merged_cells_filled"] == 4


def test_xlsb_without_its_merges_refuses_the_rows_it_cannot_key(tmp_path):
    # the same sheet without merge records (as calamine alone saw every xlsb): refused on each
    # row, never a table with the industry guessed
    xlsb = write_xlsb(tmp_path / "n.xlsb", MERGED_ROWS, {})
    with pytest.raises(DataError) as info:
        ingest([str(xlsb)], IngestOptions(period="2016"))
    empty = [(p.line, p.column) for p in info.value.problems if p.message == "empty key cell"]
    assert empty == [(3, "industry"), (4, "industry"), (6, "industry"), (7, "industry")]
