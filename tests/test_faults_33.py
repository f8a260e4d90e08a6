"""Session 33's hunt for faults in the later stages (detect, report, run, lq ...) and their
outputs, as scripts and schedulers meet them (faults-33)."""

from __future__ import annotations

import os

import pytest

from conftest import TEST_DATA, run_main

TOY = TEST_DATA / "lq" / "toy_canonical.csv"
HERE = TEST_DATA / "faults33"


def test_detect_stopped_while_replacing_its_folder_runs_again_into_it(tmp_path, monkeypatch,
                                                                       capsys):
    # detect removes its old metadata.json, renames the new tables into place, then writes the
    # new metadata.json.  A run stopped in between (Ctrl-C, a scheduler's SIGTERM or SIGKILL,
    # an input rewritten meanwhile) left tables without metadata.json: report said "a detect
    # run was interrupted; run it again", and running it again was refused, exit 2, on every
    # later try (clusterid run too): "holds clusters.csv ... (not written by detect: no
    # metadata.json of detect's)".  The folder now keeps a mark naming the tables as detect's.
    out = tmp_path / "det"
    args = ["detect", str(TOY), "-o", str(out), "--definitions", str(HERE / "defs.csv")]
    real = os.replace

    def stopped_before_the_metadata(src, dst):
        if str(dst).endswith("metadata.json"):
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(os, "replace", stopped_before_the_metadata)
    assert run_main(args, capsys)[0] == 130  # the tables renamed into place, then stopped
    monkeypatch.setattr(os, "replace", real)
    assert not (out / "metadata.json").exists()
    code, _, err = run_main(["report", str(out), "-o", str(tmp_path / "r.html")], capsys)
    assert code == 2 and "a detect run was interrupted; run it again" in err
    code, _, err = run_main(args, capsys)
    assert code == 0, err
    assert sorted(os.listdir(out)) == ["cluster_summary.csv", "clusters.csv", "metadata.json",
                                       "region_summary.csv", "regional_clusters.csv"]


def test_run_refuses_a_stage_writing_another_stages_csv_sidecar(tmp_path, capsys):
    # lq -o x.csv writes x.csv.meta.json too; a stage whose output was that name replaced lq's
    # metadata: every run then found lq's output modified, ran lq (which put its sidecar back)
    # and the other stage (whose output lq had replaced) again, for ever, each run exit 0.
    pipeline = tmp_path / "p.toml"
    pipeline.write_text(f'''[pipeline]
outdir = "out"

[[stage]]
name = "lq"
inputs = ["{TOY}"]
output = "x.csv"

[[stage]]
name = "stats"
inputs = ["{TOY}"]
output = "x.csv.meta.json"
''', encoding="utf-8")
    code, _, err = run_main(["run", str(pipeline), "--dry-run"], capsys)
    assert code == 2
    assert f"{pipeline}:12: stage 'stats': writes the same file as stage 'lq' (found '" in err
    assert ("x.csv.meta.json is the metadata sidecar of the CSV output of stage 'lq'; give the "
            "output another name") in err


@pytest.mark.parametrize("args, said", [
    # --io "$IO_TABLE" with the variable unset: the option was taken as not given, and the
    # clusters came from co-location alone, exit 0 (--similarity, --crosswalk alike)
    (["detect", TOY, "-o", "{tmp}/d", "--io", ""], "--io '': an empty path (an unset shell "
     "variable?); give a file name, or leave --io out"),
    (["detect", TOY, "-o", "{tmp}/d", "--similarity", ""], "--similarity '': an empty path"),
    (["detect", TOY, "-o", "", "--definitions", str(HERE / "defs.csv")],
     "-o '': an empty output path (an unset shell variable?)"),  # was "(not stdout)"
    # report's -o '' was "cannot tell the report format from the extension", and its folder ''
    # was read as the current folder ("<input>: not a `clusterid detect` output folder")
    (["report", TEST_DATA / "report" / "detect", "-o", ""], "-o '': an empty output path"),
    (["report", "", "-o", "{tmp}/r.md"], "'': an empty detect folder path (an unset shell "
     "variable?)"),
])
def test_an_empty_path_from_an_unset_variable_is_refused(args, said, tmp_path, capsys):
    code, _, err = run_main([str(a).replace("{tmp}", str(tmp_path)) for a in args], capsys)
    assert code == 2
    assert said in err and err.count("\n") == 1
    assert not (tmp_path / "d").exists()


