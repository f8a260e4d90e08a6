"""Atomic output: every file is written to a temporary sibling, flushed, then renamed.

A reader (the next stage, a scheduler) therefore sees either the previous file or the complete
new one, never a partial file, even if the process is killed mid-write.  Temporary files are
named ``.<name>.<random>.tmp`` in the target's folder (same filesystem, so ``os.replace`` is
atomic) and are removed on any failure, including KeyboardInterrupt.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path
from typing import Iterator

from clusterid.errors import OutputError

_TEMP_FILES: set[str] = set()


def registered_temp_files() -> set[str]:
    """Temporary files currently being written (for cleanup on interrupt)."""
    return set(_TEMP_FILES)


def cleanup_temp_files() -> None:
    for name in list(_TEMP_FILES):
        with contextlib.suppress(OSError):
            os.unlink(name)
        _TEMP_FILES.discard(name)


def _errno_of(exc: OSError) -> int | None:
    """``exc.errno``, or the ``(os error N)`` that Rust writers (polars) put in the message."""
    if exc.errno is not None:
        return exc.errno
    import re

    m = re.search(r"\(os error (\d+)\)", str(exc))
    return int(m.group(1)) if m else None


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


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    The caller writes the whole file to the yielded path (by any library).  On an exception the
    temporary file is deleted and ``path`` is left untouched.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _describe_os_error(target, exc) from exc
    # The name is registered for cleanup *before* the file exists, so a Ctrl-C that lands
    # between creating and registering it (mkstemp then add) cannot leave it behind.
    while True:
        tmp = str(folder / f".{target.name}.{secrets.token_hex(6)}.tmp")
        _TEMP_FILES.add(tmp)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            _TEMP_FILES.discard(tmp)
        except OSError as exc:
            _TEMP_FILES.discard(tmp)
            raise _describe_os_error(target, exc) from exc
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _describe_os_error(target, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        _TEMP_FILES.discard(tmp)


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
