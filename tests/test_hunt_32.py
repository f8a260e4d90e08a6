"""Files in layouts earlier hunts did not cover (session 32): each test names the real source
whose layout its made-up input follows (tests/data/hunt32/README.md) and checks what clusterid
read against the file by a computation of its own, or that the file is refused in one located
line that says what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import cell_values as _cells, csv_rows, ingest_stdout, run_main

DATA = Path(__file__).parent / "data" / "hunt32"


def _read(capsys, name: str, *options: str):
    return ingest_stdout(capsys, DATA / name, *options)


def _lq(capsys, name: str, *options: str):
    code, out, err = run_main(["lq", str(DATA / name), "-o", "-", *options], capsys)
    assert code == 0, err
    return {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}


# ---- PxWebApi's JSON-stat answers: an aggregate's code with a "+" (SCB's A-U+US)

@pytest.mark.parametrize("name", ["scb_am0207_pxwebapi_jsonstat1.json", "scb_am0207_pxwebapi_jsonstat2.json"])
def test_pxweb_jsonstat_all_industries_code_with_plus_is_the_total(capsys, name):
    """Statistics Sweden's PxWebApi answers in JSON-stat (1.x and 2.0), its all-industries
    member coded `A-U+US`.  A JSON-stat cell is read as `code:label`, split only where every
    cell's code was letters, digits, `_ . -`: the `+` left the whole column unsplit, each
    industry a custom one named `A-U+US:all industries`, `C:manufacturing` -- the total summed
    as one more industry, exit 0.  Now the codes are the NACE codes they are and A-U+US is all
    industries."""
    code, rows, err = _read(capsys, name)
    assert code == 0, err
    # the file's value array, row-major over Region (01, 03) x SNI2007 (A-U+US, C, F) x Tid
    values = [1301250, 1318740, 80412, 81033, 70125, 71560, 200310, 204875, 25104, 25530, 15036, None]
    want, k = {}, 0
    for region in ("01", "03"):
        for industry in ("10", "C", "F"):
            for year in ("2021", "2022"):
                v = values[k]
                want[(year, region, industry)] = (f"{v:.1f}", "reported") if v is not None else ("", "suppressed")
                k += 1
    assert _cells(rows) == want
    assert {r["classification"] for r in rows} == {"NACE"}
    assert {r["industry_name"] for r in rows if r["industry"] == "10"} == {"all industries"}
    lq = _lq(capsys, name, "--period", "2021")
    # Stockholm's manufacturing: (80412 / 1301250) / ((80412 + 25104) / (1301250 + 200310)),
    # the published totals the denominators, not the sum of C and F
    assert float(lq[("2021", "01", "C")]["lq"]) == pytest.approx(
        (80412 / 1301250) / ((80412 + 25104) / (1301250 + 200310)), rel=1e-6)


# ---- TÜİK: the total in two languages, and the country's row above its provinces

def test_tuik_bilingual_total_is_all_industries(capsys):
    """TÜİK's tables are bilingual, the total written `Toplam-Total`: it was kept as an
    industry without a code, and each region's total in `lq` was the sum of its sections
    (B-E + F) instead of the published one -- Istanbul's B-E LQ 0.998 where the published
    totals give 1.023, exit 0."""
    code, rows, err = _read(capsys, "tuik_ibbs3_nace_bilingual_cp1254.csv")
    assert code == 0, err
    assert _cells(rows) == {
        ("2022", "TR100", "10"): ("5012345.0", "reported"), ("2022", "TR100", "B-E"): ("1250321.0", "reported"),
        ("2022", "TR100", "F"): ("301234.0", "reported"), ("2022", "TR510", "10"): ("1801234.0", "reported"),
        ("2022", "TR510", "B-E"): ("320123.0", "reported"), ("2022", "TR510", "F"): ("98765.0", "reported"),
        ("2022", "TR310", "10"): ("1102456.0", "reported"), ("2022", "TR310", "B-E"): ("360012.0", "reported"),
        ("2022", "TR310", "F"): ("61234.0", "reported")}
    assert "without a code" not in err
    lq = _lq(capsys, "tuik_ibbs3_nace_bilingual_cp1254.csv")
    totals = 5012345 + 1801234 + 1102456
    assert float(lq[("2022", "TR100", "B-E")]["region_total"]) == 5012345
    assert float(lq[("2022", "TR100", "B-E")]["lq"]) == pytest.approx(
        (1250321 / 5012345) / ((1250321 + 320123 + 360012) / totals), rel=1e-6)


def test_bilingual_totals_words():
    from clusterid.core.codes import is_total

    for total in ("Toplam-Total", "Toplam / Total", "Toplam\nTotal", "Барлығы / Всего", "Toplam"):
        assert is_total(total), total
    for other in ("Total - Manufacturing", "B-E", "C-F", "Toplam-Sanayi"):
        assert not is_total(other), other


def test_tuik_turkiye_row_is_the_country_not_a_province(capsys):
    """TÜİK's English table by province with `Türkiye` on top: `Türkiye` was read as one more
    province (exit 0), and every sum over the regions counted the country twice (its B-E
    1,930,456 beside the provinces' 1,930,456).  Now it is the region total, dropped and
    counted like `Deutschland`; lq's benchmark is the provinces' sum."""
    code, rows, err = _read(capsys, "tuik_provinces_turkiye_row_cp1254.csv")
    assert code == 0, err
    assert {r["region"] for r in rows} == {"İstanbul", "Ankara", "İzmir"}
    assert "2 region total rows" in err
    kept = _read(capsys, "tuik_provinces_turkiye_row_cp1254.csv", "--keep-region-totals")[1]
    assert {r["region_level"] for r in kept if r["region"] == "Türkiye"} == {"nation"}
    lq = _lq(capsys, "tuik_provinces_turkiye_row_cp1254.csv")
    assert ("2022", "Türkiye", "F") not in lq
    assert float(lq[("2022", "Ankara", "F")]["benchmark_total"]) == 1930456 + 461233


# ---- India's ASI: money in lakh

def test_asi_lakh_is_scaled_and_factories_are_establishments(capsys, tmp_path):
    """MoSPI's Annual Survey of Industries by state and NIC 2008 division heads its money
    `(Rs. Lakh)`: a lakh is 100,000 rupees.  Gross value added was read as output in rupees,
    100,000 times too small, exit 0; `NIC 2008 (2-digit)` was no industry heading and `No. of
    Factories` no measure; the `All India` rows below the states were one more state.  Now
    output is scaled by 1e5, the NIC divisions are NACE's (ISIC Rev. 4), the factories the
    establishments and All India the states' total."""
    code, rows, err = _read(capsys, "asi_2019_20_state_nic2_lakh.csv", "--period", "2020")
    assert code == 0, err
    got = {(r["region"], r["industry"]): (float(r["output"]), float(r["employment"]), float(r["establishments"]))
           for r in rows}
    # the file's figures, by hand: GVA (Rs. Lakh) x 100,000, persons engaged, factories
    assert got == {
        ("Gujarat", "C10"): (pytest.approx(1024530.2e5), 198532, 3012),
        ("Gujarat", "C13"): (pytest.approx(905321.8e5), 243010, 2450),
        ("Gujarat", "10"): (pytest.approx(20453210.5e5), 2095321, 28479),
        ("Tamil Nadu", "C10"): (pytest.approx(853210.4e5), 254011, 5630),
        ("Tamil Nadu", "C13"): (pytest.approx(1120345.6e5), 401220, 4421),
        ("Tamil Nadu", "10"): (pytest.approx(18453120.1e5), 2620345, 38837)}
    table = tmp_path / "asi.csv"
    assert run_main(["ingest", str(DATA / "asi_2019_20_state_nic2_lakh.csv"), "-o", str(table),
                     "--period", "2020"], capsys)[0] == 0
    assert "3 region total rows" in err  # All India, below the states
    lq = _lq(capsys, str(table), "--measure", "output")
    assert float(lq[("2020", "Gujarat", "C13")]["lq"]) == pytest.approx(
        (905321.8 / 20453210.5) / ((905321.8 + 1120345.6) / (20453210.5 + 18453120.1)), rel=1e-6)


def test_lakh_and_crore_headings():
    from clusterid.io.readers.generic_post import heading_indian_multiple, unit_factor

    assert heading_indian_multiple("Gross Value Added (Rs. Lakh)") == 1e5
    assert heading_indian_multiple("Total Output (₹ crore)") == 1e7
    assert heading_indian_multiple("Wages (Rs. in lacs)") == 1e5
    assert heading_indian_multiple("Output (Rs. Cr.)") == 1e7
    assert heading_indian_multiple("Emplois Lac-Saint-Jean") is None
    assert unit_factor("Rs. in Lakh") == 1e5 and unit_factor("₹ crore") == 1e7


# ---- the World Bank's WDI CSV: every line ends in a comma

def test_wdi_csv_refused_for_what_it_lacks_not_for_its_first_lines(capsys):
    """The WDI CSV (`API_SL.IND.EMPL.ZS_DS2_en_csv_v2.csv`) ends every line with a comma, so no
    row had the header's width and the retry without 'notes below the table' took every line
    from `"Data Source"` down for notes: the file was read again as its first two lines and
    refused for them, `no data rows under the header (found 'Data Source, World Development
    Indicators')`, and with `--skip-rows 4` as `--skip-rows 4 skips the whole file`.  Now it
    is refused on its header for what it lacks (a share by country, no industry column)."""
    for options in ((), ("--skip-rows", "4")):
        code, _rows, err = _read(capsys, "API_SL.IND.EMPL.ZS_DS2_en_csv_v2_excerpt.csv", *options)
        assert code == 1
        assert ":5: no industry column recognised" in err, err
        assert "Data Source" not in err and "skips the whole file" not in err


# ---- CBS StatLine: quarters in Dutch, a classification's year in the title

def test_statline_quarters_and_sbi_edition(capsys):
    """CBS StatLine's CSV writes a quarter `2023 1e kwartaal` (English `2023 1st quarter`): it
    was refused on every row as no period.  Its title names `(SBI 2008)`, the classification's
    edition, which was warned of as a year over the table's own periods."""
    code, rows, err = _read(capsys, "cbs_statline_banen_sbi2008_quarters.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2023Q1", "Groningen (PV)", "C")] == ("28100.0", "reported")  # (x 1 000)
    assert cells[("2023Q2", "Utrecht (PV)", "10")] == ("715200.0", "reported")
    assert cells[("2023Q2", "Groningen (PV)", "F")] == ("", "suppressed")
    assert len(cells) == 12
    assert "names 2008" not in err
    lq = _lq(capsys, "cbs_statline_banen_sbi2008_quarters.csv", "--period", "2023Q1")
    assert float(lq[("2023Q1", "Utrecht (PV)", "C")]["lq"]) == pytest.approx(
        (35.5 / 711.2) / ((28.1 + 35.5) / (268.4 + 711.2)), rel=1e-6)


