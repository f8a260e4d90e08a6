"""The stages after ingest (stats, lq, impute, detect, report, run) used as a person would:
chained through files (impute then detect), on small tables written inside the tests (a plain
canonical CSV of regions A, B, C and industries 11, 21 as ingest writes it)."""

from __future__ import annotations

from conftest import run_main

CANONICAL_HEADER = ("period,region,ownership,industry,level,employment,employment_status,"
                    "wages,wages_status")


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _three_regions(tmp_path):
    """B's 11 withheld (employment and wages), A's 11 wages withheld; totals published."""
    return _write(tmp_path, "t.csv", CANONICAL_HEADER + "\n" + "\n".join([
        "2016,A,total,10,0,100,reported,1000,reported",
        "2016,A,total,11,2,40,reported,,suppressed",
        "2016,A,total,21,2,60,reported,600,reported",
        "2016,B,total,10,0,300,reported,3000,reported",
        "2016,B,total,11,2,,suppressed,,suppressed",
        "2016,B,total,21,2,240,reported,2400,reported",
        "2016,C,total,10,0,100,reported,900,reported",
        "2016,C,total,11,2,30,reported,300,reported",
        "2016,C,total,21,2,70,reported,600,reported"]) + "\n")


# ------------------ 1. impute then detect: no 'suppressed cells left out' note


def test_detect_on_an_imputed_table_does_not_say_it_leaves_suppressed_cells_out(tmp_path, capsys):
    # `clusterid impute` then `clusterid detect` (README: the same tables as detect
    # --suppressed impute) said 'in the 1 rows with employment_status partial it leaves the
    # suppressed cells out' of B's cluster, whose imputed cell (60 = 300 - 240) is counted
    import json

    src = _three_regions(tmp_path)
    imputed = tmp_path / "imp.csv"
    code, _, err = run_main(["impute", str(src), "-o", str(imputed)], capsys)
    assert code == 0, err
    out = tmp_path / "det"
    code, _, err = run_main(["detect", str(imputed), "-o", str(out), "--n-clusters", "1"], capsys)
    assert code == 0, err
    assert "leaves the suppressed cells out" not in err
    notes = json.loads((out / "metadata.json").read_text())["notes"]
    assert not any("leaves the suppressed cells out" in n for n in notes)
    # the raw table, where B's cell is left out, still says so
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "raw"), "--n-clusters", "1"],
                            capsys)
    assert code == 0, err
    assert "in the 1 rows with employment_status 'partial' it leaves the suppressed cells out" in err


# ------------------ 2. a stage's output without its metadata, given where a table is read


def test_lq_output_piped_into_lq_is_named_in_one_line(tmp_path, capsys, monkeypatch):
    # `clusterid lq T -o - | clusterid lq -`: lq's output holds the key columns, so it was read
    # as a canonical table of 'value' and refused with a 'duplicate row for the same key' line
    # per row, exit 1; a copy without its .meta.json alike
    import io
    import sys

    src = _three_regions(tmp_path)
    code, out, err = run_main(["lq", str(src), "-o", "-"], capsys)
    assert code == 0, err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(out.encode())))
    code, _, err = run_main(["lq", "-", "-o", "-"], capsys)
    assert code == 2
    lines = [ln for ln in err.splitlines() if "error" in ln]
    assert len(lines) == 1, err
    assert "<stdin>: the output of `clusterid lq`" in lines[0]
    copied = _write(tmp_path, "copied_lq.csv", out)  # no sidecar beside it
    for command in (["lq"], ["impute"], ["stats"], ["detect", "--n-clusters", "1"]):
        code, _, err = run_main([command[0], str(copied), "-o", str(tmp_path / "x"), *command[1:]],
                                capsys)
        assert code == 2, (command, err)
        assert "the output of `clusterid lq` (its columns lq, lq_reason" in err, err


def test_stats_and_detect_tables_without_metadata_are_named(tmp_path, capsys):
    # stats' table was 'no industry column recognised ... name it with --industry-col'; a
    # regional_clusters.csv copied out of its folder 'rows that share a key differ only in a
    # column not read (cluster_name)'
    src = _three_regions(tmp_path)
    code, out, err = run_main(["stats", str(src), "-o", "-"], capsys)
    assert code == 0, err
    stats = _write(tmp_path, "stats.csv", out)
    code, _, err = run_main(["lq", str(stats), "-o", "-"], capsys)
    assert code == 2 and "the output of `clusterid stats`" in err, err
    det = tmp_path / "det"
    code, _, err = run_main(["detect", str(src), "-o", str(det), "--n-clusters", "1"], capsys)
    assert code == 0, err
    regional = _write(tmp_path, "regional_clusters.csv",
                      (det / "regional_clusters.csv").read_text(encoding="utf-8"))
    for command in ("lq", "ingest"):
        code, _, err = run_main([command, str(regional), "-o", "-"], capsys)
        assert code == 2 and "the output of `clusterid detect`" in err, (command, err)
    # a table of the user's own with one of those headings is still read
    own = _write(tmp_path, "own.csv", "region,industry,year,employment,coverage\n"
                 "A,11,2016,5,0.5\nA,21,2016,7,0.5\nB,11,2016,3,0.5\nB,21,2016,9,0.5\n")
    code, _, err = run_main(["lq", str(own), "-o", "-", "--measure", "employment"], capsys)
    assert code == 0, err


