"""Suppressed cells: constrained imputation inside the published bounds, LQ intervals, a summary.

:func:`impute` fills every suppressed value of one measure with a figure that

* lies inside the cell's bounds (:mod:`clusterid.core.bounds`: parent minus disclosed siblings,
  sub-areas within their area, establishment counts, the source's own size flags), and
* restores the adding-up of children to parents (NAICS tree, every level) and of counties to
  their state (regions to their nation row) where the table holds both, wherever those links
  add up in the published data -- within rounding, ``n_children x step/2 + step/2`` either
  way, in a table published rounded (thousands with one decimal),
* staying as close as the constraints allow to a prior: establishments x the industry's typical
  establishment size (published cells of the same code and period: total of the measure over
  total establishments; falling back to the code over all periods, then its parent code),
  refined by establishment-count class, by state, and for rows of another region level than
  the counties (QCEW's xx999 areas) by that level (see :func:`prior_values`).

The fit is multiplicative.  First every adding-up whose parent is published is raked onto its
unknown cells (kind by kind, both trees in turn, as iterative proportional fitting): a row's
cells move by ``exp(v_i * mu)`` with the one ``mu`` that makes them add up, where ``v_i`` (see
:func:`prior_dispersion`) is how unpredictable the industry's establishment sizes are, so the
least predictable code takes most of a surprise.  That is the optimum of a ``v``-weighted
Kullback-Leibler distance to the prior; with equal ``v`` and one adding-up it is the classic
pro-rata split ``x_i = p_i * R / sum p``.  A sparse quadratic programme solved by Clarabel
(interior point, per connected block of unknowns) then polishes the raked values ``r`` into the
bounds and the links raking leaves out (unpublished parents, "at most" links), minimising the
chi-square distance ``sum (x - r)^2 / (r * v)``, the local form of the same distance.  On the
masking check (:mod:`clusterid.core.impute_check`) the multiplicative, dispersion-weighted fit
beats the additive chi-square fit to the prior: most of all where counties must also add up to
their state, where raking shares each state residual over the counties multiplicatively.
The raking makes a cell's variance ``p_i * v_i`` (its log-variance falls as ``v_i / p_i``); a
variance growing faster or slower with the prior is worse on that check (Q1 with state rows,
median error with the raking's ``v_i`` times ``(p_i / median p)^a``: 17.5% at ``a = -0.5``,
14.5% at ``a = 0``, 14.7% at ``0.5``, 16.2% at ``1``).  Neither is the prior improvable along
the obvious lines: on the hidden sibling pairs whose sum the published parent fixes, shrinking
the national-size ratio of the two codes, or replacing the aggregate size by the geometric
mean over counties, raises the split's median error (18.6% -> 18.7-19.9%).
Measured without gain as well (masking check with the Q1 state rows; median error all quarters
/ Q1, whole panel 14.79% / 14.45%, halves A 15.11 / 14.59, B 15.47 / 14.87, random half
14.78 / 14.60; "split" = the hidden pairs' true sum split by the v-weighted raking of the prior,
17.4% on the whole panel): the code's state factor shrunk towards its 5-, 4-, 3-digit and sector
state factors instead of 1 (split 17.3-17.7%); log-space code and state shifts of the prior
(14.78 / 14.48, halves +-0.04); a county effect (code-centred log residual of the county's
published 4-6-digit cells, shrunk; 14.88 / 14.68, random half 14.78 -> 15.24) or a code x
county-size-quintile factor (split 17.5-17.7%); a log-log slope of size on establishments per
3-digit sector or code beyond the class factor (split 17.5-17.7%; the mean error falls, the
median rises); raking rates ``v * p^0.3`` on industry links only (whole panel 14.58 / 14.32 but
half B 15.56 / 15.23: not on every sample), ``v * p^(+-0.3)`` on the county->state links only
(whole panel 15.15-15.19 / 14.8-14.9); a pair split learnt from the table's published sibling
pairs (gradient boosting of log(y_a / y_b) on the prior ratio, the two dispersions and
establishment counts, the pair sum's surprise; split 17.4% -> 16.9%) as the prior of every
pair of unknown 6-digit cells under a published parent (whole panel 14.59 / 14.28, half B
15.25 / 14.76, random half 14.79 / 14.26, but half A 15.48 / 14.92); and scaling the unknown 1- and 2-establishment
cells (138 published such cells in the panel against 251,000 suppressed, so their class factor
is extrapolated) by what published parents' residuals say they hold, 0.61-0.80 of their prior
(14.88-14.90 / 14.55-14.65; the opposite scaling 15.17 / 14.80: the current prior sits at the
optimum).  QCEW publishes nothing else for a suppressed cell: in the county files every
``disclosure_code N`` row has 0 in the monthly levels, wages, average weekly wage and ``lq_*``
columns; only ``qtrly_estabs_count`` is real.  The masking itself moves these figures as much as
most of the ideas above: another seed (7 instead of 1) of the same check on the whole panel gives
15.17% / 14.94% (ratio to the naive prior 0.39 / 0.38 instead of 0.38 / 0.37).
Session 26 (branch impute-26, merged and then reverted): the pair's wage bill, which the
published parent pins as it pins the jobs, moving each hidden pair's split by one shift over the
four quarters (the pair's average wage against the two codes' wages per job times the county's
wage level, noise read off the published cells): counties alone 18.06 -> 17.87% (halves
18.00 / 18.14 / 18.22 -> 17.87 / 17.80 / 17.72), but Q1 with state rows 14.53 -> 14.65 (so it
could only be used without state rows, and the figure of the target, 14.82%, stayed).  Even the
true wage level of each cell would take the pair split only to 14.0-14.6%.  Not kept: it cost
7.5 s wall (11.6 s CPU) and 0.37 GB more peak on the whole-panel imputation (base 36.0 + 56.6 s
against 43.5 + 59.9 s, 2026-12-01 01:48, quiet machine) for a 1% relative gain, against the
2-minute budget.  Twelve monthly levels instead of four quarters: no gain (sibling codes'
monthly profiles differ by a median 1.6-1.9%, below a cell's own seasonal noise).
Where the error sits (2026-11-30; masking check with the Q1 state rows, seed 1, whole panel
14.82% / 14.53%, halves A 15.12 / 14.61, B 15.32 / 14.87, random half 14.81 / 14.64): 85% of the
hidden cells have their pair's sum pinned exactly by the published parent, so the figure is the
error of a two-way split; the cells of 3-4 establishments miss by 30% at the median, 5-9 by 24%,
10-19 by 17%, 50 or more by 7.5%.  The split from the prior alone (raking on the pinned pairs)
misses by 17.9%; the Q1 state rows bring Q1 to 14.3% and the carried Q1 sizes Q2-Q4 to 14.4 / 14.7 /
15.2%.  In Q1 the state row informs a hidden cell in proportion to its share of its code's state
residual: at 30% or more of it the error is 4-10%, at 10-30% 12.8%, but 47% of the hidden Q1 cells
hold under a tenth of a residual spread over 20 or more unknown counties (mostly truly suppressed
1-2-establishment cells) and miss by 21%: the median sits in that group, which has nothing left but
the prior's ratio of the two codes.  The fit's point is unbiased there (median log(imputed / true)
within +-0.006 for every establishment class of 5 or more, on every half; -0.02 to -0.10 for 3-4,
whose errors lie above the median anyway), and the split is calibrated: scaling the imputed
log ratio of a pinned pair by 0.9 or 1.1 raises its error on every half (whole 14.6 -> 15.1 /
15.3%).  Measured without gain as well (2026-11-30): a prior learnt by gradient boosting
(sklearn HistGradientBoostingRegressor, absolute loss, on log(value / prior) of the published
county cells of NAICS levels 4-6: log establishments, the prior's log size, level, 3-digit code,
quarter, the county's size, its sector's published size against the prior, the code's
dispersion), times the prior: the prior's own median error on the hidden cells falls from 34.9% to
30.0% (mostly its level: the ratio-of-sums size sits 11% above the median cell), but the pinned
split does not move (17.9%) and the check rises (whole 14.81 / 14.50, A 15.33 / 14.94, B 15.32 /
15.09, random half 14.90 / 15.13); raking to convergence (200 sweeps instead of 30: Q1's rows
missing their parent by more than a job 15,917 -> 813) changes nothing (14.81 / 14.53) at twice
the time; and Q2-Q4 already take what the Q1 state rows say: on their pinned pairs (median error
14.8 / 15.1 / 15.6 / 14.7%, whole / A / B / random half), splitting each quarter's sum by Q1's
imputed ratio (weights 0.25-1 against the quarter's own, or Q1's ratio moved by the two cells'
change of establishments) gives 14.6-14.8 / 14.9-15.1 / 15.5-15.9 / 14.4-15.3%: not on every half.
Nor do the quarters tell the hidden siblings apart (2026-11-29): each pair's four quarterly
residuals under its published parent, fitted as the two codes' national seasonal profiles
(published county cells, per quarter) times two levels shrunk towards the prior's split, give
a median error of 19.5-19.6% against 19.5% for the prior's split in every quarter (2,344 pairs
whose parent has no other unknown child; ridge weights 0.1-10): the seasonal shapes of sibling
codes are too alike for four points to separate them.
Nor does the parent's published wage bill (2026-11-29; the same kind of pairs, with the Q1 state
rows: 9,449 pair-quarters on the whole panel): fitting ``W_a + W_b`` (known) as each cell's jobs
x its code's typical wage per job (the wage prior's rate; log-variance per code from published
cells, median 0.07) beside a log-normal prior gives a split error of 17.3 / 17.1 / 18.4 / 18.0%
(whole panel / half A / half B / random half) against 17.9 / 17.9 / 18.5 / 18.0% for the raking
split and 17.5 / 17.9 / 19.1 / 17.8% for the log-normal prior alone (a county or county x sector
wage level from published cells, or heavy-tailed wage noise: within 0.35 points of that; with the
raking's own scale the wages change nothing or raise the error, 18.0 / 17.7 / 18.8 / 18.7%):
sibling codes' wages per job differ by a median 25% (log) while a cell's strays some 27% from
its code's, and even the pair's true common wage level, were it known, would bring the split
only to 16.0-16.7% on the whole panel.
Eckert, Fort, Schott & Yang (2021, NBER WP 26632) solve the same adding-up problem for County
Business Patterns as an LP.

Wages: QCEW suppresses them together with employment.  :func:`impute_measures` (what ``clusterid
impute`` and ``detect --suppressed impute`` run) fills employment first, then wages through the
same bounds, raking and solver, with the prior the cell's jobs (published or imputed) x the
industry's typical wage per job (:func:`prior_values`: the establishment prior's code with
employment as the base).  Imputed wages are whole units where the published ones are
(:func:`_whole_units`).  Masking check (bench_impute, 2026-11-29, one run, nothing tuned): the
hidden pairs' wages at a median error of 21.4% with counties alone (naive establishments x
national wage per establishment 52.4%, 5-digit residual split 24.0%) and 17.3% with the Q1 state
rows (52.5%, 24.0%).
Fitted apart, the two measures disagreed: where the wage residuals of the two trees (industries,
counties in their state) pull against each other, the raking cut some cells to a few per cent of
their prior and the QP polish took them to its 0 bound.  The Utah sample (2016, counties and
state rows) had 254 imputed cells with half a job or more and $0 wages (Box Elder County's
541810 in Q1: 22 jobs), four states of the odd-state panel (AR, CT, GA, UT; counties) 125;
published cells almost never do it (18 of the panel's 1.75 M published rows).  So a cell with
imputed jobs has a floor, jobs x the lowest wage per job among the published cells of its
sector, ownership and period (:func:`wage_floors`; of every sector where its own rests on fewer
than 20 cells): a lower bound in the QP wherever the adding-up leaves room (capped at the cell's
upper bound), the parent's residual re-shared over the other cells; where it leaves none, the
floors of the conflict give way by one common fraction (a chi-square penalty on the shortfall,
:func:`_solve_block`), never the adding-up or the published bounds, which the output keeps as
the cells' bounds.  Left with $0 (2026-11-29): 6 Utah cells, all forced by the published
figures (3 by an upper bound of 0; Weber County's 5259 chain in Q1 by the totals around it,
where even a $100 floor has no solution), 3 on the four states (upper bound 0); 621 of the
48,538 floored Utah cells end below their floor.  A cell with less than half a job can still
round to $0 (Utah 200, 186 of them under 0.001 jobs: the employment fit's last digits at its 0
bound).  Masking check on the Utah sample (seeds 1-3, half the eligible pairs hidden; not the
benchmark): the hidden wages' median error 13.01 / 15.89 / 13.22% before the floors, 13.01 /
15.86 / 13.21% after with the state rows, 21.98 / 24.75 / 30.22% and 21.98 / 24.71 / 30.22%
with counties alone; employment unchanged.  Not done, the opposite: 0 imputed jobs with wages
(Utah 104 -> 106, four states 179 -> 174).  QCEW publishes it, rarely (60 panel rows, all NAICS
99 chains, at most $6,950); its root is employment fitted without the wages.  A ceiling of jobs x
the highest published wage per job (plus the largest published wage of a 0-job cell) cut it from
34 to 26 cells in Utah Q1 but, the 0-job cells no longer taking any wage residual, left 14 cells
with jobs at $0 instead of 6 (with an earlier form of the penalty).  The 106 Utah cells
(2026-11-29) are ours, not the source's: every one is imputed on both sides (employment and wages
estimated, 1-5 published establishments, an employment upper bound of 1.3 jobs or more), and Utah
publishes no cell with 0 jobs and wages (0 of 40,028; 10 with 0 jobs beside establishments).  They
stay for now because a one-sided repair does not hold: employment fitted again with a floor of
wages / the sector's highest published wage per job on those cells only moves them (106 -> 72 other
cells, the floored cells taking jobs from siblings the wage fit then pays at 0 jobs); fitting both
again in turn with the floors accumulated converges (106, 72, 15, 5, 0; the 6 forced cells with
jobs at $0 unchanged; 311 cells' employment moved by half a job or more) but costs four more fits
of each measure (Utah, one run: 4 s -> 21 s) and its effect on the accuracy is unmeasured.  The way
is a joint fit of jobs and wages, judged by the masking check.

Periods are solved one at a time (no link crosses periods).  Where only some periods hold both
geographies (a state file of one quarter beside county files of four), those are solved first and
a cell unpublished in every period takes its size per establishment estimated there as its prior
in the others (:class:`_CarryInformed`).

Every imputed value gets status ``estimated`` and keeps its bounds in ``<m>_lower/_upper``, so a
user can always see what a result rests on.  Methods: ``constrained`` (the fit above), ``prior``
(the prior clipped into the bounds; no adding-up) and ``midpoint``: the points of
:func:`clusterid.core.bounds.consistent_points`, as detect's ``--suppressed bounds`` counts them
(the unknown children of a parent with a value at one common fraction of their bounds, the one
at which they make up the parent; a cell's own midpoint where no such parent reaches it; the
prior where the upper bound is open).  Each cell at its own midpoint did not add up: suppressed
siblings sharing one published remainder R each have bounds [0, R], and their midpoints made
1.5 R or more (Coos County, NH, 2016 Q1: the 6-digit codes of sector 72 came to 2,244 jobs for
the sector's published 1,829).  Only industry links are kept this way: counties need not add up
to their state's row (one fraction per cell cannot serve both trees; ``constrained`` does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from clusterid import schema
from clusterid.core import bounds as _bounds
from clusterid.errors import UsageError

METHODS = ("constrained", "prior", "midpoint")
SUPPRESSED_MODES = ("drop", "bounds", "impute")
MAX_BLOCK = 100_000  # variables per solver call (memory stays small, blocks stay independent)

ROBUST_ABOVE = "robust_above"
ROBUST_BELOW = "robust_below"
FRAGILE = "fragile"


@dataclass
class ImputeInfo:
    """What happened, for the output's metadata and the user's summary line."""

    measure: str
    method: str
    n_cells: int = 0
    n_unknown: int = 0
    n_fixed_by_bounds: int = 0
    n_solved: int = 0
    n_blocks: int = 0
    n_left_suppressed: int = 0
    n_closed_form: int = 0
    rounds: int = 0
    links: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure, "method": self.method, "n_cells": self.n_cells,
            "n_unknown": self.n_unknown, "n_fixed_by_bounds": self.n_fixed_by_bounds,
            "n_solved": self.n_solved, "n_blocks": self.n_blocks,
            "n_left_suppressed": self.n_left_suppressed, "n_closed_form": self.n_closed_form,
            "propagation_rounds": self.rounds, "links": dict(sorted(self.links.items())),
            "objective": ("raking (v-weighted KL to the prior), then sum (x - raked)^2 / (raked v), Clarabel QP"
                          if self.method == "constrained" else None),
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- inputs

def _eager(frame):
    import polars as pl

    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    return frame


def _check(df, measure: str, method: str | None = None) -> None:
    if measure not in schema.MEASURES:
        raise UsageError(f"--measure {measure!r}; expected one of {', '.join(schema.MEASURES)}")
    if method is not None and method not in METHODS:
        raise UsageError(f"--method {method!r}; expected one of {', '.join(METHODS)}")
    if measure not in df.columns:
        present = schema.measures_in(df.columns)
        raise UsageError(f"the table has no {measure!r} column (it has {', '.join(present) or 'no measure'})")


# --------------------------------------------------------------------------- bounds

def suppression_bounds(frame, measure: str = schema.EMPLOYMENT, point_col: str | None = None):
    """Fill ``<m>_lower/_upper`` of every unknown cell with the tightest published bounds.

    Returns ``(DataFrame, ImputeInfo)``; values and statuses are unchanged, an open upper bound
    stays null.  Reported cells keep whatever bounds the source gave.  With ``point_col``, that
    column holds a point inside every unknown cell's bounds that keeps the industry adding-up
    (:func:`clusterid.core.bounds.consistent_points`; null for known cells and open bounds),
    what ``--suppressed bounds`` counts a suppressed cell at.
    """
    import polars as pl

    df = _eager(frame)
    _check(df, measure)
    na = _no_data(df, measure)
    if na is not None:
        # a cell of no data (Eurostat's z, "not applicable") has no bounds, as impute never
        # fills it: solved as a published 0 (it adds nothing to its parent), given back empty
        na = pl.lit(df.select(na).to_series())
        out, info = suppression_bounds(df.with_columns(
            pl.when(na).then(pl.lit(0.0)).otherwise(pl.col(measure)).alias(measure),
            pl.when(na).then(pl.lit(schema.REPORTED)).otherwise(pl.col(schema.status_col(measure)))
            .alias(schema.status_col(measure))), measure, point_col)
        gone = [measure, schema.status_col(measure), schema.lower_col(measure),
                schema.upper_col(measure)] + ([point_col] if point_col else [])
        return out.with_columns(
            pl.when(na).then(None).otherwise(pl.col(c)).alias(c) for c in gone if c in out.columns), info
    info = ImputeInfo(measure=measure, method="bounds", n_cells=df.height)
    solve = (lambda st, rows: _bounds.consistent_points(st)) if point_col else None
    whole = _by_period(df, measure, info, solve)
    unknown = ~whole.known
    info.n_fixed_by_bounds = int((unknown & (whole.upper - whole.lower <= _tol(whole.upper))).sum())
    out = _write_back(df, measure, whole, None)
    if point_col:
        points = np.where(unknown, np.round(whole.solution, 6), np.nan)
        out = out.with_columns(pl.Series(point_col, points).fill_nan(None))
    return out, info


def _tol(x):
    return 1e-9 * (1.0 + np.abs(np.where(np.isfinite(x), x, 0.0)))


def _write_back(df, measure: str, st, values):
    import polars as pl

    unknown = ~st.known
    lower_src = df[schema.lower_col(measure)] if schema.lower_col(measure) in df.columns else None
    upper_src = df[schema.upper_col(measure)] if schema.upper_col(measure) in df.columns else None
    # Bounds and imputed values to 6 decimals: float noise of the propagation (1e-13) is not
    # information, and clean numbers keep outputs readable and byte-stable.
    lo = np.where(unknown, np.round(st.lower, 6), np.nan)
    hi = np.where(unknown & np.isfinite(st.upper), np.round(st.upper, 6), np.nan)
    if lower_src is not None:
        src = lower_src.cast(pl.Float64).fill_null(np.nan).to_numpy()
        lo = np.where(unknown, lo, src)
    if upper_src is not None:
        src = upper_src.cast(pl.Float64).fill_null(np.nan).to_numpy()
        hi = np.where(unknown, hi, src)
    cols = [pl.Series(schema.lower_col(measure), lo).fill_nan(None),
            pl.Series(schema.upper_col(measure), hi).fill_nan(None)]
    if values is not None:
        filled = np.where(unknown, np.round(values, 6), st.value)
        status = np.where(unknown & ~np.isnan(values), schema.ESTIMATED,
                          np.where(unknown, schema.SUPPRESSED, schema.REPORTED))
        if schema.status_col(measure) in df.columns:
            src_status = df[schema.status_col(measure)].fill_null(schema.REPORTED).to_numpy()
            status = np.where(unknown, status, src_status)
        cols += [pl.Series(measure, filled).fill_nan(None),
                 pl.Series(schema.status_col(measure), status, dtype=pl.String)]
    out = df.with_columns(cols)
    order = [c for c in schema.column_order(schema.measures_in(out.columns)) if c in out.columns]
    extra = [c for c in out.columns if c not in order]
    return out.select(order + extra)


# --------------------------------------------------------------------------- prior

SHRINK_CELLS = 20.0  # a class or area average counts fully once it rests on ~20 cells
_EST_CLASSES = (1, 2, 4, 9, 19, 49)


def _est_class(df=None):
    """Establishment-count class: 1, 2, 3-4, 5-9, 10-19, 20-49, 50+ (as an integer 0..6); one
    class for all rows of a table without establishment counts."""
    import polars as pl

    if df is not None and schema.ESTABLISHMENTS not in df.columns:
        return pl.lit(0, pl.Int8).alias("__class")
    e = pl.col(schema.ESTABLISHMENTS)
    expr = pl.lit(len(_EST_CLASSES), pl.Int8)
    for i, top in reversed(list(enumerate(_EST_CLASSES))):
        expr = pl.when(e <= top).then(pl.lit(i, pl.Int8)).otherwise(expr)
    return expr.alias("__class")


def _area():
    """The area a region sits in (a county's state: its first two FIPS digits), else null."""
    import polars as pl

    region = pl.col(schema.REGION)
    county = region.str.contains(r"^\d{5}$") & ~region.str.ends_with("000")
    if_level = pl.col(schema.REGION_LEVEL).is_in(["county", schema.UNALLOCATED])  # QCEW xx999, CBP 999
    return pl.when(if_level.fill_null(county)).then(region.str.slice(0, 2)).alias("__area")


# one cell's series over the periods (its history)
_SERIES = [schema.REGION, schema.OWNERSHIP, schema.INDUSTRY]


def _reported(df, measure: str):
    """Expression: the cell is published -- a value with status reported (a table without a
    status column for the measure reports every value it has), or a source's own estimate
    (:func:`clusterid.schema.published`)."""
    return schema.published(measure, df.columns)


def _published(df, measure: str, base: str = schema.ESTABLISHMENTS):
    """Reported cells with establishments > 0 at the finest region level present.

    With ``base`` another measure (employment, for wages per job): cells where both are
    published and the base is > 0.
    """
    import polars as pl

    keep = _reported(df, measure) & (pl.col(base) > 0)
    if base != schema.ESTABLISHMENTS:
        keep = keep & _reported(df, base)
    base = df.filter(keep)
    if schema.REGION_LEVEL in df.columns and base.height:
        finest = _finest_level(base)
        base = base.filter(pl.col(schema.REGION_LEVEL).is_null() if finest is None
                           else pl.col(schema.REGION_LEVEL) == finest)
    return base


def _finest_level(published):
    """The region level of most published cells (the counties of a county panel)."""
    levels = published[schema.REGION_LEVEL].value_counts().sort(
        ["count", schema.REGION_LEVEL], descending=[True, False], nulls_last=True)
    return levels[schema.REGION_LEVEL][0]


def typical_size(df, measure: str = schema.EMPLOYMENT):
    """Typical ``measure`` per establishment by (period, ownership, industry) from published cells.

    Returns a DataFrame with ``size`` (sum of the measure / sum of establishments over reported
    cells with establishments > 0, at the finest region level present) and ``n_cells``.
    """
    import polars as pl

    return _published(df, measure).group_by(
            schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY, maintain_order=True).agg(
        (pl.col(measure).sum() / pl.col(schema.ESTABLISHMENTS).sum()).alias("size"),
        pl.len().alias("n_cells"))


def share_prior(df, measure: str = schema.EMPLOYMENT) -> np.ndarray:
    """Prior from the region's all-industry total, for tables without establishment counts
    (Eurostat, Destatis, national statistical offices): ``T_j x share``, where ``T_j`` is the
    region's published total (industry ``10``) in the period and the share is the cell's own
    share of its region's total in the periods where it is published, else the industry's
    share of the totals of the regions of the same level where it is published (the LQ = 1
    guess), in the period, else over all periods.  NaN where the region has no published
    total or the industry no published cell.
    """
    import polars as pl

    n = df.height
    if measure not in df.columns:
        return np.full(n, np.nan)
    keys = [schema.PERIOD, schema.REGION, schema.OWNERSHIP]
    value = pl.col(measure).cast(pl.Float64)
    reported = _reported(df, measure)
    rlevel = (pl.col(schema.REGION_LEVEL).fill_null("") if schema.REGION_LEVEL in df.columns
              else pl.lit("")).alias("__rl")
    totals = (df.filter((pl.col(schema.INDUSTRY) == schema.ALL_INDUSTRIES) & reported & (value > 0))
              .group_by(keys, maintain_order=True).agg(value.first().alias("__T")))
    cells = (df.select(*keys, schema.INDUSTRY, rlevel, reported.alias("__pub"),
                       value.alias("__v"))
             .join(totals, on=keys, how="left", maintain_order="left"))
    pub = cells.filter(pl.col("__pub") & pl.col("__T").is_not_null())
    share = (pl.col("__v").sum() / pl.col("__T").sum())
    own = pub.group_by(_SERIES, maintain_order=True).agg(share.alias("__own"))
    ind = pub.group_by(schema.PERIOD, schema.OWNERSHIP, "__rl", schema.INDUSTRY,
                       maintain_order=True).agg(share.alias("__ind"))
    ind_all = pub.group_by(schema.OWNERSHIP, "__rl", schema.INDUSTRY,
                           maintain_order=True).agg(share.alias("__inda"))
    # a country's row kept above its regions (level nation, alone at it) whose industry is
    # published in no period: the regions' share, the same LQ = 1 guess one level down
    regions = (pub.filter(pl.col("__rl") != "nation")
               .group_by(schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY, maintain_order=True)
               .agg(share.alias("__indr")))
    out = (cells.join(own, on=_SERIES, how="left", maintain_order="left")
           .join(ind, on=[schema.PERIOD, schema.OWNERSHIP, "__rl", schema.INDUSTRY], how="left",
                 maintain_order="left")
           .join(ind_all, on=[schema.OWNERSHIP, "__rl", schema.INDUSTRY], how="left",
                 maintain_order="left")
           .join(regions, on=[schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY], how="left",
                 maintain_order="left")
           .select((pl.col("__T") * pl.when(~pl.col("__pub") & pl.col("__own").is_not_null())
                    .then(pl.col("__own")).otherwise(pl.coalesce(
                        "__ind", "__inda", pl.when(pl.col("__rl") == "nation").then("__indr"))))
                   .alias("__prior")))
    return out["__prior"].fill_null(np.nan).to_numpy()


def _with_label_defaults(df):
    """``df`` with the labels a canonical table may leave out, defaulted as the bounds read
    them (core.bounds.build_structure): no region level; codes without a classification read
    as NAICS, their level from the code."""
    import polars as pl

    from clusterid.core.codes import level_expr

    if schema.REGION_LEVEL not in df.columns:
        df = df.with_columns(pl.lit(None, pl.String).alias(schema.REGION_LEVEL))
    if schema.CLASSIFICATION not in df.columns:
        df = df.with_columns(pl.lit(schema.NAICS).alias(schema.CLASSIFICATION))
    if schema.LEVEL not in df.columns:
        df = df.with_columns(level_expr().alias(schema.LEVEL))
    return df


def prior_values(df, measure: str = schema.EMPLOYMENT) -> np.ndarray:
    """Prior for every row: establishments x typical size; where a row has no establishment
    count (most tables outside the US), :func:`share_prior`; NaN where neither exists.

    The typical size is the code's national size ``s`` (same code and period; else the code over
    all periods; else the nearest ancestor code; else the level's average), refined by two
    factors estimated on published cells and shrunk when they rest on few cells (weight
    ``n / (n + 20)``): the size in cells of the same establishment-count class (1, 2, 3-4, 5-9,
    ... establishments: a code's lone establishments are not its average ones), shrunk towards
    the class factor pooled over all codes of the level, and the size in the same area (a
    county's state), shrunk towards 1.  ``size = s * f_class * f_area``; rows of a region level
    other than the finest (QCEW's xx999 areas, a state's own rows) times their level's factor
    (:func:`_region_level_factor`).

    Wages (where the table has employment): the cell's employment (published, or as imputed)
    x the industry's typical wage per job, built the same way with employment in place of
    establishments (published cells where both are published; the cell's own wage per job in
    periods where it is published; the same fallbacks and factors).  QCEW hides wages with
    employment, so a suppressed wage cell's jobs are themselves estimated: the prior carries
    the employment imputation's answer over.  Rows without employment fall back to
    establishments x wage per establishment.
    """
    est_prior = np.full(df.height, np.nan)
    base = prior_base(df, measure)
    if base != schema.ESTABLISHMENTS:
        est_prior = _establishment_prior(df, measure, base)
    missing = np.isnan(est_prior)
    if missing.any():
        est_prior = np.where(missing, _establishment_prior(df, measure), est_prior)
    missing = np.isnan(est_prior)
    if missing.any():
        est_prior = np.where(missing, share_prior(df, measure), est_prior)
    missing = np.isnan(est_prior)
    if missing.any():
        est_prior = np.where(missing, parent_share_prior(df, measure, missing), est_prior)
    return est_prior


def parent_share_prior(df, measure: str = schema.EMPLOYMENT, wanted=None) -> np.ndarray:
    """Prior from the cell's parent code, for tables with neither establishment counts nor
    all-industry rows (a national office's sections and divisions): ``P_j x share``, where
    ``P_j`` is the published value of the nearest coarser code the region lists above the cell
    (C above C10) and the share is the code's part of that parent summed over the regions of
    the same period, ownership and region level where both are published (the LQ = 1 guess
    within the parent).  A region listing section C alone where the others list C10, C11,
    C20 (its divisions read as suppressed, :func:`clusterid.core.overlaps.unlisted_children`)
    had no prior at all: each division took the middle of its bounds, and C10 + C11 + C20
    came out as the whole of C, whose other divisions the table does not list.  NaN where no
    parent is published or the code is published under no parent.  ``wanted``: a boolean
    mask of the rows to compute (the others NaN)."""
    import polars as pl

    from clusterid.core.codes import parent

    n = df.height
    out = np.full(n, np.nan)
    need = {measure, schema.INDUSTRY, schema.LEVEL, schema.CLASSIFICATION}
    if not need <= set(df.columns):
        return out
    keys = [schema.PERIOD, schema.REGION, schema.OWNERSHIP]
    rlevel = (pl.col(schema.REGION_LEVEL).fill_null("") if schema.REGION_LEVEL in df.columns
              else pl.lit("")).alias("__rl")
    cells = df.select(*keys, schema.INDUSTRY, schema.CLASSIFICATION, schema.LEVEL, rlevel,
                      _reported(df, measure).fill_null(False).alias("__pub"),
                      pl.col(measure).cast(pl.Float64).alias("__v")).with_row_index("__row")
    target = cells if wanted is None else cells.filter(pl.Series(np.asarray(wanted, dtype=bool)))
    target = target.filter(pl.col(schema.LEVEL).is_not_null() & (pl.col(schema.LEVEL) >= 2))
    if target.height == 0:
        return out
    levels = sorted(x for x in cells.get_column(schema.LEVEL).drop_nulls().unique().to_list()
                    if x >= 1)
    links = []
    for code, cls, lv in target.select(schema.INDUSTRY, schema.CLASSIFICATION,
                                       schema.LEVEL).unique().iter_rows():
        for up in (x for x in reversed(levels) if x < lv):
            anc = parent(code, cls, int(up)) if cls is not None else None
            if anc and anc != code:
                links.append((code, cls, anc, len(links)))
    if not links:
        return out
    links = pl.DataFrame(links, schema={schema.INDUSTRY: pl.String, schema.CLASSIFICATION: pl.String,
                                        "__parent": pl.String, "__rank": pl.Int64}, orient="row")
    pub = cells.filter(pl.col("__pub") & pl.col("__v").is_not_null())
    parents = pub.select(*keys, pl.col(schema.INDUSTRY).alias("__parent"),
                         schema.CLASSIFICATION, pl.col("__v").alias("__P"))
    # each child's nearest parent the region publishes
    mine = (target.select("__row", *keys, schema.INDUSTRY, schema.CLASSIFICATION, "__rl")
            .join(links, on=[schema.INDUSTRY, schema.CLASSIFICATION])
            .join(parents, on=[*keys, "__parent", schema.CLASSIFICATION])
            .sort("__row", "__rank").unique(subset="__row", keep="first", maintain_order=True))
    if mine.height == 0:
        return out
    # the code's share of that parent where both are published
    both = (pub.select(*keys, schema.INDUSTRY, schema.CLASSIFICATION, "__rl", "__v")
            .join(links.select(schema.INDUSTRY, schema.CLASSIFICATION, "__parent").unique(),
                  on=[schema.INDUSTRY, schema.CLASSIFICATION])
            .join(parents, on=[*keys, "__parent", schema.CLASSIFICATION]))
    share = (both.group_by(schema.PERIOD, schema.OWNERSHIP, "__rl", schema.INDUSTRY, "__parent")
             .agg((pl.col("__v").sum() / pl.col("__P").sum()).alias("__share")))
    got = (mine.join(share, on=[schema.PERIOD, schema.OWNERSHIP, "__rl", schema.INDUSTRY,
                                "__parent"], how="inner")
           .filter(pl.col("__share").is_finite())
           .select("__row", (pl.col("__P") * pl.col("__share")).alias("__prior")))
    out[got["__row"].to_numpy()] = got["__prior"].to_numpy()
    return out


def prior_base(df, measure: str) -> str:
    """What a cell's prior multiplies: employment for wages (wage per job) where the table has
    employment, else establishments (size per establishment)."""
    if measure == schema.WAGES and schema.EMPLOYMENT in df.columns:
        return schema.EMPLOYMENT
    return schema.ESTABLISHMENTS


def _establishment_prior(df, measure: str, base: str = schema.ESTABLISHMENTS) -> np.ndarray:
    """``base`` x typical ``measure`` per unit of it (NaN where no base); see prior_values.

    ``base`` is establishments (typical size per establishment) or, for wages, employment
    (typical wage per job): one code path for both.
    """
    import polars as pl

    from clusterid.core import codes

    n = df.height
    if base not in df.columns or measure == base:
        return np.full(n, np.nan)
    df = _with_label_defaults(df)
    keys = [schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY]
    pub = _published(df, measure, base).with_columns(_est_class(df), _area())
    ratio = (pl.col(measure).sum() / pl.col(base).sum())
    sizes = pub.group_by(keys, maintain_order=True).agg(ratio.alias("__s0"))
    by_class = pub.group_by(
            *keys, "__class", maintain_order=True).agg(ratio.alias("__sc"), pl.len().alias("__nc"))
    by_area = pub.group_by(
            *keys, "__area", maintain_order=True).agg(ratio.alias("__sa"), pl.len().alias("__na"))
    all_periods = sizes.group_by(
            schema.OWNERSHIP, schema.INDUSTRY, maintain_order=True).agg(pl.col("__s0").mean().alias("__s1"))
    # Fallback size per distinct code (a few thousand rows): the code over all periods, else
    # its nearest ancestor's.
    code_tbl = df.select(schema.OWNERSHIP, schema.INDUSTRY, schema.LEVEL, schema.CLASSIFICATION).unique()
    code_tbl = code_tbl.join(all_periods, on=[schema.OWNERSHIP, schema.INDUSTRY], how="left")
    max_level = int(code_tbl[schema.LEVEL].max() or 0)
    fallbacks = ["__s1"]
    for up in range(1, max_level + 1):
        name = f"__a{up}"
        exprs = [pl.when(pl.col(schema.LEVEL) == lev).then(codes.parent_expr(lev - up))
                 for lev in range(up, max_level + 1)]
        code_tbl = code_tbl.with_columns(pl.coalesce(*exprs).alias(name + "_code"))
        code_tbl = code_tbl.join(all_periods.rename({schema.INDUSTRY: name + "_code", "__s1": name}),
                                 on=[schema.OWNERSHIP, name + "_code"], how="left")
        fallbacks.append(name)
    code_tbl = code_tbl.select(schema.OWNERSHIP, schema.INDUSTRY, pl.coalesce(*fallbacks).alias("__fb"))
    by_level = pub.group_by(
            schema.PERIOD, schema.OWNERSHIP, schema.LEVEL, maintain_order=True).agg(ratio.alias("__sl"))
    # The class factor pooled over all codes of a level (what a code's lone or few
    # establishments weigh against its average one, in general): the target a code's own class
    # factor is shrunk towards -- itself shrunk towards 1 as it rests on few cells: QCEW
    # publishes hardly any single-establishment cell (Utah 2016 Q1: one, Cache County's
    # unclassified 999, $250 for its 1 job), and unshrunk that one cell set the wage prior of
    # every suppressed single-establishment cell at 1.8% of its code's wage per job.
    pooled_class = pub.join(sizes, on=keys, how="left", maintain_order="left").group_by(
        schema.PERIOD, schema.OWNERSHIP, schema.LEVEL, "__class", maintain_order=True).agg(
        (pl.col(measure).sum() / (pl.col(base) * pl.col("__s0")).sum()).alias("__gc"),
        pl.len().cast(pl.Float64).alias("__ngc"))
    pooled_class = pooled_class.select(
        schema.PERIOD, schema.OWNERSHIP, schema.LEVEL, "__class",
        ((pl.col("__ngc") * pl.col("__gc").fill_nan(1.0) + SHRINK_CELLS)
         / (pl.col("__ngc") + SHRINK_CELLS)).alias("__gc"))

    def factor(value, count, toward=None):
        w = pl.col(count).fill_null(0).cast(pl.Float64)
        f = (pl.col(value) / pl.col("__s0")).fill_null(1.0).fill_nan(1.0)
        g = pl.lit(1.0) if toward is None else pl.col(toward).fill_null(1.0).fill_nan(1.0)
        return (w * f + SHRINK_CELLS * g) / (w + SHRINK_CELLS)

    # The cell's own size per establishment in the periods where it is published: BLS does not
    # suppress every series in every quarter (7.7% of the suppressed private 6-digit county
    # cells of 2016 are published in another quarter), and a cell's own history predicts it far
    # better than its code's typical establishment.  Used for unpublished rows only, so the
    # published cells' prior (and the dispersion estimated on them) stays the typical one.
    unpublished = ~_reported(df, measure)
    own_ok = ~unpublished & (pl.col(base) > 0)
    if base != schema.ESTABLISHMENTS:
        own_ok = own_ok & _reported(df, base)
    # eager: a lazy group_by sums in partitions whose order varies between runs (last bits)
    own = (df.filter(own_ok)
           .group_by(_SERIES, maintain_order=True)
           .agg((pl.col(measure).sum() / pl.col(base).sum()).alias("__own"))
           .lazy())
    extra = [schema.ESTABLISHMENTS] if (base != schema.ESTABLISHMENTS
                                         and schema.ESTABLISHMENTS in df.columns) else []
    frame = (
        df.lazy().select(*keys, schema.REGION, schema.REGION_LEVEL, schema.LEVEL, base, *extra,
                         unpublished.alias("__unpublished"))
        .with_columns(_est_class(df), _area())
        .join(own, on=_SERIES, how="left", maintain_order="left")
        .join(sizes.lazy(), on=keys, how="left", maintain_order="left")
        .join(by_class.lazy(), on=[*keys, "__class"], how="left", maintain_order="left")
        .join(by_area.lazy().filter(pl.col("__area").is_not_null()), on=[*keys, "__area"], how="left",
              maintain_order="left")
        .join(code_tbl.lazy(), on=[schema.OWNERSHIP, schema.INDUSTRY], how="left", maintain_order="left")
        .join(by_level.lazy(), on=[schema.PERIOD, schema.OWNERSHIP, schema.LEVEL], how="left",
              maintain_order="left")
        .join(pooled_class.lazy(), on=[schema.PERIOD, schema.OWNERSHIP, schema.LEVEL, "__class"],
              how="left", maintain_order="left")
        .select(pl.when(pl.col("__unpublished") & pl.col("__own").is_not_null())
                .then(pl.col(base).cast(pl.Float64) * pl.col("__own"))
                .otherwise(pl.col(base).cast(pl.Float64)
                           * pl.coalesce("__s0", "__fb", "__sl")
                           * factor("__sc", "__nc", "__gc") * factor("__sa", "__na"))
                .alias("__prior"),
                (pl.col("__unpublished") & pl.col("__own").is_not_null()).alias("__own_used"))
        .collect()
    )
    prior = frame["__prior"].fill_null(np.nan).to_numpy()
    return prior * _region_level_factor(df, measure, prior, frame["__own_used"].to_numpy(), base)


def _region_level_factor(df, measure: str, prior: np.ndarray, own_used: np.ndarray,
                         base: str = schema.ESTABLISHMENTS) -> np.ndarray:
    """Size factor of the rows at a region level other than the finest, per row (1 elsewhere).

    The typical sizes rest on the finest region level (counties).  Rows of another level are
    other establishments: QCEW's xx999 areas and CBP's county 999 (establishments without a
    fixed county, mostly home-based and small: their published 6-digit cells of 2016 Q1 hold a
    quarter of the county-based prior), or a state's own rows.  The factor is the published
    ``measure`` over the prior of the level's published cells, per (period, ownership, code),
    shrunk towards the same ratio over all codes of the NAICS level (weight ``n / (n + 20)``),
    as the class factor.  Rows priced by their own published history keep it.
    """
    import polars as pl

    n = df.height
    if schema.REGION_LEVEL not in df.columns or n == 0:
        return np.ones(n)
    published = _reported(df, measure) & (pl.col(base) > 0)
    if base != schema.ESTABLISHMENTS:
        published = published & _reported(df, base)
    frame = df.select(schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY, schema.LEVEL,
                      pl.col(schema.REGION_LEVEL).fill_null("").alias("__rl"),
                      pl.col(measure).cast(pl.Float64).alias("__v"), published.alias("__pub"),
                      pl.Series("__p", prior), pl.Series("__own_used", own_used))
    pub = frame.filter(pl.col("__pub") & pl.col("__p").is_not_nan() & (pl.col("__p") > 0))
    if pub.height == 0:
        return np.ones(n)
    finest = _finest_level(pub.rename({"__rl": schema.REGION_LEVEL}))
    other = pub.filter(pl.col("__rl") != finest)
    if other.height == 0:
        return np.ones(n)
    ratio = pl.col("__v").sum() / pl.col("__p").sum()
    by_code = other.group_by(schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY, "__rl",
                             maintain_order=True).agg(ratio.alias("__f"), pl.len().alias("__n"))
    pooled = other.group_by(schema.PERIOD, schema.OWNERSHIP, schema.LEVEL, "__rl",
                            maintain_order=True).agg(ratio.alias("__g"))
    w = pl.col("__n").fill_null(0).cast(pl.Float64)
    g = pl.col("__g").fill_null(1.0).fill_nan(1.0)
    f = (w * pl.col("__f").fill_null(1.0).fill_nan(1.0) + SHRINK_CELLS * g) / (w + SHRINK_CELLS)
    out = (frame.lazy()
           .join(by_code.lazy(), on=[schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY, "__rl"],
                 how="left", maintain_order="left")
           .join(pooled.lazy(), on=[schema.PERIOD, schema.OWNERSHIP, schema.LEVEL, "__rl"],
                 how="left", maintain_order="left")
           .select(pl.when((pl.col("__rl") == finest) | pl.col("__own_used")).then(1.0)
                   .otherwise(f).alias("__f"))
           .collect())
    return out["__f"].to_numpy()


DISPERSION_CELLS = 10.0  # a code's own spread counts fully once it rests on ~10 published cells
DISPERSION_RANGE = (0.05, 4.0)


def prior_dispersion(df, measure: str = schema.EMPLOYMENT, prior: np.ndarray | None = None) -> np.ndarray:
    """How far a cell's value typically strays from its prior, per row: ``var log(value / prior)``.

    Estimated on published cells (finest region level, all periods) per (ownership, code) and
    shrunk towards the same variance over the code's NAICS level (weight ``(n - 1) / (n - 1 +
    10)``), clipped to [0.05, 4].  Some industries are made of look-alike establishments (their
    prior is good), others mix a few very large sites with many small ones: when a residual must
    be shared, the code whose size is less predictable should take the larger share of the
    surprise.  NaN where there is no prior.
    """
    import polars as pl

    if prior is None:
        prior = prior_values(df, measure)
    n = df.height
    if schema.ESTABLISHMENTS not in df.columns or measure == schema.ESTABLISHMENTS:
        return np.full(n, np.nan)
    cols = [schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY, schema.LEVEL, measure,
            schema.ESTABLISHMENTS]
    cols += [c for c in (schema.status_col(measure), schema.REGION_LEVEL) if c in df.columns]
    frame = df.select(cols).with_columns(pl.Series("__prior", prior))
    if schema.REGION_LEVEL not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias(schema.REGION_LEVEL))
    pub = _published(frame, measure).filter((pl.col("__prior") > 0) & (pl.col(measure) > 0))
    lr = (pl.col(measure) / pl.col("__prior")).log()
    by_code = pub.group_by(schema.OWNERSHIP, schema.INDUSTRY, maintain_order=True).agg(
        lr.var().alias("__v"), pl.len().alias("__n"))
    by_level = pub.group_by(
            schema.OWNERSHIP, schema.LEVEL, maintain_order=True).agg(lr.var().alias("__vl"))
    overall = pub.select(lr.var()).item() if pub.height > 1 else None
    overall = 1.0 if overall is None or not np.isfinite(overall) else float(overall)
    k = DISPERSION_CELLS
    m = (pl.col("__n").fill_null(1) - 1).cast(pl.Float64)
    vl = pl.col("__vl").fill_null(overall)
    v = ((m * pl.col("__v").fill_null(0.0) + k * vl) / (m + k)).clip(*DISPERSION_RANGE)
    out = (frame.lazy().select(schema.OWNERSHIP, schema.INDUSTRY, schema.LEVEL, "__prior")
           .join(by_code.lazy(), on=[schema.OWNERSHIP, schema.INDUSTRY], how="left", maintain_order="left")
           .join(by_level.lazy(), on=[schema.OWNERSHIP, schema.LEVEL], how="left", maintain_order="left")
           .select(pl.when(pl.col("__prior").is_not_nan() & pl.col("__prior").is_not_null())
                   .then(v).alias("__disp"))
           .collect())
    return out["__disp"].fill_null(np.nan).to_numpy()


