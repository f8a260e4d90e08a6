"""Session 22's review of the session's own commits (helper 127): what they broke, each case
failing before its fix.  Every input is made up, in the layout of the source each test names.

1. 1b52e5e read "mn", "Mill.", "Mio." as millions only beside a listed currency or count noun:
   the Nordic offices' "(mill. kr)" (SSB), "(mio. kr.)" (Statistics Denmark), the Swiss FSO's
   "in Mio. Franken" and a snake_case heading "gva_mio_eur" lost their multiple, exit 0 -- 250.5
   million kroner read as 250.5 kroner.
"""

from __future__ import annotations

import pytest

from conftest import ingest_text

# --------------------------------------------------------------------------- 1. millions


@pytest.mark.parametrize("head", [
    "Bruttoprodukt (mill. kr)", "Produktion (mio. kr.)", "Omsætning, mio. kr.",
    "Wertschöpfung in Mio. Franken", "Output (Mio. Fr.)", "gva_mio_eur", "Output mio_eur"])
def test_nordic_swiss_and_snake_case_millions_headings_scale(head, tmp_path, capsys):
    code, err, rows = ingest_text(tmp_path, capsys, "gva.csv",
                                  f'Region,Industry,Year,"{head}"\nNorth,C,2021,250.5\nSouth,C,2021,120.25\n',
                                  "--measure-col", f"output={head}")
    assert code == 0, err
    assert [float(r["output"]) for r in rows] == [250.5e6, 120.25e6]


@pytest.mark.parametrize("unit", ["Mio. kr.", "mill. kr", "Mio. Franken", "Mio. Fr."])
def test_nordic_and_swiss_million_units_in_a_unit_column_scale(unit, tmp_path, capsys):
    code, err, rows = ingest_text(tmp_path, capsys, "gva.csv",
                                  f"Region,Industry,Year,Unit,Output\nNorth,C,2021,{unit},250.5\n"
                                  f"South,C,2021,{unit},120.25\n", "--measure", "output")
    assert code == 0, err
    assert [float(r["output"]) for r in rows] == [250.5e6, 120.25e6]


@pytest.mark.parametrize("head", ["Employment in Industry MN", "Mill_Creek_employment"])
def test_a_word_ending_in_a_currency_code_or_a_place_is_no_million(head, tmp_path, capsys):
    """'Industry MN' ends in 'try' (the Turkish lira's code) and was read as 'TRY mn'."""
    code, err, rows = ingest_text(tmp_path, capsys, "mn.csv",
                                  f'County,Industry,Year,"{head}"\nHennepin,C,2021,1200\nRamsey,C,2021,800\n',
                                  "--measure-col", f"employment={head}")
    assert code == 0, err
    assert [float(r["employment"]) for r in rows] == [1200.0, 800.0]
