"""ingest on inputs the project was not tuned on (session 9): quarterly and annual data dated
by the period's first day, two-level region headings of a yearbook sheet, canonical tables a
spreadsheet re-saved without their codes' leading zeros, and the rejects file of a failed run.
Expected values are written out by hand from the files in tests/data/unseen9."""

from __future__ import annotations

import csv
import os
import re

import pytest

from conftest import TEST_DATA, run_main

DATA = TEST_DATA / "unseen9"
BAD_NUMBER = TEST_DATA / "generic" / "bad_number.csv"  # lines 3 and 4 hold '12a' and 'b7'


# ------------------------------------------------------------- rejects: both files or neither

def test_failed_output_write_restores_the_earlier_rejects(tmp_path, capsys):
    """The rejects were written during the ingest, before the output: an output that could not
    be written (its folder is a file) left the new rejects in place of the earlier run's,
    beside the earlier run's output -- two rejected rows that belong to no table.  Now the
    earlier rejects are back, byte for byte, and the error is the one line it was."""
    src = tmp_path / "bad_number.csv"
    src.write_bytes(BAD_NUMBER.read_bytes())
    rej = tmp_path / "rej.csv"
    rej.write_text("source,line,column,reason,found\nearlier.csv,9,employment,x,y\n")
    before = rej.read_bytes()
    (tmp_path / "blocker").write_text("x")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "blocker" / "out.csv"),
                                "--on-error", "skip", "--rejects", str(rej)], capsys)
    assert code == 2 and "cannot write output" in err, err
    assert rej.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad_number.csv", "blocker", "rej.csv"]


def test_failed_output_write_leaves_no_new_rejects(tmp_path, capsys):
    src = tmp_path / "bad_number.csv"
    src.write_bytes(BAD_NUMBER.read_bytes())
    (tmp_path / "blocker").write_text("x")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "blocker" / "out.csv"),
                                "--on-error", "skip", "--rejects", str(tmp_path / "rej.csv")], capsys)
    assert code == 2, err
    assert not (tmp_path / "rej.csv").exists()


def test_successful_run_replaces_the_earlier_rejects(tmp_path, capsys):
    src = tmp_path / "bad_number.csv"
    src.write_bytes(BAD_NUMBER.read_bytes())
    rej = tmp_path / "rej.csv"
    rej.write_text("source,line,column,reason,found\nearlier.csv,9,employment,x,y\n")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "out.csv"),
                                "--on-error", "skip", "--rejects", str(rej)], capsys)
    assert code == 0, err
    assert [r["line"] for r in csv.DictReader(rej.open())] == ["3", "4"]
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_clean_run_leaves_no_earlier_rejects_beside_its_output(tmp_path, capsys):
    """A run that rejects nothing wrote no rejects file and recorded rejects_file null, but an
    earlier run's rejects at the same path stayed beside the new output, to be taken for its."""
    src = tmp_path / "good.csv"
    src.write_text("region,industry,year,employment\nAlpha,C,2016,120\nAlpha,F,2016,20\n")
    rej = tmp_path / "out.csv.rejects.csv"
    rej.write_text("source,line,column,reason,found\nearlier.csv,9,employment,x,y\n")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "out.csv"),
                                "--on-error", "skip"], capsys)
    assert code == 0, err
    assert not rej.exists()


# ------------------------------------------- quarterly and annual data dated by a day

def _ingest(tmp_path, capsys, name, *extra):
    out = tmp_path / (name + ".out.csv")
    code, _o, err = run_main(["ingest", str(DATA / name), "-o", str(out), *extra], capsys)
    rows = list(csv.DictReader(out.open(encoding="utf-8"))) if code == 0 else []
    return code, err, rows


