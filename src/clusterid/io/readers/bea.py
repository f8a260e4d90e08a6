r'''U.S. Bureau of Economic Analysis regional employment by industry (CAEMP25N, SAEMP25N) ->
canonical frame.

The layout BEA publishes (the bulk ``CAEMP25N__ALL_AREAS_2001_2022.csv``, a state's
``CAEMP25N_UT_2001_2022.csv``, ``SAEMP25N__ALL_AREAS_1998_2022.csv`` and the Interactive Data
CSV download, which may carry title lines above the header)::

    "GeoFIPS","GeoName","Region","TableName","LineCode","IndustryClassification","Description","Unit","2001",...
    " ""49000""","Utah",7,"CAEMP25N",10,"...","Total employment (number of jobs)","Number of jobs",1416283,...
    ...
    "Note. See the included footnote file."
    "Last updated: November 16, 2023-- new statistics for 2022; ..."

Years are columns (wide); one line per area and line code; footnote lines (one field each)
close the file.  ``TableName`` and ``Unit`` may be missing (older ``CA25N`` files have
``Table`` and no unit); they are checked when present.  The Interactive Data download
(``"GeoFips","GeoName","LineCode","Description","2016",...`` below title lines) has no
``IndustryClassification``: the line's title then names the sector (:data:`SECTOR_TITLES`,
BEA's sector titles; a title not there is a non-industry line).

Mapping to the canonical table, and why:

* region = ``GeoFIPS`` with BEA's quotes and blanks taken off (``" ""49000"""`` -> ``49000``),
  five digits.  region_level: ``00000`` the nation (``nation``, usable as ``--benchmark
  region:00000``), ``xx000`` a state (``state``), ``91000``-``98000`` BEA's eight regions
  (New England ... Far West: sums of states, level ``aggregate``, never a place compared with
  the states), a GeoName ending "(Metropolitan Statistical Area)", "(Micropolitan Statistical
  Area)" or "(Combined Statistical Area)" ``msa``/``microsa``/``csa`` (CBSA codes look like
  county codes, so the name decides), "... portion" lines (metropolitan and nonmetropolitan
  portions of a state: sums of counties) ``aggregate``; every other code a county (BEA's
  Virginia county-city combinations ``51901`` ... included).  The level column is the one
  QCEW's reader writes, so ``--region-level county`` keeps the counties of a file of all areas.
  BEA's ``Region`` column (the BEA region number 1-8 of the area) is not the region.
* period = each year column (``2016``); the cells of a line become one row per year.
* industry = ``IndustryClassification`` as a NAICS code (sectors ``21`` ... ``81`` and the
  ranges ``31-33``, ``44-45``, ``48-49`` are known codes).  Special lines:

  - "Total employment" (line 10, classification ``...``) is all industries, code ``10``
    (:data:`clusterid.schema.ALL_INDUSTRIES`), level 0: it is the region total every LQ
    divides by.
  - "Government and government enterprises" is ``92`` (whatever classification the vintage
    prints), level 2: BEA's sectors, farm and forestry and government add up to the total.
  - "Farm employment" (``111-112``) and "Forestry, fishing, and related activities"
    (``113-115``) are the two halves of NAICS sector ``11``, which no line gives: they are
    summed into one ``11`` row per area and year (suppressed when either half is, with the
    bounds the reported half and the other's bounds give), so the sectors still add up to
    the total and ``11`` compares with QCEW's and CBP's ``11``.  A half without the other (a
    cut file) cannot make ``11``: dropped, counted.
  - every other line with classification ``...`` (wage and salary employment, proprietors,
    farm and nonfarm proprietors, nonfarm and private nonfarm employment, federal civilian,
    military, state and local government) is a split of the total or of government by type
    of job, not an industry: dropped, counted (as rows: one per line and year).

* ownership ``total`` (BEA counts all jobs); classification ``NAICS``.
* employment = the cell.  Markers (BEA's legend):

  - ``(D)`` "not shown to avoid disclosure of confidential information; estimates are included
    in higher-level totals": suppressed, flag ``(D)``, no bounds (never 0).
  - ``(L)`` "less than 10 jobs, but the estimate is included in the totals": suppressed with
    bounds 0 and 9 (the convention of CBP's employment-size flags: a suppressed value between
    bounds), flag ``(L)``.
  - ``(NA)`` not available, ``(NM)`` not meaningful, ``(T)`` (too unreliable / withheld),
    ``(S)``: null, ``suppressed`` (the only status of a value not there), flag kept verbatim
    so they stay told apart.
  - anything else that is no number (a blank cell, ``12a``, a negative count) is a bad cell,
    reported with file, line and year column (``--on-error skip`` sets its row aside).

* Only employment tables are read: a ``Unit`` other than "Number of jobs" (CAINC5N's
  "Thousands of dollars") or a SIC-based table (``CAEMP25S``, ``SAEMP25S``) is refused.

The file is decoded as UTF-8 when it is, else as Windows-1252/Latin-1 (BEA's files are
Latin-1: "Doña Ana, NM"); ``--encoding`` overrides.  Files are read with Python's csv module
(BEA's doubled quotes, footnotes of one field), then made long and parsed with polars.
'''

