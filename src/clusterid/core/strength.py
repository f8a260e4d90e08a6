"""Which regions hold strong clusters: cluster employment, cluster LQs, named rules, ranks.

Pure computation on polars frames (see :mod:`clusterid.cli.detect` for the output columns).

Notes
-----
Cluster location quotient (US Cluster Mapping convention, METHODS.md §1)::

    LQ_cj = (e_cj / D_j) / (sum_j' e_cj' / sum_j' D_j')

over the regions j' of the same ``region_level`` and period, where ``D_j`` is the region's
employment in all *traded* clusters for a traded cluster, in all *local* clusters for a local
one, and its total employment for a cluster of unknown type.

Interval: delta method on ln LQ treating counts as independent Poisson variables (Moineddin,
Beyene & Boyle 2003), with the benchmark sums containing the region's own counts (the same
nested formula as :func:`clusterid.core.lq.var_ln_lq`)::

    Var(ln LQ) ~= 1/e_cj - 1/D_j - 1/E_c - 1/E_D + 2 e_cj / (D_j E_c)

(``E_c``, ``E_D`` the benchmark sums).  No interval when ``e_cj = 0``.

Robustness: ``lq_min``/``lq_max`` are the lowest and highest LQs the suppression bounds allow,
every bounded cell free at once (as :func:`clusterid.core.lq` bounds an industry's LQ): this
cell's cluster employment at its lower or upper bound, the cluster's cells in the other regions
(its benchmark sum ``E_c``) at their upper bounds for the lowest LQ and their lower ones for the
highest, and, with a typed denominator, the region's other clusters of that type as ``E_c``
and the other regions' other clusters the reverse (they raise ``E_D`` alone); published region
totals stay fixed; a region's own total summed from published cells (no all-industries row) is
a lower bound that rises with its suppressed cells, unbounded, for its lq_min.  ``lq_max`` is
empty when an upper bound it needs is open.

Rules (thresholds are parameters, their direction stated):

- ``uscmp-strong`` (US Cluster Mapping Project): per region_level, period and cluster, over
  regions with cluster employment > 0: strong when ``LQ >= Q75(LQ)`` and ``emp > Q25(emp)`` and
  ``est > Q25(est)`` and ``LQ >= 1``.  Tiers: ``top10`` (strong and ``LQ >= Q90``),
  ``significant`` (``LQ > Q50``, same size conditions and ``LQ >= 1``), ``qualifying``
  (``LQ > Q25``, idem).  Quantiles: numpy's default linear interpolation.  Without an
  establishments measure the ``est`` condition is dropped (recorded in metadata).
- ``eco-stars`` (European Cluster Observatory): a star each for size (employment >= Q90 of
  the cluster's regions with employment), specialisation (LQ >= 2) and focus (share of the
  region's employment >= Q90); strong with at least ``min_stars`` (default 2) stars.  Size
  and focus need at least two regions with employment in the region_level to compare.  The
  cut-offs are parameters and *unchecked* against ECO's own documents.
- user rule: ``lq>=1.25,employment>=500,share>=0.01,significant`` — comparisons on lq,
  employment, establishments, share, wages; ``significant`` means ``lq_ci_lower > 1`` (each
  cell at 5%, one-sided 2.5%); ``significant-bh`` / ``significant-bonferroni``: the one-sided
  test of ``ln LQ > 0`` (z = ln LQ / se, the delta-method se) with the false discovery rate
  (Benjamini-Hochberg) or the family-wise error (Bonferroni) held at 5% over every
  region x cluster cell of the run (METHODS.md §1, many cells tested at once).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from clusterid import schema
from clusterid.core import definitions as cdefs
from clusterid.errors import UsageError

# Output column names (documented in clusterid.cli.detect).
CLUSTER_ID = cdefs.CLUSTER_ID
CLUSTER_NAME = cdefs.CLUSTER_NAME
CLUSTER_TYPE = cdefs.CLUSTER_TYPE
EMPLOYMENT = schema.EMPLOYMENT
EMP_LOWER = "employment_lower"
EMP_UPPER = "employment_upper"
EMP_STATUS = "employment_status"
WAGES_STATUS = "wages_status"  # reported | estimated (some imputed, none missing) | partial | suppressed
N_INDUSTRIES = "n_industries"
N_SUPPRESSED = "n_suppressed"
N_MISSING = "n_missing"  # internal: member cells without a value (suppressed, not imputed)
ESTABLISHMENTS = schema.ESTABLISHMENTS
WAGES = schema.WAGES
REGION_EMPLOYMENT = "region_employment"
SHARE = "share"
LQ = "lq"
LQ_DENOMINATOR = "lq_denominator"
LQ_CI_LOWER = "lq_ci_lower"
LQ_CI_UPPER = "lq_ci_upper"
LQ_MIN = "lq_min"
LQ_MAX = "lq_max"
GROWTH = "employment_growth"
# Optional column of the input frame: the point ``--suppressed bounds`` counts a suppressed cell
# at (core.impute.suppression_bounds(point_col=POINT): inside its bounds, keeping the adding-up);
# without it, the midpoint of the cell's bounds
POINT = "_bounds_point"
LQ_CHANGE = "lq_change"
USCMP_TIER = "uscmp_tier"
STARS = "stars"
STAR_SIZE = "star_size"
STAR_SPEC = "star_specialisation"
STAR_FOCUS = "star_focus"
STRONG = "strong"
STRONG_ROBUST = "strong_robust"
STRONG_REASON = "strong_reason"
RANK_IN_REGION = "rank_in_region"
RANK_IN_CLUSTER = "rank_in_cluster"

REGIONAL_COLUMNS = [
    schema.PERIOD, schema.REGION, schema.REGION_NAME, schema.REGION_LEVEL,
    CLUSTER_ID, CLUSTER_NAME, CLUSTER_TYPE,
    EMPLOYMENT, EMP_LOWER, EMP_UPPER, EMP_STATUS, N_INDUSTRIES, N_SUPPRESSED,
    ESTABLISHMENTS, WAGES, WAGES_STATUS, REGION_EMPLOYMENT, SHARE,
    LQ, LQ_DENOMINATOR, LQ_CI_LOWER, LQ_CI_UPPER, LQ_MIN, LQ_MAX, GROWTH, LQ_CHANGE,
    USCMP_TIER, STARS, STAR_SIZE, STAR_SPEC, STAR_FOCUS, STRONG, STRONG_ROBUST, STRONG_REASON,
    RANK_IN_REGION, RANK_IN_CLUSTER,
]

# Why a call is empty (strong_reason): the values the rule reads that the data leaves unknown,
# the first that holds, as lq_reason says why an LQ is undefined
REASON_ALL_SUPPRESSED = "every member cell suppressed"
REASON_NO_REGION_TOTAL = "no region total"
REASON_NO_LQ = "no LQ (zero region total, denominator or benchmark)"
REASON_NO_ESTABLISHMENTS = "establishments unknown"
REASON_UNKNOWN = "a value the rule reads is unknown"

REGION_SUMMARY_COLUMNS = [
    schema.PERIOD, schema.REGION, schema.REGION_NAME, schema.REGION_LEVEL,
    REGION_EMPLOYMENT, "traded_employment", "traded_employment_status",
    "strong_traded_employment", "cluster_strength", "n_strong", "strong_clusters", "rd_employment", "rd_lq", "higher_ed_employment",
    "higher_ed_lq",
]

# Knowledge base of a cluster region, in the canonical code forms (clusterid.core.codes):
# NAICS digits, NACE with its section letter (a bare "72" would be NAICS accommodation).
KNOWLEDGE_CODES = {
    "rd": ("5417", "M72"),
    "higher_ed": ("6113", "P85.4"),
}

SUPPRESSED_MODES = ("drop", "bounds", "impute")
_GROUP = (schema.PERIOD, schema.REGION_LEVEL)


# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """A named strong-cluster rule and its parameters (recorded in metadata)."""

    name: str
    params: dict = field(default_factory=dict)

    def describe(self) -> dict:
        return {"name": self.name, **self.params}


_USER_TERM = re.compile(r"^\s*(lq|employment|establishments|share|wages)\s*(>=|<=|>|<|=)\s*"
                        r"([-+0-9.eE]+)\s*$")
_USER_FIELDS = {"lq": LQ, "employment": EMPLOYMENT, "establishments": ESTABLISHMENTS,
                "share": SHARE, "wages": WAGES}


def parse_rule(text: str, *, min_stars: int = 2, size_quantile: float = 0.9,
               lq_cutoff: float = 2.0, focus_quantile: float = 0.9) -> Rule:
    """``uscmp-strong``, ``uscmp-top10``, ``uscmp-significant``, ``uscmp-qualifying``,
    ``eco-stars`` or a user rule such as ``lq>=1.25,employment>=500,significant``."""
    text = text.strip()
    if text in ("uscmp-strong", "uscmp-top10", "uscmp-significant", "uscmp-qualifying"):
        tier = text.split("-", 1)[1]
        return Rule(text, {"tier": tier, "quantiles": "numpy linear",
                           "conditions": "LQ >= Q75(LQ), emp > Q25(emp), est > Q25(est), LQ >= 1"
                           " over regions of the same region_level and period with emp > 0"})
    if text == "eco-stars":
        return Rule(text, {"min_stars": min_stars, "size_quantile": size_quantile,
                           "lq_cutoff": lq_cutoff, "focus_quantile": focus_quantile,
                           "checked": False})
    terms = []
    significant = False
    for part in [p for p in text.split(",") if p.strip()]:
        if part.strip() in SIGNIFICANCE:
            significant = part.strip()
            continue
        m = _USER_TERM.match(part)
        try:
            # the pattern lets '1.2.3' or 'e' through: float() decides (they ended in an
            # internal error), and an infinite threshold is no threshold
            value = float(m.group(3)) if m else math.nan
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise UsageError(
                f"--rule: cannot read {part.strip()!r}; expected uscmp-strong, uscmp-top10, "
                "uscmp-significant, uscmp-qualifying, eco-stars, or comparisons such as "
                "'lq>=1.25,employment>=500,share>=0.01,significant' (or significant-bh, "
                "significant-bonferroni)")
        field = m.group(1)
        if field == "share" and not 0.0 <= value <= 1.0:
            # a percentage taken for the fraction: 'share>=5' for 5% held for no call, and
            # detect said only that no region was strong (exit 0)
            raise UsageError(
                f"--rule {part.strip()!r}: share is the cluster's fraction of the region's "
                f"employment, from 0 to 1 (expected e.g. share>=0.05 for 5%, found {value:g})")
        if value < 0:
            # no LQ, count or sum of wages is negative: the term held for every call, or none
            raise UsageError(
                f"--rule {part.strip()!r}: {field} is never negative, so the term would hold "
                f"for every call or for none (expected a threshold of 0 or more, found {value:g})")
        terms.append((field, m.group(2), value))
    if not terms and not significant:
        raise UsageError("--rule is empty")
    return Rule("user", {"terms": [f"{a}{op}{v:g}" for a, op, v in terms],
                         "significant": significant, "_terms": terms})


def _compare(expr, op: str, value: float):
    return {">=": expr >= value, "<=": expr <= value, ">": expr > value, "<": expr < value,
            "=": expr == value}[op]


# --------------------------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------------------------
def _cell_bounds(pl, measure: str, names, suppressed: str):
    """(value, lower, upper, known) expressions for one measure of a canonical cell."""
    value = pl.col(measure)
    status = pl.col(schema.status_col(measure)) if schema.status_col(measure) in names else None
    lower = pl.col(schema.lower_col(measure)) if schema.lower_col(measure) in names else pl.lit(None, pl.Float64)
    upper = pl.col(schema.upper_col(measure)) if schema.upper_col(measure) in names else pl.lit(None, pl.Float64)
    reported = (status == schema.REPORTED) if status is not None else value.is_not_null()
    # a source's own estimate (Eurostat's e) is published: its value is its bounds
    published = schema.published(measure, names)
    if suppressed == "bounds":
        mid = pl.when(lower.is_not_null() & upper.is_not_null()).then((lower + upper) / 2)
        if measure == EMPLOYMENT and POINT in names:
            mid = pl.coalesce(pl.col(POINT), mid)
        value = pl.when(value.is_null()).then(mid).otherwise(value)
    lo = pl.when(published).then(pl.col(measure)).otherwise(pl.coalesce(lower, pl.lit(0.0)))
    hi = pl.when(published).then(pl.col(measure)).otherwise(upper)
    return value, lo, hi, reported


def aggregate_clusters(frame, defs: cdefs.Definitions, *, suppressed: str = "drop"):
    """Sum member industries into period x region x cluster rows.

    Parameters
    ----------
    frame : polars.LazyFrame or DataFrame
        Canonical rows of one ownership (the caller filters), any levels: only industries in
        ``defs`` are used.
    defs : Definitions
    suppressed : {"drop", "bounds", "impute"}
        ``drop``: suppressed cells are left out of the sums (and counted in ``n_suppressed``);
        ``bounds``: a suppressed cell with both bounds counts at their midpoint; ``impute``:
        the frame already carries imputed values (status ``estimated``).

    Returns
    -------
    polars.DataFrame with period, region, cluster_id and employment, employment_lower,
    employment_upper, employment_status, n_industries, n_suppressed, establishments, wages.
    """
    import polars as pl

    if suppressed not in SUPPRESSED_MODES:
        raise UsageError(f"--suppressed {suppressed!r}; expected one of {', '.join(SUPPRESSED_MODES)}")
    lf = frame.lazy()
    names = lf.collect_schema().names()
    if EMPLOYMENT not in names:
        raise UsageError("cluster strength needs an employment measure; the input has "
                         + ", ".join(schema.measures_in(names)))
    members = defs.members.select(schema.INDUSTRY, CLUSTER_ID).lazy()
    value, lo, hi, reported = _cell_bounds(pl, EMPLOYMENT, names, suppressed)
    cells = lf.join(members, on=schema.INDUSTRY, how="inner").with_columns(
        value.alias("_v"), lo.alias("_lo"), hi.alias("_hi"), reported.alias("_rep"))
    aggs = [
        pl.col("_v").sum().alias(EMPLOYMENT),
        pl.col("_v").is_not_null().sum().alias("_n_known"),
        pl.col("_lo").sum().alias(EMP_LOWER),
        pl.when(pl.col("_hi").is_null().any()).then(None).otherwise(pl.col("_hi").sum()).alias(EMP_UPPER),
        pl.len().cast(pl.Int64).alias(N_INDUSTRIES),
        (~pl.col("_rep")).sum().cast(pl.Int64).alias(N_SUPPRESSED),
    ]
    for m in (ESTABLISHMENTS, WAGES):
        if m in names:
            aggs.append(pl.when(pl.col(m).is_not_null().any()).then(pl.col(m).sum()).alias(m))
    wage_status = []
    if WAGES in names:
        # A cluster's wage total over suppressed cells that were not imputed (--suppressed drop
        # or bounds) is the sum of the published ones, said by wages_status as employment's is
        # (QCEW Beaver County 2016: cluster 115 at 82 jobs, 8 of its 9 cells imputed, read
        # $173,405 of wages -- the one published cell's -- as if complete); with --suppressed
        # impute every wage cell has a value and the total is complete, some of it estimated
        status_w = pl.col(schema.status_col(WAGES)) if schema.status_col(WAGES) in names else None
        wage_known = (status_w == schema.REPORTED if status_w is not None
                      else pl.col(WAGES).is_not_null())
        wage_est = ((status_w == schema.ESTIMATED) & pl.col(WAGES).is_not_null()
                    if status_w is not None else pl.lit(False))
        aggs += [(~wage_known.fill_null(False)).sum().alias("_w_open"),
                 wage_est.fill_null(False).sum().alias("_w_est"),
                 pl.col(WAGES).is_not_null().sum().alias("_w_some")]
        wage_status = [pl.when(pl.col("_w_open") == 0).then(pl.lit("reported"))
                       .when(pl.col("_w_open") == pl.col("_w_est")).then(pl.lit(schema.ESTIMATED))
                       .when(pl.col("_w_some") == 0).then(pl.lit("suppressed"))
                       .otherwise(pl.lit("partial")).alias(WAGES_STATUS)]
    out = (cells.group_by([schema.PERIOD, schema.REGION, CLUSTER_ID])
           .agg(aggs)
           .with_columns(
               pl.when(pl.col("_n_known") == 0).then(None).otherwise(pl.col(EMPLOYMENT)).alias(EMPLOYMENT),
               pl.when(pl.col(N_SUPPRESSED) == 0).then(pl.lit("reported"))
               .when(pl.col("_n_known") == 0).then(pl.lit("suppressed"))
               .otherwise(pl.lit("partial")).alias(EMP_STATUS),
               (pl.col(N_INDUSTRIES) - pl.col("_n_known")).cast(pl.Int64).alias(N_MISSING),
               *wage_status)
           .drop("_n_known", *(("_w_open", "_w_est", "_w_some") if wage_status else ()))
           .collect())
    for m in (ESTABLISHMENTS, WAGES):
        if m not in out.columns:
            out = out.with_columns(pl.lit(None, pl.Float64).alias(m))
    if WAGES_STATUS not in out.columns:
        out = out.with_columns(pl.lit(None, pl.String).alias(WAGES_STATUS))
    nested = _upper_within_parents(lf, members, names, suppressed)
    if nested is not None:
        keys = [schema.PERIOD, schema.REGION, CLUSTER_ID]
        out = (out.join(nested, on=keys, how="left")
               .with_columns(pl.when(pl.col("_nested").is_not_null()
                                     & (pl.col(EMP_UPPER).is_null()
                                        | (pl.col("_nested") < pl.col(EMP_UPPER))))
                             .then(pl.col("_nested")).otherwise(pl.col(EMP_UPPER)).alias(EMP_UPPER))
               .drop("_nested"))
    out = out.with_columns(_stable(pl, [EMPLOYMENT, EMP_LOWER, EMP_UPPER, ESTABLISHMENTS, WAGES]))
    return out.sort([schema.PERIOD, schema.REGION, CLUSTER_ID])


def _upper_within_parents(lf, members, names, suppressed: str):
    """Per (period, region, cluster): the cluster's upper bound with its members nested in the
    codes the region lists above them, or None for a table without code levels.

    Summing each member's upper bound alone lets two divisions of one section hold up to
    twice the section (C10 and C11 of a region listing C = 5,000 alone: each at most 5,000,
    the cluster "at most 10,000").  Members are gathered up the code tree, finest level
    first: the members (or gathered groups) under one listed parent P together hold at most
    ``upper(P) - sum of lower(S)`` over P's listed children S outside the group (its
    published siblings take their share), and never less than their own lower bounds; a
    parent without a known or bounded figure caps nothing, and a member whose parent the
    region does not list moves up to the next listed ancestor.  The cluster's bound is the
    sum over the groups at the top (empty while one is unbounded)."""
    import polars as pl

    from clusterid.core.codes import parent

    if schema.LEVEL not in names or schema.CLASSIFICATION not in names:
        return None
    _v, lo, hi, _r = _cell_bounds(pl, EMPLOYMENT, names, suppressed)
    keys = [schema.PERIOD, schema.REGION]
    # (one row per region and code: a table of one ownership, as the callers give)
    every = (lf.filter(pl.col(schema.LEVEL) >= 1)
             .select(*keys, schema.INDUSTRY, schema.CLASSIFICATION,
                     pl.col(schema.LEVEL).cast(pl.Int64), lo.alias("_lo"), hi.alias("_hi"))
             .unique(subset=[*keys, schema.INDUSTRY], keep="first").collect())
    items = every.join(members.collect(), on=schema.INDUSTRY, how="inner")
    if items.height == 0:
        return None
    items = items.with_columns(pl.col(schema.INDUSTRY).alias("_code"))
    gid = [*keys, CLUSTER_ID]
    levels = sorted(every.get_column(schema.LEVEL).drop_nulls().unique().to_list())
    for lv in reversed(levels[1:]):
        distinct = every.filter(pl.col(schema.LEVEL) == lv).select(
            schema.INDUSTRY, schema.CLASSIFICATION).unique()
        pairs = [(c, k, parent(c, k, lv - 1) if k else None) for c, k in distinct.iter_rows()]
        pairs += [(c, k, parent(c, k, lv - 1) if k else None)
                  for c, k in items.filter(pl.col(schema.LEVEL) == lv)
                  .select("_code", schema.CLASSIFICATION).unique().iter_rows()]
        links = pl.DataFrame([(c, k, p) for c, k, p in pairs if p and p != c],
                             schema={"_code": pl.String, schema.CLASSIFICATION: pl.String,
                                     "_par": pl.String}, orient="row").unique()
        at = items.filter(pl.col(schema.LEVEL) == lv).join(
            links, on=["_code", schema.CLASSIFICATION], how="left")
        rest = items.filter(pl.col(schema.LEVEL) != lv)
        listed = every.select(*keys, pl.col(schema.INDUSTRY).alias("_par"),
                              pl.col("_hi").alias("_phi"), pl.lit(True).alias("_listed"))
        at = at.join(listed, on=[*keys, "_par"], how="left")
        up = (at.filter(pl.col("_listed").is_null())
              .with_columns(pl.coalesce("_par", "_code").alias("_code"),
                            pl.lit(lv - 1, pl.Int64).alias(schema.LEVEL))
              .select(items.columns))
        grouped = at.filter(pl.col("_listed").fill_null(False))
        if grouped.height:
            # the parent's listed children at this level, and those the groups stand for
            children = (every.filter(pl.col(schema.LEVEL) == lv)
                        .join(links.rename({"_code": schema.INDUSTRY}),
                              on=[schema.INDUSTRY, schema.CLASSIFICATION])
                        .select(*keys, "_par", pl.col(schema.INDUSTRY).alias("_code"),
                                pl.col("_lo").alias("_clo")))
            siblings = children.group_by(*keys, "_par").agg(pl.col("_clo").sum().alias("_all"))
            inside = (grouped.select(*gid, "_par", "_code")
                      .join(children, on=[*keys, "_par", "_code"], how="inner")
                      .group_by(*gid, "_par").agg(pl.col("_clo").sum().alias("_mine")))
            grouped = (grouped.group_by(*gid, "_par", schema.CLASSIFICATION).agg(
                           pl.col("_lo").sum(),
                           pl.when(pl.col("_hi").is_null().any()).then(None)
                           .otherwise(pl.col("_hi").sum()).alias("_hi"),
                           pl.col("_phi").first())
                       .join(siblings, on=[*keys, "_par"], how="left")
                       .join(inside, on=[*gid, "_par"], how="left")
                       .with_columns((pl.col("_phi") - pl.col("_all").fill_null(0.0)
                                      + pl.col("_mine").fill_null(0.0)).alias("_cap"))
                       .with_columns(
                           pl.when(pl.col("_cap").is_null()).then(pl.col("_hi"))
                           .otherwise(pl.max_horizontal(
                               pl.min_horizontal(pl.col("_hi").fill_null(float("inf")),
                                                 pl.col("_cap")),
                               pl.col("_lo"))).alias("_hi"),
                           pl.col("_par").alias("_code"), pl.col("_par").alias(schema.INDUSTRY),
                           pl.lit(lv - 1, pl.Int64).alias(schema.LEVEL))
                       .select(items.columns))
        items = pl.concat([rest, up, *([grouped] if grouped.height else [])],
                          how="vertical_relaxed")
    return (items.group_by(gid).agg(
        pl.when(pl.col("_hi").is_null().any()).then(None).otherwise(pl.col("_hi").sum())
        .alias("_nested")))


def _stable(pl, columns):
    """Round float results to 12 significant digits.

    Parallel group-by sums add in no fixed order, so the last bits of a sum can differ from
    run to run; rounding them away keeps ranks, ties and threshold tests - and so the output
    files - identical across runs.
    """
    return [pl.col(c).cast(pl.Float64).round_sig_figs(12) for c in columns]


# region_total_source of a region whose total had to be summed over industries some of which
# are suppressed: the sum of the published ones, a lower bound (shares and LQs upper bounds)
LOWER_BOUND_TOTAL = "sum of published industries (some suppressed: a lower bound)"
# internal column of region_totals: the suppressed cells summed (as nothing) into such a total
REGION_OPEN_CELLS = "region_open_cells"


def level_industries(frame, defs: cdefs.Definitions) -> list[str]:
    """The industries whose sum is a region's total where it has no all-industries row: every
    industry of the table at the level most of the definitions' members have, not the members
    alone (definitions of three sections made a region's 'total' those three sections, and
    agriculture's share of a region with 1,000 jobs 300 / 500).  Without levels (a custom
    table), every industry but the all-industries code.  :func:`region_totals` adds each
    region's :func:`lone_cells`, the codes it lists with nothing above or below them."""
    import polars as pl

    lf = frame.lazy()
    names = lf.collect_schema().names()
    members = sorted(set(defs.members[schema.INDUSTRY].to_list()))
    if schema.LEVEL not in names:
        return members
    present = (lf.filter(pl.col(schema.INDUSTRY).is_in(members))
               .group_by(schema.LEVEL).agg(pl.col(schema.INDUSTRY).n_unique().alias("_n"))
               .collect())
    if not present.height:
        return members
    lev = present.sort(["_n", schema.LEVEL], descending=[True, True], nulls_last=True)[schema.LEVEL][0]
    same = pl.col(schema.LEVEL).is_null() if lev is None else pl.col(schema.LEVEL) == lev
    codes = (lf.filter(same & (pl.col(schema.INDUSTRY) != schema.ALL_INDUSTRIES))
             .select(pl.col(schema.INDUSTRY).unique()).collect().to_series().to_list())
    return sorted(set(codes))


