"""Row-level checks shared by the agency adapters (QCEW, CBP, Eurostat).

The adapters read with polars' CSV scanner, which is fast but forgiving in two ways that would
lose data silently: a row with too few fields is padded with nulls (a cut line becomes a
"suppressed" row), and a cell that does not parse either stops the whole read or, cast
leniently, becomes null.  These helpers find such rows and turn each into a located
:class:`~clusterid.errors.Problem`.  The adapter hands the problems back in
``AdapterResult.problems`` with ``_source``/``_line`` on its frame; :func:`clusterid.io.ingest.ingest`
then fails with all of them (``--on-error fail``) or sets the rows aside into the rejects file
(``--on-error skip``), the one mechanism every reader shares.

Lines are physical lines (header = 1), assuming one record per line, which holds for the
agency files (no newlines inside quoted fields).
"""

from __future__ import annotations

from clusterid.errors import Problem

LINE = "_line"
SOURCE = "_source"
_RAW = "_raw"
# A byte that does not occur in text files: with it as separator and quoting off, polars reads
# each physical line as one field.
_NO_SEP = "\x1f"


def scan_lines(path: str):
    """A LazyFrame of the file's physical lines: ``_line`` (1 = header) and ``_raw`` text."""
    import polars as pl

    return pl.scan_csv(path, has_header=False, separator=_NO_SEP, quote_char=None,
                       infer_schema=False, new_columns=[_RAW], row_index_name=LINE,
                       row_index_offset=1, truncate_ragged_lines=True)


def field_count(sep: str = ","):
    """Expression: the number of fields of ``_raw`` (quoted parts may hold the separator)."""
    import polars as pl

    return (pl.col(_RAW).str.replace_all(r'"[^"]*"', "").str.count_matches(
        "\t" if sep == "\t" else __import__("re").escape(sep)) + 1)


def ragged_lines(path: str, width: int, display: str | None = None, sep: str = ",",
                 hint: str = "a separator inside an unquoted value, or a cut line?") -> list[Problem]:
    """One problem per data line whose field count is not ``width`` (blank lines pass)."""
    import polars as pl

    bad = (scan_lines(path).filter(pl.col(LINE) > 1)
           .filter(pl.col(_RAW).is_not_null() & (pl.col(_RAW).str.strip_chars() != ""))
           .with_columns(field_count(sep).alias("_n"))
           .filter(pl.col("_n") != width).select(LINE, "_n", _RAW)
           .collect(engine="streaming"))
    name = display or path
    return [Problem(f"row has {n} fields, the header has {width}", path=name, line=int(line),
                    expected=f"{width} fields", found=(raw or "")[:60], hint=hint)
            for line, n, raw in bad.sort(LINE).iter_rows()]


def open_quote_lines(path: str, limit: int = 20) -> list[int]:
    """Lines with an odd number of double quotes (an unbalanced quote, or a quoted field that
    continues on the next line); at most ``limit``."""
    import polars as pl

    hit = (scan_lines(path).filter(pl.col(_RAW).str.count_matches('"') % 2 == 1)
           .select(LINE).head(limit).collect(engine="streaming"))
    return [int(x) for x in hit.get_column(LINE).to_list()]


def is_bad_number(col: str):
    """Expression: the text cell is filled but not a finite number (``5x``, ``inf``, ``NaN``)."""
    import polars as pl

    cell = pl.col(col).str.strip_chars()
    num = cell.cast(pl.Float64, strict=False)
    return (cell.is_not_null() & (cell != "")
            & (num.is_null() | num.is_nan() | num.is_infinite())).fill_null(False)


def lenient_number(col: str):
    """Expression: the text cell as Float64; blank, or not a finite number -> null.

    Only for columns whose bad cells are reported by :func:`bad_cells`: a null here is then
    either a blank cell (missing) or a row that is set aside, never a silent loss.
    """
    import polars as pl

    num = pl.col(col).str.strip_chars().cast(pl.Float64, strict=False)
    return pl.when(num.is_nan() | num.is_infinite()).then(None).otherwise(num)


def bad_cells(lf, checks: dict):
    """A LazyFrame of ``(_line, column, found, check)``: one row per failed cell.

    ``checks``: column -> boolean expression that is true where that column's cell is bad
    (e.g. :func:`is_bad_number`), or -> ``(bad, found)`` when the cell to show is another
    expression (a renamed column).  Collect it together with the main frame
    (``polars.collect_all``) so the file is read once.
    """
    import polars as pl

    has_source = SOURCE in lf.collect_schema().names()
    parts = []
    for col, check in checks.items():
        bad, found = check if isinstance(check, tuple) else (check, None)
        if found is None:
            # a check named with a leading underscore is about the row (no cell to show)
            found = pl.lit(None, pl.String) if col.startswith("_") else pl.col(col)
        parts.append(lf.filter(bad).select(pl.col(LINE).cast(pl.Int64), pl.lit(col).alias("column"),
                                           found.cast(pl.String).alias("found"),
                                           pl.lit(col).alias("check"),
                                           (pl.col(SOURCE) if has_source
                                            else pl.lit(None, pl.String)).alias(SOURCE)))
    if not parts:
        return None
    return pl.concat(parts, how="vertical")


def cell_problems(found_df, path: str, describe: dict) -> list[Problem]:
    """Problems from a collected :func:`bad_cells` frame, sorted by line and column.

    ``describe``: column -> (message, expected) for that column's check.  ``path``: the file
    when the frame had no ``_source`` column.
    """
    problems = []
    for line, column, found, check, source in found_df.sort(SOURCE, LINE, "column").iter_rows():
        message, expected = describe[check]
        problems.append(Problem(message, path=source or path, line=int(line), column=column,
                                expected=expected, found="" if found is None else str(found)))
    return problems
