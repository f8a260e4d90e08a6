"""Census County Business Patterns (CBP) county and state files -> canonical frame.

Layouts (recognised from the header; names are lower-cased first):

``2007-2016``
    ``fipstate, fipscty, naics, empflag, emp_nf, emp, qp1_nf, qp1, ap_nf, ap, est, n1_4 ...``
    (county, ``cbpYYco.txt``) and ``fipstate, naics, lfo, empflag, emp_nf, emp ...`` (state,
    ``cbpYYst.txt``).  ``empflag`` A-M marks employment withheld and gives its size range.
``1998-2006``
    The 2007-2016 layout before noise infusion: no ``emp_nf``, ``qp1_nf``, ``ap_nf``
    (``fipstate, fipscty, naics, empflag, emp, qp1, ap, est, n1_4 ...``).
``2017``
    ``n<5`` instead of ``n1_4`` while ``empflag`` is still there (withdrawn in 2018).
``2017+``
    The same without ``empflag`` (``n<5`` instead of ``n1_4``): withheld cells are marked in
    the noise flags (``D`` disclosure, ``S`` publication standards; ``N`` not available, its
    value written empty).

State (2010 on) and U.S. (2008 on) files by legal form of organisation (``lfo``) carry, per
size class, ``f1_4`` (suppression flag), ``e1_4nf``/``e1_4``, ``q1_4nf``/``q1_4``,
``a1_4nf``/``a1_4`` and ``n1_4`` .. ``n1000`` (no 1,000+ split; the U.S. file a ``uscode``
"98" column); only the ``n`` counts are read.  Their layouts write the ``empflag`` letters in
lower case (a-m), read as A-M.  A blank ``emp``/``ap``/``est`` is missing (suppressed), never a
reported value; one that no withheld flag explains is counted in a note.  SIC-based files
(1986-1997, column ``sic``) are refused with that reason.  Each layout is exercised by
tests/test_cbp_layouts.py (headings in upper and lower case).

``ZIP Code Business Patterns``
    ``zbpYYtotals.txt`` (``zip, name, empflag, emp_nf, emp, qp1_nf, qp1, ap_nf, ap, est, city,
    stabbr, cty_name``; no ``empflag`` since 2017): all industries per ZIP code, region level
    ``zip``, the ``name`` as region name; ``zbpYYdetail.txt`` (``zip, naics, est, n1_4 ...``,
    ``n<5`` since 2017): establishment counts by NAICS only (no employment is published).

Mapping (METHODS.md §6):

* region = ``fipstate`` + ``fipscty`` (county; county ``999``, establishments without a fixed
  county, is named ``Statewide`` and gets region level ``unallocated``: it is no place to
  compare with the counties), ``fipstate`` + ``000`` (state, as QCEW
  writes state codes), ``C`` + the first four digits of ``msa`` (metro file ``cbpYYmsa.txt``,
  as QCEW writes a CBSA) or ``US000`` (the national file ``cbpYYus.txt``, region_level
  ``nation`` as QCEW's U.S. total); period from ``IngestOptions.period`` or the file name
  (``cbp16co`` -> ``2016``).  State and national files: only ``lfo == "-"`` (all legal forms;
  ``001`` in the API's coding) is kept; rows of one legal form are dropped and counted.  A file
  with ``empszes`` rows (employment-size classes as rows, the API / data.census.gov coding):
  only ``001`` (all establishments) is kept, the size-class rows are dropped and counted --
  they are parts of the all-sizes row, and adding them would count every worker twice.

National file layouts (U.S. record layouts of Census): 1998-2007 ``naics, empflag, emp, qp1,
ap, est, n1_4 ...``; 2008-2017 ``naics, lfo, empflag, emp_nf, emp, qp1_nf, qp1, ap_nf, ap,
est, n1_4 ...`` (``lfo`` added 2008); 2018+ the same without ``empflag`` (``n<5``).  Headings
are upper case in some years (2006, 2015); they are lower-cased first.
* industry: CBP pads NAICS codes with ``-`` and ``/``: ``------`` is all industries (``10``,
  level 0), ``31----`` a sector (``31-33``, ``44-45``, ``48-49`` for the three range sectors;
  level 2), ``3111//`` -> ``3111`` (level 4) ...
* employment = ``emp``; with ``empflag`` A-M the value is withheld: null, ``suppressed``,
  lower/upper bounds from the flag's size range, flag kept (``B``).  ``D``/``S`` (either
  column) -> suppressed, no range from the flag.  Either way the establishment counts by
  employment-size class (published for withheld cells too) narrow the bounds: between
  ``sum n_class x class_min`` and ``sum n_class x class_max`` (``n<5`` / ``n1_4`` from 0: the
  "1 to 4" group holds establishments without mid-March employees, CBP technical
  documentation; see ``_size_class_bounds`` and core/bounds.py), and a note counts the cells
  so bounded.  Noise flags ``G`` (<2%), ``H`` (2-5%), ``J`` (>=5%)
  of ``emp_nf`` are kept in ``employment_flag`` on reported values.
* wages = ``ap`` (annual payroll, $1,000) x 1000, in dollars like QCEW; withheld with the
  employment (``empflag`` set and payroll 0) or when ``ap_nf`` is ``D``/``S``.
* establishments = ``est`` (always published).
"""

from __future__ import annotations

import re
from pathlib import Path

from clusterid import schema
from clusterid.errors import DataError, Problem, UsageError
from clusterid.io.readers import rowcheck
from clusterid.io.readers.qcew import expand_paths, header_line_number, read_header

NAME = "cbp"

