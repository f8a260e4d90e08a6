"""Known gaps closed in session 24 (helper 'known'): one test group per gap.

1. Ownership words close to a canonical name (difflib >= 0.8) that are real words, not
   misspellings, were refused as 'a misspelling of ...?' (exit 1): German 'Staat', the plurals
   'Totals' and 'States', the Romance 'Locale', 'Totales', 'Internacional'.  Those with a clear
   meaning are read as the canonical names (as are names with qualifying words: 'Total, all
   ownerships', 'Total nacional', 'All Private', which were kept as categories of their own and
   left out of --ownership total/private); Denmark's 'Stat' (central government) is kept as a
   category of the source; 'pirvate', 'Totl', 'Sstate' are still refused.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import csv_rows, run_main, run_ok, shared_path

ROOT = Path(__file__).resolve().parent.parent

# ------------------------------------------------------------------- 1. ownership near-names

# made up: two regions, industry 11 total and private, industry 21 total and the word tried
_OWN = ("region,industry,year,ownership,employment\n"
        "01,11,2016,total,100\n01,11,2016,private,80\n01,21,2016,total,50\n01,21,2016,{o},40\n"
        "02,11,2016,total,70\n02,11,2016,private,60\n02,21,2016,total,30\n02,21,2016,private,20\n")


@pytest.mark.parametrize("word, name", [
    ("Staat", "government"), ("States", "state"), ("Totals", "total"), ("Totales", "total"),
    ("Locale", "local"), ("lokal", "local"), ("Internacional", "international"),
    ("Federale", "federal"), ("Gouvernement", "government"), ("Privates", "private"),
    ("Total all ownerships", "total"), ('"Total, all ownerships"', "total"),
    ("Total nacional", "total"), ("All Private", "private"), ("Total private", "private"),
    ("Private sector", "private"), ("Public sector", "government"),
    ("General government", "government"), ("Öffentlicher Sektor", "government"),
    ("Federal Government", "federal"), ("Local Government", "local"),
    ("State Government", "state"), ("Privé", "private"),
])
def test_real_ownership_words_near_a_name_are_read_as_it(tmp_path, capsys, word, name):
    src = tmp_path / "own.csv"
    # (a word for total stands in the total row of region 01's industry 21)
    text = _OWN.format(o=word) if name != "total" else _OWN.replace(
        "01,21,2016,total,50", f"01,21,2016,{word},50").format(o="private")
    src.write_text(text, encoding="utf-8")
    out, _ = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = [r for r in csv_rows(out) if r["region"] == "01" and r["industry"] == "21"]
    assert sorted(r["ownership"] for r in rows) == sorted({"total", name, "private"} - (
        {"private"} if name not in ("total", "private") else set()))


@pytest.mark.parametrize("word", ["Stat", "Statale", "State and local government",
                                  "Private non-profit"])
def test_other_words_are_categories_of_the_source(tmp_path, capsys, word):
    src = tmp_path / "own.csv"
    src.write_text(_OWN.format(o=word), encoding="utf-8")
    out, _ = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert word in {r["ownership"] for r in csv_rows(out)}


@pytest.mark.parametrize("word, close", [("pirvate", "private"), ("Totl", "total"),
                                         ("Sstate", "state"), ("locall", "local")])
def test_misspellings_are_still_refused(tmp_path, capsys, word, close):
    src = tmp_path / "own.csv"
    src.write_text(_OWN.format(o=word), encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert f"found '{word}'); a misspelling of '{close}'?" in err, err


def test_danish_stat_in_a_canonical_table_is_read(tmp_path, capsys):
    """A canonical table clusterid did not write applies ingest's check: 'Stat' is kept."""
    src = tmp_path / "canon.csv"
    src.write_text("period,region,region_level,industry,classification,industry_level,ownership,employment\n"
                   "2016,01,state,11,NAICS,2,total,100\n2016,01,state,11,NAICS,2,Stat,40\n",
                   encoding="utf-8")
    code, out, err = run_main(["stats", str(src), "-o", "-"], capsys)
    assert code == 0, err


def test_bls_own_titles_of_the_real_files_are_read():
    """Every own_title in the Utah QCEW files reads as the name its own_code reads as."""
    from clusterid.io.readers.generic_plan import _OWN_CODES, ownership_name

    seen = set()
    for f in sorted(shared_path("qcew_utah_2016q").glob("*.csv"))[:6]:
        with open(f, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                seen.add((row["own_code"], row["own_title"]))
    assert len(seen) >= 5
    for code, title in seen:
        assert ownership_name(title) == _OWN_CODES[code], (code, title)
