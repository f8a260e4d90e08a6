"""The README's front door and the --help text agree with what the project does (docs-24).

- lq --format accepts every reader ingest has (clusterid.io.ingest.FORMATS: lodes and nes
  too), and its help named only auto ... bea.
"""

from __future__ import annotations

import re

import typer

from clusterid.cli.app import app
from clusterid.io.ingest import FORMATS


def _option_help(command: str, flag: str) -> str:
    cmd = typer.main.get_command(app).commands[command]
    for param in cmd.params:
        if flag in getattr(param, "opts", ()):
            return " ".join((param.help or "").split())
    raise AssertionError(f"{command} has no {flag}")


def test_lq_format_help_names_every_reader():
    text = _option_help("lq", "--format")
    missing = [f for f in FORMATS if not re.search(rf"\b{f}\b", text)]
    assert not missing, f"lq --format help leaves out {missing}: {text!r}"