# METHODS.md §6: employment-size ranges of the withheld-cell flags (upper None = open)
SIZE_FLAGS = {
    "A": (0.0, 19.0), "B": (20.0, 99.0), "C": (100.0, 249.0), "E": (250.0, 499.0),
    "F": (500.0, 999.0), "G": (1000.0, 2499.0), "H": (2500.0, 4999.0), "I": (5000.0, 9999.0),
    "J": (10000.0, 24999.0), "K": (25000.0, 49999.0), "L": (50000.0, 99999.0),
    "M": (100000.0, None),
}
WITHHELD = ("D", "S", "N")  # N (2017+): not available -- never a reported 0
# Establishment counts by employment-size class (record layouts: ``n1_4`` / ``n<5`` since 2017,
# ``n5_9`` ... ``n500_999``, ``n1000`` split into ``n1000_1`` .. ``n1000_4``): column -> least and
# most mid-March employees of one establishment in it.  "1 to 4" / "<5" also holds
# establishments with no employees in the mid-March pay period (paid some time in the year), so
# it starts at 0 (Census, CBP technical documentation, glossary "Number of establishments").
SIZE_CLASSES = {"n1_4": (0.0, 4.0), "n<5": (0.0, 4.0), "n5_9": (5.0, 9.0), "n10_19": (10.0, 19.0),
                "n20_49": (20.0, 49.0), "n50_99": (50.0, 99.0), "n100_249": (100.0, 249.0),
                "n250_499": (250.0, 499.0), "n500_999": (500.0, 999.0)}
BIG_CLASSES = {"n1000_1": (1000.0, 1499.0), "n1000_2": (1500.0, 2499.0),
               "n1000_3": (2500.0, 4999.0), "n1000_4": (5000.0, float("inf"))}
BIG_ALL = ("n1000", 1000.0, float("inf"))
# what the size classes did to a withheld cell's employment bounds (for the reader's note)
_SC_NONE, _SC_TIGHTER, _SC_CONFLICT, _SC_UNEVEN = 0, 1, 2, 3
RANGE_SECTORS = {"31": "31-33", "44": "44-45", "48": "48-49"}

REASON_LFO = "legal-form rows (lfo other than '-', all establishments)"
REASON_SIZE = "employment-size-class rows (empszes other than 001, all establishments)"
ALL_LFO = ("-", "001")
NATION_REGION = "US000"  # QCEW's code for the U.S. total
# county code 999 of the county files: a state's establishments with no fixed county
# ("Statewide"): part of the state total but no place, so not a county among the counties (its
# LQs against them were spurious clusters: 5413 at 19-29 in a test file); kept, at this level
STATEWIDE_LEVEL = schema.UNALLOCATED

# Flag vocabularies of the record layouts, by vintage.  A letter outside them is a file of
# another layout or a damaged one: reading it as "no flag" would publish a withheld 0.
NOISE_FLAGS = {"2007-2016": ("G", "H", "J", "D", "S", "N"), "2017": ("G", "H", "J", "D", "S", "N"),
               "2017+": ("G", "H", "J", "D", "S", "N")}
EMPFLAGS = (*SIZE_FLAGS, *WITHHELD)


def sniff(header: list[str], first_bytes: bytes) -> bool:  # noqa: ARG001 - contract
    cols = {h.strip().strip('"').lstrip("\ufeff").lower() for h in header}
    if {"fipstate", "naics", "emp", "est"} <= cols:
        return True
    if "sic" in cols and "naics" not in cols and {"emp", "est"} <= cols and (
            "fipstate" in cols or cols & {"empflag", "emp_nf"}):
        return True  # a SIC-based CBP file (1986-1997): claimed to be refused with its reason
    if {"zip", "est"} <= cols and ("naics" in cols or {"emp", "ap"} <= cols) and (
            "naics" not in cols or any(re.fullmatch(r"n(?:1_4|<5|5_9)", c) for c in cols)):
        return True  # ZIP Code Business Patterns: zbpYYdetail.txt, zbpYYtotals.txt
    # the national file has no geography column: its CBP-only columns say what it is
    return {"naics", "emp", "est", "ap"} <= cols and bool(cols & {"lfo", "empflag", "emp_nf", "empszes"})


def _vintage(cols: set[str]) -> str:
    """The layout era the columns say: ``empflag`` withdrawn in 2018 (county, state) while
    ``n1_4`` became ``n<5`` in 2017, so a file with both ``empflag`` and ``n<5`` is 2017's."""
    if "empflag" not in cols:
        return "2017+"
    if "emp_nf" not in cols:
        return "1998-2006"
    return "2017" if "n<5" in cols else "2007-2016"


def layout_of(header: list[str], path: str) -> tuple[str, str]:
    """(geography 'county' | 'state' | 'nation', vintage '1998-2006' | '2007-2016' | '2017' |
    '2017+')."""
    cols = set(header)
    if "sic" in cols and "naics" not in cols:
        # Census's 1986-1997 files: read by the generic reader they became a custom
        # classification whose withheld cells (empflag A-M, emp 0) were reported zeros
        raise DataError(problems=[Problem(
            "a SIC-based County Business Patterns file (Census's 1986-1997 files)", path=path,
            line=header_line_number(path), column="sic", expected="NAICS-based CBP files (1998 on), industry column naics",
            found="sic", hint="clusterid reads NAICS-coded CBP; Census publishes CBP on NAICS "
            "from 1998")])
    if "zip" in cols and not cols & {"fipstate", "msa"}:
        # ZIP Code Business Patterns: the totals file (no naics: all industries, with
        # employment) or the detail file (by NAICS: establishments only)
        need = {"zip", "est"} | ({"emp", "ap"} if "naics" not in cols else set())
        flags = cols & {"empflag", "emp_nf"} or "naics" in cols
        if not need <= cols or not flags:
            raise DataError(problems=[Problem(
                "not a ZIP Code Business Patterns file", path=path, line=header_line_number(path),
                expected="columns " + ", ".join(sorted(need)) + " (and empflag or emp_nf)",
                found="missing " + ", ".join(sorted(need - cols) or ["empflag or emp_nf"]))])
        return "zip", _vintage(cols)
    # before 2007 no noise flags (no emp_nf); since 2017 no empflag: one of them says what
    # is withheld, without either a withheld 0 would read as data
    need = {"naics", "emp", "est", "ap"} | ({"fipstate"} if "fipscty" in cols else set())
    if not need <= cols or not cols & {"empflag", "emp_nf"}:
        missing = sorted(need - cols) + ([] if cols & {"empflag", "emp_nf"} else ["empflag or emp_nf"])
        raise DataError(problems=[Problem(
            "not a County Business Patterns file", path=path, line=header_line_number(path),
            expected="columns " + ", ".join(sorted(need)) + ", empflag or emp_nf",
            found="missing " + ", ".join(missing))])
    geo = ("county" if "fipscty" in cols else "state" if "fipstate" in cols
           else "msa" if "msa" in cols else "nation")
    if geo == "nation" and (other := [h for h in header if h and not _record_layout_column(h)
                                      and not _labels_of_codes(path, h)]):
        # the national file has no geography column, so a table of CBP's columns that keeps
        # its areas in a column of its own (a county FIPS 'geoid', a 'year' of a stacked panel)
        # was read as it: Beaver County's 1,598 jobs came out as the U.S. total, US000, exit 0
        raise DataError(problems=[Problem(
            "a County Business Patterns table with columns the national file does not have",
            path=path, line=header_line_number(path), column=other[0],
            expected="a Census record layout's: fipstate, fipscty (county), fipstate (state), "
                     "msa, zip, or none (the national file)",
            found=", ".join(repr(h) for h in other[:4]) + (" ..." if len(other) > 4 else ""),
            hint="read as the national file every row would be the U.S. total, US000; give "
                 "the areas as Census does (county FIPS split into fipstate and fipscty), a "
                 "file per year named like cbp16co.txt")])
    vintage = _vintage(cols)
    if vintage == "1998-2006" and cols & {"qp1_nf", "ap_nf"}:
        # payroll noise flags are 2007's, beside employment's: without emp_nf the file is a
        # newer one cut short (an internal error, KeyError '1998-2006', before)
        raise DataError(problems=[Problem(
            "not a County Business Patterns file", path=path, line=header_line_number(path),
            expected="emp_nf beside " + " and ".join(sorted(cols & {"qp1_nf", "ap_nf"})) + " (2007 on)",
            found="missing emp_nf")])
    return geo, vintage


