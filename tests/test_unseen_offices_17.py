"""National statistical offices' regional employment tables the project had not been run on
(crash hunt, session 17: SSB, Statistics Finland, INSEE, ISTAT): each test writes the file in
the layout the office's download gives (headings, codes, title lines) and reads it with ingest
and lq, the figures checked by hand."""

from __future__ import annotations

from conftest import csv_rows, ingest_text, lq_text, run_main


# Statistics Norway (SSB), StatBank table 07984 as "semicolon separated with heading", the
# year chosen alone and so written in the title after the table's name; næring (SN2007) is
# the Norwegian NACE Rev. 2
SSB_ONE_YEAR = '''\
"07984: Sysselsatte per 4. kvartal, etter region, næring (SN2007) og statistikkvariabel, 2022"

"region";"næring (SN2007)";"Sysselsatte"
"03 Oslo";"C Industri";11000
"46 Vestland";"C Industri";30000
'''


def test_a_classification_edition_in_the_title_is_no_period(tmp_path, capsys):
    """"næring (SN2007)" in SSB's title was read as the table's year: with 2022 beside it the
    title named two years and the table was refused; without it every row was dated 2007,
    silently.  An edition of SN, SNI, TOL, ATECO, NAF or PKD is no period, as WZ 2008's is not."""
    measure = ("--measure-col", "employment=Sysselsatte")
    code, err, rows = ingest_text(tmp_path, capsys, "07984.csv", SSB_ONE_YEAR, *measure)
    assert code == 0, err
    assert {r["period"] for r in rows} == {"2022"}
    edition_only = SSB_ONE_YEAR.replace(" og statistikkvariabel, 2022", " og statistikkvariabel")
    code, err, rows = ingest_text(tmp_path, capsys, "07984b.csv", edition_only, *measure)
    assert code == 1 and "--period" in err and "2007" not in err.replace("SN2007", ""), err


# Statistics Finland, StatFin PX-Web table in Finnish ("Puolipiste-eroteltu otsikolla":
# semicolon separated with heading), every variable down the side: Alue (maakunta with its MK
# code, KOKO MAA the whole country), Toimiala (TOL 2008) with SSS for all industries, Vuosi
STATFIN_FI = '''\
"Työlliset työpaikan alueen, toimialan (TOL 2008) ja vuoden mukaan"

"Alue";"Toimiala (TOL 2008)";"Vuosi";"Työlliset"
"KOKO MAA";"SSS Kaikki toimialat";"2022";2531000
"KOKO MAA";"C Teollisuus";"2022";340000
"MK01 Uusimaa";"SSS Kaikki toimialat";"2022";945000
"MK01 Uusimaa";"C Teollisuus";"2022";71000
"MK02 Varsinais-Suomi";"SSS Kaikki toimialat";"2022";224000
"MK02 Varsinais-Suomi";"C Teollisuus";"2022";42000
'''


def test_statfin_finnish_headings(tmp_path, capsys):
    """StatFin's Finnish headings named no column (refused: no region column; with --region-col
    Alue the year came from "TOL 2008" in the title, 2008 on every row, and "SSS Kaikki
    toimialat" was an uncoded industry, not the regions' totals).  Alue, Toimiala, Vuosi and
    Työlliset are read, SSS Kaikki toimialat is all industries, KOKO MAA the country's total."""
    code, err, rows = ingest_text(tmp_path, capsys, "statfin_115x.csv", STATFIN_FI)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("2022", "MK01", "10"): 945000, ("2022", "MK01", "C"): 71000,
                   ("2022", "MK02", "10"): 224000,
                   ("2022", "MK02", "C"): 42000}
    lq = lq_text(tmp_path, capsys, "statfin_115x.csv", STATFIN_FI)
    # Uusimaa's manufacturing: 71,000 of 945,000 against 113,000 of 1,169,000 (two regions)
    assert abs(float(lq[("MK01", "C")]["lq"]) - (71000 / 945000) / (113000 / 1169000)) < 1e-5


# Statistics Norway (SSB), StatBank table 07984 "semicolon separated with heading", every
# variable down the side: region with its code, næring (SN2007), år, the content last
SSB_LONG = '''\
"07984: Sysselsatte per 4. kvartal, etter region, næring (SN2007), statistikkvariabel og år"

"region";"næring (SN2007)";"år";"Sysselsatte"
"0 Hele landet";"C Industri";"2022";220000
"0 Hele landet";"F Bygge- og anleggsvirksomhet";"2022";250000
"03 Oslo";"C Industri";"2022";11000
"03 Oslo";"F Bygge- og anleggsvirksomhet";"2022";30000
"46 Vestland";"C Industri";"2022";30000
"46 Vestland";"F Bygge- og anleggsvirksomhet";"2022";25000
'''


def test_ssb_year_and_employed_headings(tmp_path, capsys):
    """SSB's "år" (year) and "Sysselsatte" (employed) named no column: the table was refused
    for want of a measure, and with --measure-col the year came from "SN2007" in the title."""
    code, err, rows = ingest_text(tmp_path, capsys, "07984.csv", SSB_LONG)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("2022", "03", "C"): 11000, ("2022", "03", "F"): 30000,
                   ("2022", "46", "C"): 30000, ("2022", "46", "F"): 25000}


