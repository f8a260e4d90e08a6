"""Crash hunt 9: inputs that ended in an internal error (exit 2 with a traceback-like
message) and now get a located one-line error naming file, column, expected and found."""

import datetime

import polars as pl
import pytest
from typer.testing import CliRunner

from clusterid.cli.app import app
from conftest import ROOT, TEST_DATA, run_main

runner = CliRunner()


def _cli(capsys, *args):
    """Run the real entry point in-process (its own process gives the same exit code and
    stderr, after ~0.7 s of start-up): exit code and stderr as a user sees them."""
    code, _out, err = run_main([str(a) for a in args], capsys)
    return code, err


def _canonical(tmp_path):
    out = tmp_path / "canon.parquet"
    res = runner.invoke(app, ["ingest", str(TEST_DATA / "impute" / "qcew_utah_2016q1_slice.csv"),
                              "-o", str(out)])
    assert res.exit_code == 0, res.output
    return pl.read_parquet(out)


@pytest.mark.parametrize("column,make,found", [
    ("region", lambda c: pl.col(c).cast(pl.Int64), "Int64"),
    ("period", lambda c: pl.lit(datetime.date(2016, 1, 1)).alias(c), "Date"),
    ("industry", lambda c: pl.concat_list(pl.col(c)), "List"),
])
@pytest.mark.parametrize("command", ["stats", "impute", "indices", "detect"])
def test_a_parquet_key_column_of_another_type_is_refused(tmp_path, column, make, found,
                                                          command, capsys):
    # before: impute/detect on int region codes -> "internal error: InvalidOperationError:
    # expected String type, got: i64"; detect on a Date period -> "internal error: TypeError:
    # 'datetime.date' object is not subscriptable"; stats on a list industry -> "internal
    # error: TypeError: unhashable type: 'list'"
    bad = tmp_path / "bad.parquet"
    _canonical(tmp_path).with_columns(make(column)).write_parquet(bad)
    args = [command, str(bad)] + ([] if command == "stats" else ["-o", str(tmp_path / "o")])
    code, err = _cli(capsys, *args)
    assert code == 1, err
    assert "internal error" not in err
    assert f"column '{column}'" in err and found in err
    assert "expected a text column" in err


@pytest.mark.parametrize("command", ["stats", "impute", "detect"])
def test_a_parquet_float_level_is_refused(tmp_path, command, capsys):
    # before: stats -> "internal error: ... 'filter' failed"; impute/detect -> "internal error:
    # InvalidOperationError: 'is_in' cannot check for Float64 values in List(Int64) data."
    bad = tmp_path / "bad.parquet"
    _canonical(tmp_path).with_columns(pl.col("level").cast(pl.Float64)).write_parquet(bad)
    args = [command, str(bad)] + ([] if command == "stats" else ["-o", str(tmp_path / "o")])
    code, err = _cli(capsys, *args)
    assert code == 1, err
    assert "internal error" not in err
    assert "column 'level'" in err and "Float64" in err and "whole-number" in err


