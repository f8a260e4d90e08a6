"""Known gaps closed in session 23 (helper 'gaps'): one test group per gap.

1. An ownership outside the canonical names (a misspelt ``privat``/``Privat``) in a generic
   table's ownership column, or in a canonical table clusterid did not write, is refused on its
   cell (exit 1, file, line, column, the accepted values); it was kept as an ownership of its
   own, its rows silently missing from ``--ownership private``.  The names in any case
   (``Private``, ``TOTAL``) are read as the canonical ones.  ``--ownership Privat`` on a raw
   QCEW file names the option and the value as typed (it said ``'privat'``).
2. A measure the input lacks, asked for by an option, is exit 2 in every command (README, Exit
   codes): ``--measure`` already was in lq, stats, impute, indices and shift-share, whatever the
   input's format; a ``--benchmark`` table without a measure being computed was exit 1, and
   detect's ``--rule 'wages>=100'`` on a table without wages exit 0 with every call unknown.
"""

from __future__ import annotations

from pathlib import Path

from conftest import csv_rows, run_main, run_ok

ROOT = Path(__file__).resolve().parent.parent

# ------------------------------------------------------------------- 1. misspelt ownership

# made up: two regions, two industries, total and private rows
_OWN = ("region,industry,year,ownership,employment\n"
        "01,11,2016,total,100\n01,11,2016,private,80\n01,21,2016,total,50\n01,21,2016,{o},40\n"
        "02,11,2016,total,70\n02,11,2016,private,60\n02,21,2016,total,30\n02,21,2016,private,20\n")
_ACCEPTED = "total, federal, state, local, international, private, government, ui-covered-excl-federal"


def test_generic_table_misspelt_ownership_is_refused_on_its_cell(tmp_path, capsys):
    """'privat' was read as an ownership of its own: ingest exit 0, and lq --ownership private
    left region 01's industry 21 out without a word."""
    for spelt in ("privat", "Privat"):
        src = tmp_path / f"own_{spelt}.csv"
        src.write_text(_OWN.format(o=spelt), encoding="utf-8")
        for argv in (["ingest", str(src), "-o", "-"],
                     ["lq", str(src), "--ownership", "private", "-o", "-"]):
            code, out, err = run_main(argv, capsys)
            assert code == 1, (argv, err)
            assert (f"{src}:5: column 'ownership': not an ownership (expected one of {_ACCEPTED}"
                    in err), err
            assert f"found '{spelt}')" in err and out == ""


def test_generic_table_ownership_in_any_case_is_the_canonical_name(tmp_path, capsys):
    """'Private' and ' TOTAL' are private and total (they were ownerships of their own beside
    'private' and 'total' on other rows)."""
    src = tmp_path / "own_case.csv"
    src.write_text(_OWN.format(o="Private").replace("02,11,2016,total", "02,11,2016, TOTAL"),
                   encoding="utf-8")
    out, _ = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert sorted({r["ownership"] for r in csv_rows(out)}) == ["private", "total"]
    assert len(csv_rows(out)) == 8