FLOOR_CELLS = 20  # a sector's lowest published wage per job is used once it rests on 20 cells


def wage_floors(df, measure: str = schema.WAGES) -> np.ndarray:
    """Lowest wage the published figures suggest for every unknown wage cell with jobs, per row.

    ``floor = jobs x r_min``: ``r_min`` is the lowest wage per job among the published cells
    (wages and employment published, employment > 0, finest region level) of the cell's NAICS
    sector, ownership and period -- of every sector of the period and ownership where the
    sector has fewer than :data:`FLOOR_CELLS` such cells (one or two cells say little about
    how low a sector pays); ``jobs`` is the table's employment, imputed where it was
    suppressed (:func:`_with_imputed_base`).  NaN where there is no floor: a published wage,
    no employment, no published rate.  A published cell paying $0 for its jobs sets its
    sector's floor to 0 (none): the source shows it can happen.
    """
    import polars as pl

    n = df.height
    if measure != schema.WAGES or prior_base(df, measure) != schema.EMPLOYMENT or n == 0:
        return np.full(n, np.nan)
    from clusterid.core import codes

    df = _with_label_defaults(df)
    sector = (pl.when(pl.col(schema.LEVEL) >= 2).then(codes.parent_expr(2))
              .otherwise(pl.lit("")).fill_null("").alias("__sector"))
    keys = [schema.PERIOD, schema.OWNERSHIP]
    jobs, wage = pl.col(schema.EMPLOYMENT).cast(pl.Float64), pl.col(measure).cast(pl.Float64)
    pub = _published(df, measure, schema.EMPLOYMENT).with_columns(sector)
    stats = [(wage / jobs).min().alias("__rmin"), pl.len().alias("__n")]
    by_sector = pub.group_by(*keys, "__sector", maintain_order=True).agg(stats)
    overall = pub.group_by(*keys, maintain_order=True).agg([e.name.suffix("_all") for e in stats])
    rmin = (pl.when(pl.col("__n").fill_null(0) >= FLOOR_CELLS).then(pl.col("__rmin"))
            .when(pl.col("__n_all").fill_null(0) >= FLOOR_CELLS).then(pl.col("__rmin_all")))
    out = (df.select(*keys, sector, jobs.alias("__jobs"), _reported(df, measure).alias("__known"))
           .join(by_sector, on=[*keys, "__sector"], how="left", maintain_order="left")
           .join(overall, on=keys, how="left", maintain_order="left")
           .select(pl.when(~pl.col("__known") & (pl.col("__jobs") > 0))
                   .then(pl.col("__jobs") * rmin).alias("__floor")))
    return out["__floor"].fill_null(np.nan).to_numpy()


