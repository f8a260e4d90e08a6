"""Codes a spreadsheet took the leading zeros off, in a canonical table clusterid did not write.

A canonical CSV opened in Excel or LibreOffice and saved again comes back with its code cells
read as numbers: FIPS ``01001`` is ``1001``, Alabama ``01`` is ``1``, the AGS key of Flensburg
``01001`` is ``1001``.  Read as they are, the county is a region no other file knows, and a
table that holds both spellings (rows appended from another export) splits one region in two.

:func:`restore_leading_zeros` puts the zero back where the region's level says how long its
code is (``region_level`` county: 5 digits, state: 2, or 5 as QCEW writes ``01000``, AGS
land / regierungsbezirk / kreis / gemeindeverband / gemeinde: 2 / 3 / 5 / 9 / 8 or 12), one zero, only on a code one digit
short.  Codes of a level it does not know are left as they are; but one table holding a code
with and without its leading zero (``1001`` and ``01001``, industries ``0100`` and ``100``) is
refused, located, rather than read as two.
"""

from __future__ import annotations

from clusterid import schema
from clusterid.errors import DataError, Problem

# the lengths of the digit codes of a level (its canonical name, io.readers.levels)
CODE_LENGTHS = {"county": (5,), "state": (2, 5), "land": (2,), "regierungsbezirk": (3,),
                "kreis": (5,), "gemeindeverband": (9,), "gemeinde": (8, 12),
                # numeric codes levelled by their length (io.readers.region_nesting)
                **{f"{n}-digit": (n,) for n in range(2, 13)}}
_HINT = ("a spreadsheet drops leading zeros: save the code columns as text (format the column "
         "as Text before pasting, or =TEXT(B2,\"00000\")), or write the table again from the "
         "raw files with `clusterid ingest`")


def restore_leading_zeros(lf, shown: str, header_at: int | None = 1, source=None):
    """``lf`` with its region codes one zero short restored (see the module docstring);
    DataError when a region or industry code is given both with and without its leading
    zero.  One pass over the distinct codes.  ``header_at``: a CSV's header line (blank lines
    before it count in the rows' lines); None for a Parquet table, which has rows, no lines.
    ``source``: the CSV file, read again to locate a row below a quoted line break."""
    import polars as pl

    names = lf.collect_schema()
    if names.get(schema.REGION) != pl.String:
        return lf
    region = pl.col(schema.REGION).str.strip_chars()
    by_level = names.get(schema.REGION_LEVEL) == pl.String
    pairs = (lf.select(region.alias("r"),
                       (pl.col(schema.REGION_LEVEL).str.strip_chars().str.to_lowercase() if by_level
                        else pl.lit(None, pl.String)).alias("lv"))
             .filter(pl.col("r").str.contains(r"^\d+$").fill_null(False))
             .unique().collect(engine="streaming"))
    short = []  # (level, length) of the codes one zero short
    for lv, lengths in CODE_LENGTHS.items():
        have = pairs.filter(pl.col("lv") == lv).get_column("r").str.len_chars().unique().to_list()
        short += [(lv, n) for n in have if n not in lengths and n + 1 in lengths]
    restored = pairs.get_column("r")
    if short:
        pad = pl.any_horizontal((pl.col("lv") == lv) & (pl.col("r").str.len_chars() == n) for lv, n in short)
        restored = pairs.select(pl.when(pad).then(pl.lit("0") + pl.col("r")).otherwise(pl.col("r"))).to_series()
        cond = pl.any_horizontal((pl.col(schema.REGION_LEVEL).str.strip_chars().str.to_lowercase() == lv)
                                 & region.str.contains(r"^\d+$") & (region.str.len_chars() == n)
                                 for lv, n in short).fill_null(False)
        lf = lf.with_columns(pl.when(cond).then(pl.lit("0") + region).otherwise(pl.col(schema.REGION))
                             .alias(schema.REGION))
    problems = _twice(lf, shown, schema.REGION, set(restored.to_list()), "region", header_at,
                      source)
    if names.get(schema.INDUSTRY) == pl.String:
        codes = (lf.select(pl.col(schema.INDUSTRY).str.strip_chars()).unique()
                 .filter(pl.col(schema.INDUSTRY).str.contains(r"^\d+$").fill_null(False))
                 .collect(engine="streaming").get_column(schema.INDUSTRY).to_list())
        problems += _twice(lf, shown, schema.INDUSTRY, set(codes), "industry", header_at,
                           source)
    if problems:
        raise DataError(problems=problems)
    return lf


def _twice(lf, shown: str, column: str, codes: set[str], what: str,
           header_at: int | None = 1, source=None) -> list[Problem]:
    """The codes of ``codes`` present both with and without their leading zeros, located at
    the first row of the short spelling (the file's line, the header at ``header_at``; a
    Parquet table's row, ``header_at`` None)."""
    import polars as pl

    found = sorted((c, c.lstrip("0")) for c in codes if c.startswith("0") and c.lstrip("0") in codes)
    out = []
    for full, bare in found[:5]:
        row = (lf.with_row_index("_row").filter(pl.col(column).str.strip_chars() == bare)
               .select("_row").head(1).collect().get_column("_row").to_list())
        # (a CSV with blank lines before its header, or a quoted line break above the row, was
        # named some lines too early, and a Parquet table at a 'line' it does not have)
        line = None
        if row and header_at:
            from clusterid.io.tables import _record_lines

            line = (_record_lines(source, row, header_at)[0] if source is not None
                    else row[0] + header_at + 1)
        out.append(Problem(
            f"{what} {bare!r} and {full!r}: one code with and without its leading zero",
            path=shown, line=line,
            column=column, expected=f"each {what} written one way ({full!r})", found=bare,
            hint=_HINT if header_at or not row else f"row {row[0] + 1}; {_HINT}"))
    return out


def check_across_files(frame, source: str) -> None:
    """Tables read together (``clusterid ingest a.csv b.csv``): a code one file writes with its
    leading zero and another without (``01001`` and ``1001``) is refused, naming the file of
    the short spelling -- each file on its own was consistent, together they split a region."""
    import polars as pl

    problems = []
    for column, what in ((schema.REGION, "region"), (schema.INDUSTRY, "industry")):
        if frame.collect_schema().get(column) != pl.String:
            continue
        codes = set(frame.select(pl.col(column).str.strip_chars()).unique()
                    .filter(pl.col(column).str.contains(r"^\d+$").fill_null(False))
                    .collect(engine="streaming").get_column(column).to_list())
        for full, bare in sorted((c, c.lstrip("0")) for c in codes
                                 if c.startswith("0") and c.lstrip("0") in codes)[:5]:
            files = (frame.filter(pl.col(column).str.strip_chars().is_in([full, bare]))
                     .group_by(pl.col(column).str.strip_chars()).agg(pl.col(source).first())
                     .collect())
            where = dict(zip(files.get_column(column).to_list(), files.get_column(source).to_list()))
            problems.append(Problem(
                f"{what} {bare!r} in {where.get(bare)} is {full!r} in {where.get(full)}: one code "
                "with and without its leading zero", path=where.get(bare), column=column,
                expected=f"each {what} written one way ({full!r})", found=bare, hint=_HINT))
    if problems:
        raise DataError(problems=problems)
