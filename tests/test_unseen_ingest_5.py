"""`clusterid ingest` on files as statistical offices publish them, never seen before (round 5).

Numbers are the Bundesagentur für Arbeit's employment by Land and WZ-2008 section as shipped in
REAT's ``G.regions.emp`` (../shared/data/reat_germany_eu/REAT_G.regions.emp.csv); the files are
written the way Destatis / the Länder offices lay their tables out (see tests/data/README.md).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import polars as pl

from clusterid import schema
from conftest import run_main

DATA = Path(__file__).parent / "data" / "unseen5"


def _cli(capsys, *args):
    """``clusterid ARGS`` in-process (the exit code, stderr and files are what a process of its
    own gives, without ~0.7 s of start-up a call): ``.returncode``, ``.stderr``."""
    code, out, err = run_main([str(a) for a in args], capsys)
    return SimpleNamespace(returncode=code, stdout=out, stderr=err)


def _ingest(tmp_path, capsys, name, *args, out_name="out.csv"):
    out = tmp_path / out_name
    proc = _cli(capsys, "ingest", DATA / name, "-o", out, *args)
    df = pl.read_csv(out, infer_schema_length=0) if out.exists() else None
    return proc, df, out


def _cells(df, measure=schema.EMPLOYMENT):
    return {(r[schema.PERIOD], r[schema.REGION], r[schema.INDUSTRY]):
            (None if r[measure] in (None, "") else float(r[measure]), r[schema.status_col(measure)],
             r[schema.flag_col(measure)])
            for r in df.iter_rows(named=True)}


def test_one_malformed_cell_does_not_switch_the_whole_file_to_decimal_points(tmp_path, capsys):
    # '2O.066' (a letter O for a zero) voted 'decimal point' in the number-format guess, so
    # every other cell of this ';'-separated German table was read with decimal '.', and with
    # --on-error skip the kept rows came out 1000 times too small: Bayern F 2013 283.06, not
    # 283,060 (the BA's figure), without a word
    proc, df, out = _ingest(tmp_path, capsys, "de_laender_one_bad_cell_cp1252.csv", "--on-error", "skip")
    assert proc.returncode == 0, proc.stderr
    got = _cells(df)
    assert got[("2013", "Bayern", "F")][0] == 283060.0
    assert got[("2014", "Bayern", "F")][0] == 288109.0
    assert got[("2013", "Bremen", "F")][0] == 11664.0
    assert got[("2014", "Saarland", "C")][0] == 98640.0
    assert ("2013", "Saarland", "F") not in got  # its line holds the bad cell: set aside
    rejects = pl.read_csv(str(out) + ".rejects.csv", infer_schema_length=0)
    assert rejects.height >= 1
    # without --on-error skip: one line naming file, line, column, what was expected and found,
    # and the number format the rest of the file was read with
    proc, df, out = _ingest(tmp_path, capsys, "de_laender_one_bad_cell_cp1252.csv", out_name="strict.csv")
    assert proc.returncode == 1 and df is None and not out.exists()
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "de_laender_one_bad_cell_cp1252.csv:5" in lines[0] and "'2014'" in lines[0]
    assert "'2O.066'" in lines[0] and "decimal ','" in lines[0]


def test_two_row_header_of_years_over_measures_in_a_workbook(tmp_path, capsys):
    # 2013 and 2014 merged over 'Beschäftigte | Betriebe' (Land and WZ merged down both rows)
    # was refused: "column 'column_4': column heading among the period columns is not a
    # period"; the two header rows are now read as period x measure
    proc, df, _ = _ingest(tmp_path, capsys, "de_year_over_measure.xlsx", "--sheet", "Tabelle 1")
    assert proc.returncode == 0, proc.stderr
    emp, est = _cells(df), _cells(df, schema.ESTABLISHMENTS)
    assert emp[("2013", "Bremen", "C")] == (55412.0, schema.REPORTED, None)
    assert emp[("2014", "Bremen", "C")][0] == 54400.0
    assert emp[("2014", "Bayern", "F")][0] == 288109.0  # stored as text in the sheet
    assert est[("2013", "Bremen", "F")] == (None, schema.SUPPRESSED, "x")  # never 0
    assert est[("2014", "Bremen", "F")][0] == 2009.0
    assert "Insgesamt" not in set(df[schema.REGION])  # the totals row, dropped and counted
    assert df.height == 3 * 2 * 2


def test_two_row_header_of_measures_over_years_in_a_csv(tmp_path, capsys):
    proc, df, _ = _ingest(tmp_path, capsys, "de_measure_over_year_cp1252.csv")
    assert proc.returncode == 0, proc.stderr
    emp, est = _cells(df), _cells(df, schema.ESTABLISHMENTS)
    assert emp[("2013", "Bayern", "F")][0] == 283060.0
    assert emp[("2014", "Saarland", "F")][0] == 20066.0
    assert est[("2013", "Bremen", "F")] == (None, schema.SUPPRESSED, "x")
    assert est[("2014", "Bremen", "F")][0] == 1201.0
    assert df.height == 6


def test_two_row_header_bad_cell_names_its_line_and_measure(tmp_path, capsys):
    text = (DATA / "de_measure_over_year_cp1252.csv").read_bytes().replace(b"2.433", b"2.4x3")
    src = tmp_path / "two_rows_bad.csv"
    src.write_bytes(text)
    out = tmp_path / "o.csv"
    proc = _cli(capsys, "ingest", str(src), "-o", str(out))
    assert proc.returncode == 1 and not out.exists()
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "two_rows_bad.csv:6" in lines[0] and "'Betriebe'" in lines[0]
    assert "'2.4x3'" in lines[0]


def test_workbook_with_a_contents_sheet_first_reads_the_table_sheet(tmp_path, capsys):
    # without --sheet the first sheet ('Inhalt', the publication's contents) was read: "no region
    # column recognised (found 'Beschäftigte nach Ländern')"; the first sheet holding figures is
    # the table, and the metadata names it
    import json

    proc, df, out = _ingest(tmp_path, capsys, "de_year_over_measure.xlsx")
    assert proc.returncode == 0, proc.stderr
    assert _cells(df)[("2013", "Bremen", "C")][0] == 55412.0 and df.height == 12
    meta = json.loads(Path(str(out) + ".meta.json").read_text())
    assert '"sheet": "Tabelle 1"' in json.dumps(meta)
    # --sheet still reads exactly the sheet named, and says what is wrong with it
    proc, df, out = _ingest(tmp_path, capsys, "de_year_over_measure.xlsx", "--sheet", "Inhalt",
                            out_name="inhalt.csv")
    assert proc.returncode == 1 and not out.exists()
    assert len([ln for ln in proc.stderr.splitlines() if ln.strip()]) == 1


def test_dot_grouped_counts_in_a_tab_file_are_not_guessed(tmp_path, capsys):
    # a German table saved with tabs: every figure '283.060'-shaped, nothing else to go by; the
    # guess was 'decimal point' (only ';' files counted as continental), so Bayern F 2013 came
    # out as 283.06 employees (BA: 283,060) and Bremen F 11.664 beside Bremen A 195, silently
    proc, df, out = _ingest(tmp_path, capsys, "de_laender_tab_dot_thousands.tsv")
    assert proc.returncode == 1 and df is None and not out.exists()
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "de_laender_tab_dot_thousands.tsv:2" in lines[0] and "'2013'" in lines[0]
    assert "'283.060'" in lines[0] and "--decimal" in lines[0]
    proc, df, _ = _ingest(tmp_path, capsys, "de_laender_tab_dot_thousands.tsv", "--decimal", ",",
                          out_name="ok.csv")
    assert proc.returncode == 0, proc.stderr
    got = _cells(df)
    assert got[("2013", "Bayern", "F")][0] == 283060.0 and got[("2014", "Bremen", "A")][0] == 201.0
    # one figure that settles it (a decimal '12.5' or an ungrouped '12345') still settles it
    src = tmp_path / "with_decimal.tsv"
    src.write_bytes((DATA / "de_laender_tab_dot_thousands.tsv").read_bytes().replace(b"\t195\t", b"\t195.5\t"))
    proc = _cli(capsys, "ingest", str(src), "-o", str(tmp_path / "d.csv"))
    assert proc.returncode == 0, proc.stderr
    assert _cells(pl.read_csv(tmp_path / "d.csv", infer_schema_length=0))[("2013", "Bayern", "F")][0] == 283.06


def test_numbers_stored_as_text_in_a_workbook_are_not_read_as_decimals(tmp_path, capsys):
    # a workbook with number cells (written back as plain digits, 1312300) beside numbers
    # stored as text the German way ('283.060'): the plain digits counted as 'the author does
    # not group thousands', so Bayern F 2013 was read as 283.06 (BA: 283,060); a workbook's
    # number cells say nothing about how its text cells are written, so the file is refused
    proc, df, out = _ingest(tmp_path, capsys, "de_numbers_as_text.xlsx")
    assert proc.returncode == 1 and df is None and not out.exists()
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "de_numbers_as_text.xlsx:5" in lines[0] and "'283.060'" in lines[0]
    proc, df, _ = _ingest(tmp_path, capsys, "de_numbers_as_text.xlsx", "--decimal", ",", out_name="ok.csv")
    assert proc.returncode == 0, proc.stderr
    got = _cells(df)
    assert got[("2013", "Bayern", "F")][0] == 283060.0 and got[("2013", "Bayern", "C")][0] == 1312300.0
    assert got[("2014", "Bremen", "C")] == (None, schema.SUPPRESSED, "x")
    assert "Insgesamt" not in set(df[schema.REGION])


def test_footnote_marks_after_figures_go_to_the_flag(tmp_path, capsys):
    # '1.339.581¹' and '55.412²)' (a provisional and a revised figure, explained under the
    # table) were 'not a number' and the whole file refused; a superscript mark is never part of
    # a number: the figure is read and the mark kept in the flag
    proc, df, _ = _ingest(tmp_path, capsys, "de_laender_footnote_marks_cp1252.csv")
    assert proc.returncode == 0, proc.stderr
    got = _cells(df)
    assert got[("2014", "Bayern", "C")] == (1339581.0, schema.REPORTED, "¹")
    assert got[("2013", "Bremen", "C")] == (55412.0, schema.REPORTED, "²)")
    assert got[("2013", "Bayern", "F")] == (283060.0, schema.REPORTED, None)
    assert got[("2013", "Bremen", "A")] == (None, schema.SUPPRESSED, "–")
    assert df.height == 8


def test_first_sheet_with_one_figure_a_row_is_still_the_table(tmp_path, capsys):
    # the contents-sheet rule must not pass over a first sheet that is a table of one value
    # column (a year and one figure a row) for a later sheet with more numbers
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Daten"
    ws.append(["Land", "WZ 2008", "Jahr", "Beschäftigte"])
    ws.append(["Bayern", "C", 2014, 1339581])
    ws.append(["Bremen", "C", 2014, 54400])
    other = wb.create_sheet("Methodik")
    other.append(["Stichprobe", "Anteil", "Fehler"])
    for i in range(3):
        other.append([i + 1, 0.25 * (i + 1), 0.01])
    src = tmp_path / "two_sheets.xlsx"
    wb.save(src)
    out = tmp_path / "o.csv"
    proc = _cli(capsys, "ingest", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    got = _cells(pl.read_csv(out, infer_schema_length=0))
    assert got[("2014", "Bayern", "C")][0] == 1339581.0 and len(got) == 2
