"""Checks on a canonical frame before it is written: problems located by row, warnings by summary.

The frame may carry three private columns the readers add and :mod:`clusterid.io.ingest`
drops before writing: ``_row`` (position, to set rows aside), ``_source`` (file) and
``_line`` (1-based physical line in that file; null when the adapter cannot tell).

Errors (each a :class:`~clusterid.errors.Problem` tied to a row): duplicate keys, negative
values, industry codes unknown to the table's classification, a reported child larger than its
reported parent.  Warnings (strings): regions or periods missing from part of the data, the
sum of reported children exceeding the parent by more than rounding.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clusterid import schema
from clusterid.core import codes
from clusterid.errors import Problem

ROW = "_row"
LINE = "_line"
SOURCE = "_source"


@dataclass
class Validation:
    """Problems (with the rows they concern) and warnings."""

    problems: list[Problem] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # _row of each problem (same order)
    reasons: list[str] = field(default_factory=list)  # short reason per problem
    counts: dict[str, int] = field(default_factory=dict)  # reason -> rows affected
    warnings: list[str] = field(default_factory=list)
    key_ids: object = None  # UInt64 Series: equal for equal keys, sorts like the keys
    key_order: object = None  # UInt32/IdxSize Series: arg_sort of key_ids (the table's sort order)


def _where(row: dict) -> dict:
    return {"path": row.get(SOURCE), "line": row.get(LINE)}


def _key_text(row: dict) -> str:
    return ", ".join(f"{k}={row[k]}" for k in schema.KEYS)


def rank_ids(df, columns):
    """UInt64 id per row, equal exactly when the ``columns`` values are equal, ordered like them.

    Each column is replaced by the rank of its value among the column's distinct values (a hash
    lookup per row; only the distinct values are sorted) and the ranks are combined.  Sorting
    by the id sorts by ``columns``; it is far cheaper in memory than sorting or hashing the
    strings of millions of rows.
    """
    import polars as pl

    return combine_ranks([column_rank(df, c) for c in columns])


def column_rank(df, column):
    """``(ranks, n_distinct)``: each row's rank among the column's distinct values (UInt64)."""
    import polars as pl

    col = df.get_column(column).fill_null("")
    uniq = col.unique().sort()
    # an Enum of the sorted distinct values: its physical code is the rank (a faster lookup
    # than replace_strict)
    rank = col.cast(pl.Enum(uniq)).to_physical().cast(pl.UInt64)
    return rank, len(uniq)


def combine_ranks(ranks):
    """One UInt64 id from several ``(ranks, n_distinct)`` (first one most significant)."""
    ids = None
    for rank, n in ranks:
        ids = rank if ids is None else ids * n + rank
    return ids


def validate(df) -> Validation:
    """Run every check on the polars DataFrame ``df`` (canonical columns, ``_row`` required)."""
    import polars as pl

    out = Validation()
    cols = df.columns
    has = lambda c: c in cols  # noqa: E731
    extra = [c for c in (SOURCE, LINE) if has(c)]

    def add(reason: str, frame, make):
        n = frame.height
        if not n:
            return
        out.counts[reason] = out.counts.get(reason, 0) + n
        for row in frame.iter_rows(named=True):
            out.problems.append(make(row))
            out.rows.append(row[ROW])
            out.reasons.append(reason)

    # duplicate keys: one integer id per key combination (no string hashing per row), sorted
    # once; equal neighbours in that order are the duplicates, and the order is handed on so
    # the table is sorted for writing without a second sort
    ranks = {c: column_rank(df, c) for c in (*schema.KEYS, schema.CLASSIFICATION)}
    out.key_ids = combine_ranks([ranks[k] for k in schema.KEYS])
    out.key_order = out.key_ids.arg_sort()
    ordered_ids = out.key_ids.gather(out.key_order)
    repeated = ((ordered_ids == ordered_ids.shift(1)).fill_null(False)
                | (ordered_ids == ordered_ids.shift(-1)).fill_null(False))
    del ordered_ids
    dup_rows = df.get_column(ROW).gather(out.key_order.filter(repeated))
    del repeated
    dup = df.filter(pl.col(ROW).is_in(dup_rows.implode())).sort([*schema.KEYS, ROW]) if dup_rows.len() else df.clear()
    if dup.height:
        # the first occurrence in input order (files in the order given), named with its file
        # when the copies are in different files
        first = dup.group_by(list(schema.KEYS)).agg(
            pl.col(ROW).min().alias("_first_row"),
            (pl.col(LINE).sort_by(ROW).first() if has(LINE) else pl.lit(None)).alias("_first"),
            (pl.col(SOURCE).sort_by(ROW).first() if has(SOURCE) else pl.lit(None)).alias("_first_src"))
        dup = dup.join(first, on=list(schema.KEYS), how="left")

        def _dup_hint(r):
            if not has(LINE) or r["_first_row"] == r[ROW] or r["_first"] is None:
                return None
            if has(SOURCE) and r["_first_src"] != r.get(SOURCE):
                return f"first seen at {r['_first_src']}:{r['_first']}"
            return f"first seen on line {r['_first']}"

        add("duplicate key", dup.select([ROW, *schema.KEYS, *extra, "_first_row", "_first", "_first_src"]),
            lambda r: Problem(
                "duplicate row for the same period, region, ownership and industry", **_where(r),
                expected="one row per key", found=_key_text(r), hint=_dup_hint(r)))

    measures = schema.measures_in(cols)
    for m in measures:
        neg = df.filter(pl.col(m) < 0).select([ROW, m, *schema.KEYS, *extra])
        add("negative value", neg, lambda r, m=m: Problem(
            "negative value", **_where(r), column=m, expected="a count or amount >= 0",
            found=f"{r[m]:g} ({_key_text(r)})"))

    if has(schema.LEVEL) and has(schema.CLASSIFICATION):
        unknown = df.filter(pl.col(schema.LEVEL).is_null()
                            & pl.col(schema.CLASSIFICATION).is_in([schema.NAICS, schema.NACE]))
        add("unknown industry code", unknown.select([ROW, schema.INDUSTRY, schema.CLASSIFICATION, *extra]),
            lambda r: Problem(
                f"not a {r[schema.CLASSIFICATION]} industry code", **_where(r), column=schema.INDUSTRY,
                expected=("NAICS 2-6 digits or 31-33/44-45/48-49" if r[schema.CLASSIFICATION] == schema.NAICS
                          else "NACE section A-U, division C10, group C10.1 or class C10.11"),
                found=r[schema.INDUSTRY],
                hint="fix the code or read the column as --classification custom"))
        if df.get_column(schema.LEVEL).is_not_null().any():
            groups = combine_ranks([ranks[c] for c in (schema.PERIOD, schema.REGION, schema.OWNERSHIP,
                                                       schema.CLASSIFICATION)])
            sums: list = []
            bad = codes.children_exceeding_parent(df, measures, group_ids=groups, sums=sums)
            if sums:
                out.warnings.extend(_sum_warnings(df, sums))
            del groups
            if bad is not None:
                bad = bad.unique(subset=[ROW, "_measure"], keep="first").sort(ROW)
                add("child larger than its parent", bad, lambda r: Problem(
                    "industry larger than the industry it belongs to", **_where(r),
                    column=r["_measure"],
                    expected=f"<= {r['_parent_value']:g} (industry {r['_parent']})",
                    found=f"{r[r['_measure']]:g} (industry {r[schema.INDUSTRY]})"))

    # coverage needs only the distinct (region, period) pairs: found on the integer ranks
    # (one row per pair) rather than by hashing millions of string pairs; a null would share
    # its rank with "", so then the strings themselves are used
    pairs = df
    if df.get_column(schema.REGION).null_count() == 0 and df.get_column(schema.PERIOD).null_count() == 0:
        (region_rank, _), (period_rank, n_periods) = ranks[schema.REGION], ranks[schema.PERIOD]
        pairs = df.select(schema.REGION, schema.PERIOD).filter(
            (region_rank * n_periods + period_rank).is_first_distinct())
    del ranks
    out.warnings.extend(coverage_warnings(pairs))
    return out


def _sum_warnings(df, sums, limit: int = 5) -> list[str]:
    by_measure: dict[str, list] = {}
    for item in sums:
        by_measure.setdefault(item["measure"], []).append(item)
    out = []
    for m, items in by_measure.items():
        examples = []
        for item in items[:limit]:
            row = df.row(item["row"], named=True)
            examples.append(f"{row[schema.REGION]} {row[schema.PERIOD]} {item['parent']}: "
                            f"{item['children']} children sum to {item['children_sum']:g} > {item['parent_value']:g}")
        out.append(f"{len(items)} {m} value(s) smaller than the sum of their reported children "
                   f"(rounding or overlapping codes?): " + "; ".join(examples))
    return out


def coverage_warnings(df, limit: int = 10) -> list[str]:
    """Regions present in some periods only, and periods missing some regions."""
    import polars as pl

    warnings: list[str] = []
    if df.height == 0:
        return warnings
    periods = sorted(df.get_column(schema.PERIOD).drop_nulls().unique().to_list())
    pairs = df.select(schema.REGION, schema.PERIOD).unique()
    n_periods = len(periods)
    if n_periods > 1:
        per_region = pairs.group_by(schema.REGION).agg(pl.col(schema.PERIOD).sort().alias("p"))
        partial = per_region.filter(pl.col("p").list.len() < n_periods).sort(schema.REGION)
        for region, have in partial.head(limit).iter_rows():
            missing = sorted(set(periods) - set(have))
            warnings.append(f"region {region} has no rows for period(s) {', '.join(missing[:8])}"
                            + (" ..." if len(missing) > 8 else ""))
        if partial.height > limit:
            warnings.append(f"... and {partial.height - limit} more regions missing some periods")
    return warnings
