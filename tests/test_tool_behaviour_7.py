"""clusterid run by hand and from scripts on malformed or unusual inputs (round 7): every bad
input is a located one-line error with exit 1 or 2 and no output, never a silent result."""

from __future__ import annotations

import json

import pytest

from conftest import TEST_DATA, run_main, run_ok

TOY = TEST_DATA / "lq" / "toy_canonical.csv"


def _canonical_parquet(tmp_path, capsys):
    """The toy table as clusterid writes it (Parquet with its metadata)."""
    out = tmp_path / "toy.parquet"
    run_ok(["ingest", str(TOY), "-o", str(out)], capsys)
    return out


def test_header_only_canonical_table_is_bad_data_for_every_stage(tmp_path, capsys):
    """A canonical CSV of only its header: lq, stats and impute wrote an empty table with exit
    0, detect stopped with an internal IndexError (exit 2)."""
    header = TOY.read_text(encoding="utf-8").splitlines()[0]
    empty = tmp_path / "empty.csv"
    empty.write_text(header + "\n", encoding="utf-8")
    for argv in (["lq", str(empty), "-o", str(tmp_path / "lq.csv")],
                 ["stats", str(empty), "-o", str(tmp_path / "stats.csv")],
                 ["impute", str(empty), "-o", str(tmp_path / "impute.csv")],
                 ["detect", str(empty), "-o", str(tmp_path / "det")]):
        code, out, err = run_main(argv, capsys)
        assert code == 1, (argv, err)
        assert f"{empty}: the table has no data rows" in err, err
        assert "internal error" not in err and out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.csv"]


def test_nul_byte_in_a_canonical_csv_is_located_not_a_region_of_its_own(tmp_path, capsys):
    """A NUL inside a region code made '4\\x0001' a region of its own, silently (exit 0)."""
    lines = TOY.read_bytes().split(b"\n")
    cells = lines[3].split(b",")
    cells[1] = cells[1][:1] + b"\x00" + cells[1][1:]
    lines[3] = b",".join(cells)
    bad = tmp_path / "nul.csv"
    bad.write_bytes(b"\n".join(lines))
    code, out, err = run_main(["lq", str(bad), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 1, err
    assert f"{bad}:4: NUL byte in a text file" in err
    assert not (tmp_path / "lq.csv").exists() and not (tmp_path / "lq.csv.meta.json").exists()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -5.0])
def test_nan_inf_or_negative_in_a_canonical_parquet_with_its_metadata(tmp_path, capsys, value):
    """A clusterid Parquet edited by a tool that keeps the file's metadata (pyarrow): its
    values were trusted, a NaN left out of the benchmark sums and an inf made the LQ of every
    other region in the industry 0.0."""
    import polars as pl

    good = _canonical_parquet(tmp_path, capsys)
    meta = pl.read_parquet_metadata(good)
    assert "clusterid" in meta
    df = pl.read_parquet(good)
    df = df.with_columns(pl.when(pl.int_range(pl.len()) == 2).then(value)
                         .otherwise(pl.col("employment")).alias("employment"))
    bad = tmp_path / "edited.parquet"
    df.write_parquet(bad, metadata={"clusterid": meta["clusterid"]})
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(bad), "-o", str(out)], capsys)
    assert code == 1, err
    assert f"{bad}: column 'employment':" in err and "row 3" in err, err
    assert not out.exists()
    # the file as clusterid wrote it still reads
    run_ok(["lq", str(good), "-o", str(out)], capsys)
    assert json.loads((tmp_path / "lq.csv.meta.json").read_text())["kind"] == "lq"


def _run_with_closed(fd: int, argv, cwd):
    """The real program with file descriptor ``fd`` closed (``>&-`` / ``2>&-`` in a shell)."""
    import os
    import subprocess
    import sys

    other = subprocess.PIPE
    return subprocess.run([sys.executable, "-m", "clusterid", *argv], cwd=cwd,
                          stdout=other if fd != 1 else None, stderr=other if fd != 2 else None,
                          preexec_fn=lambda: os.close(fd), check=False)


def test_closed_stderr_does_not_fail_a_run_that_succeeded(tmp_path):
    """`2>&-` (a daemon's job): the first message on stderr raised, so a run that had written
    its output exited 1, as for bad data."""
    done = _run_with_closed(2, ["lq", str(TOY), "-o", "lq.csv"], tmp_path)
    assert done.returncode == 0
    assert (tmp_path / "lq.csv").exists() and (tmp_path / "lq.csv.meta.json").exists()
    bad = _run_with_closed(2, ["lq", str(tmp_path / "none.csv"), "-o", "lq2.csv"], tmp_path)
    assert bad.returncode == 2 and not (tmp_path / "lq2.csv").exists()


