"""``clusterid stats`` and core.describe: toy table by hand, the real sample against the raw file."""

from __future__ import annotations

import csv
import gzip
import json

import polars as pl
import pytest

from clusterid import schema
from clusterid.core import describe
from clusterid.io.canonical import to_canonical
from conftest import SAMPLES

SAMPLE = SAMPLES / "qcew_utah_2016_counties.csv.gz"
EMP = schema.EMPLOYMENT


def toy():
    """Two regions; R1: total 100, children 60 + (suppressed); R2: total 50, children 20 + 30."""
    rows = [
        ("R1", "10", 0, 100.0), ("R1", "11", 2, 60.0), ("R1", "21", 2, None),
        ("R2", "10", 0, 50.0), ("R2", "11", 2, 20.0), ("R2", "21", 2, 30.0),
    ]
    lf = pl.LazyFrame({
        schema.PERIOD: ["2016"] * 6, schema.REGION: [r[0] for r in rows],
        schema.INDUSTRY: [r[1] for r in rows], schema.LEVEL: [r[2] for r in rows],
        schema.REGION_LEVEL: ["county"] * 6, EMP: [r[3] for r in rows],
        schema.lower_col(EMP): [None, None, 5.0, None, None, None],
    }, schema_overrides={schema.LEVEL: pl.Int8})
    return to_canonical(lf)


def test_by_region_by_hand():
    out = describe.by_region(toy(), EMP)
    r1, r2 = out.row(0, named=True), out.row(1, named=True)
    assert (r1["cells"], r1["reported"], r1["suppressed"]) == (3, 2, 1)
    assert r1["share_suppressed"] == pytest.approx(1 / 3)
    assert r1["total"] == 100 and r1["detail_level"] == 2 and r1["detail_reported"] == 60
    assert r1["coverage"] == pytest.approx(0.6)
    assert r2["coverage"] == pytest.approx(1.0) and r2["share_suppressed"] == 0


def test_by_industry_by_hand():
    out = describe.by_industry(toy(), EMP)
    rows = {r[schema.INDUSTRY]: r for r in out.iter_rows(named=True)}
    assert rows["10"]["total_reported"] == 150 and rows["10"]["regions"] == 2
    assert rows["21"]["total_reported"] == 30 and rows["21"]["suppressed"] == 1
    assert rows["21"]["lower_bound"] == 35  # 30 disclosed + lower bound 5 of the hidden cell
    assert rows["11"]["share_suppressed"] == 0


def test_summary_counts():
    out = describe.summary(toy(), [EMP])
    row = out.row(0, named=True)
    assert (row["rows"], row["regions"], row["industries"], row["suppressed"]) == (6, 2, 3, 1)


def reference_state_q1_private():
    """Utah statewide private 2016Q1 from the raw sample with the csv module."""
    total = detail = 0.0
    cells = hidden = 0
    with gzip.open(SAMPLE, "rt", newline="") as fh:
        for r in csv.DictReader(fh):
            if (r["area_fips"], r["own_code"], r["qtr"]) != ("49000", "5", "1"):
                continue
            if r["agglvl_code"][-1] in "23":
                continue
            cells += 1
            emp = sum(int(r[f"month{m}_emplvl"]) for m in "123") / 3
            hidden += r["disclosure_code"] == "N"
            if r["industry_code"] == "10":
                total = emp
            if r["agglvl_code"] == "58" and r["disclosure_code"] != "N":
                detail += emp
    return cells, hidden, total, detail


@pytest.fixture(scope="module")
def canonical(tmp_path_factory):
    """The sample ingested once to a canonical Parquet file (stats reads it lazily)."""
    from clusterid.io.ingest import IngestOptions, ingest
    from clusterid.io.tables import write_frame

    df, meta = ingest([str(SAMPLE)], IngestOptions())
    path = tmp_path_factory.mktemp("stats") / "utah.parquet"
    write_frame(df, str(path), meta)
    return path


