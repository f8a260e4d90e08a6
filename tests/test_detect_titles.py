"""Industry titles for codes the input gives without one: the bundled NAICS 2012 and NACE Rev. 2
tables (io.definitions.classification_titles), so that detect names clusters by their
industries instead of by a code."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from clusterid import schema
from clusterid.core import codes
from clusterid.io.definitions import classification_titles
from clusterid.io.tables import base_metadata, write_frame


def test_bundled_titles_are_official_and_of_known_codes():
    naics = classification_titles(schema.NAICS)
    assert naics["311111"] == "Dog and cat food manufacturing"
    assert naics["31-33"] == "Manufacturing" and naics["5417"].startswith("Scientific research")
    assert len(naics) > 2000
    assert all(codes.level(c, schema.NAICS) in (2, 3, 4, 5, 6) for c in naics)
    nace = classification_titles(schema.NACE)
    assert nace["C10"] == "Manufacture of food products"
    assert nace["M72"] == "Scientific research and development"
    assert nace["B"] == "Mining and quarrying"
    assert sum(codes.level(c, schema.NACE) == 1 for c in nace) == 21  # sections A-U
    assert sum(codes.level(c, schema.NACE) == 2 for c in nace) == 88  # divisions 01-99
    assert classification_titles(schema.NACE_R11)["DA"].startswith("Manufacture of food")
    assert classification_titles("custom") == {} and classification_titles(None) == {}


FOOD = ["311111", "311211", "311421", "311511", "311612", "311812"]
MACHINES = ["333111", "333120", "333131", "333241", "333415", "333611"]


@pytest.fixture(scope="module")
def untitled(tmp_path_factory):
    """Two planted groups of real NAICS codes over 40 regions, without titles but for one
    code whose title the input gives itself."""
    rng = np.random.default_rng(3)
    rows = []
    for j in range(40):
        home = FOOD if j % 2 else MACHINES
        for c in FOOD + MACHINES:
            e = float(np.round(100 * (8.0 if c in home else 1.0) * rng.lognormal(0, 0.25)))
            rows.append(dict(period="2016", region=f"{j:05d}", ownership="private", industry=c,
                             region_level="county", classification="NAICS", level=6,
                             employment=e, establishments=float(max(1, round(e / 20))),
                             industry_name="Our own pet food title" if c == "311111" else None))
    from clusterid.io.canonical import to_canonical

    df = to_canonical(pl.DataFrame(rows).lazy()).collect()
    path = tmp_path_factory.mktemp("titles") / "untitled.csv"
    write_frame(df, str(path), base_metadata("canonical"))
    return path


def test_detect_names_clusters_from_the_classification_where_the_input_has_no_titles(untitled, tmp_path):
    from clusterid.cli.detect import run

    meta = run(str(untitled), str(tmp_path / "out"), random_state=0)
    clusters = pl.read_csv(tmp_path / "out" / "clusters.csv", infer_schema_length=0)
    names = dict(zip(clusters["industry"], clusters["industry_name"]))
    assert names["311111"] == "Our own pet food title"  # the input's own title wins
    assert names["333111"] == "Farm machinery and equipment manufacturing"
    assert all(names[c] for c in FOOD + MACHINES)
    summary = pl.read_csv(tmp_path / "out" / "cluster_summary.csv", infer_schema_length=0)
    assert not any(n.startswith("Cluster ") for n in summary["cluster_name"])
    assert any("Machinery" in n for n in summary["cluster_name"])
    assert meta["relatedness"]["titles_from_classification"] == len(FOOD + MACHINES) - 1
