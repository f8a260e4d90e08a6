"""Describe a canonical table: totals, counts, suppression and coverage per region or industry.

Pure computation on polars frames (lazy in, eager out): no paths, no printing.

Definitions (for one measure ``m``, e.g. employment):

* ``cells``: rows of the group; ``reported`` / ``suppressed`` / ``estimated``: rows by status;
  ``share_suppressed`` = suppressed / cells.
* *disclosed*: a published value (:func:`clusterid.schema.published`): reported, or a source's
  own estimate (Eurostat's ``e``); a value ``clusterid impute`` filled in keeps its bounds and
  is not disclosed (its bounds count towards ``lower_bound``).
* per region (one row per period, region, ownership):
  ``total`` = the region's all-industry value (the level-0 row), null when it is absent or
  suppressed; ``detail_level`` = the finest code level present in the region;
  ``detail_reported`` = sum of the disclosed values of the finest cells, those with no finer
  code under them in the region (QCEW: the 6-digit codes; a NACE table with divisions for some
  sections only: those divisions and the other sections), null when none is disclosed;
  ``coverage`` = detail_reported / total: the part of the published total that the disclosed
  finest cells account for (1 when nothing is suppressed and the codes add up; subtotals
  are never added to their children; Eurostat's aggregates
  beside their parts, B-E beside C or C10-C12 beside C10, and NAICS's ranges beside theirs,
  31-33 beside 31, 32, 33, are summed once, the parts where each is disclosed, see
  :func:`clusterid.core.codes.overlapping_aggregates`).
* per industry (one row per period, region level, ownership, industry):
  ``regions`` = regions with a row; ``total_reported`` = sum of the disclosed values over those
  regions (regions of one level only, so a state and its counties are never added together;
  null when no cell is disclosed);
  ``lower_bound`` = the same plus the lower bounds of the other cells where the source gives
  them (CBP size classes) or impute worked them out, else equal to ``total_reported``.
* summary: one row per measure with rows, periods, regions, industries and the shares.

Every sum is exact, rounded once to the nearest double (:func:`_exact_sum_parts`), so it does
not depend on the order or the chunks in which the rows are added: in memory or streamed,
a table or its periods one at a time, one run or the next.
"""

from __future__ import annotations

from clusterid import schema

BY_CHOICES = ("region", "industry", "summary")


def _status_counts(measure: str):
    import polars as pl

    st = pl.col(schema.status_col(measure))
    return [
        pl.len().alias("cells"),
        (st == schema.REPORTED).sum().alias("reported"),
        (st == schema.SUPPRESSED).sum().alias("suppressed"),
        (st == schema.ESTIMATED).sum().alias("estimated"),
    ]


def _share():
    import polars as pl

    return (pl.col("suppressed") / pl.col("cells")).alias("share_suppressed")


_STEP = 26  # bits of a value's fraction per integer part
_PARTS = 3  # fraction parts: to 2**-78, the last bit of a double of 2**-26 (1.5e-8) or more


def _truncated(x):
    """``x`` rounded towards zero (exact: a double's whole part is a double)."""
    import polars as pl

    return pl.when(x < 0).then(x.ceil()).otherwise(x.floor())


def _exact_sum_parts(x, name: str):
    """``(columns, aggregations)``: row-wise columns splitting ``x`` into integers, its whole
    part ``<name>_w`` and its fraction's 26-bit parts ``<name>_1`` .. ``_3`` (null where
    ``x`` is), to add to the rows; then, per group, their sums and ``<name>_n`` how many
    values there were.  :func:`_exact_sums` makes those one sum.

    Integer sums are exact in any order, so the sum is the same however the rows are cut
    into chunks, in memory or streamed, and it is the values' own sum rounded once.  A float
    sum is added chunk by chunk, in an order that changes with the table's layout and from
    run to run, and so did its last digits.  Exact for every value of at least 2**-26 in
    size (and any other whose bits end by 2**-78); a smaller one's bits beyond are left out,
    the same way every time.  (Row-wise first: the same steps inside a group's aggregation
    ran group by group, 391 s against 45 s for --by region of 30 M rows.)"""
    import polars as pl

    whole = _truncated(x)
    columns = [whole.cast(pl.Int128).alias(f"{name}_w")]
    rest = x - whole  # exact: the fraction
    for k in range(1, _PARTS + 1):
        rest = rest * float(2**_STEP)  # exact: a power of two
        part = _truncated(rest)
        columns.append(part.cast(pl.Int64).alias(f"{name}_{k}"))
        rest = rest - part  # exact: the bits below
    names = [f"{name}_w", *(f"{name}_{k}" for k in range(1, _PARTS + 1))]
    sums = [pl.col(c).sum() for c in names] + [pl.col(f"{name}_w").count().alias(f"{name}_n")]
    return columns, sums