# SSB's standard grouping of SN2007 in its regional tables: division ranges, some across
# sections (35-39 is D and E, 90-99 R to U), "00-99 Alle næringer" for all industries and
# "00 Uoppgitt" for the unknown
SSB_GROUPS = '''\
"07984: Sysselsatte per 4. kvartal, etter region, næring (SN2007), statistikkvariabel og år"

"region";"næring (SN2007)";"år";"Sysselsatte"
"0 Hele landet";"00-99 Alle næringer";"2022";2900000
"0 Hele landet";"01-03 Jordbruk, skogbruk og fiske";"2022";60000
"0 Hele landet";"10-33 Industri";"2022";220000
"0 Hele landet";"35-39 Elektrisitet, vann og renovasjon";"2022";30000
"03 Oslo";"00-99 Alle næringer";"2022";530000
"03 Oslo";"01-03 Jordbruk, skogbruk og fiske";"2022";1000
"03 Oslo";"10-33 Industri";"2022";11000
"03 Oslo";"35-39 Elektrisitet, vann og renovasjon";"2022";5000
"03 Oslo";"00 Uoppgitt";"2022";4000
"46 Vestland";"00-99 Alle næringer";"2022";330000
"46 Vestland";"01-03 Jordbruk, skogbruk og fiske";"2022";9000
"46 Vestland";"10-33 Industri";"2022";30000
"46 Vestland";"35-39 Elektrisitet, vann og renovasjon";"2022";4000
'''


def test_ssb_division_groups_and_all_industries(tmp_path, capsys):
    """SSB's groups were custom industries and "00-99 Alle næringer" one more of them, so
    lq's region total was the sum of every row: Oslo's 551,000 for its 530,000 jobs, and its
    manufacturing LQ 0.451 instead of 0.435.  The ranges are NACE division ranges (35-39 is
    D35-E39), 00-99 Alle næringer is all industries; "00 Uoppgitt" (unknown: NACE has no
    division 00) is kept under its name, outside the level sums."""
    code, err, rows = ingest_text(tmp_path, capsys, "07984.csv", SSB_GROUPS)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert {i for _r, i in got} == {"10", "A01-A03", "C10-C33", "D35-E39", "00 Uoppgitt"}
    assert {r["classification"] for r in rows if r["industry"] != "00 Uoppgitt"} == {"NACE"}
    assert float(got[("03", "10")]["employment"]) == 530000
    lq = lq_text(tmp_path, capsys, "07984.csv", SSB_GROUPS)
    oslo = lq[("03", "C10-C33")]
    assert float(oslo["region_total"]) == 530000 and float(oslo["benchmark_total"]) == 860000
    # Oslo's manufacturing: 11,000 of 530,000 against 41,000 of 860,000
    assert abs(float(oslo["lq"]) - (11000 / 530000) / (41000 / 860000)) < 1e-5


# INSEE's Melodi catalogue, a dataset's CSV download (semicolon separated, SDMX-like
# dimensions: GEO with GEO_OBJECT its kind, EMP_ACTIVITY, TIME_PERIOD, OBS_VALUE, OBS_STATUS),
# employment by département at INSEE's A5 level of its aggregated classification (NA 2008):
# AZ agriculture, BE industry (B to E), FZ construction, GU market services (G to N, R to U),
# OQ non-market services (O to Q), _T all
def _melodi(activities: dict) -> str:
    head = "GEO;GEO_OBJECT;EMP_ACTIVITY;EMPFORM;SEX;FREQ;TIME_PERIOD;OBS_VALUE;OBS_STATUS\n"
    return head + "".join(f"{geo};DEP;{act};_T;_T;A;2022;{v};A\n"
                          for geo, by in activities.items() for act, v in by.items())


MELODI_A5 = _melodi({
    "13": {"_T": 880000, "AZ": 8000, "BE": 70000, "FZ": 60000, "GU": 480000, "OQ": 262000},
    "29": {"_T": 380000, "AZ": 20000, "BE": 60000, "FZ": 30000, "GU": 160000, "OQ": 110000},
    "75": {"_T": 1900000, "AZ": 1000, "BE": 70000, "FZ": 50000, "GU": 1380000, "OQ": 399000},
})


def test_insee_a5_codes_are_nace_sections_and_their_aggregates(tmp_path, capsys):
    """INSEE's A5 and A10 codes were refused (AZ, FZ: no NACE code) or, in a table without
    them, read as runs of sections: BE as B and E (not B to E), OQ as O and Q, GU as G and U.
    They are NACE's sections (AZ -> A) and aggregates (BE -> B-E, OQ -> O-Q, GU -> G-N+R-U)."""
    code, err, rows = ingest_text(tmp_path, capsys, "DS_ESTEL_A5.csv", MELODI_A5)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert {i for _r, i in got} == {"10", "A", "B-E", "F", "G-N+R-U", "O-Q"}
    assert {r["classification"] for r in rows} == {"NACE"}
    assert float(got[("29", "B-E")]["employment"]) == 60000
    lq = lq_text(tmp_path, capsys, "DS_ESTEL_A5.csv", MELODI_A5)
    # Finistère's industry: 60,000 of 380,000 against 200,000 of 3,160,000
    assert abs(float(lq[("29", "B-E")]["lq"]) - (60000 / 380000) / (200000 / 3160000)) < 1e-5
    # without AZ and FZ (a table of industry and services): still INSEE's BE, not B and E
    services = "".join(line + "\n" for line in MELODI_A5.splitlines() if ";AZ;" not in line
                       and ";FZ;" not in line)
    code, err, rows = ingest_text(tmp_path, capsys, "DS_ESTEL_A5_services.csv", services)
    assert code == 0, err
    assert {r["industry"] for r in rows} == {"10", "B-E", "G-N+R-U", "O-Q"}


