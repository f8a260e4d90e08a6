"""Heading words of the generic reader (:mod:`.generic`): what a column's heading or a title line says.

Pure text, no frames: which role a heading names (:func:`role_of`, :data:`ROLE_WORDS`, English,
German, Russian, Kazakh), which period a heading or label is (:func:`period_of`, fiscal years
and labels that are unclear as periods: :func:`fiscal_year`, :func:`unclear_periods`), the
region a title line names (:func:`region_from_titles`), the rows that are totals of the regions
(:data:`REGION_TOTALS`) and the words of a report's two levels of region headings (oblast,
district).  The lowest of the generic modules: it imports none of them.
"""

from __future__ import annotations

import re
import unicodedata

from clusterid import schema
from clusterid.core import codes
from clusterid.errors import Problem
from clusterid.io.readers import cjk_headings

_CODE_WORDS = {"code", "codes", "id", "kod", "код", "коды", "nr", "schluessel", "key", "fips", "kato",
               "като", "codigo",  # (Spanish, Portuguese: "Código SCIAN", "Código CNAE")
               "kode", "kodu"}  # (BPS's "Kode Provinsi", TÜİK's "İl kodu")
_NAME_WORDS = {"name", "title", "label", "bezeichnung", "description", "desc", "наименование",
               "название", "atauy", "atauy", "атауы", "text",
               "ttl",  # Census API 2012-2016: NAICS2012_TTL, GEO_TTL, EMPSZES_TTL (titles)
               "nama", "назва"}  # BPS's "Nama Provinsi", Ukrstat's "Назва регіону"