@pytest.mark.parametrize("name", ["cluster_summary.csv", "clusters.csv"])
def test_report_on_a_detect_table_cut_mid_row_is_refused(tmp_path, name, capsys):
    # before: exit 0, "cluster_summary.csv differ from the checksums detect recorded (edited
    # since?); the report says so", the cut row's missing cells read as empty
    import shutil

    folder = tmp_path / "detect"
    shutil.copytree(TEST_DATA / "report" / "detect", folder)
    data = (folder / name).read_bytes()
    (folder / name).write_bytes(data[: len(data) * 2 // 3])
    code, err = _cli(capsys, "report", folder, "-o", tmp_path / "r.html")
    assert code == 1, err
    assert "internal error" not in err
    assert f"{name}:" in err and "fields, the header has" in err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("command", ["stats", "impute", "lq"])
def test_a_canonical_csv_without_sidecar_cut_mid_row_is_refused(tmp_path, command, capsys):
    # before: exit 0; the cut last row '2016Q1,49000,private,32613,Uta' became a row of
    # industry 32613 with a suppressed employment cell
    out = tmp_path / "canon.csv"
    res = runner.invoke(app, ["ingest", str(TEST_DATA / "impute" / "qcew_utah_2016q1_slice.csv"),
                              "-o", str(out)])
    assert res.exit_code == 0, res.output
    lines = out.read_text().splitlines()
    cut = tmp_path / "cut.csv"
    cut.write_text("\n".join(lines[:40]) + "\n" + lines[40][:30])
    args = [command, cut] + ([] if command == "stats" else ["-o", tmp_path / "o.csv"])
    code, err = _cli(capsys, *args)
    assert code == 1, err
    assert "internal error" not in err
    assert "cut.csv:41: row has" in err and "fields, the header has" in err


@pytest.mark.parametrize("make,found", [
    (lambda: pl.concat_list(pl.col("industry")).alias("industry"), "List(String)"),
    (lambda: pl.struct(["employment"]).alias("employment"), "Struct"),
])
def test_ingest_a_parquet_with_a_nested_column_is_refused(tmp_path, make, found, capsys):
    # before: a list industry -> "internal error: ... col("industry").strict_cast(String)";
    # a struct employment -> "not a number ... found '{5.0}'" on every row
    df = pl.DataFrame({"period": [2016, 2016, 2016], "region": ["01001", "01003", "01005"],
                       "industry": ["11", "11", "11"], "employment": [5.0, 3.0, 2.0]})
    bad = tmp_path / "raw.parquet"
    df.with_columns(make()).write_parquet(bad)
    code, err = _cli(capsys, "ingest", bad, "-o", tmp_path / "o.parquet")
    assert code == 1, err
    assert "internal error" not in err
    assert "a nested column" in err and found in err
    assert len(err.strip().splitlines()) == 1


def test_a_pipeline_file_with_a_byte_order_mark_is_read(tmp_path):
    # before: "p.toml: not valid TOML: Invalid statement (at line 1, column 1)" (exit 2)
    from clusterid.pipeline import load_pipeline

    text = open(ROOT / "data" / "samples" / "pipeline.toml", encoding="utf-8").read()
    plain = tmp_path / "plain.toml"
    plain.write_text(text, encoding="utf-8")
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    a, b = load_pipeline(plain), load_pipeline(bom)
    assert [s.name for s in a.stages] == [s.name for s in b.stages]
    assert len(b.stages) >= 3


def test_a_lone_cr_inside_a_key_cell_of_a_canonical_csv_is_refused(tmp_path, capsys):
    # before: exit 0; industry '3\r2613' was an industry of its own beside 32613 (its LQ row
    # moved, the 4-digit sums short of it), silently
    out = tmp_path / "canon.csv"
    res = runner.invoke(app, ["ingest", str(TEST_DATA / "impute" / "qcew_utah_2016q1_slice.csv"),
                              "-o", str(out)])
    assert res.exit_code == 0, res.output
    lines = out.read_bytes().split(b"\n")
    row = lines[30].split(b",")
    row[3] = row[3][:1] + b"\r" + row[3][1:]
    lines[30] = b",".join(row)
    bad = tmp_path / "cr.csv"
    bad.write_bytes(b"\n".join(lines))
    code, err = _cli(capsys, "lq", bad, "-o", tmp_path / "o.csv")
    assert code == 1, err
    assert "internal error" not in err
    assert "cr.csv:31: column 'industry': a control character in a key cell" in err


@pytest.mark.parametrize("cell", ['"010\r03"', '"010\t03"'])
def test_ingest_a_quoted_region_code_with_a_control_character_is_refused(tmp_path, cell, capsys):
    # before: exit 0 with region '010\r03' beside 01001 and 01005, a region of its own
    raw = tmp_path / "raw.csv"
    raw.write_bytes(("period,region,industry,employment\n2016,01001,11,5\n"
                     f"2016,{cell},11,3\n2016,01005,11,2\n").encode())
    code, err = _cli(capsys, "ingest", raw, "-o", tmp_path / "o.parquet")
    assert code == 1, err
    assert "internal error" not in err
    assert "raw.csv:3: column 'region': a control character in a key cell" in err


def _canonical_with(tmp_path, name, **cells):
    """The Utah slice ingested to a canonical CSV, then written again without its sidecar (a
    hand-made table) with the given columns' cell on data row 21 (line 22) replaced."""
    out = tmp_path / "canon.csv"
    res = runner.invoke(app, ["ingest", str(TEST_DATA / "impute" / "qcew_utah_2016q1_slice.csv"),
                              "-o", str(out)])
    assert res.exit_code == 0, res.output
    row = pl.int_range(pl.len()) == 20
    df = pl.read_csv(out, infer_schema_length=0).with_columns(
        pl.when(row).then(pl.lit(v)).otherwise(pl.col(c)).alias(c) for c, v in cells.items())
    bad = tmp_path / name
    df.write_csv(bad)
    return bad


@pytest.mark.parametrize("cell", ["2.5", "300"])
def test_a_canonical_csv_level_that_is_no_int8_is_located(tmp_path, cell, capsys):
    # before: "cut.csv: not a number in a numeric column (expected numbers)": no line, no
    # column, no cell (polars reads level as Int8; the locating pass only tried float())
    bad = _canonical_with(tmp_path, "lvl.csv", level=cell)
    code, err = _cli(capsys, "stats", bad)
    assert code == 1, err
    assert "lvl.csv:22: column 'level': not a whole number" in err and cell in err


def test_a_canonical_csv_with_an_unknown_status_is_refused(tmp_path, capsys):
    # before: exit 0; an employment_status of 'foo' (no status clusterid knows) was accepted
    # silently
    bad = _canonical_with(tmp_path, "st.csv", employment_status="foo")
    code, err = _cli(capsys, "lq", bad, "-o", tmp_path / "o.csv")
    assert code == 1, err
    assert "internal error" not in err
    assert "st.csv:22: column 'employment_status': not a status" in err and "foo" in err


@pytest.mark.parametrize("cell", ["2016Q5", "2016-01"])
def test_a_canonical_csv_with_a_malformed_period_is_refused(tmp_path, cell, capsys):
    # before: exit 0; the row was a period of its own beside 2016Q1, silently
    bad = _canonical_with(tmp_path, "per.csv", period=cell)
    code, err = _cli(capsys, "lq", bad, "-o", tmp_path / "o.csv")
    assert code == 1, err
    assert "per.csv:22: column 'period': not a period" in err and cell in err


def test_a_canonical_csv_with_bounds_the_wrong_way_round_is_refused(tmp_path, capsys):
    # before: exit 0 (lq) with employment_lower 1e9 above employment_upper 5 on one row
    bad = _canonical_with(tmp_path, "bd.csv", employment_lower="1000000000", employment_upper="5")
    code, err = _cli(capsys, "lq", bad, "-o", tmp_path / "o.csv")
    assert code == 1, err
    assert "bd.csv:22: column 'employment_lower': above the upper bound" in err
