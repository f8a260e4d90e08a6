"""Review of session 21's reading heuristics: files of other kinds that a new word, guess or
check now misread or refused (each test names the commit it corrects).  The tables are
made up in the layouts of the offices named."""
from __future__ import annotations

import pytest

from conftest import csv_rows, run_main

from clusterid.io.readers.text import decode

_HEADER = "region,industry,year,employment\n"


@pytest.mark.parametrize("text, encoding", [
    # (362ab41) each high byte a lead byte taking the ASCII letter after it: one ideograph
    ("Children’s services,Q,2020,5\n", "cp1252"),              # 92 73: a cp932 kanji
    ("Castilla-La Mancha °C,C,2022,96938\n", "cp1252"),         # B0 43: a cp950 hanzi
    ("Gastgewerbe,°C,2020,89505\n", "latin-1"),
    ("A Coruña,C,2020,5\n", "cp1252"),
])
def test_a_western_file_with_one_accent_is_not_read_as_east_asian(text, encoding):
    """362ab41 read these as cp932 or cp950 (exit 0, the word a kanji and the next letter gone):
    an East Asian reading needs two of its letters side by side somewhere."""
    got, name = decode((_HEADER + text).encode(encoding))
    assert name == "cp1252" and got == _HEADER + text


@pytest.mark.parametrize("text, page", [
    ("地域,産業,年,従業者数\n東京都,E,2020,5\n", "cp932"),
    ("地区,行业,年份,就业人员\n北京市,C,2020,5\n", "gb18030"),
    ("縣市別,行業別,年,受僱員工人數\n臺北市,C,2020,5\n", "cp950"),
    ("시도,산업,연도,종사자수\n서울특별시,C,2020,5\n", "cp949"),
])
def test_short_east_asian_tables_still_decode(text, page):
    assert decode(text.encode(page)) == (text, page)


def test_a_median_or_per_worker_earnings_column_is_no_wage_total(tmp_path, capsys):
    """d0b7970 made 'earnings' a wage word: the ACS's 'Median earnings' (and 'Earnings per
    worker') beside employment became the wages column, a median summed as a total
    (Autauga's construction: wages 41,250 dollars).  A median or a wage per person is an
    average: the column is not read, as 'Average earnings' is not."""
    for heading in ("Median earnings", "Earnings per worker"):
        src = tmp_path / "acs.csv"
        src.write_text(f"county,naics,year,employment,{heading}\n01001,23,2021,1200,41250\n"
                       "01001,31-33,2021,3400,45120\n", encoding="utf-8")
        out = tmp_path / "x.csv"
        code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
        assert code == 0, err
        assert f"column not read: '{heading}'" in err
        rows = csv_rows(out.read_text(encoding="utf-8"))
        assert "wages" not in rows[0] and [r["employment"] for r in rows] == ["1200.0", "3400.0"]


_SEPH_HEAD = ('"REF_DATE","GEO","DGUID","North American Industry Classification System (NAICS)",'
              '"Estimate","UOM","VALUE"\n')
_EMPLOYMENT = "Employment for all employees"
_EARNINGS = "Average weekly earnings including overtime for all employees"


def _seph(tmp_path, estimates):
    src = tmp_path / "14100223.csv"
    src.write_text(_SEPH_HEAD + "".join(
        f'"2023","Nova Scotia","2016A000212","{naics}","{est}","{uom}","{value}"\n'
        for naics in ("Manufacturing [31-33]", "Construction [23]")
        for est, uom, value in estimates), encoding="utf-8")
    return src


def test_an_average_wage_indicator_beside_others_is_the_rows_to_keep_apart(tmp_path, capsys):
    """d0b7970 refused an indicator column if any of its values named an average wage: a
    Показатель (or StatCan 'Estimate') holding employment and the average wage was refused
    as 'the column names an average wage ... say what the cells hold with --measure', and
    under --measure employment the same.  Before, and again: the rows differing only in it
    are named, to keep one indicator's."""
    src = tmp_path / "ru.csv"
    src.write_text("Регион,ОКВЭД,Год,Показатель,Значение\n" + "".join(
        f"Белгородская область,{okved},2022,\"{indicator}\",{value}\n"
        for indicator, value in (("Среднесписочная численность работников, человек", 120000),
                                 ("Среднемесячная номинальная начисленная заработная плата, рублей", 55000))
        for okved in ("C", "F")), encoding="utf-8")
    for extra in ([], ["--measure", "employment"]):
        code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv"), *extra], capsys)
        assert code == 1 and "differ only in a column not read" in err, err
        assert "names an average wage" not in err


def test_an_average_wage_indicator_under_measure_is_read_as_told(tmp_path, capsys):
    """The refusal's hint says 'or say what the cells hold with --measure'; d0b7970 refused
    under --measure too.  A title naming an average wage is not checked under --measure; nor
    now is an indicator's one value.  Without it, still refused."""
    src = _seph(tmp_path, [(_EARNINGS, "Current dollars", "1150.25")])
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1 and "names an average wage" in err
    out = tmp_path / "w.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out), "--measure", "wages"], capsys)
    assert code == 0, err
    assert [r["wages"] for r in csv_rows(out.read_text(encoding="utf-8"))] == ["1150.25", "1150.25"]


@pytest.mark.parametrize("heading", ["Employment in enterprises of 5 000 and more",
                                     "Employment (2,000-4,999 employees)"])
def test_a_number_ending_in_000_in_a_heading_is_no_thousands(tmp_path, capsys, heading):
    """3d3ada8 read "'000" in a heading as thousands (the ABS's "Employed total ('000)"), but
    as any '000' after a blank or comma: 'Employment in enterprises of 5 000 and more' (1,200
    persons) came out as 1,200,000.  The '000 a word of its own still scales."""
    src = tmp_path / "big.csv"
    src.write_text(f'region,industry,year,"{heading}"\nDE11,C,2020,1200\nDE12,C,2020,800\n', encoding="utf-8")
    out = tmp_path / "x.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    assert [r["employment"] for r in csv_rows(out.read_text(encoding="utf-8"))] == ["1200.0", "800.0"]
    src.write_text("region,industry,year,Employed total ('000)\nDE11,C,2020,1.2\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    assert [r["employment"] for r in csv_rows(out.read_text(encoding="utf-8"))] == ["1200.0"]


def test_a_download_date_in_a_title_is_no_period(tmp_path, capsys):
    """Eurostat's and the OECD's title line 'Data extracted on 15 March 2024': over a table of
    2021 and 2022, 611a929 warned that the title names 2024; over a table without a period it
    was read as 2024, silently.  A download's date is a release note's: no period."""
    title = '"Employment by NUTS 2 region and NACE Rev. 2 activity"\n"Data extracted on 15 March 2024"\n'
    src = tmp_path / "wide.csv"
    src.write_text(title + "region,industry,2021,2022\nDE11,C,100,110\nDE12,C,200,210\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 0 and "names 2024" not in err, err
    src = tmp_path / "none.csv"
    src.write_text(title + "region,industry,employment\nDE11,C,100\nDE12,C,200\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "y.csv")], capsys)
    assert code == 1 and "no period column recognised" in err, err
