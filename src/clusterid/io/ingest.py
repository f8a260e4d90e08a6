"""Ingest: raw agency files -> one canonical table.  The adapters' common contract lives here.

Each adapter module under :mod:`clusterid.io.readers` provides

    sniff(header: list[str], first_bytes: bytes) -> bool     # does this file look like mine?
    read(paths: list[str], options: IngestOptions) -> AdapterResult

and :func:`ingest` picks the adapter (``--format auto`` asks each ``sniff`` in turn), brings
the result to canonical shape, validates it and returns the frame with its provenance.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from clusterid.errors import UsageError

FORMATS = ("auto", "generic", "qcew", "cbp", "eurostat")


@dataclass
class IngestOptions:
    """Every option of ``clusterid ingest``; adapters ignore the ones that are not theirs."""

    format: str = "auto"
    # text
    encoding: str | None = None
    sep: str | None = None
    decimal: str | None = None
    thousands: str | None = None
    # spreadsheets
    sheet: str | None = None
    skip_rows: int | None = None
    # generic layout and column mapping
    layout: str = "auto"  # auto | long | wide
    wide_axis: str = "auto"  # auto | industry | period | measure
    region_col: str | None = None
    region_name_col: str | None = None
    industry_col: str | None = None
    industry_name_col: str | None = None
    period_col: str | None = None
    measure_cols: dict[str, str] = field(default_factory=dict)  # measure -> source column
    measure: str = "employment"  # the measure a wide table's cells hold
    period: str | None = None  # constant period for files without one
    region_level: str | None = None
    classification: str = "auto"  # auto | naics | nace | custom
    # aggregation
    level: int | None = None  # roll up to this code level
    # QCEW
    ownership: tuple[str, ...] = ("total", "private")
    month: str = "average"  # 1 | 2 | 3 | average  (quarterly files); annual files: annual average
    # errors
    on_error: str = "fail"  # fail | skip
    rejects: str | None = None

    def describe(self) -> dict[str, Any]:
        """The options as recorded in metadata (defaults included, so a re-run is exact)."""
        return asdict(self)


@dataclass
class AdapterResult:
    """What an adapter hands back: a lazy canonical-ish frame and its counts."""

    frame: Any  # polars.LazyFrame with keys + measures (+ optional labels, status, bounds)
    adapter: str
    rows_read: int | None = None
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> rows
    notes: list[str] = field(default_factory=list)


def sha256_of(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt
