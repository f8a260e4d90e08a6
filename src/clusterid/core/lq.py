"""Location quotients with an explicit benchmark, Poisson delta-method intervals and the SLQ.

``LQ_ij = (e_ij / e_j) / (E_i / E)`` for industry *i* in region *j* (METHODS.md §1).  One row
per (period, region, ownership, industry, measure); every measure of the input is computed, each
period against its own benchmark, each industry code level on its own so that subtotals never
mix with their children.

Benchmarks (``Benchmark.kind``)
-------------------------------
``sum``
    The sum of the input's regions (EconGeo, REAT and py-ecomplexity's default):
    ``E_i = Σ_j e_ij``, ``E = Σ_j e_j``, over the regions of one region level when the table
    has several (a state and its counties are never added together; the SLQ likewise
    standardises across the regions of one level).  The region is part of its own benchmark; the interval
    accounts for that covariance exactly (see *Intervals*).
``rest``
    Rest of nation: ``E'_i = E_i − e_ij``, ``E' = E − e_j`` (E as for ``sum``); the region is
    independent of its benchmark.
``region``
    A named region of the input (a state for its counties): ``E_i = e_i,ID``, ``E = e_ID``.  The
    benchmark region's own rows are *left out of the output*: its LQ is 1 by construction and
    would only pull the SLQ towards 1 and add trivially non-significant tests.  The intervals
    treat the other regions as *contained* in the benchmark region (covariance as for ``sum``),
    exact for counties of their state; regions at the benchmark region's own region level
    (counties beside a county) are not contained, and take the independent form (the nested
    one is narrower there, not conservative).  Without region levels the nested form is kept.
``table``
    An external reference table (a national file, or national shares), joined on industry and on
    whichever of period, ownership and measure it carries.  It gives either the benchmark totals
    (``benchmark_industry_total`` E_i and ``benchmark_total`` E) or only the shares
    (``benchmark_share`` S_i); a canonical table of one region (e.g. the U.S. file ingested) is
    accepted too.  The benchmark is treated as independent of the region (national counts are so
    large that the covariance is negligible); with shares only its variance is taken as 0.

Denominators (``denominator``)
------------------------------
``total`` (default)
    e_j is the region's all-industry row (``schema.ALL_INDUSTRIES``, level 0) of the same
    ownership; where a region has no such row, the sum of its industries at the cell's level.
    How many region groups used each is recorded in the metadata.
``sum``
    e_j is the sum of the region's industries at the cell's level (suppressed cells, being
    missing, are not in that sum).
``all-ownership``
    The BLS convention of QCEW's ``lq_*`` columns: e_j is the region's all-ownership
    (ownership ``total``, industry ``10``) row, whatever the cell's ownership, and E likewise the
    benchmark's all-ownership total.  Private-industry LQs then reproduce BLS's.

Intervals
---------
The delta method on ln LQ with the counts treated as independent Poisson variables
(Moineddin, Beyene & Boyle 2003).  Independent benchmark (``rest``, ``table``)::

    Var(ln LQ) ≈ 1/e_ij − 1/e_j + 1/E_i − 1/E

Benchmark containing the region (``sum``, ``region``), with the covariances of the shared
counts written out::

    Var(ln LQ) ≈ 1/e_ij − 1/e_j − 1/E_i − 1/E + 2·e_ij/(e_j·E_i)

which is 0 when the region is the whole benchmark, as it must be.  Intervals are only computed
for count measures (employment, establishments): wages and output are not counts, and a Poisson
model of dollars would give absurdly narrow intervals.  A zero cell has the interval [0, U]
with U the exact Poisson (Garwood) upper limit of its count (u = 3.689 at 95%) as an LQ, the
other counts held fixed: the region's total, which holds the cell, moves with it, and so do
E_i and E when the region is inside its benchmark (``(u / (e_j + u)) / ((E_i + u) / (E + u))``
for a zero; with the totals held fixed instead, ``u / e_j / S_i``, a region of 2 jobs had a
share of 1.84), as has an estimated count below one job, whose delta-method
limit grows without bound as the count shrinks (``lq * exp(z / sqrt(e))``): never inf (a
spreadsheet reads a CSV's "inf" as text).  Such an upper end is never below the LQ itself: where
the region holds most of the benchmark's industry, a larger count raises the benchmark's share
with the region's and the LQ at U falls below the LQ observed.
The p-value tests LQ = 1 (two-sided, ``z = ln LQ / se``); ``significant`` applies the chosen
correction within each family of tests (one measure, period, ownership and code level):
``none`` (p < α, i.e. the interval excludes 1), ``bonferroni`` or ``bh`` (Benjamini–Hochberg,
:func:`scipy.stats.false_discovery_control`), with α = 1 − confidence.

SLQ
---
O'Donoghue & Gleave (2004): ``SLQ_ij = (LQ_ij − mean_j LQ_ij) / sd_j LQ_ij`` across the
regions with a defined LQ, for each industry (and measure, period, ownership); the sample
standard deviation (ddof = 1).  ``log_slq`` is the same on ln LQ over LQ > 0 (Tian 2013).
Optionally a bootstrap over regions gives each industry its own one-sided critical value for
``log_slq`` (``log_slq_critical``) in place of the normal 1.96.

Undefined is not zero: a suppressed cell, a missing or zero region total, a missing or zero
benchmark give a null LQ and a reason in ``lq_reason``.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from clusterid import schema
from clusterid.errors import DataError, Problem, UsageError

# ---------------------------------------------------------------------------------------------
# Output columns (the LQ table's schema).  Keys and labels come from clusterid.schema.
MEASURE = "measure"
VALUE = "value"
STATUS = "status"
REGION_TOTAL = "region_total"
BENCHMARK_INDUSTRY_TOTAL = "benchmark_industry_total"
BENCHMARK_TOTAL = "benchmark_total"
REGION_SHARE = "region_share"
BENCHMARK_SHARE = "benchmark_share"
LQ = "lq"
LQ_LOWER = "lq_lower"
LQ_UPPER = "lq_upper"
P_VALUE = "p_value"
SLQ = "slq"
LOG_SLQ = "log_slq"
SPECIALISED = "specialised"
SIGNIFICANT = "significant"
LQ_REASON = "lq_reason"
LQ_BOUND_LOWER = "lq_bound_lower"
LQ_BOUND_UPPER = "lq_bound_upper"
LOG_SLQ_CRITICAL = "log_slq_critical"
SPECIALISED_ROBUST = "specialised_robust"
SLQ_SIGNIFICANT = "slq_significant"
RELATIVE_PRODUCTIVITY = "relative_productivity"

# Reasons for an undefined LQ (lq_reason).
REASON_SUPPRESSED = "suppressed cell"
REASON_MISSING = "missing cell"
REASON_SUPPRESSED_TOTAL = "suppressed region total"
REASON_NO_REGION_TOTAL = "no region total"
REASON_ZERO_REGION_TOTAL = "zero region total"
REASON_SUPPRESSED_BENCHMARK = "suppressed benchmark"
REASON_NO_BENCHMARK = "no benchmark"
REASON_ZERO_BENCHMARK = "zero benchmark"
REASON_NEGATIVE = "negative value"

BENCHMARK_KINDS = ("sum", "rest", "region", "table")
DENOMINATORS = ("total", "sum", "all-ownership")
CORRECTIONS = ("none", "bh", "bonferroni")
COUNT_MEASURES = (schema.EMPLOYMENT, schema.ESTABLISHMENTS)

# Internal helper columns (dropped before returning).
_BENCH_STATUS = "__benchmark_status"
_LOWER_IN = "__lower"
_UPPER_IN = "__upper"
_LOG_LQ = "__log_lq"


@dataclass(frozen=True)
class Benchmark:
    """What the regions are compared with.

    ``kind`` is one of ``sum``, ``rest``, ``region`` (``region`` names it) or ``table``
    (``table`` holds the reference frame, ``label`` says where it came from, for metadata).
    """

    kind: str = "sum"
    region: str | None = None
    table: Any = None
    label: str | None = None

    def __post_init__(self):
        if self.kind not in BENCHMARK_KINDS:
            raise UsageError(f"unknown benchmark {self.kind!r}; expected one of "
                             + ", ".join(BENCHMARK_KINDS))
        if self.kind == "region" and not self.region:
            raise UsageError("benchmark 'region' needs a region code, e.g. region:49000")
        if self.kind == "table" and self.table is None:
            raise UsageError("benchmark 'table' needs a reference table")


@dataclass(frozen=True)
class LQOptions:
    """Options of :func:`compute_lq` (the ``clusterid lq`` flags)."""

    measures: tuple[str, ...] | None = None  # None: every measure of the input
    benchmark: Benchmark = field(default_factory=Benchmark)
    denominator: str = "total"
    level: int | None = None
    ownership: tuple[str, ...] | None = None  # None: every ownership of the input
    threshold: float = 1.25
    confidence: float = 0.95
    correction: str = "none"
    bootstrap: int = 0  # replicates for the SLQ critical values; 0 = off
    random_state: int | None = None
    # what the caller did with suppressed employment cells before (drop, bounds, impute): the
    # note on cells left out of the benchmark says what would fill them
    suppressed: str = "drop"

    def validate(self) -> None:
        if self.denominator not in DENOMINATORS:
            raise UsageError(f"unknown denominator {self.denominator!r}; expected one of "
                             + ", ".join(DENOMINATORS))
        if self.correction not in CORRECTIONS:
            raise UsageError(f"unknown correction {self.correction!r}; expected one of "
                             + ", ".join(CORRECTIONS))
        if not (0.0 < self.confidence < 1.0):
            raise UsageError(f"confidence must be between 0 and 1 (exclusive), got {self.confidence}")
        if not (self.threshold > 0 and math.isfinite(self.threshold)):
            # (inf is positive: 'must be a positive number, got inf' contradicted itself)
            raise UsageError(f"--threshold: expected a positive finite number (an LQ such as "
                             f"1.25), found {self.threshold}")
        if self.bootstrap < 0:
            raise UsageError(f"bootstrap replicates must be >= 0, got {self.bootstrap}")
        if self.random_state is not None and self.random_state < 0:
            # numpy's seeds are non-negative: -1 was 'internal error: ValueError'
            raise UsageError(f"--random-state must be a non-negative integer, got "
                             f"{self.random_state}")
        least = min_bootstrap_replicates(self.confidence)
        if 0 < self.bootstrap < least:
            # the critical value is the confidence quantile over the replicates: with fewer
            # than this none lies beyond it ((B + 1)(1 - confidence) >= 1, Davison & Hinkley
            # 1997, ch. 5), and one replicate's quantile is a number with no meaning
            raise UsageError(f"--bootstrap {self.bootstrap}: expected 0 (off) or at least "
                             f"{least} replicates for --confidence {self.confidence} (so that "
                             f"(B + 1) x (1 - confidence) >= 1); found {self.bootstrap}")
        if self.measures is not None:
            bad = [m for m in self.measures if m not in schema.MEASURES]
            if bad:
                raise UsageError(f"unknown measure {bad[0]!r}; expected one of "
                                 + ", ".join(schema.MEASURES))


def min_bootstrap_replicates(confidence: float) -> int:
    """The fewest bootstrap replicates whose ``confidence`` quantile has a replicate beyond it:
    the least B with ``(B + 1) * (1 - confidence) >= 1`` (Davison & Hinkley 1997, ch. 5).

    >>> min_bootstrap_replicates(0.95), min_bootstrap_replicates(0.99)
    (19, 99)
    """
    # rounded: 1 / (1 - 0.95) is 19.999999999999982 in floating point
    return max(1, math.ceil(round(1.0 / (1.0 - confidence) - 1.0, 9)))


def lq_value(e_ij: float, e_j: float, E_i: float, E: float) -> float:
    """The location quotient of one cell: ``(e_ij / e_j) / (E_i / E)``.

    >>> round(lq_value(1714, 79006, 879213, 15593224), 7)
    0.3847623
    """
    return (e_ij / e_j) / (E_i / E)


def var_ln_lq(e_ij: float, e_j: float, E_i: float, E: float, nested: bool) -> float:
    """Delta-method variance of ln LQ under independent Poisson counts (see module notes)."""
    if nested:
        v = 1 / e_ij - 1 / e_j - 1 / E_i - 1 / E + 2 * e_ij / (e_j * E_i)
    else:
        v = 1 / e_ij - 1 / e_j + 1 / E_i - 1 / E
    return max(v, 0.0)


# ---------------------------------------------------------------------------------------------


def _long_cells(lf, names: list[str], measures: list[str]):
    """Stack the measures into one long frame: keys, level, labels, measure, value, status."""
    import polars as pl

    has_level = schema.LEVEL in names
    labels = [c for c in (schema.REGION_NAME, schema.INDUSTRY_NAME) if c in names]
    is_all = pl.col(schema.INDUSTRY) == schema.ALL_INDUSTRIES
    if has_level:
        # a missing level on the all-industry row is 0; a stated level is kept
        level = pl.when(is_all & pl.col(schema.LEVEL).is_null()).then(pl.lit(0, pl.Int8)).otherwise(
            pl.col(schema.LEVEL).cast(pl.Int8)).alias(schema.LEVEL)
    else:
        level = pl.when(is_all).then(pl.lit(0, pl.Int8)).otherwise(
            pl.lit(None, pl.Int8)).alias(schema.LEVEL)
    frames = []
    for m in measures:
        value = pl.col(m).cast(pl.Float64)
        status_name = schema.status_col(m)
        if status_name in names:
            status = pl.col(status_name).cast(pl.String)
        else:
            status = schema.implied_status(value)
        exprs = [pl.col(k).cast(pl.String) for k in schema.KEYS] + [level]
        exprs += [pl.col(c).cast(pl.String) for c in labels]
        if schema.REGION_LEVEL in names:
            exprs.append(pl.col(schema.REGION_LEVEL).cast(pl.String).alias(_REGION_LEVEL))
        exprs += [pl.lit(m).alias(MEASURE), value.alias(VALUE), status.alias(STATUS)]
        if schema.lower_col(m) in names and schema.upper_col(m) in names:
            exprs += [pl.col(schema.lower_col(m)).cast(pl.Float64).alias(_LOWER_IN),
                      pl.col(schema.upper_col(m)).cast(pl.Float64).alias(_UPPER_IN)]
        frames.append(lf.select(exprs))
    if len(frames) == 1:
        return frames[0]
    return pl.concat(frames, how="diagonal")


def normalise_reference(ref, measures: list[str], denominator: str, path: str | None = None):
    """Bring an external reference into the join shape.

    Returns ``(lazy_frame, join_keys, shares_only)`` where the frame has ``industry``, the join
    keys among period/ownership/measure, and either ``benchmark_industry_total`` and
    ``benchmark_total`` or ``benchmark_share``.

    Accepted shapes: a benchmark table (``industry`` [, ``period``, ``ownership``, ``measure``]
    and E_i/E or S_i columns), or a canonical table of exactly one region per period (a
    national file), whose totals are taken with the same ``denominator`` rule as the input's.
    """
    import polars as pl

    lf = ref.lazy() if isinstance(ref, pl.DataFrame) else ref
    names = lf.collect_schema().names()
    where = path or "<reference table>"
    if all(k in names for k in schema.KEYS) and schema.measures_in(names):
        present = [m for m in measures if m in names]
        missing = [m for m in measures if m not in names]
        if missing:
            # the reference is read, sound, and holds other measures: asking for one it lacks
            # is the options' doing (exit 2), as --measure naming a measure the input lacks;
            # it was a data error (exit 1)
            raise UsageError(problems=[Problem(
                "reference table lacks a measure being computed", path=where,
                expected="columns " + ", ".join(measures), found="missing " + ", ".join(missing),
                hint=("--measure " + " --measure ".join(present) + " computes only what it holds")
                if present else "it holds " + ", ".join(schema.measures_in(names)))])
        n_regions = (lf.group_by(schema.PERIOD).agg(pl.col(schema.REGION).n_unique().alias("n"))
                     .filter(pl.col("n") > 1).collect())
        if n_regions.height:
            # BLS's single file or an open-data industry slice holds the nation among its areas
            nation = (lf.filter(pl.col(schema.REGION_LEVEL) == "nation").select(schema.REGION)
                      .unique().collect()[schema.REGION].sort().to_list()
                      if schema.REGION_LEVEL in names else [])
            raise DataError(problems=[Problem(
                "a canonical reference table must hold one region per period (e.g. the national "
                "file)", path=where, column=schema.REGION, expected="1 region",
                found=f"{n_regions['n'][0]} regions in period {n_regions[schema.PERIOD][0]}",
                hint=(f"it holds the nation {nation[0]} among other areas: run lq on that file "
                      f"with --benchmark region:{nation[0]}, or cut it to {nation[0]}'s rows"
                      if len(nation) == 1 else
                      "pass the national file, or a benchmark table with benchmark_share"))])
        import numpy as np

        cells = _encode(_long_cells(lf, names, present).collect(), present)
        g = _Groups(cells)
        e = cells[VALUE].to_numpy().astype(np.float64, copy=False)
        is_all = _all_industries(cells)
        own_total = (cells[schema.OWNERSHIP] == schema.OWNERSHIP_TOTAL).to_numpy()
        if denominator == "all-ownership" and (have := _ownerships_without_total(
                cells, is_all, own_total)):
            # every LQ would be empty ('no benchmark'), the note blaming the periods
            raise UsageError(problems=[Problem(
                "--denominator all-ownership takes the reference's all-ownership total, and it "
                "has none", path=where, column=schema.OWNERSHIP,
                expected=f"a row of ownership '{schema.OWNERSHIP_TOTAL}', industry "
                         f"{schema.ALL_INDUSTRIES}", found=f"ownerships {have}",
                hint="ingest the reference with the total ownership too, or use --denominator "
                     "total")])
        # the input's rule on both sides: E from the reference's all-industry row beside e_j
        # summed over the region's industries (--denominator sum) mixed two definitions
        overlap, _codes, _alone = _overlapping_aggregates(cells, g)
        totals, _source, _supp = _region_totals(
            g, e, ~np.isnan(e), is_all, own_total, denominator, overlap, cells[schema.INDUSTRY])
        out = cells.select(
            schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY, MEASURE,
            pl.col(VALUE).alias(BENCHMARK_INDUSTRY_TOTAL),
            pl.Series(BENCHMARK_TOTAL, totals, dtype=pl.Float64, nan_to_null=True),
            pl.col(STATUS).alias(_BENCH_STATUS))
        keys = [schema.PERIOD, schema.OWNERSHIP, MEASURE]
        if denominator == "all-ownership":
            # (E is the all-ownership total there: a private whole is no E_i = E row)
            return out.lazy(), keys, False
        return _canonical_whole_row(out, cells, keys), keys, False
    if schema.INDUSTRY not in names:
        raise DataError(problems=[Problem(
            "not a reference table", path=where, expected="an 'industry' column",
            found="columns " + ", ".join(names[:8]))])
    has_totals = BENCHMARK_INDUSTRY_TOTAL in names and BENCHMARK_TOTAL in names
    has_share = BENCHMARK_SHARE in names
    if not (has_totals or has_share):
        raise DataError(problems=[Problem(
            "not a reference table", path=where,
            expected=f"columns {BENCHMARK_INDUSTRY_TOTAL} and {BENCHMARK_TOTAL}, or {BENCHMARK_SHARE}",
            found="columns " + ", ".join(names[:8]),
            hint="a national canonical table (clusterid ingest) also works")])
    keys = [k for k in (schema.PERIOD, schema.OWNERSHIP, MEASURE) if k in names]
    if MEASURE not in keys and len(measures) > 1:
        raise UsageError(f"{where}: the reference table has no 'measure' column, so it can serve "
                         "only one measure; choose one with --measure")
    _check_reference_numbers(lf, [BENCHMARK_INDUSTRY_TOTAL, BENCHMARK_TOTAL] if has_totals
                             else [BENCHMARK_SHARE], keys, where)
    # key cells as typed by hand: ' 11' or '21 ' matched no code of the input, every such LQ
    # 'no benchmark' with a note saying the reference had no row of 11 or 21 (the canonical
    # reader strips them too)
    cols = [pl.col(k).cast(pl.String).str.strip_chars() for k in keys + [schema.INDUSTRY]]
    if schema.PERIOD in keys:  # '2016q1' typed for the canonical 2016Q1 (as --period matches)
        cols[keys.index(schema.PERIOD)] = cols[keys.index(schema.PERIOD)].str.to_uppercase()
    if has_totals:
        cols += [pl.col(BENCHMARK_INDUSTRY_TOTAL).cast(pl.Float64),
                 pl.col(BENCHMARK_TOTAL).cast(pl.Float64)]
    else:
        cols += [pl.col(BENCHMARK_SHARE).cast(pl.Float64)]
    # a row whose figure is left empty (a national cell withheld, or not typed) holds the
    # industry with its value unknown: 'suppressed benchmark', as a canonical reference's
    # withheld cell is; it was 'no benchmark', with a note that the reference had no rows for
    # the code it lists
    figures = [BENCHMARK_INDUSTRY_TOTAL, BENCHMARK_TOTAL] if has_totals else [BENCHMARK_SHARE]
    out = lf.select(cols).with_columns(
        pl.when(pl.any_horizontal(pl.col(f).is_null() for f in figures))
        .then(pl.lit(schema.SUPPRESSED)).otherwise(pl.lit(None, pl.String)).alias(_BENCH_STATUS))
    dup = (out.group_by(keys + [schema.INDUSTRY]).len().filter(pl.col("len") > 1)
           .limit(5).collect())
    if dup.height:
        cell = {k: dup[k][0] for k in keys + [schema.INDUSTRY]}
        first = ", ".join(f"{k}={v}" for k, v in cell.items())
        lines = _reference_lines(path, cell)
        raise DataError(problems=[Problem(
            "the reference table has several rows for one benchmark cell", path=where,
            line=lines[-1] if len(lines) > 1 else None,
            expected="one row per " + ", ".join(keys + [schema.INDUSTRY]), found=first,
            hint=f"first seen on line {lines[0]}" if len(lines) > 1 else None, clip=False)])
    _check_reference_values(out, keys, has_totals, where)
    return _with_all_industries_row(out, keys, has_totals), keys, not has_totals


def _canonical_whole_row(out, cells, keys: list[str]):
    """A national table (canonical, or as its office publishes it) without an all-industry
    row: the row (code 10) its coarsest level implies, ``E_i = E`` = that level's benchmark
    total (the sum of its sections, or of its root codes: :func:`_whole_region_sum`), as
    :func:`_with_all_industries_row` gives a plain reference table and a region benchmark
    gets (:func:`_named_region`).  The regions' all-industry rows were 'no benchmark' against
    the republic's sections by year.  Unknown (empty) where that total is."""
    import polars as pl

    ind = schema.INDUSTRY
    level = cells.get_column(schema.LEVEL)
    framed = out.with_columns(level.alias("_lvl"))
    coded = framed.filter(pl.col("_lvl") >= 1)
    if coded.height == 0:
        return out.lazy()
    held = framed.filter(pl.col(ind) == schema.ALL_INDUSTRIES).select(keys).unique()
    top = (coded.filter(pl.col("_lvl") == pl.col("_lvl").min().over(keys))
           .group_by(keys, maintain_order=True)
           .agg(pl.col(BENCHMARK_TOTAL).first())
           .join(held, on=keys, how="anti", nulls_equal=True))
    if top.height == 0:
        return out.lazy()
    add = top.with_columns(pl.col(BENCHMARK_TOTAL).alias(BENCHMARK_INDUSTRY_TOTAL),
                           pl.lit(schema.ALL_INDUSTRIES, pl.String).alias(ind),
                           pl.when(pl.col(BENCHMARK_TOTAL).is_null())
                           .then(pl.lit(schema.SUPPRESSED)).otherwise(pl.lit(None, pl.String))
                           .alias(_BENCH_STATUS))
    return pl.concat([out, add.select(out.columns).cast(out.schema)], how="vertical").lazy()


