"""``clusterid impute``: fill suppressed cells inside their published bounds.

Example::

    clusterid impute tests/data/impute/qcew_utah_2016q1_slice.csv -o imputed.parquet

The output is a canonical table with the same rows: every suppressed value of each measure
imputed (by default every measure with suppressed cells: employment, then wages; ``--measure``
to choose) is filled and has status ``estimated``; ``<measure>_lower/_upper`` hold the bounds
the published table implies (an empty upper bound means none is finite).  A wage cell's prior is
its jobs (published or imputed) x the industry's typical wage per job, and a cell with jobs is
paid at least its jobs x the lowest wage per job published in its sector, wherever the published
totals leave room.  ``--method bounds-only`` fills the
bounds and leaves the values suppressed.  Method and sources: ``clusterid.core.impute``.

On NACE tables that list overlapping aggregates (Eurostat's K-N beside K, L and M_N), and NAICS
tables listing a sector range beside its parts (31-33 beside 31, 32, 33), a region
listing only the aggregate gets rows for its parts first, and a region listing only the parts a
row for the aggregate (``clusterid.core.overlaps``), as ``detect --suppressed impute`` does: the output then has those extra rows, estimated (bounds-only:
suppressed, bounded), said on stderr and under ``unlisted_parts_added`` in the metadata; the
aggregates stay.  ``impute`` then ``detect`` gives the tables of ``detect --suppressed impute``.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from clusterid.cli.options import (Inputs, Output, OutputFormat, input_records_of, open_input,
                                   option_values)

HELP = """Impute suppressed cells inside the bounds the published table implies.

Example: clusterid impute tests/data/impute/qcew_utah_2016q1_slice.csv -o imputed.parquet

