"""Readers for IO Use tables, crosswalks and user similarity tables (hand-made tiny files)."""

from __future__ import annotations

import numpy as np
import pytest

from clusterid.core import relatedness
from clusterid.errors import DataError, InputFileError
from clusterid.io import iotables

from conftest import TEST_DATA, shared_path

IO = TEST_DATA / "io"


def test_bea_layout_totals_and_missing_marker():
    t = iotables.read_use_table(IO / "use_bea_tiny.csv", IO / "crosswalk_tiny.csv")
    assert t.sectors == ("111000", "211000", "331000")
    assert t.source["layout"] == "bea"
    np.testing.assert_array_equal(t.total_inputs, [15, 10, 20])  # row T005
    np.testing.assert_array_equal(t.total_output, [30, 80, 40])  # last column
    assert np.isnan(t.flows[2, 1])  # (D) is missing, not 0
    assert t.flows[1, 2] == 15


def test_crosswalk_longest_prefix():
    t = iotables.read_use_table(IO / "use_bea_tiny.csv", IO / "crosswalk_tiny.csv")
    assert t.sectors_of("331110") == ("331000",)
    assert t.sectors_of("111998") == ("111000",)
    assert t.sectors_of("999999") == ()


def test_io_similarity_by_hand():
    t = iotables.read_use_table(IO / "use_bea_tiny.csv", IO / "crosswalk_tiny.csv")
    codes = ["111110", "211111", "331110", "331210", "999999"]
    sim, info = relatedness.io_similarity(codes, t)
    # max(in, in', out, out'): 111<-211: 5/15 of 111's inputs
    assert sim[0, 1] == pytest.approx(1 / 3)
    assert sim[0, 2] == pytest.approx(0.0)
    assert sim[1, 2] == pytest.approx(15 / 20)  # 331 buys 15 of its 20 inputs from 211
    assert sim[2, 3] == pytest.approx(5 / 20)  # same BEA sector: its own diagonal link
    assert np.isnan(sim[4, 0]) and info["io_unmapped"] == ["999999"]
    np.testing.assert_allclose(np.nan_to_num(sim), np.nan_to_num(sim.T))


def test_square_matrix_without_crosswalk():
    t = iotables.read_use_table(IO / "square_tiny.csv")
    assert t.source["layout"] == "square"
    np.testing.assert_array_equal(t.total_output, [4, 8, 0])
    sim, _ = relatedness.io_similarity(["A1", "B2", "C3"], t)
    # A1-B2: in = 4/4 (B2's inputs all from A1)
    assert sim[0, 1] == pytest.approx(1.0)
    assert sim[1, 2] == pytest.approx(1.0)  # C3's inputs all from B2


def test_user_similarity_table_mean_of_both_orders_and_unknown_nan():
    tab = iotables.read_similarity_table(IO / "similarity_tiny.csv")
    sim, info = relatedness.user_similarity(["A1", "B2", "C3"], tab)
    assert sim[0, 1] == pytest.approx(0.8) and sim[1, 0] == pytest.approx(0.8)
    assert np.isnan(sim[0, 2])  # not given: unknown, not 0
    assert info["user_pairs_used"] == 3


def test_similarity_table_below_blank_lines_is_located_at_its_own_lines(tmp_path):
    # similarity_tiny.csv saved with an empty line and a line of one blank first (header on
    # line 3): a bad number and a pair given twice were named two lines too early (4 and 3)
    rows = (IO / "similarity_tiny.csv").read_text().splitlines()
    p = tmp_path / "sim.csv"
    p.write_text("\n \n" + "\n".join([rows[0], "A1,B2,0.5", "A1,B2,0.7", "A1,C3,x"]) + "\n")
    with pytest.raises(DataError) as err:
        iotables.read_similarity_table(p)
    found = sorted((q.line, q.message) for q in err.value.problems)
    assert found == [(5, "pair A1, B2 given twice"), (6, "not a number")]
    assert "line 4 gives 0.5" in next(q.expected for q in err.value.problems if q.line == 5)


def test_similarity_table_rows_below_a_quoted_line_break_are_located_at_their_lines(tmp_path):
    # a note column whose first cell runs over two lines: the rows below it start a line
    # further down, and each was named a line too early (record + 2)
    p = tmp_path / "sim.csv"
    p.write_text('industry_a,industry_b,similarity,note\nA1,B2,0.5,"two\nlines"\n'
                 "A1,B2,0.7,\nA1,C3,x,\n")
    with pytest.raises(DataError) as err:
        iotables.read_similarity_table(p)
    found = sorted((q.line, q.message) for q in err.value.problems)
    assert found == [(4, "pair A1, B2 given twice"), (5, "not a number")]
    assert "line 2 gives 0.5" in next(q.expected for q in err.value.problems if q.line == 4)


def test_bad_number_is_located(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("code,A,B\nA,1,x\nB,2,3\n")
    with pytest.raises(DataError) as err:
        iotables.read_use_table(p)
    prob = err.value.problems[0]
    assert (prob.line, prob.column, prob.found) == (2, "B", "x")


def test_missing_file_and_not_a_table(tmp_path):
    with pytest.raises(InputFileError):
        iotables.read_use_table(tmp_path / "nope.csv")
    p = tmp_path / "flat.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match="not an input-output table"):
        iotables.read_use_table(p)


def test_real_bea_detail_use_table():
    use = shared_path("bea_io_2017", "Detail_Use_2017_PRO_BeforeRedef_17sch.csv")
    xw = shared_path("bea_io_2017", "MasterCrosswalk2017.csv")
    t = iotables.read_use_table(use, xw)
    assert len(t.sectors) > 390
    assert t.sectors_of("336411") == ("336411",)
    assert t.sectors_of("213112") == ("21311A",)  # listed at 6 digits in NAICS 2012
    i = t.sectors.index("1111A0")
    assert t.total_inputs[i] == 20547 and t.total_output[i] == 37922