def _exact_sums(df, *names: str):
    """The sums of :func:`_exact_sum_parts` named ``names``, added into one double per row
    (rounded once, to nearest), null where none of them had a value: a sum of nothing is not
    data."""
    import polars as pl

    columns = ["w", *map(str, range(1, _PARTS + 1))]
    parts = [[df.get_column(f"{n}_{c}").to_list() for c in columns] for n in names]
    counts = [df.get_column(f"{n}_n").to_list() for n in names]
    sums = []
    for i in range(df.height):
        if not any(c[i] for c in counts):
            sums.append(None)
            continue
        exact = 0
        for part in parts:
            for k, column in enumerate(part):
                exact += int(column[i]) << (_STEP * (_PARTS - k))
        sums.append(exact / (1 << (_STEP * _PARTS)))  # int / int: correctly rounded
    return pl.Series(sums, dtype=pl.Float64)


def by_region(lf, measure: str, level: int | None = None, left_out: dict | None = None,
              naics_sectors: list[str] | None = None):
    """One row per (period, region, ownership); see the module notes for the columns.

    ``level``: count the cells of that code level only and sum them as the detail; the total
    is still the region's all-industry row (outside that level), so coverage says how much
    of it the level's disclosed cells account for.  ``left_out``: a dict that receives the
    codes the detail leaves out so that each activity is summed once, ``{code: why}`` (31-33:
    31 + 32 + 33), over all regions.  ``naics_sectors``: the NAICS level-2 codes of the whole
    table (:func:`naics_sectors`) when ``lf`` is a part of it (one period); None: ``lf``'s.
    """
    import polars as pl

    keys = [schema.PERIOD, schema.REGION, schema.OWNERSHIP]
    value = pl.col(measure)
    # published values only (reported, or a source's own estimate): a value clusterid imputed
    # keeps its bounds and is no disclosure -- stats on an imputed table counted it, and a
    # suppressed county's cells "covered" its total
    disclosed = schema.published(measure, lf.collect_schema().names())
    totals = lf.filter((pl.col(schema.LEVEL) == 0) & disclosed).group_by(keys).agg(
        value.first().alias("total"))
    if level is not None:
        lf = lf.filter(pl.col(schema.LEVEL) == level)
        finest_cell = pl.lit(True)
    # the rows as they are before the marking below: a query of its own on them (the codes each
    # region lists) would otherwise evaluate the marking again (~3.5 s of the county panel's 9)
    rows = lf
    if level is None:
        lf = _mark_inner(lf, keys, naics_sectors)
        # a code of no classification (a national office's own sector names, REAT's rows
        # without a WZ letter) has no level and nothing under it: a finest cell of its own; the
        # all-industry row is the finest cell only of a region that has nothing finer, custom
        # codes included (it was summed with them: coverage 200%)
        finest_cell = ~pl.col("_inner") & ((pl.col(schema.LEVEL) >= 1).fill_null(False)
                                           | pl.col("_custom")
                                           | ((pl.col("_finest") == 0) & ~pl.col("_any_custom")))
    finest = pl.col(schema.LEVEL).max().over(keys)
    custom = pl.col(schema.LEVEL).is_null() & (pl.col(schema.INDUSTRY) != schema.ALL_INDUSTRIES)
    if schema.CLASSIFICATION in lf.collect_schema().names():
        custom = custom & (pl.col(schema.CLASSIFICATION) == schema.CUSTOM)
    lf = lf.with_columns(_finest=finest, _custom=custom.fill_null(False))
    lf = lf.with_columns(_any_custom=pl.col("_custom").any().over(keys))
    # Eurostat's aggregates beside their parts (B-E and C, C10-C12 and C10), NAICS's ranges
    # beside theirs (31-33 and 31, 32, 33): one of each in the sum (core.overlaps)
    from clusterid.core.overlaps import left_out_per_group

    # Region by region: a region listing only K-N (not K, L, M_N as others do) keeps it -- left
    # out for the whole table, its 44,600 published jobs (AT21) read as uncovered; one whose
    # part is not disclosed keeps the disclosed aggregate (B's 31-33 beside a withheld 32)
    dropped = left_out_per_group(rows, keys, disclosed)
    if dropped.height:
        if left_out is not None:
            for code, why in dropped.select(schema.INDUSTRY, "_why").unique(
                    subset=schema.INDUSTRY, keep="first", maintain_order=True).sort(
                    schema.INDUSTRY).iter_rows():
                left_out.setdefault(code, why)
        marked = dropped.drop("_why").with_columns(_overlap=pl.lit(True)).lazy()
        # ... and what lies under a left-out part: a BA table's B-F beside C and C10, C11 keeps
        # B-F and leaves out C, so C's divisions go too (C10 was summed with B-F: coverage 102%)
        lvl = pl.col(schema.LEVEL)
        lf = lf.with_columns(
            _p1=pl.when(lvl >= 2).then(pl.col(schema.INDUSTRY).str.slice(0, 1)),
            _p3=pl.when(lvl >= 3).then(pl.col(schema.INDUSTRY).str.slice(0, 3)))
        marks = []
        for col in (schema.INDUSTRY, "_p1", "_p3"):
            lf = lf.join(marked.rename({schema.INDUSTRY: col, "_overlap": f"_o{col}"}),
                         on=[*keys, col], how="left", maintain_order="left")
            marks.append(pl.col(f"_o{col}").fill_null(False))
        lf = lf.with_columns(_overlap=pl.any_horizontal(marks))
        disclosed = disclosed & ~pl.col("_overlap")
    detail, detail_sums = _exact_sum_parts(pl.when(finest_cell & disclosed).then(value),
                                           "_detail")
    out = lf.with_columns(detail).group_by(keys).agg(
        pl.col(schema.REGION_NAME).drop_nulls().first(),
        pl.col(schema.REGION_LEVEL).drop_nulls().first(),
        *_status_counts(measure),
        pl.col("_finest").first().alias("detail_level"),
        *detail_sums,
    ).join(totals, on=keys, how="left").sort(keys).collect()
    out = out.with_columns(_exact_sums(out, "_detail").alias("detail_reported")).with_columns(
        _share(),
        # nothing disclosed at the finest level covers 0% of a published total
        pl.when(pl.col("total") > 0)
        .then(pl.col("detail_reported").fill_null(0.0) / pl.col("total"))
        .otherwise(None).alias("coverage"),
    )
    cols = keys + [schema.REGION_NAME, schema.REGION_LEVEL, "cells", "reported", "suppressed",
                   "estimated", "share_suppressed", "total", "detail_level", "detail_reported",
                   "coverage"]
    return out.select(cols)


