"""Crash hunt 22: hostile and malformed inputs to the commands after ingest (session 22).

Each test is a defect found by feeding lq, stats, indices, shift-share, impute, detect, report
or run a canonical table edited by hand, a table another tool wrote, or options and paths a
user or a scheduled job would give, and pins the fix: one line naming the file (line, column,
what was expected, what was found), a non-zero exit, no output left behind, or the right
numbers where they were silently wrong.  The tables are made up in the tests, with Utah's
county codes and NAICS codes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import csv_rows, run_main, run_ok

HEADER = ("period,region,ownership,industry,region_name,region_level,industry_name,"
          "classification,level,employment,employment_status")
# (code, level, employment in each of three counties)
INDUSTRIES = [("10", 0, (900, 700, 500)), ("23", 2, (300, 200, 100)), ("236", 3, (120, 90, 40)),
              ("237", 3, (80, 60, 20)), ("238", 3, (100, 50, 40)), ("31-33", 2, (200, 100, 150)),
              ("311", 3, (200, 100, 150))]
COUNTIES = [("49001", "Beaver County"), ("49003", "Box Elder County"), ("49005", "Cache County")]


def canonical_text(level=lambda code, lv: str(lv), classification="NAICS") -> str:
    """A small canonical table of three Utah counties (made up), as a user would save it:
    ``level(code, level)`` gives each row's level cell."""
    lines = [HEADER]
    for period in ("2016Q1", "2016Q2"):
        for r, (region, name) in enumerate(COUNTIES):
            for code, lv, jobs in INDUSTRIES:
                lines.append(f"{period},{region},private,{code},{name},county,,{classification},"
                             f"{level(code, lv)},{jobs[r]},reported")
    return "\n".join(lines) + "\n"


def _line_of(text: str, code: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if f",private,{code}," in line)


@pytest.mark.parametrize("command", ["lq", "impute", "stats", "indices", "detect"])
def test_a_level_that_is_not_the_codes_own_is_refused(tmp_path, capsys, command):
    # a level typed by hand (236 at level 5) was trusted: lq put the industry among level 5's,
    # indices and detect took the lone row for the deepest level, and impute and detect
    # failed with "internal error: ShapeError: Series length ... doesn't match"
    text = canonical_text(level=lambda code, lv: "5" if code == "236" else str(lv))
    src = tmp_path / "hand.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / ("det" if command == "detect" else "out.csv")
    code, _out, err = run_main([command, str(src), "-o", str(out)], capsys)
    assert code == 1, err
    assert (f"hand.csv:{_line_of(text, '236')}: column 'level': not the level of its industry "
            "code (expected 3, the level of NAICS code 236, found '5 (period=2016Q1, "
            "region=49001, ownership=private, industry=236)')") in err
    assert "internal error" not in err
    assert not out.exists()


