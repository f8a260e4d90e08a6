"""LQs that differ only in their last digits are one value: four regions of the same industry
mix (each industry a third of its region, hand-checkable: every LQ is 1) gave LQs of
0.9999999999999999 and, standardised over the regions, SLQs of -1.22 and log-SLQs of -0.87
-- a spread made of rounding.  A group whose spread is within 1e-10 of its mean has no z."""

from __future__ import annotations

import polars as pl
import pytest

from clusterid.core import lq as core

MIX = {"A": (0.1, 0.2), "B": (0.2, 0.4), "C": (0.3, 0.6), "D": (0.7, 1.4)}


def _table():
    rows = [("2020", r, "total", code, "NAICS", 2, v)
            for r, (a, b) in MIX.items() for code, v in (("11", a), ("21", b))]
    return pl.DataFrame(rows, orient="row", schema=["period", "region", "ownership", "industry",
                                                     "classification", "level", "employment"])


def test_same_mix_everywhere_has_no_standardised_lq():
    out, _meta = core.compute_lq(_table())
    assert out["lq"].to_list() == pytest.approx([1.0] * 8, rel=1e-12)
    assert out["slq"].null_count() == 8 and out["log_slq"].null_count() == 8


def test_rounding_spread_was_standardised_before(monkeypatch):
    """The same table with the tolerance at 0 (the former rule, sd > 0): the rounding's
    spread standardised into SLQs of about -1.22 -- the data hold that spread."""
    monkeypatch.setattr(core, "_Z_RTOL", 0.0)
    out, _meta = core.compute_lq(_table())
    assert out["slq"].drop_nulls().len() > 0