ROLE_WORDS: dict[str, set[str]] = {
    "region": {"region", "regions", "area", "land", "laender", "bundesland", "state", "county",
               "oblast", "oblys", "область", "регион", "облыс", "territory", "территория", "geography",
               "kreis", "country", "geo", "gebiet", "район", "municipality", "nuts", "fips",
               "aimak", "аймак", "субъект", "регионы", "области", "oblystar", "place", "msa",
               "province", "district", "kato", "като",
               # the genitives after "Наименование" / "Код" beside KATO codes: "Наименование
               # региона" (stat.gov.kz, Rosstat), "района", "областей"
               "региона", "регионов", "района", "районов", "областей",
               # Kazakh in Cyrillic: облыстар (oblasts), өңір / өңірлер (region(s)), аймақ
               "облыстар", "өңір", "өңірлер", "аймақ", "аймақтар",
               # Ukrainian (Ukrstat): регіон / регіони (region(s)), області (oblasts)
               "регіон", "регіони", "області",
               # Czech and Slovak (CZSO, ŠÚ SR): kraj / kraje (the regions, NUTS 3); not their
               # okres (district), Polish for the period
               "kraj", "kraje",
               # Statistik Austria (STATcube): "Politischer Bezirk", "Gemeinde"
               "bezirk", "gemeinde",
               # Swiss BFS (STATENT): "Kanton" / "Canton"
               "kanton", "kantone", "canton", "cantons",
               # INE (Spain): "Comunidades y Ciudades Autónomas", "Provincias"
               "comunidades", "provincias",
               # CBS StatLine: "Regio's"
               "regio",
               # INEGI (Mexico): "Entidad" (entidad federativa); IBGE, RAIS (Brazil): "UF"
               "entidad", "uf", "federacao",  # (IBGE's SIDRA: "Unidade da Federação")
               # Destatis / AK ETR: "Kreisfreie Stadt / Landkreis", "Kreise und kreisfreie
               # Städte", "Gebietseinheit"
               "landkreis", "landkreise", "kreise", "kreisfreie", "stadtkreis", "stadtkreise",
               "gebietseinheit", "gebietseinheiten",
               # Statistics Finland's PX-Web tables in Finnish: "Alue" (area), "Maakunta"
               # (region), "Kunta" (municipality), "Seutukunta"; Statistics Sweden's "län"
               # (county, "laen" as _norm spells it), "kommun"; Norway's "fylke", "kommune";
               # Denmark's "område", "landsdel"
               "alue", "maakunta", "kunta", "seutukunta", "laen", "kommun", "fylke", "kommune",
               "område", "landsdel",
               # ISTAT's I.Stat: "Territorio" beside ITTER107
               "territorio",
               # the singulars and the other levels: INE's "Comunidad autónoma", "Provincia",
               # "Municipios"; ISTAT's "Regione", "Provincia", "Comune"; INSEE's "Département";
               # CBS's "Provincie", "Gemeente"; Destatis's "Bundesländer"; GUS's "Województwo"
               # (each was 'no region column recognised')
               "comunidad", "provincia", "municipio", "municipios", "regione", "regioni",
               "comune", "comuni", "commune", "communes", "departement", "departements", "provincie", "provincies",
               "gemeente", "gemeenten", "bundeslaender", "wojewodztwo", "województwo",
               # Romania's INS (TEMPO): "Judete" (counties), "Macroregiuni, regiuni de
               # dezvoltare si judete"
               "judete", "judet", "judetul", "judetele", "macroregiuni", "regiuni",
               # TÜİK (Turkish): "İl" (province, exact: _EXACT), "İller", "Bölge", "İBBS", "Ülke";
               # Ukrstat: "Область" above, "Регіон"; BPS (Indonesian): "Provinsi",
               # "Kabupaten/Kota", "Wilayah" (each was 'no region column recognised')
               "iller", "boelge", "ibbs", "uelke", "provinsi", "kabupaten", "kota", "wilayah",
               "регіону", "регіонів",
               # stat.uz (Uzbekistan) in Uzbek Latin and Cyrillic: "Hududlar" (territories),
               # "Viloyatlar" (regions), "Ҳудудлар", "Вилоятлар" (each was 'no region column
               # recognised')
               "hudud", "hududlar", "viloyat", "viloyatlar", "ҳудуд", "ҳудудлар", "худуд",
               "худудлар", "вилоят", "вилоятлар",
               # stat.kg in Kyrgyz: "Аймактар" (regions), "Облус", "Облустар"
               "аймактар", "облус", "облустар"},
    "industry": {"industry", "industries", "ind", "sector", "branch", "branche",
                 "wirtschaftszweig", "wirtschaftszweige", "wirtschaftsabschnitt",
                 "wirtschaftsabschnitte", "wirtschaftsbereich", "wirtschaftsbereiche",
                 "отрасль", "отрасли", "sala", "салалар",
                 "деятельности", "naics", "nace", "nace_r2", "wz", "wz2008", "wz08", "oked",
                 "okved", "окэд", "оквэд", "activity", "sic", "isic", "oenace",
                 # NACE Rev. 1.1 and its German variants (WZ 2003, WZ 93): read as Rev. 1.1
                 "wz2003", "wz03", "wz93", "wz1993",
                 # Kazakh: ЭҚЖЖ (OKED), қызмет (activity)
                 "эқжж", "қызмет",
                 # Swiss BFS: NOGA 2008, NACE Rev. 2 with national subclasses
                 "noga",
                 # INE (Spain): "Rama de actividad CNAE 2009", "Sector económico"
                 "actividad", "cnae",
                 # CBS StatLine: "Bedrijfstakken/branches (SBI 2008)"
                 "bedrijfstakken", "bedrijfstak", "sbi",
                 # PX-Web tables of the Nordic offices: SCB's "industrial classification SNI
                 # 2007" (by its SNI: "industrial" alone heads measures, "Industrial
                 # employment"), Statistics Finland's "Industry (TOL 2008)", SSB's "næring (SN2007)"
                 "sni", "tol", "naering", "næring",
                 # stat.uz: "Iqtisodiy faoliyat turlari" (types of economic activity),
                 # "Иқтисодий фаолият турлари", "Tarmoqlar" (branches)
                 "faoliyat", "faoliyati", "фаолият", "фаолияти", "tarmoq", "tarmoqlar",
                 "тармоқ", "тармоқлар",
                 # stat.kg in Kyrgyz: "Экономикалык ишмердүүлүктүн түрү" (type of economic
                 # activity)
                 "ишмердүүлүк", "ишмердүүлүктүн", "ишмердүүлүгү",
                 # StatFin in Finnish: "Toimiala (TOL 2008)"
                 "toimiala",
                 # Stats NZ and the ABS: "anzsic06", "ANZSIC06 Division" (read as NACE
                 # only to be refused: --classification custom reads them)
                 "anzsic",
                 # ISTAT: "ATECO_2007" (the code) beside "Ateco 2007" (the label)
                 "ateco",
                 # Statistics Poland (BDL): "Grupy sekcji PKD 2007"
                 "pkd",
                 # INEGI (Mexico): "Código SCIAN" (SCIAN is not NAICS: generic_post.scian_problem)
                 "scian",
                 # India (MoSPI's ASI): "NIC 2008 (2-digit)", "NIC Code" -- NIC 2008 is ISIC
                 # Rev. 4, its divisions NACE's
                 "nic",
                 # INSEE's "Activité", "Secteur d'activité"; ISTAT's "Ramo di attività",
                 # "Attività economica"; SCB's "näringsgren SNI 2007"
                 # ("secteur" alone is also "secteur privé", the private sector: not a word here)
                 "activite", "attivita", "naeringsgren",
                 # TÜİK: "Faaliyet", "Ekonomik faaliyet" (NACE Rev. 2); Ukrstat: "Вид економічної
                 # діяльності" (КВЕД-2010, NACE Rev. 2); BPS: "Lapangan Usaha" (KBLI 2020)
                 "faaliyet", "faaliyeti", "діяльності", "квед", "lapangan", "kbli"},
    "period": {"year", "years", "period", "jahr", "год", "годы", "time", "date", "zhyl", "жыл",
               # Kazakh "Жылдар" (years), the first of stat.gov.kz's two heading rows above
               # Russian "Годы": read as no column, each year's rows were refused as differing
               # only in a column not read
               "жылдар", "zhyldar",
               # Kazakh "Кезең" (period)
               "кезең", "kezen",
               "zeit", "berichtsjahr", "quarter", "periode", "god", "stichtag", "zeitraum",
             "berichtszeitraum", "дата", "период", "periodo", "perioden",
               # the Nordic offices' PX-Web tables: SCB's and SSB's "år", StatFin's "Vuosi";
               # Statistics Denmark's StatBank "TID" (time), SSB's and SCB's "kvartal", StatFin's
               # "Vuosineljännes" (quarter, 2023Q1) and "Kuukausi" (month), "månad", "måned"
               "år", "vuosi", "tid", "kvartal", "vuosineljaennes", "kuukausi", "månad", "måned",
               # INSEE: "ANNEE" (année)
               "annee",
               # Statistics Poland (BDL): "Rok"
               "rok",
               # Spanish "Año" (INEGI's "Año Censal"), Portuguese "Ano"
               "ano",
               # ISTAT's "Anno", CBS's "Jaar" (beside the regions' and industries' headings
               # read since session 25, "Regione;Ramo di attività;Anno;Addetti" was still 'no
               # period column recognised')
               "anno", "jaar",
               # Romania's INS (TEMPO): "Ani" (years), "Perioade", "Trimestre" (quarters),
               # "Luni" (months)
               "ani", "perioade", "trimestre", "luni",
               # TÜİK's "Yıl", Ukrstat's "Рік" / "Роки" / "Період", BPS's "Tahun"
               "yil", "yillar", "рік", "роки", "період", "tahun",
               # CBS StatLine in English: "Periods" (Dutch "Perioden")
               "periods"},
    "ownership": {"ownership", "own", "own_code", "eigentum", "собственность"},
    schema.EMPLOYMENT: {"employment", "emp", "employees", "employed", "jobs", "beschaeftigte",
                        "svb", "erwerbstaetige", "svbeschaeftigte", "численность", "занятые",
                        "занятость", "работников", "emplvl", "workers", "headcount",
                        "zhumyspen", "zhumysshylar", "жұмыспен", "employ", "persons",
                        # Kazakh "Жалдамалы жұмыскерлер саны" (hired employees, Russian
                        # "Численность наемных работников"), "Қызметкерлер саны" (employees)
                        "жұмыскерлер", "zhumyskerler", "қызметкерлер", "kyzmetkerler",
                        # CBS StatLine: "Banen van werknemers", "Werkzame personen"
                        "banen", "werknemers", "werkzame",
                        # SSB: "Sysselsatte" (employed); StatFin: "Työlliset"
                        "sysselsatte", "tyoelliset",
                        # INSEE: "EFFECTIF", "Emploi"
                        "effectif", "effectifs", "emploi", "emplois",
                        # INEGI's "Personal ocupado total", IBGE's "Pessoal ocupado", RAIS's
                        # "Vínculos ativos" (employment relationships on 31 December)
                        "ocupado", "ocupados", "vinculos",
                        # Destatis's industry statistics (GENESIS 42111, 42271, 43111: "Tätige
                        # Personen") and national accounts ("Arbeitnehmer", employees); INE's
                        # "Personas ocupadas" and the Seguridad Social's "Afiliados"; ISTAT's
                        # "Occupati", ASIA's "Addetti" (persons employed in local units) and
                        # "Dipendenti"; Statistics Poland's "Pracujący", "Zatrudnieni".  Each was
                        # 'no measure column recognised'
                        "taetige", "taetigen", "beschaeftigten", "arbeitnehmer", "ocupadas", "ocupada", "afiliados",
                        "occupati", "addetti", "dipendenti", "pracujący", "zatrudnieni",
                        # INE's "Trabajadores", "Empleo", "Puestos de trabajo" (Contabilidad
                        # Regional); ISTAT's "Lavoratori", "Persone occupate", "Occupazione";
                        # CBS's "Medewerkers"; GUS's "Liczba pracujących", "Pracownicy",
                        # "Zatrudnienie"; Destatis's "Arbeitsplätze",
                        # "Beschäftigungsverhältnisse"
                        "trabajadores", "empleo", "empleados", "puestos", "lavoratori",
                        "occupate", "occupazione", "medewerkers", "pracujących", "pracownicy",
                        "zatrudnienie", "arbeitsplaetze", "beschaeftigungsverhaeltnisse",
                        # TÜİK: "Çalışan sayısı", "Ücretli çalışan sayısı", "İstihdam"; Ukrstat:
                        # "Кількість працівників", "Кількість зайнятих працівників"; BPS:
                        # "Jumlah Tenaga Kerja", "Pekerja", "Karyawan"
                        "calisan", "calisanlar", "istihdam", "працівників", "працівники",
                        "зайнятих", "зайняті", "tenaga", "pekerja", "karyawan", "bekerja",
                        # stat.uz: "Ishlovchilar soni" (number of workers), "Xodimlar soni"
                        # (employees), Cyrillic "Ишловчилар", "Ходимлар" ("Band aholi", the
                        # employed population: :func:`role_of`)
                        "ishlovchilar", "xodimlar", "ишловчилар", "ходимлар",
                        # stat.kg in Kyrgyz: "Жумуштуу калктын саны" (the employed population),
                        # "Кызматкерлердин саны" (employees)
                        "жумуштуу", "кызматкерлердин", "кызматкерлер"},
    schema.ESTABLISHMENTS: {"establishments", "estab", "estabs", "firms", "betriebe",
                            "unternehmen", "предприятия", "предприятий", "организации",
                            "организаций", "enterprises", "kasiporyndar", "кәсіпорындар",
                            "units", "arbeitsstaetten", "establishment", "plants",
                            # INSEE's "Établissements", "Entreprises"; Destatis's business
                            # register "Niederlassungen"; ISTAT's "Unità locali", "Imprese";
                            # INE's "Empresas"; CBS's "Vestigingen"; IBGE's "Estabelecimentos"
                            # and CEMPRE's "Unidades locais" (SIDRA's Tabela 1757)
                            "etablissements", "entreprises", "niederlassungen", "locali",
                            "imprese", "empresas", "vestigingen", "estabelecimentos", "locais",
                            # GUS's "Jednostki lokalne", "Podmioty gospodarki narodowej"
                            "lokalne", "podmioty",
                            # India's ASI: "No. of Factories" (a factory is its unit, the
                            # establishment registered under the Factories Act)
                            "factories",
                            # TÜİK's "Girişim sayısı", "İşyeri sayısı"; Ukrstat's "Кількість
                            # підприємств"; BPS's "Jumlah Perusahaan"
                            "girisim", "isyeri", "підприємств", "підприємства", "perusahaan"},
    schema.WAGES: {"wages", "wage", "payroll", "lohn", "loehne", "entgelte", "bruttoentgelte",
                   "зарплата", "заработная", "оплаты", "salaries", "compensation", "ap",
                   # Kazakh "жалақы" (wage): stat.gov.kz's "Жалдамалы жұмыскерлердің орташа
                   # айлық жалақысы" (average monthly wage) was read as employment, in tenge
                   "жалақы", "жалақысы", "zhalaky", "zhalakysy",
                   # "Еңбекақы қоры" (the wage fund: a total)
                   "еңбекақы", "enbekaky",
                   # Statistics Canada's SEPH, the ONS: "Average weekly earnings" (refused as
                   # an average), "Total earnings"
                   "earnings",
                   # INSEE's "Salaires", "Masse salariale"; Destatis's "Arbeitnehmerentgelt"
                   # (compensation of employees, VGR der Länder)
                   "salaires", "salariale", "arbeitnehmerentgelt",
                   # ISTAT's "Retribuzioni lorde", INE's "Remuneraciones"
                   "retribuzioni", "remuneraciones",
                   # ... and the pay words beside the employees they are paid to (with those
                   # words now employment, "Rémunération des salariés", "Bruttolöhne und
                   # -gehälter der Arbeitnehmer", "Lohnsumme der Arbeitnehmer" were read as
                   # employment, euros summed as jobs): INSEE's "Rémunération", Destatis's VGR
                   # "Bruttolöhne und -gehälter", "Lohnsumme", ISTAT's "Retribuzione", INE's
                   # "Sueldos y salarios", IBGE's "Remuneração"
                   "remuneration", "remunerations", "bruttoloehne", "gehaelter", "lohnsumme",
                   "bruttolohnsumme", "entgelt", "retribuzione", "sueldos", "salarios", "salario",
                   "remuneracion",
                   "remuneracao", "remuneracoes",
                   # GUS's "Wynagrodzenia"
                   "wynagrodzenia",
                   # Ukrstat's "Фонд оплати праці" (the wage fund), TÜİK's "Brüt ücret ve
                   # maaşlar", BPS's "Upah dan Gaji"
                   "оплати", "uecret", "uecretler", "maaslar", "upah", "gaji"},
    schema.OUTPUT: {"output", "gva", "value_added", "valueadded", "bws",
                    "bruttowertschoepfung", "выпуск", "добавленная", "production", "vad",
                    "gross_value_added",
                    # INE's "Valor añadido bruto", ISTAT's "Valore aggiunto", INSEE's "Valeur
                    # ajoutée", Destatis's "Produktionswert"
                    "anadido", "aggiunto", "ajoutee", "produktionswert",
                    # INEGI's economic censuses: "A111A Producción bruta total (millones de
                    # pesos)", gross output (its "A131A Valor agregado censal bruto" beside it is
                    # a second output measure, not read unless --measure-col output= names it)
                    "produccion"},
}
_EXACT: dict[str, str | None] = {
    "area_fips": "region_code", "region_code": "region_code", "regioncode": "region_code",
    "geo_code": "region_code", "nuts_code": "region_code", "nuts_id": "region_code",
    "ags": "region_code", "regionalschluessel": "region_code", "state_fips": "region_code",
    # the AK ETR's and Regionalstatistik's heading broken over two lines in the workbook
    "regional_schluessel": "region_code", "amtlicher_regionalschluessel": "region_code",
    "ars": "region_code", "kreisschluessel": "region_code",
    # TÜİK's "İl" (province), "İl kodu", "İl adı": a word too short to be a token of other headings
    "il": "region", "il_kodu": "region_code", "il_adi": "region_name",
    # the Census Bureau's GEOID (TIGER, ACS and data.census.gov extracts: 49, 49001) and the
    # state-and-county FIPS of USDA's and HUD's tables
    "geoid": "region_code", "stcofips": "region_code",
    "fipstate": "region_code", "fips": "region_code", "code_region": "region_code",
    "area_title": "region_name", "area_name": "region_name", "region_name": "region_name",
    "geo_name": "region_name",
    "reference_area": "region_name",  # the OECD's SDMX-CSV with labels: REF_AREA, "Reference area"
    "industry_code": "industry_code", "ind_code": "industry_code", "naics": "industry_code",
    "naics_code": "industry_code", "nace_r2": "industry_code", "nace": "industry_code",
    "nace_r1": "industry_code", "nace_rev1_1": "industry_code", "nace_rev1": "industry_code",
    "nace_code": "industry_code", "oked": "industry_code", "wz2008_code": "industry_code",
    "wz08": "industry_code", "code": "industry_code",
    "industry_title": "industry_name", "industry_name": "industry_name", "ind_name": "industry_name",
    "naics_title": "industry_name", "wz2008_name": "industry_name",
    "emp_all": schema.EMPLOYMENT, "emp1000": schema.EMPLOYMENT, "own_code": "ownership",
    # Stats NZ's business demography tables: employee count, geographic units (its local units)
    "ec_count": schema.EMPLOYMENT, "geo_count": schema.ESTABLISHMENTS,
    # the Census Bureau's QWI (LEHD): ownercode A00/A05 is the ownership; ind_level (A, S, 3, 4)
    # the industry code's level, no second industry column beside "industry"
    "ownercode": "ownership", "ind_level": None,
    "year_id": "period",  # American FactFinder downloads: GEO.id, NAICS.id, YEAR.id
    "value_added": schema.OUTPUT, "gross_value_added": schema.OUTPUT, "gva_total": schema.OUTPUT,
    # the level of each row's region (county, state, msa ...): --region-level selects by it
    "region_level": "region_level", "regionlevel": "region_level", "geo_level": "region_level",
    "geography_level": "region_level", "geographic_level": "region_level",
    "area_type": "region_level", "areatype": "region_level", "region_type": "region_level",
    "geo_type": "region_level", "level_of_geography": "region_level",
    "geo_object": "region_level",  # INSEE's Melodi: GEO_OBJECT (COM, DEP, REG, FRANCE) beside GEO
    "itter107": "region_code",  # ISTAT's I.Stat: ITTER107 (NUTS codes) beside Territorio
    # INSEE's local files: the commune's code and name, the activity by its level of NA 2008
    # (A38 ...) or as the NAF subclass of the unit (APET700)
    "codgeo": "region_code", "libgeo": "region_name",
    # Statistics Poland's BDL: the territorial unit's Kod and Nazwa, its Jednostka miary
    "kod": "region_code", "nazwa": "region_name", "jednostka_miary": "unit",
    **dict.fromkeys(("a5", "a10", "a17", "a21", "a38", "a64", "a88", "a129", "apet700", "naf"),
                    "industry_code"),
    # the OECD's regional statistics (SDMX-CSV): CTRY beside its TL2 and TL3 regions
    "territorial_level": "region_level",
    # ... and OECD.Stat's CSV export of them (before the Data Explorer): each region's REG_ID
    # beside its name, the level's label in "Territory Level and Typology" (Country, Large
    # regions (TL2), Small regions (TL3)); read by the names alone, TL2 and TL3 regions were one
    # level, a TL3 region summed with the TL2 region holding it
    "reg_id": "region_code", "territory_level_and_typology": "region_level",
    # the unit of each row's values (Eurostat's THS_PER, "Tsd.", "тыс. чел."): scaled to units
    "unit": "unit", "units": "unit", "unit_measure": "unit", "unit_of_measure": "unit",
    # Statistics Canada's UOM ("Persons", "Number", "Dollars", "Percent"): dollars read as
    # employment gave Nova Scotia's manufacturing 4 billion jobs (its GDP, 36-10-0402)
    "uom": "unit",
    "einheit": "unit", "masseinheit": "unit", "unit_code": "unit", "единица_измерения": "unit",
    "ед_изм": "unit", "единица": "unit",
    # GENESIS-Online's flat file (ffcsv): value, value_unit ("Tsd.", "Anzahl"), value_q
    "value_unit": "unit",
    # Census API / data.census.gov: annual payroll in $1,000 (scaled by _HEADING_FACTORS)
    "payann": schema.WAGES, "estab": schema.ESTABLISHMENTS,
    # Census's Statistics of U.S. Businesses (SUSB: county_3digitnaics_2021.txt): EMPL_N,
    # ESTB, PAYR_N (annual payroll in $1,000) beside FIRM (enterprises, no establishments)
    "empl_n": schema.EMPLOYMENT, "estb": schema.ESTABLISHMENTS, "payr_n": schema.WAGES,
    "ncsdscr": "industry_name", "countydscr": "region_name",
    # the classification's top level as the heading alone: Rosstat's and stat.gov.kz's
    # "Раздел" (OKVED/OKED section), OKED's "Секция", Kazakh "Бөлім", Destatis's "Abschnitt",
    # "Section" (exact only: "Раздел C Обрабатывающие производства" heads an industry's column)
    "раздел": "industry", "разделы": "industry", "секция": "industry", "секции": "industry",
    "бөлім": "industry", "бөлімдер": "industry", "abschnitt": "industry",
    "abschnitte": "industry", "section": "industry", "sections": "industry",
}
# headings whose values are in a multiple of the unit by definition of the source
_HEADING_FACTORS = {"payann": 1e3, "payr_n": 1e3}
# words that make a heading an attribute of the dimension it names (its kind, sort order,
# status), never the dimension or a measure itself
_ATTRIBUTE_WORDS = {"status", "type", "typecode", "sortorder"}
# French words of a count: "nombre de salariés" (NB_SALARIES), "effectif salarié" -- whose
# "salariés" (employees) reads as the English "salaries" (pay)
_FRENCH_COUNT = {"nb", "nbr", "nombre", "effectif", "effectifs"}
_FRENCH_EMPLOYEES = re.compile(r"salarié", re.IGNORECASE)
# size classes by employees: INSEE's "Tranche d'effectif salarié" (TEF: "10 à 49 salariés"),
# "Taille"; INEGI's "Estrato de personal ocupado" (DENUE: "0 a 5 personas"), IBGE's and RAIS's
# "Faixa de tamanho (pessoal ocupado)", "Tamanho do estabelecimento (vínculos ativos)"
_SIZE_CLASS_WORDS = {"range", "ranges", "class", "classes", "band", "bands"}
# a heading that is an employment size class: "1-4 Employees", "20 to 199 employees", "200+
# Employees", "500 and more employees", "Establishments with 1-4 employees", Regionalstatistik's
# "0 bis unter 10 sozialversicherungspflichtig Beschäftigte", "Non Employing"
_SIZE_CLASS_HEADING = re.compile(
    r"(?:^|\s)(?!(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2}\b)"  # (a span of years is no size)
    r"(?:\d[\d,. ]*\s*(?:-|–|to|bis(?:\s+unter)?|à|a|до)\s*\d[\d,. ]*|\d[\d,. ]*\s*\+|"
    r"\d[\d,. ]*\s+(?:and|or|und|et|и)\s+(?:over|more|mehr|plus|более)|(?:less|fewer)\s+than\s+\d+|"
    r"(?:under|unter)\s+\d+|0)\s+(?:sozialversicherungspflichtig\w*\s+)?(?:employees?|employed|"
    r"persons?|workers?|beschäftigte\w*|salariés?|работник\w*|человек)\b"
    r"|^\s*(?:non[\s-]?employing|no\s+employees)\b", re.IGNORECASE)
