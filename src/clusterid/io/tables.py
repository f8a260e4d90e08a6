"""Reading and writing clusterid's own tables (canonical table, LQ tables, cluster tables).

Formats: Parquet (default; provenance in the file's key-value metadata under ``clusterid``) and
CSV (by ``.csv`` extension, ``fmt="csv"``, or ``-`` for stdout; provenance in a sidecar
``<file>.meta.json``).  Writes are atomic (see :mod:`clusterid.io.atomic`) and deterministic:
the same frame and metadata give byte-identical files.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from clusterid import __version__, schema
from clusterid.errors import DataError, InputFileError, Problem, UsageError
from clusterid.core.rounding import round_significant
from clusterid.io.atomic import atomic_path, write_text_atomic, writer_os_error

STDIO = "-"
PARQUET_MAGIC = b"PAR1"
# Snappy (Parquet's most widely read codec: pyarrow's and Spark's default, polars, DuckDB): on
# a 4.8 M-row canonical table as fast as LZ4 and smaller (31 MB against 32 MB; zstd level 3:
# 20 MB for ~1.5 s more CPU); on a 3 M-row LQ table of floats, which no codec shrinks much,
# ~0.1 s faster than LZ4 to write (0.65 against 0.78 s wall, idle machine), 158 MB against 151.
# Writing is on the critical path of every command; the files are intermediate.
PARQUET_COMPRESSION = "snappy"
# Rows per Parquet row group, fixed: left to polars, the row groups followed the frame's chunks,
# which follow the reader's threads (a canonical table of one row group read on 1, 2 or 4
# threads gave three different LQ files).  With a fixed size the bytes depend on the data only.
PARQUET_ROW_GROUP = 2**16
DATA_SHA256 = "data_sha256"  # CSV sidecars: the checksum of the data file they describe
# CSV text carries doubles at 15 significant digits: every decimal of that many digits survives
# the trip to a double and back (DBL_DIG), so the digits past it are only arithmetic's noise
# (0.1 + 0.2 printing 0.30000000000000004, a 7-digit rounding printing 1.6527639999999998e-26)
CSV_SIGNIFICANT_DIGITS = 15


def output_format(path: str, fmt: str | None = None, writable: bool = True) -> str:
    """'parquet' or 'csv' from an explicit choice or the file's extension.  Commands call it
    before their work, so an output that cannot be written is said at once: a folder too, and
    (``writable``) a folder that cannot be written."""
    if path != STDIO:  # empty, a folder, a device: said before the work, not after it
        from clusterid.io.atomic import check_target

        check_target(path, writable=writable)
    fmt = fmt.strip().lower() if isinstance(fmt, str) else fmt  # --output-format CSV, Parquet
    if fmt and fmt != "auto":
        if fmt not in ("parquet", "csv"):
            raise UsageError(f"unknown output format {fmt!r}; expected 'parquet' or 'csv'")
        if path == STDIO and fmt != "csv":
            raise UsageError(f"-o - writes CSV to stdout; --output-format {fmt} needs a file "
                             "(-o FILE.parquet)")
        return fmt
    if path == STDIO:
        return "csv"
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] in (".gz", ".zip", ".bz2", ".xz"):
        # neither is written compressed: a Parquet file named .csv.gz misleads every reader
        raise UsageError(f"{path}: cannot write a compressed {suffixes[-1]} file; use .parquet "
                         "(compressed) or .csv")
    if suffixes and suffixes[-1] in (".csv", ".txt"):
        return "csv"
    if suffixes and suffixes[-1] in (".parquet", ".pq"):
        return "parquet"
    if suffixes and suffixes[-1] in (".tsv", ".xlsx", ".xls", ".xlsb", ".xlsm", ".ods", ".json",
                                     ".html", ".xml"):
        raise UsageError(f"{path}: cannot write {suffixes[-1]}; use .parquet or .csv")
    return "parquet"


def sidecar_path(path: str | Path) -> Path:
    return Path(str(path) + ".meta.json")


def _json_dumps(meta: dict[str, Any]) -> str:
    return json.dumps(meta, sort_keys=True, indent=1, ensure_ascii=False, default=str)


def base_metadata(kind: str, **extra: Any) -> dict[str, Any]:
    """Metadata every output carries: what it is, the schema and tool versions."""
    meta = {"kind": kind, "schema_version": schema.SCHEMA_VERSION, "tool": "clusterid",
            "tool_version": __version__}
    meta.update(extra)
    return meta


def write_frame(df, path: str, metadata: dict[str, Any], fmt: str | None = None,
                rounded: tuple[str, ...] = ()) -> None:
    """Write a polars DataFrame atomically as Parquet or CSV with its metadata.

    ``-`` writes CSV to stdout (metadata is not written: stdout carries data only).
    ``rounded``: float columns the caller has already rounded for text (fewer significant
    digits than :data:`CSV_SIGNIFICANT_DIGITS`, by :func:`round_significant`): a CSV prints
    them as they are.
    """
    kind = output_format(path, fmt)
    _refuse_overwriting_an_input(path, metadata)
    if kind == "csv" or path == STDIO:
        # a column of lists or records (kept from an input table with one, as impute keeps
        # the input's columns): polars' CSV writer failed with "internal error: ComputeError:
        # CSV format does not support nested data", exit 2 and no word of the column
        nested = [c for c, t in df.schema.items() if t.is_nested()]
        if nested:
            raise UsageError(
                f"{path}: column{'s' if len(nested) > 1 else ''} {', '.join(map(repr, nested))} "
                f"of the input hold{'' if len(nested) > 1 else 's'} lists or records, which a "
                "CSV cannot hold; write Parquet (-o FILE.parquet), or drop "
                f"{'them' if len(nested) > 1 else 'it'} from the input")
    # a canonical table is data the next stage reads (``ingest -o - | lq -`` equals the
    # pipeline): written exactly, as the shortest text that reads back to the same double;
    # result tables (LQs, indices, shift-share) are for reading: no digits past a double's
    rounded_text = kind == "csv" and metadata.get("kind") != "canonical"
    if rounded_text:
        df = csv_ready(df, skip=rounded)
    if path == STDIO:
        from clusterid.io.atomic import check_inputs_unchanged

        check_inputs_unchanged()  # (as atomic_path does before it renames a file into place)
        _csv_to_stdout(df)
        sys.stdout.buffer.flush()
        return
    if kind == "csv":
        write_with_sidecar(path, df.write_csv, metadata, _csv_digits(rounded_text))
        return
    # polars' own writer: no Arrow copy of the table (pyarrow's write_table needed one, +50 %
    # memory on a 5 M-row ingest) and parallel compression.  The provenance goes in the
    # file's key-value metadata (pyarrow: ``pq.read_metadata(path).metadata[b"clusterid"]``);
    # neither writing nor reading it imports pyarrow (~0.25 s of every command's start-up).
    kv = {schema.METADATA_KEY.decode(): _json_dumps(metadata)}
    kv.update(_as_text_schema(df))
    with _parquet_target(path) as tmp:
        df.write_parquet(tmp, **_PARQUET_OPTIONS, metadata=kv)


def _as_text_schema(df) -> dict[str, str]:
    """For a frame with Enum or Categorical columns (text a command made from integer codes,
    e.g. lq's keys: see ``core.lq._coded_text``), the file's Arrow schema (``ARROW:schema``) of
    the same frame with those columns as text, to write in place of polars' own; else nothing.

    Parquet has no categorical type: such a column is written as text (a String column whose
    pages are dictionary-encoded, as polars writes any text column), and only the Arrow schema
    beside it tells a reader to make a categorical of it (polars an Enum, pandas a
    ``category``, pyarrow a dictionary array).  With the text schema every reader gets the
    text, exactly as if the column had been written as text; the writer is spared hashing
    every row's text for the dictionary (3 M cells: ~0.07 s of CPU a column).
    """
    import polars as pl

    coded = [c for c, t in df.schema.items() if isinstance(t, (pl.Enum, pl.Categorical))]
    if not coded:
        return {}
    buf = io.BytesIO()
    df.head(0).with_columns(pl.col(coded).cast(pl.String)).write_parquet(buf)
    buf.seek(0)
    return {"ARROW:schema": pl.read_parquet_metadata(buf)["ARROW:schema"]}


# how every Parquet table is written (write_frame whole, write_frames in parts: the same bytes)
_PARQUET_OPTIONS = {"compression": PARQUET_COMPRESSION, "statistics": True,
                    "row_group_size": PARQUET_ROW_GROUP}


@contextlib.contextmanager
def _parquet_target(path: str):
    """:func:`atomic_path` for polars' Parquet writer, whose failure to write (a full disk)
    comes as a ComputeError: an internal error, or (a Parquet input read before) that input
    taken for corrupt, exit 1; as the OSError it is, atomic_path says what it is, exit 2."""
    import polars as pl

    with atomic_path(path) as tmp:
        try:
            yield tmp
        except pl.exceptions.ComputeError as exc:
            cause = writer_os_error(exc, tmp.parent)
            if cause is None:
                raise
            raise cause from exc


def _csv_to_stdout(df, include_header: bool = True) -> None:
    """``df`` as CSV on stdout, through a buffer and Python's write: polars' own write to a
    closed pipe (``| head``) raises a plain OSError, where Python's raises the BrokenPipeError
    the entry point takes for the reader's leaving."""
    buf = io.BytesIO()
    df.write_csv(buf, include_header=include_header)
    sys.stdout.buffer.write(buf.getvalue())


def _csv_digits(rounded_text: bool) -> dict[str, Any]:
    """What a CSV's sidecar says of its float digits (a result table's; none of a canonical
    table's, written exactly)."""
    return {"csv_float_digits": CSV_SIGNIFICANT_DIGITS} if rounded_text else {}


def write_frames(frames, path: str, metadata: dict[str, Any], fmt: str | None = None,
                 rounded: tuple[str, ...] = ()) -> int:
    """Write a table handed over in parts -- an iterator of polars DataFrames of one schema, in
    the table's row order -- as :func:`write_frame` writes it whole: the same bytes for the same
    rows (Parquet's row groups are cut every :data:`PARQUET_ROW_GROUP` rows whatever the parts'
    sizes), atomically, each part let go once written, so memory holds about one.

    ``metadata`` is read once the last part is written: the caller may complete it while the
    parts are made (a sum over them).  At least one part (it may have no rows) gives the
    columns.  Returns the number of rows written.
    """
    kind = output_format(path, fmt)
    _refuse_overwriting_an_input(path, metadata)
    parts = iter(frames)
    first = next(parts, None)
    if first is None:
        raise ValueError("write_frames: no part to write")
    rounded_text = kind == "csv" and metadata.get("kind") != "canonical"
    rows = [0]
    pending = [first]

    def one_by_one():
        # the generator's own reference to a part is dropped before the next one is made
        while pending:
            part = pending.pop()
            if part.schema != columns:
                # a part of other columns than the first's: polars' sink wrote a Parquet file
                # that panics when read, and the CSV got rows of another width (exit 0)
                raise ValueError(f"write_frames: a part's columns {part.columns} differ from "
                                 f"the first part's {list(columns)}")
            rows[0] += part.height
            yield csv_ready(part, skip=rounded) if rounded_text else part
            del part
            nxt = next(parts, None)
            if nxt is not None:
                pending.append(nxt)
                del nxt

    columns = first.schema
    del first
    if path == STDIO:
        from clusterid.io.atomic import check_inputs_unchanged

        for i, part in enumerate(one_by_one()):
            check_inputs_unchanged()  # (each part read from the inputs before it is written)
            _csv_to_stdout(part, include_header=i == 0)
            del part
        sys.stdout.buffer.flush()
        return rows[0]
    if kind == "csv":
        def write(sink) -> None:
            for i, part in enumerate(one_by_one()):
                part.write_csv(sink, include_header=i == 0)

        write_with_sidecar(path, write, metadata, _csv_digits(rounded_text))
        return rows[0]
    from polars.io.plugins import register_io_source

    source = one_by_one()

    def read(with_columns, predicate, n_rows, batch_size):  # noqa: ARG001 - polars' contract
        yield from source

    with _parquet_target(path) as tmp:
        # polars' own writer as write_frame's (DataFrame.write_parquet sinks the same way);
        # the metadata is asked for after the last part
        register_io_source(read, schema=columns).sink_parquet(
            tmp, **_PARQUET_OPTIONS,
            metadata=lambda _context: {schema.METADATA_KEY.decode(): _json_dumps(metadata)})
    return rows[0]


def write_with_sidecar(path: str, write, metadata: dict[str, Any],
                       extra: dict[str, Any] | None = None) -> None:
    """A text output (CSV) and its ``.meta.json`` sidecar, both atomic: ``write(sink)`` writes
    the data to a binary file object; the sidecar carries ``metadata`` (read once the data is
    written: a caller writing in parts completes it meanwhile), ``extra`` and the data's sha256,
    taken from the bytes on their way to the file (reading a 0.5 GB LQ table back to hash it
    took ~0.5 s).  Two files cannot be renamed at once: the sidecar goes first, so a run
    killed between the renames leaves a pair :func:`read_metadata` rejects."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            sink = _HashingWriter(fh)
            write(sink)
        side = {**metadata, **(extra or {}), DATA_SHA256: sink.hexdigest()}
        write_text_atomic(sidecar_path(path), _json_dumps(side) + "\n")


class _HashingWriter:
    """A binary file object that passes what is written on to ``fh`` and hashes it (sha256)."""

    def __init__(self, fh) -> None:
        import hashlib

        self._fh = fh
        self._hash = hashlib.sha256()

    def write(self, data) -> int:
        self._hash.update(data)
        return self._fh.write(data)

    def flush(self) -> None:
        self._fh.flush()

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def csv_ready(df, skip: tuple[str, ...] = ()):
    """``df`` with its Float64 columns at :data:`CSV_SIGNIFICANT_DIGITS` (see
    :func:`round_significant`); nulls stay null, other columns (and those in ``skip``, rounded
    to fewer digits already) are untouched."""
    import polars as pl

    floats = [c for c, t in df.schema.items() if t == pl.Float64 and c not in skip]
    return _round_columns(df, floats, round_significant)


READING_DECIMALS = 6  # detect's and stats' CSV tables, for people


def reading_ready(df, decimals: int = READING_DECIMALS):
    """``df`` with its float columns rounded for a table people read (detect's and stats' CSV
    outputs): ``decimals`` decimal places, but a value below 10**-3 in magnitude to ``decimals``
    significant digits, so a small share or p-value keeps its digits instead of printing as
    0.000000, and the CSV writer's shortest text (no fixed width) prints a huge value as
    7e+179, not 180 digits.  Values of 10**9 and more, whole numbers, NaN and nulls are left
    as they are."""
    import numpy as np
    import polars as pl

    def for_reading(v):
        size = np.abs(v)
        with np.errstate(invalid="ignore"):
            small = (size < 1e-3) & (size > 0)
            fixed = (size >= 1e-3) & (size < 1e9)
        out = v.copy()
        out[fixed] = np.round(v[fixed], decimals)
        if small.any():
            out[small] = round_significant(v[small], decimals)
        return out

    floats = [c for c, t in df.schema.items() if t in (pl.Float64, pl.Float32)]
    return _round_columns(df, floats, for_reading)


def _round_columns(df, columns: list[str], rounder):
    """``df`` with each of its float ``columns`` replaced by ``rounder(values)`` (a float64
    array in, one out), except a column of whole numbers (counts and totals print exactly as
    they are; ~0.35 s of CPU a column saved); nulls stay null."""
    import polars as pl

    if not columns or not df.height:
        return df
    rounded = {}
    for c in columns:
        col = df.get_column(c)
        values = col.cast(pl.Float64).to_numpy()  # nulls come out as NaN
        if _whole_numbers(values):
            continue
        out = pl.Series(c, rounder(values), dtype=pl.Float64)
        nulls = col.is_null()
        rounded[c] = out.scatter(nulls.arg_true(), None) if nulls.any() else out
    if not rounded:
        return df
    # the columns put back in place, not with_columns: that first copies every column of a
    # frame held in chunks (an LQ table) into one chunk each
    return pl.DataFrame([rounded.get(c, df.get_column(c)) for c in df.columns])


def _whole_numbers(values) -> bool:
    """Every finite value an integer below 10**CSV_SIGNIFICANT_DIGITS in magnitude: its
    shortest text has no more digits than that already, so rounding would change nothing."""
    import numpy as np

    finite = values[np.isfinite(values)]
    limit = 10.0 ** CSV_SIGNIFICANT_DIGITS
    return bool((np.abs(finite) < limit).all() and (finite == np.trunc(finite)).all())


def _refuse_overwriting_an_input(path: str, metadata: dict[str, Any]) -> None:
    """``-o`` naming one of the command's inputs would replace the data it was computed from
    (a raw agency file by its canonical table, a table by its LQs)."""
    sources = [item.get("path") if isinstance(item, dict) else None
               for item in metadata.get("inputs") or []]
    refuse_overwriting(path, [s for s in sources if s])


def refuse_overwriting(path: str, sources: list[str]) -> None:
    """UsageError when the output ``path`` is one of the files ``sources`` (an input)."""
    if path == STDIO or not Path(path).exists():
        return
    for source in sources:
        if not source or source == STDIO or not Path(source).exists():
            continue
        try:
            same = os.path.samefile(source, path)
        except OSError:
            continue
        if same:
            raise UsageError(f"{path}: is the input {source}; write the output to another file")
        # an input's metadata sidecar (lq canon.csv -o canon.csv.meta.json, a tab completion
        # one step too far): replaced by the output, exit 0, the table then refused by every
        # command ("not a readable metadata sidecar")
        side = sidecar_path(source)
        try:
            same = side.exists() and os.path.samefile(side, path)
        except OSError:
            continue
        if same:
            raise UsageError(f"{path}: is the metadata sidecar of the input {source}; write the "
                             "output to another file")


_UNREADABLE_PARQUET = "not a readable Parquet file (truncated or corrupt?)"
_UNREADABLE_PARQUET_HINT = "write or copy it again"


def read_metadata(path: str) -> dict[str, Any]:
    """The clusterid metadata of a table written by :func:`write_frame` ({} when none)."""
    import polars as pl

    p = Path(path)
    if _is_parquet(p):
        try:
            raw = pl.read_parquet_metadata(p).get(schema.METADATA_KEY.decode())
        except Exception as exc:  # noqa: BLE001 - polars raises several types for a bad footer
            # a copy or download cut short has no footer: said as ingest's reader says it
            raise DataError(problems=[Problem(_UNREADABLE_PARQUET, path=str(path),
                                              found=str(exc).splitlines()[0],
                                              hint=_UNREADABLE_PARQUET_HINT)]) from exc
        if not raw:
            return {}
        # metadata cut or rewritten by hand (a tool editing the file's key-value metadata):
        # every stage failed on it with "internal error: JSONDecodeError" or "AttributeError:
        # 'list' object has no attribute 'get'"
        try:
            meta = json.loads(raw)
        except ValueError as exc:
            meta = exc
        if not isinstance(meta, dict):
            raise DataError(problems=[Problem(
                "its clusterid metadata is not readable", path=str(path),
                expected=f"a JSON object under the Parquet metadata key "
                         f"{schema.METADATA_KEY.decode()!r}",
                found=_metadata_found(meta),
                hint="rerun the stage that wrote it")])
        if (bad := _malformed_provenance(meta)) is not None:
            raise DataError(problems=[Problem(
                f"its clusterid metadata's {bad[0]!r} entry is not readable", path=str(path),
                expected=bad[1], found=bad[2], hint="rerun the stage that wrote it")])
        return meta
    side = sidecar_path(p)
    if side.exists():
        try:
            meta = json.loads(side.read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            raise InputFileError(f"{side}: not a readable metadata sidecar ({exc}); "
                                 "rerun the stage that wrote it") from exc
        if not isinstance(meta, dict):  # '[1, 2]' or 'null': an AttributeError in every stage
            raise InputFileError(f"{side}: not a readable metadata sidecar (expected a JSON "
                                 f"object, found {_metadata_found(meta)}); rerun the stage "
                                 "that wrote it")
        if (bad := _malformed_provenance(meta)) is not None:
            raise InputFileError(f"{side}: not a readable metadata sidecar (its {bad[0]!r}: "
                                 f"expected {bad[1]}, found {bad[2]}); rerun the stage that "
                                 "wrote it")
        want = meta.get(DATA_SHA256)
        if want:
            from clusterid.io.ingest import sha256_of

            if sha256_of(p) != want:
                raise InputFileError(
                    f"{path}: its metadata sidecar {side.name} does not match the data (the "
                    "writing run was killed between the two, or one was replaced by hand); "
                    "rerun the stage that wrote it, or, for a table edited on purpose (saved "
                    f"again by a spreadsheet), delete {side.name} to read it as a table "
                    "clusterid did not write")
        return meta
    return {}


def _malformed_provenance(meta: dict) -> tuple[str, str, str] | None:
    """``(entry, expected, found)`` for an entry of a table's metadata that the stages read
    and that is not of the shape ingest writes, else None.

    ``dropped`` (reason -> rows set aside) is read by every stage (the ownerships a raw file
    was not read with, the notes, the report): a list, a text or a count where the object
    was, or a reason whose rows are no count (metadata edited by hand or by another tool),
    ended in "internal error: AttributeError: 'list' object has no attribute 'items'" or
    "ValueError: invalid literal for int()" in stats, detect, indices and lq --ownership."""
    dropped = meta.get("dropped")
    if dropped is None:
        return None
    what = "an object of reason -> rows set aside (whole numbers >= 0)"
    if not isinstance(dropped, dict):
        return "dropped", what, _metadata_found(dropped)
    for reason, rows in dropped.items():
        if isinstance(rows, bool) or not isinstance(rows, int) or rows < 0:
            found = (f"{rows:g}" if isinstance(rows, (int, float)) and not isinstance(rows, bool)
                     else repr(_cut(rows)) if isinstance(rows, str) else _metadata_found(rows))
            return "dropped", what, f"{_cut(reason)!r}: {found}"
    return None


def _metadata_found(meta) -> str:
    """What a table's metadata held instead of a JSON object, for a message."""
    if isinstance(meta, ValueError):
        return f"text that is not JSON ({str(meta).splitlines()[0]})"
    kinds = {list: "array", dict: "object", str: "string", int: "number", float: "number",
             bool: "boolean"}
    return f"a JSON {kinds.get(type(meta), 'null')}"


def _is_parquet(p: Path) -> bool:
    try:
        with open(p, "rb") as fh:
            return fh.read(4) == PARQUET_MAGIC
    except OSError:
        return False


def _link_loop(p: Path) -> bool:
    try:
        p.resolve(strict=True)
    except RuntimeError:  # Python 3.11: "Symlink loop from ..."
        return True
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def check_readable(path: str) -> Path:
    """Raise InputFileError (exit 2) when ``path`` does not exist or cannot be opened."""
    if not str(path):  # Path("") is the current folder
        raise InputFileError("'': an empty input path (an unset shell variable?); give a file, "
                             "or - for stdin")
    p = Path(path)
    if not p.exists():
        if str(path) == STDIO:  # was '-: no such file', as if a file named '-' were missing
            raise InputFileError("-: standard input cannot be read here (expected a file's "
                                 "name; the command reads this file by name, and some more "
                                 "than once): save the data to a file and give its name")
        if p.is_symlink():
            # 'no such file' for a name ls lists: a link to a file moved or not yet downloaded,
            # or a link to itself
            try:
                target = os.readlink(p)
            except OSError:
                target = "?"
            raise InputFileError(f"{path}: a symbolic link to {target}, which "
                                 + ("is a loop of links" if _link_loop(p) else "does not exist"))
        raise InputFileError(f"{path}: no such file")
    if p.is_dir():
        raise InputFileError(f"{path}: is a folder, expected a file")
    from clusterid.io.ingest import _is_stream

    if _is_stream(str(p)):
        # a named pipe given for a file read more than once (--benchmark, --definitions, --io):
        # opened here and again by the reader, the second open waited for a writer that was
        # gone and the command hung; a shell's <(...) failed as 'No such device (os error 19)'.
        # (INPUT itself is buffered once, as stdin: ingest.resolve_paths.)
        raise InputFileError(f"{path}: a pipe or device, not a file; this option reads its "
                             "file more than once: save it to a file first")
    try:
        with open(p, "rb"):
            pass
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read: {exc.strerror}") from exc
    return p


def check_schema_version(path: str, meta: dict[str, Any]) -> None:
    version = meta.get("schema_version")
    if isinstance(version, int) and version > schema.SCHEMA_VERSION:
        raise DataError(problems=[Problem(
            "written by a newer clusterid", path=path,
            expected=f"schema version <= {schema.SCHEMA_VERSION}",
            found=f"schema version {version} (clusterid {meta.get('tool_version', '?')})",
            hint="upgrade clusterid to read it")])


# Result tables of the stages, which carry the key columns but no measure: given where a
# canonical table is read (a script passing the wrong file along) they were "no measure column"
# from an unnamed <input>, or an 'employment' measure "found" and missing at once; stats' table
# was "no industry column recognised ... name it with --industry-col"
_RESULT_KINDS = {"lq": "lq", "indices": "indices", "shift_share": "shift-share",
                 "detect": "detect", "stats": "stats"}
# the tables of a detect output folder, whose metadata is the folder's metadata.json
_DETECT_TABLES = ("clusters.csv", "cluster_summary.csv", "regional_clusters.csv",
                  "region_summary.csv", "relatedness.csv")


def folder_metadata(path: str) -> dict[str, Any]:
    """The metadata of the detect output folder a table such as ``regional_clusters.csv`` sits
    in ({} for any other file): given to impute or lq, it was read as a generic table, its
    cluster ids for industry codes, and refused with thousands of problems."""
    p = Path(path)
    side = p.parent / "metadata.json"
    if p.name not in _DETECT_TABLES or not side.is_file():
        return {}
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return {}
    return meta if isinstance(meta, dict) and meta.get("kind") == "detect" else {}


def check_canonical_kind(shown: str, meta: dict[str, Any]) -> None:
    """Refuse another stage's output given where a canonical table is read: the wrong file
    for the command, so a usage error (exit 2), as report given a file is; it was exit 1, a
    data error, which says the file's contents are bad and sent scripts to fix the data."""
    command = _RESULT_KINDS.get(meta.get("kind"))
    if command:
        raise UsageError(
            f"{shown}: the output of `clusterid {command}`, not a canonical table (kind "
            f"{meta['kind']!r} in its metadata); expected a canonical table (written by "
            "`clusterid ingest` or `clusterid impute`) or a raw agency file: give the table "
            f"`clusterid {command}` was run on")


# The same tables without the metadata that names them (piped: `clusterid lq T -o - |
# clusterid lq -`; a CSV copied without its .meta.json; a Parquet file rewritten by another
# tool) are told by their columns: lq's output, which holds the key columns, was read as a
# canonical table of measure 'value' and refused with a 'duplicate row for the same key' line
# per row (exit 1); stats' as a table with 'no industry column recognised ... --industry-col'.
# Each set holds headings no agency file uses together (relatedness.csv, industry_a,
# industry_b, similarity, is detect's --similarity input and is left out).
_RESULT_COLUMNS = (
    ("lq", ("lq", "lq_reason", "region_share", "benchmark_share")),
    ("stats", ("cells", "share_suppressed", "detail_reported", "coverage")),
    ("stats", ("regions", "cells", "share_suppressed", "total_reported", "lower_bound")),
    ("stats", ("rows", "periods", "regions", "industries", "share_suppressed")),
    ("indices", ("n_cells", "missing_share", "krugman", "hoover_specialisation")),
    ("indices", ("n_cells", "missing_share", "hoover_localisation", "locational_gini")),
    ("indices", ("industry_a", "industry_b", "coagglomeration", "n_regions_common")),
    ("shift-share", ("period_from", "period_to", "national_share", "industry_mix",
                     "regional_share")),
    ("detect", ("cluster_id", "lq_denominator", "strong", "rank_in_region")),
    ("detect", ("cluster_id", "core", "coassignment", "similarity_own")),
    ("detect", ("cluster_id", "n_core", "core_industries")),
    ("detect", ("traded_employment", "cluster_strength", "strong_clusters")),
)


def check_result_columns(shown: str, columns) -> None:
    """Refuse, as :func:`check_canonical_kind` does, a stage's result table told by its
    columns where its metadata is gone (usage error, exit 2)."""
    have = set(columns)
    for command, marks in _RESULT_COLUMNS:
        if all(c in have for c in marks):
            raise UsageError(
                f"{shown}: the output of `clusterid {command}` (its columns "
                f"{', '.join(marks)}), not a canonical table; expected a canonical table "
                "(written by `clusterid ingest` or `clusterid impute`) or a raw agency file: "
                f"give the table `clusterid {command}` was run on")


def is_canonical_columns(columns) -> bool:
    return all(k in columns for k in schema.KEYS)


# The Parquet tables this run opened lazily: a data page found corrupt only when a stage
# collects (the footer read fine) is named by the entry point (cli.app.main), which sees it
# as polars' ComputeError "parquet: File out of specification ..."
OPENED_PARQUET: list[str] = []


def scan_canonical(path: str, label: str | None = None, dropped: dict | None = None):
    """Open a canonical table lazily: returns ``(LazyFrame, metadata)``.

    Raises DataError if the file is a Parquet/CSV of another schema or from a newer version.
    ``label`` names the file in messages (``<stdin>`` for stdin's buffer file).
    ``dropped``: filled with the rows of a table clusterid did not write that were left out
    as total rows (reason -> rows; :func:`_total_rows`), as ingest's generic reader drops them.
    """
    import polars as pl

    p = check_readable(path)
    shown = label or path
    from clusterid.io.atomic import watch_input

    watch_input(p, shown)  # as it is before anything of it is read (its metadata first)
    meta = read_metadata(path)
    check_schema_version(path, meta)
    check_canonical_kind(shown, meta)
    overrides: dict = {}
    trusted = bool(meta)  # the table is as clusterid wrote it (its checks were ingest's)
    at = 1  # the header's line (a CSV's, below any blank lines)
    if _is_parquet(p):
        OPENED_PARQUET.append(shown)
        try:
            lf = pl.scan_parquet(p, glob=False)
            found_schema = lf.collect_schema()
            columns = found_schema.names()
        except Exception as exc:  # noqa: BLE001 - polars raises many types for a bad file
            raise DataError(problems=[Problem(_UNREADABLE_PARQUET, path=shown,
                                              found=str(exc).splitlines()[0],
                                              hint=_UNREADABLE_PARQUET_HINT)]) from exc
        if meta and _edited_since_written(lf, found_schema, meta):
            # validated as a table clusterid did not write, not refused: filtering rows with
            # pyarrow (which keeps the file's metadata) is a fair edit, and the full checks
            # name what an unfair one broke (a duplicate key, a period that is no period)
            trusted = False
        # text as pandas writes a `category` column (a Parquet dictionary, Categorical to
        # polars) is text: left so, every string operation of the checks and stages failed on
        # it with an internal error ("str.contains_any operation not supported for dtypes cat")
        coded = [c for c, t in found_schema.items()
                 if t == pl.Categorical or isinstance(t, pl.Enum)]
        if coded:
            lf = lf.with_columns(pl.col(coded).cast(pl.String))
        lf = _as_written_by_a_dataframe(lf, found_schema)
    else:
        _check_gzip(p, shown)
        # blank lines before the header (a table saved by hand starting with an empty line):
        # skipped, and counted in every line number, as the raw readers do (text.header_line)
        at = header_line_number(p)
        _check_line_ends(p, shown, at)
        try:
            header = pl.read_csv(p, glob=False, n_rows=0, infer_schema_length=0, skip_lines=at - 1).columns
        except Exception as exc:  # noqa: BLE001
            raise DataError(problems=[Problem("not a readable CSV file", path=shown,
                                              found=str(exc).splitlines()[0])]) from exc
        columns = header
        # polars names a heading's second appearance 'x_duplicated_0': a table whose measure
        # heading was overwritten with 'period' read as one without that measure, exit 0
        from clusterid.io.readers.rowcheck import duplicate_headings

        written = [m.group(1) if (m := re.fullmatch(r"(.+)_duplicated_\d+", c)) and m.group(1) in header
                   else c for c in header]
        if twice := duplicate_headings(written, shown, at):
            raise DataError(problems=twice)
        dtypes = schema.polars_schema(schema.measures_in(header))
        overrides = {c: t for c, t in dtypes.items() if c in header}
        # R's write.csv writes a missing number as NA: in a numeric column of a table clusterid
        # did not write (read and saved again in R) it is an empty cell, never a text or a zero
        # (it was "column 'employment_lower': not a number ... found 'NA'")
        missing = {c: R_MISSING for c, t in overrides.items() if t.is_numeric()} if not meta else None
        lf = pl.scan_csv(p, glob=False, schema_overrides=overrides, infer_schema_length=0,
                         skip_lines=at - 1, null_values=missing or None)
        if missing:
            lf = lf.with_columns(_r_text_missing(header))
    check_result_columns(shown, columns)
    if not is_canonical_columns(columns):
        missing = [k for k in schema.KEYS if k not in columns]
        raise DataError(problems=[Problem(
            "not a clusterid canonical table", path=shown,
            expected="columns " + ", ".join(schema.KEYS),
            found="missing " + ", ".join(missing),
            hint="run `clusterid ingest` on it first")])
    # a measure's status (bounds, flag) without the measure: its column cut, or its heading
    # overwritten, and the table read as one without it, 'suppressed: none', exit 0
    orphans = [(c, m) for c in columns for m in schema.MEASURES
               if m not in columns and c in schema.measure_columns(m)[1:]]
    if orphans:
        raise DataError(problems=[Problem(
            "its measure column is missing", path=shown, line=None if _is_parquet(p) else at,
            column=c, expected=f"{m} beside {c}", found=f"no {m} column") for c, m in orphans])
    if not _is_parquet(p):
        check_text(p, shown, utf8=not meta)  # one pass: NUL bytes, and UTF-8 for a foreign CSV
    # a CSV clusterid did not write is checked in several passes below: one of a size memory
    # holds with ease is parsed once and checked in memory (each pass parsed the text again:
    # 3.5 s of a 9.8 s lq run on 3 M rows read from a 96 MB CSV)
    held = not meta and not _is_parquet(p) and _plain_size(p) <= HELD_CSV_BYTES
    if held:
        lf = _parsed(path, lf, overrides, shown)
    else:
        _check_numbers(path, lf, None if _is_parquet(p) else overrides, shown)
    if not trusted:
        if not _is_parquet(p):
            _check_spreadsheet_numbers(p, shown, [c for c, t in overrides.items() if t.is_float()])
            from clusterid.io.readers.rowcheck import ragged_lines

            # a row cut short (a copy stopped mid-row): polars read its cells as empty, a
            # suppressed cell of a made-up industry code (a written table: the checksum says so).
            # Parsed already, a table whose last column is filled on every row has none.
            short = not held or lf.select(pl.col(columns[-1]).is_null().any()).collect().item()
            odd: list[int] = []
            if short and (ragged := ragged_lines(str(p), len(columns), display=shown, quotes=odd)):
                # a quoted cell holding a line break ("Freie Hansestadt\nBremen") is one
                # record over two lines, no cut row: counted per record when quotes are open
                if odd:
                    ragged = _ragged_records(p, len(columns), shown, at)
                if ragged:
                    raise DataError(problems=ragged)
        from clusterid.io.resaved import restore_leading_zeros  # 1001 -> 01001 (a spreadsheet)

        lf = restore_leading_zeros(lf, shown, None if _is_parquet(p) else at, source=p)
        # before the checks: 'Total' beside 'total' for one key is a duplicate row
        lf = _canonical_ownerships(lf)
        # total rows (a 'Total' industry, a 'Totals' region, a spreadsheet's sum row at the
        # foot): read as ingest's generic reader reads them; the rows dropped are left out of
        # the checks (numbered first, so every line named stays the file's own) and then out
        # of the table
        lf, skip, why = _total_rows(lf)
        if _check_foreign(shown, lf, csv=not _is_parquet(p), blanks=True, held=held, header_at=at,
                          source=p, skip=skip):
            lf = _stripped_text(lf)
            _check_foreign(shown, lf, csv=not _is_parquet(p), held=held, header_at=at, source=p,
                           skip=skip)
        if skip is not None:
            counted = (lf.select(*(e.sum().alias(w) for w, e in why.items())).collect().row(0, named=True))
            lf = lf.filter(~skip)
            if dropped is not None:
                for w, n in counted.items():
                    if n:
                        dropped[w] = dropped.get(w, 0) + int(n)
        lf = fill_levels(lf)
        lf = _coded_region_levels(lf, shown)
        if not _is_parquet(p):
            # a blank line (a hand-made file ending in an empty line) is a row of nulls to
            # polars, then "a key cell is empty": no row at all, as in every raw reader.
            # (A table clusterid wrote has none: its sidecar's checksum says so.)
            lf = lf.filter(~blank_row(columns))
        # a table clusterid did not write comes in any row order (a pandas export, rows sorted
        # by region first): stats, impute and lq summed it in that order, so a shuffled copy
        # gave other last digits, impute's output was in the input's order, and an
        # all-industries LQ of 1 less 1e-16 was 'significant' (p 0).  Put into key order, as
        # ingest writes a table (one comparison pass, 0.08 s on 3 M rows in memory; the sort,
        # ~1 s, only where the rows are out of order)
        if not lf.select(_strictly_ascending(list(schema.KEYS))).collect().item():
            lf = lf.sort(list(schema.KEYS))
    elif _is_parquet(p):
        # a Parquet file carries no checksum of its data: one edited with a tool that keeps
        # the file's metadata (pyarrow) could hold a NaN or an inf, which the sums of every
        # stage spread over a whole industry (an LQ of 0.0 for each region beside it)
        _check_foreign(shown, lf, csv=False, check_keys=not _keys_and_statuses_sound(lf))
    if not meta or _is_parquet(p):
        # a '-0' cell (a table saved by hand, R or pandas; a Parquet -0.0 from numpy) is zero,
        # as ingest reads it: kept as -0.0, lq wrote value, region share and LQ '-0.0' and
        # impute a '-0.0' employment, unequal byte for byte to the same table with 0
        from clusterid.io.canonical import unsigned_zero

        floats = [c for c, t in lf.collect_schema().items() if t.is_float()]
        lf = lf.with_columns(unsigned_zero(pl.col(c)).alias(c) for c in floats)
    if lf.head(1).collect().height == 0:
        # a header alone: an empty table would pass for a result downstream (0 LQs, 0
        # clusters), as ingest says of a raw file
        raise DataError(problems=[Problem("the table has no data rows", path=shown,
                                          expected="at least one row of data",
                                          found="a header only")])
    return lf, meta


def _coded_region_levels(lf, shown: str | None = None):
    """A canonical table clusterid did not write, without ``region_level``, whose regions are
    NUTS codes or numeric codes of several levels (``DE1`` beside ``DE11``, ``09`` beside
    ``09162``, ``49`` beside ``49001``:
    :func:`~clusterid.io.readers.generic_post.nested_nuts_codes`,
    :func:`~clusterid.io.readers.region_nesting.nested_code_levels`) gets their levels, as
    the generic reader gives them: every stage summed DE1 with its own parts into one
    benchmark (lq's benchmark_total counted that activity twice), unsaid.  Numeric codes
    whose figures say neither are refused, as ingest refuses them."""
    import polars as pl

    if schema.REGION_LEVEL in lf.collect_schema().names():
        return lf
    from clusterid.io.readers.generic_post import (AGS_LEVELS, any_itl_code, itl_england, itl_level,
                                                   kato_level, nested_nuts_codes, nuts_level)
    from clusterid.io.readers.region_nesting import Unclear, could_nest, nested_code_levels

    region = pl.col(schema.REGION).cast(pl.String).str.strip_chars()
    values = [v for v in lf.select(region.unique()).collect().to_series().to_list() if v]
    if nested_nuts_codes(values):
        return lf.with_columns(nuts_level(region, values=values).alias(schema.REGION_LEVEL))
    if any_itl_code(values):
        # the UK's ITL codes, TLC beside TLC1 (as NUTS's UKC beside UKC1), or England beside its
        # ITL1 regions (E92000001 or 'England' beside TLC ... TLK: every stage counted England
        # twice, once as itself and once as its regions, unsaid)
        names = lf.collect_schema().names()
        name = (pl.col(schema.REGION_NAME).cast(pl.String).str.strip_chars().str.to_lowercase()
                if schema.REGION_NAME in names else pl.lit(None, pl.String))
        england = itl_england(lf.select(region, name).unique().collect().rows())
        if england is not None:
            return lf.with_columns(itl_level(region, england).alias(schema.REGION_LEVEL))
    if not could_nest(values):
        return lf
    names = lf.collect_schema().names()
    keys = [c for c in (schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY) if c in names]
    measures = [m for m in schema.MEASURES if m in names]
    name = schema.REGION_NAME if schema.REGION_NAME in names else None
    frame = lf.select(region.alias(schema.REGION), *keys, *measures,
                      *([pl.col(name).cast(pl.String)] if name else [])).collect()
    try:
        found = nested_code_levels(frame, schema.REGION, name, keys, measures)
    except Unclear as exc:
        raise DataError(problems=[Problem(
            str(exc), path=shown, column=schema.REGION,
            expected="regions of one level, or each region's level",
            found="codes of two lengths that begin one another",
            hint="add a region_level column (state, county ...)")]) from None
    if not found:
        return lf
    if found.get(None) == "ags":
        level = region.str.len_chars().replace_strict(AGS_LEVELS, default=None, return_dtype=pl.String)
    elif found.get(None) == "kato":
        level = kato_level(region)
    else:
        level = region.replace_strict(found, default=None, return_dtype=pl.String)
    return lf.with_columns(level.alias(schema.REGION_LEVEL))


# why the total rows of a canonical table clusterid did not write are dropped (the first words
# are those of ingest's generic reader: lq's hints look for "region total rows")
FOOTER_TOTAL_ROWS = "total rows (a sum of the rows above, its key cells empty or 'Total')"
REGION_TOTAL_ROWS = ("region total rows (sum of the other regions; give them region_level "
                     "nation to keep them as the country)")


def _total_rows(lf):
    """The total rows of a canonical table clusterid did not write (a hand-made CSV, a pandas
    export), read as ingest's generic reader reads them.  Returns ``(lf, skip, why)``:

    - an industry cell holding a word for all industries (``Total``, ``Totals``,
      ``Insgesamt``, ``Всего`` ...: :func:`clusterid.core.codes.is_total`) is the
      all-industries code ``10`` (kept as a code ``Totals`` of its own, it was an industry
      beside the others, its LQ 'specialised');
    - ``skip``: an expression true on the rows to leave out (None when there are none), each
      counted under its reason in ``why`` (reason -> expression):
      a row whose key cells are empty or words for a total (a spreadsheet's sum row at the
      foot, ``Totals,,,,5100``: refused as 'a key cell is empty'), and a region named as the
      total of the others (``Total``, ``Insgesamt``, ``Deutschland``:
      :func:`~clusterid.io.readers.generic_plan.region_total_names`) whose ``region_level``
      is empty (summed with the regions it was their total twice over: every benchmark share
      halved); one given a level (``nation``) is kept, as the generic reader keeps a total
      whose level the data give.  A table of one region is no total of others, whatever it
      is called.
    """
    import polars as pl

    from clusterid.core import codes
    from clusterid.io.readers.generic_plan import (is_region_total_name, lone_countries_that_are_no_totals,
                                                   region_total_names,
                                                   zero_codes_of_totals, zero_codes_that_are_totals)

    names = lf.collect_schema()
    text = [c for c in (*schema.KEYS, schema.REGION_NAME) if names.get(c) == pl.String]
    if not text:
        return lf, None, {}
    distinct = lf.select(pl.col(c).unique().implode() for c in text).collect().row(0, named=True)

    def strip(v):
        return v.strip() if isinstance(v, str) else v

    def word(v):
        return bool(strip(v)) and (codes.is_total(v) or is_region_total_name(v))

    if schema.INDUSTRY in text:
        totals = sorted({strip(v) for v in distinct[schema.INDUSTRY] if v is not None and codes.is_total(v)})
        if totals:
            cell = pl.col(schema.INDUSTRY).str.strip_chars()
            lf = lf.with_columns(pl.when(cell.is_in(totals)).then(pl.lit(schema.ALL_INDUSTRIES))
                                 .otherwise(pl.col(schema.INDUSTRY)).alias(schema.INDUSTRY))
    empty, total = [], []
    for k in schema.KEYS:
        if k not in text:
            empty.append(pl.col(k).is_null())
            continue
        cell = pl.col(k).str.strip_chars()
        words = sorted({strip(v) for v in distinct[k] if word(v)})
        if k == schema.INDUSTRY:
            words = [schema.ALL_INDUSTRIES] if words else []  # (read as the code above)
        empty.append(cell.is_null() | (cell == ""))
        total.append(cell.is_in(words))
    why = {}
    if total:
        footer = pl.all_horizontal(e | t for e, t in zip(empty, total)) & pl.any_horizontal(total)
        why[FOOTER_TOTAL_ROWS] = footer.fill_null(False)
    by_name = {}
    # what a region's figures are compared on (is a code of zeros the sum of the others?)
    cells = [k for k in (schema.PERIOD, schema.INDUSTRY, schema.OWNERSHIP) if k in names]
    measure = next((m for m in schema.MEASURES if m in names), None)
    for c in (schema.REGION, schema.REGION_NAME):
        if c in text:
            values = [strip(v) for v in distinct[c] if strip(v)]
            if (found := region_total_names(values)) and len(found) < len(set(values)):
                found = zero_codes_that_are_totals(lf, c, found, cells, measure)
                found = lone_countries_that_are_no_totals(lf, c, found, cells, measure)
                if c == schema.REGION and schema.REGION_NAME in text:
                    # a region numbered 0 with a name of its own ("00 Capital District") is a
                    # region, unless its figures sum the others' (a country by a name not known)
                    found = zero_codes_of_totals(lf, c, schema.REGION_NAME, found, cells, measure)
            if found and len(found) < len(set(values)):
                by_name[c] = found
    if by_name:
        region = pl.any_horizontal(pl.col(c).str.strip_chars().is_in(v).fill_null(False)
                                   for c, v in by_name.items())
        if names.get(schema.REGION_LEVEL) is not None:
            region = region & pl.col(schema.REGION_LEVEL).is_null()
        if FOOTER_TOTAL_ROWS in why:
            region = region & ~why[FOOTER_TOTAL_ROWS]
        why[REGION_TOTAL_ROWS] = region
    if not why:
        return lf, None, {}
    if not lf.select(pl.any_horizontal(*why.values()).any()).collect().item():
        return lf, None, {}
    return lf, pl.any_horizontal(*why.values()), why


def _edited_since_written(lf, found, meta: dict) -> bool:
    """Whether a Parquet table carrying clusterid's metadata was changed by another tool that
    kept the metadata (pyarrow: rows appended or filtered, a column cast), told from the
    footer alone: a canonical column of another type than clusterid writes (``period`` as
    int64, ``region`` as numbers, ``level`` as text), or a row count other than the one the
    metadata recorded (ingest's ``rows_kept``, impute's ``rows_written``).  Such a table was
    trusted as ingest's output and lq and stats went on with duplicate keys (exit 0).  Costs
    no scan: polars answers the count from the footer's row groups."""
    import polars as pl

    wanted = schema.polars_schema(schema.measures_in(list(found.names())))
    for c, t in wanted.items():
        if c in found and found[c] != t and not (
                t == pl.String and (found[c] == pl.Categorical or isinstance(found[c], pl.Enum))):
            return True
    recorded = meta.get("rows_kept", meta.get("rows_written"))  # ingest's, impute's
    if isinstance(recorded, int) and not isinstance(recorded, bool):
        return lf.select(pl.len()).collect().item() != recorded
    return False


def _keys_and_statuses_sound(lf) -> bool:
    """Whether a Parquet table carrying clusterid's metadata has a value in every key cell and
    only known statuses: one edited with a tool that keeps the file's metadata (pyarrow) could
    hold an empty key (lq failed with "internal error: ValueError: cannot convert float NaN to
    integer", indices and detect with a TypeError, stats and impute went on with a region
    'None') or a status 'weird' (counted as suppressed, its value left out).  Null counts and
    one comparison of each status with the known ones, in one query (3 M rows: 0.03-0.05 s
    where the statuses' distinct values took 0.06-0.14 s, on the critical path of every
    stage's read); the full checks, which locate the rows, run only when this is False.

    Asked as a filter for one offending row, not as null counts: polars skips every row group
    whose statistics (null counts; a status column's least and greatest value) rule it out,
    so a table clusterid wrote is answered from the file's footer (3 M rows: 0.06-0.09 s of
    CPU -> 0.005 s).  A file without statistics is read in full, as before."""
    import polars as pl

    names = lf.collect_schema().names()
    statuses = [schema.status_col(m) for m in schema.measures_in(names)
                if schema.status_col(m) in names]
    unknown = [(~pl.col(c).is_in(list(schema.STATUSES))).fill_null(False) for c in statuses]
    odd = lf.filter(pl.any_horizontal(*(pl.col(k).is_null() for k in schema.KEYS), *unknown))
    return odd.head(1).collect().height == 0


def header_line_number(p) -> int:
    """The line of a CSV's header: 1, or the first line after the blank lines before it."""
    from clusterid.io.readers.text import header_line

    return header_line(p)[0]


def _as_written_by_a_dataframe(lf, found):
    """A canonical CSV read by polars (or pandas) and saved as Parquet, as a user filters a
    table: its years became integers (``period`` Int64) and its bound columns, empty on every
    row, text (polars reads an empty column as String).  Both were refused as "not a clusterid
    canonical table".  An integer period is the year it spells (the period check still
    applies), a column with no value at all is empty of the type it should have; any other
    type mismatch stays refused by :func:`_check_numbers`."""
    import polars as pl

    wanted = schema.polars_schema(schema.measures_in(list(found.names())))
    casts = []
    if schema.PERIOD in found and found[schema.PERIOD].is_integer():
        casts.append(pl.col(schema.PERIOD).cast(pl.String))
    empty_text = [c for c, t in wanted.items() if c in found and t.is_numeric()
                  and found[c] == pl.String]
    if empty_text:
        filled = lf.select(pl.col(c).is_not_null().any() for c in empty_text).collect().row(0)
        casts += [pl.col(c).cast(wanted[c]) for c, any_value in zip(empty_text, filled)
                  if not any_value]
    # numbers of another numeric type (whole-number counts as pandas or pyarrow write them,
    # Float32, Decimal) or a column of the Null type (pyarrow's all-empty column): the stages
    # concatenate frames of Float64 measures, and detect failed on such a table with an
    # internal error ("type Float64 is incompatible with expected type Int64") after lq and
    # indices had read it.  A measure is read as the Float64 it is written as.
    casts += [pl.col(c).cast(t) for c, t in wanted.items() if c in found and t.is_float()
              and found[c] != t and (found[c].is_numeric() or found[c] == pl.Null)]
    # and the other way round: pandas reads a text column empty on every row (the names of a
    # table without them, a flag column no row uses) as float64 NaN, and to_parquet saved it
    # as numbers, so filtering a canonical table with pandas gave one refused as "not a
    # clusterid canonical table (expected a text column ..., found 'Float64 values')"
    empty_numbers = [c for c, t in wanted.items() if c in found and t == pl.String
                     and found[c].is_numeric()]
    if empty_numbers:
        def held(c):
            value = pl.col(c).is_not_null()
            return (value & ~pl.col(c).is_nan()).any() if found[c].is_float() else value.any()

        filled = lf.select(held(c) for c in empty_numbers).collect().row(0)
        casts += [pl.lit(None, pl.String).alias(c) for c, any_value in zip(empty_numbers, filled)
                  if not any_value]
    return lf.with_columns(casts) if casts else lf


def _canonical_ownerships(lf):
    """A canonical table clusterid did not write with its ownerships as schema.OWNERSHIPS
    spells them: :func:`_check_foreign` accepts them in any case ('Total'), and kept so, a
    region written 'Total' beside regions written 'total' was an ownership of its own, left
    out of ``lq --ownership total`` and of its benchmark without a word (and 'Total' alone
    had no row for ``--denominator all-ownership``).  One pass over the distinct values."""
    import polars as pl

    if lf.collect_schema().get(schema.OWNERSHIP) != pl.String:
        return lf
    have = lf.select(pl.col(schema.OWNERSHIP).unique()).collect().to_series().to_list()
    keys = {v: schema.ownership_key(v) for v in have if v is not None}
    named = {v: k for v, k in keys.items() if k != v and k in schema.OWNERSHIPS}
    return lf.with_columns(pl.col(schema.OWNERSHIP).replace(named)) if named else lf


def _stripped_text(lf):
    """The text columns of a canonical table clusterid did not write with blanks around their
    cells taken off (a cell of blanks is empty), as every raw reader does: kept, a spreadsheet's
    ``"49011 "`` was a region beside ``49011`` and ``"10 "`` no all-industries row, so the
    region's total became a sum of its industries, silently.  Applied only to a table
    :func:`_check_foreign` found such a cell in (row by row, in every later pass: a 3 M-row
    CSV took ~3.7 s more to open when every foreign table was stripped)."""
    import polars as pl

    names = lf.collect_schema()
    text = [c for c, t in names.items() if t == pl.String]
    return lf.with_columns(pl.col(c).str.strip_chars().replace("", None) for c in text) if text else lf


def check_text(p: Path, shown: str, hint: str = "write the table again as UTF-8 CSV, or run "
                                                   "`clusterid ingest` on it",
               utf8: bool = False, what: str = "a canonical table") -> None:
    """A canonical CSV holds no NUL byte (polars keeps one inside a cell: a region code
    ``490\\x0001`` became a region of its own, silently), as ingest's readers require of raw
    text.  A plain scan at memory speed; gzip-compressed files are checked by _check_gzip.

    ``utf8``: the same pass also decodes the text as UTF-8 (the canonical encoding; for a CSV
    clusterid did not write): one saved again as cp1251 or Latin-1 (a Russian or German
    spreadsheet's CSV) failed as "not a number in a numeric column", with no line and nothing
    about the encoding.  A NUL byte anywhere is reported before a byte that is no UTF-8, as
    when each was a pass of its own."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")() if utf8 else None
    not_utf8 = None  # the first problem the decoding met: raised once no NUL byte is found
    with open(p, "rb") as fh:
        if fh.read(2) == b"\x1f\x8b":
            return
        fh.seek(0)
        line = 1
        while chunk := fh.read(1 << 22):
            at = chunk.find(b"\x00")
            if at >= 0:
                line += chunk.count(b"\n", 0, at)
                raise DataError(problems=[Problem(
                    "NUL byte in a text file", path=shown, line=line,
                    expected="CSV text", found="a NUL byte (binary data, or UTF-16?)",
                    hint=hint)])
            if decoder is not None and not_utf8 is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    bad_at = max(0, min(exc.start, len(chunk)))
                    bad = chunk[bad_at:bad_at + 1].hex() if bad_at < len(chunk) else "end of file"
                    not_utf8 = (line + chunk.count(b"\n", 0, bad_at), f"byte 0x{bad} (cp1251, "
                                "KOI8-R or Latin-1?)", exc)
            line += chunk.count(b"\n")
    if decoder is not None and not_utf8 is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            not_utf8 = (line, "a cut multi-byte character at the end of the file", exc)
    if not_utf8 is not None:
        at_line, found, exc = not_utf8
        raise DataError(problems=[Problem(
            "not UTF-8 text", path=shown, line=at_line, expected=f"{what} in UTF-8",
            found=found,
            hint=("save it again as UTF-8 (e.g. `iconv -f cp1251 -t utf-8`)" + (
                ": a table with the canonical columns is read as canonical, by ingest too"
                if what == "a canonical table" else ""))
            if found.startswith("byte") else None)]) from exc


def check_plain_table(p, shown: str, sep: str, header_at: int, width: int, what: str) -> int:
    """A plain table typed or saved by hand (a reference table, cluster definitions, a
    similarity table) is UTF-8 text whose rows have the header's width: one saved as Latin-1
    (a note column's 'é') or with a row of one field too many failed as "internal error:
    ComputeError: invalid utf-8 sequence" (lq -b), or "not a readable CSV file (found 'found
    more fields than defined in Schema')" with no line (detect --definitions, --similarity).
    Located here, before the table is read (such a table is small: a row per industry).
    Returns the number of its rows (blank ones left out)."""
    from clusterid.io.readers.excel import OLE2_MAGIC
    from clusterid.io.readers.text import csv_records

    with open(p, "rb") as fh:
        head = fh.read(8)
    kind = ("a workbook" if head[:4] == b"PK\x03\x04" or head == OLE2_MAGIC
            else "a Parquet file" if head[:4] == PARQUET_MAGIC else None)
    if kind is not None:  # was "NUL byte in a text file" (an xlsx is a zip)
        raise DataError(problems=[Problem(
            f"{kind}, not a CSV table", path=shown, expected=f"{what} as CSV text",
            found=kind, hint="save the sheet as CSV (UTF-8)" if kind == "a workbook" else
            "write the table as CSV")])
    check_text(p, shown, hint="save it again as UTF-8 CSV", utf8=True, what=what)
    ragged, rows = [], 0
    for line, row in csv_records(p, header_at, sep):
        if not (row and any(c.strip() for c in row)):
            continue
        rows += 1
        if len(row) != width:
            ragged.append(Problem(f"row has {len(row)} fields, the header has {width}",
                                  path=shown, line=line, expected=f"{width} fields",
                                  found=sep.join(row)[:60],
                                  hint="a separator inside an unquoted value, or a cut line?"))
    if ragged:
        raise DataError(problems=ragged[:20])
    return rows


def blank_row(columns):
    """Expression: every cell of the row is empty (a blank line of a CSV file)."""
    import polars as pl

    return pl.all_horizontal(pl.col(c).is_null() for c in columns)


def _check_line_ends(p: Path, shown: str, at: int = 1) -> None:
    """A CSV whose header line (line ``at``) ends in a bare CR (saved as 'CSV (Macintosh)'):
    the CSV reader takes the whole file for its header.  Said here; a canonical table saved so
    was read as a raw one and refused for industry codes it 'could not tell NAICS from NACE'."""
    from clusterid.io.readers.text import open_maybe_gzip, without_leading_blank_lines

    with open_maybe_gzip(p) as fh:
        first = without_leading_blank_lines(fh.read(1 << 16)).split(b"\n", 1)[0]
    if b"\r" in first.rstrip(b"\r"):
        raise DataError(problems=[Problem(
            "lines end in a bare carriage return (CR)", path=shown, line=at,
            expected="LF or CRLF line endings", found="CR", hint="convert it, e.g. tr '\\r' '\\n'")])


def _check_gzip(p: Path, shown: str) -> None:
    """A gzip-compressed CSV decompresses to its end (polars reads it, but a truncated stream
    only fails deep inside a query, as an internal error)."""
    import gzip
    import zlib

    with open(p, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            return
    try:
        with gzip.open(p, "rb") as fh:
            while fh.read(1 << 20):
                pass
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(problems=[Problem("gzip-compressed data is truncated or corrupt",
                                          path=shown, found=str(exc),
                                          hint="write or download the file again")]) from exc


FOREIGN_PROBLEMS_SHOWN = 20


# a line break (LF) is no control character here: a region named on two lines in a quoted
# cell ("Davis\nCounty", a table without codes) is read as such by ingest and written back
_CONTROL_CHARACTERS = [chr(c) for c in (*range(10), *range(11, 32), 127)]


def _check_foreign(path: str, lf, csv: bool, check_keys: bool = True, blanks: bool = False,
                   held: bool = False, header_at: int = 1, source=None, skip=None) -> bool:
    """A canonical-looking table clusterid did not write (no metadata: pandas, a spreadsheet, a
    hand-made file) has not been through ingest's validation: keys missing or given twice and
    values that are negative, infinite or astronomically large are located problems here
    rather than wrong numbers later.  One streaming pass over the keys and measures.

    ``blanks``: the same pass also looks for a text cell with blanks around it (a spreadsheet's
    ``"10 "``) and returns True, raising nothing, when it meets one among the rows it flags:
    the caller strips the text (:func:`_stripped_text`) and checks again, since the keys are
    only right once stripped.  False: the table is clean of both.

    ``held``: ``lf`` is a frame in memory; the checks of single text cells (blanks, periods,
    control characters, statuses) are first tried on each column's distinct values, and only
    those some value fails are run row by row (on 3 M rows, 0.35 s less of a 1.2 s pass).

    ``header_at``: the CSV's header line (blank lines before it are counted in the rows' lines);
    ``source``: the CSV file, read again to locate the rows found when a quoted cell holds a
    line break (a region "Davis\nCounty"), which moves the rows after it down a line.
    ``skip``: an expression true on rows left out of the table (its total rows) and so of the
    checks.
    """
    import polars as pl

    schema_ = lf.collect_schema()
    names = schema_.names()
    padded = None
    on_values: dict[str, str] = {}  # check name -> the one text column it looks at
    distinct: dict[str, Any] = {}  # held: a column's distinct values, worked out once
    if blanks:
        text = [c for c, t in schema_.items() if t == pl.String]
        if held and text:
            text = [c for c in text if _any_value(lf, c, _padded_text(pl.col(c)), distinct)]
        if text:
            padded = pl.any_horizontal(_padded_text(pl.col(c)) for c in text)
    keys = list(schema.KEYS)
    measures = schema.measures_in(names)
    null_key = pl.any_horizontal(pl.col(k).is_null() for k in keys)
    duplicate = pl.struct(keys).is_duplicated()
    checks = {"a key cell is empty": null_key, "duplicate row for the same key": duplicate}
    if not check_keys:  # the values only (a table clusterid wrote has its keys checked by ingest)
        checks = {}
    expected = {"a key cell is empty": "period, region, ownership and industry on every row",
                "duplicate row for the same key": "one row per period, region, ownership and "
                                                  "industry"}
    if check_keys:  # '2016Q5' or '2016-01' was a period of its own, silently
        checks[f"{schema.PERIOD}: not a period"] = ~pl.col(schema.PERIOD).str.contains(
            r"^\d{4}(?:Q[1-4]|M(?:0[1-9]|1[0-2]))?$").fill_null(True)
        on_values[f"{schema.PERIOD}: not a period"] = schema.PERIOD
        expected[f"{schema.PERIOD}: not a period"] = "a year 2016, a quarter 2016Q1 or a month 2016M03"
        # an ownership that looks like a misspelt canonical name ('pirvate', 'totl'): an
        # ownership of its own, its rows silently left out of --ownership private.  The rule
        # ingest applies (core.validate.misspelt_ownerships): a category of the source's own
        # ('kommunal', which ingest writes) is kept; refused here, a table ingest wrote was
        # refused once its sidecar was left behind
        from clusterid.core.validate import misspelt_ownerships

        owns = lf.select(pl.col(schema.OWNERSHIP).unique()).collect().to_series().to_list()
        odd = list(misspelt_ownerships([v for v in owns if v is not None]))
        checks[f"{schema.OWNERSHIP}: not an ownership"] = (
            pl.col(schema.OWNERSHIP).is_null() | pl.col(schema.OWNERSHIP).is_in(odd))
        expected[f"{schema.OWNERSHIP}: not an ownership"] = "one of " + ", ".join(schema.OWNERSHIPS)
        on_values[f"{schema.OWNERSHIP}: not an ownership"] = schema.OWNERSHIP
    # (the period's own pattern above admits no control character: not checked twice)
    for k in [k for k in keys if k != schema.PERIOD] if check_keys else []:  # a lone CR inside '3\r2613' was an industry of its own
        checks[f"{k}: a control character in a key cell"] = (  # Aho-Corasick: 2x a regex
            pl.col(k).str.contains_any(_CONTROL_CHARACTERS).fill_null(False))
        expected[f"{k}: a control character in a key cell"] = "a code of printable characters"
        on_values[f"{k}: a control character in a key cell"] = k
    # after the control characters: a code '2\r12322' is said as such, not as no NAICS code
    levels_of: dict = {}  # (industry, classification, level) found -> the code's own level
    region_levels: dict = {}  # (region, region_level) found -> the region's level elsewhere
    if check_keys:
        levels_of = _check_codes_and_levels(lf, names, checks, expected, on_values)
        region_levels = _check_region_levels(lf, names, checks, expected)
    for m in measures:
        status = schema.status_col(m)
        if check_keys and status in names:  # a status 'foo' was accepted, silently
            checks[f"{status}: not a status"] = (
                ~pl.col(status).is_in(list(schema.STATUSES))).fill_null(False)
            expected[f"{status}: not a status"] = "one of " + ", ".join(schema.STATUSES)
            on_values[f"{status}: not a status"] = status
            if m in names:  # '0' typed under 'suppressed' was taken as a value: an LQ of 0
                checks[f"{m}: a value on a suppressed cell"] = (
                    (pl.col(status) == schema.SUPPRESSED) & pl.col(m).is_not_null()
                ).fill_null(False)
                expected[f"{m}: a value on a suppressed cell"] = (
                    f"an empty {m} cell where {status} is {schema.SUPPRESSED} (or the status "
                    f"{schema.REPORTED} or {schema.ESTIMATED} for a value)")
                # an empty cell marked reported passed: stats counted it as reported and lq
                # left it out of the benchmark's industry totals, saying only 'missing cell'
                checks[f"{m}: an empty cell marked reported"] = (
                    (pl.col(status) == schema.REPORTED) & pl.col(m).is_null()).fill_null(False)
                expected[f"{m}: an empty cell marked reported"] = (
                    f"a value where {status} is {schema.REPORTED} (an empty {m} cell is "
                    f"{schema.SUPPRESSED})")
        low, high = schema.lower_col(m), schema.upper_col(m)
        for bound in (low, high):  # a NaN bound passed, and stats --output-format json failed
            if bound in names:     # on it with an internal error (NaN is no JSON number)
                bv = pl.col(bound).cast(pl.Float64)
                checks[f"{bound}: negative value"] = (bv < 0).fill_null(False)
                checks[f"{bound}: not a plausible number"] = schema.implausible(bv).fill_null(False)
                expected[f"{bound}: negative value"] = "a count or amount >= 0"
                expected[f"{bound}: not a plausible number"] = (
                    f"a finite count or amount below {schema.PLAUSIBLE_MAX:g}")
        if check_keys and low in names and high in names:  # bounds the wrong way round
            checks[f"{low}: above the upper bound"] = (
                pl.col(low).cast(pl.Float64) > pl.col(high).cast(pl.Float64)).fill_null(False)
            expected[f"{low}: above the upper bound"] = f"{low} <= {high}"
        value = pl.col(m).cast(pl.Float64)
        checks[f"{m}: negative value"] = (value < 0).fill_null(False)
        checks[f"{m}: not a plausible number"] = schema.implausible(value).fill_null(False)
        expected[f"{m}: negative value"] = "a count or amount >= 0"
        expected[f"{m}: not a plausible number"] = (f"a finite count or amount below "
                                                    f"{schema.PLAUSIBLE_MAX:g}")
    if held:  # a check no distinct value of its column fails cannot flag a row
        checks = {name: e for name, e in checks.items()
                  if name not in on_values or _any_value(lf, on_values[name], e, distinct)}
        if check_keys and lf.select(_strictly_ascending(keys)).collect().item():
            # rows in strictly ascending key order hold no key twice (a table sorted as
            # clusterid writes them): one comparison with the row above, not a hash of every key
            del checks["duplicate row for the same key"]
    if not checks and padded is None:
        return False
    if not check_keys and not csv and padded is None and not lf.filter(
            pl.any_horizontal(*checks.values())).head(1).collect().height:
        # a Parquet table clusterid wrote, its values checked row by row (no window such as
        # the duplicate check): the same test without the row numbers first, which polars
        # answers from the row groups' statistics where they rule a flag out (every value >= 0
        # and below the plausible maximum), reading only what they cannot (NaN is in no
        # statistic); the numbered pass below, which reads every row, runs only to locate the
        # rows this found (3 M cells: 0.08 -> 0.04 s of CPU on the read of every stage)
        return False
    rows = lf.with_row_index("_row")  # numbered before blank lines are left out
    if csv:
        rows = rows.filter(~blank_row(names))
    if skip is not None:
        rows = rows.filter(~skip)
    flags = {f"_c{i}": e for i, e in enumerate(checks.values())}
    if padded is not None:
        flags["_padded"] = padded
    flagged = (rows.with_columns(**flags)
               .select("_row", *(keys if check_keys else ()), *measures, *flags,
                       *(c for c in (schema.CLASSIFICATION, schema.LEVEL) if check_keys and c in names),
                       *((schema.REGION_LEVEL,) if region_levels else ()),
                       *(c for m in measures for c in (schema.status_col(m),)
                         if check_keys and c in names),
                       *(c for m in measures for c in (schema.lower_col(m), schema.upper_col(m))
                         if c in names))
               .filter(pl.any_horizontal(*flags)))
    found = flagged.head(FOREIGN_PROBLEMS_SHOWN).collect(engine="streaming")
    if not found.height:
        return False
    if padded is not None and found.get_column("_padded").any():
        return True
    if not check_keys:  # the keys of the few rows found, read only now
        at = found.get_column("_row")
        found = found.join(rows.select("_row", *keys).filter(pl.col("_row").is_in(at.to_list()))
                           .collect(engine="streaming"), on="_row").sort("_row")
    problems = []
    lines = (_record_lines(source, found.get_column("_row").to_list(), header_at)
             if csv and source is not None else None)
    for n, r in enumerate(found.iter_rows(named=True)):
        what = [name for i, name in enumerate(checks) if r[f"_c{i}"]][0]
        column, _, message = what.rpartition(": ") if ": " in what else (None, "", what)
        key = ", ".join(f"{k}={r[k]}" for k in keys)
        line = lines[n] if lines is not None else r["_row"] + header_at + 1
        if what == _LEVEL_CHECK:
            own = levels_of[(r[schema.INDUSTRY], r[schema.CLASSIFICATION], r[schema.LEVEL])]
            want = (f"{own}, the level of {r[schema.CLASSIFICATION]} code {r[schema.INDUSTRY]}"
                    if own is not None else expected[what])
        elif what == _REGION_LEVEL_CHECK:
            usual = region_levels[(r[schema.REGION], r[schema.REGION_LEVEL])]
            want = f"{usual!r}, as on the other rows of region {r[schema.REGION]}"
        else:
            want = expected[what]
        problems.append(Problem(
            message, path=path, line=line if csv else None,
            column=column or None,
            expected=want,
            found=key if not column else
            f"{'an empty cell' if r[column] is None else _cut(r[column])} ({key})", clip=False,
            hint=None if csv else f"row {r['_row'] + 1}; run `clusterid ingest` on the source"))
    raise DataError(problems=problems)


_LEVEL_CHECK = f"{schema.LEVEL}: not the level of its industry code"
_REGION_LEVEL_CHECK = f"{schema.REGION_LEVEL}: not the region's level on its other rows"


def _check_region_levels(lf, names: list[str], checks: dict, expected: dict) -> dict:
    """Add to ``checks`` the rows of a foreign table whose region_level differs from the one
    the region has on its other rows (a cell blanked or typed 'County' by hand): every stage
    sums and compares within a region level, so the row became a region of its own at another
    level -- its LQ taken against a benchmark of that one row, its industry missing from the
    region's own sums -- exit 0.  Worked out on the distinct (region, region_level) pairs;
    returns each wrong pair with the region's usual level (the one most of its rows have; of
    two as common, the first in sort order)."""
    import polars as pl

    if schema.REGION_LEVEL not in names:
        return {}
    region, level = pl.col(schema.REGION), pl.col(schema.REGION_LEVEL)
    pairs = (lf.group_by(schema.REGION, schema.REGION_LEVEL).len()
             .filter(pl.len().over(schema.REGION) > 1).collect())
    if not pairs.height:
        return {}
    usual = {}
    for (code,), group in pairs.group_by(schema.REGION):
        top = group.sort(["len", schema.REGION_LEVEL], descending=[True, False],
                         nulls_last=True).row(0, named=True)
        usual[code] = top[schema.REGION_LEVEL]
    wrong = {(c, lv): usual[c] for c, lv, _n in pairs.iter_rows() if lv != usual[c]}
    empty, sep = "\x00", "\x1f"
    key = pl.concat_str([region.fill_null(""), level.fill_null(empty)], separator=sep)
    checks[_REGION_LEVEL_CHECK] = key.is_in(
        [c + sep + (empty if lv is None else lv) for c, lv in wrong])
    expected[_REGION_LEVEL_CHECK] = "one region_level per region"
    return wrong
_KNOWN_CLASSIFICATIONS = (schema.NAICS, schema.NACE, schema.NACE_R11)


def _check_codes_and_levels(lf, names: list[str], checks: dict, expected: dict,
                            on_values: dict) -> dict:
    """Add to ``checks`` the tests of a foreign table's classification and level cells, which
    every stage takes as ingest writes them: a classification outside the vocabulary ('NAISC'
    read as custom, silently), a NAICS or NACE code that is none (ingest refuses it), and a
    level that is not the code's own (a level typed by hand, or 'level = digits' making 10 and
    31-33 levels 2 and 5): lq grouped the industry with the codes of that level (region
    totals summed over two levels), indices and detect took a lone row at level 5 for the
    deepest level, and impute and detect failed with "internal error: ShapeError".  An empty
    level is no problem here: :func:`fill_levels` gives it the code's.  The levels are worked
    out on the distinct (industry, classification, level) triples, few beside the rows; the
    row checks are added only when a triple is wrong.  Returns the wrong triples, each with
    the code's own level (None where the code is none of its classification)."""
    import polars as pl

    from clusterid.core.codes import level_expr

    if schema.CLASSIFICATION not in names:
        return {}
    cls = pl.col(schema.CLASSIFICATION)
    name = f"{schema.CLASSIFICATION}: not a classification"
    checks[name] = (~cls.is_in(list(schema.CLASSIFICATIONS))).fill_null(False)
    expected[name] = "one of " + ", ".join(schema.CLASSIFICATIONS)
    on_values[name] = schema.CLASSIFICATION
    if schema.LEVEL not in names:
        return {}
    triples = (lf.select(schema.INDUSTRY, schema.CLASSIFICATION,
                         pl.col(schema.LEVEL).cast(pl.Int16)).unique()
               .filter(cls.is_in(list(_KNOWN_CLASSIFICATIONS)) & pl.col(schema.INDUSTRY).is_not_null())
               .with_columns(level_expr().cast(pl.Int16).alias("_own"))
               .filter(pl.col("_own").is_null()
                       | (pl.col(schema.LEVEL).is_not_null() & (pl.col(schema.LEVEL) != pl.col("_own"))))
               .collect())
    if not triples.height:
        return {}
    wrong = {(i, c, lv): own for i, c, lv, own in triples.iter_rows()}
    key = pl.concat_str([pl.col(schema.INDUSTRY).fill_null(""), cls.fill_null(""),
                         pl.col(schema.LEVEL).cast(pl.String).fill_null("")], separator="\x1f")
    bad_code = [f"{i}\x1f{c}\x1f{'' if lv is None else lv}" for (i, c, lv), own in wrong.items()
                if own is None]
    bad_level = [f"{i}\x1f{c}\x1f{lv}" for (i, c, lv), own in wrong.items() if own is not None]
    if bad_code:
        name = f"{schema.INDUSTRY}: not a code of its classification"
        checks[name] = key.is_in(bad_code)
        expected[name] = ("a code of the row's classification (NAICS: 2-6 digits or "
                          "31-33/44-45/48-49; NACE: section A-U, division C10, group C10.1, "
                          "class C10.11; 10 for all industries), or the classification custom")
    if bad_level:
        checks[_LEVEL_CHECK] = key.is_in(bad_level)
        expected[_LEVEL_CHECK] = "the level of the industry code in its classification"
    return wrong


