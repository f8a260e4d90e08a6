"""BLS Quarterly Census of Employment and Wages (QCEW) files -> canonical frame.

Layouts recognised from the header (one adapter, three layouts):

``quarterly``
    The by-area quarterly files of the ``YYYY_qtrly_by_area`` distribution (``area_fips,
    own_code, industry_code, agglvl_code, size_code, year, qtr, disclosure_code``, the five
    ``*_title`` columns, ``qtrly_estabs_count, month1_emplvl .. month3_emplvl,
    total_qtrly_wages`` ...), the same layout without titles (the open-data CSV slices, where
    the count is ``qtrly_estabs``) and the single-file layout (one file, many areas, e.g. the
    concatenated county panel, plain or gzip).
``annual``
    Annual area slices without titles (``qtr`` is ``A``; ``annual_avg_estabs``,
    ``annual_avg_emplvl``, ``total_annual_wages``), as in the open-data
    ``/cew/data/api/YYYY/a/area/AREA.csv`` slices; the ``_count`` spelling of the annual
    by-area files is accepted too.

Either layout may come as a workbook, xlsx, xls, xlsb or ods (read as text cells; the table
on the sheet ``--sheet`` names, else the first sheet with QCEW's field names, title rows above
them skipped), and as a cut that kept only some of its measures (employment required).

Mapping to the canonical table (METHODS.md §6, the data README's "facts about QCEW"):

* region = ``area_fips`` (kept as text: ``01001`` keeps its zero), region_name =
  ``area_title``; region_level from ``agglvl_code`` (10-18 nation, 30-38 csa, 40-48 msa or
  csa for ``CS`` codes, 50-58 state, 70-78 county, 80 microsa; other levels from the code's
  shape).
* ownership from ``own_code`` (0 total, 1 federal, 2 state, 3 local, 4 international,
  5 private, 8 government, 9 UI-covered excluding federal), filtered by
  ``IngestOptions.ownership``.
* industry = ``industry_code``; level from the last digit of ``agglvl_code`` (0/1 -> 0,
  4 -> 2 (sectors, also the ranges ``31-33``), 5..8 -> 3..6) in the families 10-18, 40-48,
  50-58 and 70-78; in the others (size classes 21-28/61-64, government aggregates 91-96)
  from the code itself (``31-33`` -> 2, ``2361`` -> 4).  Domain and supersector rows (last
  digit 2 or 3, or codes ``101``, ``1011`` ... in any family) are not NAICS and are dropped,
  counted.
  Establishment-size rows (``size_code`` != 0) are dropped, counted.
* ``disclosure_code == "N"``: employment and wages are null and ``suppressed`` with flag
  ``N`` (the published 0 is not data); the establishment count is kept as reported.
  ``disclosure_code == "-"`` marks rows BLS carries with no establishments at all (every
  field 0): kept as reported zeros, flagged ``-``.  Any other code is a bad cell (reported
  with its line), never read as "disclosed".
* employment: ``IngestOptions.month`` "1"/"2"/"3" (that month), "average" (mean of the
  three months; annual files: the annual average), or "annual" (quarterly input averaged
  over the year: employment and establishments are the mean over the four quarters, an
  absent quarter counting as zero like in BLS's annual averages, wages summed; suppressed
  when any quarter is; an area with no row at all in one of the year's quarters is refused:
  that quarter was not published, which is no zero).
* BLS's ``lq_*`` and ``oty_*`` columns are never read.

Everything stays lazy (polars ``scan_csv``, all columns read as text and cast after), so a
caller can stream the result to Parquet without holding the table in memory.
"""

from __future__ import annotations

import csv
import io
import re
import zlib

from clusterid import schema
from clusterid.errors import DataError, InputFileError, Problem, UsageError
from clusterid.io.readers.text import (FIELD_LIMIT_ERROR, csv_records, header_line, lifted_csv_field_limit,
                                       open_maybe_gzip, oversized_field)

NAME = "qcew"

REQUIRED = ("area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year",
            "qtr", "disclosure_code")
QUARTERLY = "quarterly"
ANNUAL = "annual"

# measure -> accepted source spellings, first match wins
QUARTERLY_MEASURES = {
    "estabs": ("qtrly_estabs_count", "qtrly_estabs"),
    "month1": ("month1_emplvl",),
    "month2": ("month2_emplvl",),
    "month3": ("month3_emplvl",),
    "wages": ("total_qtrly_wages",),
}
ANNUAL_MEASURES = {
    "estabs": ("annual_avg_estabs", "annual_avg_estabs_count"),
    "emp": ("annual_avg_emplvl",),
    "wages": ("total_annual_wages",),
}

OWNERSHIP_CODES = {
    "0": schema.OWNERSHIP_TOTAL,
    "1": "federal",
    "2": "state",
    "3": "local",
    "4": "international",  # BLS's own_titles: International Government
    "5": schema.OWNERSHIP_PRIVATE,
    "8": "government",
    "9": "ui-covered-excl-federal",  # Total U.I. Covered (Excludes Federal Government)
}
MONTH_CHOICES = ("1", "2", "3", "average", "annual")


def ownership_named(value, have) -> str | None:
    """QCEW's own_code (``'5'``), as ``--ownership`` takes it, as the name a table holds
    (``'private'``); None when ``value`` is no own_code or the table has no such rows."""
    named = OWNERSHIP_CODES.get(str(value).strip())
    return named if named is not None and named in have else None

SUPPRESSED_FLAG = "N"
EMPTY_FLAG = "-"

REASON_SIZE = "establishment-size rows (size_code != 0)"
REASON_DOMAIN = "domain and supersector rows (agglvl_code ending 2 or 3; not NAICS codes)"
REASON_OWNERSHIP = "ownership not selected: {}"

_NAICS_SHAPE = r"^(?:[0-9]{2,6}|[0-9]{2}-[0-9]{2})$"  # 23, 2361, 31-33 (and QCEW's 10)
# QCEW's domain (101, 102) and supersector (1011 ... 1029) codes: aggregates across NAICS
# sectors, never NAICS codes (no NAICS code starts with 10)
_DOMAIN_CODE = r"^10[0-9]{1,2}$"


def _clean(name: str) -> str:
    # (the BOM first: as Python's csv module reads a BOM-saved file, its first heading is
    # '\ufeff"area_fips"', quotes and all; cleaned quotes first it stayed '"area_fips', and
    # the pass locating a bad area code met no area_fips column: "internal error: TypeError")
    return name.strip().lstrip("\ufeff").strip().strip('"').strip().lower()


def _is_qcew_header(header: list[str]) -> bool:
    cols = {_clean(h) for h in header}
    return "agglvl_code" in cols and len({"area_fips", "own_code", "industry_code", "agglvl_code"} & cols) >= 3


# title lines a QCEW table may carry above its field names: BLS's by-area workbooks
# ("Quarterly Census of Employment and Wages", the area's name, a blank row) saved as CSV
_TITLE_LINES_MAX = 10


def _cells(line: bytes) -> list[str]:
    text = line.decode("utf-8-sig", errors="replace").lstrip("\ufeff").rstrip("\r\n")
    try:
        return next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return []


def _title_like(line: bytes) -> bool:
    """A line above a table's header: blank, or at most two filled cells (a title, a note)."""
    return len([c for c in _cells(line) if c.strip()]) <= 2


def _header_below_titles(lines) -> int | None:
    """The index of QCEW's field names among ``lines`` (the file's first lines), past title
    lines only; None when none is found."""
    for i, line in enumerate(lines[:_TITLE_LINES_MAX + 1]):
        if _is_qcew_header(_cells(line)):
            return i
        if not _title_like(line):
            return None
    return None


def sniff(header: list[str], first_bytes: bytes) -> bool:
    """A QCEW file has the area/ownership/industry/aggregation code columns; with one of them
    missing (a heading blanked), QCEW's own agglvl_code still says what the file is, and the
    reader names the column missing: the generic reader took such a file for a table of
    German districts (49001 a 'kreis'), every ownership kept, exit 0.  The field names may
    follow a few title lines (a by-area workbook saved as CSV)."""
    if _is_qcew_header(header):
        return True
    return _header_below_titles(first_bytes.splitlines(keepends=True)) is not None


def _header_line(path) -> tuple[int, bytes]:
    """:func:`text.header_line`, or the line of QCEW's field names below title lines (a
    by-area workbook saved as CSV from Excel): read by the generic reader, such a file kept
    every ownership, lost agglvl_code's levels and size_code's rows."""
    at, line = header_line(path)
    if _is_qcew_header(_cells(line)):
        return at, line
    with open_maybe_gzip(path) as fh:
        lines = [fh.readline() for _ in range(at + _TITLE_LINES_MAX + 1)]
    found = _header_below_titles(lines[at - 1:])
    return (at + found, lines[at - 1 + found]) if found else (at, line)


def _is_workbook(path: str) -> bool:
    """A workbook: xlsx or xlsb (a zip holding ``xl/``), ods, or xls (an OLE2 file)."""
    from clusterid.io.readers.excel import path_format

    return path_format(path) is not None


# Rows of a sheet searched for QCEW's header (title rows above it are skipped), as the generic
# reader's find_header searches its first 40 rows
HEADER_SEARCH_ROWS = 40


def _sheet_names(wb, sheet: str | None) -> list[str]:
    """The sheets to look at: the one ``sheet`` names (by name or 1-based number, as
    ``--sheet`` takes it; an unknown name is left for the reader to refuse), else all in order."""
    from clusterid.io.readers.excel import sheet_named

    if sheet is None:
        return list(wb.names)
    named = sheet_named(getattr(wb, "all_names", wb.names), sheet)  # a hidden sheet too, when named
    return [named] if named is not None else []


def workbook_table(path: str, sheet: str | None = None) -> tuple[str, int] | None:
    """``(sheet name, 0-based header row)`` of the QCEW table in an xlsx workbook: the sheet
    ``sheet`` names, else the first sheet holding one; the header is the first of the sheet's
    first :data:`HEADER_SEARCH_ROWS` rows with QCEW's code columns (title rows above it are
    skipped).  None when there is no such sheet.  Any workbook format :mod:`.excel` reads
    (xlsx, xls, xlsb, ods)."""
    from clusterid.io.readers.excel import open_workbook

    try:
        wb = open_workbook(path)
    except Exception:  # noqa: BLE001 - not a workbook we can open: the reader says why
        return None
    try:
        for name in _sheet_names(wb, sheet):
            for i, row in enumerate(wb.rows(name, max_row=HEADER_SEARCH_ROWS)[0]):
                if sniff([c or "" for c in row], b""):
                    return name, i
    except Exception:  # noqa: BLE001 - a damaged sheet: the reader says why
        return None
    finally:
        wb.close()
    return None


def workbook_tables(path: str, sheet: str | None = None) -> list[tuple[str, int]]:
    """``(sheet name, 0-based header row)`` of every sheet of the workbook holding a QCEW table
    (only the one ``sheet`` names, when given): a workbook of one sheet per quarter or per area
    is all of its sheets' rows, as the files it was made of would be."""
    if sheet is not None:
        found = workbook_table(path, sheet)
        return [found] if found is not None else []
    from clusterid.io.readers.excel import open_workbook

    try:
        wb = open_workbook(path)
        names = list(wb.names)
        wb.close()
    except Exception:  # noqa: BLE001 - not a workbook we can open: the reader says why
        return []
    return [t for t in (workbook_table(path, n) for n in names) if t is not None]


