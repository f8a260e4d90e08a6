"""Census Nonemployer Statistics (NES) county, state and U.S. files -> canonical frame.

Nonemployer Statistics count the businesses without paid employees (sole proprietors, the
self-employed) that file business taxes, by NAICS industry, a year a file
(``nonempYYco.txt`` county, ``nonempYYst.txt`` state, ``nonempYYus.txt`` U.S.; comma
separated, quoted, headings upper or lower case).  The record layout (Census's
"Nonemployer Statistics record layout"; ``COUNTY`` for ``CTY`` and ``ESTABF`` for ``ESTAB_F``
in some years; the API's ``NESTAB``/``NRCPTOT`` spellings are read alike)::

    ST,CTY,NAICS,ESTAB_F,ESTAB,RCPTOT_N_F,RCPTOT_F,RCPTOT
    "49","001","00","",412,"G","",19876

Mapping to the canonical table, and why:

* region = ``ST`` + ``CTY`` (county, level ``county``), ``ST`` + ``000`` (state file, as QCEW
  and CBP write states), ``US000`` for ``ST`` ``00`` (the U.S. file, level ``nation``);
  period = the year in the file name (``nonemp21co`` -> 2021), else ``--period``; ownership
  ``total`` (nonemployers are private businesses, but clusterid's ``private`` is QCEW's own
  code 5 of employers: ``total`` says no ownership split was made).
* industry = ``NAICS``: ``00`` (or CBP's padded ``------``) is all industries (``10``), the
  sectors ``31-33``, ``44-45``, ``48-49`` as published, other codes their digits (``1133//``
  -> ``1133``), level = digits.
* establishments = ``ESTAB`` (nonemployer establishments: the businesses); ``ESTAB_F``
  ``D`` (withheld, disclosure) or ``S`` (below publication standards) makes it suppressed
  with that flag, a blank count too (never a reported 0).
* output = ``RCPTOT`` x 1000: the businesses' receipts (sales, shipments or revenue), in
  dollars like CBP's payroll; gross receipts, not value added -- an LQ of output is one of
  receipts.  ``RCPTOT_F`` ``D``/``S`` suppresses it (flag kept); the noise flags of
  ``RCPTOT_N_F`` (``G`` under 2 %, ``H`` 2-5 %, ``J`` 5 % or more of noise) are kept in
  ``output_flag`` on a reported value, as CBP's ``emp_nf`` is.
* There is no employment: a nonemployer has no employees by definition.  Commands that need
  employment say so (``--measure establishments`` / ``output`` picks another).
* State and U.S. files by legal form (``LFO``) or receipts size class (``RCPTOT_SIZE``,
  ``RCPSZES``): only the all-forms (``-``, ``001``) and all-sizes (``001``) rows are kept; the
  others are parts of them, dropped and counted.

Every cell that is no number, an unknown flag, a code of the wrong shape is a located
problem (``--on-error skip`` sets its row aside); a line repeating the header (files joined
with ``cat``) is dropped and counted, a different header there is an error naming its line
(the mechanism of :mod:`clusterid.io.readers.rowcheck` the other agency readers share).
"""

from __future__ import annotations

import re
from pathlib import Path

from clusterid import schema
from clusterid.errors import DataError, Problem, UsageError
from clusterid.io.readers import rowcheck

