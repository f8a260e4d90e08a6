"""impute, detect, report, run, stats, indices and shift-share on inputs a user would plausibly
run and the project was not tuned on: failed pipelines (what they leave behind), definitions
naming parts of NACE aggregates, cluster wages over suppressed cells, one-region / one-industry /
one-period tables.  Numbers are checked against a plain recomputation in this file (METHODS.md),
never against the tool's own output.
"""

from __future__ import annotations

import os
import textwrap

import pytest

from conftest import TEST_DATA, run_main

DATA = TEST_DATA / "unseen8s"
BEAVER = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"


# ------------------------------------------------------------------ run: a failed run's debris

def _pipeline(folder, outdir: str, stages: str):
    toml = folder / "pipeline.toml"
    toml.write_text(f'[pipeline]\noutdir = "{outdir}"\n' + textwrap.dedent(stages))
    return toml


def _tree(folder) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


INGEST_OK = """
    [[stage]]
    name = "ingest"
    inputs = ["beaver.csv"]
    output = "tables/canonical.csv"
    options = { format = "qcew" }
"""


@pytest.mark.parametrize("case", ["missing input", "bad data", "bad option",
                                  "later stage fails", "existing folder"])
def test_failed_run_leaves_no_debris_it_created(tmp_path, capsys, case):
    """A first `clusterid run` that failed left its output folder behind holding only
    .clusterid-run.lock (a missing raw file: found after the lock was taken) or the lock and a
    state file recording nothing (bad data in stage 1), and the empty folders of stage outputs
    it never wrote.  Now: one located error, a non-zero exit, and nothing the run created is
    left -- but what a finished stage wrote (and the state recording it) stays for the next
    run, and a folder the user made is left exactly as it was."""
    (tmp_path / "beaver.csv").write_bytes(BEAVER.read_bytes())
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n")
    if case == "missing input":
        toml = _pipeline(tmp_path, "out/run1", INGEST_OK.replace("beaver.csv", "beavr.csv"))
        code, message = 2, "input " + str(tmp_path / "beavr.csv") + ": no such file"
    elif case == "bad data":
        toml = _pipeline(tmp_path, "out/run1", INGEST_OK.replace("beaver.csv", "bad.csv"))
        code, message = 1, "bad.csv"
    elif case == "bad option":
        toml = _pipeline(tmp_path, "out/run1", INGEST_OK.replace('"qcew"', '"qcew", bogus = 1'))
        code, message = 2, "No such option: --bogus"
    else:
        toml = _pipeline(tmp_path, "out/run1", INGEST_OK + """
            [[stage]]
            name = "lq"
            inputs = ["@ingest"]
            output = "lq/lq.csv"
            options = { benchmark = "region:99999" }
        """)
        code, message = 2, "benchmark region '99999' is not in the input"
    if case == "existing folder":
        toml = _pipeline(tmp_path, "mine", INGEST_OK.replace("beaver.csv", "bad.csv"))
        (tmp_path / "mine").mkdir()
        (tmp_path / "mine" / "notes.txt").write_text("mine\n")
        code, message = 1, "bad.csv"
    before = _tree(tmp_path)
    got, _out, err = run_main(["run", str(toml)], capsys)
    assert got == code, err
    assert message in err
    assert "Traceback" not in err
    if case == "later stage fails":
        # the finished ingest is kept with its state (the next run skips it); lq/ is gone
        assert _tree(tmp_path / "out" / "run1") == [".clusterid-run.json", ".clusterid-run.lock",
                                                    "tables", "tables/canonical.csv",
                                                    "tables/canonical.csv.meta.json"]
        got, _out, err = run_main(["run", str(toml), "--dry-run"], capsys)
        assert "skip ingest" in _out and "run  lq" in _out
    else:
        assert _tree(tmp_path) == before


