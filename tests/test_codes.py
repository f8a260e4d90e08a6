"""Industry classifications: detection, levels, parents, roll-up with status propagation."""

from __future__ import annotations

import random

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterid import schema
from clusterid.core import codes
from clusterid.io.canonical import to_canonical

ALL = schema.ALL_INDUSTRIES


@pytest.mark.parametrize("code,cls,level", [
    ("54", "NAICS", 2), ("31-33", "NAICS", 2), ("44-45", "NAICS", 2), ("48-49", "NAICS", 2),
    ("541", "NAICS", 3), ("5417", "NAICS", 4), ("54171", "NAICS", 5), ("541711", "NAICS", 6),
    ("238211", "NAICS", 6), ("999999", "NAICS", 6), ("101", "NAICS", None), ("1011", "NAICS", None),
    (ALL, "NAICS", 0), ("C", "NACE", 1), ("U", "NACE", 1), ("B-E", "NACE", 1), ("C10", "NACE", 2),
    ("C10.1", "NACE", 3), ("C10.11", "NACE", 4), ("A10", "NACE", None), ("V", "NACE", None),
    (ALL, "NACE", 0), ("C04", "NACE", None),
])
def test_level(code, cls, level):
    assert codes.level(code, cls) == level


def test_level_expr_agrees_with_level():
    rows = [("54", "NAICS"), ("31-33", "NAICS"), ("541711", "NAICS"), ("101", "NAICS"), (ALL, "NAICS"),
            ("C", "NACE"), ("C10", "NACE"), ("C10.1", "NACE"), ("C10.11", "NACE"), ("A10", "NACE"),
            ("B-E", "NACE"), (ALL, "custom"), ("foo", "custom")]
    df = pl.DataFrame({"industry": [r[0] for r in rows], "classification": [r[1] for r in rows]})
    got = df.select(codes.level_expr().alias("lv"))["lv"].to_list()
    assert got == [codes.level(c, k) for c, k in rows]


def test_nace_division_table_is_the_official_one():
    d = codes.NACE_DIVISION_SECTION
    assert len(d) == 88  # NACE Rev.2 has 88 divisions
    assert (d["01"], d["09"], d["10"], d["33"], d["35"], d["45"], d["62"], d["84"], d["99"]) == \
        ("A", "B", "C", "C", "D", "G", "J", "O", "U")
    assert "04" not in d and "34" not in d


@pytest.mark.parametrize("raw,cls,code", [
    ("WZ08-C", "NACE", "C"), ("10", "NACE", "C10"), ("10.1", "NACE", "C10.1"), ("10.11", "NACE", "C10.11"),
    ("C10", "NACE", "C10"), ("1011", "NACE", "C10.11"), ("M_N", "NACE", "M-N"), ("OKED 62", "NACE", "J62"),
    ("Insgesamt", "NACE", ALL), ("Всего", "NACE", ALL), ("Total", "NAICS", ALL), ("5417.0", "NAICS", "5417"),
    ("NAICS 541711", "NAICS", "541711"), (" 31-33 ", "NAICS", "31-33"), ("barlygy", "NACE", ALL),
])
def test_normalize(raw, cls, code):
    assert codes.normalize(raw, cls) == code


@pytest.mark.parametrize("values,cls", [
    (["A", "B", "C"], "NACE"), (["11", "21", "31-33"], "NAICS"), (["541711", "23"], "NAICS"),
    (["01", "10", "45"], "NACE"), (["foo", "bar"], "custom"), (["WZ08-B", "WZ08-C"], "NACE"),
    (["10.1", "10.2"], "NACE"), (["Total", "54", "541"], "NAICS"), ([], "custom"),
])
def test_detect(values, cls):
    assert codes.detect(values) == cls


@pytest.mark.parametrize("label,code,name", [
    ("Baugewerbe (F)", "F", "Baugewerbe"), ("Handel, Gastgewerbe, Verkehr (G-I)", "G-I", "Handel, Gastgewerbe, Verkehr"),
    ("C Verarbeitendes Gewerbe", "C", "Verarbeitendes Gewerbe"), ("62 Computer programming", "62", "Computer programming"),
    ("Kunst, Unterhaltung, Erholung", "Kunst, Unterhaltung, Erholung", None),
])
def test_split_label(label, code, name):
    assert codes.split_label(label) == (code, name)


