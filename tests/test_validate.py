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


def test_infinite_nan_and_astronomical_values_are_problems():
    rows = [("2016", "A", "10", "NAICS", float("inf"), 2), ("2016", "A", "54", "NAICS", 1e24, 3),
            ("2016", "B", "10", "NAICS", float("nan"), 4), ("2016", "B", "54", "NAICS", 9.9e14, 5)]
    v = validate(frame(rows))
    bad = sorted(p.line for p in v.problems if p.message.startswith("not a plausible number"))
    assert bad == [2, 3, 4]
    assert v.counts["implausible value"] == 3


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


# ----------------------------------------------------------------------------- parent check
# The numpy parent check used by validate() against the join-based one in core.codes (the
# slow, obvious reference): same rows, parents and parent values; same sum warnings.

from hypothesis import given, settings, strategies as st  # noqa: E402

from clusterid.core.validate import Ranks, children_exceeding_parent, column_rank  # noqa: E402

_CODES = {"NAICS": ["10", "54", "541", "5417", "54171", "541711", "541712", "5413", "31-33", "311",
                    "3111", "336111", "23", "238", "2382", "101"],
          "NACE": ["10", "C", "C10", "C10.1", "C10.11", "C10.12", "C11", "B-E", "F", "F41"]}


def _parent_frame(cells):
    rows = []
    for (region, period, cls, code), (value, reported) in cells.items():
        rows.append((period, region, code, cls, value, reported))
    df = pl.DataFrame({"period": [r[0] for r in rows], "region": [r[1] for r in rows],
                       "industry": [r[2] for r in rows], "classification": [r[3] for r in rows],
                       "employment": [r[4] for r in rows],
                       "employment_status": ["reported" if r[5] else "suppressed" for r in rows]},
                      schema_overrides={"employment": pl.Float64})
    df = to_canonical(df.lazy().with_columns(codes.level_expr().alias("level")), ["employment"]).collect()
    return df.with_row_index("_row").with_columns(pl.col("_row").cast(pl.Int64))


@settings(max_examples=80, deadline=None, derandomize=True)
@given(st.dictionaries(
    st.tuples(st.sampled_from(["A", "B"]), st.sampled_from(["2015", "2016"]), st.sampled_from(["NAICS", "NACE"]),
              st.integers(0, 15)),
    st.tuples(st.sampled_from([0.0, 0.5, 1.0, 5.0, 10.0, 10.5, 50.0, 100.0]), st.sampled_from([True, True, True, False])),
    min_size=1, max_size=60))
def test_fast_parent_check_matches_the_join_based_one(raw):
    cells = {}
    for (region, period, cls, i), v in raw.items():
        code_list = _CODES[cls]
        cells[(region, period, cls, code_list[i % len(code_list)])] = v
    df = _parent_frame(cells)
    measures = ["employment"]
    ranks = {c: column_rank(df, c) for c in (*schema.KEYS, schema.CLASSIFICATION)}
    got_sums, want_sums = [], []
    got = children_exceeding_parent(df, measures, ranks, sums=got_sums)
    want = codes.children_exceeding_parent(df, measures, sums=want_sums)
    key = ["_row", "_measure", "_parent", "_parent_value"]
    assert (got is None) == (want is None)
    if got is not None:
        assert got.select(key).sort(key).equals(want.select(key).sort(key))
    norm = lambda s: sorted((d["measure"], d["row"], d["parent"], round(d["children_sum"], 6),  # noqa: E731
                             d["parent_value"], d["children"]) for d in s)
    assert norm(got_sums) == norm(want_sums)
    assert isinstance(ranks[schema.INDUSTRY], Ranks)


def test_sum_warning_examples_do_not_depend_on_row_order():
    rows = []
    for r in "ABCDEFG":
        rows += [("2016", r, "10", "NAICS", 100.0, 1), ("2016", r, "54", "NAICS", 60.0, 2),
                 ("2016", r, "23", "NAICS", 50.0, 3)]
    df = frame(rows)
    shuffled = df.sample(fraction=1.0, shuffle=True, seed=3).drop("_row").with_row_index("_row").with_columns(
        pl.col("_row").cast(pl.Int64))
    assert validate(df).warnings == validate(shuffled).warnings
    assert "A 2016 10" in validate(df).warnings[0]


