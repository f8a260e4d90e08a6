"""Eurostat TSV tables (bulk download) -> canonical frame.

Two layouts, both tab separated, with a combined first column of comma-separated dimension
codes and one column per period:

``bulk (before 2023)``
    ``unit,nace_r2,s_adj,na_item,geo\\time<TAB>2016 <TAB>2015 ...``
``SDMX-TSV (2023 on)``
    ``freq,unit,nace_r2,geo\\TIME_PERIOD<TAB>2015 <TAB>2016 ...`` (periods ``2016-Q1``, ``2016-03``)

Cells hold a value with optional flags after it: ``123.4``, ``123.4 p``, ``: c``, ``:``.
``:`` is "not available" -> null, ``suppressed`` (``: z``, not applicable, is no cell: dropped
and counted); the letters are kept verbatim in the flag
column (``c`` confidential, ``p`` provisional, ``e`` estimated, ``b`` break ...); ``e`` and ``s``
(Eurostat estimate) make the status ``estimated``.

Mapping: region = ``geo``; industry = ``nace_r2`` (``TOTAL`` -> ``10``, level 0; ``nace_r1``
tables: NACE Rev. 1.1 codes, classification ``NACE-R1.1``, see :func:`_r11_level`); sections
(``C``) and Eurostat's section aggregates (``B-E``, ``M_N``) are level 1, divisions (``C10``
or ``10``) level 2, groups 3, classes 4; classification ``NACE``.  Periods ``2016``, ``2016Q1``
(from ``2016Q1`` or ``2016-Q1``), ``2016M03`` (from ``2016M03`` or ``2016-03``).  The measure
is ``IngestOptions.measure`` (default employment); ``unit`` ``THS_PER`` / ``THS`` (thousands)
is scaled to persons, ``MIO_EUR`` to euros.  Any other dimension (``s_adj``, ``na_item``,
``indic_sb`` ...) must hold a single value after filtering: the adapter keeps the first of
Eurostat's usual choices (``NSA``, ``EMP_DC``, ``wstatus`` ``EMP``, ``sex`` ``T``, ``age``
``Y_GE15``; ``indic_sb``
the indicator of the measure: ``V16110`` persons employed, ``V11210`` local units) when several
are present and counts the rest as dropped.
"""

from __future__ import annotations

import itertools
import re

from clusterid import schema
from clusterid.core import codes
from clusterid.errors import DataError, Problem, UsageError
from clusterid.io.readers import rowcheck
from clusterid.io.readers.qcew import expand_paths
from clusterid.io.readers.text import header_line

NAME = "eurostat"

SCALE = {"THS_PER": 1e3, "THS": 1e3, "THS_HW": 1e3, "MIO_EUR": 1e6, "THS_EUR": 1e3,
         "MIO_PER": 1e6}
# the totals among a dimension's values: wstatus EMP (employed persons: employees SAL plus
# self-employed SELF, nama_10r_3empers), sex T and age Y_GE15 (15 years or over: LFS tables,
# lfst_r_lfe2en2, which also give Y15-64, Y20-64 ...)
PREFERRED = {"s_adj": ("NSA", "SCA", "SA"), "na_item": ("EMP_DC", "SAL_DC"),
             "unit": ("THS_PER", "PER", "NR", "THS_HW"), "wstatus": ("EMP", "SAL"),
             "sex": ("T",), "age": ("Y_GE15", "TOTAL"),
             # the SBS size classes (sbs_sc_ovw's size_emp, sbs_sc_sca_r2's and business
             # demography's sizeclas: 0-9, 10-19 ... GE250): TOTAL, all sizes, their sum
             "size_emp": ("TOTAL",), "sizeclas": ("TOTAL",)}
# indicator dimensions whose values are measures (bulk SBS files hold every indicator):
# the one of --measure is kept (V16110 persons employed; V11210 local units, V11110 enterprises)
MEASURE_INDICATORS = {"indic_sb": {schema.EMPLOYMENT: ("V16110",),
                                   schema.ESTABLISHMENTS: ("V11210", "V11110"),
                                   # (in million euro: INDICATORS gives the multiple)
                                   # wages and salaries first; else personnel costs (V13310:
                                   # wages and salaries plus employers' social security costs;
                                   # public code queries it as the personnel costs of
                                   # sbs_na_sca_r2, indic_sb=V13310)
                                   schema.WAGES: ("V13320", "V13310"), schema.OUTPUT: ("V12150", "V12120")},
                      # sbs_r_nuts2021 (SBS from 2021): persons employed in local units, local
                      # units (enterprises in the national tables), wages and salaries of local
                      # units in million euro.  Its INDIC_SBS codes as public code querying that
                      # table names them (an eurostat-map example: LOC_NR "Number of units",
                      # EMP_LOC_NR "Number of persons", WAGE_LOC_MEUR "Million EUR"; a data
                      # loader: WAGE_LOC_MEUR "Wages and salaries - million EUR",
                      # LC_EMP_LOC_TEUR "Labour costs per person employed - thousand EUR", a
                      # ratio, no total, left unchosen).  (WAGE_LOC_MEUR's multiple comes from
                      # its suffix, indicator_info.)  With --measure wages a table of all three
                      # was refused as 'none of them known as wages'
                      "indic_sbs": {schema.EMPLOYMENT: ("EMP_LOC_NR", "EMP_NR"),
                                    schema.ESTABLISHMENTS: ("LOC_NR", "ENT_NR"),
                                    schema.WAGES: ("WAGE_LOC_MEUR",)}}
