"""The analysis stages' remaining gaps (session 31): the benchmark-region note indices and
shift-share did not give, a region code with two names, a duplicate key said once per copy,
an absent --period said three ways; then what running every stage on real and made-up tables
found.  Each test says what the user saw before its fix.  Fixtures in tests/data/stages31/
(README there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import csv_rows, run_main

DATA = Path(__file__).parent / "data" / "stages31"

OUTSIDE = ("the benchmark region 41000 (state) does not hold 2 regions of a finer level in the "
           "table, whose codes do not start with its own (49001, 49003)")


# --------------------------------------------------------------------------- -b region:ID

@pytest.mark.parametrize("argv", [
    ["indices"], ["indices", "--by", "industry"],
    ["shift-share", "--from", "2015", "--to", "2016"]])
def test_benchmark_region_outside_the_finer_regions_is_said_by_indices_and_shift_share(
        argv, capsys, tmp_path):
    """Utah's counties against Oregon (``-b region:41000``): lq said the counties lie outside
    the benchmark; indices and shift-share, which take the same benchmark, computed Krugman,
    Theil and the regional shares against it without a word.  Now the same note (one shared
    function), in their words; ``-b region:49000``, which holds them, says nothing."""
    src = DATA / "fips_state_counties_2y.csv"
    out = tmp_path / "o.csv"
    code, _, err = run_main([argv[0], str(src), *argv[1:], "-b", "region:41000", "-o", str(out)],
                            capsys)
    assert code == 0, err
    what = "shift-share components" if argv[0] == "shift-share" else "indices"
    assert f"{argv[0]}: {OUTSIDE}: their {what} compare them with an economy" in err, err
    code, _, err = run_main([argv[0], str(src), *argv[1:], "-b", "region:49000", "-o", str(out)],
                            capsys)
    assert code == 0 and "does not hold" not in err, err


def test_lq_outside_note_unchanged(capsys, tmp_path):
    """lq's own wording, now made by the shared function."""
    out = tmp_path / "o.csv"
    code, _, err = run_main(["lq", str(DATA / "fips_state_counties_2y.csv"), "-b", "region:41000",
                             "-o", str(out)], capsys)
    assert code == 0 and f"lq: {OUTSIDE}: their LQs compare them" in err, err


# --------------------------------------------------------------------------- duplicate keys

def test_duplicate_key_is_one_line_naming_every_copy(capsys, tmp_path):
    """A key on lines 2, 4 and 6: three error lines, one per copy, the first naming neither
    other.  Now one line, at the second copy, naming the first and the third."""
    src = tmp_path / "dup.csv"
    src.write_text("region,industry,year,employment\n49001,11,2016,10\n49001,23,2016,20\n"
                   "49001,11,2016,12\n49003,11,2016,5\n49001,11,2016,13\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1
    assert err.splitlines() == [
        f"clusterid: error: {src}:4: duplicate row for the same period, region, ownership and "
        "industry (expected one row per key, found 'period=2016, region=49001, ownership=total, "
        "industry=11'); first seen on line 2, and again on line 6"], err


def test_duplicate_key_rejects_still_list_every_copy(capsys, tmp_path):
    """--on-error skip: the rejects file still lists each copy at its own line."""
    src = tmp_path / "dup.csv"
    src.write_text("region,industry,year,employment\n49001,11,2016,10\n49001,23,2016,20\n"
                   "49001,11,2016,12\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(src), "--on-error", "skip", "-o", str(out)], capsys)
    assert code == 0, err
    rejects = csv_rows((tmp_path / "o.csv.rejects.csv").read_text(encoding="utf-8"))
    assert sorted(int(r["line"]) for r in rejects) == [2, 4]


# --------------------------------------------------------------------------- a code, two names

@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_region_code_with_two_names_is_warned_with_names_and_lines(suffix, capsys, tmp_path):
    """49001 named 'Beaver County' on one row and 'Box Elder County' (49003's name) on
    another: ingested without a word, and every stage added Box Elder's jobs to Beaver's.
    Now a warning naming the code, both names, their rows and lines (not an error: the rows
    may be right and the names wrong)."""
    src = tmp_path / "names.csv"
    src.write_text("region,region_name,industry,year,employment\n"
                   "49001,Beaver County,11,2016,10\n49001,Box Elder County,23,2016,20\n"
                   "49001,Beaver County,23,2015,12\n49003,Cache County,11,2016,5\n"
                   "49003,Cache County,23,2016,7\n49003,Cache County,23,2015,7\n",
                   encoding="utf-8")
    # (a Parquet output codes the label columns beside validation, which never reads them)
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / f"o.{suffix}")], capsys)
    assert code == 0, err
    assert ("warning: region 49001 has 2 names in period 2016: 'Beaver County' (2 rows, first "
            "on line 2) and 'Box Elder County' (1 row, on line 3): a wrong join, or codes of "
            "another code list?") in err, err
    assert "49003 has" not in err, err


