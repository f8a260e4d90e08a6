"""Agency files in layouts earlier hunts did not cover (session 29): each test names the real
source whose layout its made-up input follows (tests/data/hunt29/README.md) and checks what
clusterid read against the file, or that the file is refused in one located line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import cell_values as _cells, csv_rows, ingest_stdout, run_main, run_ok

DATA = Path(__file__).parent / "data" / "hunt29"


def _read(capsys, name: str, *options: str):
    return ingest_stdout(capsys, DATA / name, *options)


# ---- a custom industry coded 10, clusterid's code for all industries

def test_a_jsic_division_10_read_as_custom_is_refused_not_the_total(capsys):
    """e-Stat's Economic Census by JSIC division (cp932): ingest refuses JSIC as NACE and says
    to read the codes with --classification custom.  Doing so read division 10 (beverages,
    tobacco and feed) as each prefecture's all-industry total (level 0), silently: lq took
    Hokkaido's 6,234 beverage workers for its whole employment."""
    code, _, err = _read(capsys, "estat_jsic_divisions_cp932.csv")
    assert code == 1 and "JSIC" in err, err
    code, rows, err = _read(capsys, "estat_jsic_divisions_cp932.csv", "--classification", "custom")
    assert code == 1, rows
    assert err.count("error:") == 1, err
    assert ("estat_jsic_divisions_cp932.csv:4: column '産業分類': a custom industry coded 10, clusterid's code "
            "for all industries") in err
    assert "found '10 飲料・たばこ・飼料製造業'" in err and "Traceback" not in err


def test_custom_industries_numbered_9_10_11_are_refused(tmp_path, capsys):
    """A national office's industry groups numbered 1..N (no names): 10 is one of them, not
    the total; read as the total, lq's region totals were industry 10's figures."""
    src = tmp_path / "groups.csv"
    src.write_text("region,industry,year,employment\nR1,9,2022,200\nR1,10,2022,300\nR1,11,2022,400\n"
                   "R2,9,2022,300\nR2,10,2022,200\nR2,11,2022,100\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "--classification", "custom", "-o", "-"], capsys)
    assert code == 1 and "groups.csv:3: column 'industry': a custom industry coded 10" in err, err
    # a custom table whose 10 is its total (by name, or without a numbering around it) still
    # reads 10 as the total
    for text in ("region,industry,industry_name,year,employment\nR1,10,Total,2022,900\nR1,A1,Farms,2022,200\n",
                 "region,industry,year,employment\nR1,10,2022,900\nR1,20,2022,200\nR1,30,2022,300\n"):
        src.write_text(text, encoding="utf-8")
        out, err = run_ok(["ingest", str(src), "--classification", "custom", "-o", "-"], capsys)
        total = [r for r in csv_rows(out) if r["industry"] == "10"]
        assert len(total) == 1 and total[0]["level"] == "0" and float(total[0]["employment"]) == 900


# ---- ISTAT's ATECO 2007 with its A*38 codes

def test_istat_export_with_ateco_a38_codes_reads_them_as_division_runs(capsys):
    """I.Stat's CSV export (code and label column pairs) of the ASIA local units, ATECO 2007's
    hierarchy listing CA (food, beverages, tobacco: divisions 10-12) between C and 10: it was
    refused as two columns that could each be the industry, and with --industry-col every
    CA was 'a NACE Rev. 1.1 subsection', whose advice (read as Rev. 1.1) made C mining."""
    code, rows, err = _read(capsys, "istat_istat_asia_ateco_a38.csv")
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert set(got) == {(reg, ind) for reg in ("ITC4", "ITH3") for ind in ("10", "B", "C", "C10", "C10-C12")}
    ca = got[("ITC4", "C10-C12")]
    assert (float(ca["employment"]), ca["level"], ca["classification"]) == (61234.5, "2", "NACE")
    assert ca["industry_name"] == "industrie alimentari, delle bevande e del tabacco"
    assert ca["region_name"] == "Lombardia"
    assert float(got[("ITH3", "10")]["employment"]) == 1512345.2
    assert float(got[("ITH3", "C10")]["employment"]) == 35123.9
    code, rows, err = _read(capsys, "istat_istat_asia_ateco_a38.csv", "--industry-col", "ATECO_2007")
    assert code == 0 and ("ITC4", "C10-C12") in {(r["region"], r["industry"]) for r in rows}, err


def test_istat_sdmx_ateco_a38_codes_and_one_division_a38_beside_its_division(capsys):
    """IstatData's SDMX-CSV (ECON_ACTIVITY_NACE_2007) with CA and CD: CA is C10-C12; CD
    (coke and refined petroleum) is division 19 alone, listed beside 19 itself: the same cell
    twice, its rows dropped and counted, not a duplicate-row refusal."""
    code, rows, err = _read(capsys, "istat_sdmx_asia_ateco_a38.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2021", "ITC4", "C10-C12")] == ("61234.5", "reported")
    assert cells[("2021", "ITH3", "C19")] == ("8123.5", "reported")
    assert cells[("2021", "ITC4", "10")] == ("3512345.61", "reported")
    assert len(rows) == 10
    assert "2 ATECO A*38 rows of one division listed beside that division" in err