def _workbook_rows(path: str, sheet: str | None = None, start: int = 0, label: str | None = None):
    """Rows of text cells of a QCEW sheet (``sheet``, its header on row ``start``; without a
    sheet the first with QCEW's header), from its header row on, each padded to the header's
    width.  The title rows above the header are left out (and counted in :data:`_title_rows`
    under ``label``, the name messages give the sheet, so they still name the sheet's rows)."""
    from clusterid.io.ingest import display_name
    from clusterid.io.readers import excel

    if sheet is None:
        found = workbook_table(path)
        sheet, start = found if found is not None else (None, 0)
    label = label or display_name(path)
    with open(path, "rb") as fh:
        rows, _, _ = excel.read_rows(display_name(path), fh.read(), sheet)
    rows = rows[start:]
    if start:
        _title_rows[label] = start
    else:
        _title_rows.pop(label, None)
    width = len(rows[0]) if rows else 0
    return [[c if c is not None else "" for c in r] + [""] * (width - len(r)) for r in rows]


def workbook_header(path: str) -> list[str]:
    """The header row of the QCEW table of an xlsx workbook, on whichever sheet and below
    whatever title rows (``pick_adapter`` sniffs it: a QCEW table saved as xlsx is read by this
    adapter, not the generic reader); else the first sheet's first row."""
    from clusterid.io.readers.excel import open_workbook

    found = workbook_table(path)
    wb = open_workbook(path)
    try:
        name, start = found if found is not None else (wb.names[0], 0)
        rows = wb.rows(name, max_row=start + 1)[0]
        first = rows[start] if len(rows) > start else []
    finally:
        wb.close()
    return [_clean(c or "") for c in first]


def _named_sheet_not_qcew(paths: list[str], options) -> bool:
    """``--sheet`` names a sheet without a QCEW table in every workbook given (``auto`` chose
    this adapter for another sheet of the workbook): that sheet is the generic reader's."""
    sheet = getattr(options, "sheet", None)
    if sheet is None or getattr(options, "format", "auto") != "auto":
        return False
    files = expand_paths(list(paths))
    books = [p for p in files if _is_workbook(p)]
    return bool(books) and len(books) == len(files) and all(
        workbook_table(p, sheet) is None for p in books)


_workbook_csv: dict[tuple, list[str]] = {}


def _stamp(path) -> tuple:
    """(size, modification time) of a file: a cached conversion of it is of this version (a
    file rewritten within one process, as a test or a pipeline may, is converted again)."""
    import os

    try:
        st = os.stat(path)
    except OSError:
        return ()
    return st.st_size, st.st_mtime_ns
# a workbook (as messages name it) -> rows above its QCEW header, which the CSV it becomes
# leaves out: added back to the line numbers of its problems (read)
_title_rows: dict[str, int] = {}


def _workbooks_as_csv(paths: list[str], sheet: str | None = None, options=None) -> list[str]:
    """``paths`` with every xlsx workbook written once (per process) to a temporary CSV of its
    text cells, which the CSV path then reads like any QCEW file; messages name the workbook.
    A text file in another encoding or with another separator (a QCEW CSV a spreadsheet saved
    again) becomes a UTF-8 CSV the same way (:func:`as_utf8_csv`)."""
    import atexit
    import shutil

    from clusterid.io import ingest
    from clusterid.io.atomic import temp_folder

    out = []
    for path in paths:
        key = (str(path), sheet, _stamp(path))
        if key not in _workbook_csv:
            if not _is_workbook(path):
                out.append(as_utf8_csv(path, options))
                continue
            folder = temp_folder("xlsx")
            atexit.register(shutil.rmtree, folder, True)
            tables = workbook_tables(path, sheet) or [(sheet, 0)]
            dests = []
            for i, (name, start) in enumerate(tables):
                # several table sheets: each is one input, named book.xlsx[sheet] in messages
                label = ingest.display_name(path) + (f"[{name}]" if len(tables) > 1 else "")
                dest = f"{folder}/{len(_workbook_csv):05d}_{i:03d}.csv"
                with open(dest, "w", newline="", encoding="utf-8") as fh:
                    csv.writer(fh).writerows(_workbook_rows(path, name, start, label))
                ingest._display[dest] = label
                dests.append(dest)
            _workbook_csv[key] = dests
        out.extend(_workbook_csv[key])
    from clusterid.io.readers import rowcheck

    # a file whose notes below the table were found (read): its copy without them
    return [rowcheck.cut_of(p) for p in out]


_text_csv: dict[tuple, str] = {}
_UTF8 = ("utf-8", "utf8", "utf-8-sig", "utf_8", "utf_8_sig", "ascii", "us-ascii")


def _needs_transcoding(path: str, options) -> bool:
    """The text file at ``path`` is not what the agency readers hand to polars (UTF-8, comma
    separated): UTF-16 (a spreadsheet's "Unicode text"), an ``--encoding`` other than UTF-8, or
    a tab, semicolon or bar between fields (a spreadsheet's "tab delimited" or a European
    CSV, whose encoding is then detected)."""
    from clusterid.io.readers import text as textmod

    encoding = getattr(options, "encoding", None)
    sep = getattr(options, "sep", None)
    if encoding and encoding.strip().lower() not in _UTF8:
        return True
    if sep and textmod.sniff_separator("", sep) != ",":
        return True
    try:
        with open_maybe_gzip(path) as fh:
            head = fh.read(1 << 16)
    except (OSError, EOFError, zlib.error):
        return False  # the reader says what is wrong
    if head[:4] == b"PAR1" or head[:2] == b"PK":
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:256]:
        return True
    # (a comma-separated file with a byte that is not UTF-8 stays what it is: the reader
    # locates that byte, as the file's encoding is then a guess)
    # (the header: the first line that holds anything)
    first = textmod.without_leading_blank_lines(head).split(b"\n", 1)[0].decode("utf-8", "replace")
    return "," not in first and any(c in first for c in "\t;|")


def as_utf8_csv(path: str, options=None) -> str:
    """``path`` itself when it is a UTF-8 CSV, else (:func:`_needs_transcoding`) a temporary
    UTF-8 CSV of its records, written once per process under the same file name (a CBP file's
    name gives its year), one line a record as in the source (messages keep its line numbers
    and name it)."""
    from clusterid.io.readers import text as textmod

    encoding = getattr(options, "encoding", None)
    sep = getattr(options, "sep", None)
    key = (str(path), encoding, sep, _stamp(path))
    if key in _text_csv:
        return _text_csv[key]
    if not _needs_transcoding(path, options):
        return path
    def write(text, out):
        csv.writer(out, lineterminator="\n").writerows(
            csv.reader(io.StringIO(text, newline=""), delimiter=textmod.sniff_separator(text, sep)))

    dest = decoded_copy(path, encoding, "text", write)
    _text_csv[key] = dest
    return dest


def decoded_copy(path: str, encoding: str | None, kind: str, write) -> str:
    """A temporary UTF-8 copy of the text file ``path`` (plain or gzip, decoded as ``encoding``
    says or as detected), written by ``write(text, out)`` under the file's own name (without
    ``.gz``: a CBP file's name gives its year) in a new folder of ``kind`` removed on leaving;
    messages name the copy as the original.  A record the csv module cannot read (an
    unbalanced quote) is a DataError naming the original."""
    import atexit
    import shutil

    from clusterid.io import ingest
    from clusterid.io.atomic import temp_folder
    from clusterid.io.readers import text as textmod

    shown = ingest.display_name(path)
    with open_maybe_gzip(path) as fh:
        data = fh.read()
    text, _ = textmod.decode(data, encoding, shown)
    del data
    folder = temp_folder(kind)
    atexit.register(shutil.rmtree, folder, True)
    name = re.sub(r"\.gz$", "", str(path).replace("\\", "/").rsplit("/", 1)[-1], flags=re.I)
    dest = f"{folder}/{name}"
    try:
        with open(dest, "w", newline="", encoding="utf-8") as out:
            write(text, out)
    except csv.Error as exc:
        raise DataError(problems=[Problem(f"unreadable CSV: {exc}", path=shown,
                                          hint="an unbalanced quote?")]) from exc
    ingest._display[dest] = shown
    return dest


def expand_paths(paths: list[str]) -> list[str]:
    """Expand glob patterns (a quoted ``'data/*.csv'``); plain paths pass through."""
    from clusterid.io.ingest import expand_pattern, is_pattern

    out: list[str] = []
    for p in paths:
        out.extend(expand_pattern(p) if is_pattern(p) else [p])
    return out


def read_header(path: str) -> list[str]:
    """The header row of a plain or gzip-compressed CSV file (blank lines before it skipped)."""
    try:
        at, line = _header_line(path)
    except FileNotFoundError as exc:
        raise InputFileError(f"{path}: no such file") from exc
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise InputFileError(f"{path}: cannot read: {exc}") from exc
    text = line.decode("utf-8-sig", errors="replace")
    if "\r" in text.rstrip("\r\n"):
        # lines ending in a bare CR: the "first line" is the whole file, which polars would
        # read as one row; say so instead of failing somewhere less clear
        raise DataError(problems=[Problem(
            "lines end in a bare carriage return (CR)", path=path, line=at,
            expected="LF or CRLF line endings", found="CR", hint="convert it, e.g. tr '\\r' '\\n'")])
    try:
        return [_clean(c) for c in next(csv.reader(io.StringIO(text, newline="")), [])]
    except csv.Error as exc:
        raise DataError(problems=[Problem(f"unreadable header: {exc}", path=path, line=at)]) from exc


def header_line_number(path: str) -> int:
    """The header's line in the file: 1, or after the blank lines before it (1 when the file
    cannot be read: the reader says why)."""
    try:
        return _header_line(path)[0]
    except (OSError, EOFError, zlib.error):
        return 1


def layout_of(header: list[str], path: str) -> tuple[str, dict[str, str]]:
    """('quarterly' | 'annual', measure -> source column) for a QCEW header.

    A cut of the published file that kept only some measures (``annual_avg_emplvl`` alone,
    the three months without wages) is read with those; employment it must have (a file of
    establishment counts alone is not one QCEW publishes, more likely a cut gone wrong)."""
    from clusterid.io.readers.rowcheck import duplicate_headings

    if twice := duplicate_headings(header, path, header_line_number(path)):  # said first: it is why another is missing
        raise DataError(problems=twice)
    cols = set(header)
    missing = [c for c in REQUIRED if c not in cols]
    sic = next((h for h in header if re.match(r"^sic(?:_code)?$", h)), None)
    if "industry_code" in missing and sic is not None:
        # a SIC-coded cut (its codes under sic_code): "not a QCEW file, missing industry_code"
        # said nothing of why; a NAICS read of SIC codes would be wrong figure by figure
        raise DataError(problems=[Problem(
            "a SIC-based QCEW file (BLS's 1975-2000 files)", path=path,
            line=header_line_number(path), column=sic, expected="NAICS-based QCEW files "
            "(1990 on), industry column industry_code", found=sic,
            hint="clusterid reads NAICS-coded QCEW; BLS publishes 1990-2000 on NAICS too")])
    if missing:
        raise DataError(problems=[Problem(
            "not a QCEW file", path=path, line=header_line_number(path), expected="columns " + ", ".join(REQUIRED),
            found="missing " + ", ".join(missing))])
    best = None
    for layout, wanted in ((QUARTERLY, QUARTERLY_MEASURES), (ANNUAL, ANNUAL_MEASURES)):
        found = {}
        for key, spellings in wanted.items():
            hit = next((s for s in spellings if s in cols), None)
            if hit is not None:
                found[key] = hit
        has_employment = any(k == "emp" or k.startswith("month") for k in found)
        if has_employment and (best is None or len(found) > len(best[1])):
            best = layout, found
    if best is not None:
        return best
    raise DataError(problems=[Problem(
        "QCEW file without its measure columns", path=path, line=header_line_number(path),
        expected="qtrly_estabs_count, month1..3_emplvl, total_qtrly_wages (quarterly) or "
                 "annual_avg_estabs, annual_avg_emplvl, total_annual_wages (annual)",
        found=", ".join(header[:12]) + (" ..." if len(header) > 12 else ""))])