def _region_keys(names) -> list[str]:
    """What one region's listing is: period x region (x ownership: a region's private rows
    and its total rows are two listings, as :func:`region_totals` sums them apart)."""
    return [c for c in (schema.PERIOD, schema.REGION, schema.OWNERSHIP) if c in names]


def lone_cells(frame):
    """Per period x region x ownership, the codes it lists with no code above or below them
    in that region's own listing (5417 beside the six-digit 311111, 311119 of another branch;
    a region listing 31-33 alone where the others detail it into 311111 ...): a sum over one
    level leaves them out of the region's total.

    Per region, not over the whole table: a region listing only 31-33 while the others list
    311111 had its manufacturing left out of its total (31-33 has codes below it elsewhere),
    and its other industries' shares and LQs raised.  NACE aggregates of several sections or
    divisions (``B-E``) are never lone: they overlap codes of their own level.  Needs a
    classification column; returns a polars DataFrame of the region keys and industry."""
    import polars as pl

    from clusterid.core import codes as ccodes

    lf = frame.lazy()
    names = lf.collect_schema().names()
    keys = _region_keys(names)
    if schema.CLASSIFICATION not in names:
        return pl.DataFrame(schema={**{k: lf.collect_schema()[k] for k in keys},
                                    schema.INDUSTRY: pl.String})
    rows = (lf.filter(pl.col(schema.INDUSTRY) != schema.ALL_INDUSTRIES)
            .select(*keys, schema.INDUSTRY, schema.CLASSIFICATION).unique().collect())
    pairs = rows.select(schema.INDUSTRY, schema.CLASSIFICATION).unique().sort(
        schema.INDUSTRY, schema.CLASSIFICATION, nulls_last=True)
    eligible, links = [], []
    for code, cls in pairs.iter_rows():
        if cls is None or ccodes.level(code, cls) is None:
            continue  # no code of the classification (REAT's named groups): said elsewhere
        if len(ccodes.nace_cover(code) or ()) <= 1:
            eligible.append((code, cls))
        links += [(code, cls, par) for _, par in ccodes.parent_links(code, cls)
                  if par != schema.ALL_INDUSTRIES]
    lone = (rows.filter(pl.Series(_lone_mask(rows, keys, set(eligible), links)))
            .select(*keys, schema.INDUSTRY).unique().sort([*keys, schema.INDUSTRY], nulls_last=True))
    if schema.LEVEL in names and keys:
        # a NAICS range beside its parts in a region's listing (31-33 and 31, 32, 33): one of
        # them is lone, as lq and stats sum them (core.overlaps), or the region's total
        # counted manufacturing twice
        from clusterid.core.overlaps import left_out_per_group

        naics = lf.filter((pl.col(schema.CLASSIFICATION) == schema.NAICS)
                          & pl.col(schema.INDUSTRY).is_in(sorted(
                              {*ccodes.NAICS_RANGES, *ccodes.NAICS_RANGE_PARTS})))
        left_out = left_out_per_group(naics, keys)
        if left_out.height:
            lone = lone.join(left_out, on=[*keys, schema.INDUSTRY], how="anti", nulls_equal=True)
    return lone


