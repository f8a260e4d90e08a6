"""A statistician's day, judged as its readers judge it (session 22).

The report goes to a ministry reader who never ran clusterid: every heading and word in its
tables must be explained in the report itself ('tier: significant' is a tier, not a
statistical test; 'robust' and 'fragile'; 'LQ low/high' an interval), and no option is shown
as a JSON value or an internal name.  The scheduled pipeline goes to a data engineer who reads
its log a week later.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from typer.testing import CliRunner

from clusterid.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "report" / "detect"


_REPORTS: dict[str, str] = {}


def _report(tmp_path: Path, suffix: str) -> str:
    """The fixture's report in this format, rendered once for the module (the HTML draws
    charts: seconds each time)."""
    if suffix not in _REPORTS:
        out = tmp_path / f"report.{suffix}"
        res = CliRunner().invoke(app, ["report", str(FIXTURE), "-o", str(out)])
        assert res.exit_code == 0, res.output
        _REPORTS[suffix] = out.read_text(encoding="utf-8")
    return _REPORTS[suffix]


def _text(page: str) -> str:
    """The HTML as a reader sees it: no markup, no charts."""
    page = re.sub(r"<svg.*?</svg>|<style.*?</style>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_report_explains_the_words_of_its_tables(tmp_path):
    for suffix in ("md", "html"):
        text = _report(tmp_path, suffix)
        text = _text(text) if suffix == "html" else text
        assert "Reading the tables" in text, suffix
        # 'significant' as a USCMP tier is LQ above the median, said so where it is shown
        assert "significant, above the median -- the tier's name, not a statistical test" in text
        assert "A strong call that is not robust is fragile" in text
        assert "LQ low, LQ high" in text and "the 95% interval of the LQ" in text
        assert "the change in the cluster's employment from 2015 to 2016" in text
        assert "not known or not applicable; never a zero" in text


def test_markdown_tables_show_what_the_glossary_explains(tmp_path):
    text = _report(tmp_path, "md")
    assert ("| region | name | employment | share | LQ | LQ low | LQ high | growth | tier | stars "
            "| strong | robust |") in text


def test_options_are_flags_with_plain_values(tmp_path):
    md = _report(tmp_path, "md")
    assert "| --random-state | 0 |" in md and "| --rule | uscmp-strong |" in md
    assert '"uscmp-strong"' not in md and "`random_state`" not in md
    page = _report(tmp_path, "html")
    shown = _text(page)
    assert "--signals colocation,hierarchy" in shown
    assert '"colocation,hierarchy"' not in shown and "null" not in shown
    # the strength rule as words, not a JSON object
    assert "employment_quantile 0.25; lq_quantile 0.75; name uscmp-strong" in shown
    assert '{"employment_quantile"' not in page


def test_regions_table_names_the_strong_clusters(tmp_path):
    page = _report(tmp_path, "html")
    section = page[page.index('<section id="regions">'):]
    table = section[: section.index("</table>")]
    # Box Elder is strong in clusters 2 and 1 (region_summary.csv: '2; 1')
    assert "Agricultural Inputs and Services; Aerospace Vehicles and Defense" in table
    assert "<td>2; 1</td>" not in table


# ------------------------------------------------------------------ the scheduled pipeline


def _report_pipeline(tmp_path: Path) -> Path:
    import shutil
    import textwrap

    shutil.copytree(FIXTURE, tmp_path / "detect")
    toml = tmp_path / "pipeline.toml"
    toml.write_text(textwrap.dedent("""
        [pipeline]
        outdir = "out"

        [[stage]]
        name = "report"
        inputs = ["detect"]
        output = "report.md"
    """), encoding="utf-8")
    return toml


def _log(path: Path) -> list[dict]:
    import json

    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_log_lines_say_when(tmp_path, capsys):
    """A log appended to by a daily cron job: each line says when it was written (UTC)."""
    from conftest import run_main

    toml, log = _report_pipeline(tmp_path), tmp_path / "logs" / "run.jsonl"
    for _ in range(2):
        code, _out, err = run_main(["run", str(toml), "--log-file", str(log)], capsys)
        assert code == 0, err
    events = _log(log)
    assert [e["status"] for e in events] == ["run", "skipped"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e["time"]) for e in events)


def test_a_run_stopped_before_its_first_stage_is_logged(tmp_path, capsys):
    """A missing input (the day's download did not come) stopped the run with exit 2 and left
    no line in --log-file: the log showed nothing of that day."""
    import shutil

    from conftest import run_main

    toml, log = _report_pipeline(tmp_path), tmp_path / "run.jsonl"
    shutil.rmtree(tmp_path / "detect")
    code, _out, err = run_main(["run", str(toml), "--log-file", str(log)], capsys)
    assert code == 2
    (event,) = _log(log)
    assert event["stage"] is None and event["status"] == "failed" and event["exit_code"] == 2
    assert event["reason"] in err and "detect" in event["reason"]
    assert not (tmp_path / "out").exists()  # still nothing created but the log line
    # --log-json: the same line on stderr
    code, _out, err = run_main(["run", str(toml), "--log-json"], capsys)
    assert code == 2
    assert '"stage": null' in err and '"exit_code": 2' in err


def test_a_stage_whose_last_run_did_not_finish_is_not_said_never_run(tmp_path, capsys):
    """After a run stopped in a stage (its record dropped, the earlier output kept), the plan
    said 'never run' beside the output it had written the day before."""
    from conftest import run_main

    toml = _report_pipeline(tmp_path)
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 0, err
    state = tmp_path / "out" / ".clusterid-run.json"
    state.unlink()  # as a stage that failed or was stopped leaves it: no record of the stage
    code, out, err = run_main(["run", str(toml), "--dry-run"], capsys)
    assert code == 0, err
    assert out.startswith("run  report  no finished run recorded (the output there is from before)\n")
    (tmp_path / "out" / "report.md").unlink()
    code, out, err = run_main(["run", str(toml), "--dry-run"], capsys)
    assert out.startswith("run  report  never run\n")


def test_report_shows_what_detect_noted(tmp_path):
    """detect's notes (metadata 'notes': industries in no cluster, quarters read as periods so
    that growth is seasonal ...) went to its stderr only; the report's reader never saw them."""
    import json
    import shutil

    folder = tmp_path / "detect"
    shutil.copytree(FIXTURE, folder)
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    note = ("5 industries listed at another level than the grouped level 2, with no code above "
            "or below them (D, G, K, P, Q), are in no cluster; their employment counts in the "
            "region totals")
    meta["notes"] = [note]
    (folder / "metadata.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    for suffix in ("md", "html"):
        out = tmp_path / f"report.{suffix}"
        res = CliRunner().invoke(app, ["report", str(folder), "-o", str(out), "--top-regions", "1"])
        assert res.exit_code == 0, res.output
        text = out.read_text(encoding="utf-8")
        assert "Notes from detect" in text
        assert note in (_text(text) if suffix == "html" else text.replace("\\", ""))


def test_cluster_chart_reads_as_a_reader_writes_numbers():
    """The cluster-size chart of the oblast table wrote its axis 0.00 ... 2.00 with '1e6' in
    the corner, and said 'blue traded, grey local' over clusters of no type."""
    from clusterid.report import charts

    rows = [{"cluster_id": "1", "cluster_name": "Металлургия", "cluster_type": "unknown",
             "employment": 1_992_704.0, "n_strong": 5},
            {"cluster_id": "2", "cluster_name": "Сельское хозяйство", "cluster_type": "unknown",
             "employment": 1_165_535.0, "n_strong": 4}]
    svg = charts.cluster_sizes(rows)
    assert "1e6" not in svg and "2,000,000" in svg
    assert "blue traded" not in svg and "(regions where strong)" in svg
    typed = charts.cluster_sizes([dict(r, cluster_type=t) for r, t in zip(rows, ("traded", "local"))])
    assert "blue traded, grey local; regions where strong" in typed


def test_a_failed_stage_logs_what_went_wrong(tmp_path, capsys):
    """A malformed file landing in the raw folder: the log said the ingest failed (exit 1)
    and why it had run ('input *.csv changed'), never what was wrong with the file."""
    import textwrap

    from conftest import run_main

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.csv").write_text("region,industry,year,employment\nR1,C10,2020,5\nR2,C10,2020,x y\n",
                               encoding="utf-8")
    toml = tmp_path / "pipeline.toml"
    toml.write_text(textwrap.dedent("""
        [pipeline]
        outdir = "out"

        [[stage]]
        name = "ingest"
        inputs = ["raw/*.csv"]
        output = "canonical.csv"
    """), encoding="utf-8")
    log = tmp_path / "run.jsonl"
    code, _out, err = run_main(["run", str(toml), "--log-file", str(log)], capsys)
    assert code == 1, err
    (event,) = _log(log)
    assert event["status"] == "failed" and event["exit_code"] == 1
    assert event["error"].startswith("raw/a.csv:3:") and event["error"] in err


