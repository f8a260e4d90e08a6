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

It also tells polars' allocator (jemalloc, ``_RJEM_MALLOC_CONF``), unless the user has, to
hand freed memory back to the system from a background thread a fraction of a second after
it is freed: by default the pages stay resident for the allocator's reuse, and a large column
freed in one stage cannot always be reused by the differently sized buffers of the next, so
the process grows past what it holds.  Ingest of the 4.8 M-row county panel: peak 2.17-2.25 GB
without it, 1.88-1.93 GB with it, for ~0.2-0.5 s more work.  (Handing memory back on every free,
``dirty_decay_ms:0``, cost ~1.5 s.)

When the command is done it leaves without tearing the interpreter down (:func:`_leave`): the
outputs are written and renamed, the streams flushed and the ``atexit`` handlers (temporary
folders) run first.  Freeing a large run's arrays and frames one by one only to give the memory
back to the system took ~0.2 s after ``lq`` on 3 M cells (2.55 s of work, 2.75 s in all).
"""

from __future__ import annotations

import os
import signal
import sys
from typing import NoReturn


# read by polars' jemalloc when polars is first imported (after this module sets it)
MALLOC_CONF = "background_thread:true,dirty_decay_ms:200,muzzy_decay_ms:0"


def _early_interrupt(signum, frame):  # noqa: ARG001
    sys.stderr.write("clusterid: error: interrupted\n")
    sys.exit(130 if signum == signal.SIGINT else 128 + signum)


def set_environment() -> None:
    """The thread and allocator settings above, each unless the user has set it (call before
    numpy, scipy or polars is imported; benchmarks that run a command in-process call it too)."""
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")
    os.environ.setdefault("_RJEM_MALLOC_CONF", MALLOC_CONF)


def stopping_signals() -> list[int]:
    """The signals that stop a command the way Ctrl-C does (temporary files removed, outputs
    untouched, exit 128 + N): SIGINT, SIGTERM, and SIGHUP -- a closed terminal or ssh session
    killed the process outright, leaving its temporary output file and the extracted copy of a
    zip archive in the temporary folder -- unless the process was started ignoring SIGHUP
    (``nohup``), which is kept."""
    stopping = [signal.SIGINT, signal.SIGTERM]
    hangup = getattr(signal, "SIGHUP", None)  # not on Windows
    if hangup is not None and signal.getsignal(hangup) != signal.SIG_IGN:
        stopping.append(hangup)
    return stopping


def main() -> None:
    set_environment()
    stopping = stopping_signals()
    for signum in stopping:
        signal.signal(signum, _early_interrupt)
    from clusterid.cli.app import main as app_main  # installs the full handlers

    code: object = 0
    try:
        app_main()
    except SystemExit as exc:
        code = exc.code
    finally:
        # The work is done (or failed and was reported): a Ctrl-C while leaving must not turn
        # the exit code into death-by-signal.
        for signum in stopping:
            signal.signal(signum, signal.SIG_IGN)
    _leave(code)


def _leave(code: object) -> NoReturn:
    """Exit with ``code`` as ``sys.exit`` would, without the interpreter's teardown.

    Runs the ``atexit`` handlers and flushes stdout and stderr (a reader gone from the pipe is
    not an error of ours), then ``os._exit``: every output file was closed and renamed into
    place before the command returned, so nothing is left to finish.  Under a profiler or a
    coverage tracer (``python -m cProfile -m clusterid ...``) it exits the usual way.
    """
    import atexit

    if sys.gettrace() is not None or sys.getprofile() is not None:
        # a profiler or coverage tool writes its results in the teardown this would skip
        raise SystemExit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): printed, exit 1
        status = 1
        try:
            sys.stderr.write(f"{code}\n")
        except (OSError, ValueError):
            pass
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe, or a stream closed by the app
            pass
    os._exit(status)
