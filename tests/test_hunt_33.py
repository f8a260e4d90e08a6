"""Agency files of other years and other geographies (session 33): each test names the published
layout its made-up input follows (tests/data/hunt33/README.md) and checks what clusterid read
against the file's own figures."""

from __future__ import annotations

from pathlib import Path

from conftest import csv_rows, run_main

DATA = Path(__file__).parent / "data" / "hunt33"


def _ingest(capsys, name: str, *options: str):
    code, out, err = run_main(["ingest", str(DATA / name), "-o", "-", *options], capsys)
    assert code == 0, err
    return {(r["region"], r["ownership"], r["industry"]): r for r in csv_rows(out)}, err


# ---- BLS QCEW county high-level workbooks (allhlcnYY.xlsx, allhlcnYYQ.xlsx)

def test_qcew_annual_high_level_workbook_reads_its_status_code(capsys):
    """The annual high-level workbook heads QCEW's disclosure code "Annual Average Status Code"
    (the quarterly ones "Status Code"); it was left unread, so an undisclosed row (N, every
    figure 0 but the establishments) came out as a reported 0 jobs and $0 wages, exit 0:
    Beaver County's manufacturing read as a true zero, its LQ 0."""
    rows, err = _ingest(capsys, "allhlcn23.xlsx")
    beaver = rows[("49001", "private", "1013")]
    assert (beaver["employment"], beaver["employment_status"], beaver["employment_flag"]) == ("", "suppressed", "N")
    assert (beaver["wages"], beaver["wages_status"]) == ("", "suppressed")
    assert beaver["establishments"] == "5.0" and beaver["establishments_status"] == "reported"
    utah = rows[("49000", "private", "1013")]
    assert (float(utah["employment"]), utah["employment_status"], utah["employment_flag"]) == (150000.0, "reported", "")
    assert float(rows[("49000", "private", "10")]["wages"]) == 95e9
    assert "Annual Average Status Code" not in err.split("columns not read:")[-1]


def test_qcew_high_level_unknown_county_is_unallocated(capsys):
    """BLS gives "Unknown Or Undefined, Utah" (49999) the Area Type "County" in its high-level
    workbooks; read as a county it was one more place among Utah's counties (a region to rank,
    cluster and compare beside Beaver County).  xx999 is no county FIPS code: it is
    now unallocated, as the QCEW adapter reads it in the CSV files."""
    for name in ("allhlcn23.xlsx", "allhlcn232.xlsx"):
        rows, _ = _ingest(capsys, name)
        assert rows[("49999", "private", "10")]["region_level"] == "unallocated"
        assert rows[("49001", "private", "10")]["region_level"] == "county"
