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
        "import os, sys\n"
        "sys.argv = ['clusterid', '--version']\n"
        "from clusterid.entry import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('TIMEOUT=' + os.environ.get('OPENBLAS_THREAD_TIMEOUT', ''))\n"
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