# ------------------ 3. run: an output naming a folder for a stage that writes a file


def test_run_refuses_a_folder_output_for_a_stage_writing_a_file(tmp_path, capsys):
    # output = "lq/" was resolved to a Parquet file named 'lq' (no extension), exit 0, where
    # `clusterid lq T -o lq/` is refused as a folder; detect's folder output keeps its slash
    _three_regions(tmp_path)
    pipeline = _write(tmp_path, "p.toml", "\n".join([
        '[pipeline]', 'outdir = "out"', '',
        '[[stage]]', 'name = "detect"', 'inputs = ["t.csv"]', 'output = "det/"', '',
        '[[stage]]', 'name = "lq"', 'inputs = ["t.csv"]', 'output = "lq/"']) + "\n")
    code, _, err = run_main(["run", str(pipeline), "--dry-run"], capsys)
    assert code == 2
    assert ("p.toml:12: stage 'lq': 'output' names a folder, but lq writes a file "
            "(expected a file name such as lq.parquet, found 'lq/')") in err, err
    assert "stage 'detect'" not in err
    assert not (tmp_path / "out").exists()


# ------------------ 4. run: a CSV output's metadata sidecar is part of the output


def test_run_reruns_a_stage_whose_csv_sidecar_was_deleted_or_replaced(tmp_path, capsys):
    # lq.csv.meta.json deleted (or replaced by '{}') left the stage 'up to date'; the next stage
    # reading the CSV took it for a table clusterid did not write
    import json

    _three_regions(tmp_path)
    pipeline = _write(tmp_path, "p.toml", "\n".join([
        '[pipeline]', 'outdir = "out"', '',
        '[[stage]]', 'name = "impute"', 'inputs = ["t.csv"]', 'output = "imp.csv"', '',
        '[[stage]]', 'name = "lq"', 'inputs = ["@impute"]', 'output = "lq.csv"']) + "\n")
    code, _, err = run_main(["run", str(pipeline), "-q"], capsys)
    assert code == 0, err
    side = tmp_path / "out" / "imp.csv.meta.json"
    written = side.read_bytes()
    side.unlink()
    code, out, err = run_main(["run", str(pipeline), "--dry-run"], capsys)
    assert code == 0, err
    assert "output's metadata imp.csv.meta.json missing" in out + err
    side.write_text("{}\n", encoding="utf-8")
    code, _, err = run_main(["run", str(pipeline), "--log-json"], capsys)
    assert code == 0, err
    lines = [json.loads(ln) for ln in err.splitlines() if ln.startswith("{")]
    by_stage = {ln["stage"]: ln for ln in lines}
    assert by_stage["impute"]["status"] == "run"
    assert by_stage["impute"]["reason"] == "output's metadata imp.csv.meta.json modified"
    assert side.read_bytes() == written  # regenerated as it was
    assert by_stage["lq"]["status"] == "skipped"  # imp.csv came out byte-identical
    code, out, err = run_main(["run", str(pipeline), "--dry-run"], capsys)
    assert "output's metadata" not in out + err


# ------------------ 5. lq bounds of a withheld cell whose industry no other region holds


def test_lq_bounds_of_an_industry_only_one_region_holds(tmp_path, capsys):
    # B alone holds industry 31 (withheld with 21, bounds [0, 200] from its total 300 less 100
    # published): its LQ is E / T_B = 500 / 300 for any count above 0. lq_bound_lower was
    # empty beside lq_bound_upper 1.667 and the call 'fragile' (Beaver County's wind power
    # generation and 391 other cells of the Utah sample)
    src = _write(tmp_path, "t.csv", "\n".join([
        "period,region,ownership,industry,level,employment,employment_status",
        "2016,A,total,10,0,200,reported",
        "2016,A,total,11,2,120,reported",
        "2016,A,total,21,2,80,reported",
        "2016,B,total,10,0,300,reported",
        "2016,B,total,11,2,100,reported",
        "2016,B,total,21,2,,suppressed",
        "2016,B,total,31,2,,suppressed"]) + "\n")
    from conftest import csv_rows

    for mode in ("bounds", "impute"):
        code, out, err = run_main(["lq", str(src), "-o", "-", "--suppressed", mode], capsys)
        assert code == 0, err
        row = next(r for r in csv_rows(out) if r["region"] == "B" and r["industry"] == "31")
        assert row["lq_bound_lower"] == row["lq_bound_upper"] != "", (mode, row)
        assert abs(float(row["lq_bound_lower"]) - 500 / 300) < 1e-6, (mode, row)
        if mode == "impute":
            assert row["specialised"] == "true" and row["specialised_robust"] == "true", row
    # against the rest of the nation (A alone, without industry 31) it has no LQ, nor bounds
    code, out, err = run_main(["lq", str(src), "-o", "-", "--suppressed", "bounds", "-b", "rest"],
                              capsys)
    assert code == 0, err
    row = next(r for r in csv_rows(out) if r["region"] == "B" and r["industry"] == "31")
    assert row["lq_bound_lower"] == row["lq_bound_upper"] == "", row