def _mark_inner(lf, keys, listed: list[str] | None = None):
    """Add ``_inner``: a finer code of the same (period, region, ownership) lies under the
    row's code (any depth: ``541`` over ``541711`` even without ``5417``).  The cells that are
    not inner are the table's finest: QCEW's 6-digit codes, or in a NACE table with divisions
    for some sections only, those divisions and the other sections.  Codes of no known
    classification are never inner.  ``listed``: the NAICS level-2 codes of the whole table
    (None: ``lf``'s own)."""
    import polars as pl

    from clusterid.core import codes

    lev = pl.col(schema.LEVEL)
    if schema.CLASSIFICATION not in lf.collect_schema().names():
        return lf.with_columns(_inner=pl.lit(False))
    below = [lf.filter(lev > to).select(*keys, codes.parent_expr(to).alias(schema.INDUSTRY))
             for to in range(1, 6)]
    # a table listing a NAICS range beside its parts (31-33 and 31, 32, 33): 311 lies under
    # 31 too, or 31 and 311 were both finest cells and summed
    if listed is None:
        listed = naics_sectors(lf)
    parts = sorted(p for r, ps in codes.code_parts(listed).items()
                   if r in codes.NAICS_RANGE_PARTS for p in ps)
    if parts:
        part = pl.col(schema.INDUSTRY).str.slice(0, 2)
        below.append(lf.filter((lev > 2) & (pl.col(schema.CLASSIFICATION) == schema.NAICS)
                               & part.is_in(parts)).select(*keys, part.alias(schema.INDUSTRY)))
    inner = pl.concat(below).drop_nulls().unique().with_columns(_inner=pl.lit(True))
    # the rows keep their order: the sums over them then add in the table's (canonical) order,
    # so they do not move in the last digit from one run or row order to the next
    return (lf.join(inner, on=[*keys, schema.INDUSTRY], how="left", maintain_order="left")
            .with_columns(pl.col("_inner").fill_null(False)))


