"""Options shared by several commands, defined once so a flag means the same everywhere."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

Output = Annotated[
    str,
    typer.Option("--output", "-o", help="Output file (.parquet default, .csv), or - for CSV on stdout."),
]
OutputFormat = Annotated[
    str,
    typer.Option("--output-format", help="auto (from the extension), parquet or csv."),
]
Measure = Annotated[
    str,
    typer.Option("--measure", "-m", help="employment, establishments, wages or output."),
]
Level = Annotated[
    Optional[int],
    typer.Option("--level", help="Roll industry codes up to this level (NAICS digits 2-6; NACE 1-4)."),
]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]
RandomState = Annotated[
    int, typer.Option("--random-state", help="Seed for every random step (recorded in metadata).")
]


def one_region_note(regions, consequence: str) -> str | None:
    """The note for a sum-of-regions benchmark over a table of one region, which is that region
    itself: every comparison with it is trivial -- said, not left to look like a finding.
    ``regions``: the region column of the result; None when it holds several (or none)."""
    if len(regions) == 0 or regions.n_unique() != 1:
        return None
    return (f"one region ({regions[0]}): the sum-of-regions benchmark is the region itself, so "
            f"{consequence}; give -b/--benchmark FILE (e.g. the national table), or ingest with "
            "--keep-region-totals to keep a national column")


def ownership_values(ownership) -> list[str]:
    """``--ownership`` as given (None, one value, or repeated values, each possibly
    comma-separated) -> the list of ownership names, in order, without repeats."""
    if ownership is None:
        return []
    items = [ownership] if isinstance(ownership, str) else list(ownership)
    return list(dict.fromkeys(o.strip() for item in items for o in item.split(",") if o.strip()))


def raw_ownership(ownership) -> dict:
    """How a raw QCEW file is read for ``--ownership``: the ownerships asked for plus the
    all-ownership total (the BLS denominator, and the region totals); without the option (or
    ``auto``), ingest's default (total, private).  Returned as IngestOptions keywords.

    Every command that ingests a raw INPUT (or a raw ``--benchmark FILE``) on the fly reads it
    through this: with ingest's default ownerships ``--ownership local`` on a raw BLS file was
    "not in the input" though the file holds local government rows."""
    wanted = [o for o in ownership_values(ownership) if o != "auto"]
    return {"ownership": tuple(dict.fromkeys(["total", *wanted]))} if wanted else {}


def open_input(path, *, ownership=None, raw_only: tuple[str, ...] = (), **options):
    """``(LazyFrame, metadata)`` of a command's INPUT: a canonical table as is, a raw agency
    file ingested on the fly with ``options`` (IngestOptions fields: format, month ...) and
    the ownerships ``--ownership`` needs (:func:`raw_ownership`).  ``raw_only``: the options
    given that apply to a raw file only (refused with a canonical table)."""
    from clusterid.io.ingest import IngestOptions, check_format, load_input

    if "format" in options:
        check_format(options["format"])
    return load_input(path, IngestOptions(**options, **raw_ownership(ownership)), raw_only)
