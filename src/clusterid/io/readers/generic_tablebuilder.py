"""The ABS's TableBuilder CSV (Census of Population and Housing) for the generic reader.

:func:`.generic_raw._tablebuilder_across` reads the layout (the variable across named in the
header's corner, the variable down on a line of its own under it); here, once the cells are
in a frame, the rows of the variable down that are no part of what the table counts:
TableBuilder's ``Not applicable`` category holds the persons outside the variable's scope (an
industry of employment: the persons not employed, in a table counted by usual residence most
of the population), and its ``Total`` row counts them with the others.  Read as they stand,
``Not applicable`` was an industry and the ``Total`` every state's all-industries figure, so
a state's total was its population, not its employed, and every LQ was off by the state's
employment rate.  The ``Not applicable`` rows are dropped and counted; where they hold persons,
the ``Total`` rows too (each region's total is then the sum of its industries, ``Not stated``
and ``Inadequately described`` among them, as TableBuilder counts them).
"""

from __future__ import annotations

from clusterid.core import codes
from clusterid.errors import DataError, Problem
from clusterid.io.readers.generic_raw import LINE

_NOT_APPLICABLE = "not applicable"
REASON_NOT_APPLICABLE = ("TableBuilder 'Not applicable' rows (persons outside the variable's "
                         "scope: for an industry, the persons not employed)")
REASON_INFO = "TableBuilder INFO lines under the table (its cells randomly adjusted)"
REASON_TOTAL_WITH_NOT_APPLICABLE = ("TableBuilder 'Total' rows counting the 'Not applicable' "
                                    "persons too (each region's total is the sum of its rows)")


def tablebuilder_frame(df, names: list[str], details: dict, path: str):
    """``(df, dropped)``: a TableBuilder table's ``Not applicable`` rows (and, where they hold
    anyone, its ``Total`` rows) left out, and how many for each reason."""
    import polars as pl

    if details.get("layout") != "tablebuilder" or not names:
        return df, {}
    # TableBuilder's notice under the table ("INFO","Cells in this table have been randomly
    # adjusted ..."): a note, one filled cell short of the table's width as TableBuilder writes
    # it, but a row of the table's width once Excel has saved the CSV again ('not a number')
    info = pl.col(names[0]).str.strip_chars() == "INFO"
    n_info = df.filter(info.fill_null(False)).height
    if n_info:
        df = df.filter(~info.fill_null(False))
    dropped0 = {REASON_INFO: n_info} if n_info else {}
    across = [c for c in names[1:] if " ".join(str(c).split()).lower() == _NOT_APPLICABLE]
    for c in across:
        held = [(v, line) for v, line in zip(df.get_column(c).to_list(), df.get_column(LINE).to_list())
                if v is not None and str(v).strip() not in ("", "0")]
        if held:
            raise DataError(problems=[Problem(
                "a TableBuilder 'Not applicable' column across (persons outside the variable's "
                "scope: for an industry, the persons not employed), counted in its 'Total' too",
                path=path, line=held[0][1], column=c, expected="no one outside the scope, or the "
                "variable down the rows", found=str(held[0][0]).strip(),
                hint="put the variable down the rows (its 'Not applicable' row and the Total "
                     "counting it are then left out), or leave 'Not applicable' out in TableBuilder")])
    down = pl.col(names[0]).str.strip_chars().str.to_lowercase()
    na = df.filter(down == _NOT_APPLICABLE)
    if na.height == 0:
        return df, dropped0
    dropped = {**dropped0, REASON_NOT_APPLICABLE: na.height}
    figures = [c for c in names[1:] if c in na.columns]
    anyone = any(str(v).strip() not in ("", "0", "0.0", "None")
                 for c in figures for v in na.get_column(c).to_list() if v is not None)
    keep = down != _NOT_APPLICABLE
    if anyone:
        totals = [v for v in df.get_column(names[0]).unique().drop_nulls().to_list()
                  if codes.is_total(" ".join(str(v).split()))]
        is_total = pl.col(names[0]).is_in(totals)
        n_total = df.filter(is_total).height
        if n_total:
            dropped[REASON_TOTAL_WITH_NOT_APPLICABLE] = n_total
            keep = keep & ~is_total
    return df.filter(keep.fill_null(True)), dropped