class Result:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def run(capsys):
    """Run the CLI in-process (``clusterid.cli.app.main``: same exit-code mapping as the
    console script) and capture what it wrote."""
    from clusterid.cli.app import main

    def _run(*args):
        import signal

        saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            for sig, handler in saved.items():  # main() installs its own; give pytest its back
                signal.signal(sig, handler)
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return _run


def test_cli_csv_on_real_sample_matches_raw_file(run):
    res = run("stats", str(SAMPLE), "--period", "2016Q1", "--ownership", "private")
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(res.stdout.splitlines()))
    assert len(rows) == 30  # the state and 29 counties
    state = next(r for r in rows if r["region"] == "49000")
    cells, hidden, total, detail = reference_state_q1_private()
    assert int(state["cells"]) == cells and int(state["suppressed"]) == hidden
    assert float(state["total"]) == pytest.approx(total)
    assert float(state["detail_reported"]) == pytest.approx(detail)
    assert float(state["coverage"]) == pytest.approx(detail / total, abs=1e-6)


def test_cli_json_file_and_industry_level(tmp_path, canonical, run):
    out = tmp_path / "stats.json"
    res = run("stats", str(canonical), "--by", "industry", "--industry-level", "0", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert res.stdout == ""  # the data went to the file
    data = json.loads(out.read_text())
    assert data["by"] == "industry" and data["measure"] == EMP
    totals = {(r["period"], r["region_level"], r["ownership"]): r for r in data["rows"]}
    # the 29 counties add up to the state: their disclosed totals are equal
    for period in ("2016Q1", "2016Q4"):
        for own in ("total", "private"):
            county = totals[(period, "county", own)]
            state = totals[(period, "state", own)]
            assert county["regions"] == 29 and county["suppressed"] == 0
            assert county["total_reported"] == pytest.approx(state["total_reported"])


def test_cli_usage_errors(canonical, run):
    res = run("stats", str(canonical), "--by", "nothing")
    assert res.returncode == 2
    assert "--by 'nothing': expected one of region, industry, summary" in res.stderr
    res = run("stats", str(canonical), "--measure", "output")
    assert res.returncode == 2
    assert "--measure 'output': the input has no output column; it has" in res.stderr
    res = run("stats", "no/such/file.csv")
    assert res.returncode == 2 and "no such file" in res.stderr


def test_help_leads_with_an_example(run):
    res = run("stats", "--help")
    assert res.returncode == 0
    assert "Example: clusterid stats data/samples/qcew_utah_2016_counties.csv.gz" in res.stdout


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=15, deadline=None)
@given(
    children=st.lists(st.one_of(st.none(), st.floats(0, 1e6)), min_size=1, max_size=8),
    scale=st.floats(0.01, 100),
    seed=st.integers(0, 2**16),
)
def test_region_stats_properties(children, scale, seed):
    """Coverage is in [0, 1] when children add up to the total, does not change when every
    value is scaled, and no statistic depends on the row order."""
    total = sum(c for c in children if c is not None) + 1.0  # an undisclosed remainder of 1
    codes = [f"{11 + i}" for i in range(len(children))]

    def frame(k, order):
        vals = [total * k] + [None if c is None else c * k for c in children]
        inds = ["10"] + codes
        lvls = [0] + [2] * len(children)
        idx = order(list(range(len(vals))))
        return to_canonical(pl.LazyFrame({
            schema.PERIOD: ["2016"] * len(vals), schema.REGION: ["R"] * len(vals),
            schema.INDUSTRY: [inds[i] for i in idx], schema.LEVEL: [lvls[i] for i in idx],
            EMP: [vals[i] for i in idx]}, schema_overrides={schema.LEVEL: pl.Int8}))

    import random

    rng = random.Random(seed)
    shuffle = lambda xs: rng.sample(xs, len(xs))  # noqa: E731
    base = describe.by_region(frame(1.0, list), EMP).row(0, named=True)
    scaled = describe.by_region(frame(scale, list), EMP).row(0, named=True)
    mixed = describe.by_region(frame(1.0, shuffle), EMP).row(0, named=True)
    assert 0 <= base["coverage"] <= 1
    assert scaled["coverage"] == pytest.approx(base["coverage"], rel=1e-9, abs=1e-12)
    assert mixed == base
    assert base["suppressed"] == sum(c is None for c in children)


