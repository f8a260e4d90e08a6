"""Relatedness of industries: which industries belong together, as industries x industries matrices.

Each signal is one symmetric matrix over the same industry codes (``Similarity.codes``):

``colocation``
    Co-location across regions (Delgado, Porter & Stern 2016, "DPS"): Pearson correlation,
    across regions, of the industries' variance-stabilised location quotients
    ``log1p(LQ_ij)``, computed once on employment and once on establishment counts and
    averaged.  Suppression-aware: a cell whose employment is ``"estimated"`` (imputed, see
    :mod:`clusterid.core.impute`) is used as is; a ``"suppressed"`` cell (null) is proxied by
    its establishment count times the industry's typical establishment size (reported
    employment / reported establishments of that industry over all regions).  A suppressed
    cell is never read as 0.  A region where an industry has no row has a true 0.
``coagglomeration``
    Ellison, Glaeser & Kerr (2010) coagglomeration of employment,
    ``g_ik = sum_j (s_ij - x_j)(s_kj - x_j) / (1 - sum_j x_j^2)`` with ``s_ij = e_ij/E_i`` and
    ``x_j`` region j's share of all employment (same suppression handling).
``io``
    Input-output relatedness from a Use table (:class:`clusterid.io.iotables.IOTable`)
    attached to the industry codes through its crosswalk (longest prefix), built from
    ``in_ik`` (share of i's intermediate inputs bought from k) and ``out_ik`` (share of i's
    output sold to k).  ``io_measure="profile"``: correlation of the industries' linkage
    profiles (input shares by supplier, output shares by buyer; after Feser & Bergman 2000).
    Default ``io_measure="total"``: the mean of that correlation and the correlation of
    total-requirements profiles (Leontief inverse backward, Ghosh inverse forward: the whole
    supply chain, not only direct trade).  ``io_measure="link"``: DPS's direct link
    ``max(in_ik, in_ki, out_ik, out_ki)``.  On the USCMP benchmark (675 traded industries, 51
    clusters, mean AMI over five random states) IO alone reaches 0.606 with ``total``, 0.592
    with the direct profile and 0.48 with the direct link.  Industries the table does not
    cover get NaN.
``hierarchy``
    Closeness in the classification: graded by the length of the common code prefix
    (same 5-digit parent > same 4-digit > same 3-digit > same sector > nothing).  Uses no data.
``user``
    A user-supplied long table (industry_a, industry_b, similarity); pairs it does not list
    are NaN (unknown), not 0.

Combination
-----------
``scale="standard"`` (default).  Each signal is first put on its own [0, 1] scale as below
(``natural``), then standardised over the off-diagonal pairs it defines, ``Z_s = (X_s -
mean_s) / sd_s`` (:func:`standardise`), and the combined matrix is the weighted mean of the
standardised signals defined at each pair, mapped back to [0, 1] by its minimum and maximum
(an affine map: distances ``1 - S`` keep their order and ratios).  With equal weights every
signal then has the same say: on the natural scale the co-location correlations spread over
a standard deviation of 0.04 against 0.08 for IO profiles and 0.11 for the graded hierarchy,
so the classification decided most pairs and co-location hardly any.  For a single signal
``standard`` and ``natural`` give the same grouping.  Measured against the USCMP traded
definitions at 51 clusters on the county panel (odd states; suppressed cells proxied by
establishments; average linkage with the hierarchy, see :mod:`clusterid.core.grouping`): all
three signals 0.742 against 0.730 on the natural scale, 0.744 and 0.740 on the two halves of
the states (alternating state FIPS codes); co-location + IO on imputed cells 0.62 against
0.61.

``scale="natural"``.  Signals that are Pearson correlations -- ``colocation`` and
``io`` with the profile measure -- are already on one scale, [-1, 1], and their size is
evidence: a linkage-profile correlation of 0.9 says far more than a co-location correlation at
the same percentile (0.15).  They are mapped to [0, 1] by ``(r + 1) / 2``; ``hierarchy`` is
graded in [0, 1] already; the others (``coagglomeration``, ``io`` with ``io_measure="link"``,
``user``) have no common scale and are converted to percentile ranks over the off-diagonal
pairs they define (ties get their average rank).  The combined matrix is the weighted mean of
the signals defined at each pair, ``S = sum_s w_s X_s / sum_s w_s`` (an industry outside the
IO or user table is judged on the others), with the hierarchy one signal among the others.
Measured against the USCMP traded definitions at 51 clusters on the county panel (raw
suppressed cells): co-location + IO 0.61 on the natural scale against 0.55 on percentiles,
the same (0.61, 0.61) on two random halves of the counties.

``scale="rank"`` (the earlier combination, kept for comparison): every signal becomes a
percentile rank; the data signals are averaged, ``D = sum_s w_s P_s / sum_s w_s``; an
optional profile step (``profile=True``) replaces ``D`` by the percentile of the cosine
between industries' above-median rows of ``D`` (:func:`profile_similarity`); and
``hierarchy``, when chosen, is the frame the data refine, ``S = (H + step * D) / (1 + step)``
with ``step`` one level of the classification (``1/(L-1)``, 0.2 for 6-digit NAICS) divided by
the hierarchy's relative weight, so the data move a pair by at most about one level.

The combined matrix is symmetric, in [0, 1], with diagonal 1.

Measured without a gain (2026-11-28, issue 6)
----------------------------------------------
Against the USCMP traded definitions on the imputed county panel of the odd states, as AMI at
51 clusters / at the chosen k, for all counties, half A, half B of the states (co-location
alone: Ward + refinement, mean over random states 0-2; with the hierarchy: average linkage,
deterministic).  Co-location alone now: 0.367/0.391, 0.346/0.342, 0.270/0.266.

- Co-location: ``atanh(r)`` (Fisher z) before standardising 0.382/0.392, 0.337/0.334,
  0.270/0.265; empirical-Bayes shrinkage of each pair's correlation towards the mean by its
  bootstrap variance over regions (30 resamples, ``m + (r - m) tau2 / (tau2 + se2)``; the
  county correlations are reliable already, ``tau2 / (tau2 + mean se2)`` 0.83 / 0.77 / 0.66)
  0.369/0.387, 0.332/0.314, 0.273/0.266, and its t-statistic ``(r - m) / se`` lower still;
  negative correlations clipped at 0 0.371/0.374, 0.336/0.314, 0.262/0.268; one correlation
  of the mean of log(1 + LQ) of employment and of establishments 0.362/0.321, 0.314/0.316,
  0.258/0.270; the two correlations averaged (``measures=("employment",
  "establishments")``) 0.373/0.365, 0.335/0.323, 0.261/0.276, with coagglomeration as a third
  0.341/0.346, 0.295/0.318, 0.248/0.245; counties summed into states as a second geography,
  averaged in 0.320/0.308, 0.255/0.267, 0.236/0.252; each imputed cell weighted by its
  reliability ``s_i^2 / (s_i^2 + v_ij)`` (``v_ij``: the variance of a value uniform between
  the cell's suppression bounds, carried to log(1 + LQ) by the delta method; ``s_i^2``: the
  industry's variance across regions) in a correlation with pair weights 0.300/0.267 (all
  counties): the imputed cells carry most of the information.  The pair ranking says the
  same: the area under the ROC curve of "same USCMP cluster" is 0.73 for co-location, 0.88
  for IO, 0.80 for the hierarchy (all counties).
- Combination of all three signals, with the direct IO profile (``io_measure="profile"``:
  0.737/0.736, 0.737/0.744, 0.737/0.739; random halves of the counties 0.735/0.725,
  0.736/0.738; with the default ``"total"`` 0.736/0.739, 0.727/0.736, 0.737/0.737,
  0.737/0.739, 0.732/0.739): normal scores (probit of the percentile) in place
  of the standardisation 0.736/0.735, 0.729/0.728, 0.706/0.675; Fisher z of the two
  correlations 0.737/0.738, 0.734/0.733, 0.735/0.734; the IO profile averaged with DPS's
  direct link (as percentile) 0.742/0.736, 0.736/0.731, 0.743/0.742, and with both this and
  the establishments' co-location 0.746/0.743, 0.738/0.717, 0.723/0.723 (random halves
  0.741/0.728, 0.736/0.742); co-location of employment and establishments averaged
  0.744/0.740, 0.743/0.741, 0.736/0.739 (random halves 0.736/0.725, 0.736/0.733); the
  hierarchy with the larger of the two data signals per pair 0.742/0.739, 0.741/0.721,
  0.739/0.729; second-order similarity of the combined matrix (cosine of its rows) 0.697 and
  its mean with the matrix 0.735/0.725 on all counties.  None is better on every sample; the
  plateau at 0.74 is the one IO + hierarchy reach without any regional data.

Measured without a gain, second round (2026-11-28, issue 6).  Samples: all counties / half A /
half B of the states / a random half of the counties (seed 2016; "R2" its complement where
given); AMI at 51 clusters (mean over random states 0-2 unless said) / at the chosen k.  The
reference on the same harness: co-location 0.367/0.391, 0.346/0.342, 0.270/0.266,
0.322/0.334 (states 0-4: 0.371, 0.342, 0.268, 0.328; R2 0.322); co-location + IO (0-4)
0.644/0.632, 0.633/0.638, 0.615/0.626, 0.624/0.606; all three 0.736/0.739, 0.727/0.736,
0.737/0.737, 0.737/0.739; IO + hierarchy alone 0.730 on every sample.

- Random-matrix cleaning of the co-location correlation (Laloux et al. 1999; eigenvalues
  inside the Marchenko-Pastur bulk, ``q`` = industries / effective regions, clipped to their
  mean, renormalised to a correlation): with Kish's effective number of regions under the
  sqrt-size weights (793 of 1,641 counties, 10-15 eigenvalues above the edge) 0.353/0.344,
  0.298/0.285, 0.258/0.256, 0.293/0.267; with the plain count (28-32 above the edge)
  0.361/0.353, 0.342/0.313, 0.278/0.260, 0.331/0.319; the top eigenvectors only 0.381/0.369,
  0.300/0.317, 0.247/0.249, 0.289/0.267; the market mode removed as well, lower on every
  sample (0.31-0.33 on all counties).  The fine structure of 51 clusters lives in the bulk.
- Region weights: by size 0.330/0.343 (all counties), by log size 0.381/0.381, 0.315/0.320,
  0.255/0.257, 0.296/0.281 (sqrt size, the default, stays); the smallest quarter of the
  counties left out 0.390/0.401, 0.345/0.332, 0.269/0.272, 0.325/0.318 (R2 0.325/0.313),
  the smaller half 0.372/0.380, 0.339/0.342, 0.253/0.255, 0.315/0.337: a gain on all
  counties only.
- Transforms: Spearman correlation (ranks, sqrt-size weights) 0.199/0.136; Pearson residuals
  ``(e - m) / sqrt(m)`` against independence 0.267/0.258; Freeman-Tukey residuals, equal
  weights 0.348/0.338, 0.311/0.291, 0.238/0.255, 0.303/0.280; ``log((e + a) / (m + a))``
  with a pseudo-count of a = 1 or 5 jobs 0.25-0.28 (all counties); raw LQ 0.264; sqrt LQ
  0.364/0.357, 0.325/0.316, 0.259/0.255, 0.304/0.294; asinh LQ 0.380/0.379, 0.339/0.335,
  0.263/0.285, 0.328/0.333 (the same as log1p within the refinement's noise); LQ > 1
  (phi coefficient) 0.287; log1p LQ capped at each industry's 99.9th percentile
  0.363/0.349, 0.334/0.338, 0.272/0.287, 0.338/0.333; the county size (log, and its square)
  partialled out of every industry 0.381/0.390, 0.323/0.334, 0.244/0.229, 0.296/0.295.
- Graph transforms of the correlation: shared nearest neighbours (Jarvis-Patrick overlap of
  the k = 10, 20, 40 nearest) alone 0.344-0.364 (all counties), 0.311-0.322 (half A), and
  averaged (standardised) with the correlation 0.362-0.381, 0.316-0.324, 0.258-0.273,
  0.312-0.328; a lazy random walk on the 10- or 20-nearest-neighbour graph (2-3 steps),
  alone or averaged in, 0.33-0.37, 0.30-0.32, 0.22-0.26, 0.27-0.31; each industry's row
  standardised (local scaling, then symmetrised) 0.387/0.366, 0.348/0.328, 0.263/0.254,
  0.294/0.289.  For all three signals (random state 0) that row standardisation of co-location 0.737/0.726,
  0.741/0.726, 0.739/0.748, 0.737/0.750 (lower at the chosen k on all counties and half A),
  of co-location and IO 0.737/0.725, 0.735/0.719, 0.724/0.719, 0.732/0.724, within-row
  percentiles 0.731/0.726, 0.733/0.733, 0.729/0.726, 0.734/0.734; co-location + IO with the
  row standardisation 0.625/0.612, 0.620/0.614, 0.610/0.617, 0.608/0.607; pairs sharing a
  5- or 4-digit parent forced to similarity 1 (must-link) changes nothing (average linkage
  merges them first already).
- Bagging over regions (20 bootstrap samples of the counties, each grouped, the
  co-assignment matrix grouped by average linkage): 0.364, 0.317, 0.261, 0.303 (a bootstrap
  sample drops a third of the counties).  The consensus over perturbed industries is in
  :mod:`clusterid.core.grouping` (helps co-location, not co-location + IO on all counties).

Measured without a gain, third round (2026-11-29, issue 6; all three signals, standardised,
average linkage; AMI at 51 clusters / at the chosen k on all counties, half A, half B of the
states, a random half of the counties).  Linear grading, the default: 0.736/0.739, 0.727/0.736,
0.737/0.737, 0.737/0.739.  Other gradings of the hierarchy by common-prefix depth ``p``:
geometric ``2^(p-6)`` 0.736/0.736, 0.718/0.723, 0.740/0.738, 0.738/0.723; the shared sector
not counted (``(p-2)/4`` from the 3-digit level) 0.733/0.707, 0.730/0.678, 0.729/0.703,
0.735/0.680; the square root of the linear grade 0.719/0.691, 0.716/0.707, 0.685/0.679,
0.720/0.696; its square 0.733/0.737, 0.731/0.737, 0.733/0.734, 0.738/0.720.  Unequal weights
(co-location : IO : hierarchy): 1 : 1 : 1.5 0.733/0.735, 0.734/0.733, 0.731/0.731,
0.742/0.716; 1 : 1 : 0.75 0.698/0.715 on all counties and 0.69-0.71 at 51 on every half;
0.5 : 1 : 1 0.741/0.702, 0.740/0.702, 0.734/0.702, 0.737/0.700 (the sweep then stops at 33
clusters); 1 : 0.5 : 1 0.724/0.729, 0.724/0.715, 0.727/0.727, 0.726/0.723.  Equal weights
and the linear grade stay: no variant is higher at the chosen k on any sample.  Ellison-Glaeser
coagglomeration as a fourth signal beside the three (2026-11-29, all counties): 0.734/0.730 at
56 clusters, against 0.736/0.739 without it.

Measured without a gain, fourth round (2026-11-29, issue 6; AMI at 51 clusters (mean over
random states 0-4) / at the chosen k (k), on all counties, half A, half B of the states).
Reference on the same code (``benchmarks/bench_detect_ami.py``): co-location 0.375 (0.377) /
0.385 (44), 0.339 (0.340) / 0.333 (59), 0.262 (0.272) / 0.278 (56); all three signals 0.736 /
0.739 (42), 0.727 / 0.736 (42), 0.737 / 0.737 (42); IO + hierarchy 0.730, 0.730, 0.731.

- Similarity Network Fusion (Wang et al. 2014, Nature Methods 11: 333-337) with the published
  defaults K = 20, t = 20, mu = 0.5, in place of the standardised mean.  ``snfpy`` 0.2.2 (last
  release 2020) calls ``check_array(force_all_finite=...)``, which scikit-learn 1.8 removed, so
  it was written after the authors' SNFtool (scaled exponential kernel, normalisation with
  diagonal 1/2, K-nearest-neighbour kernels, cross-diffusion; spectral NMI on snfpy's digits
  data 0.641 against snfpy's 0.633).  Distances ``1 - r`` for correlations, ``1 - h`` for the
  hierarchy, the squared Euclidean distance of the EG share-deviation vectors for
  coagglomeration; the fused matrix mapped linearly onto [0, 1] (percentiles or logs the
  same within 0.01).  Co-location, IO, hierarchy: 0.692 / 0.688 (67), 0.687 / 0.685 (67),
  0.689 / 0.692 (67); with the establishments' co-location and coagglomeration as two more
  matrices 0.693 / 0.670, 0.690 / 0.664, 0.676 / 0.670; IO + hierarchy 0.690, 0.688, 0.686
  at 51.  All counties, other settings: K = 10 0.674, K = 40 0.706, t = 5 0.694; Ward +
  refinement 0.685 / 0.674 (0.681, 0.683 on the halves); spectral clustering at 51 as in the
  paper 0.667-0.689 (states 0-2; 0.657-0.666 and 0.661-0.665 on the halves; the standardised
  matrix with spectral 0.691, 0.697, 0.689); Leiden 0.673 / 0.668 / 0.676 against 0.694 /
  0.705 / 0.698.  The fused co-location measures (employment, establishments,
  coagglomeration) as the co-location signal beside IO and hierarchy 0.733 / 0.693 (31),
  0.727 / 0.729 (47), 0.732 / 0.703 (31); SNF of co-location and IO as one data signal beside
  the hierarchy 0.701 / 0.475 (18), 0.700 / 0.473, 0.706 / 0.476.  The more local the
  kernels, the lower (K = 10, 20, 40 on all counties: 0.674, 0.692, 0.706), and every variant
  stays below the standardised mean on every sample.
- Co-location alone as the SNF of employment, establishment and coagglomeration co-location:
  0.296 (0.293) / 0.277 (67), 0.260 (0.261) / 0.239 (67), 0.204 (0.211) / 0.206 (67); K = 40
  0.295 (all counties).
- Consensus over signals (evidence accumulation, Fred & Jain 2005: the co-assignment of each
  signal's own DPS partitions at every k of the sweep grid, then the usual grouping): all three
  0.717 / 0.713 (35), 0.715 / 0.710 (33), 0.711 / 0.712 (33); co-location over its three
  measures 0.348 (0.351) / 0.334, 0.272 (0.271) / 0.270, 0.219 (0.220) / 0.216; over the
  employment co-location's own partitions 0.380 (0.381) / 0.383 (23), 0.322 (0.324) / 0.326,
  0.259 (0.258) / 0.256.
- Heat kernel ``exp(-t L)``, ``L`` the normalised Laplacian of the combined matrix, t = 1,
  rescaled to unit diagonal: all three 0.734 / 0.735 (50), 0.730 / 0.729 (50), 0.738 / 0.737
  (50); co-location 0.399 (0.387) / 0.355 (17), 0.363 (0.348) / 0.318 (24), 0.258 (0.266) /
  0.262 (67): up at 51 on all counties and half A, down on half B and at the chosen k.
  Diffusion-map distances (Coifman & Lafon 2006, alpha = 1, t = 1, every eigenvector): all
  three 0.668 / 0.420 (18), 0.667 / 0.451 (22), 0.640 / 0.416 (17); co-location 0.352 /
  0.340, 0.322 / 0.302, 0.269 / 0.250.
- Partial correlations of co-location (Ledoit-Wolf shrunk precision of the weighted
  log(1 + LQ) columns; shrinkage 0.16 / 0.23 / 0.32): alone 0.262 / 0.257, 0.211 / 0.179,
  0.150 / 0.157; averaged with the correlation 0.384 (0.376) / 0.362, 0.300 (0.311) / 0.315,
  0.249 (0.236) / 0.230.

Example
-------
>>> import polars as pl
>>> from clusterid.core import relatedness
>>> sim = relatedness.build(frame, signals=("colocation", "hierarchy"))   # doctest: +SKIP
>>> sim.matrix.shape, sim.codes[:2]                                       # doctest: +SKIP
((675, 675), ('111211', '111219'))
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from clusterid import schema
from clusterid.errors import DataError, Problem, UsageError

SIGNALS = ("colocation", "coagglomeration", "io", "hierarchy", "user")
SCALES = ("standard", "natural", "rank")
IO_MEASURES = ("link", "profile", "total")
DEFAULT_SIGNALS = ("colocation",)


@dataclass(frozen=True)
class Similarity:
    """Industries x industries similarity, combined and per signal.

    Attributes
    ----------
    matrix : ndarray (n, n) float64
        The combined similarity, symmetric, in [0, 1], diagonal 1 (see module docstring).
    codes : tuple of str
        Industry codes labelling rows and columns, sorted.
    names : tuple of (str or None)
        Industry titles in ``codes`` order (None where the input had none).
    per_signal : dict str -> ndarray (n, n)
        Each signal on its own natural scale (correlation, EG gamma, IO share, graded
        hierarchy, user value), NaN where undefined; diagonal NaN.
    scaled : dict str -> ndarray (n, n)
        Each signal as the combination uses it (standardised, natural or percentile scale,
        after ``scale``).
    weights : dict str -> float
        Weight of each signal in ``matrix`` (normalised to sum to 1).
    info : dict
        Provenance: regions used, cells proxied, IO coverage, ... (goes into metadata).
    """

    matrix: np.ndarray
    codes: tuple[str, ...]
    names: tuple[str | None, ...]
    per_signal: dict[str, np.ndarray] = field(default_factory=dict)
    scaled: dict[str, np.ndarray] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.codes)

    def index(self, codes: Sequence[str]) -> np.ndarray:
        """Positions of ``codes`` in this matrix (UsageError for unknown codes)."""
        pos = {c: i for i, c in enumerate(self.codes)}
        missing = [c for c in codes if c not in pos]
        if missing:
            raise UsageError(f"industries not in the similarity matrix: {', '.join(missing[:10])}")
        return np.array([pos[c] for c in codes], dtype=np.int64)

    def restrict(self, codes: Sequence[str]) -> Similarity:
        """The same similarity on a subset of industries (rescaling is not redone)."""
        idx = self.index(codes)
        sub = np.ix_(idx, idx)
        return Similarity(
            matrix=self.matrix[sub].copy(),
            codes=tuple(self.codes[i] for i in idx),
            names=tuple(self.names[i] for i in idx),
            per_signal={k: v[sub].copy() for k, v in self.per_signal.items()},
            scaled={k: v[sub].copy() for k, v in self.scaled.items()},
            weights=dict(self.weights),
            info=dict(self.info),
        )

    def to_frame(self, signal: str | None = None):
        """Long polars frame (industry_a, industry_b, similarity) over pairs a < b."""
        import polars as pl

        mat = self.matrix if signal is None else self.per_signal[signal]
        iu, ju = np.triu_indices(self.n, k=1)
        codes = np.array(self.codes, dtype=object)
        return pl.DataFrame(
            {"industry_a": codes[iu].tolist(), "industry_b": codes[ju].tolist(),
             "similarity": mat[iu, ju]},
            schema={"industry_a": pl.String, "industry_b": pl.String, "similarity": pl.Float64},
        )


# --------------------------------------------------------------------------------------------
# Region x industry panels from the canonical table
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Panel:
    """Dense region x industry panels (employment with suppression proxied, establishments)."""

    regions: tuple[str, ...]
    codes: tuple[str, ...]
    names: tuple[str | None, ...]
    employment: np.ndarray  # (regions, industries), no NaN
    establishments: np.ndarray | None  # (regions, industries) or None when absent
    region_totals: np.ndarray  # employment of all industries at this level in each region
    info: dict[str, Any]


def _choose(values: list, preferred: Sequence, what: str):
    for p in preferred:
        if p in values:
            return p
    if len(values) == 1:
        return values[0]
    raise UsageError(f"the table has several {what} ({', '.join(map(str, values))}); choose one")


def panel(frame, *, industries: Sequence[str] | None = None, level: int | None = None,
          ownership: str | None = None) -> Panel:
    """Dense region x industry matrices from a canonical frame (polars DataFrame or LazyFrame).

    Parameters
    ----------
    frame : canonical table (needs region, industry, employment + employment_status;
        establishments used when present).  Several periods are averaged per cell over the
        periods where the cell has a value.
    industries : restrict the columns to these codes (region totals still use every industry
        of the chosen level, so shares and LQs keep their meaning).
    level : classification depth to use (default: the deepest level in the table).
    ownership : default ``"private"`` when present, else ``"total"``.

    Suppressed employment (null with status "suppressed") is proxied by establishments x the
    industry's typical establishment size; if establishments are absent too, the cell becomes
    the industry's median reported value and the count is recorded in ``info``.
    """
    import polars as pl

    lf = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    cols = lf.collect_schema().names()
    for need in (schema.REGION, schema.INDUSTRY, schema.EMPLOYMENT):
        if need not in cols:
            raise DataError(problems=[Problem(f"the table has no {need!r} column",
                                              column=need, expected="a canonical table")])
    st_col = schema.status_col(schema.EMPLOYMENT)
    has_status = st_col in cols
    has_est = schema.ESTABLISHMENTS in cols

    if schema.OWNERSHIP in cols:
        owns = lf.select(pl.col(schema.OWNERSHIP).unique()).collect().to_series().to_list()
        own = ownership or _choose(sorted(owns), (schema.OWNERSHIP_PRIVATE, schema.OWNERSHIP_TOTAL),
                                   "ownerships")
        if own not in owns:
            raise UsageError(f"ownership {own!r} not in the table (has {', '.join(sorted(owns))})")
        lf = lf.filter(pl.col(schema.OWNERSHIP) == own)
    else:
        own = None
    unleveled: list[str] = []
    if schema.LEVEL in cols:
        levels = lf.select(pl.col(schema.LEVEL).unique()).collect().to_series().drop_nulls().to_list()
        lev = level if level is not None else (max(levels) if levels else None)
        # rows with no level that are not the all-industries total: a custom classification's
        # industries, or codes the classification does not know (REAT's German table names
        # three groups of sections without a WZ letter)
        no_level = pl.col(schema.LEVEL).is_null() & (pl.col(schema.INDUSTRY) != schema.ALL_INDUSTRIES)
        unleveled = sorted(lf.filter(no_level).select(pl.col(schema.INDUSTRY).unique())
                           .collect().to_series().to_list())
        if level is None and unleveled and (lev is None or lev == 0):
            # A custom table: its industries carry no level and the only levelled row is
            # their total, which is no industry (grouping "level 0" found one industry)
            lf = lf.filter(no_level)
            lev, unleveled = None, []
        elif lev is not None:
            have = sorted(x for x in levels if x != 0)
            if level is not None and level not in have:
                # "no rows left for relatedness ... level 7" (exit 1, <input>) named neither
                # the levels there are nor that the option asked for one the input lacks
                shown = ", ".join(map(str, have)) if have else "none (only totals)"
                # a table of 6-digit codes alone: the way to coarser codes is ingest's roll-up
                finer = [x for x in have if x > level] if level >= 0 else []
                hint = (f"; roll the codes up first with `clusterid ingest INPUT --level {level} "
                        "-o TABLE` and give TABLE to detect" if finer else "")
                raise UsageError(f"--level {level}: the input's {own or ''} rows have no "
                                 f"industry codes of that level; their levels: {shown}{hint}"
                                 .replace("  ", " "))
            lf = lf.filter(pl.col(schema.LEVEL) == lev)
    else:
        lev = level
    if schema.INDUSTRY_NAME not in cols:
        lf = lf.with_columns(pl.lit(None, dtype=pl.String).alias(schema.INDUSTRY_NAME))

    status = (pl.col(st_col) if has_status
              else schema.implied_status(pl.col(schema.EMPLOYMENT)))
    est = pl.col(schema.ESTABLISHMENTS).cast(pl.Float64) if has_est else pl.lit(None, dtype=pl.Float64)
    cells = (
        lf.select(
            pl.col(schema.REGION), pl.col(schema.INDUSTRY), pl.col(schema.INDUSTRY_NAME),
            pl.col(schema.EMPLOYMENT).cast(pl.Float64).alias("emp"),
            status.alias("status"), est.alias("est"),
        )
        # Eager and sorted on purpose: the lazy engine's parallel group_by adds partial sums
        # in an order that changes from run to run (the last bit of a mean differs, and
        # near-ties in the relatedness ranks flip); the eager one reduces each group in row
        # order, and the sort makes that order independent of the input's row order
        .collect()
        .sort(schema.REGION, schema.INDUSTRY, maintain_order=True)
        .group_by(schema.REGION, schema.INDUSTRY, maintain_order=True)
        .agg(
            pl.col("emp").mean().alias("emp"),  # mean over periods with a value
            (pl.col("status") == schema.REPORTED).any().alias("reported"),
            pl.col("est").mean().alias("est"),
            pl.col(schema.INDUSTRY_NAME).drop_nulls().first().alias("name"),
        )
    )
    if cells.height == 0:
        raise DataError(problems=[Problem("no rows left for relatedness after choosing "
                                          f"ownership {own!r} and level {lev!r}")])
    # typical establishment size per industry from reported cells
    size = (cells.filter(pl.col("reported") & pl.col("emp").is_not_null() & (pl.col("est") > 0))
            .group_by(schema.INDUSTRY).agg((pl.col("emp").sum() / pl.col("est").sum()).alias("size")))
    overall = cells.filter(pl.col("reported") & (pl.col("est") > 0)).select(
        pl.col("emp").sum() / pl.col("est").sum()).item() if has_est else None
    median_emp = cells.group_by(schema.INDUSTRY).agg(pl.col("emp").median().alias("med"))
    cells = cells.join(size, on=schema.INDUSTRY, how="left").join(median_emp, on=schema.INDUSTRY, how="left")
    cells = cells.with_columns(
        pl.when(pl.col("emp").is_not_null()).then(pl.lit("value"))
        .when(pl.col("est").is_not_null()).then(pl.lit("est_proxy"))
        .otherwise(pl.lit("median_proxy")).alias("how"),
        pl.when(pl.col("emp").is_not_null()).then(pl.col("emp"))
        .when(pl.col("est").is_not_null())
        .then(pl.col("est") * pl.coalesce(pl.col("size"), pl.lit(overall if overall else 1.0)))
        .otherwise(pl.coalesce(pl.col("med"), pl.lit(0.0))).alias("emp_filled"),
    )
    n_proxy_est = int((cells["how"] == "est_proxy").sum())
    n_proxy_med = int((cells["how"] == "median_proxy").sum())

    regions = sorted(cells[schema.REGION].unique().to_list())
    all_codes = sorted(cells[schema.INDUSTRY].unique().to_list())
    if industries is not None:
        want = sorted(set(industries))
        present = set(all_codes)
        codes = [c for c in want if c in present]
        if not codes:
            where = f"the table's level-{lev} codes" if lev is not None else "the table"
            raise UsageError(f"none of the {len(want)} industries asked for "
                             f"({', '.join(want[:5])} ...) is among {where} "
                             f"({', '.join(all_codes[:5])} ...)")
    else:
        codes = all_codes
    c_all_idx = {c: i for i, c in enumerate(all_codes)}
    # dense ranks of the sorted strings are the positions in `regions` / `all_codes`
    ri = (cells[schema.REGION].rank("dense") - 1).to_numpy().astype(np.int64)
    ci = (cells[schema.INDUSTRY].rank("dense") - 1).to_numpy().astype(np.int64)
    emp_all = np.zeros((len(regions), len(all_codes)))
    emp_all[ri, ci] = cells["emp_filled"].to_numpy()
    region_totals = emp_all.sum(axis=1)
    sel = np.array([c_all_idx[c] for c in codes])
    emp = emp_all[:, sel]
    est_mat = None
    if has_est:
        est_all = np.zeros_like(emp_all)
        est_all[ri, ci] = cells["est"].fill_null(0.0).to_numpy()
        est_mat = est_all[:, sel]
    name_of = dict(zip(cells[schema.INDUSTRY].to_list(), cells["name"].to_list()))
    names_first = (cells.filter(pl.col("name").is_not_null()).group_by(schema.INDUSTRY)
                   .agg(pl.col("name").first()))
    name_of = {c: None for c in all_codes}
    name_of.update(dict(zip(names_first[schema.INDUSTRY].to_list(), names_first["name"].to_list())))
    info = {"ownership": own, "level": lev, "n_regions": len(regions), "n_industries": len(codes),
            "cells": int(cells.height), "suppressed_proxied_by_establishments": n_proxy_est,
            "suppressed_proxied_by_median": n_proxy_med}
    if unleveled:
        info["left_out_without_level"] = unleveled
    return Panel(tuple(regions), tuple(codes), tuple(name_of[c] for c in codes), emp, est_mat,
                 region_totals, info)


# --------------------------------------------------------------------------------------------
# Signals
# --------------------------------------------------------------------------------------------

def _corr_columns(x: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """(Weighted) Pearson correlation between the columns of x (constant columns give NaN).

    ``weights`` (one per row, >= 0) weight the observations; None weights them equally.
    """
    if weights is None:
        w = np.ones(x.shape[0])
    else:
        w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    xc = x - (w[:, None] * x).sum(axis=0)
    xc = xc * np.sqrt(w)[:, None]
    norm = np.sqrt((xc * xc).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        xs = xc / norm
    c = xs.T @ xs
    c[:, norm == 0] = np.nan
    c[norm == 0, :] = np.nan
    np.fill_diagonal(c, np.nan)
    return np.clip(c, -1.0, 1.0)


def lq_matrix(values: np.ndarray, region_totals: np.ndarray | None = None) -> np.ndarray:
    """Location quotients of a region x industry matrix against the sum of the regions.

    ``LQ_ij = (e_ij / e_j) / (E_i / E)``; region totals default to the row sums.  Regions
    with a zero total give LQ 0 (they carry no information for a correlation).
    """
    e_j = values.sum(axis=1) if region_totals is None else np.asarray(region_totals, dtype=float)
    E_i = values.sum(axis=0)
    E = e_j.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        lq = (values / e_j[:, None]) / (E_i / E)[None, :]
    return np.nan_to_num(lq, nan=0.0, posinf=0.0)


def colocation_correlation(values: np.ndarray, region_totals: np.ndarray | None = None,
                           transform: str = "log1p_lq", region_weights: str = "sqrt_size",
                           ) -> np.ndarray:
    """Correlation across regions of industries' variance-stabilised activity.

    transform: ``log1p_lq`` (default; log(1 + LQ)), ``sqrt_share`` (sqrt of the industry's
    share in the region) or ``raw_lq``.
    region_weights: ``sqrt_size`` (default) weights each region by the square root of its
    total activity -- an LQ's sampling variance falls like ``1/e_j`` (METHODS.md 1), so the
    LQs of a county with 50 jobs are mostly noise; the square root keeps big metros from
    dominating.  ``equal`` gives every region the same weight (plain correlation).
    """
    tot = values.sum(axis=1) if region_totals is None else np.asarray(region_totals, dtype=float)
    if region_weights == "sqrt_size":
        w = np.sqrt(np.clip(tot, 0.0, None))
    elif region_weights == "equal":
        w = np.ones(values.shape[0])
    else:
        raise UsageError(f"unknown region weighting {region_weights!r}; use sqrt_size or equal")
    if w.sum() <= 0:
        w = np.ones(values.shape[0])
    if transform == "log1p_lq":
        x = np.log1p(lq_matrix(values, region_totals))
    elif transform == "sqrt_share":
        tot = values.sum(axis=1) if region_totals is None else region_totals
        with np.errstate(invalid="ignore", divide="ignore"):
            x = np.sqrt(np.nan_to_num(values / tot[:, None]))
    elif transform == "raw_lq":
        x = lq_matrix(values, region_totals)
    else:
        raise UsageError(f"unknown co-location transform {transform!r}",)
    return _corr_columns(x, w)


def coagglomeration(values: np.ndarray, region_totals: np.ndarray | None = None) -> np.ndarray:
    """Ellison-Glaeser-Kerr coagglomeration matrix (industries x industries), diagonal NaN.

    ``gamma^c_ik = sum_j (e_ij/E_i - x_j)(e_kj/E_k - x_j) / (1 - sum_j x_j^2)``,
    ``x_j = e_j / E`` (Ellison, Glaeser & Kerr 2010, AER 100(3)); computed by
    :func:`clusterid.core.indices.coagglomeration_matrix` on the filled panel.  Industries with
    no activity give NaN.
    """
    from clusterid.core.indices import coagglomeration_matrix

    g = np.array(coagglomeration_matrix(np.asarray(values, dtype=float),
                                        region_totals=region_totals), dtype=float)
    np.fill_diagonal(g, np.nan)
    return g


def hierarchy_similarity(codes: Sequence[str]) -> np.ndarray:
    """Graded closeness in the classification: common-prefix depth of the codes.

    Codes are compared on their digits/letters (punctuation dropped; NAICS sector ranges
    31-33, 44-45, 48-49 count as one sector).  The value is ``(p - 1) / (L - 1)`` clipped at 0,
    with ``p`` the common prefix length and ``L`` the longer code's length: for 6-digit NAICS
    same 5-digit parent 0.8, same 4-digit 0.6, same 3-digit 0.4, same sector 0.2, else 0.
    """
    sector = {"32": "31", "33": "31", "45": "44", "49": "48"}
    keys = []
    for c in codes:
        text = str(c)
        if len(text) == 5 and text[2] == "-":  # a sector range such as 31-33
            text = text[:2]
        orig = "".join(ch for ch in text if ch.isalnum())
        keys.append((sector.get(orig[:2], orig[:2]), orig))
    n = len(codes)
    sim = np.zeros((n, n))
    lengths = np.array([len(k[1]) for k in keys])
    for depth in range(1, int(lengths.max(initial=0)) + 1):
        # same prefix of length `depth` (sector ranges merged at depth 2)
        if depth == 2:
            labels = [k[0] if len(k[1]) >= 2 else None for k in keys]
        else:
            labels = [k[1][:depth] if len(k[1]) >= depth else None for k in keys]
        groups: dict[str, list[int]] = {}
        for i, lab in enumerate(labels):
            if lab is not None:
                groups.setdefault(lab, []).append(i)
        for members in groups.values():
            if len(members) > 1:
                idx = np.array(members)
                sim[np.ix_(idx, idx)] = depth
    longest = np.maximum(lengths[:, None], lengths[None, :]).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        graded = np.clip((sim - 1.0) / (longest - 1.0), 0.0, 1.0)
    graded = np.nan_to_num(graded)
    np.fill_diagonal(graded, np.nan)
    return graded


def io_shares(table) -> tuple[np.ndarray, np.ndarray]:
    """Sector x sector ``inp[k, i]`` (share of i's intermediate inputs bought from k) and
    ``out[i, k]`` (share of i's output sold to k); missing flows count as no flow."""
    flows = np.asarray(table.flows, dtype=float)  # (sectors, sectors): row supplies column
    with np.errstate(invalid="ignore", divide="ignore"):
        inp = flows / np.asarray(table.total_inputs, dtype=float)[None, :]
        out = flows / np.asarray(table.total_output, dtype=float)[:, None]
    return (np.nan_to_num(inp, nan=0.0, posinf=0.0, neginf=0.0),
            np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0))


def total_requirements_profiles(table) -> tuple[np.ndarray | None, dict[str, Any]]:
    """Sector x (2 sectors) total-requirements profiles, or None when the table cannot give them.

    Technical coefficients ``A[k, i] = flows[k, i] / x_i`` and output coefficients
    ``B[i, k] = flows[i, k] / x_i`` (``x``: the table's total output of each sector; in BEA's
    Use table the commodity's output stands for the industry's of the same code); the Leontief
    inverse ``L = (I - A)^-1`` and the Ghosh inverse ``G = (I - B)^-1`` count every round of
    the supply chain, not only direct purchases and sales.  Row ``i`` of the result is i's
    backward profile ``(L - I)[:, i]`` (what it needs, directly and indirectly, from each
    sector, as shares) followed by its forward profile ``(G - I)[i, :]`` (where its output
    ends up, as shares).  Only for a productive table (spectral radius of ``A`` below 1; ``B``
    has the same spectrum): a plain matrix whose "output" is the row sum of intermediate
    flows alone is not, and gets None with the reason.
    """
    flows = np.nan_to_num(np.asarray(table.flows, dtype=float), nan=0.0)
    x = np.asarray(table.total_output, dtype=float)
    ok = np.isfinite(x) & (x > 0)
    xs = np.where(ok, x, 1.0)
    a = np.where(ok[None, :], flows / xs[None, :], 0.0)
    b = np.where(ok[:, None], flows / xs[:, None], 0.0)
    n = a.shape[0]
    rho = float(np.max(np.abs(np.linalg.eigvals(a)))) if n else 0.0
    if not rho < 1.0:
        return None, {"io_total_requirements": "not used: the table's technical coefficients "
                      f"are not productive (spectral radius {rho:.3g} >= 1)"}
    eye = np.eye(n)
    back = np.linalg.solve(eye - a, eye) - eye  # (L - I)[k, i]
    fwd = np.linalg.solve(eye - b, eye) - eye   # (G - I)[i, k]
    with np.errstate(invalid="ignore", divide="ignore"):
        back_sh = back.T / back.sum(axis=0)[:, None]
        fwd_sh = fwd / fwd.sum(axis=1)[:, None]
    prof = np.nan_to_num(np.hstack([back_sh, fwd_sh]), nan=0.0, posinf=0.0, neginf=0.0)
    return prof, {"io_total_requirements": f"used (spectral radius {rho:.3g})"}


def io_similarity(codes: Sequence[str], table, measure: str = "link"
                  ) -> tuple[np.ndarray, dict[str, Any]]:
    """Input-output relatedness of industry codes.

    ``measure="link"``: DPS ``IO_ik = max(in_ik, in_ki, out_ik, out_ki)`` (direct links).
    ``measure="profile"``: correlation of the industries' linkage profiles -- the vector of
    i's input shares by supplier followed by its output shares by buyer -- after Feser &
    Bergman (2000), who group industries by correlations of I-O linkage patterns: two
    industries are related when they buy from and sell to the same sectors, even without
    trading with each other.
    ``measure="total"``: the mean of that correlation and the correlation of the industries'
    total-requirements profiles (:func:`total_requirements_profiles`: the Leontief and Ghosh
    inverses, so that two industries at the same place of a longer supply chain are related
    too); the profile correlation alone when the table is not productive (noted in the
    returned info).  On the USCMP benchmark (675 traded industries, 51 clusters) IO alone
    reaches AMI 0.606 against 0.592 for the direct profile (mean over five random states).

    ``table`` is a :class:`clusterid.io.iotables.IOTable` (flows commodity/sector ->
    using industry, the sectors' total intermediate inputs and total output, and a mapping
    from industry codes to sectors).  An industry maps to the sectors of the longest code
    prefix the crosswalk lists; several sectors share its weight equally.  Industries mapped
    to the same sector get that sector's own (diagonal) link, or identical profiles.
    Unmapped industries get NaN.
    """
    if measure not in IO_MEASURES:
        raise UsageError(f"unknown IO measure {measure!r}; use {', '.join(IO_MEASURES)}")
    inp, out = io_shares(table)
    weights, unmapped = table.mapping_matrix(codes)  # (industries, sectors), rows sum to 1 or 0
    extra: dict[str, Any] = {}
    if measure == "link":
        link = np.maximum.reduce([inp, inp.T, out, out.T])  # sector x sector, symmetric
        sim = weights @ link @ weights.T
    else:
        prof = weights @ np.hstack([inp.T, out])  # industry profiles: inputs by supplier, sales by buyer
        sim = _corr_columns(prof.T)
        if measure == "total":
            total, note = total_requirements_profiles(table)
            extra.update(note)
            if total is not None:
                sim = (sim + _corr_columns((weights @ total).T)) / 2.0
    bad = weights.sum(axis=1) == 0
    sim[bad, :] = np.nan
    sim[:, bad] = np.nan
    np.fill_diagonal(sim, np.nan)
    return sim, {"io_unmapped": list(unmapped), "io_sectors": int(inp.shape[0]),
                 "io_measure": measure, **extra}


def user_similarity(codes: Sequence[str], table) -> tuple[np.ndarray, dict[str, Any]]:
    """Matrix from a long table (industry_a, industry_b, similarity); unknown pairs NaN.

    A pair given in both orders takes the mean of the two values.
    """
    pos = {c: i for i, c in enumerate(codes)}
    n = len(codes)
    total = np.zeros((n, n))
    count = np.zeros((n, n))
    a = table["industry_a"].cast(str).to_list()
    b = table["industry_b"].cast(str).to_list()
    v = table["similarity"].to_numpy().astype(float)
    used = 0
    for x, y, val in zip(a, b, v):
        i, j = pos.get(x), pos.get(y)
        if i is None or j is None or i == j or not np.isfinite(val):
            continue
        used += 1
        total[i, j] += val
        count[i, j] += 1
        total[j, i] += val
        count[j, i] += 1
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = total / count
    np.fill_diagonal(sim, np.nan)
    return sim, {"user_pairs_used": used, "user_pairs_given": len(a)}


def percentile_scale(mat: np.ndarray) -> np.ndarray:
    """Percentile rank in [0, 1] of each off-diagonal finite value (ties averaged); NaN stays.

    Only the upper triangle is ranked, so every pair counts once; the result is symmetric.
    """
    from scipy.stats import rankdata

    n = mat.shape[0]
    out = np.full((n, n), np.nan)
    iu, ju = np.triu_indices(n, k=1)
    # Rounded before ranking: upstream parallel float sums differ in the last bits from run to
    # run, and near-ties must not flip ranks (same input -> byte-identical output).
    vals = np.round(mat[iu, ju], 12)
    ok = np.isfinite(vals)
    if ok.sum() == 0:
        return out
    r = rankdata(vals[ok], method="average")
    pct = (r - 0.5) / ok.sum() if ok.sum() > 1 else np.ones(1)
    scaled = np.full(vals.shape, np.nan)
    scaled[ok] = pct
    out[iu, ju] = scaled
    out[ju, iu] = scaled
    return out


def profile_similarity(mat: np.ndarray) -> np.ndarray:
    """Second-order similarity: cosine of industries' above-median rows, as a percentile.

    ``mat`` is a percentile-scaled matrix (values in [0, 1], median 0.5).  Each row keeps only
    its above-median part ``max(m - 0.5, 0)`` (diagonal counted as 1), and two industries are
    as close as the cosine of those rows: they are related to the same industries.  Keeping
    only the above-median part matters: with plain row correlations, two groups that are both
    *unrelated* to the same third groups would look alike.  Returns [0, 1], diagonal 1.
    """
    x = np.nan_to_num(np.array(mat, dtype=float, copy=True), nan=0.0)
    np.fill_diagonal(x, 1.0)
    x = np.maximum(x - 0.5, 0.0)
    norm = np.linalg.norm(x, axis=1)
    norm[norm == 0] = 1.0
    cos = (x @ x.T) / np.outer(norm, norm)
    np.fill_diagonal(cos, np.nan)
    out = np.nan_to_num(percentile_scale(cos), nan=0.0)
    np.fill_diagonal(out, 1.0)
    return out


def _weighted_sum(scaled: Mapping[str, np.ndarray], weights: Mapping[str, float]):
    """Per pair: sum of weight x value and sum of weights, over the signals defined there."""
    n = next(iter(scaled.values())).shape[0]
    num = np.zeros((n, n))
    den = np.zeros((n, n))
    for s, m in scaled.items():
        ok = np.isfinite(m)
        w = float(weights[s])
        num[ok] += w * m[ok]
        den[ok] += w
    return num, den


def combine(scaled: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """Weighted mean of scaled signals, per pair over the signals defined there; diag 1."""
    num, den = _weighted_sum(scaled, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        comb = num / den
    # pairs no signal defines: the least related value (0), so they never glue clusters
    comb[den == 0] = 0.0
    np.fill_diagonal(comb, 1.0)
    return comb


def natural_scale(signal: str, mat: np.ndarray, io_measure: str = "total") -> np.ndarray:
    """A signal on the [0, 1] scale of the natural combination (NaN stays NaN).

    Correlations (``colocation``; ``io`` with the profile measure) become ``(r + 1) / 2``;
    ``hierarchy`` is graded in [0, 1] already; every other signal becomes its percentile rank.
    """
    if signal == "colocation" or (signal == "io" and io_measure in ("profile", "total")):
        out = (np.clip(mat, -1.0, 1.0) + 1.0) / 2.0
    elif signal == "hierarchy":
        out = np.array(mat, dtype=float, copy=True)
    else:
        return percentile_scale(mat)
    out = out.copy()
    np.fill_diagonal(out, np.nan)
    return out


def standardise(mat: np.ndarray) -> np.ndarray:
    """``(m - mean) / sd`` over the finite off-diagonal values (each pair once); NaN stays.

    A constant signal (sd 0) carries no information on which pairs are closer: all 0.
    """
    n = mat.shape[0]
    iu = np.triu_indices(n, k=1)
    vals = mat[iu]
    ok = np.isfinite(vals)
    out = np.array(mat, dtype=float, copy=True)
    if not ok.any():
        return out
    mean = float(vals[ok].mean())
    sd = float(vals[ok].std())
    out = (out - mean) / sd if sd > 0 else np.where(np.isfinite(out), 0.0, np.nan)
    np.fill_diagonal(out, np.nan)
    return out


def unit_range(mat: np.ndarray) -> np.ndarray:
    """Affine map of the off-diagonal values onto [0, 1] (min -> 0, max -> 1); diagonal 1.

    Non-finite values become 0 (the least related); a constant matrix becomes all 0.
    """
    n = mat.shape[0]
    out = np.array(mat, dtype=float, copy=True)
    np.fill_diagonal(out, np.nan)
    ok = np.isfinite(out)
    if ok.any():
        lo, hi = float(out[ok].min()), float(out[ok].max())
        out = (out - lo) / (hi - lo) if hi > lo else np.where(ok, 0.0, np.nan)
    out = np.nan_to_num(out, nan=0.0)
    if n:
        np.fill_diagonal(out, 1.0)
    return out


def _combine_rank(per, w, sigs, codes_t, profile, hierarchy_step, info) -> np.ndarray:
    """The ``scale="rank"`` combination: percentile ranks, the hierarchy as frame."""
    scaled = {s: percentile_scale(m) for s, m in per.items()}
    data = [x for x in sigs if x != "hierarchy"]
    d = None
    if data:
        tot_d = sum(w[x] for x in data)
        wd = {x: (w[x] / tot_d if tot_d > 0 else 1.0 / len(data)) for x in data}
        d = combine({x: scaled[x] for x in data}, wd)
        if profile:
            d = profile_similarity(d)
    if "hierarchy" not in sigs:
        return d
    h = np.nan_to_num(per["hierarchy"], nan=0.0)
    np.fill_diagonal(h, 1.0)
    if d is None:
        return h
    lengths = [len("".join(ch for ch in c if ch.isalnum())) for c in codes_t]
    step = (hierarchy_step if hierarchy_step is not None
            else 1.0 / max(1, max(lengths, default=2) - 1))
    weight_h = w["hierarchy"] / (1.0 / len(sigs))  # 1 with equal weights
    step = step / max(weight_h, 1e-12)
    info["hierarchy_step"] = step
    return (h + step * d) / (1.0 + step)


def parse_signals(signals) -> tuple[str, ...]:
    """Signal names from a tuple or a comma-separated string, validated."""
    if isinstance(signals, str):
        signals = [s.strip() for s in signals.split(",") if s.strip()]
    out = []
    for s in signals:
        if s not in SIGNALS:
            raise UsageError(f"unknown signal {s!r}; choose from {', '.join(SIGNALS)}")
        if s not in out:
            out.append(s)
    if not out:
        # --signals ',' showed the library's spelling, "signals=('colocation',)"
        raise UsageError("no signal chosen (--signals lists none); choose from "
                         f"{', '.join(SIGNALS)}, e.g. colocation,hierarchy")
    return tuple(out)


def build(frame=None, signals=DEFAULT_SIGNALS, *, io=None, user=None,
          weights: Mapping[str, float] | None = None, industries: Sequence[str] | None = None,
          level: int | None = None, ownership: str | None = None,
          transform: str = "log1p_lq", measures: Sequence[str] | str = "auto",
          codes: Sequence[str] | None = None, names: Sequence[str | None] | None = None,
          profile: bool = False, hierarchy_step: float | None = None,
          io_measure: str = "total", region_weights: str = "sqrt_size",
          scale: str = "standard",
          ) -> Similarity:
    """Relatedness of industries from a canonical table and optional IO / user tables.

    Parameters
    ----------
    frame : polars DataFrame or LazyFrame in canonical form (needed by ``colocation`` and
        ``coagglomeration``; may be None for ``io``/``hierarchy``/``user`` only, then give
        ``codes``).
    signals : tuple of names from ``SIGNALS`` or a comma-separated string.
    io : :class:`clusterid.io.iotables.IOTable` (required for ``"io"``).
    user : polars DataFrame (industry_a, industry_b, similarity) (required for ``"user"``);
        see :func:`clusterid.io.iotables.read_similarity_table`.
    weights : weight per signal (default 1 each); normalised to sum to 1.
    industries : restrict to these codes (e.g. the traded industries).
    level, ownership : which rows of the table to use (see :func:`panel`).
    transform : co-location transform (``log1p_lq``, ``sqrt_share``, ``raw_lq``).
    measures : which measures the co-location signal averages (``employment``,
        ``establishments``).  ``"auto"`` (default): employment alone when every employment
        cell has a value (reported, or estimated by :mod:`clusterid.core.impute`, whose
        prior is establishments x typical size: the counts are in the values already, and on
        the county panel adding their own correlation, as DPS average LC-Emp and LC-Est, is no
        gain on all counties: AMI against USCMP at 51 clusters, mean over five random states,
        0.389 -> 0.385, and 0.325 -> 0.332, 0.276 -> 0.290 on the halves of the states); both,
        averaged, when suppressed cells had to be proxied by establishments x typical size
        (there the counts carry what the proxy cannot: 0.26 -> 0.33).
    codes, names : the industries when no frame is given.
    profile : apply the profile (second-order) step to the combined data signals (see module
        notes; off by default since the IO signal is a profile measure already).
    io_measure : ``"total"`` (default; the Feser-Bergman linkage-profile correlation
        averaged with that of total-requirements profiles), ``"profile"`` (direct profiles
        only) or ``"link"`` (DPS direct max link), see :func:`io_similarity`.
    region_weights : co-location region weighting (``sqrt_size`` or ``equal``).
    hierarchy_step : (``scale="rank"`` only) how far the data may move a pair against the
        classification (default: one level of the hierarchy, ``1 / (L - 1)`` for codes of
        length L).
    scale : ``"standard"`` (default: each signal on its natural scale, then standardised to
        mean 0 and sd 1 over its pairs; weighted mean mapped onto [0, 1]), ``"natural"``
        (correlations as ``(r + 1) / 2``, the hierarchy as graded, the others as
        percentiles; weighted mean of all) or ``"rank"`` (percentiles, hierarchy as frame);
        see the module notes.

    Returns
    -------
    Similarity

    Raises
    ------
    UsageError : unknown signal, a signal whose input is missing.
    DataError : the table lacks the columns a signal needs.
    """
    sigs = parse_signals(signals)
    if scale not in SCALES:
        raise UsageError(f"unknown scale {scale!r}; choose from {', '.join(SCALES)}")
    if "io" in sigs and io is None:
        raise UsageError("signal 'io' needs an input-output table (--io FILE)")
    if "user" in sigs and user is None:
        raise UsageError("signal 'user' needs a similarity table (--similarity FILE)")
    data_sigs = {"colocation", "coagglomeration"} & set(sigs)
    info: dict[str, Any] = {"signals": list(sigs), "transform": transform}
    pan = None
    if frame is not None:
        pan = panel(frame, industries=industries, level=level, ownership=ownership)
        codes_t, names_t = pan.codes, pan.names
        info.update(pan.info)
    elif data_sigs:
        raise UsageError(f"signal(s) {', '.join(sorted(data_sigs))} need a regional table")
    else:
        if codes is None:
            raise UsageError("give a table or the industry codes")
        codes_t = tuple(sorted(set(industries) if industries is not None else set(codes)))
        name_of = dict(zip(codes, names)) if names is not None else {}
        names_t = tuple(name_of.get(c) for c in codes_t)
    per: dict[str, np.ndarray] = {}
    for s in sigs:
        if s == "colocation":
            if isinstance(measures, str) and measures == "auto":
                proxied = (pan.info.get("suppressed_proxied_by_establishments", 0)
                           + pan.info.get("suppressed_proxied_by_median", 0))
                use = ("employment", "establishments") if proxied else ("employment",)
            else:
                use = tuple(measures)
            info["colocation_measures"] = list(use)
            parts = []
            if "employment" in use:
                parts.append(colocation_correlation(pan.employment, pan.region_totals, transform,
                                                   region_weights))
            if "establishments" in use and pan.establishments is not None:
                est = pan.establishments
                parts.append(colocation_correlation(est, None, transform, region_weights))
            if not parts:
                raise DataError(problems=[Problem("co-location needs employment or establishments")])
            with np.errstate(invalid="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN pairs stay NaN
                per[s] = np.nanmean(np.stack(parts), axis=0) if len(parts) > 1 else parts[0]
        elif s == "coagglomeration":
            per[s] = coagglomeration(pan.employment, pan.region_totals)
        elif s == "io":
            per[s], extra = io_similarity(codes_t, io, measure=io_measure)
            info.update(extra)
        elif s == "hierarchy":
            per[s] = hierarchy_similarity(codes_t)
        elif s == "user":
            per[s], extra = user_similarity(codes_t, user)
            info.update(extra)
    # industries no signal says anything about (every cell suppressed with nothing to proxy
    # it, for co-location alone): their similarities would be read as 0, the least related,
    # and the grouping would place them at random
    known = np.zeros(len(codes_t), dtype=bool)
    for m in per.values():
        seen = np.isfinite(np.asarray(m, dtype=float))
        np.fill_diagonal(seen, False)
        known |= seen.any(axis=1)
    if not known.all():
        info["industries_without_signal"] = [c for c, k in zip(codes_t, known) if not k]
    w = {s: 1.0 for s in sigs}
    if weights:
        for k, v in weights.items():
            if k not in sigs:
                raise UsageError(f"weight given for {k!r}, which is not among the signals")
            if not (v >= 0):
                raise UsageError(f"weight of {k!r} must be >= 0, got {v}")
            w[k] = float(v)
    tot = sum(w.values())
    if tot <= 0:
        raise UsageError("signal weights sum to 0")
    w = {k: v / tot for k, v in w.items()}
    if scale == "standard":
        scaled = {s: standardise(natural_scale(s, m, io_measure)) for s, m in per.items()}
        num, den = _weighted_sum(scaled, w)
        with np.errstate(invalid="ignore", divide="ignore"):
            matrix = unit_range(np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan))
        if profile:
            matrix = profile_similarity(percentile_scale(matrix))
    elif scale == "natural":
        scaled = {s: natural_scale(s, m, io_measure) for s, m in per.items()}
        matrix = combine(scaled, w)
        if profile:
            matrix = profile_similarity(percentile_scale(matrix))
    else:
        matrix = _combine_rank(per, w, sigs, codes_t, profile, hierarchy_step, info)
        scaled = {s: percentile_scale(m) for s, m in per.items()}
    # 12 decimals: far below any meaningful difference, far above float-sum noise, so grouping
    # ties (argsort, linkage) resolve the same way on every run.
    matrix = np.round(np.clip(matrix, 0.0, 1.0), 12)
    np.fill_diagonal(matrix, 1.0)
    info["profile"] = profile
    info["scale"] = scale
    return Similarity(matrix=matrix, codes=tuple(codes_t), names=tuple(names_t), per_signal=per,
                      scaled=scaled, weights=w, info=info)
