"""Raw tables for the generic reader (:mod:`.generic`): bytes -> :class:`RawTable`.

Text (CSV/TSV, gzip too), JSON arrays and JSON-stat, PC-Axis files (via :mod:`.px`),
workbooks (via :mod:`.excel`) and Parquet become one shape: the header row
(:func:`find_header` skips title rows), the title rows above it, and the cells with each
record's physical line (``_line``).  Text is split by
:func:`_fast_text_table` (vectorised) when every record is one line, else record by record
(:data:`FAST_TEXT`); headings that need their rows to be read (GENESIS flat exports, SDMX
``ID: label`` columns, a heading row split over two rows, Eurostat Data Browser sheets,
regions over districts) are mended here.  A spreadsheet error value (``#N/A``) stands where a
figure does: a row of them is no header, a lone one no note.  Imports only
:mod:`.generic_headings` of the generic modules (and :mod:`.excel`).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field

from clusterid import schema
from clusterid.core import codes
from clusterid.errors import DataError, InputFileError, Problem, UsageError
from clusterid.io.readers import excel, px, rowcheck
from clusterid.io.readers.generic_abs import abs_time_series
from clusterid.io.readers import text as textmod
from clusterid.io.readers.generic_headings import (MONTH_CELLS, REGION_PARENT_SEP, _CITY, _FOOTNOTE_MARK, _LOWER_WORDS,
                                                   _TOP_CITIES, _UPPER_WORDS, _norm, period_of, statline_provisional,
                                                   region_from_titles, role_of)

LINE = "_line"
SOURCE = "_source"
WORKBOOKS = ("xlsx", "xls", "xlsb", "ods")  # details["format"] of a workbook (excel.FORMATS)


# a short last row with no line end after it: a download or copy that stopped mid-row
CUT_ROW_HINT = "the file ends in this row, without a line end: it is cut short? download or copy it again"


@dataclass
class RawTable:
    """A table of strings as read from one file, before any interpretation."""

    path: str
    header: list[str]
    rows: list[list[str | None]]
    lines: list[int]
    details: dict = field(default_factory=dict)
    sep: str = ","
    strict_width: bool = False  # text files: every row must have the header's number of fields
    # the vectorised readers (large CSV, Parquet) build the cells directly: ``rows``/``lines``
    # then stay empty and these hold what :func:`.generic._cell_frame` would have made of them
    cells: object = None  # (DataFrame of strings + _line, names, note rows, ragged problems)
    n_rows: int | None = None  # records under the header (blank lines included), as len(rows)
    titles: list = field(default_factory=list)  # the rows above the header (title lines)
    cut_at_end: bool = False  # a text file whose last line has no line end (cut short?)


def _is_number(cell: str) -> bool:
    return textmod.parse_number(cell, ".", ",") is not None or textmod.parse_number(cell, ",", ".") is not None


# suppression markers that are never a heading (letters such as D, S, C could be)
_MARKER_CELLS = {"x", "X", "х", "Х", "к", "..", "...", "…", "-", "--", "–", "—", ".", "/", ":", "*", "(D)"}


def _codes_header(cells) -> bool:
    """A header of a table wide by numeric industry codes: a bare region or industry heading,
    then codes only ("Область;01;10;11", OKED divisions) -- its codes look like figures, and
    the title line above it was taken for the header (one field against four)."""
    from clusterid.io.readers.generic_plan import _is_industry_heading  # (imports this module)
    from clusterid.io.readers.generic_headings import ROLE_WORDS

    first, rest = _norm(str(cells[0])), [str(c).strip() for c in cells[1:]]
    if first not in ROLE_WORDS["region"] | ROLE_WORDS["industry"]:
        return False
    return all(re.fullmatch(r"\d{2,6}", c) and _is_industry_heading(c) for c in rest) \
        and len(set(rest)) == len(rest)


# more columns than a table has (Excel's sheets stop at 16,384): a file whose line breaks were
# lost, or no table at all.  A 50 MB line of 'a,a,a,...' took half an hour in find_header.
MAX_COLUMNS = 100_000


def refuse_too_wide(path: str, rows, lines) -> None:
    """DataError naming the first of ``rows`` (on ``lines``) with more than MAX_COLUMNS fields."""
    for row, line in zip(rows, lines):
        if len(row) > MAX_COLUMNS:
            raise DataError(problems=[Problem(
                f"a line of {len(row):,} fields", path=path, line=line,
                expected=f"a table of at most {MAX_COLUMNS:,} columns",
                found=",".join(str(c or "") for c in row[:5])[:60] + " ...",
                hint="a file whose line breaks were lost (a line of a whole file), or no table")])


def refuse_glued_header(path: str, rows, lines, h: int) -> None:
    """A data error when the row :func:`find_header` took for the header is a row with a
    header glued to its end (``R3,F,2021,35region,industry,year,employment``): files joined
    with ``cat``, the first without a line break after its last row.  Being the widest row it
    was taken for the header, the real header and the rows above it for titles, and every row
    below said to be short of fields, none of them on the line at fault."""
    glued = [str(c or "").strip() for c in rows[h]]
    for j in range(h):
        own = [str(c or "").strip().lstrip("\ufeff") for c in rows[j]]
        k = len(glued) - len(own)  # where the header starts inside the glued row
        if len(own) < 2 or k < 1 or not own[0] or glued[k + 1:] != own[1:] \
                or not glued[k].endswith(own[0]) or glued[k] == own[0]:
            continue
        raise DataError(problems=[Problem(
            "a row and a header on one line: files joined with cat, the first without a line "
            "break after its last row", path=path, line=lines[h],
            column=own[k] if k < len(own) else None, expected=f"{len(own)} fields as the header on line {lines[j]}",
            found=glued[k][:60],
            hint=f"break the line before {own[0]!r} (or give the files themselves, or a quoted glob)")])


def find_header(rows: list[list[str | None]], limit: int = 40) -> int:
    """Index of the header row: the first row where most cells are non-empty labels.

    Title rows (one filled cell, a merged title) and blank rows above it are skipped.  A cell
    counts as a label when it is text, or a period heading like 2016 (wide tables by year).
    """
    head = rows[:limit]
    widths = [sum(1 for c in r if c not in (None, "")) for r in head]
    if not widths:
        return 0
    width = max(widths)
    for i, r in enumerate(head):
        cells = [c for c in r if c not in (None, "")]
        if len(cells) == 1 and r and r[0] in (None, "") and _period_heading(str(cells[0])) \
                and i + 1 < len(head) and (_one_year_rows(head[i + 1], r) or (
                    i + 2 < len(head) and _units_row(head[i + 1], r) and _one_year_rows(head[i + 2], r))):
            # a table of one year: an empty corner cell and the year over the figures
            # (Rosstat's ";2021" above "Белгородская область;748,4"); with one heading it was
            # no header, and the title line above was taken for it.  Also with a row of the
            # unit between (GENESIS's ";;30.06.2023" over ";;Anzahl"), and key columns left of
            # the figures ("Baden-Württemberg;Insgesamt;4.947.123"): the file's first line, a
            # title, was the header and every row 'has 3 fields, the header has 1'
            return i
        if len(cells) < max(2, 0.6 * width):
            continue
        if len(cells) == 2 < width and region_from_titles([cells]) is not None:
            continue  # a "Kreis | 03159 Göttingen" title row, not the header
        if len(cells) >= 3 and _codes_header(cells):
            return i
        failed = [c for c in cells if excel.is_spreadsheet_error(str(c))]
        labels = [c for c in cells if (not _is_number(c) or period_of(c) is not None) and c not in failed]
        numbers = [c for c in cells if _is_number(c) and period_of(c) is None]
        if any(str(c).strip() in _MARKER_CELLS for c in cells):
            # a data row whose figures are all withheld (GENESIS "Bremen;WZ08-A;...;x;x") is
            # no header: taken as one, its 'x' cells were a "duplicate column heading"
            continue
        if failed and not any(role_of(str(c)) for c in labels):
            # nor is one whose figures are failed formulas ('#N/A'), said on their line: a
            # header with a failed heading ('#REF!') names its other columns (region, ...)
            continue
        if labels and not numbers and len(labels) >= 0.6 * len(cells):
            if i + 1 < len(head):  # oblasts (each cell repeated over its columns) over districts
                below = [("" if c is None else str(c)).strip() for c in head[i + 1]]
                if _regions_over_districts(below, [r]) != below or _months_under_years(below, [r]) != below:
                    return i + 1
            return i
    # No row qualifies: the key columns carry no heading (GENESIS / Regionalstatistik exports:
    # ";;;Insgesamt;Land- und Forstwirtschaft (A)"): the last row of labels above the first data row.
    def numbers_in(r):  # (a failed formula's '#N/A' stands where a figure does)
        return sum(1 for c in r if c not in (None, "") and (_is_number(c) and period_of(c) is None
                                                            or excel.is_spreadsheet_error(str(c))))

    first_data = next((i for i, r in enumerate(head) if numbers_in(r) >= 2), None)
    for i in range((first_data or 0) - 1, -1, -1):
        cells = [c for c in head[i] if c not in (None, "")]
        if len(cells) >= 2 and numbers_in(head[i]) == 0:
            if i > 0 and _units_under_periods(head[i - 1], head[i]):
                return i - 1  # GENESIS's ";;30.06.2022;30.06.2023" over ";;Anzahl;Anzahl"
            return i
    return 0


# a reference day (GENESIS's Stichtag) as a column heading: 30.06.2023, 2023-06-30
_HEADING_DATE = re.compile(r"^(?:\d{1,2}\.\d{1,2}\.((?:19|20)\d{2})|((?:19|20)\d{2})-\d{2}-\d{2})$")


def _period_heading(cell: str) -> bool:
    """A period as a column heading: a year, quarter or month (:func:`period_of`), or a date."""
    return period_of(cell) is not None or bool(_HEADING_DATE.match(cell.strip()))


def _units_under_periods(above, row) -> bool:
    """Whether ``row`` is a row of units (GENESIS's "Anzahl", "Tsd. EUR") under ``above``, a row
    of period headings over the same columns (its key columns empty): the periods' row is the
    header, the units' a row under it."""
    from clusterid.io.readers.generic_post import unit_factor  # (imports this module)

    up = [("" if c is None else str(c)).strip() for c in above]
    low = [("" if c is None else str(c)).strip() for c in row]
    filled = [j for j, c in enumerate(low) if c]
    headed = [j for j, c in enumerate(up) if c]
    if not (filled and filled[0] > 0 and set(filled) <= set(headed)):
        return False
    if headed == filled and all(_period_heading(up[j]) and not _period_heading(low[j]) for j in filled):
        return True
    # ... or of measures (GENESIS's ";;;;Betriebe;Sozialversicherungspflichtig Beschäftigte"
    # over ";;;;Anzahl;Anzahl", a key column's heading over no unit): the units' row, the last
    # without figures, was taken for the header, and refused for its 'duplicate column
    # heading' 'Anzahl'
    return all(not _is_number(up[j]) and not _period_heading(up[j]) and not _is_number(low[j])
               and unit_factor(low[j]) is not None for j in filled)


def _one_year_rows(row, header) -> bool:
    """Whether ``row`` is a data row under a one-year header row ``header``: a name in the
    corner's column, a figure (or a marker) under the year, nothing right of it; the columns
    between hold names (the keys of GENESIS's "Bayern;WZ08-C Verarbeitendes Gewerbe;1.456.789"),
    no figures."""
    cells = [("" if c is None else str(c)).strip() for c in row]
    at = next(j for j, c in enumerate(header) if c not in (None, ""))
    if len(cells) <= at or not cells[0] or _is_number(cells[0]):
        return False
    # (a figure or a marker, as the docstring says: a heading under the year, as in
    # ";2021" over "Wirtschaftszweig;Beschäftigte", is the header below a year's title line)
    return (_is_number(cells[at]) or cells[at] in _MARKER_CELLS) \
        and all(not c for j, c in enumerate(cells) if j > at) \
        and not any(_is_number(c) for c in cells[1:at])


def _units_row(row, header) -> bool:
    """Whether ``row`` is a row of the unit under a one-year header row ``header``: one word
    under the year (GENESIS's "Anzahl", "1000", "EUR"), nothing else."""
    cells = [("" if c is None else str(c)).strip() for c in row]
    at = next(j for j, c in enumerate(header) if c not in (None, ""))
    return len(cells) > at and bool(cells[at]) and not any(c for j, c in enumerate(cells) if j != at) \
        and not _period_heading(cells[at]) and not _is_number(cells[at])


# a title naming the table as the one above, carried on over a page break: the same table
# (Destatis prints "noch: Tabelle 3" over a table's later pages)
_CONTINUED = re.compile(r"continu|\bcont(?:'d|d)?\.|\(cont\b|fortsetzung|\bforts\.|продолж|\(suite\)"
                        r"|^noch\b", re.IGNORECASE)


def _filled(cells) -> list[str]:
    return [str(c).strip() for c in cells if c is not None and str(c).strip()]


def _last_title(above) -> str | None:
    """The title nearest above a table's header (its last non-blank row), as compared."""
    for row in reversed(above):
        if cells := _filled(row):
            return " ".join(" ".join(cells).split()).lower()
    return None


def _own_titles(above, header) -> list:
    """The title rows of a table whose header a user placed by --skip-rows: those below the
    last data row of a table above it (a yearbook's second table), not that table's rows --
    its titles' years were taken for this table's ("the title names 2016, 2017, 2100")."""
    width = max(2, len(_filled(header)))
    last = max((i for i, r in enumerate(above) if len(_filled(r)) >= width), default=-1)
    return above[last + 1:]


def _title_of_next_table(title_cells, header, first_title) -> str | None:
    """The title of a second table (``title_cells``: the nearest non-blank row above a header
    again, :func:`_is_table_header`), or None: one cell of text (or fewer cells than the
    header's, a comma inside an unquoted title), and neither the table's own title again nor
    one saying it is continued (a page break in a printed export: the same table)."""
    title = _filled(title_cells)
    if not title or _is_number(title[0]) or not re.search(r"[^\W\d_]{2,}", title[0]):
        return None
    if len(title) > 1 and not (len(title_cells) < len(header) and len(title) < len(_filled(header))):
        return None
    text = " ".join(" ".join(title).split())
    if text.lower() == first_title or _CONTINUED.search(text):
        return None
    return text


def _is_table_header(cells, header) -> bool:
    """Whether ``cells`` is a header: the table's own again, or another whose first heading
    and most headings are the table's (as :func:`rowcheck.other_header` finds files joined
    with cat)."""
    names = [rowcheck._heading(h) for h in header]
    known = set(names) - {""}
    got = [rowcheck._heading(str(c or "")) for c in cells]
    while got and not got[-1]:
        got.pop()
    if not got or got[0] not in known:
        return False
    filled = [c for c in got if c]
    return got == names[:len(got)] or sum(c in known for c in filled) * 2 > len(filled)


_MEASURE_ROLES = ("employment", "establishments", "wages", "output")


def _key_columns(header) -> tuple[int | None, ...]:
    """Per column of ``header``: its index where it is a key by its heading (a region,
    industry, period ...), None where a measure's, -1 where its heading says neither."""
    return _key_columns_of(tuple(str(h or "") for h in header))


@functools.lru_cache(maxsize=64)
def _key_columns_of(header: tuple[str, ...]) -> tuple[int | None, ...]:
    from clusterid.io.readers.generic_headings import role_of

    out = []
    for j, h in enumerate(header):
        role = role_of(h) if h.strip() else None
        out.append(None if role in _MEASURE_ROLES else j if role else -1)
    return tuple(out)


def _row_keys(rows, header) -> set[tuple]:
    """The keys of data rows: their cells in the key columns by heading (:func:`_key_columns`),
    and the text cells (no figures, no markers) of columns whose heading says neither."""
    cols = _key_columns(header)
    keys = set()
    for r in rows:
        cells = [("" if c is None else str(c)).strip() for c in r]
        if len([c for c in cells if c]) < 2:
            continue  # a blank row, a title or a note
        key = tuple(c for j, c in enumerate(cells) if j < len(cols) and (
            cols[j] == j or (cols[j] == -1 and c and not _is_number(c) and c not in _MARKER_CELLS)))
        if key:
            keys.add(key)
    return keys


def _same_header(cells, header) -> bool:
    got = [rowcheck._heading(str(c or "")) for c in cells]
    names = [rowcheck._heading(str(h or "")) for h in header]
    while got and not got[-1]:
        got.pop()
    while names and not names[-1]:
        names.pop()
    return got == names


def _rows_under(rows, limit: int = 5000) -> list:
    """The data rows of ``rows`` (those under a header) to the first blank or one-cell row."""
    out = []
    for r in rows[:limit]:
        if len(_filled(r)) < 2:
            break
        out.append(r)
    return out


def _page_break(above_keys: set, below_rows, cells, header) -> bool:
    """Whether the table's own header again, under a line such as a printed export's running
    head ('Page 2', 'Statistical Yearbook 2017'), is a page break of one table rather than a
    second table: the rows under it continue the table (none of their keys is one of the
    rows' above), where a yearbook's second table (2017 under 2016, establishments under
    employment) repeats them.  e87b301 read such a running head as a second table's title:
    the pages after the first were not read, exit 0."""
    if not _same_header(cells, header):
        return False
    below = _row_keys(_rows_under(below_rows), header)
    return bool(below) and not (below & above_keys)


def next_table_in_rows(rows, h: int, header) -> tuple[int, int, str] | None:
    """``(index of its title row, index of its header row, title)`` of a second table below the
    table whose header is ``rows[h]`` (a yearbook's CSV or sheet: a title, a header, rows; then
    another title, header and rows), or None."""
    first_title = None
    keys_above, keys_upto = set(), h + 1
    known = {rowcheck._heading(x) for x in header} - {""}
    for k in range(h + 2, len(rows)):
        if not rows[k] or rowcheck._heading(str(rows[k][0] or "")) not in known \
                or not _is_table_header(rows[k], header):
            continue
        t = k - 1
        while t > h and not _filled(rows[t]):
            t -= 1
        if t <= h + 1 or not any(_filled(r) for r in rows[h + 1:t]):
            continue  # no data row of the first table above the title
        first_title = first_title or _last_title(rows[:h]) or ""
        title = _title_of_next_table(rows[t], header, first_title)
        if title is None:
            continue
        if _same_header(rows[k], header):
            # the rows above, read once however many page breaks (:func:`_page_break`)
            keys_above |= _row_keys(rows[keys_upto:t], header)
            keys_upto = max(keys_upto, t)
            if _page_break(keys_above, rows[k + 1:k + 5001], rows[k], header):
                continue
        return t, k, title
    return None


def next_table_in_text(text: str, off: int, sep: str, header, first_title) -> tuple[int, int, str] | None:
    """As :func:`next_table_in_rows` over ``text`` whose body starts at offset ``off``:
    ``(offset of its title line, offset of its header line, title)``.  The lines starting with
    the header's first heading (as written, in lower, upper or title case, quoted or not) are
    found by ``str.find`` (a few, if any; a pattern over every line took 1.4 s on 40 MB), then
    looked at."""
    first = str(header[0] if header else "").strip().lstrip("\ufeff").strip().strip('"').strip()
    if not first:
        return None
    starts: set[int] = set()
    for spelling in {first, first.lower(), first.upper(), first.title()}:
        for lead in ("\n", '\n"'):
            needle = lead + spelling
            at = text.find(needle, off - 1 if off else 0)
            while at >= 0 and len(starts) < 10_000:
                after = text[at + len(needle):at + len(needle) + 1]
                if after in ("", sep, '"', " ", "\t", "\r", "\n"):
                    starts.add(at + 1)
                at = text.find(needle, at + 1)
    keys_above, keys_upto, data_above = set(), off, False
    for start in sorted(starts):
        if start <= off:
            continue
        end = text.find("\n", start)
        line = text[start:end if end >= 0 else len(text)].rstrip("\r")
        cells = next(csv.reader([line], delimiter=sep), [])
        if not _is_table_header(cells, header):
            continue
        # the nearest non-blank line above it
        t_end = start - 1
        while t_end > off:
            t_start = text.rfind("\n", 0, t_end) + 1
            above = text[t_start:t_end].rstrip("\r")
            if above.replace(sep, "").replace('"', "").strip():
                break
            t_end = t_start - 1
        else:
            continue
        if t_start <= off:
            continue  # the title is the first line under the header
        if not data_above:  # (once a data row is above one header, it is above every later one)
            data_above = bool(text[off:t_start].replace(sep, "").replace('"', "").strip())
            if not data_above:
                continue  # no data row above it
        title_cells = next(csv.reader([above], delimiter=sep), [])
        title = _title_of_next_table(title_cells, header, first_title)
        if title is not None:
            if _same_header(cells, header):
                # the table's own header again under a running head: a page break where the
                # rows under it are no repeat of the rows above (:func:`_page_break`)
                if keys_upto < t_start:
                    keys_above |= _row_keys(csv.reader(io.StringIO(text[keys_upto:t_start]), delimiter=sep), header)
                    keys_upto = t_start
                below_rows, pos = [], end + 1 if end >= 0 else len(text)
                while pos < len(text) and len(below_rows) < 5000:  # to the first blank or one-cell line
                    nl = text.find("\n", pos)
                    row = next(csv.reader([text[pos:nl if nl >= 0 else len(text)].rstrip("\r")], delimiter=sep), [])
                    if len(_filled(row)) < 2:
                        break
                    below_rows.append(row)
                    pos = nl + 1 if nl >= 0 else len(text)
                if _page_break(keys_above, below_rows, cells, header):
                    continue
            return t_start, start, title
    return None


def _csv_rows(text: str, sep: str, path: str = "<input>") -> tuple[list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=True)
    rows, lines = [], []
    start = 1
    try:
        for rec in reader:
            rows.append(rec)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        msg, hint = str(exc), "check the quotes on this line"
        if "unexpected end of data" in msg or "EOF" in msg:
            msg = "unterminated quote: the quoted field starting on this line never closes"
        elif textmod.FIELD_LIMIT_ERROR in msg:
            lines = io.StringIO(text, newline="")
            for _ in range(start - 1):
                next(lines, None)
            msg, hint = textmod.oversized_field(lines, sep)
        raise DataError(problems=[Problem(f"malformed CSV: {msg}", path=path, line=start,
                                          hint=hint)]) from exc
    return rows, lines


def raw_table(path: str, data: bytes, options) -> RawTable:
    """Read ``data`` (the bytes of ``path``) into a :class:`RawTable` of strings."""
    data = textmod.gunzip_if_needed(data, path)
    if data[:4] == b"PAR1":
        return _parquet_table(path, data)
    if data[:2] == b"PK" or data[:8] == excel.OLE2_MAGIC:  # xlsx, xlsb, ods or xls
        rows, lines, details = excel.read_rows(path, data, options.sheet, defer_uncached=True)
        return _from_rows(path, rows, lines, options, details, sep=",")
    if data[:1] in (b"<", b"\xef", b"\xff", b"\xfe", b" ", b"\r", b"\n"):
        from clusterid.io.readers.excel import markup_refusal

        if (why := markup_refusal(data)) is not None:
            raise InputFileError(f"{path}: {why}")
    text, encoding = textmod.decode(data, options.encoding, path)
    if not text.strip():
        raise DataError(problems=[Problem("the file is empty", path=path)])
    notes = re.match(r"(.+)-Table-Notes\.txt$", re.split(r"[/\\:]", path)[-1])
    if notes:
        # data.census.gov's notes on a table (in its zip beside ...-Data.csv): prose, which
        # was refused as a table whose rows were ragged ("row has 2 fields, the header has 5")
        raise DataError(problems=[Problem(
            "the notes of a data.census.gov download, not its data", path=path, line=1,
            expected="a table of figures", found=text.strip().splitlines()[0][:60],
            hint=f"ingest the table beside it ({notes.group(1)}-Data.csv)")])
    if text.lstrip().startswith("[["):
        # a Census API response saved as is: a JSON array of rows, the first the headings
        table = _json_rows_table(path, text, options, encoding)
        if table is not None:
            return table
    if re.match(r'\s*\["', text):
        # the Census API's rows without the array around them (its answer copied from the
        # browser from the first row on): one JSON array a line, each but the last ending ","
        import json

        try:
            rows = json.loads("[" + text.strip().rstrip(",") + "]")
        except json.JSONDecodeError:
            rows = None  # no such rows: read as a CSV, as before
        if isinstance(rows, list) and len(rows) > 1 and all(isinstance(r, list) for r in rows):
            table = _json_rows_table(path, json.dumps(rows), options, encoding)
            if table is not None:
                return table
    if text[:1] in "\ufeffABCDEFGHIJKLMNOPQRSTUVWXYZ \r\n" and px.opens_as_px(text):
        px.check_complete(text, path)
    if text[:1] in "\ufeffABCDEFGHIJKLMNOPQRSTUVWXYZ \r\n" and px.is_px(text):
        # a PC-Axis file (PX-Web's default download): was "no region column recognised,
        # found 'CHARSET="ANSI"'"; read as the long table it stands for, in the code page it
        # names unless --encoding says otherwise
        cp = None if options.encoding else px.codepage(data)
        if cp is not None and cp != encoding:
            try:
                text, encoding = data.decode(cp).lstrip("\ufeff"), cp
            except UnicodeDecodeError:
                pass  # the page it names does not fit its bytes: decoded as any other text
        rows, lines = px.rows(text, path)
        table = _from_rows(path, rows, lines, options, {"encoding": encoding, "format": "px"}, sep=",")
        table.strict_width = True
        return table
    if text.lstrip().startswith("{"):
        # a JSON-stat dataset (Eurostat's API answers in JSON-stat 2.0 by default)
        table = _jsonstat_table(path, text, options, encoding)
        if table is not None:
            return table
    sep = textmod.sniff_separator(text, options.sep)
    details = {"encoding": encoding, "separator": sep}
    if '="' in text:
        text, formulas = excel_text_cells(text, sep)
        if formulas:
            details["excel_text_cells"] = formulas
    if FAST_TEXT:
        table = _fast_text_table(path, text, sep, options, dict(details))
        if table is not None:
            return table
    rows, lines = _csv_rows(text, sep, path)
    table = _from_rows(path, rows, lines, options, dict(details), sep=sep)
    table.strict_width = True
    table.cut_at_end = not text.endswith(("\n", "\r"))
    return table


def excel_text_cells(text: str, sep: str) -> tuple[str, int]:
    r'''``text`` with each cell written as an Excel text formula, ``="01001"`` (or CSV-quoted,
    ``"=""01001"""``), made the quoted field ``"01001"`` it stands for, and how many there were.

    Portals write codes so that Excel keeps their leading zeros when it opens the file; read as
    they stand, the regions were ``="01001"`` and the NAICS sectors ``="31-33"`` a custom
    classification of their own, silently.  Only a whole field is unwrapped (at a line's start
    or after the separator, up to the next one or the line's end).
    '''
    s = re.escape(sep)
    end = r"(?=" + s + r"|\r|\n|$)"
    plain = re.compile(r'(^|' + s + r')="([^"\r\n]*)"' + end, re.MULTILINE)
    quoted = re.compile(r'(^|' + s + r')"=""((?:[^"\r\n]|"")*?)"""' + end, re.MULTILINE)
    text, n = plain.subn(r'\1"\2"', text)
    text, m = quoted.subn(r'\1"\2"', text)
    return text, n + m


def _json_rows_table(path: str, text: str, options, encoding: str) -> RawTable | None:
    """A JSON array of arrays (the Census API's response: ``[["NAME","NAICS2017","EMP",...],
    ["Beaver County, Utah","00","1750",...]]``) as a table of strings; JSON ``null`` is an
    empty cell.  None when the text is no such array (then it is read as CSV and fails there)."""
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:  # cut short: it was read as a CSV of '[["NAME"' headings
        raise DataError(problems=[Problem(
            f"not valid JSON: {exc.msg}", path=path, line=exc.lineno,
            expected="a complete JSON array of rows", found=f"column {exc.colno}",
            hint="a download cut short? download it again")]) from exc
    if not (isinstance(data, list) and data and all(isinstance(r, list) for r in data)):
        return None
    rows = [["" if c is None else str(c) for c in r] for r in data]
    lines = [i + 1 for i in range(len(rows))]  # one row a line, as the API writes them
    table = _from_rows(path, rows, lines, options, {"encoding": encoding, "format": "json"}, sep=",")
    table.strict_width = True
    return table


def _no_name_twice(path: str):
    """A ``json.loads`` object hook refusing an object that gives a name twice: the parser
    keeps the last, so a value given twice ("2": 30.2, "2": 99.0) replaced the first unsaid."""
    def hook(pairs):
        seen = set()
        for k, _v in pairs:
            if k in seen:
                raise DataError(problems=[Problem(
                    "a name given twice in a JSON object", path=path, expected="each name once",
                    found=str(k))])
            seen.add(k)
        return dict(pairs)
    return hook


def _clusterid_json(path: str, data: dict) -> str | None:
    """What a JSON file clusterid wrote is, given where a table is read -- a CSV table's
    ``.meta.json`` sidecar (a tab completion one step too far), detect's ``metadata.json``,
    clusterid run's state -- for a usage error: it was "a JSON file that is no JSON-stat
    dataset ...; download the table as SDMX-CSV or TSV instead".  None for any other JSON."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if isinstance(data.get("stages"), dict) and "pipeline" in data and "version" in data:
        return (f"{path}: the state `clusterid run` keeps of a pipeline's stages, not a table; "
                "give the pipeline's input files, or its stages' outputs")
    kind = data.get("kind")
    if not isinstance(kind, str) or not ({"inputs", "data_sha256", "files"} & set(data)):
        return None
    if name.endswith(".meta.json") and len(name) > len(".meta.json"):
        table = path[: -len(".meta.json")]
        return (f"{path}: the metadata sidecar of {table} (clusterid's record of how it was "
                f"made), not a table; give {table} itself")
    if kind == "detect":
        folder = path[: -len(name)].rstrip("/") or "."
        return (f"{path}: the metadata of a `clusterid detect` output folder, not a table; give "
                f"the table detect was run on (`clusterid report {folder}` reads the folder)")
    return f"{path}: clusterid's metadata of a {kind} output, not a table; give the table itself"


_PXSTAT_ID = re.compile(r"^C\d{4,6}V\d{4,6}$")


def _jsonstat_as_pxstat(rows, ids, dims, parts, units):
    """The CSO's PxStat answers in JSON-stat too, its classifications' ids opaque
    (``C02196V02652``, labelled ``Region``) and the unit on its statistic's categories
    (``Thousand``): read with the ids as headings, no region or industry column was found.
    Such a dimension becomes PxStat's CSV pair, its codes under the id and its labels under
    the dimension's label (:mod:`.generic_pxstat` reads them), and a dimension's category units
    a ``UNIT`` column.  ``rows`` as they are for any other JSON-stat dataset."""
    pairs = [k for k, d in enumerate(ids) if _PXSTAT_ID.match(d)
             and isinstance(dims[d], dict) and isinstance(dims[d].get("label"), str) and dims[d]["label"].strip()]
    unit_dim = next((k for k, u in enumerate(units) if u), None)
    if not pairs:
        return rows
    # (its time: TLIST(Q1)'s codes 20234, the labels the periods 2023Q4)
    tlist = {k for k, d in enumerate(ids) if re.match(r"^TLIST\(\w+\)$", d)}
    head = rows[0]
    out_head = []
    for k, h in enumerate(head[:len(ids)]):
        out_head.append(h)
        if k in pairs:
            out_head.append(dims[ids[k]]["label"].strip())
    if unit_dim is not None:
        out_head.append("UNIT")
    out = [out_head + head[len(ids):]]
    for row in rows[1:]:
        cells = []
        for k, cell in enumerate(row[:len(ids)]):
            if k in pairs:
                cells += list(parts[k].get(cell, (cell, cell)))
            elif k in tlist:
                cells.append(parts[k].get(cell, (cell, cell))[1])
            else:
                cells.append(cell)
        if unit_dim is not None:
            code = parts[unit_dim].get(row[unit_dim], (row[unit_dim], ""))[0]
            unit = units[unit_dim].get(code)
            cells.append(str(unit.get("label", "")) if isinstance(unit, dict) else "")
        out.append(cells + row[len(ids):])
    return out


def _jsonstat_units(rows, ids, parts, units):
    """``rows`` with a ``UNIT`` column giving each value's unit, where the metric dimension's
    categories carry one (JSON-stat's ``category.unit``: SSB's ``{"base": "1 000 personer"}``,
    Statistics Finland's ``"1000 henkeä"``) and no ``UNIT`` column is there yet: left unread,
    SSB's employment in thousands was read as persons, a thousand times too small."""
    unit_dim = next((k for k, u in enumerate(units) if u), None)
    if unit_dim is None or "UNIT" in rows[0]:
        return rows
    out = [rows[0] + ["UNIT"]]
    for row in rows[1:]:
        code = parts[unit_dim].get(row[unit_dim], (row[unit_dim], ""))[0]
        unit = units[unit_dim].get(code)
        text = ""
        if isinstance(unit, dict):
            text = str(unit.get("label") or unit.get("base") or "")
        out.append(row + [text])
    return out


def _pxweb_json_table(path: str, data: dict, options, encoding: str) -> RawTable:
    """PxWebApi's own JSON answer (v1's default ``"format": "json"``, SCB, Statistics Finland,
    SSB, Statistics Denmark's PX-Web sites): ``columns`` (each ``code``, ``text``, ``type``:
    ``d`` a dimension, ``t`` time, ``c`` a content, the measure) and ``data`` (each ``key``, the
    codes of the dimensions and the time, and ``values``, one per content) as the table it
    stands for, headed by the columns' texts.  It was refused as "a JSON file that is no
    JSON-stat dataset".  A row's "line" is its position + 2 (the header line 1); the answer's
    ``metadata`` label, the table's title, is a title line above the header."""
    import json

    columns = data["columns"]
    bad = next((c for c in columns if not (isinstance(c, dict) and c.get("type") in ("d", "t", "c")
                                           and str(c.get("text") or c.get("code") or "").strip())), None)
    if bad is not None:
        raise DataError(problems=[Problem(
            "a PxWeb JSON column that is no dimension, time or content", path=path,
            expected='{"code": ..., "text": ..., "type": "d", "t" or "c"}',
            found=json.dumps(bad, ensure_ascii=False)[:60])])
    keys = [c for c in columns if c["type"] in ("d", "t")]
    contents = [c for c in columns if c["type"] == "c"]
    header = [str(c.get("text") or c.get("code")).strip() for c in keys + contents]
    rows, lines = [header], [1]
    for i, rec in enumerate(data["data"]):
        key = rec.get("key") if isinstance(rec, dict) else None
        values = rec.get("values") if isinstance(rec, dict) else None
        if not (isinstance(key, list) and isinstance(values, list)
                and len(key) == len(keys) and len(values) == len(contents)):
            raise DataError(problems=[Problem(
                f"PxWeb JSON data row {i + 1} does not match the columns", path=path, line=i + 2,
                expected=f"{len(keys)} keys and {len(contents)} values",
                found=json.dumps(rec, ensure_ascii=False)[:60])])
        rows.append(["" if v is None else str(v) for v in key + values])
        lines.append(i + 2)
    meta = data.get("metadata")
    label = meta[0].get("label") if isinstance(meta, list) and meta and isinstance(meta[0], dict) else None
    if isinstance(label, str) and label.strip():
        rows, lines = [[label.strip()]] + rows, [0] + lines
    table = _from_rows(path, rows, lines, options, {"encoding": encoding, "format": "json"}, sep=",")
    table.strict_width = True
    return table


def _jsonstat_table(path: str, text: str, options, encoding: str) -> RawTable | None:
    """A JSON-stat dataset (2.0: ``class: dataset`` with ``id``/``size``/``dimension``; 1.x: a
    bundle ``{"name": {"dimension": {"id", "size", ...}, "value", "status"}}``) as the SDMX-CSV
    table it stands for: one row per observation, a column per dimension (cell ``code:label``
    as Eurostat's SDMX-CSV with labels writes it), ``OBS_VALUE`` and ``OBS_FLAG``.  Values are
    row-major over the dimensions in ``id`` order, ``value``/``status`` an array or an object
    keyed by position (``status`` also one string for all).  Positions with neither a value nor
    a status (Eurostat leaves unavailable cells out) are no rows; a status without a value
    (``":"``, ``"c"``) is a row with an empty value and that flag.  The time dimension is headed
    ``TIME_PERIOD``.  A row's "line" is its position + 2 (the header being line 1).  None when
    the text is no JSON-stat dataset."""
    import json

    try:
        data = json.loads(text, object_pairs_hook=_no_name_twice(path))
    except json.JSONDecodeError as exc:
        # text that opens as a JSON object and breaks off (a download cut short) was read as a
        # CSV: "column '1': duplicate column heading"
        raise DataError(problems=[Problem(
            f"not valid JSON: {exc.msg}", path=path, line=exc.lineno,
            expected="a complete JSON-stat dataset", found=f"column {exc.colno}",
            hint="a download cut short? download it again")]) from exc
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("columns"), list) and isinstance(data.get("data"), list) and "dimension" not in data:
        return _pxweb_json_table(path, data, options, encoding)
    ds = data
    if "dimension" not in ds:  # a 1.x bundle of one (or more: the first) dataset
        inner = [v for v in data.values() if isinstance(v, dict) and "dimension" in v]
        ds = inner[0] if inner else data  # (none: said below, not read as a CSV line)
    dims = ds.get("dimension")
    ids = ds.get("id") or (dims.get("id") if isinstance(dims, dict) else None)
    sizes = ds.get("size") or (dims.get("size") if isinstance(dims, dict) else None)
    if not (isinstance(dims, dict) and isinstance(ids, list) and isinstance(sizes, list)
            and len(ids) == len(sizes) and all(i in dims for i in ids)):
        written = _clusterid_json(path, data)
        if written:
            raise UsageError(written)
        raise DataError(problems=[Problem(
            "a JSON file that is no JSON-stat dataset", path=path,
            expected="JSON-stat 2.0 (class dataset, id, size, dimension, value) or a Census-API "
                     "array of rows", found=", ".join(list(data)[:6]),
            hint="download the table as SDMX-CSV or TSV instead")])
    role = ds.get("role") or {}
    time_ids = set(role.get("time") or []) if isinstance(role, dict) else set()
    cats = []
    parts: list[dict] = []  # each dimension's cell -> (code, label)
    units: list[dict | None] = []  # each dimension's category units (JSON-stat's metric: unit)
    for d, n in zip(ids, sizes):
        if type(n) is not int or n < 0:
            # a size written 5.0 or "5" was an internal error (a float is no list index)
            raise DataError(problems=[Problem(
                f"JSON-stat dimension {d!r}: its size is no whole number", path=path, column=d,
                expected="a count of categories (0, 1, 2 ...)",
                found=json.dumps(n, ensure_ascii=False))])
        # a dimension, its category or its labels that is no JSON object (a list, a string):
        # "internal error: AttributeError: 'list' object has no attribute 'get'"
        dim = dims[d] or {}
        cat = (dim.get("category") or {}) if isinstance(dim, dict) else None
        labels = (cat.get("label") or {}) if isinstance(cat, dict) else None
        if not isinstance(labels, dict):
            part = ("the dimension" if not isinstance(dim, dict) else
                    "its category" if not isinstance(cat, dict) else "its category labels")
            found = (dim if not isinstance(dim, dict) else
                     cat if not isinstance(cat, dict) else labels)
            raise DataError(problems=[Problem(
                f"JSON-stat dimension {d!r}: {part} {'are' if part.endswith('s') else 'is'} no "
                "JSON object", path=path, column=d,
                expected='an object ({"category": {"index": ..., "label": {code: label}}})',
                found=json.dumps(found, ensure_ascii=False)[:60])])
        index = cat.get("index")
        if isinstance(index, dict):
            # a position given twice, or one skipped: the cells of the categories after it were
            # those of others (B-E and C both 1: C read with F's values), exit 0; a position
            # written as text ("1") beside numbers was an internal error (TypeError)
            given = list(index.values())
            if (not all(type(v) is int for v in given)
                    or sorted(given) != list(range(len(index)))):
                raise DataError(problems=[Problem(
                    f"JSON-stat dimension {d!r}: category positions are not 0..{len(index) - 1}, "
                    "each once", path=path, column=d, expected=f"0..{len(index) - 1}",
                    found=", ".join(f"{k}:{json.dumps(v, ensure_ascii=False)}"
                                    for k, v in list(index.items())[:8]))])
            order = sorted(index, key=lambda k: index[k])
        elif isinstance(index, list):
            order = list(index)
        else:
            order = list(labels)
        if len(order) != n:
            raise DataError(problems=[Problem(
                f"JSON-stat dimension {d!r} has {len(order)} categories but size {n}",
                path=path, column=d, expected=str(n), found=str(len(order)))])
        is_time = d in time_ids or d.lower() in ("time", "time_period")
        cats.append([c if is_time or labels.get(c, c) == c else f"{c}:{labels[c]}" for c in order])
        parts.append({cell: (c, str(labels.get(c, c))) for cell, c in zip(cats[-1], order)})
        units.append(cat.get("unit") if isinstance(cat.get("unit"), dict) else None)
    heads = ["TIME_PERIOD" if (d in time_ids or d.lower() in ("time", "time_period")) else d for d in ids]
    total = 1
    for n in sizes:
        total *= n

    def _positions(obj, what: str) -> dict[int, object]:
        if isinstance(obj, list):
            # an array holds every cell: a shorter one is cut short (its last cells were no
            # rows, exit 0), a longer one said below, by position
            if what == "value" and len(obj) < total:
                raise DataError(problems=[Problem(
                    f"JSON-stat value array of {len(obj)} cells, the sizes give {total}", path=path,
                    expected=f"{total} values (null for a missing one)", found=str(len(obj)))])
            return {i: v for i, v in enumerate(obj) if v is not None}
        if isinstance(obj, dict):
            # a key that is no position ('x', '-1') was passed over without a word; one of
            # digits other than 0-9 ('²', which isdigit() takes) failed int(), an internal error
            bad = [k for k in obj if not re.fullmatch(r"[0-9]+", str(k))]
            if bad:
                raise DataError(problems=[Problem(
                    f"JSON-stat {what} keyed by something other than a cell position", path=path,
                    expected="keys 0, 1, 2 ... (positions)", found=str(bad[0]))])
            return {int(k): v for k, v in obj.items() if v is not None}
        return {}

    for what, allowed in (("value", (list, dict)), ("status", (list, dict, str))):
        # a value that is neither an array nor an object (a string): read as no values at
        # all, every cell with a status a suppressed one, exit 0
        if ds.get(what) is not None and not isinstance(ds.get(what), allowed):
            raise DataError(problems=[Problem(
                f"JSON-stat {what} is no array or object", path=path,
                expected=f"an array of {'values' if what == 'value' else 'statuses'} by "
                         "position, or an object keyed by position"
                         + (", or one string for all" if what == "status" else ""),
                found=json.dumps(ds.get(what), ensure_ascii=False)[:60])])
    values = _positions(ds.get("value"), "value")
    status_raw = ds.get("status")
    status = ({i: status_raw for i in range(total)} if isinstance(status_raw, str)
              else _positions(status_raw, "status"))
    rows: list[list[str]] = [heads + ["OBS_VALUE", "OBS_FLAG"]]
    lines = [1]
    for pos in sorted(set(values) | {i for i in status if i in values or status[i]}):
        if pos >= total:
            raise DataError(problems=[Problem(
                f"JSON-stat value at position {pos} beyond the {total} cells the sizes give",
                path=path, expected=f"positions 0..{total - 1}", found=str(pos))])
        rest, cells = pos, []
        for n, cat in zip(reversed(sizes), reversed(cats)):
            cells.append(cat[rest % n])
            rest //= n
        v = values.get(pos)
        rows.append(cells[::-1] + ["" if v is None else repr(v) if isinstance(v, float) else str(v),
                                   str(status.get(pos) or "")])
        lines.append(pos + 2)
    if len(rows) == 1:
        raise DataError(problems=[Problem("the JSON-stat dataset holds no values", path=path)])
    rows = _jsonstat_as_pxstat(rows, ids, dims, parts, units)
    rows = _jsonstat_units(rows, ids, parts, units)
    table = _from_rows(path, rows, lines, options, {"encoding": encoding, "format": "json-stat"}, sep=",")
    table.strict_width = True
    return table


# Text tables are read by :func:`_fast_text_table` (vectorised, seconds for millions of rows)
# whenever every record is one physical line; otherwise (a quoted value spanning lines, a bare
# CR line ending, an unbalanced quote, a field over the csv module's limit) by the csv module
# record by record, which locates each problem exactly.  Tests set this False to compare both.
FAST_TEXT = True
_HEAD_RECORDS = 40  # find_header looks at this many records
_IX, _XTRA = "\x00row", "\x00extra"  # helper columns: no heading can be called that


def _fast_text_table(path, text, sep, options, details) -> RawTable | None:
    """The :class:`RawTable` of a text table with its cells already in a polars frame.

    Returns None when the text needs the record-by-record reader (see :data:`FAST_TEXT`).  The
    result is the same as ``_from_rows(_csv_rows(...))`` followed by :func:`.generic._cell_frame`: the
    header is found by the csv module on the first records, then every later physical line is one
    record: split at the separator when it holds no quote, parsed by the csv module when it does
    (and that parse must give exactly one record per line).
    """
    import polars as pl

    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # bare CR line endings: the csv module splits records there too
    if any(ch in text for ch in "\x1c\x1d\x1e\x1f"):
        return None  # blank to Python's str.strip, not to polars' strip_chars
    want = max(_HEAD_RECORDS, (options.skip_rows or 0) + 1)
    # (lines handed over one by one: a StringIO of the whole text would hold 4 bytes a character)
    reader = csv.reader(_physical_lines(text), delimiter=sep, quotechar='"', strict=True)
    head, starts, ends = [], [], []
    start = 1
    try:
        for rec in reader:
            head.append(rec)
            starts.append(start)
            ends.append(reader.line_num)
            start = reader.line_num + 1
            if len(head) >= want:
                break
    except csv.Error:
        return None
    if not any(any((c or "").strip() for c in r) for r in head):
        return None
    if options.skip_rows is not None:
        if options.skip_rows >= len(head):
            return None
        h = options.skip_rows
    else:
        refuse_too_wide(path, head, starts)
        h = find_header(head)
        refuse_glued_header(path, head, starts, h)
        if _split_period_measure_header(head, starts, h) is not None or _share_columns(head, h):
            return None  # a two-row header of periods and measures: reshaped record by record
        if _tablebuilder_across(head, h) is not None:
            return None  # TableBuilder's variable down named under the header
        if _dimension_over_members(head, h) is not None:
            return None  # a dimension's heading over its members: two header rows
        if _infoshare_across(head, starts, h) is not None:
            return None  # Stats NZ Infoshare: two variables across, reshaped record by record
    # the body: every physical line after the header record
    off = 0
    for _ in range(ends[h]):
        off = text.find("\n", off) + 1
        if off == 0:
            off = len(text)
            break
    first_line = ends[h] + 1
    titles = head[:h] if options.skip_rows is None else _own_titles(head[:h], head[h])
    another_separator_header(path, titles, starts[:h], head[h], sep)
    header = _headings_from_above([c.strip().lstrip("\ufeff") for c in head[h]], titles)
    header = _genesis_flat_headings(header, head[h + 1] if h + 1 < len(head) else None)
    if not any(header):
        return None
    nxt = next_table_in_text(text, off, sep, header, _last_title(titles) or "")
    if nxt is not None:  # a yearbook's second table below: the first read, the second said
        t_start, k_start, title = nxt
        records = sum(1 for _ in csv.reader(_physical_lines(text[:k_start]), delimiter=sep, quotechar='"'))
        details = dict(details, second_table={
            "title": title, "line": text.count("\n", 0, t_start) + 1,
            "header_line": text.count("\n", 0, k_start) + 1, "skip_rows": records})
        text = text[:t_start]
    split = _polars_fields(text[off:], sep, len(header)) if off < len(text) else None
    if split is not None:
        body = _Body(n=split[1], columns=split[0])
    else:
        fields = _split_fields(text, off, sep)
        if fields is None:
            return None
        body = _Body(n=fields.list.len(), fields=fields)
        del fields
    n_records = len(body.n)
    while header and header[-1] == "":
        k = len(header) - 1
        if not ((body.n <= k) | (body.field(k).str.strip_chars() == "")).fill_null(True).all():
            break
        header.pop()  # a trailing separator after the last heading
    _check_header(path, header, starts[h], titles[-1] if titles else None, head[h + 1] if h + 1 < len(head) else None)
    names = _unique_names(header)
    width = len(names)
    cells = pl.DataFrame({nm: body.field(i) for i, nm in enumerate(names)})
    extra = body.filled_past(width)
    frame, notes, ragged_idx = _vector_cells(cells, body.n, body.fields, strict=True, extra=extra)
    if frame.height == 0 and not ragged_idx.len() and not _any_filled_body(cells, body.n, body.fields, extra):
        raise DataError(problems=[Problem("no data rows under the header", path=path,
                                          line=starts[h], found=", ".join(header[:8]))])
    ragged = []
    for i, row in zip(ragged_idx.to_list(), body.records(ragged_idx)):
        # the header of another layout, where a file joined with cat starts: said as such, not
        # as rows of the wrong width (the rows below it cannot be read)
        if (other := rowcheck.other_header(row, header, starts[h], path, first_line + i)) is not None:
            raise DataError(problems=[other])
        # the file's last row, short, with no line end after it: a download or copy that
        # stopped mid-row, said as such (it read as a row with a value missing)
        cut = i == len(body.n) - 1 and len(row) < width and not text.endswith(("\n", "\r"))
        ragged.append(Problem(
            f"row has {len(row)} fields, the header has {width}", path=path, line=first_line + i,
            expected=f"{width} fields", found=sep.join(row)[:60],
            hint=CUT_ROW_HINT if cut else
                 "a separator inside an unquoted value, or a missing value?"))
    del cells, body, extra  # memory
    frame = frame.with_columns((pl.col(_IX) + first_line).cast(pl.Int64).alias(LINE)).drop(_IX)
    notes = [(i + first_line, v) for i, v in notes]
    for line, cell in list(notes):
        other = another_separator_row(path, line, cell, width, sep, header)
        if other is not None:
            notes.remove((line, cell))
            ragged.append(other)
    details = dict(details, header_line=starts[h], title_rows_skipped=h)
    return RawTable(path, header, [], [], details, sep=sep, strict_width=True,
                    cells=(frame, names, notes, ragged), n_rows=n_records, titles=titles)


def another_separator_header(path: str, titles, lines, header, sep: str | None) -> None:
    """A data error when a line above the header is that header with its fields separated by
    another separator (``region;industry;year;employment`` over ``region,industry,year,...``):
    exports saved with two separators joined with ``cat``.  The lines of the first export were
    read as title lines, their figures lost without a word."""
    names = [str(h or "").strip().lstrip("\ufeff").lower() for h in header]
    if not sep or len(names) < 3:
        return
    for row, line in zip(titles, lines):
        filled = [str(c).strip() for c in row if c is not None and str(c).strip()]
        if len(filled) != 1:
            continue
        for other in (";", "\t", "|", ","):
            if other != sep and other in filled[0] and \
                    [p.strip().strip('"').lstrip("\ufeff").lower() for p in filled[0].split(other)] == names:
                raise DataError(problems=[Problem(
                    f"the header with its fields separated by {other!r}, the file's by {sep!r}",
                    path=path, line=line, expected=f"{len(names)} fields separated by {sep!r}",
                    found=filled[0][:60], hint="a file joined from exports saved with two separators? "
                                               "save them with one")])


def another_separator_row(path: str, line: int, cell: str, width: int, sep: str | None,
                          header: list[str] | None = None):
    """The problem of a row of one filled cell that is a data row saved with another separator
    (``49001;23;2016;80`` in a comma-separated file, files of two exports joined): it was
    dropped as "1 note rows under the table (one filled cell)", exit 0, its figures lost,
    wherever it stood in the table.  It is one when ``;``, tab, ``|`` or ``,`` splits the cell
    into the header's ``width`` fields, the first a code of digits and all but one of them
    numbers; None for a footnote or a block's heading ("Source: BLS; 2016; 2017" has words
    first)."""
    if not sep or width < 3:
        return None
    for other in (";", "\t", "|", ","):
        if other == sep or other not in cell:
            continue
        parts = [p.strip() for p in cell.split(other)]
        numbers = sum(bool(re.fullmatch(r"[-+]?\d[\d.,\s]*", p)) for p in parts)
        if len(parts) == width and (header is not None and [p.strip('"').lstrip("\ufeff").lower() for p in parts]
                                    == [str(h or "").strip().lower() for h in header]):
            # the header again, in the other separator: where the second export starts, its
            # rows below (Land names first, no code) read as notes under the table, and dropped
            return Problem(
                f"the header with its fields separated by {other!r}, the file's by {sep!r}",
                path=path, line=line, expected=f"{width} fields separated by {sep!r}",
                found=cell[:60], hint="a file joined from exports saved with two separators? "
                                      "save them with one")
        if len(parts) == width and re.fullmatch(r"\d[\d.\-]*", parts[0]) and numbers >= width - 1:
            return Problem(
                f"a row whose fields are separated by {other!r}, the file's by {sep!r}",
                path=path, line=line, expected=f"{width} fields separated by {sep!r}",
                found=cell[:60], hint="a file joined from exports saved with two separators? "
                                      "save them with one")
    return None


class _Body:
    """The records of a text table's body, one a physical line: ``n`` fields each, held either
    as polars' columns (``columns``: the k-th field of every record, null past its end) or as
    lists (``fields``, from :func:`_split_fields`)."""

    def __init__(self, n, columns=None, fields=None):
        self.n, self.columns, self.fields = n, columns, fields

    def field(self, k: int):
        """The k-th field of every record (null past a record's end)."""
        if self.fields is not None:
            return self.fields.list.get(k, null_on_oob=True)
        return self.columns[k]  # k < the headings' width: every column polars read

    def filled_past(self, width: int):
        """Per record, a non-blank field past ``width`` (None: :func:`_vector_cells` works it
        out from ``fields``)."""
        import polars as pl

        if self.fields is not None:
            return None
        past = [c.str.strip_chars() != "" for c in self.columns[width:]]
        if not past:
            return pl.repeat(False, len(self.n), dtype=pl.Boolean, eager=True)
        return pl.DataFrame(past).select(pl.any_horizontal(pl.all()).fill_null(False)).to_series()

    def records(self, idx) -> list[list[str]]:
        """The records at positions ``idx`` (a Series) as lists of their fields."""
        if self.fields is not None:
            return self.fields.gather(idx).to_list()
        return [[self.columns[j][i] or "" for j in range(self.n[i])] for i in idx.to_list()]


def _split_fields(text: str, off: int, sep: str):
    """The fields of every physical line of ``text`` from ``off`` on (a List column), split at
    ``sep`` where a line holds no quote and parsed by the csv module where it does.  None when
    that parse does not give one record per line, or a line is over csv's field limit."""
    import polars as pl

    if off < len(text):
        s = pl.Series("l", [text[off:] if off else text]).str.split("\n").explode()
        if text.endswith("\n"):
            s = s.head(len(s) - 1)
        if "\r" in text:
            s = s.str.strip_suffix("\r")
    else:
        s = pl.Series("l", [], pl.String)
    if len(s) and s.str.len_chars().max() > csv.field_size_limit():
        return None
    quoted = s.str.contains('"', literal=True)
    fields = s.str.split(sep)
    if quoted.any():
        qidx = quoted.arg_true()
        qlines = s.gather(qidx).to_list()
        try:
            recs = list(csv.reader(io.StringIO("\n".join(qlines) + "\n", newline=""), delimiter=sep,
                                   quotechar='"', strict=True))
        except csv.Error:
            return None
        if len(recs) != len(qlines):
            return None  # a quoted value spans lines
        fields = pl.concat([
            pl.DataFrame({"k": (~quoted).arg_true(), "f": fields.filter(~quoted)}),
            pl.DataFrame({"k": qidx, "f": pl.Series(recs, dtype=pl.List(pl.String))}),
        ]).sort("k").get_column("f")
    return fields


def _polars_fields(body: str, sep: str, width: int):
    """``(columns, n)``: the k-th field of every physical line of ``body`` as the k-th String
    Series (null past the line's last field, "" for an empty field) and the number of fields of
    each line, exactly what :func:`_split_fields` gives, read by polars' multi-threaded CSV
    parser (3 M lines: ~0.5 s instead of ~1.4 s for splitting the text).

    None where that parser could split differently: a quote or NUL in the body, a separator of
    more than one byte, a line with more than ``width`` fields (the parser refuses it; the
    split reader reports it, or allows it when the extra fields are empty), a line over csv's
    field limit, or text that is not valid UTF-8 (a lone surrogate).  polars reads a missing
    trailing field and an empty one both as null: on the lines with a null, the number of
    fields is counted from the separators (numpy, on the bytes).
    """
    import numpy as np
    import polars as pl

    if '"' in body or "\x00" in body:
        return None
    sep_b = sep.encode("utf-8")
    if len(sep_b) != 1 or width < 1:
        return None
    try:
        raw = body.encode("utf-8")
    except UnicodeEncodeError:
        return None
    arr = np.frombuffer(raw, dtype=np.uint8)
    newlines = np.flatnonzero(arr == 10)
    n_lines = newlines.size + (0 if raw.endswith(b"\n") else 1)
    starts = np.concatenate(([0], newlines + 1))[:n_lines]
    stops = np.append(newlines, len(raw))[:n_lines]
    del newlines
    if (stops - starts).max() > csv.field_size_limit():  # bytes: at least the characters
        return None
    names = [f"f{i}" for i in range(width)]
    try:
        frame = pl.read_csv(raw, has_header=False, separator=sep, quote_char=None,
                            schema={c: pl.String for c in names}, truncate_ragged_lines=False,
                            raise_if_empty=False)
    except (pl.exceptions.PolarsError, ValueError):
        return None
    if frame.height != n_lines:
        return None  # a line the parser skipped or joined: not one record a line
    n = np.full(n_lines, width, dtype=np.uint32)
    gaps = frame.select(pl.any_horizontal(pl.all().is_null())).to_series()
    if gaps.any():
        rows = gaps.arg_true().to_numpy()
        at = np.flatnonzero(arr == sep_b[0])  # separators before a line's end less before its start
        n[rows] = np.searchsorted(at, stops[rows]) - np.searchsorted(at, starts[rows]) + 1
    del arr, starts, stops, gaps
    counts = pl.Series("__n", n)
    if (n < width).any():
        frame = frame.with_columns(counts).select(
            pl.when(pl.col(c).is_null() & (pl.col("__n") > i)).then(pl.lit("")).otherwise(pl.col(c))
            .alias(c) for i, c in enumerate(names))
    else:
        frame = frame.fill_null("")
    return frame.get_columns(), counts


def _where_it_changes(frame, exprs: dict):
    """``frame`` with each column ``c`` replaced by ``exprs[c]`` (an expression of that column
    alone, row by row), computed only for the columns where it changes one of the distinct
    values: key columns repeat a few thousand values over millions of rows, and most tables
    need no cleaning (3 M rows: ~0.1 s for the distinct values against ~0.9 s for the strip
    and the footnote pattern on every row)."""
    import polars as pl

    have = set(frame.columns)  # (a list built at each look: once per column was quadratic)
    names = [c for c in exprs if c in have]
    if not names:
        return frame
    distinct = frame.select(pl.col(c).unique().implode() for c in names).row(0)
    changing = []
    for c, values in zip(names, distinct):
        before = pl.DataFrame({c: values}, schema={c: frame.schema[c]})
        after = before.select(exprs[c].alias(c))
        if not before.get_column(c).equals(after.get_column(c)):
            changing.append(c)
    return frame.with_columns(exprs[c].alias(c) for c in changing) if changing else frame


def _physical_lines(text: str):
    """The lines of ``text`` with their ``\n`` (what ``io.StringIO(text, newline="")`` yields
    when no line ends in a bare CR)."""
    pos, size = 0, len(text)
    while pos < size:
        nxt = text.find("\n", pos)
        end = size if nxt < 0 else nxt + 1
        yield text[pos:end]
        pos = end


def _any_filled_body(cells, n, fields, extra=None) -> bool:
    import polars as pl

    filled = pl.any_horizontal([(pl.col(c).str.strip_chars() != "").fill_null(False) for c in cells.columns])
    if cells.width and cells.select(filled.any()).item():
        return True
    return bool((extra if extra is not None else _extra_filled(n, fields, cells.width)).any())


def _extra_filled(n, fields, width: int):
    """Per record: a non-blank field beyond the header's width."""
    import polars as pl

    if fields is None or not len(n) or n.max() <= width:
        return pl.repeat(False, len(n), dtype=pl.Boolean, eager=True)
    return fields.list.slice(width).list.eval(pl.element().str.strip_chars() != "").list.any().fill_null(False)


def footer_rows(data, gaps, short_rows, all_short: bool) -> bool:
    """Whether the rows with too few fields (``short_rows``, record indexes or lines) are a
    footer under the table: all below the last data row (``data``), a blank line or a note
    row (``gaps``) between the two, none with more fields than the header.  Statistics
    Canada's "download as displayed" CSV ends in a symbol legend and footnotes of two cells
    each (``"x","suppressed to meet the confidentiality requirements ..."``): each was "row has
    2 fields, the header has 4", and the table could not be read without editing the file.
    A short last row right under the data (a download cut off) stays a ragged row."""
    if not short_rows or not all_short:
        return False
    last, first = max(data, default=-1), min(short_rows)
    return first > last and any(last < g < first for g in gaps)


def _vector_cells(cells, n, fields, strict: bool, extra=None):
    """:func:`.generic._cell_frame`'s row rules on whole columns.

    ``cells`` holds one string column per heading (null past the end of a short record), ``n``
    the number of fields of each record, ``fields`` the records as lists (for the fields past
    the header's width; None when there are none), or ``extra``: whether each record has a
    non-blank field past that width, worked out by the caller.  Returns the kept rows with their record
    index ``_i``, the note rows (record index, their one cell) and the indexes of the ragged
    records.
    """
    import polars as pl

    width = cells.width
    if width == 0:  # no columns: every record is blank
        return cells.with_row_index(_IX), [], pl.Series(_IX, [], pl.UInt32)
    if extra is None:
        extra = _extra_filled(n, fields, width)
    # one pass per column (a shared expression would be evaluated once per use); the columns
    # taken by position: a heading is any text, and pl.col('*') is every column (a file of one
    # cell '*' was an internal error, "duplicate output name 'note'"), pl.col('^x$') a regex
    filled = cells.select([(pl.nth(i).str.strip_chars() != "").fill_null(False).alias(f"_{i}")
                           for i in range(width)])
    cols = [pl.col(c) for c in filled.columns]
    others = pl.any_horizontal(cols[1:]) if width > 1 else pl.lit(False)
    flags = filled.with_columns(extra.alias(_XTRA)).select(
        blank=~pl.any_horizontal(cols) & ~pl.col(_XTRA),
        note=pl.lit(width >= 3) & cols[0] & ~others & ~pl.col(_XTRA),
    )
    blank, note = flags.get_column("blank"), flags.get_column("note")
    if note.any():  # a lone #REF! is a failed formula in a key cell, no footnote or heading
        note = note & ~cells.get_column(cells.columns[0]).str.contains(excel.SPREADSHEET_ERROR_CELL).fill_null(False)
    if strict:
        ragged = ~blank & ~note & ((n < width) | ((n > width) & extra))
        if ragged.any() and footer_rows((~blank & ~note & ~ragged).arg_true().to_list(),
                                        (blank | note).arg_true().to_list(),
                                        ragged.arg_true().to_list(), (n < width).filter(ragged).all()):
            note, ragged = note | ragged, pl.repeat(False, len(n), dtype=pl.Boolean, eager=True)
    else:
        ragged = pl.repeat(False, len(n), dtype=pl.Boolean, eager=True)
    keep = ~blank & ~note & ~ragged
    frame = cells.with_row_index(_IX)
    if not keep.all():  # (a filter copies every column even when it keeps every row)
        frame = frame.filter(keep)
    notes = []
    if note.any():  # (record index, the one cell): a footnote, or a block's heading row
        notes = list(zip(note.arg_true().to_list(),
                         cells.get_column(cells.columns[0]).filter(note).to_list()))
    return frame, notes, ragged.arg_true()


def _unique_names(header: list[str]) -> list[str]:
    names, seen = [], {}
    for i, h in enumerate(header):
        name = h or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        names.append(name)
    return names


def _check_header(path: str, header: list[str], line: int, above=None, below=None) -> None:
    seen: dict[str, int] = {}
    for h_name in header:
        if h_name:
            seen[h_name] = seen.get(h_name, 0) + 1
    dups = [k for k, n in seen.items() if n > 1]
    if dups:
        hint = _untold_section_titles(header, above, below)
        raise DataError(problems=[Problem(
            "duplicate column heading", path=path, line=line, column=d,
            expected="each heading once", found=d,
            hint=hint or "rename one of the columns") for d in dups])


def _untold_section_titles(header: list[str], above, below) -> str | None:
    """The hint for a two-row header of industry titles over measures that could not be read
    (:func:`_period_measure_columns` reads a section's title that names one section alone):
    which titles name none, and what to write instead.  None for any other header."""
    from clusterid.io.readers.generic_plan import _is_industry_heading  # (imports this module)

    for upper, lower in ((above, header), (header, below)):
        if not upper or not lower:
            continue
        up = ["" if c is None else str(c).strip() for c in upper]
        lo = ["" if c is None else str(c).strip() for c in lower]
        titles, filled = [], ""
        for j, v in enumerate(lo):
            u = up[j] if j < len(up) else ""
            filled = u or filled
            if v and role_of(v) in schema.MEASURES and filled and role_of(filled) not in schema.MEASURES \
                    and period_of(filled) is None:
                titles.append(filled)
        titles = list(dict.fromkeys(titles))
        untold = [t for t in titles if codes.section_of_title(t) is None and not _is_industry_heading(t)]
        if len(titles) >= 2 and untold:
            return ("industry titles over the measures, " + ", ".join(repr(t) for t in untold[:4])
                    + (" ..." if len(untold) > 4 else "") + " naming no one NACE section (or aggregate) "
                    "clusterid can tell: write each block's section code (C, F, B-E) over its measures")
    return None


_FLAT_ATTR = re.compile(r"^(\d+)_(?:variable_attribute|auspraegung|auspr\u00e4gung)_(code|label)$", re.IGNORECASE)
_FLAT_VAR = re.compile(r"^(\d+)_(?:variable|merkmal)_code$", re.IGNORECASE)
# GENESIS variables whose values are regions (Land, Regierungsbezirk, Kreis, Gemeinde,
# Deutschland, the Regionalstatistik's regional levels)
_GENESIS_REGION_VARS = re.compile(r"^(?:DLAND|DINSG|DG|REGBEZ|KREISE|GEMEIN|GEMEINDE|KRS|LAND|BULAND|"
                                  r"ARBAGT|RAUMORD)\w*$", re.IGNORECASE)


_GENESIS_SUB_YEAR = {"MONAT": "Monat", "QUARTG": "Quartal"}


def _genesis_flat_headings(header: list[str], first_row) -> list[str]:
    """GENESIS-Online's flat file (``ffcsv``: ``time``, ``1_variable_code``,
    ``1_variable_attribute_code``, ``1_variable_attribute_label`` ... ``value``, ``value_unit``,
    ``value_q``; the German flat file ``Zeit``, ``1_Merkmal_Code``, ``1_Auspraegung_Code`` ...)
    names each key column by its position, the variable it holds standing in the cells of
    ``N_variable_code`` (``KREISE``, ``DLAND``, ``WZ08G7`` ...).  Those headings are renamed
    by that variable: a region variable's code and label columns become ``Regionalschluessel``
    / ``region_name``, a WZ variable's ``industry_code`` / ``industry_name``, ``time`` the period;
    ``value_q`` (GENESIS's quality mark: ``e`` is *endgültig*, final -- not Eurostat's
    estimated) is no flag column and keeps a name nothing reads.  Without this the file was
    refused: no region column recognised."""
    attrs = {i: m for i, h in enumerate(header) if (m := _FLAT_ATTR.match(h or ""))}
    if not attrs or not first_row or not any(_norm(h) in ("value", "wert") or re.match(r"^[A-Z]{3}\d{3}__", h or "")
                                             for h in header):
        return header
    var_of = {}
    for i, h in enumerate(header):
        m = _FLAT_VAR.match(h or "")
        if m and i < len(first_row) and first_row[i]:
            var_of[m.group(1)] = str(first_row[i]).strip()
    out = list(header)
    for i, m in attrs.items():
        var = var_of.get(m.group(1), "")
        part = m.group(2).lower()
        if _GENESIS_REGION_VARS.match(var):
            # (German keys: headed as the AGS they are, so each gets its level by its length)
            out[i] = "Regionalschluessel" if part == "code" else "region_name"
        elif var.upper().startswith("WZ"):
            out[i] = "industry_code" if part == "code" else "industry_name"
        elif var.upper() in _GENESIS_SUB_YEAR and part == "code":
            # the month (MONAT: MONAT01 ... MONAT12) or quarter (QUARTG: QUART1 ... QUART4) of
            # the year in ``time``: the year's and its column make the period (2023M01, 2023Q1);
            # refused before as a variable repeating every region x industry key
            out[i] = _GENESIS_SUB_YEAR[var.upper()]
    sub_year = any(h in _GENESIS_SUB_YEAR.values() for h in out)
    for i, h in enumerate(header):
        n = _norm(h or "")
        if n in ("time", "zeit") and "period" not in out and "Jahr" not in out:
            out[i] = "Jahr" if sub_year else "period"
        elif n in ("value_q", "wert_q", "qualitaet"):
            out[i] = "genesis_quality_mark"
    return out


def _genesis_extra_variables(df, header, header_map, path: str, header_line: int, used) -> None:
    """A GENESIS flat file with a variable beside its region and WZ variables (``GES``
    Geschlecht with ``GESM`` / ``GESW`` rows, no total): each region x industry key repeats
    once per value of that variable, and the file was refused as duplicate keys with no word
    of why.  Refused here naming the variable, its values and the fix; a variable with one
    value throughout is no problem."""
    by_var: dict[str, dict[str, int]] = {}
    for h in header:
        m = _FLAT_VAR.match(h or "")
        if m:
            by_var[m.group(1)] = {}
    if not by_var:
        return
    problems = []
    for n in sorted(by_var, key=int):
        code_h = next((h for h in header if (a := _FLAT_ATTR.match(h or "")) and a.group(1) == n
                       and a.group(2).lower() == "code"), None)
        if code_h is None or code_h in used:
            continue  # renamed (the region's or the industry's), or named with --region-col ...
        label_h = next((h for h in header if (a := _FLAT_ATTR.match(h or "")) and a.group(1) == n
                        and a.group(2).lower() == "label"), None)
        var_h = next(h for h in header if (v := _FLAT_VAR.match(h or "")) and v.group(1) == n)
        var_label_h = next((h for h in header if re.match(rf"^{n}_(?:variable|merkmal)_label$", h or "", re.I)), None)
        codes_col = df.get_column(header_map.get(code_h, code_h))
        values = [str(v).strip() for v in codes_col.unique(maintain_order=True).to_list() if v is not None]
        if len(values) < 2:
            continue
        labels = {}
        if label_h is not None:
            pairs = df.select(codes_col.alias("c"), df.get_column(header_map.get(label_h, label_h)).alias("l")).unique(
                maintain_order=True).rows()
            labels = {str(c).strip(): str(lab).strip() for c, lab in pairs if c is not None and lab}
        var = str(df.get_column(header_map.get(var_h, var_h)).drop_nulls().head(1).to_list()[0] or "").strip()
        var_label = ""
        if var_label_h is not None:
            got = df.get_column(header_map.get(var_label_h, var_label_h)).drop_nulls().head(1).to_list()
            var_label = f" ({str(got[0]).strip()})" if got and got[0] else ""
        shown = ", ".join(f"{v} {labels[v]}" if labels.get(v) else v for v in values[:4])
        shown += ", ..." if len(values) > 4 else ""
        problems.append(Problem(
            f"GENESIS flat file: variable {var}{var_label} beside region and industry repeats every "
            f"region x industry key once per value ({len(values)} values: {shown})",
            path=path, line=header_line + 1, column=code_h, expected="region, industry and period as the only keys",
            found=shown, hint=f"download the table again with {var} not as a classifying variable (its total), "
            f"or keep the rows of one {var} value before ingesting (ingest has no filter option)"))
    if problems:
        raise DataError(problems=problems)


_SDMX_ID_NAME = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)\s*:\s*\S")


