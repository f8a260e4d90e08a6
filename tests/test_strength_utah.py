"""uscmp-strong on the Utah counties (BLS QCEW 2016) against a plain reference computation."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import polars as pl
import pytest

from clusterid.core import strength
from clusterid.io.canonical import to_canonical
from clusterid.io.definitions import load_uscmp
from clusterid.io.ingest import IngestOptions
from clusterid.io.readers import qcew

from conftest import SAMPLES


@pytest.fixture(scope="module")
def utah():
    res = qcew.read([str(SAMPLES / "qcew_utah_2016_counties.csv.gz")], IngestOptions(month="annual"))
    return to_canonical(res.frame).collect()


def reference_strong(df, defs):
    """Strong clusters of the counties, computed with dicts and numpy, row by row."""
    labels = defs.labels()
    counties = df.filter(pl.col("region_level") == "county")
    total = {}
    emp = defaultdict(float)
    known = defaultdict(int)
    est = defaultdict(float)
    present = set()
    for row in counties.iter_rows(named=True):
        if row["industry"] == "10" and row["ownership"] == "total":
            total[row["region"]] = row["employment"]
        if row["ownership"] != "private" or row["industry"] not in labels:
            continue
        key = (row["region"], labels[row["industry"]])
        present.add(key)
        if row["employment_status"] == "reported":
            emp[key] += row["employment"]
            known[key] += 1
        if row["establishments"] is not None:
            est[key] += row["establishments"]
    regions = sorted({r for r, _ in present})
    grand_total = sum(total[r] for r in regions)
    strong = set()
    for c in sorted({c for _, c in present}):
        cells = [(r, emp[(r, c)], est[(r, c)]) for r in regions
                 if (r, c) in present and known[(r, c)] > 0]
        cluster_total = sum(e for _, e, _ in cells)
        pos = [(r, (e / total[r]) / (cluster_total / grand_total), e, s)
               for r, e, s in cells if e > 0]
        if not pos:
            continue
        lqs = np.array([p[1] for p in pos])
        q75 = np.quantile(lqs, 0.75)
        e25 = np.quantile([p[2] for p in pos], 0.25)
        s25 = np.quantile([p[3] for p in pos], 0.25)
        for r, lq, e, s in pos:
            if lq >= q75 and e > e25 and s > s25 and lq >= 1:
                strong.add((r, c))
    return strong


def test_utah_strong_clusters_match_the_reference(utah):
    defs = load_uscmp("2012")
    own = utah.filter(pl.col("ownership") == "private")
    res = strength.regional_strength(own, defs, rule="uscmp-strong", totals_frame=utah)
    # most county x 6-digit cells are suppressed: the LQ is against total employment
    assert res.info["lq_denominator"]["used"] == "total"
    df = res.regional.filter(pl.col("region_level") == "county")
    got = {(r, c) for r, c, s in zip(df["region"], df["cluster_id"], df["strong"]) if s}
    want = reference_strong(utah, defs)
    assert len(want) > 30
    assert got == want


def test_utah_known_specialisations(utah):
    """Sanity on real places: Grand County (Moab) is strong in Hospitality and Tourism."""
    defs = load_uscmp("2012")
    own = utah.filter(pl.col("ownership") == "private")
    res = strength.regional_strength(own, defs, totals_frame=utah)
    df = res.regional
    hosp = df.filter((pl.col("region") == "49019") & (pl.col("cluster_name") == "Hospitality and Tourism"))
    assert hosp["strong"].item() is True
    assert hosp["lq"].item() > 5
    summ = res.regions.filter(pl.col("region") == "49019").row(0, named=True)
    assert summ["n_strong"] >= 1 and "22" in summ["strong_clusters"].split("; ")