MELODI_A17 = _melodi({
    "13": {"_T": 880000, "AZ": 8000, "C1": 12000, "C3": 9000, "C5": 30000, "DE": 19000,
           "FZ": 60000, "GZ": 120000, "MN": 150000, "OQ": 262000, "RU": 210000},
    "29": {"_T": 380000, "AZ": 20000, "C1": 25000, "C3": 4000, "C5": 20000, "DE": 11000,
           "FZ": 30000, "GZ": 50000, "MN": 40000, "OQ": 110000, "RU": 70000},
})


def test_insee_a17_codes_are_read_as_published(tmp_path, capsys):
    """INSEE's A17 splits manufacturing into C1-C5 and puts B with D and E in DE: no one
    NACE level holds it (read as NACE sections its level sums would leave manufacturing
    out, and DE is B+D+E, not D and E).  Its codes are read as custom industries, each row
    one, as published, and said so on stderr; the LQs are those of the published rows."""
    code, err, rows = ingest_text(tmp_path, capsys, "DS_ESTEL_A17.csv", MELODI_A17)
    assert code == 0, err
    assert {r["classification"] for r in rows} == {"custom"}
    assert {r["industry"] for r in rows} == {"10", "AZ", "C1", "C3", "C5", "DE", "FZ", "GZ",
                                             "MN", "OQ", "RU"}
    assert "INSEE" in err and "A17" in err
    lq = lq_text(tmp_path, capsys, "DS_ESTEL_A17.csv", MELODI_A17)
    # Finistère's food industry (C1): 25,000 of 380,000 against 37,000 of 1,260,000
    assert abs(float(lq[("29", "C1")]["lq"]) - (25000 / 380000) / (37000 / 1260000)) < 1e-5


def test_insee_france_beside_its_departements_is_their_total(tmp_path, capsys):
    """A Melodi table with France (GEO_OBJECT FRANCE) above its départements: France was kept
    as a third region, so lq's sum of regions added it to its own départements (Finistère's
    industry LQ against 3,430,000 of 30,780,000 jobs instead of 130,000 of 2,280,000).
    GEO_OBJECT is the region level (FRANCE the nation), and a table without it drops France
    by its name, as it does Deutschland."""
    by_geo = {
        "FRANCE": {"_T": 28500000, "AZ": 700000, "BE": 3300000, "FZ": 1900000, "GU": 14600000,
                   "OQ": 8000000},
        "29": {"_T": 380000, "AZ": 20000, "BE": 60000, "FZ": 30000, "GU": 160000, "OQ": 110000},
        "75": {"_T": 1900000, "AZ": 1000, "BE": 70000, "FZ": 50000, "GU": 1380000, "OQ": 399000},
    }
    melodi = _melodi(by_geo).replace("FRANCE;DEP;", "FRANCE;FRANCE;")
    lq = lq_text(tmp_path, capsys, "DS_ESTEL_FR.csv", melodi)
    finistere = lq[("29", "B-E")]
    assert float(finistere["benchmark_total"]) == 2280000
    assert abs(float(finistere["lq"]) - (60000 / 380000) / (130000 / 2280000)) < 1e-5
    # an INSEE local file: the country by its name, no GEO_OBJECT
    local = "CODGEO;A5;ANNEE;EMPLOI\n" + "".join(
        f"{'France' if geo == 'FRANCE' else geo};{act};2022;{v}\n"
        for geo, by in by_geo.items() for act, v in by.items())
    code, err, rows = ingest_text(tmp_path, capsys, "estel_dep.csv", local,
                                  "--region-col", "CODGEO", "--industry-col", "A5",
                                  "--period-col", "ANNEE", "--measure-col", "employment=EMPLOI")
    assert code == 0, err
    assert {r["region"] for r in rows} == {"29", "75"} and "region total rows" in err


# ISTAT's I.Stat (dati.istat.it), a dataset exported as CSV: each dimension as a code column
# and a label column (ITTER107 / Territorio, ATECO_2007 / Ateco 2007, TIME / Seleziona
# periodo), Value, Flag Codes and Flags.  ITTER107 holds NUTS codes (IT the country, ITC4 a
# region, ITC4C a province); ATECO 2007's total is 0010 "totale"
ISTAT_ISTAT = '''\
"ITTER107","Territorio","TIPO_DATO_AML","Tipo dato","ATECO_2007","Ateco 2007","TIME","Seleziona periodo","Value","Flag Codes","Flags"
"IT","Italia","EMP","occupati","0010","totale","2021","2021","25000000","",""
"IT","Italia","EMP","occupati","C","attività manifatturiere","2021","2021","4000000","",""
"ITC4","Lombardia","EMP","occupati","0010","totale","2021","2021","4500000","",""
"ITC4","Lombardia","EMP","occupati","C","attività manifatturiere","2021","2021","1000000","",""
"ITF3","Campania","EMP","occupati","0010","totale","2021","2021","1700000","",""
"ITF3","Campania","EMP","occupati","C","attività manifatturiere","2021","2021","180000","",""
"ITC4C","Milano","EMP","occupati","0010","totale","2021","2021","2200000","",""
"ITC4C","Milano","EMP","occupati","C","attività manifatturiere","2021","2021","300000","",""
"ITF33","Napoli","EMP","occupati","0010","totale","2021","2021","900000","",""
"ITF33","Napoli","EMP","occupati","C","attività manifatturiere","2021","2021","60000","",""
'''