def test_sdmx_quarters_dated_by_their_first_day_are_quarters(tmp_path, capsys):
    """An SDMX-CSV export (FREQ Q) dating each quarter by its first day, 2016-01-01 ...
    2017-01-01: read as the months 2016M01, 2016M04, 2016M07, 2016M10, 2017M01 -- a
    quarterly panel that looked monthly with two months in three missing."""
    code, err, rows = _ingest(tmp_path, capsys, "sdmx_quarterly_first_day.csv")
    assert code == 0, err
    assert sorted({r["period"] for r in rows}) == ["2016Q1", "2016Q2", "2016Q3", "2016Q4", "2017Q1"]
    by = {(r["region"], r["industry"], r["period"]): r for r in rows}
    assert by[("AT12", "C", "2016Q3")]["employment"] == "123100.0"  # 123.1 thousand
    assert by[("AT12", "F", "2016Q2")]["employment_status"] == "suppressed"
    assert by[("AT12", "F", "2016Q2")]["employment"] == ""


def test_quarters_dated_by_their_last_day_are_quarters(tmp_path, capsys):
    """End-of-period dates (2016-03-31, 2016-06-30 ...) with no FREQ code: every date the
    last day of a quarter, all four quarters present -> 2016Q1..Q4 (were 2016M03..2016M12)."""
    code, err, rows = _ingest(tmp_path, capsys, "long_quarter_end_dates.csv")
    assert code == 0, err
    got = sorted((r["region"], r["period"], r["employment"]) for r in rows)
    assert got[:4] == [("DE11", "2016Q1", "401.2"), ("DE11", "2016Q2", "402.0"),
                       ("DE11", "2016Q3", "404.7"), ("DE11", "2016Q4", "403.9")]


def test_one_quarter_stated_by_freq_is_that_quarter_not_its_year(tmp_path, capsys):
    """FREQ Q and one date, 2016-04-01, throughout: the one-day rule (a Stichtag) made it the
    year 2016 -- the second quarter's figures passed for the year's."""
    code, err, rows = _ingest(tmp_path, capsys, "sdmx_one_quarter.csv")
    assert code == 0, err
    assert {r["period"] for r in rows} == {"2016Q2"}


def test_annual_data_dated_by_the_first_of_january_are_years(tmp_path, capsys):
    code, err, rows = _ingest(tmp_path, capsys, "sdmx_annual_first_day.csv")
    assert code == 0, err
    assert sorted((r["region"], r["period"], r["employment"]) for r in rows) == [
        ("AT11", "2015", "21.1"), ("AT11", "2016", "21.6"), ("AT12", "2015", "120.2"), ("AT12", "2016", "122.4")]


def test_two_quarters_of_the_year_only_are_refused_naming_the_fix(tmp_path, capsys):
    """Headings 2016-01-01, 2016-07-01, 2017-01-01, 2017-07-01 and nothing saying how they are
    meant: quarters with gaps, half-years or months.  They were read as months, silently."""
    code, err, _rows = _ingest(tmp_path, capsys, "wide_two_quarters_no_freq.csv")
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "2016-01-01" in err and "--period-freq quarter" in err and "half-years" in err


def test_a_title_saying_quarterly_settles_two_quarters(tmp_path, capsys):
    code, err, rows = _ingest(tmp_path, capsys, "wide_two_quarters_titled.csv")
    assert code == 0, err
    assert sorted({r["period"] for r in rows}) == ["2016Q1", "2016Q3", "2017Q1", "2017Q3"]


@pytest.mark.parametrize("freq, want", [("quarter", ["2016Q1", "2016Q3", "2017Q1", "2017Q3"]),
                                        ("month", ["2016M01", "2016M07", "2017M01", "2017M07"])])
def test_period_freq_option_says_how_dates_are_meant(tmp_path, capsys, freq, want):
    code, err, rows = _ingest(tmp_path, capsys, "wide_two_quarters_no_freq.csv", "--period-freq", freq)
    assert code == 0, err
    assert sorted({r["period"] for r in rows}) == want


def test_period_freq_year_over_quarter_dates_is_a_duplicate_not_a_sum(tmp_path, capsys):
    """--period-freq year on quarterly dates: each key four times in one year -- refused as
    duplicates, never added up."""
    code, err, _rows = _ingest(tmp_path, capsys, "long_quarter_end_dates.csv", "--period-freq", "year")
    assert code == 1 and "duplicate" in err.lower()


