"""Declarative pipelines: run clusterid's stages from a TOML file, re-running only what changed.

A pipeline file lists stages in order; each names a clusterid command, its inputs, its output and
its options (mapped one-to-one onto the command's CLI options)::

    [pipeline]
    outdir = "out"                      # relative to this file; `run --outdir DIR` overrides

    [[stage]]
    name = "ingest"                     # unique; `command` defaults to the name
    inputs = ["raw/qcew_2016.csv.gz"]   # relative to this file
    output = "canonical.parquet"        # relative to outdir
    options = { format = "qcew" }       # -> --format qcew

    [[stage]]
    name = "lq"
    inputs = ["@ingest"]                # @name = the output of an earlier stage
    output = "lq.parquet"
    options = { measure = "employment", threshold = 1.25 }

Options: ``key = value`` becomes ``--key value`` (underscores become dashes), ``true`` becomes the
bare flag ``--key``, ``false`` leaves the flag off, a list repeats the option.  ``args = [...]``
appends raw arguments.  Options that name a file the stage reads (``benchmark`` of lq, indices
and shift-share; ``definitions``, ``io``, ``crosswalk``, ``similarity`` of detect) are relative
to the pipeline file like ``inputs`` (or ``@stage``) and hashed like them; ingest's ``rejects``
is relative to outdir.  An input may be a quoted glob (``raw/*.csv``).  A path starting with
``~`` starts in the home folder, as in a shell.

Each stage runs in the pipeline file's folder, with the paths inside it relative to it: the
commands record their input paths in their outputs, and a run started from another folder (cron
starts in $HOME) must write the same bytes as one started by hand.

Up to date
----------
A stage is skipped when its last successful run (recorded in ``<outdir>/.clusterid-run.json``,
under the pipeline file's name, so pipelines sharing an outdir keep their own records)
had the same command line, the same clusterid version, inputs with the same content (sha256) and
its outputs are still there, unmodified (sha256; a folder output hashes every file in it).  Stages
run in file order; a stage downstream of one that re-ran is checked again after it, so when an
upstream output comes out byte-identical the downstream stage is still skipped.

This module reads and hashes files and keeps the state; it does not know how a stage is executed
(the caller passes an ``execute`` function) and it never imports polars, so that a run where
nothing changed costs a Python start-up and a few hashes.
"""

from __future__ import annotations

import hashlib
import contextlib
import json
import math
import os
import re
import signal
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from clusterid import __version__
from clusterid.errors import ClusteridError, InputFileError, OutputError, Problem, UsageError
from clusterid.io.ingest import (  # stdlib-only module: the no-op run stays light
    REJECTS_SUFFIX, glob_files, pattern_parts, sha256_of)

STATE_NAME = ".clusterid-run.json"
LOCK_NAME = ".clusterid-run.lock"
STATE_VERSION = 2  # 2: paths relative to outdir
EXIT_LOCKED = 75  # sysexits EX_TEMPFAIL: "try again later" — what cron wrappers expect
COMMANDS = ("ingest", "stats", "impute", "lq", "indices", "shift-share", "detect", "report")
_STAGE_KEYS = {"name", "command", "inputs", "output", "options", "args"}
# clusterid's own flags that make sense for one stage (a chatty stage silenced, one stage's
# traceback): taken out of the stage's options and args, and given around its command
_STAGE_FLAGS = {"quiet": "quiet", "q": "quiet", "debug": "debug"}
# `clusterid run`'s own options: of the run, never of a stage's command
_RUN_OPTIONS = {"force": "--force", "dry_run": "--dry-run", "log_json": "--log-json",
                "log_file": "--log-file FILE", "lock_wait": "--lock-wait SECONDS",
                "no_wait": "--no-wait", "outdir": "--outdir DIR"}


def _flag_key(key) -> str:
    """An option's name as the flag tables spell it: ``-q``, ``--dry-run``, ``Quiet`` -> q,
    dry_run, quiet."""
    return str(key).strip().lstrip("-").split("=", 1)[0].replace("-", "_").lower()
# Options whose value names a file the stage reads: resolved like `inputs` (relative to the
# pipeline file, `@stage` allowed) and hashed like them, so the run neither depends on the
# working directory nor misses an edited reference table.  Values that are keywords stay as given.
def _benchmark_keyword(v: str) -> bool:
    """``sum``, ``rest`` or ``region:ID`` in any case, as the commands take them (``Sum``):
    a keyword, no file to look for."""
    word = v.strip().lower()
    return word in ("sum", "rest") or word.startswith("region:")


_FILE_OPTIONS: dict[str, dict[str, Callable[[str], bool]]] = {
    "lq": {"benchmark": _benchmark_keyword},
    "indices": {"benchmark": _benchmark_keyword},
    "shift-share": {"benchmark": _benchmark_keyword},
    "detect": {"io": lambda v: False, "crosswalk": lambda v: False, "similarity": lambda v: False,
               "definitions": lambda v: v == "uscmp" or v.startswith("uscmp:")},
}
# Options whose value names a file the stage writes beside its output: relative to outdir.
_OUTPUT_OPTIONS = {"ingest": ("rejects",)}


class LockBusyError(ClusteridError):
    """Another run holds the pipeline's lock and we were told not to wait (exit 75)."""

    exit_code = EXIT_LOCKED


class StageFailed(ClusteridError):
    """A stage's command failed; carries the command's own exit code and messages."""

    def __init__(self, stage: str, exit_code: int, lines: list[str], folder: Path | None = None):
        self.exit_code = exit_code
        self.stage = stage
        # the folder the stage ran in when it is not the one the run was started from: the
        # paths in the stage's messages are relative to it (cron starts in $HOME)
        self.folder = folder
        super().__init__(f"stage {stage!r} failed (exit {exit_code})")
        self._lines = lines

    def lines(self, limit: int = 20) -> list[str]:
        where = (f" in {self.folder} (the pipeline file's folder, where the relative paths above "
                 "start)" if self.folder is not None and self._lines else "")
        return [*self._lines[:limit], f"stage {self.stage!r} failed (exit {self.exit_code}){where}; "
                "later stages were not run, earlier ones are kept"]