# ---- OECD.Stat's CSV export: code and label columns, PowerCode, territory levels

def test_oecdstat_export_levels_powercode_and_total(capsys, tmp_path):
    """OECD.Stat's export of the regional database gives each dimension as a code and a label
    column.  Read with `--industry-col Industry` (as the refusal of IND beside Industry asks),
    the persons in thousands (`PowerCode Code` 3) were read as persons, a thousand times too
    few; the TL3 region Vienna (inside East Austria, TL2) was a region of the same level as
    the TL2 regions, summed with the region holding it; `Total activity` was one more industry
    beside manufacturing and construction -- all exit 0."""
    name = "oecdstat_regional_employment_ind_tl2_tl3.csv"
    code, coded, err = _read(capsys, name)  # (IND read as the codes since session 33: tests/test_layouts_33.py)
    assert code == 0, err
    code, rows, err = _read(capsys, name, "--industry-col", "Industry")
    assert [(r["industry"], r["employment"]) for r in coded] == [(r["industry"], r["employment"]) for r in rows]
    assert code == 0, err
    # the file's Value x 10**3, each region by its REG_ID at its territory level
    want = {("AUT", "country"): (4301.2, 620.3, 301.0), ("AT1", "tl2"): (1850.3, 201.4, 120.2),
            ("AT2", "tl2"): (830.1, 160.5, 70.3), ("AT130", "tl3"): (1100.2, 80.1, 60.4)}
    got = {(r["region"], r["region_level"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {(reg, lvl, ind): pytest.approx(v * 1e3)
                   for (reg, lvl), vals in want.items() for ind, v in zip(("10", "C", "F"), vals)}
    assert {r["region_name"] for r in rows if r["region"] == "AT130"} == {"Vienna"}
    code, rows, err = _read(capsys, name, "--industry-col", "Industry", "--region-level", "tl2")
    assert code == 0 and {r["region"] for r in rows} == {"AT1", "AT2"}
    table = tmp_path / "oecd.csv"
    assert run_main(["ingest", str(DATA / name), "-o", str(table), "--industry-col", "Industry"], capsys)[0] == 0
    lq = _lq(capsys, str(table))
    # South Austria's manufacturing among the TL2 regions alone (Vienna, TL3, apart)
    assert float(lq[("2020", "AT2", "C")]["lq"]) == pytest.approx(
        (160.5 / 830.1) / ((201.4 + 160.5) / (1850.3 + 830.1)), rel=1e-6)


# ---- the total in the other European languages

def test_ksh_osszesen_column_is_the_total(capsys):
    """KSH's STADAT table has its total, `Összesen`, across beside the coded sections: it was
    named as a column not read, and each county's total in `lq` was the sum of C and F."""
    code, rows, err = _read(capsys, "ksh_stadat_megyek_nace_across_cp1250.csv",
                            "--region-col", "Terület", "--period-col", "Év")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2022", "Budapest", "10")] == ("1102345.0", "reported")
    assert cells[("2022", "Pest", "C")] == ("90456.0", "reported")
    assert len(cells) == 9 and "column not read" not in err


def test_dzs_ukupno_among_titles_is_the_total_not_an_industry(capsys):
    """A Croatian DZS table lists its sections by title, no codes, and the total `Ukupno`:
    read as custom industries, `Ukupno` was one of them, every county's total the sum of its
    sections and itself (twice the published one), exit 0."""
    code, rows, err = _read(capsys, "dzs_zupanije_djelatnost_titles_cp1250.csv", "--region-col", "Županija",
                            "--period-col", "Godina", "--measure-col", "employment=Zaposleni")
    assert code == 0, err
    assert _cells(rows)[("2022", "Grad Zagreb", "10")] == ("420123.0", "reported")
    assert {r["industry"] for r in rows} == {"10", "Građevinarstvo", "Prerađivačka industrija"}


@pytest.mark.parametrize("word", ["Totaal", "Razem", "Összesen", "Kokku", "Kopā", "Iš viso", "Ukupno",
                                  "Skupaj", "Общо", "Σύνολο", "Whole economy", "Total activity",
                                  "Grand Total", "Jumlah", "T001081 "])
def test_total_words_of_other_offices(word):
    from clusterid.core.codes import is_total

    assert is_total(word)


# ---- ONS regional accounts: the unit after the title's colon, the United Kingdom's rows

def test_ons_regional_gva_title_unit_and_uk_rows(capsys):
    """ONS's regional GVA table says its unit at the end of its title, after a colon (`...:
    £ million`): the figures were read as pounds, a million times too small; and `United
    Kingdom` above its ITL1 regions was one more region, summed with them (exit 0)."""
    name = "ons_regional_gva_itl1_table1b_gbp_million.csv"
    code, rows, err = _read(capsys, name)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): float(r["output"]) for r in rows}
    assert {k[1] for k in got} == {"TLC", "TLD", "TLM"}
    assert got[("2021", "TLD", "C")] == pytest.approx(23456e6)
    assert got[("2020", "TLM", "10")] == pytest.approx(150112e6)
    assert "4 region total rows" in err
    lq = _lq(capsys, name, "--period", "2021")
    # North West's manufacturing among the three regions (the UK's row out of the benchmark)
    assert float(lq[("2021", "TLD", "C")]["lq"]) == pytest.approx(
        (23456 / 189012) / ((8403 + 23456 + 15602) / (58789 + 189012 + 161234)), rel=1e-6)


# ---- PxWebApi's own JSON (v1's default format)

def test_pxwebapi_json_answer_is_read(capsys):
    """PxWebApi v1 answers in its own JSON unless asked otherwise (`columns`, `data` with each
    row's `key` codes and `values`): it was refused as 'a JSON file that is no JSON-stat
    dataset'.  Now it is read as the table it stands for, headed by the columns' texts; its
    content `Gainfully employed persons 16+ years` is employment (the `16+ years` an age, not a
    second period column beside `year`, which refused the table as two periods)."""
    code, rows, err = _read(capsys, "scb_am0207_pxwebapi_json.json")
    assert code == 0, err
    assert _cells(rows) == {
        ("2022", "01", "10"): ("1318740.0", "reported"), ("2022", "01", "C"): ("81033.0", "reported"),
        ("2022", "01", "F"): ("71560.0", "reported"), ("2022", "03", "10"): ("204875.0", "reported"),
        ("2022", "03", "C"): ("25530.0", "reported"), ("2022", "03", "F"): ("", "suppressed")}
    lq = _lq(capsys, "scb_am0207_pxwebapi_json.json")
    assert float(lq[("2022", "01", "C")]["lq"]) == pytest.approx(
        (81033 / 1318740) / ((81033 + 25530) / (1318740 + 204875)), rel=1e-6)


def test_an_age_in_years_is_no_period_heading():
    from clusterid.io.readers.generic_headings import role_of

    assert role_of("Employed persons 16+ years") == "employment"
    assert role_of("Sysselsatte 15-74 år") != "period"
    assert role_of("year") == "period" and role_of("Years") == "period"


# ---- a spreadsheet's pivot table saved as CSV

def test_excel_pivot_grand_total_is_the_total(capsys):
    """Excel's pivot table saved as CSV has a `Grand Total` column and row: the column was
    refused as 'not an industry code', and the row was one more region where it was read."""
    code, rows, err = _read(capsys, "excel_pivot_region_by_section_grand_total.csv",
                            "--region-col", "Row Labels", "--period", "2022")
    assert code == 0, err
    assert _cells(rows) == {
        ("2022", "Region A", "10"): ("220.0", "reported"), ("2022", "Region A", "C"): ("100.0", "reported"),
        ("2022", "Region A", "F"): ("50.0", "reported"), ("2022", "Region A", "G"): ("70.0", "reported"),
        ("2022", "Region B", "10"): ("370.0", "reported"), ("2022", "Region B", "C"): ("200.0", "reported"),
        ("2022", "Region B", "F"): ("80.0", "reported"), ("2022", "Region B", "G"): ("90.0", "reported")}
    assert "1 region total rows" in err


# ---- money in billions, or with its multiple in the currency's word

def test_vgrdl_billions_of_euros_are_scaled(capsys):
    """The VGR der Länder give gross value added in `Mrd. EUR` (Milliarden, billions): read
    as euros, 1e9 times too small, exit 0."""
    code, rows, err = _read(capsys, "vgrdl_bws_laender_mrd_eur_cp1252.csv")
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["output"]) for r in rows}
    assert got == {("Baden-Württemberg", "10"): pytest.approx(555.312e9),
                   ("Baden-Württemberg", "C"): pytest.approx(171.245e9),
                   ("Baden-Württemberg", "F"): pytest.approx(31.04e9),
                   ("Bayern", "10"): pytest.approx(682.118e9), ("Bayern", "C"): pytest.approx(168.912e9),
                   ("Bayern", "F"): pytest.approx(40.553e9)}


