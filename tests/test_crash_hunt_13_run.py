"""Crash hunt 13: `clusterid run` and `clusterid report` as a statistical office's cron job
meets them.

The small tables here are made in the tests.  The region names follow the Kazakh statistics
bureau's (stat.gov.kz) oblast and city names, in Russian and Kazakh spelling; a name holding a
line break is what a workbook cell typed with Alt+Enter gives (a quoted CSV field spanning two
lines, as RFC 4180 allows).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_main, run_ok
from test_faults import _tmpfs

# industry -> cluster, two clusters of two NAICS subsectors each (detect --definitions FILE)
DEFINITIONS = ("industry,cluster,cluster_name\n311,1,Food\n312,1,Food\n"
               "321,2,Wood\n322,2,Wood\n")


def _panel(names: dict[str, str]) -> str:
    """A generic long table (region, region_name, industry, period, employment) of the
    ``names`` regions, four industries, 2020 and 2021, written as csv.writer quotes it."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["region", "region_name", "industry", "period", "employment"])
    for r, (code, name) in enumerate(names.items()):
        for i, industry in enumerate(["311", "312", "321", "322"]):
            for period in (2020, 2021):
                w.writerow([code, name, industry, period, 40 + (r * 53 + i * 29) % 300 + period % 2])
    return buf.getvalue()


def _detect(tmp_path: Path, capsys, names: dict[str, str]) -> Path:
    src = tmp_path / "panel.csv"
    src.write_text(_panel(names), encoding="utf-8")
    defs = tmp_path / "defs.csv"
    defs.write_text(DEFINITIONS, encoding="utf-8")
    out = tmp_path / "detect"
    run_ok(["detect", str(src), "-o", str(out), "--definitions", str(defs)], capsys)
    return out


def test_report_reads_a_region_name_holding_a_line_break(tmp_path, capsys):
    # detect writes the name as one quoted field over two lines (valid CSV, and polars reads
    # it); the report's check for rows cut short counted physical lines and refused the
    # folder: "regional_clusters.csv:4: row has 3 fields, the header has 35 ...; the file was
    # cut", exit 1, for a folder detect had just written
    folder = _detect(tmp_path, capsys, {"KZ-71": "Астана\nқаласы", "KZ-75": "Алматы",
                                        "KZ-35": "Қарағанды облысы"})
    assert '"Астана\nқаласы"' in (folder / "regional_clusters.csv").read_text(encoding="utf-8")
    for fmt in ("md", "html", "json"):
        out = tmp_path / f"report.{fmt}"
        code, _out, err = run_main(["report", str(folder), "-o", str(out)], capsys)
        assert code == 0, err
        assert "row has" not in err
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "### Астана қаласы (KZ-71)" in md  # the line break is a space in Markdown
    assert "Қарағанды облысы" in md


def test_report_still_refuses_a_row_cut_short_after_a_quoted_line_break(tmp_path, capsys):
    # the fix must not let a cut row through: the record starting on the line given is short
    folder = _detect(tmp_path, capsys, {"KZ-71": "Астана\nқаласы", "KZ-75": "Алматы"})
    table = folder / "regional_clusters.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    # the last record is Алматы's (one line); cut it after its fourth field
    lines[-1] = ",".join(lines[-1].split(",")[:4]) + "\n"
    table.write_text("".join(lines), encoding="utf-8")
    code, _out, err = run_main(["report", str(folder), "-o", str(tmp_path / "r.md")], capsys)
    assert code == 1, err
    assert f"regional_clusters.csv:{len(lines)}: row has 4 fields, the header has" in err, err
    assert "the file was cut" in err
    assert err.count("row has") == 1, err


