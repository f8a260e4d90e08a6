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


# ---- --month annual over generic tables of a quarter's months (allhlcnYYQ.xlsx)

QUARTERS = DATA / "quarters"  # 2023's four quarterly workbooks and their rows as a QCEW CSV
WORKBOOKS = [str(QUARTERS / f"allhlcn23{q}.xlsx") for q in (1, 2, 3, 4)]
MEASURES = ("employment", "employment_status", "employment_flag", "establishments",
            "establishments_status", "wages", "wages_status", "wages_flag")


def test_month_annual_reads_quarterly_workbooks_as_the_year_the_qcew_adapter_gives(capsys):
    """``--month annual`` (detect's default) over BLS's quarterly high-level workbooks (month
    columns "April Employment" ...) was read as --month average: the quarters 2023Q1..2023Q4
    where the year was asked for, exit 0.  Now the year (as detect reads the raw workbooks), as
    the QCEW adapter averages the same rows given as its CSV: the months summed over the
    quarters and divided once by twelve (Beaver's local government, absent from Q2, counts zero
    there: 2766/12), a quarter undisclosed (N) suppresses the year, establishments the
    quarters' mean, wages their sum -- exactly alike."""
    from clusterid.cli.detect import load_frame

    df, _ = load_frame(WORKBOOKS)  # detect's reading of a raw input: --month annual
    books = {(r["period"], r["region"], r["ownership"], r["industry"]): r for r in df.to_dicts()}
    code, out, err = run_main(["ingest", str(QUARTERS / "2023.q1-q4.utah_high_level.csv"), "-o", "-",
                               "--month", "annual", "--ownership", "all"], capsys)
    assert code == 0, err
    qcew = {(r["period"], r["region"], r["ownership"], r["industry"]): r for r in csv_rows(out)}
    assert {k[0] for k in books} == {"2023"} and len(books) == 8 and len(qcew) == 5  # (no supersectors)
    for key, row in qcew.items():  # the CSV's text of each float, as written, read back exactly
        assert {m: books[key][m] for m in MEASURES} == {
            m: (float(row[m]) if row[m] and not m.endswith(("_status", "_flag")) else row[m] or None)
            for m in MEASURES}, key
    assert books[("2023", "49001", "local", "10")]["employment"] == 2766 / 12 == 230.5
    assert books[("2023", "49000", "private", "10")]["employment"] == 17493091 / 12
    state = books[("2023", "49001", "state", "10")]
    assert (state["employment"], state["employment_status"], state["employment_flag"]) == (None, "suppressed", "N")
    assert books[("2023", "49001", "private", "1021")]["employment"] == 536.5  # no row in Q2


def test_month_annual_refuses_a_year_of_some_quarters_as_the_qcew_adapter(capsys, tmp_path):
    """Three quarters of a year are no annual average: said as the QCEW adapter says it of its
    CSV of the same quarters (exit 1), the workbooks' quarter column named."""
    code, _, err = run_main(["ingest", *WORKBOOKS[:3], "-o", "-", "--month", "annual"], capsys)
    assert code == 1
    said = ("column 'Qtr': an annual average needs all four quarters (expected quarters 1, 2, 3, 4 "
            "of 2023, found '1, 2, 3'); add the missing quarters or use --month average")
    assert "3 files: " + said in err
    lines = (QUARTERS / "2023.q1-q4.utah_high_level.csv").read_text().splitlines()
    cut = tmp_path / "three_quarters.csv"
    cut.write_text("\n".join(line for line in lines if ",2023,4," not in line) + "\n")
    code, _, err = run_main(["ingest", str(cut), "-o", "-", "--month", "annual"], capsys)
    assert code == 1 and said.replace("'Qtr'", "'qtr'") in err


