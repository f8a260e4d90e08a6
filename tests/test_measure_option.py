"""--measure on lq, stats, indices, shift-share and impute takes its values as --period and
--ownership do: repeated or comma-separated, in any case ('Employment', 'employment,wages');
a name that is no measure, or one the input lacks, is refused naming the input's measures."""

from __future__ import annotations

import pytest

from conftest import run_main

# a canonical table written here: three regions, two industries under an all-industry total,
# employment and wages in two years
ROWS = [(p, r, i, 0 if i == "10" else 2, e, w) for p, rows in (
    ("2015", [("A", "10", 100, 5000), ("A", "11", 40, 2000), ("A", "21", 60, 3000),
              ("B", "10", 200, 9000), ("B", "11", 50, 2600), ("B", "21", 150, 6400),
              ("C", "10", 120, 6000), ("C", "11", 70, 3500), ("C", "21", 50, 2500)]),
    ("2016", [("A", "10", 110, 5600), ("A", "11", 45, 2300), ("A", "21", 65, 3300),
              ("B", "10", 210, 9800), ("B", "11", 55, 2800), ("B", "21", 155, 7000),
              ("C", "10", 130, 6500), ("C", "11", 75, 3800), ("C", "21", 55, 2700)]))
    for r, i, e, w in rows]

COMMANDS = {
    "lq": ["lq"],
    "indices": ["indices"],
    "shift-share": ["shift-share", "--from", "2015", "--to", "2016"],
    "impute": ["impute"],
    "stats": ["stats", "--output-format", "csv"],
}


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "two_measures.csv"
    lines = ["period,region,ownership,industry,level,employment,employment_status,wages,"
             "wages_status"]
    lines += [f"{p},{r},total,{i},{lv},{e},reported,{w},reported" for p, r, i, lv, e, w in ROWS]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def _measures_out(out: str) -> set[str]:
    header, *rows = out.splitlines()
    if "measure" not in header.split(","):
        return set()
    at = header.split(",").index("measure")
    return {row.split(",")[at] for row in rows}


@pytest.mark.parametrize("command", ["lq", "indices", "shift-share"])
@pytest.mark.parametrize("given, wanted", [
    (["Wages"], {"wages"}), (["employment,WAGES"], {"employment", "wages"}),
    (["employment", "-m", "wages,employment"], {"employment", "wages"})])
def test_measure_is_matched_ignoring_case_and_split_on_commas(capsys, table, command, given,
                                                              wanted):
    code, out, err = run_main([*COMMANDS[command], table, "-o", "-", "-m", *given], capsys)
    assert code == 0, err
    assert _measures_out(out) == wanted


def test_stats_and_impute_take_a_measure_in_any_case(capsys, table):
    code, out, err = run_main([*COMMANDS["stats"], table, "-m", "WAGES"], capsys)
    assert code == 0, err
    same = run_main([*COMMANDS["stats"], table, "-m", "wages"], capsys)
    assert same == (0, out, same[2])
    code, out, err = run_main(["impute", table, "-o", "-", "-m", "Employment,Wages"], capsys)
    assert code == 0, err


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("given, said", [
    ("jobs", "--measure 'jobs': expected one of the input's measures (employment, wages"),
    ("output", "--measure 'output': the input has no output column; it has employment, wages"),
    ("employment,Jobs", "--measure 'Jobs': expected one of the input's measures (employment, "
                        "wages"),
    (",", "--measure ',': expected a measure, found none; the input has employment, wages")])
def test_unknown_or_absent_measure_names_the_inputs_measures(capsys, table, command, given,
                                                             said):
    code, out, err = run_main([*COMMANDS[command], table, "-o", "-", "-m", given], capsys)
    assert code == 2 and out == "", err
    assert len(err.strip().splitlines()) == 1 and said in err, err


def test_stats_refuses_several_measures_saying_it_describes_one(capsys, table):
    code, out, err = run_main([*COMMANDS["stats"], table, "-m", "employment,wages"], capsys)
    assert code == 2 and out == "", err
    assert "expected one measure (stats describes one at a time" in err and "found 2" in err


def test_ingest_takes_a_wide_tables_measure_in_any_case(capsys, tmp_path):
    # 'Establishments' was refused by ingest alone ("expected one of employment, ...")
    src = tmp_path / "wide.csv"
    src.write_text("region,industry,2015,2016\nDE1,C,10,11\nDE2,C,20,21\n")
    out = tmp_path / "out.csv"
    code, _, err = run_main(["ingest", str(src), "--measure", "Establishments", "-o", str(out)],
                            capsys)
    assert code == 0, err
    assert "establishments,establishments_status" in out.read_text().splitlines()[0]
    code, _, err = run_main(["ingest", str(src), "--measure", "jobs", "-o", str(out)], capsys)
    assert code == 2 and "--measure 'jobs': expected one of" in err, err


def test_ingest_refuses_a_measure_the_table_does_not_hold(capsys, tmp_path):
    # --measure wages on a long table whose headings name employment and establishments (REAT's
    # layout, tests/data/generic/de_laender_latin1.csv): ignored, exit 0, no wages and no word
    src = tmp_path / "long.csv"
    src.write_text("region,industry,year,employment,establishments\nDE1,C,2016,10,2\n"
                   "DE2,C,2016,20,3\n")
    out = tmp_path / "out.csv"
    code, _, err = run_main(["ingest", str(src), "--measure", "wages", "-o", str(out)], capsys)
    assert code == 2, err
    assert (f"--measure wages: {src} is a generic table whose headings name its measures, "
            "holding employment, establishments;") in err, err
    assert not out.exists()
    # a measure it holds changes nothing and is not refused
    code, _, err = run_main(["ingest", str(src), "--measure", "Employment", "-o", str(out)],
                            capsys)
    assert code == 0, err
