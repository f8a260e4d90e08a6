"""Every ```sh block of README.md runs, in order, in a scratch copy of the project.

A block preceded by the line ``<!-- no-test -->`` is skipped (e.g. `make demo`, which would
recurse).  Blocks run with bash ``-e -o pipefail`` and the project's ``clusterid`` on PATH, one
after the other in the same folder, so a later example may use what an earlier one wrote.  Only
``sh``/``bash`` fences are run; ``cron``, ``toml`` and others are shown, not executed.

The blocks are one test item per group of blocks that share a file (:func:`readme_groups`): a
block that names a path the project does not have (``out/utah.parquet``), which an earlier block
also names (or a folder above or below it), runs after that block in the same copy.  Run as one
item, the README took ~100 s, the longest single item of the suite: under ``pytest -n 2`` the
other worker sat idle while it finished.
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
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w+)?[^\n]*$")
SKIP_MARK = "<!-- no-test -->"
RUN_LANGS = {"sh", "bash"}
IGNORE = shutil.ignore_patterns(".venv", ".git", "out", "test-artifacts", "__pycache__",
                                ".pytest_cache", ".hypothesis", "*.egg-info", "benchmarks")
# the folders IGNORE leaves out of the scratch copy: a path under them is not the project's
_NOT_COPIED = {".venv", ".git", "out", "test-artifacts", "benchmarks"}
_WORD = re.compile(r"[\w.\-/$]+")


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


def _paths(code: str) -> set[str]:
    """The words of a block that look like paths: with a '/' or a file extension."""
    return {w.rstrip("/") for w in _WORD.findall(code)
            if not w.startswith("-") and ("/" in w or re.search(r"\.[A-Za-z]\w*$", w))}


def _in_project(path: str, root: Path) -> bool:
    return path.split("/")[0] not in _NOT_COPIED and (root / path).exists()


def readme_groups(blocks: list[tuple[int, str, bool]], root: Path = ROOT) -> list[list[tuple[int, str]]]:
    """The blocks that run (not skipped) in groups, each in README order: a block joins the
    group of every earlier block that names a path it names (or a folder above or below that
    path) which the project's copy does not have -- what an earlier example wrote."""
    run = [(line, code) for line, code, skipped in blocks if not skipped]
    words = [_paths(code) for _, code in run]
    group = list(range(len(run)))

    def top(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for j in range(len(run)):
        made = {p for p in words[j] if not _in_project(p, root)}
        for i in range(j):
            if any(a == b or a.startswith(b + "/") or b.startswith(a + "/")
                   for a in made for b in words[i]):
                group[top(j)] = top(i)
    groups: dict[int, list[tuple[int, str]]] = {}
    for j, block in enumerate(run):
        groups.setdefault(top(j), []).append(block)
    return list(groups.values())


def test_parser_finds_blocks_and_honours_the_skip_mark():
    text = "\n".join([
        "intro", "<!-- no-test -->", "```sh", "make demo", "```", "",
        "```sh", "echo one", "```", "```cron", "* * * * * x", "```",
        "```bash", "echo two", "echo three", "```", "```python", "print(1)", "```",
    ])
    assert readme_blocks(text) == [(3, "make demo", True), (7, "echo one", False),
                                   (13, "echo two\necho three", False)]


def test_a_block_runs_after_the_earlier_blocks_that_wrote_what_it_reads(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "raw.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.csv").write_text("x\n", encoding="utf-8")  # not copied: made by a block
    blocks = [
        (1, "tool data/raw.csv -o out/a.parquet", False),
        (2, "tool data/raw.csv -o out/b.csv   # the same input, nothing of block 1's", False),
        (3, "for p in 1 2; do tool out/a.parquet -o out/a_$p.csv; done", False),
        (4, "tool data/raw.csv -o out/det", False),
        (5, "tool report out/det/metadata.json -o - | head", False),
        (6, "tool data/raw.csv -o out/old.csv", True),
        (7, "tool out/old.csv -o lq.csv", False),
        (8, "tool lq.csv -o -", False),
    ]
    assert [[line for line, _ in g] for g in readme_groups(blocks, tmp_path)] \
        == [[1, 3], [2], [4, 5], [7, 8]]


def _params():
    groups = readme_groups(readme_blocks(README.read_text(encoding="utf-8")))
    return [pytest.param(g, id="README.md:" + "+".join(str(line) for line, _ in g)) for g in groups]


def test_readme_has_shell_examples_that_run():
    blocks = readme_blocks(README.read_text(encoding="utf-8"))
    assert blocks, "README.md has no ```sh examples"
    if all(skipped for _, _, skipped in blocks):
        pytest.skip("every README shell example is marked no-test")


@pytest.mark.parametrize("group", _params())
def test_every_readme_shell_example_runs(tmp_path, group):
    work = tmp_path / "project"
    shutil.copytree(ROOT, work, ignore=IGNORE, symlinks=True)
    shared = ROOT.parent / "shared"
    if shared.exists():
        (tmp_path / "shared").symlink_to(shared)
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.setdefault("NO_COLOR", "1")
    failures = []
    for line, code in group:
        res = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", code], cwd=work, env=env,
                             capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
        if res.returncode != 0:
            failures.append(f"README.md:{line}: exit {res.returncode}\n--- code\n{code}\n--- stderr (tail)\n"
                            + "\n".join(res.stderr.splitlines()[-15:]))
    assert not failures, "\n\n".join(failures)
