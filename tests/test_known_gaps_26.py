"""Known gaps closed in session 26 (helper 'gaps'): one test group per gap.

1. A region numbered 0 ("00 Capital District", a pandas ``ngroup()`` numbering) was dropped as
   'region total rows' by its code alone, exit 0, its jobs gone from every benchmark.  A code
   of zeros whose name is no word for a total (nor a country) is a region, unless its figures
   are the sum of the other regions'.
2. A title line naming a place that begins with a multiple's word ("Million Dollar Highway",
   "Thousand Oaks") was read as the table's unit: every value times a million, exit 0.  A
   multiple's word followed by a capitalised word that is no unit word is a name, not a unit.
3. Short tables in Turkish (cp1254, ISO-8859-9, DOS cp857), Maltese (ISO-8859-3) and French
   with œ (cp1252) came out in another page ('Þanlýurfa', 'Ąal Qormi', 'Śting') or were
   refused as 'mixed encodings' (Maltese 'Ġżira' decodes as UTF-8's Armenian 'տira').
4. "Employment (average for the year)" was taken for a period column (its "year"): a
   measure's word outside brackets with the period's words only inside them is the measure.
5. "Employees (cost centre)" was refused as a cost (session 25's rule): a cost centre is the
   organisational unit the employees are counted in; "Labour cost" stays refused.
6. "Oct 2015-Sep 2016" (a fiscal year written as its months) was no period at all ('no period
   column recognised'): it is read as a fiscal year, and refused as fiscal years are
   ('2015/16'), located, naming the calendar years to relabel it with.
7. A table of one industry named only in its title (Rosstat: "Среднесписочная численность
   работников ... в обрабатывающих производствах", regions down, years across) was refused
   as having no industry column: the one NACE section its title names is every row's
   industry, said on stderr; a title naming two, or one it leaves out, names none.
"""

from __future__ import annotations

import pytest

from conftest import csv_rows, ingest_text, run_main, run_ok

# ------------------------------------------------------------------- 1. a region numbered 0

REGION_ZERO = ("region,region_name,industry,year,employment\n"
               "00,Capital District,C,2019,1200\n01,North,C,2019,800\n02,South,C,2019,500\n"
               "00,Capital District,F,2019,300\n01,North,F,2019,200\n02,South,F,2019,100\n")


def test_a_region_numbered_zero_with_a_name_is_a_region(tmp_path, capsys):
    code, err, rows = ingest_text(tmp_path, capsys, "districts.csv", REGION_ZERO)
    assert code == 0, err
    assert {r["region"] for r in rows} == {"00", "01", "02"}
    assert sum(float(r["employment"]) for r in rows if r["region"] == "00") == 1500.0
    assert "region total rows" not in err


def test_a_zero_code_named_as_a_country_or_summing_the_others_is_still_a_total(tmp_path, capsys):
    # 'Riket' is a word for the whole country; 'Ireland' (a name not known as a total) sums its
    # regions in every cell: both are the regions' total, dropped and counted
    for name, c, f in (("Riket", 1300, 300), ("Ireland", 1300, 300), ("Ireland", 1301, 300)):
        code, err, rows = ingest_text(
            tmp_path, capsys, "t.csv", "region,region_name,industry,year,employment\n"
            f"00,{name},C,2019,{c}\n01,Border,C,2019,800\n02,Midlands,C,2019,500\n"
            f"00,{name},F,2019,{f}\n01,Border,F,2019,200\n02,Midlands,F,2019,100\n")
        assert code == 0, err
        assert {r["region"] for r in rows} == {"01", "02"}, name
        assert "2 region total rows" in err


