"""The sweep of find_clusters scores every candidate on matrices made once
(validation.prepared, grouping.silhouette_distance): the scores must be the very numbers each
score gives when it prepares its matrix itself, for any matrix (NaN, negative cells, a non-zero
diagonal, asymmetry) and any partition (singletons, one cluster)."""

from __future__ import annotations

import numpy as np
import pytest

from clusterid.core import grouping, validation


def _matrix(rng, n):
    s = rng.random((n, n)) * 2 - 0.5
    s[rng.random((n, n)) < 0.05] = np.nan
    return s  # neither symmetric nor with a zero diagonal, negative and NaN cells


@pytest.mark.parametrize("seed", range(12))
def test_prepared_once_gives_the_same_scores(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    s = _matrix(rng, n)
    ready, distance = validation.prepared(s), grouping.silhouette_distance(s)
    for k in (1, 2, max(1, n // 5), n):
        labels = rng.integers(0, k, size=n)
        assert grouping._score(ready, labels, ready=True) == pytest.approx(
            grouping._score(s, labels), abs=0, nan_ok=True)
        assert grouping.silhouette(s, labels, distance=distance) == grouping.silhouette(s, labels)
        a = validation.industry_scores(ready, labels, ready=True)
        b = validation.industry_scores(s, labels)
        np.testing.assert_array_equal(a.own, b.own)
        np.testing.assert_array_equal(a.best_other, b.best_other)
        np.testing.assert_array_equal(validation.cluster_scores(ready, labels, ready=True),
                                      validation.cluster_scores(s, labels))


def test_a_prepared_matrix_is_not_changed_by_scoring():
    rng = np.random.default_rng(7)
    s = _matrix(rng, 30)
    ready = validation.prepared(s)
    before = ready.copy()
    validation.vs_cluster(ready, rng.integers(0, 4, size=30), ready=True)
    validation.vs_industry(ready, rng.integers(0, 4, size=30), ready=True)
    np.testing.assert_array_equal(ready, before)
    assert not np.isnan(ready).any() and not np.diag(ready).any()