@dataclass
class Stage:
    name: str
    command: str
    inputs: list[Path]
    output: Path
    options: dict[str, Any]
    args: list[str]
    depends_on: list[str] = field(default_factory=list)
    outdir: Path | None = None
    option_files: list[Path] = field(default_factory=list)
    # the pipeline file's folder: the stage runs there, so the input paths its command records
    # in its outputs are the same whatever folder `clusterid run` was started from
    base: Path | None = None
    # an absolute outdir named on the command line (--outdir /srv/out): its files are given
    # (and recorded) as such; a relative one (make demo's out/demo), like the pipeline file's,
    # as ../ paths from the pipeline's folder
    outdir_given: bool = False
    # where the stage is in the pipeline file: its [[stage]] line, and the line of each of its
    # options, for the messages that refuse them (file:line, as every data error is located)
    line: int | None = None
    option_lines: dict[str, int] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)  # the stage's own keys (output ...)
    # clusterid's --quiet / --debug for this stage alone (options = { quiet = true }): given
    # around its command, never part of its command line (nor of what the state compares:
    # silencing a stage does not change its output)
    quiet: bool = False
    debug: bool = False
    # the inputs and option files the pipeline file names by an absolute path (/data/qcew/*.csv,
    # ~/data/x.csv), resolved -> as written: the command records them as written, not as
    # ../../../../data/qcew/... from the pipeline's folder, whose depth then changed the
    # outputs' bytes (and the report's source paths) wherever the project was put
    absolute: dict[Path, str] = field(default_factory=dict)

    @property
    def tracked_inputs(self) -> list[Path]:
        """Every file the stage reads: its inputs, then the files its options name."""
        return [*self.inputs, *(p for p in self.option_files if p not in self.inputs)]

    def state_argv(self) -> list[str]:
        """The command line as the state records it: paths relative to outdir (``../`` allowed),
        so a project folder that moves as a whole (pipeline, data, outputs) stays up to date."""
        return self.argv(portable=True)

    def input_key(self, p: Path) -> str:
        return os.path.relpath(p, self.outdir).replace(os.sep, "/") if self.outdir else str(p)

    def argv(self, relative_to: Path | None = None, portable: bool = False) -> list[str]:
        """The command line this stage runs (without the program name).

        Paths are absolute; with ``relative_to``, relative to that folder (the commands record
        their input paths in their outputs' metadata, and ``data/x.csv`` reads better there than
        a machine's absolute path; a stage runs with ``base``), with ``../`` for a path outside
        it that the pipeline file names (an outdir beside the pipeline's folder:
        ``../../out/demo/canonical.parquet``, so two copies of a project write the same bytes;
        an absolute ``--outdir`` given on the command line stays absolute); with ``portable``, relative
        to outdir (what the state compares).  Both are resolved paths, so the ``../`` steps are
        the real parents.
        """

        def show(p: Path) -> str:
            if portable:
                return self.input_key(p)
            if relative_to is not None and p in self.absolute:
                return self.absolute[p]
            if relative_to is not None:
                try:
                    return p.relative_to(relative_to).as_posix()
                except ValueError:
                    given = self.outdir_given and self.outdir is not None and (
                        p == self.outdir or self.outdir in p.parents)
                    if (not given and p.is_absolute() and relative_to.is_absolute()
                            and p.anchor == relative_to.anchor):
                        return Path(os.path.relpath(p, relative_to)).as_posix()
            return str(p)

        out = [self.command, *[show(p) for p in self.inputs], "-o", show(self.output)]
        for key, value in self.options.items():
            flag = "--" + key.replace("_", "-")
            values = value if isinstance(value, list) else [value]
            for item in values:
                if item is True:
                    out.append(flag)
                elif item is False or item is None:
                    continue
                elif isinstance(item, Path):
                    out.extend([flag, show(item)])
                else:
                    out.extend([flag, _scalar(item)])
        out.extend(self.args)
        return out


@dataclass
class Pipeline:
    path: Path
    outdir: Path
    stages: list[Stage]

    @property
    def state_path(self) -> Path:
        return self.outdir / STATE_NAME

    @property
    def lock_path(self) -> Path:
        return self.outdir / LOCK_NAME


@dataclass
class Decision:
    stage: Stage
    run: bool
    reason: str