def _lone_mask(rows, keys: list[str], eligible: set, links: list):
    """Per row of ``rows`` (distinct listing keys, industry, classification): eligible, with no
    ancestor listed in its own listing and the ancestor of no listed code there.

    On integer ids in numpy (a row's ancestors from ``links``, ``(code, classification,
    ancestor)``): as hash joins of the rows with their ancestors' rows this took 7-9 s and
    +3 GB of memory on QCEW's county panel (2.4 M listed cells, each with up to five
    ancestors), inside detect.  Ancestors are matched on the code alone, as listed."""
    import numpy as np

    from clusterid.core.validate import column_ranks, combine_ranks

    n = rows.height
    if n == 0:
        return np.zeros(0, dtype=bool)
    ranks = column_ranks(rows, [*keys, schema.INDUSTRY, schema.CLASSIFICATION])
    gid, n_groups = np.zeros(n, dtype=np.int64), 1
    if keys:
        gid = combine_ranks([ranks[k] for k in keys]).to_numpy().astype(np.int64)
        n_groups = math.prod(ranks[k][1] for k in keys)
        if n_groups > n:  # a sparse product of the keys' values: numbered densely
            uniq, gid = np.unique(gid, return_inverse=True)
            n_groups = uniq.size
    code_rank, n_codes = ranks[schema.INDUSTRY]
    cls_rank, n_cls = ranks[schema.CLASSIFICATION]
    codes = ranks[schema.INDUSTRY].values.to_list()
    vocab = {c: i for i, c in enumerate(codes)}  # a row's code: its rank
    classes = [c or None for c in ranks[schema.CLASSIFICATION].values.to_list()]  # null read as ""
    ancestors: dict[tuple, list] = {}
    for code, cls, par in links:
        ancestors.setdefault((code, cls), []).append(vocab.setdefault(par, len(vocab)))
    width = max((len(a) for a in ancestors.values()), default=0)
    n_vocab = len(vocab)
    # per (code, classification) pair: eligible, and its ancestors' ids (-1 padded)
    pair_eligible = np.zeros(n_codes * n_cls, dtype=bool)
    pair_anc = np.full((n_codes * n_cls, max(width, 1)), -1, dtype=np.int64)
    for ci, code in enumerate(codes):
        for ki, cls in enumerate(classes):
            pid = ci * n_cls + ki
            pair_eligible[pid] = (code, cls) in eligible
            anc = ancestors.get((code, cls))
            if anc:
                pair_anc[pid, :len(anc)] = anc
    cid = code_rank.to_numpy().astype(np.int64)
    pid = cid * n_cls + cls_rank.to_numpy()
    anc = pair_anc[pid]  # rows x width
    has = anc >= 0
    key = gid * n_vocab + cid
    anc_key = np.where(has, gid[:, None] * n_vocab + anc, -1)
    if n_groups * n_vocab <= 1 << 27:
        listed = np.zeros(n_groups * n_vocab, dtype=bool)
        listed[key] = True
        above = (listed[np.where(has, anc_key, 0)] & has).any(axis=1)
        marked = np.zeros_like(listed)
        marked[anc_key[has]] = True
        below = marked[key]
    else:  # a key space too large for a table: sorted keys and binary search
        listed = np.unique(key)
        above = (np.isin(anc_key, listed) & has).any(axis=1)
        below = np.isin(key, np.unique(anc_key[has]))
    return pair_eligible[pid] & ~above & ~below


def lone_codes(frame) -> list[str]:
    """The codes some region lists with nothing above or below them (:func:`lone_cells`)."""
    return sorted(set(lone_cells(frame)[schema.INDUSTRY].to_list()))


