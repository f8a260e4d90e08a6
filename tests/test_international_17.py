"""International and non-European tables (session 17): ILOSTAT's CSV downloads, each written in
the layout the source publishes, ingested and checked by hand."""

from __future__ import annotations

from conftest import csv_rows, ingest_text, run_main

_ILO_HEAD = "ref_area,source,indicator,sex,classif1,time,obs_value,obs_status,note_classif,note_indicator,note_source\n"
# country -> (total, A, C, F, G) for SEX_T; the broad sectors and aggregates of the same workers
_ILO_T = {"MEX": (55000, 7000, 9000, 5000, 34000), "CHL": (9000, 600, 1000, 1000, 6400)}


def _ilo_bulk(indicator="EMP_TEMP_SEX_ECO_NB", areas=("MEX", "CHL"), extra=""):
    text = _ILO_HEAD
    for area in areas:
        tot, a, c, f, g = _ILO_T[area]
        rows = [("SEX_T", "ECO_SECTOR_TOTAL", tot), ("SEX_T", "ECO_SECTOR_AGR", a),
                ("SEX_T", "ECO_SECTOR_IND", c + f), ("SEX_T", "ECO_SECTOR_SER", g),
                ("SEX_T", "ECO_AGGREGATE_TOTAL", tot), ("SEX_T", "ECO_AGGREGATE_MAN", c)]
        rows += [("SEX_T", "ECO_ISIC4_" + k, v) for k, v in zip(("TOTAL", "A", "C", "F", "G"), (tot, a, c, f, g))]
        # men: a bit over half of each; women the rest
        rows += [(s, "ECO_ISIC4_" + k, v // 2 + (v % 7 if s == "SEX_M" else -(v % 7)))
                 for s in ("SEX_M", "SEX_F") for k, v in zip(("TOTAL", "A", "C", "F", "G"), (tot, a, c, f, g))]
        for sex, cl, v in rows:
            status = "B" if (area, cl) == ("CHL", "ECO_ISIC4_C") else ""
            text += f"{area},BA:1213,{indicator},{sex},{cl},2022,{v},{status},,,R1:3903\n"
    return text + extra


def test_ilostat_bulk_file_keeps_the_isic_sections_of_all_persons_in_thousands(tmp_path, capsys):
    """ILOSTAT's bulk download (indicator EMP_TEMP_SEX_ECO_NB: one row per country, sex and
    classif1 item; broad sectors, aggregates and ISIC Rev. 4 sections side by side, each with
    its total; thousands).  It was refused for want of an industry column, and with
    --industry-col classif1 on the SEX_T rows it was one table of custom codes whose region
    total came out 284,000 for Mexico's 55,000 (every worker counted five times), in thousands
    read as persons."""
    code, err, rows = ingest_text(tmp_path, capsys, "EMP_TEMP_SEX_ECO_NB_A.csv", _ilo_bulk())
    assert code == 0, err
    got = {(r["region"], r["industry"]): (float(r["employment"]), r["classification"], r["employment_flag"])
           for r in rows}
    assert got == {
        ("MEX", "10"): (55_000_000, "NACE", ""), ("MEX", "A"): (7_000_000, "NACE", ""),
        ("MEX", "C"): (9_000_000, "NACE", ""), ("MEX", "F"): (5_000_000, "NACE", ""),
        ("MEX", "G"): (34_000_000, "NACE", ""),
        ("CHL", "10"): (9_000_000, "NACE", ""), ("CHL", "A"): (600_000, "NACE", ""),
        ("CHL", "C"): (1_000_000, "NACE", "B"), ("CHL", "F"): (1_000_000, "NACE", ""),
        ("CHL", "G"): (6_400_000, "NACE", "")}
    assert "20 rows of one sex category" in err
    assert "12 rows of ILOSTAT's aggregates of economic activity and ILOSTAT's broad sectors" in err
    assert "ISIC Rev. 4 sections read as the NACE Rev. 2 sections they equal" in err
    # lq: Mexico's manufacturing against the two countries: (9,000 / 55,000) / (10,000 / 64,000)
    canon = tmp_path / "out.csv"
    code, out, err = run_main(["lq", str(canon), "-o", "-"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): float(r["lq"]) for r in csv_rows(out)}
    assert abs(lq[("MEX", "C")] - (9000 / 55000) / (10000 / 64000)) < 1e-6
    assert abs(lq[("CHL", "G")] - (6400 / 9000) / (40400 / 64000)) < 1e-6


def test_ilostat_explorer_csv_by_labels(tmp_path, capsys):
    """ILOSTAT's data explorer CSV: every column a label (ref_area.label, sex.label
    'Sex: Total', classif1.label 'Economic activity (ISIC-Rev.4): C. Manufacturing',
    indicator.label '... (thousands)')."""
    text = ('"ref_area.label","source.label","indicator.label","sex.label","classif1.label","time",'
            '"obs_value","obs_status.label","note_classif.label","note_indicator.label","note_source.label"\n')
    ind = "Employment by sex and economic activity (thousands)"
    for area, (tot, _a, c, _f, _g) in (("Mexico", _ILO_T["MEX"]), ("Chile", _ILO_T["CHL"])):
        for sex, part in (("Sex: Total", 1.0), ("Sex: Male", 0.6), ("Sex: Female", 0.4)):
            for label, v in (("Economic activity (Broad sector): Total", tot),
                             ("Economic activity (Aggregate): Manufacturing", c),
                             ("Economic activity (ISIC-Rev.4): Total", tot),
                             ("Economic activity (ISIC-Rev.4): C. Manufacturing", c),
                             ("Economic activity (ISIC-Rev.4): X. Not elsewhere classified", 10)):
                text += f'"{area}","LFS","{ind}","{sex}","{label}","2022","{v * part:g}","","","",""\n'
    code, err, rows = ingest_text(tmp_path, capsys, "ilostat_explorer.csv", text)
    assert code == 0, err
    got = {(r["region"], r["industry"]): (float(r["employment"]), r["industry_name"], r["level"]) for r in rows}
    assert got == {
        ("Mexico", "10"): (55_000_000, "Total", "0"), ("Mexico", "C"): (9_000_000, "Manufacturing", "1"),
        ("Mexico", "Not elsewhere classified"): (10_000, "Not elsewhere classified", ""),
        ("Chile", "10"): (9_000_000, "Total", "0"), ("Chile", "C"): (1_000_000, "Manufacturing", "1"),
        ("Chile", "Not elsewhere classified"): (10_000, "Not elsewhere classified", "")}


def test_ilostat_world_and_regional_aggregates_are_not_countries(tmp_path, capsys):
    """ILOSTAT's modelled estimates list the world (WLD) and its regions (X01 ...) beside the
    countries: sums of them, dropped and counted, not regions of the sum-of-regions benchmark."""
    extra = "".join(f"{a},XA:2023,EMP_TEMP_SEX_ECO_NB,SEX_T,ECO_ISIC4_{k},2022,{v},,,,\n"
                    for a in ("WLD", "X01") for k, v in (("TOTAL", 64000), ("C", 10000)))
    code, err, rows = ingest_text(tmp_path, capsys, "ilostat_world.csv", _ilo_bulk(extra=extra))
    assert code == 0, err
    assert sorted({r["region"] for r in rows}) == ["CHL", "MEX"]
    assert "4 ILOSTAT rows of the world, its regions and income groups" in err


def test_ilostat_rate_is_refused(tmp_path, capsys):
    """A share (EMP_TEMP_SEX_ECO_DT: distribution in %) is no count: refused, not read as
    persons employed."""
    code, err, _rows = ingest_text(tmp_path, capsys, "EMP_TEMP_SEX_ECO_DT_A.csv",
                                   _ilo_bulk(indicator="EMP_TEMP_SEX_ECO_DT"))
    assert code == 1
    assert "no count of employment" in err and "EMP_TEMP_SEX_ECO_DT" in err
    assert len(err.strip().splitlines()) == 1, err


_OECD_HEAD = ("STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,ACTION,TERRITORIAL_LEVEL,REF_AREA,Reference area,"
              "TERRITORIAL_TYPE,MEASURE,ACTIVITY,Economic activity,UNIT_MEASURE,TIME_PERIOD,OBS_VALUE,"
              "OBS_STATUS,UNIT_MULT\n")


def test_oecd_regional_territorial_levels_are_region_levels(tmp_path, capsys):
    """The OECD's regional statistics as the Data Explorer's SDMX-CSV gives them
    (DSD_REG_ECO@DF_EMP_IND: TERRITORIAL_LEVEL CTRY, TL2, TL3 in one REF_AREA column,
    thousands by UNIT_MULT 3).  TERRITORIAL_LEVEL was not read: Italy, Piemonte and Torino
    were regions of one level, so lq's sum of regions counted every worker up to three times
    (Torino's manufacturing LQ 1.32 instead of 0.98).  Now CTRY is the nation, TL2 and TL3
    each their own benchmark, and 'Reference area' names the regions."""
    flow = "DATAFLOW,OECD.CFE.EDS:DSD_REG_ECO@DF_EMP_IND(2.0),Employment by industry,I"
    text = _OECD_HEAD
    for lvl, code, name, tot, c in (("CTRY", "ITA", "Italy", 25000, 4500), ("TL2", "ITC1", "Piemonte", 1900, 420),
                                    ("TL2", "ITC4", "Lombardia", 4600, 1000), ("TL3", "ITC11", "Torino", 1000, 230),
                                    ("TL3", "ITC12", "Vercelli", 70, 20)):
        for act, title, v in (("_T", "Total", tot), ("C", "Manufacturing", c)):
            text += f"{flow},{lvl},{code},{name},_Z,EMP_IND,{act},{title},PS,2021,{v},A,3\n"
    code, err, rows = ingest_text(tmp_path, capsys, "oecd_reg_emp.csv", text)
    assert code == 0, err
    got = {r["region"]: (r["region_name"], r["region_level"]) for r in rows}
    assert got == {"ITA": ("Italy", "nation"), "ITC1": ("Piemonte", "tl2"), "ITC4": ("Lombardia", "tl2"),
                   "ITC11": ("Torino", "tl3"), "ITC12": ("Vercelli", "tl3")}
    code, out, err = run_main(["lq", str(tmp_path / "out.csv"), "-o", "-"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): float(r["lq"]) for r in csv_rows(out)}
    # Torino against the TL3 regions alone: (230 / 1,000) / (250 / 1,070)
    assert abs(lq[("ITC11", "C")] - (230 / 1000) / (250 / 1070)) < 1e-6
    # Piemonte against the TL2 regions: (420 / 1,900) / (1,420 / 6,500)
    assert abs(lq[("ITC1", "C")] - (420 / 1900) / (1420 / 6500)) < 1e-6


def _ingest_bytes(tmp_path, capsys, name, data: bytes, *extra):
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out), *extra], capsys)
    return code, err, csv_rows(out.read_text(encoding="utf-8")) if code == 0 else []


