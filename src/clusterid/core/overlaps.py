"""NACE aggregates published beside their parts (Eurostat's B-E beside C, K-N beside K, L and
M_N; C10-C12 beside C10), and NAICS's sector ranges beside theirs (31-33 beside 31, 32, 33 in a
generic or BEA table): which to leave out of a sum, the rows a region that lists only the
aggregate needs for its parts, and how much of the economy a code level details.  Which codes
overlap is :func:`clusterid.core.codes.cover`'s rule.

Pure functions on polars frames in the canonical layout (:mod:`clusterid.schema`); what they did
is handed back as sentences for the caller to show.
"""

from __future__ import annotations

from clusterid import schema


def overlapping_aggregates_of(df, level: int | None, keep: frozenset = frozenset(),
                              told: list | None = None):
    """The NACE aggregates that overlap other codes of the level grouped (Eurostat's B-E beside
    C, G-J beside G-I and J; C10-C12 beside C10, C11, C12): left in, a cluster holding both
    counts that employment twice (a cluster's share of its region above 1), so
    :func:`without_aggregates` leaves them out once the suppression step has used them.

    A region that lists only the aggregate (G-I where another lists G, H and I) would lose that
    activity with it: its parts get rows here, suppressed (not observed, never 0), so the
    bounds and the imputation bound or fill them from the aggregate and the region's other
    published cells, as ``clusterid indices`` does; parts absent beside an aggregate that
    their listed siblings already make up are true zeros and get no row.

    ``keep``: the codes of the definitions used: a part the definitions name is not left out
    for an aggregate they do not (C13 and C14 beside C13-C15, C15 absent: the aggregate goes,
    or the textiles cluster had no row anywhere).

    Returns ``(frame with those rows, {code: why}, {"rows": n, "example": ..})``; rows of
    other levels (the parents the suppression bounds need) are untouched.  ``told``: a list
    that receives one sentence for the user per thing done (what was left out, what added)."""
    told = [] if told is None else told
    if schema.CLASSIFICATION not in df.columns or schema.LEVEL not in df.columns:
        return df, {}, {}
    # the level grouped, or (definitions, default) each NACE level the table has: definitions
    # of sections on a table that also details some divisions need the section overlaps told
    top = df[schema.LEVEL].max()
    levels = [level] if level is not None else [lv for lv in (1, 2) if top is not None and lv <= top]
    overlap_all: dict = {}
    unlisted_info: dict = {}
    for grouped in levels:
        if grouped not in (1, 2):  # NACE aggregates are sections or divisions, NAICS ranges sectors
            continue
        df, overlap, info = _overlaps_at(df, grouped, keep, told)
        overlap_all.update(overlap)
        if info:
            unlisted_info = ({"rows": unlisted_info.get("rows", 0) + info["rows"],
                              "example": unlisted_info.get("example") or info["example"]})
    return df, dict(sorted(overlap_all.items())), unlisted_info


