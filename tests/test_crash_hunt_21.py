"""Crash hunt 21: malformed and hostile inputs on every command (session 21).

Each test is a defect found by feeding clusterid a hostile input -- a number spelt oddly, a
damaged archive, a path that is no file, a pipeline that cannot run -- and pins the fix: one
line naming the file (and line and column where there is one), what was expected and what was
found, a non-zero exit, no output left behind.  The tables are made in the tests: a canonical
table of the German Länder (tests/data/generic/de_laender_latin1.csv, ingested) and small
made-up tables of Utah county codes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TEST_DATA, run_main, run_ok

LAENDER = TEST_DATA / "generic" / "de_laender_latin1.csv"


def _quietly_ok(argv: list[str]) -> None:
    """``clusterid ARGV`` in-process (for a module fixture: no capsys), which must succeed."""
    from clusterid.cli.app import main

    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code in (0, None)


@pytest.fixture(scope="module")
def laender_csv(tmp_path_factory) -> str:
    """The Länder table as a canonical CSV clusterid wrote (its text; no sidecar kept)."""
    out = tmp_path_factory.mktemp("laender") / "canon.csv"
    _quietly_ok(["-q", "ingest", str(LAENDER), "-o", str(out)])
    return out.read_text(encoding="utf-8")


def _with_cell(text: str, line: int, column: str, value: str) -> str:
    lines = text.splitlines()
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("command", ["lq", "impute"])
def test_a_negative_zero_in_a_foreign_canonical_table_is_zero(tmp_path, capsys, laender_csv,
                                                                command):
    # '-0' in a canonical CSV saved by hand (or -0.0 in a Parquet table numpy wrote) was kept
    # as -0.0: lq wrote value, region_share and lq '-0.0', impute an employment '-0.0', where
    # ingest reads the same cell as 0 and the same table with '0' gave '0.0'
    outs = []
    for name, cell in (("minus.csv", "-0"), ("zero.csv", "0")):
        src = tmp_path / name
        src.write_text(_with_cell(laender_csv, 2, "employment", cell), encoding="utf-8")
        out, _err = run_ok([command, str(src), "-o", "-"], capsys)
        outs.append(out)
    assert "-0.0" not in outs[0]
    assert outs[0] == outs[1]


def test_a_negative_zero_in_a_parquet_table_is_zero(tmp_path, capsys, laender_csv):
    import polars as pl

    src = tmp_path / "canon.csv"
    src.write_text(laender_csv, encoding="utf-8")
    from clusterid import schema

    df = pl.read_csv(src, schema_overrides=schema.polars_schema(schema.MEASURES),
                     infer_schema_length=0)
    df.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(-0.0).otherwise(pl.col("employment"))
                    .alias("employment")).write_parquet(tmp_path / "minus.parquet")
    out, _err = run_ok(["lq", str(tmp_path / "minus.parquet"), "-o", "-"], capsys)
    assert "-0.0" not in out


QCEW_UTAH = TEST_DATA / "qcew" / "utah_3counties_2016_gov.csv.gz"


@pytest.mark.parametrize("command, extra", [("ingest", []), ("ingest", ["--on-error", "skip"]),
                                            ("lq", [])])
def test_a_qcew_gzip_cut_short_is_said_as_such(tmp_path, capsys, command, extra):
    # a QCEW download that stopped (gzip cut at two thirds, its header whole): the pass that
    # looks for headers repeated by cat (f20382e) read the cut gzip before the read that
    # says so, and the run ended in "internal error: OSError: unexpected end of file"
    import gzip

    whole = QCEW_UTAH.read_bytes()
    src = tmp_path / "utah.csv.gz"
    src.write_bytes(whole[: len(whole) * 2 // 3])
    out = tmp_path / "out.csv"
    code, _out, err = run_main([command, str(src), "-o", str(out), *extra], capsys)
    assert code == 1, err
    assert err.count("\n") == 1 and "internal error" not in err, err
    assert f"{src}: gzip-compressed data is truncated or corrupt" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [src.name]


@pytest.mark.parametrize("member, text, reason", [
    ("area.csv", "", "empty: no line of text"),
    ("area.csv", "\ufeff", "empty: no line of text"),
    ("area.csv", "region,industry,year,employment\n", "not a data table"),
])
def test_a_zip_whose_one_csv_holds_no_table_says_why(tmp_path, capsys, member, text, reason):
    # a zip of one empty, BOM-only or header-only CSV was refused as "a zip archive without a
    # data file (expected .csv, .tsv, ...; it holds area.csv)": a .csv refused for not being one
    import zipfile

    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(member, text)
    code, _out, err = run_main(["ingest", str(archive), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert f"download.zip: a zip archive without a data file (expected a table" in err
    assert f"it holds {member} (skipped: {reason}" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["download.zip"]


def test_an_empty_zip_archive_is_said_as_one(tmp_path, capsys):
    # a zip holding nothing (22 bytes, its end record alone: 'zip -d' of its last member) was
    # "not a readable xlsx workbook (corrupt zip, or another zip file) (found 'KeyError ...')"
    import zipfile

    archive = tmp_path / "empty.zip"
    zipfile.ZipFile(archive, "w").close()
    code, _out, err = run_main(["stats", str(archive)], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert "empty.zip: a zip archive without a data file" in err and "it holds nothing" in err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("command", ["ingest", "lq"])
def test_a_device_without_end_given_as_the_input_is_refused(tmp_path, capsys, device, command):
    # read whole in one call, /dev/zero filled memory (16 GB within a minute, in one read that
    # neither `timeout` nor Ctrl-C could stop) until the machine ran out
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    out = tmp_path / "out.csv"
    code, _out, err = run_main([command, device, "-o", str(out)], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert f"{device}: a device, not a file or a pipe" in err
    assert not any(tmp_path.iterdir())


def test_a_pipe_is_still_read_block_by_block(tmp_path, capsys, monkeypatch):
    # stdin of many blocks (64 bytes here, 1 MB in use) reads as the same table as the file
    import io
    import sys

    from clusterid.io import ingest

    monkeypatch.setattr(ingest, "STREAM_BLOCK", 64)
    src = tmp_path / "table.csv"
    rows = ["region,industry,year,employment"] + [
        f"{49001 + 2 * (i // 4)},{311 + i % 4},2016,{100 + i}" for i in range(40)]
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    direct, _err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert direct.count("\n") == 41
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(src.read_bytes())))
    piped, _err = run_ok(["ingest", "-", "-o", "-"], capsys)
    assert piped == direct


def _pipeline(tmp_path, body: str) -> Path:
    """A pipeline file ``P.toml`` beside the Länder table (as ``gen.csv``) in ``tmp_path``."""
    (tmp_path / "gen.csv").write_bytes(LAENDER.read_bytes())
    pfile = tmp_path / "P.toml"
    pfile.write_text(body, encoding="utf-8")
    return pfile


@pytest.mark.parametrize("body, message", [
    # outdir "." and the output named as the pipeline file: the run replaced P.toml with the
    # canonical CSV, exit 0
    ('[pipeline]\noutdir = "."\n[[stage]]\nname = "ingest"\ninputs = ["gen.csv"]\n'
     'output = "P.toml"\noptions = { output_format = "csv" }\n',
     "P.toml:6: stage 'ingest': its output is the pipeline file itself"),
    # a later stage's output over an earlier stage's raw input: the next run read it as changed
    ('[pipeline]\noutdir = "."\n[[stage]]\nname = "ingest"\ninputs = ["gen.csv"]\noutput = "c.csv"\n'
     '[[stage]]\nname = "lq"\ninputs = ["@ingest"]\noutput = "gen.csv"\n',
     "P.toml:10: stage 'lq': its output would replace a file stage 'ingest' reads"),
    ('[pipeline]\noutdir = "o"\n[[stage]]\nname = "ingest"\ninputs = ["../gen.csv"]\n'
     'output = ".clusterid-run.json"\noptions = { output_format = "csv" }\n',
     "P.toml:6: stage 'ingest': its output is the run's own state file"),
])
def test_a_stage_output_over_a_file_the_run_reads_is_refused(tmp_path, capsys, body, message):
    pfile = _pipeline(tmp_path, body)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    code, _out, err = run_main(["run", str(pfile)], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert message in err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("nested", ["x = " + "[" * 3000 + "]" * 3000,
                                    "x = " + "{a = " * 3000 + "1" + "}" * 3000])
def test_a_pipeline_file_nested_too_deeply_is_said_so(tmp_path, capsys, nested):
    # "internal error: RecursionError: maximum recursion depth exceeded"
    pfile = _pipeline(tmp_path, nested + "\n")
    for extra in ([], ["--dry-run"]):
        code, _out, err = run_main(["run", str(pfile), *extra], capsys)
        assert code == 2 and err.count("\n") == 1, err
        assert "P.toml: not valid TOML: values nested too deeply" in err


@pytest.fixture(scope="module")
def detect_folder(tmp_path_factory) -> Path:
    """detect on the Länder table (its default grouping), written once for the report tests."""
    out = tmp_path_factory.mktemp("detect") / "det"
    _quietly_ok(["-q", "detect", str(LAENDER), "-o", str(out)])
    return out


def _copy_of(folder: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(folder, tmp_path / "det"))


@pytest.mark.parametrize("cell", ["inf", "NaN", "1e400", "-inf"])
def test_report_refuses_a_number_no_detect_writes(tmp_path, capsys, detect_folder, cell):
    # a regional_clusters.csv edited by hand to hold inf or NaN: the report was written, exit 0,
    # with the edit noted but an LQ of 'inf' drawn and listed
    folder = _copy_of(detect_folder, tmp_path)
    table = folder / "regional_clusters.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("lq")] = cell
    lines[1] = ",".join(cells)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    code, _out, err = run_main(["report", str(folder), "-o", str(out)], capsys)
    assert code == 1, err
    assert (f"regional_clusters.csv:2: column 'lq': not a finite number (expected a number or "
            f"an empty cell, found '{cell}')") in err
    assert not out.exists()


def test_report_refuses_nan_in_the_metadata(tmp_path, capsys, detect_folder):
    # NaN is no JSON: read by Python's json, the JSON report then failed with "internal error:
    # ValueError: Out of range float values are not JSON compliant: nan"
    folder = _copy_of(detect_folder, tmp_path)
    meta = folder / "metadata.json"
    text = meta.read_text(encoding="utf-8")
    assert '"random_state": 0' in text
    meta.write_text(text.replace('"random_state": 0', '"random_state": NaN'), encoding="utf-8")
    code, _out, err = run_main(["report", str(folder), "-o", str(tmp_path / "r.json")], capsys)
    assert code == 1 and err.count("\n") == 1, err
    assert "metadata.json: not valid JSON (found 'NaN is not a JSON value')" in err


def test_report_on_a_table_replaced_by_gzip_bytes_says_it_is_unreadable(tmp_path, capsys,
                                                                           detect_folder):
    # bytes opening as gzip: counting its records ended in an EOFError, which typer turns into
    # "aborted", exit 130 (Ctrl-C's code)
    folder = _copy_of(detect_folder, tmp_path)
    (folder / "regional_clusters.csv").write_bytes(b"\x1f\x8b\x08" + b"x" * 50)
    code, _out, err = run_main(["report", str(folder), "-o", str(tmp_path / "r.md")], capsys)
    assert code == 1 and err.count("\n") == 1, err
    assert "regional_clusters.csv: not a readable CSV file" in err


def test_an_eof_error_no_reader_caught_is_no_interruption(capsys, monkeypatch):
    # the last resort: an EOFError anywhere was "aborted", exit 130, as if Ctrl-C was pressed
    from clusterid.cli import stats

    def cut(*_a, **_k):
        raise EOFError("Compressed file ended before the end-of-stream marker was reached")

    monkeypatch.setattr(stats, "stats_command", cut, raising=False)
    from clusterid.io import ingest

    monkeypatch.setattr(ingest, "resolve_paths", cut)
    code, _out, err = run_main(["stats", str(LAENDER)], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith("clusterid: error: internal error: EOFError: Compressed file ended")


@pytest.mark.parametrize("cell", ["١٢٣٠", "１２３０", "1_230"])
def test_a_reference_table_cell_python_reads_but_polars_does_not_is_located(tmp_path, capsys,
                                                                              laender_csv, cell):
    # Arabic-Indic or full-width digits, or '1_230', in a benchmark table: the check (Python's
    # float) let it pass and the cast failed later, "internal error: InvalidOperationError"
    src = tmp_path / "canon.csv"
    src.write_text(laender_csv, encoding="utf-8")
    ref = tmp_path / "ref.csv"
    ref.write_text("industry,benchmark_industry_total,benchmark_total\nB,1000,10000\n"
                   f"C,{cell},10000\nF,3000,10000\nJ,4000,10000\n", encoding="utf-8")
    code, _out, err = run_main(["lq", str(src), "-b", str(ref), "-m", "employment", "-o", "-"], capsys)
    assert code == 1 and err.count("\n") == 1, err
    assert (f"ref.csv: column 'benchmark_industry_total': not a number at industry=C (expected a "
            f"number (or an empty cell), found '{cell}')") in err


def test_an_agency_cell_in_other_digits_is_not_a_number_not_an_implausible_one(tmp_path, capsys):
    # CBP's emp '١٢٣' was "not a plausible number (infinite, NaN or beyond 1e15)"
    lines = (TEST_DATA / "cbp" / "cbp16co_excerpt.txt").read_text(encoding="utf-8").splitlines()
    header = [h.strip('"') for h in lines[0].split(",")]
    cells = lines[2].split(",")
    cells[header.index("emp")] = "١٢٣"
    lines[2] = ",".join(cells)
    src = tmp_path / "cbp16co.txt"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1, err
    assert "cbp16co.txt:3: column 'emp': not a number (expected" in err and "plausible" not in err


@pytest.mark.parametrize("command", ["ingest", "stats"])
def test_a_line_of_a_whole_file_is_refused_at_once(tmp_path, capsys, monkeypatch, command):
    # 'a,a,a,...' on one line (line breaks lost; simulated with the limit at 50 fields): each
    # field was tested as a heading, some 50 us apiece, and a 50 MB line took half an hour
    from clusterid.io.readers import generic_raw

    monkeypatch.setattr(generic_raw, "MAX_COLUMNS", 50)
    src = tmp_path / "all on one line.csv"
    src.write_text("region,industry,year,employment," + "01001,311,2016,5," * 20, encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _out, err = run_main([command, str(src), "-o", str(out)], capsys)
    assert code == 1 and err.count("\n") == 1, err
    assert ("all on one line.csv:1: a line of 85 fields (expected a table of at most 50 columns, "
            "found 'region,industry,year,employment,01001 ...')") in err
    assert not out.exists()


def test_a_qcew_row_with_a_cell_over_the_csv_modules_limit_is_read(tmp_path, capsys):
    # a quoted cell over 128 KB in the first data row (an area title pasted whole): the check
    # for BLS's SIC-based files read that row with the csv module's default limit and failed,
    # "internal error: Error: field larger than field limit (131072)"
    lines = (TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv").read_text(
        encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[-1] = '"' + "z" * 140_000 + '"'
    lines[1] = ",".join(cells)
    src = tmp_path / "2016.annual.49001.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv")], capsys)
    assert "internal error" not in err and "field limit" not in err, err
    assert code == 0, err


def test_a_file_cut_while_it_is_read_is_refused(tmp_path, capsys, monkeypatch):
    # a download still writing it, a job replacing it: cut to half its rows mid-read, ingest
    # wrote those rows, exit 0, under the checksum of the whole file taken before the cut
    from clusterid.io import ingest

    src = tmp_path / "table.csv"
    rows = ["region,industry,year,employment"] + [
        f"{49001 + 2 * (i // 4)},{311 + i % 4},2016,{100 + i}" for i in range(400)]
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    half = len("\n".join(rows[:201]) + "\n")
    plain = ingest.adapter_module

    class Cutting:
        def __init__(self, module):
            self.module = module

        def read(self, paths, options):
            result = self.module.read(paths, options)
            with open(src, "r+b") as fh:  # the rest of the file is gone before it is read
                fh.truncate(half)
            return result

    monkeypatch.setattr(ingest, "adapter_module", lambda name: Cutting(plain(name)))
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert "table.csv: changed while it was read (expected the file as the read began" in err
    assert not out.exists()


@pytest.mark.parametrize("option", ["--top-regions", "--top-per-cluster"])
def test_report_takes_a_count_beyond_64_bits_as_every_region(tmp_path, capsys, detect_folder,
                                                               option):
    # "internal error: OverflowError: int too big to convert" (polars' head)
    big = str(10**20)
    huge, _err = run_ok(["report", str(detect_folder), "-o", "-", option, big], capsys)
    some, _err = run_ok(["report", str(detect_folder), "-o", "-", option, "1000"], capsys)
    assert huge == some


@pytest.mark.parametrize("rejects, message", [
    # written there, then the metadata over them: the rows were lost, exit 0, the summary
    # line pointing at the metadata as the rejects
    ("out.csv.meta.json", "is the output's metadata sidecar; name another file"),
    # an unset shell variable: the rows were set aside and written nowhere, exit 0
    ("", "--rejects '': an empty path (an unset shell variable?)"),
])
def test_rejects_where_they_would_be_lost_are_refused(tmp_path, capsys, rejects, message):
    src = tmp_path / "bad_number.csv"
    src.write_bytes((TEST_DATA / "generic" / "bad_number.csv").read_bytes())
    target = str(tmp_path / rejects) if rejects else ""
    code, _out, err = run_main(["ingest", str(src), "-o", str(tmp_path / "out.csv"),
                                "--on-error", "skip", "--rejects", target], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad_number.csv"]


@pytest.mark.parametrize("command", ["lq", "impute", "ingest"])
def test_an_output_over_the_inputs_metadata_sidecar_is_refused(tmp_path, capsys, laender_csv,
                                                                command):
    # 'lq canon.csv -o canon.csv.meta.json' (a tab completion one step too far): the LQs
    # replaced the sidecar, exit 0, and every command then refused canon.csv
    src = tmp_path / "canon.csv"
    src.write_text(laender_csv, encoding="utf-8")
    run_ok(["ingest", str(src), "-o", str(tmp_path / "table.csv")], capsys)
    table, side = tmp_path / "table.csv", tmp_path / "table.csv.meta.json"
    kept = side.read_bytes()
    code, _out, err = run_main([command, str(table), "-o", str(side), "--output-format", "csv"],
                               capsys)
    assert code == 2 and err.count("error:") == 1, err  # lq's warnings come first
    assert f"{side}: is the metadata sidecar of the input {table}" in err
    assert side.read_bytes() == kept
    assert not (tmp_path / "table.csv.meta.json.meta.json").exists()


def test_detect_into_the_folder_of_an_input_named_as_its_output_is_refused(tmp_path, capsys,
                                                                           monkeypatch):
    # 'detect clusters.csv -o .': detect's clusters.csv replaced the input table, exit 0
    src = tmp_path / "clusters.csv"
    src.write_bytes(LAENDER.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, _out, err = run_main(["detect", "clusters.csv", "-o", "."], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert "clusters.csv: is the input clusters.csv" in err
    assert src.read_bytes() == LAENDER.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clusters.csv"]


@pytest.mark.parametrize("target, said", [("moved.csv", "does not exist"),
                                          ("table.csv", "is a loop of links")])
def test_a_link_leading_nowhere_is_said_as_one(tmp_path, capsys, target, said):
    # 'table.csv: no such file' for a name ls lists (a link to a file moved, or to itself)
    link = tmp_path / "table.csv"
    link.symlink_to(target)
    code, _out, err = run_main(["stats", str(link)], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert f"table.csv: a symbolic link to {target}, which {said}" in err