def fill_levels(lf):
    """A foreign table's empty level cells given the level of their code (NAICS, NACE), as
    ingest gives them; left empty, lq summed the row's region total over every level (a
    region's share of construction halved) and impute failed.  Custom codes have none."""
    import polars as pl

    from clusterid.core.codes import level_expr

    names = lf.collect_schema().names()
    if schema.LEVEL not in names or schema.CLASSIFICATION not in names:
        return lf
    level = pl.col(schema.LEVEL)
    return lf.with_columns(
        pl.when(level.is_null() & pl.col(schema.CLASSIFICATION).is_in(list(_KNOWN_CLASSIFICATIONS)))
        .then(level_expr()).otherwise(level).cast(lf.collect_schema()[schema.LEVEL])
        .alias(schema.LEVEL))


def _ragged_records(path, width: int, shown: str, header_at: int = 1) -> list[Problem]:
    """One problem per CSV record (a quoted cell's line break honoured; blank lines pass)
    whose field count is not ``width``, at the line the record starts on."""
    from clusterid.io.readers.text import csv_records

    problems = []
    for line, row in csv_records(path, header_at):
        if row and any(c.strip() for c in row) and len(row) != width:
            problems.append(Problem(
                f"row has {len(row)} fields, the header has {width}", path=shown, line=line,
                expected=f"{width} fields", found=",".join(row)[:60],
                hint="a separator inside an unquoted value, or a cut line?"))
    return problems[:FOREIGN_PROBLEMS_SHOWN]


