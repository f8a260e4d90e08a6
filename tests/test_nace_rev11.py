"""NACE Rev. 1.1 tables (before 2008; WZ 2003, nace_r1): never read as NACE Rev. 2.

In Rev. 1.1, 15 is food and 41 water supply; read as Rev. 2 they became C15 (leather) and F41
(construction of buildings), exit 0.  A table whose heading, title or Eurostat dimension names
Rev. 1.1 is read in its own classification; ``--classification nace`` on it is refused.
"""

from __future__ import annotations

import io
import json

import polars as pl
import pytest

from clusterid import schema
from clusterid.core import codes
from conftest import TEST_DATA, run_main

R15 = ("region,nace_rev1_1,year,employment\nR1,D,2005,8000\nR1,15,2005,800\nR1,E,2005,250\n"
       "R1,41,2005,240\nR2,D,2005,3800\nR2,15,2005,550\nR2,E,2005,200\nR2,41,2005,190\n")
R1_TSV = TEST_DATA / "eurostat" / "nama_nace_r1_excerpt.tsv"


def _ingest(tmp_path, capsys, text: str, *extra: str, name: str = "t.csv"):
    src = tmp_path / name
    src.write_text(text)
    out = tmp_path / "out.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out), *extra], capsys)
    return code, err, out


def _rows(out):
    df = pl.read_csv(out, schema_overrides={schema.INDUSTRY: pl.String, schema.PERIOD: pl.String})
    return {(r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}


def test_repro_rev11_heading_keeps_15_as_food(tmp_path, capsys):
    code, err, out = _ingest(tmp_path, capsys, R15)
    assert code == 0, err
    rows = _rows(out)
    # '15' stays 15 (food), '41' stays 41 (water): no C15 (leather), no F41 (construction)
    assert set(i for _, i in rows) == {"D", "15", "E", "41"}
    assert rows["R1", "15"][schema.EMPLOYMENT] == 800.0
    assert {r[schema.CLASSIFICATION] for r in rows.values()} == {schema.NACE_R11}
    assert rows["R1", "15"][schema.INDUSTRY_NAME] == "Manufacture of food products and beverages"
    assert rows["R1", "41"][schema.INDUSTRY_NAME] == "Collection, purification and distribution of water"
    assert rows["R1", "D"][schema.INDUSTRY_NAME] == "Manufacturing"
    assert {i: rows["R1", i][schema.LEVEL] for i in ("D", "E", "15", "41")} == {"D": 1, "E": 1, "15": 3, "41": 3}
    assert "NACE Rev.1.1 codes" in err and "not as NACE Rev.2" in err
    meta = json.loads((tmp_path / "out.csv.meta.json").read_text())
    assert any("NACE Rev.1.1" in w for w in meta["warnings"])


@pytest.mark.parametrize("cls", ["nace", "NACE", "wz", "oked"])
def test_explicit_nace_refused_on_rev11_table(tmp_path, capsys, cls):
    code, err, out = _ingest(tmp_path, capsys, R15, "--classification", cls)
    assert code == 2
    assert "NACE Rev.1.1" in err and "different industries" in err
    assert not out.exists()


def test_explicit_nace_refused_on_eurostat_nace_r1(tmp_path, capsys):
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(R1_TSV), "-o", str(out), "--classification", "nace"], capsys)
    assert code == 2 and "nace_r1" in err and "different industries" in err
    assert not out.exists()


def test_eurostat_nace_r1_noted(tmp_path, capsys):
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(R1_TSV), "-o", str(out)], capsys)
    assert code == 0, err
    assert "NACE Rev.1.1 codes" in err and "nace_r1" in err
    df = pl.read_csv(out, schema_overrides={schema.INDUSTRY: pl.String, schema.PERIOD: pl.String})
    assert set(df[schema.CLASSIFICATION]) == {schema.NACE_R11}
    level = dict(zip(df[schema.INDUSTRY], df[schema.LEVEL]))
    assert level == {"10": 0, "A_B": 1, "C-E": 1, "D": 1, "DA": 2}


