"""Agency files in layouts the other tests do not cover (session 24): each test names the real
source whose field layout its made-up input follows (tests/data/unseen24/README.md) and checks
the figures the file says against what clusterid read."""

from __future__ import annotations

from pathlib import Path

from conftest import csv_rows, run_main, run_ok

DATA = Path(__file__).parent / "data" / "unseen24"


def test_statcan_lfs_unit_and_scalar_both_in_thousands_scale_once(tmp_path, capsys):
    """Statistics Canada's LFS tables (14-10-0023, 14-10-0287) say thousands twice: UOM
    'Persons in thousands' beside SCALAR_FACTOR 'thousands', SCALAR_ID 3.  Both were applied:
    Alberta's 2,580.4 thousand employed came out as 2,580,400,000.  Scaled once; the Full-time
    rows are another indicator, dropped; 'x' is withheld, 'E' a grade that keeps the figure."""
    out, err = run_ok(["ingest", str(DATA / "14100023_lfs_by_industry_excerpt.csv"), "-o", "-"], capsys)
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert float(rows[("Alberta", "10")]["employment"]) == 2580400
    assert float(rows[("British Columbia", "31-33")]["employment"]) == 165000
    assert float(rows[("British Columbia", "22")]["employment"]) == 12100
    assert rows[("Alberta", "22")]["employment"] == "" and rows[("Alberta", "22")]["employment_status"] == "suppressed"
    assert len(rows) == 6