def _with_all_industries_row(out, keys: list[str], has_totals: bool):
    """A benchmark table of industries alone gets the all-industries row (code 10) it implies:
    share 1, or ``E_i = E`` where each of its cells names the one ``benchmark_total``.

    Without it every region's all-industries row came out 'no benchmark', with a note that
    the reference had no rows for industry code 10, as if the table were incomplete, where the
    sum benchmark gives those rows LQ 1.  A row 10 the table has is kept as given."""
    import polars as pl

    ind = schema.INDUSTRY
    all_ind = schema.ALL_INDUSTRIES
    group = keys or ["_all"]
    base = out if keys else out.with_columns(pl.lit(0).alias("_all"))
    if has_totals:
        add = (base.group_by(group)
               .agg(pl.col(BENCHMARK_TOTAL).drop_nulls().unique().alias("_t"),
                    (pl.col(ind) == all_ind).any().alias("_has"))
               .filter(~pl.col("_has") & (pl.col("_t").list.len() == 1))
               .select(*group, pl.col("_t").list.first().alias(BENCHMARK_TOTAL))
               .with_columns(pl.col(BENCHMARK_TOTAL).alias(BENCHMARK_INDUSTRY_TOTAL)))
    else:
        add = (base.group_by(group).agg((pl.col(ind) == all_ind).any().alias("_has"))
               .filter(~pl.col("_has")).select(*group)
               .with_columns(pl.lit(1.0, pl.Float64).alias(BENCHMARK_SHARE)))
    add = add.with_columns(pl.lit(all_ind, pl.String).alias(ind),
                           pl.lit(None, pl.String).alias(_BENCH_STATUS))
    if not keys:
        add = add.drop("_all")
    cols = out.collect_schema().names()
    return pl.concat([out, add.select(cols)], how="vertical")


def _reference_lines(path: str | None, cell: dict) -> list[int]:
    """The lines of a plain reference CSV holding ``cell`` (its key values), for naming a
    duplicate where it is; [] for a Parquet table or a file that cannot be read again (the
    message then names the key alone)."""
    import polars as pl

    from clusterid.io.tables import _is_parquet

    try:
        if not path or _is_parquet(path):
            return []
        from clusterid.io.ingest import table_separator
        from clusterid.io.tables import _record_lines, header_line_number

        # the rows' lines in the file as written (blank rows included), from the header's
        # line: blank lines before it (skipped by the reader) are counted, as the reading does,
        # and a quoted cell's line break (a note on two lines) moves the rows below it down
        at, sep = header_line_number(path), table_separator(path)
        lf = pl.scan_csv(path, glob=False, infer_schema_length=0, separator=sep, skip_lines=at - 1)
        cell_of = {k: pl.col(k).str.strip_chars() for k in cell}
        if schema.PERIOD in cell_of:  # read as normalise_reference reads it
            cell_of[schema.PERIOD] = cell_of[schema.PERIOD].str.to_uppercase()
        hit = pl.all_horizontal(cell_of[k] == str(v) for k, v in cell.items())
        rows = (lf.with_row_index("__row").filter(hit).select("__row").collect()
                .to_series().to_list())
        return _record_lines(path, rows, at, delimiter=sep)
    except Exception:  # noqa: BLE001 - only a location for a message already decided
        return []


def _check_reference_numbers(lf, columns: list[str], keys: list[str], where: str) -> None:
    """Every benchmark cell of a plain reference table is a number or empty: a marker typed
    into a table of shares ("(D)") failed the cast deep inside the query, an internal error
    (exit 2) naming no row.  Each such cell is named (the first five)."""
    import polars as pl

    types = lf.collect_schema()
    text = [c for c in columns if types[c] == pl.String]
    if not text:
        return
    value = {c: pl.col(c).str.strip_chars() for c in text}
    bad = {c: (value[c] != "") & value[c].cast(pl.Float64, strict=False).is_null() for c in text}
    rows = (lf.select(*[pl.col(k).cast(pl.String) for k in [*keys, schema.INDUSTRY]], *text)
            .filter(pl.any_horizontal(b.fill_null(False) for b in bad.values())).limit(5).collect())
    problems = []
    for row in rows.iter_rows(named=True):
        cell = ", ".join(f"{k}={row[k]}" for k in [*keys, schema.INDUSTRY])
        for c in text:
            v = row[c]
            if v is not None and v.strip():
                try:
                    float(v)
                    # Python reads '1_000', '１２' and '١٢' (Arabic-Indic digits); the cast
                    # below does not: such a cell passed here and failed there, "internal
                    # error: InvalidOperationError: conversion from `str` to `f64` failed"
                    if not v.isascii() or "_" in v:
                        raise ValueError(v)
                except ValueError:
                    problems.append(Problem(f"not a number at {cell}", path=where, column=c,
                                            expected="a number (or an empty cell)", found=v))
    if problems:
        raise DataError(problems=problems)


def _check_reference_values(out, keys, has_totals: bool, where: str) -> None:
    """A share is a fraction and an industry's total a part of the total: shares written as
    percentages (25 for 0.25) made every LQ 100 times too small (the all-industry row's LQ
    0.01), without a word.  Such rows are refused, each named (the first five)."""
    import polars as pl

    slack = 1e-9  # rounding in a written share or total
    if has_totals:
        e_i, e = pl.col(BENCHMARK_INDUSTRY_TOTAL), pl.col(BENCHMARK_TOTAL)
        bad = (e_i < 0) | (e < 0) | (e_i > e * (1 + slack))
        column, expected = BENCHMARK_INDUSTRY_TOTAL, (f"0 <= {BENCHMARK_INDUSTRY_TOTAL} <= "
                                                      f"{BENCHMARK_TOTAL}")
        shown = [BENCHMARK_INDUSTRY_TOTAL, BENCHMARK_TOTAL]
    else:
        share = pl.col(BENCHMARK_SHARE)
        bad = (share < 0) | (share > 1 + slack)
        column, expected = BENCHMARK_SHARE, "a fraction between 0 and 1"
        shown = [BENCHMARK_SHARE]
    rows = out.filter(bad.fill_null(False)).limit(5).collect()
    if not rows.height:
        return
    problems = []
    for row in rows.iter_rows(named=True):
        cell = ", ".join(f"{k}={row[k]}" for k in [*keys, schema.INDUSTRY])
        values = ", ".join(f"{c}={row[c]:g}" for c in shown)
        problems.append(Problem(
            f"impossible benchmark value at {cell}", path=where, column=column,
            expected=expected, found=values,
            hint="shares are fractions, not percentages (0.25, not 25)" if not has_totals
            else None))
    raise DataError(problems=problems)


_CODE = "__code_"
_COUNTY = "county"  # the region level an unallocated area is summed with
_REGION_LEVEL = "__region_level"
_SORT_KEY = "__sort_key"
_DENSE_LIMIT = 50_000_000  # larger key spaces are compacted with np.unique


def _encode(df, measures: list[str], categories: dict | None = None):
    """Add lexicographically ordered integer codes of the keys and a row sort key.

    The measure's code follows the canonical measure order, so the single integer sort key
    orders rows exactly like (measure, period, region, ownership, industry) would.  Keys with a
    single value get no code.  ``categories``, when given, is filled with each key's values
    (code i is the i-th value): see :func:`_coded_text`.
    """
    import polars as pl

    exprs = []
    sizes = []
    keys = (schema.PERIOD, schema.REGION, schema.OWNERSHIP, schema.INDUSTRY)
    # the distinct values of every key in one query (columns in parallel)
    distinct = dict(zip(keys, df.select(pl.col(k).unique().drop_nulls().sort().implode()
                                        for k in keys).row(0)))
    for key in (MEASURE, *keys):
        if key == MEASURE:
            values = pl.Series(measures, dtype=pl.String)
        else:
            values = pl.Series(key, distinct[key], dtype=pl.String)
        if categories is not None:
            categories[key] = values
        if values.len() <= 1:
            continue
        exprs.append(pl.col(key).cast(pl.Enum(values)).to_physical().cast(pl.UInt32)
                     .alias(_CODE + key))
        sizes.append((_CODE + key, values.len()))
    # the sort key from the code columns once made: in one with_columns the text was cast
    # twice, once for the code and once for the key (no common subexpressions in an eager
    # query; ~0.08 s of CPU on 3 M cells)
    df = df.with_columns(*exprs)
    sort_key = pl.lit(0, pl.UInt64)
    for code, size in sizes:
        sort_key = sort_key * size + pl.col(code).cast(pl.UInt64)
    return df.with_columns(sort_key.alias(_SORT_KEY))


class _Groups:
    """Dense integer group ids over key codes, for numpy ``bincount`` aggregation.

    Grouping millions of rows by several string columns (polars windows) dominated the run time
    and memory; with the codes every group-by is one integer multiply-add and a ``bincount``.
    """

    def __init__(self, df):
        import numpy as np
        import polars as pl

        self.n = df.height
        self.codes: dict[str, Any] = {}
        self.sizes: dict[str, int] = {}
        for key in (MEASURE, schema.PERIOD, schema.REGION, schema.OWNERSHIP, schema.INDUSTRY):
            if _CODE + key in df.columns:
                # the UInt32 codes as they are (no int64 copy of each: the ids widen them)
                codes = df[_CODE + key].to_numpy()
                self.codes[key] = codes
                self.sizes[key] = int(codes.max()) + 1 if codes.size else 1
        level = df[schema.LEVEL].cast(pl.Int16).fill_null(-1).to_numpy() + np.int16(1)
        if level.size and level.max() > level.min():
            self.codes[schema.LEVEL] = level
            self.sizes[schema.LEVEL] = int(level.max()) + 1
        # an unallocated area (QCEW's xx999 'Unknown Or Undefined', CBP's county 999) is part
        # of its state beside the counties: summed with them, not compared with itself alone
        # (every LQ 1, and the counties' benchmark short of its jobs)
        # (one level throughout, the usual table: no copy of the column)
        region_level = (df[_REGION_LEVEL] if _REGION_LEVEL in df.columns
                        and df[_REGION_LEVEL].n_unique() > 1 else None)
        self.several_levels = region_level is not None  # as the input labels them
        if region_level is not None:
            region_level = region_level.fill_null("").replace(schema.UNALLOCATED, _COUNTY)
        if region_level is not None and region_level.n_unique() > 1:
            # a state and its counties in one table: the sums over regions are per region level
            rlevel = region_level.rank("dense").to_numpy().astype(np.int64) - 1
            self.codes[schema.REGION_LEVEL] = rlevel
            self.sizes[schema.REGION_LEVEL] = int(rlevel.max()) + 1
        self._cache: dict[tuple, tuple] = {}

    def ids(self, *keys: str):
        """(group id per row, number of groups) for the given keys."""
        import numpy as np

        # keys without a code (one value throughout) add nothing: (measure, period, region,
        # ownership) and the same with level are one grouping in a table of one level
        keys = tuple(key for key in keys if key in self.codes)
        if keys in self._cache:
            return self._cache[keys]
        gid = None
        size = 1
        for key in keys:
            if gid is None:
                gid = self.codes[key].astype(np.int64)
            else:  # in place: no new array per key
                gid *= self.sizes[key]
                gid += self.codes[key]
            size *= self.sizes[key]
        if gid is None:
            gid = np.zeros(self.n, dtype=np.int64)
        if size > _DENSE_LIMIT:
            uniq, gid = np.unique(gid, return_inverse=True)
            size = uniq.size
        self._cache[keys] = (gid, size)
        return gid, size


_RL = (MEASURE, schema.PERIOD, schema.REGION, schema.OWNERSHIP, schema.LEVEL)
_IND = (MEASURE, schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY)
_PL = (MEASURE, schema.PERIOD, schema.OWNERSHIP, schema.LEVEL)


def _no_all_ownership_total(have: str) -> UsageError:
    """The refusal of --denominator all-ownership for a table without an all-ownership
    all-industry row (``have``: its ownerships): every LQ would be empty ('no region total'),
    exit 0."""
    return UsageError(
        f"--denominator all-ownership divides by each region's all-ownership total (ownership "
        f"'{schema.OWNERSHIP_TOTAL}', industry {schema.ALL_INDUSTRIES}), and the input has no "
        f"such row (ownerships: {have}); "
        + (f"the {schema.OWNERSHIP_TOTAL!r} rows have no all-industry row (industry "
           f"{schema.ALL_INDUSTRIES}: Eurostat's TOTAL, a table's total column): use "
           "--denominator total or sum, which sum the industries where it is absent"
           if schema.OWNERSHIP_TOTAL in have.split(", ") else
           "ingest the raw files with the total ownership too, or use --denominator total"))


def _all_ownership_note(bare: list) -> str | None:
    """The note on the periods ``bare`` (sorted) without an all-ownership total under
    --denominator all-ownership, or None for none."""
    if not bare:
        return None
    return (f"--denominator all-ownership: period{'s' if len(bare) > 1 else ''} "
            f"{', '.join(bare[:6])}{' ...' if len(bare) > 6 else ''} "
            f"{'have' if len(bare) > 1 else 'has'} no all-ownership total (ownership "
            f"'{schema.OWNERSHIP_TOTAL}', industry {schema.ALL_INDUSTRIES}): "
            f"{'their' if len(bare) > 1 else 'its'} LQs are empty ('no region total'); "
            "ingest the period with the total ownership too, or use --denominator total")


def _ownerships_without_total(cells, is_all, own_total) -> str | None:
    """None where the table has an all-ownership all-industry row (what --denominator
    all-ownership divides by); else the ownerships it has, for the message refusing it."""
    if (is_all & own_total).any():
        return None
    return ", ".join(cells[schema.OWNERSHIP].unique().drop_nulls().sort().to_list())


def _all_industries(cells):
    """Rows of the all-industry total: code ``schema.ALL_INDUSTRIES`` at level 0."""
    import polars as pl

    return cells.select((pl.col(schema.INDUSTRY) == schema.ALL_INDUSTRIES)
                        & (pl.col(schema.LEVEL).fill_null(0) == 0)).to_series().to_numpy()


def _overlapping_aggregates(cells, g: _Groups, distinct: list | None = None,
                            alone_of: dict | None = None):
    """Rows left out of a region's sum of its industries at a level: Eurostat's aggregates
    beside their parts (B-E and C, G-J and G-I + J; C10-C12 and C10, C11, C12) and NAICS's
    sector ranges beside their parts (31-33 and 31, 32, 33 in a generic or BEA table), which
    that sum counts twice; see :func:`clusterid.core.codes.overlapping_aggregates`.

    Decided per region (measure, period, ownership): a region that lists only G-I keeps it in
    its sum even where other regions list G, H and I (without it its total lacked those jobs:
    every LQ of the region came out too high, G-I's own 3.0 instead of 1.0 on a toy); a region
    whose parts are not all published (32 withheld) keeps the published range and leaves out
    the parts.  Returns the rows, ``{code: reason}`` over all regions, and a note (or None) on
    regions that list an aggregate without the parts other regions list
    (:func:`_aggregate_alone_note`).  ``distinct``: the codes an aggregate's parts are sought
    among (by default the table's: a part of a table computed in parts is given the whole
    table's); ``alone_of`` is filled with the note's regions (:func:`_aggregate_alone`).
    """
    import numpy as np
    import polars as pl

    from clusterid.core.codes import covers as code_covers, overlapping_aggregates

    # on the column alone (its distinct codes): a filter of the whole frame would copy them all
    industry = cells.get_column(schema.INDUSTRY)
    if distinct is None:
        distinct = industry.unique().drop_nulls().to_list()
    if not overlapping_aggregates(distinct):
        return np.zeros(cells.height, dtype=bool), {}, None
    covered = industry.is_in(sorted(code_covers(distinct))).to_numpy()
    rows = np.flatnonzero(covered)
    region_ids, _n = g.ids(MEASURE, schema.PERIOD, schema.REGION, schema.OWNERSHIP)
    hidden = cells.get_column(VALUE).gather(rows).fill_nan(None).is_null()
    listed = pl.DataFrame({"__gid": region_ids[rows], "__row": rows,
                           schema.INDUSTRY: industry.gather(rows), "__hidden": hidden})
    code_sets = listed.group_by("__gid").agg(
        pl.col(schema.INDUSTRY).unique().sort().alias("__codes"),
        pl.col(schema.INDUSTRY).filter(pl.col("__hidden")).unique().sort().alias("__unpub"))
    reasons: dict[str, str] = {}
    plan = []
    for codes, unpub in sorted(code_sets.select("__codes", "__unpub").unique().iter_rows()):
        for code, why in overlapping_aggregates(codes, unpub).items():
            plan.append((codes, unpub, code))
            reasons.setdefault(code, why)
    left_out = np.zeros(cells.height, dtype=bool)
    if plan:
        plan_df = pl.DataFrame({"__codes": [c for c, _, _ in plan],
                                "__unpub": [u for _, u, _ in plan],
                                schema.INDUSTRY: [x for _, _, x in plan]},
                               schema={"__codes": pl.List(pl.String),
                                       "__unpub": pl.List(pl.String), schema.INDUSTRY: pl.String})
        hit = (listed.join(code_sets, on="__gid")
               .join(plan_df, on=["__codes", "__unpub", schema.INDUSTRY], how="semi"))
        left_out[hit["__row"].to_numpy()] = True
    first_rows = listed.group_by("__gid").agg(pl.col("__row").min())
    code_sets = code_sets.join(first_rows, on="__gid")
    regions = cells.get_column(schema.REGION).gather(code_sets["__row"].to_numpy())
    alone = _aggregate_alone(code_sets["__codes"].to_list(), regions.to_list(), distinct)
    if alone_of is not None:
        alone_of.update(alone)
    return left_out, dict(sorted(reasons.items())), _aggregate_alone_note(alone)


def _aggregate_alone(code_sets: list, regions: list, distinct: list) -> dict[str, tuple]:
    """``{aggregate: (its parts among distinct, {regions listing it without them})}`` for
    :func:`_aggregate_alone_note`.  ``code_sets[i]``: the codes region ``regions[i]`` lists (per
    measure, period and ownership)."""
    from clusterid.core.codes import code_parts

    parts_of = code_parts(distinct)
    alone: dict[str, tuple] = {}
    for codes, region in zip(code_sets, regions):
        listed = set(codes)
        for a in codes:
            parts = parts_of.get(a)
            if parts and not listed.intersection(parts):
                alone.setdefault(a, (parts, set()))[1].add(region)
    return alone


