"""National statistics offices' layouts the readers still got wrong (session 33): each test
names the layout its small file follows (tests/data/layouts33/README.md) and what clusterid did
before."""

from __future__ import annotations

from conftest import TEST_DATA, cell_values as _cells, csv_rows, ingest_stdout as _read, run_main

DATA = TEST_DATA / "layouts33"


# ---- 1. the ABS's "'000" is a unit, never the figure 0

def test_abs_thousands_mark_in_a_figure_cell_is_not_a_zero(capsys):
    """The ABS's unit "'000" in a figure's cell: the apostrophe was dropped as a thousands mark
    (1'234) and the cell read as the number 000, a reported 0 (exit 0).  A group mark counts only
    between digits now: the cell is refused on its line, said to be a unit."""
    code, _rows, err = _read(capsys, DATA / "abs_6291_eq06_unit_in_cell.csv")
    assert code == 1
    assert "abs_6291_eq06_unit_in_cell.csv:5: column \"Employed total ('000)\": a unit, not a figure" in err
    assert "abs_6291_eq06_unit_in_cell.csv:6:" in err and "found \"'000\"" in err


def test_number_cells_never_read_a_unit_as_zero():
    import polars as pl

    from clusterid.io.readers.text import number_expr, number_stages, parse_number

    texts = ["'000", "\u2019000", "000'", "' 000", "$'000", "'0"]
    frame = pl.DataFrame({"c": texts})
    for stage in number_stages("c", "v", currency=True, footnotes=True, bracketed=True):
        frame = frame.with_columns(stage)
    assert frame.get_column("v").null_count() == len(texts)
    assert frame.select(number_expr("c")).to_series().null_count() == len(texts)
    assert [parse_number(t) for t in texts] == [None] * len(texts)
    # groups between digits still read
    assert parse_number("1'234") == 1234 and parse_number("12 345") == 12345


def test_abs_units_row_of_thousands_and_dollars_millions_scales(capsys):
    """ABS 8155.0's data cube saved as CSV: "'000" and "$m" under the headings, keys empty.
    "'000" was read as the figure 0, so the row was no units row: three empty keys and '$m' not
    a number (exit 1).  Now it is the units row: employment x 1,000, wages x 1,000,000."""
    code, rows, err = _read(capsys, DATA / "abs_8155_table4_units_row.csv")
    assert code == 0, err
    assert _cells(rows)[("2022", "Victoria", "C")] == ("271000.0", "reported")
    assert _cells(rows, "wages")[("2022", "Victoria", "C")] == ("19445000000.0", "reported")
    assert "label row under the header giving the units (employment \"'000\" x 1,000; wages '$m' x 1,000,000)" in err


# ---- 7. a table of countries naming one known country: no total of the others

def test_the_one_country_known_below_the_others_sum_is_kept(capsys):
    """Destatis's table of EU countries in German: `Deutschland` is the one name known as a
    country's (Frankreich, Italien, Spanien, Polen are not), so it was dropped as their total,
    2 rows and 15.2 million workers gone, exit 0.  Its figures are below the others' sum
    (7,548,000 < 12,438,000): no total, a country of the table."""
    code, rows, err = _read(capsys, DATA / "destatis_eu_laender_latin1.csv")
    assert code == 0, err
    assert len(rows) == 10 and "region total rows" not in err
    assert _cells(rows)[("2021", "Deutschland", "C")] == ("7548000.0", "reported")


def test_cis_countries_are_countries_not_a_total(capsys):
    """CIS-Stat's table of member countries: of Armenia, Azerbaijan, Kazakhstan, Kyrgyz Republic,
    Moldova and Tajikistan only Kazakhstan was known as a country's name, and it was dropped as
    their total (631,200 workers, exit 0; larger than their sum, so no figures tell).  Their
    names are known now: six countries, none a total."""
    code, rows, err = _read(capsys, DATA / "cisstat_countries_manufacturing.csv")
    assert code == 0, err
    assert len(rows) == 6 and "region total rows" not in err
    assert _cells(rows)[("2021", "Kazakhstan", "C")] == ("631200.0", "reported")


def test_a_country_above_its_regions_is_still_their_total(capsys, tmp_path):
    src = tmp_path / "de.csv"
    src.write_text("Land;WZ;Jahr;Erwerbstätige\nDeutschland;C;2021;1000\nBayern;C;2021;600\n"
                   "Hessen;C;2021;390\n", encoding="utf-8")
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    assert {r["region"] for r in rows} == {"Bayern", "Hessen"} and "1 region total rows" in err