# The columns of Census's CBP and ZBP record layouts (county, state, metro, U.S., ZIP totals
# and detail, 1998 on): the reader's, and the ones it leaves (payroll of the first quarter,
# Census's own state and county codes, ZBP's place names), said as not read.
_LAYOUT_COLUMNS = {"fipstate", "fipscty", "msa", "zip", "uscode", "naics", "lfo", "empszes",
                   "empflag", "emp_nf", "emp", "qp1_nf", "qp1", "ap_nf", "ap", "est", "censtate",
                   "cencty", "cenctycd", "name", "city", "stabbr", "cty_name"}
# size-class columns: n1_4 .. n1000_4, n<5; by legal form per class f1_4, e1_4nf, e1_4, q1_4nf ...
_CLASS_COLUMN = re.compile(r"^(?:n(?:<5|\d+(?:_\d+)?)|[feqa](?:<5|\d+(?:_\d+)?)(?:nf)?)$")


def _labels_of_codes(path: str, column: str) -> bool:
    """Whether ``column`` of a national-layout file holds a label of each NAICS code (a
    'naics_title' a user joined in): one value per code, not the same for all codes -- never an
    area or a year, which is one value for the whole file (a one-county cut's 'geoid') or
    several per code (a stacked panel).  An empty column is no area either.  3ebcb30 refused
    any column the record layouts lack, a code's title too."""
    import polars as pl

    try:
        at = header_line_number(path)
        df = (pl.scan_csv(path, glob=False, infer_schema=False, with_column_names=_lower_names,
                          skip_lines=at - 1).select("naics", column).collect()
              .with_columns(pl.col(column).str.strip_chars()))
    except Exception:  # unreadable here: the layout check says it, as before
        return False
    filled = df.filter(pl.col(column).is_not_null() & (pl.col(column) != ""))
    if filled.height == 0:
        return True
    if filled.get_column(column).n_unique() < 2:
        return False
    per_code = filled.group_by("naics").agg(pl.col(column).n_unique().alias("n")).get_column("n").max()
    return per_code == 1


def _refuse_pre_cbsa_metro(path: str, at: int) -> None:
    """Refuse, in one line, a metro file keyed by the 1990s metropolitan areas.

    Census's metro files of 1998-2002 (``cbp98msa.txt`` .. ``cbp02msa.txt``) key the areas by
    the MSA / PMSA / NECMA codes of the 1990s (four digits: ``0040`` Abilene, ``5600`` New
    York PMSA; ``40`` once a spreadsheet dropped the zeros); CBSAs (five digits, QCEW's
    ``C1018``) start with the 2003 files.  No rule
    turns one into the other, and ``C`` + the first four digits would name another area;
    before, each row was refused as 'not a CBSA code', one error per row, without the reason.
    """
    import polars as pl

    try:
        codes = (pl.scan_csv(path, glob=False, infer_schema=False, with_column_names=_lower_names,
                             skip_lines=at - 1, n_rows=200).select("msa").collect()
                 .get_column("msa").str.strip_chars().drop_nulls())
    except Exception:  # unreadable here: the cell checks say where, as before
        return
    old = codes.filter(codes.str.contains(r"^[0-9]{1,4}$"))
    if len(old) and len(old) == len(codes.filter(codes != "")):
        raise DataError(problems=[Problem(
            "a metro file of the 1990s metropolitan areas (CBP 1998-2002: MSA/PMSA codes)",
            path=path, line=at + 1, column="msa", expected="CBSA codes (5 digits, CBP's metro "
            "files from 2003 on)", found=old[0],
            hint="the old areas have no CBSA code; read the county file of the year "
                 "(cbp01co.txt) and group its counties")])


def _record_layout_column(name: str) -> bool:
    return name in _LAYOUT_COLUMNS or bool(_CLASS_COLUMN.match(name))


def period_of(path: str, options) -> str:
    if options.period:
        return str(options.period)
    m = re.search(r"(?:cbp(\d{2})(?:co|st|us|msa)|zbp(\d{2})(?:detail|totals))", Path(path).name.lower())
    if m:
        yy = int(m.group(1) or m.group(2))
        return str(1900 + yy if yy >= 86 else 2000 + yy)
    raise UsageError(f"{path}: CBP files carry no year; name it like cbp16co.txt (zbp16totals.txt) "
                     "or pass --period 2016")


