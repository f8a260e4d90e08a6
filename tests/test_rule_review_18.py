"""Adversarial review of session 18's code and heading rules (national NACE subclasses, the
one NACE level rule, BDL's variable column, Stats SA's provinces across, titles giving the
quarter): each test writes a table of another office, country or layout that a new rule could
newly match, and checks that it reads as it did before the rule (or better)."""

from __future__ import annotations

from conftest import ingest_text

# --------------------------------------------------------------------------- ÖNACE's dash form

# Brazil's RAIS (Ministério do Trabalho, PDET), formal jobs by state and CNAE 2.0 class as
# its tabulator exports them: semicolon separated, the class as IBGE writes it, its four
# digits and the check digit after a dash (01.11-3 Cultivo de cereais), no section letter
RAIS_CLASSES = '''\
UF;CNAE 2.0 Classe;Ano;Vínculos ativos
São Paulo;01.11-3;2022;1200
São Paulo;10.11-2;2022;35000
São Paulo;47.11-3;2022;90000
Minas Gerais;01.11-3;2022;800
Minas Gerais;10.11-2;2022;12000
Minas Gerais;47.11-3;2022;40000
'''


def test_cnae_classes_under_a_cnae_heading_read_as_before(tmp_path, capsys):
    """4aff3f6 made the dash form (ÖNACE 2008's 10.11-0) a NACE subclass wherever it stood,
    so RAIS's CNAE 2.0 classes, which read as custom industries named by themselves before,
    became NACE subclasses A01.11.3 and the file was refused ('CNAE 2.0 groups or classes
    read as NACE's').  Under a heading that is not CNAE's (a user's "Industry") they were
    NACE's subclasses silently.  With nothing in the column saying ÖNACE they read as
    written again."""
    code, err, rows = ingest_text(tmp_path, capsys, "rais_classe.csv", RAIS_CLASSES,
                                  "--region-col", "UF", "--industry-col", "CNAE 2.0 Classe")
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["classification"], r["level"]) for r in rows}
    assert got[("São Paulo", "01.11-3")] == ("custom", "")
    assert len(got) == 6 and {c for c, _ in got.values()} == {"custom"}
    plain = RAIS_CLASSES.replace("CNAE 2.0 Classe", "Industry")
    code, err, rows = ingest_text(tmp_path, capsys, "rais_industry.csv", plain, "--region-col", "UF")
    assert code == 0, err
    assert {(r["industry"], r["classification"]) for r in rows} == {
        ("01.11-3", "custom"), ("10.11-2", "custom"), ("47.11-3", "custom")}


# IBGE's SIDRA, a CEMPRE table of the persons employed by region and CNAE 2.0 section,
# division and class, as a user keeps it with the heading shortened to "Atividade": each
# code before its name, the classes with their check digit
SIDRA_HIERARCHY = '''\
Região;Atividade;Ano;Pessoal ocupado
Norte;A Agricultura, pecuária, produção florestal, pesca e aquicultura;2021;50000
Norte;01 Agricultura, pecuária e serviços relacionados;2021;45000
Norte;01.11-3 Cultivo de cereais;2021;8000
Norte;C Indústrias de transformação;2021;150000
Norte;10 Fabricação de produtos alimentícios;2021;40000
Norte;10.11-2 Abate de reses, exceto suínos;2021;15000
Sul;A Agricultura, pecuária, produção florestal, pesca e aquicultura;2021;120000
Sul;01 Agricultura, pecuária e serviços relacionados;2021;110000
Sul;01.11-3 Cultivo de cereais;2021;30000
Sul;C Indústrias de transformação;2021;900000
Sul;10 Fabricação de produtos alimentícios;2021;200000
Sul;10.11-2 Abate de reses, exceto suínos;2021;30000
'''


# the same table with the codes alone, the classes' dash an en dash (U+2013)
SIDRA_CODES_EN_DASH = '''\
Região;Atividade;Ano;Pessoal ocupado
Norte;A;2021;50000
Norte;01;2021;45000
Norte;01.11\u20133;2021;8000
Sul;A;2021;120000
Sul;01;2021;110000
Sul;01.11\u20133;2021;30000
'''