# ---- 6. Turkish, Ukrainian and Indonesian headings

def test_tuik_turkish_headings_are_read(capsys):
    """TÜİK's table by province (`İl kodu;İl;Yıl;Ekonomik faaliyet (NACE Rev.2);Ücretli çalışan
    sayısı;Girişim sayısı`) was 'no region column recognised': `İl` lowercases to i and a
    combining dot, and no Turkish word was known.  Now read, `Türkiye` dropped as the total."""
    code, rows, err = _read(capsys, DATA / "tuik_il_faaliyet_2021.csv")
    assert code == 0, err
    assert _cells(rows)[("2021", "34", "C")] == ("1180556.0", "reported")
    assert _cells(rows, "establishments")[("2021", "35", "F")] == ("11408.0", "reported")
    assert {r["region_name"] for r in rows} == {"Ankara", "İstanbul", "İzmir"}
    assert "2 region total rows" in err


def test_tuik_country_table_keeps_turkiye_below_germany(capsys):
    """TÜİK's international comparison (`Ülke;Faaliyet;Yıl;Çalışan sayısı`): `Türkiye` is the one
    country's name known; its headings named with the options, it was dropped as the total of
    Almanya, Fransa ... (exit 0).  Its figure is below Almanya's: no total, kept."""
    code, rows, err = _read(capsys, DATA / "tuik_ulke_karsilastirma_2021.csv")
    assert code == 0, err
    assert len(rows) == 6 and _cells(rows)[("2021", "Türkiye", "C")] == ("4512380.0", "reported")


def test_ukrstat_ukrainian_headings_are_read(capsys):
    """Ukrstat's cp1251 table (`Область;Вид економічної діяльності;Рік;Кількість працівників;
    Кількість підприємств`) was 'no industry column recognised'."""
    code, rows, err = _read(capsys, DATA / "ukrstat_oblast_kved_2021_cp1251.csv")
    assert code == 0, err
    assert _cells(rows)[("2021", "Львівська", "C")] == ("83624.0", "reported")
    assert _cells(rows, "establishments")[("2021", "Київська", "10")] == ("16433.0", "reported")
    assert "2 region total rows" in err  # Україна


def test_bps_indonesian_headings_are_read(capsys):
    """BPS's table (`Provinsi,Lapangan Usaha,Tahun,Jumlah Perusahaan,Jumlah Tenaga Kerja`) was
    'no region column recognised'."""
    code, rows, err = _read(capsys, DATA / "bps_provinsi_kbli_2021.csv")
    assert code == 0, err
    assert _cells(rows)[("2021", "JAWA BARAT", "C")] == ("1782905.0", "reported")
    assert _cells(rows, "establishments")[("2021", "ACEH", "C")] == ("187.0", "reported")
    assert "1 region total rows" in err  # INDONESIA


def test_heading_words_of_the_three_languages():
    from clusterid.io.readers.generic_headings import role_of

    assert [role_of(h) for h in ("İl", "İl kodu", "İl adı", "Yıl", "Faaliyet", "Çalışan sayısı",
                                 "Girişim sayısı")] == [
        "region", "region_code", "region_name", "period", "industry", "employment", "establishments"]
    assert [role_of(h) for h in ("Регіон", "Рік", "Вид економічної діяльності", "Кількість працівників",
                                 "Фонд оплати праці", "Назва регіону")] == [
        "region", "period", "industry", "employment", "wages", "region_name"]
    assert [role_of(h) for h in ("Provinsi", "Kabupaten/Kota", "Kode Provinsi", "Tahun", "Lapangan Usaha",
                                 "Jumlah Tenaga Kerja", "Upah dan Gaji",
                                 "Penduduk 15 Tahun ke Atas yang Bekerja")] == [
        "region", "region", "region_code", "period", "industry", "employment", "wages", "employment"]


# ---- 3. the ABS Data Explorer's SDMX-CSV: financial years as the year they end

def test_abs_sdmx_csv_financial_years_read_as_the_year_they_end(capsys):
    """The ABS Data Explorer's CSV (DATAFLOW `ABS:...`, TIME_PERIOD `2018-19`): the ABS workbooks'
    rule read `2018-19` as 2019, but no title names the ABS in an SDMX-CSV, so it was refused as
    a fiscal year.  Now read as the year it ends, said on stderr."""
    code, rows, err = _read(capsys, DATA / "abs_data_explorer_industry_fy.csv", "--classification", "custom")
    assert code == 0, err
    assert _cells(rows)[("2019", "2", "C")] == ("271000.0", "reported")
    assert {r["period"] for r in rows} == {"2019", "2020"}
    assert "financial years (July to June, the ABS's) read as the year they end: 2018-19 -> 2019" in err