# what an SBS indicator's values are (its measure, the multiple they are given in, its name):
# a table of one indicator has no choice to make, and V13320 (wages and salaries, million euro)
# was read as employment -- 3,400 "persons employed" in Stuttgart's manufacturing -- or, with
# --measure wages, as 3,400 euros
INDICATORS = {
    "V16110": (schema.EMPLOYMENT, 1.0, "persons employed"),
    "V11210": (schema.ESTABLISHMENTS, 1.0, "local units"),
    "V11110": (schema.ESTABLISHMENTS, 1.0, "enterprises"),
    "V13320": (schema.WAGES, 1e6, "wages and salaries, million euro"),
    # (a table of V13310 alone was read as employment: 35,000 'persons employed')
    "V13310": (schema.WAGES, 1e6, "personnel costs (wages and salaries plus employers' social "
                                  "security costs), million euro"),
    "V12150": (schema.OUTPUT, 1e6, "value added at factor cost, million euro"),
    "V12120": (schema.OUTPUT, 1e6, "production value, million euro"),
    "EMP_LOC_NR": (schema.EMPLOYMENT, 1.0, "persons employed in local units"),
    "EMP_NR": (schema.EMPLOYMENT, 1.0, "persons employed"),
    "LOC_NR": (schema.ESTABLISHMENTS, 1.0, "local units"),
    "ENT_NR": (schema.ESTABLISHMENTS, 1.0, "enterprises"),
}
ESTIMATED_FLAGS = ("e", "s")
# Eurostat's flag letters (b break, c confidential, d definition differs, e estimated,
# f forecast, i see metadata, n not significant, p provisional, r revised, s Eurostat
# estimate, u low reliability, z not applicable); any other letter is a damaged cell
FLAGS = "bcdefinprsuz"
# "z", not applicable: no such figure can exist (a NUTS region without the activity by
# definition, a breakdown that does not apply) -- no figure withheld, so neither suppressed (impute
# filled it and lq counted it as withheld) nor 0: the cell is no data, dropped and counted
NOT_APPLICABLE_FLAG = "z"
REASON_NOT_APPLICABLE = "cells flagged z, not applicable (Eurostat: no such figure; not withheld, not 0)"
GEO_DIMS = ("geo",)
# NUTS "Extra-Regio" (DEZ, DEZZ, DEZZZ): embassies, bases abroad, the continental shelf --
# part of the country's total, no place: compared with the regions, its LQs were spurious
# clusters (offshore mining); kept at their own region level
EXTRA_REGIO = re.compile(r"^[A-Z]{2}Z{1,3}$")
# Eurostat's aggregates of countries, beside them in the national and regional tables: the euro
# area and the EU in every composition (EA, EA19, EA20, EU, EU27_2020, EU28), the EEA and EFTA.
# No country or NUTS code reads so (Estonia is EE, Spain ES, Greece EL); plain "EA" -- the euro
# area of changing composition, in every national-accounts table -- was read as a country and
# summed with its own members into the sum-of-regions benchmark
EU_AGGREGATE = re.compile(r"^(?:EU|EA)(?:[0-9_].*)?$|^EEA.*$|^EFTA.*$")
# A country's total under a geo code of its own, not NUTS's: Eurostat's DE_TOT, "Germany
# (including former GDR)", beside DE, "Germany (until 1990 former territory of the FRG)", in
# its older and regional tables.  Read as NUTS (DE_TOT six characters: level nuts4) it was a
# region of a level of its own, or (the generic reader) left every code of the table without
# a level, and summed with the regions it is the total of.  Level nation where the table's
# other regions are that country's own (it bounds them, as a kept national row does), else
# (beside other countries) aggregate: a level no command takes for a place
NATIONAL_TOTAL = re.compile(r"^[A-Z]{2}_TOT$")  # (EU_TOT, EA_TOT: EU_AGGREGATE)
INDUSTRY_DIMS = ("nace_r2", "nace_r1", "nace")


def national_total_level(values) -> str:
    """The region level of the :data:`NATIONAL_TOTAL` codes among the geo codes ``values``:
    ``nation`` where one country's total stands beside that country's own codes alone (its
    NUTS regions, its ``DE`` row), ``aggregate`` beside other countries' codes."""
    values = {str(v) for v in values if v}
    totals = {v for v in values if NATIONAL_TOTAL.match(v) and not EU_AGGREGATE.match(v)}
    others = values - totals
    if len(totals) == 1 and all(v[:2] == next(iter(totals))[:2] for v in others
                                if not EU_AGGREGATE.match(v)):
        return "nation"
    return "aggregate"

# Eurostat's unit codes name their multiple first (THS_JOB, MIO_NAC, MIO_PPS_EU27_2020) or,
# for prices, after the price concept (CP_MEUR, CLV10_MNAC): units outside SCALE were taken
# as ones, so their counts came out 1000 times too small (and their Poisson intervals wide)
_THOUSANDS_UNIT = re.compile(r"^THS(?:_|$)")
_MILLIONS_UNIT = re.compile(r"^MIO(?:_|$)|^(?:CP|CLV\d*|PYP)_M(?:EUR|NAC|PPS)")


def unit_scale(unit: str) -> float:
    """What a value in ``unit`` is multiplied by to count ones (persons, euros)."""
    u = str(unit).strip().upper()
    if u in SCALE:
        return SCALE[u]
    if _THOUSANDS_UNIT.search(u):
        return 1e3
    if _MILLIONS_UNIT.search(u):
        return 1e6
    return 1.0


_CELL = re.compile(r"^\s*(?P<value>[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|:)\s*(?P<flag>[a-z]*)\s*$")


def _first_col(header: list[str]) -> str:
    return header[0].strip().strip('"') if header else ""


def _is_dims_cell(cell: str) -> bool:
    """``unit,nace_r2,geo\\time``: the dimensions, comma separated, and the time."""
    first = cell.strip().strip('"').lstrip("\ufeff").lower()
    return "\\" in first and ("time" in first.split("\\")[-1]) and "," in first


