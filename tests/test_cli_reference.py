"""docs/cli.md is the commands' --help: it fails here, not in a user's hands, when they drift.

The reference is rendered in-process (clusterid.cli.reference) and compared with the committed
file; nothing is written, so the tests are safe under pytest-xdist.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from clusterid.cli import reference
from clusterid.cli.app import app
from conftest import run_main

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "cli.md"


def _first_difference(a: str, b: str) -> int:
    """The 1-based number of the first line where ``a`` and ``b`` differ."""
    a_lines, b_lines = a.splitlines(), b.splitlines()
    for number, (x, y) in enumerate(zip(a_lines, b_lines), start=1):
        if x != y:
            return number
    return min(len(a_lines), len(b_lines)) + 1


def _section(doc: str, path: str) -> str:
    """The fenced help text under the heading of command ``path``."""
    after = doc.split(f"\n## `{path}`\n\n```text\n", 1)[1]
    return after.split("\n```\n", 1)[0] + "\n"


def test_docs_cli_md_is_up_to_date():
    on_disk = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    rendered = reference.render(app)
    if rendered != on_disk:
        line = _first_difference(rendered, on_disk)
        pytest.fail(f"docs/cli.md differs from the commands' --help (first at line {line}); "
                    "run `make docs` and commit docs/cli.md", pytrace=False)


def test_every_registered_command_is_in_the_reference():
    # the tree walked here, not by the generator, so a generator that skips one is caught
    doc = DOC.read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    missing = []

    def visit(command, path):
        if f"\n## `{path}`\n" not in doc:
            missing.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            if not sub.hidden:
                visit(sub, f"{path} {name}")

    visit(root, "clusterid")
    assert len(root.commands) >= 9  # ingest … run: a tree that lost its commands fails too
    assert not missing, f"not in docs/cli.md: {', '.join(missing)}; run `make docs`"


def test_rendering_does_not_depend_on_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    wide = reference.render(app)
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    assert reference.render(app) == wide
    assert "\x1b[" not in wide  # no colour codes
    assert not set("─│╭╮╰╯┌┐└┘") & set(wide)  # no rich panels


def test_each_section_is_what_help_prints_on_an_80_column_terminal(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "80")
    doc = reference.render(app)
    for argv, path in ([["--help"], "clusterid"], [["lq", "--help"], "clusterid lq"]):
        code, out, _ = run_main(argv, capsys)
        assert code == 0
        assert out == _section(doc, path)


def test_check_says_in_one_line_to_run_make_docs(tmp_path, capsys):
    stale = tmp_path / "cli.md"
    stale.write_text("# CLI reference\n", encoding="utf-8")
    assert reference.main(["--check", str(stale)]) == 1
    assert capsys.readouterr().err == (
        f"{stale}: out of date with the commands' --help; run `make docs`\n")
    assert reference.main([str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == reference.render(app)
    assert reference.main(["--check", str(stale)]) == 0