def test_interrupted_first_run_leaves_nothing(tmp_path, capsys, monkeypatch):
    """Ctrl-C in the first stage of a first run: exit 130, and no folder holding a lock."""
    import signal

    from clusterid.cli import app as app_module
    from clusterid.cli import run as run_module

    def interrupted(stage):
        stage.output.parent.mkdir(parents=True, exist_ok=True)
        raise app_module.Interrupted(signal.SIGINT)

    monkeypatch.setattr(run_module, "_execute_in_process", interrupted)
    (tmp_path / "beaver.csv").write_bytes(BEAVER.read_bytes())
    toml = _pipeline(tmp_path, "out", INGEST_OK)
    before = _tree(tmp_path)
    code, _out, err = run_main(["run", str(toml)], capsys)
    assert code == 130, err
    assert _tree(tmp_path) == before


def test_a_run_waiting_on_a_removed_lock_file_takes_a_new_one(tmp_path, monkeypatch):
    """The failed run removes the lock file it created while holding it; a run that had just
    opened that file and locks it after the removal must not go on holding a lock on a file no
    longer there (a third run would create a new one and the two would write at once): it
    locks the new file instead."""
    from clusterid import pipeline as pl

    (tmp_path / "raw.csv").write_text("x\n")
    toml = _pipeline(tmp_path, "out", """
        [[stage]]
        name = "stats"
        inputs = ["raw.csv"]
        output = "s.csv"
    """)
    pipe = pl.load_pipeline(toml)
    attempts = []
    real_once = pl._acquire_lock_once

    def once(path, wait, on_wait, *rest):
        lock = real_once(path, wait, on_wait, *rest)
        if not attempts:  # the file we locked is removed by the run before us
            os.unlink(path)
        attempts.append(1)
        return lock

    monkeypatch.setattr(pl, "_acquire_lock_once", once)
    lock = pl.acquire_lock(pipe, 5)
    try:
        assert len(attempts) == 2
        assert pipe.lock_path.exists()
        assert pl._holds_lock_file(lock, pipe.lock_path)
    finally:
        lock.release()


# ------------------------------------------------------------------ definitions and NACE aggregates

NAMA = TEST_DATA / "pipeline2" / "nama_10r_3empers_at_nuts2.tsv"
B_E_WITHOUT_C = DATA / "nama_10r_3empers_at_b_e_without_c.tsv"


def _defs(path, rows) -> str:
    path.write_text("industry,cluster,cluster_name,type\n"
                    + "".join(f"{code},{cid},{name},traded\n" for code, cid, name in rows))
    return str(path)


def _regional(folder) -> dict:
    import csv

    with open(folder / "regional_clusters.csv", newline="", encoding="utf-8") as fh:
        return {(r["period"], r["region"], r["cluster_id"]): r for r in csv.DictReader(fh)}


def _without(src, dest, drop) -> str:
    """``src`` (a Eurostat bulk TSV) without the lines ``drop(nace, geo)`` is true for."""
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [ln for ln in lines[1:] if not drop(*ln.split("\t")[0].split(",")[2:4])]
    dest.write_text(lines[0] + "".join(kept), encoding="utf-8")
    return str(dest)


def test_impute_then_detect_gives_detect_impute_when_definitions_name_a_part(tmp_path, capsys):
    """nama_10r_3empers for Austria with C (manufacturing) removed for AT21, AT22 and AT33,
    which list only B-E; the definitions' manufacturing cluster names C.  detect keeps C (the
    definitions name it) and gives those regions a C row bounded by B-E; impute, which knows no
    definitions, kept B-E and added no row: `impute` then `detect --definitions` left AT21's
    manufacturing suppressed (0-19,500) where `detect --suppressed impute` imputed it.  Now
    both impute from the same cells and agree byte for byte."""
    from test_unseen_stages_7 import _eurostat_cells

    defs = _defs(tmp_path / "defs.csv", [("A", 1, "Agriculture"), ("C", 2, "Manufacturing"),
                                         ("F", 3, "Construction")])
    imputed = tmp_path / "imputed.csv"
    code, _out, err = run_main(["impute", str(B_E_WITHOUT_C), "-o", str(imputed)], capsys)
    assert code == 0, err
    assert "added 12 rows" in err and "C under B-E" in err
    for folder, argv in (("after_impute", [str(imputed)]),
                         ("detect_impute", [str(B_E_WITHOUT_C), "--suppressed", "impute"])):
        code, _out, err = run_main(["detect", *argv, "-o", str(tmp_path / folder),
                                    "--definitions", defs, "--lq-denominator", "total"], capsys)
        assert code == 0, err
    a = (tmp_path / "after_impute" / "regional_clusters.csv").read_bytes()
    b = (tmp_path / "detect_impute" / "regional_clusters.csv").read_bytes()
    assert a == b
    cells = _eurostat_cells(B_E_WITHOUT_C)
    got = _regional(tmp_path / "after_impute")
    for (period, geo, nace), value in cells.items():
        if nace != "B-E":
            continue
        row = got[(period, geo, "2")]
        if geo in ("AT21", "AT22", "AT33"):  # C estimated inside B-E
            assert row["employment_status"] != "suppressed"
            assert 0 < float(row["employment"]) <= value + 1e-6
            assert float(row["employment_upper"]) == pytest.approx(value)
        else:
            assert float(row["employment"]) == pytest.approx(cells[(period, geo, "C")])


