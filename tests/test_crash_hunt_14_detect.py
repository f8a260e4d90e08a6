"""Crash hunt 14: ``clusterid detect`` on raw statistical-yearbook tables other than QCEW
(stat.gov.kz sheets, German and Eurostat tables), each problem pinned by a test that failed
before its fix.  The files are in tests/data/hunt14 (see tests/data/README.md)."""

from __future__ import annotations

from conftest import TEST_DATA, csv_rows, run_main

HUNT = TEST_DATA / "hunt14"


def test_regions_across_under_an_empty_corner_cell_over_section_letters(tmp_path, capsys):
    # stat.gov.kz yearbook sheet: the corner cell over the OKED section letters is empty and
    # the regions are the column headings; it was refused as 'no industry column recognised
    # (... found ', Республика Казахстан, Абайская область ...')', though the same sheet with
    # 'ОКЭД' in the corner was read
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(HUNT / "kz_regions_across_blank_corner_cp1251.csv"),
                             "-o", str(out)], capsys)
    assert code == 0, err
    clusters = csv_rows((out / "clusters.csv").read_text(encoding="utf-8"))
    assert sorted(r["industry"] for r in clusters) == ["A", "B", "C", "F", "G", "J", "K", "P"]
    regional = csv_rows((out / "regional_clusters.csv").read_text(encoding="utf-8"))
    # the republic's column is the total of the others, no region of its own; the values are
    # thousands of persons (the title's unit) read with decimal commas
    assert {r["region"] for r in regional} == {
        "Абайская область", "Акмолинская область", "Карагандинская область", "г. Астана",
        "г. Алматы", "г. Шымкент"}
    almaty = {float(r["region_employment"]) for r in regional if r["region"] == "г. Алматы"}
    assert almaty == {415300.0}  # 2.0 + 0.8 + 55.3 + 70.1 + 120.7 + 40.4 + 35.4 + 90.6


def test_an_industry_column_headed_razdel_is_the_industry(tmp_path, capsys):
    # "Раздел" (an OKED/OKVED section) heads the code column of stat.gov.kz and Rosstat long
    # tables; it was refused as 'no industry column recognised (... found 'Регион, Год,
    # Раздел, Занятые, тыс. чел.')'
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(HUNT / "kz_long_razdel_heading_3_cities.csv"),
                             "-o", str(out)], capsys)
    assert code == 0, err
    clusters = csv_rows((out / "clusters.csv").read_text(encoding="utf-8"))
    assert sorted(r["industry"] for r in clusters) == ["A", "C", "F", "G", "P"]
    regional = csv_rows((out / "regional_clusters.csv").read_text(encoding="utf-8"))
    # "тыс. чел." in the measure's heading: thousands of persons
    totals = {(r["period"], r["region"]): float(r["region_employment"]) for r in regional}
    assert totals[("2022", "Алматы")] == 111400.0  # 7,1 + 14,7 + 22,3 + 29,9 + 37,4


def test_section_headings_alone_name_the_industry_column():
    from clusterid.io.readers.generic_headings import role_of

    for h in ("Раздел", "Секция", "Бөлім", "Abschnitt", "Section"):
        assert role_of(h) == "industry", h
    # an industry's own column in a table by industry across is no industry column
    assert role_of("Раздел C Обрабатывающие производства") != "industry"


def test_sections_listed_by_title_only_are_read_as_their_codes(tmp_path, capsys):
    # stat.gov.kz sheet listing the OKED sections by title only, with "Промышленность"
    # (Industry, B-E) above its four sections: read as custom industries named by themselves,
    # B-E was summed beside B, C, D and E, so Акмолинская's two clusters held 68% and 57% of
    # its employment (1,250 of 1,000), exit 0 without a word
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(HUNT / "kz_section_titles_only_with_industry_row.csv"),
                             "-o", str(out)], capsys)
    assert code == 0, err
    clusters = csv_rows((out / "clusters.csv").read_text(encoding="utf-8"))
    names = {r["industry"]: r["industry_name"] for r in clusters}
    assert sorted(names) == ["A", "B", "C", "D", "E", "F", "G", "P"]
    assert names["C"] == "Обрабатывающая промышленность"
    assert "B-E (B + C + D + E)" in err
    # what the reading took the titles for is said, by detect as by ingest
    assert "detect: 9 industries listed by title only, read as the NACE sections they name" in err
    regional = csv_rows((out / "regional_clusters.csv").read_text(encoding="utf-8"))
    for region in {r["region"] for r in regional}:
        rows = [r for r in regional if r["region"] == region]
        assert abs(sum(float(r["share"]) for r in rows) - 1.0) < 1e-6, region