def test_eurostat_nace_r1_divisions_and_subsections(tmp_path, capsys):
    # D15 / DA15 style division codes are written as published (15); C10 is CA10, not the total;
    # DA is checked against D (a subsection larger than its section is refused)
    tsv = tmp_path / "r1.tsv"
    tsv.write_text("unit,nace_r1,geo\\time\t2005 \nTHS,TOTAL,AT\t4000.0 \nTHS,D,AT\t650.0 \n"
                   "THS,DA,AT\t80.0 \nTHS,D15,AT\t70.0 \nTHS,C10,AT\t5.0 \n")
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(tsv), "-o", str(out)], capsys)
    assert code == 0, err
    df = pl.read_csv(out, schema_overrides={schema.INDUSTRY: pl.String, schema.PERIOD: pl.String})
    got = {r[schema.INDUSTRY]: (r[schema.LEVEL], r[schema.EMPLOYMENT]) for r in df.iter_rows(named=True)}
    assert got == {"10": (0, 4e6), "D": (1, 650e3), "DA": (2, 80e3), "15": (3, 70e3), "CA10": (3, 5e3)}
    tsv.write_text(tsv.read_text().replace("THS,DA,AT\t80.0", "THS,DA,AT\t800.0"))
    code, _, err = run_main(["ingest", str(tsv), "-o", str(out)], capsys)
    assert code == 1 and "larger than the industry it belongs to" in err and "industry D" in err


@pytest.mark.parametrize("title,heading", [
    ("Beschäftigte nach WZ 2003", "wz"),
    ("Employment by NACE Rev. 1.1", "industry"),
    ("Employment, NACE Rev.1", "industry"),
    ("", "WZ03"),
    ("", "nace_r1"),
    ("", "NACE 1.1 code"),
])
def test_rev11_cues_in_title_or_heading(tmp_path, capsys, title, heading):
    text = (f"{title}\n" if title else "") + (
        f"region,{heading},year,employment\nR1,15,2005,800\nR1,41,2005,240\nR2,15,2005,500\n"
        "R2,41,2005,100\n")
    code, err, out = _ingest(tmp_path, capsys, text)
    assert code == 0, err
    rows = _rows(out)
    assert ("R1", "15") in rows and ("R1", "C15") not in rows and ("R1", "F41") not in rows
    assert "NACE Rev.1.1" in err


def test_rev2_table_same_codes_no_cue_still_rev2(tmp_path, capsys):
    # no regression: the same codes under a plain heading (or one naming Rev. 2) are NACE Rev. 2
    for heading in ("nace", "nace_r2", "NACE Rev. 2"):
        code, err, out = _ingest(tmp_path, capsys, R15.replace("nace_rev1_1", heading))
        assert code == 0, err
        rows = _rows(out)
        assert rows["R1", "C15"][schema.CLASSIFICATION] == schema.NACE
        assert rows["R1", "F41"][schema.LEVEL] == 2
        assert "NACE Rev.1.1" not in err


def test_rev2_heading_beats_a_rev11_title():
    # a concordance-like table: the industry column says nace_r2, a title mentions Rev. 1.1
    assert codes.nace_r11_cue("nace_r2", ["Concordance NACE Rev. 1.1 - NACE Rev. 2"]) is None
    assert codes.nace_r11_cue("NACE Rev. 2.1") is None
    assert codes.nace_r11_cue("industry", ["Employment by NACE Rev. 2", "before 2008: NACE Rev. 1.1"]) is None
    assert codes.nace_r11_cue("nace_rev1_1", ["Employment by NACE Rev. 2"]) == "nace_rev1_1"
    assert codes.nace_r11_cue("wz2008") is None
    assert codes.nace_r11_cue("branch", [], ["WZ03-15", "WZ03-D"]) == "WZ03-15"


def test_division_10_is_not_the_total():
    # Rev. 1.1 division 10 (mining of coal) is not clusterid's all-industries code '10'
    assert codes.normalize_r11("10") == "CA10"
    assert codes.normalize_r11("Total") == schema.ALL_INDUSTRIES
    assert [codes.normalize_r11(c) for c in ("15", "D15", "DA15", "1511", "15.1", "WZ03-DA")] == \
        ["15", "15", "15", "15.11", "15.1", "DA"]