def _record_lines(path, rows: list[int], header_at: int = 1, delimiter: str = ",") -> list[int]:
    """The line each of the 0-based data ``rows`` of the CSV ``path`` starts on (its header on
    line ``header_at``): ``row + header_at + 1`` unless a quoted cell above it holds a line
    break.  Read with the csv module up to the last row asked for (only to locate problems);
    ``delimiter``: the file's separator (a reference table may use ';')."""
    from clusterid.io.readers.text import csv_records

    wanted, found = set(rows), {}
    if not wanted:
        return []
    last = max(wanted)
    for i, (line, _row) in enumerate(csv_records(path, header_at, delimiter)):
        if i in wanted:
            found[i] = line
        if i >= last:
            break
    return [found.get(r, r + header_at + 1) for r in rows]


def _cut(cell) -> str:
    """A cell's text as a message shows it: at most 60 characters (the key beside it whole)."""
    text = "an empty cell" if cell is None else str(cell)
    return text if len(text) <= 60 else text[:57] + "..."


# the largest plain canonical CSV without clusterid's metadata that is parsed once and checked
# in memory (a frame of about its size); a larger one, or a gzip-compressed one, is checked in
# streaming passes over the file, as a table of any size can be
HELD_CSV_BYTES = 1 << 30


def _plain_size(p: Path) -> float:
    """Bytes of a plain text file; infinite for a gzip-compressed one (its size unknown)."""
    with open(p, "rb") as fh:
        if fh.read(2) == b"\x1f\x8b":
            return float("inf")
    return p.stat().st_size


