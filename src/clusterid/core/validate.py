"""Checks on a canonical frame before it is written: problems located by row, warnings by summary.

The frame may carry three private columns the readers add and :mod:`clusterid.io.ingest`
drops before writing: ``_row`` (position, to set rows aside), ``_source`` (file) and
``_line`` (1-based physical line in that file; null when the adapter cannot tell).

Errors (each a :class:`~clusterid.errors.Problem` tied to a row): duplicate keys, infinite or
implausibly large (beyond 1e15) values, negative
values, industry codes unknown to the table's classification, a reported child larger than its
reported parent.  Warnings (strings): regions or periods missing from part of the data, the
sum of reported children exceeding the parent by more than rounding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from clusterid import schema
from clusterid.core import codes
from clusterid.errors import Problem

ROW = "_row"
# the message of a key met on several rows (ingest shows its copies as one problem)
DUPLICATE_KEY = "duplicate row for the same period, region, ownership and industry"
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
    # the keys' and the classification's :func:`column_ranks` (each row's code among the sorted
    # distinct values): the codes an Enum column of the same text is made of (ingest's write)
    key_ranks: dict | None = None
    coverage_at: int | None = None  # where the coverage warnings start in ``warnings``
    # ``validate(defer=True)``: the parent check, still running on its thread; its problems
    # and warnings are added by :meth:`finish`
    pending: object = None

    def finish(self) -> Validation:
        """Wait for the parent check :func:`validate` left running (``defer=True``) and add its
        problems and warnings where an undeferred run puts them; nothing when none is left."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending()
        return self


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
    columns = list(columns)
    ranks = column_ranks(df, columns)
    return combine_ranks([ranks[c] for c in columns])


class Ranks(tuple):
    """``(ranks, n_distinct)`` with the sorted distinct values kept as ``.values``."""

    values: object = None


def column_rank(df, column):
    """``(ranks, n_distinct)``: each row's rank among the column's distinct values (UInt32).

    The sorted distinct values (null read as "") are on the result's ``values`` attribute.
    """
    return column_ranks(df, [column])[column]


def column_ranks(df, columns) -> dict:
    """:func:`column_rank` of several columns, worked out in parallel (one polars query each
    for the distinct values and for the ranks, instead of one column after another).  The rank
    is the physical code of an Enum of the sorted distinct values (a faster lookup than
    replace_strict).

    A column without nulls is read as it is: its null-filled copy, used three times in a
    chain of equality tests, cost twice as much (county panel, the period's ranks: ~0.08 ->
    ~0.04 s of CPU on the collected frame's 352 chunks, ~0.2 -> ~0.06 s on one; 2026-12-01).
    (Tried: the distinct values of a column in runs -- region, industry -- from its runs'
    first rows: on one chunk ~0.2 s less for the keys, on the collected frame's chunks
    slower than hashing every row, which polars does chunk by chunk in parallel.)
    """
    import polars as pl

    columns = list(columns)
    text = {c: _text(df, c) for c in columns}
    uniq = df.select(text[c].unique().sort().implode().alias(c) for c in columns).row(0)
    values = {c: pl.Series(c, u, dtype=pl.String) for c, u in zip(columns, uniq)}
    ranked = df.select(_rank_expr(c, values[c], text[c]) for c in columns)
    out = {}
    for c in columns:
        r = Ranks((ranked.get_column(c), len(values[c])))
        r.values = values[c]
        out[c] = r
    return out


def _text(df, column):
    """Expression: the ``column`` of ``df``, a null read as "" (a text column without nulls as
    it is: a fill_null, even a no-op one, made each use of it cost more)."""
    import polars as pl

    col = df.get_column(column)
    if col.dtype == pl.String and not col.null_count():
        return pl.col(column)
    return pl.col(column).fill_null("")


# a column of at most this many distinct values is ranked by equality tests (_rank_expr)
FEW_VALUES = 8


def _rank_expr(column, values, text=None):
    """Expression: each row's rank among ``values`` (the column's sorted distinct values, a null
    read as ""), UInt32.  A column of a few values (the periods of a year, the ownerships, one
    classification) by equality tests, which compare the inline bytes of short texts; any other
    through an Enum of the values, a hash lookup per row (county panel: period, ownership and
    classification ~0.27 -> ~0.1 s of CPU, 2026-12-01).  ``text``: the expression ranked
    (default: the column, a null read as "")."""
    import polars as pl

    text = pl.col(column).fill_null("") if text is None else text
    if not values.len() or len(values) > FEW_VALUES:
        return text.cast(pl.Enum(values)).to_physical().cast(pl.UInt32)
    if len(values) == 1:  # every row holds it (a null read as "", which is then the value)
        return pl.repeat(pl.lit(0, pl.UInt32), pl.len()).alias(column)
    # the last value: every row not one of the others (each row holds one of the values)
    return equality_codes(text, values.to_list()[:-1],
                          pl.lit(len(values) - 1, pl.UInt32)).alias(column)


def equality_codes(text, values: list, otherwise):
    """Expression: the position in ``values`` (at least one) of each row's ``text``, UInt32,
    by a chain of equality tests, which compare the inline bytes of short texts instead of
    looking every row up in a hash table as a cast to an Enum does; a row equal to none takes
    the expression ``otherwise``.  For a column of at most :data:`FEW_VALUES` values
    (:func:`_rank_expr`, and ingest's coding of such text columns for the write)."""
    import polars as pl

    code = None
    for i, value in enumerate(values):
        code = (pl.when(text == value) if code is None else code.when(text == value)).then(
            pl.lit(i, pl.UInt32))
    return code.otherwise(otherwise)


