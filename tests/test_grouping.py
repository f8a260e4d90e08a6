"""Grouping and validation: planted structures, hand-computed VS scores, determinism."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from clusterid import schema
from clusterid.core import grouping, relatedness, validation
from clusterid.errors import UsageError


def planted_frame(n_groups=6, per=12, n_regions=60, seed=1):
    """Each group of industries is concentrated in its own set of regions."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n_regions):
        for g in range(n_groups):
            for m in range(per):
                base = 200 if g == r % n_groups else 10
                rows.append({schema.REGION: f"R{r:02d}", schema.INDUSTRY: f"{g + 1}{m:02d}000",
                             schema.EMPLOYMENT: float(rng.poisson(base)),
                             schema.status_col(schema.EMPLOYMENT): schema.REPORTED,
                             schema.ESTABLISHMENTS: float(rng.poisson(base / 5) + 1)})
    return pl.DataFrame(rows)


@pytest.fixture(scope="module")
def planted():
    sim = relatedness.build(planted_frame(), "colocation")
    truth = [c[0] for c in sim.codes]
    return sim, truth


def test_dps_recovers_planted_structure(planted):
    sim, truth = planted
    res = grouping.find_clusters(sim, method="dps", n_clusters=6, n_seeds=3)
    assert validation.compare(res.labels, truth)["ari"] == 1.0
    assert res.members["coassignment"].min() > 0.9


def test_leiden_recovers_planted_structure_with_its_sweep(planted):
    sim, truth = planted
    res = grouping.find_clusters(sim, method="leiden", n_seeds=3)
    assert validation.compare(res.labels, truth)["ari"] == 1.0
    assert res.sweep.filter(pl.col("chosen")).height >= 1


def test_dps_with_hierarchy_recovers_planted_structure(planted):
    sim = relatedness.build(planted_frame(), "colocation,hierarchy")
    truth = [c[0] for c in sim.codes]
    res = grouping.find_clusters(sim, method="dps", n_clusters=6, n_seeds=2)
    assert validation.compare(res.labels, truth)["ari"] == 1.0


def test_deterministic_and_stable_numbering(planted):
    sim, _ = planted
    a = grouping.find_clusters(sim, method="dps", n_clusters=6, random_state=7, n_seeds=2)
    b = grouping.find_clusters(sim, method="dps", n_clusters=6, random_state=7, n_seeds=2)
    assert a.members.equals(b.members) and a.clusters.equals(b.clusters)
    sizes = a.clusters["n_industries"].to_list()
    assert sizes == sorted(sizes, reverse=True)
    assert a.clusters["cluster_id"].to_list() == list(range(1, 7))
    # equal sizes: ordered by lowest code
    firsts = [min(g) for g in a.members.group_by("cluster_id", maintain_order=True)
              .agg(pl.col("industry"))["industry"].to_list()]
    assert firsts == sorted(firsts)


def test_vs_scores_by_hand():
    s = np.array([[1, .9, .1, .2],
                  [.9, 1, .3, .1],
                  [.1, .3, 1, .8],
                  [.2, .1, .8, 1]])
    assert validation.vs_industry(s, [0, 0, 1, 1]) == 1.0
    assert validation.vs_cluster(s, [0, 0, 1, 1]) == 1.0
    # industry 1 put with 2,3: its own mean (.3+.1)/2=.2 < .9 to cluster {0}; 2: (.3+.8)/2 ok
    ind = validation.industry_scores(s, [0, 1, 1, 1])
    assert ind.passes.tolist() == [False, False, True, True]  # 0 is a singleton
    assert validation.vs_industry(s, [0, 1, 1, 1]) == 0.5
    within, between = validation.cluster_means(s, [0, 0, 1, 1])
    np.testing.assert_allclose(within, [.9, .8])
    assert between[0, 1] == pytest.approx((.1 + .2 + .3 + .1) / 4)


def test_compare_ignores_label_numbering():
    out = validation.compare([1, 1, 2, 2, 3], [7, 7, 5, 5, 9])
    assert out["ari"] == 1.0 and out["ami"] == pytest.approx(1.0)


def test_refine_moves_misplaced_industry():
    s = np.array([[1, .9, .1, .2], [.9, 1, .3, .1], [.1, .3, 1, .8], [.2, .1, .8, 1]])
    lab = grouping.refine(s, np.array([0, 1, 1, 1]))
    assert validation.compare(lab, [0, 0, 1, 1])["ari"] == 1.0