from __future__ import annotations

import csv
import io
import re

from clusterid import schema
from clusterid.errors import DataError, Problem

NAME = "bea"

REQUIRED = ("geofips", "geoname", "linecode", "description")  # + IndustryClassification, or titles
UNIT_JOBS = ("number of jobs", "jobs")

MARKER_BOUNDS = {"(D)": (None, None), "(L)": (0.0, 9.0), "(NA)": (None, None),
                 "(NM)": (None, None), "(T)": (None, None), "(S)": (None, None)}
MARKERS_TEXT = "a number or one of (D), (L), (NA), (NM), (T), (S)"

REASON_NON_INDUSTRY = ("non-industry lines (IndustryClassification '...': wage and salary, "
                       "proprietors, farm/nonfarm, private nonfarm, government by type; "
                       "rows = lines x years)")
REASON_FOOTNOTES = "footnote and title lines (Note., Legend / Footnotes:, Last updated: ...)"
REASON_HALF_11 = "farm (111-112) or forestry (113-115) line without the other half of sector 11"
NOTE_11 = ("NAICS 11 = BEA's Farm employment (111-112) + Forestry, fishing, and related "
           "activities (113-115), summed per area and year")

HEADER_SEARCH_LINES = 20
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_NUMBER = r"^[0-9]+(?:\.[0-9]+)?$"
_FARM, _FORESTRY = "111-112", "113-115"
_HALF = "_half"  # private column: which half of sector 11 a row is ("" for none)
_NON_INDUSTRY = "..."
_LINE, _SOURCE = "_line", "_source"  # ingest's private columns: where a row came from


def _clean(name: str) -> str:
    return re.sub(r"[\s\"_]", "", name).lstrip("\ufeff").lower()


def _header_line(lines) -> int | None:
    """0-based index of the header among ``lines``: the first naming GeoFIPS and LineCode."""
    for i, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        try:
            cells = next(csv.reader([line]), [])
        except csv.Error:
            continue
        names = {_clean(c) for c in cells}
        if "geofips" in names and "linecode" in names:
            return i
    return None


def sniff(header: list[str], first_bytes: bytes) -> bool:
    """BEA's regional tables: GeoFIPS and LineCode columns, on the first line or on one of the
    first lines (the Interactive Data download puts title lines above them)."""
    names = {_clean(h) for h in header}
    if {"geofips", "linecode"} <= names:
        return True
    text = first_bytes.decode("latin-1", errors="replace")
    return _header_line(text.splitlines()) is not None