NAME = "nes"
_SPELLINGS = {  # canonical heading -> its spellings in the files (lower case)
    "st": ("st",), "cty": ("cty", "county"), "naics": ("naics",),
    "estab_f": ("estab_f", "estabf"), "estab": ("estab", "nestab"),
    "rcptot_n_f": ("rcptot_n_f", "nrcptot_n_f"), "rcptot_f": ("rcptot_f", "rcptotf"),
    "rcptot": ("rcptot", "nrcptot"), "lfo": ("lfo",), "rcptot_size": ("rcptot_size", "rcpszes"),
}
WITHHELD = ("D", "S")
NOISE_FLAGS = ("G", "H", "J")
RANGE_SECTORS = {"31": "31-33", "44": "44-45", "48": "48-49"}
REASON_LFO = "rows of one legal form of organization (lfo other than -: parts of the all-forms row)"
REASON_SIZE = "rows of one receipts size class (parts of the all-sizes row 001)"
_KEEP, _LFO, _SIZE, _HEADER = 0, 1, 2, 3
_REASONS = {_LFO: REASON_LFO, _SIZE: REASON_SIZE, _HEADER: rowcheck.REASON_REPEATED_HEADER}


def _cleaned(header) -> list[str]:
    return [str(h).strip().lstrip("\ufeff").strip().strip('"').strip().lower() for h in header]


def _columns(header) -> dict[str, str]:
    """canonical heading -> the file's (cleaned) heading, for those the file has."""
    have = set(_cleaned(header))
    return {key: next(s for s in spellings if s in have)
            for key, spellings in _SPELLINGS.items() if any(s in have for s in spellings)}


def sniff(header: list[str], first_bytes: bytes) -> bool:  # noqa: ARG001 - the adapters' contract
    """A Nonemployer Statistics file: NAICS, establishments and receipts (``rcptot``, a name
    of NES alone), and no employment (CBP's files have ``emp``)."""
    cols = _columns(header)
    names = set(_cleaned(header))
    return {"naics", "estab", "rcptot"} <= set(cols) and not names & {"emp", "fipstate"}


def period_of(path: str, options) -> str:
    """The year of a file: ``--period``, else its name (``nonemp21co.txt`` -> 2021)."""
    if getattr(options, "period", None):
        return str(options.period)
    m = re.search(r"nonemp(\d{2})(?:co|st|us)", Path(path).name.lower())
    if m:
        yy = int(m.group(1))
        return str(1900 + yy if yy >= 70 else 2000 + yy)
    raise UsageError(f"{path}: Nonemployer Statistics files carry no year; name it like "
                     "nonemp21co.txt or pass --period 2021")


