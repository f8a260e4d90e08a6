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