def test_rais_latin1_table_keeps_its_portuguese_names(tmp_path, capsys):
    """A RAIS table as the PDET's tools export it (Latin-1, ';', decimal commas; UF, CNAE 2.0
    section, 'Vínculos ativos').  A short Latin-1 file was decoded as cp1250: 'São Paulo' came
    out 'Săo Paulo' and 'Maranhão' 'Maranhăo' (region names that matched nothing else), and
    neither 'UF' nor 'Vínculos' named a column."""
    text = ("Ano;UF;CNAE 2.0 Seção;Vínculos Ativos;Remuneração média (R$)\n"
            "2022;São Paulo;C Indústrias de transformação;2500000;3.950,20\n"
            "2022;São Paulo;G Comércio; reparação de veículos automotores e motocicletas;3100000;2.800,10\n"
            "2022;Maranhão;C Indústrias de transformação;40000;2.100,00\n"
            "2022;Maranhão;G Comércio; reparação de veículos automotores e motocicletas;180000;1.900,50\n")
    text = text.replace("Comércio; reparação", "Comércio, reparação")
    code, err, rows = _ingest_bytes(tmp_path, capsys, "rais_vinculos_uf.csv", text.encode("latin-1"))
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("São Paulo", "C"): 2500000, ("São Paulo", "G"): 3100000,
                   ("Maranhão", "C"): 40000, ("Maranhão", "G"): 180000}
    assert {r["period"] for r in rows} == {"2022"}


