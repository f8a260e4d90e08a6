"""The sample pipeline (data/samples/pipeline.toml), run once per test session and shared.

Several test files need its outputs (the runner's skip test, the browser test, the chaining
comparison); running it once (about 30 s on this machine) keeps the suite fast.  Under
pytest-xdist every worker sees the same folder, guarded by a file lock.

It runs on a copy of data/samples (:func:`pipeline_copy`), laid out as in the repository: the
runner's tests touch that raw file's time stamp, and touching the repository's own made every
ingest of it in another worker at that moment stop with "changed while it was read" (exit 2;
CI failed so in test_faults).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
PIPELINE = ROOT / "data" / "samples" / "pipeline.toml"
RAW = PIPELINE.parent / "qcew_utah_2016_counties.csv.gz"


def _base(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this session only
    return base


def pipeline_copy(tmp_path_factory) -> Path:
    """The session's copy of data/samples/pipeline.toml (with its raw file beside it, time
    stamps kept) that :func:`sample_run` ran: a test may touch its files, never the
    repository's, which other tests read at the same time."""
    base = _base(tmp_path_factory)
    copy = base / "sample-home" / "data" / "samples" / PIPELINE.name
    with FileLock(str(base / "sample-home.testlock")):
        if not copy.exists():
            staging = base / "sample-home.staging"
            shutil.rmtree(staging, ignore_errors=True)
            (staging / "data" / "samples").mkdir(parents=True)
            for src in (RAW, PIPELINE):
                shutil.copy2(src, staging / "data" / "samples" / src.name)
            os.replace(staging, base / "sample-home")
    return copy


def sample_lock(tmp_path_factory) -> FileLock:
    """Held by a test that changes the session's copy (:func:`pipeline_copy`) for a moment,
    and by one that needs it as :func:`sample_run` left it."""
    return FileLock(str(_base(tmp_path_factory) / "sample-home.uselock"))


def sample_run(tmp_path_factory) -> tuple[Path, list[dict]]:
    """(outdir, JSON events of its first run in this session) of the sample pipeline."""
    base = _base(tmp_path_factory)
    pipeline = pipeline_copy(tmp_path_factory)
    outdir = base / "sample-pipeline"
    log = base / "sample-pipeline.first.jsonl"
    with FileLock(str(base / "sample-pipeline.testlock")):
        if not log.exists():
            res = subprocess.run(
                [sys.executable, "-m", "clusterid", "run", str(pipeline), "--outdir", str(outdir),
                 "--log-file", str(log) + ".tmp"],
                capture_output=True, text=True, cwd=pipeline.parents[2], timeout=600)
            if res.returncode != 0:
                raise AssertionError(f"sample pipeline failed (exit {res.returncode}):\n{res.stderr}")
            os.replace(str(log) + ".tmp", log)
    events = [json.loads(line) for line in log.read_text().splitlines()]
    return outdir, events
