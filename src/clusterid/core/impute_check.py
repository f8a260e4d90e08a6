"""How well does imputation recover hidden cells?  A masking check against published truth.

BLS suppresses a cell when it would disclose an employer, then suppresses enough *complementary*
cells that subtraction cannot reveal it: at least two unknown children under a published parent.
:func:`mask_complementary` imitates that on published data: under randomly chosen published
``from_level - 1`` parents it hides two published ``from_level`` siblings at a time (in every
period, so other quarters do not give them away), never one alone.  :func:`evaluate` then
compares an imputation with the truth, and with two simple baselines:

* ``naive``: establishments x the typical (national) establishment size of the code;
* ``residual``: the published parent minus its published children, split among the unknown
  children in proportion to ``naive``.
"""

from __future__ import annotations

import numpy as np

from clusterid import schema



def mask_complementary(frame, measure: str = schema.EMPLOYMENT, *, level: int = 6,
                       share: float = 0.3, random_state: int = 0,
                       ownership: str | None = schema.OWNERSHIP_PRIVATE,
                       region_level: str | None = None):
    """Hide published sibling pairs; return ``(masked DataFrame, truth DataFrame)``.

    ``truth`` has the keys of every hidden row and the true value in ``true``, and the true
    values of the other measures hidden with it in ``true_<measure>`` (``true_wages``).  A pair is taken
    under a parent with ``probability share`` among parents that are published in every period
    and have at least two children published in every period.  Wages (and any other measure
    besides establishments) are hidden with it, as BLS does.  Where the table also holds the
    counties' state rows, a pair is not hidden when one of its cells would be the only unknown
    county of its industry under a published state cell (the state minus the other counties
    would reveal it; BLS's complementary suppression never leaves that).
    """
    import polars as pl

    from clusterid.core import codes

    df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    status = pl.col(schema.status_col(measure)).fill_null(schema.REPORTED)
    n_periods = df[schema.PERIOD].n_unique()
    base = df.filter(pl.col(schema.LEVEL) == level)
    if ownership is not None:
        base = base.filter(pl.col(schema.OWNERSHIP) == ownership)
    if region_level is not None:
        base = base.filter(pl.col(schema.REGION_LEVEL) == region_level)
    published = base.group_by(schema.REGION, schema.OWNERSHIP, schema.INDUSTRY).agg(
        ((status == schema.REPORTED) & pl.col(measure).is_not_null() & (pl.col(measure) > 0)).sum().alias("ok"),
        pl.col(schema.CLASSIFICATION).first(), pl.col(schema.LEVEL).first(),
    ).filter(pl.col("ok") == n_periods)
    published = published.with_columns(codes.parent_expr(level - 1).alias("__p"))
    parents = df.filter((pl.col(schema.LEVEL) == level - 1) & (status == schema.REPORTED)).group_by(
        schema.REGION, schema.OWNERSHIP, schema.INDUSTRY).agg(pl.len().alias("np")).filter(
        pl.col("np") == n_periods).select(schema.REGION, schema.OWNERSHIP, pl.col(schema.INDUSTRY).alias("__p"))
    cand = published.join(parents, on=[schema.REGION, schema.OWNERSHIP, "__p"], how="inner")
    rng = np.random.default_rng(random_state)
    cand = cand.sort(schema.REGION, schema.OWNERSHIP, schema.INDUSTRY)
    cand = cand.with_columns(pl.Series("__r", rng.random(cand.height)))
    groups = cand.group_by(schema.REGION, schema.OWNERSHIP, "__p", maintain_order=True).agg(
        pl.col(schema.INDUSTRY).sort_by("__r"), pl.len().alias("k")).filter(pl.col("k") >= 2)
    groups = groups.with_columns(pl.Series("__u", rng.random(groups.height))).filter(pl.col("__u") < share)
    hidden = groups.with_row_index("__pair").select(
        "__pair", schema.REGION, schema.OWNERSHIP, pl.col(schema.INDUSTRY).list.slice(0, 2)).explode(schema.INDUSTRY)
    hidden = _no_lone_cell_in_area(df, hidden, measure, level)
    hidden = hidden.drop("__pair").with_columns(pl.lit(True).alias("__hide"))
    marked = df.join(hidden, on=[schema.REGION, schema.OWNERSHIP, schema.INDUSTRY], how="left")
    hide = pl.col("__hide").fill_null(False)
    also = [m for m in schema.measures_in(df.columns) if m not in (measure, schema.ESTABLISHMENTS)]
    truth = marked.filter(hide).select(*schema.KEYS, pl.col(measure).alias("true"),
                                       *(pl.col(m).alias(f"true_{m}") for m in also))
    changes = []
    for m in schema.measures_in(df.columns):
        if m == schema.ESTABLISHMENTS:
            continue
        changes += [pl.when(hide).then(None).otherwise(pl.col(m)).alias(m),
                    pl.when(hide).then(pl.lit(schema.SUPPRESSED)).otherwise(pl.col(schema.status_col(m)))
                    .alias(schema.status_col(m)),
                    pl.when(hide).then(pl.lit("N")).otherwise(pl.col(schema.flag_col(m))).alias(schema.flag_col(m))]
    masked = marked.with_columns(changes).drop("__hide")
    return masked.select(df.columns), truth.sort(schema.KEYS)