# Eurostat's names of its SDMX concepts, as SDMX-CSV 2.0 with ``labels=name`` heads the columns
# by them alone: the IDs they name
_EUROSTAT_CONCEPT_IDS = {
    "time frequency": "freq", "unit of measure": "unit", "geopolitical entity (reporting)": "geo",
    "time": "TIME_PERIOD", "observation value": "OBS_VALUE",
    "observation status (flag) v2 structure": "OBS_FLAG", "observation status (flag)": "OBS_FLAG",
    "confidentiality status (flag)": "CONF_STATUS",
    "statistical classification of economic activities in the european community (nace rev. 2)": "nace_r2",
    "statistical classification of economic activities in the european community (nace rev. 1.1)": "nace_r1",
    "activity and employment status": "wstatus", "national accounts indicator (esa 2010)": "na_item",
    "seasonal adjustment": "s_adj", "size classes in number of persons employed": "size_emp",
    "sex": "sex", "age class": "age", "citizenship": "citizen", "working time": "worktime",
}


# the label column beside an ID column that names a key the reader has a column for
_LABEL_OF_ID = {"geo": "region_name", "nace_r2": "industry_name"}


def _sdmx_id_headings(header: list[str]) -> list[str]:
    """SDMX-CSV with ``labels=both`` (Eurostat's API and Data Browser) heads each column
    ``ID: Name`` (``geo: Geopolitical entity (reporting)``, ``OBS_VALUE: Observation value``,
    ``TIME_PERIOD: Time``): the ID is the heading.  Without this no value column was
    recognised and the file was refused.  Only when the value or time column is so headed.
    With ``labels=name`` (``STRUCTURE, STRUCTURE_ID, Time frequency, ..., Time, Observation
    value``) a heading Eurostat names its concept by is that concept's ID: 'Time frequency'
    and 'Time' were two columns that could each be the period (exit 2)."""
    plain = {str(h or "").strip().lower() for h in header}
    if len(header) > 2 and [str(h or "").strip().upper() for h in header[:2]] == ["STRUCTURE", "STRUCTURE_ID"] \
            and "observation value" in plain and "obs_value" not in plain:
        # (not beside the IDs: the OECD's CSV with labels heads each label column so, next to
        # its code column, "OBS_VALUE" beside "Observation value")
        return [_EUROSTAT_CONCEPT_IDS.get(str(h or "").strip().lower(), h) for h in header]
    if len(header) > 2 and [str(h or "").strip().upper() for h in header[:2]] == ["STRUCTURE", "STRUCTURE_ID"]:
        # SDMX-CSV 2.0 with each ID column followed by its labels, headed by the concept's
        # name (the OECD's "REF_AREA, Reference area"; Eurostat's "freq, Time frequency",
        # "TIME_PERIOD, Time"): the name is the ID's label column, never a column of its own
        # ('Time frequency' beside TIME_PERIOD was a second period column, exit 2)
        ids = [str(h or "").strip() for h in header]
        out = list(header)
        for j in range(1, len(ids)):
            if _EUROSTAT_CONCEPT_IDS.get(ids[j].lower(), "").lower() == ids[j - 1].lower() != "":
                out[j] = _LABEL_OF_ID.get(ids[j - 1].lower()) or (
                    f"{ids[j - 1]} label" if role_of(ids[j]) is not None else header[j])
        header = out
    if not any(re.match(r"^(?:OBS_VALUE|TIME_PERIOD)\s*:\s*\S", h or "", re.IGNORECASE) for h in header):
        return header
    return [m.group(1) if (m := _SDMX_ID_NAME.match(h or "")) else h for h in header]


