"""``ingest`` of an input too large to hold whole, one part at a time.

A multi-year national panel comes as one file per year (QCEW's annual singlefiles, CBP's
yearly county files): ten years of the QCEW county file are ~50 M rows, which
:func:`clusterid.io.ingest.ingest` would hold, validate and sort in memory at once (about
0.4 GB per million rows: past this machine's 24 GB).  Above :data:`PART_BYTES` of text, a
glob of several files is ingested a part at a time instead:

1. the files, in batches of up to :data:`PART_BYTES` of text (a larger file alone), are
   ingested batch by batch (read, validated, sorted) and spilled to temporary Parquet
   tables, so memory holds one batch's table at a time;
2. files whose periods interleave (by-area files, one county each, all of a year) are
   ingested again together, as one part: a key in two of them, or an industry in one larger
   than its parent in the other, is found as it is in one run;
3. the parts are written in the order of their periods: the canonical order is by period
   first, so the output holds the same rows in the same order as the whole run's, and
   :func:`clusterid.io.tables.write_frames` cuts the same row groups -- the same table, row
   groups and statistics, but for the metadata's ``computed_in_parts``, its per-part warnings
   and notes (a CSV: the same bytes; a whole run's Parquet writes its text columns from codes,
   ``ingest(coded=True)``, whose dictionary pages hold every value, the parts' as text).

The regions missing some periods are found on every part's distinct (region, period) pairs,
problems of every part are reported together (exit 1, nothing written), and the rejected
rows of ``--on-error skip`` are gathered into the one rejects file.

One QCEW CSV file above :data:`SPLIT_BYTES` of text (years of BLS's single files joined into
one, ~0.4 GB held per million rows) is first split by its ``year`` column into a file per
year, its lines copied as they are, and those are ingested as parts (:func:`split_by_year`):
problems, rejected rows and the metadata name the file given and its own line numbers.  A
file the split cannot follow line by line (a header again inside it, a row without a year)
is ingested whole, as before.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
from dataclasses import dataclass, field
from typing import Any

from clusterid import schema
from clusterid.errors import DataError

# Estimated text bytes of the inputs (a gzip file's own record of its size) above which a glob
# of several files is ingested in parts.  Fixed, not taken from the machine's memory: the same
# input gives the same output (and metadata) on any machine.  ~2.4 M QCEW rows, ~1 GB held.
PART_BYTES = 200_000_000
SLICE_ROWS = 1 << 20  # rows handed to the writer at a time (a spill's row group)
# Estimated text bytes above which one QCEW CSV file is split by year first (~5 M rows, ~2 GB
# held whole; BLS's national single file of one year is ~2.5 GB of text).  Fixed, as PART_BYTES.
SPLIT_BYTES = 2_000_000_000


def estimated_bytes(path: str) -> int:
    """The text bytes a file holds: a gzip file's trailer gives its size modulo 4 GiB, so a
    file whose text may have passed 4 GiB -- one that reads as smaller than itself, or one of
    more than 256 MB compressed, where a 16-fold compression passes it (QCEW's CSVs compress
    ~10-fold: two national years, 5 GB of text in 0.53 GB, read as 0.7 GB and were not
    split) -- counts at least 8x its compressed size; anything else its size on disk."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b" or size < 18:
            return size
        fh.seek(-4, os.SEEK_END)
        text = int.from_bytes(fh.read(4), "little")
    return max(text, 8 * size) if text < size or 16 * size >= 2**32 else text


def plan(paths: list[str], options=None) -> list[str] | None:
    """The files to ingest in parts, in the order given (one given twice as often as given:
    :func:`ingest_in_parts` reads it once and warns, as the whole run); None when the input is
    one file,
    small (under :data:`PART_BYTES`), read from stdin, or holds an archive's members.

    None too (the input ingested whole) when its QCEW files differ in layout or measure
    columns (``options``: the ingest's, for ``--format``): QCEW's reader decides on all its
    files together -- quarterly and annual files are refused together (exit 2), a measure
    column some file lacks is read from none -- which parts, each read alone, would not."""
    from clusterid.io.ingest import STDIN, _is_stream, _read_once, resolve_paths

    if any(p == STDIN or _is_stream(p) for p in paths):
        return None
    given = resolve_paths(paths)
    files, _repeated = _read_once(given)
    if len(given) == 1 and options is not None and to_split(given, options) is not None:
        return given
    if len(files) < 2 or not all(os.path.isfile(f) for f in files):
        return None
    if sum(estimated_bytes(f) for f in files) < PART_BYTES:
        return None
    if options is not None:
        heads = qcew_headers(files, options)
        if heads is None or len(set(heads.values())) > 1:
            return None
    return given


def qcew_headers(files: list[str], options) -> dict[str, tuple[str, frozenset]] | None:
    """The layout (quarterly, annual) and measure columns of each QCEW file of ``files``, read
    from its header; None when a file's cannot be (the whole run says why)."""
    from clusterid.io.ingest import is_canonical_file, pick_adapter
    from clusterid.io.readers import qcew

    out = {}
    for f in files:
        try:
            if options.format == "auto" and is_canonical_file(f):
                continue
            if pick_adapter(f, options.format) != "qcew":
                continue
            layout, cols = qcew.layout_of(qcew.read_header(f), f)
        except Exception:  # noqa: BLE001 - a file the reader refuses: said by the whole run
            return None
        out[f] = (layout, frozenset(cols))
    return out