def _root_residuals(lf, level_industries, lone):
    """Per period x region x ownership: what the published codes above the summed level, with
    no listed code above them, hold beyond their listed parts at that level (``_res``), and how
    many of those parts are suppressed, their value then inside the published code
    (``_covered``).  None without a classification column.

    A region's total summed over one level (and its lone codes) leaves out the rest of a
    section whose divisions are listed in part: Bayern's C 1,500,000 beside C10, C20 and C29
    (690,000) counted 690,000.  ``max(0, e_r - sum of its listed parts)`` per such code ``r``
    adds the rest and leaves tables whose parts add up (or exceed, by rounding) unchanged.
    ``lone``: the regions' :func:`lone_cells` (with a ``_lone`` flag), counted whole already."""
    import polars as pl

    from clusterid.core import codes as ccodes

    names = lf.collect_schema().names()
    if schema.CLASSIFICATION not in names:
        return None
    keys = [schema.PERIOD, schema.REGION, schema.OWNERSHIP]
    rows = (lf.filter(pl.col(schema.INDUSTRY) != schema.ALL_INDUSTRIES)
            .select(*[k for k in keys if k in names], schema.INDUSTRY, schema.CLASSIFICATION,
                    EMPLOYMENT)
            .collect())
    if schema.OWNERSHIP not in names:
        rows = rows.with_columns(pl.lit(schema.OWNERSHIP_TOTAL).alias(schema.OWNERSHIP))
    if not rows.height:
        return None
    level_set = set(level_industries)
    pairs = rows.select(schema.INDUSTRY, schema.CLASSIFICATION).unique()
    present = set(pairs[schema.INDUSTRY].to_list())
    eligible, links = [], []
    for code, cls in pairs.iter_rows():
        if cls is None or ccodes.level(code, cls) is None or len(ccodes.nace_cover(code) or ()) > 1:
            continue  # no code of the classification, or an aggregate of several (B-E)
        eligible.append((code, cls))
        links += [(code, cls, par) for _, par in ccodes.parent_links(code, cls, present)
                  if par != schema.ALL_INDUSTRIES]
    sch = {schema.INDUSTRY: pl.String, schema.CLASSIFICATION: pl.String}
    eligible = pl.DataFrame(eligible, schema=sch, orient="row")
    links = pl.DataFrame(links, schema={**sch, "_up": pl.String}, orient="row").unique()
    if not links.height:
        return None
    up = rows.join(links, on=[schema.INDUSTRY, schema.CLASSIFICATION])
    listed = rows.select(*keys, pl.col(schema.INDUSTRY).alias("_up"), schema.CLASSIFICATION)
    has_above = up.join(listed, on=[*keys, "_up", schema.CLASSIFICATION], how="semi",
                        nulls_equal=True)
    roots = (rows.filter(~pl.col(schema.INDUSTRY).is_in(sorted(level_set)))
             .join(has_above, on=[*keys, schema.INDUSTRY, schema.CLASSIFICATION], how="anti",
                   nulls_equal=True)
             .join(lone.drop("_lone"), on=[k for k in keys if k in names] + [schema.INDUSTRY],
                   how="anti", nulls_equal=True)
             .filter(pl.col(EMPLOYMENT).is_not_null())
             .join(eligible, on=[schema.INDUSTRY, schema.CLASSIFICATION], how="semi"))
    if not roots.height:
        return None
    parts = (up.filter(pl.col(schema.INDUSTRY).is_in(sorted(level_set)))
             .group_by(*keys, pl.col("_up").alias(schema.INDUSTRY), schema.CLASSIFICATION)
             .agg(pl.col(EMPLOYMENT).sum().alias("_parts"),
                  pl.col(EMPLOYMENT).is_null().sum().cast(pl.Int64).alias("_n_open")))
    per_root = (roots.join(parts, on=[*keys, schema.INDUSTRY, schema.CLASSIFICATION],
                           how="left", nulls_equal=True)
                .with_columns((pl.col(EMPLOYMENT) - pl.col("_parts").fill_null(0)).clip(0)
                              .alias("_res")))
    return (per_root.group_by(keys)
            .agg(pl.col("_res").sum(), pl.col("_n_open").fill_null(0).sum().alias("_covered")))


def region_totals(frame, *, level_industries=None):
    """Per period x region: labels and total employment.

    The total is the all-industries row (``schema.ALL_INDUSTRIES``), preferring the
    ``total`` ownership (BLS convention: all-ownership denominators); regions without such a
    row get the sum of ``level_industries`` rows of their own ownership and of the codes
    they list with nothing above or below them (:func:`lone_cells`; a lower bound when cells
    are suppressed).  Returns columns period, region, region_name, region_level,
    region_employment, region_total_source.
    """
    import polars as pl

    lf = frame.lazy()
    names = lf.collect_schema().names()
    labels = (lf.group_by([schema.PERIOD, schema.REGION])
              .agg(pl.col(schema.REGION_NAME).drop_nulls().first() if schema.REGION_NAME in names
                   else pl.lit(None, pl.String).alias(schema.REGION_NAME),
                   pl.col(schema.REGION_LEVEL).drop_nulls().first() if schema.REGION_LEVEL in names
                   else pl.lit(None, pl.String).alias(schema.REGION_LEVEL)))
    own_rank = (pl.when(pl.col(schema.OWNERSHIP) == schema.OWNERSHIP_TOTAL).then(0)
                .when(pl.col(schema.OWNERSHIP) == schema.OWNERSHIP_PRIVATE).then(1).otherwise(2))
    tot = (lf.filter(pl.col(schema.INDUSTRY) == schema.ALL_INDUSTRIES)
           .filter(pl.col(EMPLOYMENT).is_not_null())
           .with_columns(own_rank.alias("_r"))
           .sort([schema.PERIOD, schema.REGION, "_r"])
           .group_by([schema.PERIOD, schema.REGION], maintain_order=True)
           .agg(pl.col(EMPLOYMENT).first().alias(REGION_EMPLOYMENT),
                pl.col(schema.OWNERSHIP).first().alias("_own")))
    out = labels.join(tot, on=[schema.PERIOD, schema.REGION], how="left")
    if level_industries is not None:
        # one ownership's rows (total first, as for the all-industries row): a table of total
        # and private rows without an all-industries row summed both, twice the region
        # and each region's lone codes, those with nothing above or below them in its own
        # listing (a region of 31-33 alone where others detail it)
        # (only the regions without an all-industries row need them)
        need = lf.join(tot.select(schema.PERIOD, schema.REGION),
                       on=[schema.PERIOD, schema.REGION], how="anti", nulls_equal=True)
        lone = lone_cells(need).with_columns(pl.lit(True).alias("_lone"))
        rows = (lf.join(lone.lazy(), on=list(lone.columns[:-1]), how="left", nulls_equal=True)
                .filter(pl.col(schema.INDUSTRY).is_in(sorted(set(level_industries)))
                        | pl.col("_lone").fill_null(False))
                .drop("_lone"))
        if schema.OWNERSHIP not in names:
            rows = rows.with_columns(pl.lit(schema.OWNERSHIP_TOTAL).alias(schema.OWNERSHIP))
        summed = (rows.group_by([schema.PERIOD, schema.REGION, schema.OWNERSHIP])
                  # nothing published sums to unknown, not to 0
                  .agg(pl.when(pl.col(EMPLOYMENT).is_not_null().any())
                       .then(pl.col(EMPLOYMENT).sum()).alias("_sum"),
                       pl.col(EMPLOYMENT).is_null().sum().alias("_open")))
        residual = _root_residuals(need, level_industries, lone)
        if residual is not None:
            # a section published above only some of its divisions (a Länder table listing
            # C and C10, C20, C29): the rest of C was left out of the region's total
            summed = (summed.join(residual.lazy(), on=[schema.PERIOD, schema.REGION,
                                                       schema.OWNERSHIP],
                                  how="full", coalesce=True, nulls_equal=True)
                      .with_columns(
                          pl.when(pl.col("_res").fill_null(0) > 0)
                          .then(pl.col("_sum").fill_null(0) + pl.col("_res"))
                          .otherwise(pl.col("_sum")).alias("_sum"),
                          (pl.col("_open").fill_null(0).cast(pl.Int64)
                           - pl.col("_covered").fill_null(0)).clip(0).alias("_open"))
                      .drop("_res", "_covered"))
        summed = (summed.with_columns(own_rank.alias("_r"))
                  .sort([schema.PERIOD, schema.REGION, "_r"])
                  .group_by([schema.PERIOD, schema.REGION], maintain_order=True)
                  .agg(pl.col("_sum").first(), pl.col("_open").first()))
        out = out.join(summed, on=[schema.PERIOD, schema.REGION], how="left")
    else:
        out = out.with_columns(pl.lit(None, pl.Float64).alias("_sum"),
                               pl.lit(None, pl.UInt32).alias("_open"))
    out = out.with_columns(
        pl.when(pl.col(REGION_EMPLOYMENT).is_not_null())
        .then(pl.lit("all-industries row, ownership ") + pl.col("_own"))
        .when(pl.col("_sum").is_not_null() & (pl.col("_open").fill_null(0) > 0))
        .then(pl.lit(LOWER_BOUND_TOTAL))
        .when(pl.col("_sum").is_not_null()).then(pl.lit("sum of industries"))
        .otherwise(None).alias("region_total_source"),
        pl.coalesce(REGION_EMPLOYMENT, "_sum").alias(REGION_EMPLOYMENT),
        # suppressed cells inside a lower-bound total: they can raise it (cluster_lq's range)
        pl.when(pl.col(REGION_EMPLOYMENT).is_null() & pl.col("_sum").is_not_null())
        .then(pl.col("_open").fill_null(0).cast(pl.Int64)).otherwise(0)
        .alias(REGION_OPEN_CELLS),
    ).drop("_own", "_sum", "_open")
    return out.collect().with_columns(_stable(pl, [REGION_EMPLOYMENT])).sort([schema.PERIOD, schema.REGION])


# --------------------------------------------------------------------------------------------
# LQs, intervals, robustness
# --------------------------------------------------------------------------------------------
DENOMINATORS = ("auto", "typed", "total")
AUTO_TYPED_MAX_SUPPRESSED = 0.05


def choose_denominator(agg, denominator: str = "auto") -> str:
    """``typed`` (traded/local, USCMP) or ``total``.

    ``auto`` takes ``typed`` when at most 5% of the member cells lack a value (complete or
    imputed data) and ``total`` otherwise: with most cells suppressed, a region's known
    traded employment is a small, arbitrary part of the truth and an LQ against it means
    little, while the region's total employment is published.  (The only cluster of its type
    takes ``total`` in any case: :func:`lone_typed_clusters`.)
    """
    if denominator not in DENOMINATORS:
        raise UsageError(f"--lq-denominator {denominator!r}; expected one of {', '.join(DENOMINATORS)}")
    if denominator != "auto":
        return denominator
    cells = int(agg[N_INDUSTRIES].sum() or 0)
    missing = int(agg[N_MISSING].sum() or 0) if cells else 0
    if cells and missing / cells > AUTO_TYPED_MAX_SUPPRESSED:
        return "total"
    return "typed"


