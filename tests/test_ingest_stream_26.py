"""The cheaper paths of session 26's ingest work give what the paths they shortcut gave.

Each shortcut (a guard before a strip or a regex, codes from equality tests instead of a cast
to an Enum, numpy's stable sort for the key order) is compared here with the expression or
call it replaces, on the cells that take the slow branch as well as on the common ones.
"""

from __future__ import annotations

import random

import polars as pl
import pytest

from clusterid.core import validate as validate_mod
from clusterid.core.validate import column_ranks, key_order
from clusterid.io import ingest as ingest_mod
from clusterid.io.readers import qcew, rowcheck

# cells a spreadsheet or a hand edit leaves: padded, blank, empty, signs, letters, non-ASCII
EDGE_CELLS = ["5", "0", " 5", "5 ", "\t5", " ", "", "05", "+5", "-5", "x", "٣", "55", "\x01",
              "01001", " 01001", "01001 ", "1001", "+1001", "-1001", "US000", "CS482", "C4162",
              "10", "1011", "SIC_2011", " SIC_2011", "sic_20", "31-33", "N", " N", "-", "A", None]


def _same(expr_a, expr_b, values):
    df = pl.DataFrame({"c": pl.Series(values, dtype=pl.String)})
    return df.select(expr_a.alias("x")).equals(df.select(expr_b.alias("x")))


def test_guarded_strip_is_the_strip():
    c = pl.col("c")
    assert _same(qcew._stripped(c), c.str.strip_chars(), EDGE_CELLS)


def test_starts_with_digit():
    got = pl.DataFrame({"c": pl.Series(EDGE_CELLS, dtype=pl.String)}).select(
        qcew._starts_with_digit(pl.col("c"))).to_series().to_list()
    want = [None if v is None else (bool(v) and v[0] in "0123456789") for v in EDGE_CELLS]
    assert got == want


def test_guarded_code_checks_are_the_regexes():
    """The guards _plan puts before the area-shape, disclosure and SIC tests."""
    area = pl.col("c")
    digits = area.str.to_integer(strict=False).is_not_null()
    stripped = pl.when(digits).then(area).otherwise(area.str.strip_chars())
    assert _same(stripped, area.str.strip_chars(), EDGE_CELLS)
    good_area = (pl.when(digits & (area.str.len_bytes() == 5) & qcew._starts_with_digit(area))
                 .then(True).otherwise(qcew._good_area(area.str.strip_chars())))
    assert _same(good_area, qcew._good_area(area.str.strip_chars()), EDGE_CELLS)
    sic = (pl.when(qcew._starts_with_digit(area)).then(False)
           .otherwise(area.str.contains(qcew._SIC_CODE)).fill_null(False))
    assert _same(sic, area.str.contains(qcew._SIC_CODE).fill_null(False), EDGE_CELLS)


def test_not_blank_settles_rows_the_same():
    rows = [("x", None, None), (None, None, None), (" ", None, None), ("", None, "3"),
            (None, "2", None), ("  ", "", None), (None, None, "")]
    df = pl.DataFrame(rows, schema=["a", "b", "c"], orient="row")
    want = [bool((a or "").strip()) or b is not None or c is not None for a, b, c in rows]
    assert df.select(rowcheck.not_blank("a", ["b", "c"])).to_series().to_list() == want


def test_few_coded_is_the_enum_cast():
    rng = random.Random(26)
    pool = ["N", "-", "", " ", "county", "unallocated", "é", "a" * 20, "b" * 13, "N "]
    for _ in range(200):
        some = rng.sample(pool, rng.randint(1, 8))
        col = pl.Series("x", [rng.choice([*some, None]) for _ in range(rng.randint(1, 40))],
                        dtype=pl.String)
        col = pl.concat([col, col.head(3)], rechunk=False)  # several chunks, as a read leaves
        values = col.drop_nulls().unique().sort()
        if not len(values):
            continue
        want, got = col.cast(pl.Enum(values)), ingest_mod._few_coded(col, values)
        assert got.dtype == want.dtype and got.name == want.name
        assert got.equals(want) and got.to_physical().equals(want.to_physical())


@pytest.mark.parametrize("n_values", [1, 2, 3, 8, 9, 20])
def test_ranks_by_equality_are_the_enum_ranks(monkeypatch, n_values):
    rng = random.Random(n_values)
    pool = [f"v{i:02d}" for i in range(n_values)] + [""]
    df = pl.DataFrame({"k": [rng.choice([*pool[:n_values], None]) for _ in range(300)]})
    got = column_ranks(df, ["k"])["k"]
    monkeypatch.setattr(validate_mod, "FEW_VALUES", 0)  # every column through the Enum cast
    want = column_ranks(df, ["k"])["k"]
    assert got[0].dtype == want[0].dtype == pl.UInt32 and got[0].equals(want[0])
    assert got[1] == want[1] and got.values.equals(want.values)


def test_key_order_sorts_as_arg_sort_and_keeps_ties_in_order():
    rng = random.Random(1)
    ids = pl.Series("_key", [rng.randrange(10**12) for _ in range(5000)], dtype=pl.UInt64)
    assert key_order(ids).dtype == pl.get_index_type()
    assert ids.gather(key_order(ids)).equals(ids.sort())
    assert key_order(ids.unique()).equals(ids.unique().arg_sort())  # distinct: one order
    tied = pl.Series("_key", [3, 1, 3, 1, 2], dtype=pl.UInt64)
    assert key_order(tied).to_list() == [1, 3, 4, 0, 2]
    assert key_order(tied.clear()).len() == 0