def test_fast_parent_check_sums_on_a_hand_made_table():
    # A: 54 and 23 sum to 101.2 > 100 + 2 x 0.5 (warning, named after the first child row);
    # 5417 (60) is larger than 54 (50.6), its nearest published ancestor;
    # B: 54 + 23 = 100.9 <= 100 + 1 (no warning); C (NACE): the aggregate B-E is not summed
    # with its sections, so C + F = 20 <= 20 (no warning) although B-E + C + F = 35.
    cells = {("A", "2016", "NAICS", "10"): (100.0, True), ("A", "2016", "NAICS", "54"): (50.6, True),
             ("A", "2016", "NAICS", "23"): (50.6, True), ("A", "2016", "NAICS", "5417"): (60.0, True),
             ("B", "2016", "NAICS", "10"): (100.0, True), ("B", "2016", "NAICS", "54"): (50.45, True),
             ("B", "2016", "NAICS", "23"): (50.45, True),
             ("C", "2016", "NACE", "10"): (20.0, True), ("C", "2016", "NACE", "B-E"): (15.0, True),
             ("C", "2016", "NACE", "C"): (10.0, True), ("C", "2016", "NACE", "F"): (10.0, True)}
    df = _parent_frame(cells)
    ranks = {c: column_rank(df, c) for c in (*schema.KEYS, schema.CLASSIFICATION)}
    sums, want_sums = [], []
    bad = children_exceeding_parent(df, ["employment"], ranks, sums=sums)
    codes.children_exceeding_parent(df, ["employment"], sums=want_sums)
    assert bad.select("region", "industry", "_parent", "_parent_value").rows() == [("A", "5417", "54", 50.6)]
    first = df.filter((pl.col("region") == "A") & pl.col("industry").is_in(["54", "23"]))["_row"].min()
    # 5417's direct parent 541 has no row: it is compared with 54, but only direct children sum
    assert [(s["parent"], s["children"], round(s["children_sum"], 6), s["row"]) for s in sums] == [
        ("10", 2, 101.2, first)]
    assert sorted((s["parent"], s["row"]) for s in sums) == sorted((s["parent"], s["row"]) for s in want_sums)


def test_fast_parent_check_by_binary_search_and_in_slices(monkeypatch):
    import clusterid.core.validate as validate_mod

    cells = {}
    for r in "ABCDE":
        cells.update({(r, "2016", "NAICS", "10"): (100.0, True), (r, "2016", "NAICS", "54"): (60.0, True),
                      (r, "2016", "NAICS", "5417"): (70.0 if r in "AC" else 5.0, True),
                      (r, "2016", "NAICS", "541711"): (80.0 if r == "E" else 1.0, r != "B"),
                      (r, "2016", "NAICS", "23"): (50.0, True)})
    df = _parent_frame(cells)
    ranks = {c: column_rank(df, c) for c in (*schema.KEYS, schema.CLASSIFICATION)}
    key = ["_row", "_measure", "_parent", "_parent_value"]
    want_sums: list = []
    want = codes.children_exceeding_parent(df, ["employment"], sums=want_sums)
    for dense_cells, slice_rows in ((0, 3), (10**9, 2), (0, 10**6)):
        monkeypatch.setattr(validate_mod, "DENSE_CELLS", dense_cells)
        monkeypatch.setattr(validate_mod, "SLICE_ROWS", slice_rows)
        sums: list = []
        got = children_exceeding_parent(df, ["employment"], ranks, sums=sums)
        assert got.select(key).sort(key).equals(want.select(key).sort(key))
        assert sorted((s["parent"], s["row"], s["children"]) for s in sums) == sorted(
            (s["parent"], s["row"], s["children"]) for s in want_sums)
    assert sorted(zip(want["region"], want["industry"], want["_parent"])) == [
        ("A", "5417", "54"), ("C", "5417", "54"), ("E", "541711", "5417")]