def test_a_unit_and_a_multiplier_naming_different_multiples_are_refused(tmp_path, capsys):
    """'Persons in thousands' beside SCALAR_ID 6: which multiple the values are in is unknown;
    refused on its lines, never multiplied by both."""
    text = (DATA / "14100023_lfs_by_industry_excerpt.csv").read_text(encoding="utf-8")
    src = tmp_path / "14100023.csv"
    src.write_text(text.replace('"thousands","3"', '"millions","6"'), encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1, err
    assert "14100023.csv:2: column 'SCALAR_ID': the unit and the unit multiplier name different multiples" in err
    assert not (tmp_path / "x.csv").exists()


def test_genesis_figure_in_brackets_is_read_with_its_mark(tmp_path, capsys):
    """Destatis, Statistik Austria and the Swiss FSO put a figure of limited reliability in round
    brackets ('(489,3)': 'Aussagewert eingeschränkt'); it is published, not withheld.  It was
    'not a number' (exit 1).  Read as the figure, reported, its flag '()'; '/' stays withheld."""
    out, err = run_ok(["ingest", str(DATA / "genesis_13312-0002_brackets_latin1.csv"), "-o", "-"], capsys)
    rows = {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}
    f = rows[("2021", "Bayern", "F")]
    assert float(f["employment"]) == 489300 and f["employment_status"] == "reported"
    assert f["employment_flag"] == "()"
    slash = rows[("2022", "Baden-Württemberg", "F")]
    assert slash["employment"] == "" and slash["employment_status"] == "suppressed"
    assert float(rows[("2021", "Baden-Württemberg", "10")]["employment"]) == 6262300


def test_output_in_brackets_is_still_no_figure(tmp_path, capsys):
    """Output (value added) can be below zero, and '(12.5)' is then an accountant's negative as
    much as a figure of limited reliability: still refused on its cell, never read as 12.5."""
    src = tmp_path / "gva.csv"
    src.write_text("region,industry,year,gva\nAT11,A,2022,(12.5)\nAT11,C,2022,900.1\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1 and "gva.csv:2: column 'gva': not a number" in err, err
    neg = tmp_path / "emp.csv"  # (a minus inside the brackets is no figure either)
    neg.write_text("region,industry,year,employment\nAT11,A,2022,(-12)\nAT11,C,2022,900\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(neg), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1 and "emp.csv:2: column 'employment': not a number" in err, err
    assert not (tmp_path / "x.csv").exists()


def test_eurostat_size_classes_keep_the_all_sizes_rows(tmp_path, capsys):
    """Eurostat's SBS by size class (sbs_sc_ovw) has a size_emp dimension: TOTAL beside 0-9,
    GE250.  In SDMX-CSV, size_emp was read as the employment column ('TOTAL' not a number on
    every line, exit 1); the TSV was refused, 'dimension size_emp has several values' (exit 2).
    Both keep the TOTAL rows and drop the classes, counted; the confidential class goes with
    them, never a 0."""
    out, err = run_ok(["ingest", str(DATA / "sbs_sc_ovw_sdmx_csv_size_emp.csv"), "-o", "-"], capsys)
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in csv_rows(out)}
    assert got == {("AT", "C"): 650123, ("AT", "F"): 310000, ("BE", "C"): 480000, ("BE", "F"): 250000}
    assert "4 rows of one size_emp category" in err
    out, err = run_ok(["ingest", str(DATA / "sbs_sc_ovw_sdmx_tsv_size_emp.tsv"), "-o", "-"], capsys)
    got = {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in csv_rows(out)}
    assert got[("2022", "AT", "C")] == 650123 and got[("2021", "BE", "C")] == 470000 and len(got) == 6
    assert "4 size_emp other than TOTAL" in err


def test_a_size_heading_is_a_class_not_a_count():
    """'Employment size', 'Establishment size', 'Size of establishment' head size classes (1 to
    4 employees ...), never the count their measure word names; 'Wages by firm size' is wages."""
    from clusterid.io.readers.generic_headings import role_of

    for heading in ("Employment size", "Establishment size", "Size of establishment", "size_emp"):
        assert role_of(heading) is None, heading
    assert role_of("Wages by firm size") == "wages"
    assert role_of("Number of establishments") == "establishments"


def test_eurostat_sdmx_csv_keeps_the_tsvs_choices(tmp_path, capsys):
    """The SDMX-CSV of a whole Eurostat dataset holds every code of its dimensions: namq_10_a10_e
    with s_adj NSA and SCA and na_item EMP_DC and SAL_DC was refused as duplicate rows on every
    line, the column never named (exit 1), where its TSV kept NSA and EMP_DC.  It keeps them
    too, and says so."""
    out, err = run_ok(["ingest", str(DATA / "namq_10_a10_e_sdmx_csv_s_adj.csv"), "-o", "-"], capsys)
    got = {(r["period"], r["industry"]): float(r["employment"]) for r in csv_rows(out)}
    assert got == {("2022Q1", "C"): 650100, ("2022Q1", "F"): 300000}
    assert "2 rows of another s_adj than NSA (the one kept)" in err
    assert "1 rows of another na_item than EMP_DC (the one kept)" in err


def test_eurostat_other_breakdowns_keep_their_total_in_csv_and_tsv(tmp_path, capsys):
    """An LFS table by NACE with worktime (FT, PT) and citizen (NAT) beside their TOTAL: the TSV
    was refused ('dimension worktime has several values', exit 2), the SDMX-CSV read each part
    as a duplicate row (exit 1).  Both keep the TOTAL rows, the parts dropped and counted."""
    for name in ("lfsa_egan2_sdmx_csv_worktime_citizen.csv", "lfsa_egan2_sdmx_tsv_worktime_citizen.tsv"):
        out, err = run_ok(["ingest", str(DATA / name), "-o", "-"], capsys)
        got = {(r["region"], r["industry"]): (float(r["employment"]), r["employment_flag"]) for r in csv_rows(out)}
        assert got == {("AT", "C"): (650100, ""), ("AT", "F"): (300000, ""), ("BE", "C"): (480000, "u")}, name
        assert "worktime" in err and "citizen" in err, err


def test_an_sdmx_dimension_of_parts_without_a_total_is_refused_naming_it(tmp_path, capsys):
    """worktime FT and PT without TOTAL: each cell's two parts; refused in one line naming the
    column, not a duplicate row on every line."""
    head, *rows = (DATA / "lfsa_egan2_sdmx_csv_worktime_citizen.csv").read_text(encoding="utf-8").splitlines()
    src = tmp_path / "lfsa.csv"
    src.write_text("\n".join([head] + [r for r in rows if ",FT,TOTAL," in r or ",PT,TOTAL," in r]) + "\n",
                   encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1 and "column 'worktime': rows of worktime categories only" in err, err
    assert "duplicate row" not in err


def test_nomis_legend_markers_are_withheld_cells(tmp_path, capsys):
    """NOMIS's downloads mark cells with the symbols their legend explains under the table:
    '!' (no estimate: the group's sample is zero or disclosive) was 'not a number' (exit 1).
    '!' and '#' are withheld, never 0; '*' as before."""
    out, err = run_ok(["ingest", str(DATA / "nomis_bres_legend_markers.csv"), "-o", "-"], capsys)
    # (keyed by the section letter of the code, C10-C33: the name lost NOMIS's "C : " prefix
    # in session 31, "Manufacturing")
    rows = {(r["region"], r["industry"][:1]): r for r in csv_rows(out)}
    bang = rows[("E06000002", "F")]  # Middlesbrough
    assert bang["employment"] == "" and bang["employment_status"] == "suppressed" and bang["employment_flag"] == "!"
    assert rows[("E06000003", "B")]["employment_flag"] == "*"
    assert float(rows[("E06000001", "C")]["employment"]) == 4500
    src = tmp_path / "hash.csv"
    src.write_text("region,industry,year,employment\n01,A,2020,#\n01,B,2020,200\n", encoding="utf-8")
    rows = csv_rows(run_ok(["ingest", str(src), "-o", "-"], capsys)[0])
    assert rows[0]["employment_status"] == "suppressed" and rows[0]["employment_flag"] == "#"


def test_abs_symbols_np_na_and_rse_stars(tmp_path, capsys):
    """The ABS's symbols (its data cubes and Data by Region): 'np' not available for
    publication, 'na' not available, and '*2.5' / '**0.8', figures whose relative standard
    error is 25-50% / above 50%, published for use with caution.  Each was 'not a number'
    (exit 1).  np and na are withheld, never 0; a starred figure is read, its stars the flag."""
    src = tmp_path / "employed_by_state.csv"
    src.write_text("State,Industry,Year,Employed persons\n"
                   "NSW,A,2023,80.2\nNSW,B,2023,np\nTAS,A,2023,*2.5\nTAS,B,2023,**0.8\n"
                   "VIC,A,2023,n.p.\nVIC,B,2023,na\n", encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "--classification", "custom", "-o", "-"], capsys)
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert (float(rows[("TAS", "A")]["employment"]), rows[("TAS", "A")]["employment_flag"]) == (2.5, "*")
    assert (float(rows[("TAS", "B")]["employment"]), rows[("TAS", "B")]["employment_flag"]) == (0.8, "**")
    assert rows[("TAS", "B")]["employment_status"] == "reported"
    for key, flag in ((("NSW", "B"), "np"), (("VIC", "A"), "n.p."), (("VIC", "B"), "na")):
        assert rows[key]["employment"] == "" and rows[key]["employment_status"] == "suppressed"
        assert rows[key]["employment_flag"] == flag


def test_format_eurostat_reads_eurostats_sdmx_csv(tmp_path, capsys):
    """--format eurostat on Eurostat's SDMX-CSV download (which auto reads) was refused as 'no
    data rows ... a header only' (exit 1): the TSV adapter took it for a TSV of one column.
    It is read as auto reads it; a file of another agency is refused as no Eurostat TSV."""
    src = DATA.parent / "generic" / "eurostat_sdmx_csv2_conf_status.csv"
    forced = run_ok(["ingest", str(src), "--format", "eurostat", "-o", "-"], capsys)[0]
    assert forced == run_ok(["ingest", str(src), "-o", "-"], capsys)[0] and len(csv_rows(forced)) == 5
    src = DATA / "namq_10_a10_e_sdmx_csv_s_adj.csv"
    assert len(csv_rows(run_ok(["ingest", str(src), "--format", "eurostat", "-o", "-"], capsys)[0])) == 2
    code, _, err = run_main(["ingest", str(DATA.parent / "cbp" / "cbp16co_excerpt.txt"), "--format", "eurostat",
                             "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1 and "cbp16co_excerpt.txt:1: not a Eurostat TSV" in err, err


def test_qcew_table_saved_as_csv_with_its_title_rows(tmp_path, capsys):
    """A QCEW sheet saved as CSV from Excel keeps its title rows above the field names: the
    QCEW adapter did not know it (its header was the first line), and the generic reader
    took it, every ownership kept (local government beside total and private: 17 rows where
    the file read alone gives 13), agglvl_code a column not read.  The adapter finds the field
    names below the title rows; output byte-identical to the file without them, and a bad cell
    is located on its own line."""
    plain = run_ok(["ingest", str(DATA.parent / "qcew" / "2016.annual.49001.beaver_county.csv"), "-o", "-"], capsys)[0]
    src = DATA / "2016.annual.49001.beaver_county_excel_titles.csv"
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert out == plain and len(csv_rows(out)) == 13
    assert "columns not read" not in err
    bad = tmp_path / "titles_bad.csv"
    lines = src.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",645,", ",6x45,")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(bad), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1 and "titles_bad.csv:6: column 'annual_avg_emplvl': not a number" in err, err