def _ownership_filter(selected) -> set[str]:
    """own_code values chosen by the option (names, codes, or 'all')."""
    chosen: set[str] = set()
    by_name = {v: k for k, v in OWNERSHIP_CODES.items()}
    for given in selected or ():
        item = str(given).strip().lower()
        if item == "all":
            return set(OWNERSHIP_CODES)
        if item in OWNERSHIP_CODES:
            chosen.add(item)
        elif item in by_name:
            chosen.add(by_name[item])
        else:
            raise UsageError(
                f"--ownership {given!r}: unknown ownership; expected one of "
                + ", ".join(f"{v} ({k})" for k, v in OWNERSHIP_CODES.items()) + " or all")
    if not chosen:
        raise UsageError("no ownership selected; e.g. --ownership total,private")
    return chosen


def _scan_one(path: str, layout: str, cols: dict[str, str], header: list[str],
              lenient: bool = False, skip_lines=(), again: bool = False):
    """Lazy frame of one file with uniform column names (text), nothing filtered yet.

    ``lenient`` (``--on-error skip``): measures stay text (cast after, each bad cell reported
    by :func:`_lenient_checks`), ragged rows are read (and reported by line), and the frame
    carries ``_line`` and ``_source`` so ingest can set bad rows aside.
    ``again``: the file repeats its header below it (files joined with ``cat``,
    :func:`_headers_again`): those lines are left out, the measures read as text and cast
    after them (a heading is no number).
    """
    import polars as pl

    from clusterid.io.readers import rowcheck

    # Codes stay text (leading zeros); the measure columns are parsed as numbers by the CSV
    # reader itself, about a fifth faster than text followed by a cast.
    # (blank lines before the header skipped, and counted in the rows' line numbers)
    at = _header_line(path)[0]
    extra = dict(row_index_name=rowcheck.LINE, row_index_offset=at + 1,
                 truncate_ragged_lines=True) if lenient else {}
    try:
        lf = pl.scan_csv(path, glob=False, infer_schema=False, skip_lines=at - 1, with_column_names=lambda names: [
            _clean(n) for n in names],
            schema_overrides={} if lenient or again else {src: pl.Float64 for src in cols.values()}, **extra)
    except (OSError, pl.exceptions.ComputeError) as exc:  # a gzip cut short: decompressed eagerly
        raise DataError(problems=[_structure_problem([path]) or Problem(
            f"cannot read: {exc}", path=path)]) from exc
    from clusterid.io.ingest import display_name
    from clusterid.io.tables import check_spreadsheet_numbers

    rowcheck.check_header(lf, header, display_name(path), at)  # an open quote in the header row
    # a file saved again by a spreadsheet: New York's total_qtrly_wages 169909519858 became
    # 1.6991E+11, which the CSV reader parses, the 480 million it dropped gone from every LQ
    check_spreadsheet_numbers(path, display_name(path), sorted(set(cols.values())), hint=(
        "the file was saved again by a spreadsheet, which wrote large numbers in scientific "
        "notation and dropped their last digits; use the file as BLS publishes it"),
        rename=lambda names: [_clean(n) for n in names], plain_only=True)
    # own_code and size_code stripped: '5 ' (a spreadsheet's padding) was an ownership of its
    # own, dropped as 'not selected'
    exprs = [_stripped(pl.col(c)) if c in ("own_code", "size_code") else pl.col(c)
             for c in REQUIRED]
    # a byte-order mark where two BOM-saved files were joined with cat (the second's header
    # left out): the row's area read '\ufeff"49003"', quotes and all, "not a QCEW area code".
    # A BOM is no part of a cell (as the generic reader reads it)
    # (the regex only where a cell starts with one: polars then runs it on those rows alone,
    # ~0.02 s of CPU on the 4.9 M-row county panel instead of ~0.6 s on every cell)
    area = pl.col("area_fips")
    exprs[0] = (pl.when(area.str.starts_with("\ufeff"))
                .then(area.str.replace(r'^\x{FEFF}\s*"?([^"]*)"?$', "$1")).otherwise(area))
    for key, src in cols.items():
        exprs.append(pl.col(src).alias("_" + key))
        if lenient:  # cast once; _num and the bad-cell checks read it
            exprs.append(rowcheck.parse_number(src).alias("_" + key + _NUM))
    for title in ("area_title", "industry_title"):
        exprs.append(pl.col(title) if title in header else pl.lit(None, pl.String).alias(title))
    # a row cut short is padded with nulls by the CSV reader: flagged here (counted in the
    # same pass), confirmed by counting its fields in read()
    # (a blank heading after the last, 'pay,,', is the scanner's '': null in every row)
    short = pl.col(rowcheck.last_named(header)).is_null() & pl.col(header[0]).is_not_null()
    # ... and a row with more fields than the header is flagged too: the CSV reader refuses
    # one only when it reads every column (polars issue 28350), and the measures alone are.
    # A row with one field too many -- wages of 14,798,352 written without quotes -- was read
    # as 14 wages, its other fields shifted into columns left unread, exit 0.  The file is
    # scanned with one column more than its header (_EXTRA, inserted as missing): the field
    # past the last heading, null on every row of the right length.  (Every column read as
    # text, which made the reader refuse such a row itself, cost ~0.9 s of CPU on the 4.8
    # M-row county panel, one thread; the extra column ~0.)
    if not lenient:
        lf = _with_extra_field(path, lf, at)
        long = pl.col(_EXTRA).is_not_null()
    else:
        long = pl.lit(False)
    exprs.append(short.alias("_short"))
    exprs.append(long.alias("_long"))
    # strict mode: the reader parsed the measures, but 'inf', 'NaN' and 1e300 parse too
    exprs.append(pl.lit(False).alias("_implausible") if lenient else pl.any_horizontal(
        rowcheck.implausible(pl.col(src)).fill_null(False) for src in cols.values()).alias("_implausible"))
    if lenient:
        exprs += [pl.col(rowcheck.LINE).cast(pl.Int64), pl.lit(display_name(path)).alias(rowcheck.SOURCE)]
        if skip_lines:
            # ragged rows, reported by line (ingest counts them as rejected): read neither as
            # data nor as a dropped row, whatever their shifted fields say
            lf = lf.filter(~pl.col(rowcheck.LINE).is_in(sorted(skip_lines)))
    lf = lf.filter(rowcheck.not_blank(REQUIRED[0], REQUIRED[1:]))  # blank lines: not data
    if again:
        # the header again, where the next file joined with cat starts: not data (counted by
        # the pass that found it); the lines were checked to repeat it cell for cell
        lf = lf.filter(~pl.all_horizontal(rowcheck.heading_cell(c) == c for c in header[:2]).fill_null(False))
        if not lenient:  # as the CSV reader parses them when it may (strict: a bad cell fails)
            lf = lf.with_columns(pl.when(pl.col(src).str.strip_chars() != "")
                                 .then(pl.col(src).str.strip_chars()).cast(pl.Float64, strict=True)
                                 for src in sorted(set(cols.values())))
    return lf.select(exprs)


_EXTRA = "\x00clusterid extra field"  # the field past a file's last heading (_with_extra_field)


def _with_extra_field(path: str, lf, at: int):
    """``lf`` (a strict :func:`_scan_one` scan: the file's cleaned headings, its measures as
    numbers) scanned again with one column more, :data:`_EXTRA`, after the last heading: a
    row with more fields than the header holds its next field there, any other row null.

    The schema is the file's own headings as the reader sees them (renamed to the cleaned
    names after), so every heading is found where it is; the one more is inserted as
    missing (``missing_columns="insert"``), and the reader fills it from the field in that
    position when a row has one."""
    import polars as pl

    raw = pl.scan_csv(path, glob=False, infer_schema=False, skip_lines=at - 1).collect_schema().names()
    cleaned = lf.collect_schema()
    if len(raw) != len(cleaned) or _EXTRA in raw:
        return lf
    schema = dict(zip(raw, cleaned.dtypes()))
    schema[_EXTRA] = pl.String
    return pl.scan_csv(path, glob=False, schema=schema, skip_lines=at - 1,
                       missing_columns="insert").rename(dict(zip(raw, cleaned.names())))


def _stripped(code):
    """``code.str.strip_chars()``, the strip run only where it can change the cell: a cell of
    one byte above the space (own_code '5', size_code '0': every row of BLS's files) is its own
    strip.  (polars evaluates a ``when``'s branches on their rows alone: the strip of the two
    codes cost ~0.2 s of CPU on the 4.9 M-row county panel, the guard ~0.02 s.)"""
    import polars as pl

    return pl.when((code.str.len_bytes() == 1) & (code > " ")).then(code).otherwise(
        code.str.strip_chars())


def _starts_with_digit(code):
    """Expression: the text starts with an ASCII digit (null for a null cell): two comparisons,
    no regex (a text at or above '0' and below ':', the byte after '9')."""
    return (code >= "0") & (code < ":")


def _refuse_sic(path: str, header: list[str]) -> None:
    """BLS's SIC-based files (1975-2000: codes ``SIC_2011``, their own agglvl_code scheme, in
    which 18-25 are states and 26-31 counties) have the NAICS files' columns; read as NAICS,
    every row was "not a NAICS industry code".  Said once, from the first data row."""
    at = header.index("industry_code")
    # the field limit lifted: a first row holding a quoted cell over 128 KB (an area title
    # pasted whole, a damaged file) was "internal error: Error: field larger than field limit"
    with (lifted_csv_field_limit(),
          open_maybe_gzip(path, "rt", newline="", encoding="utf-8", errors="replace") as fh):
        reader = csv.reader(fh)
        try:
            next(reader, None)
            row = next(reader, [])
        except csv.Error:
            return  # a row the csv module cannot split: the read says where
    if len(row) > at and row[at].strip().upper().startswith("SIC_"):
        from clusterid.io.ingest import display_name

        raise DataError(problems=[Problem(
            "a SIC-based QCEW file (BLS's 1975-2000 files)", path=display_name(path), line=2,
            column="industry_code", expected="NAICS-based QCEW files (1990 on)", found=row[at],
            hint="clusterid reads NAICS-coded QCEW; BLS publishes 1990-2000 on NAICS too")])


_SIC_CODE = r"^\s*(?i:sic_)"  # BLS's SIC-based files write their codes SIC_2011


