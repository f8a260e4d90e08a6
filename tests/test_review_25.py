"""Review of session 25's changes: each test pins a defect found in them (wrong numbers with exit
0, or a sound file now refused or misread) and its fix."""

from __future__ import annotations

import pytest

from conftest import csv_rows, run_main


def _ingest(tmp_path, capsys, text: str, *options: str):
    src = tmp_path / "t.csv"
    src.write_text(text, encoding="utf-8")
    return run_main(["ingest", str(src), "-o", "-", *options], capsys)


def _table(heading: str) -> str:
    return (f"Region;NACE;Year;{heading}\nBayern;C;2022;150000\nBayern;F;2022;80000\n"
            "Hessen;C;2022;140000\nHessen;F;2022;60000\n")


# ---- measure headings: the employees' words (Arbeitnehmer, salariés, dipendenti, afiliados)
# made every heading about them employment -- their pay, their cost, a ratio per firm

@pytest.mark.parametrize("heading, measure", [
    # pay beside the employees it is paid to: read as employment, euros summed as jobs
    ("Bruttolöhne und -gehälter der Arbeitnehmer", "wages"),  # VGR der Länder
    ("Lohnsumme der Arbeitnehmer", "wages"),
    ("Rémunération des salariés", "wages"),  # INSEE (was wages before session 25)
    ("Remuneraciones de los asalariados", "wages"),
    ("Sueldos y salarios", "wages"),
    # counts that stay counts
    ("Numero di addetti delle imprese attive", "employment"),
    ("Numero unità locali delle imprese attive", "establishments"),
    ("Anzahl der Betriebe", "establishments"),
    ("Total de afiliados", "employment"),
    ("Tätige Personen der Betriebe", "employment"),
    ("Sysselsatte per 4. kvartal", "employment"),
    # "per" with a day's date is "as of" (Norwegian, Danish, German): a count at that date
    ("Sysselsatte per 31.12", "employment"),
    ("Sysselsatte per 31. desember", "employment"),
    ("Unemployment insurance covered employment", "employment"),  # the QCEW's covered jobs
    ("Employees covered by unemployment insurance", "employment"),
    # "the average yearly number of" counts what follows (ISTAT's ASIA)
    ("Numero medio annuo di addetti", "employment"),
    ("Nombre moyen de salariés", "employment"),
    ("Ensemble des salariés", "employment"),  # INSEE: all employees
    ("Anzahl der Beschäftigten", "employment"),  # (the German dative plural: no measure before)
    ("Zahl der tätigen Personen", "employment"),
    # jobs (workers) of the firms: with hunt-25's 'empleo', 'trabajadores', 'lavoratori' words
    # of employment, the head names the measure (as "Tätige Personen der Betriebe")
    ("Empleo de las empresas", "employment"),
    ("Trabajadores de las empresas", "employment"),
    ("Lavoratori delle imprese", "employment"),
    # the year's new words lead a period heading only: "the year's average" is no period
    ("Addetti (media anno)", "employment"),
    ("Werkzame personen (gemiddeld per jaar)", "employment"),
])
def test_measure_headings_read_as_their_measure(tmp_path, capsys, heading, measure):
    code, out, err = _ingest(tmp_path, capsys, _table(heading))
    assert code == 0, err
    rows = csv_rows(out)
    assert measure in rows[0], (heading, out, err)
    assert not any(m in rows[0] for m in ("employment", "establishments", "wages") if m != measure)


@pytest.mark.parametrize("heading", [
    # a ratio per firm, per employee, per inhabitant (each read as employment or wages, exit 0)
    "Arbeitnehmerentgelt je Arbeitnehmer", "Bruttolöhne und -gehälter je Arbeitnehmer",
    "Arbeitnehmer je Betrieb", "Tätige Personen je Betrieb", "Beschäftigte je 1000 Einwohner",
    "Addetti per impresa", "Dipendenti per unità locale", "Afiliados por empresa",
    "Personas ocupadas por empresa", "Salaires par salarié", "Salariés par établissement",
    "Workers per 1,000 residents", "Employment per 1.000 inhabitants",
    "Arbeitnehmerentgelt je geleisteter Arbeitsstunde", "Employment per employed person",
    # a cost (ISTAT): read as employment by its "dipendenti"
    "Costo del lavoro dei dipendenti",
    # the measure's word names of whom the heading speaks: a size class, a legal form, a
    # category of firm (dimensions), jobs in firms (not firms) -- read as employment or
    # establishments
    "Classe di addetti", "Forma giuridica delle imprese", "Catégorie d'entreprises",
    "Postes de travail des établissements",
])
def test_headings_that_are_no_count_are_no_measure(tmp_path, capsys, heading):
    code, out, err = _ingest(tmp_path, capsys, _table(heading))
    assert code == 1, (heading, out)
    assert "no measure column recognised" in err


