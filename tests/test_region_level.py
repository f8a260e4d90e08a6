"""``--region-level``: keep one region level of a file or glob that mixes levels.

QCEW on the committed slice of real BLS rows (Utah statewide and three counties, one file);
generic tables with and without a region-level column; the CLI's help and messages.
"""

from __future__ import annotations

import csv

import polars as pl
import pytest
from typer.testing import CliRunner

from clusterid import schema
from clusterid.cli.app import app
from clusterid.errors import DataError, UsageError
from clusterid.io.ingest import IngestOptions, ingest
from clusterid.io.readers import levels
from conftest import TEST_DATA, run_here

QCEW = TEST_DATA / "impute" / "qcew_utah_2016q1_slice.csv"


def _qcew_rows_by_level():
    """Rows of the slice an ingest keeps by default, per level (read with the csv module)."""
    out = {"state": 0, "county": 0}
    with open(QCEW, newline="") as fh:
        for r in csv.DictReader(fh):
            agg = int(r["agglvl_code"])
            if r["size_code"] != "0" or r["own_code"] not in ("0", "5") or agg % 10 in (2, 3):
                continue
            out["state" if agg // 10 == 5 else "county"] += 1
    return out


@pytest.mark.parametrize("asked, kept", [("state", "state"), ("county", "county"),
                                         ("Counties", "county")])
def test_qcew_single_file_keeps_one_level(asked, kept):
    expected = _qcew_rows_by_level()
    df, meta = ingest([str(QCEW)], IngestOptions(region_level=asked))
    assert set(df[schema.REGION_LEVEL]) == {kept}
    assert df.height == expected[kept]
    other = "county" if kept == "state" else "state"
    assert meta["dropped"][levels.REASON.format(other)] == expected[other]
    assert meta["rows_kept"] + sum(meta["dropped"].values()) == meta["rows_read"]


def test_several_levels_and_a_missing_level():
    df, _ = ingest([str(QCEW)], IngestOptions(region_level="state,county"))
    assert set(df[schema.REGION_LEVEL]) == {"state", "county"}
    with pytest.raises(DataError) as err:
        ingest([str(QCEW)], IngestOptions(region_level="national"))
    (p,) = err.value.problems
    assert "no rows at region level nation" in p.message and p.found == "levels county, state"


def test_generic_table_with_a_level_column(tmp_path):
    p = tmp_path / "mixed.csv"
    p.write_text("area,Area type,industry,year,employment\n"
                 "49000,State,31-33,2016,100\n49001,County,31-33,2016,40\n"
                 "49003,County,31-33,2016,60\nC4162,Metropolitan,31-33,2016,90\n"
                 "US000,National,31-33,2016,1000\n")
    df, meta = ingest([str(p)], IngestOptions(region_level="county"))
    assert df[schema.REGION].to_list() == ["49001", "49003"]
    assert meta["dropped"] == {levels.REASON.format("state"): 1, levels.REASON.format("msa"): 1,
                               levels.REASON.format("nation"): 1}
    df, _ = ingest([str(p)], IngestOptions())  # no selection: every level, spelled canonically
    assert dict(df.select(schema.REGION, schema.REGION_LEVEL).iter_rows()) == {
        "49000": "state", "49001": "county", "49003": "county", "C4162": "msa", "US000": "nation"}
    df, _ = ingest([str(p)], IngestOptions(region_level="metro"))
    assert df[schema.REGION].to_list() == ["C4162"]


def test_generic_table_without_levels_is_labelled(tmp_path):
    p = tmp_path / "plain.csv"
    p.write_text("region,industry,year,employment\nA,31-33,2016,1\nB,31-33,2016,2\n")
    df, meta = ingest([str(p)], IngestOptions(region_level="county"))
    assert df.height == 2 and set(df[schema.REGION_LEVEL]) == {"county"} and not meta["dropped"]
    with pytest.raises(UsageError, match="one level"):
        ingest([str(p)], IngestOptions(region_level="county,state"))


def test_cbp_files_of_two_levels(tmp_path):
    cbp = TEST_DATA / "cbp"
    df, meta = ingest([str(cbp / "cbp16co_excerpt.txt"), str(cbp / "cbp15us_excerpt.txt")],
                      IngestOptions(region_level="national"))
    assert set(df[schema.REGION]) == {"US000"}
    assert meta["dropped"][levels.REASON.format("county")] == 13


def test_cli_help_and_run(tmp_path, capsys):
    runner = CliRunner()
    help_text = runner.invoke(app, ["ingest", "--help"], terminal_width=200).output
    assert "--region-level" in help_text and "Keep only this region level" in help_text
    out = tmp_path / "states.csv"
    r = runner.invoke(app, ["ingest", str(QCEW), "-o", str(out), "--region-level", "state"])
    assert r.exit_code == 0, r.output
    assert set(pl.read_csv(out, infer_schema_length=0)[schema.REGION]) == {"49000"}
    r = run_here(capsys, "ingest", str(QCEW), "-o", str(out), "--region-level", "msa")
    assert r.returncode == 1
    assert "no rows at region level msa (expected msa, found 'levels county, state')" in r.stderr


def test_real_qcew_files_of_three_levels_in_one_glob(tmp_path):
    """Utah statewide, Beaver County and the Salt Lake City metro area (real BLS by-area files,
    ../shared/data) ingested together; each level selected alone matches a count made here."""
    from conftest import shared_path

    folder = shared_path("qcew_utah_2016q")
    picks = ["2016.q1-q4 49000 Utah -- Statewide.csv", "2016.q1-q4 49001 Beaver County, Utah.csv"]
    picks += [p.name for p in folder.glob("2016.q1-q4 C4162*.csv")]
    assert len(picks) == 3
    for name in picks:
        (tmp_path / name).symlink_to(folder / name)
    pattern = str(tmp_path / "2016.q1-q4 *.csv")

    def expected(level_tens):
        n = 0
        for name in picks:
            with open(folder / name, newline="") as fh:
                for r in csv.DictReader(fh):
                    agg = int(r["agglvl_code"])
                    n += (agg // 10 == level_tens and r["own_code"] in ("0", "5")
                          and r["size_code"] == "0" and agg % 10 not in (2, 3))
        return n

    for level, tens, region in (("state", 5, {"49000"}), ("county", 7, {"49001"}), ("msa", 4, {"C4162"})):
        df, meta = ingest([pattern], IngestOptions(region_level=level))
        assert set(df[schema.REGION]) == region
        assert df.height == expected(tens)
        assert meta["rows_kept"] + sum(meta["dropped"].values()) == meta["rows_read"]
