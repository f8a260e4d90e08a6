"""`clusterid ingest` to Parquet writes its text columns from integer codes (session 25).

The Parquet writer hashed every row's text to build each text column's dictionary (the county
panel: ~2.2 s of CPU for 14 columns of 4.8 M rows); ingest now hands it Enum columns of the
same text (``io.ingest._coded_text``: the keys from validation's ranks, the statuses by a cast,
the other text columns by a cast to their distinct values), and ``io.tables.write_frame``
writes them under the Arrow schema of text.  What a reader gets must not change: the same
text, typed as text, in polars, pandas and pyarrow, with the same Arrow schema and the same
row-group statistics as the table written as text.
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from clusterid import schema
from clusterid.io import ingest as ingest_mod
from clusterid.io.ingest import IngestOptions, ingest
from clusterid.io.tables import write_frame

from conftest import SAMPLES, run_main

SAMPLE = SAMPLES / "qcew_utah_2016_counties.csv.gz"


def _same_file(coded, text) -> None:
    """The two Parquet files read back the same everywhere, with the same schema and stats."""
    import pandas as pd
    import pyarrow.parquet as pq

    a, b = pl.read_parquet(coded), pl.read_parquet(text)
    assert a.schema == b.schema and a.equals(b)
    assert not [c for c, t in a.schema.items() if isinstance(t, (pl.Enum, pl.Categorical))]
    ma, mb = pq.read_metadata(coded), pq.read_metadata(text)
    assert ma.metadata[b"ARROW:schema"] == mb.metadata[b"ARROW:schema"]
    assert ma.schema.equals(mb.schema) and ma.num_row_groups == mb.num_row_groups
    for rg in range(ma.num_row_groups):
        for i in range(ma.num_columns):
            sa, sb = ma.row_group(rg).column(i).statistics, mb.row_group(rg).column(i).statistics
            assert (sa is None) == (sb is None) and (sa is None or sa.equals(sb)), (rg, i)
    ta, tb = pq.read_table(coded), pq.read_table(text)
    assert ta.schema.equals(tb.schema) and ta.equals(tb)
    assert str(ta.schema.field("region").type) == "large_string"
    pa_, pb_ = pd.read_parquet(coded), pd.read_parquet(text)
    assert (pa_.dtypes == pb_.dtypes).all() and pa_.equals(pb_)


@pytest.mark.parametrize("extra", [{}, {"on_error": "skip"}, {"ownership": ("private",)}],
                         ids=["plain", "skip", "private"])
def test_coded_table_writes_the_text_tables_file(tmp_path, extra):
    coded, meta = ingest([str(SAMPLE)], IngestOptions(**extra), coded=True)
    text, meta_text = ingest([str(SAMPLE)], IngestOptions(**extra))
    assert meta == meta_text
    enum = [c for c, t in coded.schema.items() if isinstance(t, pl.Enum)]
    # the keys, the classification, the statuses, flags and labels of few values
    assert {"period", "region", "ownership", "industry", "classification", "employment_status",
            "region_level"} <= set(enum)
    assert coded.with_columns(pl.col(enum).cast(pl.String)).equals(text)
    write_frame(coded, str(tmp_path / "coded.parquet"), meta)
    write_frame(text, str(tmp_path / "text.parquet"), meta)
    _same_file(tmp_path / "coded.parquet", tmp_path / "text.parquet")


def test_cli_output_is_the_text_tables_and_stable(tmp_path, capsys):
    import pyarrow.parquet as pq

    out = tmp_path / "a.parquet"
    written = []
    for _ in range(2):
        code, _o, err = run_main(["ingest", str(SAMPLE), "-o", str(out)], capsys)
        assert code == 0, err
        written.append(out.read_bytes())
    assert written[0] == written[1]  # same input, same bytes
    meta = json.loads(pq.read_metadata(out).metadata[b"clusterid"])
    text, _ = ingest([str(SAMPLE)], IngestOptions())
    write_frame(text, str(tmp_path / "text.parquet"), meta)
    _same_file(out, tmp_path / "text.parquet")


def test_coded_text_holds_the_text_and_nulls(monkeypatch):
    from clusterid.core.validate import column_ranks

    df = pl.DataFrame({
        "period": ["2020", "2020", "2021"],
        "region": ["A", None, "B"],  # a key with a null: not from the ranks (null read as "")
        "employment_status": ["reported", "withheld", "reported"],  # another value: its own
        "wages_status": ["reported", "suppressed", None],
        "employment_flag": [None, "D", "N"],
        "region_name": ["a", "b", "c"],
    })
    ranks = column_ranks(df, ["period", "region"])
    out = ingest_mod._coded_text(df, ranks)
    for c in df.columns:
        assert isinstance(out.schema[c], pl.Enum), c
    assert out.schema["wages_status"] == pl.Enum(["reported", "suppressed", "estimated"])
    assert out.schema["employment_status"] == pl.Enum(["reported", "withheld"])
    assert out.with_columns(pl.col(pl.Enum).cast(pl.String)).equals(df)
    # more values than an Enum's dictionary should hold in each row group: stays text
    monkeypatch.setattr(schema, "CODED_VALUES", 2)
    out = ingest_mod._coded_text(df, ranks)
    assert out.schema["region_name"] == pl.String and out.schema["region"] != pl.String
    assert out.with_columns(pl.col(pl.Enum).cast(pl.String)).equals(df)


def test_level_and_csv_outputs_stay_text(tmp_path, capsys):
    """--level rolls up on the text (not coded); a CSV prints the text as before."""
    df, _ = ingest([str(SAMPLE)], IngestOptions(level=2), coded=True)
    assert not [c for c, t in df.schema.items() if isinstance(t, pl.Enum)]
    code, _o, err = run_main(["ingest", str(SAMPLE), "-o", str(tmp_path / "o.parquet"),
                              "--level", "2"], capsys)
    assert code == 0, err
    assert pl.read_parquet(tmp_path / "o.parquet").equals(df)
