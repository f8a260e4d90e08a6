"""Session 22's review of the session's own commits (helper 127): what they broke, each case
failing before its fix.  Every input is made up, in the layout of the source each test names.

1. 1b52e5e read "mn", "Mill.", "Mio." as millions only beside a listed currency or count noun:
   the Nordic offices' "(mill. kr)" (SSB), "(mio. kr.)" (Statistics Denmark), the Swiss FSO's
   "in Mio. Franken" and a snake_case heading "gva_mio_eur" lost their multiple, exit 0 -- 250.5
   million kroner read as 250.5 kroner.
2. e87b301 took a running head ('Page 2') over a page break for a second table's title: the
   pages after the first were not read, exit 0.
3. 5bbdc35 made sex and age columns breakdowns: one without its total was then said nowhere.
4. ... and gave an age column two total spellings ('Total', '15+'): both kept, every cell twice.
5. dcfb710 read Croatian cp1250 text ('Međimurska') as Nordic cp1252 ('Meðimurska').
"""

from __future__ import annotations

import pytest

from conftest import ingest_text

# --------------------------------------------------------------------------- 1. millions


@pytest.mark.parametrize("head", [
    "Bruttoprodukt (mill. kr)", "Produktion (mio. kr.)", "Omsætning, mio. kr.",
    "Wertschöpfung in Mio. Franken", "Output (Mio. Fr.)", "gva_mio_eur", "Output mio_eur"])
def test_nordic_swiss_and_snake_case_millions_headings_scale(head, tmp_path, capsys):
    code, err, rows = ingest_text(tmp_path, capsys, "gva.csv",
                                  f'Region,Industry,Year,"{head}"\nNorth,C,2021,250.5\nSouth,C,2021,120.25\n',
                                  "--measure-col", f"output={head}")
    assert code == 0, err
    assert [float(r["output"]) for r in rows] == [250.5e6, 120.25e6]


@pytest.mark.parametrize("unit", ["Mio. kr.", "mill. kr", "Mio. Franken", "Mio. Fr."])
def test_nordic_and_swiss_million_units_in_a_unit_column_scale(unit, tmp_path, capsys):
    code, err, rows = ingest_text(tmp_path, capsys, "gva.csv",
                                  f"Region,Industry,Year,Unit,Output\nNorth,C,2021,{unit},250.5\n"
                                  f"South,C,2021,{unit},120.25\n", "--measure", "output")
    assert code == 0, err
    assert [float(r["output"]) for r in rows] == [250.5e6, 120.25e6]


@pytest.mark.parametrize("head", ["Employment in Industry MN", "Mill_Creek_employment"])
def test_a_word_ending_in_a_currency_code_or_a_place_is_no_million(head, tmp_path, capsys):
    """'Industry MN' ends in 'try' (the Turkish lira's code) and was read as 'TRY mn'."""
    code, err, rows = ingest_text(tmp_path, capsys, "mn.csv",
                                  f'County,Industry,Year,"{head}"\nHennepin,C,2021,1200\nRamsey,C,2021,800\n',
                                  "--measure-col", f"employment={head}")
    assert code == 0, err
    assert [float(r["employment"]) for r in rows] == [1200.0, 800.0]


# --------------------------------------------------------------------------- 2. page breaks

# made up, in the shape of a printed yearbook exported to CSV: a running head over each page's
# repeated header (the page's rows continue the table: other regions)
_PAGE_1 = ("Table 1. Employed persons by region and industry, 2016,,\n"
           "Region,Industry,Employment\nNorth,C,100\nNorth,F,50\nSouth,C,80\nSouth,F,40\n")
_PAGE_2 = "{head},,\nRegion,Industry,Employment\nSouth,G,25\nEast,C,70\nEast,F,30\nWest,C,20\n"