def time_cell(header: list[str]) -> int | None:
    """The index of the header cell naming the last dimension and the time (``geo\\time``,
    ``geo\\TIME_PERIOD``) in a Eurostat TSV a spreadsheet saved again: 0 when the first cell
    still holds every dimension (``"unit,nace_r2,geo\\time"``, quoted, in a CSV), or the place
    of ``geo\\time`` after the other dimensions, each in a column of its own ("text to
    columns" on the first column).  None for any other header (a dimension ``geo`` among the
    cells left of it, or in it, is asked of a split one: a crosstab's corner ``Region\\time``
    is no Eurostat table)."""
    cells = [c.strip().strip('"').lstrip("\ufeff").strip() for c in header]
    for i, cell in enumerate(cells):
        if "\\" not in cell:
            continue
        left, _, right = cell.partition("\\")
        if right.strip().lower() not in ("time", "time_period"):
            return None
        if i == 0:
            return 0 if "," in left else None
        dims = [c.lower() for c in cells[:i]] + [left.strip().lower()]
        ok = all(re.fullmatch(r"[a-z][a-z0-9_]*", d) for d in dims) and "geo" in dims
        return i if ok else None
    return None


def sniff(header: list[str], first_bytes: bytes) -> bool:
    """A Eurostat TSV: a tab-separated header whose first cell ends in ``geo\\time``-like;
    or such a table saved again by a spreadsheet (:func:`time_cell`), in UTF-8 or UTF-16."""
    first_line = _first_line(first_bytes, skip_blank=False)
    if "\t" in first_line:
        # the first cell holds commas (``unit,nace_r2,geo\time``), so a header split on a
        # sniffed comma separator hides it: read the tab-separated first line itself
        if _is_dims_cell(_first_col(first_line.split("\t"))):
            return True
    return saved_layout(first_bytes) is not None


def _utf16(first_bytes: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for the first bytes of a UTF-16 file (by its byte-order
    mark, or NUL bytes in every other place), else None."""
    from clusterid.io.readers import text as textmod

    if first_bytes[:2] == b"\xff\xfe":
        return "utf-16-le"
    if first_bytes[:2] == b"\xfe\xff":
        return "utf-16-be"
    return textmod._utf16_without_bom(first_bytes)


def _first_line(first_bytes: bytes, skip_blank: bool = True) -> str:
    """The first line of a file's first bytes as text (blank lines before it skipped when
    ``skip_blank``): UTF-8, as Eurostat writes (bytes that are not, as U+FFFD), or UTF-16 --
    a TSV a spreadsheet saved again as "Unicode text", which was read as UTF-8, its header
    no Eurostat header ('i\\x00n\\x00d\\x00...'), and refused by the generic reader as having 'no
    region column'."""
    from clusterid.io.readers import text as textmod

    if (wide := _utf16(first_bytes)) is None:
        if skip_blank:
            first_bytes = textmod.without_leading_blank_lines(first_bytes)
        return first_bytes.split(b"\n", 1)[0].decode("utf-8", "replace")
    text = first_bytes[:len(first_bytes) // 2 * 2].decode(wide, "replace").lstrip("\ufeff")
    if skip_blank:
        text = text.lstrip("\r\n\t ")
    return text.split("\n", 1)[0]


def saved_layout(first_bytes: bytes, sep: str | None = None) -> tuple[str, int] | None:
    """``(separator, time cell)`` of a Eurostat TSV saved again by a spreadsheet
    (:func:`time_cell`), from the first bytes of the file; None for any other file.  Each
    separator is tried (the sniffed one can be the comma inside the quoted first cell of a
    semicolon-separated file), the one giving the time cell with periods right of it wins."""
    import csv
    import io

    from clusterid.io.readers import text as textmod

    text = _first_line(first_bytes).lstrip("\ufeff").rstrip("\r\n")
    for candidate in ([sep] if sep else ["\t", ";", ",", "|"]):
        try:
            cells = next(csv.reader(io.StringIO(text), delimiter=candidate), [])
        except csv.Error:
            continue
        at = time_cell(cells)
        if at is not None and len(cells) > at + 1:
            return candidate, at
    return None


_tsv_copies: dict[tuple, str] = {}


def as_tsv(path: str, options=None) -> str:
    """``path`` itself when it is a Eurostat TSV, else a temporary TSV of it, written once per
    process, one line a line of the source (messages keep its line numbers and name it): a
    Eurostat TSV that a spreadsheet saved again as CSV (commas or semicolons between the
    fields, the first cell quoted: ``"unit,nace_r2,geo\\time",2016,2015``), or with its first
    column split into one column per dimension (``unit,nace_r2,geo\\time,2016``, commas or
    tabs).  Either was refused: the first as 'first cell has 5 codes, the header names 3' on
    every line, the second as a table with 'no region column recognised'."""
    import csv
    import io

    from clusterid.io import ingest
    from clusterid.io.readers import text as textmod
    from clusterid.io.readers.qcew import _stamp, decoded_copy

    encoding, sep = getattr(options, "encoding", None), getattr(options, "sep", None)
    key = (str(path), encoding, sep, _stamp(path))
    if key in _tsv_copies:
        return _tsv_copies[key]
    _header, first = ingest.head_of(path)
    line = _first_line(first)
    if "\t" in line and _is_dims_cell(_first_col(line.split("\t"))):
        if _utf16(first) is None:
            return path
        # a TSV saved again as UTF-16 ("Unicode text"): the same TSV in UTF-8, line for line
        dest = decoded_copy(path, encoding, "eurostat", lambda text, out: out.write(text.lstrip("\ufeff")))
        _tsv_copies[key] = dest
        return dest
    layout = saved_layout(first, textmod.sniff_separator("", sep) if sep else None)
    if layout is None:
        return path  # not one of them: the reader says what is wrong
    sep, at = layout

    def write(text, out):
        for record in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=sep):
            cells = [c.replace("\t", " ") for c in record]
            out.write("\t".join([",".join(c.strip() for c in cells[:at + 1]), *cells[at + 1:]])
                      if cells else "")
            out.write("\n")

    dest = decoded_copy(path, encoding, "eurostat", write)
    _tsv_copies[key] = dest
    return dest


