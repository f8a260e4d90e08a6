"""Workbooks -> rows of strings for the generic reader: xlsx (openpyxl, read-only mode), and
legacy Excel xls (BIFF8), Excel binary xlsb and OpenDocument ods (python-calamine, the Rust
calamine reader).

The format is told by content, not by name (:func:`workbook_format`): an OLE2 compound file
(``D0 CF 11 E0``) is xls, a zip holding ``xl/workbook.bin`` xlsb, a zip whose ``mimetype`` is
``application/vnd.oasis.opendocument.spreadsheet`` ods, any other zip xlsx.  Every format goes
the same way: one sheet (``--sheet`` by name or number, else the first with figures), line
numbers are sheet rows, cells merged down over data rows are filled (calamine gives those of
xls; those of xlsb, which calamine does not give, are read from its BrtMergeCell records, those
of ods from its XML), other sheets with figures are named for a warning (or read too, one by
one, when the generic reader finds a workbook of one sheet per section).

Title rows above the header and merged title cells are left for
:func:`clusterid.io.readers.generic_raw.find_header` to skip; numbers come back as plain decimal
strings (``1234``, ``1234.5``) so the generic number parsing reads them unchanged.  A number
cell is a binary float in every format; it is written with the 15 significant digits a
spreadsheet keeps and shows (``2203.0000000000005`` -- the sum of other cells -- is ``2203``,
``0.30000000000000004`` is ``0.3``), integers without ``.0``, never in exponent notation; a
date cell is its ISO date (``2016-06-30``), read as a period.

xlsx stays with openpyxl: calamine read every xlsx of the tests alike and ~3x faster (a 60,000
row sheet: 1.4 s against 4.6 s for the whole ingest), but python-calamine gives an error cell
(``#N/A``, ``#DIV/0!``) as an empty cell, which the generic reader takes for a withheld
figure, where openpyxl gives its text.  The same held for xls, xlsb and ods, which only
calamine reads here: their error cells are found in the file's own records instead
(:func:`error_cells`: BIFF8 BOOLERR/FORMULA records, xlsb BrtCellError/BrtFmlaError, ods
cells marked ``calcext:value-type="error"``) and given as their text, as openpyxl gives an
xlsx's, so a broken formula is "a spreadsheet error value ... found '#DIV/0!'" on its sheet
row in every format (a figure, a key or a name cell alike), never a suppressed cell.  Where those records cannot be
walked the reader's details say ``error_cells_unchecked``.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from decimal import Decimal

from clusterid.errors import DataError, Problem, UsageError

NAME = "excel"

# the workbook formats read, as ``workbook_format`` names them (``format`` in the metadata)
FORMATS = ("xlsx", "xls", "xlsb", "ods")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _is_interruption(exc: BaseException) -> bool:
    """Ctrl-C or a signal (the CLI's Interrupted), an exit: passed on, never read as a damaged
    workbook.  pyo3's PanicException is a BaseException too, hence the catch-alls here."""
    return (isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit))
            or type(exc).__name__ == "Interrupted")


def workbook_format(data: bytes) -> str | None:
    """``xls``, ``xlsb``, ``ods`` or ``xlsx`` by the bytes of a workbook, None for other bytes.

    An OLE2 compound file is taken for xls (an encrypted xlsx is one too: the reader says it
    cannot open it); a zip is xlsb with ``xl/workbook.bin``, ods with an OpenDocument
    spreadsheet ``mimetype``, else xlsx (a corrupt zip too: the xlsx reader says what is wrong).
    """
    if data[:8] == OLE2_MAGIC:
        return "xls"
    if data[:2] != b"PK":
        return None
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _zip_format(zf) or "xlsx"
    except Exception:  # noqa: BLE001 - a damaged zip (BadZipFile, ValueError "negative seek", ...)
        return "xlsx"


def _zip_format(zf) -> str | None:
    """``xlsb``, ``xlsx`` (a part under ``xl/``), ``ods`` or None for an open zip file."""
    names = set(zf.namelist())
    if "xl/workbook.bin" in names:
        return "xlsb"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "mimetype" in names:
        try:
            mimetype = zf.read("mimetype")
        except Exception:  # noqa: BLE001 - damaged: an OpenDocument file all the same
            return "ods"
        if mimetype.strip().startswith(ODS_MIMETYPE):
            return "ods"
    return None


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, _dt.datetime) and value.time() == _dt.time(0, 0):
        return value.date().isoformat()  # a date cell (a Stichtag): 2016-06-30, read as a period
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _float_text(value: float) -> str:
    """A number cell as the sheet shows it: 15 significant digits (what Excel and LibreOffice
    keep and show; the binary float's 16th-17th digits are noise of the arithmetic that made
    it), no exponent, no trailing zeros: ``2203``, ``2203.5``, ``0.3``, ``0.00000015``."""
    if value != value or value in (float("inf"), float("-inf")):
        return repr(value)  # not a number: the generic reader says so, on its line
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = format(value, ".15g")
    if "e" in text:
        text = format(Decimal(text), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# numbers typed as text in a sheet's own convention: a decimal comma no other reading has
# ("13,1", "1 234,5", "1.234,5", "13,1¹⁾"), or a decimal point alike ("13.1", "1,234.5")
_FOOTNOTE = "(?:[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+[)\u207e]?)?"
_COMMA_DECIMAL_TEXT = re.compile(r"^\s*-?(?:\d+,(?:\d{1,2}|\d{4,})|\d{1,3}(?:[ \u00a0\u202f.]\d{3})+,\d+)"
                                 + _FOOTNOTE + r"\s*$")
_DOT_DECIMAL_TEXT = re.compile(r"^\s*-?(?:\d+\.(?:\d{1,2}|\d{4,})|\d{1,3}(?:[ \u00a0\u202f,]\d{3})+\.\d+)"
                               + _FOOTNOTE + r"\s*$")


def _texts(raw_rows) -> list[list[str | None]]:
    """A sheet's cells as text (:func:`_cell_text`).  A sheet whose numbers typed as text write a
    decimal comma (a yearbook's "13,1" and "1 234,5" beside number cells, as stat.gov.kz's and
    Rosstat's sheets mix them) gets its fractional number cells written with a decimal comma
    too: written "12.345", a number cell of 12.345 thousand was read by the comma convention the
    text cells set as 12,345 thousand (exit 0), and "12.5" was 'not a number'."""
    comma = False
    texts = [v for r in raw_rows for v in r if isinstance(v, str)]
    if any(_COMMA_DECIMAL_TEXT.match(t) for t in texts):
        comma = not any(_DOT_DECIMAL_TEXT.match(t) for t in texts)
    out = []
    for row in raw_rows:
        cells = [None if v == "" else
                 _float_text(v).replace(".", ",") if comma and isinstance(v, float) and v == v and not v.is_integer()
                 else _cell_text(v) for v in row]
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        out.append(cells)
    return out


def _sheet_rows(ws):
    rows = _texts([list(row) for row in ws.iter_rows(values_only=True)])
    return rows, list(range(1, len(rows) + 1))


_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def _merged_ranges(data: bytes, name: str) -> list[tuple[int, int, int]]:
    """``(column, first row, last row)`` (1-based) of the cells of sheet ``name`` merged over
    several rows; openpyxl's read-only mode does not give them (read from the sheet's XML)."""
    xml = _sheet_xml(data, name)
    if xml is None:
        return []
    out = []
    for m in _MERGE.finditer(xml):
        c1, r1, c2, r2 = m.groups()
        if int(r2) > int(r1):
            out.append((_column_index(c1), int(r1), int(r2)))
    return out


# a formula cell saved without its value (<c r="D3"><f>B3+C3</f><v/></c>): a workbook written
# by a program (openpyxl, pandas) and never opened in a spreadsheet; a string result is t="str"
_UNCACHED = re.compile(rb'<c\b(?P<attrs>[^>]*)>\s*<f\b[^>]*?(?:/>|>(?P<f>[^<]*)</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')


# a formula whose saved value is a writer's placeholder 0 (XlsxWriter writes <v>0</v> unless
# told the result), in a workbook flagged to be calculated when opened (calcPr fullCalcOnLoad)
_ZERO_CACHED = re.compile(rb'<c\b(?P<attrs>[^>]*)>\s*<f\b[^>]*?(?:/>|>(?P<f>[^<]*)</f>)\s*<v>\s*0\s*</v>\s*</c>')
_CALC_ON_LOAD = re.compile(rb'<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad="(?:1|true)"')


def uncached_formulas(data: bytes, name: str) -> list[tuple[int, str, str]]:
    """``(row, column letters, formula)`` of the formula cells of xlsx sheet ``name`` saved with
    no value: openpyxl gives them as empty, so a total computed in the sheet read as a
    suppressed cell.  In a workbook flagged to be calculated when opened (written by a program:
    XlsxWriter, Apache POI), a formula saved with the value 0 too: that 0 is the writer's
    placeholder, which Excel replaces on opening, and it was read as a published 0."""
    xml = _sheet_xml(data, name)
    out = []
    for m in _UNCACHED.finditer(xml or b""):
        attrs = m.group("attrs")
        ref = _CELL_REF.search(attrs)
        if ref is None or re.search(rb'\bt="str"', attrs):
            continue
        out.append((int(ref.group(2)), ref.group(1).decode(), "=" + _xml_text(m.group("f") or b"")))
    if xml and b"<f" in xml and _CALC_ON_LOAD.search(_book_xml(data)):
        for m in _ZERO_CACHED.finditer(xml):
            attrs = m.group("attrs")
            ref = _CELL_REF.search(attrs)
            if ref is None or re.search(rb'\bt="(?:str|s|b|e|inlineStr)"', attrs):
                continue
            formula = "=" + _xml_text(m.group("f") or b"") if m.group("f") else "a shared formula"
            out.append((int(ref.group(2)), ref.group(1).decode(),
                        f"{formula}, saved as 0 in a workbook to be calculated when opened"))
        out.sort()
    return out


# a number format of zeros only ("00000": Excel's Special > Zip Code, and the format a key column
# of German AGS (01001) or FIPS codes is given so the sheet shows its leading zeros): the cell
# holds the number 1001, the sheet shows 01001.  Read as its number, the Kreis Flensburg was
# region 1001, without its level, and no longer the 01001 of other tables
_PADDED_FORMAT = re.compile(r"^0{2,}$")
_NUM_FMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*\bnumFmtId="(\d+)"[^>]*\bformatCode="([^"]*)"')
_CELL_XFS = re.compile(rb'<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>', re.DOTALL)
_XF = re.compile(rb'<(?:\w+:)?xf\b([^>]*)')
_VALUE_CELL = re.compile(rb'<(?:\w+:)?c\b(?P<attrs>[^>]*)(?<!/)>(?:(?!</?(?:\w+:)?c\b).)*?<(?:\w+:)?v>(?P<v>[^<]*)</(?:\w+:)?v>',
                         re.DOTALL)


