"""Review of session 16's office-specific heuristics against other offices' layouts: each
test writes a real-looking table of a layout the heuristic was not made for and reads it
with ingest, checking by hand that it reads as it did before the heuristic."""

from __future__ import annotations

import pytest

from conftest import ingest_text


_ingest = ingest_text  # (conftest: write the text, ingest it, its rows)


def test_industrial_measure_heading_is_no_industry_column(tmp_path, capsys):
    """A long table by Land and NACE section with the Land's industrial production index
    beside employment (as Destatis's and the Länder offices' regional tables give the index
    next to the Erwerbstätige).  b27a462 made the word 'industrial' (for SCB's 'industrial
    classification SNI 2007') name the industry column, so 'Industrial production index'
    rivalled 'Industry' and the table was refused; SCB's heading is named by its SNI."""
    code, err, rows = _ingest(tmp_path, capsys, "laender.csv",
                              "Region,Industry,Year,Employment,Industrial production index\n"
                              "Bayern,C,2022,1450000,104.2\n"
                              "Bayern,F,2022,420000,104.2\n"
                              "Hessen,C,2022,560000,99.1\n"
                              "Hessen,F,2022,210000,99.1\n")
    assert code == 0, err
    assert [(r["region"], r["industry"], float(r["employment"])) for r in rows] == [
        ("Bayern", "C", 1450000.0), ("Bayern", "F", 420000.0),
        ("Hessen", "C", 560000.0), ("Hessen", "F", 210000.0)]


def test_employment_by_broad_sector_across_is_not_read_with_figures_as_industries(tmp_path, capsys):
    """ILOSTAT's employment by broad sector with the sectors across (agriculture, industry,
    services, as its 'Employment by sector' download and the World Bank's WDI give them):
    'Industrial employment' was taken for the industry column, its figures (1870000) became
    industry codes and 'Agricultural employment' the employment of them.  It is refused
    again, asking for the industry column, as before."""
    code, err, rows = _ingest(tmp_path, capsys, "sectors.csv",
                              "Region,Year,Agricultural employment,Industrial employment,Services employment\n"
                              "Bayern,2022,98000,1870000,5100000\n"
                              "Hessen,2022,30000,770000,2700000\n")
    assert code == 1 or code == 2
    assert rows == []
    assert "industry" in err and "Traceback" not in err


def test_type_of_economic_activity_heads_the_industry_column(tmp_path, capsys):
    """stat.gov.kz's English table of the employed by region and 'Type of economic activity'
    (the CIS offices' English for OKED's/OKVED's вид экономической деятельности: Rosstat,
    Belstat write it too), the sections by their titles.  737dcd2 made any heading with the
    word 'type' roleless (for NOMIS's INDUSTRY_TYPE, DATE_TYPE), so the table was refused
    for want of an industry column; 'type of X' names X, as 'Type of ownership' does."""
    code, err, rows = _ingest(tmp_path, capsys, "kz_employed.csv",
                              "Region,Type of economic activity,Year,Number of employed persons\n"
                              'Akmola region,"Agriculture, forestry and fishing",2022,95000\n'
                              "Akmola region,Manufacturing,2022,21000\n"
                              'Almaty city,"Agriculture, forestry and fishing",2022,1200\n'
                              "Almaty city,Manufacturing,2022,52000\n")
    assert code == 0, err
    assert [(r["region"], r["industry"], float(r["employment"])) for r in rows] == [
        ("Akmola region", "A", 95000.0), ("Akmola region", "C", 21000.0),
        ("Almaty city", "A", 1200.0), ("Almaty city", "C", 52000.0)]


def test_nomis_attribute_headings_stay_roleless():
    """NOMIS's API columns INDUSTRY_TYPE and GEOGRAPHY_TYPE (a dimension's attribute) still
    head no column, beside 'Type of economic activity' heading the industry's."""
    from clusterid.io.readers.generic_headings import role_of

    assert role_of("INDUSTRY_TYPE") is None
    assert role_of("GEOGRAPHY_TYPE") is None
    assert role_of("EMPLOYMENT_STATUS") is None
    assert role_of("Type of economic activity") == "industry"


def test_statistics_denmark_all_denmark_is_the_region_total(tmp_path, capsys):
    """Statistics Denmark's StatBank table saved as CSV in English (RAS300's layout: a title
    line, 'region', 'industry (DB07 10-grouping)', the year across): its national row is
    'All Denmark' ('Hele landet' in Danish).  b27a462 made the Danish name a region total but
    not the English one, so All Denmark was read as a region beside the regions it sums."""
    code, err, rows = _ingest(
        tmp_path, capsys, "ras300.csv",
        '"Employed persons (end November) by region, industry (DB07 10-grouping) and time"\n'
        '"region","industry (DB07 10-grouping)","2022"\n'
        '"All Denmark","Construction",190000\n'
        '"Region Hovedstaden","Construction",55000\n'
        '"Region Midtjylland","Construction",45000\n')
    assert code == 0, err
    assert sorted((r["region"], float(r["employment"])) for r in rows) == [
        ("Region Hovedstaden", 55000.0), ("Region Midtjylland", 45000.0)]
    assert "1 region total row" in err


@pytest.mark.parametrize("heading, parts", [("Gender", ("Men", "Women")),
                                            ("Age group", ("15 to 24 years", "25 years and over")),
                                            ("Geschlecht", ("männlich", "weiblich"))])
def test_a_plain_total_category_of_sex_or_age_is_the_table(heading, parts, tmp_path, capsys):
    # a table by gender or age group whose all-categories rows say "Total" (or "Insgesamt",
    # GENESIS) rather than Statistics Canada's "Total - Gender" / "15 years and over": every
    # row was a duplicate key; the total rows are the table, the parts dropped and counted
    total = "Insgesamt" if heading == "Geschlecht" else "Total"
    text = f"Region,Industry,Year,{heading},Employment\n"
    for region, c, f in (("Ontario", (1000, 600, 400), (300, 250, 50)),
                         ("Quebec", (800, 500, 300), (200, 150, 50))):
        for code, values in (("C", c), ("F", f)):
            for category, value in zip((total, *parts), values):
                text += f"{region},{code},2022,{category},{value}\n"
    code, err, rows = ingest_text(tmp_path, capsys, "by_category.csv", text)
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("Ontario", "C"): 1000, ("Ontario", "F"): 300, ("Quebec", "C"): 800,
                   ("Quebec", "F"): 200}
    assert f"8 rows of one {heading} category" in err, err
