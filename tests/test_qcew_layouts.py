"""QCEW files in BLS's published layouts, years and aggregation families the other tests do
not use, built from real rows (tests/data/qcew, ../shared/data) by the helpers below: each
test says which layout it stands for and what it checks against (a value computed here, or
BLS's own ``lq_*`` column)."""

from __future__ import annotations

import csv

import pytest

from clusterid import schema
from clusterid.io.ingest import IngestOptions, ingest
from conftest import TEST_DATA, run_main

BEAVER_ANNUAL = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"
EMP_S = schema.status_col(schema.EMPLOYMENT)


def _with_rows(dest, rows: list[list]):
    """A copy of the Beaver County annual slice (open-data annual layout) at ``dest`` with
    ``rows`` (cells in its 15 columns) appended."""
    text = BEAVER_ANNUAL.read_text()
    with open(dest, "w", newline="") as fh:
        fh.write(text)
        csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC).writerows(rows)
    return dest


def _by_key(df):
    return {(r[schema.REGION], r[schema.OWNERSHIP], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}


def test_aggregation_families_outside_the_detail_families(tmp_path):
    # BLS's agglevel_titles: 91-95 national and 96 state government aggregates, 80 MicroSA.
    # Their last digit is not the NAICS detail of 10-18/40-48/50-58/70-78: a 6-digit code at
    # agglvl 95 was given level 3, a supersector code (1028) at 93 failed the whole file as
    # "not a NAICS industry code", and a MicroSA was labelled an MSA.
    path = _with_rows(tmp_path / "odd_families.csv", [
        ["US000", "8", "10", "91", "0", "2016", "A", "", 22000, 21000000, 1.2e12, 0, 0, 1100, 57000],
        ["US000", "8", "102", "92", "0", "2016", "A", "", 22000, 21000000, 1.2e12, 0, 0, 1100, 57000],
        ["US000", "8", "1028", "93", "0", "2016", "A", "", 22000, 21000000, 1.2e12, 0, 0, 1100, 57000],
        ["US000", "8", "92", "94", "0", "2016", "A", "", 20000, 20000000, 1.1e12, 0, 0, 1100, 57000],
        ["US000", "8", "921110", "95", "0", "2016", "A", "", 9000, 9000000, 5e11, 0, 0, 1100, 57000],
        ["49000", "8", "10", "96", "0", "2016", "A", "", 3505, 223464, 10073152525, 0, 0, 867, 45077],
        ["C1014", "0", "10", "80", "0", "2016", "A", "", 900, 15000, 6e8, 0, 0, 800, 40000],
    ])
    df, meta = ingest([str(path)], IngestOptions(ownership=("all",)))
    by = _by_key(df)
    assert by["US000", "government", "921110"][schema.LEVEL] == 6
    assert by["US000", "government", "92"][schema.LEVEL] == 2
    assert by["US000", "government", "10"][schema.LEVEL] == 0
    assert by["US000", "government", "921110"][schema.REGION_LEVEL] == "nation"
    assert by["49000", "government", "10"][schema.REGION_LEVEL] == "state"
    assert by["C1014", "total", "10"][schema.REGION_LEVEL] == "microsa"
    assert ("US000", "government", "102") not in by and ("US000", "government", "1028") not in by
    # the Beaver rows are read as before (21 rows, 4 of them domain/supersector rows dropped)
    assert sum(1 for k in by if k[0] == "49001") == 17
    micro, _ = ingest([str(path)], IngestOptions(ownership=("all",), region_level="micropolitan"))
    assert micro[schema.REGION].to_list() == ["C1014"]


def _as_workbook(src, dest, edit=None):
    """``src`` (a QCEW CSV) saved as an xlsx the way a spreadsheet saves it: codes that look
    like numbers become numbers (49001, 0, 10, 70), counts numbers, titles and flags text."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    with open(src, newline="") as fh:
        for i, row in enumerate(csv.reader(fh)):
            if edit and i in edit:
                row = edit[i](row)
            ws.append(row if i == 0 else [int(c) if c.isdigit() else (float(c) if c.replace(".", "", 1).isdigit() else c or None)
                                          for c in row])
    wb.save(dest)
    return dest


def test_qcew_table_saved_as_xlsx_is_read_by_the_qcew_adapter(tmp_path, capsys):
    # an xlsx with QCEW's field names went to the generic reader: --ownership was ignored (the
    # default gave federal, state and local rows too), region levels were empty and titles
    # kept their "NAICS 111" prefix; it is now read exactly like the CSV it was saved from
    book = _as_workbook(BEAVER_ANNUAL, tmp_path / "beaver.xlsx")
    from_csv, _ = ingest([str(BEAVER_ANNUAL)], IngestOptions())
    from_xlsx, meta = ingest([str(book)], IngestOptions())
    assert meta["adapters"] == ["qcew"] and meta["inputs"][0]["path"].endswith("beaver.xlsx")
    assert from_xlsx.equals(from_csv)
    assert set(from_xlsx[schema.OWNERSHIP]) == {"total", "private"}
    assert set(from_xlsx[schema.REGION_LEVEL]) == {"county"}
    # a bad cell is named by the workbook and its sheet row
    bad = _as_workbook(BEAVER_ANNUAL, tmp_path / "bad.xlsx", edit={1: lambda r: r[:7] + ["Q"] + r[8:]})
    code, _, err = run_main(["ingest", str(bad), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1
    assert "bad.xlsx:2: column 'disclosure_code': unknown disclosure code" in err