@pytest.mark.parametrize("argv", [["lq", str(TOY), "-o", "-"], ["stats", str(TOY)]])
def test_data_for_a_closed_stdout_is_an_output_error(tmp_path, argv):
    """`>&-`: the data had nowhere to go and the run stopped with an internal AttributeError."""
    done = _run_with_closed(1, argv, tmp_path)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "clusterid: error: -: standard output is closed" in err
    assert "internal error" not in err and "Traceback" not in err
    # an output file does not need stdout
    assert _run_with_closed(1, ["lq", str(TOY), "-o", "lq.csv"], tmp_path).returncode == 0


@pytest.mark.parametrize("head, message", [
    ('outdri = "elsewhere"', "[pipeline]: unknown keys (expected outdir, found 'outdri')"),
    ("outdir = 5", "[pipeline]: 'outdir' is not a folder path"),
])
def test_pipeline_section_with_a_misspelt_or_wrong_key(tmp_path, capsys, head, message):
    """`outdri = "elsewhere"` was ignored: the run wrote to ./out, exit 0."""
    pfile = tmp_path / "p.toml"
    pfile.write_text(f'[pipeline]\n{head}\n\n[[stage]]\nname = "ingest"\ninputs = ["{TOY}"]\n'
                     'output = "canonical.parquet"\n', encoding="utf-8")
    code, _, err = run_main(["run", str(pfile)], capsys)
    assert code == 2, err
    assert f"{pfile}:2: {message}" in err, err  # the line of the key
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.toml"]


def test_stats_output_onto_its_input_is_refused(tmp_path, capsys):
    """`stats T.csv -o T.csv` replaced the table by its statistics, exit 0."""
    table = tmp_path / "t.csv"
    table.write_bytes(TOY.read_bytes())
    for extra in ([], ["--output-format", "json"]):
        code, _, err = run_main(["stats", str(table), "-o", str(table), *extra], capsys)
        assert code == 2, err
        assert "is the input" in err
        assert table.read_bytes() == TOY.read_bytes()


def test_ingest_rejects_onto_the_input_or_the_output_is_refused(tmp_path, capsys):
    """`--rejects RAW` replaced the raw file by its rejected rows; `--rejects OUT` was replaced
    by the output: both exit 0."""
    raw = tmp_path / "raw.csv"
    text = "region,industry,period,employment\nA,11,2016,5\nB,11,2016,-7\nA,12,2016,3\nB,12,2016,9\n"
    raw.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    for rejects in (raw, out):
        code, _, err = run_main(["ingest", str(raw), "-o", str(out), "--on-error", "skip",
                                 "--rejects", str(rejects)], capsys)
        assert code == 2, err
        assert raw.read_text(encoding="utf-8") == text
        assert not out.exists()
    run_ok(["ingest", str(raw), "-o", str(out), "--on-error", "skip",
            "--rejects", str(tmp_path / "rej.csv")], capsys)
    assert "negative value" in (tmp_path / "rej.csv").read_text(encoding="utf-8")


def test_report_onto_a_file_of_its_detect_folder_is_refused(tmp_path, capsys):
    """`report DET -o DET/metadata.json` (or a table of it) replaced detect's output by the
    report, exit 0; a report beside them is written, also a second time."""
    det = tmp_path / "det"
    run_ok(["detect", str(TOY), "-o", str(det), "--signals", "colocation"], capsys)
    before = {p.name: p.read_bytes() for p in det.iterdir()}
    for name, fmt in (("metadata.json", "json"), ("clusters.csv", "md")):
        code, _, err = run_main(["report", str(det), "-o", str(det / name), "--format", fmt], capsys)
        assert code == 2, err
        assert "is the input" in err
    assert {p.name: p.read_bytes() for p in det.iterdir()} == before
    for _ in range(2):
        run_ok(["report", str(det), "-o", str(det / "report.html")], capsys)


@pytest.mark.parametrize("target, extra", [("folder", ["--output-format", "csv"]),
                                           ("folder", []), ("new/", []),
                                           ("new/", ["--output-format", "csv"])])
def test_output_onto_a_folder_writes_nothing(tmp_path, capsys, target, extra):
    """`-o DIR` of a CSV failed at the rename after writing its sidecar DIR.meta.json; `-o new/`
    wrote a Parquet file named `new` (or, as CSV, a folder `new` holding only `.meta.json`)."""
    (tmp_path / "folder").mkdir()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    out = str(tmp_path / target.rstrip("/")) + ("/" if target.endswith("/") else "")
    code, _, err = run_main(["lq", str(TOY), "-o", out, *extra], capsys)
    assert code == 2, err
    assert "is a folder; the output is a file" in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_report_and_stats_onto_a_folder_write_nothing(tmp_path, capsys):
    det = tmp_path / "det"
    run_ok(["detect", str(TOY), "-o", str(det), "--signals", "colocation"], capsys)
    for argv in (["report", str(det), "-o", str(tmp_path / "rep") + "/", "--format", "html"],
                 ["stats", str(TOY), "-o", str(det), "--output-format", "csv"]):
        code, _, err = run_main(argv, capsys)
        assert code == 2, err
        assert "is a folder" in err
    assert not (tmp_path / "rep").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["det"]