def test_definitions_naming_an_aggregate_the_data_lists_with_its_parts(tmp_path, capsys):
    """Definitions whose business cluster is Eurostat's K-N, on a table listing K-N beside K, L
    and M_N: K-N was left out for its parts, the definitions named none of them, and the
    cluster had no row in any region, with no word (AT11 2021: 119,700 jobs gone).  Now K-N is
    kept and its parts left out."""
    from test_unseen_stages_7 import _eurostat_cells

    defs = _defs(tmp_path / "defs.csv", [("A", 1, "Agriculture"), ("K-N", 5, "Business")])
    code, _out, err = run_main(["detect", str(NAMA), "-o", str(tmp_path / "d"), "--definitions",
                                defs, "--lq-denominator", "total"], capsys)
    assert code == 0, err
    assert "K (part of K-N, named by the definitions)" in err
    got = _regional(tmp_path / "d")
    cells = _eurostat_cells(NAMA)
    kn = {(p, g): v for (p, g, n), v in cells.items() if n == "K-N"}
    assert len(kn) == 36
    for (period, geo), value in kn.items():
        row = got[(period, geo, "5")]
        assert row["employment_status"] == "reported"
        assert float(row["employment"]) == pytest.approx(value)


def test_definitions_aggregate_absent_from_the_data_takes_its_parts(tmp_path, capsys):
    """The reverse: the definitions name K-N, the table lists only K, L and M_N (no K-N row):
    the cluster matched nothing.  Now K, L, M_N count in it (AT11's L is confidential: the
    cluster is partial, at least K + M_N)."""
    from test_unseen_stages_7 import _eurostat_cells

    table = _without(NAMA, tmp_path / "no_kn.tsv", lambda nace, geo: nace == "K-N")
    defs = _defs(tmp_path / "defs.csv", [("A", 1, "Agriculture"), ("K-N", 5, "Business")])
    code, _out, err = run_main(["detect", table, "-o", str(tmp_path / "d"), "--definitions",
                                defs, "--lq-denominator", "total"], capsys)
    assert code == 0, err
    assert "the definitions' K-N is not in the input: its parts there (K, L, M_N)" in err
    assert "lacks the rest" not in err
    table = _without(NAMA, tmp_path / "no_kn_mn.tsv", lambda nace, geo: nace in ("K-N", "M_N"))
    code, _out, err = run_main(["detect", table, "-o", str(tmp_path / "d2"), "--definitions",
                                defs, "--lq-denominator", "total"], capsys)
    assert code == 0, err
    assert ("its parts there (K, L) count in its cluster, which lacks the rest (M, N: not in the "
            "input)") in err
    got = _regional(tmp_path / "d")
    cells = _eurostat_cells(NAMA)
    for period in ("2018", "2019", "2020", "2021"):
        for geo in sorted({g for (_, g, _) in cells}):
            parts = [cells[(period, geo, c)] for c in ("K", "L", "M_N")]
            row = got[(period, geo, "5")]
            known = sum(v for v in parts if v is not None)
            if None in parts:
                assert row["employment_status"] != "reported"
                assert float(row["employment_lower"]) == pytest.approx(known)
            else:
                assert float(row["employment"]) == pytest.approx(known)