def test_an_input_named_by_an_absolute_path_is_recorded_as_written(tmp_path, capsys):
    """A pipeline reading the shared county panel by its absolute path ran
    `clusterid ingest '../../../../work/shared/...'`: the outputs (and the report's source
    data) recorded a path that depends on how deep the project folder sits, so the same data
    gave other bytes in a project one folder deeper."""
    import json
    import textwrap

    from conftest import run_main

    data = tmp_path / "shared" / "a.csv"
    data.parent.mkdir()
    data.write_text("region,industry,year,employment\nR1,C10,2020,5\nR2,C10,2020,7\n",
                    encoding="utf-8")
    written = {}
    for project in (tmp_path / "p1", tmp_path / "deeper" / "still" / "p2"):
        project.mkdir(parents=True)
        toml = project / "pipeline.toml"
        toml.write_text(textwrap.dedent(f"""
            [pipeline]
            outdir = "out"

            [[stage]]
            name = "ingest"
            inputs = ["{data}"]
            output = "canonical.csv"
        """), encoding="utf-8")
        code, out, err = run_main(["run", str(toml), "--dry-run"], capsys)
        assert code == 0, err
        assert f"clusterid ingest {data} -o out/canonical.csv" in out
        code, _out, err = run_main(["run", str(toml)], capsys)
        assert code == 0, err
        meta = json.loads((project / "out" / "canonical.csv.meta.json").read_text(encoding="utf-8"))
        assert [i["path"] for i in meta["inputs"]] == [str(data)]
        written[project] = (project / "out" / "canonical.csv.meta.json").read_bytes()
    assert len(set(written.values())) == 1