# ---- files read as published (checked by hand against the file)

def test_cbp_1998_2006_upper_case_quoted_crlf_county_file(capsys):
    """cbp99co.txt in the 1998-2006 record layout as Census wrote it: upper-case headings,
    every text field quoted, CRLF, NAICS padded with '-' and '/', empflag A/B withheld."""
    code, rows, err = _read(capsys, "cbp99co.txt")
    assert code == 0, err
    got = {r["industry"]: r for r in rows}
    assert set(got) == {"10", "11", "113", "1133", "21", "23", "233"}
    assert (got["10"]["period"], got["10"]["region"], float(got["10"]["employment"])) == ("1999", "01001", 9126)
    assert float(got["233"]["wages"]) == 3861000
    for code_, flag in (("113", "A"), ("21", "B")):
        assert got[code_]["employment"] == "" and got[code_]["employment_status"] == "suppressed"
        assert got[code_]["employment_flag"] == flag
    assert float(got["21"]["employment_lower"]) == 20  # B: 20-99, narrowed by the size classes
    assert float(got["21"]["employment_upper"]) == 23


@pytest.mark.parametrize("name, says", [
    ("cbp93co.txt", "cbp93co.txt:1: column 'sic': a SIC-based County Business Patterns file"),
    ("2016.q1.by_size_sample.csv", "no data rows left (expected at least one row of data, found "
                                   "'4 establishment-size rows (size_code != 0)')"),
    ("estat_economic_census_2021_cp932.csv", "estat_economic_census_2021_cp932.csv:2: column '産業分類': "
                                             "industry codes of JSIC"),
    ("de_laender_cp1252_then_utf8.csv", "de_laender_cp1252_then_utf8.csv:1: mixed encodings"),
    ("cbp16co_cut.txt.gz", "cbp16co_cut.txt.gz: gzip-compressed data is truncated or corrupt"),
])
def test_files_refused_in_one_located_line(capsys, name, says):
    code, _, err = _read(capsys, name)
    assert code == 1, err
    assert says in err and "Traceback" not in err
    assert len([ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]) == 1, err


def test_qcew_annual_by_area_with_titles_lq_and_oty_columns(capsys):
    """A QCEW annual by-area file of 2005 (titles, annual_avg_estabs_count, the lq_ and oty_
    columns): read by the QCEW adapter, domain and supersector rows dropped and counted."""
    code, rows, err = _read(capsys, "2005.annual.by_area_49001.csv")
    assert code == 0, err
    got = {(r["ownership"], r["industry"]): r for r in rows}
    assert set(got) == {("total", "10"), ("private", "10")}
    assert float(got[("private", "10")]["employment"]) == 1512
    assert float(got[("total", "10")]["establishments"]) == 226
    assert float(got[("total", "10")]["wages"]) == 53412810
    assert "2 domain and supersector rows" in err