def _parsed(path: str, lf, csv_types: dict, label: str | None = None):
    """``lf`` read into memory, as a LazyFrame over it: the numeric columns are parsed on the
    way, so a cell that is no number is a located problem, as :func:`_check_numbers` says."""
    import polars as pl

    try:
        return lf.collect().lazy()
    except pl.exceptions.PolarsError as exc:
        _raise_bad_number(path, [c for c, t in csv_types.items() if t.is_numeric()], label, exc)


def _raise_bad_number(path: str, numeric: list[str], label: str | None, exc) -> None:
    """The DataError for a CSV polars could not parse: a row with more fields than the header
    (located by :func:`~clusterid.io.readers.rowcheck.ragged_lines`), else the first cell of a
    numeric column that is no number."""
    import dataclasses

    import polars as pl

    if "more fields" in str(exc):
        from clusterid.io.readers.rowcheck import ragged_lines

        at = header_line_number(path)
        width = len(pl.read_csv(path, glob=False, n_rows=0, infer_schema_length=0, skip_lines=at - 1).columns)
        odd: list[int] = []
        if ragged := ragged_lines(path, width, display=label or path, quotes=odd):
            if odd:  # a quoted cell's line break is no cut row: counted per record
                ragged = _ragged_records(path, width, label or path, at) or ragged
            raise DataError(problems=ragged) from exc
    # the cell the CSV reader names ('could not parse `12\xa0` as dtype `f64` at column ...')
    named = re.search(r"could not parse `(.*?)` as dtype `f\d+` at column '(.+?)'", str(exc))
    problem = _first_bad_cell(path, numeric, (named.group(2), named.group(1)) if named else None)
    if problem.line is None:  # no cell is to blame: an open quote ran the rows together
        from clusterid.io.readers.rowcheck import ragged_lines, stray_quote

        odd: list[int] = []
        width = len(pl.read_csv(path, glob=False, n_rows=0, infer_schema_length=0,
                                skip_lines=header_line_number(path) - 1).columns)
        ragged = ragged_lines(path, width, display=label or path, quotes=odd)
        if odd:
            raise DataError(problems=[stray_quote(path, label or path, odd[0])]) from exc
        if ragged:
            raise DataError(problems=ragged) from exc
    raise DataError(problems=[dataclasses.replace(problem, path=label or path)]) from exc