@dataclass
class _Part:
    files: list[str]  # in the order given
    spill: str | None = None  # its table, written sorted (None: no rows)
    rejects: str | None = None
    meta: dict = field(default_factory=dict)
    periods: list[str] = field(default_factory=list)  # sorted
    pairs: Any = None  # distinct (region, period)
    names: Any = None  # (region, period, region_name) -> rows, where the part names its regions
    titles: Any = None  # distinct (industry, period, industry_name), where it titles its industries
    rows: int = 0
    not_reported: dict = field(default_factory=dict)  # measure -> cells not 'reported'
    statuses: dict = field(default_factory=dict)  # measure -> (suppressed, with bounds, estimated)
    suppressed: int = 0  # cells with status 'suppressed', every measure
    problems: list = field(default_factory=list)  # the first of its rejected rows' (skip)


class PartedIngest:
    """An input ingested in parts: its metadata and columns known, its rows still on disk.

    ``frames()`` hands the parts over in output order, one at a time (for
    :func:`clusterid.io.tables.write_frames`); ``close()`` removes the temporary tables."""

    def __init__(self, parts: list[_Part], meta: dict, columns: dict, folder):
        self.parts, self.meta, self._columns, self._folder = parts, meta, columns, folder

    @property
    def empty(self):
        """A frame of the output's columns and no row."""
        import polars as pl

        return pl.DataFrame(schema=self._columns)

    @property
    def suppressed_cells(self) -> int:
        return sum(p.suppressed for p in self.parts)

    def frames(self):
        """The rows in output order, in slices of :data:`SLICE_ROWS` (a spill's row groups):
        the writer takes the next one while it writes the last, so whole parts held ~2.9 GB
        at the write of three years of the county panel, where each file's ingest peaks at
        1.8 GB."""
        import polars as pl

        written = False
        for part in self.parts:
            if part.spill is None:
                continue
            for start in range(0, part.rows, SLICE_ROWS):
                df = pl.scan_parquet(part.spill, glob=False).slice(start, SLICE_ROWS).collect()
                if df.schema != self._columns:  # a file without a measure others have: null
                    df = pl.concat([self.empty, df], how="diagonal_relaxed").select(
                        list(self._columns))
                written = True
                yield df
                del df
        if not written:
            yield self.empty

    def close(self) -> None:
        _remove(self._folder)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def ingest_in_parts(files: list[str], options, on_file=None, on_split=None) -> PartedIngest:
    """Ingest ``files`` (from :func:`plan`) part by part, as described in the module's
    docstring.  ``on_file(i, n)`` is called as the i-th of n ingests starts (n: a joint
    ingest of files whose periods interleave).  ``on_split(years)`` is called when one large
    file is split by year (:func:`split_by_year`; not when the split falls back to the whole).

    Raises DataError with the problems of every part (``--on-error fail``), as the whole run
    does; nothing is written then."""
    one = to_split(files, options)
    if one is not None:
        return _ingest_split(one, options, on_file, on_split)
    return _ingest_files(files, options, on_file)


def to_split(files: list[str], options) -> str | None:
    """The one file of ``files`` to split by year before it is ingested (see the module's
    docstring), or None: one QCEW CSV (plain or gzip) above :data:`SPLIT_BYTES` of text whose
    header, on its first line, has a ``year`` column."""
    if len(files) != 1 or options is None:
        return None
    path = files[0]
    from clusterid.io.ingest import STDIN, _is_stream, is_archive, pick_adapter

    if path == STDIN or _is_stream(path) or not os.path.isfile(path) or is_archive(path):
        return None
    if estimated_bytes(path) < SPLIT_BYTES:
        return None
    from clusterid.io.readers import qcew
    from clusterid.io.readers.text import header_line

    try:
        if pick_adapter(path, options.format) != "qcew" or header_line(path)[0] != 1:
            return None
        header = qcew.read_header(path)
        if "year" not in header or _one_year(path, header.index("year")):
            return None
    except Exception:  # noqa: BLE001 - a file the reader refuses: said by the whole run
        return None
    return path


def _one_year(path: str, at: int) -> bool:
    """Whether a plain file's first and last rows are of one year (BLS's national single file
    of a year, 2.5 GB of text: no split, which would copy it to no use); False for a gzip file,
    whose end cannot be read without reading it all (the split then finds one year, and the
    file is read whole)."""
    with open(path, "rb") as fh:
        if fh.read(2) == b"\x1f\x8b":
            return False
        fh.seek(0)
        fh.readline()
        first = fh.readline()
        fh.seek(max(0, os.path.getsize(path) - 65536))
        last = fh.read().rstrip(b"\r\n").rsplit(b"\n", 1)[-1]

    year = _year_of(first.split(b",", at + 1), at)
    return year == _year_of(last.split(b",", at + 1), at) != b""


def _year_of(fields: list[bytes], at: int) -> bytes:
    """The year field of a line cut at its first ``at + 1`` commas, unquoted (b"" if none)."""
    return fields[at].strip().strip(b'"') if len(fields) > at else b""