@pytest.mark.parametrize(("heading", "factor"), [
    ("Output (EUR bn)", 1e9), ("Output (billion EUR)", 1e9), ("Bruttowertschöpfung in Mrd. EUR", 1e9),
    ("Umsatz (TEUR)", 1e3), ("Output (k€)", 1e3), ("Output (M€)", 1e6), ("Output (MEUR)", 1e6),
    ("GVA (£m)", 1e6), ("GVA (£bn)", 1e9), ("Output (milliards d'euros)", 1e9),
    ("Output per billion", None), ("Bn employment", None), ("Output (EUR)", None)])
def test_other_money_multiples_in_headings(heading, factor):
    from clusterid.io.readers.generic_post import heading_other_multiple

    assert heading_other_multiple(heading) == factor


# ---- JSON-stat: the metric's unit

def test_jsonstat_metric_unit_in_thousands_is_scaled(capsys):
    """SSB's JSON-stat gives the unit on its statistic's category (`"unit": {"base": "1 000
    personer"}`): it was left unread, Oslo's 423 thousand employed read as 423 persons."""
    code, rows, err = _read(capsys, "ssb_aku_fylke_naering_jsonstat2_1000_personer.json")
    assert code == 0, err
    assert _cells(rows) == {
        ("2023", "03", "10"): ("423000.0", "reported"), ("2023", "03", "C10-C33"): ("21000.0", "reported"),
        ("2023", "03", "F41-F43"): ("18000.0", "reported"), ("2023", "46", "10"): ("341000.0", "reported"),
        ("2023", "46", "C10-C33"): ("38000.0", "reported"), ("2023", "46", "F41-F43"): ("29000.0", "reported")}


# ---- stat.gov.kz's bulletins in two languages

def test_kz_bilingual_bulletin_titles_total_and_country(capsys):
    """Each heading and name of a stat.gov.kz bulletin is written `Kazakh / Russian`: the
    sections' titles (`Құрылыс / Строительство`) were refused as no industry codes; the total
    `Барлығы / Всего` and the country's row `Қазақстан Республикасы / Республика Казахстан`
    are read as the total and the country, the sections as C and F, thousands scaled."""
    code, rows, err = _read(capsys, "kz_bulletin_bilingual_oblasts_sections.csv")
    assert code == 0, err
    assert _cells(rows) == {
        ("2023", "Ақмола / Акмолинская", "10"): ("370200.0", "reported"),
        ("2023", "Ақмола / Акмолинская", "C"): ("25100.0", "reported"),
        ("2023", "Ақмола / Акмолинская", "F"): ("20300.0", "reported"),
        ("2023", "Ақтөбе / Актюбинская", "10"): ("430700.0", "reported"),
        ("2023", "Ақтөбе / Актюбинская", "C"): ("30400.0", "reported"),
        ("2023", "Ақтөбе / Актюбинская", "F"): ("28200.0", "reported")}
    assert "1 region total rows" in err