def test_qcew_msa_csa_and_national_metro_aggregate(capsys):
    """A QCEW by-area slice of an MSA (C4162), its CSA (CS482) and the U.S. metropolitan
    aggregate (USMSA): the area levels and the month average, N withheld never 0."""
    code, rows, err = _read(capsys, "2016.q1.msa_C4162_slice.csv")
    assert code == 0, err
    got = {(r["region"], r["ownership"], r["industry"]): r for r in rows}
    assert got[("C4162", "private", "23")]["region_level"] == "msa"
    assert float(got[("C4162", "private", "23")]["employment"]) == pytest.approx((38123 + 38765 + 39876) / 3)
    assert got[("CS482", "total", "10")]["region_level"] == "csa"
    assert got[("USMSA", "total", "10")]["region_level"] == "national-subgroup"
    mining = got[("C4162", "private", "21")]
    assert (mining["employment"], mining["employment_status"], mining["employment_flag"]) == ("", "suppressed", "N")


def test_statcan_business_counts_size_ranges_and_month(capsys):
    """StatCan table 33-10-0661 (business counts by NAICS and employment size range, REF_DATE
    2022-12): the establishments of the 'Total, with employees' rows, the size ranges dropped
    as parts of them; NAICS in brackets."""
    code, rows, err = _read(capsys, "33100661_business_counts.csv")
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): float(r["establishments"]) for r in rows}
    assert got == {("2022M12", "Canada", "10"): 1225000, ("2022M12", "Canada", "11"): 48000,
                   ("2022M12", "Nova Scotia", "10"): 31000, ("2022M12", "Nova Scotia", "11"): 1800}
    assert "4 rows of one Employment size ranges category" in err


def test_ssb_pxweb_csv_all_industries_00_99_and_unknown_00(capsys):
    code, rows, err = _read(capsys, "ssb_07984_alle_naeringer_00_99.csv")
    assert code == 0, err
    got = {r["industry"]: r for r in rows}
    assert float(got["10"]["employment"]) == 636412 and got["10"]["level"] == "0"
    assert float(got["A01-A03"]["employment"]) == 9801
    assert float(got["G45-G47"]["employment"]) == 81223
    assert got["00 Uoppgitt"]["classification"] == "custom" and got["00 Uoppgitt"]["level"] == ""


def test_cbs_statline_provinces_thousands_and_provisional_year(capsys):
    """CBS StatLine's CSV download: 'Banen van werknemers (x 1 000)' in decimal commas,
    provisional year '2022*', '.' no figure, provinces '(PV)'."""
    code, rows, err = _read(capsys, "cbs_statline_banen_sbi_regio.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2021", "Groningen (PV)", "10")] == ("236100.0", "reported")
    assert cells[("2022", "Friesland (PV)", "C")] == ("34600.0", "reported")
    assert cells[("2022", "Groningen (PV)", "A")] == ("", "suppressed")


def test_statfin_total_sss_and_unknown_x(capsys):
    code, rows, err = _read(capsys, "statfin_tyokay_alue_tol2008.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2021", "MK01", "10")] == ("887123.0", "reported")
    assert cells[("2021", "MK02", "C")] == ("34567.0", "reported")
    assert cells[("2021", "MK02", "X Toimiala tuntematon")] == ("", "suppressed")


def test_eurostat_sdmx_tsv_quarters_with_dash(capsys):
    """Eurostat's SDMX-TSV since 2023 writes quarters as 2023-Q1; ': c' withheld."""
    code, rows, err = _read(capsys, "namq_10_a10_e_sdmx_tsv_2023_quarters.tsv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2023Q1", "AT", "A")] == ("148900.0", "reported")
    assert cells[("2023Q2", "AT", "C")] == ("", "suppressed")
    assert {p for p, _, _ in cells} == {"2022Q3", "2022Q4", "2023Q1", "2023Q2"}


def test_bfs_typographic_apostrophe_thousands(capsys):
    code, rows, err = _read(capsys, "bfs_statent_typographic_apostrophe.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2021", "Zürich", "10")] == ("1012345.0", "reported")
    assert cells[("2021", "Bern", "C")] == ("88123.0", "reported")


def test_census_api_json_null_cells_are_withheld_never_zero(capsys):
    code, rows, err = _read(capsys, "cbp_api_2022_null_cells.json")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2022", "49001", "11")] == ("", "suppressed")
    assert cells[("2022", "49003", "23")] == ("", "suppressed")
    assert cells[("2022", "49003", "11")] == ("98.0", "reported")
    assert {r["industry"]: r["wages"] for r in rows if r["region"] == "49001"}["10"] == "74123000.0"


