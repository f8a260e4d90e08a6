"""The stages after ingest on inputs other than the US QCEW sample (session 30): the gaps
session 29 left in ``lq`` (a benchmark region without an all-industry row, a region listing a
range whose levels do not add up, a raw benchmark file ingest cannot read) and ``detect``'s
summary line, then what running every stage as a regional statistician would on German, EU,
Kazakh and QCEW state tables found.  Each test says what the user saw before its fix.
Fixtures in tests/data/stages30/ (README there names their sources)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import csv_rows, run_main

DATA = Path(__file__).parent / "data" / "stages30"
S29 = Path(__file__).parent / "data" / "stages29"


def _lq(capsys, tmp_path, *argv) -> tuple[dict, str]:
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", *map(str, argv), "-o", str(out)], capsys)
    assert code == 0, err
    rows = csv_rows(out.read_text(encoding="utf-8"))
    return {(r["region"], r["industry"]): r for r in rows}, err


# --------------------------------------------------------------------------- lq -b region:ID

def test_benchmark_region_without_all_industry_row_gives_the_total_rows_a_benchmark(
        capsys, tmp_path):
    """``-b region:KZ`` where the republic's rows are sections alone and the oblasts have an
    all-industry row: those rows were empty, 'no benchmark' (said on stderr only).  Now the
    republic's whole, the sum of its sections, is their benchmark: LQ 1, as against any."""
    rows, err = _lq(capsys, tmp_path, DATA / "bench_region_no_total.csv", "-b", "region:KZ")
    north = rows[("N", "10")]
    assert north["benchmark_industry_total"] == "5000.0" and north["benchmark_total"] == "5000.0"
    assert float(north["lq"]) == 1.0 and north["lq_reason"] == "", north
    # the sections as before: (400 / 1000) / (1000 / 5000)
    assert float(rows[("N", "A")]["lq"]) == pytest.approx(2.0)
    assert "KZ has no all-industry row" in err and "no benchmark" not in err, err


# --------------------------------------------------------------------------- lq uneven levels

def test_naics_range_beside_subsectors_alone_counts_in_the_region_total(capsys, tmp_path):
    """NAICS sectors 11, 23 and the range 44-45, manufacturing by subsector alone (311, 336,
    no 31-33), no all-industry row: the range made the region's roots sum unknown, so its
    total was the sectors' sum (Alpha 600, manufacturing's 400 left out) at both levels, said
    nowhere.  Now 44-45 is a root like any sector and the subsectors count: 1,000."""
    rows, _ = _lq(capsys, tmp_path, DATA / "naics_range_uneven.csv")
    assert rows[("A", "11")]["region_total"] == "1000.0"
    assert rows[("A", "311")]["region_total"] == "1000.0"
    assert rows[("A", "11")]["benchmark_total"] == "2000.0"
    assert float(rows[("A", "11")]["lq"]) == pytest.approx((100 / 1000) / (150 / 2000), rel=1e-6)
    assert float(rows[("B", "44-45")]["lq"]) == pytest.approx((500 / 1000) / (800 / 2000),
                                                              rel=1e-6)


def test_nace_aggregate_over_divisions_is_their_root(capsys, tmp_path):
    """Sections A, B-E, F with C10 and C29 under B-E: the roots are the sections, the
    divisions' total the sections' sum (North 800)."""
    rows, _ = _lq(capsys, tmp_path, DATA / "nace_be_divisions.csv")
    assert rows[("N", "C10")]["region_total"] == "800.0"
    assert float(rows[("N", "C10")]["lq"]) == pytest.approx((150 / 800) / (190 / 1250), rel=1e-6)


def test_suppressed_root_code_leaves_the_region_total_unknown(capsys, tmp_path):
    """Sections A and F, manufacturing by division only (C10 withheld, C29 300), no
    all-industry row: the sections' total was their own sum, 300, manufacturing left out, and
    North's A and F had LQs of 1.22, too high.  The whole is unknown: 'suppressed region
    total', as for a region whose one level holds a withheld cell."""
    rows, _ = _lq(capsys, tmp_path, DATA / "nace_root_suppressed.csv")
    for industry in ("A", "F", "C29"):
        row = rows[("N", industry)]
        assert row["lq"] == "" and row["lq_reason"] == "suppressed region total", row
    assert rows[("S", "A")]["region_total"] == "250.0"


def test_range_whose_parts_cannot_be_told_is_said():
    """A canonical table whose regions list a range no code list knows (44-47) beside levels
    that do not add up: the coarsest level's sum was taken silently; now a note names the
    regions, the range and the levels."""
    import polars as pl

    from clusterid.core import lq

    rows = [("A", "11", 2, 100), ("A", "44-47", 2, 300), ("A", "311", 3, 250),
            ("B", "11", 2, 50), ("B", "44-47", 2, 500), ("B", "311", 3, 30)]
    df = pl.DataFrame({"period": ["2022"] * 6, "region": [r[0] for r in rows],
                       "ownership": ["total"] * 6, "industry": [r[1] for r in rows],
                       "level": [r[2] for r in rows], "employment": [float(r[3]) for r in rows],
                       "employment_status": ["reported"] * 6})
    _out, meta = lq.compute_lq(df)
    said = [n for n in meta.get("notes", []) if "range whose parts" in n]
    assert said and "A (2022: 44-47; levels 2, 3)" in said[0], meta.get("notes")


