"""Crash hunt 12: ``clusterid lq`` on files the project had not seen (QCEW county and statewide
slices, CBP national and county files, hand-made canonical tables and reference tables of odd
shapes), each problem pinned by a test that failed before its fix."""

from __future__ import annotations

from conftest import TEST_DATA, csv_rows, run_main

CBP21 = TEST_DATA / "cbp"  # Census CBP 2021 excerpts: cbp21co (counties), cbp21us (the nation)


def test_reference_lacking_the_level_asked_for_is_not_said_to_lack_the_period(capsys):
    # cbp21us_excerpt holds 2021's national rows down to 113/// but not 113310: under --level 6
    # every output row was 'no benchmark' and the note said "the reference has no rows for
    # period(s) 2021", though it has 2021 rows; the missing industry code went unnamed
    code, out, err = run_main(["lq", str(CBP21 / "cbp21co_excerpt.txt"), "-o", "-",
                               "--benchmark", str(CBP21 / "cbp21us_excerpt.txt"),
                               "--level", "6"], capsys)
    assert code == 0, err
    assert {r["lq_reason"] for r in csv_rows(out)} == {"no benchmark"}
    assert "no rows for industry code(s) 113310" in err, err
    assert "period(s) 2021" not in err, err


def test_rest_of_nation_of_a_single_region_is_said_to_be_empty(tmp_path, capsys):
    # one region with -b rest (REAT's Goettingen table once its Germany column is dropped as a
    # region total): every LQ was 'no benchmark', exit 0, with nothing said; the sum benchmark
    # of one region says so, as indices and shift-share do for -b rest
    src = tmp_path / "one.csv"
    src.write_text("period,region,ownership,industry,level,employment,employment_status\n"
                   "2016,A,total,10,0,100,reported\n2016,A,total,11,2,40,reported\n"
                   "2016,A,total,21,2,60,reported\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(src), "-o", "-", "-b", "rest"], capsys)
    assert code == 0, err
    assert {r["lq_reason"] for r in csv_rows(out)} == {"no benchmark"}
    assert "one region (A): with -b rest its rest of the nation is empty" in err, err
    assert "--keep-region-totals" in err, err


def test_a_reference_row_given_twice_is_named_at_its_lines(tmp_path, capsys):
    # a hand-typed table of national shares with industry 11 twice was refused naming the key
    # alone ("found 'industry=11'"): no line, where a canonical or raw file names both copies'
    src = TEST_DATA / "lq" / "toy_canonical.csv"
    ref = tmp_path / "shares.csv"
    ref.write_text("period;industry;benchmark_share\n2016;10;1,0\n2016;11;0,25\n\n"
                   "2016;21;0,75\n2016;11;0,3\n", encoding="utf-8")
    code, _, err = run_main(["lq", str(src), "-o", "-", "-b", str(ref)], capsys)
    assert code == 1, err
    assert f"{ref}:6: the reference table has several rows for one benchmark cell" in err, err
    assert "period=2016, industry=11" in err and "first seen on line 3" in err, err


def test_a_reference_row_below_a_quoted_line_break_is_named_at_its_own_line(tmp_path, capsys):
    # the table above with a note column whose first cell runs over two lines (a spreadsheet's
    # Alt+Enter): the rows below it start a line further down; both copies of 11 were named a
    # line too early (5 and 2 for 6 and 3), each row counted as one line
    src = TEST_DATA / "lq" / "toy_canonical.csv"
    ref = tmp_path / "shares.csv"
    ref.write_text('period;industry;benchmark_share;note\n2016;10;1,0;"national\ntotal"\n'
                   "2016;11;0,25;\n2016;21;0,75;\n2016;11;0,3;\n", encoding="utf-8")
    code, _, err = run_main(["lq", str(src), "-o", "-", "-b", str(ref)], capsys)
    assert code == 1, err
    assert f"{ref}:6: the reference table has several rows for one benchmark cell" in err, err
    assert "first seen on line 4" in err, err


def test_a_reference_giving_one_level_two_benchmark_totals_is_refused(tmp_path, capsys):
    # industry 11's benchmark_total of 900 beside 1,000 for 10 and 21 (a total copied from
    # another year) compared 11 with another economy: A's LQ 1.44 for (40/100)/(250/1000) = 1.6,
    # exit 0, without a word
    src = TEST_DATA / "lq" / "toy_canonical.csv"
    ref = tmp_path / "totals.csv"
    ref.write_text("period,industry,benchmark_industry_total,benchmark_total\n"
                   "2016,10,1000,1000\n2016,11,250,900\n2016,21,750,1000\n", encoding="utf-8")
    code, _, err = run_main(["lq", str(src), "-o", "-", "-b", str(ref)], capsys)
    assert code == 1, err
    assert f"{ref}:3: column 'benchmark_total'" in err, err
    assert "900 for industry 11, 1000 for industry 21 on line 4 (level 2)" in err, err
    ref.write_text("period,industry,benchmark_industry_total,benchmark_total\n"
                   "2016,10,1000,1000\n2016,11,250,1000\n2016,21,750,1000\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(src), "-o", "-", "-b", str(ref)], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r["lq"] for r in csv_rows(out)}
    assert float(lq["A", "11"]) == 1.6 and float(lq["B", "21"]) == float("1.0666667")


def test_industries_adding_up_to_more_than_the_total_are_said(tmp_path, capsys):
    # region A lists 180 + 60 under an all-industry total of 100: its region share of 11 was
    # 1.8 and its LQ 9.9, exit 0, with nothing said (indices and stats say so)
    src = tmp_path / "over.csv"
    src.write_text("period,region,ownership,industry,level,employment,employment_status\n"
                   "2016,A,total,10,0,100,reported\n2016,A,total,11,2,180,reported\n"
                   "2016,A,total,21,2,60,reported\n2016,B,total,10,0,1000,reported\n"
                   "2016,B,total,11,2,20,reported\n2016,B,total,21,2,900,reported\n",
                   encoding="utf-8")
    code, out, err = run_main(["lq", str(src), "-o", "-"], capsys)
    assert code == 0, err
    assert ("in 1 region group the industries of a level add up to more than the all-industry "
            "total (A, employment, 2016, total, level 2: 240 of 100)") in err, err
    # the consistent Utah sample says nothing of the kind
    code, _, err = run_main(["lq", str(TEST_DATA.parent.parent / "data" / "samples"
                                     / "qcew_utah_2016_counties.csv.gz"), "-o", "-",
                             "--period", "2016Q1"], capsys)
    assert code == 0 and "add up to more" not in err, err


def test_a_key_in_two_parquet_tables_names_the_other_file(tmp_path, capsys):
    # two canonical Parquet tables of one year given as one input ('panel/*.parquet' with the
    # year ingested twice): every duplicate was named at the first file alone (a Parquet table
    # has no lines), the capped list never naming the second
    src = TEST_DATA / "lq" / "toy_canonical.csv"
    panel = tmp_path / "panel"
    panel.mkdir()
    for name in ("a", "b"):
        code, _, err = run_main(["ingest", str(src), "-o", str(panel / f"{name}.parquet")], capsys)
        assert code == 0, err
    code, _, err = run_main(["lq", str(panel / "*.parquet"), "-o", "-", "--period", "2016"],
                            capsys)
    assert code == 1, err
    # (one line per key since session 31, at the second copy, naming the first's file)
    assert (f"{panel / 'b.parquet'}: duplicate row for the same period, region, ownership and "
            f"industry (expected one row per key, found 'period=2016, region=A, ownership=total, "
            f"industry=10'); first seen in {panel / 'a.parquet'}") in err, err


def test_reference_codes_typed_with_blanks_around_them_match(tmp_path, capsys):
    # ' 11' and '21 ' in a hand-typed table of shares matched no code: every LQ of 11 and 21
    # 'no benchmark', and the note said the reference had no rows for 11 and 21
    src = TEST_DATA / "lq" / "toy_canonical.csv"
    ref = tmp_path / "shares.csv"
    ref.write_text('industry,benchmark_share\n10,1\n 11,0.25\n"21 ",0.75\n', encoding="utf-8")
    code, out, err = run_main(["lq", str(src), "-o", "-", "-b", str(ref)], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r["lq"] for r in csv_rows(out)}
    assert lq["A", "11"] == "1.6" and lq["B", "21"] == "1.0666667", lq
    assert "no benchmark" not in err, err


def test_a_period_whose_table_lacks_a_measure_gets_no_rows_of_it(tmp_path, capsys):
    # 'panel/*.parquet' with 2017's table ingested without wages: --period 2017 over the panel
    # gave 2017 a wages row per cell, each 'missing cell', where 2017's table alone gives none
    import polars as pl

    src = TEST_DATA / "lq" / "toy_canonical.csv"
    panel = tmp_path / "panel"
    panel.mkdir()
    code, _, err = run_main(["ingest", str(src), "-o", str(panel / "a.parquet")], capsys)
    assert code == 0, err
    t16 = pl.read_parquet(panel / "a.parquet").with_columns(
        pl.col("employment").alias("wages"), pl.col("employment_status").alias("wages_status"))
    t16.write_parquet(panel / "a.parquet")
    t16.drop("wages", "wages_status").with_columns(pl.lit("2017").alias("period")).write_parquet(
        panel / "b.parquet")
    code, out, err = run_main(["lq", str(panel / "*.parquet"), "-o", "-", "--period", "2017"],
                              capsys)
    assert code == 0, err
    assert {r["measure"] for r in csv_rows(out)} == {"employment"}, out
    assert "no rows for wages in 2017: the input's table of that period has no such column" in err
    code, out_b, err = run_main(["lq", str(panel / "b.parquet"), "-o", "-"], capsys)
    assert code == 0 and out_b == out, err
    code, _, err = run_main(["lq", str(panel / "*.parquet"), "-o", "-", "--period", "2017",
                             "--measure", "wages"], capsys)
    assert code == 2 and "wages in 2017" in err, err


def test_a_value_typed_on_a_suppressed_cell_is_refused(tmp_path, capsys):
    # a hand-made canonical table with 0 under status 'suppressed' (as QCEW writes its withheld
    # cells): lq took the 0 as a count, A's LQ of 11 came out 0.0, exit 0
    src = tmp_path / "t.csv"
    src.write_text("period,region,ownership,industry,level,employment,employment_status\n"
                   "2016,A,total,10,0,100,reported\n2016,A,total,11,2,0,suppressed\n"
                   "2016,B,total,10,0,50,reported\n2016,B,total,11,2,5,reported\n",
                   encoding="utf-8")
    code, _, err = run_main(["lq", str(src), "-o", "-"], capsys)
    assert code == 1, err
    assert (f"{src}:3: column 'employment': a value on a suppressed cell (expected an empty "
            "employment cell where employment_status is suppressed") in err, err


def test_reference_periods_typed_in_lower_case_match(tmp_path, capsys):
    # '2016q1' in a hand-typed reference beside the input's canonical 2016Q1: refused as
    # sharing no period, though --period 2016q1 matches it; a duplicate is still located
    src = tmp_path / "t.csv"
    src.write_text((TEST_DATA / "lq" / "toy_canonical.csv").read_text(encoding="utf-8")
                   .replace("\n2016,", "\n2016Q1,"), encoding="utf-8")
    ref = tmp_path / "shares.csv"
    ref.write_text("period,industry,benchmark_share\n2016q1,10,1\n2016q1,11,0.25\n"
                   "2016q1,21,0.75\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(src), "-o", "-", "-b", str(ref)], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r["lq"] for r in csv_rows(out)}
    assert lq["A", "11"] == "1.6", lq
    ref.write_text(ref.read_text(encoding="utf-8") + "2016Q1,11,0.3\n", encoding="utf-8")
    code, _, err = run_main(["lq", str(src), "-o", "-", "-b", str(ref)], capsys)
    assert code == 1 and f"{ref}:5:" in err and "first seen on line 3" in err, err


def test_level_on_a_custom_classification_says_the_codes_have_none(tmp_path, capsys):
    # industries named in words (no classification): --level 2 said "level 2 is not in the
    # input; it has " and nothing after it
    src = tmp_path / "fruit.csv"
    src.write_text("region,industry,year,employment\nA,apples,2016,10\nA,pears,2016,20\n"
                   "B,apples,2016,30\nB,pears,2016,5\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(src), "--level", "2", "-o", "-"], capsys)
    assert code == 2 and out == "", err
    assert "level 2: the industry codes have no level" in err and "it has \n" not in err, err


def test_a_measure_the_reference_lacks_is_named_not_its_codes(tmp_path, capsys):
    # a reference of employment shares (with a measure column) beside a table of employment
    # and establishments: the establishments LQs are 'no benchmark', and the note said the
    # reference had no rows for industry codes 10, 11 and 21, which it has
    src = tmp_path / "two.csv"
    src.write_text("period,region,ownership,industry,level,employment,employment_status,"
                   "establishments,establishments_status\n"
                   "2016,A,total,10,0,100,reported,10,reported\n2016,A,total,11,2,40,reported,4,"
                   "reported\n2016,A,total,21,2,60,reported,6,reported\n2016,B,total,10,0,300,"
                   "reported,20,reported\n2016,B,total,11,2,60,reported,5,reported\n2016,B,total,"
                   "21,2,240,reported,15,reported\n", encoding="utf-8")
    ref = tmp_path / "shares.csv"
    ref.write_text("industry,measure,benchmark_share\n10,employment,1\n11,employment,0.25\n"
                   "21,employment,0.75\n", encoding="utf-8")
    code, _, err = run_main(["lq", str(src), "-o", "-", "-b", str(ref)], capsys)
    assert code == 0, err
    assert ("6 LQs are empty ('no benchmark'): the reference has no rows for measure(s) "
            "establishments\n") in err, err


def test_a_reference_table_kept_in_a_workbook_is_read(tmp_path, capsys):
    # national shares typed into a spreadsheet and saved as xlsx were read as CSV text: "not a
    # reference table (expected an 'industry' column, found 'columns PK\x03\x04...')"
    from openpyxl import Workbook

    src = TEST_DATA / "lq" / "toy_canonical.csv"
    wb = Workbook()
    ws = wb.active
    for row in (("period", "industry", "benchmark_industry_total", "benchmark_total"),
                (2016, 10, 1000, 1000), (2016, 11, 250, 1000), (2016, 21, 750, 1000)):
        ws.append(row)
    book = tmp_path / "national.xlsx"
    wb.save(book)
    code, out, err = run_main(["lq", str(src), "-o", "-", "-b", str(book)], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r["lq"] for r in csv_rows(out)}
    assert lq["A", "11"] == "1.6" and lq["C", "21"] == "0.93333334", lq


def test_few_industries_without_a_level_are_not_said_to_be_at_level_none(tmp_path, capsys):
    # REAT's Freiburg table: three activities without a WZ letter beside lettered sections; the
    # note on totals summed from few industries said "total at level None: 3"
    src = tmp_path / "t.csv"
    src.write_text("region,industry,year,employment\n" + "".join(
        f"{r},{i},2016,{v}\n" for r in ("A", "B") for i, v in (
            ("Baugewerbe (F)", 10), ("Handel (G)", 20), ("Sonstige Dienste", 5),
            ("Kunst und Erholung", 4))), encoding="utf-8")
    code, _, err = run_main(["lq", str(src), "-o", "-"], capsys)
    assert code == 0, err
    assert "level None" not in err and "total without a level: 2" in err, err


def test_an_imputed_level_summing_to_its_total_within_the_solvers_tolerance_is_not_said(
        tmp_path, capsys):
    # `lq --suppressed impute` on the Utah sample (private, level 6) said "in 6 region groups the
    # industries of a level add up to more than the all-industry total (49009, employment,
    # 2016Q1, private, level 6: 124 of 124 ...)": the imputed cells summed to 124.000002, the
    # solver's tolerance; indices on `clusterid impute`'s output said the same
    src = tmp_path / "imputed.csv"
    head = "period,region,ownership,industry,level,employment,employment_status\n"
    rows = ("2016,A,total,10,0,124,reported\n2016,A,total,11,2,40.000001,estimated\n"
            "2016,A,total,21,2,84.000001,estimated\n2016,B,total,10,0,1000,reported\n"
            "2016,B,total,11,2,100,reported\n2016,B,total,21,2,900,reported\n")
    src.write_text(head + rows, encoding="utf-8")
    for argv in (["lq", str(src), "-o", "-"], ["indices", str(src), "-o", "-"]):
        code, _, err = run_main(argv, capsys)
        assert code == 0, err
        assert "add up to more" not in err, err
    # a job more is still said, by both
    src.write_text(head + rows.replace("84.000001", "85"), encoding="utf-8")
    for argv in (["lq", str(src), "-o", "-"], ["indices", str(src), "-o", "-"]):
        code, _, err = run_main(argv, capsys)
        assert code == 0, err
        assert "add up to more than the all-industry total" in err and "125 of 124" in err, err
