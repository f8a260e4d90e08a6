"""A generic table without region codes is keyed by the regions' names: two spellings of one
name that differ only in case or surrounding spaces ('Almaty' in one file of a glob, 'ALMATY '
in the next) were two regions, each with half the region's industries.  They are one region,
the merge said in the metadata; spellings that both carry the same cell are refused (one
region written twice, or two regions?); codes are never merged.  The tables are written here,
in the layout of stat.gov.kz's regional employment tables (region name, activity, year)."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest

from clusterid.errors import DataError
from clusterid.io.ingest import IngestOptions, ingest
from conftest import run_main


def _write(path, rows, header="region_name,industry,year,employment"):
    path.write_text(header + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
    return str(path)


def test_names_differing_in_case_or_spaces_are_one_region(tmp_path, capsys):
    _write(tmp_path / "kz_2016_c.csv", [("Almaty", "C", 2016, 120000), ("Astana", "C", 2016, 45000)])
    _write(tmp_path / "kz_2016_f.csv", [('"ALMATY "', "F", 2016, 98000), ("Astana", "F", 2016, 76000),
                                        ("almaty", "G", 2016, 5000)])
    df, meta = ingest([str(tmp_path / "kz_*.csv")], IngestOptions())
    assert sorted(df.get_column("region").unique().to_list()) == ["Almaty", "Astana"]
    almaty = df.filter(pl.col("region") == "Almaty").sort("industry")
    assert almaty.get_column("industry").to_list() == ["C", "F", "G"]
    assert almaty.get_column("employment").to_list() == [120000, 98000, 5000]
    said = " ".join(meta["notes"])
    assert "'ALMATY'" in said and "'almaty'" in said and "'Almaty'" in said, said
    merged = [d["region_spellings_merged"] for d in meta["readers"].values()
              if "region_spellings_merged" in d]
    assert merged and merged[0] == {"Almaty": ["ALMATY", "almaty"]}
    # the CLI says it too, on stderr
    code, out, err = run_main(["ingest", str(tmp_path / "kz_*.csv"), "-o", "-"], capsys)
    assert code == 0, err
    assert {r["region"] for r in csv.DictReader(io.StringIO(out))} == {"Almaty", "Astana"}
    assert "'ALMATY'" in err


def test_two_spellings_with_the_same_cell_are_refused(tmp_path):
    path = _write(tmp_path / "kz.csv", [("Almaty", "C", 2016, 120000), ("ALMATY", "C", 2016, 98000),
                                        ("Astana", "C", 2016, 45000)])
    with pytest.raises(DataError) as err:
        ingest([path], IngestOptions())
    text = str(err.value)
    assert "'Almaty'" in text and "'ALMATY'" in text and ":3:" in text, text


def test_codes_differing_in_case_are_not_merged(tmp_path):
    path = _write(tmp_path / "kz.csv", [("kz-ala", "Almaty", "C", 2016, 120000),
                                        ("KZ-ALA", "Almaty", "F", 2016, 98000)],
                  header="region,region_name,industry,year,employment")
    df, meta = ingest([path], IngestOptions())
    assert sorted(df.get_column("region").unique().to_list()) == ["KZ-ALA", "kz-ala"]
    assert not any("region_spellings_merged" in d for d in meta["readers"].values())
