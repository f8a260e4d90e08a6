"""Validation of canonical frames: located problems and coverage warnings."""

from __future__ import annotations

import polars as pl

from clusterid import schema
from clusterid.core import codes
from clusterid.core.validate import validate
from clusterid.io.canonical import to_canonical


def frame(rows):
    """rows: (period, region, industry, classification, employment, line)."""
    df = pl.DataFrame(
        {"period": [r[0] for r in rows], "region": [r[1] for r in rows], "industry": [r[2] for r in rows],
         "classification": [r[3] for r in rows], "employment": [r[4] for r in rows]},
        schema_overrides={"employment": pl.Float64})
    df = to_canonical(df.lazy().with_columns(codes.level_expr().alias("level")), ["employment"]).collect()
    # to_canonical sorts: give lines by key so the test knows them
    lines = {(r[0], r[1], r[2]): r[5] for r in rows}
    df = df.with_columns(
        pl.struct("period", "region", "industry").map_elements(
            lambda s: lines[(s["period"], s["region"], s["industry"])], return_dtype=pl.Int64).alias("_line"),
        pl.lit("t.csv").alias("_source"))
    return df.with_row_index("_row").with_columns(pl.col("_row").cast(pl.Int64))


def test_clean_frame_has_no_problems():
    df = frame([("2016", "A", "10", "NAICS", 100.0, 2), ("2016", "A", "54", "NAICS", 40.0, 3),
                ("2016", "B", "10", "NAICS", 50.0, 4), ("2016", "B", "54", "NAICS", None, 5)])
    v = validate(df)
    assert v.problems == [] and v.warnings == []


def test_duplicates_negative_unknown_and_child_over_parent():
    rows = [("2016", "A", "10", "NAICS", 100.0, 2), ("2016", "A", "54", "NAICS", 140.0, 3),
            ("2016", "A", "23", "NAICS", -5.0, 4), ("2016", "A", "1011", "NAICS", 1.0, 5),
            ("2016", "B", "10", "NAICS", 10.0, 6)]
    df = frame(rows)
    dup = df.filter(pl.col("region") == "B").with_columns(pl.lit(7, pl.Int64).alias("_line"),
                                                          pl.lit(99, pl.Int64).alias("_row"))
    df = pl.concat([df, dup])
    v = validate(df)
    found = sorted((p.line, p.message.split(" (")[0]) for p in v.problems)
    assert found == [
        (3, "industry larger than the industry it belongs to"),
        (4, "negative value"),
        (5, "not a NAICS industry code"),
        (6, "duplicate row for the same period, region, ownership and industry"),
        (7, "duplicate row for the same period, region, ownership and industry"),
    ]
    dup7 = [p for p in v.problems if p.line == 7][0]
    assert dup7.hint == "first seen on line 6" and dup7.path == "t.csv"
    assert v.counts == {"duplicate key": 2, "negative value": 1, "unknown industry code": 1,
                        "child larger than its parent": 1}


def test_child_over_suppressed_parent_is_not_a_problem():
    df = frame([("2016", "A", "10", "NAICS", None, 2), ("2016", "A", "54", "NAICS", 140.0, 3)])
    assert validate(df).problems == []


def test_custom_codes_are_not_unknown():
    df = frame([("2016", "A", "Kunst", schema.CUSTOM, 1.0, 2)])
    assert validate(df).problems == []


def test_missing_periods_are_warnings():
    df = frame([("2015", "A", "10", "NAICS", 1.0, 2), ("2016", "A", "10", "NAICS", 1.0, 3),
                ("2015", "B", "10", "NAICS", 1.0, 4)])
    v = validate(df)
    assert v.problems == []
    assert v.warnings == ["region B has no rows for period(s) 2016"]


def test_children_summing_above_parent_is_a_warning():
    df = frame([("2016", "A", "10", "NAICS", 100.0, 2), ("2016", "A", "54", "NAICS", 60.0, 3),
                ("2016", "A", "23", "NAICS", 50.0, 4), ("2016", "B", "10", "NAICS", 100.0, 5),
                ("2016", "B", "54", "NAICS", 60.0, 6), ("2016", "B", "23", "NAICS", 40.0, 7)])
    v = validate(df)
    assert v.problems == []
    assert v.warnings == ["1 employment value(s) smaller than the sum of their reported children "
                          "(rounding or overlapping codes?): A 2016 10: 2 children sum to 110 > 100"]