def lone_typed_clusters(agg, defs: cdefs.Definitions) -> dict[str, str]:
    """``{type: cluster_id}`` for each type (traded, local) with exactly one cluster that has
    rows in ``agg``: its typed denominator is that cluster itself, so its LQ is 1 everywhere
    and every region ties at the quantiles (a definitions file with one traded cluster and
    one local on REAT's Länder: every LQ 1.0 and 12 of the 16 Länder "strong" in both; the
    USCMP definitions on a table of one cluster's industries, New Hampshire's tourism codes:
    24 of 40 counties "strong").  :func:`cluster_lq` gives such a cluster the region's total
    employment as denominator, as it does clusters of unknown type."""
    import polars as pl

    present = agg.select(CLUSTER_ID).unique().join(
        defs.clusters.select(CLUSTER_ID, CLUSTER_TYPE), on=CLUSTER_ID, how="inner")
    out = {}
    for kind in (cdefs.TRADED, cdefs.LOCAL):
        ids = present.filter(pl.col(CLUSTER_TYPE) == kind)[CLUSTER_ID].to_list()
        if len(ids) == 1:
            out[kind] = ids[0]
    return out


def cluster_lq(agg, totals, defs: cdefs.Definitions, *, z: float = 1.959963984540054,
               denominator: str = "typed"):
    """Add labels, share, cluster LQ with its denominator, interval and bounds to ``agg``.

    Rows: every period x region x cluster in ``agg`` (regions of ``totals`` without any member
    cell do not appear).  ``denominator``: ``typed`` (traded clusters against traded
    employment, local against local, unknown against the total) or ``total`` (every cluster
    against the region's total employment).  See the module notes for the formulas.
    """
    import polars as pl

    clusters = defs.clusters.select(CLUSTER_ID, CLUSTER_NAME, CLUSTER_TYPE, cdefs.ORDER)
    df = (agg.join(clusters, on=CLUSTER_ID, how="left")
          .join(totals, on=[schema.PERIOD, schema.REGION], how="left"))
    if "region_total_source" in df.columns:
        # A cluster is part of its region.  Its upper bound sums its suppressed members' upper
        # bounds, each bounded alone by the region's remainder: BEA's CAEMP25N had Daggett
        # County (776 jobs) hold a cluster of up to 2,070, and lq_max taken from it.  A
        # published all-industries total caps it (never below what is known to be there).
        published = pl.col("region_total_source").str.starts_with("all-industries row")
        df = df.with_columns(
            pl.when(published.fill_null(False) & (pl.col(EMP_UPPER) > pl.col(REGION_EMPLOYMENT)))
            .then(pl.max_horizontal(REGION_EMPLOYMENT, EMP_LOWER, EMPLOYMENT))
            .otherwise(pl.col(EMP_UPPER)).alias(EMP_UPPER))
    if denominator == "total":
        denom_kind = pl.lit("total")
    else:
        lone = lone_typed_clusters(agg, defs)  # its own employment as denominator: LQ 1
        denom_kind = (pl.when((pl.col(CLUSTER_TYPE) == cdefs.TRADED) & (cdefs.TRADED not in lone))
                      .then(pl.lit("traded"))
                      .when((pl.col(CLUSTER_TYPE) == cdefs.LOCAL) & (cdefs.LOCAL not in lone))
                      .then(pl.lit("local"))
                      .otherwise(pl.lit("total")))
    df = df.with_columns(denom_kind.alias(LQ_DENOMINATOR))
    emp0 = pl.col(EMPLOYMENT).fill_null(0.0)  # only for the sums of traded/local employment:
    # a region's known cluster employment; a cluster with no known value adds nothing.
    # How far the region's other clusters of the same denominator may move within their
    # suppression bounds: a typed denominator (traded employment) holding a suppressed cluster
    # is only known within a range, and so is every LQ against it.
    lo_gap = pl.col(EMP_LOWER).fill_null(emp0) - emp0
    hi_gap = pl.col(EMP_UPPER) - emp0
    typed = (df.filter(pl.col(LQ_DENOMINATOR) != "total")
             .group_by([schema.PERIOD, schema.REGION, LQ_DENOMINATOR])
             .agg(emp0.sum().alias("_D"), lo_gap.sum().alias("_glo"),
                  hi_gap.drop_nulls().sum().alias("_ghi"),
                  pl.col(EMP_UPPER).is_null().sum().alias("_gopen")))
    df = df.join(typed, on=[schema.PERIOD, schema.REGION, LQ_DENOMINATOR], how="left")
    df = df.with_columns(
        pl.when(pl.col(LQ_DENOMINATOR) == "total").then(pl.col(REGION_EMPLOYMENT))
        .otherwise(pl.col("_D")).alias("_D"))
    # Benchmark sums per region_level x period (a region's D counted once per denominator kind).
    dsum = (df.select([*_GROUP, schema.REGION, LQ_DENOMINATOR, "_D"]).unique()
            .group_by([*_GROUP, LQ_DENOMINATOR]).agg(pl.col("_D").sum().alias("_ED")))
    csum = df.group_by([*_GROUP, CLUSTER_ID]).agg(emp0.sum().alias("_EC"))
    df = (df.join(dsum, on=[*_GROUP, LQ_DENOMINATOR], how="left", nulls_equal=True)
          .join(csum, on=[*_GROUP, CLUSTER_ID], how="left", nulls_equal=True))
    e = pl.col(EMPLOYMENT)
    D, EC, ED = pl.col("_D"), pl.col("_EC"), pl.col("_ED")

    moves = pl.col(LQ_DENOMINATOR) != "total"
    # What the bounds allow, every bounded cell free at once (as core.lq._spread_bounds for an
    # industry's LQ): with x this cell's employment, o the region's other clusters in its typed
    # denominator, O the cluster's employment in the other regions and R the other regions'
    # other clusters of that denominator,
    #     typed:  LQ = x (x + o + O + R) / ((x + o) (x + O))  -- falls with o and O, rises with R
    #     total:  LQ = (x / T_r) / ((x + O) / sum T)          -- falls with O (totals published)
    # so the lowest LQ has o and O at their upper bounds and R at its lower, the highest the
    # reverse, x at either end.  Holding O and R at their estimates (as before) left E_c short
    # or long: on a CBP county file from Utah's QCEW with 30% of cells withheld (detect
    # --definitions uscmp), 25 of 494 true cluster LQs fell outside [lq_min, lq_max] with
    # --suppressed bounds, 314 with drop; now none.
    own_open = pl.col(EMP_UPPER).is_null().cast(pl.Int64)
    spread = (df.group_by([*_GROUP, CLUSTER_ID])
              .agg(lo_gap.sum().alias("_Clo"), hi_gap.drop_nulls().sum().alias("_Chi"),
                   pl.col(EMP_UPPER).is_null().sum().alias("_Copen")))
    whole = (df.filter(pl.col(LQ_DENOMINATOR) != "total")
             .group_by([*_GROUP, LQ_DENOMINATOR])
             .agg(lo_gap.sum().alias("_Glo"), hi_gap.drop_nulls().sum().alias("_Ghi"),
                  pl.col(EMP_UPPER).is_null().sum().alias("_Gopen")))
    df = (df.join(spread, on=[*_GROUP, CLUSTER_ID], how="left", nulls_equal=True)
          .join(whole, on=[*_GROUP, LQ_DENOMINATOR], how="left", nulls_equal=True))
    hi_own = hi_gap.fill_null(0.0)
    # moves of each part away from its estimate: (down, up, up unbounded)
    O_dn, O_up = pl.col("_Clo") - lo_gap, pl.col("_Chi") - hi_own
    O_open = (pl.col("_Copen") - own_open) > 0
    o_dn = pl.when(moves).then(pl.col("_glo") - lo_gap).otherwise(0.0)
    o_up = pl.when(moves).then(pl.col("_ghi") - hi_own).otherwise(0.0)
    o_open = moves & ((pl.col("_gopen") - own_open) > 0)
    R_dn = pl.when(moves).then(pl.col("_Glo") - pl.col("_glo") - O_dn).otherwise(0.0)
    R_up = pl.when(moves).then(pl.col("_Ghi") - pl.col("_ghi") - O_up).otherwise(0.0)
    R_open = moves & ((pl.col("_Gopen") - pl.col("_gopen") - (pl.col("_Copen") - own_open)) > 0)
    # A "total" denominator is fixed only when it is published.  A region without an
    # all-industries row has the sum of its published cells, a lower bound: its suppressed
    # cells are in it as nothing, and each may be anything above that (a table whose
    # industry C20 is 'x' in every region made its other cluster 100% of each region, LQ 1.0
    # everywhere, and lq_min = lq_max = 1.0 called three regions' LQs of 1 "strong" and
    # "robust").  Such a total moves with this cell (x is in it), its other suppressed cells
    # are unbounded (as an open o).  Other regions' totals stay as summed: opening lq_max
    # for any of them left a national table with one country's cell unknown (Eurostat's
    # namq_10_a10_e, MT 2016) without an upper LQ anywhere.
    floats = ~moves & (pl.col("region_total_source") == LOWER_BOUND_TOTAL).fill_null(False)
    if REGION_OPEN_CELLS in df.columns:
        others_open = (pl.col(REGION_OPEN_CELLS).fill_null(0)
                       - pl.col(N_MISSING).fill_null(0)) > 0
        o_open = o_open | (floats & others_open)

    def lq_at(x, do, dO, dR):
        # this cell at x, the others moved by do, dO, dR from their estimates: a typed
        # denominator and its benchmark sum move with them, a published "total" one is fixed,
        # a lower-bound one moves with x
        d = pl.when(moves).then(D - emp0 + x + do).when(floats).then(D - emp0 + x).otherwise(D)
        ec = EC - emp0 + x + dO
        ed = (pl.when(moves).then(ED - emp0 + x + do + dO + dR)
              .when(floats).then(ED - emp0 + x).otherwise(ED))
        return pl.when((d > 0) & (ec > 0) & (ed > 0)).then((x / d) / (ec / ed))

    def lowest(x):
        d = D - emp0 + x + o_up
        ec = EC - emp0 + x + O_up
        # an unbounded part at its limit: o -> inf gives x / E_c, O -> inf gives x / D (typed)
        # or 0 (total), both 0
        return (pl.when(O_open & (o_open | ~moves)).then(pl.when(x.is_not_null()).then(0.0))
                .when(o_open).then(pl.when(ec > 0).then(x / ec))
                .when(O_open).then(pl.when(d > 0).then(x / d))
                .otherwise(lq_at(x, o_up, O_up, R_dn)))

    def highest(x):
        return pl.when(R_open).then(None).otherwise(lq_at(x, o_dn, O_dn, R_up))

    # A typed LQ is no monotone function of x: its derivative has the sign of
    # -R x^2 + 2 o O x + (o + O + R) o O, so it rises to x* = (oO + sqrt((oO)^2 + R S oO)) / R
    # and falls after (towards 1); the highest LQ takes x* where it lies inside x's bounds
    # (the corners alone missed it).  The lowest is at a corner.
    o_t = D - emp0 + o_dn
    O_t = EC - emp0 + O_dn
    R_t = ED - D - (EC - emp0) + R_up
    q = o_t * O_t
    x_star = pl.when(R_t > 0).then((q + (q * q + R_t * (o_t + O_t + R_t) * q).sqrt()) / R_t)
    x_peak = pl.when(moves & x_star.is_not_null()).then(
        pl.min_horizontal(pl.max_horizontal(x_star, pl.col(EMP_LOWER)), pl.col(EMP_UPPER)))

    lq = pl.when((D > 0) & (EC > 0) & (ED > 0) & e.is_not_null()).then((e / D) / (EC / ED))
    # nested benchmark (the region is inside the sums): exact delta method, as core.lq
    var = (1.0 / e - 1.0 / D - 1.0 / EC - 1.0 / ED + 2.0 * e / (D * EC)).clip(lower_bound=0.0)
    df = df.with_columns(
        pl.when(pl.col(REGION_EMPLOYMENT) > 0).then(e / pl.col(REGION_EMPLOYMENT)).alias(SHARE),
        lq.alias(LQ),
    ).with_columns(
        pl.when((e > 0) & pl.col(LQ).is_not_null()).then(pl.col(LQ) * (-z * var.sqrt()).exp()).alias(LQ_CI_LOWER),
        # empty, not inf, where exp overflows: a cell of a millionth of a job (an imputed
        # annual average, 6e-6 in Butler County, Iowa) has se ~ 400 on ln LQ; detect wrote
        # 'inf', which report then refused ('not a finite number'), failing the pipeline
        pl.when((e > 0) & pl.col(LQ).is_not_null()).then(pl.col(LQ) * (z * var.sqrt()).exp())
        .pipe(lambda upper: pl.when(upper.is_finite()).then(upper)).alias(LQ_CI_UPPER),
        pl.when((e > 0) & pl.col(LQ).is_not_null()).then(var.sqrt()).alias("_se"),
        lowest(pl.col(EMP_LOWER)).alias("_lq_lo"),
        lowest(pl.col(EMP_UPPER)).alias("_lq_lo2"),
        # an unbounded cell of a typed (or lower-bound total) denominator: its LQ tends to 1
        # as it grows
        pl.when((moves | floats) & pl.col(EMP_UPPER).is_null()).then(1.0).alias("_lq_lo3"),
        highest(pl.col(EMP_LOWER)).alias("_lq_hi"),
        highest(pl.col(EMP_UPPER)).alias("_lq_hi2"),
        highest(x_peak).alias("_lq_hi3"),
    ).with_columns(
        pl.min_horizontal("_lq_lo", "_lq_lo2", "_lq_lo3", LQ).alias(LQ_MIN),
        pl.when(pl.col(EMP_UPPER).is_null() | R_open).then(None)
        .otherwise(pl.max_horizontal("_lq_hi", "_lq_hi2", "_lq_hi3", LQ)).alias(LQ_MAX),
    ).drop("_D", "_EC", "_ED", "_lq_lo", "_lq_lo2", "_lq_lo3", "_lq_hi", "_lq_hi2", "_lq_hi3",
           "_glo", "_ghi", "_gopen", "_Clo", "_Chi", "_Copen", "_Glo", "_Ghi", "_Gopen")
    return df.with_columns(_stable(pl, [SHARE, LQ, LQ_CI_LOWER, LQ_CI_UPPER, LQ_MIN, LQ_MAX, "_se"]))


# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------
def _quantiles(df, pl, est_available: bool, size_q: float = 0.9, focus_q: float = 0.9):
    """Per region_level x period x cluster quantiles over regions with employment > 0."""
    pos = df.filter(pl.col(EMPLOYMENT) > 0)
    aggs = [pl.col(LQ).quantile(q, interpolation="linear").alias(f"_lq_q{int(q * 100)}")
            for q in (0.25, 0.5, 0.75, 0.9)]
    aggs += [pl.col(EMPLOYMENT).quantile(0.25, interpolation="linear").alias("_emp_q25"),
             pl.col(EMPLOYMENT).quantile(size_q, interpolation="linear").alias("_emp_q90"),
             pl.col(SHARE).quantile(focus_q, interpolation="linear").alias("_share_q90"),
             pl.len().alias("_n_pos")]
    if est_available:
        aggs.append(pl.col(ESTABLISHMENTS).quantile(0.25, interpolation="linear").alias("_est_q25"))
    q = pos.group_by([*_GROUP, CLUSTER_ID]).agg(aggs)
    if not est_available:
        q = q.with_columns(pl.lit(None, pl.Float64).alias("_est_q25"))
    return df.join(q, on=[*_GROUP, CLUSTER_ID], how="left", nulls_equal=True)


def _uscmp_tier(pl, lq, emp, est, est_available):
    """The USCMP tier, or null where the data cannot decide it: a condition on a value that is
    unknown (the LQ and employment of a cluster whose member cells are all suppressed under
    drop) is neither met nor failed (Kleene logic: a known failure still decides 'none')."""
    size = (emp > 0) & (emp > pl.col("_emp_q25")) & (lq >= 1.0)
    if est_available:
        size = size & (est > pl.col("_est_q25"))
    strong = size & (lq >= pl.col("_lq_q75"))
    top10 = strong & (lq >= pl.col("_lq_q90"))
    significant = size & (lq > pl.col("_lq_q50"))
    qualifying = size & (lq > pl.col("_lq_q25"))
    undecided = pl.any_horizontal(c.is_null() for c in (top10, strong, significant, qualifying))
    return (pl.when(undecided).then(pl.lit(None, pl.String))
            .when(top10).then(pl.lit("top10"))
            .when(strong).then(pl.lit("strong"))
            .when(significant).then(pl.lit("significant"))
            .when(qualifying).then(pl.lit("qualifying"))
            .otherwise(pl.lit("none")))


_TIER_ORDER = {"top10": 0, "strong": 1, "significant": 2, "qualifying": 3}
SIGNIFICANCE = ("significant", "significant-bh", "significant-bonferroni")


def _significant_adjusted(df, kind: str, alpha: float = 0.05):
    """Boolean Series: one-sided ln LQ > 0 significant after BH or Bonferroni over all cells."""
    import numpy as np
    import polars as pl
    from scipy.stats import norm

    lq = df[LQ].to_numpy().astype(float)
    se = df["_se"].to_numpy().astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log(lq) / se
    p = np.where(np.isfinite(z), norm.sf(z), np.where(np.isposinf(z), 0.0, 1.0))
    p = np.where(np.isnan(lq) | (lq <= 0), 1.0, p)
    m = len(p)
    if m == 0:
        return pl.Series("_sig", [], dtype=pl.Boolean)
    # a cell without an LQ counts among the tests (as p = 1), and its own call is unknown
    unknown = df[LQ].is_null().to_numpy()
    if kind == "significant-bonferroni":
        sig = p <= alpha / m
    else:  # Benjamini-Hochberg step-up
        order = np.argsort(p, kind="stable")
        passed = p[order] <= alpha * np.arange(1, m + 1) / m
        k = np.flatnonzero(passed).max() + 1 if passed.any() else 0
        sig = np.zeros(m, dtype=bool)
        sig[order[:k]] = True
    return pl.Series("_sig", sig).scatter(np.flatnonzero(unknown), None)


def apply_rules(df, rule: Rule, *, eco: Rule | None = None):
    """Add uscmp_tier, stars, strong and strong_robust (see the module notes)."""
    import polars as pl

    eco = eco if eco is not None else (rule if rule.name == "eco-stars" else parse_rule("eco-stars"))
    est_available = df[ESTABLISHMENTS].drop_nulls().len() > 0
    p = eco.params
    df = _quantiles(df, pl, est_available, p["size_quantile"], p["focus_quantile"])
    lq, emp, est = pl.col(LQ), pl.col(EMPLOYMENT), pl.col(ESTABLISHMENTS)
    tier = _uscmp_tier(pl, lq, emp, est, est_available)
    tier_lo = _uscmp_tier(pl, pl.col(LQ_MIN), pl.col(EMP_LOWER), est, est_available)
    # size and focus compare regions: a region alone in its level gets no such star
    compared = pl.col("_n_pos") >= 2
    star_size = compared & (emp > 0) & (emp >= pl.col("_emp_q90"))
    star_spec = lq >= p["lq_cutoff"]
    star_focus = compared & (emp > 0) & (pl.col(SHARE) >= pl.col("_share_q90"))
    # a star on an unknown value (the LQ, employment or share of a cluster whose member cells
    # are all suppressed under drop) is unknown, and so is the count of stars
    df = df.with_columns(
        tier.alias(USCMP_TIER), tier_lo.alias("_tier_lo"),
        star_size.alias(STAR_SIZE), star_spec.alias(STAR_SPEC), star_focus.alias(STAR_FOCUS),
    ).with_columns(
        (pl.col(STAR_SIZE).cast(pl.Int64) + pl.col(STAR_SPEC).cast(pl.Int64)
         + pl.col(STAR_FOCUS).cast(pl.Int64)).alias(STARS))
    if rule.name.startswith("uscmp-"):
        wanted = _TIER_ORDER[rule.params["tier"]]

        def reaches(tier_col):  # null where the tier is (replace_strict maps null to default)
            rank = pl.col(tier_col).replace_strict(_TIER_ORDER, default=99, return_dtype=pl.Int64)
            return pl.when(pl.col(tier_col).is_not_null()).then(rank <= wanted)

        ok, ok_lo = reaches(USCMP_TIER), reaches("_tier_lo")
        if rule.params["tier"] == "top10":
            ok = pl.col(USCMP_TIER) == "top10"
            ok_lo = pl.col("_tier_lo") == "top10"
        strong, robust = ok, ok_lo
    elif rule.name == "eco-stars":
        # decided by the stars known when they reach min_stars, or when even the unknown ones
        # could not make it up; else unknown
        stars = [pl.col(c) for c in (STAR_SIZE, STAR_SPEC, STAR_FOCUS)]
        known = pl.sum_horizontal(c.fill_null(False).cast(pl.Int64) for c in stars)
        unknown = pl.sum_horizontal(c.is_null().cast(pl.Int64) for c in stars)
        strong = (pl.when(known >= p["min_stars"]).then(pl.lit(True))
                  .when(known + unknown < p["min_stars"]).then(pl.lit(False))
                  .otherwise(pl.lit(None, pl.Boolean)))
        lo_spec = (pl.col(LQ_MIN) >= p["lq_cutoff"]).fill_null(False).cast(pl.Int64)
        lo_size = (compared & (pl.col(EMP_LOWER) > 0) & (pl.col(EMP_LOWER) >= pl.col("_emp_q90"))).fill_null(False).cast(pl.Int64)
        lo_focus = (compared & (pl.col(EMP_LOWER) > 0) & (pl.col(EMP_LOWER) / pl.col(REGION_EMPLOYMENT) >= pl.col("_share_q90"))).fill_null(False).cast(pl.Int64)
        robust = (lo_spec + lo_size + lo_focus) >= p["min_stars"]
    else:
        terms = rule.params["_terms"]
        strong = pl.lit(True)
        robust = pl.lit(True)
        low = {LQ: pl.col(LQ_MIN), EMPLOYMENT: pl.col(EMP_LOWER),
               SHARE: pl.col(EMP_LOWER) / pl.col(REGION_EMPLOYMENT)}
        high = {LQ: pl.col(LQ_MAX), EMPLOYMENT: pl.col(EMP_UPPER),
                SHARE: pl.col(EMP_UPPER) / pl.col(REGION_EMPLOYMENT)}
        for fld, op, val in terms:
            col = _USER_FIELDS[fld]
            strong = strong & _compare(pl.col(col), op, val)
            # a lower limit holds at the range's low end, an upper one at its high end ('lq<2'
            # was called robust from lq_min alone); an open high end holds no upper limit
            if op in (">", ">=", "="):
                robust = robust & _compare(low.get(col, pl.col(col)), op, val)
            if op in ("<", "<=", "="):
                robust = robust & _compare(high.get(col, pl.col(col)), op, val).fill_null(False)
        if rule.params["significant"] == "significant":
            strong = strong & (pl.col(LQ_CI_LOWER) > 1.0)
            robust = robust & (pl.col(LQ_CI_LOWER) > 1.0)
        elif rule.params["significant"]:
            df = df.with_columns(_significant_adjusted(df, rule.params["significant"]).alias("_sig"))
            strong = strong & pl.col("_sig")
            robust = robust & pl.col("_sig")
    # the call is empty where the data cannot decide it (Kleene logic: a condition failed on
    # known values still says false), with the reason beside it, as lq_reason; it was false
    strong_robust = pl.col(STRONG) & robust.fill_null(False)
    df = df.with_columns(strong.alias(STRONG)).with_columns(
        strong_robust.alias(STRONG_ROBUST), _strong_reason(pl).alias(STRONG_REASON))
    return df.drop([c for c in df.columns if c.startswith("_")])