def _refuse_sic_rows(paths: list[str], counted) -> None:
    """The SIC refusal of :func:`_refuse_sic` for a SIC code below the first data row.  BLS's
    SIC files start with the area's total, ``10`` as in the NAICS files, so the first row
    said nothing and each SIC_ row was refused as "not a NAICS industry code", with the hint to
    read the column as --classification custom; the streaming pass counts SIC codes
    (``_sic``) and the first is located here, errors only."""
    if not counted.get_column("_sic").any():
        return
    from clusterid.io.ingest import display_name

    for path, (at,), i, row in _located_rows(paths, "industry_code"):
        if at is not None and len(row) > at and re.match(_SIC_CODE, row[at]):
            raise DataError(problems=[Problem(
                "a SIC-based QCEW file (BLS's 1975-2000 files)", path=display_name(path),
                line=i, column="industry_code", expected="NAICS-based QCEW files (1990 on)",
                found=row[at].strip(),
                hint="clusterid reads NAICS-coded QCEW; BLS publishes 1990-2000 on NAICS too")])
    for path, (area_at, agg_at), i, row in _located_rows(paths, "area_fips", "agglvl_code"):
        if area_at is None or agg_at is None or len(row) <= max(area_at, agg_at):
            continue
        area, agg = row[area_at].strip(), row[agg_at].strip()
        if agg.isdigit() and int(agg) // 10 in (_NATION, 2) and area[:1].isdigit():
            raise DataError(problems=[Problem(
                "a national aggregation level on an area that is not the U.S.; the agglvl_code "
                "scheme of BLS's SIC-based files (1975-2000: 18-25 states, 26-31 counties)",
                path=display_name(path), line=i, column="agglvl_code",
                expected="NAICS-based QCEW (agglvl_code 10-18 and 21-28 only on US000)",
                found=f"{agg} on area_fips {area}",
                hint="clusterid reads NAICS-coded QCEW; BLS publishes 1990-2000 on NAICS too")])


def _measure_notes(paths: list[str]) -> list[str]:
    """A note naming the measure columns left unread because not every file has them."""
    found = [(p, layout_of(read_header(p), p)[1]) for p in paths]
    common = set.intersection(*(set(c) for _, c in found)) if found else set()
    left = sorted({src for _, cols in found for key, src in cols.items() if key not in common})
    if not left:
        return []
    from clusterid.io.ingest import display_name

    short = next(display_name(p) for p, cols in found if set(cols) == common)
    return [f"not read: {', '.join(left)} (not in every file; {short} has no such column)"]


def _raw_frame(paths: list[str], lenient: bool = False, skip_lines: dict | None = None,
               again: dict | None = None):
    """(layout, lazy frame of all files concatenated with uniform text columns, the measure
    keys read: those every file has)."""
    import polars as pl

    found = []
    layouts = {}
    for path in paths:
        header = read_header(path)
        layout, cols = layout_of(header, path)
        _refuse_sic(path, header)
        layouts.setdefault(layout, path)
        found.append((path, cols, header))
    if len(layouts) > 1:
        # each layout named by its first file: in a glob of many, which was which went unsaid
        from clusterid.io.ingest import display_name

        # (one table of both: the reader decides on all its files together.  Two canonical
        # tables of years apart are one input to every command, --month annual making the
        # quarterly files' years comparable with the annual files')
        raise UsageError("QCEW quarterly and annual files cannot be ingested together "
                         f"(quarterly: {display_name(layouts[QUARTERLY])}; annual: "
                         f"{display_name(layouts[ANNUAL])}); ingest them separately, then give "
                         "the two tables together (years apart): clusterid ingest QUARTERLY-FILES "
                         "--month annual -o quarters.parquet; clusterid ingest ANNUAL-FILES -o "
                         "annual.parquet; clusterid detect quarters.parquet annual.parquet -o OUTDIR")
    layout = next(iter(layouts))
    common = [k for k in (QUARTERLY_MEASURES if layout == QUARTERLY else ANNUAL_MEASURES)
              if all(k in cols for _, cols, _ in found)]
    if not common:
        raise DataError(problems=[Problem(
            "the QCEW files share no measure column", path=f"{len(paths)} files",
            expected="the same measure columns in every file",
            found="; ".join(f"{p}: {', '.join(c.values())}" for p, c, _ in found[:3]))])
    frames = [_scan_one(path, layout, {k: cols[k] for k in common}, header, lenient,
                        (skip_lines or {}).get(path, ()), bool((again or {}).get(path)))
              for path, cols, header in found]
    lf = frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical")
    return layout, lf, common


_NUM = "__num"  # lenient mode: a measure's text cell cast to Float64 (null when not a number)


def _num(name: str, lenient: bool = False):
    import polars as pl

    if lenient:  # text cells; each bad one is reported by _lenient_checks and its row set aside
        from clusterid.io.readers import rowcheck

        return rowcheck.lenient_number(name, name + _NUM)
    # Strict: a non-numeric count is a broken file, not a missing value.
    return pl.col(name).cast(pl.Float64, strict=True)


# Drop reasons are computed per row as a small integer (cheap in the streaming engine) and
# named once, after counting, in :func:`counts_to_dict`.
_KEEP, _DROP_SIZE, _DROP_OWNERSHIP, _DROP_DOMAIN = 0, 1, 2, 3
_NATION, _CSA, _MSA, _STATE, _COUNTY, _MICROSA = 1, 3, 4, 5, 7, 8
# agglvl_code families whose last digit is the industry detail (BLS's agglevel_titles.csv:
# 10-18 national, 40-48 MSA, 50-58 state, 70-78 county).  The others number their digits
# otherwise -- 21-28 and 61-64 by establishment size, 91-95 national and 96 state government
# aggregates -- or are totals only (30 CSA, 80 MicroSA): there the code itself gives the level.
_DETAIL_FAMILIES = [_NATION, _MSA, _STATE, _COUNTY]


def _with_reason(lf, own_codes: set[str], lenient: bool = False):
    """Add ``_reason`` (0 = kept, else a drop code) and the numeric aggregation level."""
    import polars as pl

    agg = pl.col("agglvl_code").cast(pl.Int16, strict=not lenient)
    tens = agg // 10
    digit = agg % 10
    own, size = pl.col("own_code"), pl.col("size_code")
    size_row, not_selected = size != "0", ~own.is_in(sorted(own_codes))
    if lenient:
        # --on-error skip: a code that is none of BLS's ('x', a blank size_code) is kept here
        # and set aside with its line by _lenient_checks (the strict read refuses it on the
        # counts); own_code 'x' was dropped as 'ownership not selected' and a blank size_code
        # kept as the all-sizes row, exit 0
        size_row = size_row & size.str.contains(r"^[0-9]+$")
        not_selected = not_selected & own.is_in(list(OWNERSHIP_CODES))
    reason = (
        pl.when(size_row).then(pl.lit(_DROP_SIZE, pl.Int8))
        .when(not_selected).then(pl.lit(_DROP_OWNERSHIP, pl.Int8))
        .when((digit.is_in([2, 3]) & tens.is_in([_NATION, _CSA, _MSA, _STATE, _COUNTY]))
              | pl.col("industry_code").str.contains(_DOMAIN_CODE).fill_null(False))
        .then(pl.lit(_DROP_DOMAIN, pl.Int8))
        .otherwise(pl.lit(_KEEP, pl.Int8))
    )
    return lf.with_columns(_reason=reason, _tens=tens, _digit=digit)


def _ownership_name():
    import polars as pl

    own = pl.col("own_code")
    # A when/then chain, not replace_strict with an expression default: that one is not
    # supported by the streaming engine and made the whole query fall back to memory.
    name = pl.lit("own_code ") + own
    for code, label in reversed(list(OWNERSHIP_CODES.items())):
        name = pl.when(own == code).then(pl.lit(label)).otherwise(name)
    return name


def _keys_and_labels(lf):  # noqa: ARG001 - kept for symmetry with _measures
    import polars as pl

    area = pl.col("_area")  # area_fips without surrounding spaces (see _plan)
    area = pl.when(area.str.contains(r"^[0-9]{4}$")).then("0" + area).otherwise(area)  # 1001 -> 01001
    industry = pl.col("industry_code")
    tens = pl.col("_tens")
    digit = pl.col("_digit")
    region_level = (
        # a county row of a county code (a digit first, not xx996-xx999): the level every row
        # of a county panel has, settled by two comparisons before the chain's text tests, which
        # polars then runs on the other rows alone (~0.1 s of CPU on the 4.9 M-row panel)
        pl.when((tens == _COUNTY) & _starts_with_digit(area) & ~area.str.slice(2).is_in(NOT_PLACED))
        .then(pl.lit("county"))
        .when(area.str.starts_with("CS")).then(pl.lit("csa"))
        # USCMS, USMSA, USNMS: the U.S. CSAs, MSAs and non-metropolitan counties combined (BLS's
        # "national subgroups", files of the by-area distribution beside US000): parts of the
        # nation, never a second nation to add to it
        .when(area.str.starts_with("US") & (area != "US000")).then(pl.lit("national-subgroup"))
        # xx999 "Unknown Or Undefined, <state>": employment BLS could not place in a county,
        # part of its state's total but no place among the counties (as CBP's county 999); so
        # are xx996-xx998 (NOT_PLACED)
        .when((tens == _COUNTY) & _starts_with_digit(area) & area.str.slice(2).is_in(NOT_PLACED))
        .then(pl.lit(schema.UNALLOCATED))
        .when(tens == _COUNTY).then(pl.lit("county"))
        .when(tens == _STATE).then(pl.lit("state"))
        .when(tens == _MSA).then(pl.lit("msa"))
        .when(tens == _CSA).then(pl.lit("csa"))
        .when(tens == _NATION).then(pl.lit("nation"))
        .when(tens == _MICROSA).then(pl.lit("microsa"))  # 80: MicroSA, C + 4 digits like an MSA
        # other aggregation families (e.g. 9x government totals): from the code's shape
        .when(area.str.starts_with("US")).then(pl.lit("nation"))
        .when(area.str.starts_with("C")).then(pl.lit("msa"))
        .when(area.str.ends_with("000")).then(pl.lit("state"))
        .when(area.str.len_bytes() == 5).then(pl.lit("county"))
        .otherwise(pl.lit(None, pl.String))
    )
    # agglvl's last digit: 0/1 all industries, 4 sector (level 2), 5..8 -> 3..6 digits
    # a code that is no NAICS code (a damaged cell: "23X") gets no level: validation reports it
    # outside the detail families the code's own shape: 31-33 and 23 -> 2, 2361 -> 4
    by_code = (pl.when(industry.str.contains("-") | (industry.str.len_bytes() == 2))
               .then(pl.lit(2, pl.Int8)).otherwise(industry.str.len_bytes().cast(pl.Int8)))
    level = (
        pl.when(~industry.str.contains(_NAICS_SHAPE).fill_null(False)).then(pl.lit(None, pl.Int8))
        .when(industry == schema.ALL_INDUSTRIES).then(pl.lit(0, pl.Int8))
        .when(~tens.is_in(_DETAIL_FAMILIES)).then(by_code)
        .when(digit <= 1).then(pl.lit(0, pl.Int8))
        .when(digit == 4).then(pl.lit(2, pl.Int8))
        .when(digit >= 5).then((digit - 2).cast(pl.Int8))
        .otherwise(pl.lit(None, pl.Int8))
    )
    # "NAICS 111211 Potato farming" / "10 Total, all industries" -> the name alone; a title
    # without its code ("Retail trade", as a table joined to names writes it) is the name
    # (its first word, taken for the code, left "trade", "resources and mining")
    industry_name = pl.col("industry_title").str.replace(r"^(?:NAICS\s*)?[0-9][0-9-]*\s+", "")
    return {
        schema.REGION: area,
        schema.OWNERSHIP: _ownership_name(),
        schema.INDUSTRY: industry,
        schema.REGION_NAME: pl.col("area_title"),
        schema.REGION_LEVEL: region_level,
        schema.INDUSTRY_NAME: industry_name,
        schema.CLASSIFICATION: pl.lit(schema.NAICS),
        schema.LEVEL: level,
    }


