"""Canonical table: column names, dtypes and vocabularies, defined once.

The canonical table is long: one row per (period, region, ownership, industry), sorted in
that order.  Every stage reads and writes it, so its names live here and nowhere else.

Columns
-------
Keys (never null):
    period          str   "2016", "2016Q1", "2016M03" ...
    region          str   region code as the source gives it ("49001", "DE1", "KZ-ALA")
    ownership       str   "total" unless the source splits by ownership ("private", "federal" ...)
    industry        str   industry code ("541711", "31-33", "C", "C10", "10" = all industries)
Labels and classification:
    region_name     str|null
    region_level    str|null  "nation", "state", "county", "msa", "csa", "nuts1" ... or null
    industry_name   str|null
    classification  str   "NAICS", "NACE", "NACE-R1.1" (NACE Rev. 1.1, before 2008), "custom"
    level           int8  depth of the code in its hierarchy: 0 = all industries; NAICS: 2..6
                          (sector ranges are 2); NACE: 1 section, 2 division, 3 group, 4 class,
                          5-6 national subclasses (OKED/WZ/ÖNACE C10.11.1, NAF C10.11Z,
                          OKVED2 C10.11.11);
                          NACE-R1.1: 1 section (D), 2 subsection (DA), 3 division (15), 4 group
                          (15.1), 5 class (15.11), 6 national subclass (WZ 2003 15.11.1)
Measures (float64, null where not published), each with:
    <m>_status      str   "reported" | "suppressed" | "estimated"
    <m>_lower       float64|null  lower bound where the source implies one
    <m>_upper       float64|null  upper bound
    <m>_flag        str|null      the source's own marker, kept verbatim ("N", "D", "G", "(D)")
"""

from __future__ import annotations

SCHEMA_VERSION = 1
METADATA_KEY = b"clusterid"

PERIOD = "period"
REGION = "region"
OWNERSHIP = "ownership"
INDUSTRY = "industry"
KEYS = (PERIOD, REGION, OWNERSHIP, INDUSTRY)

REGION_NAME = "region_name"
REGION_LEVEL = "region_level"
INDUSTRY_NAME = "industry_name"
CLASSIFICATION = "classification"
LEVEL = "level"
LABELS = (REGION_NAME, REGION_LEVEL, INDUSTRY_NAME, CLASSIFICATION, LEVEL)

EMPLOYMENT = "employment"
ESTABLISHMENTS = "establishments"
WAGES = "wages"
OUTPUT = "output"
MEASURES = (EMPLOYMENT, ESTABLISHMENTS, WAGES, OUTPUT)

STATUS_SUFFIX = "_status"
LOWER_SUFFIX = "_lower"
UPPER_SUFFIX = "_upper"
FLAG_SUFFIX = "_flag"
MEASURE_SUFFIXES = (STATUS_SUFFIX, LOWER_SUFFIX, UPPER_SUFFIX, FLAG_SUFFIX)

REPORTED = "reported"
SUPPRESSED = "suppressed"
ESTIMATED = "estimated"
STATUSES = (REPORTED, SUPPRESSED, ESTIMATED)

# A text column of more distinct values than this is written to Parquet as text, not as an Enum
# made from integer codes (ingest's and lq's outputs): an Enum column's dictionary page holds
# every category in each row group, plain text only the values the row group has.
CODED_VALUES = 1 << 14

# region levels of rows that are no place to compare with the others: a sum of regions (EU27,
# a subject with its autonomous okrug), Eurostat's Extra-Regio (DEZZ), CBP's county 999
# (Statewide), QCEW's xx999 (Unknown Or Undefined) and QCEW's national subgroups (USCMS, USMSA,
# USNMS: the U.S. CSAs, MSAs and non-metropolitan counties, each combined); a command choosing
# "the" region level of a table never picks them
UNALLOCATED = "unallocated"  # within a state, placed in no county (still part of the state)
NATIONAL_SUBGROUP = "national-subgroup"
NON_PLACE_LEVELS = ("aggregate", "extra_regio", UNALLOCATED, NATIONAL_SUBGROUP)

OWNERSHIP_TOTAL = "total"
OWNERSHIP_PRIVATE = "private"
# the ownership names the readers write (QCEW's own_codes 0-9 as the QCEW adapter names them,
# LODES's job types, total elsewhere).  A generic table's ownership column is read into these
# (any case, QCEW's codes and titles, QWI's ownercodes, national offices' words); a value that
# looks like a misspelt name ('pirvate') is refused on its cell, never kept as an ownership of
# its own that --ownership private then silently leaves out; any other value is a category of
# the source's own and kept
OWNERSHIPS = (OWNERSHIP_TOTAL, "federal", "state", "local", "international", OWNERSHIP_PRIVATE,
              "government", "ui-covered-excl-federal")


