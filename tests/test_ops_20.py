"""The tool as scripts and scheduled jobs use it (session 20): file modes under a umask,
read-only targets, a service account's quiet logs, signals (SIGHUP) and killed runs'
temporary folders, a stderr or stdout that takes nothing, clusterid's flags after the
command, pipeline paths under ``~``; and inputs of the wrong or a damaged kind: a zip cut
short, a detect folder copied half-way, a canonical table saved again by pandas or R or in
another row order, clusterid's own JSON files given as tables.

Inputs are the repository's own files: ``tests/data/generic/de_laender_latin1.csv`` (a
Länder table by WZ section as a German office's Excel export saves it), the report fixture
``tests/data/report/detect`` (a `clusterid detect` output folder) and the QCEW sample
``data/samples/qcew_utah_2016_counties.csv.gz`` (zipped as BLS ships its by-area files).
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TEST_DATA, csv_rows, run_main, run_ok

LAENDER = TEST_DATA / "generic" / "de_laender_latin1.csv"
DETECT = TEST_DATA / "report" / "detect"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextlib.contextmanager
def _umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
@pytest.mark.parametrize("mask, mode", [(0o077, 0o600), (0o002, 0o664), (0o022, 0o644)])
def test_outputs_are_written_with_the_modes_the_umask_gives(mask, mode, tmp_path, capsys):
    """A cron job run under ``umask 077`` on confidential statistics left every output 0644,
    readable by every user of the machine (and a team's ``umask 002`` could not share them):
    the mode was fixed.  Files now take 0666 minus the umask, as ``touch`` does."""
    with _umask(mask):
        run_ok(["lq", str(LAENDER), "-o", str(tmp_path / "lq.csv")], capsys)
        run_ok(["ingest", str(LAENDER), "-o", str(tmp_path / "c.parquet")], capsys)
        run_ok(["report", str(DETECT), "-o", str(tmp_path / "r.md")], capsys)
    for name in ("lq.csv", "lq.csv.meta.json", "c.parquet", "r.md"):
        assert _mode(tmp_path / name) == mode, (name, oct(_mode(tmp_path / name)))


@contextlib.contextmanager
def _read_only_folder(folder: Path):
    """A folder this process cannot write: chmod for a user, a read-only tmpfs for root (whom
    modes do not stop); skipped where neither is possible."""
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(folder)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs as root here ({res.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.skipif(sys.platform != "linux", reason="read-only folders made the Linux way")
@pytest.mark.parametrize("command", [["lq"], ["impute"], ["indices"], ["ingest"],
                                     ["shift-share", "--from", "2015", "--to", "2016"]])
def test_a_read_only_output_folder_is_refused_before_the_work(command, tmp_path, capsys):
    """lq, impute, indices, shift-share and ingest read and computed everything (minutes on a
    national panel), printed their summary, and only then failed at the rename with
    'permission denied'.  Now the folder is checked first: one line, exit 2, nothing read."""
    with _read_only_folder(tmp_path / "ro") as ro:
        target = ro / "sub" / "out.csv"
        code, out, err = run_main([command[0], str(LAENDER), "-o", str(target), *command[1:]],
                                  capsys)
        assert code == 2, err
        assert err == (f"clusterid: error: {target}: cannot write output: permission denied "
                       f"(read-only target?): the folder {ro} cannot be written\n")
        assert out == "" and list(ro.iterdir()) == []


def test_a_file_where_the_output_folder_should_be_is_named(tmp_path, capsys):
    """``-o results/lq.csv`` where ``results`` is a file: said before the work, naming it."""
    blocker = tmp_path / "results"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "lq.csv"
    code, _out, err = run_main(["lq", str(LAENDER), "-o", str(target)], capsys)
    assert code == 2
    assert err == (f"clusterid: error: {target}: cannot write output: {blocker} is a file, "
                   "not a folder\n")
    assert blocker.read_text(encoding="utf-8") == "x"


def test_a_service_account_without_a_writable_home_gets_a_quiet_report(tmp_path):
    """A scheduled job run as a service account (HOME=/nonexistent, or a read-only home):
    matplotlib, drawing the report's charts, could not make its config folder and said so in
    two lines on stderr on every run, with -q too.  The report is the same; stderr is now
    empty.  A subprocess: matplotlib looks for the folder once per process, at its import."""
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if k not in ("MPLCONFIGDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    env["HOME"] = str(blocker / "home")  # no folder can be made under a file, root or not
    out = tmp_path / "report.html"
    res = subprocess.run([sys.executable, "-m", "clusterid", "-q", "report", str(DETECT),
                          "-o", str(out)], env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    assert "<svg" in out.read_text(encoding="utf-8")


def test_a_zip_archive_cut_short_is_said_to_be_one(tmp_path, capsys):
    """BLS's ``2016_qtrly_by_area.zip`` whose download stopped half-way (the central directory
    at its end is missing): every command called it 'not a readable workbook: a damaged zip
    file (xlsx, xlsb and ods are zips)', sending the user to look for a spreadsheet.  A file
    named .zip is now said to be a damaged or cut archive, to download again; exit 1."""
    archive = _by_area_zip(tmp_path)
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    for command in ("ingest", "lq"):
        out = tmp_path / f"{command}.csv"
        code, _out, err = run_main([command, str(archive), "-o", str(out)], capsys)
        assert code == 1, err
        assert err == (f"clusterid: error: {archive}: not a readable zip archive: damaged or cut "
                       "short (found 'BadZipFile: File is not a zip file'); download it again "
                       "(a download that stopped leaves such a file)\n")
        assert not out.exists() and not Path(f"{out}.meta.json").exists()


# clusterid's entry point with one addition: once the zip archive is extracted, the path of
# its private copy on stdout, then a wait for a line on stdin -- the test's signal arrives
# while the command works, at a point it knows, with no timing
MARKED_ZIP_INGEST = """
import os, signal, sys
if sys.argv[1] == "nohup":
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
del sys.argv[1]
from clusterid.entry import main, set_environment
set_environment()
import clusterid.io.ingest as module
extract = module.archive_members
def archive_members(path):
    members = extract(path)
    os.write(1, (os.path.dirname(os.path.dirname(members[0])) + "\\n").encode())
    sys.stdin.readline()
    return members