# ------------------ 6. one region, one cluster: said in the singular


def test_detect_and_report_say_one_cluster_and_one_region_in_the_singular(tmp_path, capsys):
    # 'detect: 2 industries in 1 clusters', '1 of 1 regions in detail' (report, Markdown and
    # HTML); 1b88c39 did it for report's 'wrote ... (1 region, 1 cluster)'
    src = _three_regions(tmp_path)
    out = tmp_path / "det"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--n-clusters", "1"], capsys)
    assert code == 0, err
    assert "detect: 2 industries in 1 cluster; wrote" in err
    one = _write(tmp_path, "one.csv", "\n".join([
        "period,region,ownership,industry,level,employment,employment_status",
        "2016,A,total,10,0,100,reported",
        "2016,A,total,311111,6,40,reported",
        "2016,A,total,336111,6,60,reported"]) + "\n")
    det1 = tmp_path / "det1"
    code, _, err = run_main(["detect", str(one), "-o", str(det1), "--definitions", "uscmp"], capsys)
    assert code == 0, err
    code, md, err = run_main(["report", str(det1), "-o", "-", "--format", "md"], capsys)
    assert code == 0, err
    assert "1 of 1 region in detail" in md
    code, html, err = run_main(["report", str(det1), "-o", "-", "--format", "html"], capsys)
    assert code == 0, err
    assert "1 of 1 region shown in detail" in html


# ------------------ 7. a reference table's empty figure is a withheld benchmark cell


def test_lq_reference_row_with_an_empty_share_is_a_suppressed_benchmark(tmp_path, capsys):
    # '11,' in a table of national shares: lq_reason 'no benchmark' and stderr 'the reference
    # has no rows for industry code(s) 11', which it has; a national canonical table's withheld
    # cell says 'suppressed benchmark'
    from conftest import csv_rows

    src = _three_regions(tmp_path)
    for name, text in (("shares.csv", "industry,benchmark_share\n11,\n21,0.8\n"),
                       ("totals.csv", "industry,benchmark_industry_total,benchmark_total\n"
                                      "11,,5000\n21,4000,5000\n")):
        ref = _write(tmp_path, name, text)
        code, out, err = run_main(["lq", str(src), "-b", str(ref), "--measure", "employment",
                                   "-o", "-"], capsys)
        assert code == 0, err
        reasons = {(r["region"], r["industry"]): r["lq_reason"] for r in csv_rows(out)}
        assert reasons["A", "11"] == reasons["C", "11"] == "suppressed benchmark", (name, reasons)
        assert "has no rows for" not in err, err


# ------------------ 8. report: a long region name keeps the portfolio title inside its chart


def test_portfolio_title_of_a_long_region_name_fits_its_chart():
    # a 50-character cut of the name made the title 441 pt wide in a 432 pt figure: cut off at
    # its right edge ('... official… (orange: str') in the HTML report
    import html
    import re

    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    from clusterid.report import charts

    rows = [{"cluster_name": "Food", "lq": 1.2, "share": 0.3, "employment": 100.0},
            {"cluster_name": "Metal", "lq": 0.8, "share": 0.7, "employment": 300.0}]
    for name in ("Region number 3 with an exceedingly long official designation name 3",
                 "Ж" * 60):
        svg = charts.portfolio(name, rows, "share")
        title = next(html.unescape(t) for t in re.findall(r">([^<>]*orange: strong[^<>]*)<", svg))
        assert title.startswith("Cluster portfolio — ") and title.endswith(" (orange: strong)")
        width = TextToPath().get_text_width_height_descent(
            title, FontProperties(family="sans-serif", size=10), ismath=False)[0]
        assert width <= 6.0 * 72 * 0.95, (title, width)
    short = charts.portfolio("Salt Lake County, Utah", rows, "share")
    assert "Cluster portfolio — Salt Lake County, Utah (orange: strong)" in html.unescape(short)


# ------------------ 9. lq --threshold inf: the message does not contradict itself


def test_lq_threshold_inf_is_refused_as_not_finite(tmp_path, capsys):
    # 'threshold must be a positive number, got inf': inf is positive
    src = _three_regions(tmp_path)
    for value, shown in (("inf", "inf"), ("0", "0.0"), ("-1", "-1.0")):
        code, out, err = run_main(["lq", str(src), "-o", "-", "--threshold", value], capsys)
        assert code == 2 and out == ""
        assert err.strip() == ("clusterid: error: --threshold: expected a positive finite number "
                               f"(an LQ such as 1.25), found {shown}"), err
