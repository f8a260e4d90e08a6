"""The commands as a statistician uses them by hand and from scripts: options combined in
unusual but legitimate ways, filters that match nothing, tables without optional labels.
Each case pins the exit code and the message (or the output), and failed before its fix."""

from __future__ import annotations

from conftest import TEST_DATA, run_main

TOY = str(TEST_DATA / "lq" / "toy_canonical.csv")  # no region_level column
LAENDER = str(TEST_DATA / "reat" / "laender_emp.csv")  # NACE sections


def test_detect_reads_a_canonical_table_without_region_level(tmp_path, capsys):
    code, _, err = run_main(["detect", TOY, "--signals", "colocation", "-o",
                             str(tmp_path / "d")], capsys)
    assert code == 0, err
    assert "internal error" not in err
    assert (tmp_path / "d" / "metadata.json").exists()


def test_detect_definitions_that_match_no_industry_is_refused(tmp_path, capsys):
    code, _, err = run_main(["detect", LAENDER, "--definitions", "uscmp", "-o",
                             str(tmp_path / "d")], capsys)
    assert code == 2
    assert "none of the input's industries" in err and "B-E" in err
    assert not (tmp_path / "d").exists()


def test_stats_filter_value_not_in_the_table_is_refused(capsys):
    code, out, err = run_main(["stats", LAENDER, "--period", "2099"], capsys)
    assert code == 2 and out == ""
    assert "--period 2099: not in the table; it has 2008, 2009" in err
    code, out, err = run_main(["stats", LAENDER, "--industry-level", "4"], capsys)
    assert code == 2 and "--industry-level 4: not in the table; it has" in err


def test_stats_of_a_canonical_table_without_labels(capsys):
    for by in ("region", "industry"):
        code, out, err = run_main(["stats", TOY, "--by", by, "--output-format", "csv"], capsys)
        assert code == 0, err
        assert "internal error" not in err
    assert out.splitlines()[2] == "2016,,total,11,,2,3,3,2,1,0,0.333333,100.0,100.0"


def test_lq_level_or_ownership_not_in_the_table_is_refused(tmp_path, capsys):
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", TOY, "--level", "4", "-o", str(out)], capsys)
    assert code == 2 and "level 4 is not in the input; it has 0, 2" in err
    code, _, err = run_main(["lq", TOY, "--ownership", "private", "-o", str(out)], capsys)
    assert code == 2 and "--ownership 'private': the input has total" in err
    assert not out.exists()


def test_lq_sum_benchmark_never_adds_a_state_to_its_counties(tmp_path, capsys):
    rows = ["period,region,region_level,ownership,industry,level,employment",
            "2016,S,state,total,10,0,100", "2016,S,state,total,11,2,40",
            "2016,S,state,total,21,2,60",
            "2016,A,county,total,10,0,30", "2016,A,county,total,11,2,20",
            "2016,A,county,total,21,2,10",
            "2016,B,county,total,10,0,70", "2016,B,county,total,11,2,20",
            "2016,B,county,total,21,2,50"]
    table = tmp_path / "state_and_counties.csv"
    table.write_text("\n".join(rows) + "\n")
    import polars as pl

    out = tmp_path / "lq.parquet"
    code, _, err = run_main(["lq", str(table), "-o", str(out)], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in pl.read_parquet(out).iter_rows(named=True)}
    # county A, industry 11: (20/30) / (40/100) over the counties only (not 80/200)
    assert lq[("A", "11")]["benchmark_total"] == 100
    assert abs(lq[("A", "11")]["lq"] - (20 / 30) / (40 / 100)) < 1e-12
    assert lq[("S", "11")]["lq"] == 1.0


def test_a_gzipped_canonical_csv_is_read_as_the_canonical_table(tmp_path, capsys):
    import gzip

    plain = (TEST_DATA / "reat" / "laender_emp.csv").read_bytes()
    packed = tmp_path / "laender.csv.gz"
    packed.write_bytes(gzip.compress(plain, mtime=0))
    code, out_plain, err = run_main(["lq", LAENDER, "-o", "-"], capsys)
    assert code == 0, err
    # it was read by the generic reader: region_name taken for the region, the total row lost
    code, out_gz, err = run_main(["lq", str(packed), "-o", "-"], capsys)
    assert code == 0, err
    assert out_gz == out_plain
    truncated = tmp_path / "truncated.csv.gz"
    truncated.write_bytes(gzip.compress(plain, mtime=0)[:8000])
    code, _, err = run_main(["lq", str(truncated), "-o", "-"], capsys)
    assert code == 1 and "internal error" not in err
    assert "truncated.csv.gz: gzip-compressed data is truncated or corrupt" in err