def test_istat_itter107_is_nuts_and_0010_totale_is_the_total(tmp_path, capsys):
    """ISTAT's export was refused (no region column: ITTER107, Territorio); with --region-col
    and --industry-col its 0010 "totale" was no code, and once past that the country, its
    regions and its provinces were one level: lq's sum of regions added Italy and Lombardy to
    Milan.  ITTER107's NUTS codes give the levels, Territorio is the name, 0010 totale the
    all-industries row."""
    code, err, rows = ingest_text(tmp_path, capsys, "DCCV_OCCUPATIT1.csv", ISTAT_ISTAT)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert got[("ITC4", "10")]["region_name"] == "Lombardia"
    assert got[("ITC4", "10")]["region_level"] == "nuts2"
    assert got[("ITC4C", "10")]["region_level"] == "nuts3"
    assert float(got[("ITC4C", "C")]["employment"]) == 300000
    lq = lq_text(tmp_path, capsys, "DCCV_OCCUPATIT1.csv", ISTAT_ISTAT)
    milano = lq[("ITC4C", "C")]
    # Milan's manufacturing: 300,000 of 2,200,000 against the two provinces' 360,000 of 3,100,000
    assert float(milano["benchmark_total"]) == 3100000
    assert abs(float(milano["lq"]) - (300000 / 2200000) / (360000 / 3100000)) < 1e-5


# an INSEE local file by commune (CODGEO, LIBGEO), the activity as NAF rév. 2 subclasses
# (APET700: 10.11Z ...), the year (ANNEE) and the number of employees (NB_SALARIES:
# "nombre de salariés")
INSEE_COMMUNES = '''\
CODGEO;LIBGEO;APET700;ANNEE;NB_SALARIES
29019;Brest;10.11Z;2022;350
29019;Brest;30.11Z;2022;2500
75056;Paris;10.11Z;2022;40
75056;Paris;30.11Z;2022;10
'''


def test_a_column_given_for_one_measure_is_not_read_as_another(tmp_path, capsys):
    """--measure-col employment=NB_SALARIES read the column as employment and, by its word
    'salaries', as wages too: every count of employees came out a second time as a payroll.
    A column the user gave for a measure is no other measure's; and INSEE's NB_SALARIES
    (nombre de salariés, a count) is employment, not wages, without the option."""
    opts = ("--region-col", "CODGEO", "--industry-col", "APET700", "--period-col", "ANNEE")
    code, err, rows = ingest_text(tmp_path, capsys, "insee_communes.csv", INSEE_COMMUNES, *opts,
                                  "--measure-col", "employment=NB_SALARIES")
    assert code == 0, err
    assert "wages" not in rows[0] and float(rows[0]["employment"]) in (350, 2500, 40, 10)
    code, err, rows = ingest_text(tmp_path, capsys, "insee_communes.csv", INSEE_COMMUNES, *opts)
    assert code == 0, err
    assert "wages" not in rows[0] and "employment" in rows[0]


# an INSEE local file by commune at the A38 level: CODGEO, LIBGEO, A38, ANNEE, EFFECTIF
INSEE_A38 = '''\
CODGEO;LIBGEO;A38;ANNEE;EFFECTIF
29019;Brest;AZ;2022;150
29019;Brest;CA;2022;470
29019;Brest;CL;2022;2500
29019;Brest;JA;2022;300
35238;Rennes;AZ;2022;90
35238;Rennes;CA;2022;900
35238;Rennes;CL;2022;4000
35238;Rennes;JA;2022;1500
75056;Paris;AZ;2022;10
75056;Paris;CA;2022;340
75056;Paris;CL;2022;10
75056;Paris;JA;2022;60000
'''


def test_insee_local_file_headings(tmp_path, capsys):
    """INSEE's local files head the commune's code CODGEO and its name LIBGEO, the year
    ANNEE, the activity by its level (A38) and the count EFFECTIF: none was read (refused for
    want of a region column).  They are now, the A38 codes as published (INSEE's A38 splits
    sections C, J, M and Q)."""
    code, err, rows = ingest_text(tmp_path, capsys, "insee_a38_communes.csv", INSEE_A38)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert got[("29019", "CL")]["region_name"] == "Brest"
    assert float(got[("29019", "CL")]["employment"]) == 2500
    assert {r["period"] for r in rows} == {"2022"} and {r["classification"] for r in rows} == {"custom"}
    lq = lq_text(tmp_path, capsys, "insee_a38_communes.csv", INSEE_A38)
    # Brest's transport equipment (CL): 2,500 of 3,420 against 6,510 of 70,270 (no total row:
    # each commune's total is the sum of its rows)
    assert abs(float(lq[("29019", "CL")]["lq"]) - (2500 / 3420) / (6510 / 70270)) < 1e-5


# NOMIS (ONS BRES, open access), "Download data" as CSV with the SIC 2007 divisions down and
# the local authorities across (the query's layout with geography as the column dimension)
NOMIS_AREAS_ACROSS = '''\
"Business Register and Employment Survey : open access"
"ONS Crown Copyright Reserved [from Nomis on 29 November 2026]"
"date","2022"
"measure","Count"
"employment status","Employment"

"Industry","Hartlepool","Middlesbrough","Redcar and Cleveland"
"01 : Crop and animal production, hunting and related service activities","75","20","150"
"10 : Manufacture of food products","1,250","600","700"
"49 : Land transport and transport via pipelines","400","900","350"
"78 : Employment activities","300","1,250","100"

"* Employment includes employees plus the number of working owners."
"Figures may not sum due to rounding"
'''