ROLL = ("region,wz2003,year,employment\n"
        "R1,15,2005,800\nR1,16,2005,50\nR1,17,2005,100\nR1,01,2005,30\nR1,02,2005,20\n"
        "R1,40,2005,300\nR1,41,2005,240\nR1,10,2005,70\nR1,15.1,2005,400\nR1,15.11,2005,150\n"
        "R2,15,2005,10\nR2,36,2005,5\nR2,37,2005,1\nR2,45,2005,90\n")


@pytest.mark.parametrize("level,expected", [
    # hand-computed: the divisions only (15.1 and 15.11 are inside 15, never added again)
    (0, {("R1", "10"): 1610.0, ("R2", "10"): 106.0}),
    (1, {("R1", "A"): 50.0, ("R1", "C"): 70.0, ("R1", "D"): 950.0, ("R1", "E"): 540.0,
         ("R2", "D"): 16.0, ("R2", "F"): 90.0}),
    # subsections of C and D; the sections without subsections (A, E, F) take their divisions
    (2, {("R1", "A"): 50.0, ("R1", "CA"): 70.0, ("R1", "DA"): 850.0, ("R1", "DB"): 100.0,
         ("R1", "E"): 540.0, ("R2", "DA"): 10.0, ("R2", "DN"): 6.0, ("R2", "F"): 90.0}),
    (4, {("R1", "15.1"): 400.0}),
])
def test_rollup_sums_divisions(tmp_path, capsys, level, expected):
    code, err, out = _ingest(tmp_path, capsys, ROLL, "--level", str(level))
    assert code == 0, err
    rows = _rows(out)
    got = {k: r[schema.EMPLOYMENT] for k, r in rows.items() if r[schema.LEVEL] is not None
           and (r[schema.LEVEL] <= 2 or level >= 3) and (level < 3 or r[schema.LEVEL] == level)}
    assert got == expected
    assert {r[schema.CLASSIFICATION] for r in rows.values()} == {schema.NACE_R11}


def test_rollup_keeps_division_10_apart_from_the_total(tmp_path, capsys):
    code, err, out = _ingest(tmp_path, capsys, ROLL, "--level", "3")
    assert code == 0, err
    rows = _rows(out)
    assert rows["R1", "CA10"][schema.EMPLOYMENT] == 70.0 and rows["R1", "CA10"][schema.LEVEL] == 3
    assert ("R1", "10") not in rows


def test_child_larger_than_parent_refused(tmp_path, capsys):
    code, err, _ = _ingest(tmp_path, capsys, ROLL.replace("R1,15.1,2005,400", "R1,15.1,2005,900"))
    assert code == 1 and "larger than the industry it belongs to" in err and "industry 15)" in err


def test_unknown_rev11_code_said(tmp_path, capsys):
    # 98 is no division of Rev. 1.1 (nor 42, a Rev. 2 division)
    code, err, _ = _ingest(tmp_path, capsys, ROLL + "R2,98,2005,3\n")
    assert code == 1 and "not a NACE-R1.1 industry code" in err and "'98'" in err


def test_explicit_classification_nace_r11(tmp_path, capsys):
    # no cue in the heading: --classification nace-r1.1 says it
    code, err, out = _ingest(tmp_path, capsys, R15.replace("nace_rev1_1", "industry"),
                             "--classification", "nace-r1.1")
    assert code == 0, err
    rows = _rows(out)
    assert rows["R1", "15"][schema.CLASSIFICATION] == schema.NACE_R11 and rows["R1", "15"][schema.LEVEL] == 3


