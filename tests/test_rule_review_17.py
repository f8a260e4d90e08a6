"""Adversarial review of session 17's heading words, total words and code rules: each test
writes a table of another office, country or layout where a word or shape a rule added means
something else, and checks that it reads as it did before the rule (or better)."""

from __future__ import annotations

from conftest import csv_rows, ingest_text, lq_text, run_main

# Statistics Norway (SSB), StatBank table 13470 "semicolon separated with heading": the
# content's label names the age ("15-74 år", aged 15-74 years) after the employed
SSB_AGED = '''\
"13470: Sysselsatte personer etter arbeidssted, etter region, næring (SN2007), statistikkvariabel og år"

"region";"næring (SN2007)";"år";"Sysselsatte personer 15-74 år"
"03 Oslo";"C Industri";"2022";11000
"03 Oslo";"F Bygge- og anleggsvirksomhet";"2022";30000
"46 Vestland";"C Industri";"2022";30000
"46 Vestland";"F Bygge- og anleggsvirksomhet";"2022";25000
'''


def test_a_year_word_after_a_measure_is_its_age_not_the_period(tmp_path, capsys):
    """e77269e made "år" a period word wherever it stood in a heading, so SSB's "Sysselsatte
    personer 15-74 år" was a second period column beside "år" and the table was refused
    ('could each be the period'); with the year in the title instead, each count was 'not a
    period'.  "år", "ano" and "année" head the period as the heading's first word only."""
    code, err, rows = ingest_text(tmp_path, capsys, "13470.csv", SSB_AGED)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("2022", "03", "C"): 11000, ("2022", "03", "F"): 30000,
                   ("2022", "46", "C"): 30000, ("2022", "46", "F"): 25000}
    one_year = SSB_AGED.replace("statistikkvariabel og år", "statistikkvariabel, 2022") \
        .replace('"år";', "").replace('"2022";', "")
    code, err, rows = ingest_text(tmp_path, capsys, "13470b.csv", one_year)
    assert code == 0, err
    assert {(r["period"], float(r["employment"])) for r in rows} == {
        ("2022", 11000), ("2022", 30000), ("2022", 25000)}


# INSEE's salaried employment by employment zone (zone d'emploi 2020) and A38 activity, as a
# user saves it from a local-data page: the zone's code and name, the activity, the count
INSEE_ZONES = '''\
Zone d'emploi 2020;Libellé de la zone d'emploi;Secteur NA38;Effectif salarié
5301;Brest;CA;9500
5301;Brest;FZ;7000
5302;Carhaix-Plouguer;CA;2800
5302;Carhaix-Plouguer;FZ;900
'''


def test_a_zone_d_emploi_is_no_count_of_jobs(tmp_path, capsys):
    """6fbac3b made "emploi" an employment word, so INSEE's "Zone d'emploi 2020" (the region,
    given with --region-col) was also read as the employment column: every count came out as
    the zone's code (5301 for Brest's 9,500) and "Effectif salarié" was left unread, silently.
    "d'emploi" qualifies another noun (zone, taux, statut): no count but after a count word."""
    code, err, rows = ingest_text(
        tmp_path, capsys, "ze_a38.csv", INSEE_ZONES, "--region-col", "Zone d'emploi 2020",
        "--region-name-col", "Libellé de la zone d'emploi", "--industry-col", "Secteur NA38",
        "--period", "2021", "--classification", "custom")
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("5301", "CA"): 9500, ("5301", "FZ"): 7000, ("5302", "CA"): 2800,
                   ("5302", "FZ"): 900}
    from clusterid.io.readers.generic_headings import role_of

    assert role_of("Taux d'emploi") is None and role_of("Nombre d'emplois") == "employment"
    assert role_of("Emploi salarié") == "employment" and role_of("Año Censal") == "period"


# tables of countries as CEPAL's, SADC's or INSEE's international comparisons give them: a
# country whose name is a national office's total (Brasil, South Africa, France) beside
# neighbours no office's table lists above its regions
COUNTRIES = {
    "mercosur.csv": ("Brasil", "Argentina", "Uruguay", "Paraguay"),
    "sacu.csv": ("South Africa", "Namibia", "Botswana", "Lesotho"),
    "insee_comparaisons.csv": ("France", "Belgique", "Allemagne", "Espagne"),
    "gus_porownania.csv": ("Polska", "Czechy", "Słowacja", "Niemcy"),
}


