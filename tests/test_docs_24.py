"""The README's front door and the --help text agree with what the project does (docs-24).

- lq --format accepts every reader ingest has (clusterid.io.ingest.FORMATS: lodes and nes
  too), and its help named only auto ... bea;
- the quick start says where `make demo` writes (the Makefile's $(OUT)/demo, OUT ?= out), and
  runs what the Makefile runs;
- every in-page link of the README (the commands table leads to each command's section) lands
  on a heading, by GitHub's rule for heading anchors.
"""

from __future__ import annotations

import re
from pathlib import Path

import typer

from clusterid.cli.app import app
from clusterid.io.ingest import FORMATS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


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


def test_quick_start_says_where_make_demo_writes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^OUT\s*\?=\s*out\s*$", makefile, re.M)
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "clusterid run data/samples/pipeline.toml --outdir $(OUT)/demo" in recipe
    start = README.index("## Quick start")
    quick = README[start:README.index("\n## ", start + 1)]
    assert "clusterid run data/samples/pipeline.toml --outdir out/demo" in quick
    for output in ("out/demo/canonical.parquet", "out/demo/lq.parquet", "out/demo/detect/",
                   "out/demo/report.html"):
        assert output in quick, output


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation but - and _ dropped, spaces -."""
    text = heading.lstrip("#").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def test_readme_in_page_links_land_on_headings():
    body = re.sub(r"^```.*?^```", "", README, flags=re.S | re.M)  # no headings in code blocks
    anchors = {_anchor(h) for h in re.findall(r"^#{1,6} .+$", body, re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", README)
    commands = re.findall(r"^\| \[`clusterid ([a-z-]+)`\]\(#", README, re.M)
    assert set(commands) == {"ingest", "stats", "impute", "lq", "indices", "shift-share",
                             "detect", "report", "run"}
    assert not [link for link in links if link not in anchors]


def test_ingest_ownership_help_says_its_default():
    # a raw QCEW file is read with total and private unless --ownership names others (the
    # README, impute's and lq's notes say so); ingest's own help listed the choices only
    text = _option_help("ingest", "--ownership")
    assert "default: total and private" in text, text


def test_readme_names_only_documents_the_project_has():
    # 'METHODS.md §1' pointed at the team's notes beside the shared data, not in the project: a
    # user of a clone had no such file.  Every .md the README names, and every file it links
    # to, is in the project.
    named = set(re.findall(r"(?<![\w/.-])([\w./-]+\.md)\b", README))
    named |= {link for link in re.findall(r"\]\(([^)#]+)\)", README) if "://" not in link}
    # out/ holds what the examples write (out/report.md), not documents
    missing = sorted(n for n in named if not n.startswith("out/") and not (ROOT / n).exists())
    assert not missing, missing


def test_indices_and_shift_share_ownership_help_says_when_total_is_used():
    # QCEW's 'total' ownership holds only all-industry rows: both commands then use 'private'
    # (the Utah sample), which the help's "default 'total', else 'private'" did not say
    for command in ("indices", "shift-share"):
        text = _option_help(command, "--ownership")
        assert "where it has industries at the level used" in text, (command, text)


def test_readme_names_the_variable_that_finds_the_shared_data():
    # tests that need the full files look in ../shared/data or in $CLUSTERID_SHARED_DATA
    # (tests/conftest.py): a clone elsewhere (a worktree) has no other way to run them
    conftest = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    assert 'os.environ.get("CLUSTERID_SHARED_DATA"' in conftest
    tests = README[README.index("\n## Tests"):]
    assert "CLUSTERID_SHARED_DATA=DIR" in tests


def test_detect_column_reference_names_no_file_outside_the_project():
    # the README sends users to the column descriptions at the top of src/clusterid/cli/detect.py;
    # they pointed at 'METHODS.md §1' and '§4', the team's notes outside the project
    import clusterid.cli.detect as detect

    assert "METHODS.md" not in (detect.__doc__ or "")
    assert "src/clusterid/cli/detect.py" in README