def _fallback_prior(prior, lo, hi):
    """Where there is no prior: the middle of finite bounds; NaN when the bounds are open too.

    A cell with neither a prior nor an upper bound cannot be imputed honestly: it stays
    suppressed (never a made-up 0), and takes up slack in the adding-up for the others.
    """
    mid = np.where(np.isfinite(hi), (lo + hi) / 2.0, np.nan)
    return np.where(np.isnan(prior), mid, prior)


# --------------------------------------------------------------------------- solver

def _constraint_matrix(st):
    """Sparse (groups x cells): +1 for each child, -1 for the parent of each group."""
    import scipy.sparse as sp

    n_groups = len(st.parent)
    rows = np.concatenate([st.child_group, np.arange(n_groups)])
    cols = np.concatenate([st.child, st.parent])
    vals = np.concatenate([np.ones(len(st.child)), -np.ones(n_groups)])
    return sp.csr_matrix((vals, (rows, cols)), shape=(n_groups, st.n))


FLOOR_PENALTY = 1e4  # weight of a floor's missed share u (as f u^2), against the largest fit weight


def _solve_block(target, weight, lo, hi, a_eq, b_eq, a_le, b_le, soft_floor=None):
    """min sum weight (x - target)^2  s.t.  a_eq x = b_eq, a_le x <= b_le, lo <= x <= hi.

    Clarabel (interior point) on values scaled to a typical size of 1.  ``soft_floor`` (NaN
    where none): floors the solution should keep but may miss where the constraints leave no
    room: ``x_i >= f_i (1 - u_i)``, ``u_i >= 0``, with ``FLOOR_PENALTY x max weight x f_i
    u_i^2`` added to the objective (``s_i^2 / f_i`` in the shortfall ``s_i = f_i u_i``), so
    where the floors of a conflict cannot all hold they give way by one common fraction (no
    cell alone down to 0), and the others hold but for a trace.
    """
    import clarabel
    import scipy.sparse as sp

    n = len(target)
    pos = target[target > 0]
    scale = float(np.median(pos)) if len(pos) else 1.0
    scale = scale if scale > 0 else 1.0
    t = target / scale
    w = weight * scale
    gl = np.zeros(0, dtype=np.int64)
    if soft_floor is not None:
        gl = np.flatnonzero(np.isfinite(soft_floor) & (soft_floor > lo))
    k = len(gl)
    f = soft_floor[gl] / scale if k else np.zeros(0)
    # The slack is the relative miss u = s / f, penalised by f u^2 = s^2 / f (the chi-square
    # distance of the shortfall): a conflict's floors give way by one common fraction.  In u,
    # not s: weights 1 / f on a tiny floor would wreck the conditioning and the accuracy.
    penalty = FLOOR_PENALTY * max(1.0, float(np.max(w)) if n else 1.0) * f
    P = sp.diags(np.concatenate([w, penalty])).tocsc()
    q = np.concatenate([-w * t, np.zeros(k)])
    fl = np.flatnonzero(np.isfinite(lo))
    fh = np.flatnonzero(np.isfinite(hi))
    # Bound rows written directly (slicing an identity matrix is slow at this size).
    bound_rows = sp.csr_matrix(
        (np.concatenate([-np.ones(len(fl)), np.ones(len(fh))]),
         np.concatenate([fl, fh]), np.arange(len(fl) + len(fh) + 1)),
        shape=(len(fl) + len(fh), n + k))
    if k:
        a_eq = sp.hstack([a_eq, sp.csr_matrix((a_eq.shape[0], k))])
        a_le = sp.hstack([a_le, sp.csr_matrix((a_le.shape[0], k))])
    blocks = [a_eq, a_le, bound_rows]
    rhs = [b_eq / scale, b_le / scale, -lo[fl] / scale, hi[fh] / scale]
    if k:
        # -x_i - f_i u_i <= -f_i;  -u_i <= 0
        slack = n + np.arange(k)
        blocks += [sp.csr_matrix((np.concatenate([-np.ones(k), -f]),
                                  (np.tile(np.arange(k), 2), np.concatenate([gl, slack]))),
                                 shape=(k, n + k)),
                   sp.csr_matrix((-np.ones(k), (np.arange(k), slack)), shape=(k, n + k))]
        rhs += [-f, np.zeros(k)]
    A = sp.vstack(blocks, format="csc")
    b = np.concatenate(rhs)
    cones = []
    if a_eq.shape[0]:
        cones.append(clarabel.ZeroConeT(a_eq.shape[0]))
    n_ineq = a_le.shape[0] + len(fl) + len(fh) + 2 * k
    if n_ineq:
        cones.append(clarabel.NonnegativeConeT(n_ineq))
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    settings.max_iter = 200
    settings.presolve_enable = False  # saves a third of the time; the rows are all needed
    solution = clarabel.DefaultSolver(P, q, A, b, cones, settings).solve()
    status = str(solution.status)
    x = np.asarray(solution.x)[:n] * scale
    return x, status in ("Solved", "AlmostSolved"), status


