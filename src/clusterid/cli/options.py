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
