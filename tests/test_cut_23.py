"""grouping.cut: the union-find cut reproduces scipy's cut_tree (the reference) exactly,
ties included, on random, graded (whole levels at one height) and integer-valued distances,
for every linkage and every number of groups."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from scipy.cluster.hierarchy import cut_tree, linkage
from scipy.spatial.distance import squareform

from clusterid.core.grouping import cut, merge_order


def _distances(rng, n: int, kind: str) -> np.ndarray:
    if kind == "random":
        d = rng.random((n, n))
    elif kind == "graded":  # a code hierarchy: sector, then subsector, ties everywhere
        g1, g2 = rng.integers(0, 4, n), rng.integers(0, 3, n)
        d = np.where(g1[:, None] == g1[None, :], np.where(g2[:, None] == g2[None, :], 0.2, 0.5), 1.0)
    else:
        d = rng.integers(0, 3, (n, n)).astype(float)
    d = (d + d.T) / 2
    np.fill_diagonal(d, 0.0)
    return d


@pytest.mark.parametrize("method", ["ward", "average", "complete", "single", "centroid", "median"])
@pytest.mark.parametrize("kind", ["random", "graded", "integer"])
def test_cut_equals_scipy_cut_tree(method, kind):
    # (a fixed seed per case: hash() of text changes with every process, PYTHONHASHSEED)
    rng = np.random.default_rng(zlib.crc32(f"{method} {kind}".encode()))
    for _ in range(6):
        n = int(rng.integers(2, 26))
        tree = linkage(squareform(_distances(rng, n, kind), checks=False), method=method)
        for k in range(1, n + 1):
            np.testing.assert_array_equal(cut(tree, k), cut_tree(tree, n_clusters=k)[:, 0],
                                          err_msg=f"{method} {kind} n={n} k={k}")


def test_ties_follow_cut_tree_not_the_row_order():
    # three merges at height 1 (rows 0-2 of the linkage); cut_tree takes tied merges in
    # reverse breadth-first order from the root, so with 6 groups it merges row 1 (1 with 3),
    # not row 0 (0 with 4) as the rows' own order would
    d = np.array([[0, 2, 2, 1.5, 1, 1.5, 1], [2, 0, 2, 1, 1.5, 1.5, 2], [2, 2, 0, 2, 2, 2, 1],
                  [1.5, 1, 2, 0, 1.5, 1, 1], [1, 1.5, 2, 1.5, 0, 1.5, 2],
                  [1.5, 1.5, 2, 1, 1.5, 0, 1], [1, 2, 1, 1, 2, 1, 0]])
    tree = linkage(squareform(d), method="average")
    assert (tree[:3, 2] == 1).all()
    assert merge_order(tree)[0] == 1
    np.testing.assert_array_equal(cut(tree, 6), [0, 1, 2, 1, 3, 4, 5])
    np.testing.assert_array_equal(cut(tree, 6), cut_tree(tree, n_clusters=6)[:, 0])


def test_a_tree_out_of_height_order_is_left_to_scipy():
    # centroid linkage can merge below its children's height (an inversion)
    pts = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, 0.9]])
    tree = linkage(pts, method="centroid")
    assert tree[1, 2] < tree[0, 2]
    assert merge_order(tree) is None
    for k in (1, 2, 3):
        np.testing.assert_array_equal(cut(tree, k), cut_tree(tree, n_clusters=k)[:, 0])