def mask_one_period(frame, period: str, measure: str = schema.EMPLOYMENT, **options):
    """:func:`mask_complementary` in one period only; the other periods stay published.

    What a series suppressed in some quarters and published in others looks like (BLS does not
    suppress every series in every quarter).  Returns ``(masked DataFrame, truth DataFrame)``.
    """
    import polars as pl

    df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    at = pl.col(schema.PERIOD) == period
    if not df.select(at.any()).item():
        raise ValueError(f"period {period!r} is not in the table")
    masked, truth = mask_complementary(df.filter(at), measure, **options)
    out = pl.concat([df.filter(~at), masked.select(df.columns)], how="vertical_relaxed")
    return out.sort(list(schema.KEYS)), truth


def _no_lone_cell_in_area(df, hidden, measure: str, level: int):
    """Drop hidden pairs that leave a county cell alone under its published state cell."""
    import polars as pl

    if schema.REGION_LEVEL not in df.columns:
        return hidden
    status = pl.col(schema.status_col(measure)).fill_null(schema.REPORTED)
    keys = [schema.PERIOD, "__st", schema.OWNERSHIP, schema.INDUSTRY]
    at = df.filter(pl.col(schema.LEVEL) == level)
    states = at.filter((pl.col(schema.REGION_LEVEL) == "state") & (status == schema.REPORTED)).select(
        schema.PERIOD, pl.col(schema.REGION).alias("__st"), schema.OWNERSHIP, schema.INDUSTRY)
    if states.height == 0:
        return hidden
    counties = at.filter(pl.col(schema.REGION_LEVEL) == "county").select(
        schema.PERIOD, schema.REGION, schema.OWNERSHIP, schema.INDUSTRY,
        (pl.col(schema.REGION).str.slice(0, 2) + "000").alias("__st"),
        ((status != schema.REPORTED) | pl.col(measure).is_null()).alias("__unknown"))
    counties = counties.join(states, on=keys, how="semi")
    while hidden.height:
        marked = counties.join(hidden, on=[schema.REGION, schema.OWNERSHIP, schema.INDUSTRY], how="left")
        unknown = pl.col("__unknown") | pl.col("__pair").is_not_null()
        n_unknown = marked.group_by(keys).agg(unknown.sum().alias("__n"))
        lone = marked.filter(pl.col("__pair").is_not_null()).join(n_unknown, on=keys).filter(
            pl.col("__n") <= 1)["__pair"].unique()
        if lone.len() == 0:
            break
        hidden = hidden.filter(~pl.col("__pair").is_in(lone.implode()))
    return hidden


def naive_prior(frame, measure: str = schema.EMPLOYMENT) -> np.ndarray:
    """Establishments x the code's national size (published cells, same period), per row."""
    import polars as pl

    from clusterid.core import impute as imp

    keys = [schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY]
    sizes = imp.typical_size(frame, measure)
    joined = frame.select(*keys, schema.ESTABLISHMENTS).with_row_index("__i").join(
        sizes, on=keys, how="left").sort("__i")
    return (joined[schema.ESTABLISHMENTS] * joined["size"]).cast(pl.Float64).fill_null(np.nan).to_numpy()