# --------------------------------------------------------------------------- lq -b FILE

def test_benchmark_file_ingest_cannot_read_says_so_in_one_line(capsys, tmp_path):
    """The republic's table without its title line (no year anywhere): the error named
    ``--period-col`` and ``--period 2016`` as if lq had them (lq's --period keeps a period
    of the input).  Now it says the benchmark file is the problem, and the way: ingest it
    with those options and give that table to --benchmark."""
    code, _, err = run_main(["lq", str(S29 / "kz_regions_oked_cp1251.csv"), "-b",
                             str(DATA / "kz_republic_no_year_cp1251.csv"),
                             "-o", str(tmp_path / "lq.csv")], capsys)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 1 and len(lines) == 1, err
    assert "the --benchmark file: no period column" in lines[0], lines[0]
    assert ("`clusterid ingest " + str(DATA / "kz_republic_no_year_cp1251.csv")) in lines[0]
    assert "to --benchmark" in lines[0]
    assert not (tmp_path / "lq.csv").exists()


def test_benchmark_file_in_utf8_ingest_cannot_read_says_why(capsys, tmp_path):
    """The same in UTF-8: it was "not a reference table (expected an 'industry' column …)",
    which hid why the national table was not read."""
    utf8 = tmp_path / "republic.csv"
    utf8.write_bytes((DATA / "kz_republic_no_year_cp1251.csv").read_bytes()
                     .decode("cp1251").encode("utf-8"))
    for command in ("lq", "indices"):
        code, _, err = run_main([command, str(S29 / "kz_regions_oked_cp1251.csv"), "-b",
                                 str(utf8), "-o", str(tmp_path / "out.csv")], capsys)
        assert code == 1 and "the --benchmark file: no period column" in err, (command, err)


# --------------------------------------------------------------------------- detect summary

def test_detect_summary_counts_the_industries_present(capsys, tmp_path):
    """Definitions of seven codes, three absent from the input (C12, C30, M): the summary said
    "7 industries in 4 clusters"; now the four present, in the three clusters holding one,
    and how many codes and clusters the input lacks."""
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(DATA / "detect_sections.csv"), "--definitions",
                             str(DATA / "detect_definitions.csv"), "-o", str(out)], capsys)
    assert code == 0, err
    assert ("detect: 4 industries in 3 clusters (3 of the definitions' 7 codes are absent "
            "from the input, and 1 of their 4 clusters wholly)") in err, err
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["definitions"]["n_industries_data"] == 4


# --------------------------------------------------------------------------- shift-share

def test_shift_share_says_cells_withheld_in_a_period(capsys, tmp_path):
    """REAT's EU table: Iceland's 2007 withheld (':') in every section.  shift-share left
    Iceland out of every component and of the benchmark with nothing on stderr (its rows only
    ``observed`` false), where lq and indices say so; now said, with the region no cell is
    left of.  The numbers are those of the other countries alone, as before:
    G = 7,440 / 7,000 - 1."""
    out = tmp_path / "ss.csv"
    code, _, err = run_main(["shift-share", str(DATA / "eu_sections_one_year_withheld.csv"),
                             "--from", "2007", "--to", "2015", "-o", str(out)], capsys)
    assert code == 0, err
    assert ("3 cells of 9 suppressed in 2007 or 2015 are left out of the components "
            "(observed false) and of the benchmark (IS 3); 1 region has no cell left: IS") in err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    at_a = rows[("AT", "A")]
    assert float(at_a["growth_national"]) == pytest.approx(7440 / 7000 - 1)
    assert float(at_a["national_share"]) + float(at_a["industry_mix"]) + float(
        at_a["regional_share"]) == pytest.approx(10.0)
    assert rows[("IS", "A")]["observed"] == "false"
    code, _, err = run_main(["shift-share", str(DATA / "eu_sections_one_year_withheld.csv"),
                             "--from", "2007", "--to", "2015", "--by", "region", "-o",
                             str(tmp_path / "r.csv")], capsys)
    assert code == 0 and "1 region has every cell suppressed in 2007 or 2015" in err, err


# --------------------------------------------------------------------------- misuse

