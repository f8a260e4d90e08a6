"""`clusterid run`: the pipeline file, what re-runs when, the lock, the JSON log, exit codes.

The scheduling logic is tested with a fake executor (fast, exact); the CLI with a one-stage
pipeline (`report` to Markdown, which needs no heavy imports); the real sample pipeline lives
in test_run_sample.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from clusterid import pipeline as pl
from clusterid.errors import InputFileError, UsageError

ROOT = Path(__file__).resolve().parents[1]
DETECT_FIXTURE = ROOT / "tests" / "data" / "report" / "detect"


@pytest.fixture
def cli(capsys, monkeypatch):
    """``clusterid ARGS`` in-process (:func:`conftest.run_here`), started in ``cwd`` when given:
    ``.returncode``, ``.stdout``, ``.stderr``.  The stages of a run execute in the runner's
    process either way; a process of its own cost each of these ~20 runs ~0.5 s of start-up.
    The tests of what only a second process shows (waiting for another run's lock, Ctrl-C)
    start one."""
    from conftest import run_here

    def _cli(*args, cwd=None):
        if cwd is not None:
            monkeypatch.chdir(cwd)
        return run_here(capsys, *args)

    return _cli


# ------------------------------------------------------------------ fake pipeline, exact logic

FAKE = """
[pipeline]
outdir = "out"

[[stage]]
name = "ingest"
inputs = ["raw_a.txt"]
output = "a.txt"
options = { format = "x" }

[[stage]]
name = "lq"
inputs = ["@ingest"]
output = "b.txt"
options = { threshold = 1.25 }

[[stage]]
name = "detect"
inputs = ["@lq", "raw_d.txt"]
output = "c"

[[stage]]
name = "report"
inputs = ["raw_e.txt"]
output = "e.txt"
"""


def fake_execute(calls):
    """Output = sha of (inputs' bytes, argv options): changes exactly when what it reads changes."""

    def execute(stage):
        calls.append(stage.name)
        h = hashlib.sha256()
        for p in stage.inputs:
            h.update(pl.fingerprint(p).encode())
        h.update(json.dumps(stage.options, sort_keys=True).encode())
        if stage.options.get("constant"):
            h = hashlib.sha256(b"constant")
        if stage.name == "detect":
            stage.output.mkdir(parents=True, exist_ok=True)
            (stage.output / "clusters.csv").write_text("industry,cluster_id\n1,a\n2,b\n")
            (stage.output / "digest.txt").write_text(h.hexdigest())
        else:
            stage.output.write_text("x\n" + h.hexdigest() + "\n")

    return execute


@pytest.fixture
def fake(tmp_path):
    (tmp_path / "pipeline.toml").write_text(FAKE)
    for name in ("raw_a.txt", "raw_d.txt", "raw_e.txt"):
        (tmp_path / name).write_text(name + "\n")
    return tmp_path


def run_fake(folder, **kw):
    calls: list[str] = []
    pipe = pl.load_pipeline(folder / "pipeline.toml")
    events = pl.run_pipeline(pipe, fake_execute(calls), **kw)
    return calls, events


def test_first_run_runs_everything_second_run_nothing(fake):
    calls, events = run_fake(fake)
    assert calls == ["ingest", "lq", "detect", "report"]
    assert [e["status"] for e in events] == ["run"] * 4
    calls, events = run_fake(fake)
    assert calls == []
    assert [e["reason"] for e in events] == ["up to date"] * 4
    # Row counts are kept for skipped stages: a.txt has a header and one row.
    assert events[0]["rows"] is None  # .txt is not a table
    assert events[2]["files"] == {"clusters.csv": 2, "digest.txt": None} or events[2]["files"] == {"clusters.csv": 2}


def test_changing_an_input_reruns_exactly_its_downstream_stages(fake):
    run_fake(fake)
    (fake / "raw_a.txt").write_text("new content\n")
    calls, _ = run_fake(fake)
    assert calls == ["ingest", "lq", "detect"]  # report reads raw_e only
    (fake / "raw_d.txt").write_text("changed\n")
    calls, _ = run_fake(fake)
    assert calls == ["detect"]
    (fake / "raw_e.txt").write_text("changed\n")
    calls, events = run_fake(fake)
    assert calls == ["report"]
    assert events[3]["reason"] == "input raw_e.txt changed"


def test_touch_without_content_change_runs_nothing(fake):
    run_fake(fake)
    later = time.time() + 100
    os.utime(fake / "raw_a.txt", (later, later))
    calls, _ = run_fake(fake)
    assert calls == []


def test_option_change_reruns_that_stage_and_downstream(fake):
    run_fake(fake)
    text = (fake / "pipeline.toml").read_text().replace("threshold = 1.25", "threshold = 2.0")
    (fake / "pipeline.toml").write_text(text)
    calls, events = run_fake(fake)
    assert calls == ["lq", "detect"]
    assert events[1]["reason"] == "options changed"


def test_upstream_rerun_with_identical_output_skips_downstream(fake):
    text = (fake / "pipeline.toml").read_text().replace('options = { format = "x" }',
                                                         'options = { format = "x", constant = true }')
    (fake / "pipeline.toml").write_text(text)
    run_fake(fake)
    (fake / "raw_a.txt").write_text("other\n")
    calls, _ = run_fake(fake)
    assert calls == ["ingest"]  # its output came out byte-identical, so lq stays up to date


def test_modified_or_deleted_output_reruns_only_that_stage(fake):
    run_fake(fake)
    (fake / "out" / "e.txt").write_text("hand edited\n")
    calls, events = run_fake(fake)
    assert calls == ["report"]
    assert events[3]["reason"] == "output e.txt modified"
    shutil.rmtree(fake / "out" / "c")
    calls, _ = run_fake(fake)
    assert calls == ["detect"]


def test_force_and_tool_version(fake, monkeypatch):
    run_fake(fake)
    calls, _ = run_fake(fake, force=True)
    assert calls == ["ingest", "lq", "detect", "report"]
    monkeypatch.setattr(pl, "__version__", "99.0")
    calls, events = run_fake(fake)
    assert calls == ["ingest", "lq", "detect", "report"]
    assert "99.0" in events[0]["reason"]


def test_failed_stage_stops_the_run_and_keeps_earlier_work(fake):
    run_fake(fake)
    (fake / "raw_a.txt").write_text("v2\n")
    pipe = pl.load_pipeline(fake / "pipeline.toml")
    calls: list[str] = []
    inner = fake_execute(calls)

    def failing(stage):
        if stage.name == "lq":
            raise pl.StageFailed("lq", 1, ["bad data"])
        inner(stage)

    with pytest.raises(pl.StageFailed):
        pl.run_pipeline(pipe, failing)
    assert calls == ["ingest"]
    calls2, events = run_fake(fake)
    assert calls2 == ["lq", "detect"]  # ingest's success was recorded; lq has no record


def test_plan_marks_downstream_of_stale_stages(fake):
    run_fake(fake)
    (fake / "raw_a.txt").write_text("v3\n")
    plan = pl.plan(pl.load_pipeline(fake / "pipeline.toml"))
    assert [(d.stage.name, d.run) for d in plan] == [("ingest", True), ("lq", True),
                                                      ("detect", True), ("report", False)]
    assert plan[1].reason.startswith("after ingest")


def test_argv_maps_options_to_cli_flags(fake):
    toml = textwrap.dedent("""
        [[stage]]
        name = "lq"
        inputs = ["raw_a.txt"]
        output = "lq.csv"
        options = { benchmark_region = "49000", threshold = 1.25, bls = true, ci = false, ownership = ["total", "private"] }
        args = ["--level", "6"]
    """)
    (fake / "p2.toml").write_text(toml)
    stage = pl.load_pipeline(fake / "p2.toml", outdir=fake / "o").stages[0]
    assert stage.argv() == ["lq", str((fake / "raw_a.txt").resolve()), "-o", str((fake / "o" / "lq.csv").resolve()),
                            "--benchmark-region", "49000", "--threshold", "1.25", "--bls",
                            "--ownership", "total", "--ownership", "private", "--level", "6"]


@pytest.mark.parametrize("body, message", [
    ("[[stage]]\nname='x'\ninputs=['a']\noutput='o'\n", "unknown command"),
    ("[[stage]]\nname='lq'\ninputs=['@nope']\noutput='o'\n", "names no earlier stage"),
    ("[[stage]]\nname='lq'\ninputs=['a']\n", "missing 'output'"),
    ("[[stage]]\nname='lq'\ninputs=['a']\noutput='o'\n[[stage]]\nname='lq'\ninputs=['a']\noutput='p'\n",
     "used twice"),
    ("[[stage]]\nname='lq'\ninputs=['a']\noutput='o'\ncolour='red'\n", "unknown keys"),
    ("[pipeline]\n", "no stages"),
    ("[[stage]\n", "not valid TOML"),
])
def test_bad_pipeline_files_are_usage_errors(tmp_path, body, message):
    (tmp_path / "p.toml").write_text(body)
    with pytest.raises(UsageError) as err:
        pl.load_pipeline(tmp_path / "p.toml")
    assert message in "\n".join(err.value.lines())


def test_missing_pipeline_file(tmp_path):
    with pytest.raises(InputFileError):
        pl.load_pipeline(tmp_path / "nope.toml")


# ------------------------------------------------------------------ the CLI, one real stage

def report_pipeline(tmp_path) -> Path:
    shutil.copytree(DETECT_FIXTURE, tmp_path / "detect")
    (tmp_path / "pipeline.toml").write_text(textwrap.dedent("""
        [pipeline]
        outdir = "out"

        [[stage]]
        name = "report"
        inputs = ["detect"]
        output = "report.md"
        options = { top_regions = 3 }
    """))
    return tmp_path / "pipeline.toml"


def test_cli_run_then_skip_with_json_log(tmp_path, cli):
    toml = report_pipeline(tmp_path)
    first = cli("run", str(toml), "--log-json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""  # data-free command: stdout stays empty
    events = [json.loads(line) for line in first.stderr.splitlines() if line.startswith("{")]
    assert [(e["stage"], e["status"]) for e in events] == [("report", "run")]
    assert events[0]["seconds"] >= 0
    assert (tmp_path / "out" / "report.md").read_text().startswith("# Industry clusters report")
    second = cli("run", str(toml), "--log-json")
    assert second.returncode == 0, second.stderr
    events = [json.loads(line) for line in second.stderr.splitlines() if line.startswith("{")]
    assert [(e["stage"], e["status"], e["reason"]) for e in events] == [("report", "skipped", "up to date")]
    assert "nothing to do" in second.stderr


def test_cli_log_file_and_dry_run(tmp_path, cli):
    toml = report_pipeline(tmp_path)
    log = tmp_path / "run.log"
    dry = cli("run", str(toml), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("run  report  never run\n")
    assert "clusterid report" in dry.stdout
    assert not (tmp_path / "out" / "report.md").exists()
    res = cli("run", str(toml), "--log-file", str(log))
    assert res.returncode == 0
    assert json.loads(log.read_text().splitlines()[0])["status"] == "run"
    dry = cli("run", str(toml), "--dry-run")
    assert dry.stdout.startswith("skip report  up to date\n")
    (tmp_path / "detect" / "clusters.csv").write_text(
        (tmp_path / "detect" / "clusters.csv").read_text().replace("Aircraft Manufacturing", "Aircraft"))
    dry = cli("run", str(toml), "--dry-run")
    assert dry.stdout.startswith("run  report  input detect changed: clusters.csv edited\n")


def test_cli_outdir_override(tmp_path, cli):
    toml = report_pipeline(tmp_path)
    res = cli("run", str(toml), "--outdir", "elsewhere", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "elsewhere" / "report.md").exists()
    assert (tmp_path / "elsewhere" / pl.STATE_NAME).exists()


def test_cli_lock_no_wait_exits_75_and_lock_wait_times_out(tmp_path, cli):
    from filelock import FileLock

    toml = report_pipeline(tmp_path)
    (tmp_path / "out").mkdir()
    lock = FileLock(str(tmp_path / "out" / pl.LOCK_NAME))
    with lock:
        res = cli("run", str(toml), "--no-wait")
        assert res.returncode == 75
        assert "another `clusterid run` is writing to" in res.stderr
        assert not (tmp_path / "out" / "report.md").exists()
        start = time.perf_counter()
        res = cli("run", str(toml), "--lock-wait", "0.5")
        assert res.returncode == 75
        assert "gave up after waiting 0.5 s" in res.stderr
        assert time.perf_counter() - start >= 0.5
    res = cli("run", str(toml), "--no-wait")
    assert res.returncode == 0, res.stderr


def test_cli_second_run_waits_for_the_first(tmp_path):
    from filelock import FileLock

    toml = report_pipeline(tmp_path)
    (tmp_path / "out").mkdir()
    lock = FileLock(str(tmp_path / "out" / pl.LOCK_NAME))
    lock.acquire()
    err_file = tmp_path / "stderr.txt"
    with open(err_file, "w") as err_fh:
        proc = subprocess.Popen([sys.executable, "-m", "clusterid", "run", str(toml)],
                                stdout=subprocess.DEVNULL, stderr=err_fh)
        deadline = time.monotonic() + 60
        while "waiting for another clusterid run" not in err_file.read_text():
            assert proc.poll() is None, err_file.read_text()  # it must wait, not exit
            assert time.monotonic() < deadline, "the second run never reported waiting"
            time.sleep(0.1)
        time.sleep(0.3)
        assert proc.poll() is None  # still waiting
        assert not (tmp_path / "out" / "report.md").exists()
        lock.release()
        proc.wait(timeout=60)
    assert proc.returncode == 0, err_file.read_text()
    assert (tmp_path / "out" / "report.md").exists()


def test_cli_failing_stage_exit_code_and_message(tmp_path, cli):
    toml = report_pipeline(tmp_path)
    (tmp_path / "detect" / "regional_clusters.csv").write_text("period,region,lq\n2016,49001,abc\n")
    res = cli("run", str(toml), "--log-json")
    assert res.returncode == 1, res.stderr
    assert "regional_clusters.csv:2: column 'lq': not a number" in res.stderr
    assert "stage 'report' failed (exit 1)" in res.stderr
    events = [json.loads(line) for line in res.stderr.splitlines() if line.startswith("{")]
    assert events[-1]["status"] == "failed" and events[-1]["exit_code"] == 1


def test_cli_bad_option_is_found_before_any_stage_runs(tmp_path, cli):
    toml = report_pipeline(tmp_path)
    toml.write_text(toml.read_text() + textwrap.dedent("""
        [[stage]]
        name = "report_json"
        command = "report"
        inputs = ["detect"]
        output = "report.json"
        options = { no_such_option = 3 }
    """))
    res = cli("run", str(toml))
    assert res.returncode == 2
    assert "stage 'report_json': No such option: --no-such-option" in res.stderr
    assert not (tmp_path / "out" / "report.md").exists()  # the good first stage did not run either


def test_cli_contradicting_lock_options(tmp_path, cli):
    toml = report_pipeline(tmp_path)
    res = cli("run", str(toml), "--no-wait", "--lock-wait", "3")
    assert res.returncode == 2
    assert "--no-wait and --lock-wait contradict each other" in res.stderr


def test_cli_unwritable_outdir_is_exit_2(tmp_path, cli):
    toml = report_pipeline(tmp_path)
    (tmp_path / "a_file").write_text("not a folder\n")  # works as root too, unlike chmod
    res = cli("run", str(toml), "--outdir", str(tmp_path / "a_file" / "out"))
    assert res.returncode == 2
    assert "cannot create the run lock there" in res.stderr
    assert "Traceback" not in res.stderr


def test_stdout_output_is_rejected_in_a_pipeline(tmp_path):
    (tmp_path / "p.toml").write_text("[[stage]]\nname='ingest'\ninputs=['a']\noutput='-'\n")
    with pytest.raises(UsageError) as err:
        pl.load_pipeline(tmp_path / "p.toml")
    assert "'output' cannot be stdout" in "\n".join(err.value.lines())


def test_a_project_moved_as_a_whole_stays_up_to_date(fake, tmp_path_factory):
    run_fake(fake)
    moved = tmp_path_factory.mktemp("moved") / "project"
    shutil.copytree(fake, moved)
    calls, events = run_fake(moved)
    assert calls == []
    state = json.loads((moved / "out" / pl.STATE_NAME).read_text())
    assert state["stages"]["ingest"]["argv"] == ["ingest", "../raw_a.txt", "-o", "a.txt", "--format", "x"]
    assert str(fake) not in json.dumps(state)


# clusterid's entry point with one addition: the HTML report stage, once its report is built,
# says so on stdout and waits for a line on stdin -- the test's signal arrives inside the stage,
# at a point it knows, with no timing
MARKED_REPORT_RUN = """
import os, sys
from clusterid.entry import main, set_environment
set_environment()
import clusterid.report.html as module
render = module.render_html
def render_html(report):
    os.write(1, b"inside the stage\\n")
    sys.stdin.readline()
    return render(report)
module.render_html = render_html
main()
"""


def test_cli_interrupted_stage_exits_130_and_leaves_no_half_output(tmp_path, cli):
    import signal

    shutil.copytree(DETECT_FIXTURE, tmp_path / "detect")
    (tmp_path / "pipeline.toml").write_text(
        '[pipeline]\noutdir = "out"\n[[stage]]\nname = "report"\ninputs = ["detect"]\noutput = "report.html"\n')
    err_file = tmp_path / "stderr.txt"
    with open(err_file, "w") as err_fh:
        # (it slept 0.5 s after the stage began, on a 3000-region report that had to be
        # still running then: a fast machine could finish it first)
        proc = subprocess.Popen([sys.executable, "-c", MARKED_REPORT_RUN, "run",
                                 str(tmp_path / "pipeline.toml"), "--log-json"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err_fh)
        said = proc.stdout.readline()
        assert said == b"inside the stage\n", err_file.read_text()
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=120)
    err = err_file.read_text()
    assert proc.returncode == 130, err
    assert "interrupted" in err
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert events[-1]["status"] == "failed" and events[-1]["exit_code"] == 130
    out = tmp_path / "out"
    # no half file, and (a first run that finished nothing) no folder holding only its lock
    # and a state of nothing: the run removes what it created
    assert not out.exists()
    dry = cli("run", str(tmp_path / "pipeline.toml"), "--dry-run")
    assert dry.stdout.startswith("run  report  never run")  # nothing recorded for the stage


def test_two_pipelines_sharing_an_outdir_keep_their_own_records(fake):
    """A monthly and a quarterly pipeline writing into one outdir: the state held the records
    of whichever ran last, so each run of one re-ran every stage of the other.  Each keeps
    its own now, under its file's name."""
    second = FAKE.replace('name = "ingest"', 'name = "ingest"', 1).replace(
        'output = "a.txt"', 'output = "a2.txt"').replace('output = "b.txt"', 'output = "b2.txt"').replace(
        'output = "c"', 'output = "c2"').replace('output = "e.txt"', 'output = "e2.txt"').replace(
        "threshold = 1.25", "threshold = 2.0")
    (fake / "quarterly.toml").write_text(second)

    def run_other():
        calls: list[str] = []
        pl.run_pipeline(pl.load_pipeline(fake / "quarterly.toml"), fake_execute(calls))
        return calls

    assert run_fake(fake)[0] == ["ingest", "lq", "detect", "report"]
    assert run_other() == ["ingest", "lq", "detect", "report"]  # same stage names, own outputs
    assert run_fake(fake)[0] == []  # was: every stage again
    assert run_other() == []
    state = json.loads((fake / "out" / pl.STATE_NAME).read_text())
    assert state["pipeline"] == "../quarterly.toml"
    assert set(state["others"]) == {"../pipeline.toml"}
    assert state["stages"]["lq"]["argv"][-2:] == ["--threshold", "2.0"]
    # a change to one pipeline's input re-runs its stages only
    (fake / "raw_e.txt").write_text("changed\n")
    assert run_fake(fake)[0] == ["report"]
    assert run_other() == ["report"]
    assert run_fake(fake)[0] == []


def test_a_state_written_before_pipelines_were_named_is_read_as_this_pipelines(fake):
    run_fake(fake)
    path = fake / "out" / pl.STATE_NAME
    state = json.loads(path.read_text())
    path.write_text(json.dumps({"version": state["version"], "stages": state["stages"]}))
    assert run_fake(fake)[0] == []