def test_definitions_parts_the_data_lists_only_as_an_aggregate(tmp_path, capsys):
    """The definitions name K, L and M_N, the table has only K-N: with the three in one
    cluster K-N counts in it; spread over two clusters K-N cannot be split, and that is said,
    as is a code of no row at all (a typo, Z99) -- before, both clusters were silently empty."""
    from test_unseen_stages_7 import _eurostat_cells

    table = _without(NAMA, tmp_path / "only_kn.tsv", lambda nace, geo: nace in ("K", "L", "M_N"))
    one = _defs(tmp_path / "one.csv", [("A", 1, "Agri"), ("K", 5, "Biz"), ("L", 5, "Biz"),
                                       ("M_N", 5, "Biz")])
    code, _out, err = run_main(["detect", table, "-o", str(tmp_path / "one"), "--definitions",
                                one, "--lq-denominator", "total"], capsys)
    assert code == 0, err
    assert "are only in the input's K-N, which counts in their cluster" in err
    cells = _eurostat_cells(NAMA)
    got = _regional(tmp_path / "one")
    assert float(got[("2021", "AT11", "5")]["employment"]) == cells[("2021", "AT11", "K-N")]
    two = _defs(tmp_path / "two.csv", [("A", 1, "Agri"), ("K", 5, "Biz"), ("L", 6, "Real estate"),
                                       ("M_N", 5, "Biz"), ("Z99", 7, "Typo")])
    code, _out, err = run_main(["detect", table, "-o", str(tmp_path / "two"), "--definitions",
                                two, "--lq-denominator", "total"], capsys)
    assert code == 0, err
    assert ("are inside the input's K-N, which details them no further (spread over clusters): "
            "not counted in any cluster") in err
    assert "1 code(s) of the definitions have no row in the input (Z99)" in err


def test_definitions_naming_an_aggregate_and_its_part_say_so(tmp_path, capsys):
    """K-N and K both named (two clusters): keeping both counts K twice; K-N is left out as
    before, now with a sentence saying why its cluster holds only what else it names."""
    defs = _defs(tmp_path / "defs.csv", [("A", 1, "Agri"), ("K-N", 5, "Business"), ("K", 6, "Finance")])
    code, _out, err = run_main(["detect", str(NAMA), "-o", str(tmp_path / "d"), "--definitions",
                                defs, "--lq-denominator", "total"], capsys)
    assert code == 0, err
    assert "the definitions name NACE codes that overlap others they name: K-N" in err


# ------------------------------------------------------------------ cluster wages

UTAH_Q1 = TEST_DATA / "impute" / "qcew_utah_2016q1_slice.csv"


