"""`clusterid detect` end to end: planted structure, output format, determinism, chaining."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import adjusted_rand_score

from clusterid.io.tables import base_metadata, write_frame

from conftest import SAMPLES, run_here

OUTPUT_FILES = ("clusters.csv", "cluster_summary.csv", "regional_clusters.csv",
                "region_summary.csv", "relatedness.csv")
GROUPS = 5
PER_GROUP = 12
N_REGIONS = 60


def planted_codes():
    # codes chosen so that the NAICS hierarchy does NOT reveal the groups
    codes = [f"{311111 + 10 * k}" for k in range(GROUPS * PER_GROUP)]
    truth = {c: k % GROUPS for k, c in enumerate(codes)}
    return codes, truth


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    """A canonical table with five planted groups of six industries over 60 regions."""
    rng = np.random.default_rng(7)
    codes, truth = planted_codes()
    rows = []
    for j in range(N_REGIONS):
        home = j % GROUPS
        region = f"{j:05d}"
        total = 0.0
        for c in codes:
            boost = 8.0 if truth[c] == home else 1.0
            e = float(np.round(100 * boost * rng.lognormal(0, 0.25)))
            total += e
            rows.append(dict(period="2016", region=region, ownership="private", industry=c,
                             region_level="county", classification="NAICS", level=6,
                             employment=e, establishments=float(max(1, round(e / 20)))))
        rows.append(dict(period="2016", region=region, ownership="private", industry="10",
                         region_level="county", classification="NAICS", level=0,
                         employment=total * 1.5, establishments=500.0))
    from clusterid.io.canonical import to_canonical

    df = to_canonical(pl.DataFrame(rows).lazy()).collect()
    path = tmp_path_factory.mktemp("toy") / "toy.csv"
    write_frame(df, str(path), base_metadata("canonical"))
    return path, truth


@pytest.fixture(scope="module")
def utah_uscmp(tmp_path_factory):
    """detect --definitions uscmp on the raw Utah sample, once for the module."""
    from clusterid.cli.detect import run

    out = tmp_path_factory.mktemp("utah") / "raw"
    meta = run(str(SAMPLES / "qcew_utah_2016_counties.csv.gz"), str(out), definitions="uscmp")
    return out, meta


def run_cli(capsys, *args, expect=0):
    """The real entry point in-process (conftest.run_here): its exit codes and stderr."""
    proc = run_here(capsys, *args)
    assert proc.returncode == expect, proc.stderr
    return proc


def run_app(*args):
    """In process (fast): the Typer app with the same argument parsing."""
    from typer.testing import CliRunner

    from clusterid.cli.app import app

    result = CliRunner().invoke(app, ["detect", *map(str, args)])
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def read(out: Path, name: str):
    return pl.read_csv(out / name, infer_schema_length=0)


def assert_recovered(out, truth):
    clusters = read(out, "clusters.csv")
    assert clusters.height == len(truth)
    got = dict(zip(clusters["industry"], clusters["cluster_id"]))
    codes = sorted(truth)
    assert adjusted_rand_score([truth[c] for c in codes], [got[c] for c in codes]) == 1.0


@pytest.mark.parametrize("args", [["--method", "dps", "--n-clusters", str(GROUPS)],
                                  ["--method", "leiden"]])
def test_planted_structure_is_recovered(toy, tmp_path, args):
    path, truth = toy
    out = tmp_path / "out"
    run_app(path, "-o", out, "--signals", "colocation", *args)
    assert_recovered(out, truth)
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["random_state"] == 0
    assert meta["options"]["method"] == args[1]


def test_planted_structure_dps_sweep(toy, tmp_path):
    path, truth = toy
    out = tmp_path / "out"
    run_app(path, "-o", out, "--signals", "colocation", "--method", "dps")
    assert_recovered(out, truth)


def test_outputs_columns_follow_the_documented_format(toy, tmp_path):
    from clusterid.cli import detect

    path, _ = toy
    out = tmp_path / "out"
    run_app(path, "-o", out, "--signals", "colocation", "--compare", "uscmp")
    doc = detect.__doc__
    sections = re.split(r"\n``([a-z_]+\.(?:csv|json))``", doc)
    documented = {sections[i]: sections[i + 1] for i in range(1, len(sections) - 1, 2)}
    for name in OUTPUT_FILES:
        header = (out / name).read_text().splitlines()[0].split(",")
        for col in header:
            assert re.search(rf"\b{col}\b", documented[name]), f"{name}: {col} is not documented"
    regional = read(out, "regional_clusters.csv")
    from clusterid.core.strength import REGIONAL_COLUMNS

    assert regional.columns == REGIONAL_COLUMNS
    meta = json.loads((out / "metadata.json").read_text())
    for key in ("tool_version", "options", "inputs", "random_state", "files", "compare"):
        assert key in meta
    assert len(meta["inputs"][0]["sha256"]) == 64
    assert set(meta["compare"]) >= {"ari", "ami", "data", "benchmark_scores"}
    clusters = read(out, "clusters.csv")
    assert "benchmark_cluster_id" in clusters.columns


def test_byte_identical_across_runs(toy, tmp_path):
    path, _ = toy
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        run_app(path, "-o", out, "--signals", "colocation", "--random-state", "3")
    for name in (*OUTPUT_FILES, "metadata.json"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_chain_detect_then_definitions_gives_the_same_regions(toy, tmp_path):
    """The clusters found feed back as --definitions: the regional results do not change."""
    path, _ = toy
    first, second = tmp_path / "first", tmp_path / "second"
    run_app(path, "-o", first, "--signals", "colocation")
    run_app(path, "-o", second, "--definitions", first / "clusters.csv")
    for name in ("regional_clusters.csv", "region_summary.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    meta = json.loads((second / "metadata.json").read_text())
    assert "grouping" not in meta and meta["definitions"]["name"] == "file"
    # the same folder re-used without grouping: no stale relatedness.csv is left behind
    run_app(path, "-o", first, "--definitions", first / "clusters.csv")
    assert not (first / "relatedness.csv").exists()
    assert set(json.loads((first / "metadata.json").read_text())["files"]) == {
        "clusters.csv", "cluster_summary.csv", "regional_clusters.csv", "region_summary.csv"}


def test_uscmp_definitions_on_the_utah_sample(utah_uscmp):
    out, meta = utah_uscmp
    assert meta["definitions"]["n_clusters"] == 67
    regional = read(out, "regional_clusters.csv")
    assert regional.filter(pl.col("strong") == "true").height > 30
    assert "relatedness.csv" not in {p.name for p in out.iterdir()}
    summary = read(out, "region_summary.csv")
    assert summary.height == 30  # 29 counties and the state


@pytest.mark.parametrize("options, message", [
    ({"rule": "lq>>1"}, "cannot read"),
    ({"suppressed": "zero"}, "--suppressed"),
    ({"compare": "foo"}, "--compare"),
    ({"ownership": "federal"}, "--ownership"),
    ({"universe": "naics"}, "--universe"),
    ({"crosswalk": "x.csv"}, "--crosswalk needs --io"),
])
def test_usage_errors(toy, tmp_path, options, message):
    from clusterid.cli.detect import run
    from clusterid.errors import UsageError

    path, _ = toy
    with pytest.raises(UsageError, match=re.escape(message)):
        run(str(path), str(tmp_path / "x"), definitions="uscmp", **options)
    assert not (tmp_path / "x").exists()


def test_stdout_is_not_an_output_folder(toy):
    from clusterid.cli.detect import run
    from clusterid.errors import UsageError

    with pytest.raises(UsageError, match="-o OUTDIR"):
        run(str(toy[0]), "-", definitions="uscmp")


def test_usage_error_exits_2_with_the_message(capsys, toy, tmp_path):
    path, _ = toy
    proc = run_cli(capsys, "detect", path, "-o", tmp_path / "x", "--rule", "lq>>1", expect=2)
    assert proc.stderr.startswith("clusterid: error: --rule: cannot read 'lq>>1'")
    assert "Traceback" not in proc.stderr


def test_missing_input_exits_2(capsys, tmp_path):
    proc = run_cli(capsys, "detect", tmp_path / "nope.csv", "-o", tmp_path / "x", expect=2)
    assert "nope.csv: no such file" in proc.stderr
    from clusterid.cli.detect import run
    from clusterid.errors import InputFileError

    with pytest.raises(InputFileError, match="defs.csv: no such file"):
        run(str(SAMPLES / "qcew_utah_2016_counties.csv.gz"), str(tmp_path / "x"),
            definitions=str(tmp_path / "defs.csv"))
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("definitions", [[], ["--definitions", "uscmp"], ["--definitions", "FILE"]])
def test_a_table_of_region_totals_alone_is_refused_naming_the_file(capsys, tmp_path, definitions):
    """The Utah sample cut to its all-industries rows (industry 10, Utah and its counties): no
    industry to put in a cluster.  With --definitions it was refused as "none of the input's
    industries ( ...) is in the definitions", its codes going "down to 0 digits", and the
    grouping's refusal sent the user to --definitions."""
    raw = pl.read_csv(SAMPLES / "qcew_utah_2016_counties.csv.gz", infer_schema_length=0)
    totals = tmp_path / "totals.csv"
    raw.filter(pl.col("industry_code") == "10").write_csv(totals)
    if definitions[-1:] == ["FILE"]:
        (tmp_path / "defs.csv").write_text("industry,cluster\n311111,1\n311119,1\n")
        definitions = ["--definitions", str(tmp_path / "defs.csv")]
    proc = run_cli(capsys, "detect", totals, "-o", tmp_path / "x", *definitions, expect=1)
    assert proc.stderr.splitlines()[-1] == (
        f"clusterid: error: {totals}: column 'industry': the table holds no industry but the "
        "all-industries total (expected industry rows beside the total, found 'industry 10 "
        "only')"), proc.stderr
    assert not (tmp_path / "x").exists()


