"""Shared fixtures: paths to the committed samples and to ../shared/data when it is there."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from clusterid.entry import set_environment
from repo_guard import Guard

# What every `clusterid` command sets before numpy, scipy and polars load, set here too (this
# module is imported before any test module imports them) so the commands the tests run
# in-process behave as they do on the command line.  Above all OpenBLAS' idle threads: without
# OPENBLAS_THREAD_TIMEOUT they spin ~2**28 cycles after every parallel matrix operation, and in
# a pytest worker, which runs hundreds of commands, that spinning took a core from the other
# worker (test_run_working_folder with test_grouping_real: 30-36 s of CPU, 25-27 s with it,
# on a loaded machine).  The tests of the settings
# themselves (test_cli_basics) take them out of their child's environment.
set_environment()

# Hypothesis' wall-clock checks, off for every property test: an example over 200 ms (the
# default deadline) or a slow first draw (HealthCheck.too_slow) failed a test on a loaded
# machine -- two xdist workers on 2 cores shared with other jobs -- and the same test passed when
# Hypothesis replayed it ("Flaky").  A test's own @settings still set what it gives.
settings.register_profile("clusterid", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("clusterid")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
TEST_DATA = ROOT / "tests" / "data"
# the headings of BLS's QCEW high-level workbooks (allhlcnYYQ.xlsx), line breaks included
QCEW_HIGH_LEVEL_HEADINGS = ["Area\nCode", "St", "Cnty", "Own", "NAICS", "Year", "Qtr", "Area\nType",
                            "St\nName", "Area", "Ownership", "Industry", "Status Code",
                            "Establishment Count", "January Employment", "February Employment",
                            "March Employment", "Total Quarterly Wages", "Average Weekly Wage"]
SHARED = Path(os.environ.get("CLUSTERID_SHARED_DATA", ROOT.parent / "shared" / "data"))

# A test that changes the repository tree (data/, tests/data/, src/, README.md ...) fails, even
# if it puts things back: another xdist worker may be reading that file (repo_guard).  So does
# one that changes ../shared/data, which both workers read too.
_GUARD = Guard(ROOT, SHARED)
sys.addaudithook(_GUARD.hook)


def repository_writes_allowed():
    """A context in which a test may change the repository tree: for a rewrite of committed
    files asked for by hand (CLUSTERID_UPDATE_GOLDEN=1), never in a suite's run."""
    return _GUARD.allowed()


def _guarded():
    _GUARD.seen.clear()
    _GUARD.armed = True
    try:
        return (yield)
    finally:
        _GUARD.armed = False
        if _GUARD.seen:
            # also in place of the test's own failure, which the refused change caused (the
            # command under test said "permission denied (read-only target?)")
            pytest.fail("; ".join(dict.fromkeys(_GUARD.seen)), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    return (yield from _guarded())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    return (yield from _guarded())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    return (yield from _guarded())


@pytest.fixture(autouse=True)
def _eighty_columns(monkeypatch):
    """Every test sees an 80-column terminal, rich's width when there is none (pytest's fd
    capture hides the real one).  --help and the stats table are wrapped by rich at $COLUMNS
    when it is set: a run with COLUMNS=50 in its environment (exported by a shell or a CI
    runner) split '>= --threshold' over two lines and failed test_lq_cli's and test_stats'
    help and table tests.  A test about the width sets COLUMNS itself."""
    monkeypatch.setenv("COLUMNS", "80")


# the handlers of the stopping signals before any test (pytest's): every in-process run of
# `clusterid` (run_main) installs the command's own and leaves them
_STOPPING = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s]
_HANDLERS = {s: signal.getsignal(s) for s in _STOPPING}


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """After each test, the process as the next one expects it: what a command run in-process
    (run_main, typer's CliRunner, a library call) kept for the rest of its run is forgotten.

    CliRunner and library calls do not pass through ``main()``, which forgets most of it as a
    command starts (the watched tables also as it ends) but not the handlers, quiet or debug it
    set: a table watched by one test (``scan_canonical``) and then removed made every later
    output write of the worker refuse with "changed while it was read ... gone"; a ``--quiet``
    run silenced the messages of the tests after it; Ctrl-C raised clusterid's Interrupted (re-raised every 0.2 s) instead of
    stopping pytest.  Which test came before is worksteal's choice, so each was a failure by
    chance (tests/test_inprocess_state_31.py)."""
    yield
    for signum, handler in _HANDLERS.items():
        if handler is not None:
            signal.signal(signum, handler)
    console = sys.modules.get("clusterid.cli.console")
    if console is not None:
        console.set_quiet(False)
        console.set_debug(False)
    atomic = sys.modules.get("clusterid.io.atomic")
    if atomic is not None:
        atomic.forget_inputs()
    ingest = sys.modules.get("clusterid.io.ingest")
    if ingest is not None:
        ingest.forget_stdin()
        ingest.forget_files()
    tables = sys.modules.get("clusterid.io.tables")
    if tables is not None:
        tables.OPENED_PARQUET.clear()


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data; the calling test is skipped with a reason if absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the shared real-data folder is not present on this machine)")
    return path


@pytest.fixture
def shared():
    return shared_path


def csv_rows(text: str) -> list[dict]:
    """A CSV text (a command's stdout) as a list of rows keyed by the header."""
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


def ingest_rows(capsys, src, out, *extra) -> list[dict]:
    """``clusterid ingest SRC -o OUT [extra]`` in-process, which must succeed; OUT (a CSV) as a
    list of rows keyed by the header."""
    run_ok(["ingest", str(src), "-o", str(out), *extra], capsys)
    return csv_rows(Path(out).read_text(encoding="utf-8"))