def naics_expressions():
    """(industry, level) expressions normalising CBP's padded NAICS codes."""
    import polars as pl

    raw = pl.col("naics").str.strip_chars()
    digits = raw.str.replace_all(r"[-/]", "")
    n = digits.str.len_chars()
    sector = (pl.when(digits.is_in(list(RANGE_SECTORS)))
              .then(digits.replace(RANGE_SECTORS)).otherwise(digits))
    industry = (pl.when(n == 0).then(pl.lit(schema.ALL_INDUSTRIES))
                .when(n == 2).then(sector).otherwise(digits))
    # a code that is not digits padded with - or / ("3X----") gets no level: validation
    # reports it as an unknown NAICS code, with its line
    shape = raw.str.contains(r"^[0-9]*[-/]*$") & ((n == 0) | n.is_between(2, 6))
    level = pl.when(~shape.fill_null(False)).then(pl.lit(None)).when(n == 0).then(pl.lit(0)).otherwise(n).cast(pl.Int8)
    return industry, level


def _size_class_bounds(lf, header: list[str], withheld, flag_lower, flag_upper):
    """``lf`` with employment bounds ``_sc_lower``/``_sc_upper`` (the flag's range narrowed by
    the size classes) and ``_sc_effect`` (what the classes did, for the reader's note).

    A withheld cell's mid-March employment lies between ``sum n_class x class_min`` and
    ``sum n_class x class_max`` (no upper end while a 5,000+ / 1,000+ establishment is in it).
    Classes published as ``N`` (2017+) hold the establishments ``est`` leaves over, each
    somewhere in the withheld classes' ranges; ``n1000`` stands for its four parts unless all
    of them are published.  The result is intersected with the ``empflag`` range (2007-2016;
    the D, S, N cells of 2017+ had no bounds at all).  Counts that do not add up to ``est``
    are not used (``_SC_UNEVEN``); a range that misses the flag's leaves the flag's range, and
    is counted (``_SC_CONFLICT``) for the reader's note: both are Census's word on the same
    employment, so a file where they disagree is damaged or made up, and which to trust is not
    ours to guess.  Reported cells are untouched.  Built in stages of columns: as one nested
    expression polars evaluated the shared parts once per use (20x slower on 430,000 rows)."""
    import polars as pl

    inf = float("inf")
    lf = lf.with_columns(withheld.alias("_sc_wh"), flag_lower.alias("_sc_flo"),
                         flag_upper.alias("_sc_fhi"))
    small = {c: r for c, r in SIZE_CLASSES.items() if c in header}
    if not small or "est" not in header or "emp" not in header:
        return lf.with_columns(pl.col("_sc_flo").alias("_sc_lower"), pl.col("_sc_fhi").alias("_sc_upper"),
                               pl.lit(_SC_NONE, pl.Int8).alias("_sc_effect"))
    split = {c: r for c, r in BIG_CLASSES.items() if c in header}
    have = [*small, *split] + ([BIG_ALL[0]] if BIG_ALL[0] in header else [])

    def n(c):
        return pl.col(f"_sc:{c}")

    # stage 1: the counts as numbers (N, blank or not a number: null, a withheld class)
    lf = lf.with_columns(_num("est").alias("_sc_est"), *(
        pl.col(c).str.strip_chars().cast(pl.Float64, strict=False).alias(f"_sc:{c}") for c in have))
    n1000 = n(BIG_ALL[0]) if BIG_ALL[0] in header else pl.lit(None, pl.Float64)

    def hi_of(x, hi):  # 0 x inf would be NaN: an empty open class adds nothing
        return pl.when(x > 0).then(pl.lit(hi) if hi == inf else x * hi).otherwise(0.0)

    use_split = (pl.all_horizontal(n(c).is_not_null() for c in split)
                 if len(split) == len(BIG_CLASSES) else pl.lit(False))
    # stage 2: the 1,000+ establishments, from the split where all of it is published
    lf = lf.with_columns(use_split.alias("_sc_split")).with_columns(
        pl.when(pl.col("_sc_split")).then(
            pl.sum_horizontal(n(c) for c in split) if split else pl.lit(0.0)
        ).otherwise(n1000).alias("_sc_big_n"),
        pl.when(pl.col("_sc_split")).then(
            pl.sum_horizontal(n(c) * lo for c, (lo, _) in split.items()) if split else pl.lit(0.0)
        ).otherwise(n1000.fill_null(0.0) * BIG_ALL[1]).alias("_sc_big_lo"),
        pl.when(pl.col("_sc_split")).then(
            pl.sum_horizontal(hi_of(n(c), hi) for c, (_, hi) in split.items()) if split else pl.lit(0.0)
        ).otherwise(hi_of(n1000.fill_null(0.0), inf)).alias("_sc_big_hi"))
    # stage 3: published classes' sums; establishments left over and their classes' range
    big_n = pl.col("_sc_big_n")
    lf = lf.with_columns(
        (pl.col("_sc_est") - pl.sum_horizontal(*(n(c).fill_null(0.0) for c in small),
                                               big_n.fill_null(0.0))).alias("_sc_rest"),
        pl.sum_horizontal(*(n(c).fill_null(0.0) * lo for c, (lo, _) in small.items()),
                          pl.col("_sc_big_lo")).alias("_sc_lo_known"),
        pl.sum_horizontal(*(hi_of(n(c).fill_null(0.0), hi) for c, (_, hi) in small.items()),
                          pl.col("_sc_big_hi")).alias("_sc_hi_known"),
        pl.min_horizontal(*(pl.when(n(c).is_null()).then(pl.lit(lo)) for c, (lo, _) in small.items()),
                          pl.when(big_n.is_null()).then(pl.lit(BIG_ALL[1]))).alias("_sc_rest_lo"),
        pl.max_horizontal(*(pl.when(n(c).is_null()).then(pl.lit(hi)) for c, (_, hi) in small.items()),
                          pl.when(big_n.is_null()).then(pl.lit(inf))).alias("_sc_rest_hi"))
    # stage 4: the classes' range, the flag's, and their intersection
    rest, rest_lo, rest_hi = pl.col("_sc_rest"), pl.col("_sc_rest_lo"), pl.col("_sc_rest_hi")
    extra = rest > 0
    lf = lf.with_columns(
        ((rest == 0) | (extra & rest_lo.is_not_null())).fill_null(False).alias("_sc_even"),
        pl.col("_sc_flo").fill_null(0.0).alias("_sc_f_lo"),
        pl.when(pl.col("_sc_flo").is_not_null()).then(pl.col("_sc_fhi").fill_null(inf))
        .otherwise(inf).alias("_sc_f_hi"),
        (pl.col("_sc_lo_known") + pl.when(extra).then(rest * rest_lo).otherwise(0.0)).alias("_sc_c_lo"),
        (pl.col("_sc_hi_known") + pl.when(extra).then(
            pl.when(rest_hi == inf).then(pl.lit(inf)).otherwise(rest * rest_hi)).otherwise(0.0)
         ).alias("_sc_c_hi"))
    lf = lf.with_columns(pl.max_horizontal("_sc_f_lo", "_sc_c_lo").alias("_sc_lo"),
                         pl.min_horizontal("_sc_f_hi", "_sc_c_hi").alias("_sc_hi"))
    lo, hi, f_lo, f_hi = (pl.col(c) for c in ("_sc_lo", "_sc_hi", "_sc_f_lo", "_sc_f_hi"))
    usable = (pl.col("_sc_wh") & pl.col("_sc_even")).fill_null(False)
    lf = lf.with_columns(usable.alias("_sc_usable"), (usable & (lo <= hi).fill_null(False)).alias("_sc_agree"))
    agree = pl.col("_sc_agree")
    tighter = (agree & ((lo > f_lo) | (hi < f_hi)).fill_null(False))
    lf = lf.with_columns(tighter.alias("_sc_tighter")).with_columns(
        pl.when(pl.col("_sc_tighter")).then(lo).otherwise(pl.col("_sc_flo")).alias("_sc_lower"),
        pl.when(pl.col("_sc_tighter")).then(pl.when(hi < inf).then(hi))
        .otherwise(pl.col("_sc_fhi")).alias("_sc_upper"),
        pl.when(pl.col("_sc_tighter")).then(pl.lit(_SC_TIGHTER, pl.Int8))
        .when(pl.col("_sc_usable") & ~agree).then(pl.lit(_SC_CONFLICT, pl.Int8))
        .when(pl.col("_sc_wh") & ~pl.col("_sc_even")).then(pl.lit(_SC_UNEVEN, pl.Int8))
        .otherwise(pl.lit(_SC_NONE, pl.Int8)).alias("_sc_effect"))
    return lf