@pytest.mark.parametrize("head", ["Statistical Yearbook 2017", "Page 2", "- 2 -  Employment"])
def test_a_running_head_over_a_page_break_is_one_table(head, tmp_path, capsys):
    """e87b301 took a running head over the repeated header for a second table's title and
    read the first page only, exit 0: East and West, and South's G, were never read."""
    code, err, rows = ingest_text(tmp_path, capsys, "printed.csv",
                                  _PAGE_1 + _PAGE_2.format(head=head), "--period", "2016")
    assert code == 0, err
    assert sorted((r["region"], r["industry"]) for r in rows) == sorted([
        ("North", "C"), ("North", "F"), ("South", "C"), ("South", "F"),
        ("South", "G"), ("East", "C"), ("East", "F"), ("West", "C")]), err
    assert "second table" not in err


def test_a_running_head_over_a_page_break_in_a_sheet_is_one_table(tmp_path, capsys):
    from openpyxl import Workbook

    from conftest import csv_rows, run_main

    wb = Workbook()
    for line in (_PAGE_1 + _PAGE_2.format(head="Page 2")).splitlines():
        wb.active.append([int(c) if c.isdigit() else (c or None) for c in line.split(",")])
    src = tmp_path / "printed.xlsx"
    wb.save(src)
    code, out, err = run_main(["ingest", str(src), "-o", "-", "--period", "2016"], capsys)
    assert code == 0, err
    assert len(csv_rows(out)) == 8 and "second table" not in err, err


def test_a_second_table_repeating_the_keys_under_a_running_head_is_still_said(tmp_path, capsys):
    """The same header under a running head, over the same regions and industries again (the
    next year's table): a second table, read as e87b301 reads it."""
    second = "Page 2,,\nRegion,Industry,Employment\nNorth,C,110\nNorth,F,55\nSouth,C,85\nSouth,F,45\n"
    code, err, rows = ingest_text(tmp_path, capsys, "yearbook.csv", _PAGE_1 + second, "--period", "2016")
    assert code == 0, err
    assert len(rows) == 4 and "a second table starts on line 7 ('Page 2'" in err, err


# --------------------------------------------------------------------------- 3. unread breakdowns

@pytest.mark.parametrize("text,column", [
    # 5bbdc35 made any column with an age word a breakdown: 'Average age' was said as not read
    # at a6a3073, then left out unsaid
    ("Year,Region,Industry,Average age,Employment\n2021,North,C,41.2,900\n2021,South,C,39.8,450\n"
     "2021,North,F,44.0,300\n", "Average age"),
    # a sex or age column of one category, no total: the rows are that category's, the column
    # no part of what was read -- said, never passed over
    ("Year,Region,Sex,Industry,Employment\n2021,North,Male,C,100\n2021,South,Male,C,50\n", "Sex"),
    ("Year,Region,Age,Industry,Employment\n2021,North,15-24,C,100\n2021,South,15-24,C,50\n", "Age")])
def test_a_breakdown_column_without_its_total_is_said_as_not_read(text, column, tmp_path, capsys):
    code, err, rows = ingest_text(tmp_path, capsys, "t.csv", text)
    assert code == 0, err
    assert f"column not read: '{column}'" in err, err
    assert len(rows) == len(text.splitlines()) - 1


# --------------------------------------------------------------------------- 4. two totals

def test_an_age_column_with_total_beside_15_plus_keeps_the_total(tmp_path, capsys):
    """5bbdc35 made '15+' an all-ages member beside 'Total': a table giving both (ILO- and
    Eurostat-style age bands) had each cell twice, 'duplicate row' on every line, exit 1;
    a6a3073 read the Total rows (950, 460)."""
    code, err, rows = ingest_text(tmp_path, capsys, "ages.csv",
                                  "Year,Region,Age,Industry,Employment\n2021,North,Total,C,950\n"
                                  "2021,North,15+,C,900\n2021,North,15-24,C,100\n2021,South,Total,C,460\n"
                                  "2021,South,15+,C,450\n2021,South,15-24,C,50\n")
    assert code == 0, err
    assert sorted((r["region"], float(r["employment"])) for r in rows) == [("North", 950.0), ("South", 460.0)]
    assert "4 rows of one Age category" in err


