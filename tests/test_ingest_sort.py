"""The ingest's key sort and duplicate search (the fast paths of bench_ingest) against plain
polars: the written order is ``DataFrame.sort`` by the keys, duplicates are exactly the rows
whose key occurs more than once, wherever they sit."""

from __future__ import annotations

import random

import polars as pl

from clusterid import schema
from clusterid.core.validate import validate
from clusterid.io.ingest import IngestOptions, _sort_frame_by_keys, ingest
from conftest import ROOT

SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
KEYS = list(schema.KEYS)


def test_ingested_table_is_sorted_by_the_keys():
    df, _meta = ingest([str(SAMPLE)], IngestOptions(format="qcew"))
    assert df.height > 90_000
    assert df.equals(df.sort(KEYS, maintain_order=True))


def test_sort_gathers_every_varying_column_and_keeps_constant_ones():
    rng = random.Random(7)
    n = 500
    df = pl.DataFrame({
        schema.PERIOD: [rng.choice(["2016Q1", "2016Q2", "2016"]) for _ in range(n)],
        schema.REGION: [rng.choice(["01001", "01003", "US000", "", "49"]) for _ in range(n)],
        schema.OWNERSHIP: [rng.choice(["total", "private"]) for _ in range(n)],
        schema.INDUSTRY: [str(i) for i in range(n)],
        "constant": ["naics"] * n,
        "all_missing": pl.Series([None] * n, dtype=pl.Float64),
        "nan_and_one": [float("nan") if i % 3 else 1.0 for i in range(n)],  # min == max == 1
        "int_constant": [5] * n,
        "some_missing": [None if i % 4 else "x" for i in range(n)],
    })
    expected = df.sort(KEYS, maintain_order=True)
    got = _sort_frame_by_keys([df])
    assert got.columns == expected.columns
    # NaN != NaN: compare the float column's text
    assert got.with_columns(pl.col("nan_and_one").cast(pl.String)).equals(
        expected.with_columns(pl.col("nan_and_one").cast(pl.String)))


def test_sort_of_a_chunked_frame_keeps_every_dtype_and_null():
    """Numbers without nulls go through numpy, the rest through polars, each from one
    contiguous copy: the result is the plain sort whatever the chunking and dtypes."""
    rng = random.Random(3)
    parts = []
    for chunk in range(7):
        n = rng.randint(1, 60)
        parts.append(pl.DataFrame({
            schema.PERIOD: [rng.choice(["2016Q1", "2016Q2"]) for _ in range(n)],
            schema.REGION: [f"{rng.randint(1, 9):05d}" for _ in range(n)],
            schema.OWNERSHIP: [rng.choice(["total", "private"]) for _ in range(n)],
            schema.INDUSTRY: [f"{chunk}{i:03d}" for i in range(n)],
            "level": pl.Series([rng.randint(0, 6) for _ in range(n)], dtype=pl.Int8),
            "full": [rng.random() for _ in range(n)],
            "holes": [None if rng.random() < 0.3 else rng.random() for _ in range(n)],
            "int_holes": pl.Series([None if rng.random() < 0.3 else rng.randint(0, 9) for _ in range(n)],
                                   dtype=pl.Int64),
            "text": [None if rng.random() < 0.2 else rng.choice(["a", "bb", "a long label " * 3])
                     for _ in range(n)],
        }))
    df = pl.concat(parts, rechunk=False)
    assert df.n_chunks() == 7
    expected = df.sort(KEYS, maintain_order=True)
    got = _sort_frame_by_keys([df])
    assert got.schema == expected.schema
    assert got.equals(expected)


def test_duplicates_are_found_wherever_they_sit():
    rng = random.Random(11)
    keys = [("2016", f"{r:05d}", "total", ind) for r in range(30) for ind in ("10", "11", "21", "22")]
    rows = keys + [keys[0], keys[-1], keys[57], keys[57]]  # first, last, one three times
    rng.shuffle(rows)
    df = pl.DataFrame(rows, schema=KEYS, orient="row").with_columns(
        pl.lit(schema.NAICS).alias(schema.CLASSIFICATION), pl.lit(None, pl.Int8).alias(schema.LEVEL),
        pl.lit(None, pl.String).alias(schema.INDUSTRY_NAME),
    ).with_row_index("_row").with_columns(pl.col("_row").cast(pl.Int64))
    expected = sorted(df.filter(pl.struct(KEYS).is_duplicated()).get_column("_row").to_list())
    check = validate(df)
    got = sorted(r for r, why in zip(check.rows, check.reasons) if why == "duplicate key")
    assert got == expected and len(expected) == 7
    # the order handed to the sort is the keys' order
    ordered = df[check.key_order]
    assert ordered.select(KEYS).equals(df.sort(KEYS).select(KEYS))