def _strong_reason(pl):
    """Expression: why ``strong`` is empty (null where it is decided)."""
    return (pl.when(pl.col(STRONG).is_not_null()).then(pl.lit(None, pl.String))
            .when(pl.col(EMP_STATUS) == schema.SUPPRESSED).then(pl.lit(REASON_ALL_SUPPRESSED))
            .when(pl.col(REGION_EMPLOYMENT).is_null()).then(pl.lit(REASON_NO_REGION_TOTAL))
            .when(pl.col(LQ).is_null()).then(pl.lit(REASON_NO_LQ))
            .when(pl.col(ESTABLISHMENTS).is_null()).then(pl.lit(REASON_NO_ESTABLISHMENTS))
            .otherwise(pl.lit(REASON_UNKNOWN)))


# --------------------------------------------------------------------------------------------
# Growth, ranks, summaries
# --------------------------------------------------------------------------------------------
def growth_periods(periods) -> tuple[str, str] | None:
    """``(first, last)``: the periods growth runs between -- the last period and the first of
    its own frequency (a table of QCEW's or a state office's annual averages beside their
    quarters: 2022 then 2022Q1 ... 2022Q4 grew from the annual average to Q4, no growth at all;
    it is from 2022Q1).  None when the last period's frequency has one period only."""
    from clusterid.core.shiftshare import period_frequency

    periods = sorted(periods)
    if len(periods) < 2:
        return None
    freq = period_frequency(periods[-1])
    same = [p for p in periods if period_frequency(p) == freq]
    return (same[0], same[-1]) if len(same) >= 2 else None


def growth_base(frame, defs: cdefs.Definitions, periods, *, suppressed: str = "drop"):
    """Per region x cluster: the employment of the first and the last of ``periods`` summed
    over the same member cells, those with a value in both (``_g0``, ``_g1``).

    A member cell without a value in either period (suppressed, under ``drop``; without an
    upper bound, under ``bounds``) is left out of both sums: otherwise a cell published in one
    period and suppressed in the other read as growth (New Hampshire's Merrimack County,
    Hospitality and Tourism, 2016 Q1 -> Q4: -98% because a cell of 1,300 jobs published in Q1
    was suppressed in Q4).  A cell with no row in one period is a true 0 there (an industry
    entering or leaving the region).  Without suppressed cells these are the clusters' sums.
    """
    import polars as pl

    p0, p1 = growth_periods(periods) or (sorted(periods)[0], sorted(periods)[-1])
    lf = frame.lazy()
    names = lf.collect_schema().names()
    value, _, _, _ = _cell_bounds(pl, EMPLOYMENT, names, suppressed)
    members = defs.members.select(schema.INDUSTRY, CLUSTER_ID).lazy()
    in0, in1 = pl.col(schema.PERIOD) == p0, pl.col(schema.PERIOD) == p1
    cells = (lf.filter(pl.col(schema.PERIOD).is_in([p0, p1]))
             .join(members, on=schema.INDUSTRY, how="inner")
             .with_columns(value.alias("_v"))
             .group_by([schema.REGION, CLUSTER_ID, schema.INDUSTRY])
             .agg(pl.col("_v").filter(in0).sum().alias("_v0"),
                  pl.col("_v").filter(in1).sum().alias("_v1"),
                  (in0 & pl.col("_v").is_null()).any().alias("_u0"),
                  (in1 & pl.col("_v").is_null()).any().alias("_u1"))
             .filter(~pl.col("_u0") & ~pl.col("_u1")))
    return (cells.group_by([schema.REGION, CLUSTER_ID])
            .agg(pl.col("_v0").sum().alias("_g0"), pl.col("_v1").sum().alias("_g1"))
            .with_columns(_stable(pl, ["_g0", "_g1"]))
            .collect())


def add_growth(df, base=None):
    """employment_growth and lq_change from the first to the last period (last-period rows).

    ``base``: :func:`growth_base` (the growth of the cells known in both periods); without
    it, of the clusters' employment as summed."""
    import polars as pl

    periods = growth_periods(df[schema.PERIOD].unique().to_list())
    if periods is None:
        return df.with_columns(pl.lit(None, pl.Float64).alias(GROWTH),
                               pl.lit(None, pl.Float64).alias(LQ_CHANGE))
    first = (df.filter(pl.col(schema.PERIOD) == periods[0])
             .select(schema.REGION, CLUSTER_ID, pl.col(EMPLOYMENT).alias("_e0"), pl.col(LQ).alias("_l0")))
    df = df.join(first, on=[schema.REGION, CLUSTER_ID], how="left")
    e0, e1 = pl.col("_e0"), pl.col(EMPLOYMENT)
    if base is not None:
        df = df.join(base, on=[schema.REGION, CLUSTER_ID], how="left")
        e0, e1 = pl.col("_g0"), pl.col("_g1")
    last = pl.col(schema.PERIOD) == periods[-1]
    df = df.with_columns(
        pl.when(last & (e0 > 0)).then(e1 / e0 - 1.0).alias(GROWTH),
        pl.when(last).then(pl.col(LQ) - pl.col("_l0")).alias(LQ_CHANGE),
    )
    return (df.drop([c for c in ("_e0", "_l0", "_g0", "_g1") if c in df.columns])
            .with_columns(_stable(pl, [GROWTH, LQ_CHANGE])))


def add_ranks(df):
    """rank_in_region and rank_in_cluster: strong first, then the calls the data cannot decide,
    then by LQ, over the rows whose LQ is known only.  A row without an LQ (every member cell suppressed with --suppressed drop, no
    denominator, no benchmark) has no place in an order by LQ: its ranks are empty, not last
    (on Utah's counties with drop 782 of 1,294 rows were 'ranked' behind the known ones)."""
    import polars as pl

    key_region = [schema.PERIOD, schema.REGION]
    key_cluster = [*_GROUP, CLUSTER_ID]
    unknown = pl.col(LQ).is_null()
    # strong first, then the calls the data cannot decide, then the others: an unknown call
    # is no 'not strong'
    not_strong = (pl.when(pl.col(STRONG)).then(pl.lit(0, pl.Int8))
                  .when(pl.col(STRONG).is_null()).then(pl.lit(1, pl.Int8))
                  .otherwise(pl.lit(2, pl.Int8)))
    df = df.with_columns(unknown.cast(pl.Int8).alias("_unk"), not_strong.alias("_ns"))
    # the unknown rows sort last, so the known ones are numbered 1..n before them
    df = df.sort([*key_region, "_unk", "_ns", LQ, cdefs.ORDER],
                 descending=[False, False, False, False, True, False], nulls_last=True)
    df = df.with_columns(pl.when(~unknown).then(pl.int_range(1, pl.len() + 1).over(key_region))
                         .alias(RANK_IN_REGION))
    df = df.sort([*key_cluster, "_unk", "_ns", LQ, schema.REGION],
                 descending=[False, False, False, False, False, True, False], nulls_last=True)
    df = df.with_columns(pl.when(~unknown).then(pl.int_range(1, pl.len() + 1).over(key_cluster))
                         .alias(RANK_IN_CLUSTER))
    return (df.sort([schema.PERIOD, schema.REGION, RANK_IN_REGION, cdefs.ORDER], nulls_last=True)
            .drop("_unk", "_ns"))


def _knowledge_from_parts(lf, codes, name: str):
    """Per period x region without a row of ``codes``: the sum of the parts it lists.

    A table of six-digit codes has no 5417 row (R&D), only 541711, 541712 ...: the knowledge
    base came out empty for every region.  Each part counts once, at the coarsest level the
    region lists it (54171 rather than 541711 beside it); a suppressed part makes the sum
    unknown (empty), not smaller.  The first code of ``codes`` a region has parts of is used.
    """
    import polars as pl

    parts = re.compile("^(" + "|".join(re.escape(c) for c in codes) + r")[.0-9]+$")
    rows = (lf.filter(pl.col(schema.INDUSTRY).str.contains(parts.pattern))
            .select(schema.PERIOD, schema.REGION, schema.INDUSTRY, EMPLOYMENT)
            .collect().sort([schema.PERIOD, schema.REGION, schema.INDUSTRY]))
    listed: dict[tuple, set] = {}
    for period, region, code in rows.select(schema.PERIOD, schema.REGION, schema.INDUSTRY).iter_rows():
        listed.setdefault((period, region), set()).add(code)
    sums: dict[tuple, list] = {}
    for period, region, code, emp in rows.iter_rows():
        root = parts.match(code).group(1)
        here = listed[(period, region)]
        if any(code[:n] in here for n in range(len(root) + 1, len(code))):
            continue  # a coarser part of the region holds it
        k = (period, region)
        rank = codes.index(root)
        if k not in sums or rank < sums[k][0]:
            sums[k] = [rank, 0.0]
        if rank == sums[k][0] and sums[k][1] is not None:
            sums[k][1] = None if emp is None else sums[k][1] + emp
    return pl.DataFrame({schema.PERIOD: [k[0] for k in sums], schema.REGION: [k[1] for k in sums],
                         name: [v[1] for v in sums.values()]},
                        schema={schema.PERIOD: rows.schema[schema.PERIOD],
                                schema.REGION: rows.schema[schema.REGION], name: pl.Float64})