def _read_one(path: str, options, name: str):
    """(kept frame, rows read, dropped, problems, note) of one file."""
    import polars as pl

    from clusterid.io.readers.qcew import header_line_number, read_header

    header = read_header(path)  # cleaned, lower case (a BOM, quotes and blanks before it gone)
    cols = _columns(header)
    at = header_line_number(path)
    geo = "county" if "cty" in cols else "state" if "st" in cols else "nation"
    period = period_of(path, options)

    def scan(truncate: bool):
        return pl.read_csv(path, infer_schema=False, skip_lines=at - 1, truncate_ragged_lines=truncate,
                           new_columns=header, row_index_name=rowcheck.LINE, row_index_offset=at + 1)

    long_rows = False
    try:
        try:
            df = scan(False)
        except pl.exceptions.ComputeError as exc:
            if "more fields" not in str(exc):
                raise
            long_rows, df = True, scan(True)  # rows with extra fields: each reported below
    except (pl.exceptions.ComputeError, OSError) as exc:
        from clusterid.io.readers.qcew import _structure_problem

        problem = (rowcheck.encoding_problem(path, name) or _structure_problem([path])
                   or Problem("unreadable CSV", path=name, found=str(exc).splitlines()[0][:60]))
        raise DataError(problems=[problem]) from exc
    df = df.filter(rowcheck.not_blank(header[0], header[1:]))
    ragged = []
    if long_rows or df.select((pl.col(header[-1]).is_null() & pl.col(header[0]).is_not_null()).any()).item():
        rowcheck.headers_again(path, header, name, at)  # another layout's header joined with cat?
        ragged = rowcheck.ragged_lines(path, len(header), name)
        df = df.filter(~pl.col(rowcheck.LINE).is_in([p.line for p in ragged]))
    rows_read = df.height + len(ragged)
    col = {k: pl.col(v).str.strip_chars() for k, v in cols.items()}
    # the header again (files joined with cat): dropped and counted; another header there is
    # said with its line (rowcheck.headers_again), as the QCEW and CBP readers do
    again = pl.all_horizontal(rowcheck.heading_cell(h) == h for h in header[:3]).fill_null(False)
    if df.select(again.any()).item():
        rowcheck.headers_again(path, header, name, at)
    reason = pl.when(again).then(pl.lit(_HEADER, pl.Int8))
    if "lfo" in cols:
        reason = reason.when(~col["lfo"].is_in(["-", "001", ""]).fill_null(False)).then(pl.lit(_LFO, pl.Int8))
    if "rcptot_size" in cols:
        reason = reason.when(~col["rcptot_size"].is_in(["001", ""]).fill_null(False)).then(pl.lit(_SIZE, pl.Int8))
    df = df.with_columns(reason.otherwise(pl.lit(_KEEP, pl.Int8)).alias("_reason"))
    dropped = {_REASONS[code]: n for code, n in
               df.group_by("_reason").len().filter(pl.col("_reason") != _KEEP).iter_rows()}
    df = df.filter(pl.col("_reason") == _KEEP)

    # (a U.S. file without a state column: the nation, as ST 00 is)
    st = col["st"].str.zfill(2) if "st" in cols else pl.lit("00")
    if geo == "county":
        region = st + col["cty"].str.zfill(3)
    else:
        region = pl.when(st == "00").then(pl.lit("US000")).otherwise(st + "000")
    level = (pl.lit("county") if geo == "county"
             else pl.when(st == "00").then(pl.lit("nation")).otherwise(pl.lit("state")))
    raw = col["naics"]
    digits = raw.str.replace_all(r"[-/]", "")
    # all sectors: 00, or CBP's padding alone (------); a blank cell is no code (an empty key)
    total = (digits == "00") | raw.str.contains("^-+$")
    industry = (pl.when(total).then(pl.lit(schema.ALL_INDUSTRIES))
                .when(raw.is_in(list(RANGE_SECTORS.values()))).then(raw)
                .when(digits.str.len_chars() == 2).then(digits.replace(RANGE_SECTORS))
                .otherwise(digits))
    # a code of another shape gets no level: validation reports it, with its line
    shape = raw.str.contains(r"^(?:[0-9]{2,6}[-/]*|[-]+|[0-9]{2}-[0-9]{2})$").fill_null(False)
    naics_level = (pl.when(~shape).then(pl.lit(None)).when(total).then(pl.lit(0))
                   .when(raw.str.contains("^[0-9]{2}-[0-9]{2}$")).then(pl.lit(2))
                   .otherwise(digits.str.len_chars()).cast(pl.Int8))

    def flag(key):
        return col[key].str.to_uppercase() if key in cols else pl.lit(None, pl.String)

    estab_f, rcptot_f, noise = flag("estab_f"), flag("rcptot_f"), flag("rcptot_n_f")
    estab, rcptot = rowcheck.lenient_number(cols["estab"]), rowcheck.lenient_number(cols["rcptot"])
    estab_out = estab_f.is_in(list(WITHHELD)).fill_null(False) | estab.is_null()
    rcptot_out = rcptot_f.is_in(list(WITHHELD)).fill_null(False) | rcptot.is_null()
    filled = lambda e: pl.when(e.is_not_null() & (e != "")).then(e)  # noqa: E731
    sup, rep, null = pl.lit(schema.SUPPRESSED), pl.lit(schema.REPORTED), pl.lit(None, pl.Float64)
    frame = df.select(**{
        schema.PERIOD: pl.lit(period),
        schema.REGION: region,
        schema.OWNERSHIP: pl.lit(schema.OWNERSHIP_TOTAL),
        schema.INDUSTRY: industry,
        schema.REGION_LEVEL: level,
        schema.CLASSIFICATION: pl.lit(schema.NAICS),
        schema.LEVEL: naics_level,
        schema.ESTABLISHMENTS: pl.when(estab_out).then(null).otherwise(estab),
        schema.status_col(schema.ESTABLISHMENTS): pl.when(estab_out).then(sup).otherwise(rep),
        schema.flag_col(schema.ESTABLISHMENTS): filled(estab_f).otherwise(pl.lit(None, pl.String)),
        schema.OUTPUT: pl.when(rcptot_out).then(null).otherwise(rcptot * 1000.0),
        schema.status_col(schema.OUTPUT): pl.when(rcptot_out).then(sup).otherwise(rep),
        schema.flag_col(schema.OUTPUT): filled(rcptot_f).otherwise(
            filled(noise).otherwise(pl.lit(None, pl.String))),
        rowcheck.LINE: pl.col(rowcheck.LINE).cast(pl.Int64),
        rowcheck.SOURCE: pl.lit(name),
    })
    # bad cells: each located (ingest fails with them, or with --on-error skip sets them aside)
    checks, describe = {}, {}
    for key in ("estab", "rcptot"):
        checks[cols[key]] = rowcheck.is_bad_number(cols[key]) & (col[key].fill_null("") != "")
        describe[cols[key]] = ("not a number", rowcheck.NUMBER_EXPECTED + (" ($1,000)" if key == "rcptot" else ""))
    for key, allowed in (("estab_f", WITHHELD), ("rcptot_f", WITHHELD), ("rcptot_n_f", NOISE_FLAGS)):
        if key in cols:
            checks[cols[key]] = ~flag(key).fill_null("").is_in(["", *allowed])
            describe[cols[key]] = ("unknown flag", "blank or one of " + ", ".join(allowed))
    for key, shape_, expected in (("st", r"^[0-9]{1,2}$", "1-2 digits"), ("cty", r"^[0-9]{1,3}$", "1-3 digits")):
        if key in cols:
            checks[cols[key]] = ~col[key].str.contains(shape_).fill_null(False)
            describe[cols[key]] = ("not a FIPS code", expected)
    found = rowcheck.bad_cells(df.lazy().with_columns(pl.lit(name).alias(rowcheck.SOURCE)), checks).collect()
    problems = ragged + rowcheck.cell_problems(found, name, describe)
    note = f"Nonemployer Statistics {geo} file, period {period}"
    return frame, rows_read, dropped, problems, note


