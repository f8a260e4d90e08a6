"""Every malformed input gets a clear one-line answer, the right exit code, and no output.

The corpus lives in tests/malformed/ (see its README).  Each file goes through every stage that
reads files; the stages run in-process through ``clusterid.cli.app.main`` for speed.
"""

from __future__ import annotations

import csv
import re
import shlex
from pathlib import Path

import pytest

from conftest import run_main as run_cli

CORPUS = Path(__file__).resolve().parent / "malformed"
MANIFEST = list(csv.DictReader(open(CORPUS / "manifest.csv", encoding="utf-8")))

# stage name -> argv builder (input path, output folder); every stage that reads a raw file
STAGES = {
    "ingest": lambda src, out: ["ingest", src, "-o", str(out / "out.parquet")],
    "stats": lambda src, out: ["stats", src, "-o", str(out / "out.csv")],
    "lq": lambda src, out: ["lq", src, "-o", str(out / "out.parquet")],
    "indices": lambda src, out: ["indices", src, "-o", str(out / "out.csv")],
    "impute": lambda src, out: ["impute", src, "-o", str(out / "out.parquet")],
    "detect": lambda src, out: ["detect", src, "-o", str(out / "detect")],
    "shift-share": lambda src, out: ["shift-share", src, "-o", str(out / "out.csv"), "--from", "2015",
                                     "--to", "2016"],
}


def test_corpus_is_large_enough():
    assert len([r for r in MANIFEST if r["exit_code"] != "0"]) >= 40


@pytest.mark.parametrize("row", MANIFEST, ids=[r["file"] for r in MANIFEST])
def test_ingest_answers_as_the_manifest_says(row, tmp_path, capsys):
    src = str(CORPUS / row["file"])
    argv = STAGES["ingest"](src, tmp_path) + shlex.split(row["args"])
    code, out, err = run_cli(argv, capsys)
    expected = int(row["exit_code"])
    assert code == expected, f"exit {code}, expected {expected}; stderr: {err}"
    assert "Traceback" not in err
    if expected == 0:
        assert (tmp_path / "out.parquet").exists()
        return
    first = err.strip().splitlines()[0] if err.strip() else ""
    assert first.startswith("clusterid: error:"), err
    assert row["file"] in err or expected == 2, f"message does not name the file: {err}"
    assert re.search(row["message_regex"], err, re.IGNORECASE), f"{row['message_regex']!r} not in {err!r}"
    assert list(tmp_path.iterdir()) == [], "a failed run left files behind"


# Other stages take the input options of ingest only where it makes sense, so the rows that need
# extra options are exercised through ingest alone.
BAD = [r for r in MANIFEST if r["exit_code"] != "0" and not r["args"]]


@pytest.mark.parametrize("stage", [s for s in STAGES if s != "ingest"])
def test_every_reading_stage_rejects_the_corpus(stage, tmp_path, capsys):
    failures = []
    for row in BAD:
        out = tmp_path / row["file"]
        out.mkdir()
        argv = STAGES[stage](str(CORPUS / row["file"]), out) + shlex.split(row["args"])
        code, _, err = run_cli(argv, capsys)
        if code != int(row["exit_code"]) or "Traceback" in err or list(out.iterdir()):
            failures.append(f"{row['file']}: exit {code}: {err.strip()[:200]}")
    assert not failures, "\n".join(failures)


def test_duplicate_key_across_two_files_names_both(tmp_path, capsys):
    a, b = CORPUS / "dup_across_files_a_valid.csv", CORPUS / "dup_across_files_b_valid.csv"
    code, out, err = run_cli(["ingest", str(a), str(b), "-o", str(tmp_path / "out.parquet")], capsys)
    assert code == 1
    assert list(tmp_path.iterdir()) == []
    # one line for the key, at its second copy, naming the first (session 31: each copy was a
    # line of its own)
    lines = err.strip().splitlines()
    assert lines == [f"clusterid: error: {b}:2: duplicate row for the same period, region, ownership and "
                     "industry (expected one row per key, found 'period=2016, region=B, ownership=total, "
                     f"industry=44-45'); first seen at {a}:5"]


# FILE:LINE: column 'X': what (expected ..., found ...) -- line and column where there is one
LOCATED = re.compile(r"^clusterid: error: (?P<file>[^:]+)(:(?P<line>\d+))?: (column '(?P<col>[^']+)': )?\S")


@pytest.mark.parametrize("row", [r for r in BAD if r["exit_code"] == "1"], ids=lambda r: r["file"])
def test_data_errors_are_one_located_line_per_problem(row, tmp_path, capsys):
    src = CORPUS / row["file"]
    _, _, err = run_cli(STAGES["ingest"](str(src), tmp_path), capsys)
    lines = err.strip().splitlines()
    assert 1 <= len(lines) <= 21, "at most 20 problems and a summary line"
    for line in lines:
        if line.startswith("clusterid: error: ... and "):
            continue
        m = LOCATED.match(line)
        assert m and m.group("file").endswith(row["file"]), line
        assert len(line) < 600, "one problem, one readable line"


def test_debug_shows_a_traceback_and_still_the_message(tmp_path, capsys):
    src = str(CORPUS / "number_with_stray_text.csv")
    code, _, err = run_cli(["--debug", "ingest", src, "-o", str(tmp_path / "o.parquet")], capsys)
    assert code == 1
    assert "Traceback (most recent call last)" in err and "DataError" in err
    assert err.strip().splitlines()[-1].startswith(f"clusterid: error: {src}:")
    code, _, err = run_cli(["ingest", src, "-o", str(tmp_path / "o.parquet")], capsys)
    assert code == 1 and "Traceback" not in err


def test_a_missing_input_is_exit_2_naming_it(tmp_path, capsys):
    missing = str(tmp_path / "nope.csv")
    for stage, build in STAGES.items():
        code, _, err = run_cli(build(missing, tmp_path), capsys)
        assert code == 2, (stage, err)
        assert "nope.csv" in err and err.startswith("clusterid: error:"), (stage, err)
        assert list(tmp_path.iterdir()) == []