def _padded_text(cell):
    """Expression: a text cell with blanks before or after it."""
    return cell.str.contains(r"^\s|\s$").fill_null(False)


def _strictly_ascending(columns: list[str]):
    """Expression: every row's ``columns`` come after the row above's, compared in order (the
    first that differs decides); False where a cell is empty."""
    import polars as pl

    after = pl.lit(False)
    for c in reversed(columns):
        cell, above = pl.col(c), pl.col(c).shift()
        after = (cell > above) | ((cell == above) & after)
    return after.slice(1).fill_null(False).all()


def _any_value(lf, column: str, flag, distinct: dict) -> bool:
    """Whether the expression ``flag`` (on ``column`` alone) holds for one of the column's
    distinct values (null among them); ``distinct`` keeps each column's values for the next
    check of the same column (blanks, then the period, control-character or status check)."""
    import polars as pl

    if column not in distinct:
        distinct[column] = lf.select(pl.col(column).unique()).collect()
    return distinct[column].select(flag.any()).item()


_CODES_AS_TEXT_HINT = ("read and saved again by pandas or polars? read the codes as text "
                       "(pandas: dtype={'region': str, 'industry': str}) and save it again, or "
                       "give the table clusterid wrote")


def _check_numbers(path: str, lf, csv_types: dict | None, label: str | None = None) -> None:
    """The numeric columns of a canonical table hold numbers (a hand-edited or foreign file
    otherwise fails later, inside some stage, as an internal error).  Parquet: by the schema;
    CSV (``csv_types``: the dtypes it is read with): one streaming pass over those columns."""
    import polars as pl

    if csv_types is None:
        names = lf.collect_schema()
        wanted = schema.polars_schema(schema.measures_in(list(names)))
        bad = [c for c, t in wanted.items() if c in names and t.is_numeric()
               and not names[c].is_numeric() and names[c] != pl.Null]
        # the industry level is a whole number: a Float64 level failed inside impute/detect
        whole = [c for c, t in wanted.items() if c in names and t.is_integer()
                 and names[c].is_float()]
        # the codes are text: an integer region code lost its leading zeros, a Date period or a
        # list column failed later inside a stage as an internal error
        text = [c for c, t in wanted.items() if c in names and t == pl.String
                and names[c] not in (pl.String, pl.Null, pl.Categorical)
                and not isinstance(names[c], pl.Enum)]
        if bad or text or whole:
            raise DataError(problems=[Problem(
                "not a clusterid canonical table", path=label or path, column=c,
                expected="a numeric column",
                found=f"{names[c]} values") for c in bad] + [Problem(
                "not a clusterid canonical table", path=label or path, column=c,
                expected="a text column (codes as strings, leading zeros kept)",
                found=f"{names[c]} values",
                # a canonical CSV read by pandas (codes 49001, 11 read as int64) and saved as
                # Parquet: the line said what was wrong, not how to get the table right
                hint=_CODES_AS_TEXT_HINT if names[c].is_numeric() else None) for c in text] + [Problem(
                "not a clusterid canonical table", path=label or path, column=c,
                expected="a whole-number column",
                found=f"{names[c]} values") for c in whole])
        # a level of a wider integer type (pandas writes int64) is read as the Int8 clusterid
        # writes: a value past Int8 failed every stage with "internal error:
        # InvalidOperationError: conversion from `i64` to `i8` failed", as a CSV's '300' is
        # located (_first_bad_cell)
        if schema.LEVEL in names and names[schema.LEVEL].is_integer() \
                and names[schema.LEVEL] != pl.Int8:
            level = pl.col(schema.LEVEL)
            low, high = lf.select(level.min().alias("low"),
                                  level.max().alias("high")).collect().row(0)
            past = next((v for v in (low, high) if v is not None and not -128 <= v <= 127), None)
            if past is not None:
                row = lf.with_row_index("_row").filter(level == past).select("_row").head(1) \
                    .collect().item()
                raise DataError(problems=[Problem(
                    "not an industry level", path=label or path, column=schema.LEVEL,
                    expected="an industry level (a whole number, 0-6)", found=str(past),
                    hint=f"row {row + 1}")])
        return
    numeric = [c for c, t in csv_types.items() if t.is_numeric()]
    try:
        lf.select(pl.col(c).null_count() for c in numeric).collect(engine="streaming")
    except pl.exceptions.PolarsError as exc:
        _raise_bad_number(path, numeric, label, exc)


