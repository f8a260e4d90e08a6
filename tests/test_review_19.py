"""Review of session 19's changes (adversarial): inputs where a word or pattern added this
session means something else, each read as the code before the session read it."""

from __future__ import annotations

from conftest import csv_rows, run_main


def test_kvartal_and_tid_later_in_a_measure_heading_are_no_period(tmp_path, capsys):
    """Statistics Norway's table 07984 "Sysselsatte per 4. kvartal" (employed persons in the
    4th quarter), saved from the StatBank as a semicolon CSV with the content as the value
    column's heading, the year in its own column "år".  The Nordic period words "kvartal" and
    "tid" (added for SSB's "kvartal" and StatBank Denmark's "TID" columns) made the measure's
    heading a second period column: refused with exit 2 ("columns 'år' and 'Sysselsatte per 4.
    kvartal' could each be the period"), where it was read as employment.  As "år", they head
    the period's column only as the heading's first word."""
    src = tmp_path / "07984.csv"
    src.write_text("region;næring (SN2007);år;Sysselsatte per 4. kvartal\n"
                   "0301 Oslo;00 Alle næringer;2022;480000\n"
                   "0301 Oslo;C Industri;2022;21000\n"
                   "4601 Bergen;00 Alle næringer;2022;160000\n"
                   "4601 Bergen;C Industri;2022;12000\n", encoding="utf-8")
    out = tmp_path / "no.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert float(rows[("0301", "C")]["employment"]) == 21000
    assert float(rows[("4601", "10")]["employment"]) == 160000
    assert {r["period"] for r in rows.values()} == {"2022"}
    # Danish: full-time employees, "fuld tid" after the measure's word
    src.write_text("region;branche;år;Beskæftigede lønmodtagere, fuld tid\n"
                   "Region Hovedstaden;C Industri;2022;70123\n"
                   "Region Sjælland;C Industri;2022;30456\n", encoding="utf-8")
    # (the heading's words name no measure clusterid knows: what matters is that "tid" does
    # not make it a period column rivalling "år")
    code, _out, err = run_main(["ingest", str(src), "-o", str(out), "--measure-col",
                                "employment=Beskæftigede lønmodtagere, fuld tid"], capsys)
    assert code == 0, err
    assert [float(r["employment"]) for r in csv_rows(out.read_text(encoding="utf-8"))] == [70123, 30456]


def test_lq_in_parts_a_period_with_bounds_beside_one_without(monkeypatch, capsys, tmp_path):
    """A CBP panel ingested as one table: 2016's county file gives a withheld cell Census's
    range letter 'a' (0 to 19 employees, its bounds in employment_lower/_upper), 2021's file
    has no range letters (Census dropped them), so no bounds.  lq computed whole writes
    lq_bound_lower, lq_bound_upper and specialised_robust for every row; computed in parts
    (core.lq.PART_CELLS lowered to 0), the 2016 part had those columns and the 2021 parts not:
    the Parquet written was unreadable (polars panicked reading it: 'assertion left == right
    failed') and the CSV's rows had 25 fields under a header of 28, with exit 0.  The parts
    now carry the columns the whole table does, and give its rows and bytes."""
    import polars as pl

    from clusterid.core import lq as core

    src = tmp_path / "cbp_panel.csv"
    src.write_text(
        "period,region,ownership,industry,level,employment,employment_status,employment_lower,"
        "employment_upper,employment_flag\n"
        "2016,49001,total,10,0,1500,reported,,,\n"
        "2016,49001,total,23,2,,suppressed,0,19,a\n"
        "2016,49001,total,44-45,2,300,reported,,,\n"
        "2016,49003,total,10,0,9000,reported,,,\n"
        "2016,49003,total,23,2,700,reported,,,\n"
        "2016,49003,total,44-45,2,1400,reported,,,\n"
        "2021,49001,total,10,0,1600,reported,,,\n"
        "2021,49001,total,23,2,,suppressed,,,D\n"
        "2021,49001,total,44-45,2,310,reported,,,\n"
        "2021,49003,total,10,0,9400,reported,,,\n"
        "2021,49003,total,23,2,760,reported,,,\n"
        "2021,49003,total,44-45,2,1450,reported,,,\n", encoding="utf-8")
    table = tmp_path / "cbp_panel.parquet"
    code, _out, err = run_main(["ingest", str(src), "-o", str(table)], capsys)
    assert code == 0, err
    got = {}
    for parts in (False, True):
        monkeypatch.setattr(core, "PART_CELLS", 0 if parts else 10**12)
        for ext in ("parquet", "csv"):
            out = tmp_path / f"lq_{parts}.{ext}"
            code, _out, err = run_main(["lq", str(table), "-o", str(out)], capsys)
            assert code == 0, err
            assert ("computed in 2 parts" in err) == parts
            got[parts, ext] = out
    whole, in_parts = pl.read_parquet(got[False, "parquet"]), pl.read_parquet(got[True, "parquet"])
    assert "lq_bound_lower" in whole.columns and whole.height == 12
    assert in_parts.equals(whole)
    assert got[True, "csv"].read_bytes() == got[False, "csv"].read_bytes()