def _aggregate_alone_note(alone: dict[str, tuple]) -> str | None:
    """Regions listing a NACE aggregate (K-N) or a NAICS sector range (31-33) without the
    parts other regions list (K, L, M_N; 31, 32, 33): the parts' benchmark sums leave those
    regions' activity out while the benchmark total counts it, so every LQ of the parts comes
    out too high (Eurostat's nama_10r_3empers, AT11 2018 K: 1.84 for 1.44 once the parts are
    filled).  ``alone``: :func:`_aggregate_alone`'s (of a table computed in parts, the union
    of its parts')."""
    from clusterid.core.codes import nace_cover

    if not alone:
        return None
    said = []
    for a, (parts, where) in sorted(alone.items()):
        shown = ", ".join(sorted(map(str, where))[:4]) + (" ..." if len(where) > 4 else "")
        said.append(f"{a} in {len(where)} region{'s' * (len(where) > 1)} ({shown}) without "
                    f"{', '.join(parts)}")
    kind = ("a NACE aggregate" if all(nace_cover(a) for a in alone) else
            "a NAICS sector range" if not any(nace_cover(a) for a in alone) else
            "a NACE aggregate or a NAICS sector range")
    return (f"some regions list {kind} without the parts other regions list: "
            + "; ".join(said) + ". Their activity is missing from those parts' benchmark sums "
            "but counted in the benchmark total, so the parts' LQs come out too high; "
            "--suppressed impute (or clusterid impute first) adds the parts, filled from the "
            "aggregate")


def _region_totals(g: _Groups, e, valid, is_all, own_total, rule: str, overlap=None,
                   industry=None, untold: dict | None = None):
    """e_j per row: (region_total, source 0 total row / 1 sum / -1 none, total suppressed).

    ``overlap``: rows the sum of a level's industries leaves out (overlapping aggregates).
    ``industry``: the rows' codes (a polars Series), read only for a region without an
    all-industry row whose levels do not add up (:func:`_whole_region_sum`).  ``untold``:
    filled with ``{row: [ranges]}``, a row of each such region listing a range whose parts
    cannot be told, whose whole is then its coarsest level's sum (said by the caller).
    Worked out per (measure, period, region, ownership, level) group -- each output is constant
    in one -- and gathered to the rows once (3 M cells: eight row-long temporaries fewer).
    """
    import numpy as np

    ids_l, n_l = g.ids(*_RL)
    summed = valid if overlap is None else valid & ~overlap
    level_sum = np.bincount(ids_l, weights=np.where(summed, e, 0.0), minlength=n_l)
    del summed
    if rule == "sum":
        return level_sum[ids_l], np.ones(g.n, dtype=np.int8), np.zeros(g.n, dtype=bool)
    if rule == "total":
        ids_t, n_t = g.ids(MEASURE, schema.PERIOD, schema.REGION, schema.OWNERSHIP)
        cond = is_all
    else:  # all-ownership
        ids_t, n_t = g.ids(MEASURE, schema.PERIOD, schema.REGION)
        cond = is_all & own_total
    has = np.zeros(n_t, dtype=bool)
    has[ids_t[cond]] = True
    total = np.full(n_t, np.nan)
    total[ids_t[cond]] = e[cond]
    # each level group's total group (the level groups refine them: one total per region)
    of_level = np.zeros(n_l, dtype=np.int64)
    of_level[ids_l] = ids_t
    has_l, total_l = has[of_level], total[of_level]
    if rule == "total":
        # without an all-industry row the total is the sum of the level's cells, which is only
        # a lower bound when one of them is suppressed: every LQ of the region would come out
        # too high (a region with one suppressed section looked specialised in the others);
        # those totals stay unknown, reason 'suppressed region total'
        counted = ~valid if overlap is None else ~valid & ~overlap
        # (the groups holding such a cell: counted over those cells alone, usually few)
        incomplete = np.bincount(ids_l[counted], minlength=n_l) > 0
        fallback = ~has_l & incomplete
        region_total = np.where(has_l, total_l, np.where(fallback, np.nan, level_sum))
        if schema.LEVEL in g.codes:
            unknown, told = _whole_region_sum(g, ids_l, n_l, of_level, n_t, has_l | fallback,
                                              region_total, industry, e, valid, overlap,
                                              fallback, level_sum)
            # a level with a suppressed cell (or the rows a region lists only through their
            # parent, C10 read as suppressed under a lone C) whose region's whole is known
            # from a published coarser level: that whole, not unknown
            fallback = fallback & np.isnan(region_total)
            if unknown is not None:
                fallback = fallback | unknown
            if untold is not None:
                untold.update(told)
        source = (~has_l).astype(np.int8)  # 0 the total row, 1 the level's sum
        suppressed = (has_l & np.isnan(total_l)) | fallback
    else:
        region_total = total_l
        source = np.where(has_l, 0, -1).astype(np.int8)
        suppressed = has_l & np.isnan(total_l)
    take = dict(mode="clip")  # (ids_l is in range: numpy need not check it)
    return (np.take(region_total, ids_l, **take), np.take(source, ids_l, **take),
            np.take(suppressed, ids_l, **take))


def _whole_region_sum(g: _Groups, ids_l, n_l: int, of_level, n_t: int, fixed, region_total,
                      industry=None, e=None, counted=None, skipped=None, withheld=None,
                      level_sum=None):
    """A region without an all-industry row whose level covers part of it: that level's total
    is the region's whole (in place in ``region_total``, per level group).

    The whole is its coarsest level's sum (sections, NAICS sectors), or where a finer code is
    listed without any code above it (the divisions of C without section C) the sum of its
    root codes, those with no listed code above them, when that is larger.  A NACE / OKED
    table listing the sections and, for manufacturing only, its divisions (C10, C11 ...)
    summed the divisions into the region's total: each division's LQ was against the region's
    manufacturing, not its economy -- divided by the region's LQ of section C --; listing the
    divisions instead of C, the sections' total left manufacturing out, and every section's
    LQ came out too high; neither was said.  A level that covers the region (a complete
    hierarchy: the same sum, to rounding) keeps its own sum.  ``fixed``: groups whose total
    is settled already (a total row, or unknown for a suppressed cell in the level);
    ``withheld``: those of them unknown for a suppressed cell, beside which another level's own
    sum is the region's whole only if no root code is withheld.  ``level_sum``: each level
    group's sum of its published cells; a withheld group whose region's whole is known (its
    coarsest level published throughout, no root withheld) and not below that sum takes the
    whole: a region listing a section alone where others list its divisions (its C10 read as
    suppressed under C) kept its level-2 total unknown, and dropped out of the level's
    benchmark total, its whole economy with it.
    """
    import numpy as np

    level = np.zeros(n_l, dtype=np.int64)
    level[ids_l] = g.codes[schema.LEVEL]  # the code level + 1 (0: no level, 1: all industries)
    coded = level >= 2
    top = np.full(n_t, np.iinfo(np.int64).max)
    np.minimum.at(top, of_level[coded], level[coded])
    is_top = coded & (level == top[of_level])
    whole = np.full(n_t, np.nan)
    whole[of_level[is_top]] = region_total[is_top]
    unknown = None
    root_hidden = None
    untold: dict = {}
    if industry is not None:
        beside = None
        if withheld is not None and (withheld & coded).any():
            beside = np.zeros(n_t, dtype=bool)
            beside[of_level[withheld & coded]] = True
        found = _root_sums(g, ids_l, of_level, n_t, coded & ~fixed, level, region_total,
                           industry, e, counted, skipped, beside)
        if found is not None:
            roots, hidden, untold = found
            root_hidden = hidden[of_level]
            whole = np.where(roots > whole, roots, whole)  # (a NaN on either side: no change)
            # a region whose levels do not add up and one of whose root codes is suppressed
            # (C10 withheld with no row for C, or a withheld section beside a partial level):
            # its whole is unknown, and so is every level's total -- the published level's
            # own sum left that root's activity out, every LQ of the region too high
            unknown = ~fixed & coded & hidden[of_level]
    whole = whole[of_level]
    short = ~fixed & coded & ~np.isnan(whole) & (region_total < whole * (1.0 - 1e-9))
    region_total[short] = whole[short]
    if withheld is not None and level_sum is not None:
        known = withheld & coded & ~np.isnan(whole) & (whole >= level_sum * (1.0 - 1e-9))
        if root_hidden is not None:  # a root code withheld: the whole is unknown too
            known &= ~root_hidden
        region_total[known] = whole[known]
    if unknown is not None and unknown.any():
        region_total[unknown] = np.nan
    return unknown, untold


def _root_sums(g: _Groups, ids_l, of_level, n_t: int, open_, level, region_total, industry,
               e, counted, skipped=None, beside=None):
    """Per region (measure, period, region, ownership) whose open level groups ``open_`` sum
    to different totals: the sum of its root codes -- coded rows with no listed code above
    them (a code's ancestors are its prefixes, C10 under C, 311 under 31, and the ranges that
    hold it, B-E over C10, 31-33 over 311: :func:`clusterid.core.codes.range_holds`) --, NaN
    where a root is suppressed or the region lists a range whose parts cannot be told.  Rows
    ``skipped`` (an aggregate beside its parts, or parts beside their aggregate, counted once
    by the level sums) add nothing and stand above nothing: what they hold is counted by the
    codes kept.  None when every region's levels add up (the usual table:
    nothing read).  ``beside``: regions with a level unknown for a suppressed cell, looked at
    when they have one open level too.

    A range listed was a NaN for the region, which then kept its coarsest level's sum: NAICS
    sectors with 44-45 and manufacturing by subsector alone (311, 336, no 31-33) took the
    sectors' sum at both levels, manufacturing left out of the region's whole, said nowhere."""
    import numpy as np

    from clusterid.core.codes import is_range, range_holds

    lo = np.full(n_t, np.inf)
    hi = np.full(n_t, -np.inf)
    np.minimum.at(lo, of_level[open_], region_total[open_])
    np.maximum.at(hi, of_level[open_], region_total[open_])
    uneven = hi > lo * (1.0 + 1e-9)
    if beside is not None:
        # one open level beside a level unknown for a suppressed cell: does the open level
        # cover the region?  (sections A, F with C10 withheld and no C: it does not)
        uneven |= beside & np.isfinite(lo)
    if not uneven.any():
        return None
    t_row = of_level[ids_l]
    rows = np.flatnonzero(uneven[t_row] & (level[ids_l] >= 2))
    codes = industry.gather(rows).to_list()
    listed: dict[int, set] = {}
    for r, c in zip(rows.tolist(), codes):
        # (a skipped row stands above nothing: 31-33 left out for 31, 32, 33, whose
        # subsectors are under those)
        codes_t = listed.setdefault(int(t_row[r]), set())
        if skipped is None or not skipped[r]:
            codes_t.add(c)
    out = np.full(n_t, np.nan)
    # the ranges each region lists (looked for once per region: per row, a scan of the
    # region's codes was rows x codes); one whose parts cannot be told: no roots sum
    ranges = {t: sorted(x for x in codes_t if is_range(x)) for t, codes_t in listed.items()}
    untold = {t: [x for x in rs if range_holds(x, x) is None] for t, rs in ranges.items()}
    untold = {t: xs for t, xs in untold.items() if xs}
    sums = {t: (np.nan if t in untold else 0.0) for t in listed}
    hidden = np.zeros(n_t, dtype=bool)
    first: dict[int, int] = {}
    for r, c in zip(rows.tolist(), codes):
        t = int(t_row[r])
        first.setdefault(t, r)
        if np.isnan(sums[t]) or (skipped is not None and skipped[r]):
            continue
        if any(c[:k] in listed[t] for k in range(1, len(c))) or any(
                range_holds(x, c) for x in ranges[t]):
            continue
        if counted[r]:
            sums[t] += e[r]
        else:
            sums[t] = np.nan
            hidden[t] = True
    for t, v in sums.items():
        out[t] = v
    return out, hidden, {first[t]: xs for t, xs in untold.items()}


def _region_not_in_input(wanted: str, pairs) -> UsageError:
    """The error for ``-b region:ID`` the input lacks: the nearest ids or names, as indices says
    it (:func:`clusterid.core.indices.regions_like`); a region's name for its code
    ('region:Мангистауская область' for 470000000) was told only the first five codes.
    ``pairs``: a frame of the regions (and their names)."""
    from clusterid.core.indices import regions_like

    rows = pairs.drop_nulls(schema.REGION).sort(pairs.columns).rows()
    return UsageError(f"benchmark region {wanted!r} is not in the input "
                      f"({regions_like(rows, wanted)})")


# benchmark region level -> the finer levels of its scheme whose codes start with its own stem
# (a county's FIPS code with its state's two digits, a NUTS or AGS code with its parent's
# code, a KATO district's nine digits with its oblast's first two, a settlement's with its
# district's first four)
_NESTED_LEVELS = {
    "state": ("county", schema.UNALLOCATED),
    "nuts0": ("nuts1", "nuts2", "nuts3"), "nuts1": ("nuts2", "nuts3"), "nuts2": ("nuts3",),
    "land": ("regierungsbezirk", "kreis", "gemeindeverband", "gemeinde"),
    "regierungsbezirk": ("kreis", "gemeindeverband", "gemeinde"),
    "kreis": ("gemeindeverband", "gemeinde"),
    "oblast": ("district", "settlement"),
    "district": ("settlement",),
}


_DIGIT_LEVEL = re.compile(r"^(\d+)-digit$")


def _digit_level(level) -> int | None:
    """The length of a level named by its codes' length (``5-digit`` -> 5), else None."""
    m = _DIGIT_LEVEL.match(level) if isinstance(level, str) else None
    return int(m.group(1)) if m else None


def _code_stem(code: str, level: str) -> str | None:
    """The prefix the codes of the regions inside region ``code`` (of ``level``) start with,
    or None where its code is not of the shape the level's scheme gives."""
    if level == "state":  # FIPS: 49000 holds 49001 ... 49999
        return code[:2] if code.isdigit() and (len(code) == 2 or (len(code) == 5 and code.endswith("000"))) else None
    if level == "oblast":  # KATO: 470000000 (or 47, as a table keyed by oblast codes writes it) holds 47xxxxxxx
        return code[:2] if len(code) in (2, 9) and code.isdigit() else None
    if level == "district":  # KATO: 113200000 holds its settlements 1132xxxxx (another
        # scheme's districts, codes of no such shape, are not read)
        return code[:4] if len(code) == 9 and code.isdigit() and code.endswith("00000") else None
    return code


def _outside_benchmark_note(cells, region: str, levels=None) -> str | None:
    """``-b region:ID`` where regions of a finer level of the benchmark's own scheme lie outside
    it (:func:`outside_benchmark_note`), read from the cells of ``lq``.  ``levels``: the
    benchmark region's levels in the whole table, for a part."""
    import polars as pl

    if _REGION_LEVEL not in cells.columns:
        return None
    if levels is None:
        levels = (cells.filter(pl.col(schema.REGION) == region).get_column(_REGION_LEVEL)
                  .drop_nulls().unique())
    levels = list(levels)
    if len(levels) != 1:
        return None
    pairs = cells.select(schema.REGION, _REGION_LEVEL).unique().rows()
    return outside_benchmark_note(region, levels[0], pairs)


def outside_benchmark_note(region: str, level: str | None, regions, what: str = "LQs"
                           ) -> str | None:
    """The note for ``-b region:ID`` where regions of a finer level of the benchmark's own
    scheme lie outside it (their codes do not start with its own: Utah's counties against
    Oregon, 41000): what is computed against it compares them with an economy they are no part
    of (METHODS §1), which nothing said.  Checked only where the levels nest by code (FIPS
    states and counties, NUTS, AGS, KATO, and the levels named by the codes' length that
    io.readers.region_nesting gives, ``2-digit`` holding the ``5-digit`` codes it begins);
    QCEW's MSAs, codes of their own, are not.  Shared
    by ``lq``, ``indices`` and ``shift-share``.

    ``level``: the benchmark region's level; ``regions``: (code, level) pairs of the regions
    compared with it; ``what``: what is computed for them ('LQs', 'indices' ...).
    None when every finer region lies inside the benchmark (or nothing can be told)."""
    digits = _digit_level(level)
    if digits is not None:
        # numeric codes levelled by their length (io.readers.region_nesting: 2-digit beside
        # 5-digit): a region holds the longer codes its own code begins
        if not (str(region).isdigit() and len(str(region)) == digits):
            return None
        stem = str(region)
        finer = {lv for _, lv in regions if (n := _digit_level(lv)) is not None and n > digits}
    elif level not in _NESTED_LEVELS:
        return None
    else:
        stem = _code_stem(region, level)
        if stem is None:
            return None
        finer = set(_NESTED_LEVELS[level])
    outside = sorted({r for r, lv in regions
                      if r is not None and lv in finer and not str(r).startswith(stem)})
    if not outside:
        return None
    shown = ", ".join(outside[:5]) + (f" ... ({len(outside)} in all)" if len(outside) > 5 else "")
    return (f"the benchmark region {region} ({level}) does not hold {len(outside)} "
            f"region{'s' if len(outside) > 1 else ''} of a finer level in the table, whose "
            f"codes do not start with its own ({shown}): their {what} compare them with an "
            "economy they are no part of; give -b region:ID of the region that holds them, or "
            "leave them out")


def _untold_ranges_note(cells, untold: dict) -> str | None:
    """The regions without an all-industry row whose code levels do not add up and that list
    a range whose parts cannot be told (a custom ``1-4``): their whole is their coarsest
    level's sum, which may leave out codes listed at a finer level alone.  Named, with the
    range and the levels, rather than left silent."""
    if not untold:
        return None
    said = []
    for row in sorted(untold)[:3]:
        region = cells[schema.REGION][row]
        period = cells[schema.PERIOD][row]
        levels = sorted(cells.filter((cells[schema.REGION] == region)
                                     & (cells[schema.PERIOD] == period))[schema.LEVEL]
                        .drop_nulls().unique().to_list())
        said.append(f"{region} ({period}: {', '.join(untold[row])}; levels "
                    f"{', '.join(str(x) for x in levels if x)})")
    more = f" and {len(untold) - 3} more" if len(untold) > 3 else ""
    return ("the code levels of some regions without an all-industry row do not add up, and "
            "they list a range whose parts clusterid cannot tell, so the codes it holds are "
            "unknown: " + "; ".join(said) + more + ". Their region total at every level is "
            "their coarsest level's sum, which leaves out any code listed only at a finer "
            "level; add the all-industry rows (industry 10) or list the range's parts")


def _bounded_spread(g: _Groups, cells, e, valid, region_total):
    """Per row, what the sum-of-regions E_i holds of each bounded cell (its value, or 0 when
    suppressed) and, per industry, how far the bounded cells' bounds reach from that: sums of
    ``lower - held`` and of the finite ``upper - held``, and how many uppers are open."""
    import numpy as np

    ids_i, n_i = g.ids(*_IND, schema.REGION_LEVEL)
    lo = cells[_LOWER_IN].to_numpy().astype(np.float64)
    hi = cells[_UPPER_IN].to_numpy().astype(np.float64)
    counted = ~np.isnan(region_total)
    bounded = counted & ~np.isnan(lo) & (cells[STATUS] != schema.REPORTED).fill_null(True).to_numpy()
    held = np.where(valid & counted, e, 0.0)
    open_hi = bounded & np.isnan(hi)
    d_lo = np.where(bounded, lo - held, 0.0)
    d_hi = np.where(bounded & ~open_hi, hi - held, 0.0)
    return dict(held=held, bounded=bounded, open_hi=open_hi, d_lo=d_lo, d_hi=d_hi,
                s_held=np.bincount(ids_i, weights=held, minlength=n_i)[ids_i],
                s_lo=np.bincount(ids_i, weights=d_lo, minlength=n_i)[ids_i],
                s_hi=np.bincount(ids_i, weights=d_hi, minlength=n_i)[ids_i],
                n_open=np.bincount(ids_i, weights=open_hi.astype(np.float64), minlength=n_i)[ids_i])


def _published(cells):
    """Per row, whether the cell's value is published: status reported, or a source's own
    estimate -- status estimated without bounds (Eurostat's e), as :func:`clusterid.schema.
    published` says; a cell clusterid imputed has its bounds."""
    import numpy as np

    status = cells[STATUS]
    unbounded = (np.isnan(cells[_LOWER_IN].to_numpy().astype(np.float64))
                 & np.isnan(cells[_UPPER_IN].to_numpy().astype(np.float64)))
    return ((status == schema.REPORTED).fill_null(False).to_numpy()
            | ((status == schema.ESTIMATED).fill_null(False).to_numpy() & unbounded))