def _headings_from_above(header: list[str], above) -> list[str]:
    """A two-row header (a yearbook sheet: "Всего" merged down over two rows beside "в том
    числе" spanning the industry codes): an empty heading takes the cell above it, so the
    column it names ("Всего", the all-industry total) is not dropped as unnamed.  Only from a
    row of headings (two or more filled cells), never from a one-cell title line."""
    header = _months_under_years(_regions_over_districts(_sdmx_id_headings(header), above), above)
    if not above or all(header):
        return header
    prev = ["" if c is None else str(c).strip() for c in above[-1]]
    if sum(1 for c in prev if c) < 2:
        return header
    return [c or (prev[j] if j < len(prev) and j > 0 else "") for j, c in enumerate(header)]


def _months_under_years(header: list[str], above) -> list[str]:
    """A header of two rows, years over months (GENESIS's monthly tables: "2023" repeated or
    merged over "Januar | Februar | März"): each month's heading becomes ``Januar 2023``, a
    period.  The year row was the header and refused as a duplicate heading '2023'.  The header
    as it is unless every filled cell of ``header`` from the first month on is a month's name
    and a year stands above it (or above a cell left of it, a merged year)."""
    if not above:
        return header
    prev = ["" if c is None else str(c).strip() for c in above[-1]]
    months = [j for j, c in enumerate(header) if c and MONTH_CELLS.get(c.strip().rstrip(".").lower())]
    if len(months) < 2 or any(c for j, c in enumerate(header) if j > months[0] and j not in months):
        return header
    out, year = list(header), None
    for j in range(len(header)):
        if j < len(prev) and prev[j]:
            year = prev[j] if re.fullmatch(r"(?:18|19|20|21)\d{2}", prev[j]) else None
        if j in months:
            if year is None:
                return header
            out[j] = f"{header[j].strip()} {year}"
    return out


