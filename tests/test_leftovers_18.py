"""Shortcomings left from session 17, each fixed in session 18: national NACE variants' fifth
level (INSEE's NAF rév. 2, Statistik Austria's ÖNACE 2008), Stats SA's provinces across the
columns, one NACE level rule in Python and polars, GUS BDL's measure named by its variable, and
what detect says of codes without a level.  Each test writes the file in the layout the office
publishes (named in its docstring) and says what the user saw before."""

from __future__ import annotations

import pytest

from conftest import ingest_text

# --------------------------------------------------------------------------- one level rule

# (code, its NACE level): sections, runs and ranges of sections, divisions, groups, classes,
# the national subclasses, and near-misses (a letter pair out of the classification's order,
# an unused division, a division under another section's letter)
NACE_LEVELS = [
    ("10", 0),
    ("A", 1), ("C", 1), ("U", 1), ("B-E", 1), ("M_N", 1), ("B+D+E", 1), ("BDE", 1), ("DE", 1),
    ("GI", None), ("CG", None), ("CD", None),  # (INSEE's G-I, A*38's C22-C23 and C19: session 30)
    ("AB", 1),
    ("C10", 2), ("U99", 2), ("C10-C12", 2), ("C10T12", 2), ("C31_C32", 2), ("E37-E39", 2),
    ("C10.1", 3), ("C10.11", 4),
    ("C10.11.1", 5), ("C10.11.11", 6),            # OKED / WZ 2008, OKVED2
    ("C10.11Z", 5), ("C10.11.0", 5),              # NAF rév. 2, ÖNACE 2008 (as normalised)
    ("V", None), ("Z", None), ("US", None), ("DA", None), ("UA", None), ("TOTAL", None),
    ("A04", None), ("S10", None), ("C99", None), ("C1", None), ("C12-C10", None),
    ("C10.1.1", None), ("C10.11.111", None), ("C10.11-0", None), ("A10.11Z", None),
    ("C10.11ZZ", None), ("C10.1Z", None),
]


def test_python_and_polars_level_rules_agree():
    """The polars level rule read any run of two to six letters A-U as a section aggregate:
    SCB's "US" (okänd verksamhet, the unknown sector) and Rev. 1.1's subsection "DA" were
    NACE sections at level 1 in an ingested table, while the Python rule the checks use said
    they are no code.  Both now give the levels of this hand-made table."""
    import polars as pl

    from clusterid import schema
    from clusterid.core import codes

    table = pl.DataFrame({schema.INDUSTRY: [c for c, _ in NACE_LEVELS],
                          schema.CLASSIFICATION: [schema.NACE] * len(NACE_LEVELS)})
    by_polars = table.select(codes.level_expr()).to_series().to_list()
    by_python = [codes.nace_level(c) for c, _ in NACE_LEVELS]
    expected = [lev for _, lev in NACE_LEVELS]
    assert by_python == expected
    assert by_polars == expected


# Statistics Sweden (SCB), RAMS in PX-Web saved "comma delimited with heading" with codes
# instead of texts: the title line, the year across, SNI 2007 sections and US (okänd
# verksamhet) for the unknown sector
SCB_CODES = '''\
"Förvärvsarbetande 16+ år med arbetsplats i regionen (dagbefolkning) (RAMS) efter region, näringsgren SNI 2007 och år"

"region","näringsgren SNI 2007","2022"
"01","C",59000
"01","F",70000
"01","US",31000
"03","C",17000
"03","F",12000
"03","US",3100
'''


def test_scb_unknown_sector_is_no_section(tmp_path, capsys):
    """SCB's "US" (the unknown sector) was read as a NACE section (level 1), summed into each
    county's section total and given an LQ as an industry.  It is now kept as an uncoded
    industry at no level, as SSB's "00 Uoppgitt" is."""
    code, err, rows = ingest_text(tmp_path, capsys, "AM0207_koder.csv", SCB_CODES)
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["classification"], r["level"]) for r in rows}
    assert got[("01", "C")] == ("NACE", "1")
    assert got[("01", "US")] == ("custom", "")
    assert "(US)" in err


# --------------------------------------------------------------------------- national subclasses