def test_table_view_puts_constant_columns_in_the_caption(canonical, run):
    res = run("stats", str(canonical), "--by", "summary", "--output-format", "table")
    assert res.returncode == 0, res.stderr
    assert "% suppressed" in res.stdout and "57.7%" in res.stdout  # employment, QCEW Utah
    assert "rows = 94,572" in res.stdout and "regions = 30" in res.stdout


def test_nothing_disclosed_sums_to_null_not_zero():
    lf = to_canonical(pl.LazyFrame({
        schema.PERIOD: ["2016"] * 3, schema.REGION: ["A", "B", "A"],
        schema.INDUSTRY: ["113", "113", "10"], schema.LEVEL: [3, 3, 0],
        EMP: [None, None, 10.0], schema.lower_col(EMP): [0.0, None, None],
    }, schema_overrides={schema.LEVEL: pl.Int8}))
    rows = {r[schema.INDUSTRY]: r for r in describe.by_industry(lf, EMP).iter_rows(named=True)}
    assert rows["113"]["total_reported"] is None
    assert rows["113"]["lower_bound"] == 0  # CBP-style bound 0-19 on one hidden cell
    region = describe.by_region(lf, EMP).row(0, named=True)
    assert region["detail_reported"] is None and region["coverage"] == 0


def test_cli_csv_file_carries_its_provenance_beside_it(tmp_path, canonical, run):
    """-o x.csv writes x.csv.meta.json as every CSV output does: the input with its sha256,
    the options, and the checksum of the data it describes."""
    import hashlib

    out = tmp_path / "stats.csv"
    res = run("stats", str(canonical), "--by", "region", "-o", str(out))
    assert res.returncode == 0, res.stderr
    side = json.loads((tmp_path / "stats.csv.meta.json").read_text())
    assert side["kind"] == "stats" and side["options"]["by"] == "region"
    assert side["inputs"][0]["sha256"] == hashlib.sha256(canonical.read_bytes()).hexdigest()
    assert side["data_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def quarter_files(tmp_path_factory, canonical):
    """The Utah sample as a national panel is kept: one canonical Parquet table per period
    (``ingest`` run a quarter at a time, 'panel/*.parquet' in README's Large tables), and the
    same rows as one canonical CSV, which stats reads whole."""
    from clusterid.io.tables import read_metadata, write_frame

    folder = tmp_path_factory.mktemp("panel")
    table, meta = pl.read_parquet(canonical), read_metadata(str(canonical))
    for quarter in table.get_column(schema.PERIOD).unique().sort():
        write_frame(table.filter(pl.col(schema.PERIOD) == quarter),
                    str(folder / f"utah_{quarter}.parquet"), meta)
    whole = folder / "whole" / "utah.csv"
    whole.parent.mkdir()
    write_frame(table, str(whole), meta)
    return folder, whole


@pytest.mark.parametrize("by", ["region", "industry", "summary"])
def test_period_at_a_time_equals_the_whole_table_in_memory(quarter_files, run, monkeypatch, by):
    """stats on four per-quarter Parquet tables (--by region read a quarter at a time,
    industry and summary streamed) prints what stats prints from the one table held in
    memory, byte for byte, CSV and JSON: every sum to its last digit, although QCEW's
    quarterly average employment is no whole number (a float sum added chunk by chunk
    differed so in 37 of the 240 regions' detail_reported between the two)."""
    folder, whole = quarter_files
    parts = []
    period_by_period = describe.period_by_period
    monkeypatch.setattr(describe, "period_by_period",
                        lambda lf, compute: parts.append(1) or period_by_period(lf, compute))
    outputs = {}
    for source in (folder / "*.parquet", whole):
        for fmt in ("csv", "json"):
            res = run("stats", str(source), "--by", by, "--output-format", fmt)
            assert res.returncode == 0, res.stderr
            outputs[source, fmt] = res.stdout
    # the quarters went one at a time (twice: CSV and JSON); a CSV table is read whole
    assert len(parts) == (2 if by == "region" else 0)
    assert outputs[folder / "*.parquet", "csv"] == outputs[whole, "csv"]
    streamed, held = (json.loads(outputs[s, "json"]) for s in (folder / "*.parquet", whole))
    # 4 quarters x 2 ownerships x 30 regions; 3 measures
    assert len(held["rows"]) == {"region": 240, "summary": 3}.get(by, len(held["rows"])) > 0
    assert streamed["rows"] == held["rows"]
    assert streamed.get("sum_leaves_out") == held.get("sum_leaves_out")


def test_sums_are_exact_whatever_the_order():
    """A sum is the values' exact sum rounded once (math.fsum), the same for the rows in any
    order: 0.1 + 0.2 + 0.3 is 0.6 here, where adding in turn gives 0.6000000000000001."""
    import math

    values = [0.1, 0.2, 0.3, 1e9 + 0.7, 2.5, -1.25, 1 / 3]
    codes = [f"{11 + i}" for i in range(len(values))]
    for order in (values, values[::-1], sorted(values)):
        lf = to_canonical(pl.LazyFrame({
            schema.PERIOD: ["2016"] * (len(order) + 1), schema.REGION: ["R"] * (len(order) + 1),
            schema.INDUSTRY: ["10", *codes], schema.LEVEL: [0] + [2] * len(order),
            EMP: [2e9, *order]}, schema_overrides={schema.LEVEL: pl.Int8}))
        region = describe.by_region(lf, EMP).row(0, named=True)
        assert region["detail_reported"] == math.fsum(values)
        three = lf.filter(pl.col(schema.INDUSTRY).is_in(["10", "11", "12", "13"]))
        assert describe.by_region(three, EMP).row(0, named=True)["detail_reported"] == (
            math.fsum(order[:3]))
        industry = describe.by_industry(lf.with_columns(pl.col(schema.INDUSTRY).replace(
            dict.fromkeys(codes, "11")), pl.col(schema.REGION) + pl.col(schema.INDUSTRY)), EMP)
        assert industry.filter(pl.col(schema.INDUSTRY) == "11")["total_reported"].item() == (
            math.fsum(values))


def test_period_at_a_time_knows_the_ranges_of_other_periods():
    """A NAICS range listed in one year (31-33 beside 31 in 2016) puts 31 under it in a year
    that lists 31 and 311 only: 2017's detail is 311's 40 jobs (31's 40 are the same jobs),
    whether the years are described together or one at a time."""
    rows = [("2016", "10", 0, 100.0), ("2016", "31", 2, 40.0), ("2016", "31-33", 2, 40.0),
            ("2016", "311", 3, 40.0),
            ("2017", "10", 0, 100.0), ("2017", "31", 2, 40.0), ("2017", "311", 3, 40.0)]
    lf = to_canonical(pl.LazyFrame({
        schema.PERIOD: [r[0] for r in rows], schema.REGION: ["R"] * len(rows),
        schema.INDUSTRY: [r[1] for r in rows], schema.LEVEL: [r[2] for r in rows],
        schema.CLASSIFICATION: [schema.NAICS] * len(rows), EMP: [r[3] for r in rows]},
        schema_overrides={schema.LEVEL: pl.Int8}))
    together = describe.describe(lf, "region", EMP)
    one_at_a_time = describe.describe(lf, "region", EMP, by_period=True)
    assert one_at_a_time.equals(together)
    assert together.get_column("detail_reported").to_list() == [40.0, 40.0]