_TOTAL_COLUMN = re.compile(r"^(?:всего|итого|барлығы|жиыны|total|insgesamt)\b", re.IGNORECASE)


def _regions_over_districts(header: list[str], above) -> list[str]:
    """A header of two rows of regions, oblasts (merged over their columns: the name, then
    blank or repeated cells) over their districts ("Аккольский район", "г.Кокшетау", "всего
    по области"): each district heading becomes ``<oblast> / <district>`` (districts of two
    oblasts may share a name; the oblast's own total column was a duplicate heading).  The
    header as it is unless every cell of the row above but the first is an oblast's name
    (:func:`.generic_blocks._two_level_headings`' words) and every cell under one a district's or a total's."""
    if not above:
        return header
    prev = ["" if c is None else str(c).strip() for c in above[-1]]
    ups = [c for c in prev[1:] if c]
    if not ups or not all(_is_upper_name(c) for c in ups):
        return header
    out, parent = list(header), None
    for j, low in enumerate(header):
        if j == 0:
            continue
        parent = (prev[j] if j < len(prev) and prev[j] else None) or parent
        if parent is None or not low:
            continue
        if not (_LOWER_WORDS.search(low) or _CITY.search(low) or _TOTAL_COLUMN.match(low)):
            return header  # (an oblast over years, over measures: no districts)
        out[j] = f"{parent}{REGION_PARENT_SEP}{low}"
    return out


