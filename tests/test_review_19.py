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
    assert float(rows[("0301 Oslo", "C")]["employment"]) == 21000
    assert float(rows[("4601 Bergen", "10")]["employment"]) == 160000
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