def test_a_cluster_of_a_millionth_of_a_job_has_an_open_interval_not_inf(tmp_path, capsys):
    """The county panel (--suppressed impute, annual) gave Butler County, Iowa 6e-6 jobs in
    a cluster: the interval's upper end overflowed, detect wrote 'inf' into
    regional_clusters.csv and the pipeline's report stage failed on it ('not a finite
    number').  The upper end is now empty (open), and the report reads the folder."""
    import csv

    from conftest import run_main

    rows = ["region,industry,year,employment"]
    for r, (a, b) in {"R1": (50, 40), "R2": (30, 60), "R3": ("0.000006", 80), "R4": (20, 10)}.items():
        rows += [f"{r},C10,2020,{a}", f"{r},C11,2020,{b}"]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "defs.csv").write_text("industry,cluster,cluster_name\nC10,1,Food\nC11,2,Drinks\n",
                                       encoding="utf-8")
    out = tmp_path / "detect"
    code, _out, err = run_main(["detect", str(tmp_path / "t.csv"), "-o", str(out),
                                "--definitions", str(tmp_path / "defs.csv")], capsys)
    assert code == 0, err
    text = (out / "regional_clusters.csv").read_text(encoding="utf-8")
    assert "inf" not in text
    (cell,) = [r for r in csv.DictReader(text.splitlines())
               if r["region"] == "R3" and r["cluster_id"] == "1"]
    assert float(cell["lq"]) > 0 and cell["lq_ci_upper"] == ""
    code, _out, err = run_main(["report", str(out), "-o", str(tmp_path / "r.md")], capsys)
    assert code == 0, err


def test_markdown_report_says_which_regions_hold_strong_clusters_at_a_glance(tmp_path):
    """The Markdown report had no table of the regions (the HTML's): to answer 'which
    oblasts hold strong clusters' its reader went through every region's section."""
    md = _report(tmp_path, "md")
    section = md[md.index("## Regions and their clusters"):]
    assert section.index("| region | name | employment | cluster strength | strong clusters | which |") \
        < section.index("### ")
    assert ("| 49003 | Box Elder County, Utah | 21,500 | 96.6% | 2 | Agricultural Inputs and "
            "Services; Aerospace Vehicles and Defense |") in section


def test_glossary_explains_traded_known_where_the_regions_table_shows_it(tmp_path):
    import csv
    import shutil

    folder = tmp_path / "detect"
    shutil.copytree(FIXTURE, folder)
    path = folder / "region_summary.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, [*rows[0], "traded_employment_status"])
        w.writeheader()
        w.writerows(r | {"traded_employment_status": "partial"} for r in rows)
    out = tmp_path / "r.md"
    res = CliRunner().invoke(app, ["report", str(folder), "-o", str(out)])
    assert res.exit_code == 0, res.output
    md = out.read_text(encoding="utf-8")
    assert "| traded known |" in md
    assert "- traded known: whether the traded employment that cluster strength divides by" in md


def test_html_options_and_files_read_are_folded_unless_a_file_was_edited(tmp_path):
    """Twenty lines of detect's options led the report, before any result."""
    import shutil

    page = _report(tmp_path, "html")
    assert "<details><summary>Options of detect (6)</summary>" in page
    assert "<details><summary>Files read (" in page
    folder = tmp_path / "edited"
    shutil.copytree(FIXTURE, folder)
    with open(folder / "clusters.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")
    out = tmp_path / "edited.html"
    res = CliRunner().invoke(app, ["report", str(folder), "-o", str(out), "--top-regions", "1"])
    assert res.exit_code == 0, res.output
    assert "<details open><summary>Files read (" in out.read_text(encoding="utf-8")


def test_a_run_kept_out_by_the_lock_is_logged_as_locked_not_failed(tmp_path, capsys):
    """--no-wait beside another run (exit 75, which the README's cron line lets pass) is no
    failure: a monitor counting 'failed' lines would page someone for an overlap."""
    from clusterid import pipeline as pl
    from conftest import run_main

    toml, log = _report_pipeline(tmp_path), tmp_path / "run.jsonl"
    pipe = pl.load_pipeline(toml)
    pipe.outdir.mkdir(parents=True)
    lock = pl.acquire_lock(pipe, 0)
    try:
        code, _out, err = run_main(["run", str(toml), "--no-wait", "--log-file", str(log)], capsys)
    finally:
        lock.release()
    assert code == 75, err
    (event,) = _log(log)
    assert event["stage"] is None and event["status"] == "locked" and event["exit_code"] == 75