def split_by_year(path: str, folder: str) -> list[tuple[str, Any]] | None:
    """``path``'s lines copied into a file per year in ``folder`` (the header first in each),
    in one streaming pass; ``[(file, original line of each of its data lines), ...]`` in year
    order, or None when a line has no year where the header puts it (a header again, a blank
    or cut line, a quoted field with a comma before the year): the file is then read whole,
    which says what is wrong with it."""
    import csv
    from array import array

    from clusterid.io.readers.text import open_maybe_gzip

    import gzip
    import zlib

    outs: dict[bytes, Any] = {}
    lines: dict[bytes, array] = {}
    try:
        with open_maybe_gzip(path) as fh:
            header = fh.readline()
            names = next(csv.reader([header.decode("utf-8-sig", errors="replace")]), [])
            names = [n.strip().strip('"').strip().lower() for n in names]
            if "year" not in names:
                return None
            at = names.index("year")
            if not header.endswith(b"\n"):
                header += b"\n"
            blank = False
            for number, raw in enumerate(fh, start=2):
                if not raw.strip():
                    # blank lines at the end (an editor's, a join's last newline): nothing to
                    # copy, as the whole run reads nothing in them; a blank line before more rows
                    # is one the split cannot follow
                    blank = True
                    continue
                if blank:
                    return None
                fields = raw.split(b",", at + 1)
                year = _year_of(fields, at)
                if len(year) != 4 or not year.isdigit() or not _whole_fields(fields, at):
                    return None
                out = outs.get(year)
                if out is None:
                    out = outs[year] = open(os.path.join(folder, f"{year.decode()}.csv"), "wb",
                                            buffering=1 << 20)
                    out.write(header)
                    lines[year] = array("L")
                out.write(raw if raw.endswith(b"\n") else raw + b"\n")
                lines[year].append(number)
    except (EOFError, zlib.error, gzip.BadGzipFile):
        # a gzip file cut short or damaged (its trailer then gives no size either): read
        # whole, whose reader says what is wrong on one line
        return None
    finally:
        for out in outs.values():
            out.close()
    return [(os.path.join(folder, f"{y.decode()}.csv"), lines[y]) for y in sorted(outs)]


def _whole_fields(fields: list[bytes], at: int) -> bool:
    """Whether the first ``at + 1`` of a line's pieces cut at commas are its first fields, the
    year's among them: each unquoted, or quoted whole with no quote or comma inside -- BLS's
    own files quote every text field (``"49000","0","10","50","0","2016","1",""``), which a
    test for any quote before the year refused, so its single files were never split."""
    for f in fields[:at + 1]:
        f = f.strip()
        if b'"' in f and not (len(f) >= 2 and f[:1] == f[-1:] == b'"' and b'"' not in f[1:-1]):
            return False
    return True


def _ingest_split(path: str, options, on_file=None, on_split=None) -> PartedIngest:
    """:func:`_ingest_files` of ``path`` split by year, with what it says of the year files
    said of ``path`` and its lines."""
    folder = _Folder("split")
    try:
        try:
            pieces = split_by_year(path, folder.name)
        except OSError as exc:  # a full disk: the temporary folder named, with the way out
            raise _no_room(exc, folder.name) from exc
        if pieces is None or len(pieces) < 2:  # one year, or no split: the file whole
            return _ingest_files([path], options, on_file)
        if on_split is not None:
            on_split([os.path.basename(p)[:-len(".csv")] for p, _ in pieces])
        where = _Lines(path, pieces)
        try:
            parted = _ingest_files([p for p, _ in pieces], options, on_file)
        except DataError as exc:
            # in the file's line order, each once, as the whole run lists them (the parts
            # listed a year after the other: with more than 20 problems, not the first 20)
            from clusterid.io.ingest import _distinct_problems

            raise DataError(problems=_distinct_problems(
                [where.problem(p) for p in exc.problems], [path])) from None
        except Exception as exc:  # noqa: BLE001 - a usage or file error naming a year file
            text = where.text(str(exc))
            if text == str(exc) or not _plain_exception(exc):
                raise
            raise type(exc)(text) from None
        try:
            parted.meta = where.metadata(parted.meta)
            if parted.meta.get("rejects_file") and options.rejects:
                where.rejects(options.rejects)
        except BaseException:
            parted.close()
            raise
        return parted
    finally:
        _remove(folder)  # the year files: the parts' tables are in the PartedIngest's folder


def _plain_exception(exc: Exception) -> bool:
    """Whether ``exc`` is made again from its message alone (clusterid's usage, input and
    output errors)."""
    from clusterid.errors import InputFileError, OutputError, UsageError

    return type(exc) in (UsageError, InputFileError, OutputError)