def test_a_fiscal_year_of_another_dataflow_stays_refused(capsys, tmp_path):
    src = tmp_path / "estat.csv"
    text = (DATA / "abs_data_explorer_industry_fy.csv").read_text(encoding="utf-8")
    src.write_text(text.replace("ABS:AUSTRALIAN_INDUSTRY", "ESTAT:SBS_R"), encoding="utf-8")
    code, _rows, err = _read(capsys, src, "--classification", "custom")
    assert code == 1 and "a fiscal year, not a calendar period" in err


# ---- 2. Stats NZ Infoshare: two variables across, heading cells repeated

def test_infoshare_regions_over_industries_are_read(capsys):
    """Infoshare repeats each region over its industries' columns: refused as 'duplicate column
    heading' (exit 1), which named no layout.  Now the long table it stands for; ANZSIC's letters
    need --classification custom as elsewhere, `..C` is suppressed, the national row a total."""
    code, rows, err = _read(capsys, DATA / "statsnz_infoshare_bds_region_industry.csv", "--classification", "custom")
    assert code == 0, err
    cells = _cells(rows)
    assert len(rows) == 18
    assert cells[("2021", "Auckland Region", "E")] == ("71220.0", "reported")
    assert cells[("2022", "Northland Region", "10")] == ("62110.0", "reported")
    assert cells[("2022", "Northland Region", "E")] == ("", "suppressed")
    assert "2 region total rows" in err and "note rows under the table" in err
    code, _rows, err = _read(capsys, DATA / "statsnz_infoshare_bds_region_industry.csv")
    assert code == 1 and "ANZSIC's letters?" in err  # E Construction is no NACE E


def test_infoshare_industries_over_regions_are_read(capsys):
    code, rows, err = _read(capsys, DATA / "statsnz_infoshare_bds_industry_region.csv")
    assert code == 0, err
    assert _cells(rows, "establishments")[("2023", "Waikato Region", "F")] == ("4955.0", "reported")
    assert len(rows) == 12


# ---- 8. columns hidden in an xlsx sheet: said where they are read

def test_a_hidden_year_column_in_xlsx_is_said(capsys, tmp_path):
    """A Land office's table of Kreise, the years across, its 2019 column hidden (Excel's
    `<col hidden="1">`): its figures were read as the others without a word (hidden rows were
    said since session 30).  Now a warning names it with its letter, in the metadata too."""
    import json

    out = tmp_path / "k.csv"
    code, _out, err = run_main(["ingest", str(DATA / "destatis_kreise_hidden_column.xlsx"), "-o", str(out)], capsys)
    assert code == 0, err
    assert "1 column(s) hidden in the sheet were read as the others: '2019' (column D)" in err
    meta = json.loads((tmp_path / "k.csv.meta.json").read_text(encoding="utf-8"))
    assert any("'2019' (column D)" in n for n in meta["warnings"]), meta["warnings"]
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert len(rows) == 18 and _cells(rows)[("2019", "09171", "F")] == ("2301.0", "reported")


def test_hidden_columns_of_an_xlsx_sheet():
    from clusterid.io.readers import excel

    data = (DATA / "destatis_kreise_hidden_column.xlsx").read_bytes()
    assert excel.hidden_columns(data, "Kreise") == [3]
    assert [excel.column_letters(j) for j in (0, 3, 25, 26, 27, 701, 702)] == ["A", "D", "Z", "AA", "AB", "ZZ", "AAA"]
    plain = TEST_DATA / "left32" / "kz_oblast_oked_2022_helper_formula.xlsx"
    assert "hidden_columns" not in excel.read_rows(str(plain), plain.read_bytes(), defer_uncached=True)[2]


# ---- 5. OECD.Stat's IND codes beside their Industry labels