def _is_upper_name(t: str) -> bool:
    """An oblast's (first-level region's) name: область, облысы, край, республика, or a city
    of republican significance."""
    t = re.sub(_FOOTNOTE_MARK, r"\1", " ".join(str(t).split()))
    return bool(_UPPER_WORDS.search(t)) or (bool(_CITY.search(t) or len(t.split()) == 1)
                                            and bool(_TOP_CITIES.search(t)))


def _period_measure_columns(upper, lower) -> tuple[list[int], list[tuple[str, str]], str] | None:
    """A header of two rows, one of periods and one of measures or industries (a yearbook
    sheet: "2013" merged over "Beschäftigte | Betriebe", "Beschäftigte" merged over "2013 |
    2014", or a Rosstat / stat.gov.kz table's years merged over OKED sections "A | B | C"; in
    CSV the merged cell is repeated or followed by empty cells), or one of industry codes and
    one of measures (a Land office's Kreise with `B | | C |` over `Betriebe | Tätige Personen`
    twice, the year a key column).  Returns the key columns' positions, per value column
    ``(period or industry, measure or industry heading)``, and the axis across (``period`` or
    ``industry``); None when the two rows are not such a header (measures and industries mixed
    in it too).  A merged cell's span is its own position and the empty ones after it."""
    from clusterid.io.readers.generic_plan import _is_industry_heading  # (imports this module)

    up = ["" if c is None else str(c).strip().lstrip("\ufeff") for c in upper]
    lo = ["" if c is None else str(c).strip() for c in lower]
    width = max(len(up), len(lo))
    up += [""] * (width - len(up))
    lo += [""] * (width - len(lo))
    keys, pairs, filled, seen, kinds = [], [], "", set(), set()
    lower_keys = False
    roles = set()  # the lower-row key headings' roles
    for j in range(width):
        u, v = up[j], lo[j]
        if u:
            filled = u
        if not u and v and not filled and period_of(v) is None and role_of(v) not in schema.MEASURES:
            # a key heading on the lower row under an empty cell (`;;;2020;;2021;` over
            # `Kreis-Nr.;Kreis;WZ;Betriebe;Beschäftigte;...`, as a table typed in a spreadsheet
            # heads its key columns beside the measures): refused as 'duplicate column heading'
            # (a measure under each year, below: a yearbook's first data row under its years,
            # `Республика Казахстан | 5304 | 5353`, is no such header)
            keys.append(j)
            lower_keys = True
            roles.add(role_of(v))
            continue
        if not v:
            if u and not pairs and period_of(u) is None and role_of(u) not in schema.MEASURES \
                    and role_of(u) != "period":
                keys.append(j)
                continue
            if not u and not pairs:
                continue  # an empty column before the values
            return None
        if not filled or filled in [up[k] for k in keys] and not u:
            return None
        if period_of(filled) is None and period_of(v) is None:
            # an industry code over a measure, or a measure over industry codes
            if role_of(v) in schema.MEASURES and _is_industry_heading(filled):
                a, b = filled, v
            elif role_of(filled) in schema.MEASURES and _is_industry_heading(v):
                a, b = v, filled
            elif role_of(v) in schema.MEASURES and role_of(filled) not in schema.MEASURES \
                    and (section := codes.section_of_title(filled)) is not None:
                # a section's title over the measures ("Verarbeitendes Gewerbe" over
                # "Betriebe | Tätige Personen"): its NACE letter, where the title names one
                # section or aggregate alone (it was "duplicate column heading")
                a, b = f"{section} {filled}", v  # (the title its name: "C Verarbeitendes Gewerbe")
            else:
                return None
            kinds.add("industry across")
            key = (a, b)
        else:
            a, b = (filled, v) if period_of(filled) else (v, filled)
            if period_of(a) is None or period_of(b) is not None:
                return None
            kinds.add("measure" if role_of(b) in schema.MEASURES
                      else "industry" if _is_industry_heading(b) else None)
            key = (period_of(a), b)
        if None in kinds or len(kinds) > 1:
            return None
        if key in seen:
            return None
        seen.add(key)
        pairs.append((j, key))
    if not keys or len(pairs) < 2 or len({p for _, (p, _m) in pairs}) < 2:
        return None
    axis = "industry" if kinds == {"industry across"} else "period"
    if lower_keys and kinds not in ({"measure"}, {"industry across"}):
        return None
    if lower_keys and (axis in roles or (axis == "industry" and roles & {"industry_code", "industry_name"})):
        return None  # a key column of the same axis: no such header
    if axis == "industry" and not lower_keys:
        return None  # (only the layout with its key headings below, as Land offices type it)
    return keys, pairs, axis


