"""`clusterid report`: what it says of the regions and of the relatedness.

A region alone in its region level (a statewide row beside the state's counties, as the Utah
sample's QCEW files give) is named apart, not ranked among the others: detect compares each region with the sum of the regions of its own level, so the statewide row is
its own benchmark: every cluster LQ 1, nothing strong.  It led the regions table (the largest
employment) with 0 strong clusters and a portfolio chart of bubbles piled on LQ = 1.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from clusterid.cli.app import app

FIXTURE = Path(__file__).resolve().parent / "data" / "report" / "detect"
runner = CliRunner()


def _with_statewide_row(tmp_path: Path) -> Path:
    """The report fixture with a 'state' region 49000 added: one row per period and cluster in
    regional_clusters.csv (LQ 1, not strong) and one per period in region_summary.csv, its
    employment the counties' sum (larger than any county)."""
    folder = tmp_path / "detect"
    shutil.copytree(FIXTURE, folder)
    path = folder / "regional_clusters.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    seen, added = set(), []
    for r in rows:
        key = (r["period"], r["cluster_id"])
        if key in seen:
            continue
        seen.add(key)
        added.append({**{f: "" for f in fields}, "period": r["period"], "region": "49000",
                      "region_name": "Utah -- Statewide", "region_level": "state",
                      "cluster_id": r["cluster_id"], "cluster_name": r["cluster_name"],
                      "cluster_type": r["cluster_type"], "employment": "1000",
                      "employment_status": "reported", "region_employment": "999999",
                      "lq": "1", "strong": "false", "strong_robust": "false"})
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows + added)
    path = folder / "region_summary.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        summary = list(csv.DictReader(fh))
    periods = sorted({r["period"] for r in summary})
    extra = [{**{f: "" for f in summary[0]}, "period": p, "region": "49000",
              "region_name": "Utah -- Statewide", "region_level": "state",
              "region_employment": "999999", "n_strong": "0"} for p in periods]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(summary[0]))
        w.writeheader()
        w.writerows(summary + extra)
    return folder


def test_a_region_alone_in_its_level_is_named_apart_not_ranked(tmp_path):
    folder = _with_statewide_row(tmp_path)
    out = {}
    for ext in ("json", "html", "md"):
        path = tmp_path / f"report.{ext}"
        res = runner.invoke(app, ["report", str(folder), "-o", str(path)])
        assert res.exit_code == 0, res.output
        out[ext] = path.read_text(encoding="utf-8")
    report = json.loads(out["json"])
    assert [r["region"] for r in report["regions_apart"]] == ["49000"]
    assert report["regions_apart"][0]["region_level"] == "state"
    ranked = [r["region"] for r in report["regions"]]
    assert "49000" not in ranked and ranked  # the counties, largest first
    assert report["regions_total"] == len({r["region"] for r in report["regions_all"]}) - 1
    assert "49000" in {r["region"] for r in report["regions_all"]}  # still in the JSON
    said = "Not ranked: Utah -- Statewide (49000), the only region of its level (state)"
    assert said in out["html"] and said in out["md"]
    assert "<summary>Utah -- Statewide" not in out["html"]  # no portfolio of its own


def test_without_a_lone_level_nothing_is_set_apart(tmp_path):
    path = tmp_path / "report.json"
    res = runner.invoke(app, ["report", str(FIXTURE), "-o", str(path)])
    assert res.exit_code == 0, res.output
    report = json.loads(path.read_text(encoding="utf-8"))
    assert report["regions_apart"] == []
    assert "Not ranked" not in path.with_suffix(".json").read_text(encoding="utf-8")


def _with_relatedness(tmp_path: Path, info: dict) -> Path:
    """The report fixture with detect's ``relatedness`` metadata block set to ``info``."""
    folder = tmp_path / "detect"
    shutil.copytree(FIXTURE, folder)
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    meta["relatedness"] = info
    (folder / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_cells_imputed_for_the_relatedness_are_said_to_be(tmp_path):
    """detect imputes suppressed cells for its relatedness (``suppressed_for_relatedness``:
    'impute (whole jobs)'); the report said only '0 suppressed cells entered the relatedness
    through their establishment counts', as if they had been left out."""
    folder = _with_relatedness(tmp_path, {"suppressed_for_relatedness": "impute (whole jobs)",
                                          "suppressed_proxied_by_establishments": 0,
                                          "suppressed_proxied_by_median": 0})
    for ext in ("html", "md"):
        path = tmp_path / f"report.{ext}"
        res = runner.invoke(app, ["report", str(folder), "-o", str(path)])
        assert res.exit_code == 0, res.output
        text = path.read_text(encoding="utf-8")
        assert "suppressed cells entered the relatedness imputed within their published bounds" in text
        assert "through their establishment counts" not in text


def test_cells_proxied_by_establishments_are_counted(tmp_path):
    folder = _with_relatedness(tmp_path, {"suppressed_for_relatedness": "as given",
                                          "suppressed_proxied_by_establishments": 1234})
    path = tmp_path / "report.md"
    res = runner.invoke(app, ["report", str(folder), "-o", str(path)])
    assert res.exit_code == 0, res.output
    text = path.read_text(encoding="utf-8")
    assert "1,234 suppressed cells entered the relatedness through their establishment counts" in text
    assert "imputed within their published bounds" not in text


def _portfolio_rows():
    """Three clusters on one spot (LQ 1.50-1.52, growth 2%) and one at the right edge."""
    rows = [{"cluster_id": str(i), "cluster_name": name, "cluster_type": "traded", "lq": lq,
             "employment_growth": 0.02, "employment": 1000.0, "strong": True}
            for i, (name, lq) in enumerate([("Alpha cluster", 1.52), ("Beta cluster", 1.51),
                                            ("Gamma cluster", 1.50)])]
    rows.append({"cluster_id": "9", "cluster_name": "Edge cluster name here", "cluster_type": "traded",
                 "lq": 0.5, "employment_growth": 0.40, "employment": 500.0, "strong": False})
    rows.append({"cluster_id": "8", "cluster_name": "Low", "cluster_type": "local", "lq": 0.2,
                 "employment_growth": -0.40, "employment": 500.0, "strong": False})
    return rows


def test_portfolio_labels_do_not_overlap_and_stay_inside():
    """Salt Lake County's eight labels of clusters between LQ 1.1 and 1.7 were drawn over each
    other; a label of a point at the right edge was cut off ('Perform')."""
    from clusterid.report import charts

    svg = charts.portfolio("Somewhere", _portfolio_rows(), "employment_growth")
    labels = [name for name in ("Alpha cluster", "Beta cluster", "Gamma cluster") if name in svg]
    assert labels == ["Alpha cluster"]  # the highest LQ of the three on one spot, alone
    at = svg.index("Edge cluster name here")
    assert "text-anchor: end" in svg[svg.rfind("<text", 0, at):at]  # to the left of its point
    assert "Low" in svg


def test_methodology_names_only_the_signals_the_run_used(tmp_path):
    """The fixture's detect ran with --signals colocation,hierarchy; the methodology listed every
    signal there is after the raw option ('colocation,hierarchy (co-location ..., input-output
    links, closeness in the classification)'), so it named input-output links never read."""
    path = tmp_path / "report.md"
    res = runner.invoke(app, ["report", str(FIXTURE), "-o", str(path)])
    assert res.exit_code == 0, res.output
    text = path.read_text(encoding="utf-8")
    start = text.index("Industries were grouped")
    said = text[start:text.index("\n", start)]
    assert "co-location across regions" in said
    assert "closeness in the industry classification" in said
    assert "input-output" not in said and "colocation,hierarchy" not in said
