"""schema.implausible is one comparison, ``not (|x| <= PLAUSIBLE_MAX)``, where it was three
tests, ``is_nan | is_infinite | abs > PLAUSIBLE_MAX``: the same answer on every value, null
staying null, in Float64 and Float32."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterid import schema

EDGES = [0.0, -0.0, 1.0, -1.0, schema.PLAUSIBLE_MAX, -schema.PLAUSIBLE_MAX,
         math.nextafter(schema.PLAUSIBLE_MAX, math.inf), -math.nextafter(schema.PLAUSIBLE_MAX, math.inf),
         math.inf, -math.inf, math.nan, -math.nan, 5e-324, -5e-324, 1.7976931348623157e308, None]


def _reference(col):
    return col.is_nan() | col.is_infinite() | (col.abs() > schema.PLAUSIBLE_MAX)


@pytest.mark.parametrize("dtype", [pl.Float64, pl.Float32])
def test_the_one_comparison_answers_as_the_three_tests(dtype):
    df = pl.DataFrame({"x": EDGES}, schema={"x": dtype})
    got = df.select(schema.implausible(pl.col("x"))).to_series().to_list()
    want = df.select(_reference(pl.col("x"))).to_series().to_list()
    assert got == want
    assert got[-1] is None  # a missing value is neither plausible nor not


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)), max_size=40))
def test_any_floats(values):
    df = pl.DataFrame({"x": values}, schema={"x": pl.Float64})
    assert (df.select(schema.implausible(pl.col("x"))).to_series().to_list()
            == df.select(_reference(pl.col("x"))).to_series().to_list())