def naics_sectors(lf) -> list[str]:
    """The NAICS codes of level 2 (sectors and ranges: 31, 31-33) a table lists, sorted: a
    range's parts lie under it wherever the table lists it (:func:`_mark_inner`)."""
    import polars as pl

    if schema.CLASSIFICATION not in lf.collect_schema().names():
        return []
    sectors = lf.filter((pl.col(schema.LEVEL) == 2)
                        & (pl.col(schema.CLASSIFICATION) == schema.NAICS))
    return sorted(c for c in distinct(sectors, schema.INDUSTRY) if c is not None)


def by_industry(lf, measure: str):
    """One row per (period, region_level, ownership, industry).

    Row-wise columns, then counts, first values and exact sums per group: a plan the streaming
    engine runs in pieces of the table, in the memory of its groups."""
    import polars as pl

    keys = [schema.PERIOD, schema.REGION_LEVEL, schema.OWNERSHIP, schema.INDUSTRY]
    # published values only: total_reported of an imputed table summed the imputed values
    # (46.5 jobs 'reported' in mining over two Utah counties whose both cells were withheld)
    disclosed = schema.published(measure, lf.collect_schema().names())
    shown, shown_sums = _exact_sum_parts(pl.when(disclosed).then(pl.col(measure)), "_shown")
    bound, bound_sums = _exact_sum_parts(
        pl.when(~disclosed).then(pl.col(schema.lower_col(measure))), "_bound")
    out = lf.with_columns(*shown, *bound).group_by(keys).agg(
        pl.col(schema.INDUSTRY_NAME).first(ignore_nulls=True),
        pl.col(schema.LEVEL).first(),
        *_status_counts(measure),
        *shown_sums,
        *bound_sums,
    ).sort(keys, nulls_last=True).collect(engine="streaming")
    out = out.with_columns(
        _share(),
        # a key names one row, so a region is in an industry's group once (n_unique held
        # every region of every group: 2.3 GB of 30 M rows, streamed)
        pl.col("cells").alias("regions"),
        _exact_sums(out, "_shown").alias("total_reported"),
        # disclosed values plus the sources' lower bounds of hidden cells; null when neither
        _exact_sums(out, "_shown", "_bound").alias("lower_bound"),
    )
    cols = keys + [schema.INDUSTRY_NAME, schema.LEVEL, "regions", "cells", "reported",
                   "suppressed", "estimated", "share_suppressed", "total_reported",
                   "lower_bound"]
    return out.select(cols)


def distinct(lf, column: str) -> list:
    """The distinct values of ``column``, null included, in no set order: a group-by, which
    the streaming engine runs in pieces of the table (its ``n_unique`` held every value: 1.5
    GB for the periods, regions and industries of 30 M rows)."""
    return (lf.group_by(column).agg().collect(engine="streaming")
            .get_column(column).to_list())


def summary(lf, measures: list[str]):
    """One row per measure: table size and suppression at a glance."""
    import polars as pl

    rows = []
    for m in measures:
        st = pl.col(schema.status_col(m))
        # the rows that carry the measure: of several tables given as one input, a period's
        # without the column has neither value nor status there, and its rows counted as
        # neither reported nor suppressed (a share suppressed too low, its period counted)
        carried = lf.filter(pl.col(m).is_not_null() | st.is_not_null())
        # counts and distinct codes, exact in any order: streamed, so a panel larger than
        # memory is read in pieces (held whole, 30 M rows took 1.5 GB; streamed, 0.26 GB)
        counts = carried.select(
            pl.len().alias("rows"),
            (st == schema.REPORTED).sum().alias("reported"),
            (st == schema.SUPPRESSED).sum().alias("suppressed"),
            (st == schema.ESTIMATED).sum().alias("estimated"),
        ).collect(engine="streaming").row(0)
        base = (counts[0], *(len(distinct(carried, c))
                              for c in (schema.PERIOD, schema.REGION, schema.INDUSTRY)))
        counts = counts[1:]
        n = base[0]
        rows.append({"measure": m, "rows": n, "periods": base[1], "regions": base[2],
                     "industries": base[3], "reported": counts[0], "suppressed": counts[1],
                     "estimated": counts[2],
                     "share_suppressed": (counts[1] / n) if n else None})
    return pl.DataFrame(rows, schema={
        "measure": pl.String, "rows": pl.Int64, "periods": pl.Int64, "regions": pl.Int64,
        "industries": pl.Int64, "reported": pl.Int64, "suppressed": pl.Int64,
        "estimated": pl.Int64, "share_suppressed": pl.Float64})


