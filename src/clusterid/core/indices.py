"""Specialisation, concentration and variety indices on a region x industry matrix.

Every function here is pure: arrays (or a polars frame for :func:`region_industry_matrix`) in,
arrays out.  Notation as in METHODS.md: ``e_ij`` the activity of industry i in region j,
``s_ij = e_ij / e_j`` the industry's share of the region, ``S_i = E_i / E`` its share of the
benchmark economy, ``x_j = e_j / E`` the region's share of the economy.  Matrices are laid out
regions in rows, industries in columns (``values[j, i]``).

Missing is not zero
-------------------
A cell whose value is not published (status ``suppressed``, or no value) is *not observed*.
Every index is computed over the observed cells only, and the shares it uses are renormalised
over the same cells, so that without suppression the textbook formula is recovered exactly and
with suppression no unknown value is ever read as 0:

* a region index uses the industries observed in that region; ``s_ij`` and ``S_i`` are both
  renormalised to sum to 1 over them (so Krugman stays in [0, 2]);
* an industry index uses the regions where that industry is observed; ``e_ij / E_i`` and
  ``x_j`` are renormalised over them (the CLI takes ``e_j`` from the region's published
  all-industries total, which the other industries' suppression does not shorten);
* a pair index (coagglomeration) uses the regions where both industries are observed.

The callers report how much of each region's / industry's total the computation could not see
(``missing_share``), so a reader can tell which numbers rest on a thin base.  A region x
industry combination that has no row at all is a true zero (agency files list only non-empty
cells); only cells that are listed as suppressed are unknown.

Where EconGeo or REAT differ, each docstring says how.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from clusterid import schema
from clusterid.errors import DataError, Problem, UsageError

__all__ = [
    "Matrix",
    "region_industry_matrix",
    "group_codes",
    "krugman",
    "herfindahl",
    "shannon_entropy",
    "relative_theil",
    "related_unrelated_variety",
    "hoover_localisation",
    "locational_gini",
    "unweighted_gini",
    "lq_gini_regions",
    "lq_gini_industries",
    "ellison_glaeser",
    "coagglomeration_matrix",
    "region_indices",
    "industry_indices",
    "one_known_industry",
]


# ---------------------------------------------------------------------------------------------
# the matrix


@dataclass
class Matrix:
    """A region x industry matrix of one measure, with what was observed.

    Attributes
    ----------
    regions, industries : list of str
        Row and column labels, sorted.
    values : ndarray (n_regions, n_industries)
        The measure; ``nan`` where the cell is not observed; 0 where the cell has no row
        (but ``nan``, not observed, in every cell of a region that has no row in the period).
    observed : ndarray of bool, same shape
        True where ``values`` may be used (reported, or estimated when allowed, or absent = 0).
    n_estimated : int
        Cells whose value is an estimate (status ``estimated``) and were used.
    """

    regions: list
    industries: list
    values: np.ndarray
    observed: np.ndarray
    n_estimated: int = 0
    estimated: np.ndarray | None = None
    region_names: dict = field(default_factory=dict)
    industry_names: dict = field(default_factory=dict)

    @property
    def filled(self) -> np.ndarray:
        """Values with unobserved cells as 0 — only for sums that are masked anyway."""
        return np.where(self.observed, self.values, 0.0)


def region_industry_matrix(df, measure: str, *, use_estimated: bool = True,
                           regions=None, industries=None) -> Matrix:
    """Pivot one period of a canonical frame into a :class:`Matrix`.

    Parameters
    ----------
    df : polars.DataFrame
        Rows of one period and ownership at one industry level, with the canonical
        ``region``, ``industry``, ``<measure>`` and (optionally) ``<measure>_status`` columns.
    measure : str
        Which measure to pivot.
    use_estimated : bool
        Use cells with status ``estimated`` (True) or treat them as not observed.
    regions, industries : sequence of str, optional
        Fix the labels (e.g. to align two periods); rows outside them are ignored.

    Raises
    ------
    DataError
        When a (region, industry) pair occurs more than once, or a value is negative.
    """
    import polars as pl

    status = schema.status_col(measure)
    cols = [schema.REGION, schema.INDUSTRY, measure]
    if status in df.columns:
        cols.append(status)
    d = df.select(cols)
    if status not in d.columns:
        d = d.with_columns(schema.implied_status(pl.col(measure)).alias(status))
    dup = d.group_by([schema.REGION, schema.INDUSTRY]).len().filter(pl.col("len") > 1)
    if dup.height:
        first = dup.sort([schema.REGION, schema.INDUSTRY]).row(0)
        raise DataError(problems=[Problem(
            f"{dup.height} region x industry cells occur more than once in one period",
            column=schema.INDUSTRY, expected="one row per period, region, ownership, industry",
            found=f"region {first[0]!r}, industry {first[1]!r} {first[2]} times",
            hint="choose one --ownership or --level")])
    neg = d.filter(pl.col(measure) < 0)
    if neg.height:
        r = neg.row(0)
        raise DataError(problems=[Problem(
            f"{neg.height} negative {measure} values", column=measure,
            expected="values >= 0", found=f"{r[2]} (region {r[0]!r}, industry {r[1]!r})")])
    if regions is None:
        regions = sorted(d.get_column(schema.REGION).unique().to_list())
    if industries is None:
        industries = sorted(d.get_column(schema.INDUSTRY).unique().to_list())
    regions = list(regions)
    industries = list(industries)
    r_idx = pl.DataFrame({schema.REGION: regions, "_r": np.arange(len(regions), dtype=np.int64)},
                         schema={schema.REGION: pl.String, "_r": pl.Int64})
    i_idx = pl.DataFrame({schema.INDUSTRY: industries,
                          "_i": np.arange(len(industries), dtype=np.int64)},
                         schema={schema.INDUSTRY: pl.String, "_i": pl.Int64})
    d = d.join(r_idx, on=schema.REGION, how="inner").join(i_idx, on=schema.INDUSTRY, how="inner")
    st = d.get_column(status).fill_null(schema.REPORTED)
    val = d.get_column(measure).cast(pl.Float64)
    usable = val.is_not_null() & val.is_not_nan()
    usable = usable & ((st == schema.REPORTED) | ((st == schema.ESTIMATED) & use_estimated))
    usable = usable.to_numpy()
    values = np.zeros((len(regions), len(industries)), dtype=np.float64)
    observed = np.ones_like(values, dtype=bool)
    ri = d.get_column("_r").to_numpy()
    ii = d.get_column("_i").to_numpy()
    v = val.fill_null(np.nan).to_numpy().astype(np.float64)
    values[ri, ii] = np.where(usable, v, np.nan)
    observed[ri, ii] = usable
    # a region with no row at all in this period (absent from the period's table, present in
    # another) is not observed: its missing rows are not zeros
    absent = np.ones(len(regions), dtype=bool)
    absent[ri] = False
    values[absent, :] = np.nan
    observed[absent, :] = False
    est_rows = (st == schema.ESTIMATED).to_numpy() & usable
    estimated = np.zeros_like(observed)
    estimated[ri, ii] = est_rows
    return Matrix(regions, industries, values, observed, int(est_rows.sum()), estimated)


# ---------------------------------------------------------------------------------------------
# code hierarchy (for related / unrelated variety)

_NAICS_SECTOR = {"31": "31-33", "32": "31-33", "33": "31-33", "44": "44-45", "45": "44-45",
                 "48": "48-49", "49": "48-49"}
# NACE Rev. 2 / WZ 2008 divisions -> sections (Eurostat, NACE Rev. 2 structure)
_NACE_SECTIONS = [(1, 3, "A"), (5, 9, "B"), (10, 33, "C"), (35, 35, "D"), (36, 39, "E"),
                  (41, 43, "F"), (45, 47, "G"), (49, 53, "H"), (55, 56, "I"), (58, 63, "J"),
                  (64, 66, "K"), (68, 68, "L"), (69, 75, "M"), (77, 82, "N"), (84, 84, "O"),
                  (85, 85, "P"), (86, 88, "Q"), (90, 93, "R"), (94, 96, "S"), (97, 98, "T"),
                  (99, 99, "U")]


def _nace_section(division: int) -> str | None:
    for lo, hi, letter in _NACE_SECTIONS:
        if lo <= division <= hi:
            return letter
    return None


def group_codes(codes, classification: str, group_level: int) -> list:
    """The ancestor of each industry code at ``group_level`` of its hierarchy.

    Uses :func:`clusterid.core.codes.parent` (NAICS level 2 maps 31/32/33 to ``31-33``, NACE
    level 1 is the section letter).  Codes it does not resolve fall back to a local rule: NACE
    divisions given as bare numbers map to their section (``10`` -> ``C``), anything else keeps
    its first ``group_level`` characters.  A code already at or above ``group_level`` is its
    own group.
    """
    from clusterid.core import codes as codes_mod

    out = []
    for code in codes:
        c = str(code)
        g = None
        try:
            g = codes_mod.parent(c, classification, group_level)
        except Exception:  # noqa: BLE001 - an odd code falls back to the local rule
            g = None
        if g is None:
            if classification == schema.NACE and group_level == 1 and c[:2].isdigit():
                g = _nace_section(int(c[:2]))
            elif classification == schema.NAICS and group_level == 2:
                g = _NAICS_SECTOR.get(c[:2], c[:2])
        out.append(g if g is not None else c[:group_level])
    return out


# ---------------------------------------------------------------------------------------------
# helpers


def _xlogx_ratio(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """p * ln(p / q) with 0 ln 0 = 0; +inf where p > 0 = q."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(p > 0, p * np.log(p / q), 0.0)
    return out


