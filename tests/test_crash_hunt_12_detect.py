"""Crash hunt 12: ``clusterid detect`` over its option matrix on data it had not seen (QCEW
county slices of the odd-numbered states, Utah's sample, REAT's German and EU tables, BEA's
2017 input-output tables), each problem pinned by a test that failed before its fix."""

from __future__ import annotations

import json

from conftest import SAMPLES, csv_rows, run_main, shared_path

UTAH = SAMPLES / "qcew_utah_2016_counties.csv.gz"  # BLS QCEW 2016 annual, Utah counties


def test_bea_summary_use_table_reads_with_the_master_crosswalk(tmp_path, capsys):
    # BEA's summary Use table (71 industries: 111CA, 211 ...) given with the same
    # MasterCrosswalk2017.csv as the detail one: the crosswalk was always read by its detail
    # codes (1111A0), no industry mapped and detect stopped ("none of the input's industries
    # maps to its sectors"); and its totals, spelt out ("Total Intermediate", "Total Commodity
    # Output") instead of T005 / the last column, were taken for a plain matrix's row sums, so
    # the total requirements were never productive
    from clusterid.io.iotables import read_use_table

    use = shared_path("bea_io_2017", "Summary_Use_2017_PRO_BeforeRedef_17sch.csv")
    xw = shared_path("bea_io_2017", "MasterCrosswalk2017.csv")
    table = read_use_table(use, xw)
    assert table.source["layout"] == "bea"
    assert table.sectors_of("331110") == ("331",)
    assert table.sectors_of("111150") == ("111CA",)
    farms = table.sectors.index("111CA")
    assert table.total_output[farms] == 391190  # the row's Total Commodity Output
    assert table.total_inputs[farms] == 256796  # the Total Intermediate row
    # the detail table still maps to detail codes with the same file
    detail = read_use_table(shared_path("bea_io_2017", "Detail_Use_2017_PRO_BeforeRedef_17sch.csv"), xw)
    assert detail.sectors_of("331110") == ("331110",)

    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(UTAH), "-o", str(out), "--signals", "io,hierarchy",
                             "--io", str(use), "--crosswalk", str(xw)], capsys)
    assert code == 0, err
    rel = json.loads((out / "metadata.json").read_text())["relatedness"]
    assert rel["io_sectors"] == 71 and rel["io_unmapped"] == []  # 999999 is not grouped
    assert rel["io_total_requirements"].startswith("used")
    assert len(csv_rows((out / "clusters.csv").read_text())) == 955


def _six_digit_table(path):
    """Seven regions x eight six-digit NAICS codes, no totals (a table of one's own)."""
    values = [[120, 40, 60, 300, 20, 5, 30, 12], [80, 45, 70, 200, 25, 7, 11, 14],
              [60, 50, 20, 150, 30, 9, 90, 35], [140, 30, 10, 120, 15, 3, 5, 6],
              [50, 20, 25, 400, 60, 8, 70, 40], [90, 60, 30, 100, 10, 2, 15, 9],
              [70, 35, 45, 250, 35, 6, 25, 18]]
    codes = ["311111", "311119", "311211", "334111", "334112", "334413", "541711", "541712"]
    lines = ["region,industry,year,employment"]
    lines += [f"{region},{code},2016,{v}" for region, row in zip("ABCDEFG", values)
              for code, v in zip(codes, row)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_definitions_naming_a_naics_parent_of_the_data_codes_take_its_parts(tmp_path, capsys):
    # a definitions file of one's own at mixed levels (311 food, 5417 R&D, 334111 computers)
    # on a table of six-digit codes: 311 and 5417 matched no row, and their clusters were
    # silently empty (missing from regional_clusters, employment empty in cluster_summary)
    src = _six_digit_table(tmp_path / "six.csv")
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster\n311,food\n334111,tech\n5417,rd\n",
                    encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--definitions", str(defs)],
                            capsys)
    assert code == 0, err
    assert ("the definitions' 311 is not in the input: its parts there (311111, 311119, "
            "311211) count in its cluster") in err
    assert "the definitions' 5417 is not in the input: its parts there (541711, 541712)" in err
    summary = {r["cluster_id"]: r for r in csv_rows((out / "cluster_summary.csv").read_text())}
    assert float(summary["food"]["employment"]) == 610 + 280 + 260  # every region's 311xxx
    assert float(summary["rd"]["employment"]) == 246 + 134
    assert float(summary["tech"]["employment"]) == 1520
    regional = csv_rows((out / "regional_clusters.csv").read_text())
    a_food = next(r for r in regional if r["region"] == "A" and r["cluster_id"] == "food")
    assert float(a_food["employment"]) == 120 + 40 + 60 and a_food["n_industries"] == "3"