def test_polish_cp1250_table_is_still_cp1250(tmp_path, capsys):
    """A Central European table stays in its code page (GUS's województwa: 'Łódzkie',
    'Świętokrzyskie', 'Małopolskie'; ń before a consonant as Polish writes it)."""
    text = ("Region;Industry;Year;Employment\n"
            "Łódzkie;C;2022;250000\nŚwiętokrzyskie;C;2022;60000\nPoznań i okolice;C;2022;90000\n")
    code, err, rows = _ingest_bytes(tmp_path, capsys, "gus_bdl.csv", text.encode("cp1250"))
    assert code == 0, err
    assert sorted(r["region"] for r in rows) == ["Poznań i okolice", "Łódzkie", "Świętokrzyskie"]


_SCIAN = ("Año,Entidad,Código SCIAN,Actividad económica,Personal ocupado total\n"
          "2018,Aguascalientes,311,Industria alimentaria,15000\n"
          "2018,Aguascalientes,336,Fabricación de equipo de transporte,60000\n"
          "2018,Aguascalientes,336110,Fabricación de automóviles y camionetas,30000\n"
          "2018,Baja California,311,Industria alimentaria,20000\n"
          "2018,Baja California,336,Fabricación de equipo de transporte,40000\n"
          "2018,Baja California,336110,Fabricación de automóviles y camionetas,5000\n")


def test_scian_codes_are_not_read_as_naics(tmp_path, capsys):
    """INEGI's Censos Económicos by SCIAN 2018 code ('Código SCIAN', 'Personal ocupado total',
    'Entidad', 'Año').  Its codes look like NAICS's, and with the columns named they were read
    as NAICS: NAICS titles, levels and detect's USCMP cluster definitions on a table of
    another classification (and SCIAN's sectors 43 and 46 refused line by line).  Refused
    once, saying what to do."""
    code, err, _rows = ingest_text(tmp_path, capsys, "ce2019_scian.csv", _SCIAN)
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert "a SCIAN table (INEGI, Mexico): its codes are not NAICS" in err
    assert "--classification custom" in err
    # one level and --classification custom: read, the headings named
    one_level = "\n".join(ln for ln in _SCIAN.splitlines() if ",336110," not in ln and ",336," not in ln) + "\n"
    code, err, rows = ingest_text(tmp_path, capsys, "ce2019_scian.csv", one_level, "--classification", "custom")
    assert code == 0, err
    assert {(r["region"], r["industry"], r["period"]): float(r["employment"]) for r in rows} == {
        ("Aguascalientes", "311", "2018"): 15000, ("Baja California", "311", "2018"): 20000}


