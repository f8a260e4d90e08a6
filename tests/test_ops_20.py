"""The tool as scripts and scheduled jobs use it (session 20): file modes, read-only targets,
quiet logs of a service account, damaged downloads.

Inputs are the repository's own files: ``tests/data/generic/de_laender_latin1.csv`` (a
Länder table by WZ section as a German office's Excel export saves it) and the report
fixture ``tests/data/report/detect`` (a `clusterid detect` output folder).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path

import pytest

from conftest import TEST_DATA, run_ok

LAENDER = TEST_DATA / "generic" / "de_laender_latin1.csv"
DETECT = TEST_DATA / "report" / "detect"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextlib.contextmanager
def _umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
@pytest.mark.parametrize("mask, mode", [(0o077, 0o600), (0o002, 0o664), (0o022, 0o644)])
def test_outputs_are_written_with_the_modes_the_umask_gives(mask, mode, tmp_path, capsys):
    """A cron job run under ``umask 077`` on confidential statistics left every output 0644,
    readable by every user of the machine (and a team's ``umask 002`` could not share them):
    the mode was fixed.  Files now take 0666 minus the umask, as ``touch`` does."""
    with _umask(mask):
        run_ok(["lq", str(LAENDER), "-o", str(tmp_path / "lq.csv")], capsys)
        run_ok(["ingest", str(LAENDER), "-o", str(tmp_path / "c.parquet")], capsys)
        run_ok(["report", str(DETECT), "-o", str(tmp_path / "r.md")], capsys)
    for name in ("lq.csv", "lq.csv.meta.json", "c.parquet", "r.md"):
        assert _mode(tmp_path / name) == mode, (name, oct(_mode(tmp_path / name)))
