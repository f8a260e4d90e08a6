"""Small user-facing gaps of lq and detect a new-user walkthrough found: lq saying which
ownerships its output holds, --ownership/--region-level in another case, and detect's
drop-mode employment beside its bounds."""

from __future__ import annotations

from pathlib import Path

from conftest import run_main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz")
TOY = str(ROOT / "tests" / "data" / "lq" / "toy_canonical.csv")


# ------------------------------------------- 1. lq says which ownerships its output holds


def test_lq_says_the_ownerships_and_levels_of_a_raw_file(tmp_path, capsys):
    code, _, err = run_main(["lq", SAMPLE, "--measure", "employment",
                             "-o", str(tmp_path / "lq.parquet")], capsys)
    assert code == 0, err
    assert ("ownerships private and total in the output ('private' has industries at "
            "levels 2, 3, 4, 5, 6; 'total' has only all-industry totals;") in err
    assert "choose with --ownership and --level)" in err


def test_lq_says_nothing_when_the_ownership_is_obvious(tmp_path, capsys):
    code, _, err = run_main(["lq", TOY, "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    assert "in the output (" not in err  # one ownership of a canonical table
    code, _, err = run_main(["lq", SAMPLE, "--measure", "employment", "--ownership", "private",
                             "-o", str(tmp_path / "lq2.parquet")], capsys)
    assert code == 0, err
    assert "in the output (" not in err  # chosen by the user


# ------------------------------- 2. --ownership and --region-level match ignoring case


def test_indices_ownership_and_region_level_in_another_case(tmp_path, capsys):
    code, _, err = run_main(["indices", SAMPLE, "--level", "2", "--period", "2016Q1",
                             "--ownership", "Private", "--region-level", "County",
                             "-o", str(tmp_path / "ix.csv")], capsys)
    assert code == 0, err
    text = (tmp_path / "ix.csv").read_text()
    assert "employment,private," in text  # the table's spelling kept


def test_lq_ownership_in_another_case(tmp_path, capsys):
    code, _, err = run_main(["lq", TOY, "--ownership", "TOTAL", "-o", str(tmp_path / "a.csv")],
                            capsys)
    assert code == 0, err
    code, _, err = run_main(["lq", TOY, "-o", str(tmp_path / "b.csv")], capsys)
    assert code == 0, err
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()
    code, _, err = run_main(["lq", TOY, "--ownership", "privat", "-o", "-"], capsys)
    assert code == 2 and "--ownership 'privat': the input has total" in err  # as detect says it


def test_lq_ownership_comma_separated(tmp_path, capsys):
    """'Private,total' is two ownerships, as in ingest, stats and impute; lq refused it as one
    value ("--ownership 'Private,total': the input has private, total")."""
    slice_ = str(ROOT / "tests" / "data" / "impute" / "qcew_utah_2016q1_slice.csv")
    code, _, err = run_main(["lq", slice_, "--ownership", "Private,total",
                             "-o", str(tmp_path / "a.csv")], capsys)
    assert code == 0, err
    code, _, err = run_main(["lq", slice_, "--ownership", "private", "--ownership", "total",
                             "-o", str(tmp_path / "b.csv")], capsys)
    assert code == 0, err
    a = (tmp_path / "a.csv").read_text()
    assert a == (tmp_path / "b.csv").read_text()
    assert ",private," in a and ",total," in a
    code, _, err = run_main(["lq", slice_, "--ownership", ",", "-o", "-"], capsys)
    assert code == 2 and "--ownership ''" in err  # names none: refused, not "every ownership"


def test_match_value_refuses_an_ambiguous_one_naming_the_values():
    import pytest

    from clusterid.cli.options import match_value
    from clusterid.errors import UsageError

    assert match_value("--region-level", "County", ["county", "state"]) == "county"
    assert match_value("--ownership", "Private", ["Private", "private"]) == "Private"
    with pytest.raises(UsageError, match="'PRIVATE': matches 'Private', 'private' ignoring case"):
        match_value("--ownership", "PRIVATE", ["Private", "private"])
    with pytest.raises(UsageError, match="the input has county, state"):
        match_value("--region-level", "msa", ["county", "state"])


def test_detect_ownership_and_region_level_in_another_case(tmp_path, capsys):
    code, _, err = run_main(["detect", SAMPLE, "--level", "2", "--ownership", "Private",
                             "--region-level", "County", "-o", str(tmp_path / "d")], capsys)
    assert code == 0, err


# ------------------ 3. detect --suppressed drop: employment counts published cells only


def test_detect_drop_says_employment_counts_published_cells_only(tmp_path, capsys):
    import json

    import polars as pl

    out = tmp_path / "d"
    code, _, err = run_main(["detect", SAMPLE, "--level", "4", "-o", str(out)], capsys)
    assert code == 0, err
    reg = pl.read_csv(out / "regional_clusters.csv")
    below = reg.filter(pl.col("employment") < pl.col("employment_lower") - 1e-6)
    assert below.height and set(below["employment_status"]) == {"partial"}
    partial = int((reg["employment_status"] == "partial").sum())
    said = (f"with --suppressed drop, 'employment' in regional_clusters counts the published "
            f"member cells only: in the {partial} rows with employment_status 'partial' it "
            f"leaves the suppressed cells out ({below.height} of them fall below "
            "employment_lower); the true total lies between employment_lower and "
            "employment_upper")
    assert said in err
    notes = json.loads((out / "metadata.json").read_text()).get("notes", [])
    assert any(said in n for n in notes)
