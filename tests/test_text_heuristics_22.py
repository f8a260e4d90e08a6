"""Gaps in the generic reader's text heuristics left open in session 21, closed in session 22
(helper 121).  Every input is made up, in the layout of the source each test names.

1. A sex column's all-persons member spelled as the offices spell it ('All persons', 'Both
   sexes', 'Insgesamt', 'Оба пола' ...), under a sex heading in their languages.
2. Millions read from a heading or title only where the word is a unit.
3. An age column ('Age (years)', 'Years of age') is a breakdown of its all-ages total, never
   the period.
4. Japanese fiscal years (2021年度, 令和3年度) are refused as fiscal years; era years (令和3年)
   are read.
5. Short 8-bit tables in Greek, Arabic, Hebrew, Turkish, Baltic and Kazakh code pages, and
   EUC-JP kanji, decode in their own code page, or are refused naming the candidates.
"""

from __future__ import annotations

import pytest

from conftest import ingest_text

# --------------------------------------------------------------------------- 1. sex totals

# Stats NZ's and the ABS's tables by sex: Male, Female and the all-persons row of each key
_BY_SEX = ("Year,Region,{head},Industry,Employment\n"
           "2021,Auckland,Male,A Agriculture,1200\n2021,Auckland,Female,A Agriculture,800\n"
           "2021,Auckland,\"{total}\",A Agriculture,2000\n"
           "2021,Wellington,Male,C Manufacturing,700\n2021,Wellington,Female,C Manufacturing,400\n"
           "2021,Wellington,\"{total}\",C Manufacturing,1100\n")


@pytest.mark.parametrize("head,total", [
    ("Sex", "All persons"), ("Sex", "Persons"), ("Sex", "Both sexes"), ("Sex", "Total, both sexes"),
    ("Sex", "Alle"), ("Sex", "Insgesamt"), ("Sex", "Всего"), ("Sex", "Оба пола"),
    ("Gender", "All persons"), ("Geschlecht", "Insgesamt"), ("Пол", "Оба пола"),
    ("Sexe", "Ensemble"), ("Sexo", "Ambos sexos"), ("Kön", "Totalt"), ("性別", "総数")])
def test_sex_total_spellings_are_the_all_persons_rows(head, total, tmp_path, capsys):
    """'All persons' beside Males and Females was refused as 'rows of Sex categories only,
    none of all of them'; a column headed 'Пол' or 'Sexe' as 'rows that share a key differ
    only in a column not read'.  The all-persons rows are now read, the parts dropped and
    counted."""
    code, err, rows = ingest_text(tmp_path, capsys, "by_sex.csv", _BY_SEX.format(head=head, total=total))
    assert code == 0, err
    assert [(r["region"], r["industry"], float(r["employment"])) for r in rows] == [
        ("Auckland", "A", 2000.0), ("Wellington", "C", 1100.0)]
    assert f"4 rows of one {head} category" in err


def test_sex_parts_without_a_total_are_still_refused(tmp_path, capsys):
    """Males and Females alone: refused in one line, as before (nothing summed)."""
    text = "\n".join(ln for ln in _BY_SEX.format(head="Sex", total="X").splitlines() if '"X"' not in ln)
    code, err, _ = ingest_text(tmp_path, capsys, "by_sex.csv", text + "\n")
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]
    assert code == 1 and len(lines) == 1 and "rows of Sex categories only" in lines[0], err


# --------------------------------------------------------------------------- 3. age columns

# StatCan's LFS tables by age group (14-10-0023: "15 to 24 years" ... "15 years and over"),
# NOMIS's "Aged 16-64", Stats NZ's "15-24": each key once per age group and once for all ages
_BY_AGE = ("Year,Region,\"{head}\",Industry,Employment\n"
           "2021,Auckland,{a},A Agriculture,200\n2021,Auckland,{b},A Agriculture,300\n"
           "2021,Auckland,{c},A Agriculture,100\n2021,Auckland,{total},A Agriculture,600\n"
           "2021,Auckland,{a},C Manufacturing,500\n2021,Auckland,{b},C Manufacturing,700\n"
           "2021,Auckland,{c},C Manufacturing,150\n2021,Auckland,{total},C Manufacturing,1350\n")