_FRENCH_SIZE_CLASS = {"tranche", "tranches", "taille", "estrato", "estratos", "tamano", "tamanho",
                      "faixa", "faixas"}
# period words that head the year's column only as the heading's first word: "år", "Ano",
# "Année" (SCB's and SSB's "år", "Año Censal").  Later in a heading they are a measure's
# words: SSB's "Sysselsatte personer 15-74 år" (aged 15-74 years), SCB's "Förvärvsarbetande
# 16+ år", IBGE's "Pessoal ocupado em 31.12 do ano", INSEE's "Effectif au 31/12 de l'année".
# So the Nordic "kvartal" and "tid" (SSB's "kvartal", StatBank Denmark's "TID"): SSB's
# "Sysselsatte per 4. kvartal" (employed in the 4th quarter) and Danish "Beskæftigede, fuld
# tid" (full-time) are measures, not a period column rivalling "år"; and the month and quarter
# words ("månad", "måned", StatFin's "Kuukausi", "Vuosineljännes"): SSB's "Sysselsatte,
# gjennomsnitt per måned" (the average per month) is employment
_PERIOD_LEAD_ONLY = {"år", "ano", "anno", "jaar", "annee", "kvartal", "tid", "månad", "måned", "kuukausi",
                     "vuosineljaennes",
                     # BPS's "Penduduk 15 Tahun ke Atas yang Bekerja" (the employed aged 15 and over)
                     "tahun"}
# An age column's words ("Age (years)", "Years of age", "Age group"): its "years" are the
# persons' ages, never the period -- read as the period column, '15-24' and '65+' were 'not a
# period' on every row, and beside a Year column the two were rivals for the period.  Such a
# column is a breakdown of its all-ages total (generic_plan.breakdown_totals)
AGE_WORDS = {"age", "ages", "aged", "agegroup", "agegroups", "ageband", "agebands", "agegrp",
             "alter", "altersgruppe", "altersgruppen", "altersklasse", "altersklassen",
             "возраст", "возраста", "возрастная", "возрастные", "возрастов", "возрастам",
             "жас", "жасы", "жастағы", "edad", "edades",
             "eta", "leeftijd", "leeftijdsklasse", "alder", "aldersgruppe", "ålder", "wiek",
             "ikae", "ikaeryhmae", "idade", "etaria"}
# French "d'emploi" (of employment) qualifies another noun: INSEE's "Zone d'emploi" (a region),
# "Taux d'emploi" (a rate), "Statut d'emploi" -- no count of jobs but after a count word
# ("Nombre d'emplois")
_FRENCH_OF_EMPLOYMENT = {"emploi", "emplois"}
# Brazil's "UF" (unidade da federação) names the region alone or with its code's or name's
# word (RAIS's "UF", INEP's SG_UF, "Código UF", "Nome da UF"); elsewhere it is Chile's unidad
# de fomento, a unit of account: the SII's "Ventas anuales en UF", "Monto en UF"
_UF_COMPANIONS = {"uf", "sigla", "sg", "co", "cod", "codigo", "code", "id", "no", "nome", "name",
                  "da", "de", "do"}
_NOT_A_ROLE = {"sqkm", "km2", "qkm", "ha", "acres", "population", "pop", "share", "percent", "pct",
               "lq", "rate", "growth", "density", "color", "colour",
               # "Employment-population ratio", "Employment to population ratio" (BLS, ILO):
               # a share, no count of the employed
               "ratio", "ratios",
               # the ABS's "Number of hours actually worked in all jobs (employed total) ('000
               # Hours)": hours, no count of jobs beside "Employed total ('000)"
               "hours", "hour",
               # a rate in French, Italian, Spanish: "Taux d'activité", "Tasso di attività",
               # "Tasa de actividad" (the share of the population in work), never the industry
               "taux", "tasso", "tasa",
               # an index, a change or a cost of a measure, and the unemployed: "Employment
               # index (2015=100)", "Employment change", "Beschäftigte Veränderung", "Total
               # employment costs", "Unemployed persons", "Численность безработных" were each
               # read as employment -- index points, changes, pounds and the jobless summed as
               # jobs, exit 0
               "index", "indices", "индекс", "change", "changes", "veraenderung", "veraenderungen",
               "variacion", "variazione", "evolution", "изменение", "прирост",
               "cost", "costs", "kosten", "unemployed", "unemployment", "arbeitslose",
               "arbeitslosen", "desempleados", "parados", "disoccupati", "chomeurs",
               "безработные", "безработных",
               # ... and a cost in the languages whose employees' words are measures: ISTAT's
               # "Costo del lavoro dei dipendenti" was read as employment (its "dipendenti")
               "costo", "costi", "coste", "costes", "cout", "couts", "custo", "custos"}
# the words that make a population the employed ("Employed population", "Occupied population",
# "Population in employment"): :func:`role_of`
_EMPLOYED_POPULATION = {"employed", "occupied", "employment"}
# a measure per something ("Employees per establishment", "Employees per 1000 inhabitants",
# "Addetti per impresa", "Arbeitnehmerentgelt je Arbeitnehmer", "Salaires par salarié",
# "Afiliados por empresa"): a ratio, no count; and a heading with a per cent sign ("% of
# employment", "в % к 2021").  :func:`_is_ratio`
_PER_WORDS = r"(?:per|je|pro|par|pour|por)"
_PER_UNITS = (
    # English
    "capita", "head", "inhabitants?", "residents?", "establishments?", "firms?", "enterprises?",
    "units?", "km2?", "sqkm", "employees?", "workers?", "persons?", "jobs?", "hours?",
    # German
    "betriebe?", "betrieben", "unternehmen", "niederlassung(?:en)?", "arbeitsstaetten?",
    "einwohnern?", "kopf", "arbeitnehmern?", "beschaeftigten?", "erwerbstaetigen?",
    "personen", "arbeitsstunden?", "stunden?",
    # French
    "entreprises?", "etablissements?", "habitants?", "salaries?", "salariees?", "tete",
    "personnes?", "unites?", "emplois?",
    # Italian
    "impres[ae]", "unita", "abitant[ei]", "addett[oi]", "dipendent[ei]", "occupat[oi]",
    "lavorator[ei]",
    # Spanish, Portuguese
    "empresas?", "establecimientos?", "estabelecimentos?", "habitantes?", "trabajador(?:es)?",
    "ocupad[oa]s?", "afiliad[oa]s?", "asalariad[oa]s?", "personas?", "pessoas?", "empregad[oa]s?",
    # Dutch
    "vestigingen", "vestiging", "bedrijf", "bedrijven", "inwoners?", "werknemers?")
