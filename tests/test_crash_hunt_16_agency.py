"""Crash hunt 16: US agency files the project had not been run on (QCEW by-industry and annual
data slices, QCEW of another year, MSA-only single files, CBP files of other years and
layouts), run through ingest, lq, impute, stats and detect as the README shows; each problem
pinned by a test that failed before its fix.

Inputs are committed slices of real files, named beside each test
(tests/data/README.md says where each was cut from)."""

from __future__ import annotations

from conftest import TEST_DATA, csv_rows, run_main, run_ok

# BLS QCEW 2016 Q1 by-area rows of Utah statewide and three counties, own_code 0 and 5
# (cut from ../shared/data/qcew_utah_2016q, values unchanged)
UTAH_SLICE = TEST_DATA / "impute" / "qcew_utah_2016q1_slice.csv"
# BLS QCEW 2016 annual area slice of Beaver County, UT: own_code 0, 3 and 5
BEAVER = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"


def test_ownership_given_as_a_qcew_own_code_is_that_ownership(tmp_path, capsys):
    # ingest --ownership 5 reads the private rows, and lq/impute/stats/detect read a raw file
    # with it too, then refused it: "--ownership '5': the raw file has no '5' rows; it holds
    # private, total, ... (the rows read: private, total)", exit 2
    _, err = run_ok(["lq", str(UTAH_SLICE), "-o", str(tmp_path / "by_name.csv"),
                     "--ownership", "private"], capsys)
    _, err = run_ok(["lq", str(UTAH_SLICE), "-o", str(tmp_path / "by_code.csv"),
                     "--ownership", "5"], capsys)
    by_code = csv_rows((tmp_path / "by_code.csv").read_text(encoding="utf-8"))
    by_name = csv_rows((tmp_path / "by_name.csv").read_text(encoding="utf-8"))
    assert by_code == by_name and {r["ownership"] for r in by_code} == {"private"}
    out, _ = run_ok(["stats", str(BEAVER), "--ownership", "3", "-o", "-"], capsys)
    assert [r["ownership"] for r in csv_rows(out)] == ["local"]
    out, _ = run_ok(["impute", str(UTAH_SLICE), "--ownership", "5", "-o", "-"], capsys)
    assert {r["ownership"] for r in csv_rows(out)} == {"private"}
    # a code the file has no rows of is still refused, naming what it holds
    code, _, err = run_main(["lq", str(UTAH_SLICE), "-o", "-", "--ownership", "1"], capsys)
    assert code == 2 and "'1'" in err and "private" in err, err


def test_ownership_all_is_every_ownership_of_the_input(tmp_path, capsys):
    # ingest --ownership all reads every own_code; lq/stats/impute read a raw file with every
    # ownership for it and then refused it: "--ownership 'all': the input has local, private,
    # total", exit 2, without saying what was wrong
    out, _ = run_ok(["stats", str(BEAVER), "--ownership", "all", "-o", "-"], capsys)
    assert [r["ownership"] for r in csv_rows(out)] == ["local", "private", "total"]
    run_ok(["lq", str(BEAVER), "-o", str(tmp_path / "all.csv"), "--ownership", "All"], capsys)
    rows = csv_rows((tmp_path / "all.csv").read_text(encoding="utf-8"))
    assert {r["ownership"] for r in rows} == {"local", "private", "total"}


def test_indices_and_shift_share_take_a_qcew_own_code(capsys):
    # both read the raw file with the private rows for '--ownership 5', then refused it:
    # "column 'ownership': no rows with that ownership at this level (expected one of
    # private, found '5')", exit 2
    by_code, _ = run_ok(["indices", str(UTAH_SLICE), "--ownership", "5", "-o", "-"], capsys)
    by_name, _ = run_ok(["indices", str(UTAH_SLICE), "--ownership", "private", "-o", "-"],
                        capsys)
    assert by_code == by_name and {r["ownership"] for r in csv_rows(by_code)} == {"private"}
    # the 2016 Utah counties sample, Q1 -> Q4
    sample = TEST_DATA.parent.parent / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
    args = ["shift-share", str(sample), "--from", "2016Q1", "--to", "2016Q4", "-o", "-"]
    by_code, _ = run_ok([*args, "--ownership", "5"], capsys)
    by_name, _ = run_ok([*args, "--ownership", "private"], capsys)
    assert by_code == by_name and {r["ownership"] for r in csv_rows(by_code)} == {"private"}