def periods_without(lf, measure: str) -> list[str]:
    """Periods none of whose rows carries ``measure`` (neither a value nor a status): of
    several canonical tables given as one input ('panel/*.parquet'), a period whose table has
    no such column.  Sorted."""
    import polars as pl

    names = lf.collect_schema().names()
    st = schema.status_col(measure)
    carried = pl.col(measure).is_not_null()
    if st in names:
        carried = carried | pl.col(st).is_not_null()
    return sorted(lf.group_by(schema.PERIOD).agg(carried.any().alias("_has"))
                  .filter(~pl.col("_has")).collect(engine="streaming")
                  .get_column(schema.PERIOD).to_list())


def _with_optional_columns(lf, measures: list[str]):
    """The optional columns of a canonical table, empty where the table leaves them out.

    Labels (region name and level, industry name, code level) and bounds are optional; a
    status column, when absent, says what the value does: a missing value is suppressed.
    """
    import polars as pl

    names = lf.collect_schema().names()
    add = [pl.lit(None, pl.String).alias(c)
           for c in (schema.REGION_NAME, schema.REGION_LEVEL, schema.INDUSTRY_NAME)
           if c not in names]
    if schema.LEVEL not in names:
        add.append(pl.lit(None, pl.Int8).alias(schema.LEVEL))
    for m in measures:
        if schema.status_col(m) not in names:
            add.append(schema.implied_status(pl.col(m)).alias(schema.status_col(m)))
        for bound in (schema.lower_col(m), schema.upper_col(m)):
            if bound not in names:
                add.append(pl.lit(None, pl.Float64).alias(bound))
    return lf.with_columns(add) if add else lf


def period_by_period(lf, compute):
    """``compute(part)`` (an eager frame sorted by period first) for each period's rows of
    ``lf`` on their own, concatenated in period order: ``compute(lf)`` when no row of it
    depends on another period's, in the memory of one period.

    For a table read lazily from Parquet (a panel of per-year files, or one file in key
    order), each part's filter reaches the files' row groups, so each period is read once, on
    its own.  (:func:`by_region` marks each region's finest cells by joining its rows to the
    codes under them: streamed over the whole table, that join would hold the codes of
    every region and period.)"""
    import polars as pl

    periods = sorted(p for p in distinct(lf, schema.PERIOD) if p is not None)
    if len(periods) < 2:
        return compute(lf)
    return pl.concat([compute(lf.filter(pl.col(schema.PERIOD) == p)) for p in periods])


def describe(lf, by: str, measure: str, measures: list[str] | None = None,
             level: int | None = None, left_out: dict | None = None, by_period: bool = False):
    """Dispatch on ``by`` ('region', 'industry' or 'summary'); ``level``: only the rows of
    that industry code level (--by region: the totals still from the all-industry rows);
    ``left_out``: as :func:`by_region` fills it.  ``by_period``: compute 'region' a period
    at a time (:func:`period_by_period`: for a table read lazily from Parquet, in the memory
    of one period); 'industry' and 'summary' are streamed either way."""
    import polars as pl

    lf = _with_optional_columns(lf, sorted({measure, *(measures or [])}))
    if by == "region":
        if not by_period:
            return by_region(lf, measure, level, left_out)
        # a NAICS range listed in one period puts its parts under it in every period
        sectors = naics_sectors(lf)
        return period_by_period(lf, lambda part: by_region(part, measure, level, left_out,
                                                           sectors))
    if level is not None:
        lf = lf.filter(pl.col(schema.LEVEL) == level)
    if by == "industry":
        return by_industry(lf, measure)
    if by == "summary":
        return summary(lf, measures or [measure])
    raise ValueError(f"by must be one of {BY_CHOICES}, got {by!r}")
