"""``clusterid run``: execute a declarative pipeline, re-running only the stages that changed."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

HELP = """Run a pipeline file (ingest -> lq -> detect -> report), re-running only what changed.

Example: clusterid run data/samples/pipeline.toml --outdir out/demo

A stage runs when its inputs' content (sha256), its options, or the clusterid version changed
since its last successful run, or its output is missing or was modified; otherwise it is
skipped.  State is kept in OUTDIR/.clusterid-run.json, under the pipeline file's name (two
pipelines sharing an outdir keep their own records).  A lock (OUTDIR/.clusterid-run.lock)
keeps two overlapping runs apart: the second waits for the first, or with --no-wait exits 75.
A run that fails keeps the outputs of the stages it finished (and their state); what it created
besides (a lock or state file recording nothing, empty folders) it removes.

A stage's options are its command's, plus clusterid's own quiet = true (or args = ["-q"]) and
debug = true for that stage alone (no change to its output: nothing re-runs for them); the
run's own options (--force, --log-json ...) go on this command line.

Exit codes: 0 success (including nothing to do); 1 a stage found bad input data; 2 the pipeline
file or a stage's options are wrong, a file is missing, or an output cannot be written; 75 the
lock is held by another run (--no-wait, or --lock-wait expired); 130 interrupted (Ctrl-C);
143 stopped by SIGTERM (kill, a scheduler's timeout); 129 hung up (SIGHUP: the terminal or ssh
session closed; not under nohup).  Interrupted, the stage's old output stays.
"""


def run_command(
    ctx: typer.Context,
    pipeline_file: Annotated[str, typer.Argument(metavar="PIPELINE.toml", help="The pipeline file.")],
    outdir: Annotated[
        Optional[str],
        typer.Option("--outdir", help="Folder for the outputs and state (default: [pipeline] outdir, "
                     "relative to the pipeline file)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Run every stage, up to date or not.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan (stage, run/skip, why) on stdout; run nothing. "
                     "The stages' options are checked as a run checks them (exit 2)."),
    ] = False,
    log_json: Annotated[
        bool, typer.Option("--log-json", help="One JSON line per stage on stderr: stage, status "
                           "(run/skipped/failed), seconds, rows, reason, time (UTC); a run "
                           "stopped before its first stage logs one line with stage null."),
    ] = False,
    log_file: Annotated[
        Optional[str], typer.Option("--log-file", help="Append the JSON lines to this file instead."),
    ] = None,
    lock_wait: Annotated[
        Optional[float],
        typer.Option("--lock-wait", metavar="SECONDS",
                     help="Wait at most this long for another run's lock, then exit 75 "
                     "(default: wait as long as it takes)."),
    ] = None,
    no_wait: Annotated[
        bool, typer.Option("--no-wait", help="Exit 75 at once if another run holds the lock."),
    ] = False,
) -> None:
    from clusterid import pipeline as pl
    from clusterid.cli import console
    from clusterid.cli.options import only_one
    from clusterid.errors import ClusteridError, InputFileError, OutputError, UsageError

    if no_wait and lock_wait is not None:
        raise UsageError("--no-wait and --lock-wait contradict each other; give one")
    if outdir is not None and not outdir.strip():
        raise UsageError("--outdir '': an empty path (an unset shell variable?); give a folder, "
                         "or leave the option out for [pipeline] outdir")
    if log_file is not None and not log_file.strip():
        raise UsageError("--log-file '': an empty path (an unset shell variable?); give a file name")
    if lock_wait is not None and not lock_wait >= 0:  # nan too
        raise UsageError(f"--lock-wait must be >= 0 seconds, got {lock_wait:g}")
    logged: list = []  # the stages a line was logged for

    def emit(event: dict) -> None:
        # when the line was written (UTC): a log appended to by a daily cron job told no run
        # from another
        event = {**event, "time": _utc_now()}
        logged.append(event.get("stage"))
        line = json.dumps(event, sort_keys=True)
        if log_file:
            try:
                with open(log_file, "a", encoding="utf-8") as fh:
                    fh.write(line + "\n")
            except OSError as exc:  # was "internal error: OSError: [Errno 28] ..."
                import errno

                from clusterid.errors import OutputError

                why = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
                done = {"run": "was run and recorded", "skipped": "was up to date",
                        "failed": "failed"}.get(event.get("status"), "was planned")
                raise OutputError(f"--log-file {log_file}: cannot append the log: {why} "
                                  f"(stage {event.get('stage')!r} {done})") from exc
        elif log_json:
            # a reader of stderr gone (`2>&1 | head -1`, a log collector restarted) loses the
            # line, never the run: the BrokenPipeError stopped the pipeline after its first
            # stage, and was taken for stdout's reader gone: exit 0, later stages never run
            console.machine_line(line)

    refused_log: list = []  # a --log-file that is a file of the run: nothing is appended to it

    def refuse_log(what: str | None) -> None:
        # `--log-file pipeline.toml` appended the run's JSON lines to the pipeline file (the
        # next run: not valid TOML), `--log-file data/raw.csv` to an input, which the next run
        # read as changed data, a line a day
        if what:
            refused_log.append(what)
            raise UsageError(f"--log-file {log_file}: is {what}; the log would be appended to "
                             "it; give the log a file of its own")

    try:
        pipeline_file = only_one([pipeline_file, *ctx.args], "PIPELINE.toml", "run")
        if log_file:
            refuse_log(pl.log_file_clash(log_file, pipeline_file))
        pipe = pl.load_pipeline(pipeline_file, outdir)
        if log_file:
            refuse_log(pl.log_file_clash(log_file, pipeline_file, pipe))
        if dry_run:
            # what the run would refuse before its first stage (a misspelt option): a CI job
            # checking a pipeline edit with --dry-run got exit 0 and a plan
            _check_stage_options(pipe)
            decisions = pl.plan(pipe, force=force)
            # and what it would refuse next, before its lock: a misspelt input or reference
            # file (exit 2, 'input nope.csv: no such file'), an outdir that is a file; the dry
            # run said 'run lq never run', exit 0, and the scheduled run failed
            if any(d.run for d in decisions) and (missing := pl.missing_sources(pipe)):
                raise InputFileError(problems=missing)
            pl.check_outdir(pipe)
            width = max(len(s.name) for s in pipe.stages)
            # on a terminal a stage's name or a file's (a glob's match) is shown escaped, never
            # acted on (an ESC sequence clearing the screen, a carriage return)
            import sys

            shown = console.printable if sys.stdout.isatty() else str
            for d in decisions:
                verb = "run" if d.run else "skip"
                typer.echo(shown(f"{verb:<5}{d.stage.name:<{width + 2}}{d.reason}"))
                typer.echo(shown(f"     {'':<{width + 2}}{_shown_command(d.stage)}"))
                if log_json or log_file:
                    emit({"stage": d.stage.name, "command": d.stage.command, "status":
                          "would-run" if d.run else "skipped", "reason": d.reason, "dry_run": True})
            return

        work = force or any(d.run for d in pl.plan(pipe))
        if work:
            _check_stage_options(pipe)  # a typo in the last stage should not cost a long first one
            missing = pl.missing_sources(pipe)
            if missing:  # before the lock and outdir: such a run creates nothing
                raise InputFileError(problems=missing)
        if log_file:
            _check_log_file(log_file)
        before = pl.footprint(pipe)
        try:
            lock = pl.acquire_lock(
                pipe, 0 if no_wait else lock_wait,
                on_wait=lambda: console.info(f"waiting for another clusterid run to finish with {pipe.outdir} ..."))
        except OutputError as exc:
            if work or not _read_only(exc):
                raise
            # an up-to-date outdir that cannot be written (a read-only snapshot or share): the
            # lock keeps writers apart, and this run writes nothing; it failed with exit 2
            lock = None
        running: list[str] = []  # the stage under way, for the line an interruption leaves

        def execute(stage) -> None:
            running[:] = [stage.name]
            _execute_in_process(stage)
            running.clear()

        try:
            events = pl.run_pipeline(pipe, execute, force=force, log=emit)
        except BaseException as exc:
            # a failed first run leaves no folder holding only a lock file (or a state of nothing)
            pl.remove_debris(pipe, before)
            if running and isinstance(exc, (KeyboardInterrupt, console_interrupt())):
                # "interrupted" alone told a scheduler's mail nothing of where the run stood
                console.error(f"run: stopped during stage {running[0]!r}; the stages finished before it "
                              "are kept, and the next run goes on from it")
            raise
        finally:
            if lock is not None:
                lock.release()
        ran = [e["stage"] for e in events if e["status"] == "run"]
        total = sum(e["seconds"] for e in events)
        if ran:
            console.info(f"ran {', '.join(ran)} in {total:.1f} s; outputs in {pipe.outdir}")
        else:
            console.info(f"nothing to do: every stage is up to date ({pipe.outdir})")
    except ClusteridError as exc:
        # a run stopped before its first stage (a missing input, a broken pipeline file, a
        # misspelt option, the lock held: exit 75) logged nothing, so a scheduled job's log
        # showed no trace of the day it did not run
        if not logged and not refused_log and (log_json or log_file):
            _log_stopped_run(exc, log_json, log_file)
        raise


def _utc_now() -> str:
    """The time for a log line, UTC to the second (``2026-11-30T06:15:02Z``)."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _log_stopped_run(exc, log_json: bool, log_file: str | None) -> None:
    """One JSON line for a run stopped before any stage: ``stage`` null, ``status`` failed
    (locked for exit 75), the exit code and the error's first line as ``reason``.  A log file
    that cannot be written (the error may be that very problem) is left alone: the error is on
    stderr."""
    from clusterid.pipeline import EXIT_LOCKED

    lines = exc.lines()
    # another run holding the lock is no failure (the README's cron line lets 75 pass): a
    # monitor counting 'failed' lines would page someone for an overlap
    status = "locked" if exc.exit_code == EXIT_LOCKED else "failed"
    event = {"stage": None, "command": "run", "status": status, "exit_code": exc.exit_code,
             "reason": lines[0] if lines else str(exc), "time": _utc_now()}
    if len(lines) > 1:
        event["problems"] = len(exc.problems) or len(lines)
    line = json.dumps(event, sort_keys=True)
    if log_file:
        try:
            from pathlib import Path

            Path(log_file).parent.mkdir(parents=True, exist_ok=True)
            with open(log_file, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        except OSError:
            pass
    else:
        from clusterid.cli import console

        console.machine_line(line)


def _read_only(exc: BaseException) -> bool:
    """Whether the lock could not be made because the folder cannot be written."""
    import errno

    cause = exc.__cause__
    return isinstance(cause, OSError) and cause.errno in (errno.EROFS, errno.EACCES, errno.EPERM)


def console_interrupt() -> type:
    """The exception the CLI's signal handler raises (SIGINT, SIGTERM)."""
    from clusterid.cli.app import Interrupted

    return Interrupted


def _check_log_file(log_file: str) -> None:
    """Make sure the JSON log can be appended to before any stage runs (its folder is created,
    as a cron line's `--log-file logs/run.jsonl` expects); else exit 2 with the reason: a log
    that fails after the first stage would stop the run half way with an internal error."""
    from pathlib import Path

    from clusterid.errors import OutputError

    try:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        with open(log_file, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise OutputError(f"--log-file {log_file}: cannot write the log there: "
                          f"{exc.strerror or exc}; nothing was run") from exc


def _check_stage_options(pipe) -> None:
    """Parse every stage's command line (without running it); all problems at once, exit 2."""
    from clusterid.cli.app import click_group
    from clusterid.errors import Problem, UsageError

    group = click_group()
    # each stage's command parsed as a child of clusterid's own context, as a run invokes it:
    # made without a parent it took click's default help option alone (--help), which click
    # then keeps on the command object, so an `lq --help` later in the same process (a test
    # after a pipeline's check) printed "--help" where the command line says "-h, --help"
    root = group.make_context("clusterid", [], resilient_parsing=True)
    problems = []
    for stage in pipe.stages:
        command = group.commands.get(stage.command)  # type: ignore[attr-defined]
        if command is None:
            problems.append(Problem(f"stage {stage.name!r}: clusterid has no command {stage.command!r}",
                                    path=str(pipe.path), line=stage.line))
            continue
        in_args = bool({"--help", "-h"} & set(stage.args))
        if in_args or {"help", "h"} & {str(key) for key in stage.options}:
            # parsed, it printed the help on stdout and was refused as "stage 'report': 0"
            # (args = ["--help"] too)
            problems.append(Problem(f"stage {stage.name!r}: --help asks for the command's help, "
                                    "which a pipeline stage cannot show; remove it from the "
                                    + ("args" if in_args else "options"), path=str(pipe.path),
                                    line=stage.key_lines.get("args", stage.line) if in_args
                                    else _line_of(stage, "--help --h")))
            continue
        argv = stage.argv()[1:]
        try:
            ctx = command.make_context(stage.command, argv, parent=root, resilient_parsing=False)
            ctx.close()
        except Exception as exc:  # noqa: BLE001 - typer's parse errors (vendored click)
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            if "does not exist" in message:
                continue  # an input an earlier stage has yet to write: the run will tell
            problems.append(Problem(f"stage {stage.name!r}: {message}", path=str(pipe.path),
                                    line=_line_of(stage, message)))
            continue
        for why in _single_value_problems(stage, command):
            problems.append(Problem(f"stage {stage.name!r}: {why}", path=str(pipe.path),
                                    line=stage.option_lines.get(why.split(" ")[1], stage.line)))
        why = _output_name_problem(stage)
        if why:
            problems.append(Problem(f"stage {stage.name!r}: {why}", path=str(pipe.path),
                                    line=_line_of(stage, why, "output")))
        for why in _option_value_problems(stage):
            problems.append(Problem(f"stage {stage.name!r}: {why}", path=str(pipe.path),
                                    line=_line_of(stage, why)))
        why = _input_stage_problem(stage, {s.output: s for s in pipe.stages})
        if why:
            problems.append(Problem(f"stage {stage.name!r}: {why}", path=str(pipe.path),
                                    line=stage.key_lines.get("inputs", stage.line)))
    if problems:
        raise UsageError(problems=problems)


def _line_of(stage, message: str, key: str | None = None) -> int | None:
    """The pipeline file's line a message about ``stage`` points at: that of the first option
    it names (``--threshold``, ``--help``), else of the stage's ``key``, else the stage's
    [[stage]] line."""
    import re

    for flag in re.findall(r"(?<![\w-])--?([A-Za-z0-9][\w-]*)", message):
        for name in (flag, flag.replace("-", "_"), flag.replace("_", "-")):
            if name in stage.option_lines:
                return stage.option_lines[name]
    return stage.key_lines.get(key, stage.line) if key else stage.line


def _input_stage_problem(stage, by_output) -> str | None:
    """An input that is an earlier stage's output the command cannot read (report given
    `@ingest`, detect given `@lq`): said before any stage runs, not after the earlier ones."""
    readers = {"report": ("detect",)}
    canonical = ("ingest", "impute")
    for command in ("stats", "impute", "lq", "indices", "shift-share", "detect"):
        readers[command] = canonical
    wanted = readers.get(stage.command)
    for p in stage.inputs:
        source = by_output.get(p)
        if wanted and source is not None and source.command not in wanted:
            what = ("the output folder of a detect stage" if stage.command == "report"
                    else "a canonical table (an ingest or impute stage) or raw files")
            return (f"input '@{source.name}' is the output of `clusterid {source.command}`; "
                    f"{stage.command} reads {what}")
    return None


def _single_value_problems(stage, command) -> list[str]:
    """A list given to an option that takes one value (``threshold = [1.25, 1.5]``): the list
    repeats the flag, and the command kept the last value without a word, so the stage ran
    with 1.5 alone.  Options that take several (``period``, ``ownership``, ``measure`` ...)
    are left alone."""
    params = {o: p for p in command.params if p.param_type_name == "option"
              for o in (*p.opts, *p.secondary_opts)}
    problems = []
    for key, value in stage.options.items():
        if not isinstance(value, list) or len(value) < 2:
            continue
        param = params.get("--" + str(key).replace("_", "-"))
        if param is None or param.multiple or param.is_flag or param.nargs != 1:
            continue
        shown = ", ".join(_toml_value(v) for v in value)
        problems.append(f"option {key} = [{shown}]: {param.opts[0]} takes one value (expected "
                        f"one value, found {len(value)}; the command would keep the last "
                        "alone): give one, or one stage per value")
    return problems


def _toml_value(value) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value).lower() \
        if isinstance(value, bool) else str(value)


def _option_value_problems(stage) -> list[str]:
    """Option values from a fixed list (detect's rule, --suppressed, lq's --denominator ...)
    that the command would refuse: the command's own words, said before any stage runs -- a
    misspelt rule of the last stage was found only after the earlier stages had run."""
    from clusterid.cli.options import keyword
    from clusterid.errors import ClusteridError

    def choices(module: str, name: str):
        import importlib

        return getattr(importlib.import_module(module), name)

    def one_of(allowed, aliases=None):
        def check(flag, value):
            # in any case, as the commands take them (--denominator TOTAL, --format MD)
            word = keyword(value)
            if (aliases or {}).get(word, word) not in allowed:
                return f"{flag} {value!r}; expected one of {', '.join(allowed)}"
            return None
        return check

    def via(module: str, name: str):
        def check(flag, value):
            try:
                choices(module, name)(value)
            except ClusteridError as exc:
                return " ".join(exc.lines()) or str(exc)
            return None
        return check

    def suppressed(f, v):
        return one_of(choices("clusterid.core.impute", "SUPPRESSED_MODES"))(f, v)
    checks = {
        "lq": {"denominator": lambda f, v: one_of(choices("clusterid.core.lq", "DENOMINATORS"))(f, v),
               "correction": lambda f, v: one_of(choices("clusterid.core.lq", "CORRECTIONS"))(f, v),
               "suppressed": suppressed},
        "detect": {"rule": lambda f, v: via("clusterid.core.strength", "parse_rule")(f, keyword(v)),
                   "suppressed": suppressed,
                   "signals": via("clusterid.core.relatedness", "parse_signals"),
                   "method": lambda f, v: one_of(choices("clusterid.core.grouping", "METHODS"))(f, v),
                   "lq_denominator": lambda f, v: one_of(choices("clusterid.core.strength",
                                                                 "DENOMINATORS"))(f, v)},
        "impute": {"method": lambda f, v: one_of(choices("clusterid.cli.impute", "METHOD_CHOICES"))(f, v)},
        "indices": {"by": lambda f, v: one_of(choices("clusterid.cli.indices", "BY"))(f, v)},
        "shift-share": {"by": lambda f, v: one_of(choices("clusterid.cli.shiftshare", "BY"))(f, v)},
        "stats": {"by": lambda f, v: one_of(choices("clusterid.core.describe", "BY_CHOICES"))(f, v),
                  "output_format": lambda f, v: one_of(choices("clusterid.cli.stats", "FORMATS"))(f, v)},
        "ingest": {"format": lambda f, v: one_of(choices("clusterid.io.ingest", "FORMATS"))(f, v),
                   "on_error": lambda f, v: one_of(choices("clusterid.cli.ingest", "ON_ERROR"))(f, v),
                   "layout": lambda f, v: one_of(choices("clusterid.cli.ingest", "LAYOUTS"))(f, v)},
        "report": {"format": lambda f, v: one_of(choices("clusterid.cli.report", "FORMATS"),
                                                 choices("clusterid.cli.report", "FORMAT_NAMES"))(f, v)},
    }.get(stage.command, {})
    out = []
    given = {str(k).replace("-", "_"): v for k, v in stage.options.items() if v not in (None, False)}
    if stage.command == "detect" and "definitions" in given and "compare" not in given:
        # detect refuses these with --definitions (they choose how the data are grouped)
        from clusterid.cli.detect import GROUPING_ONLY

        for key in (*GROUPING_ONLY, "region_level"):
            if key in given and not (key == "region_level" and given[key] == "auto"):
                out.append(f"{key} applies to grouping industries from the data; with "
                           "definitions the clusters are the definitions' own")
    for key, value in stage.options.items():
        check = checks.get(str(key).replace("-", "_"))
        if check is None or not isinstance(value, str):
            continue
        why = check("--" + str(key).replace("_", "-"), value)
        if why:
            out.append(why)
    return out


_TABLE_COMMANDS = ("ingest", "impute", "lq", "indices", "shift-share")
_REPORT_SUFFIXES = (".html", ".htm", ".md", ".markdown", ".json")


def _output_name_problem(stage) -> str | None:
    """Why the stage's command would refuse to write its ``output`` (an extension it cannot
    write, such as indices.json), found before any stage runs -- else a run stopped there after
    the earlier stages had run; None when the name is fine."""
    from pathlib import Path

    from clusterid.errors import ClusteridError
    from clusterid.io import tables

    def option(name):
        return stage.options.get(name, stage.options.get(name.replace("_", "-")))

    suffix = Path(stage.output).suffix.lower()
    if stage.command in _TABLE_COMMANDS:
        try:
            # the outdir's own writability is the lock's to say, once for the run
            tables.output_format(str(stage.output), option("output_format") or "auto",
                                 writable=False)
        except ClusteridError as exc:
            return " ".join(exc.lines()) or str(exc)
    elif stage.command == "stats" and (option("output_format") or "auto") in ("auto", "table"):
        if suffix not in (".csv", ".txt", ".json"):
            return (f"output {Path(stage.output).name!r}: stats writes .csv or .json; or give "
                    "output_format = \"csv\" or \"json\"")
    elif stage.command == "report" and option("format") is None and suffix not in _REPORT_SUFFIXES:
        return (f"output {Path(stage.output).name!r}: a report is .html, .md or .json; or give "
                "format = \"html\", \"md\" or \"json\"")
    return None


def _shell_join(argv: list[str]) -> str:
    import shlex

    return " ".join(shlex.quote(a) for a in argv)


def _working_folder():
    """The folder the run was started from (resolved), or None if it is gone."""
    import os
    from pathlib import Path

    try:
        return Path(os.getcwd()).resolve()
    except OSError:
        return None


def _shown_command(stage) -> str:
    """The command a stage runs, as a shell line that does the same from the working folder:
    ``(cd FOLDER && clusterid ...)`` when the stage runs in another folder (the pipeline file's)."""
    line = "clusterid " + _shell_join(stage.argv(relative_to=stage.base))
    here = _working_folder()
    if stage.base is None or stage.base == here:
        return line
    folder = str(stage.base)
    if here is not None:
        try:
            folder = stage.base.relative_to(here).as_posix()
        except ValueError:
            pass
    return f"(cd {_shell_join([folder])} && {line})"


def _execute_in_process(stage) -> None:
    """Run one stage through the same Typer app as the command line, in this process, in the
    pipeline file's folder: the paths the command records in its outputs (its inputs') are
    relative to that folder, not to wherever the run was started."""
    import os

    from clusterid.cli import console
    from clusterid.cli.app import click_group
    from clusterid.errors import ClusteridError
    from clusterid.io.atomic import forget_inputs
    from clusterid.pipeline import StageFailed

    forget_inputs()  # each stage a command of its own: the tables it reads are its own to watch

    argv = []
    outer = console.is_quiet(), console.is_debug()
    # the run's flags, or the stage's own (options = { quiet = true }: this stage alone)
    if outer[0] or stage.quiet:
        argv.append("--quiet")
    if outer[1] or stage.debug:
        argv.append("--debug")
    argv += stage.argv(relative_to=stage.base)
    console.info(f"[{stage.name}] {_shown_command(stage)}")
    here = _working_folder()
    if stage.base is not None:
        try:
            os.chdir(stage.base)
        except OSError as exc:
            raise StageFailed(stage.name, 2, [f"{stage.base}: cannot run the stage in the "
                                              f"pipeline file's folder: {exc.strerror or exc}"]) from exc
    # the stage's messages name paths relative to its folder: the last line says which
    folder = stage.base if stage.base is not None and stage.base != here else None
    try:
        code = click_group().main(args=argv, prog_name="clusterid", standalone_mode=False)
    except ClusteridError as exc:
        raise StageFailed(stage.name, exc.exit_code, exc.lines(), folder) from exc
    except Exception as exc:  # noqa: BLE001 - typer's usage errors and bugs alike end the stage
        exit_code = getattr(exc, "exit_code", None)
        if isinstance(exit_code, int) and hasattr(exc, "format_message"):
            raise StageFailed(stage.name, exit_code, [exc.format_message()], folder) from exc
        if console.is_debug():
            raise
        from clusterid.cli.app import name_too_long

        raise StageFailed(stage.name, 2, [name_too_long(exc) or
                                          f"internal error: {type(exc).__name__}: {exc}"],
                          folder) from exc
    finally:
        if here is not None and stage.base is not None:
            try:
                os.chdir(here)  # a relative --log-file names a file in the user's folder
            except OSError:
                pass  # the folder was removed meanwhile: stay where the stage ran
        # The root callback of the nested call reset these; keep the outer run's choice (not
        # the stage's: a quiet stage leaves the next one as the run was started)
        console.set_quiet(outer[0])
        console.set_debug(outer[1])
    if isinstance(code, int) and code != 0:
        raise StageFailed(stage.name, code, [])


def register(app: typer.Typer) -> None:
    # extra arguments reach the command, which names them in one line (options.only_one)
    app.command("run", help=HELP, context_settings={"allow_extra_args": True})(run_command)
