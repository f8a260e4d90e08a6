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
