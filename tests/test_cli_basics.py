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
