"""What one command run inside the pytest worker keeps must not reach the next command or test.

The commands run in-process (conftest.run_main, typer's CliRunner, library calls) share the
worker's module state.  The pairs below run in file order in one process (``-p no:xdist``, or
one worker): the second test of each pair failed after the first, and only then -- with
``--dist worksteal`` a failure by chance, depending on which test a worker ran before.
``conftest._fresh_process_state`` resets that state after every test; ``main()`` forgets the
files of the earlier commands as a command starts (clusterid.io.ingest.forget_files).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import zipfile

from conftest import TEST_DATA, run_main

TOY = TEST_DATA / "lq" / "toy_canonical.csv"
SIGINT_BEFORE = signal.getsignal(signal.SIGINT)  # pytest's, as this module is collected
ROWS = "region,industry,year,employment\n{r},11,2020,5\n{r},21,2020,7\nZ,11,2020,9\nZ,21,2020,3\n"


def test_a_table_read_by_a_library_call_and_then_removed(tmp_path):
    from clusterid.io.tables import scan_canonical

    table = tmp_path / "canonical.csv"
    table.write_bytes(TOY.read_bytes())
    scan_canonical(str(table))  # watched from now on (clusterid.io.atomic.watch_input)
    table.unlink()


def test_is_not_watched_by_the_next_tests_writes(tmp_path):
    # before: "canonical.csv: changed while it was read ... found gone" (the previous test's)
    from clusterid.io.atomic import write_text_atomic

    write_text_atomic(tmp_path / "out.txt", "x\n")
    assert (tmp_path / "out.txt").read_text() == "x\n"


def test_a_quiet_run(capsys):
    code, _, err = run_main(["-q", "lq", "--help"], capsys)
    assert code == 0, err


def test_does_not_silence_the_next_tests_messages(capsys):
    from clusterid.cli import console

    console.info("a note for people")
    assert capsys.readouterr().err == "a note for people\n"  # before: ''


def test_a_run_in_process_installs_its_signal_handlers(capsys):
    code, _, err = run_main(["lq", "--help"], capsys)
    assert code == 0, err


def test_ctrl_c_stops_the_next_test_as_pytest_expects():
    # before: clusterid's handler, which raises its Interrupted and re-raises it every 0.2 s
    # from a SIGALRM timer (the timer pytest-timeout's own 300 s limit runs on)
    assert signal.getsignal(signal.SIGINT) is SIGINT_BEFORE


def _zip(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("table.csv", rows)


def test_a_relative_archive_is_read_again_in_another_folder(tmp_path, monkeypatch, capsys):
    """Two tests (or a program) running `ingest data.zip` in two folders: the second read the
    first folder's members, extracted once per process and remembered by the path as given."""
    for name in ("a", "b"):
        _zip(tmp_path / name / "data.zip", ROWS.format(r=name.upper()))
    for name in ("a", "b"):
        monkeypatch.chdir(tmp_path / name)
        code, _, err = run_main(["ingest", "data.zip", "-o", "out.csv"], capsys)
        assert code == 0, err
    regions = {line.split(",")[1] for line in (tmp_path / "b" / "out.csv").read_text().splitlines()[1:]}
    assert regions == {"B", "Z"}  # before: {"A", "Z"}, folder a's table


def test_a_file_rewritten_in_place_is_checksummed_again(tmp_path, capsys):
    """The checksum an output records of its input is remembered by (device, inode, size,
    mtime): a file rewritten in place at the same size within one tick of the file system's
    clock (here: its time stamp put back, as a copy keeping time stamps does) kept the old
    content's checksum in the next command's provenance."""
    src = tmp_path / "in.csv"
    src.write_text(ROWS.format(r="C"))
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "first.csv")], capsys)
    assert code == 0, err
    was = src.stat()
    src.write_text(ROWS.format(r="D"))
    os.utime(src, ns=(was.st_atime_ns, was.st_mtime_ns))
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "second.csv")], capsys)
    assert code == 0, err
    meta = json.loads((tmp_path / "second.csv.meta.json").read_text())
    assert [i["sha256"] for i in meta["inputs"]] == [hashlib.sha256(src.read_bytes()).hexdigest()]
