"""``clusterid ingest``: raw agency files -> one validated canonical table with provenance.

Example::

    clusterid ingest tests/data/generic/kz_oked_cp1251.csv -o -

The work is in :func:`clusterid.io.ingest.ingest`; this module turns options into
:class:`~clusterid.io.ingest.IngestOptions`, writes the table and prints a one-line summary on
stderr.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from clusterid.cli.options import Level, Output, OutputFormat

ON_ERROR = ("fail", "skip")
LAYOUTS = ("auto", "long", "wide")

HELP = """Read raw regional statistics into one canonical table (Parquet, or CSV).

Example: clusterid ingest tests/data/generic/de_laender_latin1.csv -o canonical.parquet

INPUT is one or more files or quoted glob patterns ('data/*.csv'), or - for stdin. Formats:
BLS QCEW, Census CBP and Nonemployer Statistics, BEA CAEMP25N, LODES WAC, Eurostat TSV
(recognised from their headers) and generic tables: CSV/TSV
(gzip too), workbooks (xlsx, xls, xlsb, ods), Parquet; long (one measure per column) or wide
(years or industry codes as column headings). Encodings (UTF-8/16, cp1251, KOI8-R, KZ-1048,
Greek cp1253, Arabic cp1256, Latin-1 and the Windows and ISO pages of Central Europe, the
Baltics, Turkey and Malta, Shift-JIS, EUC-JP, GBK, Big5, EUC-KR), separators,
decimal commas and thousands separators are detected (a file too short to tell its encoding
is refused naming the candidates); --encoding, --sep, --decimal, --thousands override.

Suppression markers ((D), D, S, N, x, c, *, .., :, -, (NA), (X) ...) become missing values
with status 'suppressed' and the marker kept in <measure>_flag; BEA's (Z) becomes 'estimated'
with bounds 0-0.5. Nothing suppressed is ever read as 0.

Data problems (cells that are not numbers, duplicate keys, negative values, unknown industry
codes, an industry larger than its parent) are reported together and exit 1; with
--on-error skip those rows go to a rejects CSV instead (default <output>.rejects.csv).