def test_definitions_of_a_naics_sector_range_take_the_coarsest_data_codes(tmp_path, capsys):
    # 31-33 named; the data hold 3341 beside its six-digit parts: 3341 counts, not both; a
    # code under a finer definitions code (311111 under 3112's sibling 3111) stays that one's
    from clusterid.core import definitions as cdefs

    defs = cdefs.build("file", {"31-33": "mfg", "5417": "rd", "3111": "food"})
    got, told, filled = cdefs.match_parents(defs, ["10", "3341", "334111", "334112", "311111",
                                                   "311211", "541711", "5417"], "NAICS")
    assert filled == {"31-33", "3111"}
    assert got.labels() == {"31-33": "mfg", "5417": "rd", "3111": "food", "3341": "mfg",
                            "311211": "mfg", "311111": "food"}
    assert told == ["the definitions' 31-33 is not in the input: its parts there "
                    "(311211, 3341) count in its cluster",
                    "the definitions' 3111 is not in the input: its parts there "
                    "(311111) count in its cluster"]


def test_a_similarity_file_naming_no_pair_of_the_input_is_refused(tmp_path, capsys):
    # --similarity with codes of another level (or classification) than the input's: no pair
    # matched, the 'user' signal was all unknown, and it still took half the weight, silently;
    # a header-only file the same
    src = _six_digit_table(tmp_path / "six.csv")
    other = tmp_path / "sim4.csv"
    other.write_text("industry_a,industry_b,similarity\n3111,3112,0.9\n", encoding="utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_text("industry_a,industry_b,similarity\n", encoding="utf-8")
    for path, found in ((other, "(its 1 pair(s) name 3111, 3112 ...; the input's are 311111, "
                                "311119, 311211, 334111, 334112 ...)"),
                        (empty, "(it has no rows)")):
        code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--signals",
                                 "colocation,user", "--similarity", str(path)], capsys)
        assert code == 2, err
        assert (f"--similarity {path}: names no pair of the input's industries {found}; give "
                "pairs of the codes grouped, at the same --level") in err
        assert not (tmp_path / "d").exists()


def test_a_similarity_of_nan_or_inf_is_named_not_skipped(tmp_path, capsys):
    # 'nan' and 'inf' (as pandas writes them) were read as floats that no pair can use, and
    # the pairs were left out without a word
    src = _six_digit_table(tmp_path / "six.csv")
    sim = tmp_path / "sim.csv"
    sim.write_text("industry_a,industry_b,similarity\n311111,311119,nan\n334111,334112,0.5\n"
                   "541711,541712,inf\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"),
                             "--similarity", str(sim)], capsys)
    assert code == 1, err
    assert (f"{sim}:2: column 'similarity': not a number (expected a finite number, found "
            "'nan')") in err
    assert f"{sim}:4: column 'similarity'" in err and "found 'inf'" in err


def test_an_io_matrix_row_cut_short_is_named_not_read_as_missing_flows(tmp_path, capsys):
    # a plain square matrix (the layout iotables documents: codes down the first column and
    # across the header) with a row missing its last cell: the cell was read as BEA's (D), a
    # missing flow, and the broken file went through
    src = _six_digit_table(tmp_path / "six.csv")
    io = tmp_path / "square.csv"
    io.write_text("code,311,334,541\n311,10,2,1\n334,1,20\n541,0,3,8\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--signals",
                             "io,hierarchy", "--io", str(io)], capsys)
    assert code == 1, err
    assert (f"{io}:3: column '541': row of 3 cells (expected 4 cells, as the header, found "
            "'334,1,20')") in err
    assert not (tmp_path / "d").exists()