def _spread_bounds(spread, cells, region_total, lq_lo, lq_hi, series):
    """LQ bounds of the bounded cells with the sum-of-regions (or rest-of-nation) benchmark free
    too: the lowest LQ has the cell at its lower bound and the industry's other bounded cells at
    their upper ones (E_i largest), the highest the reverse; against the rest, the cell itself is
    no part of E_i.  Held fixed, E_i of the published cells alone made the bounds miss the true
    LQ (a CBP county file: 1,477 of 2,358 withheld cells); against the rest a withheld cell had
    no bounds at all (its E_i - e was unknown)."""
    import numpy as np

    E = series[BENCHMARK_TOTAL].fill_null(np.nan).to_numpy()
    b = spread["bounded"]
    lo = cells[_LOWER_IN].to_numpy().astype(np.float64)
    hi = cells[_UPPER_IN].to_numpy().astype(np.float64)
    held = spread["held"]
    rest = spread["rest"]
    with np.errstate(divide="ignore", invalid="ignore"):
        others_open = spread["n_open"] - spread["open_hi"] > 0
        others = spread["s_held"] - held  # E_i of the other regions' values as held
        own_lo = 0.0 if rest else lo
        own_hi = 0.0 if rest else np.where(np.isnan(hi), 0.0, hi)
        big = np.where(others_open, np.inf, others + spread["s_hi"] - spread["d_hi"] + own_lo)
        small = others + spread["s_lo"] - spread["d_lo"] + own_hi
        low = np.where(big == np.inf, 0.0, lo * E / (region_total * big))
        if not rest:
            # the industry's only jobs at the low corner are the cell's (no other region holds
            # any: Beaver County's wind power, a region alone at its level): for every count
            # above 0 its LQ is E / T_r, at 0 it has none (0 / 0), so the lowest LQ the data
            # allow is E / T_r; it was empty beside the upper bound, and the call 'fragile'
            # (392 cells of the Utah sample, private, with --suppressed bounds or impute)
            low = np.where((big == 0) & (lo == 0), E / region_total, low)
        if rest:  # an open upper bound: the cell is no part of the rest, its LQ has no limit
            high = hi * E / (region_total * small)
        else:  # an open upper bound: the LQ tends to E / T_r as the cell grows without limit
            high = np.where(np.isnan(hi), E / region_total, hi * E / (region_total * small))
        high = np.where(np.isfinite(high), high, np.nan)
        low = np.where(np.isnan(low) & (big == np.inf), 0.0, low)
        # the benchmark's E_i at most 0 (the rest of nation without the industry, whatever the
        # bounded cells are): the LQ is undefined, and so are its bounds (the low one was inf,
        # written 'inf' into lq's CSV: 5 cells of the Utah sample, --benchmark rest)
        low = np.where(np.isfinite(low), low, np.nan)
        # a published cell's LQ moves with the benchmark's bounded cells too: its point LQ,
        # taken over the published cells alone, may lie outside every value the data allow
        free = (~b & _published(cells) & (held > 0)
                & ((spread["s_lo"] != 0) | (spread["s_hi"] != 0) | (spread["n_open"] > 0)))
        base = spread["s_held"] - held if rest else spread["s_held"]
        rep_big = np.where(spread["n_open"] > 0, np.inf, base + spread["s_hi"])
        rep_low = np.where(rep_big == np.inf, 0.0, held * E / (region_total * rep_big))
        rep_low = np.where(np.isfinite(rep_low), rep_low, np.nan)
        rep_high = held * E / (region_total * (base + spread["s_lo"]))
        rep_high = np.where(np.isfinite(rep_high), rep_high, np.nan)
    return (np.where(b, low, np.where(free, rep_low, lq_lo)),
            np.where(b, high, np.where(free, rep_high, lq_hi)), free)


def _sum_of_regions(g: _Groups, e, valid, region_total, source=None, rule: str = "sum"):
    """E_i (null when every cell of the industry is missing), E = Σ regions' e_j, and per row
    how many cells E_i sums and how many region totals E sums (the rest of nation needs both).

    The sums run over the regions of one region level (a state is never added to its counties)
    whose totals are known.  E counts every such region's total row (``source`` 0), also of a
    region with no row at the code level: a region without an industry's row has none of its
    jobs (QCEW and CBP list no industry without establishments) but its total is part of the
    benchmark's.  Left out, a file by industry (BLS's ``by_industry`` files: aircraft 336411
    and its 3364 beside the all-industry rows, every county) had E of only the counties with
    an aircraft row: 22.0 M of 57.9 M jobs, every LQ 2.6 times too high.
    """
    import numpy as np

    ids_i, n_i = g.ids(*_IND, schema.REGION_LEVEL)
    # a region whose total is unknown is in neither sum: its cells without its total would
    # make the benchmark's industry shares too large
    counted = valid & ~np.isnan(region_total)
    count = np.bincount(ids_i, weights=counted.astype(np.float64), minlength=n_i)
    E_i = np.bincount(ids_i, weights=np.where(counted, e, 0.0), minlength=n_i)
    del counted
    E_i[count == 0] = np.nan
    # (per industry group, gathered to the rows once)
    E_i, count = np.take(E_i, ids_i, mode="clip"), np.take(count, ids_i, mode="clip")
    ids_l, n_l = g.ids(*_RL)
    rep = np.full(n_l, -1, dtype=np.int64)
    rep[ids_l] = np.arange(g.n)  # any row of a region-level group: e_j is constant in it
    rep = rep[rep >= 0]
    known = ~np.isnan(region_total[rep])
    ids_pl, n_pl = g.ids(*_PL, schema.REGION_LEVEL)
    E = np.bincount(ids_pl[rep][known], weights=region_total[rep][known], minlength=n_pl)
    n_totals = np.bincount(ids_pl[rep][known], minlength=n_pl)  # how many totals E sums
    has = ((source == 0) & ~np.isnan(region_total) if rule in ("total", "all-ownership")
           and source is not None else None)
    if has is not None and has.any():  # (a table without total rows: nothing to add)
        # + the total rows of the level's regions absent from the group: all of them, less
        # those of the regions in it (the total row is per ownership, or all-ownership's one)
        by = (MEASURE, schema.PERIOD, schema.REGION) + ((schema.OWNERSHIP,) if rule == "total" else ())
        ids_r, n_r = g.ids(*by)
        one = np.full(n_r, -1, dtype=np.int64)
        one[ids_r[has]] = np.flatnonzero(has)
        one = one[one >= 0]  # a row of each region with a total row
        ids_a, n_a = g.ids(*by[:2], *by[3:], schema.REGION_LEVEL)
        every = np.bincount(ids_a[one], weights=region_total[one], minlength=n_a)
        present = known & has[rep]
        in_group = np.bincount(ids_pl[rep][present], weights=region_total[rep][present], minlength=n_pl)
        absent = np.zeros(n_pl)
        absent[ids_pl[rep]] = every[ids_a[rep]]  # one region-total group per level group
        E = E + absent - in_group
        n_absent = np.zeros(n_pl)
        n_absent[ids_pl[rep]] = np.bincount(ids_a[one], minlength=n_a)[ids_a[rep]]
        n_totals = n_totals + n_absent - np.bincount(ids_pl[rep][present], minlength=n_pl)
    # the sum of no known total (every region's total suppressed) is unknown, not 0
    E = np.where(n_totals > 0, E, np.nan)
    return E_i, E[ids_pl], count, n_totals[ids_pl]


def _suppressed_beside(g: _Groups, suppressed):
    """Per cell, how many cells of its industry, measure, ownership and period at its region
    level are suppressed, itself included: a sum benchmark over them is unknown, not 0."""
    import numpy as np

    ids_i, n_i = g.ids(*_IND, schema.REGION_LEVEL)
    return np.bincount(ids_i, weights=suppressed.astype(np.float64), minlength=n_i)[ids_i]


def _named_region(g: _Groups, e, is_bench, suppressed, region_total, is_all=None,
                  den_suppressed=None):
    """E_i, E and 'benchmark cell suppressed' from the rows of the benchmark region, and how
    many (measure, period, ownership) groups took the region's whole for its missing
    all-industry row.

    A benchmark region without an all-industry row (a national table of sections alone) beside
    regions that have one: E_i and E of those regions' all-industry rows are the benchmark
    region's whole -- its coarsest level's region total, the sum of its sections or of its root
    codes (:func:`_whole_region_sum`), as ``--denominator total`` takes for any region without
    the row --, so their LQ is 1 as against any benchmark.  They were empty, 'no benchmark'.
    Unknown where that sum holds a suppressed cell ('suppressed benchmark').
    """
    import numpy as np

    ids_i, n_i = g.ids(*_IND)
    E_i = np.full(n_i, np.nan)
    E_i[ids_i[is_bench]] = e[is_bench]
    bench_supp = np.zeros(n_i, dtype=bool)
    bench_supp[ids_i[is_bench]] = suppressed[is_bench]
    ids_pl, n_pl = g.ids(*_PL)
    E = np.full(n_pl, np.nan)
    E[ids_pl[is_bench]] = region_total[is_bench]
    E_i, E, bench_supp = E_i[ids_i], E[ids_pl], bench_supp[ids_i]
    filled = 0
    others = (np.flatnonzero(is_all & ~is_bench) if is_all is not None and schema.LEVEL in g.codes
              else np.zeros(0, dtype=np.int64))
    ids_t, n_t = g.ids(MEASURE, schema.PERIOD, schema.OWNERSHIP) if others.size else (None, 0)
    held = np.zeros(n_t, dtype=bool)
    if others.size:
        held[ids_t[is_bench & is_all]] = True
    # (the usual benchmark region has its all-industry rows: nothing more to do)
    if others.size and not held[ids_t[others]].all():
        level = g.codes[schema.LEVEL]  # the code level + 1 (0: no level, 1: all industries)
        bench_rows = np.flatnonzero(is_bench)
        coded_rows = bench_rows[level[bench_rows] >= 2]
        top = np.full(n_t, np.iinfo(np.int64).max)
        np.minimum.at(top, ids_t[coded_rows], level[coded_rows])
        at_top = np.zeros(g.n, dtype=bool)
        at_top[coded_rows[level[coded_rows] == top[ids_t[coded_rows]]]] = True
        whole = np.full(n_t, np.nan)
        whole[ids_t[at_top]] = region_total[at_top]
        unknown = np.zeros(n_t, dtype=bool)
        if den_suppressed is not None:
            unknown[ids_t[at_top]] = den_suppressed[at_top]
        has_whole = np.zeros(n_t, dtype=bool)
        has_whole[ids_t[at_top]] = True
        fill = is_all & ~is_bench & ~held[ids_t] & has_whole[ids_t]
        if fill.any():
            w = whole[ids_t]
            E_i = np.where(fill, w, E_i)
            E = np.where(fill, w, E)
            bench_supp = bench_supp | (fill & unknown[ids_t] & np.isnan(w))
            filled = int(np.unique(ids_t[fill]).size)
    return E_i, E, bench_supp, filled


_RATIO_OUTPUTS = {"share_r": "float64", "share_b": "float64", "reason": "int8", "lq": "float64",
                  "lower": "float64", "upper": "float64", "log_lq": "float64", "p": "float64"}
_THREADS = 2  # threads for the element-wise work (numpy releases the GIL): the cores here
_SLICE_ROWS = 1 << 16  # rows per slice of that work: its temporaries (0.5 MB each) fit the cache
# lq_reason codes 1.. in the order of the conditions in _ratios_of_slice (the first that holds)
_REASONS = (REASON_SUPPRESSED, REASON_MISSING, REASON_NEGATIVE, REASON_SUPPRESSED_TOTAL,
            REASON_NO_REGION_TOTAL, REASON_ZERO_REGION_TOTAL, REASON_SUPPRESSED_BENCHMARK,
            REASON_NO_BENCHMARK, REASON_ZERO_BENCHMARK)


def _cell_ratios(inputs: dict, z: float, variance: str, n: int) -> dict:
    """Shares, LQ, its reason code, interval and p-value of every row (see
    :func:`_ratios_of_slice`), the rows cut in slices of :data:`_SLICE_ROWS` worked on by
    :data:`_THREADS` threads: numpy's element-wise kernels release the interpreter lock, so
    both cores work, and a slice's ~40 temporaries stay in the CPU's cache instead of each
    making a trip through memory (3 M cells: ~0.4 s on one core in one piece, ~0.26 s on two
    cores in two halves, ~0.17 s on two cores in slices).  Each slice writes into its part of
    the outputs; element-wise work, so the slicing changes no value."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    out = {k: np.empty(n, dtype=t) for k, t in _RATIO_OUTPUTS.items()}
    parts = [slice(a, min(a + _SLICE_ROWS, n)) for a in range(0, n, _SLICE_ROWS)]

    def work(part):
        got = _ratios_of_slice({k: (v[part] if v is not None else None)
                                for k, v in inputs.items()}, z, variance)
        for k, v in got.items():
            out[k][part] = v

    if len(parts) > 1:
        with ThreadPoolExecutor(max_workers=_THREADS) as pool:
            list(pool.map(work, parts))
    else:
        for part in parts:
            work(part)
    return out


def poisson_upper(count, z: float):
    """The exact (Garwood 1936) two-sided upper confidence limit of a Poisson mean observed as
    ``count`` (any real >= 0, an estimated count too): the gamma quantile of probability
    1 - alpha/2 with shape count + 1, alpha = 2·Phi(-z); 3.689 for 0 at 95%.

    >>> round(float(poisson_upper(0.0, 1.959963984540054)), 3)
    3.689
    """
    special = special_functions()
    return special.gammaincinv(count + 1.0, special.ndtr(z))


_SPECIAL: list = []  # the module special_functions found, once
_SPECIAL_LOCK = threading.Lock()


def special_functions():
    """scipy's compiled special functions (``ndtr``, ``ndtri``, ``gammaincinv``: the very ufuncs
    ``scipy.special`` exports), without importing the package ``scipy.special`` where nothing
    has yet: its ``__init__`` loads scipy's array-API layer, which touches every attribute of
    numpy (importing numpy.f2py, numpy.testing, ...): ~0.25-0.3 s of CPU on every lq run for
    three functions that take ~0.02 s to load alone.  The package's folder stands in for it
    while its ``_ufuncs`` module loads, then is taken out of ``sys.modules`` again, so a later
    ``import scipy.special`` (scipy.stats, detect) runs the package's own import and finds the
    same compiled module.  Called from one thread first (compute_lq, before its workers); if
    anything about scipy's layout differs, ``scipy.special`` itself is imported."""
    if _SPECIAL:
        return _SPECIAL[0]
    import sys

    with _SPECIAL_LOCK:
        if _SPECIAL:
            return _SPECIAL[0]
        special = sys.modules.get("scipy.special")
        if special is None:
            special = _ufuncs_alone()
        if special is None:
            from scipy import special
        _SPECIAL.append(special)
    return _SPECIAL[0]


def _ufuncs_alone():
    """``scipy.special._ufuncs`` loaded under a stand-in package (see
    :func:`special_functions`), or None."""
    import os
    import sys
    import types

    try:
        import scipy

        stand_in = types.ModuleType("scipy.special")
        stand_in.__path__ = [os.path.join(os.path.dirname(scipy.__file__), "special")]
        sys.modules["scipy.special"] = stand_in
        try:
            from scipy.special import _ufuncs
        finally:
            if sys.modules.get("scipy.special") is stand_in:
                del sys.modules["scipy.special"]
            if scipy.__dict__.get("special") is stand_in:
                del scipy.special
        if all(hasattr(_ufuncs, f) for f in ("ndtr", "ndtri", "gammaincinv")):
            return _ufuncs
    except Exception:  # noqa: BLE001 - another scipy: the package is imported instead
        pass
    return None


def _ratios_of_slice(x: dict, z: float, variance: str) -> dict:
    """The element-wise part of the LQ of some rows: LQ = share of the region / share of the
    benchmark, the reason code where it is undefined (0 = defined, else 1 + its index in
    :data:`_REASONS`), and for counts the delta-method interval on ln LQ and the two-sided
    p-value of ln LQ = 0 (``variance``: nested, independent or shares_only)."""
    import numpy as np

    special = special_functions()
    e, region_total, E_i, E = x["e"], x["region_total"], x["E_i"], x["E"]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share_r = np.where(region_total > 0, e / region_total, np.nan)
        share_b = x["share_b"] if x["share_b"] is not None else np.where(E > 0, E_i / E, np.nan)
        valid = x["valid"]
        no_rt = np.isnan(region_total)
        no_bench = np.isnan(share_b)
        reason = np.select(
            [~valid & x["suppressed"], ~valid, e < 0, no_rt & x["den_suppressed"], no_rt,
             region_total <= 0, no_bench & x["bench_suppressed"], no_bench, share_b <= 0],
            np.arange(1, len(_REASONS) + 1, dtype=np.int8), default=0).astype(np.int8)
        del no_rt, no_bench
        ok = reason == 0
        lq = np.where(ok, share_r / share_b, np.nan)
        if variance == "shares_only":
            var = 1.0 / e - 1.0 / region_total
        elif variance == "nested":
            var = 1.0 / e - 1.0 / region_total - 1.0 / E_i - 1.0 / E + 2.0 * e / (region_total * E_i)
            if x.get("peer") is not None:
                # a region of the benchmark region's own level is beside it, not inside it:
                # the nested form would take covariances that do not exist (narrower, not
                # conservative: peers of equal structure got the interval [1, 1])
                var = np.where(x["peer"], 1.0 / e - 1.0 / region_total + 1.0 / E_i - 1.0 / E, var)
        else:
            var = 1.0 / e - 1.0 / region_total + 1.0 / E_i - 1.0 / E
        counts = x["count_rows"]
        positive = ok & counts & (lq > 0)
        sd = np.sqrt(np.where(positive, np.clip(var, 0.0, None), np.nan))
        del var
        zero = ok & counts & (lq == 0)
        lower = np.where(positive, lq * np.exp(-z * sd), np.where(zero, 0.0, np.nan))
        upper = np.where(positive, lq * np.exp(z * sd), np.nan)
        # A zero cell (the delta method's variance has 1/0), an estimated count whose
        # exp(z·se) overflows (an imputed 6e-6 of a job: se ~ 400) and any count below one
        # job, which only an estimate can be (its delta limit grows as exp(z/sqrt(e)): 0.01 of
        # a job, 3e8 times its LQ) had an upper limit of inf or near it, written 'inf' into the
        # CSV.  They take the exact Poisson (Garwood) upper limit u of the count, the gamma
        # quantile of 1 - alpha/2 with shape e + 1 (3.69 jobs for a 0 at 95%), as an LQ with
        # the other counts held fixed: the region's total holds the cell, and so do the
        # benchmark's totals when the region is inside it (the nested form).  Holding the
        # totals fixed instead (u / e_j / S_i) gave a region of 2 jobs a share of 1.84, and Salt
        # Lake County (half of Utah) an upper end of 3.85 where no count could lift its LQ
        # above 2.04.
        open_ = ((zero | (positive & (~np.isfinite(upper) | (e < 1.0))))
                 & (region_total > 0) & (share_b > 0))
        if open_.any():
            # on the open rows alone, one gamma quantile per distinct count: over every row of
            # a slice it cost ~0.9 s of the 3 M-cell lq, 17% of whose cells are zeros
            at = np.flatnonzero(open_)

            def rows(a):
                return a[at] if np.ndim(a) else a

            e_at = rows(e)
            counts_at, which = np.unique(e_at, return_inverse=True)
            u = poisson_upper(counts_at, z)[which]
            share_u = u / (rows(region_total) - e_at + u)
            if variance == "nested":
                inside = rows(~x["peer"]) if x.get("peer") is not None else True
                share_u = share_u / np.where(inside, (rows(E_i) - e_at + u) / (rows(E) - e_at + u),
                                             rows(share_b))
            else:
                share_u = share_u / rows(share_b)
            upper = np.array(upper, dtype=np.float64)
            # never below the LQ itself: where the region holds most of its benchmark's
            # industry, a larger count raises the benchmark's share with the region's and the
            # LQ falls (a county alone in an industry: (E - e + u) / (R - e + u), below the
            # LQ for any u above e), and an estimated 0.48 jobs of LQ 215.5 had the interval
            # [209.9, 215.3], which holds no LQ the data give
            upper[at] = np.maximum(share_u, rows(lq))
        log_lq = np.where(lq > 0, np.log(lq), np.nan)
        # sd 0: the model leaves the LQ no room to vary (a region's all-industries row, LQ 1
        # by construction), so there is nothing to test; its last-digit rounding (1 - 1e-16
        # when the sums ran in another order) was 'significant' with p 0
        p = np.where(positive & (sd > 0), 2.0 * special.ndtr(-np.abs(log_lq) / sd), np.nan)
    return {"share_r": share_r, "share_b": share_b, "reason": reason, "lq": lq, "lower": lower,
            "upper": upper, "log_lq": log_lq, "p": p}


def _peers_of_benchmark(cells, bench: Benchmark, own=None):
    """Rows of regions at the benchmark region's own region level (counties beside a county):
    not contained in it, so their intervals take the independent form.  None when the levels
    are not known (the nested form is kept, as for a state and its counties).  ``own``: the
    benchmark region's levels in the whole table, for a part of it (which may not hold the
    region at all)."""
    if _REGION_LEVEL not in cells.columns:
        return None
    levels = cells.get_column(_REGION_LEVEL)
    if own is None:
        own = levels.filter(cells.get_column(schema.REGION) == bench.region).drop_nulls().unique()
    if own.len() != 1:
        return None
    peer = (levels == own[0]).fill_null(False).to_numpy()
    return peer if peer.any() else None


_Z_RTOL = 1e-10  # a group's sd at most this fraction of its mean (at least of 1) is rounding