# (one word may stand between: "je geleisteter Arbeitsstunde", "per employed person")
_RATIO_UNIT = re.compile(rf"(?:^|_){_PER_WORDS}_(?:\d+_)*(?:[^\W\d_]+_)?(?:{'|'.join(_PER_UNITS)})(?:_|$)")
# a number after "per" ("per 1000", "per 1,000"), but not a day's date: Norwegian, Swedish,
# Danish and German write "as of" with it ("Sysselsatte per 4. kvartal", "Ansatte per
# 31.12", "Beschäftigte per 30. Juni"), a count at that date (:func:`_is_ratio`)
_RATIO_NUMBER = re.compile(rf"(?:^|_){_PER_WORDS}_(?P<n>\d{{2,}}|\d{{1,3}}_\d{{3}})(?:_(?P<next>[^_]+))?")
# The national rows the offices print above their regions, by country: each name is a region
# total (REGION_TOTALS) and names its country (COUNTRY_OF).
_NATIONAL_ROWS = {
    "DE": ("deutschland", "germany", "bundesgebiet", "bundesrepublik deutschland", "brd"),
    "CA": ("canada",),  # Statistics Canada's GEO beside the provinces
    "KZ": ("казахстан", "республика казахстан", "kazakhstan", "republic of kazakhstan",
           "қазақстан республикасы", "қазақстан"),
    "RU": ("российская федерация", "россия", "russia", "russian federation"),
    "US": ("united states", "u.s.", "us total", "u.s. total"),
    "CH": ("schweiz", "suisse", "svizzera", "switzerland"),
    "AT": ("österreich", "oesterreich", "austria"),
    # the other CIS offices' national rows (Belstat, Stat.kg, Uzstat, Ukrstat)
    "BY": ("республика беларусь", "беларусь", "belarus", "republic of belarus"),
    "KG": ("кыргызская республика", "кыргызстан", "kyrgyzstan", "kyrgyz republic",
           "кыргыз республикасы"),  # (stat.kg's tables in Kyrgyz)
    "UZ": ("республика узбекистан", "узбекистан", "uzbekistan", "ўзбекистон республикаси",
           # stat.uz in Uzbek Latin, its apostrophe in each of the ways it is typed
           "o'zbekiston respublikasi", "o‘zbekiston respublikasi", "oʻzbekiston respublikasi",
           "o’zbekiston respublikasi", "republic of uzbekistan"),
    "UA": ("україна", "украина", "ukraine"),
    # Statistics Netherlands (CBS StatLine): "Nederland" above the provinces (PV)
    "NL": ("nederland", "netherlands", "the netherlands"),
    # INSEE above its départements or régions
    "FR": ("france", "france entière", "france entiere", "france hors mayotte"),
    "PL": ("polska", "poland"),  # Statistics Poland (BDL): POLSKA above its województwa
    # the Nordic offices' PX-Web tables (SCB, Statistics Finland, SSB, Statistics Denmark;
    # "all denmark": Statistics Denmark's StatBank in English)
    "SE": ("sweden", "sverige", "riket"), "FI": ("finland", "suomi"), "NO": ("norway", "norge"),
    "DK": ("denmark", "danmark", "all denmark"),
    "AU": ("australia",),  # the ABS's SDMX-CSV: "AUS: Australia" beside its states
    # IBGE's SIDRA: "Brasil" above the Unidades da Federação; INEGI: "Estados Unidos
    # Mexicanos" (never "México": a state's name); Stats SA: "South Africa" (or "RSA") above
    # the provinces
    "BR": ("brasil", "brazil"), "MX": ("estados unidos mexicanos",), "ZA": ("south africa", "rsa"),
    # TÜİK: "Türkiye" (or "Turkey", "Türkiye toplamı") above its provinces (İl) and NUTS regions
    # (İBBS): read as one more province, every sum over the regions counted the country twice
    "TR": ("türkiye", "turkey", "türkiye toplamı"),
    # ONS: "United Kingdom" above its ITL regions (regional accounts, ITL region code "UK"):
    # read as one more region, every sum over the regions counted the country twice
    "GB": ("united kingdom",),
    # the Asian offices' country rows below or above their states and provinces: MoSPI's ASI
    # "All India", BPS's "INDONESIA", DOSM's "Malaysia", PSA's "Philippines", GSO's "Cả nước"
    # (each one more state summed with the others, exit 0)
    # ("India" alone stays a country's name: beside a neighbour no list knows, a table of
    # countries, India no total of them)
    "IN": ("all india", "all-india"), "ID": ("indonesia",), "MY": ("malaysia",),
    "PH": ("philippines",), "VN": ("viet nam", "vietnam", "cả nước", "toàn quốc"),
}
# Region rows that are totals of the others, in the languages we meet: the national rows above,
# and words for the whole country that name none
REGION_TOTALS = codes.TOTAL_WORDS | {n for names in _NATIONAL_ROWS.values() for n in names} | {
    "национальный итог", "по республике", "всего по республике",
    "respublika boyynsha", "республика бойынша",
    "total nacional",  # INE (Spain) above its comunidades autónomas
    "whole country", "koko maa", "the whole country", "hele landet",  # the Nordic offices
    "total país", "total pais",  # INE Chile
    # metropolitan France is the sum of its own départements (no country's name: beside the
    # overseas départements alone it is one region among them, ff4d630)
    "france métropolitaine", "france metropolitaine",
    # the whole country above the prefectures, provinces, counties and cities of e-Stat, the
    # NBS's yearbooks, DGBAS and KOSIS: 全国, 全國, 전국 (and their totals 総数, 合计, 總計, 계)
    "全国", "全國", "전국", "総数", "合計", "合计", "总计", "總計", "총계", "계", "합계", "전체",
}
# the country each country's name of REGION_TOTALS names: a table that lists two countries
# (a Eurostat table by country: Belgium, Germany, Austria) has countries for regions, and
# none of them is the others' total
COUNTRY_OF = {name: country for country, names in {
    **_NATIONAL_ROWS,
    # countries no table has above its regions here, named as Eurostat's and the OECD's
    # tables by country name them: they tell a table of countries from one of regions
    **{c: (c.lower(),) for c in (
        "Belgium", "Bulgaria", "Czechia", "Estonia", "Ireland", "Greece", "Spain",
        "Croatia", "Italy", "Cyprus", "Latvia", "Lithuania", "Luxembourg", "Hungary",
        "Malta", "Portugal", "Romania", "Slovenia", "Slovakia",
        "Iceland", "Liechtenstein", "Serbia", "Montenegro",
        "North Macedonia", "Albania", "Bosnia and Herzegovina", "Japan",
        "Mexico", "New Zealand", "Korea", "Chile", "Colombia", "Costa Rica",
        "Israel")},
}.items() for name in names}
# the neighbours of the countries whose names are totals above (Brasil, South Africa, France,
# Polska), as the international tables of their offices and of CEPAL, SADC or the ILO name
# them: a table of Mercosur's or SACU's countries has no total among them.  (Georgia, Niger
# and México are also a state's name, Cuba a Portuguese municipality's: left out)
COUNTRY_OF.update({name: country for country, names in {
    "AR": ("argentina",), "UY": ("uruguay", "uruguai"), "PY": ("paraguay", "paraguai"),
    "BO": ("bolivia", "bolívia"), "PE": ("peru", "perú"), "EC": ("ecuador", "equador"),
    "VE": ("venezuela",), "Colombia": ("colômbia",), "GT": ("guatemala",), "HN": ("honduras",),
    "SV": ("el salvador",), "NI": ("nicaragua",), "PA": ("panama", "panamá"),
    "DO": ("dominican republic", "república dominicana"), "AO": ("angola",),
    "MZ": ("mozambique", "moçambique"), "CV": ("cabo verde",), "NA": ("namibia",),
    "BW": ("botswana",), "LS": ("lesotho",), "SZ": ("eswatini", "swaziland"),
    "ZW": ("zimbabwe",), "ZM": ("zambia",), "MW": ("malawi",), "KE": ("kenya",),
    "TZ": ("tanzania",), "UG": ("uganda",), "NG": ("nigeria",), "GH": ("ghana",),
    "ET": ("ethiopia",), "EG": ("egypt",), "MA": ("morocco",),
    # the other large economies of the ILO's, the OECD's and the UN's tables by country: Brazil
    # and South Africa beside India and China (a BRICS table) are no total of them
    "IN": ("india",), "CN": ("china",), "SA": ("saudi arabia",),
    "IR": ("iran",), "PK": ("pakistan",), "BD": ("bangladesh",),
    "TH": ("thailand",),
    "SG": ("singapore",), "LK": ("sri lanka",), "AE": ("united arab emirates",), "DZ": ("algeria",),
    "TN": ("tunisia",), "SN": ("senegal",), "CM": ("cameroon",), "RW": ("rwanda",),
    "KR": ("republic of korea", "korea, republic of"),
    "US": ("estados unidos", "états-unis"), "CA": ("canadá",),
    "Spain": ("españa", "espagne", "hiszpania"), "DE": ("allemagne", "niemcy"),
    "Belgium": ("belgique",), "Italy": ("italie", "włochy"), "United Kingdom": ("royaume-uni",),
    "NL": ("pays-bas",), "AT": ("autriche",), "SE": ("suède", "szwecja"), "DK": ("danemark",),
    "PL": ("pologne",), "Ireland": ("irlande",), "Greece": ("grèce",), "Czechia": ("czechy",),
    "Slovakia": ("słowacja",), "Lithuania": ("litwa",), "UA": ("ukraina",), "FR": ("francja",),
    "Hungary": ("węgry",),
}.items() for name in names})
# (each a dict of its own: a country's key given twice in one literal keeps only the last names)
COUNTRY_OF.update({name: country for country, names in {
    # the CIS's and Asia's other countries, as the CIS Statistical Committee's, ADB's, ILOSTAT's
    # and the UN's tables by country name them: "Kazakhstan" beside Armenia, Azerbaijan,
    # Moldova and Tajikistan was the only country known, dropped as their "total" (exit 0)
    "AM": ("armenia", "republic of armenia"), "AZ": ("azerbaijan", "republic of azerbaijan"),
    "MD": ("moldova", "republic of moldova"), "TJ": ("tajikistan", "republic of tajikistan"),
    "TM": ("turkmenistan",), "MN": ("mongolia",), "AF": ("afghanistan",), "NP": ("nepal",),
    "MM": ("myanmar",), "KH": ("cambodia",), "LA": ("lao pdr", "laos", "lao people's democratic republic"),
    "BT": ("bhutan",), "MV": ("maldives",), "IQ": ("iraq",), "SY": ("syria", "syrian arab republic"),
    "JO": ("jordan",), "LB": ("lebanon",), "KW": ("kuwait",), "QA": ("qatar",), "BH": ("bahrain",),
    "OM": ("oman",), "YE": ("yemen",), "LY": ("libya",), "SD": ("sudan",), "FJ": ("fiji",),
    "PG": ("papua new guinea",), "TL": ("timor-leste",), "BN": ("brunei darussalam", "brunei"),
    "US": ("united states of america", "usa"), "Korea": ("south korea",),
}.items() for name in names})
COUNTRY_OF.update({name: country for country, names in {
    # the EU's countries in German, as Destatis's "Europa in Zahlen" and GENESIS's tables by
    # country name them beside "Deutschland" (dropped as their total, exit 0)
    "Belgium": ("belgien",), "Bulgaria": ("bulgarien",), "DK": ("dänemark", "daenemark"),
    "Estonia": ("estland",), "FI": ("finnland",), "FR": ("frankreich",),
    "Greece": ("griechenland",), "Ireland": ("irland",), "Italy": ("italien",),
    "Croatia": ("kroatien",), "Latvia": ("lettland",), "Lithuania": ("litauen",),
    "Luxembourg": ("luxemburg",), "NL": ("niederlande",), "PL": ("polen",),
    "Romania": ("rumänien", "rumaenien"), "SE": ("schweden",), "Slovakia": ("slowakei",),
    "Slovenia": ("slowenien",), "Spain": ("spanien",), "Czechia": ("tschechien",),
    "Hungary": ("ungarn",), "Cyprus": ("zypern",),
}.items() for name in names})

# the Japanese eras' first years (令和 1 = 2019), as e-Stat's tables write their years and
# fiscal years ("令和3年", "平成30年度")
_ERA_START = {"令和": 2019, "平成": 1989, "昭和": 1926}


def _era_year(era: str, n: str) -> int:
    return _ERA_START[era] + (0 if n == "元" else int(n) - 1)


# the months as a month column writes them: English, German, French, Spanish, Italian, Dutch,
# Romanian (INS TEMPO's "Luna ianuarie 2021") and Russian names (whole or cut to three
# letters), 1-12, M01, GENESIS's MONAT01
MONTH_CELLS = {name: i for i, names in enumerate((
    ("january", "januar", "jänner", "janvier", "enero", "gennaio", "januari", "ianuarie", "январь", "jan", "jän"),
    ("february", "februar", "février", "febrero", "febbraio", "februari", "februarie", "февраль", "feb", "fév", "févr"),
    ("march", "märz", "maerz", "mars", "marzo", "maart", "martie", "март", "mar", "mär", "mrz"),
    ("april", "avril", "abril", "aprile", "aprilie", "апрель", "apr", "avr", "abr"),
    ("may", "mai", "mayo", "maggio", "mei", "май", "mag"),
    ("june", "juni", "juin", "junio", "giugno", "iunie", "июнь", "jun", "giu"),
    ("july", "juli", "juillet", "julio", "luglio", "iulie", "июль", "jul", "juil", "lug"),
    ("august", "août", "agosto", "augustus", "август", "aug", "ago"),
    ("september", "septembre", "septiembre", "setiembre", "settembre", "septembrie", "сентябрь", "sep", "sept", "set"),
    ("october", "oktober", "octobre", "octubre", "ottobre", "octombrie", "октябрь", "oct", "okt", "ott"),
    ("november", "novembre", "noviembre", "noiembrie", "ноябрь", "nov"),
    ("december", "dezember", "décembre", "diciembre", "dicembre", "decembrie", "декабрь", "dec", "dez", "déc", "dic")), 1)
    for name in names}
