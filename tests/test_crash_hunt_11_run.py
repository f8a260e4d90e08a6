"""Crash hunt 11: `clusterid run` and `clusterid report` as a scheduled job meets them.

A full disk under a Parquet output, a read-only output folder, SIGTERM from a scheduler, a
pipeline checked with --dry-run in CI, and a detect folder whose metadata.json has fields of
another shape.
"""

from __future__ import annotations

import json
import shutil
import signal
import sys
import textwrap
from pathlib import Path

import pytest

from clusterid import pipeline as pl
from clusterid.errors import OutputError
from conftest import run_main, run_ok
from test_faults import _tmpfs

ROOT = Path(__file__).resolve().parents[1]
DETECT_FIXTURE = ROOT / "tests" / "data" / "report" / "detect"
PANEL = "region,industry,year,employment\n" + "".join(
    f"R{r},{ind},2016,{(r * 37 + i * 11) % 200 + 5}\n"
    for r in range(8) for i, ind in enumerate(["311", "312", "313", "314", "315", "316", "321", "322"]))


def _fill(folder: Path) -> None:
    """Write zeros into ``folder`` until its file system has no byte left."""
    with open(folder / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs mounts are a Linux test")
@pytest.mark.parametrize("command", ["ingest", "lq"])
def test_a_full_disk_under_a_parquet_output_is_said_so_exit_2(command, tmp_path, capsys):
    # polars reports ENOSPC as a ComputeError "(os error 28)", not an OSError: ingest said
    # "internal error: ComputeError ...", and lq on a Parquet input blamed its *input*:
    # "canonical.parquet: not a readable Parquet file (corrupt data ...)", exit 1
    src = tmp_path / "panel.csv"
    src.write_text(PANEL)
    if command == "lq":
        run_ok(["ingest", str(src), "-o", str(tmp_path / "canonical.parquet")], capsys)
        src = tmp_path / "canonical.parquet"
    with _tmpfs(tmp_path / "full", "size=64k") as full:
        _fill(full)
        out = full / "out.parquet"
        code, _out, err = run_main([command, str(src), "-o", str(out)], capsys)
        assert code == 2, err
        last = err.strip().splitlines()[-1]
        assert last == f"clusterid: error: {out}: cannot write output: the disk is full", err
        assert "corrupt" not in err and "internal error" not in err
        assert sorted(p.name for p in full.iterdir()) == ["filler"]


def _one_stage(tmp_path: Path) -> Path:
    (tmp_path / "raw.txt").write_text("raw\n")
    toml = tmp_path / "pipeline.toml"
    toml.write_text('[pipeline]\noutdir = "out"\n[[stage]]\nname = "ingest"\n'
                    'inputs = ["raw.txt"]\noutput = "a.txt"\n')
    return toml


def test_a_failed_stage_keeps_its_own_error_when_the_state_cannot_be_written(tmp_path, monkeypatch):
    # a read-only outdir fails the stage's output and then the state file: the second error
    # ("out/.clusterid-run.json: cannot write output") replaced the stage's own, and the
    # line "stage 'ingest' failed (exit 2)" with it
    pipe = pl.load_pipeline(_one_stage(tmp_path))

    def execute(stage):
        raise pl.StageFailed(stage.name, 2, [f"{stage.output}: cannot write output: permission denied"])

    def no_state(pipeline, state):
        raise OutputError(f"{pipeline.state_path}: cannot write output: permission denied")

    monkeypatch.setattr(pl, "write_state", no_state)
    events = []
    with pytest.raises(pl.StageFailed) as err:
        pl.run_pipeline(pipe, execute, log=events.append)
    assert "stage 'ingest' failed (exit 2)" in err.value.lines()[-1]
    assert [(e["status"], e["exit_code"]) for e in events] == [("failed", 2)]


def test_sigterm_is_logged_with_the_exit_code_the_run_leaves_with(tmp_path):
    # a scheduler's SIGTERM exits 143 (128 + 15), but the JSON log said exit_code 130
    from clusterid.cli.app import Interrupted

    pipe = pl.load_pipeline(_one_stage(tmp_path))

    def execute(stage):
        raise Interrupted(signal.SIGTERM)

    events = []
    with pytest.raises(Interrupted):
        pl.run_pipeline(pipe, execute, log=events.append)
    assert [(e["status"], e["exit_code"]) for e in events] == [("failed", 128 + signal.SIGTERM)]


def test_sigterm_exit_code_is_documented():
    from clusterid.cli.run import HELP

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "143" in HELP and "SIGTERM" in HELP
    assert "| 143 |" in readme


def _report_pipeline(tmp_path: Path, options: str) -> Path:
    shutil.copytree(DETECT_FIXTURE, tmp_path / "detect")
    toml = tmp_path / "pipeline.toml"
    toml.write_text(textwrap.dedent(f"""
        [pipeline]
        outdir = "out"

        [[stage]]
        name = "report"
        inputs = ["detect"]
        output = "report.md"
        options = {options}
    """))
    return toml


def test_dry_run_checks_the_stages_options(tmp_path, capsys):
    # a CI job checking a pipeline edit with --dry-run got exit 0 and a plan for a misspelt
    # option; the scheduled run then failed on it
    toml = _report_pipeline(tmp_path, "{ top_regoins = 3 }")
    code, out, err = run_main(["run", str(toml), "--dry-run"], capsys)
    assert code == 2, err
    assert "stage 'report': No such option: --top-regoins (Possible options: --top-regions)" in err
    assert out == ""
    assert not (tmp_path / "out").exists()


def test_dry_run_of_a_good_pipeline_still_prints_the_plan(tmp_path, capsys):
    toml = _report_pipeline(tmp_path, "{ top_regions = 3 }")
    code, out, err = run_main(["run", str(toml), "--dry-run"], capsys)
    assert code == 0, err
    assert out.startswith("run  report  never run\n")


@pytest.mark.parametrize("field", [
    '"options": [1]', '"options": "x"', '"inputs": 5', '"inputs": null',
    '"input": {"ingest": {"inputs": 5}}'])
@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_report_on_metadata_fields_of_another_shape(field, fmt, tmp_path, capsys):
    # valid JSON whose options or inputs are not what detect writes: internal error, exit 2
    folder = tmp_path / "detect"
    shutil.copytree(DETECT_FIXTURE, folder)
    (folder / "metadata.json").write_text("{" + field + "}\n")
    out = tmp_path / f"report.{fmt}"
    run_ok(["report", str(folder), "-o", str(out)], capsys)
    assert out.stat().st_size > 0


def test_report_names_a_file_detect_wrote_that_is_gone_as_missing(tmp_path, capsys):
    # a partly copied detect folder (region_summary.csv not there): stderr said the file
    # "differ[s] from the checksums detect recorded (edited since?)" and the Markdown report
    # "edited since detect wrote them: region_summary.csv"; the file was not edited but is gone
    folder = tmp_path / "detect"
    shutil.copytree(DETECT_FIXTURE, folder)
    (folder / "region_summary.csv").unlink()
    out = tmp_path / "report.md"
    _out, err = run_ok(["report", str(folder), "-o", str(out)], capsys)
    assert "report: region_summary.csv, which detect wrote, is missing from the folder; " \
           "the report is made without it" in err, err
    assert "differ" not in err
    text = out.read_text(encoding="utf-8")
    assert "- missing from the folder, though detect wrote them: region_summary.csv" in text
    assert "edited since" not in text
    html = tmp_path / "report.html"
    run_ok(["report", str(folder), "-o", str(html)], capsys)
    assert "<td>region_summary.csv</td><td></td><td>missing from the folder</td>" in \
        html.read_text(encoding="utf-8").replace("<code>", "").replace("</code>", "")


@pytest.mark.parametrize("stage, message", [
    ('name = "report2"\ncommand = "report"\ninputs = ["detect"]\noutput = "r.html"\n'
     'options = { format = "pdf" }', "--format 'pdf'; expected one of html, md, json"),
    ('name = "ingest"\ninputs = ["raw.csv"]\noutput = "c.parquet"\noptions = { format = "qcwe" }',
     "--format 'qcwe'; expected one of auto, generic, qcew, cbp, eurostat, bea"),
    ('name = "ingest"\ninputs = ["raw.csv"]\noutput = "c.parquet"\noptions = { on_error = "skp" }',
     "--on-error 'skp'; expected one of fail, skip"),
    ('name = "ingest"\ninputs = ["raw.csv"]\noutput = "c.parquet"\noptions = { layout = "wdie" }',
     "--layout 'wdie'; expected one of auto, long, wide"),
    ('name = "stats"\ninputs = ["raw.csv"]\noutput = "s.json"\noptions = { output_format = "jsn" }',
     "--output-format 'jsn'; expected one of auto, table, csv, json"),
])
def test_a_misspelt_fixed_list_value_of_a_later_stage_stops_the_run_before_the_first(
        stage, message, tmp_path, capsys):
    # report's --format, ingest's --format/--on-error/--layout, stats' --output-format were
    # checked only when their stage ran, after every stage before it had
    toml = _report_pipeline(tmp_path, "{ top_regions = 3 }")
    (tmp_path / "raw.csv").write_text(PANEL)
    toml.write_text(toml.read_text() + "\n[[stage]]\n" + stage + "\n")
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 2, err
    assert message in err, err
    assert "[report]" not in err and not (tmp_path / "out").exists()


@pytest.mark.parametrize("stages", ['[]', 'null', '{"report": "x"}', '{"report": {"inputs": []}}'])
def test_a_state_file_of_another_shape_is_taken_for_no_state(stages, tmp_path, capsys):
    # valid JSON with the right version but stages (or a stage's record) of another shape
    # (a hand edit, a sync tool's merge): every run, --dry-run too, stopped with "internal
    # error: AttributeError", so a cron job failed each morning until someone deleted the file
    toml = _report_pipeline(tmp_path, "{ top_regions = 3 }")
    run_ok(["run", str(toml)], capsys)
    state = tmp_path / "out" / pl.STATE_NAME
    record = json.loads(state.read_text())["stages"]["report"]
    if stages.startswith('{"report": {'):  # the record as written, but for its inputs
        stages = json.dumps({"report": {**record, "inputs": []}})
    state.write_text('{"version": %d, "stages": %s}\n' % (pl.STATE_VERSION, stages))
    out, _err = run_ok(["run", str(toml), "--dry-run"], capsys)
    assert out.startswith("run  report  ")
    _out, err = run_ok(["run", str(toml), "--log-json"], capsys)
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert [e["status"] for e in events] == ["run"]
    _out, err = run_ok(["run", str(toml)], capsys)
    assert "nothing to do" in err


def test_lock_wait_nan_is_a_usage_error(tmp_path, capsys):
    # `--lock-wait nan` passed the `< 0` check and, with the lock held, ended in "internal
    # error: ValueError: timeout must be a number of seconds, not nan"
    toml = _report_pipeline(tmp_path, "{ top_regions = 3 }")
    code, _out, err = run_main(["run", str(toml), "--lock-wait", "nan"], capsys)
    assert code == 2, err
    assert err == "clusterid: error: --lock-wait must be >= 0 seconds, got nan\n"
    assert not (tmp_path / "out").exists()


def test_an_empty_log_file_path_is_refused(tmp_path, capsys):
    # `--log-file "$LOG"` with LOG unset: the JSON lines went nowhere and the run said nothing,
    # as `-o ''` is refused for every command's output
    toml = _report_pipeline(tmp_path, "{ top_regions = 3 }")
    code, _out, err = run_main(["run", str(toml), "--log-file", ""], capsys)
    assert code == 2, err
    assert err == ("clusterid: error: --log-file '': an empty path (an unset shell variable?); "
                   "give a file name\n")
    assert not (tmp_path / "out").exists()


def test_an_empty_outdir_is_refused(tmp_path, capsys, monkeypatch):
    # `--outdir "$OUT"` with OUT unset: the outputs, state and lock went into the working
    # directory (a cron job's: $HOME)
    toml = _report_pipeline(tmp_path, "{ top_regions = 3 }")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    for extra in ([], ["--dry-run"]):
        code, out, err = run_main(["run", str(toml), "--outdir", "", *extra], capsys)
        assert code == 2, err
        assert err == ("clusterid: error: --outdir '': an empty path (an unset shell variable?); "
                       "give a folder, or leave the option out for [pipeline] outdir\n")
        assert out == ""
    assert list(cwd.iterdir()) == []


@pytest.mark.parametrize("sep", [";", "\t"])
def test_report_on_a_table_resaved_with_another_separator_says_so(sep, tmp_path, capsys):
    # cluster names edited in a spreadsheet set to German or Russian conventions and saved
    # as CSV: ';' between fields, decimal commas; the report said "not a readable CSV file
    # (found "found more fields than defined in 'Schema'")", with no line and no cause
    import csv

    folder = tmp_path / "detect"
    shutil.copytree(DETECT_FIXTURE, folder)
    path = folder / "cluster_summary.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=sep).writerows([[c.replace(".", ",") for c in r] for r in rows])
    code, _out, err = run_main(["report", str(folder), "-o", str(tmp_path / "r.md")], capsys)
    assert code == 1, err
    shown = {";": "';'", "\t": "a tab"}[sep]
    assert err.startswith(f"clusterid: error: {path}:1: fields separated by {shown}, not commas "
                          "(expected comma-separated CSV, as detect writes it, found 'cluster_id"), err
    assert "; a spreadsheet's re-save? Save it as CSV with commas" in err
    assert not (tmp_path / "r.md").exists()


def test_a_glob_input_that_matches_its_own_or_a_later_stages_output_is_refused(tmp_path, capsys):
    # outdir "." beside the raw files and inputs = ["*.csv"]: the first run worked, and every
    # run after it read canonical.csv and lq.csv as raw files too (exit 1, "lq.csv: the output
    # of `clusterid lq`, not a canonical table") -- a daily job failing from its second day
    (tmp_path / "a.csv").write_text(PANEL)
    toml = tmp_path / "pipeline.toml"
    toml.write_text('[pipeline]\noutdir = "."\n'
                    '[[stage]]\nname = "ingest"\ninputs = ["*.csv"]\noutput = "canonical.csv"\n'
                    '[[stage]]\nname = "lq"\ninputs = ["@ingest"]\noutput = "lq.csv"\n')
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert lines[0] == (f"clusterid: error: {toml}:3: stage 'ingest': input '*.csv' also matches the "
                        "output of stage 'ingest' (canonical.csv), which a later run would read as "
                        "input; keep the raw files in a folder of their own, or the outputs in "
                        "another outdir")
    assert "output of stage 'lq' (lq.csv)" in lines[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "pipeline.toml"]
    toml.write_text(toml.read_text().replace('outdir = "."', 'outdir = "out"'))
    run_ok(["run", str(toml)], capsys)
    _out, err = run_ok(["run", str(toml)], capsys)
    assert "nothing to do" in err


@pytest.mark.parametrize("stage, message", [
    ('name = "r2"\ncommand = "report"\ninputs = ["detect", "detect"]\noutput = "r2.md"',
     "14: stage 'r2': report reads one detect output folder (expected inputs = [\"FOLDER\"] or "
     "[\"@detect\"], found '2 inputs')"),
    ('name = "r2"\ncommand = "report"\ninputs = ["detect"]\noutput = "r2.md"\noptions = { "" = 1 }',
     "16: stage 'r2': an option without a name (expected options = { name = value })"),
    ('name = "r2"\ncommand = "report"\ninputs = ["det\\u0000ect"]\noutput = "r2.md"',
     "14: stage 'r2': a control character in a path (expected a file or folder name, found "
     "'det\\x00ect')"),
    ('name = "r2"\ncommand = "report"\ninputs = ["detect"]\noutput = "r2\\u0000.md"',
     "15: stage 'r2': a control character in a path (expected a file or folder name, found "
     "'r2\\x00.md')"),
])
def test_pipeline_file_mistakes_found_before_the_first_stage(stage, message, tmp_path, capsys):
    # two inputs to report, an option named "" (passed on as the end-of-options '--') were
    # found only when the stage ran, after the stages before it; a NUL in a path was
    # "internal error: ValueError: embedded null byte"
    toml = _report_pipeline(tmp_path, "{ top_regions = 3 }")
    toml.write_text(toml.read_text() + "\n[[stage]]\n" + stage + "\n")
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 2, err
    # the line of the key at fault (pipeline.toml:14 for inputs), as data errors are located
    assert f"clusterid: error: {toml}:{message}" in err, err
    assert "[report]" not in err and "internal error" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("body, message", [
    ('[pipeline]\noutdir = "o\\u0000"\n[[stage]]\nname = "report"\ninputs = ["detect"]\n'
     'output = "r.md"', "[pipeline]: 'outdir' is not a folder path"),
    ('[[stage]]\nname = "lq"\ninputs = ["detect"]\noutput = "l.csv"\n'
     'options = { benchmark = "b\\u0000.csv" }', "stage 'lq': option benchmark: a control character in a path"),
    ('[[stage]]\nname = "ingest"\ninputs = ["detect"]\noutput = "c.csv"\n'
     'options = { rejects = "r\\u0000.csv" }', "stage 'ingest': option rejects: a control character"),
])
def test_a_nul_in_outdir_or_a_file_option_is_a_usage_error(body, message, tmp_path, capsys):
    # "internal error: ValueError: embedded null byte" while the pipeline file was read
    (tmp_path / "detect").mkdir()
    toml = tmp_path / "pipeline.toml"
    toml.write_text(body + "\n")
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 2, err
    assert message in err and "internal error" not in err, err


def test_help_as_a_stage_option_is_named(tmp_path, capsys):
    # options = { help = true } was refused as "stage 'report': 0" (the help's exit code)
    toml = _report_pipeline(tmp_path, "{ help = true }")
    code, out, err = run_main(["run", str(toml), "--dry-run"], capsys)
    assert code == 2, err
    assert err == (f"clusterid: error: {toml}:9: stage 'report': --help asks for the command's "
                   "help, which a pipeline stage cannot show; remove it from the options\n")
    assert out == ""


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs mounts are a Linux test")
def test_a_log_file_on_a_full_disk_is_said_so(tmp_path, capsys):
    # the log file can be opened (checked before the run) but not appended to: "internal
    # error: OSError: [Errno 28] No space left on device"
    toml = _report_pipeline(tmp_path, "{ top_regions = 3 }")
    with _tmpfs(tmp_path / "logs", "size=64k") as logs:
        log = logs / "run.jsonl"
        log.touch()
        _fill(logs)
        code, _out, err = run_main(["run", str(toml), "--log-file", str(log)], capsys)
    assert code == 2, err
    assert err.strip().splitlines()[-1] == (
        f"clusterid: error: --log-file {log}: cannot append the log: the disk is full "
        "(stage 'report' was run and recorded)"), err
    assert (tmp_path / "out" / "report.md").exists()
