"""Bring a frame into canonical shape: every column present, right dtypes, fixed order and sort.

Readers and adapters produce a polars LazyFrame with at least the key columns and one measure;
:func:`to_canonical` fills in the rest so the rest of the toolkit can rely on the schema in
:mod:`clusterid.schema`.  It stays lazy so a streaming engine can run it out of core.
"""

from __future__ import annotations

from clusterid import schema


def unsigned_zero(value):
    """Expression: the float ``value`` with -0.0 made 0.0 (NaN and null kept as they are)."""
    import polars as pl

    return pl.when(value == 0).then(pl.lit(0.0)).otherwise(value)


def canonical_exprs(names, measures=None) -> list:
    """Polars expressions giving every canonical column, cast and in canonical order.

    ``names`` are the columns the frame has.  Missing columns are filled: ownership with
    ``total``, classification with ``custom``, a measure's status from whether its value is
    present, anything else null.  A measure with a value and no status gets ``reported`` where
    the value is present and ``suppressed`` where it is null: the reader decides what is
    missing, never this function.
    """
    import polars as pl

    names = list(names)
    if measures is None:
        measures = schema.measures_in(names)
    measures = [m for m in schema.MEASURES if m in measures]
    dtypes = schema.polars_schema(measures)
    exprs = []
    for col in schema.column_order(measures):
        dtype = dtypes[col]
        if col in names and dtype == pl.Float64:
            # a cell '-0' (or a Parquet table's -0.0) is zero: written '-0.0' it was a value of
            # its own in the canonical table, unequal byte for byte to the same table's 0
            exprs.append(unsigned_zero(pl.col(col).cast(dtype)).alias(col))
        elif col in names:
            exprs.append(pl.col(col).cast(dtype))
        elif col == schema.OWNERSHIP:
            exprs.append(pl.lit(schema.OWNERSHIP_TOTAL, dtype).alias(col))
        elif col == schema.CLASSIFICATION:
            exprs.append(pl.lit(schema.CUSTOM, dtype).alias(col))
        elif col.endswith(schema.STATUS_SUFFIX) and col[: -len(schema.STATUS_SUFFIX)] in measures:
            value = col[: -len(schema.STATUS_SUFFIX)]
            exprs.append(
                pl.when(pl.col(value).is_null())
                .then(pl.lit(schema.SUPPRESSED))
                .otherwise(pl.lit(schema.REPORTED))
                .cast(dtype)
                .alias(col)
            )
        else:
            exprs.append(pl.lit(None, dtype).alias(col))
    return exprs


def to_canonical(lf, measures=None):
    """Return ``lf`` with all canonical columns (missing ones null), cast, ordered and sorted.

    Parameters
    ----------
    lf : polars.LazyFrame
        Must have the key columns and at least one measure column.
    measures : sequence of str, optional
        Measures to keep; default: those present in ``lf``.

    See :func:`canonical_exprs` for how missing columns are filled.
    """
    exprs = canonical_exprs(lf.collect_schema().names(), measures)
    return lf.select(exprs).sort(list(schema.KEYS), maintain_order=False)
