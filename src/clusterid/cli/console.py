"""The two consoles: data goes to stdout, everything for people goes to stderr.

Rich honours NO_COLOR and turns colour and animation off when stderr is not a terminal.
"""

from __future__ import annotations

import contextlib
import re
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


# what a terminal acts on instead of showing: C0 controls but tab and newline (ESC starts the
# sequences that clear the screen, move the cursor or retitle the window; a carriage return or
# backspace overwrites what came before), DEL, the C1 controls (U+009B is a one-character CSI on
# some terminals), and the direction embeddings, overrides and isolates (an override shows the
# text after it backwards, to the end of the line)
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e"
_UNSAFE = re.compile(f"[{_CONTROLS}\u2066-\u2069]")
_UNSAFE_BUT_ISOLATES = re.compile(f"[{_CONTROLS}]")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, isolates: bool = False) -> str:
    """``text`` with every character a terminal would act on written as its escape (``\\x1b``,
    ``\\u202e``), for the lines shown to people: a region or industry name from the data
    (``\\x1b[2J``, ``\\x1b]0;title\\x07``, a carriage return) quoted in a message or a table
    cleared the screen, retitled the terminal or hid the text before it.  Files keep the data
    as it is; this is for stderr and a terminal's stdout.  ``isolates``: keep the direction
    isolates (FSI ... PDI, which the Markdown report puts around a right-to-left name)."""
    unsafe = _UNSAFE_BUT_ISOLATES if isolates else _UNSAFE
    return unsafe.sub(_escaped, text) if unsafe.search(text) else text


def _to_stderr(text: str) -> None:
    """Write ``text`` on stderr; a stderr that cannot take it loses the message, never the
    command's work.  A log on a full disk (``2>>/var/log/clusterid.log``) made the first note
    raise ENOSPC, so lq stopped before writing its output and exited 1 ('bad data'); a reader
    of the messages gone (``2>&1 | head``) made it raise EPIPE, taken for stdout's closed pipe:
    no output, exit 0."""
    try:
        sys.stderr.write(printable(text))
        sys.stderr.flush()
    except (OSError, ValueError):  # ValueError: a stderr closed by the caller's code
        pass


def machine_line(line: str) -> None:
    """A line for machines on stderr (``run --log-json``): never silenced by --quiet, and lost
    only where stderr cannot take it, as a message is (:func:`_to_stderr`)."""
    _to_stderr(line + "\n")


def info(message: str) -> None:
    """A message for people (stderr), silenced by --quiet."""
    if _state["quiet"]:
        return
    if not sys.stderr.isatty():
        # a log file or a pipe: the plain line (rich prints nothing else there), without
        # importing rich (~0.05 s of every scripted command)
        _to_stderr(message + "\n")
        return
    # soft_wrap: one message is one line (rich would break it at 80 columns, and a script
    # grepping stderr would see half a message)
    err_console().print(printable(message), markup=False, soft_wrap=True, emoji=False)


def error(message: str) -> None:
    """An error line on stderr, never silenced (lost only where stderr cannot take it)."""
    _to_stderr(f"clusterid: error: {message}\n")


def progress(transient: bool = True):
    """A rich Progress on stderr; disabled when quiet or stderr is not a terminal.

    Not a terminal as :func:`info` tells it (``isatty``): rich takes FORCE_COLOR (set by many
    CI setups for coloured logs) or TTY_COMPATIBLE for a terminal, and drew its bar, cursor
    codes and carriage returns into a log file or pipe ahead of the messages.  There, and when
    quiet, it is a stand-in that shows nothing, without importing rich's progress (~0.15 s of
    every scripted or scheduled ingest)."""
    if _state["quiet"] or not sys.stderr.isatty():
        return _NoProgress()
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = err_console()
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=transient,
        disable=_state["quiet"] or not sys.stderr.isatty() or not console.is_terminal,
    )


class _NoProgress:
    """What :func:`progress` gives where nothing is shown: the calls a command makes, doing
    nothing."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def add_task(self, description: str, **fields) -> int:  # noqa: ARG002 - rich's signature
        return 0

    def update(self, task: int, **fields) -> None:
        return None

    def advance(self, task: int, advance: float = 1) -> None:
        return None


@contextlib.contextmanager
def step(command: str, label: str):
    """Say on stderr that a step starts, and how long it took when that was over a second."""
    info(f"{command}: {label} ...")
    t0 = time.perf_counter()
    yield
    elapsed = time.perf_counter() - t0
    if elapsed >= 1.0:
        info(f"{command}: {label} done ({elapsed:.1f} s)")


def warm_imports(*modules: str) -> None:
    """Start importing ``modules`` in a background thread and return at once.

    A command calls this before reading its input: the imports (scipy.special alone takes
    ~0.25 s, mostly Python byte code) then run while polars reads the file outside the GIL.
    A later ``import`` of the same module waits for this one to finish (the import lock), so
    nothing is imported twice or seen half-done; an import that fails here fails again, with
    its real error, where the module is used.
    """
    import importlib
    import threading

    def run() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - reported by the import where it is needed
                pass

    threading.Thread(target=run, name="clusterid-warm-imports", daemon=True).start()
