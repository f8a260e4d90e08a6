"""Crash hunt 13: ``lq``, ``stats``, ``indices`` and ``shift-share`` on multi-period panels
given as sets of canonical tables, one per period (README "Large tables"), as a statistical
office adds a year when its data lands; each problem pinned by a test that failed before its
fix.  The tables are hand-made, in the canonical layout (src/clusterid/schema.py), and
ingested here as clusterid writes a panel's parts."""

from __future__ import annotations

from conftest import csv_rows, run_main, run_ok

HEAD = ("period,region,ownership,industry,level,employment,employment_status,"
        "wages,wages_status\n")


def _year(period: str, wages: bool = True) -> str:
    rows = [("A", "10", 0, 100, 5000), ("A", "11", 2, 40, 1000), ("A", "21", 2, 60, 4000),
            ("B", "10", 0, 200, 8000), ("B", "11", 2, 150, 6000), ("B", "21", 2, 50, 2000)]
    head = HEAD if wages else HEAD.replace(",wages,wages_status", "")
    body = "".join(f"{period},{r},total,{i},{lv},{e},reported"
                   + (f",{w},reported" if wages else "") + "\n" for r, i, lv, e, w in rows)
    return head + body


def _panel(tmp_path, capsys):
    """2016 and 2017 with wages, 2018's table without the column, each its own Parquet."""
    folder = tmp_path / "panel"
    folder.mkdir()
    for period, wages in (("2016", True), ("2017", True), ("2018", False)):
        src = tmp_path / f"{period}.csv"
        src.write_text(_year(period, wages), encoding="utf-8")
        run_ok(["ingest", str(src), "-o", str(folder / f"{period}.parquet")], capsys)
    return str(folder / "*.parquet")


def test_indices_leave_out_and_say_a_period_whose_table_lacks_the_measure(tmp_path, capsys):
    # 2018's table has no wages column: indices -m wages gave 2018 rows of observed_total 0.0
    # and empty indices (regions with no activity), exit 0, nothing said
    panel = _panel(tmp_path, capsys)
    code, out, err = run_main(["indices", panel, "-m", "wages", "-o", "-"], capsys)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2016", "2017"}
    assert "period 2018 left out: no wages there" in err, err
    code, _, err = run_main(["indices", panel, "-m", "wages", "--period", "2018", "-o", "-"],
                            capsys)
    assert code == 2 and "period whose table has no 'wages' column" in err, err


def test_shift_share_to_a_period_whose_table_lacks_the_measure_is_refused(tmp_path, capsys):
    # shift-share -m wages --from 2016 --to 2018 wrote every cell 'observed false' with empty
    # figures, exit 0, nothing said
    panel = _panel(tmp_path, capsys)
    code, _, err = run_main(["shift-share", panel, "-m", "wages", "--from", "2016", "--to",
                             "2018", "-o", "-"], capsys)
    assert code == 2, err
    assert "period '2018' of" in err and "has no wages (its table has no such column)" in err
    code, out, err = run_main(["shift-share", panel, "--from", "2016", "--to", "2018",
                               "-o", "-"], capsys)  # employment is in every table
    assert code == 0, err
    assert {r["observed"] for r in csv_rows(out)} == {"true"}


def test_stats_do_not_count_a_period_whose_table_lacks_the_measure(tmp_path, capsys):
    # --by summary said wages: rows 18, periods 3, share_suppressed over all 18 rows; --by
    # region gave 2018 rows of 3 cells, 0 reported, 0 suppressed, share_suppressed 0.0
    panel = _panel(tmp_path, capsys)
    code, out, err = run_main(["stats", panel, "--by", "summary"], capsys)
    assert code == 0, err
    wages = next(r for r in csv_rows(out) if r["measure"] == "wages")
    assert (wages["rows"], wages["periods"], wages["reported"]) == ("12", "2", "12"), wages
    code, out, err = run_main(["stats", panel, "-m", "wages"], capsys)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2016", "2017"}
    assert "period 2018 left out: no wages there" in err, err
    code, _, err = run_main(["stats", panel, "-m", "wages", "--period", "2018"], capsys)
    assert code == 2, err
    assert "period 2018 has no such column; periods with it: 2016, 2017" in err, err