def dimensions(first: str) -> tuple[list[str], str]:
    """Dimension names from ``unit,nace_r2,geo\\time``: (['unit', 'nace_r2', 'geo'], 'time')."""
    left, _, right = first.partition("\\")
    return [d.strip().lower() for d in left.split(",")], right.strip()


def normalise_period(label: str) -> str | None:
    s = label.strip()
    if re.fullmatch(r"\d{4}", s):
        return s
    m = re.fullmatch(r"(\d{4})-?Q([1-4])", s)
    if m:
        return f"{m.group(1)}Q{m.group(2)}"
    m = re.fullmatch(r"(\d{4})-?M?(\d{2})", s)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}M{m.group(2)}"
    return None


def nace_level(code: str) -> int | None:
    """0 total, 1 section (or section aggregate), 2 division, 3 group, 4 class."""
    c = code.strip().upper()
    if c == "TOTAL":
        return 0
    if re.fullmatch(r"[A-U]([-_][A-U])*", c):
        return 1
    digits = re.sub(r"^[A-U]", "", c).replace(".", "")
    digits = re.split(r"[-_]", digits)[0]
    if re.fullmatch(r"\d{2,4}", digits):
        return len(digits)
    return None


def nace_r1_level(code: str) -> int | None:
    """NACE Rev. 1.1 (``nace_r1`` tables): 0 total, 1 section or aggregate (``D``, ``C-E``,
    ``A_B``), 2 subsection (``DA``), 3 division (``15`` or ``D15``)."""
    c = code.strip().upper()
    if c == "TOTAL":
        return 0
    if re.fullmatch(r"[A-Q]([-_][A-Q])*", c):
        return 1
    if re.fullmatch(r"[A-Q][A-N]", c):
        return 2
    if re.fullmatch(r"[A-Q]?\d{2}", c):
        return 3
    return None


def _r11_level(code: str) -> int | None:
    """Level of a ``nace_r1`` code in classification NACE-R1.1 (:func:`codes.nace_r11_level`)."""
    return codes.nace_r11_level(codes.normalize_r11(code))


def _levels_of(industry_dim: str):
    """(level function, classification) of an industry dimension: NACE Rev. 1.1 codes mean
    other activities than Rev. 2's (D is manufacturing there, energy here), so they are kept
    apart in their own classification, NACE-R1.1 (its sections, subsections and divisions)."""
    return (_r11_level, schema.NACE_R11) if industry_dim == "nace_r1" else (nace_level, schema.NACE)


REASON_HEADER = "values of lines repeating the header (files joined with cat)"