def test_nomis_areas_across(tmp_path, capsys):
    """NOMIS's download with the areas across was refused ("no region column recognised ...
    name it with --region-col", an option that cannot read it, and no --wide-axis reads
    regions).  In a NOMIS download (its "from Nomis on" title line) the headings beside the
    industry column that are no period, industry or measure are its areas."""
    code, err, rows = ingest_text(tmp_path, capsys, "bres_divisions_by_la.csv", NOMIS_AREAS_ACROSS)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert len(got) == 12 and {r["period"] for r in rows} == {"2022"}
    assert float(got[("Middlesbrough", "N78")]["employment"]) == 1250
    assert float(got[("Hartlepool", "C10")]["employment"]) == 1250
    lq = lq_text(tmp_path, capsys, "bres_divisions_by_la.csv", NOMIS_AREAS_ACROSS)
    # Hartlepool's food manufacturing: 1,250 of 2,025 against 2,550 of 6,095 (no total row)
    assert abs(float(lq[("Hartlepool", "C10")]["lq"]) - (1250 / 2025) / (2550 / 6095)) < 1e-5


# Statistics Poland's Local Data Bank (BDL), a variable's data downloaded as CSV (semicolon
# separated, one row per unit, dimension and year): Kod and Nazwa of the territorial unit
# (POLSKA above its województwa), the variable's dimension (Grupy sekcji PKD 2007, "ogółem"
# for all), Rok, Wartosc, Jednostka miary, Atrybut
GUS_BDL = '''\
Kod;Nazwa;Grupy sekcji PKD 2007;Rok;Wartosc;Jednostka miary;Atrybut
0000000;POLSKA;ogółem;2022;16430000;osoba;
0000000;POLSKA;przemysł i budownictwo;2022;5100000;osoba;
0200000;DOLNOŚLĄSKIE;ogółem;2022;1250000;osoba;
0200000;DOLNOŚLĄSKIE;przemysł i budownictwo;2022;420000;osoba;
1200000;MAŁOPOLSKIE;ogółem;2022;1400000;osoba;
1200000;MAŁOPOLSKIE;przemysł i budownictwo;2022;430000;osoba;
'''


def test_gus_bdl_download(tmp_path, capsys):
    """BDL's download was refused (no industry column), and with every column named POLSKA
    was a third region beside its województwa and "ogółem" (all) one more industry: each
    region's total summed its own total with its parts.  Kod and Nazwa are the unit, PKD the
    industry heading, Rok the year, Wartosc the value; ogółem is all industries and POLSKA the
    country's total."""
    code, err, rows = ingest_text(tmp_path, capsys, "LR_pracujacy.csv", GUS_BDL)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert {r for r, _i in got} == {"0200000", "1200000"}
    assert got[("0200000", "10")]["region_name"] == "DOLNOŚLĄSKIE"
    assert float(got[("0200000", "10")]["employment"]) == 1250000
    lq = lq_text(tmp_path, capsys, "LR_pracujacy.csv", GUS_BDL)
    dolnoslaskie = lq[("0200000", "przemysł i budownictwo")]
    # Lower Silesia's industry and construction: 420,000 of 1,250,000 against 850,000 of 2,650,000
    assert abs(float(dolnoslaskie["lq"]) - (420000 / 1250000) / (850000 / 2650000)) < 1e-5


# Statistik Austria's STATcube, a table exported as CSV: a title line, the dimensions' labels
# with their codes in angle brackets ("Burgenland <AT11>", "Herstellung von Waren <C>"), the
# one value column headed "Anzahl" (count), German thousands, a source line under the table
STATCUBE = '''\
"Abgestimmte Erwerbsstatistik: Erwerbstätige am Arbeitsort 2021 nach Bundesland und ÖNACE 2008"
""
"Bundesland";"ÖNACE 2008 Abschnitte";"Anzahl"
"Österreich <AT>";"Insgesamt";"4.412.000"
"Österreich <AT>";"Herstellung von Waren <C>";"690.000"
"Burgenland <AT11>";"Insgesamt";"110.000"
"Burgenland <AT11>";"Herstellung von Waren <C>";"14.000"
"Niederösterreich <AT12>";"Insgesamt";"700.000"
"Niederösterreich <AT12>";"Herstellung von Waren <C>";"110.000"
"Wien <AT13>";"Insgesamt";"1.050.000"
"Wien <AT13>";"Herstellung von Waren <C>";"60.000"
""
"Quelle: STATISTIK AUSTRIA, Abgestimmte Erwerbsstatistik. Erstellt am 29.11.2026."
'''


def test_statcube_anzahl_is_the_value_its_title_names(tmp_path, capsys):
    """STATcube's one value column "Anzahl" named no measure (refused); it holds what the
    title counts (Erwerbstätige: employment), as a column headed "Wert" or "value" does."""
    code, err, rows = ingest_text(tmp_path, capsys, "statcube_aest.csv", STATCUBE)
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    # Österreich <AT> is kept as the nation (nuts0) beside its Bundesländer (nuts2), as under a
    # `geo` heading: since session 31 NUTS codes get their levels under any heading once one
    # starts another.  (Unlevelled, it was dropped as the regions' sum.)
    assert got == {("AT", "10"): 4412000, ("AT", "C"): 690000,
                   ("AT11", "10"): 110000, ("AT11", "C"): 14000, ("AT12", "10"): 700000,
                   ("AT12", "C"): 110000, ("AT13", "10"): 1050000, ("AT13", "C"): 60000}
    assert {r["region"]: r["region_level"] for r in rows} == {
        "AT": "nuts0", "AT11": "nuts2", "AT12": "nuts2", "AT13": "nuts2"}