def test_quarterly_and_annual_qcew_slices_together_name_one_file_of_each(tmp_path, capsys):
    """BLS's open-data CSV slices (/cew/data/api/2016/1/industry/31_33.csv and
    /2016/a/industry/31_33.csv: no title columns, qtrly_estabs / annual_avg_estabs), one row
    each of Beaver County's private manufacturing as published (2016 Q1 and the year)."""
    quarterly = tmp_path / "2016_q1_31_33.csv"
    quarterly.write_text(
        "area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,"
        "qtrly_estabs,month1_emplvl,month2_emplvl,month3_emplvl,total_qtrly_wages\n"
        "49001,5,31-33,74,0,2016,1,N,6,0,0,0,0\n", encoding="utf-8")
    annual = tmp_path / "2016_a_31_33.csv"
    annual.write_text(
        "area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,"
        "annual_avg_estabs,annual_avg_emplvl,total_annual_wages\n"
        "49001,5,31-33,74,0,2016,A,N,6,0,0\n", encoding="utf-8")
    # it said "QCEW quarterly and annual files cannot be ingested together", naming neither:
    # in a glob of many slices, which file was which went unsaid
    code, _, err = run_main(["ingest", str(tmp_path / "*.csv"), "-o", str(tmp_path / "o.csv")],
                            capsys)
    assert code == 2, err
    assert "(quarterly: " in err and "2016_q1_31_33.csv; annual: " in err, err
    # (session 33: and how to combine them -- the two tables ingested apart, given together)
    assert err.rstrip().endswith(
        "2016_a_31_33.csv); ingest them separately, then give the two tables together (years "
        "apart): clusterid ingest QUARTERLY-FILES --month annual -o quarters.parquet; clusterid "
        "ingest ANNUAL-FILES -o annual.parquet; clusterid detect quarters.parquet annual.parquet "
        "-o OUTDIR"), err
    assert not (tmp_path / "o.csv").exists()


# BLS QCEW 2016 Q1, the Utah MSA files (../shared/data/qcew_utah_2016q, values unchanged) in the
# open-data slice layout: the three MSAs' totals and private 336411 (aircraft manufacturing),
# published 0 in St. George (C4110, disclosure '-') and suppressed in Ogden and Salt Lake City
MSA_336411 = """\
area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,qtrly_estabs,month1_emplvl,month2_emplvl,month3_emplvl,total_qtrly_wages
C3626,0,10,40,0,2016,1,,15325,236337,238040,240121,2339299246
C3626,5,10,41,0,2016,1,,14672,188343,189334,191031,1795992883
C3626,5,336411,48,0,2016,1,N,2,0,0,0,0
C4110,0,10,40,0,2016,1,,5202,56906,57902,58776,456862983
C4110,5,10,41,0,2016,1,,5034,49129,49955,50768,388857676
C4110,5,336411,48,0,2016,1,-,0,0,0,0,0
C4162,0,10,40,0,2016,1,,43348,666703,671225,674834,8435541785
C4162,5,10,41,0,2016,1,,42525,568001,571697,574772,7223964092
C4162,5,336411,48,0,2016,1,N,3,0,0,0,0
"""


def test_sum_benchmark_of_zeros_beside_suppressed_cells_is_unknown(tmp_path, capsys):
    # the MSAs' published 336411 cells add up to 0, the other two being suppressed: St.
    # George's LQ said 'zero benchmark' with benchmark_industry_total 0.0, as if the MSAs had
    # no aircraft jobs; it is unknown, as -b rest already says ('suppressed benchmark')
    src = tmp_path / "2016_q1_msas.csv"
    src.write_text(MSA_336411, encoding="utf-8")
    out, _ = run_ok(["lq", str(src), "-o", "-", "--ownership", "private", "--level", "6",
                     "-m", "employment"], capsys)
    rows = {r["region"]: r for r in csv_rows(out)}
    assert rows["C4110"]["value"] == "0.0" and rows["C4110"]["lq"] == ""
    assert rows["C4110"]["lq_reason"] == "suppressed benchmark"
    assert rows["C4110"]["benchmark_industry_total"] == ""
    assert rows["C3626"]["lq_reason"] == rows["C4162"]["lq_reason"] == "suppressed cell"
    # published zeros alone stay a measured 0: 'zero benchmark'
    src.write_text(MSA_336411.replace(",N,2,0,0,0,0", ",-,0,0,0,0,0")
                   .replace(",N,3,0,0,0,0", ",-,0,0,0,0,0"), encoding="utf-8")
    out, _ = run_ok(["lq", str(src), "-o", "-", "--ownership", "private", "--level", "6",
                     "-m", "employment"], capsys)
    assert {r["lq_reason"] for r in csv_rows(out)} == {"zero benchmark"}


def test_detect_on_a_table_of_few_industries_says_its_clusters_are_partial(tmp_path, capsys):
    # a by-industry slice (the MSA rows above: 336411 and the totals) under --definitions
    # uscmp wrote 'Aerospace Vehicles and Defense' from one of its seven members, its
    # employment 'reported', and said nothing of the six missing
    src = tmp_path / "2016_q1_msas.csv"
    src.write_text(MSA_336411.replace(",N,3,0,0,0,0", ",,3,2100,2110,2120,41000000"),
                   encoding="utf-8")
    out = tmp_path / "detect"
    _, err = run_ok(["detect", str(src), "-o", str(out), "--definitions", "uscmp",
                     "--month", "average"], capsys)
    assert "the input holds 1 of the definitions' 978 industries" in err, err
    summary = {r["cluster_name"]: r for r in
               csv_rows((out / "cluster_summary.csv").read_text(encoding="utf-8"))}
    aero = summary["Aerospace Vehicles and Defense"]
    assert (aero["n_industries"], aero["n_industries_data"]) == ("7", "1")