def test_cluster_names_from_titles():
    name = grouping.cluster_name(["Aircraft Manufacturing", "Aircraft Engine and Engine Parts Manufacturing",
                                  "Other Aircraft Parts and Auxiliary Equipment Manufacturing"])
    assert name.startswith("Aircraft, Engine")


def test_usage_errors(planted):
    sim, _ = planted
    with pytest.raises(UsageError, match="unknown grouping method"):
        grouping.find_clusters(sim, method="kmeans")
    with pytest.raises(UsageError, match="n_clusters"):
        grouping.find_clusters(sim, n_clusters=0)


def test_find_clusters_on_plain_array():
    s = np.array([[1, .9, .1, .2], [.9, 1, .3, .1], [.1, .3, 1, .8], [.2, .1, .8, 1]])
    res = grouping.find_clusters(s, n_clusters=2, n_seeds=2)
    assert validation.compare(res.labels, [0, 0, 1, 1])["ari"] == 1.0
    assert set(res.members.columns) >= {"industry", "cluster_id", "coassignment", "core"}


# --- automatic k: planted toys of several sizes and seeds are recovered exactly -----------------

# groups of 10..24 industries: inside the stated prior on mean cluster size (10..40)
TOYS = [(6, 12, 60, 1), (4, 10, 40, 2), (8, 12, 48, 3), (5, 20, 50, 4), (3, 15, 30, 5),
        (10, 10, 60, 6), (2, 24, 20, 7)]


@pytest.mark.parametrize("n_groups,per,n_regions,seed", TOYS)
@pytest.mark.parametrize("method", grouping.METHODS)
def test_planted_structure_recovered_with_automatic_k(method, n_groups, per, n_regions, seed):
    sim = relatedness.build(planted_frame(n_groups, per, n_regions, seed), "colocation")
    truth = [c[:-5] for c in sim.codes]  # the group number before the 2-digit member + 000
    res = grouping.find_clusters(sim, method=method, n_seeds=0, random_state=seed)
    assert res.n_clusters == n_groups
    assert validation.compare(res.labels, truth)["ari"] == 1.0
    chosen = res.sweep.filter(pl.col("chosen"))
    assert chosen.height >= 1 and chosen["n_clusters"][0] == n_groups


def test_silhouette_matches_sklearn_and_penalises_split_and_merge():
    from sklearn.metrics import silhouette_score

    sim = relatedness.build(planted_frame(5, 8, 40, 9), "colocation")
    s = sim.matrix
    truth = np.array([int(c[:-5]) for c in sim.codes])
    d = np.clip(1 - s, 0, None)
    np.fill_diagonal(d, 0)
    rng = np.random.default_rng(0)
    for lab in (truth, rng.integers(0, 4, len(truth)), np.r_[np.zeros(3, int), truth[3:]]):
        assert grouping.silhouette(s, lab) == pytest.approx(
            silhouette_score(d, lab, metric="precomputed"), abs=1e-9)
    split = truth.copy()
    split[truth == 1] = np.where(np.arange((truth == 1).sum()) % 2, 1, 99)
    merged = np.where(truth == 2, 1, truth)
    assert grouping.silhouette(s, truth) > grouping.silhouette(s, split) + 0.05
    assert grouping.silhouette(s, truth) > grouping.silhouette(s, merged) + 0.05
    assert grouping.silhouette(s, np.zeros(len(truth), int)) == -1.0


def test_silhouette_does_not_depend_on_the_industries_order():
    """The sweep's silhouettes go into detect's metadata: the matrix product's summation
    order (the industries' order, or the number of BLAS threads: Utah sample 0.14506557311784304
    on one thread, ...307 on two) must not reach them.  Unrounded, 24 of these 50 differed."""
    rng = np.random.default_rng(3)
    for _ in range(50):
        n = 300
        x = rng.random((n, n))
        s = (x + x.T) / 2
        np.fill_diagonal(s, 1.0)
        lab, p = rng.integers(0, 12, n), rng.permutation(n)
        assert grouping.silhouette(s, lab) == grouping.silhouette(s[p][:, p], lab[p])


