"""Atomic output: every file is written to a temporary sibling, flushed, then renamed.

A reader (the next stage, a scheduler) therefore sees either the previous file or the complete
new one, never a partial file, even if the process is killed mid-write.  Temporary files are
named ``.<name>.<host>-<pid>.<random>.tmp`` in the target's folder (same filesystem, so
``os.replace`` is atomic) and are removed on any failure, including KeyboardInterrupt.

SIGKILL cannot be caught, so a killed run may leave its hidden temporary file behind.  The name
says who wrote it: the next write into the same folder removes every such file of this host
whose process is gone (:func:`sweep_stale_temps`).  Files of live processes (another run
writing right now) and of other hosts (a shared network folder) are left alone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from pathlib import Path
from typing import Iterator

from clusterid.errors import OutputError

_TEMP_FILES: set[str] = set()
# the canonical tables this run reads lazily (path -> (name shown, (inode, size, mtime))): each
# output is published only while they are as they were when opened (:func:`watch_input`)
_WATCHED: dict[str, tuple[str, tuple]] = {}
# .<target name>.<host tag>-<pid>.<12 hex>.tmp
_TEMP_NAME = re.compile(r"^\..+\.(?P<host>[0-9a-f]{6})-(?P<pid>\d+)\.[0-9a-f]{12}\.tmp$")


def _host_tag() -> str:
    """Six hex digits naming this machine, so a sweep never judges another host's pids."""
    import hashlib
    import socket

    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]


_HOST = _host_tag()


def temp_name(target: str | os.PathLike, pid: int | None = None) -> str:
    """A fresh temporary name beside ``target`` (hidden, tagged with host and pid)."""
    target = Path(target)
    return f".{target.name}.{_HOST}-{os.getpid() if pid is None else pid}.{secrets.token_hex(6)}.tmp"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    except OSError:
        return True  # cannot tell: keep the file
    return True


def sweep_stale_temps(folder: str | os.PathLike) -> list[str]:
    """Remove temporary files in ``folder`` left by killed clusterid runs on this host.

    Returns the names removed.  A file whose process still runs, or that another host wrote,
    or whose name is not one of ours, is never touched.
    """
    removed = []
    for name in _of_dead_runs(folder, _TEMP_NAME):
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(folder, name))
            removed.append(name)
    return removed


