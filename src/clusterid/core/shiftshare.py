"""Shift-share: why a region's activity changed between two periods.

Pure numpy on region x industry matrices (regions in rows), as in :mod:`clusterid.core.indices`.
Notation (METHODS.md §3): ``e⁰_ij``, ``e¹_ij`` the activity of industry i in region j in the two
periods; ``E⁰_i``, ``E¹_i`` the benchmark's; ``G = E¹/E⁰ − 1`` national growth,
``G_i = E¹_i/E⁰_i − 1`` industry growth in the benchmark.

Missing is not zero: a cell that is not observed in either period gets no components (nan),
and region totals are sums over the cells observed in both periods (their number is reported).
With the sum-of-regions benchmark, ``E_i`` is summed over the same cells in both periods so
that growth rates compare like with like.
"""

from __future__ import annotations

import numpy as np

__all__ = ["dunn", "esteban_marquillas", "shift_share", "region_totals", "dynamic_shift_share",
           "sum_benchmark", "revision_groups", "combine_columns", "period_frequency",
           "CELL_COMPONENTS", "REGION_COMPONENTS"]

CELL_COMPONENTS = ("base", "final", "change", "national_share", "industry_mix", "regional_share",
                   "homothetic_base", "competitive", "allocation", "new_industry")
REGION_COMPONENTS = ("base", "final", "change", "national_share", "industry_mix",
                     "regional_share", "competitive", "allocation", "new_industry")


def period_frequency(period) -> str | None:
    """``'year'``, ``'quarter'`` or ``'month'`` for a period as clusterid writes them
    (``2016``, ``2016Q1``, ``2016M03``), else None (a label of the table's own).

    A table may hold periods of several frequencies (QCEW's annual averages beside its
    quarters): an annual value compared with a quarter's is no growth, and for wages (a
    year's sum against a quarter's) a fall of three quarters.

    >>> [period_frequency(p) for p in ("2016", "2016Q3", "2016M03", "2016/17")]
    ['year', 'quarter', 'month', None]
    """
    import re

    text = str(period).strip()
    for freq, pattern in (("year", r"\d{4}"), ("quarter", r"\d{4}Q[1-4]"),
                          ("month", r"\d{4}M(0[1-9]|1[0-2])")):
        if re.fullmatch(pattern, text):
            return freq
    return None


def periods_between(lo: str, hi: str, freq: str | None) -> list[str]:
    """Every period of frequency ``freq`` from ``lo`` to ``hi``, as clusterid writes them;
    empty for a frequency of the table's own (None).

    >>> periods_between("2016Q3", "2017Q2", "quarter")
    ['2016Q3', '2016Q4', '2017Q1', '2017Q2']
    """
    per_year = {"year": 1, "quarter": 4, "month": 12}.get(freq or "")
    if per_year is None:
        return []

    def index(p):
        return int(p[:4]) * per_year + (int(p[5:]) - 1 if per_year > 1 else 0)

    def label(i):
        year, k = divmod(i, per_year)
        return (str(year) if freq == "year" else f"{year}Q{k + 1}" if freq == "quarter"
                else f"{year}M{k + 1:02d}")

    return [label(i) for i in range(index(lo), index(hi) + 1)]


def _split(a):
    """Dekker's split of ``a`` into a high and a low half of 26 bits each (``hi + lo == a``)."""
    c = 134217729.0 * a  # 2**27 + 1
    hi = c - (c - a)
    return hi, a - hi


def difference_of_products(a, b, c, d):
    """``a*b - c*d`` with the products' rounding errors kept (Dekker's exact product).

    Where the two products nearly cancel (a region's share of the change against its share
    of the benchmark), their difference in plain doubles keeps only the digits the products'
    rounding left: the result is accurate to a few units of its own last place instead.
    Both products are split exactly into ``p + e``; ``p - q`` is then exact when ``p`` and
    ``q`` are within a factor of two (Sterbenz), and small against the rest otherwise.

    >>> float(difference_of_products(1e8 + 1, 1e8 - 1, 1e8, 1e8))  # 1e16 - 1 - 1e16
    -1.0
    """
    import numpy as np

    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    with np.errstate(invalid="ignore", over="ignore"):
        p = a * b
        q = c * d
        ah, al = _split(a)
        bh, bl = _split(b)
        ch, cl = _split(c)
        dh, dl = _split(d)
        pe = ((ah * bh - p) + ah * bl + al * bh) + al * bl
        qe = ((ch * dh - q) + ch * dl + cl * dh) + cl * dl
        exact = (p - q) + (pe - qe)
    # past ~1e300 the split overflows (inf - inf): the plain difference, as before
    return np.where(np.isfinite(exact), exact, p - q)


