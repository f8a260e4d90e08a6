"""The guard against tests that change the repository tree (tests/repo_guard.py) refuses every
way of changing a file there -- writing, touching, chmod, renaming, deleting, through a symlink
too -- and lets a test do all of it under tmp_path."""

from __future__ import annotations

import os
import shutil
import sys

import pytest
from repo_guard import Guard, RepositoryChanged


@pytest.fixture
def guarded(tmp_path):
    """A tree (standing for the repository) with one file, guarded while the test runs; and a
    scratch folder outside it."""
    tree = tmp_path / "repo"
    (tree / "data").mkdir(parents=True)
    (tree / "data" / "raw.csv").write_text("a,b\n1,2\n")
    (tree / "__pycache__").mkdir()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    guard = Guard(tree)
    sys.addaudithook(guard.hook)  # cannot be removed: disarmed after the test
    guard.armed = True
    try:
        yield guard, tree, scratch
    finally:
        guard.armed = False


CHANGES = {
    "write_text": lambda p, s: p.write_text("x"),
    "append": lambda p, s: open(p, "a").close(),
    "os.open for writing": lambda p, s: os.close(os.open(p, os.O_WRONLY)),
    "touch": lambda p, s: p.touch(),
    "utime": lambda p, s: os.utime(p, (1e9, 1e9)),
    "chmod": lambda p, s: p.chmod(0o444),
    "rename away": lambda p, s: p.rename(s / "moved"),
    "replace into": lambda p, s: os.replace(s / "new", p),
    "unlink": lambda p, s: p.unlink(),
    "copy onto": lambda p, s: shutil.copyfile(s / "new", p),
    "copy2 onto": lambda p, s: shutil.copy2(s / "new", p),
    "mkdir beside": lambda p, s: (p.parent / "sub").mkdir(),
    "rmtree": lambda p, s: shutil.rmtree(p.parent),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_change_in_the_tree_is_refused_and_recorded(guarded, change):
    guard, tree, scratch = guarded
    (scratch / "new").write_text("new\n")
    raw = tree / "data" / "raw.csv"
    before = raw.stat()
    with pytest.raises(RepositoryChanged, match="must not change the repository tree"):
        CHANGES[change](raw, scratch)
    guard.armed = False
    after = raw.stat()
    assert raw.read_text() == "a,b\n1,2\n"
    assert (after.st_mtime_ns, after.st_mode) == (before.st_mtime_ns, before.st_mode)
    # (touch tries utime, then, that refused, os.open: two)
    assert guard.seen and all(str(raw.parent) in seen for seen in guard.seen)


def test_through_a_symlink_from_outside(guarded):
    guard, tree, scratch = guarded
    link = scratch / "link.csv"
    link.symlink_to(tree / "data" / "raw.csv")
    with pytest.raises(RepositoryChanged):
        link.write_text("x")
    assert link.read_text() == "a,b\n1,2\n"  # reading is fine


def test_reading_the_tree_and_changing_elsewhere_pass(guarded):
    guard, tree, scratch = guarded
    raw = tree / "data" / "raw.csv"
    assert raw.read_text() == "a,b\n1,2\n" and raw.read_bytes()
    os.close(os.open(raw, os.O_RDONLY))
    copy = scratch / "raw.csv"
    shutil.copy2(raw, copy)
    os.utime(copy, (1e9, 1e9))
    copy.chmod(0o600)
    copy.write_text("changed\n")
    copy.rename(scratch / "renamed.csv")
    (scratch / "renamed.csv").unlink()
    (tree / "__pycache__" / "x.pyc").write_bytes(b"")  # Python's own, exempt
    (tree / "data").mkdir(exist_ok=True)  # there already: nothing changes
    os.makedirs(tree / "data", exist_ok=True)
    assert guard.seen == []


def test_names_relative_to_an_open_folder_are_not_taken_for_the_working_folders(
        guarded, monkeypatch):
    """shutil.rmtree removes names relative to the folder it opened (os.unlink(name,
    dir_fd=...)): with the working folder in the tree, an output folder's removal elsewhere
    was taken for a change of the tree (ingest_parts removing its year files)."""
    guard, tree, scratch = guarded
    monkeypatch.chdir(tree)
    (scratch / "parts").mkdir()
    (scratch / "parts" / "2016.csv").write_text("x\n")
    shutil.rmtree(scratch / "parts")
    assert not (scratch / "parts").exists() and guard.seen == []
    folder = os.open(tree / "data", os.O_RDONLY)
    try:
        with pytest.raises(RepositoryChanged):
            os.unlink("raw.csv", dir_fd=folder)  # the tree's, relative to its folder
    finally:
        os.close(folder)
    assert (tree / "data" / "raw.csv").exists()