def test_a_stage_failing_in_the_pipeline_files_folder_names_that_folder(tmp_path, capsys,
                                                                          monkeypatch):
    # cron starts in $HOME and the README's line adds --quiet: the stage runs in the pipeline
    # file's folder and names its input as `raw/panel.csv:3`, a path that is not there from
    # where the run started; no line said which folder it meant
    project = tmp_path / "project"
    (project / "raw").mkdir(parents=True)
    (project / "raw" / "panel.csv").write_text(
        "region,industry,period,employment\nKZ-71,311,2021,10\nKZ-71,312,2021,abc\n",
        encoding="utf-8")
    (project / "pipeline.toml").write_text(
        '[[stage]]\nname = "ingest"\ninputs = ["raw/panel.csv"]\noutput = "canonical.parquet"\n',
        encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(home)
    code, _out, err = run_main(["--quiet", "run", str(project / "pipeline.toml")], capsys)
    assert code == 1, err
    lines = err.strip().splitlines()
    assert lines[0].startswith("clusterid: error: raw/panel.csv:3: column 'employment'"), err
    assert lines[-1] == (f"clusterid: error: stage 'ingest' failed (exit 1) in {project} (the "
                         "pipeline file's folder, where the relative paths above start); later "
                         "stages were not run, earlier ones are kept"), err
    # started in the pipeline file's folder, the paths are the user's own: no folder named
    monkeypatch.chdir(project)
    code, _out, err = run_main(["--quiet", "run", "pipeline.toml"], capsys)
    assert code == 1, err
    assert err.strip().splitlines()[-1] == ("clusterid: error: stage 'ingest' failed (exit 1); "
                                            "later stages were not run, earlier ones are kept")


def test_pipeline_file_mistakes_name_their_line(tmp_path, capsys):
    # every other input's errors say file:line; the pipeline file's said only "p.toml: stage
    # 'lq': ..." and left the scheduler's operator to find the stage, the key and the line
    (tmp_path / "raw.csv").write_text("region,industry,period,employment\nKZ-71,311,2021,10\n",
                                      encoding="utf-8")
    toml = tmp_path / "p.toml"
    toml.write_text('# monthly refresh\n'                    # 1
                    '[pipeline]\n'                           # 2
                    'outdir = "out"\n'                       # 3
                    'outdri = "out2"\n'                      # 4
                    '\n'                                     # 5
                    '[[stage]]\n'                            # 6
                    'name = "ingest"\n'                      # 7
                    'inputs = ["raw.csv"]\n'                 # 8
                    'output = "canonical.parquet"\n'         # 9
                    'optons = { format = "generic" }\n',     # 10
                    encoding="utf-8")
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 2, err
    assert err.splitlines() == [
        f"clusterid: error: {toml}:4: [pipeline]: unknown keys (expected outdir, found 'outdri')",
        f"clusterid: error: {toml}:10: stage 'ingest': unknown keys (expected args, command, "
        "inputs, name, options, output, found 'optons')"]
    # the checks of the stages' options (a sub-table, a dotted key), and a key of the wrong
    # type that was said to be missing ("stage 1: missing 'name'" for name = 5)
    toml.write_text('[[stage]]\n'                            # 1
                    'name = "ingest"\n'                      # 2
                    'inputs = ["raw.csv"]\n'                 # 3
                    'output = "canonical.parquet"\n'         # 4
                    '[stage.options]\n'                      # 5
                    'format = "generic"\n'                   # 6
                    'on_error = "skp"\n'                     # 7
                    '\n'                                     # 8
                    '[[stage]]\n'                            # 9
                    'name = "lq"\n'                          # 10
                    'inputs = ["@ingest"]\n'                 # 11
                    'output = "lq.csv"\n'                    # 12
                    'options.threshold = "high"\n',          # 13
                    encoding="utf-8")
    code, _out, err = run_main(["run", str(toml), "--dry-run"], capsys)
    assert code == 2, err
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith(f"clusterid: error: {toml}:7: stage 'ingest': --on-error 'skp'"), err
    assert lines[1].startswith(f"clusterid: error: {toml}:13: stage 'lq': Invalid value for "
                               "'--threshold'"), err
    toml.write_text('[[stage]]\nname = 5\ninputs = ["raw.csv"]\noutput = "c.csv"\n'
                    '[[stage]]\nname = "lq"\ninputs = ["raw.csv"\noutput = "lq.csv"\n',
                    encoding="utf-8")
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 2, err
    assert err.startswith(f"clusterid: error: {toml}:8: not valid TOML: "), err
    toml.write_text('[[stage]]\nname = 5\ninputs = ["raw.csv"]\noutput = "c.csv"\n',
                    encoding="utf-8")
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 2, err
    assert err == (f"clusterid: error: {toml}:2: stage 1: 'name' is not a text (expected a "
                   "unique stage name, found '5')\n")
    # top-level mistakes: at their own line, not [pipeline]'s; no stages at all names none
    toml.write_text('[pipeline]\noutdir = "out"\n\n[[stages]]\nname = "ingest"\n', encoding="utf-8")
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 2, err
    assert err.splitlines() == [
        f"clusterid: error: {toml}:4: unknown top-level keys (expected [pipeline] and [[stage]], "
        "found 'stages')",
        f"clusterid: error: {toml}: no stages (expected at least one [[stage]] table)"]


def test_a_glob_input_whose_folder_is_renamed_runs_again(tmp_path, capsys):
    # inputs = ["raw/*/data.csv"] (one folder per year, the same file name in each): the
    # fingerprint hashed each file's name only, so raw/2020 renamed raw/y2020 was "up to date"
    # and the canonical table kept recording raw/2020/data.csv, a path no longer there
    (tmp_path / "raw" / "2020").mkdir(parents=True)
    (tmp_path / "raw" / "2020" / "data.csv").write_text(
        "region,industry,period,employment\nKZ-71,311,2020,10\nKZ-75,311,2020,5\n",
        encoding="utf-8")
    toml = tmp_path / "p.toml"
    toml.write_text('[[stage]]\nname = "ingest"\ninputs = ["raw/*/data.csv"]\n'
                    'output = "canonical.csv"\n', encoding="utf-8")
    run_ok(["run", str(toml)], capsys)
    meta = tmp_path / "out" / "canonical.csv.meta.json"
    assert "raw/2020/data.csv" in meta.read_text(encoding="utf-8")
    (tmp_path / "raw" / "2020").rename(tmp_path / "raw" / "y2020")
    _out, err = run_ok(["run", str(toml)], capsys)
    assert "nothing to do" not in err, err
    assert "raw/y2020/data.csv" in meta.read_text(encoding="utf-8")
    assert "raw/2020/" not in meta.read_text(encoding="utf-8")
    _out, err = run_ok(["run", str(toml)], capsys)
    assert "nothing to do" in err, err


def test_a_glob_input_matching_nothing_is_said_so(tmp_path, capsys):
    # the month's files not delivered yet: "input /srv/raw/*.csv: no such file" read as if a
    # file were named with a star
    (tmp_path / "raw").mkdir()
    toml = tmp_path / "p.toml"
    toml.write_text('[[stage]]\nname = "ingest"\ninputs = ["raw/*.csv"]\n'
                    'output = "canonical.csv"\n', encoding="utf-8")
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 2, err
    assert err == (f"clusterid: error: {toml}:3: stage 'ingest': input {tmp_path}/raw/*.csv: "
                   "the pattern matches no file\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.toml", "raw"]


def test_an_interrupted_run_names_the_stage_it_stopped_in(tmp_path, capsys, monkeypatch):
    # a scheduler's timeout (SIGTERM) mid-stage: the mail said "clusterid: error: interrupted"
    # and nothing of where the run stood; the stages before it are kept and the next run
    # starts at the stopped one
    import signal

    from clusterid.cli import run as run_cli
    from clusterid.cli.app import Interrupted

    (tmp_path / "raw.csv").write_text("region,industry,period,employment\nKZ-71,311,2021,10\n"
                                      "KZ-71,312,2021,4\nKZ-75,311,2021,5\nKZ-75,312,2021,9\n",
                                      encoding="utf-8")
    toml = tmp_path / "p.toml"
    toml.write_text('[[stage]]\nname = "ingest"\ninputs = ["raw.csv"]\noutput = "canonical.csv"\n'
                    '[[stage]]\nname = "lq"\ninputs = ["@ingest"]\noutput = "lq.csv"\n',
                    encoding="utf-8")
    real = run_cli._execute_in_process

    def stopped_in_lq(stage):
        if stage.name == "lq":
            raise Interrupted(signal.SIGTERM)
        real(stage)

    monkeypatch.setattr(run_cli, "_execute_in_process", stopped_in_lq)
    code, _out, err = run_main(["--quiet", "run", str(toml)], capsys)
    assert code == 143, err
    assert err.splitlines() == [
        "clusterid: error: run: stopped during stage 'lq'; the stages finished before it are "
        "kept, and the next run goes on from it",
        "clusterid: error: interrupted"]
    monkeypatch.setattr(run_cli, "_execute_in_process", real)
    code, _out, err = run_main(["run", str(toml), "--log-json"], capsys)
    assert code == 0, err
    assert '"stage": "ingest", "status": "skipped"' in err and '"stage": "lq", "status": "run"' in err


def test_a_report_of_tables_without_rows_says_so_not_period_none(tmp_path, capsys):
    # detect's tables cut down to their headers (a failed copy, a filter that kept nothing):
    # the report said "Period None; cells are region x cluster." in Markdown and HTML
    folder = _detect(tmp_path, capsys, {"KZ-71": "Астана", "KZ-75": "Алматы"})
    for name in ("clusters.csv", "cluster_summary.csv", "regional_clusters.csv",
                 "region_summary.csv"):
        table = folder / name
        table.write_text(table.read_text(encoding="utf-8").splitlines()[0] + "\n",
                         encoding="utf-8")
    for fmt in ("md", "html"):
        out = tmp_path / f"report.{fmt}"
        code, _out, err = run_main(["report", str(folder), "-o", str(out)], capsys)
        assert code == 0, err
        text = out.read_text(encoding="utf-8")
        assert "None" not in text
        assert "No period: the tables hold no rows; cells are region" in text


def test_an_output_name_too_long_for_the_file_system_is_said_so(tmp_path, capsys):
    # a report named after a long Kazakh title: 200 letters of two bytes each pass the 255
    # bytes a file name may have; every command ended in "internal error: OSError: [Errno 36]
    # File name too long", ingest and lq after their work, and the pipeline's stage too
    title = "Қарағанды облысының өнеркәсіп кластерлері " * 5  # 210 letters, 400 bytes
    src = tmp_path / "panel.csv"
    src.write_text(_panel({"KZ-71": "Астана", "KZ-35": "Қарағанды облысы"}), encoding="utf-8")
    folder = _detect(tmp_path, capsys, {"KZ-71": "Астана", "KZ-35": "Қарағанды облысы"})
    for argv in (["ingest", str(src), "-o", str(tmp_path / f"{title}.csv")],
                 ["lq", str(src), "-o", str(tmp_path / f"{title}.parquet")],
                 ["report", str(folder), "-o", str(tmp_path / f"{title}.md")],
                 ["detect", str(src), "-o", str(tmp_path / title),
                  "--definitions", str(tmp_path / "defs.csv")]):
        code, _out, err = run_main(argv, capsys)
        assert code == 2, (argv[0], err)
        assert "internal error" not in err and "Errno" not in err, err
        assert len(err.strip().splitlines()) == 1, err
        assert "cannot write" in err and "bytes" in err and "give a shorter name" in err, err
    # a name that fits after all: 100 letters, 200 bytes, and its temporary and sidecar names
    fits = "Қарағанды облысы " * 6
    run_ok(["ingest", str(src), "-o", str(tmp_path / f"{fits[:100]}.csv")], capsys)
    toml = tmp_path / "p.toml"
    toml.write_text(f'[[stage]]\nname = "ingest"\ninputs = ["panel.csv"]\noutput = "{title}.csv"\n',
                    encoding="utf-8")
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 2, err
    assert err.startswith(f"clusterid: error: {toml}:4: stage 'ingest': "), err
    assert "give a shorter name" in err and not (tmp_path / "out").exists()


def test_an_input_or_folder_name_too_long_is_said_so(tmp_path, capsys):
    # the same names as inputs (a file that cannot exist), an --outdir and a pipeline file:
    # "internal error: OSError: [Errno 36] File name too long" from wherever os.stat met them
    title = "Қарағанды облысының өнеркәсіп кластерлері " * 5
    toml = tmp_path / "p.toml"
    toml.write_text('[[stage]]\nname = "ingest"\ninputs = ["panel.csv"]\noutput = "c.csv"\n',
                    encoding="utf-8")
    (tmp_path / "panel.csv").write_text(_panel({"KZ-71": "Астана"}), encoding="utf-8")
    for argv in (["report", str(tmp_path / title), "-o", str(tmp_path / "r.md")],
                 ["ingest", str(tmp_path / f"{title}.csv"), "-o", str(tmp_path / "c.csv")],
                 ["run", str(tmp_path / f"{title}.toml")],
                 ["run", str(toml), "--outdir", str(tmp_path / title)]):
        code, _out, err = run_main(argv, capsys)
        assert code == 2, (argv, err)
        assert "internal error" not in err and "Errno" not in err, err
        assert len(err.strip().splitlines()) == 1, err
        assert "the name is too long for the file system (at most 255 bytes" in err, err


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs mounts are a Linux test")
def test_an_up_to_date_pipeline_on_a_read_only_outdir_has_nothing_to_do(tmp_path, capsys):
    # the outputs published on a read-only mount (a snapshot, a share) and the morning's cron
    # line checking them: every stage up to date, yet exit 2 "cannot create the run lock
    # there: Read-only file system"; a run with work to do is still refused
    (tmp_path / "panel.csv").write_text(_panel({"KZ-71": "Астана", "KZ-75": "Алматы"}),
                                        encoding="utf-8")
    toml = tmp_path / "p.toml"
    toml.write_text('[[stage]]\nname = "ingest"\ninputs = ["panel.csv"]\noutput = "c.parquet"\n',
                    encoding="utf-8")
    with _tmpfs(tmp_path / "share", "size=4m") as share:
        outdir = share / "out"
        run_ok(["run", str(toml), "--outdir", str(outdir)], capsys)
        subprocess.run(["mount", "-o", "remount,ro", str(share)], check=True)
        code, _out, err = run_main(["run", str(toml), "--outdir", str(outdir), "--log-json"], capsys)
        assert code == 0, err
        assert '"stage": "ingest", "status": "skipped"' in err
        assert "nothing to do: every stage is up to date" in err
        code, _out, err = run_main(["run", str(toml), "--outdir", str(outdir), "--force"], capsys)
        assert code == 2, err
        assert err == (f"clusterid: error: {outdir}: cannot create the run lock there: "
                       "Read-only file system\n")


def test_dollar_signs_in_names_are_text_in_the_charts(tmp_path, capsys):
    # matplotlib reads a pair of $ as TeX: a cluster named "$$" stopped the HTML report with
    # "internal error: ValueError: ParseException", and "$\frac{1}$" in a region name either
    # failed the same way or was typeset as math instead of shown as written
    src = tmp_path / "panel.csv"
    src.write_text(_panel({"KZ-71": r"Astana $\frac{1}$ city", "KZ-75": "Almaty $^$",
                           "KZ-35": "Қарағанды облысы"}), encoding="utf-8")
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster,cluster_name\n311,1,Food $5 $10\n312,1,Food $5 $10\n"
                    "321,2,$$\n322,2,$$\n", encoding="utf-8")
    run_ok(["detect", str(src), "-o", str(tmp_path / "detect"), "--definitions", str(defs)], capsys)
    out = tmp_path / "report.html"
    code, _out, err = run_main(["report", str(tmp_path / "detect"), "-o", str(out)], capsys)
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert ">$$ (2)</text>" in html  # the bar chart's label, as written
    assert ">Food $5 $10 (1)</text>" in html
    assert "Cluster portfolio — Almaty $^$ (orange: strong)</text>" in html