_MONTH_NAME = "|".join(sorted((re.escape(n) for n in MONTH_CELLS), key=len, reverse=True))
# a month named with its year: "Jan 2016", "January 2016", "2016 JAN" (ONS's time series),
# "Januar 2016", "janvier 2016", "Jan-2016" (not "Jan-16": a day or a year?); Romania's INS
# TEMPO writes the word for month before it, "Luna ianuarie 2021"
_MONTH_YEAR = re.compile(rf"^(?:luna\s+)?(?P<m>{_MONTH_NAME})\.?\s*[-/ ]?\s*(?P<y>(?:18|19|20|21)\d{{2}})$", re.IGNORECASE)
_YEAR_MONTH = re.compile(rf"^(?P<y>(?:18|19|20|21)\d{{2}})\s*[-/ ]?\s*(?P<m>{_MONTH_NAME})\.?$", re.IGNORECASE)


# twelve months from January to December of one year: NOMIS's Annual Population Survey dates
# ("Jan 2016-Dec 2016") -- the calendar year; any other twelve months are no calendar period
_MONTHS_OF_A_YEAR = re.compile(rf"^(?P<a>{_MONTH_NAME})\.?\s*(?P<y>(?:18|19|20|21)\d{{2}})\s*[-\u2013\u2014]\s*"
                               rf"(?P<b>{_MONTH_NAME})\.?\s*(?P<z>(?:18|19|20|21)\d{{2}})$", re.IGNORECASE)


def _month_number(word: str) -> int:
    """The month (1-12) a month's name or abbreviation matched by the patterns here stands for."""
    return MONTH_CELLS[unicodedata.normalize("NFC", word).lower()]


def _month_of(m) -> str:
    return f"{m.group('y')}M{_month_number(m.group('m')):02d}"


# the month words of a date after "per" (Nordic ones besides MONTH_CELLS'; _norm'ed on first use)
_NORDIC_MONTHS = {"januar", "januari", "februar", "februari", "mars", "marts", "april", "mai", "maj",
                  "juni", "juli", "august", "augusti", "september", "oktober", "november",
                  "desember", "december", "des", "okt", "sept"}
_DATE_MONTHS: set[str] = set()


def _is_ratio(n: str) -> bool:
    """Whether a heading (as :func:`_norm` gives it) names a measure per something: "per"
    (je, pro, par, pour, por) before a unit ("per establishment", "je 1.000 Einwohner",
    "par salarié", "por empresa") or a number of two digits or more ("per 1000", "per 1,000") --
    not a day and its month ("per 31.12", "per 30. juni": a count as of that date)."""
    if _RATIO_UNIT.search(n):
        return True
    if not _DATE_MONTHS:
        _DATE_MONTHS.update({_norm(m) for m in MONTH_CELLS} | _NORDIC_MONTHS)
    for m in _RATIO_NUMBER.finditer(n):
        day, nxt = m.group("n"), m.group("next")
        if ("_" not in day and int(day) <= 31 and nxt is not None
                and ((nxt.isdigit() and 1 <= int(nxt) <= 12) or nxt in _DATE_MONTHS)):
            continue
        return True
    return False


_PERIOD_PATTERNS = [
    (re.compile(r"^[xXyY]?((?:18|19|20|21)\d{2})(?:\.0+)?$"), lambda m: m.group(1)),
    # (T: trimestre, as INE's "2023T4" and INSEE's "2023-T4" write a quarter; a Latin K:
    # kvartal, as Statistics Sweden, Norway and Denmark write it, "2023K1")
    (re.compile(r"^((?:18|19|20|21)\d{2})\s*[-_/ ]?\s*[QqКкKkT]\s*([1-4])$"), lambda m: f"{m.group(1)}Q{m.group(2)}"),
    # (T1 2021: INSEE's trimestre as its tables show it; K1 2021 a Nordic kvartal, as 2021K1 is read)
    (re.compile(r"^[QqКкTtKk]\s*([1-4])\s*[-_/ ]?\s*((?:18|19|20|21)\d{2})$"), lambda m: f"{m.group(2)}Q{m.group(1)}"),
    # ... and with a Roman numeral: INE's PC-Axis tables (jaxi) write "2004TIV" in Spanish and
    # "2008QIV" in English
    (re.compile(r"^((?:18|19|20|21)\d{2})\s*[-_/ ]?\s*[QqTt]\s*(IV|I{1,3})$"),
     lambda m: f"{m.group(1)}Q{_ROMAN[m.group(2)]}"),
    # Statistics Netherlands' period keys (CBS open data, "Perioden"): 2022JJ00 the year,
    # 2022KW01 a quarter, 2022MM01 a month
    (re.compile(r"^((?:18|19|20|21)\d{2})JJ00$"), lambda m: m.group(1)),
    (re.compile(r"^((?:18|19|20|21)\d{2})KW0([1-4])$"), lambda m: f"{m.group(1)}Q{m.group(2)}"),
    (re.compile(r"^((?:18|19|20|21)\d{2})MM(0[1-9]|1[0-2])$"), lambda m: f"{m.group(1)}M{m.group(2)}"),
    (re.compile(r"^((?:18|19|20|21)\d{2})\s*[-_/ ]?\s*[Mm]?(0[1-9]|1[0-2])$"), lambda m: f"{m.group(1)}M{m.group(2)}"),
    # the year with its word: "2016 г.", "2016 год(а)", Kazakh "2016 ж.", "2016 жыл(ы)";
    # Japanese and Chinese "2016年", Korean "2016년" (not "2016年度", a fiscal year)
    (re.compile(r"^((?:18|19|20|21)\d{2})\s*(?:год[ауы]?|г\.?|jahr|zhyl\w*|жыл\w*|ж\.?|年|년)$", re.IGNORECASE),
     lambda m: m.group(1)),
    (re.compile(r"^(?:jahr|year|год|anul)\s*((?:18|19|20|21)\d{2})$", re.IGNORECASE), lambda m: m.group(1)),
    # a Japanese era's year: 令和3年 (2021), 平成31年, 令和元年 (2019: the era's first year)
    (re.compile(r"^(令和|平成|昭和)\s*(元|[1-9]\d?)\s*年$"), lambda m: str(_era_year(m.group(1), m.group(2)))),
    # a year with a mark after it, as offices head the columns of provisional, revised or
    # estimated years and those with a footnote: 2016p, 2016 (p), 2016r, 2016e, 2016*,
    # 2016¹, 2016¹), 2016¹⁾ (the superscript bracket, as names and figures take it), 2016 1)
    (re.compile(r"^((?:18|19|20|21)\d{2})\s*(?:\(?[pPrReE]\)?|\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+[)⁾]?|\(?\d{1,2}\))$"),
     lambda m: m.group(1)),
    # ... and the same in words, in parentheses: '2022 (vorläufig)', ONS's '2022 (provisional)'
    (re.compile(r"^((?:18|19|20|21)\d{2})\s*\(\s*(?:provisional|preliminary|revised|vorläufig|"
                r"vorl\.|berichtigt|provisoire|provisorio|provvisorio|voorlopig|"
                r"предварительн\w*(?:\s+данные)?|estimated?|estimation|geschätzt|estimé|estimado|"
                r"stimato|geschat|revidiert|révisé|revisado|rivisto|herzien)\s*\)$", re.IGNORECASE),
     lambda m: m.group(1)),
]


# a year headed as provisional (2021p, 2021 (p), '2022 (vorläufig)', ONS's '2022 (provisional)'):
# read as the year, its cells flagged "p" as Eurostat flags a provisional figure
PROVISIONAL_YEAR = re.compile(
    r"^((?:18|19|20|21)\d{2})\s*(?:\(?\s*[pP]\s*\)?|\(\s*(?:provisional|preliminary|vorläufig|vorl\.|"
    r"provisoire|provisorio|provvisorio|voorlopig|предварительн\w*(?:\s+данные)?)\s*\))$", re.IGNORECASE)
PROVISIONAL_FLAG = "p"
# ... and as estimated or revised (2014e, 2014 (e), '2014 (estimated)'; 2014r, '2014 (revised)',
# '2014 (berichtigt)'): the year, its cells flagged e or r as Eurostat flags them (e the status
# estimated); the mark was dropped without a word
_MARKED_YEAR = re.compile(
    r"^((?:18|19|20|21)\d{2})\s*(?:\(?\s*(?P<mark>[eErR])\s*\)?|\(\s*(?P<word>estimated?|estimation|"
    r"geschätzt|estimé|estimado|stimato|geschat|revised|berichtigt|revidiert|révisé|revisado|"
    r"rivisto|herzien)\s*\))$", re.IGNORECASE)


def year_mark(heading) -> str | None:
    """The flag a year's heading or cell gives its figures: ``p`` provisional (2021p, '2022
    (vorläufig)'), ``e`` estimated (2014e, '2014 (estimated)'), ``r`` revised (2014r, '2014
    (berichtigt)'); None for a bare year or another mark (a footnote's 2016¹, 2016*)."""
    text = str(heading or "").strip()
    if PROVISIONAL_YEAR.match(text):
        return PROVISIONAL_FLAG
    m = _MARKED_YEAR.match(text)
    if m is None:
        return None
    if m.group("mark"):
        return m.group("mark").lower()
    return "r" if m.group("word").lower().startswith(("rev", "ber", "rév", "riv", "her")) else "e"


# CBS StatLine marks its provisional periods with a star, its further provisional ones with two
# ("2023*", "2023**", "2023 1e kwartaal*": voorlopige, nader voorlopige cijfers), where other
# offices' 2016* is a footnote: read under StatLine's own period heading ("Perioden") only
STATLINE_PERIOD_HEADINGS = frozenset({"perioden"})
# ... and in a table whose headings are StatLine's own (its classification "(SBI 2008)", Dutch
# "Regio's"), in Dutch or English, its periods under "Periods" or across as the columns'
# headings ("2021;2022;2023*" after pivoting the table in StatLine): the star was a footnote's
_STATLINE_HEADING = re.compile(r"\(SBI\s*2008\)|^\s*regio'?s\s*$|^\s*perioden\s*$", re.IGNORECASE)


def statline_periods(header, period_heading: str | None) -> bool:
    """Whether a starred period (``2023*``) is CBS StatLine's provisional one: under its
    ``Perioden`` heading, or in a table headed as StatLine heads its tables (``Economic activity
    (SBI 2008)``, ``Regio's``) under ``Periods`` or across (no period column, or the periods
    over the measure in two header rows)."""
    if period_heading is not None and _norm(period_heading) in STATLINE_PERIOD_HEADINGS:
        return True
    # ("period": the column a two-row header of periods over a measure is read into)
    return (period_heading is None or _norm(period_heading) in ("periods", "period")) and any(
        _STATLINE_HEADING.search(str(h or "")) for h in header or ())
_STATLINE_PROVISIONAL = re.compile(r"^((?:18|19|20|21)\d{2}\b.*?)\s*\*{1,2}$")


def statline_provisional(cell) -> str | None:
    """The period a CBS StatLine cell marked provisional names without its star (``2023*`` ->
    ``2023``, ``2023 1e kwartaal**`` -> ``2023 1e kwartaal``); None for an unmarked cell."""
    m = _STATLINE_PROVISIONAL.match(str(cell or "").strip())
    return m.group(1).strip() if m else None


_YEAR = r"(?P<y>(?:18|19|20|21)\d{2})"
_YEAR_WORD = r"(?:\s*(?:г\.?|года?|жылғы|жыл|jahr))?"
# (a digit with its ordinal's ending: CBS StatLine's "2022 1e kwartaal", "2022 1st quarter")
_QUARTER_NUMBER = r"(?P<q>IV|I{1,3}|[1-4])(?:(?<=[1-4])(?:e|ste|de|st|nd|rd|th))?"
_QUARTER_WORD = r"(?:кв\.?|квартал\w*|тоқсан\w*|quartal|qtr\.?|quarter|trimestrul|kwartaal)"
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}
# quarters as statistical offices head them: "I кв. 2016", "1 квартал 2016 г.", "2016 г. I
# квартал", "2016 жылғы I тоқсан", "1. Quartal 2016", "2016 Qtr 1", "Quarter 1 2016", "1Q2016".
# A Roman numeral alone beside a year ("2016 I") may be a half-year: no quarter without its word
_QUARTER_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    rf"^{_QUARTER_NUMBER}\s*\.?\s*{_QUARTER_WORD}\s*[,.]?\s*{_YEAR}{_YEAR_WORD}$",
    rf"^{_YEAR}{_YEAR_WORD}\s*[,.:]?\s*{_QUARTER_NUMBER}\s*\.?\s*{_QUARTER_WORD}$",
    rf"^{_YEAR}\s*[,.:]?\s*{_QUARTER_WORD}\s*(?P<q>[1-4])$",
    rf"^{_QUARTER_WORD}\s*(?P<q>[1-4])\s*[,./]?\s*{_YEAR}$",
    # (and its Roman numeral after the word: Romania's INS TEMPO, "Trimestrul I 2021")
    rf"^{_QUARTER_WORD}\s*(?P<q>IV|I{{1,3}})\s+{_YEAR}$",
    rf"^(?P<q>[1-4])\s*Q\s*[-/]?\s*{_YEAR}$",
)]