def test_linkage_auto_is_average_with_the_hierarchy_else_ward(planted):
    sim, _ = planted
    res = grouping.find_clusters(sim, method="dps", n_seeds=0)
    assert res.params["linkage"] == "ward"
    assert set(res.sweep["parameter"].to_list()) == {"n_clusters/ward"}
    with_h = relatedness.build(planted_frame(), "colocation,hierarchy")
    res_h = grouping.find_clusters(with_h, method="dps", n_seeds=0)
    assert res_h.params["linkage"] == "average"
    assert grouping.auto_linkage(np.eye(3)) == "ward"  # a bare matrix has no signals
    only_h = relatedness.build(None, "hierarchy", codes=["311111", "311112", "541711"])
    assert grouping.auto_linkage(only_h) == "ward"  # nothing but ties: Ward breaks them


def test_cut_gives_exactly_k_groups_through_tied_merges():
    codes = [f"3{a}{b}{c}00" for a in range(1, 4) for b in range(1, 3) for c in range(1, 3)]
    h = relatedness.build(None, "hierarchy", codes=codes).matrix  # 12 codes, tied levels
    for k in range(1, 13):
        for link in grouping.LINKAGES:
            lab = grouping.hierarchical_seed(h, k, link)
            assert len(np.unique(lab)) == k


def test_linkage_both_sweeps_both_and_keeps_the_higher_silhouette(planted):
    sim, truth = planted
    res = grouping.find_clusters(sim, method="dps", n_seeds=0, linkage="both")
    params = set(res.sweep["parameter"].to_list())
    assert params == {"n_clusters/ward", "n_clusters/average"}
    chosen = res.sweep.filter(pl.col("chosen"))
    assert chosen.height == 1 and chosen["parameter"][0] == f"n_clusters/{res.params['linkage']}"
    best_per_link = {}
    for link in grouping.LINKAGES:
        one = grouping.find_clusters(sim, method="dps", n_seeds=0, linkage=link)
        best_per_link[link] = grouping.silhouette(sim.matrix, one.labels)
    assert grouping.silhouette(sim.matrix, res.labels) == pytest.approx(max(best_per_link.values()))
    with pytest.raises(UsageError, match="linkage"):
        grouping.find_clusters(sim, method="dps", linkage="single")


def test_refine_auto_refines_ward_seeds_only(planted):
    sim, truth = planted
    assert grouping.auto_refine("ward") and not grouping.auto_refine("average")
    assert grouping.auto_refine("average", "always") and not grouping.auto_refine("ward", "never")
    res = grouping.find_clusters(sim, method="dps", n_seeds=0)
    assert res.params["linkage"] == "ward" and res.params["refine"] is True
    with_h = relatedness.build(planted_frame(), "colocation,hierarchy")
    truth_h = [c[0] for c in with_h.codes]
    res_h = grouping.find_clusters(with_h, method="dps", n_clusters=6, n_seeds=2)
    assert res_h.params["linkage"] == "average" and res_h.params["refine"] is False
    assert validation.compare(res_h.labels, truth_h)["ari"] == 1.0
    # unrefined: the labels are the average-linkage tree cut at k, nothing moved
    seed = grouping.hierarchical_seed(with_h.matrix, 6, "average")
    assert validation.compare(res_h.labels, seed)["ari"] == 1.0
    forced = grouping.find_clusters(with_h, method="dps", n_clusters=6, n_seeds=0, refine="always")
    assert forced.params["refine"] is True
    assert validation.compare(forced.labels, truth_h)["ari"] == 1.0
    with pytest.raises(UsageError, match="refine"):
        grouping.find_clusters(sim, method="dps", refine="sometimes")


def test_unrefined_average_seed_leaves_a_misplaced_industry_where_refine_moves_it():
    # average linkage pairs 3 with 0 first (0.95), so the cut at 2 puts it with {0, 1, 2};
    # its mean similarity to them is 0.45, to {4, 5} 0.6: the refinement moves it there
    s = np.array([[1.0, .9, .9, .95, .1, .1],
                  [.9, 1.0, .9, .2, .1, .1],
                  [.9, .9, 1.0, .2, .1, .1],
                  [.95, .2, .2, 1.0, .6, .6],
                  [.1, .1, .1, .6, 1.0, .7],
                  [.1, .1, .1, .6, .7, 1.0]])
    plain = grouping.dps_partition(s, 2, linkage="average", refine_labels=False)
    refined = grouping.dps_partition(s, 2, linkage="average")
    assert plain[3] == plain[0] and refined[3] == refined[4]
