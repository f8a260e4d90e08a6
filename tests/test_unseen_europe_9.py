"""European and post-Soviet statistical offices' files in layouts the other tests do not use
(session 9): each is a small file under tests/data/europe9/ written to the published layout
named in its test, run through the CLI as a user would (ingest, then lq / stats) and checked
against figures computed by hand in the test."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import ingest_rows, run_main

DATA = Path(__file__).parent / "data" / "europe9"


def _cells(rows, measure="employment"):
    return {(r["region"], r["industry"]): (r[measure], r[f"{measure}_status"], r["level"]) for r in rows}


def test_sdmx_csv_labels_both_headings_are_their_ids(tmp_path, capsys):
    # Eurostat SDMX-CSV 2.0 with labels=both (API ...?format=SDMX-CSV&labels=both): every heading
    # is 'ID: Name' ('OBS_VALUE: Observation value', 'geo: Geopolitical entity (reporting)'),
    # every cell 'code: label'.  It was refused: "no measure column recognised".
    rows = ingest_rows(capsys, DATA / "sbs_sdmx2_labels_both.csv", tmp_path / "o.csv")
    cells = _cells(rows)
    assert cells[("AT11", "C10")] == ("3100.0", "reported", "2")
    assert cells[("AT11", "C10-C12")] == ("3500.0", "reported", "2")
    # CONF_STATUS C with an empty value: suppressed, never 0
    assert cells[("AT12", "C11")] == ("", "suppressed", "2")
    assert {r["region_name"] for r in rows} == {"Burgenland", "Niederösterreich"}
    assert next(r for r in rows if r["industry"] == "C10" and r["region"] == "AT12")["employment_flag"] == "p"
    # stats: the division range C10-C12 is counted once, not beside its parts: C12 is not
    # listed, so the range is counted and C10, C11 are not (3500, not 3500 + 3100 + 400)
    code, out, err = run_main(["stats", str(tmp_path / "o.csv"), "--output-format", "csv"], capsys)
    assert code == 0, err
    st = {r["region"]: r for r in csv.DictReader(io.StringIO(out))}
    assert float(st["AT11"]["detail_reported"]) == 3500.0
    assert float(st["AT12"]["detail_reported"]) == 13500.0


def test_jsonstat_2_from_the_eurostat_api(tmp_path, capsys):
    # Eurostat's API answers in JSON-stat 2.0 by default (nama_10r_3empers, THS_PER, NUTS 3;
    # figures made up): 'value' and 'status' objects keyed by position, row-major over 'id'
    # (freq, unit, wstatus, nace_r2, geo, time), the unavailable F of AT111 only a ':' status.
    # It was refused: "malformed CSV: ',' expected after '\"'".
    out = tmp_path / "o.csv"
    rows = ingest_rows(capsys, DATA / "nama_10r_3empers_jsonstat2.json", out)
    cells = _cells(rows)
    assert cells[("AT111", "10")] == ("120500.0", "reported", "0")
    assert cells[("AT112", "B-E")] == ("70000.0", "reported", "1")
    assert cells[("AT111", "F")] == ("", "suppressed", "1")
    assert cells[("AT112", "G-J")] == ("95000.0", "reported", "1")
    assert len(rows) == 10
    by = {(r["region"], r["industry"]): r for r in rows}
    assert by[("AT111", "C")]["employment_flag"] == "p"
    assert by[("AT111", "10")]["region_name"] == "Mittelburgenland"
    assert by[("AT111", "10")]["region_level"] == "nuts3"
    # LQ of B-E in AT111 by hand: (30.2 / 120.5) / ((30.2 + 70) / (120.5 + 310))
    code, lq_out, err = run_main(["lq", str(out), "-o", "-"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv.DictReader(io.StringIO(lq_out))}
    assert float(lq[("AT111", "B-E")]["lq"]) == pytest.approx((30.2 / 120.5) / (100.2 / 430.5), rel=1e-6)
    assert float(lq[("AT112", "F")]["lq"]) == pytest.approx((20 / 310) / (20 / 430.5), rel=1e-6)


@pytest.mark.parametrize("raw, code, level", [
    ("C.10", "C10", 2), ("C.10.1", "C10.1", 3), ("C.10.11", "C10.11", 4), ("A.01", "A01", 2),
    ("C.10.11.1", "C10.11.1", 5),
    ("10111", "C10.11.1", 5), ("01111", "A01.11.1", 5), ("47111", "G47.11.1", 5),
    ("10-12", "C10-C12", 2), ("45-47", "G45-G47", 2), ("C10-12", "C10-C12", 2),
    # across sections, as SSB groups SN2007 (35-39 is D35-E39: its divisions, each once)
    ("05-39", "B05-E39", 2), ("35-39", "D35-E39", 2),
    # not a NACE range: backwards
    ("12-10", "12-10", None),
    # unchanged: GENESIS WZ08 codes, WZ 2008 subclass, OKVED2
    ("WZ08-272", "C27.2", 3), ("WZ08-1105", "C11.05", 4), ("10.11.0", "C10.11.0", 5),
    ("10.11.11", "C10.11.11", 6),
])
def test_nace_national_code_spellings(raw, code, level):
    # stat.gov.kz writes the section before the division with a dot (C.10.11) and the Kazakh
    # business register OKED subclasses as five digits (10111); Destatis and Rosstat write
    # division ranges without letters (10-12).  Each was no code: classification 'custom',
    # level empty, so --level, stats' detail level and NACE cluster definitions missed them
    from clusterid.core import codes

    assert codes.normalize(raw, "NACE") == code
    assert codes.level(code, "NACE") == level


def test_detect_five_digit_oked_and_dotted_sections():
    from clusterid.core import codes

    assert codes.detect(["01111", "10111", "10112", "47111", "62011"]) == "NACE"
    assert codes.detect(["A", "C", "C.10", "C.10.1", "C.10.11"]) == "NACE"
    # NAICS stays NAICS
    assert codes.detect(["541711", "31-33", "62", "44-45", "238210"]) == "NAICS"


def test_stat_gov_kz_dotted_sections_and_bare_name_heading(tmp_path, capsys):
    # stat.gov.kz-style cp1251 table: title 'за 2022 год', columns 'Область;Код ОКЭД;
    # Наименование;Численность работников', codes C, C.10, C.10.1, C.10.11, a 'Всего' row with
    # no code, 'х' confidential.  It was refused ('empty key cell' on both Всего rows: the bare
    # 'Наименование' heading was not read as the codes' names); with the names read, every code
    # was 'custom' with no level
    out = tmp_path / "o.csv"
    rows = ingest_rows(capsys, DATA / "kz_oked_dotted_sections_cp1251.csv", out)
    cells = _cells(rows)
    assert cells[("Акмолинская область", "10")] == ("120500.0", "reported", "0")
    assert cells[("Акмолинская область", "C10")] == ("6100.0", "reported", "2")
    assert cells[("Акмолинская область", "C10.1")] == ("2300.0", "reported", "3")
    assert cells[("Акмолинская область", "C10.11")] == ("1900.0", "reported", "4")
    assert cells[("Акмолинская область", "C11")] == ("", "suppressed", "2")
    assert {r["classification"] for r in rows} == {"NACE"}
    assert all(r["period"] == "2022" for r in rows)
    code, lq_out, err = run_main(["lq", str(out), "-o", "-"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv.DictReader(io.StringIO(lq_out))}
    # C10 in Akmola by hand: (6100 / 120500) / ((6100 + 9500) / (120500 + 410000))
    assert float(lq[("Акмолинская область", "C10")]["lq"]) == pytest.approx(
        (6100 / 120500) / (15600 / 530500), rel=1e-6)
    # --level 1 rolls the divisions up into C, which is published: kept as published
    rolled = ingest_rows(capsys, DATA / "kz_oked_dotted_sections_cp1251.csv", tmp_path / "l1.csv", "--level", "1")
    c1 = _cells(rolled)
    assert c1[("Карагандинская область", "C")] == ("72000.0", "reported", "1")
    assert ("Карагандинская область", "C10") not in c1


def test_oked_five_digit_subclasses(tmp_path, capsys):
    # OKED subclasses written as five digits (10111 Переработка и консервирование мяса ...)
    rows = ingest_rows(capsys, DATA / "kz_oked_5digit.csv", tmp_path / "o.csv")
    cells = _cells(rows)
    assert cells[("Алматы", "C10.11.1")] == ("1200.0", "reported", "5")
    assert cells[("Астана", "C10.11.2")] == ("", "suppressed", "5")
    assert cells[("Астана", "J62.01.1")] == ("11000.0", "reported", "5")
    assert {r["classification"] for r in rows} == {"NACE"}
    # rolled up to classes: C10.11 in Almaty is 1200 + 800, in Astana 300 + a suppressed cell
    rolled = _cells(ingest_rows(capsys, DATA / "kz_oked_5digit.csv", tmp_path / "l4.csv", "--level", "4"))
    assert rolled[("Алматы", "C10.11")] == ("2000.0", "reported", "4")
    assert rolled[("Астана", "C10.11")][1] == "suppressed"


def test_genesis_ffcsv_flat_file(tmp_path, capsys):
    # GENESIS-Online / Regionalstatistik "ffcsv" (statistics_code ... time, N_variable_code,
    # N_variable_attribute_code/label ..., value, value_unit, value_q), table 13111 style:
    # Beschäftigte am Arbeitsort by Kreis x WZ 2008 section, Stichtag 2022-06-30, made-up
    # figures, '-' and '.' markers, value_q 'e' (endgültig: final, not 'estimated').  It was
    # refused: "no region column recognised"
    out = tmp_path / "o.csv"
    rows = ingest_rows(capsys, DATA / "genesis_13111_ffcsv.csv", out)
    cells = _cells(rows)
    assert cells[("03159", "10")] == ("118000.0", "reported", "0")
    assert cells[("03159", "G")] == ("21500.0", "reported", "1")
    assert cells[("03241", "A")] == ("", "suppressed", "1")
    assert cells[("03241", "C")] == ("", "suppressed", "1")
    assert {r["period"] for r in rows} == {"2022"}
    assert {r["region_level"] for r in rows} == {"kreis"}
    assert {r["employment_status"] for r in rows} == {"reported", "suppressed"}  # no 'estimated'
    by = {(r["region"], r["industry"]): r for r in rows}
    assert by[("03159", "10")]["region_name"] == "Göttingen, Landkreis"
    code, lq_out, err = run_main(["lq", str(out), "-o", "-"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv.DictReader(io.StringIO(lq_out))}
    assert float(lq[("03241", "F")]["lq"]) == pytest.approx((21000 / 560000) / (26100 / 678000), rel=1e-6)


def test_genesis_flat_file_german_headings(tmp_path, capsys):
    # the German flat file: Zeit, N_Merkmal_Code, N_Auspraegung_Code/Label, the value column
    # headed CODE__Label__Unit; Länder (DLAND) with two-digit keys
    rows = ingest_rows(capsys, DATA / "genesis_13111_flat_de.csv", tmp_path / "o.csv")
    cells = _cells(rows)
    assert cells[("09", "C")] == ("1400000.0", "reported", "1")
    assert cells[("03", "10")] == ("3100000.0", "reported", "0")
    assert {r["region_level"] for r in rows} == {"land"}
    assert {r["period"] for r in rows} == {"2022"}


def test_genesis_classic_table_by_wz_without_key_headings(tmp_path, capsys):
    # GENESIS-Online classic CSV (table 13111-0005 style, Latin-1, CRLF, ';'): title lines, a
    # header row with only the Stichtage ';;;30.06.2021;30.06.2022', key columns Land, WZ08
    # code, WZ name without headings, '1.234.567' thousands, '-', 'x', '...' and a footer
    # (__________, Stand, (C)opyright).  Bremen's A row 'x;x' was taken as the header
    # ("duplicate column heading 'x'"); with the right header the WZ08 column was not found
    rows = ingest_rows(capsys, DATA / "genesis_13111_0005_classic_latin1.csv", tmp_path / "o.csv")
    cells = {(r["period"], r["region"], r["industry"]): (r["employment"], r["employment_status"])
             for r in rows}
    assert cells[("2022", "Niedersachsen", "10")] == ("3100100.0", "reported")
    assert cells[("2021", "Niedersachsen", "C")] == ("552101.0", "reported")
    assert cells[("2021", "Niedersachsen", "F")] == ("", "suppressed")
    assert cells[("2021", "Bremen", "A")] == ("", "suppressed")
    assert cells[("2021", "Bremen", "F")] == ("", "suppressed")
    assert cells[("2022", "Bremen", "F")] == ("14030.0", "reported")
    assert len(rows) == 16
    assert next(r for r in rows if r["industry"] == "C")["industry_name"] == "Verarbeitendes Gewerbe"


def test_ba_table_stichtag_title_and_aggregates_over_divisions(tmp_path, capsys):
    # A Bundesagentur für Arbeit table (Beschäftigte nach Wirtschaftszweigen, one Kreis, made-up
    # figures): 'Region: 03159 Göttingen' and 'Stichtag: 30. Juni 2023' as title lines, codes in
    # the names ('C Verarbeitendes Gewerbe', '10 H.v. Nahrungs...'), BA's aggregates B-F and G-U
    # beside their sections, '*' withheld, Männer / Frauen / Ausländer columns beside Insgesamt.
    # The Stichtag title gave no period ("no period column recognised")
    out = tmp_path / "o.csv"
    rows = ingest_rows(capsys, DATA / "ba_svb_wz2008_kreis.csv", out, "--measure-col", "employment=Insgesamt")
    cells = _cells(rows)
    assert {r["period"] for r in rows} == {"2023"}
    assert {r["region"] for r in rows} == {"03159"}
    assert cells[("03159", "B-F")] == ("28000.0", "reported", "1")
    assert cells[("03159", "C10")] == ("3010.0", "reported", "2")
    assert cells[("03159", "C11")] == ("", "suppressed", "2")
    # stats: B-F and G-U are kept (not all their sections are listed), so C, F, G, Q and C's
    # divisions C10, C11 are not summed beside them: A + B-F + G-U = 1234 + 28000 + 91111 =
    # 120345, the published total (C10 was added too: 123355, coverage 1.025)
    code, st_out, err = run_main(["stats", str(out), "--output-format", "csv"], capsys)
    assert code == 0, err
    (st,) = list(csv.DictReader(io.StringIO(st_out)))
    assert float(st["detail_reported"]) == 120345.0
    assert float(st["coverage"]) == pytest.approx(1.0)


@pytest.mark.parametrize("raw, code", [
    ("\u0421", "C"), ("\u0410", "A"), ("\u0412-\u0415", "B-E"), ("\u0421.10.11", "C10.11"),
    ("Раздел C", "C"), ("Раздел \u0421", "C"), ("Секция C", "C"), ("Abschnitt C", "C"),
    ("Всего", "10"),
])
def test_cyrillic_section_letters_and_section_words(raw, code):
    # Rosstat and stat.gov.kz type the section letters that look Latin in Cyrillic (U+0421
    # 'С' for C) and write 'Раздел C' / 'Секция C': each was no code (level empty)
    from clusterid.core import codes

    assert codes.normalize(raw, "NACE") == code
    assert codes.level(code, "NACE") is not None


def test_split_label_section_word_but_not_v_tom_chisle():
    from clusterid.core import codes

    assert codes.split_label("Раздел \u0421 Обрабатывающие производства") == ("C", "Обрабатывающие производства")
    assert codes.split_label("Abschnitt C: Verarbeitendes Gewerbe") == ("C", "Verarbeitendes Gewerbe")
    # 'В том числе' (of which) is no section B
    assert codes.split_label("В том числе:") == ("В том числе:", None)
    assert codes.detect(["\u0410", "\u0412", "\u0421", "\u0415", "F"]) == "NACE"


def test_rosstat_sections_in_an_unheaded_column(tmp_path, capsys):
    # Rosstat / EMISS style, cp1251, CRLF: a title in thousands ('тыс. человек'), a header of
    # years only (';;2021;2022'), the region and 'Раздел С Обрабатывающие производства' (the
    # С Cyrillic, as typed there) in unheaded columns, decimal comma, '…' not available.
    # It was refused: "no industry column recognised"
    out = tmp_path / "o.csv"
    rows = ingest_rows(capsys, DATA / "rosstat_okved2_sections_cp1251.csv", out)
    cells = {(r["period"], r["region"], r["industry"]): (r["employment"], r["employment_status"], r["level"])
             for r in rows}
    assert cells[("2021", "Белгородская область", "C")] == ("110400.0", "reported", "1")
    assert cells[("2022", "Воронежская область", "10")] == ("1110800.0", "reported", "0")
    assert cells[("2022", "Белгородская область", "F")] == ("", "suppressed", "1")
    assert len(rows) == 16
    code, lq_out, err = run_main(["lq", str(out), "-o", "-"], capsys)
    assert code == 0, err
    lq = {(r["period"], r["region"], r["industry"]): r for r in csv.DictReader(io.StringIO(lq_out))}
    # C in Belgorod 2021 by hand: (110.4 / 730.5) / ((110.4 + 150.3) / (730.5 + 1100.2))
    assert float(lq[("2021", "Белгородская область", "C")]["lq"]) == pytest.approx(
        (110.4 / 730.5) / (260.7 / 1830.7), rel=1e-6)


def test_sdmx_csv_persons_beside_hours_worked(tmp_path, capsys):
    # Eurostat SDMX-CSV 1.0 of nama_10r_2emhrw (made-up figures): every cell in THS_PER and in
    # THS_HW (thousand hours worked), wstatus EMP and SAL.  The bulk TSV of the same table
    # kept THS_PER / EMP; the SDMX-CSV was refused: duplicate keys, and 40,100,500 hours of C
    # 'larger than' the 150,200 persons of the total
    out = tmp_path / "o.csv"
    rows = ingest_rows(capsys, DATA / "nama_10r_2emhrw_sdmx_two_units.csv", out)
    assert _cells(rows) == {("AT11", "10"): ("150200.0", "reported", "0"),
                            ("AT11", "C"): ("25100.0", "reported", "1")}


@pytest.mark.parametrize("name", ["lfst_r_lfe2en2_databrowser_labels.xlsx",
                                  # 'TIME' over the second row dimension's column
                                  "lfst_r_lfe2en2_databrowser_time_over_nace.xlsx"])
def test_eurostat_data_browser_xlsx_labels(tmp_path, capsys, name):
    # Eurostat Data Browser "Download > Spreadsheet" (xlsx, made-up figures): a Summary sheet,
    # then 'Sheet 1' with titles, 'Unit of measure | Thousand persons', a 'TIME | | 2021 | |
    # 2022 |' row over 'GEO (Labels) | NACE_R2 (Labels)', each period's flag in the unheaded
    # column right of it ('b', 'u'), ':' not available, notes under the table.  It was refused
    # ("column heading among the period columns is not a period: column_4")
    rows = ingest_rows(capsys, DATA / name, tmp_path / "o.csv")
    cells = {(r["period"], r["region"], r["industry"]): (r["employment"], r["employment_status"],
                                                        r["employment_flag"]) for r in rows}
    assert len(rows) == 12
    assert cells[("2021", "Burgenland", "10")] == ("150200.0", "reported", "")
    assert cells[("2022", "Burgenland", "C")] == ("25600.0", "reported", "b")
    assert cells[("2021", "Burgenland", "F")] == ("15000.0", "reported", "u")
    assert cells[("2022", "Burgenland", "F")] == ("", "suppressed", ":")
    by = {(r["period"], r["region"], r["industry"]): r for r in rows}
    assert by[("2021", "Niederösterreich", "C")]["industry_name"] == "Manufacturing"
    assert by[("2021", "Niederösterreich", "C")]["level"] == "1"


def test_eurostat_data_browser_xlsx_codes_one_activity(tmp_path, capsys):
    # the same download with codes and labels, NACE fixed in the title pairs (Manufacturing):
    # GEO (Codes) and GEO (Labels) as row dimensions, 'e' estimated, ': c' confidential
    out = tmp_path / "o.csv"
    rows = ingest_rows(capsys, DATA / "nama_10r_3empers_databrowser_codes.xlsx", out)
    cells = {(r["period"], r["region"], r["industry"]): (r["employment"], r["employment_status"],
                                                        r["employment_flag"]) for r in rows}
    assert cells == {
        ("2021", "AT111", "C"): ("2510.0", "reported", ""), ("2021", "AT112", "C"): ("6150.0", "reported", ""),
        ("2021", "AT113", "C"): ("3000.0", "estimated", "e"), ("2022", "AT111", "C"): ("2600.0", "reported", "p"),
        ("2022", "AT112", "C"): ("", "suppressed", "c"), ("2022", "AT113", "C"): ("3100.0", "reported", "p")}
    assert {r["region_level"] for r in rows} == {"nuts3"}
    assert next(r for r in rows if r["region"] == "AT113")["region_name"] == "Südburgenland"


def test_jsonstat_arrays_and_a_json_that_is_none(tmp_path, capsys):
    # JSON-stat 2.0 with 'value' and 'status' as arrays (null for no value) and a 'role' naming
    # the time dimension: the same table as the object form
    a = ingest_rows(capsys, DATA / "nama_10r_3empers_jsonstat2_arrays.json", tmp_path / "a.csv")
    b = ingest_rows(capsys, DATA / "nama_10r_3empers_jsonstat2.json", tmp_path / "b.csv")
    assert a == b
    # a JSON object that is no JSON-stat dataset is said to be one (it was 'no data rows under
    # the header (found '{"foo": 1 ...')')
    bad = tmp_path / "api_error.json"
    bad.write_text('{"error": {"status": 413, "label": "Request too large"}}')
    code, _, err = run_main(["ingest", str(bad), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1
    assert "no JSON-stat dataset" in err and "SDMX-CSV" in err


def test_wide_table_with_cyrillic_section_headings(tmp_path, capsys):
    # stat.gov.kz-style wide table: sections as column headings typed in Cyrillic (А, В, С
    # beside a Latin F).  It was refused: "column heading among the industry columns is not
    # an industry code ... found 'А'"
    rows = ingest_rows(capsys, DATA / "kz_wide_cyrillic_section_headings.csv", tmp_path / "o.csv")
    cells = _cells(rows)
    assert cells[("Карагандинская область", "C")] == ("72000.0", "reported", "1")
    assert cells[("Акмолинская область", "B")] == ("5200.0", "reported", "1")
    assert cells[("Акмолинская область", "10")] == ("120500.0", "reported", "0")
    assert {r["period"] for r in rows} == {"2023"}


def test_statistik_austria_statcube_codes_in_angle_brackets(tmp_path, capsys):
    # Statistik Austria STATcube export (made-up figures): 'Politischer Bezirk' and 'ÖNACE 2008
    # Abschnitte' headings, codes after the labels in angle brackets ('Eisenstadt(Stadt)
    # <101>', 'Herstellung von Waren <C>'), 'Insgesamt' without code.  It was refused ('no
    # region column recognised'); with --region-col every industry was a 'custom' label
    out = tmp_path / "o.csv"
    rows = ingest_rows(capsys, DATA / "at_statcube_bezirke_oenace.csv", out, "--period", "2021")
    cells = _cells(rows)
    assert cells[("101", "C")] == ("1203.0", "reported", "1")
    assert cells[("102", "10")] == ("1900.0", "reported", "0")
    assert cells[("102", "F")] == ("95.0", "reported", "1")
    by = {(r["region"], r["industry"]): r for r in rows}
    assert by[("101", "C")]["region_name"] == "Eisenstadt(Stadt)"
    assert by[("101", "C")]["industry_name"] == "Herstellung von Waren"
    code, lq_out, err = run_main(["lq", str(out), "-o", "-"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv.DictReader(io.StringIO(lq_out))}
    assert float(lq[("102", "C")]["lq"]) == pytest.approx((110 / 1900) / (1313 / 23245), rel=1e-6)