# --suppressed impute now imputes wages too (status estimated, totals complete): see
# tests/test_impute_wages.py; bounds counts suppressed employment at points but no wages
@pytest.mark.parametrize("suppressed", ["drop", "bounds"])
def test_cluster_wages_over_suppressed_cells_say_they_are_incomplete(tmp_path, capsys, suppressed):
    """QCEW Utah 2016 Q1 (the state, Beaver, Daggett and Piute counties): a cluster of the
    private 6-digit mining and construction-trade codes.  Wages are never imputed; a cluster
    whose cells are partly suppressed had as wages the sum of its published cells, with
    nothing saying so (with --suppressed impute beside an employment that includes the imputed
    cells: Beaver's cluster of 9 cells, 8 imputed, read 82 jobs and the one published cell's
    $173,405).  Now wages_status says reported / partial / suppressed (wages empty), counted
    here from the raw file; the cluster summary, which has no status, leaves an incomplete
    wage total empty, and gets the employment_status its employment had no column for."""
    import csv

    with open(UTAH_Q1, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh)
                if r["own_code"] == "5" and r["agglvl_code"] in ("58", "78")]
    members = sorted({r["industry_code"] for r in rows if r["industry_code"][:3] in ("212", "238")})
    defs = _defs(tmp_path / "defs.csv", [(c, 1, "Mining and trades") for c in members])
    out = tmp_path / "d"
    code, _out, err = run_main(["detect", str(UTAH_Q1), "-o", str(out), "--definitions", defs,
                                "--suppressed", suppressed, "--month", "average"], capsys)
    assert code == 0, err
    got = _regional(out)
    seen = set()
    for region in sorted({r["area_fips"] for r in rows}):
        cells = [r for r in rows if r["area_fips"] == region and r["industry_code"] in members]
        if not cells:
            continue
        known = [float(r["total_qtrly_wages"]) for r in cells if r["disclosure_code"] != "N"]
        row = got[("2016Q1", region, "1")]
        expect = ("reported" if len(known) == len(cells) else "suppressed" if not known
                  else "partial")
        assert row["wages_status"] == expect, region
        seen.add(expect)
        if known:
            assert float(row["wages"]) == pytest.approx(sum(known))
        else:
            assert row["wages"] == ""
    assert seen >= {"partial", "suppressed"}
    with open(out / "cluster_summary.csv", newline="", encoding="utf-8") as fh:
        summary = next(csv.DictReader(fh))
    assert summary["wages"] == ""  # the counties' wage total misses unpublished cells
    # and the summary's employment, summed over partial regional figures, says so too
    counties = [r for (p, g, c), r in got.items() if r["region_level"] == "county"]
    statuses = {r["employment_status"] for r in counties}
    # drop: no county cell known; bounds: every county's employment holds its suppressed
    # cells at points inside their bounds (estimates); their wages are not (statuses above)
    assert summary["employment_status"] == (
        "partial" if suppressed in ("impute", "bounds") else "suppressed")
    assert statuses == {summary["employment_status"]}
    known = [float(r["employment"]) for r in counties if r["employment"]]
    assert (float(summary["employment"]) if summary["employment"] else None) == (
        pytest.approx(sum(known)) if known else None)


def test_detect_failing_to_write_leaves_no_folder_it_made(tmp_path, capsys, monkeypatch):
    """A write that fails while detect stages its tables (a full disk) left the output folder
    it had just made, empty, for the next stage (report) to trip over; a folder that was there
    before is kept."""
    import contextlib

    from clusterid.errors import OutputError
    from clusterid.io import atomic

    real = atomic.atomic_path
    calls = []

    @contextlib.contextmanager
    def full_disk(path):
        calls.append(path)
        if len(calls) == 3:
            raise OutputError(f"{path}: cannot write: No space left on device")
        with real(path) as tmp:
            yield tmp

    monkeypatch.setattr(atomic, "atomic_path", full_disk)
    defs = _defs(tmp_path / "defs.csv", [("A", 1, "Agriculture"), ("F", 2, "Construction")])
    out = tmp_path / "new" / "detect"
    code, _out, err = run_main(["detect", str(NAMA), "-o", str(out), "--definitions", defs], capsys)
    assert code == 2 and "No space left on device" in err
    assert not (tmp_path / "new").exists()
    calls.clear()
    (tmp_path / "mine").mkdir()
    code, _out, err = run_main(["detect", str(NAMA), "-o", str(tmp_path / "mine"),
                                "--definitions", defs], capsys)
    assert code == 2
    assert (tmp_path / "mine").is_dir() and not list((tmp_path / "mine").iterdir())


def test_definitions_naming_a_section_the_laender_table_has_only_in_b_e(tmp_path, capsys):
    """REAT's employees by Land (Bundesagentur für Arbeit) publish B-E, not C: definitions
    with a manufacturing cluster of C gave no row for it and no word.  Now it is said; the
    other clusters are the Länder's published sections (Bayern 2014: J + K)."""
    import csv

    laender = TEST_DATA / "reat" / "laender_emp.csv"
    defs = _defs(tmp_path / "defs.csv", [("C", 1, "Manufacturing"), ("J", 2, "ICT and finance"),
                                         ("K", 2, "ICT and finance"), ("F", 3, "Construction")])
    code, _out, err = run_main(["detect", str(laender), "-o", str(tmp_path / "d"),
                                "--definitions", defs], capsys)
    assert code == 0, err
    assert ("the definitions' C is inside the input's B-E, which details it no further (only "
            "part of it): not counted in any cluster") in err
    with open(laender, newline="", encoding="utf-8") as fh:
        cells = {(r["period"], r["region"], r["industry"]): float(r["employment"])
                 for r in csv.DictReader(fh)}
    got = _regional(tmp_path / "d")
    assert float(got[("2014", "Bayern", "2")]["employment"]) == (
        cells[("2014", "Bayern", "J")] + cells[("2014", "Bayern", "K")])
    assert not any(cid == "1" for (_p, _r, cid) in got)