class _Lines:
    """What the ingest of the year files says, said of the file they were cut from."""

    def __init__(self, path: str, pieces):
        from clusterid.io.ingest import display_name

        self.path = path
        self.name = display_name(path)
        self.years = [os.path.basename(part)[:-len(".csv")] for part, _ in pieces]
        self.lines = {}
        for part, lines in pieces:
            self.lines[part] = lines
            self.lines[display_name(part)] = lines

    def line(self, part: str | None, line):
        lines = self.lines.get(part)
        if lines is None or line is None:
            return line
        line = int(line)
        return line if line < 2 or line - 2 >= len(lines) else int(lines[line - 2])

    def text(self, text: str) -> str:
        # a part's name, and its line where one follows it ('.../2017.csv:5'): the file's
        for part in sorted(self.lines, key=len, reverse=True):
            text = re.sub(re.escape(part) + r"(?::(\d+))?",
                          lambda m, part=part: self.name + (f":{self.line(part, m[1])}"
                                                            if m[1] else ""), text)
        return text

    def _in_text(self, part: str, text: str | None) -> str | None:
        # a line of the part named in a problem's words ('first seen on line 102', 'end of
        # file in line 7'): the file's own line
        if not text:
            return text
        return re.sub(r"\b((?:on|in) line )(\d+)",
                      lambda m: f"{m[1]}{self.line(part, m[2])}", text)

    def problem(self, p):
        if p.path in self.lines:
            return dataclasses.replace(p, path=self.name, line=self.line(p.path, p.line),
                                       hint=self._in_text(p.path, p.hint),
                                       found=self._in_text(p.path, p.found),
                                       expected=self._in_text(p.path, p.expected))
        if p.path is not None and re.fullmatch(r"(?:one of )?\d+ files", str(p.path)):
            # the parts together ('2 files', QCEW's 'one of 2 files'): the one file given
            return dataclasses.replace(p, path=self.name)
        return p

    def metadata(self, meta: dict) -> dict:
        import json

        from clusterid.io.ingest import sha256_of

        records = meta.get("inputs") or []
        adapter = next((r.get("adapter") for r in records if r.get("adapter")), None)
        readers = meta.get("readers") or {}
        first = next((readers[k] for k in readers if k in self.lines), None)
        rest = {k: v for k, v in readers.items() if k not in self.lines}
        meta = json.loads(self.text(json.dumps(
            {k: v for k, v in meta.items() if k not in ("inputs", "readers")})))
        meta["inputs"] = [{"path": self.name, "sha256": sha256_of(self.path), "adapter": adapter}]
        meta["readers"] = {**({self.name: first} if first is not None else {}), **rest}
        meta["notes"] = [re.sub(r"\b\d+ file\(s\)", "1 file(s)", n) for n in meta.get("notes") or []]
        meta["split_by_year"] = {"parts": len(self.years), "years": self.years,
                                 "why": f"one file of more than {SPLIT_BYTES // 10**9} GB of "
                                        "text, ingested a year at a time"}
        return meta

    def rejects(self, path: str) -> None:
        import polars as pl

        from clusterid.io.atomic import atomic_path

        rows = pl.read_csv(path, infer_schema_length=0, glob=False,
                           schema_overrides={"line": pl.Int64})
        if rows.height == 0 or "source" not in rows.columns:
            return
        sources = rows.get_column("source").to_list()
        numbers = rows.get_column("line").to_list() if "line" in rows.columns else [None] * len(sources)
        rows = rows.with_columns(
            pl.Series("source", [self.name if s in self.lines else s for s in sources],
                      dtype=pl.String),
            *([pl.Series("line", [self.line(s, n) for s, n in zip(sources, numbers)],
                         dtype=pl.Int64)] if "line" in rows.columns else []))
        # in the file's line order, as the whole run sorts them (the parts come a year after
        # the other)
        order = [c for c in ("line", "column", "reason") if c in rows.columns]
        rows = rows.sort(order, nulls_last=True, maintain_order=True)
        with atomic_path(path) as tmp:
            rows.write_csv(tmp)


def _ingest_files(files: list[str], options, on_file=None) -> PartedIngest:
    """:func:`ingest_in_parts` of files each ingested as it is."""
    import itertools

    from clusterid.io.ingest import _read_once

    files, repeated = _read_once(files)  # a glob and a file's own name: read once, said
    folder = _Folder("ingest")
    try:
        problems: list = []
        parts: list[_Part] = []
        batches = _batches(files, _read_together(files, options))
        n = len(batches)
        names = itertools.count()  # of the spills and rejects in the folder
        for i, batch in enumerate(batches):
            if on_file:
                on_file(i, n)
            part = _ingest_part(batch, options, folder.name, next(names), problems)
            if part is not None:
                parts.append(part)
        groups = _interleaved(parts)
        joined: list[_Part] = []
        for group in groups:
            if len(group) == 1:
                joined.append(group[0])
                continue
            # periods that interleave: the files are one part, ingested together
            for p in group:
                _drop_spill(p)
            files_of = [f for p in sorted(group, key=lambda p: files.index(p.files[0]))
                        for f in p.files]
            if on_file:
                on_file(n, n)
            part = _ingest_part(files_of, options, folder.name, next(names), problems)
            if part is not None:
                joined.append(part)
        if len(joined) > 1 and not problems and _names_to_merge(joined):
            # regions keyed by names spelt apart in two parts ('Almaty', 'ALMATY '): the
            # reader makes them one region when it reads their files together -- all of them
            for p in joined:
                _drop_spill(p)
            if on_file:
                on_file(n, n)
            part = _ingest_part(files, options, folder.name, next(names), problems)
            joined = [part] if part is not None else []
        if problems:
            from clusterid.io.ingest import _distinct_problems

            raise DataError(problems=_distinct_problems(problems, files))
        joined.sort(key=lambda p: (p.periods[0] if p.periods else "", files.index(p.files[0])))
        if not any(p.rows for p in joined):
            # an empty table would pass for a result downstream: said as the whole run says it
            raise DataError(problems=_no_rows(joined, options, files))
        _write_rejects(joined, options, files)
        meta, columns = _merged(joined, options, files, repeated)
        return PartedIngest(joined, meta, columns, folder)
    except BaseException:
        _remove(folder)
        raise


class _Folder:
    """A private temporary folder named as :func:`clusterid.io.atomic.temp_folder` names them
    (``clusterid-KIND-HOST-PID-...``), so the next run removes it when a run is killed outright
    (SIGKILL, the out-of-memory killer): the spills of a national panel are gigabytes."""

    def __init__(self, kind: str):
        from clusterid.io.atomic import temp_folder

        self.name = temp_folder(kind)

    def cleanup(self) -> None:
        import shutil

        shutil.rmtree(self.name, ignore_errors=True)


