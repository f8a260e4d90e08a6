"""``clusterid lq``: location quotients against an explicit benchmark, with intervals and flags.

Example::

    clusterid lq tests/data/lq/toy_canonical.csv -o - --benchmark sum --denominator sum

The computation lives in :mod:`clusterid.core.lq`; this module parses the options, opens the
input (a canonical table, or a raw file ingested on the fly) and the reference table, and
writes the result with its metadata.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from clusterid.cli.options import (Inputs, Output, OutputFormat, RandomState, input_records_of,
                                   measure_values, one_region_note, only_periods, open_input,
                                   option_values, raw_ownership)

HELP = """Location quotients of every region x industry, with intervals, SLQ and flags.

Example: clusterid lq tests/data/lq/toy_canonical.csv -o - --denominator sum

LQ = (e_ij / e_j) / (E_i / E), computed per period, ownership and industry code level (subtotals
never mix with their children), for every measure in the input (or --measure).

Benchmarks (--benchmark): 'sum' of the input's regions (default); 'rest' of nation (the sum
minus the region); 'region:ID', a region of the input (its own rows are left out); or FILE, a
reference table (columns industry [, period, ownership, measure] and either
benchmark_industry_total + benchmark_total, or benchmark_share; or a one-region canonical table
such as the national file, or that file as the agency publishes it (QCEW, CBP, Eurostat: ingested
on the fly with the input's --month)); a quoted glob, a national table per period
('national/*.parquet').

Denominators (--denominator): 'total' the region's all-industry row (industry 10), falling back
to the sum of its industries where that row is absent; 'sum' of its industries at the level;
'all-ownership' the BLS convention (all-ownership totals of the region and of the benchmark, also
for private rows), which reproduces QCEW's published lq_* columns.

Intervals: delta method on ln LQ, ASSUMING THE COUNTS ARE INDEPENDENT POISSON variables
(employment and establishments only; not computed for wages and output). 'significant' means the
interval excludes 1 after --correction. 'specialised' means LQ >= --threshold. Undefined LQs are
empty, with the reason in lq_reason (never 0).

CSV output writes the ratio columns (shares, LQ, bounds, SLQ) at single precision and p_value
to 7 significant digits (about 7 digits each), counts and totals to 15; Parquet keeps full
precision.

Suppressed cells (--suppressed): 'drop' leaves their LQ empty; 'bounds' adds lq_bound_lower/upper,
the lowest and highest LQ the published data allows (parent minus disclosed siblings, area
totals, establishment counts, CBP size flags), and specialised_robust, whether the specialised
call holds across them (else it is fragile); 'impute' fills them within those bounds (status
estimated) and keeps both columns.  Applied to employment.
"""


def lq_command(
    inputs: Inputs,
    output: Output = "-",
    output_format: OutputFormat = "auto",
    measure: Annotated[Optional[list[str]], typer.Option(
        "--measure", "-m", help="employment, establishments, wages or output; repeat, or "
                                "comma-separated, for several (default: every measure in the "
                                "input).")] = None,
    benchmark: Annotated[str, typer.Option(
        "--benchmark", "-b",
        help="sum | rest | region:ID | FILE or 'GLOB' (reference tables).")] = "sum",
    denominator: Annotated[str, typer.Option(
        "--denominator", help="total | sum | all-ownership (BLS).")] = "total",
    level: Annotated[Optional[int], typer.Option(
        "--level", help="Only this industry code level (0 all industries; NAICS 2-6, NACE 1-4).")] = None,
    threshold: Annotated[float, typer.Option(
        "--threshold", help="specialised = LQ >= threshold.")] = 1.25,
    confidence: Annotated[float, typer.Option(
        "--confidence", help="Confidence level of the intervals (alpha = 1 - confidence).")] = 0.95,
    correction: Annotated[str, typer.Option(
        "--correction", help="Multiple testing: none | bh | bonferroni.")] = "none",
    ownership: Annotated[Optional[list[str]], typer.Option(
        "--ownership", help="Only these ownerships in the output (repeat, or comma-separated), "
                            "e.g. private.")] = None,
    period: Annotated[Optional[list[str]], typer.Option(
        "--period", help="Only these periods (repeat, or comma-separated), e.g. 2016Q1. A "
                         "period's LQs rest on its own rows alone, so a panel too large for "
                         "memory can be run one period at a time (from Parquet only that "
                         "period's rows are read; with --suppressed bounds or impute the whole "
                         "table is read, as the imputation draws on every period).")] = None,
    bootstrap: Annotated[int, typer.Option(
        "--bootstrap", help="Bootstrap replicates over regions for log-SLQ critical values "
                            "(0 = off; else at least 19 at --confidence 0.95, so that one "
                            "lies beyond the quantile: (B + 1)(1 - confidence) >= 1).")] = 0,
    random_state: RandomState = 0,
    input_format: Annotated[str, typer.Option(
        "--format", "-f", help="Raw input only: auto, generic, qcew, cbp, eurostat, bea, "
                               "lodes or nes (canonical tables are recognised).")] = "auto",
    month: Annotated[str, typer.Option(
        "--month", help="Raw QCEW input only: employment of month 1, 2, 3, average (of the "
                        "quarter's months) or annual (of the year's quarters), as for "
                        "ingest.")] = "average",
    suppressed: Annotated[str, typer.Option(
        "--suppressed", help="Suppressed employment cells: drop (LQ left empty, reason "
                             "'suppressed cell'), bounds (also lq_bound_lower/upper and "
                             "specialised_robust from the published data), impute (constrained "
                             "imputation within those bounds; status estimated).")] = "drop",
) -> None:
    """Location quotients with an explicit benchmark, intervals, SLQ and flags."""
    from clusterid import schema
    from clusterid.cli import console
    from clusterid.core import lq as core
    from clusterid.errors import UsageError
    from clusterid.io.ingest import IngestOptions
    from clusterid.io.tables import base_metadata, write_frame
    from clusterid.io.tables import output_format as output_format_of

    output_format_of(output, output_format)  # -o x.xlsx or a folder: said before the work
    from clusterid.cli.options import (benchmark_choice, benchmark_records, benchmark_spec,
                                       keyword, open_benchmark)

    # keywords in any case (--denominator TOTAL, --correction BH, --suppressed Bounds), recorded
    # in the metadata as the plain ones
    denominator, correction, suppressed = keyword(denominator), keyword(correction), keyword(suppressed)

    benchmark = benchmark_spec(benchmark)  # 'REST', 'Region:49000' as the keywords, recorded so
    kind, value = benchmark_choice(benchmark)
    if kind == "table":
        bench = core.Benchmark("table", label=value, table=open_benchmark(
            value, IngestOptions(format="auto", month=month, **raw_ownership(ownership))))
    else:
        bench = core.Benchmark(kind, region=value)
    # --measure as --period is given: repeated or comma-separated, in any case; matched to the
    # input's measures once it is open
    named = [m.casefold() for m in option_values(measure)]
    options = core.LQOptions(
        measures=None, benchmark=bench, denominator=denominator,
        level=level, ownership=tuple(ownership) if ownership else None, threshold=threshold,
        confidence=confidence, correction=correction, bootstrap=bootstrap,
        random_state=random_state, suppressed=suppressed)
    options.validate()
    if suppressed not in ("drop", "bounds", "impute"):
        raise UsageError(f"--suppressed {suppressed!r}; expected one of drop, bounds, impute")
    if suppressed != "drop" and named and "employment" not in named:
        raise UsageError(f"--suppressed {suppressed} works on employment cells; --measure "
                         f"{', '.join(named)} has none (add --measure employment)")

    # given for the input (not for a raw --benchmark FILE): refused with a canonical table
    raw_only = () if bench.kind == "table" else tuple(
        name for name, given in (("--month", month != "average"), ("--format", input_format != "auto"))
        if given)

    # numpy (~0.1 s of start-up) and the industry-code rules (~0.03 s of regular expressions
    # compiled), which compute_lq needs only once it has read the input, imported in the
    # background while polars checks and reads it outside the GIL (polars first: its own import
    # holds the GIL throughout).  scipy's special functions are loaded alone where needed
    # (core.lq.special_functions: ~0.02 s)
    import polars  # noqa: F401

    console.warm_imports("numpy", "clusterid.core.codes")
    # `-` is buffered once by ingest (cached per process): checksummed and read from there;
    # a glob or a zip archive stands for all its files
    records = input_records_of(inputs)
    # a raw file is ingested with the ownerships --ownership needs (options.raw_ownership)
    from clusterid.cli.options import one_measure

    lf, in_meta = open_input(inputs, format=input_format, month=month, ownership=ownership,
                             raw_only=raw_only, indicator_measure=one_measure(measure))
    if not schema.measures_in(lf.collect_schema().names()):
        # said by the table's name: core.compute_lq, which has none, said '<input>'
        from clusterid.cli.options import input_label
        from clusterid.errors import DataError, Problem

        raise DataError(problems=[Problem("the table has no measure column", path=input_label(inputs),
                                          expected="one of " + ", ".join(schema.MEASURES))])
    if measure is not None:
        import dataclasses

        measure = measure_values(measure, schema.measures_in(lf.collect_schema().names()))
        options = dataclasses.replace(options, measures=tuple(measure))
    if ownership:  # 'Private' as the input spells it ('private'), as detect and stats match it
        import dataclasses

        from clusterid.cli.options import ownership_values, unread_ownerships

        have = sorted(lf.select(schema.OWNERSHIP).unique().collect().to_series().drop_nulls()
                      .to_list())
        # 'private,total' is two, as in ingest, stats and impute (it was refused as one value)
        ownership = ownership_values(ownership, have, unread_ownerships(in_meta))
        options = dataclasses.replace(options, ownership=tuple(ownership))
    if period and suppressed == "drop":
        lf, period = only_periods(lf, period)
    imputation = None
    if suppressed != "drop":
        from clusterid.core import overlaps
        from clusterid.core.impute import apply_suppressed

        # a region listing only a NACE aggregate (Eurostat's K-N where others list K, L, M_N)
        # gets rows for its parts, bounded or imputed from it as `clusterid impute` and detect
        # do: without them its activity was missing from the parts' benchmark sums, and their
        # LQs everywhere too high (nama_10r_3empers, AT11 K: 1.84 for 1.44)
        frame, _overlap, unlisted = overlaps.overlapping_aggregates_of(lf.collect(), None)
        frame = _with_unlisted_children(frame)
        if unlisted:
            console.info(f"lq: added {unlisted['rows']} rows for the parts of a NACE aggregate "
                         "(or a NAICS sector range) "
                         f"that a region lists alone ({unlisted['example']}): "
                         f"{'imputed' if suppressed == 'impute' else 'bounded'} from the aggregate "
                         "and the region's other cells, as clusterid impute does")
        with console.step("lq", f"{suppressed}: suppressed employment cells"):
            frame, imputation = apply_suppressed(frame, suppressed)
        if unlisted:
            imputation["unlisted_parts_added"] = unlisted
        lf = frame.lazy()
        del frame
        if period:  # after the imputation, whose priors draw on every period of the table
            lf, period = only_periods(lf, period)
    recorded = {"measure": list(measure) if measure else None, "benchmark": benchmark,
                "denominator": denominator, "level": level, "threshold": threshold,
                "confidence": confidence, "correction": correction,
                "ownership": list(ownership) if ownership else None,
                "period": list(period) if period else None,
                "bootstrap": bootstrap, "random_state": random_state,
                "format": input_format, "month": month, "suppressed": suppressed}
    # a table too large to compute whole (a multi-year national panel): one measure and period
    # at a time, each part written as it is made
    parts = core.plan_parts(lf, options) if imputation is None else None
    if imputation is None and not parts:
        # (a table computed in parts is too large to collect here: national panels, whose
        # agencies list every code level for every region)
        lf = _with_unlisted_children_lazy(lf)
    if parts:
        if bench.kind == "table":
            records.extend(benchmark_records(benchmark))
        try:
            _lq_in_parts(lf, parts, options, output, output_format, records, recorded, in_meta,
                         raw=_is_raw(in_meta), ownership_given=bool(ownership))
        except UsageError as exc:
            raise _with_dropped_totals_hint(exc, bench, in_meta) from None
        return
    handed = [lf]  # handed over without a reference here, so compute_lq can release it
    del lf
    # text columns as Enum columns made from the key codes, for the Parquet writer (the same
    # text in the file; not for CSV, whose writer prints text as it is)
    coded: dict | None = {} if output_format_of(output, output_format) == "parquet" \
        and output != "-" else None
    try:
        df, meta = core.compute_lq(handed.pop(), options, coded=coded)
    except UsageError as exc:
        raise _with_dropped_totals_hint(exc, bench, in_meta) from None
    if imputation is not None:
        meta["suppressed"] = imputation
    _say_notes(meta, bench, df, raw=_is_raw(in_meta), ownership_given=bool(ownership))
    if bench.kind == "table":
        records.extend(benchmark_records(benchmark))
    if output_format_of(output, output_format) == "csv":
        df = core.round_ratios(df)
        meta["csv_ratios"] = CSV_RATIOS
    metadata = base_metadata("lq", inputs=records, options=recorded, lq=meta,
                             source=in_meta or None)
    rows = df.height
    if coded:
        import polars as pl

        df = pl.DataFrame([coded.get(c, df.get_column(c)) for c in df.columns])
    write_frame(df, output, metadata, output_format, rounded=(core.P_VALUE,))
    _say_done(rows, meta, denominator, output)


def _with_unlisted_children(frame):
    """``frame`` with rows, suppressed, for the codes a region lists only through their parent
    (section C alone where other regions list C10, C11, C20:
    :func:`clusterid.core.overlaps.unlisted_children`, as detect reads them), said on stderr.
    Without them the region had no row at the finer level: its whole economy dropped out of
    that level's benchmark total, and the children's benchmark sums lacked it unsaid; with
    them its total stays in, their cells are suppressed (bounded or imputed from the parent
    with --suppressed bounds / impute)."""
    from clusterid.core import overlaps

    frame, info = overlaps.unlisted_children_every_level(frame)
    if info:
        _say_unlisted(info)
    return frame


def _say_unlisted(info: dict) -> None:
    from clusterid.cli import console

    console.info(f"lq: {info['rows']} cells of codes that a region lists only through their "
                 f"parent ({info['example']}) are read as suppressed, bounded by the parent, "
                 "not as 0; the region's total stays in the benchmark total")


def _with_unlisted_children_lazy(lf):
    """:func:`_with_unlisted_children` on a lazy table: looked for on the key columns alone,
    the table collected only where a region lists a parent alone (on the Utah sample, which
    has none, collecting it whole cost lq half a second of CPU)."""
    from clusterid import schema
    from clusterid.core import overlaps

    names = lf.collect_schema().names()
    keys = [c for c in (schema.PERIOD, schema.REGION, schema.OWNERSHIP, schema.INDUSTRY,
                        schema.CLASSIFICATION, schema.LEVEL) if c in names]
    measures = schema.measures_in(names)
    if len(keys) < 6 or not measures:
        return lf
    # the rows found on the probe are the table's own: looked for once, each carrying its
    # parent's place in the table (for its labels)
    probe = lf.select(*keys, measures[0]).with_row_index(_AT).collect()
    found, info = overlaps.unlisted_children_every_level(probe, carry=(_AT,))
    if not info:
        return lf
    _say_unlisted(info)
    return overlaps.with_unlisted_children_of(lf.collect(), found.slice(probe.height), _AT).lazy()


_AT = "_at"  # a row's place in the table, on lq's probe for unlisted children


CSV_RATIOS = "single precision (about 7 significant digits); p_value 7 digits"


def _say_notes(meta, bench, rows, *, raw: bool, ownership_given: bool, summary=None) -> None:
    """The notes lq draws from its output, said on stderr; those about the output kept in
    ``meta`` too.  ``rows``: the LQ table -- or, for a table written in parts, its distinct
    (period, region, ownership, level) rows the options keep, with ``summary`` the parts'
    :func:`_gap_summary` -- so both ways say the same."""
    from clusterid import schema
    from clusterid.cli import console

    regions = rows.get_column(schema.REGION)
    note = one_region_note(regions, "every LQ is 1") if bench.kind == "sum" else None
    if bench.kind == "rest" and rows.height and regions.n_unique() == 1:
        # the rest of the nation of the only region is nothing: every LQ came out 'no
        # benchmark' without a word (REAT's Goettingen table, whose Germany column is read
        # as a region total and dropped)
        from clusterid.cli.options import _ONE_REGION_ADVICE

        note = (f"one region ({regions[0]}): with -b rest its rest of the nation is "
                f"empty, so every LQ is undefined ('no benchmark'); {_ONE_REGION_ADVICE}")
    gaps_of = rows if summary is None else None
    if bench.kind == "table":
        note = _reference_gap_note(gaps_of, held=_reference_periods(bench.table, rows),
                                   held_owners=_reference_ownerships(bench.table),
                                   summary=summary)
    elif bench.kind == "region":
        # a benchmark region missing from some periods (or codes) left those LQs empty
        # without a word
        note = _reference_gap_note(gaps_of, f"the benchmark region {meta['benchmark']['region']}",
                                   summary=summary)
    for text in meta.get("notes", []):
        console.info(f"lq: {text}")
    if not ownership_given and (held := _ownership_note(rows, raw=raw)):  # stderr only
        console.info(f"lq: {held}")
    if note:
        meta["notes"] = [*meta.get("notes", []), note]
        console.info(f"lq: {note}")


def _say_done(rows: int, meta, denominator: str, output: str) -> None:
    """lq's last line on stderr: rows, undefined LQs, benchmark and denominator, where to."""
    from clusterid.cli import console
    from clusterid.core import lq as core

    undefined = sum(meta["undefined"].values())
    unknown = meta["undefined"].get(core.REASON_SUPPRESSED_TOTAL, 0)
    if unknown and unknown * 4 >= rows:
        # a table of divisions without its all-industry rows, a withheld cell in most
        # regions (Kreise x WZ divisions, 5% withheld: 29,753 of 32,000 LQs empty) was told
        # only 'see lq_reason'
        console.info(f"lq: {unknown} of the {rows} LQs are empty because their region's total "
                     "is unknown (lq_reason 'suppressed region total': no all-industry row, "
                     "and the sum of its industries leaves out a suppressed cell); "
                     "--denominator sum divides by the published cells' sum, or add the "
                     "regions' all-industry rows (which also bound the suppressed cells for "
                     "--suppressed impute)")
    console.info(f"lq: {rows} rows ({undefined} undefined, see lq_reason); benchmark "
                 f"{meta['benchmark']['kind']}, denominator {denominator}"
                 + ("" if output == "-" else f" -> {output}"))


def _lq_in_parts(lf, parts, options, output, output_format, records, recorded, in_meta, *,
                 raw: bool, ownership_given: bool) -> None:
    """``lq`` of a table computed one (measure, period) at a time (core.compute_lq_parts): the
    same rows and values as computed whole, written part by part; the notes the whole run
    draws from its output are drawn from the table's distinct rows the options keep."""
    import polars as pl

    from clusterid.cli import console
    from clusterid.core import lq as core
    from clusterid.io.tables import base_metadata, write_frames
    from clusterid.io.tables import output_format as output_format_of

    bench = options.benchmark
    console.info(f"lq: a large table: computed in {len(parts)} parts (measure, period), one at "
                 "a time")
    out: dict = {}
    spill = None
    if "Csv SCAN" in lf.explain():
        # a canonical CSV too large to hold is parsed once into a temporary Parquet table
        # (streaming), whose row groups each part then reads for its period only; scanned as
        # text, it was parsed again for every part
        from clusterid.io.atomic import temp_folder

        spill = temp_folder("lq")
        lf.sink_parquet(f"{spill}/table.parquet")
        lf = pl.scan_parquet(f"{spill}/table.parquet", glob=False)
    frames = core.compute_lq_parts(lf, options, parts, out)
    del lf
    gaps: list = []  # what the note on LQs without a benchmark reads of each part
    if bench.kind in ("region", "table"):
        frames = _with_gap_summaries(frames, gaps)
    csv = output_format_of(output, output_format) == "csv"
    if csv:
        frames = map(core.round_ratios, frames)
    metadata = base_metadata("lq", inputs=records, options=recorded, lq={},
                             source=in_meta or None)

    def completed():  # the metadata, once the last part is made (read by the writer then)
        yield from frames
        meta = out["meta"]
        _say_notes(meta, bench, out["kept"], raw=raw, ownership_given=ownership_given,
                   summary=pl.concat(gaps) if gaps else None)
        if csv:
            meta["csv_ratios"] = CSV_RATIOS
        metadata["lq"] = meta

    try:
        rows = write_frames(completed(), output, metadata, output_format, rounded=(core.P_VALUE,))
    finally:
        if spill is not None:
            import shutil

            shutil.rmtree(spill, ignore_errors=True)
    _say_done(rows, metadata["lq"], options.denominator, output)


def _with_dropped_totals_hint(exc, bench, in_meta):
    """``exc`` (a UsageError), or a benchmark region said missing with why: REAT's Freiburg
    table, whose 'Germany' beside the city is taken for a region total and dropped on the
    fly; 'not in the input' alone sent the user looking."""
    from clusterid.errors import UsageError
    from clusterid.io.readers.generic_plan import is_region_total_name

    dropped = _dropped_region_totals(in_meta) if bench.kind == "region" else 0
    # (only for a total's name: 'region:Bayrn' is a typo, not a dropped 'Insgesamt')
    if dropped and "is not in the input" in str(exc) and is_region_total_name(bench.region):
        if (in_meta or {}).get("foreign_canonical"):  # a canonical table clusterid did not write
            return UsageError(f"{exc}; reading {in_meta['foreign_canonical']} dropped {dropped} "
                              "rows of region totals (no region_level): give them region_level "
                              "nation to keep them")
        return UsageError(f"{exc}; reading the raw file dropped {dropped} rows of region "
                          "totals: ingest it first with --keep-region-totals")
    return exc


def _with_gap_summaries(frames, gaps: list):
    """The parts as they come, each one's :func:`_gap_summary` appended to ``gaps``."""
    for part in frames:
        gaps.append(_gap_summary(part))
        yield part


def _ownership_note(df, raw: bool) -> str | None:
    """Without --ownership, which ownerships (and industry levels) the output holds, in the
    words indices and shift-share use, when there are several (Utah's QCEW sample read raw, with
    ingest's default ownerships: 'private' at levels 2-6, 'total' only as all-industry totals).
    None for one ownership."""
    import polars as pl

    from clusterid import schema

    # the usual table has one ownership: a count of the distinct values says so without the
    # grouped aggregation below (~0.2 s on 3 M cells, a tenth of a Parquet run)
    if df.lazy().select(pl.col(schema.OWNERSHIP).drop_nulls().n_unique()).collect().item() < 2:
        return None
    has_level = schema.LEVEL in df.columns
    # one small aggregation over two columns (a filter per ownership copied the whole output:
    # +1 GB and ~0.4 s on 3 M cells read from a plain CSV)
    levels = (df.lazy().select(schema.OWNERSHIP, pl.col(schema.LEVEL) if has_level
                               else pl.lit(None, pl.Int8).alias(schema.LEVEL))
              .drop_nulls(schema.OWNERSHIP).group_by(schema.OWNERSHIP)
              .agg(pl.col(schema.LEVEL).filter(pl.col(schema.LEVEL) != 0).drop_nulls().unique())
              .sort(schema.OWNERSHIP).collect())
    owners = levels[schema.OWNERSHIP].to_list()
    if len(owners) < 2:  # one ownership is the whole output: nothing to choose between
        return None
    said = []
    for own, lv in levels.iter_rows():
        lv = sorted(lv)
        said.append(f"'{own}' has " + (
            f"industries at level{'s' if len(lv) > 1 else ''} {', '.join(map(str, lv))}" if lv
            else "only all-industry totals" if has_level else "industries"))
    return (f"ownership{'s' if len(owners) > 1 else ''} {' and '.join(owners)} in the output "
            f"({'; '.join(said)}"
            + ("; a raw file is read with ownerships total and private unless --ownership "
               "names others" if raw else "")
            + "; choose with --ownership and --level)")


def _is_raw(in_meta) -> bool:
    """Whether the input was a raw file ingested on the fly (its metadata is ingest's), not a
    canonical table clusterid did not write whose total rows were left out."""
    return bool(in_meta) and not in_meta.get("foreign_canonical")


def _dropped_region_totals(in_meta) -> int:
    """How many region-total rows the on-the-fly ingest dropped (0 for a canonical input)."""
    dropped = (in_meta or {}).get("dropped") or {}
    return sum(int(n) for why, n in dropped.items()
               if str(why).startswith("region total rows") and isinstance(n, (int, float)))


def _reference_periods(table, df) -> set[str] | None:
    """The periods a reference table has rows for (every period of ``df`` when it has no
    period column: it serves them all); None when it cannot be told."""
    import polars as pl

    from clusterid import schema

    try:
        names = table.collect_schema().names()
        if schema.PERIOD not in names:
            return set(df.get_column(schema.PERIOD).unique().to_list())
        return set(table.select(pl.col(schema.PERIOD).cast(pl.String).str.strip_chars()
                                .str.to_uppercase()).unique().collect()
                   .to_series().drop_nulls().to_list())
    except Exception:  # noqa: BLE001 - the note then falls back to the output's rows alone
        return None


def _reference_ownerships(table) -> set[str] | None:
    """The ownerships a reference table has rows for; None when it has no ownership column
    (it serves every one) or they cannot be told."""
    import polars as pl

    from clusterid import schema

    try:
        if schema.OWNERSHIP not in table.collect_schema().names():
            return None
        return set(table.select(pl.col(schema.OWNERSHIP).cast(pl.String).str.strip_chars()
                                .str.to_lowercase()).unique().collect()
                   .to_series().drop_nulls().to_list())
    except Exception:  # noqa: BLE001 - the note then falls back to the output's rows alone
        return None


def _gap_summary(df):
    """What :func:`_reference_gap_note` reads of an LQ table: per (period, ownership, measure,
    industry), whether no row has a benchmark share (``none``) and how many LQs are 'no
    benchmark' (``n_gap``).  The summaries of a table's parts (measure, period) together are
    the whole table's."""
    import polars as pl

    from clusterid import schema
    from clusterid.core import lq as core

    gap = (pl.col(core.LQ_REASON) == core.REASON_NO_BENCHMARK).fill_null(False)
    return (df.lazy().group_by(schema.PERIOD, schema.OWNERSHIP, core.MEASURE, schema.INDUSTRY)
            .agg(pl.col(core.BENCHMARK_SHARE).is_null().all().alias("none"),
                 gap.sum().cast(pl.Int64).alias("n_gap")).collect())


def _reference_gap_note(df, who: str = "the reference", held: set[str] | None = None,
                        held_owners: set[str] | None = None, summary=None) -> str | None:
    """Where a reference table lacks whole periods (the national file of other years) or
    industry codes of the input, say which: their LQs are empty with 'no benchmark'.

    ``held``: the periods the reference has rows for, when known.  A period whose output rows
    all lack a benchmark is only a missing period if the reference has no row of it: under
    --level 6 a national file of 2- to 4-digit codes was said to have 'no rows for period(s)
    2021' (CBP's cbp21us beside its counties), sending the user to the wrong year.
    ``summary``: the output's :func:`_gap_summary` in place of ``df`` (a table written in
    parts)."""
    import polars as pl

    from clusterid import schema
    from clusterid.core import lq as core

    if summary is None:
        gap = (pl.col(core.LQ_REASON) == core.REASON_NO_BENCHMARK).fill_null(False)
        if not df.select(gap.any()).item():
            return None
        summary = _gap_summary(df)
    n = int(summary.get_column("n_gap").sum())
    if not n:
        return None
    none = pl.col("none").all().alias("none")
    by_period = summary.group_by(schema.PERIOD).agg(none)
    whole = sorted(p for p in by_period.filter(pl.col("none"))[schema.PERIOD].to_list()
                   if held is None or p not in held)
    rest = (pl.col("n_gap") > 0) & ~pl.col(schema.PERIOD).is_in(whole)
    # an ownership the reference lacks (national private shares beside total rows): named as
    # such, not as every industry code of it
    by_own = summary.filter(~pl.col(schema.PERIOD).is_in(whole)).group_by(schema.OWNERSHIP).agg(none)
    owners = sorted(by_own.filter(pl.col("none"))[schema.OWNERSHIP].to_list())
    if held_owners is not None:
        # the one ownership of the output (--ownership private) missing from a reference of
        # 'total' rows: every LQ empty, and the note named each of its industry codes, 10 too,
        # which the reference holds
        owners = [o for o in owners if o.lower() not in held_owners]
    if owners and (len(owners) < by_own.height or held_owners is not None):
        rest = rest & ~pl.col(schema.OWNERSHIP).is_in(owners)
    else:
        owners = []
    # likewise a measure (a reference of employment shares beside establishments): its codes
    # were named as missing, though the reference has every one of them
    by_measure = (summary.filter(~pl.col(schema.PERIOD).is_in(whole)
                                 & ~pl.col(schema.OWNERSHIP).is_in(owners))
                  .group_by(core.MEASURE).agg(none))
    measures = sorted(by_measure.filter(pl.col("none"))[core.MEASURE].to_list())
    if measures and len(measures) < by_measure.height:
        rest = rest & ~pl.col(core.MEASURE).is_in(measures)
    else:
        measures = []
    codes = sorted(summary.filter(rest)[schema.INDUSTRY].unique().to_list())
    parts = []
    if whole:
        parts.append("period(s) " + ", ".join(whole))
    if owners:
        parts.append("ownership(s) " + ", ".join(owners)
                     + (f" (it has {', '.join(sorted(held_owners))})" if held_owners else ""))
    if measures:
        parts.append("measure(s) " + ", ".join(measures))
    if codes:
        parts.append("industry code(s) " + ", ".join(codes[:8])
                     + (f" ... ({len(codes)})" if len(codes) > 8 else ""))
    return (f"{n} LQs are empty ('no benchmark'): {who} has no rows for "
            + " and ".join(parts))


def register(app: typer.Typer) -> None:
    app.command("lq", help=HELP)(lq_command)