def test_oecdstat_ind_codes_and_labels_are_read_together(capsys):
    """OECD.Stat's CSV export gives the regional database's activity as a code (`IND`: VB_E,
    VG_I, VC, VTOT) and a label (`Industry`).  The codes were no industry codes, so the two were
    'columns that could each be the industry' (exit 2, --industry-col asked).  A V before NACE
    sections or a range of them: read as the codes (B-E, G-I), the labels their names."""
    code, rows, err = _read(capsys, DATA / "oecdstat_regional_emp_ind_ranges.csv")
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["industry_name"], r["employment"]) for r in rows}
    assert got[("AT12", "B-E")] == ("Industry (including energy)", "150300.0")
    assert got[("AT11", "G-I")][1] == "12100.0"
    assert "could each be the industry" not in err


def test_oecd_activity_codes():
    from clusterid.io.readers.generic import _oecd_activity_column

    assert _oecd_activity_column(["VC", "VB_E", "VTOT"])
    assert not _oecd_activity_column(["VTOT"]) and not _oecd_activity_column(["C", "VC"])


# ---- 4. CBS StatLine in English, and with its periods across

def test_statline_english_export_is_read_with_its_provisional_year(capsys):
    """StatLine's English CSV (`Economic activity (SBI 2008);Regions;Periods;Employee jobs (x 1
    000)`): `Periods` was no period heading ('no period column recognised').  Now read, its
    `2023*` StatLine's provisional year (flag p), as under the Dutch `Perioden`."""
    code, rows, err = _read(capsys, DATA / "cbs_statline_en_sbi_regions.csv")
    assert code == 0, err
    assert _cells(rows)[("2022", "Friesland (PV)", "C")] == ("52700.0", "reported")
    flags = {(r["period"], r["region"], r["industry"]): r["employment_flag"] for r in rows}
    assert flags[("2023", "Groningen (PV)", "F")] == "p" and flags[("2022", "Groningen (PV)", "F")] == ""


def test_statline_periods_across_keep_the_provisional_star(capsys):
    """StatLine's table pivoted with its periods across (the topic `Banen van werknemers (x 1
    000)` over `2021;2022;2023*`): read, but `2023*` as a bare 2023, its provisional figures
    reported without a flag or a word.  Now flagged p and said, as in the long export."""
    code, rows, err = _read(capsys, DATA / "cbs_statline_periods_across.csv")
    assert code == 0, err
    flags = {(r["period"], r["region"], r["industry"]): (r["employment"], r["employment_flag"]) for r in rows}
    assert flags[("2023", "Groningen (PV)", "C")] == ("41900.0", "p")
    assert flags[("2022", "Groningen (PV)", "C")] == ("41200.0", "")


# ---- round 2, 1. a unit in a figure's cell is said to be one

def test_unit_in_a_figure_cell_is_said_to_be_a_unit(capsys, tmp_path):
    """"'000", "$m", "тыс." typed in a figure's cell were "not a number" with a hint to change
    --decimal/--thousands, which make no number of a unit: the message says it is a unit, on its
    line and column, and where a unit goes."""
    src = tmp_path / "units.csv"
    src.write_text("region,industry,year,employment\nA,C,2020,100\nB,C,2020,'000\n"
                   "A,F,2020,$m\nB,F,2020,тыс.\nC,F,2020,Tsd.\n", encoding="utf-8")
    code, _rows, err = _read(capsys, src)
    assert code == 1
    lines = [ln for ln in err.splitlines() if "a unit, not a figure" in ln]
    assert [ln.split(": column")[0].rsplit(":", 1)[1] for ln in lines] == ["3", "4", "5", "6"]
    assert all("column 'employment'" in ln and "heading" in ln and "units row" in ln for ln in lines)
    assert "--decimal" not in "".join(lines)


def test_unit_in_cell_takes_units_not_words():
    from clusterid.io.readers.generic_post import unit_in_cell

    assert all(unit_in_cell(t) for t in ["'000", "$'000", "$m", "£m", "тыс.", "тис.", "Tsd.", "thousands", "€"])
    assert not any(unit_in_cell(t) for t in ["", "n/a", "Number", "Persons", "1000", "12a", "Thousand Oaks"])


# ---- round 2, 2. CIS-Stat's "Employed population" is employment

