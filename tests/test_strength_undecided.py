"""A strong-cluster call the data cannot decide is empty, with its reason, never false.

Under ``--suppressed drop`` a cluster whose member cells in a region are all suppressed has no
employment and no LQ: whether it is strong there is unknown, as lq leaves an undefined LQ empty
with ``lq_reason``.  It was written ``strong = false`` (tier ``none``, no stars), so a region
looked as if the data had ruled the cluster out.  A condition that fails on known values (no
jobs, too few establishments) still decides the call: the rules are read in Kleene logic.
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from clusterid.core import definitions as cdefs
from clusterid.core import strength
from clusterid.io.canonical import to_canonical
from conftest import TEST_DATA
from conftest import run_main as run_cli

# Five regions of 1,000 workers, one cluster of industry 111; R0's cell is suppressed (no
# value, as QCEW withholds it), the others publish 10, 40, 80, 300 jobs.
EMP = [None, 10.0, 40.0, 80.0, 300.0]


def _frame(emp=EMP, est=(9.0, 2.0, 4.0, 6.0, 8.0)):
    rows = []
    for j, (e, s) in enumerate(zip(emp, est)):
        region = f"R{j}"
        rows.append(dict(period="2016", region=region, industry="111", employment=e,
                         employment_status="suppressed" if e is None else "reported",
                         establishments=s, region_level="county"))
        rows.append(dict(period="2016", region=region, industry="10", employment=1000.0,
                         employment_status="reported", establishments=100.0,
                         region_level="county"))
    frame = to_canonical(pl.DataFrame(rows, schema_overrides={"employment": pl.Float64}).lazy())
    return frame.collect(), cdefs.build("t", {"111": "A"}, cluster_types={"A": "traded"})


def _row(df, region):
    return df.filter(pl.col("region") == region).row(0, named=True)


@pytest.mark.parametrize("rule", ["uscmp-strong", "uscmp-qualifying", "eco-stars",
                                  "lq>=1.25", "lq>=1,significant", "lq>=1,significant-bh"])
def test_a_cluster_of_suppressed_cells_has_no_call(rule):
    frame, defs = _frame()
    res = strength.regional_strength(frame, defs, rule=rule, suppressed="drop",
                                     denominator="total")
    r0 = _row(res.regional, "R0")
    assert r0["lq"] is None and r0["employment"] is None
    assert r0["strong"] is None, rule
    assert r0["strong_reason"] == "every member cell suppressed"
    # not robustly strong: at the low end of its bounds (0 jobs) the rule fails
    assert r0["strong_robust"] is False
    assert r0["rank_in_region"] is None and r0["rank_in_cluster"] is None
    # every decided call has no reason; R4 (LQ 300 / 430 * 4 = 2.79) is decided either way
    r4 = _row(res.regional, "R4")
    assert r4["strong"] is not None and r4["strong_reason"] is None
    assert res.info["undecided_calls"] == {"every member cell suppressed": 1}
    # the region summary neither counts nor lists the unknown call as strong
    summary = res.regions.filter(pl.col("region") == "R0").row(0, named=True)
    assert summary["n_strong"] == 0 and summary["strong_clusters"] == ""


def test_the_tier_and_stars_of_an_unknown_lq_are_unknown():
    frame, defs = _frame()
    r0 = _row(strength.regional_strength(frame, defs, suppressed="drop",
                                         denominator="total").regional, "R0")
    assert r0["uscmp_tier"] is None and r0["stars"] is None
    assert r0["star_specialisation"] is None and r0["star_size"] is None


def test_a_condition_failed_on_known_values_still_decides():
    # R0's 1 establishment is below the Q25 of the regions with jobs (2, 4, 6, 8 -> 3.5):
    # whatever its jobs, uscmp-strong cannot call it strong
    frame, defs = _frame(est=(1.0, 2.0, 4.0, 6.0, 8.0))
    r0 = _row(strength.regional_strength(frame, defs, suppressed="drop",
                                         denominator="total").regional, "R0")
    assert r0["strong"] is False and r0["uscmp_tier"] == "none"
    assert r0["strong_reason"] is None
    # a published zero is no cluster: decided, not unknown
    frame, defs = _frame(emp=[0.0, 10.0, 40.0, 80.0, 300.0])
    r0 = _row(strength.regional_strength(frame, defs, suppressed="drop",
                                         denominator="total").regional, "R0")
    assert r0["strong"] is False and r0["strong_reason"] is None


def test_bounds_and_impute_decide_every_call():
    frame, defs = _frame()
    frame = frame.with_columns(pl.when(pl.col("employment").is_null()).then(0.0)
                               .alias("employment_lower"),
                               pl.when(pl.col("employment").is_null()).then(500.0)
                               .alias("employment_upper"))
    res = strength.regional_strength(frame, defs, suppressed="bounds", denominator="total")
    assert res.regional["strong"].null_count() == 0
    assert "undecided_calls" not in res.info


def test_ranks_put_undecided_calls_after_the_strong_and_before_the_others():
    # a user rule on establishments, unknown in R2: its LQ is known, its call is not
    frame, defs = _frame(emp=[20.0, 10.0, 40.0, 80.0, 300.0],
                         est=(9.0, 2.0, None, 6.0, 8.0))
    res = strength.regional_strength(frame, defs, rule="lq>=0.2,establishments>=5",
                                     suppressed="drop", denominator="total")
    df = res.regional.sort("rank_in_cluster")
    assert df["region"].to_list() == ["R4", "R3", "R0", "R2", "R1"]
    assert df["strong"].to_list() == [True, True, True, None, False]
    assert _row(df, "R2")["strong_reason"] == "establishments unknown"
    # R2's 40 traded jobs may be in a strong cluster: its cluster strength is unknown, not 0
    r2 = res.regions.filter(pl.col("region") == "R2").row(0, named=True)
    assert r2["traded_employment"] == 40.0
    assert r2["strong_traded_employment"] is None and r2["cluster_strength"] is None
    assert _row(res.regions, "R1")["cluster_strength"] == 0.0


# ---------------------------------------------------------------- the CLI on a real BLS slice
# tests/data/impute/qcew_utah_2016q1_slice.csv: BLS QCEW 2016 Q1 rows of Utah and three of its
# counties (sectors 21 and 23 to six digits), as published; Beaver and Daggett County withhold
# every member cell of some USCMP clusters
SLICE = TEST_DATA / "impute" / "qcew_utah_2016q1_slice.csv"


@pytest.fixture(scope="module")
def detected(tmp_path_factory):
    import contextlib
    import io

    from clusterid.cli.app import main

    out = tmp_path_factory.mktemp("detect") / "out"
    stderr = io.StringIO()  # in-process (a module fixture has no capsys): what stderr says
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as exit_:
        main(["detect", str(SLICE), "--definitions", "uscmp", "--month", "1", "--suppressed",
              "drop", "-o", str(out)])
    assert exit_.value.code in (0, None), stderr.getvalue()
    assert "5 region x cluster call(s) the data cannot decide" in stderr.getvalue()
    return out


def test_detect_leaves_the_calls_of_withheld_clusters_empty(detected):
    regional = pl.read_csv(detected / "regional_clusters.csv", infer_schema_length=0)
    withheld = regional.filter(pl.col("employment_status") == "suppressed")
    undecided = regional.filter(pl.col("strong").is_null())
    assert undecided.height == 5
    assert set(undecided["strong_reason"]) == {"every member cell suppressed"}
    assert set(undecided["region"]) == {"49001", "49009"}
    # no row without an LQ says 'not strong' unless a known value decided it (tier 'none')
    for row in withheld.iter_rows(named=True):
        assert row["lq"] is None
        assert (row["strong"] is None) == (row["uscmp_tier"] is None), row
    meta = json.loads((detected / "metadata.json").read_text())
    assert meta["strength"]["undecided_calls"] == {"every member cell suppressed": 5}
    summary = pl.read_csv(detected / "region_summary.csv", infer_schema_length=0)
    strong = regional.filter(pl.col("strong") == "true")
    for row in summary.iter_rows(named=True):
        assert int(row["n_strong"]) == strong.filter(pl.col("region") == row["region"]).height


def test_the_report_shows_an_undecided_call_as_unknown(detected, tmp_path, capsys):
    code, _, err = run_cli(["report", str(detected), "-o", str(tmp_path / "r.md")], capsys)
    assert code == 0, err
    from clusterid.io.report_input import read_detect_folder

    regional = read_detect_folder(detected).regional
    assert regional["strong"].null_count() == 5  # read back as unknown, not as false
