"""`clusterid lq` on a table too large to compute whole: one (measure, period) at a time.

A seven-year county panel (63 M cells) was killed for memory on a 24 GB machine; above
``core.lq.PART_CELLS`` cells lq now computes and writes it part by part.  Every value must be
what the whole computation gives, and so the metadata (but for ``computed_in_parts``), the notes
and the errors.  Here the threshold is lowered to 0 so that the bundled Utah sample (QCEW 2016,
four quarters, employment, establishments and wages: 12 parts) is computed in parts, and each
output is compared with the same command computing it whole.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from clusterid.core import lq as core

from conftest import SAMPLES, run_main

SAMPLE = SAMPLES / "qcew_utah_2016_counties.csv.gz"


@pytest.fixture(scope="module")
def table(utah_parquet) -> Path:
    """The Utah sample as a canonical Parquet table (counties, their state, MSAs)."""
    return utah_parquet


def _lq(monkeypatch, capsys, tmp_path, table, name, *extra, parts: bool):
    monkeypatch.setattr(core, "PART_CELLS", 0 if parts else 10**12)
    out = tmp_path / name
    code, stdout, err = run_main(["lq", str(table), "-o", str(out), *extra], capsys)
    return code, out, err, stdout


def _meta(path: Path) -> dict:
    if path.suffix == ".parquet":
        return json.loads(pl.read_parquet_metadata(path)["clusterid"])
    return json.loads(Path(str(path) + ".meta.json").read_text(encoding="utf-8"))


def _same_but_parts(whole: dict, parts: dict) -> None:
    said = parts["lq"].pop("computed_in_parts")
    assert said["by"] == ["measure", "period"] and said["parts"] > 1
    assert "computed_in_parts" not in whole["lq"]
    assert parts == whole


@pytest.mark.parametrize("extra", [(), ("--level", "4"), ("--ownership", "private"),
                                   ("-b", "rest"), ("--measure", "employment"),
                                   ("--period", "2016Q2,2016Q3")])
def test_parts_give_the_whole_table(monkeypatch, capsys, tmp_path, table, extra):
    code_w, whole, err_w, _ = _lq(monkeypatch, capsys, tmp_path, table, "whole.parquet", *extra,
                                  parts=False)
    code_p, parts, err_p, _ = _lq(monkeypatch, capsys, tmp_path, table, "parts.parquet", *extra,
                                  parts=True)
    assert code_w == code_p == 0, err_p
    assert "computed in" in err_p and "parts (measure, period)" in err_p
    a, b = pl.read_parquet(whole), pl.read_parquet(parts)
    assert a.height > 0 and a.schema == b.schema
    assert a.equals(b)
    _same_but_parts(_meta(whole), _meta(parts))
    # every note the whole run says (stderr), the run in parts says alike
    said = [line for line in err_p.splitlines() if "computed in" not in line]
    assert said == err_w.replace("whole.parquet", "parts.parquet").splitlines()


def test_parts_as_csv_are_the_same_bytes(monkeypatch, capsys, tmp_path, table):
    _lq(monkeypatch, capsys, tmp_path, table, "whole.csv", parts=False)
    _lq(monkeypatch, capsys, tmp_path, table, "parts.csv", parts=True)
    whole, parts = tmp_path / "whole.csv", tmp_path / "parts.csv"
    assert parts.read_bytes() == whole.read_bytes()
    # the sidecar's checksum is of the same bytes
    _same_but_parts(_meta(whole), _meta(parts))


def test_parts_to_stdout(monkeypatch, capsys, tmp_path, table):
    monkeypatch.setattr(core, "PART_CELLS", 10**12)
    code_w, whole, _ = run_main(["lq", str(table), "-o", "-", "--level", "6"], capsys)
    monkeypatch.setattr(core, "PART_CELLS", 0)
    code_p, parts, err = run_main(["lq", str(table), "-o", "-", "--level", "6"], capsys)
    assert code_w == code_p == 0
    assert "parts (measure, period)" in err
    assert parts == whole and whole.count("\n") > 1000


def _edited(table: Path, tmp_path: Path, edit) -> Path:
    """The table changed by ``edit`` (a polars expression context), as a user's panel of
    several years' tables would differ; written as ingest writes it (metadata kept)."""
    from clusterid.io.tables import read_metadata, write_frame

    out = tmp_path / "edited.parquet"
    write_frame(edit(pl.read_parquet(table)), str(out), read_metadata(str(table)))
    return out