def test_knowledge_base_of_a_six_digit_table_sums_the_rd_codes(tmp_path, capsys):
    # region_summary's R&D employment and LQ look for NAICS 5417 (NACE M72) rows only: on a
    # table of six-digit codes (541711, 541712) they were empty in every region
    src = _six_digit_table(tmp_path / "six.csv")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--definitions", "uscmp"],
                            capsys)
    assert code == 0, err
    rows = {r["region"]: r for r in csv_rows((out / "region_summary.csv").read_text())}
    assert float(rows["A"]["rd_employment"]) == 30 + 12
    # LQ against the regions' totals: (42 / 587) / (380 / 3285)
    assert abs(float(rows["A"]["rd_lq"]) - (42 / 587) / (380 / 3285)) < 1e-6
    assert rows["A"]["higher_ed_employment"] == ""  # no 6113 code at all: unknown, not 0


def test_knowledge_base_parts_count_once_and_a_suppressed_part_leaves_it_unknown():
    import polars as pl

    from clusterid.core import strength

    frame = pl.DataFrame({
        "period": ["2016"] * 7, "region": ["A", "A", "A", "B", "B", "C", "C"],
        "industry": ["54171", "541711", "541720", "541711", "541712", "M72.1", "M72.2"],
        "employment": [50.0, 30.0, 7.0, 4.0, None, 3.0, 5.0]})
    got = strength._knowledge_from_parts(frame.lazy(), ("5417", "M72"), "rd_employment")
    assert dict(zip(got["region"], got["rd_employment"])) == {"A": 57.0, "B": None, "C": 8.0}


def test_a_negative_random_state_or_n_seeds_is_a_usage_error():
    # detect --random-state -5 ended in "internal error: ValueError: expected non-negative
    # integer" (numpy's seeding), exit 2 with a pointer to --debug
    import numpy as np
    import pytest

    from clusterid.core import grouping
    from clusterid.errors import UsageError

    sim = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]])
    with pytest.raises(UsageError, match=r"random_state must be an integer >= 0, got -5"):
        grouping.find_clusters(sim, n_clusters=2, random_state=-5)
    with pytest.raises(UsageError, match=r"n_seeds must be an integer >= 0, got -1"):
        grouping.find_clusters(sim, n_clusters=2, n_seeds=-1)
    assert grouping.find_clusters(sim, n_clusters=2, n_seeds=0).n_clusters == 2


def test_region_level_of_an_input_without_levels_says_so(tmp_path, capsys):
    # a table of one's own has no region levels: the message read "--region-level 'state':
    # the input has " and stopped there
    src = _six_digit_table(tmp_path / "six.csv")
    io = tmp_path / "square.csv"
    io.write_text("code,311,334,541\n311,10,2,1\n334,1,20,5\n541,0,3,8\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--signals",
                             "io,hierarchy", "--io", str(io), "--region-level", "state"], capsys)
    assert code == 2, err
    assert err.strip().endswith("clusterid: error: --region-level 'state': the input's rows "
                                "have no region level; ingest with --region-level LEVEL to "
                                "give its regions one")


def test_a_level_the_input_lacks_is_a_usage_error_naming_its_levels(tmp_path, capsys):
    # --level 7 (or 2 on a six-digit table): "<input>: no rows left for relatedness after
    # choosing ownership 'total' and level 7", exit 1, naming neither the file's levels nor
    # the option
    src = _six_digit_table(tmp_path / "six.csv")
    io = tmp_path / "square.csv"
    io.write_text("code,311,334,541\n311,10,2,1\n334,1,20,5\n541,0,3,8\n", encoding="utf-8")
    for level in ("7", "2"):
        code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--signals",
                                 "io,hierarchy", "--io", str(io), "--level", level], capsys)
        assert code == 2, err
        assert (f"--level {level}: the input's total rows have no industry codes of that "
                "level; their levels: 6") in err


def test_typed_denominator_asked_for_untyped_clusters_is_said(tmp_path, capsys):
    # --lq-denominator typed on REAT's EU table (NACE sections, data-driven clusters, no
    # traded/local type): every row took total employment, while metadata said "used: typed"
    # and nothing told the user
    src = shared_path("reat_germany_eu", "REAT_EU28.emp.csv")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--lq-denominator", "typed"],
                            capsys)
    assert code == 0, err
    assert ("detect: --lq-denominator typed: 2 cluster(s) have no traded/local type (1, 2) and "
            "use the regions' total employment (lq_denominator = total)") in err
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["strength"]["lq_denominator"]["untyped_clusters"] == ["1", "2"]
    assert {r["lq_denominator"] for r in csv_rows((out / "regional_clusters.csv").read_text())} == {"total"}


