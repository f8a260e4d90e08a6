"""Agency files in layouts the other tests do not cover (session 23): each test names the real
source whose layout its made-up input is written in, reads it with ingest (and lq or detect)
as a user would, and checks the figures by hand."""

from __future__ import annotations

import pytest
from conftest import csv_rows, ingest_text, run_main


# A table of NAICS industries across, counties down, as the Census Bureau's and the state
# LMI offices' "download as CSV" give a county x industry table (e.g. a CBP extract pivoted by
# NAICS 4-digit industry, or QCEW's data viewer by 6-digit industry).  NAICS's mining codes
# 2111, 2121, 2122, 2131 have the shape of years 2111 ... and 211111 ("2111M11"), 212312
# ("2121M12") that of months.  Made-up figures.
def test_naics_mining_codes_across_are_industries_not_years(tmp_path, capsys):
    """Read as periods, the table was refused on 2211 ('column heading among the period
    columns is not a period') or, holding the mining codes only, had no industry column:
    codes after 2100 read as years are industries when they are industry codes."""
    text = ("county,2111,2121,2122,2131,2211\n"
            "49001,10,20,(D),40,50\n"
            "49003,11,21,31,41,51\n")
    code, err, rows = ingest_text(tmp_path, capsys, "mining_naics4_by_county.csv", text, "--period", "2016")
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert len(rows) == 10
    assert {r["period"] for r in rows} == {"2016"}
    assert got[("49001", "2121")]["employment"] == "20.0"
    assert got[("49001", "2121")]["level"] == "4"
    assert got[("49001", "2122")]["employment_status"] == "suppressed"
    assert got[("49003", "2211")]["employment"] == "51.0"


def test_naics_six_digit_codes_across_are_not_months(tmp_path, capsys):
    text = ("county,211111,211112,212312,213111,334511\n"
            "49001,10,20,30,40,50\n"
            "49003,11,21,31,41,51\n")
    code, err, rows = ingest_text(tmp_path, capsys, "naics6_by_county.csv", text, "--period", "2016")
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert len(rows) == 10
    assert got[("49003", "212312")]["employment"] == "31.0"
    assert got[("49003", "212312")]["level"] == "6"


def test_years_across_still_are_years(tmp_path, capsys):
    text = ("region,industry,2015,2016,2017\n"
            "A,C,1,2,3\n"
            "B,C,4,5,6\n")
    code, err, rows = ingest_text(tmp_path, capsys, "years_across.csv", text)
    assert code == 0, err
    assert sorted({r["period"] for r in rows}) == ["2015", "2016", "2017"]


# stat.gov.kz's and Rosstat's tables number their columns on the row under the header: a
# Cyrillic letter over the key column ("А"), then 1, 2, 3 over the figures (the "графы" of the
# statistical forms and bulletins).  Made-up figures, a title line as the bulletins have it,
# semicolons as their CSV export writes them.
_KZ_NUMBERED = ("Численность работников по регионам, 2022 год\n\n"
                "{corner};Промышленность;Строительство;Образование\n"
                "А;1;2;3\n"
                "Акмолинская область;20000;х;30000\n"
                "Актюбинская область;30000;10000;35000\n")


def test_stat_gov_kz_column_numbers_under_the_header_are_no_region(tmp_path, capsys):
    """The numbering row was read as a region 'А' employing 1, 2 and 3 (exit 0), or, under
    a blank corner, made the region column unrecognised."""
    for corner in ("Регион", ""):
        code, err, rows = ingest_text(tmp_path, capsys, "kz_numbered_columns.csv",
                                      _KZ_NUMBERED.format(corner=corner))
        assert code == 0, err
        got = {(r["region"], r["industry"]): r for r in rows}
        assert {r["region"] for r in rows} == {"Акмолинская область", "Актюбинская область"}
        assert len(rows) == 6
        assert got[("Актюбинская область", "F")]["employment"] == "10000.0"
        assert got[("Акмолинская область", "F")]["employment_status"] == "suppressed"
        assert "1 column-numbering row under the header" in err


def test_a_latin_a_row_of_small_figures_is_still_data(tmp_path, capsys):
    text = "region,industry,2015,2016,2017\nA,C,1,2,3\nB,C,4,5,6\n"
    code, err, rows = ingest_text(tmp_path, capsys, "toy.csv", text)
    assert code == 0, err
    assert len(rows) == 6 and "numbering" not in err


def test_a_footnote_in_superscript_with_its_bracket_is_no_part_of_the_name(tmp_path, capsys):
    """'г. Астана¹)' (Word's and Excel's superscript note mark, closed by a bracket) kept its
    mark: another region than 'г. Астана' in the next year's file."""
    text = ("Регион;Отрасль;Год;Численность работников\n"
            "Акмолинская область;F;2021;100\nг. Астана¹);F;2021;200\n"
            "Акмолинская область;F;2022;110\nг. Астана;F;2022;210\n")
    code, err, rows = ingest_text(tmp_path, capsys, "kz_two_years.csv", text)
    assert code == 0, err
    assert {r["region"] for r in rows} == {"Акмолинская область", "г. Астана"}


