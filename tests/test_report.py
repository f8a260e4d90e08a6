"""`clusterid report`: content, determinism, formats, errors, size on 3,000 regions.

Built on tests/data/report/detect, a small hand-made detect output folder in the format
documented at the top of src/clusterid/cli/detect.py (see tests/data/report/make_fixture.py).
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from clusterid.cli.app import app
from conftest import run_main

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "report" / "detect"
runner = CliRunner()


def cli(*args, cwd=None):
    """``clusterid ARGS`` in a process of its own (what stdout carries)."""
    return subprocess.run([sys.executable, "-m", "clusterid", *args], capture_output=True,
                          text=True, cwd=cwd)


@pytest.fixture
def here(capsys):
    """``clusterid ARGS`` in-process, for exit codes, messages and files (the same as in a
    process of its own, without ~0.7 s of start-up): ``.returncode``, ``.stdout``, ``.stderr``."""

    def run(*args):
        code, out, err = run_main([str(a) for a in args], capsys)
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)

    return run


@pytest.fixture(scope="module")
def html_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "report.html"
    res = runner.invoke(app, ["report", str(FIXTURE), "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def json_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("json") / "report.json"
    res = runner.invoke(app, ["report", str(FIXTURE), "-o", str(out), "--top-regions", "2"])
    assert res.exit_code == 0, res.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_html_is_self_contained(html_report):
    assert html_report.startswith("<!DOCTYPE html>")
    import re

    for forbidden in ("<script", "<link", " src=", "<metadata", "@import"):
        assert forbidden not in html_report, forbidden
    assert re.findall(r"url\((?!#)", html_report) == []  # only references inside the page
    # The only URLs are SVG namespace names, which are never fetched.
    assert "http" not in re.sub(r'xmlns(:\w+)?="http[^"]*"', "", html_report)
    assert "<style>" in html_report


def test_html_contents(html_report):
    for section in ('id="run"', 'id="quality"', 'id="clusters"', 'id="relatedness"', 'id="regions"',
                    'id="methodology"'):
        assert section in html_report
    # what was run on what: input path and checksum, options, versions, no invented date
    assert "data/samples/qcew_utah_2016_counties.csv.gz" in html_report
    assert "0" * 64 in html_report
    assert "colocation,hierarchy" in html_report
    assert "not recorded by detect" in html_report
    # every cluster and its members; per region its strong clusters
    for name in ("Aerospace Vehicles and Defense", "Business Services", "Local Health Services",
                 "Offices of Dentists"):
        assert name in html_report
    assert "Salt Lake County, Utah" in html_report
    # charts: sizes, relatedness heatmap, one bubble chart per region (6 regions)
    assert html_report.count('<svg class="chart"') == 2 + 6
    assert "employment growth, first to last period (%)" in html_report  # two periods -> growth
    assert "Delgado, M., Porter, M. E. &amp; Stern, S. (2016)" in html_report


def test_html_is_deterministic_across_processes(tmp_path, html_report):
    # A second process (different hash seed, fresh matplotlib state) gives the same bytes.
    out = tmp_path / "again.html"
    res = subprocess.run([sys.executable, "-m", "clusterid", "report", str(FIXTURE), "-o", str(out)],
                         capture_output=True, text=True, env={"PYTHONHASHSEED": "12345",
                                                              "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0, res.stderr
    assert out.read_text(encoding="utf-8") == html_report


def test_json_report_lists_every_region_but_details_only_the_top(json_report):
    assert json_report["kind"] == "report"
    assert [r["region"] for r in json_report["regions"]] == ["49035", "49049"]  # largest first
    assert json_report["regions_total"] == 6
    assert len(json_report["regions_all"]) == 6
    assert json_report["x_axis"] == "employment_growth"
    slc = json_report["regions"][0]
    rows = [r for r in csv.DictReader(open(FIXTURE / "regional_clusters.csv"))
            if r["period"] == "2016" and r["region"] == "49035"]
    expected = [r["cluster_id"] for r in sorted(rows, key=lambda r: int(r["rank_in_region"]))]
    assert [p["cluster_id"] for p in slc["portfolio"]] == expected
    assert expected[0] == "3"
    assert slc["strong"] == ["3"]


def test_json_quality_shares_are_computed_from_the_cells(json_report):
    q = json_report["quality"]
    # last period 2016: 24 region x cluster cells; member cells: cluster 1 has 3 members, others 2
    assert q["period"] == "2016"
    assert q["member_cells"] == 6 * (3 + 2 + 2 + 2)
    # suppressed: Sevier's cluster 1 (2 cells marked) + cluster 2 in every region (1 each)
    assert q["member_cells_suppressed_or_estimated"] == 2 + 6
    assert q["suppressed_share"] == pytest.approx(8 / 54, rel=1e-5)
    assert q["cells_by_status"] == {"partial": 0.25, "reported": pytest.approx(17 / 24, rel=1e-5),
                                    "suppressed": pytest.approx(1 / 24, rel=1e-5)}


def test_relatedness_from_cluster_lqs_when_detect_saved_none(json_report):
    rel = json_report["relatedness"]
    assert "computed by the report" in rel["source"]
    ids = rel["cluster_ids"]
    assert sorted(ids) == ["1", "101", "2", "3"]
    m = {(a, b): rel["matrix"][i][j] for i, a in enumerate(ids) for j, b in enumerate(ids)}
    assert m[("1", "1")] == pytest.approx(1.0)
    assert m[("101", "101")] is None  # local LQs are all 1 in this fixture: no variance
    assert m[("1", "3")] == m[("3", "1")]


def test_relatedness_from_industry_pairs(tmp_path):
    folder = tmp_path / "detect"
    shutil.copytree(FIXTURE, folder)
    (folder / "relatedness.csv").write_text(
        "industry_a,industry_b,similarity\n"
        "336411,336413,0.8\n336411,334511,0.6\n336411,541511,0.2\n336413,541512,0.4\n541511,541512,0.9\n")
    res = runner.invoke(app, ["report", str(folder), "-o", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    rel = json.loads((tmp_path / "r.json").read_text())["relatedness"]
    ids = rel["cluster_ids"]
    m = {(a, b): rel["matrix"][i][j] for i, a in enumerate(ids) for j, b in enumerate(ids)}
    assert m[("1", "1")] == pytest.approx((0.8 + 0.6) / 2)
    assert m[("1", "3")] == pytest.approx((0.2 + 0.4) / 2)
    assert m[("3", "3")] == pytest.approx(0.9)
    assert m[("2", "101")] is None
    assert "mean similarity of the member industries" in rel["source"]


def test_single_period_plots_lq_against_share(tmp_path):
    folder = tmp_path / "detect"
    shutil.copytree(FIXTURE, folder)
    for name in ("regional_clusters.csv", "region_summary.csv"):
        rows = list(csv.reader(open(folder / name)))
        with open(folder / name, "w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(rows[0])
            w.writerows(r for r in rows[1:] if r[0] == "2015")
    res = runner.invoke(app, ["report", str(folder), "-o", str(tmp_path / "r.html"), "--top-regions", "1"])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "r.html").read_text()
    assert "share of the region&#x27;s employment (%)" in html or "share of the region's employment (%)" in html
    assert "employment growth" not in html
    assert html.count('<svg class="chart"') == 2 + 1


def test_markdown_to_stdout(tmp_path):
    res = cli("report", str(FIXTURE), "-o", "-")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("# Industry clusters report\n")
    assert "| id | name | type |" in res.stdout
    assert "## Methodology" in res.stdout
    assert res.stderr == ""  # nothing written, nothing to say
    written = cli("report", str(FIXTURE), "-o", str(tmp_path / "r.md"))
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "r.md").read_text() == res.stdout


@pytest.mark.parametrize("args, code, message", [
    (["no/such/folder", "-o", "r.html"], 2, "no/such/folder: no such folder"),
    ([str(FIXTURE / "clusters.csv"), "-o", "r.html"], 2, "expected the output folder of `clusterid detect`"),
    ([str(FIXTURE), "-o", "r.pdf"], 2, "cannot tell the report format from the extension"),
    ([str(FIXTURE), "-o", "r.html", "--format", "pdf"], 2, "unknown --format 'pdf'"),
])
def test_usage_errors(tmp_path, monkeypatch, here, args, code, message):
    monkeypatch.chdir(tmp_path)
    res = here("report", *args)
    assert res.returncode == code
    assert message in res.stderr
    assert "Traceback" not in res.stderr


def test_not_a_detect_folder_names_the_missing_files(tmp_path, here):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "clusters.csv").write_text("industry,cluster_id\n")
    res = here("report", str(tmp_path / "d"), "-o", str(tmp_path / "r.html"))
    assert res.returncode == 2
    assert "not a `clusterid detect` output folder" in res.stderr
    assert "missing cluster_summary.csv, regional_clusters.csv" in res.stderr
    assert not (tmp_path / "r.html").exists()


def test_malformed_number_is_a_located_data_error(tmp_path, here):
    folder = tmp_path / "detect"
    shutil.copytree(FIXTURE, folder)
    text = (folder / "regional_clusters.csv").read_text().splitlines()
    cells = next(csv.reader([text[3]]))
    cells[17] = "1,5x"  # the lq column
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cells)
    text[3] = buf.getvalue()
    (folder / "regional_clusters.csv").write_text("\n".join(text) + "\n")
    res = here("report", str(folder), "-o", str(tmp_path / "r.html"))
    assert res.returncode == 1
    assert "regional_clusters.csv:4: column 'lq': not a number (expected a number or an empty cell, found '1,5x')" in res.stderr
    assert not (tmp_path / "r.html").exists()


def _big_detect_folder(folder: Path, n_regions: int, n_clusters: int) -> None:
    """A synthetic detect folder of the documented shape (values from a fixed generator)."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(7)
    folder.mkdir()
    cl = [str(c + 1) for c in range(n_clusters)]
    pl.DataFrame({"industry": [f"{100000 + i}" for i in range(n_clusters * 3)],
                  "industry_name": [f"Industry {i}" for i in range(n_clusters * 3)],
                  "cluster_id": [cl[i // 3] for i in range(n_clusters * 3)],
                  "cluster_name": [f"Cluster {cl[i // 3]}" for i in range(n_clusters * 3)],
                  "core": [i % 3 != 2 for i in range(n_clusters * 3)]}).write_csv(folder / "clusters.csv")
    regions = [f"R{j:05d}" for j in range(n_regions)]
    n = n_regions * n_clusters
    emp = rng.integers(0, 5000, n).astype(float)
    reg = pl.DataFrame({
        "period": ["2016"] * n,
        "region": np.repeat(regions, n_clusters),
        "region_name": np.repeat([f"Region {j}" for j in range(n_regions)], n_clusters),
        "region_level": ["county"] * n,
        "cluster_id": cl * n_regions,
        "cluster_name": [f"Cluster {c}" for c in cl] * n_regions,
        "cluster_type": ["traded"] * n,
        "employment": emp,
        "employment_status": ["reported"] * n,
        "n_industries": [3] * n,
        "n_suppressed": [0] * n,
        "region_employment": np.repeat(rng.integers(60_000, 500_000, n_regions).astype(float), n_clusters),
        "share": emp / 100_000,
        "lq": rng.gamma(2.0, 0.5, n),
        "strong": rng.random(n) < 0.1,
        "rank_in_region": np.tile(np.arange(1, n_clusters + 1), n_regions),
        "rank_in_cluster": rng.integers(1, n_regions, n),
    })
    reg.write_csv(folder / "regional_clusters.csv")
    pl.DataFrame({"cluster_id": cl, "cluster_name": [f"Cluster {c}" for c in cl],
                  "cluster_type": ["traded"] * n_clusters, "n_industries": [3] * n_clusters,
                  "employment": [float(x) for x in range(n_clusters)]}).write_csv(folder / "cluster_summary.csv")
    (folder / "metadata.json").write_text('{"command": "detect"}\n')


def test_three_thousand_regions_stay_a_few_megabytes(tmp_path, here):
    _big_detect_folder(tmp_path / "detect", n_regions=3000, n_clusters=30)
    start = time.perf_counter()
    res = here("report", str(tmp_path / "detect"), "-o", str(tmp_path / "r.html"))
    seconds = time.perf_counter() - start
    assert res.returncode == 0, res.stderr
    size = (tmp_path / "r.html").stat().st_size
    assert size < 5_000_000, f"{size / 1e6:.1f} MB"
    html = (tmp_path / "r.html").read_text()
    assert "25 of 3000 regions shown in detail" in html
    assert html.count('<svg class="chart"') == 2 + 25
    assert seconds < 120


def test_strongest_regions_are_ranked_within_the_main_region_level(tmp_path):
    folder = tmp_path / "detect"
    shutil.copytree(FIXTURE, folder)
    with open(folder / "regional_clusters.csv") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    state = [dict(r, region="49000", region_name="Utah", region_level="state", lq="9.5",
                  strong="true", rank_in_cluster="1")
             for r in rows if r["region"] == "49011"]  # the only state: trivially first
    (folder / "region_summary.csv").unlink()  # optional: regions then come from the cells
    with open(folder / "regional_clusters.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fields, lineterminator="\n")
        w.writeheader()
        w.writerows(state + rows)
    res = runner.invoke(app, ["report", str(folder), "-o", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "r.json").read_text())
    for cluster in report["clusters"]:
        assert cluster["top_regions_level"] == "county"
        assert "49000" not in [r["region"] for r in cluster["top_regions_detail"]]
    assert "49000" in [r["region"] for r in report["regions_all"]]


def test_folder_without_metadata_is_an_interrupted_detect(tmp_path, here):
    """detect removes metadata.json before its renames and writes it last: without it the
    folder may mix two runs, so the report refuses it (exit 2) instead of reading it."""
    folder = tmp_path / "detect"
    shutil.copytree(FIXTURE, folder)
    (folder / "metadata.json").unlink()
    res = here("report", folder, "-o", tmp_path / "r.md")
    assert res.returncode == 2
    assert "no metadata.json" in res.stderr and "interrupted" in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "r.md").exists()


def test_edited_table_is_read_and_named(tmp_path, here):
    """A table unlike detect's recorded checksum (say, a cluster removed by hand) is read, and
    the report and stderr name it."""
    folder = tmp_path / "detect"
    shutil.copytree(FIXTURE, folder)
    res = here("report", folder, "-o", tmp_path / "a.md")
    assert res.returncode == 0 and "edited" not in (tmp_path / "a.md").read_text()
    path = folder / "cluster_summary.csv"
    path.write_text("".join(path.read_text().splitlines(keepends=True)[:-1]))
    res = here("report", folder, "-o", tmp_path / "b.md")
    assert res.returncode == 0, res.stderr
    assert "cluster_summary.csv differs from the checksums" in res.stderr
    assert "edited since detect wrote them: cluster_summary.csv" in (tmp_path / "b.md").read_text()