def test_a_country_beside_its_neighbours_is_no_total(tmp_path, capsys):
    """9c933c4 and 3c03f51 made 'Brasil', 'South Africa', 'France' and 'Polska' region totals;
    a table of countries keeps them only when two of its names are known countries, and
    Argentina, Namibia or the French and Polish names of Europe's countries were not, so
    Brazil's, South Africa's, France's and Poland's rows were dropped as 'region total rows'
    (lq's benchmark then the neighbours alone).  The neighbours are now known countries."""
    for name, countries in COUNTRIES.items():
        text = "country,industry,year,employment\n" + "".join(
            f"{c},{ind},2022,{1000 * (i + 1) * (2 if ind == 'C' else 3)}\n"
            for i, c in enumerate(countries) for ind in ("C", "F"))
        code, err, rows = ingest_text(tmp_path, capsys, name, text)
        assert code == 0, err
        assert {r["region"] for r in rows} == set(countries), (name, err)
        assert "region total" not in err, err


# the Philippine Statistics Authority's Labor Force Survey by region, as its tables name the
# regions: NCR, CAR and BARMM by their acronyms, the others "Region I", "Region II" ...
PSA_REGIONS = '''\
region,industry,year,employment
NCR,C,2022,500
NCR,F,2022,400
CAR,C,2022,60
CAR,F,2022,80
Region I,C,2022,200
Region I,F,2022,300
Region II,C,2022,100
Region II,F,2022,250
BARMM,C,2022,50
BARMM,F,2022,90
'''


def test_regions_in_capitals_beside_region_words_are_one_level_outside_poland(tmp_path, capsys):
    """67b232d read BDL's levels from the shape of a unit's name (capitals a województwo,
    'Region ...' a NUTS 2 region); the PSA's NCR, CAR and BARMM beside 'Region I' have those
    shapes, so the Philippines' regions were split into two levels each its own benchmark
    (NCR's manufacturing LQ against NCR, CAR and BARMM alone).  Those levels are now read in a
    Polish table only (BDL's twelve-digit codes, a Polish level word or letter)."""
    code, err, rows = ingest_text(tmp_path, capsys, "psa_lfs.csv", PSA_REGIONS)
    assert code == 0, err
    assert {r["region_level"] for r in rows} == {""}
    lq = lq_text(tmp_path, capsys, "psa_lfs.csv", PSA_REGIONS)
    # NCR: 500 of 900 against the regions' 910 of 2,030
    assert abs(float(lq[("NCR", "C")]["lq"]) - (500 / 900) / (910 / 2030)) < 1e-5


# Statistics Poland's table of one województwo by PKD section as a user saves it from a
# publication's spreadsheet: the section's Kod and Nazwa, a column per year
GUS_SECTIONS = '''\
Kod;Nazwa;2021;2022
C;Przetwórstwo przemysłowe;430000;435000
F;Budownictwo;120000;125000
G;Handel hurtowy i detaliczny;250000;255000
'''


def test_a_column_given_for_one_dimension_is_no_other_s_guess(tmp_path, capsys):
    """3c03f51 made the headings 'Kod' and 'Nazwa' BDL's region code and name; a GUS table whose
    Kod is the PKD section, read before with --industry-col Kod --industry-name-col Nazwa
    --region, was refused ('--region is for a table without a region column, and this one has
    'Kod''), the option naming the column for the industry being overruled by the guess.  A
    column an option names for one dimension (or a measure) is no other's guess."""
    code, err, rows = ingest_text(tmp_path, capsys, "malopolskie_pkd.csv", GUS_SECTIONS,
                                  "--industry-col", "Kod", "--industry-name-col", "Nazwa",
                                  "--region", "12:Małopolskie", "-m", "employment")
    assert code == 0, err
    got = {(r["period"], r["industry"]): float(r["employment"]) for r in rows}
    assert got[("2022", "C")] == 435000 and got[("2021", "G")] == 250000 and len(got) == 6
    assert {r["region"] for r in rows} == {"12"}
    # an English heading the same way: the region given with --region-col is no employment
    text = "Employment zone;industry;year;count\n5301;C;2021;9500\n5302;C;2021;2800\n"
    code, err, rows = ingest_text(tmp_path, capsys, "zones.csv", text, "--region-col", "Employment zone",
                                  "--measure-col", "employment=count")
    assert code == 0, err
    assert {(r["region"], float(r["employment"])) for r in rows} == {("5301", 9500), ("5302", 2800)}
    code, err, rows = ingest_text(tmp_path, capsys, "zones.csv", text, "--region-col", "Employment zone")
    assert code == 1 and "--measure-col" in err, err


