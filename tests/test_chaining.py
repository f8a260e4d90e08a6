"""Shell chaining and reproducibility: pipes give the same bytes as files, and runs repeat exactly.

Works on a slice of the sample (Utah and its counties, quarters 1 and 4, NAICS down to 4 digits)
so that the whole file stays within a few seconds of work per command.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clusterid import schema

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
KEEP_AGGLVL = {"50", "51", "54", "55", "56", "70", "71", "74", "75", "76"}


def sh(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A raw slice, a pipeline over it, and that pipeline's first run."""
    folder = tmp_path_factory.mktemp("chain")
    with gzip.open(SAMPLE, "rt", newline="") as src, open(folder / "raw.csv", "w", newline="") as dst:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        for row in reader:
            if row["qtr"] in ("1", "4") and row["agglvl_code"] in KEEP_AGGLVL:
                writer.writerow(row)
    (folder / "pipeline.toml").write_text(textwrap.dedent("""
        [pipeline]
        outdir = "out"

        [[stage]]
        name = "ingest"
        inputs = ["raw.csv"]
        output = "canonical.parquet"

        [[stage]]
        name = "lq"
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
        output = "report.html"
        options = { top_regions = 3 }
    """))
    res = sh("clusterid run pipeline.toml", folder)
    assert res.returncode == 0, res.stderr
    return folder


def test_stdout_carries_only_the_csv(work):
    res = sh("clusterid ingest raw.csv -o -", work)
    assert res.returncode == 0, res.stderr
    header = res.stdout.splitlines()[0].split(",")
    assert header[:4] == list(schema.KEYS)
    assert "rows kept" in res.stderr and "rows kept" not in res.stdout
    # ... and it is the same table as the canonical CSV file
    assert sh("clusterid ingest raw.csv -o canonical.csv", work).returncode == 0
    assert (work / "canonical.csv").read_text() == res.stdout


def test_ingest_piped_into_lq_equals_the_pipeline_output(work):
    res = sh("clusterid ingest raw.csv -o - | clusterid lq - -o chained_lq.csv", work)
    assert res.returncode == 0, res.stderr
    assert (work / "chained_lq.csv").read_bytes() == (work / "out" / "lq.csv").read_bytes()


def test_ingest_piped_into_detect_equals_the_pipeline_output(work):
    res = sh("clusterid ingest raw.csv -o - | clusterid detect - -o chained_detect --level 4 --random-state 0",
             work)
    assert res.returncode == 0, res.stderr
    assert "detect: reading <stdin>" in res.stderr, res.stderr  # named as the readers name it, not '-'
    one, chained = work / "out" / "detect", work / "chained_detect"
    names = sorted(p.name for p in one.iterdir() if p.suffix == ".csv")
    assert names == sorted(p.name for p in chained.iterdir() if p.suffix == ".csv")
    for name in names:
        assert (chained / name).read_bytes() == (one / name).read_bytes(), name
    # The metadata differs only where the input came from (a file vs stdin).
    m1 = json.loads((one / "metadata.json").read_text())
    m2 = json.loads((chained / "metadata.json").read_text())
    for m in (m1, m2):
        m.pop("inputs", None)
        m.pop("input", None)
    assert m1 == m2


def test_report_to_stdout_equals_report_file(work):
    res = sh("clusterid report out/detect -o - --format html --top-regions 3", work)
    assert res.returncode == 0, res.stderr
    assert res.stdout == (work / "out" / "report.html").read_text()


def test_forced_rerun_gives_byte_identical_outputs(work):
    before = digests(work / "out")
    assert {"canonical.parquet", "lq.csv", "lq.csv.meta.json", "report.html",
            "detect/clusters.csv", "detect/metadata.json"} <= set(before)
    res = sh("clusterid run pipeline.toml --force --log-json", work)
    assert res.returncode == 0, res.stderr
    events = [json.loads(line) for line in res.stderr.splitlines() if line.startswith("{")]
    assert [e["status"] for e in events] == ["run"] * 4
    after = digests(work / "out")
    changed = sorted(k for k in before if before[k] != after.get(k))
    assert changed == [], f"outputs differ between two runs: {changed}"


def test_changes_rerun_exactly_the_stages_downstream(work, tmp_path):
    """On the real commands: a copy of the project is up to date; an option change re-runs
    that stage only; touching the raw file runs nothing."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(work, copy, ignore=shutil.ignore_patterns("chained*"))

    def statuses(*extra):
        res = sh("clusterid run pipeline.toml --log-json " + " ".join(extra), copy)
        assert res.returncode == 0, res.stderr
        return {e["stage"]: e["status"] for e in map(json.loads, (l for l in res.stderr.splitlines()
                                                                   if l.startswith("{")))}

    assert set(statuses().values()) == {"skipped"}
    toml = copy / "pipeline.toml"
    toml.write_text(toml.read_text().replace('output = "lq.csv"',
                                             'output = "lq.csv"\noptions = { threshold = 2.0 }'))
    assert statuses() == {"ingest": "skipped", "lq": "run", "detect": "skipped", "report": "skipped"}
    toml.write_text(toml.read_text().replace("top_regions = 3", "top_regions = 2"))
    assert statuses() == {"ingest": "skipped", "lq": "skipped", "detect": "skipped", "report": "run"}
    os.utime(copy / "raw.csv", (1e9, 1e9))
    assert set(statuses().values()) == {"skipped"}
