"""Readers' known gaps closed in session 30: each test reads a made-up file in the layout of a
real agency's download (tests/data/readers30/README.md names it) and checks what clusterid
read against the file, or that the file is refused in one located line."""

from __future__ import annotations

from pathlib import Path

from conftest import csv_rows, ingest_stdout, run_main

DATA = Path(__file__).parent / "data" / "readers30"


def _read(capsys, name: str, *options: str):
    return ingest_stdout(capsys, DATA / name, *options)


# ---- NOMIS (ONS BRES) broad industry groups

def test_nomis_broad_industry_groups_are_read_as_their_nace_codes(capsys):
    """ONS's 18 broad industry groups are unions of UK SIC 2007 (NACE) sections, or for G its
    three divisions (motor trades 45, wholesale 46, retail 47): '5 : Motor trades (Part G)'
    and the lists of sections '(B,D and E)', '(R,S,T and U)' were three heading errors."""
    code, rows, err = _read(capsys, "nomis_bres_broad_groups_2023.csv")
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert {i for _, i in got} == {"A", "B+D+E", "C", "F", "G45", "G46", "G47", "H", "I", "J", "K", "L",
                                   "M", "N", "O", "P", "Q", "R-U"}
    motor = got[("E06000005", "G45")]  # Darlington, by its GSS code
    assert (float(motor["employment"]), motor["industry_name"], motor["classification"], motor["level"]) \
        == (1250, "Motor trades", "NACE", "2")
    assert float(got[("E06000004", "G47")]["employment"]) == 7000
    assert (got[("E06000005", "B+D+E")]["industry_name"], got[("E06000005", "B+D+E")]["level"]) \
        == ("Mining, quarrying & utilities", "1")
    assert float(got[("E06000004", "R-U")]["employment"]) == 2500
    # group 10 is section J, no all-industries row
    assert (float(got[("E06000005", "J")]["employment"]), got[("E06000005", "J")]["industry_name"]) \
        == (1000, "Information & communication")


# ---- PX-Web region cells, the code before the name

def test_px_web_region_cell_is_split_into_code_and_name(capsys):
    """SSB's "03 Oslo" was the region's key whole: no name, and a code that matched no other
    table's "03".  Every region cell has the shape, so each is its code and its name."""
    code, rows, err = _read(capsys, "ssb_07984_fylker_code_name.csv")
    assert code == 0, err
    assert {(r["region"], r["region_name"]) for r in rows} == {("03", "Oslo"), ("11", "Rogaland"),
                                                               ("46", "Vestland")}
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got[("03", "10")] == 458123 and got[("46", "C10-C33")] == 31234


def test_px_web_region_cells_stay_whole_unless_every_cell_is_coded(tmp_path, capsys):
    """One cell without a code (or a code with two names) leaves the column as it is."""
    src = tmp_path / "mixed.csv"
    src.write_text('"region";"næring (SN2007)";"år";"Sysselsatte personer"\n'
                   '"03 Oslo";"10-33 Industri";"2022";"12034"\n'
                   '"Rogaland";"10-33 Industri";"2022";"28456"\n', encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    assert {r["region"] for r in csv_rows(out)} == {"03 Oslo", "Rogaland"}


# ---- KOSIS's KSIC sections, "C. 제조업(10~34)"

def test_kosis_ksic_section_labels_are_their_section_letters(capsys):
    """KSIC 10's sections are ISIC Rev. 4's (and NACE Rev. 2's) letters: "C. 제조업(10~34)"
    was a whole custom code of its own, the table of mixed classification.  The letter is the
    code; the bracket, KSIC's own divisions (C to 34, F to 42), stays in the name."""
    code, rows, err = _read(capsys, "kosis_ksic10_sections_cp949.csv")
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert {i for _, i in got} == {"10", "A", "C", "F", "G"}
    manuf = got[("경기도", "C")]
    assert (float(manuf["employment"]), manuf["industry_name"], manuf["classification"], manuf["level"]) \
        == (1412345, "제조업(10~34)", "NACE", "1")
    assert got[("경기도", "G")]["industry_name"] == "도매 및 소매업(45~47)"
    assert (got[("울산광역시", "A")]["employment"], got[("울산광역시", "A")]["employment_status"]) == ("", "suppressed")
    assert "전국" not in {r for r, _ in got}


# ---- Romania's INS TEMPO headings

def test_ins_tempo_export_is_read(capsys):
    """TEMPO's headings ('Judete', '... sectiuni CAEN Rev.2', 'Ani', 'UM: Numar persoane',
    'Valoare') were none recognised: 'no region column recognised'."""
    code, rows, err = _read(capsys, "ins_tempo_fom104d_judete.csv")
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in rows}
    assert {p for p, _, _ in got} == {"2021", "2022"} and {r for _, r, _ in got} == {"Alba", "Arad"}
    assert float(got[("2021", "Alba", "10")]["employment"]) == 121345
    manuf = got[("2022", "Arad", "C")]
    assert (float(manuf["employment"]), manuf["industry_name"], manuf["classification"]) \
        == (57012, "INDUSTRIA PRELUCRATOARE", "NACE")
    assert got[("2021", "Arad", "F")]["employment_status"] == "suppressed"