def knowledge_base(frame, totals):
    """Per period x region: employment and LQ of R&D and of higher education.

    LQ = (e_kj / region_employment_j) / (sum e_k / sum region_employment) over the regions of
    the same region_level and period that report both; a suppressed cell has no LQ.  When a
    region has several of the codes (NAICS and NACE spellings), the first in
    ``KNOWLEDGE_CODES`` order present is used.
    """
    import polars as pl

    lf = frame.lazy()
    out = totals.select(schema.PERIOD, schema.REGION, schema.REGION_LEVEL, REGION_EMPLOYMENT)
    for key, codes in KNOWLEDGE_CODES.items():
        rank = pl.col(schema.INDUSTRY).replace_strict({c: i for i, c in enumerate(codes)},
                                                       default=99, return_dtype=pl.Int64)
        cells = (lf.filter(pl.col(schema.INDUSTRY).is_in(list(codes)))
                 .with_columns(rank.alias("_k"))
                 .sort([schema.PERIOD, schema.REGION, "_k"])
                 .group_by([schema.PERIOD, schema.REGION], maintain_order=True)
                 .agg(pl.col(EMPLOYMENT).first().alias(f"{key}_employment"))
                 .collect())
        cells = pl.concat([cells, _knowledge_from_parts(lf, codes, f"{key}_employment")
                           .join(cells, on=[schema.PERIOD, schema.REGION], how="anti")])
        out = out.join(cells, on=[schema.PERIOD, schema.REGION], how="left")
        e = pl.col(f"{key}_employment")
        both = e.is_not_null() & pl.col(REGION_EMPLOYMENT).is_not_null()
        sums = (out.filter(both).group_by(_GROUP)
                .agg(e.sum().alias("_Ek"), pl.col(REGION_EMPLOYMENT).sum().alias("_E")))
        out = out.join(sums, on=list(_GROUP), how="left", nulls_equal=True).with_columns(
            pl.when(both & (pl.col(REGION_EMPLOYMENT) > 0) & (pl.col("_Ek") > 0))
            .then((e / pl.col(REGION_EMPLOYMENT)) / (pl.col("_Ek") / pl.col("_E")))
            .alias(f"{key}_lq")).drop("_Ek", "_E")
    out = out.with_columns(_stable(pl, [f"{k}_{s}" for k in KNOWLEDGE_CODES for s in ("employment", "lq")]))
    return out.drop(schema.REGION_LEVEL, REGION_EMPLOYMENT)


def region_summary(regional, totals, knowledge):
    """One row per period x region: cluster strength, strong clusters, knowledge base."""
    import polars as pl

    traded = pl.col(CLUSTER_TYPE) == cdefs.TRADED
    emp = pl.col(EMPLOYMENT).fill_null(0.0)
    agg = (regional.sort([schema.PERIOD, schema.REGION, RANK_IN_REGION, cdefs.ORDER], nulls_last=True)
           .group_by([schema.PERIOD, schema.REGION], maintain_order=True)
           .agg(pl.when((traded & pl.col(EMPLOYMENT).is_not_null()).any())
                .then(emp.filter(traded).sum()).alias("traded_employment"),
                # unknown where a traded cluster with jobs has a call the data cannot decide
                # (it may be strong); a cluster of suppressed cells alone adds no known jobs
                pl.when((traded & pl.col(EMPLOYMENT).is_not_null()).any()
                        & ~(traded & pl.col(STRONG).is_null() & (emp > 0)).any())
                .then(emp.filter(traded & pl.col(STRONG)).sum()).alias("strong_traded_employment"),
                # what the traded sum rests on, as employment_status says per cluster: the
                # known part of partly or wholly suppressed clusters (Beaver County 2016 Q1:
                # every traded cluster suppressed but two published zeros read 0.0 jobs)
                pl.when(~traded.any()).then(None)
                .when((pl.col(EMP_STATUS).filter(traded) == "reported").all())
                .then(pl.lit("reported"))
                .when((pl.col(EMP_STATUS).filter(traded) == "suppressed").all())
                .then(pl.lit("suppressed"))
                .otherwise(pl.lit("partial")).alias("traded_employment_status"),
                pl.col(STRONG).sum().cast(pl.Int64).alias("n_strong"),
                pl.col(CLUSTER_ID).filter(pl.col(STRONG)).str.join("; ").alias("strong_clusters")))
    out = (totals.join(agg, on=[schema.PERIOD, schema.REGION], how="left")
           .join(knowledge, on=[schema.PERIOD, schema.REGION], how="left")
           .with_columns(pl.col("n_strong").fill_null(0),
                         pl.col("strong_clusters").fill_null(""),
                         pl.when(pl.col("traded_employment") > 0)
                         .then(pl.col("strong_traded_employment") / pl.col("traded_employment"))
                         .alias("cluster_strength")))
    out = out.with_columns(_stable(pl, ["traded_employment", "strong_traded_employment",
                                        "cluster_strength"]))
    return out.select(REGION_SUMMARY_COLUMNS).sort([schema.PERIOD, schema.REGION])


@dataclass
class StrengthResult:
    regional: object  # polars.DataFrame, REGIONAL_COLUMNS
    regions: object  # polars.DataFrame, REGION_SUMMARY_COLUMNS
    info: dict
    # period x region x cluster rows whose employment sums some member cells and leaves others
    # out (no value: suppressed and not imputed); an estimated cell is counted, so a table
    # imputed before detect has none though its rows say 'partial'
    rows_missing_cells: int = 0


def regional_strength(frame, defs: cdefs.Definitions, *, rule: Rule | str = "uscmp-strong",
                      suppressed: str = "drop", z: float = 1.959963984540054,
                      denominator: str = "auto", totals_frame=None) -> StrengthResult:
    """The whole "which regions hold strong clusters" step.

    Parameters
    ----------
    frame : polars.LazyFrame
        Canonical rows of the chosen ownership (cluster cells and knowledge-base cells).
    defs : Definitions
    rule : Rule or str
    suppressed : {"drop", "bounds", "impute"}
    denominator : {"auto", "typed", "total"}
        See :func:`choose_denominator`.
    totals_frame : polars.LazyFrame, optional
        Where to find the regions' all-industries rows (default ``frame``); pass the frame
        with every ownership to use all-ownership totals as BLS does.
    """
    if isinstance(rule, str):
        rule = parse_rule(rule)
    agg = aggregate_clusters(frame, defs, suppressed=suppressed)
    source = totals_frame if totals_frame is not None else frame
    totals = region_totals(source, level_industries=level_industries(source, defs))
    chosen = choose_denominator(agg, denominator)
    lone = lone_typed_clusters(agg, defs) if chosen == "typed" else {}
    # clusters of unknown type (data-driven on NACE, a file without types) have no typed
    # denominator: they take total employment even when typed is asked for
    untyped = (sorted(set(agg[CLUSTER_ID].to_list()) & set(
        defs.clusters.filter(defs.clusters[CLUSTER_TYPE] == cdefs.UNKNOWN)[CLUSTER_ID].to_list()),
        key=cdefs._cluster_sort_key) if chosen == "typed" else [])
    df = cluster_lq(agg, totals, defs, z=z, denominator=chosen)
    df = apply_rules(df, rule)
    periods = sorted(agg[schema.PERIOD].unique().to_list())
    df = add_growth(df, growth_base(frame, defs, periods, suppressed=suppressed)
                    if growth_periods(periods) else None)
    df = add_ranks(df)
    regional = df.select(REGIONAL_COLUMNS)
    kb = knowledge_base(frame, totals)
    regions = region_summary(df, totals, kb)
    est_available = df[ESTABLISHMENTS].drop_nulls().len() > 0
    info = {
        "rule": rule.describe(),
        "suppressed": suppressed,
        "lq_denominator": {"requested": denominator, "used": chosen,
                           "missing_cell_share": _suppressed_share(agg),
                           "auto_rule": f"typed when at most {AUTO_TYPED_MAX_SUPPRESSED:.0%} of the "
                                        "member cells lack a value, else total",
                           **({"lone_typed_clusters": lone} if lone else {}),
                           **({"untyped_clusters": untyped} if untyped else {})},
        "lq_denominators": {"traded": "region's employment in traded clusters (USCMP)",
                            "local": "region's employment in local clusters",
                            "total": "region's total employment"},
        "lq_benchmark": "sum over the regions of the same region_level and period",
        "lq_interval": {"method": "delta method on ln LQ, independent Poisson counts, benchmark "
                                  "sums containing the region (as core.lq.var_ln_lq nested)",
                        "level": round(2 * _norm_cdf(z) - 1, 4)},
        "lq_range": ("lq_min/lq_max: the lowest/highest LQ the suppression bounds allow, every "
                     "bounded cell free at once (the cluster's cells in the other regions and, "
                     "with a typed denominator, every other cluster's of that type), published "
                     "region totals fixed (one summed from published cells, a lower bound, "
                     "free to rise); strong_robust: the call holds at lq_min and "
                     "employment_lower (upper limits of a user rule at lq_max)"),
        "quantiles": "numpy linear (polars interpolation='linear')",
        "establishments_condition": est_available,
        "region_total_sources": sorted({s for s in totals["region_total_source"].to_list() if s}),
        "regions_with_lower_bound_total": sorted(
            f"{p} {r}" for p, r, src in totals.select(schema.PERIOD, schema.REGION,
                                                      "region_total_source").iter_rows()
            if src == LOWER_BOUND_TOTAL),
        # every cell of the region suppressed (an oblast whose sections are all 'x'): no
        # total, so its shares, LQs and ranks are empty
        "regions_without_total": sorted(
            f"{p} {r}" for p, r, src in totals.select(schema.PERIOD, schema.REGION,
                                                      "region_total_source").iter_rows()
            if src is None),
        "knowledge_base": {k: list(v) for k, v in KNOWLEDGE_CODES.items()},
    }
    partial = regions_in_some_periods(totals, periods)
    if partial:
        info["regions_in_some_periods"] = partial
    # the calls the data cannot decide (strong empty), by reason
    undecided = regional.get_column(STRONG_REASON).drop_nulls().value_counts(sort=True)
    if undecided.height:
        info["undecided_calls"] = {r: int(n) for r, n in sorted(
            undecided.iter_rows(), key=lambda rn: (-rn[1], rn[0]))}
    info["rule"].pop("_terms", None)
    rows_missing = int(((agg[N_MISSING] > 0) & (agg[N_MISSING] < agg[N_INDUSTRIES])).sum()
                       ) if agg.height else 0
    return StrengthResult(regional, regions, info, rows_missing)


def regions_in_some_periods(totals, periods) -> dict[str, list[str]]:
    """``{region: [its periods]}`` for the regions that lack some of ``periods``: each
    period's LQs are against that period's regions, so a region joining or leaving moves the
    benchmark of every other, and lq_change then compares two different benchmarks."""
    if len(periods) < 2:
        return {}
    have: dict[str, set] = {}
    for period, region in totals.select(schema.PERIOD, schema.REGION).iter_rows():
        have.setdefault(region, set()).add(period)
    return {r: sorted(p) for r, p in sorted(have.items()) if len(p & set(periods)) < len(periods)}


def _suppressed_share(agg) -> float | None:
    """Share of member cells without a value (suppressed and not imputed)."""
    cells = int(agg[N_INDUSTRIES].sum() or 0)
    return round(int(agg[N_MISSING].sum() or 0) / cells, 6) if cells else None


def _norm_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))