def test_compare_uscmp_on_nace_codes_says_why(tmp_path, capsys):
    # --compare uscmp on REAT's EU table grouped the NACE sections first, then stopped with
    # "--compare: fewer than two industries are in both partitions"
    src = shared_path("reat_germany_eu", "REAT_EU28.emp.csv")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--compare", "uscmp"],
                            capsys)
    assert code == 2, err
    assert ("--compare uscmp: none of the input's industries is in the USCMP definitions, which "
            "are NAICS (the input's codes are NACE); leave out --compare") in err
    assert "grouping" not in err and not (tmp_path / "d").exists()


def test_a_table_of_mixed_depths_without_totals_counts_every_branch_in_the_region_total(
        tmp_path, capsys):
    # six-digit food and computer codes beside four-digit 5417, 4841, 7225 with nothing above
    # or below them, no all-industries row: region_employment summed the six-digit rows only
    # (region A 1,902 of its 2,190 jobs), so the two clusters' shares added up to 1; and the
    # note said the six-digit level detailed "level-4 codes holding 0% of the employment"
    rows = {"311111": 300, "311119": 200, "311211": 100, "334111": 150, "334112": 50,
            "5417": 90, "4841": 60, "7225": 40}
    lines = ["region,industry,year,employment"]
    for k, region in enumerate("ABCDEFG"):
        lines += [f"{region},{code},2016,{v + 10 * k * (i % 3)}"
                  for i, (code, v) in enumerate(rows.items())]
    src = tmp_path / "mixed.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--signals",
                             "colocation,hierarchy"], capsys)
    assert code == 0, err
    assert "holding 0%" not in err
    assert ("3 industries listed at another level than the grouped level 6, with no code above "
            "or below them (4841, 5417, 7225), are in no cluster; their employment counts in "
            "the region totals") in err
    regional = [r for r in csv_rows((out / "regional_clusters.csv").read_text()) if r["region"] == "A"]
    assert {float(r["region_employment"]) for r in regional} == {sum(rows.values())}
    assert abs(sum(float(r["share"]) for r in regional) - 800 / 990) < 1e-5


def test_an_industry_no_signal_knows_is_left_out_of_the_grouping_and_named(tmp_path, capsys):
    # 334112 withheld in every region, no establishments to proxy it: with --signals
    # colocation its similarity to every industry was written as 0.0 in relatedness.csv and
    # the grouping put it into a cluster at random (similarity_own 0.0)
    src = _six_digit_table(tmp_path / "six.csv")
    text = src.read_text(encoding="utf-8").splitlines()
    src.write_text("\n".join(x if ",334112," not in x else x.rsplit(",", 1)[0] + ",(D)"
                             for x in text) + "\n", encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--signals", "colocation"],
                            capsys)
    assert code == 0, err
    assert ("1 industries have no similarity to any other under --signals colocation (334112: "
            "no value in any region): left out of the grouping, in no "
            "cluster; add hierarchy (or io) to place them") in err
    assert "334112" not in (out / "clusters.csv").read_text()
    assert "334112" not in (out / "relatedness.csv").read_text()
    # with the hierarchy it has a place
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "h")], capsys)
    assert code == 0 and "no similarity to any other" not in err
    assert "334112" in (tmp_path / "h" / "clusters.csv").read_text()


def test_definitions_listing_a_naics_sector_range_and_a_code_inside_it_are_refused(tmp_path, capsys):
    # 31-33 (manufacturing, as QCEW writes it) beside 311111: a code and its parent both
    # listed, their employment counted in two clusters, was refused for prefixes (311, 311111)
    # but not for the sector range
    src = _six_digit_table(tmp_path / "six.csv")
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster\n31-33,mfg\n311111,food\n541711,rd\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--definitions",
                             str(defs)], capsys)
    assert code == 1, err
    assert (f"{defs}:3: column 'industry': industry 311111 and its parent 31-33 are both "
            "listed") in err
    # 31-33 beside 31 is one problem, at 31: the range was also called 31's child
    defs.write_text("industry,cluster\n31-33,mfg\n31,food\n541711,rd\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--definitions",
                             str(defs)], capsys)
    assert code == 1, err
    assert f"{defs}:3: column 'industry': industry 31 and its parent 31-33 are both listed" in err
    assert "industry 31-33 and its parent" not in err, err