def test_a_name_the_chart_font_lacks_leaves_stderr_quiet(tmp_path, capsys):
    # a Chinese or emoji region name: the SVG keeps it as text for the browser's fonts, and
    # matplotlib's "UserWarning: Glyph 38463 (...) missing from font(s) DejaVu Sans" came on
    # stderr two lines a letter, into the scheduler's mail
    import warnings

    folder = _detect(tmp_path, capsys, {"KZ-71": "阿斯塔纳 🏙", "KZ-75": "Алматы",
                                        "KZ-35": "ქუთაისი"})
    out = tmp_path / "report.html"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning shown to the user fails the test
        code, _out, err = run_main(["report", str(folder), "-o", str(out)], capsys)
    assert code == 0, err
    assert "Warning" not in err and "Glyph" not in err, err
    assert err.startswith("wrote ") and len(err.splitlines()) == 1, err
    assert "阿斯塔纳 🏙" in out.read_text(encoding="utf-8")


def test_an_option_value_no_command_line_takes_is_refused_before_the_first_stage(tmp_path,
                                                                                capsys):
    # benchmark = 5 and period = [[2020]] were passed on ("--benchmark 5", "--period '[2020]'")
    # and refused by lq after ingest had run; a table or a date the same way
    (tmp_path / "panel.csv").write_text(_panel({"KZ-71": "Астана", "KZ-75": "Алматы"}),
                                        encoding="utf-8")
    toml = tmp_path / "p.toml"
    toml.write_text('[[stage]]\nname = "ingest"\ninputs = ["panel.csv"]\noutput = "c.parquet"\n'
                    '[[stage]]\nname = "lq"\ninputs = ["@ingest"]\noutput = "lq.csv"\n'
                    'options = { benchmark = 5, period = [[2020]] }\n', encoding="utf-8")
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 2, err
    assert err.splitlines() == [
        f"clusterid: error: {toml}:9: stage 'lq': option period: not a value a command-line "
        "option takes (expected a text, a number, true/false, or a list of them, found "
        "'[[2020]]')",
        f"clusterid: error: {toml}:9: stage 'lq': option benchmark: not a file name (expected a "
        "path in quotes or a keyword such as \"sum\", found '5')"]
    assert not (tmp_path / "out").exists()  # ingest did not run
    # TOML's nan and inf: no option takes them, and lq refused threshold = nan after ingest
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "benchmark = 5, period = [[2020]]", "threshold = nan"), encoding="utf-8")
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 2, err
    assert err == (f"clusterid: error: {toml}:9: stage 'lq': option threshold: not a finite "
                   "number (expected a finite number, found 'nan')\n")
    assert not (tmp_path / "out").exists()