def _overlaps_at(df, grouped: int, keep: frozenset, told: list):
    """:func:`overlapping_aggregates_of` at one code level."""
    import polars as pl

    from clusterid.core.codes import code_parts, overlapping_aggregates

    nace = df.filter(pl.col(schema.CLASSIFICATION).is_in(_CLASSES)
                     & (pl.col(schema.LEVEL) == grouped))
    present = nace[schema.INDUSTRY].unique().to_list()
    overlap = _kept_as_named(overlapping_aggregates(present), keep, present, told)
    if not overlap:
        return df, {}, {}
    told.append(f"left out {_kind(overlap)} that overlap other level-{grouped} codes: "
                + ", ".join(f"{c} ({why})" for c, why in sorted(overlap.items())))
    status = schema.status_col(schema.EMPLOYMENT)
    # The parts a region does not list beside its aggregate get rows whichever side is left
    # out here: then the cells bounded and imputed do not depend on the definitions, and
    # `impute` (which knows none) then `detect --definitions` gives what `detect --suppressed
    # impute --definitions` gives (definitions naming C where B-E is kept by default: AT21,
    # listing B-E only, had its manufacturing imputed by detect, suppressed after impute).
    inner = frozenset(part for parts in code_parts(present).values() for part in parts)
    finest = _kept_as_named(overlapping_aggregates(present), inner, present, [])
    unlisted, example = unlisted_parts(nace, overlap, schema.EMPLOYMENT, status)
    finer, finer_example = unlisted_parts(nace, finest, schema.EMPLOYMENT, status)
    kept_rows = unlisted.height
    keys = [c for c in (schema.PERIOD, schema.REGION, schema.OWNERSHIP, schema.INDUSTRY)
            if c in nace.columns]
    if finer.height:
        unlisted = (pl.concat([unlisted, finer.join(unlisted, on=keys, how="anti")])
                    .sort(keys))
        example = example or finer_example
    # and the mirror: a region listing parts (K, L, M_N) without their aggregate (K-N) that
    # other regions list gets the aggregate's row, suppressed, bounded by the parts: when the
    # definitions name K-N (so it is kept) that region's activity was missing from its cluster
    coarse, coarse_example = unlisted_aggregates(nace, status)
    if coarse.height:
        kept_aggs = coarse.filter(~pl.col(schema.INDUSTRY).is_in(list(overlap)))
        if kept_aggs.height:
            told.append(f"{kept_aggs.height} cells of aggregates that a region lists only as parts "
                        f"({coarse_example}) are read as suppressed, bounded by the parts")
        unlisted = pl.concat([unlisted, coarse.join(unlisted, on=keys, how="anti")]).sort(keys)
        example = example or coarse_example
    if not unlisted.height:
        return df, overlap, {}
    if status not in df.columns:
        df = df.with_columns(schema.implied_status(pl.col(schema.EMPLOYMENT)).alias(status))
        unlisted = unlisted.with_columns(pl.lit(schema.SUPPRESSED).alias(status))
    if kept_rows:
        told.append(f"{kept_rows} cells of parts that a region does not list beside such an "
                    f"aggregate ({example}) are read as suppressed, not as 0: their activity is "
                    "inside the aggregate")
    df = pl.concat([df, unlisted.select(df.columns)], how="vertical_relaxed")
    return df, overlap, {"rows": unlisted.height, "example": example}


# the classifications whose codes of a level can overlap (:func:`clusterid.core.codes.cover`)
_CLASSES = [schema.NACE, schema.NAICS]


def _kind(codes) -> str:
    """What the overlapping codes are, for a note: NACE aggregates, NAICS sector ranges (or
    their parts), or both."""
    from clusterid.core.codes import nace_cover

    nace = [nace_cover(c) is not None for c in codes]
    if all(nace):
        return "NACE aggregates"
    return "NAICS sector ranges or their parts" if not any(nace) else (
        "NACE aggregates and NAICS sector ranges")


def _kept_as_named(overlap: dict, keep, present, told: list) -> dict:
    """``overlap`` (:func:`clusterid.core.codes.overlapping_aggregates`: the codes to leave out)
    changed so that the codes the definitions name (``keep``) stay: parts the definitions name
    stay and their aggregate, which they do not name, goes (C13, C14 beside C13-C15); an
    aggregate the definitions name stays and its parts, which they do not name, go (K-N beside
    K, L, M_N: left out for its parts, the definitions' K-N matched no row and its cluster
    vanished without a word).  A code named with another it overlaps cannot be kept without
    counting that activity twice: one is left out as before, and ``told`` says so."""
    from clusterid.core.codes import code_parts

    overlap = dict(overlap)
    prefix = "part of "
    swap = {why[len(prefix):] for c, why in overlap.items()
            if why.startswith(prefix) and c in keep and why[len(prefix):] not in keep}
    for agg in sorted(swap):
        parts = sorted(c for c, why in overlap.items() if why == prefix + agg)
        for c in parts:
            del overlap[c]
        overlap[agg] = " + ".join(parts) + " named by the definitions"
    parts_of = code_parts(present)
    for agg in sorted(c for c, why in overlap.items() if c in keep and not why.startswith(prefix)):
        inside = parts_of.get(agg, [])
        if any(c in keep for c in inside):
            continue
        del overlap[agg]
        for c in inside:
            overlap[c] = f"{prefix}{agg}, named by the definitions"
    clash = sorted(c for c in overlap if c in keep)
    if clash:
        told.append("the definitions name NACE codes that overlap others they name: "
                    + ", ".join(f"{c} ({overlap[c]})" for c in clash)
                    + "; left out, or that activity would be counted twice: their clusters "
                    "hold only the other codes (name an aggregate or its parts, not both)")
    return overlap


