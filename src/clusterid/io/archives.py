"""Which members of a zip archive are data tables.

Agencies ship their CSVs zipped beside a readme, a licence or a record layout, often as
``.txt`` like the data (Census CBP's ``cbp16co.txt``), so a member's extension does not tell a
table from its documentation.  A text member is skipped when it is clearly not a table: no two
consecutive lines split into the same number (two or more) of fields, under any separator the
readers know, with numbers or empty cells among them (a record layout's aligned columns are no
such table: no reader reads a fixed-width file).  Skipped members are never silent: they are
kept here, per archive, and go into the provenance of the command that read the archive.
"""

from __future__ import annotations

import csv
import hashlib
import re

# a text member's first bytes decide (a table shows itself in its first lines)
SNIFF_BYTES = 65536
NOT_A_TABLE = "not a data table (no rows of delimited fields with numbers): documentation?"
_SEPARATORS = (",", ";", "\t", "|")
_NUMBERISH = re.compile(r"^[-+(]?\d[\d\s.,'\u00a0]*\)?\s*[A-Za-z*]{0,2}$")
_MARKERS = {":", "x", "х", "-", "–", "—", ".", "..", "...", "(d)", "(x)", "(s)", "(z)", "na", "n/a"}

# archive (as given to archive_members) -> [{path, sha256, skipped}] of its skipped members
SKIPPED: dict[str, list[dict]] = {}


def zip_names(path: str) -> list[str] | None:
    """The member names of a zip file (a zip archive, an xlsx workbook), None when ``path`` is
    no readable zip.  Opening ``path`` itself may raise ``OSError``."""
    import zipfile

    with open(path, "rb") as fh:
        # PK\5\6: an archive holding nothing (its end record alone), said as such by the
        # caller, not as "not a readable xlsx workbook"
        if fh.read(4) not in (b"PK\x03\x04", b"PK\x05\x06"):
            return None
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.namelist()
    except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError, ValueError):  # damaged: "version 11.9"
        return None  # the reader says what is wrong with it


def _numberish(cell: str) -> bool:
    cell = cell.strip()
    return not cell or cell.lower() in _MARKERS or bool(_NUMBERISH.match(cell))


def _decode(head: bytes) -> str:
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return head.decode("utf-16", errors="replace")
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut by the sniff's end
            return head[:exc.start].decode("utf-8-sig")
        return head.decode("latin-1")


def _fields(line: str, sep: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=sep), [])
    except csv.Error:
        return line.split(sep)


def not_a_table(head: bytes, truncated: bool) -> str | None:
    """The reason a text member is clearly no data table, or None (it may be one: read it).

    ``head``: its first bytes; ``truncated``: the member goes on past them (the last line
    may be cut).
    """
    if b"\x00" in head and head[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        return None  # binary: the reader says what it is
    lines = [ln for ln in _decode(head).splitlines() if ln.strip()]
    if truncated and lines:
        lines = lines[:-1]
    if not lines:
        return "empty: no line of text"
    lines = lines[:200]
    for sep in _SEPARATORS:
        split = [_fields(ln, sep) for ln in lines]
        for prev, row in zip(split, split[1:]):
            if len(row) >= 2 and len(row) == len(prev) and \
                    3 * sum(_numberish(c) for c in row) >= len(row):
                return None
    return NOT_A_TABLE


def member_not_a_table(zf, info) -> str | None:
    """:func:`not_a_table` of a zip member's first bytes (workbooks, Parquet: None)."""
    import gzip
    import zipfile
    from pathlib import Path

    name = info.filename.lower()
    if Path(name.removesuffix(".gz")).suffix not in (".csv", ".tsv", ".txt", ".dat"):
        return None
    try:
        with zf.open(info) as raw:
            fh = gzip.GzipFile(fileobj=raw) if name.endswith(".gz") else raw
            head = fh.read(SNIFF_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError):
        return None  # extraction reports it
    return not_a_table(head[:SNIFF_BYTES], len(head) > SNIFF_BYTES)


def member_sha256(zf, info) -> str:
    h = hashlib.sha256()
    with zf.open(info) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def skipped_records(paths) -> list[dict]:
    """Provenance records (``{path, sha256, skipped}``) of the members skipped in the archives
    among a command's input arguments ``paths`` (files or quoted globs), once read."""
    from clusterid.io.ingest import glob_files, is_pattern

    out: list[dict] = []
    for p in paths:
        p = str(p)
        files = glob_files(p) if is_pattern(p) else [p]
        for f in files:
            out.extend(SKIPPED.get(f, []))
    return out