def test_ingest_says_the_titles_it_read_as_sections_and_custom_keeps_them(tmp_path, capsys):
    src = HUNT / "kz_section_titles_only_with_industry_row.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "t.csv")], capsys)
    assert code == 0, err
    assert "9 industries listed by title only, read as the NACE sections they name" in err
    assert "Промышленность = B-E" in err
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "c.csv"),
                             "--classification", "custom"], capsys)
    assert code == 0, err
    rows = csv_rows((tmp_path / "c.csv").read_text(encoding="utf-8"))
    assert "Строительство" in {r["industry"] for r in rows}


def test_section_of_title_in_the_languages_of_the_offices():
    from clusterid.core.codes import section_of_title

    cases = {
        # stat.gov.kz (OKED, Russian and Kazakh)
        "Сельское, лесное и рыбное хозяйство": "A", "Обрабатывающая промышленность": "C",
        "Горнодобывающая промышленность и разработка карьеров": "B", "Промышленность": "B-E",
        "Предоставление услуг по проживанию и питанию": "I", "Образование1)": "P",
        "Тау-кен өндіру өнеркәсібі және карьерлерді қазу": "B", "Өңдеу өнеркәсібі": "C",
        "Өнер, ойын-сауық және демалыс": "R", "Өнеркәсіп": "B-E",
        # Rosstat (OKVED2)
        "Торговля оптовая и розничная; ремонт автотранспортных средств и мотоциклов": "G",
        "Транспортировка и хранение": "H", "Добыча полезных ископаемых": "B",
        "Деятельность административная и сопутствующие дополнительные услуги": "N",
        # Destatis (WZ 2008) and Eurostat (NACE Rev. 2)
        "Verarbeitendes Gewerbe": "C", "Erbringung von sonstigen Dienstleistungen": "S",
        "Erbringung von sonstigen wirtschaftlichen Dienstleistungen": "N", "Baugewerbe": "F",
        "Public administration and defence; compulsory social security": "O",
        "Human health and social work activities": "Q", "Other service activities": "S",
        # the aggregates national accounts publish by title; and no section (services), none
        "Handel, Verkehr und Gastgewerbe": "G-I", "Produzierendes Gewerbe": "B-F",
        "Öffentliche und sonstige Dienstleister, Erziehung, Gesundheit": "O-T",
        "Wholesale and retail trade, transport, accommodation and food service activities": "G-I",
        "Услуги": None, "Прочие": None,
    }
    assert {t: section_of_title(t) for t in cases} == cases


def test_a_workbook_with_the_section_titles_as_column_headings(tmp_path, capsys):
    # stat.gov.kz workbook: regions down under an empty corner cell, the sections across by
    # title only ("Всего", "Сельское, лесное и рыбное хозяйство", "Промышленность", ...); it was
    # refused as 'no industry column recognised'
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(HUNT / "kz_section_titles_across_regions_down.xlsx"),
                             "-o", str(out)], capsys)
    assert code == 0, err
    clusters = csv_rows((out / "clusters.csv").read_text(encoding="utf-8"))
    # D and E not listed: B-E stands for industry, B and C (its listed parts) are said left out
    assert sorted(r["industry"] for r in clusters) == ["A", "B-E", "F", "G", "H", "P", "Q"]
    assert "B (part of B-E), C (part of B-E)" in err
    regional = csv_rows((out / "regional_clusters.csv").read_text(encoding="utf-8"))
    assert "Республика Казахстан" not in {r["region"] for r in regional}


def test_eurostat_aggregates_are_named_in_the_clusters(tmp_path, capsys):
    # nama_10r_3empers by A*10 (B-E, G-I, M_N, O-Q, R-U beside the sections): the aggregates
    # had an empty industry_name in clusters.csv (the bundled titles held sections and
    # divisions only), and a cluster of them was named by the sections alone
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(TEST_DATA / "pipeline2" / "nama_10r_3empers_at_nuts2.tsv"),
                             "-o", str(out)], capsys)
    assert code == 0, err
    names = {r["industry"]: r["industry_name"]
             for r in csv_rows((out / "clusters.csv").read_text(encoding="utf-8"))}
    assert names["B-E"] == "Industry (except construction)"
    assert names["M_N"].startswith("Professional, scientific and technical activities; administrative")
    assert all(names.values()), names


