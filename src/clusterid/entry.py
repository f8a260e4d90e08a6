"""The console-script entry point: install Ctrl-C handling before the heavy imports.

Importing the CLI (typer, rich, the command modules) takes a noticeable fraction of a second
on a cold start; a Ctrl-C in that window must still exit 130 quietly, not with a traceback.
Nothing is written before the app starts, so there is nothing to clean up yet.

It also sets, unless the user has, how long OpenBLAS' idle worker threads spin before they
sleep (``OPENBLAS_THREAD_TIMEOUT``, read once when numpy and scipy load their OpenBLAS): by
default each worker busy-waits ~2**28 cycles after start-up, about 0.14 s of CPU per library
on every command (numpy's and scipy's each bring one), which on a 2-core machine takes a
core from polars while it reads.  The shortest wait (2**4 cycles) keeps the threads:
matrix products run as fast (1,641 x 700 correlations: the same 0.3 s).
"""

from __future__ import annotations

import os
import signal
import sys


def _early_interrupt(signum, frame):  # noqa: ARG001
    sys.stderr.write("clusterid: error: interrupted\n")
    sys.exit(130 if signum == signal.SIGINT else 128 + signum)


def main() -> None:
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")
    signal.signal(signal.SIGINT, _early_interrupt)
    signal.signal(signal.SIGTERM, _early_interrupt)
    from clusterid.cli.app import main as app_main  # installs the full handlers

    try:
        app_main()
    finally:
        # The work is done (or failed and was reported): a Ctrl-C during interpreter teardown
        # (polars' threads take a moment) must not turn the exit code into death-by-signal.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