# a number as a spreadsheet shows it in scientific notation (``1.6991E+11``, ``1,6991E+11``):
# clusterid writes none (polars writes ``1e+16``, past any plausible count), and one whose
# mantissa has fewer decimals than its exponent has lost digits of a whole count
_SPREADSHEET_EXPONENT = r"^[-+]?\d(?:[.,](\d*))?E\+(\d+)$"
SPREADSHEET_ROUNDED = "a number cut to the digits a spreadsheet showed"
SPREADSHEET_ROUNDED_HINT = ("the table was saved again by a spreadsheet, which wrote large "
                            "numbers in scientific notation and lost their last digits; use the "
                            "table clusterid wrote, or format the columns as numbers without an "
                            "exponent before saving")


def spreadsheet_rounded(raw):
    """Expression on a string cell: a number in a spreadsheet's scientific notation that
    cannot hold every digit of a whole number (fewer decimals in its mantissa than its
    exponent: ``1.6991E+11`` is 169,910,000,000, the 169,909,519,858 it stood for lost)."""
    import polars as pl

    parts = raw.str.strip_chars().str.extract_groups(_SPREADSHEET_EXPONENT)
    digits = parts.struct.field("1").fill_null("").str.len_chars().cast(pl.Int64)
    exponent = parts.struct.field("2").cast(pl.Int64, strict=False)
    return (exponent.is_not_null() & (digits < exponent)).fill_null(False)