def _cut(lines, keep) -> str:
    """A QCEW quarterly CSV without agglvl_code (read by the generic reader), rows kept by ``keep``."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in lines:
        if keep(line):
            writer.writerow([c for i, c in enumerate(next(csv.reader([line]))) if i != 3])
    return out.getvalue()


def test_month_annual_generic_table_refuses_an_area_absent_from_a_quarter(capsys, tmp_path):
    """One table of month1..3_emplvl columns (no agglvl_code: the generic reader) holding the four
    quarters, but Unknown Or Undefined (49999) without a row in Q4: as zeros its annual average
    came out a quarter low; refused as the QCEW adapter refuses it.  The whole table reads to
    the figures the workbooks give; a quarter given twice is not summed into the year."""
    lines = (QUARTERS / "2023.q1-q4.utah_high_level.csv").read_text().splitlines()
    table = tmp_path / "utah_2023_quarters.csv"
    table.write_text(_cut(lines, lambda line: not line.startswith("49999,") or ",2023,4," not in line))
    code, _, err = run_main(["ingest", str(table), "-o", "-", "--month", "annual"], capsys)
    assert code == 1
    assert ("column 'qtr': an annual average needs all four quarters of every area (expected quarters "
            "1, 2, 3, 4 of 2023 for area 49999, found '1, 2, 3')") in err
    table.write_text(_cut(lines, lambda line: True))
    code, out, err = run_main(["ingest", str(table), "-o", "-", "--month", "annual"], capsys)
    assert code == 0, err
    rows = {(r["region"], r["ownership"], r["industry"]): r for r in csv_rows(out)}
    assert rows[("49001", "local", "10")]["employment"] == "230.5"
    assert {r["period"] for r in rows.values()} == {"2023"}
    twice = tmp_path / "utah_2023_q2_again.csv"
    twice.write_text(_cut(lines, lambda line: ",2023,2," in line or line.startswith("area_fips")))
    code, _, err = run_main(["ingest", str(table), str(twice), "-o", "-", "--month", "annual"], capsys)
    assert code == 1 and "duplicate" in err


def test_month_annual_refuses_two_month_columns(capsys, tmp_path):
    """Two months are no quarter: their sum over the year divided by twelve would be a third
    low; --month annual is refused (exit 2), naming the columns.  Twelve (January to December)
    are the year's own: their mean, as before."""
    table = tmp_path / "two_months.csv"
    table.write_text("area_fips,industry_code,year,qtr,month1_emplvl,month2_emplvl\n"
                     "49001,10,2023,1,10,11\n49003,10,2023,1,20,21\n")
    code, _, err = run_main(["ingest", str(table), "-o", "-", "--month", "annual"], capsys)
    assert code == 2 and "has 2 month columns (month1_emplvl, month2_emplvl)" in err
    months = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
    table.write_text("Area,NAICS,Year," + ",".join(m + " Employment" for m in months) + "\n"
                     "49001,10,2023," + ",".join(str(10 + i) for i in range(12)) + "\n"
                     "49003,10,2023," + ",".join(str(20 + i) for i in range(12)) + "\n")
    code, out, err = run_main(["ingest", str(table), "-o", "-", "--month", "annual"], capsys)
    assert code == 0, err  # a row of the year's twelve months: their mean, as before
    assert [(r["period"], r["employment"]) for r in csv_rows(out)] == [("2023", "15.5"), ("2023", "25.5")]


def test_qcew_quarterly_and_annual_files_refused_with_how_to_combine_them(capsys, tmp_path):
    """Quarterly and annual QCEW files in one ingest are refused, --month annual or not (the
    reader decides on all its files together); the message said only 'ingest them separately'.
    It now says how to combine them, and the way it says works: the two tables ingested apart,
    then given together, hold both years."""
    annual = tmp_path / "2022.annual.10_utah.csv"
    annual.write_text((DATA / "2023.annual.10_utah_areas_not_placed.csv").read_text()
                      .replace('"2023","A"', '"2022","A"'))
    quarters = QUARTERS / "2023.q1-q4.utah_high_level.csv"
    code, _, err = run_main(["ingest", str(quarters), str(annual), "-o", "-", "--month", "annual"], capsys)
    assert code == 2
    assert err.rstrip().endswith(
        "ingest them separately, then give the two tables together (years apart): clusterid ingest "
        "QUARTERLY-FILES --month annual -o quarters.parquet; clusterid ingest ANNUAL-FILES -o "
        "annual.parquet; clusterid detect quarters.parquet annual.parquet -o OUTDIR"), err
    for argv in ([str(quarters), "--month", "annual", "-o", str(tmp_path / "quarters.parquet")],
                 [str(annual), "-o", str(tmp_path / "annual.parquet")]):
        code, _, err = run_main(["ingest", *argv], capsys)
        assert code == 0, err
    code, out, err = run_main(["ingest", str(tmp_path / "quarters.parquet"),
                               str(tmp_path / "annual.parquet"), "-o", "-"], capsys)
    assert code == 0, err
    rows = {(r["period"], r["region"]): r["employment"] for r in csv_rows(out) if r["industry"] == "10"}
    assert rows[("2022", "49001")] == "2200.0" and rows[("2023", "49001")] == "2214.4166666666665"
