"""Raw agency files given straight to the later commands (each ingests its INPUT on the fly):
the ownerships a raw QCEW file is read with, several files as one input, a QCEW table saved as
an xlsx workbook.  Numbers are checked against values computed here from the raw rows."""

from __future__ import annotations

import csv
import gzip
import json
from collections import defaultdict

import pytest

from clusterid import schema
from conftest import TEST_DATA, run_main

# Daggett, Piute and Wayne counties, Utah, 2016 Q1-Q4, own_code 0 (total), 1, 2, 3 (federal,
# state, local government): BLS's published rows (tests/data/README.md)
RAW = TEST_DATA / "qcew" / "utah_3counties_2016_gov.csv.gz"
OWN_CODE = {"federal": "1", "state": "2", "local": "3"}


def _raw_rows() -> list[dict]:
    with gzip.open(RAW, "rt", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _hand(own_code: str, agglvl: str) -> dict:
    """(period, area, industry) -> the quarter's average monthly employment, computed here from
    the raw rows of ``own_code`` at ``agglvl_code``; None for a suppressed (N) cell."""
    out = {}
    for r in _raw_rows():
        if r["own_code"] == own_code and r["agglvl_code"] == agglvl:
            key = (f"{r['year']}Q{r['qtr']}", r["area_fips"], r["industry_code"])
            months = [float(r[f"month{m}_emplvl"]) for m in (1, 2, 3)]
            out[key] = None if r["disclosure_code"] == "N" else sum(months) / 3
    return out


def _read_csv(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _ok(argv, capsys):
    code, out, err = run_main([str(a) for a in argv], capsys)
    assert code == 0, err
    return out, err


# ---------------------------------------------------------------------------- bug 1: ownership

def test_stats_reads_each_government_ownership_of_a_raw_qcew_file(tmp_path, capsys):
    # `stats RAW --ownership local`: the raw file was ingested with ingest's default ownerships
    # (total, private), so local government was "not in the table; it has total"
    for name, code in OWN_CODE.items():
        out = tmp_path / f"{name}.csv"
        _ok(["stats", RAW, "--ownership", name, "-o", out], capsys)
        rows = _read_csv(out)
        hand = _hand(code, "71")  # the ownership's all-industry row of each county
        assert {r[schema.OWNERSHIP] for r in rows} == {name}
        assert len(rows) == len(hand) == 12  # 3 counties x 4 quarters
        published = 0
        for r in rows:
            want = hand[r[schema.PERIOD], r[schema.REGION], "10"]
            if want is None:  # suppressed by BLS: no total, never a 0
                assert r["total"] == ""
                continue
            assert float(r["total"]) == pytest.approx(want, rel=1e-6)
            published += 1
        assert published >= 8


def test_lq_of_local_government_sectors_on_a_raw_file(tmp_path, capsys):
    from clusterid.core import lq as core

    out = tmp_path / "lq.csv"
    _ok(["lq", RAW, "--ownership", "local", "--level", "2", "-m", "employment", "-o", out], capsys)
    rows = _read_csv(out)
    assert {r[schema.OWNERSHIP] for r in rows} == {"local"}
    mine = {(r[schema.PERIOD], r[schema.REGION], r[schema.INDUSTRY]): float(r[core.LQ])
            for r in rows if r[core.LQ]}
    # LQ = (e_ij / E_j) / (sum_j e_ij / sum_j E_j), E_j the county's local all-industry total,
    # for sectors disclosed in all three counties (the sum of regions is then known)
    cells, totals = _hand("3", "74"), _hand("3", "71")
    want = {}
    for (period, area, ind), e in cells.items():
        column = [cells.get((period, a, ind)) for a in ("49009", "49031", "49055")]
        tots = [totals[period, a, "10"] for a in ("49009", "49031", "49055")]
        if e is None or None in column or None in tots:
            continue
        E = sum(totals[period, a, "10"] for a in ("49009", "49031", "49055"))
        want[period, area, ind] = (e / totals[period, area, "10"]) / (sum(column) / E)
    assert len(want) >= 6
    for key, value in want.items():
        assert mine[key] == pytest.approx(value, rel=1e-5), key


def test_indices_and_shift_share_of_a_government_ownership_on_a_raw_file(tmp_path, capsys):
    ix = tmp_path / "ix.csv"
    _ok(["indices", RAW, "--ownership", "local", "--level", "2", "-o", ix], capsys)
    rows = _read_csv(ix)
    cells = _hand("3", "74")
    assert {r[schema.OWNERSHIP] for r in rows} == {"local"} and len(rows) == 12
    for r in rows:
        seen = [v for (p, a, _), v in cells.items()
                if p == r[schema.PERIOD] and a == r[schema.REGION] and v is not None]
        assert float(r["observed_total"]) == pytest.approx(sum(seen), rel=1e-6)
        assert float(r["herfindahl"]) == pytest.approx(sum((v / sum(seen)) ** 2 for v in seen), rel=1e-6)

    ss = tmp_path / "ss.csv"
    _ok(["shift-share", RAW, "--ownership", "state", "--level", "2", "--from", "2016Q1",
         "--to", "2016Q3", "-o", ss], capsys)
    rows = [r for r in _read_csv(ss) if r["observed"] == "true"]
    state = _hand("2", "74")
    assert rows and {r[schema.OWNERSHIP] for r in rows} == {"state"}
    for r in rows:
        base = state["2016Q1", r[schema.REGION], r[schema.INDUSTRY]]
        final = state["2016Q3", r[schema.REGION], r[schema.INDUSTRY]]
        assert (float(r["base"]), float(r["final"])) == pytest.approx((base, final), rel=1e-6)


def test_indices_with_a_raw_reference_file_reads_its_government_rows(tmp_path, capsys):
    # a raw --benchmark FILE was read with ingest's default ownerships too: "the reference has
    # no rows for measure 'employment', ownership 'local'"
    wayne = tmp_path / "wayne.csv"
    with gzip.open(RAW, "rt", newline="", encoding="utf-8") as src, open(wayne, "w", newline="") as dst:
        lines = src.read().splitlines(keepends=True)
        dst.writelines([lines[0]] + [ln for ln in lines[1:] if ln.startswith('"49055"')])
    out = tmp_path / "ix.csv"
    _ok(["indices", RAW, "--ownership", "local", "--level", "2", "-b", wayne, "--period", "2016Q1",
         "-o", out], capsys)
    rows = {r[schema.REGION]: r for r in _read_csv(out)}
    # Wayne against its own local sectors: identical shares, Krugman 0 (against any other
    # ownership's or the sum of the counties' shares it would not be)
    assert rows["49055"]["krugman"] and float(rows["49055"]["krugman"]) == pytest.approx(0.0, abs=1e-9)
    assert all(r[schema.OWNERSHIP] == "local" for r in rows.values())


def test_impute_keeps_the_ownership_asked_for_on_a_raw_file(tmp_path, capsys):
    # impute had no --ownership: a raw file gave its total rows only (federal, state and local
    # government were never read)
    out = tmp_path / "imp.csv"
    _ok(["impute", RAW, "--ownership", "local", "-o", out], capsys)
    rows = _read_csv(out)
    assert {r[schema.OWNERSHIP] for r in rows} == {"local"}
    hand = {}
    for agglvl in ("71", "74", "75", "76", "77", "78"):  # domain/supersector rows are dropped
        hand.update(_hand("3", agglvl))
    got = {(r[schema.PERIOD], r[schema.REGION], r[schema.INDUSTRY]): r for r in rows}
    assert got.keys() == hand.keys()
    for key, value in hand.items():
        r = got[key]
        if value is None:
            assert r[schema.status_col(schema.EMPLOYMENT)] == "estimated"
            lo, hi = float(r["employment_lower"]), r["employment_upper"]
            assert lo - 1e-6 <= float(r[schema.EMPLOYMENT]) <= (float(hi) + 1e-6 if hi else float("inf"))
        else:
            assert float(r[schema.EMPLOYMENT]) == pytest.approx(value, rel=1e-6)
    code, _, err = run_main(["impute", str(RAW), "--ownership", "private", "-o", str(out)], capsys)
    assert code == 2 and "--ownership private: not in the input" in err


def test_detect_on_a_raw_file_with_a_government_ownership(tmp_path, capsys):
    # `detect RAW --ownership local`: "--ownership 'local': the input has total"
    outdir = tmp_path / "det"
    _ok(["detect", RAW, "--ownership", "local", "--definitions", "uscmp", "-o", outdir], capsys)
    meta = json.loads((outdir / "metadata.json").read_text())
    assert meta["ownership_used"] == "local"
    members = defaultdict(set)
    for r in _read_csv(outdir / "clusters.csv"):
        members[r["cluster_id"]].add(r["industry"])
    # annual average employment of local 6-digit cells, computed here from the four quarters
    quarters = defaultdict(list)
    for (_, area, ind), v in _hand("3", "78").items():
        quarters[area, ind].append(v)
    annual = {k: (None if None in v else sum(v) / 4) for k, v in quarters.items() if len(v) == 4}
    checked = 0
    for r in _read_csv(outdir / "regional_clusters.csv"):
        cells = [annual.get((r[schema.REGION], i), 0.0) for i in members[r["cluster_id"]]
                 if (r[schema.REGION], i) in annual]
        if not cells or None in cells or r["n_suppressed"] != "0":
            continue
        assert float(r["employment"]) == pytest.approx(sum(cells), rel=1e-5)
        checked += 1
    assert checked >= 2


# ---------------------------------------------------------------------------- bug 2: globs

def _by_area(tmp_path) -> list:
    """The raw file split into one file per county, as BLS's by-area distribution ships it."""
    folder = tmp_path / "by_area"
    folder.mkdir()
    with gzip.open(RAW, "rt", newline="", encoding="utf-8") as fh:
        lines = fh.read().splitlines(keepends=True)
    paths = []
    for area in ("49009", "49031", "49055"):
        path = folder / f"2016.q1-q4 {area}.csv"
        path.write_text(lines[0] + "".join(ln for ln in lines[1:] if ln.startswith(f'"{area}"')))
        paths.append(path)
    return paths


@pytest.mark.parametrize("command, options", [
    ("stats", ["--ownership", "local"]),
    ("impute", ["--ownership", "local"]),
    ("lq", ["--ownership", "state", "--level", "2"]),
    ("indices", ["--ownership", "local", "--level", "2"]),
    ("shift-share", ["--ownership", "local", "--level", "2", "--from", "2016Q1", "--to", "2016Q4"]),
])
def test_an_unquoted_glob_is_one_input_set(tmp_path, capsys, command, options):
    # `clusterid lq by_area/*.csv -o x` typed without quotes: the shell hands the command one
    # argument per file, which failed with "unexpected extra argument"; they are now one input
    # set, the table the quoted glob and the concatenated file give
    files = _by_area(tmp_path)
    outputs = {}
    for name, inputs in (("shell", files), ("quoted", [tmp_path / "by_area" / "*.csv"]),
                         ("one file", [RAW])):
        out = tmp_path / f"{name}.csv"
        _ok([command, *inputs, *options, "-o", out], capsys)
        outputs[name] = _read_csv(out)
    if command != "stats":  # stats writes no metadata file; the others record every file read
        for name in ("shell", "quoted"):
            meta = json.loads((tmp_path / f"{name}.csv.meta.json").read_text())
            assert [r["path"] for r in meta["inputs"]] == [str(f) for f in files]
    assert len(outputs["shell"]) >= 12
    assert outputs["shell"] == outputs["quoted"] == outputs["one file"]
    regions = {r[schema.REGION] for r in outputs["shell"] if schema.REGION in r}
    assert regions == {"49009", "49031", "49055"}


def test_detect_takes_several_files_and_records_each(tmp_path, capsys):
    files = _by_area(tmp_path)
    _ok(["detect", *files, "--ownership", "local", "--definitions", "uscmp", "-o", tmp_path / "a"], capsys)
    _ok(["detect", RAW, "--ownership", "local", "--definitions", "uscmp", "-o", tmp_path / "b"], capsys)
    for name in ("regional_clusters.csv", "clusters.csv"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text()
    meta = json.loads((tmp_path / "a" / "metadata.json").read_text())
    assert [r["path"] for r in meta["inputs"]] == [str(f) for f in files]


@pytest.mark.parametrize("argv, expected", [
    (["report", "out/a", "out/b", "out/c", "-o", "r.html"],
     "report takes one DETECT_OUTDIR; extra arguments: out/b out/c"),
    (["run", "p1.toml", "p2.toml"], "run takes one PIPELINE.toml; extra arguments: p2.toml"),
])
def test_commands_that_take_one_argument_name_the_extra_ones(capsys, argv, expected):
    code, _, err = run_main(argv, capsys)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and expected in lines[0] and "shell" in lines[0]
