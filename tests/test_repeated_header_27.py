"""The generic reader's rows repeating the header (files joined with cat, a printed export's page
break), found since session 27 among the rows whose first cell one regular expression says
could be a heading, instead of cleaning every cell of every column: the same rows dropped in
every variant the cleaning allows (spaces, quotes, a BOM, another case), another layout's
header still refused by its line, and a header whose first heading is blank still looked for
on every row."""

from __future__ import annotations

import polars as pl
import pytest

from clusterid.errors import DataError
from clusterid.io.readers import generic
from conftest import ingest_text

HEADER = "region,industry,year,employment\n"
BODY = "R1,11,2020,5\nR1,21,2020,7\nR2,11,2020,3\nR2,21,2020,9\n"


@pytest.mark.parametrize("again", [
    "region,industry,year,employment\n",
    "  region , industry,year,employment\n",
    '"region",industry,year,employment\n',
    "\ufeffregion,industry,year,employment\n",  # a BOM at the second file's start
])
def test_header_again_dropped_and_said(tmp_path, capsys, again):
    code, err, rows = ingest_text(tmp_path, capsys, "joined.csv",
                                  HEADER + BODY[:26] + again + BODY[26:])
    assert code == 0, err
    assert "1 rows repeating the header" in err
    assert len(rows) == 4 and {r["region"] for r in rows} == {"R1", "R2"}


def test_header_in_another_case_is_not_read_as_data(tmp_path, capsys):
    # 'REGION,INDUSTRY,...' is not the header cell for cell: refused on its line, never data
    code, err, _rows = ingest_text(tmp_path, capsys, "joined.csv",
                                   HEADER + BODY[:26] + "REGION,INDUSTRY,YEAR,EMPLOYMENT\n" + BODY[26:])
    assert code != 0
    assert "joined.csv:4:" in err


def test_a_heading_first_cell_over_data_is_refused():
    names = ["a", "b", "c"]
    header = ["Área", "Código", "Empleo"]
    df = _frame([["Madrid", "11", "5"], [" área", "11", "5"]], names)
    with pytest.raises(DataError) as info:
        generic._drop_repeated_header(df, names, header, "x.csv", 1)
    assert "x.csv:3" in str(info.value)


def _frame(lines: list[list[str | None]], names: list[str]) -> pl.DataFrame:
    return pl.DataFrame([dict(zip(names, cells)) | {generic.LINE: i + 2}
                         for i, cells in enumerate(lines)],
                        schema={**{n: pl.String for n in names}, generic.LINE: pl.Int64})


def _every_row(df, names, header, path="", header_at=1):
    """The rule on every row, as before session 27 (the reference)."""
    from clusterid.io.readers import rowcheck

    pairs = [(nm, h.strip()) for nm, h in zip(names, header) if h and h.strip()]
    if len(pairs) < 2 or df.height == 0:
        return df, 0
    headings = sorted({rowcheck._heading(h) for h in header} - {""})
    for row in df.filter(rowcheck.heading_cell(names[0]).is_in(headings).fill_null(False)).iter_rows(named=True):
        other = rowcheck.other_header([row[nm] for nm in names], header, header_at, path, row[generic.LINE])
        if other is not None:
            raise DataError(problems=[other])
    same = pl.all_horizontal([pl.col(nm).str.strip_chars() == h for nm, h in pairs]).fill_null(False)
    rest = [nm for nm, h in zip(names, header) if not (h and h.strip())]
    if rest:
        same = same & pl.all_horizontal([(pl.col(nm).str.strip_chars() == "").fill_null(True) for nm in rest])
    n = df.select(same.sum()).item()
    return (df.filter(~same), n) if n else (df, 0)


@pytest.mark.parametrize("header", [["Área", "Código", "Empleo"], ["İl", "Kod", "İstihdam"],
                                    ["region", "industry", "employment"]])
def test_the_guard_finds_what_cleaning_every_cell_found(header):
    names = ["a", "b", "c"]
    h0, h1, h2 = header
    lines = [["Madrid", "11", "5"], [f' "{h0}" ', h1, h2], [f"\ufeff{h0}", h1, h2],
             [h0, f"{h1} ", f" {h2}"], [None, h1, h2], [f"  {h0}\t", h1, h2], ["Sevilla", "21", "7"],
             [h0, h1, h2]]
    df = _frame(lines, names)
    got, n = generic._drop_repeated_header(df, names, header, "x.csv", 1)
    want, n_want = _every_row(df, names, header, "x.csv", 1)
    assert n == n_want >= 3
    assert got.equals(want)


def test_a_blank_first_heading_looks_at_every_row():
    names = ["a", "b", "c"]
    header = ["", "industry", "employment"]
    lines = [["R1", "11", "5"], ["", "industry", "employment"], [None, "industry", "employment"],
             ["R2", "11", "4"]]
    out, n = generic._drop_repeated_header(_frame(lines, names), names, header, "x.csv", 1)
    assert n == 2 and out.get_column(generic.LINE).to_list() == [2, 5]


def test_another_layouts_header_is_refused_by_its_line():
    names = ["a", "b", "c"]
    header = ["region", "industry", "employment"]
    lines = [["R1", "11", "5"], ["region", "naics", "jobs"], ["R2", "11", "4"]]
    with pytest.raises(DataError) as info:
        generic._drop_repeated_header(_frame(lines, names), names, header, "x.csv", 1)
    assert "3" in str(info.value)
