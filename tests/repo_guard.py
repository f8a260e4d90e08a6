"""A guard that fails any test which changes the repository tree while it runs.

Under pytest-xdist another worker may be reading the same file at that moment: a test that
set data/samples' raw file's time stamp forward "for a moment" made an ingest of it in the other
worker stop, rightly, with "changed while it was read" (CI failed so in session 30).  A test
must copy what it changes under tmp_path first.

The guard is an audit hook (:func:`sys.addaudithook`), armed only while a test runs (set-up,
call, tear-down; not collection, which writes tests/__pycache__, nor the session's end, which
writes .pytest_cache).  It sees what this process does -- the commands a test runs in-process
included -- but not a child process (a ``subprocess.run`` of ``clusterid``); those are left to
review.  A change inside the tree is refused (PermissionError, so nothing is changed) and the
test fails with the path and the operation.
"""

from __future__ import annotations

import contextlib
import os

# os.open's flags that change a file; io.open's modes that do
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_WRITE_MODES = frozenset("wax+")
# event -> (index of a path being changed, index of the folder descriptor it is relative to)
# among the event's arguments (os's *at functions: shutil.rmtree unlinks names relative to
# the folder it opened, not to the working folder)
_EVENTS = {
    "os.rename": ((0, 2), (1, 3)), "os.remove": ((0, 1),), "os.rmdir": ((0, 1),),
    "os.mkdir": ((0, 2),), "os.chmod": ((0, 2),), "os.chown": ((0, 3),), "os.utime": ((0, 3),),
    "os.truncate": ((0, None),), "os.symlink": ((1, 2),), "os.link": ((1, 3),),
    "shutil.rmtree": ((0, None),), "shutil.move": ((0, None), (1, None)),
    "shutil.copyfile": ((1, None),), "shutil.copymode": ((1, None),),
    "shutil.copystat": ((1, None),),
}
# written by Python, pytest and Hypothesis themselves (Hypothesis' example database is made for
# several processes at once), or the browser test's screenshot for people (test-artifacts,
# which no test reads): never a test's data.  All git-ignored.
_EXEMPT_PARTS = frozenset({"__pycache__", ".pytest_cache", ".venv", ".git", ".hypothesis",
                           "test-artifacts"})


class RepositoryChanged(PermissionError):
    """What a test gets when it tries to change the repository tree."""


class Guard:
    def __init__(self, *roots) -> None:
        # the trees guarded, as "folder/" prefixes
        self.prefixes = tuple(os.path.join(os.path.realpath(os.fspath(r)), "") for r in roots)
        self.armed = False
        self.seen: list[str] = []

    @contextlib.contextmanager
    def allowed(self):
        """Changes allowed for a moment: only for a run asked for by hand that rewrites
        committed files (CLUSTERID_UPDATE_GOLDEN=1), never in a suite's run."""
        armed, self.armed = self.armed, False
        try:
            yield
        finally:
            self.armed = armed

    def _inside(self, path, dir_fd=None) -> str | None:
        """``path`` (relative to the folder open as ``dir_fd``, if one) as shown in a message
        when it is inside a guarded tree, else None."""
        if isinstance(path, int) or path is None:
            return None  # a file descriptor: its opening was checked
        try:
            text = os.fsdecode(path)
            if isinstance(dir_fd, int) and dir_fd >= 0 and not os.path.isabs(text):
                text = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), text)
            text = os.path.abspath(text)
        except (TypeError, ValueError, OSError):
            return None
        for candidate in (text, None):
            if candidate is None:
                candidate = os.path.realpath(text)  # a symlink into a tree, e.g. from tmp_path
            for prefix in self.prefixes:
                if (candidate + os.sep).startswith(prefix):
                    rel = candidate[len(prefix):]
                    if _EXEMPT_PARTS.intersection(rel.split(os.sep)):
                        return None
                    return candidate
        return None

    @staticmethod
    def _exists(path, dir_fd) -> bool:
        try:
            dir_fd = dir_fd if isinstance(dir_fd, int) and dir_fd >= 0 else None
            return os.path.isdir(path) if dir_fd is None else \
                os.stat(path, dir_fd=dir_fd).st_mode & 0o170000 == 0o040000
        except (OSError, TypeError, ValueError):
            return False

    def hook(self, event: str, args: tuple) -> None:
        if not self.armed:
            return
        if event == "open":
            path, mode, flags = args
            if mode is None:
                if not flags & _WRITE_FLAGS:
                    return
            elif not _WRITE_MODES.intersection(mode):
                return
            rel = self._inside(path)
        elif event in _EVENTS:
            if event == "os.mkdir" and self._exists(args[0], args[2] if len(args) > 2 else None):
                return  # mkdir(exist_ok=True) of a folder already there: nothing changes
            for i, fd_at in _EVENTS[event]:
                dir_fd = args[fd_at] if fd_at is not None and fd_at < len(args) else None
                rel = self._inside(args[i], dir_fd) if i < len(args) else None
                if rel is not None:
                    break
        else:
            return
        if rel is None:
            return
        self.armed = False  # no recursion from formatting the message
        try:
            message = (f"{event} of {rel}: a test must not change the repository tree or "
                       "../shared/data, even for a moment (another xdist worker may be reading "
                       "it); copy what it changes under tmp_path")
            self.seen.append(message)
        finally:
            self.armed = True
        raise RepositoryChanged(message)