def test_chain_ingest_then_detect_equals_detect_on_the_raw_file(tmp_path, utah_uscmp,
                                                                 utah_impute_chain):
    """detect RAW == ingest RAW > canonical; detect canonical (same tables, byte for byte),
    and ingest > impute > detect == detect --suppressed impute (conftest's utah_impute_chain:
    those commands run once a session, test_impute_wages reads them too)."""
    import copy

    from clusterid.cli.detect import run

    chain = utah_impute_chain
    canonical = chain.canonical  # ingest --month annual
    names = ("clusters.csv", "cluster_summary.csv", "regional_clusters.csv", "region_summary.csv")
    raw, meta = utah_uscmp
    run(str(canonical), str(tmp_path / "chained"), definitions="uscmp")
    for name in names:
        assert (raw / name).read_bytes() == (tmp_path / "chained" / name).read_bytes(), name
    # --suppressed drop: suppressed cells left out, but their bounds still give the LQ range
    drop = read(raw, "regional_clusters.csv")
    assert meta["strength"]["lq_denominator"]["used"] == "total"
    assert drop.filter(pl.col("lq_max").is_not_null()).height > 0.5 * drop.height
    meta = copy.deepcopy(chain.meta)  # detect RAW --suppressed impute
    for name in names:  # == detect on the imputed table
        assert (chain.raw / name).read_bytes() == (chain.chained / name).read_bytes(), name
    # --suppressed impute: complete data, so the USCMP traded / local denominators
    imp = read(chain.raw, "regional_clusters.csv")
    assert meta["strength"]["lq_denominator"]["used"] == "typed"
    assert meta["suppression"]["suppressed"] == "impute"
    assert imp["employment"].null_count() == 0
    assert set(imp["lq_denominator"]) == {"traded", "local"}
    lq = imp.select(pl.col(c).cast(pl.Float64) for c in ("lq", "lq_min", "lq_max"))
    ok = lq.filter(pl.col("lq").is_not_null())
    assert (ok["lq_min"] <= ok["lq"] + 1e-9).all() and (ok["lq"] <= ok["lq_max"] + 1e-9).all()


