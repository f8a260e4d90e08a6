"""Malformed inputs (session 23): each must give one line naming the file (line, column,
expected, found where there are such), exit non-zero, and no output file -- never a traceback
or an 'internal error'."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import run_main


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Table 1"
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            part = change(name, src.read(name))
            if part is not None:
                dst.writestr(name, part)
    return out.getvalue()


_ROWS = [["region", "industry", "year", "employment"], ["A", "C", 2020, 5], ["B", "C", 2020, 7],
         ["A", "F", 2020, 3], ["B", "F", 2020, 4]]


def test_an_xlsx_whose_sheet_is_cut_inside_a_sound_zip_is_said_so(tmp_path, capsys):
    """A sheet part cut short (a workbook written by a program that stopped, or repaired by
    a zip tool) inside a zip that opens: openpyxl's ParseError surfaced as 'internal error:
    ParseError: no element found', exit 2."""
    cut = _rezip(_xlsx(_ROWS), lambda n, d: d[: len(d) // 2] if n.endswith("sheet1.xml") else d)
    for name in ("book.xlsx", "book.csv"):  # by content, under any name
        src = tmp_path / name
        src.write_bytes(cut)
        out = tmp_path / "out.csv"
        code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
        assert code == 1, err
        assert "internal error" not in err and len(err.strip().splitlines()) == 1
        assert f"{src}: sheet 'Table 1' of this xlsx workbook is unreadable" in err
        assert "ParseError" in err and not out.exists()


def test_a_damaged_sheet_before_the_table_does_not_stop_it(tmp_path, capsys):
    """A notes sheet first, then a damaged sheet, then the table: the sheets are looked
    through for the first holding figures, and the damaged one stopped them with an internal
    error; it is passed over (as calamine's formats already did) and the table read."""
    from openpyxl import Workbook

    wb = Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes.append(["Source: made up"])
    wb.create_sheet("Chart data").append(["x", 1])
    table = wb.create_sheet("Table")
    for r in _ROWS:
        table.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    cut = _rezip(buf.getvalue(), lambda n, d: d[: len(d) // 2] if n.endswith("sheet2.xml") else d)
    src = tmp_path / "book.xlsx"
    src.write_bytes(cut)
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    assert "internal error" not in err
    assert out.read_text().count("\n") == 5


def test_a_utf16_file_cut_at_an_odd_byte_is_said_as_cut(tmp_path, capsys):
    """A UTF-16 file (Excel's 'Unicode Text', with its byte-order mark) cut at an odd byte
    was 'NUL byte in a text file (binary data, or UTF-16 without a byte-order mark?); give
    --encoding utf-16': it has the mark, and --encoding utf-16 failed the same way."""
    text = "region\tindustry\tyear\temployment\nA\tC\t2020\t5\nB\tC\t2020\t7\n"
    src = tmp_path / "unicode_text.txt"
    src.write_bytes(text.encode("utf-16")[:-1])
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out), "--classification", "custom"], capsys)
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1 and "NUL" not in err
    assert f"{src}:3: UTF-16-LE text (so its byte-order mark says) cut inside a character at its end" in err
    assert "download or copy it again" in err and not out.exists()


_QCEW_HEAD = ('"area_fips","own_code","industry_code","agglvl_code","size_code","year","qtr",'
              '"disclosure_code","area_title","own_title","industry_title","agglvl_title",'
              '"size_title","qtrly_estabs_count","month1_emplvl","month2_emplvl","month3_emplvl",'
              '"total_qtrly_wages","taxable_qtrly_wages","qtrly_contributions","avg_wkly_wage"\n')


def test_a_qcew_file_cut_inside_a_quoted_title_says_it_ends_there(tmp_path, capsys):
    """A BLS by-area file whose download stopped inside a title ("...","Federal Govern) was
    'unreadable CSV row: unexpected end of data; an unbalanced quote?'."""
    rows = ['"49001","0","10","70","0","2016","1","","Beaver County, Utah","Total Covered",'
            '"10 Total, all industries","County, Total Covered","All establishment sizes",233,'
            '2779,2789,2817,23585569,16476583,95285,649\n',
            '"49001","5","10","71","0","2016","1","","Beaver County, Utah","Private",'
            '"10 Total, all industries","County, Total -- by ownership sector",'
            '"All establishment sizes",200,2100,2110,2120,17585569,12476583,85285,640\n',
            '"49001","1","10","71","0","2016","1","","Beaver County, Utah","Federal Govern']
    src = tmp_path / "2016.q1-q4 49001 Beaver County, Utah.csv"
    src.write_text(_QCEW_HEAD + "".join(rows))
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1
    assert f"{src}:4: the file ends inside a quoted cell" in err
    assert "cut short" in err and not out.exists()


_QCEW_ROW = ('"{area}","0","10","70","0","2016","1","{disc}","Beaver County, Utah","Total Covered",'
             '"10 Total, all industries","County, Total Covered","All establishment sizes",233,'
             '2779,2789,2817,23585569,16476583,95285,649\n')


def test_qcew_files_saved_with_a_bom_and_joined_with_cat(tmp_path, capsys):
    """Two BOM-saved by-area files joined with cat, the second's header left out: its first
    row's area read '\\ufeff"49003"' and the pass locating it met no area_fips column (the
    first heading, read '\\ufeff"area_fips"', was cleaned to '"area_fips'): 'internal error:
    TypeError'.  The BOM is no part of the cell: the row is Box Elder's."""
    bom = "\ufeff"
    src = tmp_path / "joined.csv"
    src.write_text(bom + _QCEW_HEAD + _QCEW_ROW.format(area="49001", disc="")
                   + bom + _QCEW_ROW.format(area="49003", disc=""), encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    assert sorted(r.split(",")[1] for r in out.read_text().splitlines()[1:]) == ["49001", "49003"]


def test_a_bad_code_in_a_bom_saved_qcew_file_is_located(tmp_path, capsys):
    src = tmp_path / "bom.csv"
    src.write_text("\ufeff" + _QCEW_HEAD + _QCEW_ROW.format(area="49001", disc="")
                   + _QCEW_ROW.format(area="4900X", disc="Q"), encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 1, err
    assert "internal error" not in err
    assert f"{src}:3: column 'area_fips': not a QCEW area code" in err
    assert f"{src}:3: column 'disclosure_code': unknown disclosure code" in err


@pytest.mark.parametrize(("name", "text", "said"), [
    # a portal's error page saved under the data's name (wget / a browser's "save as")
    ("cbp21co.csv", "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>"
     "<h1>Not Found</h1></body></html>\n",
     "an HTML page holding no table (its title: '404 Not Found'), not the data"),
    # a cloud store's answer to a link that expired
    ("nama_10r_3empers.csv", '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied'
     "</Code><Message>Access Denied</Message></Error>\n",
     "an XML document (its root <Error>), not a table"),
    # Eurostat's SDMX-ML download (the XML beside SDMX-CSV and TSV)
    ("nama_10r_3empers.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<message:GenericData '
     'xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">\n'
     "<message:DataSet></message:DataSet></message:GenericData>\n",
     "an SDMX-ML (XML) dataset (<message:GenericData>), not a table clusterid reads"),
])
def test_markup_that_is_no_table_says_what_it_is(tmp_path, capsys, name, text, said):
    """Each was read as a table whose header was its first line: "no region column
    recognised (found '<?xml version=...')" -- or, for the error page, told to save an HTML
    table it does not hold as xlsx."""
    src = tmp_path / name
    src.write_text(text)
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 2, err
    assert f"{src}: {said}" in err and len(err.strip().splitlines()) == 1
    assert "no region column" not in err


def test_a_table_cut_inside_its_last_row_says_it_is_cut(tmp_path, capsys):
    """A CSV whose download stopped mid-row ('C,C,20', no line end) was 'a separator inside an
    unquoted value, or a missing value?'; a short row with its line end still is."""
    head = "region,industry,year,employment\nA,C,2020,5\nB,C,2020,7\n"
    src = tmp_path / "cut.csv"
    src.write_text(head + "C,C,20")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv"),
                                "--classification", "custom"], capsys)
    assert code == 1, err
    assert f"{src}:4: row has 3 fields, the header has 4" in err
    assert "the file ends in this row, without a line end: it is cut short?" in err
    src.write_text(head + "C,C,2020\n")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv"),
                                "--classification", "custom"], capsys)
    assert code == 1 and "a separator inside an unquoted value, or a missing value?" in err