def _read_one(path: str, options):
    import polars as pl

    header = read_header_tsv(path)
    at = header_line(path)[0]  # the header's line: blank lines before it are skipped
    if any("\r" in h for h in header):
        # lines ending in a bare CR: the 'header' ran on into the rows, and the last period
        # heading was said to be '2014 \rTHS_PER,A,NSA,SAL_DC,AT'
        from clusterid.io.ingest import display_name

        raise DataError(problems=[Problem(
            "lines end in a bare carriage return (CR)", path=display_name(path), line=at,
            expected="LF or CRLF line endings", found="CR", hint="convert it, e.g. tr '\\r' '\\n'")])
    first = _first_col(header)
    dims, time_name = dimensions(first)
    if "geo" not in dims or not any(d in dims for d in INDUSTRY_DIMS):
        raise DataError(problems=[Problem(
            "not a Eurostat table by region and industry", path=path, line=at, column=first,
            expected="dimensions including geo and nace_r2", found=",".join(dims))])
    twice = sorted({d for d in dims if dims.count(d) > 1 or d.startswith("_") or not d})
    if twice:
        raise DataError(problems=[Problem(
            "dimension named twice (or blank)", path=path, line=at, column=first,
            expected="distinct dimension names", found=twice[0])])
    industry_dim = next(d for d in INDUSTRY_DIMS if d in dims)
    # a tab after the last period on every line, as a spreadsheet saving the table as "Text
    # (Tab delimited)" writes for a column it kept: an empty heading, refused as 'unrecognised
    # period heading'; read as no period when its cells are empty too (checked below)
    n_blank = len(header) - 1 - len(list(itertools.dropwhile(
        lambda h: not h.strip(), reversed(header[1:]))))
    period_cols = header[1:len(header) - n_blank]
    bad = [c for c in period_cols if normalise_period(c) is None]
    if bad:
        raise DataError(problems=[Problem(
            "unrecognised period heading", path=path, line=at, column=c.strip(),
            expected="2016, 2016Q1, 2016-Q1, 2016M03 or 2016-03", found=c) for c in bad])
    # a period given twice ('2016 ' beside '2016', '2016Q1' beside '2016-Q1') was an internal
    # error (the CSV reader renamed the second '2016 _duplicated_0', no period at all)
    periods = [normalise_period(c) for c in period_cols]
    twice = [c for i, c in enumerate(period_cols) if periods[i] in periods[:i]]
    if twice:
        raise DataError(problems=[Problem(
            "duplicate column heading", path=path, line=at, column=c.strip(),
            expected="each period once", found=c, hint="rename or remove one of the columns")
            for c in twice])
    # ragged rows are read (truncated or padded) and reported by line, see read()
    try:
        df = pl.read_csv(path, glob=False, separator="\t", infer_schema=False, quote_char=None,
                         truncate_ragged_lines=True, skip_lines=at - 1)
    except (pl.exceptions.ComputeError, OSError) as exc:  # not UTF-8, a damaged gzip
        from clusterid.io.ingest import display_name

        raise DataError(problems=[rowcheck.encoding_problem(path, display_name(path)) or Problem(
            "unreadable TSV", path=display_name(path), found=str(exc).splitlines()[0][:60])]) from exc
    # a spreadsheet saving the table again quotes the first cell, which holds commas
    # ("THS_PER,A,AT"); read verbatim, its unit was '"THS_PER' (never scaled from thousands)
    # and its region 'AT"' (a NUTS-1 code)
    # (a BOM at a line's start, two BOM-saved files joined with `cat`: its unit was
    # '\ufeffTHS_PER', and the line dropped as "unit other than THS_PER")
    df = df.rename({df.columns[0]: "_dims"}).with_columns(
        pl.col("_dims").str.replace_all("\ufeff", "", literal=True).str.replace(r'^\s*"(.*)"\s*$', "$1"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + at + 1).alias("_line"))
    df = df.filter(rowcheck.not_blank(df.columns[0], [c for c in df.columns[1:] if c != "_line"]))
    if n_blank:
        blank_cols = df.columns[1 + len(period_cols):1 + len(period_cols) + n_blank]
        filled = df.filter(pl.any_horizontal(
            pl.col(c).str.strip_chars().str.len_bytes() > 0 for c in blank_cols).fill_null(False))
        if filled.height:
            from clusterid.io.ingest import display_name

            line, *cells = filled.select("_line", *blank_cols).row(0)
            raise DataError(problems=[Problem(
                "a value under a blank heading", path=display_name(path), line=line,
                expected="a period heading over every column of values",
                found=next(c for c in cells if c and c.strip()),
                hint="head the column with its period, or remove it")])
        df = df.drop(blank_cols)
    # ragged rows: reported by line (ingest counts each as one rejected row), read neither as
    # data nor as a row another dimension's filter drops
    from clusterid.io.ingest import display_name

    # a header line below the first (downloads joined with cat): the same header is dropped in
    # read(); another -- other periods, other dimensions -- is refused on its line: a second
    # download of 2017-2019 was read under the first one's 2014-2016 headings, exit 0
    values = df.columns[1:1 + len(period_cols)]
    for row in df.filter(pl.col("_dims").str.to_lowercase().str.contains("\\", literal=True)
                         .fill_null(False)).select("_line", "_dims", *values).iter_rows():
        other = rowcheck.other_header([row[1], *row[2:]], header[:1 + len(period_cols)], at,
                                      display_name(path), row[0], is_header=True)
        if other is not None:
            raise DataError(problems=[other])

    ragged = rowcheck.ragged_lines(path, len(header), display_name(path), sep="\t",
                                   hint="a missing or extra tab?")
    if ragged:
        df = df.filter(~pl.col("_line").is_in([p.line for p in ragged]))
    split = pl.col("_dims").str.split(",")
    df = df.with_columns([split.list.get(i, null_on_oob=True).str.strip_chars().alias(d)
                          for i, d in enumerate(dims)])
    # a first cell with too few or too many codes: like a ragged row, reported by line
    codes = split.list.len().fill_null(0)
    short = df.filter(codes != len(dims))
    for line, cell in short.select("_line", "_dims").iter_rows():
        ragged.append(Problem(
            f"first cell has {len((cell or '').split(','))} codes, the header names {len(dims)}",
            path=display_name(path), line=line, column=first, expected=",".join(dims),
            found=(cell or "")[:60]))
    if short.height:
        df = df.filter(codes == len(dims))
    # a NUL or a stray quote inside a code ('THS_P\x00ER', '"THS_PER' of a line pasted from a
    # quoted cell): read verbatim, the row was dropped as "unit other than THS_PER", exit 0
    odd = pl.any_horizontal(pl.col(d).str.contains(r'[\x00-\x1f"]').fill_null(False) for d in dims)
    for line, cell in df.filter(odd).select("_line", "_dims").iter_rows():
        ragged.append(Problem(
            "a control character or a quote inside a code", path=display_name(path), line=line,
            column=first, expected="codes of letters, digits, '_' and '-'", found=cell[:60]))
    if short.height or ragged:
        df = df.filter(~odd)
        ragged.sort(key=lambda p: p.line)
    rename = {old: normalise_period(old) for old in df.columns[1:len(period_cols) + 1]}
    long = df.drop("_dims").rename(rename).unpivot(
        index=[*dims, "_line"], on=list(rename.values()), variable_name=schema.PERIOD, value_name="_cell")
    return long, dims, industry_dim, time_name, ragged


def read_header_tsv(path: str) -> list[str]:
    """The header row's cells (blank lines before it skipped)."""
    line = header_line(path)[1].decode("utf-8-sig", "replace").rstrip("\r\n")
    return line.split("\t")


def _choose(long, dims, industry_dim, path, measure=schema.EMPLOYMENT):
    """Keep one value of each extra dimension; count the rest as dropped."""
    import polars as pl

    dropped: dict[str, int] = {}
    notes = []
    extra = [d for d in dims if d not in ("geo", industry_dim, "freq")]
    for d in extra:
        values = sorted(long[d].unique().to_list())
        if len(values) <= 1:
            continue
        choices = MEASURE_INDICATORS.get(d, {}).get(measure) or PREFERRED.get(d, ())
        pick = next((p for p in choices if p in values), None)
        if pick is None and d not in MEASURE_INDICATORS and "TOTAL" in values:
            # any other breakdown Eurostat totals as TOTAL (the LFS's worktime FT/PT, citizen
            # NAT/FOR, isced11, c_birth): its all-categories rows, the parts dropped, counted
            pick = "TOTAL"
        if pick is None:
            raise UsageError(
                f"{path}: dimension {d!r} has several values ({', '.join(values[:8])})"
                + (f", none of them known as {measure}" if d in MEASURE_INDICATORS else "")
                + "; ingest a table filtered to one of them")
        n = long.filter(pl.col(d) != pick).height
        dropped[f"{d} other than {pick}"] = n
        notes.append(f"{d}={pick} kept")
        long = long.filter(pl.col(d) == pick)
    if "freq" in dims and long["freq"].n_unique() > 1:
        raise UsageError(f"{path}: several frequencies; ingest one frequency at a time")
    return long, dropped, notes


