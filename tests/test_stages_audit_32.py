"""Session 32's audit of lq, indices, shift-share, impute, detect and report on tables they had
not met (REAT's Länder table made wide by year, QCEW's Maine counties): what it found wrong."""

from __future__ import annotations

from pathlib import Path

from conftest import run_main

TESTS = Path(__file__).resolve().parent
NO_LEVEL = TESTS / "data" / "e2e31" / "section_alone_in_one_region.csv"
TWO_YEARS = TESTS / "data" / "stages32" / "section_alone_in_one_year.csv"


def test_region_level_of_a_table_without_levels_is_said_plainly(tmp_path, capsys):
    """indices / shift-share --region-level on a table whose regions have no level said
    "expected one of None"."""
    for args in (["indices", str(NO_LEVEL)],
                 ["shift-share", str(TWO_YEARS), "--from", "2021", "--to", "2022"]):
        code, _o, err = run_main([*args, "--region-level", "state", "-o",
                                  str(tmp_path / "x.csv")], capsys)
        assert code == 2, err
        assert "None" not in err
        assert ("expected no --region-level: the table's regions have no region level, "
                "found 'state'") in err
        assert len(err.strip().splitlines()) == 1, err
