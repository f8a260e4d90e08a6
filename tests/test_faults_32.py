"""Session 32's hunt for malformed-input and scripting defects (faults-32)."""

from __future__ import annotations

import re

import pytest
from conftest import TEST_DATA, run_main


@pytest.fixture
def terminal_of(monkeypatch):
    """The table view at a terminal's width: stats' console is made once per process, so it is
    made again here with COLUMNS set, and again after the test."""
    from clusterid.cli import console

    def set_width(columns: int) -> None:
        monkeypatch.setenv("COLUMNS", str(columns))
        console.out_console.cache_clear()

    yield set_width
    console.out_console.cache_clear()


def _cells(out: str) -> list[str]:
    return [c.strip() for line in out.splitlines() for c in re.split(r"[│┃]", line) if c.strip()]


@pytest.mark.parametrize("by, wanted", [
    ("region", ["reported", "suppressed", "% suppressed", "total", "detail_reported",
                "coverage %", "100.0%", "70.0%", "33.3%", "70.00"]),
    ("industry", ["reported", "suppressed", "% suppressed", "total_reported", "lower_bound"]),
])
def test_stats_table_on_an_80_column_terminal_shows_every_column(by, wanted, terminal_of,
                                                                  capsys):
    # stats --by region has 13 columns: rich squeezed them all alike into 80 columns and
    # cropped the right-hand ones, so the table showed no coverage (the column the command
    # exists for), 'reported' as 'repo…' and some counts as columns of width 0.  Now the
    # figures go into as many tables as it takes, each with the key columns, none cut.
    terminal_of(80)
    src = TEST_DATA / "lq" / "toy_canonical.csv"
    code, out, err = run_main(["stats", str(src), "--by", by, "--output-format", "table"], capsys)
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 80
    cells = _cells(out)
    for value in wanted:
        assert value in cells, (value, out)
    assert "┳┳" not in out  # no column squeezed to nothing
    assert not [c for c in cells if re.fullmatch(r"[\d,.%]*…", c)]  # no number cut


def test_stats_table_that_fits_is_one_table(terminal_of, capsys):
    terminal_of(200)
    src = TEST_DATA / "lq" / "toy_canonical.csv"
    code, out, err = run_main(["stats", str(src), "--output-format", "table"], capsys)
    assert code == 0, err
    assert out.count("region statistics of employment") == 1 and "(1 of" not in out
    assert "coverage %" in out and "period = 2016" in out


@pytest.mark.parametrize("on_error", ["fail", "skip"])
def test_a_nul_byte_in_a_qcew_title_is_refused_on_its_line(on_error, tmp_path, capsys):
    # the QCEW reader streams the file with polars, which keeps a NUL inside a quoted title:
    # ingest wrote 'Beaver County, Ut\x00ah' into region_name, exit 0, and lq, stats ... then
    # refused that canonical CSV ('NUL byte in a text file'), as ingest's other readers refuse
    # the raw file.  A disk or copy error leaves such bytes.
    lines = (TEST_DATA / "faults32" / "qcew_beaver_2016q1_titles.csv").read_bytes().split(b"\n")
    at = 5
    lines[at] = lines[at].replace(b"Beaver County, Utah", b"Beaver County, Ut\x00ah", 1)
    src = tmp_path / "beaver.csv"
    src.write_bytes(b"\n".join(lines))
    out = tmp_path / "t.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out), "--on-error", on_error], capsys)
    assert code == 1, err
    assert f"beaver.csv:{at + 1}: column 'area_title': NUL byte in a text file" in err, err
    assert len(err.strip().splitlines()) == 1 and not out.exists()


@pytest.mark.parametrize("command", [["lq"], ["stats"], ["detect", "--definitions", "uscmp"]])
def test_two_canonical_csvs_joined_with_cat_say_so(command, tmp_path, capsys):
    # `cat a.csv b.csv > all.csv` of two canonical CSVs: the second header was said as
    # "column 'level': not a number (... found 'level')", which names no cause
    text = (TEST_DATA / "lq" / "toy_canonical.csv").read_text(encoding="utf-8")
    header, *rows = text.splitlines()
    src = tmp_path / "all.csv"
    src.write_text("\n".join([header, *rows[:2], header, *rows[2:]]) + "\n", encoding="utf-8")
    code, _, err = run_main([command[0], str(src), "-o", str(tmp_path / "out"), *command[1:]],
                            capsys)
    assert code == 1, err
    errors = [line for line in err.splitlines() if line.startswith("clusterid: error:")]
    assert len(errors) == 1 and errors[0].startswith(
        f"clusterid: error: {src}:4: the header again inside the table (expected a row of "
        "data, found 'period,"), err
    assert "files joined with cat?" in errors[0], err