def _check_spreadsheet_numbers(p: Path, shown: str, columns: list[str]) -> None:
    """A canonical CSV clusterid did not write, whose numeric cells hold a spreadsheet's
    rounded scientific notation (``1.6991E+11``), is refused: polars reads it as a number, and
    the digits the spreadsheet dropped (480 million dollars of New York's wages) moved every LQ
    of the measure.  A byte scan for ``E+`` first; the cells are read only when it is there."""
    check_spreadsheet_numbers(p, shown, columns, hint=SPREADSHEET_ROUNDED_HINT)


def check_spreadsheet_numbers(p, shown: str, columns: list[str], hint: str, rename=None,
                              plain_only: bool = False) -> None:
    """Raise DataError locating the numeric cells of CSV ``p`` (``columns``, named after
    ``rename`` of the header when given) that a spreadsheet cut to scientific notation
    (:func:`spreadsheet_rounded`).  A byte scan for ``E+`` first, at memory speed; the cells
    are read only when it is there.  ``plain_only``: a gzip-compressed file is not scanned (no
    spreadsheet writes one; an agency's large file is left its one decompression)."""
    import polars as pl

    from clusterid.io.readers.text import GZIP_MAGIC, header_line, open_maybe_gzip

    if not columns:
        return
    with open(p, "rb") as fh:
        if plain_only and fh.read(2) == GZIP_MAGIC:
            return
    with open_maybe_gzip(p) as fh:
        tail = b""
        while chunk := fh.read(1 << 22):
            if b"E+" in chunk or tail + chunk[:1] == b"E+":
                break
            tail = chunk[-1:]
        else:
            return
    extra = {"with_column_names": rename} if rename else {}
    at = header_line(p)[0]  # blank lines before the header: skipped, and counted in the lines
    rows = pl.scan_csv(p, glob=False, infer_schema=False, skip_lines=at - 1, **extra).select(columns).with_row_index("_row")
    found = (rows.filter(pl.any_horizontal(spreadsheet_rounded(pl.col(c)) for c in columns))
             .head(FOREIGN_PROBLEMS_SHOWN).collect(engine="streaming"))
    problems = []
    for r in found.iter_rows(named=True):
        for c in columns:
            cell = r[c]
            if cell is not None and pl.select(spreadsheet_rounded(pl.lit(cell))).item():
                problems.append(Problem(SPREADSHEET_ROUNDED, path=shown, line=r["_row"] + at + 1,
                                        column=c, expected="the number written in full",
                                        found=cell.strip(), hint=hint))
    if problems:
        raise DataError(problems=problems[:FOREIGN_PROBLEMS_SHOWN])


