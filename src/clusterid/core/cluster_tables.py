"""The tables ``clusterid detect`` writes: clusters, cluster summary (columns in cli/detect.py).

Pure: frames and arrays in, polars frames out, fixed column order and row order.
"""

from __future__ import annotations

import numpy as np

from clusterid import schema
from clusterid.core import definitions as cdefs
from clusterid.core import strength

CLUSTERS_COLUMNS = [
    "industry", "industry_name", "cluster_id", "cluster_name", "cluster_type", "core",
    "coassignment", "similarity_own", "similarity_other", "source",
]
BENCHMARK_COLUMNS = ["benchmark_cluster_id", "benchmark_cluster_name"]
SUMMARY_COLUMNS = [
    "cluster_id", "cluster_name", "cluster_type", "n_industries", "n_core", "core_industries",
    "n_industries_data", "employment", "employment_status", "establishments", "wages",
    "n_regions", "n_strong",
    "top_regions", "within_similarity", "vs_industry", "mean_coassignment",
]
TOP_REGIONS = 5


def similarity_scores(defs: cdefs.Definitions, similarity):
    """Per industry own / best-other mean similarity, per cluster within mean and VS-Industry.

    Only industries present in ``similarity`` count.  Returns (industry frame, cluster frame)
    or (None, None) without a similarity.
    """
    import polars as pl

    from clusterid.core import validation

    if similarity is None:
        return None, None
    labels = defs.labels()
    codes = [c for c in similarity.codes if c in labels]
    if len(codes) < 2:
        return None, None
    sub = similarity.restrict(codes)
    lab = np.array([labels[c] for c in codes], dtype=object)
    ind = validation.industry_scores(sub.matrix, lab)
    within, _ = validation.cluster_means(sub.matrix, lab)
    uniq = np.unique(lab)
    fin = lambda a: [float(x) if np.isfinite(x) else None for x in a]  # noqa: E731
    industries = pl.DataFrame({"industry": codes, "similarity_own": fin(ind.own),
                               "similarity_other": fin(ind.best_other)},
                              schema={"industry": pl.String, "similarity_own": pl.Float64,
                                      "similarity_other": pl.Float64})
    passes = {c: float(ind.passes[lab == c].mean()) for c in uniq}
    clusters = pl.DataFrame({"cluster_id": [str(c) for c in uniq], "within_similarity": fin(within),
                             "vs_industry": [passes[c] for c in uniq]},
                            schema={"cluster_id": pl.String, "within_similarity": pl.Float64,
                                    "vs_industry": pl.Float64})
    return industries, clusters


def clusters_table(defs: cdefs.Definitions, *, similarity=None,
                   benchmark: cdefs.Definitions | None = None):
    """clusters.csv: one row per industry of ``defs``, in the definitions' order."""
    import polars as pl

    m = defs.members
    for col in ("coassignment", "similarity_own", "similarity_other"):
        if col not in m.columns:
            m = m.with_columns(pl.lit(None, pl.Float64).alias(col))
    if similarity is not None and m["similarity_own"].null_count() == m.height:
        ind, _ = similarity_scores(defs, similarity)
        if ind is not None:
            m = m.drop("similarity_own", "similarity_other").join(ind, on="industry", how="left",
                                                                  maintain_order="left")
    m = m.join(defs.clusters.select(cdefs.CLUSTER_ID, cdefs.CLUSTER_NAME, cdefs.CLUSTER_TYPE),
               on=cdefs.CLUSTER_ID, how="left", maintain_order="left")
    m = m.with_columns(pl.lit(defs.name).alias("source"))
    cols = list(CLUSTERS_COLUMNS)
    if benchmark is not None:
        b = benchmark.members.select(pl.col(cdefs.INDUSTRY),
                                     pl.col(cdefs.CLUSTER_ID).alias("benchmark_cluster_id"))
        b = b.join(benchmark.clusters.select(pl.col(cdefs.CLUSTER_ID).alias("benchmark_cluster_id"),
                                             pl.col(cdefs.CLUSTER_NAME).alias("benchmark_cluster_name")),
                   on="benchmark_cluster_id", how="left")
        m = m.join(b, on=cdefs.INDUSTRY, how="left", maintain_order="left")
        cols += BENCHMARK_COLUMNS
    return m.select(cols)


def main_level(regional) -> str | None:
    """The region_level with the most regions (ties: alphabetical; levels that are no place,
    schema.NON_PLACE_LEVELS, last); None when unlabelled."""
    import polars as pl

    counts = (regional.group_by(schema.REGION_LEVEL)
              .agg(pl.col(schema.REGION).n_unique().alias("n"))
              .with_columns(pl.col(schema.REGION_LEVEL).is_in(schema.NON_PLACE_LEVELS)
                            .fill_null(False).alias("_np"))
              .sort(["_np", "n", schema.REGION_LEVEL], descending=[False, True, False],
                    nulls_last=True))
    return counts[schema.REGION_LEVEL][0] if counts.height else None


