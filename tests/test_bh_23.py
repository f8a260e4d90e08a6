"""core.lq.bh_adjusted against its reference, scipy.stats.false_discovery_control(method="bh"):
the same floats on random p-values, with ties, zeros and ones, and families of one or two."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from clusterid.core.lq import bh_adjusted


@pytest.mark.parametrize("size", [1, 2, 3, 10, 1000])
def test_equals_scipy(size):
    rng = np.random.default_rng(size)
    for p in (rng.random(size), rng.random(size) ** 6, np.round(rng.random(size), 2),
              np.where(rng.random(size) < 0.2, 0.0, np.where(rng.random(size) < 0.2, 1.0, rng.random(size)))):
        np.testing.assert_array_equal(bh_adjusted(p), stats.false_discovery_control(p, method="bh"))


def test_hand_computed():
    # m = 4: sorted 0.01 0.02 0.03 0.5 -> x4/1, x4/2, x4/3, x4/4 = 0.04 0.04 0.04 0.5
    np.testing.assert_allclose(bh_adjusted(np.array([0.5, 0.03, 0.01, 0.02])), [0.5, 0.04, 0.04, 0.04])
    # a later smaller value carries back: 0.04*3/2 = 0.06 > 0.05*3/3 = 0.05
    np.testing.assert_allclose(bh_adjusted(np.array([0.05, 0.04, 0.001])), [0.05, 0.05, 0.003])
