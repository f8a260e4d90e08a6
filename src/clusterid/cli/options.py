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