def residual_split(masked, measure: str = schema.EMPLOYMENT, level: int = 6):
    """Baseline: published parent minus published children, split by the naive prior."""
    import polars as pl

    from clusterid.core import codes

    prior = naive_prior(masked, measure)
    status = pl.col(schema.status_col(measure)).fill_null(schema.REPORTED)
    kids = masked.with_columns(pl.Series("__prior", prior)).filter(pl.col(schema.LEVEL) == level).with_columns(
        codes.parent_expr(level - 1).alias("__p"), (status == schema.REPORTED).alias("__known"))
    parent = masked.filter(pl.col(schema.LEVEL) == level - 1).select(
        schema.PERIOD, schema.REGION, schema.OWNERSHIP, pl.col(schema.INDUSTRY).alias("__p"),
        pl.when(status == schema.REPORTED).then(pl.col(measure)).alias("__pv"))
    keys = [schema.PERIOD, schema.REGION, schema.OWNERSHIP, "__p"]
    agg = kids.group_by(keys).agg(
        pl.when(pl.col("__known")).then(pl.col(measure)).otherwise(0.0).sum().alias("__ks"),
        pl.when(~pl.col("__known")).then(pl.col("__prior")).otherwise(0.0).sum().alias("__ps"))
    kids = kids.join(agg, on=keys, how="left").join(parent, on=keys, how="left")
    est = pl.when(pl.col("__ps") > 0).then((pl.col("__pv") - pl.col("__ks")) * pl.col("__prior") / pl.col("__ps"))
    return kids.filter(~pl.col("__known")).select(*schema.KEYS, est.alias("residual"),
                                                   pl.col("__prior").alias("naive"))


def evaluate(imputed, truth, masked=None, measure: str = schema.EMPLOYMENT, level: int = 6) -> dict:
    """Absolute percentage errors of the imputation and the baselines on hidden cells.

    For each of ``imputed``, ``naive`` and ``residual``: the median (``mdape_``), the mean
    (``meanape_``) and the 90th percentile (``p90ape_``) of ``|estimate - true| / true``.

    ``imputed`` is the output of :func:`clusterid.core.impute.impute` on ``masked``.  Cells
    whose true value is 0 are left out of percentage errors.  ``measure`` other than the one
    masked (wages, hidden with employment): its truth is ``truth``'s ``true_<measure>``, and
    the baselines are establishments x the national wage per establishment and the 5-digit
    wage residual split by it.
    """
    import polars as pl

    if f"true_{measure}" in truth.columns:
        truth = truth.select(*schema.KEYS, pl.col(f"true_{measure}").alias("true"))

    got = imputed.select(*schema.KEYS, pl.col(measure).alias("imputed"),
                         pl.col(schema.lower_col(measure)).alias("lower"),
                         pl.col(schema.upper_col(measure)).fill_null(float("inf")).alias("upper"))
    j = truth.join(got, on=list(schema.KEYS), how="left")
    if masked is not None:
        j = j.join(residual_split(masked, measure, level), on=list(schema.KEYS), how="left")
    j = j.filter(pl.col("true") > 0)
    tol = 1e-6 * (1 + pl.col("true").abs())
    inside = ((pl.col("lower") <= pl.col("true") + tol) & (pl.col("true") <= pl.col("upper") + tol))
    out = {"n_hidden_values": int(j.height),
           "n_hidden_cells": int(j.select(schema.REGION, schema.OWNERSHIP, schema.INDUSTRY).unique().height),
           "inside_bounds": float(j.select(inside.mean()).item()) if j.height else float("nan")}
    for col in ("imputed", "naive", "residual"):
        if col in j.columns:
            ape = ((pl.col(col) - pl.col("true")).abs() / pl.col("true"))
            out[f"mdape_{col}"] = float(j.select(ape.median()).item())
            # A baseline without an estimate (no establishments' size) is left out of these two.
            out[f"meanape_{col}"] = float(j.select(ape.fill_nan(None).mean()).item())
            out[f"p90ape_{col}"] = float(j.select(ape.fill_nan(None).quantile(0.9, "linear")).item())
            out[f"n_{col}"] = int(j.select(pl.col(col).is_not_null().sum()).item())
    return out