def test_scian_sectors_43_and_46_say_scian_once(tmp_path, capsys):
    """A SCIAN table whose heading does not name it: its sectors 43 and 46 (wholesale and
    retail trade; NAICS 42 and 44-45) were each a 'not a NAICS industry code' line."""
    text = ("Year,Region,Industry,Employment\n2018,Jalisco,31-33,700000\n2018,Jalisco,43,150000\n"
            "2018,Jalisco,46,500000\n2018,Sonora,31-33,200000\n2018,Sonora,43,50000\n2018,Sonora,46,160000\n")
    code, err, _rows = ingest_text(tmp_path, capsys, "by_sector.csv", text)
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert "a SCIAN table" in err and "'43'" in err


def test_inegi_saic_labels_are_refused_not_summed(tmp_path, capsys):
    """INEGI's SAIC download lists the sector, its subsectors and the total as labels
    ('Sector 31-33 Industrias manufactureras', 'Subsector 311 Industria alimentaria'): read as
    custom industries, each state's total summed the sector with its own subsectors."""
    text = ("Censos Económicos 2019. Sistema Automatizado de Información Censal (SAIC)\n"
            "Año Censal,Entidad,Actividad Económica,UE Unidades económicas,H001A Personal ocupado total\n"
            "2018,01 Aguascalientes,Sector 31-33 Industrias manufactureras,6000,120000\n"
            "2018,01 Aguascalientes,Subsector 311 Industria alimentaria,2000,15000\n"
            "2018,02 Baja California,Sector 31-33 Industrias manufactureras,8000,300000\n"
            "2018,02 Baja California,Subsector 311 Industria alimentaria,3000,20000\n")
    code, err, _rows = ingest_text(tmp_path, capsys, "saic.csv", text)
    assert code == 1
    assert "a SCIAN table" in err and "Sector 31-33 Industrias manufactureras" in err


def test_statcan_french_scian_is_still_naics(tmp_path, capsys):
    """Statistics Canada's French tables call NAICS 'SCIAN' (Système de classification des
    industries de l'Amérique du Nord): still NAICS."""
    text = ('"PÉRIODE DE RÉFÉRENCE";"GÉO";"Système de classification des industries de l\'Amérique du Nord (SCIAN)";"VALEUR"\n'
            '"2022";"Ontario";"Fabrication [31-33]";"750000"\n"2022";"Québec";"Fabrication [31-33]";"480000"\n')
    code, err, rows = ingest_text(tmp_path, capsys, "14100202_fr.csv", text, "--measure", "employment")
    assert code == 0, err
    assert {(r["region"], r["industry"], r["classification"]) for r in rows} == {
        ("Ontario", "31-33", "NAICS"), ("Québec", "31-33", "NAICS")}