def test_hierarchy_functions():
    assert list(codes.parent_links("15.11", schema.NACE_R11)) == [
        ("15.11", "15.1"), ("15.1", "15"), ("15", "DA"), ("DA", "D"), ("D", schema.ALL_INDUSTRIES)]
    assert list(codes.parent_links("01", schema.NACE_R11)) == [("01", "A"), ("A", schema.ALL_INDUSTRIES)]
    assert codes.parent("10.1", schema.NACE_R11, 2) == "CA" and codes.parent("01", schema.NACE_R11, 2) is None
    # every division of 01-99 in the structure, under the section the regulation gives
    sec = {d: s for s, ds in codes.NACE_R11_SECTIONS.items() for d in ds}
    assert sorted(sec) == [1, 2, 5, *range(10, 38), 40, 41, 45, 50, 51, 52, 55, *range(60, 68),
                           *range(70, 76), 80, 85, 90, 91, 92, 93, 95, 96, 97, 99]
    for sub, divs in codes.NACE_R11_SUBSECTIONS.items():
        assert all(sec[d] == sub[0] for d in divs)
    assert sorted(d for ds in codes.NACE_R11_SUBSECTIONS.values() for d in ds) == list(range(10, 38))
    assert codes.level("15", schema.NACE_R11) == 3 and codes.level("C15", schema.NACE_R11) is None


def test_section_smaller_than_its_subsections_warned(tmp_path, capsys):
    # DA and DB are parts of D (not NACE Rev. 2 section aggregates like "DE" = D + E): their sum
    # above D's published value is said, as it is for C10 + C11 above C in a Rev. 2 table
    code, err, _ = _ingest(tmp_path, capsys, "region,wz2003,year,employment\nR1,D,2005,100\n"
                           "R1,DA,2005,60\nR1,DB,2005,60\nR1,15,2005,30\n")
    assert code == 0, err
    assert "smaller than the sum of their reported children" in err and "R1 2005 D: 2 children sum to 120 > 100" in err


def test_related_variety_groups_by_rev11_sections(tmp_path, capsys):
    # 15 and 17 are both in section D (Rev. 2 would put C15 and C17 in C too, but 45 in F and
    # 01 in A only by Rev. 1.1's table); hand-computed entropies over R1's shares
    import math

    text = ("region,wz2003,year,employment\nR1,15,2005,800\nR1,17,2005,100\nR1,01,2005,30\n"
            "R1,45,2005,300\nR1,Total,2005,2000\nR2,15,2005,300\nR2,17,2005,400\nR2,01,2005,80\n"
            "R2,45,2005,500\nR2,Total,2005,3000\n")
    code, err, out = _ingest(tmp_path, capsys, text)
    assert code == 0, err
    code, csv_out, err = run_main(["indices", str(out), "-o", "-"], capsys)
    assert code == 0, err
    df = pl.read_csv(io.StringIO(csv_out))
    r1 = df.filter(pl.col(schema.REGION) == "R1").row(0, named=True)
    shares = {"A": 30 / 1230, "D": 900 / 1230, "F": 300 / 1230}
    uv = -sum(p * math.log(p) for p in shares.values())
    h_d = -sum(p * math.log(p) for p in (800 / 900, 100 / 900))
    assert r1["unrelated_variety"] == pytest.approx(uv, rel=1e-9)
    assert r1["related_variety"] == pytest.approx(shares["D"] * h_d, rel=1e-9)


def test_impute_bounds_do_not_count_d_twice(tmp_path, capsys):
    # D is inside C-E: as siblings under the total, D's upper bound was 1000 - 300 - 600 = 100
    # (thousand), below the 600 C-E leaves room for; the aggregates are linked to nothing now
    tsv = tmp_path / "r1.tsv"
    tsv.write_text("unit,nace_r1,geo\\time\t2007 \nTHS,TOTAL,AT\t1000.0 \nTHS,A_B,AT\t300.0 \n"
                   "THS,C-E,AT\t600.0 \nTHS,D,AT\t: c\nTHS,DA,AT\t50.0 \n")
    canon = tmp_path / "c.csv"
    code, _, err = run_main(["ingest", str(tsv), "-o", str(canon)], capsys)
    assert code == 0, err
    code, csv_out, err = run_main(["impute", str(canon), "-o", "-"], capsys)
    assert code == 0, err
    d = pl.read_csv(io.StringIO(csv_out), schema_overrides={schema.INDUSTRY: pl.String}).filter(
        pl.col(schema.INDUSTRY) == "D").row(0, named=True)
    assert d["employment_lower"] == 50000.0 and d["employment_upper"] >= 600000.0