def _measures(layout: str, month: str, lenient: bool = False, have=None):
    """Expressions for the measures of one row (quarterly or annual file): those whose
    columns the files have (``have``, measure keys; all by default)."""
    import polars as pl

    disclosure = pl.col("disclosure_code")
    hidden = (disclosure == SUPPRESSED_FLAG).fill_null(False)
    # BLS writes blank (or " ") for disclosed cells; keep any other marker verbatim
    flag = (pl.when(hidden).then(pl.lit(SUPPRESSED_FLAG))
            .when(disclosure.is_null() | disclosure.is_in(["", " "])).then(pl.lit(None, pl.String))
            .otherwise(disclosure))
    have = set((QUARTERLY_MEASURES if layout == QUARTERLY else ANNUAL_MEASURES) if have is None else have)
    if layout == ANNUAL:
        needed = ["emp"]
    elif month in ("1", "2", "3"):
        needed = ["month" + month]
    else:  # average; "annual" averages the monthly values per quarter first, then the year
        needed = ["month1", "month2", "month3"]
    months = sorted(k for k in have if k.startswith("month"))
    if months and not set(needed) <= have:
        raise UsageError(f"--month {month}: the file has {', '.join(m + '_emplvl' for m in months)} "
                         f"only; choose --month {' or '.join(m[-1] for m in months)}")
    null = pl.lit(None, pl.Float64)
    sup, rep = pl.lit(schema.SUPPRESSED), pl.lit(schema.REPORTED)
    out = {}
    # a blank cell (not BLS's practice, but seen in hand-edited files) is missing, never 0
    if set(needed) <= have:
        parts = [_num("_" + k, lenient) for k in needed]
        emp = parts[0] if len(parts) == 1 else parts[0] + parts[1] + parts[2]
        if len(parts) == 3 and month != "annual":
            # "annual" keeps the quarter's sum: the year's twelve months are divided once
            # (_annual_from_quarters), a mean of quarterly means wrote 240 jobs a month as
            # 19.999999999999996 where BLS's own annual average is 20.  A product with the
            # reciprocal, as polars divides a column of several rows by a constant: a chunk of
            # one row (a last line without its newline) it divides exactly, so one cell came
            # out 604.3333333333334 beside 604.3333333333333 for the same months elsewhere,
            # and a file's rows differed as its lines were chunked (read whole or by year)
            emp = emp * (1.0 / 3.0)
        out.update({
            schema.EMPLOYMENT: pl.when(hidden).then(null).otherwise(emp),
            schema.status_col(schema.EMPLOYMENT):
                pl.when(hidden | emp.is_null()).then(sup).otherwise(rep),
            schema.flag_col(schema.EMPLOYMENT): flag})
    if "estabs" in have:
        estabs = _num("_estabs", lenient)
        out.update({
            schema.ESTABLISHMENTS: estabs,
            schema.status_col(schema.ESTABLISHMENTS): pl.when(estabs.is_null()).then(sup).otherwise(rep)})
    if "wages" in have:
        wages = _num("_wages", lenient)
        out.update({
            schema.WAGES: pl.when(hidden).then(null).otherwise(wages),
            schema.status_col(schema.WAGES): pl.when(hidden | wages.is_null()).then(sup).otherwise(rep),
            schema.flag_col(schema.WAGES): flag})
    return out


def _period(layout: str, month: str):
    import polars as pl

    year = pl.col("year")
    qtr = pl.col("qtr")
    if layout == ANNUAL or month == "annual":
        return year
    return pl.when(qtr == "A").then(year).otherwise(year + pl.lit("Q") + qtr)


def _annual_from_quarters(lf, lenient: bool = False, hidden=None):
    """Average a quarterly frame (already canonical-ish, period = year) over the year.

    ``lenient``: the frame carries ``_line``/``_source``/``_bad``; a year with a bad quarter
    row keeps that row's line, so ingest sets the whole annual row aside with it.  Only the
    measures the frame has are averaged; ``hidden`` is the status column that says a quarter
    was undisclosed (employment's, or wages' when the file has no employment).
    """
    import polars as pl

    keys = list(schema.KEYS)
    labels = [schema.REGION_NAME, schema.REGION_LEVEL, schema.INDUSTRY_NAME,
              schema.CLASSIFICATION, schema.LEVEL]
    names = lf.collect_schema().names()
    hidden = hidden or next((schema.status_col(m) for m in (schema.EMPLOYMENT, schema.WAGES)
                             if schema.status_col(m) in names), None)
    any_hidden = (pl.col(hidden) == schema.SUPPRESSED).any() if hidden else pl.lit(False)
    flag_of = schema.flag_col(schema.EMPLOYMENT if hidden == schema.status_col(schema.EMPLOYMENT)
                              else schema.WAGES)
    null = pl.lit(None, pl.Float64)
    status = pl.when(any_hidden).then(pl.lit(schema.SUPPRESSED)).otherwise(pl.lit(schema.REPORTED))
    flag = pl.when(any_hidden).then(pl.lit(SUPPRESSED_FLAG)).otherwise(
        pl.col(flag_of).drop_nulls().first()) if hidden else None
    aggs = []
    if schema.EMPLOYMENT in names:
        # the quarters carry their three months' sum (_measures): divided once by the twelve
        # months, as a column (polars divides a column by a float constant as a product with
        # its reciprocal: 32,632 / 12 came out 2719.333333333333, not 2719.3333333333335).
        # Twelve, not the months of the quarters present: a row absent from a quarter (an
        # industry with no establishments then, a file cut to its non-zero rows) counts as
        # zero, as BLS's annual averages and the establishments here count it -- 12 jobs in
        # three quarters was an annual average of 12, BLS's 9 (read() refuses an area absent
        # from a whole quarter, which is no zero)
        months = (pl.len() * 0 + 12).cast(pl.Float64)
        aggs += [pl.when(any_hidden).then(null).otherwise(pl.col(schema.EMPLOYMENT).sum() / months)
                 .alias(schema.EMPLOYMENT),
                 status.alias(schema.status_col(schema.EMPLOYMENT)),
                 flag.alias(schema.flag_col(schema.EMPLOYMENT))]
    if schema.ESTABLISHMENTS in names:
        aggs += [(pl.col(schema.ESTABLISHMENTS).sum() / 4.0).alias(schema.ESTABLISHMENTS),
                 pl.lit(schema.REPORTED).alias(schema.status_col(schema.ESTABLISHMENTS))]
    if schema.WAGES in names:
        aggs += [pl.when(any_hidden).then(null).otherwise(pl.col(schema.WAGES).sum())
                 .alias(schema.WAGES),
                 status.alias(schema.status_col(schema.WAGES)),
                 flag.alias(schema.flag_col(schema.WAGES))]
    if _QTR in names:
        # a quarter given twice (two copies of a file, overlapping area files) must not be
        # summed into the year (every figure twice): the n-th copy of a quarter goes to the
        # n-th annual row, so the copies come out as duplicate keys, refused by validation as
        # with --month average
        lf = lf.with_columns(pl.int_range(pl.len()).over([*keys, _QTR]).alias(_COPY))
        keys = [*keys, _COPY]
    out = lf.group_by(keys).agg(
        *[pl.col(c).first() for c in labels], *aggs,
        *([pl.col("_line").filter(pl.col("_bad")).min().alias("_line"), pl.col("_source").first()]
          if lenient else []),
    )
    return out.drop(_COPY) if _QTR in names else out


_QTR = "_qtr"  # the quarter of a row of a quarterly file averaged over the year
_COPY = "_copy"  # which copy of its (key, quarter) a row is: 0 unless the input repeats it


def plan(paths: list[str], options):
    """Build the lazy plan: returns ``(layout, kept_frame, counts_frame)``.

    ``counts_frame`` has columns ``_reason``, ``own_code``, ``rows`` (turn it into the drop
    reasons with :func:`counts_to_dict`); collecting it
    together with ``kept_frame`` (``polars.collect_all`` on the streaming engine) reads the
    files once.
    """
    return _plan(paths, options)[:4]


def _headers_again(paths: list[str]) -> dict[str, list[int]]:
    """path -> the lines that repeat its header (files joined with ``cat``, plain text or
    gzip members), for the files that have any; a different header below the first is an
    error naming its line (:func:`rowcheck.headers_again`).  Slow path: a read that failed
    on a heading where a number belongs, or ``--on-error skip``."""
    from clusterid.io.ingest import display_name
    from clusterid.io.readers import rowcheck

    found = {}
    for path in paths:
        try:
            lines = rowcheck.headers_again(path, read_header(path), display_name(path),
                                           _header_line(path)[0])
        except (OSError, EOFError, zlib.error) as exc:
            # a gzip cut short (a download that stopped) ends this pass over its lines first:
            # said as the file's problem, as the read says it, not an internal error
            problem = _structure_problem([path])
            if problem is None:
                raise
            raise DataError(problems=[problem]) from exc
        if lines:
            found[path] = lines
    return found


def _count_headers_again(again: dict, rows_read: int, dropped: dict) -> tuple[int, dict]:
    """``rows_read`` and ``dropped`` with the lines repeating a header counted as dropped rows."""
    from clusterid.io.readers import rowcheck

    n = sum(len(v) for v in again.values())
    if n:
        dropped = dict(sorted({**dropped, rowcheck.REASON_REPEATED_HEADER: n}.items()))
    return rows_read + n, dropped