def test_failed_ingest_leaves_no_rejects_file(tmp_path, capsys):
    """`ingest --on-error skip` wrote its rejects file while reading, before a check that then
    failed (--level 9; --level 1 on NAICS codes): exit 2 and, beside no output, the rejected
    rows of an output never written -- in a pipeline, debris in outdir.  A rejects file that
    was there before is not removed."""
    raw = tmp_path / "beaver.csv"
    lines = BEAVER.read_text(encoding="utf-8").splitlines(keepends=True)
    raw.write_text(lines[0] + lines[1].replace(",2719,", ",27x9,") + "".join(lines[2:]),
                   encoding="utf-8")
    out = tmp_path / "canonical.csv"
    for level, message in (("9", "--level 9: expected 0-6"), ("1", "--level 1: NAICS has no level 1")):
        code, _out, err = run_main(["ingest", str(raw), "-o", str(out), "--format", "qcew",
                                    "--on-error", "skip", "--level", level], capsys)
        assert code == 2 and message in err, err
        assert sorted(p.name for p in tmp_path.iterdir()) == ["beaver.csv"]
    code, _out, err = run_main(["ingest", str(raw), "-o", str(out), "--format", "qcew",
                                "--on-error", "skip"], capsys)
    assert code == 0 and "1 rows rejected" in err, err
    assert (tmp_path / "canonical.csv.rejects.csv").exists()


# ------------------------------------------------------------------ detect: a type with one cluster

def test_only_cluster_of_its_type_is_not_its_own_lq_denominator(tmp_path, capsys):
    """REAT's employees by Land, definitions of one traded cluster (J + K) and one local (F):
    the typed denominator of each was the cluster itself, so every LQ was 1.0 and, all tied at
    the quartiles, 12 of the 16 Länder were "strong" in both, every year.  Now such a cluster
    is compared with the region's total employment (the all-industries row), as clusters of
    unknown type are, and detect and the report say why."""
    import csv
    import json

    laender = TEST_DATA / "reat" / "laender_emp.csv"
    defs = _defs(tmp_path / "defs.csv", [("J", 2, "ICT and finance"), ("K", 2, "ICT and finance")])
    (tmp_path / "defs.csv").write_text((tmp_path / "defs.csv").read_text() + "F,3,Construction,local\n")
    out = tmp_path / "d"
    code, _out, err = run_main(["detect", str(laender), "-o", str(out), "--definitions", defs],
                               capsys)
    assert code == 0, err
    assert "for the only cluster of its type in the input (local cluster 3, traded cluster 2)" in err
    with open(laender, newline="", encoding="utf-8") as fh:
        cells = {(r["period"], r["region"], r["industry"]): float(r["employment"])
                 for r in csv.DictReader(fh)}
    got = _regional(out)
    for period in ("2008", "2014"):
        regions = sorted({g for (p, g, _) in cells if p == period})
        total = {g: cells[(period, g, "10")] for g in regions}
        for cid, codes in (("2", ("J", "K")), ("3", ("F",))):
            e = {g: sum(cells[(period, g, c)] for c in codes) for g in regions}
            share = sum(e.values()) / sum(total.values())
            lqs = []
            for g in regions:
                row = got[(period, g, cid)]
                assert row["lq_denominator"] == "total"
                lqs.append(float(row["lq"]))
                assert lqs[-1] == pytest.approx(e[g] / total[g] / share, abs=1e-6)
            assert max(lqs) - min(lqs) > 0.5
            strong = sum(got[(period, g, cid)]["strong"] == "true" for g in regions)
            assert strong <= 4  # LQ >= Q75 of 16 Länder: at most 4, not 12 tied at 1.0
    report = tmp_path / "report.json"
    code, _out, err = run_main(["report", str(out), "-o", str(report)], capsys)
    assert code == 0, err
    text = " ".join(json.loads(report.read_text(encoding="utf-8"))["methodology"])
    assert "the only traded cluster in the data (2)" in text