def test_kosis_cp949_total_and_dash_marker(capsys):
    """KOSIS (cp949): 전국 the nation's row dropped as a region total, 전산업 all industries,
    '-' withheld, never 0."""
    code, rows, err = _read(capsys, "kosis_ksic_ranges_cp949.csv")
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert float(got[("서울특별시", "10")]["employment"]) == 5612345
    assert "전국" not in {r["region"] for r in rows}
    withheld = [r for r in rows if r["region"] == "서울특별시" and r["employment_flag"] == "-"]
    assert len(withheld) == 1 and withheld[0]["employment"] == "" and withheld[0]["employment_status"] == "suppressed"


# ---- the OECD's ISIC Rev. 4 section aggregates (BTE, GTI, OTQ, RTU)

def test_oecd_data_explorer_csv_with_labels_reads_its_section_aggregates(capsys):
    """The OECD Data Explorer's CSV "with labels" (each dimension a code column and a label
    column) of regional employment by activity: its codes BTE, GTI, OTQ, RTU ("T" for "to")
    were no codes, so ACTIVITY and 'Economic activity' were two columns that could each be the
    industry (exit 2).  They are the section ranges B-E, G-I, O-Q, R-U; UNIT_MULT 3 thousands."""
    code, rows, err = _read(capsys, "oecd_reg_eco_emp_activity_labels.csv")
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert set(got) == {(reg, ind) for reg in ("FR10", "FRK0")
                        for ind in ("10", "B-E", "G-I", "M-N", "O-Q", "R-U")}
    assert float(got[("FR10", "R-U")]["employment"]) == 301400
    assert (got[("FR10", "B-E")]["level"], got[("FR10", "B-E")]["classification"]) == ("1", "NACE")
    assert got[("FR10", "10")]["industry_name"] == "Total - all activities"
    assert float(got[("FRK0", "10")]["employment"]) == 3412500


def test_oecd_rtu_is_r_to_u_not_the_sections_r_t_and_u(capsys):
    """Codes only (a cut of the table): RTU was read as the run of sections R, T and U -- S
    left out of it silently -- and GTI refused.  RTU is R-U, GTI G-I."""
    code, rows, err = _read(capsys, "oecd_reg_eco_emp_rtu_codes_only.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2021", "FR10", "R-U")] == ("301.4", "reported")
    assert cells[("2021", "FRK0", "G-I")] == ("801.2", "reported")
    assert not any(ind == "RTU" for _, _, ind in cells)
    from clusterid.core import codes
    assert sorted(codes.nace_sections(codes.normalize("RTU", "NACE"))) == ["R", "S", "T", "U"]
    assert codes.normalize("BDE", "NACE") == "BDE"  # ONS's run of B, D and E stays one


def test_scb_pxweb_csv_sections_joined_with_plus_and_unknown_us(capsys):
    code, rows, err = _read(capsys, "scb_rams_sni2007_plus_groups.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2021", "01", "R+S+T+U")] == ("61234.0", "reported")
    assert cells[("2022", "01", "10")] == ("1245678.0", "reported")
    assert cells[("2021", "01", "US okänd verksamhet")] == ("", "suppressed")


def test_ukrstat_table_in_thousand_persons_with_ukrainian_headings(capsys):
    """Ukrstat's layout: the region heading 'Регіон' was not recognised (exit 1, asking for
    --region-col), and given it, the unit line '(тис. осіб)' was not read: every oblast's
    employment a thousand times too small, silently, and the 'Усього' column (all activities)
    left unread."""
    code, rows, err = _read(capsys, "ukrstat_kved_oblasts_cp1251.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2021", "Волинська", "A")] == ("10200.0", "reported")
    assert cells[("2021", "Вінницька", "10")] == ("231200.0", "reported")
    assert "Україна" not in {r["region"] for r in rows}
    assert "region total rows" in err


def test_czso_table_in_thousand_persons_with_czech_headings(capsys):
    """CZSO's layout: 'Kraj' (region) was no region heading, and given --region-col the unit
    line '(tis. osob)' was not read (every kraj's employment a thousand times too small) and
    the 'Celkem' (total) column left unread."""
    code, rows, err = _read(capsys, "czso_kraje_cz_nace_cp1250.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2022", "Hlavní město Praha", "A")] == ("1200.0", "reported")
    assert cells[("2022", "Středočeský kraj", "10")] == ("571200.0", "reported")