def test_aggregate_titles_under_either_joining_mark():
    from clusterid.io.definitions import classification_titles

    titles = classification_titles("NACE")
    assert titles["M-N"] == titles["M_N"]
    assert titles["C10_C12"] == titles["C10-C12"] == "Manufacture of food products; beverages and tobacco products"


def test_german_kreis_headings_name_the_region_columns(tmp_path, capsys):
    # AK ETR (Erwerbstätigenrechnung des Bundes und der Länder) Kreise table: 'Regional-
    # schlüssel' (the workbook's heading broken over two lines) and 'Kreisfreie Stadt /
    # Landkreis'; it was refused as 'no region column recognised'
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(HUNT / "de_etr_kreise_wz08_bereiche_latin1.csv"),
                             "-o", str(out)], capsys)
    assert code == 0, err
    summary = csv_rows((out / "region_summary.csv").read_text(encoding="utf-8"))
    names = {r["region"]: r["region_name"] for r in summary}
    assert names == {"08111": "Stuttgart, Landeshauptstadt", "08115": "Böblingen",
                     "08116": "Esslingen", "08117": "Göppingen", "08118": "Ludwigsburg"}


def test_region_headings_of_german_tables():
    from clusterid.io.readers.generic_headings import role_of

    assert role_of("Regional-schlüssel") == "region_code"
    assert role_of("Kreisfreie Stadt / Landkreis") == "region"
    assert role_of("Kreise und kreisfreie Städte") == "region"
    assert role_of("Gebietseinheit") == "region"


def test_industries_outside_a_definitions_file_are_said(tmp_path, capsys):
    # a definitions file of three sections over a table of eight: F, G, J, K and P were in no
    # cluster without a word (their employment only in the region totals)
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster\nA,1\nB,1\nC,2\n", encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(HUNT / "kz_regions_across_blank_corner_cp1251.csv"),
                             "-o", str(out), "--definitions", str(defs)], capsys)
    assert code == 0, err
    assert ("5 industries of the input at the definitions' level are in none of their clusters "
            "(F, G, J, K, P)") in err
    # a definitions file of every section says nothing
    defs.write_text("industry,cluster\nA,1\nB,1\nC,2\nF,2\nG,3\nJ,3\nK,3\nP,4\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(HUNT / "kz_regions_across_blank_corner_cp1251.csv"),
                             "-o", str(tmp_path / "e"), "--definitions", str(defs)], capsys)
    assert code == 0, err
    assert "in none of their clusters" not in err


def test_rows_the_reading_of_a_raw_input_drops_are_said(tmp_path, capsys):
    # the republic's column (a region total) and the footnote were left out by the ingest on
    # the fly and said in metadata.json only; `clusterid ingest` says them
    src = HUNT / "kz_regions_across_blank_corner_cp1251.csv"
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d")], capsys)
    assert code == 0, err
    assert ("detect: reading the input dropped 9 rows: 8 region total rows (sum of the other "
            "regions; keep with --keep-region-totals); 1 note rows under the table") in err
    assert "the options named are clusterid ingest's" in err
    # a canonical table: its ingest said them, detect does not again
    table = tmp_path / "t.csv"
    run_main(["ingest", str(src), "-o", str(table)], capsys)
    code, _, err = run_main(["detect", str(table), "-o", str(tmp_path / "e")], capsys)
    assert code == 0, err
    assert "dropped" not in err


def test_equally_similar_industries_are_not_told_to_add_a_signal_already_given(tmp_path, capsys):
    # three Länder whose four sections stand in one proportion (tests/data/generic): the
    # refusal said 'add colocation (or io)' to --signals colocation,hierarchy
    code, _, err = run_main(["detect", str(TEST_DATA / "generic" / "wide_by_industry.csv"),
                             "-o", str(tmp_path / "d")], capsys)
    assert code == 2
    assert "co-location finds every industry spread over the regions alike" in err
    assert "add io, or use --definitions FILE" in err and "add colocation" not in err
    assert not (tmp_path / "d").exists()


def test_detect_warns_as_ingest_does_of_a_workbook_read_in_part(tmp_path, capsys):
    # a workbook of one sheet per year: detect read the first sheet (2021) and said nothing of
    # the 2022 sheet left unread, which ingest warns of
    src = TEST_DATA / "spreadsheets" / "kz_two_sheets.xls"
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d")], capsys)
    assert code == 0, err
    # (since session 24 its two year sheets are read whole, and that is said: known gaps 24)
    assert "2 sheets read, one per year ('2021', '2022')" in err


