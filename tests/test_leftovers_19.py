"""Shortcomings left from session 18, each fixed in session 19.  Each test says what the user
saw before, and writes its input in a layout that exists in the field (named in its
docstring)."""

from __future__ import annotations

from conftest import csv_rows, run_main

# A long table of county employment by NAICS sector and year, as a BLS QCEW or Census CBP query
# exported to CSV gives it (one row per county, sector and year).  Hand-checked: sector 23 has
# 1170 + 1950 = 3120 jobs in 2015 and 1072 + 2010 = 3082 in 2016, so its regional share in
# 49001 is 1072 - 1170 * 3082 / 3120 = 1072 - 1155.75 = -83.75, in 49003 2010 - 1926.25 = 83.75
COUNTY_SECTORS = """\
region,industry,year,employment
49001,23,2015,1170
49001,54,2015,780
49003,23,2015,1950
49003,54,2015,1940
49001,23,2016,1072
49001,54,2016,804
49003,23,2016,2010
49003,54,2016,1978
"""


def test_shift_share_prints_exact_components_without_rounding_noise(tmp_path, capsys):
    """shift-share printed the regional share -83.75 as -83.7500000000001 and 83.75 as
    83.7499999999999: it was taken as the residual (e1 - e0) - NS - IM, whose rounding
    showed in the 15th digit (and 1 - E1/E0 gave growth rates a wrong last digit).  The
    differences of nearly equal products are now taken exactly: the CSV holds -83.75."""
    src = tmp_path / "county_sectors.csv"
    src.write_text(COUNTY_SECTORS, encoding="utf-8")
    code, out, err = run_main(["shift-share", str(src), "--from", "2015", "--to", "2016",
                               "-o", "-"], capsys)
    assert code == 0, err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert rows["49001", "23"]["regional_share"] == "-83.75"
    assert rows["49003", "23"]["regional_share"] == "83.75"
    # G = (5864 - 5840) / 5840 and G_23 = (3082 - 3120) / 3120, at the CSV's 15 digits
    assert rows["49001", "23"]["growth_national"] == f"{24 / 5840:.15g}"
    assert rows["49001", "23"]["growth_industry"] == f"{-38 / 3120:.15g}"
    for r in rows.values():  # the three components still add up to the change
        parts = sum(float(r[k]) for k in ("national_share", "industry_mix", "regional_share"))
        assert abs(parts - float(r["change"])) <= 1e-9


def _kz_detect(tmp_path, capsys):
    """stat.gov.kz's table of employment by oblast and OKED division (cp1251, ';') ingested
    to a canonical Parquet table, then detect on it: the detect folder."""
    from conftest import TEST_DATA, run_ok

    table = tmp_path / "kz.parquet"
    run_ok(["ingest", str(TEST_DATA / "pipeline2" / "kz_oked_oblasts_cp1251.csv"),
            "-o", str(table)], capsys)
    run_ok(["detect", str(table), "-o", str(tmp_path / "detect"), "--random-state", "0"],
           capsys)
    return tmp_path / "detect"


def test_detect_records_month_only_for_a_raw_qcew_file(tmp_path, capsys):
    """detect recorded --month's default ('month': 'annual') in its metadata when its input
    was a canonical table, which has no months to choose from (its ingest made that choice),
    and report listed it among the options.  Input: stat.gov.kz's oblast table, ingested
    first (see _kz_detect)."""
    import json

    from conftest import run_ok

    folder = _kz_detect(tmp_path, capsys)
    options = json.loads((folder / "metadata.json").read_text("utf-8"))["options"]
    assert "month" not in options
    assert options["method"] == "dps"  # the options that apply are still there
    run_ok(["report", str(folder), "-o", str(tmp_path / "report.md")], capsys)
    report = (tmp_path / "report.md").read_text("utf-8")
    # options as the flags they are (session 22: no longer JSON values)
    assert "| --method | dps |" in report and "--month" not in report


def test_markdown_report_says_how_the_industries_were_grouped(tmp_path, capsys):
    """report.md left out what report.html says of the grouping: the method and the
    definitions it made, the validation scores, the grouping's parameters and the candidates
    the scores chose among, and the clusters' core and within-similarity columns.  The
    Markdown report now says them too.  Input: stat.gov.kz's oblast table (see _kz_detect)."""
    import json

    from conftest import run_ok

    folder = _kz_detect(tmp_path, capsys)
    grouping = json.loads((folder / "metadata.json").read_text("utf-8"))["grouping"]
    # the parameters in words, `linkage average; ...` (session 22: no longer a JSON object)
    params = "; ".join(f"{k} {'no' if v is False else 'yes' if v is True else v}"
                       for k, v in sorted(grouping["params"].items()))
    run_ok(["report", str(folder), "-o", str(tmp_path / "report.md")], capsys)
    run_ok(["report", str(folder), "-o", str(tmp_path / "report.html")], capsys)
    md = (tmp_path / "report.md").read_text("utf-8")
    html = (tmp_path / "report.html").read_text("utf-8")
    assert "method <code>dps</code>" in html  # what the HTML says, the Markdown says
    assert "method `dps`" in md and "VS-Cluster 1" in md
    assert f"Parameters: {params}" in md
    assert "Candidates compared by the validation scores:" in md
    assert "| parameter | value | clusters |" in md
    assert "| industries | core |" in md and "within sim." in md