# Statistics Sweden's RAMS table in PX-Web (Swedish, "comma delimited with heading"): SNI
# 2007 in the aggregation SCB publishes (B+C, D+E ...), "A-U+US samtliga näringsgrenar" for
# all industries with the unknown (US okänd verksamhet), 00 Riket above the counties
SCB_RAMS = '''\
"Förvärvsarbetande 16+ år med arbetsplats i regionen (dagbefolkning) (RAMS) efter region, näringsgren SNI 2007 och år"

"region","näringsgren SNI 2007","2022"
"00 Riket","A-U+US samtliga näringsgrenar",5140000
"00 Riket","B+C tillverkning och utvinning",565000
"00 Riket","US okänd verksamhet",82000
"01 Stockholms län","A-U+US samtliga näringsgrenar",1310000
"01 Stockholms län","B+C tillverkning och utvinning",59000
"01 Stockholms län","US okänd verksamhet",31000
"03 Uppsala län","A-U+US samtliga näringsgrenar",196000
"03 Uppsala län","B+C tillverkning och utvinning",17000
"03 Uppsala län","US okänd verksamhet",3100
'''


def test_scb_all_industries_with_the_unknown_is_the_total(tmp_path, capsys):
    """SCB's "A-U+US samtliga näringsgrenar" was an uncoded industry, not the total: lq took
    each county's total as the sum of its coded rows (Stockholm's 59,000 for its 1,310,000
    jobs), and its manufacturing LQ came out 1.0 instead of 0.89."""
    code, err, rows = ingest_text(tmp_path, capsys, "AM0207.csv", SCB_RAMS)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert float(got[("01", "10")]["employment"]) == 1310000
    lq = lq_text(tmp_path, capsys, "AM0207.csv", SCB_RAMS)
    stockholm = lq[("01", "B+C")]
    assert float(stockholm["region_total"]) == 1310000
    # Stockholm's manufacturing and mining: 59,000 of 1,310,000 against 76,000 of 1,506,000
    assert abs(float(stockholm["lq"]) - (59000 / 1310000) / (76000 / 1506000)) < 1e-5


def test_insee_melodi_sex_and_employment_form_totals(tmp_path, capsys):
    """A Melodi table by sex (SEX F, M, _T) and form of employment (EMPFORM 1 salaried, 2
    self-employed, _T) was refused with a duplicate-row error on every line: SDMX's _T (all)
    was not known as the all-categories value.  The _T rows are kept and the parts dropped."""
    lines = ["GEO;GEO_OBJECT;EMP_ACTIVITY;EMPFORM;SEX;FREQ;TIME_PERIOD;OBS_VALUE;OBS_STATUS"]
    for geo, by in {"29": {"_T": 380000, "AZ": 20000, "BE": 60000},
                    "35": {"_T": 520000, "AZ": 16000, "BE": 70000},
                    "75": {"_T": 1900000, "AZ": 1000, "BE": 70000}}.items():
        for act, v in by.items():
            for form, f in (("_T", 10), ("1", 9), ("2", 1)):
                for sex, s in (("_T", 2), ("F", 1), ("M", 1)):
                    lines.append(f"{geo};DEP;{act};{form};{sex};A;2022;{v * f * s // 20};A")
    code, err, rows = ingest_text(tmp_path, capsys, "DS_ESTEL_SEXE.csv", "\n".join(lines) + "\n")
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("29", "10"): 380000, ("29", "A"): 20000, ("29", "B-E"): 60000,
                   ("35", "10"): 520000, ("35", "A"): 16000, ("35", "B-E"): 70000,
                   ("75", "10"): 1900000, ("75", "A"): 1000, ("75", "B-E"): 70000}
    assert "rows of one" in err


def test_insee_headings_say_the_codes_are_insee_s(tmp_path, capsys):
    """A Melodi table of industry alone (BE, no AZ or GU beside it to tell INSEE's codes)
    read BE as ONS's run of sections B and E.  INSEE's own headings (GEO_OBJECT, CODGEO)
    say the codes are INSEE's: BE is B to E."""
    melodi = _melodi({"29": {"_T": 380000, "BE": 60000}, "35": {"_T": 520000, "BE": 70000},
                      "75": {"_T": 1900000, "BE": 70000}})
    code, err, rows = ingest_text(tmp_path, capsys, "DS_ESTEL_BE.csv", melodi)
    assert code == 0, err
    assert {r["industry"] for r in rows} == {"10", "B-E"}


# INSEE's BDM (macro-economic database), series downloaded as CSV: one series per column,
# its region and activity only in its label ("Libellé"), then its idBank, last update and
# "Période" rows, the quarters down
INSEE_BDM = '''\
"Libellé";"Effectifs salariés du secteur privé - Industrie - Bretagne";"Effectifs salariés du secteur privé - Construction - Bretagne"
"idBank";"010599001";"010599002"
"Dernière mise à jour";"06/09/2026 12:00";"06/09/2026 12:00"
"Période";"";""
"2023-T4";"172,3";"90,1"
"2024-T1";"172,0";"89,8"
'''


