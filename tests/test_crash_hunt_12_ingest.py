"""Crash hunt 12: ``clusterid ingest`` on tables from statistical offices the project had not
seen (Kazakhstan/Russia yearbook tables, files joined with ``cat``), each problem pinned by a
test that failed before its fix. The files are under tests/data/hunt12/."""

from __future__ import annotations

from pathlib import Path

from conftest import csv_rows, run_main

DATA = Path(__file__).parent / "data" / "hunt12"


def test_a_byte_order_mark_inside_the_file_is_not_part_of_a_cell(capsys):
    # a UTF-8 BOM at the start of a later line (two BOM-saved CSVs joined with `cat`, a cell
    # pasted from one) was kept in the cell: region '\ufeffA2' beside 'A2', invisible in any
    # viewer, and '\ufeff7' "not a number"
    code, out, err = run_main(["ingest", str(DATA / "bom_inside_rows.csv"), "-o", "-"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert {r["region"] for r in rows} == {"A1", "A2"}
    assert [r["employment"] for r in rows if r["region"] == "A2"] == ["20.0", "7.0"]
    assert "\ufeff" not in out



def test_cyrillic_k_confidentiality_marker_is_suppressed(capsys):
    # Rosstat / stat.gov.kz yearbook table (regions down, OKED sections across, unit row,
    # footnotes): 'к' (конфиденциально, "not published to keep primary data confidential")
    # stopped the whole file as "not a number"
    code, out, err = run_main(["ingest", str(DATA / "kz_yearbook_sections_across_utf8_bom.csv"),
                               "-o", "-"], capsys)
    assert code == 0, err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    for key in (("Акмолинская область", "C"), ("Алматинская область", "F")):
        assert rows[key]["employment"] == "" and rows[key]["employment_status"] == "suppressed"
        assert rows[key]["employment_flag"] in ("к", "К")
    assert rows[("Акмолинская область", "A")]["employment"] == "120300.0"  # thousands, decimal comma
    assert rows[("Актюбинская область", "C")]["employment"] == "60500.0"
    assert {r["period"] for r in rows.values()} == {"2022"} and len(rows) == 15