_MONEY_INDICATOR = ((re.compile(r"(?:^|_)MEUR$"), 1e6, "million euro"),
                    (re.compile(r"(?:^|_)(?:THS_?EUR|KEUR)$"), 1e3, "thousand euro"),
                    (re.compile(r"(?:^|_)EUR$"), 1.0, "euro"))


def indicator_info(code: str) -> tuple[str | None, float, str] | None:
    """``(measure, multiple, name)`` of an SBS indicator code (:data:`INDICATORS`); for another
    code in money, by Eurostat's suffix (``WAGE_LOC_MEUR``: million euro), ``(None, multiple,
    name)`` -- an amount, no count, whatever it measures; None for any other code."""
    c = str(code).strip().upper()
    if c in INDICATORS:
        return INDICATORS[c]
    for rx, factor, unit in _MONEY_INDICATOR:
        if rx.search(c):
            return None, factor, f"an amount in {unit}"
    return None


def _indicator_scale(long, dims, measure: str, path: str) -> float:
    """The multiple the values of the table's SBS indicator are given in (V13320: million
    euro -> 1e6); UsageError when the indicator measures another thing than ``measure``."""
    for d in dims:
        if d not in MEASURE_INDICATORS:
            continue
        for code in long[d].unique().drop_nulls().to_list():
            known = indicator_info(code)
            if known is None:
                continue
            what, factor, name = known
            if what is None:  # money of a code not known here: an amount, never a count
                if measure in (schema.EMPLOYMENT, schema.ESTABLISHMENTS):
                    raise UsageError(f"{path}: {d} {code} is {name}, not {measure}; ingest it "
                                     "with --measure wages or --measure output")
                return factor
            if what != measure:
                hint = "leave --measure out" if what == schema.EMPLOYMENT else f"ingest with --measure {what}"
                raise UsageError(f"{path}: {d} {code} is {name}: {what}, not {measure}; {hint}")
            return factor
    return 1.0


# Eurostat's composite aggregates with exceptions: B-N_S95_X_K (business economy and S95,
# except K: the "total" of the SBS tables), B-S_X_O_S94, B-N_X_K.  Not in the NACE hierarchy
# (no parent, overlapping every section), they cannot be levelled or summed with the codes
REASON_COMPOSITE = "Eurostat composite aggregates with exceptions (B-N_S95_X_K ...; not NACE codes)"
_COMPOSITE = re.compile(r"^[A-U][0-9A-U_\-]*_X_[A-U][0-9A-U_\-]*$")


def _drop_composites(long, industry_dim: str, dropped: dict):
    """Rows of composite aggregates (:data:`_COMPOSITE`) dropped and counted; a table of
    nothing else (a national total only) stays as it is and fails on them, located."""
    import polars as pl

    code = pl.col(industry_dim).str.strip_chars().str.to_uppercase()
    composite = code.str.contains(_COMPOSITE.pattern).fill_null(False)
    n = long.filter(composite).height
    if n and n < long.height:
        dropped = {**dropped, REASON_COMPOSITE: dropped.get(REASON_COMPOSITE, 0) + n}
        long = long.filter(~composite)
    no_response = code.is_in(list(NO_INDUSTRY)).fill_null(False)
    n = long.filter(no_response).height
    if n and n < long.height:
        dropped = {**dropped, REASON_NO_INDUSTRY: dropped.get(REASON_NO_INDUSTRY, 0) + n}
        long = long.filter(~no_response)
    return long, dropped


# The Labour Force Survey's tables by NACE (lfst_r_lfe2en2, lfsa_egan2) list NRP, "No
# response": persons in TOTAL whose activity is not known, under no section.  Refused as "not a
# NACE code" on its line, the table was unreadable; no industry, so dropped and counted (the
# sections then sum to less than TOTAL, as with any unallocated part)
NO_INDUSTRY = ("NRP",)
REASON_NO_INDUSTRY = "NRP rows (no response: persons of TOTAL whose activity is not known)"


# units of money (Eurostat's MIO_EUR, THS_EUR, MIO_NAC, MIO_PPS_EU27_2020 ...; national tables'
# рублей, тенге): a value in them is an amount (output, wages), never a count of persons
# (Statistics Poland's BDL writes its unit "zł", "tys. zł", "mln zł": the złoty)
# (Romania's INS, TEMPO: "Lei", "Lei RON", "Milioane lei")
MONEY_UNIT = re.compile(r"(?:^|[_\s.])(?:EUR|ECU|NAC|PPS|USD|GBP|RUB|KZT|CHF|PLN|RON|LEI)(?:$|[_\s.\d])"
                        r"|руб|тенге|€|\$|dollar|euro|(?:^|[\s.])zł(?:$|[\s.])", re.IGNORECASE)


# shares, rates, indexes and amounts per head (PC_ACT, PCH_PRE, I15, EUR_HAB): no level at all
HOURS_UNIT = re.compile(r"^(?:THS_|MIO_)?HW$|^(?:hours?|heures|stunden|часов)\b", re.IGNORECASE)
PERSON_UNIT = re.compile(r"^(?:THS_|MIO_)?(?:PER|HW|NR)$", re.IGNORECASE)
# (and Romania's INS, TEMPO: "Procente", percent)
RATIO_UNIT = re.compile(r"^(?:PC|PCH|PCT|RT|I\d{2})(?:_|$)|_HAB$|^%$|^procente?\b", re.IGNORECASE)