def test_region_traded_employment_says_when_it_rests_on_suppressed_clusters(tmp_path, capsys):
    """QCEW Utah 2016 Q1 (the state and three small counties), USCMP definitions, --suppressed
    drop: a county whose traded clusters are all suppressed but for a published zero or two
    had traded_employment 0.0 and a cluster_strength computed on it, read as complete.  Now
    traded_employment_status sums up the traded clusters' employment_status (checked here
    against the regional rows) and the HTML report shows it beside the cluster strength."""
    import csv

    out = tmp_path / "d"
    code, _out, err = run_main(["detect", str(UTAH_Q1), "-o", str(out), "--definitions",
                                "uscmp", "--month", "average"], capsys)
    assert code == 0, err
    regional = _regional(out)
    with open(out / "region_summary.csv", newline="", encoding="utf-8") as fh:
        summary = {(r["period"], r["region"]): r for r in csv.DictReader(fh)}
    seen = set()
    for (period, region), row in summary.items():
        statuses = {r["employment_status"] for (p, g, _c), r in regional.items()
                    if p == period and g == region and r["cluster_type"] == "traded"}
        want = ("" if not statuses else "reported" if statuses == {"reported"}
                else "suppressed" if statuses == {"suppressed"} else "partial")
        assert row["traded_employment_status"] == want, region
        known = [float(r["employment"]) for (p, g, _c), r in regional.items()
                 if p == period and g == region and r["cluster_type"] == "traded" and r["employment"]]
        if known:
            assert float(row["traded_employment"]) == pytest.approx(sum(known))
        seen.add(want)
    assert "partial" in seen
    assert summary[("2016Q1", "49001")]["traded_employment_status"] == "partial"
    html = tmp_path / "report.html"
    code, _out, err = run_main(["report", str(out), "-o", str(html)], capsys)
    assert code == 0, err
    assert "traded known" in html.read_text(encoding="utf-8")


def test_definitions_codes_that_are_no_naics_code_are_named(tmp_path, capsys):
    """A definitions file with a typo (23821O, a letter O) and a seven-digit code on the QCEW
    Utah slice: both matched nothing and their clusters were smaller or empty, silently."""
    defs = _defs(tmp_path / "defs.csv", [("238110", 1, "Trades"), ("23821O", 1, "Trades"),
                                         ("9999999", 2, "Bogus")])
    code, _out, err = run_main(["detect", str(UTAH_Q1), "-o", str(tmp_path / "d"), "--definitions",
                                defs, "--month", "average"], capsys)
    assert code == 0, err
    assert ("2 code(s) of the definitions are no NAICS code and match no row of the input "
            "(23821O, 9999999)") in err
    code, _out, err = run_main(["detect", str(UTAH_Q1), "-o", str(tmp_path / "u"), "--definitions",
                                "uscmp", "--month", "average"], capsys)
    assert code == 0 and "no NAICS code" not in err


def test_indices_of_one_industry_say_the_specialisation_is_trivial(tmp_path, capsys):
    """REAT's Länder cut to construction (F) and the all-industries row, as a user extracts
    one industry: every Land came out "wholly specialised" (Herfindahl 1, Krugman 0) without a
    word.  The numbers stay (they are what the formulas give), the note says what they mean."""
    import csv

    src = TEST_DATA / "reat" / "laender_emp.csv"
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    table = tmp_path / "construction.csv"
    table.write_text(lines[0] + "".join(ln for ln in lines[1:] if ",total,F," in ln
                                        or ",total,10," in ln), encoding="utf-8")
    code, out, err = run_main(["indices", str(table), "-o", "-"], capsys)
    assert code == 0, err
    assert "one industry (F) at level 1: every region's specialisation over it is trivial" in err
    rows = list(csv.DictReader(out.splitlines()))
    assert rows and all(float(r["herfindahl"]) == 1.0 for r in rows)
    code, _out, err = run_main(["indices", str(src), "-o", str(tmp_path / "all.csv")], capsys)
    assert code == 0 and "one industry" not in err