def ingest_stdout(capsys, src, *options: str):
    """``clusterid ingest SRC -o - [options]`` in-process: ``(exit code, output rows, stderr)``,
    no rows when the command failed."""
    code, out, err = run_main(["ingest", str(src), "-o", "-", *options], capsys)
    return code, (csv_rows(out) if code == 0 else []), err


def cell_values(rows, measure: str = "employment") -> dict:
    """``{(period, region, industry): (value, status)}`` of ``measure`` in ingest's output rows
    (:func:`ingest_stdout`), as the CSV writes them."""
    return {(r["period"], r["region"], r["industry"]): (r[measure], r[f"{measure}_status"])
            for r in rows}


def utah_canonical(folder: Path) -> Path:
    """The bundled Utah sample (QCEW 2016: counties, their state, MSAs) ingested with the
    defaults into ``folder/utah.parquet``, by the real entry point; the path."""
    from clusterid.cli.app import main

    out = Path(folder) / "utah.parquet"
    try:
        main(["ingest", str(SAMPLES / "qcew_utah_2016_counties.csv.gz"), "-o", str(out)])
    except SystemExit as exc:
        assert exc.code in (0, None)
    return out


@pytest.fixture(scope="session")
def utah_parquet(tmp_path_factory) -> Path:
    """:func:`utah_canonical`, made once per test process and shared by the tests that only read
    it (each had ingested the sample again, ~1-1.5 s of CPU a time); read-only, so that a test
    writing to it fails instead of changing what the others read."""
    path = utah_canonical(tmp_path_factory.mktemp("utah-shared"))
    path.chmod(0o444)
    return path


def run_in_parts(argv, capsys, monkeypatch, parts: bool):
    """:func:`run_main` with ingest reading a glob's files in parts, one a file (``parts``:
    ``PART_BYTES`` 0), or all together (``PART_BYTES`` beyond any input)."""
    from clusterid.io import ingest_parts

    monkeypatch.setattr(ingest_parts, "PART_BYTES", 0 if parts else 10**15)
    return run_main(argv, capsys)


def run_ok(argv, capsys):
    """:func:`run_main` that must succeed: ``(stdout, stderr)``."""
    code, out, err = run_main(argv, capsys)
    assert code == 0, err
    return out, err


def ingest_text(tmp_path, capsys, name: str, text: str, *extra):
    """Write ``text`` to ``tmp_path/name`` and run ``clusterid ingest`` on it in-process:
    ``(exit code, stderr, output rows)``, no rows when the command failed."""
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out), *extra], capsys)
    return code, err, csv_rows(out.read_text(encoding="utf-8")) if code == 0 else []


def lq_text(tmp_path, capsys, name: str, text: str, *extra) -> dict:
    """Write ``text`` to ``tmp_path/name`` and run ``clusterid lq`` straight from it
    in-process (exit code 0 asserted): ``{(region, industry): row}`` of the output."""
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "lq.csv"
    code, _out, err = run_main(["lq", str(src), "-o", str(out), *extra], capsys)
    assert code == 0, err
    return {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}


def run_main(argv, capsys):
    """Run the real entry point in-process: ``(exit code, stdout, stderr)``."""
    from clusterid.cli.app import main

    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        # sys.exit() / exit(None) is success; a message instead of a number is failure (1)
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_here(capsys, *args):
    """``clusterid ARGS`` through the real entry point in-process (:func:`run_main`), as the
    ``subprocess.run`` result a test would otherwise get: ``.returncode``, ``.stdout``,
    ``.stderr`` (text).  For tests of a command's exit code, messages and files; a test of what
    only a process of its own shows (stdin, signals, the environment at start-up, a second
    process's hash seed) keeps its process.  In-process saves each run the ~0.5-1 s of CPU a
    new Python spends importing polars, numpy and the command's modules."""
    from types import SimpleNamespace

    code, out, err = run_main([str(a) for a in args], capsys)
    return SimpleNamespace(returncode=code, stdout=out, stderr=err)


@pytest.fixture(scope="session")
def utah_impute_chain(tmp_path_factory):
    """The Utah sample read as the year and taken to clusters two ways, once per test process:
    ``ingest --month annual`` -> ``canonical``, ``impute`` -> ``imputed`` (typer's CliRunner),
    ``detect --definitions uscmp`` on the imputed table -> ``chained``, and on the raw file with
    ``--suppressed impute`` -> ``raw`` (``meta``: what that run returned).  test_detect's and
    test_impute_wages' chain tests each ran these four commands (~10 s of CPU) and only read
    their outputs; read-only, so that a test writing to them fails."""
    from types import SimpleNamespace

    from typer.testing import CliRunner

    from clusterid.cli.app import app
    from clusterid.cli.detect import run

    sample = SAMPLES / "qcew_utah_2016_counties.csv.gz"
    folder = tmp_path_factory.mktemp("utah-impute-chain")
    canonical, imputed = folder / "utah.parquet", folder / "imputed.parquet"
    for args in (["ingest", sample, "-o", canonical, "--month", "annual"],
                 ["impute", canonical, "-o", imputed]):
        res = CliRunner().invoke(app, [str(a) for a in args])
        assert res.exit_code == 0, (res.output, res.exception)
    meta = run(str(sample), str(folder / "raw"), definitions="uscmp", suppressed="impute")
    run(str(imputed), str(folder / "chained"), definitions="uscmp")
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(0o444)
    return SimpleNamespace(canonical=canonical, imputed=imputed, raw=folder / "raw",
                           chained=folder / "chained", meta=meta)