def _chains(st, free):
    """Label free cells so that a parent with a single child shares the child's label.

    An exact group with one child says parent == child (5-digit ``11221`` = 6-digit ``112210``);
    solving them as one variable shrinks the programme by a third without changing its answer.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    n_children = np.bincount(st.child_group, minlength=len(st.parent))
    # (a rounded table's parent is its one child give or take rounding: not one variable)
    single = st.exact & (n_children == 1) & (st.group_tol() == 0)
    first_child = np.full(len(st.parent), -1)
    first_child[st.child_group[::-1]] = st.child[::-1]
    a = st.parent[single]
    b = first_child[single]
    keep = free[a] & free[b]
    a, b = a[keep], b[keep]
    free_idx = np.flatnonzero(free)
    pos = np.full(st.n, -1)
    pos[free_idx] = np.arange(len(free_idx))
    m = len(free_idx)
    graph = sp.csr_matrix((np.ones(len(a)), (pos[a], pos[b])), shape=(m, m))
    _, label = connected_components(graph, directed=False)
    return free_idx, label


RAKE_SWEEPS = 30
RAKE_TOL = 1e-9


def _kind_order(name: str) -> tuple:
    """Raking order: areas and ownerships first, then the industry tree from coarse to fine.

    The finest industry links come last so that the raked values add up exactly within each
    region before the solver polishes them.
    """
    if name.startswith("industry L"):
        child = int(name.split("->")[0].removeprefix("industry L"))
        return (1, child, name)
    return (0, 0, name)


def _rake(Mv, rhs, exact, row_kind, kind_names, target, disp, var_open, floor):
    """Raking of ``target`` to the exact rows ``sum(+x) - sum(-x) = rhs`` of the free variables.

    Each row's update multiplies its variables by ``exp(a_i v_i mu)`` (``a_i`` = +1 for a
    child, -1 for an unpublished parent) with the one ``mu`` that makes the row hold: Newton on
    ``log(P + max(-rhs, 0)) = log(Q + max(rhs, 0))`` (``P``, ``Q``: the raked children and
    parent), increasing in ``mu``.  Rows of one kind share (almost) no variable, so a kind is one
    vectorised step.  Sweeps over the kinds until every row holds (``RAKE_TOL``) or
    ``RAKE_SWEEPS``.  "At most" links, rows with a cell without a prior, and rows of children
    only with a non-positive residual are left to the solver.  Returns the raked values, or
    None when no row qualifies.
    """
    coo = Mv.tocoo()
    r, c, a = coo.row, coo.col, coo.data
    n_rows = Mv.shape[0]
    has_plus = np.zeros(n_rows, dtype=bool)
    has_plus[r[a > 0]] = True
    has_minus = np.zeros(n_rows, dtype=bool)
    has_minus[r[a < 0]] = True
    bad = np.zeros(n_rows, dtype=bool)
    bad[r[var_open[c]]] = True
    ok = exact & has_plus & ~bad & (has_minus | (rhs > 0))
    if not ok.any():
        return None
    y = np.where(var_open, target, np.maximum(target, 0.01 * floor))
    keep = ok[r]
    r, c, a = r[keep], c[keep], a[keep]
    kinds = row_kind[r]
    plan = []
    for k in sorted(np.unique(kinds), key=lambda k: _kind_order(kind_names[int(k)])):
        sel = kinds == k
        rk, ck, ak = r[sel], c[sel], np.sign(a[sel])
        local_rows, rl = np.unique(rk, return_inverse=True)
        vk = disp[ck]
        vmax = np.zeros(len(local_rows))
        np.maximum.at(vmax, rl, vk)
        b = rhs[local_rows]
        # A variable in two rows of one kind (a 5-digit = 6-digit chain under two state rows)
        # takes the mean of their updates, so the simultaneous step cannot overshoot.
        uses = np.bincount(ck, minlength=len(y))[ck]
        plan.append((rl, ck, ak, ak * vk / vmax[rl], np.maximum(-b, 0.0), np.maximum(b, 0.0),
                     len(local_rows), None if uses.max() == 1 else uses))

    def gap(rl, ck, ak, t, b_neg, b_pos, m, slope=None):
        plus = ak > 0
        p = np.bincount(rl, weights=np.where(plus, t, 0.0), minlength=m) + b_neg
        q = np.bincount(rl, weights=np.where(plus, 0.0, t), minlength=m) + b_pos
        g = np.log(p) - np.log(q)
        if slope is None:
            return g
        d = slope * t  # a_i v_i t_i: d/dmu of each raked value
        return g, (np.bincount(rl, weights=np.where(plus, d, 0.0), minlength=m) / p
                   - np.bincount(rl, weights=np.where(plus, 0.0, d), minlength=m) / q)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _sweep in range(RAKE_SWEEPS):
            worst = 0.0
            for rl, ck, ak, slope, b_neg, b_pos, m, uses in plan:
                yk = y[ck]
                g0 = np.abs(gap(rl, ck, ak, yk, b_neg, b_pos, m))
                worst = max(worst, float(np.max(g0)))
                active = g0 > RAKE_TOL
                if not active.any():
                    continue
                if not active.all():  # Newton on the rows that do not hold yet
                    e = active[rl]
                    rows_a, rl_a = np.unique(rl[e], return_inverse=True)
                    ck_a, ak_a, slope_a, yk = ck[e], ak[e], slope[e], yk[e]
                    bn_a, bp_a, m_a = b_neg[rows_a], b_pos[rows_a], len(rows_a)
                    uses_a = None if uses is None else uses[e]
                else:
                    rl_a, ck_a, ak_a, slope_a, bn_a, bp_a, m_a, uses_a = (
                        rl, ck, ak, slope, b_neg, b_pos, m, uses)
                mu = np.zeros(m_a)
                for _it in range(50):
                    t = yk * np.exp(np.clip(slope_a * mu[rl_a], -700.0, 700.0))
                    g, dg = gap(rl_a, ck_a, ak_a, t, bn_a, bp_a, m_a, slope_a)
                    if np.max(np.abs(g)) <= 1e-12:
                        break
                    mu -= np.clip(np.where(dg > 0, g / dg, 0.0), -20.0, 20.0)
                step = np.clip(slope_a * mu[rl_a], -700.0, 700.0)
                if uses_a is None:
                    y[ck_a] = yk * np.exp(step)
                else:
                    y *= np.exp(np.bincount(ck_a, weights=step / uses_a, minlength=len(y)))
            if worst <= RAKE_TOL:
                break
    return y


def _rows(sub, rhs, exact, band):
    """``(a_eq, b_eq, a_le, b_le)`` of a block's rows: exact rows are equalities, "at most"
    rows ``<=``; in a rounded table (``band`` > 0) an exact row is the pair ``row <= rhs +
    band`` and ``-row <= -(rhs - band)``, and an "at most" row ``row <= rhs + band``: within
    rounding of its published parent, as :func:`clusterid.core.bounds.propagate` bounds them
    (published siblings may come to more than their rounded parent)."""
    import scipy.sparse as sp

    if not (band > 0).any():
        return sub[exact], rhs[exact], sub[~exact], rhs[~exact]
    banded = exact & (band > 0)
    eq = exact & ~banded
    a_le = sp.vstack([sub[~exact], sub[banded], -sub[banded]]).tocsr()
    b_le = np.concatenate([rhs[~exact] + band[~exact], rhs[banded] + band[banded],
                           -(rhs[banded] - band[banded])])
    return sub[eq], rhs[eq], a_le, b_le


def _constrained(st, prior, info: ImputeInfo, dispersion=None, floors=None) -> np.ndarray:
    """Fit all free unknowns: raking towards the adding-up, then the QP block by block.

    ``dispersion`` (per cell, see :func:`prior_dispersion`) says how far each prior may stray;
    without it every cell counts alike.  ``floors`` (per cell, NaN where none;
    :func:`wage_floors`): a lower bound the fit keeps wherever the adding-up leaves room for
    it (capped at the cell's upper bound); a block that cannot keep every floor is solved
    again component by component, and a component that cannot either keeps its floors as a
    penalty (:func:`_solve_block`): the residuals are re-shared over the other cells and the
    floors of the conflict give way by one common fraction.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    lo, hi = st.lower, st.upper
    unknown = ~st.known
    fixed = unknown & (hi - lo <= _tol(hi))
    x = np.where(st.known, st.value, np.where(fixed, lo, np.nan))
    if st.contradicted is not None and st.contradicted.any():
        # Cells in contradictory surroundings: the prior inside their own bounds, not linked.
        bad = st.contradicted & unknown
        x[bad] = np.clip(np.where(np.isnan(prior[bad]), lo[bad], prior[bad]), lo[bad], hi[bad])
        info.n_fixed_by_bounds -= int((bad & ~fixed).sum())  # not fixed by bounds
        fixed = fixed | bad
    free = unknown & ~fixed
    info.n_fixed_by_bounds += int(fixed.sum())
    free_idx, var_of = _chains(st, free)
    info.n_solved += int(len(free_idx))
    if len(free_idx) == 0:
        return x
    p_free = prior[free_idx]
    positive = p_free[p_free > 0]
    floor = 0.05 * float(np.median(positive)) if len(positive) else 1.0
    open_cell = np.isnan(p_free)  # no prior, no upper bound: free slack, left suppressed
    v_cell = np.ones(len(free_idx)) if dispersion is None else dispersion[free_idx]
    v_cell = np.where(np.isfinite(v_cell) & (v_cell > 0), v_cell, 1.0)
    w_cell = np.where(open_cell, 1e-6 / floor, 1.0 / np.maximum(np.nan_to_num(p_free), floor))
    p_free = np.where(open_cell, lo[free_idx], p_free)
    n_var = int(var_of.max()) + 1
    weight = np.bincount(var_of, weights=w_cell, minlength=n_var)
    target = np.bincount(var_of, weights=w_cell * p_free, minlength=n_var) / weight
    disp = np.bincount(var_of, weights=w_cell * v_cell, minlength=n_var) / weight
    var_open = np.bincount(var_of, weights=open_cell.astype(float), minlength=n_var) > 0
    v_lo = np.full(n_var, -np.inf)
    v_hi = np.full(n_var, np.inf)
    np.maximum.at(v_lo, var_of, lo[free_idx])
    np.minimum.at(v_hi, var_of, hi[free_idx])
    v_hi = np.maximum(v_hi, v_lo)
    # The floors per variable (a chain's highest), capped at its upper bound: g_lo is the
    # lower bound the fit keeps where it can, v_lo the one it must.
    g_lo = v_lo
    if floors is not None:
        cell_lo = np.where(open_cell, -np.inf, np.nan_to_num(floors[free_idx], nan=-np.inf))
        g_lo = np.full(n_var, -np.inf)
        np.maximum.at(g_lo, var_of, cell_lo)
        g_lo = np.clip(g_lo, v_lo, v_hi)
    if len(st.parent) == 0:
        x[free_idx] = np.where(open_cell, np.nan, np.clip(target, g_lo, v_hi)[var_of])
        return x
    M = _constraint_matrix(st)
    T = sp.csr_matrix((np.ones(len(free_idx)), (free_idx, var_of)), shape=(st.n, n_var))
    Mv = (M @ T).tocsr()
    Mv.eliminate_zeros()
    rhs = -(M[:, ~free] @ x[~free])
    rows = np.flatnonzero(np.diff(Mv.indptr) > 0)
    Mv = Mv[rows]
    rhs = rhs[rows]
    exact = st.exact[rows]
    # a rounded table's exact rows hold within rounding: |row - rhs| <= band (0 elsewhere)
    band = st.group_tol()[rows]
    n_rows = len(rows)
    # Raking first: multiplicative updates (x_i = p_i exp(v_i * sum of multipliers), the
    # optimum of a dispersion-weighted Kullback-Leibler distance to the prior) over every
    # published-parent adding-up, both trees in turn; the QP below then only polishes (bounds,
    # unpublished parents) around the raked values, with weights 1 / (raked value x dispersion).
    raked = _rake(Mv, rhs, exact, st.kind[rows], st.kinds, target, disp, var_open, floor)
    if raked is not None:
        target = raked
        weight = np.where(var_open, weight, 1.0 / (np.maximum(raked, floor) * disp))
    # Components of the bipartite graph (variables + constraint rows).
    coo = Mv.tocoo()
    adj = sp.csr_matrix((np.ones(coo.nnz), (coo.col, n_var + coo.row)),
                        shape=(n_var + n_rows, n_var + n_rows))
    n_comp, label = connected_components(adj, directed=False)
    var_comp = label[:n_var]
    row_comp = label[n_var:]
    values = np.clip(target, g_lo, v_hi)
    # A component made of one exact row "sum of variables = R" (a published parent over its
    # unpublished leaves, the commonest case) has a closed-form optimum: x = t + (R - sum t) *
    # (1/W) / sum(1/W), the pro-rata split.  Take it where it lies inside the bounds and leave
    # the rest to the solver.
    rows_in = np.bincount(row_comp, minlength=n_comp)
    coo_comp = row_comp[coo.row]
    all_plus = np.ones(n_comp, dtype=bool)
    np.logical_and.at(all_plus, coo_comp, coo.data > 0)
    candidate = (rows_in == 1) & all_plus
    candidate[row_comp[~exact]] = False
    v_cand = candidate[var_comp]
    inv_w = 1.0 / weight
    comp_rhs = np.zeros(n_comp)
    comp_rhs[row_comp] = rhs
    sum_t = np.bincount(var_comp, weights=np.where(v_cand, target, 0.0), minlength=n_comp)
    sum_iw = np.bincount(var_comp, weights=np.where(v_cand, inv_w, 0.0), minlength=n_comp)
    with np.errstate(divide="ignore", invalid="ignore"):
        closed = target + (comp_rhs[var_comp] - sum_t[var_comp]) * inv_w / sum_iw[var_comp]
    tol = 1e-9 * (1.0 + np.abs(np.nan_to_num(closed)))
    fits = v_cand & np.isfinite(closed) & (closed >= g_lo - tol) & (closed <= v_hi + tol)
    comp_ok = candidate.copy()
    np.logical_and.at(comp_ok, var_comp, fits | ~v_cand)
    values[comp_ok[var_comp]] = np.clip(closed, g_lo, v_hi)[comp_ok[var_comp]]
    comp_ok |= rows_in == 0  # a variable in no adding-up: its prior inside its bounds
    # A component whose raked values already satisfy every row and bound is the solver's optimum
    # as it stands (the QP's distance is zero there).
    with np.errstate(invalid="ignore"):
        res = Mv @ target - rhs
    row_tol = 1e-8 * (1.0 + np.abs(rhs) + np.abs(Mv) @ np.abs(target))
    row_holds = np.where(exact, np.abs(res) <= row_tol + band, res <= row_tol + band)
    var_tol = 1e-9 * (1.0 + np.abs(target))
    var_holds = np.isfinite(target) & (target >= g_lo - var_tol) & (target <= v_hi + var_tol)
    feasible = np.ones(n_comp, dtype=bool)
    np.logical_and.at(feasible, row_comp, row_holds)
    np.logical_and.at(feasible, var_comp, var_holds)
    feasible &= ~comp_ok
    values[feasible[var_comp]] = np.clip(target, g_lo, v_hi)[feasible[var_comp]]
    comp_ok |= feasible
    done = comp_ok[var_comp]
    info.n_closed_form += int(done.sum())  # counted in variables (merged chains count once)
    # Pack the other components into blocks of at most MAX_BLOCK variables, in component order.
    comp_size = np.bincount(var_comp[~done], minlength=n_comp)
    ends = np.cumsum(comp_size)
    block_of_comp = np.zeros(n_comp, dtype=np.int64)
    current, start = 0, 0
    for c in range(n_comp):
        if ends[c] - start > MAX_BLOCK and ends[c] - comp_size[c] > start:
            current += 1
            start = ends[c] - comp_size[c]
        block_of_comp[c] = current
    var_block = np.where(done, -1, block_of_comp[var_comp])
    row_block = np.where(comp_ok[row_comp], -1, block_of_comp[row_comp])
    var_order = np.argsort(var_block, kind="stable")
    var_bounds = np.searchsorted(var_block[var_order], np.arange(current + 2))
    row_order = np.argsort(row_block, kind="stable")
    row_bounds = np.searchsorted(row_block[row_order], np.arange(current + 2))
    Mv = Mv.tocsc()
    failures = 0
    for blk in range(current + 1):
        vsel = var_order[var_bounds[blk]:var_bounds[blk + 1]]
        if len(vsel) == 0:
            continue
        rsel = row_order[row_bounds[blk]:row_bounds[blk + 1]]
        sub = Mv[:, vsel].tocsr()[rsel]
        ex = exact[rsel]
        parts = _rows(sub, rhs[rsel], ex, band[rsel])
        xb, ok, _status = _solve_block(target[vsel], weight[vsel], g_lo[vsel], v_hi[vsel], *parts)
        info.n_blocks += 1
        if not ok and (g_lo[vsel] > v_lo[vsel]).any():
            # Floors the adding-up leaves no room for (the commonest cause): keep them as a
            # penalty over the whole block, one solve.
            xb, ok, _status = _solve_block(target[vsel], weight[vsel], v_lo[vsel], v_hi[vsel],
                                           *parts, soft_floor=g_lo[vsel])
        if not ok:
            # One infeasible component (contradictory published figures, or floors the
            # adding-up leaves no room for) must not cost the others in the block: solve them
            # one by one; a component whose floors cannot all hold keeps them as a penalty;
            # keep the prior where no solution exists.
            for comp in np.unique(var_comp[vsel]):
                cv = vsel[var_comp[vsel] == comp]
                cr = rsel[row_comp[rsel] == comp]
                csub = Mv[:, cv].tocsr()[cr]
                parts = _rows(csub, rhs[cr], exact[cr], band[cr])
                xc, ok_c, _ = _solve_block(target[cv], weight[cv], g_lo[cv], v_hi[cv], *parts)
                if not ok_c and (g_lo[cv] > v_lo[cv]).any():
                    xc, ok_c, _ = _solve_block(target[cv], weight[cv], v_lo[cv], v_hi[cv], *parts,
                                               soft_floor=g_lo[cv])
                if ok_c:
                    values[cv] = np.clip(xc, v_lo[cv], v_hi[cv])
                else:
                    failures += 1
            continue
        values[vsel] = np.clip(xb, v_lo[vsel], v_hi[vsel])
    if failures:
        info.notes.append(f"{failures} block(s) of linked cells have no solution inside their "
                          "bounds (contradictory published figures): their cells hold the prior "
                          "clipped into the bounds, and may not add up")
    x[free_idx] = np.where(open_cell, np.nan, values[var_of])
    return x


# --------------------------------------------------------------------------- entry points

def impute(frame, measure: str = schema.EMPLOYMENT, method: str = "constrained"):
    """Impute every suppressed value of ``measure``; return ``(DataFrame, ImputeInfo)``.

    Parameters
    ----------
    frame : polars.DataFrame or LazyFrame
        A canonical table (see :mod:`clusterid.schema`).  Not modified.
    measure : str
        The measure to impute.
    method : {"constrained", "prior", "midpoint"}
        See the module docstring.

    Returns
    -------
    (polars.DataFrame, ImputeInfo)
        The same rows in the same order; imputed cells have status ``estimated`` and their
        bounds in ``<m>_lower/_upper`` (null upper = no finite bound).

    Wages are priced per job (:func:`prior_values`): where the table's employment has
    suppressed cells too, they are imputed first (the same method) for the prior only -- the
    employment column is returned as given.  So ``impute(impute(df, "employment"), "wages")``
    and ``impute(df, "wages")`` give the same wages (:func:`impute_measures` does the former).
    With ``constrained``, a wage cell with jobs keeps at least jobs x the lowest wage per job
    published in its sector and period where the adding-up allows (:func:`wage_floors`).
    """
    df = _eager(frame)
    _check(df, measure, method)
    na = _no_data(df, measure)
    if na is not None:
        # a cell of no data (Eurostat's z, "not applicable", beside another measure's figure:
        # no value and no status) is never filled: it adds nothing to its parent, as a row
        # that is not there, so it is solved as a published 0 and given back empty
        import polars as pl

        na = pl.lit(df.select(na).to_series())  # (the mask of the cells as given, not as solved)
        out, info = impute(df.with_columns(
            pl.when(na).then(pl.lit(0.0)).otherwise(pl.col(measure)).alias(measure),
            pl.when(na).then(pl.lit(schema.REPORTED)).otherwise(pl.col(schema.status_col(measure)))
            .alias(schema.status_col(measure))), measure, method)
        return out.with_columns(
            pl.when(na).then(None).otherwise(pl.col(c)).alias(c)
            for c in schema.measure_columns(measure)[:4] if c in out.columns), info
    info = ImputeInfo(measure=measure, method=method, n_cells=df.height)
    basis = _with_imputed_base(df, measure, method, info)
    prior_all = prior_values(basis, measure)
    disp_all = prior_dispersion(basis, measure, prior_all) if method == "constrained" else None
    # wages: no cell with jobs paid less per job than its sector's published cells show
    floors = wage_floors(basis, measure) if method == "constrained" else None

    def solve(st, rows):
        prior = _fallback_prior(prior_all[rows], st.lower, st.upper)
        unknown = ~st.known
        if method == "constrained":
            return _constrained(st, prior, info, disp_all[rows],
                                None if floors is None else floors[rows])
        if method == "midpoint":
            # not each cell's own midpoint: siblings under one published remainder R would add
            # up to 1.5 R or more; the consistent points sit at one fraction of their bounds
            mid = _bounds.consistent_points(st)
            guess = np.where(np.isnan(mid), prior, mid)
        else:
            guess = prior
        fixed = unknown & (st.upper - st.lower <= _tol(st.upper))
        info.n_fixed_by_bounds += int(fixed.sum())
        return np.where(unknown, np.clip(guess, st.lower, st.upper), st.value)

    order, informed = _period_order(df)
    after = None
    if method == "constrained" and informed and len(informed) < len(order):
        after = _CarryInformed(basis, measure, prior_all, informed)
    whole = _by_period(df, measure, info, solve, order, after)
    values = np.where(whole.known, np.nan, whole.solution)
    if floors is not None:
        _floor_note(info, whole, values, floors)
    if measure == schema.WAGES:
        values = _whole_units(values, whole)
    left_cells = ~whole.known & np.isnan(values)
    left = int(left_cells.sum())
    info.n_left_suppressed = left
    if left:
        # a cell with establishments but no typical size to multiply them by (no published
        # cell of the measure anywhere: a table with every employment cell suppressed) was
        # said to have no establishment count, which the table showed it had
        counted = 0
        if measure != schema.ESTABLISHMENTS and schema.ESTABLISHMENTS in df.columns:
            est = df.get_column(schema.ESTABLISHMENTS).to_numpy().astype(float)
            est = np.nan_to_num(est, nan=0.0)
            counted = int((left_cells & (est > 0)).sum())
        if left - counted:
            info.notes.append(f"{left - counted} suppressed cells have neither an establishment "
                              "count nor a finite upper bound: left suppressed")
        if counted:
            info.notes.append(
                f"{counted} suppressed cells have establishments but no finite upper bound and "
                f"no typical size to multiply them by (no published {measure} cell of their "
                "code, of a code above it or of their level, with its establishments): left "
                "suppressed")
    if method != "midpoint":
        _no_prior_note(df, measure, info, whole, prior_all, values)
    return _write_back(df, measure, whole, values), info


def _no_data(df, measure: str):
    """Expression: the cells of ``measure`` that hold no data (no value, no status: Eurostat's
    ``z`` beside another measure's figure, see ``generic_post._drop_not_applicable``); None
    when the table has none."""
    import polars as pl

    status = schema.status_col(measure)
    if status not in df.columns:
        return None
    na = pl.col(measure).is_null() & pl.col(status).is_null()
    return na if df.select(na.any()).item() else None


def _floor_note(info, whole, values, floors) -> None:
    """Say how many imputed cells a floor of :func:`wage_floors` bound (above the published
    lower bound), and how many of them the adding-up left below it."""
    free = ~whole.known & np.isfinite(values) & (whole.upper - whole.lower > _tol(whole.upper))
    with np.errstate(invalid="ignore"):
        raised = free & (floors > whole.lower + _tol(floors))
        # half a unit: the wages are rounded to whole units afterwards
        missed = raised & (values < np.minimum(floors, whole.upper) - 0.5 - _tol(floors))
    if raised.any():
        info.notes.append(
            f"{int(raised.sum())} cells with jobs have a floor of jobs x the lowest wage per job "
            f"published in their sector and period; {int(missed.sum())} of them end below it, "
            "where the published totals leave no room (the floors of such a conflict give way "
            "by one common fraction)")


def _no_prior_note(df, measure: str, info, whole, prior_all, values) -> None:
    """Say which imputed cells had no prior, the middle of their bounds standing in for it
    (:func:`_fallback_prior`): an industry suppressed in every region of a table without
    establishment counts has no share to go by (REAT's Länder with section L hidden: each L at
    half its Land's residual, where no adding-up moves it)."""
    import polars as pl

    guessed = (~whole.known & np.isnan(prior_all) & ~np.isnan(values)
               & (whole.upper - whole.lower > _tol(whole.upper)))
    if not guessed.any():
        return
    industry = df.get_column(schema.INDUSTRY)
    published = set(industry.filter(pl.Series(whole.known)).unique().to_list())
    nowhere = sorted(set(industry.filter(pl.Series(guessed)).unique().to_list()) - published)
    why = [f"industries published in no region: {', '.join(nowhere[:5])}"
           + (f" ... ({len(nowhere)} in all)" if len(nowhere) > 5 else "")] if nowhere else []
    # a cell of a region with a published total lacks a prior because its industry has no
    # share of a total anywhere (F published only in oblasts without a 'Всего' row): said so,
    # not "in regions that publish no total"
    keys = [c for c in (schema.PERIOD, schema.REGION, schema.OWNERSHIP) if c in df.columns]
    with_total = (df.with_columns(pl.Series("_known", whole.known))
                  .filter((pl.col(schema.INDUSTRY) == schema.ALL_INDUSTRIES) & pl.col("_known"))
                  .select(keys).unique())
    has_total = (df.select(keys).with_row_index("_i")
                 .join(with_total.with_columns(pl.lit(True).alias("_t")), on=keys, how="left",
                       nulls_equal=True)
                 .sort("_i")["_t"].fill_null(False).to_numpy())
    rest = guessed & ~industry.is_in(nowhere).to_numpy()
    elsewhere = sorted(set(industry.filter(pl.Series(rest & has_total)).unique().to_list()))
    if elsewhere:
        why.append("industries published only in regions that publish no total: "
                   + ", ".join(elsewhere[:5])
                   + (f" ... ({len(elsewhere)} in all)" if len(elsewhere) > 5 else ""))
    if (rest & ~has_total).any():
        why.append(f"{'the others are' if why else 'they are'} in regions that publish no total")
    info.notes.append(f"{int(guessed.sum())} suppressed cells have no prior (no establishment "
                      f"count, no published share to go by; {'; '.join(why)}): the middle of "
                      "their bounds stands in for it, a guess the table gives no ground for")


def _has_suppressed(df, measure: str) -> bool:
    """Whether ``measure`` has cells with status ``suppressed``."""
    status = schema.status_col(measure)
    return (measure in df.columns and status in df.columns
            and bool((df[status] == schema.SUPPRESSED).any()))


def _with_imputed_base(df, measure: str, method: str, info: ImputeInfo):
    """The table the prior of ``measure`` is built on: for wages priced per job, with the
    suppressed employment imputed (same method) where the table still has some."""
    base = prior_base(df, measure)
    if base == schema.ESTABLISHMENTS or not _has_suppressed(df, base):
        return df
    filled, _ = impute(df, base, method)
    info.notes.append(f"the {measure} prior rests on {base} imputed ({method}) where it is "
                      "suppressed; the output's employment is as given")
    return df.with_columns(filled[base], filled[schema.status_col(base)])


# imputed in this order: a wage is priced per job, so employment comes first
IMPUTE_ORDER = (schema.EMPLOYMENT, schema.WAGES, schema.ESTABLISHMENTS, schema.OUTPUT)


def measures_to_impute(frame) -> list[str]:
    """The measures ``clusterid impute`` fills by default: every one with suppressed cells
    (employment, then wages, then the others); employment alone when none has any (the
    table is written back with its bounds, as before)."""
    df = _eager(frame)
    todo = [m for m in IMPUTE_ORDER if _has_suppressed(df, m)]
    if todo:
        return todo
    present = schema.measures_in(df.columns)
    # a table without employment: its first measure (without any: employment, which
    # impute then refuses with what the table has)
    return [schema.EMPLOYMENT] if schema.EMPLOYMENT in present or not present else present[:1]


def impute_measures(frame, measures=None, method: str = "constrained"):
    """Impute several measures in turn; return ``(DataFrame, [ImputeInfo, ...])``.

    ``measures``: default :func:`measures_to_impute`; taken in :data:`IMPUTE_ORDER`
    (employment before wages, whose prior is the imputed jobs x wage per job).  Each measure
    goes through :func:`impute` -- the same bounds, raking and solver -- and keeps its own
    bounds and status columns.
    """
    df = _eager(frame)
    todo = measures_to_impute(df) if measures is None else list(dict.fromkeys(measures))
    rank = {m: i for i, m in enumerate(IMPUTE_ORDER)}
    todo.sort(key=lambda m: rank.get(m, len(rank)))
    infos = []
    for m in todo:
        df, info = impute(df, m, method)
        infos.append(info)
    return df, infos


def _whole_units(values: np.ndarray, st) -> np.ndarray:
    """Imputed wages to whole units (dollars; CBP's thousands) where every published wage is
    whole, as the agency publishes them; a value whose rounding would leave its bounds keeps
    its decimals.

    Whole numbers add up exactly in any order: a cluster's wage total over imputed cells of
    six decimals (13 or more significant digits at a county's millions of dollars) came out
    one unit apart in the 12th digit between two runs that summed the same cells in another
    order (detect --suppressed impute against impute then detect).  Children then add up to
    a published parent within the rounding (half a unit per imputed child).
    """
    pub = st.value[st.known]
    pub = pub[np.isfinite(pub)]
    if not len(pub) or np.any(pub != np.round(pub)):
        return values
    whole = np.round(values)
    ok = (whole >= st.lower - 1e-9) & (whole <= st.upper + 1e-9)
    return np.where(np.isfinite(values) & ok, whole, values)


_WEAKER = {_bounds.EXACT: 0, _bounds.AT_MOST: 1, _bounds.UNUSED: 2}


class _CarryInformed:
    """Carry the fit of periods with both geographies to the periods with one.

    Where a table holds the areas' rows in some periods only (state files of one quarter beside
    county files of four), the fit of those periods rests on more published figures: each
    county cell is pinned by its state's row too.  A cell unpublished in every period takes, in
    the other periods, its estimated size per establishment there as its prior (as a cell
    published in another period takes its published size).  Cells with a published history
    keep that.
    """

    def __init__(self, df, measure: str, prior_all: np.ndarray, informed: set[str]):
        import polars as pl

        keys = df.select(_SERIES).unique(maintain_order=True).with_row_index("__sid")
        self.sid = df.select(_SERIES).join(keys, on=_SERIES, how="left", maintain_order="left")[
            "__sid"].to_numpy().astype(np.int64)
        n_series = keys.height
        published = df.select(_reported(df, measure)).to_series().to_numpy()
        base = prior_base(df, measure)  # establishments, or employment for wages
        self.est = df[base].cast(pl.Float64).fill_null(np.nan).to_numpy() \
            if base in df.columns else np.full(df.height, np.nan)
        self.history = np.bincount(self.sid, weights=(published & (self.est > 0)).astype(float),
                                   minlength=n_series) > 0
        self.published = published
        self.later = (~df[schema.PERIOD].is_in(sorted(informed))).to_numpy()
        self.total = np.zeros(n_series)
        self.count = np.zeros(n_series)
        self.prior = prior_all
        self.informed = informed
        self.left = len(informed)

    def __call__(self, period, rows, solution):
        if period not in self.informed:
            return
        sid, est = self.sid[rows], self.est[rows]
        ok = ~self.published[rows] & np.isfinite(solution) & (est > 0)
        self.total += np.bincount(sid[ok], weights=solution[ok], minlength=len(self.total))
        self.count += np.bincount(sid[ok], weights=est[ok], minlength=len(self.total))
        self.left -= 1
        if self.left:
            return
        # Every informed period is solved: set the prior of the others' unpublished cells.
        sid_all = self.sid
        carry = (self.later & ~self.published & ~self.history[sid_all]
                 & (self.count[sid_all] > 0) & (self.est > 0))
        size = self.total[sid_all[carry]] / self.count[sid_all[carry]]
        self.prior[carry] = self.est[carry] * size


@dataclass
class _Cells:
    """Per-row arrays of the whole table, gathered from the per-period structures."""

    value: np.ndarray
    known: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    solution: np.ndarray


def _period_order(df) -> tuple[list[str], set[str]]:
    """Periods in solving order: those holding both geographies (sub-areas and their areas)
    first, then the others; and the set of the first kind."""
    import polars as pl

    periods = df.select(pl.col(schema.PERIOD).unique().sort())[schema.PERIOD].to_list()
    if schema.REGION_LEVEL not in df.columns:
        return periods, set()
    # The unallocated areas (QCEW xx999, CBP county 999) are parts of their state beside the
    # counties, not a second geography: a period of counties and xx999 areas holds one.
    level = pl.col(schema.REGION_LEVEL)
    levels = df.group_by(schema.PERIOD).agg(
        level.filter(level != schema.UNALLOCATED).drop_nulls().n_unique().alias("__n"))
    informed = set(levels.filter(pl.col("__n") >= 2)[schema.PERIOD].to_list())
    if len(informed) in (0, len(periods)):
        return periods, informed
    return [p for p in periods if p in informed] + [p for p in periods if p not in informed], informed


def _by_period(df, measure: str, info: ImputeInfo, solve=None, order=None, after=None) -> _Cells:
    """Bounds (and ``solve``) one period at a time: no link crosses periods, memory stays low.

    ``order``: the periods in the order to solve them (default: sorted); ``after(period, rows,
    solution)`` is called once a period is solved.
    """
    import polars as pl

    n = df.height
    cells = _Cells(np.full(n, np.nan), np.zeros(n, bool), np.zeros(n), np.full(n, np.inf),
                   np.full(n, np.nan))
    periods = order if order is not None else \
        df.select(pl.col(schema.PERIOD).unique().sort())[schema.PERIOD].to_list()
    index = df.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("__row"), schema.PERIOD)
    for period in periods:
        rows = index.filter(pl.col(schema.PERIOD) == period)["__row"].to_numpy()
        part = df[rows]
        st = _bounds.build_structure(part, measure)
        info.rounds = max(info.rounds, _bounds.propagate(st))
        info.n_unknown += int((~st.known).sum())
        for name, status in st.link_status.items():
            old = info.links.get(name, _bounds.EXACT)
            info.links[name] = status if _WEAKER[status] > _WEAKER[old] else old
        for note in st.notes:
            info.notes.append(f"{period}: {note}")
        cells.value[rows] = st.value
        cells.known[rows] = st.known
        cells.lower[rows] = st.lower
        cells.upper[rows] = st.upper
        if solve is not None:
            cells.solution[rows] = solve(st, rows)
            if after is not None:
                after(period, rows, cells.solution[rows])
        del st, part
    return cells


