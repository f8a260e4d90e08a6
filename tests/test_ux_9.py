"""Small user-facing defects a new-user walkthrough found: what the commands say on stderr
when they choose for the user, period names in another case, typos in a region id, Word and
PowerPoint files given as tables, and message spelling."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz")


# ------------------------------------------------ 1. shift-share says what it chose and why


def test_shift_share_by_region_says_ownership_level_and_left_out_cells(tmp_path, capsys):
    out = tmp_path / "ss.csv"
    code, _, err = run_main(["shift-share", SAMPLE, "--from", "2016Q1", "--to", "2016Q4",
                             "--by", "region", "-o", str(out)], capsys)
    assert code == 0, err
    # the sample's 'total' ownership holds only the all-industry totals: private was the only
    # choice at level 6, said with how to choose otherwise
    assert "industry level 6 (deepest of [2, 3, 4, 5, 6]; choose with --level)" in err
    assert ("ownership 'private' (the only one with industries at level 6; 'total' has only "
            "all-industry totals; choose with --ownership and --level)") in err
    # most 6-digit cells are suppressed: the region sums leave them out, and that is said
    assert "6095 of 8309 cells are suppressed in a period and left out" in err
    assert "a coarser --level leaves fewer out" in err


def test_indices_says_the_ownership_too(tmp_path, capsys):
    code, _, err = run_main(["indices", SAMPLE, "--level", "2", "--period", "2016Q1",
                             "-o", str(tmp_path / "ix.csv")], capsys)
    assert code == 0, err
    assert "ownership 'private' (the only one with industries at level 2;" in err
    assert "industry level" not in err  # chosen by the user: nothing to say


# ------------------------------------------------ 2. period names in another case


def test_shift_share_accepts_lower_case_periods_and_writes_the_tables_spelling(tmp_path, capsys):
    out = tmp_path / "ss.csv"
    code, _, err = run_main(["shift-share", SAMPLE, "--from", "2016q1", "--to", "2016q4",
                             "--by", "region", "--level", "2", "-o", str(out)], capsys)
    assert code == 0, err
    lines = out.read_text().splitlines()
    assert len(lines) == 30  # header + 29 counties
    assert all(",2016Q1,2016Q4," in line for line in lines[1:])
    # still refused: the same period twice in another case, and a period the table lacks
    code, _, err = run_main(["shift-share", SAMPLE, "--from", "2016q1", "--to", "2016Q1",
                             "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 2 and "same period ('2016Q1')" in err
    code, _, err = run_main(["shift-share", SAMPLE, "--from", "2016q5", "--to", "2016Q1",
                             "-o", str(tmp_path / "x.csv")], capsys)
    # one wording for lq, indices, stats, detect and shift-share since session 31
    assert code == 2 and "--from 2016q5: not in the table; it has 2016Q1" in err


def test_indices_and_stats_accept_lower_case_periods(tmp_path, capsys):
    out = tmp_path / "ix.csv"
    code, _, err = run_main(["indices", SAMPLE, "--level", "2", "--period", "2016q2",
                             "-o", str(out)], capsys)
    assert code == 0, err
    rows = out.read_text().splitlines()[1:]
    assert len(rows) == 29 and all(r.startswith("2016Q2,") for r in rows)
    code, text, err = run_main(["stats", SAMPLE, "--period", "2016q3", "-o", "-"], capsys)
    assert code == 0, err
    assert "2016Q3" in text and "2016Q1" not in text


def test_match_period():
    from clusterid.core.indices import match_period

    assert match_period("2016q1", ["2016Q1", "2016Q2"]) == "2016Q1"
    assert match_period("2016Q1", ["2016Q1", "2016q1"]) == "2016Q1"  # exact first
    assert match_period("2016q1", ["2016Q1 ", "2016Q1"]) is None  # ambiguous: not guessed
    assert match_period("2016q9", ["2016Q1"]) is None


# ------------------------------------------------ 3. a typo in -b region:ID

LAENDER = str(ROOT / "tests" / "data" / "reat" / "laender_emp.csv")


@pytest.mark.parametrize("command", [["indices", LAENDER],
                                     ["shift-share", LAENDER, "--from", "2008", "--to", "2014"]])
def test_benchmark_region_typo_names_regions(command, capsys):
    code, _, err = run_main([*command, "-b", "region:Bayrn", "-o", "-"], capsys)
    assert code == 2
    assert "region:Bayrn: no such region in the input (did you mean region:Bayern?)" in err
    code, _, err = run_main([*command, "-b", "region:Qwxyz", "-o", "-"], capsys)
    assert code == 2
    assert ("no such region in the input (regions include Baden-Wuerttemberg, Bayern, Berlin, "
            "Brandenburg, Bremen ...)") in err


def test_benchmark_region_by_part_of_its_name(capsys):
    code, _, err = run_main(["indices", SAMPLE, "--level", "2", "-b", "region:Beaver",
                             "-o", "-"], capsys)
    assert code == 2 and "(did you mean region:49001?)" in err


# ------------------------------------------------ 4. Word and PowerPoint files given as tables


def _office_zip(path, parts):
    import zipfile

    with zipfile.ZipFile(path, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return str(path)


@pytest.mark.parametrize("name,parts,said", [
    ("report.docx", {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"},
     "a Word document (.docx), not a table"),
    ("slides.pptx", {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"},
     "a PowerPoint presentation (.pptx), not a table"),
    ("notes.odt", {"mimetype": "application/vnd.oasis.opendocument.text",
                   "content.xml": "<office:document-content/>"},
     "an OpenDocument text (.odt), not a table"),
    # saved under a workbook's name: told by content, not by the suffix
    ("table.xlsx", {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"},
     "a Word document (.docx), not a table"),
])
@pytest.mark.parametrize("command", ["ingest", "stats"])
def test_office_documents_are_named(tmp_path, capsys, name, parts, said, command):
    path = _office_zip(tmp_path / name, parts)
    argv = [command, path] + (["-o", str(tmp_path / "out.csv")] if command == "ingest" else [])
    code, _, err = run_main(argv, capsys)
    assert code == 1
    assert said in err
    assert "xlsx workbook" not in err and "another zip file" not in err


# ------------------------------------------------ 5. message spelling


def test_measure_col_not_a_column_has_no_stray_space(tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text("Jahr,Kreis,WZ,Beschäftigte\n2016,01001,C,100\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(table), "--measure-col",
                             "employment=Beschaeftigte", "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 2
    assert "--measure-col employment='Beschaeftigte' is not a column" in err
    code, _, err = run_main(["ingest", str(table), "--region-col", "Kreiss",
                             "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 2
    assert "--region-col 'Kreiss' is not a column" in err