def test_quarters_give_growth_from_the_first_to_the_last_period(tmp_path):
    from clusterid.cli.detect import run

    run(str(SAMPLES / "qcew_utah_2016_counties.csv.gz"), str(tmp_path / "q"), definitions="uscmp",
        month="average")
    reg = pl.read_csv(tmp_path / "q" / "regional_clusters.csv", infer_schema_length=0)
    assert sorted(reg["period"].unique()) == ["2016Q1", "2016Q2", "2016Q3", "2016Q4"]
    last = reg.filter(pl.col("period") == "2016Q4")
    assert last["employment_growth"].null_count() < last.height
    assert reg.filter(pl.col("period") == "2016Q1")["employment_growth"].null_count() == \
        reg.filter(pl.col("period") == "2016Q1").height
    # growth = last / first - 1, checked on one cell
    row = last.filter(pl.col("employment_growth").is_not_null()).row(0, named=True)
    first = reg.filter((pl.col("period") == "2016Q1") & (pl.col("region") == row["region"])
                       & (pl.col("cluster_id") == row["cluster_id"])).row(0, named=True)
    assert float(row["employment_growth"]) == pytest.approx(
        float(row["employment"]) / float(first["employment"]) - 1, abs=2e-6)



def test_a_failed_write_leaves_the_previous_run_intact(tmp_path):
    from clusterid.cli.detect import write_outputs

    good = {"clusters.csv": pl.DataFrame({"a": [1]}), "regional_clusters.csv": pl.DataFrame({"b": [2]})}
    write_outputs(str(tmp_path), good, {"kind": "detect", "run": 1})
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    class Broken:
        height = 1

        def write_csv(self, *args, **kwargs):
            raise OSError(28, "No space left on device")

    bad = {"clusters.csv": pl.DataFrame({"a": [9]}), "regional_clusters.csv": Broken()}
    with pytest.raises(Exception):
        write_outputs(str(tmp_path), bad, {"kind": "detect", "run": 2})
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # same files, same bytes, no temporary files left


