"""The ``clusterid`` command: one Typer app, one module per command, an exit-code map.

Command modules import only typer and the standard library at module level, so that
``clusterid --help`` starts fast and pulls in neither pandas nor scikit-learn.
"""

from __future__ import annotations

import errno
import signal
import sys
import traceback
from typing import Annotated, Optional

import typer

from clusterid import __version__
from clusterid.cli import console
from clusterid.errors import EXIT_DATA, EXIT_INTERRUPTED, EXIT_USAGE, ClusteridError

app = typer.Typer(
    name="clusterid",
    help=(
        "Find industry clusters in regional economic statistics.\n\n"
        "Example: clusterid ingest data/samples/qcew_utah_2016_counties.csv.gz -o canonical.parquet"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"clusterid {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version_callback, is_eager=True,
                     help="Print the version and exit."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or messages on stderr.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")] = False,
) -> None:
    """Find industry clusters in regional economic statistics.

    Example: clusterid ingest data/samples/qcew_utah_2016_counties.csv.gz -o canonical.parquet
    """
    console.set_quiet(quiet)
    console.set_debug(debug)


# Commands register themselves here, one module each (see clusterid/cli/<command>.py):
#     from clusterid.cli import ingest as _ingest; _ingest.register(app)
# Keep this list in pipeline order; each module imports only typer and stdlib at top level.
from clusterid.cli import ingest as _ingest; _ingest.register(app)  # noqa: E402,E702
from clusterid.cli import stats as _stats; _stats.register(app)  # noqa: E402,E702
from clusterid.cli import impute as _impute; _impute.register(app)  # noqa: E402,E702
from clusterid.cli import lq as _lq; _lq.register(app)  # noqa: E402,E702
from clusterid.cli import indices as _indices; _indices.register(app)  # noqa: E402,E702
from clusterid.cli import shiftshare as _shiftshare; _shiftshare.register(app)  # noqa: E402,E702
from clusterid.cli import detect as _detect; _detect.register(app)  # noqa: E402,E702
from clusterid.cli import report as _report; _report.register(app)  # noqa: E402,E702
from clusterid.cli import run as _run; _run.register(app)  # noqa: E402,E702


class EndOfData(Exception):
    """An EOFError no reader caught (a compressed file cut short), raised past typer: typer
    makes every EOFError an Abort -- 'aborted', exit 130, Ctrl-C's code to a scheduler, after a
    blank line -- while clusterid asks nothing at a prompt.  Said as the bug it is."""


def _eof_past_typer(callback):
    import functools

    @functools.wraps(callback)
    def command(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except EOFError as exc:
            raise EndOfData(str(exc)) from exc

    return command


for _info in app.registered_commands:
    _info.callback = _eof_past_typer(_info.callback)


_GROUP: list = []


def click_group():
    """The click group typer builds from ``app``, built once per process: typer builds it
    anew on every call of ``app(...)`` and of ``typer.main.get_command``, from every command's
    signature and annotations (~0.05 s each time, two or three times a run; a ``clusterid
    run`` stage, and every command a test runs in-process, paid it again)."""
    if not _GROUP:
        _GROUP.append(typer.main.get_command(app))
    return _GROUP[0]


class Interrupted(BaseException):
    """Raised from the signal handler so click does not turn Ctrl-C into exit 1."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


# A signal whose Interrupted the interpreter swallowed: Python runs a signal handler between
# any two bytecodes, also inside a weakref callback or __del__ (an import's module-lock
# callback), where an exception is printed as "Exception ignored in ..." and dropped -- the
# Ctrl-C was lost and the command went on to exit 0.  The handler arms a short timer; if the
# interruption is by then neither handled nor being handled, the timer raises it again.
_pending: int | None = None
REDELIVER_S = 0.2


def _on_signal(signum, frame):  # noqa: ARG001
    global _pending
    _pending = signum
    if hasattr(signal, "setitimer"):
        signal.signal(signal.SIGALRM, _redeliver)
        signal.setitimer(signal.ITIMER_REAL, REDELIVER_S)
    raise Interrupted(signum)


def _redeliver(signum, frame):  # noqa: ARG001
    if _pending is None or isinstance(sys.exc_info()[1], Interrupted):
        return  # handled, or being handled (a stage's cleanup): nothing was lost
    signal.setitimer(signal.ITIMER_REAL, REDELIVER_S)
    raise Interrupted(_pending)


def _interruption_handled() -> None:
    """The Interrupted reached the entry point: no re-delivery any more."""
    global _pending
    _pending = None
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0)


def _shown(text: str) -> str:
    """``text`` with private buffer files (stdin, zip members) named as the user knows them."""
    ingest = sys.modules.get("clusterid.io.ingest")  # not loaded: no buffer file exists
    return ingest.shown_text(text) if ingest is not None else text


class _ClosedStdout:
    """Standard output the caller closed (``>&-``; a daemon's job): Python leaves sys.stdout
    None, and a command writing its data there stopped with an internal AttributeError.  The
    data has nowhere to go: an output error (exit 2), never a silent success."""

    def write(self, data) -> int:
        from clusterid.errors import OutputError

        raise OutputError("-: standard output is closed; give -o FILE, or run with stdout open")

    @property
    def buffer(self):
        return self

    def flush(self) -> None:  # interpreter shutdown flushes it: nothing to flush
        pass

    def isatty(self) -> bool:
        return False


def _open_closed_streams() -> None:
    """Closed stderr (``2>&-``): the messages for people have nowhere to go and are dropped,
    instead of the first one failing a run that succeeded (exit 1 after writing its output);
    the exit code still says how the run went.  Closed stdout: see :class:`_ClosedStdout`."""
    import os

    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the whole run
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()


# the commands that read a raw agency file on the fly (with ingest's defaults)
_READS_RAW = ("stats", "impute", "lq", "indices", "shift-share", "detect")


# clusterid's own flags, which scripts and cron lines put after the command too (`clusterid lq
# X -o Y -q`; `--debug`, which an internal error asks to rerun with, at the end of the line):
# click said "lq: No such option: -q", exit 2, and the scheduled job failed
_ROOT_FLAGS = ("-q", "--quiet", "--debug")


def _root_flags_first(argv: list[str]) -> list[str]:
    """``argv`` with clusterid's own flags given after the command (before any ``--``) moved
    in front of it, where the root command reads them."""
    words = list(argv)
    at = next((i for i, w in enumerate(words) if not w.startswith("-")), None)
    if at is None:
        return words
    end = words.index("--", at) if "--" in words[at:] else len(words)
    if not any(words[i] in _ROOT_FLAGS for i in range(at + 1, end)):
        return words
    # an option's value is never one of ours, whatever it looks like: `-o -q` writes a file
    # named -q (click takes the next word as the value), which moving it made "Option '-o'
    # requires an argument"
    takes_value = _value_options(words[at])
    late, i = [], at + 1
    while i < end:
        if words[i] in _ROOT_FLAGS:
            late.append(i)
        elif words[i] in takes_value:
            i += takes_value[words[i]]
        i += 1
    if not late:
        return words
    return [words[i] for i in late] + [w for i, w in enumerate(words) if i not in late]


def _value_options(command: str) -> dict[str, int]:
    """The options of ``command`` that take values, each with how many words follow it (its
    nargs); {} for no such command (click says so)."""
    found = click_group().commands.get(command)  # type: ignore[attr-defined]
    return {name: param.nargs for param in getattr(found, "params", ())
            if param.param_type_name == "option" and not param.is_flag and not param.count
            for name in (*param.opts, *param.secondary_opts)}


def _ingest_option_elsewhere(argv: list[str]) -> str | None:
    """The message for an option of ``clusterid ingest`` given to a command that reads raw
    files on the fly but has no such option (``indices FILE --keep-region-totals``, which the
    one-region note itself suggests; ``stats FILE --encoding cp1251``): click said only "No
    such option", not that ingesting first is the way.  None when there is none."""
    from clusterid.cli.options import INGEST_READ_OPTIONS

    words = list(argv)
    command = next((w for w in words if not w.startswith("-")), None)
    if command not in _READS_RAW:
        return None
    after = words[words.index(command) + 1:]
    if "--" in after:
        after = after[:after.index("--")]
    named = [w.split("=", 1)[0] for w in after if w.startswith("--")]
    candidates = [n for n in dict.fromkeys(named) if n in INGEST_READ_OPTIONS]
    if not candidates:
        return None
    click_command = click_group().commands.get(command)
    own = {o for p in getattr(click_command, "params", []) for o in (*p.opts, *p.secondary_opts)}
    alien = [n for n in candidates if n not in own]
    if not alien:
        return None
    one = len(alien) == 1
    return (f"{' and '.join(alien)} {'is an option' if one else 'are options'} of clusterid "
            f"ingest, not of {command}: run `clusterid ingest INPUT -o TABLE` with "
            f"{'it' if one else 'them'}, then give TABLE to `clusterid {command}`")


def _corrupt_parquet(exc: Exception) -> str | None:
    """The message for a corrupt data page of a Parquet input (its footer read fine, so it was
    opened; polars fails only when a stage reads the page): bad data in a named file, exit 1,
    not an internal error."""
    tables = sys.modules.get("clusterid.io.tables")
    text = str(exc)
    if (tables is None or not tables.OPENED_PARQUET or not text.startswith("parquet:")
            or not type(exc).__module__.startswith("polars")):
        return None
    opened = list(dict.fromkeys(tables.OPENED_PARQUET))
    where = opened[0] if len(opened) == 1 else "one of " + ", ".join(opened)
    return (f"{where}: not a readable Parquet file (corrupt data: "
            f"{text.splitlines()[0].removeprefix('parquet: ')}); write or copy it again")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and map every outcome to a documented exit code."""
    from clusterid.io.atomic import cleanup_temp_files

    _open_closed_streams()
    tables = sys.modules.get("clusterid.io.tables")
    if tables is not None:  # another run in this process (tests): its files are not ours
        tables.OPENED_PARQUET.clear()
    ingest = sys.modules.get("clusterid.io.ingest")
    if ingest is not None:  # ... nor its stdin, archives and checksums
        ingest.forget_stdin()
        ingest.forget_files()
    from clusterid.io.atomic import forget_inputs

    forget_inputs()
    from clusterid.entry import stopping_signals

    for signum in stopping_signals():  # SIGHUP too, unless started under nohup
        signal.signal(signum, _on_signal)
    if argv is None:
        argv = sys.argv[1:]
    argv = _root_flags_first(argv)
    misplaced = _ingest_option_elsewhere(argv)
    if misplaced:
        console.error(misplaced)
        sys.exit(EXIT_USAGE)
    try:
        # not standalone: click's own usage errors come here, to be said in one line as ours
        code = click_group().main(args=argv, prog_name="clusterid", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer._click.exceptions.ClickException as exc:
        cleanup_temp_files()
        if isinstance(exc, typer._click.exceptions.NoArgsIsHelpError):
            exc.show()  # `clusterid` alone: the help, as before
        else:
            console.error(_click_error_line(exc))
        sys.exit(exc.exit_code)
    except typer.Abort:  # end of input at a prompt (none is asked today)
        cleanup_temp_files()
        console.error("aborted")
        sys.exit(EXIT_INTERRUPTED)
    except EndOfData as exc:
        cleanup_temp_files()
        if console.is_debug():
            traceback.print_exception(exc.__cause__)
        console.error(f"internal error: EOFError: {exc.__cause__} (a compressed file cut short?) "
                      "(rerun with --debug for a traceback)")
        sys.exit(EXIT_USAGE)
    except ClusteridError as exc:
        cleanup_temp_files()
        if console.is_debug():
            traceback.print_exc()
        exc = _changed_input() or exc  # a table rewritten mid-read: its rows are no data error
        for line in exc.lines():
            console.error(_shown(line))
        sys.exit(exc.exit_code)
    except Interrupted as exc:
        _interruption_handled()
        cleanup_temp_files()
        console.error("interrupted")
        sys.exit(EXIT_INTERRUPTED if exc.signum == signal.SIGINT else 128 + exc.signum)
    except BrokenPipeError:
        # The reader of our stdout went away (e.g. `| head`): not an error of ours.
        cleanup_temp_files()
        sys.stderr.close()
        sys.exit(0)
    except SystemExit as exc:
        if _pending is not None:  # a Ctrl-C swallowed near the end, before the timer came
            signum = _pending
            _interruption_handled()
            cleanup_temp_files()
            console.error("interrupted")
            sys.exit(EXIT_INTERRUPTED if signum == signal.SIGINT else 128 + signum)
        # Typer turns a broken pipe into a bare exit 1 ("bad data", with no message) when the
        # reader was gone before the first write (`| grep -q`, `| true`): the same case as above.
        context = exc.__context__
        if exc.code == 1 and isinstance(context, OSError) and context.errno == errno.EPIPE:
            cleanup_temp_files()
            sys.exit(0)
        raise
    except MemoryError:
        cleanup_temp_files()
        console.error("out of memory; try a narrower --level or fewer periods")
        sys.exit(EXIT_USAGE)
    except (Exception, *_panics()) as exc:  # noqa: BLE001 - last resort: a bug, reported without a traceback
        cleanup_temp_files()
        if (changed := _changed_input()) is not None:
            # a Parquet input rewritten by another job after its footer was read: polars
            # found its pages "out of specification" (said as a corrupt file, exit 1)
            for line in changed.lines():
                console.error(_shown(line))
            sys.exit(changed.exit_code)
        corrupt = _corrupt_parquet(exc)
        if corrupt:
            console.error(corrupt)
            sys.exit(EXIT_DATA)
        if console.is_debug():
            traceback.print_exc()
        too_long = name_too_long(exc)
        if too_long:
            console.error(too_long)
            sys.exit(EXIT_USAGE)
        full = _no_space(exc)
        if full:
            console.error(full)
            sys.exit(EXIT_USAGE)
        # one line, as every error: polars' messages go on with a blank line and the
        # expression that failed, which left "(rerun with --debug ...)" alone on a last line
        said = next((line for line in str(exc).splitlines() if line.strip()), "")
        console.error(f"internal error: {type(exc).__name__}: {said} (rerun with --debug for a "
                      "traceback)")
        sys.exit(EXIT_USAGE)
    finally:
        forget_inputs()  # the run's tables: not watched by whatever this process does next


def _panics() -> tuple:
    """The class of a panic in polars' Rust code when polars is loaded (pyo3's PanicException,
    a BaseException: it went past the last-resort handler, a Python traceback and exit 1 where
    a corrupt Parquet page made polars panic), else none.  Looked up as the exception is
    handled, so the CLI's start need not import polars."""
    polars = sys.modules.get("polars")
    panic = getattr(getattr(polars, "exceptions", None), "PanicException", None)
    return (panic,) if isinstance(panic, type) else ()


def _changed_input():
    """The InputFileError of an input table that changed since this run opened it, or None
    (:func:`clusterid.io.atomic.check_inputs_unchanged`): the cause of whatever failed after."""
    atomic = sys.modules.get("clusterid.io.atomic")
    if atomic is None:
        return None
    try:
        atomic.check_inputs_unchanged()
    except ClusteridError as exc:
        return exc
    return None


def _no_space(exc) -> str | None:
    """The line for a write that found its disk full where no output writer said so itself:
    stdout redirected to a full disk (``-o - > /full/x.csv``), stdin buffered into a full
    temporary folder.  It was "internal error: OSError: [Errno 28] No space left on device
    (rerun with --debug for a traceback)", a bug of ours to a scheduler's reader."""
    quota = getattr(errno, "EDQUOT", None)
    if not isinstance(exc, OSError) or exc.errno not in (errno.ENOSPC, quota):
        return None
    import tempfile

    where = f"{exc.filename}: " if exc.filename else ""
    why = "the disk quota is exceeded" if exc.errno == quota else "the disk is full"
    return (f"{where}cannot write: {why} (the output, standard output, or the temporary folder "
            f"{tempfile.gettempdir()}, which TMPDIR sets); free some space and run again")


def _click_error_line(exc) -> str:
    """A usage error found while parsing the command line (an unknown option, a value that is
    not a number, a missing input), in one line as every other error: click printed three, the
    usage, 'Try ... for help.' and the error after a blank line.

    >>> from typer._click.exceptions import UsageError
    >>> _click_error_line(UsageError("No such option: --bogus"))
    "No such option: --bogus (see 'clusterid --help')"
    """
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "clusterid"
    message = exc.format_message().strip().rstrip(".")
    where = path.removeprefix("clusterid").strip()
    if "Missing argument" in message and ctx is not None:
        # what the command takes, as click's usage line said it
        message += f"; usage: {ctx.get_usage().removeprefix('Usage: ').strip()}"
    return f"{where + ': ' if where else ''}{message} (see '{path} --help')"


def name_too_long(exc: BaseException) -> str | None:
    """The line for a path the file system refused as too long (ENAMETOOLONG: a file name
    over 255 bytes, which 128 Cyrillic or Kazakh letters make), wherever it was met: an input
    named so, an --outdir, a pipeline file; None for any other error.  It was "internal error:
    OSError: [Errno 36] File name too long"."""
    if not (isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG):
        return None
    return (f"{exc.filename}: the name is too long for the file system (at most 255 bytes a "
            "file or folder name; a Cyrillic or Kazakh letter takes 2); give a shorter name")