def test_bdl_nazwa_beside_a_kod_given_for_the_industry_names_the_industry(tmp_path, capsys):
    """With only --industry-col Kod given, 3c03f51's 'Nazwa' (BDL's unit name) was still the
    region's name, and so the region column beside --region: refused ('this one has
    'Nazwa'').  Kod and Nazwa are a pair: Kod given for the industry, Nazwa names it."""
    code, err, rows = ingest_text(tmp_path, capsys, "malopolskie_pkd.csv", GUS_SECTIONS,
                                  "--industry-col", "Kod", "--region", "12:Małopolskie",
                                  "-m", "employment")
    assert code == 0, err
    got = {(r["period"], r["industry"]): r for r in rows}
    assert float(got[("2022", "C")]["employment"]) == 435000
    assert got[("2022", "C")]["industry_name"] == "Przetwórstwo przemysłowe"


# County Business Patterns before 1998 by SIC division, as a user tabulates it: the U.S. SIC's
# division ranges (01-09 agriculture, 15-17 construction, 20-39 manufacturing ...)
SIC_DIVISIONS = '''\
county,SIC division,year,employment
Salt Lake,01-09,1995,2000
Salt Lake,15-17,1995,25000
Salt Lake,20-39,1995,60000
Salt Lake,50-51,1995,30000
Salt Lake,52-59,1995,70000
Utah,01-09,1995,800
Utah,15-17,1995,9000
Utah,20-39,1995,20000
Utah,50-51,1995,5000
Utah,52-59,1995,25000
'''


def test_sic_division_ranges_are_not_nace_division_ranges(tmp_path, capsys):
    """41f57b3 made a range of two NACE divisions a vote for NACE (SSB's 10-33, 35-39), so
    the U.S. SIC's divisions, read before as custom industries, became NACE silently: 20-39
    (manufacturing) C20-E39, 15-17 (construction) C15-C17, 52-59 (retail) H52-J59; with 70-89
    (services) the table was refused, 89 being no NACE division.  SIC's division ranges, which
    no NACE grouping writes, are no vote for NACE; SSB's ranges read as before."""
    code, err, rows = ingest_text(tmp_path, capsys, "cbp_1995_sic.csv", SIC_DIVISIONS)
    assert code == 0, err
    assert {r["industry"] for r in rows} == {"01-09", "15-17", "20-39", "50-51", "52-59"}
    assert {r["classification"] for r in rows} == {"custom"}
    with_services = SIC_DIVISIONS + "Salt Lake,70-89,1995,120000\nUtah,70-89,1995,40000\n"
    code, err, rows = ingest_text(tmp_path, capsys, "cbp_1995_sic_all.csv", with_services)
    assert code == 0, err
    assert float({(r["region"], r["industry"]): r for r in rows}[("Utah", "70-89")]["employment"]) == 40000
    from clusterid.core import codes

    assert codes.detect(["01-03", "10-33", "35-39", "00-99"]) == "NACE"


# Chile's tax service (SII) statistics of firms by commune and activity, as its CSV gives them:
# the firms' sales and pay in UF (unidad de fomento, a unit of account) beside the counts
SII_COMUNAS = '''\
Año Comercial;Rubro económico;Comuna;Número de empresas;Ventas anuales en UF;Número de trabajadores dependientes informados
2022;C - Industria manufacturera;Antofagasta;2100;95000000;31000
2022;F - Construcción;Antofagasta;3900;41000000;45000
2022;C - Industria manufacturera;Santiago;24000;610000000;310000
2022;F - Construcción;Santiago;31000;290000000;260000
'''