def period_of(header: str | None) -> str | None:
    """Canonical period for a heading or cell (``2016``, ``2016Q1``, ``2016M03``) or None."""
    if header is None:
        return None
    h = str(header).strip()
    for rx, fmt in _PERIOD_PATTERNS:
        m = rx.match(h)
        if m:
            return fmt(m)
    for rx in _QUARTER_PATTERNS:
        m = rx.match(h)
        if m:
            return f"{m.group('y')}Q{_ROMAN.get(m.group('q').upper(), m.group('q'))}"
    m = _MONTH_YEAR.match(h) or _YEAR_MONTH.match(h)
    if m:
        return _month_of(m)
    m = _MONTHS_OF_A_YEAR.match(h)
    if m and m.group("y") == m.group("z") and [_month_number(m.group(k)) for k in ("a", "b")] == [1, 12]:
        return m.group("y")
    return None


def month_named_first(header: str | None) -> bool:
    """Whether a heading is a period by a month's name before its year ("Mayo 2016", "Jan
    2016"): also how a place named like a month is written with its year (Ireland's County
    Mayo; Spanish "mayo" is May) -- :func:`clusterid.io.readers.generic_plan._region_period_heads`
    reads it as such among other regions' headings with years."""
    return header is not None and bool(_MONTH_YEAR.match(str(header).strip()))


# A fiscal year: "FY2016", "2016/17", "2016-17", "2016–2017", "2016/2017 гг." -- a period
# that is no calendar year, and which calendar year stands for it is the office's convention
# (the U.S. federal FY2016 ends in September 2016, India's 2016-17 in March 2017).  "2010-11"
# and "2011/12" are also how a month is written: read as one, the fiscal years 2010-11 and
# 2011-12 of a table became November 2010 and December 2011, silently.
# ("FY 2016-17", "FY2016/17", as the ABS and India's MoSPI head a fiscal year, is the second)
_FISCAL = re.compile(r"^(?:FY\s*[-']?\s*(?:(?:18|19|20|21)\d{2}|\d{2})"
                     r"|(?:FY\s*)?(?P<a>(?:18|19|20|21)\d{2})\s*[-/\u2013\u2014]\s*(?P<b>(?:18|19|20|21)\d{2}|\d{2}))"
                     r"(?:\s*(?:гг?\.?|годы?|fiscal(?:\s+year)?))?$", re.IGNORECASE)
_NUMERIC_MONTH = re.compile(r"^((?:18|19|20|21)\d{2})\s*[-/]\s*(0[1-9]|1[0-2])$")
# ... and Japan's 年度 (nendo), the fiscal year from April to March: "2021年度", "令和3年度"
# (and China's, where it is the calendar year: the table says which).  Read as no period,
# e-Stat's 年度 columns were 'not a period' on every row and their headings no period
_NENDO = re.compile(r"^(?:(?P<y>(?:18|19|20|21)\d{2})|(?P<era>令和|平成|昭和)\s*(?P<n>元|[1-9]\d?))\s*年度$")


def _twelve_months_over_two_years(label: str | None):
    """The match of a fiscal year written as its months, "Oct 2015-Sep 2016", "Jul 2016 -
    Jun 2017" (twelve months from one year into the next), else None.  Not a period before:
    a table by such years was refused as having no period column at all."""
    m = _MONTHS_OF_A_YEAR.match(str(label or "").strip())
    if not m or int(m.group("z")) != int(m.group("y")) + 1:
        return None
    a, b = (_month_number(m.group(k)) for k in ("a", "b"))
    return m if a != 1 and b == a - 1 else None


def fiscal_year(label: str | None) -> bool:
    """``label`` has the shape of a fiscal year: ``FY2016``, or two consecutive years
    (``2016/17``, ``2016-2017``)."""
    if _NENDO.match(str(label or "").strip()) or _twelve_months_over_two_years(label):
        return True
    m = _FISCAL.match(str(label or "").strip())
    if not m:
        return False
    if not m.group("a"):
        return True
    a, b = int(m.group("a")), m.group("b")
    return int(b) == a + 1 if len(b) == 4 else int(b) == (a + 1) % 100


FISCAL_YEAR = "a fiscal year, not a calendar period"  # (unclear_periods' reason)
# the ABS's own line over its data cubes and time series catalogues
_ABS_TITLE = re.compile(r"\baustralian\s+bureau\s+of\s+statistics\b", re.IGNORECASE)


def abs_table(titles) -> bool:
    """A table the Australian Bureau of Statistics published: a title line above it names the
    ABS (its data cubes' first line, ``Australian Bureau of Statistics``)."""
    return any(_ABS_TITLE.search(str(c)) for row in titles or []
               for c in (row if isinstance(row, (list, tuple)) else [row]) if c is not None)


def abs_financial_year(label: str | None) -> str | None:
    """The period of an ABS financial year label: the Australian financial year runs from July
    to June and is labelled ``2018-19`` (also ``2018/19``, ``2018-2019``), the period the year it
    ends, ``2019`` (as the ABS's annual time series date it: ``Jun-2019``); None for any other
    label (``FY2019``, whose year the ABS does not write so, stays refused)."""
    m = _FISCAL.match(str(label or "").strip())
    if not m or not m.group("a") or not fiscal_year(label):
        return None
    return str(int(m.group("a")) + 1)


def financial_years_said(years: dict[str, str]) -> str:
    """The sentence on financial years read as the years they end (``{"2018-19": "2019"}``)."""
    shown = ", ".join(f"{k} -> {v}" for k, v in sorted(years.items(), key=lambda kv: kv[1]))
    return (f"financial years (July to June, the ABS's) read as the year they end: {shown} "
            "(a June date of an annual series, Jun-2019, is the year 2018-19 too)")


def unclear_periods(labels) -> dict[str, str]:
    """The period labels of one column (or one header) that are refused rather than read:
    ``{label: why}``.  A fiscal year is no calendar period; ``2010-11`` is a month or a fiscal
    year, a month only when another label of the same notation is a month that is no fiscal
    year (``2010-10``)."""
    labels = [str(v).strip() for v in labels if v is not None and str(v).strip()]
    fiscal = [v for v in labels if fiscal_year(v)]
    if not fiscal:
        return {}
    months = any(_NUMERIC_MONTH.match(v) and not fiscal_year(v) for v in labels)
    years = any(not _NUMERIC_MONTH.match(v) for v in fiscal)  # 2012-13 is no month: 2011-12 neither
    out = {}
    for v in fiscal:
        if not _NUMERIC_MONTH.match(v) or years:
            out[v] = "a fiscal year, not a calendar period"
        elif not months:
            out[v] = "a month or a fiscal year"
    return out


def unclear_period_problem(label: str, why: str, path: str, line=None, column=None) -> Problem:
    """The located problem of a period label :func:`unclear_periods` refused, saying what
    to write instead."""
    m = _FISCAL.match(label)
    nendo = _NENDO.match(label.strip())
    months = _twelve_months_over_two_years(label)
    if months:  # Oct 2015-Sep 2016: the year it begins in, or ends in (the U.S. federal FY2016)
        years = f"{months.group('y')} or {months.group('z')}"
    elif nendo:  # Japan's 2021年度 runs from April 2021 to March 2022
        y = int(nendo.group("y")) if nendo.group("y") else _era_year(nendo.group("era"), nendo.group("n"))
        years = f"{y} or {y + 1}"
    elif m and m.group("a"):
        years = f"{m.group('a')} or {int(m.group('a')) + 1}"
    else:  # FY2016: the year it ends in, or the one before
        y = re.search(r"\d+", label)
        y = int(y.group()) if y else 2016
        y = y + 2000 if y < 100 else y
        years = f"{y - 1} or {y}"
    relabel = f"relabel {label!r} with the calendar year it stands for ({years})"
    month = _NUMERIC_MONTH.match(label)
    if month and why != "a fiscal year, not a calendar period":
        hint = f"write a month as {month.group(1)}M{month.group(2)}; a fiscal year: {relabel}"
    else:
        hint = f"clusterid does not guess which calendar year a fiscal year stands for: {relabel}"
    if nendo:
        hint = "Japan's 年度 runs from April to March; " + hint
    return Problem(why, path=path, line=line, column=column,
                   expected="a calendar year (2016), a quarter (2016Q1) or a month (2016M03)",
                   found=label, hint=hint)


def _looks_like_year_but_is_not(header: str) -> bool:
    h = header.strip()
    return bool(re.match(r"^\d{3,5}(Q\d)?$", h, re.IGNORECASE)) and period_of(h) is None


# French (and Spanish) accents: Statistics Canada's French table CSV heads "PÉRIODE DE
# RÉFÉRENCE", "GÉO", "VALEUR" (Latin letters only: a Cyrillic й stays й)
# (Turkish ş ğ ı and Romanian ș ţ too: TÜİK's "Çalışan sayısı", INS's "Judeţe"; "İ" lowercases
# to i and a combining dot, dropped in _norm: "İl" was the two words "i" and "l")
_LATIN_ACCENTS = str.maketrans("éèêëàâáãîïíôóõûùúçñşğıșţțăâ", "eeeeaaaaiiioooouucnsgisttaa")


def _norm(header: str) -> str:
    h = unicodedata.normalize("NFC", str(header)).strip().lower().replace("\u0307", "")
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        h = h.replace(a, b)
    return re.sub(r"[\W_]+", "_", h.translate(_LATIN_ACCENTS)).strip("_")


def _tokens(n: str) -> set[str]:
    parts = set(n.split("_"))
    # split glued digits off words: wz2008 stays, emp1000 -> emp
    parts |= {re.sub(r"\d+$", "", p) for p in parts if re.search(r"[a-zа-я]\d+$", p) and not p.startswith("wz")}
    if re.search(r"(?:^|_)value_added(?:_|$)", n):
        # "Gross value added (£ million)" (ONS), "Value added at factor cost": output's words
        # are two, no token alone ("value" is any table's value column)
        parts.add("value_added")
    return {p for p in parts if p}


def _coded_industry_heading(header: str) -> bool:
    """A heading that is an industry's code and name, as a table with the industries across
    has them: ``"01 : Crop and animal production, hunting ..."`` (NOMIS, ONS BRES), ``"A
    Land- und Forstwirtschaft"``.  Its words say nothing of the column's role: read for them,
    "production" made A01 an output column and "Employment activities" N78 an employment
    one, and neither was read nor named.  A number before a plain word without a colon
    ("2016 Employment") is no such heading."""
    code, name = codes.split_label(header)
    if name is None or (code.isdigit() and not re.match(r"^\s*\d+\s*:", header)):
        return False
    return any(codes.level(codes.normalize(code, c), c) is not None for c in (schema.NACE, schema.NAICS))


_CENTRE_WORDS = {"centre", "center", "centres", "centers"}


def _qualified_measure(header: str) -> bool:
    """Whether ``header`` is a measure's word outside brackets with the period's words only
    inside them ("Employment (average for the year)", "Jobs (year-end)")."""
    inside = " ".join(re.findall(r"\(([^()]*)\)", header))
    outside = re.sub(r"\([^()]*\)", " ", header)
    out_toks, in_toks = _tokens(_norm(outside)), _tokens(_norm(inside))
    return (bool(in_toks & ROLE_WORDS["period"]) and not out_toks & ROLE_WORDS["period"]
            and any(out_toks & ROLE_WORDS[m] for m in schema.MEASURES))


_GERMAN_AREA_COMPOUND = re.compile(
    r"^(?:land)?(?:kreis|gemeinde|gemeinden|kreise|laender|bundesland|region|gebiet|gebiets)"
    r"(name|namen|bezeichnung|schluessel|kennziffer|code|nummer)$")


