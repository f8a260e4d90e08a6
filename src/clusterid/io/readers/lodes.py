r'''U.S. Census Bureau LEHD Origin-Destination Employment Statistics (LODES), Workplace Area
Characteristics (WAC) -> canonical frame.

LODES counts jobs by the census block where they are (``w_geocode``), a year a file, with the
jobs of each of the 20 NAICS sectors in columns ``CNS01`` .. ``CNS20``; it is the finest
public U.S. table of employment by place and industry, and has no suppressed cells (the Census
Bureau protects it by noise infusion instead).  The layout (LODES 7 and 8, file
``[st]_wac_[SEG]_[TYPE]_[YEAR].csv.gz``, e.g. ``ut_wac_S000_JT00_2019.csv.gz``)::

    w_geocode,C000,CA01,CA02,CA03,CE01,CE02,CE03,CNS01,...,CNS20,CR01,...,CFS05,createdate
    490019641001000,47,12,20,15,5,22,20,0,5,...,20211018

Mapping to the canonical table, and why:

* region = the block's county, ``w_geocode``'s first five digits: the blocks are summed (job
  counts add exactly).  ``--region-level`` chooses another geography to sum to: ``state``
  (2 digits), ``county`` (5, the default: a cluster study's regions), ``tract`` (11),
  ``blockgroup`` (12) or ``block`` (15, as published).  The region level column says which.
  A geocode of 14 digits is a 15-digit one whose leading 0 a spreadsheet took away (the
  states 01-09): padded back; any other length or a non-digit is a bad cell.
* industry = the NAICS sector of each ``CNSnn`` column (:data:`SECTORS`: ``CNS05`` is 31-33,
  ``CNS20`` public administration 92), level 2; ``C000`` (all jobs) is the all-industry row,
  code ``10``, level 0.  The age, earnings, race, education, sex, firm age and firm size
  columns are other splits of C000, not industries: not read.
* period = the year in the file name (``..._2019.csv``), else ``--period``.
* ownership = from the job type in the file name: ``JT00``/``JT01`` (all / primary jobs)
  ``total``, ``JT02``/``JT03`` (private) ``private``, ``JT04``/``JT05`` (federal)
  ``federal``; without a type in the name ``total``.  The segment (``S000`` all workers,
  ``SA01`` age 29 or younger, ...) is named in the notes: a segment's file counts the jobs of
  those workers only.
* employment = the jobs, status ``reported`` (nothing is suppressed); a cell that is no whole
  number >= 0 is a bad cell (file, line, column), its block left out of the sums.  The rows
  read are the file's blocks; the rows kept, their sums.

The Residence Area Characteristics (``h_geocode``: jobs counted where the workers live) and the
origin-destination files (no industries) are refused: an industry's jobs by residence are no
measure of where the industry is.
'''

from __future__ import annotations

import csv
import io
import re

from clusterid import schema
from clusterid.errors import DataError, InputFileError, Problem, UsageError

NAME = "lodes"
SECTORS = {
    "CNS01": "11", "CNS02": "21", "CNS03": "22", "CNS04": "23", "CNS05": "31-33",
    "CNS06": "42", "CNS07": "44-45", "CNS08": "48-49", "CNS09": "51", "CNS10": "52",
    "CNS11": "53", "CNS12": "54", "CNS13": "55", "CNS14": "56", "CNS15": "61", "CNS16": "62",
    "CNS17": "71", "CNS18": "72", "CNS19": "81", "CNS20": "92",
}
TOTAL = "C000"
GEOGRAPHIES = {"state": 2, "county": 5, "tract": 11, "blockgroup": 12, "block": 15}
OWNERSHIP_OF_TYPE = {"JT00": "total", "JT01": "total", "JT02": "private", "JT03": "private",
                     "JT04": "federal", "JT05": "federal"}
_NAME = re.compile(r"(?i)(?:^|[_\W])(wac|rac|od)(?:_(?:main|aux))?_(S[A-Z]{0,2}\d{2,3})_(JT0\d)_"
                   r"((?:19|20)\d\d)(?:\D|$)")
_YEAR = re.compile(r"(?:^|\D)((?:19|20)\d\d)(?:\D|$)")


def _names(header) -> set[str]:
    return {str(h).strip().strip('"').lower() for h in header}


def sniff(header: list[str], first_bytes: bytes) -> bool:  # noqa: ARG001 - the adapters' contract
    """A LODES area or origin-destination file: a block geocode column beside C000 or S000."""
    names = _names(header)
    return bool({"w_geocode", "h_geocode"} & names) and bool({"c000", "s000"} & names)