@pytest.mark.parametrize("d_cell,e_cell,classification", [
    # Rev. 1.1's D is manufacturing (WZ 2003, Rosstat's OKVED of 2001): said by its name alone
    ("D Verarbeitendes Gewerbe", "E Energie- und Wasserversorgung", schema.NACE_R11),
    ("Раздел D Обрабатывающие производства", "Раздел E Производство и распределение электроэнергии",
     schema.NACE_R11),
    # Rev. 2's D is energy: read as before
    ("D Energieversorgung", "E Wasserversorgung; Abwasser", schema.NACE),
])
def test_section_d_named_manufacturing_is_rev11(tmp_path, capsys, d_cell, e_cell, classification):
    text = (f"Land,Wirtschaftszweig,Jahr,Beschäftigte\nBayern,{d_cell},2005,1500\n"
            f"Bayern,{e_cell},2005,80\nBerlin,{d_cell},2005,100\nBerlin,{e_cell},2005,20\n")
    code, err, out = _ingest(tmp_path, capsys, text)
    assert code == 0, err
    rows = _rows(out)
    assert {r[schema.CLASSIFICATION] for r in rows.values()} == {classification}
    assert rows["Bayern", "D"][schema.EMPLOYMENT] == 1500.0
    assert ("NACE Rev.1.1" in err) == (classification == schema.NACE_R11)


def test_rosstat_okved_2001_sections_and_subsections(tmp_path, capsys):
    # Rosstat's tables by OKVED (2001, built on NACE Rev. 1.1): "Раздел D" is manufacturing and
    # "Подраздел DA" its food industry; DA was an uncoded label, D read as Rev. 2's energy
    code, err, out = _ingest(tmp_path, capsys, (
        "Регион,Вид деятельности,Год,Численность\n"
        "Белгородская область,Раздел D Обрабатывающие производства,2005,100\n"
        "Белгородская область,Подраздел DA Производство пищевых продуктов,2005,30\n"
        "Белгородская область,Раздел E Производство и распределение электроэнергии,2005,20\n"
        "Курская область,Раздел D Обрабатывающие производства,2005,90\n"
        "Курская область,Подраздел DA Производство пищевых продуктов,2005,95\n"))
    assert code == 1  # DA 95 > D 90: the subsection is checked against its section
    assert "industry larger than the industry it belongs to" in err and "industry D" in err
    code, err, out = _ingest(tmp_path, capsys, (
        "Регион,Вид деятельности,Год,Численность\n"
        "Белгородская область,Раздел D Обрабатывающие производства,2005,100\n"
        "Белгородская область,Подраздел DA Производство пищевых продуктов,2005,30\n"))
    assert code == 0, err
    rows = _rows(out)
    assert rows["Белгородская область", "DA"][schema.LEVEL] == 2
    assert rows["Белгородская область", "DA"][schema.INDUSTRY_NAME] == "Производство пищевых продуктов"
    assert rows["Белгородская область", "D"][schema.CLASSIFICATION] == schema.NACE_R11


def test_national_subclasses_roll_up_into_classes(tmp_path, capsys):
    # WZ 2003's Unterklassen (15.11.1, 15.11.2) sum into their class 15.11, then group 15.1
    code, err, out = _ingest(tmp_path, capsys, (
        "region,wz2003,year,employment\nR1,15.11.1,2005,40\nR1,15.11.2,2005,2\nR1,15.12.0,2005,7\n"
        "R1,15.20.0,2005,11\n"), "--level", "4")
    assert code == 0, err
    rows = _rows(out)
    assert {k[1]: r[schema.EMPLOYMENT] for k, r in rows.items()} == {"15.1": 49.0, "15.2": 11.0}
    assert codes.level("15.11.1", schema.NACE_R11) == 6 and codes.parent("15.11.1", schema.NACE_R11, 3) == "15"
