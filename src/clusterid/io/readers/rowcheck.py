"""Row-level checks shared by the agency adapters (QCEW, CBP, Eurostat).

The adapters read with polars' CSV scanner, which is fast but forgiving in two ways that would
lose data silently: a row with too few fields is padded with nulls (a cut line becomes a
"suppressed" row), and a cell that does not parse either stops the whole read or, cast
leniently, becomes null.  These helpers find such rows and turn each into a located
:class:`~clusterid.errors.Problem`.  The adapter hands the problems back in
``AdapterResult.problems`` with ``_source``/``_line`` on its frame; :func:`clusterid.io.ingest.ingest`
then fails with all of them (``--on-error fail``) or sets the rows aside into the rejects file
(``--on-error skip``), the one mechanism every reader shares.

Lines are physical lines (header = 1), assuming one record per line, which holds for the
agency files; where quotes make records and lines differ, the adapters check it
(:func:`csv_records`, :func:`data_lines`) and fail or fall back to the strict read.
"""

from __future__ import annotations

import io
import os
import re

from clusterid import schema
from clusterid.errors import Problem
from clusterid.io.readers.text import open_maybe_gzip

LINE = "_line"
SOURCE = "_source"
_RAW = "_raw"
# A byte that does not occur in text files: with it as separator and quoting off, polars reads
# each physical line as one field.
_NO_SEP = "\x1f"


def scan_lines(path: str, lossy: bool = False):
    """A LazyFrame of the file's physical lines: ``_line`` (1 = header) and ``_raw`` text.

    ``lossy``: bytes that are not UTF-8 read as U+FFFD, for a pass that looks only for
    ASCII words (the read after it says where the file is not UTF-8)."""
    import polars as pl

    return pl.scan_csv(path, glob=False, has_header=False, separator=_NO_SEP, quote_char=None,
                       infer_schema=False, new_columns=[_RAW], row_index_name=LINE,
                       row_index_offset=1, truncate_ragged_lines=True, raise_if_empty=False,
                       encoding="utf8-lossy" if lossy else "utf8")


def not_blank(first: str, rest):
    """Expression: the row holds something.  A blank line -- or one of spaces an editor left,
    whose only cell is the first -- is read as a row of nulls: not data, not counted (a row
    with only some cells missing is kept, and reported as what it is)."""
    import polars as pl

    rest = list(rest)
    holds = pl.any_horizontal((pl.col(first).str.strip_chars() != "").fill_null(False),
                              *[pl.col(c).is_not_null() for c in rest])
    # a row whose second cell is there holds something: settled without the strip of the first
    # cell, which polars then runs on the other rows alone (~0.1 s of CPU per 5 M rows)
    if not rest:
        return holds
    return pl.when(pl.col(rest[0]).is_not_null()).then(pl.lit(True)).otherwise(holds)


def field_count(sep: str = ","):
    """Expression: the number of fields of ``_raw`` (quoted parts may hold the separator)."""
    import polars as pl

    return (pl.col(_RAW).str.replace_all(r'"[^"]*"', "").str.count_matches(
        "\t" if sep == "\t" else re.escape(sep)) + 1)


def ragged_lines(path: str, width: int, display: str | None = None, sep: str = ",",
                 hint: str = "a separator inside an unquoted value, or a cut line?",
                 quotes: list | None = None) -> list[Problem]:
    """One problem per data line whose field count is not ``width`` (blank lines pass).

    ``quotes``: a list that receives the lines with an odd number of double quotes (an
    unbalanced quote, or a quoted field going on over the next line), from the same pass.
    """
    import polars as pl

    from clusterid.errors import DataError

    raw = pl.col(_RAW)
    try:
        lines = (scan_lines(path).filter(pl.col(LINE) > 1)
                 .filter(raw.is_not_null() & (raw.str.strip_chars() != ""))
                 .with_columns(field_count(sep).alias("_n"), (raw.str.count_matches('"') % 2 == 1).alias("_odd"))
                 .filter((pl.col("_n") != width) | pl.col("_odd")).select(LINE, "_n", "_odd", _RAW)
                 .collect(engine="streaming").sort(LINE))
    except (pl.exceptions.ComputeError, OSError) as exc:  # not UTF-8, a damaged gzip
        raise DataError(problems=[encoding_problem(path, display) or Problem(
            "unreadable text", path=display or path, found=str(exc).splitlines()[0][:60])]) from exc
    if quotes is not None:
        quotes.extend(int(x) for x in lines.filter(pl.col("_odd")).get_column(LINE).to_list())
    name = display or path
    return [Problem(f"row has {n} fields, the header has {width}", path=name, line=int(line),
                    expected=f"{width} fields", found=(text or "")[:60], hint=hint)
            for line, n, _odd, text in lines.filter(pl.col("_n") != width).iter_rows()]


