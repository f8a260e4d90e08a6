"""Agency files in layouts the other tests do not cover (session 24): each test names the real
source whose field layout its made-up input follows (tests/data/unseen24/README.md) and checks
the figures the file says against what clusterid read."""

from __future__ import annotations

from pathlib import Path

from conftest import csv_rows, run_main, run_ok

DATA = Path(__file__).parent / "data" / "unseen24"


def test_statcan_lfs_unit_and_scalar_both_in_thousands_scale_once(tmp_path, capsys):
    """Statistics Canada's LFS tables (14-10-0023, 14-10-0287) say thousands twice: UOM
    'Persons in thousands' beside SCALAR_FACTOR 'thousands', SCALAR_ID 3.  Both were applied:
    Alberta's 2,580.4 thousand employed came out as 2,580,400,000.  Scaled once; the Full-time
    rows are another indicator, dropped; 'x' is withheld, 'E' a grade that keeps the figure."""
    out, err = run_ok(["ingest", str(DATA / "14100023_lfs_by_industry_excerpt.csv"), "-o", "-"], capsys)
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert float(rows[("Alberta", "10")]["employment"]) == 2580400
    assert float(rows[("British Columbia", "31-33")]["employment"]) == 165000
    assert float(rows[("British Columbia", "22")]["employment"]) == 12100
    assert rows[("Alberta", "22")]["employment"] == "" and rows[("Alberta", "22")]["employment_status"] == "suppressed"
    assert len(rows) == 6


def test_a_unit_and_a_multiplier_naming_different_multiples_are_refused(tmp_path, capsys):
    """'Persons in thousands' beside SCALAR_ID 6: which multiple the values are in is unknown;
    refused on its lines, never multiplied by both."""
    text = (DATA / "14100023_lfs_by_industry_excerpt.csv").read_text(encoding="utf-8")
    src = tmp_path / "14100023.csv"
    src.write_text(text.replace('"thousands","3"', '"millions","6"'), encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1, err
    assert "14100023.csv:2: column 'SCALAR_ID': the unit and the unit multiplier name different multiples" in err
    assert not (tmp_path / "x.csv").exists()