def _file_facts(path: str, period_option: str | None) -> tuple[str, str, str | None, str | None]:
    """(period, ownership, segment, job type) from the file name (``--period`` overrides)."""
    from pathlib import Path

    name = Path(path).name
    m = _NAME.search(name)
    segment, jobtype = (m.group(2).upper(), m.group(3).upper()) if m else (None, None)
    year = m.group(4) if m else (y.group(1) if (y := _YEAR.search(name)) else None)
    period = period_option or year
    if period is None:
        raise UsageError(f"{path}: a LODES file's year is in its name ([st]_wac_S000_JT00_2019.csv); "
                         "this one carries none: give it with --period 2019")
    ownership = OWNERSHIP_OF_TYPE.get(jobtype or "JT00", schema.OWNERSHIP_TOTAL)
    return str(period), ownership, segment, jobtype


def _geography(option: str | None) -> str:
    from clusterid.io.readers import levels

    chosen = levels.selected(option)
    if not chosen:
        return "county"
    if len(chosen) > 1 or chosen[0] not in GEOGRAPHIES:
        raise UsageError(f"--region-level {option}: a LODES file's blocks are summed to one of "
                         f"{', '.join(GEOGRAPHIES)} (default county)")
    return chosen[0]


def _read_one(path: str, options, geography: str):
    """(county x sector frame of one file, blocks read, bad-cell problems, note, details)."""
    import polars as pl

    from clusterid.io.ingest import display_name
    from clusterid.io.readers.text import header_line

    name = display_name(path)
    # the header line alone (polars' own read of no rows decompressed a whole gzip file)
    _at, line = header_line(path)
    header = next(csv.reader(io.StringIO(line.decode("utf-8-sig", errors="replace"))), [])
    lower = {h.strip().strip('"').lower(): h for h in header}
    if "w_geocode" not in lower or "h_geocode" in lower:
        what = ("Residence Area Characteristics file (RAC: jobs counted where the workers "
                "live)" if "w_geocode" not in lower else
                "origin-destination file (OD: home and work blocks, no industries)")
        raise DataError(problems=[Problem(
            f"a LODES {what}", path=name, line=1, column="h_geocode" if "h_geocode" in lower else None,
            expected="a Workplace Area Characteristics file (w_geocode, C000, CNS01 .. CNS20)",
            found=", ".join(header[:4]) + " ...",
            hint="clusters are found where the jobs are: download the WAC file ([st]_wac_...)")])
    wanted = [lower["w_geocode"], lower.get(TOTAL.lower())] + [lower.get(c.lower()) for c in SECTORS]
    missing = [c for c, h in zip(["w_geocode", TOTAL, *SECTORS], wanted) if h is None]
    if missing:
        raise DataError(problems=[Problem(
            "a LODES workplace file without its industry columns", path=name, line=1,
            expected="w_geocode, C000, CNS01 .. CNS20", found="no " + ", ".join(missing[:4]))])
    raw = pl.read_csv(path, columns=wanted, infer_schema=False, encoding="utf8-lossy")
    raw = raw.rename(dict(zip(wanted, ["w_geocode", TOTAL, *SECTORS])))
    # each row's line (the header is line 1); a blank line (polars reads it as a row of nulls:
    # before the notes below the table, 'not a census block code' found '') is no block
    raw = raw.with_row_index("_i").with_columns(pl.col("_i") + 2).filter(
        pl.any_horizontal(pl.col(c).is_not_null() for c in ["w_geocode", TOTAL, *SECTORS]))
    # the header again, where the next file starts (two states' WAC files joined with cat,
    # each with its header; a BOM before it where Excel saved them): each of its cells was
    # 'not a census block code' / 'not a count of jobs'
    from clusterid.io.readers import rowcheck

    again = (rowcheck.heading_cell("w_geocode").eq("w_geocode")
             & rowcheck.heading_cell(TOTAL).eq(TOTAL.lower())).fill_null(False)
    repeated = int(raw.select(again.sum()).item() or 0)
    raw = raw.filter(~again)
    code = pl.col("w_geocode").str.strip_chars().str.strip_chars('"')
    raw = raw.with_columns(
        pl.when(code.str.len_chars() == 14).then(pl.lit("0") + code).otherwise(code)
        .alias("w_geocode"),
        *(pl.col(c).str.strip_chars().cast(pl.Int64, strict=False).alias(c + "_n")
          for c in [TOTAL, *SECTORS]))
    padded = int(raw.select((code.str.len_chars() == 14).sum()).item() or 0)
    problems = []
    bad_geo = ~pl.col("w_geocode").str.contains(r"^\d{15}$").fill_null(False)
    for line, value in (raw.filter(bad_geo)
                        .select("_i", "w_geocode").head(50).iter_rows()):
        problems.append(Problem("not a census block code", path=name, line=line,
                                column=lower["w_geocode"], expected="15 digits",
                                found=str(value or "")))
    ok = ~bad_geo
    for c in [TOTAL, *SECTORS]:
        bad = pl.col(c + "_n").is_null() | (pl.col(c + "_n") < 0)
        for line, value in (raw.filter(bad & ~bad_geo)
                            .select("_i", c).head(50).iter_rows()):
            problems.append(Problem("not a count of jobs", path=name, line=line,
                                    column=lower.get(c.lower(), c), expected="a whole number >= 0",
                                    found=str(value or "")))
        ok = ok & ~bad
    blocks = raw.height
    digits = GEOGRAPHIES[geography]
    summed = (raw.filter(ok)
              .group_by(pl.col("w_geocode").str.slice(0, digits).alias(schema.REGION))
              .agg(pl.col(c + "_n").sum().alias(c) for c in [TOTAL, *SECTORS]))
    note = f"{blocks} blocks summed to {summed.height} {geography} region(s)"
    details = {name: {"layout": "LODES WAC", "blocks": blocks, "region_level": geography,
                      **({"geocodes_padded": padded} if padded else {})}}
    return summed, blocks, problems, note, details, repeated


