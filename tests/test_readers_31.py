"""Reader gaps closed in session 31: each test reads a small made-up file in an agency's real
layout (tests/data/readers31/README.md names them) and checks what clusterid read."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import csv_rows, ingest_stdout as _read, run_main

DATA = Path(__file__).parent / "data" / "readers31"
NOMIS30 = Path(__file__).parent / "data" / "nomis30"


def _rewrite(src: Path, dst: Path, keep) -> Path:
    """``src`` (a CSV) written to ``dst`` with only the data rows ``keep(row)`` accepts."""
    rows = list(csv.DictReader(io.StringIO(src.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writeheader()
    writer.writerows(r for r in rows if keep(r))
    dst.write_text(out.getvalue(), encoding="utf-8")
    return dst


# ---- 1. NOMIS (ONS): names without the code's prefix, the API CSV without options

def test_nomis_api_industry_name_alone_is_read_without_options(capsys):
    """NOMIS's API CSV asked without INDUSTRY_CODE (INDUSTRY_NAME "10 : Manufacture of food
    products" the only industry column) was "no industry column recognised"; with
    --industry-col INDUSTRY_NAME its names kept NOMIS's "10 : " prefix."""
    src = NOMIS30 / "nomis_api_bres_NM_189_1.data.csv"
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert got[("E06000001", "C10")]["industry_name"] == "Manufacture of food products"
    assert got[("E06000002", "J62")]["industry_name"] == "Computer programming, consultancy and related activities"
    assert float(got[("E06000001", "C10")]["employment"]) == 1250
    code, named, err = _read(capsys, src, "--industry-col", "INDUSTRY_NAME")
    assert code == 0, err
    assert named == rows


def test_nomis_api_all_columns_reads_employment_count_by_sic_code(capsys):
    """The API CSV with every column (NOMIS's own number under INDUSTRY, no INDUSTRY_CODE),
    two employment statuses and two measures: read by the SIC code in INDUSTRY_NAME (it was
    custom codes 146800650 named "10 : Manufacture ..."), the Employment Count kept, the
    Employees rows and the Industry percentage dropped and counted."""
    code, rows, err = _read(capsys, DATA / "nomis_api_bres_NM_189_1_all.data.csv")
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert set(got) == {("E06000001", "C10"), ("E06000001", "J62"), ("E06000002", "C10"), ("E06000002", "J62")}
    assert {r["classification"] for r in rows} == {"NACE"}
    assert got[("E06000001", "C10")]["industry_name"] == "Manufacture of food products"
    assert [float(got[k]["employment"]) for k in sorted(got)] == [1250, 300, 600, 900]
    assert "8 rows of one EMPLOYMENT_STATUS_NAME category" in err
    assert "4 rows of another MEASURE_NAME indicator" in err


def test_nomis_api_employees_beside_its_full_time_part_is_the_total(capsys, tmp_path):
    """Employees beside Full-time employees (no Employment row) was refused as parts without
    a total: Employees is their total, read; Full-time beside Part-time employees is still
    refused, never summed; Full-time employees alone is read, said on stderr to be that part
    (it was only among the columns not read)."""
    src = DATA / "nomis_api_bres_employees.data.csv"
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("E06000001", "C10"): 1125, ("E06000001", "J62"): 270,
                   ("E06000002", "C10"): 540, ("E06000002", "J62"): 810}
    part = tmp_path / "ft_pt.data.csv"
    part.write_text(src.read_text(encoding="utf-8").replace('"Employees"', '"Part-time employees"'), encoding="utf-8")
    code, _, err = _read(capsys, part)
    assert code == 1 and "Full-time employees, Part-time employees" in err, err
    # one part alone (the query asked for Full-time employees): read, and said to be that part
    alone = _rewrite(src, tmp_path / "ft.data.csv", lambda r: r["EMPLOYMENT_STATUS_NAME"] == "Full-time employees")
    code, rows, err = _read(capsys, alone)
    assert code == 0 and len(rows) == 4, err
    assert "every row is 'Full-time employees' under EMPLOYMENT_STATUS_NAME" in err