def test_ibge_sidra_table_drops_brasil_above_its_states(tmp_path, capsys):
    """IBGE's SIDRA CSV export (CEMPRE, table 6450: title lines, 'Unidade da Federação',
    'Classificação Nacional de Atividades Econômicas (CNAE 2.0)' with CNAE sections and
    divisions, the year across, X inhibited, the legend under the table; Latin-1).  It was
    refused for want of a region column; then 'Brasil' stayed a region beside the states it
    sums, so lq's sum of regions counted every worker twice."""
    lines = ["Tabela 6450 - Unidades locais, pessoal ocupado total e assalariado, por seção, divisão, "
             "grupo e classe da classificação de atividades (CNAE 2.0)",
             "Variável - Pessoal ocupado total (Pessoas)",
             '"Unidade da Federação";"Classificação Nacional de Atividades Econômicas (CNAE 2.0)";"2021"']
    for uf, values in (("Brasil", (60000000, 8000000, 1700000)), ("São Paulo", (18000000, 2500000, 400000)),
                       ("Acre", (150000, "X", "X")), ("Maranhão", (900000, 40000, 15000))):
        for label, v in zip(("Total", "C Indústrias de transformação", "10 Fabricação de produtos alimentícios"),
                            values):
            lines.append(f'"{uf}";"{label}";"{v}"')
    lines += ["Fonte: IBGE - Cadastro Central de Empresas", "Legenda",
              "Símbolo X - Valor inibido para não identificar o informante"]
    code, err, rows = _ingest_bytes(tmp_path, capsys, "tabela6450.csv", ("\r\n".join(lines) + "\r\n").encode("latin-1"))
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["employment"], r["employment_status"]) for r in rows}
    assert set(r["region"] for r in rows) == {"São Paulo", "Acre", "Maranhão"}
    assert got[("Acre", "C")] == ("", "suppressed") and got[("Maranhão", "C10")] == ("15000.0", "reported")
    code, out, err = run_main(["lq", str(tmp_path / "out.csv"), "-o", "-"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r["lq"] for r in csv_rows(out)}
    # Maranhão's manufacturing: 40,000 of 900,000 against 2,540,000 of 19,050,000 (Acre's C withheld)
    assert abs(float(lq[("Maranhão", "C")]) - (40000 / 900000) / (2540000 / 19050000)) < 1e-6


def test_ilostat_countries_named_like_a_total_stay_countries(tmp_path, capsys):
    """ILOSTAT's regions are countries: Brazil beside Peru is no total of them."""
    text = ('"ref_area.label","indicator.label","sex.label","classif1.label","time","obs_value"\n')
    for area, tot, c in (("Brazil", 99000, 12000), ("Peru", 17000, 1600)):
        for label, v in (("Total", tot), ("C. Manufacturing", c)):
            text += (f'"{area}","Employment by sex and economic activity (thousands)","Sex: Total",'
                     f'"Economic activity (ISIC-Rev.4): {label}","2022","{v}"\n')
    code, err, rows = ingest_text(tmp_path, capsys, "ilostat_br_pe.csv", text)
    assert code == 0, err
    assert {(r["region"], r["industry"], r["region_level"]): float(r["employment"]) for r in rows} == {
        ("Brazil", "10", "country"): 99_000_000, ("Brazil", "C", "country"): 12_000_000,
        ("Peru", "10", "country"): 17_000_000, ("Peru", "C", "country"): 1_600_000}


def test_ilostat_age_and_area_breakdowns_keep_their_totals(tmp_path, capsys):
    """ILOSTAT's tables with a second breakdown beside economic activity in classif1
    (EMP_TEMP_SEX_AGE_ECO_NB: two age classifications, each with its total; EMP_TEMP_SEX_GEO_ECO_NB:
    national beside urban and rural): every key repeated once per category.  The all-ages and
    national rows are kept, each dropped row counted once."""
    head = "ref_area,source,indicator,sex,classif1,classif2,time,obs_value\n"
    age, geo = head, head
    for area, tot, c in (("MEX", 55000, 9000), ("CHL", 9000, 1000)):
        for sex, f in (("SEX_T", 1.0), ("SEX_M", 0.6), ("SEX_F", 0.4)):
            for band, g in (("AGE_YTHADULT_YGE15", 1.0), ("AGE_YTHADULT_Y15-24", 0.2), ("AGE_YTHADULT_YGE25", 0.8),
                            ("AGE_AGGREGATE_TOTAL", 1.0), ("AGE_AGGREGATE_Y15-24", 0.2)):
                for eco, v in (("ECO_ISIC4_TOTAL", tot), ("ECO_ISIC4_C", c), ("ECO_SECTOR_TOTAL", tot)):
                    age += f"{area},BA:1,EMP_TEMP_SEX_AGE_ECO_NB,{sex},{band},{eco},2022,{v * f * g:g}\n"
        for cov, g in (("GEO_COV_NAT", 1.0), ("GEO_COV_URB", 0.7), ("GEO_COV_RUR", 0.3)):
            for eco, v in (("ECO_ISIC4_TOTAL", tot), ("ECO_ISIC4_C", c)):
                geo += f"{area},BA:1,EMP_TEMP_SEX_GEO_ECO_NB,SEX_T,{cov},{eco},2022,{v * g:g}\n"
    want = {("MEX", "10"): 55_000_000, ("MEX", "C"): 9_000_000, ("CHL", "10"): 9_000_000, ("CHL", "C"): 1_000_000}
    code, err, rows = ingest_text(tmp_path, capsys, "EMP_TEMP_SEX_AGE_ECO_NB_A.csv", age)
    assert code == 0, err
    assert {(r["region"], r["industry"]): float(r["employment"]) for r in rows} == want
    # 90 rows: 4 kept, 86 dropped, each once (30 broad sectors, then 48 age parts, then 8 of sex)
    assert "4 rows kept, 86 dropped" in err, err
    code, err, rows = ingest_text(tmp_path, capsys, "EMP_TEMP_SEX_GEO_ECO_NB_A.csv", geo)
    assert code == 0, err
    assert {(r["region"], r["industry"]): float(r["employment"]) for r in rows} == want
    assert "8 rows of one area type category" in err, err


def test_unido_indstat_isic_rev3_codes_are_nace_rev11(tmp_path, capsys):
    """UNIDO's INDSTAT2 (ISIC Rev. 3, two-digit): 'D' total manufacturing over divisions 15-37,
    codes alone.  Read as NACE Rev. 2, D was electricity and 15 (food and beverages) leather;
    ISIC Rev. 3's sections and divisions are NACE Rev. 1.1's."""
    text = "Country,Year,ISIC,Number of employees\n"
    for country, total, food, chem in (("Mexico", 5000000, 900000, 200000), ("Chile", 800000, 250000, 30000)):
        text += f"{country},2015,D,{total}\n{country},2015,15,{food}\n{country},2015,24,{chem}\n"
    code, err, rows = ingest_text(tmp_path, capsys, "indstat2_rev3.csv", text)
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["classification"], r["level"], r["industry_name"]) for r in rows}
    assert got[("Mexico", "D")] == ("NACE-R1.1", "1", "Manufacturing")
    assert got[("Chile", "15")] == ("NACE-R1.1", "3", "Manufacture of food products and beverages")
    assert "ISIC Rev. 3" in err


