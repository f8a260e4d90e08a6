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
    assert sum(len(c) == 1 and codes.level(c, schema.NACE) == 1 for c in nace) == 21  # sections A-U
    assert sum(len(c) == 3 and codes.level(c, schema.NACE) == 2 for c in nace) == 88  # divisions 01-99
    # and Eurostat's aggregates of them (A*10, A*38), each of known codes
    assert nace["B-E"] == "Industry (except construction)" and nace["J62_J63"].startswith("Computer")
    assert all(codes.level(c, schema.NACE) in (1, 2) for c in nace)
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
    # named after the code most of each cluster's core shares, by its official title
    assert "Food manufacturing" in summary["cluster_name"].to_list()
    assert any("machinery" in n.lower() for n in summary["cluster_name"])
    assert meta["relatedness"]["titles_from_classification"] == len(FOOD + MACHINES) - 1


def _result(members):
    """A ClusterResult of ``members``: (industry, title, cluster_id, core, words name)."""
    from clusterid.core.grouping import ClusterResult

    frame = pl.DataFrame({"industry": [m[0] for m in members],
                          "industry_name": [m[1] for m in members],
                          "cluster_id": [m[2] for m in members],
                          "cluster_name": [m[4] for m in members],
                          "core": [m[3] for m in members]},
                         schema={"industry": pl.String, "industry_name": pl.String,
                                 "cluster_id": pl.Int64, "cluster_name": pl.String,
                                 "core": pl.Boolean})
    clusters = frame.group_by("cluster_id", maintain_order=True).agg(
        pl.col("cluster_name").first(), pl.len().alias("n_industries"))
    return ClusterResult(codes=tuple(frame["industry"]), labels=frame["cluster_id"].to_numpy(),
                         members=frame, clusters=clusters, sweep=None, vs_industry=1.0,
                         vs_cluster=1.0, method="dps")


def _ancestors(codes_):
    titles = classification_titles(schema.NAICS)
    return {c: [(p, titles.get(p)) for _c, p in codes.parent_links(c, schema.NAICS) if p != "10"]
            for c in codes_}


def test_clusters_are_named_after_the_code_most_of_their_core_shares():
    from clusterid.core.grouping import named_by_parents

    res = _result([
        ("333111", "Farm machinery", 1, True, "Farm, Machinery"),
        ("333120", "Construction machinery", 1, True, "Farm, Machinery"),
        ("333131", "Mining machinery", 1, True, "Farm, Machinery"),
        ("311111", "Dog and cat food", 1, False, "Farm, Machinery"),  # peripheral: not counted
        ("332111", "Iron and steel forging", 2, True, "Forging, Stamping"),
        ("332112", "Nonferrous forging", 2, True, "Forging, Stamping"),
        ("332119", "Metal crown and stamping", 3, True, "Crown, Stamping"),
        ("332114", "Custom roll forming", 3, True, "Crown, Stamping"),
        ("212111", "Bituminous coal mining", 4, True, "Coal"),
        ("999999", None, 5, True, "Cluster 5 (999999)"),
        ("111110", None, 6, True, "Cluster 6 (111110)"),
        ("541711", None, 6, True, "Cluster 6 (111110)"),
    ])
    got = dict(zip(*named_by_parents(res, _ancestors(res.codes)).clusters
                   .select("cluster_id", "cluster_name").to_dict(as_series=False).values()))
    titles = classification_titles(schema.NAICS)
    assert got[1] == titles["3331"]  # the deepest code holding all three core industries
    # two clusters under 3321 keep their own words after its title
    assert got[2] == f"{titles['33211']}: Forging, Stamping"
    assert got[3] == f"{titles['33211']}: Crown, Stamping"
    assert got[4] == "Bituminous coal mining"  # one industry: its own title
    assert got[5] == "Cluster 5 (999999)"  # nothing to go by: the name stays
    assert got[6] == "Cluster 6 (111110)"  # no code holds more than half of two: stays
    members = named_by_parents(res, _ancestors(res.codes)).members
    assert dict(zip(members["industry"], members["cluster_name"]))["311111"] == got[1]