def _group_z(g: _Groups, x, mask):
    """(x − mean) / sd within industry groups over rows in ``mask`` (sample sd, ddof 1), the
    regions of each region level apart."""
    import numpy as np

    ids, n = g.ids(*_IND, schema.REGION_LEVEL)
    # over every row, the rows outside ``mask`` weighing 0 (each group's sums take the same
    # values in the same order: + 0.0 changes no sum), and the deviations from the mean are
    # the z-scores' numerators: no copies of the rows in the mask (~0.05 s on 3 M cells)
    out = ~mask
    count = np.bincount(ids, minlength=n)
    if out.any():
        count -= np.bincount(ids[out], minlength=n)
    count = count.astype(np.float64)
    # two row-long arrays in all, each written over in place (z, and one for the gathers and
    # the squares): every new one is ~24 MB of fresh pages at 3 M cells, and the kernel's
    # zeroing of them cost as much as the arithmetic (np.take gathers as x[ids] does)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # (an LQ of 4e302 squared)
        z = np.where(mask, x, 0.0)
        mean = np.bincount(ids, weights=z, minlength=n) / count
        work = np.take(mean, ids)
        np.subtract(x, work, out=z)
        np.multiply(z, z, out=work)
        work[out] = 0.0
        sd = np.sqrt(np.bincount(ids, weights=work, minlength=n) / (count - 1))
        # a group of fewer than two rows or no spread has no z: NaN through its sd, so the
        # rows take one gather of mean and one of sd, and no per-row test of the group
        # (a spread within rounding of the mean -- LQs of 1 that differ in their last digits,
        # as the all-industries rows' do -- is none: standardised, it made z-scores of +-0.95)
        sd[~((count >= 2) & (sd > _Z_RTOL * np.maximum(np.abs(mean), 1.0)))] = np.nan
        # (mode 'clip' for ids known to be in range: with 'raise' numpy buffers ``out``)
        z /= np.take(sd, ids, out=work, mode="clip")
    del work
    z[out] = np.nan
    return z


def _count_rows(g: _Groups, measures) -> Any:
    """Per row, whether its measure is a count (an interval is computed): a lookup of the
    measure's code (``measures``: the codes' values), not a compare of the text column
    (~0.04 s on 3 M cells)."""
    import numpy as np

    is_count = np.array([m in COUNT_MEASURES for m in measures], dtype=bool)
    if MEASURE not in g.codes:  # one measure throughout
        return np.full(g.n, bool(is_count[0]) if is_count.size else False)
    return is_count[g.codes[MEASURE]]


def _reference_rows(options: LQOptions, measures: list[str]):
    """The external reference as joined onto the cells: ``(ref, its keys with the measure,
    its own key columns, shares_only)``; a reference without a measure column is the first
    measure's."""
    import polars as pl

    bench = options.benchmark
    ref, keys, shares_only = normalise_reference(bench.table, measures, options.denominator,
                                                 bench.label)
    ref = ref.collect() if isinstance(ref, pl.LazyFrame) else ref
    given = list(keys)  # the reference's own key columns
    if MEASURE not in keys:
        ref = ref.with_columns(pl.lit(measures[0]).alias(MEASURE))
        keys = keys + [MEASURE]
    return ref, keys, given, shares_only


def _reference_frame(cells, options: LQOptions, measures: list[str], check_overlap: bool = True):
    """Join the external reference onto the cells; returns (frame, shares_only).
    ``check_overlap``: refuse a reference that shares no period, code ... with the cells (a
    part of a table computed in parts is checked with the whole table instead)."""
    bench = options.benchmark
    ref, keys, given, shares_only = _reference_rows(options, measures)
    on = keys + [schema.INDUSTRY]
    if check_overlap:
        _check_reference_overlap(cells, ref, keys, bench.label)
    cells = cells.join(ref, on=on, how="left", coalesce=True, maintain_order="left")
    if not shares_only:
        _check_one_benchmark_total(cells, given, bench.label)
    return cells, shares_only


def _check_one_benchmark_total(cells, keys, label) -> None:
    """The industries of one code level are compared with one benchmark total E: a reference
    table giving industry 11 a ``benchmark_total`` of 900 beside 1,000 for its siblings (a total
    copied from another year or ownership) gave 11's LQs against another economy, 1.44 for
    1.6, without a word.  Refused, naming both rows."""
    import polars as pl

    group = [k for k in (MEASURE, schema.PERIOD, schema.OWNERSHIP) if k in cells.columns]
    group.append(schema.LEVEL)
    total = pl.col(BENCHMARK_TOTAL)
    spread = (cells.lazy().filter(total.is_not_null())
              .group_by(group)
              .agg(total.min().alias("__lo"), total.max().alias("__hi"),
                   pl.col(schema.INDUSTRY).sort_by(total, schema.INDUSTRY).first().alias("__a"),
                   pl.col(schema.INDUSTRY).sort_by(total, schema.INDUSTRY).last().alias("__b"))
              .filter(pl.col("__hi") > pl.col("__lo") * (1 + 1e-6))
              .sort(group).limit(1).collect())
    if not spread.height:
        return
    row = spread.row(0, named=True)
    where = ", ".join(f"{k}={row[k]}" for k in group if k in keys)
    at = f" ({where})" if where else ""
    cell = {k: row[k] for k in keys}

    def line_of(industry):
        lines = _reference_lines(label, {**cell, schema.INDUSTRY: industry})
        return lines[0] if len(lines) == 1 else None

    line_a, line_b = line_of(row["__a"]), line_of(row["__b"])
    raise DataError(problems=[Problem(
        f"the reference table gives industries of one code level different benchmark totals"
        f"{at}", path=label, line=line_a, column=BENCHMARK_TOTAL,
        expected="one benchmark_total for every industry of a period, ownership, measure and "
                 "code level",
        found=f"{row['__lo']:g} for industry {row['__a']}, {row['__hi']:g} for industry "
              f"{row['__b']}" + (f" on line {line_b}" if line_b else "")
              + f" (level {row[schema.LEVEL]})", clip=False,
        hint="benchmark_total is the benchmark's all-industry total, the same on every row")])


def _check_reference_overlap(cells, ref, keys, label) -> None:
    """A reference that shares no period (or no industry code) with the input gives no LQ at
    all: every row 'no benchmark', exit 0.  Said at once, with what each side holds."""

    def shown(values) -> str:
        values = sorted(str(v) for v in values)
        return ", ".join(values[:6]) + (f" ... ({len(values)})" if len(values) > 6 else "")

    checks = [(schema.INDUSTRY, "industry code")]
    if schema.PERIOD in keys:
        checks.insert(0, (schema.PERIOD, "period"))
    # an ownership or measure column spelt otherwise than the input's ('private' vs QCEW's
    # '5') matched nothing either: every LQ 'no benchmark', exit 0
    for col, what in ((schema.OWNERSHIP, "ownership"), (MEASURE, "measure")):
        if col in keys:
            checks.insert(0, (col, what))
    hints = {schema.PERIOD: "give a benchmark for the same periods and classification",
             schema.OWNERSHIP: "name the ownerships as the input does (total, private, ...), "
                               "or leave the ownership column out",
             MEASURE: "name the measures as the input does (" + ", ".join(schema.MEASURES)
                      + "), or leave the measure column out"}
    for col, what in checks:
        mine = set(cells.get_column(col).unique().to_list())
        theirs = set(ref.get_column(col).unique().to_list())
        if col == schema.INDUSTRY:
            # the all-industries row is no code of a classification (and a benchmark table of
            # industries alone is given one, _with_all_industries_row): NAICS shares against a
            # NACE table share it and nothing else
            mine.discard(schema.ALL_INDUSTRIES)
            theirs.discard(schema.ALL_INDUSTRIES)
        if mine and theirs and not mine & theirs:
            raise UsageError(problems=[Problem(
                f"the benchmark shares no {what} with the input, so no LQ could be computed",
                path=label, column=col, expected=shown(mine), found=shown(theirs),
                hint=hints.get(col, "give a benchmark in the input's classification"))])


def _wanted_checks(cells, options: LQOptions) -> str | None:
    """Refuse an --level or --ownership the table does not hold; the note on periods it
    leaves empty (or None).  ``cells``: the table, or only its distinct (period, region,
    ownership, level) rows -- the checks look at no other column, so a table computed in
    parts (:func:`compute_lq_parts`) is checked once, as a whole."""
    import polars as pl

    # an --level or --ownership the table does not hold would give an empty table that looks
    # like an answer
    for option, column, wanted in (("level", schema.LEVEL, [options.level]
                                    if options.level is not None else None),
                                   ("ownership", schema.OWNERSHIP, options.ownership)):
        if wanted:
            have = cells[column].unique().drop_nulls().sort().to_list()
            absent = [w for w in wanted if w not in have]
            if absent and column == schema.LEVEL and not have:
                # a custom classification: 'it has ' and nothing after it
                raise UsageError(f"level {absent[0]!r}: the industry codes have no level (a "
                                 "custom classification, every row an industry of its own); "
                                 "leave --level out")
            if absent:
                # finer codes only (6 digits, --level 4): ingest rolls them up
                # (never for a negative level: `ingest --level -1` is no command)
                finer = (column == schema.LEVEL and absent[0] >= 0
                         and any(v > absent[0] for v in have))
                raise UsageError(f"{option} {absent[0]!r} is not in the input; it has "
                                 + ", ".join(str(v) for v in have)
                                 + (f"; roll the codes up first with `clusterid ingest INPUT "
                                    f"--level {absent[0]} -o TABLE`" if finer else ""))
    level_notes = []
    for column, wanted, what in (
            (schema.LEVEL, [options.level] if options.level is not None else None,
             f"no industry codes of level {options.level}"),
            (schema.OWNERSHIP, options.ownership,
             f"no rows of ownership {', '.join(options.ownership or ())}")):
        # a period without codes of that level (a year's table rolled up to 3 digits beside
        # 6-digit ones) or of that ownership (read with total only): its rows all fell to the
        # filter, the period gone unsaid
        if not wanted:
            continue
        at = set(cells.filter(pl.col(column).is_in(list(wanted)))
                 .get_column(schema.PERIOD).unique().to_list())
        bare = sorted(p for p in cells.get_column(schema.PERIOD).unique().to_list()
                      if p not in at)
        if bare:
            level_notes.append(f"period{'s' if len(bare) > 1 else ''} {', '.join(bare[:6])}"
                               f"{' ...' if len(bare) > 6 else ''} left out: {what} there")
    return "; ".join(level_notes) or None


