"""``clusterid report``: the output folder of ``clusterid detect`` as a report people read."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

HELP = """Write a report of a detect output folder: HTML (self-contained), Markdown or JSON.

Example: clusterid report tests/data/report/detect -o report.html

The format follows the extension of -o (.html, .md, .json) unless --format says otherwise; -o -
writes to stdout (Markdown unless --format).  The HTML opens offline: inline CSS and SVG charts,
no script, nothing loaded from the network.  It shows what was run on what (inputs, checksums,
options, versions), data quality (suppressed and estimated shares, coverage, what detect
noted), what every heading of its tables means (for a reader who never ran clusterid: the
USCMP tier 'significant' is no statistical test; 'robust', 'partial', LQ low/high), the cluster
definitions with their scores and relatedness, each region's portfolio (bubble chart: LQ against
growth, or against share with one period) and strong clusters, and for each cluster the regions
where it is strongest.  Only the --top-regions largest regions get their own section; the JSON
report lists every region.  Same folder -> byte-identical report (no clock is read).
"""

FORMATS = ("html", "md", "json")
# the names a format goes by, as --format (in any case) or as -o's extension
FORMAT_NAMES = {"html": "html", "htm": "html", "md": "md", "markdown": "md", "json": "json"}


def report_command(
    ctx: typer.Context,
    detect_dir: Annotated[str, typer.Argument(metavar="DETECT_OUTDIR",
                                              help="Output folder of `clusterid detect`.")],
    output: Annotated[str, typer.Option("--output", "-o", help="report.html, report.md, report.json, or -.")],
    fmt: Annotated[
        Optional[str], typer.Option("--format", help="html, md or json (default: from the -o extension)."),
    ] = None,
    top_regions: Annotated[
        int, typer.Option("--top-regions", help="Regions with their own section (largest employment first).",
                          min=0),
    ] = 25,
    top_per_cluster: Annotated[
        int, typer.Option("--top-per-cluster", help="Regions listed under each cluster.", min=1),
    ] = 10,
) -> None:
    import sys
    from pathlib import Path

    from clusterid.cli import console
    from clusterid.cli.options import only_one
    from clusterid.errors import UsageError
    from clusterid.io.atomic import write_text_atomic
    from clusterid.io.report_input import read_detect_folder
    from clusterid.report.build import build_report

    detect_dir = only_one([detect_dir, *ctx.args], "DETECT_OUTDIR", "report")
    # an unset shell variable: '' is the current folder to pathlib (read as a detect folder
    # there), and as -o it was "cannot tell the report format from the extension"
    if detect_dir == "":
        raise UsageError("'': an empty detect folder path (an unset shell variable?); give the "
                         "output folder of `clusterid detect`")
    if output == "":
        raise UsageError("-o '': an empty output path (an unset shell variable?); give a file "
                         "name, or - for stdout")

    # 'MD', 'Html' as the lower-case names (every other option's words match in any case)
    kind = FORMAT_NAMES.get(fmt.strip().lower(), fmt.strip().lower()) if fmt else None
    if kind is None:
        kind = FORMAT_NAMES.get(Path(output).suffix.lower().lstrip("."))
        if output == "-":
            kind = "md"
        if kind is None:
            raise UsageError(f"{output}: cannot tell the report format from the extension; "
                             "use .html, .md or .json, or give --format")
    if kind not in FORMATS:
        raise UsageError(f"unknown --format {kind!r}; expected one of {', '.join(FORMATS)}")

    if output != "-":
        # -o naming a table of the detect folder (its metadata.json for a JSON report) replaced
        # the input by the report, exit 0; a report written beside them is fine
        from clusterid.io.atomic import check_target
        from clusterid.io.report_input import OPTIONAL, REQUIRED
        from clusterid.io.tables import refuse_overwriting

        check_target(output)  # a name too long for the file system: before any work
        refuse_overwriting(output, [str(Path(detect_dir) / name)
                                    for name in (*REQUIRED, *OPTIONAL, "metadata.json")])
    results = read_detect_folder(detect_dir)
    _check_key_columns(results)
    if results.edited:
        console.info(f"report: {', '.join(results.edited)} "
                     f"{'differs' if len(results.edited) == 1 else 'differ'} from the checksums "
                     "detect recorded (edited since?); the report says so")
    if results.missing:
        console.info(f"report: {', '.join(results.missing)}, which detect wrote, "
                     f"{'is' if len(results.missing) == 1 else 'are'} missing from the folder; "
                     f"the report is made without {'it' if len(results.missing) == 1 else 'them'}")
    # a count beyond any table's rows is every region, as a count beyond its regions is: past
    # polars' 64-bit row count it was "internal error: OverflowError: int too big to convert"
    top_regions, top_per_cluster = min(top_regions, 2**40), min(top_per_cluster, 2**40)
    report = build_report(results, top_regions=top_regions, top_per_cluster=top_per_cluster)
    if kind == "html":
        from clusterid.report.html import render_html

        text = render_html(report)
    elif kind == "md":
        from clusterid.report.markdown import render_markdown

        text = render_markdown(report)
    else:
        from clusterid.report.jsonout import render_json

        text = render_json(report)
    if output == "-":
        if kind == "md" and sys.stdout.isatty():
            # on a terminal a name from the data is shown escaped (``\\x1b``), never acted on
            # (a screen cleared, the title changed, text hidden); a file or pipe keeps it
            text = console.printable(text, isolates=True)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_text_atomic(output, text)
    console.info(f"wrote {output} ({len(text.encode('utf-8')) / 1024:.0f} KB, "
                 f"{counted(report['quality'].get('n_regions'), 'region')}, "
                 f"{counted(len(report['clusters']), 'cluster')})")


def counted(n, noun: str) -> str:
    """'1 region', '30 regions' (the report of one region said '1 regions')."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


# The columns the report cannot do without (the rest are optional: the report shows what there is)
KEY_COLUMNS = {"clusters.csv": ("industry", "cluster_id"),
               "cluster_summary.csv": ("cluster_id",),
               "regional_clusters.csv": ("period", "region", "cluster_id")}


def _check_key_columns(results) -> None:
    """A table of the folder without its key columns (replaced by hand, another tool's file)
    is bad data named with its path, not 'internal error: ColumnNotFoundError'."""
    from clusterid.errors import DataError, Problem

    frames = {"clusters.csv": results.clusters, "cluster_summary.csv": results.summary,
              "regional_clusters.csv": results.regional}
    problems = []
    for name, cols in KEY_COLUMNS.items():
        missing = [c for c in cols if c not in frames[name].columns]
        if missing:
            problems.append(Problem(
                f"not a `clusterid detect` {name} (no column {', '.join(missing)})",
                path=str(results.folder / name), line=1, expected=", ".join(cols),
                found=", ".join(frames[name].columns[:6]) or "no columns",
                hint="run `clusterid detect` again into this folder"))
    if problems:
        raise DataError(problems=problems)


def register(app: typer.Typer) -> None:
    # extra arguments (an unquoted pattern the shell expanded) reach the command, which names
    # them in one line (only_one) instead of click's "unexpected extra argument"
    app.command("report", help=HELP, context_settings={"allow_extra_args": True})(report_command)
