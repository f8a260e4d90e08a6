"""Found by using clusterid as a new user would (a regional statistician following the README on
REAT's German Länder tables and BLS's Utah by-area files): each test fails on the code before
its fix."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import run_main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"


@pytest.fixture
def cli(capsys):
    """``clusterid ARGS`` in-process (what these tests check -- exit codes, messages, files
    left -- is the same in a process of its own, which cost ~0.7 s of start-up a call):
    ``.returncode``, ``.stdout``, ``.stderr``."""

    def run(*args):
        code, out, err = run_main(list(args), capsys)
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)

    return run


def _pipeline(tmp_path: Path, last_stage_options: str) -> Path:
    toml = tmp_path / "pipeline.toml"
    toml.write_text(textwrap.dedent(f"""\
        [pipeline]
        outdir = "out"

        [[stage]]
        name = "ingest"
        inputs = ["{SAMPLE.as_posix()}"]
        output = "canonical.parquet"

        [[stage]]
        name = "lq"
        inputs = ["@ingest"]
        output = "lq.csv"
        options = {{ denominator = "total" }}

        [[stage]]
        name = "detect"
        inputs = ["@ingest"]
        output = "detect"
        options = {last_stage_options}
        """), encoding="utf-8")
    return toml


def test_run_refuses_a_misspelt_option_value_of_a_later_stage_before_running_anything(tmp_path, cli):
    # README: "Every stage's options are checked before the first stage runs, so a typo in the
    # last stage costs nothing".  A misspelt rule / --suppressed value was found only when
    # detect ran, after ingest and lq had run (on a county panel: minutes).
    toml = _pipeline(tmp_path, '{ rule = "uscmp-strng", suppressed = "dorp" }')
    r = cli("run", str(toml))
    assert r.returncode == 2, r.stderr
    assert "uscmp-strng" in r.stderr and "dorp" in r.stderr, r.stderr
    assert "stage 'detect'" in r.stderr
    assert "[ingest]" not in r.stderr  # nothing ran
    assert not (tmp_path / "out").exists()


def test_run_refuses_a_misspelt_choice_of_lq_before_running(tmp_path, cli):
    toml = tmp_path / "p.toml"
    toml.write_text(textwrap.dedent(f"""\
        [pipeline]
        outdir = "out"
        [[stage]]
        name = "ingest"
        inputs = ["{SAMPLE.as_posix()}"]
        output = "c.parquet"
        [[stage]]
        name = "lq"
        inputs = ["@ingest"]
        output = "lq.csv"
        options = {{ denominator = "totl", correction = "bh" }}
        """), encoding="utf-8")
    r = cli("run", str(toml))
    assert r.returncode == 2, r.stderr
    assert "totl" in r.stderr and "all-ownership" in r.stderr, r.stderr
    assert "[ingest]" not in r.stderr


def test_run_still_accepts_valid_values(tmp_path, cli):
    toml = _pipeline(tmp_path, '{ rule = "lq>=1.25,employment>=500,significant", '
                               'suppressed = "bounds", signals = "colocation,hierarchy" }')
    r = cli("run", str(toml), "--dry-run")
    assert r.returncode == 0, r.stderr


def test_a_shift_share_or_indices_output_given_as_input_is_named_as_such(tmp_path, cli):
    # `clusterid indices ss.csv` (the shift-share output passed along by mistake) said "no
    # measure column recognised ... name it with --measure-col", sending the user to map
    # columns of a result table; an lq output was already named as one.
    laender = ROOT / "tests" / "data" / "reat" / "laender_emp.csv"
    ss, ind = tmp_path / "ss.csv", tmp_path / "ind.parquet"
    assert cli("shift-share", str(laender), "--from", "2008", "--to", "2014", "-o", str(ss)).returncode == 0
    assert cli("indices", str(laender), "--period", "2014", "-o", str(ind)).returncode == 0
    for wrong, command, kind in ((ss, "indices", "shift-share"), (ind, "lq", "indices")):
        r = cli(command, str(wrong), "-o", str(tmp_path / "x.csv"))
        assert r.returncode == 2, r.stderr  # the wrong file for the command: a usage error
        assert f"the output of `clusterid {kind}`, not a canonical table" in r.stderr, r.stderr
        assert "--measure-col" not in r.stderr
        assert not (tmp_path / "x.csv").exists()


def test_run_refuses_a_report_of_a_table_stage_before_running(tmp_path, cli):
    # `report` given `@ingest` ran ingest, then failed: "out/c.parquet: is a file (expected the
    # output folder of `clusterid detect`)"; the pipeline file says as much before anything runs
    toml = tmp_path / "p.toml"
    toml.write_text(textwrap.dedent(f"""\
        [pipeline]
        outdir = "out"
        [[stage]]
        name = "ingest"
        inputs = ["{SAMPLE.as_posix()}"]
        output = "c.parquet"
        [[stage]]
        name = "lq"
        inputs = ["@ingest"]
        output = "lq.csv"
        [[stage]]
        name = "detect"
        inputs = ["@lq"]
        output = "det"
        [[stage]]
        name = "report"
        inputs = ["@ingest"]
        output = "r.html"
        """), encoding="utf-8")
    r = cli("run", str(toml))
    assert r.returncode == 2, r.stderr
    assert "stage 'report'" in r.stderr and "stage 'detect'" in r.stderr, r.stderr
    assert "[ingest]" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_a_pdf_or_image_is_said_to_be_one(tmp_path, cli):
    # a PDF saved from the statistical office's site (the table's printed version) was read as
    # text: "no region column recognised (... found '%PDF-1.4'); name it with --region-col"
    pdf = tmp_path / "laender_2014.csv"  # named like a table, as a download often is
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    png = tmp_path / "chart.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    for path, what in ((pdf, "a PDF document"), (png, "a PNG image")):
        for command in ("ingest", "lq"):
            r = cli(command, str(path), "-o", str(tmp_path / "x.csv"))
            assert r.returncode == 1, r.stderr
            assert what in r.stderr and "not a table" in r.stderr, r.stderr
            assert "--region-col" not in r.stderr and "NUL byte" not in r.stderr
            assert len(r.stderr.strip().splitlines()) == 1


def test_a_misspelt_benchmark_region_is_not_blamed_on_dropped_totals(tmp_path, cli):
    # lq REAT_G.regions.emp.csv --benchmark region:Bayrn said the region is not in the input
    # "; reading the raw file dropped 84 rows of region totals: ingest it first with
    # --keep-region-totals" -- advice for 'Insgesamt', not for a typo of Bayern
    raw = tmp_path / "laender.csv"
    raw.write_text("region,industry,year,emp\n"
                   "Bayern,C,2014,1339581\nBayern,F,2014,288109\n"
                   "Hessen,C,2014,500000\nHessen,F,2014,120333\n"
                   "Insgesamt,C,2014,1839581\nInsgesamt,F,2014,408442\n", encoding="utf-8")
    r = cli("lq", str(raw), "-o", "-", "--benchmark", "region:Bayrn")
    assert r.returncode == 2, r.stderr
    assert "'Bayrn' is not in the input" in r.stderr and "Bayern" in r.stderr, r.stderr
    assert "--keep-region-totals" not in r.stderr, r.stderr
    r = cli("lq", str(raw), "-o", "-", "--benchmark", "region:Insgesamt")
    assert r.returncode == 2, r.stderr
    assert "--keep-region-totals" in r.stderr, r.stderr


def test_ingest_says_which_industries_have_no_code(tmp_path, cli):
    # REAT_G.regions.emp.csv names three of its twelve industries without a WZ code
    # ("Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL"): ingest kept them as custom codes
    # with no level and said nothing ("1344 rows kept, 84 dropped"); lq, indices, shift-share
    # and detect then left them out of level sums (a third of the jobs) or summed them apart
    # (since session 32 that title is read as the A*10 group M-N it names, and said so; a
    # label that names no section is still kept as a custom code and said)
    raw = tmp_path / "laender.csv"
    raw.write_text('"industry","region","year","emp"\n'
                   '"Baugewerbe (F)","Bayern",2014,288109\n'
                   '"Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL","Bayern",2014,500000\n'
                   '"Übrige Bereiche","Bayern",2014,7000\n'
                   '"Information und Kommunikation (J)","Bayern",2014,60000\n'
                   '"Baugewerbe (F)","Hessen",2014,120333\n'
                   '"Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL","Hessen",2014,300000\n'
                   '"Übrige Bereiche","Hessen",2014,5000\n'
                   '"Information und Kommunikation (J)","Hessen",2014,40000\n',
                   encoding="utf-8")
    r = cli("ingest", str(raw), "-o", str(tmp_path / "c.csv"))
    assert r.returncode == 0, r.stderr
    assert "1 industry without a code" in r.stderr, r.stderr
    assert "(Übrige Bereiche)" in r.stderr
    assert "--classification custom" in r.stderr
    assert ("1 industries listed by title only, read as the NACE sections they name "
            "(Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL = M-N)") in r.stderr


def test_run_names_the_option_whose_file_is_missing(tmp_path, cli):
    # benchmark = "regoin:49000" (a typo of region:49000) was reported as
    # "input /…/regoin:49000: no such file": an input the stage does not have
    toml = tmp_path / "p.toml"
    toml.write_text(textwrap.dedent(f"""\
        [pipeline]
        outdir = "out"
        [[stage]]
        name = "lq"
        inputs = ["{SAMPLE.as_posix()}"]
        output = "lq.csv"
        options = {{ benchmark = "regoin:49000" }}
        [[stage]]
        name = "detect"
        inputs = ["{SAMPLE.as_posix()}"]
        output = "det"
        options = {{ definitions = "uscmpp" }}
        """), encoding="utf-8")
    r = cli("run", str(toml))
    assert r.returncode == 2, r.stderr
    assert "option benchmark" in r.stderr and "sum, rest, region:ID" in r.stderr, r.stderr
    assert "option definitions" in r.stderr and "uscmp" in r.stderr, r.stderr
    assert "input " not in r.stderr, r.stderr


def test_detect_region_level_with_definitions_is_not_silently_ignored(tmp_path, cli):
    # my Utah pipeline: detect with definitions = "uscmp", region_level = "county" wrote the
    # state, the MSAs and the CSA beside the counties without a word: --region-level picks the
    # regions relatedness is measured on, which --definitions does not compute
    r = cli("detect", str(SAMPLE), "-o", str(tmp_path / "d"), "--definitions", "uscmp",
            "--region-level", "county")
    assert r.returncode == 2, r.stderr
    assert "--region-level" in r.stderr and "every region level" in r.stderr, r.stderr
    assert not (tmp_path / "d").exists()


def test_ingest_says_why_rows_were_dropped(tmp_path, cli):
    # "ingest: 1344 rows kept, 84 dropped" left the user to open the metadata to learn that the
    # 84 were the 'Insgesamt' rows (and how to keep them)
    raw = tmp_path / "laender.csv"
    raw.write_text("region,industry,year,emp\n"
                   "Bayern,C,2014,1339581\nHessen,C,2014,500000\nInsgesamt,C,2014,1839581\n",
                   encoding="utf-8")
    r = cli("ingest", str(raw), "-o", str(tmp_path / "c.csv"))
    assert r.returncode == 0, r.stderr
    assert "2 rows kept, 1 dropped" in r.stderr
    assert "dropped: 1 region total rows" in r.stderr and "--keep-region-totals" in r.stderr, r.stderr


def test_ingest_period_on_a_table_with_a_period_column_is_not_ignored(tmp_path, cli):
    # `clusterid ingest REAT_G.regions.emp.csv --period 2014` (as stats and indices filter by
    # --period) wrote all seven years, 2008-2014, without a word: ingest's --period names the
    # period of a file that has no period column, and this one has 'year'
    raw = tmp_path / "laender.csv"
    raw.write_text("region,industry,year,emp\n"
                   "Bayern,C,2013,1339000\nBayern,C,2014,1339581\n"
                   "Hessen,C,2013,499000\nHessen,C,2014,500000\n", encoding="utf-8")
    out = tmp_path / "c.csv"
    r = cli("ingest", str(raw), "-o", str(out), "--period", "2014")
    assert r.returncode == 2, r.stderr
    assert "--period 2014" in r.stderr and "'year'" in r.stderr, r.stderr
    assert not out.exists()
    # a file without a period column still takes it
    one = tmp_path / "one.csv"
    one.write_text("region,industry,emp\nBayern,C,1339581\nHessen,C,500000\n", encoding="utf-8")
    r = cli("ingest", str(one), "-o", str(out), "--period", "2014")
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("2014,")


def test_run_refuses_grouping_options_beside_definitions_before_running(tmp_path, cli):
    # detect refuses --region-level (and --level, --io ...) with --definitions; in a pipeline
    # that came after ingest and lq had run
    toml = _pipeline(tmp_path, '{ definitions = "uscmp", region_level = "county" }')
    r = cli("run", str(toml))
    assert r.returncode == 2, r.stderr
    assert "stage 'detect'" in r.stderr and "region_level" in r.stderr, r.stderr
    assert "[ingest]" not in r.stderr
    toml = _pipeline(tmp_path, '{ definitions = "uscmp", compare = "uscmp", region_level = "county" }')
    assert cli("run", str(toml), "--dry-run").returncode == 0


def test_an_output_that_is_a_device_or_pipe_is_not_replaced(tmp_path, cli):
    # `clusterid lq de.csv -o /dev/null` (to time a run without keeping its output) renamed
    # its temporary file over /dev/null: run as root, the device became a regular file for
    # every process on the machine.  A FIFO stands in for the device here.
    import os
    import stat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    laender = ROOT / "tests" / "data" / "reat" / "laender_emp.csv"
    for command in (["lq", str(laender)], ["ingest", str(laender)]):
        r = cli(*command, "-o", str(fifo))
        assert r.returncode == 2, r.stderr
        assert "not a regular file" in r.stderr and "-o -" in r.stderr, r.stderr
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no sidecar, no temp file
    r = cli("report", str(ROOT / "tests" / "data" / "report" / "detect"), "-o", str(fifo),
            "--format", "md")
    assert r.returncode == 2 and stat.S_ISFIFO(os.stat(fifo).st_mode), r.stderr


def test_run_outdir_that_is_a_file_is_said_to_be_one(tmp_path, cli):
    # `clusterid run p.toml --outdir afile` said "cannot create the run lock there: File exists"
    toml = _pipeline(tmp_path, '{ rule = "uscmp-strong" }')
    afile = tmp_path / "afile"
    afile.write_text("notes\n", encoding="utf-8")
    r = cli("run", str(toml), "--outdir", str(afile))
    assert r.returncode == 2, r.stderr
    assert "is a file" in r.stderr and "folder" in r.stderr, r.stderr
    assert "run lock" not in r.stderr
    assert afile.read_text(encoding="utf-8") == "notes\n"