def left_out_per_group(df, keys: list, published=None):
    """The codes a sum over each group of ``keys`` (a region's period and ownership) leaves out
    so that it counts each activity once (:func:`clusterid.core.codes.overlapping_aggregates`
    on the group's own codes: 31-33 where it lists 31, 32 and 33; a NACE aggregate beside its
    parts).  ``published``: a polars expression, true where a cell's value is published; a
    range over a part that is not is kept and its parts left out (None: every cell is).
    ``df`` eager or lazy; returns an eager frame of ``keys``, ``industry`` and ``_why`` (what
    it was left out for: ``31 + 32 + 33``, ``part of 31-33``), one row per code left out
    (none: an empty frame)."""
    import polars as pl

    from clusterid.core.codes import overlapping_aggregates

    lf = df.lazy()
    names = lf.collect_schema()
    out_schema = {**{k: names[k] for k in keys}, schema.INDUSTRY: pl.String, "_why": pl.String}
    wanted = pl.col(schema.LEVEL).is_in([1, 2]) & pl.col(schema.INDUSTRY).is_not_null()
    hidden = ~published if published is not None else pl.lit(False)
    listed = (lf.filter(wanted)
              .group_by(keys).agg(pl.col(schema.INDUSTRY).unique().sort().alias("_codes"),
                                  pl.col(schema.INDUSTRY).filter(hidden.fill_null(True))
                                  .unique().sort().alias("_unpub"))
              .collect())
    found: dict = {}
    dropped = []
    for row in listed.iter_rows(named=True):
        key = (tuple(row["_codes"]), tuple(row["_unpub"]))
        if key not in found:
            found[key] = sorted(overlapping_aggregates(*key).items())
        dropped += [(*(row[k] for k in keys), c, why) for c, why in found[key]]
    return pl.DataFrame(dropped, schema=out_schema, orient="row")


def without_aggregates(df, overlap: dict):
    """``df`` without the rows of the overlapping NACE aggregates (or NAICS ranges, parts)
    ``overlap`` names."""
    import polars as pl

    if not overlap:
        return df
    return df.filter(~(pl.col(schema.CLASSIFICATION).is_in(_CLASSES).fill_null(False)
                       & pl.col(schema.INDUSTRY).is_in(list(overlap))))


def level_coverage(df, ownership: str | None, region_level, grouped: int) -> tuple | None:
    """How much of the economy the industries of level ``grouped`` detail: ``(share, top)``,
    the share of the employment of the top-level codes (NACE sections, NAICS sectors) whose
    section has codes at ``grouped`` in the table, and that top level; None when it cannot be
    told (no top-level rows, no classification).  Read from the top-level values, so a
    suppressed detail cell does not lower it (QCEW's county 6-digit cells)."""
    import polars as pl

    from clusterid.core import codes

    if schema.LEVEL not in df.columns or schema.CLASSIFICATION not in df.columns:
        return None
    rows = df.lazy()
    if ownership is not None and schema.OWNERSHIP in df.columns:
        rows = rows.filter(pl.col(schema.OWNERSHIP) == ownership)
    rl_col = pl.col(schema.REGION_LEVEL)
    # the four columns used, filtered lazily: an eager filter copied every column of the table
    # (+1.6 GB on QCEW's county panel)
    rows = rows.filter((rl_col == region_level if region_level is not None else rl_col.is_null())
                       & pl.col(schema.CLASSIFICATION).is_in([schema.NACE, schema.NAICS])).select(
        schema.INDUSTRY, schema.CLASSIFICATION, schema.LEVEL, schema.EMPLOYMENT).collect()
    levels = sorted(x for x in rows[schema.LEVEL].drop_nulls().unique().to_list() if x > 0)
    if not levels or levels[0] >= grouped:
        return None
    top = levels[0]
    tops = (rows.filter(pl.col(schema.LEVEL) == top)
            .group_by(schema.INDUSTRY).agg(pl.col(schema.EMPLOYMENT).sum()))
    whole = tops[schema.EMPLOYMENT].sum()
    if not whole:
        return None
    detail = rows.filter(pl.col(schema.LEVEL) == grouped).select(
        schema.INDUSTRY, schema.CLASSIFICATION).unique()
    detailed = {codes.parent(c, cls, top) for c, cls in detail.iter_rows()}
    overlap = codes.overlapping_aggregates(tops[schema.INDUSTRY].to_list())
    if overlap:
        # a NAICS range beside its parts among the top codes (31-33 and 31, 32, 33), a NACE
        # aggregate beside its: the whole counts each activity once, and a detail code under
        # a range left out for its parts is held by its part (311 by 31)
        tops = tops.filter(~pl.col(schema.INDUSTRY).is_in(sorted(overlap)))
        whole = tops[schema.EMPLOYMENT].sum()
        kept = set(tops[schema.INDUSTRY].to_list())
        detailed = {c[:top] if p in overlap and cls == schema.NAICS and c[:top] in kept else p
                    for (c, cls), p in zip(detail.iter_rows(),
                                           (codes.parent(c, k, top) for c, k in detail.iter_rows()))}
    if not detailed <= set(tops[schema.INDUSTRY].to_list()):
        # the detail hangs from codes the table does not list at ``top`` (311111 beside a
        # lone 5417): the top level is no whole economy to measure against ("holding 0%")
        return None
    held = tops.filter(pl.col(schema.INDUSTRY).is_in(sorted(x for x in detailed if x)))
    return float(held[schema.EMPLOYMENT].sum() or 0.0) / float(whole), top


