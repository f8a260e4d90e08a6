"""`clusterid run` writes the same bytes whatever folder it is started from.

The stages record their input paths in their outputs (Parquet metadata, detect's metadata.json,
the report's "what was run on what"); they recorded them relative to the folder the run was
started from, so a cron job (started in $HOME) and a run by hand wrote different outputs for the
same inputs and options.  Works on a slice of the sample (Utah's counties, the first quarter,
NAICS down to 4 digits): a few seconds per run.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import run_main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
KEEP_AGGLVL = {"50", "51", "54", "55", "56", "70", "71", "74", "75", "76"}

PIPELINE = """
[pipeline]
outdir = "out"

[[stage]]
name = "ingest"
inputs = ["raw/utah.csv"]
output = "canonical.parquet"
options = { format = "qcew" }

[[stage]]
name = "lq"
inputs = ["@ingest"]
output = "lq.parquet"
options = { threshold = 1.25 }

[[stage]]
name = "lq_csv"
command = "lq"
inputs = ["@ingest"]
output = "lq.csv"

[[stage]]
name = "detect"
inputs = ["@ingest"]
output = "detect"
options = { level = 4, random_state = 0 }

[[stage]]
name = "report"
inputs = ["@detect"]
output = "report.md"
options = { top_regions = 3 }

[[stage]]
name = "report_html"
command = "report"
inputs = ["@detect"]
output = "report.html"
options = { top_regions = 3 }
"""


@functools.lru_cache(maxsize=1)
def _slice() -> bytes:
    """The slice's CSV bytes, cut once (~1.4 s) for the five projects of this file."""
    dst = io.StringIO(newline="")
    with gzip.open(SAMPLE, "rt", newline="") as src:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        for row in reader:
            if row["qtr"] == "1" and row["agglvl_code"] in KEEP_AGGLVL:
                writer.writerow(row)
    return dst.getvalue().encode("utf-8")


def _project(folder: Path) -> Path:
    (folder / "raw").mkdir(parents=True)
    (folder / "raw" / "utah.csv").write_bytes(_slice())
    (folder / "pipeline.toml").write_text(textwrap.dedent(PIPELINE), encoding="utf-8")
    return folder / "pipeline.toml"


@pytest.fixture
def run(capsys, monkeypatch):
    """``clusterid run TOML EXTRA`` started in the folder ``cwd``, in-process (the stages run
    in the runner's process either way; started in a process of its own, each run paid ~0.7 s
    of start-up): ``.stdout``, ``.stderr``; exit 0 asserted."""

    def _run(toml: str, cwd: Path, *extra: str):
        monkeypatch.chdir(cwd)
        code, out, err = run_main(["run", toml, *extra], capsys)
        assert code == 0, err
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)

    return _run


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, the run's state and lock included, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_outputs_do_not_depend_on_the_working_folder(tmp_path, run):
    project = tmp_path / "work" / "proj"
    toml = _project(project)
    home = tmp_path / "home"
    home.mkdir()
    outdir = project / "out"
    # by hand, in the project folder
    run("pipeline.toml", project, "--force")
    by_hand = _files(outdir)
    assert {"canonical.parquet", "lq.parquet", "lq.csv", "detect/metadata.json", "report.md",
            "report.html"} <= set(by_hand)
    for cwd, path in ((tmp_path, "work/proj/pipeline.toml"),  # from a folder above it
                      (home, str(toml))):                        # cron: $HOME, absolute path
        res = run(path, cwd, "--force")
        again = _files(outdir)
        assert sorted(again) == sorted(by_hand)
        differ = [name for name in by_hand if again[name] != by_hand[name]]
        assert not differ, f"started in {cwd}: these outputs differ from the run by hand: {differ}"
        # the messages show a command that does the same from where the user is
        assert "[ingest] (cd " in res.stderr
    # what the outputs record: paths as the pipeline file's folder sees them
    assert b'"path": "raw/utah.csv"' in by_hand["detect/metadata.json"]
    assert b'"path": "out/canonical.parquet"' in by_hand["detect/metadata.json"]
    assert "| out/canonical.parquet |" in by_hand["report.md"].decode()
    # and the state still says up to date, from any folder
    res = run(str(toml), home, "--dry-run")
    assert [line.split()[0] for line in res.stdout.splitlines() if not line.startswith(" ")] \
        == ["skip"] * 6


@pytest.mark.parametrize("how", ["pipeline file", "relative --outdir"])
def test_two_copies_of_a_project_with_the_outdir_beside_the_pipeline_write_the_same_bytes(tmp_path, how, run):
    """An outdir outside the pipeline file's folder (``make demo``: ``--outdir out/demo`` from
    the project's root, ``../../out/demo`` in the pipeline file): the stages were given its
    files as absolute paths, which their outputs recorded, so a project checked out twice wrote
    different bytes.  They are given as ``../`` paths now."""
    outputs = []
    for copy in ("a", "b"):
        project = tmp_path / copy / "proj"
        toml = _project(project / "pipelines")
        if how == "pipeline file":
            text = toml.read_text(encoding="utf-8").replace('outdir = "out"', 'outdir = "../out"')
            toml.write_text(text, encoding="utf-8")
            run(str(toml), tmp_path)
        else:
            run("pipelines/pipeline.toml", project, "--outdir", "out")
        outputs.append(_files(project / "out"))
    assert sorted(outputs[0]) == sorted(outputs[1])
    differ = [name for name in outputs[0] if outputs[0][name] != outputs[1][name]]
    assert not differ, f"the two copies wrote different {differ}"
    assert b'"path": "../out/canonical.parquet"' in outputs[0]["detect/metadata.json"]
    assert str(tmp_path).encode() not in outputs[0]["detect/metadata.json"]
