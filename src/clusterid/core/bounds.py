"""Bounds for suppressed cells from what is published, propagated to a fixed point.

A canonical table holds, for each (period, region, ownership), a tree of industry codes whose
children add up to their parent (NAICS: 6 -> 5 -> 4 -> 3 digits -> sector -> all industries),
and often a tree of areas (counties add up to their state; the regions of each other level
of a table to its ``nation`` row, a yearbook's country total kept by ``ingest
--keep-region-totals``).  Where a cell is suppressed, the
published cells around it still bound it:

* parent minus disclosed siblings: ``x_c <= hi(parent) - sum lo(other children)`` and, when the
  children add up exactly, ``x_c >= lo(parent) - sum hi(other children)``;
* children bound a suppressed parent: ``x_p >= sum lo(children)`` (and ``<= sum hi`` when exact);
* an establishment count of 0 means the value is 0; any count means the value is >= 0;
* bounds the source already gives in ``<m>_lower/_upper``: CBP's employment-size flags (A-M)
  intersected, by the CBP reader, with what the establishment counts by employment-size class
  imply (``sum n_class x class_min <= emp <= sum n_class x class_max``, open above while a
  1,000+ / 5,000+ establishment is in the cell; ``n<5`` / ``n1_4`` from 0, for Census's "1 to 4"
  size group "includes establishments that did not report any paid employees in the mid-March
  pay period but paid wages to at least one employee at some time during the year" -- CBP
  technical documentation, glossary "Number of establishments"; class columns as in Census's
  CBP county / state record layouts, ``N<5`` ... ``N500_999``, ``N1000`` and its parts
  ``N1000_1`` 1,000-1,499, ``N1000_2`` 1,500-2,499, ``N1000_3`` 2,500-4,999, ``N1000_4`` 5,000+);
* the private total cannot exceed the all-ownership total of the same area.

Each rule tightens a bound only; applying them all repeatedly (up and down both trees) reaches a
fixed point, which is the tightest box these rules imply.  Where a cell's own bounds (flags, size
classes, establishments) miss what its published neighbours leave it, the neighbours' bounds are
dropped for it, its own kept, and a note counts such cells (:func:`propagate`); flags and size
classes that miss each other are counted by the CBP reader, which keeps the flag's range.

Whether a family of groups adds up *exactly* is read from the data, not assumed: for each kind of
link (industry level L -> parent level, sub-area -> area, ownership -> total) the fully published
groups are checked.  All within rounding -> equality; children never above the parent ->
"at most" (e.g. a table without QCEW's unclassified sector 99, or only some ownerships); else the
link is not used and a note says so.  A single group whose children hold fewer establishments
than its parent (an excerpt of some codes) is "at most" whatever its kind.  A table published
rounded (thousands with one decimal) adds up only within rounding: where its fully published
groups miss their parent both ways by no more than ``n_children x step/2 + step/2``, every
link holds within that tolerance (:func:`_published_step`, :func:`rounding_tol`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from clusterid import schema

EXACT = "exact"
AT_MOST = "at_most"
UNUSED = "unused"

# Relative tolerance for "adds up exactly" (quarterly averages are thirds; floats sum with noise).
REL_TOL = 1e-6
ABS_TOL = 0.01

_CELL = "__cell"
_PARENT = "__parent"
_KIND = "__kind"


@dataclass
class Structure:
    """The cells of one measure as flat arrays, and the adding-up groups linking them.

    ``known`` cells have a published value; the others are unknown (suppressed or estimated).
    Group ``g`` says ``sum(x[children of g]) == x[parent[g]]`` (``exact[g]``) or ``<=``.
    Children of all groups are listed in ``child`` with their group in ``child_group``.
    """

    n: int
    value: np.ndarray
    known: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    establishments: np.ndarray | None
    parent: np.ndarray
    exact: np.ndarray
    kind: np.ndarray  # index into ``kinds``
    kinds: list[str]
    child: np.ndarray
    child_group: np.ndarray
    notes: list[str] = field(default_factory=list)
    link_status: dict[str, str] = field(default_factory=dict)
    contradicted: np.ndarray | None = None  # cells whose published neighbours contradict
    # per group, how far the children's sum may stray from the parent both ways: 0 but in a
    # table published rounded (:func:`_published_step`), where it is n_children x step/2 + step/2
    tol: np.ndarray | None = None
    step: float | None = None  # the rounding step of a rounded table, else None

    def group_tol(self) -> np.ndarray:
        """:attr:`tol`, zeros when the table is not rounded."""
        return self.tol if self.tol is not None else np.zeros(len(self.parent))


def _parent_links(df):
    """(child cell, parent cell, kind label) for industry, area and ownership links."""
    import polars as pl

    from clusterid.core import codes

    keys = [schema.PERIOD, schema.REGION, schema.OWNERSHIP, schema.INDUSTRY]
    cells = df.select([_CELL, *keys, schema.LEVEL, schema.CLASSIFICATION, schema.REGION_LEVEL])
    # A NACE section aggregate (B-E) is a sibling of the sections only where it overlaps none
    # of them: REAT's and Destatis' A, B-E, F, G-I ... partition the total; Eurostat's B-E
    # beside C does not, so there it links to nothing but its parts.  Likewise a division
    # range (C10-C12) beside its divisions (sbs_r_nuts06_r2): as a child of C beside C10 it
    # would count that employment twice in C's adding-up.
    nace1 = (pl.col(schema.CLASSIFICATION) == schema.NACE) & pl.col(schema.LEVEL).is_in([1, 2])
    present = {c: codes.nace_cover(c)
               for c in cells.filter(nace1.fill_null(False))[schema.INDUSTRY].unique().to_list()}
    present = {c: v for c, v in present.items() if v}
    overlapping = sorted(c for c, v in present.items() if len(v) > 1
                         and any(o != c and v & w for o, w in present.items()))
    aggregate = (pl.col(schema.CLASSIFICATION) == schema.NACE) & pl.col(schema.INDUSTRY).is_in(overlapping)
    # NACE-R1.1's aggregates of sections (Eurostat's nace_r1 C-E, A_B beside D, A): linked to
    # nothing, as they overlap the sections published beside them
    aggregate = aggregate | ((pl.col(schema.CLASSIFICATION) == schema.NACE_R11)
                             & pl.col(schema.INDUSTRY).str.contains(codes._R11_AGG_RE.pattern))
    usable = cells.filter(pl.col(schema.LEVEL).is_not_null() & ~aggregate.fill_null(False))
    lookup = usable.select([*keys, pl.col(_CELL).alias(_PARENT), pl.col(schema.LEVEL).alias("__plevel")])
    links = []

    # Industry: the nearest ancestor present in the same (period, region, ownership).
    todo = usable.filter(pl.col(schema.LEVEL) > 0)
    # NAICS's sector ranges beside their parts (31-33 beside 31, 32, 33: a generic or BEA
    # table; codes.cover): where a region lists both, a part hangs from its range and a
    # 3-digit code from its part, not each from the total beside the range (that counted
    # manufacturing twice in the total's adding-up).  Tables holding only the ranges or only
    # the parts keep the classification's own chain.
    # (a parent's cell found by its code, "__pcode", in the same period, region and ownership)
    parents, on_parent = (lookup.rename({schema.INDUSTRY: "__pcode"}),
                          [schema.PERIOD, schema.REGION, schema.OWNERSHIP, "__pcode"])

    def hung(todo, parts: list, whole, kind: str):
        """``todo`` less the NAICS cells of codes ``parts`` hung from the cell of their whole
        (``whole``: the code's, an expression) where the region lists it, linked as ``kind``."""
        is_part = ((pl.col(schema.CLASSIFICATION) == schema.NAICS)
                   & pl.col(schema.INDUSTRY).is_in(parts)).fill_null(False)
        joined = (todo.filter(is_part).with_columns(whole.alias("__pcode"))
                  .join(parents, on=on_parent, how="inner"))
        if joined.height:
            links.append(joined.select(_CELL, _PARENT, pl.lit(kind).alias(_KIND)))
            todo = todo.join(joined.select(_CELL), on=_CELL, how="anti")
        return todo

    part_codes = _naics_parts_beside_range(usable)
    if part_codes:
        todo = hung(todo, part_codes, pl.col(schema.INDUSTRY).replace(codes.NAICS_RANGES),
                    "industry part->range")
    # a union of NAICS sectors (StatCan's [41, 44-45]: 41+44-45) beside its parts: where a
    # region lists both, each part (41, 44-45) hangs from the union, the union from the total
    # (each part from the total beside it counted wholesale and retail twice in its adding-up)
    union_of = _naics_parts_beside_union(usable)
    if union_of:
        todo = hung(todo, list(union_of),
                    pl.col(schema.INDUSTRY).replace_strict(union_of, default=None),
                    "industry part->union")
    max_level = int(todo[schema.LEVEL].max()) if todo.height else 0
    for step in range(1, max_level + 1):
        if todo.height == 0:
            break
        target = (pl.col(schema.LEVEL) - step).cast(pl.Int8)
        todo = todo.with_columns(target.alias("__target"))
        pieces = []
        for to_level in sorted(todo["__target"].unique().to_list()):
            part = todo.filter(pl.col("__target") == to_level)
            if to_level < 0:
                continue
            pieces.append(part.with_columns(codes.parent_expr(int(to_level)).alias("__pcode")))
        if not pieces:
            break
        cand = pl.concat(pieces)
        if part_codes:  # 311 under 31 where the region lists it, else under 31-33
            via_part = ((pl.col("__target") == 2) & (pl.col(schema.CLASSIFICATION) == schema.NAICS)
                        & pl.col(schema.INDUSTRY).str.slice(0, 2).is_in(part_codes)).fill_null(False)
            cand = cand.with_columns(
                pl.when(via_part).then(pl.col("__pcode")).alias("__alt"),
                pl.when(via_part).then(pl.col(schema.INDUSTRY).str.slice(0, 2))
                .otherwise(pl.col("__pcode")).alias("__pcode"))
        joined = cand.join(parents, on=on_parent, how="left")
        if part_codes:
            retry = pl.col(_PARENT).is_null() & pl.col("__alt").is_not_null()
            again = (joined.filter(retry).select(cand.columns)
                     .with_columns(pl.col("__alt").alias("__pcode"))
                     .join(parents, on=on_parent, how="left"))
            joined = pl.concat([joined.filter(~retry), again.select(joined.columns)])
        found = joined.filter(pl.col(_PARENT).is_not_null() & (pl.col("__plevel") < pl.col(schema.LEVEL)))
        links.append(found.select(
            _CELL, _PARENT,
            pl.format("industry L{}->L{}", pl.col(schema.LEVEL), pl.col("__plevel")).alias(_KIND)))
        todo = joined.filter(pl.col(_PARENT).is_null()).select(usable.columns)

    if overlapping:
        links.extend(_aggregate_links(cells.filter(nace1.fill_null(False)), present))

    # Area: a county (5-digit FIPS, not ending 000) inside its state (first two digits + 000);
    # the unallocated areas (QCEW xx999 "Unknown Or Undefined", CBP 999 "Statewide") are parts
    # of their state too
    region = pl.col(schema.REGION)
    is_county = (
        pl.col(schema.REGION_LEVEL).is_in(["county", schema.UNALLOCATED])
        | (pl.col(schema.REGION_LEVEL).is_null() & region.str.contains(r"^\d{5}$") & ~region.str.ends_with("000"))
    ).fill_null(False)
    counties = usable.filter(is_county).with_columns((region.str.slice(0, 2) + "000").alias("__preg"))
    if counties.height:
        found = counties.join(
            lookup.rename({schema.REGION: "__preg"}),
            on=[schema.PERIOD, "__preg", schema.OWNERSHIP, schema.INDUSTRY], how="inner")
        if found.height:
            links.append(found.select(_CELL, _PARENT, pl.lit("area county->state").alias(_KIND)))

    # Area, outside the US: a German Kreis inside its Regierungsbezirk and Land (AGS prefixes),
    # a NUTS region inside the NUTS regions above it (code prefixes), when the table holds them.
    rlevel = pl.col(schema.REGION_LEVEL)
    for child_level, parents in _AREA_PARENTS.items():
        below = usable.filter(rlevel == child_level)
        if not below.height:
            continue
        for parent_level, width in parents:
            above = usable.filter(rlevel == parent_level)
            if not above.height:
                continue
            start = region.str.slice(0, width)
            if parent_level == "oblast" and above[schema.REGION].str.len_chars().min() == 9:
                # KATO's nine digits (io.readers.region_nesting): district 113200000's oblast
                # is 110000000, its first two digits and zeros
                start = start + pl.lit("0" * 7)
            found = below.with_columns(start.alias("__preg")).join(
                above.select([*keys, pl.col(_CELL).alias(_PARENT)]).rename({schema.REGION: "__preg"}),
                on=[schema.PERIOD, "__preg", schema.OWNERSHIP, schema.INDUSTRY], how="inner")
            if found.height:
                links.append(found.select(
                    _CELL, _PARENT, pl.lit(f"area {child_level}->{parent_level}").alias(_KIND)))

    # Area: the regions of each other level inside the nation row (a yearbook's country total
    # kept by ingest --keep-region-totals, KATO's republic over its oblasts), each level a kind
    # of its own, judged on its own evidence: Rosstat lists its federal districts among the
    # subjects, and each of the two adds up to the Russian Federation.
    # US levels are left out: their nation (US000) is not the sum of the states QCEW lists
    # (Puerto Rico, the Virgin Islands), and their own links are the FIPS ones above.
    nation = usable.filter(rlevel == "nation")
    if nation.height and nation[schema.REGION].n_unique() == 1:
        others = usable.filter((rlevel != "nation").fill_null(True)
                               & ~rlevel.is_in(list(schema.NON_PLACE_LEVELS)).fill_null(False))
        below = others[schema.REGION_LEVEL].unique().to_list()
        if not any(lv in _US_LEVELS for lv in below):
            found = others.join(
                nation.select(schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY,
                              pl.col(_CELL).alias(_PARENT)),
                on=[schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY], how="inner")
            if found.height:
                links.append(found.select(
                    _CELL, _PARENT, pl.format("area {}->nation", pl.col(schema.REGION_LEVEL)
                                              .fill_null("region")).alias(_KIND)))

    # Ownership: any ownership inside the all-ownership total of the same cell.
    owned = usable.filter(pl.col(schema.OWNERSHIP) != schema.OWNERSHIP_TOTAL)
    if owned.height:
        found = owned.join(
            lookup.rename({schema.OWNERSHIP: "__pown"}).filter(pl.col("__pown") == schema.OWNERSHIP_TOTAL),
            on=[schema.PERIOD, schema.REGION, schema.INDUSTRY], how="inner")
        if found.height:
            links.append(found.select(_CELL, _PARENT, pl.lit("ownership ->total").alias(_KIND)))
    if not links:
        return pl.DataFrame({_CELL: [], _PARENT: [], _KIND: []},
                            schema={_CELL: pl.UInt32, _PARENT: pl.UInt32, _KIND: pl.String})
    return pl.concat([x.with_columns(pl.col(_CELL).cast(pl.UInt32), pl.col(_PARENT).cast(pl.UInt32))
                      for x in links])


def _naics_parts_beside_range(cells) -> list[str]:
    """The NAICS sector-range parts (``31``, ``44`` ...) the table lists beside their range
    (``31-33``), in some region or another (:func:`clusterid.core.codes.code_parts`)."""
    import polars as pl

    from clusterid.core import codes

    naics = cells.filter((pl.col(schema.CLASSIFICATION) == schema.NAICS)
                         & (pl.col(schema.LEVEL) == 2))
    if naics.height == 0:
        return []
    listed = naics[schema.INDUSTRY].unique().to_list()
    return sorted(p for r, parts in codes.code_parts(listed).items()
                  if r in codes.NAICS_RANGE_PARTS for p in parts)


def _naics_parts_beside_union(cells) -> dict[str, str]:
    """``{part: union}``: the direct parts (``41``, ``44-45``; not ``44`` beside ``44-45``) of
    each union of NAICS sectors (``41+44-45``, :func:`clusterid.core.codes.naics_union_parts`)
    the table lists beside it, in some region or another; a part of two unions is left out."""
    import polars as pl

    from clusterid.core import codes

    naics = cells.filter((pl.col(schema.CLASSIFICATION) == schema.NAICS) & (pl.col(schema.LEVEL) == 2))
    listed = naics[schema.INDUSTRY].unique().to_list() if naics.height else []
    unions = [c for c in listed if codes.naics_union_parts(c)]
    if not unions:
        return {}
    found = codes.covers(listed)
    out: dict[str, str] = {}
    twice: set[str] = set()
    for union, parts in codes.code_parts(listed).items():
        if union not in unions:
            continue
        for p in parts:
            if any(found[p] < found[q] for q in parts if q != p):
                continue  # 44 beside 44-45: it hangs from its range
            if p in out:
                twice.add(p)
            out[p] = union
    return {p: u for p, u in out.items() if p not in twice}


# Region levels whose codes nest by prefix (ingest labels them): child level -> (parent level,
# length of the parent's code).  German AGS: Land 2 digits, Regierungsbezirk 3, Kreis 5,
# Gemeinde 8; NUTS: country 2 characters, then one more per level.
_AREA_PARENTS = {
    "gemeinde": (("kreis", 5), ("regierungsbezirk", 3), ("land", 2)),
    "gemeindeverband": (("kreis", 5), ("regierungsbezirk", 3), ("land", 2)),
    "kreis": (("regierungsbezirk", 3), ("land", 2)),
    "regierungsbezirk": (("land", 2),),
    "nuts3": (("nuts2", 4), ("nuts1", 3), ("nuts0", 2)),
    "nuts2": (("nuts1", 3), ("nuts0", 2)),
    "nuts1": (("nuts0", 2),),
    # a state's or oblast's two digits beside its counties' or districts' codes under a plain
    # heading (io.readers.region_nesting; QCEW's 49000 is linked by FIPS below), and codes
    # levelled by their length, each inside the shorter codes it begins
    "county": (("state", 2),),
    "district": (("oblast", 2),),
    **{f"{n}-digit": tuple((f"{m}-digit", m) for m in range(n - 2, 1, -1)) for n in range(4, 13)},
}


# The US region levels the QCEW, CBP and generic readers write (levels.ALIASES): linked by FIPS.
_US_LEVELS = frozenset({"state", "county", "msa", "csa", "microsa", "cbsa", "national-subgroup"})


def _aggregate_links(sections, present: dict):
    """Eurostat's section aggregates as parents of the sections and smaller aggregates of the
    same (period, region, ownership) that they contain: ``K-N`` over ``K``, ``L``, ``M_N`` (a
    confidential ``L`` is then pinned by the published three), ``B-E`` over ``C``.  Only the
    largest parts under an aggregate are its children (``G-J`` over ``G-I`` and ``J``, not
    also over ``G``), so none is counted twice.  Parts that cover the aggregate's sections are
    one kind of link (checked to add up exactly), parts that do not another ("at most")."""
    import polars as pl

    keys = [schema.PERIOD, schema.REGION, schema.OWNERSHIP]
    combos = sections.group_by(keys).agg(pl.col(schema.INDUSTRY).sort().alias("__codes"))
    plans: dict[tuple, list] = {}
    for codes_here in combos["__codes"].unique().to_list():
        here = [c for c in codes_here if c in present]
        rows = []
        for agg in here:
            whole = present[agg]
            inside = [c for c in here if c != agg and present[c] < whole]
            top = [c for c in inside if not any(present[c] < present[o] for o in inside)]
            if not top:
                continue
            covered = frozenset().union(*(present[c] for c in top))
            kind = "industry sections->aggregate" if covered == whole else "industry part->aggregate"
            rows.extend((c, agg, kind) for c in top)
        plans[tuple(codes_here)] = rows
    plan = pl.DataFrame(
        [{"__codes": list(k), schema.INDUSTRY: c, "__pcode": a, _KIND: kind}
         for k, rows in plans.items() for c, a, kind in rows],
        schema={"__codes": pl.List(pl.String), schema.INDUSTRY: pl.String, "__pcode": pl.String,
                _KIND: pl.String})
    if plan.height == 0:
        return []
    child = (sections.join(combos, on=keys, how="left")
             .join(plan, on=["__codes", schema.INDUSTRY], how="inner"))
    parent = sections.select(*keys, pl.col(schema.INDUSTRY).alias("__pcode"),
                             pl.col(_CELL).alias(_PARENT))
    found = child.join(parent, on=[*keys, "__pcode"], how="inner")
    return [found.select(_CELL, _PARENT, _KIND)] if found.height else []


def _published_step(value, known) -> float | None:
    """The rounding step of a table published rounded: the largest power of ten dividing
    every published non-zero value (100 for thousands of persons with one decimal, written in
    persons), when it is not 1.  None for whole counts (QCEW, CBP, the Bundesagentur's
    employees: exact, not rounded) and for values no power of ten from 1e-6 divides (QCEW's
    quarterly averages, thirds)."""
    v = np.abs(value[known & np.isfinite(value) & (value != 0)])
    if v.size == 0:
        return None

    def divides(x, step) -> bool:
        # each a whole, non-zero number of steps (float noise of '1 203,4' x 1000 allowed)
        q = x / step
        return bool(np.all((np.round(q) >= 1) & (np.abs(q - np.round(q)) <= 1e-6)))

    head = v[:4096]  # a step the first values refute is refuted without a pass over them all
    for e in range(9, -7, -1):
        step = 10.0 ** e
        if divides(head, step) and divides(v, step):
            return None if e == 0 else step
    return None


def rounding_tol(n_children, step: float | None) -> np.ndarray:
    """How far n rounded children may sum from their rounded parent: ``n x step/2 + step/2``
    (each published figure within half a step of its unrounded value)."""
    n = np.asarray(n_children, dtype=float)
    return np.zeros(n.shape) if not step else n * step / 2.0 + step / 2.0


def _balance(parent, child, child_group, value, known):
    """Per group of links: ``(full, diff, tol)`` -- whether the parent and every child are
    published, the parent minus its children's sum where they are (else 0), and the tolerance
    of that difference (:data:`REL_TOL` of the parent plus :data:`ABS_TOL`), before any
    rounding step.  What :func:`_link_kinds` judges each kind on, and :func:`_local_breaks`
    each place."""
    n_groups = len(parent)
    child_known = known[child]
    sums = np.bincount(child_group, weights=np.where(child_known, value[child], 0.0),
                       minlength=n_groups)
    n_unknown = np.bincount(child_group, weights=(~child_known).astype(float), minlength=n_groups)
    full = (n_unknown == 0) & known[parent]
    pv = value[parent]
    diff = np.where(full, pv - sums, 0.0)
    tol = REL_TOL * np.abs(np.where(full, pv, 0.0)) + ABS_TOL
    return full, diff, tol


def _link_kinds(parent, kind, child, child_group, value, known, unproven=frozenset(),
                step: float | None = None):
    """Decide per kind of link whether its groups add up exactly, at most, or not at all.

    A kind none of whose groups is fully published cannot be checked: it is taken to add up
    exactly (the NAICS tree and US counties in their state do, by construction), except the
    kinds in ``unproven`` (kind indices), which are only "at most" without evidence.

    ``step``: the table's rounding step (:func:`_published_step`).  Where some kind's fully
    published groups miss their parent both ways -- children above it somewhere -- but every
    one within :func:`rounding_tol`, the table is taken as rounded and every kind is judged
    within that tolerance.  Returns ``(status by kind, rounded)``."""
    n_groups = len(parent)
    full, diff, tol = _balance(parent, child, child_group, value, known)
    n_kinds = int(kind.max()) + 1 if n_groups else 0
    rounded = False
    if step:
        rtol = np.maximum(tol, rounding_tol(np.bincount(child_group, minlength=n_groups), step))
        for k in range(n_kinds):
            sel = (kind == k) & full
            if (sel.any() and np.any(diff[sel] < -tol[sel])
                    and np.all(np.abs(diff[sel]) <= rtol[sel])):
                rounded = True
                break
        if rounded:
            tol = rtol
    status = {}
    for k in range(n_kinds):
        sel = (kind == k) & full
        if not sel.any():
            status[k] = AT_MOST if k in unproven else EXACT
        elif np.all(np.abs(diff[sel]) <= tol[sel]):
            status[k] = EXACT
        elif np.all(diff[sel] >= -tol[sel]):
            status[k] = AT_MOST
        else:
            status[k] = UNUSED
    return status, rounded


def _local_breaks(parent, kind, child, child_group, value, known, step, status, place):
    """Narrow a kind of link found broken (``UNUSED``: some fully published group's children
    exceed their parent) to the places where it breaks.

    ``place``: per cell, its period and region (``"2016Q1 49003"``); a group's place is its
    parent's.  For each unused kind, the groups in a place where one of its groups breaks are
    left out, and the kind is judged again on its fully published groups elsewhere (exact where
    they all add up, else at most).  One county's children above its parent had taken the
    kind's equality from every other region and period -- their suppressed cells bounded from
    above only, or not at all.  Where no fully published group is left elsewhere, the kind
    stays unused everywhere (there is no evidence that it holds anywhere).  ``step``: the
    rounding step of a table taken as rounded (:func:`_link_kinds`), else None.

    Returns ``(status by kind, groups left out, the places left out per narrowed kind)``.
    """
    n_groups = len(parent)
    full, diff, tol = _balance(parent, child, child_group, value, known)
    if step:
        tol = np.maximum(tol, rounding_tol(np.bincount(child_group, minlength=n_groups), step))
    over = full & (diff < -tol)
    group_place = place[parent]
    status = dict(status)
    dropped = np.zeros(n_groups, dtype=bool)
    at: dict[int, list[str]] = {}
    for k, s in sorted(status.items()):
        if s != UNUSED:
            continue
        of_kind = kind == k
        bad = np.unique(group_place[of_kind & over])
        there = of_kind & np.isin(group_place, bad)
        evidence = of_kind & ~there & full
        if not evidence.any():
            continue
        status[k] = EXACT if np.all(np.abs(diff[evidence]) <= tol[evidence]) else AT_MOST
        dropped |= there
        at[k] = [str(b) for b in bad]
    return status, dropped, at


def build_structure(df, measure: str = schema.EMPLOYMENT) -> Structure:
    """Flatten a canonical DataFrame (row order kept) into a :class:`Structure` for ``measure``."""
    import polars as pl

    names = df.columns
    n = df.height
    df = df.with_row_index(_CELL)
    raw = df[measure].cast(pl.Float64).to_numpy()
    value = np.where(np.isnan(raw), np.nan, raw) if raw.dtype.kind == "f" else raw.astype(float)
    # reported values and a source's own estimates (Eurostat's e) are published; a cell
    # clusterid imputed (it keeps its bounds) is unknown again
    known = ~np.isnan(value) & df.select(schema.published(measure, names)).to_series().to_numpy()
    lower = np.zeros(n)
    upper = np.full(n, np.inf)
    if schema.lower_col(measure) in names:
        lo_src = df[schema.lower_col(measure)].cast(pl.Float64).fill_null(0.0).to_numpy()
        lower = np.maximum(lower, lo_src)
    if schema.upper_col(measure) in names:
        hi_src = df[schema.upper_col(measure)].cast(pl.Float64).fill_null(np.inf).to_numpy()
        upper = np.minimum(upper, hi_src)
    est = None
    if schema.ESTABLISHMENTS in names and measure != schema.ESTABLISHMENTS:
        est = df[schema.ESTABLISHMENTS].cast(pl.Float64).fill_null(np.nan).to_numpy()
        zero = (est == 0) & ~known
        upper = np.where(zero, 0.0, upper)
    lower = np.where(known, value, lower)
    upper = np.where(known, value, upper)

    for col, default in ((schema.LEVEL, None), (schema.CLASSIFICATION, schema.NAICS),
                         (schema.REGION_LEVEL, None)):
        if col not in names:
            df = df.with_columns(pl.lit(default).alias(col))
    links = _parent_links(df)
    # Groups: one per (parent cell, kind).
    links = links.with_columns(pl.col(_KIND).cast(pl.Categorical))
    kind_names = sorted(links[_KIND].unique().cast(pl.String).to_list())
    kind_index = {k: i for i, k in enumerate(kind_names)}
    links = links.with_columns(pl.col(_KIND).cast(pl.String).replace_strict(kind_index, return_dtype=pl.Int32).alias("__k"))
    groups = links.select(_PARENT, "__k").unique().sort(_PARENT, "__k").with_row_index("__g")
    links = links.join(groups, on=[_PARENT, "__k"], how="left").sort("__g", _CELL)
    parent = groups[_PARENT].to_numpy().astype(np.int64)
    kind = groups["__k"].to_numpy().astype(np.int64)
    child = links[_CELL].to_numpy().astype(np.int64)
    child_group = links["__g"].to_numpy().astype(np.int64)

    # Kinds that need not add up: NACE / national codes (a table may list some sections only,
    # and an industry suppressed in every region leaves nothing to check them on) and the
    # German and NUTS area links (a table rarely holds every Kreis of a Land).
    not_naics = (df[schema.CLASSIFICATION].fill_null("") != schema.NAICS).to_numpy()
    child_not_naics = np.bincount(kind[child_group], weights=not_naics[child].astype(float),
                                  minlength=len(kind_names)) > 0
    unproven = {k for k, name in enumerate(kind_names)
                if name != "industry sections->aggregate"
                and ((name.startswith("industry") and child_not_naics[k])
                     or (name.startswith("area") and name != "area county->state"))}
    step = _published_step(value, known)
    status_by_kind, rounded = _link_kinds(parent, kind, child, child_group, value, known,
                                          unproven, step)
    broken = np.zeros(len(parent), dtype=bool)
    broken_at: dict[int, list[str]] = {}
    if UNUSED in status_by_kind.values():
        place = df.select(pl.concat_str([pl.col(schema.PERIOD).cast(pl.String),
                                         pl.col(schema.REGION).cast(pl.String)], separator=" ")
                          .fill_null("")).to_series().to_numpy()
        status_by_kind, broken, broken_at = _local_breaks(
            parent, kind, child, child_group, value, known, step if rounded else None,
            status_by_kind, place)
    notes = []
    link_status = {}
    if rounded:
        # (',.15g': 1,000,000 and 500,000, not '1e+06' beside '500000')
        notes.append(f"{measure} is published rounded (to {step:,.15g}): its links add up within "
                     f"rounding, n_children x {step / 2:,.15g} + {step / 2:,.15g} either way")
    for k, name in enumerate(kind_names):
        link_status[name] = status_by_kind.get(k, EXACT)
        if link_status[name] == UNUSED:
            notes.append(f"links {name}: published children exceed their parent; not used")
        elif k in broken_at:
            where = broken_at[k]
            notes.append(f"links {name}: published children exceed their parent in "
                         f"{len(where)} region-period{'s' if len(where) > 1 else ''} ("
                         + ", ".join(where[:5]) + (" ..." if len(where) > 5 else "")
                         + "); not used there, used elsewhere")
    exact = np.array([status_by_kind.get(int(k), EXACT) == EXACT for k in kind], dtype=bool)
    if est is not None and len(parent):
        # A group whose children hold fewer establishments than their parent lacks children
        # (an excerpt, a download of some codes): its parent minus the listed siblings is only
        # an upper bound.  Establishment counts are published for suppressed cells too, and add
        # up exactly in full QCEW files (every industry and area group of Utah's 2016 by-area
        # files and of the odd-state county panel), so a complete group keeps its equality.
        est_sum = np.bincount(child_group, weights=np.nan_to_num(est[child]), minlength=len(parent))
        est_gap = np.bincount(child_group, weights=np.isnan(est[child]).astype(float),
                              minlength=len(parent)) == 0
        short = exact & est_gap & (est_sum < est[parent] - 0.5)
        if short.any():
            exact &= ~short
            notes.append(f"{int(short.sum())} groups list children with fewer establishments "
                         "than their parent (not all its industries or areas are in the table): "
                         "there the parent only bounds them from above")
    keep_group = np.array([status_by_kind.get(int(k), EXACT) != UNUSED for k in kind], dtype=bool)
    keep_group &= ~broken
    if not keep_group.all():
        new_id = np.cumsum(keep_group) - 1
        keep_child = keep_group[child_group]
        child, child_group = child[keep_child], new_id[child_group[keep_child]]
        parent, kind, exact = parent[keep_group], kind[keep_group], exact[keep_group]
    tol = None
    if rounded:
        tol = rounding_tol(np.bincount(child_group, minlength=len(parent)), step)
    return Structure(n=n, value=value, known=known, lower=lower, upper=upper, establishments=est,
                     parent=parent, exact=exact, kind=kind, kinds=kind_names, child=child,
                     child_group=child_group, notes=notes, link_status=link_status,
                     tol=tol, step=step if rounded else None)


# A bound moves only when it tightens by more than this (relative to the value, plus an
# absolute floor): float noise around cycles (industry x area) must not creep for ever.
MOVE_REL = 1e-9
MOVE_ABS = 1e-7


def propagate(st: Structure, max_iter: int = 200) -> int:
    """Tighten ``st.lower``/``st.upper`` of unknown cells to a fixed point; return the rounds.

    Known cells never move, and a bound moves only by more than rounding noise.  Where the
    published figures contradict each other (a lower bound would pass the upper one) the lower
    bound stops at the upper one and a note counts the cells.
    """
    lo, hi = st.lower, st.upper
    unknown = ~st.known
    parent, child, gid, exact = st.parent, st.child, st.child_group, st.exact
    n_groups = len(parent)
    if n_groups == 0:
        return 0
    exact_child = exact[gid]
    u_child = unknown[child]
    u_parent = unknown[parent]
    # a rounded table's groups add up within a tolerance (none elsewhere: the arithmetic below
    # is then the exact one, unchanged)
    gtol = st.tol if st.tol is not None and st.tol.any() else None
    contradicted = np.zeros(st.n, dtype=bool)
    first_lo, first_hi = lo.copy(), hi.copy()
    rounds = 0
    with np.errstate(invalid="ignore", over="ignore"):
        for rounds in range(1, max_iter + 1):
            clo = lo[child]
            chi = hi[child]
            c_inf = np.isinf(chi)
            chi_fin = np.where(c_inf, 0.0, chi)
            s_lo = np.bincount(gid, weights=clo, minlength=n_groups)
            s_hi = np.bincount(gid, weights=chi_fin, minlength=n_groups)
            n_inf = np.bincount(gid, weights=c_inf.astype(float), minlength=n_groups)
            new_lo = lo.copy()
            new_hi = hi.copy()
            # Parent from children.
            if gtol is None:
                np.maximum.at(new_lo, parent[u_parent], s_lo[u_parent])
            else:
                np.maximum.at(new_lo, parent[u_parent], (s_lo - gtol)[u_parent])
            ok = u_parent & exact & (n_inf == 0)
            np.minimum.at(new_hi, parent[ok], s_hi[ok] if gtol is None else (s_hi + gtol)[ok])
            # Children from parent and siblings (using this round's starting values).
            p_lo = lo[parent][gid]
            p_hi = hi[parent][gid]
            if gtol is not None:  # the parent's reach: published value give or take rounding
                p_lo = p_lo - gtol[gid]
                p_hi = p_hi + gtol[gid]
            cand_hi = p_hi - (s_lo[gid] - clo)
            np.minimum.at(new_hi, child[u_child], cand_hi[u_child])
            others_inf = n_inf[gid] - c_inf
            ok = u_child & exact_child & (others_inf == 0)
            cand_lo = p_lo - (s_hi[gid] - chi_fin)
            np.maximum.at(new_lo, child[ok], cand_lo[ok])
            step = MOVE_REL * (1.0 + np.abs(np.where(np.isfinite(hi), hi, lo))) + MOVE_ABS
            active = unknown & ~contradicted
            up = active & (new_lo > lo + step)
            down = active & (new_hi < hi - step)
            if not (up.any() or down.any()):
                break
            lo[up] = new_lo[up]
            hi[down] = new_hi[down]
            crossed = unknown & (lo > hi)
            if crossed.any():
                # Rounding: meet in the middle.  A real contradiction: keep the lower bound,
                # fix the cell there and stop moving it (else the conflict feeds on itself).
                real = crossed & (lo - hi > 1e-6 * (1.0 + np.abs(hi)) + 1e-4)
                contradicted |= real
                hi[real] = lo[real]
                noise = crossed & ~real
                mid = (lo[noise] + hi[noise]) / 2.0
                lo[noise] = mid
                hi[noise] = mid
    if contradicted.any():
        # No value fits every published figure around these cells: fall back to the bounds
        # they have on their own (source flags, establishments) and let the caller know.
        lo[contradicted] = first_lo[contradicted]
        hi[contradicted] = first_hi[contradicted]
        st.notes.append(f"{int(contradicted.sum())} suppressed cells have contradictory bounds "
                        "(published children exceed a parent, or the cell's own bounds -- "
                        "size flags or classes, establishments -- miss what its published "
                        "neighbours leave): only their own bounds are kept")
    st.contradicted = contradicted
    np.maximum(lo, 0.0, out=lo, where=unknown & (lo < 0) & (lo > -MOVE_ABS))
    return rounds


def consistent_points(st: Structure, max_rounds: int = 50) -> np.ndarray:
    """A point value for every cell inside its bounds that keeps the industry adding-up.

    ``--suppressed bounds`` counted each suppressed cell at the midpoint of its bounds; three
    suppressed siblings sharing a published remainder R each have bounds [0, R], so their
    midpoints add up to 1.5 R: New Hampshire's county clusters came to 180% of the county's
    jobs.  Here the unknown children of an exactly adding-up industry group whose parent has a
    value all sit at the same fraction t of their bounds, the t at which they make up the
    remainder (``lo + t (hi - lo)``, t in [0, 1]; the midpoints when those already add up).
    Groups are filled from the top of the tree down (a suppressed parent first gets its own
    value from its parent); a cell no such group reaches keeps its midpoint; an unknown cell
    without a finite upper bound has none (nan).  Area and ownership links are not used: the
    points serve sums over the industries of one region.  ``st`` must be propagated first.
    """
    lo, hi = st.lower, st.upper
    x = np.where(st.known, st.value, np.nan)
    n_groups = len(st.parent)
    if n_groups == 0 or st.known.all():
        return np.where(st.known, x, np.where(np.isfinite(hi), (lo + hi) / 2.0, np.nan))
    industry = np.array([st.kinds[k].startswith("industry") for k in st.kind], dtype=bool)
    usable = st.exact & industry
    parent, child, gid = st.parent, st.child, st.child_group
    is_parent = np.zeros(st.n, dtype=bool)
    is_parent[parent[usable]] = True
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(max_rounds):
            open_child = np.isnan(x[child])
            n_open = np.bincount(gid, weights=open_child.astype(float), minlength=n_groups)
            known_sum = np.bincount(gid, weights=np.where(open_child, 0.0, x[child]),
                                    minlength=n_groups)
            c_lo = np.where(open_child, lo[child], 0.0)
            c_hi = np.where(open_child, hi[child], 0.0)
            s_lo = np.bincount(gid, weights=c_lo, minlength=n_groups)
            s_hi = np.bincount(gid, weights=np.where(np.isfinite(c_hi), c_hi, 0.0),
                               minlength=n_groups)
            n_inf = np.bincount(gid, weights=(open_child & ~np.isfinite(hi[child])).astype(float),
                                minlength=n_groups)
            ready = usable & (n_open > 0) & np.isfinite(x[parent]) & (n_inf == 0)
            if ready.any():
                remainder = x[parent] - known_sum
                width = s_hi - s_lo
                t = np.where(width > 0, np.clip((remainder - s_lo) / np.where(width > 0, width, 1.0),
                                                0.0, 1.0), 0.5)
                take = open_child & ready[gid]
                cells = child[take]
                fill = lo[cells] + t[gid[take]] * (hi[cells] - lo[cells])
                # a cell under two ready groups (a NACE part under an aggregate and a section)
                # takes the first; the fill is inside its bounds either way
                first = np.unique(cells, return_index=True)[1]
                x[cells[first]] = fill[first]
                continue
            # nothing reachable from a value: open the top-most waiting parents at their midpoint
            waiting = usable & (n_open > 0) & np.isnan(x[parent])
            tops = np.unique(parent[waiting])
            if tops.size:
                under_open = np.zeros(st.n, dtype=bool)
                under_open[child[np.isnan(x[parent[gid]]) & usable[gid]]] = True
                tops = tops[~under_open[tops]] if (~under_open[tops]).any() else tops
                tops = tops[np.isfinite(hi[tops])]
            if not tops.size:
                break
            x[tops] = (lo[tops] + hi[tops]) / 2.0
    rest = np.isnan(x) & np.isfinite(hi)
    x[rest] = (lo[rest] + hi[rest]) / 2.0
    return _within_inexact_parents(st, x, industry, usable, max_rounds)


def _within_inexact_parents(st: Structure, x, industry, usable, max_rounds: int):
    """Lower the unknown children of an industry group that need not add up (``<=``: the
    five OKED sections a Kazakh table lists of 21, under the oblast's total) where their points
    come to more than the parent leaves them: all five suppressed, each in [0, 150,000] and at
    its midpoint, made 375,000 under a published 150,000.  They go to one common fraction of
    the way from their lower bound to their point, the one that fills the remainder.  Only
    cells outside every exactly adding-up group (as child or parent), whose sums stay put."""
    inexact = industry & ~st.exact
    if not inexact.any():
        return x
    parent, child, gid = st.parent, st.child, st.child_group
    free = ~st.known & np.isfinite(x)
    tied = np.zeros(st.n, dtype=bool)
    tied[child[usable[gid]]] = True
    tied[parent[usable]] = True
    free &= ~tied
    lo = np.where(np.isfinite(st.lower), st.lower, 0.0)
    n_groups = len(parent)
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(max_rounds):
            movable = free[child] & inexact[gid]
            fixed_sum = np.bincount(gid, weights=np.where(movable, 0.0, np.nan_to_num(x[child])),
                                    minlength=n_groups)
            m_sum = np.bincount(gid, weights=np.where(movable, x[child], 0.0), minlength=n_groups)
            m_lo = np.bincount(gid, weights=np.where(movable, lo[child], 0.0), minlength=n_groups)
            remainder = x[parent] - fixed_sum
            over = (inexact & np.isfinite(x[parent]) & (m_sum > m_lo)
                    & (m_sum - remainder > 1e-9 * (1.0 + np.abs(x[parent]))))
            if not over.any():
                break
            t = np.clip((remainder - m_lo) / (m_sum - m_lo), 0.0, 1.0)
            take = movable & over[gid]
            cells, g = child[take], gid[take]
            # a cell under two such groups takes the lower point: both stay within their parent
            new = lo[cells] + t[g] * (x[cells] - lo[cells])
            np.minimum.at(x, cells, new)
    return x