def test_shift_share_of_one_industry_says_the_industry_mix_is_zero(tmp_path, capsys):
    """The same construction-only cut of REAT's Länder, 2013 -> 2014: growth_national was
    construction's own growth and industry_mix 0 in every Land, with no word."""
    import csv

    src = TEST_DATA / "reat" / "laender_emp.csv"
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    table = tmp_path / "construction.csv"
    table.write_text(lines[0] + "".join(ln for ln in lines[1:] if ",total,F," in ln
                                        or ",total,10," in ln), encoding="utf-8")
    code, out, err = run_main(["shift-share", str(table), "--from", "2013", "--to", "2014",
                               "-o", "-"], capsys)
    assert code == 0, err
    assert "one industry (F) at level 1: growth_national is that industry's own growth" in err
    rows = list(csv.DictReader(out.splitlines()))
    f0 = sum(float(r["base"]) for r in rows)
    f1 = sum(float(r["final"]) for r in rows)
    assert all(float(r["industry_mix"]) == 0.0 for r in rows)
    assert float(rows[0]["growth_national"]) == pytest.approx(f1 / f0 - 1)


def test_definitions_aggregate_a_region_lists_only_as_parts(tmp_path, capsys):
    """The definitions name K-N (kept, its parts left out); AT12 lists K, L and M_N but no K-N
    row (as a region published with finer detail than the rest): its business cluster had no
    row at all, silently.  Now AT12's K-N is a suppressed cell pinned by its parts (drop: its
    bounds are K + L + M_N exactly; impute: the value), and impute then detect gives detect
    --suppressed impute's tables."""
    from test_unseen_stages_7 import _eurostat_cells

    table = _without(NAMA, tmp_path / "at12.tsv", lambda nace, geo: (nace, geo) == ("K-N", "AT12"))
    defs = _defs(tmp_path / "defs.csv", [("A", 1, "Agriculture"), ("K-N", 5, "Business")])
    cells = _eurostat_cells(NAMA)
    code, _out, err = run_main(["detect", table, "-o", str(tmp_path / "drop"), "--definitions",
                                defs, "--lq-denominator", "total"], capsys)
    assert code == 0, err
    assert "cells of aggregates that a region lists only as parts (region AT12 2018: K-N over K, L, M_N)" in err
    got = _regional(tmp_path / "drop")
    for period in ("2018", "2019", "2020", "2021"):
        parts = sum(cells[(period, "AT12", c)] for c in ("K", "L", "M_N"))
        row = got[(period, "AT12", "5")]
        assert row["employment_status"] == "suppressed" and row["employment"] == ""
        assert float(row["employment_lower"]) == pytest.approx(parts)
        assert float(row["employment_upper"]) == pytest.approx(parts)
    imputed = tmp_path / "imputed.csv"
    code, _out, err = run_main(["impute", table, "-o", str(imputed)], capsys)
    assert code == 0, err
    for folder, argv in (("after_impute", [str(imputed)]),
                         ("detect_impute", [table, "--suppressed", "impute"])):
        code, _out, err = run_main(["detect", *argv, "-o", str(tmp_path / folder),
                                    "--definitions", defs, "--lq-denominator", "total"], capsys)
        assert code == 0, err
    a = (tmp_path / "after_impute" / "regional_clusters.csv").read_bytes()
    assert a == (tmp_path / "detect_impute" / "regional_clusters.csv").read_bytes()
    got = _regional(tmp_path / "after_impute")
    assert float(got[("2021", "AT12", "5")]["employment"]) == pytest.approx(
        sum(cells[("2021", "AT12", c)] for c in ("K", "L", "M_N")))