module.archive_members = archive_members
main()
"""


def _by_area_zip(tmp_path: Path) -> Path:
    """BLS's by-area archive as downloaded, its one member the first 300 lines of the sample."""
    import gzip
    import zipfile

    sample = TEST_DATA.parent.parent / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
    with gzip.open(sample, "rt", encoding="utf-8") as fh:
        text = "".join(fh.readline() for _ in range(300))
    archive = tmp_path / "2016_qtrly_by_area.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("2016.q1-q4.by_area/2016.q1-q4 49000 Utah -- Statewide.csv", text)
    return archive


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
@pytest.mark.parametrize("nohup", [False, True])
def test_a_hang_up_stops_a_command_as_sigterm_does_unless_under_nohup(nohup, tmp_path):
    """An ssh session closed under a running ``clusterid ingest 2016_qtrly_by_area.zip``:
    SIGHUP killed the process outright, leaving the archive's extracted copy in the temporary
    folder (hundreds of MB for a year of BLS files, never removed) and its temporary output
    file.  It now stops as on SIGTERM: both removed, exit 129, one line.  Started under nohup
    (SIGHUP ignored), the command goes on to its output as before."""
    archive = _by_area_zip(tmp_path)
    out = tmp_path / "out" / "canonical.parquet"
    proc = subprocess.Popen([sys.executable, "-c", MARKED_ZIP_INGEST, "nohup" if nohup else "-",
                             "ingest", str(archive), "-o", str(out)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    extracted = Path(proc.stdout.readline().decode().strip())
    assert extracted.name.startswith("clusterid-zip-") and extracted.is_dir()
    proc.send_signal(signal.SIGHUP)
    _out, err = proc.communicate(b"go\n", timeout=120)
    err = err.decode()
    assert not extracted.exists()
    if nohup:
        assert proc.returncode == 0, err
        assert out.is_file()
    else:
        assert proc.returncode == 129, err
        assert err == "clusterid: error: interrupted\n"
        assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


# The all-industries rows of Utah's state and first twelve counties, 2016Q1, from the QCEW
# sample (data/samples), as a canonical CSV pandas writes: clusterid's columns, no sidecar.
# QCEW's quarterly employment is the average of three months, so most are thirds.
UTAH_TOTALS = [
    ("49000", "Utah -- Statewide", "state", 1137217.0, 1358315.6666666665),
    ("49001", "Beaver County, Utah", "county", 2053.0, 2795.0),
    ("49003", "Box Elder County, Utah", "county", 16614.333333333332, 19343.0),
    ("49005", "Cache County, Utah", "county", 42375.666666666664, 52198.666666666664),
    ("49007", "Carbon County, Utah", "county", 6204.0, 8096.333333333333),
    ("49009", "Daggett County, Utah", "county", 124.0, 327.0),
    ("49011", "Davis County, Utah", "county", 89710.0, 116124.66666666666),
    ("49013", "Duchesne County, Utah", "county", 5441.0, 7609.0),
    ("49015", "Emery County, Utah", "county", 2168.6666666666665, 2997.6666666666665),
    ("49017", "Garfield County, Utah", "county", 1332.0, 1767.3333333333333),
    ("49019", "Grand County, Utah", "county", 3719.333333333333, 4632.666666666666),
    ("49021", "Iron County, Utah", "county", 12475.333333333332, 16307.333333333332),
    ("49023", "Juab County, Utah", "county", 2777.333333333333, None),
]


def _utah_totals_csv(rows) -> str:
    head = ("period,region,ownership,industry,region_name,region_level,industry_name,"
            "classification,level,employment,employment_status\n")
    return head + "".join(
        f'2016Q1,{region},{ownership},10,"{name}",{level},"Total, all industries",NAICS,0,'
        f"{value!r},reported\n" for region, ownership, name, level, value in rows)


def test_a_table_clusterid_did_not_write_gives_the_same_bytes_in_any_row_order(tmp_path, capsys):
    """A canonical table written by pandas (no sidecar) was read in its own row order: lq
    summed the regions in that order, so the same table with its rows reversed gave the
    benchmark totals other last digits, and the ten counties' all-ownership LQs (1 by
    definition) came out 'significant' with p 0 and an SLQ of -0.95; impute wrote its rows in
    the input's order.  Such a table is now put into key order, as ingest writes one."""
    rows = [(region, ownership, name, level, value)
            for region, name, level, private, total in UTAH_TOTALS
            for ownership, value in (("private", private), ("total", total)) if value is not None]
    outputs = {}
    for order, given in (("as listed", rows), ("reversed", rows[::-1])):
        folder = tmp_path / order.replace(" ", "_")
        folder.mkdir()
        (folder / "utah.csv").write_text(_utah_totals_csv(given), encoding="utf-8")
        run_ok(["lq", str(folder / "utah.csv"), "-o", str(folder / "lq.csv")], capsys)
        run_ok(["impute", str(folder / "utah.csv"), "-o", str(folder / "imputed.csv")], capsys)
        outputs[order] = {name: (folder / name).read_text(encoding="utf-8")
                          for name in ("lq.csv", "imputed.csv")}
    assert outputs["reversed"] == outputs["as listed"]
    lq = csv_rows(outputs["reversed"]["lq.csv"])
    assert {r["lq"] for r in lq} == {"1.0"} and "true" not in {r["significant"] for r in lq}
    imputed = csv_rows(outputs["reversed"]["imputed.csv"])
    assert [(r["region"], r["ownership"]) for r in imputed] == sorted(
        (r[0], r[1]) for r in rows)


def test_a_pipeline_path_starting_with_a_tilde_starts_in_the_home_folder(tmp_path, capsys,
                                                                          monkeypatch):
    """A pipeline file for cron, in a project folder, reading ``~/data/...`` and writing to
    ``outdir = "~/reports/clusters"``: the run made a folder named ``~`` beside the pipeline
    file (one ``rm -rf ~`` away from the user's home) and the input was 'no such file'.  A
    leading ``~`` is now the home folder, as in a shell."""
    import shutil

    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    shutil.copy(LAENDER, home / "data" / "laender.csv")
    project = tmp_path / "project"
    project.mkdir()
    toml = project / "pipeline.toml"
    toml.write_text('[pipeline]\noutdir = "~/reports/clusters"\n\n[[stage]]\nname = "ingest"\n'
                    'inputs = ["~/data/laender.csv"]\noutput = "canonical.csv"\n',
                    encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    run_ok(["run", str(toml)], capsys)
    assert (home / "reports" / "clusters" / "canonical.csv").is_file()
    assert sorted(p.name for p in project.iterdir()) == ["pipeline.toml"]
    _out, err = run_ok(["run", str(toml), "--log-json"], capsys)
    assert '"status": "skipped"' in err


def test_a_detect_table_cut_inside_a_quoted_name_is_said_to_be_cut(tmp_path, capsys):
    """A detect folder copied by a job that stopped mid-file (a full disk, a killed rsync),
    clusters.csv ending inside a quoted industry title: report said 'not a readable CSV file
    (found 'could not parse `"Search, Detect` as dtype `str` at column ...')', naming no line.
    It now says which row was cut and what to do, as for a row cut between fields."""
    import shutil

    folder = tmp_path / "detect"
    shutil.copytree(DETECT, folder)
    table = folder / "clusters.csv"
    text = table.read_text(encoding="utf-8")
    table.write_text(text[: text.index('"Search, Detection') + len('"Search, Detect')],
                     encoding="utf-8")
    code, _out, err = run_main(["report", str(folder), "-o", str(tmp_path / "r.md")], capsys)
    assert code == 1, err
    assert err == (f"clusterid: error: {table}:4: row has 2 fields, the header has 10 (expected "
                   "10 fields, found '334511,Search, Detect'); the file was cut; run `clusterid "
                   "detect` again into this folder\n")
    assert not (tmp_path / "r.md").exists()


def test_a_detect_table_cut_on_a_field_boundary_is_not_read_as_an_edit(tmp_path, capsys):
    """The same copy stopped right after a comma or inside the last number of a row: the rows
    had the right width, so report read the table as one edited by hand (said on stderr, exit
    0) with a wrong last value -- or, cut in regional_clusters.csv, reported the last period
    left with its one region.  An edited table ending inside its last line (detect ends each
    with a line break) is now refused as cut; with the line break it reads as an edit."""
    import shutil

    folder = tmp_path / "detect"
    shutil.copytree(DETECT, folder)
    table = folder / "clusters.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = "".join(lines[:-1]) + lines[-1].rstrip("\n")[:-2]  # '...,0.31,data:d'
    table.write_text(kept, encoding="utf-8")
    out = tmp_path / "r.md"
    code, _out, err = run_main(["report", str(folder), "-o", str(out)], capsys)
    assert code == 1, err
    assert err == (f"clusterid: error: {table}:{len(lines)}: cut short: not the table detect wrote "
                   "(its checksum differs), and it ends inside its last line (expected a line "
                   "break after the last row, as detect writes it, found 'no line break'); the "
                   "file was cut (a copy stopped?); run `clusterid detect` again into this "
                   "folder, or, edited by hand, end it with a line break\n")
    assert not out.exists()
    table.write_text(kept + "\n", encoding="utf-8")  # an edit: read, and said to be one
    code, _out, err = run_main(["report", str(folder), "-o", str(out)], capsys)
    assert code == 0 and "clusters.csv differs from the checksums detect recorded" in err, err


def test_a_canonical_table_filtered_with_pandas_and_saved_as_parquet_is_read(tmp_path, capsys):
    """A user reads a canonical table with pandas, keeps some rows and saves it with
    ``to_parquet``: pandas reads a text column empty on every row (the Länder table has no
    region or industry names) as float64 NaN, so the Parquet file held those columns as
    numbers and every command refused it ('column 'region_name': not a clusterid canonical
    table (expected a text column ..., found 'Float64 values')', three lines, exit 1).  A
    column with no value at all is now the empty text column it stands for."""
    import pandas as pd

    canonical = tmp_path / "laender.csv"
    run_ok(["ingest", str(LAENDER), "-o", str(canonical)], capsys)
    table = pd.read_csv(canonical, dtype={"period": str, "region": str, "industry": str})
    assert table["region_name"].dtype == "float64"  # the layout this test is about
    table.to_parquet(tmp_path / "filtered.parquet", index=False)
    for name in ("laender.csv", "filtered.parquet"):
        run_ok(["lq", str(tmp_path / name), "-o", str(tmp_path / f"lq_{name}.csv")], capsys)
    assert (tmp_path / "lq_filtered.parquet.csv").read_text(encoding="utf-8") == \
        (tmp_path / "lq_laender.csv.csv").read_text(encoding="utf-8")


def test_a_canonical_table_saved_again_by_r_is_read(tmp_path, capsys):
    """A canonical CSV read into R and written back with ``write.csv(d, row.names = FALSE)``:
    R quotes every text and writes a missing number as NA, so every command refused it
    ("column 'employment_lower': not a number (... found 'NA')", exit 1).  NA in a numeric
    column of a table clusterid did not write is now an empty cell: the same LQs as the
    original; an NA value marked reported is still refused, as an empty one is."""
    import csv

    canonical = tmp_path / "laender.csv"
    run_ok(["ingest", str(LAENDER), "-o", str(canonical)], capsys)
    with open(canonical, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    numeric = {c for c in rows[0] if c == "level" or c.split("_")[0] in
               ("employment", "establishments", "output") and not c.endswith(("_status", "_flag"))}
    saved = tmp_path / "from_r.csv"
    with open(saved, "w", encoding="utf-8", newline="") as fh:
        for n, row in enumerate(rows):
            fh.write(",".join(f'"{v}"' if n == 0 or h not in numeric else (v or "NA")
                              for h, v in zip(rows[0], row)) + "\n")
    assert ",NA," in saved.read_text(encoding="utf-8")  # the layout this test is about
    for name in ("laender.csv", "from_r.csv"):
        run_ok(["lq", str(tmp_path / name), "-o", str(tmp_path / f"lq_{name}")], capsys)
    assert (tmp_path / "lq_from_r.csv").read_bytes() == (tmp_path / "lq_laender.csv").read_bytes()
    text = saved.read_text(encoding="utf-8").replace(',196912.0,"reported"', ',NA,"reported"', 1)
    saved.write_text(text, encoding="utf-8")
    code, _out, err = run_main(["lq", str(saved), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1 and "column 'employment': an empty cell marked reported" in err, err


def test_quiet_and_debug_are_taken_after_the_command_too(tmp_path, capsys):
    """A cron line ``clusterid lq X -o Y -q`` (or ``--debug`` at the end, as an internal
    error asks to rerun) failed with "lq: No such option: -q", exit 2: they were taken only
    before the command.  clusterid's own flags are now taken anywhere before a ``--``."""
    out = tmp_path / "lq.csv"
    code, _out, err = run_main(["lq", str(LAENDER), "-o", str(out), "-q"], capsys)
    assert (code, err) == (0, "") and out.is_file()
    code, _out, err = run_main(["lq", str(LAENDER), "--debug", "-o", str(out), "--quiet"], capsys)
    assert (code, err) == (0, "")
    code, _out, err = run_main(["lq", "--", "-q"], capsys)  # after --, a file named -q
    assert code == 2 and err == "clusterid: error: -q: no such file\n", err


class _Unwritable:
    """A stderr that takes nothing: a log file on a full disk, or a pipe whose reader left."""

    def __init__(self, exc: OSError):
        self.exc = exc

    def write(self, text):
        raise self.exc

    def flush(self):
        raise self.exc

    def isatty(self):
        return False


def _exit_code(argv) -> int:
    from clusterid.cli.app import main

    try:
        main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    return 0


@pytest.mark.parametrize("exc", [OSError(28, "No space left on device"),
                                 BrokenPipeError(32, "Broken pipe")], ids=["full", "gone"])
def test_a_stderr_that_takes_nothing_never_stops_the_work(exc, tmp_path, monkeypatch):
    """``clusterid lq X -o Y 2>>/var/log/clusterid.log`` on a full log disk: lq's first note
    raised ENOSPC, so it stopped before writing its output and exited 1 ('bad data');
    ``... 2>&1 | head`` whose reader left: EPIPE, taken for a closed stdout, no output, exit 0.
    The messages are lost now, never the work: the output is written and the exit code is the
    command's own (1 for a bad input, nothing written)."""
    monkeypatch.setattr(sys, "stderr", _Unwritable(exc))
    out = tmp_path / "lq.csv"
    assert _exit_code(["lq", str(LAENDER), "-o", str(out)]) == 0
    assert out.is_file() and Path(f"{out}.meta.json").is_file()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert _exit_code(["lq", str(empty), "-o", str(tmp_path / "x.csv")]) == 1
    assert not (tmp_path / "x.csv").exists()


def test_standard_output_on_a_full_disk_is_said_so(tmp_path, capsys, monkeypatch):
    """``clusterid stats X > /full/stats.csv`` (or ``ingest X -o - > ...``) on a full disk:
    "internal error: OSError: [Errno 28] No space left on device (rerun with --debug for a
    traceback)", a bug of ours to whoever reads the job's log.  Now the disk is said to be
    full, exit 2 as before."""
    full = _Unwritable(OSError(28, "No space left on device"))
    full.buffer = full  # the CSV writers write bytes to sys.stdout.buffer
    monkeypatch.setattr(sys, "stdout", full)
    for argv in (["stats", str(LAENDER)], ["ingest", str(LAENDER), "-o", "-"]):
        assert _exit_code(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("clusterid: error: cannot write: the disk is full (the output, "
                              "standard output, or the temporary folder "), err
        assert "internal error" not in err and len(err.splitlines()) == 1


def test_a_killed_runs_temporary_folder_is_removed_by_the_next_one(tmp_path, capsys, monkeypatch):
    """A scheduled ingest of BLS's by-area zip killed outright (SIGKILL: the out-of-memory
    killer, a scheduler's hard timeout) left the archive's extracted copy in the temporary
    folder for good, one per killed run.  The folder's name now says which process on which
    host made it, and the next run that makes one removes those whose process is gone; a
    live process's folder, another host's and a name of another form are kept."""
    from clusterid.io.atomic import _HOST

    archive = _by_area_zip(tmp_path)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp))
    proc = subprocess.Popen([sys.executable, "-c", MARKED_ZIP_INGEST, "-", "ingest", str(archive),
                             "-o", str(tmp_path / "killed.parquet")], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    left = Path(proc.stdout.readline().decode().strip())
    proc.kill()
    proc.communicate(timeout=120)
    assert left.parent == tmp and left.is_dir()  # what SIGKILL leaves
    kept = [tmp / f"clusterid-zip-{_HOST}-{os.getpid()}-live", tmp / "clusterid-zip-000000-1-x",
            tmp / "clusterid-zip-old"]
    for folder in kept:
        folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp))
    run_ok(["ingest", str(archive), "-o", str(tmp_path / "next.parquet")], capsys)
    assert not left.exists()
    assert all(folder.is_dir() for folder in kept)


def test_a_json_file_clusterid_wrote_given_as_a_table_is_named(tmp_path, capsys):
    """``clusterid lq panel.csv.meta.json`` (a tab completion one step too far) or detect's
    metadata.json given as the table: "a JSON file that is no JSON-stat dataset ...; download
    the table as SDMX-CSV or TSV instead", exit 1, sending the user to a statistics office.
    Now the file is said to be clusterid's metadata and the table to give is named; exit 2,
    the wrong file given, as another stage's output is."""
    table = tmp_path / "laender.csv"
    run_ok(["ingest", str(LAENDER), "-o", str(table)], capsys)
    code, _out, err = run_main(["lq", f"{table}.meta.json", "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 2 and err == (f"clusterid: error: {table}.meta.json: the metadata sidecar of "
                                 f"{table} (clusterid's record of how it was made), not a table; "
                                 f"give {table} itself\n"), err
    code, _out, err = run_main(["stats", str(DETECT / "metadata.json")], capsys)
    assert code == 2 and err == (f"clusterid: error: {DETECT / 'metadata.json'}: the metadata of "
                                 "a `clusterid detect` output folder, not a table; give the table "
                                 f"detect was run on (`clusterid report {DETECT}` reads the "
                                 "folder)\n"), err
    assert not (tmp_path / "x.csv").exists()
