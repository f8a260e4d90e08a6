"""xlsx workbooks -> rows of strings for the generic reader (openpyxl, read-only mode).

Title rows above the header and merged title cells are left for
:func:`clusterid.io.readers.generic.find_header` to skip; numbers come back as plain decimal
strings (``1234``, ``1234.5``) so the generic number parsing reads them unchanged.
"""

from __future__ import annotations

import datetime as _dt
import io
import re

from clusterid.errors import DataError, Problem, UsageError

NAME = "excel"


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, _dt.datetime) and value.time() == _dt.time(0, 0):
        return value.date().isoformat()  # a date cell (a Stichtag): 2016-06-30, read as a period
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return str(value)


def _sheet_rows(ws):
    rows, lines = [], []
    for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in row]
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        rows.append(cells)
        lines.append(i)
    return rows, lines


_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def _merged_ranges(data: bytes, name: str) -> list[tuple[int, int, int]]:
    """``(column, first row, last row)`` (1-based) of the cells of sheet ``name`` merged over
    several rows; openpyxl's read-only mode does not give them (read from the sheet's XML)."""
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
                return []
            target = None
            for m in re.finditer(rb"<Relationship\b[^>]*>", rels):
                if re.search(rb'Id="' + re.escape(rid) + rb'"', m.group(0)):
                    t = re.search(rb'Target="([^"]*)"', m.group(0))
                    target = t.group(1).decode() if t else None
            if target is None:
                return []
            target = target.lstrip("/")
            xml = zf.read(target if target.startswith("xl/") else "xl/" + target)
    except (KeyError, zipfile.BadZipFile, OSError):
        return []
    out = []
    for m in _MERGE.finditer(xml):
        c1, r1, c2, r2 = m.groups()
        if int(r2) > int(r1):
            out.append((_column_index(c1), int(r1), int(r2)))
    return out


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
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    return None


def read_rows(path: str, data: bytes, sheet: str | None = None):
    """``(rows, line_numbers, details)`` of one sheet (``sheet`` by name or 1-based number).

    Raises
    ------
    DataError
        Not an xlsx workbook (a corrupt or other zip file); an empty sheet.
    UsageError
        ``sheet`` names no sheet of the workbook.
    """
    try:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises zipfile/KeyError/... for non-xlsx
        raise DataError(problems=[Problem("not a readable xlsx workbook (corrupt zip, or another zip file)",
                                          path=path, found=type(exc).__name__)]) from exc
    try:
        names = wb.sheetnames
        name = names[0] if sheet is None else sheet_named(names, sheet)
        if name is None:
            raise UsageError(f"{path}: no sheet {sheet!r}; sheets are: {', '.join(names)}")
        rows, lines = _sheet_rows(wb[name])
        if sheet is None and len(names) > 1 and not _holds_numbers(rows):
            # a publication's contents or notes sheet first ("Inhalt", "Erläuterungen"): the
            # table is on the first sheet that holds figures; without one, the first sheet
            for other in names[1:]:
                o_rows, o_lines = _sheet_rows(wb[other])
                if _holds_numbers(o_rows):
                    name, rows, lines = other, o_rows, o_lines
                    break
        if not any(any(c not in (None, "") for c in r) for r in rows):
            raise DataError(problems=[Problem(f"sheet {name!r} is empty (no header, no data)", path=path)])
        merged = _merged_ranges(data, name)
        filled = _fill_merged(rows, lines, merged) if merged else 0
        details = {"format": "xlsx", "sheet": name}
        if filled:
            details["merged_cells_filled"] = filled
        if sheet is None and len(names) > 1:
            # one sheet is read; a workbook of one sheet per year or per region had the others
            # left out without a word: named, for ingest to warn (--sheet reads another)
            others = [o for o in names if o != name and _holds_numbers(
                [[_cell_text(v) for v in r] for r in wb[o].iter_rows(max_row=OTHER_SHEET_ROWS,
                                                                    values_only=True)])]
            if others:
                details["other_sheets_with_figures"] = others
        return rows, lines, details
    finally:
        wb.close()
