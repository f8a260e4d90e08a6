"""The national offices' downloads this session made readable, taken from the raw file through
the commands after ingest (lq, stats, indices, detect) as a user would (session 16): each test
writes the file in the office's layout and checks the figures by hand."""

from __future__ import annotations

import csv

from conftest import run_main

# Statistics Canada's table CSV (14100202, "Employment by industry, annual", SEPH), one row per
# cell: STATUS beside VALUE holds the quality grade of a published figure (A excellent, B very
# good, C good, D acceptable, E use with caution), F (too unreliable) or x (suppressed) with
# VALUE empty
_SC_HEAD = ('"REF_DATE","GEO","DGUID","Type of employee","North American Industry Classification '
            'System (NAICS)","UOM","UOM_ID","SCALAR_FACTOR","SCALAR_ID","VECTOR","COORDINATE","VALUE",'
            '"STATUS","SYMBOL","TERMINATED","DECIMALS"\n')


def _sc_row(g, i, geo, dguid, industry, value, status):
    return (f'"2022","{geo}","{dguid}","All employees","{industry}","Persons","249","units","0",'
            f'"v7931{g}{i:03d}","{g}.1.{i}","{value}","{status}","","","0"\n')


def test_statcan_quality_grades_c_and_d_keep_the_published_figure(tmp_path, capsys):
    """StatCan's STATUS C ("good") and D ("acceptable") beside a published VALUE were read as
    the withholding letters c (Eurostat) and D (Census): Nova Scotia's 28,815 construction jobs
    and Newfoundland's 15,022 became suppressed cells, their LQs undefined and left out of the
    benchmark.  They are figures; only x (and F, whose cell is empty) withhold."""
    cells = [("Newfoundland and Labrador", "2021A000210",
              [("212430", "A"), ("15022", "C"), ("", "x")]),
             ("Nova Scotia", "2021A000212",
              [("435108", "A"), ("28815", "D"), ("2461", "B")])]
    industries = ["Industrial aggregate including unclassified businesses [00-91N]",
                  "Construction [23]", "Utilities [22]"]
    text = _SC_HEAD
    for g, (geo, dguid, row) in enumerate(cells, start=1):
        for i, (industry, (value, status)) in enumerate(zip(industries, row), start=1):
            text += _sc_row(g, i, geo, dguid, industry, value, status)
    src = tmp_path / "14100202.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "lq.csv"
    code, _o, err = run_main(["lq", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv.DictReader(out.open(encoding="utf-8"))}
    ns = lq[("Nova Scotia", "23")]
    assert ns["status"] == "reported" and float(ns["value"]) == 28815
    # (28,815 / 435,108) / ((15,022 + 28,815) / (212,430 + 435,108)) = 0.97824
    assert float(ns["benchmark_industry_total"]) == 43837
    assert abs(float(ns["lq"]) - 0.97824) < 1e-5
    assert lq[("Newfoundland and Labrador", "23")]["status"] == "reported"
    assert lq[("Newfoundland and Labrador", "22")]["status"] == "suppressed"