_RANGES = {"a": "15-24", "b": "25-34", "c": "65+"}
_WORDS = {"a": "15 to 24 years", "b": "25 to 34 years", "c": "65 years and over"}


@pytest.mark.parametrize("head,ages,total", [
    ("Age (years)", _RANGES, "Total"), ("Years of age", _RANGES, "All ages"),
    ("Age group (years)", _WORDS, "15 years and over"), ("Age", _WORDS, "All ages"),
    ("Altersgruppe", _RANGES, "Insgesamt"), ("Возраст, лет", _RANGES, "Всего"),
    ("Age in years", _RANGES, "Total")])
def test_age_column_is_a_breakdown_not_the_period(head, ages, total, tmp_path, capsys):
    """'Age (years)' and 'Years of age' were the period column by their 'years': beside Year
    refused as two rival period columns, alone '15-24' was 'not a period' on every row; 'Age'
    with 'All ages' was 'rows of Age categories only', 'Altersgruppe' and 'Возраст, лет'
    columns not read.  The all-ages rows are now the table's."""
    code, err, rows = ingest_text(tmp_path, capsys, "by_age.csv", _BY_AGE.format(head=head, total=total, **ages))
    assert code == 0, err
    assert [(r["period"], r["industry"], float(r["employment"])) for r in rows] == [
        ("2021", "A", 600.0), ("2021", "C", 1350.0)]
    assert f"6 rows of one {head} category" in err


def test_age_column_without_a_year_column_is_no_period(tmp_path, capsys):
    """Without a Year column an age column is no period either: the table is refused as
    having no period column (with --period it reads)."""
    text = "\n".join(ln.split(",", 1)[1] for ln in _BY_AGE.format(head="Age (years)", total="Total",
                                                                   **_RANGES).splitlines()) + "\n"
    code, err, _ = ingest_text(tmp_path, capsys, "by_age.csv", text)
    assert code == 1 and "no period column recognised" in err and "not a period" not in err, err
    code, err, rows = ingest_text(tmp_path, capsys, "by_age.csv", text, "--period", "2021")
    assert code == 0 and [float(r["employment"]) for r in rows] == [600.0, 1350.0], err


def test_age_parts_without_a_total_are_refused_naming_the_column(tmp_path, capsys):
    """Age groups with no all-ages row: one line naming the column, nothing summed."""
    text = "\n".join(ln for ln in _BY_AGE.format(head="Age (years)", total="X", **_RANGES).splitlines()
                     if ",X," not in ln) + "\n"
    code, err, _ = ingest_text(tmp_path, capsys, "by_age.csv", text)
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]
    assert code == 1 and len(lines) == 1, err
    assert "column 'Age (years)': rows of Age (years) categories only" in lines[0]


def test_a_measure_of_an_age_group_stays_the_measure(tmp_path, capsys):
    """'Employed persons aged 15-64' is employment, not an age column."""
    code, err, rows = ingest_text(tmp_path, capsys, "emp.csv",
                                  "Year,Region,Industry,Employed persons aged 15-64\n"
                                  "2021,Auckland,A,600\n2021,Auckland,C,1350\n")
    assert code == 0 and [float(r["employment"]) for r in rows] == [600.0, 1350.0], err


# --------------------------------------------------------------------------- 2. millions

@pytest.mark.parametrize("head,title", [
    ("Mill Creek employment", None), ("Employment MN", None), ("Employment (MN)", None),
    ("Mill employment", None), ("Employment", "Mill Creek Township"), ("Employment", "MN employment"),
    ("Employment", "Employment by county and industry, MN")])
def test_mill_and_mn_that_are_no_unit_scale_nothing(head, title, tmp_path, capsys):
    """'mn' and 'mill' in any heading word, and a short title line starting with them, scaled
    the table by a million: Minnesota's counties' 1,200 jobs came out 1,200,000,000, exit 0."""
    text = (f"{title}\n\n" if title else "") + f"County,Industry,Year,{head}\nHennepin,C,2021,1200\nRamsey,C,2021,800\n"
    code, err, rows = ingest_text(tmp_path, capsys, "mn.csv", text, "--measure", "employment")
    assert code == 0, err
    assert [float(r["employment"]) for r in rows] == [1200.0, 800.0]


