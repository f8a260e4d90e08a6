"""Result tables written as CSV carry doubles at 15 significant digits (io.tables.csv_ready)."""

from __future__ import annotations

import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterid.io.tables import CSV_SIGNIFICANT_DIGITS, csv_ready
from conftest import TEST_DATA


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


@settings(deadline=None, max_examples=100)
@given(st.integers(1, 15), st.lists(st.integers(1, 10**15 - 1), min_size=1, max_size=30),
       st.integers(-320, 300))
def test_round_significant_decides_ties_as_python_does(digits, mantissas, exponent):
    """Values at or next to a tie (...x5 followed by nothing, or by noise in the last bits)
    at every digit count: the fast tie test in extended precision sends the close ones to
    Python's exact formatting, so the result is always the correctly rounded decimal."""
    import numpy as np

    from clusterid.core.rounding import round_significant

    for m in mantissas:
        tie = float(f"{m}5e{exponent}")  # one digit past m: 5, a tie at len(str(m)) digits
        values = np.array([v for v in (tie, np.nextafter(tie, 0.0), np.nextafter(tie, np.inf), -tie)
                           if math.isfinite(v) and v != 0.0])
        for d in {digits, len(str(m))}:
            got = round_significant(values, d)
            for before, after in zip(values.tolist(), got.tolist()):
                expected = float(f"{before:.{d}g}")
                if math.isinf(expected):
                    assert after == before
                else:
                    assert after == expected, (before, d, after, expected)


def test_lq_csv_p_values_are_the_parquet_values_at_7_digits(tmp_path):
    """`lq -o x.csv` rounds p_value once, correctly, to 7 significant digits (the writer
    does not round it again)."""
    from typer.testing import CliRunner

    from clusterid.cli.app import app

    src = str(TEST_DATA / "lq" / "toy_canonical.csv")
    runner = CliRunner()
    for out in ("lq.csv", "lq.parquet"):
        result = runner.invoke(app, ["lq", src, "-o", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    text = pl.read_csv(tmp_path / "lq.csv", infer_schema_length=0).get_column("p_value").to_list()
    exact = pl.read_parquet(tmp_path / "lq.parquet").get_column("p_value").to_list()
    assert any(p is not None for p in exact)
    for shown, p in zip(text, exact):
        if p is None:
            assert shown is None
        else:
            assert float(shown) == float(f"{p:.7g}"), (shown, p)
            assert len(shown.lstrip("-0.").split("e")[0].replace(".", "").rstrip("0")) <= 7


def test_tables_for_reading_keep_small_values_and_print_huge_ones_short(tmp_path):
    # detect's and stats' CSVs printed 6 fixed decimals: a share of 3e-7 came out 0.000000 (a
    # value turned into zero) and an interval's upper limit of 7e179 as 180 digits
    from clusterid.cli.detect import write_outputs
    from clusterid.io.tables import reading_ready

    df = pl.DataFrame({"x": [7e179, 1 / 3, 3e-7, -2.5e-5, 1234567.25, None, 0.0],
                       "n": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]})
    text = reading_ready(df).write_csv(null_value="")
    assert text.splitlines()[1:] == ["7e+179,1.0", "0.333333,2.0", "3e-7,3.0", "-0.000025,4.0",
                                     "1234567.25,5.0", ",6.0", "0.0,7.0"]
    write_outputs(str(tmp_path / "det"), {"clusters.csv": df}, {})
    assert (tmp_path / "det" / "clusters.csv").read_text() == text
    # every rounded value stays within half a unit of its last printed digit
    for raw, shown in zip(df["x"].to_list(), reading_ready(df)["x"].to_list()):
        if raw:
            assert math.isclose(raw, shown, rel_tol=5e-6) or abs(raw - shown) <= 5e-7
