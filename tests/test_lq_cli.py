"""`clusterid lq` on the command line: exit codes and messages, stdin/stdout, metadata."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import polars as pl
import pytest

from clusterid.core import lq as core

from conftest import ROOT, TEST_DATA, run_here, run_main

TOY = str(TEST_DATA / "lq" / "toy_canonical.csv")


def run(capsys, *args):
    """Run the real entry point in-process: (exit code, stdout, stderr)."""
    code, out, err = run_main(list(args), capsys)
    return code or 0, out, err


def test_help_states_the_poisson_assumption_and_an_example(capsys):
    code, out, _ = run(capsys, "lq", "--help")
    assert code == 0
    assert "POISSON" in out and "Example: clusterid lq" in out
    assert ">= --threshold" in out


def test_help_example_runs(capsys):
    code, out, err = run(capsys, "lq", TOY, "-o", "-", "--denominator", "sum")
    assert code == 0, err
    df = pl.read_csv(io.StringIO(out), schema_overrides={"industry": pl.String})
    assert df.height == 9
    assert df.filter(pl.col(core.LQ_REASON) == core.REASON_SUPPRESSED).height == 1


def test_stdin_to_stdout():
    with open(TOY, "rb") as fh:
        res = subprocess.run([sys.executable, "-m", "clusterid", "-q", "lq", "-", "-o", "-",
                              "--level", "2"], stdin=fh, capture_output=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    df = pl.read_csv(io.BytesIO(res.stdout), schema_overrides={"industry": pl.String})
    assert df["level"].unique().to_list() == [2]
    assert res.stderr == b""


def test_unknown_region_is_a_usage_error(capsys):
    code, out, err = run(capsys, "lq", TOY, "-o", "-", "--benchmark", "region:ZZ")
    assert code == 2 and out == ""
    assert err == ("clusterid: error: benchmark region 'ZZ' is not in the input "
                   "(regions include A, B, C)\n")


def test_bad_benchmark_and_correction(capsys):
    code, _, err = run(capsys, "lq", TOY, "-o", "-", "--benchmark", "nation")
    assert code == 2
    assert "--benchmark 'nation': expected sum, rest, region:ID or an existing reference file" in err
    code, _, err = run(capsys, "lq", TOY, "-o", "-", "--correction", "holm")
    assert code == 2 and "unknown correction 'holm'" in err


def test_missing_input(capsys, tmp_path):
    code, _, err = run(capsys, "lq", str(tmp_path / "nope.parquet"), "-o", "-")
    assert code == 2 and "no such file" in err


def test_reference_file_and_metadata(capsys, tmp_path):
    ref = tmp_path / "shares.csv"
    pl.DataFrame({"industry": ["10", "11", "21"], "benchmark_share": [1.0, 0.25, 0.75]}).write_csv(ref)
    out = tmp_path / "lq.csv"
    code, _, err = run(capsys, "lq", TOY, "-o", str(out), "--benchmark", str(ref),
                       "--correction", "bh", "--threshold", "1.2")
    assert code == 0, err
    df = pl.read_csv(out, schema_overrides={"industry": pl.String, "period": pl.String})
    a11 = df.filter((pl.col("region") == "A") & (pl.col("industry") == "11"))
    assert a11[core.LQ][0] == pytest.approx(0.4 / 0.25)
    meta = json.loads((tmp_path / "lq.csv.meta.json").read_text())
    assert meta["kind"] == "lq"
    assert meta["lq"]["benchmark"]["kind"] == "table"
    assert meta["lq"]["benchmark"]["source"] == str(ref)
    assert [i.get("role") for i in meta["inputs"]] == [None, "benchmark"]
    assert all(len(i["sha256"]) == 64 for i in meta["inputs"])
    assert meta["options"]["correction"] == "bh" and meta["options"]["threshold"] == 1.2
    assert meta["lq"]["specialised"]["rule"] == "lq >= 1.2"


def test_output_is_deterministic(capsys, tmp_path):
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    for path in (a, b):
        code, _, err = run(capsys, "lq", TOY, "-o", str(path), "--bootstrap", "20",
                           "--random-state", "3")
        assert code == 0, err
    assert a.read_bytes() == b.read_bytes()
    df = pl.read_parquet(a)
    assert core.LOG_SLQ_CRITICAL in df.columns


def test_raw_qcew_input_is_ingested_with_the_chosen_month(capsys, tmp_path):
    sample = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
    raw = pl.read_csv(sample, infer_schema_length=0).filter(
        (pl.col("own_code") == "5") & (pl.col("agglvl_code") == "78") & (pl.col("qtr") == "1")
        & (pl.col("disclosure_code").fill_null("") != "N")
        & (pl.col("month1_emplvl") != pl.col("month2_emplvl")))
    cell = raw.row(0, named=True)
    out = tmp_path / "lq.parquet"
    code, _, err = run(capsys, "lq", str(sample), "-o", str(out), "--month", "2", "--level", "6",
                       "--ownership", "private", "--benchmark", "region:49000",
                       "--denominator", "all-ownership")
    assert code == 0, err
    df = pl.read_parquet(out)
    row = df.filter((pl.col("region") == cell["area_fips"])
                    & (pl.col("industry") == cell["industry_code"])
                    & (pl.col("period") == "2016Q1") & (pl.col("measure") == "employment"))
    assert row["value"].to_list() == [float(cell["month2_emplvl"])]
    assert "49000" not in df["region"].to_list()
    from clusterid.io.tables import read_metadata

    meta = read_metadata(str(out))
    assert meta["options"]["month"] == "2"
    assert meta["lq"]["benchmark"]["region"] == "49000"


def test_raw_agency_file_as_benchmark_equals_the_region_benchmark(capsys, tmp_path):
    # the national (here: statewide) file as BLS publishes it, passed to --benchmark, is
    # ingested on the fly with the input's options: the same LQs as naming that region of
    # one combined input, and a different --month moves both sides together
    sample = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
    raw = pl.read_csv(sample, infer_schema_length=0)
    state, counties = tmp_path / "state.csv", tmp_path / "counties.csv"
    raw.filter(pl.col("area_fips") == "49000").write_csv(state)
    raw.filter(pl.col("area_fips") != "49000").write_csv(counties)
    common = ["--level", "6", "--ownership", "private", "--denominator", "all-ownership",
              "--month", "3"]
    by_file, by_region = tmp_path / "by_file.parquet", tmp_path / "by_region.parquet"
    code, _, err = run(capsys, "lq", str(counties), "-o", str(by_file), "--benchmark", str(state),
                       *common)
    assert code == 0, err
    code, _, err = run(capsys, "lq", str(sample), "-o", str(by_region), "--benchmark",
                       "region:49000", *common)
    assert code == 0, err
    cols = ["period", "region", "industry", "measure", "value", "benchmark_industry_total",
            "benchmark_total", "lq", "lq_reason"]
    a = pl.read_parquet(by_file).select(cols).sort(cols[:4])
    b = pl.read_parquet(by_region).select(cols).sort(cols[:4])
    assert a.height == b.height > 1000
    assert a["lq"].drop_nulls().len() > 1000
    joined = a.join(b, on=cols[:4], suffix="_r")
    assert joined.height == a.height
    for c in ("value", "benchmark_industry_total", "benchmark_total", "lq"):
        diff = (joined[c] - joined[c + "_r"]).abs().fill_null(0.0)
        assert diff.max() <= 1e-9 * max(1.0, joined[c].abs().max()), c
        assert (joined[c].is_null() == joined[c + "_r"].is_null()).all(), c
    assert (joined["lq_reason"].fill_null("") == joined["lq_reason_r"].fill_null("")).all()


@pytest.mark.parametrize("kind", ["raw", "canonical"])
def test_benchmark_glob_of_national_files_per_period(capsys, tmp_path, kind):
    # a national table per quarter (as BLS publishes a file per year or quarter), given to
    # --benchmark as a quoted glob: each period against its own file, the same LQs as naming
    # the statewide region of one combined input; every file is in the provenance.  Before,
    # '--benchmark nat/*.csv' was refused ('expected ... an existing reference file').
    sample = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
    raw = pl.read_csv(sample, infer_schema_length=0)
    nat = tmp_path / "nat"
    nat.mkdir()
    counties = tmp_path / "counties.csv"
    raw.filter(pl.col("area_fips") != "49000").write_csv(counties)
    common = ["--level", "6", "--ownership", "private", "--denominator", "all-ownership"]
    for q in ("1", "2", "3", "4"):
        part = raw.filter((pl.col("area_fips") == "49000") & (pl.col("qtr") == q))
        if kind == "raw":
            part.write_csv(nat / f"state_2016q{q}.csv")
        else:
            part.write_csv(tmp_path / f"state_2016q{q}.csv")
            code, _, err = run(capsys, "ingest", str(tmp_path / f"state_2016q{q}.csv"),
                               "-o", str(nat / f"state_2016q{q}.parquet"))
            assert code == 0, err
    pattern = str(nat / ("state_*.csv" if kind == "raw" else "state_*.parquet"))
    by_glob, by_region = tmp_path / "by_glob.parquet", tmp_path / "by_region.parquet"
    code, _, err = run(capsys, "lq", str(counties), "-o", str(by_glob), "--benchmark", pattern,
                       *common)
    assert code == 0, err
    code, _, err = run(capsys, "lq", str(sample), "-o", str(by_region), "--benchmark",
                       "region:49000", *common)
    assert code == 0, err
    cols = ["period", "region", "industry", "measure", "value", "benchmark_industry_total",
            "benchmark_total", "lq"]
    a = pl.read_parquet(by_glob).select(cols).sort(cols[:4])
    b = pl.read_parquet(by_region).select(cols).sort(cols[:4])
    assert sorted(a["period"].unique().to_list()) == ["2016Q1", "2016Q2", "2016Q3", "2016Q4"]
    assert a.height == b.height > 1000
    joined = a.join(b, on=cols[:4], suffix="_r")
    assert joined.height == a.height
    for c in ("benchmark_industry_total", "benchmark_total", "lq"):
        diff = (joined[c] - joined[c + "_r"]).abs().fill_null(0.0)
        assert diff.max() <= 1e-9 * max(1.0, joined[c].abs().max()), c
        assert (joined[c].is_null() == joined[c + "_r"].is_null()).all(), c
    from clusterid.io.tables import read_metadata

    meta = read_metadata(str(by_glob))
    named = [i["path"] for i in meta["inputs"] if i.get("role") == "benchmark"]
    assert [n.rsplit("/", 1)[-1] for n in named] == sorted(
        p.name for p in nat.iterdir() if p.name.startswith("state_") and not
        p.name.endswith(".json"))
    assert all(i["sha256"] for i in meta["inputs"])


def test_benchmark_glob_matching_nothing_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "lq", TOY, "-o", "-", "--benchmark", str(tmp_path / "nat*.csv"))
    assert code == 2
    assert "--benchmark" in err and "no file matches this pattern" in err


def test_benchmark_file_that_is_neither_reference_nor_agency_layout(capsys, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run(capsys, "lq", TOY, "-o", str(tmp_path / "x.csv"), "--benchmark", str(odd))
    assert code == 1
    assert "not a reference table" in err and "odd.csv" in err


def test_codes_without_a_level_beside_levelled_codes_are_named(tmp_path, capsys):
    # REAT's Freiburg table: three activities without their WZ letters beside six lettered
    # sections; the level-1 sum standing for the region total (47,181 of 100,056 in 2008)
    # leaves them out, which was said nowhere.  (REAT's own three titles are read as the A*10
    # groups M-N, O-Q and R-U they name since session 32: here they are named by no title)
    from conftest import shared_path

    text = shared_path("reat_germany_eu", "REAT_Freiburg.csv").read_text(encoding="utf-8")
    for n, title in enumerate(("Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL",
                               "Kunst, Unterhaltung, Erholung, Priv. Haush.,usw.",
                               "Oeff.Verw.,Verteidig.,Sozialvers.,Erz.-u.Unterricht"), start=1):
        assert title in text
        text = text.replace(title, f"Übrige Bereiche {n}")
    src = tmp_path / "freiburg_untitled.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "lq.csv"
    proc = run_here(capsys, "lq", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "3 industries whose codes have no level" in proc.stderr
    meta = json.loads((tmp_path / "lq.csv.meta.json").read_text())
    assert any("--classification custom" in n for n in meta["lq"]["notes"])


def _qcew_down_to_4_digits(sample, path):
    """A BLS QCEW CSV (the layout of the sample, Utah and its counties, four quarters) cut to
    the state's and counties' totals and their NAICS sectors to 4-digit industry groups
    (agglvl_code 50-56 and 70-76): every quarter and every region, 27,612 of its 96,044 rows."""
    import csv
    import gzip

    keep = {"50", "51", "54", "55", "56", "70", "71", "74", "75", "76"}
    with gzip.open(sample, "rt", newline="") as src, open(path, "w", newline="") as dst:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row for row in reader if row["agglvl_code"] in keep)
    return path


@pytest.mark.parametrize("extra", [
    [],  # the filter pushed into the Parquet scan
    # the bootstrap draws per industry and period; the imputation draws on every period, so
    # the filter comes after it
    ["--bootstrap", "49", "--suppressed", "impute", "--ownership", "private"]])
def test_period_option_gives_that_period_of_the_whole_table(capsys, tmp_path, extra, utah_parquet):
    """--period: a period's LQs rest on its own rows alone, so one period (or two) computed
    alone are the whole table's rows of those periods, value for value (what running a panel
    too large for memory period by period relies on); the period is matched ignoring case and
    recorded in the metadata."""
    import pyarrow.parquet as pq

    from conftest import SAMPLES

    canonical = utah_parquet  # the whole sample ingested with the defaults, once a session
    if extra:  # three bootstraps with imputation took ~20 s on the whole sample, ~6 s on this
        sample = _qcew_down_to_4_digits(SAMPLES / "qcew_utah_2016_counties.csv.gz",
                                        tmp_path / "utah_4digit.csv")
        canonical = tmp_path / "utah.parquet"
        assert run(capsys, "ingest", str(sample), "-o", str(canonical))[0] == 0
    whole_path, part_path = tmp_path / "whole.parquet", tmp_path / "part.parquet"
    assert run(capsys, "lq", str(canonical), "-o", str(whole_path), *extra)[0] == 0
    whole = pl.read_parquet(whole_path)
    if extra:
        assert whole["log_slq_critical"].null_count() < whole.height
    for periods in (["2016q2"], ["2016Q4,2016Q1"]):
        code, _, err = run(capsys, "lq", str(canonical), "--period", *periods, "-o",
                           str(part_path), *extra)
        assert code == 0, err
        wanted = sorted(p.upper() for ps in periods for p in ps.split(","))
        part = pl.read_parquet(part_path)
        assert sorted(part["period"].unique().to_list()) == wanted
        assert part.equals(whole.filter(pl.col("period").is_in(wanted)))
        meta = json.loads(pq.read_metadata(part_path).metadata[b"clusterid"])
        assert sorted(meta["options"]["period"]) == wanted


def test_period_the_input_lacks_is_a_usage_error_naming_those_it_has(capsys, tmp_path):
    code, out, err = run(capsys, "lq", TOY, "-o", "-", "--period", "1999")
    assert code == 2 and out == ""
    # one wording for lq, indices, stats, detect and shift-share since session 31
    assert "--period 1999: not in the table; it has 2016" in err


@pytest.mark.parametrize("given", ["", ","])
def test_period_option_naming_no_period_is_a_usage_error(capsys, given):
    # --period '' kept no row: a header-only table with exit 0
    code, out, err = run(capsys, "lq", TOY, "-o", "-", "--period", given)
    assert code == 2 and out == ""
    assert "no period named" in err and "the input has" in err


@pytest.mark.parametrize("replicates, confidence, least", [
    ("1", "0.95", 19), ("18", "0.95", 19), ("98", "0.99", 99), ("8", "0.9", 9)])
def test_too_few_bootstrap_replicates_are_a_usage_error(capsys, replicates, confidence, least):
    # --bootstrap 1 was accepted: the 0.95 quantile of one replicate's values as a 'critical
    # value'; (B + 1)(1 - confidence) >= 1 leaves at least one replicate beyond the quantile
    code, out, err = run(capsys, "lq", TOY, "-o", "-", "--bootstrap", replicates,
                         "--confidence", confidence)
    assert code == 2 and out == "", err
    assert len(err.strip().splitlines()) == 1, err
    assert (f"--bootstrap {replicates}: expected 0 (off) or at least {least} replicates "
            f"for --confidence {confidence}") in err


@pytest.mark.parametrize("replicates, confidence", [("0", "0.95"), ("19", "0.95"), ("9", "0.9")])
def test_bootstrap_off_or_enough_replicates_runs(capsys, replicates, confidence):
    code, _, err = run(capsys, "lq", TOY, "-o", "-", "--bootstrap", replicates,
                       "--confidence", confidence)
    assert code == 0, err