def test_suppressed_impute_says_what_it_could_not_fill(tmp_path, capsys):
    # --suppressed impute on a table without totals or establishments: 334112, withheld in
    # every region, has nothing to be imputed from and stays out of the sums; the run said
    # nothing, while --suppressed impute reads as "every total complete"
    src = _six_digit_table(tmp_path / "six.csv")
    text = src.read_text(encoding="utf-8").splitlines()
    src.write_text("\n".join(x if ",334112," not in x else x.rsplit(",", 1)[0] + ",(D)"
                             for x in text) + "\n", encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--definitions", "uscmp",
                             "--suppressed", "impute"], capsys)
    assert code == 0, err
    assert ("detect: --suppressed impute left 12.5% of the clusters' member cells without a "
            "value (nothing to impute them from") in err
    cid = next(r["cluster_id"] for r in csv_rows((out / "clusters.csv").read_text())
               if r["industry"] == "334112")
    rows = [r for r in csv_rows((out / "regional_clusters.csv").read_text()) if r["cluster_id"] == cid]
    assert rows and all(r["employment_status"] == "partial" and r["employment_upper"] == ""
                        for r in rows)


def test_an_io_table_without_any_flow_is_refused(tmp_path, capsys):
    # a square matrix of zeros (an export that lost its numbers): the io signal was unknown
    # for every pair, and the run went on, its metadata saying the total requirements were
    # "used (spectral radius 0)"
    src = _six_digit_table(tmp_path / "six.csv")
    io = tmp_path / "zeros.csv"
    io.write_text("code,311,334,541\n311,0,0,0\n334,0,0,0\n541,0,,0\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--signals",
                             "io,hierarchy", "--io", str(io)], capsys)
    assert code == 1, err
    assert (f"{io}: no flow between its 3 sectors (every cell 0 or missing) (expected an "
            "input-output table with flows, found '311, 334, 541')") in err


def test_industries_the_io_table_does_not_map_are_said(tmp_path, capsys):
    # BEA's detail Use table without its crosswalk maps only codes that share a prefix with
    # its own (331110 -> 331110); the 810 of Utah's 955 industries it does not map went
    # without the io signal, said only in metadata.json
    use = shared_path("bea_io_2017", "Detail_Use_2017_PRO_BeforeRedef_17sch.csv")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(UTAH), "-o", str(out), "--signals", "io,hierarchy",
                             "--io", str(use)], capsys)
    assert code == 0, err
    assert ("detect: --io: 810 of the 955 industries map to no sector of the table (111140, "
            "111150, 111191, 111199, 111211 ...): the io signal says nothing about them; "
            "--crosswalk (BEA's MasterCrosswalk2017.csv) maps NAICS codes") in err
    meta = json.loads((out / "metadata.json").read_text())
    assert len(meta["relatedness"]["io_unmapped"]) == 810


def test_similarity_file_adds_its_signal_saying_so_as_io_does(tmp_path, capsys):
    src = _six_digit_table(tmp_path / "six.csv")
    sim = tmp_path / "sim.csv"
    sim.write_text("industry_a,industry_b,similarity\n311111,311119,0.9\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--similarity",
                             str(sim)], capsys)
    assert code == 0, err
    assert "detect: --similarity given, so the user signal is added to --signals" in err
    meta = json.loads((tmp_path / "d" / "metadata.json").read_text())
    assert meta["relatedness"]["signals"] == ["colocation", "hierarchy", "user"]