def compute_lq(frame, options: LQOptions | None = None, *, part: bool = False,
               tier: bool | None = None, bounds: bool | None = None,
               distinct: list | None = None, ref_measures: list[str] | None = None,
               bench_levels=None, coded: dict | None = None):
    """Location quotients of a canonical table.

    Parameters
    ----------
    frame : polars.LazyFrame or DataFrame
        A canonical table (see :mod:`clusterid.schema`): keys, ``level``, measures with
        ``<measure>_status`` (a null value without a status counts as suppressed).
    options : LQOptions
        Benchmark, denominator, level, ownership, threshold, confidence, correction, bootstrap.
    part : bool
        ``frame`` is one part (measure, period) of a table computed in parts by
        :func:`compute_lq_parts`, which checks --level and --ownership on the whole table: here
        they are not checked again, a part they leave empty is an empty result, and the
        metadata's ``note_kinds`` names what each note is about, for the merge.
    tier : bool, optional
        Whether the output carries ``region_level``; by default when some row of ``frame``
        has one (a part follows the whole table, so that every part has the same columns).
    bounds : bool, optional
        Whether the output carries the bound columns (``lq_bound_lower``, ``lq_bound_upper``,
        ``specialised_robust``); by default when some cell of ``frame`` has a bound (a part
        follows the whole table, as for ``tier``).
    distinct : list, optional
        The whole table's industry codes, for a part: which codes are an aggregate's parts
        (the note on regions listing an aggregate without them) is decided on them.
    bench_levels : polars.Series, optional
        The benchmark region's region levels in the whole table, for a part (which may not
        hold the region): its peers are the rows of that level.
    ref_measures : list of str, optional
        The whole table's measures, for a part: an external reference without a measure
        column is the first measure's, as for the whole table (not the part's own measure).
    coded : dict, optional
        Filled, when given, with Enum columns holding the same text as the output's text
        columns that the integer key codes make cheaply (keys, measure, lq_reason; see
        :func:`_coded_text`), for a Parquet writer (:func:`clusterid.io.tables.write_frame`
        writes them as the text they hold); the returned frame keeps its text columns.

    Returns
    -------
    (polars.DataFrame, dict)
        The LQ table, sorted by measure (canonical order) then the keys, and a metadata dict
        describing exactly what was computed (benchmark, denominator, interval, counts).

    Raises
    ------
    UsageError
        Options that do not fit the input (unknown measure, benchmark region not in the input).
    DataError
        The input or reference table is not usable.
    """
    import polars as pl

    options = options or LQOptions()
    options.validate()
    lf = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    source = lf  # the table as given (the notes look at what --suppressed impute would see)
    names = lf.collect_schema().names()
    missing_keys = [k for k in schema.KEYS if k not in names]
    if missing_keys:
        raise DataError(problems=[Problem("not a canonical table", expected="columns "
                                          + ", ".join(schema.KEYS),
                                          found="missing " + ", ".join(missing_keys))])
    present = schema.measures_in(names)
    if options.measures is None:
        measures = present
    else:
        measures = [m for m in schema.MEASURES if m in options.measures]
        absent = [m for m in measures if m not in present]
        if absent:
            raise UsageError(f"measure {absent[0]!r} is not in the input; it has "
                             + (", ".join(present) or "no measure"))
    if not measures:
        raise DataError(problems=[Problem("the table has no measure column",
                                          expected="one of " + ", ".join(schema.MEASURES))])
    bench = options.benchmark

    # kept in the reader's chunks (no rechunk: a copy of every column); the output frame is
    # assembled by _frame_of, which does not align them
    cells = _long_cells(lf, names, measures).collect()
    # numpy only now, after the read: lq's command imports it in a background thread meanwhile
    # (~0.1 s of start-up off the main thread)
    import numpy as np

    # the input's other columns are not needed any more: a frame ingested on the fly (a raw
    # file) is released here when the caller handed it over without keeping a reference
    del frame, lf
    cells, absent_note = _drop_absent_measures(cells)
    if bounds is None:
        has_bounds = (_LOWER_IN in cells.columns and cells[_LOWER_IN].null_count()
                      + cells[_UPPER_IN].null_count() < 2 * cells.height)
    else:
        has_bounds = bounds
        if has_bounds and _LOWER_IN not in cells.columns:
            cells = cells.with_columns(pl.lit(None, pl.Float64).alias(_LOWER_IN),
                                       pl.lit(None, pl.Float64).alias(_UPPER_IN))
    if not has_bounds and _LOWER_IN in cells.columns:
        cells = cells.drop(_LOWER_IN, _UPPER_IN)
    # each key's distinct values (code i is the i-th): the industries' are the codes an
    # aggregate's parts are sought among; with ``coded``, the output's text columns are made
    # from them
    categories: dict = {}
    cells = _encode(cells, measures, categories)
    if bench.kind == "region" and not part and not (cells[schema.REGION] == bench.region).any():
        # 'region:de1' for the table's 'DE1', as --ownership and --period match
        from dataclasses import replace

        from clusterid.core.indices import match_region

        regions = cells[schema.REGION].unique().drop_nulls().sort().to_list()
        region = match_region(bench.region, regions)
        if region is None:
            cols = [c for c in (schema.REGION, schema.REGION_NAME) if c in cells.columns]
            raise _region_not_in_input(bench.region, cells.select(cols).unique())
        bench = replace(bench, region=region)
        options = replace(options, benchmark=bench)
    level_note = None if part else _wanted_checks(cells, options)
    shares_only = False
    if bench.kind == "table":
        cells, shares_only = _reference_frame(cells, options, ref_measures or measures,
                                              check_overlap=not part)
    g = _Groups(cells)
    n = cells.height

    e = cells[VALUE].to_numpy().astype(np.float64, copy=False)
    valid = ~np.isnan(e)
    suppressed = (cells[STATUS] == schema.SUPPRESSED).fill_null(False).to_numpy()
    is_all = _all_industries(cells)
    own_total = (cells[schema.OWNERSHIP] == schema.OWNERSHIP_TOTAL).to_numpy()
    if options.denominator == "all-ownership" and not part and (
            have := _ownerships_without_total(cells, is_all, own_total)):
        # (a part is checked with the whole table, by compute_lq_parts)
        raise _no_all_ownership_total(have)
    denominator_note = None
    if options.denominator == "all-ownership":
        # a period whose table was read without the total ownership (a new year ingested with
        # --ownership private): every LQ of it 'no region total', with nothing said on stderr
        held = set(cells.filter(pl.Series(is_all & own_total)).get_column(schema.PERIOD)
                   .unique().to_list())
        bare = sorted(set(cells.get_column(schema.PERIOD).unique().to_list()) - held)
        denominator_note = _all_ownership_note(bare)
    alone_of: dict = {}
    overlap, overlap_codes, alone = _overlapping_aggregates(
        cells, g, distinct if distinct is not None else categories[schema.INDUSTRY].to_list(),
        alone_of)
    untold: dict = {}
    region_total, den_source, den_suppressed = _region_totals(
        g, e, valid, is_all, own_total, options.denominator, overlap, cells[schema.INDUSTRY],
        untold)
    untold_note = _untold_ranges_note(cells, untold)

    keep = np.ones(n, dtype=bool)
    bench_suppressed = np.zeros(n, dtype=bool)
    share_b = None
    spread = None
    subgroup_note = None
    bench_total_note = None
    outside_note = None
    if bench.kind in ("sum", "rest"):
        E_i, E, summed, n_totals = _sum_of_regions(g, e, valid, region_total, den_source,
                                                   options.denominator)
        if has_bounds:
            spread = _bounded_spread(g, cells, e, valid, region_total)
            spread["rest"] = bench.kind == "rest"
        if bench.kind == "rest":
            # (a region whose total is unknown is in neither sum, so nothing of it is taken
            # out: its published cell was, and the rest came out negative -- Box Elder's
            # 1,000 against the others' 700 gave a benchmark_industry_total of -300)
            E_i, E = E_i - np.where(np.isnan(region_total) & valid, 0.0, e), E - region_total
            # a rest made only of suppressed cells is unknown, not a measured 0 ('zero
            # benchmark'): Connecticut's private 1113 in 2016 Q2 beside Fairfield's 19
            counted = valid & ~np.isnan(region_total)  # the cells _sum_of_regions summed
            others = summed - counted
            hidden = _suppressed_beside(g, suppressed) - suppressed
            bench_suppressed = (others == 0) & (hidden > 0)
            E_i = np.where(bench_suppressed, np.nan, E_i)
            # a region alone at its level (or the only one whose total is known) has an empty
            # rest: no benchmark at all, its totals missing like any other undefined LQ's,
            # never a benchmark_total of 0.0 written as if measured
            empty = (n_totals - ~np.isnan(region_total)) <= 0
            E_i, E = np.where(empty, np.nan, E_i), np.where(empty, np.nan, E)
            del counted, others, hidden, empty
        elif (E_i == 0).any():
            # likewise a sum whose published cells are all 0 beside suppressed ones: QCEW's
            # Utah MSAs, private 336411 in 2016 Q1 (St. George publishes 0, Salt Lake City and
            # Ogden are suppressed) said 'zero benchmark', as if the MSAs had no such jobs
            # (grouped only when some benchmark is 0: ~0.1 s of a 3 M-cell table otherwise)
            bench_suppressed = (E_i == 0) & (_suppressed_beside(g, suppressed) > 0)
            E_i = np.where(bench_suppressed, np.nan, E_i)
        del summed, n_totals
        # QCEW's national subgroups (USCMS, USMSA, USNMS: the U.S. CSAs, MSAs and
        # non-metropolitan counties, each combined) overlap -- a CSA's counties are in MSAs too
        # -- so their sum is no benchmark: USMSA's LQs came out against 1.7 times the nation
        # (a compare of the text column, ~7 ms on 3 M cells; the mask only when some match)
        subgroup = (cells[_REGION_LEVEL] == schema.NATIONAL_SUBGROUP).fill_null(False) \
            if _REGION_LEVEL in cells.columns else None
        if subgroup is not None and subgroup.any():
            subgroup = subgroup.to_numpy()
            E_i, E = np.where(subgroup, np.nan, E_i), np.where(subgroup, np.nan, E)
            subgroup_note = ("QCEW's national subgroups (USCMS, USMSA, USNMS: the U.S. CSAs, "
                             "MSAs and non-metropolitan counties, each combined) overlap, so "
                             "their sum is no benchmark: their LQs are empty ('no benchmark'); "
                             "compare them with the nation: --benchmark region:US000 (or the "
                             "national file)")
    elif bench.kind == "region":
        is_bench = (cells[schema.REGION] == bench.region).to_numpy()
        E_i, E, bench_suppressed, bench_whole = _named_region(
            g, e, is_bench, suppressed, region_total,
            # (under all-ownership E is the total ownership's: no whole of a private level)
            is_all if options.denominator != "all-ownership" else None, den_suppressed)
        keep &= ~is_bench
        outside_note = _outside_benchmark_note(cells, bench.region, bench_levels)
        if bench_whole:
            bench_total_note = (
                f"the benchmark region {bench.region} has no all-industry row (industry "
                f"{schema.ALL_INDUSTRIES}): the other regions' all-industry rows are compared "
                f"with its whole, the sum of its industries at its coarsest level (as "
                f"--denominator total takes for a region without that row)")
    else:
        if shares_only:
            E_i = E = np.full(n, np.nan)
            share_b = cells[BENCHMARK_SHARE].to_numpy().astype(np.float64, copy=False)
        else:
            E_i = cells[BENCHMARK_INDUSTRY_TOTAL].to_numpy().astype(np.float64, copy=False)
            E = cells[BENCHMARK_TOTAL].to_numpy().astype(np.float64, copy=False)
        bench_suppressed = (cells[_BENCH_STATUS] == schema.SUPPRESSED).fill_null(False).to_numpy()
    if options.level is not None:
        keep &= (cells[schema.LEVEL] == options.level).fill_null(False).to_numpy()
    if options.ownership is not None:
        keep &= cells[schema.OWNERSHIP].is_in(list(options.ownership)).to_numpy()
    if n and not keep.any() and not part:
        # a header-only table with exit 0 looks like an answer
        raise UsageError(_nothing_left(cells, options))

    series: dict[str, Any] = {}

    def put(name, arr):
        series[name] = pl.Series(name, arr, dtype=pl.Float64, nan_to_null=True)

    # Arrays are turned into Series and dropped as soon as they are no longer needed: at
    # millions of rows each float array is tens of MB and peak memory is the sum of the live ones.
    special = special_functions()  # here, in one thread: _cell_ratios' workers use it too
    z = float(special.ndtri(1.0 - (1.0 - options.confidence) / 2.0))
    variance = "shares_only" if shares_only else "nested" if bench.kind in ("sum", "region") \
        else "independent"
    count_rows = _count_rows(g, categories[MEASURE])
    peer = _peers_of_benchmark(cells, bench, bench_levels) if bench.kind == "region" else None
    inputs = dict(e=e, region_total=region_total, E_i=E_i, E=E, share_b=share_b, valid=valid,
                  suppressed=suppressed, den_suppressed=den_suppressed,
                  bench_suppressed=bench_suppressed, count_rows=count_rows, peer=peer)
    out = _cell_ratios(inputs, z, variance, n)
    del inputs, suppressed, bench_suppressed, den_suppressed, count_rows, share_b
    n_peer = int(peer[keep].sum()) if peer is not None else 0
    del peer
    reason, lq, log_lq, p = out.pop("reason"), out.pop("lq"), out.pop("log_lq"), out.pop("p")
    ok = reason == 0
    put(REGION_SHARE, out.pop("share_r"))
    put(BENCHMARK_SHARE, out.pop("share_b"))
    put(REGION_TOTAL, region_total)
    put(BENCHMARK_INDUSTRY_TOTAL, E_i)
    put(BENCHMARK_TOTAL, E)
    del E_i, E
    put(LQ_LOWER, out.pop("lower"))
    put(LQ_UPPER, out.pop("upper"))
    del out

    # an area that is no place (unallocated) is in the benchmark sums but not among the regions
    # whose LQs are standardised (as detect leaves it out of the regional ranking)
    several_levels = g.several_levels
    lq_ok = ok & keep
    if several_levels:
        place = ~(cells[_REGION_LEVEL] == schema.UNALLOCATED).fill_null(False).to_numpy()
        lq_ok &= place
        log_lq = np.where(place, log_lq, np.nan)  # nor resampled by the bootstrap
        del place
    # one after the other in this thread: run side by side in two threads (numpy releases the
    # GIL) they took 0.31 s against 0.11 s, each new thread's arrays faulted in afresh from
    # its own malloc arena (3 M cells)
    put(SLQ, _group_z(g, lq, lq_ok))
    put(LOG_SLQ, _group_z(g, log_lq, lq_ok & (lq > 0)))
    alpha = 1.0 - options.confidence
    tested = keep & ~np.isnan(p)
    significant = _correct(g, p, tested, alpha, options.correction)
    put(P_VALUE, p)
    specialised = lq >= options.threshold
    put(LQ, lq)
    den_counts = _denominator_counts(g, den_source, keep)
    over_groups = _over_total(g, cells, e, valid & ~overlap, region_total, den_source, is_all,
                              keep)
    over = _over_total_note(over_groups)
    summed = (_few_industries_note(cells, g, keep & (den_source == 1), (is_all & own_total).any())
              if options.denominator == "total" else None)
    # a part's rows for the notes that count the whole table (its industries summed, its
    # regions alone at a level): the merge of the parts takes them of the union
    whole_notes = {}
    if part and options.denominator == "total" and (den_source == 1).any():
        whole_notes["summed"] = (cells.filter(pl.Series(keep & (den_source == 1)))
                                 .select(schema.OWNERSHIP, schema.LEVEL, schema.INDUSTRY).unique(),
                                 bool((is_all & own_total).any()))
    if overlap_codes and (den_source == 1).any():  # a sum of a level's industries was taken
        den_counts["sum_leaves_out"] = dict(sorted(overlap_codes.items()))
    if part and _REGION_LEVEL in cells.columns:
        whole_notes["lone"] = (_lone_level_pairs(cells, keep, g),
                               cells.get_column(_REGION_LEVEL).unique().to_list())
    if part:
        whole_notes["alone"] = alone_of
    del p, lq, lq_ok, g

    if has_bounds:
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(region_total > 0, 1.0 / (region_total * series[BENCHMARK_SHARE]
                                                       .fill_null(np.nan).to_numpy()), np.nan)
            lq_lo = cells[_LOWER_IN].to_numpy().astype(np.float64) * scale
            lq_hi = cells[_UPPER_IN].to_numpy().astype(np.float64) * scale
            if spread is not None:  # the benchmark holds the bounded cells too
                lq_lo, lq_hi, free = _spread_bounds(spread, cells, region_total, lq_lo, lq_hi,
                                                    series)
            put(LQ_BOUND_LOWER, lq_lo)
            put(LQ_BOUND_UPPER, lq_hi)
        reported = _published(cells)
        if spread is not None:  # a published cell whose benchmark is uncertain: by its bounds
            reported &= ~free
        robust, robust_na = _robust_call(series[LQ].to_numpy(), lq_lo, lq_hi,
                                         options.threshold, reported)
        del lq_lo, lq_hi
    del region_total, e
    lone = (_lone_level_note(cells, keep, bench.kind)
            if bench.kind in ("sum", "rest") and several_levels else None)
    labels = [c for c in (schema.REGION_NAME, schema.INDUSTRY_NAME) if c in cells.columns]
    # the region's level (county, state, msa) where the input gives one: the sums and the SLQ
    # are taken within it, and counties, MSAs and their state share an output otherwise told
    # apart only by their codes.  A canonical table always has the column; left empty (a
    # table of regions of one kind) it says nothing and is not written
    if tier is None:
        tier = _REGION_LEVEL in cells.columns and cells[_REGION_LEVEL].null_count() < cells.height
    tier = [schema.REGION_LEVEL] if tier and _REGION_LEVEL in cells.columns else []
    base = [*schema.KEYS, schema.LEVEL, *labels, *tier, MEASURE, VALUE, STATUS]
    df = cells.select(*(pl.col(_REGION_LEVEL).alias(c) if c == schema.REGION_LEVEL else pl.col(c)
                        for c in base),
                      _SORT_KEY, *[c for c in cells.columns if c.startswith(_CODE)],
                      *([_REGION_LEVEL] if options.bootstrap and _REGION_LEVEL in cells.columns
                        else []))
    del cells
    df = df.with_columns(
        *series.values(),
        _masked_bool(SPECIALISED, specialised, ~ok),
        _masked_bool(SIGNIFICANT, significant, ~tested),
        *([_masked_bool(SPECIALISED_ROBUST, robust, robust_na)] if has_bounds else []),
        _reason_series(reason, _REASONS),
        pl.Series(_LOG_LQ, log_lq, nan_to_null=True),
        *([pl.Series(_REASON_CODE, reason, dtype=pl.Int8)] if coded is not None else []),
    )
    del series, specialised, significant, reason, den_source, log_lq, tested
    if not keep.all():
        df = df.filter(pl.Series(keep))

    bootstrap_meta = None
    if options.bootstrap:
        df, bootstrap_meta = _bootstrap_slq(df, options)
    if schema.EMPLOYMENT in measures and schema.OUTPUT in measures:
        emp = df.filter(pl.col(MEASURE) == schema.EMPLOYMENT).select(
            *schema.KEYS, pl.col(LQ).alias("__lq_emp"))
        df = df.join(emp, on=list(schema.KEYS), how="left", maintain_order="left").with_columns(
            pl.when((pl.col(MEASURE) == schema.OUTPUT) & (pl.col("__lq_emp") > 0))
            .then(pl.col(LQ) / pl.col("__lq_emp")).alias(RELATIVE_PRODUCTIVITY)
        ).drop("__lq_emp")

    columns_out = [*base, REGION_TOTAL, BENCHMARK_INDUSTRY_TOTAL, BENCHMARK_TOTAL, REGION_SHARE,
                   BENCHMARK_SHARE, LQ, LQ_LOWER, LQ_UPPER, P_VALUE, SLQ, LOG_SLQ, SPECIALISED,
                   SIGNIFICANT, LQ_REASON]
    for extra in (LQ_BOUND_LOWER, LQ_BOUND_UPPER, SPECIALISED_ROBUST, LOG_SLQ_CRITICAL,
                  SLQ_SIGNIFICANT, RELATIVE_PRODUCTIVITY):
        if extra in df.columns:
            columns_out.append(extra)
    # canonical inputs arrive sorted: the sort is then skipped
    if not df[_SORT_KEY].is_sorted():
        df = df.sort(_SORT_KEY)
    if coded is not None:
        coded.update(_coded_text(df, categories, [c for c in columns_out
                                                  if df.schema[c] == pl.String]))
    df = _frame_of(df, columns_out)

    meta = _metadata(df, options, measures, shares_only, den_counts, z, bootstrap_meta,
                     has_bounds)
    if n_peer:
        meta["interval"]["peer_rows"] = n_peer
        meta["interval"]["variance_peers"] = (
            "1/e_ij - 1/e_j + 1/E_i - 1/E for regions at the benchmark region's own region "
            "level (beside it, not inside it)")
    hidden_counts = (_suppressed_in_benchmark(df, every=part) if bench.kind in ("sum", "rest")
                     else None)
    if (hidden_counts and schema.EMPLOYMENT in hidden_counts["cells"]
            and options.suppressed != "impute"):
        hidden_counts["fillable"] = impute_could_fill(source)
    left_out = _suppressed_in_benchmark_note(hidden_counts, options.suppressed)
    said = [(k, n) for k, n in zip(_NOTE_KINDS, (absent_note, level_note, denominator_note,
                                                 lone, subgroup_note, outside_note,
                                                 bench_total_note, untold_note,
                                                 _unplaced_note(df), summed,
                                                 over, left_out, alone)) if n]
    if said:
        meta["notes"] = [n for _k, n in said]
        if part:
            meta["note_kinds"] = [k for k, _n in said]
    if part:  # counts the merge of the parts adds up, taken out of the metadata by it
        meta["hidden_counts"] = hidden_counts
        meta["over_groups"] = over_groups
        whole_notes["unplaced"] = _unplaced(df)
        meta["whole_notes"] = whole_notes
    return df, meta



# A table of more cells than this (rows x measures) and of several measures or periods is
# computed one (measure, period) at a time: a whole table holds ~380 bytes a cell at its peak
# (3 M cells: 1.15 GB), so a seven-year county panel of 63 M cells was killed for memory on a
# 24 GB machine.  A fixed number, not the machine's memory: the same input gives the same
# output (and metadata) everywhere.
PART_CELLS = 10_000_000
_NOTE_KINDS = ("absent", "level", "denominator", "lone", "subgroup", "outside", "bench_total",
               "untold", "unplaced", "summed", "over", "left_out", "alone")


def plan_parts(frame, options: LQOptions | None = None) -> list[tuple[str, str]] | None:
    """The (measure, period) parts to compute ``frame`` in, in output order, or None to compute
    it whole: a table of more than :data:`PART_CELLS` cells with more than one part, without
    bootstrap or imputation and without both output and employment (whose productivity ratio
    pairs the two measures).  Counting the rows
    reads a Parquet table's footer only."""
    import polars as pl

    options = options or LQOptions()
    if options.bootstrap or options.suppressed != "drop":
        return None
    lf = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    names = lf.collect_schema().names()
    if any(k not in names for k in schema.KEYS):
        return None  # compute_lq says what is missing
    present = schema.measures_in(names)
    measures = [m for m in present if options.measures is None or m in options.measures]
    if not measures or (schema.EMPLOYMENT in measures and schema.OUTPUT in measures):
        return None
    if lf.select(pl.len()).collect().item() * len(measures) <= PART_CELLS:
        return None
    periods = sorted(lf.select(pl.col(schema.PERIOD).unique()).collect().to_series()
                     .drop_nulls().to_list())
    parts = [(m, p) for m in measures for p in periods]
    return parts if len(parts) > 1 else None


def compute_lq_parts(frame, options: LQOptions, parts: list[tuple[str, str]], out: dict):
    """Yield the LQ table of ``frame`` one part (measure, period) at a time, in the order
    :func:`compute_lq` sorts the whole table, with the same rows and values (every sum, share
    and standardisation is within one measure and period).  Memory holds one part.

    --level and --ownership are checked on the whole table first (its distinct period, region,
    ownership and level rows), with the whole table's errors and period note; a period they
    leave empty is skipped.  ``out`` is filled once the last part is computed: ``meta``, the
    metadata :func:`merge_part_metadata` makes of the parts'; ``kept``, the distinct (period,
    region, ownership, level) rows of the table that the options keep (what the whole output's
    rows are made of, for the notes a caller draws from them).  A Parquet table is read for
    each part's period only (its row groups carry the period's range); a CSV once per part.
    """
    import polars as pl
    from dataclasses import replace

    options.validate()
    lf = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    del frame
    names = lf.collect_schema().names()
    small = lf.select(schema.PERIOD, schema.REGION, schema.OWNERSHIP,
                      pl.col(schema.LEVEL) if schema.LEVEL in names
                      else pl.lit(None, pl.Int8).alias(schema.LEVEL)).unique().collect()
    level_note = _wanted_checks(small, options)
    denominator_note = None
    if options.denominator == "all-ownership":
        # the whole table's all-ownership totals, by period: refused without any, as computed
        # whole (a part without them, a year ingested with --ownership private, was refused on
        # its own, exit 2), and the periods without them said once
        level0 = ((pl.col(schema.LEVEL).fill_null(0) == 0) if schema.LEVEL in names
                  else pl.lit(True))
        held = lf.group_by(schema.PERIOD).agg(
            ((pl.col(schema.OWNERSHIP) == schema.OWNERSHIP_TOTAL)
             & (pl.col(schema.INDUSTRY) == schema.ALL_INDUSTRIES) & level0).any().alias("held")
        ).collect()
        if not held.get_column("held").any():
            raise _no_all_ownership_total(", ".join(
                small.get_column(schema.OWNERSHIP).unique().drop_nulls().sort().to_list()))
        denominator_note = _all_ownership_note(sorted(
            held.filter(~pl.col("held")).get_column(schema.PERIOD).to_list()))
    bench = options.benchmark
    if bench.kind == "region":
        # resolved (and refused) on the whole table's regions, as compute_lq does
        regions = small.get_column(schema.REGION).unique().drop_nulls().sort().to_list()
        if bench.region not in regions:
            from clusterid.core.indices import match_region

            region = match_region(bench.region, regions)
            if region is None:
                names = lf.collect_schema().names()
                cols = [c for c in (schema.REGION, schema.REGION_NAME) if c in names]
                raise _region_not_in_input(
                    bench.region, lf.select(cols).unique().collect())
            options = replace(options, benchmark=replace(bench, region=region))
            bench = options.benchmark
    kept = small
    if bench.kind == "region":
        kept = kept.filter(pl.col(schema.REGION) != bench.region)  # its own rows are left out
    if options.level is not None:
        kept = kept.filter(pl.col(schema.LEVEL) == options.level)
    if options.ownership is not None:
        kept = kept.filter(pl.col(schema.OWNERSHIP).is_in(list(options.ownership)))
    if kept.height == 0:
        raise UsageError(_nothing_left(small, options))
    periods = set(kept.get_column(schema.PERIOD).to_list())
    measures = list(dict.fromkeys(m for m, _p in parts))
    bench_levels = None
    if bench.kind == "region" and schema.REGION_LEVEL in names:
        bench_levels = (lf.filter(pl.col(schema.REGION) == bench.region)
                        .select(pl.col(schema.REGION_LEVEL).cast(pl.String).unique()).collect()
                        .to_series().drop_nulls())
    tier = (schema.REGION_LEVEL in names and lf.select(
        pl.col(schema.REGION_LEVEL).is_not_null().any()).collect().item())
    # the whole table's codes, among which an aggregate's parts are sought (K-N's K, L-N listed
    # in another year than K-N: computed whole, a region listing K-N alone is said)
    distinct = (lf.select(pl.col(schema.INDUSTRY).unique()).collect().to_series()
                .drop_nulls().to_list())
    if bench.kind == "table":
        # a reference sharing no period, code, ownership or measure with the whole table is
        # refused, as computed whole (one part's period missing from it is not)
        ref, keys, _given, _shares = _reference_rows(options, measures)
        _check_reference_overlap(_Distinct({
            schema.PERIOD: small.get_column(schema.PERIOD).unique(),
            schema.OWNERSHIP: small.get_column(schema.OWNERSHIP).unique(),
            schema.INDUSTRY: pl.Series(schema.INDUSTRY, distinct, dtype=pl.String),
            MEASURE: pl.Series(MEASURE, measures, dtype=pl.String)}), ref, keys, bench.label)
        del ref
    # so the bound columns, which the whole table has when any cell of a measure asked for has
    # a bound (a CBP panel: 2016's range letters, none in 2021): decided per part, the parts'
    # columns differed, the Parquet written was unreadable and the CSV ragged
    bound_cols = [c for m in dict.fromkeys(m for m, _p in parts)
                  if schema.lower_col(m) in names and schema.upper_col(m) in names
                  for c in (schema.lower_col(m), schema.upper_col(m))]
    bounds = bool(bound_cols) and lf.select(pl.any_horizontal(
        pl.col(c).is_not_null().any() for c in bound_cols)).collect().item()
    metas, absent = [], []
    for measure, period in parts:
        if period not in periods:
            continue  # said by the level note, as for the whole table
        try:
            df, part_meta = compute_lq(lf.filter(pl.col(schema.PERIOD) == period),
                                       replace(options, measures=(measure,)), part=True, tier=tier,
                                       bounds=bounds, distinct=distinct, ref_measures=measures,
                                       bench_levels=bench_levels)
        except _AbsentPart as exc:  # that period's table has no such column: said, as whole
            absent += exc.pairs
            continue
        metas.append((measure, period, part_meta))
        yield df
        del df
    absent.sort()
    if not metas:
        raise _AbsentPart(absent)
    out["meta"] = merge_part_metadata(metas, level_note, len(parts), options.suppressed,
                                      _absent_note(absent), options.benchmark.kind,
                                      denominator_note)
    out["kept"] = kept.sort(schema.PERIOD, schema.REGION, schema.OWNERSHIP, schema.LEVEL)


class _Distinct(dict):
    """A column's distinct values by name, read as a frame's columns are (``get_column``)."""

    def get_column(self, name):
        return self[name]