def test_stat_gov_kz_section_codes_under_the_titles_across(tmp_path, capsys):
    """The sections' titles across over a row of their codes (its first cell empty), as a
    yearbook sheet has them: the row was 'empty key cell' and "not a number (found 'B-E')" on
    every column; the codes are now the titles' codes and the row is left out, counted."""
    text = ("Численность работников по видам экономической деятельности, 2022 год\n"
            ";Всего;Сельское, лесное и рыбное хозяйство;Промышленность;Строительство\n"
            ";;A;B-E;F\n"
            "Акмолинская область;120000;15000;20000;х\n"
            "Актюбинская область;140000;9000;30000;10000\n")
    code, err, rows = ingest_text(tmp_path, capsys, "kz_titles_over_codes.csv", text)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert len(rows) == 8
    assert got[("Актюбинская область", "B-E")]["employment"] == "30000.0"
    assert got[("Актюбинская область", "B-E")]["industry_name"] == "Промышленность"
    assert got[("Акмолинская область", "10")]["employment"] == "120000.0"
    assert got[("Акмолинская область", "F")]["employment_status"] == "suppressed"
    assert "1 row of section codes under the titles across" in err


# Regionalstatistik (regionalstatistik.de, table 13111-01-02-4 "Sozialversicherungspflichtig
# Beschäftigte am Arbeitsort") as its CSV export gives the depth "Gemeinden": the key column
# unnamed, the Kreise under their 5-digit AGS, the Gemeinden under the 12-digit
# Regionalschlüssel (ARS), ';' separated, Latin-1.  Made-up figures.
_DE_ARS = ("Sozialversicherungspflichtig Beschäftigte am Arbeitsort;;;;\n"
           "Stichtag 30.06. - regionale Tiefe: Gemeinden;;;;\n"
           ";;;Insgesamt;Verarbeitendes Gewerbe (C)\n"
           "30.06.2022;08115;Böblingen, Landkreis;150000;50000\n"
           "30.06.2022;081150003003;Böblingen, Stadt;35000;12000\n"
           "30.06.2022;081155001001;Aidlingen;3000;1000\n"
           "30.06.2022;08111;Stuttgart, Landeshauptstadt;420000;70000\n"
           "30.06.2022;081155009;Gemeindeverwaltungsverband Aidlingen;3500;1100\n")


def test_regionalstatistik_ars_keys_are_gemeinden_not_summed_with_their_kreis(tmp_path, capsys):
    """A 12-digit ARS beside the 5-digit Kreise left every region without a level, so lq's
    benchmark summed Landkreis Böblingen with its own Gemeinden (608,000 employees, not the
    Kreise's 570,000) and every LQ was off."""
    src = tmp_path / "13111-01-02-4.csv"
    src.write_bytes(_DE_ARS.encode("latin-1"))
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    levels = {r["region"]: r["region_level"] for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert levels == {"08115": "kreis", "08111": "kreis", "081150003003": "gemeinde",
                      "081155001001": "gemeinde", "081155009": "gemeindeverband"}
    lq = tmp_path / "lq.csv"
    code, _out, err = run_main(["lq", str(out), "-o", str(lq)], capsys)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in csv_rows(lq.read_text(encoding="utf-8"))}
    boeblingen = got[("08115", "C")]
    assert float(boeblingen["benchmark_total"]) == 570000  # the two Kreise
    assert float(boeblingen["lq"]) == pytest.approx((50000 / 150000) / (120000 / 570000), rel=1e-6)
    assert float(got[("081150003003", "C")]["benchmark_total"]) == 38000  # the two Gemeinden


def test_a_workbook_whose_contents_sheet_holds_numbers_names_the_sheet_read(tmp_path, capsys):
    """stat.gov.kz's and Rosstat's bulletins open with a contents sheet (table numbers and
    pages: figures), read for the table and refused with no word of the sheet or of --sheet;
    the refusal now names the sheet read and the others, and --sheet reads the table."""
    from openpyxl import Workbook

    wb = Workbook()
    contents = wb.active
    contents.title = "Содержание"
    contents.append(["Содержание"])
    contents.append(["Таблица", "Наименование", "Стр."])
    contents.append([1, "Численность работников по регионам", 3])
    contents.append([2, "Численность работников по видам деятельности", 5])
    table = wb.create_sheet("1")
    table.append(["Численность работников по регионам, 2022 год"])
    table.append(["Регион", "Промышленность", "Строительство"])
    table.append(["Акмолинская область", 20000, "х"])
    table.append(["Актюбинская область", 30000, 10000])
    src = tmp_path / "bulletin.xlsx"
    wb.save(src)
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "read the sheet 'Содержание', the first holding figures" in err
    assert "others with figures: '1': give the table's with --sheet" in err
    code, _out, err = run_main(["ingest", str(src), "-o", str(out), "--sheet", "1"], capsys)
    assert code == 0, err
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert {(r["region"], r["industry"], r["employment"]) for r in rows} == {
        ("Акмолинская область", "B-E", "20000.0"), ("Акмолинская область", "F", ""),
        ("Актюбинская область", "B-E", "30000.0"), ("Актюбинская область", "F", "10000.0")}
