"""NAICS sector ranges (31-33, 44-45, 48-49) beside their parts (31, 32, 33) in one table.

QCEW publishes only the ranges; a generic, BEA or hand-made table may carry the parts, some
beside the range for the same region and period.  Summing a level's codes counted
manufacturing twice (region totals of the LQs, stats' coverage, the hierarchy checks of
ingest, the bounds of impute).  The toy tables are written here by hand, not from any agency;
every expectation is computed by hand below.

Toy (employment, 2016, ownership total), each region's parts adding up to its range:

    region   10    11   31-33   31   32   33    54
    A      1000   100    300   100  120   80   600
    B       500    50    150    60   50   40   300
    C       400   200    100    20   30   50   100
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from clusterid.core.codes import code_parts, cover, overlapping_aggregates, parent_links
from conftest import run_main

TOY = {
    "A": {"10": 1000, "11": 100, "31-33": 300, "31": 100, "32": 120, "33": 80, "54": 600},
    "B": {"10": 500, "11": 50, "31-33": 150, "31": 60, "32": 50, "33": 40, "54": 300},
    "C": {"10": 400, "11": 200, "31-33": 100, "31": 20, "32": 30, "33": 50, "54": 100},
}
PARTS = ("31", "32", "33")


def _write(path, table, drop=(), replace=None):
    """A long generic CSV of ``table`` without the codes in ``drop``; ``replace``: {(region,
    code): cell text} (a marker such as (D))."""
    replace = replace or {}
    lines = ["region,industry,period,employment"]
    for region, cells in table.items():
        for code, value in cells.items():
            if code not in drop:
                lines.append(f"{region},{code},2016,{replace.get((region, code), value)}")
    path.write_text("\n".join(lines) + "\n")
    return path


def _ingest(tmp_path, capsys, name, **kw):
    src = _write(tmp_path / f"{name}.csv", TOY, **kw)
    out = tmp_path / f"{name}_canonical.csv"
    # the parts alone (10 beside 11, 31 ...) could be NACE divisions: said
    code, _, err = run_main(["ingest", str(src), "-o", str(out), "--classification", "naics"],
                            capsys)
    assert code == 0, err
    return out, err


def _lq(tmp_path, capsys, canonical, *extra):
    out = tmp_path / (canonical.stem + "_lq.csv")
    code, _, err = run_main(["lq", str(canonical), "-o", str(out), *extra], capsys)
    assert code == 0, err
    meta = json.loads(out.with_name(out.name + ".meta.json").read_text())
    df = pl.read_csv(out, infer_schema_length=0).filter(pl.col("measure") == "employment")
    return df, meta, err


# ----------------------------------------------------------------------------------- the rule


def test_a_range_and_its_parts_cover_the_same_activity():
    assert cover("31-33") == cover("31") | cover("32") | cover("33")
    assert cover("44-45") > cover("45") and cover("54") is None
    assert not cover("31-33") & cover("C")  # NAICS and NACE never overlap
    assert code_parts(["31-33", "31", "32", "33", "48-49", "54"]) == {"31-33": list(PARTS)}


def test_all_parts_published_leave_the_range_out_else_the_range_stays():
    assert overlapping_aggregates(["10", "11", "31-33", *PARTS, "54"]) == {"31-33": "31 + 32 + 33"}
    # a part missing: the range stays, the parts listed go
    assert overlapping_aggregates(["31-33", "31", "33"]) == {"31": "part of 31-33",
                                                             "33": "part of 31-33"}
    # a part withheld: the published range stays, every part goes
    why = "part of 31-33 (32 not published)"
    assert overlapping_aggregates(["31-33", *PARTS], unpublished=["32"]) == dict.fromkeys(PARTS, why)
    # the range withheld itself: the parts are the better sum
    assert overlapping_aggregates(["31-33", *PARTS], unpublished=["31-33"]) == {"31-33": "31 + 32 + 33"}
    # only the range (QCEW), only the parts: nothing overlaps
    assert overlapping_aggregates(["10", "31-33", "44-45", "48-49"]) == {}
    assert overlapping_aggregates(["10", *PARTS, "44", "45"]) == {}


def test_a_part_hangs_from_its_range_only_where_the_table_lists_both():
    both = {"10", "31-33", "31", "311"}
    assert list(parent_links("31", "NAICS", both)) == [("31", "31-33"), ("31-33", "10")]
    assert list(parent_links("3111", "NAICS", both)) == [
        ("3111", "311"), ("311", "31"), ("31", "31-33"), ("31-33", "10")]
    # without the range, or without the part, the classification's own chain
    assert list(parent_links("31", "NAICS", {"10", "31", "311"})) == [("31", "10")]
    assert list(parent_links("311", "NAICS", {"10", "31-33", "311"})) == [
        ("311", "31-33"), ("31-33", "10")]


# ------------------------------------------------------------------------- ingest's hierarchy


def test_ingest_warns_no_more_of_parts_beside_their_range(tmp_path, capsys):
    _, err = _ingest(tmp_path, capsys, "both")
    # 10's children were 11 + 31-33 + 31 + 32 + 33 + 54 = 1300 > 1000 in A
    assert "smaller than the sum of their reported children" not in err


def test_ingest_refuses_a_part_larger_than_its_range(tmp_path, capsys):
    table = {r: dict(c) for r, c in TOY.items()}
    table["A"]["32"] = 320  # > A's 31-33 (300)
    src = _write(tmp_path / "bad.csv", table)
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "bad_out.csv")], capsys)
    assert code == 1
    assert "bad.csv:6: column 'employment': industry larger than the industry it belongs to " \
           "(expected <= 300 (industry 31-33), found '320 (industry 32)')" in err


def test_ingest_warns_of_parts_adding_up_above_their_range(tmp_path, capsys):
    table = {r: dict(c) for r, c in TOY.items()}
    table["A"]["32"] = 150  # 100 + 150 + 80 = 330 > 300
    src = _write(tmp_path / "over.csv", table)
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "over_out.csv")], capsys)
    assert code == 0, err
    assert "A 2016 31-33: 3 children sum to 330 > 300" in err


# ------------------------------------------------------------------------------------------ lq


def _hand_lq(table, region, code):
    """LQ with the sum of the regions as benchmark and e_j the region's level-2 sum, each
    activity once (the parts where the region lists them all, else the range)."""
    def level_sum(cells):
        return sum(v for c, v in cells.items() if c != "10" and not (
            c == "31-33" and all(p in cells for p in PARTS)))
    e_j = {r: level_sum(cells) for r, cells in table.items()}
    e_i = {r: cells[code] for r, cells in table.items() if code in cells}
    return (table[region][code] / e_j[region]) / (sum(e_i.values()) / sum(e_j.values()))


def _level2(df):
    rows = df.filter(pl.col("level") == "2")
    return {(r, i): (float(t), None if q is None else float(q)) for r, i, t, q in
            rows.select("region", "industry", "region_total", "lq").iter_rows()}


def test_lq_region_totals_count_manufacturing_once(tmp_path, capsys):
    canonical, _ = _ingest(tmp_path, capsys, "both")
    df, meta, _ = _lq(tmp_path, capsys, canonical, "--denominator", "sum")
    got = _level2(df)
    # A: 100 + (100 + 120 + 80) + 600 = 1000, not 1300 with 31-33 counted too
    assert {r: got[(r, "11")][0] for r in "ABC"} == {"A": 1000.0, "B": 500.0, "C": 400.0}
    # LQ(A, 11) = (100 / 1000) / (350 / 1900) = 0.542857...
    assert got[("A", "11")][1] == pytest.approx(0.1 / (350 / 1900))
    for (region, code), (_t, lq) in got.items():  # every LQ of level 2
        assert lq == pytest.approx(_hand_lq(TOY, region, code)), (region, code)
    assert meta["lq"]["denominator"]["sum_leaves_out"] == {"31-33": "31 + 32 + 33"}


@pytest.mark.parametrize("drop", [PARTS, ("31-33",)], ids=["range only", "parts only"])
def test_lq_of_the_range_alone_or_the_parts_alone_is_the_same(tmp_path, capsys, drop):
    both, _ = _ingest(tmp_path, capsys, "both")
    alone, _ = _ingest(tmp_path, capsys, "alone", drop=drop)
    full = _level2(_lq(tmp_path, capsys, both, "--denominator", "sum")[0])
    one, meta, _ = _lq(tmp_path, capsys, alone, "--denominator", "sum")
    one = _level2(one)
    assert set(one) < set(full)
    for key, (total, lq) in one.items():
        assert total == full[key][0] and lq == pytest.approx(full[key][1], rel=1e-12), key
    assert "sum_leaves_out" not in meta["lq"]["denominator"]


def test_lq_keeps_the_range_of_a_region_whose_part_is_withheld(tmp_path, capsys):
    canonical, _ = _ingest(tmp_path, capsys, "withheld", replace={("B", "32"): "(D)"})
    df, meta, _ = _lq(tmp_path, capsys, canonical, "--denominator", "sum")
    got = _level2(df)
    # B: 50 + 150 (31-33) + 300 = 500; the parts summed gave 50 + 60 + 40 + 300 = 450 and a
    # total read as unknown, B's 32 being withheld
    assert got[("B", "11")][0] == 500.0 and got[("A", "11")][0] == 1000.0
    left_out = meta["lq"]["denominator"]["sum_leaves_out"]
    assert left_out["31-33"] == "31 + 32 + 33"
    assert left_out["32"] == "part of 31-33 (32 not published)"


def test_lq_says_which_regions_list_the_range_without_its_parts(tmp_path, capsys):
    table = {r: dict(c) for r, c in TOY.items()}
    for p in PARTS:
        del table["C"][p]
    src = _write(tmp_path / "mixed.csv", table)
    canonical = tmp_path / "mixed_canonical.csv"
    assert run_main(["ingest", str(src), "-o", str(canonical)], capsys)[0] == 0
    df, _, err = _lq(tmp_path, capsys, canonical, "--denominator", "sum")
    # C keeps its range in its total: 200 + 100 + 100
    assert _level2(df)[("C", "11")][0] == 400.0
    assert "some regions list a NAICS sector range without the parts other regions list: " \
           "31-33 in 1 region (C) without 31, 32, 33" in " ".join(err.split())


# ------------------------------------------------------------------------- impute and bounds


def _impute(tmp_path, capsys, canonical, *extra):
    out = tmp_path / (canonical.stem + "_imputed.csv")
    code, _, err = run_main(["impute", str(canonical), "-o", str(out), *extra], capsys)
    assert code == 0, err
    meta = json.loads(out.with_name(out.name + ".meta.json").read_text())
    df = pl.read_csv(out, infer_schema_length=0)
    cells = {(r, i): (s, None if v is None else float(v), None if lo is None else float(lo),
                      None if hi is None else float(hi)) for r, i, s, v, lo, hi in df.select(
        "region", "industry", "employment_status", "employment", "employment_lower",
        "employment_upper").iter_rows()}
    return cells, meta, err


@pytest.mark.parametrize("drop", [(), ("31-33",)], ids=["range and parts", "parts only"])
def test_a_withheld_part_is_pinned_by_its_range_or_by_the_total(tmp_path, capsys, drop):
    canonical, _ = _ingest(tmp_path, capsys, "withheld", drop=drop,
                           replace={("B", "32"): "(D)"})
    cells, meta, _ = _impute(tmp_path, capsys, canonical, "--method", "bounds-only")
    # beside the range: 150 - 60 - 40 = 50; parts alone: 500 - 50 - 60 - 40 - 300 = 50
    assert cells[("B", "32")] == ("suppressed", None, 50.0, 50.0)
    links = meta["impute"]["links"]
    assert links == ({"industry L2->L0": "exact", "industry part->range": "exact"} if not drop
                     else {"industry L2->L0": "exact"})


def test_a_region_listing_only_the_range_gets_its_parts_filled_from_it(tmp_path, capsys):
    table = {r: dict(c) for r, c in TOY.items()}
    for p in PARTS:
        del table["C"][p]
    table["B"]["32"] = "(D)"
    src = _write(tmp_path / "mixed.csv", table)
    canonical = tmp_path / "mixed_canonical.csv"
    assert run_main(["ingest", str(src), "-o", str(canonical)], capsys)[0] == 0
    cells, meta, err = _impute(tmp_path, capsys, canonical)
    assert cells[("B", "32")] == ("estimated", 50.0, 50.0, 50.0)
    parts = [cells[("C", p)] for p in PARTS]
    assert [s for s, *_ in parts] == ["estimated"] * 3
    assert [(lo, hi) for *_, lo, hi in parts] == [(0.0, 100.0)] * 3  # each inside C's 31-33
    assert sum(v for _, v, _, _ in parts) == pytest.approx(100.0, abs=1e-5)
    assert meta["unlisted_parts_added"]["rows"] == 3
    assert "added 3 rows for the parts of a NACE aggregate (or a NAICS sector range)" in err
    # estimated: B's 32 (50) and C's parts (100) of 1000 + 500 + 400, each activity once
    assert meta["quality"]["share_estimated"] == pytest.approx(150 / 1900)


# ---------------------------------------------------------------------------------------- stats


def _stats(tmp_path, capsys, canonical):
    out = tmp_path / (canonical.stem + "_stats.json")
    code, _, err = run_main(["stats", str(canonical), "-o", str(out)], capsys)
    assert code == 0, err
    return {r["region"]: (r["detail_reported"], r["coverage"])
            for r in json.loads(out.read_text())["rows"]}, err


@pytest.mark.parametrize("drop", [(), PARTS, ("31-33",)],
                         ids=["range and parts", "range only", "parts only"])
def test_stats_coverage_counts_manufacturing_once(tmp_path, capsys, drop):
    canonical, _ = _ingest(tmp_path, capsys, "table", drop=drop)
    got, err = _stats(tmp_path, capsys, canonical)
    # A: 100 + 300 + 600 = 1000 of 1000 (1300, coverage 130%, with both summed)
    assert got == {"A": (1000.0, 1.0), "B": (500.0, 1.0), "C": (400.0, 1.0)}
    assert "add up to more than the all-industry total" not in err


def test_stats_coverage_keeps_the_range_over_a_withheld_part(tmp_path, capsys):
    canonical, _ = _ingest(tmp_path, capsys, "withheld", replace={("B", "32"): "(D)"})
    got, _ = _stats(tmp_path, capsys, canonical)
    # B: 50 + 150 (31-33, published) + 300; the parts gave 450 (coverage 0.9)
    assert got["B"] == (500.0, 1.0)
    # the parts alone leave B's 32 uncovered: 50 + 60 + 40 + 300 = 450
    parts_only, _ = _ingest(tmp_path, capsys, "withheld_parts", drop=("31-33",),
                            replace={("B", "32"): "(D)"})
    got, _ = _stats(tmp_path, capsys, parts_only)
    assert got["B"] == (450.0, 0.9)


# -------------------------------------------------------------------------------------- indices


def _indices(tmp_path, capsys, canonical):
    out = tmp_path / (canonical.stem + "_indices.csv")
    code, _, err = run_main(["indices", str(canonical), "-o", str(out)], capsys)
    assert code == 0, err
    df = pl.read_csv(out)
    return {r["region"]: r for r in df.iter_rows(named=True)}, err


def _krugman(table, region, codes):
    e = {r: {c: cells[c] for c in codes} for r, cells in table.items()}
    whole = sum(sum(v.values()) for v in e.values())
    mine = sum(e[region].values())
    return sum(abs(e[region][c] / mine - sum(v[c] for v in e.values()) / whole) for c in codes)


def test_indices_shares_count_manufacturing_once(tmp_path, capsys):
    both, _ = _ingest(tmp_path, capsys, "both")
    parts, _ = _ingest(tmp_path, capsys, "parts", drop=("31-33",))
    rng, _ = _ingest(tmp_path, capsys, "range", drop=PARTS)
    got, err = _indices(tmp_path, capsys, both)
    assert "left out NAICS sector ranges or their parts that overlap other level-2 codes: " \
           "31-33 (31 + 32 + 33)" in " ".join(err.split())
    finest = ["11", *PARTS, "54"]
    for region in "ABC":
        assert got[region]["observed_total"] == {"A": 1000.0, "B": 500.0, "C": 400.0}[region]
        # A: |.1 - 350/1900| + |.1 - 180/1900| + |.12 - 200/1900| + |.08 - 170/1900|
        #    + |.6 - 1000/1900| = 0.187368...
        assert got[region]["krugman"] == pytest.approx(_krugman(TOY, region, finest))
    assert got["A"]["herfindahl"] == pytest.approx(0.1**2 + 0.1**2 + 0.12**2 + 0.08**2 + 0.6**2)
    # the parts alone: the same figures; the range alone: its own, from 11, 31-33 and 54
    assert _indices(tmp_path, capsys, parts)[0] == got
    alone, _ = _indices(tmp_path, capsys, rng)
    for region in "ABC":
        assert alone[region]["observed_total"] == got[region]["observed_total"]
        assert alone[region]["krugman"] == pytest.approx(_krugman(TOY, region, ["11", "31-33", "54"]))


# ------------------------------------------------------------------------------------- detect


def _canonical(table, detail):
    """A canonical frame of ``table`` plus six-digit ``detail`` codes {region: {code: value}}."""
    rows = []
    for region, cells in table.items():
        for code, value in {**cells, **detail.get(region, {})}.items():
            rows.append({"period": "2016", "region": region, "ownership": "total",
                         "industry": code, "classification": "NAICS", "region_level": None,
                         "level": 0 if code == "10" else 6 if len(code) == 6 else 2,
                         "employment": float(value)})
    return pl.DataFrame(rows, schema_overrides={"region_level": pl.String})


def test_a_region_total_made_of_lone_codes_holds_manufacturing_once():
    from clusterid.core.strength import lone_cells

    table = {"A": {k: v for k, v in TOY["A"].items() if k != "10"},  # range and parts
             "C": {"11": 200, "31-33": 100, "54": 100},  # the range alone
             "D": {"31-33": 100, "31": 60}}  # the range and one part
    lone = lone_cells(_canonical(table, {r: {"541711": 1} for r in table}))
    got = {r: sorted(lone.filter(pl.col("region") == r)["industry"].to_list()) for r in table}
    # 54 and 541711 lie one under the other (not lone) where both are listed
    assert got == {"A": ["11", "31", "32", "33"], "C": ["11", "31-33"], "D": ["31-33", "541711"]}


def test_the_share_detect_details_counts_manufacturing_once():
    from clusterid.core.overlaps import level_coverage

    detail = {"A": {"311111": 50, "541711": 200}}
    both = _canonical({"A": TOY["A"]}, detail)
    # the parts: 31 (100, under 311111) and 54 (600) of 100 + 300 + 600 = 1000 (was 1300)
    assert level_coverage(both, "total", None, 6) == (pytest.approx(0.7), 2)
    rng = _canonical({"A": {k: v for k, v in TOY["A"].items() if k not in PARTS}}, detail)
    assert level_coverage(rng, "total", None, 6) == (pytest.approx(0.9), 2)  # 31-33 + 54


def _with_food(tmp_path, name, value_312):
    """The toy with A's 31 detailed into 311 (60) and 312 (``value_312``)."""
    src = _write(tmp_path / f"{name}.csv", TOY)
    src.write_text(src.read_text() + f"A,311,2016,60\nA,312,2016,{value_312}\n")
    return src