def unlisted_aggregates(nace, status: str):
    """Rows for the NACE aggregates (``K-N``, ``C10-C12``) a region does not list where it lists
    parts of them that other regions list beside the aggregate: the mirror of
    :func:`unlisted_parts`.  The measures are null and the status suppressed (not observed,
    never 0), so the bounds and the imputation make the aggregate up from its parts (exactly
    where they cover it and are published).  Labels are those of one of the region's parts.

    Returns ``(rows, example)`` as :func:`unlisted_parts` does."""
    import polars as pl

    from clusterid.core.codes import code_parts

    parts_of = code_parts(nace.get_column(schema.INDUSTRY).unique().to_list())
    links = [(agg, part) for agg, parts in parts_of.items() for part in parts]
    if not links:
        return nace.clear(), ""
    links = pl.DataFrame(links, schema={"_agg": pl.String, "_part": pl.String}, orient="row")
    keys = [schema.PERIOD, schema.REGION] + [c for c in (schema.OWNERSHIP,) if c in nace.columns]
    cand = (nace.join(links, left_on=schema.INDUSTRY, right_on="_part")
            .sort([*keys, "_agg", schema.INDUSTRY])
            .unique(subset=[*keys, "_agg"], keep="first", maintain_order=True)
            .join(nace.select(*keys, pl.col(schema.INDUSTRY).alias("_agg")), on=[*keys, "_agg"],
                  how="anti"))
    if cand.height == 0:
        return nace.clear(), ""
    first = cand.row(0, named=True)
    parts = (nace.filter((pl.col(schema.PERIOD) == first[schema.PERIOD])
                         & (pl.col(schema.REGION) == first[schema.REGION]))
             .join(links.filter(pl.col("_agg") == first["_agg"]), left_on=schema.INDUSTRY,
                   right_on="_part")[schema.INDUSTRY])
    example = (f"region {first[schema.REGION]} {first[schema.PERIOD]}: {first['_agg']} over "
               f"{', '.join(sorted(parts.to_list()))}")
    kept_labels = (*keys, schema.CLASSIFICATION, status, schema.LEVEL, schema.REGION_NAME,
                   schema.REGION_LEVEL)
    nulls = {c: pl.lit(None, nace.schema[c]) for c in nace.columns
             if c not in kept_labels and c != schema.INDUSTRY}
    rows = cand.with_columns(pl.col("_agg").alias(schema.INDUSTRY), *(v.alias(c) for c, v in nulls.items()))
    if status in nace.columns:
        rows = rows.with_columns(pl.lit(schema.SUPPRESSED, nace.schema[status]).alias(status))
    return rows.select(nace.columns).sort([*keys, schema.INDUSTRY]), example