def _size_class_note(sizes) -> str | None:
    """The reader's note on what the size classes did (None when nothing)."""
    got = dict(sizes.select("_sc_effect", "rows").iter_rows()) if sizes is not None else {}
    tighter, conflict, uneven = (int(got.get(k, 0)) for k in (_SC_TIGHTER, _SC_CONFLICT, _SC_UNEVEN))
    if not (tighter or conflict or uneven):
        return None
    parts = []
    if tighter:
        parts.append(f"{tighter} withheld employment cells bounded more tightly by their "
                     "establishment counts by size class (class minimum to maximum, intersected "
                     "with the empflag range)")
    if conflict:
        parts.append(f"{conflict} withheld employment cells whose size classes' range misses "
                     "their empflag range (contradictory figures): the flag's range kept")
    if uneven:
        parts.append(f"{uneven} withheld employment cells whose size-class counts do not add "
                     "up to est: the counts not used")
    return "; ".join(parts)


_KEEP, _LFO, _SIZE, _HEADER = 0, 1, 2, 3
REASON_HEADER = rowcheck.REASON_REPEATED_HEADER  # as QCEW says it
_REASONS = {_LFO: REASON_LFO, _SIZE: REASON_SIZE, _HEADER: REASON_HEADER}


def _blank(col: str):
    """Expression: the cell is empty (an empty field, ``""`` or spaces)."""
    import polars as pl

    return (pl.col(col).str.strip_chars().fill_null("") == "")


def _num(col: str):
    # lenient cast: every cell that is not a number is reported by _cell_checks (its row is
    # then set aside or the run fails), so a null here is a blank cell or a rejected row
    return rowcheck.lenient_number(col)


def _lower_names(names):
    # the same cleaning as read_header (a stray quote or BOM in a heading), so both agree
    from clusterid.io.readers.qcew import _clean

    return [_clean(n) for n in names]


def _cell_checks(header: list[str], vintage: str) -> tuple[dict, dict]:
    """(column -> "cell is bad" expression, check -> (message, expected)) for one layout."""
    import polars as pl

    checks, describe = {}, {}
    for c in ("emp", "ap", "est"):
        if c not in header:  # a ZBP detail file: establishments only
            continue
        checks[c] = rowcheck.is_bad_number(c) & ~_blank(c)
        describe[c] = ("not a number", rowcheck.NUMBER_EXPECTED + (" ($1,000)" if c == "ap" else ""))
    allowed = {c: NOISE_FLAGS[vintage] for c in ("emp_nf", "qp1_nf", "ap_nf") if c in header}
    if "empflag" in header:
        allowed["empflag"] = EMPFLAGS
    for c, ok in allowed.items():
        cell = pl.col(c).str.strip_chars().fill_null("")
        if c == "empflag":  # a-m in the 2007-2013 state and U.S. layouts
            cell = cell.str.to_uppercase()
        checks[c] = cell.is_in(["", *ok]).not_()
        describe[c] = ("unknown flag", f"blank or one of {', '.join(ok)}"
                       + (" (or a-m)" if c == "empflag" else "") + f" (CBP {vintage} layout)")
    for c, shape, what, expected in (("fipstate", r"^[0-9]{1,2}$", "not a FIPS code", "1-2 digits"),
                                     ("fipscty", r"^[0-9]{1,3}$", "not a FIPS code", "1-3 digits"),
                                     ("msa", r"^[0-9]{5}$", "not a CBSA code", "5 digits"),
                                     # (3-4 digits: a ZIP code whose zeros a spreadsheet
                                     # dropped, 00501 -> 501, padded as QCEW's area_fips)
                                     ("zip", r"^[0-9]{3,5}$", "not a ZIP code", "5 digits")):
        if c in header:
            checks[c] = pl.col(c).str.strip_chars().str.contains(shape).not_().fill_null(True)
            describe[c] = (what, expected)
    # a row cut short: polars pads it with nulls; confirmed (or not) by counting its fields
    last = rowcheck.last_named(header)  # not a blank heading of empty columns after it
    checks[_SHORT] = pl.col(last).is_null() & pl.col(header[0]).is_not_null()
    describe[_SHORT] = ("", "")
    return checks, describe