def check_unit_fits_measure(units, measure: str, path: str, ratios: bool = True) -> None:
    """A table of money (GVA in MIO_EUR: nama_10r_3gva) read as employment or establishments
    gave 8 billion persons employed in Burgenland; a table of rates (employment rates in PC)
    gave 72.5 persons: both refused, naming what to do."""
    shares = sorted(str(u) for u in units if u is not None and RATIO_UNIT.search(str(u).strip()))
    if shares and ratios:
        raise UsageError(f"{path}: values in {', '.join(shares[:3])} are shares, rates or amounts "
                         "per head, not levels; ingest a table of counts or amounts (e.g. THS_PER, "
                         "MIO_EUR), or filter the unit")
    money = sorted(str(u) for u in units if u is not None and MONEY_UNIT.search(str(u)))
    if money and measure in (schema.EMPLOYMENT, schema.ESTABLISHMENTS):
        raise UsageError(f"{path}: values in {', '.join(money[:3])} are amounts of money, not "
                         f"{measure}; ingest with --measure output (value added, production) or "
                         "--measure wages (compensation of employees)")
    # hours worked read as employment (Eurostat's THS_HW without its THS_PER beside it,
    # Statistics Canada's UOM "Hours"): Austria's 7,000.1 thousand hours came out as 7,000,100
    # persons employed, exit 0
    hours = sorted(str(u) for u in units if u is not None and HOURS_UNIT.search(str(u).strip()))
    if hours and measure in (schema.EMPLOYMENT, schema.ESTABLISHMENTS):
        raise UsageError(f"{path}: values in {', '.join(hours[:3])} are hours worked, not "
                         f"{measure}; download the table in persons or jobs (THS_PER, THS_JOB)")
    # the converse: persons read as money (--measure wages on nama_10r_3empers, THS_PER) gave
    # 21,300 "dollars" of wages where 21,300 persons are employed, exit 0
    heads = sorted(str(u) for u in units if u is not None and PERSON_UNIT.search(str(u).strip()))
    if heads and measure in (schema.WAGES, schema.OUTPUT):
        raise UsageError(f"{path}: values in {', '.join(heads[:3])} are persons, hours or counts, "
                         f"not {measure} (amounts of money); leave --measure out (employment), or "
                         "give --measure establishments for a count of units (NR)")


def read(paths: list[str], options):
    """Read Eurostat TSV files into an :class:`~clusterid.io.ingest.AdapterResult`."""
    if getattr(options, "period", None):
        raise UsageError(f"--period {options.period}: Eurostat tables carry their own periods "
                         "(one column each); leave --period out")
    import polars as pl

    from clusterid.io.ingest import AdapterResult, display_name

    measure = (options.indicator() if hasattr(options, "indicator")
               else options.measure or schema.EMPLOYMENT)
    if measure not in schema.MEASURES:
        raise UsageError(f"unknown measure {measure!r}; expected one of "
                         + ", ".join(schema.MEASURES))

    frames, notes, problems = [], [], []
    dropped: dict[str, int] = {}
    details: dict[str, dict] = {}
    rows_read = 0
    for path in [as_tsv(p, options) for p in expand_paths(list(paths))]:
        # notes pasted below the table ('Source: Eurostat (online data code: ...)'): read again
        # without them when the read fails on them, as QCEW's and CBP's readers do
        _read, (long, dims, industry_dim, time_name, ragged), below = rowcheck.read_without_notes(
            lambda p: _read_one(p, options), path, lambda p: len(read_header_tsv(p)), sep="\t",
            failed=lambda r: bool(r[4]))
        if industry_dim == "nace_r1":
            # NACE Rev. 1.1 codes mean other industries than Rev. 2's (15 food, not leather)
            if (getattr(options, "classification", None) or "auto").lower() in ("nace", "oked", "wz"):
                raise UsageError(
                    f"--classification {options.classification}: {path} is NACE Rev.1.1 (its "
                    "dimension nace_r1); Rev.1.1 and Rev.2 codes mean different industries (15 is "
                    "food in Rev.1.1, leather in Rev.2; D is manufacturing, not energy), so its codes "
                    "cannot be read as NACE Rev.2: leave --classification out, or give nace-r1.1")
            details[path] = {"nace_r11": "nace_r1", "classification_note": codes.NACE_R11_READ_NOTE}
        rows_read += long.height + len(ragged)
        problems.extend(ragged)
        # the header line again (two downloads joined with cat): its codes are the dimensions'
        # names; read as data it was dropped as "unit other than THS_PER", a reason it is not
        again = pl.all_horizontal(pl.col(d) == d for d in dims[:2])
        n_again = long.filter(again).height
        if n_again:
            long = long.filter(~again)
            dropped[REASON_HEADER] = dropped.get(REASON_HEADER, 0) + n_again
        long, drops, picked = _choose(long, dims, industry_dim, path, measure)
        long, drops = _drop_composites(long, industry_dim, drops)
        indicator_scale = _indicator_scale(long, dims, measure, display_name(path))
        if "indic_sb" in dims and "V13310" in long["indic_sb"].unique().to_list():
            # read as wages where no V13320 is given: said, as it is more than wages
            picked = [*picked, "V13310 is personnel costs: wages and salaries plus employers' "
                               "social security costs"]
        if "unit" in dims:
            check_unit_fits_measure(long["unit"].unique().drop_nulls().to_list(), measure, path)
        for k, v in drops.items():
            dropped[k] = dropped.get(k, 0) + v
        notes.append(f"{display_name(path)}: Eurostat TSV, dimensions {','.join(dims)}"
                     + (f" ({'; '.join(picked)})" if picked else ""))
        if below:
            rows_read += len(below)
            notes.append(rowcheck.count_notes_below(below, dropped, display_name(path)))
        parsed = long.with_columns(
            pl.col("_cell").fill_null(":").str.extract_groups(_CELL.pattern).alias("_parts"))
        problems.extend(_row_problems(path, parsed, dims, industry_dim, time_name))
        # ': z' (no figure, not applicable) is no cell of the table; a figure flagged z is
        # published and kept as it stands, its flag with it
        not_applicable = ((pl.col("_parts").struct.field("value") == ":")
                          & pl.col("_parts").struct.field("flag").str.contains(NOT_APPLICABLE_FLAG)).fill_null(False)
        n_na = parsed.filter(not_applicable).height
        if n_na:
            dropped[REASON_NOT_APPLICABLE] = dropped.get(REASON_NOT_APPLICABLE, 0) + n_na
            parsed = parsed.filter(~not_applicable)
        value_txt = pl.col("_parts").struct.field("value")
        flag_txt = pl.col("_parts").struct.field("flag")
        scale = (pl.col("unit").replace_strict(
            {u: unit_scale(u) for u in long["unit"].unique().drop_nulls().to_list()},
            default=1.0, return_dtype=pl.Float64) if "unit" in dims else pl.lit(1.0)) * indicator_scale
        missing = value_txt == ":"
        # rounded, as the generic reader rounds its units: 257.6 thousand is 257600 persons,
        # not 257600.00000000003 (AT's construction 2015), whose noise surfaced as a change of
        # 3599.99999999997 in shift-share and in sums everywhere
        value = pl.when(missing).then(None).otherwise(
            (value_txt.cast(pl.Float64) * scale).round(6))
        status = (pl.when(missing).then(pl.lit(schema.SUPPRESSED))
                  .when(flag_txt.str.contains("[es]")).then(pl.lit(schema.ESTIMATED))
                  .otherwise(pl.lit(schema.REPORTED)))
        nace = pl.col(industry_dim)
        level_of, classification = _levels_of(industry_dim)
        levels = {c: level_of(c) for c in long[industry_dim].unique().to_list() if c is not None}
        if classification == schema.NACE_R11:  # D15 -> 15, C10 -> CA10 (10 is all industries)
            nace = nace.replace_strict({c: codes.normalize_r11(c) for c in levels}, default=None,
                                       return_dtype=pl.String)
        frames.append(parsed.select(**{
            schema.PERIOD: pl.col(schema.PERIOD),
            schema.REGION: pl.col("geo"),
            schema.OWNERSHIP: pl.lit(schema.OWNERSHIP_TOTAL),
            schema.INDUSTRY: pl.when(nace.str.to_uppercase() == "TOTAL")
            .then(pl.lit(schema.ALL_INDUSTRIES)).otherwise(nace),
            # NUTS codes: country (2 letters) = nuts0, then one character per level;
            # EU/euro-area aggregates (EU28, EA19) are no NUTS region, nor Extra-Regio (DEZZ)
            schema.REGION_LEVEL: pl.when(pl.col("geo").str.contains(EU_AGGREGATE.pattern))
            .then(pl.lit("aggregate"))
            .when(pl.col("geo").str.contains(NATIONAL_TOTAL.pattern))
            .then(pl.lit(national_total_level(long["geo"].unique().to_list())))
            .when(pl.col("geo").str.contains(EXTRA_REGIO.pattern)).then(pl.lit("extra_regio"))
            .when(pl.col("geo").str.len_chars() == 2)
            .then(pl.lit("nuts0")).otherwise(pl.lit("nuts") + (pl.col("geo").str.len_chars() - 2)
                                             .cast(pl.String)),
            schema.CLASSIFICATION: pl.lit(classification),
            schema.LEVEL: pl.col(industry_dim).replace_strict(levels, return_dtype=pl.Int8),
            measure: value,
            schema.status_col(measure): status,
            schema.flag_col(measure): pl.when(flag_txt == "").then(None).otherwise(flag_txt),
            "_line": pl.col("_line"),
            "_source": pl.lit(display_name(path)),
        }))
    frame = pl.concat(frames, how="vertical").lazy()
    return AdapterResult(frame=frame, adapter=NAME, rows_read=rows_read, dropped=dropped,
                         notes=notes, problems=problems, details=details)