def test_chile_s_uf_is_a_unit_of_account_not_a_region(tmp_path, capsys):
    """ea85417 made 'UF' (RAIS's unidade da federação) a region word wherever it stood, so the
    SII's 'Ventas anuales en UF' (sales in unidades de fomento) was a region heading: with the
    commune given by --region-col, each commune's name became its sales (Antofagasta's
    manufacturing named '95000000'), where it had been a column not read.  'UF' names the
    region alone or with a code's or name's word (UF, SG_UF, Código UF) only."""
    code, err, rows = ingest_text(
        tmp_path, capsys, "sii_empresas.csv", SII_COMUNAS, "--region-col", "Comuna",
        "--industry-col", "Rubro económico", "--period-col", "Año Comercial",
        "--measure-col", "employment=Número de trabajadores dependientes informados",
        "--measure-col", "establishments=Número de empresas")
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert {r["region_name"] for r in rows} == {""}
    assert float(got[("Antofagasta", "C")]["employment"]) == 31000
    assert "Ventas anuales en UF" in err  # a column not read, as before
    from clusterid.io.readers.generic_headings import role_of

    assert role_of("UF") == "region" and role_of("SG_UF") == "region"


# INE Chile's employment by region and branch of activity as a user keeps it: the branch
# ("Rama") by its Spanish label
CHILE_RAMAS = '''\
Región;Rama;Año;employment
Antofagasta;Minería;2022;70000
Antofagasta;Construcción;2022;40000
Biobío;Minería;2022;3000
Biobío;Construcción;2022;60000
'''


def test_a_lone_rama_heading_is_no_scian_table(tmp_path, capsys):
    """b793d7c took a heading 'Rama' or 'Subrama' for INEGI's SCIAN levels, so a Chilean table
    of branches by label, read before with --industry-col Rama as custom industries, was
    refused as 'a SCIAN table (INEGI, Mexico)'.  'Rama' is Spanish for branch; it says SCIAN
    beside another of INEGI's level headings (SECTOR, SUBSECTOR, CLASE) only."""
    code, err, rows = ingest_text(tmp_path, capsys, "ine_chile_ramas.csv", CHILE_RAMAS,
                                  "--industry-col", "Rama")
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got[("Antofagasta", "Minería")] == 70000 and len(got) == 4


# INSEE's establishments of one size class by région and A38 activity (Flores), as a user
# saves the table: the size class ("Tranche d'effectif salarié") is a column of its own
INSEE_SIZE_CLASS = '''\
Région;Secteur NA38;Tranche d'effectif salarié;Nombre d'établissements
Bretagne;CA;10 à 49 salariés;1200
Bretagne;FZ;10 à 49 salariés;2100
Normandie;CA;10 à 49 salariés;900
Normandie;FZ;10 à 49 salariés;1800
'''


def test_a_size_class_of_employees_is_no_count_of_them(tmp_path, capsys):
    """6fbac3b and da97eb5 made 'effectif' (and a count word with 'salariés') employment, so
    INSEE's 'Tranche d'effectif salarié' (the size class, '10 à 49 salariés') became the
    employment column: a table of establishments read before with --measure-col was refused
    with 'not a number' on every line.  A heading with 'tranche' or 'taille' is a size class,
    no measure."""
    code, err, rows = ingest_text(
        tmp_path, capsys, "flores_tef.csv", INSEE_SIZE_CLASS, "--industry-col", "Secteur NA38",
        "--measure-col", "establishments=Nombre d'établissements", "--period", "2021",
        "--classification", "custom")
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["establishments"]) for r in rows}
    assert got == {("Bretagne", "CA"): 1200, ("Bretagne", "FZ"): 2100, ("Normandie", "CA"): 900,
                   ("Normandie", "FZ"): 1800}
    assert "employment" not in rows[0]


# INEGI's DENUE (directory of establishments) counted by state, sector and size class, as a
# user tabulates it: the size class by persons employed is a column of its own
DENUE_STRATUM = '''\
Entidad federativa;Sector;Estrato de personal ocupado;Unidades económicas
Nuevo León;Construcción;11 a 30 personas;1500
Nuevo León;Minería;11 a 30 personas;120
Jalisco;Construcción;11 a 30 personas;1700
Jalisco;Minería;11 a 30 personas;60
'''