def test_an_lq_interval_holds_its_lq_where_a_region_holds_its_industry_alone(tmp_path, capsys):
    # A count below one job (an estimate) takes the exact Poisson upper limit u of its count as
    # an LQ, the totals moving with it.  Where the region holds the industry alone, the LQ
    # falls as the count grows ((E - e + u) / (R - e + u)), so the 'upper' end came out below
    # the LQ: 0.5 jobs of LQ 21 had the interval [13.7, 17.5] (9 cells of the Utah sample
    # with --suppressed impute, an LQ of 215.5 in [209.9, 215.3]).
    import polars as pl

    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(HERE / "one_region_holds_an_industry.csv"), "-o", str(out)],
                            capsys)
    assert code == 0, err
    lq = pl.read_csv(out).filter(pl.col("lq_upper").is_not_null())
    cell = lq.filter((pl.col("region") == "A") & (pl.col("industry") == 11))
    assert cell["lq"].item() == 21.0 and cell["lq_upper"].item() == 21.0
    assert (lq["lq_lower"] <= lq["lq"]).all() and (lq["lq"] <= lq["lq_upper"]).all()


def test_run_refuses_two_pipeline_files_writing_one_output_into_their_outdir(tmp_path, capsys):
    # Two jobs sharing a reports folder keep their own records in its .clusterid-run.json, but
    # each wrote lq.csv: every run replaced the other's file, found its own 'modified' and ran
    # again, and a reader of lq.csv got whichever job ran last; each run exit 0.
    for name, options in (("monthly", ""), ("quarterly", 'options = { benchmark = "rest" }')):
        (tmp_path / f"{name}.toml").write_text(f'''[pipeline]
outdir = "shared"

[[stage]]
name = "lq"
inputs = ["{TOY}"]
output = "lq.csv"
{options}
''', encoding="utf-8")
    code, _, err = run_main(["--quiet", "run", str(tmp_path / "monthly.toml")], capsys)
    assert code == 0, err
    for extra in (["--dry-run"], []):
        code, _, err = run_main(["run", str(tmp_path / "quarterly.toml"), *extra], capsys)
        assert code == 2
        assert (f"quarterly.toml:7: stage 'lq': writes lq.csv in {tmp_path / 'shared'}, which stage "
                "'lq' of the pipeline file ../monthly.toml writes there too") in err
    assert run_main(["run", str(tmp_path / "monthly.toml")], capsys)[0] == 0
    # a pipeline file renamed or removed is no job writing there: its records are history
    (tmp_path / "monthly.toml").rename(tmp_path / "old.toml.bak")
    code, _, err = run_main(["--quiet", "run", str(tmp_path / "quarterly.toml")], capsys)
    assert code == 0, err


@pytest.mark.parametrize("rule, said", [
    # share is a fraction: 'share>=5' (5%) held for no call, and detect said only that no
    # region was strong, exit 0
    ("share>=5", "--rule 'share>=5': share is the cluster's fraction of the region's employment, "
                 "from 0 to 1 (expected e.g. share>=0.05 for 5%, found 5)"),
    ("lq>=1.25,share>1.5", "found 1.5"),
    ("lq>=-1", "--rule 'lq>=-1': lq is never negative"),  # held for every call
])
def test_a_rule_threshold_out_of_its_range_is_refused(rule, said, tmp_path, capsys):
    code, _, err = run_main(["detect", str(TOY), "-o", str(tmp_path / "d"), "--definitions",
                             str(HERE / "defs.csv"), "--rule", rule], capsys)
    assert code == 2 and said in err
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("name", ["\u202eEvil", "مدينة الرياض", "תל אביב"])
def test_a_right_to_left_name_is_isolated_in_the_report(name):
    # A cluster or region name with a right-to-left override (U+202E) reversed what followed
    # it in the HTML report, the next cluster's name and "(filled: robust)" ("slateM
    # )tsubor :dellif("), and a region's code after an Arabic or Hebrew name was shown before
    # it.  Such a name is isolated: <bdi> in HTML, FSI ... PDI in Markdown.
    from clusterid.report import html, markdown

    assert html._fmt(name) == f"<bdi>{name}</bdi>"
    assert html._fmt("<b>" + name) == f"<bdi>&lt;b&gt;{name}</bdi>"
    assert markdown.escape_md(name + " | x") == f"\u2068{name} \\| x\u2069"
    # names of left-to-right scripts are as before: no mark added
    assert html._fmt("Алматы") == "Алматы" and markdown.escape_md("Évry") == "Évry"


