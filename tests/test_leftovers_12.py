"""Leftovers of crash hunt 12 (detect, the ownership message, lone codes, chained periods): each
problem pinned by a test that failed before its fix.  Real data: Utah's QCEW sample
(``data/samples/qcew_utah_2016_counties.csv.gz``, BLS QCEW 2016, Utah's counties)."""

from __future__ import annotations

from collections import defaultdict

from conftest import SAMPLES, csv_rows, run_main, run_ok

UTAH = SAMPLES / "qcew_utah_2016_counties.csv.gz"  # BLS QCEW 2016 annual, Utah counties


def _detect(tmp_path, capsys, name, *extra):
    out = tmp_path / name
    run_ok(["detect", str(UTAH), "-o", str(out), "--definitions", "uscmp", *extra], capsys)
    return out


def _csv(path):
    return csv_rows(path.read_text(encoding="utf-8"))


def test_rows_without_a_known_lq_are_not_ranked(tmp_path, capsys):
    # With --suppressed drop a cluster whose member cells are all suppressed has no LQ; it was
    # ranked all the same, behind the known ones (782 of Utah's 1,294 rows).  A rule on
    # establishments (published where employment is not) also calls such rows strong: they were
    # then named among a cluster's top regions before regions whose LQ is known.
    out = _detect(tmp_path, capsys, "drop", "--suppressed", "drop", "--rule", "establishments>=1")
    rows = _csv(out / "regional_clusters.csv")
    unknown = [r for r in rows if r["lq"] == ""]
    assert unknown and any(r["strong"] == "true" for r in unknown)
    assert all(r["rank_in_region"] == "" and r["rank_in_cluster"] == "" for r in unknown)
    by_region, by_cluster = defaultdict(list), defaultdict(list)
    for r in rows:
        if r["lq"] != "":
            by_region[r["period"], r["region"]].append(int(r["rank_in_region"]))
            by_cluster[r["period"], r["region_level"], r["cluster_id"]].append(int(r["rank_in_cluster"]))
    for ranks in [*by_region.values(), *by_cluster.values()]:
        assert sorted(ranks) == list(range(1, len(ranks) + 1))
    # the file's order: a region's ranked rows first, its unranked ones after them
    for key in by_region:
        mine = [r["rank_in_region"] for r in rows if (r["period"], r["region"]) == key]
        assert mine == sorted(mine, key=lambda v: (v == "", int(v or 0)))
    # top_regions: ranked strong regions only, by rank_in_cluster
    main = {r["region"]: r for r in rows if r["region_level"] == "county"}
    ranked = defaultdict(list)
    for r in rows:
        if r["region_level"] == "county" and r["strong"] == "true" and r["rank_in_cluster"]:
            ranked[r["cluster_id"]].append((int(r["rank_in_cluster"]), r["region"]))
    assert main
    for s in _csv(out / "cluster_summary.csv"):
        want = [reg for _, reg in sorted(ranked[s["cluster_id"]])][:5]
        assert s["top_regions"] == "; ".join(want), s["cluster_id"]
    # the report's "where it is strongest" lists ranked regions only
    from clusterid.io.report_input import read_detect_folder
    from clusterid.report.build import build_report

    report = build_report(read_detect_folder(out))
    details = [d for c in report["clusters"] for d in c.get("top_regions_detail", [])]
    assert details and all(d.get("rank_in_cluster") is not None for d in details)