def test_output_names_the_writer_cannot_honour_are_refused(tmp_path, capsys):
    gz = tmp_path / "imputed.csv.gz"
    code, _, err = run_main(["impute", LAENDER, "-o", str(gz)], capsys)
    assert code == 2 and "cannot write a compressed .gz file" in err  # was Parquet bytes
    assert not gz.exists()
    code, out, err = run_main(["ingest", LAENDER, "-o", "-", "--output-format", "parquet"],
                              capsys)
    assert code == 2 and out == ""  # was CSV, the option silently ignored
    assert "-o - writes CSV to stdout; --output-format parquet needs a file" in err


def test_stats_refuses_an_output_name_it_would_fill_with_csv(tmp_path, capsys):
    target = tmp_path / "stats.parquet"
    code, _, err = run_main(["stats", LAENDER, "-o", str(target)], capsys)
    assert code == 2 and "stats writes .csv or .json (got .parquet)" in err
    assert not target.exists()
    code, _, err = run_main(["stats", LAENDER, "-o", str(target), "--output-format", "csv"],
                            capsys)
    assert code == 0 and target.read_text().startswith("period,region,")


def test_an_empty_path_says_so(tmp_path, capsys):
    code, _, err = run_main(["lq", "", "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 2 and "an empty input path" in err  # was ": is a folder"
    code, _, err = run_main(["ingest", LAENDER, "-o", ""], capsys)
    assert code == 2 and "an empty output path" in err  # was ".: ... Device or resource busy"


def test_output_onto_its_own_input_is_refused(tmp_path, capsys):
    table = tmp_path / "laender.csv"
    original = (TEST_DATA / "reat" / "laender_emp.csv").read_bytes()
    table.write_bytes(original)
    for argv in (["lq", str(table), "-o", str(table)],
                 ["impute", str(table), "-o", str(tmp_path / "." / "laender.csv")]):
        code, _, err = run_main(argv, capsys)
        assert code == 2 and "is the input" in err, err
        assert table.read_bytes() == original  # was replaced by the LQ table


def test_one_region_against_its_own_sum_is_said_not_silent(capsys):
    goe = str(TEST_DATA / "reat" / "goettingen.csv")  # one city, no national column
    for argv, prefix in ((["lq", goe, "-o", "-"], "lq"), (["indices", goe, "-o", "-"], "indices"),
                         (["shift-share", goe, "--from", "2008", "--to", "2017", "-o", "-"],
                          "shift-share")):
        code, out, err = run_main(argv, capsys)
        assert code == 0, err
        assert f"{prefix}: one region (" in err and "the sum-of-regions benchmark is the " \
               "region itself" in err
    code, _, err = run_main(["lq", goe, "-b", str(TEST_DATA / "reat" / "goettingen_germany.csv"),
                             "-o", "-"], capsys)
    assert code == 0 and "one region" not in err


SAMPLE = str(TEST_DATA.parent.parent / "data" / "samples" / "qcew_utah_2016_counties.csv.gz")


def test_detect_colocation_over_one_region_is_refused(tmp_path, capsys):
    # Utah's statewide rows: one region, so co-location is a correlation over nothing
    code, _, err = run_main(["detect", SAMPLE, "--signals", "colocation", "--region-level",
                             "state", "--level", "2", "-o", str(tmp_path / "d")], capsys)
    assert code == 2
    assert "co-location needs at least 3 regions, the state regions of the input are 1" in err


def test_detect_io_table_that_maps_no_industry_is_refused(tmp_path, capsys):
    io_dir = TEST_DATA / "io"
    code, _, err = run_main(["detect", LAENDER, "--io", str(io_dir / "use_bea_tiny.csv"),
                             "--crosswalk", str(io_dir / "crosswalk_tiny.csv"),
                             "-o", str(tmp_path / "d")], capsys)
    assert code == 2 and "none of the input's industries maps to its sectors" in err


def test_detect_ownership_without_cluster_industries_is_refused(tmp_path, capsys):
    # QCEW's total-covered rows are the all-industries row only
    code, _, err = run_main(["detect", SAMPLE, "--definitions", "uscmp", "--ownership", "total",
                             "-o", str(tmp_path / "d")], capsys)
    assert code == 2 and "ownership 'total': no region has a value in any cluster" in err
    assert not (tmp_path / "d").exists()


def test_detect_grouping_options_beside_definitions_are_refused(tmp_path, capsys):
    for extra in (["--level", "2"], ["--n-clusters", "5"]):
        code, _, err = run_main(["detect", LAENDER, "--definitions", "uscmp", *extra,
                                 "-o", str(tmp_path / "d")], capsys)
        assert code == 2, err  # was ignored (exit 0)
        assert f"{extra[0]} applies to grouping from the data; with --definitions uscmp" in err


def test_detect_option_of_the_other_grouping_method_is_refused(tmp_path, capsys):
    code, _, err = run_main(["detect", LAENDER, "--resolution", "0.5", "-o",
                             str(tmp_path / "d")], capsys)
    assert code == 2 and "--resolution is for --method leiden" in err  # dps ignored it
    code, _, err = run_main(["detect", LAENDER, "--method", "leiden", "--n-clusters", "3", "-o",
                             str(tmp_path / "d")], capsys)
    assert code == 2 and "--n-clusters is for --method dps" in err  # leiden ignored it


def test_indices_group_level_that_groups_nothing_is_refused(capsys):
    code, out, err = run_main(["indices", LAENDER, "--group-level", "1", "-o", "-"], capsys)
    assert code == 2 and out == ""  # was every region's related variety empty, exit 0
    assert "--group-level 1: expected a level of parent codes (there is none) for industries " \
           "at level 1" in err
    code, out, err = run_main(["indices", SAMPLE, "--level", "4", "--group-level", "0",
                               "-o", "-"], capsys)
    assert code == 2 and "from 1 to 3 for industries at level 4" in err


def test_lq_suppressed_mode_without_employment_is_refused(tmp_path, capsys):
    code, _, err = run_main(["lq", SAMPLE, "--measure", "wages", "--suppressed", "bounds",
                             "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 2  # was exit 0 with no bounds column: the option silently did nothing
    assert "--suppressed bounds works on employment cells; --measure wages has none" in err


def _panel_with_a_gap(tmp_path):
    """Regions A, B, C in 2014 and 2016; C has no row at all in 2015 (not published)."""
    rows = ["period,region,region_level,ownership,industry,level,employment"]
    for period, growth in (("2014", 1.0), ("2015", 1.1), ("2016", 1.2)):
        for region, base in (("A", 10), ("B", 20), ("C", 30)):
            if period == "2015" and region == "C":
                continue
            for industry, weight in (("11", 1), ("21", 2)):
                rows.append(f"{period},{region},county,total,{industry},2,"
                            f"{base * weight * growth:.1f}")
    path = tmp_path / "gap.csv"
    path.write_text("\n".join(rows) + "\n")
    return str(path)


def test_shift_share_region_absent_in_a_period_is_not_zero(tmp_path, capsys):
    code, out, err = run_main(["shift-share", _panel_with_a_gap(tmp_path), "--from", "2014",
                               "--to", "2015", "-o", "-"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","))) for line in lines[1:]]
    # C's 2015 rows are missing, not 0: before, C 'lost' 90 jobs and national growth was -45%
    assert {r["observed"] for r in rows if r["region"] == "C"} == {"false"}
    assert {float(r["growth_national"]) for r in rows if r["region"] != "C"} == {0.1}


def test_shift_share_region_rows_without_an_observed_cell_are_empty(tmp_path, capsys):
    code, out, err = run_main(["shift-share", _panel_with_a_gap(tmp_path), "--from", "2014",
                               "--to", "2016", "--dynamic", "--by", "region", "-o", "-"], capsys)
    assert code == 0, err
    c_rows = [line for line in out.splitlines() if ",C,," in line]
    assert len(c_rows) == 3
    assert all(line.endswith(",0,2,,,,,,,,,") for line in c_rows), c_rows  # was 0.0 everywhere


def test_lq_raw_input_options_on_a_canonical_table_are_refused(capsys):
    code, out, err = run_main(["lq", TOY, "--month", "1", "-o", "-"], capsys)
    assert code == 2 and out == ""  # was ignored: the table's month is the one ingest chose
    assert "--month applies to a raw file;" in err and "is a canonical table already" in err


def test_detect_month_on_a_canonical_table_is_refused(tmp_path, capsys):
    # like lq's: the table's month is the one ingest chose; --month 1 was silently ignored
    code, out, err = run_main(["detect", TOY, "--month", "1", "-o", str(tmp_path / "d")], capsys)
    assert code == 2
    assert "--month applies to a raw file;" in err and "is a canonical table already" in err
    assert not (tmp_path / "d").exists()