def test_month_and_quarter_words_later_in_a_measure_heading_are_no_period(tmp_path, capsys):
    """The Nordic month and quarter words added after "kvartal" and "tid" (b569e62: SCB's
    "månad", SSB's "måned", StatFin's "Kuukausi" and "Vuosineljännes") made any heading
    holding them a period column: SSB's "Sysselsatte, gjennomsnitt per måned" (employed, the
    average per month) beside "år" was refused with exit 2 ('could each be the period'), where
    it was read as employment before.  They too head the period's column only as the
    heading's first word."""
    src = tmp_path / "ssb.csv"
    src.write_text("region;næring (SN2007);år;Sysselsatte, gjennomsnitt per måned\n"
                   "0301 Oslo;C Industri;2022;21000\n"
                   "4601 Bergen;C Industri;2022;12000\n", encoding="utf-8")
    out = tmp_path / "no.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert [(r["period"], float(r["employment"])) for r in rows] == [("2022", 21000), ("2022", 12000)]
    # the month's own column still is the period (SCB's "månad": 2023M01)
    src.write_text("region;näringsgren SNI 2007;månad;Sysselsatta\n"
                   "01 Stockholms län;C tillverkning;2023M01;80000\n"
                   "01 Stockholms län;C tillverkning;2023M02;80500\n", encoding="utf-8")
    code, _out, err = run_main(["ingest", str(src), "-o", str(out), "--measure-col",
                                "employment=Sysselsatta"], capsys)
    assert code == 0, err
    assert [r["period"] for r in csv_rows(out.read_text(encoding="utf-8"))] == ["2023M01", "2023M02"]


def _lq_both_ways(monkeypatch, capsys, tmp_path, table, *extra):
    """``lq TABLE`` computed whole and in parts: (metadata of each, stderr of each)."""
    import json

    import polars as pl

    from clusterid.core import lq as core

    got = []
    for parts in (False, True):
        monkeypatch.setattr(core, "PART_CELLS", 0 if parts else 10**12)
        out = tmp_path / f"lq_{parts}.parquet"
        code, _out, err = run_main(["lq", str(table), "-o", str(out), *extra], capsys)
        assert code == 0, err
        assert ("parts (measure, period)" in err) == parts
        meta = json.loads(pl.read_parquet_metadata(out)["clusterid"])
        meta["lq"].pop("computed_in_parts", None)
        said = [line.replace(out.name, "OUT") for line in err.splitlines()
                if "parts (measure, period)" not in line]
        got.append((pl.read_parquet(out), meta, said))
    (whole, meta_w, err_w), (parts, meta_p, err_p) = got
    assert parts.equals(whole)
    return meta_w, meta_p, err_w, err_p


def test_lq_in_parts_says_the_few_industries_note_as_whole(monkeypatch, capsys, tmp_path):
    """A table without all-industry rows (two regions' sections of two years, a user's
    extract, hand-checkable): each region's total is the sum of its industries.  Computed
    whole, four industries over the two years are summed, more than three, so nothing was said;
    in parts each year's two made the 'those are few' note appear, in the metadata and on
    stderr, where the whole run has none.  The note is now taken over the whole table's
    summed industries in parts too."""
    src = tmp_path / "extract.csv"
    src.write_text("period,region,ownership,industry,level,employment,employment_status\n"
                   "2016,A,total,11,2,10,reported\n2016,A,total,21,2,20,reported\n"
                   "2016,B,total,11,2,30,reported\n2016,B,total,21,2,15,reported\n"
                   "2017,A,total,31,2,12,reported\n2017,A,total,42,2,22,reported\n"
                   "2017,B,total,31,2,31,reported\n2017,B,total,42,2,16,reported\n",
                   encoding="utf-8")
    meta_w, meta_p, err_w, err_p = _lq_both_ways(monkeypatch, capsys, tmp_path, src)
    assert "notes" not in meta_w["lq"]
    assert meta_p == meta_w and err_p == err_w


