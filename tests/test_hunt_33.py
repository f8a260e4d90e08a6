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


# ---- BLS QCEW: the county-level codes of its area list that are no county

def test_qcew_overseas_multicounty_out_of_state_areas_are_unallocated(capsys, tmp_path):
    """BLS's area list (area_titles.csv) has, beside xx999 "Unknown Or Undefined", three more
    county-level codes per state that are no county: xx996 "Overseas Locations", xx997
    "Multicounty, Not Statewide", xx998 "Out-of-State".  Only xx999 was unallocated: a row of
    the others (agglvl 71) was a county, a region ranked and clustered beside Beaver County.
    Now all four are unallocated, in the QCEW adapter and in a cut the generic reader reads
    (no agglvl_code)."""
    levels = {"49000": "state", "49001": "county", "49003": "county", "49996": "unallocated",
              "49997": "unallocated", "49998": "unallocated", "49999": "unallocated"}
    rows, _ = _ingest(capsys, "2023.annual.10_utah_areas_not_placed.csv")
    assert {r: row["region_level"] for (r, _, _), row in rows.items()} == levels
    assert float(rows[("49997", "private", "10")]["employment"]) == 2100.0
    lines = (DATA / "2023.annual.10_utah_areas_not_placed.csv").read_text().splitlines()
    cut = tmp_path / "qcew_cut_without_agglvl.csv"  # the same table without agglvl_code
    cut.write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 3) for line in lines) + "\n")
    code, out, err = run_main(["ingest", str(cut), "-o", "-"], capsys)
    assert code == 0, err
    assert {r["region"]: r["region_level"] for r in csv_rows(out)} == levels