def test_a_region_keyed_by_its_name_is_named_once(tmp_path, capsys):
    # a national office's table keyed by oblast names (no codes, as stat.gov.kz publishes):
    # every region's heading said its name twice, "### г.Алматы (г.Алматы)"
    src = tmp_path / "oblasts.csv"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["region", "industry", "period", "employment"])
    for r, name in enumerate(["г.Алматы", "Қарағанды облысы", "Атырау облысы"]):
        for i, industry in enumerate(["311", "312", "321", "322"]):
            w.writerow([name, industry, 2021, 40 + (r * 53 + i * 29) % 300])
    src.write_text(buf.getvalue(), encoding="utf-8")
    (tmp_path / "defs.csv").write_text(DEFINITIONS, encoding="utf-8")
    run_ok(["detect", str(src), "-o", str(tmp_path / "detect"), "--definitions",
            str(tmp_path / "defs.csv")], capsys)
    run_ok(["report", str(tmp_path / "detect"), "-o", str(tmp_path / "r.md")], capsys)
    run_ok(["report", str(tmp_path / "detect"), "-o", str(tmp_path / "r.html")], capsys)
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "### г.Алматы\n" in md and "(г.Алматы)" not in md
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<summary>Қарағанды облысы</summary>" in html and "(Қарағанды облысы)" not in html