# a share of a total or a percentage beside a count ("в % к итогу", "удельный вес, %",
# "in % of total"): a column clusterid does not read
_SHARE_HEADING = re.compile(r"%|процент|удельн\w*\s+вес|пайыз|үлес|\bshare\b|\bpercent|anteil",
                            re.IGNORECASE)


def _share_columns(rows, h) -> list[tuple[int, str]] | None:
    """A yearbook table's count and its share per year (stat.gov.kz: "2021" merged over
    "тыс. человек | в % к итогу"; in CSV the year followed by empty cells): ``(position, heading)``
    of each share column, its heading the year and the share's words, when the header row ``h``
    holds the key headings (nothing under them) then the years, the row under it under each
    year a count's unit or measure first, then shares only.  None for any other header."""
    from clusterid.io.readers.generic_post import unit_factor  # (imports this module)

    if h + 1 >= len(rows):
        return None
    up = [("" if c is None else str(c)).strip().lstrip("\ufeff") for c in rows[h]]
    lo = [("" if c is None else str(c)).strip() for c in rows[h + 1]]
    width = max(len(up), len(lo))
    up += [""] * (width - len(up))
    lo += [""] * (width - len(lo))
    shares, year = [], None
    for j, (u, v) in enumerate(zip(up, lo)):
        if u and u == year:
            u = ""  # the merged year repeated over its columns, as some exports write it
        if u and period_of(u) is None:
            if year is not None or v:
                return None  # a key column after the years, or a key heading over a second row
        elif u:
            year = u  # a year's first column: its count
            if not v or _SHARE_HEADING.search(v) or (unit_factor(v) is None
                                                     and role_of(v) not in schema.MEASURES):
                return None
        elif year is None:
            if v:
                return None
        elif v and _SHARE_HEADING.search(v) and not unit_factor(v):
            shares.append((j, f"{year} {v}"))
        else:
            return None
    return shares or None