def _plan(paths: list[str], options, lenient: bool = False, skip_lines: dict | None = None,
          again: dict | None = None):
    """:func:`plan` plus, when ``lenient``, the lazy frame of bad cells of the kept rows and
    their descriptions (see :func:`_lenient_checks`)."""
    import polars as pl

    if getattr(options, "period", None):
        raise UsageError(f"--period {options.period}: QCEW files carry their own year and quarter "
                         "(year, qtr columns); leave --period out")
    month = str(options.month).strip().lower()
    if month not in MONTH_CHOICES:
        raise UsageError(f"unknown --month {options.month!r}; expected one of "
                         + ", ".join(MONTH_CHOICES))
    paths = _workbooks_as_csv(expand_paths(list(paths)), getattr(options, "sheet", None), options)
    if not paths:
        raise UsageError("no input files")
    layout, raw, have = _raw_frame(paths, lenient, skip_lines, again)
    if layout == ANNUAL and month in ("1", "2", "3"):
        raise UsageError(f"--month {month}: annual QCEW files carry only the annual average; "
                         "use --month average")
    own_codes = _ownership_filter(options.ownership)
    tagged = _with_reason(raw, own_codes, lenient)
    # year and qtr ride along in the counts (a few groups; in a strict read a flag, _flags) so
    # read() can check them unread; codes checked per row but counted as one flag each (grouping by the disclosure code's
    # text cost ~0.5 s of CPU on a 5 M-row panel); the slow pass locates a bad one
    # (each text test guarded by a cheap one that settles BLS's own cells -- five digits, a
    # blank disclosure code, a code starting with a digit -- so the strip or regex runs only on
    # the other rows: ~0.2 s of CPU less on the 4.9 M-row county panel)
    area = pl.col("area_fips")
    digits = area.str.to_integer(strict=False).is_not_null()  # no space, no letter
    tagged = tagged.with_columns(
        _area=pl.when(digits).then(area).otherwise(area.str.strip_chars())).with_columns(
        _codes_ok=pl.when(digits & (area.str.len_bytes() == 5) & _starts_with_digit(area))
        .then(True).otherwise(_good_area(pl.col("_area")))
        & pl.when(pl.col("disclosure_code").is_null()).then(True).otherwise(_good_disclosure()),
        # a SIC code on any row, kept or dropped, names a SIC-based file (_refuse_sic_rows):
        # its first row is often the total '10', which the header's check alone let through
        _sic=pl.when(_starts_with_digit(pl.col("industry_code"))).then(False)
        .otherwise(pl.col("industry_code").str.contains(_SIC_CODE)).fill_null(False)
        # a national level (10-18, or 21-28 by size) on an area other than the U.S.: the SIC
        # files' own scheme (18-25 states, 26-31 counties), whose total rows ('10') carry no
        # SIC code -- Alabama's total at agglvl 18 was read as the nation, exit 0
        # (two comparisons each, no text test: cheap on a 5 M-row panel)
        | ((pl.col("_tens") >= _NATION) & (pl.col("_tens") <= 2)
           & _starts_with_digit(pl.col("_area"))).fill_null(False))
    # own_code and size_code ride along too (a few values each; size_code in a strict read as
    # a flag), so every row's is checked, dropped or kept (_check_ownership_and_size)
    keys = (["_reason", "own_code", "size_code", "year", "qtr", "_codes_ok", "_short", "_long",
             "_implausible", "_sic"] + (["_source"] if lenient else []))
    if lenient:
        counts = tagged.group_by(keys).agg(pl.len().alias("rows"))
        flags = None
    else:
        # strict: the counts by reason and own_code alone, every other check as one flag over
        # all rows (_flags): a group-by over the ten keys, the text of size_code, year and qtr
        # among them, cost ~0.3 s more CPU on the 4.9 M-row county panel (one thread, in the
        # streaming pass: 5.17-5.33 -> 4.90-4.99 s)
        counts = tagged.group_by(["_reason", "own_code"]).agg(pl.len().alias("rows"))
        flags = tagged.select(_flags(layout))
    kept = tagged.filter(pl.col("_reason") == _KEEP)
    cols = {schema.PERIOD: _period(layout, month)}
    cols.update(_keys_and_labels(kept))
    cols.update(_measures(layout, month, lenient, have))
    bad = describe = None
    if lenient:
        from clusterid.io.readers import rowcheck

        checks, describe = _lenient_checks(layout, have)
        bad = rowcheck.bad_cells(kept, checks)
        cols.update({c: pl.col(c) for c in (rowcheck.LINE, rowcheck.SOURCE)})
        cols["_bad"] = pl.any_horizontal(c[0] if isinstance(c, tuple) else c for c in checks.values())
    if layout == QUARTERLY and month == "annual":
        cols[_QTR] = pl.col("qtr").str.strip_chars()
    frame = kept.select(**cols)
    if layout == QUARTERLY and month == "annual":
        frame = _annual_from_quarters(frame, lenient)  # _bad folded into _line
    elif lenient:
        frame = frame.drop("_bad")
    return layout, frame, counts, paths, bad, describe, flags


def _flags(layout: str) -> list:
    """The strict read's checks of every row, kept or dropped, each as one value over the
    file (one row): a kept row's area and disclosure codes (_codes_ok), a row cut short, a
    field past the last heading, an implausible number, a SIC code, a size_code of digits
    (:func:`_check_ownership_and_size`), and a year of four ASCII digits with a qtr of the
    layout as written (_period_ok: a subset of what :func:`_check_periods` takes, which then
    looks at the distinct pairs themselves)."""
    import polars as pl

    size, year, qtr = pl.col("size_code"), pl.col("year"), pl.col("qtr")
    return [
        (pl.col("_codes_ok") | (pl.col("_reason") != _KEEP)).all().alias("_codes_ok"),
        pl.col("_short").any(), pl.col("_long").any(), pl.col("_implausible").any(),
        pl.col("_sic").any(),
        # size_code '0' (every row of BLS's files) settled before the regex
        pl.when(size == "0").then(True).otherwise(size.str.contains(r"^[0-9]+$"))
        .fill_null(False).all().alias("_size_ok"),
        (year.str.contains(r"^[0-9]{4}$") & qtr.is_in(list(_GOOD_QTR[layout])))
        .fill_null(False).all().alias("_period_ok"),
    ]


def _lenient_checks(layout: str, have=None):
    """(name -> (cell is bad, cell), name -> (message, expected)) for the kept rows."""
    import polars as pl

    from clusterid.io.readers import rowcheck

    checks, describe = {}, {}
    for key, spellings in (QUARTERLY_MEASURES if layout == QUARTERLY else ANNUAL_MEASURES).items():
        if have is not None and key not in have:
            continue
        checks[spellings[0]] = (rowcheck.is_bad_number("_" + key, "_" + key + _NUM), pl.col("_" + key))
        describe[spellings[0]] = ("not a number", rowcheck.NUMBER_EXPECTED)
    agg = pl.col("agglvl_code").str.strip_chars()
    checks["agglvl_code"] = (~agg.str.contains(r"^[0-9]{1,3}$")).fill_null(True)
    describe["agglvl_code"] = ("not an aggregation level code", "a number like 71 or 75")
    checks["year"] = (~pl.col("year").str.strip_chars().str.contains(r"^\d{4}$")).fill_null(True)
    describe["year"] = ("not a year", "a four-digit year")
    checks["qtr"] = (~pl.col("qtr").str.strip_chars().is_in(list(_GOOD_QTR[layout]))).fill_null(True)
    describe["qtr"] = ("not a quarter", _one_of(_GOOD_QTR[layout]) + f" ({layout} QCEW layout)")
    checks["disclosure_code"] = ~_good_disclosure()
    describe["disclosure_code"] = _DISCLOSURE_PROBLEM
    # as _check_ownership_and_size refuses them in a strict read (a blank own_code is an empty
    # key cell, which validation sets aside)
    checks["own_code"] = (~pl.col("own_code").is_in(list(OWNERSHIP_CODES))).fill_null(False)
    describe["own_code"] = ("not an ownership code", _one_of(list(OWNERSHIP_CODES)))
    checks["size_code"] = (~pl.col("size_code").str.contains(r"^[0-9]+$")).fill_null(True)
    describe["size_code"] = ("not an establishment size code", "a number (0: all sizes)")
    checks["area_fips"] = ~_good_area(pl.col("area_fips").str.strip_chars())
    describe["area_fips"] = _AREA_PROBLEM
    return checks, describe


def _check_full_years(paths: list[str], raw_period_frame) -> None:
    """Annual averages of quarterly files need every quarter of every year present."""
    import polars as pl

    # (one pass: the quarters of each area, the areas' quarters of each year taken from them)
    by_area = raw_period_frame.select("area_fips", "year", "qtr").unique().collect().select(
        pl.col(c).str.strip_chars() for c in ("area_fips", "year", "qtr")).unique()
    # a line repeating the header (files joined with cat) is no period: the read leaves it out
    # or, another header, refuses it with its line
    by_area = by_area.filter(~((pl.col("year").str.to_lowercase() == "year")
                               & (pl.col("qtr").str.to_lowercase() == "qtr")).fill_null(False))
    got = by_area.select("year", "qtr").unique()
    problems = []
    for (year,), part in got.group_by(["year"], maintain_order=True):
        quarters = sorted(part["qtr"].to_list())
        if quarters != ["1", "2", "3", "4"]:
            problems.append(Problem(
                "an annual average needs all four quarters", path=paths[0] if len(paths) == 1
                else f"{len(paths)} files", column="qtr", expected="quarters 1, 2, 3, 4 of "
                + str(year), found=", ".join(quarters),
                hint="add the missing quarters or use --month average"))
    if problems:
        raise DataError(problems=problems)
    # ... and of every area: a row absent from a quarter is a zero (_annual_from_quarters), but
    # an area with no row at all in one (a by-area file of three quarters among complete ones;
    # BLS's suspension of Colorado's substate data late in 2024) is a quarter not published,
    # which as zeros would put every annual average of the area a quarter low
    short = (by_area.filter(pl.col("qtr").is_in(["1", "2", "3", "4"]).fill_null(False))
             .group_by("area_fips", "year").agg(pl.col("qtr").unique().sort())
             .filter(pl.col("qtr").list.len() < 4).sort("year", "area_fips"))
    if short.height:
        area, year, quarters = short.row(0)
        more = f" (and {short.height - 1} more areas)" if short.height > 1 else ""
        raise DataError(problems=[Problem(
            "an annual average needs all four quarters of every area",
            path=paths[0] if len(paths) == 1 else f"{len(paths)} files", column="qtr",
            expected=f"quarters 1, 2, 3, 4 of {year} for area {area}",
            found=", ".join(quarters) + more,
            hint="add the area's missing quarters, leave the area out, or use --month average")])


# BLS's disclosure codes: blank (disclosed), N (not disclosed), - (no establishments).  Any
# other code is a damaged cell: read as "disclosed", its published 0 would become data.
_GOOD_DISCLOSURE = ("", SUPPRESSED_FLAG, EMPTY_FLAG)
_DISCLOSURE_PROBLEM = ("unknown disclosure code", "blank, N or -")
# QCEW area codes: 01001 (a file saved by a spreadsheet may have lost the zero: 1001), US000,
# C4162 (MSA), CS482 (CSA); anything else is a damaged cell, not a region
_AREA_SHAPE = r"^(?:[0-9]{4,5}|US[0-9A-Z]{3}|C[0-9]{4}|CS[0-9]{3})$"
# the county-level codes of BLS's area list (area_titles.csv) that are no county: xx996
# "Overseas Locations -- <state>", xx997 "Multicounty, Not Statewide -- <state>", xx998
# "Out-of-State, <state>", xx999 "Unknown Or Undefined, <state>" (no county FIPS code ends in
# 996-999); parts of the state's total placed in no county: region level unallocated
NOT_PLACED = ["996", "997", "998", "999"]
NOT_PLACED_CODE = r"^\s*[0-9]{2}99[6-9]\s*$"
_AREA_PROBLEM = ("not a QCEW area code", "5 digits (01001), US000, C4162 or CS482")


def _good_disclosure():
    """Expression: the row's disclosure code is one BLS uses (a blank cell is)."""
    import polars as pl

    return pl.col("disclosure_code").str.strip_chars().is_in(list(_GOOD_DISCLOSURE)).fill_null(True)


def _good_area(area):
    """Expression: the area code ``area`` (spaces stripped) has a QCEW shape (a blank is not)."""
    return area.str.contains(_AREA_SHAPE).fill_null(False)


def _check_codes(paths: list[str], flags) -> None:
    """Every kept row's disclosure code is one BLS uses and its area code has a QCEW shape
    (``flags``' _codes_ok, :func:`_flags`; located by a slow pass, errors only)."""
    if flags.get_column("_codes_ok").all():
        return
    problems = []
    area = re.compile(_AREA_SHAPE)
    for path, at, i, row in _located_rows(paths, "disclosure_code", "area_fips"):
        at, at_area = at
        if len(row) > at and row[at].strip() not in _GOOD_DISCLOSURE:
            problems.append(Problem(_DISCLOSURE_PROBLEM[0], path=path, line=i,
                                    column="disclosure_code",
                                    expected=_DISCLOSURE_PROBLEM[1], found=row[at]))
        if at_area is not None and len(row) > at_area \
                and not area.match(row[at_area].strip().lstrip("\ufeff").strip().strip('"')):
            problems.append(Problem(_AREA_PROBLEM[0], path=path, line=i, column="area_fips",
                                    expected=_AREA_PROBLEM[1], found=row[at_area]))
        if len(problems) >= _LOCATE_LIMIT:
            break
    raise DataError(problems=problems)


