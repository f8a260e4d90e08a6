"""``clusterid ingest`` and ``clusterid lq`` on files the project had not seen (round 7).

Each test pins one bug found by reshaping real published rows (tests/data/README.md names the
sources) into layouts agencies and users produce; figures are checked against the agency's
published values or a plain recomputation here, never against the tool's own earlier output.
"""

from __future__ import annotations

from conftest import TEST_DATA, csv_rows as _rows, run_main, run_ok as _ok

DATA = TEST_DATA / "unseen7"
TOY = TEST_DATA / "lq" / "toy_canonical.csv"
TOY_SHARES = TEST_DATA / "lq" / "toy_shares.csv"


# ------------------------------------------------------------------ blank lines in a CSV table

def test_blank_lines_in_a_hand_made_table_are_no_rows(tmp_path, capsys):
    """A canonical-layout CSV or a table of shares typed in an editor often ends in an empty
    line.  polars reads a blank line as a row of nulls: lq refused the table ("a key cell is
    empty") and the shares ("several rows for one benchmark cell, industry=None").  A blank
    line is no row, as in every raw reader; a real key-less row is still located by its line."""
    text = TOY.read_text()
    lines = text.splitlines(keepends=True)
    blank = tmp_path / "toy_blank_lines.csv"
    blank.write_text("".join(lines[:4]) + "\n" + "".join(lines[4:]) + "\n\n")
    shares = tmp_path / "shares_blank_line.csv"
    shares.write_text(TOY_SHARES.read_text() + "\n")

    want, _ = _ok(["lq", str(TOY), "-o", "-"], capsys)
    got, _ = _ok(["lq", str(blank), "-o", "-"], capsys)
    assert got == want
    want, _ = _ok(["lq", str(TOY), "-o", "-", "-b", str(TOY_SHARES)], capsys)
    got, _ = _ok(["lq", str(TOY), "-o", "-", "-b", str(shares)], capsys)
    assert got == want
    # A at 11: (40/100) / (0.25) from the hand-made shares
    row = next(r for r in _rows(got) if r["region"] == "A" and r["industry"] == "11")
    assert float(row["lq"]) == 1.6

    keyless = tmp_path / "keyless_after_blank.csv"
    keyless.write_text("".join(lines[:4]) + "\n" + ",A,total,31,2,5,reported\n" + "".join(lines[4:]))
    code, _, err = run_main(["lq", str(keyless), "-o", "-"], capsys)
    assert code == 1
    assert "keyless_after_blank.csv:6: a key cell is empty" in err  # line 5 is the blank one
    assert err.count("a key cell is empty") == 1


# ------------------------------------------------------------------ one file named twice

BEAVER = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"


def test_a_file_named_twice_is_read_once(tmp_path, capsys):
    """``clusterid ingest 'qcew/*.csv' qcew/2016.annual.49001.beaver_county.csv``: the glob
    and the name both give Beaver County's annual file.  Read twice, every one of its rows
    was a duplicate of itself (exit 1, "first seen on line 2" about line 2).  It is one input:
    read once, with a warning; a copy under another name is still a duplicate."""
    once = tmp_path / "once.csv"
    twice = tmp_path / "twice.csv"
    _ok(["ingest", str(BEAVER), "-o", str(once)], capsys)
    _, err = _ok(["ingest", str(BEAVER.parent / "2016.annual.*.csv"), str(BEAVER),
                  "-o", str(twice)], capsys)
    assert "given more than once" in err and BEAVER.name in err
    assert twice.read_text() == once.read_text()
    # BLS's county total: 2,719 jobs, 243 establishments (annual averages)
    total = next(r for r in _rows(once.read_text())
                 if r["ownership"] == "total" and r["industry"] == "10")
    assert (float(total["employment"]), float(total["establishments"])) == (2719.0, 243.0)

    copy = tmp_path / "beaver_copy.csv"
    copy.write_bytes(BEAVER.read_bytes())
    code, _, err = run_main(["ingest", str(BEAVER), str(copy), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1 and "duplicate row" in err and "beaver_copy.csv" in err
