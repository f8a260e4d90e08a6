"""The lead's finds of session 33."""

from __future__ import annotations

from conftest import ROOT, run_main


def test_a_pipeline_check_leaves_each_command_its_own_help_option(capsys):
    # run's check of a pipeline parsed each stage's options without clusterid's own context:
    # click then kept its default help option (--help alone) on the command, so `lq --help`
    # later in the same process printed "--help" without "-h" (test_cli_reference failed
    # whenever xdist ran it after test_malformed_pipeline on one worker)
    code, _, _ = run_main(["run", str(ROOT / "data" / "samples" / "pipeline.toml"),
                           "--outdir", "/nonexistent/never-made", "--dry-run"], capsys)
    assert code in (0, 2)
    for command in ("lq", "ingest", "detect", "report"):
        code, out, _ = run_main([command, "--help"], capsys)
        assert code == 0
        assert "-h, --help" in out, command


def test_a_parquet_page_that_makes_polars_panic_is_a_corrupt_file(capsys):
    # polars panics on this damaged page (pyo3's PanicException, a BaseException): it went past
    # every handler, a Python traceback and exit 1 (found by a wider run of the fuzz tests)
    bad = ROOT / "tests" / "data" / "lead33" / "corrupt_page_panics_polars.parquet"
    code, out, err = run_main(["ingest", str(bad), "-o", "-"], capsys)
    assert code == 1 and out == ""
    line = err.strip().splitlines()[-1]
    assert line.startswith(f"clusterid: error: {bad}: not a readable Parquet file (truncated or corrupt?)")


def test_a_panic_anywhere_is_one_line_not_a_traceback(capsys, monkeypatch):
    # the entry point's last resort takes polars' panics too (one line, exit 2), wherever a
    # command meets one
    import polars as pl

    from clusterid.cli import app

    class Group:
        def main(self, **_kwargs):
            raise pl.exceptions.PanicException("assertion failed: offset + length <= self.length")

    monkeypatch.setattr(app, "click_group", lambda: Group())
    code, _, err = run_main(["stats", "x.parquet"], capsys)
    assert code == 2
    assert err.strip().splitlines() == ["clusterid: error: internal error: PanicException: assertion "
                                        "failed: offset + length <= self.length (rerun with --debug "
                                        "for a traceback)"]
