"""Adversarial review of session 17's heading words, total words and code rules: each test
writes a table of another office, country or layout where a word or shape a rule added means
something else, and checks that it reads as it did before the rule (or better)."""

from __future__ import annotations

from conftest import csv_rows, ingest_text, run_main

# Statistics Norway (SSB), StatBank table 13470 "semicolon separated with heading": the
# content's label names the age ("15-74 år", aged 15-74 years) after the employed
SSB_AGED = '''\
"13470: Sysselsatte personer etter arbeidssted, etter region, næring (SN2007), statistikkvariabel og år"

"region";"næring (SN2007)";"år";"Sysselsatte personer 15-74 år"
"03 Oslo";"C Industri";"2022";11000
"03 Oslo";"F Bygge- og anleggsvirksomhet";"2022";30000
"46 Vestland";"C Industri";"2022";30000
"46 Vestland";"F Bygge- og anleggsvirksomhet";"2022";25000
'''


def test_a_year_word_after_a_measure_is_its_age_not_the_period(tmp_path, capsys):
    """e77269e made "år" a period word wherever it stood in a heading, so SSB's "Sysselsatte
    personer 15-74 år" was a second period column beside "år" and the table was refused
    ('could each be the period'); with the year in the title instead, each count was 'not a
    period'.  "år", "ano" and "année" head the period as the heading's first word only."""
    code, err, rows = ingest_text(tmp_path, capsys, "13470.csv", SSB_AGED)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("2022", "03 Oslo", "C"): 11000, ("2022", "03 Oslo", "F"): 30000,
                   ("2022", "46 Vestland", "C"): 30000, ("2022", "46 Vestland", "F"): 25000}
    one_year = SSB_AGED.replace("statistikkvariabel og år", "statistikkvariabel, 2022") \
        .replace('"år";', "").replace('"2022";', "")
    code, err, rows = ingest_text(tmp_path, capsys, "13470b.csv", one_year)
    assert code == 0, err
    assert {(r["period"], float(r["employment"])) for r in rows} == {
        ("2022", 11000), ("2022", 30000), ("2022", 25000)}
