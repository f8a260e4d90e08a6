"""impute, detect, report, run, stats, indices and shift-share on inputs a user would plausibly
run and the project was not tuned on: failed pipelines (what they leave behind), definitions
naming parts of NACE aggregates, cluster wages over suppressed cells, one-region / one-industry /
one-period tables.  Numbers are checked against a plain recomputation in this file (METHODS.md),
never against the tool's own output.
"""

from __future__ import annotations

import os
import textwrap

import pytest

from conftest import TEST_DATA, run_main

DATA = TEST_DATA / "unseen8s"
BEAVER = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"


# ------------------------------------------------------------------ run: a failed run's debris

def _pipeline(folder, outdir: str, stages: str):
    toml = folder / "pipeline.toml"
    toml.write_text(f'[pipeline]\noutdir = "{outdir}"\n' + textwrap.dedent(stages))
    return toml


def _tree(folder) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


INGEST_OK = """
    [[stage]]
    name = "ingest"
    inputs = ["beaver.csv"]
    output = "tables/canonical.csv"
    options = { format = "qcew" }
"""


@pytest.mark.parametrize("case", ["missing input", "bad data", "bad option",
                                  "later stage fails", "existing folder"])
def test_failed_run_leaves_no_debris_it_created(tmp_path, capsys, case):
    """A first `clusterid run` that failed left its output folder behind holding only
    .clusterid-run.lock (a missing raw file: found after the lock was taken) or the lock and a
    state file recording nothing (bad data in stage 1), and the empty folders of stage outputs
    it never wrote.  Now: one located error, a non-zero exit, and nothing the run created is
    left -- but what a finished stage wrote (and the state recording it) stays for the next
    run, and a folder the user made is left exactly as it was."""
    (tmp_path / "beaver.csv").write_bytes(BEAVER.read_bytes())
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n")
    if case == "missing input":
        toml = _pipeline(tmp_path, "out/run1", INGEST_OK.replace("beaver.csv", "beavr.csv"))
        code, message = 2, "input " + str(tmp_path / "beavr.csv") + ": no such file"
    elif case == "bad data":
        toml = _pipeline(tmp_path, "out/run1", INGEST_OK.replace("beaver.csv", "bad.csv"))
        code, message = 1, "bad.csv"
    elif case == "bad option":
        toml = _pipeline(tmp_path, "out/run1", INGEST_OK.replace('"qcew"', '"qcew", bogus = 1'))
        code, message = 2, "No such option: --bogus"
    else:
        toml = _pipeline(tmp_path, "out/run1", INGEST_OK + """
            [[stage]]
            name = "lq"
            inputs = ["@ingest"]
            output = "lq/lq.csv"
            options = { benchmark = "region:99999" }
        """)
        code, message = 2, "benchmark region '99999' is not in the input"
    if case == "existing folder":
        toml = _pipeline(tmp_path, "mine", INGEST_OK.replace("beaver.csv", "bad.csv"))
        (tmp_path / "mine").mkdir()
        (tmp_path / "mine" / "notes.txt").write_text("mine\n")
        code, message = 1, "bad.csv"
    before = _tree(tmp_path)
    got, _out, err = run_main(["run", str(toml)], capsys)
    assert got == code, err
    assert message in err
    assert "Traceback" not in err
    if case == "later stage fails":
        # the finished ingest is kept with its state (the next run skips it); lq/ is gone
        assert _tree(tmp_path / "out" / "run1") == [".clusterid-run.json", ".clusterid-run.lock",
                                                    "tables", "tables/canonical.csv",
                                                    "tables/canonical.csv.meta.json"]
        got, _out, err = run_main(["run", str(toml), "--dry-run"], capsys)
        assert "skip ingest" in _out and "run  lq" in _out
    else:
        assert _tree(tmp_path) == before


def test_interrupted_first_run_leaves_nothing(tmp_path, capsys, monkeypatch):
    """Ctrl-C in the first stage of a first run: exit 130, and no folder holding a lock."""
    import signal

    from clusterid.cli import app as app_module
    from clusterid.cli import run as run_module

    def interrupted(stage):
        stage.output.parent.mkdir(parents=True, exist_ok=True)
        raise app_module.Interrupted(signal.SIGINT)

    monkeypatch.setattr(run_module, "_execute_in_process", interrupted)
    (tmp_path / "beaver.csv").write_bytes(BEAVER.read_bytes())
    toml = _pipeline(tmp_path, "out", INGEST_OK)
    before = _tree(tmp_path)
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 130, err
    assert _tree(tmp_path) == before


def test_a_run_waiting_on_a_removed_lock_file_takes_a_new_one(tmp_path, monkeypatch):
    """The failed run removes the lock file it created while holding it; a run that had just
    opened that file and locks it after the removal must not go on holding a lock on a file no
    longer there (a third run would create a new one and the two would write at once): it
    locks the new file instead."""
    from clusterid import pipeline as pl

    (tmp_path / "raw.csv").write_text("x\n")
    toml = _pipeline(tmp_path, "out", """
        [[stage]]
        name = "stats"
        inputs = ["raw.csv"]
        output = "s.csv"
    """)
    pipe = pl.load_pipeline(toml)
    attempts = []
    real_once = pl._acquire_lock_once

    def once(pipeline, wait, on_wait):
        lock = real_once(pipeline, wait, on_wait)
        if not attempts:  # the file we locked is removed by the run before us
            os.unlink(pipeline.lock_path)
        attempts.append(1)
        return lock

    monkeypatch.setattr(pl, "_acquire_lock_once", once)
    lock = pl.acquire_lock(pipe, 5)
    try:
        assert len(attempts) == 2
        assert pipe.lock_path.exists()
        assert pl._holds_lock_file(lock, pipe.lock_path)
    finally:
        lock.release()
