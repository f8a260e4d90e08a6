"""The CLI's front: --version, --help everywhere, fast start-up without heavy imports."""

from __future__ import annotations

import subprocess
import sys

from clusterid import __version__


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "clusterid", *args], capture_output=True, text=True, **kw)


def test_version():
    res = run("--version")
    assert res.returncode == 0
    assert res.stdout.strip() == f"clusterid {__version__}"


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "from clusterid.cli.app import app, main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('pandas', 'sklearn', 'polars', 'scipy', 'pyarrow') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY=\n" in res.stdout or res.stdout.strip().endswith("HEAVY="), res.stdout


def test_unknown_command_is_usage_error():
    res = run("no-such-command")
    assert res.returncode == 2
    assert "no-such-command" in res.stderr


def test_core_does_not_import_cli_libraries():
    code = (
        "import sys, pkgutil, importlib\n"
        "import clusterid.core as core\n"
        "for m in pkgutil.iter_modules(core.__path__):\n"
        "    importlib.import_module('clusterid.core.' + m.name)\n"
        "print('BAD=' + ','.join(m for m in ('typer', 'rich') if m in sys.modules))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "BAD=", res.stdout


def _openblas_timeout_seen(env_value):
    """OPENBLAS_THREAD_TIMEOUT as numpy, imported by a command, finds it in the environment."""
    import os

    code = (
        "import atexit, os, sys\n"
        "sys.argv = ['clusterid', '--version']\n"
        "from clusterid.entry import main\n"
        # the entry point leaves with os._exit once the atexit handlers have run
        "atexit.register(lambda: print('TIMEOUT=' + os.environ.get('OPENBLAS_THREAD_TIMEOUT', '')))\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    if env_value is not None:
        env["OPENBLAS_THREAD_TIMEOUT"] = env_value
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    return res.stdout.strip().splitlines()[-1]


def test_entry_shortens_openblas_spin_unless_the_user_set_it():
    # OpenBLAS' idle workers otherwise busy-wait ~0.14 s of CPU per library on every command
    assert _openblas_timeout_seen(None) == "TIMEOUT=4"
    assert _openblas_timeout_seen("20") == "TIMEOUT=20"


def test_entry_asks_polars_allocator_to_hand_memory_back_unless_the_user_set_it():
    import os

    from clusterid.entry import MALLOC_CONF

    code = ("import atexit, os, sys\n"
            "sys.argv = ['clusterid', '--version']\n"
            "from clusterid.entry import main\n"
            "atexit.register(lambda: print('CONF=' + os.environ.get('_RJEM_MALLOC_CONF', '')))\n"
            "main()\n")
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    seen = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert seen.stdout.strip().splitlines()[-1] == "CONF=" + MALLOC_CONF
    assert "background_thread:true" in MALLOC_CONF
    mine = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**env, "_RJEM_MALLOC_CONF": "dirty_decay_ms:0"})
    assert mine.stdout.strip().splitlines()[-1] == "CONF=dirty_decay_ms:0"


def test_leaving_without_teardown_keeps_outputs_exit_codes_and_cleanup(tmp_path):
    """The entry point ends with os._exit (no interpreter teardown): the atexit handlers still
    remove the stdin buffer folder, a canonical table piped to stdout arrives whole, and exit
    codes are those of the command."""
    import os
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    res = subprocess.run([sys.executable, "-m", "clusterid", "ingest", "-", "-o", "-"],
                         input=sample.read_bytes(), capture_output=True, env=env)
    assert res.returncode == 0, res.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("clusterid-stdin-")]
    piped = res.stdout.decode().splitlines()
    direct = subprocess.run([sys.executable, "-m", "clusterid", "ingest", str(sample), "-o", "-"],
                            capture_output=True, env=env)
    assert piped == direct.stdout.decode().splitlines() and len(piped) > 1000
    bad = tmp_path / "bad.csv"
    bad.write_text("region,industry,year,employment\nA,11,2020,5\nB,11,2020,7\nC,11,2020,many\n")
    res = subprocess.run([sys.executable, "-m", "clusterid", "ingest", str(bad), "-o",
                          str(tmp_path / "out.parquet")], capture_output=True, text=True, env=env)
    assert res.returncode != 0 and "many" in res.stderr
    assert not (tmp_path / "out.parquet").exists()


def test_under_a_profiler_the_entry_point_exits_the_usual_way(tmp_path):
    # os._exit would skip the teardown in which cProfile (or a coverage tracer) writes its file
    prof = tmp_path / "run.prof"
    res = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "clusterid",
                          "--version"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert prof.stat().st_size > 0


def test_command_line_usage_errors_are_one_line_with_exit_2():
    """click's own parse errors (an unknown option, a value that is not a number, a missing
    input, an unknown command) are said in one line as every other error; click printed the
    usage, a 'Try ... for help.' line, a blank line and the error."""
    cases = {
        ("lq", "x.parquet", "-o", "y.csv", "--threshold", "abc"):
            "clusterid: error: lq: Invalid value for '--threshold': 'abc' is not a valid float "
            "(see 'clusterid lq --help')",
        ("lq", "--bogus"): "clusterid: error: lq: No such option: --bogus",
        ("lq",): "clusterid: error: lq: Missing argument 'INPUT...'; usage: clusterid lq [OPTIONS]",
        ("bogus",): "clusterid: error: No such command 'bogus' (see 'clusterid --help')",
    }
    for argv, said in cases.items():
        res = subprocess.run([sys.executable, "-m", "clusterid", *argv], capture_output=True, text=True)
        assert res.returncode == 2, (argv, res.stderr)
        lines = res.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(said), (argv, res.stderr)
        assert res.stdout == ""
    # `clusterid` alone still shows the help (exit 2), --version and --help exit 0
    alone = subprocess.run([sys.executable, "-m", "clusterid"], capture_output=True, text=True)
    assert alone.returncode == 2 and "Usage: clusterid [OPTIONS] COMMAND" in alone.stderr
    for argv in (["--version"], ["lq", "--help"]):
        ok = subprocess.run([sys.executable, "-m", "clusterid", *argv], capture_output=True, text=True)
        assert ok.returncode == 0 and ok.stdout and not ok.stderr, (argv, ok.stderr)