# real words close to a canonical name (difflib >= 0.8) whose meaning is not that name: kept as
# categories of the source, never refused as misspellings.  The Danish and Norwegian 'Stat'
# (Statistics Denmark's sector 'Stat' beside 'Regioner', 'Kommuner') and the Italian 'statale'
# are the central government, not a U.S. state's; 'Stat' is no 'state' misspelt
OWNERSHIP_WORDS_NOT_NAMES = frozenset({"stat", "statale", "statali"})


def ownership_key(value) -> str:
    """An ownership as it is compared with the names: blanks collapsed and case folded
    (``' Private '`` -> ``'private'``, a name of :data:`OWNERSHIPS`)."""
    return " ".join(str(value).split()).casefold()
ALL_INDUSTRIES = "10"  # QCEW's code; generic tables use "total" -> normalised to this

NAICS = "NAICS"
NACE = "NACE"
# NACE Rev. 1.1 (before 2008; WZ 2003, Eurostat's nace_r1): codes as published (15, 15.1, DA, D)
# whose meaning differs from Rev. 2's; level 1 section, 2 subsection, 3 division, 4 group, 5 class
NACE_R11 = "NACE-R1.1"
CUSTOM = "custom"
CLASSIFICATIONS = (NAICS, NACE, NACE_R11, CUSTOM)


# No count or amount in regional statistics comes near this (US annual wages, all industries:
# about 1e13 dollars); a larger value is a unit mix-up or a damaged cell.
PLAUSIBLE_MAX = 1e15


def implausible(value):
    """Expression: a number that is NaN, infinite or beyond :data:`PLAUSIBLE_MAX` in size (null
    where it is).  One comparison: NaN's and infinity's size is not <= PLAUSIBLE_MAX either
    (``is_nan | is_infinite | abs > PLAUSIBLE_MAX``, the same on every value, took three
    passes: ~0.13 -> ~0.04 s of CPU over the five measure columns of the 4.9 M-row QCEW
    county panel, 2026-12-01)."""
    return (value.abs() <= PLAUSIBLE_MAX).not_()


def implied_status(value):
    """Expression: the status of a cell of a table without a status column for its measure
    (a hand-made table): ``suppressed`` where ``value`` (an expression) is empty, else
    ``reported``."""
    import polars as pl

    return pl.when(value.is_null()).then(pl.lit(SUPPRESSED)).otherwise(pl.lit(REPORTED))


def published(measure: str, columns):
    """Expression: the cell holds a published value of ``measure`` -- a value whose status is
    reported (or that has no status column), or a source's own estimate: status estimated with
    a value and no bounds (Eurostat's flag ``e``, a sum of such that ``ingest --level`` rolled
    up).  A cell clusterid imputed keeps its bounds beside its value, so it is not published:
    imputing an imputed table fills it again.  ``columns``: the table's column names."""
    import polars as pl

    value = pl.col(measure).is_not_null()
    status = status_col(measure)
    if status not in columns:
        return value
    st = pl.col(status).fill_null(REPORTED)
    bounded = pl.lit(False)
    for col in (lower_col(measure), upper_col(measure)):
        if col in columns:
            bounded = bounded | pl.col(col).is_not_null()
    return value & ((st == REPORTED) | ((st == ESTIMATED) & ~bounded))


def status_col(measure: str) -> str:
    return measure + STATUS_SUFFIX


def lower_col(measure: str) -> str:
    return measure + LOWER_SUFFIX


def upper_col(measure: str) -> str:
    return measure + UPPER_SUFFIX


def flag_col(measure: str) -> str:
    return measure + FLAG_SUFFIX


def measure_columns(measure: str) -> tuple[str, ...]:
    """The value column and its companions, in canonical order."""
    return (measure, status_col(measure), lower_col(measure), upper_col(measure), flag_col(measure))


def column_order(measures: tuple[str, ...] | list[str]) -> list[str]:
    """Canonical column order for a table carrying ``measures`` (in MEASURES order)."""
    cols = list(KEYS) + list(LABELS)
    for m in MEASURES:
        if m in measures:
            cols.extend(measure_columns(m))
    return cols


def measures_in(columns) -> list[str]:
    """The measures present in a list of column names, in canonical order."""
    present = set(columns)
    return [m for m in MEASURES if m in present]


def polars_schema(measures) -> dict:
    """Polars dtypes of the canonical columns for ``measures`` (imported lazily)."""
    import polars as pl

    schema: dict = {
        PERIOD: pl.String,
        REGION: pl.String,
        OWNERSHIP: pl.String,
        INDUSTRY: pl.String,
        REGION_NAME: pl.String,
        REGION_LEVEL: pl.String,
        INDUSTRY_NAME: pl.String,
        CLASSIFICATION: pl.String,
        LEVEL: pl.Int8,
    }
    for m in MEASURES:
        if m in measures:
            schema[m] = pl.Float64
            schema[status_col(m)] = pl.String
            schema[lower_col(m)] = pl.Float64
            schema[upper_col(m)] = pl.Float64
            schema[flag_col(m)] = pl.String
    return schema