# INSEE's local file by commune (CODGEO, LIBGEO), the activity as the NAF rév. 2 subclass of
# the establishment (APET700: 10.11Z, 47.11D; the older stocks write it without the dot,
# 4711D), the year (ANNEE) and the number of employees (NB_SALARIES)
INSEE_NAF = '''\
CODGEO;LIBGEO;APET700;ANNEE;NB_SALARIES
29019;Brest;10.11Z;2022;350
29019;Brest;10.13A;2022;150
29019;Brest;47.11D;2022;120
75056;Paris;10.11Z;2022;40
75056;Paris;10.13A;2022;60
75056;Paris;47.11D;2022;900
'''


@pytest.mark.parametrize("dotted", [True, False], ids=["10.11Z", "1011Z"])
def test_naf_subclasses_are_nace_at_level_5(tmp_path, capsys, dotted):
    """NAF rév. 2 subclasses (a NACE class and a letter) were custom industries at no level:
    --level 4 or 2 kept them as they were, silently, and no NACE hierarchy knew them.  They
    are NACE's national subclasses (level 5, written C10.11Z), rolled up to classes,
    divisions and sections as WZ 2008's and OKED's are."""
    text = INSEE_NAF if dotted else INSEE_NAF.replace("10.11Z", "1011Z").replace(
        "10.13A", "1013A").replace("47.11D", "4711D")
    code, err, rows = ingest_text(tmp_path, capsys, "insee_naf.csv", text)
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["classification"], r["level"]) for r in rows}
    assert got[("29019", "C10.11Z")] == ("NACE", "5")
    assert got[("75056", "G47.11D")] == ("NACE", "5")
    code, err, rows = ingest_text(tmp_path, capsys, "insee_naf.csv", text, "--level", "4")
    assert code == 0, err
    assert {r["industry"] for r in rows} == {"C10.11", "C10.13", "G47.11"}
    code, err, rows = ingest_text(tmp_path, capsys, "insee_naf.csv", text, "--level", "2")
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    # Brest's food products: 350 (10.11Z) + 150 (10.13A)
    assert got == {("29019", "C10"): 500, ("29019", "G47"): 120,
                   ("75056", "C10"): 100, ("75056", "G47"): 900}


# Statistik Austria's STATcube, a table exported as CSV at the ÖNACE 2008 subclass level
# ("ÖNACE 2008 Unterklassen"): a title line, labels with their codes in angle brackets
# ("Schlachten (ohne Schlachten von Geflügel) <C10.11-0>"), "Insgesamt" without a code, the
# one value column "Anzahl", German thousands, a source line under the table
STATCUBE_UNTERKLASSEN = '''\
"Abgestimmte Erwerbsstatistik: Erwerbstätige am Arbeitsort 2021 nach Bundesland und ÖNACE 2008"
""
"Bundesland";"ÖNACE 2008 Unterklassen";"Anzahl"
"Burgenland <AT11>";"Insgesamt";"110.000"
"Burgenland <AT11>";"Schlachten (ohne Schlachten von Geflügel) <C10.11-0>";"1.200"
"Burgenland <AT11>";"Herstellung von Backwaren (ohne Dauerbackwaren) <C10.71-1>";"900"
"Burgenland <AT11>";"Erbringung von Beratungsleistungen auf dem Gebiet der Informationstechnologie <J62.02-0>";"300"
"Wien <AT13>";"Insgesamt";"1.050.000"
"Wien <AT13>";"Schlachten (ohne Schlachten von Geflügel) <C10.11-0>";"400"
"Wien <AT13>";"Herstellung von Backwaren (ohne Dauerbackwaren) <C10.71-1>";"3.000"
"Wien <AT13>";"Erbringung von Beratungsleistungen auf dem Gebiet der Informationstechnologie <J62.02-0>";"9.000"
""
"Quelle: STATISTIK AUSTRIA, Abgestimmte Erwerbsstatistik. Erstellt am 29.11.2026."
'''


def test_oenace_subclasses_are_nace_at_level_5(tmp_path, capsys):
    """ÖNACE 2008's subclasses (the class, a dash and a digit: C10.11-0) were refused, every
    row "not a NACE industry code".  They are national subclasses (level 5, written
    C10.11.0 as WZ 2008's are), their labels kept as names, and roll up with --level."""
    code, err, rows = ingest_text(tmp_path, capsys, "statcube_unterklassen.csv", STATCUBE_UNTERKLASSEN)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert (got[("AT11", "C10.11.0")]["level"], got[("AT11", "C10.11.0")]["classification"]) == ("5", "NACE")
    assert got[("AT13", "C10.71.1")]["industry_name"] == "Herstellung von Backwaren (ohne Dauerbackwaren)"
    code, err, rows = ingest_text(tmp_path, capsys, "statcube_unterklassen.csv", STATCUBE_UNTERKLASSEN,
                                  "--level", "2")
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    # Vienna's food products: 400 (10.11-0) + 3,000 (10.71-1); the totals as published
    assert got == {("AT11", "10"): 110000, ("AT11", "C10"): 2100, ("AT11", "J62"): 300,
                   ("AT13", "10"): 1050000, ("AT13", "C10"): 3400, ("AT13", "J62"): 9000}