def unlisted_parts(nace, overlap: dict, measure: str, status: str):
    """Rows for the parts a region does not list where it lists an aggregate that is left out
    for its parts (a national office's table with G, H, I for one region and only G-I for
    another): without them the parts read as 0 there (no row) and the aggregate's activity
    vanished from every sum.  Made suppressed (not observed) wherever the aggregate is
    suppressed or larger than the parts the region lists; parts absent beside an aggregate
    that equals their listed siblings are true zeros and get no row.

    Returns ``(rows, example)``: rows in ``nace``'s columns, and one case for the note.  A row
    keeps its region's and the aggregate's labels (ownership, region name and level, code
    level), so a table of several ownerships or region levels (``clusterid detect`` reads the
    whole table) gets each part where it belongs; the measures are null."""
    import polars as pl

    from clusterid.core.codes import code_parts

    parts_of = code_parts(nace.get_column(schema.INDUSTRY).unique().to_list())
    links = [(agg, part) for agg in sorted(overlap)
             for part in parts_of.get(agg, []) if part not in overlap]
    if not links:
        return nace.clear(), ""
    links = pl.DataFrame(links, schema={"_agg": pl.String, "_part": pl.String}, orient="row")
    keys = [schema.PERIOD, schema.REGION] + [c for c in (schema.OWNERSHIP,) if c in nace.columns]
    aggs = nace.join(links.select("_agg").unique(), left_on=schema.INDUSTRY, right_on="_agg")
    listed = (nace.select(*keys, pl.col(schema.INDUSTRY).alias("_part"),
                          pl.col(measure).alias("_v"))
              .join(links, on="_part"))
    sums = listed.group_by([*keys, "_agg"]).agg(pl.col("_v").sum().alias("_listed"),
                                                pl.col("_v").is_null().any().alias("_open"))
    cand = (aggs.join(links, left_on=schema.INDUSTRY, right_on="_agg")
            .join(listed.select(*keys, "_part"), on=[*keys, "_part"], how="anti")
            .join(sums, left_on=[*keys, schema.INDUSTRY], right_on=[*keys, "_agg"], how="left"))
    agg_value = pl.col(measure)
    unknown = (agg_value.is_null() | pl.col("_listed").is_null() | pl.col("_open").fill_null(False)
               | (agg_value > pl.col("_listed") * (1 + 1e-9) + 1e-9))
    cand = cand.filter(unknown)
    if cand.height == 0:
        return nace.clear(), ""
    first, parts = _first_case(cand.sort([*keys, schema.INDUSTRY, "_part"]), "_part")
    example = (f"region {first[schema.REGION]} {first[schema.PERIOD]}: "
               f"{parts} under {first[schema.INDUSTRY]}")
    kept_labels = (*keys, schema.INDUSTRY, schema.CLASSIFICATION, status, schema.LEVEL,
                   schema.REGION_NAME, schema.REGION_LEVEL)
    nulls = {c: pl.lit(None, nace.schema[c]) for c in nace.columns if c not in kept_labels}
    rows = cand.with_columns(pl.col("_part").alias(schema.INDUSTRY),
                             *(v.alias(c) for c, v in nulls.items()))
    if status in nace.columns:
        rows = rows.with_columns(pl.lit(schema.SUPPRESSED, nace.schema[status]).alias(status))
    # a part under two aggregates left out (B-E and B-F) is one cell
    rows = rows.select(nace.columns).unique(subset=[*keys, schema.INDUSTRY]).sort(
        [*keys, schema.INDUSTRY])
    return rows, example