@pytest.mark.parametrize("code,cls,lev,par", [
    ("541711", "NAICS", 2, "54"), ("336111", "NAICS", 2, "31-33"), ("445110", "NAICS", 2, "44-45"),
    ("493110", "NAICS", 3, "493"), ("541711", "NAICS", 0, ALL), ("54", "NAICS", 4, None),
    ("C10.11", "NACE", 1, "C"), ("C10.11", "NACE", 2, "C10"), ("C10.11", "NACE", 3, "C10.1"),
    ("J62", "NACE", 0, ALL), ("B-E", "NACE", 0, ALL),
])
def test_parent(code, cls, lev, par):
    assert codes.parent(code, cls, lev) == par


def _frame(rows, measure="employment"):
    """rows: (region, industry, classification, value or None, status or None, lower, upper)."""
    recs = []
    for r in rows:
        region, ind, cls, value = r[:4]
        status = r[4] if len(r) > 4 and r[4] else ("reported" if value is not None else "suppressed")
        lower = r[5] if len(r) > 5 else None
        upper = r[6] if len(r) > 6 else None
        recs.append({"period": "2016", "region": region, "industry": ind, "classification": cls,
                     measure: value, measure + "_status": status, measure + "_lower": lower,
                     measure + "_upper": upper})
    lf = pl.DataFrame(recs, schema_overrides={measure: pl.Float64, measure + "_lower": pl.Float64,
                                               measure + "_upper": pl.Float64}).lazy()
    lf = lf.with_columns(codes.level_expr().alias("level"))
    return to_canonical(lf).collect()


def _get(df, region, ind):
    out = df.filter((pl.col("region") == region) & (pl.col("industry") == ind))
    assert out.height == 1, (region, ind, out)
    return out.row(0, named=True)


def test_rollup_sums_children_and_keeps_published_parents():
    df = _frame([
        ("A", "541711", "NAICS", 10.0), ("A", "541712", "NAICS", 5.0), ("A", "541810", "NAICS", 7.0),
        ("A", "5418", "NAICS", 100.0),  # published parent: kept, never re-added from its child
        ("A", "311111", "NAICS", 3.0), ("A", "336111", "NAICS", 4.0),
    ])
    out, notes = codes.rollup(df.lazy(), 4)
    out = out.collect()
    assert _get(out, "A", "5417")["employment"] == 15.0
    assert _get(out, "A", "5418")["employment"] == 100.0
    assert out.filter(pl.col("level") > 4).height == 0
    out2 = codes.rollup(df.lazy(), 2)[0].collect()
    # 54 = 5417 (built, 15) + 5418 (published, 100); the 541810 row is not added again
    assert _get(out2, "A", "54")["employment"] == 115.0
    assert _get(out2, "A", "31-33")["employment"] == 7.0


def test_rollup_status_propagation_and_bounds():
    df = _frame([
        ("A", "5411", "NAICS", 10.0), ("A", "5412", "NAICS", None, "suppressed", 0.0, 19.0),
        ("B", "5411", "NAICS", 10.0), ("B", "5412", "NAICS", None, "suppressed", None, None),
        ("C", "5411", "NAICS", 10.0), ("C", "5412", "NAICS", 2.0, "estimated", 1.0, 4.0),
        ("D", "5411", "NAICS", 10.0), ("D", "5412", "NAICS", 2.0),
    ])
    out = codes.rollup(df.lazy(), 2)[0].collect()
    a, b, c, d = (_get(out, r, "54") for r in "ABCD")
    assert (a["employment"], a["employment_status"], a["employment_lower"], a["employment_upper"]) == \
        (None, "suppressed", 10.0, 29.0)
    assert (b["employment"], b["employment_status"], b["employment_lower"], b["employment_upper"]) == \
        (None, "suppressed", 10.0, None)
    assert (c["employment"], c["employment_status"], c["employment_lower"], c["employment_upper"]) == \
        (12.0, "estimated", 11.0, 14.0)
    assert (d["employment"], d["employment_status"], d["employment_lower"], d["employment_upper"]) == \
        (12.0, "reported", None, None)


def test_rollup_nace_to_sections_and_total_skips_aggregates():
    df = _frame([
        ("X", "C10.11", "NACE", 1.0), ("X", "C10.12", "NACE", 2.0), ("X", "C11.01", "NACE", 4.0),
        ("X", "F41.10", "NACE", 8.0), ("X", "B-E", "NACE", 999.0),
    ])
    out = codes.rollup(df.lazy(), 0)[0].collect()
    assert _get(out, "X", ALL)["employment"] == 15.0  # B-E overlaps C: never summed
    mid = codes.rollup(df.lazy(), 1)[0].collect()
    assert _get(mid, "X", "C")["employment"] == 7.0
    assert _get(mid, "X", "F")["employment"] == 8.0
    assert _get(mid, "X", "B-E")["employment"] == 999.0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["5411", "5412", "5413", "3111", "3361", "4451", "2211"]),
                          st.sampled_from(["1", "2", "3"]),
                          st.one_of(st.none(), st.integers(0, 1000))),
                min_size=1, max_size=15, unique_by=lambda t: t[0] + t[1]),
       st.sampled_from([0, 2, 3, 4, 5]))