def test_statcan_ref_date_months_read_as_quarters_when_told(tmp_path, capsys):
    """StatCan dates a quarterly table's REF_DATE by its first month (2016-01, 2016-04 ...)."""
    code, err, rows = _ingest(tmp_path, capsys, "statcan_ref_date_quarterly.csv", "--period-freq", "quarter")
    assert code == 0, err
    assert sorted({r["period"] for r in rows}) == ["2016Q1", "2016Q2", "2016Q3", "2016Q4"]


def test_monthly_freq_keeps_quarter_month_dates_months(tmp_path, capsys):
    src = tmp_path / "m.csv"
    src.write_text((DATA / "sdmx_quarterly_first_day.csv").read_text().replace(",Q,", ",M,"))
    out = tmp_path / "o.csv"
    code, _o, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    assert sorted({r["period"] for r in csv.DictReader(out.open())}) == [
        "2016M01", "2016M04", "2016M07", "2016M10", "2017M01"]


def test_rows_of_two_frequencies_dated_alike_are_refused(tmp_path, capsys):
    src = tmp_path / "mixed.csv"
    text = (DATA / "sdmx_quarterly_first_day.csv").read_text().splitlines()
    text += ["XX:DF_EMP_REG_A(1.0),A,AT11,C,THS_PER,2016-01-01,21.6,"]
    src.write_text("\n".join(text) + "\n")
    code, _o, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "more than one frequency" in err and "split the file by FREQ" in err


def test_stichtag_dates_stay_years(tmp_path, capsys):
    """GENESIS's 30.06.2016, 30.06.2017 (one day of the year throughout) stay the years -- not
    quarters, although each is a quarter's last day."""
    src = tmp_path / "s.csv"
    src.write_text("region,industry,Stichtag,employment\n03159,C,30.06.2016,100\n03159,C,30.06.2017,101\n")
    out = tmp_path / "o.csv"
    code, _o, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    assert sorted(r["period"] for r in csv.DictReader(out.open())) == ["2016", "2017"]


# ------------------------------- a canonical CSV saved again by a spreadsheet: leading zeros

RESAVED = DATA / "canonical_al_resaved_by_spreadsheet.csv"  # 1, 1001, 1003, 1005, 13001