def merge_part_metadata(metas: list, level_note: str | None, n_parts: int,
                        suppressed: str = "drop", absent_note: str | None = None,
                        bench_kind: str = "sum",
                        denominator_note: str | None = None) -> dict[str, Any]:
    """The metadata of a table computed in parts, from each part's ``(measure, period, meta)``:
    what the whole table's would say -- counts summed, measures in their order -- and the notes
    once each: a note the parts word alike is said as it is; one whose words differ (it counts
    or names that part's cells) is said as the first part words it, with how many more parts
    have one (``lq --period P --measure M`` shows each).  ``computed_in_parts`` says so."""
    import copy

    import polars as pl

    merged = copy.deepcopy(metas[0][2])
    merged.pop("notes", None)
    merged.pop("note_kinds", None)
    measures = [m for m in schema.MEASURES if any(pm == m for pm, _p, _m in metas)]
    merged["measures"] = measures
    merged["interval"]["measures"] = [m for m in measures if m in COUNT_MEASURES]
    merged["interval"]["not_computed_for"] = [m for m in measures if m not in COUNT_MEASURES]
    # a region benchmark's peers (regions of its own level): counted over the parts
    peers = [m["interval"] for _pm, _p, m in metas if m["interval"].get("peer_rows")]
    merged["interval"].pop("peer_rows", None)
    merged["interval"].pop("variance_peers", None)
    if peers:
        merged["interval"]["peer_rows"] = sum(i["peer_rows"] for i in peers)
        merged["interval"]["variance_peers"] = peers[0]["variance_peers"]
    merged["rows"] = sum(m["rows"] for _pm, _p, m in metas)
    undefined: dict[str, int] = {}
    for _pm, _p, m in metas:
        for reason, count in m["undefined"].items():
            undefined[reason] = undefined.get(reason, 0) + count
    merged["undefined"] = dict(sorted(undefined.items()))
    if "suppressed_cells_left_out" in merged["benchmark"]:
        merged["benchmark"]["suppressed_cells_left_out"] = sum(
            m["benchmark"]["suppressed_cells_left_out"] for _pm, _p, m in metas)
    den = merged["denominator"]
    for key in ("region_groups_total_row", "region_groups_sum_of_industries",
                "region_groups_without_total"):
        den[key] = sum(m["denominator"][key] for _pm, _p, m in metas)
    leaves = {}
    for _pm, _p, m in metas:
        leaves.update(m["denominator"].get("sum_leaves_out", {}))
    if leaves:
        den["sum_leaves_out"] = dict(sorted(leaves.items()))
    merged.pop("hidden_counts", None)
    merged.pop("over_groups", None)
    merged.pop("whole_notes", None)
    # the notes that count the whole table's industries or regions, of the parts' rows
    summed_rows = [m["whole_notes"]["summed"] for _pm, _p, m in metas
                   if "summed" in m.get("whole_notes", {})]
    few_note = (_few_industries_note_of(pl.concat([r for r, _a in summed_rows]),
                                        any(a for _r, a in summed_rows)) if summed_rows else None)
    lone_rows = [m["whole_notes"]["lone"] for _pm, _p, m in metas
                 if "lone" in m.get("whole_notes", {})]
    # (as computed whole: said where the table holds several region levels, null one of them)
    several_levels = len({v for _r, levels in lone_rows for v in levels}) > 1
    lone_note = (_lone_level_note_of(pl.concat([r for r, _l in lone_rows]), bench_kind)
                 if lone_rows and several_levels and bench_kind in ("sum", "rest") else None)
    alone: dict[str, tuple] = {}
    unplaced, leveled = set(), False
    for _pm, _p, m in metas:
        for a, (parts, where) in m.get("whole_notes", {}).get("alone", {}).items():
            alone.setdefault(a, (parts, set()))[1].update(where)
        names, has_level = m.get("whole_notes", {}).get("unplaced", ([], False))
        unplaced.update(names)
        leveled |= has_level
    alone_note = _aggregate_alone_note(alone)
    unplaced_note = _unplaced_note_of(sorted(unplaced), leveled)
    hidden: dict[str, Any] = {"cells": {}, "short": 0, "every": 0}
    over: dict[str, Any] = {"n": 0, "shown": []}
    for _pm, _p, m in metas:
        part_hidden = m.get("hidden_counts") or {}
        for key, count in part_hidden.get("cells", {}).items():
            hidden["cells"][key] = hidden["cells"].get(key, 0) + count
        hidden["short"] += part_hidden.get("short", 0)
        hidden["every"] += part_hidden.get("every", 0)
        if "fillable" in part_hidden:  # any part with something to impute from
            hidden["fillable"] = hidden.get("fillable", False) or part_hidden["fillable"]
        if m.get("over_groups"):  # the first three groups of the parts in order, as whole
            over["n"] += m["over_groups"]["n"]
            over["shown"] += m["over_groups"]["shown"][:3 - len(over["shown"])]
    said: dict[str, list] = {}
    for measure, period, m in metas:
        for kind, text in zip(m.get("note_kinds", ()), m.get("notes", ())):
            said.setdefault(kind, []).append((measure, period, text))
    notes = []
    for kind in _NOTE_KINDS:
        if kind in ("absent", "level", "left_out", "over", "lone", "summed", "denominator",
                    "alone", "unplaced"):
            # said of the whole table
            text = (absent_note if kind == "absent" else level_note if kind == "level"
                    else denominator_note if kind == "denominator"
                    else alone_note if kind == "alone" else unplaced_note if kind == "unplaced"
                    else lone_note if kind == "lone" else few_note if kind == "summed"
                    else _over_total_note(over if over["n"] else None) if kind == "over"
                    else _suppressed_in_benchmark_note(hidden, suppressed))
            if text:
                notes.append(text)
            continue
        got = said.get(kind)
        if not got:
            continue
        texts = {t for _m, _p, t in got}
        if len(texts) == 1:
            notes.append(got[0][2])
        else:
            measure, period, text = got[0]
            notes.append(f"{measure}, {period}: {text} (likewise in {len(got) - 1} more of the "
                         f"{n_parts} parts; `lq --measure M --period P` shows each)")
    if notes:
        merged["notes"] = notes
    merged["computed_in_parts"] = {
        "by": ["measure", "period"], "parts": len(metas),
        "why": f"more than {PART_CELLS:,} cells (rows x measures): computed one part at a time "
               "to hold one part in memory; every value as computed whole"}
    return merged


def _over_total(g: _Groups, cells, e, summed, region_total, den_source, is_all,
                keep) -> dict[str, Any] | None:
    """Regions whose industries of a level add up to more than the all-industry total they are
    divided by (a NAICS sector range beside its sectors, a total of another scope): their
    region shares sum past 1 and every LQ of the level is too high -- a toy region of total 100
    listing 180 and 60 got LQ 9.9 with exit 0.  Said, as indices and stats say it; the rows
    summed are those a level's sum takes (``summed``: published, no overlapping aggregate).
    Returns how many region groups (``n``) and the first three (``shown``), or None; the text
    is :func:`_over_total_note`'s."""
    import numpy as np

    rows = keep & (den_source == 0) & ~is_all & ~np.isnan(region_total)
    if not rows.any():
        return None
    ids_l, n_l = g.ids(*_RL)
    level_sum = np.bincount(ids_l, weights=np.where(summed, e, 0.0), minlength=n_l)
    total = np.full(n_l, np.nan)
    total[ids_l[rows]] = region_total[rows]
    with np.errstate(invalid="ignore"):
        # imputed cells restore the adding-up to the solver's tolerance, not exactly: Utah's
        # private 6-digit cells under --suppressed impute summed to 124.000002 of 124 (1.6e-8),
        # named as "124 of 124"; an overlap double-counts whole sectors, far above this
        over = np.flatnonzero((total > 0) & (level_sum > total * (1 + 1e-6) + 1e-3))
    if not over.size:
        return None
    first = np.full(n_l, -1, dtype=np.int64)
    first[ids_l[rows][::-1]] = np.flatnonzero(rows)[::-1]  # a row of each group
    shown = []
    for gid in over[:3]:
        r = first[gid]
        what = ", ".join(str(cells[k][int(r)]) for k in (schema.REGION, MEASURE, schema.PERIOD,
                                                          schema.OWNERSHIP))
        level = cells[schema.LEVEL][int(r)]
        # custom codes have no level: 'their industries', not 'level None'
        shown.append(f"{what}, " + (f"level {level}" if level is not None else "its industries")
                     + f": {level_sum[gid]:,.6g} of {total[gid]:,.6g}")
    return {"n": int(over.size), "shown": shown}


def _over_total_note(over: dict | None) -> str | None:
    """The note on :func:`_over_total`'s region groups (None for none)."""
    if not over:
        return None
    n, shown = over["n"], over["shown"][:3]
    return (f"in {n} region group{'s' if n > 1 else ''} the industries of a level "
            f"add up to more than the all-industry total ({'; '.join(shown)}"
            f"{' ...' if n > 3 else ''}): some codes overlap (a NAICS sector range beside "
            "its sectors?) or the total is of another scope, so those regions' shares of the "
            "level sum past 1 and their LQs are too high")


def _drop_absent_measures(cells):
    """Rows of a measure in a period whose table has no such column: several canonical tables
    given as one input ('panel/*.parquet'), one year's without wages, gave that year a wages
    row per cell, each 'missing cell', where the year's table alone gives none (so
    ``--period 2017`` over the panel and over 2017's table differed).  Such a (measure, period)
    has no value and no status on any row; it is left out, and said.  Returns (cells, note)."""
    import polars as pl

    if not cells.get_column(STATUS).null_count():  # the usual table: every row has a status
        return cells, None
    absent = (cells.lazy().group_by(MEASURE, schema.PERIOD)
              .agg((pl.col(VALUE).is_null() & pl.col(STATUS).is_null()).all().alias("__none"))
              .filter(pl.col("__none")).sort(MEASURE, schema.PERIOD).collect())
    if not absent.height:
        return cells, None
    pairs = absent.select(MEASURE, schema.PERIOD).rows()
    cells = cells.join(absent.select(MEASURE, schema.PERIOD), on=[MEASURE, schema.PERIOD],
                       how="anti", maintain_order="left")
    if not cells.height:
        raise _AbsentPart(pairs)
    return cells, _absent_note(pairs)


class _AbsentPart(UsageError):
    """Every (measure, period) asked for is absent (see :func:`_drop_absent_measures`): an
    error for a table, a part left out (and said) for :func:`compute_lq_parts`."""

    def __init__(self, pairs: list) -> None:
        self.pairs = pairs
        super().__init__(f"no measure asked for is in the periods of the input ({_absent_said(pairs)}): "
                         "the tables of those periods have no such column")


def _absent_said(pairs: list) -> str:
    return "; ".join(f"{m} in {p}" for m, p in pairs[:6]) + (" ..." if len(pairs) > 6 else "")


def _absent_note(pairs: list) -> str | None:
    """The note on (measure, period) pairs left out as absent (sorted as measure, period)."""
    if not pairs:
        return None
    return (f"no rows for {_absent_said(pairs)}: the input's table of that period has no such "
            "column (several tables given as one input)")


FEW_INDUSTRIES = 3  # a region total summed from this many industries or fewer is said


def _few_industries_note(cells, g: _Groups, summed, has_all_ownership_total: bool) -> str | None:
    """--denominator total where a region has no all-industry row for the ownership: its
    total is the sum of its industries at the level, which from a file of a few industries (one
    of BLS's by-industry files beside the all-ownership totals) is no total of the region --
    with one industry every LQ is 1.  Said, not left to look like a finding."""
    import numpy as np
    import polars as pl

    if not summed.any():
        return None
    # the usual table (every row summed where it has no all-industry rows: 3 M cells) is told
    # apart on the integer codes: one bincount of (ownership, level, industry) ids, ~0.02 s (a
    # 2-D boolean scatter took ~0.1 s, a polars group-by over the rows ~0.25 s)
    n_own = g.sizes.get(schema.OWNERSHIP, 1)
    n_lvl, n_ind = g.sizes.get(schema.LEVEL, 1), g.sizes.get(schema.INDUSTRY, 1)
    every = bool(summed.all())
    key = np.zeros(g.n if every else int(summed.sum()), dtype=np.int64)
    for column, size in ((schema.OWNERSHIP, n_own), (schema.LEVEL, n_lvl), (schema.INDUSTRY, n_ind)):
        if column in g.codes:  # a key of one value has no code (and size 1)
            key *= size
            key += g.codes[column] if every else g.codes[column][summed]
    present = np.bincount(key, minlength=n_own * n_lvl * n_ind).reshape(n_own * n_lvl, n_ind) > 0
    n = present.sum(axis=1)
    if not ((n > 0) & (n <= FEW_INDUSTRIES)).any():
        return None
    return _few_industries_note_of(
        cells.filter(pl.Series(summed)).select(schema.OWNERSHIP, schema.LEVEL, schema.INDUSTRY),
        has_all_ownership_total)


def _few_industries_note_of(summed_rows, has_all_ownership_total: bool) -> str | None:
    """:func:`_few_industries_note`'s text from the (ownership, level, industry) rows whose
    region totals were summed (distinct or not: a table computed in parts hands the union of
    its parts' rows, so the note counts the whole table's industries, as computed whole)."""
    import polars as pl

    few = (summed_rows.group_by(schema.OWNERSHIP, schema.LEVEL)
           .agg(pl.col(schema.INDUSTRY).n_unique().alias("n"))
           .filter(pl.col("n") <= FEW_INDUSTRIES).sort(schema.OWNERSHIP, schema.LEVEL))
    if few.is_empty():
        return None
    # codes of no level (REAT's three unlettered activities) said so, not 'at level None'
    shown = ", ".join(f"{own} {'without a level' if lvl is None else f'at level {lvl}'}: {n}"
                      for own, lvl, n in few.head(4).iter_rows())
    return (f"no all-industry row (industry {schema.ALL_INDUSTRIES}) for some ownerships, so "
            f"region totals are sums of the industries of a level, and those are few ({shown}"
            + (" ..." if few.height > 4 else "") + "): such a total is not the region's economy "
            "(one industry: every LQ 1); add the all-industry rows"
            + (", or use --denominator all-ownership (the input has the all-ownership totals)"
               if has_all_ownership_total else ""))


def _lone_level_note(cells, keep, kind: str) -> str | None:
    """A region alone at its region level beside others (Utah's statewide file among its
    counties) is compared, under a sum-of-regions benchmark, with itself: every LQ 1 ('rest':
    none).  Said, not left to look like a finding."""
    if _REGION_LEVEL not in cells.columns:
        return None
    import polars as pl

    pairs = _lone_level_pairs(cells, keep)
    # a nation whose rows are its all-industry total alone (the Bureau's oblast table with the
    # republic's 'Всего' row): offered as --benchmark region:ID, it left every LQ empty
    nations = pairs.filter(pl.col(_REGION_LEVEL) == "nation").get_column(schema.REGION)
    bare = set()
    if nations.len():
        rows = cells.filter(pl.col(schema.REGION).is_in(nations.implode()))
        held = set(rows.filter(pl.col(schema.INDUSTRY) != schema.ALL_INDUSTRIES)
                   .get_column(schema.REGION).unique().to_list())
        bare = set(nations.to_list()) - held
    return _lone_level_note_of(pairs, kind, bare)


def _lone_level_pairs(cells, keep, g: _Groups | None = None):
    """The distinct (region level, region) of the rows ``keep`` keeps, an unallocated area at
    the counties' level (summed with them, _Groups): what :func:`_lone_level_note` is taken of.
    With ``g``, the rows' groups, a part's pairs are found on its integer codes (a unique over
    two text columns took 0.3 s of a 3 M-cell part)."""
    import numpy as np
    import polars as pl

    level = pl.col(_REGION_LEVEL).replace(schema.UNALLOCATED, _COUNTY)
    if g is None or schema.REGION not in g.codes:
        return cells.select(level, schema.REGION).filter(pl.Series(keep)).unique()
    # (without codes of its own the level, as _Groups reads it, is one throughout)
    key = g.codes[schema.REGION].astype(np.int64)
    if schema.REGION_LEVEL in g.codes:
        key = g.codes[schema.REGION_LEVEL] * g.sizes[schema.REGION] + key
    rows = np.flatnonzero(keep)
    first = np.full(int(key.max()) + 1 if key.size else 0, -1, dtype=np.int64)
    first[key[rows]] = rows  # a kept row of each key (any: they hold the same pair)
    return cells[np.sort(first[first >= 0])].select(level, schema.REGION)


def _lone_level_note_of(pairs, kind: str, bare=()) -> str | None:
    """:func:`_lone_level_note`'s text from :func:`_lone_level_pairs` (a table computed in
    parts hands the union of its parts' pairs, so a region is alone at its level in the whole
    table, as computed whole)."""
    import polars as pl

    pairs = (pairs.unique().group_by(_REGION_LEVEL).agg(pl.col(schema.REGION).sort())
             .sort(_REGION_LEVEL))
    if pairs.height < 2:
        return None
    lone = [(lvl, regions[0]) for lvl, regions in pairs.iter_rows() if len(regions) == 1]
    if not lone:
        return None
    shown = ", ".join(f"{region} ({lvl or 'no level'})" for lvl, region in lone)
    what = "every LQ is 1" if kind == "sum" else "its rest is empty, every LQ undefined"
    # a country's row kept above its regions (ingest --keep-region-totals): the regions'
    # benchmark is their own sum; the published country is the other benchmark on offer
    import shlex

    nations = [region for lvl, region in lone if lvl == "nation"]
    also = (f" (or compare the regions with it: --benchmark {shlex.quote('region:' + nations[0])})"
            if len(nations) == 1 and nations[0] not in bare else
            f" ({nations[0]} has only its all-industry row, so it is no benchmark of "
            "industries: a reference FILE of its industries is)" if len(nations) == 1 else "")
    return (f"alone at its region level, so its sum-of-regions benchmark is itself and {what}: "
            f"{shown}; compare it with --benchmark region:ID or a reference FILE{also}")


def _nothing_left(cells, options: LQOptions) -> str:
    """Why no row of the input is left for the output (each option alone matched some)."""
    import polars as pl

    bench = options.benchmark
    others = cells.filter(pl.col(schema.REGION) != bench.region) if bench.kind == "region" \
        else cells
    if others.height == 0:
        return (f"benchmark region {bench.region!r} is the only region of the input and its own "
                "rows are left out, so there is no LQ to compute; give the regions to compare "
                "with it, or use --benchmark sum")
    if bench.kind == "region":
        where = f"the regions other than the benchmark {bench.region}"
    else:
        where = "the input"
    parts = []
    if options.level is not None:
        parts.append(f"--level {options.level}")
    if options.ownership is not None:
        parts.append("--ownership " + ", ".join(options.ownership))
    if options.level is not None and options.ownership is not None:
        have = (others.filter(pl.col(schema.OWNERSHIP).is_in(list(options.ownership)))
                .get_column(schema.LEVEL).unique().drop_nulls().sort().to_list())
        found = f"; those ownerships have level(s) {', '.join(str(v) for v in have) or 'none'}"
    else:
        found = ""
    return f"{' with '.join(parts)} selects no row of {where}{found}"


def _suppressed_in_benchmark(df, every: bool = False) -> dict[str, Any] | None:
    """The suppressed cells of an LQ table (reason 'suppressed cell'): how many of each
    measure, and of how many industry totals (measure, period, ownership, industry) they leave
    some out; None when there is none (``every``: the counts all the same, a part's industry
    totals counted for the sum over parts).  Counts that add up over parts (measure, period)."""
    import polars as pl

    # on the columns alone: a filter or select of the whole frame would first copy its key
    # columns, held in the reader's chunks, into one chunk each (+0.3 GB at 3 M cells)
    hidden = (df.get_column(LQ_REASON) == REASON_SUPPRESSED).fill_null(False)
    if REGION_TOTAL in df.columns:
        # a region whose total is unknown (suppressed, or a sum short of a suppressed cell) is
        # out of the benchmark whole, its suppressed cells with it: they shorten no E_i
        hidden = hidden & df.get_column(REGION_TOTAL).is_not_null()
    if not every and not hidden.any():
        return None
    # per region level, as the sum benchmark is (a state beside its counties)
    groups = [c for c in (MEASURE, schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY,
                          schema.REGION_LEVEL) if c in df.columns]
    keys = pl.DataFrame([df.get_column(c).rechunk() for c in groups])
    # an industry total none of whose cells is published gives no LQ at all (a measure not
    # collected in a period, wages in 2018 only empty; a period withheld whole): its cells
    # make no LQ 'too high' and are not counted here (they were, as 12 of 12 cells)
    # (nor one whose benchmark is already withheld, 'suppressed benchmark'): only those
    # with an LQ computed over the short sum
    has_lq = (df.get_column(LQ).is_not_null() if LQ in df.columns else ~hidden)
    per_group = (keys.with_columns(hidden.alias("_hidden"), has_lq.alias("_lq"))
                 .group_by(groups).agg(pl.col("_hidden").sum().alias("_n"),
                                       pl.col("_lq").sum().alias("_k")))
    short = per_group.filter((pl.col("_n") > 0) & (pl.col("_k") > 0))
    per = short.group_by(MEASURE).agg(pl.col("_n").sum())
    return {"cells": {m: int(n) for m, n in zip(per.get_column(MEASURE).to_list(),
                                                per.get_column("_n").to_list()) if n},
            "short": short.height, "every": per_group.height}


def impute_could_fill(frame) -> bool:
    """Whether ``--suppressed impute`` has anything to fill a suppressed employment cell of
    the canonical table ``frame`` with (:mod:`clusterid.core.bounds`, :func:`impute.impute`):
    an establishment count on one, a bound of its own (a size range), or a published figure
    above one -- a coarser code of its period, region and ownership (the all-industry row), or
    its code at another region level (a state row above its counties).  False where none is
    there: the imputation then leaves every such cell suppressed, and lq's notes say so rather
    than suggest it.  Checked in that order, each a scan of a few columns."""
    import polars as pl

    lf = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    names = lf.collect_schema().names()
    e, status = schema.EMPLOYMENT, schema.status_col(schema.EMPLOYMENT)
    if e not in names:
        return False
    hid = pl.col(e).is_null()
    if status in names:
        hid = hid | (pl.col(status) == schema.SUPPRESSED).fill_null(False)
    own = [c for c in (schema.ESTABLISHMENTS, schema.upper_col(e)) if c in names]
    if own:
        checks = [(hid & (pl.col(c).fill_null(0) > 0)).any().alias(f"_{i}") for i, c in enumerate(own)]
        if any(lf.select(checks).collect().row(0)):
            return True
    keys = [c for c in (schema.PERIOD, schema.REGION, schema.OWNERSHIP) if c in names]
    if schema.LEVEL in names:
        above = (lf.group_by(keys).agg(pl.col(schema.LEVEL).filter(hid).max().alias("_h"),
                                       pl.col(schema.LEVEL).filter(~hid).min().alias("_p"))
                 .select((pl.col("_p") < pl.col("_h")).fill_null(False).any()).collect().item())
        if above:
            return True
    if schema.REGION_LEVEL in names:
        keys = [c for c in (schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY) if c in names]
        return bool(lf.group_by(keys).agg(
            hid.any().alias("_h"), (~hid).any().alias("_p"),
            pl.col(schema.REGION_LEVEL).n_unique().alias("_n"))
            .select((pl.col("_h") & pl.col("_p") & (pl.col("_n") > 1)).any()).collect().item())
    return False


