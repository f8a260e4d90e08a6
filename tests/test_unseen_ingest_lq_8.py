"""``clusterid ingest`` and ``clusterid lq`` on files the project had not seen (round 8).

Each test pins one bug found by reshaping real published rows (tests/data/README.md names the
sources) into what users produce; figures are checked against the table clusterid wrote or a
plain recomputation here, never against the tool's own earlier output of the same file.
"""

from __future__ import annotations

from conftest import TEST_DATA, csv_rows as _rows, run_main, run_ok as _ok

DATA = TEST_DATA / "unseen8"


def _by_key(text: str, value: str = "lq") -> dict:
    keys = ("period", "region", "ownership", "industry", "measure")
    return {tuple(r.get(k) for k in keys): r[value] for r in _rows(text)}


def _close(a: str, b: str, rel: float = 1e-8) -> bool:
    if a == "" or b == "":
        return a == b
    return abs(float(a) - float(b)) <= rel * max(abs(float(a)), abs(float(b)))


# ------------------------------------------------------------------ canonical tables saved again

UTAH = DATA / "qcew_utah_2016q1_canonical.csv"
UTAH_DE = DATA / "qcew_utah_2016q1_canonical_excel_de.csv"
STATES = DATA / "qcew_states_2016q1_canonical.csv"
STATES_US = DATA / "qcew_states_2016q1_canonical_excel_us.csv"
STATES_DE = DATA / "qcew_states_2016q1_canonical_excel_de.csv"


def test_canonical_table_saved_by_a_continental_spreadsheet_is_read_as_written(tmp_path, capsys):
    """A canonical table ``ingest`` wrote, opened in a German Excel and saved as CSV: ``;``
    between fields, decimal commas (``22447,33333``), cp1252, CRLF, no sidecar.  Every cell of
    it was "not a canonical value" (hundreds of errors, nothing said about the decimal comma).
    It is the same table: its LQs, statistics and re-ingested cells agree with the original's
    to the ten digits the spreadsheet kept."""
    for command in (["lq"], ["stats"]):
        want, _ = _ok([*command, str(UTAH), "-o", "-"], capsys)
        got, _ = _ok([*command, str(UTAH_DE), "-o", "-"], capsys)
        key = "lq" if command == ["lq"] else "total"
        w, g = _by_key(want, key), _by_key(got, key)
        assert w.keys() == g.keys() and len(w) >= 8
        assert all(_close(w[k], g[k]) for k in w), command

    out = tmp_path / "again.csv"
    _ok(["ingest", str(UTAH_DE), "-o", str(out)], capsys)
    original = {(r["region"], r["ownership"], r["industry"]): r for r in _rows(UTAH.read_text())}
    again = _rows(out.read_text())
    assert len(again) == len(original)
    for r in again:
        o = original[(r["region"], r["ownership"], r["industry"])]
        assert r["level"] == o["level"] and r["employment_status"] == o["employment_status"]
        for m in ("employment", "establishments", "wages"):
            assert _close(r[m], o[m], 1e-9), (r, m)
    # Salt Lake County, 2016 Q1, private: BLS's months 556,666, 560,272 and 563,233 jobs
    slc = next(r for r in again if r["region"] == "49035" and r["ownership"] == "private"
               and r["industry"] == "10")
    assert float(slc["employment"]) == (556666 + 560272 + 563233) / 3


def test_spreadsheet_scientific_notation_is_refused_not_read_rounded(capsys):
    """The same table saved by an English Excel: New York's 169,909,519,858 dollars of wages
    (twelve digits) became ``1.6991E+11`` in the CSV, as the cell showed it.  Read as a
    number, the lost 480 million moved every wage LQ of the table, silently.  The cell is
    located (file, line, column, what it holds) with what to do, for the German save too."""
    code, _, err = run_main(["lq", str(STATES_US), "-o", "-", "--measure", "wages"], capsys)
    assert code == 1
    assert ("qcew_states_2016q1_canonical_excel_us.csv:66: column 'wages': a number cut to "
            "the digits a spreadsheet showed (expected the number written in full, found "
            "'1.6991E+11')") in err
    assert "scientific notation" in err and err.count("\n") == 2  # NY's private and total rows
    for command in (["stats", str(STATES_US)], ["ingest", str(STATES_US), "-o", "-"],
                    ["lq", str(STATES_DE), "-o", "-"]):
        code, out, err = run_main(command, capsys)
        assert code == 1 and out == "" and "a number cut to the digits a spreadsheet" in err, command
    code, _, err = run_main(["lq", str(STATES_DE), "-o", "-"], capsys)
    assert "excel_de.csv:66: column 'wages'" in err and "'1,6991E+11'" in err
    # the table clusterid wrote reads as before
    _ok(["lq", str(STATES), "-o", "-", "--measure", "wages"], capsys)