def combine_ranks(ranks):
    """One UInt64 id from several ``(ranks, n_distinct)`` (first one most significant).

    Worked in place in one numpy array (polars allocated a new column per multiply and add:
    ~0.15 GB of short-lived memory on a 5 M-row table, at the validation peak).
    """
    import numpy as np
    import polars as pl

    ids = None
    for rank, n in ranks:
        r = rank.to_numpy()
        if ids is None:
            ids = r.astype(np.uint64)
        else:
            ids *= np.uint64(n)
            ids += r
    return pl.Series("_key", ids)


def key_order(ids):
    """The positions that sort the UInt64 Series ``ids`` (an IdxSize Series, as
    ``Series.arg_sort`` gives), ties in input order.

    numpy's stable sort, not polars' ``arg_sort``: a table's key ids come in long sorted runs
    (a file's rows of one period are in area, ownership and industry order), which the stable
    sort merges; county panel, 4.8 M ids: 0.12 s of CPU instead of 0.32 s (2026-12-01,
    in-process, same order: the keys are distinct, or the table is refused).
    """
    import numpy as np
    import polars as pl

    order = np.argsort(ids.to_numpy(), kind="stable")
    return pl.Series(ids.name, order, dtype=pl.get_index_type()) if len(order) else ids.arg_sort()


def misspelt_ownerships(values) -> dict[str, str]:
    """``{value: the canonical name it is close to}`` for the ownerships among ``values`` that
    look like a misspelt canonical name (:data:`schema.OWNERSHIPS`; difflib's ratio of at least
    0.8, ignoring case: 'privat', 'pirvate', 'totl', 'locall').  A value far from every name
    ('municipal', 'foreign', 'mixed') is a category of the source's own and is not listed."""
    import difflib

    out = {}
    for v in values:
        key = schema.ownership_key(v)
        if not key or key in schema.OWNERSHIPS:  # a canonical name in another case
            continue
        if key in schema.OWNERSHIP_WORDS_NOT_NAMES:  # Danish 'Stat', no 'state' misspelt
            continue
        close = difflib.get_close_matches(key, schema.OWNERSHIPS, n=1, cutoff=0.8)
        if close:
            out[v] = close[0]
    return out