def test_a_reference_of_another_ownership_is_named_as_such(tmp_path, capsys):
    # counties' private rows beside their all-ownership totals (as QCEW's), the national file
    # read with ownership total only, --ownership private: every LQ empty, and the note said
    # the reference "has no rows for industry code(s) 10, 11, 21", codes it holds, rather than
    # naming the ownership
    src = tmp_path / "counties.csv"
    src.write_text(_year("2016").replace(",total,", ",private,")
                   + "2016,A,total,10,0,110,reported,5500,reported\n"
                   "2016,B,total,10,0,210,reported,8500,reported\n", encoding="utf-8")
    ref = tmp_path / "nation.csv"
    ref.write_text("period,region,ownership,industry,level,employment,employment_status\n"
                   "2016,US,total,10,0,1000,reported\n2016,US,total,11,2,300,reported\n"
                   "2016,US,total,21,2,700,reported\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(src), "-b", str(ref), "-m", "employment",
                               "--ownership", "private", "-o", "-"], capsys)
    assert code == 0, err
    assert {r["lq_reason"] for r in csv_rows(out)} == {"no benchmark"}
    assert "has no rows for ownership(s) private (it has total)" in err, err
    assert "industry code(s)" not in err, err


def test_a_glob_over_a_folder_of_csv_tables_leaves_their_sidecars_out(tmp_path, capsys):
    # a panel kept as canonical CSV, a year a file: 'panel/*' matched each table's .meta.json
    # sidecar (clusterid writes one beside every CSV output), and lq refused it as "a JSON file
    # that is no JSON-stat dataset"
    folder = tmp_path / "panel"
    folder.mkdir()
    for period in ("2016", "2017"):
        src = tmp_path / f"{period}.csv"
        src.write_text(_year(period), encoding="utf-8")
        run_ok(["ingest", str(src), "-o", str(folder / f"{period}.csv")], capsys)
    assert (folder / "2016.csv.meta.json").exists()
    code, out, err = run_main(["lq", str(folder / "*"), "-o", "-"], capsys)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2016", "2017"}
    _, whole, _ = run_main(["lq", str(folder / "*.csv"), "-o", "-"], capsys)
    assert out == whole


def test_tables_ingested_with_different_qcew_months_are_said(tmp_path, capsys):
    # the bundled Utah QCEW sample (data/samples/README.md), its first quarter ingested with
    # --month 3 and its second with the default average: shift-share between them compared a
    # third month with an average, the set opened as one table without a word
    import gzip

    from conftest import SAMPLES

    lines = gzip.open(SAMPLES / "qcew_utah_2016_counties.csv.gz", "rt",
                      encoding="utf-8").read().splitlines()
    folder = tmp_path / "panel"
    folder.mkdir()
    for qtr, month in (("1", "3"), ("2", "average")):
        src = tmp_path / f"q{qtr}.csv"
        rows = [r for r in lines[1:] if r.split(",")[6] == qtr
                and r.split(",")[0] in ("49001", "49003", "49005")]
        src.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
        run_ok(["ingest", str(src), "--month", month, "-o", str(folder / f"q{qtr}.parquet")],
               capsys)
    code, _, err = run_main(["shift-share", str(folder / "*.parquet"), "--from", "2016Q1",
                             "--to", "2016Q2", "--level", "2", "-o", "-"], capsys)
    assert code == 0, err
    assert ("ingested with different QCEW --month: 3 (" in err
            and "q1.parquet); average (" in err), err
    code, _, err = run_main(["lq", str(folder / "q2.parquet"), "-o", "-"], capsys)
    assert code == 0 and "different QCEW --month" not in err, err


def test_a_period_whose_table_has_no_region_levels_is_not_lost_unsaid(tmp_path, capsys):
    # 2016 and 2017 at region level 'county', 2018's table (from another source) without a
    # region_level column: indices left 2018 out saying only "2018: 0" industries, and
    # shift-share --to 2018 wrote every region 'not observed', exit 0
    folder = tmp_path / "panel"
    folder.mkdir()
    for period in ("2016", "2017", "2018"):
        text = _year(period)
        if period != "2018":
            text = (text.replace("\n", ",county\n", 1).replace(",reported\n", ",reported,county\n")
                    .replace("wages_status,county", "wages_status,region_level"))
        src = tmp_path / f"{period}.csv"
        src.write_text(text, encoding="utf-8")
        run_ok(["ingest", str(src), "-o", str(folder / f"{period}.parquet")], capsys)
    panel = str(folder / "*.parquet")
    code, out, err = run_main(["indices", panel, "-o", "-"], capsys)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2016", "2017"}
    assert "period 2018 left out: no rows at region level 'county'" in err, err
    code, _, err = run_main(["shift-share", panel, "--from", "2016", "--to", "2018", "-o", "-"],
                            capsys)
    assert code == 2, err
    assert "period '2018' of" in err and "has no rows at region level 'county'" in err, err