def test_signals_or_method_with_definitions_are_refused_not_ignored(tmp_path, capsys):
    # --definitions uscmp --signals io (or --method leiden) ran and ignored the option
    src = _six_digit_table(tmp_path / "six.csv")
    for extra, said in ((["--signals", "io"], "--signals io applies to grouping from the data; "
                         "with --definitions uscmp the clusters are the definitions' own (with "
                         "--compare uscmp it chooses the similarity the partitions are scored on)"),
                        (["--method", "leiden"], "--method leiden applies to grouping from the "
                         "data; with --definitions uscmp the clusters are the definitions' own")):
        code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--definitions",
                                 "uscmp", *extra], capsys)
        assert code == 2, err
        assert err.strip().endswith(said)
        assert not (tmp_path / "d").exists()


def test_a_rule_threshold_that_is_no_number_is_a_usage_error(tmp_path, capsys):
    # --rule 'lq>=1.2.3' (or 'lq>=e', 'employment>=1e') passed the rule's pattern and ended in
    # "internal error: ValueError: could not convert string to float"; 'lq>=1e400' was an
    # infinite threshold no cluster can meet
    src = _six_digit_table(tmp_path / "six.csv")
    for rule in ("lq>=1.2.3", "lq>=e", "employment>=1e", "lq>=1e400"):
        code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--definitions",
                                 "uscmp", "--rule", rule], capsys)
        assert code == 2, err
        assert f"clusterid: error: --rule: cannot read '{rule}'; expected uscmp-strong" in err
        assert "internal error" not in err


def test_an_infinite_leiden_resolution_is_refused(tmp_path, capsys):
    # --resolution inf put every industry in a cluster of its own and wrote
    # "resolution": Infinity into metadata.json, which is no JSON (jq and browsers refuse it)
    src = _six_digit_table(tmp_path / "six.csv")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--method", "leiden",
                             "--resolution", "inf"], capsys)
    assert code == 2, err
    assert "resolution must be a finite number > 0, got inf" in err
    assert not (tmp_path / "d").exists()


def test_metadata_is_strict_json_when_a_sweep_score_is_undefined(tmp_path, capsys):
    # Leiden's sweep on REAT's ten EU sections tries resolutions that give one cluster, whose
    # VS-Cluster is undefined: metadata.json held "vs_cluster": NaN, which is no JSON
    src = shared_path("reat_germany_eu", "REAT_EU28.emp.csv")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--method", "leiden",
                             "--signals", "colocation,coagglomeration"], capsys)
    assert code == 0, err

    def refuse(token):
        raise ValueError(token)

    meta = json.loads((out / "metadata.json").read_text(), parse_constant=refuse)
    one = [row for row in meta["grouping"]["sweep"] if row["n_clusters"] == 1]
    assert one and all(row["vs_cluster"] is None for row in one)


def test_uscmp_of_another_vintage_names_the_codes_it_leaves_out(tmp_path, capsys):
    # --definitions uscmp:1997 on Utah's 2016 counties (NAICS 2012): the 38 codes NAICS 1997
    # lacks (BLS's 238111 ... of NAICS 2002's construction) were in no cluster, 23,742 of Salt
    # Lake County's jobs, and nothing said so
    code, _, err = run_main(["detect", str(UTAH), "-o", str(tmp_path / "d"), "--definitions",
                             "uscmp:1997"], capsys)
    assert code == 0, err
    assert ("detect: 38 of the input's codes (238111, 238112, 238121, 238122, 238131, 238132, "
            "238141, 238142 ... (38 in all)) have a cluster in the NAICS 2012 definitions, the "
            "input's vintage, but none in the NAICS 1997 ones: they are in no cluster") in err
    code, _, err = run_main(["detect", str(UTAH), "-o", str(tmp_path / "e"), "--definitions",
                             "uscmp:2017"], capsys)
    assert code == 0 and "in no cluster" not in err