def _scalar(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------

def _home(path_text: str) -> str:
    """A path of the pipeline file with a leading ``~`` (``~user``) read as the home folder, as
    a shell reads it: ``outdir = "~/reports/clusters"`` in a file run by cron made a folder
    named ``~`` beside the pipeline file (one ``rm -rf ~`` away from the user's home), and an
    input ``~/data/qcew.csv`` was 'no such file'.  A name no home stands for stays as it is."""
    return os.path.expanduser(path_text) if path_text.startswith("~") else path_text


def load_pipeline(path: str | os.PathLike, outdir: str | os.PathLike | None = None) -> Pipeline:
    """Parse and validate a pipeline file; every problem is reported at once (UsageError)."""
    pfile = Path(path)
    if not pfile.exists() and str(path) == "-":  # was '-: no such file'
        raise InputFileError("-: a pipeline is not read from standard input (expected the "
                             "pipeline file's name: its relative paths start at its folder)")
    if not pfile.exists():
        raise InputFileError(f"{path}: no such file")
    if pfile.is_dir():
        raise InputFileError(f"{path}: is a folder, expected a pipeline .toml file")
    try:
        # utf-8-sig: a byte-order mark (Windows Notepad) was "Invalid statement (line 1, column 1)"
        text = pfile.read_text(encoding="utf-8-sig")
        doc = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except RecursionError as exc:
        # arrays or tables nested thousands deep (a generated or damaged file): tomllib's
        # recursion ran out, "internal error: RecursionError: maximum recursion depth exceeded"
        raise UsageError(problems=[Problem("not valid TOML: values nested too deeply", path=str(path),
                                           expected="a pipeline file ([pipeline], [[stage]] tables)",
                                           found="arrays or tables nested beyond Python's limit")]) from exc
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        raise UsageError(problems=[Problem(f"not valid TOML: {exc}", path=str(path),
                                           line=int(at.group(1)) if at else None)]) from exc
    base = pfile.resolve().parent
    problems: list[Problem] = []
    lines = text.splitlines()
    head_block, stage_blocks = _toml_blocks(lines)
    block = head_block  # the table the problems found now are in

    def bad(message: str, key: str | None = None, **kw) -> None:
        """A problem, at the line of ``key`` in the current table, else of the table's header."""
        if "line" not in kw and block is not None:
            kw["line"] = (_key_line(lines, block, key) if key else None) or block[0]
        problems.append(Problem(message, path=str(path), **kw))

    head = doc.get("pipeline", {})
    if not isinstance(head, dict):
        bad("[pipeline] must be a table", line=_top_key_line(lines, "pipeline"))
        head = {}
    unknown_top = sorted(set(doc) - {"pipeline", "stage"})
    if unknown_top:
        bad("unknown top-level keys", line=_top_key_line(lines, unknown_top[0]),
            expected="[pipeline] and [[stage]]", found=", ".join(unknown_top))
    # [pipeline] holds outdir only: a misspelt `outdri = "results"` wrote to ./out, silently
    unknown_head = sorted(set(head) - {"outdir"})
    for key in [k for k in unknown_head if _flag_key(k) in {*_STAGE_FLAGS, *_RUN_OPTIONS}]:
        # clusterid's or the run's own flags: said where they go, not as an unknown key
        flag = _STAGE_FLAGS.get(_flag_key(key))
        bad(f"[pipeline]: {key} is a flag of the run, not a key of the pipeline file", key=key,
            hint=(f"give it on the command line (clusterid --{flag} run PIPELINE.toml), or for "
                  f"one stage in its options ({{ {flag} = true }})" if flag else
                  f"give it on the command line (clusterid run PIPELINE.toml {_RUN_OPTIONS[_flag_key(key)]})"))
        unknown_head.remove(key)
    if unknown_head:
        bad("[pipeline]: unknown keys", key=unknown_head[0], expected="outdir",
            found=", ".join(unknown_head))
    head_outdir = head.get("outdir", "out")
    if not isinstance(head_outdir, str) or not head_outdir.strip() or _has_control(head_outdir):
        bad("[pipeline]: 'outdir' is not a folder path", key="outdir", expected="a path such as \"out\"",
            found=repr(head_outdir))
        head_outdir = "out"
    if outdir is not None:
        out_root = Path(outdir).resolve()
    else:
        out_root = (base / _home(head_outdir)).resolve()

    raw_stages = doc.get("stage", [])
    if not isinstance(raw_stages, list) or not raw_stages:
        bad("no stages", line=_top_key_line(lines, "stage"), expected="at least one [[stage]] table")
        raise UsageError(problems=problems)

    stages: list[Stage] = []
    by_name: dict[str, Stage] = {}
    by_output: dict[Path, str] = {}
    by_written: dict[Path, str] = {}  # every file a stage writes: its output, a CSV's sidecar ...
    if len(stage_blocks) != len(raw_stages):  # stages written another way (stage = [{...}])
        stage_blocks = [None] * len(raw_stages)
    for number, raw in enumerate(raw_stages, start=1):
        label = f"stage {number}"
        block = stage_blocks[number - 1]
        if not isinstance(raw, dict):
            bad(f"{label}: must be a table")
            continue
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            # `name = 5` is there, of the wrong type: not said to be missing
            bad(f"{label}: " + ("missing 'name'" if name is None else "'name' is not a text"),
                key="name", expected="a unique stage name",
                found=None if name is None else repr(name))
            continue
        label = f"stage {name!r}"
        extra = sorted(set(raw) - _STAGE_KEYS)
        if extra:
            bad(f"{label}: unknown keys", key=extra[0], expected=", ".join(sorted(_STAGE_KEYS)),
                found=", ".join(extra))
        if name in by_name:
            bad(f"{label}: the name is used twice")
            continue
        command = raw.get("command", name)
        if command not in COMMANDS:
            bad(f"{label}: unknown command", key="command", expected=" | ".join(COMMANDS), found=str(command))
        output = raw.get("output")
        if not isinstance(output, str) or not output:
            # `output = 5` is there, of the wrong type: not said to be missing
            bad(f"{label}: " + ("missing 'output'" if output is None else "'output' is not a path"),
                key="output", expected="a path relative to outdir", found=None if output is None else repr(output))
            continue
        if output == "-":
            bad(f"{label}: 'output' cannot be stdout in a pipeline", key="output", expected="a path relative to outdir")
            continue
        if _has_control(output):  # a NUL: "internal error: ValueError: embedded null byte"
            bad(f"{label}: a control character in a path", key="output", expected="a file or folder name",
                found=output)
            continue
        if output.endswith(("/", os.sep)) and command != "detect":
            # 'lq/' was resolved to the file 'lq' (a Parquet table without an extension), where
            # `clusterid lq T -o lq/` is refused as a folder
            bad(f"{label}: 'output' names a folder, but {command} writes a file", key="output",
                expected="a file name such as " + ("report.html" if command == "report" else
                                                   "stats.csv" if command == "stats" else
                                                   f"{command.replace('-', '_')}.parquet"),
                found=output)
            continue
        out_path = (out_root / _home(output)).resolve()
        inputs_raw = raw.get("inputs", [])
        if isinstance(inputs_raw, str):
            inputs_raw = [inputs_raw]
        if not isinstance(inputs_raw, list) or not inputs_raw:
            bad(f"{label}: " + ("missing 'inputs'" if "inputs" not in raw else "'inputs' is empty"
                                if inputs_raw == [] else "'inputs' is not a list of paths"),
                key="inputs", expected="a list of paths or @stage references",
                found=None if "inputs" not in raw else repr(raw["inputs"]))
            continue
        inputs: list[Path] = []
        deps: list[str] = []
        absolute: dict[Path, str] = {}
        for item in inputs_raw:
            if not isinstance(item, str):
                bad(f"{label}: an input is not a string", key="inputs", found=repr(item))
            elif _has_control(item):
                bad(f"{label}: a control character in a path", key="inputs", expected="a file or folder name",
                    found=item)
            elif item.startswith("@"):
                ref = item[1:]
                if ref not in by_name:
                    hint = "stages run in file order; reference an earlier stage"
                    bad(f"{label}: input {item!r} names no earlier stage", key="inputs", hint=hint)
                else:
                    inputs.append(by_name[ref].output)
                    deps.append(ref)
            else:
                p = (base / _home(item)).resolve()
                inputs.append(p)
                if os.path.isabs(_home(item)):
                    absolute[p] = os.path.normpath(_home(item))
                if p in by_output:
                    deps.append(by_output[p])
        if command == "report" and len(inputs_raw) > 1:  # else found after the stages before it
            bad(f"{label}: report reads one detect output folder", key="inputs",
                expected='inputs = ["FOLDER"] or ["@detect"]', found=f"{len(inputs_raw)} inputs")
        options = raw.get("options", {})
        if not isinstance(options, dict):
            bad(f"{label}: 'options' must be a table", key="options")
            options = {}
        if any(not str(key).strip() for key in options):  # `"" = 1` became the end-of-options --
            bad(f"{label}: an option without a name", key="options",
                expected="options = { name = value }")
            options = {k: v for k, v in options.items() if str(k).strip()}
        for key in ("output", "o"):
            if key in options:
                bad(f"{label}: give the output as the stage's 'output', not as an option", key=key)
        options = dict(options)
        for key, value in list(options.items()):
            # a table, a date or a list of lists has no command-line form: passed on as
            # "--period '[2020]'" it failed in the stage, after the stages before it had run
            items = value if isinstance(value, list) else [value]
            if not all(isinstance(v, (str, int, float, bool)) for v in items):
                bad(f"{label}: option {key}: not a value a command-line option takes", key=key,
                    expected="a text, a number, true/false, or a list of them", found=repr(value))
                options.pop(key)
            elif any(isinstance(v, float) and not math.isfinite(v) for v in items):
                # threshold = nan: TOML has it, no option takes it; the stage refused it late
                bad(f"{label}: option {key}: not a finite number", key=key,
                    expected="a finite number", found=repr(value))
                options.pop(key)
        # clusterid's own --quiet/-q and --debug for this stage alone (options or args); its
        # other flags and the run's options said where they belong (they were "No such
        # option: --quiet", which sent the user to the command's help, where it is not)
        flags: dict[str, bool] = {}
        for key in list(options):
            flag = _flag_key(key)
            if flag in _STAGE_FLAGS:
                value = options.pop(key)
                if isinstance(value, bool):
                    flags[_STAGE_FLAGS[flag]] = flags.get(_STAGE_FLAGS[flag], False) or value
                else:
                    bad(f"{label}: option {key}: clusterid's --{_STAGE_FLAGS[flag]} for this stage "
                        "is true or false", key=key, expected="true or false", found=str(value))
            elif flag == "version":
                options.pop(key)
                bad(f"{label}: option {key}: --version prints clusterid's version and runs "
                    "nothing; remove it", key=key)
            elif flag in _RUN_OPTIONS:
                options.pop(key)
                bad(f"{label}: option {key}: an option of `clusterid run` itself, not of "
                    f"`clusterid {command}`", key=key,
                    hint=f"give it on the command line: clusterid run PIPELINE.toml {_RUN_OPTIONS[flag]}"
                    + (", or as [pipeline] outdir" if flag == "outdir" else ""))
        option_files: list[Path] = []
        for key, is_keyword in _FILE_OPTIONS.get(str(command), {}).items():
            value = options.get(key)
            if value is not None and not isinstance(value, (str, bool)):
                # benchmark = 5: not a file name nor a keyword; found when lq ran
                bad(f"{label}: option {key}: not a file name", key=key,
                    expected="a path in quotes" + ("" if key not in ("benchmark", "definitions")
                                                   else " or a keyword such as \"sum\""),
                    found=repr(value))
                continue
            if isinstance(value, str) and not value.strip():
                # io = "" reached detect as --io '', which read it as no Use table at all (now
                # refused there, after the stages before it had run)
                bad(f"{label}: option {key} is empty", key=key,
                    expected="a file name" + (" or a keyword such as \"sum\""
                                              if key in ("benchmark", "definitions") else ""),
                    found=repr(value), hint=f"give a file, or leave {key} out")
                continue
            if not isinstance(value, str) or not value or is_keyword(value):
                continue
            if _has_control(value):
                bad(f"{label}: option {key}: a control character in a path", key=key,
                    expected="a file name", found=value)
                continue
            if value.startswith("@"):
                ref = value[1:]
                if ref not in by_name:
                    bad(f"{label}: option {key} = {value!r} names no earlier stage", key=key,
                        hint="stages run in file order; reference an earlier stage")
                    continue
                p = by_name[ref].output
                deps.append(ref)
            else:
                p = (base / _home(value)).resolve()
                if os.path.isabs(_home(value)):
                    absolute[p] = os.path.normpath(_home(value))
                if p in by_output:
                    deps.append(by_output[p])
            options[key] = p
            option_files.append(p)
        for key in _OUTPUT_OPTIONS.get(str(command), ()):
            value = options.get(key)
            if isinstance(value, str) and _has_control(value):
                bad(f"{label}: option {key}: a control character in a path", key=key,
                    expected="a file name", found=value)
            elif isinstance(value, str) and value and value != "-":
                options[key] = (out_root / _home(value)).resolve()
        args = raw.get("args", [])
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            bad(f"{label}: 'args' must be a list of strings", key="args")
            args = []
        elif any(a in ("-o", "--output") or a.startswith(("--output=", "-o")) for a in args):
            # the command took the later -o: it wrote there, and the run failed after the work
            # with "stage 'ingest' did not write out/c.csv", the stray file left behind
            bad(f"{label}: give the output as the stage's 'output', not in 'args'", key="args",
                found=" ".join(args))
        else:
            kept = []
            for a in args:
                flag = _flag_key(a) if a.startswith("-") else ""
                if flag in _STAGE_FLAGS and "=" not in a:  # -q, --quiet, --debug: as in options
                    flags[_STAGE_FLAGS[flag]] = True
                elif flag == "version" or (flag in _RUN_OPTIONS and a.startswith("--")):
                    bad(f"{label}: args {a!r}: " + ("--version prints clusterid's version and runs nothing; "
                                                   "remove it" if flag == "version" else
                                                   f"an option of `clusterid run` itself, not of "
                                                   f"`clusterid {command}`: give it on the command line "
                                                   f"(clusterid run PIPELINE.toml {_RUN_OPTIONS[flag]})"),
                        key="args")
                else:
                    kept.append(a)
            args = kept
        written = _files_written(str(command), out_path, options)
        if out_path in by_output:
            bad(f"{label}: writes the same output as stage {by_output[out_path]!r}", key="output",
                found=str(out_path))
        else:
            # a CSV output's .meta.json sidecar (or ingest's rejects file) is written too: a stage
            # writing x.csv.meta.json beside one writing x.csv replaced the other's metadata, so
            # each run found the other's output modified and ran both again, for ever
            for file in written:
                other = by_written.get(file)
                if other is not None:
                    bad(f"{label}: writes the same file as stage {other!r}", key="output",
                        found=str(file), hint=f"{file.name} is {_what_is_written(file, by_name[other])}; "
                        "give the output another name")
                    break
        for other_path, other in by_output.items():
            # a file inside another stage's output folder (detect's) changes that folder's
            # checksum: both stages would run again on every other run
            if other_path in out_path.parents or out_path in other_path.parents:
                bad(f"{label}: its output {output!r} is inside the output of stage {other!r} "
                    "(or holds it)", key="output",
                    hint="write it beside that folder, not into it")
        if out_path in inputs:
            bad(f"{label}: reads its own output", key="inputs", found=str(out_path))
        if out_path in option_files:
            bad(f"{label}: reads its own output", found=str(out_path))
        # an output over a file the run reads or keeps: `output = "P.toml"` with outdir "."
        # replaced the pipeline file with the stage's CSV (exit 0), and one over an earlier
        # stage's raw input replaced that input, which the next run read as changed data
        if out_path == pfile.resolve():
            bad(f"{label}: its output is the pipeline file itself", key="output",
                found=str(out_path), hint="give the output another name")
        elif out_path.parent == out_root and out_path.name in (STATE_NAME, LOCK_NAME):
            bad(f"{label}: its output is the run's own {'state' if out_path.name == STATE_NAME else 'lock'}"
                " file", key="output", found=str(out_path), hint="give the output another name")
        for earlier in stages:
            if any(p in earlier.inputs or p in earlier.option_files for p in written):
                bad(f"{label}: its output would replace a file stage {earlier.name!r} reads",
                    key="output", found=str(out_path),
                    hint="write it under another name")
                break
        stage = Stage(name, str(command), inputs, out_path, options, list(args), deps, out_root,
                      option_files, base, quiet=flags.get("quiet", False), debug=flags.get("debug", False),
                      absolute=absolute,
                      outdir_given=outdir is not None and Path(outdir).is_absolute(),
                      line=block[0] if block else None,
                      option_lines={str(k): n for k in options if block
                                    for n in [_key_line(lines, block, str(k))] if n},
                      key_lines={k: n for k in ("inputs", "output", "args") if block
                                 for n in [_key_line(lines, block, k)] if n})
        stages.append(stage)
        by_name[name] = stage
        by_output[out_path] = name
        by_written.update({p: name for p in written})
    for i, stage in enumerate(stages):
        for p in filter(_is_glob, stage.inputs):
            for other in stages[i:]:  # an earlier stage's output may be meant (parts/*.parquet)
                if _glob_covers(p, other.output):
                    bad(line=stage.line, message=f"stage {stage.name!r}: input {_shown_input(p, base)!r} also matches the "
                        f"output of stage {other.name!r} ({other.output.name}), which a later run "
                        "would read as input",
                        hint="keep the raw files in a folder of their own, or the outputs in "
                             "another outdir")
    if problems:
        raise UsageError(problems=problems)
    return Pipeline(pfile, out_root, stages)


def _files_written(command: str, output: Path, options: dict) -> list[Path]:
    """The files a stage writes: its output, a CSV output's ``.meta.json`` sidecar (every
    command but report writes one), and ingest's rejects CSV (``rejects``, or under
    ``on_error = "skip"`` the output's name + ``.rejects.csv``)."""
    files = [output]
    if command != "report" and output.suffix.lower() == ".csv":
        files.append(Path(str(output) + ".meta.json"))  # io.tables.sidecar_path, not imported here
    if command == "ingest":
        rejects = options.get("rejects")
        if isinstance(rejects, Path):
            files.append(rejects)
        elif str(options.get("on_error", "")).lower() == "skip":
            files.append(Path(str(output) + REJECTS_SUFFIX))
    return files


def _what_is_written(file: Path, stage) -> str:
    """How stage ``stage`` comes to write ``file`` (for the message of two stages writing it)."""
    if file == stage.output:
        return f"the output of stage {stage.name!r}"
    if file == Path(str(stage.output) + ".meta.json"):
        return f"the metadata sidecar of the CSV output of stage {stage.name!r}"
    return f"the rejects file of stage {stage.name!r}"


# a table header: [pipeline], [[stage]], [stage.options]
_TABLE_HEADER = re.compile(r"^\s*\[(\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(?:#.*)?$")


def _toml_blocks(lines: list[str]) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """The (first, last) line of the [pipeline] table and of each [[stage]] table (with its
    [stage.options] sub-table), 1-based; tomllib keeps no positions."""
    head: list[int] | None = None
    stages: list[list[int]] = []
    current: list[int] | None = None
    for number, line in enumerate(lines, start=1):
        m = _TABLE_HEADER.match(line)
        if m:
            array, name = m.group(1), m.group(2)
            if name == "stage" and array:
                current = [number, number]
                stages.append(current)
            elif name.startswith("stage.") and current is not None:
                pass  # a sub-table of the current stage
            elif name == "pipeline" and not array:
                current = head = [number, number]
            else:
                current = None
        if current is not None:
            current[1] = number
    return (tuple(head) if head else None), [tuple(b) for b in stages]


def _top_key_line(lines: list[str], key: str) -> int | None:
    """The first line where the top-level ``key`` is a table header ([stages], [[stages]],
    [stages.x]) or is set before any table (``outdir = "out"`` above [pipeline]), or None."""
    name = r"[\"']?" + re.escape(key) + r"[\"']?"
    header = re.compile(r"^\s*\[\[?\s*" + name + r"\s*[\].]")
    assignment = re.compile(r"^\s*" + name + r"\s*[=.]")
    before_tables = True
    for number, line in enumerate(lines, start=1):
        if header.match(line):
            return number
        if _TABLE_HEADER.match(line):
            before_tables = False
        elif before_tables and assignment.match(line):
            return number
    return None


def _key_line(lines: list[str], block: tuple[int, int], key: str) -> int | None:
    """The first line of ``block`` where ``key = ...`` is set (bare, quoted, dotted or inside
    an inline table), or None."""
    pattern = re.compile(r"(?:^|[\s{,.])[\"']?" + re.escape(key) + r"[\"']?\s*=")
    for number in range(block[0], block[1] + 1):
        code = lines[number - 1].split("#", 1)[0] if "#" in lines[number - 1] else lines[number - 1]
        if pattern.search(code):
            return number
    return None


def _has_control(text: str) -> bool:
    return any(ord(ch) < 32 for ch in text)


def _is_glob(path: Path) -> bool:
    """A quoted glob input (``raw/*.csv``), as :func:`_glob_matches` tells one."""
    return not path.exists() and any(ch in str(path) for ch in "*?[")


def _glob_covers(pattern: Path, path: Path) -> bool:
    """Whether the glob ``pattern`` (absolute) matches ``path``, part by part as glob does:
    a wildcard never spans a ``/``, and a hidden name needs a pattern that starts with a dot."""
    import glob
    from fnmatch import fnmatchcase

    fixed, rest = pattern_parts(str(pattern))  # a folder named 'raw [2016]' is no pattern
    pat, parts = (*map(glob.escape, fixed), *rest), path.parts
    return len(pat) == len(parts) and all(
        fnmatchcase(name, p) and (not name.startswith(".") or p.startswith("."))
        for name, p in zip(parts, pat))


def _shown_input(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------
# Fingerprints and state
# ---------------------------------------------------------------------------------------------

def _visible_files(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _glob_matches(path: Path) -> list[Path] | None:
    """The files a quoted glob input (``raw/*.csv``) stands for, sorted; None if ``path`` is
    not a glob (an existing file or folder, or no wildcard)."""
    text = str(path)
    if path.exists() or not any(ch in text for ch in "*?["):
        return None
    return [Path(m) for m in glob_files(text) if Path(m).is_file()]


def input_exists(path: Path) -> bool:
    """A file or folder that exists, or a glob that matches at least one file."""
    matches = _glob_matches(path)
    return path.exists() if matches is None else bool(matches)


def member_digests(path: Path) -> dict[str, str] | None:
    """``{relative path: sha256}`` of the files a folder or a glob input stands for, in the
    order :func:`fingerprint` hashes them; None for a single file or an input not there (or a
    glob matching nothing)."""
    if path.is_file():
        return None
    if path.is_dir():
        return {f.relative_to(path).as_posix(): sha256_of(f) for f in _visible_files(path)}
    matches = _glob_matches(path)
    if matches:
        # each file under the pattern's fixed folder (raw/2020/data.csv for raw/*/data.csv):
        # the name alone let a renamed folder pass for no change, and the stage's output kept
        # recording the old path; for raw/*.csv it is the name, as before
        fixed = Path(*[part for part in _fixed_parts(path)])
        return {os.path.relpath(f, fixed).replace(os.sep, "/"): sha256_of(f) for f in matches}
    return None


def fingerprint(path: Path, members: dict[str, str] | None = None) -> str | None:
    """sha256 of a file, of a folder's listing of (relative path, sha256), or of the files a
    glob matches (so a file added to ``raw/*.csv`` re-runs the stage); None if absent.
    ``members``: :func:`member_digests` of ``path`` when the caller has them already."""
    if path.is_file():
        return sha256_of(path)
    if members is None:
        members = member_digests(path)
    if not members and not path.is_dir():
        return None
    h = hashlib.sha256(b"dir\0" if path.is_dir() else b"glob\0")
    for name, digest in members.items():
        h.update(name.encode() + b"\0" + digest.encode() + b"\n")
    return h.hexdigest()


def what_changed(path: Path, members: dict[str, str] | None, before: Any) -> str:
    """How a changed input is said: a file by its name; a folder or a glob with the files in
    it that were edited, added or removed since ``before`` (the members the last run recorded;
    a state written before they were recorded says only that one of its files changed)."""
    if members is None:
        return f"input {path.name} changed"
    if not isinstance(before, dict):
        return f"input {path.name} changed (one of its files; which is not recorded)"
    parts = []
    for label, names in (
            ("edited", [n for n in members if n in before and before[n] != members[n]]),
            ("added", [n for n in members if n not in before]),
            ("removed", [n for n in before if n not in members])):
        if names:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            parts.append(f"{shown} {label}")
    return f"input {path.name} changed: " + "; ".join(parts or ["its listing"])


def _absent(path: Path) -> str:
    """How an input that is not there is said: a glob (raw/*.csv) is no file name."""
    return "the pattern matches no file" if _is_glob(path) else "no such file"


def _fixed_parts(pattern: Path) -> list[str]:
    """The parts of a glob pattern before its first wildcard (the folder it searches; a folder
    whose name holds a ``[`` is one of them, :func:`pattern_parts`)."""
    return list(pattern_parts(str(pattern))[0])


def pipeline_key(pipeline: Pipeline) -> str:
    """The pipeline file as the state names it: its path relative to outdir (``../`` allowed,
    as the records' paths), so a project that moves as a whole keeps its state."""
    return os.path.relpath(pipeline.path.resolve(), pipeline.outdir).replace(os.sep, "/")


def _valid_stages(stages) -> dict[str, Any]:
    # a record of another shape (a hand edit, a sync tool's merge) is no record: its stage
    # runs again, where it stopped every run with an internal error
    return {name: record for name, record in stages.items()
            if isinstance(record, dict) and isinstance(record.get("inputs", {}), dict)
            } if isinstance(stages, dict) else {}


def read_state(pipeline: Pipeline) -> dict[str, Any]:
    """The state of ``pipeline`` in its outdir: ``stages`` (its last successful runs), and
    under ``others`` the stages of other pipeline files writing into the same outdir (a
    monthly and a quarterly job sharing a reports folder), kept as they are (the file held the
    records of whichever pipeline ran last, and the other's stages all ran again after it)."""
    key = pipeline_key(pipeline)
    fresh = {"version": STATE_VERSION, "pipeline": key, "stages": {}, "others": {}}
    try:
        state = json.loads(pipeline.state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return fresh
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        return fresh
    others = state.get("others")
    others = {k: {"stages": _valid_stages(v.get("stages"))} for k, v in others.items()
              if isinstance(v, dict)} if isinstance(others, dict) else {}
    owner = state.get("pipeline", key)  # a state written before pipelines were named: ours
    if owner != key:
        others[str(owner)] = {"stages": _valid_stages(state.get("stages"))}
        mine = others.pop(key, {}).get("stages", {})
    else:
        mine = _valid_stages(state.get("stages"))
        others.pop(key, None)
    return {"version": STATE_VERSION, "pipeline": key, "stages": mine,
            "others": dict(sorted(others.items()))}


def write_state(pipeline: Pipeline, state: dict[str, Any]) -> None:
    from clusterid.io.atomic import write_text_atomic

    text = json.dumps(state, sort_keys=True, indent=1) + "\n"
    write_text_atomic(pipeline.state_path, text)


def decide(stage: Stage, record: dict[str, Any] | None, force: bool,
           pending_upstream: set[str] = frozenset()) -> Decision:
    """Whether ``stage`` must run, and why, given its last successful run's ``record``."""
    if force:
        return Decision(stage, True, "forced")
    if not record:
        # a stage whose last run failed or was stopped has no record, while the output of an
        # earlier run is still there: 'never run' beside that file misled whoever read the
        # plan or the log after an interrupted cron run
        if stage.output.exists():
            return Decision(stage, True, "no finished run recorded (the output there is from before)")
        return Decision(stage, True, "never run")
    upstream = [d for d in stage.depends_on if d in pending_upstream]
    if upstream:
        return Decision(stage, True, f"after {', '.join(upstream)} (if its output changes)")
    if record.get("tool_version") != __version__:
        return Decision(stage, True, f"clusterid {record.get('tool_version')} -> {__version__}")
    if record.get("argv") != stage.state_argv():
        return Decision(stage, True, "options changed")
    recorded_inputs = record.get("inputs", {})
    recorded_members = record.get("input_files")
    recorded_members = recorded_members if isinstance(recorded_members, dict) else {}
    for p in stage.tracked_inputs:
        members = member_digests(p)
        digest = fingerprint(p, members)
        if digest is None:
            return Decision(stage, True, f"input {p.name} missing")
        if recorded_inputs.get(stage.input_key(p)) != digest:
            # 'input *.csv changed' left the user to find which of the files it was
            return Decision(stage, True, what_changed(
                p, members, recorded_members.get(stage.input_key(p))))
    digest = fingerprint(stage.output)
    if digest is None:
        return Decision(stage, True, f"output {stage.output.name} missing")
    if record.get("output_sha256") != digest:
        return Decision(stage, True, f"output {stage.output.name} modified")
    if (side := _sidecar_state(stage, digest)) is not None:
        return Decision(stage, True, side)
    return Decision(stage, False, "up to date")


def _sidecar_state(stage: "Stage", digest: str) -> str | None:
    """What is wrong with a CSV output's ``.meta.json`` sidecar (None when nothing is): it is
    part of the output (the table's provenance, QCEW month, rows dropped ...), and one deleted
    or replaced left the stage 'up to date' while the next stage read the CSV as a table
    clusterid did not write (or refused it as paired with another run's sidecar)."""
    if stage.command == "report" or stage.output.suffix.lower() != ".csv":
        return None
    from clusterid.io.tables import DATA_SHA256, sidecar_path

    side = sidecar_path(stage.output)
    if not side.is_file():
        return f"output's metadata {side.name} missing"
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return f"output's metadata {side.name} modified"
    # (every sidecar clusterid writes records its CSV's checksum)
    if not isinstance(meta, dict) or meta.get(DATA_SHA256) != digest:
        return f"output's metadata {side.name} modified"
    return None


def log_file_clash(log_file: str | os.PathLike, pipeline_file: str | os.PathLike,
                   pipeline: Pipeline | None = None) -> str | None:
    """What ``--log-file`` would append its JSON lines to, when that is a file of the run
    itself: the pipeline file, a stage's input or option file (or a file an input glob
    matches), a stage's output (a CSV's sidecar, a file in detect's folder), the run's state or
    lock.  None when it is none of them.  ``pipeline`` None: the pipeline file alone (it could
    not be read)."""
    log = Path(os.path.abspath(os.path.expanduser(str(log_file))))
    with contextlib.suppress(OSError):
        log = log.resolve()
    if log == Path(os.path.abspath(pipeline_file)).resolve():
        return "the pipeline file"
    if pipeline is None:
        return None
    if log in (pipeline.state_path.resolve(), pipeline.lock_path.resolve()):
        return "the run's own state" if log.name == STATE_NAME else "the run's own lock"
    for stage in pipeline.stages:
        for p in stage.tracked_inputs:
            if log == p or p in log.parents or (_is_glob(p) and _glob_covers(p, log)):
                return f"an input of stage {stage.name!r}"
        for p in _files_written(stage.command, stage.output, stage.options):
            if log == p or p in log.parents:
                return f"an output of stage {stage.name!r}"
    return None


def _written_keys(stage: Stage) -> dict[str, Path]:
    """The files ``stage`` writes, keyed as the state keys paths (relative to outdir)."""
    return {stage.input_key(f): f for f in _files_written(stage.command, stage.output, stage.options)}


def _others_written(pipeline: Pipeline, other_key: str, records: dict) -> dict[str, str]:
    """``{file written (relative to outdir): stage}`` of another pipeline file whose runs are
    recorded in ``pipeline``'s outdir: as the file declares them now, read with this outdir;
    as its records say where it cannot be read.  Empty for a file that is gone (renamed or
    deleted: its records are history, not a job that still writes here)."""
    other_path = Path(os.path.normpath(pipeline.outdir / other_key))
    if not other_path.is_file():
        return {}
    try:
        other = load_pipeline(other_path, pipeline.outdir)
    except (ClusteridError, OSError):
        other = None
    if other is not None:
        return {key: stage.name for stage in other.stages for key in _written_keys(stage)}
    written = {}
    for name, record in records.items():
        argv = record.get("argv")
        if isinstance(argv, list) and "-o" in argv[:-1]:
            out = str(argv[argv.index("-o") + 1])
            written[out] = name
            if record.get("command") != "report" and out.lower().endswith(".csv"):
                written[out + ".meta.json"] = name
    return written


def check_shared_outputs(pipeline: Pipeline, state: dict[str, Any] | None = None) -> None:
    """UsageError when another pipeline file that runs into the same outdir (its records are
    in the state) writes a file a stage of ``pipeline`` writes.  Two jobs sharing a reports
    folder keep their own records, but one output: each run replaced the other's file, found
    its own 'modified' and ran its stage again, and whoever read the file got the job that ran
    last, every run exit 0."""
    state = state if state is not None else read_state(pipeline)
    problems = []
    for other_key, other in state.get("others", {}).items():
        theirs = _others_written(pipeline, other_key, other.get("stages", {}))
        for stage in pipeline.stages:
            for key in _written_keys(stage):
                if key in theirs:
                    problems.append(Problem(
                        f"stage {stage.name!r}: writes {key} in {pipeline.outdir}, which stage "
                        f"{theirs[key]!r} of the pipeline file {other_key} writes there too "
                        "(its runs are recorded in that outdir)", path=str(pipeline.path),
                        line=stage.key_lines.get("output", stage.line),
                        hint="each run would replace the other's file; give one of them another "
                             f"output name or outdir (or, if {Path(other_key).name} is no longer "
                             "run, remove or rename it)"))
                    break
    if problems:
        raise UsageError(problems=problems)


def plan(pipeline: Pipeline, force: bool = False) -> list[Decision]:
    """What a run would do now (a stage downstream of a stage that will run is marked to run)."""
    state = read_state(pipeline)
    check_shared_outputs(pipeline, state)
    will_run: set[str] = set()
    out = []
    for stage in pipeline.stages:
        d = decide(stage, state["stages"].get(stage.name), force, will_run)
        if d.run:
            will_run.add(stage.name)
        out.append(d)
    return out


# ---------------------------------------------------------------------------------------------
# Row counts for the log
# ---------------------------------------------------------------------------------------------

def count_rows(path: Path) -> int | None:
    """Rows of a table output (Parquet: from its footer; CSV: lines minus the header)."""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError:
        return None
    if magic == b"PAR1":
        import pyarrow.parquet as pq

        return pq.read_metadata(path).num_rows
    if path.suffix.lower() == ".csv":
        lines = 0
        last = b"\n"
        quoted = False
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                lines += block.count(b"\n")
                quoted = quoted or b'"' in block
                last = block[-1:]
        if quoted:
            # a quoted field may hold a line break (a region name typed with Alt+Enter): the
            # lines overcounted the rows (32 for ingest's 24); polars counts records, and a
            # stage that has just run has it loaded already
            try:
                import polars as pl

                return int(pl.scan_csv(path, glob=False, infer_schema=False).select(pl.len()).collect().item())
            except Exception:  # noqa: BLE001 - a table polars cannot read: count its lines
                pass
        if last != b"\n":
            lines += 1
        return max(lines - 1, 0)
    return None


def output_rows(path: Path) -> tuple[int | None, dict[str, int] | None]:
    """(rows, files): a file's rows, or for a folder the rows of each of its tables."""
    if path.is_dir():
        files = {}
        for f in _visible_files(path):
            n = count_rows(f)
            if n is not None:
                files[f.relative_to(path).as_posix()] = n
        return None, files
    return count_rows(path), None


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------

def missing_sources(pipeline: Pipeline) -> list[Problem]:
    """The files the pipeline reads that no stage writes and that are not there (a misspelt
    raw file, a reference table not yet downloaded), every stage's at once: found before the
    lock is taken and outdir created, so such a run writes nothing at all."""
    outputs = {s.output for s in pipeline.stages}
    problems = []
    seen: set[Path] = set()
    for stage in pipeline.stages:
        for p in stage.tracked_inputs:
            # a file inside a stage's output folder (detect's) is written by that stage too
            if p in outputs or outputs & set(p.parents) or p in seen or input_exists(p):
                continue
            seen.add(p)
            key = None if p in stage.inputs else next(
                (k for k, v in stage.options.items() if v == p), None)
            if key is None:
                problems.append(Problem(f"stage {stage.name!r}: input {p}: {_absent(p)}",
                                        path=str(pipeline.path),
                                        line=stage.key_lines.get("inputs", stage.line)))
                continue
            # an option's misspelt keyword (benchmark = "regoin:49000") is taken for a file
            words = {"benchmark": "sum, rest, region:ID", "definitions": "uscmp, uscmp:VINTAGE"}
            problems.append(Problem(
                f"stage {stage.name!r}: option {key}: {p}: no such file", path=str(pipeline.path),
                line=stage.option_lines.get(str(key), stage.line),
                expected=f"{words[key]} or an existing file" if key in words else None))
    return problems


@dataclass
class Footprint:
    """What of the run's own machinery existed before the run: after a failure the run removes
    what it created and holds nothing (the lock file, a state file recording no stage, folders
    left empty), so a failed first run leaves no folder holding only a lock file; an existing
    folder is left as it was."""

    new_dirs: list[Path]
    lock_existed: bool
    state_existed: bool


def footprint(pipeline: Pipeline) -> Footprint:
    new_dirs: list[Path] = []
    for folder in [pipeline.outdir, *(s.output.parent for s in pipeline.stages)]:
        probe = folder
        while not probe.exists() and probe != probe.parent:
            if probe not in new_dirs:
                new_dirs.append(probe)
            probe = probe.parent
    return Footprint(new_dirs, pipeline.lock_path.exists(), pipeline.state_path.exists())


def remove_debris(pipeline: Pipeline, before: Footprint) -> None:
    """After a failed run (the lock still held): remove the state file if this run created it
    and it records no finished stage, then the lock file if the run created it and no state is
    left beside it, then the folders the run created that are empty (deepest first).  Stage
    outputs are never touched: the commands write them atomically, and a finished stage's
    output stays for the next run."""
    state_path, lock_path = pipeline.state_path, pipeline.lock_path
    if not before.state_existed and state_path.exists() and not read_state(pipeline)["stages"]:
        _unlink_quietly(state_path)
    if not before.lock_existed and not state_path.exists():
        # unlinked while held: a run waiting on this file finds it gone and takes a new one
        # (acquire_lock checks that the file it locked is still the lock file)
        _unlink_quietly(lock_path)
    for folder in sorted(before.new_dirs, key=lambda p: len(p.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError:
            pass  # not empty (a finished stage's output, the kept state), or gone


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _holds_lock_file(lock, path: Path) -> bool:
    """Whether the file ``lock`` holds is still the one at ``path`` (a failed run that created
    it removes it while holding it; a run that waited on it must then lock a new one)."""
    fd = getattr(getattr(lock, "_context", None), "lock_file_fd", None)
    if not isinstance(fd, int):
        return True  # a filelock without this detail: nothing to compare
    try:
        held, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def acquire_lock(pipeline: Pipeline, wait: float | None, on_wait: Callable[[], None] | None = None):
    """Take the pipeline's lock (a file in outdir).  ``wait``: seconds, None = forever, 0 = not.

    Returns the acquired lock object; release it with ``.release()``.
    """
    def busy() -> None:
        check_outdir(pipeline)  # was "... lock there: File exists"

    return hold_lock_file(
        pipeline.lock_path, wait, on_wait,
        busy=(f"another `clusterid run` is writing to {pipeline.outdir} (lock "
              f"{pipeline.lock_path}); nothing was done. Retry later, or run without --no-wait to "
              f"wait for it (exit {EXIT_LOCKED})"),
        gave_up=lambda wait: (f"gave up after waiting {wait:g} s for the lock on "
                              f"{pipeline.outdir} held by another `clusterid run` "
                              f"(exit {EXIT_LOCKED})"),
        cannot=f"{pipeline.outdir}: cannot create the run lock there", on_error=busy)


def hold_lock_file(path: Path, wait: float | None, on_wait: Callable[[], None] | None = None, *,
                   busy: str, gave_up: Callable[[float], str], cannot: str,
                   on_error: Callable[[], None] | None = None):
    """Lock the file ``path`` (created with its folder), as ``clusterid run`` locks its outdir
    and ``detect`` its output folder while it replaces the tables.  ``wait``: seconds, None =
    forever, 0 = not.  ``busy`` (not waiting) and ``gave_up`` (``{wait:g}`` in it) are the
    LockBusyError messages (``gave_up`` given the seconds waited), ``cannot`` the OutputError's
    start; ``on_error`` may raise its own.

    The holder may remove the file before releasing it: a waiter then holds a file no longer
    at ``path`` and locks a new one.  Returns the lock; release it with ``.release()``.
    """
    deadline = None if wait is None else time.monotonic() + wait
    while True:
        lock = _acquire_lock_once(path, wait, on_wait, busy, gave_up, cannot, on_error)
        if _holds_lock_file(lock, path):
            return lock
        lock.release()  # the run before us removed the file it had created: lock a new one
        if deadline is not None:
            wait = max(0.0, deadline - time.monotonic())
        on_wait = None


def check_outdir(pipeline: Pipeline) -> None:
    """Refuse an outdir that is a file (OutputError, exit 2)."""
    if pipeline.outdir.exists() and not pipeline.outdir.is_dir():
        raise OutputError(f"{pipeline.outdir}: is a file; the output folder (--outdir or "
                          "[pipeline] outdir) must be a folder")


def _acquire_lock_once(path: Path, wait: float | None, on_wait: Callable[[], None] | None,
                       busy: str, gave_up: Callable[[float], str], cannot: str,
                       on_error: Callable[[], None] | None):
    from filelock import FileLock, Timeout

    lock = FileLock(str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=0)
        return lock
    except Timeout:  # (a subclass of OSError: keep this clause first)
        if wait == 0:
            raise LockBusyError(busy) from None
    except OSError as exc:
        if on_error is not None:
            on_error()
        raise OutputError(f"{cannot}: {exc.strerror or exc}") from exc
    if on_wait:
        on_wait()
    try:
        lock.acquire(timeout=-1 if wait is None else wait)
    except Timeout:
        raise LockBusyError(gave_up(wait)) from None
    return lock


def run_pipeline(
    pipeline: Pipeline,
    execute: Callable[[Stage], None],
    force: bool = False,
    log: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Run the stages that are not up to date, in order; return one event per stage.

    ``execute(stage)`` runs one stage and raises on failure (a ClusteridError keeps its exit
    code).  The state file is rewritten after every successful stage, so an interrupted or
    failed run keeps what it finished.  The caller holds the lock.
    """
    state = read_state(pipeline)
    events: list[dict[str, Any]] = []
    for stage in pipeline.stages:
        record = state["stages"].get(stage.name)
        decision = decide(stage, record, force)
        event: dict[str, Any] = {"stage": stage.name, "command": stage.command}
        if not decision.run:
            event.update(status="skipped", reason=decision.reason, seconds=0.0,
                         rows=(record or {}).get("rows"), output=str(stage.output))
            if (record or {}).get("files") is not None:
                event["files"] = record["files"]
            events.append(event)
            if log:
                log(event)
            continue
        missing = [p for p in stage.tracked_inputs if not input_exists(p)]
        if missing:
            raise InputFileError(f"stage {stage.name!r}: input {missing[0]}: {_absent(missing[0])}")
        # Hash inputs before running: the record must describe what the stage actually read.
        input_members = {stage.input_key(p): member_digests(p) for p in stage.tracked_inputs}
        input_digests = {stage.input_key(p): fingerprint(p, input_members[stage.input_key(p)])
                         for p in stage.tracked_inputs}
        # the files of a folder or glob input, so the next run can name the one that changed
        input_files = {k: v for k, v in input_members.items() if v is not None}
        state["stages"].pop(stage.name, None)
        stage.output.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        try:
            execute(stage)
        except BaseException as exc:
            seconds = round(time.perf_counter() - start, 3)
            code = getattr(exc, "exit_code", None)
            if not isinstance(code, int):
                # the exit the run leaves with: 130 for Ctrl-C, 128 + N for signal N (SIGTERM 143)
                signum = getattr(exc, "signum", None) if type(exc).__name__ == "Interrupted" else None
                if isinstance(exc, KeyboardInterrupt) or signum == signal.SIGINT:
                    code = 130
                else:
                    code = 128 + signum if isinstance(signum, int) else 2
            event.update(status="failed", reason=decision.reason, seconds=seconds, exit_code=code)
            if isinstance(exc, ClusteridError):
                # what went wrong, as the stage said it first: the line said only why the
                # stage ran ('input *.csv changed') and its exit code, so a log read the next
                # morning told that the ingest failed, never on what
                said = exc.lines(1)
                if said:
                    event["error"] = said[0]
            events.append(event)
            if log:
                log(event)
            try:
                write_state(pipeline, state)
            except (OSError, ClusteridError):
                # a read-only outdir fails the stage's output and then the state: the stage's
                # own error is the one to report (the kept state still matches the old output)
                pass
            raise
        seconds = round(time.perf_counter() - start, 3)
        if not stage.output.exists():
            raise StageFailed(stage.name, 2, [f"stage {stage.name!r} did not write {stage.output}"])
        rows, files = output_rows(stage.output)
        state["stages"][stage.name] = {
            "command": stage.command,
            "argv": stage.state_argv(),
            "tool_version": __version__,
            "inputs": input_digests,
            **({"input_files": input_files} if input_files else {}),
            "output_sha256": fingerprint(stage.output),
            "rows": rows,
            "files": files,
        }
        write_state(pipeline, state)
        event.update(status="run", reason=decision.reason, seconds=seconds, rows=rows,
                     output=str(stage.output))
        if files is not None:
            event["files"] = files
        events.append(event)
        if log:
            log(event)
    return events