def _remove(folder) -> None:
    """Remove a temporary folder, all of it even when a signal (Ctrl-C, SIGTERM) stops the
    removal half-way (a Ctrl-C as a large input's parts were being removed left them in TMPDIR
    for good: the spills of a national panel, gigabytes).  The interruption goes on once they
    are gone."""
    import shutil

    try:
        folder.cleanup()
    except BaseException:
        shutil.rmtree(folder.name, ignore_errors=True)
        raise


def _no_rows(parts: list[_Part], options, files: list[str]) -> list:
    """The problems of an input none of whose parts kept a row, as the whole run words them:
    no row at the --region-level asked for (naming the levels the files have), every row
    rejected (with the first problems), or no data rows (with why they were dropped)."""
    from clusterid.errors import Problem
    from clusterid.io.ingest import _distinct_problems
    from clusterid.io.readers import levels

    where = f"{len(files)} files"
    dropped: dict[str, int] = {}
    for p in parts:
        for k, v in (p.meta.get("dropped") or {}).items():
            dropped[k] = dropped.get(k, 0) + int(v)
    rejected = sum(int(p.meta.get("rejected_rows") or 0) for p in parts)
    prefix = levels.REASON.format("")
    present = [k[len(prefix):] for k, n in dropped.items() if k.startswith(prefix) and n]
    if present and not rejected:
        # rows were read, none at the level asked for (a rejected row was at that level)
        return [levels.none_at_level(levels.selected(options.region_level), present, where)]
    if rejected:
        first = _distinct_problems([q for p in parts for q in p.problems], files)
        return [Problem("every data row was rejected, nothing left to write", path=None,
                        expected="at least one good row", found=f"{rejected} rejected rows"),
                *first[:19]]
    return [Problem("no data rows" + (" left" if dropped else ""), path=where,
                    expected="at least one row of data",
                    found=(", ".join(f"{n} {reason}" for reason, n in sorted(dropped.items()))
                           if dropped else "a header only"))]


def _batches(files: list[str], units: list[list[str]] | None = None) -> list[list[str]]:
    """The files in the order given, in batches of up to :data:`PART_BYTES` of text (a larger
    file a batch of its own): a year's thousands of BLS by-area files (~0.15 MB each) are
    ingested a few batches at a time, not one ingest a file.  ``units``: files never cut
    apart (:func:`_read_together`), each placed where its first file is; a batch's files in
    the order given."""
    order = {f: i for i, f in enumerate(files)}
    batches: list[list[str]] = []
    size = 0
    for unit in units if units is not None else [[f] for f in files]:
        b = sum(estimated_bytes(f) for f in unit)
        if batches and size + b <= PART_BYTES:
            batches[-1].extend(unit)
            size += b
        else:
            batches.append(list(unit))
            size = b
    return [sorted(batch, key=order.__getitem__) for batch in batches]


def _read_together(files: list[str], options) -> list[list[str]]:
    """The files in units that one ingest must read together, in the order of their first
    files: each file alone, but QCEW quarterly files read as annual averages (``--month
    annual``, detect's default), whose year's four quarters must be in one ingest -- the
    quarterly files of a year (2016.q1-q1 ... 2016.q4-q4) one unit, found from their year
    columns."""
    import polars as pl

    units = {f: [f] for f in files}
    if str(options.month).strip().lower() != "annual":
        return list(units.values())
    from clusterid.io.readers import qcew

    heads = qcew_headers(files, options) or {}
    by_year: dict[str, str] = {}  # year -> the first file holding it
    for f, (layout, _cols) in heads.items():
        if layout != qcew.QUARTERLY:
            continue
        try:
            _, raw, _ = qcew._raw_frame([f])
            years = raw.select(pl.col("year").str.strip_chars().unique()).collect().to_series()
        except Exception:  # noqa: BLE001 - a file its part's ingest refuses, saying why
            continue
        for year in sorted(years.drop_nulls().to_list()):
            first = by_year.setdefault(year, f)
            if units[first] is not units[f]:  # merge f's unit into the year's
                merged = units[first] + [g for g in units[f] if g not in units[first]]
                for g in merged:
                    units[g] = merged
    seen: set[int] = set()
    out = []
    for f in files:
        if id(units[f]) not in seen:
            seen.add(id(units[f]))
            out.append(units[f])
    return out