def test_dynamic_shift_share_says_a_period_missing_from_the_panel(tmp_path, capsys):
    # a panel of 2016, 2017 and 2019 (2018's table not yet in the folder): --dynamic chained
    # 2016 -> 2017 -> 2019, the last step two years long, without a word
    folder = tmp_path / "panel"
    folder.mkdir()
    for period in ("2016", "2017", "2019"):
        src = tmp_path / f"{period}.csv"
        src.write_text(_year(period), encoding="utf-8")
        run_ok(["ingest", str(src), "-o", str(folder / f"{period}.parquet")], capsys)
    code, out, err = run_main(["shift-share", str(folder / "*.parquet"), "--from", "2016",
                               "--to", "2019", "--dynamic", "--by", "region", "-o", "-"], capsys)
    assert code == 0, err
    assert {(r["period_from"], r["period_to"]) for r in csv_rows(out)
            if r["span"] == "step"} == {("2016", "2017"), ("2017", "2019")}
    assert ("--dynamic: 1 period between 2016 and 2019 not in the panel (2018): the step "
            "across it spans more than one period") in err, err


def test_lq_level_says_a_period_without_codes_of_that_level(tmp_path, capsys):
    # 2016 at 2-digit codes, 2017's table holding the all-industry rows only (a new year
    # published as totals first): lq --level 2 over the pair wrote 2016's rows, 2017 gone
    # without a word
    folder = tmp_path / "panel"
    folder.mkdir()
    for period in ("2016", "2017"):
        text = _year(period)
        if period == "2017":
            text = "".join(line + "\n" for line in text.splitlines() if ",10,0," in line
                           or line.startswith("period"))
        src = tmp_path / f"{period}.csv"
        src.write_text(text, encoding="utf-8")
        run_ok(["ingest", str(src), "-o", str(folder / f"{period}.parquet")], capsys)
    code, out, err = run_main(["lq", str(folder / "*.parquet"), "--level", "2", "-o", "-"],
                              capsys)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2016"}
    assert "period 2017 left out: no industry codes of level 2 there" in err, err


def _rolled_up_panel(tmp_path, capsys):
    """2016 with private 2-digit rows and its totals; 2017 with the total ownership alone (a
    new year ingested with --ownership total, or published as totals first)."""
    folder = tmp_path / "panel"
    folder.mkdir()
    for period in ("2016", "2017"):
        text = _year(period).replace(",total,1", ",private,1").replace(",total,2", ",private,2")
        if period == "2016":
            text += (f"{period},A,total,10,0,110,reported,5500,reported\n"
                     f"{period},B,total,10,0,210,reported,8500,reported\n")
        else:
            text = _year(period)
            text = "".join(line + "\n" for line in text.splitlines()
                           if ",10,0," in line or line.startswith("period"))
        src = tmp_path / f"{period}.csv"
        src.write_text(text, encoding="utf-8")
        run_ok(["ingest", str(src), "-o", str(folder / f"{period}.parquet")], capsys)
    return str(folder / "*.parquet")


def test_lq_ownership_says_a_period_without_rows_of_it(tmp_path, capsys):
    # lq --ownership private over the pair wrote 2016's rows only, 2017 gone without a word
    panel = _rolled_up_panel(tmp_path, capsys)
    code, out, err = run_main(["lq", panel, "--ownership", "private", "-o", "-"], capsys)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2016"}
    assert "period 2017 left out: no rows of ownership private there" in err, err


def test_stats_industry_level_says_a_period_without_codes_of_it(tmp_path, capsys):
    # stats --industry-level 2 (--by region and --by industry) wrote 2016's rows only
    panel = _rolled_up_panel(tmp_path, capsys)
    for by in ("region", "industry"):
        code, out, err = run_main(["stats", panel, "--industry-level", "2", "--by", by],
                                  capsys)
        assert code == 0, err
        assert {r["period"] for r in csv_rows(out)} == {"2016"}
        assert "period 2017 left out: no industry codes of level 2 there" in err, err


