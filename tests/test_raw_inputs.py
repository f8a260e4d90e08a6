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
        hidden = [1 for (p, a, _), v in cells.items()
                  if p == r[schema.PERIOD] and a == r[schema.REGION] and v is None]
        if len(seen) == 1 and hidden:
            # one observed sector beside suppressed ones (Piute and Wayne: 61 alone): its mix is
            # unknown, so no Herfindahl of 1 that reads as 'wholly specialised'
            assert r["herfindahl"] == ""
            continue
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
    assert set(rows) == {"49009", "49031", "49055"}
    assert all(r[schema.OWNERSHIP] == "local" for r in rows.values())
    # Daggett (61 and 92 observed) is compared with the reference's local rows: a number, where
    # the reference read with ingest's default ownerships failed the run
    assert float(rows["49009"]["krugman"]) >= 0.0
    # Wayne itself observes 61 alone beside suppressed sectors: no indices (said on stderr)
    assert rows["49055"]["krugman"] == ""


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
    assert code == 2 and ("--ownership 'private': the raw file has no 'private' rows; it holds "
                          "total, local, state, federal (the rows read: total)") in err


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
        _, err = _ok([command, *inputs, *options, "-o", out], capsys)
        outputs[name] = _read_csv(out)
        # several arguments are never taken in silence (an unquoted pattern after an option
        # would land its extra files here too)
        assert ("reading 3 files as one input" in err) == (name == "shell"), err
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


# ---------------------------------------------------------------------------- bug 3: xlsx

def _first_quarter(tmp_path):
    """The raw file's 2016 Q1 rows as a CSV (a quarter keeps the workbooks small and fast)."""
    dest = tmp_path / "q1.csv"
    with gzip.open(RAW, "rt", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    with open(dest, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([rows[0]] + [r for r in rows[1:] if r[6] == "1"])
    return dest


def _workbook(src, dest, *, titles=(), before=(), sheet="Data"):
    """``src`` saved as an xlsx the way a spreadsheet saves it (codes that look like numbers
    become numbers), with ``titles`` rows above the header and ``before`` sheets ahead of it."""
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    for k, name in enumerate(before):
        ws = first if k == 0 else wb.create_sheet()
        ws.title = name
        ws.append([f"{name}: notes a spreadsheet keeps beside the table"])
        ws.append(["source", "U.S. Bureau of Labor Statistics"])
    ws = wb.create_sheet() if before else first
    ws.title = sheet
    for t in titles:
        ws.append(t)
    with open(src, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.reader(fh)):
            ws.append(row if i == 0 else [int(c) if c.isdigit() else c or None for c in row])
    wb.save(dest)
    return dest


def test_a_qcew_workbook_with_title_rows_or_on_another_sheet_reads_as_the_csv(tmp_path, capsys):
    # pick_adapter sniffed only the first row of the first sheet: a QCEW table with a title
    # above its header, or on a sheet after a notes sheet, went to the generic reader (which
    # ignores --ownership and QCEW's codes) or was refused
    from clusterid.io.ingest import IngestOptions, ingest

    options = dict(ownership=("total", "local"))
    q1 = _first_quarter(tmp_path)
    want, _ = ingest([str(q1)], IngestOptions(**options))
    books = {
        "title rows": (_workbook(q1, tmp_path / "titled.xlsx", titles=[
            ["Quarterly Census of Employment and Wages, 2016"], ["Daggett, Piute and Wayne counties"],
            []]), None),
        "second sheet": (_workbook(q1, tmp_path / "second.xlsx", before=["Notes"]), None),
        "named sheet": (_workbook(q1, tmp_path / "named.xlsx", before=["Notes", "Sources"],
                                  titles=[["QCEW 2016"]], sheet="Table 1"), "Table 1"),
    }
    for name, (book, sheet) in books.items():
        got, meta = ingest([str(book)], IngestOptions(sheet=sheet, **options))
        assert meta["adapters"] == ["qcew"], name
        assert got.equals(want), name
    assert len(want) > 100
    # a bad cell is named by its sheet row (3 title rows, the header on row 4, data from row 5)
    bad = tmp_path / "bad.xlsx"
    _workbook(q1, bad, titles=[["QCEW 2016"], ["Utah"], []])
    from openpyxl import load_workbook

    wb = load_workbook(bad)
    wb["Data"].cell(row=5, column=8).value = "Q"  # disclosure_code of the first data row
    wb.save(bad)
    for extra in ([], ["--on-error", "skip", "--rejects", str(tmp_path / "rejects.csv")]):
        code, _, err = run_main(["ingest", str(bad), "-o", str(tmp_path / "o.csv"), *extra], capsys)
        if not extra:
            assert code == 1 and "bad.xlsx:5: column 'disclosure_code'" in err, err
        else:
            assert code == 0, err
            assert [r["line"] for r in _read_csv(tmp_path / "rejects.csv")] == ["5"]
    # a later command given the workbook (its table on the third sheet, under a title)
    out = tmp_path / "lq_xlsx.csv"
    _ok(["lq", books["named sheet"][0], "--ownership", "local", "--level", "2", "-o", out], capsys)
    _ok(["lq", q1, "--ownership", "local", "--level", "2", "-o", tmp_path / "lq_csv.csv"], capsys)
    assert _read_csv(out) == _read_csv(tmp_path / "lq_csv.csv")


def test_a_sheet_named_beside_a_qcew_sheet_is_read_by_the_generic_reader(tmp_path):
    # --sheet naming a plain table in a workbook whose other sheet holds QCEW: that sheet's
    from openpyxl import load_workbook

    from clusterid.io.ingest import IngestOptions, ingest

    book = _workbook(_first_quarter(tmp_path), tmp_path / "mixed.xlsx", before=["Summary"])
    wb = load_workbook(book)
    ws = wb["Summary"]
    ws.delete_rows(1, ws.max_row)
    for row in (["region", "industry", "period", "employment"], ["49009", "61", "2016", 58],
                ["49009", "92", "2016", 46]):
        ws.append(row)
    wb.save(book)
    got, meta = ingest([str(book)], IngestOptions(sheet="Summary"))
    assert got[schema.EMPLOYMENT].to_list() == [58, 46]
    got, meta = ingest([str(book)], IngestOptions(sheet="Data", ownership=("local",)))
    assert meta["adapters"] == ["qcew"] and set(got[schema.OWNERSHIP]) == {"local"}