def test_total_spellings_differing_between_cells_each_keep_their_own(tmp_path, capsys):
    code, err, rows = ingest_text(tmp_path, capsys, "ages.csv",
                                  "Year,Region,Age,Industry,Employment\n2021,North,Total,C,950\n"
                                  "2021,North,15-24,C,100\n2021,South,All ages,C,460\n2021,South,15-24,C,50\n")
    assert code == 0, err
    assert sorted((r["region"], float(r["employment"])) for r in rows) == [("North", 950.0), ("South", 460.0)]


# --------------------------------------------------------------------------- 5. cp1250 text

def _regions(tmp_path, capsys, names, encoding):
    from conftest import csv_rows, run_main

    src = tmp_path / "t.csv"
    src.write_bytes(("Region,Industry,Year,Employment\n"
                     + "".join(f"{r},C,2021,{1000 + i}\n" for i, r in enumerate(names))).encode(encoding))
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    return {r["region"] for r in csv_rows(out)}


@pytest.mark.parametrize("names", [["Međimurska", "Grad Zagreb", "Istarska"],
                                   ["Međimurska", "Grad Zagreb", "Đakovo"]])
def test_croatian_windows_text_stays_central_european(names, tmp_path, capsys):
    """dcfb710 read a cp1250 text whose only letters apart from cp1252's are Nordic-looking as
    cp1252: Croatian's đ came out ð, 'Meðimurska', 'Ðakovo', exit 0 (a6a3073 read them)."""
    assert _regions(tmp_path, capsys, names, "cp1250") == set(names)


@pytest.mark.parametrize("names", [["Region Sjælland", "Område Nord", "Region Hovedstaden"],
                                   ["Höfuðborgarsvæðið", "Suðurnes", "Vesturland"],
                                   ["Þingeyjarsveit", "Akureyri", "Reykjavík"]])
def test_danish_and_icelandic_windows_text_stays_western(names, tmp_path, capsys):
    assert _regions(tmp_path, capsys, names, "cp1252") == set(names)


# --------------------------------------------------------------------------- 6. CBP national

def _cbp_us_with(tmp_path, heading, value_of):
    from pathlib import Path

    lines = (Path(__file__).parent / "data" / "cbp" / "cbp21us_excerpt.txt").read_text(encoding="utf-8").splitlines()
    out = [lines[0] + f',"{heading}"']
    for i, line in enumerate(lines[1:]):
        out.append(line + f',"{value_of(line.split(",")[0].strip(chr(34)), i)}"')
    src = tmp_path / "cbp21us_plus.txt"
    src.write_text("\n".join(out) + "\n", encoding="utf-8")
    return src


def test_cbp_national_file_with_a_title_of_each_code_reads_as_without(tmp_path, capsys):
    """3ebcb30 refused any column the record layouts lack in a national file, so a US file
    with each code's title joined in ('naics_title') was refused, exit 1; a6a3073 read it.
    A column holding one value per code (and not one for all) is no area or year."""
    from conftest import run_main

    src = _cbp_us_with(tmp_path, "naics_title", lambda code, i: f"Title of {code}")
    code, titled, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    assert "column not read: 'naics_title'" in err
    from pathlib import Path

    plain = Path(__file__).parent / "data" / "cbp" / "cbp21us_excerpt.txt"
    code, want, _err = run_main(["ingest", str(plain), "-o", "-"], capsys)
    assert code == 0 and titled == want


@pytest.mark.parametrize("heading,value_of", [
    ("geoid", lambda code, i: "49001"),                      # one county's cut: one value for all
    ("year", lambda code, i: "2021" if i % 2 else "2022")])  # a stacked panel: two per code
def test_cbp_national_layout_with_an_area_or_year_column_is_still_refused(heading, value_of, tmp_path, capsys):
    from conftest import run_main

    src = _cbp_us_with(tmp_path, heading, value_of)
    code, _out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and f"column '{heading}': a County Business Patterns table with columns" in err, err