def test_nomis_business_counts_are_establishments_of_all_size_bands(capsys, tmp_path):
    """UK Business Counts (NM_142_1, local units by employment size band and legal status):
    read as employment, every size band a duplicate row ("needs --measure-col").  Now the
    count of local units (establishments), its Total band and legal status kept (the bands
    overlap: Micro is 0 to 4 and 5 to 9); without the Total band it is refused, not summed."""
    src = DATA / "NM_142_1.data.csv"
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    assert {(r["region"], r["industry"], float(r["establishments"])) for r in rows} == {
        (g, i, 80.0) for g in ("E06000001", "E06000002") for i in ("C10", "J62")}
    assert "employment" not in rows[0]
    assert "40 rows of one EMPLOYMENT_SIZEBAND_NAME category" in err
    assert "UK Business Counts of local units (NOMIS NM_142) read as establishments" in err
    # NM_141_1, enterprises (told by the URN's dataset): read alike, said
    firms = tmp_path / "enterprises.csv"
    firms.write_text(src.read_text(encoding="utf-8").replace('"Nm-142d1', '"Nm-141d1'), encoding="utf-8")
    code, again, err = _read(capsys, firms)
    assert code == 0 and again == rows, err
    assert "UK Business Counts of enterprises (NOMIS NM_141) read as establishments" in err
    bands = _rewrite(src, tmp_path / "NM_142_1.data.csv", lambda r: r["EMPLOYMENT_SIZEBAND_NAME"] != "Total")
    code, _, err = _read(capsys, bands)
    assert code == 1 and "EMPLOYMENT_SIZEBAND_NAME" in err and "none of all of them" in err, err


def test_nomis_bulk_download_names_drop_the_section_letter(capsys):
    """NOMIS's query download headed "C : Manufacturing (10-33)": named "C : Manufacturing"."""
    code, rows, err = _read(capsys, NOMIS30 / "nomis_bres_bulk_mnemonic_2023.csv")
    assert code == 0, err
    assert {(r["industry"], r["industry_name"]) for r in rows} == {
        ("C10-C33", "Manufacturing"), ("F41-F43", "Construction"), ("J58-J63", "Information and communication")}


def test_nomis_unmapped_part_headings_are_one_error(capsys):
    """Two broad groups that are a "Part" of a section with no NACE code ("9 : Food and drink
    (Part I)", "10 : Hotels (Part I)") were one error each, the same words twice: one now,
    naming both and why."""
    code, _, err = _read(capsys, DATA / "nomis_bres_bulk_parts_2023.csv")
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("clusterid: error")]
    assert len(lines) == 1, err
    assert "2 column headings among the industry columns are not industry codes" in lines[0]
    assert "9 : Food and drink (Part I)" in lines[0] and "10 : Hotels (Part I)" in lines[0]
    assert '"Part" of a section' in lines[0]


# ---- 2. 2014e / 2014r headings keep their mark, as 2021 (p) does

def test_estimated_and_revised_year_headings_flag_their_cells(capsys, tmp_path):
    """Years headed 2020r and 2021e were read as 2020 and 2021, the marks dropped without a
    word.  Now their cells are flagged r and e (e the status estimated), a withheld cell
    keeps its own marker, and the metadata notes say which heading gave which flag."""
    import json

    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(DATA / "bres_regions_wide_estimated_revised.csv"), "-o", str(out)], capsys)
    assert code == 0, err
    rows = csv_rows(out.read_text(encoding="utf-8"))
    got = {(r["period"], r["region"], r["industry"]): (r["employment_status"], r["employment_flag"]) for r in rows}
    assert got[("2019", "E12000001", "C")] == ("reported", "")
    assert got[("2020", "E12000001", "C")] == ("reported", "r")
    assert got[("2021", "E12000001", "C")] == ("estimated", "e")
    assert got[("2021", "E12000002", "C")] == ("suppressed", "..")
    notes = json.loads(Path(str(out) + ".meta.json").read_text(encoding="utf-8"))["notes"]
    assert any("period 2021 (headed '2021e') flagged e" in n and "period 2020 (headed '2020r') flagged r" in n
               for n in notes), notes