def _dimension_over_members(rows, h: int) -> list[str] | None:
    """A header of two rows whose upper one heads the key columns and, over the rest, names
    the dimension across once (a merged cell saved as its first cell: IBGE SIDRA's
    ``Nível;Cód.;Unidade da Federação;Classificação Nacional de Atividades Econômicas (CNAE
    2.0);;`` over ``;;;Total;C Indústrias de transformação;F Construção``): the keys' headings
    beside the members', or None when rows ``h`` and ``h + 1`` are no such pair.  Read as it
    stood, the members' row was the first data row and the table had no measure column."""
    if h + 2 >= len(rows):
        return None

    def txt(c):
        return "" if c is None else str(c).strip().lstrip("\ufeff")

    upper, lower = [txt(c) for c in rows[h]], [txt(c) for c in rows[h + 1]]
    while upper and not upper[-1]:
        upper.pop()
    while lower and not lower[-1]:
        lower.pop()
    k = len(upper) - 1  # the dimension's heading: the upper row's last filled cell
    if k < 1 or len(lower) < k + 2 or not all(upper[:k]) or any(lower[:k]) or not all(lower[k:]):
        return None
    if role_of(upper[k]) not in ("industry", "industry_code", "region", "region_name", "period"):
        return None
    if any(_is_number(c) and period_of(c) is None for c in lower[k:]):
        return None  # figures: a data row, not headings
    return upper[:k] + lower[k:]


def _split_period_measure_header(rows, lines, h):
    """Rows with a period-over-measure header (:func:`_period_measure_columns`) at ``h`` and
    ``h + 1`` (or ``h - 1`` and ``h``) reshaped into a long table: the key columns, a period
    column and one column per measure (or industry: a table wide by industry, read as such), a
    row per period of each data row (same line number).
    A data row with no value cell (a note under the table) keeps its cells and no period.
    Returns ``(rows, lines, header index)`` or None when the header is not of that kind."""
    for top in (h, h - 1):
        if top < 0 or top + 1 >= len(rows):
            continue
        found = _period_measure_columns(rows[top], rows[top + 1])
        if found is None:
            continue
        keys, pairs, axis = found
        up = rows[top]
        measures = list(dict.fromkeys(m for _j, (_p, m) in pairs))
        periods = list(dict.fromkeys(p for _j, (p, _m) in pairs))
        at = {key: j for j, key in pairs}
        low = rows[top + 1]
        header = [(str(up[k] or "").strip().lstrip("\ufeff") or str(low[k]).strip().lstrip("\ufeff"))
                  for k in keys] + [axis] + measures
        out_rows, out_lines = [header], [lines[top + 1]]

        def cell(r, j):
            return r[j] if j < len(r) else None

        # a period headed with CBS StatLine's star of a provisional figure ("2023*") keeps it,
        # for the reader to flag its cells (statline_periods); read as 2023, it was lost
        starred = {}
        if axis == "period":
            for j, (p, _m) in pairs:
                for c in (cell(up, j), cell(low, j)):
                    c = str(c or "").strip()
                    if c and statline_provisional(c) and period_of(c) == p:
                        starred[p] = c
        periods_out = {p: starred.get(p, p) for p in periods}

        for r, ln in zip(rows[top + 2:], lines[top + 2:]):
            key_cells = [cell(r, k) for k in keys]
            if not any((cell(r, j) or "").strip() for j, _ in pairs):
                out_rows.append(key_cells + [None] * (1 + len(measures)))
                out_lines.append(ln)
                continue
            for p in periods:
                out_rows.append(key_cells + [periods_out[p]] + [cell(r, at[(p, m)]) if (p, m) in at else None
                                                   for m in measures])
                out_lines.append(ln)
        return rows[:top] + out_rows, lines[:top] + out_lines, top
    return None