def test_unido_indstat_isic_rev4_stays_nace(tmp_path, capsys):
    """INDSTAT by ISIC Rev. 4: C total manufacturing, divisions 10-33 and UNIDO's combined
    '10-12' where a country reports them together: NACE Rev. 2's sections and divisions."""
    text = "Country,Year,ISIC,Number of employees\n"
    text += "Mexico,2019,C,5000000\nMexico,2019,10,900000\nMexico,2019,29,900000\n"
    text += "Chile,2019,C,800000\nChile,2019,10-12,250000\nChile,2019,29,5000\n"
    code, err, rows = ingest_text(tmp_path, capsys, "indstat4_rev4.csv", text)
    assert code == 0, err
    assert {(r["region"], r["industry"], r["classification"]) for r in rows} == {
        ("Mexico", "C", "NACE"), ("Mexico", "C10", "NACE"), ("Mexico", "C29", "NACE"),
        ("Chile", "C", "NACE"), ("Chile", "C10-C12", "NACE"), ("Chile", "C29", "NACE")}


def test_ilostat_two_sources_for_one_country_year_said_once(tmp_path, capsys):
    """ILOSTAT gives some countries' years from two sources (BA: a labour force survey, HW: a
    household survey): every key was a duplicate, said line by line without the source."""
    text = _ilo_bulk()
    text += "".join(line.replace("BA:1213", "HW:555") + "\n" for line in text.splitlines() if line.startswith("CHL"))
    code, err, _rows = ingest_text(tmp_path, capsys, "EMP_TEMP_SEX_ECO_NB_A.csv", text)
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert "two sources for one country and period" in err and "CHL 2022: BA:1213, HW:555" in err


def test_rais_cnae_classes_are_not_nace_classes(tmp_path, capsys):
    """RAIS by 'CNAE 2.0 Classe' (5 digits: the class and its check digit, 01113 = 01.11-3):
    read as NACE, 01113 became the national subclass A01.11.3, a level too deep, and CNAE's
    groups and classes (Brazil's own below its divisions) NACE's.  Refused under auto; read
    as custom codes when asked."""
    text = ("Ano;UF;CNAE 2.0 Classe;Vínculos Ativos\n2022;Rondônia;01113;120\n2022;Rondônia;10112;5400\n"
            "2022;Acre;01113;40\n2022;Acre;10112;900\n")
    code, err, _rows = _ingest_bytes(tmp_path, capsys, "rais_classe.csv", text.encode("latin-1"))
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert "CNAE 2.0 groups or classes read as NACE's" in err and "'01113'" in err
    code, err, rows = _ingest_bytes(tmp_path, capsys, "rais_classe.csv", text.encode("latin-1"),
                                    "--classification", "custom")
    assert code == 0, err
    assert {(r["region"], r["industry"], r["classification"]): float(r["employment"]) for r in rows} == {
        ("Rondônia", "01113", "custom"): 120, ("Rondônia", "10112", "custom"): 5400,
        ("Acre", "01113", "custom"): 40, ("Acre", "10112", "custom"): 900}


def test_ine_cnae_2009_classes_stay_nace(tmp_path, capsys):
    """Spain's CNAE-2009 (INE) is NACE Rev. 2 down to its classes: 'CNAE 2009' is no CNAE 2.0."""
    text = ("Comunidades y Ciudades Autónomas;Clase CNAE 2009;Periodo;Total\n"
            "01 Andalucía;10.11;2022;5000\n01 Andalucía;10.13;2022;7000\n"
            "09 Cataluña;10.11;2022;9000\n09 Cataluña;10.13;2022;15000\n")
    code, err, rows = ingest_text(tmp_path, capsys, "ine_cnae.csv", text, "--measure-col", "employment=Total")
    assert code == 0, err
    assert {(r["industry"], r["classification"], r["level"]) for r in rows} == {
        ("C10.11", "NACE", "4"), ("C10.13", "NACE", "4")}


def test_ine_chile_thousands_in_spanish_are_scaled(tmp_path, capsys):
    """INE Chile's ENE tables: 'Ocupados' in '(miles de personas)' under a title line, 'Total
    país' above the regions, decimal commas.  'Ocupados' named no measure, and the figures in
    thousands were read as persons."""
    text = ("Encuesta Nacional de Empleo (ENE). Ocupados según rama de actividad económica (CIIU Rev.4) "
            "por región, trimestre octubre-diciembre 2023 (miles de personas)\n"
            "Región;Rama de actividad económica;Año;Ocupados\n")
    for region, tot, mining in (("Total país", "9200,5", "290,1"), ("Región de Antofagasta", "320,4", "60,3"),
                                ("Región Metropolitana de Santiago", "3900,7", "15,2"),
                                ("Región de Valparaíso", "900,3", "18,8")):
        text += f"{region};Total;2023;{tot}\n{region};B Explotación de minas y canteras;2023;{mining}\n"
    code, err, rows = ingest_text(tmp_path, capsys, "ene_ocupados.csv", text)
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got[("Región de Antofagasta", "B")] == 60300 and got[("Región de Valparaíso", "10")] == 900300
    assert "Total país" not in {r["region"] for r in rows}
    code, out, err = run_main(["lq", str(tmp_path / "out.csv"), "-o", "-"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): float(r["lq"]) for r in csv_rows(out)}
    # Antofagasta's mining: 60.3 of 320.4 against 94.3 of 5,121.4 (thousands)
    assert abs(lq[("Región de Antofagasta", "B")] - (60.3 / 320.4) / (94.3 / 5121.4)) < 1e-6