def test_resaved_table_gets_its_fips_zeros_back_in_stats_lq_and_detect(tmp_path, capsys):
    """clusterid's CSV of Alabama (state 01, counties 01001-01005) and Appling County GA
    (13001) saved again by a spreadsheet (no sidecar, CRLF, 2811.0 -> 2811, 01001 -> 1001):
    stats, lq and detect reported regions '1', '1001', '1003', '1005' -- codes no other
    file has.  Their region_level (state: 2 digits, county: 5) says what was lost."""
    want = ["01", "01001", "01003", "01005", "13001"]
    code, out, err = run_main(["stats", str(RESAVED), "--output-format", "csv"], capsys)
    assert code == 0, err
    assert sorted({r["region"] for r in csv.DictReader(out.splitlines())}) == want
    code, _o, err = run_main(["lq", str(RESAVED), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    rows = list(csv.DictReader((tmp_path / "lq.csv").open()))
    assert sorted({r["region"] for r in rows}) == want
    autauga = {r["industry"]: r for r in rows if r["region"] == "01001"}
    assert float(autauga["31-33"]["value"]) == 2811.0 and float(autauga["31-33"]["region_total"]) == 10038.0
    code, _o, err = run_main(["detect", str(RESAVED), "-o", str(tmp_path / "det")], capsys)
    assert code == 0, err
    regions = {r["region"] for r in csv.DictReader((tmp_path / "det" / "regional_clusters.csv").open())}
    assert regions <= set(want) and "01001" in regions


def test_one_region_with_and_without_its_zero_is_refused(tmp_path, capsys):
    """Rows appended from clusterid's own export (01001, 2017) under the re-saved ones (1001,
    2016), the level column emptied: read as two regions, Autauga's 2016 and 2017 in two
    series.  Now a located error naming both spellings and the fix."""
    lines = RESAVED.read_text().replace(",county,", ",,").replace(",state,", ",,").splitlines()
    lines.append("2017,01001,total,31-33,,,,NAICS,2,2859,reported,,,")
    src = tmp_path / "appended.csv"
    src.write_text("\n".join(lines) + "\n")
    code, _o, err = run_main(["stats", str(src)], capsys)
    assert code == 1
    assert "appended.csv:5" in err and "'1001' and '01001'" in err and "leading zero" in err
    assert "Traceback" not in err


def test_the_short_spelling_below_a_quoted_line_break_is_named_at_its_line(tmp_path, capsys):
    """The appended table above with Alabama's name (its first row, line 2) on two lines in
    one quoted cell (Alt+Enter in a spreadsheet): Autauga's first row '2016,1001,...' is then
    line 6, not 5, and the short spelling was named a line too early (record + 2)."""
    lines = RESAVED.read_text().replace(",county,", ",,").replace(",state,", ",,").splitlines()
    assert lines[1].startswith("2016,1,total,10,,") and lines[4].startswith("2016,1001,")
    lines[1] = lines[1].replace("2016,1,total,10,,", '2016,1,total,10,"Ala\nbama",', 1)
    lines.append("2017,01001,total,31-33,,,,NAICS,2,2859,reported,,,")
    src = tmp_path / "appended.csv"
    src.write_text("\n".join(lines) + "\n")
    assert src.read_text().splitlines()[5].startswith("2016,1001,")  # line 6
    code, _o, err = run_main(["stats", str(src)], capsys)
    assert code == 1, err
    assert "appended.csv:6: column 'region': region '1001' and '01001'" in err, err


def test_a_parquet_table_with_both_spellings_is_named_by_row_not_line(tmp_path, capsys):
    """The appended table above saved as Parquet (pandas, a spreadsheet's export): the short
    spelling was named at 'appended.parquet:5', a line a Parquet file does not have; its row
    is said instead, as the other checks of a foreign Parquet table say theirs."""
    import polars as pl

    lines = RESAVED.read_text().replace(",county,", ",,").replace(",state,", ",,").splitlines()
    lines.append("2017,01001,total,31-33,,,,NAICS,2,2859,reported,,,")
    src = tmp_path / "appended.parquet"
    (pl.read_csv("\n".join(lines).encode(), infer_schema_length=0)
     .with_columns(pl.col("level").cast(pl.Int64), pl.col("employment").cast(pl.Float64))
     .write_parquet(src))
    code, _o, err = run_main(["stats", str(src)], capsys)
    assert code == 1, err
    assert f"{src}: column 'region': region '1001' and '01001'" in err and "; row " in err, err
    assert not re.search(r"appended\.parquet:\d", err), err


def test_custom_industry_codes_with_and_without_their_zero_are_refused(tmp_path, capsys):
    """SIC 0100 (crops) beside a re-saved 100: one industry read as two."""
    src = tmp_path / "sic.csv"
    header = RESAVED.read_text().splitlines()[0]  # clusterid's canonical columns
    src.write_text(header + "\n2016,13001,total,0100,,county,,custom,,210,reported,,,\n"
                   "2017,13001,total,100,,county,,custom,,215,reported,,,\n")
    code, _o, err = run_main(["stats", str(src)], capsys)
    assert code == 1 and "industry '100' and '0100'" in err and "sic.csv:3" in err


def test_resaved_table_with_its_old_sidecar_is_refused(tmp_path, capsys):
    """The sidecar clusterid wrote no longer matches the re-saved data: a clear error saying
    to delete it (pinned here: the restore above applies to tables without metadata)."""
    src = tmp_path / "t.csv"
    src.write_bytes(RESAVED.read_bytes())
    (tmp_path / "t.csv.meta.json").write_text('{"kind": "canonical", "data_sha256": "00"}')
    code, _o, err = run_main(["stats", str(src)], capsys)
    assert code == 2 and "does not match the data" in err and "spreadsheet" in err


def test_codes_of_an_unknown_level_are_left_as_written(tmp_path, capsys):
    """Four-digit codes with no level (Norwegian kommune numbers, a custom key): nothing says
    they lost a zero, so they stay as written."""
    src = tmp_path / "no.csv"
    header = RESAVED.read_text().splitlines()[0]
    src.write_text(header + "\n2016,301,total,C,,,,NACE,1,5000,reported,,,\n"
                   "2016,1103,total,C,,,,NACE,1,4000,reported,,,\n")
    code, out, err = run_main(["stats", str(src), "--output-format", "csv"], capsys)
    assert code == 0, err
    assert sorted(r["region"] for r in csv.DictReader(out.splitlines())) == ["1103", "301"]


# ------------------------------------------- two levels of regions: oblasts and districts

HEADINGS = DATA / "kz_oblast_district_headings_cp1251.csv"
WIDE = DATA / "kz_wide_oblasts_over_districts_cp1251.csv"


def _by_region(rows, period="2020"):
    return {(r["region"], r["industry"]): r for r in rows if r["period"] == period}


def test_oblast_and_district_heading_rows_read_as_two_levels(tmp_path, capsys):
    """A 'в разрезе районов' sheet: each oblast's heading and rows, then its districts'
    headings and rows (г.Кокшетау among them), г.Алматы's heading right above its districts'.
    Read before as nine regions of one level: Акмолинская область beside its own districts,
    so every sum over the table's regions counted Аккольский район twice (an LQ benchmark of
    the oblasts plus their districts)."""
    code, err, rows = _ingest(tmp_path, capsys, HEADINGS.name)
    assert code == 0, err
    levels = {r["region"]: (r["region_name"], r["region_level"]) for r in rows}
    assert levels == {
        "Акмолинская область": ("Акмолинская область", "oblast"),
        "Акмолинская область / г.Кокшетау": ("г.Кокшетау", "district"),
        "Акмолинская область / Аккольский район": ("Аккольский район", "district"),
        "Акмолинская область / Аршалынский район": ("Аршалынский район", "district"),
        "г.Алматы / Алатауский район": ("Алатауский район", "district"),
        "г.Алматы / Медеуский район": ("Медеуский район", "district"),
    }  # Республика Казахстан: a region total, dropped and counted as in one-level reports
    got = _by_region(rows)
    assert got[("Акмолинская область / Аккольский район", "A")]["employment"] == "4310.0"
    assert got[("г.Алматы / Медеуский район", "10")]["employment"] == "97600.0"
    assert got[("Акмолинская область / Аршалынский район", "F")]["employment_status"] == "suppressed"
    assert len(rows) == 48


def test_lq_of_the_districts_counts_each_district_once(tmp_path, capsys):
    """LQ of A in Аккольский район 2020 over the districts, by hand: (4310 / 11820) /
    ((2150 + 4310 + 5120 + 290 + 110) / (78410 + 11820 + 13250 + 123900 + 97600))."""
    canon = tmp_path / "d.csv"
    code, _o, err = run_main(["ingest", str(HEADINGS), "-o", str(canon), "--region-level", "district"], capsys)
    assert code == 0, err
    code, _o, err = run_main(["lq", str(canon), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    got = _by_region(list(csv.DictReader((tmp_path / "lq.csv").open(encoding="utf-8"))))
    want = (4310 / 11820) / ((2150 + 4310 + 5120 + 290 + 110) / (78410 + 11820 + 13250 + 123900 + 97600))
    assert float(got[("Акмолинская область / Аккольский район", "A")]["lq"]) == pytest.approx(want, rel=1e-6)


def test_a_header_of_oblasts_over_districts_reads_as_two_levels(tmp_path, capsys):
    """A wide sheet, oblasts merged over their columns ('всего по области', г.Кокшетау,
    districts): refused before as 'duplicate column heading' (the two 'всего по области');
    without the total columns the districts, no region words of the one-level reader, were
    'no measure column recognised'."""
    code, err, rows = _ingest(tmp_path, capsys, WIDE.name)
    assert code == 0, err
    got = _by_region(rows)
    assert got[("Акмолинская область", "10")]["region_level"] == "oblast"
    assert got[("Акмолинская область", "10")]["employment"] == "366100.0"
    assert got[("Карагандинская область / Абайский район", "C")]["employment"] == "6110.0"
    assert got[("Карагандинская область / Абайский район", "C")]["region_name"] == "Абайский район"
    assert got[("Акмолинская область / г.Кокшетау", "A")]["region_level"] == "district"
    assert got[("Акмолинская область / Аршалынский район", "F")]["employment_status"] == "suppressed"
    assert len(rows) == 28


def test_a_district_above_the_first_oblast_is_refused(tmp_path, capsys):
    text = HEADINGS.read_bytes().decode("cp1251").splitlines()
    # move Аккольский район's block (heading and 6 rows) above Республика Казахстан's
    start = text.index("Аккольский район;;")
    block = text[start:start + 7]
    rest = text[:start] + text[start + 7:]
    body = rest[:3] + block + rest[3:]
    src = tmp_path / "moved.csv"
    src.write_bytes(("\n".join(body) + "\n").encode("cp1251"))
    code, _o, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "moved.csv:4" in err and "district heading above the first oblast" in err


def test_a_heading_of_neither_level_is_refused(tmp_path, capsys):
    text = HEADINGS.read_bytes().decode("cp1251").replace("Аршалынский район;;", "Прочие;;")
    src = tmp_path / "other.csv"
    src.write_bytes(text.encode("cp1251"))
    code, _o, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "neither level" in err and "'Прочие'" in err


def test_oblast_names_repeated_over_their_columns_read_alike(tmp_path, capsys):
    """The same sheet exported with each merged oblast cell repeated over its columns (as some
    exports write a merged cell): that row was taken for the header, 'duplicate column
    heading'.  Now the row under it is the header, read as the merged one."""
    lines = WIDE.read_bytes().decode("cp1251").splitlines()
    lines[2] = ";" + ";".join(["Акмолинская область"] * 4 + ["Карагандинская область"] * 3)
    src = tmp_path / "repeated.csv"
    src.write_bytes(("\n".join(lines) + "\n").encode("cp1251"))
    out = tmp_path / "o.csv"
    code, _o, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    code, err, want = _ingest(tmp_path, capsys, WIDE.name)
    key = lambda r: (r["region"], r["industry"], r["region_level"], r["employment"])  # noqa: E731
    assert sorted(map(key, rows)) == sorted(map(key, want)) and len(rows) == 28


def test_half_yearly_freq_is_refused_not_read_as_months(tmp_path, capsys):
    src = tmp_path / "s.csv"
    src.write_text((DATA / "sdmx_quarterly_first_day.csv").read_text().replace(",Q,", ",S,"))
    code, _o, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "half-yearly" in err


def test_period_freq_option_is_checked(tmp_path, capsys):
    code, _o, err = run_main(["ingest", str(DATA / "sdmx_one_quarter.csv"), "-o", str(tmp_path / "o.csv"),
                              "--period-freq", "weekly"], capsys)
    assert code == 2 and "--period-freq 'weekly'" in err


def test_two_tables_spelling_one_region_two_ways_are_refused(tmp_path, capsys):
    """clusterid's own table (01001 ...) read together with a re-saved one whose level column
    was emptied (1001): each file alone is consistent, together they were two regions, 01001
    without 2017 and 1001 without 2016 (warnings about missing periods only)."""
    ours = tmp_path / "ours.csv"
    code, _o, err = run_main(["ingest", str(RESAVED), "-o", str(ours)], capsys)  # zeros restored
    assert code == 0, err
    header = RESAVED.read_text().splitlines()[0]
    other = tmp_path / "other.csv"
    other.write_text(header + "\n2017,1001,total,31-33,,,,NAICS,2,2859,reported,,,\n")
    code, _o, err = run_main(["ingest", str(ours), str(other), "-o", str(tmp_path / "both.csv")], capsys)
    assert code == 1 and "'1001' in " in err and "other.csv" in err and "'01001'" in err
