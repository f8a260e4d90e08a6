"""The malformed corpus through ``clusterid run``: a pipeline whose ingest stage reads a bad file
stops with that stage's one-line error, the right exit code, and no output of any stage.

Each corpus row becomes a two-stage pipeline (ingest -> lq) in a fresh folder; the row's extra
ingest options (``--format qcew``) become the stage's ``options`` table.
"""

from __future__ import annotations

import csv
import os
import re
import shlex
from pathlib import Path

import pytest

from clusterid.cli.app import main

CORPUS = Path(__file__).resolve().parent / "malformed"
MANIFEST = list(csv.DictReader(open(CORPUS / "manifest.csv", encoding="utf-8")))
BAD = [r for r in MANIFEST if r["exit_code"] != "0"]
BOOKKEEPING = (".clusterid-run.json", ".clusterid-run.lock")


def _options(args: str) -> str:
    words = shlex.split(args)
    pairs = []
    for flag, value in zip(words[::2], words[1::2]):
        key = flag.lstrip("-").replace("-", "_")
        pairs.append(f'{key} = "{value}"')
    return "{ " + ", ".join(pairs) + " }"


def _pipeline(folder: Path, src: Path, args: str) -> Path:
    toml = folder / "pipeline.toml"
    options = f"\noptions = {_options(args)}" if args else ""
    toml.write_text(
        '[pipeline]\noutdir = "out"\n\n'
        f'[[stage]]\nname = "ingest"\ninputs = ["{src}"]\noutput = "canonical.parquet"{options}\n\n'
        '[[stage]]\nname = "lq"\ninputs = ["@ingest"]\noutput = "lq.parquet"\n', encoding="utf-8")
    return toml


def test_options_of_a_row_become_a_toml_table():
    assert _options("--format qcew --sep ,") == '{ format = "qcew", sep = "," }'


FAMILIES = ("qcew_", "cbp16co_", "eurostat_", "xlsx_", "parquet_", "canonical_", "wide_")


def _family(name: str) -> str:
    return next((f for f in FAMILIES if name.startswith(f)), "text")


def _sample(rows, per_family: int = 3):
    """A few rows of each family of the corpus, in manifest order (the fast default test)."""
    taken: dict[str, int] = {}
    out = []
    for row in rows:
        fam = _family(row["file"])
        if taken.get(fam, 0) < per_family:
            taken[fam] = taken.get(fam, 0) + 1
            out.append(row)
    return out


def test_a_sample_of_each_family_stops_the_pipeline_cleanly(tmp_path, capsys):
    _check(_sample(BAD), tmp_path, capsys)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("CLUSTERID_FULL_CORPUS"),
                    reason="the whole corpus through `run` takes ~30 s; the per-family sample above "
                           "runs by default (CLUSTERID_FULL_CORPUS=1 runs all)")
def test_every_bad_file_stops_the_pipeline_cleanly(tmp_path, capsys):
    _check(BAD, tmp_path, capsys)


def _check(rows, tmp_path, capsys):
    failures = []
    for row in rows:
        folder = tmp_path / row["file"]
        folder.mkdir()
        toml = _pipeline(folder, CORPUS / row["file"], row["args"])
        try:
            main(["run", str(toml)])
            code = 0
        except SystemExit as exc:
            code = exc.code
        err = capsys.readouterr().err
        errors = [x for x in err.splitlines() if x.startswith("clusterid: error:")]
        left = sorted(p.name for p in (folder / "out").iterdir()) if (folder / "out").exists() else []
        why = []
        if code != int(row["exit_code"]):
            why.append(f"exit {code}, expected {row['exit_code']}")
        if "Traceback" in err:
            why.append("traceback")
        if not errors or not re.search(row["message_regex"], err, re.IGNORECASE):
            why.append(f"message does not match {row['message_regex']!r}")
        if errors and "stage 'ingest' failed" not in errors[-1]:
            why.append("the last line does not name the failed stage")
        if any(n not in BOOKKEEPING for n in left):
            why.append(f"left {left}")
        if why:
            failures.append(f"{row['file']}: {'; '.join(why)}: {err.strip()[-300:]}")
    assert not failures, "\n".join(failures)