@pytest.mark.parametrize("unit", ["(mii persoane)", "(tis. osob)", "(ezer fő)", "(tūkst.)", "(хил. души)",
                                  "(u tisućama)", "(v tis.)", "(χιλιάδες)", "(тис. осіб)",
                                  # and the German and French phrasings of a multiple alone
                                  "Angaben in 1.000", "Werte in Tsd.", "Mengenangabe in 1000",
                                  "Unité : millier"])
def test_thousands_in_the_unit_lines_of_other_eu_offices(tmp_path, capsys, unit):
    """A title's unit line in the national offices' languages (INS, CZSO, KSH, the Baltic
    offices, NSI, DZS, ELSTAT, Ukrstat), and Destatis's "Angaben in 1.000": each was read as
    persons, a thousand times too small."""
    src = tmp_path / "t.csv"
    src.write_text(f"Employment by region and activity, 2021\n{unit}\nregion;industry;employment\n"
                   "R1;C;12,5\nR1;F;3,5\nR2;C;10,0\n", encoding="utf-8")
    out, _ = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert float(csv_rows(out)[0]["employment"]) == 12500


@pytest.mark.parametrize("heading, factor", [("Zaměstnanci (tis. osob)", 1000), ("Populatia ocupata (mii persoane)", 1000),
                                             ("Foglalkoztatottak (ezer fő)", 1000), ("Employment (Mii Group)", 1),
                                             ("Employment (Tisza)", 1)])
def test_thousands_in_measure_headings_of_other_eu_offices(tmp_path, capsys, heading, factor):
    src = tmp_path / "t.csv"
    src.write_text(f"region;industry;year;{heading}\nR1;C;2021;12,5\nR2;C;2021;10,0\n", encoding="utf-8")
    out, _ = run_ok(["ingest", str(src), "-o", "-", "--measure-col", f"employment={heading}"], capsys)
    assert float(csv_rows(out)[0]["employment"]) == 12.5 * factor


def test_a_title_naming_a_thousand_of_something_else_is_no_unit(tmp_path, capsys):
    for title in ("Beschäftigte in 1000 Betrieben", "Employment in manufacturing"):
        src = tmp_path / "t.csv"
        src.write_text(f"Employment by region and activity, 2021\n{title}\nregion;industry;employment\n"
                       "R1;C;12,5\nR2;C;10,0\n", encoding="utf-8")
        out, _ = run_ok(["ingest", str(src), "-o", "-"], capsys)
        assert float(csv_rows(out)[0]["employment"]) == 12.5


def test_nomis_business_counts_size_bands_with_the_total_named(capsys):
    """NOMIS's UK Business Counts download (local units by employment size band across, the
    industry in a title line): refused until the count column is named; then the local units
    of section C, the size bands named as columns not read."""
    code, _, err = _read(capsys, "nomis_ukbc_sizebands.csv")
    assert code == 1 and "no measure column recognised" in err
    code, rows, err = _read(capsys, "nomis_ukbc_sizebands.csv", "--measure-col", "establishments=Total")
    assert code == 0, err
    assert {(r["region"], r["industry"]): float(r["establishments"]) for r in rows} == {
        ("E06000001", "C"): 205, ("E06000002", "C"): 220}
    assert "'Micro (0 to 9)'" in err


def test_statistics_denmark_db07_ten_groups_are_refused_not_read_with_group_10_as_total(capsys):
    """StatBank's DB07 grouping of 10 (codes 1-10 before their names): read with no option,
    group 10 (culture, leisure and other services) was each region's all-industry total,
    silently, and the other groups custom industries named by their whole labels."""
    code, rows, err = _read(capsys, "dst_statbank_branche07_10grp.csv")
    assert code == 1, rows
    assert ("dst_statbank_branche07_10grp.csv:7: column 'BRANCHE07': a custom industry coded 10, clusterid's "
            "code for all industries") in err
    assert err.count("error:") == 1


def test_ssb_pxwebapi_json_stat_codes_and_withheld_null(capsys):
    code, rows, err = _read(capsys, "ssb_07984_jsonstat2.json")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2022", "03", "C10-C33")] == ("", "suppressed")
    assert cells[("2021", "11", "A01-A03")] == ("6012.0", "reported")
    assert cells[("2022", "11", "10")] == ("245678.0", "reported")
    assert {r["region_name"] for r in rows} == {"Oslo", "Rogaland"}


