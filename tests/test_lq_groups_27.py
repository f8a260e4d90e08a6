"""lq's region totals, benchmark sums and z-scores, worked out per group and gathered to the rows
(session 27, for speed), against the row-by-row formulas they replaced: the same numbers, bit
for bit, on random tables of several measures, ownerships, levels, suppressed cells and
overlapping aggregates, under every denominator rule."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterid import schema
from clusterid.core import lq as core


def _row_region_totals(g, e, valid, is_all, own_total, rule, overlap=None, industry=None):
    """The row-by-row form (session 26's code)."""
    ids_l, n_l = g.ids(*core._RL)
    summed = valid if overlap is None else valid & ~overlap
    level_sum = np.bincount(ids_l, weights=np.where(summed, e, 0.0), minlength=n_l)[ids_l]
    if rule == "sum":
        return level_sum, np.ones(g.n, dtype=np.int8), np.zeros(g.n, dtype=bool)
    if rule == "total":
        ids_t, n_t = g.ids(core.MEASURE, schema.PERIOD, schema.REGION, schema.OWNERSHIP)
        cond = is_all
    else:
        ids_t, n_t = g.ids(core.MEASURE, schema.PERIOD, schema.REGION)
        cond = is_all & own_total
    has = np.zeros(n_t, dtype=bool)
    has[ids_t[cond]] = True
    total = np.full(n_t, np.nan)
    total[ids_t[cond]] = e[cond]
    has_row, total_row = has[ids_t], total[ids_t]
    if rule == "total":
        counted = ~valid if overlap is None else ~valid & ~overlap
        incomplete = (np.bincount(ids_l[counted], minlength=n_l) > 0)[ids_l]
        fallback = ~has_row & incomplete
        region_total = np.where(has_row, total_row, np.where(fallback, np.nan, level_sum))
        if schema.LEVEL in g.codes:
            # (session 29) a finer level summing to less than the region's coarsest level
            # covers part of the region: its total is that level's sum, row by row
            # covers part of the region: its total is that level's sum, or the sum of the
            # region's root codes (no listed code a prefix of theirs) where its open levels'
            # sums differ and that is larger, row by row
            # (session 30) a range listed (44-45, B-E) stands above the codes it holds, rows
            # left out as overlapping stand above nothing and add nothing, a region with a
            # level unknown for a suppressed cell is looked at too, and a suppressed root
            # leaves every open level's total unknown
            from clusterid.core.codes import is_range, range_holds

            level = g.codes[schema.LEVEL].astype(np.int64)
            codes = industry.to_list()
            skipped = np.zeros(g.n, dtype=bool) if overlap is None else overlap
            whole = region_total.copy()
            unknown = np.zeros(g.n, dtype=bool)

            def region_of(i):
                """Row i's region's level groups, the total of its coarsest level, and its
                root codes' rows (no listed code a prefix of theirs or a range holding them;
                None where a listed range holds no code)."""
                mine = [j for j in range(g.n) if ids_t[j] == ids_t[i] and level[j] >= 2]
                top = [j for j in mine if level[j] == min(level[k] for k in mine)]
                listed = {codes[j] for j in mine if not skipped[j]}
                ranges = [c for c in listed if is_range(c)]
                if any(range_holds(c, c) is None for c in ranges):
                    return mine, region_total[top[0]], None
                roots = [j for j in mine if not skipped[j]
                         and not any(codes[j][:k] in listed for k in range(1, len(codes[j])))
                         and not any(range_holds(x, codes[j]) for x in ranges)]
                return mine, region_total[top[0]], roots

            for i in range(g.n):
                if has_row[i] or fallback[i] or level[i] < 2:
                    continue
                mine, best, roots = region_of(i)
                open_ = [j for j in mine if not fallback[j]]
                sums = [region_total[j] for j in open_]
                if (sums and max(sums) > min(sums) * (1.0 + 1e-9)) or any(fallback[j] for j in mine):
                    if roots is not None:
                        if all(valid[j] for j in roots):
                            root_sum = sum(e[j] for j in roots)
                            if not np.isnan(best) and root_sum > best:
                                best = root_sum
                        else:
                            unknown[i] = True
                if not np.isnan(best) and region_total[i] < best * (1.0 - 1e-9):
                    whole[i] = best
            # (session 32) a level unknown for a suppressed cell takes the region's whole where
            # that is known: its coarsest level published (or its roots, if larger), no root
            # withheld, and not below the level's published sum
            for i in range(g.n):
                if not fallback[i] or level[i] < 2:
                    continue
                _mine, best, roots = region_of(i)
                if np.isnan(best):
                    continue
                if roots is not None:
                    if not all(valid[j] for j in roots):
                        continue
                    best = max(best, sum(e[j] for j in roots))
                if best >= level_sum[i] * (1.0 - 1e-9):
                    whole[i] = best
                    fallback[i] = False
            region_total = np.where(unknown, np.nan, whole)
            fallback = fallback | unknown
        source = np.where(has_row, 0, 1).astype(np.int8)
        return region_total, source, (has_row & np.isnan(total_row)) | fallback
    source = np.where(has_row, 0, -1).astype(np.int8)
    return total_row, source, has_row & np.isnan(total_row)


def _row_group_z(g, x, mask):
    ids, n = g.ids(*core._IND, schema.REGION_LEVEL)
    out = ~mask
    count = np.bincount(ids, minlength=n)
    if out.any():
        count -= np.bincount(ids[out], minlength=n)
    count = count.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mean = np.bincount(ids, weights=np.where(mask, x, 0.0), minlength=n) / count
        z = x - mean[ids]
        squares = z * z
        squares[out] = 0.0
        sd = np.sqrt(np.bincount(ids, weights=squares, minlength=n) / (count - 1))
        sd[~((count >= 2) & (sd > core._Z_RTOL * np.maximum(np.abs(mean), 1.0)))] = np.nan
        z /= sd[ids]
    z[out] = np.nan
    return z


@st.composite
def _tables(draw):
    n_regions = draw(st.integers(1, 5))
    industries = ["10", "11", "111", "112", "21", "31-33", "31", "32"]
    rows = []
    for period in draw(st.sampled_from([["2016"], ["2016", "2017"]])):
        for r in range(n_regions):
            for own in draw(st.sampled_from([["total"], ["total", "private"], ["private"]])):
                for ind in industries:
                    if draw(st.integers(0, 4)) == 0:
                        continue  # an industry the region does not list
                    hidden = draw(st.integers(0, 5)) == 0
                    value = None if hidden else float(draw(st.integers(0, 500)))
                    rows.append({schema.PERIOD: period, schema.REGION: f"R{r}",
                                 schema.OWNERSHIP: own, schema.INDUSTRY: ind,
                                 schema.LEVEL: 0 if ind == "10" else 2 if len(ind) == 2 or "-" in ind
                                 else 3,
                                 schema.EMPLOYMENT: value,
                                 schema.status_col(schema.EMPLOYMENT):
                                     schema.SUPPRESSED if hidden else schema.REPORTED})
    if not rows:
        rows.append({schema.PERIOD: "2016", schema.REGION: "R0", schema.OWNERSHIP: "total",
                     schema.INDUSTRY: "11", schema.LEVEL: 2, schema.EMPLOYMENT: 1.0,
                     schema.status_col(schema.EMPLOYMENT): schema.REPORTED})
    return pl.DataFrame(rows, schema_overrides={schema.EMPLOYMENT: pl.Float64,
                                                schema.LEVEL: pl.Int8})


def _cells(frame):
    cells = core._long_cells(frame.lazy(), frame.columns, [schema.EMPLOYMENT]).collect()
    categories: dict = {}
    cells = core._encode(cells, [schema.EMPLOYMENT], categories)
    return cells, categories


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tables(), st.sampled_from(["total", "sum", "all-ownership"]), st.booleans())
def test_region_totals_and_sums_as_row_by_row(frame, rule, with_overlap):
    cells, categories = _cells(frame)
    g = core._Groups(cells)
    e = cells[core.VALUE].to_numpy().astype(np.float64)
    valid = ~np.isnan(e)
    is_all = core._all_industries(cells)
    own_total = (cells[schema.OWNERSHIP] == schema.OWNERSHIP_TOTAL).to_numpy()
    overlap = (core._overlapping_aggregates(cells, g, categories[schema.INDUSTRY].to_list())[0]
               if with_overlap else None)
    got = core._region_totals(g, e, valid, is_all, own_total, rule, overlap,
                              cells[schema.INDUSTRY])
    want = _row_region_totals(g, e, valid, is_all, own_total, rule, overlap,
                              cells[schema.INDUSTRY])
    for a, b in zip(got, want):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)  # NaN where NaN, every other value bit for bit
    region_total, source, _ = got
    E_i, E, count, n_totals = core._sum_of_regions(g, e, valid, region_total, source, rule)
    ids_i, n_i = g.ids(*core._IND, schema.REGION_LEVEL)
    counted = valid & ~np.isnan(region_total)
    want_count = np.bincount(ids_i, weights=counted.astype(np.float64), minlength=n_i)[ids_i]
    want_E_i = np.where(want_count > 0, np.bincount(ids_i, weights=np.where(counted, e, 0.0),
                                                    minlength=n_i)[ids_i], np.nan)
    np.testing.assert_array_equal(count, want_count)
    np.testing.assert_array_equal(E_i, want_E_i)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tables(), st.integers(0, 2**32 - 1))
def test_group_z_as_row_by_row(frame, seed):
    cells, _categories = _cells(frame)
    g = core._Groups(cells)
    rng = np.random.default_rng(seed)
    x = rng.lognormal(size=g.n)
    x[rng.random(g.n) < 0.1] = np.nan
    mask = ~np.isnan(x) & (rng.random(g.n) < 0.9)
    np.testing.assert_array_equal(core._group_z(g, x, mask), _row_group_z(g, x, mask))
