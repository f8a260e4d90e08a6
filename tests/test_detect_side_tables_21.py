"""``clusterid detect``: its side tables (--io, --similarity, --definitions FILE) are parsed
before the input is read, so a wrong file is refused at once rather than after the reading and
the bounds (20 s on the county panel).  The proof of the order: the input given here is
itself unreadable, and the error named is the side table's."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"


@pytest.mark.parametrize("flag, text, says", [
    ("--io", "garbage,x\n", "not an input-output table"),
    ("--similarity", "industry_a,industry_b,similarity\nx\n", "row has 1 fields"),
    ("--definitions", "cluster\n", "not a cluster definitions table"),
])
def test_a_bad_side_table_is_refused_before_the_input(tmp_path, capsys, flag, text, says):
    side = tmp_path / "side.csv"
    side.write_text(text, encoding="utf-8")
    broken = tmp_path / "input.csv"
    broken.write_text("no table here\n\x00\x01\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _o, err = run_main(["detect", str(broken), "-o", str(out), flag, str(side)], capsys)
    assert code != 0
    assert says in err and "side.csv" in err, err
    assert "input.csv" not in err, err
    assert not out.exists()


def test_a_similarity_table_read_early_is_the_one_used(tmp_path, capsys, utah_parquet):
    """The user table parsed before the input serves the grouping (not read twice)."""
    import polars as pl

    canonical = utah_parquet  # the sample ingested with the defaults, once for the session
    codes = (pl.read_parquet(canonical).filter(pl.col("level") == 6)["industry"]
             .unique().sort().to_list())[:40]
    rows = [(a, b, 1.0 if a[:3] == b[:3] else 0.0) for i, a in enumerate(codes) for b in codes[i + 1:]]
    sim = tmp_path / "sim.csv"
    pl.DataFrame(rows, schema=["industry_a", "industry_b", "similarity"], orient="row").write_csv(sim)
    out = tmp_path / "out"
    code, _o, err = run_main(["detect", str(canonical), "-o", str(out), "--signals", "user",
                              "--similarity", str(sim)], capsys)
    assert code == 0, err
    clusters = pl.read_csv(out / "clusters.csv", infer_schema_length=0)
    of = dict(zip(clusters["industry"], clusters["cluster_id"]))
    # the planted structure (similar within a 3-digit parent, unrelated across) is the
    # table's: codes of one parent share a cluster
    for a in codes:
        for b in codes:
            if a[:3] == b[:3]:
                assert of[a] == of[b], (a, b)