def is_bad_number(col: str, num: str | None = None):
    """Expression: the text cell is filled but not a plausible number (``5x``, ``inf``,
    ``NaN``, ``1e300``).

    ``num``: a column already holding the cell cast to Float64 (strict=False), to cast once.
    """
    import polars as pl

    value = pl.col(num) if num else parse_number(col)
    return (pl.col(col).is_not_null()
            & (value.is_null() | implausible(value))).fill_null(False)


PLAUSIBLE_MAX = schema.PLAUSIBLE_MAX
NUMBER_EXPECTED = "a count or an amount (a finite number below 1e15)"
implausible = schema.implausible


def parse_number(col: str):
    """Expression: the text cell (spaces around allowed) cast to Float64, null if it is not one."""
    import polars as pl

    return pl.col(col).str.strip_chars().cast(pl.Float64, strict=False)


def lenient_number(col: str, num: str | None = None):
    """Expression: the text cell as Float64; blank, or not a finite number -> null.

    Only for columns whose bad cells are reported by :func:`bad_cells`: a null here is then
    either a blank cell (missing) or a row that is set aside, never a silent loss.
    """
    import polars as pl

    value = pl.col(num) if num else parse_number(col)
    return pl.when(implausible(value)).then(None).otherwise(value)


def bad_cells(lf, checks: dict):
    """A LazyFrame of the rows with at least one bad cell: ``_line``, ``_source`` and, per
    check, ``_b:<name>`` (is that cell bad) and ``_f:<name>`` (the cell as found).

    ``checks``: column -> boolean expression that is true where that column's cell is bad
    (e.g. :func:`is_bad_number`), or -> ``(bad, found)`` when the cell to show is another
    expression (a renamed column).  One filter for all checks, so the file is read once when
    this is collected together with the main frame (``polars.collect_all``).
    """
    import polars as pl

    if not checks:
        return None
    has_source = SOURCE in lf.collect_schema().names()
    bads, founds = [], []
    for col, check in checks.items():
        bad, found = check if isinstance(check, tuple) else (check, None)
        if found is None:
            # a check named with a leading underscore is about the row (no cell to show)
            found = pl.lit(None, pl.String) if col.startswith("_") else pl.col(col)
        bads.append(bad.alias("_b:" + col))
        founds.append(found.cast(pl.String).alias("_f:" + col))
    flagged = lf.with_columns(bads)
    return flagged.filter(pl.any_horizontal(pl.col("_b:" + c) for c in checks)).select(
        pl.col(LINE).cast(pl.Int64),
        (pl.col(SOURCE) if has_source else pl.lit(None, pl.String)).alias(SOURCE),
        *[pl.col("_b:" + c) for c in checks], *founds)


def flagged(found_df, name: str) -> bool:
    """Did any row fail check ``name`` in a collected :func:`bad_cells` frame?"""
    col = "_b:" + name
    return col in found_df.columns and bool(found_df.get_column(col).any())