def test_national_subclass_codes_as_written():
    """The forms each office writes, in a label's first words too ("C 10.11-0 Schlachten",
    Statistik Austria's classification listing), and near-misses that stay no code."""
    from clusterid import schema
    from clusterid.core import codes

    forms = {"10.11Z": "C10.11Z", "4711D": "G47.11D", "62.01Z": "J62.01Z", "C10.11-0": "C10.11.0",
             "C 10.11-0": "C10.11.0", "10.71-1": "C10.71.1"}
    assert {raw: codes.normalize(raw, schema.NACE) for raw in forms} == forms
    assert codes.split_label("C 10.11-0 Schlachten") == ("C 10.11-0", "Schlachten")
    assert codes.split_label("10.11Z Transformation et conservation de la viande de boucherie")[0] == "10.11Z"
    # a half-year, a division NACE does not use, a section letter that is not the division's
    for raw in ("2014-2", "04.11Z", "A10.11Z"):
        assert codes.level(codes.normalize(raw, schema.NACE), schema.NACE) is None
    assert codes.detect(["2014-2", "2015-1"]) == schema.CUSTOM


# --------------------------------------------------------------------------- detect's words

# a hand-made table of named industries (no classification's codes), as a cluster study
# keeps its own list: three regions, two industries, the year
NAMED_INDUSTRIES = '''\
region,industry,year,employment
R1,Aerospace,2022,100
R1,Boats,2022,50
R2,Aerospace,2022,10
R2,Boats,2022,200
R3,Aerospace,2022,40
R3,Boats,2022,60
'''


def test_detect_says_custom_codes_carry_no_level(tmp_path, capsys):
    """detect said "only 2 industries at level None" of custom codes (and "choose another
    --level", which custom codes cannot follow); it says their classification and that its
    codes carry no level."""
    from conftest import run_main

    src = tmp_path / "named.csv"
    src.write_text(NAMED_INDUSTRIES, encoding="utf-8")
    code, _out, err = run_main(["detect", str(src), "-o", str(tmp_path / "d")], capsys)
    assert code == 0, err
    assert "None" not in err
    assert ("only 2 industries of classification custom, whose codes carry no level "
            "(Aerospace, Boats)") in err
    src.write_text("".join(line + "\n" for line in NAMED_INDUSTRIES.splitlines()
                           if "Boats" not in line), encoding="utf-8")
    code, _out, err = run_main(["detect", str(src), "-o", str(tmp_path / "d1")], capsys)
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        "clusterid: error: only 1 industry in the unlabelled regions (Aerospace), of "
        "classification custom, whose codes carry no level: nothing to group; use --definitions FILE")


# --------------------------------------------------------------------------- BDL's measure

# Statistics Poland's Local Data Bank (BDL), a variable's data downloaded as CSV in the
# vertical layout (semicolon separated, one row per unit, dimension and year): Kod and Nazwa
# of the territorial unit, the variable's name (Zmienna), its dimension (Sekcje PKD 2007,
# "ogółem" for all), Rok, Wartosc, Jednostka miary, Atrybut
BDL_VARIABLE = '''\
Kod;Nazwa;Zmienna;Sekcje PKD 2007;Rok;Wartosc;Jednostka miary;Atrybut
0200000;DOLNOŚLĄSKIE;{v};ogółem;2022;420000;{u};
0200000;DOLNOŚLĄSKIE;{v};przetwórstwo przemysłowe;2022;30000;{u};
1200000;MAŁOPOLSKIE;{v};ogółem;2022;450000;{u};
1200000;MAŁOPOLSKIE;{v};przetwórstwo przemysłowe;2022;35000;{u};
'''