def test_files_joined_with_cat_without_a_final_line_break_name_the_glued_line(capsys):
    """The glued line (a row and the next file's header) was the widest, so it was taken for
    the header: the real header a title, and every row below 'has 4 fields, the header has 7',
    none on line 5.  Now line 5 is named, and why."""
    code, _, err = _read(capsys, "laender_two_exports_cat_no_final_newline.csv")
    assert code == 1
    assert ("laender_two_exports_cat_no_final_newline.csv:5: column 'Beschäftigte': a row and a header on one "
            "line: files joined with cat") in err
    assert "found '212345Land'" in err and err.count("error:") == 1


@pytest.mark.parametrize("name, line, other, sep", [
    ("laender_exports_semicolon_then_comma_cat.csv", 1, ";", ","),
    ("laender_exports_comma_then_semicolon_cat.csv", 5, ";", ",")])
def test_exports_saved_with_two_separators_joined_with_cat_are_refused(capsys, name, line, other, sep):
    """The ';' export above the ',' one: its header and rows were read as title lines, Bayern's
    figures lost without a word (exit 0).  Below it: its rows were dropped as 'note rows under
    the table'.  Either way the other export's header is named now."""
    code, _, err = _read(capsys, name)
    assert code == 1, err
    assert (f"{name}:{line}: the header with its fields separated by {other!r}, the file's by {sep!r}") in err
    assert err.count("error:") == 1


def test_eurostat_sdmx_csv_2_with_labels_name(capsys):
    """Headed by the concepts' names alone, 'Time frequency' and 'Time' were two columns that
    could each be the period (exit 2), then no region or value column was recognised.  Read
    as the IDs they name: the NACE titles as their sections, 'Thousand persons' scaled, the
    confidential cell withheld."""
    code, rows, err = _read(capsys, "nama_10r_3empers_sdmx_csv2_labels_name.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2021", "Burgenland (AT)", "C")] == ("18200.0", "reported")
    assert cells[("2021", "Niederösterreich", "10")] == ("812500.0", "reported")
    assert cells[("2021", "Niederösterreich", "F")] == ("", "suppressed")
    assert len(rows) == 8


def test_a_bracketed_unit_line_no_list_knows_is_warned_of_not_guessed(tmp_path, capsys):
    """A unit line in brackets in a language no list holds (KSH's '(ezer munkahely)', a
    thousand jobs): the figures are read as they stand -- never scaled on a guess -- and a
    warning says so; a date or a year in brackets is no unit and says nothing."""
    src = tmp_path / "t.csv"
    for line, warned in (("(ezer munkahely)", True), ("(Stand: 31.12.)", False), ("(2021)", False),
                         ("(tis. obyv.)", False)):
        src.write_text(f"Employment by region and activity, 2021\n{line}\nregion;industry;employment\n"
                       "R1;C;12,5\nR2;C;10,0\n", encoding="utf-8")
        out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
        assert ("the title line '(ezer munkahely)' is no unit clusterid knows" in err) == warned, err
        assert float(csv_rows(out)[0]["employment"]) == (12500 if line == "(tis. obyv.)" else 12.5)


def test_an_a38_code_outside_istat_columns_is_named_for_what_it_is(tmp_path, capsys):
    """CA in a plain NACE column beside C and C10: the hint said to read the column as NACE
    Rev. 1.1, which makes C mining.  It names CA as the A*38 aggregate C10-C12 first; DA (no
    Rev. 2 aggregate) keeps its Rev. 1.1 hint."""
    src = tmp_path / "a38.csv"
    src.write_text("region,NACE,year,employment\nR1,C,2021,100\nR1,CA,2021,30\nR1,C10,2021,20\n"
                   "R2,C,2021,90\nR2,DA,2021,5\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1
    assert ("found 'CA'); CA is NACE Rev. 2's A*38 aggregate of C10-C12: write it as C10-C12, or read the column "
            "as --classification custom; in a NACE Rev. 1.1 table") in err
    assert "found 'DA'); DA is a NACE Rev. 1.1 subsection (before 2008)" in err
