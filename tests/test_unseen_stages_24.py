"""The stages after ingest (stats, lq, impute, detect, report, run) used as a person would:
chained through files (impute then detect), on small tables written inside the tests (a plain
canonical CSV of regions A, B, C and industries 11, 21 as ingest writes it)."""

from __future__ import annotations

from conftest import run_main

CANONICAL_HEADER = ("period,region,ownership,industry,level,employment,employment_status,"
                    "wages,wages_status")


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _three_regions(tmp_path):
    """B's 11 withheld (employment and wages), A's 11 wages withheld; totals published."""
    return _write(tmp_path, "t.csv", CANONICAL_HEADER + "\n" + "\n".join([
        "2016,A,total,10,0,100,reported,1000,reported",
        "2016,A,total,11,2,40,reported,,suppressed",
        "2016,A,total,21,2,60,reported,600,reported",
        "2016,B,total,10,0,300,reported,3000,reported",
        "2016,B,total,11,2,,suppressed,,suppressed",
        "2016,B,total,21,2,240,reported,2400,reported",
        "2016,C,total,10,0,100,reported,900,reported",
        "2016,C,total,11,2,30,reported,300,reported",
        "2016,C,total,21,2,70,reported,600,reported"]) + "\n")


# ------------------ 1. impute then detect: no 'suppressed cells left out' note


def test_detect_on_an_imputed_table_does_not_say_it_leaves_suppressed_cells_out(tmp_path, capsys):
    # `clusterid impute` then `clusterid detect` (README: the same tables as detect
    # --suppressed impute) said 'in the 1 rows with employment_status partial it leaves the
    # suppressed cells out' of B's cluster, whose imputed cell (60 = 300 - 240) is counted
    import json

    src = _three_regions(tmp_path)
    imputed = tmp_path / "imp.csv"
    code, _, err = run_main(["impute", str(src), "-o", str(imputed)], capsys)
    assert code == 0, err
    out = tmp_path / "det"
    code, _, err = run_main(["detect", str(imputed), "-o", str(out), "--n-clusters", "1"], capsys)
    assert code == 0, err
    assert "leaves the suppressed cells out" not in err
    notes = json.loads((out / "metadata.json").read_text())["notes"]
    assert not any("leaves the suppressed cells out" in n for n in notes)
    # the raw table, where B's cell is left out, still says so
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "raw"), "--n-clusters", "1"],
                            capsys)
    assert code == 0, err
    assert "in the 1 rows with employment_status 'partial' it leaves the suppressed cells out" in err