def cell_problems(found_df, path: str, describe: dict) -> list[Problem]:
    """Problems from a collected :func:`bad_cells` frame, sorted by file, line and column.

    ``describe``: check name -> (message, expected); names starting with ``_`` are row
    checks handled by the caller and skipped here.  ``path``: the file when the frame had no
    ``_source`` column.
    """
    problems = []
    names = [n for n in describe if not n.startswith("_") and "_b:" + n in found_df.columns]
    for row in found_df.iter_rows(named=True):
        for name in names:
            if row["_b:" + name]:
                message, expected = describe[name]
                found = row["_f:" + name]
                if message == "not a number" and _parses(found):
                    message = "not a plausible number (infinite, NaN or beyond 1e15)"
                problems.append(Problem(message, path=row[SOURCE] or path, line=int(row[LINE]),
                                        column=name, expected=expected,
                                        found="" if found is None else str(found)))
    problems.sort(key=lambda p: (p.path or "", p.line or 0, p.column or ""))
    return problems


def _parses(text) -> bool:
    # ASCII only: Python reads '١٢٣' (Arabic-Indic digits), '１２' and '1_000' as numbers, the
    # readers do not: such a cell was said to be "infinite, NaN or beyond 1e15"
    text = str(text).strip()
    if not text.isascii() or "_" in text:
        return False
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def encoding_problem(path: str, display: str | None = None) -> Problem | None:
    """The first line that is not UTF-8 (plain or gzip file), as a problem; None if all are.

    For the polars readers' "invalid utf-8 sequence", which names neither line nor bytes.
    """
    import zlib

    try:
        with open_maybe_gzip(path) as fh:
            for number, raw in enumerate(fh, start=1):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    bad = raw[max(exc.start - 10, 0): exc.end + 10]
                    return Problem("not UTF-8 text", path=display or path, line=number,
                                   expected="UTF-8 (or ASCII) text, as the agency publishes it",
                                   found=bad.decode("utf-8", "backslashreplace"),
                                   hint="re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)")
    except (OSError, EOFError, zlib.error):
        return None  # a damaged gzip: said elsewhere
    return None


def check_header(lf, header: list[str], display: str, line: int = 1) -> None:
    """Raise DataError unless the CSV scanner sees the same columns as ``header`` (read with
    Python's csv module): an unbalanced quote in the header row makes the two disagree, and
    the scanner would then fail later with an internal "column not found"."""
    from clusterid.errors import DataError

    names = [n for n in lf.collect_schema().names() if n != LINE]
    if dups := duplicate_headings(header, display, line):  # the scanner named the second 'x_duplicated_0'
        raise DataError(problems=dups)
    # blank headings (the empty columns a spreadsheet leaves after the last: 'pay,,') are
    # named by the scanner, the second and later '_duplicated_0' ...: no sign of a broken
    # header, which refused a QCEW or CBP file ending in two empty columns as 'an unbalanced quote?'
    if len(names) == len(header):
        names = [h if not h.strip() else n for n, h in zip(names, header)]
    if names != list(header):
        extra = [n for n in names if n not in header] or [n for n in header if n not in names]
        raise DataError(problems=[Problem(
            "header row cannot be read", path=display, line=line,
            expected="one heading per column, quotes in pairs",
            found=(extra[0] if extra else ",".join(names))[:60], hint="an unbalanced quote?")])


def last_named(header: list[str]) -> str:
    """The last heading that is not blank (a file whose rows end in empty columns, 'pay,,',
    has blank headings after it: a row cut short is short of the last named one)."""
    return next((h for h in reversed(header) if h.strip()), header[-1])


def duplicate_headings(header: list[str], display: str, line: int = 1) -> list[Problem]:
    """One problem per heading the header row gives twice (blank headings aside)."""
    twice = [h for i, h in enumerate(header) if h and h in header[:i]]
    return [Problem("duplicate column heading", path=display, line=line, column=h,
                    expected="each heading once", found=h, hint="rename one of the columns")
            for h in dict.fromkeys(twice)]