def test_a_stratum_of_persons_employed_is_no_count_of_them(tmp_path, capsys):
    """ea85417 made 'ocupado' employment, so INEGI's 'Estrato de personal ocupado' (the size
    class, '11 a 30 personas') became the employment column, as IBGE's 'Faixa de tamanho
    (pessoal ocupado)' would: a table of establishments read before with --measure-col was
    refused with 'not a number' on every line.  Estrato, tamaño, tamanho and faixa head a size
    class, no measure."""
    code, err, rows = ingest_text(
        tmp_path, capsys, "denue_estratos.csv", DENUE_STRATUM, "--region-col", "Entidad federativa",
        "--industry-col", "Sector", "--measure-col", "establishments=Unidades económicas",
        "--period", "2023", "--classification", "custom")
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["establishments"]) for r in rows}
    assert got[("Jalisco", "Minería")] == 60 and len(got) == 4
    from clusterid.io.readers.generic_headings import role_of

    assert role_of("Personal ocupado total") == "employment"
    assert role_of("Faixa de tamanho (pessoal ocupado)") is None


def test_a_macedonian_table_in_cp1251_is_not_kazakh(tmp_path, capsys):
    """1ae8d2d read 8-bit Cyrillic as KZ-1048 where it held the bytes of Ќ ќ Ѕ ѕ Ј ј (Kazakh's
    қ ң ә in KZ-1048) and none of Ђ Ѓ Љ Њ Џ; a table of MakStat's (North Macedonia) regions
    saved in cp1251 has Ј and may have none of those, and 'Југозападен' came out 'Әугозападен'.
    KZ-1048 now also asks for a letter Macedonian and Serbian never write (ы й я ю ь э щ ё),
    which every Kazakh table has ('облысы')."""
    text = ("Регион;Сектор;Година;Вработени\n"
            "Скопски;C;2022;45000\nСкопски;F;2022;21000\n"
            "Југозападен;C;2022;12000\nЈугозападен;F;2022;6000\n"
            "Пелагониски;C;2022;15000\nПелагониски;F;2022;5000\n")
    src = tmp_path / "makstat_regioni.csv"
    src.write_bytes(text.encode("cp1251"))
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out), "--region-col", "Регион",
                                "--industry-col", "Сектор", "--period-col", "Година",
                                "--measure-col", "employment=Вработени"], capsys)
    assert code == 0, err
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert {r["region"] for r in rows} == {"Скопски", "Југозападен", "Пелагониски"}


# Rosstat's and stat.gov.kz's tables of one region by section, the sections grouped under the
# production of goods and of services (with each group's total), or under urban and rural
# areas (headings without figures), the region named in the title only
ONE_REGION_GOODS_SERVICES = '''\
Отрасль;2021;2022
Производство товаров;1700;1750
Сельское, лесное и рыбное хозяйство;300;315
Обрабатывающая промышленность;900;920
Строительство;500;515
Производство услуг;5000;5100
Образование;1800;1850
Здравоохранение и социальные услуги;1200;1230
'''
ONE_REGION_URBAN_RURAL = '''\
Отрасль;2021;2022
Городская местность;;
Сельское, лесное и рыбное хозяйство;100;105
Обрабатывающая промышленность;900;920
Строительство;500;515
Сельская местность;;
Сельское, лесное и рыбное хозяйство;700;710
Обрабатывающая промышленность;200;205
Строительство;150;160
'''


def test_groups_of_sections_in_one_region_are_not_regions(tmp_path, capsys):
    """0f105e3 reads a column of rows that are no section's title, each followed by section
    titles, as regions over their sections; a table of one region whose sections are grouped
    under 'Производство товаров' and 'Производство услуг', or under 'Городская местность' and
    'Сельская местность', has that shape, and its groups came out as two regions, silently,
    where it had been refused asking for --region.  The rows are regions where most are named
    as regions are (область, г., республика, a country's name, a capital)."""
    code, err, _rows = ingest_text(tmp_path, capsys, "goods_services.csv", ONE_REGION_GOODS_SERVICES)
    assert code == 1 and "--region" in err, err
    code, err, _rows = ingest_text(tmp_path, capsys, "urban_rural.csv", ONE_REGION_URBAN_RURAL)
    assert code == 1 and "regions or industry headings?" in err, err
    # with the region given, the first is read (each group's total an uncoded row)
    code, err, rows = ingest_text(tmp_path, capsys, "goods_services.csv", ONE_REGION_GOODS_SERVICES,
                                  "--region", "RU-KLU:Калужская область")
    assert code == 0, err
    assert {r["region"] for r in rows} == {"RU-KLU"}


