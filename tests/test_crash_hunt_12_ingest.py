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


def _by_key(out):
    return {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}


def test_years_merged_over_oked_sections_in_xlsx(capsys):
    # stat.gov.kz / Rosstat sheet: years merged over section columns (openpyxl merged cells,
    # 'Регион' merged down over the two header rows), unit and title rows above, a note below;
    # each section heading came twice: "duplicate column heading 'A'", exit 1
    code, out, err = run_main(["ingest", str(DATA / "kz_years_merged_over_oked_sections.xlsx"),
                               "-o", "-"], capsys)
    assert code == 0, err
    rows = _by_key(out)
    assert len(rows) == 12
    assert rows[("2021", "Акмолинская область", "A")]["employment"] == "1000.0"
    assert rows[("2022", "Акмолинская область", "A")]["employment"] == "1100.0"
    assert rows[("2021", "Алматинская область", "C")]["employment"] == "500.5"
    assert rows[("2022", "Алматинская область", "B")]["employment"] == "0.0"  # a published 0
    assert rows[("2021", "Акмолинская область", "C")]["employment_status"] == "suppressed"
    assert rows[("2021", "Алматинская область", "B")]["employment_flag"] == "-"


def test_oked_sections_over_years_in_cp1251_csv(capsys):
    # the same layout the other way round, as a CSV saves it: a section over its years, the
    # merged cell followed by an empty one, a 'Всего' column; a bad cell is named by its line
    code, out, err = run_main(["ingest", str(DATA / "kz_oked_sections_over_years_cp1251.csv"),
                               "-o", "-"], capsys)
    assert code == 0, err
    rows = _by_key(out)
    assert len(rows) == 12
    assert rows[("2022", "Акмолинская область", "10")]["employment"] == "1310.0"
    assert rows[("2021", "Алматинская область", "A")]["employment"] == "2000.0"
    assert rows[("2022", "Акмолинская область", "B")]["employment_flag"] == "к"
    assert rows[("2022", "Акмолинская область", "B")]["employment"] == ""