def unlisted_children(df, level: int | None, told: list | None = None, carry: tuple = ()):
    """Rows for the codes of the grouped level under a parent a region lists without any of
    them, where other regions list them (a national table detailing manufacturing into C10,
    C11, C20 for most regions and giving one region's C alone): with no row the region's
    manufacturing was in no cluster, the region absent from every cluster table although its
    employment was counted.  The rows are suppressed (not observed, never 0), so the bounds
    and the imputation bound or fill them from the parent.  The grouped level is ``level``
    or the finest NACE / NAICS level of the table; only children listed in the same period
    (and ownership) somewhere are added.  Labels are the parent row's.

    Returns ``(frame with those rows, {"rows": n, "example": ...})``; ``told`` receives a
    sentence for the user when rows were added.  ``carry``: columns the rows take from their
    parent row, as the labels (lq's probe of the key columns carries each row's place in the
    whole table: :func:`with_unlisted_children_of`)."""
    import polars as pl

    from clusterid.core.codes import parent

    told = [] if told is None else told
    need = {schema.CLASSIFICATION, schema.LEVEL, schema.INDUSTRY}
    measures = schema.measures_in(df.columns)
    if not need <= set(df.columns) or not measures:
        return df, {}
    coded = df.filter(pl.col(schema.CLASSIFICATION).is_in(_CLASSES))
    if coded.height == 0:
        return df, {}
    grouped = level if level is not None else coded[schema.LEVEL].max()
    if grouped is None:
        return df, {}
    keys = [schema.PERIOD, schema.REGION] + [c for c in (schema.OWNERSHIP,) if c in df.columns]
    at_level = coded.filter(pl.col(schema.LEVEL) == grouped)
    coarser = coded.filter(pl.col(schema.LEVEL) < grouped)
    if at_level.height == 0 or coarser.height == 0:
        return df, {}
    # child code -> its ancestor at each coarser level present
    links = []
    # (the coarser levels read once: per code, 1,000 codes of QCEW's 6-digit level made the
    # lookup most of lq's added time)
    up = [int(lv) for lv in coarser[schema.LEVEL].unique().to_list() if lv is not None and lv >= 1]
    for (code, cls) in at_level.select(schema.INDUSTRY, schema.CLASSIFICATION).unique().iter_rows():
        for lv in up:
            anc = parent(code, cls, lv)
            if anc and anc != code:
                links.append((anc, code, cls))
    if not links:
        return df, {}
    links = pl.DataFrame(links, schema={"_parent": pl.String, "_child": pl.String,
                                        schema.CLASSIFICATION: pl.String}, orient="row")
    other = [k for k in keys if k != schema.REGION]
    # the children each period (and ownership) lists somewhere
    offered = at_level.select(*other, pl.col(schema.INDUSTRY).alias("_child")).unique()
    parents = coarser.join(links, left_on=[schema.INDUSTRY, schema.CLASSIFICATION],
                           right_on=["_parent", schema.CLASSIFICATION])
    # parents under which the region lists some child: left alone (their remainder is the
    # region totals' business, not a guess at which child it is)
    detailed = (at_level.join(links, left_on=[schema.INDUSTRY, schema.CLASSIFICATION],
                              right_on=["_child", schema.CLASSIFICATION])
                .select(*keys, pl.col("_parent").alias(schema.INDUSTRY)).unique())
    cand = (parents.join(detailed, on=[*keys, schema.INDUSTRY], how="anti")
            .join(offered, on=[*other, "_child"], how="semi")
            .join(at_level.select(*keys, pl.col(schema.INDUSTRY).alias("_child")),
                  on=[*keys, "_child"], how="anti"))
    if cand.height == 0:
        return df, {}
    cand = (cand.sort([*keys, "_child", schema.LEVEL], descending=[False] * (len(keys) + 1) + [True])
            .unique(subset=[*keys, "_child"], keep="first", maintain_order=True))
    first, kids = _first_case(cand, "_child")
    example = (f"region {first[schema.REGION]} {first[schema.PERIOD]}: {first[schema.INDUSTRY]} "
               f"without {kids}")
    labels = {*keys, schema.CLASSIFICATION, schema.REGION_NAME, schema.REGION_LEVEL, *carry}
    rows = cand.with_columns(
        pl.col("_child").alias(schema.INDUSTRY), pl.lit(grouped, df.schema[schema.LEVEL]).alias(schema.LEVEL),
        *(pl.lit(None, df.schema[c]).alias(c) for c in df.columns
          if c not in labels and c not in (schema.INDUSTRY, schema.LEVEL)))
    rows = _titled(rows, at_level, df.schema)
    df, rows = _read_as_suppressed(df, rows)
    rows = rows.select(df.columns).sort([*keys, schema.INDUSTRY])
    told.append(f"{rows.height} cells of level-{grouped} codes that a region lists only through "
                f"their parent ({example}) are read as suppressed, bounded by the parent, not "
                "as 0")
    df = pl.concat([df, rows], how="vertical_relaxed")
    return df, {"rows": rows.height, "example": example}


def _first_case(cand, column: str):
    """The case a note names: ``cand``'s first row, and the ``column`` values (sorted, joined by
    commas) of the rows in its cell (period, region, industry), as :func:`unlisted_parts` and
    :func:`unlisted_children` name the parts or children added under one code."""
    import polars as pl

    first = cand.row(0, named=True)
    same = cand.filter((pl.col(schema.PERIOD) == first[schema.PERIOD])
                       & (pl.col(schema.REGION) == first[schema.REGION])
                       & (pl.col(schema.INDUSTRY) == first[schema.INDUSTRY]))[column]
    return first, ", ".join(sorted(same.to_list()))