_ESTAT_DIM = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)\s*\((labels|codes)\)$", re.IGNORECASE)
def _eurostat_sheet(rows, lines):
    """Eurostat's Data Browser sheet ("Sheet 1" of its xlsx download): title lines, the fixed
    dimensions as ``label | value`` pairs ("Unit of measure | Thousand persons", "Statistical
    classification ... (NACE Rev. 2) | Manufacturing"), a ``TIME | 2021 | | 2022 |`` row over
    a ``GEO (Labels) | NACE_R2 (Labels)`` row, then one row per series with each period's value
    followed by its flag in an unheaded column, ':' for not available, notes below.  Rebuilt
    as the SDMX-CSV table it stands for (a column per row dimension -- codes where the sheet
    has them, else labels, NACE section labels turned into their codes --, ``unit`` and a
    fixed NACE activity from the title pairs, ``TIME_PERIOD``, ``OBS_VALUE``, ``OBS_FLAG``);
    each row keeps its sheet line.  None when the rows are no such sheet."""
    def txt(c):
        return "" if c is None else str(c).strip()

    # ('TIME' in the first column, or over the last row dimension's column)
    t = next((i for i, r in enumerate(rows[:80]) if r and "TIME" in (txt(c).upper() for c in r[:6])
              and i + 1 < len(rows) and rows[i + 1] and _ESTAT_DIM.match(txt(rows[i + 1][0]))), None)
    if t is None:
        return None
    dimrow = [txt(c) for c in rows[t + 1]]
    k = 0
    while k < len(dimrow) and _ESTAT_DIM.match(dimrow[k]):
        k += 1
    if k == 0:
        return None
    width = max(len(r) for r in rows[t:])  # (a sheet's rows end at their last filled cell)
    timerow = [txt(c) for c in rows[t]] + [""] * (width - len(rows[t]))
    periods = [(j, timerow[j]) for j in range(k, len(timerow)) if timerow[j] and timerow[j].upper() != "TIME"]
    if not periods or any(period_of(p) is None for _, p in periods):
        return None
    period_cols = {j for j, _ in periods}
    flag_of = {j: (j + 1 if j + 1 < len(timerow) and not timerow[j + 1] and j + 1 not in period_cols
                   else None) for j in period_cols}
    dims = []  # (column, heading, is_label)
    seen_codes = {_ESTAT_DIM.match(c).group(1).lower() for c in dimrow[:k]
                  if _ESTAT_DIM.match(c).group(2).lower() == "codes"}
    for j, c in enumerate(dimrow[:k]):
        m = _ESTAT_DIM.match(c)
        name, kind = m.group(1).lower(), m.group(2).lower()
        if kind == "labels" and name in seen_codes:
            dims.append((j, {"geo": "region_name", "nace_r2": "industry_name"}.get(name, name + "_label"), True))
        else:
            dims.append((j, name, kind == "labels"))
    fixed = {}
    for r in rows[:t]:
        cells = [txt(c) for c in r]
        filled = [c for c in cells if c]
        if len(filled) == 2 and cells[0] == filled[0]:
            fixed[filled[0].lower()] = filled[1]
    extra_heads, extra_vals = [], []
    unit = fixed.get("unit of measure")
    if unit:
        extra_heads.append("unit")
        extra_vals.append(unit)
    if not any(h == "nace_r2" for _, h, _ in dims):
        act = next((v for lbl, v in fixed.items() if "nace" in lbl or "economic activit" in lbl), None)
        if act is not None:
            extra_heads.append("nace_r2")
            extra_vals.append(codes.nace_code_of_label(act) or act)
    nace_labels = next((i for i, (_, h, lab) in enumerate(dims) if h == "nace_r2" and lab), None)
    if nace_labels is not None:
        extra_heads.append("industry_name")  # the label, its code in nace_r2
    out = [[h for _, h, _ in dims] + extra_heads + ["TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"]]
    out_lines = [lines[t + 1] if t + 1 < len(lines) else t + 2]
    for r, line in zip(rows[t + 2:], lines[t + 2:]):
        cells = [txt(c) for c in r]
        keys = [cells[j] if j < len(cells) else "" for j, _, _ in dims]
        if not all(keys) and not (any(c for c in cells[k:]) and any(keys)):
            break  # the notes under the table ("Special value:", "Available flags:")
        # (a row with a key missing but figures is kept: the reader says where)
        named = [keys[nace_labels]] if nace_labels is not None else []
        keys = [(codes.nace_code_of_label(v) or v) if h == "nace_r2" and lab else v
                for v, (_, h, lab) in zip(keys, dims)]
        for j, p in periods:
            v = cells[j] if j < len(cells) else ""
            f = cells[flag_of[j]] if flag_of[j] is not None and flag_of[j] < len(cells) else ""
            if v == ":":
                v, f = "", (f or ":")
            out.append(keys + extra_vals + named + [p, v, f])
            out_lines.append(line)
    if len(out) == 1:
        return None
    return out, out_lines, 0


# the ABS's TableBuilder (and SuperWEB2's) CSV: "Counting: Persons Place of Work" among the
# title lines above the table
_TABLEBUILDER_COUNTING = re.compile(r"^counting\s*:", re.IGNORECASE)


def _infoshare_across(rows, lines, h: int):
    """Stats NZ Infoshare's CSV of two variables across: a title line, a row of one variable's
    members repeated over each of its columns (``" ","Northland Region","Northland Region",
    "Auckland Region",...``), a row of the other's under them (``" ","C Manufacturing","E
    Construction","C Manufacturing",...``), both with an empty first cell, then a row per
    period (``2021,6210,8450,...``) and the table information, footnotes and symbol legend.
    The repeated heading cells were refused as 'duplicate column heading'.  Returned as the
    long table it stands for, ``(rows, lines, h)``: a header ``Period, Region, Industry,
    Value`` and a row per cell (each on its period's line), the lines below it as they are;
    None for any other header.  One of the two rows must name industries (a code, a total or
    a section's title in every cell), the other none of them: the regions."""
    from clusterid.io.readers.generic_plan import _is_industry_heading  # (imports this module)

    if h + 2 >= len(rows):
        return None

    def cells(r):
        return [("" if c is None else str(c)).strip().lstrip("\ufeff") for c in r]

    up, lo = cells(rows[h]), cells(rows[h + 1])
    width = max(len(up), len(lo))
    up += [""] * (width - len(up))
    lo += [""] * (width - len(lo))
    if width < 3 or up[0] or lo[0] or not all(up[1:]) or not all(lo[1:]):
        return None
    pairs = list(zip(up[1:], lo[1:]))
    if len(set(pairs)) != len(pairs):
        return None
    runs = [c for j, c in enumerate(up[1:], 1) if j == 1 or c != up[j - 1]]
    if len(runs) == len(up) - 1 or len(set(runs)) != len(runs):
        return None  # nothing repeated (an ordinary header), or a member's columns apart

    def industries(row) -> int:
        return sum(1 for c in set(row[1:]) if _is_industry_heading(c) or codes.section_of_title(c))

    n_up, n_lo = industries(up), industries(lo)
    if n_up == len(set(up[1:])) and n_lo * 2 < len(set(lo[1:])):
        across = [(lo_c, up_c) for up_c, lo_c in pairs]  # industries over regions
    elif n_lo == len(set(lo[1:])) and n_up * 2 < len(set(up[1:])):
        across = pairs  # regions over industries
    else:
        return None
    body, body_lines, k = [], [], h + 2
    while k < len(rows):
        r = cells(rows[k])
        if not r or period_of(r[0]) is None or all(not c for c in r[1:]) and len(r) < 2:
            break
        for j, (region, industry) in enumerate(across, 1):
            body.append([r[0], region, industry, r[j] if j < len(r) else ""])
            body_lines.append(lines[k] if lines else k + 1)
        k += 1
    if not body:
        return None
    head_line = lines[h] if lines else h + 1
    rest = rows[k:]
    rest_lines = lines[k:] if lines else list(range(k + 1, len(rows) + 1))
    return (rows[:h] + [["Period", "Region", "Industry", "Value"]] + body + rest,
            (lines[:h] if lines else list(range(1, h + 1))) + [head_line] + body_lines + rest_lines, h)


def _tablebuilder_across(rows, h: int) -> str | None:
    """The variable across a TableBuilder table (``STATE (POW)``), or None.  TableBuilder's CSV
    heads the columns with the name of the variable across, then its categories
    (``"STATE (POW)","New South Wales",...,"Total",``), and names the variable down on a line
    of its own under them (``"INDP Industry of Employment",``), above the rows of its
    categories.  Read as they stand, the variable across headed the column of the categories
    down ("STATE (POW)" over the industries: refused as section titles among the regions).
    Only under TableBuilder's title lines (``Counting: ...``)."""
    if h + 2 >= len(rows) or not any(
            _TABLEBUILDER_COUNTING.match(str(c or "").strip()) for r in rows[:h] for c in r[:1]):
        return None
    head, below = rows[h], ["" if c is None else str(c).strip() for c in rows[h + 1]]
    corner = "" if not head or head[0] is None else str(head[0]).strip()
    if not corner or not below or not below[0] or any(below[1:]):
        return None
    first = rows[h + 2]
    if not first or not str(first[0] or "").strip() or not any(_is_number(str(c or "").strip()) for c in first[1:]):
        return None
    return corner


def _from_rows(path, rows, lines, options, details, sep) -> RawTable:
    if options.skip_rows is not None:
        if options.skip_rows >= len(rows):
            raise DataError(problems=[Problem(f"--skip-rows {options.skip_rows} skips the whole file", path=path)])
        h = options.skip_rows
    else:
        if not any(any((c or "").strip() for c in r) for r in rows):
            raise DataError(problems=[Problem("the file is empty (no header, no data)", path=path)])
        refuse_too_wide(path, rows[:40], lines[:40])
        h = find_header(rows)
        refuse_glued_header(path, rows, lines, h)
    series = abs_time_series(rows, lines, path) if options.skip_rows is None else None
    if series is not None:  # the ABS's time series sheet: descriptions over metadata rows
        rows, lines, h, not_read, financial = series
        details = dict(details, layout="abs time series", abs_time_series=True, share_columns_not_read=not_read)
        if financial:  # an annual series dated June: financial years, each the year it ends
            details["financial_years"] = financial
    shares = _share_columns(rows, h)
    if shares:  # each year's share beside its count: left out, named as a column not read
        drop = {j for j, _ in shares}
        rows = rows[:h] + [[c for j, c in enumerate(r) if j not in drop] for r in rows[h:]]
        details = dict(details, share_columns_not_read=[name for _, name in shares])
    over = _dimension_over_members(rows, h) if options.skip_rows is None else None
    if over is not None:  # "CNAE 2.0" over "Total;C ...;F ...": the members are the headings
        rows = rows[:h] + [over] + rows[h + 2:]
        lines = lines[:h + 1] + lines[h + 2:]
        details = dict(details, header_rows=2)
    split = _split_period_measure_header(rows, lines, h)
    if split is not None:
        rows, lines, h = split
        details = dict(details, header_rows=2)
    sheet = _eurostat_sheet(rows, lines) if options.skip_rows is None else None
    if sheet is not None:
        rows, lines, h = sheet
        details = dict(details, layout="eurostat data browser sheet")
    nz = _infoshare_across(rows, lines, h) if options.skip_rows is None else None
    if nz is not None:  # Stats NZ Infoshare: regions over industries (or the reverse) across
        rows, lines, h = nz
        details = dict(details, layout="infoshare", header_rows=2)
    across = _tablebuilder_across(rows, h) if options.skip_rows is None else None
    if across is not None:  # the row variable's name, on its line under the header, heads its column
        rows = rows[:h] + [[rows[h + 1][0], *rows[h][1:]]] + rows[h + 2:]
        lines = lines[:h + 1] + lines[h + 2:]
        details = dict(details, layout="tablebuilder", across_variable=across)
    titles = rows[:h] if options.skip_rows is None else _own_titles(rows[:h], rows[h])
    another_separator_header(path, titles, lines[:h], rows[h], sep)
    header = _headings_from_above(
        [("" if c is None else str(c)).strip().lstrip("\ufeff") for c in rows[h]], titles)
    header = _genesis_flat_headings(header, rows[h + 1] if h + 1 < len(rows) else None)
    while header and header[-1] == "" and all(len(r) <= len(header) - 1 or not (r[len(header) - 1] or "").strip()
                                               for r in rows[h + 1:]):
        header.pop()  # a trailing separator after the last heading
    _check_header(path, header, lines[h] if lines else 1, titles[-1] if titles else None,
                  rows[h + 1] if h + 1 < len(rows) else None)
    nxt = next_table_in_rows(rows, h, header)
    if nxt is not None:  # a yearbook's second table below: the first read, the second said
        t, k, title = nxt
        details = dict(details, second_table={
            "title": title, "line": lines[t] if lines else t + 1,
            "header_line": lines[k] if lines else k + 1, "skip_rows": k})
        rows, lines = rows[:t], lines[:t]
    body, body_lines = rows[h + 1:], lines[h + 1:]
    if not any(any((c or "").strip() for c in r) for r in body):
        raise DataError(problems=[Problem("no data rows under the header", path=path,
                                          line=lines[h] if lines else 1, found=", ".join(header[:8]))])
    details = dict(details, header_line=lines[h] if lines else 1, title_rows_skipped=h)
    unsaved = details.get("uncached_formulas")
    if unsaved and (series is not None or shares or sheet is not None or split is not None
                    or any(row <= details["header_line"] for row, *_ in unsaved)):
        # an xlsx formula saved without its value in a title or heading, or in a sheet whose
        # columns were rearranged: refused on its cell, as before (those under the header of a
        # plain sheet are refused by read_table only in a column it reads)
        raise DataError(problems=excel.uncached_problems(path, unsaved))
    return RawTable(path, header, body, body_lines, details, sep=sep, titles=titles)


def _parquet_table(path: str, data: bytes) -> RawTable:
    import polars as pl

    try:
        df = pl.read_parquet(io.BytesIO(data))
    except (Exception, pl.exceptions.PanicException) as exc:  # noqa: BLE001 - a damaged page can make polars panic
        raise DataError(problems=[Problem("not a readable Parquet file (truncated or corrupt?)", path=path,
                                          found=str(exc).splitlines()[0])]) from exc
    cols = df.columns
    names = _unique_names(list(cols))
    # a list or struct column has no plain cell (a list ended in an internal error, a struct
    # of one number was read as the text '{5.0}', a list of codes as the code "['11']")
    nested = [c for c in cols if df.schema[c].is_nested()]
    if nested:
        raise DataError(problems=[Problem(
            "a nested column (lists or records in a cell)", path=path, column=c,
            expected="a column of plain values (text or numbers)", found=f"{df.schema[c]} values",
            hint="flatten it (one value per cell, e.g. polars explode/unnest) or drop it")
            for c in nested])
    str_df = df.select([pl.col(c).cast(pl.String).alias(nm) for c, nm in zip(cols, names)])
    n = pl.repeat(len(cols), df.height, dtype=pl.Int64, eager=True)
    frame, notes, _ = _vector_cells(str_df, n, None, strict=False)
    frame = frame.with_columns((pl.col(_IX) + 2).cast(pl.Int64).alias(LINE)).drop(_IX)
    notes = [(i + 2, v) for i, v in notes]
    return RawTable(path, list(cols), [], [], {"format": "parquet"},
                    cells=(frame, names, notes, []), n_rows=df.height)