def test_the_log_counts_rows_not_lines_of_a_csv_with_a_quoted_line_break(tmp_path, capsys):
    # --log-json's rows (and the state's) counted line breaks: a region name over two lines
    # made ingest's 24 rows 32 and detect's regional_clusters.csv 12 rows 16
    (tmp_path / "panel.csv").write_text(_panel({"KZ-71": "Астана\nқаласы", "KZ-75": "Алматы",
                                                "KZ-35": "Қарағанды облысы"}), encoding="utf-8")
    (tmp_path / "defs.csv").write_text(DEFINITIONS, encoding="utf-8")
    toml = tmp_path / "p.toml"
    toml.write_text('[[stage]]\nname = "ingest"\ninputs = ["panel.csv"]\noutput = "c.csv"\n'
                    '[[stage]]\nname = "detect"\ninputs = ["@ingest"]\noutput = "detect"\n'
                    'options = { definitions = "defs.csv" }\n', encoding="utf-8")
    _out, err = run_ok(["--quiet", "run", str(toml), "--log-json"], capsys)
    import json

    events = {e["stage"]: e for e in map(json.loads, err.splitlines())}
    out = tmp_path / "out"

    def records(path: Path) -> int:
        return len(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))) - 1

    assert events["ingest"]["rows"] == records(out / "c.csv") == 24
    files = events["detect"]["files"]
    assert files["regional_clusters.csv"] == records(out / "detect" / "regional_clusters.csv")
    assert files["region_summary.csv"] == records(out / "detect" / "region_summary.csv") == 6