Several files holding more than 200 MB of text (a multi-year panel, one file per year) are
ingested in parts of up to 200 MB (a larger file alone), parts sharing periods together, so
memory holds one part: the same output as in one piece.  One QCEW file of more than 2 GB of
text (years of single files joined) is split by year first and ingested a year at a time.
"""


def _keep_aside(path: str) -> str | None:
    """A hidden hard link (or copy) of the file at ``path`` beside it, or None when there is
    no file there."""
    import os
    import shutil

    from clusterid.io.atomic import temp_name

    if not os.path.isfile(path):
        return None
    aside = os.path.join(os.path.dirname(path) or ".", temp_name(path))
    try:
        os.link(path, aside)
    except OSError:
        shutil.copy2(path, aside)
    return aside


def _parse_measure_cols(values: list[str]) -> dict[str, str]:
    from clusterid.errors import UsageError

    out = {}
    for v in values or []:
        if "=" not in v:
            raise UsageError(f"--measure-col {v!r}: expected MEASURE=COLUMN, e.g. employment=Beschäftigte")
        m, col = v.split("=", 1)
        out[m.strip()] = col.strip()
    return out


def ingest_command(
    inputs: Annotated[list[str], typer.Argument(metavar="INPUT...", help="Files, quoted globs, or - for stdin.")],
    output: Output,
    output_format: OutputFormat = "auto",
    fmt: Annotated[str, typer.Option("--format", "-f", help="auto, generic, qcew, cbp, eurostat, bea, lodes or nes.")] = "auto",
    encoding: Annotated[Optional[str], typer.Option(help="Text encoding (default: detected).")] = None,
    sep: Annotated[Optional[str], typer.Option(help="Field separator: , ; \\t | (default: detected).")] = None,
    decimal: Annotated[Optional[str], typer.Option(help="Decimal mark: . or , (default: detected).")] = None,
    thousands: Annotated[Optional[str], typer.Option(help="Thousands separator (default: detected; spaces always).")] = None,
    sheet: Annotated[Optional[str], typer.Option(help="Workbook (xlsx, xls, xlsb, ods) sheet name or number (default: the first with figures; every sheet of a workbook of one sheet per section, each named by its section).")] = None,
    skip_rows: Annotated[Optional[int], typer.Option(help="Rows above the header (default: detected).")] = None,
    layout: Annotated[str, typer.Option(help="auto, long or wide.")] = "auto",
    wide_axis: Annotated[str, typer.Option(help="For wide tables: auto, period or industry.")] = "auto",
    region_col: Annotated[Optional[str], typer.Option(help="Column with region codes (or names).")] = None,
    region_name_col: Annotated[Optional[str], typer.Option(help="Column with region names.")] = None,
    region: Annotated[Optional[str], typer.Option(help="ID[:NAME] of the one region a table without a region column is about (e.g. 03159:Göttingen).")] = None,
    industry_col: Annotated[Optional[str], typer.Option(help="Column with industry codes.")] = None,
    industry_name_col: Annotated[Optional[str], typer.Option(help="Column with industry names.")] = None,
    period_col: Annotated[Optional[str], typer.Option(help="Column with the period (year, 2016Q1 ...).")] = None,
    measure_col: Annotated[Optional[list[str]], typer.Option(
        help="MEASURE=COLUMN, repeatable: employment, establishments, wages, output.")] = None,
    measure: Annotated[Optional[str], typer.Option("--measure", "-m", help=(
        "The measure a wide table's cells (or its one value column) hold, in any case; refused "
        "where the table's headings name other measures [default: the one a title line names, "
        "else employment]."))] = None,
    period: Annotated[Optional[str], typer.Option(help="Period of the whole file when it has no period column.")] = None,
    period_freq: Annotated[str, typer.Option(
        "--period-freq", help="What dated periods (2016-04-01) stand for: auto (a FREQ column, "
        "title or the dates tell), year, quarter or month.")] = "auto",
    region_level: Annotated[Optional[str], typer.Option(help="Keep only this region level (comma-separated for several): county, state, msa, csa, nation (national), nuts2 ...; for QCEW, CBP, Eurostat and tables with a region-level column. A table without levels is labelled with it.")] = None,
    classification: Annotated[str, typer.Option(help="Industry codes: auto, naics, nace (also OKED, WZ 2008), nace-r1.1 (NACE Rev. 1.1, WZ 2003; found by a heading or title naming it) or custom.")] = "auto",
    keep_region_totals: Annotated[bool, typer.Option(help=(
        "Keep region rows named total/Insgesamt/Всего/Deutschland/Республика Казахстан. One kept "
        "total gets region level nation: lq, indices and detect sum the regions without it, "
        "and impute bounds the regions by it (within rounding for rounded tables)."))] = False,
    level: Level = None,
    ownership: Annotated[Optional[list[str]], typer.Option(help="QCEW ownerships to keep (repeatable or comma-separated): total, private, federal, state, local, government, all (default: total and private).")] = None,
    month: Annotated[str, typer.Option(help="QCEW employment: 1, 2, 3, average (of the quarter's months) or annual.")] = "average",
    on_error: Annotated[str, typer.Option(help="fail (report all problems, exit 1) or skip (set bad rows aside).")] = "fail",
    rejects: Annotated[Optional[str], typer.Option(help="Where skipped rows go (default <output>.rejects.csv).")] = None,
) -> None:
    import os

    from clusterid.cli import console
    from clusterid.errors import UsageError
    from clusterid.io.archives import skipped_records
    from clusterid.io.ingest import (IngestOptions, check_format, ignored_columns, ingest,
                                     suppressed_cells_of)
    from clusterid.io import ingest_parts
    from clusterid.io.tables import STDIO, output_format as out_kind, write_frame, write_frames

    from clusterid.cli.options import keyword

    # --format QCEW, Cbp, --on-error SKIP, --layout Wide: the keywords in any case
    fmt, on_error, layout = keyword(fmt), keyword(on_error), keyword(layout)
    check_format(fmt)
    kind = out_kind(output, output_format)
    if on_error not in ON_ERROR:
        raise UsageError(f"--on-error {on_error!r}: expected fail or skip")
    if layout not in LAYOUTS:
        raise UsageError(f"--layout {layout!r}: expected auto, long or wide")
    if on_error == "skip" and rejects is None and output != STDIO:
        from clusterid.io.ingest import REJECTS_SUFFIX

        rejects = output + REJECTS_SUFFIX
    if rejects is not None:
        # --rejects naming an input replaced the raw file by its rejected rows (exit 0); naming
        # -o, the output replaced the rejects
        from clusterid.io.tables import refuse_overwriting

        if not rejects.strip():
            # an unset shell variable: the rejected rows were set aside and written nowhere,
            # exit 0 ('not written: give --rejects'), as -o '' is refused
            raise UsageError("--rejects '': an empty path (an unset shell variable?); give a file name")
        refuse_overwriting(rejects, list(inputs))
        if output != STDIO and os.path.abspath(rejects) == os.path.abspath(output):
            raise UsageError(f"--rejects {rejects}: is the output (-o); name another file")
        from clusterid.io.tables import sidecar_path

        if output != STDIO and os.path.abspath(rejects) == os.path.abspath(sidecar_path(output)):
            # the rejects written there, then the metadata over them: the rows were lost, exit
            # 0, the summary line pointing at the metadata as the rejects
            raise UsageError(f"--rejects {rejects}: is the output's metadata sidecar; name another file")
    from clusterid import schema

    if measure and measure.strip().lower() in schema.MEASURES:
        # 'Establishments' as the other commands' --measure reads it (it was refused here)
        measure = measure.strip().lower()
    options = IngestOptions(
        format=fmt, encoding=encoding, sep=sep, decimal=decimal, thousands=thousands, sheet=sheet,
        skip_rows=skip_rows, layout=layout, wide_axis=wide_axis, region_col=region_col, region=region,
        region_name_col=region_name_col, industry_col=industry_col,
        industry_name_col=industry_name_col, period_col=period_col,
        measure_cols=_parse_measure_cols(measure_col or []), measure=measure, period=period, period_freq=period_freq,
        region_level=region_level, classification=classification, level=level,
        month=month, on_error=on_error, rejects=rejects, keep_region_totals=keep_region_totals,
    )
    if ownership:
        options.ownership = tuple(o.strip() for item in ownership for o in item.split(",") if o.strip())
    from clusterid.io.ingest import STAGES

    # numpy (~0.1 s of byte code), which validation needs once the read is done, imported on a
    # thread while polars reads the input outside the GIL
    console.warm_imports("numpy", "clusterid.core.validate")
    with console.progress() as bar:
        task = bar.add_task("ingest: read", total=len(STAGES))

        def on_stage(name: str) -> None:
            bar.update(task, completed=STAGES.index(name), description=f"ingest: {name}")

        # the rejects are written during the ingest, before checks that may still fail (a
        # --level out of range) and before the output: a failed run left them behind, the
        # rejected rows of an output that was never written
        fresh_rejects = rejects if rejects is not None and not os.path.exists(rejects) else None
        # an earlier run's rejects at that path are kept aside (a hard link) until the output
        # is written: a failed write restored them, so the pair is both new or both old (the
        # new rejects had replaced them while the old output stayed)
        earlier = _keep_aside(rejects) if rejects is not None and fresh_rejects is None else None
        parted = None
        try:
            files = ingest_parts.plan(list(inputs), options)
            if files is not None:
                if ingest_parts.to_split(files, options) is None:
                    # a large glob of several files: one file's table in memory at a time
                    console.info(f"ingest: a large input: its {len(set(map(os.path.realpath, files)))} files are "
                                 f"ingested in parts of up to {ingest_parts.PART_BYTES // 10**6} MB of "
                                 "text, one at a time")

                def on_split(years: list[str]) -> None:
                    # one large QCEW file split by year (said once it is: a file the split
                    # cannot follow is read whole, without a word)
                    console.info(f"ingest: a large file ({ingest_parts.estimated_bytes(files[0]) / 1e9:.1f} "
                                 f"GB of text): split by year ({', '.join(years)}), each year "
                                 "ingested in turn")

                def on_file(i: int, n: int) -> None:
                    bar.update(task, description=f"ingest: file {min(i + 1, n)} of {n}"
                               + (" (files of shared periods, together)" if i >= n else ""))

                parted = ingest_parts.ingest_in_parts(files, options, on_file=on_file,
                                                      on_split=on_split)
                df, meta = parted.empty, parted.meta
            else:
                # to Parquet, the text columns of few values as Enum columns of the same text
                # (written as text, without the writer hashing every row's text)
                df, meta = ingest(list(inputs), options, on_stage=on_stage,
                                  coded=kind == "parquet" and output != STDIO)
            if month != "average":  # given, for a file without months: ignored without a word
                from clusterid.io.ingest import refuse_unused_month

                refuse_unused_month(meta, month)
            if measure is not None:  # ignored without a word where the headings name measures
                from clusterid.io.ingest import refuse_unused_measure

                refuse_unused_measure(df, meta, options.measure)
            if period is not None:  # ignored without a word where the table has its own periods
                for src, reader in (meta.get("readers") or {}).items():
                    col = (reader.get("columns") or {}).get("period") if isinstance(reader, dict) else None
                    if col:
                        raise UsageError(
                            f"--period {period}: {src} has a period column ({col!r}), and --period "
                            "names the period of a file without one; leave it out to keep every "
                            "period (stats, indices and shift-share pick periods with --period / "
                            "--from / --to)")
            skipped = skipped_records(inputs)  # an archive's readme: named in the provenance
            if skipped:
                meta["inputs"] = [*meta.get("inputs", []), *skipped]
            bar.update(task, completed=len(STAGES), description="ingest: write")
            if parted is not None:
                write_frames(parted.frames(), output, meta, kind)
                suppressed_cells = lambda: parted.suppressed_cells  # noqa: E731
            else:
                write_frame(df, output, meta, kind)
                suppressed_cells = lambda: suppressed_cells_of(df)  # noqa: E731
        except BaseException:
            if fresh_rejects is not None:
                try:
                    os.unlink(fresh_rejects)
                except OSError:
                    pass
            if earlier is not None:
                os.replace(earlier, rejects)
            raise
        finally:
            if parted is not None:
                parted.close()
        if earlier is not None:
            os.unlink(earlier)
            if not meta.get("rejects_file") and os.path.exists(rejects):
                # nothing rejected this time: an earlier run's rejects beside the new output
                # (its metadata: rejects_file null) would pass for this run's
                os.unlink(rejects)
    dropped = sum(meta.get("dropped", {}).values())
    share_txt = status_summary(meta)
    where = "stdout" if output == STDIO else output
    msg = (f"ingest: {meta['rows_kept']} rows kept, {dropped} dropped, suppressed: {share_txt}"
           f" -> {where}")
    if meta.get("rejected_rows"):
        msg += f" ({meta['rejected_rows']} rows rejected"
        msg += f", see {meta['rejects_file']})" if meta.get("rejects_file") else ", not written: give --rejects)"
    console.info(msg)
    # why (the rejected ones are said above): "84 dropped" alone sent the user to the metadata
    reasons = sorted(((n, why) for why, n in meta.get("dropped", {}).items()
                      if isinstance(n, int) and n and not str(why).startswith("rejected")),
                     key=lambda t: (-t[0], t[1]))
    if reasons:
        console.info("ingest: dropped: " + "; ".join(f"{n} {why}" for n, why in reasons[:4])
                     + (f"; ... ({len(reasons)} reasons, all in the metadata)" if len(reasons) > 4 else ""))
    if note := _totals_would_bound(suppressed_cells, meta):
        console.info(f"ingest: {note}")
    for item in skipped:
        console.info(f"ingest: skipped {item['path']}: {item['skipped']}")
    for w in meta.get("warnings", [])[:5]:
        console.info(f"warning: {w}")
    if unread := ignored_columns(meta):  # a column of figures under an unknown heading, seen
        console.info(f"ingest: column{'s' if len(unread) > 1 else ''} not read: "
                     + ", ".join(repr(h) for h in unread[:8])
                     + (f" ... ({len(unread)})" if len(unread) > 8 else ""))
    uncoded = sorted({name for reader in (meta.get("readers") or {}).values() if isinstance(reader, dict)
                      for name in reader.get("uncoded_industries") or ()})
    if uncoded:  # said where they first appear, not only by the later commands that skip them
        n = len(uncoded)
        console.info(f"ingest: {n} industr{'y' if n == 1 else 'ies'} without a code kept under "
                     f"{'its' if n == 1 else 'their'} name{'' if n == 1 else 's'} at no code level "
                     f"({'; '.join(uncoded[:5])}{' ...' if n > 5 else ''}): level sums leave "
                     f"{'it' if n == 1 else 'them'} out; --classification custom makes every row "
                     "one industry (when no row is part of another)")
        from clusterid.core.codes import statcan_bracket_list_problem

        unplaced = [(name, why) for name in uncoded if (why := statcan_bracket_list_problem(name))]
        if unplaced:  # StatCan's "Agriculture [111-112, 1100, 1151-1152]": why it has no code
            console.info("ingest: Statistics Canada aggregate(s) whose bracketed codes cannot be placed in "
                         "NAICS, kept as above: " + "; ".join(f"{n!r}: {w}" for n, w in unplaced[:5])
                         + " (an aggregate of sectors or sector ranges, [41, 44-45], is read as their union, "
                         "41+44-45)")
    if note := sections_from_titles_note(meta):
        console.info(f"ingest: {note}")
    for note in meta.get("notes", []):  # spellings of one region name read as one region
        if note.startswith(("region names that differ only in case or spaces", "QWI ownercode A00")):
            console.info(f"ingest: {note}")
    lodes = [n for n in meta.get("notes", []) if n.startswith("LODES WAC ")]
    for note in lodes[:3]:  # the blocks summed: the rows kept are not the rows read
        console.info(f"ingest: {note}")
    if len(lodes) > 3:
        console.info(f"ingest: ... and {len(lodes) - 3} more LODES files (all in the metadata)")


def status_summary(meta: dict) -> str:
    """The summary line's cells by status, per measure: ``employment 4.0% (3.1% with bounds),
    establishments 2.0%; estimated: wages 1.5%`` -- suppressed cells (no figure; of them those
    with bounds), then, if any, estimated ones (a flagged figure, or bounds only).  It called
    every cell not reported 'suppressed', Eurostat's estimated figures too."""
    shares = meta.get("suppressed_share", {})
    bounded = meta.get("suppressed_with_bounds_share") or {}
    estimated = {m: s for m, s in (meta.get("estimated_share") or {}).items() if s}

    def pct(s: float) -> str:
        return f"{100 * s:.1f}%"

    text = ", ".join(f"{m} {pct(s)}" + (f" ({pct(bounded[m])} with bounds)" if bounded.get(m) else "")
                     for m, s in shares.items()) or "none"
    if estimated:
        text += "; estimated: " + ", ".join(f"{m} {pct(s)}" for m, s in estimated.items())
    return text


