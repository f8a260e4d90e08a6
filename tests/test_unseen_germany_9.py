"""German statistical layouts left over from session 9's hunt (tests/test_unseen_europe_9.py):
a bare year in a title as the table's period, a GENESIS flat file with a variable beside
region and industry, WZ 2008 codes as GENESIS writes them.  Small files under
tests/data/europe9/, run through the CLI as a user would."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import ingest_rows, run_main

DATA = Path(__file__).parent / "data" / "europe9"


def test_bare_year_in_the_title_is_the_period(tmp_path, capsys):
    # 'Erwerbstätigenrechnung 2021: Erwerbstätige am Arbeitsort ... (WZ 2008)' over a table
    # with no period column, 'Stand: 15.03.2023' under it.  It was refused ('no period column
    # recognised'; --period was needed): 2021 is the one year written alone there, WZ 2008 is
    # the classification's edition and the Stand when it was published
    rows = ingest_rows(capsys, DATA / "de_title_bare_year.csv", tmp_path / "o.csv")
    assert {r["period"] for r in rows} == {"2021"}
    cells = {(r["region"], r["industry"]): r["employment"] for r in rows}
    assert cells[("Niedersachsen", "C")] == "720000.0"
    assert cells[("Bremen", "10")] == "430000.0"


@pytest.mark.parametrize("title, period", [
    ("Beschäftigte am Arbeitsort 2021", "2021"),
    ("Erwerbstätigenrechnung 2021:", "2021"),
    # the classification's edition, glued or not, and a Gebietsstand are no year of the table
    ("13111-0005: Beschäftigte am Arbeitsort: Kreise, Wirtschaftszweige (WZ2008) 2021", "2021"),
    ("Tabelle 1: Beschäftigte 2021 (Gebietsstand 31.12.2022)", "2021"),
    # the copyright year of a source line is no period; the bare year beside it is
    ("Erwerbstätige 2020;Quelle: Statistisches Bundesamt (Destatis), 2023", "2020"),
    ("Beschäftigte nach WZ 2008;Datenstand: 15.03.2023", None),
    ("Beschäftigte 2015 und 2021", None),  # two years: which?
    ("Beschäftigte 2015-2021", None),
    ("Beschäftigte am 30.06.2021", None),  # a date without 'Stichtag': asked for
    ("Beschäftigte 1900", None),  # out of 1950-2100
])
def test_which_bare_title_year_is_taken(title, period):
    from clusterid.io.readers.generic_plan import period_from_titles

    assert period_from_titles([title.split(";")]) == period


def test_a_stand_year_alone_is_not_taken_and_the_message_says_why(tmp_path, capsys):
    # 'Stand: 2021' is the only year above the table: when it was published, not the period
    # it counts.  Refused in one line naming it and asking for --period
    code, _, err = run_main(["ingest", str(DATA / "de_title_stand_only.csv"), "-o", str(tmp_path / "o.csv")],
                            capsys)
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1
    assert "no period column recognised" in err and "'Stand'" in err and "2021" in err and "--period" in err
    rows = ingest_rows(capsys, DATA / "de_title_stand_only.csv", tmp_path / "p.csv", "--period", "2020")
    assert {r["period"] for r in rows} == {"2020"}


def test_two_title_years_refused_naming_them(tmp_path, capsys):
    src = tmp_path / "two.csv"
    src.write_text((DATA / "de_title_stand_only.csv").read_text(encoding="utf-8").replace(
        "Stand: 2021", "Beschäftigte 2015 und 2021"), encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "more than one year (2015, 2021)" in err and "--period" in err


def test_genesis_flat_file_with_a_sex_variable_names_it(tmp_path, capsys):
    # table 13111 ffcsv with a third variable GES (Geschlecht: GESM männlich, GESW weiblich, no
    # total) beside KREISE and WZ08G7.  It was refused with ten 'duplicate row for the same
    # period, region, ownership and industry' lines and no word of why; now one line naming
    # GES, its values and the fix
    src = DATA / "genesis_13111_ffcsv_ges.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "duplicate row" not in err
    assert "variable GES (Geschlecht)" in err and "GESM männlich, GESW weiblich" in err
    assert "not as a classifying variable" in err and "one GES value" in err
    # the rows of one GES value: read, the women's figures (0.45 of the made-up totals)
    text = src.read_text(encoding="utf-8").splitlines()
    women = tmp_path / "women.csv"
    women.write_text("\n".join([text[0]] + [ln for ln in text[1:] if ";GESW;" in ln]) + "\n", encoding="utf-8")
    rows = ingest_rows(capsys, women, tmp_path / "w.csv")
    cells = {(r["region"], r["industry"]): r["employment"] for r in rows}
    assert cells == {("03159", "A"): "555.0", ("03159", "G"): "9675.0", ("03159", "C"): "8910.0",
                     ("03159", "F"): "2295.0", ("03159", "10"): "53100.0"}


@pytest.mark.parametrize("raw", ["WZ08-B-10", "WZ08-B-01", "WZ08-47-02", "WZ08-501-01",
                                 # were read as the division ranges C10-C12, A01-A03
                                 "WZ08-10-12", "WZ08-01-03"])
def test_genesis_groupings_of_wz08_are_no_nace_codes(raw):
    # GENESIS writes its own groupings of WZ 2008 as WZ08-<start>-<nn> (WZ08-B-10 in table
    # 42153BM001 beside WZ08-C, WZ08-47-02, WZ08-501-01); what each holds is in its label
    # only.  Kept as written, with no level: never taken for a section or a division range
    from clusterid.core import codes

    assert codes.normalize(raw, "NACE") == raw
    assert codes.level(raw, "NACE") is None


@pytest.mark.parametrize("raw, code", [("WZ08-C", "C"), ("WZ08-272", "C27.2"), ("WZ08-55", "I55"),
                                       ("WZ08-4711", "G47.11"), ("10-12", "C10-C12")])
def test_genesis_wz08_codes_still_read(raw, code):
    from clusterid.core import codes

    assert codes.normalize(raw, "NACE") == code


def test_genesis_grouping_in_a_flat_file_is_refused_naming_it(tmp_path, capsys):
    # the 13111 ffcsv with WZ08-B-10 (a GENESIS grouping) in place of WZ08-A.  It was refused
    # as "not a NACE industry code ... found 'B-10'" (the code as the file has it cut) with the
    # hint "fix the code"; now the code as written and what it is
    src = DATA / "genesis_13111_ffcsv_wz08_grouping.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1
    assert "found 'WZ08-B-10'" in err and "GENESIS grouping of WZ 2008" in err and "--on-error skip" in err
    # skipped as the message says: the other rows read, the grouping's two rows rejected
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "s.csv"), "--on-error", "skip"], capsys)
    assert code == 0, err
    with open(tmp_path / "s.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 8 and not any("B-10" in r["industry"] for r in rows)
    assert {(r["region"], r["industry"]) for r in rows} >= {("03159", "C"), ("03241", "10")}


def test_statcube_title_year_no_longer_needs_period(tmp_path, capsys):
    # the STATcube export of test_unseen_europe_9 ('Abgestimmte Erwerbsstatistik 2021:
    # Erwerbstätige am Arbeitsort') needed --period 2021; its title's one year is read
    rows = ingest_rows(capsys, DATA / "at_statcube_bezirke_oenace.csv", tmp_path / "o.csv")
    assert {r["period"] for r in rows} == {"2021"} and len(rows) == 6


def test_german_flat_file_with_a_third_merkmal_names_it(tmp_path, capsys):
    # the German flat file (N_Merkmal_Code / N_Auspraegung_Code) with NAT Nationalität
    # (NATD Deutsche, NATA Ausländer) beside DLAND and WZ08G7, written from the Länder file
    rows = list(csv.reader((DATA / "genesis_13111_flat_de.csv").read_text(encoding="utf-8").splitlines(),
                           delimiter=";"))
    head = rows[0][:13] + ["3_Merkmal_Code", "3_Merkmal_Label", "3_Auspraegung_Code", "3_Auspraegung_Label"]
    lines = [";".join(head + rows[0][13:])]
    for r in rows[1:]:
        for c, lab in (("NATD", "Deutsche"), ("NATA", "Ausländer")):
            lines.append(";".join(r[:13] + ["NAT", "Nationalität", c, lab] + r[13:]))
    src = tmp_path / "nat.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and len([ln for ln in err.splitlines() if ln.strip()]) == 1
    assert "variable NAT (Nationalität)" in err and "NATD Deutsche, NATA Ausländer" in err
