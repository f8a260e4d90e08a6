"""Atomic writes: a killed or failing writer never leaves a partial output."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from clusterid.errors import OutputError
from clusterid.io.atomic import atomic_path, write_text_atomic

WRITER = textwrap.dedent(
    """
    import sys
    from clusterid.io.atomic import atomic_path
    target, marker = sys.argv[1], sys.argv[2]
    with atomic_path(target) as tmp:
        with open(tmp, "w") as fh:
            for i in range(200_000):
                fh.write(f"{marker},{i}\\n")
            fh.write("END\\n")
    """
)


def _complete(text: str) -> bool:
    return text.endswith("END\n") and len(text.splitlines()) == 200_001


def test_failure_leaves_previous_file_and_no_temp(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("previous\n")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert target.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_failed_write_removes_the_folders_it_made_and_only_those(tmp_path):
    made = tmp_path / "new" / "deeper"
    with pytest.raises(RuntimeError):
        with atomic_path(made / "out.csv") as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []  # new/ and new/deeper/ were made by the write: gone
    kept = tmp_path / "mine"
    kept.mkdir()
    with pytest.raises(RuntimeError):
        with atomic_path(kept / "sub" / "out.csv") as tmp:
            (kept / "other.txt").write_text("x")  # the user's folder, with the user's file
            raise RuntimeError("boom")
    assert sorted(p.name for p in kept.iterdir()) == ["other.txt"]  # sub/ gone, mine/ kept
    with atomic_path(made / "out.csv") as tmp:  # a write that succeeds keeps them
        tmp.write_text("done")
    assert (made / "out.csv").read_text() == "done"


def test_read_only_folder_is_a_clear_output_error(tmp_path):
    if os.geteuid() == 0:
        # root ignores permission bits; a path under a regular file cannot be a folder though
        blocker = tmp_path / "file"
        blocker.write_text("x")
        with pytest.raises(OutputError, match="cannot write output"):
            write_text_atomic(blocker / "out.csv", "data")
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        with pytest.raises(OutputError, match="permission denied"):
            write_text_atomic(ro / "out.csv", "data")


def test_sigkill_at_random_moments_never_leaves_partial_output(tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    target = tmp_path / "out.csv"
    rng = random.Random(20261128)
    # a first complete file to protect; its run time sets the kill moments (a fixed window
    # let a fast machine finish most runs before the kill came)
    start = time.monotonic()
    subprocess.run([sys.executable, str(script), str(target), "v0"], check=True)
    span = time.monotonic() - start
    assert _complete(target.read_text())
    kills = attempt = 0
    # 25 runs, and more (up to 100) until 5 were killed: a first run slowed by a load that
    # then went away made the later runs end before most kill moments, drawn against it; each
    # run that ended before its kill moment narrows the window to its own length
    while attempt < 25 or (kills < 5 and attempt < 100):
        began = time.monotonic()
        proc = subprocess.Popen([sys.executable, str(script), str(target), f"v{attempt + 1}"])
        time.sleep(rng.uniform(0.0, span))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        else:
            span = min(span, time.monotonic() - began)
        proc.wait()
        text = target.read_text()
        assert _complete(text), f"attempt {attempt}: partial output"
        attempt += 1
    assert kills >= 5, "the writer finished too fast for the test to mean anything"
