"""``clusterid stats``: totals, counts, suppression and coverage per region or per industry.

Example::

    clusterid stats data/samples/qcew_utah_2016_counties.csv.gz --period 2016Q1

The numbers come from :mod:`clusterid.core.describe`; this module opens the input (a canonical
table, or a raw file ingested on the fly), filters it and renders the result: a table on a
terminal, CSV (default when stdout is not a terminal) or JSON.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from clusterid.cli.options import Inputs

HELP = """Per-region and per-industry totals, counts, share suppressed and coverage.

Example: clusterid stats data/samples/qcew_utah_2016_counties.csv.gz --period 2016Q1

--by region (default): one row per period, region and ownership: cells, reported and
suppressed counts, share suppressed, the all-industry total, and coverage = disclosed cells
at the finest code level / that total.  --by industry: one row per period, region level,
ownership and industry: regions, counts, share suppressed, the sum of disclosed values and a
lower bound adding the sources' bounds for suppressed cells.  --by summary: one row per
measure.

The result is data and goes to stdout: a table on a terminal, CSV otherwise (or
--output-format csv|json|table); -o FILE writes CSV or JSON by the file's extension.
"""

FORMATS = ("auto", "table", "csv", "json")


def _render_table(df, title: str) -> None:
    """A rich table on stdout (the data), for reading: columns with one value for every row go
    to the caption, shares print as percentages, large numbers with thousands separators; a
    table wider than the terminal is shown as several, each with the key columns."""
    from rich.cells import cell_len
    from rich.table import Table

    from clusterid import schema
    from clusterid.cli import console

    constant = []
    if df.height > 1:
        for name in df.columns:
            if df[name].n_unique() == 1:
                constant.append(name)
    shown = [c for c in df.columns if c not in constant]

    def fmt(name, v):
        if v is None:
            return ""
        if name in ("share_suppressed", "coverage") and isinstance(v, float):
            return f"{100 * v:.1f}%"
        if isinstance(v, float):
            return f"{v:,.2f}" if abs(v) < 100 else f"{v:,.0f}"
        if isinstance(v, int):
            return f"{v:,}"
        # a name from the data (an ESC sequence, a carriage return, an override) is shown
        # escaped, never acted on by the terminal
        return console.printable(str(v))

    # a column empty on every row (no region names in the table) is no caption's "name = "
    caption = ", ".join(f"{c} = {fmt(c, df[c][0])}" for c in constant
                        if df[c][0] is not None) or None
    cells = [[fmt(name, v) for name, v in zip(shown, row)] for row in df.select(shown).iter_rows()]
    headers = [{"share_suppressed": "% suppressed", "coverage": "coverage %"}.get(c, c)
               for c in shown]
    # the columns saying what a row is (region, ownership, industry, its name and level) and
    # the figures about it
    keys = [i for i, c in enumerate(shown) if not df.schema[c].is_numeric() or c == schema.LEVEL]
    values = [i for i in range(len(shown)) if i not in keys]
    # widths in terminal cells (a CJK region name takes two a character)
    natural = [max([cell_len(headers[i])] + [cell_len(r[i]) for r in cells])
               for i in range(len(shown))]
    out = console.out_console()

    def key_widths(room: int) -> dict[int, int] | None:
        """The key columns' widths within ``room`` characters: each as wide as it is (a name at
        most 26), the widest giving way first, none below 8; None where 8 each do not fit."""
        widths = {i: min(natural[i], 26) for i in keys}
        floor = {i: min(widths[i], 8) for i in keys}
        while sum(widths.values()) > room:
            widest = max(widths, key=lambda i: (widths[i] - floor[i], -i))
            if widths[widest] <= floor[widest]:
                return None
            widths[widest] -= 1
        return widths

    def room_for(group: list[int]) -> int:  # the key columns' share of the terminal's width
        return out.width - 1 - 3 * (len(keys) + len(group)) - sum(natural[i] for i in group)

    # numbers and their headings are never cut; names give way, with an ellipsis.  A table
    # wider than the terminal (--by region has 13 columns, --by industry 15) is shown as
    # several, each repeating the key columns: rich squeezed every column alike and cropped
    # the right-hand ones, so an 80-column terminal showed no coverage, 'reported' as 'repo…'
    # and some counts as columns of width 0.
    groups: list[list[int]] = []
    for i in values:
        if groups and key_widths(room_for(groups[-1] + [i])) is not None:
            groups[-1].append(i)
        else:
            groups.append([i])
    groups = groups or [[]]
    for n, group in enumerate(groups, 1):
        part = f" ({n} of {len(groups)})" if len(groups) > 1 else ""
        table = Table(title=console.printable(title) + part, caption=caption if n == 1 else None,
                      header_style="bold")
        widths = key_widths(room_for(group)) or {i: min(natural[i], 8) for i in keys}
        for i in sorted(keys + group):
            numeric = i in group
            table.add_column(headers[i], justify="right" if df.schema[shown[i]].is_numeric()
                             else "left", no_wrap=True,
                             width=natural[i] if numeric else widths[i], overflow="ellipsis")
        for r in cells:
            table.add_row(*(r[i] for i in sorted(keys + group)))
        out.print(table)


def _parquet_only(inputs) -> bool:
    """Every file of INPUT is Parquet: opened lazily, a filter on a period reads only its row
    groups, so the statistics by region go a period at a time.  (A CSV would be parsed again
    for each period, and stdin or a raw file is held in memory already.)"""
    from clusterid.cli.options import input_list
    from clusterid.io.ingest import STDIN, expand_pattern, is_pattern
    from clusterid.io.tables import _is_parquet

    files = [f for arg in input_list(inputs)
             for f in (expand_pattern(arg) if is_pattern(arg) else [arg])]
    return all(f != STDIN and _is_parquet(Path(f)) for f in files)


def _json_text(df, meta: dict) -> str:
    import json

    return json.dumps({**meta, "rows": df.to_dicts()}, sort_keys=True, indent=1,
                      ensure_ascii=False, allow_nan=False, default=str) + "\n"


def stats(
    inputs: Inputs,
    by: Annotated[str, typer.Option("--by", help="region, industry or summary.")] = "region",
    measure: Annotated[Optional[str], typer.Option("--measure", "-m", help="One of employment, establishments, wages or output, in any case (default: the first present; --by summary covers every one).")] = None,
    period: Annotated[Optional[list[str]], typer.Option("--period", help="Only these periods (repeat, or comma-separated).")] = None,
    ownership: Annotated[Optional[list[str]], typer.Option("--ownership", help="Only these ownerships (repeat, or comma-separated), e.g. private.")] = None,
    industry_level: Annotated[Optional[int], typer.Option("--industry-level", help="Only codes of this level (0 total, NAICS 2-6, NACE 1-4); --by region: the cells of that level against the all-industry total.")] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write to FILE (.csv or .json) instead of stdout.")] = None,
    output_format: Annotated[str, typer.Option("--output-format", help="auto, table, csv or json (auto: table on a terminal, else CSV; by extension with -o).")] = "auto",
) -> None:
    import io

    import polars as pl

    from clusterid import schema
    from clusterid.core import describe
    from clusterid.errors import UsageError
    from clusterid.io.atomic import write_text_atomic

    from clusterid.cli.options import keyword

    by, output_format = keyword(by), keyword(output_format)  # --by Summary, --output-format CSV
    if by not in describe.BY_CHOICES:
        raise UsageError(f"--by {by!r}: expected one of {', '.join(describe.BY_CHOICES)}")
    if output_format not in FORMATS:
        raise UsageError(f"--output-format {output_format!r}: expected one of {', '.join(FORMATS)}")
    if output_format == "table" and output is not None and output != "-":
        # the table is a terminal's view: -o x.json wrote the file's JSON, unsaid (an explicit
        # format is otherwise honoured, as lq's --output-format csv under x.parquet), after the work
        raise UsageError(f"--output-format table shows the table on a terminal; -o {output} "
                         "writes csv or json: give --output-format csv|json, or leave -o out")
    from clusterid.cli.options import input_label, input_list, input_records_of, open_input
    from clusterid.io.tables import refuse_overwriting

    input = input_label(inputs)
    if output is not None and output != "-":  # an empty path, a folder, /dev/null: said first
        from clusterid.io.atomic import check_target

        check_target(output)
    if output is not None:  # -o naming the input replaced the table by its statistics
        refuse_overwriting(output, input_list(inputs))
    # a raw file is read with the ownerships --ownership asks for
    from clusterid.cli.options import one_measure

    lf, meta = open_input(inputs, ownership=ownership, indicator_measure=one_measure(measure))
    from clusterid.cli.options import unread_ownerships

    unread = unread_ownerships(meta)
    if unread:  # what is in the file, said: a government-only QCEW file looked like totals only
        from clusterid.cli import console

        console.info(f"stats: the file's rows of ownership {', '.join(unread)} were not read "
                     "(a raw file is read with total and private unless --ownership names "
                     f"others; e.g. --ownership {unread[0]})")
    names = lf.collect_schema().names()
    present = schema.measures_in(names)
    if not present:  # the input's fault, not the command line's: exit 1 (it was 2)
        from clusterid.errors import DataError, Problem

        raise DataError(problems=[Problem("the table has no measure column", path=input,
                                          expected="one of " + ", ".join(schema.MEASURES))])
    if measure is None:
        measure = present[0]
    else:  # 'Employment' as the input spells it; 'employment,wages' is two
        from clusterid.cli.options import measure_values

        named = measure_values(measure, present)
        if len(named) > 1:
            raise UsageError(f"--measure {measure}: expected one measure (stats describes one "
                             f"at a time; --by summary covers every one), found {len(named)}")
        measure = named[0]
    whole = lf  # before --period and --ownership
    # a filter value the table does not hold (a typo, '2016Q5') would give an empty table
    # that looks like an answer: refused, naming what the table has
    for option, column, wanted in (("--period", schema.PERIOD, period),
                                   ("--ownership", schema.OWNERSHIP, ownership),
                                   ("--industry-level", schema.LEVEL,
                                    None if industry_level is None else [industry_level])):
        if not wanted or column not in names:
            continue
        have = [v for v in describe.distinct(lf, column) if v is not None]
        if column == schema.PERIOD:  # '2016q1' for the table's '2016Q1'; '2016Q1,2016Q2' as lq
            from clusterid.cli.options import option_values
            from clusterid.core.indices import match_period

            wanted = [match_period(w, have) or w for w in option_values(wanted) or [""]]
            wanted_periods = wanted
        elif column == schema.OWNERSHIP:  # 'Private' or 'private,total', as lq and impute
            from clusterid.cli.options import ownership_values

            # ('' names none: refused as a value not in the table, not an empty filter)
            wanted = ownership_values(wanted, have, unread)
        absent = [w for w in wanted if w not in have]
        if absent and column == schema.PERIOD:
            from clusterid.core.indices import period_not_held

            raise period_not_held(absent, have)
        if absent:
            shown = absent[0] if str(absent[0]).strip() else repr(absent[0])  # '' seen
            raise UsageError(f"{option} {shown}: not in the table; it has "
                             + ", ".join(str(v) for v in sorted(have)))
        if column != schema.LEVEL:  # the level is describe's: --by region keeps the totals
            lf = lf.filter(pl.col(column).is_in(wanted))
    if by != "summary" and (without := describe.periods_without(lf, measure)):
        # a period whose table (of several given as one) has no such column: its rows read as
        # cells neither reported nor suppressed, a share suppressed of 0 and no total
        have = describe.distinct(whole, schema.PERIOD)
        if period or len(without) == len(have):
            held = sorted(set(have) - set(describe.periods_without(whole, measure)))
            raise UsageError(f"--measure {measure}: the input's table of period "
                             f"{', '.join(without)} has no such column; periods with it: "
                             + (", ".join(held) or "(none)"))
        from clusterid.cli import console

        console.info(f"stats: period{'s' if len(without) > 1 else ''} {', '.join(without)} "
                     f"left out: no {measure} there (the input's table of that period has no "
                     "such column)")
        lf = lf.filter(~pl.col(schema.PERIOD).is_in(without))
        whole = whole.filter(~pl.col(schema.PERIOD).is_in(without))  # said once, here
    if (industry_level is not None and schema.LEVEL in names) or ownership:
        # a period without codes of that level (a new year's table rolled up to 3 digits
        # beside 6-digit ones) or rows of that ownership (read with total only): its rows
        # vanished from the output, unsaid
        asked = whole.filter(pl.col(schema.PERIOD).is_in(wanted_periods)) if period else whole
        at = (lf if industry_level is None or schema.LEVEL not in names
              else lf.filter(pl.col(schema.LEVEL) == industry_level))
        at = describe.distinct(at, schema.PERIOD)
        bare = sorted(set(describe.distinct(asked, schema.PERIOD)) - set(at))
        if bare:
            from clusterid.cli import console
            from clusterid.cli.options import option_values

            what = [f"industry codes of level {industry_level}"
                    if industry_level is not None else "",
                    f"rows of ownership {', '.join(option_values(ownership))}" if ownership
                    else ""]
            console.info(f"stats: period{'s' if len(bare) > 1 else ''} {', '.join(bare[:6])}"
                         f"{' ...' if len(bare) > 6 else ''} left out: no "
                         + " or ".join(w for w in what if w) + " there")
    left_out: dict = {}  # what the detail left out to sum each activity once (31-33 ...)
    df = describe.describe(lf, by, measure, present, industry_level, left_out,
                           by_period=_parquet_only(inputs))
    if by == "region":
        over = df.filter(pl.col("coverage") > 1 + 1e-9)
        if over.height:  # cells counted twice, or a total too small: a coverage of 130% said
            from clusterid.cli import console

            worst = over.sort(["coverage", "period", "region"],
                              descending=[True, False, False]).row(0, named=True)
            console.info(f"stats: in {over.height} row{'s' if over.height > 1 else ''} the "
                         f"finest cells add up to more than the all-industry total (coverage "
                         f"up to {100 * worst['coverage']:.1f}%: {worst['region']} "
                         f"{worst['period']}): some codes overlap (an aggregate beside its "
                         "parts under --classification custom?) or the total is not theirs")
    about = {"kind": "stats", "by": by, "measure": measure if by != "summary" else None,
             "input": input, "filters": {"period": period, "ownership": ownership,
                                         "industry_level": industry_level}}
    if left_out:
        about["sum_leaves_out"] = dict(sorted(left_out.items()))

    fmt = output_format
    if output is not None and output != "-":
        if fmt == "auto":
            suffix = Path(output).suffix.lower()
            if suffix not in (".csv", ".txt", ".json"):
                # a Parquet or gzip name would get CSV text under it
                raise UsageError(f"{output}: stats writes .csv or .json (got "
                                 f"{suffix or 'no extension'}); or give --output-format csv|json")
            fmt = "json" if suffix == ".json" else "csv"
        if fmt == "json":
            write_text_atomic(output, _json_text(df, about))
        else:  # the provenance beside it, as every CSV output has (JSON carries it inside)
            from clusterid.io.tables import base_metadata, reading_ready, write_with_sidecar

            metadata = base_metadata("stats", inputs=input_records_of(inputs), options=about,
                                     source=meta or None)
            write_with_sidecar(output, reading_ready(df).write_csv, metadata)
        from clusterid.cli import console

        console.info(f"stats: {df.height} rows by {by} -> {output}")
        return
    if fmt == "auto":
        fmt = "table" if sys.stdout.isatty() else "csv"
    if fmt == "table":
        title = f"{by} statistics" + (f" of {measure}" if by != "summary" else "")
        _render_table(df, title)
    elif fmt == "json":
        sys.stdout.write(_json_text(df, about))
    else:
        from clusterid.io.tables import reading_ready

        buf = io.StringIO()
        reading_ready(df).write_csv(buf)
        sys.stdout.write(buf.getvalue())
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    app.command("stats", help=HELP)(stats)