def impute_frame(frame, measure: str = schema.EMPLOYMENT, method: str = "constrained"):
    """Contract used by ``detect``/``lq --suppressed impute``: ``(DataFrame, info dict)``."""
    df, info = impute(frame, measure, method)
    return df, info.as_dict()


def apply_suppressed(frame, mode: str, measure: str = schema.EMPLOYMENT,
                     point_col: str | None = None, every_measure: bool = False):
    """``--suppressed drop|bounds|impute`` in one call: ``(DataFrame, info dict)``.

    ``drop`` leaves the table as it is (suppressed cells stay null: later stages leave them out);
    ``bounds`` fills ``<m>_lower/_upper`` (and, with ``point_col``, a point in every suppressed
    cell's bounds that keeps the adding-up: see :func:`suppression_bounds`); ``impute`` fills
    the values as :func:`impute`.  With ``every_measure``, ``impute`` also fills every other
    measure with suppressed cells (wages: QCEW hides them with employment) as ``clusterid
    impute`` does by default (:func:`impute_measures`), their info under ``also_imputed``.
    """
    if mode not in SUPPRESSED_MODES:
        raise UsageError(f"--suppressed {mode!r}; expected one of {', '.join(SUPPRESSED_MODES)}")
    df = _eager(frame)
    if mode == "drop":
        return df, {"suppressed": "drop"}
    if mode == "bounds":
        status = schema.status_col(measure)
        if status in df.columns and not (df[status] == schema.SUPPRESSED).any():
            # Nothing left to bound (e.g. a table `clusterid impute` wrote): its estimated cells
            # keep the bounds they were imputed within; re-deriving them from rounded values
            # would only move them by rounding noise.
            return df, {"suppressed": "bounds", "note": "no suppressed cells; bounds kept"}
        out, info = suppression_bounds(df, measure, point_col)
        return out, {"suppressed": "bounds", **info.as_dict()}
    if every_measure:
        others = [m for m in measures_to_impute(df) if m != measure and _has_suppressed(df, m)]
        out, infos = impute_measures(df, [measure, *others], "constrained")
        info, rest = infos[0], infos[1:]
        extra = {"also_imputed": {i.measure: i.as_dict() for i in rest}} if rest else {}
        return out, {"suppressed": "impute", **info.as_dict(), **extra}
    out, info = impute(df, measure, "constrained")
    return out, {"suppressed": "impute", **info.as_dict()}