def test_insee_bdm_series_layout_is_refused_saying_why(tmp_path, capsys):
    """A BDM download was refused with 'no region column ... name it with --region-col', which
    no column could answer: its regions and activities are in the series' labels.  It is
    refused as a BDM series table, saying to reshape it (or take the data from Melodi)."""
    code, err, _rows = ingest_text(tmp_path, capsys, "serie_010599001.csv", INSEE_BDM)
    assert code == 1, err
    assert "BDM" in err and "--region-col" not in err and len(err.strip().splitlines()) == 1


def test_istat_nord_and_mezzogiorno_are_aggregates(tmp_path, capsys):
    """I.Stat lists its macro-areas among the NUTS codes: Nord ITCD (Nord-ovest ITC and Nord-est
    ITD) and Mezzogiorno ITFG (Sud ITF and Isole ITG), four characters like a region's ITC4.
    They were read as NUTS 2 regions, so lq's sum over the regions added the North to
    Lombardy.  Two letters after IT are one of ISTAT's aggregates, a level of their own."""
    text = ISTAT_ISTAT + (
        '"ITCD","Nord","EMP","occupati","0010","totale","2021","2021","12000000","",""\n'
        '"ITCD","Nord","EMP","occupati","C","attività manifatturiere","2021","2021","2700000","",""\n'
        '"ITFG","Mezzogiorno","EMP","occupati","0010","totale","2021","2021","6100000","",""\n'
        '"ITFG","Mezzogiorno","EMP","occupati","C","attività manifatturiere","2021","2021","600000","",""\n')
    lq = lq_text(tmp_path, capsys, "DCCV_OCCUPATIT1_all.csv", text)
    lombardia = lq[("ITC4", "C")]
    # Lombardy's manufacturing: 1,000,000 of 4,500,000 against the two regions' 1,180,000 of 6,200,000
    assert float(lombardia["benchmark_total"]) == 6200000
    assert abs(float(lombardia["lq"]) - (1000000 / 4500000) / (1180000 / 6200000)) < 1e-5
    code, err, rows = ingest_text(tmp_path, capsys, "DCCV_OCCUPATIT1_all.csv", text)
    assert code == 0, err
    assert {r["region_level"] for r in rows if r["region"] in ("ITCD", "ITFG")} == {"aggregate"}


# Statistik Austria's tables by ÖNACE 2008 division: the code written with a blank between
# the section's letter and the division, before the title ("C 10 Herstellung von ...")
AT_DIVISIONS = '''\
"Bundesland";"ÖNACE 2008 Abteilungen";"Jahr";"Beschäftigte"
"Burgenland";"Insgesamt";"2022";"110.000"
"Burgenland";"C 10 Herstellung von Nahrungs- und Futtermitteln";"2022";"3.000"
"Burgenland";"C 29 Herstellung von Kraftwagen und Kraftwagenteilen";"2022";"500"
"Steiermark";"Insgesamt";"2022";"560.000"
"Steiermark";"C 10 Herstellung von Nahrungs- und Futtermitteln";"2022";"9.000"
"Steiermark";"C 29 Herstellung von Kraftwagen und Kraftwagenteilen";"2022";"15.000"
'''


def test_a_division_written_with_a_blank_after_its_section(tmp_path, capsys):
    """"C 10 Herstellung von Nahrungs- und Futtermitteln" was split as section C named "10
    Herstellung ...": every division of a section was the section, the table refused with a
    duplicate row on each line (one division alone would have been read as all of
    manufacturing).  A letter, a blank and two digits is the division's code."""
    code, err, rows = ingest_text(tmp_path, capsys, "at_abteilungen.csv", AT_DIVISIONS)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert float(got[("Steiermark", "C29")]["employment"]) == 15000
    assert got[("Burgenland", "C10")]["industry_name"] == "Herstellung von Nahrungs- und Futtermitteln"
    assert {r["classification"] for r in rows} == {"NACE"}


# BDL's download with units of several levels chosen together: the macroregion, the
# województwa (their names in capitals), a subregion and a powiat (named with their word)
GUS_BDL_LEVELS = '''\
Kod;Nazwa;Grupy sekcji PKD 2007;Rok;Wartosc;Jednostka miary;Atrybut
000000000000;POLSKA;ogółem;2022;16430000;osoba;
000000000000;POLSKA;przemysł i budownictwo;2022;5100000;osoba;
010000000000;MAKROREGION POŁUDNIOWY;ogółem;2022;3100000;osoba;
010000000000;MAKROREGION POŁUDNIOWY;przemysł i budownictwo;2022;1050000;osoba;
011200000000;MAŁOPOLSKIE;ogółem;2022;1400000;osoba;
011200000000;MAŁOPOLSKIE;przemysł i budownictwo;2022;430000;osoba;
011212101000;Podregion krakowski;ogółem;2022;250000;osoba;
011212101000;Podregion krakowski;przemysł i budownictwo;2022;80000;osoba;
011212101061;Powiat krakowski;ogółem;2022;90000;osoba;
011212101061;Powiat krakowski;przemysł i budownictwo;2022;30000;osoba;
012400000000;ŚLĄSKIE;ogółem;2022;1700000;osoba;
012400000000;ŚLĄSKIE;przemysł i budownictwo;2022;620000;osoba;
'''