def test_jobs_per_million_residents_is_a_ratio_not_a_scaled_count(tmp_path, capsys):
    """'Jobs per million residents' scaled nothing (above, until session 25); since then it is
    read as what it is, a ratio, no count of jobs: refused as no measure column, never
    multiplied by a million."""
    text = "County,Industry,Year,Jobs per million residents\nHennepin,C,2021,1200\nRamsey,C,2021,800\n"
    code, err, rows = ingest_text(tmp_path, capsys, "mn.csv", text, "--measure", "employment")
    assert code != 0 and "no measure column recognised" in err, err


@pytest.mark.parametrize("head", [
    "Gross value added (£ million)", "Bruttowertschöpfung (Mill. EUR)", "Output in Mio. EUR",
    "Output (mn)", "Output (EUR mn)", "GVA £mn", "Output, mn", "Output in Mill.", "GVA (US$ mn)",
    "Output [Mio.]", "Output (millions of dollars)"])
def test_millions_as_a_unit_still_scale(head, tmp_path, capsys):
    """The units as the offices write them are read as before."""
    code, err, rows = ingest_text(tmp_path, capsys, "gva.csv",
                                  f'Region,Industry,Year,"{head}"\nNorth,C,2021,250.5\nSouth,C,2021,120.25\n',
                                  "--measure", "output")
    assert code == 0, err
    assert [float(r["output"]) for r in rows] == [250.5e6, 120.25e6]


# --------------------------------------------------------------------------- 4. Japanese years

# e-Stat's CSV (a 年度 or 年 column, or the years across), in UTF-8 as the API writes it
_JP = "年度,地域,産業,従業者数\n{a},北海道,E,1200\n{a},青森県,E,800\n{b},北海道,E,1300\n{b},青森県,E,850\n"


@pytest.mark.parametrize("a,b,first", [("2021年度", "2022年度", "2021 or 2022"),
                                       ("令和3年度", "令和4年度", "2021 or 2022"),
                                       ("平成30年度", "令和元年度", "2018 or 2019")])
def test_japanese_fiscal_years_are_refused_as_fiscal_years(a, b, first, tmp_path, capsys):
    """A 年度 column was 'not a period' on every row beside 'duplicate row' errors (and its
    years across 'no period column recognised'): each label is now refused once as a fiscal
    year, with the calendar years it may stand for, as 2016/17 is."""
    for text in (_JP.format(a=a, b=b), f"地域,産業,{a},{b}\n北海道,E,1200,1300\n青森県,E,800,850\n"):
        code, err, _ = ingest_text(tmp_path, capsys, "jp.csv", text, "--classification", "custom")
        lines = [ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]
        assert code == 1 and len(lines) == 2, err
        assert "a fiscal year, not a calendar period" in lines[0] and f"found '{a}'" in lines[0]
        assert f"({first})" in lines[0] and "April to March" in lines[0]


@pytest.mark.parametrize("a,b,years", [("2021年", "2022年", ["2021", "2022"]),
                                       ("令和3年", "令和4年", ["2021", "2022"]),
                                       ("平成31年", "令和2年", ["2019", "2020"]),
                                       ("令和元年", "令和2年", ["2019", "2020"])])
def test_japanese_calendar_and_era_years_are_read(a, b, years, tmp_path, capsys):
    """'2021年' was read; an era's year (令和3年: 2021, 令和元年: 2019) now is too."""
    for text in (_JP.replace("年度,", "年,", 1).format(a=a, b=b),
                 f"地域,産業,{a},{b}\n北海道,E,1200,1300\n青森県,E,800,850\n"):
        code, err, rows = ingest_text(tmp_path, capsys, "jp.csv", text, "--classification", "custom")
        assert code == 0, err
        assert sorted({r["period"] for r in rows}) == years
        assert sorted(float(r["employment"]) for r in rows) == [800.0, 850.0, 1200.0, 1300.0]


# --------------------------------------------------------------------------- 5. short 8-bit files

def _ingest_bytes(tmp_path, capsys, data: bytes, *extra):
    from conftest import csv_rows, run_main

    src = tmp_path / "t.csv"
    src.write_bytes(data)
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out), *extra], capsys)
    return code, err, csv_rows(out.read_text(encoding="utf-8")) if code == 0 else []


