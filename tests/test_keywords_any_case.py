"""Option keywords in any case, as --period, --ownership and --measure already match:
``--benchmark REST`` / ``Region:49000`` in lq, indices and shift-share, ``report --format MD``.
They were refused ('expected sum, rest, region:ID or an existing reference file';
"unknown --format 'MD'")."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from clusterid.cli.options import benchmark_spec
from conftest import ROOT, run_main

SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
# a QCEW quarter of Utah, its counties and a few industries: detect in ~1 s, not ~7 s
SLICE = ROOT / "tests" / "data" / "impute" / "qcew_utah_2016q1_slice.csv"
# a detect output folder as committed for the report tests (and the README's report example)
DETECTED = ROOT / "tests" / "data" / "report" / "detect"


def _run(capsys, *argv):
    """``clusterid -q ARGV`` in-process (the keywords are parsed the same way in a process of
    its own): ``.returncode``, ``.stdout``, ``.stderr``."""
    code, out, err = run_main(["-q", *map(str, argv)], capsys)
    return SimpleNamespace(returncode=code, stdout=out, stderr=err)


def test_benchmark_spec_keywords():
    assert benchmark_spec("REST") == "rest"
    assert benchmark_spec(" Sum ") == "sum"
    assert benchmark_spec("Region:49000") == "region:49000"
    assert benchmark_spec("REGION:de1") == "region:de1"  # the ID as given
    assert benchmark_spec("national.csv") == "national.csv"


@pytest.fixture(scope="module")
def table(utah_parquet):
    """The Utah sample ingested with the defaults (conftest, once for the session)."""
    return utah_parquet


@pytest.mark.parametrize("given, plain", [("REST", "rest"), ("Sum", "sum"),
                                          ("Region:49000", "region:49000")])
def test_lq_benchmark_keyword_in_any_case(table, tmp_path, given, plain, capsys):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for bench, out in ((given, a), (plain, b)):
        res = _run(capsys, "lq", table, "-o", out, "--period", "2016Q1", "-b", bench)
        assert res.returncode == 0, res.stderr
    assert a.read_bytes() == b.read_bytes()
    # and the metadata records the keyword as the plain one
    import json

    side = [json.loads((tmp_path / f"{x}.csv.meta.json").read_text()) for x in ("a", "b")]
    assert side[0]["options"]["benchmark"] == side[1]["options"]["benchmark"] == plain


def test_indices_and_shift_share_benchmark_keyword_in_any_case(table, tmp_path, capsys):
    for argv in (["indices", table, "-b"], ["shift-share", table, "--from", "2016Q1", "--to",
                                             "2016Q4", "-b"]):
        outs = []
        for bench in ("REST", "rest"):
            out = tmp_path / f"{argv[0]}_{bench}.csv"
            res = _run(capsys, *argv, bench, "-o", out)
            assert res.returncode == 0, (argv, res.stderr)
            outs.append(out.read_bytes())
        assert outs[0] == outs[1]


def test_report_format_in_any_case(tmp_path, capsys):
    det = DETECTED
    got = {}
    for fmt in ("md", "MD", "Markdown"):
        out = tmp_path / f"r_{fmt}.txt"
        res = _run(capsys, "report", det, "-o", out, "--format", fmt)
        assert res.returncode == 0, (fmt, res.stderr)
        got[fmt] = out.read_bytes()
    assert got["md"] == got["MD"] == got["Markdown"]
    bad = _run(capsys, "report", det, "-o", tmp_path / "r.pdf", "--format", "PDF")
    assert bad.returncode == 2 and "expected one of html, md, json" in bad.stderr


def test_ingest_format_in_any_case(tmp_path, capsys):
    # 'unknown --format 'CBP'; expected one of auto, generic, qcew, cbp, eurostat, bea'
    cbp = ROOT / "tests" / "data" / "cbp" / "cbp16co_excerpt.txt"
    outs = []
    for fmt in ("cbp", "CBP", " Cbp"):
        out = tmp_path / f"o_{fmt.strip()}.csv"
        res = _run(capsys, "ingest", cbp, "-o", out, "--format", fmt)
        assert res.returncode == 0, (fmt, res.stderr)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    bad = _run(capsys, "ingest", cbp, "-o", tmp_path / "x.csv", "--format", "SAS")
    assert bad.returncode == 2 and "unknown --format 'sas'" in bad.stderr


def test_lq_denominator_correction_suppressed_in_any_case(table, tmp_path, capsys):
    # 'unknown denominator 'TOTAL'', 'unknown correction 'BH'', "--suppressed 'Bounds'"
    import json

    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for opts, out in ((("TOTAL", "BH", "Bounds"), a), (("total", "bh", "bounds"), b)):
        res = _run(capsys, "lq", table, "-o", out, "--period", "2016Q1", "--denominator",
                   opts[0], "--correction", opts[1], "--suppressed", opts[2])
        assert res.returncode == 0, res.stderr
    assert a.read_bytes() == b.read_bytes()
    side = json.loads((tmp_path / "a.csv.meta.json").read_text())
    assert side["options"]["denominator"] == "total"
    bad = _run(capsys, "lq", table, "-o", tmp_path / "c.csv", "--denominator", "Median")
    assert bad.returncode == 2 and "unknown denominator 'median'" in bad.stderr


def test_impute_method_in_any_case(tmp_path, capsys):
    # "--method 'Midpoint'; expected one of constrained, prior, midpoint, bounds-only"
    src = ROOT / "tests" / "data" / "impute" / "qcew_utah_2016q1_slice.csv"
    outs = []
    for method in ("midpoint", "MidPoint"):
        out = tmp_path / f"i_{method}.csv"
        res = _run(capsys, "impute", src, "-o", out, "--method", method)
        assert res.returncode == 0, (method, res.stderr)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_detect_keywords_in_any_case(tmp_path, capsys):
    # --method DPS, --rule USCMP-Strong, --suppressed DROP, --universe ALL, --lq-denominator
    # AUTO were each refused ('--method 'DPS'; expected one of dps, leiden')
    import json

    det = tmp_path / "det"
    res = _run(capsys, "detect", SLICE, "--month", "1", "-o", det, "--method", "DPS",
               "--rule", "USCMP-Strong", "--suppressed", "DROP", "--universe", "ALL",
               "--lq-denominator", "AUTO")
    assert res.returncode == 0, res.stderr
    opts = json.loads((det / "metadata.json").read_text())["options"]
    assert (opts["method"], opts["rule"], opts["suppressed"], opts["universe"], opts["lq_denominator"]) == (
        "dps", "uscmp-strong", "drop", "all", "auto")


def test_output_format_on_error_and_by_in_any_case(tmp_path, capsys):
    # "unknown output format 'CSV'; expected 'parquet' or 'csv'", "--on-error 'SKIP': expected
    # fail or skip", "--by 'Summary': expected one of region, industry, summary"
    cbp = ROOT / "tests" / "data" / "cbp" / "cbp16co_excerpt.txt"
    a, b = tmp_path / "a.out", tmp_path / "b.out"
    for (fmt, on_error), out in ((("CSV", "SKIP"), a), (("csv", "skip"), b)):
        res = _run(capsys, "ingest", cbp, "-o", out, "--output-format", fmt, "--on-error",
                   on_error)
        assert res.returncode == 0, res.stderr
    assert a.read_bytes() == b.read_bytes() and a.read_text().startswith("period,region,")
    stats = [_run(capsys, "stats", a, "--by", by, "--output-format", fmt)
             for by, fmt in (("Summary", "CSV"), ("summary", "csv"))]
    assert all(r.returncode == 0 for r in stats), stats[0].stderr
    assert stats[0].stdout == stats[1].stdout
    outs = []
    for by in ("Region", "region"):
        out = tmp_path / f"ix_{by}.csv"
        res = _run(capsys, "indices", a, "-o", out, "--by", by)
        assert res.returncode == 0, res.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_run_pipeline_takes_stage_keywords_in_any_case(tmp_path, capsys):
    # `clusterid run` checks the stages' options before any stage runs: it refused
    # benchmark = "Sum" as a missing file and correction = "BH", rule = "USCMP-Strong",
    # format = "Markdown" as unknown, though the commands take them
    import shutil

    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    toml = tmp_path / "p.toml"
    toml.write_text(
        '[pipeline]\noutdir = "out"\n\n'
        f'[[stage]]\nname = "ingest"\ninputs = ["{SAMPLE.name}"]\noutput = "c.parquet"\n'
        'options = { format = "QCEW", on_error = "Fail" }\n\n'
        '[[stage]]\nname = "lq"\ninputs = ["@ingest"]\noutput = "lq.parquet"\n'
        'options = { benchmark = "Sum", correction = "BH", denominator = "Total" }\n\n'
        '[[stage]]\nname = "detect"\ninputs = ["@ingest"]\noutput = "det"\n'
        'options = { method = "DPS", rule = "USCMP-Strong", suppressed = "Drop" }\n\n'
        '[[stage]]\nname = "report"\ninputs = ["@detect"]\noutput = "r.md"\n'
        'options = { format = "Markdown" }\n')
    res = _run(capsys, "run", toml, "--dry-run")
    assert res.returncode == 0, res.stderr
    toml.write_text(toml.read_text().replace('correction = "BH"', 'correction = "Holm"'))
    res = _run(capsys, "run", toml, "--dry-run")
    assert res.returncode == 2 and "--correction 'Holm'; expected one of" in res.stderr