def test_corrupt_data_page_of_a_parquet_input_is_bad_data_named(tmp_path, capsys):
    """A Parquet file whose footer reads but whose first data page is damaged (a copy cut
    short and patched, a bad disk) failed inside the stage: 'internal error: ComputeError',
    exit 2, no file named."""
    import polars as pl

    good = _canonical_parquet(tmp_path, capsys)
    meta = pl.read_parquet_metadata(good)
    whole = tmp_path / "zstd.parquet"
    pl.read_parquet(good).write_parquet(whole, metadata={"clusterid": meta["clusterid"]},
                                        compression="zstd", statistics=False)
    data = bytearray(whole.read_bytes())
    data[20:28] = b"\xff" * 8  # inside the first column chunk, far from the footer
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(bytes(data))
    pl.read_parquet_schema(bad)  # the footer is fine: the file opens
    with pytest.raises(pl.exceptions.ComputeError):
        pl.read_parquet(bad)
    for argv in (["lq", str(bad), "-o", str(tmp_path / "lq.csv")],
                 ["stats", str(bad)],
                 ["detect", str(bad), "-o", str(tmp_path / "det")]):
        code, out, err = run_main(argv, capsys)
        assert code == 1, err
        assert f"{bad}: not a readable Parquet file (corrupt data:" in err, err
        assert "internal error" not in err and out == ""
    assert not (tmp_path / "lq.csv").exists() and not (tmp_path / "det").exists()


def test_lq_says_an_unwritable_output_name_before_the_work(tmp_path, capsys, monkeypatch):
    """`lq -o x.xlsx` (or a folder) computed every LQ, then refused the name: on a national
    table, minutes for a usage error.  Now the input is not even read."""
    import clusterid.cli.lq as lq_cli

    def no_read(*args, **kwargs):
        raise AssertionError("the input was read before the output name was checked")

    monkeypatch.setattr(lq_cli, "open_input", no_read)
    monkeypatch.setattr(lq_cli, "input_records_of", no_read)
    (tmp_path / "folder").mkdir()
    for out in ("x.xlsx", "folder"):
        code, _, err = run_main(["lq", str(TOY), "-o", str(tmp_path / out)], capsys)
        assert code == 2, err
        assert err.startswith(f"clusterid: error: {tmp_path / out}: ") and err.count("\n") == 1, err
        assert "internal error" not in err


@pytest.mark.parametrize("line, message", [
    ("output = 5", "'output' is not a path (expected a path relative to outdir, found '5')"),
    ('output = ""', "'output' is not a path"),
    ("inputs = 3", "'inputs' is not a list of paths"),
    ("inputs = []", "'inputs' is empty"),
])
def test_stage_key_of_the_wrong_type_is_not_said_missing(tmp_path, capsys, line, message):
    """`output = 5` was reported as "missing 'output'" though the key is there."""
    key = line.split()[0]
    fields = {"inputs": f'inputs = ["{TOY}"]', "output": 'output = "lq.csv"'}
    fields[key] = line
    pfile = tmp_path / "p.toml"
    pfile.write_text('[[stage]]\nname = "lq"\n' + "\n".join(fields.values()) + "\n", encoding="utf-8")
    code, _, err = run_main(["run", str(pfile)], capsys)
    assert code == 2, err
    assert f"stage 'lq': {message}" in err and "missing" not in err, err


def test_nul_byte_in_a_table_of_a_detect_folder_is_located(tmp_path, capsys):
    """A NUL in clusters.csv was carried into the report (exit 0, 'edited since?' only)."""
    det = tmp_path / "det"
    run_ok(["detect", str(TOY), "-o", str(det), "--signals", "colocation"], capsys)
    lines = (det / "clusters.csv").read_bytes().split(b"\n")
    lines[1] = lines[1][:1] + b"\x00" + lines[1][1:]
    (det / "clusters.csv").write_bytes(b"\n".join(lines))
    out = tmp_path / "r.html"
    code, _, err = run_main(["report", str(det), "-o", str(out)], capsys)
    assert code == 1, err
    assert f"{det / 'clusters.csv'}:2: NUL byte in a text file" in err
    assert "clusterid detect` again" in err and not out.exists()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_an_lq_table_given_as_input_is_named_for_what_it_is(tmp_path, capsys, fmt):
    """A script passing lq's output on: 'the table has no measure column' from '<input>' (lq),
    "no 'employment' measure (expected one of (none), found 'employment')" (indices)."""
    lq_out = tmp_path / f"lq.{fmt}"
    run_ok(["lq", str(TOY), "-o", str(lq_out)], capsys)
    for argv in (["lq", str(lq_out), "-o", "-"], ["indices", str(lq_out), "-o", "-"],
                 ["stats", str(lq_out)], ["lq", str(TOY), "-b", str(lq_out), "-o", "-"]):
        code, out, err = run_main(argv, capsys)
        assert code == 2, (argv, err)  # the wrong file for the command: a usage error
        assert f"{lq_out}: the output of `clusterid lq`, not a canonical table" in err, err
        assert out == ""