# Statistik Austria's STATcube export of the AMS's unemployed by their last industry: the one
# value column "Anzahl" (count) under a title that names the unemployed, no employment
STATCUBE_UNEMPLOYED = '''\
"Arbeitsmarktstatistik: Arbeitslose 2023 nach Bundesland und ÖNACE 2008"
""
"Bundesland";"ÖNACE 2008 Abschnitte";"Anzahl"
"Burgenland <AT11>";"Herstellung von Waren <C>";"1.400"
"Burgenland <AT11>";"Bau <F>";"1.100"
"Wien <AT13>";"Herstellung von Waren <C>";"6.000"
"Wien <AT13>";"Bau <F>";"9.000"
""
"Quelle: STATISTIK AUSTRIA. Erstellt am 29.11.2026."
'''


def test_a_count_of_what_a_title_names_no_measure_of_is_not_employment(tmp_path, capsys):
    """6f8df99 read STATcube's one value column 'Anzahl' as the measure its title names,
    employment otherwise; a count of the unemployed by their last industry ('Arbeitslose' in
    the title) was read as employment, silently, where it had been refused for want of a
    measure.  'Anzahl' is a measure where the title (or --measure) names one; 6f8df99's table
    of 'Erwerbstätige' reads as before."""
    code, err, _rows = ingest_text(tmp_path, capsys, "statcube_al.csv", STATCUBE_UNEMPLOYED)
    assert code == 1 and "no measure column recognised" in err, err
    code, err, rows = ingest_text(tmp_path, capsys, "statcube_al.csv", STATCUBE_UNEMPLOYED,
                                  "--measure", "employment")
    assert code == 0, err
    assert float({(r["region"], r["industry"]): r for r in rows}[("AT13", "F")]["employment"]) == 9000


# INE Chile's ENE employed by region and branch as its spreadsheet heads the count: in
# thousands, said in the heading's brackets
ENE_HEADING_MILES = '''\
Región;Rama de actividad;Año;Ocupados (miles)
Antofagasta;B;2023;70.5
Antofagasta;F;2023;40.2
Biobío;B;2023;3.1
Biobío;F;2023;60.4
'''


def test_thousands_in_a_spanish_heading_scale_its_values(tmp_path, capsys):
    """bb9573a made 'ocupados' employment and 'miles' a unit in titles and unit columns, but a
    heading's brackets knew only the English and German words: ENE's 'Ocupados (miles)', a
    table refused before for want of a measure, came out with Antofagasta's 70,500 miners as
    70.5 persons, silently.  '(miles)', '(miles de personas)' and '(mil pessoas)' in a heading
    now scale its values as 'Beschäftigte (1000)' and 'in thousands' do."""
    code, err, rows = ingest_text(tmp_path, capsys, "ene_ramas.csv", ENE_HEADING_MILES)
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("Antofagasta", "B"): 70500, ("Antofagasta", "F"): 40200,
                   ("Biobío", "B"): 3100, ("Biobío", "F"): 60400}


def test_thousands_in_french_scale_an_emploi_table(tmp_path, capsys):
    """6fbac3b made 'Emploi' employment; INSEE heads its estimates in thousands as 'Emploi (en
    milliers)', or says '(en milliers)' at the end of the title, and neither was a unit:
    Bretagne's 60,500 food-industry jobs came out as 60.5 persons, silently, where the table
    had been refused.  'milliers' (and Portuguese 'milhares'), after 'en'/'em', are thousands."""
    heading = ("Région;Secteur NA38;Année;Emploi (en milliers)\n"
               "Bretagne;CA;2021;60.5\nNormandie;CA;2021;45.2\n")
    titled = ('"Emploi salarié par région et secteur, 2021 (en milliers)"\n\n'
              "Région;Secteur NA38;Emploi\nBretagne;CA;60.5\nNormandie;CA;45.2\n")
    for name, text in (("emploi_heading.csv", heading), ("emploi_title.csv", titled)):
        code, err, rows = ingest_text(tmp_path, capsys, name, text, "--industry-col", "Secteur NA38",
                                      "--classification", "custom")
        assert code == 0, err
        assert {(r["region"], float(r["employment"])) for r in rows} == {
            ("Bretagne", 60500), ("Normandie", 45200)}, name


# INEGI's economic census by municipality as a user keeps it: the state ("Entidad") left of
# the municipality, the one given with --region-col
INEGI_MUNICIPIOS = '''\
Entidad;Municipio;Sector;Año;employment
Nuevo León;Monterrey;Construcción;2019;50000
Nuevo León;Monterrey;Minería;2019;2000
Nuevo León;Apodaca;Construcción;2019;8000
Nuevo León;Apodaca;Minería;2019;300
Jalisco;Guadalajara;Construcción;2019;40000
Jalisco;Guadalajara;Minería;2019;500
'''