# a missing number as R writes it (see scan_canonical)
R_MISSING = "NA"


def _r_text_missing(header: list[str]) -> list:
    """Expressions reading R's NA in the text columns of a table clusterid did not write.

    R writes an empty text column as NA too (read.csv takes a column empty on every row, a
    Länder table's names and region level, for logical NA; readr's write_csv any empty cell):
    lq and stats said region 'Bayern' named 'NA' of region level 'NA', and impute wrote a flag
    'NA' on every reported cell.  The names and the region level, which clusterid never writes
    as NA, are empty then, and so is a reported cell's flag NA (a marker goes with a withheld
    cell); keys keep NA (a region coded NA), a withheld cell's flag its marker NA."""
    import polars as pl

    def empty_where(column: str, where):
        return pl.when(where).then(None).otherwise(pl.col(column)).alias(column)

    names = [empty_where(c, pl.col(c) == R_MISSING) for c in
             (schema.REGION_NAME, schema.INDUSTRY_NAME, schema.REGION_LEVEL) if c in header]
    flags = [empty_where(schema.flag_col(m), (pl.col(schema.flag_col(m)) == R_MISSING)
                         & (pl.col(schema.status_col(m)) == schema.REPORTED))
             for m in schema.measures_in(header)
             if schema.flag_col(m) in header and schema.status_col(m) in header]
    return names + flags


def _first_bad_cell(path: str, columns: list[str], named: tuple[str, str] | None = None) -> Problem:
    """The first cell of ``columns`` that is no number, located; ``named``: (column, cell) the
    CSV reader's error names, found as it is written (the reader and Python's ``float`` do
    not agree on every blank around a number)."""
    import csv
    import re

    from clusterid.io.readers.text import open_maybe_gzip

    with open_maybe_gzip(path, "rt", newline="", encoding="utf-8", errors="replace") as fh:
        reader = csv.reader(fh)
        # the header, after any blank lines before it (counted in the lines)
        header = next((row for row in reader if any(c.strip() for c in row)), [])
        at = {c: header.index(c) for c in columns if c in header}
        line = reader.line_num + 1
        for row in reader:
            if [c.strip(" \ufeff") for c in row] == [h.strip(" \ufeff") for h in header] and at:
                # two canonical CSVs joined with cat (or a copy pasted under itself): the
                # header again, said as "column 'level': not a number ... found 'level'"
                return Problem("the header again inside the table", path=path, line=line,
                               expected="a row of data", found=",".join(row)[:60],
                               hint="files joined with cat? give them to the command as "
                                    "separate inputs (a.csv b.csv), or remove the line")
            for c, i in at.items():
                cell = row[i].strip() if i < len(row) else ""
                if cell == R_MISSING:  # an empty cell as R writes it (read so: scan_canonical)
                    continue
                if named and named == (c, row[i] if i < len(row) else None):
                    return Problem("not a number", path=path, line=line, column=c,
                                   expected="a number (a canonical table's numeric column)",
                                   found=row[i])
                try:
                    float(cell or "0")
                    # Python reads '1_000', '１２' and '١٢' (and strips a no-break space); the
                    # CSV reader does not, and such a cell went unlocated
                    if not cell.isascii() or "_" in cell:
                        raise ValueError(cell)
                except ValueError:
                    return Problem("not a number", path=path, line=line, column=c,
                                   expected="a number (a canonical table's numeric column)", found=cell)
                # the level is read as Int8: '2.5' or '300' was an unlocated "not a number"
                if c == schema.LEVEL and not (re.fullmatch(r"[-+]?\d{1,3}", cell or "0")
                                              and -128 <= int(cell or "0") <= 127):
                    return Problem("not a whole number", path=path, line=line, column=c,
                                   expected="an industry level (a whole number, 0-6)", found=cell)
            line = reader.line_num + 1
    return Problem("not a number in a numeric column", path=path, expected="numbers")