# a crosstab's corner heading: what is down the rows, a backslash or slash, what is across the
# columns ("Region\\Jahr", "Kreis\\Jahr", "Land / Jahr", "Region/Year")
_CORNER = re.compile(r"^\s*([^\\/]*[^\W\d_][^\\/]*?)\s*[\\/]\s*([^\\/]+?)\s*$")


def corner_down(header: str) -> str | None:
    """What is down the rows, for a crosstab's corner heading over periods across the columns
    (``Region\\Jahr``, ``Land / Jahr``: ``Region``, ``Land``) naming a region or industry
    column; None for any other heading ("Beschäftigte/Jahr" is a measure per year)."""
    m = _CORNER.match(str(header))
    if m is None or _norm(m.group(2)) not in ROLE_WORDS["period"]:
        return None
    down = role_of(m.group(1))
    return m.group(1) if down is not None and down.startswith(("region", "industry")) else None


_INEGI_VARIABLE_KEY = re.compile(r"^\s*(?:[A-Z]\d{3}[A-Z]|UE)\s+(?=[^\W\d_])")


# an age in years: "16+ years", "15-74 år", "aged 15 years and over", "16 years or older"
_AGE_OF_YEARS = re.compile(r"(?<![\d.])\d{1,2}\s*(?:\+|-\s*\d{1,2})?\s*(?:years?|yrs\.?|år|jahre?n?|лет|anos|años|ans)"
                           r"(?![^\W\d_])", re.IGNORECASE)


def role_of(header: str) -> str | None:
    """The role a heading suggests: region_code, region_name, region, industry_code, ... or None."""
    if (cjk := cjk_headings.role_of(header)) is not None:
        return cjk  # a Japanese, Chinese or Korean heading, one word without blanks
    n = _norm(header)
    if not n:
        return None
    if (key := _INEGI_VARIABLE_KEY.match(str(header))) is not None:
        # INEGI's census variables keyed before their names ("H001A Personal ocupado total",
        # "J000A Total de remuneraciones", "UE Unidades económicas"): the key is no word of it
        return role_of(str(header)[key.end():])
    if n == "unidades_economicas":  # INEGI's establishments (economic units)
        return schema.ESTABLISHMENTS
    if (down := corner_down(header)) is not None:
        # the corner over a wide table by period: the column is what is down the rows (the
        # regions), the periods are across; read as a period column for its "Jahr", the table
        # was refused as having 'no region column'
        return role_of(down)
    if n in _EXACT:
        return _EXACT[n]
    if n.startswith("um_") and str(header).strip()[:3].upper() == "UM:":
        return "unit"  # Romania's INS (TEMPO): "UM: Numar persoane" (unitate de masura)
    if period_of(header) is not None:
        return None  # "2020 год", "2016 Jahr": a period as a heading (a wide table), no role
    if codes.is_total(header) and n not in ("total", "all"):
        # "Всего по всем видам деятельности", "Total - all industries": the all-industries
        # column of a table by industry, not a column of industries (its words say industry)
        return None

    if m := _GERMAN_AREA_COMPOUND.match(n):
        # "Kreisname", "Gemeindebezeichnung", "Kreiskennziffer": German writes the area and
        # what of it the column holds as one word; "Kreis;Kreisname" left the names unread
        return "region_code" if m.group(1) in ("schluessel", "kennziffer", "code", "nummer") \
            else "region_name"
    toks = _tokens(n)
    words = n.split("_")
    if any(w == "cost" and after in _CENTRE_WORDS for w, after in zip(words, words[1:])):
        # "Employees (cost centre)": the organisational unit they are counted in, not a cost
        # (which the words of a cost refuse: "Total employment costs", "Labour cost")
        toks = toks - {"cost"} - _CENTRE_WORDS
    if toks & ROLE_WORDS["period"] and _qualified_measure(str(header)):
        # "Employment (average for the year)", "Employees (annual average)": a measure and
        # how it is taken, the period words inside its brackets; read as the period column,
        # the table was refused as having two
        toks = toks - ROLE_WORDS["period"]
    if "unemployment_insurance" in n:
        # "Employment covered by unemployment insurance", "Unemployment insurance covered
        # employment": the QCEW's covered jobs, not the unemployed
        toks = toks - {"unemployment"}
    if re.search(r"(?:^|_)(?:band|банд)_(?:aholi|аҳоли|ахоли|bo|бў|бу)(?:_|$)", n):
        # stat.uz: "Band aholi soni" (the employed population), "Iqtisodiyotda band
        # bo'lganlar", Cyrillic "Иш билан банд аҳоли": "band" alone is also a size band
        return schema.EMPLOYMENT
    if toks & {"population", "pop"} and set(words) & _EMPLOYED_POPULATION:
        # "Employed population" (CIS-Stat's and the CIS offices' English for "занятое
        # население"), "Occupied population", "Population employed": the employed, no
        # population; refused as 'no measure column recognised' for its "population"
        toks = (toks - {"population", "pop"}) | {"employed"}
    if toks & _NOT_A_ROLE or _is_ratio(n) or "%" in str(header):
        return None
    if re.search(r"\([A-U](?:[-+_][A-U])*\)\s*$", str(header)):
        return None  # "Land- und Forstwirtschaft, Fischerei (A)": a NACE section, not a Land
    if _coded_industry_heading(str(header)):
        return None  # NOMIS's "01 : Crop and animal production ...": an industry, not output
    words = n.split("_")
    if toks & _ATTRIBUTE_WORDS and not toks & ROLE_WORDS["ownership"] and not any(
            w == "type" and after == "of" for w, after in zip(words, words[1:])):
        # ("Ownership type", "Type of ownership": the ownership itself, as a person writes it;
        # "Type of economic activity", the English heading of the CIS offices' OKED/OKVED
        # column (stat.gov.kz, Rosstat, Belstat): the "type of" a dimension is the dimension)
        # NOMIS's EMPLOYMENT_STATUS (4: employment), DATE_TYPE, GEOGRAPHY_SORTORDER: a
        # dimension's attribute, not the measure or key its first word names.  EMPLOYMENT_STATUS
        # was read as the employment column, every cell 4, and OBS_VALUE left unread
        return None
    is_code = bool(toks & _CODE_WORDS)
    is_name = bool(toks & _NAME_WORDS)
    if toks & _PERIOD_LEAD_ONLY and words[0] not in _PERIOD_LEAD_ONLY:
        toks = toks - _PERIOD_LEAD_ONLY
    if toks & AGE_WORDS:
        toks = toks - ROLE_WORDS["period"]  # "Age (years)", "Years of age": ages, no period
    if _AGE_OF_YEARS.search(str(header)):
        # an age in years inside a measure's heading, as the Nordic offices' PX-Web tables
        # write whom they count: SCB's "Employed persons 16+ years", "Sysselsatte 15-74 år",
        # "Työlliset 18-74-vuotiaat": no period; read as one, PxWebApi's JSON was refused as two
        # columns that could each be the period
        toks = toks - ROLE_WORDS["period"]
    if "time" in toks and any(w == "time" and before in ("full", "part")
                              for before, w in zip(words, words[1:])):
        # "Employed full-time ('000)", "Part-time employees" (the ABS's data cubes, ONS,
        # StatCan): a measure of the jobs' hours, never the period; read as one, the ABS's
        # EQ06 was refused as two columns that could each be the period
        toks = toks - {"time"}
    if "uf" in toks and not set(words) <= _UF_COMPANIONS:
        toks = toks - {"uf"}
    if not toks & _FRENCH_COUNT and any(w in _FRENCH_OF_EMPLOYMENT and before == "d"
                                        for before, w in zip(words, words[1:])):
        toks = toks - _FRENCH_OF_EMPLOYMENT
    if "level" in toks and toks & ROLE_WORDS["industry"] and not any(
            toks & ROLE_WORDS[m] for m in schema.MEASURES):
        # "NAICS Level" (California EDD's QCEW, 2 for sectors, 3 for subsectors ...): the depth
        # of the code beside it, which the code itself gives; read as a second industry column,
        # the file was refused as two columns that could each be the industry
        return None
    for role in ("period", "ownership"):
        if toks & ROLE_WORDS[role] and not (is_code or is_name):
            return role
    if "caen" in toks and toks & _CAEN_COMPANIONS:
        # Romania's INS (TEMPO): "Activitati ale economiei nationale - sectiuni CAEN Rev.2",
        # CAEN Rev. 2 being NACE Rev. 2 (Caen alone is a French city)
        return "industry_code" if is_code else "industry_name" if is_name else "industry"
    if toks & _ACTIVITY and not (toks & ROLE_WORDS["industry"]) - _ACTIVITY \
            and set(words) - _ACTIVITY_COMPANIONS:
        # ISTAT's ATECO sections are named "Attività manifatturiere", "Attività finanziarie e
        # assicurative", "Attività immobiliari": across a table (the industries as columns)
        # each was an industry column, the table refused as two columns that could each be
        # the industry; INSEE's "Activité partielle" (short-time work) likewise.  "Activité",
        # "Ramo di attività", "Secteur d'activité", "Code activité" stay the industry's column
        toks = toks - _ACTIVITY
    for role in ("region", "industry"):
        if toks & ROLE_WORDS[role]:
            if role == "region" and not (is_code or is_name) and codes.section_of_title(str(header)):
                # "Land- und Forstwirtschaft, Fischerei" (Regionalstatistik's section A without
                # its letter): an industry across, not the regions' column ("Land")
                return None
            if is_code:
                return role + "_code"
            if is_name:
                return role + "_name"
            if role == "industry" and toks & {"naics", "nace", "nace_r2", "wz", "wz2008", "wz08", "wz2003", "wz03",
                                                "oked", "okved", "окэд", "оквэд", "sic", "isic",
                                                "эқжж", "anzsic"}:
                return "industry_code"
            return role
    if (kept := _without_all_sizes(words)) is not None:
        # "Employment (all sizes)", "Establishments, all establishment sizes", "Employees
        # (size: total)": a measure over every size class, no size-class dimension -- the rules
        # below, which take a heading's "size" for a column of size classes (Eurostat's
        # size_emp), refused the table as one without a measure
        words, toks = kept, _tokens("_".join(kept))
    if toks & _FRENCH_SIZE_CLASS:
        return None  # "Tranche d'effectif salarié": a size class (10 à 49 salariés), no count
    if _SIZE_CLASS_HEADING.search(str(header)):
        # the ABS's Counts of Australian Businesses (8165.0): "1-4 Employees", "5-19
        # Employees", "200+ Employees" across -- businesses of that size, no count of jobs.
        # The first was read as employment: New South Wales's 10,000 farms with 1-4
        # employees came out as 10,000 jobs
        return None
    if "sizeband" in toks or ("size" in toks and toks & _SIZE_CLASS_WORDS):
        # Statistics Canada's "Employment size ranges" (Canadian Business Counts), NOMIS's
        # "Employment sizeband": a size class (1 to 4 employees), no count.  Read as the
        # employment column, each class's name was 'not a number' on every line
        return None
    head = words[:words.index("by")] if "by" in words else words
    if {"size", "sizes"} & set(head):
        # Eurostat's SBS dimension size_emp (TOTAL, 0-9, GE250), "Employment size",
        # "Establishment size", "Size of establishment": a size class, no count.  size_emp was
        # read as the employment column of an SDMX-CSV, its TOTAL 'not a number' on every line
        # ("Wages by firm size" stays wages: the size is after "by")
        return None
    if _measure_only_of_whom(str(header)):
        return None
    if toks & {"salaries", "salarie"} and _FRENCH_EMPLOYEES.search(unicodedata.normalize("NFC", str(header))):
        # French "salariés" (employees: INSEE's "Salariés", "Postes salariés") folds to the
        # English "salaries" (pay): read as wages, a table of employees came out as payroll,
        # and lq computed on it without a word
        toks = (toks - {"salaries", "salarie"}) | {"employees"}
    if toks & _FRENCH_COUNT and toks & {"salaries", "salarie"}:
        return schema.EMPLOYMENT  # INSEE's NB_SALARIES, "Effectif salarié": employees, not pay
    hits = [m for m in schema.MEASURES if toks & ROLE_WORDS[m]]
    if len(hits) > 1:
        hits = _head_measures(str(header)) or hits
    for m in hits:
        if m == schema.WAGES and is_average(n):
            return None  # an average wage per worker, not a wage total (payroll)
        return m
    return None


