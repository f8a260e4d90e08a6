"""What a command says about several input files follows the order the files were given, never
where they live: a sort by path name put a file under /check/... (CI's clone) before one under
/tmp/..., and one under /work/... after it, so the same command gave different outputs on two
machines."""

from __future__ import annotations

import pytest

from conftest import TEST_DATA, csv_rows, run_main

BAD_NUMBER = TEST_DATA / "generic" / "bad_number.csv"  # 49003: employment '12a', 49005: firms 'b7'


@pytest.mark.parametrize("repo_first", [True, False], ids=["repo-file-first", "tmp-file-first"])
def test_rejects_file_lists_the_files_in_the_order_given(tmp_path, capsys, repo_first):
    """``ingest --on-error skip`` of a committed table and a newer upload beside it (a state
    office's CSV of the same layout, region,industry,year,employment,establishments, saved in
    the user's own folder): the rejects file lists the rows of the file given first first, as
    the errors on stderr do without --on-error skip, whichever folder sorts first by name."""
    upload = tmp_path / "upload" / "utah_2016_more.csv"
    upload.parent.mkdir()
    upload.write_text("region,industry,year,employment,establishments\n"
                      "49007,54,2016,4O,2\n"  # a letter O for a zero
                      "49009,54,2016,15,1\n", encoding="utf-8")
    files = [BAD_NUMBER, upload] if repo_first else [upload, BAD_NUMBER]
    out = tmp_path / "out.csv"
    code, _, err = run_main(["ingest", *map(str, files), "-o", str(out), "--on-error", "skip"], capsys)
    assert code == 0, err
    rejects = csv_rows((tmp_path / "out.csv.rejects.csv").read_text(encoding="utf-8"))
    order = [(r["source"], r["line"], r["column"]) for r in rejects]
    by_file = {str(BAD_NUMBER): [(str(BAD_NUMBER), "3", "employment"),
                                 (str(BAD_NUMBER), "4", "establishments")],
               str(upload): [(str(upload), "2", "employment")]}
    assert order == [row for f in files for row in by_file[str(f)]]
    # the same order as the errors of the strict read
    code, _, err = run_main(["ingest", *map(str, files), "-o", str(tmp_path / "strict.csv")], capsys)
    assert code == 1
    said = [line.split("clusterid: error: ", 1)[1].split(": column", 1)[0]
            for line in err.splitlines() if line.startswith("clusterid: error: ")]
    assert said == [f"{s}:{n}" for s, n, _ in order]


@pytest.mark.parametrize("repo_first", [True, False], ids=["repo-book-first", "tmp-book-first"])
def test_workbook_warnings_name_the_files_in_the_order_given(tmp_path, capsys, repo_first):
    """Two workbooks of one sheet per year, as stat.gov.kz's oblast tables are saved (the
    committed kz_two_sheets.xls and a user's own xlsx of a new oblast, sheets '2021' and
    '2022', long layout region,industry,year,employment): each is read from its first sheet
    and warned of, the file given first warned of first, whichever folder sorts first."""
    import openpyxl

    book = tmp_path / "ulytau" / "ulytau_oked.xlsx"
    book.parent.mkdir()
    wb = openpyxl.Workbook()
    for i, year in enumerate((2021, 2022)):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = str(year)
        ws.append(["region", "industry", "year", "employment"])
        ws.append(["Улытауская область", "A", year, 1200 + i])
        ws.append(["Улытауская область", "C", year, 5300 + i])
    wb.save(book)
    repo_book = TEST_DATA / "spreadsheets" / "kz_two_sheets.xls"
    files = [repo_book, book] if repo_first else [book, repo_book]
    code, _, err = run_main(["ingest", *map(str, files), "-o", str(tmp_path / "out.csv")], capsys)
    assert code == 0, err
    # (since session 24 each is read whole, its two year sheets, and said so: known gaps 24)
    warned = [line.removeprefix("warning: ").split(": 2 sheets read", 1)[0]
              for line in err.splitlines() if "2 sheets read, one per year ('2021', '2022')" in line]
    assert warned == [str(f) for f in files]