# --------------------------------------------------------------------------- quality and LQ

def imputation_summary(frame, measure: str = schema.EMPLOYMENT, level: int | None = None) -> dict:
    """Share of ``measure`` that is estimated, per region, per industry and overall.

    Computed at one industry level (default: the deepest in the table), over all periods and
    ownerships, with ``share = sum(estimated values) / sum(reported + estimated values)``.
    Returns ``{"by_region": DataFrame, "by_industry": DataFrame, "overall": dict}``; the
    DataFrames also count cells (``n_cells``, ``n_estimated``, ``n_suppressed``).
    """
    import polars as pl

    df = _eager(frame)
    _check(df, measure)
    if level is None:
        level = int(df[schema.LEVEL].max()) if df.height and df[schema.LEVEL].max() is not None else 0
    status = pl.col(schema.status_col(measure)).fill_null(schema.REPORTED)
    part = df.filter(pl.col(schema.LEVEL) == level) if df[schema.LEVEL].max() is not None else df
    # a NAICS range beside its parts (31-33 and 31, 32, 33), a NACE aggregate beside its:
    # each activity once per region, as the level sums of lq and stats take it
    from clusterid.core.overlaps import left_out_per_group

    keys = [schema.PERIOD, schema.REGION, schema.OWNERSHIP]
    left_out = left_out_per_group(part, keys, pl.col(measure).is_not_null())
    if left_out.height:
        part = part.join(left_out, on=[*keys, schema.INDUSTRY], how="anti", maintain_order="left")
    value = pl.col(measure).fill_null(0.0)
    aggs = [
        value.filter(status == schema.ESTIMATED).sum().alias("estimated"),
        value.filter(status != schema.SUPPRESSED).sum().alias("total"),
        pl.len().alias("n_cells"),
        (status == schema.ESTIMATED).sum().alias("n_estimated"),
        (status == schema.SUPPRESSED).sum().alias("n_suppressed"),
    ]
    share = (pl.col("estimated") / pl.col("total")).alias("share_estimated")
    by_region = part.group_by(
            schema.PERIOD, schema.REGION, schema.OWNERSHIP, maintain_order=True).agg(aggs).with_columns(
        share).sort(schema.PERIOD, schema.REGION, schema.OWNERSHIP)
    by_industry = part.group_by(
            schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY, maintain_order=True).agg(aggs).with_columns(
        share).sort(schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY)
    tot = part.select(aggs).row(0, named=True)
    overall = {
        "measure": measure, "level": level, "n_cells": int(tot["n_cells"]),
        "n_estimated": int(tot["n_estimated"]), "n_suppressed": int(tot["n_suppressed"]),
        "estimated": float(tot["estimated"] or 0.0), "total": float(tot["total"] or 0.0),
        "share_estimated": float(tot["estimated"] / tot["total"]) if tot["total"] else 0.0,
    }
    return {"by_region": by_region, "by_industry": by_industry, "overall": overall}


