"""CLI golden files: every command run on small committed inputs, its outputs compared byte for
byte with the files under ``tests/golden/<case>/``.

What a golden file pins that the other tests do not: the whole of an output — every column, its
order and formatting, the row order, the lines on stderr — so any change to what a user gets
shows up as a diff to review.  A change that is meant is accepted by writing the files anew::

    CLUSTERID_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

and reviewing ``git diff tests/golden`` before committing it.  The ``.meta.json`` sidecars are
left out (they carry the tool's version and input checksums, tested elsewhere); paths in
messages are written as ``<tmp>`` (the output folder) so the files do not depend on where the
tests run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import ROOT, repository_writes_allowed, run_main

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("CLUSTERID_UPDATE_GOLDEN") == "1"

# (case, command line with {out} for the case's output folder, expected exit code).  Inputs are
# paths relative to the project root, as the README's examples give them.
CASES = [
    ("ingest_qcew_annual", "ingest tests/data/qcew/2016.annual.49001.beaver_county.csv -o {out}/canonical.csv", 0),
    ("ingest_cbp_county", "ingest tests/data/cbp/cbp16co_excerpt.txt -o {out}/canonical.csv", 0),
    ("ingest_eurostat_tsv", "ingest tests/data/eurostat/namq_10_a10_e_bulk_excerpt.tsv -o {out}/canonical.csv", 0),
    ("ingest_kz_cp1251", "ingest tests/data/generic/kz_oked_cp1251.csv -o {out}/canonical.csv", 0),
    ("ingest_de_latin1", "ingest tests/data/generic/de_laender_latin1.csv -o {out}/canonical.csv", 0),
    ("ingest_bad_number", "ingest tests/data/generic/bad_number.csv -o {out}/canonical.csv", 1),
    ("stats_summary_csv", "stats tests/data/lq/toy_canonical.csv --by summary --output-format csv", 0),
    ("stats_region_json", "stats tests/data/lq/toy_canonical.csv --output-format json", 0),
    ("lq_toy_sum", "lq tests/data/lq/toy_canonical.csv -o - --denominator sum", 0),
    ("lq_toy_reference_bh", "lq tests/data/lq/toy_canonical.csv -o {out}/lq.csv "
                            "--benchmark tests/data/lq/toy_shares.csv --correction bh", 0),
    ("lq_unknown_region", "lq tests/data/lq/toy_canonical.csv -o - --benchmark region:ZZ", 2),
    ("impute_utah_slice", "impute tests/data/impute/qcew_utah_2016q1_slice.csv -o {out}/imputed.csv", 0),
    ("indices_laender", "indices tests/data/reat/laender_emp.csv -o - --period 2014", 0),
    ("indices_goettingen_reference", "indices tests/data/reat/goettingen.csv "
                                     "-b tests/data/reat/goettingen_germany.csv -o -", 0),
    ("shift_share_laender", "shift-share tests/data/reat/laender_emp.csv --from 2008 --to 2014 -o -", 0),
    ("detect_kz_oblasts", "detect tests/data/pipeline2/kz_oked_oblasts_cp1251.csv -o {out}/detect "
                          "--random-state 0", 0),
    ("report_markdown", "report tests/data/report/detect -o {out}/report.md", 0),
]


# A step that took a second or more says so ("detect: reading ... done (1.5 s)"): how long
# depends on the machine's load, so those lines are left out of the comparison.
_TIMING = re.compile(r"^\S+: .* done \(\d+\.\d s\)\n", re.MULTILINE)


def _normalised(text: str, out: Path) -> str:
    return _TIMING.sub("", text.replace(str(out), "<tmp>"))


def _produced(out: Path, stdout: str, stderr: str, code: int) -> dict[str, bytes]:
    """Every file the run wrote (sidecars left out), its stdout and stderr, and its exit code."""
    files = {"exit_code.txt": f"{code}\n".encode(),
             "stdout.txt": _normalised(stdout, out).encode("utf-8"),
             "stderr.txt": _normalised(stderr, out).encode("utf-8")}
    for path in sorted(out.rglob("*")):
        if path.is_file() and not path.name.endswith(".meta.json") and path.name != "metadata.json":
            files[str(path.relative_to(out))] = path.read_bytes()
    return files


@pytest.mark.parametrize("case, command, expected_code", CASES, ids=[c[0] for c in CASES])
def test_golden(case, command, expected_code, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(ROOT)
    code, stdout, stderr = run_main(command.format(out=out).split(), capsys)
    assert code == expected_code, stderr
    got = _produced(out, stdout, stderr, code)
    folder = GOLDEN / case
    if UPDATE:
        with repository_writes_allowed():  # asked for by hand, with -n 0 (see the docstring)
            if folder.exists():
                for old in sorted(folder.rglob("*"), reverse=True):
                    old.unlink() if old.is_file() else old.rmdir()
            for name, data in got.items():
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(data)
        return
    assert folder.is_dir(), (f"no golden files for {case}: write them with "
                             "CLUSTERID_UPDATE_GOLDEN=1 and review them")
    expected = {str(p.relative_to(folder)): p.read_bytes()
                for p in sorted(folder.rglob("*")) if p.is_file()}
    assert sorted(got) == sorted(expected), "the run wrote other files than the golden ones"
    for name in expected:
        assert got[name] == expected[name], (
            f"{case}/{name} differs from tests/golden/{case}/{name}; if the change is meant, "
            "rewrite with CLUSTERID_UPDATE_GOLDEN=1 and review git diff tests/golden")