def _of_dead_runs(folder, pattern) -> list[str]:
    """The names in ``folder`` that ``pattern`` (with groups ``host`` and ``pid``) gives to a
    clusterid run of this host whose process is gone; none when the folder cannot be listed."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    dead = []
    for name in names:
        m = pattern.match(name)
        if m and m.group("host") == _HOST and not _pid_alive(int(m.group("pid"))):
            dead.append(name)
    return dead


# clusterid-<kind>-<host tag>-<pid>-<mkdtemp's random part>: a private temporary folder
_TEMP_FOLDER = re.compile(r"^clusterid-[a-z]+-(?P<host>[0-9a-f]{6})-(?P<pid>\d+)-[^/]+$")


def temp_folder(kind: str) -> str:
    """A new private temporary folder (an extracted zip archive, stdin's buffer, a decoded or
    spilled table), named ``clusterid-KIND-HOST-PID-...`` in the temporary folder (TMPDIR).

    Its creator removes it on leaving (atexit, a signal); one killed outright (SIGKILL, the
    out-of-memory killer of a scheduled job's large panel) left it for good: an extracted
    year of BLS by-area files, hundreds of MB, per killed run.  The name says who made it, so
    creating one first removes those of this host whose process is gone
    (:func:`sweep_stale_temp_folders`)."""
    import tempfile

    sweep_stale_temp_folders()
    return tempfile.mkdtemp(prefix=f"clusterid-{kind}-{_HOST}-{os.getpid()}-")


def sweep_stale_temp_folders(root: str | os.PathLike | None = None) -> list[str]:
    """Remove the private temporary folders in ``root`` (default: the temporary folder) of
    clusterid runs on this host whose process is gone; returns their names.  A folder of a
    live process, of another host, or not named as :func:`temp_folder` names them is kept."""
    import shutil
    import tempfile

    root = str(root) if root is not None else tempfile.gettempdir()
    removed = []
    for name in _of_dead_runs(root, _TEMP_FOLDER):
        path = os.path.join(root, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(name)
    return removed


def registered_temp_files() -> set[str]:
    """Temporary files currently being written (for cleanup on interrupt)."""
    return set(_TEMP_FILES)


def cleanup_temp_files() -> None:
    for name in list(_TEMP_FILES):
        with contextlib.suppress(OSError):
            os.unlink(name)
        _TEMP_FILES.discard(name)


def _errno_of(exc: OSError) -> int | None:
    """``exc.errno``, or the ``(os error N)`` that Rust writers (polars) put in the message, or
    the ``[Errno N]`` of a Python file object's error passed on by polars writing to it."""
    if exc.errno is not None:
        return exc.errno
    import re

    m = re.search(r"\(os error (\d+)\)|\[Errno (\d+)\]", str(exc))
    if m:
        return int(m.group(1) or m.group(2))
    return None


def writer_os_error(exc: Exception, folder: str | os.PathLike) -> OSError | None:
    """The OSError behind a writer's failure that arrives as another exception, else None.

    polars' Parquet writer reports a failed write as a ComputeError: ``... (os error 28)``, or,
    when the disk filled up before the file's footer, only ``Invalid thrift: transport error``
    (then the folder's file system has no space left)."""
    code = _errno_of(OSError(str(exc)))
    if code is None:
        try:
            full = os.statvfs(folder).f_bavail == 0
        except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
            full = False
        code = errno.ENOSPC if full else None
    return None if code is None else OSError(code, os.strerror(code))


def _describe_os_error(path: Path, exc: OSError) -> OutputError:
    code = _errno_of(exc)
    if code == errno.ENOSPC:
        why = "the disk is full"
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "permission denied (read-only target?)"
    elif code == errno.ENOENT:
        why = "its folder does not exist"
    else:
        why = exc.strerror or str(exc)
    return OutputError(f"{path}: cannot write output: {why}")


def check_target(path: str | os.PathLike, writable: bool = True) -> None:
    """OutputError unless ``path`` can be an output file: not empty, not a folder, not a
    device or pipe, in a folder that can be written (``writable``).  :func:`atomic_path` checks
    it; commands call it before their work too, so a run is not spent on an output it cannot
    write (stats said ": stats writes .csv or .json (got no extension)" for ``-o ''``)."""
    if not str(path):  # Path("") is the current folder
        raise OutputError("-o '': an empty output path (an unset shell variable?); give a file "
                          "name, or - for stdout")
    _check_name_length(Path(path))
    # a folder as the target: refused before anything is written (`-o out/` wrote a file named
    # out; `-o DIR` of a CSV failed at the rename, after its sidecar DIR.meta.json was written)
    if str(path).endswith(("/", os.sep)) or Path(path).is_dir():
        raise OutputError(f"{path}: is a folder; the output is a file: give a file name "
                          "(one inside it, or another path)")
    target = Path(path)
    # a device or pipe (-o /dev/null): the rename would replace it by a regular file, for
    # every process of the machine when run as root
    if target.exists() and not target.is_file():
        raise OutputError(f"{path}: not a regular file (a device or pipe), which the output "
                          "would replace; give a file name, or -o - for stdout "
                          "(-o - > /dev/null to discard it)")
    if writable:
        _check_folder_writable(target)


def _check_folder_writable(target: Path) -> None:
    """OutputError when the output's folder, or the nearest folder above it that exists (the
    rest is made when the output is written), cannot be written: on a read-only folder or file
    system lq, impute, indices, shift-share and ingest did all their work (minutes on a
    national panel) and only then said 'permission denied' at the rename.  One access() call."""
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():  # a regular file where a folder of the path should be
        raise OutputError(f"{target}: cannot write output: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{target}: cannot write output: permission denied (read-only "
                          f"target?): the folder {folder} cannot be written")


def _check_name_length(target: Path) -> None:
    """OutputError when the output's name, or the temporary name it is first written under
    (or a CSV's .meta.json sidecar's), is longer than the file system allows (255 bytes on
    most): 'internal error: OSError: [Errno 36] File name too long' after the work was done.
    A name in Cyrillic or Kazakh letters takes two bytes a letter."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # a folder not made yet; no pathconf
        limit = 255
    names = [target.name]
    if target.name.lower().endswith(".csv"):
        names.append(target.name + ".meta.json")
    longest = max(len(temp_name(name).encode("utf-8", "surrogateescape")) for name in names)
    if longest > limit:
        size = len(target.name.encode("utf-8", "surrogateescape"))
        raise OutputError(f"{target}: cannot write output: the file name is {size} bytes, "
                          f"{longest - limit} too many for the file system (at most {limit} for "
                          "the temporary name it is written under first); give a shorter name")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    The caller writes the whole file to the yielded path (by any library).  On an exception the
    temporary file is deleted and ``path`` is left untouched.
    """
    check_target(path)
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    # the folders made here, deepest last: removed again (when still empty) if the write fails,
    # so a failed run leaves no empty output folder behind
    created = [f for f in (folder, *folder.parents) if not f.exists()][::-1]
    if created:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _remove_empty(created)
            raise _describe_os_error(target, exc) from exc
    sweep_stale_temps(folder)
    # The name is registered for cleanup *before* the file exists, so a Ctrl-C that lands
    # between creating and registering it (mkstemp then add) cannot leave it behind.
    while True:
        tmp = str(folder / temp_name(target))
        _TEMP_FILES.add(tmp)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            _TEMP_FILES.discard(tmp)
        except OSError as exc:
            _TEMP_FILES.discard(tmp)
            _remove_empty(created)
            raise _describe_os_error(target, exc) from exc
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        # the temporary file was made 0600; the output gets the mode open() would give it,
        # 0666 less the umask (it was 0644 whatever the umask: a job run under umask 077 on
        # confidential statistics left them readable by every user of the machine)
        os.chmod(tmp, 0o666 & ~_umask())
        check_inputs_unchanged(target)  # an input rewritten meanwhile: this output is not published
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        _remove_empty(created)
        raise _describe_os_error(target, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        _remove_empty(created)
        raise
    else:
        _TEMP_FILES.discard(tmp)
    # (a failed write's name stays registered: the entry point's cleanup removes it once more
    # as the command ends -- a Ctrl-C that stops a native writer (polars) early can leave its
    # threads opening the path again after the unlink above; CI s32c found such a file left)


def _identity(path: str) -> tuple | None:
    """(inode, size, modification time) of a regular file, None for anything else."""
    import stat

    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else None


def watch_input(path: str | os.PathLike, shown: str | None = None) -> None:
    """Remember an input table as it is now (inode, size, mtime), before it is read.

    A canonical table is read lazily, its pages when a stage collects them: one rewritten by
    another job meanwhile (an ingest writing the same name) gave lq or detect rows of two
    tables, or 'not a readable Parquet file', exit 0 or 1 by chance.  Every output is renamed
    into place only if each watched input is unchanged (:func:`check_inputs_unchanged`)."""
    full = os.path.abspath(path)  # (a pipeline's stages run in their own folders)
    ident = _identity(full)
    if ident is not None:
        _WATCHED.setdefault(full, (shown or str(path), ident))


def forget_inputs() -> None:
    """A new run (tests run several in one process): no input watched."""
    _WATCHED.clear()


def check_inputs_unchanged(replacing: str | os.PathLike | None = None) -> None:
    """InputFileError naming the first watched input that changed since it was opened.
    ``replacing``: the file about to be written over (no input of the command: that is refused
    before, :func:`clusterid.io.tables.refuse_overwriting`), not looked at, and let go."""
    if replacing is not None:
        _WATCHED.pop(os.path.abspath(replacing), None)
    refuse_changed(((path, shown, was) for path, (shown, was) in _WATCHED.items()),
                   "another job writing it? nothing was written; run again once it is complete")


def refuse_changed(files, hint: str) -> None:
    """InputFileError naming the first of ``files`` -- ``(path, name shown, identity when the
    read began)`` -- that is no longer as it was (:func:`_identity`); the read of a raw file
    (:func:`clusterid.io.ingest.ingest`) and the watched canonical tables both ask this."""
    from clusterid.errors import InputFileError, Problem

    for path, shown, was in files:
        now = _identity(path)
        if now != was:
            found = ("gone" if now is None else f"{now[1]:,} bytes" + (
                ", modified" if now[1] == was[1] else "") + ("" if now[0] == was[0] else ", replaced"))
            raise InputFileError(problems=[Problem(
                "changed while it was read", path=shown,
                expected=f"the file as the read began ({was[1]:,} bytes)", found=found, hint=hint)])


def _umask() -> int:
    """The process's file-mode creation mask, read without changing it where the system says it
    (Linux's /proc/self/status: setting it to read it back would, for that moment, give files
    another thread creates the wrong mode)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove_empty(folders: list[Path]) -> None:
    """Remove ``folders`` (made by this write, outermost first) deepest first, each only when
    empty: another process may have put something in one meanwhile."""
    for f in reversed(folders):
        try:
            f.rmdir()
        except OSError:
            return


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