def test_stats_ownership_says_a_period_without_rows_of_it(tmp_path, capsys):
    # stats --ownership private wrote 2016's rows only, 2017 (total only) gone without a word
    panel = _rolled_up_panel(tmp_path, capsys)
    code, out, err = run_main(["stats", panel, "--ownership", "private"], capsys)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2016"}
    assert "period 2017 left out: no rows of ownership private there" in err, err
    code, out, err = run_main(["stats", panel, "--ownership", "private", "--period", "2016"],
                              capsys)
    assert code == 0 and "left out" not in err, err


def test_shift_share_measure_all_leaves_out_a_measure_one_period_lacks(tmp_path, capsys):
    # -m all ('every measure the table carries') over a panel whose 2018 table has no wages
    # column refused the whole run for wages; it now decomposes the measures both periods have
    panel = _panel(tmp_path, capsys)
    code, out, err = run_main(["shift-share", panel, "-m", "all", "--from", "2016", "--to",
                               "2018", "--by", "region", "-o", "-"], capsys)
    assert code == 0, err
    assert {r["measure"] for r in csv_rows(out)} == {"employment"}
    assert "--measure all: wages left out, as the table of period 2018 has no such column" in err


def test_stats_say_a_period_without_the_measure_once(tmp_path, capsys):
    # with --ownership too, 2018 (no wages column) was also said to have 'no rows of
    # ownership total', which it has
    panel = _panel(tmp_path, capsys)
    code, out, err = run_main(["stats", panel, "-m", "wages", "--ownership", "total"], capsys)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2016", "2017"}
    assert "period 2018 left out: no wages there" in err, err
    assert "no rows of ownership" not in err, err


def test_all_ownership_denominator_says_a_period_without_the_total(tmp_path, capsys):
    # 2017's table holds private rows only (ingested with --ownership private): with
    # --denominator all-ownership every 2017 LQ was 'no region total', exit 0, nothing said
    folder = tmp_path / "panel"
    folder.mkdir()
    for period in ("2016", "2017"):
        text = _year(period).replace(",total,", ",private,")
        if period == "2016":
            text += (f"{period},A,total,10,0,110,reported,5500,reported\n"
                     f"{period},B,total,10,0,210,reported,8500,reported\n")
        src = tmp_path / f"{period}.csv"
        src.write_text(text, encoding="utf-8")
        run_ok(["ingest", str(src), "-o", str(folder / f"{period}.parquet")], capsys)
    code, out, err = run_main(["lq", str(folder / "*.parquet"), "--denominator",
                               "all-ownership", "-m", "employment", "-o", "-"], capsys)
    assert code == 0, err
    assert {r["lq_reason"] for r in csv_rows(out) if r["period"] == "2017"} == {
        "no region total"}
    assert ("--denominator all-ownership: period 2017 has no all-ownership total (ownership "
            "'total', industry 10): its LQs are empty ('no region total')") in err, err


def test_a_glob_over_a_folder_of_csv_tables_leaves_their_rejects_out(tmp_path, capsys):
    # a year ingested with --on-error skip has its <table>.rejects.csv beside it, which
    # 'panel/*.csv' matched: lq read it as a table and refused the folder ("no region column
    # recognised ... name it with --region-col").  Raw tables in the layout of
    # tests/data/generic/bad_number.csv, 2017's with a count that is no number
    folder = tmp_path / "panel"
    folder.mkdir()
    for period in ("2016", "2017"):
        src = tmp_path / f"{period}.csv"
        src.write_text("region,industry,year,employment\n"
                       f"49001,11,{period},40\n49001,21,{period},60\n"
                       f"49003,11,{period},150\n49003,21,{period},50\n"
                       + (f"49005,11,{period},12x\n" if period == "2017" else ""),
                       encoding="utf-8")
        run_ok(["ingest", str(src), "-o", str(folder / f"{period}.csv"), "--on-error", "skip"],
               capsys)
    assert (folder / "2017.csv.rejects.csv").exists()
    code, out, err = run_main(["lq", str(folder / "*.csv"), "-o", "-"], capsys)
    assert code == 0, err
    assert {r["period"] for r in csv_rows(out)} == {"2016", "2017"}
    _, listed, _ = run_main(["lq", str(folder / "2016.csv"), str(folder / "2017.csv"), "-o", "-"],
                            capsys)
    assert out == listed