def _ingest_part(files, options, folder: str, k: int, problems: list) -> _Part | None:
    """One part ingested and spilled; its problems added to ``problems`` (None then)."""
    import polars as pl

    from clusterid.io.ingest import ingest

    part = _Part(files=list(files))
    if options.rejects is not None:
        part.rejects = os.path.join(folder, f"rejects-{k}.csv")
    try:
        df, meta = ingest(list(files), dataclasses.replace(options, rejects=part.rejects),
                          _part=True)
    except DataError as exc:
        problems.extend(exc.problems or [])
        if not exc.problems:
            raise
        return None
    from clusterid.io.ingest import PART_PROBLEMS, status_counts, suppressed_cells_of

    part.problems = meta.pop(PART_PROBLEMS, [])
    part.meta = meta
    part.rows = df.height
    part.periods = sorted(df.get_column(schema.PERIOD).unique().drop_nulls().to_list())
    if (schema.REGION_NAME in df.columns
            and df.get_column(schema.REGION_NAME).null_count() < df.height):
        # the distinct (region, period, name): a code named two ways in two parts (one year's
        # files and the next's) is found on them (_names_across_parts), as the whole run finds
        # it on its rows.  The part is in key order, a region's rows together: the rows where
        # one of the three changes hold every distinct triple, a few thousand of a million,
        # and the (region, period) pairs come from those.  (A group-by of the three with row
        # counts cost ~0.12 s of CPU more a 1.2 M-row part than the pairs' unique alone; this
        # ~0.04 s less.)
        key = [schema.REGION, schema.PERIOD, schema.REGION_NAME]
        changed = pl.any_horizontal(pl.col(c).ne_missing(pl.col(c).shift(1)) for c in key)
        part.names = (df.select(key).filter(changed | (pl.int_range(pl.len()) == 0)).unique())
        part.pairs = part.names.select(schema.REGION, schema.PERIOD).unique()
    else:
        part.pairs = df.select(schema.REGION, schema.PERIOD).unique()
    if (schema.INDUSTRY_NAME in df.columns
            and df.get_column(schema.INDUSTRY_NAME).null_count() < df.height):
        # (an industry's rows are apart, one a region: the distinct triples of every row, ~0.015
        # s of CPU a 127 k-row part of Utah's QCEW area files)
        part.titles = df.select(schema.INDUSTRY, schema.PERIOD, schema.INDUSTRY_NAME).unique()
    for m in schema.measures_in(df.columns):
        status = df.get_column(schema.status_col(m))
        part.not_reported[m] = int((status != schema.REPORTED).sum())
    part.statuses = status_counts(df)
    part.suppressed = suppressed_cells_of(df)
    if df.height:
        part.spill = os.path.join(folder, f"part-{k}.parquet")
        try:
            df.write_parquet(part.spill, compression="lz4", statistics=False,
                             row_group_size=SLICE_ROWS)
        except Exception as exc:  # noqa: BLE001 - polars says a full disk as a ComputeError
            raise _no_room(exc, folder) from exc
    return part


def _no_room(exc: Exception, folder: str) -> Exception:
    """A failed write of a temporary table as the user can act on it: the temporary folder
    named, with the way out (TMPDIR), where polars said 'internal error: ComputeError: parquet:
    ... (os error 28)'; ``exc`` itself when it is no failure of the file system."""
    import errno

    from clusterid.errors import OutputError
    from clusterid.io.atomic import writer_os_error

    if isinstance(exc, OutputError):  # the atomic writer's 'PATH: cannot write output: WHY'
        why = str(exc).rsplit("cannot write output: ", 1)[-1]
    else:
        err = exc if isinstance(exc, OSError) else writer_os_error(exc, folder)
        if err is None:
            return exc
        why = {errno.ENOSPC: "the disk is full", errno.EFBIG: "a file larger than allowed",
               errno.EDQUOT: "the disk quota is used up"}.get(err.errno, err.strerror or str(err))
    return OutputError(f"{os.path.dirname(folder)}: cannot write the temporary tables of a large "
                       f"input ingested in parts: {why}; set TMPDIR to a folder with room for "
                       "them (about the size of the output as Parquet)")


def _names_to_merge(parts: list[_Part]) -> bool:
    """Whether a table keys its regions by their names (no code column) and two regions of
    the parts differ only in case or spaces: the generic reader merges such spellings across
    the files it reads together (:func:`clusterid.io.readers.generic._merge_name_spellings`),
    which files read in different parts escape."""
    import polars as pl

    if not any(isinstance(d, dict) and d.get("region_key") == "names"
               for p in parts for d in (p.meta.get("readers") or {}).values()):
        return False
    regions = pl.concat([p.pairs.select(schema.REGION) for p in parts if p.pairs is not None])
    regions = regions.unique().get_column(schema.REGION).drop_nulls()
    folded = regions.str.replace_all(r"\s+", " ").str.strip_chars().str.to_lowercase()
    return folded.n_unique() < regions.len()


def _drop_spill(part: _Part) -> None:
    for path in (part.spill, part.rejects):
        if path:
            with contextlib.suppress(OSError):
                os.unlink(path)


def _interleaved(parts: list[_Part]) -> list[list[_Part]]:
    """The parts grouped where their period ranges (as text: the canonical order) overlap;
    a part without rows is a group of its own."""
    ranged = sorted((p for p in parts if p.periods), key=lambda p: p.periods[0])
    groups: list[list[_Part]] = []
    top = None
    for p in ranged:
        if groups and p.periods[0] <= top:
            groups[-1].append(p)
            top = max(top, p.periods[-1])
        else:
            groups.append([p])
            top = p.periods[-1]
    return groups + [[p] for p in parts if not p.periods]