def read(paths: list[str], options):
    """Read Nonemployer Statistics files into an :class:`~clusterid.io.ingest.AdapterResult`."""
    import polars as pl

    from clusterid.io.ingest import AdapterResult, display_name
    from clusterid.io.readers.qcew import as_utf8_csv, expand_paths, read_header

    frames, notes, problems, dropped = [], [], [], {}
    rows_read = 0
    for path in [as_utf8_csv(p, options) for p in expand_paths(list(paths))]:
        # notes pasted below the table ('Source: U.S. Census Bureau, ...'): read again without
        # them when the read fails on them, as the CBP reader does
        _read, (frame, n, drops, found, note), below = rowcheck.read_without_notes(
            lambda p: _read_one(p, options, display_name(p)), path, lambda p: len(read_header(p)),
            failed=lambda r: bool(r[3]))
        frames.append(frame)
        rows_read += n
        problems.extend(found)
        notes.append(f"{Path(display_name(path)).name}: {note}")
        if below:
            rows_read += len(below)
            notes.append(rowcheck.count_notes_below(below, dropped, Path(display_name(path)).name))
        for k, v in drops.items():
            dropped[k] = dropped.get(k, 0) + v
    frame = frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical_relaxed")
    return AdapterResult(frame=frame.lazy(), adapter=NAME, rows_read=rows_read,
                         dropped=dict(sorted(dropped.items())), notes=notes, problems=problems)