def _check_ownership_and_size(paths: list[str], counted, flags) -> None:
    """Every row's own_code is one of BLS's (the counts' own_code) and its size_code a number
    (``flags``' _size_ok, :func:`_flags`; located by a slow pass, errors only)."""
    import polars as pl

    ok = counted.select(pl.col("own_code").is_in(list(OWNERSHIP_CODES)).fill_null(False).all())
    if ok.item() and flags.get_column("_size_ok").all():
        # a blank own_code was kept as no ownership at all (an empty key cell), 'x' dropped as
        # 'ownership not selected', a blank size_code kept as all sizes
        return
    problems = []
    for path, (own, size), i, row in _located_rows(paths, "own_code", "size_code"):
        if own is not None and len(row) > own and row[own].strip() not in OWNERSHIP_CODES:
            problems.append(Problem("not an ownership code", path=path, line=i, column="own_code",
                                    expected=_one_of(list(OWNERSHIP_CODES)), found=row[own]))
        # ASCII digits, as the counts' check above ('٣' passes isdigit(): found by neither)
        if size is not None and len(row) > size and not re.fullmatch(r"[0-9]+", row[size].strip()):
            problems.append(Problem("not an establishment size code", path=path, line=i,
                                    column="size_code", expected="a number (0: all sizes)",
                                    found=row[size]))
        if len(problems) >= _LOCATE_LIMIT:
            break
    # the counts saw a bad code: never read on when the line-by-line pass cannot name it
    raise DataError(problems=problems or [Problem(
        "an ownership or establishment size code that is not one", path=paths[0] if len(paths) == 1
        else f"{len(paths)} files", column="own_code, size_code",
        expected="own_code " + _one_of(list(OWNERSHIP_CODES)) + " and a whole-number size_code")])


_LOCATE_LIMIT = 20  # problems a slow locating pass collects before it stops


def _located_rows(paths: list[str], *columns: str):
    """``(path, positions of columns, physical line, cells)`` of every data row of the files,
    in order: the slow pass that locates what the streaming read only counted (a quoted title
    may span lines, so lines are the reader's physical ones).  A column the file lacks has
    position None.  Blank lines before the header are skipped and counted, as the read does:
    taking the first of them for the header, the pass located nothing in such a file."""
    for path in paths:
        records = csv_records(path, _header_line(path)[0] - 1)
        header = [_clean(h) for h in next(records, (None, []))[1]]
        at = tuple(header.index(c) if c in header else None for c in columns)
        for i, row in records:
            yield path, at, i, row


def _check_no_nul(paths: list[str], kept) -> None:
    """No NUL byte in the titles read (``area_title``, ``industry_title``: every other cell
    read is checked for its shape).  The streaming read kept one inside a title, and ingest
    wrote it into the table's names, exit 0: a canonical CSV every other command then refused
    ("NUL byte in a text file"), as the generic and CBP readers refuse the raw file.  One
    search of the two name columns (a memchr); the slow pass locates the line, errors only."""
    import polars as pl

    names = [c for c in (schema.REGION_NAME, schema.INDUSTRY_NAME) if c in kept.columns]
    if not names or not kept.select(pl.any_horizontal(
            pl.col(c).str.contains("\x00", literal=True).any() for c in names)).item():
        return
    from clusterid.io.ingest import display_name

    problems = []
    for path, at, i, row in _located_rows(paths, "area_title", "industry_title"):
        for column, pos in zip(("area_title", "industry_title"), at):
            if pos is not None and len(row) > pos and "\x00" in row[pos]:
                problems.append(Problem(
                    "NUL byte in a text file", path=display_name(path), line=i, column=column,
                    expected="text", found=row[pos][:60],
                    hint="the file is damaged (a disk or copy error leaves NUL bytes): "
                         "download or copy it again"))
        if len(problems) >= _LOCATE_LIMIT:
            break
    raise DataError(problems=problems or [Problem(
        "NUL byte in a text file", path=display_name(paths[0]) if len(paths) == 1
        else f"{len(paths)} files", column="area_title, industry_title", expected="text",
        hint="the file is damaged: download or copy it again")])


_GOOD_YEAR = re.compile(r"^\d{4}$")
_GOOD_QTR = {QUARTERLY: ("1", "2", "3", "4", "A"), ANNUAL: ("A",)}


def _check_periods(paths: list[str], flags, layout: str, pairs) -> None:
    """Every row's year is four digits and its qtr one of the layout's (a ``qtr`` of 7 or a
    title in the year column would otherwise become a period no other table has).

    ``flags``' _period_ok (:func:`_flags`) settles BLS's own cells; else ``pairs()`` gives the
    distinct (year, qtr) pairs (a second pass over the files), tested as written: spaces
    stripped, a four-digit year in any script's digits."""
    if flags.get_column("_period_ok").all():
        return
    pairs = pairs()
    if all(y is not None and _GOOD_YEAR.match(y.strip()) and q is not None
           and q.strip() in _GOOD_QTR[layout] for y, q in pairs):
        return
    problems = []
    for path, (at_year, at_qtr), i, row in _located_rows(paths, "year", "qtr"):
        if len(row) <= max(at_year, at_qtr):
            continue
        year, qtr = row[at_year].strip(), row[at_qtr].strip()
        if not _GOOD_YEAR.match(year):
            problems.append(Problem("not a year", path=path, line=i, column="year",
                                    expected="a four-digit year", found=year))
        elif qtr not in _GOOD_QTR[layout]:
            problems.append(Problem(
                "not a quarter", path=path, line=i, column="qtr",
                expected=_one_of(_GOOD_QTR[layout]) + f" ({layout} QCEW layout)",
                found=qtr))
        if len(problems) >= _LOCATE_LIMIT:
            break
    raise DataError(problems=problems or [Problem(
        "missing year or quarter", path=paths[0] if len(paths) == 1 else f"{len(paths)} files",
        column="year", expected="a four-digit year and a quarter in every row")])


def _one_of(values) -> str:
    values = list(values)
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def counts_to_dict(counts_df) -> tuple[int, dict[str, int]]:
    """(rows read, reason -> rows dropped) from a collected counts frame of :func:`plan`."""
    total = 0
    dropped: dict[str, int] = {}
    for code, own, rows in counts_df.select("_reason", "own_code", "rows").iter_rows():
        total += int(rows)
        if code == _KEEP:
            continue
        if code == _DROP_SIZE:
            reason = REASON_SIZE
        elif code == _DROP_DOMAIN:
            reason = REASON_DOMAIN
        else:
            reason = REASON_OWNERSHIP.format(f"{OWNERSHIP_CODES.get(own, 'own_code ' + str(own))}"
                                             f" (own_code {own})")
        dropped[reason] = dropped.get(reason, 0) + int(rows)
    return total, dict(sorted(dropped.items()))


def read(paths: list[str], options):
    """Read QCEW files into an :class:`~clusterid.io.ingest.AdapterResult` (:func:`_read`),
    with the rows of a workbook whose header sits below title rows named by their sheet row."""
    try:
        result = _read_notes_below(paths, options)
    except DataError as exc:
        if not _title_rows or not exc.problems:
            raise
        raise DataError(problems=_sheet_lines(exc.problems)) from exc
    if _title_rows and result.adapter == NAME:
        import polars as pl

        from clusterid.io.readers import rowcheck

        result.problems = _sheet_lines(result.problems)
        if rowcheck.LINE in result.frame.collect_schema().names():
            shift = pl.col(rowcheck.SOURCE).replace_strict(_title_rows, default=0, return_dtype=pl.Int64)
            result.frame = result.frame.with_columns(pl.col(rowcheck.LINE) + shift)
    return result


def _read_notes_below(paths: list[str], options):
    """:func:`_read`; when it fails or finds bad rows, and a file ends in notes pasted below
    its table ('Source: U.S. Bureau of Labor Statistics, ...': :func:`rowcheck.notes_below`),
    read again without them (and so in a later read of the same file in this process), each
    such line counted as dropped and named in the notes.  A file without them reads as it did
    (nothing is looked for unless the read fails)."""
    try:
        result = _read(paths, options)
    except DataError:
        if not _cut_notes_below(paths, options):
            raise
        result = _read(paths, options)
    else:
        if result.problems and _cut_notes_below(paths, options):
            result = _read(paths, options)
    from clusterid.io.ingest import display_name
    from clusterid.io.readers import rowcheck

    n = 0
    for path in expand_paths(list(paths)):
        for csv_path in _workbooks_as_csv([path], getattr(options, "sheet", None), options):
            if (cut := rowcheck.notes_of(csv_path)) is not None:
                n += len(cut)
                result.notes.append(rowcheck.notes_below_note(cut, display_name(csv_path)))
    if n:
        result.rows_read = (result.rows_read or 0) + n
        result.dropped = dict(sorted({**result.dropped, rowcheck.REASON_NOTES_BELOW:
                                      result.dropped.get(rowcheck.REASON_NOTES_BELOW, 0) + n}.items()))
    return result


def _cut_notes_below(paths: list[str], options) -> bool:
    """Find the notes below the table of each file (:func:`rowcheck.without_notes_below`),
    making a copy without them for :func:`_workbooks_as_csv` to hand on; True if any were
    found that no copy leaves out yet."""
    from clusterid.io.readers import rowcheck

    found = False
    for path in _workbooks_as_csv(expand_paths(list(paths)), getattr(options, "sheet", None), options):
        if rowcheck.notes_of(path) is not None:  # a copy without them already
            continue
        try:
            cut = rowcheck.without_notes_below(path, len(read_header(path)))
        except (OSError, EOFError, zlib.error, DataError):
            continue  # a damaged file: the read said what is wrong
        found = found or cut is not None
    return found


def _sheet_lines(problems: list) -> list:
    """``problems`` with the lines of workbooks read from below title rows counted as the
    sheet's rows (the CSV the sheet became starts at its header)."""
    import dataclasses

    from clusterid.io.ingest import display_name

    return [dataclasses.replace(p, line=p.line + _title_rows[display_name(p.path)])
            if p.line is not None and p.path is not None and display_name(p.path) in _title_rows
            else p for p in problems]