def test_a_footnote_mark_after_an_abbreviated_city_keeps_its_period(tmp_path, capsys):
    # stat.gov.kz sheet in Kazakh: "Алматы қ.1)" (қала, city, abbreviated, with a footnote
    # mark) came out as "Алматы қ" beside "Астана қ." and "Шымкент қ.": the mark took the
    # abbreviation's period with it
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(HUNT / "kz_kazakh_language_nbsp_thousands.csv"),
                             "-o", str(out)], capsys)
    assert code == 0, err
    summary = csv_rows((out / "region_summary.csv").read_text(encoding="utf-8"))
    regions = {r["region"] for r in summary}
    assert {"Алматы қ.", "Астана қ.", "Шымкент қ."} <= regions and "Алматы қ" not in regions
    assert "Қазақстан Республикасы" not in regions  # the republic's row: a total


def test_footnote_marks_after_names():
    import re

    from clusterid.io.readers.generic_headings import _FOOTNOTE_MARK

    bare = {t: re.sub(_FOOTNOTE_MARK, r"\1", t) for t in
            ("Алматы қ.1)", "Российская Федерация1)", "г.Астана1)", "Bayern 2)", "Köln*", "Kr.¹")}
    assert bare == {"Алматы қ.1)": "Алматы қ.", "Российская Федерация1)": "Российская Федерация",
                    "г.Астана1)": "г.Астана", "Bayern 2)": "Bayern", "Köln*": "Köln", "Kr.¹": "Kr."}


def test_german_wirtschaftsbereiche_by_title_across(tmp_path, capsys):
    # VGR der Länder layout: Länder down, the Wirtschaftsbereiche across by title only, among
    # them aggregates ('Handel, Verkehr und Gastgewerbe', 'Öffentliche und sonstige
    # Dienstleister, Erziehung, Gesundheit'); refused as 'no industry column recognised'
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(HUNT / "de_vgrdl_bereiche_titles_latin1.csv"),
                             "-o", str(out)], capsys)
    assert code == 0, err
    clusters = csv_rows((out / "clusters.csv").read_text(encoding="utf-8"))
    assert sorted(r["industry"] for r in clusters) == ["A", "B-E", "F", "G-I", "J", "O-T"]
    assert "C (part of B-E)" in err


def test_uscmp_on_a_table_of_sectors_says_the_definitions_are_six_digit(tmp_path, capsys):
    # the CBP county file (tests/data/cbp/cbp21co_excerpt.txt, 2017+ layout) cut at subsectors:
    # 'their codes are of another classification or level' left the user to guess which
    lines = (TEST_DATA / "cbp" / "cbp21co_excerpt.txt").read_text(encoding="utf-8").splitlines()
    cut = [lines[0]] + [ln for ln in lines[1:] if ln.split(",")[2].strip('"').rstrip("-/").__len__() <= 3]
    src = tmp_path / "cbp21co_subsectors.txt"
    src.write_text("\n".join(cut) + "\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--definitions",
                             "uscmp"], capsys)
    assert code == 2
    assert "which are six-digit NAICS industries; the input's codes go down to 3 digits" in err
    assert not (tmp_path / "d").exists()


def test_section_titles_down_under_an_empty_corner_cell(tmp_path, capsys):
    # the commonest stat.gov.kz sheet: the sections down by title only under an empty corner
    # cell, the regions across: the column of titles was taken for the regions' names (the
    # rule for a yearbook's first column of names) and the table refused as 'no industry
    # column recognised'
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(HUNT / "kz_titles_down_regions_across_blank_corner.csv"),
                             "-o", str(out)], capsys)
    assert code == 0, err
    clusters = csv_rows((out / "clusters.csv").read_text(encoding="utf-8"))
    assert sorted(r["industry"] for r in clusters) == ["A", "B", "C", "F", "G", "P"]
    assert "detect: column not read: 'Всего'" in err  # as ingest says it
    summary = csv_rows((out / "region_summary.csv").read_text(encoding="utf-8"))
    assert {r["region"]: float(r["region_employment"]) for r in summary} == {
        "Акмолинская область": 970.0, "Карагандинская область": 1950.0,
        "Туркестанская область": 1480.0, "г. Алматы": 2960.0}