def test_foreign_canonical_table_misspelt_ownership_is_refused(tmp_path, capsys):
    """A canonical CSV edited by hand ('total' typed 'Privat' on three rows) was read with an
    ownership 'Privat' of its own, exit 0."""
    text = (ROOT / "tests" / "data" / "lq" / "toy_canonical.csv").read_text(encoding="utf-8")
    bad = tmp_path / "toy.csv"
    bad.write_text(text.replace(",total,21,", ",Privat,21,"), encoding="utf-8")
    code, out, err = run_main(["lq", str(bad), "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert (f"{bad}:4: column 'ownership': not an ownership (expected one of {_ACCEPTED}, "
            "found 'Privat (period=2016, region=A, ownership=Privat, industry=21)')") in err
    # the names in another case are matched as before (--ownership matches ignoring case)
    fine = tmp_path / "toy_case.csv"
    fine.write_text(text.replace(",total,", ",Total,"), encoding="utf-8")
    run_ok(["lq", str(fine), "-o", "-"], capsys)


def test_ownership_option_misspelt_names_the_option_and_the_value_as_typed(tmp_path, capsys):
    """On a raw QCEW file --ownership Privat said "unknown ownership 'privat'"; on a canonical
    table "--ownership 'Privat': the input has private, total" -- both exit 2, naming values."""
    raw = str(ROOT / "tests" / "data" / "impute" / "qcew_utah_2016q1_slice.csv")
    code, _, err = run_main(["lq", raw, "--ownership", "Privat", "-o", "-"], capsys)
    assert code == 2
    assert ("--ownership 'Privat': unknown ownership; expected one of total (0), federal (1), "
            "state (2), local (3), international (4), private (5), government (8), "
            "ui-covered-excl-federal (9) or all") in err and len(err.strip().splitlines()) == 1
    out, _ = run_ok(["ingest", raw, "-o", str(tmp_path / "t.parquet")], capsys)
    for cmd in (["lq", "-o", "-"], ["stats"], ["impute", "-o", str(tmp_path / "i.csv")]):
        code, _, err = run_main([cmd[0], str(tmp_path / "t.parquet"), *cmd[1:],
                                 "--ownership", "Privat"], capsys)
        assert code == 2 and "--ownership 'Privat': the input has private, total" in err, (cmd, err)


# ------------------------------------------------------------ 2. missing measure: exit 2

_TOY = str(ROOT / "tests" / "data" / "lq" / "toy_canonical.csv")  # employment only


def test_measure_the_input_lacks_is_exit_2_in_every_command(tmp_path, capsys):
    """The rule, command by command, on a canonical CSV and the same table as Parquet."""
    run_ok(["ingest", _TOY, "-o", str(tmp_path / "toy.parquet")], capsys)
    for table in (_TOY, str(tmp_path / "toy.parquet")):
        for argv in (["lq", table, "-o", "-", "--measure", "wages"],
                     ["stats", table, "--measure", "wages"],
                     ["impute", table, "-o", str(tmp_path / "i.csv"), "--measure", "wages"],
                     ["indices", table, "-o", "-", "--measure", "wages"],
                     ["shift-share", table, "-o", "-", "--measure", "wages", "--from", "2016",
                      "--to", "2017"]):
            code, out, err = run_main(argv, capsys)
            assert code == 2 and out == "", (argv, err)
            assert "--measure 'wages': the input has no wages column; it has employment" in err


def test_detect_rule_on_a_measure_the_input_lacks_is_exit_2(tmp_path, capsys):
    """'wages>=100' on a table of employment: every region's call came out unknown (strong
    empty on every row), exit 0."""
    code, _, err = run_main(["detect", _TOY, "-o", str(tmp_path / "d"), "--rule",
                             "lq>=1,wages>=100"], capsys)
    assert code == 2, err
    assert "--rule 'wages>=100': the input has no wages column; it has employment" in err
    assert not (tmp_path / "d").exists()
    # a measure the table has is read as before
    run_ok(["detect", _TOY, "-o", str(tmp_path / "e"), "--rule", "lq>=1,employment>=10"], capsys)


def test_benchmark_table_without_a_measure_being_computed_is_exit_2(tmp_path, capsys):
    """A national canonical table of employment as the benchmark of lq --measure wages (and
    of indices): exit 1, as if the reference were damaged."""
    raw = str(ROOT / "tests" / "data" / "impute" / "qcew_utah_2016q1_slice.csv")
    table = str(tmp_path / "utah.parquet")
    run_ok(["ingest", raw, "-o", table], capsys)
    import polars as pl

    nation = tmp_path / "state_employment.csv"
    df = pl.read_parquet(table).filter(pl.col("region") == "49000")
    df.select([c for c in df.columns if not c.startswith(("wages", "establishments"))]
              ).write_csv(nation)
    for argv in (["lq", table, "-o", "-", "--measure", "wages", "-b", str(nation)],
                 ["indices", table, "-o", "-", "--measure", "wages", "-b", str(nation)]):
        code, _, err = run_main(argv, capsys)
        assert code == 2, (argv, err)
        assert (f"{nation}: reference table lacks a measure being computed (expected columns "
                "wages, found 'missing wages'); it holds employment") in err
    code, _, err = run_main(["lq", table, "-o", "-", "-b", str(nation)], capsys)
    assert code == 2 and "--measure employment computes only what it holds" in err
    run_ok(["lq", table, "-o", "-", "-b", str(nation), "--measure", "employment"], capsys)
