"""Crash hunt 12: ``clusterid stats``, ``clusterid indices`` and ``clusterid shift-share`` on
files the project had not seen (QCEW county and statewide slices, REAT's German tables as
shipped, generic tables with odd shapes), each problem pinned by a test that failed before its
fix."""

from __future__ import annotations

import pytest

from conftest import SAMPLES, csv_rows, run_main

UTAH = SAMPLES / "qcew_utah_2016_counties.csv.gz"  # BLS QCEW 2016, Utah state and counties


def _canonical_csv(path, rows, extra_head="", level=2):
    """A small canonical CSV: rows of (period, region, ownership, industry, employment, status)."""
    head = ("period,region,ownership,industry,region_level,classification,level,employment,"
            "employment_status\n")
    body = "".join(f"{p},{r},{o},{i},county,NAICS,{level if i != '10' else 0},"
                   f"{'' if e is None else e},{s}\n" for p, r, o, i, e, s in rows)
    path.write_text(head + body, encoding="utf-8")
    return path


def test_stats_ownership_matches_ignoring_case_and_commas(capsys):
    # `--ownership Private` was refused by stats ("not in the table; it has private, total")
    # though lq, impute, detect, indices and shift-share take it, and `private,total` (one
    # value, comma-separated, as those commands read it) was refused the same way
    code, out, err = run_main(["stats", str(UTAH), "--period", "2016q1", "--ownership",
                               "Private"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert len(rows) == 30 and {r["ownership"] for r in rows} == {"private"}
    code, out2, err = run_main(["stats", str(UTAH), "--period", "2016Q1", "--ownership",
                                "private,Total"], capsys)
    assert code == 0, err
    assert {r["ownership"] for r in csv_rows(out2)} == {"private", "total"}
    code, _, err = run_main(["stats", str(UTAH), "--ownership", "federal"], capsys)
    assert code == 2 and "--ownership 'federal'" in err, err


def _custom_csv(path):
    """Two regions, two periods, industries of no classification (level empty), as
    `ingest --classification custom` writes REAT's German Länder table."""
    head = ("period,region,ownership,industry,classification,level,employment,"
            "employment_status\n")
    body = "".join(f"{p},{r},total,{i},custom,,{e},reported\n"
                   for p, r, i, e in [("2008", "BW", "Handel", 10), ("2008", "BW", "Bau", 5),
                                      ("2008", "BY", "Handel", 8), ("2008", "BY", "Bau", 9),
                                      ("2014", "BW", "Handel", 12), ("2014", "BW", "Bau", 6),
                                      ("2014", "BY", "Handel", 9), ("2014", "BY", "Bau", 7)])
    path.write_text(head + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["indices"], ["shift-share", "--from", "2008", "--to", "2014"]])
def test_level_on_a_custom_classification_says_the_codes_have_none(command, tmp_path, capsys):
    # REAT's Länder table ingested with --classification custom, then --level 2: the message
    # read "(expected one of , found '2')" -- an empty list of levels to choose from
    src = _custom_csv(tmp_path / "custom.csv")
    code, _, err = run_main([command[0], str(src), *command[1:], "--level", "2"], capsys)
    assert code == 2, err
    assert "expected one of ," not in err, err
    assert "the industry codes have no level" in err and "found '2'" in err, err
    code, out, err = run_main([command[0], str(src), *command[1:]], capsys)
    assert code == 0 and len(csv_rows(out)) >= 2, err


def test_shift_share_names_a_region_missing_from_a_period(tmp_path, capsys):
    # a region with no row in the final period (Kazakhstan's oblasts were split in 2022; a
    # county file left out of a quarter) had every cell 'observed false' and was left out of
    # the benchmark with nothing said, unlike a suppressed cell or a code of one period
    src = _canonical_csv(tmp_path / "partial.csv", [
        ("2015", "R1", "total", "11", 100, "reported"), ("2015", "R1", "total", "21", 50, "reported"),
        ("2015", "R2", "total", "11", 80, "reported"), ("2015", "R2", "total", "21", 40, "reported"),
        ("2015", "R3", "total", "11", 10, "reported"), ("2015", "R3", "total", "21", 5, "reported"),
        ("2016", "R1", "total", "11", 110, "reported"), ("2016", "R1", "total", "21", 55, "reported"),
        ("2016", "R2", "total", "11", 70, "reported"), ("2016", "R2", "total", "21", 45, "reported"),
    ])
    code, out, err = run_main(["shift-share", str(src), "--from", "2015", "--to", "2016",
                               "--by", "region"], capsys)
    assert code == 0, err
    assert "1 region has rows in some periods only (R3: no rows in 2016)" in err, err
    rows = {r["region"]: r for r in csv_rows(out)}
    assert rows["R3"]["n_unobserved"] == "2" and rows["R3"]["change"] == ""
    # the benchmark is R1 + R2: national growth 280/270 - 1, so R1's national share is
    # 150 * 10/270
    assert float(rows["R1"]["national_share"]) == pytest.approx(150 * 10 / 270)


@pytest.mark.parametrize("command", [["indices"],
                                     ["shift-share", "--from", "2016Q1", "--to", "2016Q2"]])
def test_benchmark_region_that_is_the_only_region_at_the_level(command, capsys):
    # Utah's statewide row as the benchmark of the states (--region-level state): left out of
    # the rows, nothing was left -- indices wrote a header and no row (exit 0), shift-share
    # failed with "internal error: InvalidOperationError: cannot use values of type `str` ..."
    code, out, err = run_main([command[0], str(UTAH), *command[1:], "--level", "2",
                               "-b", "region:49000", "--region-level", "state"], capsys)
    assert code == 2, err
    assert "internal error" not in err and out == "", err
    assert "no region is left once the benchmark region is left out" in err, err
    assert "found '49000'" in err and "level 'state'" in err, err


def test_shift_share_cells_when_no_cell_has_activity(tmp_path, capsys):
    # every cell 0 in both periods (a county's industry that never had a job): the cell view
    # has no row to show, and the empty columns' null type made the sort an internal error
    src = _canonical_csv(tmp_path / "zero.csv", [
        ("2016", "A", "total", "11", 0, "reported"), ("2016", "B", "total", "11", 0, "reported"),
        ("2017", "A", "total", "11", 0, "reported"), ("2017", "B", "total", "11", 0, "reported"),
    ])
    code, out, err = run_main(["shift-share", str(src), "--from", "2016", "--to", "2017"], capsys)
    assert code == 0, err
    assert out.startswith("span,period_from,period_to,") and csv_rows(out) == []
    code, out, err = run_main(["shift-share", str(src), "--from", "2016", "--to", "2017",
                               "-o", str(tmp_path / "ss.parquet")], capsys)
    assert code == 0, err
    import polars as pl

    df = pl.read_parquet(tmp_path / "ss.parquet")
    assert df.height == 0 and df.schema["span"] == pl.String and df.schema["observed"] == pl.Boolean


@pytest.mark.parametrize("command", [["indices"], ["shift-share", "--from", "2016", "--to", "2017"]])
def test_rest_of_nation_of_a_single_region_is_said_to_be_empty(command, tmp_path, capsys):
    # one region with -b rest: its rest of the nation is nothing, so Krugman, Theil and every
    # shift-share component came out empty with nothing said (the sum benchmark says so)
    src = _canonical_csv(tmp_path / "one.csv", [
        ("2016", "A", "total", "11", 100, "reported"), ("2016", "A", "total", "21", 50, "reported"),
        ("2017", "A", "total", "11", 120, "reported"), ("2017", "A", "total", "21", 40, "reported"),
    ])
    code, out, err = run_main([command[0], str(src), *command[1:], "-b", "rest"], capsys)
    assert code == 0, err
    assert "one region (A): with -b rest its rest of the nation is empty" in err, err
    rows = csv_rows(out)
    key = "krugman" if command[0] == "indices" else "national_share"
    assert rows and all(r[key] == "" for r in rows)


def _mixed_frequency_csv(path):
    """Years beside quarters in one table (QCEW's annual averages ingested with its quarters)."""
    vals = {"2015": (100, 50, 80, 40), "2015Q1": (90, 45, 70, 35), "2015Q4": (110, 52, 85, 41),
            "2016": (120, 60, 90, 45), "2016Q1": (118, 58, 88, 44)}
    rows = [(p, r, "total", i, v, "reported") for p, (a, b, c, d) in vals.items()
            for r, i, v in (("A", "11", a), ("A", "21", b), ("B", "11", c), ("B", "21", d))]
    return _canonical_csv(path, rows)


def test_dynamic_shift_share_chains_periods_of_one_frequency(tmp_path, capsys):
    # --dynamic --from 2015 --to 2016 over a table holding 2015Q1 and 2015Q4 too chained
    # 2015 -> 2015Q1 -> 2015Q4 -> 2016 (the periods sort that way as text): an annual value
    # against a quarter's, and for wages a year's sum against a quarter's
    src = _mixed_frequency_csv(tmp_path / "mixed.csv")
    code, out, err = run_main(["shift-share", str(src), "--from", "2015", "--to", "2016",
                               "--dynamic", "--by", "region"], capsys)
    assert code == 0, err
    steps = {(r["span"], r["period_from"], r["period_to"]) for r in csv_rows(out)}
    assert steps == {("step", "2015", "2016"), ("chained", "2015", "2016")}, steps
    assert "2 periods of another frequency between them left out (2015Q1, 2015Q4)" in err, err
    a = next(r for r in csv_rows(out) if r["region"] == "A" and r["span"] == "chained")
    # by hand: G = 315/270 - 1, NS_A = 150 G = 25
    assert float(a["national_share"]) == pytest.approx(25.0)
    code, out, err = run_main(["shift-share", str(src), "--from", "2015", "--to", "2016Q1"],
                              capsys)
    assert code == 2 and out == "", err
    assert "--from 2015 and --to 2016Q1 are periods of different frequencies (year, quarter)" in err


def test_eurostat_thousands_are_whole_persons_in_shift_share(capsys):
    # Eurostat's namq_10_a10_e in THS_PER (tests/data/eurostat, the bulk layout): 257.6
    # thousand was read as 257600.00000000003 persons, so Austria's construction grew by
    # 3599.99999999997 from 2015 to 2016 in shift-share (the generic reader rounds its units)
    from conftest import TEST_DATA

    src = TEST_DATA / "eurostat" / "namq_10_a10_e_bulk_excerpt.tsv"
    code, out, err = run_main(["shift-share", str(src), "--from", "2015", "--to", "2016"], capsys)
    assert code == 0, err
    at = {r["industry"]: r for r in csv_rows(out) if r["region"] == "AT"}
    assert at["F"]["base"] == "257600.0" and at["F"]["change"] == "3600.0", at["F"]
    assert at["G-I"]["change"] == "14800.0", at["G-I"]


@pytest.mark.parametrize("command", [["indices"],
                                     ["shift-share", "--from", "2016Q1", "--to", "2016Q4"]])
def test_government_only_qcew_file_names_the_ownership_to_give(command, capsys):
    # BLS QCEW 2016, three Utah counties' government rows (tests/data/qcew): read on the fly
    # with the default ownerships (total, private) it holds only all-industry totals, and the
    # error said just that, not that its local, state and federal rows were there unread
    from conftest import TEST_DATA

    src = TEST_DATA / "qcew" / "utah_3counties_2016_gov.csv.gz"
    code, _, err = run_main([command[0], str(src), *command[1:]], capsys)
    assert code == 1, err
    assert "the table holds only all-industry totals" in err, err
    assert "ownership local, state, federal were not read" in err, err
    assert "give --ownership local" in err, err
    code, out, err = run_main([command[0], str(src), *command[1:], "--ownership", "local"],
                              capsys)
    assert code == 0 and csv_rows(out), err


def test_stats_says_which_ownerships_of_a_raw_file_it_did_not_read(capsys):
    # the same government-only QCEW file: `stats` showed one industry (the total) per county
    # and nothing about the 892 rows of local, state and federal government left unread
    from conftest import TEST_DATA

    src = TEST_DATA / "qcew" / "utah_3counties_2016_gov.csv.gz"
    code, out, err = run_main(["stats", str(src), "--by", "summary"], capsys)
    assert code == 0, err
    assert "rows of ownership local, state, federal were not read" in err, err
    code, out, err = run_main(["stats", str(src), "--by", "summary", "--ownership",
                               "local,state,federal"], capsys)
    assert code == 0 and "were not read" not in err, err
    assert csv_rows(out)[0]["industries"] != "1"


@pytest.mark.parametrize("by", ["region", "industry", "pair"])
def test_indices_period_given_twice_gives_each_row_once(by, capsys):
    # `--period 2016Q1 --period 2016q1` (or the same spelling twice, as a shell loop building
    # the options does) wrote every row of the period twice: a join on the output doubled
    args = ["indices", str(UTAH), "--level", "2", "--by", by, "--period", "2016Q1"]
    code, once, err = run_main(args, capsys)
    assert code == 0, err
    code, twice, err = run_main(args + ["--period", "2016q1"], capsys)
    assert code == 0, err
    assert twice == once


def test_missing_share_of_a_fully_disclosed_region_is_zero(tmp_path, capsys):
    # BLS QCEW 2016 Q1, Alaska statewide (../shared/data/qcew_states_2016q1): every private
    # sector disclosed, yet missing_share was 2.22e-16 (the total and the sectors are means
    # of three months, thirds that do not add up exactly in floating point).  Here the same
    # shape, a total and its parts
    # of decimals that do not add up exactly in binary: 0.7 + 0.1 is 0.7999999999999999
    src = _canonical_csv(tmp_path / "decimals.csv", [
        ("2016Q1", r, "private", i, v, "reported")
        for r in ("A", "B") for i, v in (("10", 0.8), ("11", 0.7), ("21", 0.1))])
    code, out, err = run_main(["indices", str(src)], capsys)
    assert code == 0, err
    shares = [r["missing_share"] for r in csv_rows(out)]
    assert shares and all(s == "0.0" for s in shares), shares


def test_shift_share_region_sums_are_free_of_float_noise(capsys):
    # REAT's Göttingen table (../shared/data/reat_germany_eu, as tests/data/reat/goettingen.csv
    # holds it) alone, sum-of-regions benchmark: the region is the benchmark, so its industry
    # mix is 0 in exact arithmetic; summed over 15 sections it was -1.1368683772161603e-12
    from conftest import TEST_DATA

    src = TEST_DATA / "reat" / "goettingen.csv"
    code, out, err = run_main(["shift-share", str(src), "--from", "2008", "--to", "2017",
                               "--by", "region"], capsys)
    assert code == 0, err
    (row,) = csv_rows(out)
    assert row["industry_mix"] == "0.0" and row["regional_share"] == "0.0", row
    assert float(row["national_share"]) == float(row["change"])


@pytest.mark.parametrize("bound, message", [("NaN", "not a plausible number"),
                                            ("-3", "negative value")])
def test_a_bad_bound_in_a_canonical_table_is_located(bound, message, tmp_path, capsys):
    # a hand-made canonical CSV with employment_lower NaN (and no upper bound) passed the
    # checks: stats wrote lower_bound NaN as CSV and failed on it as JSON ("internal error:
    # ValueError: Out of range float values are not JSON compliant"); a negative bound passed
    head = ("period,region,ownership,industry,region_level,classification,level,employment,"
            "employment_status,employment_lower,employment_upper\n")
    src = tmp_path / "bounds.csv"
    src.write_text(head + f"2016,A,total,11,county,NAICS,2,,suppressed,{bound},\n"
                   "2016,B,total,11,county,NAICS,2,5,reported,,\n"
                   "2016,A,total,21,county,NAICS,2,3,reported,,\n", encoding="utf-8")
    for fmt in ("json", "csv"):
        code, out, err = run_main(["stats", str(src), "--by", "industry", "--output-format",
                                   fmt], capsys)
        assert code == 1 and out == "", err
        assert "internal error" not in err, err
        assert f"bounds.csv:2: column 'employment_lower': {message}" in err, err


def test_stats_refuses_an_empty_output_path_and_an_empty_ownership(tmp_path, capsys):
    # `-o "$OUT"` with OUT unset: stats said ": stats writes .csv or .json (got no extension)";
    # `--ownership ''` (comma-split to nothing) gave an empty table and exit 0
    code, out, err = run_main(["stats", str(UTAH), "-o", ""], capsys)
    assert code == 2 and "-o '': an empty output path" in err, err
    code, out, err = run_main(["stats", str(UTAH), "--ownership", ""], capsys)
    assert code == 2 and out == "" and "--ownership ''" in err, err


@pytest.mark.parametrize("command", [["indices"], ["shift-share", "--from", "2016Q1", "--to",
                                                   "2016Q2"]])
def test_an_output_that_cannot_be_written_is_refused_before_the_work(command, monkeypatch,
                                                                     capsys):
    # `-o ''` and `-o /dev/null` were refused only when the output was written, after the
    # whole computation (and its notes on stderr)
    from clusterid.core import indices as ix

    def boom(*a, **k):
        raise AssertionError("the rows were selected before the output was checked")

    monkeypatch.setattr(ix, "select_rows", boom)
    for target, message in (("", "-o '': an empty output path"),
                            ("/dev/null", "not a regular file")):
        code, _, err = run_main([command[0], str(UTAH), *command[1:], "-o", target], capsys)
        assert code == 2 and message in err, err


@pytest.mark.parametrize("command", [["stats"], ["indices"],
                                     ["shift-share", "--from", "2008", "--to", "2014"]])
def test_a_parquet_table_with_categorical_text_reads_as_text(command, tmp_path, capsys):
    # tests/data/reat/laender_emp.csv (REAT's Länder table) saved as Parquet with its text
    # columns as categories, as pandas writes a `category` column: every command failed with
    # "internal error: InvalidOperationError: str.contains_any operation not supported for
    # dtypes `cat` and `list[str]`"
    import polars as pl

    from conftest import TEST_DATA

    src = TEST_DATA / "reat" / "laender_emp.csv"
    df = pl.read_csv(src, schema_overrides={"period": pl.String, "employment_lower": pl.Float64,
                                            "employment_upper": pl.Float64})
    cat = tmp_path / "laender_cat.parquet"
    df.with_columns(pl.col("period", "region", "ownership", "industry", "region_name")
                    .cast(pl.Categorical)).write_parquet(cat)
    code, want, err = run_main([command[0], str(src), *command[1:]], capsys)
    assert code == 0, err
    code, got, err = run_main([command[0], str(cat), *command[1:]], capsys)
    assert code == 0, err
    assert got.replace(str(cat), str(src)) == want


def test_pairs_of_a_single_industry_say_why_the_output_is_empty(tmp_path, capsys):
    # a table cut to one industry (and --by pair): a header and no row, exit 0, nothing said
    src = _canonical_csv(tmp_path / "one_industry.csv", [
        ("2016", "A", "total", "11", 10, "reported"), ("2016", "B", "total", "11", 5, "reported"),
    ])
    code, out, err = run_main(["indices", str(src), "--by", "pair"], capsys)
    assert code == 0 and csv_rows(out) == [], err
    assert "one industry (11) at level 2: there is no pair of industries" in err, err


@pytest.mark.parametrize("by, what", [("region", "2 regions (A, B)"),
                                      ("industry", "2 industries (11, 21)")])
def test_rows_with_every_cell_suppressed_are_said(by, what, tmp_path, capsys):
    # a period where every cell is withheld: rows of blanks, exit 0 and nothing on stderr
    src = _canonical_csv(tmp_path / "withheld.csv", [
        ("2016", r, "total", i, None, "suppressed") for r in ("A", "B") for i in ("11", "21")])
    code, out, err = run_main(["indices", str(src), "--by", by], capsys)
    assert code == 0, err
    assert all(r["observed_total"] == "" for r in csv_rows(out))
    assert f"2016: {what} have every cell suppressed: their {by} indices are empty" in err, err


def test_stats_says_when_the_finest_cells_exceed_the_total(tmp_path, capsys):
    # REAT's Länder table ingested with --classification custom keeps B-E and its part C as
    # two industries: coverage 130% (C counted twice), shown without a word
    head = "period,region,ownership,industry,classification,level,employment,employment_status\n"
    rows = [("10", "0", 100), ("B-E", "", 40), ("C", "", 30), ("F", "", 60)]
    src = tmp_path / "custom.csv"
    src.write_text(head + "".join(f"2014,BW,total,{i},custom,{lv},{e},reported\n"
                                  for i, lv, e in rows), encoding="utf-8")
    code, out, err = run_main(["stats", str(src)], capsys)
    assert code == 0, err
    assert csv_rows(out)[0]["coverage"] == "1.3"
    assert "finest cells add up to more than the all-industry total (coverage up to 130.0%: " \
           "BW 2014)" in err, err


def test_a_canonical_csv_filtered_with_polars_and_saved_as_parquet_is_read(tmp_path, capsys):
    # tests/data/reat/laender_emp.csv read with polars, cut to 2013-2014 and saved as Parquet
    # (a user's everyday step): its years became Int64 and its empty bound columns String,
    # and every command refused it as "not a clusterid canonical table"
    import polars as pl

    from conftest import TEST_DATA

    src = TEST_DATA / "reat" / "laender_emp.csv"
    cut = tmp_path / "laender_2013_2014.parquet"
    pl.read_csv(src).filter(pl.col("period") >= 2013).write_parquet(cut)
    args = ["--from", "2013", "--to", "2014", "--by", "region"]
    code, want, err = run_main(["shift-share", str(src), *args], capsys)
    assert code == 0, err
    code, got, err = run_main(["shift-share", str(cut), *args], capsys)
    assert code == 0, err
    assert got == want
    # a bound column with values in it stays refused: text is not a number
    bad = tmp_path / "text_bound.parquet"
    pl.read_csv(src).with_columns(pl.lit("5").alias("employment_lower")).write_parquet(bad)
    code, _, err = run_main(["indices", str(bad)], capsys)
    assert code == 1 and "column 'employment_lower'" in err and "a numeric column" in err, err


def test_a_period_published_as_totals_only_is_named_as_such(tmp_path, capsys):
    # 2017 holds only the all-industry totals: `indices --period 2017` said "period not in the
    # table" (it is), `indices` left 2017 out without a word, shift-share said "is not in"
    src = _canonical_csv(tmp_path / "totals_2017.csv", [
        ("2016", "A", "total", "10", 30, "reported"), ("2016", "A", "total", "11", 10, "reported"),
        ("2016", "A", "total", "21", 20, "reported"), ("2016", "B", "total", "10", 12, "reported"),
        ("2016", "B", "total", "11", 5, "reported"), ("2016", "B", "total", "21", 7, "reported"),
        ("2017", "A", "total", "10", 31, "reported"), ("2017", "B", "total", "10", 13, "reported"),
    ])
    without = "no rows at industry level 2 for ownership 'total'"
    code, _, err = run_main(["indices", str(src), "--period", "2017"], capsys)
    assert code == 2 and f"period without industries to compute on ({without})" in err, err
    code, out, err = run_main(["indices", str(src)], capsys)
    assert code == 0 and f"period 2017 left out: {without}" in err, err
    assert {r["period"] for r in csv_rows(out)} == {"2016"}
    code, _, err = run_main(["shift-share", str(src), "--from", "2016", "--to", "2017"], capsys)
    assert code == 2 and f"period '2017' of {src} has {without}" in err, err


def test_stats_table_caption_leaves_out_columns_empty_on_every_row(capsys):
    # stat.gov.kz's table (tests/data/generic, cp1251) has no region names or levels: the
    # table view's caption read "region_name = , region_level = , cells = 5"
    from conftest import TEST_DATA

    src = TEST_DATA / "generic" / "kz_oked_cp1251.csv"
    code, out, err = run_main(["stats", str(src), "--period", "2022", "--output-format",
                               "table"], capsys)
    assert code == 0, err
    assert "ownership = total" in out and "cells = 5" in out
    assert "region_name =" not in out and "region_level =" not in out


@pytest.mark.parametrize("command, said", [
    (["indices"], "indices: 2021: 1 industry has no benchmark value and is left out of krugman, "
                  "relative_theil and lq_gini (A)\n"),
    (["shift-share", "--from", "2021", "--to", "2022"],
     "shift-share: 1 industry has no benchmark value in 2021; its cells get no components (A)\n"),
])
def test_an_industry_the_benchmark_region_withholds_is_named_once(command, said, capsys):
    # stat.gov.kz's table (tests/data/generic, cp1251) against Almaty city, whose agriculture
    # is withheld in 2021: "1 industries have no benchmark value ... (A ...)", without the
    # period in indices, and outside the run's notes (not in the output's metadata)
    from conftest import TEST_DATA

    src = TEST_DATA / "generic" / "kz_oked_cp1251.csv"
    code, out, err = run_main([command[0], str(src), *command[1:], "-b", "region:г. Алматы"],
                              capsys)
    assert code == 0, err
    assert said in err and err.count("no benchmark value") == 1, err


def test_group_level_on_a_custom_classification_is_refused(tmp_path, capsys):
    # --group-level 1 on codes of no classification: related and unrelated variety empty for
    # every region, exit 0, nothing said
    src = _custom_csv(tmp_path / "custom.csv")
    code, out, err = run_main(["indices", str(src), "--group-level", "1"], capsys)
    assert code == 2 and out == "", err
    assert "--group-level 1: the industry codes have no level" in err, err


@pytest.mark.parametrize("args, said", [
    (["shift-share", "GOE", "--from", "2008", "--to", "2017", "--keep-region-totals"],
     "--keep-region-totals is an option of clusterid ingest, not of shift-share: run "
     "`clusterid ingest INPUT -o TABLE` with it, then give TABLE to `clusterid shift-share`"),
    (["stats", "GOE", "--encoding=cp1251", "--sep", ";"],
     "--encoding and --sep are options of clusterid ingest, not of stats"),
    (["--quiet", "indices", "GOE", "--classification", "custom"],
     "--classification is an option of clusterid ingest, not of indices"),
])
def test_an_ingest_option_given_to_another_command_says_to_ingest_first(args, said, capsys):
    # the one-region note of indices and shift-share says "ingest with --keep-region-totals";
    # given to shift-share itself, click answered only "No such option: --keep-region-totals"
    from conftest import TEST_DATA

    goe = str(TEST_DATA / "reat" / "goettingen.csv")
    code, out, err = run_main([goe if a == "GOE" else a for a in args], capsys)
    assert code == 2 and out == "", err
    assert said in err and "No such option" not in err, err


def test_options_of_a_command_that_ingest_has_too_are_still_its_own(capsys):
    # --period is an ingest option and one of stats' and indices' own
    code, out, err = run_main(["stats", str(UTAH), "--period", "2016Q1", "--by", "summary"],
                              capsys)
    assert code == 0 and csv_rows(out), err


@pytest.mark.parametrize("command", [["stats", "--by", "summary"], ["indices", "--level", "2"]])
def test_period_takes_comma_separated_values_as_lq_does(command, capsys):
    # `lq --period 2016Q1,2016Q2` takes both; stats and indices refused the same option value
    # ("--period 2016Q1,2016Q2: not in the table"), a flag meaning two things
    code, out, err = run_main([command[0], str(UTAH), *command[1:], "--period",
                               "2016Q1,2016q2"], capsys)
    assert code == 0, err
    if command[0] == "stats":
        assert csv_rows(out)[0]["periods"] == "2"
    else:
        assert {r["period"] for r in csv_rows(out)} == {"2016Q1", "2016Q2"}
    code, out, err = run_main([command[0], str(UTAH), *command[1:], "--period", ""], capsys)
    assert code == 2 and out == "" and "''" in err, err


@pytest.mark.parametrize("command", [["indices"], ["shift-share", "--from", "2015", "--to", "2016"]])
def test_a_benchmark_region_missing_a_period_is_named(command, tmp_path, capsys):
    # -b region:R3 where R3 has no rows in 2016: "<input>: column 'period': period not in the
    # table (expected one of 2015, found '2016')" -- the table has 2016; the benchmark has not
    src = _canonical_csv(tmp_path / "partial.csv", [
        ("2015", r, "total", i, v, "reported")
        for r, i, v in (("R1", "11", 100), ("R1", "21", 50), ("R2", "11", 80), ("R2", "21", 40),
                        ("R3", "11", 10), ("R3", "21", 5))
    ] + [("2016", r, "total", i, v, "reported")
         for r, i, v in (("R1", "11", 110), ("R1", "21", 55), ("R2", "11", 70), ("R2", "21", 45))])
    code, out, err = run_main([command[0], str(src), *command[1:], "-b", "region:R3"], capsys)
    assert code == 2 and out == "", err
    assert "<input>" not in err and "period not in the table" not in err, err
    assert "--benchmark region:R3: no rows of ownership 'total' in period 2016 (it has 2015)" \
        in err, err


def test_stats_of_an_imputed_table_counts_only_published_values(tmp_path, capsys):
    # BLS QCEW 2016 Q1, Utah slice (tests/data/impute) after `clusterid impute`: stats --by
    # industry gave mining a total_reported of 46.5 jobs over two counties whose both cells
    # were withheld (the imputed values), and coverage rose with every imputed cell
    from conftest import TEST_DATA

    src = TEST_DATA / "impute" / "qcew_utah_2016q1_slice.csv"
    imputed = tmp_path / "imputed.parquet"
    code, _, err = run_main(["impute", str(src), "-o", str(imputed)], capsys)
    assert code == 0, err
    for by in ("region", "industry"):
        args = ["--by", by] + (["--industry-level", "2"] if by == "industry" else [])
        code, raw, err = run_main(["stats", str(src), *args], capsys)
        assert code == 0, err
        code, imp, err = run_main(["stats", str(imputed), *args], capsys)
        assert code == 0, err
        column = "detail_reported" if by == "region" else "total_reported"
        want = [r[column] for r in csv_rows(raw)]
        assert [r[column] for r in csv_rows(imp)] == want
    mining = next(r for r in csv_rows(imp) if r["industry"] == "21")
    assert mining["total_reported"] == "" and mining["estimated"] == "2"


def test_indices_count_a_naics_range_beside_its_parts_once(tmp_path, capsys):
    # a generic table listing NAICS 31-33 beside 31, 32 and 33 (both are sector-level codes):
    # manufacturing was counted twice, observed_total 140 of a published total of 100, and
    # missing_share clipped to 0.0 as if all were well (then said in a warning); the range
    # is now left out for its parts (codes.overlapping_aggregates): A 10 + 20 + 10 + 60
    src = tmp_path / "ranges.csv"
    src.write_text("region,industry,year,employment\n" + "".join(
        f"{r},{i},2016,{v}\n" for r, rows in (("A", (("Total", 100), ("31-33", 40), ("31", 10),
                                                    ("32", 20), ("33", 10), ("44-45", 60))),
                                              ("B", (("Total", 200), ("31-33", 50), ("31", 20),
                                                    ("32", 20), ("33", 10), ("44-45", 150))))
        for i, v in rows), encoding="utf-8")
    code, out, err = run_main(["indices", str(src)], capsys)
    assert code == 0, err
    assert "add up to more than the all-industry total" not in err, err
    assert "left out NAICS sector ranges or their parts that overlap other level-2 codes: " \
           "31-33 (31 + 32 + 33)" in " ".join(err.split()), err
    assert {r["region"]: float(r["observed_total"]) for r in csv_rows(out)} == {"A": 100.0,
                                                                               "B": 200.0}


def test_a_period_held_by_the_benchmark_region_alone(tmp_path, capsys):
    # -b region:R1 where 2016 lists R1 only: indices dropped 2016 under a note about the
    # periods listing "different industries (2016: 0)"; shift-share said 2016 "is not in"
    src = _canonical_csv(tmp_path / "bench_only.csv", [
        ("2015", "R1", "total", "11", 100, "reported"), ("2015", "R1", "total", "21", 50, "reported"),
        ("2015", "R2", "total", "11", 80, "reported"), ("2015", "R2", "total", "21", 40, "reported"),
        ("2016", "R1", "total", "11", 110, "reported"), ("2016", "R1", "total", "21", 55, "reported"),
    ])
    code, out, err = run_main(["indices", str(src), "-b", "region:R1"], capsys)
    assert code == 0, err
    assert "period 2016 left out: no region but the benchmark (R1) has rows there" in err, err
    assert "different industries" not in err, err
    assert {r["period"] for r in csv_rows(out)} == {"2015"}
    code, _, err = run_main(["shift-share", str(src), "-b", "region:R1", "--from", "2015",
                             "--to", "2016"], capsys)
    assert code == 2 and "period '2016'" in err and "no region but the benchmark (R1)" in err, err


def test_shift_share_counts_a_naics_range_beside_its_parts_once(tmp_path, capsys):
    # the same overlap (NAICS 31-33 beside 31, 32, 33) in two years: shift-share decomposed
    # 140 jobs of a region whose total is 100 (then said in a warning); the range is now left
    # out for its parts
    src = tmp_path / "ranges.csv"
    rows = (("Total", 100), ("31-33", 40), ("31", 10), ("32", 20), ("33", 10), ("44-45", 60))
    src.write_text("region,industry,year,employment\n" + "".join(
        f"{r},{i},{y},{v * k}\n" for y in (2016, 2017) for r, k in (("A", 1), ("B", 2))
        for i, v in rows), encoding="utf-8")
    code, out, err = run_main(["shift-share", str(src), "--from", "2016", "--to", "2017"], capsys)
    assert code == 0, err
    assert "add up to more than the all-industry total" not in err, err
    base = {}
    for r in csv_rows(out):
        base[r["region"]] = base.get(r["region"], 0.0) + float(r["base"])
    assert {r["industry"] for r in csv_rows(out)} == {"31", "32", "33", "44-45"}
    assert base == {"A": 100.0, "B": 200.0}


@pytest.mark.parametrize("command", [["stats"], ["indices"]])
def test_a_canonical_csv_saved_as_cp1251_is_named_as_not_utf8(command, tmp_path, capsys):
    # stat.gov.kz's table ingested to a canonical CSV, then saved again in cp1251 (as Excel on
    # a Russian Windows does): "not a number in a numeric column (expected numbers)", with no
    # line and nothing about the encoding
    from conftest import TEST_DATA

    canonical = tmp_path / "kz.csv"
    code, _, err = run_main(["ingest", str(TEST_DATA / "generic" / "kz_oked_cp1251.csv"),
                             "-o", str(canonical)], capsys)
    assert code == 0, err
    resaved = tmp_path / "kz_cp1251.csv"
    resaved.write_bytes(canonical.read_text(encoding="utf-8").encode("cp1251"))
    code, out, err = run_main([command[0], str(resaved)], capsys)
    assert code == 1 and out == "", err
    assert "kz_cp1251.csv:2: not UTF-8 text" in err and "byte 0xc0" in err, err