def test_regions_missing_from_a_period_are_named_for_lq_change(tmp_path, capsys):
    # region B only in 2015, C only in 2016: A's LQs of 2015 are against A + B, those of 2016
    # against A + C, and its lq_change compared the two without a word
    src = tmp_path / "panel.csv"
    src.write_text("region,industry,year,employment\n"
                   "A,311111,2015,100\nA,334111,2015,50\nB,311111,2015,50\nB,334111,2015,60\n"
                   "A,311111,2016,110\nA,334111,2016,40\nC,311111,2016,20\nC,334111,2016,30\n",
                   encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--definitions", "uscmp"], capsys)
    assert code == 0, err
    assert ("detect: 2 region(s) are not in every period (B: 2015; C: 2016): each period's LQs "
            "are against the regions it has, so lq_change compares two benchmarks") in err
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["strength"]["regions_in_some_periods"] == {"B": ["2015"], "C": ["2016"]}


def test_several_ownerships_are_refused_before_reading(tmp_path, capsys):
    # --ownership private,total (as lq takes it) was read, then refused as "the input has
    # private, total", naming the very ownerships given
    code, _, err = run_main(["detect", str(UTAH), "-o", str(tmp_path / "d"), "--definitions",
                             "uscmp", "--ownership", "private,total"], capsys)
    assert code == 2, err
    assert err.strip() == ("clusterid: error: --ownership 'private,total': detect works on one "
                           "ownership (its region totals come from the all-ownership rows); "
                           "give one, or auto")


def test_naics_unclassified_is_no_industry_to_group(tmp_path, capsys):
    # QCEW's 999999 "Unclassified" (establishments not yet coded) was grouped like an
    # industry: on Connecticut, New Hampshire and New Mexico's counties with every signal it
    # joined the traded "Chemical manufacturing" cluster and counted in its employment; on
    # Utah's it stood alone as a cluster and dragged the VS-Cluster score of every candidate
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(UTAH), "-o", str(out)], capsys)
    assert code == 0, err
    assert ("detect: left out of the grouping: NAICS 99 (999999), establishments not yet "
            "classified, no industry; in no cluster") in err
    assert "999999" not in (out / "clusters.csv").read_text()
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["relatedness"]["n_industries"] == 955


def test_signals_naming_none_say_which_there_are(tmp_path, capsys):
    src = _six_digit_table(tmp_path / "six.csv")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--signals", ","],
                            capsys)
    assert code == 2, err
    assert err.strip().endswith("no signal chosen (--signals lists none); choose from "
                                "colocation, coagglomeration, io, hierarchy, user, e.g. "
                                "colocation,hierarchy")


def test_compare_of_definitions_at_another_level_says_which_codes_it_shares(tmp_path, capsys):
    # a definitions file of 311, 5417 and 334111 compared with uscmp on Utah (similarity
    # between six-digit codes): "--compare: fewer than two industries are in both partitions"
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster\n311,food\n334111,tech\n5417,rd\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(UTAH), "-o", str(tmp_path / "d"), "--definitions",
                             str(defs), "--compare", "uscmp"], capsys)
    assert code == 2, err
    assert err.strip().endswith(
        "--compare uscmp: 1 of the 956 industries the similarity is measured between (level 6) "
        "is in both the definitions and the benchmark (334111); two partitions are compared on "
        "the codes they share, so give definitions of codes of that level")


def test_a_cluster_named_two_ways_in_a_definitions_file_is_named(tmp_path, capsys):
    # cluster 1 called 'Food' on one row and 'Food2' on the next: the first name won and the
    # other was dropped without a word
    src = _six_digit_table(tmp_path / "six.csv")
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster,cluster_name\n311111,1,Food\n311119,1,Food2\n311211,1,\n"
                    "334111,2,Tech\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--definitions",
                             str(defs)], capsys)
    assert code == 1, err
    assert (f"{defs}:3: column 'cluster_name': cluster 1 has two names (expected 'Food' (as on "
            "line 2), found 'Food2')") in err


def test_universe_uscmp_traded_at_another_level_is_refused_saying_why(tmp_path, capsys):
    # --universe uscmp-traded --level 4: "<input>: none of the requested industries is in
    # the table (found '113110, ...')", after reading the file and imputing for relatedness
    code, _, err = run_main(["detect", str(UTAH), "-o", str(tmp_path / "d"), "--universe",
                             "uscmp-traded", "--level", "4"], capsys)
    assert code == 2, err
    assert err.strip() == ("clusterid: error: --universe uscmp-traded groups USCMP's traded "
                           "industries, six-digit NAICS codes, which --level 4 has none of; "
                           "leave --level out (or --level 6), or use --universe all")