def test_region_renamed_between_periods_and_case_alone(capsys, tmp_path):
    """Named differently in two periods: a rename (said as such); 'CACHE COUNTY' beside
    'Cache County' is one name."""
    src = tmp_path / "names.csv"
    src.write_text("region,region_name,industry,year,employment\n"
                   "46113,Shannon County,11,2014,10\n46113,Oglala Lakota County,11,2015,12\n"
                   "49005,Cache County,11,2014,5\n49005,CACHE  COUNTY,11,2015,6\n",
                   encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 0, err
    assert ("region 46113 has 2 names in different periods: 'Shannon County' (1 row, 2014, "
            "on line 2) and 'Oglala Lakota County' (1 row, 2015, on line 3): a renamed region, "
            "or a code reused for another?") in err, err
    assert "49005" not in err, err


def test_industry_titles_revised_between_years_are_one_line(capsys, tmp_path):
    """Industry titles that change between years (QCEW retitles codes) are one line for them
    all, not one per code; a code titled two ways within a year is a line of its own."""
    rows = ["region,industry,industry_name,year,employment"]
    for y in (2015, 2016):
        for i, code in enumerate(("111", "112", "113", "114")):
            rows.append(f"A,{code},Title {code} {'old' if y == 2015 else 'new'},{y},{10 + i}")
            rows.append(f"B,{code},Title {code} {'old' if y == 2015 else 'new'},{y},{20 + i}")
    rows.append("C,115,Fishing,2016,3")
    rows.append("D,115,Forestry,2016,4")
    src = tmp_path / "t.csv"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 0, err
    said = [ln for ln in err.splitlines() if "names" in ln or "named" in ln]
    assert len(said) == 2, err
    assert said[0].startswith("warning: industry 115 has 2 names in period 2016: 'Fishing'"), err
    assert said[1].startswith("warning: 4 industry codes are named differently in different "
                              "periods"), err
    assert said[1].endswith("(4 in all)"), err


# --------------------------------------------------------------------------- an absent period

@pytest.mark.parametrize("argv", [
    ["lq", "--period", "2019,2016q1"], ["indices", "--period", "2019,2016q1"],
    ["stats", "--period", "2019,2016q1"], ["detect", "--period", "2019,2016q1"],
    ["shift-share", "--from", "2019", "--to", "2016"]])
def test_absent_period_is_said_one_way_by_every_stage(argv, capsys, tmp_path):
    """lq said "--period '2019': the input has 2016", indices "<input>: column 'period':
    period not in the table (expected one of 2016, found '2019')", stats "--period 2019: not
    in the table; it has 2016", shift-share "period '2019' is not in <input>; it has 2016".
    Now one wording (core.indices.period_not_held), listing the table's periods."""
    src = Path(__file__).parent / "data" / "lq" / "toy_canonical.csv"
    code, out, err = run_main([argv[0], str(src), *argv[1:], "-o", str(tmp_path / "o")], capsys)
    assert code == 2, err
    option = "--from" if argv[0] == "shift-share" else "--period"
    assert err.splitlines()[-1] == (f"clusterid: error: {option} 2019"
                                    + (", 2016q1" if option == "--period" else "")
                                    + ": not in the table; it has 2016"), err


def test_absent_period_of_a_long_panel_names_its_first_and_last():
    from clusterid.core.indices import period_not_held

    have = [f"{y}Q{q}" for y in range(2001, 2017) for q in range(1, 5)]
    assert str(period_not_held(["2019Q1"], have)) == (
        "--period 2019Q1: not in the table; it has 2001Q1, 2001Q2, 2001Q3, 2001Q4, 2002Q1, "
        "2002Q2, ... 2016Q3, 2016Q4 (64 periods)")


# --------------------------------------------------------------------------- the hunt

def test_nation_of_one_total_row_is_not_offered_as_benchmark(capsys, tmp_path):
    """The Bureau's oblast × OKED table with the republic's 'Всего' row alone: lq's note on a
    region alone at its level offered "--benchmark region:000000000", which then left 337 of
    374 LQs empty ('no benchmark': the republic has no industry rows).  Now it says the
    republic has only its all-industry row and a reference FILE of its industries serves."""
    src = Path(__file__).parent / "data" / "stages30" / "kz_oblast_oked_2021_2022.csv"
    code, _, err = run_main(["lq", str(src), "-m", "employment", "-o", str(tmp_path / "o.csv")],
                            capsys)
    assert code == 0, err
    assert "--benchmark region:000000000" not in err, err
    assert ("000000000 has only its all-industry row, so it is no benchmark of industries: a "
            "reference FILE of its industries is") in err, err


NUTS_NESTED = ("region,nace,year,employment\nDE1,C,2019,300\nDE1,F,2019,700\nDE11,C,2019,200\n"
               "DE11,F,2019,300\nDE12,C,2019,100\nDE12,F,2019,400\nFR10,C,2019,50\n"
               "FR10,F,2019,500\n")


def test_nuts_codes_of_several_levels_under_a_region_heading_get_their_levels(capsys,
                                                                             tmp_path):
    """A table headed 'region' holding DE1 beside its parts DE11 and DE12: the NUTS levels
    were read only under a geo/nuts heading, so lq summed DE1 with its own parts (benchmark
    total 2,550 for 1,550 of activity; DE11's C LQ 1.57 for 1.77).  Now the codes' shape and
    nesting give the levels, as under 'geo'."""
    src = tmp_path / "t.csv"
    src.write_text(NUTS_NESTED, encoding="utf-8")
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    c = rows[("DE11", "C")]
    assert c["region_level"] == "nuts2" and c["benchmark_total"] == "1550.0", c
    assert float(c["lq"]) == pytest.approx((200 / 500) / (350 / 1550), rel=1e-6)
    assert rows[("DE1", "C")]["region_level"] == "nuts1"


def test_canonical_table_without_region_level_of_nested_nuts_codes(capsys, tmp_path):
    """The same regions in a canonical table made by hand without region_level: the same
    double counting, now the same levels."""
    src = tmp_path / "canonical.csv"
    lines = ["period,region,ownership,industry,level,employment"]
    for row in NUTS_NESTED.splitlines()[1:]:
        region, nace, year, emp = row.split(",")
        lines.append(f"{year},{region},total,{nace},1,{emp}")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert rows[("DE11", "C")]["benchmark_total"] == "1550.0", rows[("DE11", "C")]


def test_codes_of_nuts_shape_without_nesting_or_country_keep_no_level(capsys, tmp_path):
    """US state abbreviations (CA, NY) or codes without a NUTS country are not NUTS codes."""
    from clusterid.io.readers.generic_post import nested_nuts_codes

    assert nested_nuts_codes(["DE1", "DE11", "FR10"])
    assert not nested_nuts_codes(["DE11", "DE12", "FR10"])  # one level: nothing to tell
    assert not nested_nuts_codes(["CA", "CA1", "NY"])  # CA is no NUTS country
    assert not nested_nuts_codes(["1", "10", "11"])


@pytest.mark.parametrize("canonical", [False, True])
def test_german_keys_of_several_levels_under_a_region_heading_get_their_levels(
        canonical, capsys, tmp_path):
    """Bayern (09) beside two of its Kreise under a 'region' heading, or in a canonical table
    without region_level: Bayern was summed with its own Kreise (benchmark total 3,000 for
    the Kreise's 1,500).  Now 09 is the Kreise's parent, its own level.  (Session 32: the
    table names no scheme -- no German heading or name; 01-16 beside five digits are US
    states and counties, Spain's provinces and municipios or France's départements and
    communes too -- so the figures give the levels, named by the codes' lengths.)"""
    rows = [("09", "A", 1000), ("09", "B", 2000), ("09162", "A", 600), ("09162", "B", 100),
            ("09184", "A", 400), ("09184", "B", 400)]
    src = tmp_path / "t.csv"
    if canonical:
        src.write_text("period,region,ownership,industry,level,employment\n" + "".join(
            f"2021,{r},total,{i},1,{e}\n" for r, i, e in rows), encoding="utf-8")
    else:
        src.write_text("region,industry,year,employment\n" + "".join(
            f"{r},{i},2021,{e}\n" for r, i, e in rows), encoding="utf-8")
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    kreis = got[("09162", "A")]
    assert kreis["region_level"] == "5-digit" and kreis["benchmark_total"] == "1500.0", kreis
    assert float(kreis["lq"]) == pytest.approx((600 / 700) / (1000 / 1500), rel=1e-6)
    assert got[("09", "A")]["region_level"] == "2-digit"


def test_numbers_are_not_german_keys_without_a_land_among_them():
    from clusterid.io.readers.generic_post import nested_ags_keys

    assert nested_ags_keys(["09", "09162", "09184"])
    assert not nested_ags_keys(["49", "49001"])  # no Land 49: a FIPS state
    assert not nested_ags_keys(["09162", "09184"])  # one level
    assert not nested_ags_keys(["1", "10", "11"])