def test_another_stages_output_given_as_input_is_a_usage_error(tmp_path, capsys):
    """lq, impute, indices, shift-share and detect given another command's output (a script
    passing the wrong file along) exited 1, a data error, though the file is fine and only the
    wrong one for the command; stats' own table was not even named as such ("no industry
    column recognised ... name it with --industry-col").  Now each is exit 2 with one line
    naming the command that wrote the file and what is expected.  Input: a CBP-like county
    table (COUNTY_SECTORS), its stats and lq outputs."""
    src = tmp_path / "county_sectors.csv"
    src.write_text(COUNTY_SECTORS, encoding="utf-8")
    stats_out, lq_out = tmp_path / "stats.csv", tmp_path / "lq.parquet"
    for argv in (["stats", str(src), "-o", str(stats_out)], ["lq", str(src), "-o", str(lq_out)]):
        code, _out, err = run_main(argv, capsys)
        assert code == 0, err
    for wrong, kind in ((stats_out, "stats"), (lq_out, "lq")):
        for command in ("lq", "impute", "indices", "detect"):
            out = tmp_path / ("det" if command == "detect" else "x.csv")
            code, _out, err = run_main([command, str(wrong), "-o", str(out)], capsys)
            assert code == 2, (command, err)
            # detect says "detect: reading stats.csv ..." first
            assert [x for x in err.splitlines() if not x.startswith("detect: ")] == [
                f"clusterid: error: {wrong}: the output of `clusterid {kind}`, not a canonical "
                f"table (kind '{kind}' in its metadata); expected a canonical table (written by "
                "`clusterid ingest` or `clusterid impute`) or a raw agency file: give the table "
                f"`clusterid {kind}` was run on"], (command, err)
            assert not out.exists()


def test_run_names_the_file_of_a_glob_input_that_changed(tmp_path, capsys):
    """A stage reading a quoted glob ('raw/*.csv') re-ran with the reason 'input *.csv
    changed', leaving the user to find which of the files it was.  The reason now names the
    files edited, added or removed since the last run.  Input: BLS QCEW's area files
    (2016.annual.49001.beaver_county.csv as the BLS names them) in a raw/ folder."""
    import json
    import shutil

    from conftest import TEST_DATA

    raw = tmp_path / "raw"
    raw.mkdir()
    beaver = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"
    shutil.copy(beaver, raw / "2016.annual.49001.beaver_county.csv")
    text = beaver.read_text(encoding="utf-8")
    (raw / "2016.annual.49003.box_elder_county.csv").write_text(
        text.replace("49001", "49003"), encoding="utf-8")
    pipe = tmp_path / "pipeline.toml"
    pipe.write_text('[pipeline]\noutdir = "out"\n[[stage]]\nname = "ingest"\n'
                    'inputs = ["raw/*.csv"]\noutput = "canonical.csv"\n', encoding="utf-8")

    def reason():
        code, _out, err = run_main(["run", str(pipe), "--log-json"], capsys)
        assert code == 0, err
        (event,) = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
        return event["reason"]

    assert reason() == "never run"
    # a figure revised in one of the two files
    (raw / "2016.annual.49003.box_elder_county.csv").write_text(
        text.replace("49001", "49003").replace(",243,2719,", ",243,2720,"), encoding="utf-8")
    assert reason() == "input *.csv changed: 2016.annual.49003.box_elder_county.csv edited"
    (raw / "2016.annual.49001.beaver_county.csv").unlink()
    shutil.copy(beaver, raw / "2016.annual.49005.cache_county.csv")
    assert reason() == ("input *.csv changed: 2016.annual.49005.cache_county.csv added; "
                        "2016.annual.49001.beaver_county.csv removed")


def test_the_plain_table_check_lives_with_the_table_checks(tmp_path):
    """check_plain_table, the check of a reference, definitions or similarity table typed by
    hand, lived in io/ingest.py though ingest's reading never calls it, beside none of the
    table checks it builds on (check_text, csv_records' locating): it is in io/tables.py now,
    where lq -b, detect --definitions and --similarity import it.  Input: a national reference
    table of employment by NAICS sector as a user types it, one row a field too long."""
    import pytest

    from clusterid.errors import DataError
    from clusterid.io import tables

    assert tables.check_plain_table.__module__ == "clusterid.io.tables"
    src = tmp_path / "national.csv"
    src.write_text("industry,benchmark_industry_total\n23,7400000\n54,9800000,x\n",
                   encoding="utf-8")
    with pytest.raises(DataError) as info:
        tables.check_plain_table(src, str(src), ",", 1, 2, "a reference table")
    (problem,) = info.value.problems
    assert (problem.line, problem.message) == (3, "row has 3 fields, the header has 2")