def lq_interval(frame, measure: str = schema.EMPLOYMENT, threshold: float = 1.0):
    """Lowest and highest LQ the published data allow per cell, and how robust a call is.

    ``LQ = (e_ij / e_j) / S_i`` with ``e_ij`` anywhere in its bounds (a reported cell: its value),
    ``e_j`` the region's all-industries row of the same period and ownership (its bounds when it
    is suppressed; never below ``e_ij``) and ``S_i`` the industry's share of the summed regions at
    the same region level, from reported and estimated values (bound midpoints where neither).
    Returns the keys with ``lq_min``, ``lq_max`` and ``call``: ``robust_above`` (``lq_min >=
    threshold``), ``robust_below`` (``lq_max < threshold``) or ``fragile``; null where undefined.
    """
    import polars as pl

    df = _eager(frame)
    _check(df, measure)
    status = pl.col(schema.status_col(measure)).fill_null(schema.REPORTED)
    known = status == schema.REPORTED
    lo_c, hi_c = pl.col(schema.lower_col(measure)), pl.col(schema.upper_col(measure))
    if schema.lower_col(measure) not in df.columns:
        df = df.with_columns(pl.lit(None, pl.Float64).alias(schema.lower_col(measure)),
                             pl.lit(None, pl.Float64).alias(schema.upper_col(measure)))
    cells = df.with_columns(
        pl.when(known).then(pl.col(measure)).otherwise(lo_c.fill_null(0.0)).alias("__lo"),
        pl.when(known).then(pl.col(measure)).otherwise(hi_c.fill_null(float("inf"))).alias("__hi"),
        pl.when(status == schema.SUPPRESSED).then((lo_c.fill_null(0.0) + hi_c) / 2).otherwise(
            pl.col(measure)).alias("__point"),
    )
    if schema.REGION_LEVEL not in cells.columns:
        cells = cells.with_columns(pl.lit(None, pl.String).alias(schema.REGION_LEVEL))
    totals = cells.filter(pl.col(schema.LEVEL) == 0).select(
        schema.PERIOD, schema.REGION, schema.OWNERSHIP, pl.col("__lo").alias("__jlo"),
        pl.col("__hi").alias("__jhi"), pl.col("__point").alias("__jpoint"))
    grp = [schema.PERIOD, schema.OWNERSHIP, schema.REGION_LEVEL]
    cells = cells.filter(pl.col(schema.LEVEL) > 0).join(
        totals, on=[schema.PERIOD, schema.REGION, schema.OWNERSHIP], how="left")
    share = cells.group_by(
            *grp, schema.INDUSTRY, maintain_order=True).agg(pl.col("__point").sum().alias("__Ei"))
    whole = totals.join(cells.select(schema.PERIOD, schema.REGION, schema.OWNERSHIP,
                                     schema.REGION_LEVEL).unique(),
                        on=[schema.PERIOD, schema.REGION, schema.OWNERSHIP]).group_by(
                                grp, maintain_order=True).agg(
        pl.col("__jpoint").sum().alias("__E"))
    cells = cells.join(share, on=[*grp, schema.INDUSTRY], how="left", nulls_equal=True).join(
        whole, on=grp, how="left", nulls_equal=True)
    s_i = pl.col("__Ei") / pl.col("__E")
    e_j_hi = pl.max_horizontal(pl.col("__jhi"), pl.col("__lo"))
    e_j_lo = pl.max_horizontal(pl.col("__jlo"), pl.col("__hi"))
    ok = (s_i > 0) & (pl.col("__jhi") > 0)
    lq_min = pl.when(ok).then(pl.col("__lo") / e_j_hi / s_i)
    lq_max = pl.when(ok).then(pl.when(pl.col("__hi").is_infinite()).then(1.0 / s_i).otherwise(
        pl.col("__hi") / pl.max_horizontal(e_j_lo, pl.lit(1e-300)) / s_i))
    out = cells.select(*schema.KEYS, lq_min.alias("lq_min"), lq_max.alias("lq_max"))
    call = (pl.when(pl.col("lq_min").is_null()).then(None)
            .when(pl.col("lq_min") >= threshold).then(pl.lit(ROBUST_ABOVE))
            .when(pl.col("lq_max") < threshold).then(pl.lit(ROBUST_BELOW))
            .otherwise(pl.lit(FRAGILE)))
    return out.with_columns(call.alias("call")).sort(list(schema.KEYS))