def test_an_unnamed_region_zero_smaller_than_a_region_is_a_region(tmp_path, capsys):
    # regions numbered from 0 with no names: '0' below region 1 in a cell is no total of them
    src = tmp_path / "ngroup.csv"
    src.write_text("region,industry,year,employment\n0,C,2019,300\n1,C,2019,800\n2,C,2019,500\n"
                   "0,F,2019,300\n1,F,2019,200\n2,F,2019,100\n", encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert {r["region"] for r in csv_rows(out)} == {"0", "1", "2"} and "region total rows" not in err
    # ... where SCB's '00' (Riket, codes alone) above its counties stays their total
    src.write_text("region,industry,year,employment\n00,C,2019,1300\n01,C,2019,800\n02,C,2019,500\n",
                   encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert {r["region"] for r in csv_rows(out)} == {"01", "02"} and "1 region total rows" in err


def test_a_canonical_table_keeps_its_region_zero(tmp_path, capsys):
    src = tmp_path / "canon.csv"
    src.write_text("period,region,ownership,industry,region_name,level,employment\n"
                   "2019,00,total,C,Capital District,1,1200\n2019,01,total,C,North,1,800\n"
                   "2019,02,total,C,South,1,500\n2019,00,total,F,Capital District,1,300\n"
                   "2019,01,total,F,North,1,200\n2019,02,total,F,South,1,100\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(src), "-o", "-"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert {r["region"] for r in rows} == {"00", "01", "02"}
    assert {r["benchmark_total"] for r in rows} == {"3100.0"}


# ------------------------------------------------------------------- 2. a place named 'Million ...'

WIDE_BY_YEAR = ("County,Industry,2018,2019\nOuray,Mining,120,125\nOuray,Retail,80,85\n"
                "San Juan,Mining,30,31\nSan Juan,Retail,500,510\n")


@pytest.mark.parametrize("title", ["Million Dollar Highway", "Employment (Million Dollar Highway)",
                                   "Jobs by industry, Thousand Oaks"])
def test_a_title_naming_a_place_is_no_unit(tmp_path, capsys, title):
    code, err, rows = ingest_text(tmp_path, capsys, "corridor.csv", title + "\n" + WIDE_BY_YEAR)
    assert code == 0, err
    assert {float(r["employment"]) for r in rows if r["region"] == "Ouray"} == {120.0, 125.0, 80.0, 85.0}


@pytest.mark.parametrize("title, factor", [("Employment (Thousands of Persons)", 1e3),
                                           ("Wages (Millions of Current Dollars)", 1e6),
                                           ("Employment, Thousands", 1e3),
                                           ("Erwerbstätige (Tsd. Erwerbstätige)", 1e3)])
def test_a_title_unit_in_title_case_still_scales(tmp_path, capsys, title, factor):
    code, err, rows = ingest_text(tmp_path, capsys, "units.csv", title + "\n" + WIDE_BY_YEAR)
    assert code == 0, err
    values = {float(r[m]) for r in rows for m in ("employment", "wages") if r.get(m) and r["region"] == "Ouray"}
    assert values == {120 * factor, 125 * factor, 80 * factor, 85 * factor}


# ------------------------------------------------------------------- 3. Turkish, Maltese, French œ

TURKISH = [
    "İl,Yıl,İstihdam\nİstanbul,2019,1200\nŞanlıurfa,2019,800\nMuğla,2019,500\n",
    "Bölge,Sektör,Yıl,Çalışan\nİzmir,İmalat,2019,1200\nAğrı,Tarım,2019,800\nKırşehir,Ticaret,2019,500\n",
    "il;faaliyet;yil;istihdam\nİstanbul;Imalat;2019;1200\nMuğla;Turizm;2019;500\nDüzce;Imalat;2019;40\n",
    "Il,Sektor,Yil,Istihdam\nIğdır,Tarım,2019,100\nŞırnak,Tarım,2019,200\nUşak,Imalat,2019,300\n",
]
MALTESE = [
    "Lokalità,Settur,Sena,Impjiegi\nĦal Qormi,Manifattura,2019,1200\nĦaż-Żebbuġ,Kostruzzjoni,2019,800\n"
    "Iż-Żejtun,Servizzi,2019,500\n",
    "Lokalità,Sena,Impjiegi\nĦamrun,2019,1200\nMarsaxlokk,2019,300\nSan Ġwann,2019,250\nĦal Għargħur,2019,90\n",
    "Reġjun,Sena,Impjiegi\nMalta Xlokk,2019,1200\nGħawdex u Kemmuna,2019,300\nNofsinhar tal-Port,2019,90\n",
    "Lokalità,Sena,Impjiegi\nIl-Birgu,2019,1200\nĊirkewwa,2019,300\nIx-Xagħra,2019,90\nĦ'Attard,2019,400\n",
    "Reġjun,Settur,Sena,Impjiegi\nĦal Qormi,Manifattura,2019,1200\nĠżira,Servizzi,2019,500\n",
]
FRENCH = [
    "Commune,Année,Emploi\nŒting,2019,1200\n",
    "Commune,Année,Emploi\nSaint-Œuf-en-Bray,2019,1200\nVœuil-et-Giget,2019,800\n",
    "Territoire,Emploi\nŒting,1200\nBœrsch,800\nSélestat,300\n",
    "Secteur,Région,Emploi\nŒnologie,Grand Est,1200\nMain-d'œuvre,Bretagne,800\n",
]


@pytest.mark.parametrize("text, page", [*((t, p) for t in TURKISH for p in ("cp1254", "iso8859_9", "cp857")),
                                        *((t, "iso8859_3") for t in MALTESE),
                                        *((t, "cp1252") for t in FRENCH)])
def test_short_turkish_maltese_and_french_tables_are_read_in_their_page(text, page):
    from clusterid.io.readers.text import decode

    assert decode(text.encode(page))[0] == text


@pytest.mark.parametrize("text", ["Mœurs\tEmploi\nX\t1\n", "Vœuil\tEmploi\nX\t1\n"])
def test_a_latin_word_with_one_letter_of_another_script_is_a_western_table(text):
    # charset_normalizer took these for Ukrainian DOS cp1125: 'MЬurs', 'VЬuil'
    from clusterid.io.readers.text import decode

    assert decode(text.encode("cp1252")) == (text, "cp1252")


def test_ingest_reads_a_maltese_table_without_hints(tmp_path, capsys):
    src = tmp_path / "lokalitajiet.csv"
    src.write_bytes(("Region,Industry,Year,Employment\nĦal Qormi,C,2019,1200\nĦaż-Żebbuġ,F,2019,800\n"
                     "Ġżira,C,2019,500\nĠżira,F,2019,100\n").encode("iso8859_3"))
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert {r["region"] for r in csv_rows(out)} == {"Ħal Qormi", "Ħaż-Żebbuġ", "Ġżira"}


# ------------------------------------------------------------------- 4, 5. measure headings

@pytest.mark.parametrize("heading", ["Employment (average for the year)", "Employees (annual average)",
                                     "Employees (cost centre)", "Employees (cost center)"])
def test_a_measure_heading_with_a_qualifier_is_employment(tmp_path, capsys, heading):
    code, err, rows = ingest_text(tmp_path, capsys, "jobs.csv",
                                  f"Region,Industry,Year,{heading}\nNorth,C,2019,1200\nNorth,F,2019,800\n"
                                  "South,C,2019,500\nSouth,F,2019,300\n")
    assert code == 0, err
    assert [(r["period"], r["region"], r["industry"], r["employment"]) for r in rows][:2] == [
        ("2019", "North", "C", "1200.0"), ("2019", "North", "F", "800.0")]


@pytest.mark.parametrize("heading", ["Labour cost", "Total employment costs", "Labour cost centre"])
def test_a_cost_is_still_no_employment(tmp_path, capsys, heading):
    src = tmp_path / "cost.csv"
    src.write_text(f"Region,Industry,Year,{heading}\nNorth,C,2019,1200\nSouth,C,2019,500\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and "no measure column recognised" in err


def test_a_measure_averaged_over_the_year_without_a_period_asks_for_one(tmp_path, capsys):
    src = tmp_path / "avg.csv"
    src.write_text("Region,Industry,Employment (average for the year)\nNorth,C,1200\nSouth,C,500\n",
                   encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and "no period column recognised" in err
    out, err = run_ok(["ingest", str(src), "-o", "-", "--period", "2019"], capsys)
    assert {r["employment"] for r in csv_rows(out)} == {"1200.0", "500.0"}


# ------------------------------------------------------------------- 6. Oct 2015-Sep 2016

@pytest.mark.parametrize("text, column, line", [
    ("Region,Industry,Oct 2015-Sep 2016,Oct 2016-Sep 2017\nNorth,C,1200,1250\nSouth,C,500,510\n",
     "Oct 2015-Sep 2016", 1),
    ("Region,Industry,Period,Employment\nNorth,C,Oct 2015-Sep 2016,1200\nSouth,C,Oct 2015-Sep 2016,500\n",
     "Period", 2)])
def test_a_fiscal_year_written_as_its_months_is_refused_as_fiscal_years_are(tmp_path, capsys, text, column, line):
    src = tmp_path / "fy.csv"
    src.write_text(text, encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert (f"fy.csv:{line}: column '{column}': a fiscal year, not a calendar period (expected a calendar "
            "year (2016), a quarter (2016Q1) or a month (2016M03), found 'Oct 2015-Sep 2016'); clusterid "
            "does not guess which calendar year a fiscal year stands for: relabel 'Oct 2015-Sep 2016' "
            "with the calendar year it stands for (2015 or 2016)") in err


def test_twelve_months_of_one_year_and_a_relabelled_fiscal_year_are_read(tmp_path, capsys):
    from clusterid.io.readers.generic_headings import fiscal_year, period_of

    assert period_of("Jan 2016-Dec 2016") == "2016" and not fiscal_year("Jan 2016-Dec 2016")
    assert fiscal_year("Jul 2016 - Jun 2017") and fiscal_year("Oct 2015-Sep 2016")
    assert not fiscal_year("Oct 2015-Mar 2016") and not fiscal_year("Oct 2015-Sep 2017")


# ------------------------------------------------------------------- 7. the industry in the title

ROSSTAT = ("Среднесписочная численность работников организаций в обрабатывающих производствах (человек)\n"
           "Регион;2019;2020;2021\nБелгородская область;800;810;820\nБрянская область;500;510;520\n"
           "Владимирская область;300;310;320\n")


def test_a_table_of_one_industry_named_in_its_title_is_read(tmp_path, capsys):
    code, err, rows = ingest_text(tmp_path, capsys, "rosstat.csv", ROSSTAT)
    assert code == 0, err
    assert len(rows) == 9 and {r["industry"] for r in rows} == {"C"}
    assert {r["classification"] for r in rows} == {"NACE"}
    assert "rosstat.csv: every row read as industry C, the one section its title names" in err


@pytest.mark.parametrize("title", ["Employment in all industries excluding manufacturing",
                                   "Employment in agriculture and manufacturing",
                                   "Employment by region"])
def test_a_title_naming_no_one_industry_still_asks_for_the_column(tmp_path, capsys, title):
    src = tmp_path / "t.csv"
    src.write_text(f"{title}\nRegion,2019,2020\nNorth,800,810\nSouth,500,510\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and "no industry column recognised" in err
