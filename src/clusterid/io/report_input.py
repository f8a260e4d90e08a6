"""Read the output folder of ``clusterid detect`` for the report.

The folder's format is documented at the top of :mod:`clusterid.cli.detect`.  Every file is read
with string dtypes and the numeric columns are cast strictly, so a malformed cell is reported
(file, line, column) instead of silently becoming missing.  Optional files and columns may be
absent: the report shows what there is.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clusterid import schema
from clusterid.errors import DataError, InputFileError, Problem
from clusterid.io.ingest import sha256_of

REQUIRED = ("clusters.csv", "cluster_summary.csv", "regional_clusters.csv")
OPTIONAL = ("region_summary.csv", "relatedness.csv")

FLOAT_COLUMNS = {
    "coassignment", "similarity_own", "similarity_other", schema.EMPLOYMENT, "employment_lower",
    "employment_upper", schema.ESTABLISHMENTS, schema.WAGES, "region_employment", "share", "lq",
    "lq_ci_lower", "lq_ci_upper", "lq_min", "lq_max", "employment_growth", "lq_change",
    "within_similarity", "vs_industry", "mean_coassignment", "traded_employment",
    "strong_traded_employment", "cluster_strength", "rd_employment", "rd_lq",
    "higher_ed_employment", "higher_ed_lq", "similarity",
}
INT_COLUMNS = {"n_industries", "n_suppressed", "n_core", "n_industries_data", "n_regions",
               "n_strong", "stars", "rank_in_region", "rank_in_cluster"}
BOOL_COLUMNS = {"core", "strong", "strong_robust", "star_size", "star_specialisation", "star_focus"}


@dataclass
class DetectResults:
    folder: Path
    clusters: Any  # polars.DataFrame
    summary: Any
    regional: Any
    region_summary: Any | None
    relatedness: Any | None
    metadata: dict[str, Any]
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256
    edited: list[str] = field(default_factory=list)  # tables unlike detect's recorded checksum
    missing: list[str] = field(default_factory=list)  # tables detect recorded that are gone


def _read_csv(path: Path):
    import polars as pl

    from clusterid.io.tables import check_text

    # a NUL byte: polars kept it inside a cell of the report
    check_text(path, str(path), hint="run `clusterid detect` again into this folder")
    _check_separator(path)
    hint = "the file was cut; run `clusterid detect` again into this folder"
    try:
        df = pl.read_csv(path, glob=False, infer_schema_length=0, null_values=[""])
    except Exception as exc:  # noqa: BLE001 - polars raises several kinds for a bad CSV
        # a copy cut inside a quoted name ('"Other services, excep'): polars' "could not
        # parse ... as dtype str" named no line; the cut row, located, says what happened
        try:
            cut = _ragged_records(path, len(_header_fields(path)), hint)
        except (EOFError, OSError, zlib.error):
            # bytes that open as gzip (a table replaced by a cut .gz): the record count ended
            # in "aborted", exit 130, as if Ctrl-C had been pressed; said as unreadable below
            cut = []
        if cut:
            raise DataError(problems=cut) from exc
        raise DataError(problems=[Problem("not a readable CSV file", path=str(path),
                                          found=str(exc).splitlines()[0])]) from exc
    from clusterid.io.readers.rowcheck import ragged_lines

    # a row cut short (a copy or a write stopped mid-row): polars filled its cells with nulls
    ragged = ragged_lines(str(path), len(df.columns), hint=hint)
    if ragged:
        # the fast check counts fields per line: a name holding a line break (a quoted field
        # over two lines, as detect writes it) is no cut row; count per record to be sure
        ragged = _ragged_records(path, len(df.columns), hint)
    if ragged:
        raise DataError(problems=ragged)
    problems: list[Problem] = []
    casts = []
    for col in df.columns:
        if col in FLOAT_COLUMNS or col in INT_COLUMNS:
            dtype = pl.Float64 if col in FLOAT_COLUMNS else pl.Int64
            parsed = df[col].cast(dtype, strict=False)
            # inf, NaN, 1e400 (a table edited by hand): detect writes none, and the report
            # drew them as a bubble at infinity, or wrote NaN as the LQ, exit 0
            text = df[col].is_not_null() & parsed.is_null()
            bad = text | (parsed.is_not_null() & ~parsed.cast(pl.Float64).is_finite())
            if bad.any():
                i = int(bad.arg_max())
                problems.append(Problem("not a number" if text[i] else "not a finite number",
                                        path=str(path), line=_record_line(path, i), column=col,
                                        expected="a number or an empty cell", found=df[col][i]))
            casts.append(parsed.alias(col))
        elif col in BOOL_COLUMNS:
            low = df[col].str.to_lowercase()
            ok = low.is_null() | low.is_in(["true", "false", "1", "0"])
            if not ok.all():
                i = int((~ok).arg_max())
                problems.append(Problem("not a boolean", path=str(path), line=_record_line(path, i), column=col,
                                        expected="true or false", found=df[col][i]))
            casts.append(low.is_in(["true", "1"]).alias(col))
    if problems:
        raise DataError(problems=problems)
    return df.with_columns(casts) if casts else df


def _record_line(path: Path, index: int) -> int:
    """The line record ``index`` (0 = the first after the header) starts on: ``index + 2``
    unless a quoted field before it holds a line break (a name typed with Alt+Enter)."""
    from clusterid.io.readers.text import csv_records

    for number, (start, _row) in enumerate(csv_records(path)):
        if number == index:
            return start
    return index + 2


def _cut_at_the_end(path: Path) -> Problem | None:
    """A problem when ``path`` does not end with a line break (an empty file is left to the
    reading, which says so)."""
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        if not size:
            return None
        fh.seek(size - 1)
        if fh.read(1) in (b"\n", b"\r"):
            return None
        fh.seek(0)
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) + 1
    return Problem("cut short: not the table detect wrote (its checksum differs), and it ends "
                   "inside its last line", path=str(path), line=lines,
                   expected="a line break after the last row, as detect writes it",
                   found="no line break",
                   hint="the file was cut (a copy stopped?); run `clusterid detect` again into "
                        "this folder, or, edited by hand, end it with a line break")


def _header_fields(path: Path) -> list[str]:
    """The header line's fields (none for an empty file)."""
    import csv

    with open(path, newline="", encoding="utf-8", errors="replace") as fh:
        return next(csv.reader(fh), [])