_SHORT = "_short"


# The metro files (cbpYYmsa.txt, 2003 on) hold every Core Based Statistical Area, metropolitan
# and micropolitan alike: Census's record layout names the column "Metropolitan or
# Micropolitan Area Code", and no column of it says which an area is; nor does the code (the
# two kinds share one five-digit list: 10180 Abilene metro, 10100 Aberdeen micro).  No
# delineation list ships with clusterid, so the level says what is known: cbsa.  (Written
# msa, the micropolitan areas passed for metropolitan ones -- beside QCEW's MSAs, whose micro
# areas are a level of their own, microsa, the two files' 'msa' were not the same regions.)
CBSA_LEVEL = "cbsa"
CBSA_NOTE = ("its areas are Core Based Statistical Areas, metropolitan and micropolitan alike "
             "(Census's record layout: 'Metropolitan or Micropolitan Area Code'; no column says "
             "which): region level cbsa, not msa")


def _scan(path: str, options, truncate: bool = False, skip_lines=()):
    """Lazy canonical-ish frame of one CBP file, its lazy drop counts and its bad cells."""
    import polars as pl

    from clusterid.io.ingest import display_name

    header = read_header(path)
    geo, vintage = layout_of(header, path)
    period = period_of(path, options)
    # (blank lines before the header skipped, and counted in the rows' line numbers)
    at = header_line_number(path)
    if geo == "msa":
        _refuse_pre_cbsa_metro(path, at)
    lf = pl.scan_csv(path, glob=False, infer_schema=False, with_column_names=_lower_names, skip_lines=at - 1,
                     row_index_name=rowcheck.LINE, row_index_offset=at + 1,
                     truncate_ragged_lines=truncate)
    rowcheck.check_header(lf, header, display_name(path), at)
    if geo == "county":
        region = (pl.col("fipstate").str.strip_chars().str.zfill(2)
                  + pl.col("fipscty").str.strip_chars().str.zfill(3))
    elif geo == "state":
        region = pl.col("fipstate").str.strip_chars().str.zfill(2) + pl.lit("000")
    elif geo == "msa":  # a CBSA code; QCEW writes C + its first four digits
        region = pl.lit("C") + pl.col("msa").str.strip_chars().str.slice(0, 4)
    elif geo == "zip":
        region = pl.col("zip").str.strip_chars().str.zfill(5)
    else:
        region = pl.lit(NATION_REGION)
    lf = lf.filter(rowcheck.not_blank(header[0], header[1:]))  # blank lines: not data, not counted
    # _KEEP, or why the row is a part of another row (see the module docstring)
    reason = pl.lit(_KEEP, pl.Int8)
    if "empszes" in header:
        size = pl.col("empszes").str.strip_chars().str.zfill(3)
        reason = pl.when((size != "001").fill_null(True)).then(pl.lit(_SIZE, pl.Int8)).otherwise(reason)
    if "lfo" in header:
        lfo = pl.col("lfo").str.strip_chars()
        reason = pl.when(lfo.is_in(list(ALL_LFO)).fill_null(False)).then(reason).otherwise(
            pl.lit(_LFO, pl.Int8))
    # the header again (cbp16co.txt and its neighbour joined with cat; a split file put back
    # together): every cell its column's name.  Read as data, each of its cells was a bad cell
    # (cleaned as a heading: two files saved by Excel as "CSV UTF-8" and joined keep the second's
    # BOM before its quoted first heading, '\ufeff"fipstate"', refused as three bad cells)
    again = pl.all_horizontal(rowcheck.heading_cell(c).eq(c).fill_null(False) for c in header[:3])
    reason = pl.when(again).then(pl.lit(_HEADER, pl.Int8)).otherwise(reason)
    if skip_lines:
        # ragged rows are reported by line (ingest counts them as rejected): read neither as
        # data nor as a dropped row, whatever their shifted fields say
        lf = lf.filter(~pl.col(rowcheck.LINE).is_in(sorted(skip_lines)))
    # the 2007-2013 state and U.S. record layouts write the size letters in lower case (a-m):
    # the same ranges as the county layouts' A-M
    empflag = (pl.col("empflag").str.strip_chars().str.to_uppercase() if "empflag" in header
               else pl.lit(None, pl.String))
    emp_nf = pl.col("emp_nf").str.strip_chars() if "emp_nf" in header else pl.lit(None, pl.String)
    ap_nf = pl.col("ap_nf").str.strip_chars() if "ap_nf" in header else pl.lit(None, pl.String)
    ranged = empflag.is_in(list(SIZE_FLAGS)).fill_null(False)
    # a blank value (an empty field, quoted or not) is missing: with a withheld flag (N with
    # an empty value, 2017+) as the flag says; without one it is missing all the same --
    # suppressed, never a reported value -- and the note counts it
    emp_blank, ap_blank, est_blank = (_blank(c) if c in header else pl.lit(False)
                                      for c in ("emp", "ap", "est"))
    flagged = (ranged | empflag.is_in(list(WITHHELD)).fill_null(False)
               | emp_nf.is_in(list(WITHHELD)).fill_null(False))
    emp_withheld = flagged | emp_blank
    emp_flag = (pl.when(empflag.is_not_null() & (empflag != "")).then(empflag)
                .when(emp_nf.is_not_null() & (emp_nf != "")).then(emp_nf)
                .otherwise(pl.lit(None, pl.String)))
    lower = pl.when(ranged).then(empflag.replace_strict(
        {k: v[0] for k, v in SIZE_FLAGS.items()}, default=None, return_dtype=pl.Float64))
    upper = pl.when(ranged).then(empflag.replace_strict(
        {k: v[1] for k, v in SIZE_FLAGS.items()}, default=None, return_dtype=pl.Float64))
    ap = _num("ap") if "ap" in header else pl.lit(None, pl.Float64)
    wages_withheld = (ap_nf.is_in(list(WITHHELD)).fill_null(False)
                      | (emp_withheld & (ap == 0)).fill_null(False) | ap_blank)
    wages_flag = (pl.when(ap_nf.is_not_null() & (ap_nf != "")).then(ap_nf)
                  .when(wages_withheld).then(emp_flag)
                  .otherwise(pl.lit(None, pl.String)))
    # county 999: establishments without a fixed county location ("Statewide"), no place
    statewide = ((pl.col("fipscty").str.strip_chars() == "999").fill_null(False)
                 if geo == "county" else pl.lit(False))
    industry, level = naics_expressions()
    if "naics" not in header:  # the ZBP totals file: every row is all industries
        industry, level = pl.lit(schema.ALL_INDUSTRIES), pl.lit(0, pl.Int8)
    null = pl.lit(None, pl.Float64)
    sup = pl.lit(schema.SUPPRESSED)
    rep = pl.lit(schema.REPORTED)
    ap_flagged = ap_nf.is_in(list(WITHHELD)).fill_null(False) | flagged
    unflagged = ((emp_blank & ~flagged) | (ap_blank & ~ap_flagged) | est_blank).cast(pl.Int64)
    tagged = lf.with_columns(_reason=reason, _unflagged=unflagged)
    counts = tagged.group_by("_reason").agg(pl.len().alias("rows"), pl.col(rowcheck.LINE).max().alias("last"))
    kept = tagged.filter(pl.col("_reason") == _KEEP)
    checks, describe = _cell_checks(header, vintage)
    bad = rowcheck.bad_cells(kept, checks)
    columns = {
        schema.PERIOD: pl.lit(period),
        schema.REGION: region,
        schema.OWNERSHIP: pl.lit(schema.OWNERSHIP_TOTAL),
        schema.INDUSTRY: industry,
        # ZBP totals: "HOLTSVILLE, NY"
        schema.REGION_NAME: (pl.col("name").str.strip_chars() if "name" in header
                             else pl.when(statewide).then(pl.lit("Statewide"))
                             .otherwise(pl.lit(None, pl.String))),
        schema.REGION_LEVEL: pl.when(statewide).then(pl.lit(STATEWIDE_LEVEL)).otherwise(
            pl.lit(CBSA_LEVEL if geo == "msa" else geo)),
        schema.CLASSIFICATION: pl.lit(schema.NAICS),
        schema.LEVEL: level,
        schema.EMPLOYMENT: pl.when(emp_withheld).then(null).otherwise(_num("emp")),
        schema.status_col(schema.EMPLOYMENT): pl.when(emp_withheld).then(sup).otherwise(rep),
        schema.lower_col(schema.EMPLOYMENT): pl.col("_sc_lower"),
        schema.upper_col(schema.EMPLOYMENT): pl.col("_sc_upper"),
        schema.flag_col(schema.EMPLOYMENT): emp_flag,
        schema.ESTABLISHMENTS: _num("est"),
        schema.status_col(schema.ESTABLISHMENTS): pl.when(est_blank).then(sup).otherwise(rep),
        schema.WAGES: pl.when(wages_withheld).then(null).otherwise(ap * 1000.0),
        schema.status_col(schema.WAGES): pl.when(wages_withheld).then(sup).otherwise(rep),
        schema.flag_col(schema.WAGES): wages_flag,
        rowcheck.LINE: pl.col(rowcheck.LINE).cast(pl.Int64),
        rowcheck.SOURCE: pl.lit(display_name(path)),
    }
    if "emp" not in header:  # a ZBP detail file publishes establishment counts only
        columns = {k: v for k, v in columns.items()
                   if not k.startswith((schema.EMPLOYMENT, schema.WAGES))}
    sized = _size_class_bounds(kept, header, emp_withheld, lower, upper)
    frame = sized.select(**columns)
    sizes = sized.group_by("_sc_effect").agg(pl.len().alias("rows"),
                                             pl.col("_unflagged").sum().alias("blank"))
    note = f"CBP {geo} file, {vintage} layout, period {period}"
    if geo == "msa":
        note += "; " + CBSA_NOTE
    return (frame, counts, bad, describe, len(header), note, sizes)