def _totals_would_bound(count, meta) -> str | None:
    """A word where a table's region total row was dropped while some cells of its regions
    are suppressed (``count()`` of them, counted only then: a pass over the table): kept
    (--keep-region-totals, level nation), it bounds each such cell by the total minus the
    published regions, and pins a lone one; dropped, impute and --suppressed impute guess the
    cell from a prior.  None otherwise."""
    if not any(str(why).startswith("region total rows") and rows
               for why, rows in (meta.get("dropped") or {}).items()):
        return None
    n = count()
    if not n:
        return None
    return (f"{n} suppressed cell{'s' if n > 1 else ''}, and the region total rows that would "
            f"bound {'them' if n > 1 else 'it'} were dropped: keep them with --keep-region-totals "
            "(region level nation) and impute, lq/detect --suppressed impute bound each region's "
            "cell by the total minus the published regions instead of guessing it from a prior")


def sections_from_titles_note(meta) -> str | None:
    """The industries a raw table listed by title only and the reader took for the NACE
    sections they name (``sections_from_titles`` of its metadata), said, so that a wrong
    reading can be seen: the codes were not in the file."""
    titled = {t: c for reader in ((meta or {}).get("readers") or {}).values()
              if isinstance(reader, dict) for t, c in (reader.get("sections_from_titles") or {}).items()}
    if not titled:
        return None
    shown = "; ".join(f"{t} = {c}" for t, c in sorted(titled.items(), key=lambda tc: tc[1])[:4])
    return (f"{len(titled)} industries listed by title only, read as the NACE sections they "
            f"name ({shown}{' ...' if len(titled) > 4 else ''}); --classification custom "
            "keeps the titles as they are")


def register(app: typer.Typer) -> None:
    app.command("ingest", help=HELP, no_args_is_help=True)(ingest_command)