def _write_rejects(parts: list[_Part], options, files: list[str]) -> None:
    """The parts' rejected rows, files in the order given, into the one rejects file: each
    part's file after the other's, or -- where a part's files are not next to each other
    among those given (files of interleaving periods ingested together, a year's quarters) --
    all sorted again as the whole run sorts them (file as given, line, column, reason)."""
    written = [p for p in sorted(parts, key=lambda p: files.index(p.files[0]))
               if p.rejects and os.path.exists(p.rejects)]
    if not written:
        return
    from clusterid.io.atomic import atomic_path

    places = [files.index(f) for p in sorted(parts, key=lambda p: files.index(p.files[0]))
              for f in p.files]
    if places != sorted(places):
        import polars as pl

        from clusterid.io.ingest import given_order

        rows = pl.concat([pl.read_csv(p.rejects, infer_schema_length=0, glob=False,
                                      schema_overrides={"line": pl.Int64}) for p in written])
        rows = (rows.with_columns(pl.col("source").replace_strict(
                    given_order(files), default=len(files), return_dtype=pl.Int64).alias("_given"))
                .sort(["_given", "source", "line", "column", "reason"], nulls_last=True,
                      maintain_order=True)
                .drop("_given"))
        with atomic_path(options.rejects) as tmp:
            rows.write_csv(tmp)
        return
    with atomic_path(options.rejects) as tmp, open(tmp, "wb") as out:
        for i, p in enumerate(written):
            with open(p.rejects, "rb") as fh:
                header = fh.readline()
                if i == 0:
                    out.write(header)
                while chunk := fh.read(1 << 20):
                    out.write(chunk)


# the counts of a note or warning each part says of its own rows or files, summed: 'QCEW
# quarterly layout, 2 file(s)', '--level 2: built 0 parent rows from their children, 23030
# finer rows rolled up', '--level 2: 12 parent rows built from their children, which ...'
_COUNTED = re.compile(r"\b\d+(?= file\(s\))|(?<=: built )\d+(?= parent rows from their)"
                      r"|(?<=, )\d+(?= finer rows rolled up)"
                      r"|(?<=^--level \d: )\d+(?= parent rows built from their children)")


def _summed(texts: list[str]) -> list[str]:
    """``texts`` (the parts' notes or warnings, in order) each once, those that differ only in
    the counts :data:`_COUNTED` finds made one, their counts summed."""
    out: list = []
    sums: dict[tuple, list[int]] = {}
    for text in texts:
        counts = [int(n) for n in _COUNTED.findall(text)]
        if not counts:
            if text not in out:
                out.append(text)
            continue
        key = tuple(_COUNTED.split(text))
        if key not in sums:
            out.append(key)
            sums[key] = [0] * len(counts)
        sums[key] = [a + b for a, b in zip(sums[key], counts)]
    return ["".join(piece + (str(n) if i < len(sums[t]) else "")
                    for i, (piece, n) in enumerate(zip(t, [*sums[t], 0])))
            if isinstance(t, tuple) else t for t in out]


# a part's line for the industry codes it saw retitled between its periods (core.validate.
# names_said): said again, for the whole input, by _names_across_parts
_RETITLED = re.compile(r"\d+ industry codes? (are|is) named differently in different periods")


def _names_across_parts(parts: list[_Part], what: str = "region",
                        limit: int = 5) -> tuple[list[str], set]:
    """The warnings for a region code (``what`` "region") or an industry code ("industry")
    named two ways where the names are in different parts (``parts`` in the order of their
    files), in :func:`clusterid.core.validate.several_names`' words, each name's files in
    place of its first line (the parts keep no line numbers): each part said only its own
    codes, so a code named 'Beaver County' in one year's file and 'Box Elder County' in
    another's, which the whole run warns of, went unsaid.  Names differing in case or blanks
    are one name.

    Industries retitled between periods are one line for them all (QCEW revises titles
    between years): where one is retitled across parts, that line counts every code the
    input retitled, a part's own ones too, and stands for the parts' lines of them.
    Returns the lines and the codes they speak of."""
    import polars as pl

    from clusterid.core.validate import names_said
    from clusterid.io.ingest import display_name

    key, name = ((schema.REGION, schema.REGION_NAME) if what == "region"
                 else (schema.INDUSTRY, schema.INDUSTRY_NAME))
    held = [p.names if what == "region" else p.titles for p in parts]
    frames = [h.select(pl.col(key).cast(pl.String), pl.col(schema.PERIOD).cast(pl.String),
                       pl.col(name).cast(pl.String), pl.lit(i, pl.Int32).alias("_part"))
              for i, h in enumerate(held) if h is not None and h.height]
    if len(frames) < 2:
        return [], set()
    folded = (pl.col(name).str.strip_chars().str.replace_all(r"\s+", " ")
              .str.to_lowercase())
    rows = pl.concat(frames).with_columns(folded.alias("_folded")).filter(
        pl.col("_folded").is_not_null() & (pl.col("_folded") != ""))
    found = (rows.group_by(key)
             .agg(pl.col("_folded").n_unique().alias("_n"), pl.col("_part").n_unique().alias("_np"))
             .filter(pl.col("_n") > 1))
    if what == "industry":
        clashing = (rows.group_by(key, schema.PERIOD).agg(pl.col("_folded").n_unique() > 1)
                    .filter("_folded").get_column(key).unique().implode())
        apart = ~pl.col(key).is_in(clashing)
        if found.filter(apart & (pl.col("_np") > 1)).height:
            found = found.filter(apart | (pl.col("_np") > 1))
        else:
            found = found.filter(pl.col("_np") > 1)
    else:
        found = found.filter(pl.col("_np") > 1)
    codes_ = found.get_column(key).sort()
    if codes_.len() == 0:
        return [], set()
    # the rows of each (part, code, period, name), counted in the parts' tables for the codes
    # found alone (a rare wrong join: no count of every code's rows kept on the way)
    counted = pl.concat([
        pl.scan_parquet(p.spill, glob=False)
        .filter(pl.col(key).cast(pl.String).is_in(codes_.implode()))
        .group_by(pl.col(key).cast(pl.String), pl.col(schema.PERIOD).cast(pl.String),
                  pl.col(name).cast(pl.String)).len()
        .with_columns(pl.lit(i, pl.Int32).alias("_part")).collect()
        for i, (p, h) in enumerate(zip(parts, held)) if h is not None and p.spill])
    rows = rows.join(counted.rename({"len": "_rows"}), how="left", nulls_equal=True,
                     on=[key, schema.PERIOD, name, "_part"])
    spelled = (rows.filter(pl.col(key).is_in(codes_.implode()))
               .sort("_part", schema.PERIOD, name)
               .group_by(key, "_folded", maintain_order=True)
               .agg(pl.col(name).first().alias("_name"), pl.col("_rows").sum(),
                    pl.col(schema.PERIOD).unique().sort().alias("_periods"),
                    pl.col("_part").unique().sort().alias("_parts"))
               .sort(key, pl.col("_parts").list.first(), "_name"))

    def where(r) -> str:
        shown = [display_name(f) for i in r["_parts"] for f in parts[i].files]
        return ", in " + ", ".join(shown[:2]) + (" ..." if len(shown) > 2 else "")

    return names_said(spelled, key, what, where, limit), set(codes_.to_list())


