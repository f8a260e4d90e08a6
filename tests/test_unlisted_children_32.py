"""A region listing a parent code alone where other regions list its children (section C
alone beside others' C10, C11, C20: core.overlaps.unlisted_children), in lq, impute,
indices and shift-share (session 32; detect read them since session 31).

Inputs: tests/data/e2e31/section_alone_in_one_region.csv (R4 lists C = 5,000 and G = 3,000
alone; R1-R3 total 6,372, 4,100, 5,100 over C and G) and tests/data/stages32/."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from conftest import run_main

TESTS = Path(__file__).resolve().parent
ALONE = TESTS / "data" / "e2e31" / "section_alone_in_one_region.csv"
YEAR = TESTS / "data" / "stages32" / "section_alone_in_one_year.csv"


def _level2(path):
    return pl.read_csv(path).filter(pl.col("level") == 2).sort("region", "industry")


def test_lq_keeps_the_regions_total_in_the_divisions_benchmark(tmp_path, capsys):
    """Without a row at level 2, R4's 8,000 jobs dropped out of the level's benchmark total
    (15,572, not 23,572) while its C and G stayed in level 1's.  Now its divisions are
    suppressed cells: E = 6,372 + 4,100 + 5,100 + 8,000 = 23,572, counted once, and R1's C10
    LQ is (431 / 6,372) / (2,031 / 23,572) = 0.78503, its E_i lacking R4's unknown C10 (said,
    as for any suppressed cell)."""
    out = tmp_path / "lq.csv"
    code, _o, err = run_main(["lq", str(ALONE), "-o", str(out)], capsys)
    assert code == 0, err
    assert "4 cells of codes that a region lists only through their parent" in err
    d = _level2(out)
    assert set(d["benchmark_total"].to_list()) == {23572.0}
    r4 = d.filter(pl.col("region") == "R4")
    assert r4["industry"].to_list() == ["C10", "C11", "C20", "G46"]
    assert r4["region_total"].to_list() == [8000.0] * 4
    assert r4["lq_reason"].to_list() == ["suppressed cell"] * 4
    r1 = d.filter((pl.col("region") == "R1") & (pl.col("industry") == "C10")).row(0, named=True)
    assert r1["lq"] == pytest.approx((431 / 6372) / (2031 / 23572), rel=1e-6)
    # level 1 unchanged: R4's sections are its whole, counted once
    l1 = pl.read_csv(out).filter(pl.col("level") == 1)
    assert set(l1["benchmark_total"].to_list()) == {23572.0}


def test_lq_impute_fills_the_divisions_from_the_section_share(tmp_path, capsys):
    """--suppressed impute: R4's C10 = C x C10's share of C where both are published,
    5,000 x 2,031 / 9,555 = 1,062.79 (not 5,000 / 3 each, the middle of [0, 5,000] pushed
    under C: C10 + C11 + C20 made the whole of C, whose other divisions the table does not
    list); E_i of C10 = 2,031 + 1,062.79, E = 23,572."""
    out = tmp_path / "lq.csv"
    code, _o, err = run_main(["lq", str(ALONE), "-o", str(out), "--suppressed", "impute"], capsys)
    assert code == 0, err
    d = _level2(out)
    c10 = d.filter((pl.col("region") == "R4") & (pl.col("industry") == "C10")).row(0, named=True)
    assert c10["value"] == pytest.approx(5000 * 2031 / 9555, rel=1e-6)
    assert c10["status"] == "estimated"
    assert c10["benchmark_industry_total"] == pytest.approx(2031 + 5000 * 2031 / 9555, rel=1e-6)
    assert c10["benchmark_total"] == 23572.0
    g46 = d.filter((pl.col("region") == "R4") & (pl.col("industry") == "G46")).row(0, named=True)
    assert g46["value"] == pytest.approx(3000 * 1389 / 6017, rel=1e-6)


def test_impute_adds_and_fills_the_divisions(tmp_path, capsys):
    """clusterid impute left R4 without divisions (nothing to impute); now it adds them,
    estimated inside [0, C] from C's published share."""
    out = tmp_path / "imp.csv"
    code, _o, err = run_main(["impute", str(ALONE), "-o", str(out)], capsys)
    assert code == 0, err
    assert "added 4 rows for codes that a region lists only through their parent" in err
    r4 = pl.read_csv(out).filter((pl.col("region") == "R4") & (pl.col("level") == 2)).sort("industry")
    assert r4["industry"].to_list() == ["C10", "C11", "C20", "G46"]
    assert r4["employment_status"].to_list() == ["estimated"] * 4
    assert r4["employment"].to_list() == pytest.approx(
        [5000 * 2031 / 9555, 5000 * 698 / 9555, 5000 * 1321 / 9555, 3000 * 1389 / 6017], rel=1e-6)
    assert r4["employment_upper"].to_list() == [5000.0, 5000.0, 5000.0, 3000.0]


def test_indices_count_the_region_as_not_observed(tmp_path, capsys):
    """indices at level 2 left R4 out of every row without a word; now it is a region whose
    four cells are not observed (its indices empty, said), and each division counts it."""
    out = tmp_path / "ind.csv"
    code, _o, err = run_main(["indices", str(ALONE), "-o", str(out)], capsys)
    assert code == 0, err
    assert "region R4 2022: C without C10, C11, C20) are read as not observed" in err
    d = pl.read_csv(out).sort("region")
    r4 = d.filter(pl.col("region") == "R4").row(0, named=True)
    assert (r4["n_cells"], r4["n_suppressed"], r4["krugman"]) == (4, 4, None)
    code, _o, err = run_main(["indices", str(ALONE), "--by", "industry", "-o", str(out)], capsys)
    assert code == 0, err
    d = pl.read_csv(out)
    assert d["n_cells"].to_list() == [4] * 4 and d["n_suppressed"].to_list() == [1] * 4


def test_shift_share_reads_divisions_under_a_lone_section_as_unknown_not_lost(tmp_path, capsys):
    """R3 details C into C10 and C20 in 2021 and gives C alone in 2022 (with G46): its C10
    and C20 read as 0 in 2022, a loss of 1,000 and 300 jobs and national growth of -27%.
    They are unknown: left out (observed false), G = 3,242 / 3,150 - 1 over the rest."""
    out = tmp_path / "ss.csv"
    code, _o, err = run_main(["shift-share", str(YEAR), "--from", "2021", "--to", "2022",
                              "-o", str(out)], capsys)
    assert code == 0, err
    d = pl.read_csv(out).sort("region", "industry")
    r3 = d.filter(pl.col("region") == "R3")
    assert r3["observed"].to_list() == [False, False, True]
    assert d["growth_national"].drop_nulls().to_list() == pytest.approx([3242 / 3150 - 1] * 7)
    r1 = d.filter((pl.col("region") == "R1") & (pl.col("industry") == "C10")).row(0, named=True)
    # Dunn: NS + IM + RS = change, RS = e1 - e0 (1 + G_i), G_i = 1,131 / 1,050 - 1
    assert r1["regional_share"] == pytest.approx(431 - 400 * 1131 / 1050)
