"""Agency files in layouts the other tests do not cover (session 23): each test names the real
source whose layout its made-up input is written in, reads it with ingest (and lq or detect)
as a user would, and checks the figures by hand."""

from __future__ import annotations

from conftest import ingest_text


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