def test_estimated_year_in_a_period_column(capsys, tmp_path):
    """The same marks in a period column's cells, and in words ('2014 (estimated)' was no
    period at all)."""
    src = tmp_path / "long.csv"
    src.write_text("Jahr;Kreis;WZ;Beschäftigte\n2012;03159;C;18100\n2013r;03159;C;18400\n"
                   "2014 (estimated);03159;C;18650\n", encoding="utf-8")
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    assert [(r["period"], r["employment_status"], r["employment_flag"]) for r in rows] == [
        ("2012", "reported", ""), ("2013", "reported", "r"), ("2014", "estimated", "e")]


# ---- 4. a bare word for the industry in the main EU languages

_BARE = ("Secteur", "Sektor", "Settore", "Sector", "Ramo", "Odvětví", "Branża", "Ágazat", "Setor", "Branchen",
         "Djelatnost", "Tegevusala")


def test_bare_industry_word_heads_the_industry_column(capsys, tmp_path):
    """INSEE's bare "Secteur" (and "Sektor", "Settore", "Ramo", "Odvětví" ...) was "no
    industry column recognised"; each is the industry column when no other heading is one
    (and only then: beside "Activité", "Secteur" is the private or public sector)."""
    for word in _BARE:
        src = tmp_path / "secteur.csv"
        src.write_text(f"Région;{word};Année;Effectifs\n84;C;2021;1200\n84;F;2021;800\n", encoding="utf-8")
        code, rows, err = _read(capsys, src)
        assert code == 0, (word, err)
        assert [(r["industry"], float(r["employment"])) for r in rows] == [("C", 1200), ("F", 800)], word
    # beside a recognised industry column ("Activité"), "Secteur" (privé, public) stays what it
    # was: not a second industry column
    src = tmp_path / "secteur_prive.csv"
    src.write_text("Région;Activité;Secteur;Année;Effectifs\n84;C;privé;2021;1200\n84;F;privé;2021;800\n",
                   encoding="utf-8")
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    assert [r["industry"] for r in rows] == ["C", "F"]


# ---- 5. a period cell that cannot be read: only the real problem

def test_unreadable_period_cells_say_only_not_a_period(capsys, tmp_path):
    """Two rows of one region and industry whose year cells cannot be read ('20x1', '20x2')
    each came with a "duplicate row ... period=None" line beside "not a period": one error
    per cell now, the real one; --on-error skip still sets the four rows aside."""
    src = tmp_path / "periods.csv"
    src.write_text("region,industry,year,employment\nA1,C,20x1,100\nA1,C,20x2,110\nA1,F,2021,50\n"
                   "A2,C,abc,70\nA2,C,abd,70\n", encoding="utf-8")
    code, _, err = _read(capsys, src)
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("clusterid: error")]
    assert len(lines) == 4 and all("not a period" in line for line in lines), err
    assert "duplicate" not in err
    code, rows, err = _read(capsys, src, "--on-error", "skip")
    assert code == 0, err
    assert [(r["period"], r["region"], r["industry"]) for r in rows] == [("2021", "A1", "F")]
    assert "4 rows rejected" in err


# ---- 7. a z cell beside another measure's figure: no data for its measure

def test_z_cell_beside_another_measures_figure_is_no_data(capsys, tmp_path):
    """A row with employment ': z' (Eurostat: not applicable) beside 12 establishments kept
    the z cell suppressed: impute filled it, lq counted it withheld.  It is no data now (no
    value, no status, flag z), as a lone z row already is; impute leaves it empty, and a 'c'
    cell is still withheld and imputed."""
    out = tmp_path / "z.csv"
    code, _, err = run_main(["ingest", str(DATA / "sbs_regions_two_measures_z.csv"), "-o", str(out)], capsys)
    assert code == 0, err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    b = rows[("AT11", "B")]
    assert (b["employment"], b["employment_status"], b["employment_flag"]) == ("", "", "z")
    assert (b["establishments"], b["establishments_status"]) == ("12.0", "reported")
    assert ("AT12", "B") not in rows  # z in both measures: no row, as before
    assert rows[("AT12", "C")]["employment_status"] == "suppressed"
    code, text, err = run_main(["impute", str(out), "-o", "-"], capsys)
    assert code == 0, err
    imputed = {(r["region"], r["industry"]): r for r in csv_rows(text)}
    assert (imputed[("AT11", "B")]["employment"], imputed[("AT11", "B")]["employment_status"]) == ("", "")
    assert imputed[("AT12", "C")]["employment_status"] == "estimated"