def test_levels_counted_in_digits_are_refused(tmp_path, capsys):
    # 'level = number of digits', the easy way to fill the column, makes the total (10) level
    # 2 and 31-33 level 5: lq read the total as an industry beside construction
    text = canonical_text(level=lambda code, lv: str(len(code)))
    src = tmp_path / "digits.csv"
    src.write_text(text, encoding="utf-8")
    code, _out, err = run_main(["lq", str(src), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 1
    assert "column 'level': not the level of its industry code (expected 0, the level of NAICS " \
           "code 10, found '2 (" in err
    assert "(expected 2, the level of NAICS code 31-33, found '5 (" in err


def test_a_misspelt_classification_is_refused(tmp_path, capsys):
    # 'NAISC' was read as a classification of its own, silently: no NAICS hierarchy, no
    # USCMP definitions, the codes custom
    text = canonical_text(classification="NAISC")
    src = tmp_path / "typo.csv"
    src.write_text(text, encoding="utf-8")
    code, _out, err = run_main(["lq", str(src), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 1
    assert ("typo.csv:2: column 'classification': not a classification (expected one of NAICS, "
            "NACE, NACE-R1.1, custom, found 'NAISC (period=2016Q1, region=49001, "
            "ownership=private, industry=10)')") in err


def test_a_code_of_another_classification_is_refused(tmp_path, capsys):
    # one row marked NACE among NAICS ones (a table pasted together): impute failed with
    # "internal error: ShapeError"; ingest refuses such a code
    text = canonical_text()
    lines = text.splitlines()
    at = _line_of(text, "237")
    lines[at - 1] = lines[at - 1].replace(",NAICS,", ",NACE,")
    src = tmp_path / "mixed.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _out, err = run_main(["impute", str(src), "-o", str(tmp_path / "imp.csv")], capsys)
    assert code == 1, err
    assert (f"mixed.csv:{at}: column 'industry': not a code of its classification (expected a "
            "code of the row's classification") in err
    assert "found '237 (period=2016Q1, region=49001, ownership=private, industry=237)'" in err


def test_empty_level_cells_are_the_codes_levels(tmp_path, capsys):
    # a level column left empty was read as no level: lq summed each county's total over both
    # levels (Beaver County's private jobs 1,000 where its sectors hold 500), every share
    # halved; the same table without the column (read as a generic table) was right
    outs = []
    for name, level in (("full.csv", lambda code, lv: str(lv)), ("blank.csv", lambda code, lv: ""),
                        ("some.csv", lambda code, lv: "" if code in ("236", "31-33") else str(lv))):
        src = tmp_path / name
        src.write_text(canonical_text(level=level), encoding="utf-8")
        out, _err = run_ok(["lq", str(src), "-o", "-", "--denominator", "sum"], capsys)
        outs.append(out)
    assert outs[1] == outs[0] and outs[2] == outs[0]
    row = next(r for r in csv_rows(outs[1]) if r["region"] == "49001" and r["industry"] == "23"
               and r["period"] == "2016Q1")
    assert row["level"] == "2" and float(row["region_total"]) == 500


def test_a_parquet_table_without_levels_is_read_with_them(tmp_path, capsys):
    # a canonical-looking Parquet table without the level column (pandas or R wrote it) was
    # opened as canonical, where a CSV without it is read as a generic table: lq mixed the
    # levels (region totals summed over sectors and subsectors), impute failed with
    # "internal error: ColumnNotFoundError: unable to find column \"level\""
    import polars as pl

    src = tmp_path / "full.csv"
    src.write_text(canonical_text(), encoding="utf-8")
    table = pl.read_csv(src, infer_schema_length=0).with_columns(pl.col("employment").cast(pl.Float64))
    table.drop("level").write_parquet(tmp_path / "nolevel.parquet")
    want, _err = run_ok(["lq", str(src), "-o", "-", "--denominator", "sum"], capsys)
    got, _err = run_ok(["lq", str(tmp_path / "nolevel.parquet"), "-o", "-", "--denominator", "sum"],
                       capsys)
    assert got == want
    code, _out, err = run_main(["impute", str(tmp_path / "nolevel.parquet"), "-o",
                                str(tmp_path / "imp.csv")], capsys)
    assert code == 0, err


def _pipeline(tmp_path: Path, inputs: str, options: str = "{}", outdir: str = "out") -> Path:
    (tmp_path / "table.csv").write_text(canonical_text(), encoding="utf-8")
    toml = tmp_path / "pipe.toml"
    toml.write_text(f'[pipeline]\noutdir = "{outdir}"\n\n[[stage]]\nname = "lq"\n'
                    f'inputs = [{inputs}]\noutput = "lq.csv"\noptions = {options}\n',
                    encoding="utf-8")
    return toml


@pytest.mark.parametrize("inputs, options, said", [
    ('"tabel.csv"', "{}", "pipe.toml:6: stage 'lq': input {tmp}/tabel.csv: no such file"),
    ('"table.csv"', '{ benchmark = "national.csv" }',
     "pipe.toml:8: stage 'lq': option benchmark: {tmp}/national.csv: no such file (expected "
     "sum, rest, region:ID or an existing file)")])
def test_a_dry_run_says_a_missing_input_as_the_run_does(tmp_path, capsys, inputs, options, said):
    # a CI job checking a pipeline edit with --dry-run got exit 0 and 'run lq never run' for a
    # misspelt input or reference file; the scheduled run then stopped on it (exit 2)
    toml = _pipeline(tmp_path, inputs, options)
    code, out, err = run_main(["run", str(toml), "--dry-run"], capsys)
    assert code == 2, err
    assert said.format(tmp=tmp_path) in err
    assert out == ""
    code, _out, run_err = run_main(["run", str(toml)], capsys)
    assert code == 2 and said.format(tmp=tmp_path) in run_err
    assert not (tmp_path / "out").exists()


def test_a_dry_run_says_an_outdir_that_is_a_file(tmp_path, capsys):
    toml = _pipeline(tmp_path, '"table.csv"', outdir="table.csv")
    code, out, err = run_main(["run", str(toml), "--dry-run"], capsys)
    assert code == 2, err
    assert (f"{tmp_path}/table.csv: is a file; the output folder (--outdir or [pipeline] outdir) "
            "must be a folder") in err
    assert out == ""


def test_a_dry_run_of_a_sound_pipeline_prints_its_plan(tmp_path, capsys):
    toml = _pipeline(tmp_path, '"table.csv"')
    code, out, err = run_main(["run", str(toml), "--dry-run"], capsys)
    assert code == 0, err
    assert out.startswith("run  lq  never run\n")


@pytest.mark.parametrize("argv, said", [
    (["run", "-"], "-: a pipeline is not read from standard input (expected the pipeline "
                   "file's name: its relative paths start at its folder)"),
    (["report", "-", "-o", "-"], "-: report reads a detect output folder, not standard input "
                                 "(expected the folder `clusterid detect -o FOLDER` wrote)"),
    (["detect", "{table}", "-o", "{tmp}/det", "--definitions", "-"],
     "-: standard input cannot be read here (expected a file's name;"),
    (["detect", "{table}", "-o", "{tmp}/det", "--similarity", "-"],
     "-: standard input cannot be read here (expected a file's name;")])
def test_standard_input_where_a_file_is_read_by_name_is_said(tmp_path, capsys, argv, said):
    # '-' where only a file will do (a pipeline, a detect folder, a definitions table) was
    # '-: no such file', as if a file named '-' were missing
    table = tmp_path / "table.csv"
    table.write_text(canonical_text(), encoding="utf-8")
    argv = [a.format(table=table, tmp=tmp_path) for a in argv]
    code, out, err = run_main(argv, capsys)
    assert code == 2, err
    assert said in err
    assert "no such" not in err and out == ""
    assert not (tmp_path / "det").exists()


@pytest.mark.parametrize("command", [["lq", "--measure", "employment"], ["indices"],
                                     ["shift-share", "--from", "2016Q1", "--to", "2016Q2"]])
def test_a_reference_table_typed_with_spaces_after_the_commas_reads(tmp_path, capsys, command):
    # 'industry, benchmark_industry_total, benchmark_total' typed by hand, a space after each
    # comma: ' 4000' was "internal error: InvalidOperationError: conversion from `str` to `f64`
    # failed in column 'benchmark_total'", and ' benchmark_total' no heading
    src = tmp_path / "table.csv"
    src.write_text(canonical_text(), encoding="utf-8")
    rows = [("23", 600, 4000), ("236", 250, 4000), ("237", 160, 4000), ("238", 190, 4000),
            ("31-33", 450, 4000), ("311", 450, 4000)]
    plain = "industry,benchmark_industry_total,benchmark_total\n" + "".join(
        f"{c},{i},{t}\n" for c, i, t in rows)
    spaced = plain.replace(",", ", ")
    outs = []
    for name, text in (("plain.csv", plain), ("spaced.csv", spaced)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        out, _err = run_ok([command[0], str(src), *command[1:], "-o", "-", "--benchmark",
                            str(tmp_path / name)], capsys)
        outs.append(out)
    assert outs[1] == outs[0]


def test_a_similarity_table_typed_with_spaces_after_the_commas_reads(tmp_path, capsys):
    # its cells were read stripped, its headings not: 'industry_a, industry_b, similarity'
    # was "missing column(s) industry_b, similarity"
    src = tmp_path / "table.csv"
    src.write_text(canonical_text(), encoding="utf-8")
    pairs = "236,237,0.9\n236,238,0.7\n237,238,0.8\n311,236,0.1\n"
    outs = []
    for name, text in (("plain.csv", "industry_a,industry_b,similarity\n" + pairs),
                       ("spaced.csv", "industry_a, industry_b, similarity\n"
                                      + pairs.replace(",", ", "))):
        (tmp_path / name).write_text(text, encoding="utf-8")
        out = tmp_path / name.replace(".csv", "")
        run_ok(["detect", str(src), "-o", str(out), "--similarity", str(tmp_path / name),
                "--n-clusters", "2", "--n-seeds", "0"], capsys)
        outs.append((out / "clusters.csv").read_text(encoding="utf-8"))
    assert outs[1] == outs[0]


def test_impute_says_why_cells_with_establishments_are_left_suppressed(tmp_path, capsys):
    # every employment cell suppressed, establishments published: the cells left suppressed
    # were said to 'have neither an establishment count nor a finite upper bound', which the
    # table beside the message showed they had
    lines = [HEADER + ",establishments,establishments_status"]
    for r, (region, name) in enumerate(COUNTIES):
        for code, lv, _jobs in INDUSTRIES:
            lines.append(f"2016Q1,{region},private,{code},{name},county,,NAICS,{lv},,suppressed,"
                         f"{3 + r + lv},reported")
    src = tmp_path / "hidden.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "imp.csv"
    _out, err = run_ok(["impute", str(src), "-o", str(out), "--measure", "employment"], capsys)
    assert "neither an establishment count" not in err
    assert ("21 suppressed cells have establishments but no finite upper bound and no typical "
            "size to multiply them by (no published employment cell of their code, of a code "
            "above it or of their level, with its establishments): left suppressed") in err
    assert {r["employment_status"] for r in csv_rows(out.read_text(encoding="utf-8"))} == {"suppressed"}


def test_a_list_for_an_option_of_one_value_is_refused(tmp_path, capsys):
    # 'a list repeats the flag': threshold = [1.25, 1.5] became --threshold 1.25 --threshold 1.5
    # and lq kept 1.5 alone, exit 0, the 1.25 run the user asked for never made
    toml = _pipeline(tmp_path, '"table.csv"', "{ threshold = [1.25, 1.5], period = "
                                              '["2016Q1", "2016Q2"] }')
    for extra in (["--dry-run"], []):
        code, out, err = run_main(["run", str(toml), *extra], capsys)
        assert code == 2, err
        assert ("pipe.toml:8: stage 'lq': option threshold = [1.25, 1.5]: --threshold takes one "
                "value (expected one value, found 2; the command would keep the last alone): "
                "give one, or one stage per value") in err
        assert "period" not in err and out == ""
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("cell, found", [("", "an empty cell"), ("County", "County")])
def test_a_region_level_unlike_the_regions_other_rows_is_refused(tmp_path, capsys, cell, found):
    # one row of Box Elder County with its region_level blanked or typed 'County': the row
    # became a region of its own at another level, its LQ taken against a benchmark of that
    # row alone and its industry missing from the county's sums, exit 0
    text = canonical_text()
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines, 1) if line.startswith("2016Q1,49003,private,236,"))
    lines[at - 1] = lines[at - 1].replace(",county,", f",{cell},")
    src = tmp_path / "hand.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _out, err = run_main(["lq", str(src), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 1, err
    assert (f"hand.csv:{at}: column 'region_level': not the region's level on its other rows "
            f"(expected 'county', as on the other rows of region 49003, found '{found} "
            "(period=2016Q1, region=49003, ownership=private, industry=236)')") in err
    assert not (tmp_path / "lq.csv").exists()


def test_a_region_level_left_empty_on_every_row_of_a_region_is_read(tmp_path, capsys):
    text = canonical_text().replace(",Cache County,county,", ",Cache County,,")
    src = tmp_path / "blank.csv"
    src.write_text(text, encoding="utf-8")
    run_ok(["lq", str(src), "-o", str(tmp_path / "lq.csv")], capsys)