def test_the_region_above_the_one_given_is_not_its_name(tmp_path, capsys):
    """ea85417 made 'Entidad' a region heading; with the municipality given by --region-col,
    the state left of it became each municipality's name: Monterrey and Apodaca both named
    'Nuevo León' in the output and in lq's and the report's tables, where 'Entidad' had been
    a column not read.  A region heading left of the --region-col column is the region above
    it, not its name (a code's name stands right of the code)."""
    code, err, rows = ingest_text(tmp_path, capsys, "inegi_municipios.csv", INEGI_MUNICIPIOS,
                                  "--region-col", "Municipio", "--classification", "custom")
    assert code == 0, err
    assert {(r["region"], r["region_name"]) for r in rows} == {
        ("Monterrey", ""), ("Apodaca", ""), ("Guadalajara", "")}
    text = "Code;Region;industry;year;employment\n05001;Medellín;C;2022;90000\n11001;Bogotá;C;2022;250000\n"
    code, err, rows = ingest_text(tmp_path, capsys, "codes.csv", text, "--region-col", "Code")
    assert code == 0, err
    assert {(r["region"], r["region_name"]) for r in rows} == {("05001", "Medellín"), ("11001", "Bogotá")}


# INSEE's employment by zone as its tables by metropolitan France and the overseas
# départements give it: metropolitan France one row beside Guadeloupe, Martinique, La Réunion
INSEE_METRO_AND_DOM = '''\
Zone;Secteur;Année;Emploi
France métropolitaine;BE;2021;3200000
France métropolitaine;FZ;2021;1450000
Guadeloupe;BE;2021;9000
Guadeloupe;FZ;2021;8000
Martinique;BE;2021;8500
Martinique;FZ;2021;7000
La Réunion;BE;2021;20000
La Réunion;FZ;2021;21000
'''


def test_metropolitan_france_beside_the_overseas_departements_is_no_total(tmp_path, capsys):
    """d63b706 made 'France métropolitaine' a region total; beside the overseas départements
    alone it is one part of France among them, and it was dropped as 'the sum of the other
    regions': 4,650,000 workers lost and the DOM's LQs benchmarked against the DOM alone.  It
    is a total only beside other regions than the overseas ones (its régions, départements)."""
    code, err, rows = ingest_text(tmp_path, capsys, "emploi_zones.csv", INSEE_METRO_AND_DOM,
                                  "--region-col", "Zone", "--industry-col", "Secteur",
                                  "--measure-col", "employment=Emploi", "--period-col", "Année")
    assert code == 0, err
    assert {r["region"] for r in rows} == {"France métropolitaine", "Guadeloupe", "Martinique",
                                           "La Réunion"}
    with_regions = INSEE_METRO_AND_DOM + "Bretagne;BE;2021;180000\nBretagne;FZ;2021;90000\n"
    code, err, rows = ingest_text(tmp_path, capsys, "emploi_regions.csv", with_regions,
                                  "--region-col", "Zone", "--industry-col", "Secteur",
                                  "--measure-col", "employment=Emploi", "--period-col", "Année")
    assert code == 0, err
    assert "France métropolitaine" not in {r["region"] for r in rows}


def test_headings_under_a_year_alone_are_the_header(tmp_path, capsys):
    """5c290a5 takes a row of one year after an empty first cell for the header where the row
    under it has a name and a cell under the year (Rosstat's ';2021' over 'Белгородская
    область;748,4'); a table of one region whose headings stand under the year (';2021' over
    'Wirtschaftszweig;Beschäftigte'), read before with the year from that line, was refused as
    having no industry column, its headings taken for a row of data.  The cell under the year
    must be a figure or a marker, as 5c290a5's own docstring says."""
    text = ";2021\nWirtschaftszweig;Beschäftigte\nC;1200000\nF;400000\n"
    code, err, rows = ingest_text(tmp_path, capsys, "bayern_2021.csv", text, "--region", "09:Bayern")
    assert code == 0, err
    assert {(r["period"], r["industry"], float(r["employment"])) for r in rows} == {
        ("2021", "C", 1200000), ("2021", "F", 400000)}