def test_cnae_classes_beside_nace_sections_are_not_oenace_subclasses(tmp_path, capsys):
    """Beside CNAE's sections and divisions (which are NACE's) its classes 01.11-3 and
    10.11-2 were refused as no NACE code before 4aff3f6; after it they were NACE's national
    subclasses A01.11.3 and C10.11.2 (the check digit read as a subclass), silently.  They
    are refused again, each naming the code as written."""
    code, err, _rows = ingest_text(tmp_path, capsys, "cempre.csv", SIDRA_HIERARCHY,
                                   "--region-col", "Região", "--industry-col", "Atividade")
    assert code == 1, err
    assert "not a NACE industry code" in err and "found '01.11-3'" in err
    assert "A01.11.3" not in err
    # the codes alone after their sections and divisions, the dash an en dash as copied
    # from IBGE's PDF listing: refused too, never A01.11.3
    code, err, _rows = ingest_text(tmp_path, capsys, "cempre_bare.csv", SIDRA_CODES_EN_DASH,
                                   "--region-col", "Região", "--industry-col", "Atividade")
    assert code == 1, err
    assert "found '01.11\u20133'" in err and "A01.11.3" not in err


# Statistik Austria's ÖNACE 2008 listed as its classification is, the class above its
# subclasses (10.71 above 10.71-1 and 10.71-2), no section letters, by Bundesland
OENACE_LISTED = '''\
Bundesland;ÖNACE 2008;Jahr;Beschäftigte
Burgenland;10.11;2021;1200
Burgenland;10.11-0;2021;1200
Burgenland;10.71;2021;900
Burgenland;10.71-1;2021;600
Burgenland;10.71-2;2021;300
Wien;10.11;2021;400
Wien;10.11-0;2021;400
Wien;10.71;2021;3000
Wien;10.71-1;2021;2000
Wien;10.71-2;2021;1000
'''


def test_oenace_dash_subclasses_under_their_classes_stay_nace(tmp_path, capsys):
    """The narrowing keeps ÖNACE's dash form where the column says ÖNACE: a class listed
    above its dash subclasses (here), or the section letter (STATcube's C10.11-0, in
    test_leftovers_18), or --classification nace."""
    code, err, rows = ingest_text(tmp_path, capsys, "oenace.csv", OENACE_LISTED)
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["classification"], r["level"]) for r in rows}
    assert got[("Wien", "C10.71.1")] == ("NACE", "5") and got[("Wien", "C10.71")] == ("NACE", "4")
    flat = "".join(line + "\n" for line in OENACE_LISTED.splitlines() if "-" in line or "Jahr" in line)
    code, err, rows = ingest_text(tmp_path, capsys, "oenace_flat.csv", flat, "--classification", "nace")
    assert code == 0, err
    assert {r["industry"] for r in rows} == {"C10.11.0", "C10.71.1", "C10.71.2"}


# --------------------------------------------------------------------------- BDL's variable

# Statistics Poland's Local Data Bank (BDL), a variable downloaded as CSV in the vertical
# layout: Kod and Nazwa of the voivodeship, the variable's name (Zmienna), the PKD 2007
# section, Rok, Wartosc, Jednostka miary, Atrybut
BDL_VARIABLE = '''\
Kod;Nazwa;Zmienna;Sekcje PKD 2007;Rok;Wartosc;Jednostka miary;Atrybut
0200000;DOLNOŚLĄSKIE;{v};ogółem;2022;420000;osoba;
0200000;DOLNOŚLĄSKIE;{v};przetwórstwo przemysłowe;2022;30000;osoba;
1200000;MAŁOPOLSKIE;{v};ogółem;2022;450000;osoba;
1200000;MAŁOPOLSKIE;{v};przetwórstwo przemysłowe;2022;35000;osoba;
'''


def test_bdl_employment_in_enterprises_is_employment(tmp_path, capsys):
    """6e39c69 read every measure word of the variable's name, so GUS's headline variable
    "przeciętne zatrudnienie w sektorze przedsiębiorstw" (average employment in the
    enterprise sector), which read as employment before, was refused as 'variables of
    several measures in one file' (zatrudnienie, and przedsiębiorstw for establishments);
    "pracujący w podmiotach gospodarki narodowej" too.  The first measure word, the head
    noun, says the measure; the words after "w" (in) say where."""
    for variable in ("przeciętne zatrudnienie w sektorze przedsiębiorstw",
                     "pracujący w podmiotach gospodarki narodowej"):
        code, err, rows = ingest_text(tmp_path, capsys, "ZATR_bdl.csv", BDL_VARIABLE.format(v=variable))
        assert code == 0, err
        got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
        assert got[("0200000", "10")] == 420000 and got[("1200000", "10")] == 450000
    code, err, rows = ingest_text(tmp_path, capsys, "PODM_bdl.csv",
                                  BDL_VARIABLE.format(v="liczba przedsiębiorstw"))
    assert code == 0, err
    assert "employment" not in rows[0] and float(rows[0]["establishments"]) in (420000, 30000, 450000, 35000)
    wage = BDL_VARIABLE.format(v="przeciętne miesięczne wynagrodzenie brutto w sektorze przedsiębiorstw")
    code, err, _rows = ingest_text(tmp_path, capsys, "WYNA_bdl.csv", wage.replace("osoba", "zł"))
    assert code == 1 and "average wage" in err, err


