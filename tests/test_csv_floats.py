"""Result tables written as CSV carry doubles at 15 significant digits (io.tables.csv_ready)."""

from __future__ import annotations

import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterid.io.tables import CSV_SIGNIFICANT_DIGITS, csv_ready


def _digits(x: float) -> int:
    mantissa = repr(x).split("e")[0].replace("-", "").replace(".", "").lstrip("0")
    return len(mantissa.rstrip("0")) if "e" in repr(x) or "." in repr(x) else len(mantissa)


@settings(deadline=None, max_examples=150)  # a loaded CI machine: no per-example deadline
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.none(), min_size=1, max_size=40))
def test_every_value_prints_with_at_most_15_digits_and_stays_within_rounding(values):
    df = pl.DataFrame({"x": values}, schema={"x": pl.Float64})
    out = csv_ready(df).get_column("x").to_list()
    for before, after in zip(values, out):
        if before is None:
            assert after is None
        elif math.isnan(before):
            assert math.isnan(after)
        elif math.isinf(before) or before == 0 or math.isinf(float(f"{before:.15g}")):
            assert after == before  # (the largest doubles would round past infinity)
        else:
            assert _digits(after) <= CSV_SIGNIFICANT_DIGITS, (before, after)
            assert after == float(f"{before:.{CSV_SIGNIFICANT_DIGITS}g}")


def test_whole_numbers_and_other_columns_are_left_as_they_are():
    df = pl.DataFrame({"count": [1.0, 2.0, 123456789012345.0, None], "share": [0.1 + 0.2, 1 / 3, None, 2.5],
                       "code": ["a", "b", "c", "d"]})
    out = csv_ready(df)
    assert out.get_column("count").equals(df.get_column("count"))
    assert out.get_column("code").equals(df.get_column("code"))
    assert out.get_column("share").to_list() == [0.3, 0.333333333333333, None, 2.5]
    assert out.write_csv().splitlines()[1] == "1.0,0.3,a"