@pytest.mark.parametrize("encoding,names", [
    # ELSTAT (Greek, Windows-1253), GASTAT (Arabic, Windows-1256) as Excel saves a CSV there;
    # stat.gov.kz's Kazakh names in KZ-1048, some with none of the letters it was told by
    ("cp1253", ["Αττική", "Κρήτη"]), ("cp1253", ["Πελοπόννησος"]), ("cp1253", ["ΑΤΤΙΚΗ", "ΚΡΗΤΗ"]),
    ("cp1256", ["الرياض", "مكة المكرمة"]), ("cp1256", ["البناء"]),
    ("kz1048", ["Өңірлер", "Жамбыл облысы"]), ("kz1048", ["Ғылыми орталық"]),
    ("kz1048", ["Түркістан облысы"]), ("kz1048", ["өнеркәсіп"]),
    ("euc_jp", ["兵庫県"]), ("euc_jp", ["千葉県", "福岡県"])])
def test_short_tables_in_other_alphabets_decode_in_their_code_page(encoding, names, tmp_path, capsys):
    """A short Greek or Arabic table was read as Cyrillic (cp1251, KOI8-R) or as a Japanese or
    Chinese page, a Kazakh one in KOI8-R or cp1251, kanji in EUC-JP as Korean: the region names
    came out as others ('Ресйцэсейб', '兵庫県' as '迦맷릇'), exit 0."""
    rows = "".join(f"{name},C,2021,{1000 + i}\n" for i, name in enumerate(names))
    code, err, out = _ingest_bytes(tmp_path, capsys, ("Region,Industry,Year,Employment\n" + rows).encode(encoding))
    assert code == 0, err
    assert sorted(r["region"] for r in out) == sorted(names)


def test_a_file_that_reads_alike_in_several_pages_is_refused_naming_them(tmp_path, capsys):
    """One Arabic word of three letters is as good Cyrillic, Greek and Arabic: refused in one
    line naming the pages and --encoding (it was read as cp932, exit 0); --encoding reads it."""
    data = "Region,Industry,Year,Employment\nجدة,C,2021,3591\n".encode("cp1256")
    code, err, _ = _ingest_bytes(tmp_path, capsys, data)
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]
    assert code == 1 and len(lines) == 1, err
    assert "cannot tell the file's encoding" in lines[0] and "Arabic (cp1256)" in lines[0]
    assert "Greek (cp1253)" in lines[0] and "--encoding cp1256" in lines[0]
    code, err, out = _ingest_bytes(tmp_path, capsys, data, "--encoding", "cp1256")
    assert code == 0 and out[0]["region"] == "جدة", err


def test_two_kanji_alone_are_refused_naming_the_pages(tmp_path, capsys):
    """'総数' alone in EUC-JP is two Cyrillic letters' bytes as well: refused naming both."""
    data = "Region,Industry,Year,Employment\n総数,C,2021,2952\n".encode("euc_jp")
    code, err, _ = _ingest_bytes(tmp_path, capsys, data)
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]
    assert code == 1 and len(lines) == 1 and "--encoding euc_jp" in lines[0], err


@pytest.mark.parametrize("encoding,names", [
    ("cp1251", ["Москва", "Санкт-Петербург"]), ("koi8-r", ["Москва", "Белгородская область"]),
    ("cp1251", ["Київ", "Харківська область"]), ("cp1252", ["Baden-Württemberg", "Thüringen"]),
    ("cp1250", ["Středočeský kraj", "Plzeňský kraj", "Moravskoslezský kraj"]), ("latin-1", ["Köln", "Düsseldorf"])])
def test_cyrillic_and_latin_tables_read_as_before(encoding, names, tmp_path, capsys):
    """Short Cyrillic and Latin tables decode as they did (the Cyrillic ones in their page)."""
    rows = "".join(f"{name};C;2021;{1000 + i}\n" for i, name in enumerate(names))
    code, err, out = _ingest_bytes(tmp_path, capsys, ("Region;Industry;Year;Employment\n" + rows).encode(encoding))
    assert code == 0, err
    assert sorted(r["region"] for r in out) == sorted(names)