def _suppressed_in_benchmark_note(hidden: dict | None, suppressed: str = "drop") -> str | None:
    """A benchmark summed over the input's regions (``sum``, ``rest``) has its industry totals
    E_i short of every suppressed cell, while E counts the regions' whole totals: those
    industries' LQs come out too high (at county detail, where most cells are suppressed, by a
    factor of several).  Said on stderr, not only in the metadata, with the cells of each
    measure and what would fill them: ``--suppressed impute`` fills employment only (and
    leaves a cell without a finite bound or an establishment count), ``clusterid impute``
    every measure.  ``hidden``: :func:`_suppressed_in_benchmark`'s counts."""
    if not hidden or not hidden["cells"]:
        return None
    counts, short, every = hidden["cells"], hidden["short"], hidden["every"]
    n_hidden = sum(counts.values())
    measures = [m for m in schema.MEASURES if m in counts]
    hints = []
    if schema.EMPLOYMENT in counts:
        # (--suppressed impute suggested only where it has something to fill them with: a
        # table without establishment counts or any published total above its cells was told
        # to run it, which then left every cell suppressed)
        hints.append("the employment ones could not be imputed (no finite bound, no "
                     "establishment count)" if suppressed == "impute" else
                     "--suppressed impute fills the employment cells first"
                     if hidden.get("fillable", True) else
                     "--suppressed impute cannot fill the employment cells (no establishment "
                     "counts, no published total above them to bound them)")
    others = [m for m in measures if m != schema.EMPLOYMENT]
    if others:
        hints.append(f"`clusterid impute` before lq fills the {' and '.join(others)} cells "
                     "(--suppressed works on employment only)")
    return (f"{n_hidden} suppressed cells are left out of the benchmark's industry totals "
            f"({', '.join(f'{counts[m]} {m}' for m in measures)}; {short} of {every} industry "
            "totals are sums of the published cells only, so lower bounds): those industries' "
            f"LQs come out too high; {'; '.join(hints)}; or --benchmark FILE takes published "
            "national totals")


def _unplaced(df) -> tuple[list, bool]:
    """(the codes of no level but the all-industry one, whether some code has a level) of an LQ
    table, for :func:`_unplaced_note` (a table computed in parts: of each part, the union)."""
    lvl = df.get_column(schema.LEVEL)
    leveled = bool((lvl >= 1).any())
    if not lvl.null_count():  # the usual table: no text compare over millions of rows
        return [], leveled
    unplaced = lvl.is_null() & (df.get_column(schema.INDUSTRY) != schema.ALL_INDUSTRIES)
    return df.filter(unplaced).get_column(schema.INDUSTRY).unique().to_list(), leveled


def _unplaced_note(df) -> str | None:
    """Rows whose code has no level beside rows that have one (REAT's Freiburg table: three
    activities without their WZ letters beside six lettered sections) sum among themselves: a
    level's sum (the region total without an all-industry row) leaves them out, and theirs
    holds only them.  Said, never silently."""
    lvl = df.get_column(schema.LEVEL)
    if not lvl.null_count():  # the usual table: no text compare over millions of rows
        return None
    return _unplaced_note_of(*_unplaced(df))


def _unplaced_note_of(names: list, leveled: bool) -> str | None:
    """:func:`_unplaced_note`'s text of :func:`_unplaced`'s codes and level flag."""
    if not names or not leveled:
        return None
    names = sorted(set(names))
    shown = "; ".join(names[:5]) + (f" ... ({len(names)} in all)" if len(names) > 5 else "")
    return (f"{len(names)} industries whose codes have no level in the classification ({shown}) "
            "are summed only among themselves: where a region has no all-industry row, the "
            "level sums that stand for its total leave them out, so its LQs are too high; "
            "ingest with --classification custom to use every row as one industry (when no "
            "row is part of another)")


def _frame_of(df, columns: list[str]):
    """``df.select(columns)`` without aligning chunks.

    The input is read without a rechunk (a copy of every column, ~0.3 s of CPU on 3 M cells),
    so the key columns keep the Parquet reader's chunks while the computed columns are single
    arrays; ``select`` on such a frame copies every column into one chunk first (+0.3 GB at
    3 M cells, past the 1.5 GB target).  A frame built from the columns themselves copies
    nothing, and the Parquet and CSV writers take mixed chunks as they are.
    """
    import polars as pl

    return pl.DataFrame([df.get_column(c) for c in columns])


RATIO_COLUMNS = (REGION_SHARE, BENCHMARK_SHARE, LQ, LQ_LOWER, LQ_UPPER, P_VALUE, SLQ, LOG_SLQ,
                 LQ_BOUND_LOWER, LQ_BOUND_UPPER, LOG_SLQ_CRITICAL, RELATIVE_PRODUCTIVITY)


def round_ratios(df):
    """The LQ table with its ratio columns at single precision (about 7 significant digits).

    For text output: full binary precision prints as 17 digits, which more than doubles a CSV
    and its write time while carrying no information a reader can use.  Single precision prints
    the shortest decimal that identifies the value (8-9 characters) and costs one cast, where
    decimal rounding costs a pow/log per cell.  ``p_value`` stays double (it is often far below
    the single-precision range) and is rounded to :data:`P_VALUE_DIGITS` significant digits
    (correctly: :func:`clusterid.core.rounding.round_significant`; a writer need not round it
    again); counts and totals are left as they are.
    """
    import polars as pl

    from clusterid.core.rounding import round_significant

    ratios = [c for c in RATIO_COLUMNS if c in df.columns and c != P_VALUE]
    # computed on a frame of the (single-chunk) ratio columns alone and put back in place:
    # with_columns on the whole table would first copy its key columns into one chunk each
    # (see _frame_of; +0.3 GB on 3 M cells)
    frame = _frame_of(df, ratios)
    # a column holding a finite value beyond single precision's range (an LQ of 4e302 against
    # a benchmark share of 1e-303) or a non-zero one below its normal range (that share) is
    # rounded to 7 significant digits in double precision instead: the cast wrote them as inf
    # and 0, a finite LQ as infinite and a non-zero share as none
    def outside(c):
        size = pl.col(c).abs()
        return ((size.is_finite() & (size > _F32_MAX)) | ((size < _F32_TINY) & (size > 0))).any()

    found = frame.select(outside(c) for c in ratios).row(0) if ratios else ()
    wide = [c for c, out in zip(ratios, found) if out]
    rounded = frame.select(pl.col(c).cast(pl.Float32) for c in ratios if c not in wide)
    for c in wide:
        col = frame.get_column(c).cast(pl.Float64)
        values = pl.Series(c, round_significant(col.to_numpy(), P_VALUE_DIGITS), dtype=pl.Float64)
        if col.null_count():  # (nulls come out of to_numpy as NaN)
            values = values.scatter(col.is_null().arg_true(), None)
        rounded = rounded.with_columns(values)
    p = df.get_column(P_VALUE)
    p = pl.Series(P_VALUE, round_significant(p.to_numpy(), P_VALUE_DIGITS), dtype=pl.Float64,
                  nan_to_null=True)  # null (untested) comes out of to_numpy as NaN, and back
    return pl.DataFrame([rounded.get_column(c) if c in rounded.columns
                         else p if c == P_VALUE else df.get_column(c) for c in df.columns])


P_VALUE_DIGITS = 7
_F32_MAX = 3.4028234663852886e38  # the largest finite single-precision value
_F32_TINY = 1.1754943508222875e-38  # the smallest normal one


def _robust_call(lq, lq_lo, lq_hi, threshold: float, reported):
    """Whether ``specialised`` (LQ >= threshold) holds at every value the cell's bounds allow.

    The bounds are the cell's own (``<m>_lower/_upper``, e.g. from ``--suppressed bounds`` or
    ``clusterid impute``) with the region's and the benchmark's totals held fixed.  A reported
    cell is its own bound; an unknown cell without a lower bound could be 0 and without an upper
    bound any size.  Returns ``(robust, undefined)``; undefined where the LQ is.
    """
    import numpy as np

    lq = np.asarray(lq, dtype=np.float64)
    lo = np.where(reported, lq, np.where(np.isnan(lq_lo), 0.0, lq_lo))
    hi = np.where(reported, lq, np.where(np.isnan(lq_hi), np.inf, lq_hi))
    lo = np.minimum(lo, lq)  # rounding in the bounds never makes a point estimate fragile
    hi = np.maximum(hi, lq)
    specialised = lq >= threshold
    robust = np.where(specialised, lo >= threshold, hi < threshold)
    return robust, np.isnan(lq)


def _masked_bool(name: str, values, null_mask):
    """A Boolean Series with nulls where ``null_mask`` (built without a Python-level pass).

    Polars only: ``pyarrow.array`` from numpy imports pandas (~0.7 s of start-up per run).
    """
    import polars as pl

    return pl.select(pl.when(pl.lit(pl.Series(null_mask, dtype=pl.Boolean)))
                     .then(pl.lit(None, pl.Boolean))
                     .otherwise(pl.lit(pl.Series(values, dtype=pl.Boolean)))
                     .alias(name)).to_series()


_REASON_CODE = "__reason_code"


def _coded_text(df, categories: dict, text: list[str]) -> dict:
    """Enum columns holding the same text as ``df``'s columns ``text`` (null where they are),
    made from integer codes without reading the text: a key from its code column (a key of
    one value, held by every row, repeated), lq_reason from its reason codes, a label column
    that is wholly empty as such; status, of a few known values, by a cast.  Columns none of
    these fit are left out.

    A Parquet writer encodes each text column as a dictionary of its values, hashing every
    row's text (3 M cells: ~0.07 s of CPU a column, 0.6 s for nine); an Enum column's
    dictionary is its categories and its indices are the codes (~0.015 s).
    """
    import polars as pl

    out = {}
    gathers = {}  # the gathers, run as one query (its columns in parallel: ~0.09 -> ~0.05 s)
    n = df.height
    for column in text:
        values = categories.get(column)
        if column == LQ_REASON and _REASON_CODE in df.columns:
            table = pl.Series(column, [None, *_REASONS], dtype=pl.String)
            table = table.cast(pl.Enum(_REASONS))
            gathers[column] = pl.lit(table).gather(pl.col(_REASON_CODE).cast(pl.UInt32))
        elif values is not None and values.len() <= schema.CODED_VALUES:
            table = values.alias(column).cast(pl.Enum(values))
            if _CODE + column in df.columns:
                gathers[column] = pl.lit(table).gather(pl.col(_CODE + column))
            elif values.len() == 1 and df.get_column(column).null_count() == 0:
                out[column] = table.new_from_index(0, n)
        elif values is None and df.get_column(column).null_count() == n:
            out[column] = pl.Series(column, dtype=pl.Enum([])).extend_constant(None, n)
        elif column == STATUS:
            # no codes, but a few known values: one cast (~0.03 s) for the writer's ~0.07
            try:
                out[column] = df.get_column(column).cast(pl.Enum(schema.STATUSES))
            except pl.exceptions.InvalidOperationError:  # another value: written as text
                pass
    if gathers:
        made = df.select(expr.alias(column) for column, expr in gathers.items())
        out.update((column, made.get_column(column)) for column in gathers)
    return {column: out[column] for column in text if column in out}  # (in ``text``'s order)


def _reason_series(codes, reasons):
    """lq_reason from integer codes (0 = defined -> null), as text."""
    import numpy as np
    import polars as pl

    # a gather from the reasons (null at index 0): no per-row Python, no pyarrow
    table = pl.Series(LQ_REASON, [None, *reasons], dtype=pl.String)
    return table.gather(pl.Series(np.asarray(codes, dtype=np.int8).astype(np.uint32)))


def _correct(g: _Groups, p, tested, alpha: float, correction: str):
    """The significant flag: p below alpha after the correction, within each test family
    (measure, period, ownership, code level)."""
    import numpy as np

    sig = np.zeros(p.size, dtype=bool)
    if correction == "none":
        sig[tested] = p[tested] < alpha
        return sig
    ids, _n = g.ids(*_PL)
    rows = np.flatnonzero(tested)
    order = rows[np.argsort(ids[rows], kind="stable")]
    bounds = np.flatnonzero(np.diff(ids[order])) + 1
    for idx in np.split(order, bounds):
        if idx.size == 0:
            continue
        if correction == "bonferroni":
            sig[idx] = p[idx] * idx.size < alpha
        else:
            sig[idx] = bh_adjusted(p[idx]) < alpha
    return sig


def bh_adjusted(p):
    """Benjamini-Hochberg adjusted p-values of one family: ``scipy.stats.false_discovery_control(p,
    method="bh")``'s arithmetic, step for step (the same floats; a test holds them equal).
    Written out because importing scipy.stats for it took ~0.7 s of every ``lq --correction bh``
    (2.1 s in all on the Utah sample)."""
    import numpy as np

    p = np.asarray(p, dtype=np.float64)
    m = p.size
    if m <= 1:
        return p.copy()
    order = np.argsort(p)
    adjusted = p[order] * (m / np.arange(1, m + 1, dtype=np.float64))
    np.minimum.accumulate(adjusted[::-1], out=adjusted[::-1])
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return np.clip(out, 0.0, 1.0)


_BOOTSTRAP_CELLS = 40_000_000  # replicates x regions of one industry: ~1 GB of resamples


def _group_rng(random_state: int, key: tuple):
    """The random generator of one bootstrap group: seeded by ``random_state`` and the group's
    key (measure, period, ownership, industry[, region level]), so a group's draws do not
    depend on which other groups the table holds (one period computed alone, ``lq --period``,
    gets the whole table's critical values)."""
    import hashlib

    import numpy as np

    digest = hashlib.blake2b("\x1f".join(map(str, key)).encode("utf-8"), digest_size=16).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    return np.random.default_rng([int(random_state), *words])


def _bootstrap_slq(df, options: LQOptions):
    """Per-industry bootstrap (over regions) critical values for log_slq, one-sided."""
    import numpy as np
    import polars as pl

    window = [MEASURE, schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY]
    if _REGION_LEVEL in df.columns:
        # log_slq is standardised over the regions of one region level (a state is not one of
        # its counties): resampled likewise, or the state's row joins its counties' pool
        window.append(_REGION_LEVEL)
    df = df.with_row_index("__row")
    groups = (df.filter(pl.col(_LOG_LQ).is_not_null())
              .group_by(window).agg(pl.col(_LOG_LQ), pl.col("__row"))
              .sort(window))
    crit = np.full(df.height, np.nan)
    B = options.bootstrap
    # each industry's resample is a B x n matrix (n its regions), held three times over (the
    # draws, their z-scores, the quantile's copy): refused before it exhausts the memory
    widest = int(groups[_LOG_LQ].list.len().max() or 0) if groups.height else 0
    if B * widest > _BOOTSTRAP_CELLS:
        most = max(1, _BOOTSTRAP_CELLS // widest)
        raise UsageError(f"--bootstrap {B}: at most {most:,} replicates for an industry in "
                         f"{widest:,} regions ({B:,} x {widest:,} resampled values would need "
                         f"~{3 * 8 * B * widest / 1e9:.0f} GB); 999-9,999 replicates are usual")
    keys = groups.select(window).rows()
    for key, values, rows in zip(keys, groups[_LOG_LQ].to_list(), groups["__row"].to_list()):
        x = np.asarray(values, dtype=float)
        n = x.size
        if n < 3 or np.std(x) == 0:
            continue
        sample = x[_group_rng(options.random_state, key).integers(0, n, size=(B, n))]
        mean = sample.mean(axis=1, keepdims=True)
        sd = sample.std(axis=1, ddof=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            zs = ((sample - mean) / sd)[(sd > 0).ravel()]
        if zs.size == 0:
            continue
        crit[np.asarray(rows)] = np.quantile(zs, options.confidence)
    df = df.with_columns(pl.Series(LOG_SLQ_CRITICAL, crit, nan_to_null=True)).with_columns(
        pl.when(pl.col(LOG_SLQ).is_not_null() & pl.col(LOG_SLQ_CRITICAL).is_not_null())
        .then(pl.col(LOG_SLQ) > pl.col(LOG_SLQ_CRITICAL)).alias(SLQ_SIGNIFICANT)
    ).drop("__row")
    meta = {"replicates": B, "random_state": options.random_state,
            "statistic": "log_slq", "resampled": "regions, with replacement, per industry",
            "critical_value": f"{options.confidence} quantile of the pooled bootstrap log-SLQs "
                              "(one-sided)"}
    return df, meta


def _denominator_counts(g: _Groups, den_source, keep) -> dict[str, int]:
    """How many (measure, period, region, ownership) groups used each denominator source."""
    import numpy as np

    ids, n = g.ids(MEASURE, schema.PERIOD, schema.REGION, schema.OWNERSHIP)
    source = np.full(n, -2, dtype=np.int8)
    source[ids[keep]] = den_source[keep]
    return {
        "region_groups_total_row": int((source == 0).sum()),
        "region_groups_sum_of_industries": int((source == 1).sum()),
        "region_groups_without_total": int((source == -1).sum()),
    }


def _metadata(df, options: LQOptions, measures, shares_only, den_counts, z, bootstrap_meta,
              has_bounds) -> dict[str, Any]:
    bench = options.benchmark
    descriptions = {
        "sum": "sum of the input's regions, per measure, period, ownership and industry "
               "(E = sum of the regions' totals at the code level), over the regions of the "
               "region's own region level",
        "rest": "rest of nation: the sum of the input's regions of the region's level minus "
                "the region itself",
        "region": f"the input's region {bench.region}; its own rows are left out of the output",
        "table": "external reference table" + (" (shares only)" if shares_only else
                                                " (benchmark totals)"),
    }
    benchmark = {"kind": bench.kind, "description": descriptions[bench.kind]}
    # counted on the one column: a filter of the whole frame would copy (and align) it all
    reason = df.get_column(LQ_REASON)
    reasons = reason.drop_nulls().value_counts().sort(LQ_REASON)
    if bench.region:
        benchmark["region"] = bench.region
    if bench.kind in ("sum", "rest"):
        benchmark["suppressed_cells_left_out"] = int((reason == REASON_SUPPRESSED).sum())
        benchmark["note"] = ("suppressed cells are missing, so the sums over regions leave them "
                             "out and are lower bounds; impute them first for unbiased LQs")
    if bench.label:
        benchmark["source"] = bench.label
    denominators = {
        "total": "the region's all-industry row (industry 10, level 0) of the same ownership; "
                 "the sum of its industries at the cell's level where that row is absent "
                 "(unknown when one of them is suppressed: the sum would be a lower bound)",
        "sum": "the sum of the region's industries at the cell's level",
        "all-ownership": "the region's all-ownership all-industry row (ownership total, industry "
                         "10), also for private rows (BLS convention); likewise the benchmark's",
    }
    if shares_only:
        variance = "1/e_ij - 1/e_j (benchmark shares taken as fixed)"
    elif bench.kind in ("sum", "region"):
        variance = "1/e_ij - 1/e_j - 1/E_i - 1/E + 2 e_ij/(e_j E_i) (region inside benchmark)"
    else:
        variance = "1/e_ij - 1/e_j + 1/E_i - 1/E (benchmark independent of the region)"
    return {
        "measures": list(measures),
        "benchmark": benchmark,
        "denominator": {"rule": options.denominator,
                        "description": denominators[options.denominator], **den_counts},
        "level": options.level,
        "ownership": list(options.ownership) if options.ownership else None,
        "levels_computed_separately": True,
        "specialised": {"rule": f"lq >= {options.threshold}", "threshold": options.threshold,
                        "comparison": ">="},
        "interval": {"method": "delta method on ln LQ", "model": "independent Poisson counts",
                     "confidence": options.confidence, "z": z, "variance": variance,
                     "measures": [m for m in measures if m in COUNT_MEASURES],
                     "not_computed_for": [m for m in measures if m not in COUNT_MEASURES]},
        "significance": {"test": "two-sided, H0: LQ = 1, z = ln LQ / se",
                         "correction": options.correction, "alpha": round(1 - options.confidence, 12),
                         "family": "measure, period, ownership, code level"},
        "slq": {"definition": "(LQ - mean LQ) / sd LQ across regions, per industry, measure, "
                              "period and ownership; sample sd (ddof 1); log_slq on ln LQ, LQ > 0",
                "source": "O'Donoghue & Gleave 2004; Tian 2013"},
        "bootstrap": bootstrap_meta,
        "bounds": ("lq_bound_lower/upper from <measure>_lower/_upper with the region totals held "
                   "fixed (and, against the sum of regions or the rest, the industry's other "
                   "bounded cells at the opposite ends of their bounds); "
                   "specialised_robust: the specialised call holds at every value the bounds "
                   "allow (else fragile)" if has_bounds else None),
        "rows": df.height,
        "undefined": {r: int(n) for r, n in reasons.iter_rows()},
    }