def _titled(rows, at_level, types):
    """``rows`` (codes of level L, with ``_child`` their code) titled as the first titled row of
    their code in ``at_level`` (the table's rows of level L) titles it; as they were where the
    table has no titles."""
    import polars as pl

    if schema.INDUSTRY_NAME not in types:
        return rows
    names = (at_level.select(pl.col(schema.INDUSTRY).alias("_child"), schema.INDUSTRY_NAME)
             .drop_nulls().unique(subset=["_child"], keep="first", maintain_order=True))
    return (rows.drop(schema.INDUSTRY_NAME).join(names, on="_child", how="left")
            .with_columns(pl.col(schema.INDUSTRY_NAME).cast(types[schema.INDUSTRY_NAME])))


def _read_as_suppressed(df, rows):
    """``(df, rows)`` with every measure's cell of ``rows`` suppressed: not observed (not 0),
    wages and establishments too, which lq and indices read as well as employment; a status
    column ``df`` lacks added to it first (:func:`clusterid.schema.implied_status`)."""
    import polars as pl

    for measure in schema.measures_in(df.columns):
        status = schema.status_col(measure)
        if status not in df.columns:
            df = df.with_columns(schema.implied_status(pl.col(measure)).alias(status))
            rows = rows.with_columns(pl.lit(None, pl.String).alias(status))
        rows = rows.with_columns(pl.lit(schema.SUPPRESSED).cast(df.schema[status]).alias(status))
    return df, rows


def with_unlisted_children_of(df, added, at: str):
    """``df`` with the rows :func:`unlisted_children_every_level` found on a probe of its key
    columns (and a measure), the probe's rows numbered in column ``at`` and carried
    (``carry=(at,)``): ``added``, the probe's rows after its own.  The same frame as
    :func:`unlisted_children_every_level` of ``df`` itself, without looking for them again on
    the whole table: the labels are their parent row's in ``df`` (row ``at``), the titles those
    of their code at their level, every other cell empty, the cells suppressed."""
    import polars as pl

    labels = [c for c in (schema.REGION_NAME, schema.REGION_LEVEL) if c in df.columns]
    keys = [schema.PERIOD, schema.REGION] + [c for c in (schema.OWNERSHIP,) if c in df.columns]
    keep = [c for c in added.columns if c in df.columns and c not in schema.measures_in(df.columns)
            and not c.endswith(schema.STATUS_SUFFIX)]
    rows = added.select(*keep, pl.col(schema.INDUSTRY).alias("_child"),
                        *(df.get_column(c).gather(added.get_column(at)) for c in labels))
    coded = df.filter(pl.col(schema.CLASSIFICATION).is_in(_CLASSES))
    titled = []
    for (lv,), part in rows.group_by(schema.LEVEL, maintain_order=True):
        part = part.with_columns(pl.lit(None, df.schema.get(schema.INDUSTRY_NAME, pl.String))
                                 .alias(schema.INDUSTRY_NAME))
        titled.append(_titled(part, coded.filter(pl.col(schema.LEVEL) == lv), df.schema)
                      .sort([*keys, schema.INDUSTRY]))
    rows = pl.concat(titled, how="vertical_relaxed").with_columns(
        pl.lit(None, t).alias(c) for c, t in df.schema.items()
        if c not in rows.columns and c != schema.INDUSTRY_NAME)
    df, rows = _read_as_suppressed(df, rows)
    return pl.concat([df, rows.select(df.columns)], how="vertical_relaxed")


def unlisted_children_every_level(df, told: list | None = None, carry: tuple = ()):
    """:func:`unlisted_children` at each NACE / NAICS code level finer than the table's
    coarsest, coarsest first (so a region listing only section C gets C10 at level 2, then
    C10's groups at level 3 under it): for the stages that compute every level (``lq``) or
    pick one later (``impute``, ``indices``).  Returns ``(frame, {"rows": n, "example": ...})``
    summed over the levels; ``told`` receives one sentence per level that got rows."""
    import polars as pl

    if schema.CLASSIFICATION not in df.columns or schema.LEVEL not in df.columns:
        return df, {}
    levels = sorted(lv for lv in df.filter(pl.col(schema.CLASSIFICATION).is_in(_CLASSES))
                    .get_column(schema.LEVEL).drop_nulls().unique().to_list() if lv >= 1)
    info: dict = {}
    for lv in levels[1:]:
        df, got = unlisted_children(df, lv, told, carry)
        if got:
            info = {"rows": info.get("rows", 0) + got["rows"],
                    "example": info.get("example") or got["example"]}
    return df, info