def test_ratio_beside_its_count_is_a_column_not_read(tmp_path, capsys):
    """VGR der Länder: employees and the compensation per employee side by side -- the
    employees read, the ratio a column not read (it was a second employment column)."""
    text = ("Land;WZ;Jahr;Arbeitnehmer;Arbeitnehmerentgelt je Arbeitnehmer\n"
            "Bayern;C;2022;1500;52000\nBayern;F;2022;800;41000\n"
            "Hessen;C;2022;1400;55000\nHessen;F;2022;600;40000\n")
    code, out, err = _ingest(tmp_path, capsys, text)
    assert code == 0, err
    rows = csv_rows(out)
    assert sorted(float(r["employment"]) for r in rows) == [600.0, 800.0, 1400.0, 1500.0]
    assert "Arbeitnehmerentgelt je Arbeitnehmer" in err  # said as a column not read


# ---- month names with years: a region named like a month

def test_region_named_like_a_month_among_region_year_headings(tmp_path, capsys):
    """'Mayo 2016' (Ireland's County Mayo; Spanish 'mayo' is May) beside 'Galway 2016' was read
    as the period 2016M05 and its columns left out as 'not read': the county gone, exit 0."""
    text = "NACE;Galway 2016;Mayo 2016;Galway 2017;Mayo 2017\nC;1500;900;1600;950\nF;800;400;820;410\n"
    code, out, err = _ingest(tmp_path, capsys, text)
    assert code == 0, err
    rows = csv_rows(out)
    got = {(r["region"], r["period"], r["industry"]): float(r["employment"]) for r in rows}
    assert got[("Mayo", "2016", "C")] == 900.0 and got[("Mayo", "2017", "F")] == 410.0
    assert len(rows) == 8
    assert "not read" not in err


def test_months_across_stay_months(tmp_path, capsys):
    text = ("Region;NACE;Enero 2016;Febrero 2016;Mayo 2016\nMadrid;C;1500;900;1600\n"
            "Madrid;F;800;400;820\n")
    code, out, err = _ingest(tmp_path, capsys, text)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2016M01", "2016M02", "2016M05"}


# ---- Ctrl-Z at a file's end: the provenance's checksum is the user's file's

def test_ctrl_z_file_provenance_is_the_files_checksum(tmp_path, capsys):
    """A file ending in DOS's Ctrl-Z is read from a copy without it; the metadata named the
    user's file with the copy's sha256, which no `sha256sum` of the input matches."""
    import hashlib
    import json

    src = tmp_path / "dos.csv"
    src.write_bytes(b"Kreis;WZ 2008;Jahr;Besch\xe4ftigte\r\nA;C;2022;100\r\nA;F;2022;50\r\n"
                    b"B;C;2022;70\r\nB;F;2022;30\r\n\x1a")
    out = tmp_path / "c.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    meta = json.loads((tmp_path / "c.csv.meta.json").read_text())
    assert meta["inputs"][0]["sha256"] == hashlib.sha256(src.read_bytes()).hexdigest()
    assert meta["inputs"][0]["path"] == str(src)


# ---- lq -b rest: a region whose total is suppressed