def physical_lines(path: str) -> int:
    """Lines in the file (plain or gzip), the last one counted without its line break."""
    n, last = 0, b"\n"
    with open_maybe_gzip(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (last != b"\n")


def csv_records(path: str) -> int:
    """Data records with at least one filled cell, as Python's csv module reads the file
    (slow path: only to settle a disagreement with the polars reader about quotes)."""
    import csv
    import io

    with open_maybe_gzip(path) as fh:
        text = fh.read().decode("utf-8", "replace")
    # records end in LF or CRLF; a CR alone is a character of its field (as polars reads it)
    reader = csv.reader(io.StringIO(re.sub(r"\r(?!\n)", " ", text), newline=""))
    # the header, after any blank lines before it (as text.header_line finds it)
    next((row for row in reader if len(row) > 1 or "".join(row).strip(" \t")), None)
    return sum(1 for row in reader if any(c.strip() for c in row))


def stray_quote(path: str, display: str, line: int) -> Problem:
    """The problem for a file whose records the two CSV readers count differently."""
    return Problem("a quote inside an unquoted value: the rows after it cannot be told apart",
                   path=display, line=line, expected="quotes around whole values, in pairs",
                   found='"', hint="quote the whole value, or remove the quote")


def data_lines(path: str) -> int:
    """Physical lines after the header with any non-blank character (plain or gzip)."""
    with open_maybe_gzip(path) as fh:
        # the header, after any blank lines before it (as text.header_line finds it)
        next((line for line in fh if line.lstrip(b"\xef\xbb\xbf").strip(b" \t\r\n")), None)
        return sum(1 for line in fh if line.strip())


REASON_REPEATED_HEADER = "rows repeating the header (files joined with cat)"


def _heading(cell: str) -> str:
    """A heading as the agency readers compare them: no spaces, quotes or BOM, lower case."""
    return cell.strip().lstrip("\ufeff").strip().strip('"').strip().lower()


def heading_cell(col: str):
    """Expression: the text cell of ``col`` cleaned as :func:`_heading` cleans a heading."""
    import polars as pl

    return (pl.col(col).str.strip_chars().str.strip_chars_start("\ufeff").str.strip_chars()
            .str.strip_chars('"').str.strip_chars().str.to_lowercase())


def _total_heading(heading: str) -> bool:
    """Whether a heading is a total's name ("Total Nacional"): a column headed by its one value."""
    from clusterid.core import codes

    return codes.is_total(_heading(heading))


def other_header(cells: list[str], header: list[str], header_at: int, display: str,
                 line: int, is_header: bool = False) -> Problem | None:
    """The problem for a row ``cells`` that is a header but not ``header`` (two layouts joined
    with ``cat``): its first cell one of the header's headings and it is the first heading
    again, or most of its cells are headings of it; None for any other row (the header again
    cell for cell is a file boundary, not a problem).  Headings compare as :func:`_heading`
    cleans them (a BOM at a gzip member's start, quotes, case).  The row right under the
    header is never one: a second heading row there (titles under codes: 'Area,Food
    manufacturing,...' under 'area,311,...') is the table's own, which its reader reads as
    such, and no file joined with cat ends before its first row.  ``is_header``: the caller
    knows the row is a header (Eurostat's ``geo\\time`` cell), so only how it differs is
    looked for."""
    names = [_heading(h) for h in header]
    got = [_heading(c or "") for c in cells]
    known = set(names) - {""}
    if got == names or not got or not names:  # an empty header line: no layout to name
        return None
    if not is_header and got[0] == names[0] and len(got) == len(names) and _total_heading(header[0]):
        # INE's (INEbase) CSV: the first column headed by its one value, "Total Nacional" over
        # "Total Nacional" on every row (the national dimension, the comunidades beside it);
        # its first row below the header was refused as a header of another layout
        return None
    if not is_header and (got[0] not in known or line == header_at + 1 or (
            got[:1] != names[:1] and sum(c in known for c in got) * 2 <= len([c for c in got if c]))):
        return None
    # where the two first differ: shown whole, they look alike for 60 characters
    i = next(i for i in range(max(len(got), len(names))) if got[i:i + 1] != names[i:i + 1])
    return Problem(
        f"a header line different from the file's header on line {header_at}"
        + (f" ({len(got)} columns, not {len(names)})" if len(got) != len(names) else ""),
        path=display, line=line, column=header[i].strip() if i < len(header) else None,
        expected=repr(header[i].strip()) if i < len(header) else f"{len(names)} columns",
        found=(cells[i] or "").strip() if i < len(cells) else "no column",
        hint="files of two layouts joined with cat: give the files themselves "
             "(or a quoted glob), each is read by its own header")


def headers_again(path: str, header: list[str], display: str, header_at: int = 1,
                  sep: str = ",") -> list[int]:
    """The lines below the header that repeat it (files joined with ``cat``, plain or gzip
    members one after the other: each such line is where the next file starts, not data).

    A line that is a header but not this one (:func:`other_header`) is an error naming that
    line: the rows below it mean other things in the same columns.  A pass over the file's
    lines, parsing only those that start with a heading: for the slow path (a read that
    failed, ``--on-error skip``, a count of such lines), never on every read."""
    import csv

    import polars as pl

    from clusterid.errors import DataError

    names = [_heading(h) for h in header]
    known = sorted(set(names) - {""}, key=len, reverse=True)
    if not known:
        return []
    # the lines whose first field is a heading, found by the CSV scanner (one pattern over the
    # lines, as fast as a read), then each parsed here: a few lines, if any
    first = (r"^\x{feff}?[ \t]*\"?[ \t]*(?:" + "|".join(re.escape(h) for h in known)
             + r")[ \t]*\"?[ \t]*(?:" + re.escape(sep) + r"|\r?$)")
    candidates = (scan_lines(path, lossy=True).filter(pl.col(LINE) > header_at)
                  .filter(pl.col(_RAW).str.to_lowercase().str.contains(first).fill_null(False))
                  .collect())
    same: list[int] = []
    for n, line in candidates.iter_rows():
        line = line.rstrip("\r\n")
        cells = next(csv.reader([line], delimiter=sep), [])
        if [_heading(c) for c in cells] == names:
            same.append(int(n))
        elif (problem := other_header(cells, header, header_at, display, int(n))) is not None:
            raise DataError(problems=[problem])
    return same


# A line pasted below a table that is a note on it, not data: its source ("Source: U.S. Bureau
# of Labor Statistics, ...", "Quelle: Statistisches Bundesamt", "Источник: Росстат"), a note or
# footnote ("Note: ...", "Anmerkung: ...", "* preliminary", "1) ..."), a copyright or download
# stamp ("Stand: 31.12.2023").  Read as a row, such a line was 'row has 2 fields, the header
# has 15' and the whole file refused.
REASON_NOTES_BELOW = "note lines below the table (a source or note pasted under it)"
_NOTE_START = re.compile(
    r"^(?:(?:data\s+)?sources?|notes?|footnotes?|remarks?|quelle|fuente|copyright|prepared\s+by|"
    r"compiled\s+by|produced\s+by|downloaded|retrieved|extracted|last\s+updated|"
    # the words of national offices' notes: German, French, Spanish/Italian, Russian
    r"anmerkung(?:en)?|hinweise?|fu(?:ß|ss)noten?|erläuterung(?:en)?|zeichenerklärung|stand|"
    r"remarques?|notas?|источник(?:и)?|примечани[ея])(?=[\s:.,;()\-–]|$)"
    r"|^(?:©|\(c\)\s|\*|[¹²³⁴⁵⁶⁷⁸⁹]|\(?\d{1,2}\)\s)", re.IGNORECASE)


def starts_as_note(text: str) -> bool:
    """Whether a row's first cell starts as a note below a table does (:data:`_NOTE_START`:
    'Source:', 'Quelle:', 'Note:', '©' ...) and is words, not a code or figure."""
    text = str(text or "").strip().lstrip('"').strip()
    return bool(_NOTE_START.match(text)) and bool(re.search(r"[^\W\d_]{2,}", text))


_TAIL_BYTES = 1 << 20  # notes below a table are a few lines: the last MB holds them


def _tail(path: str) -> tuple[bytes, int, int]:
    """``(the last bytes of the text, their offset in it, line breaks before them)`` of a
    plain or gzip file (a gzip is read through: slow path only)."""
    import os

    with open_maybe_gzip(path) as fh:
        if not isinstance(fh, io.BufferedReader):  # gzip: through to the end, the last MB kept
            before, breaks, keep = 0, 0, b""
            for block in iter(lambda: fh.read(_TAIL_BYTES), b""):
                keep += block
                if len(keep) > 2 * _TAIL_BYTES:
                    cut = len(keep) - _TAIL_BYTES
                    breaks += keep.count(b"\n", 0, cut)
                    before += cut
                    keep = keep[cut:]
            return keep, before, breaks
        start = max(os.fstat(fh.fileno()).st_size - _TAIL_BYTES, 0)
        breaks, left = 0, start  # the lines before the tail, for the notes' line numbers
        while left > 0 and (block := fh.read(min(left, 1 << 20))):
            breaks += block.count(b"\n")
            left -= len(block)
        return fh.read(), start, breaks


def notes_below(path: str, width: int, sep: str = ",") -> tuple[int, list[tuple[int, str]]] | None:
    """``(byte offset, [(line, text)])`` of the notes pasted below the table of the CSV
    ``path`` (plain or gzip, UTF-8 or a one-byte code page), None when it has none (slow path:
    a read that failed).  The notes are found by :func:`note_lines`."""
    tail, offset, breaks = _tail(path)
    lines = tail.split(b"\n")
    if offset:  # the first line is cut at the tail's start: not looked at
        offset += len(lines[0]) + 1
        breaks += 1
        lines = lines[1:]
    found = note_lines([raw.decode("utf-8", "replace") for raw in lines], width, sep)
    if found is None:
        return None
    first, notes = found
    start = offset + sum(len(raw) + 1 for raw in lines[:first])
    return start, [(breaks + i + 1, text) for i, text in notes]


def note_lines(texts: list[str], width: int, sep: str = ",") -> tuple[int, list[tuple[int, str]]] | None:
    """``(index of the first note, [(index, text)])`` of the notes pasted below a table whose
    last lines are ``texts`` (its lines without their line ends, in order), None when it has
    none.  The one rule every reader's retry without the notes goes by.

    The notes are the last lines (blank lines among and after them aside), from the first that
    starts as a note does (:data:`_NOTE_START`: 'Source:', 'Note:', 'Quelle:', '©' ...) on; each
    of them is no row of the table -- not ``width`` fields, or only its first filled (as a
    spreadsheet saves a note in the first column) -- and words, not codes and figures.  A row
    cut short, or one with a field too many, below the last such line or among rows of
    figures, is no note: the reader refuses it on its line."""
    import csv

    texts = [t.lstrip("\ufeff").rstrip("\r") for t in texts]
    block: list[int] = []  # indices of the trailing lines that may be notes, last first
    shown: dict[int, str] = {}
    for i in range(len(texts) - 1, -1, -1):
        try:
            cells = next(csv.reader([texts[i]], delimiter=sep), [])
        except csv.Error:
            break
        filled = [c.strip() for c in cells if c.strip()]
        if not filled:
            continue  # a blank line (or one of separators): neither note nor row
        while len(cells) > width and not cells[-1].strip():
            cells = cells[:-1]  # a separator after the last field, as every row of some files has
        if (len(cells) == width and len(filled) > 1) or not re.search(r"[^\W\d_]{2,}", filled[0]):
            break
        block.append(i)
        shown[i] = ", ".join(filled)
    first = next((i for i in reversed(block) if _NOTE_START.match(texts[i].strip().lstrip('"').strip())), None)
    if first is None:
        return None
    return first, [(i, shown[i]) for i in sorted(block) if i >= first]


_notes_cut: dict[tuple, tuple[str, list[tuple[int, str]]]] = {}


def without_notes_below(path: str, width: int, sep: str = ",") -> tuple[str, list] | None:
    """``(a temporary copy of the CSV path without the notes below its table, the notes)``
    (:func:`notes_below`), made once per process, its messages naming the file given; None
    when the file has no such notes.  The copy is the text up to the notes, so every line
    keeps its number."""
    import atexit
    import shutil

    from clusterid.io import ingest
    from clusterid.io.atomic import temp_folder

    st = os.stat(path)
    key = (str(path), width, sep, st.st_size, st.st_mtime_ns)
    if key not in _notes_cut:
        found = notes_below(path, width, sep)
        if found is None:
            return None
        end, notes = found
        folder = temp_folder("notes")
        atexit.register(shutil.rmtree, folder, True)
        name = re.sub(r"\.gz$", "", str(path).replace("\\", "/").rsplit("/", 1)[-1], flags=re.I)
        dest = f"{folder}/{name}"
        with open_maybe_gzip(path) as fh, open(dest, "wb") as out:
            left = end
            while left > 0 and (block := fh.read(min(left, 1 << 20))):
                out.write(block)
                left -= len(block)
        ingest._display[dest] = ingest.display_name(path)
        _notes_cut[key] = (dest, notes)
        _cut_of[key[:1] + key[3:]] = dest
        _notes_of[dest] = notes
    return _notes_cut[key]


def read_without_notes(read_one, path: str, width_of, sep: str = ",", failed=None):
    """``(path read, read_one's result, the notes below the table)``: ``read_one(path)``; when
    it raises :class:`~clusterid.errors.DataError`, or ``failed(result)`` says it found bad
    rows, and the file ends in notes pasted below its table (:func:`notes_below`), the copy
    without them (:func:`without_notes_below`) is read instead and the notes returned.  A file
    without them reads as it did: nothing is looked for unless the read fails, so a clean file
    costs nothing extra.  A row cut short above the notes is still refused by the read of the
    copy, on its line.

    ``width_of``: the path -> the number of fields of the table's header (asked only then).
    """
    import zlib

    from clusterid.errors import DataError

    def cut():
        try:
            return without_notes_below(path, width_of(path), sep)
        except (OSError, EOFError, zlib.error, DataError):
            return None  # a damaged file: the read said what is wrong

    try:
        result = read_one(path)
    except DataError:
        if (found := cut()) is None:
            raise
    else:
        if not (failed(result) if failed else False) or (found := cut()) is None:
            return path, result, []
    return found[0], read_one(found[0]), found[1]


def count_notes_below(notes: list[tuple[int, str]], dropped: dict, shown: str | None = None) -> str:
    """Count the ``notes`` below a table under dropped (:data:`REASON_NOTES_BELOW`, in
    ``dropped``, in place) and return their metadata note (:func:`notes_below_note`)."""
    dropped[REASON_NOTES_BELOW] = dropped.get(REASON_NOTES_BELOW, 0) + len(notes)
    return notes_below_note(notes, shown)


_cut_of: dict[tuple, str] = {}  # (path, size, mtime) -> its copy without the notes below
_notes_of: dict[str, list[tuple[int, str]]] = {}  # that copy -> the notes it leaves out


def notes_of(path: str) -> list[tuple[int, str]] | None:
    """The notes below the table that ``path`` leaves out, when it is a copy
    :func:`without_notes_below` made; else None."""
    return _notes_of.get(path)


def cut_of(path: str) -> str:
    """The copy of ``path`` without the notes below its table when :func:`without_notes_below`
    made one in this process (for this version of the file), else ``path`` itself."""
    if not _cut_of:
        return path
    try:
        st = os.stat(path)
    except OSError:
        return path
    return _cut_of.get((str(path), st.st_size, st.st_mtime_ns), path)


def notes_below_note(notes: list[tuple[int, str]], shown: str | None = None) -> str:
    """The metadata note for the notes below a table: how many, where, the first of them
    (after the file's name ``shown``, if given)."""
    line, text = notes[0]
    where = f"line {line}" if len(notes) == 1 else f"lines {line}-{notes[-1][0]}"
    return ((f"{shown}: " if shown else "") + f"{len(notes)} note line{'s' if len(notes) > 1 else ''} "
            f"below the table, not data ({where}: {text[:70]!r})")