def test_a_period_without_the_level_is_said_as_whole(monkeypatch, capsys, tmp_path, table):
    """2016Q2 without its 4-digit codes (a year's table rolled up further): the whole run's
    note on that period, word for word."""
    edited = _edited(table, tmp_path, lambda df: df.filter(
        ~((pl.col("period") == "2016Q2") & (pl.col("level") == 4))))
    code_w, whole, err_w, _ = _lq(monkeypatch, capsys, tmp_path, edited, "w.parquet",
                                  "--level", "4", parts=False)
    code_p, parts, err_p, _ = _lq(monkeypatch, capsys, tmp_path, edited, "p.parquet",
                                  "--level", "4", parts=True)
    assert code_w == code_p == 0
    assert "period 2016Q2 left out: no industry codes of level 4 there" in err_p
    assert pl.read_parquet(whole).equals(pl.read_parquet(parts))
    _same_but_parts(_meta(whole), _meta(parts))


def test_a_measure_absent_from_a_period(monkeypatch, capsys, tmp_path, table):
    """A panel whose 2016Q3 table had no wages column: that (measure, period) is left out and
    said, in parts as whole."""
    edited = _edited(table, tmp_path, lambda df: df.with_columns(
        pl.when(pl.col("period") == "2016Q3").then(None).otherwise(pl.col(c)).alias(c)
        for c in ("wages", "wages_status", "wages_flag", "wages_lower", "wages_upper")
        if c in df.columns))
    code_w, whole, err_w, _ = _lq(monkeypatch, capsys, tmp_path, edited, "w.parquet", parts=False)
    code_p, parts, err_p, _ = _lq(monkeypatch, capsys, tmp_path, edited, "p.parquet", parts=True)
    assert code_w == code_p == 0
    assert "wages in 2016Q3" in err_w and "wages in 2016Q3" in err_p
    assert pl.read_parquet(whole).equals(pl.read_parquet(parts))
    _same_but_parts(_meta(whole), _meta(parts))


@pytest.mark.parametrize("extra", [("--level", "9"), ("--ownership", "federal")])
def test_options_the_table_lacks_are_refused_alike(monkeypatch, capsys, tmp_path, table, extra):
    code_w, _w, err_w, _ = _lq(monkeypatch, capsys, tmp_path, table, "w.parquet", *extra,
                               parts=False)
    code_p, parts, err_p, _ = _lq(monkeypatch, capsys, tmp_path, table, "p.parquet", *extra,
                                  parts=True)
    assert code_w == code_p == 2
    # (an ownership the table lacks is refused by the command before any part is planned)
    assert ("parts (measure, period)" in err_p) == (extra[0] == "--level")
    assert err_p.strip().splitlines()[-1] == err_w.strip().splitlines()[-1]
    assert not parts.exists()


def test_a_failure_in_a_later_part_leaves_no_output(monkeypatch, capsys, tmp_path, table):
    real = core.compute_lq
    calls = []

    def failing(frame, options=None, **kw):
        calls.append(1)
        if len(calls) == 3:
            raise MemoryError
        return real(frame, options, **kw)

    monkeypatch.setattr(core, "compute_lq", failing)
    code, out, err, _ = _lq(monkeypatch, capsys, tmp_path, table, "p.parquet", parts=True)
    assert code != 0 and len(calls) == 3
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".p.parquet")]


def test_plan_parts_only_where_the_parts_are_independent(monkeypatch, table):
    lf = pl.scan_parquet(table)
    monkeypatch.setattr(core, "PART_CELLS", 0)
    parts = core.plan_parts(lf, core.LQOptions())
    assert parts[:2] == [("employment", "2016Q1"), ("employment", "2016Q2")]
    assert parts[-1] == ("wages", "2016Q4") and len(parts) == 12
    assert core.plan_parts(lf, core.LQOptions(measures=("wages",)))[0] == ("wages", "2016Q1")
    assert core.plan_parts(lf, core.LQOptions(benchmark=core.Benchmark("region", region="49000")))
    for options in (core.LQOptions(bootstrap=10), core.LQOptions(suppressed="bounds")):
        assert core.plan_parts(lf, options) is None
    one = lf.filter(pl.col("period") == "2016Q1")
    assert core.plan_parts(one, core.LQOptions(measures=("employment",))) is None
    monkeypatch.setattr(core, "PART_CELLS", 10**12)
    assert core.plan_parts(lf, core.LQOptions()) is None