# ---- 6. rows hidden in a workbook: read, and said with their lines

def _kreise_workbook(path: Path, rows, hidden) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kreis", "WZ 2008", "Beschäftigte"])
    for row in rows:
        ws.append(list(row))
    for line in hidden:
        ws.row_dimensions[line].hidden = True
    wb.save(path)
    return path


def test_hidden_workbook_rows_are_said_with_their_lines(capsys, tmp_path):
    """A row hidden in the sheet was read as any other without a word (a helper, subtotal or
    old row a statistician never saw).  It is read, as a CSV export of the sheet holds it, and
    stderr says how many and on which lines; a problem on such a row says it is hidden."""
    src = _kreise_workbook(tmp_path / "kreise.xlsx", [("03101", "C", 41250), ("03101", "F", 5120),
                                                      ("03102", "C", 12040), ("03102", "F", 3310)], hidden=[3])
    code, rows, err = _read(capsys, src, "--period", "2023")
    assert code == 0, err
    assert len(rows) == 4
    assert "1 row(s) hidden in the sheet were read as the others (line(s) 3)" in err
    old = _kreise_workbook(tmp_path / "kreise_old.xlsx", [("03101", "C", 41250), ("03101", "C", 40800),
                                                          ("03102", "C", 12040)], hidden=[3])
    code, _, err = _read(capsys, old, "--period", "2023")
    assert code == 1
    (on_hidden,) = [line for line in err.splitlines() if "kreise_old.xlsx:3:" in line]
    assert "duplicate row" in on_hidden and "the row is hidden in the workbook" in on_hidden
    shown = _kreise_workbook(tmp_path / "kreise_shown.xlsx", [("03101", "C", 41250)], hidden=[])
    code, _, err = _read(capsys, shown, "--period", "2023")
    assert code == 0 and "hidden" not in err, err


# ---- 3. section titles (not codes) over the measures of a two-row header

def test_section_titles_over_measures_are_read_as_their_sections(capsys, tmp_path):
    """A Land office's Kreise with "Verarbeitendes Gewerbe" (not "C") merged over "Betriebe |
    Tätige Personen" was "duplicate column heading": each title that names one section (or
    aggregate) alone is that section, named by its title, the title repeated over each column
    as some exports write it too.  A title naming none ('Dienstleistungen') is still refused,
    the hint naming it."""
    src = DATA / "land_kreise_section_titles_over_measures.csv"
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert set(got) == {(k, s) for k in ("Kreis A", "Kreis B") for s in ("B", "C")}
    c = got[("Kreis B", "C")]
    assert (float(c["employment"]), float(c["establishments"]), c["industry_name"]) == (30500, 520, "Verarbeitendes Gewerbe")
    lines = src.read_text(encoding="utf-8").splitlines()
    first = lines[0].split(";")
    repeated = tmp_path / "repeated.csv"
    repeated.write_text("\n".join([";".join([*first[:3], first[2], first[4], first[4]]), *lines[1:]]) + "\n",
                        encoding="utf-8")
    code, again, err = _read(capsys, repeated)
    assert code == 0, err
    assert again == rows
    untold = tmp_path / "untold.csv"
    untold.write_text("\n".join([lines[0].replace("Verarbeitendes Gewerbe", "Dienstleistungen"), *lines[1:]]) + "\n",
                      encoding="utf-8")
    code, _, err = _read(capsys, untold)
    assert code == 1 and "'Dienstleistungen' naming no one NACE section" in err, err