def _read_one(path: str, options):
    """(kept frame, counts, problems, note, ragged rows) of one file: every bad cell and ragged
    row is a located problem (``ingest`` fails with them or sets their rows aside)."""
    import polars as pl

    from clusterid.io.ingest import display_name

    name = display_name(path)
    try:
        return _read_rows(path, options, name)
    except (pl.exceptions.ComputeError, pl.exceptions.ShapeError, OSError) as exc:
        # not UTF-8, an open quote that swallows rows, a damaged gzip: the file as a whole
        from clusterid.io.readers.qcew import _structure_problem

        problem = (rowcheck.encoding_problem(path, name) or _structure_problem([path])
                   or Problem("unreadable CSV", path=name, found=str(exc).splitlines()[0][:60]))
        raise DataError(problems=[problem]) from exc


def _read_rows(path: str, options, name: str):
    import polars as pl

    long_rows = False
    try:
        frame, counts, bad, describe, width, note, sizes = _scan(path, options)
        kept, counted, found, sized = pl.collect_all([frame, counts, bad, sizes])
    except pl.exceptions.ComputeError as exc:
        if "more fields" not in str(exc):
            raise
        long_rows = True  # rows with extra fields: read them truncated, report each below
        frame, counts, bad, describe, width, note, sizes = _scan(path, options, truncate=True)
        kept, counted, found, sized = pl.collect_all([frame, counts, bad, sizes])
    short = rowcheck.flagged(found, _SHORT)
    if long_rows or short or (counted.get_column("_reason") == _HEADER).any():
        # files joined with cat: the header again where the next starts is dropped (by its
        # first cells); a header of another layout there is said as such, with its line, not
        # taken for the same header, nor as rows of the wrong width
        rowcheck.headers_again(path, read_header(path), name, header_line_number(path))
    problems = rowcheck.cell_problems(found, name, describe)
    ragged = []
    last = counted.get_column("last").max() if counted.height else None
    # records ending before the file does (blank lines at the end aside): a quote that opened
    # and swallowed line breaks; the field counts and the structure check below say where
    spans = last is not None and last < rowcheck.physical_lines(path)
    if long_rows or short or spans:
        odd: list[int] = []
        ragged = rowcheck.ragged_lines(path, width, name, quotes=odd)
        if odd:
            from clusterid.io.readers.qcew import _structure_problem

            structure = _structure_problem([path])
            if structure is None and spans:
                # CBP values never hold a line break: a quote opened where it should not
                structure = (rowcheck.stray_quote(path, name, odd[0])
                             if rowcheck.csv_records(path) != counted.get_column("rows").sum()
                             else Problem("a quoted value goes on over a line break", path=name,
                                          line=odd[0], expected="one record per line", found='"',
                                          hint="an unbalanced quote?"))
            if structure is not None:  # rows after an open quote cannot be told apart
                raise DataError(problems=[structure])
        if ragged:  # read again without them: they are rejected rows, not data or dropped rows
            frame, counts, bad, describe, width, note, sizes = _scan(
                path, options, truncate=True, skip_lines=[p.line for p in ragged])
            kept, counted, found, sized = pl.collect_all([frame, counts, bad, sizes])
            problems = rowcheck.cell_problems(found, name, describe)
        problems = ragged + problems
    size_note = _size_class_note(sized)
    blank = int(sized.get_column("blank").sum() or 0) if sized is not None else 0
    blank_note = (f"{blank} rows with a blank emp, ap or est value and no withheld flag: read "
                  "as missing (suppressed), not as reported" if blank else None)
    notes = [note] + [n for n in (size_note, blank_note) if n]
    return kept, counted, problems, notes, len(ragged)