Bounds come from parents minus published siblings (every NAICS level), counties within their
state (when the state rows are in the table), establishment counts and the source's size flags.
constrained (default): values inside the bounds that restore the adding-up, close to
establishments x typical size (raking of published residuals, weighted by how predictable each
industry's size is, polished by a sparse quadratic programme); prior: that prior clipped into the
bounds; midpoint: points in the bounds that keep the industry adding-up (suppressed siblings at
one common fraction of their bounds, the one that makes up their published parent; not each
cell's own midpoint, which overshot the parent; the prior where no upper bound is finite;
counties need not add up to their state);
bounds-only: bounds, no values.
Imputed cells get status 'estimated' and keep their bounds.
Every measure with suppressed cells is imputed unless --measure says which: employment first,
then wages (QCEW hides them with employment), whose prior is the cell's jobs (published or
imputed) x the industry's typical wage per job; a cell with jobs is paid at least its jobs x the
lowest wage per job published in its sector, wherever the published totals leave room.
On NACE tables listing overlapping aggregates (Eurostat's K-N beside K, L, M_N), or NAICS ranges
beside their parts (31-33 beside 31, 32, 33), a region that lists only the aggregate gets rows for its parts, imputed from it as detect --suppressed impute
does (extra rows, status estimated; said on stderr and in the metadata).
"""

METHOD_CHOICES = ("constrained", "prior", "midpoint", "bounds-only")


def impute_command(
    inputs: Inputs,
    output: Output = "-",
    measure: Annotated[Optional[list[str]], typer.Option(
        "--measure", "-m", help="employment, wages, establishments or output (repeat, or "
        "comma-separated, for several; default: every measure with suppressed cells, "
        "employment before wages).")
    ] = None,
    method: Annotated[str, typer.Option(
        "--method", help="constrained (default) | prior | midpoint | bounds-only.")
    ] = "constrained",
    summary: Annotated[bool, typer.Option(
        "--summary/--no-summary", help="Print the share of the measure imputed (stderr).")
    ] = True,
    output_format: OutputFormat = "auto",
    ownership: Annotated[Optional[list[str]], typer.Option(
        "--ownership", help="Only these ownerships (repeat, or comma-separated), e.g. local; a raw QCEW file is "
        "read with them (default: total and private).")] = None,
) -> None:
    """Impute suppressed cells.

    Example: clusterid impute tests/data/impute/qcew_utah_2016q1_slice.csv -o imputed.parquet
    """
    from clusterid.cli import console
    from clusterid.core import impute as imp
    from clusterid.errors import UsageError
    from clusterid.io import tables

    from clusterid.cli.options import keyword

    method = keyword(method)  # --method Prior, BOUNDS-ONLY: the keywords in any case
    if method not in METHOD_CHOICES:
        raise UsageError(f"--method {method!r}; expected one of {', '.join(METHOD_CHOICES)}")
    tables.output_format(output, output_format)
    from clusterid.cli.options import one_measure

    lf, in_meta = open_input(inputs, ownership=ownership, indicator_measure=one_measure(measure))
    df = lf.collect()
    from clusterid import schema

    if not schema.measures_in(df.columns):  # said without the file's name, as a usage error
        from clusterid.cli.options import input_label
        from clusterid.errors import DataError, Problem

        raise DataError(problems=[Problem("the table has no measure column", path=input_label(inputs),
                                          expected="one of " + ", ".join(schema.MEASURES))])
    owns = option_values(ownership)
    if owns:
        import polars as pl

        from clusterid import schema

        from clusterid.cli.options import ownership_values, unread_ownerships

        have = sorted(df.get_column(schema.OWNERSHIP).unique().drop_nulls().to_list())
        # 'Private' as the input spells it ('private'), as lq, detect and stats match it
        owns = ownership_values(owns, have, unread_ownerships(in_meta))
        keep = pl.col(schema.OWNERSHIP).is_in(owns)
    # NACE aggregates beside their parts (Eurostat's K-N beside K, L, M_N): a region listing
    # only the aggregate gets rows for its parts, suppressed, so they are bounded and filled
    # from it as `detect --suppressed impute` does (clusterid.core.overlaps); the aggregates
    # stay in the output
    from clusterid.core import overlaps

    df, overlap, unlisted = overlaps.overlapping_aggregates_of(df, None)
    # and a region listing a parent alone (section C where the others list C10, C11, C20): its
    # children get rows, suppressed, bounded and filled from the parent, as detect reads them
    df, children = overlaps.unlisted_children_every_level(df)
    if measure is None:
        measures = imp.measures_to_impute(df)
    else:  # repeated or comma-separated, in any case, as --ownership
        from clusterid import schema
        from clusterid.cli.options import measure_values

        measures = measure_values(measure, schema.measures_in(df.columns))
    again = _imputed_before(df)
    if method == "bounds-only":
        out, infos = df, []
        for m in measures:
            out, info = imp.suppression_bounds(out, m)
            infos.append(info)
    else:
        out, infos = imp.impute_measures(df, measures, method)
    measures = [i.measure for i in infos]  # in the order imputed (employment before wages)
    if owns:
        # filtered after the imputation: an ownership's cells are bounded by the all-ownership
        # total read with them (core.bounds), which is then left out of the output
        out = out.filter(keep)
    qualities = {m: imp.imputation_summary(out, m) for m in measures}
    records = input_records_of(inputs)  # a glob or a zip archive: each of its files
    meta = tables.base_metadata(
        "canonical", inputs=records,
        options={"measure": measures[0] if len(measures) == 1 else measures, "method": method,
                 **({"ownership": owns} if owns else {})},
        impute=infos[0].as_dict(), quality=qualities[measures[0]]["overall"],
        # the footer's row count is checked against it where the table is opened: rows
        # appended by another tool that keeps the metadata (pyarrow) are seen
        rows_written=out.height,
        **({"impute_measures": {i.measure: i.as_dict() for i in infos},
            "quality_measures": {m: q["overall"] for m, q in qualities.items()}}
           if len(infos) > 1 else {}),
        **({"unlisted_parts_added": {**unlisted, "overlapping_codes": overlap}} if unlisted else {}),
        **({"unlisted_children_added": children} if children else {}),
        source=in_meta if isinstance(in_meta, dict) else None)
    tables.write_frame(out, output, meta, output_format)
    if unlisted:
        filled = "bounded, left suppressed" if method == "bounds-only" else "status estimated"
        console.info(
            f"impute: added {unlisted['rows']} rows for the parts of a NACE aggregate (or a "
            f"NAICS sector range) that a "
            f"region lists alone, or an aggregate it lists only as parts "
            f"({unlisted['example']}): {filled}, from the aggregate (or the parts) and "
            "the region's other cells, as detect --suppressed impute does")
    if children:
        filled = "bounded, left suppressed" if method == "bounds-only" else "status estimated"
        console.info(
            f"impute: added {children['rows']} rows for codes that a region lists only through "
            f"their parent ({children['example']}): {filled}, from the parent and the code's "
            "share of it in the other regions, as detect reads them")
    # a note on the table's links (establishments short of a parent) holds for every measure
    for note in dict.fromkeys(note for info in infos for note in info.notes):
        console.info(f"impute: {note}")
    if summary:
        for info in infos:
            m = info.measure
            q = qualities[m]["overall"]
            before = (f" ({again[m]} of them imputed before, imputed again)"
                      if again.get(m) else "")
            console.info(
                f"impute: {info.n_unknown} suppressed {m} values{before}, {info.n_fixed_by_bounds} "
                f"fixed by the bounds alone; {q['share_estimated']:.1%} of {m} at the finest "
                f"level ({q['level']}) is estimated")
    if output != tables.STDIO:
        console.info(f"impute: {out.height} rows -> {output}")


def register(app: typer.Typer) -> None:
    app.command("impute", help=HELP)(impute_command)


def _imputed_before(df) -> dict[str, int]:
    """Per measure, the cells an earlier imputation filled (status estimated, bounds beside the
    value): impute's output given to impute again fills them again, and the summary says so
    rather than calling them suppressed."""
    import polars as pl

    from clusterid import schema

    out = {}
    for m in schema.measures_in(df.columns):
        status = schema.status_col(m)
        if status in df.columns:
            again = df.select(((pl.col(status) == schema.ESTIMATED) & pl.col(m).is_not_null()
                               & ~schema.published(m, df.columns)).sum()).item()
            out[m] = int(again or 0)
    return out