def test_ilostat_explorer_world_and_income_groups_by_label(tmp_path, capsys):
    """The data explorer's CSV names areas by label only: 'World', 'Southern Africa', 'Low
    income' are ILOSTAT's aggregates of the countries beside them ('South Africa' a country)."""
    text = '"ref_area.label","indicator.label","sex.label","classif1.label","time","obs_value"\n'
    for area, tot, c in (("World", 3500000, 500000), ("Southern Africa", 20000, 2000),
                         ("Low income", 300000, 20000), ("South Africa", 16000, 1500), ("Namibia", 800, 50)):
        for label, v in (("Total", tot), ("C. Manufacturing", c)):
            text += (f'"{area}","Employment by sex and economic activity (thousands)","Sex: Total",'
                     f'"Economic activity (ISIC-Rev.4): {label}","2022","{v}"\n')
    code, err, rows = ingest_text(tmp_path, capsys, "ilostat_world_labels.csv", text)
    assert code == 0, err
    assert sorted({r["region"] for r in rows}) == ["Namibia", "South Africa"]
    assert "6 ILOSTAT rows of the world, its regions and income groups" in err


def test_inegi_open_data_levels_as_columns_say_scian(tmp_path, capsys):
    """INEGI's economic census open data (conjunto_de_datos: E03 entidad, SECTOR, SUBSECTOR,
    RAMA, SUBRAMA, CLASE, CODIGO, UE, H001A) with its columns named: its SCIAN codes were read
    as NAICS without a word (no heading says SCIAN; its level columns do)."""
    text = "E03,E04,SECTOR,SUBSECTOR,RAMA,SUBRAMA,CLASE,ID_ESTRATO,CODIGO,UE,H001A\n"
    for e, (m, s, r) in (("01", (120000, 60000, 30000)), ("02", (300000, 40000, 5000))):
        text += (f"{e},,31-33,,,,,,31-33,6000,{m}\n{e},,31-33,336,,,,,336,300,{s}\n"
                 f"{e},,31-33,336,3361,,,,3361,20,{r}\n")
    code, err, _rows = ingest_text(tmp_path, capsys, "conjunto_de_datos_ce2019.csv", text, "--period", "2018",
                                   "--region-col", "E03", "--industry-col", "CODIGO",
                                   "--measure-col", "employment=H001A")
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert "a SCIAN table" in err and "RAMA" in err


def test_ilostat_explorer_in_french_and_spanish(tmp_path, capsys):
    """The data explorer's French and Spanish downloads: 'Sexe: Total', 'Activité économique
    (CITI-Rév.4): C. ...', '... (milliers)'; 'Sexo: Total', 'Actividad económica (CIIU-Rev.4)',
    '(miles)'.  They were refused for want of an industry column."""
    langs = {"fr": ("Emploi selon le sexe et l'activité économique (milliers)", "Sexe", "Activité économique",
                    "CITI-Rév.4", "Agrégat", "C. Industries manufacturières"),
             "es": ("Empleo por sexo y actividad económica (miles)", "Sexo", "Actividad económica",
                    "CIIU-Rev.4", "Agregado", "C. Industrias manufactureras")}
    for lang, (ind, sex, eco, isic, agg, manuf) in langs.items():
        text = '"ref_area.label","indicator.label","sex.label","classif1.label","time","obs_value"\n'
        for area, tot, c in (("Mexique" if lang == "fr" else "México", 55000, 9000), ("Chili" if lang == "fr" else "Chile", 9000, 1000)):
            for s_, f in (("Total", 1.0), ("Femmes" if lang == "fr" else "Mujeres", 0.4)):
                for label, v in ((f"{eco} ({isic}): Total", tot), (f"{eco} ({isic}): {manuf}", c),
                                 (f"{eco} ({agg}): Total", tot)):
                    text += f'"{area}","{ind}","{sex}: {s_}","{label}","2022","{v * f:g}"\n'
        code, err, rows = ingest_text(tmp_path, capsys, f"ilostat_{lang}.csv", text)
        assert code == 0, (lang, err)
        got = {r["industry"]: float(r["employment"]) for r in rows if r["region"] in ("Mexique", "México")}
        assert got == {"10": 55_000_000, "C": 9_000_000}, (lang, got)


def test_ilostat_years_of_isic_rev3_only_are_not_dropped_whole(tmp_path, capsys):
    """A bulk file over years: Mexico's 2005 by ISIC Rev. 3 only, 2022 by ISIC Rev. 4.  Keeping
    ISIC Rev. 4 dropped Mexico's 2005 whole (among 'rows grouped otherwise'); refused, naming it."""
    extra = "".join(line.replace("ECO_ISIC4_", "ECO_ISIC3_").replace(",2022,", ",2005,") + "\n"
                    for line in _ilo_bulk(areas=("MEX",)).splitlines()[1:] if "ECO_ISIC4_" in line)
    code, err, _rows = ingest_text(tmp_path, capsys, "EMP_TEMP_SEX_ECO_NB_A.csv", _ilo_bulk(extra=extra))
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert "MEX 2005: ISIC Rev. 3" in err and "ingest the periods of each classification apart" in err