def test_rest_of_a_region_with_a_suppressed_total_is_not_negative(tmp_path, capsys):
    """A region whose total is unknown is in neither sum of the rest of nation; its published
    cell was still taken out of the others': 700 - 1,000 = -300 written as its
    benchmark_industry_total, exit 0."""
    src = tmp_path / "three.csv"
    src.write_text("period,region,ownership,industry,level,employment,employment_status\n"
                   "2016,49001,total,10,0,2100,reported\n2016,49001,total,11,2,600,reported\n"
                   "2016,49001,total,21,2,300,reported\n2016,49003,total,10,0,,suppressed\n"
                   "2016,49003,total,11,2,1000,reported\n2016,49003,total,21,2,,suppressed\n"
                   "2016,49005,total,10,0,5000,reported\n2016,49005,total,11,2,100,reported\n"
                   "2016,49005,total,21,2,900,reported\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(src), "-b", "rest", "-o", "-"], capsys)
    assert code == 0, err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert rows[("49003", "11")]["benchmark_industry_total"] == "700.0"  # the others' 600 + 100
    assert rows[("49003", "11")]["lq"] == ""  # (its LQ undefined: the region's total unknown)
    assert rows[("49001", "11")]["benchmark_industry_total"] == "100.0"  # (49003 is in no sum)
    assert all(r["benchmark_industry_total"] == "" or float(r["benchmark_industry_total"]) >= 0
               for r in rows.values())


def test_istat_table_with_anno_is_read(tmp_path, capsys):
    """ISTAT's headings: 'Regione', 'Ramo di attività', 'Addetti' were made known this session,
    but 'Anno' (year) was not: the table was still 'no period column recognised'."""
    text = ("Regione;Ramo di attività;Anno;Addetti\nLombardia;C;2022;150000\nLombardia;F;2022;80000\n"
            "Lazio;C;2022;140000\nLazio;F;2022;60000\n")
    code, out, err = _ingest(tmp_path, capsys, text)
    assert code == 0, err
    rows = csv_rows(out)
    assert {r["period"] for r in rows} == {"2022"}
    assert sorted(float(r["employment"]) for r in rows) == [60000.0, 80000.0, 140000.0, 150000.0]


@pytest.mark.parametrize("heading", ["Rémunération moyenne des salariés", "Salario medio",
                                     "Retribuzione media"])
def test_romance_average_wage_is_refused(tmp_path, capsys, heading):
    """An average wage in French, Spanish or Italian was read as a wage total (summed over
    industries and regions, exit 0); refused as English and German averages are."""
    code, out, err = _ingest(tmp_path, capsys, _table(heading))
    assert code == 1, out
    assert "an average wage column" in err


def test_istat_section_names_across_are_no_industry_columns(tmp_path, capsys):
    """ISTAT's ATECO section names start with 'Attività' (made an industry word this session):
    across a table each was an industry column, refused as two columns that could each be the
    industry. Coded ('C Attività manifatturiere') they are read; uncoded, the table says it
    has no industry column, and 'Ramo di attività' stays the industry's heading."""
    text = ("Regione;Anno;Attività manifatturiere;Costruzioni;Attività immobiliari\n"
            "Lombardia;2022;900000;300000;40000\nLazio;2022;200000;150000;30000\n")
    code, _out, err = _ingest(tmp_path, capsys, text)
    assert code == 1 and "could each be" not in err, err
    coded = text.replace("Attività manifatturiere;Costruzioni;Attività immobiliari",
                         "C Attività manifatturiere;F Costruzioni;L Attività immobiliari")
    code, out, err = _ingest(tmp_path, capsys, coded)
    assert code == 0, err
    assert {r["industry"] for r in csv_rows(out)} == {"C", "F", "L"}


@pytest.mark.parametrize("text, said", [
    ("Region,NAICS,Year,Month,Employment\nUtah,31,2016,1,100\nUtah,31,2016,13,120\n",
     "t.csv:3: column 'Month': not a month"),
    ("Region,NAICS,Year,Qtr,Employment\nUtah,31,2016,1,100\nUtah,31,2016,5,110\n",
     "t.csv:3: column 'Qtr': not a quarter"),
])
def test_a_bad_month_or_quarter_cell_is_said_of_its_column(tmp_path, capsys, text, said):
    """A month (quarter) column beside the year: a cell that is none was 'column 'Year': not a
    period ... found '2016 13'' -- the year's column named, whose 2016 is sound."""
    code, _out, err = _ingest(tmp_path, capsys, text)
    assert code == 1
    assert said in err and "'Year'" not in err, err


# ---- canonical tables clusterid did not write: a region numbered 0

def test_region_numbered_zero_is_no_total_unless_its_figures_are(tmp_path, capsys):
    """This session's total rows of a foreign canonical table took a code of zeros for the
    nation (SCB's 00 Riket): a table whose regions are numbered from 0 lost region 0 as 'region
    total rows', exit 0. A total is at least each of its regions; one that is not is a region."""
    head = "period,region,ownership,industry,classification,level,employment\n"
    rows = ("2016,{z},total,10,NAICS,0,{t}\n2016,{z},total,11,NAICS,2,{c}\n2016,01,total,10,NAICS,0,200\n"
            "2016,01,total,11,NAICS,2,50\n2016,02,total,10,NAICS,0,300\n2016,02,total,11,NAICS,2,60\n")
    src = tmp_path / "ids.csv"
    src.write_text(head + rows.format(z="00", t=100, c=40), encoding="utf-8")
    code, out, err = run_main(["stats", str(src)], capsys)
    assert code == 0, err
    assert {r["region"] for r in csv_rows(out)} == {"00", "01", "02"}
    assert "dropped" not in err
    # the nation's row (at least every region's figure) is still dropped, and said
    src.write_text(head + rows.format(z="00", t=500, c=110), encoding="utf-8")
    code, out, err = run_main(["stats", str(src)], capsys)
    assert code == 0, err
    assert {r["region"] for r in csv_rows(out)} == {"01", "02"}
    assert "dropped 2 region total rows" in err


@pytest.mark.parametrize("said, industries", [("NAICS", {"10", "11"}), ("NACE", {"C10", "C11"})])
def test_a_classification_column_settles_naics_or_nace(tmp_path, capsys, said, industries):
    """A canonical-looking table without an ownership column is read by the generic reader,
    which left its classification column unread: NAICS sectors beside their total 10 were
    refused as 'cannot tell NAICS from NACE' with 'NAICS' on every line."""
    src = tmp_path / "c.csv"
    src.write_text("period,region,industry,classification,level,employment\n"
                   f"2016,A,10,{said},0,100\n2016,A,11,{said},2,40\n"
                   f"2016,B,10,{said},0,200\n2016,B,11,{said},2,50\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert {r["industry"] for r in rows} == industries
    assert {r["classification"] for r in rows} == {said}
    assert "'classification'" not in err  # (read, so not named as a column not read)
