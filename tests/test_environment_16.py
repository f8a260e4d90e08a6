"""What a command writes does not depend on environment variables a CI runner or a scheduler
sets for its own purposes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import TEST_DATA

QCEW = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"  # BLS QCEW annual, one county


@pytest.mark.parametrize("variable", ["FORCE_COLOR", "TTY_COMPATIBLE"])
def test_no_progress_bar_in_a_log_when_colour_is_forced(tmp_path, variable):
    """``clusterid ingest`` of a QCEW annual file (BLS's per-area CSV, as downloaded) with its
    stderr going to a file, as a CI job or cron writes it, under FORCE_COLOR=1 (which many CI
    configurations set for coloured logs) or TTY_COMPATIBLE=1: the log holds the plain message
    lines only.  Rich took either for a terminal and drew its progress bar into the file
    (cursor codes, carriage returns) ahead of the first line."""
    env = {**os.environ, variable: "1"}
    env.pop("NO_COLOR", None)
    log = tmp_path / "stderr.log"
    with open(log, "wb") as fh:
        res = subprocess.run([sys.executable, "-m", "clusterid", "ingest", str(QCEW),
                              "-o", str(tmp_path / "out.csv")], env=env, stdout=subprocess.PIPE,
                             stderr=fh, stdin=subprocess.DEVNULL, timeout=300)
    err = log.read_bytes()
    assert res.returncode == 0, err
    assert b"\x1b" not in err and b"\r" not in err, err
    assert err.decode("utf-8").startswith("ingest: "), err
