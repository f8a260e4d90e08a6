"""`clusterid lq --suppressed drop|bounds|impute`: LQ bounds and robust calls, hand-computed.

The toy: region A's total is 100 with industry 11 reported at 40 and industry 21 suppressed;
region B publishes everything (11 = 200, 21 = 100, total 300), so the sector rows add up exactly
to the total and A's 21 must be 100 - 40 = 60.  With the sum-of-regions benchmark the
suppressed cell is left out of the benchmark (21: 100 of 400) unless it is imputed.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from clusterid.cli.app import main
from clusterid.core import lq as core

TOY = """period,region,ownership,industry,level,employment,employment_status
2016,A,total,10,0,100,reported
2016,A,total,11,2,40,reported
2016,A,total,21,2,,suppressed
2016,B,total,10,0,300,reported
2016,B,total,11,2,200,reported
2016,B,total,21,2,100,reported
"""


def _lq(tmp_path, capsys, mode):
    src = tmp_path / "toy.csv"
    src.write_text(TOY)
    out = tmp_path / f"{mode}.parquet"
    try:
        main(["lq", str(src), "-o", str(out), "--suppressed", mode, "--level", "2"])
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    _, err = capsys.readouterr()
    assert code == 0, err
    df = pl.read_parquet(out)
    return {r["region"] + "/" + r["industry"]: r for r in df.iter_rows(named=True)}


def test_drop_leaves_the_suppressed_lq_empty_with_its_reason(tmp_path, capsys):
    rows = _lq(tmp_path, capsys, "drop")
    assert rows["A/21"]["lq"] is None
    assert rows["A/21"]["lq_reason"] == core.REASON_SUPPRESSED
    assert core.SPECIALISED_ROBUST not in rows["A/21"]


def test_bounds_give_the_lq_range_the_published_data_allows(tmp_path, capsys):
    rows = _lq(tmp_path, capsys, "bounds")
    # x_A21 in [60, 60]; the sum-of-regions benchmark holds it too: share of 21 = 160 / 400 (the
    # cell left out of it gave 60 / (100 * 0.25) = 2.4, outside the only LQ the data allow)
    a21 = rows["A/21"]
    assert a21["lq"] is None
    assert a21["lq_bound_lower"] == pytest.approx((60 / 100) / (160 / 400))
    assert a21["lq_bound_upper"] == pytest.approx((60 / 100) / (160 / 400))
    # a reported cell's LQ moves with the benchmark's suppressed cells: B/21's point LQ, over
    # the published cells alone, is 1.33 (specialised), but with A/21 at 60 -- the only value
    # the data allow -- it is 0.83: its bounds say so and the call is fragile (it was 'robust')
    b21 = rows["B/21"]
    assert b21["lq"] == pytest.approx((100 / 300) / (100 / 400))
    assert b21["lq_bound_lower"] == pytest.approx((100 / 300) / (160 / 400))
    assert b21["lq_bound_upper"] == pytest.approx((100 / 300) / (160 / 400))
    assert b21["specialised"] is True and b21["specialised_robust"] is False


def test_impute_fills_the_cell_and_its_call_is_robust(tmp_path, capsys):
    rows = _lq(tmp_path, capsys, "impute")
    a21 = rows["A/21"]
    assert a21["status"] == "estimated"
    assert a21["value"] == pytest.approx(60)
    # the benchmark now includes the imputed 60: share of 21 = 160 / 400
    assert a21["lq"] == pytest.approx((60 / 100) / (160 / 400))
    assert a21["specialised"] is True and a21["specialised_robust"] is True


def test_robust_call_against_a_reference():
    """Hand cases: a call is robust when the bounds all fall on the same side of the threshold."""
    lq = np.array([1.5, 1.5, 1.0, 1.0, np.nan, 2.0])
    lo = np.array([1.3, 1.1, 0.5, 0.5, 1.0, np.nan])
    hi = np.array([1.8, 1.8, 1.2, 1.3, 2.0, np.nan])
    reported = np.array([False, False, False, False, False, False])
    robust, undefined = core._robust_call(lq, lo, hi, 1.25, reported)
    # [specialised, lower above], [specialised, lower below], [not, upper below], [not, upper
    # above], [undefined], [no bounds at all: lower 0 -> fragile]
    assert robust.tolist()[:4] == [True, False, True, False]
    assert undefined.tolist() == [False, False, False, False, True, False]
    assert robust[5] == False  # noqa: E712
    robust, _ = core._robust_call(lq, lo, hi, 1.25, np.ones(6, bool))
    assert robust[[0, 1, 2, 3, 5]].all()  # reported cells are their own bounds


@pytest.mark.parametrize("mode, said", [("drop", True), ("bounds", True), ("impute", False)])
def test_a_benchmark_short_of_suppressed_cells_is_said_on_stderr(tmp_path, capsys, mode, said):
    """Industry 21's benchmark total is B's 100 alone (A's 60 suppressed) while the benchmark
    total counts both regions' 400: B's LQ of 21 is (100/300)/(100/400) = 1.33 instead of
    (100/300)/(160/400) = 0.83.  Said on stderr unless the cell is imputed."""
    src = tmp_path / "toy.csv"
    src.write_text(TOY)
    with pytest.raises(SystemExit) as exit_:
        main(["lq", str(src), "-o", str(tmp_path / "out.parquet"), "--suppressed", mode, "--level", "2"])
    _, err = capsys.readouterr()
    assert exit_.value.code in (0, None), err
    assert ("1 suppressed cells are left out of the benchmark's industry totals" in err) == said
    lq = pl.read_parquet(tmp_path / "out.parquet").filter(
        (pl.col("region") == "B") & (pl.col("industry") == "21"))["lq"].item()
    assert lq == pytest.approx((100 / 300) / (100 / 400) if said else (100 / 300) / (160 / 400))
