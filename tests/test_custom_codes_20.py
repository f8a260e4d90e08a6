"""Industry codes read as ``custom`` that begin with one another: a classification's levels
(Stats NZ's ANZSIC A, A01, A011 in its business demography tables, read with
--classification custom) each become an industry of their own, and a region's total summed
from them counts the nested ones more than once.  ingest warns; codes that do not nest do not."""

from __future__ import annotations

from conftest import ingest_text

NESTED = ("region,industry,year,employment\n"
          "R1,A,2020,100\nR1,A01,2020,60\nR1,A011,2020,30\nR1,B,2020,50\n"
          "R2,A,2020,10\nR2,A01,2020,5\nR2,A011,2020,3\nR2,B,2020,70\n")


def test_nested_custom_codes_are_warned_of(tmp_path, capsys):
    code, err, rows = ingest_text(tmp_path, capsys, "anzsic.csv", NESTED, "--classification",
                                  "custom")
    assert code == 0 and len(rows) == 8
    assert "2 industry code(s) read as custom begin with another (A and A01; A01 and A011)" in err


def test_custom_codes_apart_say_nothing(tmp_path, capsys):
    text = NESTED.replace("A01,", "C,").replace("A011,", "D,")
    code, err, rows = ingest_text(tmp_path, capsys, "flat.csv", text, "--classification", "custom")
    assert code == 0 and len(rows) == 8
    assert "begin with another" not in err


def test_lq_note_on_custom_industries_past_the_total(tmp_path, capsys):
    """lq's note on industries that add up past the region's total names custom codes as
    'its industries', not 'level None' (custom codes have no level)."""
    from conftest import run_main

    text = ("region,industry,year,employment\nR1,Total,2020,100\nR1,A,2020,100\nR1,A01,2020,60\n"
            "R1,B,2020,50\nR2,Total,2020,80\nR2,A,2020,10\nR2,A01,2020,5\nR2,B,2020,70\n")
    code, err, _rows = ingest_text(tmp_path, capsys, "nz.csv", text, "--classification", "custom")
    assert code == 0, err
    table = tmp_path / "t.parquet"
    code, _o, err = run_main(["ingest", str(tmp_path / "nz.csv"), "--classification", "custom",
                              "-o", str(table)], capsys)
    assert code == 0, err
    code, _o, err = run_main(["lq", str(table), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    assert "R1, employment, 2020, total, its industries: 210 of 100" in err
    assert "level None" not in err


def test_flat_numbered_codes_are_no_levels(tmp_path, capsys):
    """Custom codes numbered 1 .. 13 but 10 (1 begins 11, 12, 13): no levels, and the values say
    so (code 1 is smaller than code 11 somewhere): no warning.  (A custom code 10, clusterid's
    code for all industries, is refused since session 29: test_hunt_29.)"""
    numbers = [c for c in range(1, 14) if c != 10]
    rows = "".join(f"R{r},{c},2020,{(c * 7 + r * 3) % 50 + 1}\n" for r in (1, 2) for c in numbers)
    code, err, out = ingest_text(tmp_path, capsys, "numbered.csv",
                                 "region,industry,year,employment\n" + rows,
                                 "--classification", "custom")
    assert code == 0 and len(out) == 24
    assert "begin with another" not in err