def test_relatedness_panel_names_the_level_the_industries_asked_for_are_not_at():
    import polars as pl
    import pytest

    from clusterid.core import relatedness
    from clusterid.errors import UsageError

    frame = pl.DataFrame({"region": ["A", "B"], "industry": ["3111", "3111"], "level": [4, 4],
                          "employment": [5.0, 6.0]})
    with pytest.raises(UsageError, match=r"none of the 1 industries asked for \(311111 \.\.\.\) "
                                         r"is among the table's level-4 codes \(3111 \.\.\.\)"):
        relatedness.panel(frame, industries=["311111"])


def test_colocation_says_when_it_reads_cells_as_their_industrys_median(tmp_path, capsys):
    # 311119 withheld in regions A, B and C of a table without totals or establishments:
    # co-location read those cells as the industry's median over the other regions, a value
    # no source gave, and said so only in metadata.json
    src = _six_digit_table(tmp_path / "six.csv")
    text = src.read_text(encoding="utf-8").splitlines()
    src.write_text("\n".join(x if not (",311119," in x and x[0] in "ABC")
                             else x.rsplit(",", 1)[0] + ",(D)" for x in text) + "\n",
                   encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    assert ("detect: co-location read 3 of its 56 cells, suppressed with nothing to impute them "
            "from (no establishment counts, no published totals), as their industry's median "
            "over the regions") in err
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["relatedness"]["suppressed_proxied_by_median"] == 3


def test_industries_a_similarity_file_leaves_out_are_named_with_that_reason(tmp_path, capsys):
    src = _six_digit_table(tmp_path / "six.csv")
    sim = tmp_path / "sim.csv"
    sim.write_text("industry_a,industry_b,similarity\n311111,311119,0.9\n334111,334112,0.8\n"
                   "541711,541712,0.7\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d"), "--signals", "user",
                             "--similarity", str(sim)], capsys)
    assert code == 0, err
    assert ("2 industries have no similarity to any other under --signals user (311211, "
            "334413: no pair in the similarity table): left out of the grouping") in err


def test_nace_definitions_of_divisions_take_the_classes_of_a_four_digit_table(tmp_path, capsys):
    # C10, C26, M72 named for a table of NACE classes (C10.11 ...): "3 code(s) of the
    # definitions have no row in the input", then "none of the input's industries is in the
    # definitions", exit 2
    codes = ["C10.11", "C10.12", "C26.11", "C26.20", "M72.11", "M72.19", "P85.41"]
    lines = ["region,nace,year,employment"]
    lines += [f"{r},{c},2016,{10 + 7 * i + 3 * k}" for k, r in enumerate(["DE11", "DE12", "DE13"])
              for i, c in enumerate(codes)]
    src = tmp_path / "classes.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster\nC10,food\nC26,tech\nM72,rd\n", encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--definitions", str(defs)],
                            capsys)
    assert code == 0, err
    assert ("the definitions' C10 is not in the input: its parts there (C10.11, C10.12) count in "
            "its cluster") in err
    assert "have no row in the input" not in err
    summary = {r["cluster_id"]: r for r in csv_rows((out / "cluster_summary.csv").read_text())}
    # M72.11 and M72.19 (columns 4 and 5: 10 + 7 i) in the three regions (+ 3 k)
    assert float(summary["rd"]["employment"]) == sum(10 + 7 * i + 3 * k for i in (4, 5)
                                                     for k in range(3))


def test_naics_unclassified_is_named_at_the_grouped_level(tmp_path, capsys):
    code, _, err = run_main(["detect", str(UTAH), "-o", str(tmp_path / "d"), "--level", "2"],
                            capsys)
    assert code == 0, err
    assert "left out of the grouping: NAICS 99 (99), establishments not yet classified" in err
    assert not any(r["industry"] == "99" for r in csv_rows((tmp_path / "d" / "clusters.csv").read_text()))


def test_n_seeds_beyond_a_thousand_is_a_usage_error_not_a_memory_error():
    # --n-seeds 100000000000 drew 10**11 seeds first: MemoryError, "internal error"
    import numpy as np
    import pytest

    from clusterid.core import grouping
    from clusterid.errors import UsageError

    s = np.eye(4) * 0.5 + 0.5
    with pytest.raises(UsageError, match="at most 1,000 stability runs"):
        grouping.find_clusters(s, n_clusters=2, n_seeds=100_000_000_000)
    assert grouping.find_clusters(s, n_clusters=2, n_seeds=3).n_clusters == 2