def test_gus_bdl_levels_from_the_unit_names(tmp_path, capsys):
    """BDL's units of several levels were one level: lq's sum of regions added the southern
    macroregion, a subregion and a powiat to the two województwa that hold them.  The word
    before a name (MAKROREGION, REGION, Podregion, Powiat) is its level, a name in capitals
    a województwo, each level its own benchmark."""
    code, err, rows = ingest_text(tmp_path, capsys, "LR_pracujacy_poziomy.csv", GUS_BDL_LEVELS)
    assert code == 0, err
    levels = {r["region_name"]: r["region_level"] for r in rows}
    assert levels == {"MAKROREGION POŁUDNIOWY": "makroregion", "MAŁOPOLSKIE": "wojewodztwo",
                      "ŚLĄSKIE": "wojewodztwo", "Podregion krakowski": "podregion",
                      "Powiat krakowski": "powiat"}
    lq = lq_text(tmp_path, capsys, "LR_pracujacy_poziomy.csv", GUS_BDL_LEVELS)
    malopolskie = lq[("011200000000", "przemysł i budownictwo")]
    assert float(malopolskie["benchmark_total"]) == 3100000
    assert abs(float(malopolskie["lq"]) - (430000 / 1400000) / (1050000 / 3100000)) < 1e-5


# Statistics Finland's PX-Web table downloaded with codes instead of texts: SSS is the whole
# country in Alue and all industries in Toimiala
STATFIN_CODES = '''\
"Employed labour force by area of workplace, industry (TOL 2008) and year"

"Area","Industry (TOL 2008)","2021","2022"
"SSS","SSS",2488000,2531000
"SSS","C",335000,340000
"MK01","SSS",926000,945000
"MK01","C",70000,71000
"MK02","SSS",221000,224000
"MK02","C",41000,42000
'''


def test_statfin_sss_code_alone_is_the_total(tmp_path, capsys):
    """StatFin's code SSS alone (a download with codes, not texts) was read as a NACE code of
    level 1 beside C, and the whole country as a third region: lq's region totals summed SSS
    with manufacturing (Uusimaa's 996,000 for its 926,000 jobs in 2021) and its benchmark held
    the country twice.  SSS is all industries, and as a region the country's total."""
    code, err, rows = ingest_text(tmp_path, capsys, "statfin_codes.csv", STATFIN_CODES)
    assert code == 0, err
    assert {r["industry"] for r in rows} == {"10", "C"} and {r["region"] for r in rows} == {"MK01", "MK02"}
    src = tmp_path / "statfin_codes.csv"
    code, _out, err = run_main(["lq", str(src), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    lq = {(r["period"], r["region"], r["industry"]): r
          for r in csv_rows((tmp_path / "lq.csv").read_text(encoding="utf-8"))}
    uusimaa = lq[("2021", "MK01", "C")]
    assert float(uusimaa["region_total"]) == 926000
    # Uusimaa's manufacturing in 2021: 70,000 of 926,000 against 111,000 of 1,147,000
    assert abs(float(uusimaa["lq"]) - (70000 / 926000) / (111000 / 1147000)) < 1e-5


# SCB's PX-Web table downloaded with codes instead of texts: 00 is the country (Riket)
SCB_CODES = '''\
"Employed persons (RAMS) by region, industry SNI 2007 and year"

"region","industrial classification SNI 2007","2022"
"00","A-U+US",5140000
"00","B+C",565000
"01","A-U+US",1310000
"01","B+C",59000
"03","A-U+US",196000
"03","B+C",17000
'''


def test_an_all_zero_region_code_beside_its_regions_is_their_total(tmp_path, capsys):
    """SCB's code 00 (Riket, the country) was kept as a third county beside 01 and 03, so
    lq's sum of regions counted Sweden twice (Stockholm's manufacturing against 641,000 of
    6,646,000 jobs instead of 76,000 of 1,506,000).  A code of zeros beside other codes of
    its length is their total, as "00 Riket" by its name is."""
    lq = lq_text(tmp_path, capsys, "AM0207_codes.csv", SCB_CODES)
    assert {r for r, _i in lq} == {"01", "03"}
    stockholm = lq[("01", "B+C")]
    assert float(stockholm["benchmark_total"]) == 1506000
    assert abs(float(stockholm["lq"]) - (59000 / 1310000) / (76000 / 1506000)) < 1e-5


def test_nomis_areas_across_with_comparison_geographies(tmp_path, capsys):
    """NOMIS adds the user's comparison geographies as columns beside the areas (North East,
    Great Britain): read as three more local authorities, lq's sum of regions added the North
    East and Great Britain to the authorities they hold.  Their names give their levels (an
    English region, a country), each its own benchmark, as their GSS codes do down the side."""
    text = NOMIS_AREAS_ACROSS.replace(
        '"Redcar and Cleveland"\n', '"Redcar and Cleveland","North East","Great Britain"\n')
    for row, extra in (('"75","20","150"', '"6,000","400,000"'),
                       ('"1,250","600","700"', '"20,000","420,000"'),
                       ('"400","900","350"', '"25,000","800,000"'),
                       ('"300","1,250","100"', '"30,000","1,000,000"')):
        text = text.replace(row + "\n", row + "," + extra + "\n")
    code, err, rows = ingest_text(tmp_path, capsys, "bres_with_comparators.csv", text)
    assert code == 0, err
    levels = {r["region"]: r["region_level"] for r in rows}
    assert levels["North East"] == "region" and levels["Great Britain"] != levels["Hartlepool"]
    assert levels["North East"] != levels["Hartlepool"]
    lq = lq_text(tmp_path, capsys, "bres_with_comparators.csv", text)
    # Hartlepool's food manufacturing against the three authorities alone: 2,550 of 6,095
    assert abs(float(lq[("Hartlepool", "C10")]["lq"]) - (1250 / 2025) / (2550 / 6095)) < 1e-5