def _read(paths: list[str], options):
    """Read QCEW files into an :class:`~clusterid.io.ingest.AdapterResult`.

    The files are read once: the kept rows and the row counts (read, dropped by reason) come
    out of one streaming pass (``polars.collect_all``), so the frame handed back is already in
    memory (``DataFrame.lazy()``).  :func:`plan` gives the lazy pieces to a caller that wants
    to stream the result straight to disk instead.
    """
    import polars as pl

    from clusterid.io.ingest import AdapterResult

    if _named_sheet_not_qcew(paths, options):
        from clusterid.io.readers import generic

        return generic.read(paths, options)
    if getattr(options, "on_error", "fail") == "skip":
        return _read_lenient(paths, options)
    def collect(again=None):
        layout, frame, counts, files, _bad, _describe, flags = _plan(paths, options, again=again)
        if layout == QUARTERLY and str(options.month).strip().lower() == "annual":
            _, raw, _ = _raw_frame(files, again=again)
            _check_full_years(files, raw)
        return (layout, files, *pl.collect_all([frame, counts, flags], engine="streaming"))

    again: dict = {}
    _failed = (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError, OSError)
    try:
        layout, paths, kept, counted, flags = collect()
    except _failed as exc:
        # files joined with cat: the header again where the next one starts (checked only
        # now, the read of a file without one costs nothing more); a different header there
        # is said with its line
        files = _workbooks_as_csv(expand_paths(list(paths)), getattr(options, "sheet", None), options)
        again = _headers_again(files)
        try:
            if not again:
                raise
            layout, paths, kept, counted, flags = collect(again)
        except _failed as exc2:
            # a broken row (ragged, open quote) or truncated gzip first, then a bad number
            problem = (_encoding_problem(files, exc2) or _structure_problem(files)
                       or _conversion_problem(files, exc2))
            raise DataError(problems=[problem]) from exc
    if flags.get_column("_long").any():
        # a row with more fields than the header: said as the reader's refusal of it was
        # (before any other check), the first such row with its line
        raise DataError(problems=[_structure_problem(paths) or Problem(
            "a row has more fields than the header", path=paths[0] if len(paths) == 1
            else f"{len(paths)} files", hint="a comma inside an unquoted value?")])
    _refuse_sic_rows(paths, flags)
    if flags.get_column("_short").any() or flags.get_column("_implausible").any():
        _raise_located(paths, options, short=bool(flags.get_column("_short").any()))

    def pairs():
        _, raw, _ = _raw_frame(paths, again=again)
        return raw.select("year", "qtr").unique().collect(engine="streaming").iter_rows()

    _check_periods(paths, flags, layout, pairs)
    _check_ownership_and_size(paths, counted, flags)
    _check_codes(paths, flags)
    _check_no_nul(paths, kept)
    rows_read, dropped = _count_headers_again(again, *counts_to_dict(counted))
    notes = [f"QCEW {layout} layout, {len(paths)} file(s)"] + _measure_notes(paths)
    return AdapterResult(frame=kept.lazy(), adapter=NAME, rows_read=rows_read,
                         dropped=dropped, notes=notes)


def _raise_located(paths: list[str], options, short: bool = False) -> None:
    """Raise DataError naming every bad row the lenient reader finds (a row cut short, a
    value that is infinite or implausibly large): the strict pass only counted them.

    ``short``: the strict pass saw a row cut short.  A file cut inside a quoted cell (a
    download that stopped in a title) is said as that, its end named, as the strict read said
    it when it read every column (the reader refused the row); the lenient reader says only
    'unbalanced quote'."""
    from clusterid.io.ingest import problem_order

    if short:
        problem = _structure_problem(paths)
        if problem is not None and problem.message == _CUT_IN_QUOTES:
            raise DataError(problems=[problem])
    problems = _read_lenient(paths, options).problems
    if problems:  # files in the order given, as ingest lists problems
        raise DataError(problems=sorted(problems, key=problem_order(paths)))


def _read_lenient(paths: list[str], options):
    """:func:`read` for ``--on-error skip``: every bad cell (not a number, bad year, quarter or
    aggregation code) and every ragged row is handed to ingest as a located problem, and its
    row set aside there, instead of failing the file.  A file whose structure cannot be
    trusted line by line (an unbalanced quote, a truncated gzip) still fails as a whole."""
    import polars as pl

    from clusterid.io.ingest import AdapterResult, display_name
    from clusterid.io.readers import rowcheck

    paths = _workbooks_as_csv(expand_paths(list(paths)), getattr(options, "sheet", None), options)
    problems: list[Problem] = []
    skip: dict[str, list[int]] = {}
    quoted: dict[str, list[int]] = {}
    again = _headers_again(paths)  # files joined with cat; a different header there is an error
    try:
        for path in paths:
            odd: list[int] = []
            header = read_header(path)
            layout_of(header, path)  # not a QCEW file: said before anything else
            ragged = rowcheck.ragged_lines(path, len(header), display_name(path),
                                           hint="a comma inside an unquoted value, or a cut line?",
                                           quotes=odd)
            if odd:
                quoted[path] = odd
            if odd and _structure_problem([path]) is not None:
                # rows after an open quote cannot be told apart: the file fails as a whole
                raise DataError(problems=[Problem(
                    "unbalanced quote", path=display_name(path), line=odd[0],
                    expected="quotes in pairs", found='"', hint="rows after it cannot be told apart")])
            problems += ragged
            skip[path] = [p.line for p in ragged]
        layout, frame, counts, paths, bad, describe, _ = _plan(paths, options, lenient=True,
                                                               skip_lines=skip, again=again)
        if layout == QUARTERLY and str(options.month).strip().lower() == "annual":
            _, raw, _ = _raw_frame(paths, lenient=True, skip_lines=skip, again=again)
            _check_full_years(paths, raw)
        kept, counted, found = pl.collect_all([frame, counts, bad], engine="streaming")
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError, OSError) as exc:
        problem = (_encoding_problem(paths, exc) or _structure_problem(paths)
                   or Problem(f"cannot read: {str(exc).splitlines()[0][:80]}", path=display_name(paths[0])))
        raise DataError(problems=[problem]) from exc
    _refuse_sic_rows(paths, counted)
    for path, odd in quoted.items():
        # a quote inside an unquoted value: Python's csv module and polars may split the
        # records differently (a title spanning lines is fine: both agree)
        mine = counted.filter(pl.col("_source") == display_name(path))
        read_rows = (int(mine.get_column("rows").sum()) + len(skip.get(path, ()))
                     + len(again.get(path, ())))
        if rowcheck.csv_records(path) != read_rows:
            raise DataError(problems=[rowcheck.stray_quote(path, display_name(path), odd[0])])
        if rowcheck.data_lines(path) != read_rows:
            # quoted values span lines: rows cannot be located by line number here, so the
            # files are read strictly (a bad cell then fails the run, naming its line)
            import dataclasses

            return _read(paths, dataclasses.replace(options, on_error="fail"))
    _check_no_nul(paths, kept)
    problems += rowcheck.cell_problems(found, display_name(paths[0]), describe)
    rows_read, dropped = _count_headers_again(again, *counts_to_dict(counted))
    rows_read += sum(len(v) for v in skip.values())  # ragged: rejected by ingest, not counted above
    notes = [f"QCEW {layout} layout, {len(paths)} file(s)"] + _measure_notes(paths)
    return AdapterResult(frame=kept.lazy(), adapter=NAME, rows_read=rows_read,
                         dropped=dropped, notes=notes, problems=problems)


def _encoding_problem(paths: list[str], exc: Exception) -> Problem | None:
    """polars' "invalid utf-8 sequence", located by file and line (errors only)."""
    if "utf-8" not in str(exc).lower():
        return None
    from clusterid.io.ingest import display_name
    from clusterid.io.readers import rowcheck

    for path in paths:
        problem = rowcheck.encoding_problem(path, display_name(path))
        if problem is not None:
            return problem
    return None


def _structure_problem(paths: list[str]) -> Problem | None:
    """The first row whose shape is wrong (field count, open quote) or a truncated gzip
    (slow path, errors only)."""
    for path in paths:
        start = 1
        try:
            # a bare CR inside a line (mixed line ends): Python's csv module ends the row there,
            # the CSV scanner reads the two rows as one with too many fields
            with open_maybe_gzip(path) as fh:
                for n, raw in enumerate(fh, start=1):
                    if b"\r" in raw.rstrip(b"\r\n"):
                        return Problem(
                            "a bare carriage return (CR) inside the line", path=path, line=n,
                            expected="LF or CRLF line endings", found=raw.decode(
                                "utf-8", "replace").rstrip("\r\n")[:60],
                            hint="the file mixes line endings; convert them, e.g. tr '\\r' '\\n'")
            with open_maybe_gzip(path, "rt", newline="", encoding="utf-8", errors="replace") as fh:
                reader = csv.reader(fh, strict=True)
                # the header: the first row that holds anything (blank lines before it skipped),
                # or QCEW's field names below title lines
                at = _header_line(path)[0]
                width = len(next((r for r in reader if reader.line_num >= at
                                  and (len(r) > 1 or "".join(r).strip(" \t"))), []))
                start = reader.line_num + 1
                for row in reader:
                    if row and len(row) != width:
                        return Problem(
                            f"row has {len(row)} fields, the header has {width}", path=path,
                            line=start, expected=f"{width} fields", found=",".join(row)[:60],
                            hint="a comma inside an unquoted value, or a cut line?")
                    start = reader.line_num + 1
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                # a download cut inside a quoted title ("...","Federal Government","N): said
                # as an unbalanced quote only, the file's end unnamed
                return Problem(_CUT_IN_QUOTES, path=path, line=start,
                               expected="a closing quote and the rest of the row",
                               found=f"end of file in line {start}",
                               hint="the file is cut short (download or copy it again), or a "
                                    "quote on this line is not closed")
            if FIELD_LIMIT_ERROR in str(exc):  # a huge cell, or a quote never closed?
                with open_maybe_gzip(path, "rt", newline="", encoding="utf-8",
                                     errors="replace") as fh:
                    for _ in range(start - 1):
                        next(fh, None)
                    what, hint = oversized_field(fh)
                return Problem(f"unreadable CSV row: {what}", path=path, line=start, hint=hint)
            return Problem(f"unreadable CSV row: {exc}", path=path, line=start,
                           hint="an unbalanced quote?")
        except (OSError, EOFError, zlib.error) as exc:
            return Problem("gzip-compressed data is truncated or corrupt", path=path,
                           found=str(exc), hint="download the file again")
    return None


_CUT_IN_QUOTES = "the file ends inside a quoted cell"


def _conversion_problem(paths: list[str], exc: Exception) -> Problem:
    """A located-as-well-as-we-can problem for a cell that is not a number."""
    text = str(exc)
    m = re.search(r"column '?([A-Za-z0-9_]+)'?", text)
    column = m.group(1) if m else None
    v = (re.search(r"could not parse `\"?([^`\"]*)\"?`", text)  # the CSV reader (quoted cell)
         or re.search(r"\[\s*\"?([^\]\"]*)\"?", text))  # a cast
    if column and column.startswith("_"):
        key = column[1:]
        spellings = QUARTERLY_MEASURES.get(key) or ANNUAL_MEASURES.get(key) or (key,)
        column = spellings[0]
    where = paths[0] if len(paths) == 1 else f"one of {len(paths)} files"
    line = _line_of_value(paths, column, v.group(1) if v else None) if column else None
    hint = "fix the cell or remove the row"
    if v and column and _clean(v.group(1)) == column:
        # the cell is its own column's name: the header again, as `cat` of two files leaves it
        hint = ("the line repeats the header (files joined with cat?): give the files themselves "
                "(or a quoted glob, 'by_area/*.csv'), or remove the line")
    return Problem("not a number", path=line[0] if line else where,
                   line=line[1] if line else None,
                   column=column,
                   expected="a count or an amount", found=v.group(1) if v else text[:60],
                   hint=hint)


def _line_of_value(paths, column, value):
    """(path, line) of the first row whose measure cell equals ``value`` (slow path, errors only)."""
    if value is None:
        return None
    for path, (at,), i, row in _located_rows(paths, column):
        if (row[at] == value) if at is not None and at < len(row) else value in row:
            return path, i
    return None
