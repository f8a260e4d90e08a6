"""`clusterid lq` to Parquet writes its text columns from the integer key codes (session 25).

The Parquet writer hashed every row's text to build each text column's dictionary (3 M cells:
~0.07 s of CPU a column, nine columns); lq now hands it Enum columns made from the codes it
already has (``core.lq._coded_text``), and ``io.tables.write_frame`` writes them under the
Arrow schema of text.  What a reader gets must not change: the same text, typed as text, in
polars, pandas and pyarrow, and the same values as the frame lq computed.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from clusterid.core import lq as core

from conftest import ROOT, TEST_DATA, run_main

TOY = TEST_DATA / "lq" / "toy_canonical.csv"


@pytest.fixture(scope="module")
def utah(utah_parquet) -> Path:
    """The Utah sample as a canonical Parquet table: names, region levels (counties, the state,
    MSAs), three measures, suppressed cells, two ownerships."""
    return utah_parquet


OPTIONS = [
    {},
    {"benchmark": core.Benchmark("rest")},
    {"benchmark": core.Benchmark("region", region="49000")},
    {"denominator": "sum", "level": 6},
    {"ownership": ("private",), "measures": ("employment",)},
    {"denominator": "all-ownership"},
]


@pytest.mark.parametrize("options", OPTIONS, ids=[str(o) for o in OPTIONS])
def test_coded_columns_hold_the_text_of_the_output(utah, options):
    coded: dict = {}
    df, _ = core.compute_lq(pl.scan_parquet(utah), core.LQOptions(**options), coded=coded)
    assert df.height > 0
    # the keys, measure, status-free text and lq_reason are made from codes
    for column in ("period", "region", "ownership", "industry", "measure", "status", "lq_reason"):
        assert column in coded, column
    for column, values in coded.items():
        assert isinstance(values.dtype, pl.Enum), column
        assert values.name == column
        text = values.cast(pl.String)
        assert text.equals(df.get_column(column), check_names=True), column
    # the reasons are there to be told apart (not all null)
    assert df.get_column("lq_reason").drop_nulls().n_unique() > 1
    # without the argument nothing changes
    plain, _ = core.compute_lq(pl.scan_parquet(utah), core.LQOptions(**options))
    assert plain.equals(df)


def test_toy_table_with_one_value_keys_and_empty_labels():
    """Keys of one value (period, ownership) are repeated, not coded; the output has no
    label column to make."""
    coded: dict = {}
    df, _ = core.compute_lq(pl.scan_csv(TOY, infer_schema=False).with_columns(
        pl.col("level").cast(pl.Int8), pl.col("employment").cast(pl.Float64)),
        core.LQOptions(), coded=coded)
    for column in ("period", "ownership", "region", "industry", "measure", "lq_reason"):
        assert coded[column].cast(pl.String).equals(df.get_column(column)), column


@pytest.mark.parametrize("extra", [[], ["-b", "rest"], ["--suppressed", "bounds"]],
                         ids=["sum", "rest", "bounds"])
def test_parquet_reads_back_as_text_everywhere(utah, tmp_path, capsys, monkeypatch, extra):
    """The file's text columns are text to polars, pandas and pyarrow, equal to what lq
    computed, and its Arrow schema is the one of a frame of text."""
    import io

    import pandas as pd
    import pyarrow.parquet as pq

    monkeypatch.chdir(ROOT)
    out = tmp_path / "lq.parquet"
    code, _, err = run_main(["lq", str(utah), "-o", str(out), *extra], capsys)
    assert code == 0, err
    got = pl.read_parquet(out)
    text = [c for c, t in got.schema.items() if t == pl.String]
    assert {"period", "region", "ownership", "industry", "measure", "status",
            "lq_reason"} <= set(text)
    assert not [c for c, t in got.schema.items() if isinstance(t, (pl.Enum, pl.Categorical))]
    # the same frame as lq computes (read lazily too, with a filter on a text column)
    options = core.LQOptions(benchmark=core.Benchmark(extra[1]) if extra[:1] == ["-b"]
                             else core.Benchmark(), suppressed="drop")
    if extra[:1] != ["--suppressed"]:
        expected, _ = core.compute_lq(pl.scan_parquet(utah), options)
        assert got.equals(expected)
    some = got.get_column("region")[got.height // 2]
    assert pl.scan_parquet(out).filter(pl.col("region") == some).collect().equals(
        got.filter(pl.col("region") == some))
    # pandas: object/str columns, not category
    frame = pd.read_parquet(out)
    for column in text:
        assert not isinstance(frame[column].dtype, pd.CategoricalDtype), column
    assert frame["region"].tolist() == got.get_column("region").to_list()
    # pyarrow: large_string, and the Arrow schema as polars writes it for text columns
    table = pq.read_table(out)
    assert str(table.schema.field("region").type) == "large_string"
    assert table.column("lq_reason").to_pylist() == got.get_column("lq_reason").to_list()
    buf = io.BytesIO()
    got.head(0).write_parquet(buf)
    buf.seek(0)
    assert (pq.read_metadata(out).metadata[b"ARROW:schema"]
            == pl.read_parquet_metadata(buf)["ARROW:schema"].encode())
    # the row groups' statistics of a text column are of its text (a filter skips by them)
    meta = pq.ParquetFile(out).metadata
    i = got.columns.index("industry")
    for rg in range(meta.num_row_groups):
        stats = meta.row_group(rg).column(i).statistics
        part = got.slice(rg * 2**16, 2**16).get_column("industry")
        assert (stats.min, stats.max) == (part.min(), part.max())


def test_a_status_of_another_value_stays_text():
    df = pl.DataFrame({"status": ["reported", "withheld", None], "lq_reason": [None] * 3})
    coded = core._coded_text(df, {}, ["status"])
    assert "status" not in coded
    coded = core._coded_text(df.head(1), {}, ["status"])
    assert coded["status"].cast(pl.String).to_list() == ["reported"]


def test_special_functions_are_scipys_own_and_leave_scipy_whole():
    """lq loads scipy's compiled special functions without the package scipy.special; a later
    import of scipy.special (and scipy.stats) in the same process is whole and shares them."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from clusterid.core import lq\n"
        "f = lq.special_functions()\n"
        "assert 'scipy.special' not in sys.modules\n"
        "assert 'scipy.special._support_alternative_backends' not in sys.modules\n"
        "z = float(f.ndtri(0.975))\n"
        "u = float(lq.poisson_upper(0.0, z))\n"
        "import scipy.special, scipy.stats\n"
        "assert scipy.special.ndtr is f.ndtr and scipy.special.gammaincinv is f.gammaincinv\n"
        "assert z == float(scipy.special.ndtri(0.975)) and abs(u - 3.6888794541139354) < 1e-12\n"
        "assert abs(scipy.stats.norm.cdf(z) - 0.975) < 1e-15\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
