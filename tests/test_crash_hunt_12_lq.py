"""Crash hunt 12: ``clusterid lq`` on files the project had not seen (QCEW county and statewide
slices, CBP national and county files, hand-made canonical tables and reference tables of odd
shapes), each problem pinned by a test that failed before its fix."""

from __future__ import annotations

from conftest import TEST_DATA, csv_rows, run_main

CBP21 = TEST_DATA / "cbp"  # Census CBP 2021 excerpts: cbp21co (counties), cbp21us (the nation)


def test_reference_lacking_the_level_asked_for_is_not_said_to_lack_the_period(capsys):
    # cbp21us_excerpt holds 2021's national rows down to 113/// but not 113310: under --level 6
    # every output row was 'no benchmark' and the note said "the reference has no rows for
    # period(s) 2021", though it has 2021 rows; the missing industry code went unnamed
    code, out, err = run_main(["lq", str(CBP21 / "cbp21co_excerpt.txt"), "-o", "-",
                               "--benchmark", str(CBP21 / "cbp21us_excerpt.txt"),
                               "--level", "6"], capsys)
    assert code == 0, err
    assert {r["lq_reason"] for r in csv_rows(out)} == {"no benchmark"}
    assert "no rows for industry code(s) 113310" in err, err
    assert "period(s) 2021" not in err, err