@pytest.mark.parametrize("log, said", [
    ("p.toml", "is the pipeline file"),
    ("t.csv", "is an input of stage 'lq'"),
    ("out/lq.csv.meta.json", "is an output of stage 'lq'"),
])
def test_run_log_file_that_is_a_file_of_the_run_is_refused(log, said, tmp_path, capsys):
    # --log-file appended its JSON lines to whatever it named: the pipeline file (the next run
    # found no valid TOML), an input (read by the next run as changed data), an output.
    import shutil

    shutil.copy(TOY, tmp_path / "t.csv")
    pipeline = tmp_path / "p.toml"
    pipeline.write_text('[pipeline]\noutdir = "out"\n\n[[stage]]\nname = "lq"\n'
                        'inputs = ["t.csv"]\noutput = "lq.csv"\n', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    for extra in (["--dry-run"], []):
        code, _, err = run_main(["run", str(pipeline), "--log-file", str(tmp_path / log), *extra],
                                capsys)
        assert code == 2 and f"{said}; the log would be appended to it" in err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("command", ["lq", "indices"])
def test_a_negative_level_is_not_told_to_roll_up_with_ingest(command, tmp_path, capsys):
    # '--level -1' was answered with "roll the codes up first with `clusterid ingest INPUT
    # --level -1 -o TABLE`", a command ingest refuses
    code, _, err = run_main([command, str(TOY), "-o", str(tmp_path / "x.csv"), "--level", "-1"],
                            capsys)
    assert code == 2 and "-1" in err and "roll the codes up" not in err


def test_run_refuses_an_empty_file_option_before_the_first_stage(tmp_path, capsys):
    # io = "" (a templated pipeline file whose variable was empty) passed the checks and
    # reached detect as --io '', read as no Use table at all, after the stages before it ran
    pipeline = tmp_path / "p.toml"
    pipeline.write_text(f'[pipeline]\noutdir = "out"\n\n[[stage]]\nname = "detect"\n'
                        f'inputs = ["{TOY}"]\noutput = "d"\noptions = {{ io = "" }}\n',
                        encoding="utf-8")
    code, _, err = run_main(["run", str(pipeline), "--dry-run"], capsys)
    assert code == 2 and "p.toml:8: stage 'detect': option io is empty" in err


# a region, industry or cluster name that a terminal would act on: clear the screen, retitle the
# window, colour what follows, overwrite the line (carriage return, backspace), a C1 control,
# and a right-to-left override that shows the text after it backwards
_HOSTILE = "Aa\x1b[2J\x1b]0;pwned\x07\r\x08\x85\u202eoof"
_SHOWN = "Aa\\x1b[2J\\x1b]0;pwned\\x07\\x0d\\x08\\x85\\u202eoof"


def _unsafe(text: str) -> list[str]:
    import re

    return re.findall("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text)


@pytest.mark.parametrize("terminal", [False, True])
def test_a_message_quoting_a_name_shows_its_control_characters_escaped(terminal, monkeypatch,
                                                                       capsys):
    # every message for people goes through console.info or console.error: a name quoted in
    # one (ingest's problems and warnings, lq's and detect's notes) reached the terminal raw,
    # which cleared the screen and retitled the window
    import sys

    from clusterid.cli import console

    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    monkeypatch.setattr(console, "_state", {"quiet": False, "debug": False})
    console.info(f"warning: region {_HOSTILE} has no rows")
    console.error(f"{_HOSTILE}: bad")
    err = capsys.readouterr().err
    assert not _unsafe(err), err
    assert f"warning: region {_SHOWN} has no rows" in err
    assert f"clusterid: error: {_SHOWN}: bad" in err


def test_the_stats_table_shows_a_names_control_characters_escaped(tmp_path, capsys):
    # the table view (a terminal's default) printed the names as they were: rich dropped the
    # bell and the backspace but passed ESC sequences and the override on
    table = tmp_path / "t.csv"
    rows = ["period,region,region_name,ownership,industry,industry_name,level,employment,"
            "employment_status"]
    for region, total in (("A", 100), ("B", 300)):
        rows += [f'2016,{region},"{_HOSTILE}",total,10,"{_HOSTILE}",0,{total},reported',
                 f'2016,{region},"{_HOSTILE}",total,11,"{_HOSTILE}",2,{total // 2},reported']
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for by in ("region", "industry"):
        code, out, err = run_main(["stats", str(table), "--by", by, "--output-format", "table"],
                                  capsys)
        assert code == 0, err
        assert not _unsafe(out), out
        assert "Aa\\x1b[2J" in out
    # a file keeps the data as it is
    code, _, err = run_main(["stats", str(table), "-o", str(tmp_path / "s.csv")], capsys)
    assert code == 0, err
    assert _HOSTILE in (tmp_path / "s.csv").read_bytes().decode("utf-8")


def test_the_markdown_report_on_a_terminal_shows_control_characters_escaped(tmp_path,
                                                                           monkeypatch, capsys):
    import sys

    defs = tmp_path / "defs.csv"
    defs.write_text(f'industry,cluster,cluster_name,type\n11,X,"{_HOSTILE}",traded\n'
                    "21,Y,Why,local\n", encoding="utf-8")
    out = tmp_path / "det"
    code, _, err = run_main(["detect", str(TOY), "-o", str(out), "--definitions", str(defs)],
                            capsys)
    assert code == 0, err
    code, piped, err = run_main(["report", str(out), "-o", "-"], capsys)
    assert code == 0, err
    assert "\x1b" in piped and "pwned\x07" in piped  # a pipe or file keeps the data
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, shown, err = run_main(["report", str(out), "-o", "-"], capsys)
    assert code == 0, err
    assert not _unsafe(shown) and "\\x1b" in shown and "pwned\\x07" in shown


def test_stats_refuses_a_table_into_a_file(tmp_path, capsys):
    # -o x.json --output-format table wrote JSON, unsaid: the table is a terminal's view
    target = tmp_path / "x.json"
    code, _, err = run_main(["stats", str(TOY), "-o", str(target), "--output-format", "table"],
                            capsys)
    assert code == 2 and "--output-format table shows the table on a terminal" in err
    assert len(err.strip().splitlines()) == 1 and not target.exists()
    code, out, err = run_main(["stats", str(TOY), "-o", "-", "--output-format", "table"], capsys)
    assert code == 0 and "region statistics" in out, err


def test_detect_waits_for_another_detect_writing_into_its_folder(tmp_path, monkeypatch, capsys):
    # two detect runs into one folder outside `clusterid run` interleaved their renames: one
    # run's tables beside the other's metadata.json.  The folder is locked while detect
    # replaces its tables (as run locks its outdir); a second run waits for the first.
    import threading

    from filelock import FileLock

    from clusterid.cli import console

    lock_name = ".clusterid-detect.lock"
    out = tmp_path / "det"
    out.mkdir()
    held, release = threading.Event(), threading.Event()

    def another_detect() -> None:  # holds the folder's lock until detect says it waits
        with FileLock(str(out / lock_name)):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=another_detect)
    holder.start()
    held.wait(30)
    said = []
    real_info = console.info

    def info(message: str) -> None:
        said.append(message)
        if "waiting for another detect run" in message:
            assert os.listdir(out) == [lock_name]  # nothing written meanwhile
            release.set()
        real_info(message)

    monkeypatch.setattr(console, "info", info)
    try:
        code, _, err = run_main(["detect", str(TOY), "-o", str(out), "--definitions",
                                 str(HERE / "defs.csv")], capsys)
    finally:
        release.set()
        holder.join(30)
    assert code == 0, err
    assert any(f"waiting for another detect run to finish writing to {out}" in m for m in said)
    # the lock goes with the run: the folder holds detect's files alone
    assert sorted(os.listdir(out)) == ["cluster_summary.csv", "clusters.csv", "metadata.json",
                                       "region_summary.csv", "regional_clusters.csv"]


def test_run_dry_run_on_a_terminal_shows_a_names_control_characters_escaped(tmp_path,
                                                                          monkeypatch, capsys):
    # the plan named the stage as it was: a name holding an ESC sequence retitled the
    # terminal (a file name with one is refused when the pipeline is read)
    import sys

    (tmp_path / "p.toml").write_text('[pipeline]\noutdir = "out"\n\n[[stage]]\n'
                                     'name = "lq\\u001b]0;pwned\\u0007"\ncommand = "lq"\n'
                                     f'inputs = ["{TOY}"]\noutput = "lq.csv"\n',
                                     encoding="utf-8")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run_main(["run", str(tmp_path / "p.toml"), "--dry-run"], capsys)
    assert code == 0, err
    assert not _unsafe(out), out
    assert "lq\\x1b]0;pwned\\x07" in out