def test_lq_in_parts_says_the_lone_region_note_as_whole(monkeypatch, capsys, tmp_path):
    """A state (S) and one county each year, county A in 2016 and county B in 2017 (a user's
    extract of the county they track, whose code changed): computed whole, the county level
    holds two regions, and the note names the state alone; in parts each year's county was
    named too, as 'employment, 2016: ... A (county), S (state) (likewise in 1 more of the 2
    parts ...)'.  The note is now taken over the whole table's regions in parts too."""
    src = tmp_path / "extract.csv"
    src.write_text("period,region,ownership,industry,level,region_level,employment,employment_status\n"
                   "2016,A,total,10,0,county,100,reported\n2016,A,total,11,2,county,40,reported\n"
                   "2016,S,total,10,0,state,1000,reported\n2016,S,total,11,2,state,300,reported\n"
                   "2017,B,total,10,0,county,200,reported\n2017,B,total,11,2,county,50,reported\n"
                   "2017,S,total,10,0,state,1100,reported\n2017,S,total,11,2,state,320,reported\n",
                   encoding="utf-8")
    for extra in ((), ("-b", "rest")):
        meta_w, meta_p, err_w, err_p = _lq_both_ways(monkeypatch, capsys, tmp_path, src, *extra)
        assert any("alone at its region level" in n and ": S (state);" in n
                   for n in meta_w["lq"]["notes"])
        assert meta_p == meta_w and err_p == err_w


def test_lq_in_parts_a_period_without_the_all_ownership_total(monkeypatch, capsys, tmp_path):
    """A QCEW-like panel whose 2017 table was ingested with --ownership private only (the case
    lq's note on --denominator all-ownership names): computed whole, 2017's LQs are empty ('no
    region total') and a note says so, exit 0; in parts the 2017 part was refused on its own
    ("the input has no such row (ownerships: private)"), exit 2, no output.  The refusal is now
    decided on the whole table, and the note lists the periods of the whole table."""
    src = tmp_path / "panel.csv"
    rows = ["period,region,ownership,industry,level,employment,employment_status"]
    for period, ownerships in (("2016", ("total", "private")), ("2017", ("private",)),
                               ("2018", ("private",))):
        for region, (tot, a, b) in (("49001", (1000, 300, 200)), ("49003", (5000, 900, 1600))):
            for own in ownerships:
                share = 1.0 if own == "total" else 0.8
                rows += [f"{period},{region},{own},10,0,{tot * share:g},reported",
                         f"{period},{region},{own},11,2,{a * share:g},reported",
                         f"{period},{region},{own},21,2,{b * share:g},reported"]
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    meta_w, meta_p, err_w, err_p = _lq_both_ways(monkeypatch, capsys, tmp_path, src,
                                                 "--denominator", "all-ownership")
    assert any("periods 2017, 2018 have no all-ownership total" in n for n in meta_w["lq"]["notes"])
    assert meta_p == meta_w and err_p == err_w


def test_lq_in_parts_says_the_unplaced_and_aggregate_notes_as_whole(monkeypatch, capsys,
                                                                     tmp_path):
    """Two tables of two years as one canonical table (hand-checkable toys of the REAT and
    Eurostat layouts): REAT's unlettered activity spelled differently in the two years
    ('Freiberufl. DL', 'Freiberufliche DL'), and Eurostat's K-N listed by region B in 2016
    while its parts K, L-N are listed in 2017 only.  Computed whole, one note names both
    spellings and one names B's K-N; in parts each year said its own spelling ('employment,
    2016: 1 industries ... (likewise in 1 more ...)') and B's K-N went unsaid (2016's part
    has no K).  The notes are now taken over the whole table's codes in parts too."""
    src = tmp_path / "toys.csv"
    src.write_text(
        "period,region,ownership,industry,level,employment,employment_status\n"
        "2016,A,total,C,1,100,reported\n2016,A,total,F,1,50,reported\n"
        "2016,A,total,Freiberufl. DL,,20,reported\n"
        "2016,B,total,C,1,80,reported\n2016,B,total,K-N,1,40,reported\n"
        "2016,B,total,Freiberufl. DL,,10,reported\n"
        "2017,A,total,C,1,110,reported\n2017,A,total,K,1,30,reported\n"
        "2017,A,total,L-N,1,25,reported\n2017,A,total,Freiberufliche DL,,22,reported\n"
        "2017,B,total,C,1,85,reported\n2017,B,total,K,1,12,reported\n"
        "2017,B,total,L-N,1,30,reported\n2017,B,total,Freiberufliche DL,,11,reported\n",
        encoding="utf-8")
    table = tmp_path / "toys.parquet"
    code, _out, err = run_main(["ingest", str(src), "-o", str(table)], capsys)
    assert code == 0, err
    meta_w, meta_p, err_w, err_p = _lq_both_ways(monkeypatch, capsys, tmp_path, table)
    notes = meta_w["lq"]["notes"]
    assert any("2 industries whose codes have no level" in n for n in notes), notes
    assert any("K-N in 1 region (B)" in n for n in notes), notes
    assert meta_p == meta_w and err_p == err_w