def _decode(data: bytes, options, name: str) -> tuple[str, str]:
    from clusterid.io.readers import text as textmod

    encoding = getattr(options, "encoding", None)
    if encoding:
        return textmod.decode(data, encoding, name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = textmod.western(data)
    # a NUL byte (a damaged copy) is no text: it was kept inside a GeoName ('Bea\x00ver, UT'),
    # written into region_name with exit 0, and the canonical CSV refused by every stage
    textmod._check_nul(text, name)
    return text, encoding


def _fips(cell: str) -> str | None:
    code = re.sub(r"[\s\"']", "", cell)
    return code.zfill(5) if re.fullmatch(r"[0-9]{1,5}", code) else None


def _level_of(fips: str, name: str) -> str:
    low = name.lower()
    if fips == "00000":
        return "nation"
    if re.fullmatch(r"9[1-8]000", fips):
        return "aggregate"  # BEA regions: New England ... Far West
    if "(metropolitan statistical area)" in low:
        return "msa"
    if "(micropolitan statistical area)" in low:
        return "microsa"
    if "(combined statistical area)" in low:
        return "csa"
    if low.endswith("portion") or "portion " in low:
        return "aggregate"
    if fips.endswith("000"):
        return "state"
    return "county"


# BEA's line titles of the NAICS sectors (CAEMP25N, SAEMP25N), for the Interactive Data
# download, which has no IndustryClassification column: the title is then the only key.
SECTOR_TITLES = {
    "farm employment": _FARM,
    "forestry, fishing, and related activities": _FORESTRY,
    "mining, quarrying, and oil and gas extraction": "21", "mining": "21",
    "utilities": "22", "construction": "23", "manufacturing": "31-33",
    "wholesale trade": "42", "retail trade": "44-45", "transportation and warehousing": "48-49",
    "information": "51", "finance and insurance": "52",
    "real estate and rental and leasing": "53",
    "professional, scientific, and technical services": "54",
    "management of companies and enterprises": "55",
    "administrative and support and waste management and remediation services": "56",
    "administrative and waste management services": "56",
    "educational services": "61", "health care and social assistance": "62",
    "arts, entertainment, and recreation": "71", "accommodation and food services": "72",
    "other services (except government and government enterprises)": "81",
    "other services, except public administration": "81",
}


def _title(description: str) -> str:
    """``"  Nonfarm proprietors employment 2/"`` -> ``"nonfarm proprietors employment"``."""
    return re.sub(r"\s*(?:[0-9]+/\s*)+$", "", " ".join(description.split())).lower()


def _industry_of(classification: str | None, description: str) -> tuple[str | None, str]:
    """(industry code or None for a non-industry line, half of sector 11 or "").

    ``classification`` None: a file without IndustryClassification (Interactive Data):
    the line's title says the sector (:data:`SECTOR_TITLES`)."""
    desc = _title(description)
    if desc.startswith("total employment"):
        return schema.ALL_INDUSTRIES, ""
    if desc.startswith("government and government enterprises"):
        return "92", ""
    code = classification.strip() if classification is not None else SECTOR_TITLES.get(desc, "")
    if code.startswith(_FARM):
        return "11", _FARM
    if code.startswith(_FORESTRY):
        return "11", _FORESTRY
    if code in ("", _NON_INDUSTRY):
        return None, ""
    return code, ""


def _read_one(path: str, options):
    """(wide polars frame of data lines, dropped counts, problems, note, details) of one file."""
    import polars as pl

    from clusterid.core import codes
    from clusterid.io.ingest import display_name
    from clusterid.io.readers.rowcheck import duplicate_headings
    from clusterid.io.readers.text import gunzip_if_needed

    name = display_name(path)
    with open(path, "rb") as fh:
        data = gunzip_if_needed(fh.read(), name)
    text, encoding = _decode(data, options, name)
    lines = text.splitlines()
    start = _header_line(lines)
    if start is None:
        raise DataError(problems=[Problem(
            "not a BEA regional table", path=name, line=1,
            expected="a header with GeoFIPS, GeoName, LineCode, IndustryClassification, "
                     "Description and year columns",
            found=lines[0][:60] if lines else "an empty file")])
    reader = csv.reader(io.StringIO("\n".join(lines[start:])))
    header = next(reader)
    # a year heading overwritten with another (two 'GeoFIPS'): that year's column went unread,
    # half the table gone, exit 0
    if twice := duplicate_headings([h.strip() for h in header], name, start + 1):
        raise DataError(problems=twice)
    names = [_clean(h) for h in header]
    where = {n: i for i, n in reversed(list(enumerate(names)))}
    missing = [c for c in REQUIRED if c not in where]
    years = [(i, h.strip()) for i, h in enumerate(header) if _YEAR.match(h.strip())]
    if missing or not years:
        found = ", ".join(h.strip() for h in header)
        raise DataError(problems=[Problem(
            "not BEA's CAEMP25N/SAEMP25N layout: "
            + (f"no {', '.join(missing)} column" if missing else "no year columns"),
            path=name, line=start + 1,
            expected="GeoFIPS, GeoName, Region, TableName, LineCode, IndustryClassification, "
                     "Description, Unit, 2001, 2002 ...", found=found)])
    # a heading among the years that is no year ('2016' retyped 'twenty', '2016 (r)'): its
    # column was not read, that year's rows gone, exit 0
    after = [(i, h.strip()) for i, h in enumerate(header) if i > years[0][0]
             and h.strip() and not _YEAR.match(h.strip())]
    if after:
        raise DataError(problems=[Problem(
            "a column heading among the years that is no year", path=name, line=start + 1,
            column=h, expected="a year (2001, 2002 ...)", found=h,
            hint="a year heading edited by hand? write the year") for _i, h in after])
    width = len(header)
    fips_at, name_at = where["geofips"], where["geoname"]
    ic_at, desc_at, linecode_at = where.get("industryclassification"), where["description"], where["linecode"]
    unit_at = where.get("unit")
    table_at = where.get("tablename", where.get("table"))
    problems: list[Problem] = []
    dropped: dict[str, int] = {}
    footnotes = start  # title lines above the header
    cols: dict[str, list] = {k: [] for k in (schema.REGION, schema.REGION_NAME, schema.REGION_LEVEL,
                                            schema.INDUSTRY, schema.INDUSTRY_NAME, schema.LEVEL,
                                            _HALF, _LINE)}
    cells: list[list[str]] = [[] for _ in years]
    non_industry = 0
    # the header again (two states' files joined with cat, the second's title and notes
    # lines around it; a BOM before it where Excel saved them): where the next file starts,
    # dropped and counted; read as data it was 'not a FIPS code (found 'GeoFIPS')'.  Another
    # layout's header (other years) is said as such.
    from clusterid.io.readers.rowcheck import REASON_REPEATED_HEADER, _heading, other_header

    names = [_heading(h) for h in header]
    repeated = 0
    for record in reader:
        line = start + reader.line_num  # 1-based physical line of the record's last line
        if not any(c.strip() for c in record):
            footnotes += 1 if record else 0
            continue
        fips = _fips(record[fips_at]) if len(record) > fips_at else None
        if fips is None and len(record) > fips_at and _heading(record[fips_at]) == names[fips_at]:
            if [_heading(c) for c in record] == names:
                repeated += 1
            else:
                problems.append(other_header(record, header, start + 1, name, line, is_header=True))
            continue
        if len(record) != width:
            if fips is None:  # "Note. ...", "Legend / Footnotes:", "Last updated: ..."
                footnotes += 1
                continue
            problems.append(Problem(f"{len(record)} fields in a data line", path=name, line=line,
                                    expected=f"{width} fields, as the header",
                                    found=",".join(record)[:60]))
            continue
        if fips is None:
            problems.append(Problem("not a FIPS code", path=name, line=line, column=header[fips_at],
                                    expected="5 digits",
                                    found=record[fips_at]))
            continue
        if unit_at is not None and record[unit_at].strip().lower() not in UNIT_JOBS:
            raise DataError(problems=[Problem(
                "not an employment table", path=name, line=line, column=header[unit_at],
                expected="Number of jobs (CAEMP25N, SAEMP25N)", found=record[unit_at],
                hint="only BEA's employment-by-industry tables are read")])
        if table_at is not None and re.fullmatch(r"(?i)(CA|SA)EMP25S", record[table_at].strip()):
            raise DataError(problems=[Problem(
                "SIC-based table (1969-2000)", path=name, line=line, column=header[table_at],
                expected="CAEMP25N or SAEMP25N (NAICS)", found=record[table_at].strip())])
        industry, half = _industry_of(None if ic_at is None else record[ic_at], record[desc_at])
        if industry is None:
            non_industry += len(years)
            continue
        if not record[linecode_at].strip().isdigit():
            problems.append(Problem("not a line code", path=name, line=line,
                                    column=header[linecode_at], expected="a number",
                                    found=record[linecode_at]))
        region_name = record[name_at].strip().rstrip("*").strip()
        cols[schema.REGION].append(fips)
        cols[schema.REGION_NAME].append(region_name)
        cols[schema.REGION_LEVEL].append(_level_of(fips, region_name))
        cols[schema.INDUSTRY].append(industry)
        cols[schema.LEVEL].append(codes.naics_level(industry))
        cols[schema.INDUSTRY_NAME].append(
            "Agriculture, forestry, fishing and hunting" if half else
            re.sub(r"\s*(?:[0-9]+/\s*)+$", "", " ".join(record[desc_at].split())) or None)
        cols[_HALF].append(half)
        cols[_LINE].append(line)
        for k, (i, _y) in enumerate(years):
            cells[k].append(record[i].strip())
    if non_industry:
        dropped[REASON_NON_INDUSTRY] = non_industry
    if footnotes:
        dropped[REASON_FOOTNOTES] = footnotes
    if repeated:
        dropped[REASON_REPEATED_HEADER] = repeated
    wide = pl.DataFrame({**cols, **{y: cells[k] for k, (_i, y) in enumerate(years)}},
                        schema_overrides={_LINE: pl.Int64, schema.LEVEL: pl.Int8, **{y: pl.String for _i, y in years}})
    details = {name: {"encoding": encoding, "years": [y for _i, y in years],
                      "header_line": start + 1}}
    note = f"{name}: BEA regional employment table, {len(years)} years ({years[0][1]}-{years[-1][1]})"
    return wide, [y for _i, y in years], dropped, problems, note, details, non_industry


def _width(path: str, options) -> int:
    """The number of fields of the header of the BEA table ``path`` (title lines skipped)."""
    from clusterid.io.ingest import display_name
    from clusterid.io.readers.text import gunzip_if_needed

    with open(path, "rb") as fh:
        data = gunzip_if_needed(fh.read(), display_name(path))
    lines = _decode(data, options, display_name(path))[0].splitlines()
    start = _header_line(lines)
    return len(next(csv.reader([lines[start]]), [])) if start is not None else 0


def _long(wide, years: list[str], name: str):
    """Long canonical-ish frame of one file's wide lines, and its bad cells as problems."""
    import polars as pl

    ids = [c for c in wide.columns if c not in years]
    long = wide.unpivot(index=ids, on=years, variable_name=schema.PERIOD, value_name="_cell")
    cell = pl.col("_cell").str.strip_chars()
    plain = cell.str.replace_all(",", "")
    number = plain.str.contains(_NUMBER).fill_null(False)
    marker = cell.is_in(list(MARKER_BOUNDS))
    bad = long.filter(~number & ~marker)
    problems = [Problem("not a number or a BEA marker", path=name, line=r[_LINE],
                        column=r[schema.PERIOD], expected=MARKERS_TEXT, found=r["_cell"])
                for r in bad.head(200).iter_rows(named=True)]
    emp = schema.EMPLOYMENT
    lower_of = {k: v[0] for k, v in MARKER_BOUNDS.items()}
    upper_of = {k: v[1] for k, v in MARKER_BOUNDS.items()}
    out = long.with_columns(
        pl.when(number).then(plain.cast(pl.Float64, strict=False)).otherwise(None).alias(emp),
        pl.when(number).then(pl.lit(schema.REPORTED)).otherwise(pl.lit(schema.SUPPRESSED))
        .alias(schema.status_col(emp)),
        pl.when(marker).then(cell.replace_strict(lower_of, default=None, return_dtype=pl.Float64))
        .alias(schema.lower_col(emp)),
        pl.when(marker).then(cell.replace_strict(upper_of, default=None, return_dtype=pl.Float64))
        .alias(schema.upper_col(emp)),
        pl.when(marker).then(cell).otherwise(None).alias(schema.flag_col(emp)),
    ).drop("_cell")
    return out, problems


def _sector_11(long, dropped: dict, notes: list):
    """Farm (111-112) and forestry (113-115) rows summed into one NAICS 11 row per area and year."""
    import polars as pl

    emp = schema.EMPLOYMENT
    halves = long.filter(pl.col(_HALF) != "")
    if halves.height == 0:
        return long
    rest = long.filter(pl.col(_HALF) == "")
    keys = [schema.PERIOD, schema.REGION]
    # a half's least and most: its value, else its bounds (a (D) half: 0 and unknown)
    low = pl.coalesce(pl.col(emp), pl.col(schema.lower_col(emp)), pl.lit(0.0))
    high = pl.coalesce(pl.col(emp), pl.col(schema.upper_col(emp)))
    grouped = halves.sort(_LINE).group_by(keys, maintain_order=True).agg(
        pl.col(_HALF).n_unique().alias("_halves"),
        pl.len().alias("_n"),
        *(pl.col(c).first() for c in (schema.REGION_NAME, schema.REGION_LEVEL, schema.INDUSTRY,
                                      schema.INDUSTRY_NAME, schema.LEVEL, _LINE)),
        pl.col(emp).sum().alias(emp),
        (pl.col(schema.status_col(emp)) == schema.REPORTED).all().alias("_reported"),
        low.sum().alias("_low"),
        high.sum().alias("_high"),  # null-skipping: checked against the count below
        high.is_null().any().alias("_open"),
        pl.col(schema.flag_col(emp)).drop_nulls().unique(maintain_order=True).str.join("")
        .alias(schema.flag_col(emp)),
    )
    whole = grouped.filter(pl.col("_halves") == 2)
    lone = int(grouped.filter(pl.col("_halves") != 2).get_column("_n").sum() or 0)
    if lone:
        dropped[REASON_HALF_11] = dropped.get(REASON_HALF_11, 0) + lone
    if whole.height:
        notes.append(NOTE_11)
    rep = pl.col("_reported")
    combined = whole.select(
        *keys, schema.REGION_NAME, schema.REGION_LEVEL, schema.INDUSTRY, schema.INDUSTRY_NAME,
        schema.LEVEL, pl.lit("").alias(_HALF), _LINE,
        pl.when(rep).then(pl.col(emp)).otherwise(None).alias(emp),
        pl.when(rep).then(pl.lit(schema.REPORTED)).otherwise(pl.lit(schema.SUPPRESSED))
        .alias(schema.status_col(emp)),
        pl.when(rep).then(None).otherwise(pl.col("_low")).alias(schema.lower_col(emp)),
        pl.when(rep | pl.col("_open")).then(None).otherwise(pl.col("_high"))
        .alias(schema.upper_col(emp)),
        pl.when(pl.col(schema.flag_col(emp)) == "").then(None)
        .otherwise(pl.col(schema.flag_col(emp))).alias(schema.flag_col(emp)),
    )
    return pl.concat([rest, combined.select(rest.columns)], how="vertical_relaxed")


def read(paths: list[str], options):
    """Read BEA CAEMP25N/SAEMP25N files into an :class:`~clusterid.io.ingest.AdapterResult`."""
    import polars as pl

    from clusterid.io.ingest import AdapterResult, display_name
    from clusterid.io.readers import rowcheck
    from clusterid.io.readers.qcew import expand_paths

    frames, problems, notes = [], [], []
    dropped: dict[str, int] = {}
    details: dict = {}
    rows_read = 0
    for path in expand_paths(list(paths)):
        name = display_name(path)
        # notes pasted below the table and BEA's own footnotes (a file saved again by a
        # spreadsheet pads them to the header's width: 'Source: ...,,,,'): read again without
        # them when the read fails on them, as the CBP and NES readers do; each was 'not a FIPS
        # code', the file refused
        _read, (wide, years, dropped_one, found, note, det, non_industry), below = rowcheck.read_without_notes(
            lambda p: _read_one(p, options), path, lambda p: _width(p, options), failed=lambda r: bool(r[3]))
        if below:  # (counted as dropped, as BEA's own footnotes are: no rows read)
            notes.append(rowcheck.count_notes_below(below, dropped, name))
        problems.extend(found)
        notes.append(note)
        details.update(det)
        for k, v in dropped_one.items():
            dropped[k] = dropped.get(k, 0) + v
        long, bad = _long(wide, years, name)
        problems.extend(bad)
        rows_read += long.height + non_industry
        long = _sector_11(long, dropped, notes)
        frames.append(long.with_columns(pl.lit(name).alias(_SOURCE)))
    frame = frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical_relaxed")
    emp = schema.EMPLOYMENT
    frame = frame.lazy().select(
        schema.PERIOD, schema.REGION,
        pl.lit(schema.OWNERSHIP_TOTAL).alias(schema.OWNERSHIP),
        schema.INDUSTRY, schema.REGION_NAME, schema.REGION_LEVEL, schema.INDUSTRY_NAME,
        pl.lit(schema.NAICS).alias(schema.CLASSIFICATION),
        schema.LEVEL, *schema.measure_columns(emp), _LINE, _SOURCE,
    )
    return AdapterResult(frame=frame, adapter=NAME, rows_read=rows_read,
                         dropped=dict(sorted(dropped.items())), notes=list(dict.fromkeys(notes)),
                         problems=problems, details=details)