def test_qcew_national_subgroups_have_no_sum_benchmark(tmp_path, capsys):
    """QCEW's single files and by-industry slices carry US000 beside its "national subgroups"
    USCMS, USMSA and USNMS (the U.S. CSAs, MSAs and non-metropolitan counties, each combined;
    BLS's area titles), written here in the open-data slice layout with round stand-in figures
    (USMSA + USNMS = US000; USCMS overlaps USMSA)."""
    rows = [("US000", "11", "10", 120000), ("US000", "14", "31-33", 12000),
            ("USCMS", "11", "10", 80000), ("USCMS", "14", "31-33", 7000),
            ("USMSA", "11", "10", 100000), ("USMSA", "14", "31-33", 9000),
            ("USNMS", "11", "10", 20000), ("USNMS", "14", "31-33", 3000)]
    src = tmp_path / "2016_q1_us.csv"
    src.write_text("area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,"
                   "disclosure_code,qtrly_estabs,month1_emplvl,month2_emplvl,month3_emplvl,"
                   "total_qtrly_wages\n"
                   + "".join(f"{a},5,{i},{lv},0,2016,1,,10,{e},{e},{e},{e * 10}\n"
                             for a, lv, i, e in rows), encoding="utf-8")
    # the subgroups were summed as one level: USMSA's 31-33 LQ (9000/100000)/(19000/200000)
    # = 0.947, where against the nation it is (0.09)/(0.1) = 0.9; USNMS 1.58 for 1.5
    out, err = run_ok(["lq", str(src), "-o", "-", "-m", "employment"], capsys)
    got = {r["region"]: r for r in csv_rows(out) if r["industry"] == "31-33"}
    assert got["US000"]["lq"] == "1.0"
    for area in ("USCMS", "USMSA", "USNMS"):
        assert got[area]["lq"] == "" and got[area]["lq_reason"] == "no benchmark", got[area]
    assert "national subgroups" in err and "--benchmark region:US000" in err, err
    out, _ = run_ok(["lq", str(src), "-o", "-", "-m", "employment", "-b", "region:US000"],
                    capsys)
    got = {r["region"]: float(r["lq"]) for r in csv_rows(out) if r["industry"] == "31-33"}
    assert got == {"USCMS": 0.875, "USMSA": 0.9, "USNMS": 1.5}


def test_detect_leaves_qcew_national_subgroups_out_of_the_ranking(tmp_path, capsys):
    """The three Utah MSAs above (as published) beside USMSA and USNMS rows of the same layout
    (round stand-in figures): detect ranked the two subgroups against their own sum, as one
    region level, like two places; they are areas of no place, left out and counted as QCEW's
    xx999 are."""
    extra = "".join(f"{a},{o},{i},{lv},0,2016,1,,10,{e},{e},{e},{e * 10}\n"
                    for a, e6, etot in (("USMSA", 300, 90000), ("USNMS", 100, 30000))
                    for o, i, lv, e in (("0", "10", "10", etot), ("5", "10", "11", etot - 5000),
                                        ("5", "336411", "18", e6)))
    src = tmp_path / "2016_q1_msas_us.csv"
    src.write_text(MSA_336411 + extra, encoding="utf-8")
    out = tmp_path / "detect"
    _, err = run_ok(["detect", str(src), "-o", str(out), "--definitions", "uscmp",
                     "--month", "average"], capsys)
    assert "as no place: 2 national-subgroup area(s)" in err, err
    levels = {r["region_level"] for r in
              csv_rows((out / "regional_clusters.csv").read_text(encoding="utf-8"))}
    assert levels == {"msa"}, levels


def test_level_rollup_of_a_qcew_slice_without_its_parents(tmp_path, capsys):
    """ingest --level 2 of a QCEW by-industry slice (aircraft 336411 beside the totals, the
    Utah MSA rows above): the rollup builds 33641 ... 31-33 from the one child and stopped with
    "internal error: unable to find column 'employment_lower'" (QCEW publishes no bounds)."""
    src = tmp_path / "2016_q1_msas.csv"
    src.write_text(MSA_336411, encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-", "--ownership", "private", "--level", "2"],
                      capsys)
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert sorted(rows) == [(a, i) for a in ("C3626", "C4110", "C4162") for i in ("10", "31-33")]
    # built from a suppressed child: suppressed, at least the published 0 (no upper bound)
    built = rows[("C3626", "31-33")]
    assert (built["employment"], built["employment_status"]) == ("", "suppressed")
    assert float(built["employment_lower"]) == 0.0 and built["employment_upper"] == ""
    assert rows[("C4110", "31-33")]["employment_status"] == "reported"
    # St. George's 31-33 'reported 0' is aircraft alone: QCEW publishes every parent, so a
    # built one means a cut of the files, said (it was silent)
    assert "warning: --level 2: 3 parent rows built from their children, which QCEW's" in err