def _merged(parts: list[_Part], options, files: list[str],
            repeated: list[str] = ()) -> tuple[dict, dict]:
    """The whole input's metadata and output columns from the parts'."""
    import polars as pl

    from clusterid.core.validate import coverage_warnings
    from clusterid.io.ingest import display_name, given_order, status_shares
    from clusterid.io.tables import base_metadata

    in_order = sorted(parts, key=lambda p: files.index(p.files[0]))
    metas = [p.meta for p in in_order]
    rows = sum(p.rows for p in parts)
    dropped: dict[str, int] = {}
    for m in metas:
        for k, v in (m.get("dropped") or {}).items():
            dropped[k] = dropped.get(k, 0) + int(v)
    measures = [m for m in schema.MEASURES if any(m in p.not_reported for p in parts)]
    warnings = _summed([w for m in metas for w in m.get("warnings") or []])
    for what in ("region", "industry"):
        across, said = _names_across_parts(in_order, what)
        if across:
            # (a part's own line for a code said across the parts again is left out: one line
            # a code; its line of retitled industries too where the parts' line counts them)
            retitled = any(_RETITLED.match(w) for w in across)
            warnings = [w for w in warnings
                        if not any(w.startswith(f"{what} {c} has ") for c in said)
                        and not (retitled and _RETITLED.match(w))]
            warnings.extend(across)
    notes = _summed([n for m in metas for n in m.get("notes") or []])
    readers: dict = {}
    for m in metas:
        readers.update(m.get("readers") or {})
    # the files as given (a part of interleaving files holds files given after another's)
    given = given_order(files)
    inputs = sorted((record for m in metas for record in m.get("inputs") or []),
                    key=lambda r: given.get(str(r.get("path")), len(files)))
    pairs = [p.pairs for p in parts if p.pairs is not None and p.pairs.height]
    if pairs:
        warnings.extend(coverage_warnings(pl.concat(pairs).unique()))
    rejected = sum(int(m.get("rejected_rows") or 0) for m in metas)
    meta = base_metadata(
        "canonical",
        inputs=inputs,
        adapters=sorted({a for m in metas for a in m.get("adapters") or []}),
        options=options.describe(),
        rows_read=sum(int(m.get("rows_read") or 0) for m in metas),
        rows_kept=rows,
        dropped=dict(sorted(dropped.items())),
        rejected_rows=rejected,
        rejects_file=options.rejects if rejected and options.rejects else None,
        **status_shares({m: tuple(sum(p.statuses.get(m, (0, 0, 0))[i] for p in parts) for i in range(3))
                         for m in measures}, rows),
        warnings=[*(f"{display_name(f)} given more than once (a glob and its name?): read once"
                    for f in repeated), *warnings],
        notes=notes,
        readers=readers,
        computed_in_parts=len([p for p in parts if p.spill]),
    )
    columns: dict = {}
    for p in parts:
        if p.spill:
            for name, dtype in pl.scan_parquet(p.spill, glob=False).collect_schema().items():
                columns.setdefault(name, dtype)
    order = schema.column_order(measures)
    columns = {c: columns[c] for c in order if c in columns} | {
        c: t for c, t in columns.items() if c not in order}
    return meta, columns


_SCANNED: list = []  # the temporary tables of ingest_to_scan, removed when the process ends


def ingest_to_scan(files: list[str], options):
    """``(LazyFrame, metadata)`` of ``files`` ingested in parts into a temporary canonical
    Parquet table, for a command reading a large raw glob (``lq 'qcew/*.csv'``): the table is
    scanned lazily, so lq computes it in parts and ``detect --period`` reads its periods only.
    The table is removed when the process ends."""
    import atexit

    import polars as pl

    from clusterid.errors import OutputError
    from clusterid.io.tables import write_frames

    folder = _Folder("input")
    if not _SCANNED:
        atexit.register(lambda: [_remove(f) for f in _SCANNED])
    _SCANNED.append(folder)
    path = os.path.join(folder.name, "canonical.parquet")
    with ingest_in_parts(files, options) as parted:
        try:
            write_frames(parted.frames(), path, parted.meta, "parquet")
        except OutputError as exc:  # said of the temporary table: the folder and TMPDIR said
            raise _no_room(exc, folder.name) from exc
        meta = parted.meta
    return pl.scan_parquet(path, glob=False), meta
