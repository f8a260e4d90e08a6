"""NACE Rev. 1.1 tables (before 2008; WZ 2003, nace_r1): never read as NACE Rev. 2.

In Rev. 1.1, 15 is food and 41 water supply; read as Rev. 2 they became C15 (leather) and F41
(construction of buildings), exit 0.  A table whose heading, title or Eurostat dimension names
Rev. 1.1 is read in its own classification; ``--classification nace`` on it is refused.
"""

from __future__ import annotations

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
    assert all(r[schema.CLASSIFICATION] != schema.NACE for r in rows.values())
    assert "NACE Rev.1.1 codes" in err
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
    df = pl.read_csv(out, schema_overrides={schema.INDUSTRY: pl.String})
    assert schema.NACE not in set(df[schema.CLASSIFICATION])


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
    assert codes.nace_r11_cue("wz2008") is None
    assert codes.nace_r11_cue("branch", [], ["WZ03-15", "WZ03-D"]) == "WZ03-15"


def test_division_10_is_not_the_total():
    # Rev. 1.1 division 10 (mining of coal) is not clusterid's all-industries code '10'
    assert codes.normalize_r11("10") == "CA10"
    assert codes.normalize_r11("Total") == schema.ALL_INDUSTRIES
    assert [codes.normalize_r11(c) for c in ("15", "D15", "DA15", "1511", "15.1", "WZ03-DA")] == \
        ["15", "15", "15", "15.11", "15.1", "DA"]