# BDL's vertical layout of a variable in millions of złoty (the sold production of industry,
# "mln zł" in Jednostka miary), without a variable column, the value heading with its
# accent as the newer downloads write it
BDL_ZLOTY = '''\
Kod;Nazwa;Sekcje PKD 2007;Rok;Wartość;Jednostka miary;Atrybut
0200000;DOLNOŚLĄSKIE;ogółem;2022;142000,5;mln zł;
0200000;DOLNOŚLĄSKIE;przetwórstwo przemysłowe;2022;130000,1;mln zł;
1200000;MAŁOPOLSKIE;ogółem;2022;145000,2;mln zł;
1200000;MAŁOPOLSKIE;przetwórstwo przemysłowe;2022;125000,7;mln zł;
'''


def test_bdl_millions_of_zloty_are_no_jobs(tmp_path, capsys):
    """6e39c69 made "Wartość" (with its accent) a value column, and a value column holds
    employment unless told: BDL's sold production in millions of złoty, refused before for
    want of a measure column, read as 142,000.5 persons employed in Lower Silesia, exit 0.
    The unit column's złoty ("zł", "mln zł", PLN) is money, as EUR is: refused in one line
    naming --measure output; with it the amounts are read."""
    code, err, _rows = ingest_text(tmp_path, capsys, "PROD_bdl.csv", BDL_ZLOTY)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "mln zł are amounts of money" in err and "--measure output" in err
    code, err, rows = ingest_text(tmp_path, capsys, "PROD_bdl.csv", BDL_ZLOTY, "--measure", "output")
    assert code == 0, err
    assert "employment" not in rows[0] and "output" in rows[0]


# --------------------------------------------------------------------------- a quarter in a title

# Stats SA's Labour Market Dynamics in South Africa (an annual release, report 02-11-02),
# a table of the employed by province and industry saved as CSV with the release's cover
# lines above it: the year of the data, then when the next release or a revision is due
LMDSA = '''\
"Labour Market Dynamics in South Africa, 2023"
"{note}"

Province,Industry,Employed
Western Cape,Agriculture,190000
Western Cape,Manufacturing,300000
Gauteng,Agriculture,50000
Gauteng,Manufacturing,760000
'''


def test_a_release_note_s_quarter_is_not_the_period(tmp_path, capsys):
    """418c864 made "Quarter 1 2025" and "Q3: 2024" a quarter wherever a title line had
    them, so a release note's date became the table's period: under "Labour Market Dynamics
    in South Africa, 2023" the line "Next release: Quarter 1 2025" gave every row 2025Q1 and
    "Published Q3: 2024" or "(revised Q3: 2024)" gave 2024Q3, silently, where the two years
    had asked for --period before.  A quarter, month or year after a release note's words
    (published, next release, forthcoming issue, revised in a note) is a publication date:
    the data's year 2023 is the period."""
    for note in ("Next release: Quarter 1 2025", "Published Q3: 2024",
                 "Employment figures (revised Q3: 2024)", "Forthcoming issue: Quarter 1: 2025"):
        code, err, rows = ingest_text(tmp_path, capsys, "lmdsa.csv", LMDSA.format(note=note))
        assert code == 0, (note, err)
        assert {r["period"] for r in rows} == {"2023"}, note
    # a revised quarter's own figures keep their quarter, as before
    revised = LMDSA.replace("Labour Market Dynamics in South Africa, 2023", "Revised Q3 2024 estimates")
    code, err, rows = ingest_text(tmp_path, capsys, "revised.csv", revised.format(note="Employed by province"))
    assert code == 0, err
    assert {r["period"] for r in rows} == {"2024Q3"}


# Stats SA's QLFS (P0211) cover lines: the release's quarter and the forthcoming issue's
QLFS_COVER = '''\
Quarterly Labour Force Survey, Quarter 3: 2024
Forthcoming issue: Quarter 4: 2024
Employed by industry and province (Thousand)

Industry,Western Cape,Eastern Cape,Northern Cape,Free State,KwaZulu-Natal,North West,Gauteng,Mpumalanga,Limpopo,South Africa
Agriculture,190,85,45,60,110,40,50,90,85,755
Manufacturing,300,150,10,60,400,50,760,70,50,1850
'''


def test_the_forthcoming_issue_is_not_a_second_period(tmp_path, capsys):
    """With the QLFS's cover line "Forthcoming issue: Quarter 4: 2024" kept above the table,
    its quarter was a second period beside the release's and the file was refused for want
    of one; the release's quarter is the period."""
    code, err, rows = ingest_text(tmp_path, capsys, "qlfs_cover.csv", QLFS_COVER)
    assert code == 0, err
    assert {r["period"] for r in rows} == {"2024Q3"}