def _row_shares(values: np.ndarray, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shares over the observed cells of each row and the rows' observed totals."""
    filled = np.where(observed, values, 0.0)
    totals = filled.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = filled / totals[:, None]
    return np.where(observed, shares, 0.0), totals


def _benchmark_row_shares(benchmark: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """S_i renormalised over the industries observed in each region (rows)."""
    b = np.where(observed, np.broadcast_to(benchmark, observed.shape), 0.0)
    tot = b.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return b / tot[:, None]


# ---------------------------------------------------------------------------------------------
# per region


def krugman(values, observed=None, benchmark_shares=None):
    """Krugman specialisation index of each region (rows).

    ``K_j = Σ_i |s_ij − S_i|`` ∈ [0, 2]; the Hoover specialisation coefficient is ``K_j / 2``
    (Krugman 1991, *Geography and Trade*; METHODS.md §2).

    Parameters
    ----------
    values : ndarray (n_regions, n_industries)
    observed : ndarray of bool, optional
        Cells to use (default: all finite cells).
    benchmark_shares : ndarray (n_industries,), optional
        ``S_i``; default the sum of the regions over observed cells.  Renormalised over each
        region's observed industries.

    Notes
    -----
    EconGeo's ``krugman_index`` computes the same sum with the sum of the regions as benchmark
    and reads missing cells as 0; here they are left out.  REAT's ``krugman.spec(E_ij, E_il)``
    compares a region with one other vector: the same as this with that vector as external
    benchmark (its published Göttingen 2017 value against Germany, 0.4508469, is reproduced by
    the tests).

    Examples
    --------
    >>> import numpy as np
    >>> round(float(krugman(np.array([[1.0, 3.0], [3.0, 1.0]]))[0]), 4)
    0.5
    """
    values, observed = _prep(values, observed)
    s, _ = _row_shares(values, observed)
    if benchmark_shares is None:
        benchmark_shares = _sum_benchmark(values, observed)
    S = _benchmark_row_shares(np.asarray(benchmark_shares, dtype=float), observed)
    k = np.where(observed, np.abs(s - S), 0.0).sum(axis=1)
    return _undefined_rows(k, values, observed)


def herfindahl(values, observed=None):
    """Herfindahl index of each region, normalised, and its equivalent number.

    ``H_j = Σ_i s_ij²``; normalised ``(H − 1/N)/(1 − 1/N)`` with N the number of observed
    industries (cells with value 0 count: they are industries the region could hold);
    equivalent number of equally sized industries ``1/H``.  Same as REAT's ``herf`` with
    ``coefnorm=TRUE`` and ``output="eq"`` (its example 0.34 / 0.12 / 2.94 is a test).

    Returns
    -------
    h, h_normalised, equivalent_number : ndarray (n_regions,)

    Examples
    --------
    >>> import numpy as np
    >>> [round(float(a[0]), 4) for a in herfindahl(np.array([[1.0, 1.0, 2.0]]))]
    [0.375, 0.0625, 2.6667]
    """
    values, observed = _prep(values, observed)
    s, _ = _row_shares(values, observed)
    h = (s ** 2).sum(axis=1)
    n = observed.sum(axis=1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        hn = np.where(n > 1, (h - 1.0 / n) / (1.0 - 1.0 / n), np.nan)
        eq = 1.0 / h
    h = _undefined_rows(h, values, observed)
    return h, _undefined_rows(hn, values, observed), _undefined_rows(eq, values, observed)


def shannon_entropy(values, observed=None):
    """Shannon entropy of each region's industry mix, ``−Σ_i s_ij ln s_ij`` (natural log).

    Examples
    --------
    >>> import numpy as np
    >>> round(float(shannon_entropy(np.array([[1.0, 1.0]]))[0]), 4)
    0.6931
    """
    values, observed = _prep(values, observed)
    s, _ = _row_shares(values, observed)
    with np.errstate(divide="ignore", invalid="ignore"):
        ent = 0.0 - np.where(s > 0, s * np.log(s), 0.0).sum(axis=1)  # 0.0 -: never "-0.0"
    return _undefined_rows(_zero_noise(ent), values, observed)


def relative_theil(values, observed=None, benchmark_shares=None):
    """Relative Theil (Kullback–Leibler) index ``Σ_i s_ij ln(s_ij / S_i)`` of each region.

    0 when the region's mix equals the benchmark's; ``inf`` when the region holds an industry
    the benchmark lacks.  Benchmark handling as in :func:`krugman`.  (REAT's ``theil`` is a
    different index: Theil's inequality of one vector — its published 0.2326302 for
    (10, 10, 10, 20, 50) is the mean log deviation.)

    Examples
    --------
    >>> import numpy as np
    >>> float(relative_theil(np.array([[1.0, 1.0]]), benchmark_shares=np.array([0.5, 0.5]))[0])
    0.0
    """
    values, observed = _prep(values, observed)
    s, _ = _row_shares(values, observed)
    if benchmark_shares is None:
        benchmark_shares = _sum_benchmark(values, observed)
    S = _benchmark_row_shares(np.asarray(benchmark_shares, dtype=float), observed)
    t = np.where(observed, _xlogx_ratio(s, S), 0.0).sum(axis=1)
    return _undefined_rows(t, values, observed)


def related_unrelated_variety(values, groups, observed=None):
    """Related and unrelated variety (Frenken, Van Oort & Verburg 2007, Regional Studies 41(5)).

    With industries i grouped into sets ``S_g`` (e.g. 5-digit codes within 2-digit groups),
    ``P_g = Σ_{i∈S_g} s_i``:

    * unrelated variety ``UV = Σ_g P_g ln(1/P_g)`` (entropy between groups);
    * related variety ``RV = Σ_g P_g H_g`` with ``H_g = Σ_{i∈S_g} (s_i/P_g) ln(P_g/s_i)``
      (weighted entropy within groups).

    ``UV + RV`` equals the Shannon entropy of the industry shares (entropy decomposition).
    Frenken et al. use log base 2; this uses natural logs like :func:`shannon_entropy`
    (divide by ln 2 to compare).

    Parameters
    ----------
    groups : sequence (n_industries,)
        Group label of each industry column.

    Returns
    -------
    related, unrelated : ndarray (n_regions,)
    """
    values, observed = _prep(values, observed)
    s, tot = _row_shares(values, observed)
    return _variety_from(s, groups, (tot > 0) & ~one_known_industry(values, observed))


def _variety_from(s, groups, defined):
    labels, inverse = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
    onehot = np.zeros((s.shape[1], len(labels)))
    onehot[np.arange(s.shape[1]), inverse] = 1.0
    P = s @ onehot  # (regions, groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        uv = 0.0 - np.where(P > 0, P * np.log(P), 0.0).sum(axis=1)  # 0.0 -: never "-0.0"
        Pi = P[:, inverse]  # group share of each industry's group
        rv = np.where(s > 0, s * np.log(Pi / s), 0.0).sum(axis=1)
    return np.where(defined, _zero_noise(rv), np.nan), np.where(defined, _zero_noise(uv), np.nan)


def unweighted_gini(a, observed=None):
    """Gini coefficient of the values in each row, every observed entry weighted equally.

    ``G = Σ_i Σ_k |a_i − a_k| / (2 n² ā)``, computed from the sorted values as
    ``Σ_i (2i − n − 1) a_(i) / (n Σ a)``.  Used on location quotients it gives REAT's
    ``gini.spec`` (a region's LQs across industries) and ``gini.conc`` (an industry's LQs
    across regions): Farhauer & Kröll (2013), REAT 3.0.3 (Wieland).

    Examples
    --------
    >>> import numpy as np
    >>> round(float(unweighted_gini(np.array([[1.0, 1.0, 1.0, 5.0]]))[0]), 4)
    0.375
    """
    a = np.asarray(a, dtype=float)
    if observed is None:
        observed = np.isfinite(a)
    observed = observed & np.isfinite(a)
    srt = np.sort(np.where(observed, a, np.inf), axis=1)  # unobserved last
    n = observed.sum(axis=1)
    rank = np.arange(1, a.shape[1] + 1)[None, :]
    used = rank <= n[:, None]
    vals = np.where(used, srt, 0.0)
    total = vals.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = ((2 * rank - n[:, None] - 1) * vals).sum(axis=1) / (n * total)
    return np.where((n > 0) & (total > 0), g, np.nan)


def lq_gini_regions(values, observed=None, benchmark_shares=None):
    """REAT's Gini coefficient of regional specialisation (``gini.spec``) of each region.

    The unweighted Gini (:func:`unweighted_gini`) of the region's location quotients
    ``LQ_ij = s_ij / S_i`` over its observed industries.  Unlike the area-based locational
    Gini it weights every industry equally, whatever its size; REAT's published values
    (Göttingen 2017 against Germany 0.359852, Freiburg 2014 0.2089009) are reproduced by the
    tests.
    """
    values, observed = _prep(values, observed)
    s, tot = _row_shares(values, observed)
    if benchmark_shares is None:
        benchmark_shares = _sum_benchmark(values, observed)
    S = _benchmark_row_shares(np.asarray(benchmark_shares, dtype=float), observed)
    return _lq_gini_regions_from(s, S, observed, tot > 0)


def _lq_gini_regions_from(s, S, observed, defined):
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = s / S
    ok = observed & (S > 0)
    return np.where(defined, unweighted_gini(lq, ok), np.nan)


# ---------------------------------------------------------------------------------------------
# per industry


def _column_shares(values, observed, region_totals=None):
    """y_ij = e_ij / E_i and x'_ij = e_j / E over the regions where industry i is observed.

    Returned transposed: (n_industries, n_regions).  ``E_i`` is nan for an industry observed in
    fewer than two regions with activity: one region is no distribution, and its shares
    ``y = x = 1`` would read as "spread exactly like all activity" (Hoover and Gini 0) where
    the other regions' values are only unknown.
    """
    filled = np.where(observed, values, 0.0)
    if region_totals is None:
        region_totals = filled.sum(axis=1)
    t = np.asarray(region_totals, dtype=float)
    M = observed.T
    W = filled.T
    Ei = W.sum(axis=1)
    Ei = np.where((M & (t[None, :] > 0)).sum(axis=1) >= 2, Ei, np.nan)
    X = np.where(M, t[None, :], 0.0)
    Xtot = X.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = W / Ei[:, None]
        x = X / Xtot[:, None]
    return y, x, Ei


def hoover_localisation(values, observed=None):
    """Hoover localisation coefficient of each industry (columns).

    ``HL_i = ½ Σ_j |e_ij/E_i − e_j/E|`` ∈ [0, 1) (Hoover 1936; METHODS.md §2), over the
    regions where industry i is observed.

    Examples
    --------
    >>> import numpy as np
    >>> round(float(hoover_localisation(np.array([[1.0, 0.0], [1.0, 2.0]]))[0]), 4)
    0.25
    """
    values, observed = _prep(values, observed)
    return _hoover_from(*_column_shares(values, observed))


def _hoover_from(y, x, Ei):
    hl = 0.5 * np.abs(y - x).sum(axis=1)
    return np.where(Ei > 0, hl, np.nan)


def locational_gini(values, observed=None):
    """Locational Gini coefficient of each industry (Krugman 1991, ch. 2).

    Regions are sorted by the industry's location quotient ``LQ_ij = (e_ij/E_i)/(e_j/E)``
    ascending; the localisation curve joins ``(0, 0)`` and the points
    ``(Σ_{k≤j} e_k/E, Σ_{k≤j} e_ik/E_i)``.  The coefficient is **twice** the area between the
    diagonal and that curve, i.e. ``1 − Σ_j (X_j − X_{j−1})(Y_j + Y_{j−1})`` ∈ [0, 1): 0 when
    the industry is spread like total activity, approaching 1 when it sits in one small region.

    Notes
    -----
    EconGeo's ``locational_gini`` returns the area itself (its documented "theoretical limit
    = 0.5"), i.e. **half** of this value.  REAT's ``gini.conc`` is another index: the Gini of
    the LQs with every region weighted equally (:func:`lq_gini_industries`).  Ties in LQ do not
    change the result (tied regions lie on one straight segment).
    """
    values, observed = _prep(values, observed)
    return _locational_gini_from(*_column_shares(values, observed))


def _locational_gini_from(y, x, Ei):
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = np.where(x > 0, y / x, 0.0)
    order = np.argsort(lq, axis=1, kind="stable")
    ys = np.take_along_axis(y, order, axis=1)
    xs = np.take_along_axis(x, order, axis=1)
    Y = np.cumsum(ys, axis=1)
    X = np.cumsum(xs, axis=1)
    Yp = np.concatenate([np.zeros((Y.shape[0], 1)), Y[:, :-1]], axis=1)
    g = 1.0 - (xs * (Y + Yp)).sum(axis=1)
    # 1 - (a sum of shares that is 1 in exact arithmetic) leaves float noise (1.1e-16 for an
    # industry spread exactly like activity): below 1e-12 it is 0
    g = np.where(np.abs(g) < 1e-12, 0.0, np.clip(g, 0.0, 1.0))
    del X
    return np.where(Ei > 0, g, np.nan)


def lq_gini_industries(values, observed=None):
    """REAT's Gini coefficient of spatial concentration (``gini.conc``) of each industry.

    The unweighted Gini of the industry's location quotients over the regions where it is
    observed (regions with no activity left out).  REAT's published value for Farhauer &
    Kröll's example is 0.4068966, where the area-based :func:`locational_gini` is 0.3725:
    REAT weights every region equally, the locational Gini by its share of activity.
    """
    values, observed = _prep(values, observed)
    y, x, Ei = _column_shares(values, observed)
    return _lq_gini_industries_from(y, x, Ei, observed)


def _lq_gini_industries_from(y, x, Ei, observed):
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = y / x
    ok = observed.T & (x > 0)
    return np.where(Ei > 0, unweighted_gini(lq, ok), np.nan)


def ellison_glaeser(values, observed=None, n_plants=None, plant_herfindahl=None,
                    plant_z4=None):
    """Ellison–Glaeser agglomeration index γ of each industry, with its z-test.

    ``G_i = Σ_j (e_ij/E_i − x_j)²``, ``γ_i = (G_i − (1 − Σ_j x_j²) H_i) /
    ((1 − Σ_j x_j²)(1 − H_i))`` (Ellison & Glaeser 1997, JPE 105(5), eq. 5).

    Under the null of random location of plants (γ = 0): ``E[G] = (1 − Σx²) H`` and
    ``Var[G] = 2 {H² [Σx² − 2Σx³ + (Σx²)²] − Σ_k z_k⁴ [Σx² − 4Σx³ + 3(Σx²)²]}``
    (EG 1997, section 2; re-derived for the tests, which check it by exact enumeration),
    z = (G − E[G]) / √Var[G].

    Parameters
    ----------
    n_plants : ndarray (n_industries,), optional
        Establishment counts.  Without plant sizes, plants are taken as equal:
        ``H_i = 1/N_i`` and ``Σz⁴ = 1/N_i³``.  Equal sizes minimise the plant Herfindahl, so
        this H is a **lower bound** and γ an upper bound (exact when the measure is the
        establishment count itself).
    plant_herfindahl, plant_z4 : ndarray (n_industries,), optional
        Use when plant sizes are known (override ``n_plants``).

    Returns
    -------
    dict of ndarray (n_industries,)
        ``G``, ``H``, ``gamma``, ``expected_G``, ``var_G``, ``z`` (nan where H is unknown).

    Notes
    -----
    REAT's ``ellison.a`` takes plant-level employment; given the same plant Herfindahl this
    function reproduces its published example (0.05990628, Farhauer & Kröll 2014).
    """
    values, observed = _prep(values, observed)
    return _eg_from(*_column_shares(values, observed), values.shape[1], n_plants,
                    plant_herfindahl, plant_z4)


def _eg_from(y, x, Ei, n_ind, n_plants=None, plant_herfindahl=None, plant_z4=None):
    G = ((y - x) ** 2).sum(axis=1)
    s2 = (x ** 2).sum(axis=1)
    s3 = (x ** 3).sum(axis=1)
    if plant_herfindahl is not None:
        H = np.asarray(plant_herfindahl, dtype=float)
        z4 = np.asarray(plant_z4, dtype=float) if plant_z4 is not None else np.full(n_ind, np.nan)
    elif n_plants is not None:
        n = np.asarray(n_plants, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            H = np.where(n > 0, 1.0 / n, np.nan)
            z4 = np.where(n > 0, 1.0 / n ** 3, np.nan)
    else:
        H = np.full(n_ind, np.nan)
        z4 = np.full(n_ind, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma = (G - (1 - s2) * H) / ((1 - s2) * (1 - H))
        EG = (1 - s2) * H
        var = 2 * (H ** 2 * (s2 - 2 * s3 + s2 ** 2) - z4 * (s2 - 4 * s3 + 3 * s2 ** 2))
        z = np.where(var > 0, (G - EG) / np.sqrt(var), np.nan)
    bad = ~(Ei > 0)  # nan (fewer than two regions) too
    out = {"G": G, "H": H, "gamma": gamma, "expected_G": EG, "var_G": var, "z": z}
    return {k: np.where(bad, np.nan, v) for k, v in out.items()}


# ---------------------------------------------------------------------------------------------
# industry pairs


def coagglomeration_matrix(values, observed=None, region_totals=None):
    """Ellison–Glaeser–Kerr coagglomeration index for every pair of industries.

    ``γᶜ_ik = Σ_j (s_ij − x_j)(s_kj − x_j) / (1 − Σ_j x_j²)`` with ``s_ij = e_ij / E_i`` and
    ``x_j = e_j / E`` (Ellison, Glaeser & Kerr 2010, AER 100(3), the simplified form they
    use in the empirics).  Computed with matrix products (BLAS), so a thousand industries
    over a few thousand regions take seconds.

    Parameters
    ----------
    values : ndarray (n_regions, n_industries)
    observed : ndarray of bool, optional
        With unobserved cells each pair uses the regions where *both* industries are
        observed, and ``s`` and ``x`` are renormalised over those regions (pairwise complete
        cases), still with matrix products: the sums expand into five of them.
    region_totals : ndarray (n_regions,), optional
        ``e_j``; default the sum of each region's observed cells.

    Returns
    -------
    ndarray (n_industries, n_industries)
        Symmetric; ``nan`` for pairs with no common region or an empty industry.  The diagonal
        is ``G_i / (1 − Σx²)``, not EG's γ_i (no plant Herfindahl correction).
    """
    values, observed = _prep(values, observed)
    filled = np.where(observed, values, 0.0)
    t = filled.sum(axis=1) if region_totals is None else np.asarray(region_totals, dtype=float)
    if observed.all():
        E = t.sum()
        Ei = filled.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            x = t / E
            D = filled.T / Ei[:, None] - x[None, :]
            den = 1.0 - (x ** 2).sum()
            out = (D @ D.T) / den if den > 1e-12 else np.full((D.shape[0], D.shape[0]), np.nan)
        bad = Ei <= 0
        out[bad, :] = np.nan
        out[:, bad] = np.nan
        return out
    M = observed.T.astype(float)  # (ind, reg)
    W = filled.T
    MT = M.T
    Ei_k = W @ MT                    # Σ_j e_ij M_kj           -> [i, k]
    X = (M * t[None, :]) @ MT        # Σ_j t_j M_ij M_kj
    P = W @ W.T                      # Σ_j e_ij e_kj
    B = (W * t[None, :]) @ MT        # Σ_j e_ij t_j M_kj
    Q = (M * (t ** 2)[None, :]) @ MT  # Σ_j t_j² M_ij M_kj
    Ek_i = Ei_k.T
    with np.errstate(divide="ignore", invalid="ignore"):
        num = P / (Ei_k * Ek_i) - B / (Ei_k * X) - B.T / (Ek_i * X) + Q / X ** 2
        den = 1.0 - Q / X ** 2
        # one common region (den = 0 up to rounding): undefined
        out = np.where(den > 1e-12, num / den, np.nan)
    out[~np.isfinite(out)] = np.nan
    return out


# ---------------------------------------------------------------------------------------------
# bundles used by the CLI


def region_indices(m: Matrix, benchmark_shares=None, groups=None) -> dict:
    """Every per-region index for a :class:`Matrix`, as a dict of column -> array.

    Same formulas as :func:`krugman`, :func:`herfindahl`, :func:`shannon_entropy`,
    :func:`relative_theil` and :func:`related_unrelated_variety`, with the shares computed
    once.  ``groups`` (industry -> group label) enables related / unrelated variety.
    """
    v, o = _prep(m.values, m.observed)
    s, tot = _row_shares(v, o)
    if benchmark_shares is None:
        benchmark_shares = _sum_benchmark(v, o)
    bench = np.broadcast_to(np.asarray(benchmark_shares, dtype=float), o.shape)
    # industries the benchmark does not know (nan) are left out of the benchmark indices only
    ob = o & np.isfinite(bench)
    sb = s if ob is o or (ob == o).all() else _row_shares(v, ob)[0]
    S = _benchmark_row_shares(np.where(np.isfinite(bench), bench, 0.0), ob)
    defined = (tot > 0) & ~one_known_industry(v, o)

    def d(a):
        return np.where(defined, a, np.nan)

    k = np.where(ob, np.abs(sb - S), 0.0).sum(axis=1)
    h = (s * s).sum(axis=1)
    n = o.sum(axis=1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        hn = np.where(n > 1, (h - 1.0 / n) / (1.0 - 1.0 / n), np.nan)
        eq = 1.0 / h
        logs = np.where(s > 0, np.log(np.where(s > 0, s, 1.0)), 0.0)
        ent = 0.0 - (s * logs).sum(axis=1)  # 0.0 -: a one-industry region's 0 is not "-0.0"
        logb = np.where(sb > 0, np.log(np.where(sb > 0, sb, 1.0)), 0.0)
        theil = np.where(ob & (sb > 0), sb * (logb - np.log(S)), 0.0).sum(axis=1)
    out = {
        # a region whose shares equal the benchmark's (the middle one of three regions of
        # rising size) summed 2.8e-17, not 0; its relative Theil 4.6e-17, its LQ Gini 5.6e-17
        "krugman": d(_zero_noise(k)),
        "hoover_specialisation": d(_zero_noise(k) / 2.0),
        "herfindahl": d(h),
        "herfindahl_normalised": d(hn),
        "herfindahl_equivalent_number": d(eq),
        "shannon_entropy": d(_zero_noise(ent)),
        "relative_theil": d(_zero_noise(theil)),
        "lq_gini": _zero_noise(_lq_gini_regions_from(sb, S, ob, defined)),
    }
    if groups is not None:
        rv, uv = _variety_from(s, groups, defined)
        out["related_variety"] = rv
        out["unrelated_variety"] = uv
    return out


def industry_indices(m: Matrix, n_plants=None, region_totals=None) -> dict:
    """Every per-industry index for a :class:`Matrix`, as a dict of column -> array.

    ``region_totals``: each region's size ``e_j`` (its reported all-industries total, see
    :func:`region_sizes`); default the sum of its observed cells.
    """
    v, o = _prep(m.values, m.observed)
    y, x, Ei = _column_shares(v, o, region_totals)
    eg = _eg_from(y, x, Ei, v.shape[1], n_plants=n_plants)
    return {
        "hoover_localisation": _hoover_from(y, x, Ei),
        "locational_gini": _locational_gini_from(y, x, Ei),
        "lq_gini": _lq_gini_industries_from(y, x, Ei, o),
        "eg_G": eg["G"],
        "eg_plant_herfindahl": eg["H"],
        "eg_gamma": eg["gamma"],
        "eg_z": eg["z"],
        "eg_expected_G": eg["expected_G"],
        "eg_var_G": eg["var_G"],
        "eg_p_value": _upper_tail(eg["z"]),
    }


# ---------------------------------------------------------------------------------------------
# internals


def _upper_tail(z):
    """One-sided p-value P(Z > z) of a standard normal (nan stays nan)."""
    import math

    z = np.asarray(z, dtype=float)
    out = np.full(z.shape, np.nan)
    ok = np.isfinite(z)
    out[ok] = [0.5 * math.erfc(v / math.sqrt(2.0)) for v in z[ok]]
    return out


def _prep(values, observed):
    values = np.asarray(values, dtype=float)
    if observed is None:
        observed = np.isfinite(values)
    else:
        observed = np.asarray(observed, dtype=bool) & np.isfinite(values)
    return values, observed


def _sum_benchmark(values, observed):
    filled = np.where(observed, values, 0.0)
    return filled.sum(axis=0)


def _undefined_rows(arr, values, observed):
    """nan for regions with no observed activity (shares undefined, not 0), and for regions
    whose observed activity is one industry while others are suppressed (see
    :func:`one_known_industry`)."""
    tot = np.where(observed, values, 0.0).sum(axis=1)
    return np.where((tot > 0) & ~one_known_industry(values, observed), arr, np.nan)


def one_known_industry(values, observed):
    """Regions (rows) whose observed activity sits in a single industry while some of their
    cells are suppressed.

    Over the observed cells such a region is wholly specialised (Herfindahl 1, entropy 0,
    Krugman ``2(1 − S_i)``) whatever its suppressed industries hold: Piute County, Utah
    (QCEW 2016Q1, private 6-digit NAICS) shows 9.7 jobs in one industry and 16 suppressed
    cells holding 88% of its jobs.  Its mix is unknown, so its indices are too (nan).  A
    region with one industry and nothing suppressed is truly specialised and keeps them.
    """
    values = np.asarray(values, dtype=float)
    observed = np.asarray(observed, dtype=bool) & np.isfinite(values)
    active = (np.where(observed, values, 0.0) > 0).sum(axis=1)
    return (~observed).any(axis=1) & (active <= 1)


def _zero_noise(a, tol=1e-12):
    """Sums that are 0 in exact arithmetic (the entropy of one group, P ln P with P a sum of
    shares 1 − 1e-16) left 1.1e-16, which reads as a trace of variety: 0 below ``tol``."""
    a = np.asarray(a, dtype=float)
    return np.where(np.abs(a) < tol, 0.0, a)


# ---------------------------------------------------------------------------------------------
# choosing the rows of a canonical table (shared by `indices` and `shift-share`)


@dataclass
class Selection:
    """The rows of a canonical table an index is computed on, and what was chosen.

    ``detail`` holds the rows at the chosen industry level; ``totals`` the all-industries
    rows (level 0) of the same ownership, used to report how much of a region's total the
    computation did not see, and as the regions' sizes ``e_j`` of the industry and pair
    indices (:func:`region_sizes`).
    """

    detail: object  # polars.DataFrame
    totals: object  # polars.DataFrame (may be empty)
    measure: str
    ownership: str
    level: int | None
    region_level: str | None
    classification: str
    periods: list
    has_establishments: bool
    notes: list = field(default_factory=list)
    cache: dict = field(default_factory=dict, repr=False)  # period matrices, built once

    def describe(self) -> dict:
        return {"measure": self.measure, "ownership": self.ownership, "level": self.level,
                "region_level": self.region_level, "classification": self.classification,
                "periods": self.periods}


def match_period(wanted: str, have) -> str | None:
    """``wanted`` as the table spells it: itself when listed, else the one period equal to it
    ignoring case and surrounding blanks ('2016q1' -> '2016Q1'), else None."""
    have = list(have)
    if wanted in have:
        return wanted
    same = [p for p in have if str(p).strip().casefold() == str(wanted).strip().casefold()]
    return same[0] if len(same) == 1 else None


def period_not_held(absent, have, option: str = "--period") -> UsageError:
    """The one refusal of a period the table lacks, as ``lq``, ``indices``, ``stats``,
    ``detect`` and ``shift-share`` (``--from``, ``--to``) say it (they said it three ways:
    "--period '2019': the input has 2016", "<input>: column 'period': period not in the table
    (expected one of 2016, found '2019')", "--period 2019: not in the table; it has 2016"),
    naming the periods the table has (a long panel's first and last).

    >>> str(period_not_held(["2019"], ["2016"]))
    '--period 2019: not in the table; it has 2016'
    """
    absent = [str(p) if str(p).strip() else repr(p) for p in absent]  # '' seen as such
    have = sorted(str(p) for p in have if p is not None)
    listed = (", ".join(have) if len(have) <= 12
              else ", ".join(have[:6]) + f", ... {', '.join(have[-2:])} ({len(have)} periods)")
    return UsageError(f"{option} {', '.join(absent)}: not in the table; it has "
                      + (listed or "no period"))


def _orphans_note(finer, detail, level: int, measure: str) -> str | None:
    """Codes finer than ``level`` that a region lists with no code of the level above them
    (OKED's C10 and C29 without section C): their activity is in no cell of the level, so every
    share of the region's is over part of it (Krugman over sections A and F alone, North's
    manufacturing -- 800 of 1,100 -- left out), which nothing said.  ``finer``: the rows below
    the level; ``detail``: the level's rows.  A code is held by a listed prefix (C over C10,
    31 over 311) or a listed range holding it (B-E over C10, 31-33 over 311)."""
    import polars as pl

    from clusterid.core.codes import is_range, range_holds

    keys = [schema.PERIOD, schema.REGION]
    listed = detail.select(*keys, schema.INDUSTRY).unique()
    codes = finer.get_column(schema.INDUSTRY).unique().drop_nulls().to_list()
    ranges = [c for c in listed.get_column(schema.INDUSTRY).unique().drop_nulls().to_list()
              if is_range(c)]
    # each finer code's possible holders: its prefixes and the listed ranges that hold it
    # (only holders the level lists somewhere: a 6-digit code's '3', '311' ... are no level-2
    # code, and every row joined to each of them took a third of the run on QCEW's states)
    at_level = set(listed.get_column(schema.INDUSTRY).unique().drop_nulls().to_list())
    pairs = [(c, c[:k]) for c in codes for k in range(1, len(c)) if c[:k] in at_level]
    pairs += [(c, r) for c in codes for r in ranges if range_holds(r, c)]
    holders = pl.DataFrame(pairs, schema={schema.INDUSTRY: pl.String, "_holder": pl.String},
                           orient="row")
    held = (finer.join(holders, on=schema.INDUSTRY)
            .join(listed.rename({schema.INDUSTRY: "_holder"}), on=[*keys, "_holder"],
                  how="semi")
            .select(*keys, schema.INDUSTRY).unique())
    orphan = finer.join(held, on=[*keys, schema.INDUSTRY], how="anti")
    # a code under an orphan (C10.1 under C10) is counted with it, not again
    orphan_codes = orphan.select(*keys, schema.INDUSTRY).unique()
    mine = set(orphan_codes.get_column(schema.INDUSTRY).to_list())
    holders = pl.DataFrame([(c, c[:k]) for c in mine for k in range(1, len(c)) if c[:k] in mine],
                           schema={schema.INDUSTRY: pl.String, "_holder": pl.String},
                           orient="row")
    inner = (orphan.join(holders, on=schema.INDUSTRY)
             .join(orphan_codes.rename({schema.INDUSTRY: "_holder"}), on=[*keys, "_holder"],
                   how="semi").select(*keys, schema.INDUSTRY).unique())
    orphan = orphan.join(inner, on=[*keys, schema.INDUSTRY], how="anti")
    if orphan.height == 0:
        return None
    names = sorted(orphan.get_column(schema.INDUSTRY).unique().to_list())
    per = (orphan.group_by(keys).agg(pl.col(measure).sum().alias("_out"))
           .join(detail.group_by(keys).agg(pl.col(measure).sum().alias("_in")), on=keys,
                 how="left")
           .sort(["_out", schema.PERIOD, schema.REGION], descending=[True, False, False]))
    first = per.row(0, named=True)
    regions = per.get_column(schema.REGION).n_unique()
    inside = first["_in"] or 0.0
    shown = ", ".join(names[:6]) + (f" ... ({len(names)} codes)" if len(names) > 6 else "")
    return (f"{regions} region{'s list' if regions > 1 else ' lists'} codes below level "
            f"{level} with no level-{level} code above {'them' if len(names) > 1 else 'it'} "
            f"({shown}): their {measure} is in no level-{level} cell and left out of the "
            f"region's shares ({first[schema.REGION]} {first[schema.PERIOD]}: "
            f"{first['_out']:,.0f} left out beside {inside:,.0f} in the level); a finer "
            "--level, or the table's section rows, includes it")


def regions_like(pairs, wanted: str) -> str:
    """'did you mean region:...?' for a benchmark region the input lacks (Bayrn -> Bayern;
    a name, 'Мангистауская область', -> its code 470000000), by id or name, else 'regions
    include' the first few ids.  ``pairs``: (region, name, ...) rows, sorted by region."""
    import difflib

    by_key: dict = {}
    for row in pairs:
        for v in row:
            if v is not None:
                by_key.setdefault(str(v).casefold(), row[0])
    w = wanted.casefold()
    near = [k for k in by_key if len(w) >= 3 and w in k][:5] or difflib.get_close_matches(
        w, list(by_key), n=5, cutoff=0.6)
    ids = list(dict.fromkeys(by_key[k] for k in near))
    if ids:
        return "did you mean " + ", ".join(f"region:{r}" for r in ids) + "?"
    sample = list(dict.fromkeys(r for r, *_ in pairs))
    return "regions include " + ", ".join(sample[:5]) + (" ..." if len(sample) > 5 else "")


def match_region(wanted: str, have) -> str | None:
    """A region ID (``--benchmark region:ID``) as the table spells it, matched as --ownership and
    --period are: itself when listed, else the one region equal to it ignoring case and
    surrounding blanks ('region:de1' -> 'DE1'), else None.  Several regions equal to it ignoring
    case ('DE1' beside 'de1') are refused, naming them: picking one would be a guess."""
    from clusterid.errors import UsageError

    have = [h for h in have if h is not None]
    if wanted in have:
        return wanted
    key = str(wanted).strip().casefold()
    same = sorted({h for h in have if str(h).strip().casefold() == key})
    if len(same) > 1:
        raise UsageError(f"--benchmark region:{wanted}: matches regions "
                         f"{', '.join(map(repr, same))} ignoring case; give one exactly")
    return same[0] if same else None


def _only_ownership_note(ownership, level, others, detail) -> str:
    """The default ownership when it is the only one with industries at the chosen level,
    saying what the others hold (Utah's QCEW sample: 'total' only as all-industry totals)."""
    import polars as pl

    said = []
    for own in others:
        lv = sorted({v for v in detail.filter(pl.col("own") == own).get_column("lvl").to_list()
                     if v is not None})
        said.append(f"{own!r} has " + (f"industries at levels {lv}" if lv
                                       else "only all-industry totals"))
    at = f" at level {level}" if level is not None else ""
    return (f"ownership {ownership!r} (the only one with industries{at}; {'; '.join(said)}; "
            "choose with --ownership and --level)")


def select_rows(lf, measure: str, *, level: int | None = None, ownership: str | None = None,
                region_level: str | None = None, periods=None, exclude_regions=(),
                path: str | None = None, unread_ownerships=()) -> Selection:
    """Pick one ownership, one region level and one industry level from a canonical table.

    Defaults (each recorded in :attr:`Selection.notes` and the output's metadata): the deepest
    industry level present; ``total`` ownership when it has rows at that level, else
    ``private``, else the only one; the most common region level.  Mixing levels would
    count the same activity twice, so exactly one of each is used.

    ``unread_ownerships``: ownerships the raw file held but was not read with (a QCEW file
    of government rows read with the default total and private), named in the error when
    the table then holds only all-industry totals.

    Raises
    ------
    UsageError
        When the measure, level, ownership, region level or a period is not in the table, or
        the default is ambiguous.
    DataError
        When the table has no rows, or only all-industry totals.
    """
    import polars as pl

    from clusterid.io.readers.qcew import ownership_named

    names = lf.collect_schema().names()
    present = schema.measures_in(names)
    if measure not in present:
        raise UsageError(problems=[Problem(
            f"the table has no {measure!r} measure", path=path, column=measure,
            expected="one of " + (", ".join(present) or "(none)"), found=measure,
            hint="choose one with --measure")])
    status = schema.status_col(measure)
    has_status = status in names
    has_level = schema.LEVEL in names
    has_rlevel = schema.REGION_LEVEL in names
    has_est = schema.ESTABLISHMENTS in names
    is_total = pl.col(schema.INDUSTRY) == schema.ALL_INDUSTRIES
    if has_level:
        # a custom code has no level (null): null == 0 is null, and a null "total" flag made
        # every row of a custom table vanish from both the detail and the totals
        is_total = is_total | (pl.col(schema.LEVEL) == 0).fill_null(False)
    lvl = pl.col(schema.LEVEL) if has_level else pl.lit(None, pl.Int8)
    rlv = pl.col(schema.REGION_LEVEL) if has_rlevel else pl.lit(None, pl.String)
    has_it = pl.col(measure).is_not_null()
    if has_status:
        has_it = has_it | pl.col(status).is_not_null()
    summary = (lf.select(pl.col(schema.OWNERSHIP).alias("own"), lvl.alias("lvl"),
                         rlv.alias("rlv"), is_total.alias("tot"), pl.col(schema.PERIOD),
                         has_it.alias("has_it"))
               .group_by(["own", "lvl", "rlv", "tot", schema.PERIOD])
               .agg(pl.len(), pl.col("has_it").any().alias("has")).collect())
    notes = []
    if summary.height == 0:
        raise DataError(problems=[Problem("the table has no data rows", path=path,
                                          expected="at least one row")])
    detail = summary.filter(~pl.col("tot"))
    if detail.height == 0:
        unread = list(unread_ownerships)
        raise DataError(problems=[Problem(
            "the table holds only all-industry totals", path=path, column=schema.INDUSTRY,
            expected="rows for individual industries",
            hint=(f"the file's rows of ownership {', '.join(unread)} were not read (a raw file "
                  "is read with total and private unless --ownership names others): give "
                  f"--ownership {unread[0]}") if unread else None)])
    levels = sorted({v for v in detail.get_column("lvl").to_list() if v is not None})
    if level is None:
        if levels:
            level = max(levels)
            if len(levels) > 1:
                notes.append(f"industry level {level} (deepest of {levels}; choose with --level)")
    elif level not in levels:
        # codes of no classification (--classification custom) have no level at all: saying
        # "expected one of " and nothing left the user guessing which level to give
        raise UsageError(problems=[Problem(
            "no industries at that level", path=path, column=schema.LEVEL,
            expected=("one of " + ", ".join(map(str, levels))) if levels else
            "no --level: the industry codes have no level (a custom classification)",
            found=str(level),
            hint=(f"roll the codes up first with `clusterid ingest INPUT --level {level} -o "
                  "TABLE`") if level >= 0 and any(v > level for v in levels) else None)])
    at_level = detail if level is None else detail.filter(pl.col("lvl") == level)
    owners = sorted(set(at_level.get_column("own").to_list()))
    if ownership is None:
        if schema.OWNERSHIP_TOTAL in owners:
            ownership = schema.OWNERSHIP_TOTAL
        elif schema.OWNERSHIP_PRIVATE in owners:
            ownership = schema.OWNERSHIP_PRIVATE
        elif len(owners) == 1:
            ownership = owners[0]
        else:
            raise UsageError(problems=[Problem(
                "the table has several ownerships and no 'total'", path=path,
                column=schema.OWNERSHIP, expected="--ownership " + " | ".join(owners))])
        if len(owners) > 1:
            notes.append(f"ownership {ownership!r} (of {owners}; choose with --ownership)")
        else:  # the others have no industries at this level (QCEW: 'total' only as a sum)
            others = sorted(set(summary.get_column("own").to_list()) - set(owners))
            if others:
                notes.append(_only_ownership_note(ownership, level, others, detail))
    elif (ownership := match_period(ownership, owners) or ownership_named(ownership, owners)
          or ownership) not in owners:
        # ('Private' matches 'private', as periods match ignoring case; QCEW's own_code '5'
        # is 'private', as ingest reads it: it was refused, "expected one of private, found '5'")
        raise UsageError(problems=[Problem(
            "no rows with that ownership at this level", path=path, column=schema.OWNERSHIP,
            expected="one of " + ", ".join(owners), found=ownership)])
    at_level = at_level.filter(pl.col("own") == ownership)
    counts = (at_level.group_by("rlv").agg(pl.col("len").sum()).sort(["len", "rlv"],
                                                                     descending=[True, False]))
    rlevels = counts.get_column("rlv").to_list()
    if region_level is None:
        region_level = rlevels[0]
        if len(rlevels) > 1 and region_level is None:
            # regions without a level cannot be named with --region-level: said as such, and
            # the levels that can be named listed (it said "region level None (most rows of
            # [None, 'nation']")
            named = [r for r in rlevels if r is not None]
            notes.append(f"regions without a region level (most rows; the others are at level "
                         f"{', '.join(repr(r) for r in named)}: choose one with --region-level)")
        elif len(rlevels) > 1:
            notes.append(f"region level {region_level!r} (most rows of "
                         f"{['without a level' if r is None else r for r in rlevels]}; choose "
                         "with --region-level)")
    elif (region_level := match_period(region_level, [r for r in rlevels if r is not None])
          or region_level) not in rlevels:  # 'County' matches 'county'
        # (a table whose regions have no level said "expected one of None")
        named = [str(r) for r in rlevels if r is not None]
        raise UsageError(problems=[Problem(
            "no regions at that level", path=path, column=schema.REGION_LEVEL,
            expected=("one of " + ", ".join(named)
                      + (" (or no --region-level: some regions have no level)"
                         if len(named) < len(rlevels) else "")) if named else
            "no --region-level: the table's regions have no region level",
            found=region_level,
            hint=None if named else "ingest with --region-level LEVEL to give its regions one")])
    all_periods = sorted(set(at_level.get_column(schema.PERIOD).to_list()))
    # several canonical tables given as one input ('panel/*.parquet'), one period's without
    # this measure's column: that period's rows carry neither a value nor a status, and came
    # out as regions of no activity (observed total 0) or every cell 'not observed', unsaid
    held = set(at_level.filter(pl.col("has")).get_column(schema.PERIOD).to_list())
    no_column = [p for p in all_periods if p not in held]
    all_periods = [p for p in all_periods if p in held]
    # a period whose rows are all at another region level (a new year's table without region
    # levels beside counties): indices left it out, saying only '2016Q4: 0' industries, and
    # shift-share to it wrote every region 'not observed', exit 0
    on_level = set(at_level.filter(pl.col("rlv").eq_missing(pl.lit(region_level, pl.String)))
                   .get_column(schema.PERIOD).to_list())
    off_level = [p for p in all_periods if p not in on_level]
    all_periods = [p for p in all_periods if p in on_level]
    # periods of the table without a row to compute on (a year published as totals only):
    # "not in the table" was wrong for them, and without --period they vanished unsaid
    bare = sorted(set(summary.get_column(schema.PERIOD).to_list()) - set(all_periods)
                  - set(no_column) - set(off_level))
    without = (f"no rows at industry level {level} for ownership {ownership!r}"
               if level is not None else f"no industry rows for ownership {ownership!r}")
    if periods is not None:
        # once each: `--period 2014 --period 2014` (or 2016q1 beside 2016Q1) wrote every row
        # of the period twice
        periods = list(dict.fromkeys(match_period(p, all_periods) or match_period(p, bare)
                                     or match_period(p, no_column)
                                     or match_period(p, off_level) or p for p in periods))
        missing = [p for p in periods if p not in all_periods]
        if any(p in off_level for p in missing):
            raise UsageError(problems=[Problem(
                f"period without rows at region level {region_level!r}", path=path,
                column=schema.REGION_LEVEL,
                expected="one of " + (", ".join(all_periods) or "(none)"),
                found=", ".join(p for p in missing if p in off_level),
                hint="its rows are at another region level: choose it with --region-level")])
        if any(p in no_column for p in missing):
            raise UsageError(problems=[Problem(
                f"period whose table has no {measure!r} column", path=path, column=measure,
                expected="one of " + (", ".join(all_periods) or "(none)"),
                found=", ".join(p for p in missing if p in no_column),
                hint="several tables given as one input: choose another --measure or period")])
        if any(p in bare for p in missing):
            raise UsageError(problems=[Problem(
                f"period without industries to compute on ({without})", path=path,
                column=schema.PERIOD, expected="one of " + ", ".join(all_periods),
                found=", ".join(missing))])
        if missing:
            raise period_not_held(missing, summary.get_column(schema.PERIOD).unique().to_list())
    else:
        periods = all_periods
        if bare:
            notes.append(f"period{'s' if len(bare) > 1 else ''} {', '.join(bare)} left out: "
                         f"{without}")
        if off_level:
            notes.append(f"period{'s' if len(off_level) > 1 else ''} {', '.join(off_level)} "
                         f"left out: no rows at region level {region_level!r} (choose another "
                         "with --region-level)")
        if no_column:
            notes.append(f"period{'s' if len(no_column) > 1 else ''} {', '.join(no_column)} "
                         f"left out: no {measure} there (the input's table of that period has "
                         "no such column)")
        if not periods:
            raise UsageError(problems=[Problem(
                f"no period has {measure!r}", path=path, column=measure,
                expected="a period whose table has the column", found=", ".join(no_column),
                hint="choose another --measure")])

    keep = [schema.PERIOD, schema.REGION, schema.INDUSTRY, measure]
    for c in (schema.REGION_NAME, schema.INDUSTRY_NAME, schema.CLASSIFICATION):
        if c in names:
            keep.append(c)
    if has_status:
        keep.append(status)
    if has_est and measure != schema.ESTABLISHMENTS:
        keep.append(schema.ESTABLISHMENTS)
        if schema.status_col(schema.ESTABLISHMENTS) in names:
            keep.append(schema.status_col(schema.ESTABLISHMENTS))
    base = lf.filter(pl.col(schema.OWNERSHIP) == ownership).filter(
        pl.col(schema.PERIOD).is_in(list(periods)))
    if region_level is not None:
        base = base.filter(rlv == region_level)
    else:
        base = base.filter(rlv.is_null())
    if exclude_regions:
        base = base.filter(~pl.col(schema.REGION).is_in(list(exclude_regions)))
    det = base.filter(~is_total)
    if level is not None:
        det = det.filter(lvl == level)
    queries = [det.select(keep), base.filter(is_total).select(keep)]
    if level is not None and has_level:
        # rows whose code the classification could not place (REAT's "Kunst, Unterhaltung ..."
        # beside NACE sections) are at no level, so no level's sums hold them: said, with
        # their share, never dropped silently
        queries.append(base.filter(~is_total & lvl.is_null())
                       .group_by(schema.INDUSTRY).agg(pl.col(measure).sum()))
        # and the finer codes a region lists with no code of the level above them
        queries.append(base.filter(~is_total & (lvl > level))
                       .select(schema.PERIOD, schema.REGION, schema.INDUSTRY, measure))
        if schema.CLASSIFICATION in names:
            # and the coarser codes, for a region that lists a parent alone (section C where
            # the others list C10, C11, C20: core.overlaps.unlisted_children)
            queries.append(base.filter(~is_total & (lvl < level)).select(*keep, schema.LEVEL))
    frames = pl.collect_all(queries)
    detail_df, totals_df = frames[:2]
    if exclude_regions and detail_df.height == 0:
        # the benchmark region was the only one at this region level (-b region:49000
        # --region-level state): indices wrote a header and no rows, exit 0, and shift-share
        # failed with an internal error
        raise UsageError(problems=[Problem(
            "no region is left once the benchmark region is left out of the rows", path=path,
            column=schema.REGION, expected="other regions at region level "
            f"{region_level!r} to compare with the benchmark (choose with --region-level)",
            found=", ".join(map(str, exclude_regions)))])
    alone = []
    if exclude_regions:
        # a period where only the benchmark region has rows has nothing to compare with it:
        # left out, said (it came out as no rows, and a note on 'different industries, 0')
        held = set(detail_df.get_column(schema.PERIOD).unique().to_list())
        alone = [p for p in periods if p not in held]
        if alone:
            periods = [p for p in periods if p in held]
            notes.append(f"period{'s' if len(alone) > 1 else ''} {', '.join(alone)} left out: "
                         f"no region but the benchmark ({', '.join(map(str, exclude_regions))}) "
                         "has rows there")
    if len(frames) > 3 and frames[3].height:
        said = _orphans_note(frames[3], detail_df, level, measure)
        if said:
            notes.append(said)
    if len(frames) > 2 and frames[2].height:
        unplaced = frames[2].sort(schema.INDUSTRY)
        names = unplaced.get_column(schema.INDUSTRY).to_list()
        held = unplaced.get_column(measure).sum() or 0.0
        used = detail_df.get_column(measure).sum() or 0.0
        share = f"{held / (held + used):.0%} of the {measure} summed" if held + used > 0 else ""
        shown = "; ".join(names[:5]) + (f" ... ({len(names)} in all)" if len(names) > 5 else "")
        notes.append(f"left out {len(names)} industries whose codes have no level in the "
                     f"classification ({shown}){', ' + share if share else ''}: no level-{level} "
                     "sum holds them; ingest with --classification custom to use every "
                     "row as one industry (when no row is part of another)")
    if level is not None and schema.CLASSIFICATION in detail_df.columns:
        # Eurostat's B-E beside C, G-J beside G-I and J, C10-C12 beside C10, NAICS's 31-33
        # beside 31, 32, 33: one of each overlap, or it counts twice (in every share)
        from clusterid.core.codes import overlapping_aggregates
        from clusterid.core.overlaps import _CLASSES, _kind

        nace = detail_df.filter(pl.col(schema.CLASSIFICATION).is_in(_CLASSES))
        overlap = overlapping_aggregates(nace.get_column(schema.INDUSTRY).unique().to_list())
        if overlap:
            from clusterid.core.overlaps import unlisted_parts

            unlisted, example = unlisted_parts(nace, overlap, measure, status)
            detail_df = detail_df.filter(~(pl.col(schema.INDUSTRY).is_in(list(overlap))
                                           & pl.col(schema.CLASSIFICATION).is_in(_CLASSES)))
            shown = ", ".join(f"{c} ({why})" for c, why in sorted(overlap.items()))
            notes.append(f"left out {_kind(overlap)} that overlap other level-{level} codes: "
                         f"{shown}")
            if unlisted.height:
                detail_df = pl.concat([detail_df, unlisted.select(detail_df.columns)],
                                      how="vertical_relaxed")
                notes.append(f"{unlisted.height} cells of parts that a region does not list "
                             f"beside an aggregate left out for them ({example}) are read as "
                             "not observed, not as 0: their activity is inside the aggregate")
    if len(frames) > 4 and frames[4].height and detail_df.height:
        detail_df = _with_unlisted_children(detail_df, frames[4], level, measure, notes)
    cls = schema.CUSTOM
    if schema.CLASSIFICATION in detail_df.columns and detail_df.height:
        vals = detail_df.get_column(schema.CLASSIFICATION).drop_nulls().unique().to_list()
        if len(vals) == 1:
            cls = vals[0]
    sel = Selection(detail_df, totals_df, measure, ownership, level, region_level, cls,
                    list(periods), has_est, notes)
    sel.cache["periods_without_rows"] = (bare, without)  # for the callers' own period checks
    sel.cache["periods_benchmark_only"] = alone
    sel.cache["periods_without_measure"] = no_column
    sel.cache["periods_off_region_level"] = off_level
    return sel


def _with_unlisted_children(detail_df, coarser, level: int, measure: str, notes: list):
    """``detail_df`` (the level's cells) with a row, not observed, for each code of the level
    a region lists only through its parent where other regions list it
    (:func:`clusterid.core.overlaps.unlisted_children`: section C alone beside others' C10,
    C11, C20).  Without them that region had no cell at the level: it vanished from every
    index of the level, and the industries' benchmark shares were those of the other regions
    alone, said nowhere; with them it is a region whose cells are not observed
    (``n_suppressed``, ``missing_share``), as a suppressed cell is.  ``coarser``: the rows of
    coarser levels, with ``level``; a sentence goes to ``notes`` when rows were added."""
    import polars as pl

    from clusterid.core.overlaps import unlisted_children

    status = schema.status_col(measure)
    if status not in detail_df.columns:
        detail_df = detail_df.with_columns(schema.implied_status(pl.col(measure)).alias(status))
    if status not in coarser.columns:
        coarser = coarser.with_columns(schema.implied_status(pl.col(measure)).alias(status))
    both = pl.concat([detail_df.with_columns(pl.lit(level, coarser.schema[schema.LEVEL])
                                             .alias(schema.LEVEL)),
                      coarser.select(*detail_df.columns, schema.LEVEL)], how="vertical_relaxed")
    told: list = []
    out, info = unlisted_children(both, level, told)
    if not info:
        return detail_df
    added = out.slice(both.height).select(detail_df.columns)
    notes.extend(t.replace("read as suppressed", "read as not observed") for t in told)
    return pl.concat([detail_df, added], how="vertical_relaxed")


def period_matrix(sel: Selection, period: str, *, use_estimated: bool = True,
                  regions=None, industries=None) -> Matrix:
    """The :class:`Matrix` of one period of a :class:`Selection`, with names attached."""
    import polars as pl

    key = (period, use_estimated)
    if regions is None and industries is None and key in sel.cache:
        return sel.cache[key]
    d = sel.detail.filter(pl.col(schema.PERIOD) == period)
    m = region_industry_matrix(d, sel.measure, use_estimated=use_estimated, regions=regions,
                               industries=industries)
    for col, attr, key in ((schema.REGION_NAME, "region_names", schema.REGION),
                           (schema.INDUSTRY_NAME, "industry_names", schema.INDUSTRY)):
        if col in d.columns:
            pairs = d.select(key, col).drop_nulls().unique(subset=key, keep="first")
            getattr(m, attr).update(dict(zip(pairs.get_column(key).to_list(),
                                             pairs.get_column(col).to_list())))
    if regions is None and industries is None:
        sel.cache[(period, use_estimated)] = m
    return m


def column_sums(sel: Selection, period: str, column: str, matrix: Matrix, axis: str):
    """Sum a measure column over reported cells, aligned to ``matrix`` rows or columns."""
    import polars as pl

    d = sel.detail.filter(pl.col(schema.PERIOD) == period)
    if column not in d.columns:
        return None
    st = schema.status_col(column)
    if st in d.columns:
        d = d.filter(pl.col(st).is_in([schema.REPORTED, schema.ESTIMATED]))
    key = schema.INDUSTRY if axis == "industry" else schema.REGION
    labels = matrix.industries if axis == "industry" else matrix.regions
    s = d.group_by(key).agg(pl.col(column).sum())
    lookup = dict(zip(s.get_column(key).to_list(), s.get_column(column).to_list()))
    return np.array([lookup.get(k, 0.0) or 0.0 for k in labels], dtype=float)


def observed_plants(sel: Selection, period: str, matrix: Matrix) -> np.ndarray | None:
    """Establishments of each industry summed over the cells ``matrix`` observes: the plants
    whose activity its indices (EG's G) are computed on.  Plants in regions whose value of the
    measure is suppressed are left out with those regions -- counted, they shrank the plant
    Herfindahl 1/N of an industry seen in two of four counties from 1/5 to 1/30.  nan for an
    industry where an observed cell has no establishment count."""
    import polars as pl

    d = sel.detail.filter(pl.col(schema.PERIOD) == period)
    if schema.ESTABLISHMENTS not in d.columns:
        return None
    cols = [schema.REGION, schema.INDUSTRY, schema.ESTABLISHMENTS]
    st = schema.status_col(schema.ESTABLISHMENTS)
    if st in d.columns:
        cols.append(st)
    est = region_industry_matrix(d.select(cols), schema.ESTABLISHMENTS,
                                 regions=matrix.regions, industries=matrix.industries)
    n = np.where(matrix.observed & est.observed, est.values, 0.0).sum(axis=0)
    unknown = (matrix.observed & ~est.observed).any(axis=0)
    return np.where(unknown, np.nan, n)


def region_sizes(sel: Selection, period: str, m: Matrix) -> tuple[np.ndarray, int]:
    """``e_j`` of the industry and pair indices: each region's reported all-industries total,
    else (no total row, or a suppressed one) the sum of its observed cells; and how many
    regions took that fallback with some cell of theirs unobserved (a size left short).

    A region's share of the economy ``x_j = e_j / E`` is its size, whatever the other
    industries' suppression: the sum of its observed cells read every suppressed cell of the
    region as 0 (a Utah county with three quarters of its private 6-digit jobs suppressed was a
    quarter of its size), which moved the Hoover localisation of 6-digit industries across
    Utah's counties by 0.07 in the median.
    """
    rep = reported_totals(sel, period, m.regions)
    observed_sum = m.filled.sum(axis=1)
    has = np.isfinite(rep)
    fallback = int((~has & m.observed.any(axis=1) & ~m.observed.all(axis=1)).sum())
    return np.where(has, rep, observed_sum), fallback


def reported_totals(sel: Selection, period: str, regions) -> np.ndarray:
    """Each region's reported all-industries total (nan when absent or suppressed)."""
    import polars as pl

    t = sel.totals.filter(pl.col(schema.PERIOD) == period)
    st = schema.status_col(sel.measure)
    if st in t.columns:
        t = t.filter(pl.col(st) == schema.REPORTED)
    t = t.group_by(schema.REGION).agg(pl.col(sel.measure).first())
    lookup = dict(zip(t.get_column(schema.REGION).to_list(), t.get_column(sel.measure).to_list()))
    return np.array([np.nan if lookup.get(r) is None else lookup[r] for r in regions], dtype=float)


def benchmark_industry_totals(m: Matrix, kind: str = "sum", reference: Matrix | None = None,
                              region: str | None = None) -> np.ndarray:
    """Benchmark totals ``E_i`` for a :class:`Matrix`: (n_industries,) or (n_regions, n_ind).

    ``sum`` the sum of the regions over observed cells; ``rest`` rest of nation
    ``E_i − e_ij`` (2-D); ``external`` the sum of ``reference``'s regions (aligned on
    industry codes; an industry the reference lacks is 0); ``region`` one named row of
    ``reference`` (the named region of the input; nan where its cell is suppressed).

    Mirrors the benchmarks of ``clusterid lq`` (METHODS.md §1).
    """
    filled = m.filled
    if kind == "sum":
        return filled.sum(axis=0)
    if kind == "rest":
        return filled.sum(axis=0)[None, :] - filled
    if reference is None:
        raise ValueError(f"benchmark {kind!r} needs a reference matrix")
    ref = reference.filled
    pos = {k: i for i, k in enumerate(reference.industries)}
    if kind == "external":
        col = ref.sum(axis=0)
    elif kind == "region":
        if region not in reference.regions:
            raise ValueError(f"region {region!r} not in the reference")
        # a suppressed cell of the benchmark region is unknown, not 0: read as 0 it made the
        # industry's benchmark share 0 and every county holding it "specialised" in it
        k = reference.regions.index(region)
        col = np.where(reference.observed[k], reference.values[k], np.nan)
    else:
        raise ValueError(f"unknown benchmark {kind!r}")
    return np.array([col[pos[k]] if k in pos else 0.0 for k in m.industries], dtype=float)