def test_a_large_canonical_csv_is_parsed_once(monkeypatch, capsys, tmp_path, table):
    """A canonical CSV too large to hold (above io.tables.HELD_CSV_BYTES, lowered here) is
    scanned as text: it goes through one temporary Parquet table, not one parse per part;
    the output is the whole run's."""
    import polars.lazyframe.frame as lazy_frame

    from clusterid.io import tables

    csv_table = tmp_path / "utah.csv"
    code, _out, err = run_main(["ingest", str(SAMPLE), "-o", str(csv_table)], capsys)
    assert code == 0, err
    monkeypatch.setattr(tables, "HELD_CSV_BYTES", 0)
    code_w, whole, err_w, _ = _lq(monkeypatch, capsys, tmp_path, csv_table, "w.parquet",
                                  parts=False)
    sinks = []
    real_sink = lazy_frame.LazyFrame.sink_parquet

    def counted(self, path, *args, **kwargs):
        sinks.append(str(path))
        return real_sink(self, path, *args, **kwargs)

    monkeypatch.setattr(lazy_frame.LazyFrame, "sink_parquet", counted)
    code_p, parts, err_p, _ = _lq(monkeypatch, capsys, tmp_path, csv_table, "p.parquet",
                                  parts=True)
    assert code_w == code_p == 0, err_p
    spilled = [p for p in sinks if p.endswith("table.parquet")]
    assert len(spilled) == 1 and not Path(spilled[0]).exists()  # made once, removed after
    assert pl.read_parquet(whole).equals(pl.read_parquet(parts))
    _same_but_parts(_meta(whole), _meta(parts))


def test_parts_to_a_reader_that_leaves(table):
    """`lq TABLE -o - | head -1` in parts: the reader's leaving ends the run quietly with exit 0,
    as computed whole (polars' own write to the closed pipe was an internal error, exit 2).
    A subprocess: the test is about the pipe."""
    import subprocess
    import sys

    code = ("import sys; from clusterid.core import lq; lq.PART_CELLS = 0; "
            "from clusterid.entry import main; sys.argv = ['clusterid'] + sys.argv[1:]; main()")
    proc = subprocess.Popen([sys.executable, "-c", code, "lq", str(table), "-o", "-"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"period,region,")
    proc.stdout.close()  # the reader leaves
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert "parts (measure, period)" in err and "error" not in err


def _state_reference(table: Path, tmp_path: Path, periods=None) -> Path:
    """Utah's statewide rows as an external benchmark table (a canonical table of one region,
    as a national file is), of ``periods`` only."""
    ref = pl.read_parquet(table).filter(pl.col("region") == "49000")
    if periods is not None:
        ref = ref.filter(pl.col("period").is_in(periods))
    out = tmp_path / "state.csv"
    ref.write_csv(out)
    return out


@pytest.mark.parametrize("how", ["region", "region-any-case", "table", "table-three-quarters",
                                 "table-level"])
def test_parts_against_a_region_or_a_table(monkeypatch, capsys, tmp_path, table, how):
    """-b region:49000 (the state among its counties) and -b FILE (the state's rows as a
    reference table, also one lacking 2016Q4: its LQs 'no benchmark', said as whole) in parts
    give the whole run's rows, metadata and notes."""
    if how.startswith("region"):
        extra = ["-b", "region:49000" if how == "region" else "Region:49000"]
    else:
        ref = _state_reference(table, tmp_path, ["2016Q1", "2016Q2", "2016Q3"]
                               if how == "table-three-quarters" else None)
        extra = ["-b", str(ref), *(["--level", "4"] if how == "table-level" else [])]
    code_w, whole, err_w, _ = _lq(monkeypatch, capsys, tmp_path, table, "whole.parquet", *extra,
                                  parts=False)
    code_p, parts, err_p, _ = _lq(monkeypatch, capsys, tmp_path, table, "parts.parquet", *extra,
                                  parts=True)
    assert code_w == code_p == 0, err_p
    assert "parts (measure, period)" in err_p
    a, b = pl.read_parquet(whole), pl.read_parquet(parts)
    assert a.height > 0 and a.equals(b)
    _same_but_parts(_meta(whole), _meta(parts))
    said = [line for line in err_p.splitlines() if "computed in" not in line]
    assert said == err_w.replace("whole.parquet", "parts.parquet").splitlines()
    if how == "table-three-quarters":
        assert "no rows for period(s) 2016Q4" in err_p


def test_parts_refuse_a_region_or_table_as_whole(monkeypatch, capsys, tmp_path, table):
    """A benchmark region the table lacks, and a reference sharing no period with it, are
    refused in parts with the whole run's words (a part's period missing from the reference
    is no error, as above)."""
    other = _state_reference(table, tmp_path, ["2016Q1"])
    pl.read_csv(other, infer_schema=False).with_columns(pl.lit("2020Q1").alias("period")).write_csv(
        tmp_path / "other_year.csv")
    for extra in (["-b", "region:99000"], ["-b", str(tmp_path / "other_year.csv")]):
        code_w, _w, err_w, _ = _lq(monkeypatch, capsys, tmp_path, table, "w.parquet", *extra,
                                   parts=False)
        code_p, parts, err_p, _ = _lq(monkeypatch, capsys, tmp_path, table, "p.parquet", *extra,
                                      parts=True)
        assert code_w == code_p != 0
        assert "parts (measure, period)" in err_p
        assert err_p.strip().splitlines()[-1] == err_w.strip().splitlines()[-1]
        assert not parts.exists()