def read(paths: list[str], options):
    """Read LODES WAC files into an :class:`~clusterid.io.ingest.AdapterResult`."""
    import polars as pl

    from clusterid.io.ingest import AdapterResult, display_name
    from clusterid.io.readers import rowcheck
    from clusterid.io.readers.qcew import expand_paths, read_header

    geography = _geography(getattr(options, "region_level", None))
    frames, problems, notes, details = [], [], [], {}
    dropped: dict[str, int] = {}
    rows_read = 0
    for path in expand_paths(list(paths)):
        try:
            period, ownership, segment, jobtype = _file_facts(path, getattr(options, "period", None))
        except OSError as exc:
            raise InputFileError(f"{path}: {exc}") from exc
        # notes pasted below the table ('Source: U.S. Census Bureau, LEHD ...', a spreadsheet's
        # padded 'Note: ...,,,'): read again without them when the read fails on them, as the
        # CBP and NES readers do; they were 'not a census block code', the file refused
        _read, (summed, blocks, found, note, det, repeated), below = rowcheck.read_without_notes(
            lambda p: _read_one(p, options, geography), path, lambda p: len(read_header(p)),
            failed=lambda r: bool(r[2]))
        if repeated:
            from clusterid.io.readers.rowcheck import REASON_REPEATED_HEADER

            dropped[REASON_REPEATED_HEADER] = dropped.get(REASON_REPEATED_HEADER, 0) + repeated
            rows_read += repeated
        problems.extend(found)
        details.update(det)
        what = ", ".join(x for x in (segment and f"segment {segment}", jobtype and
                                     f"job type {jobtype} ({ownership})") if x)
        notes.append(f"LODES WAC {display_name(path)}" + (f" ({what})" if what else "")
                     + f": {note}")
        rows_read += blocks
        if below:
            rows_read += len(below)
            notes.append(rowcheck.count_notes_below(below, dropped, display_name(path)))
        long = summed.unpivot(index=schema.REGION, on=[TOTAL, *SECTORS],
                              variable_name="_column", value_name=schema.EMPLOYMENT)
        frames.append(long.with_columns(pl.lit(period).alias(schema.PERIOD),
                                        pl.lit(ownership).alias(schema.OWNERSHIP)))
    if len({n.split(" (segment ")[1].split(",")[0] for n in notes if " (segment " in n}) > 1:
        notes.append("files of several LODES segments read together: each counts the jobs of "
                     "its own workers only")
    frame = pl.concat(frames, how="vertical_relaxed") if len(frames) > 1 else frames[0]
    codes = {TOTAL: schema.ALL_INDUSTRIES, **SECTORS}
    frame = frame.lazy().select(
        schema.PERIOD, schema.REGION, schema.OWNERSHIP,
        pl.col("_column").replace_strict(codes).alias(schema.INDUSTRY),
        pl.lit(geography).alias(schema.REGION_LEVEL),
        pl.lit(schema.NAICS).alias(schema.CLASSIFICATION),
        pl.when(pl.col("_column") == TOTAL).then(0).otherwise(2).cast(pl.Int8).alias(schema.LEVEL),
        pl.col(schema.EMPLOYMENT).cast(pl.Float64),
        pl.lit(schema.REPORTED).alias(schema.status_col(schema.EMPLOYMENT)),
    )
    return AdapterResult(frame=frame, adapter=NAME, rows_read=rows_read, notes=notes,
                         problems=problems, details=details, dropped=dict(sorted(dropped.items())))