def test_employed_population_headings_are_employment(capsys, tmp_path):
    """CIS-Stat's English "Employed population, thousand persons" (and "Occupied population",
    "Population in employment") was refused as 'no measure column recognised' for its word
    "population"; "Employment-population ratio" and "Employment ratio" are no measure (the latter was read as employment)."""
    src = tmp_path / "cisstat.csv"
    src.write_text('Country,Kind of economic activity,Year,"Employed population, thousand persons"\n'
                   "Armenia,C,2022,120.5\nArmenia,F,2022,60.1\nKyrgyzstan,C,2022,230.0\n"
                   "Kyrgyzstan,F,2022,190.2\n", encoding="utf-8")
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    assert _cells(rows)[("2022", "Armenia", "C")] == ("120500.0", "reported")
    from clusterid.io.readers.generic_headings import role_of

    for head in ("Employed population", "Occupied population", "Population employed",
                 "Population in employment", "Employed population aged 15-72"):
        assert role_of(head) == "employment", head
    for head in ("Population", "Unemployed population", "Economically active population",
                 "Employment-population ratio", "Employment to population ratio", "Employment ratio"):
        assert role_of(head) is None, head


# ---- round 2, 3. Ukrainian (KVED 2010) and Turkish section titles without codes

def test_ukrstat_and_tuik_section_titles_are_nace_sections(capsys):
    """Ukrstat's KVED 2010 and TÜİK's NACE Rev. 2 sections listed by title alone were kept as
    custom industries (their titles the codes, no level, exit 0), as Russian titles are not:
    now the sections they name, said on stderr."""
    code, rows, err = _read(capsys, DATA / "ukrstat_kved_titles.csv")
    assert code == 0, err
    got = {r["industry_name"]: (r["industry"], r["classification"], r["level"])
           for r in rows if r["region"] == "Київська"}
    assert got["Промисловість"] == ("B-E", "NACE", "1")
    assert got["Будівництво"] == ("F", "NACE", "1")
    assert got["Сільське, лісове та рибне господарство"] == ("A", "NACE", "1")
    assert got["Переробна промисловість"] == ("C", "NACE", "1")
    assert "read as the NACE sections they name" in err
    code, rows, err = _read(capsys, DATA / "tuik_nace_titles.csv")
    assert code == 0, err
    assert {r["industry_name"]: r["industry"] for r in rows if r["region"] == "Ankara"} == {
        "Sanayi": "B-E", "İmalat": "C", "İnşaat": "F", "Tarım, ormancılık ve balıkçılık": "A"}


def test_ukrainian_and_turkish_section_titles_each_name_one_section():
    from clusterid.core.codes import section_of_title

    ukrainian = {
        "A": "Сільське господарство, лісове господарство та рибне господарство",
        "B": "Добувна промисловість і розроблення кар'єрів", "C": "Переробна промисловість",
        "D": "Постачання електроенергії, газу, пари та кондиційованого повітря",
        "E": "Водопостачання; каналізація, поводження з відходами", "F": "Будівництво",
        "G": "Оптова та роздрібна торгівля; ремонт автотранспортних засобів і мотоциклів",
        "H": "Транспорт, складське господарство, поштова та кур'єрська діяльність",
        "I": "Тимчасове розміщування й організація харчування", "J": "Інформація та телекомунікації",
        "K": "Фінансова та страхова діяльність", "L": "Операції з нерухомим майном",
        "M": "Професійна, наукова та технічна діяльність",
        "N": "Діяльність у сфері адміністративного та допоміжного обслуговування",
        "O": "Державне управління й оборона; обов'язкове соціальне страхування", "P": "Освіта",
        "Q": "Охорона здоров'я та надання соціальної допомоги",
        "R": "Мистецтво, спорт, розваги та відпочинок", "S": "Надання інших видів послуг",
        "T": "Діяльність домашніх господарств", "U": "Діяльність екстериторіальних організацій і органів",
        "B-E": "Промисловість"}
    turkish = {
        "A": "Tarım, ormancılık ve balıkçılık", "B": "Madencilik ve taş ocakçılığı", "C": "İmalat",
        "D": "Elektrik, gaz, buhar ve iklimlendirme üretimi ve dağıtımı",
        "E": "Su temini; kanalizasyon, atık yönetimi ve iyileştirme faaliyetleri", "F": "İnşaat",
        "G": "Toptan ve perakende ticaret; motorlu kara taşıtlarının ve motosikletlerin onarımı",
        "H": "Ulaştırma ve depolama", "I": "Konaklama ve yiyecek hizmeti faaliyetleri",
        "J": "Bilgi ve iletişim", "K": "Finans ve sigorta faaliyetleri", "L": "Gayrimenkul faaliyetleri",
        "M": "Mesleki, bilimsel ve teknik faaliyetler", "N": "İdari ve destek hizmet faaliyetleri",
        "O": "Kamu yönetimi ve savunma; zorunlu sosyal güvenlik", "P": "Eğitim",
        "Q": "İnsan sağlığı ve sosyal hizmet faaliyetleri", "R": "Kültür, sanat, eğlence, dinlence ve spor",
        "S": "Diğer hizmet faaliyetleri", "U": "Ülke dışı örgütler ve temsilciliklerinin faaliyetleri",
        "B-E": "Sanayi"}
    for titles in (ukrainian, turkish):
        assert {k: section_of_title(t) for k, t in titles.items()} == {k: k for k in titles}


