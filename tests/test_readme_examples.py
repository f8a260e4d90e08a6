"""Every ```sh block of README.md runs, in order, in a scratch copy of the project.

A block preceded by the line ``<!-- no-test -->`` is skipped (e.g. `make demo`, which would
recurse).  Blocks run with bash ``-e -o pipefail`` and the project's ``clusterid`` on PATH, one
after the other in the same folder, so a later example may use what an earlier one wrote.  Only
``sh``/``bash`` fences are run; ``cron``, ``toml`` and others are shown, not executed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```(\w+)?[^\n]*$")
SKIP_MARK = "<!-- no-test -->"
RUN_LANGS = {"sh", "bash"}
IGNORE = shutil.ignore_patterns(".venv", ".git", "out", "test-artifacts", "__pycache__",
                                ".pytest_cache", ".hypothesis", "*.egg-info", "benchmarks")


def readme_blocks(text: str) -> list[tuple[int, str, bool]]:
    """(line number of the fence, code, skipped) for every sh/bash block."""
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m and m.group(1) is not None or (m and lines[i].strip() == "```"):
            lang = (m.group(1) or "").lower()
            start = i
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            prev = next((lines[k].strip() for k in range(start - 1, -1, -1) if lines[k].strip()), "")
            if lang in RUN_LANGS:
                blocks.append((start + 1, "\n".join(lines[start + 1:j]), prev == SKIP_MARK))
            i = j + 1
            continue
        i += 1
    return blocks


def test_parser_finds_blocks_and_honours_the_skip_mark():
    text = "\n".join([
        "intro", "<!-- no-test -->", "```sh", "make demo", "```", "",
        "```sh", "echo one", "```", "```cron", "* * * * * x", "```",
        "```bash", "echo two", "echo three", "```", "```python", "print(1)", "```",
    ])
    assert readme_blocks(text) == [(3, "make demo", True), (7, "echo one", False),
                                   (13, "echo two\necho three", False)]


def test_every_readme_shell_example_runs(tmp_path):
    blocks = readme_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    assert blocks, "README.md has no ```sh examples"
    work = tmp_path / "project"
    shutil.copytree(ROOT, work, ignore=IGNORE, symlinks=True)
    shared = ROOT.parent / "shared"
    if shared.exists():
        (tmp_path / "shared").symlink_to(shared)
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.setdefault("NO_COLOR", "1")
    failures = []
    ran = 0
    for line, code, skipped in blocks:
        if skipped:
            continue
        ran += 1
        res = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", code], cwd=work, env=env,
                             capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
        if res.returncode != 0:
            failures.append(f"README.md:{line}: exit {res.returncode}\n--- code\n{code}\n--- stderr (tail)\n"
                            + "\n".join(res.stderr.splitlines()[-15:]))
    if not ran:
        pytest.skip("every README shell example is marked no-test")
    assert not failures, "\n\n".join(failures)
