"""Ingest: raw agency files -> one canonical table.  The adapters' common contract lives here.

Each adapter module under :mod:`clusterid.io.readers` provides

    sniff(header: list[str], first_bytes: bytes) -> bool     # does this file look like mine?
    read(paths: list[str], options: IngestOptions) -> AdapterResult

and :func:`ingest` picks the adapter (``--format auto`` asks each ``sniff`` in turn), brings
the result to canonical shape, validates it and returns the frame with its provenance.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from clusterid import schema
from clusterid.errors import ClusteridError, DataError, InputFileError, Problem, UsageError
# (inode, size, modification time) of a regular file: an input's identity, as commands watch it
from clusterid.io.atomic import _identity, refuse_changed

FORMATS = ("auto", "generic", "qcew", "cbp", "eurostat", "bea", "lodes", "nes")


@dataclass
class IngestOptions:
    """Every option of ``clusterid ingest``; adapters ignore the ones that are not theirs."""

    format: str = "auto"
    # text
    encoding: str | None = None
    sep: str | None = None
    decimal: str | None = None
    thousands: str | None = None
    # spreadsheets
    sheet: str | None = None
    skip_rows: int | None = None
    # generic layout and column mapping
    layout: str = "auto"  # auto | long | wide
    wide_axis: str = "auto"  # auto | industry | period | measure
    region_col: str | None = None
    region_name_col: str | None = None
    industry_col: str | None = None
    industry_name_col: str | None = None
    period_col: str | None = None
    measure_cols: dict[str, str] = field(default_factory=dict)  # measure -> source column
    measure: str | None = None  # the measure a wide table's cells hold (None: the title's, else employment)
    # the one measure a command reads (lq/stats --measure wages) from a raw table of several
    # indicators (a Eurostat SBS table: V16110, V11210, V13320): that indicator's rows are kept,
    # where `measure` gives none; a wide table's cells it never names (not recorded when None)
    indicator_measure: str | None = None
    period: str | None = None  # constant period for files without one
    period_freq: str = "auto"  # auto | year | quarter | month: what dated periods stand for
    region_level: str | None = None
    region: str | None = None  # ID[:NAME] of a one-region table (no region column)
    classification: str = "auto"  # auto | naics | nace | custom
    # aggregation
    level: int | None = None  # roll up to this code level
    # QCEW
    ownership: tuple[str, ...] = ("total", "private")
    month: str = "average"  # 1 | 2 | 3 | average  (quarterly files); annual files: annual average
    # generic tables: region rows that are totals of the others ("Insgesamt", "Всего")
    keep_region_totals: bool = False
    # errors
    on_error: str = "fail"  # fail | skip
    rejects: str | None = None

    def describe(self) -> dict[str, Any]:
        """The options as recorded in metadata (defaults included, so a re-run is exact)."""
        out = asdict(self)
        if out.get("indicator_measure") is None:
            out.pop("indicator_measure", None)
        return out

    def indicator(self) -> str:
        """The measure whose indicator a table of several keeps: --measure, else the command's."""
        from clusterid import schema

        return self.measure or self.indicator_measure or schema.EMPLOYMENT


@dataclass
class AdapterResult:
    """What an adapter hands back: a lazy canonical-ish frame and its counts."""

    frame: Any  # polars.LazyFrame with keys + measures (+ optional labels, status, bounds)
    adapter: str
    rows_read: int | None = None
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> rows
    notes: list[str] = field(default_factory=list)
    # Row-level problems found while reading (a cell that is not a number ...), each with
    # path and line; the frame then carries ``_source`` and ``_line`` so ``on_error="skip"``
    # can set those rows aside.  Adapters that raise DataError themselves leave it empty.
    problems: list = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # per-file reader facts for metadata


def sha256_of(path: str | Path, chunk: int = 1 << 20) -> str:
    """The file's sha256, remembered for the run by its identity, size and modification time:
    a command checksums its input for the provenance and, for a CSV with a sidecar, again to
    check the sidecar (0.3 s a pass on a 0.3 GB table)."""
    import os

    # (a copy without a DOS end-of-file mark stands for the user's file: the provenance names
    # that file, so its checksum is that file's -- the copy's was recorded, which no
    # `sha256sum` of the input matches)
    path = _eof_original.get(str(path), path)
    st = os.stat(path)
    key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    if key not in _SHA256_SEEN or not Path(path).is_file():
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(chunk), b""):
                h.update(block)
        if not Path(path).is_file():  # a pipe or device reads differently every time
            return h.hexdigest()
        _SHA256_SEEN[key] = h.hexdigest()
    return _SHA256_SEEN[key]


_SHA256_SEEN: dict[tuple, str] = {}


def _unchanged_since(before: dict[str, tuple | None]) -> None:
    """InputFileError naming the first input that changed since ``before`` was taken.

    A file rewritten while it was read (a download or copy still writing it, a job replacing
    it): cut to half its rows mid-read, ingest wrote those rows, exit 0, under the checksum of
    the whole file taken before the cut -- so `clusterid run` would take the stage for up to
    date when the whole file came back."""
    refuse_changed(((path, display_name(path), was) for path, was in before.items() if was is not None),
                   "a download or copy still writing it? run again once it is complete")


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


# ----------------------------------------------------------------------------- adapters

# Adapter modules, imported lazily by name; ``--format auto`` asks them in this order and
# falls back to ``generic`` (whose sniff always says yes).
ADAPTERS: dict[str, str] = {
    "qcew": "clusterid.io.readers.qcew",
    "cbp": "clusterid.io.readers.cbp",
    "eurostat": "clusterid.io.readers.eurostat",
    "bea": "clusterid.io.readers.bea",  # BEA CAEMP25N/SAEMP25N (GeoFIPS, LineCode ...)
    "lodes": "clusterid.io.readers.lodes",  # Census LEHD LODES WAC (w_geocode, C000, CNS01 ...)
    "nes": "clusterid.io.readers.nes",  # Census Nonemployer Statistics (st, cty, naics, estab, rcptot)
    "generic": "clusterid.io.readers.generic",
}
STDIN = "-"
STDIN_NAME = "<stdin>"
LINE = "_line"
SOURCE = "_source"
ROW = "_row"
_PRIVATE = (LINE, SOURCE, ROW)
_display: dict[str, str] = {}  # temporary path -> the name the user gave ("-" -> <stdin>)
_stdin_cache: dict[str, str] = {}  # stdin or a pipe -> its buffer file, for one command


def forget_stdin() -> None:
    """Forget the buffers of stdin and pipes (called as a command starts): a second command
    run in the same process (tests, a program calling the CLI) read the first one's stdin
    again from a buffer file its clean-up had removed or, still there, the old data."""
    _stdin_cache.clear()


def forget_files() -> None:
    """Forget what earlier commands of this process learnt of their files (called as a command
    starts, with :func:`forget_stdin`): the members extracted from an archive, remembered by
    the path as given, and the checksums and Ctrl-Z-less copies, remembered by identity, size
    and modification time.  A second command in the same process (tests, a program calling the
    CLI) read a relative ``data.zip`` of another folder as the first one's extracted members,
    and took the checksum of a file rewritten in place at the same size within one tick of the
    clock (or with its time stamp put back) for the old content's."""
    from clusterid.io import archives

    _SHA256_SEEN.clear()
    _eof_cache.clear()
    _archive_cache.clear()
    archives.SKIPPED.clear()


def display_name(path: str) -> str:
    """The name to show for ``path`` (stdin's buffer file shows as ``<stdin>``)."""
    return _display.get(str(path), str(path))


def given_order(files) -> dict[str, int]:
    """Each file's place among ``files`` as given, by its path and by its shown name (the first
    place when given twice): problems, warnings and rejects list the files in the order of the
    command line.  Sorted by path name, a file under /check/... came before one under /tmp/...
    and one under /work/... after it, and a capped list of problems could show one file only."""
    order: dict[str, int] = {}
    for i, f in enumerate(files):
        order.setdefault(str(f), i)
        order.setdefault(display_name(str(f)), i)
    return order


def problem_order(files):
    """The sort key of problems: file in the order given (:func:`given_order`), line, column."""
    given, last = given_order(files), len(files)
    return lambda p: (given.get(p.path, last), p.path or "", p.line or 0, p.column or "")


def shown_text(text: str) -> str:
    """``text`` (a message) with every buffer file's temporary path replaced by its name."""
    for tmp in sorted(_display, key=len, reverse=True):
        if tmp in text:
            text = text.replace(tmp, _display[tmp])
    return text


def adapter_module(name: str):
    import importlib

    try:
        return importlib.import_module(ADAPTERS[name])
    except ModuleNotFoundError as exc:
        if exc.name == ADAPTERS[name]:
            raise UsageError(f"--format {name}: this adapter is not available in this build") from exc
        raise


