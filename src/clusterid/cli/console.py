"""The two consoles: data goes to stdout, everything for people goes to stderr.

Rich honours NO_COLOR and turns colour and animation off when stderr is not a terminal.
"""

from __future__ import annotations

import contextlib
import sys
import time
from functools import lru_cache

_state = {"quiet": False, "debug": False}


def set_quiet(value: bool) -> None:
    _state["quiet"] = value


def set_debug(value: bool) -> None:
    _state["debug"] = value


def is_quiet() -> bool:
    return _state["quiet"]


def is_debug() -> bool:
    return _state["debug"]


@lru_cache(maxsize=1)
def err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


@lru_cache(maxsize=1)
def out_console():
    from rich.console import Console

    return Console(highlight=False)


def info(message: str) -> None:
    """A message for people (stderr), silenced by --quiet."""
    if not _state["quiet"]:
        # soft_wrap: one message is one line (rich would break it at 80 columns in a log file,
        # and a script grepping stderr would see half a message)
        err_console().print(message, markup=False, soft_wrap=True)


def error(message: str) -> None:
    """An error line on stderr, never silenced."""
    sys.stderr.write(f"clusterid: error: {message}\n")
    sys.stderr.flush()


def progress(transient: bool = True):
    """A rich Progress on stderr; disabled when quiet or stderr is not a terminal."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = err_console()
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=transient,
        disable=_state["quiet"] or not console.is_terminal,
    )


@contextlib.contextmanager
def step(command: str, label: str):
    """Say on stderr that a step starts, and how long it took when that was over a second."""
    info(f"{command}: {label} ...")
    t0 = time.perf_counter()
    yield
    elapsed = time.perf_counter() - t0
    if elapsed >= 1.0:
        info(f"{command}: {label} done ({elapsed:.1f} s)")