def test_lq_benchmark_region_by_name_suggests_its_code(capsys, tmp_path):
    """An oblast named instead of its KATO code: lq said only "regions include 000000000,
    110000000, ..." (the first five codes), where indices names the region meant.  Now lq
    says it too, in one line, exit 2."""
    code, out, err = run_main(["lq", str(DATA / "kz_oblast_oked_2021_2022.csv"), "-b",
                               "region:Мангистауская область", "-o", str(tmp_path / "x.csv")],
                              capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert ("benchmark region 'Мангистауская область' is not in the input (did you mean "
            "region:470000000?)") in err


def test_kazakh_oblast_table_lq_by_hand(capsys, tmp_path):
    """The oblast x OKED table in cp1251 (KATO codes, 'х' withheld, space thousands, wages in
    million tenge) read on the fly: Mangystau's mining in 2022 by hand, its withheld
    electricity empty with its reason, wages scaled to tenge."""
    rows, _ = _lq(capsys, tmp_path, DATA / "kz_oblast_oked_2021_2022.csv", "--period", "2022",
                  "-m", "employment")
    b = rows[("470000000", "B")]
    assert float(b["lq"]) == pytest.approx((41114 / 300265) / (439887 / 5647374), rel=1e-6)
    assert rows[("470000000", "D")]["lq_reason"] == "suppressed cell"


def test_benchmark_region_outside_the_finer_regions_is_said(capsys, tmp_path):
    """Two states and Utah's counties, ``-b region:41000`` (Oregon): the counties' LQs were
    against an economy they are no part of, nothing said (METHODS §1: such a benchmark gives
    meaningless LQs).  Now said, naming them; Utah against Oregon, a peer, is no such case,
    and ``-b region:49000`` says nothing."""
    src = DATA / "fips_state_counties.csv"
    _rows, err = _lq(capsys, tmp_path, src, "-b", "region:41000")
    assert ("the benchmark region 41000 (state) does not hold 2 regions of a finer level in "
            "the table, whose codes do not start with its own (49001, 49003)") in err, err
    _rows, err = _lq(capsys, tmp_path, src, "-b", "region:49000")
    assert "does not hold" not in err, err


def test_national_table_without_region_column_is_the_benchmark(capsys, tmp_path):
    """The republic's sections by year as the Bureau publishes them (a title naming the
    republic, no region column, cp1251): "the --benchmark file: no region column recognised
    ... --region-col" for lq, indices and shift-share alike.  A benchmark is one region: the
    table is read as it.  The oblasts' all-industry rows get the republic's whole (the sum of
    its sections) as they do against a region benchmark: they were 'no benchmark'."""
    rep = DATA / "kz_republic_2021_2022.csv"
    rows, err = _lq(capsys, tmp_path, DATA / "kz_oblast_oked_2021_2022.csv", "-m",
                    "employment", "--period", "2022", "-b", rep)
    b = rows[("470000000", "B")]
    assert b["benchmark_industry_total"] == "461881.0" and b["benchmark_total"] == "5929738.0"
    assert float(b["lq"]) == pytest.approx((41114 / 300265) / (461881 / 5929738), rel=1e-6)
    total = rows[("470000000", "10")]
    assert total["benchmark_industry_total"] == "5929738.0" and float(total["lq"]) == 1.0
    assert "no benchmark" not in err, err
    for argv in (["indices"], ["shift-share", "--from", "2021", "--to", "2022"]):
        code, _, err = run_main([argv[0], str(DATA / "kz_oblast_oked_2021_2022.csv"), *argv[1:],
                                 "-b", str(rep), "-o", str(tmp_path / "o.csv")], capsys)
        assert code == 0, (argv, err)


# --------------------------------------------------------------------------- indices

def test_indices_say_codes_below_the_level_with_no_code_above(capsys, tmp_path):
    """Sections A and F with manufacturing by division only (C10, C29, no C): indices at
    level 1 took Krugman, Herfindahl ... over A and F alone -- North's 800 of 1,100 jobs in
    no section --, nothing said.  Now said, with the region leaving out most; a table listing
    C above its divisions says nothing."""
    code, _, err = run_main(["indices", str(S29 / "oked_divisions_without_section.csv"),
                             "--level", "1", "-o", str(tmp_path / "i.csv")], capsys)
    assert code == 0, err
    assert ("3 regions list codes below level 1 with no level-1 code above them (C10, C29): "
            "their employment is in no level-1 cell and left out of the region's shares "
            "(N 2022: 800 left out beside 300 in the level)") in err, err
    code, _, err = run_main(["indices", str(S29 / "oked_sections_divisions.csv"),
                             "--level", "1", "-o", str(tmp_path / "j.csv")], capsys)
    assert code == 0 and "no level-1 code above" not in err, err


def test_indices_say_a_region_of_published_zeros(capsys, tmp_path):
    """A region whose every published cell is 0: its region indices are empty (shares of
    nothing), rightly, but the row of blanks came with nothing on stderr, where lq says
    'zero region total'.  Now said."""
    out = tmp_path / "i.csv"
    code, _, err = run_main(["indices", str(DATA / "one_region_of_zeros.csv"), "-o", str(out)],
                            capsys)
    assert code == 0, err
    assert ("2020: 1 region (A) has employment 0 in every published cell: its region indices "
            "are empty") in err, err
    rows = {r["region"]: r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert rows["A"]["krugman"] == "" and rows["B"]["krugman"] != ""
