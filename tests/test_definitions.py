"""Cluster definitions: bundled USCMP tables, NAICS vintages, user files."""

from __future__ import annotations

import polars as pl
import pytest

from clusterid.core import definitions as cdefs
from clusterid.errors import DataError, UsageError
from clusterid.io import definitions as iodefs


def test_uscmp_2012_counts_match_the_published_definitions():
    d = iodefs.load_uscmp("2012")
    assert d.members.height == 978  # NAICS 2012 codes in the USCMP file
    assert d.n_clusters == 67
    assert d.traded_only().members.height == 675
    assert d.traded_only().n_clusters == 51
    labels = d.labels()
    assert labels["336411"] == "1"  # aircraft manufacturing -> Aerospace Vehicles and Defense
    row = d.clusters.filter(pl.col("cluster_id") == "1").row(0, named=True)
    assert row["cluster_name"] == "Aerospace Vehicles and Defense"
    assert row["cluster_type"] == "traded"
    assert d.clusters.filter(pl.col("cluster_id") == "101")["cluster_type"].item() == "local"


def test_cluster_order_is_numeric():
    ids = iodefs.load_uscmp("2012").clusters["cluster_id"].to_list()
    assert ids[:3] == ["1", "2", "3"] and ids[50] == "51" and ids[51] == "101"


def test_2007_vintage_is_read_as_published():
    d = iodefs.load_uscmp("2007")
    assert d.members.height == 1088
    assert d.vintage == "2007"


def test_2017_vintage_maps_changed_codes_through_the_bea_crosswalk():
    d12 = iodefs.load_uscmp("2012").labels()
    d17 = iodefs.load_uscmp("2017")
    labels = d17.labels()
    # 2012 codes retired in 2017 are gone, their 2017 successors carry the cluster
    assert "211111" not in labels and "211112" not in labels
    assert labels["211120"] == d12["211111"]
    assert labels["541713"] == d12["541711"]
    assert "517311" in labels and "517110" not in labels
    # an unchanged code keeps its cluster
    assert labels["336411"] == d12["336411"]
    assert any("MasterCrosswalk2017" in n for n in d17.notes)


def test_vintage_from_year():
    assert cdefs.vintage_for_year(2016) == "2012"
    assert cdefs.vintage_for_year(2010) == "2007"
    assert cdefs.vintage_for_year(2020) == "2017"
    d = iodefs.load_definitions("uscmp", year=2009)
    assert d.vintage == "2007"
    assert iodefs.load_definitions("uscmp:2012").vintage == "2012"


def test_unknown_vintage_is_a_usage_error():
    with pytest.raises(UsageError, match="vintage"):
        iodefs.load_definitions("uscmp:1987")  # (2022 is derived since NAICS 2022 data came)


def test_user_file_with_aliases_and_types(tmp_path):
    p = tmp_path / "defs.csv"
    p.write_text("NAICS,Cluster_Code,cluster_name,traded\n"
                 "111,B,Farming,true\n112,B,Farming,true\n221,A,Power,false\n")
    d = iodefs.load_definitions(str(p))
    assert d.labels() == {"221": "A", "111": "B", "112": "B"}
    types = dict(zip(d.clusters["cluster_id"], d.clusters["cluster_type"]))
    assert types == {"A": "local", "B": "traded"}
    assert d.clusters["cluster_id"].to_list() == ["A", "B"]


@pytest.mark.parametrize("sep", [";", "\t"])
def test_user_file_saved_by_a_spreadsheet_with_its_own_separator(tmp_path, sep):
    """A definitions table saved by a spreadsheet in a continental locale (German Excel: ';')
    or as tab-separated text was one column, 'not a cluster definitions table'."""
    p = tmp_path / "defs.csv"
    p.write_text("\n".join(sep.join(r) for r in (
        ("NAICS", "Cluster_Code", "cluster_name", "traded"), ("111", "B", "Farming, crops", "true"),
        ("112", "B", "Farming, crops", "true"), ("221", "A", "Power", "false"))) + "\n")
    d = iodefs.load_definitions(str(p))
    assert d.labels() == {"221": "A", "111": "B", "112": "B"}
    assert dict(zip(d.clusters["cluster_id"], d.clusters["cluster_name"]))["B"] == "Farming, crops"


def test_user_file_problems_are_collected_with_lines(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("industry,cluster,type\n111,1,traded\n111,2,traded\n,3,local\n113,4,sometimes\n")
    with pytest.raises(DataError) as info:
        iodefs.load_definitions(str(p))
    lines = info.value.lines()
    assert len(lines) == 3
    assert ":3:" in lines[0] and "two clusters" in lines[0]
    assert ":4:" in lines[1] and "empty industry" in lines[1]
    assert ":5:" in lines[2] and "sometimes" in lines[2]


def test_user_file_without_the_columns(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match="not a cluster definitions table"):
        iodefs.load_definitions(str(p))


def test_majority_types_from_the_benchmark():
    bench = cdefs.build("b", {"1": "T", "2": "T", "3": "L"}, cluster_types={"T": "traded", "L": "local"})
    data = cdefs.build("d", {"1": "x", "2": "x", "3": "y", "4": "z"})
    assert cdefs.majority_types(data, bench) == {"x": "traded", "y": "local", "z": "unknown"}


def test_bls_codes_that_split_a_naics_code_take_its_cluster():
    d = iodefs.load_uscmp("2012")
    data = ["238111", "238112", "336411", "111140", "541711"]
    aligned = cdefs.align_to_data(d, data)
    labels = aligned.labels()
    assert labels["238111"] == labels["238112"] == d.labels()["238110"]
    assert "111140" not in labels  # farms are outside the USCMP definitions: not invented
    assert aligned.members.height == d.members.height + 2
    assert any("238111" in n for n in aligned.notes)
    # when the data carry the NAICS code itself, nothing is attached (no double count)
    assert cdefs.align_to_data(d, ["238110", "238111"]).members.height == d.members.height


def test_a_code_and_its_parent_cannot_both_be_listed(tmp_path):
    p = tmp_path / "nested.csv"
    p.write_text("industry,cluster\n3364,1\n336411,1\n541711,2\n")
    with pytest.raises(DataError, match="336411 and its parent 3364") as info:
        iodefs.load_definitions(str(p))
    assert ":3:" in info.value.lines()[0]


def test_nace_codes_are_brought_to_the_canonical_form():
    d = cdefs.build("f", {"10.1": "food", "C10.2": "food", "62": "it"})
    n = cdefs.normalize_codes(d, "NACE")
    assert sorted(n.labels()) == ["C10.1", "C10.2", "J62"]
    assert cdefs.normalize_codes(d, "NAICS") is d