def test_stats_counts_a_part_and_its_three_digit_codes_once(tmp_path, capsys):
    src = _with_food(tmp_path, "food", 40)
    canonical = tmp_path / "food_canonical.csv"
    assert run_main(["ingest", str(src), "-o", str(canonical)], capsys)[0] == 0
    got, _ = _stats(tmp_path, capsys, canonical)
    # A's finest cells: 11 + 311 + 312 + 32 + 33 + 54 = 100 + 60 + 40 + 120 + 80 + 600 (31 lies
    # over 311 and 312, as 31-33 does; 31 summed with them gave 1100)
    assert got["A"] == (1000.0, 1.0)


def test_a_withheld_three_digit_code_is_bounded_by_its_part(tmp_path, capsys):
    src = _with_food(tmp_path, "food", "(D)")
    canonical = tmp_path / "food_canonical.csv"
    assert run_main(["ingest", str(src), "-o", str(canonical)], capsys)[0] == 0
    cells, meta, _ = _impute(tmp_path, capsys, canonical, "--method", "bounds-only")
    # 312 <= 31 - 311 = 100 - 60 (under 31-33 alone it had room up to 300 - 60)
    assert cells[("A", "312")] == ("suppressed", None, 40.0, 40.0)
    assert meta["impute"]["links"]["industry L3->L2"] == "exact"


def test_stats_metadata_says_which_codes_the_detail_left_out(tmp_path, capsys):
    canonical, _ = _ingest(tmp_path, capsys, "withheld", replace={("B", "32"): "(D)"})
    out = tmp_path / "stats.json"
    assert run_main(["stats", str(canonical), "-o", str(out)], capsys)[0] == 0
    # A and C: the parts; B: the range, its 32 being withheld
    assert json.loads(out.read_text())["sum_leaves_out"] == {
        "31": "part of 31-33 (32 not published)", "31-33": "31 + 32 + 33",
        "32": "part of 31-33 (32 not published)", "33": "part of 31-33 (32 not published)"}
    only, _ = _ingest(tmp_path, capsys, "range", drop=PARTS)
    assert run_main(["stats", str(only), "-o", str(out)], capsys)[0] == 0
    assert "sum_leaves_out" not in json.loads(out.read_text())