# ---- round 2, 4. unseen layouts of big offices

def test_ine_inebase_csv_total_nacional_column(capsys):
    """INEbase's ';' CSV heads its first column by its one value, "Total Nacional" on every row:
    the first row under the header was refused as 'a header line different from the file's
    header' (files joined with cat).  The nation's rows leave the comunidad empty: now they are
    the nation (a region total, dropped and counted), the comunidades read by code and name,
    2023T2 a quarter, CNAE-2009 sections by their letters."""
    code, rows, err = _read(capsys, DATA / "ine_epa_ocupados_ccaa_cnae.csv", "--measure-col", "employment=Total")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2023Q2", "01", "C")] == ("260.4", "reported")
    assert cells[("2023Q1", "13", "F")] == ("189.9", "reported")
    assert {r["region_name"] for r in rows} == {"Andalucía", "Madrid, Comunidad de"}
    assert "3 region total rows" in err and "header line different" not in err


def test_stat_uz_tables_in_uzbek_cyrillic_and_latin(capsys, tmp_path):
    """stat.uz's headings in Uzbek (Ҳудудлар / Hududlar, Иқтисодий фаолият турлари, Band aholi
    soni) were 'no region column recognised' (exit 2).  Now: the regions, the sections by their
    Uzbek titles (Саноат B-E, Қурилиш F), Жами / Jami the total, the country's row a region
    total (dropped and counted), the title's "(минг киши)" thousands."""
    code, rows, err = _read(capsys, DATA / "statuz_cyrillic_regions_activities.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2023", "Андижон вилояти", "B-E")] == ("152100.0", "reported")
    assert cells[("2022", "Тошкент ш.", "F")] == ("110100.0", "reported")
    assert {r["region"] for r in rows} == {"Андижон вилояти", "Тошкент ш.", "Қорақалпоғистон Республикаси"}
    assert "3 region total rows" in err
    code, rows, err = _read(capsys, DATA / "statuz_latin_regions_activities.csv")
    assert code == 0, err
    assert "O'zbekiston Respublikasi" not in {r["region"] for r in rows}
    assert {r["industry"] for r in rows} == {"B-E", "F", "10"} and "Sanoat = B-E" in err
    src = tmp_path / "uz.csv"
    src.write_text('Hududlar,Iqtisodiy faoliyat turlari,Yil,"Band aholi soni, ming kishi"\n'
                   "Andijon viloyati,Sanoat,2023,152.1\nAndijon viloyati,Qurilish,2023,101.0\n"
                   "Toshkent sh.,Sanoat,2023,205.5\nToshkent sh.,Qurilish,2023,112.0\n", encoding="utf-8")
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    assert _cells(rows)[("2023", "Toshkent sh.", "F")] == ("112000.0", "reported")


def test_stat_kg_tables_in_russian_and_kyrgyz(capsys):
    """stat.kg in Russian was read (a guard); in Kyrgyz its headings (Аймактар, Экономикалык
    ишмердүүлүктүн түрү) were 'no region column recognised' (exit 2).  Now: the oblasts and
    Бишкек ш., the sections by their Kyrgyz titles, Бардыгы the total, Кыргыз Республикасы a
    region total, "(миң киши)" thousands."""
    code, rows, err = _read(capsys, DATA / "statkg_russian_regions_activities.csv")
    assert code == 0, err
    assert _cells(rows)[("2022", "г. Бишкек", "F")] == ("62200.0", "reported")
    assert "Кыргызская Республика" not in {r["region"] for r in rows}
    code, rows, err = _read(capsys, DATA / "statkg_kyrgyz_regions_activities.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2022", "Чүй облусу", "C")] == ("61000.0", "reported")
    assert cells[("2021", "Бишкек ш.", "B-E")] == ("80200.0", "reported")
    assert cells[("2021", "Бишкек ш.", "10")] == ("500300.0", "reported")
    assert {r["region"] for r in rows} == {"Чүй облусу", "Бишкек ш."} and "4 region total rows" in err
