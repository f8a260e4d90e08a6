"""strength.lone_cells on integer ids against the hash-join formulation it replaced.

A lone cell is a code a region's listing (period x region x ownership) holds with no ancestor
and no descendant in that same listing.  The join version took 6-7 s and +3 GB inside detect on
QCEW's county panel; the numpy one must find exactly the same cells.  The reference below is
that join version, kept here as the test's oracle; the tables are random listings of real NAICS
and NACE codes (several regions, periods and ownerships, nulls among the keys)."""

from __future__ import annotations

import random

import polars as pl
import pytest

from clusterid import schema
from clusterid.core import codes as ccodes
from clusterid.core import strength

NAICS = ["11", "111", "1111", "11111", "111110", "111120", "1112", "11121", "111211", "23",
         "236", "2361", "236115", "31-33", "31", "311", "3111", "311111", "32", "325", "3254",
         "325412", "33", "336", "3364", "336411", "44-45", "441", "4411", "441110", "54",
         "541", "5415", "541511", "5417", "72", "722", "7225", "722511"]
NACE = ["C", "C10", "C10.1", "C10.11", "C20", "C29", "F", "F41", "G", "G45", "B-E", "K", "K64"]


def reference(frame):
    """The join formulation (clusterid 371f17e), without the NAICS-range step both share."""
    lf = frame.lazy()
    names = lf.collect_schema().names()
    keys = [c for c in (schema.PERIOD, schema.REGION, schema.OWNERSHIP) if c in names]
    rows = (lf.filter(pl.col(schema.INDUSTRY) != schema.ALL_INDUSTRIES)
            .select(*keys, schema.INDUSTRY, schema.CLASSIFICATION).unique().collect())
    pairs = rows.select(schema.INDUSTRY, schema.CLASSIFICATION).unique()
    eligible, links = [], []
    for code, cls in pairs.iter_rows():
        if cls is None or ccodes.level(code, cls) is None:
            continue
        if len(ccodes.nace_cover(code) or ()) <= 1:
            eligible.append((code, cls))
        links += [(code, cls, par) for _, par in ccodes.parent_links(code, cls)
                  if par != schema.ALL_INDUSTRIES]
    sch = {schema.INDUSTRY: pl.String, schema.CLASSIFICATION: pl.String}
    eligible = pl.DataFrame(eligible, schema=sch, orient="row")
    links = pl.DataFrame(links, schema={**sch, "_up": pl.String}, orient="row")
    up = rows.join(links, on=[schema.INDUSTRY, schema.CLASSIFICATION])
    listed = rows.select(*keys, pl.col(schema.INDUSTRY).alias("_up"))
    above = up.join(listed, on=[*keys, "_up"], how="semi", nulls_equal=True)
    below = up.select(*keys, pl.col("_up").alias(schema.INDUSTRY))
    return (rows.join(eligible, on=[schema.INDUSTRY, schema.CLASSIFICATION], how="semi")
            .join(above, on=[*keys, schema.INDUSTRY], how="anti", nulls_equal=True)
            .join(below, on=[*keys, schema.INDUSTRY], how="anti", nulls_equal=True)
            .select(*keys, schema.INDUSTRY).unique().sort([*keys, schema.INDUSTRY], nulls_last=True))


def _listing(seed: int, keys: tuple[str, ...]) -> pl.DataFrame:
    rng = random.Random(seed)
    rows = []
    for period in ("2015", "2016"):
        for region in ("01001", "01003", "02010", None):
            for own in ("private", "total", None):
                for cls, pool in ((schema.NAICS, NAICS), (schema.NACE, NACE)):
                    for code in rng.sample(pool, rng.randint(0, len(pool) // 2)):
                        rows.append({schema.PERIOD: period, schema.REGION: region,
                                     schema.OWNERSHIP: own, schema.INDUSTRY: code,
                                     schema.CLASSIFICATION: cls})
    rows.append({schema.PERIOD: "2016", schema.REGION: "01001", schema.OWNERSHIP: "private",
                 schema.INDUSTRY: "10", schema.CLASSIFICATION: schema.NAICS})
    rows.append({schema.PERIOD: "2016", schema.REGION: "01001", schema.OWNERSHIP: "private",
                 schema.INDUSTRY: "9999", schema.CLASSIFICATION: None})
    df = pl.DataFrame(rows)
    return df.drop([k for k in (schema.PERIOD, schema.REGION, schema.OWNERSHIP) if k not in keys])


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("keys", [(schema.PERIOD, schema.REGION, schema.OWNERSHIP),
                                  (schema.REGION,), (schema.PERIOD, schema.REGION)])
def test_lone_cells_equal_the_join_formulation(seed, keys):
    df = _listing(seed, keys)
    want, got = reference(df), strength.lone_cells(df)
    assert want.height > 0  # the random listings do hold lone codes
    assert got.equals(want)


def test_hand_computed_listing():
    """One region: 311111 under 31-33 (not lone), 5417 alone (lone), 23 above 236115 (neither
    lone), 722511 alone (lone); NACE's B-E is never lone (an aggregate of sections)."""
    df = pl.DataFrame({
        schema.REGION: ["A"] * 7,
        schema.INDUSTRY: ["31-33", "311111", "5417", "23", "236115", "722511", "B-E"],
        schema.CLASSIFICATION: [schema.NAICS] * 6 + [schema.NACE]})
    assert strength.lone_cells(df)[schema.INDUSTRY].to_list() == ["5417", "722511"]