def _row_problems(path: str, parsed, dims, industry_dim: str, time_name: str):
    """Every bad cell, unknown code, empty key and ragged row of one file, located by line
    (``ingest`` fails with them, or with ``--on-error skip`` sets their rows aside)."""
    import polars as pl

    from clusterid.io.ingest import display_name

    name = display_name(path)
    problems = []
    broken = parsed.filter(pl.col("_parts").struct.field("value").is_null())
    problems += [Problem("not a Eurostat value", path=name, line=r["_line"], column=r[schema.PERIOD],
                         expected="a number with optional flags, or ':'", found=r["_cell"])
                 for r in broken.iter_rows(named=True)]
    odd = parsed.filter(pl.col("_parts").struct.field("flag").str.contains(f"[^{FLAGS}]").fill_null(False))
    vintage = "SDMX-TSV (2023 on)" if time_name.upper() == "TIME_PERIOD" else "bulk (before 2023)"
    problems += [Problem("unknown flag", path=name, line=r["_line"], column=r[schema.PERIOD],
                         expected=f"flags from {', '.join(FLAGS)} (Eurostat {vintage} layout)",
                         found=r["_cell"].strip()) for r in odd.iter_rows(named=True)]
    number = pl.col("_parts").struct.field("value")
    huge = parsed.filter(pl.when(number == ":").then(False).otherwise(
        rowcheck.implausible(number.cast(pl.Float64, strict=False))).fill_null(False))
    problems += [Problem("not a plausible number (infinite, NaN or beyond 1e15)", path=name,
                         line=r["_line"], column=r[schema.PERIOD], expected=rowcheck.NUMBER_EXPECTED,
                         found=r["_cell"].strip()) for r in huge.iter_rows(named=True)]
    keyed = parsed.select("_line", "geo", industry_dim).unique()
    for line, geo, code in keyed.sort("_line").iter_rows():
        if not geo:
            problems.append(Problem("empty key cell", path=name, line=line, column="geo",
                                    expected="a NUTS or country code", found=""))
        if not code:
            problems.append(Problem("empty key cell", path=name, line=line, column=industry_dim,
                                    expected="a NACE code", found=""))
        elif _levels_of(industry_dim)[0](code) is None:
            problems.append(Problem(
                "unknown NACE code", path=name, line=line, column=industry_dim,
                expected=("TOTAL, a section (D), an aggregate (C-E), a subsection (DA) or a division (15)"
                          if industry_dim == "nace_r1" else
                          "TOTAL, a section (C), an aggregate (B-E) or a division (C10)"), found=code))
    return problems