def test_ilostat_each_country_keeps_its_own_age_total(tmp_path, capsys):
    """Mexico by ILOSTAT's youth/adult bands (AGE_YTHADULT_YGE15 its total), Chile and Peru by
    the aggregate bands (AGE_AGGREGATE_TOTAL): keeping the total most rows give dropped Mexico
    whole.  Each country keeps the total it has (both count the same workers)."""
    text = "ref_area,source,indicator,sex,classif1,classif2,time,obs_value\n"
    for area, family, total in (("MEX", "YTHADULT", "YGE15"), ("CHL", "AGGREGATE", "TOTAL"),
                                ("PER", "AGGREGATE", "TOTAL")):
        for band, g in ((total, 1.0), ("Y15-24", 0.2)):
            for eco, v in (("ECO_ISIC4_TOTAL", 10000), ("ECO_ISIC4_C", 1000)):
                text += f"{area},BA:1,EMP_TEMP_SEX_AGE_ECO_NB,SEX_T,AGE_{family}_{band},{eco},2022,{v * g:g}\n"
    code, err, rows = ingest_text(tmp_path, capsys, "EMP_TEMP_SEX_AGE_ECO_NB_A.csv", text)
    assert code == 0, err
    assert {(r["region"], r["industry"]): float(r["employment"]) for r in rows} == {
        (a, i): v for a in ("MEX", "CHL", "PER") for i, v in (("10", 10_000_000), ("C", 1_000_000))}
    assert ("6 rows of one age category (parts of its all-categories rows, 'AGE_AGGREGATE_TOTAL', "
            "'AGE_YTHADULT_YGE15')") in err, err


def test_unido_indstat4_isic_classes_are_not_nace_classes(tmp_path, capsys):
    """UNIDO's INDSTAT4 by ISIC Rev. 4 class: 1010 (meat, all of it) was read as a NACE class
    C10.10 that does not exist (NACE splits it in 10.11-10.13), recorded as NACE.  ISIC's
    groups and classes are not NACE's: refused under auto, saying what to do."""
    text = "Country,Year,ISIC,ISIC Description,Number of employees\n"
    for country, c, food, meat in (("Mexico", 5000000, 900000, 150000), ("Chile", 800000, 250000, 50000)):
        text += (f"{country},2019,C,Total manufacturing,{c}\n{country},2019,10,Food products,{food}\n"
                 f"{country},2019,1010,Processing/preserving of meat,{meat}\n")
    code, err, _rows = ingest_text(tmp_path, capsys, "indstat4_rev4.csv", text)
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert "ISIC groups or classes read as NACE's" in err and "'1010'" in err and "--classification custom" in err


def test_ilostat_file_of_many_indicators_says_which_to_keep(tmp_path, capsys):
    """A bulk file by ref_area holds every indicator of a country: the employment table's rows
    beside rates and mean earnings.  Refused, naming the one to keep; --measure wages on mean
    earnings (a mean, no total) refused too."""
    text = _ilo_bulk(areas=("MEX",))
    text += "MEX,BA:1213,EAR_4MTH_SEX_ECO_CUR_NB,SEX_T,ECO_ISIC4_C,2022,9500,,,,\n"
    text += "MEX,BA:1213,EMP_DWAP_SEX_AGE_RT,SEX_T,ECO_ISIC4_C,2022,55.1,,,,\n"
    code, err, _rows = ingest_text(tmp_path, capsys, "MEX_A.csv", text)
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert "EAR_4MTH_SEX_ECO_CUR_NB, EMP_DWAP_SEX_AGE_RT" in err and "holds EMP_TEMP_SEX_ECO_NB too" in err
    earnings = _ilo_bulk(indicator="EAR_4MTH_SEX_ECO_CUR_NB", areas=("MEX",))
    code, err, _rows = ingest_text(tmp_path, capsys, "EAR_A.csv", earnings, "--measure", "wages")
    assert code == 1 and "no count of employment" in err, err


def test_brazil_beside_india_and_china_is_a_country(tmp_path, capsys):
    """9c933c4 made 'Brazil' the total of Brazil's states; in a table of countries beside
    India and China (no country known to the reader till then) it was dropped as that total."""
    text = "Country,Industry,Year,Employment\n"
    # (Brazil beside India and China alone: with South Africa, a second known country, the
    # table was already one of countries)
    for country, c, f in (("Brazil", 12000, 7000), ("India", 60000, 50000), ("China", 150000, 60000)):
        text += f"{country},C,2022,{c}\n{country},F,2022,{f}\n"
    code, err, rows = ingest_text(tmp_path, capsys, "bric.csv", text)
    assert code == 0, err
    assert sorted({r["region"] for r in rows}) == ["Brazil", "China", "India"]