def _read_notes_below(path: str, options):
    """``(path read, *_read_one's results, notes below the table)``: :func:`_read_one`, and
    when it fails or finds bad rows and the file ends in notes pasted below its table ('Source:
    U.S. Census Bureau, ...'), the copy without them read instead
    (:func:`rowcheck.read_without_notes`)."""
    path, result, below = rowcheck.read_without_notes(
        lambda p: _read_one(p, options), path, lambda p: len(read_header(p)), failed=lambda r: bool(r[2]))
    return (path, *result, below)


REASON_ZBP_TOTALS = "ZBP detail all-industry rows (the totals file gives them, with employment)"


def _zbp_detail_totals(frames, dropped: dict):
    """ZIP Code Business Patterns read together: the detail file's all-industry rows (``------``,
    establishments only) repeat the totals file's (with employment and payroll); the detail
    file's are dropped and counted where the totals file has that ZIP code and period."""
    import polars as pl

    def is_zip(f):
        return f.select(pl.col(schema.REGION_LEVEL).first()).collect().item() == "zip"

    names = [f.collect_schema().names() for f in frames]
    totals = [f for f, n in zip(frames, names) if schema.EMPLOYMENT in n and is_zip(f)]
    if not totals or len(frames) < 2:
        return frames
    have = pl.concat([t.select(schema.PERIOD, schema.REGION) for t in totals]).unique()
    out = []
    for f, n in zip(frames, names):
        if schema.EMPLOYMENT in n or not is_zip(f):
            out.append(f)
            continue
        both = (pl.col(schema.INDUSTRY) == schema.ALL_INDUSTRIES)
        marked = f.join(have.with_columns(pl.lit(True).alias("_in_totals")),
                        on=[schema.PERIOD, schema.REGION], how="left", maintain_order="left")
        repeat = both & pl.col("_in_totals").fill_null(False)
        n_rep = marked.filter(repeat).select(pl.len()).collect().item()
        if n_rep:
            dropped[REASON_ZBP_TOTALS] = dropped.get(REASON_ZBP_TOTALS, 0) + n_rep
        out.append(marked.filter(~repeat).drop("_in_totals"))
    return out


def read(paths: list[str], options):
    """Read CBP county/state files into an :class:`~clusterid.io.ingest.AdapterResult`."""
    import polars as pl

    from clusterid.io.ingest import AdapterResult

    from clusterid.io.readers.qcew import as_utf8_csv

    # a CBP file a spreadsheet saved again (tab delimited, UTF-16): read as the UTF-8 CSV it was
    paths = [as_utf8_csv(p, options) for p in expand_paths(list(paths))]
    frames, notes, problems = [], [], []
    rows_read = 0
    dropped: dict[str, int] = {}
    details: dict = {}
    for path in paths:
        path, kept, counted, found, note, ragged, notes_below = _read_notes_below(path, options)
        if notes_below:  # (the notes are named after the file below)
            note = [*note, rowcheck.count_notes_below(notes_below, dropped)]
            rows_read += len(notes_below)
        # a column no record layout has (a 'year' or 'notes' a user added): said on stderr as
        # not read, as the generic reader says it, never left out unsaid
        if unread := [h for h in read_header(path) if h and not _record_layout_column(h)]:
            from clusterid.io.ingest import display_name

            details[display_name(path)] = {"ignored_columns": unread}
        rows_read += ragged  # read, but in neither the frame nor the counts: rejected by ingest
        frames.append(kept.lazy())
        problems.extend(found)
        notes.extend(f"{Path(path).name}: {n}" for n in note)
        for code, rows in counted.select("_reason", "rows").iter_rows():
            rows_read += rows
            if code != _KEEP:
                dropped[_REASONS[code]] = dropped.get(_REASONS[code], 0) + rows
    frames = _zbp_detail_totals(frames, dropped)
    # (a ZBP detail file has establishments only: its frame lacks the other measures' columns)
    frame = frames[0] if len(frames) == 1 else pl.concat(frames, how="diagonal_relaxed")
    return AdapterResult(frame=frame, adapter=NAME, rows_read=rows_read,
                         dropped=dict(sorted(dropped.items())), notes=notes,
                         problems=problems, details=details)