def _government_slice(tmp_path):
    """Two of Utah's counties from the BLS QCEW sample, their private rows (own_code 5) relabelled
    local government (own_code 3): a raw file of total and local rows, no federal ones."""
    import gzip

    with gzip.open(UTAH, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    keep = [lines[0]] + [ln for ln in lines[1:] if ln.startswith(("49001,", "49003,"))]
    path = tmp_path / "utah_gov.csv"
    path.write_text("\n".join(ln.replace(",5,", ",3,", 1) if ln[5:8] == ",5," else ln
                              for ln in keep) + "\n", encoding="utf-8")
    return path


def test_ownership_absent_from_a_raw_file_names_what_the_file_holds(tmp_path, capsys):
    # read for total and federal, the file gave its totals only: "the input has total" while
    # the file holds local government rows (stats, lq, impute and detect all said it)
    raw = _government_slice(tmp_path)
    want = ("--ownership 'federal': the raw file has no 'federal' rows; it holds total, local "
            "(the rows read: total)")
    for argv in (["stats", str(raw)], ["lq", str(raw), "-o", str(tmp_path / "lq.csv")],
                 ["impute", str(raw), "-o", str(tmp_path / "imp.csv")],
                 ["detect", str(raw), "--definitions", "uscmp", "-o", str(tmp_path / "det")]):
        code, _, err = run_main([*argv, "--ownership", "federal"], capsys)
        assert code == 2 and want in err, (argv[0], err)
    # the local rows are there to be read
    run_ok(["lq", str(raw), "--ownership", "local", "-o", str(tmp_path / "lq.csv")], capsys)


def test_ownership_left_out_at_ingest_is_named_as_such(tmp_path, capsys):
    # a canonical table ingested with --ownership total: asking it for private said "the input
    # has total"; its metadata records the private rows as not read, which is said
    table = tmp_path / "total.csv"
    run_ok(["ingest", str(UTAH), "--ownership", "total", "-o", str(table)], capsys)
    code, _, err = run_main(["lq", str(table), "--ownership", "private", "-o", "-"], capsys)
    assert code == 2
    assert ("--ownership 'private': the input has total; the raw file's private rows were not "
            "read (read the raw file with --ownership private)") in err


def test_lone_codes_are_found_per_region_for_its_total(tmp_path, capsys):
    # No all-industries row: a region's total is the sum of its six-digit rows and of the
    # codes with nothing above or below them.  Those were looked for over the whole table: a
    # region listing manufacturing as 31-33 alone, while the others detail it into 311111 ...,
    # had it left out of its total (31-33 has codes below it elsewhere), and its wholesale
    # cluster came out as 80 of 120 jobs instead of 80 of 1,120 (7225 is in no USCMP cluster).
    detailed = {"311111": 300, "311119": 200, "311211": 100, "423110": 60, "423120": 40,
                "7225": 50}
    alone = {"31-33": 1000, "423110": 50, "423120": 30, "7225": 40}
    lines = ["region,industry,year,employment"]
    for k, region in enumerate("ABCDEF"):
        lines += [f"{region},{code},2016,{v + 10 * k}" for code, v in detailed.items()]
    lines += [f"H,{code},2016,{v}" for code, v in alone.items()]
    src = tmp_path / "mixed.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "d"
    run_ok(["detect", str(src), "-o", str(out), "--definitions", "uscmp"], capsys)
    totals = {r["region"]: float(r["region_employment"]) for r in _csv(out / "region_summary.csv")}
    assert totals["H"] == sum(alone.values())
    assert totals["A"] == sum(detailed.values())  # 7225 lone in every region, as before
    h = [r for r in _csv(out / "regional_clusters.csv") if r["region"] == "H"]
    assert h and all(float(r["region_employment"]) == 1120 for r in h)
    # since session 31 H's 31-33, listed without the six-digit codes the others give, stands for
    # them as suppressed cells bounded by it: its food-processing cluster is undecided (0 to its
    # bounds), where it was left out as if H had none of it
    known = [r for r in h if r["employment_status"] == "reported"]
    assert abs(sum(float(r["share"]) for r in known) - 80 / 1120) < 1e-6
    food = [r for r in h if r["employment_status"] != "reported"]
    assert [r["cluster_name"] for r in food] == ["Food Processing and Manufacturing"]
    assert float(food[0]["employment_lower"]) == 0 and food[0]["share"] == ""
    assert food[0]["strong_reason"] == "every member cell suppressed"


def test_detect_on_ingests_quarters_says_so(tmp_path, capsys):
    # `clusterid ingest RAW | clusterid detect -` worked on four quarters (ingest's default
    # --month average) where `clusterid detect RAW` reads the year (its default --month
    # annual), and nothing said the two differ; with --month annual they are the same tables
    import json

    quarters = tmp_path / "quarters.csv"
    run_ok(["ingest", str(UTAH), "-o", str(quarters)], capsys)
    out = tmp_path / "q"
    _, err = run_ok(["detect", str(quarters), "-o", str(out), "--definitions", "uscmp"], capsys)
    note = ("the input holds 4 quarters (2016Q1 ... 2016Q4), each a period of its own: the "
            "summaries are of the last, and employment_growth and lq_change compare it with the "
            "first (a seasonal change); clusterid ingest writes QCEW's quarters by default "
            "(--month average), detect reads a raw QCEW file as the year (--month annual): "
            "ingest with --month annual for the year's tables")
    assert note in err
    assert note in json.loads((out / "metadata.json").read_text())["notes"]
    # the raw file read as the year, and a table ingested as the year: no note, same tables
    year = tmp_path / "year.csv"
    run_ok(["ingest", str(UTAH), "--month", "annual", "-o", str(year)], capsys)
    _, err_raw = run_ok(["detect", str(UTAH), "-o", str(tmp_path / "raw"), "--definitions",
                         "uscmp"], capsys)
    _, err_year = run_ok(["detect", str(year), "-o", str(tmp_path / "year"), "--definitions",
                          "uscmp"], capsys)
    assert "quarters" not in err_raw + err_year
    assert ((tmp_path / "raw" / "regional_clusters.csv").read_bytes()
            == (tmp_path / "year" / "regional_clusters.csv").read_bytes())
    # quarters asked for on the raw file are not noted
    _, err = run_ok(["detect", str(UTAH), "-o", str(tmp_path / "avg"), "--definitions", "uscmp",
                     "--month", "average"], capsys)
    assert "quarters" not in err