def sum_benchmark(e0, e1, observed):
    """Benchmark totals as the sum of the regions over cells observed in both periods.

    Returns ``(E0_i, E1_i)``, each of shape (n_industries,).
    """
    f0 = np.where(observed, e0, 0.0)
    f1 = np.where(observed, e1, 0.0)
    return f0.sum(axis=0), f1.sum(axis=0)


def dunn(e0, e1, E0_i, E1_i, E0=None, E1=None):
    """Dunn (1960) shift-share decomposition per region x industry cell.

    ``NS_ij = e⁰_ij G``, ``IM_ij = e⁰_ij (G_i − G)``, ``RS_ij = e¹_ij − e⁰_ij (1 + G_i)``,
    so ``NS + IM + RS = e¹ − e⁰`` (Dunn 1960, Papers of the RSA 6; METHODS.md §3).

    Written this way RS is finite when ``e⁰_ij = 0`` (an industry new to the region): then NS
    and IM are 0 and all the change is regional share.  REAT's ``shift`` divides by ``e⁰_ij``
    and returns NaN for such cells.

    Parameters
    ----------
    e0, e1 : ndarray (n_regions, n_industries)
        nan where not observed.
    E0_i, E1_i : ndarray (n_industries,) or (n_regions, n_industries)
        Benchmark industry totals (2-D for a per-region benchmark such as rest of nation).
    E0, E1 : float or ndarray (n_regions, 1), optional
        Benchmark totals; default ``Σ_i E_i``.

    Returns
    -------
    dict with ``national_share``, ``industry_mix``, ``regional_share``, ``growth_national``
    (broadcast), ``growth_industry``; nan where the cell is unobserved or the benchmark is
    inconsistent (``E⁰_i = 0`` while ``e⁰_ij > 0``).

    Examples
    --------
    >>> import numpy as np
    >>> d = dunn(np.array([[10.0]]), np.array([[15.0]]), np.array([100.0]), np.array([120.0]),
    ...          200.0, 220.0)
    >>> [round(float(d[k][0, 0]), 6) for k in ("national_share", "industry_mix", "regional_share")]
    [1.0, 1.0, 3.0]
    """
    e0 = np.asarray(e0, dtype=float)
    e1 = np.asarray(e1, dtype=float)
    E0_i = np.broadcast_to(np.asarray(E0_i, dtype=float), e0.shape)
    E1_i = np.broadcast_to(np.asarray(E1_i, dtype=float), e0.shape)
    if E0 is None:
        E0 = E0_i.sum(axis=-1, keepdims=True)
    if E1 is None:
        E1 = E1_i.sum(axis=-1, keepdims=True)
    E0 = np.broadcast_to(np.asarray(E0, dtype=float), e0.shape[:-1] + (1,))
    E1 = np.broadcast_to(np.asarray(E1, dtype=float), E0.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # every difference of nearly equal numbers is taken exactly (see
        # :func:`difference_of_products`): written as ``E1/E0 - 1`` and as the residual
        # ``(e1 - e0) - NS - IM``, the rounding of the quotients showed in the 12th-15th digit
        # (an RS of exactly -87.725 printed -87.7249999999994, a growth rate's last digit off)
        dE = E1 - E0
        dE_i = E1_i - E0_i
        G = np.broadcast_to(dE / E0, e0.shape)
        Gi = np.where(E0_i > 0, dE_i / E0_i, np.nan)
        new = e0 == 0
        dE_b, E0_b = np.broadcast_to(dE, e0.shape), np.broadcast_to(E0, e0.shape)
        ns = np.where(new, 0.0, e0 * dE_b / E0_b)
        # IM = e0 (G_i - G) = e0 (dE_i E0 - dE E0_i) / (E0_i E0)
        gap = difference_of_products(dE_i, E0_b, dE_b, E0_i)
        im = np.where(new, 0.0, e0 * (gap / E0_i) / E0_b)
        # RS = e1 - e0 (1 + G_i) = (e1 E0_i - e0 E1_i) / E0_i
        rs = np.where(new, e1, difference_of_products(e1, E0_i, e0, E1_i) / E0_i)
        # a residual within float rounding of the cell's size is 0: a region growing exactly
        # as its industry (one region, or the benchmark itself) gave RS = -8.9e-15, which
        # reads as a competitive disadvantage to anything testing RS < 0
        rs = np.where(np.abs(rs) <= 1e-12 * (np.abs(e0) + np.abs(e1)), 0.0, rs)
    bad = ~(np.isfinite(e0) & np.isfinite(e1)) | (~new & ~np.isfinite(Gi)) | ~np.isfinite(G)
    return {
        "national_share": np.where(bad, np.nan, ns),
        "industry_mix": np.where(bad, np.nan, im),
        "regional_share": np.where(bad, np.nan, rs),
        "growth_national": np.where(bad, np.nan, G),
        "growth_industry": np.where(bad, np.nan, Gi),
    }


def esteban_marquillas(e0, regional_share, S0_i, E0_i=None, E0=None):
    """Esteban-Marquillas (1972) split of the regional share into competitive and allocation.

    Homothetic base ``ê_ij = e⁰_j S⁰_i`` (the region's size, the benchmark's mix); with
    ``g_ij = e¹_ij/e⁰_ij − 1``: competitive effect ``ê_ij (g_ij − G_i)``, allocation effect
    ``(e⁰_ij − ê_ij)(g_ij − G_i)`` (Esteban-Marquillas 1972, Regional and Urban Economics 2(3)).
    Since ``e⁰_ij (g_ij − G_i) = RS_ij``, they are computed as ``(ê/e⁰) RS`` and
    ``RS (e⁰ − ê)/e⁰`` (``RS − competitive`` without the totals), which sum to RS.

    When ``e⁰_ij = 0`` the growth rate ``g_ij`` does not exist and the split is undefined:
    both are nan and :func:`region_totals` carries that RS as ``new_industry``.

    Parameters
    ----------
    e0 : ndarray (n_regions, n_industries)
    regional_share : ndarray, same shape (from :func:`dunn`)
    S0_i : ndarray (n_industries,) or (n_regions, n_industries)
        Benchmark industry shares in the base period, ``E⁰_i / E⁰``.
    E0_i, E0 : optional
        The benchmark totals ``S0_i`` was divided from; given, the allocation effect
        ``RS (e⁰ − ê)/e⁰`` takes ``e⁰ − ê = (e⁰ E⁰ − e⁰_j E⁰_i)/E⁰`` exactly (a region whose
        share of an industry is near the benchmark's otherwise kept only rounding's digits).

    Returns
    -------
    dict with ``homothetic_base``, ``competitive``, ``allocation``.
    """
    e0 = np.asarray(e0, dtype=float)
    obs = np.isfinite(e0)
    ej0 = np.where(obs, e0, 0.0).sum(axis=1, keepdims=True)
    exact = E0_i is not None and E0 is not None
    with np.errstate(divide="ignore", invalid="ignore"):
        if exact:
            E0_i = np.broadcast_to(np.asarray(E0_i, dtype=float), e0.shape)
            E0 = np.broadcast_to(np.asarray(E0, dtype=float), ej0.shape)
            hom = ej0 * E0_i / E0
        else:
            hom = ej0 * np.broadcast_to(np.asarray(S0_i, dtype=float), e0.shape)
        comp = np.where(e0 > 0, hom / e0 * regional_share, np.nan)
        if exact:
            off = difference_of_products(e0, E0, np.broadcast_to(ej0, e0.shape), E0_i) / E0
            alloc = np.where(e0 > 0, regional_share * off / e0, np.nan)
        else:
            alloc = np.where(e0 > 0, regional_share - comp, np.nan)
    return {"homothetic_base": np.where(obs, hom, np.nan), "competitive": comp,
            "allocation": alloc}


def shift_share(e0, e1, observed=None, E0_i=None, E1_i=None, E0=None, E1=None):
    """Dunn and Esteban-Marquillas components of every cell.

    Parameters
    ----------
    e0, e1 : ndarray (n_regions, n_industries)
    observed : ndarray of bool, optional
        Cells observed in both periods (default: finite in both).
    E0_i, E1_i, E0, E1 : optional
        Benchmark; default the sum of the regions over ``observed`` cells.

    Returns
    -------
    dict of ndarray (n_regions, n_industries): the keys of :data:`CELL_COMPONENTS` plus
    ``growth_national``, ``growth_industry``.
    """
    e0 = np.asarray(e0, dtype=float)
    e1 = np.asarray(e1, dtype=float)
    if observed is None:
        observed = np.isfinite(e0) & np.isfinite(e1)
    observed = observed & np.isfinite(e0) & np.isfinite(e1)
    a0 = np.where(observed, e0, np.nan)
    a1 = np.where(observed, e1, np.nan)
    if E0_i is None or E1_i is None:
        E0_i, E1_i = sum_benchmark(e0, e1, observed)
    d = dunn(a0, a1, E0_i, E1_i, E0, E1)
    E0_b = np.broadcast_to(np.asarray(E0_i, dtype=float), e0.shape)
    tot0 = E0_b.sum(axis=-1, keepdims=True) if E0 is None else np.asarray(E0, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        S0 = E0_b / tot0
    em = esteban_marquillas(a0, d["regional_share"], S0, E0_b, tot0)
    out = {"base": a0, "final": a1, "change": a1 - a0}
    out.update(d)
    out.update(em)
    rs = d["regional_share"]
    out["new_industry"] = np.where(np.isfinite(rs), np.where(a0 == 0, rs, 0.0), np.nan)
    return out


def region_totals(cells: dict) -> dict:
    """Sum the cell components of :func:`shift_share` over each region's industries.

    Sums run over cells whose components are defined.  ``competitive`` and ``allocation`` are
    undefined (nan) in cells with ``e⁰ = 0``; their regional share is ``new_industry``, so
    ``national_share + industry_mix + competitive + allocation + new_industry = change``.

    Returns
    -------
    dict of ndarray (n_regions,): :data:`REGION_COMPONENTS` plus ``n_cells`` (cells used
    with activity in either period).
    """
    ok = np.isfinite(cells["regional_share"])

    def s(key):
        v = cells[key]
        return np.where(ok & np.isfinite(v), v, 0.0).sum(axis=1)

    out = {k: s(k) for k in REGION_COMPONENTS}
    # a component within float rounding of the region's size is 0, as a cell's RS is: the
    # industry mix of a region that is the whole benchmark (REAT's Göttingen alone, sum of
    # regions) is 0 in exact arithmetic and summed to -1.1e-12 from cells of ±2,000
    scale = 1e-12 * (np.abs(out["base"]) + np.abs(out["final"]))
    for k in ("national_share", "industry_mix", "regional_share", "competitive", "allocation",
              "new_industry"):
        out[k] = np.where(np.abs(out[k]) <= scale, 0.0, out[k])
    active = ok & ~((cells["base"] == 0) & (cells["final"] == 0))
    out["n_cells"] = active.sum(axis=1)
    return out


def dynamic_shift_share(panel, observed=None, benchmarks=None):
    """Dynamic (chained) shift-share over a panel: the two-period analysis year by year, summed.

    Barff & Knight (1988), Growth and Change 19(2): components computed for each consecutive
    pair of periods and added up, so changes in the industry mix during the span are
    accounted for.  The sums still add up to ``e_last − e_first``.

    Parameters
    ----------
    panel : sequence of ndarray (n_regions, n_industries)
        Periods in order.
    observed : ndarray of bool, optional
        Cells to use; default: finite in every period (so each step uses the same cells).
    benchmarks : sequence of (E_i, E) per period, optional
        Default the sum of the regions over ``observed``.

    Returns
    -------
    steps : list of dict (one :func:`shift_share` result per consecutive pair)
    total : dict of ndarray, the cell components summed over steps (``base`` is the first
        period, ``final`` the last, ``homothetic_base`` the first step's).
    """
    panel = [np.asarray(p, dtype=float) for p in panel]
    if len(panel) < 2:
        raise ValueError("a dynamic shift-share needs at least two periods")
    if observed is None:
        observed = np.logical_and.reduce([np.isfinite(p) for p in panel])
    steps = []
    for t in range(len(panel) - 1):
        if benchmarks is None:
            steps.append(shift_share(panel[t], panel[t + 1], observed))
        else:
            (E0_i, E0), (E1_i, E1) = benchmarks[t], benchmarks[t + 1]
            steps.append(shift_share(panel[t], panel[t + 1], observed, E0_i, E1_i, E0, E1))
    total = {"base": steps[0]["base"], "final": steps[-1]["final"],
             "homothetic_base": steps[0]["homothetic_base"]}
    total["change"] = total["final"] - total["base"]
    for key in ("national_share", "industry_mix", "regional_share"):
        total[key] = np.sum([s[key] for s in steps], axis=0)
    # EM effects exist only in steps that start from e > 0; the regional share of the other
    # steps is summed as new_industry, so the five components still add up to the change.
    ok = np.isfinite(total["regional_share"])
    for key in ("competitive", "allocation", "new_industry"):
        summed = np.sum([np.nan_to_num(s[key], nan=0.0) for s in steps], axis=0)
        total[key] = np.where(ok, summed, np.nan)
    total["growth_national"] = np.full_like(total["base"], np.nan)
    total["growth_industry"] = np.full_like(total["base"], np.nan)
    return steps, total


def revision_groups(codes, pairs, listed_in, level=None, n_periods=None):
    """Industry codes a classification revision split or merged, as groups to compare as one.

    A panel across a revision (QCEW 2016 in NAICS 2012, 2017 in NAICS 2017) lists 454111,
    454112, 454113 in the first period and 454110 in the second: compared code by code, the
    old codes' jobs are all lost (industry mix) and the new one's all gained (new industry).
    The codes linked by the revision's changes are summed into one group in every period so
    that the components compare like with like.

    Parameters
    ----------
    codes : list of str
        The industry codes of the panel (one level).
    pairs : iterable of (old, new)
        Six-digit code changes (a split code has one pair per new code).  At a coarser
        ``level`` both codes are cut to that many digits (452111 -> 452210 links 4521 and
        4522); pairs that then agree are no change.
    listed_in : dict code -> int
        In how many of the panel's periods each code has a row.  A group is formed only where
        the revision shows in the data: two or more of its codes are in the panel and one of
        them is missing from some period (so a panel all in one vintage is left alone).
    level : int, optional
        Digits of the panel's codes; default six.
    n_periods : int, optional
        The panel's number of periods; default the most any code is listed in.

    Returns
    -------
    list of sorted lists of codes (each at least two), sorted by their first code.

    Examples
    --------
    >>> revision_groups(["454111", "454112", "454110", "111110"],
    ...                 [("454111", "454110"), ("454112", "454110"), ("454113", "454110")],
    ...                 {"454111": 1, "454112": 1, "454110": 1, "111110": 2})
    [['454110', '454111', '454112']]
    """
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    n = 6 if level is None else int(level)
    for old, new in pairs:
        a, b = str(old)[:n], str(new)[:n]
        if a != b:
            parent[find(a)] = find(b)
    most = n_periods if n_periods is not None else max(listed_in.values(), default=0)
    comps: dict = {}
    for c in codes:
        if c in parent:
            comps.setdefault(find(c), []).append(c)
    out = [sorted(g) for g in comps.values()
           if len(g) > 1 and any(listed_in.get(c, 0) < most for c in g)]
    return sorted(out)


def combine_columns(values, observed, industries, groups):
    """Sum the industry columns of each group into one; the others kept in order.

    A group's cell is observed only where each member's cell is (a suppressed member makes the
    sum unknown, never a smaller number).  Returns ``(values, observed, labels, members)``:
    the new matrices, the column labels (a group is labelled ``'454110+454111+454112'``) sorted,
    and for each label the list of codes it holds.
    """
    values = np.asarray(values, dtype=float)
    observed = np.asarray(observed, dtype=bool)
    pos = {c: k for k, c in enumerate(industries)}
    in_group = {c for g in groups for c in g}
    cols = [(c, [c]) for c in industries if c not in in_group]
    cols += [("+".join(g), list(g)) for g in groups]
    cols.sort(key=lambda t: t[0])
    v = np.empty(values.shape[:-1] + (len(cols),))
    o = np.empty(v.shape, dtype=bool)
    for k, (_, members) in enumerate(cols):
        idx = [pos[c] for c in members]
        o[..., k] = observed[..., idx].all(axis=-1)
        v[..., k] = np.where(o[..., k], np.where(observed[..., idx], values[..., idx], 0.0)
                             .sum(axis=-1), np.nan)
    return v, o, [c for c, _ in cols], {c: m for c, m in cols}


def combine_benchmark(E_i, industries, labels, members):
    """Benchmark industry totals ``E_i`` (last axis aligned to ``industries``) summed to the
    groups of :func:`combine_columns`; a group's total is unknown (nan) only when every member
    is (a code that did not exist in a period has no benchmark value there, which is 0)."""
    E_i = np.asarray(E_i, dtype=float)
    pos = {c: k for k, c in enumerate(industries)}
    out = np.empty(E_i.shape[:-1] + (len(labels),))
    for k, lab in enumerate(labels):
        part = E_i[..., [pos[c] for c in members[lab]]]
        known = np.isfinite(part)
        out[..., k] = np.where(known.any(axis=-1), np.where(known, part, 0.0).sum(axis=-1),
                               np.nan)
    return out