def test_relatedness_frame_imputes_suppressed_cells_for_colocation_only():
    """A suppressed child whose parent and sibling are published gets the remainder (the
    constrained imputation), for the co-location signals only; region level and ownership
    are chosen; the table given is not changed."""
    from clusterid.cli.detect import relatedness_frame
    from clusterid.io.canonical import to_canonical

    rows = []
    for region, level, parent, child_a in (("01001", "county", 100.0, 30.0),
                                            ("01", "state", 400.0, 150.0)):
        base = dict(period="2016", region=region, region_level=level, classification="NAICS")
        rows += [dict(base, ownership="private", industry="31111", level=5, employment=parent,
                      establishments=10.0),
                 dict(base, ownership="private", industry="311111", level=6, employment=child_a,
                      establishments=4.0),
                 dict(base, ownership="private", industry="311119", level=6, employment=None,
                      establishments=6.0),
                 dict(base, ownership="total", industry="311119", level=6, employment=None,
                      establishments=6.0)]
    df = to_canonical(pl.DataFrame(rows).lazy()).collect()
    st = "employment_status"
    assert (df[st] == "suppressed").sum() == 4
    out, note = relatedness_frame(df, "private", "county", "colocation,hierarchy")
    assert note == {"suppressed_for_relatedness": "impute (whole jobs)"}
    assert set(out["region"].to_list()) == {"01001"} and set(out["ownership"]) == {"private"}
    cell = out.filter(pl.col("industry") == "311119")
    assert cell[st][0] == "estimated" and cell["employment"][0] == pytest.approx(70.0)
    assert (df[st] == "suppressed").sum() == 4  # the input is untouched
    same, note = relatedness_frame(df, "private", "state", "io,hierarchy")
    assert note == {"suppressed_for_relatedness": "as given"}
    assert same.filter(pl.col("industry") == "311119")[st][0] == "suppressed"
