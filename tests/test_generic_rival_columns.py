"""Two columns of a generic long table that could each play one role (the period, the industry).

The generic reader read the first and said only "column not read: 'year'" of the other: a table
with 'Jahr' and 'year' of different years was read for the first one's years without a word.
Now a usage error names both and the option that picks one -- unless they hold the same values.
Hand-made toy tables (a German extract's headings beside English ones).
"""

from __future__ import annotations

import pytest

from conftest import run_main as run_cli


def _ingest(tmp_path, capsys, text: str, *options: str):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    code, _, err = run_cli(["ingest", str(path), "-o", str(out / "o.csv"), *options], capsys)
    return code, err, out


TWO_YEARS = ("Jahr,Region,Branche,Beschaeftigte,year\n"
             "2016,DE1,C,10,{y}\n2016,DE1,F,20,{y}\n2016,DE2,C,30,{y}\n2016,DE2,F,40,{y}\n")
TWO_CODES = ("year,region,NACE,WZ2008,employment\n"
             "2016,DE1,C,{a},10\n2016,DE1,F,{b},20\n2016,DE2,C,{a},30\n2016,DE2,F,{b},40\n")


@pytest.mark.parametrize("text,option,first,second", [
    (TWO_YEARS.format(y=2015), "--period-col", "Jahr", "year"),
    (TWO_CODES.format(a="F", b="C"), "--industry-col", "NACE", "WZ2008"),
    # two industry columns without a code column among them
    ("year,region,industry,Branche,employment\n2016,DE1,C,F,10\n2016,DE1,F,C,20\n",
     "--industry-col", "industry", "Branche"),
])
def test_two_candidate_columns_of_different_values_are_a_usage_error(text, option, first, second,
                                                                     tmp_path, capsys):
    code, err, out = _ingest(tmp_path, capsys, text)
    assert code == 2, err
    assert err.strip().splitlines() == [
        f"clusterid: error: {tmp_path / 't.csv'}: columns {first!r} and {second!r} could each be the "
        f"{'period' if option == '--period-col' else 'industry'} and hold different values; pick one "
        f"with {option} {first} (or {option} {second})"], err
    assert list(out.iterdir()) == []
    # the option settles it: the other column is left unread, and said so
    code, err, _ = _ingest(tmp_path, capsys, text, option, second)
    assert code == 0, err
    assert f"column not read: {first!r}" in err


@pytest.mark.parametrize("text", [TWO_YEARS.format(y=2016), TWO_CODES.format(a="C", b="F")])
def test_two_candidate_columns_of_the_same_values_are_one(text, tmp_path, capsys):
    code, err, out = _ingest(tmp_path, capsys, text)
    assert code == 0, err
    assert "column not read" not in err, err


def test_a_code_column_beside_an_industry_column_is_codes_and_names(tmp_path, capsys):
    # no choice to make: 'NACE' holds the codes, 'industry' their titles
    code, err, out = _ingest(tmp_path, capsys, "year,region,industry,NACE,employment\n"
                             "2016,DE1,Manufacturing,C,10\n2016,DE1,Construction,F,20\n")
    assert code == 0, err
    rows = (out / "o.csv").read_text().splitlines()
    assert rows[1].startswith("2016,DE1,total,C,,,Manufacturing,NACE,1,10.0"), rows


def test_a_year_column_beside_a_quarter_column_is_no_choice(tmp_path, capsys):
    code, err, out = _ingest(tmp_path, capsys, "year,quarter,region,industry,employment\n"
                             "2016,1,DE1,C,10\n2016,1,DE1,F,20\n")
    assert code == 0, err


@pytest.mark.parametrize("header,row", [
    ("year,period", "{y},{y}Q{q}"),   # a year beside the quarter it is the year of
    ("period,year", "{y}Q{q},{y}"),   # ... in either order
])
def test_a_year_beside_a_finer_period_of_the_same_years_reads_the_finer(header, row, tmp_path, capsys):
    # no rival: the same period told more exactly (it was refused as two candidate periods)
    lines = [f"{header},region,industry,employment"] + [
        f"{row.format(y=2016, q=q)},{r},C,{10 * q}" for q in (1, 2) for r in ("DE1", "DE2")]
    code, err, out = _ingest(tmp_path, capsys, "\n".join(lines) + "\n")
    assert code == 0, err
    assert "column not read: 'year'" in err, err
    periods = sorted({line.split(",")[0] for line in (out / "o.csv").read_text().splitlines()[1:]})
    assert len(periods) == 2 and all(p.startswith("2016") and p != "2016" for p in periods), periods


def test_a_year_beside_a_period_of_another_year_is_still_a_choice(tmp_path, capsys):
    code, err, out = _ingest(tmp_path, capsys, "year,period,region,industry,employment\n"
                             "2016,2015Q1,DE1,C,10\n2016,2016Q2,DE1,C,12\n")
    assert code == 2, err
    assert "could each be the period" in err
    assert list(out.iterdir()) == []


def test_a_year_beside_a_fiscal_year_starting_in_it_is_still_a_choice(tmp_path, capsys):
    # '2016/17' begins with '2016' but is no finer period: it was taken as the period and the
    # table refused as 'a fiscal year ... relabel it' (exit 1), the readable year column unsaid
    code, err, out = _ingest(tmp_path, capsys, "year,period,region,industry,employment\n"
                             "2016,2016/17,DE1,C,10\n2017,2017/18,DE1,C,12\n")
    assert code == 2, err
    assert "pick one with --period-col year" in " ".join(err.split())
    assert list(out.iterdir()) == []
