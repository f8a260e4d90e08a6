"""Validation scores of a partition of industries on a similarity matrix, and partition comparison.

DPS validation scores (Delgado, Porter & Stern 2016, J. Economic Geography 16(1), section 3;
the exact weighting in the paper is *unchecked*, so ours is stated here):

VS-Industry
    Share of industries whose mean similarity to the other members of their own cluster exceeds
    their mean similarity to the members of every other cluster.  Every industry counts once
    (unweighted).  A singleton has no "own cluster" mean and counts as failing.
VS-Cluster
    Share of ordered cluster pairs (c, c'), c != c', for which c's within-cluster mean
    similarity (over its member pairs) exceeds the mean similarity between c's and c''s
    members.  Every pair counts once; a singleton's within mean is undefined and its pairs fail.

Both are computed on the same similarity matrix for any partition, so a data-driven partition
and a benchmark (e.g. USCMP) can be scored side by side; ARI and AMI (scikit-learn) compare
two partitions and ignore label numbering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def _encode(labels: Sequence) -> tuple[np.ndarray, np.ndarray]:
    uniq, inv = np.unique(np.asarray(labels), return_inverse=True)
    return inv.astype(np.int64), uniq


def _members(labels: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """``(inv, z)``: each industry's cluster (its index in ``np.unique(labels)``) and the
    (n, k) membership matrix, 1 where industry i is in cluster c."""
    inv, uniq = _encode(labels)
    z = np.zeros((len(inv), len(uniq)))
    z[np.arange(len(inv)), inv] = 1.0
    return inv, z


def prepared(similarity: np.ndarray) -> np.ndarray:
    """The matrix the scores read: a float copy, NaN (and infinities) as numbers, a zero
    diagonal.  Each score prepares its matrix itself; a caller scoring many partitions of one
    matrix (a sweep over the number of clusters) prepares it once and passes ``ready=True``:
    the same numbers, without two n x n copies per partition scored."""
    s = np.array(similarity, dtype=float, copy=True)
    s = np.nan_to_num(s, nan=0.0)
    np.fill_diagonal(s, 0.0)
    return s


_prepared = prepared


def mean_to_clusters(similarity: np.ndarray, labels: Sequence, *, ready: bool = False) -> np.ndarray:
    """(n, k) mean similarity of each industry to each cluster's members (itself excluded).

    Entries with no other member (own singleton) are NaN.  Columns follow ``np.unique(labels)``.
    ``ready``: ``similarity`` is :func:`prepared` already.
    """
    inv, z = _members(labels)
    s = similarity if ready else _prepared(similarity)
    n, k = z.shape
    sums = s @ z
    counts = np.broadcast_to(z.sum(axis=0), (n, k)).copy()
    counts[np.arange(n), inv] -= 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        out = sums / counts
    out[counts == 0] = np.nan
    return out


@dataclass(frozen=True)
class IndustryScores:
    own: np.ndarray  # mean similarity to own cluster (NaN for singletons)
    best_other: np.ndarray  # highest mean similarity to another cluster (NaN if only one)
    passes: np.ndarray  # bool: own > best_other


def industry_scores(similarity: np.ndarray, labels: Sequence, *, ready: bool = False) -> IndustryScores:
    """Per industry: own-cluster mean, best other-cluster mean, and whether own wins."""
    inv, _ = _encode(labels)
    m = mean_to_clusters(similarity, labels, ready=ready)
    n = len(inv)
    own = m[np.arange(n), inv].copy()
    other = m.copy()
    other[np.arange(n), inv] = np.nan
    if other.shape[1] > 1:
        with np.errstate(invalid="ignore"):
            best = np.where(np.all(np.isnan(other), axis=1), np.nan,
                            np.nanmax(np.where(np.isnan(other), -np.inf, other), axis=1))
    else:
        best = np.full(n, np.nan)
    passes = np.isfinite(own) & (np.isnan(best) | (own > np.nan_to_num(best, nan=-np.inf)))
    return IndustryScores(own, best, passes)


def vs_industry(similarity: np.ndarray, labels: Sequence, *, ready: bool = False) -> float:
    """VS-Industry: share of industries closer to their own cluster than to any other."""
    return float(industry_scores(similarity, labels, ready=ready).passes.mean())


def cluster_means(similarity: np.ndarray, labels: Sequence, *,
                  ready: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(k,) within-cluster mean over member pairs (NaN for singletons) and (k, k) between means."""
    _inv, z = _members(labels)
    s = similarity if ready else _prepared(similarity)
    b = z.T @ s @ z
    size = z.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        within = np.diag(b) / (size * (size - 1.0))
        between = b / np.outer(size, size)
    within[size < 2] = np.nan
    return within, between


def cluster_scores(similarity: np.ndarray, labels: Sequence, *, ready: bool = False) -> np.ndarray:
    """Per cluster (``np.unique(labels)`` order): share of other clusters it beats (VS-Cluster)."""
    within, between = cluster_means(similarity, labels, ready=ready)
    k = len(within)
    if k < 2:
        return np.full(k, np.nan)
    wins = within[:, None] > between
    np.fill_diagonal(wins, False)
    wins[~np.isfinite(within), :] = False
    return wins.sum(axis=1) / (k - 1)


def vs_cluster(similarity: np.ndarray, labels: Sequence, *, ready: bool = False) -> float:
    """VS-Cluster: share of ordered cluster pairs (c, c') with within(c) > between(c, c')."""
    per = cluster_scores(similarity, labels, ready=ready)
    return float(np.nanmean(per)) if len(per) > 1 else float("nan")


def compare(labels: Sequence, benchmark: Sequence, similarity: np.ndarray | None = None) -> dict:
    """ARI, AMI of two partitions of the same industries, and both partitions' VS scores.

    Returns a dict with ``ari``, ``ami`` and, when a similarity matrix is given,
    ``vs_industry``, ``vs_cluster``, ``benchmark_vs_industry``, ``benchmark_vs_cluster``,
    ``n_clusters``, ``benchmark_n_clusters``.
    """
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    a = np.asarray(labels)
    b = np.asarray(benchmark)
    if a.shape != b.shape:
        raise ValueError(f"partitions differ in length: {a.shape[0]} and {b.shape[0]}")
    out = {
        "ari": float(adjusted_rand_score(b, a)),
        "ami": float(adjusted_mutual_info_score(b, a)),
        "n_clusters": int(len(np.unique(a))),
        "benchmark_n_clusters": int(len(np.unique(b))),
    }
    if similarity is not None:
        out.update(
            vs_industry=vs_industry(similarity, a), vs_cluster=vs_cluster(similarity, a),
            benchmark_vs_industry=vs_industry(similarity, b),
            benchmark_vs_cluster=vs_cluster(similarity, b),
        )
    return out