# --------------------------------------------------------------------------- a second heading row

# a state table as a user keeps it from a Census publication: the year, the NAICS
# subsectors across as codes, a second heading row with their titles under them
CODES_OVER_TITLES = '''\
area,311,312,313
Area,Food manufacturing,Beverage and tobacco product manufacturing,Textile mills
Ohio,52000,9000,3000
Texas,81000,15000,5000
'''


def test_titles_under_codes_across_are_still_a_heading_row(tmp_path, capsys):
    """922e2d2 kept a first row with its keys filled, one a code of digits, as data; with
    the industries across, the industry key of every cell of the row of titles is its
    column's code (311, 312, 313), so that second heading row, dropped before, became data
    and the table was refused ('not a number', 'Food manufacturing').  The code must be the
    row's own key (one value on the row), as a county's 49001 is; the titles row is dropped
    again and the figures read."""
    code, err, rows = ingest_text(tmp_path, capsys, "codes_over_titles.csv", CODES_OVER_TITLES,
                                  "--period", "2022")
    assert code == 0, err
    assert "1 label row under the header" in err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("Ohio", "311"): 52000, ("Ohio", "312"): 9000, ("Ohio", "313"): 3000,
                   ("Texas", "311"): 81000, ("Texas", "312"): 15000, ("Texas", "313"): 5000}


# --------------------------------------------------------------------------- NAF's 00.00Z

# establishments' employees counted by commune and APE code from INSEE's SIRENE stock
# (activitePrincipaleEtablissement, NAF rév. 2), as a user tabulates it: the code 00.00Z is
# SIRENE's establishment whose activity is not yet classified
SIRENE_APE = '''\
CODGEO;LIBGEO;APET700;ANNEE;NB_SALARIES
29019;Brest;10.11Z;2022;350
29019;Brest;47.11D;2022;120
29019;Brest;00.00Z;2022;15
75056;Paris;10.11Z;2022;40
75056;Paris;47.11D;2022;900
75056;Paris;00.00Z;2022;60
'''


def test_sirene_unclassified_00_00z_is_kept_uncoded(tmp_path, capsys):
    """With NAF's subclasses read as NACE (4aff3f6), SIRENE's 00.00Z (not yet classified),
    which read as one of the table's custom industries before, was refused on every row as
    'not a NACE industry code', and the whole table with it.  It is kept as an uncoded
    industry at no level, as SSB's '00 Uoppgitt' and SCB's 'US' are, and said on stderr."""
    code, err, rows = ingest_text(tmp_path, capsys, "sirene_ape.csv", SIRENE_APE)
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["classification"], r["level"]) for r in rows}
    assert got[("29019", "00.00Z")] == ("custom", "")
    assert got[("29019", "C10.11Z")] == ("NACE", "5")
    assert "(00.00Z)" in err


# --------------------------------------------------------------------------- Rev. 1.1's subsections

# a regional table of 2005 copied from a Länder yearbook (WZ 2003, NACE Rev. 1.1), the
# manufacturing section D and its subsections DA (food) and DB (textiles), under a plain
# heading that names no edition
REV11_SUBSECTIONS = '''\
region,industry,year,employment
DE1,D,2005,1500000
DE1,DA,2005,150000
DE1,DB,2005,40000
DE1,F,2005,300000
DE2,D,2005,1400000
DE2,DA,2005,160000
DE2,DB,2005,30000
DE2,F,2005,350000
'''


def test_rev11_subsections_refused_say_their_edition(tmp_path, capsys):
    """Before 2fb0db0 the subsections DA and DB were NACE Rev. 2 'sections' at level 1 beside
    D, summed with it, silently; now they are refused as no NACE code, and the refusal said
    'read the column as --classification custom', which loses their hierarchy.  It names
    their edition and the option that reads it; with that option they read at level 2."""
    code, err, _rows = ingest_text(tmp_path, capsys, "wz2003.csv", REV11_SUBSECTIONS)
    assert code == 1, err
    assert "found 'DA'); DA is a NACE Rev. 1.1 subsection (before 2008): read the column with " \
           "--classification nace-r1.1" in err
    code, err, rows = ingest_text(tmp_path, capsys, "wz2003.csv", REV11_SUBSECTIONS,
                                  "--classification", "nace-r1.1")
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["classification"], r["level"]) for r in rows}
    assert got[("DE1", "DA")] == ("NACE-R1.1", "2") and got[("DE1", "D")] == ("NACE-R1.1", "1")