def test_rollup_matches_a_slow_tree_sum(children, to_level):
    rows = [("R", c4 + "1" + suffix, "NAICS", None if v is None else float(v)) for c4, suffix, v in children]
    df = _frame(rows)
    out = codes.rollup(df.lazy(), to_level)[0].collect()
    # slow reference: group the 6-digit leaves by their ancestor; any missing leaf -> suppressed
    expect: dict[str, list] = {}
    for _, code, _, v in rows:
        expect.setdefault(codes.parent(code, "NAICS", to_level), []).append(v)
    assert sorted(out["industry"].to_list()) == sorted(expect)
    for code, vals in expect.items():
        row = _get(out, "R", code)
        if any(v is None for v in vals):
            assert row["employment"] is None and row["employment_status"] == "suppressed"
            assert row["employment_lower"] == sum(v for v in vals if v is not None)
        else:
            assert row["employment"] == sum(vals) and row["employment_status"] == "reported"


def test_children_exceeding_parent():
    df = _frame([("A", ALL, "NAICS", 100.0), ("A", "54", "NAICS", 120.0), ("A", "5417", "NAICS", 130.0),
                 ("A", "23", "NAICS", 50.0), ("B", ALL, "NAICS", None), ("B", "54", "NAICS", 500.0)])
    bad = codes.children_exceeding_parent(df)
    pairs = sorted(zip(bad["industry"].to_list(), bad["_parent"].to_list()))
    assert pairs == sorted([("54", ALL), ("5417", "54")])  # direct parents: transitive where published


def test_direct_parent_expr_agrees_with_parent():
    rows = [("541711", "NAICS"), ("54171", "NAICS"), ("311", "NAICS"), ("31-33", "NAICS"), ("54", "NAICS"),
            (ALL, "NAICS"), ("C10.11", "NACE"), ("C10.1", "NACE"), ("C10", "NACE"), ("C", "NACE")]
    df = pl.DataFrame({"industry": [r[0] for r in rows], "classification": [r[1] for r in rows]})
    df = df.with_columns(codes.level_expr().alias("level"))
    got = df.select(codes.direct_parent_expr().alias("p"))["p"].to_list()
    want = []
    for code, cls in rows:
        lev = codes.level(code, cls)
        up = None if lev == 0 else (0 if (cls == "NAICS" and lev == 2) or lev == 1 else lev - 1)
        want.append(None if up is None else codes.parent(code, cls, up))
    assert got == want


def test_random_order_does_not_change_rollup():
    rows = [("A", f"54{i}{j}11", "NAICS", float(i * 10 + j)) for i in range(1, 4) for j in range(1, 4)]
    a = codes.rollup(_frame(rows).lazy(), 3)[0].collect().sort("industry")
    random.Random(0).shuffle(rows)
    b = codes.rollup(_frame(rows).lazy(), 3)[0].collect().sort("industry")
    assert a.equals(b)


def test_parent_check_in_parts_finds_the_same_rows(monkeypatch):
    rows = []
    for r in range(30):
        rows += [(f"R{r:02d}", ALL, "NAICS", 100.0), (f"R{r:02d}", "54", "NAICS", 60.0 + (50 if r % 7 == 0 else 0)),
                 (f"R{r:02d}", "5417", "NAICS", 10.0 + (60 if r % 5 == 0 else 0))]
    df = _frame(rows)
    whole = codes.children_exceeding_parent(df)
    monkeypatch.setattr(codes, "PART_ROWS", 7)
    parts = codes.children_exceeding_parent(df)
    key = ["region", "industry", "_parent"]
    assert whole.select(key).sort(key).equals(parts.select(key).sort(key))
    assert whole.height == 5 + 5  # 54 over the total in R00,07,..,28; 5417 (70) over 54 (60) in R05,..,R25


@pytest.mark.parametrize("code, sections", [
    ("B-E", set("BCDE")), ("M_N", set("MN")), ("B+D+E", set("BDE")), ("BDE", set("BDE")),
    ("C", {"C"}), ("TOTAL", None), ("ED", None), ("BB", None), ("C10", None), ("E-B", None)])
def test_nace_sections_reads_letters_run_together_only_in_order(code, sections):
    # ONS's BDE is sections B, D and E; a word made of section letters ("TOTAL") is none
    from clusterid.core.codes import nace_sections

    got = nace_sections(code)
    assert (set(got) if got is not None else None) == sections