_CAEN_COMPANIONS = {"rev", "activitati", "sectiuni", "diviziuni", "grupe", "clase", "economiei"}
# the industry's words "activité", "attività" and the only words beside which they head the
# industry's column (:func:`role_of`)
_ACTIVITY = {"activite", "attivita"}
_ACTIVITY_COMPANIONS = _ACTIVITY | {
    "ramo", "di", "del", "della", "settore", "settori", "economica", "economiche", "principale",
    "secteur", "secteurs", "d", "de", "l", "du", "des", "code", "codice", "cod", "libelle",
    "descrizione", "denominazione", "nom", "exercee", "ape", "naf", "rev", "ateco", "nace",
    "2", "2007", "2008", "a10", "a17", "a21", "a38", "a88", "a129", "classe", "sezione",
    "divisione", "gruppo", "categorie", "branche", "branches", "economique", "economiques"}
_ALL_WORDS = {"all", "any", "every", "total"}
_SIZE_WORDS = {"size", "sizes"}
_SIZE_TAIL = {"class", "classes", "band", "bands", "range", "ranges", "group", "groups"}


def _without_all_sizes(words: list[str]) -> list[str] | None:
    """The words of a heading with its "all sizes" phrase taken out, when the heading is a
    measure's over every size class: "all" (any, every, total) up to two words before "size"
    or "sizes" ("all sizes", "all establishment sizes", "total of all size classes"), or
    "total"/"all" right after it ("size total", "sizes: all"), and no other size word left --
    else None (a size-class column, "Employment size", "Size of establishment", keeps its
    words and is read as such)."""
    if not _SIZE_WORDS & set(words):
        return None
    out, i, found = [], 0, False
    while i < len(words):
        w = words[i]
        if w in _ALL_WORDS:
            ahead = next((j for j in range(i + 1, min(i + 4, len(words))) if words[j] in _SIZE_WORDS), None)
            if ahead is not None:
                i, found = ahead + 1 + (ahead + 1 < len(words) and words[ahead + 1] in _SIZE_TAIL), True
                continue
        if w in _SIZE_WORDS:
            nxt = i + 1 + (i + 1 < len(words) and words[i + 1] in _SIZE_TAIL)
            if nxt < len(words) and words[nxt] in _ALL_WORDS:
                i, found = nxt + 1, True
                continue
        out.append(w)
        i += 1
    if not found or not out or _SIZE_WORDS & set(out) or "sizeband" in out:
        return None
    return out


# words after which a heading names whom or what its measure is of: "Compensation of
# employees", "Payroll of employees ($1,000)", "Wages for all workers"
# ... and in German and the Romance languages: "Entgelte der Arbeitnehmer" (wages),
# "Masse salariale des salariés", "Retribuzioni dei dipendenti"
_OF_WORDS = re.compile(r"\s(?:of|for|per|from|der|des|de|du|del|dei|degli|delle|di)\s", re.IGNORECASE)


# the "of" words of German, French, Italian, Spanish and Portuguese (and the elided d', l'),
# and the words of a count standing before one ("Anzahl der", "Nombre de", "Numero di")
_FOREIGN_OF = re.compile(r"\s(?:der|des|de|du|del|della|delle|dello|dei|degli|di|do|dos|da|das)\s"
                         r"|\s[dl]['’]", re.IGNORECASE)
_COUNT_HEADS = {"number", "count", "total", "totals", "sum", "nombre", "nb", "nbr", "nbre",
                "numero", "numeri", "anzahl", "zahl", "summe", "gesamt", "insgesamt", "aantal",
                "totaal", "totale", "totali", "cantidad", "quantidade", "liczba", "ogolem",
                "gesamtzahl", "complessivo", "complessiva", "globale", "ensemble", "tous", "toutes",
                # "the average (yearly) number of": ISTAT's "Numero medio annuo di addetti"
                "medio", "media", "medi", "annuo", "annua", "annui", "moyen", "moyenne",
                "promedio", "anual", "annuel", "annuelle", "durchschnittliche",
                "durchschnittlichen", "jahresdurchschnittliche", "mittlere",
                "la", "las", "los", "el", "le", "les", "il", "lo", "gli", "l", "d", "a", "o", "os"}


def _measure_only_of_whom(header: str) -> bool:
    """Whether a heading's measure word stands only after a German or Romance "of" (der,
    des, de, di, delle, d' ...) whose head names no measure and is no word of a count: the
    measure's word then says of whom or what the heading's figure is -- "Classe di addetti"
    (ISTAT's size class), "Forma giuridica delle imprese", "Catégorie d'entreprises",
    "Postes de travail des établissements" (jobs, not firms) --
    while "Numero di addetti", "Anzahl der Betriebe", "Nombre d'établissements", "Total de
    afiliados" count what follows.  (English "of" is left to :func:`_head_measures`.)"""
    text = re.sub(r"\([^)]*\)", " ", header)
    parts = _FOREIGN_OF.split(text)
    if len(parts) < 2:
        return False
    for part in parts:
        toks = _tokens(_norm(part))
        if not toks or toks <= _COUNT_HEADS:
            continue  # "Numero", "Total", "las": what is counted follows
        return not any(toks & ROLE_WORDS[m] for m in schema.MEASURES)
    return False


def _head_measures(header: str) -> list[str]:
    """The measure a heading naming two is of, by its head: the words outside parentheses
    ("Total Wages (All Workers)" is wages), before "of"/"for" ("Compensation of employees",
    "Payroll of employees": wages, not the employees they are paid to).  Empty when that
    leaves not exactly one ("Wage and salary employment": the caller's order)."""
    text = re.sub(r"\([^)]*\)", " ", header)
    for part in (text, _OF_WORDS.split(text)[0]):
        toks = _tokens(_norm(part))
        found = [m for m in schema.MEASURES if toks & ROLE_WORDS[m]]
        if len(found) == 1:
            return found
    return []


# "Среднемесячная номинальная заработная плата", "average wage", "Durchschnittslohn": a wage
# per worker; clusterid's wages are totals (summed over industries and regions, divided by
# employment). ("Среднесписочная численность" is employment, the average over the year.)
# ... and a median or a wage per person: with "earnings" a wage word (d0b7970), the ACS's
# "Median earnings" and "Earnings per worker" beside employment were read as wage totals, summed
_AVERAGE = re.compile(r"(?:^|_)(?:средн\w*|average|avg|mean|durchschnitt\w*|орташа\w*|median\w*|медиан\w*"
                      # French, Spanish, Italian: "Rémunération moyenne des salariés", "Salario
                      # medio", "Remuneración promedio" (read as a wage total, summed)
                      r"|moyen(?:ne)?s?|medio|promedio|mittler\w*|(?<=_)medi[ae](?=_|$)"
                      r"|per_(?:worker|workers|employee|employees|job|jobs|person|persons|head|capita|fte))",
                      re.IGNORECASE)


def is_average(text: str) -> bool:
    """Whether a heading or title (as :func:`_norm` gives it, or raw) names an average."""
    return bool(_AVERAGE.search(_norm(text)))


_REGION_WORDS = ROLE_WORDS["region"] | {"kreis", "landkreis", "stadt", "city", "gemeinde", "regierungsbezirk",
                                        "raumordnungsregion", "arbeitsmarktregion", "amr", "город"}
_TITLE_REGION = re.compile(r"^\s*([^\W\d_][\w .-]*?)\s*[:=]\s*(\S.*?)\s*$")
# a period in parentheses after a region's name: 2016, 2016Q1, 2016-2020, 2016/17, 2016-03
# (a digit after the year only behind a separator: Riley County, KS is 20161)
_PERIOD_IN_PARENTHESES = re.compile(r"^(?:18|19|20)\d{2}(?:[-/.](?:\d{1,2}|(?:18|19|20)\d{2})|-?Q[1-4]|M\d{2})?$",
                                    re.IGNORECASE)


def region_from_titles(titles) -> tuple[str, str | None] | None:
    """A "Region: Göttingen" line above the header (one cell ``Word: value`` or two cells
    ``Word``, ``value``, the word naming a kind of region) -> (code, name), or None.

    A value that starts with a code (``03159 Göttingen``) gives the code and the name; a bare
    name is both.  Other title lines ("Table 3: Employment 2016") are not regions: only the
    region words of :data:`ROLE_WORDS` (region, Kreis, county, область ...) introduce one.
    Title lines naming different regions name none: Statistics Canada's "Geography: Canada,
    Province or territory" (the table's levels) above "Geography","Nova Scotia" (the one
    chosen) gave every row the first.
    """
    found = []
    for row in titles or []:
        cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
        if not cells:
            continue
        word = value = None
        said = _TITLE_REGION.match(cells[0])
        if len(cells) == 1 or (said and _tokens(_norm(said.group(1))) & _REGION_WORDS):
            # ("Region: Salt Lake County, UT (49035)" unquoted in a CSV: its comma split it)
            if said:
                word, value = said.group(1), ", ".join([said.group(2), *cells[1:]])
        elif len(cells) == 2:
            word, value = cells[0].rstrip(":= "), cells[1]
        if word is None or not value or not (_tokens(_norm(word)) & _REGION_WORDS):
            continue
        m = re.match(r"^([A-Za-z]{0,3}\d[\w.-]*)\s+(\S.*)$", value)
        # a name with its code after it in parentheses (Lightcast's "Salt Lake County, UT (49035)")
        after = re.match(r"^(\S.*?)\s*\(([A-Za-z]{0,3}\d[\w.-]*)\)$", value)
        if after and _PERIOD_IN_PARENTHESES.match(after.group(2)):
            # the year the table is of ("Region: Salt Lake County (2016)"), no code: it was
            # region 2016 named Salt Lake County, and each year's file another region
            found.append((after.group(1), after.group(1)))
            continue
        found.append((m.group(1), m.group(2)) if m else (after.group(2), after.group(1)) if after
                     else (value, value))
    return found[0] if found and all(f == found[0] for f in found) else None


# two levels of region headings in one report (a yearbook's "по районам" sheet: each oblast's
# heading, its rows, then its districts' headings and rows): the words that say which level
_UPPER_WORDS = re.compile(r"(?:^|\s)(?:област\w*|обл\.|облысы|oblysy|oblast|край|республика)(?:\s|$)",
                          re.IGNORECASE)
_LOWER_WORDS = re.compile(r"(?:^|\s)(?:район\w*|р-н|ауданы|audany|district|улус|кожуун|"
                          r"(?:городской|муниципальный)\s+округ)(?:\s|$)", re.IGNORECASE)
_CITY = re.compile(r"^(?:г\.|город\s|qalasy\s)\s*\w|\w\s(?:қ\.|қаласы|q\.|qalasy)$", re.IGNORECASE)
# cities at the oblasts' level (of republican / federal significance): a heading of their own
# over their districts, never a district of the oblast above them
_TOP_CITIES = re.compile(r"астана|нур-султан|алматы|шымкент|москва|санкт-петербург|севастополь|"
                         r"байконыр|байконур|almaty|astana|shymkent", re.IGNORECASE)
UPPER_LEVEL, LOWER_LEVEL = "oblast", "district"
REGION_PARENT_SEP = " / "

# (superscript digits closed by a bracket too, as Word and Excel set them: "г. Астана¹)",
# "Kreis X²⁾"; kept, the name was another region than the same name without its note)
# The name before the mark holds no bracket left open (any "(" closed before it): the ")" of
# "Agriculture (part 1)" or "Zone (B 2)" closes the name's own bracket, no footnote's (they
# were cut to "Agriculture (part").  Anchored, the whole name before the mark is $1.
_FOOTNOTE_MARK = (r"^((?:[^(]|\([^()]*\))*?[^\W\d_]\.?) ?"
                  r"(?:\d{1,2}\)|[¹²³⁴⁵⁶⁷⁸⁹][¹²³⁴⁵⁶⁷⁸⁹⁰]*[)⁾]?|\*{1,3})$")  # -> the name and an abbreviation's period ($1)
