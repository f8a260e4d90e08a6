"""detect's output folder: its tables and metadata.json, written so that a reader never sees a
mixed folder, and told apart from a folder of someone else's files.

detect writes every table to a temporary file beside its target first; only when all are
staged (and on disk) does it remove the old metadata.json, rename the tables into place and
write the new metadata.json last.  A folder without metadata.json is therefore a run that did
not finish (``clusterid report`` refuses it: "a detect run was interrupted; run it again").

While the old metadata.json is gone and the new one not yet written, the folder holds a hidden
mark, :data:`WRITING_MARK`, naming the tables detect is putting in place.  A run stopped in that
window (Ctrl-C, SIGTERM, a scheduler's SIGKILL, an input rewritten under it) leaves the mark, so
the next detect into the folder knows the tables as its own and replaces them: without it the
folder read as another tool's files ("not written by detect: no metadata.json of detect's"),
refused, exit 2, on every later run, ``clusterid run`` included, until the folder was emptied by
hand -- after report had said to run detect again.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from clusterid.errors import OutputError

OUTPUT_FILES = ("clusters.csv", "cluster_summary.csv", "regional_clusters.csv",
                "region_summary.csv", "relatedness.csv")
# hidden (a pipeline's fingerprint of a folder skips hidden files) and not a temporary file's
# name (the sweep of dead runs' temporary files leaves it alone)
WRITING_MARK = ".clusterid-detect-writing.json"
# locked while a detect run stages and replaces the folder's tables (removed after): two runs
# into one folder outside `clusterid run` interleaved their renames and left one's tables beside
# the other's metadata.json.  (Not run's lock name: a detect stage writes under run's outdir,
# and a second lock of the same file in one process would wait for itself.)
LOCK_NAME = ".clusterid-detect.lock"


def own_files(folder: str | os.PathLike) -> tuple[set[str] | None, str]:
    """The names in ``folder`` that detect wrote, and why the others are not known as its:
    those its metadata.json (kind "detect") lists under ``files`` plus those a mark left by an
    interrupted write names; ``None`` for "all of them" (a folder written before detect listed
    its files).  Only small JSON files are read."""
    folder = Path(folder)
    ours: set[str] = set()
    try:
        mark = json.loads((folder / WRITING_MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        mark = None
    if isinstance(mark, dict) and mark.get("kind") == "detect" and isinstance(mark.get("files"), list):
        ours.update(str(n) for n in mark["files"])
        ours.add("metadata.json")
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = None
    if not (isinstance(meta, dict) and meta.get("kind") == "detect"):
        return ours, "no metadata.json of detect's"
    files = meta.get("files")
    if not isinstance(files, dict):
        return None, ""  # a folder written before detect listed its files: all its own
    return ours | set(files) | {"metadata.json"}, "not in its metadata.json"


def refuse_replacing_others_files(outdir: str) -> None:
    """OutputError (exit 2, nothing read) when OUTDIR holds a file of detect's names that detect
    did not write: ``detect ... -o .`` replaced a clusters.csv or metadata.json of the user's own
    (a hand-made definitions table, another tool's metadata) without a word.  The files detect
    wrote are those of :func:`own_files`, so re-running detect into its own folder (a second try
    with other options; ``clusterid run``, which runs detect again when its output was modified
    or its last run was stopped) replaces them as before."""
    folder = Path(outdir)
    if not folder.is_dir():
        return
    present = [n for n in (*OUTPUT_FILES, "metadata.json") if os.path.lexists(folder / n)]
    if not present:
        return
    ours, why = own_files(folder)
    foreign = [] if ours is None else [n for n in present if n not in ours]
    if foreign:
        raise OutputError(f"{outdir}: holds {', '.join(foreign)} (not written by detect: {why}), "
                          "which detect would replace; give another output folder, or move them "
                          "away; nothing was read")


def write_outputs(outdir: str, tables: dict, meta: dict, on_wait=None) -> dict:
    """Write the tables and metadata.json so that a reader never sees a mixed folder.

    Every table is first written in full to a temporary file beside its target and synced to
    disk; only when all are staged (and the inputs are checked unchanged) is the mark
    :data:`WRITING_MARK` written, the old metadata.json removed, the tables renamed into place
    (and outputs of an earlier run that this run does not write removed), the new metadata.json
    written last and the mark removed.  A failure while staging leaves the previous run's folder
    as it was; one after it leaves the mark, so the next detect replaces the folder.  Returns
    ``{name: {"rows", "sha256"}}`` of the tables.

    All of it under the folder's lock (:data:`LOCK_NAME`, as ``clusterid run`` locks its
    outdir): a second run into the folder waits for the first to finish (``on_wait`` called
    when it starts waiting), so the folder holds one run's tables, never a mix.
    """
    folder = Path(outdir)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{outdir}: exists and is not a folder")
    created = []  # the folders made here, removed again if staging fails (a full disk)
    probe = folder.absolute()
    while not probe.exists() and probe != probe.parent:
        created.append(probe)
        probe = probe.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{outdir}: cannot create the output folder: {exc.strerror}") from exc
    lock_path = folder / LOCK_NAME
    try:
        lock = _lock_folder(outdir, lock_path, on_wait)
    except BaseException:
        _remove_created(created)
        raise
    try:
        return _replace_tables(folder, tables, meta, created, lock_path)
    finally:
        with contextlib.suppress(OSError):  # removed while held: a waiter then locks a new one
            os.unlink(lock_path)
        lock.release()


def _lock_folder(outdir: str, lock_path: Path, on_wait):
    from clusterid.pipeline import hold_lock_file

    return hold_lock_file(
        lock_path, None, on_wait, busy="", gave_up=lambda wait: "",  # (waits for ever)
        cannot=f"{outdir}: cannot create the lock of the output folder there")


def _remove_created(created: list[Path]) -> None:
    for made in created:  # deepest first; a folder holding anything stays
        try:
            made.rmdir()
        except OSError:
            break


def _replace_tables(folder: Path, tables: dict, meta: dict, created: list[Path],
                    lock_path: Path) -> dict:
    from clusterid.io.atomic import atomic_path, check_inputs_unchanged, write_text_atomic
    from clusterid.io.ingest import sha256_of
    from clusterid.io.tables import reading_ready

    meta_path = folder / "metadata.json"
    mark = folder / WRITING_MARK
    files = {}
    try:
        with contextlib.ExitStack() as stack:
            for name, df in tables.items():
                tmp = stack.enter_context(atomic_path(folder / name))
                reading_ready(df).write_csv(tmp, null_value="")
                # on disk before the old run is invalidated: the renames below then take
                # moments, not the minutes a large regional_clusters.csv can take to sync
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
                files[name] = {"rows": df.height, "sha256": sha256_of(tmp)}
            check_inputs_unchanged()  # an input rewritten meanwhile: nothing replaced
            # all staged: invalidate the previous run before the renames (on leaving this
            # block), leaving the mark that says whose tables these are
            replaced = sorted(set(tables) | {n for n in OUTPUT_FILES if (folder / n).exists()})
            write_text_atomic(mark, json.dumps({"kind": "detect", "files": replaced}) + "\n")
            if meta_path.exists():
                os.unlink(meta_path)
            for name in OUTPUT_FILES:
                if name not in tables and (folder / name).exists():
                    os.unlink(folder / name)
    except BaseException:
        if created:  # the folder made here goes again, its lock (still held) first
            with contextlib.suppress(OSError):
                os.unlink(lock_path)
            _remove_created(created)
        raise
    meta = dict(meta)
    meta["files"] = files
    # NaN and inf are no JSON: a Leiden sweep's one-cluster candidates have no VS-Cluster, and
    # json.dumps wrote "vs_cluster": NaN (``default`` sees only objects it cannot serialise)
    write_text_atomic(meta_path, json.dumps(_finite(meta), sort_keys=True, indent=1,
                                            ensure_ascii=False, allow_nan=False,
                                            default=_json_default) + "\n")
    with contextlib.suppress(OSError):
        os.unlink(mark)
    return files


def _finite(value):
    """``value`` with every non-finite float (nested in dicts, lists, tuples) made None."""
    import math

    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _json_default(value):
    import math

    try:
        import numpy as np

        if isinstance(value, np.generic):
            value = value.item()
        elif isinstance(value, np.ndarray):
            return value.tolist()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)