@pytest.mark.parametrize("value_heading", ["Wartosc", "Wartość"])
def test_bdl_measure_from_the_variable(tmp_path, capsys, value_heading):
    """BDL's value column "Wartosc" was employment whatever the variable: 420,000 firms
    (podmioty gospodarki narodowej) in Lower Silesia came out as 420,000 jobs, and an
    average monthly wage as employment too; "Wartość" (with its accents) was no value column.
    The variable's name says the measure; an average wage is refused, as a title naming one
    is; a variable of no measure (the registered unemployed) is refused naming --measure."""
    text = BDL_VARIABLE.replace("Wartosc", value_heading)
    firms = text.format(v="podmioty gospodarki narodowej wpisane do rejestru REGON", u="-")
    code, err, rows = ingest_text(tmp_path, capsys, "PODM_bdl.csv", firms)
    assert code == 0, err
    assert "employment" not in rows[0]
    assert {(r["region"], r["industry"]): float(r["establishments"]) for r in rows}[("0200000", "10")] == 420000
    wages = text.format(v="przeciętne miesięczne wynagrodzenie brutto", u="zł")
    code, err, _rows = ingest_text(tmp_path, capsys, "WYNA_bdl.csv", wages)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "average wage" in err and "przeciętne miesięczne wynagrodzenie brutto" in err
    unemployed = text.format(v="bezrobotni zarejestrowani", u="osoba")
    code, err, _rows = ingest_text(tmp_path, capsys, "RYNE_bdl.csv", unemployed)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "--measure" in err and "bezrobotni zarejestrowani" in err
    code, err, rows = ingest_text(tmp_path, capsys, "RYNE_bdl.csv", unemployed, "--measure", "employment")
    assert code == 0, err
    workers = text.format(v="pracujący", u="osoba")
    code, err, rows = ingest_text(tmp_path, capsys, "PRAC_bdl.csv", workers)
    assert code == 0, err
    assert float(rows[0]["employment"]) in (420000, 30000, 450000, 35000)


# --------------------------------------------------------------------------- provinces across

# Statistics South Africa's QLFS (statistical release P0211) table of the employed by
# industry and province, saved as CSV: the release's title with its quarter, the table's
# title with its unit (Thousand), the industries down, the nine provinces across and the
# country's column last ("South Africa"; QES tables head it "RSA")
STATSSA_QLFS = '''\
Quarterly Labour Force Survey, Quarter 3: 2024
Employed by industry and province (Thousand)

Industry,Western Cape,Eastern Cape,Northern Cape,Free State,KwaZulu-Natal,North West,Gauteng,Mpumalanga,Limpopo,South Africa
Agriculture,190,85,45,60,110,40,50,90,85,755
Mining,5,2,25,20,10,120,45,75,60,362
Manufacturing,300,150,10,60,400,50,760,70,50,1850
Trade,550,340,50,170,580,180,1250,280,310,3710
'''


@pytest.mark.parametrize("country", ["South Africa", "RSA"])
def test_statssa_provinces_across(tmp_path, capsys, country):
    """Stats SA's provinces across the columns were refused ("no measure column
    recognised", with --period and --measure too).  The
    provinces are read as the regions across, the country's column as their total, the
    quarter from the release's title ("Quarter 3: 2024", which was the year 2024), the
    values in thousands."""
    text = STATSSA_QLFS.replace("South Africa\n", country + "\n")
    code, err, rows = ingest_text(tmp_path, capsys, "qlfs_industry_province.csv", text)
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert len({r for r, _ in got}) == 9 and country not in {r for r, _ in got}
    assert got[("Gauteng", "Manufacturing")] == 760000
    assert got[("Free State", "Mining")] == 20000
    assert {r["period"] for r in rows} == {"2024Q3"}
    # without the release's title: its quarter asked for with --period, in one line
    bare = text.split("\n\n", 1)[1]
    code, err, _rows = ingest_text(tmp_path, capsys, "qlfs_bare.csv", bare)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "--period" in err and "regions as columns" in err


def test_statssa_one_province_as_the_measure_is_refused(tmp_path, capsys):
    """--measure-col employment=Gauteng on Stats SA's provinces across read the Free State's
    figures as region codes (its word "State"), silently; it is refused in one line that
    says the provinces are read across and what to give instead."""
    code, err, _rows = ingest_text(tmp_path, capsys, "qlfs_industry_province.csv", STATSSA_QLFS,
                                   "--measure-col", "employment=Gauteng")
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "provinces are across the columns" in err and "leave out --measure-col" in err