def cluster_summary(defs: cdefs.Definitions, regional, *, data_industries=None, similarity=None,
                    grouping_clusters=None):
    """cluster_summary.csv: one row per cluster, in the definitions' order.

    Sizes, regions and strong regions are those of the last period and the region_level with
    the most regions (so a state and its counties are not added together).
    """
    import polars as pl

    m = defs.members
    per = m.group_by(cdefs.CLUSTER_ID, maintain_order=True).agg(
        pl.len().cast(pl.Int64).alias("n_industries"),
        pl.col(cdefs.CORE).sum().cast(pl.Int64).alias("n_core"),
        pl.col(cdefs.INDUSTRY).filter(pl.col(cdefs.CORE)).sort().str.join("; ").alias("core_industries"),
        (pl.col(cdefs.INDUSTRY).is_in(sorted(set(data_industries or [])))).sum().cast(pl.Int64)
        .alias("n_industries_data"),
        (pl.col("coassignment").mean() if "coassignment" in m.columns
         else pl.lit(None, pl.Float64)).alias("mean_coassignment"),
    )
    out = defs.clusters.join(per, on=cdefs.CLUSTER_ID, how="left")
    if regional.height:
        last = sorted(regional[schema.PERIOD].unique().to_list())[-1]
        level = main_level(regional)
        r = regional.filter(pl.col(schema.PERIOD) == last)
        r = r.filter(pl.col(schema.REGION_LEVEL).is_null() if level is None
                     else pl.col(schema.REGION_LEVEL) == level)
        sizes = (r.sort([cdefs.CLUSTER_ID, strength.RANK_IN_CLUSTER, schema.REGION], nulls_last=True)
                 .group_by(cdefs.CLUSTER_ID, maintain_order=True)
                 .agg(*(pl.when(pl.col(c).is_not_null().any()).then(pl.col(c).sum()).alias(c)
                        for c in (strength.EMPLOYMENT, strength.ESTABLISHMENTS)),
                      # no status column here: a wage total missing some regions' or cells'
                      # unpublished wages (not imputed: --suppressed drop or bounds) is left
                      # empty, not shown as complete; imputed wages complete it
                      pl.when(pl.col(strength.WAGES_STATUS).is_in(["reported", schema.ESTIMATED]).all()
                              if strength.WAGES_STATUS in r.columns else pl.lit(True))
                      .then(pl.when(pl.col(strength.WAGES).is_not_null().any())
                            .then(pl.col(strength.WAGES).sum()))
                      .alias(strength.WAGES),
                      # the regions' statuses summed up: a total over partial or suppressed
                      # regional figures is a lower bound (drop) or holds estimates, as the
                      # regional rows say; without this column it read as complete
                      pl.when((pl.col(strength.EMP_STATUS) == "reported").all())
                      .then(pl.lit("reported"))
                      .when((pl.col(strength.EMP_STATUS) == "suppressed").all())
                      .then(pl.lit("suppressed")).otherwise(pl.lit("partial"))
                      .alias(strength.EMP_STATUS),
                      (pl.col(strength.EMPLOYMENT) > 0).sum().cast(pl.Int64).alias("n_regions"),
                      pl.col(strength.STRONG).sum().cast(pl.Int64).alias("n_strong"),
                      # by rank_in_cluster: a strong region without a known LQ has no rank
                      # and no place in a list by LQ
                      pl.col(schema.REGION).filter(pl.col(strength.STRONG)
                                                   & pl.col(strength.RANK_IN_CLUSTER).is_not_null())
                      .head(TOP_REGIONS)
                      .str.join("; ").alias("top_regions")))
        out = out.join(sizes, on=cdefs.CLUSTER_ID, how="left")
    else:
        out = out.with_columns(*(pl.lit(None, pl.Float64).alias(c) for c in
                                 ("employment", "establishments", "wages")),
                               pl.lit(None, pl.String).alias(strength.EMP_STATUS),
                               pl.lit(None, pl.Int64).alias("n_regions"),
                               pl.lit(None, pl.Int64).alias("n_strong"),
                               pl.lit(None, pl.String).alias("top_regions"))
    scores = None
    if grouping_clusters is not None:
        scores = grouping_clusters.select(pl.col("cluster_id").cast(pl.String),
                                          "within_similarity", "vs_industry")
    elif similarity is not None:
        _, scores = similarity_scores(defs, similarity)
    if scores is None:
        out = out.with_columns(pl.lit(None, pl.Float64).alias("within_similarity"),
                               pl.lit(None, pl.Float64).alias("vs_industry"))
    else:
        out = out.join(scores, on=cdefs.CLUSTER_ID, how="left")
    out = out.with_columns(pl.col(c).cast(pl.Float64).round_sig_figs(12) for c in
                           ("employment", "establishments", "wages", "within_similarity",
                            "vs_industry", "mean_coassignment"))
    return out.with_columns(pl.col("n_strong").fill_null(0), pl.col("n_regions").fill_null(0),
                            pl.col("top_regions").fill_null("")).sort(cdefs.ORDER).select(SUMMARY_COLUMNS)