def test_a_bad_cell_after_a_quoted_line_break_is_named_at_its_line(tmp_path, capsys):
    # the report located a bad number by its record (index + 2): after a name over two lines
    # it named the line above the one holding the cell
    folder = _detect(tmp_path, capsys, {"KZ-71": "Астана\nқаласы", "KZ-75": "Алматы"})
    table = folder / "regional_clusters.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    col = header.index("lq")
    last = lines[-1].rstrip("\n").split(",")  # Алматы's, on one line, after Астана's records
    last[col] = "2x"
    lines[-1] = ",".join(last) + "\n"
    table.write_text("".join(lines), encoding="utf-8")
    code, _out, err = run_main(["report", str(folder), "-o", str(tmp_path / "r.md")], capsys)
    assert code == 1, err
    assert f"regional_clusters.csv:{len(lines)}: column 'lq': not a number" in err, err


def test_an_output_given_in_args_is_refused_before_the_stage(tmp_path, capsys):
    # args = ["-o", "elsewhere.csv"]: the command took the later -o, wrote there, and the run
    # failed after the work ("stage 'ingest' did not write out/c.csv") with the file left
    (tmp_path / "panel.csv").write_text(_panel({"KZ-71": "Астана"}), encoding="utf-8")
    toml = tmp_path / "p.toml"
    for args in ('["-o", "elsewhere.csv"]', '["--output=elsewhere.csv"]'):
        toml.write_text('[[stage]]\nname = "ingest"\ninputs = ["panel.csv"]\noutput = "c.csv"\n'
                        f'args = {args}\n', encoding="utf-8")
        code, _out, err = run_main(["run", str(toml)], capsys)
        assert code == 2, err
        assert err.startswith(f"clusterid: error: {toml}:5: stage 'ingest': give the output as "
                              "the stage's 'output', not in 'args'"), err
        assert sorted(p.name for p in tmp_path.iterdir()) == ["p.toml", "panel.csv"]
    # an option of another name is still passed on
    toml.write_text('[[stage]]\nname = "ingest"\ninputs = ["panel.csv"]\noutput = "c.csv"\n'
                    'args = ["--ownership", "total"]\n', encoding="utf-8")
    run_ok(["run", str(toml)], capsys)

    # args = ["--help"]: the command printed its help on stdout and the run said "stage
    # 'ingest': 0", as options = { help = true } did before it was named
    toml.write_text('[[stage]]\nname = "ingest"\ninputs = ["panel.csv"]\noutput = "c2.csv"\n'
                    'args = ["--help"]\n', encoding="utf-8")
    code, out, err = run_main(["run", str(toml), "--dry-run"], capsys)
    assert code == 2, err
    assert err == (f"clusterid: error: {toml}:5: stage 'ingest': --help asks for the command's "
                   "help, which a pipeline stage cannot show; remove it from the args\n")
    assert out == ""