def validate(df, coverage: bool = True, defer: bool = False) -> Validation:
    """Run every check on the polars DataFrame ``df`` (canonical columns, ``_row`` required).

    ``coverage``: say which regions lack some periods (:func:`coverage_warnings`); a table
    ingested in parts (one period range each) leaves it to the whole, on every part's pairs.

    ``defer``: return while the parent check (numpy on a thread, mostly one core) still runs,
    the key order and every other check done: the caller uses the idle core (ingest sorts the
    table for writing) and takes the check's problems and warnings with
    :meth:`Validation.finish`, which puts them where an undeferred run does.  A table with
    duplicate keys is checked at once (the join-based check)."""
    import polars as pl

    out = Validation()
    cols = df.columns
    has = lambda c: c in cols  # noqa: E731
    extra = [c for c in (SOURCE, LINE) if has(c)]

    def add(reason: str, frame, make):
        _add(out, reason, frame, make)

    # duplicate keys: one integer id per key combination (no string hashing per row), sorted
    # once; equal neighbours in that order are the duplicates, and the order is handed on so
    # the table is sorted for writing without a second sort
    ranks = column_ranks(df, (*schema.KEYS, schema.CLASSIFICATION))
    out.key_ranks = ranks
    measures = schema.measures_in(cols)
    # the parent check (numpy, mostly one core) runs on a thread from here, beside the key
    # order and the row checks below; its result is taken where it always was, so problems
    # and warnings come in the same order.  A table with duplicate keys discards it for the
    # join-based check (a key twice)
    parents = _start_parent_check(df, measures, ranks)
    out.key_ids = combine_ranks([ranks[k] for k in schema.KEYS])
    out.key_order = key_order(out.key_ids)
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
            (pl.col(SOURCE).sort_by(ROW).first() if has(SOURCE) else pl.lit(None)).alias("_first_src"),
            (pl.col(SOURCE).sort_by(ROW).last() if has(SOURCE) else pl.lit(None)).alias("_last_src"),
            (pl.col(LINE).sort_by(ROW).last() if has(LINE) else pl.lit(None)).alias("_last"))
        dup = dup.join(first, on=list(schema.KEYS), how="left")

        def _dup_hint(r):
            if has(SOURCE) and r.get(LINE) is None:
                # a Parquet table has no lines: the other file holding the key is named, or
                # two Parquet tables of one period (given as one input) were each named alone,
                # the capped list showing only the first file's copies
                if r["_first_row"] != r[ROW] and r["_first_src"] != r.get(SOURCE):
                    return (f"first seen at {r['_first_src']}:{r['_first']}" if r["_first"]
                            is not None else f"first seen in {r['_first_src']}")
                if r["_first_row"] == r[ROW] and r["_last_src"] != r.get(SOURCE):
                    return f"also in {r['_last_src']}"
            if (has(SOURCE) and r["_first_row"] == r[ROW] and r["_last_src"] != r.get(SOURCE)
                    and r["_last"] is not None):
                # the first copy names the other file's line: with many keys repeated across
                # two tables, the capped list may show only the first file's copies
                return f"also at {r['_last_src']}:{r['_last']}"
            if not has(LINE) or r["_first_row"] == r[ROW] or r["_first"] is None:
                return None
            if has(SOURCE) and r["_first_src"] != r.get(SOURCE):
                return f"first seen at {r['_first_src']}:{r['_first']}"
            return f"first seen on line {r['_first']}"

        add("duplicate key", dup.select([ROW, *schema.KEYS, *extra, "_first_row", "_first", "_first_src",
                                         "_last_src", "_last"]),
            lambda r: Problem(
                DUPLICATE_KEY, **_where(r),
                expected="one row per key", found=_key_text(r), hint=_dup_hint(r), clip=False))

    # a key cell a reader left empty (QCEW's blank own_code was no ownership at all): every
    # stage grouped it as a key of its own
    # (looked for among the key's distinct values first, which the ranks hold, a null read as
    # ""; a test of every row cost ~0.5 s on the 4.8 M-row county panel)
    for k in schema.KEYS:
        if not (ranks[k].values.str.strip_chars() == "").any():
            continue
        empty = df.filter(pl.col(k).is_null() | (pl.col(k).cast(pl.String).str.strip_chars() == ""))
        add("empty key cell", empty.select([ROW, *extra]), lambda r, k=k: Problem(
            "empty key cell", **_where(r), column=k, expected="a value", found=""))

    # an ownership misspelt ('pirvate', 'totl'), read into a key of its own that --ownership
    # private then left out without a word; a category of the source's own ('municipal',
    # 'foreign', 'cooperative') is kept as such
    odd = misspelt_ownerships(ranks[schema.OWNERSHIP].values.to_list())
    if odd:
        unknown = df.filter(pl.col(schema.OWNERSHIP).is_in(list(odd))).select(
            [ROW, schema.OWNERSHIP, *extra])
        add("unknown ownership", unknown, lambda r: Problem(
            "not an ownership", **_where(r), column=schema.OWNERSHIP,
            expected="one of " + ", ".join(schema.OWNERSHIPS) + " (any case), a QCEW own_code "
                     "or own_title",
            found=r[schema.OWNERSHIP],
            hint=f"a misspelling of {odd.get(r[schema.OWNERSHIP], '?')!r}?"))

    for m in measures:
        neg = df.filter(pl.col(m) < 0).select([ROW, m, *schema.KEYS, *extra])
        add("negative value", neg, lambda r, m=m: Problem(
            "negative value", **_where(r), column=m, expected="a count or amount >= 0",
            found=f"{r[m]:g} ({_key_text(r)})", clip=False))
        huge = df.filter(schema.implausible(pl.col(m).cast(pl.Float64)).fill_null(False)).select(
            [ROW, m, *schema.KEYS, *extra])
        add("implausible value", huge, lambda r, m=m: Problem(
            "not a plausible number", **_where(r), column=m,
            expected=f"a finite count or amount below {schema.PLAUSIBLE_MAX:g}",
            found=f"{r[m]:g} ({_key_text(r)})", hint="a unit mix-up or a damaged cell?",
            clip=False))

    if has(schema.LEVEL) and has(schema.CLASSIFICATION):
        # (a row with a level is no such row: a table whose levels are all there has none)
        unknown = df.clear() if not df.get_column(schema.LEVEL).null_count() else df.filter(
            pl.col(schema.LEVEL).is_null()
            & pl.col(schema.CLASSIFICATION).is_in([schema.NAICS, schema.NACE, schema.NACE_R11])
            & pl.col(schema.INDUSTRY).is_not_null())  # (an empty one: said above)
        add("unknown industry code", unknown.select([ROW, schema.INDUSTRY, schema.CLASSIFICATION, *extra]),
            lambda r: Problem(
                f"not a {r[schema.CLASSIFICATION]} industry code", **_where(r), column=schema.INDUSTRY,
                expected=("NAICS 2-6 digits or 31-33/44-45/48-49" if r[schema.CLASSIFICATION] == schema.NAICS
                          else "NACE Rev.1.1 section A-Q, subsection DA, division 15, group 15.1 or class 15.11"
                          if r[schema.CLASSIFICATION] == schema.NACE_R11
                          else "NACE section A-U, division C10, group C10.1 or class C10.11"),
                found=r[schema.INDUSTRY],
                hint=(f"{r[schema.INDUSTRY]} is a GENESIS grouping of WZ 2008 codes (its label says what it "
                      "holds, the code does not): leave it out of the download, skip its rows with "
                      "--on-error skip, or read the column as --classification custom"
                      if codes.GENESIS_GROUPING.match(str(r[schema.INDUSTRY] or ""))
                      # (NACE Rev. 2's A*38 aggregates, as ISTAT and INSEE write them: CA is
                      # also a Rev. 1.1 subsection, and reading such a column as Rev. 1.1, as
                      # the hint below said, made its C mining)
                      else _a38_hint(str(r[schema.INDUSTRY]))
                      if r[schema.CLASSIFICATION] == schema.NACE
                      and str(r[schema.INDUSTRY] or "") in codes.ISTAT_A38
                      # (Rev. 1.1's subsections read as NACE Rev. 2 sections DA, DB ... before
                      # 2fb0db0, silently; they are refused now, and this says what they are)
                      # (two sections run together that are no neighbours: INSEE's A10 ranges
                      # BE, GI, RU, or nobody's pair; read as the pair before session 30)
                      else _section_pair_hint(str(r[schema.INDUSTRY]))
                      if r[schema.CLASSIFICATION] == schema.NACE
                      and str(r[schema.INDUSTRY] or "") in codes.AMBIGUOUS_SECTION_PAIRS
                      else f"{r[schema.INDUSTRY]} is a NACE Rev. 1.1 subsection (before 2008): read the "
                           "column with --classification nace-r1.1"
                      if r[schema.CLASSIFICATION] == schema.NACE
                      and re.fullmatch(r"C[AB]|D[A-N]", str(r[schema.INDUSTRY] or ""))
                      # a dash where a code is missing: all industries only in SUSB's tables,
                      # known by their headings (NCSDSCR, ENTRSIZE), read so there
                      else "'--' is a dash, no code: all industries in SUSB's tables only; give "
                           "the row its code (10 for all industries), or leave it out"
                      if str(r[schema.INDUSTRY] or "").strip() == "--"
                      # '2020 - 2021' where an industry stands: a period, no code range
                      else f"{r[schema.INDUSTRY]} is a range of years, not an industry: a period "
                           "belongs in the period column (or --period); leave the row out, or "
                           "read the column as --classification custom"
                      if codes.is_year_range(str(r[schema.INDUSTRY] or ""))
                      else "fix the code or read the column as --classification custom")))
        if parents is not None:
            if dup.height:
                try:  # its result is not used: a key twice breaks its one-row-per-key lookup
                    _finish(parents)  # (waited for: its memory released before the join)
                except Exception:  # noqa: BLE001 - the join-based check below decides
                    pass
                # a key twice: the join-based check compares a child with every copy
                groups = combine_ranks([ranks[c] for c in (schema.PERIOD, schema.REGION,
                                                           schema.OWNERSHIP, schema.CLASSIFICATION)])
                sums: list = []
                bad = codes.children_exceeding_parent(df, measures, group_ids=groups, sums=sums)
                del groups
                _add_parent_results(out, df, bad, sums, len(out.warnings))
            elif defer:
                # (the warnings said after it, nested codes and coverage, are added first: its
                # sum warnings go in before them, where they would have been)
                at = len(out.warnings)
                out.pending = lambda: _add_parent_results(out, df, *_finish(parents), at)
            else:
                _add_parent_results(out, df, *_finish(parents), len(out.warnings))

    if schema.CUSTOM in ranks[schema.CLASSIFICATION].values.to_list() and has(schema.LEVEL):
        out.warnings.extend(nested_custom_codes(df))

    # coverage needs only the distinct (region, period) pairs: found on the integer ranks
    # (one row per pair) rather than by hashing millions of string pairs; a null would share
    # its rank with "", so then the strings themselves are used
    pairs = df
    if not coverage:
        return out
    if df.get_column(schema.REGION).null_count() == 0 and df.get_column(schema.PERIOD).null_count() == 0:
        region_rank, n_regions = ranks[schema.REGION]
        period_rank, n_periods = ranks[schema.PERIOD]
        if (n_regions * n_periods <= df.height
                and df.schema[schema.REGION] == df.schema[schema.PERIOD] == pl.String):
            # the pairs present, by a count per (region, period) cell in numpy, named by the
            # ranks' sorted values: no hashing of the rows (county panel ~0.08 -> ~0.035 s)
            import numpy as np

            cell = region_rank.to_numpy().astype(np.intp)
            cell *= n_periods
            cell += period_rank.to_numpy()
            present = np.flatnonzero(np.bincount(cell, minlength=n_regions * n_periods))
            del cell
            pairs = pl.DataFrame([
                ranks[schema.REGION].values.gather(present // n_periods).alias(schema.REGION),
                ranks[schema.PERIOD].values.gather(present % n_periods).alias(schema.PERIOD)])
        else:
            pairs = df.select(schema.REGION, schema.PERIOD).filter(
                (region_rank.cast(pl.UInt64) * n_periods + period_rank).is_first_distinct())
    del ranks
    out.coverage_at = len(out.warnings)
    out.warnings.extend(coverage_warnings(pairs))
    return out


def _add(out: Validation, reason: str, frame, make) -> None:
    """Each row of ``frame`` as the problem ``make(row)`` in ``out``, counted under ``reason``."""
    n = frame.height
    if not n:
        return
    out.counts[reason] = out.counts.get(reason, 0) + n
    for row in frame.iter_rows(named=True):
        out.problems.append(make(row))
        out.rows.append(row[ROW])
        out.reasons.append(reason)


def _add_parent_results(out: Validation, df, bad, sums: list, at: int) -> None:
    """The parent check's children larger than their parent (``bad``) as problems, and its
    sums of children over their parent as warnings inserted at ``at`` (those after it, the
    coverage warnings among them, move up)."""
    if sums:
        said = _sum_warnings(df, sums)
        out.warnings[at:at] = said
        if out.coverage_at is not None and out.coverage_at >= at:
            out.coverage_at += len(said)
    if bad is not None:
        bad = bad.unique(subset=[ROW, "_measure"], keep="first").sort(ROW)
        _add(out, "child larger than its parent", bad, lambda r: Problem(
            "industry larger than the industry it belongs to", **_where(r),
            column=r["_measure"],
            expected=f"<= {r['_parent_value']:g} (industry {r['_parent']})",
            found=f"{r[r['_measure']]:g} (industry {r[schema.INDUSTRY]})"))


def _start_parent_check(df, measures, ranks):
    """:func:`children_exceeding_parent` of ``df`` started on a thread (``(pool, future)``),
    or None when the table has no industry levels to check.  Take its ``(bad, sums)`` with
    :func:`_finish`."""
    cols = df.columns
    if not (schema.LEVEL in cols and schema.CLASSIFICATION in cols
            and df.get_column(schema.LEVEL).is_not_null().any()):
        return None
    from concurrent.futures import ThreadPoolExecutor

    def check():
        sums: list = []
        return children_exceeding_parent(df, measures, ranks, sums=sums), sums

    pool = ThreadPoolExecutor(max_workers=1)
    return pool, pool.submit(check)


def _finish(started):
    """The ``(bad, sums)`` of a check :func:`_start_parent_check` started (its error raised
    here), the thread ended."""
    pool, future = started
    try:
        return future.result()
    finally:
        pool.shutdown()


def name_warnings(df) -> list[str]:
    """:func:`several_names` of the regions and of the industries of ``df``: a code under two
    names (49001 'Beaver County' and 'Box Elder County') is a wrong join or a code of another
    list, which every stage then treated as one region, unsaid.  Not part of
    :func:`validate`, which never reads the label columns (ingest codes them on a thread
    beside it): ingest runs it there."""
    return (several_names(df, schema.REGION, schema.REGION_NAME, "region")
            + several_names(df, schema.INDUSTRY, schema.INDUSTRY_NAME, "industry"))


def several_names(df, key: str, name: str, what: str, limit: int = 5) -> list[str]:
    """Warnings for the codes of column ``key`` that carry several names in column ``name``
    (told apart ignoring case and runs of blanks): one line per code, with each name's rows
    and first line, at most ``limit`` lines and a count of the rest.

    A code named two ways within one period is a wrong join or a code from another list
    (49001 is Beaver County; a row naming it Box Elder County, 49003, moved that county's
    jobs into Beaver's), said for regions and industries alike.  Named differently in
    different periods only, a region was renamed or its code reused (said); an industry's
    title was revised (QCEW retitles codes between years), said in one line for them all."""
    import polars as pl

    if name not in df.columns or key not in df.columns or df.height == 0:
        return []
    if df.get_column(name).null_count() == df.height:
        return []
    folded = (pl.col(name).cast(pl.String).str.strip_chars().str.replace_all(r"\s+", " ")
              .str.to_lowercase())
    # the distinct (code, name) pairs first (a few thousand of millions of rows); the rows
    # looked at again only for the codes found
    pairs = (df.lazy().select(pl.col(key).cast(pl.String), pl.col(name).cast(pl.String))
             .drop_nulls().unique().with_columns(folded.alias("_folded"))
             .filter(pl.col("_folded") != "")
             .group_by(key).agg(pl.col("_folded").n_unique().alias("_n"))
             .filter(pl.col("_n") > 1).collect())
    if pairs.height == 0:
        return []
    codes_ = pairs.get_column(key).to_list()
    rows = df.lazy().filter(pl.col(key).cast(pl.String).is_in(codes_)
                            & pl.col(name).is_not_null())
    cols = df.columns
    order = pl.col(ROW) if ROW in cols else pl.int_range(pl.len())
    spelled = (rows.with_columns(folded.alias("_folded"), order.alias("_order"))
               .filter(pl.col("_folded") != "")
               .group_by(pl.col(key).cast(pl.String), "_folded")
               .agg(pl.col(name).cast(pl.String).sort_by("_order").first().alias("_name"),
                    pl.len().alias("_rows"),
                    pl.col("_order").min().alias("_first"),
                    (pl.col(LINE).sort_by("_order").first() if LINE in cols
                     else pl.lit(None, pl.Int64)).alias("_line"),
                    (pl.col(SOURCE).sort_by("_order").first() if SOURCE in cols
                     else pl.lit(None, pl.String)).alias("_source"),
                    pl.col(schema.PERIOD).cast(pl.String).unique().sort().alias("_periods"))
               .sort(key, "_first").collect())
    sources = spelled.get_column("_source").drop_nulls().n_unique()

    def where(r) -> str:
        if r["_line"] is None:
            return ""
        first = "first " if r["_rows"] > 1 else ""
        return (f", {first}at {r['_source']}:{r['_line']}" if sources > 1 and r["_source"]
                else f", {first}on line {r['_line']}")

    return names_said(spelled, key, what, where, limit)


def names_said(spelled, key: str, what: str, where, limit: int = 5) -> list[str]:
    """The warnings for codes under several names, in :func:`several_names`' words: one line
    per code named two ways within a period (a wrong join), then, for regions, one per code
    named differently in different periods (a rename) and, for industries, one line for all
    of those (revised titles); at most ``limit`` lines and a count of the rest.

    ``spelled``: a frame of one row per name of a code, in the order to say them (a code's
    rows together), with the code in column ``key``, the name as first written in ``_name``,
    its rows in ``_rows`` and its periods (a sorted list) in ``_periods``; ``where(row)`` says
    where a name stands (", first on line 7", ", in y2016.csv").  Serves the whole table's
    check and ingest in parts' check across its parts."""
    same, apart = [], []
    for (code,), g in spelled.group_by(key, maintain_order=True):
        seen = [(r["_name"], r["_rows"], r["_periods"], where(r)) for r in g.iter_rows(named=True)]
        periods = [set(s[2]) for s in seen]
        clash = sorted({p for i, a in enumerate(periods) for b in periods[i + 1:] for p in a & b})
        (same if clash else apart).append((code, seen, clash))

    def named(seen, with_periods: bool) -> str:
        said = []
        for name, rows, periods, at in seen:
            when = ""
            if with_periods:
                when = f", {periods[0]}" + (f"-{periods[-1]}" if len(periods) > 1 else "")
            said.append(f"{name!r} ({rows} row{'s' if rows > 1 else ''}{when}{at})")
        return " and ".join(said) if len(said) == 2 else ", ".join(said)
    out: list[str] = []
    for code, seen, clash in same:
        out.append(f"{what} {code} has {len(seen)} names in period "
                   f"{', '.join(clash[:3])}{' ...' if len(clash) > 3 else ''}: "
                   f"{named(seen, False)}: a wrong join, or codes of another code list? The "
                   f"stages treat them as one {what}")
    if what == "region":
        for code, seen, _ in apart:
            out.append(f"{what} {code} has {len(seen)} names in different periods: "
                       f"{named(seen, True)}: a renamed region, or a code reused for another?")
    elif apart:
        shown = "; ".join(f"{code} {named(seen, True)}" for code, seen, _ in apart[:2])
        out.append(f"{len(apart)} industry code{'s are' if len(apart) > 1 else ' is'} named "
                   f"differently in different periods (titles revised between years, as QCEW's "
                   f"are; each row keeps its own): {shown}"
                   + (f" ... ({len(apart)} in all)" if len(apart) > 2 else ""))
    if len(out) > limit:
        out = out[:limit] + [f"... and {len(out) - limit} more {what} codes with several names"]
    return out


def nested_custom_codes(df, limit: int = 3) -> list[str]:
    """A warning when industry codes read as ``custom`` (no known hierarchy) begin with one
    another, as a classification's levels do (Stats NZ's ANZSIC A, A01, A011 read with
    --classification custom): each is then an industry of its own, and a region's total
    summed from them counts the nested ones twice or more -- every LQ off, without a word."""
    import polars as pl

    custom = df.filter((pl.col(schema.CLASSIFICATION) == schema.CUSTOM)
                       & (pl.col(schema.LEVEL).fill_null(1) != 0))
    codes = sorted(custom.get_column(schema.INDUSTRY).drop_nulls().unique().to_list())
    # in sorted order every code that begins with c comes right after c
    nested = [(a, b) for a, b in zip(codes, codes[1:]) if b.startswith(a) and len(b) > len(a)]
    measures = schema.measures_in(df.columns)
    if not nested or not measures:
        return []
    # and the shorter holds at least the longer wherever both are published: flat numbered
    # codes (1 .. 20, where 1 begins 10) are no levels, and their values say so
    keys = [schema.PERIOD, schema.REGION, schema.OWNERSHIP]
    m = measures[0]
    involved = custom.filter(pl.col(schema.INDUSTRY).is_in([c for pair in nested for c in pair]))
    involved = involved.select(*keys, schema.INDUSTRY, pl.col(m).cast(pl.Float64)).drop_nulls()

    def holds(a: str, b: str) -> bool:
        pair = (involved.filter(pl.col(schema.INDUSTRY) == a).drop(schema.INDUSTRY)
                .join(involved.filter(pl.col(schema.INDUSTRY) == b).drop(schema.INDUSTRY),
                      on=keys, suffix="_b"))
        return pair.height > 0 and bool((pair[m] >= pair[m + "_b"] - 0.5).all())

    nested = [(a, b) for a, b in nested if holds(a, b)]
    if not nested:
        return []
    shown = "; ".join(f"{a} and {b}" for a, b in nested[:limit])
    return [f"{len(nested)} industry code(s) read as custom begin with another ({shown}"
            f"{' ...' if len(nested) > limit else ''}): if they are levels of one "
            "classification, a region's total summed from its industries counts them more than "
            "once; keep one level (filter the file) or read the codes with a classification "
            "clusterid knows (--classification naics or nace)"]


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


# Dense (group x code) lookup tables up to this many cells (int32 each: 160 MB); larger key
# spaces look parents up by binary search in the sorted keys instead.
DENSE_CELLS = 40_000_000
SLICE_ROWS = 1 << 20  # kid rows per slice of the parent check (bounds its working memory)


def children_exceeding_parent(df, measures, ranks, tolerance: float = 0.5, sums: list | None = None):
    """:func:`clusterid.core.codes.children_exceeding_parent` on integer ids, in numpy.

    Same rules and same result (child rows plus ``_parent``, ``_parent_value``, ``_measure``;
    None when no row breaks them): a reported value above the reported value of the nearest
    ancestor that has a row in the same period, region, ownership and classification; a
    suppressed parent is not compared and not skipped over.  ``ranks``: the
    :func:`column_rank` of the key columns and classification (computed once by
    :func:`validate`).  Each row's parent is found by one gather in a dense (group, code) ->
    row table (or a binary search when that table would be large), not a hash join per level:
    on a 4.8 M-row QCEW panel 1.7-2.3 s of CPU instead of 3.2-4.8 s (measured under load).

    ``sums`` as in the codes version, but ordered by the parent's key (period, region,
    ownership, code), so the examples named in the warning do not depend on the row order of
    the input.
    """
    import numpy as np
    import polars as pl

    from clusterid.core.codes import level as code_level, naics_union_links, parent_links, sum_aggregate

    n = df.height
    code_rank, n_codes = ranks[schema.INDUSTRY]
    cls_rank, n_cls = ranks[schema.CLASSIFICATION]
    codes_sorted = ranks[schema.INDUSTRY].values.to_list()
    classes = ranks[schema.CLASSIFICATION].values.to_list()
    code_np = code_rank.to_numpy()  # UInt32 ranks, no copy
    cls_np = cls_rank.to_numpy()
    # rows with a code and a classification (None: every row; a null's rank is that of "")
    both = None
    code_col, cls_col = df.get_column(schema.INDUSTRY), df.get_column(schema.CLASSIFICATION)
    if code_col.null_count() or cls_col.null_count():
        both = ~(code_col.is_null().to_numpy() | cls_col.is_null().to_numpy())
    del code_col, cls_col
    # the distinct (code, classification) pairs in code order, as the codes version walks them
    seen = np.zeros(n_codes * n_cls, dtype=bool)
    if both is None:
        seen[code_np if n_cls == 1 else code_np.astype(np.int64) * n_cls + cls_np] = True
    else:
        seen[code_np[both].astype(np.int64) * n_cls + cls_np[both]] = True
    pair_ids = np.flatnonzero(seen)
    vocab = {c: i for i, c in enumerate(codes_sorted)}  # data codes keep their rank as id
    in_vocab: set[int] = set()
    up: dict[int, int] = {}

    def cid(code: str) -> int:
        return vocab.setdefault(code, len(vocab))

    # the table's codes: a NAICS part (31) hangs from its range (31-33) where both are listed
    present = frozenset(codes_sorted[pid // n_cls] for pid in pair_ids.tolist())
    for pid in pair_ids.tolist():
        code, cls = codes_sorted[pid // n_cls], classes[pid % n_cls]
        if code_level(code, cls) is None:
            continue
        in_vocab.add(vocab[code])
        for child, par in parent_links(code, cls, present):
            up[cid(child)] = cid(par)
            in_vocab.add(vocab[par])
    # a union of NAICS sectors (StatCan's 41+44-45) is the parent of its listed parts (41,
    # 44-45), and is summed into all industries in their place
    unions = {}
    if schema.NAICS in classes:
        unions = naics_union_links(frozenset(
            codes_sorted[pid // n_cls] for pid in pair_ids.tolist()
            if classes[pid % n_cls] == schema.NAICS))
    for part, union in unions.items():
        if code_level(part, schema.NAICS) is not None:
            up[cid(part)] = cid(union)
            in_vocab.add(vocab[union])
    if not up:
        return None
    n_vocab = len(vocab)
    idx = np.int32 if n < 2**31 else np.int64
    parent_of = np.full(n_vocab, -1, dtype=idx)
    for child, par in up.items():
        parent_of[child] = par
    known = np.zeros(n_vocab, dtype=bool)
    known[list(in_vocab)] = True
    union_parents = set(unions.values())
    is_aggregate = np.array([sum_aggregate(c, classes) and c not in union_parents for c in vocab],
                            dtype=bool)
    names = list(vocab)

    # rows taking part: a code the hierarchy knows and a level.  Ids are int32 and the kids
    # are worked through in slices, so the check adds ~0.3 GB, not ~0.8 GB, to a 5 M-row run
    member = known[code_np]
    if both is not None:
        member &= both
    del both
    if df.get_column(schema.LEVEL).null_count():
        member &= df.get_column(schema.LEVEL).is_not_null().to_numpy()
    del cls_np
    # key = (region, ownership, classification; code; period): the period varies fastest, so
    # rows next to each other in a file (quarters of one cell, industries of one area) and a
    # row and its parent sit close together in the lookup table (cache-friendly gathers)
    group = combine_ranks([ranks[c] for c in (schema.REGION, schema.OWNERSHIP,
                                              schema.CLASSIFICATION)]).to_numpy()
    period_rank, n_periods = ranks[schema.PERIOD]
    period = period_rank.to_numpy()
    n_groups = (int(group.max()) + 1) * n_periods if n else 0
    # keys below 2**31 (every dense table) are int32: half the memory traffic of int64
    key_type = np.int64 if n_groups * n_vocab >= 2**31 else np.int32
    # each row's share of its key, computed once: key = base + code * n_periods
    base = group.astype(key_type)
    del group
    base *= key_type(n_vocab * n_periods)
    base += period.astype(key_type)
    del period
    rows = np.flatnonzero(member).astype(idx)
    del member

    def key_of(r, code):
        return base[r] + code.astype(key_type, copy=False) * key_type(n_periods)

    dense = n_groups * n_vocab <= DENSE_CELLS
    if dense:
        table = np.full(n_groups * n_vocab, -1, dtype=idx)
        for lo in range(0, rows.size, SLICE_ROWS):
            r = rows[lo:lo + SLICE_ROWS]
            table[key_of(r, code_np[r])] = r
    else:
        keys = key_of(rows, code_np[rows])
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        del keys

    def lookup(k):
        """Row holding key ``k`` (-1: none)."""
        if dense:
            return table[k]
        at = np.searchsorted(sorted_keys, k)
        at_c = np.minimum(at, len(sorted_keys) - 1)
        hit = (at < len(sorted_keys)) & (sorted_keys[at_c] == k)
        return np.where(hit, rows[order[at_c]], -1).astype(idx)

    # reported values, NaN elsewhere (NaN compares False: never a problem, never summed; a
    # null status is not reported: the when's null branch gives a null, then NaN)
    values = {m: df.select(pl.when(pl.col(schema.status_col(m)) == schema.REPORTED)
                           .then(pl.col(m).cast(pl.Float64))).to_series().to_numpy()
              for m in measures}

    level_np = df.get_column(schema.LEVEL).fill_null(0).to_numpy()
    def check_slice(lo):
        """(violations per measure, direct (parent, child) pairs) of one slice of the kids."""
        over_found: dict[str, list] = {m: [] for m in measures}
        pairs = []
        kid = rows[lo:lo + SLICE_ROWS]
        kid = kid[level_np[kid] > 0]
        p = parent_of[code_np[kid]]
        kid, p = kid[p >= 0], p[p >= 0]
        for step in range(8):
            hit_row = lookup(key_of(kid, p))
            hit = hit_row >= 0
            k_hit, p_hit, r_hit = kid[hit], p[hit], hit_row[hit]
            for m in measures:
                v = values[m]
                with np.errstate(invalid="ignore"):
                    over = v[k_hit] > v[r_hit] + tolerance  # NaN (not reported) compares False
                if over.any():
                    over_found[m].append((k_hit[over], p_hit[over], v[r_hit[over]]))
            if sums is not None and step == 0 and k_hit.size:
                direct = ~is_aggregate[code_np[k_hit]]
                pairs.append((r_hit[direct], k_hit[direct]))
            del k_hit, p_hit, r_hit, hit_row
            # no row for this ancestor: climb one level
            kid, p = kid[~hit], parent_of[p[~hit]]
            kid, p = kid[p >= 0], p[p >= 0]
            if kid.size == 0:
                break
        return over_found, pairs

    # numpy releases the GIL in these gathers and comparisons: two threads use both cores
    starts = list(range(0, rows.size, SLICE_ROWS))
    if len(starts) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(check_slice, starts))  # in slice order: deterministic
    else:
        results = [check_slice(lo) for lo in starts]
    found: dict[str, list] = {m: [f for r in results for f in r[0][m]] for m in measures}
    direct_pairs = [pair for r in results for pair in r[1]]
    del results
    del level_np
    if dense:
        del table
    sum_items: list = []
    if direct_pairs:
        rd = np.concatenate([d[0] for d in direct_pairs])
        kd = np.concatenate([d[1] for d in direct_pairs])
        del direct_pairs
        if rd.size:
            # per parent row: sums and counts by bincount over row numbers (no sort)
            parents = np.zeros(n, dtype=bool)
            parents[rd] = True
            parents = np.flatnonzero(parents)
            first_child = None  # (each warning's first child row: made when one is found)
            for m in measures:
                v = values[m]
                child_v = v[kd]
                unreported = np.isnan(child_v)
                child_v[unreported] = 0.0
                s = np.bincount(rd, weights=child_v, minlength=n)[parents]
                del child_v
                pv = v[parents]
                # the margin is max(0.5 * reported children, 0.001 * parent): a parent within
                # max(0, 0.001 * parent) of its children's sum is within it whatever their
                # count, so the children are counted for the parents past that alone (few)
                with np.errstate(invalid="ignore"):
                    past = np.flatnonzero(s > pv + np.maximum(0.0, 0.001 * pv))
                if not past.size:
                    continue
                s, pv, at = s[past], pv[past], parents[past]
                wanted = np.zeros(n, dtype=bool)
                wanted[at] = True
                wanted = wanted[rd]
                wanted &= ~unreported
                cnt = np.bincount(rd[wanted], minlength=n)[at]
                del wanted, unreported
                with np.errstate(invalid="ignore"):
                    bad = s > pv + np.maximum(0.5 * cnt, 0.001 * pv)
                if first_child is None and bad.any():
                    first_child = np.full(n, n, dtype=idx)
                    first_child[rd[::-1]] = kd[::-1]  # kd ascending: the last write is the smallest
                for j in np.flatnonzero(bad).tolist():
                    sum_items.append((m, int(at[j]), {
                        "measure": m, "row": int(first_child[at[j]]),
                        "parent": names[code_np[at[j]]], "children_sum": float(s[j]),
                        "parent_value": float(pv[j]), "children": int(cnt[j])}))
    if sums is not None and sum_items:
        key_ids = combine_ranks([ranks[k] for k in schema.KEYS]).to_numpy()
        order_m = {m: i for i, m in enumerate(measures)}
        sum_items.sort(key=lambda t: (order_m[t[0]], int(key_ids[t[1]])))
        sums.extend(item for _m, _r, item in sum_items)
    out = []
    for m in measures:
        if not found[m]:
            continue
        i = np.concatenate([f[0] for f in found[m]])
        par = np.concatenate([f[1] for f in found[m]])
        pv = np.concatenate([f[2] for f in found[m]])
        srt = np.argsort(i, kind="stable")
        i, par, pv = i[srt], par[srt], pv[srt]
        out.append(df[i.tolist()].with_columns(
            pl.Series("_parent", [names[j] for j in par.tolist()], dtype=pl.String),
            pl.Series("_parent_value", pv, dtype=pl.Float64),
            pl.lit(m).alias("_measure")))
    if not out:
        return None
    return pl.concat(out, how="diagonal_relaxed")


def _section_pair_hint(code: str) -> str:
    """The hint for two NACE section letters run together that are no neighbours (``GI``,
    ``BE``, ``AK``): what INSEE means by them where it writes them, and the two ways to say
    what the table means."""
    first, last = code[0], code[1]
    insee = codes.INSEE_LEVEL1.get(code)
    said = (f"{code} is INSEE's A10 aggregate of the sections {insee}; " if insee else "")
    return (f"{said}write the sections {first} to {last} as {first}-{last}, or {first} and {last} "
            f"alone as {first}+{last}; no office writes the pair as {code}")


def _a38_hint(code: str) -> str:
    """The hint for a NACE Rev. 2 A*38 code (CA ... QB) in a NACE column: the divisions it
    stands for, and for CA and CB what else they may be."""
    span = codes.ISTAT_A38[code]
    rev11 = ("; in a NACE Rev. 1.1 table (before 2008, where C is mining) it is a subsection: "
             "read such a table with --classification nace-r1.1") if code in ("CA", "CB") else ""
    return (f"{code} is NACE Rev. 2's A*38 aggregate of {span}: write it as {span}, or read the "
            f"column as --classification custom{rev11}")
