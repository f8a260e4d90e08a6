"""The sample pipeline (data/samples/pipeline.toml), run once per test session and shared.

Several test files need its outputs (the runner's skip test, the browser test, the chaining
comparison); running it once (about 30 s on this machine) keeps the suite fast.  Under
pytest-xdist every worker sees the same folder, guarded by a file lock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
PIPELINE = ROOT / "data" / "samples" / "pipeline.toml"


def sample_run(tmp_path_factory) -> tuple[Path, list[dict]]:
    """(outdir, JSON events of its first run in this session) of the sample pipeline."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this session only
    outdir = base / "sample-pipeline"
    log = base / "sample-pipeline.first.jsonl"
    with FileLock(str(base / "sample-pipeline.testlock")):
        if not log.exists():
            res = subprocess.run(
                [sys.executable, "-m", "clusterid", "run", str(PIPELINE), "--outdir", str(outdir),
                 "--log-file", str(log) + ".tmp"],
                capture_output=True, text=True, cwd=ROOT, timeout=600)
            if res.returncode != 0:
                raise AssertionError(f"sample pipeline failed (exit {res.returncode}):\n{res.stderr}")
            os.replace(str(log) + ".tmp", log)
    events = [json.loads(line) for line in log.read_text().splitlines()]
    return outdir, events