def test_a_bad_cell_under_years_over_sections_names_its_line(tmp_path, capsys):
    src = DATA / "kz_oked_sections_over_years_cp1251.csv"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(src.read_bytes().replace("1 310".encode("cp1251"), b"l3l0"))
    code, out, err = run_main(["ingest", str(bad), "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert "bad.csv:4: column 'Всего'" in err and "found 'l3l0'" in err, err


def test_kazakh_language_region_heading(capsys):
    # stat.gov.kz's Kazakh-language table: regions headed 'Облыстар' (oblasts), total 'Барлығы',
    # the republic's row a region total; the heading was not recognised ("no region column")
    code, out, err = run_main(["ingest", str(DATA / "kz_kazakh_language_oblystar_utf8.csv"),
                               "-o", "-"], capsys)
    assert code == 0, err
    rows = _by_key(out)
    assert len(rows) == 16 and "Қазақстан Республикасы" not in {k[1] for k in rows}
    assert rows[("2023", "Ақмола облысы", "10")]["employment"] == "1000.0"
    assert rows[("2023", "Алматы облысы", "C")]["employment_status"] == "suppressed"


def test_a_year_row_between_stacked_tables_is_refused_not_dropped(capsys):
    # a yearbook page of two tables one under the other: the title's '2021 год', the rows of
    # 2021, then '2022 год' on a row of its own and the rows of 2022. The year row was dropped
    # as a "note row" and the 2022 rows were written as 2021, exit 0
    code, out, err = run_main(["ingest", str(DATA / "kz_two_years_stacked_one_sheet.csv"),
                               "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert "kz_two_years_stacked_one_sheet.csv:6: column 'Область': a year on a row of its own" in err
    assert "found '2022 год'" in err and err.count("error:") == 1, err


def test_a_wide_table_titled_number_of_enterprises_holds_establishments(capsys):
    # a bulletin workbook: a contents sheet, sheet '1' "Численность работников" and sheet '2'
    # "Число предприятий", both wide by OKED section. Sheet 2's enterprise counts were written
    # as employment (the wide table's cells were always --measure's default)
    book = str(DATA / "kz_bulletin_contents_and_two_tables.xlsx")
    code, out, err = run_main(["ingest", book, "--sheet", "2", "-o", "-"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert "employment" not in rows[0] and [r["establishments"] for r in rows[:2]] == ["1.0", "2.0"]
    code, out, err = run_main(["ingest", book, "-o", "-"], capsys)  # the first with figures
    assert code == 0 and csv_rows(out)[0]["employment"] == "10.0", err
    code, out, err = run_main(["ingest", book, "--sheet", "2", "--measure", "employment", "-o", "-"], capsys)
    assert code == 0 and csv_rows(out)[0]["employment"] == "1.0", err  # --measure still decides


def test_an_average_wage_is_not_read_as_wage_totals(capsys):
    # stat.gov.kz's "Среднемесячная номинальная заработная плата" (tenge per worker): read as
    # `wages`, which clusterid sums over industries and regions and divides by employment
    code, out, err = run_main(["ingest", str(DATA / "kz_average_wage_long.csv"), "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert ("kz_average_wage_long.csv:1: column 'Среднемесячная номинальная заработная плата': "
            "an average wage column") in err, err
    code, out, err = run_main(["ingest", str(DATA / "kz_average_wage_wide_titled.csv"), "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert "kz_average_wage_wide_titled.csv: the title names an average wage" in err, err


def test_swiss_statent_kanton_and_noga_headings(capsys):
    # Swiss BFS STATENT export: 'Kanton', 'NOGA 2008' (NACE Rev. 2 with national subclasses),
    # apostrophe thousands, 'Schweiz' the national total. Refused: "no region column recognised"
    code, out, err = run_main(["ingest", str(DATA / "ch_statent_kanton_noga.csv"), "-o", "-"], capsys)
    assert code == 0, err
    rows = _by_key(out)
    assert set(rows) == {("2021", r, i) for r in ("Bern", "Zürich") for i in ("C", "F")}
    assert rows[("2021", "Zürich", "C")]["employment"] == "123456.0"
    assert rows[("2021", "Zürich", "C")]["establishments"] == "5432.0"
    assert rows[("2021", "Bern", "F")]["employment_status"] == "suppressed"
    assert "1 region total rows" in err


def test_a_no_break_space_inside_a_region_name_is_a_space(capsys):
    # a yearbook sheet's names typed with a no-break space or two spaces on some rows
    # ("Акмолинская\u00a0область"): each spelling was a region of its own
    code, out, err = run_main(["ingest", str(DATA / "kz_region_names_nbsp_and_double_space.csv"),
                               "-o", "-"], capsys)
    assert code == 0, err
    regions = [r["region"] for r in csv_rows(out)]
    assert sorted(set(regions)) == ["Акмолинская область", "Алматинская область"], regions


def test_a_bom_inside_a_eurostat_tsv_does_not_drop_its_line(capsys):
    # Eurostat bulk TSV lines (namq_10_a10_e excerpt) with a BOM before the third line's
    # dimensions, as `cat` of BOM-saved pieces leaves: its unit read '\ufeffTHS_PER' and the
    # line's three periods were dropped as "unit other than THS_PER"
    code, out, err = run_main(["ingest", str(DATA / "namq_10_a10_e_bulk_bom_mid_line.tsv"),
                               "-o", "-"], capsys)
    assert code == 0, err
    assert len(csv_rows(out)) == 9 and "9 rows kept, 0 dropped" in err, err
    assert "unit other than" not in err


def test_a_formula_saved_without_its_value_is_refused_not_suppressed(capsys):
    # a sheet written by openpyxl with a 'Всего' column of formulas (=B3+C3) and never opened
    # in a spreadsheet: the cells hold no value, openpyxl gives them empty, and the regions'
    # totals were written as suppressed cells, exit 0
    code, out, err = run_main(["ingest", str(DATA / "kz_oblasts_total_formula_never_calculated.xlsx"),
                               "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert ("kz_oblasts_total_formula_never_calculated.xlsx:3: column 'D': a formula saved without "
            "its value") in err and "found '=B3+C3'" in err and ":4: column 'D'" in err, err
    # the same sheet saved with the values (a plain and a shared formula): read as figures
    code, out, err = run_main(["ingest", str(DATA / "kz_oblasts_total_formula_calculated.xlsx"),
                               "-o", "-"], capsys)
    assert code == 0, err
    assert [r["employment"] for r in csv_rows(out) if r["industry"] == "10"] == ["300.0", "320.0"]


def test_a_header_of_numeric_oked_divisions_under_a_title(capsys):
    # stat.gov.kz table wide by OKED division ('Область;01;10;11') under a title line: the
    # codes look like figures, the title was taken for the header, and every row was "4
    # fields, the header has 1"
    code, out, err = run_main(["ingest", str(DATA / "kz_wide_oked_divisions_titled.csv"), "-o", "-"], capsys)
    assert code == 0, err
    rows = _by_key(out)
    assert set(k[2] for k in rows) == {"A01", "C10", "C11"}
    assert rows[("2022", "Алматинская область", "C10")]["employment"] == "400.0"


def test_a_header_repeated_after_a_page_break_is_not_a_region(capsys):
    # a print-formatted export repeating its header on each page ('Область;C;D;S'): the
    # repeat was a region 'Область' whose cells, the section letters C, D and S, are also
    # suppression markers -- three suppressed cells of a made-up region, exit 0
    code, out, err = run_main(["ingest", str(DATA / "kz_wide_header_repeated_after_page_break.csv"),
                               "-o", "-"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert len(rows) == 9 and "Область" not in {r["region"] for r in rows}
    assert all(r["employment_status"] == "reported" for r in rows)
    assert "1 rows repeating the header" in err


def test_the_kazakh_republic_total_row_is_a_region_total(capsys):
    # a Kazakh-language long table ending in 'Барлығы' and 'Республика бойынша' ("for the
    # Republic"): the second was kept as a region, its jobs counted twice in every sum
    code, out, err = run_main(["ingest", str(DATA / "kz_long_kazakh_republic_total_row.csv"), "-o", "-"],
                              capsys)
    assert code == 0, err
    assert sorted(r["region"] for r in csv_rows(out)) == ["Алматы облысы", "Ақмола облысы"]
    assert "2 region total rows" in err


def test_the_belarus_republic_row_is_a_region_total(capsys):
    # a Belstat yearbook table: 'Республика Беларусь' above its oblasts and Minsk was kept as
    # a region (its jobs counted twice in every sum and benchmark)
    code, out, err = run_main(["ingest", str(DATA / "by_belstat_oblasts_republic_row.csv"), "-o", "-"],
                              capsys)
    assert code == 0, err
    assert {r["region"] for r in csv_rows(out)} == {"Брестская область", "г. Минск"}
    assert "1 region total rows" in err