def _padded_styles(data: bytes) -> dict[int, int]:
    """``{cell style index: digits}`` of the xlsx's cell styles whose number format pads a
    whole number with zeros (:data:`_PADDED_FORMAT`); {} when there are none or the styles
    cannot be read."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            name = next((n for n in zf.namelist() if n.lower() == "xl/styles.xml"), None)
            styles = zf.read(name) if name else b""
    except Exception:  # noqa: BLE001 - a damaged zip: the reader says what is wrong
        return {}
    widths = {}
    for m in _NUM_FMT.finditer(styles):
        code = _xml_text(m.group(2)).split(";")[0].replace('"', "").replace("\\", "")
        if _PADDED_FORMAT.match(code):
            widths[int(m.group(1))] = len(code)
    if not widths:
        return {}
    xfs = _CELL_XFS.search(styles)
    out = {}
    for i, xf in enumerate(_XF.finditer(xfs.group(1) if xfs else b"")):
        fmt = re.search(rb'\bnumFmtId="(\d+)"', xf.group(1))
        if fmt and int(fmt.group(1)) in widths:
            out[i] = widths[int(fmt.group(1))]
    return out


def _padded_cells(data: bytes, name: str) -> dict[tuple[int, int], int]:
    """``{(row, column): digits}`` (1-based) of the number cells of xlsx sheet ``name`` shown
    with leading zeros (:func:`_padded_styles`); {} for a workbook without such a format."""
    styles = _padded_styles(data)
    if not styles:
        return {}
    xml = _sheet_xml(data, name) or b""
    out = {}
    for m in _VALUE_CELL.finditer(xml):
        attrs = m.group("attrs")
        style = re.search(rb'\bs="(\d+)"', attrs)
        ref = _CELL_REF.search(attrs)
        if style is None or ref is None or int(style.group(1)) not in styles:
            continue
        if re.search(rb'\bt="(?!n")', attrs):
            continue  # text, a shared string, a boolean, an error: shown as it is
        out[(int(ref.group(2)), _column_index(ref.group(1)))] = styles[int(style.group(1))]
    return out


def _pad_codes(rows: list, padded: dict[tuple[int, int], int]) -> list:
    """``rows`` (a sheet's texts, row 1 first) with each whole number of a zero-padded cell
    written as the sheet shows it (``1001`` under ``00000``: ``01001``)."""
    for (r, c), width in padded.items():
        if r <= len(rows) and c <= len(rows[r - 1]):
            text = rows[r - 1][c - 1]
            if text is not None and text.isdigit() and len(text) < width:
                rows[r - 1][c - 1] = text.zfill(width)
    return rows


def _book_xml(data: bytes) -> bytes:
    """The xlsx's xl/workbook.xml (b"" when it cannot be read)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.read("xl/workbook.xml")
    except Exception:  # noqa: BLE001 - KeyError, BadZipFile, zlib.error ...: nothing flagged
        return b""


def _sheet_xml(data: bytes, name: str) -> bytes | None:
    """The XML of xlsx sheet ``name``; None when it cannot be found or read."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            book = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
            rid = None
            for m in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", book):
                tag = m.group(0)
                n = re.search(rb'name="([^"]*)"', tag)
                r = re.search(rb'r:id="([^"]*)"', tag)
                if n and r and _xml_text(n.group(1)) == name:
                    rid = r.group(1)
            if rid is None:
                return None
            target = None
            for m in re.finditer(rb"<Relationship\b[^>]*>", rels):
                if re.search(rb'Id="' + re.escape(rid) + rb'"', m.group(0)):
                    t = re.search(rb'Target="([^"]*)"', m.group(0))
                    target = t.group(1).decode() if t else None
            if target is None:
                return None
            target = target.lstrip("/")
            return zf.read(target if target.startswith("xl/") else "xl/" + target)
    except Exception:  # noqa: BLE001 - KeyError, BadZipFile, zlib.error ...: none filled
        return None


def _hidden_tags(data: bytes, name: str, element: bytes) -> list[bytes]:
    """The start tags of xlsx sheet ``name``'s ``element`` (``row``, ``col``, with or without a
    namespace prefix) that say ``hidden="1"`` (or ``"true"``), in the sheet's order; [] when none
    is hidden or the sheet cannot be found."""
    xml = _sheet_xml(data, name)
    if not xml or b"hidden" not in xml:
        return []
    tags = (m.group(0) for m in re.finditer(rb"<(?:\w+:)?" + element + rb"\b[^>]*>", xml))
    return [tag for tag in tags if re.search(rb'\shidden="(?:1|true)"', tag)]


def hidden_rows(data: bytes, name: str) -> list[int]:
    """The sheet row numbers (1-based) of xlsx sheet ``name`` hidden in the workbook (``<row
    r="12" hidden="1">``): openpyxl's read-only mode gives them as any other row.  [] when
    none are hidden or the sheet cannot be found."""
    found = []
    for tag in _hidden_tags(data, name, b"row"):
        if r := re.search(rb'\sr="(\d+)"', tag):
            found.append(int(r.group(1)))
    return found


def hidden_columns(data: bytes, name: str) -> list[int]:
    """The sheet column numbers (0-based) of xlsx sheet ``name`` hidden in the workbook (``<col
    min="4" max="4" hidden="1"/>`` in its ``<cols>``): openpyxl's read-only mode and calamine
    give their cells as any other.  [] when none are hidden or the sheet cannot be found."""
    found: set[int] = set()
    for tag in _hidden_tags(data, name, b"col"):
        lo, hi = re.search(rb'\smin="(\d+)"', tag), re.search(rb'\smax="(\d+)"', tag)
        if lo and hi:
            # (a hidden range to the sheet's last column, max="16384": only the ones with cells count)
            found.update(range(int(lo.group(1)) - 1, min(int(hi.group(1)), int(lo.group(1)) + 1000)))
    return sorted(found)


def column_letters(index: int) -> str:
    """A 0-based column number as the sheet names it (0 -> A, 27 -> AB)."""
    out, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


def _ods_merged(data: bytes, name: str) -> list[tuple[int, int, int]]:
    """``(column, first row, last row)`` (1-based) of the cells of sheet ``name`` of an ods
    merged over several rows (``table:number-rows-spanned``), which calamine does not give
    (:func:`_ods_scan`).  [] when the part cannot be read (the cells are then read unfilled)."""
    merged, _errors, failed = _ods_scan(data)
    return [] if failed else merged.get(name, [])


_ODS_SCANS: dict[str, tuple] = {}  # sha1 of an ods's bytes -> _ods_scan's answer (opened 3x per ingest)


def _ods_scan(data: bytes):
    """``(merged, errors, failure)`` of an ods's sheets: ``merged`` ``{sheet: [(column, first
    row, last row)]}`` (1-based) of cells merged over several rows, ``errors`` ``{sheet: [(row,
    column, text)]}`` (0-based) of error cells, and None, or what stopped the reading of
    ``content.xml`` (the sheets read whole before it are kept).

    Read as the XML streams (each row when it ends; a sheet's name when it ends), counting
    repeated rows and cells as calamine places them.  An error cell is one LibreOffice marks
    ``calcext:value-type="error"`` (it writes an empty ``office:string-value``, which calamine
    reads, and the error's text in ``<text:p>``), or a formula cell whose text is an error value
    (``#DIV/0!``, ``Err:502``) and no other value.  Kept by content: the qcew adapter's look at a
    workbook and the generic reader open the same file up to three times."""
    import hashlib

    key = hashlib.sha1(data).hexdigest()
    if key not in _ODS_SCANS:
        padded: dict = {}
        hidden: dict = {}
        _ODS_SCANS[key] = _ods_walk(data, padded, hidden)
        _ODS_PADDED[key] = padded
        _ODS_HIDDEN[key] = hidden
    return _ODS_SCANS[key]


_ODS_PADDED: dict[str, dict] = {}  # sha1 of an ods's bytes -> its zero-padded number cells
_ODS_HIDDEN: dict[str, dict] = {}  # sha1 of an ods's bytes -> its hidden rows' ranges


def _ods_padded(data: bytes) -> dict[str, dict[tuple[int, int], int]]:
    """``{sheet: {(row, column): digits}}`` (0-based) of an ods's number cells shown with
    leading zeros (a key 01001 kept as the number 1001 under the format 00000: its text in the
    sheet is 01001, calamine gives 1001), from the walk of :func:`_ods_scan`."""
    import hashlib

    _ods_scan(data)
    return _ODS_PADDED.get(hashlib.sha1(data).hexdigest(), {})


def _ods_hidden(data: bytes) -> dict[str, list[tuple[int, int]]]:
    """``{sheet: [(first row, last row)]}`` (1-based) of an ods's rows hidden in the sheet
    (``table:visibility="collapse"``, hidden or folded in an outline, or ``"filter"``, filtered
    out), which calamine does not give, from the walk of :func:`_ods_scan`."""
    import hashlib

    _ods_scan(data)
    return _ODS_HIDDEN.get(hashlib.sha1(data).hexdigest(), {})


def _ods_walk(data: bytes, padded: dict | None = None, hidden: dict | None = None):
    import xml.etree.ElementTree as ET
    import zipfile

    t, office, calcext = _ODS_TABLE, _ODS_OFFICE, _ODS_CALCEXT
    table, row_tag, cell_tag, covered_tag = t + "table", t + "table-row", t + "table-cell", t + "covered-table-cell"
    repeated_cols, repeated_rows, spanned = (t + "number-columns-repeated", t + "number-rows-repeated",
                                             t + "number-rows-spanned")
    error_type, formula_attr, p_tag = calcext + "value-type", t + "formula", _ODS_TEXT + "p"
    merged: dict[str, list[tuple[int, int, int]]] = {}
    errors: dict[str, list[tuple[int, int, str]]] = {}
    sheet_merged: list[tuple[int, int, int]] = []
    sheet_errors: list[tuple[int, int, str]] = []
    sheet_padded: dict[tuple[int, int], int] = {}
    sheet_hidden: list[tuple[int, int]] = []
    visibility = t + "visibility"
    value_type, value_attr = office + "value-type", office + "value"
    row = count = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open("content.xml") as fh:
            for _event, el in ET.iterparse(fh, events=("end",)):
                tag = el.tag
                if tag == row_tag:
                    col = 0
                    row_errors = []
                    for cell in el:
                        ctag = cell.tag
                        if ctag != cell_tag and ctag != covered_tag:
                            continue
                        repeat = int(cell.get(repeated_cols, "1"))
                        if ctag == cell_tag:
                            span = cell.get(spanned)
                            if span is not None and int(span) > 1:
                                sheet_merged.append((col + 1, row + 1, row + int(span)))
                            kind = cell.get(error_type)
                            if padded is not None and cell.get(value_type) == "float" and repeat == 1 \
                                    and el.get(repeated_rows) is None:
                                shown = "".join("".join(p.itertext()) for p in cell.iter(p_tag)).strip()
                                if len(shown) > 1 and shown[0] == "0" and shown.isdigit() \
                                        and _same_number(cell.get(value_attr), shown):
                                    sheet_padded[(row, col)] = len(shown)  # 01001 shown, 1001 held
                            if kind == "error" or (cell.get(formula_attr) and kind in (None, "string")):
                                text = "\n".join("".join(p.itertext()) for p in cell.iter(p_tag)).strip()
                                if kind == "error" or (
                                        is_spreadsheet_error(text) and cell.get(office + "value-type") in (None, "string")
                                        and not cell.get(office + "string-value")):
                                    if repeat > MAX_ERROR_CELLS:
                                        raise ValueError("too many error cells")
                                    row_errors += [(col + k, text or "#ERROR") for k in range(repeat)]
                        col += repeat
                    repeat = int(el.get(repeated_rows, "1"))
                    if row_errors:
                        count += len(row_errors) * repeat
                        if count > MAX_ERROR_CELLS:
                            raise ValueError("too many error cells")
                        sheet_errors += [(row + k, c, text) for k in range(repeat) for c, text in row_errors]
                    if el.get(visibility) in ("collapse", "filter"):  # (the ODF default: visible)
                        sheet_hidden.append((row + 1, row + repeat))
                    row += repeat
                    el.clear()
                elif tag == table:
                    name = el.get(t + "name") or ""
                    if sheet_merged:
                        merged[name] = sheet_merged
                    if sheet_errors:
                        errors[name] = sheet_errors
                    if sheet_padded and padded is not None:
                        padded[name] = sheet_padded
                    if sheet_hidden and hidden is not None:
                        hidden[name] = sheet_hidden
                    sheet_merged, sheet_errors, sheet_padded, sheet_hidden, row = [], [], {}, [], 0
                    el.clear()
    except Exception as exc:  # noqa: BLE001 - a damaged part: the sheets read before it are kept
        return merged, errors, _error_text(exc)
    return merged, errors, None


def _same_number(value: str | None, shown: str) -> bool:
    """Whether an ods cell's ``office:value`` is the whole number its text ``shown`` writes."""
    try:
        return value is not None and float(value) == int(shown)
    except ValueError:
        return False


def _xml_text(raw: bytes) -> str:
    import html

    return html.unescape(raw.decode("utf-8", "replace"))


def _fill_merged(rows, lines, merged) -> int:
    """A cell merged down over data rows (a region's name over its industries' rows, as
    yearbook sheets lay them out) stands for each of those rows: read only in the range's
    first row, the others had an empty key ("empty key cell" on every row but the first).
    Only rows holding a figure are filled (any row of a range of data rows), so a heading
    merged down over a two-row header is left to the header logic; only labels are, never a
    figure.  Returns the cells filled (in
    the metadata as ``merged_cells_filled``, beside the generic reader's ``filled_down`` of a
    report's blank cells, which merged ones never reach)."""
    at = {line: i for i, line in enumerate(lines)}
    n = 0
    for col, first, last in merged:
        top = at.get(first)
        if top is None or len(rows[top]) < col or rows[top][col - 1] in (None, ""):
            continue
        value = rows[top][col - 1]
        if _holds_numbers([[value]], 1):
            continue  # a figure merged over rows is not repeated into each (it would count twice)
        # a block of data rows (its first row, or most of its rows, hold a figure): each row
        # of it that is not blank, also one whose figures are all withheld ("x", "-"), as a
        # report with the name left blank below its first row is read (generic's fill-down)
        span = [at[ln] for ln in range(first, last + 1) if ln in at]
        figures = [_holds_numbers([rows[i]], 1) for i in span]
        block = figures[0] or 2 * sum(figures) > len(figures)
        for line in range(first + 1, last + 1):
            i = at.get(line)
            if i is None or not (_holds_numbers([rows[i]], 1) or (
                    block and any(c not in (None, "") for c in rows[i]))):
                continue
            row = rows[i]
            while len(row) < col:
                row.append(None)
            if row[col - 1] in (None, ""):
                row[col - 1] = value
                n += 1
    return n


def _holds_numbers(rows, at_least: int = 2) -> bool:
    """A sheet with a table: two rows with a cell that is a number (not a year)."""
    from clusterid.io.readers import text

    def numeric(c):
        if c in (None, "") or re.match(r"^(?:18|19|20|21)\d{2}$", c.strip()):
            return False
        return text.parse_number(c, ".", ",") is not None or text.parse_number(c, ",", ".") is not None

    return sum(1 for r in rows if any(numeric(c) for c in r)) >= at_least


OTHER_SHEET_ROWS = 60  # rows of each other sheet looked at for figures


def sheet_named(names: list[str], sheet: str) -> str | None:
    """The sheet ``--sheet`` names among ``names``: by name, else by 1-based number; None."""
    if sheet in names:
        return sheet
    # ASCII digits only: '²' and other Unicode digits pass isdigit() but are no number to int()
    if sheet.isascii() and sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    return None


# ---------------------------------------------------------------------------------------------
# Error cells (#DIV/0!, #N/A ...) of xls, xlsb and ods.  python-calamine gives an error cell as
# "" -- an empty cell, which the generic reader takes for a withheld figure ("suppressed"), so a
# broken formula became a suppressed statistic (python-calamine issue 105).  openpyxl gives an
# xlsx's error cell as its text; these scanners find the error cells of the other formats in
# the file's own records, and :meth:`_CalamineBook.rows` writes the same text where calamine
# left the cell empty.  The generic reader then says what it says for the xlsx: "a spreadsheet
# error value ... found '#DIV/0!'" in a measure, key or name column (:func:`is_spreadsheet_error`).

# BIFF error codes (xls BOOLERR/FORMULA, xlsb BrtCellError/BrtFmlaError) -> what the sheet shows
_ERROR_CODES = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
                0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
# the text of a spreadsheet error value, as a cell of any workbook (or a CSV saved from one)
# shows it: Excel's codes and newer ones (#SPILL!, #CALC! ...), LibreOffice's Err:502
SPREADSHEET_ERROR = re.compile(r"#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|"
                               r"CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|PYTHON!)|Err:\d{3}")
# the same for a whole cell, blanks around it allowed: a polars ``str.contains`` pattern
SPREADSHEET_ERROR_CELL = r"^\s*(?:" + SPREADSHEET_ERROR.pattern + r")\s*$"
MAX_ERROR_CELLS = 1 << 20  # cells of one sheet (a repeated ods cell counts for each repeat)


def is_spreadsheet_error(text: str | None) -> bool:
    """``text`` is a spreadsheet error value (``#DIV/0!``, ``#N/A``, ``Err:502``)."""
    return bool(text) and SPREADSHEET_ERROR.fullmatch(text.strip()) is not None


def error_cells(data: bytes, fmt: str) -> dict[str, list[tuple[int, int, str]]]:
    """``{sheet name: [(row, column, text)]}`` (0-based, the sheet's positions) of the error
    cells of an xls, xlsb or ods workbook; sheets without one are left out.

    Raises
    ------
    ValueError
        The records could not be walked (the caller reads the cells unchecked and says so).
    """
    if fmt == "ods":
        return _ods_scan(data)[1]
    if fmt == "xlsb":
        return _xlsb_errors(data)
    if fmt == "xls":
        return _xls_errors(data)
    return {}


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes:
    """The first of the streams ``names`` at the top of an OLE2 compound file (an xls's
    ``Workbook``, or ``Book`` of an Excel 5/95 file), read by olefile, which finds a name in
    any case (OLE2 compares names case-blind).

    olefile is left at its default tolerance, which reads what calamine reads: a header field
    off the specification (a CLSID, reserved bytes, the mini stream cutoff) is passed over, and
    a stream whose chain ends before the size its entry gives is read as far as it goes (as
    calamine reads it; the record walk stops where the records do).  A file cut short in its
    FAT, DIFAT or directory cannot be read at all.  A chain that loops (a zeroed FAT) is followed
    as far as the size says, not refused as the parser written here before refused it: calamine
    meets such a file first, in the trial parse, and it is refused there.

    Raises
    ------
    ValueError
        Not an OLE2 file, no such stream, or an unreadable one (olefile's own errors --
        OleFileError, an OSError; struct.error, IndexError ... -- given by their text).
    """
    import olefile

    if data[:8] != OLE2_MAGIC:
        raise ValueError("not an OLE2 file")
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            for name in names:
                if ole.get_type(name) == olefile.STGTY_STREAM:
                    return ole.openstream(name).read()
    except Exception as exc:  # noqa: BLE001 - OleFileError, struct.error, IndexError, RecursionError ...
        raise ValueError(f"unreadable OLE2 file ({_error_text(exc)})") from exc
    raise ValueError(f"no {' or '.join(names)} stream")


def _xls_sheets(data: bytes) -> tuple[bytes, list[int]]:
    """An xls workbook's BIFF5/8 stream and the offsets of its sheets' substreams, from the
    BOUNDSHEET records of its globals substream (up to that substream's EOF).

    Raises
    ------
    ValueError
        No BOF record at the start of the stream."""
    import struct

    stream = _ole_stream(data, ("Workbook", "Book"))
    n = len(stream)
    if n < 4 or struct.unpack_from("<H", stream, 0)[0] != 0x0809:
        raise ValueError("no BIFF5/8 BOF record at the start of the workbook stream")
    offsets, pos = [], 0
    while pos + 4 <= n:
        typ, ln = struct.unpack_from("<HH", stream, pos)
        if typ == 0x0085 and ln >= 4:
            offsets.append(struct.unpack_from("<I", stream, pos + 4)[0])
        pos += 4 + ln
        if typ == 0x000A:
            break
    return stream, offsets


def _xls_errors(data: bytes) -> dict[str, list[tuple[int, int, str]]]:
    """Error cells of an xls (BIFF8, also BIFF5): a BOOLERR record holding an error, or a
    FORMULA record whose cached result is one, in each sheet's substream (an embedded chart's
    substream inside it skipped).  Keyed by the sheets' order: ``"#0"``, ``"#1"`` ... (the
    BOUNDSHEET records, which calamine lists in the same order)."""
    import struct

    stream, offsets = _xls_sheets(data)
    out: dict[str, list[tuple[int, int, str]]] = {}
    for index, records in _sheet_records(stream, offsets):
        found = []
        for typ, body, ln in records:
            if typ == 0x0205 and ln >= 8:  # BOOLERR: row, column, XF, value, 1 = an error
                row, col, _xf, value, is_error = struct.unpack_from("<HHHBB", stream, body)
                if is_error:
                    found.append((row, col, _ERROR_CODES.get(value, f"#ERROR{value}")))
            elif typ == 0x0006 and ln >= 14:  # FORMULA: result bytes 6-7 FFFF, byte 0 = 2: an error
                row, col = struct.unpack_from("<HH", stream, body)
                result = stream[body + 6:body + 14]
                if result[6:8] == b"\xff\xff" and result[0] == 2:
                    found.append((row, col, _ERROR_CODES.get(result[2], f"#ERROR{result[2]}")))
            if len(found) > MAX_ERROR_CELLS:
                raise ValueError("too many error cells")
        if found:
            out[f"#{index}"] = found
    return out


def _xls_hidden(data: bytes) -> dict[str, list[tuple[int, int]]]:
    """``{"#sheet index": [(row, row)]}`` (1-based) of the rows of an xls hidden in the sheet:
    the ROW records (0x0208) whose flags have fDyZero (bit 5, "the row is hidden", [MS-XLS]
    2.4.221), which calamine does not give.  Keyed by the sheets' order, as :func:`_xls_errors`.

    Raises
    ------
    ValueError, struct.error
        The records could not be walked."""
    import struct

    stream, offsets = _xls_sheets(data)
    out: dict[str, list[tuple[int, int]]] = {}
    for index, records in _sheet_records(stream, offsets):
        # ROW: row, first and last column, height, 2 unused, 2 reserved, then the flags
        found = [(row + 1, row + 1) for row, flags in (
            struct.unpack_from("<H10xH", stream, body) for typ, body, ln in records
            if typ == 0x0208 and ln >= 14) if flags & 0x0020]
        if found:
            out[f"#{index}"] = found
    return out


def _sheet_records(stream: bytes, offsets: list[int]):
    """``(sheet index, its records)`` for each sheet substream of a BIFF8 (or BIFF5) workbook
    stream starting at ``offsets`` (the BOUNDSHEET records'), the records as ``(type, body
    start, length)`` of the sheet's own level: an embedded chart's substream inside it is
    skipped, and a record running past the stream is left out."""
    import struct

    n = len(stream)

    def records(pos: int):
        depth = 0
        while pos + 4 <= n:
            typ, ln = struct.unpack_from("<HH", stream, pos)
            body = pos + 4
            pos = body + ln
            if typ == 0x0809:
                depth += 1
            elif typ == 0x000A:
                depth -= 1
                if depth <= 0:
                    return
            elif depth == 1 and body + ln <= n:
                yield typ, body, ln

    for index, pos in enumerate(offsets):
        yield index, records(pos)


def _xls_padded(data: bytes) -> dict[str, dict[tuple[int, int], int]]:
    """``{"#sheet index": {(row, column): digits}}`` (0-based) of the number cells of an xls
    (BIFF8, or Excel 5.0/95's BIFF5) shown with leading zeros: NUMBER, RK, MULRK and FORMULA
    records whose cell style (XF) has a number format of zeros only (:data:`_PADDED_FORMAT`,
    from the FORMAT records); {} when no style pads.  calamine gives such a cell as its number
    (1001 for 01001).  A BIFF5 FORMAT record holds its text after a one-byte length, in the
    workbook's code page (BIFF8: a two-byte length and a flag byte, then Latin-1 or UTF-16).

    Raises
    ------
    ValueError, struct.error
        The records could not be walked (the cells are then read as calamine gives them)."""
    import struct

    stream = _ole_stream(data, ("Workbook", "Book"))
    n = len(stream)
    if n < 4 or struct.unpack_from("<H", stream, 0)[0] != 0x0809:
        raise ValueError("no BIFF5/8 BOF record at the start of the workbook stream")
    # the BOF's version: 0x0600 BIFF8; 0x0500 BIFF5 (Excel 5.0 and 95, whose FORMAT records
    # were read as BIFF8's: their '00000' not seen, AGS 01001 read as 1001)
    biff5 = n >= 6 and struct.unpack_from("<H", stream, 4)[0] == 0x0500
    formats, xfs, offsets, pos = {}, [], [], 0
    while pos + 4 <= n:  # the globals substream: formats, cell styles, sheets, up to its EOF
        typ, ln = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        if typ == 0x0085 and ln >= 4:
            offsets.append(struct.unpack_from("<I", stream, body)[0])
        elif typ == 0x041E and ln >= 3 and biff5:  # FORMAT (BIFF5): number, length, text
            ifmt, cch = struct.unpack_from("<HB", stream, body)
            code = stream[body + 3:body + 3 + cch].decode("latin-1", "replace")
            code = code.split(";")[0].replace('"', "").replace("\\", "")
            if _PADDED_FORMAT.match(code):
                formats[ifmt] = len(code)
        elif typ == 0x041E and ln >= 5:  # FORMAT (BIFF8): number, length, high-byte flag, text
            ifmt, cch, high = struct.unpack_from("<HHB", stream, body)
            raw = stream[body + 5:body + 5 + cch * (2 if high & 1 else 1)]
            code = raw.decode("utf-16-le" if high & 1 else "latin-1", "replace")
            code = code.split(";")[0].replace('"', "").replace("\\", "")
            if _PADDED_FORMAT.match(code):
                formats[ifmt] = len(code)
        elif typ == 0x00E0 and ln >= 4:  # XF: font, number format ...
            xfs.append(struct.unpack_from("<H", stream, body + 2)[0])
        pos = body + ln
        if typ == 0x000A:
            break
    widths = {i: formats[f] for i, f in enumerate(xfs) if f in formats}
    out: dict[str, dict[tuple[int, int], int]] = {}
    if not widths:
        return out
    for index, records in _sheet_records(stream, offsets):
        found = {}
        for typ, body, ln in records:
            if typ in (0x0203, 0x027E, 0x0006) and ln >= 6:  # NUMBER, RK, FORMULA: row, column, XF
                row, col, xf = struct.unpack_from("<HHH", stream, body)
                if xf in widths:
                    found[(row, col)] = widths[xf]
            elif typ == 0x00BD and ln >= 6:  # MULRK: row, first column, then (XF, RK) per cell
                row, first = struct.unpack_from("<HH", stream, body)
                for k in range((ln - 6) // 6):
                    xf = struct.unpack_from("<H", stream, body + 4 + 6 * k)[0]
                    if xf in widths:
                        found[(row, first + k)] = widths[xf]
        if found:
            out[f"#{index}"] = found
    return out


def _biff12_records(buf: bytes):
    """``(type, start, end)`` of each BIFF12 record of an xlsb part (the type and the size are
    each a little-endian run of 7-bit groups, a set high bit saying another byte follows)."""
    pos, n = 0, len(buf)
    while pos < n:
        typ = buf[pos]
        pos += 1
        if typ & 0x80:
            if pos >= n:
                raise ValueError("a record cut short")
            typ = (typ & 0x7F) | ((buf[pos] & 0x7F) << 7)
            pos += 1
        size = shift = 0
        for _ in range(4):
            if pos >= n:
                raise ValueError("a record cut short")
            b = buf[pos]
            pos += 1
            size |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        if pos + size > n:
            raise ValueError("a record cut short")
        yield typ, pos, pos + size
        pos += size


def _xlsb_errors(data: bytes) -> dict[str, list[tuple[int, int, str]]]:
    """Error cells of an xlsb (:func:`_xlsb_walk`)."""
    return _xlsb_walk(data)[1]


def _xlsb_walk(data: bytes):
    """``(merged, errors, hidden)`` of an xlsb's sheets, by name (BrtBundleSh of
    ``xl/workbook.bin`` and the part its relationship names): ``merged`` ``{sheet: [(column,
    first row, last row)]}`` (1-based) of the BrtMergeCell (176) ranges over several rows, which
    calamine does not give for xlsb; ``errors`` ``{sheet: [(row, column, text)]}`` (0-based) of
    the BrtCellError (3) and BrtFmlaError (11) records, each in the row of the BrtRowHdr (0)
    before it; ``hidden`` ``{sheet: [(row, row)]}`` (1-based) of the rows hidden in the sheet,
    the BrtRowHdr records with fDyZero (bit 12 of the two bytes after rw, ixfe and miyRw,
    [MS-XLSB] 2.4.726), which calamine does not give either."""
    import posixpath
    import struct
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        book = zf.read("xl/workbook.bin")
        rels = zf.read("xl/_rels/workbook.bin.rels")
        targets = {}
        for m in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
            rid = re.search(rb'\bId="([^"]*)"', m.group(0))
            target = re.search(rb'\bTarget="([^"]*)"', m.group(0))
            if rid and target:
                targets[_xml_text(rid.group(1))] = _xml_text(target.group(1))
        sheets = []
        for typ, start, end in _biff12_records(book):
            if typ != 0x9C or end - start < 12:  # BrtBundleSh
                continue
            pos = start + 8  # hsState, iTabID
            cch = struct.unpack_from("<I", book, pos)[0]
            pos += 4
            rid = None
            if cch != 0xFFFFFFFF:
                rid = book[pos:pos + 2 * cch].decode("utf-16-le", "replace")
                pos += 2 * cch
            cch = struct.unpack_from("<I", book, pos)[0]
            name = book[pos + 4:pos + 4 + 2 * cch].decode("utf-16-le", "replace")
            if rid in targets:
                target = targets[rid]
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
                sheets.append((name, part))
        merged: dict[str, list[tuple[int, int, int]]] = {}
        errors: dict[str, list[tuple[int, int, str]]] = {}
        hidden: dict[str, list[tuple[int, int]]] = {}
        for name, part in sheets:
            try:
                buf = zf.read(part)
            except KeyError:
                continue
            found, ranges, shut, row = [], [], [], 0
            for typ, start, end in _biff12_records(buf):
                if typ == 0x00 and end - start >= 4:  # BrtRowHdr
                    row = struct.unpack_from("<I", buf, start)[0]
                    if end - start >= 12 and struct.unpack_from("<H", buf, start + 10)[0] & 0x1000:
                        shut.append((row + 1, row + 1))  # fDyZero: the row is hidden
                elif typ in (0x03, 0x0B) and end - start >= 9:  # BrtCellError, BrtFmlaError
                    col = struct.unpack_from("<I", buf, start)[0]
                    found.append((row, col, _ERROR_CODES.get(buf[start + 8], f"#ERROR{buf[start + 8]}")))
                    if len(found) > MAX_ERROR_CELLS:
                        raise ValueError("too many error cells")
                elif typ == 0xB0 and end - start >= 16:  # BrtMergeCell: rows first-last, columns
                    r0, r1, c0, _c1 = struct.unpack_from("<4I", buf, start)
                    if r1 > r0:
                        ranges.append((c0 + 1, r0 + 1, r1 + 1))
            if found:
                errors[name] = found
            if ranges:
                merged[name] = ranges
            if shut:
                hidden[name] = shut
    return merged, errors, hidden


def _visible(names: list[str], hidden: set[str]) -> list[str]:
    """The sheets a reader of the workbook sees, in order: a hidden sheet (a lookup table, last
    year's copy, a pivot's source kept out of sight) is read only when ``--sheet`` names it.  It
    was taken as the first sheet with figures, and its table read in place of the one the
    workbook shows, a warning naming the visible sheet as another.  (Excel keeps one sheet
    visible; a workbook of hidden sheets alone, written by a program, is read as it is.)"""
    shown = [n for n in names if n not in hidden]
    return shown or list(names)


class _OpenpyxlBook:
    """An xlsx workbook through openpyxl (read-only): ``names``, ``rows``, ``merged``."""

    def __init__(self, data: bytes, path: str = "<input>"):
        from openpyxl import load_workbook

        self.data = data
        self.path = path
        self.wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # worksheets only: a chart sheet has no cells (its iter_rows raised AttributeError)
        self.all_names = [ws.title for ws in self.wb.worksheets]
        self.names = _visible(self.all_names, {ws.title for ws in self.wb.worksheets
                                               if ws.sheet_state != "visible"})

    def rows(self, name: str, max_row: int | None = None):
        # openpyxl parses a sheet's XML only here: a sheet part cut short or damaged inside a
        # sound zip ("ParseError: no element found") was an internal error
        try:
            if max_row is None:
                rows, lines = _sheet_rows(self.wb[name])
                return _pad_codes(rows, _padded_cells(self.data, name)), lines
            rows = [[_cell_text(v) for v in r] for r in self.wb[name].iter_rows(
                max_row=max_row, values_only=True)]  # (a preview: the sheet's names and layout)
            rows = _pad_codes(rows, _padded_cells(self.data, name))
        except BaseException as exc:  # noqa: BLE001 - ParseError, zlib.error, KeyError ...
            if _is_interruption(exc):
                raise
            raise DataError(problems=[Problem(
                f"sheet {name!r} of this xlsx workbook is unreadable (corrupt or truncated?)",
                path=self.path, found=_error_text(exc),
                hint="save the workbook again from Excel or LibreOffice, or download it again")]) from exc
        return rows, list(range(1, len(rows) + 1))

    def merged(self, name: str):
        return _merged_ranges(self.data, name)

    def hidden(self, name: str) -> list[tuple[int, int]]:
        """``[(first row, last row)]`` (1-based) of the rows hidden in sheet ``name``."""
        return [(r, r) for r in hidden_rows(self.data, name)]

    def close(self):
        self.wb.close()


class CalamineFailure(Exception):
    """calamine could not read a workbook or sheet (its error or panic, or the trial parse's
    process ended by a signal); ``str()`` is the text for the problem's ``found``."""


# sha1 of a workbook's bytes -> the trial parse's verdict (see _trial_parse)
_TRIALS: dict[str, dict] = {}
TRIAL_SECONDS = 300  # a trial parse still running after this is stopped (a loop on a damaged file)


def _trial_parse(data: bytes) -> dict:
    """calamine parses the whole workbook once in a forked child before this process does.

    A damaged xls can make calamine abort the process -- an allocation of gigabytes sized by a
    corrupt field ("memory allocation of 2147483648 bytes failed"), or a chain of sectors that
    loops until the machine runs out of memory -- which no ``except`` catches, and its panics
    print a Rust backtrace on stderr.  The child (memory capped, stderr to /dev/null) meets
    them instead; its verdict, ``{"open": error or None, "sheets": {name: error or None}}``, is
    what this process then trusts: it calls calamine only where the child came through, so the
    same parse here neither aborts nor panics.  Without ``os.fork`` (Windows) there is no trial
    and a workbook is parsed here directly."""
    import hashlib
    import os

    key = hashlib.sha1(data).hexdigest()
    if key in _TRIALS:
        return _TRIALS[key]
    if not hasattr(os, "fork"):
        return {"open": None, "sheets": {}}
    import json
    import select
    import signal

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: parse, write the verdict as JSON, leave without cleanup
        try:
            os.close(read_end)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 2)
            import faulthandler

            faulthandler.disable()  # pytest's writes an abort's "Fatal Python error" to its own fd
            _cap_memory(len(data))
            verdict = _parse_everything(data)
            os.write(write_end, json.dumps(verdict).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    chunks, deadline_hit, finished = [], False, False
    try:
        while True:
            ready, _, _ = select.select([read_end], [], [], TRIAL_SECONDS)
            if not ready:
                deadline_hit = True
                break
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                finished = True
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        if not finished:  # stopped (the deadline, or Ctrl-C here): the child goes too
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status = os.waitpid(pid, 0)
    raw = b"".join(chunks)
    if deadline_hit:
        verdict = {"open": f"the reader did not finish in {TRIAL_SECONDS} s (a loop in a damaged file?)"}
    elif not raw:
        how = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}")
        verdict = {"open": f"the reader stopped on it ({how}: a damaged file asking for more memory "
                           "than any workbook of its size needs?)"}
    else:
        verdict = json.loads(raw)
    verdict.setdefault("sheets", {})
    _TRIALS[key] = verdict
    return verdict


def _cap_memory(size: int) -> None:
    """The trial child's address space: what it has now plus 2 GB and 64 bytes per byte of the
    file (a workbook's cells take some tens of bytes each in calamine)."""
    import os
    import resource

    try:
        with open("/proc/self/statm") as fh:
            now = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return
    limit = now + (2 << 30) + 64 * size
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _parse_everything(data: bytes) -> dict:
    """What the trial child does: open, then every worksheet's cells and merged ranges."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [m.name for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    except BaseException as exc:  # noqa: BLE001 - pyo3's PanicException is a BaseException
        if _is_interruption(exc):
            raise
        return {"open": _error_text(exc)}
    sheets = {}
    for name in names:
        try:
            sheet = wb.get_sheet_by_name(name)
            if sheet.start is not None:
                sheet.to_python(skip_empty_area=False)
            sheet.merged_cell_ranges  # noqa: B018 - read as this process will
            sheets[name] = None
        except BaseException as exc:  # noqa: BLE001
            if _is_interruption(exc):
                raise
            sheets[name] = _error_text(exc)
    verdict = {"open": None, "sheets": sheets}
    fmt = workbook_format(data)
    if fmt in ("xls", "xlsb"):  # scanned here too: a damaged file's records meet this child
        verdict.update(_scan_errors(data, fmt, [m.name for m in wb.sheets_metadata]))
    return verdict


def _scan_errors(data: bytes, fmt: str, all_names: list[str]) -> dict:
    """``{"errors": {sheet: [[row, column, text]]}}`` of an xls or xlsb (:func:`error_cells`;
    an xls's sheets by their order in ``all_names``, calamine's list of every sheet), or
    ``{"errors_unchecked": why}`` when its records could not be walked; an xlsb's merged
    ranges beside them (``"merged"``, :func:`_xlsb_walk`) and both formats' hidden rows
    (``"hidden"``: :func:`_xlsb_walk`, :func:`_xls_hidden`), which calamine does not give."""
    out: dict = {}
    if fmt == "xls":
        try:  # rows hidden in the sheets (calamine does not give them): said by read_rows
            shut = _xls_hidden(data)
            out["hidden"] = {all_names[int(k[1:])]: [list(r) for r in v] for k, v in shut.items()
                             if int(k[1:]) < len(all_names)}
        except Exception:  # noqa: BLE001 - records not walked: no row said hidden
            pass
    try:
        if fmt == "xlsb":
            merged, found, shut = _xlsb_walk(data)
            out["merged"] = {k: [list(m) for m in v] for k, v in merged.items()}
            out["hidden"] = {k: [list(r) for r in v] for k, v in shut.items()}
        else:
            found = error_cells(data, fmt)
        if fmt == "xls":
            by_order = {}
            for key, cells in found.items():
                index = int(key[1:])
                if index >= len(all_names):
                    raise ValueError("more sheets in the records than calamine lists")
                by_order[all_names[index]] = cells
            found = by_order
        return {**out, "errors": {k: [list(c) for c in v] for k, v in found.items()}}
    except Exception as exc:  # noqa: BLE001 - struct.error, ValueError, zipfile's, KeyError ...
        return {**out, "errors_unchecked": _error_text(exc)}


class _CalamineBook:
    """An xls, xlsb or ods workbook through python-calamine, with :class:`_OpenpyxlBook`'s
    methods; rows keep their sheet positions (row 1 is the sheet's first row, column A its
    first cell), empty cells are None as openpyxl gives them, error cells their text as openpyxl
    gives them (calamine's "" replaced where :func:`error_cells` found one).  calamine is
    called only where a trial parse in a child process came through (:func:`_trial_parse`),
    which also walks an xls's or xlsb's records for error cells (and an xlsb's merged ranges)."""

    def __init__(self, path: str, data: bytes, fmt: str):
        from python_calamine import CalamineWorkbook, SheetTypeEnum

        self.path, self.fmt, self.data = path, fmt, data
        self.trial = _trial_parse(data)
        if self.trial["open"] is not None:
            raise CalamineFailure(self.trial["open"])
        self.wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        # worksheets only (not chart, dialog or macro sheets), as for xlsx
        from python_calamine import SheetVisibleEnum

        sheets = [m for m in self.wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        self.all_names = [m.name for m in sheets]
        self.names = _visible(self.all_names, {m.name for m in sheets if m.visible != SheetVisibleEnum.Visible})
        self._ods: tuple | None = None  # _ods_scan's (merged, errors, failure), read once
        self.errors_unchecked: str | None = None  # why error cells could not be told, if so
        self.padded: dict[str, dict] = {}  # sheet -> {(row, column): digits} (_xls_padded)
        if fmt == "ods":
            self._ods = _ods_scan(data)
            self.errors, self.errors_unchecked = self._ods[1], self._ods[2]
            self.padded = _ods_padded(data)
        else:
            if "errors" not in self.trial and "errors_unchecked" not in self.trial:  # no trial
                self.trial.update(_scan_errors(data, fmt, [m.name for m in self.wb.sheets_metadata]))
            self.errors = {k: [tuple(c) for c in v] for k, v in self.trial.get("errors", {}).items()}
            self.errors_unchecked = self.trial.get("errors_unchecked")
        if fmt == "xls":
            try:
                found = _xls_padded(data)
            except Exception:  # noqa: BLE001 - records not walked: the cells as calamine gives them
                found = {}
            every = [m.name for m in self.wb.sheets_metadata]  # (by order, as the error cells)
            self.padded = {every[int(k[1:])]: v for k, v in found.items() if int(k[1:]) < len(every)}

    def rows(self, name: str, max_row: int | None = None):
        try:  # calamine reads a sheet's records here: a cut or damaged part fails now
            failed = self.trial["sheets"].get(name)
            if failed is not None:
                raise CalamineFailure(failed)
            sheet = self.wb.get_sheet_by_name(name)
            data = [] if sheet.start is None else sheet.to_python(skip_empty_area=False, nrows=max_row)
        except BaseException as exc:  # noqa: BLE001 - CalamineError, OSError, PanicException
            if _is_interruption(exc):
                raise
            raise DataError(problems=[Problem(
                f"sheet {name!r} of this {self.fmt} workbook is unreadable (corrupt or truncated?)",
                path=self.path, found=_error_text(exc))]) from exc
        for r, c, text in self.errors.get(name, ()):
            # an error cell calamine gave as "": its text, as openpyxl gives an xlsx's
            if r < len(data) and c < len(data[r]) and data[r][c] == "":
                data[r][c] = text
        for (r, c), width in self.padded.get(name, {}).items():
            # a number shown with leading zeros (the format 00000): as the sheet shows it
            v = data[r][c] if r < len(data) and c < len(data[r]) else None
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and float(v).is_integer() \
                    and 0 <= v < 1e15:
                data[r][c] = str(int(v)).zfill(width)
        rows = _texts(data)
        return rows, list(range(1, len(rows) + 1))

    def merged(self, name: str):
        if self.fmt == "ods":
            merged, _errors, failed = self._ods
            return [] if failed else merged.get(name, [])
        if self.trial["sheets"].get(name) is not None:
            return []
        if self.fmt == "xlsb":  # calamine gives None: read from its records (_xlsb_walk)
            return [tuple(m) for m in self.trial.get("merged", {}).get(name, [])]
        ranges = self.wb.get_sheet_by_name(name).merged_cell_ranges or []
        return [(c0 + 1, r0 + 1, r1 + 1) for (r0, c0), (r1, _c1) in ranges if r1 > r0]

    def hidden(self, name: str) -> list[tuple[int, int]]:
        """``[(first row, last row)]`` (1-based) of the rows hidden in sheet ``name``, from the
        file's own records (python-calamine gives no row's visibility): an ods's
        ``table:visibility``, an xls's ROW and an xlsb's BrtRowHdr flags."""
        if self.fmt == "ods":
            return list(_ods_hidden(self.data).get(name, []))
        if "hidden" not in self.trial:  # (a trial cached before the rows were looked for)
            self.trial.update({k: v for k, v in _scan_errors(
                self.data, self.fmt, [m.name for m in self.wb.sheets_metadata]).items() if k == "hidden"})
        return [tuple(r) for r in self.trial.get("hidden", {}).get(name, [])]

    def close(self):
        self.wb.close()


def disguised_workbook(data: bytes) -> str | None:
    """What a text file named like a workbook is, when it is an HTML page or an XML Spreadsheet
    2003 file (web portals' "export to Excel" and Excel's "Web page" / "XML Spreadsheet 2003"
    save them under an ``.xls`` name), else None.  Neither is read: the generic reader took
    their first line of markup for a header ("no region column recognised, found '<html>...'")."""
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", "replace").encode("utf-8", "replace")
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<meta")) or (
            head.startswith(b"<?xml") and b"<html" in head):
        return "an HTML page"
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "an XML Spreadsheet 2003 file"
    return None


def markup_refusal(data: bytes) -> str | None:
    """Why a text file of markup is no table, and what to do, or None: an HTML page or XML
    Spreadsheet 2003 file (:func:`disguised_workbook`); an HTML page holding no table at all
    (a portal's error page saved under the data's name: "404 Not Found"); an SDMX-ML dataset
    (Eurostat's and the OECD's XML download); any other XML document (a server's error
    answer, ``<Error><Code>AccessDenied``).  The last three were read as a table whose header
    was their first line: "no region column recognised (found '<?xml version=...')"."""
    import re as _re

    what = disguised_workbook(data)
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", "replace").encode("utf-8", "replace")
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if what == "an HTML page":
        body = data[:2_000_000]
        if body[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Web page" in Unicode
            body = body.decode("utf-16", "replace").encode("utf-8", "replace")
        if _re.search(rb"<table\b", body, _re.IGNORECASE):
            return (f"{what}, not a workbook or a delimited table (\"export to Excel\" often saves "
                    "one as .xls); open it in Excel or LibreOffice and save it as .xlsx, or save "
                    "the table as CSV")
        title = _re.search(rb"<title[^>]*>(.*?)</title>", body, _re.IGNORECASE | _re.DOTALL)
        said = f" (its title: {' '.join(title.group(1).decode('utf-8', 'replace').split())[:60]!r})" \
            if title and title.group(1).strip() else ""
        return (f"an HTML page holding no table{said}, not the data: a web page saved in "
                "its place (an error page, a login page?); download the file again")
    if what is not None:
        return (f"{what}, not a workbook or a delimited table (\"export to Excel\" often saves "
                "one as .xls); open it in Excel or LibreOffice and save it as .xlsx, or save the "
                "table as CSV")
    if not head.startswith(b"<?xml") and not _re.match(rb"<[A-Za-z][\w:.-]*[\s>]", head):
        return None
    root = _re.search(rb"<([A-Za-z][\w:.-]*)[\s>/]", _re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", head,
                                                           flags=_re.DOTALL))
    name = root.group(1).decode("ascii", "replace") if root else "?"
    if not head.startswith(b"<?xml") and not (root and _re.search(
            rb"</" + _re.escape(root.group(1)) + rb"\s*>|^<" + _re.escape(root.group(1))
            + rb"[^>]*/>", data[:2_000_000])):
        # a table's title in angle brackets ("<Tab. 2> Beschaeftigte", "<Employment by
        # region, 2016>") opens a text table too: without the XML declaration, a document is
        # markup only when its first element is closed (</Error>, or <x ... />)
        return None
    if b"sdmx.org" in head.lower() or name.split(":")[-1] in ("GenericData", "StructureSpecificData"):
        return (f"an SDMX-ML (XML) dataset (<{name}>), not a table clusterid reads; download "
                "it as SDMX-CSV or TSV (Eurostat: 'Download', SDMX-CSV; the OECD: 'CSV')")
    return (f"an XML document (its root <{name}>), not a table: a server's answer saved in the "
            "data's place?; look at the file, and download the table as CSV")


def path_format(path) -> str | None:
    """:func:`workbook_format` of the file at ``path`` without reading all of it: xls for an
    OLE2 file, xlsx or xlsb for a zip holding ``xl/``, ods for an OpenDocument spreadsheet,
    None otherwise (a zip archive of data files, a text file, a missing file)."""
    import zipfile

    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
        if head == OLE2_MAGIC:
            return "xls"
        if head[:4] != b"PK\x03\x04":
            return None
        with zipfile.ZipFile(path) as zf:
            return _zip_format(zf)
    except Exception:  # noqa: BLE001 - a damaged zip: the reader says what is wrong
        return None


def open_workbook(path: str, data: bytes | None = None, shown: str | None = None):
    """A workbook of any of :data:`FORMATS` (told by content) with ``names``, ``rows(name,
    max_row=None) -> (rows of text cells, sheet row numbers)``, ``merged(name)`` and
    ``close()``; ``shown`` names it in errors (default ``path``).

    Raises
    ------
    DataError
        Not a readable workbook.
    """
    if data is None:
        with open(path, "rb") as fh:
            data = fh.read()
    return _open_book(shown or str(path), data, workbook_format(data) or "xlsx")


def _open_book(path: str, data: bytes, fmt: str):
    if fmt == "xlsx":
        try:
            return _OpenpyxlBook(data, path)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises zipfile/KeyError/... for non-xlsx
            what = "not a readable xlsx workbook (corrupt zip, or another zip file)"
            hint = None
            if not _zip_opens(data):  # the zip itself is damaged: it may have been any of them
                what = "not a readable workbook: a damaged zip file (xlsx, xlsb and ods are zips)"
                if path.lower().endswith(".zip"):  # an agency's archive cut short: no workbook
                    what = "not a readable zip archive: damaged or cut short"
                    hint = "download it again (a download that stopped leaves such a file)"
            document = _office_document(data)
            if document:  # a report saved where the table was meant to be
                raise DataError(problems=[Problem(
                    f"{document[0]}, not a table", path=path,
                    expected="a CSV/TSV text table or a workbook", found=document[1],
                    hint="export the table itself from the source (CSV or xlsx)")]) from exc
            raise DataError(problems=[Problem(what, path=path, found=_error_text(exc),
                                              hint=hint)]) from exc
    try:
        return _CalamineBook(path, data, fmt)
    except BaseException as exc:  # noqa: BLE001 - calamine's errors; pyo3's PanicException
        if _is_interruption(exc):
            raise
        if "PasswordError" in _error_text(exc) or (
                fmt == "xls" and "EncryptedPackage".encode("utf-16-le") in data):
            # an xlsx saved with a password is an OLE2 file holding an EncryptedPackage stream
            raise DataError(problems=[Problem(
                "a password-protected (encrypted) workbook cannot be read", path=path,
                found=_error_text(exc),
                hint="open it in Excel or LibreOffice and save a copy without a password")]) from exc
        what = {"xls": "not a readable Excel 97-2003 .xls workbook (corrupt or truncated, "
                       "encrypted, or another Office document)",
                "xlsb": "not a readable Excel binary .xlsb workbook (corrupt?)",
                "ods": "not a readable OpenDocument .ods spreadsheet (corrupt?)"}[fmt]
        raise DataError(problems=[Problem(what, path=path, found=_error_text(exc))]) from exc


_DOCUMENT_PARTS = (("word/document.xml", "a Word document (.docx)"),
                   ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"))
_DOCUMENT_MIMETYPES = ((b"application/vnd.oasis.opendocument.text", "an OpenDocument text (.odt)"),
                       (b"application/vnd.oasis.opendocument.presentation",
                        "an OpenDocument presentation (.odp)"))


def _office_document(data: bytes) -> tuple[str, str] | None:
    """What an Office zip that is no workbook is (a .docx holds ``word/document.xml``, a
    .pptx ``ppt/presentation.xml``; .odt/.odp say so in ``mimetype``) and the part that tells, else None."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            for part, what in _DOCUMENT_PARTS:
                if part in names:
                    return what, part
            if "mimetype" in names:
                mimetype = zf.read("mimetype").strip()
                for prefix, what in _DOCUMENT_MIMETYPES:
                    if mimetype.startswith(prefix):
                        return what, "mimetype " + prefix.decode()
    except Exception:  # noqa: BLE001 - a damaged zip: the caller says so
        return None
    return None


def _zip_opens(data: bytes) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            zf.namelist()
        return True
    except Exception:  # noqa: BLE001 - BadZipFile, NotImplementedError ("zip file version"), ...
        return False


def _error_text(exc: BaseException) -> str:
    """``Type: first line of the message`` (calamine's messages can run over many lines); a
    :class:`CalamineFailure` is its text as it is."""
    detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    if isinstance(exc, CalamineFailure):
        return detail
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _other_rows(wb, name: str, max_row: int | None, unreadable: list[str]):
    """A sheet looked at besides the one read: its rows, none when it is damaged (named in
    ``unreadable``; the sheet read is good, and a damaged neighbour is no reason to refuse it)."""
    try:
        return wb.rows(name, max_row=max_row)
    except DataError:
        unreadable.append(name)
        return [], []


def _series_sheet(rows) -> bool:
    """An ABS time series data sheet: ``Series ID`` heading a row among its first ones."""
    return any(r and str(r[0] or "").strip().lower() == "series id" for r in rows[:15])


def _series_catalogue(rows) -> bool:
    """An ABS time series workbook's Index sheet: a table of series headed ``Series Type``,
    ``Series ID`` ... (and no data sheet itself)."""
    if _series_sheet(rows):
        return False
    return any({"series id", "series type"} <= {str(c or "").strip().lower() for c in r} for r in rows[:40])


def _lines_hidden(rows, lines, ranges) -> list[int]:
    """The lines of ``rows`` holding a cell that fall in one of ``ranges`` ``[(first, last)]``
    (1-based, inclusive; an ods's repeated rows are one range)."""
    import bisect

    merged: list[list[int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    firsts = [a for a, _b in merged]
    out = []
    for r, ln in zip(rows, lines):
        i = bisect.bisect_right(firsts, ln) - 1
        if i >= 0 and ln <= merged[i][1] and any(c not in (None, "") for c in r):
            out.append(ln)
    return out


def uncached_problems(path: str, cells) -> list[Problem]:
    """One problem per xlsx formula cell ``(row, column letters, formula)`` saved without its
    value (:func:`uncached_formulas`)."""
    return [Problem("a formula saved without its value", path=path, line=row, column=letters,
                    expected="the figure a spreadsheet program saves with each formula",
                    found=formula, hint="the workbook was written by a program and never "
                    "calculated: open it in Excel or LibreOffice and save it, or export the sheet as CSV")
            for row, letters, formula, *_ in cells]


def read_rows(path: str, data: bytes, sheet: str | None = None, defer_uncached: bool = False):
    """``(rows, line_numbers, details)`` of one sheet (``sheet`` by name or 1-based number) of
    an xlsx, xls, xlsb or ods workbook (told by :func:`workbook_format`).

    An xlsx formula saved without its value is refused on its cell; with ``defer_uncached``
    the cells are given in ``details["uncached_formulas"]`` as ``(row, column letters,
    formula, column index)`` (0-based index) instead, for the generic reader, which refuses
    only those in a column it reads (:func:`uncached_problems`).

    Raises
    ------
    DataError
        Not a readable workbook (a corrupt file, another zip or OLE2 file); an empty sheet.
    UsageError
        ``sheet`` names no sheet of the workbook.
    """
    fmt = workbook_format(data) or "xlsx"
    wb = _open_book(path, data, fmt)
    try:
        names = wb.names
        if not names:
            raise DataError(problems=[Problem("the workbook has no worksheet (chart sheets only?)", path=path)])
        name = names[0] if sheet is None else sheet_named(wb.all_names, sheet)
        if name is None:
            raise UsageError(f"{path}: no sheet {sheet!r}; sheets are: {', '.join(wb.all_names)}")
        rows, lines = wb.rows(name)
        unreadable: list[str] = []  # other sheets that are damaged (the one read is not)
        if sheet is None and len(names) > 1 and not _holds_numbers(rows):
            # a publication's contents or notes sheet first ("Inhalt", "Erläuterungen"): the
            # table is on the first sheet that holds figures; without one, the first sheet
            for other in names[1:]:
                o_rows, o_lines = _other_rows(wb, other, None, unreadable)
                if _holds_numbers(o_rows):
                    name, rows, lines = other, o_rows, o_lines
                    break
        if sheet is None and len(names) > 1 and _series_catalogue(rows):
            # the ABS's time series workbooks: an Index sheet listing the series (with their
            # start dates and numbers of observations: figures) before the Data1 sheet that
            # holds them; the catalogue was read as the table ('no region column')
            for other in names[names.index(name) + 1:]:
                o_rows, o_lines = _other_rows(wb, other, None, unreadable)
                if _series_sheet(o_rows):
                    name, rows, lines = other, o_rows, o_lines
                    break
        if not any(any(c not in (None, "") for c in r) for r in rows):
            raise DataError(problems=[Problem(f"sheet {name!r} is empty (no header, no data)", path=path)])
        if fmt == "xlsx":
            unsaved = uncached_formulas(data, name)
            if unsaved and not defer_uncached:  # read as empty cells, a computed total became a suppressed one
                raise DataError(problems=uncached_problems(path, unsaved))
        merged = wb.merged(name)
        filled = _fill_merged(rows, lines, merged) if merged else 0
        details = {"format": fmt, "sheet": name}
        if fmt == "xlsx" and unsaved:
            details["uncached_formulas"] = [(row, letters, formula, _column_index(letters.encode()) - 1)
                                            for row, letters, formula in unsaved]
        # rows hidden in the workbook (often a helper or subtotal row, or old figures kept out
        # of sight): read as the sheet holds them, as a CSV export of it would, and said with
        # their lines (they were read without a word; in xls, xlsb and ods until session 32)
        shown = _lines_hidden(rows, lines, wb.hidden(name))
        if shown:
            details["hidden_rows_read"] = shown
        if fmt == "xlsx":
            # columns hidden likewise (an old year, a helper column): said by the generic reader
            # where it reads one (read_table: hidden_columns_read); they were read without a word
            width = max((len(r) for r in rows), default=0)
            shut = [j for j in hidden_columns(data, name) if j < width]
            if shut:
                details["hidden_columns"] = shut
        if filled:
            details["merged_cells_filled"] = filled
        if sheet is None and len(names) > 1:
            # one sheet is read; a workbook of one sheet per year or per region had the others
            # left out without a word: named, for ingest to warn (--sheet reads another)
            others = [o for o in names if o != name
                      and _holds_numbers(_other_rows(wb, o, OTHER_SHEET_ROWS, unreadable)[0])]
            if others:
                details["other_sheets_with_figures"] = others
        if sheet is None:
            hidden = [o for o in wb.all_names if o not in names
                      and _holds_numbers(_other_rows(wb, o, OTHER_SHEET_ROWS, unreadable)[0])]
            if hidden:
                details["hidden_sheets_with_figures"] = hidden
        if unreadable:
            details["unreadable_sheets"] = sorted(set(unreadable) - {name})
        if getattr(wb, "errors_unchecked", None):
            # error cells (#DIV/0!) could not be told from empty ones: said, not silent
            details["error_cells_unchecked"] = wb.errors_unchecked
        return rows, lines, details
    finally:
        wb.close()