def _ragged_records(path: Path, width: int, hint: str) -> list[Problem]:
    """One problem per CSV record (quoted line breaks honoured) whose field count is not
    ``width``, at the line the record starts on."""
    from clusterid.io.readers.text import csv_records

    problems = []
    for start, row in csv_records(path):
        if row and len(row) != width:
            problems.append(Problem(f"row has {len(row)} fields, the header has {width}",
                                    path=str(path), line=start, expected=f"{width} fields",
                                    found=",".join(row)[:60], hint=hint))
    return problems


def _check_separator(path: Path) -> None:
    """Refuse a table whose header has no comma but semicolons or tabs: detect's CSV re-saved
    by a spreadsheet set to German or Russian conventions, which polars could only report as
    "found more fields than defined in 'Schema'"."""
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        header = fh.readline(1 << 16).rstrip("\r\n")
    if "," in header:
        return
    for sep, shown in ((";", "';'"), ("\t", "a tab")):
        if sep in header:
            raise DataError(problems=[Problem(
                f"fields separated by {shown}, not commas", path=str(path), line=1,
                expected="comma-separated CSV, as detect writes it", found=header,
                hint="a spreadsheet's re-save? Save it as CSV with commas and UTF-8, or run "
                     "`clusterid detect` again into this folder")])


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


def read_detect_folder(folder: str | Path) -> DetectResults:
    """Read a detect output folder; InputFileError when it is not one, DataError when malformed."""
    p = Path(folder)
    if not p.exists() and str(folder) == "-":  # was '-: no such folder'
        raise InputFileError("-: report reads a detect output folder, not standard input "
                             "(expected the folder `clusterid detect -o FOLDER` wrote)")
    if not p.exists():
        raise InputFileError(f"{folder}: no such folder")
    if not p.is_dir():
        raise InputFileError(f"{folder}: is a file; expected the output folder of `clusterid detect`",
                             problems=[Problem("is a file", path=str(folder),
                                               expected="the output folder of `clusterid detect`",
                                               hint="run `clusterid detect INPUT -o FOLDER` first")])
    missing = [name for name in REQUIRED if not (p / name).is_file()]
    if missing:
        raise InputFileError(problems=[Problem(
            "not a `clusterid detect` output folder", path=str(folder),
            expected=", ".join(REQUIRED), found="missing " + ", ".join(missing),
            hint="run `clusterid detect INPUT -o FOLDER` first")])
    # detect writes metadata.json last, after every table is in place, and removes the old one
    # before it renames: without it the folder is a run that did not finish.
    meta_path = p / "metadata.json"
    if not meta_path.is_file():
        raise InputFileError(problems=[Problem(
            "incomplete `clusterid detect` output folder", path=str(folder),
            expected="metadata.json beside the tables (written last by detect)",
            found="no metadata.json", hint="a detect run was interrupted; run it again")])
    try:
        # NaN and Infinity are no JSON (detect writes none): read, the JSON report failed
        # on them, "internal error: ValueError: Out of range float values are not JSON compliant"
        meta = json.loads(meta_path.read_text(encoding="utf-8"), parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataError(problems=[Problem("not valid JSON", path=str(meta_path),
                                          found=str(exc))]) from exc
    if not isinstance(meta, dict):
        raise DataError(problems=[Problem("not a detect metadata file", path=str(meta_path),
                                          expected="a JSON object", found=type(meta).__name__)])
    files = {}
    for name in (*REQUIRED, *OPTIONAL, "metadata.json"):
        if (p / name).is_file():
            files[name] = sha256_of(p / name)
    # A table that differs from the checksum detect recorded was edited by hand (cluster names,
    # say) or copied from another run: read, and named in ``edited`` for the report to say so.
    recorded = meta.get("files") if isinstance(meta.get("files"), dict) else {}
    written = [name for name, entry in recorded.items()
               if isinstance(entry, dict) and entry.get("sha256")]
    edited = sorted(name for name in written
                    if name in files and files[name] != recorded[name]["sha256"])
    # an optional table detect wrote that is not there (a partial copy): named as missing
    missing = sorted(name for name in written if name not in files)
    tables = dict(
        clusters=_read_csv(p / "clusters.csv"),
        summary=_read_csv(p / "cluster_summary.csv"),
        regional=_read_csv(p / "regional_clusters.csv"),
        region_summary=_read_csv(p / "region_summary.csv") if (p / "region_summary.csv").is_file() else None,
        relatedness=_read_csv(p / "relatedness.csv") if (p / "relatedness.csv").is_file() else None)
    # an edited table whose last line has no line break was cut, not edited: detect ends every
    # table with one, and a copy that stopped on a field boundary ('...,0.71' of '0.7134')
    # left rows of the right width, read as an edit with a wrong last value (or a period's
    # regions gone), exit 0.  (A row cut short was said by the reading, at its line.)
    cut = [_cut_at_the_end(p / name) for name in edited if name != "metadata.json"]
    if any(cut):
        raise DataError(problems=[c for c in cut if c is not None])
    return DetectResults(
        folder=p,
        **tables,
        metadata=meta,
        files=files,
        edited=edited,
        missing=missing,
    )