def _stdin_to_file(source: str = STDIN) -> str:
    """Buffer stdin (or the stream ``source``: a named pipe, a shell's ``<(zcat f.gz)``) to a
    private temporary file (read once per process)."""
    import atexit
    import shutil
    import sys

    from clusterid.io.atomic import temp_folder

    if source in _stdin_cache:
        return _stdin_cache[source]
    try:
        fh = sys.stdin.buffer if source == STDIN else open(source, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputFileError(f"{source}: cannot read: {exc.strerror}") from exc
    # copied block by block: read whole in one call, a stream without end (/dev/zero given as
    # the input, `yes |` as stdin) filled memory (16 GB within a minute) in one read that no
    # SIGTERM or Ctrl-C could stop; here memory holds one block and a signal stops the copy
    try:
        first = _read_block(fh, source)
        if not first:
            raise InputFileError("<stdin>: no data on standard input" if source == STDIN else
                                 f"{source}: empty (no data came through this pipe or device)")
        if source != STDIN and _is_device(source):
            # /dev/zero, /dev/urandom: bytes for ever, never a table (a pipe ends when its
            # writer does; a terminal's typing ends with Ctrl-D)
            raise InputFileError(f"{source}: a device, not a file or a pipe (expected a table's "
                                 "file, a pipe, or - for stdin; a device gives bytes without end)")
        folder = temp_folder("stdin")
        atexit.register(shutil.rmtree, folder, True)
        # a pipe named data.csv.gz keeps its name (an extension some readers go by)
        path = str(Path(folder) / ("stdin" if source == STDIN else Path(source).name or "pipe"))
        with open(path, "wb") as out:
            block = first
            while block:
                out.write(block)
                block = _read_block(fh, source)
    finally:
        if source != STDIN:
            fh.close()
    _stdin_cache[source] = path
    _display[path] = STDIN_NAME if source == STDIN else source
    return path


STREAM_BLOCK = 1 << 20  # bytes of a pipe or stdin copied at a time


def _read_block(fh, source: str) -> bytes:
    try:
        return fh.read(STREAM_BLOCK)
    except OSError as exc:
        raise InputFileError(f"{source}: cannot read: {exc.strerror}") from exc


def _is_device(path: str) -> bool:
    """A character device other than a terminal (/dev/zero, /dev/urandom, /dev/null)."""
    import stat

    try:
        if not stat.S_ISCHR(os.stat(path).st_mode):
            return False
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return not os.isatty(fd)
    finally:
        os.close(fd)


def _is_stream(path: str) -> bool:
    """A named pipe or a character device (``<(zcat f.gz)`` is /dev/fd/63, a pipe): data that
    can be read once.  Each reader opened it again (a sniff, then the read): the second open
    waited for a writer that was gone, and the command hung for ever."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def is_pattern(path: str) -> bool:
    """A quoted glob (``'data/*.csv'``) rather than a file (a name may contain ``[``)."""
    return any(ch in path for ch in "*?[") and not Path(path).exists()


def _has_wildcard(part: str) -> bool:
    return any(ch in part for ch in "*?[")


def pattern_parts(pattern: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(fixed, rest)``: the parts of a glob pattern that name folders as they are written
    (up to its first wildcard, and further through folders that exist under their very names:
    ``2016 [final]``, ``Daten (2022) [Kopie]``), then the pattern's own parts.  A folder's
    ``[`` is part of its name, as a file's is (:func:`is_pattern`), never a set of characters."""
    parts = Path(pattern).parts
    k = 0
    while k < len(parts) - 1 and (not _has_wildcard(parts[k]) or Path(*parts[:k + 1]).is_dir()):
        k += 1
    return parts[:k], parts[k:]


def glob_files(pattern: str) -> list[str]:
    """What :func:`glob.glob` matches, sorted, the pattern's existing folders taken literally
    (:func:`pattern_parts`): ``'by_area [2016]/*.csv'`` matched nothing, as ``[2016]`` was
    read as one character out of 2, 0, 1, 6."""
    import glob

    fixed, rest = pattern_parts(pattern)
    if any(_has_wildcard(p) for p in fixed):
        pattern = os.path.join(glob.escape(os.path.join(*fixed)), *rest)
    return sorted(glob.glob(pattern))


REJECTS_SUFFIX = ".rejects.csv"  # ingest --on-error skip writes <output>.rejects.csv


def expand_pattern(pattern: str) -> list[str]:
    """The files a glob matches, sorted (the order files are read in is then fixed).

    The ``.meta.json`` sidecar of a CSV table the pattern also matches is not one of them: it
    is that table's provenance, written by clusterid beside it ('panel/*' over a folder of
    canonical CSV tables was refused as 'a JSON file that is no JSON-stat dataset').  Nor is
    the rejects CSV ``ingest --on-error skip`` wrote beside such a table (``<table>.rejects.csv``):
    'panel/*.csv' read it as a table of its own and refused the folder ('no region column
    recognised ... --region-col')."""
    from clusterid.io.tables import sidecar_path

    matched = glob_files(pattern)
    if not matched:
        raise InputFileError(f"{pattern}: no file matches this pattern")
    sidecars = {str(sidecar_path(m)) for m in matched}
    folders = [m for m in matched if Path(m).is_dir()]
    if folders:  # 'panel/*' over a folder holding one: an internal error (IsADirectoryError)
        raise InputFileError(f"{folders[0]}: is a folder (matched by {pattern!r}), expected a file; "
                             "give a pattern that matches files only (e.g. ending in *.csv)")
    rejects = {m + REJECTS_SUFFIX for m in matched}
    files = [m for m in matched if m not in sidecars and m not in rejects]
    # Office's owner file ('~$book.xlsx', the lock Excel keeps beside a workbook while it is
    # open): no table.  'tables/*.xlsx' matched it and the whole input was refused ('NUL byte in
    # a text file ... --encoding utf-16').  Left out, named in the provenance as an archive's
    # readme is (archives.SKIPPED); a pattern matching nothing else matches no table
    owners = [m for m in files if is_owner_file(m)]
    if owners:
        from clusterid.io import archives

        for m in owners:
            archives.SKIPPED[m] = [{"path": display_name(m), "sha256": _sha256_of(m), "skipped": OWNER_FILE}]
        files = [m for m in files if m not in owners]
        if not files:
            raise InputFileError(f"{pattern}: matches only {', '.join(owners)}: {OWNER_FILE}")
    return files


OWNER_FILE = ("Office's owner file (the lock Excel or LibreOffice keeps beside a workbook while "
              "it is open), not a table")


def is_owner_file(path: str) -> bool:
    """'~$book.xlsx': the small file Office writes beside an open document, its user's name."""
    try:
        return Path(path).name.startswith("~$") and os.path.getsize(path) < 4096
    except OSError:
        return False


def _sha256_of(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def resolve_paths(paths: list[str]) -> list[str]:
    """Expand globs (quoted patterns), buffer ``-`` (stdin) and check every file is readable."""
    from clusterid.io.tables import check_readable

    if not paths:
        raise UsageError("no input file given")
    out: list[str] = []
    for p in paths:
        if p == STDIN:
            out.append(_stdin_to_file())
        elif _is_stream(p):
            out.append(_stdin_to_file(p))
        elif is_pattern(p):
            out.extend(expand_pattern(p))
        else:
            check_readable(p)
            out.append(p)
    # an unquoted '*.xlsx' the shell expanded to an owner file among the workbooks: left out as
    # from a quoted pattern (expand_pattern); named alone, refused
    owners = [p for p in out if p in paths and is_owner_file(p)]
    if owners:
        if len(owners) == len(out):
            raise InputFileError(f"{owners[0]}: {OWNER_FILE}; close the workbook or leave the file out")
        from clusterid.io import archives

        for p in owners:
            archives.SKIPPED[p] = [{"path": display_name(p), "sha256": _sha256_of(p), "skipped": OWNER_FILE}]
        out = [p for p in out if p not in owners]
    expanded: list[str] = []
    for f in out:
        expanded.extend(archive_members(f) if is_archive(f) else [f])
    return [_without_eof_mark(f) for f in expanded]


DOS_EOF = b"\x1a"  # Ctrl-Z, the end-of-file mark of CP/M and DOS text files
_eof_cache: dict[tuple, str] = {}
_eof_original: dict[str, str] = {}  # the copy without the mark -> the file it was made from


def _without_eof_mark(path: str) -> str:
    """``path``, or a copy of it without the Ctrl-Z (0x1A) bytes that end it: the end-of-file
    mark old DOS and Windows programs (``copy /a``, dBase and Lotus exports) put after a text
    file's last line.  It is no data: read, it was a row of its own ('row has 1 fields, the
    header has 6'; a note row under a generic table) or stuck to the last figure ('not a
    number ... found 2000\x1a').  Only a plain text file's last bytes are looked at (one read
    of 64 bytes); the copy, like stdin's buffer, is shown by the file's own name.  A Ctrl-Z
    anywhere else is left as it is (and refused as a control character where it lands)."""
    import shutil

    try:
        st = os.stat(path)
        if not Path(path).is_file() or st.st_size == 0:
            return path
        with open(path, "rb") as fh:
            head = fh.read(8)
            fh.seek(max(0, st.st_size - 64))
            tail = fh.read()
    except OSError:
        return path
    if not tail.endswith(DOS_EOF) or head.startswith((b"PK", b"PAR1", b"\x1f\x8b")) \
            or head.startswith(b"\xd0\xcf\x11\xe0") or head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return path
    key = (os.path.realpath(path), st.st_size, st.st_mtime_ns)
    if key in _eof_cache:
        return _eof_cache[key]
    from clusterid.io.atomic import temp_folder

    keep = st.st_size - (len(tail) - len(tail.rstrip(DOS_EOF)))
    if keep == st.st_size - len(tail):  # (64 bytes of Ctrl-Z: a file padded with more)
        with open(path, "rb") as fh:
            data = fh.read()
        keep = len(data.rstrip(DOS_EOF))
    folder = temp_folder("eof")
    import atexit

    atexit.register(shutil.rmtree, folder, True)
    copy = str(Path(folder) / (Path(path).name or "input"))
    with open(path, "rb") as src, open(copy, "wb") as out:
        left = keep
        while left > 0 and (block := src.read(min(STREAM_BLOCK, left))):
            out.write(block)
            left -= len(block)
    _eof_cache[key] = copy
    _eof_original[copy] = path
    _display[copy] = display_name(path)
    return copy


def _on_hidden_rows(problems: list, details: dict) -> list:
    """``problems`` with a word on each that points at a row hidden in its workbook (a
    duplicate key of an old row kept out of sight was otherwise a riddle: the row is not seen
    in the spreadsheet)."""
    import dataclasses

    hidden = {(str(path), line) for path, facts in details.items() if isinstance(facts, dict)
              for line in facts.get("hidden_rows_read") or ()}
    if not hidden:
        return problems
    said = "the row is hidden in the workbook (a helper, subtotal or old row?)"
    return [dataclasses.replace(p, hint=f"{p.hint}; {said}" if p.hint else said)
            if p is not None and (str(p.path), p.line) in hidden else p for p in problems]


def _reader_warnings(details: dict, files: list[str]) -> list[str]:
    """The readers' warnings: one per workbook read from one sheet while others hold figures
    too (a workbook of one sheet per year or region: the rest was left out without a word), per
    damaged sheet beside it, per workbook whose error cells could not be looked for, per NACE
    Rev.1.1 table and per file with a column headed by a spreadsheet error value (not read).
    Files in the order given (``files``, :func:`given_order`), as the problems."""
    given = given_order(files)
    out = []
    for path, facts in sorted(details.items(),
                              key=lambda pf: (given.get(str(pf[0]), len(files)), str(pf[0]))):
        others = facts.get("other_sheets_with_figures") if isinstance(facts, dict) else None
        if others:
            # (a sheet named by its section, "C": its name is the industry of its rows)
            named = (", its name as the industry of its rows"
                     if facts.get("industry_from") == "sheet name" else "")
            out.append(f"{display_name(path)}: read sheet {facts.get('sheet')!r} only{named}; other "
                       f"sheets hold figures too: {', '.join(repr(o) for o in others)} (--sheet "
                       "NAME reads another; ingest each and give the outputs together to combine)")
        if isinstance(facts, dict) and facts.get("industry_from") == "title line":
            # a table of one industry, named only in its title: the reading said, so that a
            # title naming its section by chance is seen (--industry-col names a column instead)
            from clusterid.core import codes

            title = str(facts.get("industry_title") or "")
            out.append(f"{display_name(path)}: every row read as industry "
                       f"{codes.section_of_title(title)}, the one section its title names "
                       f"({title[:120]!r}); the table has no industry column")
        if isinstance(facts, dict) and facts.get("abs_data_sheets"):
            # an ABS time series workbook whose series run on over Data1, Data2 ... (generic)
            sheets = list(facts["abs_data_sheets"])
            out.append(f"{display_name(path)}: {len(sheets)} sheets of ABS time series read together ("
                       + ", ".join(repr(s) for s in sheets) + "), each series in one sheet; --sheet NAME reads one alone")
        if isinstance(facts, dict) and facts.get("sheets_per_year"):
            # a workbook of one sheet per year, every sheet read (generic._sheets_per_year)
            sheets = list(facts["sheets_per_year"])
            out.append(f"{display_name(path)}: {len(sheets)} sheets read, one per year ("
                       + ", ".join(repr(s) for s in sheets[:6]) + (" ..." if len(sheets) > 6 else "")
                       + "), each with the period it reads with; --sheet NAME reads one alone")
        if isinstance(facts, dict) and facts.get("industry_from") == "sheet names":
            # a workbook of one sheet per section, every sheet read: the reading said, since
            # the industries come from the sheets' names, not from the rows
            from clusterid.io.readers.generic_blocks import _section_of_sheet

            sheets = list(facts.get("sheets") or ())
            out.append(f"{display_name(path)}: {len(sheets)} sheets read, each as the industry "
                       "its name names (" + "; ".join(f"{s!r} = {_section_of_sheet(s)}"
                                                      for s in sheets[:6])
                       + (" ..." if len(sheets) > 6 else "") + ")")
        unit = facts.get("title_unit_not_read") if isinstance(facts, dict) else None
        if unit:  # a unit line in brackets no list knows (generic_post): read as it stands, said
            out.append(f"{display_name(path)}: the title line {unit!r} is no unit clusterid knows: "
                       "the figures are read as they stand (in thousands, they would be a thousand "
                       "times too small: give them in units)")
        head = facts.get("heading_unit_not_read") if isinstance(facts, dict) else None
        if head:  # "Employment (mil)" (generic_post): read as it stands, said
            out.append(f"{display_name(path)}: the heading {head!r} names no multiple clusterid can tell "
                       "('mil' is a thousand in Spanish and Portuguese, a million in English): the "
                       "figures are read as they stand; give them in units")
        second = facts.get("second_table") if isinstance(facts, dict) else None
        if second:  # a yearbook's tables one under the other: the first read (generic_raw)
            sheet = f" --sheet {facts['sheet']!r}" if facts.get("sheet") is not None else ""
            out.append(f"{display_name(path)}: read the table above line {second['line']} only; "
                       f"a second table starts on line {second['line']} ({second['title'][:60]!r}, "
                       f"its header on line {second['header_line']}) and was not read: "
                       f"--skip-rows {second['skip_rows']}{sheet} reads the table from there "
                       "(ingest each table and give the outputs together to combine them)")
        hidden = facts.get("hidden_sheets_with_figures") if isinstance(facts, dict) else None
        if hidden:  # hidden sheets holding figures (excel._visible): not read, said
            out.append(f"{display_name(path)}: hidden sheet(s) {', '.join(repr(o) for o in hidden)} "
                       "hold figures too and were not read (--sheet NAME reads one)")
        units = facts.get("measure_note") if isinstance(facts, dict) else None
        if units:  # what a count of businesses counts (generic._nomis_business_units)
            out.append(f"{display_name(path)}: {units}")
        part = facts.get("one_part_read") if isinstance(facts, dict) else None
        if part:  # NOMIS's one employment status, not Employment (generic: one_part_read)
            out.append(f"{display_name(path)}: " + "; ".join(
                f"every row is {v!r} under {k}, read as the measure: the figures are that part's, "
                "not all employment" for k, v in part.items()))
        rows_hidden = facts.get("hidden_rows_read") if isinstance(facts, dict) else None
        if rows_hidden:  # rows hidden in the sheet (excel.read_rows): read, said with their lines
            at = ", ".join(str(n) for n in rows_hidden[:10]) + (" ..." if len(rows_hidden) > 10 else "")
            out.append(f"{display_name(path)}: {len(rows_hidden)} row(s) hidden in the sheet were read as "
                       f"the others (line(s) {at}): a hidden row is often a helper or subtotal row or "
                       "old figures; delete it from the sheet (or unhide it) if it is not data")
        cols_hidden = facts.get("hidden_columns_read") if isinstance(facts, dict) else None
        if cols_hidden:  # columns hidden in the sheet and read (generic.read_table)
            at = ", ".join(f"{c['column']!r} (column {c['letter']})" for c in cols_hidden[:10]) \
                + (" ..." if len(cols_hidden) > 10 else "")
            out.append(f"{display_name(path)}: {len(cols_hidden)} column(s) hidden in the sheet were read as "
                       f"the others: {at}: a hidden column is often an old year or a helper column; "
                       "delete it from the sheet (or unhide it) if it is not data")
        financial = facts.get("financial_years") if isinstance(facts, dict) else None
        if financial:  # the ABS's 2018-19, an annual series' Jun-2019 (generic_headings)
            from clusterid.io.readers.generic_headings import financial_years_said

            out.append(f"{display_name(path)}: {financial_years_said(financial)}")
        unsaved = facts.get("uncached_formulas_not_read") if isinstance(facts, dict) else None
        if unsaved:  # xlsx formulas saved without a value, in columns not read (generic.read_table)
            columns = ", ".join(dict.fromkeys(repr(u["column"]) for u in unsaved))
            cells = ", ".join(u["cell"] for u in unsaved[:5]) + (" ..." if len(unsaved) > 5 else "")
            out.append(f"{display_name(path)}: {len(unsaved)} formula cell(s) saved without their value "
                       f"(the workbook was never calculated) in column(s) not read, {columns} ({cells}): "
                       "left out with their columns; the figures read hold none")
        damaged = facts.get("unreadable_sheets") if isinstance(facts, dict) else None
        if damaged:  # a damaged sheet beside the one read (excel.read_rows): not read, said
            out.append(f"{display_name(path)}: sheet(s) {', '.join(repr(o) for o in damaged)} "
                       "cannot be read (damaged?) and were not looked at")
        unchecked = facts.get("error_cells_unchecked") if isinstance(facts, dict) else None
        if unchecked:  # xls/xlsb/ods records not walked (excel.error_cells): said, not only kept
            out.append(f"{display_name(path)}: its error cells (#N/A, #DIV/0!) could not be looked for "
                       f"({unchecked}): a failed formula in it reads as an empty cell (suppressed)")
        note = facts.get("classification_note") if isinstance(facts, dict) else None
        if note:  # NACE Rev.1.1 codes (a heading, title or nace_r1 said so): never read as Rev.2
            out.append(f"{display_name(path)}: {note} (it says {facts.get('nace_r11')!r})")
        said = facts.get("industries_note") if isinstance(facts, dict) else None
        if said:  # how a column of a national classification's own codes was read (INSEE's A17)
            out.append(f"{display_name(path)}: {said}")
        clash = facts.get("title_period_clash") if isinstance(facts, dict) else None
        if clash:  # a title naming one year over a table of another (generic_plan.title_period_clash)
            out.append(f"{display_name(path)}: {clash}")
        ilo = facts.get("ilostat_note") if isinstance(facts, dict) else None
        if ilo:  # which of ILOSTAT's breakdowns of economic activity was read, and as what
            out.append(f"{display_name(path)}: {ilo}")
        zeros = facts.get("census_zeros_without_flag") if isinstance(facts, dict) else None
        if zeros:  # a Census API answer without its flag columns: its 0s are withheld cells
            out.append(f"{display_name(path)}: {zeros} row(s) with EMP or PAYANN 0 at one or more "
                       "establishments and no flag read as suppressed, not as 0 (Census "
                       "writes a withheld cell as 0); ask the API for EMP_N_F and PAYANN_N_F (or "
                       "EMP_F) with them to tell withheld cells by their flags")
        failed = [h for h in (facts.get("ignored_columns") or [] if isinstance(facts, dict) else [])
                  if _is_error_value(h)]
        if failed:  # a column headed '#REF!' (a failed formula): its figures were not read
            out.append(f"{display_name(path)}: column(s) headed by a spreadsheet error value "
                       f"({', '.join(repr(h) for h in failed)}) not read: the heading's formula "
                       "failed in the spreadsheet; fix it there if the column holds figures")
    return out


def _is_error_value(heading) -> bool:
    from clusterid.io.readers.excel import is_spreadsheet_error

    return isinstance(heading, str) and is_spreadsheet_error(heading)


def ignored_columns(meta: dict) -> list[str]:
    """The input columns no reader used (a comment column, an unrecognised heading), over all
    files, in the order first met: said on stderr so a column of figures left out is seen.  A
    heading that is a spreadsheet error value has a warning of its own (:func:`_reader_warnings`)."""
    seen: dict[str, None] = {}
    for facts in (meta.get("readers") or {}).values():
        if isinstance(facts, dict):
            for h in facts.get("ignored_columns") or []:
                if isinstance(h, str) and h.strip() and not _is_error_value(h):
                    seen.setdefault(h, None)
    return list(seen)


def _read_once(files: list[str]) -> tuple[list[str], list[str]]:
    """``(files without repeats, the repeated ones)``: a file named twice -- a quoted glob and
    the file's own name, or two globs that overlap -- is one input.  Read twice, every row of
    it was a "duplicate row" of itself (exit 1, each message pointing at the same line)."""
    import os

    seen: set[str] = set()
    out, repeated = [], []
    for f in files:
        key = os.path.realpath(f)
        if key in seen:
            if f not in repeated:
                repeated.append(f)
            continue
        seen.add(key)
        out.append(f)
    return out, repeated


# Members of a zip archive read as data (agencies ship CSVs zipped: BLS's by-area files, Census
# CBP's cbp16co.zip; PX-Web's PC-Axis files); documentation, folders and macOS metadata are
# left in the archive.
ARCHIVE_DATA = (".csv", ".tsv", ".txt", ".dat", ".xlsx", ".xls", ".xlsb", ".ods", ".parquet", ".px")
_archive_cache: dict[str, list[str]] = {}


def is_archive(path: str) -> bool:
    """A zip archive of data files (an xlsx or xlsb workbook is a zip too, but holds ``xl/``;
    an ods spreadsheet, like every OpenDocument file, its ``mimetype``)."""
    from clusterid.io.archives import zip_names

    names = zip_names(path)
    return names is not None and "[Content_Types].xml" not in names and "mimetype" not in names \
        and not any(n.startswith("xl/") for n in names)


def _unextractable(exc: BaseException) -> str:
    """What a zip member that cannot be extracted is, for a message."""
    import zlib

    text = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"a damaged archive: {text}" if isinstance(exc, zlib.error) else text


def archive_members(path: str) -> list[str]:
    """The data files of a zip archive, extracted (once per process) to a private temporary
    folder in name order; each is shown as ``ARCHIVE:MEMBER`` in messages and provenance."""
    import atexit
    import shutil
    import zipfile
    import zlib

    from clusterid.io import archives
    from clusterid.io.atomic import temp_folder

    # what reading a member raises when it cannot be extracted: a damaged archive (BadZipFile,
    # a CRC mismatch; zlib.error for damaged deflate data, EOFError for a cut one), a
    # compression method this Python lacks (NotImplementedError), a password (RuntimeError)
    unextractable = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError,
                     RuntimeError)
    key = str(path)
    if key in _archive_cache:
        return _archive_cache[key]
    shown = display_name(path)
    with zipfile.ZipFile(path) as zf:
        infos = sorted((i for i in zf.infolist() if not i.is_dir()), key=lambda i: i.filename)
        data = [i for i in infos
                if not (i.filename.startswith("__MACOSX/") or Path(i.filename).name.startswith((".", "~$")))
                and Path(i.filename.lower().removesuffix(".gz")).suffix in ARCHIVE_DATA]
        # a readme or record layout beside the tables (as .txt as CBP's data): skipped, named
        # in the provenance (archives.SKIPPED), never read as a table that then fails
        skipped = []
        for info in list(data):
            try:
                reason = archives.member_not_a_table(zf, info)
                if reason:
                    data.remove(info)
                    skipped.append({"path": f"{shown}:{info.filename}",
                                    "sha256": archives.member_sha256(zf, info), "skipped": reason})
            except unextractable as exc:
                # a member whose compressed bytes are damaged: "internal error: error: Error -3
                # while decompressing data" from the first read (the sniff), exit 2
                raise InputFileError(f"{shown}:{info.filename}: cannot extract "
                                     f"({_unextractable(exc)})") from exc
        archives.SKIPPED[key] = skipped
        if not data:
            # each member skipped with its reason: 'expected .csv ...; it holds area.csv' alone
            # (an empty or header-only CSV zipped) refused a .csv for not being one
            why = {s["path"].removeprefix(f"{shown}:"): s["skipped"] for s in skipped}
            inside = ", ".join(i.filename + (f" (skipped: {why[i.filename]})" if i.filename in why else "")
                               for i in infos[:5]) + (" ..." if len(infos) > 5 else "")
            expected = "a table of rows with numbers" if why else ", ".join(ARCHIVE_DATA)
            raise InputFileError(f"{shown}: a zip archive without a data file (expected "
                                 f"{expected}; it holds {inside or 'nothing'})")
        folder = temp_folder("zip")
        atexit.register(shutil.rmtree, folder, True)
        out = []
        for k, info in enumerate(data):
            dest = Path(folder) / f"{k:05d}" / Path(info.filename).name
            dest.parent.mkdir()
            try:
                with zf.open(info) as src, open(dest, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            except unextractable as exc:
                raise InputFileError(f"{shown}:{info.filename}: cannot extract "
                                     f"({_unextractable(exc)})") from exc
            _display[str(dest)] = f"{shown}:{info.filename}"
            out.append(str(dest))
    _archive_cache[key] = out
    return out


def input_records(path: str) -> list[dict]:
    """Provenance of a command's INPUT: ``{path, sha256}`` of every file it stands for (a glob
    or a zip archive: each file; ``-``: ``<stdin>``)."""
    from clusterid.io import archives

    records = [{"path": display_name(f), "sha256": sha256_of(f)} for f in resolve_paths([path])]
    # members of an archive skipped as not data (a readme): named, with the reason
    return records + archives.skipped_records([path])


def head_of(path: str, size: int = 65536) -> tuple[list[str], bytes]:
    """``(header cells, first bytes)`` of a file, decompressed and decoded as best we can."""
    import csv
    import gzip
    import io
    import zlib

    from clusterid.io.readers import text as textmod
    from clusterid.io.readers.excel import OLE2_MAGIC

    with open(path, "rb") as fh:
        first = fh.read(size)
    if first[:2] == textmod.GZIP_MAGIC:
        with gzip.open(path, "rb") as gz:
            try:
                first = gz.read(size)
            except (OSError, EOFError, zlib.error):  # the reader says what is wrong
                return [], first
    if first[:4] == b"PAR1" or first[:2] == b"PK" or first[:8] == OLE2_MAGIC:
        return [], first  # Parquet, a workbook (xlsx, xlsb, ods: zip; xls: OLE2): no text header
    # blank lines before the header (an agency file or a table saved by hand starting with an
    # empty line): the header is the first line that holds anything, for every sniffer
    first = textmod.without_leading_blank_lines(first)
    cut = first.rfind(b"\n")
    if cut > 0 and (first[:2] == b"\xff\xfe" or first[1:2] == b"\x00" != first[:1]):
        cut += 1  # UTF-16 LE: the line feed is b"\n\x00"; cut after both bytes
    sample = first[: cut + 1] if cut > 0 else first
    try:
        txt, _ = textmod.decode(sample)
    except Exception:  # noqa: BLE001 - sniffing must not fail; the reader will say what is wrong
        return [], first
    line = txt.splitlines()[0] if txt.splitlines() else ""
    sep = textmod.sniff_separator(txt)
    try:
        header = next(csv.reader(io.StringIO(line), delimiter=sep))
    except (csv.Error, StopIteration):
        header = []
    return [h.strip().strip('"').lstrip("\ufeff") for h in header], first


# the options that say where a generic table's columns are or how it is laid out: an agency
# file's reader (QCEW, CBP, Eurostat TSV, BEA, NES, LODES) and a canonical table have fixed
# columns and never looked at them, so `--measure-col employment=month1_emplvl` on a QCEW file
# read the three months' average, silently, where the user asked for the first month
_TABLE_OPTIONS = (("region_col", "--region-col"), ("region_name_col", "--region-name-col"),
                  ("industry_col", "--industry-col"), ("industry_name_col", "--industry-name-col"),
                  ("period_col", "--period-col"), ("measure_cols", "--measure-col"),
                  ("skip_rows", "--skip-rows"), ("layout", "--layout"), ("wide_axis", "--wide-axis"))
_ADAPTER_TITLES = {"qcew": "BLS QCEW", "cbp": "Census CBP", "eurostat": "Eurostat TSV", "bea": "BEA",
                   "nes": "Census NES", "lodes": "LODES", "canonical": "canonical table"}


def _refuse_table_options(by_adapter: dict[str, list[str]], options) -> None:
    """A usage error where options for a generic table's columns or layout are given and no
    input goes to the generic reader (they would be ignored without a word)."""
    if "generic" in by_adapter:
        return
    given = [flag for attr, flag in _TABLE_OPTIONS
             if getattr(options, attr, None) not in (None, "auto", {}, "")]
    if not given:
        return
    name, files = next(iter(by_adapter.items()))
    hint = {"qcew": " (QCEW's employment figure: --month 1|2|3|average|annual)"}.get(name, "")
    raise UsageError(f"{', '.join(given)}: {display_name(files[0])} is read as a "
                     f"{_ADAPTER_TITLES.get(name, name)} file, whose columns its reader knows; "
                     f"{'these options name' if len(given) > 1 else 'the option names'} a generic "
                     f"table's columns or layout: leave {'them' if len(given) > 1 else 'it'} out{hint}")


def pick_adapter(path: str, fmt: str = "auto") -> str:
    """The adapter for one file: ``fmt`` itself, or the first whose ``sniff`` says yes."""
    check_format(fmt)
    if fmt == "eurostat":
        return _eurostat_reader(path)
    if fmt != "auto":
        return fmt
    from clusterid.io.readers.excel import OLE2_MAGIC

    header, first = head_of(path)
    # a workbook: xlsx, xlsb, ods (zip archives are resolved before) or xls (OLE2)
    workbook = not header and (first[:2] == b"PK" or first[:8] == OLE2_MAGIC)
    for name in ADAPTERS:
        if name == "generic":
            break
        try:
            mod = adapter_module(name)
        except UsageError:
            continue  # not built yet: skip in auto mode
        try:
            if workbook:
                # only adapters that read workbooks (``workbook_header``) are asked, with the
                # sheet's header row: a QCEW table saved as xlsx
                if not hasattr(mod, "workbook_header"):
                    continue
                if mod.sniff(mod.workbook_header(path), first):
                    return name
            elif mod.sniff(header, first):
                return name
        except Exception:  # noqa: BLE001 - a sniffer that trips is a "no"
            continue
    return "generic"


def _eurostat_reader(path: str) -> str:
    """The reader of a file given with ``--format eurostat``: the TSV adapter for Eurostat's
    TSV; the generic reader for Eurostat's other downloads, which it reads (SDMX-CSV 1.0 and
    2.0: ``DATAFLOW`` or ``STRUCTURE`` ... ``OBS_VALUE``; JSON-stat; the Data Browser's xlsx).
    An SDMX-CSV given so was read as a TSV of one column and refused as 'a header only'.
    Anything else is refused naming what a Eurostat TSV's header is."""
    from clusterid.io.readers import eurostat

    header, first = head_of(path)
    if eurostat.sniff(header, first):
        return "eurostat"
    line = first.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").strip()
    cells = {c.strip().strip('"').lower() for c in line.replace(";", ",").split(",")}
    if not header or line.startswith(("{", "[")) or ("obs_value" in cells and "time_period" in cells):
        return "generic"  # (a workbook, Parquet: no text header; JSON; SDMX-CSV)
    raise DataError(problems=[Problem(
        "not a Eurostat TSV", path=path, line=1,
        expected="a tab-separated header whose first cell names the dimensions and the time "
                 "(freq,unit,nace_r2,geo\\TIME_PERIOD), or an SDMX-CSV (… TIME_PERIOD, OBS_VALUE)",
        found=line[:60], hint="leave out --format (auto) to read it as the table it is")])


# ----------------------------------------------------------------------------- ingest

CANONICAL = "canonical"


def _read_canonical(paths: list[str], lines: bool = False) -> AdapterResult:
    """Tables clusterid wrote: re-read as they are (version checked), e.g. to merge or re-level.

    ``lines``: number each CSV row with the line it starts on (the locating pass of
    :func:`_with_lines`: a key in two tables is then named at both lines, as a key twice in one
    file is).  A Parquet table has no lines: its problems name the file alone."""
    import polars as pl

    from clusterid.io.tables import scan_canonical

    frames, rows, dropped = [], 0, {}
    for p in paths:
        own: dict = {}
        lf, _meta = scan_canonical(p, dropped=own)
        n = lf.select(pl.len()).collect().item()
        # (a table that had total rows dropped has rows no longer a record each: located by
        # the file alone, never at another row's line)
        if lines and not own and (starts := _csv_record_lines(p, n)) is not None:
            lf = lf.with_columns(starts.alias(LINE))
        for why, k in own.items():
            dropped[why] = dropped.get(why, 0) + k
            n += k
        frames.append(lf.with_columns(pl.lit(display_name(p)).alias(SOURCE)))
        rows += n
    frame = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
    if len(frames) > 1:  # 01001 in one, 1001 (a spreadsheet's) in another: refused
        from clusterid.io.resaved import check_across_files

        check_across_files(frame, SOURCE)
    return AdapterResult(frame=frame, adapter=CANONICAL, rows_read=rows, dropped=dropped)


def _csv_record_lines(path: str, n: int):
    """The line each of the ``n`` rows of the canonical CSV ``path`` starts on (a polars
    Series), or None for a Parquet table.  A row a line, as clusterid writes them: the row
    index + 2; a quoted cell holding a line break ("Davis\\nCounty") or a blank line between
    rows shifts the rows after it, then the records are counted by the csv module, blank ones
    left out as :func:`~clusterid.io.tables.scan_canonical` leaves them out of its rows (this
    runs only to locate problems)."""
    import polars as pl

    from clusterid.io.readers.text import csv_records, header_line, open_maybe_gzip
    from clusterid.io.tables import PARQUET_MAGIC

    with open(path, "rb") as fh:
        if fh.read(4) == PARQUET_MAGIC:
            return None
    at = header_line(path)[0]  # blank lines before the header: counted in the lines
    breaks, last = 0, b"\n"
    with open_maybe_gzip(path) as fh:
        while chunk := fh.read(1 << 20):
            breaks += chunk.count(b"\n")
            last = chunk[-1:]
    if breaks + (last != b"\n") == n + at:  # the header and one line a row
        return pl.int_range(at + 1, n + at + 1, dtype=pl.Int64, eager=True)
    # a blank line (or one of blanks and separators) is no row of the table: counted as one,
    # every row below it was named at the line above its own
    starts = [line for line, row in csv_records(path, at) if any(cell.strip() for cell in row)]
    return pl.Series(starts[:n] + [None] * (n - len(starts)), dtype=pl.Int64)


def _fill_canonical(lf):
    """Every canonical column present (as :func:`to_canonical`, unsorted) plus the private ones."""
    return lf.select(_canonical_exprs(lf))


def _canonical_exprs(lf) -> list:
    import polars as pl

    from clusterid.io.canonical import canonical_exprs

    names = lf.collect_schema().names()
    exprs = canonical_exprs([c for c in names if c not in _PRIVATE])
    exprs.append(pl.col(LINE).cast(pl.Int64) if LINE in names else pl.lit(None, pl.Int64).alias(LINE))
    exprs.append(pl.col(SOURCE).cast(pl.String) if SOURCE in names else pl.lit(None, pl.String).alias(SOURCE))
    return exprs


def _collect_canonical(lf):
    """:func:`_fill_canonical` collected without the columns the adapter did not give at all
    (all null): returns ``(frame, those columns as literal expressions, the canonical column
    order)``.  polars materialises a literal column added to a frame (4.8 M nulls of each:
    +0.65 GB on the QCEW county panel, past the 2 GB target), so they are added once the table
    is validated and sorted (:func:`_with_literals`), which never read them.  A column the
    adapter gives as one constant (the classification) is a key validation reads: added now."""
    import polars as pl

    exprs = _canonical_exprs(lf)
    order = [e.meta.output_name() for e in exprs]
    literal = [e for e in exprs if e.meta.is_literal(allow_aliasing=True)]
    computed = [e for e in exprs if not e.meta.is_literal(allow_aliasing=True)]
    value = [pl.select(e).item() for e in literal]
    empty = [e for e, v in zip(literal, value) if v is None]
    constant = [e for e, v in zip(literal, value) if v is not None]
    df = lf.select(computed).collect(engine="streaming")
    return (df.with_columns(constant) if constant else df), empty, order


def _with_literals(df, literal, order):
    """``df`` with the all-null columns :func:`_collect_canonical` left out, in the canonical
    ``order`` (the private columns, dropped by then, skipped)."""
    wanted = [e for e in literal if e.meta.output_name() not in _PRIVATE]
    return df.with_columns(wanted).select([c for c in order if c not in _PRIVATE])


def _coded_text(df, ranks: dict | None):
    """``df`` with its text columns of few values as Enum columns of the same text (null where
    it is), for the Parquet writer (:func:`clusterid.io.tables.write_frame` writes them as the
    text they hold): a key or the classification from validation's ``ranks`` (its codes among
    the sorted distinct values, :func:`clusterid.core.validate.column_ranks`; a column with
    nulls, which the ranks read as "", is not taken from them), a status by a cast to the
    three statuses, any other text column by a cast to its sorted distinct values.

    The writer hashed every row's text to build each text column's dictionary (county panel,
    14 columns of 4.8 M rows: ~2.2 s of CPU); an Enum column's dictionary is its categories
    and its indices are the codes, and the sort gathers 4-byte codes, not text.  County panel,
    in-process A/B on a loaded machine (2026-11-30, 5 rounds): sort + write median 4.83 ->
    2.82 s of CPU (the keys and statuses alone, ~0.25 s to code: 3.2-3.3 s; the other text
    columns cost ~0.7 s to code, a distinct-values pass and a cast each, and save ~1.2 s),
    peak unchanged (1.87-1.93 GB).
    The file holds the same text, schema and statistics; only the dictionary pages differ
    (every category in each row group: +1.2 MB on 32 MB).
    """
    import polars as pl

    ranks = ranks or {}
    out = {}
    for name, dtype in df.schema.items():
        if dtype != pl.String:
            continue
        r = ranks.get(name)
        col = df.get_column(name)
        if r is not None and len(r[0]) == df.height and r[1] <= schema.CODED_VALUES and not col.null_count():
            out[name] = r.values.cast(pl.Enum(r.values)).gather(r[0]).alias(name)
    rest = [c for c, t in df.schema.items() if t == pl.String and c not in out]
    statuses = [c for c in rest if c.endswith(schema.STATUS_SUFFIX)]
    for name in statuses:
        try:
            out[name] = df.get_column(name).cast(pl.Enum(schema.STATUSES))
        except pl.exceptions.InvalidOperationError:  # another value: left as text
            pass
    for name in (c for c in rest if c not in out):
        coded_col = _code_column(df.get_column(name))
        if coded_col is not None:
            out[name] = coded_col
        del coded_col
    return df.with_columns(out[c] for c in df.columns if c in out) if out else df


def _code_column(col):
    """The text Series ``col`` as an Enum column of its sorted distinct values (null where it
    is), or None when it has more than :data:`schema.CODED_VALUES` of them (it stays text)."""
    import polars as pl

    from clusterid.core.validate import FEW_VALUES

    values = col.drop_nulls().unique().sort()
    if len(values) > schema.CODED_VALUES:
        return None
    # a Series cast: in one DataFrame.select the casts of the 300-chunk columns lifted the
    # ingest's peak by ~0.8 GB
    return _few_coded(col, values) if 0 < len(values) <= FEW_VALUES else col.cast(pl.Enum(values))


def _label_columns(df) -> list[str]:
    """The text columns validation never reads (region and industry names, region level,
    flags): every text column but the keys, the classification, the statuses and the private
    ones."""
    import polars as pl

    skip = {*schema.KEYS, schema.CLASSIFICATION, *_PRIVATE}
    return [c for c, t in df.schema.items()
            if t == pl.String and c not in skip and not c.endswith(schema.STATUS_SUFFIX)]


def _code_labels(holder: dict, statuses: dict | None = None) -> dict:
    """:func:`_code_column` of each Series in ``holder`` (name -> Series, emptied as it goes,
    so each text column is released once its Enum column exists): name -> the Enum column,
    or the text itself where it has too many values.  Run on a thread beside validation,
    which never reads these columns (:func:`_label_columns`).

    ``statuses`` (name -> a status column's text, emptied): each as :func:`_status_coded`
    makes it, where it can (else left out: :func:`_coded_text` tries it again).  Their Enum
    has the three statuses whatever the rows hold, so a row set aside later changes nothing.
    Coded here, beside validation, they are off the sort's path (county panel: three casts of
    ~0.1-0.25 s each after validation, 2026-12-01).

    A column holding the same values as one coded before it takes that one's column, renamed:
    a QCEW file's employment and wages flags are both the row's disclosure code (county panel:
    ~0.11 s of CPU to code, ~0.025 s to compare, 2026-12-01)."""
    out = {}
    while holder:
        name = next(iter(holder))
        col = holder.pop(name)
        coded_col = _code_column(col)
        out[name] = col if coded_col is None else coded_col
        for twin in [n for n, other in holder.items() if _same_values(other, col)]:
            del holder[twin]
            out[twin] = out[name].alias(twin)
        del col, coded_col
    while statuses:
        name, col = statuses.popitem()
        coded_col = _status_coded(col)
        if coded_col is not None:
            out[name] = coded_col
        del col, coded_col
    return out


def _status_coded(col):
    """The text status column ``col`` as an Enum column of :data:`schema.STATUSES` (null where
    it is null), or None when it holds another value (it stays text): :func:`_few_coded` with
    the statuses for values (equality tests, not a hash lookup per row), a row of another
    value coming out null."""
    import polars as pl

    coded = _few_coded(col, pl.Series(schema.STATUSES, dtype=pl.String))
    return coded if coded.null_count() == col.null_count() else None


def _same_values(a, b) -> bool:
    """Whether the Series ``a`` and ``b`` hold the same values (nulls where the other has them),
    with the same dtype; settled by their null counts and first rows where they differ."""
    return (a.dtype == b.dtype and a.len() == b.len() and a.null_count() == b.null_count()
            and a.head(64).equals(b.head(64), null_equal=True) and a.equals(b, null_equal=True))


def _few_coded(col, values):
    """``col.cast(pl.Enum(values))`` for a text column of a few distinct ``values`` (sorted,
    without null): each row's code from equality tests, which compare the inline bytes of
    short texts, and the Enum column gathered from the categories by those codes, as the keys'
    are from their ranks.  The cast looked every row's text up in a hash table: county panel,
    region level and the two flags (two values each, 300 chunks) 0.65 s of CPU -> ~0.35 s with
    their distinct-values pass (2026-12-01, in the ingest, same Enum columns)."""
    import polars as pl

    from clusterid.core.validate import equality_codes

    code = equality_codes(pl.col(col.name), values.to_list(), pl.lit(None, pl.UInt32))
    codes = pl.DataFrame([col]).select(code).to_series()
    return values.cast(pl.Enum(values)).gather(codes).alias(col.name)


def _sort_frame_by_keys(holder: list, keys: dict | None = None):
    """The frame handed over in a one-item list (which is emptied), sorted by the key columns.

    Each key is mapped to the rank of its value among the column's distinct values (a hash
    lookup, no string sort of millions of rows), the ranks are combined into one UInt64, and
    the frame is gathered in that order, or returned as is when already sorted.  Ties
    (duplicate keys: an error unless set aside) keep no particular order.

    The columns are gathered each from one contiguous copy of itself (a gather across the ~300
    chunks a streaming read leaves is ~3x slower), and each original is released as soon as
    that copy exists, so the sort needs a few columns' worth of extra memory, not a second copy
    of the table.  Text columns go two at a time, one per core (polars gathers the columns of
    one query in parallel): the county panel's sort 1.30-1.60 s -> 0.89-1.10 s in an in-process
    A/B on the same frame (2026-11-29), the ingest's peak unchanged (1898 MB).  County panel,
    4.8 M rows, idle machine: gathered across the chunks 1.8-1.9 s; from contiguous copies 0.55 s
    (an integer or float column without nulls through numpy, 0.11 s for all of them; the text
    columns through polars, then one at a time).  The freed chunks
    stay with the allocator unless it is told to hand them back (``clusterid.entry``): with
    that, the sort stays under the validation's peak (1.88-1.93 GB).
    ``keys``: validation's ``{"ids": key ids, "order": their arg_sort}`` when known, handed
    over the same way (emptied, so they are freed before the gathers).
    """
    import polars as pl

    from clusterid.core.validate import key_order, rank_ids

    df = holder.pop()
    keys = keys if keys is not None else {}
    key_ids, order = keys.pop("ids", None), keys.pop("order", None)
    if df.height == 0:
        return df
    composite = key_ids if key_ids is not None and len(key_ids) == df.height else rank_ids(df, schema.KEYS)
    del key_ids
    if composite.is_sorted():
        return df
    if order is None or len(order) != df.height:
        order = key_order(composite)
    del composite
    columns = df.get_columns()
    del df
    # a constant column reads the same in any order; the others are gathered one at a time
    order_np = order.to_numpy()
    pending: list[int] = []

    def gather_pending():
        # two text columns at a time: polars gathers them on both cores
        batch = pl.DataFrame([columns[j] for j in pending]).select(pl.all().gather(order))
        for j, s in zip(pending, batch.get_columns()):
            columns[j] = s
        pending.clear()

    for i in range(len(columns)):
        col = columns[i]
        if _is_constant(col):
            continue
        columns[i] = None
        name = col.name
        if (col.dtype.is_integer() or col.dtype.is_float()) and not col.null_count():
            whole = col.to_numpy()  # one contiguous copy (no copy when there is one chunk)
            del col
            columns[i] = pl.Series(name, whole[order_np])
        else:
            whole = col.rechunk()
            del col
            columns[i] = whole
            pending.append(i)
            if len(pending) == 2:
                gather_pending()
        del whole
    if pending:
        gather_pending()
    return pl.DataFrame(columns)


def _sorted_for_writing(holder: list, coded: bool, key_ranks: dict | None, check):
    """The frame handed over in ``holder`` (emptied), without the private columns (problems
    are located: not carried through the sort), its text columns of few values coded when
    ``coded`` (:func:`_coded_text`, with validation's ``key_ranks`` when they still fit the
    rows), sorted by key (:func:`_sort_frame_by_keys`) in the order ``check`` (a
    :class:`~clusterid.core.validate.Validation`) found, whose key ids and order are released
    to the sort."""
    df = holder.pop()
    holder.append(df.drop([c for c in _PRIVATE if c in df.columns]))
    del df
    if coded:
        holder.append(_coded_text(holder.pop(), key_ranks))
    del key_ranks
    keys = {"ids": check.key_ids, "order": check.key_order}
    check.key_ids = check.key_order = None  # the sort releases them as soon as it can
    return _sort_frame_by_keys(holder, keys)


def _is_constant(col) -> bool:
    """Every value the same (or every value missing): text and integer columns only (a float
    column may hide NaN from min and max)."""
    import polars as pl

    nulls = col.null_count()
    if nulls == len(col):
        return True
    if nulls or not (col.dtype == pl.String or col.dtype.is_integer()):
        return False
    # equality with the first value: a string min/max compares whole strings (~0.1 s a
    # column on 5 M rows), equality mostly the inline prefix of each view
    return not (col != col[0]).any()


# the raw columns an agency reader names when it cannot read a row's ownership
_OWNERSHIP_COLUMNS = frozenset({"own_code", "own_title", "ownership", "ownercode"})


def _distinct_problems(problems, files):
    """Each problem once (a wide table's bad code is met once per period), in file and line
    order (files in the order given: :func:`problem_order`); with one input file, problems
    the checks could not tie to a file name it."""
    import dataclasses

    single = display_name(files[0]) if len(files) == 1 else None
    seen = {}
    for p in problems:
        if p.path is None and single:
            p = dataclasses.replace(p, path=single)
        elif p.path is not None and p.path in _display:
            p = dataclasses.replace(p, path=display_name(p.path))
        # the problem itself is the key: a frozen dataclass, equal when every field is (a
        # dataclasses.astuple of each, a deep copy, took ~7 s for the 95 k duplicate keys of
        # two overlapping tables)
        seen.setdefault(p, p)
    return _copies_in_one(sorted(seen.values(), key=problem_order(files)))


def _copies_in_one(problems):
    """The copies of one duplicate key as one problem, said at the second copy's line, which
    names the first's ('first seen on line 2') and any further copies' ('and again on line 7'):
    each copy was a line of its own, the first saying nothing of the other.  ``problems`` in
    their order; the copies stay apart where validation tracks them (rejected rows)."""
    import dataclasses

    from clusterid.core.validate import DUPLICATE_KEY

    groups: dict = {}
    for p in problems:
        if p.message == DUPLICATE_KEY and p.found is not None:
            groups.setdefault(p.found, []).append(p)
    if not any(len(g) > 1 for g in groups.values()):
        return problems
    merged, drop = {}, set()
    for copies in groups.values():
        if len(copies) < 2:
            continue
        first, second, *rest = copies
        hint = second.hint or _copy_place(first, second, "first seen")
        if rest:
            hint += ", and again " + ", ".join(_copy_place(p, second) for p in rest)
        merged[id(second)] = dataclasses.replace(second, hint=hint)
        drop.update(id(p) for p in copies if p is not second)
    return [merged.get(id(p), p) for p in problems if id(p) not in drop]


def _copy_place(p, beside, verb: str = "") -> str:
    """Where the copy ``p`` of a duplicate key is, said beside the problem of ``beside``:
    'on line 7' in the same file, 'at b.csv:7' in another, 'in b.parquet' without lines."""
    lead = f"{verb} " if verb else ""
    if p.path == beside.path and p.line is not None:
        return f"{lead}on line {p.line}"
    if p.line is not None:
        return f"{lead}at {p.path}:{p.line}"
    return f"{lead}in {p.path}"


def _with_lines(problems, paths, files, options):
    """``problems`` with their lines: the agency adapters' fast strict read carries no line
    numbers, so a problem found by validation (a negative value, a child larger than its
    parent, a duplicate key) would name its file but no line; the lenient read, which tracks
    them, runs once more to locate them (only on this error path)."""
    import dataclasses

    if all(p.line is not None for p in problems):
        return problems
    from clusterid.io.tables import _is_parquet

    if options.format == "auto" and all(_is_parquet(f) and is_canonical_file(f) for f in files):
        # tables clusterid wrote as Parquet have no lines to find: a second pass only built
        # every problem again (~3 s for the 95 k duplicate keys of two overlapping tables)
        return problems
    located: list = []
    try:
        ingest(paths, dataclasses.replace(options, on_error="skip", rejects=None),
               _problems=located)
    except ClusteridError:
        return problems
    located = _distinct_problems(located, files)
    with_line = sum(p.line is not None for p in located)
    return located if with_line > sum(p.line is not None for p in problems) else problems


def _rejects_frame(df, rows, reasons, problems):
    import polars as pl

    rec = {"_row": [], "source": [], "line": [], "column": [], "reason": [], "found": []}
    for r, reason, p in zip(rows, reasons, problems):
        rec["_row"].append(r)
        rec["source"].append(display_name(p.path) if p and p.path else None)
        rec["line"].append(p.line if p else None)
        rec["column"].append(p.column if p else None)
        rec["reason"].append(p.render().split(": ", 1)[-1] if p else reason)
        rec["found"].append(p.found if p else None)
    return pl.DataFrame(rec, schema={"_row": pl.Int64, "source": pl.String, "line": pl.Int64,
                                     "column": pl.String, "reason": pl.String, "found": pl.String})


STAGES = ("read", "validate", "sort", "done")
PART_PROBLEMS = "_rejected_problems"  # ingest(_part=True)'s metadata: taken out by ingest_parts


def ingest(paths: list[str], options: IngestOptions | None = None, on_stage=None, *,
           coded: bool = False, _problems: list | None = None, _part: bool = False):
    """Read ``paths`` into one validated canonical table.

    ``on_stage``: optional callable, called with each of :data:`STAGES` as work reaches it
    (the CLI drives a progress display with it).

    ``coded``: the table is for a Parquet file: its text columns of few values come as Enum
    columns holding the same text (:func:`_coded_text`), which
    :func:`clusterid.io.tables.write_frame` writes as text without hashing every row's text.
    Not with ``options.level`` (the roll-up works on the text).

    ``_part``: the files are one part of a larger input (:mod:`clusterid.io.ingest_parts`):
    no rows left is an empty table, not an error (the other parts may have rows), and the
    regions missing some periods are left to the whole input.

    Returns
    -------
    (polars.DataFrame, dict)
        The canonical frame (sorted, private columns dropped) and its metadata: inputs with
        sha256, adapter per file, options, rows read / kept / dropped (reason -> rows),
        rejected rows, suppressed share per measure, warnings and reader details.

    Raises
    ------
    DataError
        With ``on_error="fail"`` (default): every row-level problem found, together.
    UsageError, InputFileError
        Bad options; missing or unreadable files.
    """
    import polars as pl

    from clusterid.core import codes
    from clusterid.core.validate import validate
    from clusterid.io.canonical import to_canonical
    from clusterid.io.tables import base_metadata

    options = options or IngestOptions()
    check_format(options.format)
    if options.on_error not in ("fail", "skip"):
        raise UsageError(f"--on-error {options.on_error!r}: expected fail or skip")
    stage = on_stage or (lambda _name: None)
    files, repeated = _read_once(resolve_paths(paths))
    stage("read")
    by_adapter: dict[str, list[str]] = {}
    inputs = []
    before = {f: _identity(f) for f in files}  # taken before the checksum and the read
    for f in files:
        name = CANONICAL if options.format == "auto" and is_canonical_file(f) else pick_adapter(f, options.format)
        if name == "generic":  # a stage's result table without its metadata, by its columns
            from clusterid.io.tables import check_result_columns

            check_result_columns(display_name(f), _header_names(f))
        by_adapter.setdefault(name, []).append(f)
        inputs.append({"path": display_name(f), "sha256": sha256_of(f), "adapter": name})

    _refuse_table_options(by_adapter, options)
    frames, reader_problems, dropped, notes, details = [], [], {}, [], {}
    rows_read = 0
    for name, group in by_adapter.items():
        result = (_read_canonical(group, lines=_problems is not None) if name == CANONICAL
                  else adapter_module(name).read(group, options))
        frames.append(result.frame)
        reader_problems.extend(result.problems)
        for k, v in result.dropped.items():
            dropped[k] = dropped.get(k, 0) + int(v)
        notes.extend(result.notes)
        details.update(result.details or {})
        rows_read += int(result.rows_read or 0)
    # validated before sorting: the sort's copy and validation's work never overlap in memory
    literal, order = [], []
    if len(frames) > 1:
        lf = pl.concat([_fill_canonical(f) for f in frames], how="diagonal_relaxed")
        df = lf.collect(engine="streaming")
    else:
        lf = frames[0]
        df, literal, order = _collect_canonical(lf)
    _unchanged_since(before)
    if options.region_level:  # keep one region level of a file or glob that mixes them
        from clusterid.io.readers import levels

        df = levels.select(df, options.region_level, dropped, display_name(files[0])
                           if len(files) == 1 else f"{len(files)} files", empty_ok=_part)
    if df.height == 0 and not reader_problems and not _part:
        # a header without rows (or only rows the adapter drops): an empty table would pass
        # for a result downstream
        raise DataError(problems=[Problem(
            "no data rows" + (" left" if dropped else ""),
            path=display_name(files[0]) if len(files) == 1 else f"{len(files)} files",
            expected="at least one row of data",
            found=(", ".join(f"{n} {reason}" for reason, n in sorted(dropped.items())) if dropped
                   else "a header only"))])
    df = df.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))
    del lf, frames, result  # the adapter's frame too: the sort below frees columns as it goes

    stage("validate")
    coded = coded and options.level is None
    # with nothing wrong found by the other checks, the table is sorted for writing while
    # validation's parent check (numpy on a thread, mostly one core) ends, on the core it
    # leaves idle; a problem that check finds fails the run (the sorted copy dropped) or, with
    # --on-error skip, sets its rows aside and the rows kept are sorted afresh.  The frame
    # validation holds lives beside the sorted copy: county panel 8.7-8.9 -> 8.2-8.3 s, peak
    # 1.43 -> 1.63 GB.  A part of a larger input (ingest in parts, there for memory) sorts
    # after the checks: there the overlap lifted the peak of three yearly panels from 2.05 to
    # 2.63 GB (2026-12-01)
    early = not reader_problems and _problems is None and not _part
    labels = _label_columns(df) if coded else []
    # a code under two names (validation reads no label column): on the labels' thread
    from clusterid.core.validate import name_warnings

    named = df.select(c for c in (ROW, LINE, SOURCE, schema.PERIOD, schema.REGION,
                                  schema.INDUSTRY, schema.REGION_NAME, schema.INDUSTRY_NAME)
                      if c in df.columns)
    if labels:
        # the labels are coded for the write (_coded_text) on a thread while validation,
        # which never reads them, runs on a frame without them: validation's single-threaded
        # work (the parent check, the key order) leaves a core idle that the coding uses
        from concurrent.futures import ThreadPoolExecutor

        order_of_columns = df.columns
        holder = {c: df.get_column(c) for c in labels}
        df = df.drop(labels)
        # the statuses too (validation reads them: it keeps its text, the write gets the Enum)
        statuses = {c: df.get_column(c) for c, t in df.schema.items()
                    if t == pl.String and c.endswith(schema.STATUS_SUFFIX)}
        with ThreadPoolExecutor(max_workers=1) as pool:
            naming = pool.submit(name_warnings, named)
            coding = pool.submit(_code_labels, holder, statuses)
            del holder, statuses, named
            try:
                check = validate(df, coverage=not _part, defer=early)
            finally:
                coded_labels = coding.result()
                names_said = naming.result()
        df = df.with_columns(coded_labels.values()).select(order_of_columns)
        del coded_labels
    else:
        check = validate(df, coverage=not _part, defer=early)
        names_said = name_warnings(named)
        del named
    if names_said:  # before the coverage warnings, which come last
        at = len(check.warnings) if check.coverage_at is None else check.coverage_at
        check.warnings[at:at] = names_said
        if check.coverage_at is not None:
            check.coverage_at += len(names_said)
    key_ranks, check.key_ranks = check.key_ranks, None
    if not coded:
        key_ranks = None
    ordered = None
    if check.pending is not None:
        if check.problems:
            check.finish()
        else:
            stage("sort")
            # (validation holds the frame until it ends: the sort's copy frees none of it)
            try:
                ordered = _sorted_for_writing([df], coded, key_ranks, check)
            finally:
                check.finish()
            if check.problems:  # found by the parent check: the rows kept are sorted below
                ordered = key_ranks = None
            else:
                del df, key_ranks
    rows, reasons, problems = list(check.rows), list(check.reasons), list(check.problems)
    if reader_problems:
        where = df.select(ROW, *(pl.col(c) if c in df.columns else pl.lit(None, t).alias(c)
                                 for c, t in ((SOURCE, pl.String), (LINE, pl.Int64))))
        said, said_ownership = set(), set()
        for p in reader_problems:
            hit = where.filter((pl.col(SOURCE) == p.path) & (pl.col(LINE) == p.line)).get_column(ROW).to_list()
            said.update(hit)
            if p.column in _OWNERSHIP_COLUMNS:
                said_ownership.update(hit)
            for r in hit or [None]:
                rows.append(r)
                reasons.append(p.message)
                problems.append(p)
        # a key the reader emptied for a cell it refused ('2016Q7'), or an ownership it could
        # not name (QCEW's own_code 'x'), is said by the reader: once, on the raw column
        checked = len(check.rows)  # validate's entries come first, the reader's after them
        # (and the rows whose period the reader could not read, '20x1' emptied: each was also a
        # "duplicate row ... period=None" of the others, a second line per error saying nothing
        # of the real problem)
        keyless = set(where.filter(pl.col(ROW).is_in(sorted(said))).join(
            df.select(ROW, schema.PERIOD).filter(pl.col(schema.PERIOD).is_null()), on=ROW)
            .get_column(ROW).to_list()) if said and schema.PERIOD in df.columns else set()
        keep = [i for i, (r, why) in enumerate(zip(rows, reasons))
                if i >= checked or not ((why == "empty key cell" and r in said)
                                        or (why == "duplicate key" and r in keyless)
                                        or (why == "unknown ownership" and r in said_ownership))]
        if len(keep) < len(rows):
            rows, reasons, problems = ([x[i] for i in keep] for x in (rows, reasons, problems))
    rejected_rows = 0
    rejects_written = rejects_out = None
    part_problems: list = []
    if _problems is not None:  # a locating pass (see _with_lines): its problems, no output
        _problems.extend(problems)
        return None, None
    if problems:
        problems = _on_hidden_rows(problems, details)
        if options.on_error == "fail":
            raise DataError(problems=_with_lines(_distinct_problems(problems, files), paths, files, options))
        rej = _rejects_frame(df, rows, reasons, problems)
        bad_rows = set(r for r in rows if r is not None)
        # rows a reader could not even put in the frame (a ragged row) count by file and line
        unframed = {(p.path, p.line): rs for r, rs, p in zip(rows, reasons, problems) if r is None and p}
        rejected_rows = len(bad_rows) + len(unframed)
        for reason in sorted(set(reasons)):
            n = len({r for r, rs in zip(rows, reasons) if rs == reason and r is not None})
            n += sum(1 for rs in unframed.values() if rs == reason)
            dropped["rejected: " + reason] = dropped.get("rejected: " + reason, 0) + n
        keep = ~df.get_column(ROW).is_in(sorted(bad_rows))
        df = df.filter(keep)
        if labels:
            # coded before the rows were set aside: their categories may hold values of the
            # rejected rows only; coded afresh from the text of the rows kept
            df = df.with_columns(pl.col(c).cast(pl.String) for c in labels
                                 if df.schema[c] != pl.String)
        check.key_ids = check.key_ids.filter(keep) if check.key_ids is not None else None
        key_ranks = None  # of the rows before: the coded columns are made from the text
        check.key_order = None  # positions changed: sorted afresh
        if check.coverage_at is not None and df.height:
            # the regions missing some periods, of the rows kept: a region whose rows of a
            # period were all rejected lacks that period too (as ingest in parts says it)
            from clusterid.core.validate import coverage_warnings

            check.warnings[check.coverage_at:] = coverage_warnings(df)
        if _part:  # said by ingest_parts if every part's rows are rejected
            part_problems = _distinct_problems(problems, files)[:19]
        if df.height == 0 and not _part:
            # an empty table would pass for a result downstream: say so instead
            first = _distinct_problems(problems, files)
            raise DataError(problems=[Problem(
                "every data row was rejected, nothing left to write", path=display_name(files[0])
                if len(files) == 1 else None, expected="at least one good row",
                found=f"{rejected_rows} rejected rows")] + first[:19])
        if options.rejects:
            # written once every check of the table has passed (below), not now: a --level
            # refused after it left the rejected rows of a table never made
            # files in the order given, as the problems on stderr (given_order)
            rejects_out = (rej.drop("_row").unique()
                           .with_columns(pl.col("source").replace_strict(
                               given_order(files), default=len(files), return_dtype=pl.Int64)
                               .alias("_given"))
                           .sort(["_given", "source", "line", "column", "reason"], nulls_last=True)
                           .drop("_given"))
            rejects_written = options.rejects
        del rej

    if ordered is None:
        stage("sort")
        holder = [df]
        del df
        df = _sorted_for_writing(holder, coded, key_ranks, check)
        del key_ranks
    else:
        df, ordered = ordered, None
    level_warning = None
    if options.level is not None:
        if options.level < 0 or options.level > 6:
            raise UsageError(f"--level {options.level}: expected 0-6 (NAICS digits 2-6, NACE 1-4, NACE-R1.1 "
                             "1-6: section, subsection, division, group, class, subclass; 0 = total)")
        if options.level == 1 and (df.get_column(schema.CLASSIFICATION) == schema.NAICS).any():
            raise UsageError("--level 1: NAICS has no level 1 (sectors are level 2); use 0 or 2-6")
        finer = df.filter(pl.col(schema.LEVEL) > options.level).height
        rolled, roll_notes = codes.rollup(df.lazy(), options.level)
        kept = df.height - finer
        df = rolled.collect()
        notes.extend(roll_notes)
        if "qcew" in by_adapter and df.height > kept:
            # QCEW's files publish every parent (a complete file builds none): a parent built
            # here sums the children of a cut (a by-industry slice: 31-33 from 336411 alone)
            level_warning = (
                f"--level {options.level}: {df.height - kept} parent rows built from their "
                "children, which QCEW's files publish themselves: the input is a cut of them "
                "(a by-industry slice?), so each sums only the children it holds, not the "
                "industry's total")
        if finer > 0:
            dropped[f"finer than --level {options.level} (rolled up into their parents)"] = finer

    df = df.drop([c for c in _PRIVATE if c in df.columns])
    if options.level is not None:
        final = to_canonical(df.lazy()).collect()  # fills the columns left out, too
    else:
        # already in canonical columns, dtypes and order (_fill_canonical + the sort above),
        # but for the columns the adapter left all null, added now
        final = _with_literals(df, literal, order) if order else df
    del df
    if rejects_out is not None:
        from clusterid.io.atomic import atomic_path

        with atomic_path(options.rejects) as tmp:
            rejects_out.write_csv(tmp)
        del rejects_out
    shares = status_shares(status_counts(final), final.height)
    stage("done")
    meta = base_metadata(
        "canonical",
        inputs=inputs,
        adapters=sorted(by_adapter),
        options=options.describe(),
        rows_read=rows_read,
        rows_kept=final.height,
        dropped=dict(sorted(dropped.items())),
        rejected_rows=rejected_rows,
        rejects_file=rejects_written,
        **shares,
        warnings=[*(f"{display_name(f)} given more than once (a glob and its name?): read once"
                    for f in repeated), *_reader_warnings(details, files), *check.warnings,
                  *([level_warning] if level_warning else [])],
        notes=notes,
        readers=details,
    )
    if _part:  # the first rejected rows' problems, for a whole input whose rows are all rejected
        meta[PART_PROBLEMS] = part_problems
    return final, meta


def status_counts(df) -> dict[str, tuple[int, int, int]]:
    """measure -> (cells suppressed, of them with a bound, cells estimated) of a canonical
    table, for each measure it has."""
    import polars as pl

    out = {}
    for m in schema_measures(df):
        st = pl.col(schema.status_col(m))
        bound = pl.col(schema.lower_col(m)).is_not_null() | pl.col(schema.upper_col(m)).is_not_null() \
            if schema.lower_col(m) in df.columns and schema.upper_col(m) in df.columns else pl.lit(False)
        row = df.select((st == schema.SUPPRESSED).fill_null(False).sum().alias("s"),
                        ((st == schema.SUPPRESSED) & bound).fill_null(False).sum().alias("b"),
                        (st == schema.ESTIMATED).fill_null(False).sum().alias("e")).row(0)
        out[m] = tuple(int(x) for x in row)
    return out


def status_shares(counts: dict, rows: int) -> dict:
    """The metadata's shares of a table's cells by status, per measure: ``suppressed_share``
    (status suppressed: no figure), ``suppressed_with_bounds_share`` (of those, the ones with
    a lower or upper bound, CBP's range flags), ``estimated_share`` (status estimated: a
    flagged figure, Eurostat's 'e', or BEA's (Z) bounds).  Before, ``suppressed_share`` counted
    every cell not reported, the estimated ones too, and the summary line called it suppressed."""
    def share(n):
        return round(n / rows, 6) if rows else 0.0

    return {"suppressed_share": {m: share(c[0]) for m, c in counts.items()},
            "suppressed_with_bounds_share": {m: share(c[1]) for m, c in counts.items()},
            "estimated_share": {m: share(c[2]) for m, c in counts.items()}}


def suppressed_cells_of(df) -> int:
    """Cells with status 'suppressed', every measure of ``df`` (a canonical table)."""
    import polars as pl

    statuses = [c for c in df.columns if c.endswith(schema.STATUS_SUFFIX)]
    return df.select(pl.sum_horizontal((pl.col(c) == schema.SUPPRESSED).fill_null(False)
                                       for c in statuses).sum()).item() if statuses else 0


def refuse_unused_month(meta: dict, month) -> None:
    """A usage error when ``--month`` (given by the user) chose nothing in the ingest that
    ``meta`` describes: only QCEW's monthly employment has months -- a QCEW file, or a
    generic table with its month columns (month1_emplvl .., "January Employment" ..).  A
    generic table without them, CBP, Eurostat or BEA read it silently as if it had not been
    given.  The first such file is named."""
    readers = meta.get("readers") or {}
    for record in meta.get("inputs") or []:
        adapter = record.get("adapter")
        facts = readers.get(record.get("path"))
        if adapter == "qcew" or (isinstance(facts, dict) and facts.get("month_columns")):
            continue
        what = ("a canonical table" if adapter == CANONICAL else
                f"read as {adapter}, without month columns")
        raise UsageError(f"--month {month}: {record.get('path')} is {what}; only QCEW's monthly "
                         "employment has months (month1_emplvl .. month3_emplvl): leave "
                         "--month out")


def refuse_unused_measure(df, meta: dict, measure) -> None:
    """A usage error when ingest's ``--measure`` (the measure a wide table's cells, or a long
    table's one value column, hold) names a measure the table read does not hold: a long table
    whose headings name its measures (``Beschäftigte``, ``Betriebe``), QCEW, CBP, BEA or a
    canonical table read it as if it had not been given (``--measure wages`` on a table of
    employment: no wages, exit 0, no word)."""
    have = schema.measures_in(df.columns)
    if measure in have:
        return
    record = next(iter(meta.get("inputs") or []), {})
    adapter = record.get("adapter")
    what = ("a canonical table" if adapter == CANONICAL else "a generic table whose headings "
            "name its measures" if adapter == "generic" else f"read as {adapter}")
    raise UsageError(f"--measure {measure}: {record.get('path')} is {what}, holding "
                     f"{', '.join(have) or 'no measure'}; --measure names the measure a wide "
                     "table's cells (or its one value column) hold: leave it out"
                     + (", or name a column with --measure-col MEASURE=COLUMN"
                        if adapter == "generic" else ""))


def schema_measures(df) -> list[str]:
    return schema.measures_in(df.columns)


def _header_names(path: str) -> list[str]:
    """The headings of a CSV (or gzip-compressed CSV) or Parquet file's first line; [] for
    anything else or a file that cannot be read (its reader says what is wrong)."""
    import csv
    import re
    import zlib

    from clusterid.io.readers.text import open_maybe_gzip, without_leading_blank_lines

    try:
        with open_maybe_gzip(path) as fh:
            first = fh.read(4096)
    except (OSError, EOFError, zlib.error):
        return []
    if first[:4] == b"PAR1":
        import polars as pl

        try:
            return list(pl.scan_parquet(path, glob=False).collect_schema())
        except Exception:  # noqa: BLE001
            return []
    if first[:2] == b"PK":
        return []
    first = without_leading_blank_lines(first)
    line = re.split(rb"\r\n|\n|\r", first, maxsplit=1)[0].decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return []


def is_canonical_file(path: str) -> bool:
    """A table clusterid wrote (Parquet or CSV with the canonical key columns)."""
    import csv
    import re
    import zlib

    from clusterid.io.readers.text import open_maybe_gzip

    try:  # a gzip-compressed CSV too (`clusterid ingest -o - | gzip`)
        with open_maybe_gzip(path) as fh:
            first = fh.read(4096)
    except (OSError, EOFError, zlib.error):
        return False  # the reader says what is wrong with it
    if first[:4] == b"PAR1":
        import polars as pl

        try:
            names = list(pl.scan_parquet(path, glob=False).collect_schema())
        except Exception:  # noqa: BLE001
            return False
        # as a CSV: without its level column (a table written by pandas or R) it is read as a
        # generic table, which gives each code its level; opened as canonical, lq summed each
        # region's total over every level (Beaver County's private jobs 1,623 for 927) and
        # impute and detect failed with "internal error: ColumnNotFoundError: level"
        if not all(k in names for k in schema.KEYS):
            return False
        if schema.LEVEL in names:
            return True
        # ... but one a newer clusterid wrote (its metadata says so: another layout, perhaps
        # without the column) is refused as such, not read as a generic table
        import json

        try:
            meta = json.loads(pl.read_parquet_metadata(path).get(schema.METADATA_KEY.decode(), "{}"))
        except Exception:  # noqa: BLE001
            return False
        version = meta.get("schema_version") if isinstance(meta, dict) else None
        return isinstance(version, int) and version > schema.SCHEMA_VERSION
    if first[:2] == b"PK":
        return False
    # blank lines before the header (a table saved by hand starting with an empty line) are
    # skipped, as every raw reader skips them (text.header_line); the table read as canonical
    from clusterid.io.readers.text import without_leading_blank_lines

    first = without_leading_blank_lines(first)
    # (a bare CR ends the header line too: a table saved with Macintosh line ends is one)
    line = re.split(rb"\r\n|\n|\r", first, maxsplit=1)[0].decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        header = next(csv.reader([line]), [])
    except csv.Error:
        return False
    return all(k in header for k in schema.KEYS) and schema.LEVEL in header


def load_input(path: str, options: IngestOptions | None = None, raw_only: tuple[str, ...] = ()):
    """Open the input of a stage command: ``(LazyFrame, metadata)``.

    A canonical table (Parquet or CSV written by clusterid) is opened lazily as is; any other
    file is ingested on the fly with ``options`` (default: auto-detected).  ``-`` reads stdin.
    ``raw_only``: options the user gave that only say how a raw file is read (``--month``);
    ingest chose them when it wrote a canonical table, so with one they are refused rather
    than silently ignored.
    """
    from clusterid.io.tables import scan_canonical

    files = resolve_paths([path])
    if len(files) > 1 and (opened := scan_canonical_set(files)) is not None:
        if raw_only:
            raise UsageError(f"{raw_only[0]} applies to a raw file; {path} holds canonical "
                             f"tables already (re-ingest the raw files with {raw_only[0]})")
        return opened
    if len(files) == 1 and is_canonical_file(files[0]):
        if raw_only:
            raise UsageError(f"{raw_only[0]} applies to a raw file; {path} is a canonical table "
                             f"already (re-ingest the raw file with {raw_only[0]})")
        dropped: dict = {}
        lf, meta = scan_canonical(files[0], display_name(files[0]), dropped=dropped)
        if dropped and not meta:  # a table clusterid did not write, its total rows left out
            meta = {"dropped": dropped, "foreign_canonical": display_name(files[0])}
        return lf, meta
    if len(files) == 1 and files[0] != "-":  # an indices / shift-share output (no industry key)
        from clusterid.io.tables import (check_canonical_kind, check_result_columns,
                                         folder_metadata, read_metadata)

        check_canonical_kind(display_name(files[0]),
                             read_metadata(files[0]) or folder_metadata(files[0]))
        # ... and one whose metadata is gone (piped, or copied without its .meta.json)
        check_result_columns(display_name(files[0]), _header_names(files[0]))
    # raw files, or several files (a glob, an archive): ingested together, canonical ones too
    from clusterid.io import ingest_parts

    if (files := ingest_parts.plan([path], options or IngestOptions())) is not None:
        # a large glob (a multi-year panel): ingested a file at a time into a temporary table
        lf, meta = ingest_parts.ingest_to_scan(files, options or IngestOptions())
        if "--month" in raw_only:
            refuse_unused_month(meta, (options or IngestOptions()).month)
        return lf, meta
    df, meta = ingest([path], options or IngestOptions())
    if "--month" in raw_only:
        refuse_unused_month(meta, (options or IngestOptions()).month)
    return df.lazy(), meta


def scan_canonical_set(files: list[str]):
    """Several canonical Parquet tables clusterid wrote, each holding periods none of the others
    holds (a national panel ingested year by year), opened lazily as one table:
    ``(LazyFrame, metadata)``, or None when they are not such a set (then they are ingested
    together, which validates them as one table in memory).

    Each table was validated by the ingest that wrote it, and with no period in two tables no
    key can be in two, nor a child in one and its parent in another (parents are sought within
    a period): the set needs no check as one table.  The tables follow each other in period
    order (tables whose periods interleave are left to ingest, which sorts them), so the set is
    in key order as each table is, and a filter on periods (``lq
    --period``) reaches each file's row groups: a panel larger than memory is read a period at
    a time.  The metadata lists each table's own; the regions missing from some periods are
    warned of, as ingest does.
    """
    import polars as pl

    from clusterid.core.validate import coverage_warnings
    from clusterid.io.tables import PARQUET_MAGIC, base_metadata, read_metadata, scan_canonical

    # whether the files make such a set is told from their footers and period columns, before
    # scan_canonical's checks of each table: a set refused here is read again by ingest
    for f in files:
        try:
            with open(f, "rb") as fh:
                if fh.read(4) != PARQUET_MAGIC:
                    return None
            if not is_canonical_file(f) or not read_metadata(f):
                return None  # a table clusterid did not write: validated as one table by ingest
        except (OSError, ClusteridError):
            return None  # the ingest path says what is wrong with it
    periods = [pl.scan_parquet(f, glob=False).select(pl.col(schema.PERIOD).unique()).collect().to_series()
               .drop_nulls().to_list() for f in files]
    if sum(len(p) for p in periods) != len(set().union(*map(set, periods))) or not all(periods):
        return None  # a period in two tables: duplicate keys are possible, checked by ingest
    order = sorted(range(len(files)), key=lambda i: min(periods[i]))
    if any(max(periods[a]) > min(periods[b]) for a, b in zip(order, order[1:])):
        return None  # quarters 1 and 3 in one table, 2 and 4 in another: sorted by ingest
    opened = {i: scan_canonical(files[i], display_name(files[i])) for i in order}
    lf = pl.concat([opened[i][0] for i in order], how="diagonal_relaxed")
    pairs = lf.select(schema.REGION, schema.PERIOD).unique().collect(engine="streaming")
    meta = base_metadata(
        "canonical",
        tables=[{"path": display_name(files[i]), "sha256": sha256_of(files[i]),
                 "periods": sorted(periods[i]), "metadata": opened[i][1]} for i in order],
        warnings=coverage_warnings(pairs))
    return lf, meta


def open_reference(path: str, options: IngestOptions | None = None):
    """A benchmark reference table for ``lq``/``indices``/``shift-share --benchmark FILE``.

    A canonical table (e.g. a national file) is opened through :func:`load_input`, and so is a
    raw agency file (QCEW, CBP, Eurostat: the national file as BLS publishes it), ingested on
    the fly with ``options`` (the input's own, so both sides read the same month); anything
    else is read as a plain table of benchmark totals or shares (columns checked by the
    caller).  A quoted glob matching several files (a national table per year) is opened as
    an input of several files is: canonical tables of different periods as one, agency files
    ingested together.  Returns a polars LazyFrame.
    """
    import polars as pl

    from clusterid import schema
    from clusterid.errors import DataError, Problem
    from clusterid.io.tables import _is_parquet, check_readable

    if is_pattern(path):
        files = expand_pattern(path)
        if len(files) > 1:
            return load_input(path, options)[0]
        path = files[0]
    p = check_readable(path)
    try:
        if _is_parquet(p):
            lf = pl.scan_parquet(p, glob=False)
            found = lf.collect_schema()
            names = found.names()
            # a benchmark column of lists or records (a script's table of shares): "internal
            # error: InvalidOperationError: cannot cast List type" when lq read it
            nested = [c for c in (*_REFERENCE_NUMBERS, *schema.KEYS, "measure")
                      if c in found and (found[c].is_nested() or found[c] == pl.Binary)]
            if nested:
                raise DataError(problems=[Problem(
                    "not a reference table", path=path, column=c,
                    expected="numbers (or codes as text) in its cells",
                    found=f"{found[c]} values") for c in nested])
        elif (sheet := _reference_sheet(p)) is not None:
            # a table of national shares kept in a workbook: read as CSV, its bytes were
            # 'columns PK\x03\x04...' in a message saying it is no reference table
            lf = sheet.lazy()
            names = sheet.columns
        else:
            from clusterid.io.tables import blank_row, check_plain_table, header_line_number

            raw, raw_error = _raw_reference(p, path, options)
            if raw is not None:
                return raw
            sep = table_separator(p)
            skip = header_line_number(p) - 1  # blank lines before the header
            try:
                names = pl.read_csv(p, glob=False, n_rows=0, infer_schema_length=0, separator=sep,
                                    skip_lines=skip).columns
                plain = check_plain_table(p, path, sep, skip + 1, len(names), "a reference table")
            except Exception:
                if raw_error is not None:  # neither reads it: the raw reader's problem is the one
                    raise raw_error from None
                raise
            if (raw_error is not None and schema.INDUSTRY not in (n.strip() for n in names)
                    and not _no_region_said(raw_error)):
                # no reference table (no 'industry' column, no benchmark column) but a regional
                # table ingest could not read (a national table without its year): its
                # reason is the one to say, not "expected an 'industry' column"
                raise raw_error
            if not plain:
                # a header alone: every LQ was empty ('no benchmark'), exit 0, as if the
                # table listed none of the input's industries
                raise DataError(problems=[Problem(
                    "the reference table has no data rows", path=path, line=skip + 1,
                    expected="a row per industry (and period)", found="a header only")])
            # a blank line (a hand-typed table of shares ending in an empty line) is no row
            lf = pl.scan_csv(p, glob=False, infer_schema_length=0, separator=sep,
                             skip_lines=skip).filter(~blank_row(names))
            # a table typed by hand with a space after each comma ('111, 0.012'): the cells
            # ' 0.012' were 'internal error: InvalidOperationError: conversion from `str` to
            # `f64` failed' in lq, indices and shift-share, and ' benchmark_share' no heading
            stripped = [n.strip() for n in names]
            if len(set(stripped)) == len(stripped):
                lf = lf.rename(dict(zip(names, stripped))).with_columns(
                    pl.col(pl.String).str.strip_chars())
                names = stripped
            if sep != ",":
                lf = _reference_numbers(lf, names, sep)
    except DataError:  # located already (check_plain_table, a workbook's reader)
        raise
    except Exception as exc:  # noqa: BLE001 - polars raises many types for a bad file
        raise DataError(problems=[Problem("not a readable reference table", path=path,
                                          found=str(exc).splitlines()[0])]) from exc
    if all(k in names for k in schema.KEYS):
        lf, _meta = load_input(path)
    elif pick_adapter(str(p)) in AGENCY_ADAPTERS:
        import dataclasses

        lf, _meta = load_input(path, dataclasses.replace(options or IngestOptions(), format="auto"))
    return lf


def _no_region_said(exc) -> bool:
    """Whether the ingest reader's error on a --benchmark file is that it found no region
    column: then the file is no regional table at all, and 'not a reference table' says more."""
    return bool(exc.problems) and exc.problems[0].message.startswith("no region column")


def _raw_reference(p, path: str, options: IngestOptions | None):
    """A national table as its office publishes it, given as ``--benchmark FILE``: a text file
    naming none of the reference columns (``benchmark_share`` ...) nor the canonical keys --
    Kazakhstan's republic in cp1251 under a title line, the Federal Republic's column of a
    REAT table -- ingested as the input is, its one region kept (it is the nation, not a total
    to drop beside regions it lacks).  ``(LazyFrame, None)`` when it reads; ``(None, error)``
    when it does not, the error shown if the plain reading fails too (a reference table typed
    by hand is then what it is taken for); ``(None, None)`` for a reference or canonical table.

    Read as a plain table of benchmark totals, such a file was "not UTF-8 text" or a "row has
    6 fields, the header has 1" for every row under its title, exit 1.
    """
    import dataclasses

    from clusterid.io.readers import text as textmod

    try:
        with textmod.open_maybe_gzip(p) as fh:
            head = fh.read(1 << 16).decode("utf-8", "replace").casefold()
    except (OSError, EOFError):
        return None, None
    if any(c in head for c in _REFERENCE_NUMBERS) or is_canonical_file(str(p)):
        return None, None
    wanted = dataclasses.replace(options or IngestOptions(), format="auto",
                                 keep_region_totals=True)
    try:
        lf, _meta = load_input(path, wanted)
    except (DataError, UsageError) as exc:
        if not _no_region_said(exc) or wanted.region is not None:
            return None, exc
        # a national table has no region column: it is the one region a benchmark is (the
        # republic's sections by year under a title naming it, as the Bureau publishes it);
        # it was "no region column recognised ... name it with --region-col"
        try:
            lf, _meta = load_input(path, dataclasses.replace(wanted, region=_BENCHMARK_REGION))
        except (DataError, UsageError):
            return None, exc
    return lf, None


_BENCHMARK_REGION = "benchmark"  # the region of a --benchmark table without a region column


def _reference_sheet(p):
    """The first sheet holding figures of a workbook (xlsx, xls, xlsb, ods) as a table of text
    (its first non-empty row the header), or None when ``p`` is no workbook."""
    import polars as pl

    from clusterid.errors import DataError, Problem
    from clusterid.io.readers import excel

    with open(p, "rb") as fh:
        head = fh.read(8)
    if head != excel.OLE2_MAGIC and head[:2] != b"PK":
        return None
    data = p.read_bytes()
    if excel.workbook_format(data) is None:
        return None
    rows, _lines, _details = excel.read_rows(str(p), data)
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    header = [("" if c is None else str(c)).strip() for c in rows[0]]
    named = [h for h in header if h]
    if len(set(named)) < len(named):
        raise DataError(problems=[Problem("a column heading given twice", path=str(p), line=1,
                                          expected="one column per heading",
                                          found=", ".join(header))])
    width = len(header)
    columns = {h: [(r[i] if i < len(r) else None) for r in rows[1:]]
               for i, h in enumerate(header[:width]) if h}
    return pl.DataFrame(columns, schema={h: pl.String for h in columns})


AGENCY_ADAPTERS = ("qcew", "cbp", "eurostat", "bea")  # recognised from their headers
_REFERENCE_NUMBERS = ("benchmark_share", "benchmark_industry_total", "benchmark_total")


def table_separator(path) -> str:
    """The field separator of a plain table typed or saved by hand (a reference table, a
    definitions file): one saved by a spreadsheet in a continental locale is ``;``-separated
    (with decimal commas), a text export tab-separated; read with commas, its one column was
    "not a reference table" (or "not a definitions table")."""
    from clusterid.io.readers import text as textmod

    try:
        with textmod.open_maybe_gzip(path) as fh:
            head = fh.read(1 << 16)
    except OSError:
        return ","
    first = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()[:50]
    return textmod.sniff_separator("\n".join(first))


def _reference_numbers(lf, names, sep: str):
    """The benchmark columns of a ``;``- or tab-separated reference table in the file's own
    number format (``0,25``, ``1.234.567``: detected from its cells), as plain decimal text;
    a cell that is no number stays as it is (the reference check names it)."""
    import polars as pl

    from clusterid.io.readers import text as textmod

    cols = [c for c in _REFERENCE_NUMBERS if c in names]
    if not cols:
        return lf
    sample = lf.select(cols).head(2000).collect()
    values = [v for c in cols for v in sample.get_column(c).to_list()]
    decimal, thousands = textmod.detect_number_format(values, sep)
    return lf.with_columns(pl.coalesce(textmod.number_expr(c, decimal, thousands).cast(pl.String),
                                       pl.col(c)).alias(c) for c in cols)
