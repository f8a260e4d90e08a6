"""Review of session 20's reader, CLI and canonical-table fixes (helper 110): regressions
they introduced.

Inputs are the repository's own files: ``tests/data/generic/de_laender_latin1.csv`` (a
Länder table by WZ section as a German office's Excel export saves it).
"""

from __future__ import annotations

from conftest import TEST_DATA, run_main

LAENDER = TEST_DATA / "generic" / "de_laender_latin1.csv"


def test_an_option_value_spelt_like_a_global_flag_stays_the_options(tmp_path, capsys, monkeypatch):
    """b407e63 moved -q/--quiet/--debug given after the command in front of it, the value of
    an option too: ``clusterid lq X -o -q`` (click takes the word after -o as its value, a
    file named -q, as before b407e63) failed with "Option '-o' requires an argument", exit 2.
    A value is now left to its option; a flag after it is still clusterid's own."""
    monkeypatch.chdir(tmp_path)
    code, _out, err = run_main(["lq", str(LAENDER), "-o", "-q"], capsys)
    assert code == 0 and (tmp_path / "-q").is_file(), err
    (tmp_path / "-q").unlink()
    code, _out, err = run_main(["lq", str(LAENDER), "-o", "-q", "-q"], capsys)
    assert (code, err) == (0, "") and (tmp_path / "-q").is_file()
    code, _out, err = run_main(["lq", str(LAENDER), "-o", "--debug", "--quiet"], capsys)
    assert (code, err) == (0, "") and (tmp_path / "--debug").is_file()