def test_a_parquet_table_cut_short_says_so_in_every_command(tmp_path, capsys):
    # ingest said "not a readable Parquet file (truncated or corrupt?)"; lq, stats, detect ...
    # said only "not a readable Parquet file (found 'parquet: File out of specification: The
    # file must end wit...')", with no word of what to do
    table = tmp_path / "t.parquet"
    code, _, err = run_main(["ingest", str(TEST_DATA / "lq" / "toy_canonical.csv"), "-o",
                             str(table)], capsys)
    assert code == 0, err
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(table.read_bytes()[: table.stat().st_size // 2])
    for argv in (["lq", str(cut), "-o", str(tmp_path / "lq.csv")], ["stats", str(cut)],
                 ["ingest", str(cut), "-o", str(tmp_path / "again.parquet")]):
        code, out, err = run_main(argv, capsys)
        assert code == 1 and out == "", err
        assert f"{cut}: not a readable Parquet file (truncated or corrupt?)" in err, err
        assert len(err.strip().splitlines()) == 1, err
    for argv in (["lq", str(cut), "-o", str(tmp_path / "lq.csv")], ["stats", str(cut)]):
        _, _, err = run_main(argv, capsys)
        assert err.rstrip().endswith("write or copy it again"), err


def test_run_log_json_to_a_stderr_whose_reader_is_gone_runs_every_stage(tmp_path, monkeypatch):
    # `clusterid run p.toml --log-json 2>&1 | head -1`: the first JSON line's write raised
    # BrokenPipeError, which stopped the pipeline after its first stage and was taken for
    # stdout's reader gone (`| head`): exit 0, lq never run, nothing said anywhere
    import errno
    import io
    import sys

    from clusterid.cli.app import main

    (tmp_path / "toy.csv").write_bytes((TEST_DATA / "lq" / "toy_canonical.csv").read_bytes())
    pipeline = tmp_path / "p.toml"
    pipeline.write_text('[pipeline]\noutdir = "out"\n\n'
                        '[[stage]]\nname = "ingest"\ninputs = ["toy.csv"]\noutput = "t.parquet"\n\n'
                        '[[stage]]\nname = "lq"\ninputs = ["@ingest"]\noutput = "lq.csv"\n',
                        encoding="utf-8")

    class ReaderGone(io.TextIOBase):
        def write(self, text):
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

        def flush(self):
            pass

        def isatty(self):
            return False

    monkeypatch.setattr(sys, "stderr", ReaderGone())
    with pytest.raises(SystemExit) as stopped:
        main(["run", str(pipeline), "--log-json"])
    assert stopped.value.code in (0, None)
    assert (tmp_path / "out" / "t.parquet").exists()
    assert (tmp_path / "out" / "lq.csv").exists()


def test_a_nul_byte_in_a_bea_geoname_is_refused_on_its_line(tmp_path, capsys):
    # BEA's reader decoded the file without the NUL check of ingest's text readers: a NUL in
    # a GeoName was written into region_name ('Bea\x00ver, UT'), exit 0, with a warning of
    # two names for one region; the canonical CSV was then refused by every stage
    lines = (TEST_DATA / "bea" / "CAEMP25N_UT_2015_2016.csv").read_bytes().split(b"\n")
    at = next(i for i, line in enumerate(lines) if b"Beaver" in line)
    lines[at] = lines[at].replace(b"Beaver", b"Bea\x00ver", 1)
    src = tmp_path / "caemp25n.csv"
    src.write_bytes(b"\n".join(lines))
    out = tmp_path / "t.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 1, err
    assert f"caemp25n.csv:{at + 1}: NUL byte in a text file" in err, err
    assert len(err.strip().splitlines()) == 1 and not out.exists()


def test_codes_read_as_numbers_by_pandas_say_how_to_save_the_table_right(tmp_path, capsys):
    # a canonical CSV read with pandas (NAICS codes 10, 11, 21 read as int64) and saved as
    # Parquet: refused, rightly, but the line said only what was wrong
    import polars as pl

    table = pl.read_csv(TEST_DATA / "lq" / "toy_canonical.csv")  # industry read as Int64
    assert table.schema["industry"] == pl.Int64
    src = tmp_path / "filtered.parquet"
    table.write_parquet(src)
    code, _, err = run_main(["lq", str(src), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 1, err
    assert ("column 'industry': not a clusterid canonical table (expected a text column (codes "
            "as strings, leading zeros kept), found 'Int64 values'); read and saved again by "
            "pandas or polars? read the codes as text (pandas: dtype={'region': str, "
            "'industry': str})") in err, err
    assert len(err.strip().splitlines()) == 1, err