def test_ins_tempo_units_thousands_scaled_money_refused(tmp_path, capsys):
    """The UM column is the unit: 'Mii persoane' (thousand persons) scaled, 'Lei RON' (money)
    refused as employment in one line."""
    text = (DATA / "ins_tempo_fom104d_judete.csv").read_text(encoding="utf-8")
    src = tmp_path / "tempo.csv"
    src.write_text(text.replace("Numar persoane", "Mii persoane"), encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r["employment"] for r in csv_rows(out)}
    assert float(got[("2021", "Alba", "C")]) == 41234000
    src.write_text(text.replace("Numar persoane", "Lei RON"), encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code != 0 and err.count("error:") == 1 and "Lei RON are amounts of money, not employment" in err, err


# ---- two section letters run together that are no neighbours

def test_a38_cg_in_a_plain_nace_column_is_refused_not_c_plus_g(capsys):
    """CG is NACE Rev. 2's A*38 aggregate C22-C23 (rubber, plastics, minerals): read as the
    run of sections C and G, it summed manufacturing with trade beside C and G, silently.  No
    office writes C and G as CG; in a plain NACE column it is refused on its lines, saying
    what it is."""
    code, _, err = _read(capsys, "esa2010_a38_nace_column.csv")
    assert code == 1, err
    assert ("esa2010_a38_nace_column.csv:4: column 'industry': not a NACE industry code (expected NACE section "
            "A-U, division C10, group C10.1 or class C10.11, found 'CG'); CG is NACE Rev. 2's A*38 "
            "aggregate of C22-C23: write it as C22-C23") in err
    assert "Traceback" not in err


def test_insee_range_gi_alone_in_a_nace_column_is_refused_not_g_plus_i(tmp_path, capsys):
    """GI is INSEE's A10 G-I (trade, transport, accommodation); read as G and I, H was left out
    of it without a word.  DE (neighbours: the same as D-E to everyone) and ONS's BDE still read."""
    src = tmp_path / "runs.csv"
    src.write_text("region,industry,year,employment\nR1,BDE,2021,500\nR1,GI,2021,900\nR1,DE,2021,200\n",
                   encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and err.count("error:") == 1, err
    assert "found 'GI'); GI is INSEE's A10 aggregate of the sections G-I; write the sections G to I as G-I" in err
    src.write_text("region,industry,year,employment\nR1,BDE,2021,500\nR1,G-I,2021,900\nR1,DE,2021,200\n",
                   encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    assert {r["industry"]: r["level"] for r in csv_rows(out)} == {"BDE": "1", "G-I": "1", "DE": "1"}


# ---- English abbreviations of a thousand: (thou.), (th.)

def test_thou_persons_unit_line_scales_the_table(capsys):
    """'(thou. persons)' under the title was only warned of, the figures read as persons: a
    thousand times too small."""
    code, rows, err = _read(capsys, "armstat_regions_thou_persons.csv")
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got[("Yerevan", "10")] == 412300 and got[("Ararat", "C")] == 7300
    assert "no unit clusterid knows" not in err


def test_thou_and_th_in_a_heading_or_unit_column_scale_mil_is_warned(tmp_path, capsys):
    src = tmp_path / "t.csv"
    for head, unit, want in (("Employment (thou.)", None, 12500), ("Employment (th.)", None, 12500),
                             ("employment", "thou.", 12500), ("Employment (mil)", None, 12.5)):
        text = f"region;industry;year;{head}" + (";unit" if unit else "") + "\n"
        text += "".join(f"{r};C;2021;12,5" + (f";{unit}" if unit else "") + "\n" for r in ("R1", "R2"))
        src.write_text(text, encoding="utf-8")
        code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
        assert code == 0, err
        assert {float(r["employment"]) for r in csv_rows(out)} == {want}, (head, unit)
        # 'mil' is a thousand in Spanish, a million in English: read as it stands, said
        assert ("'mil' is a thousand in Spanish and Portuguese, a million in English" in err) == (want == 12.5)


# ---- a workbook's note of two cells under the table

def test_xlsx_note_with_a_date_beside_it_is_no_data_row(capsys):
    """'Quelle: ...' in column A and a date in B under the table was read as a data row: its
    date an industry code, its empty year a key error, the sheet refused."""
    code, rows, err = _read(capsys, "ba_laender_wz_note_two_cells.xlsx")
    assert code == 0, err
    assert len(rows) == 4 and {r["industry"] for r in rows} == {"C", "F"}
    assert "1 note lines below the table" in err


def test_a_last_row_of_two_cells_that_is_no_note_is_still_refused(tmp_path, capsys):
    """A data row cut to two cells (no note's first word) stays an error on its line."""
    import openpyxl

    wb = openpyxl.Workbook()
    for r in (["Land", "WZ 2008", "Jahr", "Beschäftigte"], ["Bayern", "C", 2023, 1423456],
              ["Bayern", "F", 2023, 398765], ["Berlin", "C"]):
        wb.active.append(r)
    src = tmp_path / "cut.xlsx"
    wb.save(src)
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and "cut.xlsx:4:" in err, err


# ---- notes below BEA and LODES files

def test_bea_file_resaved_by_excel_reads_its_footnotes_as_notes(capsys):
    """Padded to the header's width by a spreadsheet, BEA's footnote lines were 'not a FIPS
    code' on each line; the shared retry without the notes below the table reads the file."""
    code, rows, err = _read(capsys, "CAEMP25N_UT_resaved_by_excel.csv")
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r["employment"] for r in rows}
    assert float(got[("2016", "49000", "10")]) == 1664312
    assert {r for _, r, _ in got} == {"49000", "49001", "49003"}
    assert "9 note lines below the table" in err


def test_lodes_file_with_notes_below_is_read(capsys):
    """A blank line and 'Source: ...' under a WAC file were 'not a census block code' (found ''
    and the note), the file refused."""
    code, rows, err = _read(capsys, "ut_wac_S000_JT01_2019.csv")
    assert code == 0, err
    plain = run_main(["ingest", str(DATA.parent / "lodes" / "ut_wac_S000_JT00_2019.csv"), "-o", "-"], capsys)
    want = {(r["region"], r["industry"]): r["employment"] for r in csv_rows(plain[1])}
    assert {(r["region"], r["industry"]): r["employment"] for r in rows} == want
    assert {r["ownership"] for r in rows} == {"total"}
    assert "2 note lines below the table" in err


def test_kosis_ksic9_sections_are_refused_as_nace_read_as_custom(tmp_path, capsys):
    """KSIC's 9th revision ('산업별(9차)') letters its sections as ISIC's, but its D holds water
    supply and its L renting: not NACE's.  Refused in one line as JSIC is; --classification
    custom reads the letters as custom codes, the names split off."""
    text = (DATA / "kosis_ksic10_sections_cp949.csv").read_bytes().decode("cp949")
    src = tmp_path / "kosis9.csv"
    src.write_bytes(text.replace("산업별(10차)", "산업별(9차)").replace("(10~34)", "(10~33)").encode("cp949"))
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and err.count("error:") == 1 and "industry codes of KSIC 9" in err, err
    code, out, err = run_main(["ingest", str(src), "-o", "-", "--classification", "custom"], capsys)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert got[("경기도", "C")]["industry_name"] == "제조업(10~33)"
    assert got[("경기도", "C")]["classification"] == "custom"


def test_ins_tempo_quarters_in_roman_numerals(tmp_path, capsys):
    """TEMPO's quarterly tables: 'Trimestre' heading, 'Trimestrul I 2022' cells."""
    text = (DATA / "ins_tempo_fom104d_judete.csv").read_text(encoding="utf-8")
    src = tmp_path / "tempo_q.csv"
    src.write_text(text.replace(" Ani,", " Trimestre,").replace("Anul 2021", "Trimestrul I 2022")
                   .replace("Anul 2022", "Trimestrul IV 2022"), encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2022Q1", "2022Q4"}


def test_ins_tempo_macroregions_regions_and_counties_are_three_levels(capsys):
    """TEMPO's one column of macroregions, development regions and counties: unlevelled, every
    county was summed into lq's benchmark three times (itself, its region, its macroregion)."""
    code, rows, err = _read(capsys, "ins_tempo_macroregiuni_regiuni_judete.csv")
    assert code == 0, err
    assert {(r["region"], r["region_level"]) for r in rows} == {
        ("MACROREGIUNEA UNU", "nuts1"), ("Regiunea NORD-VEST", "nuts2"), ("Bihor", "nuts3"), ("Cluj", "nuts3")}
    assert "TOTAL" not in {r["region"] for r in rows}
