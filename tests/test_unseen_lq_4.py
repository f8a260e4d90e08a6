"""``clusterid lq`` on inputs the project was not tuned on, as a regional statistician brings
them: a state beside its counties in one canonical table, QCEW files with --month and
--denominator all-ownership, a one-state cut of the QCEW states file as --benchmark FILE.
Every figure is checked against a plain recomputation in this file (LQ = (e_ij/e_j)/(E_i/E),
METHODS.md §1) or against BLS's published lq_* columns, never against the tool's own output.
"""

from __future__ import annotations

import csv

from conftest import TEST_DATA, csv_rows as _rows, run_main, run_ok as _ok

DATA = TEST_DATA / "unseen4"
MIXED = DATA / "state_and_counties_toy.csv"


# ------------------------------------------------------------------ bootstrap per region level

def test_bootstrap_critical_values_are_per_region_level(capsys):
    """A state and its two counties in one table: log_slq is standardised per region level
    (the state alone has none), so the bootstrap must resample per level too.  Two counties
    are too few for a bootstrap (n < 3): no critical value; the state alone: none either.
    Pooled with the state (n = 3) every row got 1.1547."""
    out, _ = _ok(["lq", str(MIXED), "-o", "-", "--level", "2", "--bootstrap", "200"], capsys)
    rows = _rows(out)
    assert len(rows) == 9
    county = [r for r in rows if r["region"] != "S"]
    assert all(r["log_slq"] != "" for r in county)  # standardised among the two counties
    assert all(r["log_slq"] == "" for r in rows if r["region"] == "S")
    assert [r["log_slq_critical"] for r in rows] == [""] * 9
    assert [r["slq_significant"] for r in rows] == [""] * 9


# ------------------------------------------------------------------ nothing left to compute

ONE = DATA / "one_county_two_ownerships.csv"


def _refused(argv, capsys, *words):
    code, out, err = run_main(argv, capsys)
    assert code == 2, (code, out, err)
    assert out == ""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err


def test_level_and_ownership_that_never_meet_are_refused(capsys):
    """QCEW's total-ownership rows exist only at level 0 and the 2-digit rows only for private:
    each option alone is in the input, together they select nothing.  That was a header-only
    table with exit 0, which looks like an answer."""
    _refused(["lq", str(ONE), "-o", "-", "--level", "2", "--ownership", "total"], capsys,
             "level 2", "total")
    out, _ = _ok(["lq", str(ONE), "-o", "-", "--level", "2", "--ownership", "private"], capsys)
    assert len(_rows(out)) == 2


def test_benchmark_region_that_is_the_whole_input_is_refused(capsys):
    """-b region:ID leaves the benchmark region's own rows out; when it is the only region
    (one county file given with its own FIPS code) nothing is left: exit 2, not 0 rows."""
    _refused(["lq", str(ONE), "-o", "-", "-b", "region:49009"], capsys, "49009")


def test_negative_random_state_is_a_usage_error(capsys):
    """--random-state -1 with --bootstrap was 'internal error: ValueError: expected
    non-negative integer' (numpy's seed rule); a usage message now."""
    _refused(["lq", str(MIXED), "-o", "-", "--bootstrap", "10", "--random-state", "-1"], capsys,
             "--random-state")


# ------------------------------------------------------------------ QCEW's unallocated county

CT_SLICE = DATA / "qcew_connecticut_2016q4_slice.csv"


def _qcew_plain_lqs(path, month: str, rest: bool = False) -> dict:
    """LQ of every private cell of a QCEW county cut against the sum of all its areas (the
    state: eight counties and 09999 'Unknown Or Undefined'), BLS's all-ownership denominators,
    computed from the raw rows."""
    raw = list(csv.DictReader(open(path, newline="")))
    total = {r["area_fips"]: float(r[month]) for r in raw
             if r["own_code"] == "0" and r["industry_code"] == "10"}
    cells = {(r["area_fips"], r["industry_code"]): float(r[month]) for r in raw
             if r["own_code"] == "5" and r["disclosure_code"] != "N"}
    E = sum(total.values())
    out = {}
    for (area, ind), e in cells.items():
        E_i = sum(v for (a, i), v in cells.items() if i == ind)
        e_j = total[area]
        if rest:
            E_i, EE = E_i - e, E - e_j
        else:
            EE = E
        out[(area, ind)] = (e / e_j) / (E_i / EE)
    return out


def test_unallocated_area_is_part_of_the_sum_benchmark(capsys):
    """Connecticut's counties, 2016 Q4, month 3, private sectors 423, 52, 72: the sum of the
    input's areas is the state, 09999 'Unknown Or Undefined' included (6,427 finance jobs of
    106,952).  It was a region level of its own: its LQs were all 1.0 (finance: 2.2711) and the
    counties' benchmark lacked its jobs (Hartford finance 1.5952 where 1.5401 is right; against
    the rest of the state, Hartford 423 was far off)."""
    for bench, rest in (("sum", False), ("rest", True)):
        out, _ = _ok(["lq", str(CT_SLICE), "-o", "-", "--month", "3", "-b", bench,
                      "--denominator", "all-ownership", "--ownership", "private",
                      "-m", "employment"], capsys)
        rows = _rows(out)
        want = _qcew_plain_lqs(CT_SLICE, "month3_emplvl", rest=rest)
        got = {(r["region"], r["industry"]): float(r["lq"]) for r in rows if r["lq"]}
        assert set(got) == set(want)
        for key, value in want.items():
            assert abs(got[key] - value) <= 1e-6 * value, (bench, key, got[key], value)
        # the unallocated area is no place: not among the regions standardised by the SLQ
        assert all(r["slq"] == "" for r in rows if r["region"] == "09999")
        assert all(r["slq"] != "" for r in rows if r["region"] != "09999")
    plain = _qcew_plain_lqs(CT_SLICE, "month3_emplvl")
    assert round(plain[("09999", "52")], 4) == 2.2711 and round(plain[("09003", "52")], 4) == 1.5401


# ------------------------------------------------------------------ a reference file's denominator

STATE = DATA / "reference_state_toy.csv"
COUNTY = DATA / "reference_county_toy.csv"


def test_reference_file_takes_the_inputs_denominator_rule(tmp_path, capsys):
    """--denominator sum: e_j is the sum of the region's industries at the level, and a
    one-region reference's E must be taken the same way (its docstring says so).  It took the
    reference's all-industry row: county C, industry 11: (50/80)/(300/1000) = 2.0833 against
    the file, where the same state given as -b region:S gives (50/80)/(300/800) = 1.6667."""
    both = tmp_path / "both.csv"
    both.write_text(STATE.read_text() + "".join(COUNTY.read_text().splitlines(True)[1:]))
    want = {"11": (50 / 80) / (300 / 800), "21": (30 / 80) / (500 / 800)}
    for argv in (["lq", str(COUNTY), "-b", str(STATE)], ["lq", str(both), "-b", "region:S"]):
        out, _ = _ok([*argv, "-o", "-", "--denominator", "sum", "--level", "2"], capsys)
        got = {r["industry"]: float(r["lq"]) for r in _rows(out)}
        assert got.keys() == want.keys()
        for code, value in want.items():
            assert abs(got[code] - value) < 1e-6, (argv, code, got[code], value)
    # the default rule (total) takes the all-industry rows on both sides
    out, _ = _ok(["lq", str(COUNTY), "-b", str(STATE), "-o", "-", "--level", "2"], capsys)
    got = {r["industry"]: float(r["lq"]) for r in _rows(out)}
    assert abs(got["11"] - (50 / 100) / (300 / 1000)) < 1e-6


# ------------------------------------------------------------------ reference keys spelt otherwise

PRIVATE_SHARES = DATA / "private_shares.csv"
TOY = TEST_DATA / "lq" / "toy_canonical.csv"


def test_reference_with_no_common_ownership_or_measure_is_refused(tmp_path, capsys):
    """National shares for ownership 'private' against a table of ownership 'total' (or a
    measure column saying 'jobs') matched no row: every LQ empty ('no benchmark'), exit 0, and
    the note blamed 'period(s) 2016' though the reference has no period column."""
    _refused(["lq", str(TOY), "-b", str(PRIVATE_SHARES), "-o", "-"], capsys,
             "ownership", "private", "total")
    jobs = tmp_path / "jobs.csv"
    jobs.write_text("measure,industry,benchmark_share\njobs,10,1.0\njobs,11,0.25\njobs,21,0.75\n")
    _refused(["lq", str(TOY), "-b", str(jobs), "-o", "-"], capsys, "measure", "jobs")


def test_reference_lacking_one_ownership_is_named_in_the_note(capsys):
    """The county's total-ownership rows have no benchmark in private-only shares: the note
    names the ownership, not each of its industry codes; the private LQs are computed:
    11: (100/400)/0.5 = 0.5, 21: (300/400)/0.5 = 1.5."""
    out, err = _ok(["lq", str(ONE), "-b", str(PRIVATE_SHARES), "-o", "-"], capsys)
    assert "ownership(s) total" in err and "period" not in err.split("no rows for")[1]
    got = {(r["ownership"], r["industry"]): r["lq"] for r in _rows(out)}
    assert got[("total", "10")] == ""
    assert float(got[("private", "11")]) == 0.5 and float(got[("private", "21")]) == 1.5


def test_reference_shares_in_percent_are_refused(tmp_path, capsys):
    """Shares written as percentages (25 for 0.25) gave every LQ 100 times too small, the
    all-industry row's 0.01 included, exit 0; industry totals above the total likewise."""
    pct = tmp_path / "pct.csv"
    pct.write_text("industry,benchmark_share\n10,100\n11,25\n21,75\n")
    code, out, err = run_main(["lq", str(TOY), "-b", str(pct), "-o", "-"], capsys)
    assert code == 1 and out == "" and "Traceback" not in err
    assert "benchmark_share=25" in err and "percentages" in err
    totals = tmp_path / "totals.csv"
    totals.write_text("industry,benchmark_industry_total,benchmark_total\n11,300,100\n21,75,100\n")
    code, out, err = run_main(["lq", str(TOY), "-b", str(totals), "-o", "-"], capsys)
    assert code == 1 and out == "" and "industry=11" in err and "industry=21" not in err
    # the fractions themselves are taken as they are: A, 11: (40/100)/0.25 = 1.6
    frac = tmp_path / "frac.csv"
    frac.write_text("industry,benchmark_share\n10,1.0\n11,0.25\n21,0.75\n")
    out, _ = _ok(["lq", str(TOY), "-b", str(frac), "-o", "-"], capsys)
    got = {(r["region"], r["industry"]): r["lq"] for r in _rows(out)}
    assert abs(float(got[("A", "11")]) - 1.6) < 1e-6


def test_benchmark_region_dropped_as_a_region_total_says_so(capsys):
    """REAT's Freiburg table (the city beside Germany) read raw: the generic reader takes the
    Germany columns for a region total and drops them, so -b region:Germany was only 'not in
    the input (regions include Freiburg)' though it is in the file.  The message now says why
    and what to do."""
    freiburg = TEST_DATA / "unseen3" / "REAT_Freiburg.csv"
    _refused(["lq", str(freiburg), "-o", "-", "-b", "region:Germany"], capsys,
             "Germany", "dropped 9 rows of region totals", "--keep-region-totals")


# ------------------------------------------------------------------ rest of nation, all suppressed

REST = DATA / "rest_suppressed_toy.csv"


def test_rest_of_nation_made_only_of_suppressed_cells_is_unknown_not_zero(capsys):
    """-b rest: where every other region's cell of the industry is suppressed (Connecticut,
    private 1113 in 2016 Q2: Fairfield publishes 19, the seven other counties with 29
    establishments are suppressed), the rest of the state was written as a measured 0
    (benchmark_industry_total 0.0) with 'zero benchmark' (907 cells of Connecticut's counties).
    It is unknown: empty, 'suppressed benchmark'.  An industry no other region lists keeps
    'zero benchmark'; a published rest gives the plain LQ."""
    out, _ = _ok(["lq", str(REST), "-o", "-", "-b", "rest", "--level", "2"], capsys)
    rows = {(r["region"], r["industry"]): r for r in _rows(out)}
    a11 = rows[("A", "11")]
    assert a11["lq"] == "" and a11["benchmark_industry_total"] == ""
    assert a11["lq_reason"] == "suppressed benchmark"
    assert rows[("A", "31")]["lq_reason"] == "zero benchmark"
    want = (300 / 1000) / ((900 + 100) / (2000 + 500))
    assert abs(float(rows[("A", "21")]["lq"]) - want) < 1e-6


def test_all_ownership_denominator_without_total_rows_is_refused(tmp_path, capsys):
    """A table ingested with --ownership private only (Box Elder and Salt Lake: 26,376 rows)
    under --denominator all-ownership: every LQ was empty ('no region total'), exit 0."""
    private = tmp_path / "private.csv"
    private.write_text("".join(line for line in ONE.read_text().splitlines(True)
                               if ",total," not in line))
    _refused(["lq", str(private), "-o", "-", "--denominator", "all-ownership"], capsys,
             "all-ownership", "private")
    out, _ = _ok(["lq", str(ONE), "-o", "-", "--denominator", "all-ownership",
                  "--ownership", "private", "--level", "2"], capsys)
    got = {r["industry"]: float(r["region_total"]) for r in _rows(out)}
    assert got == {"11": 500.0, "21": 500.0}  # BLS: the all-ownership total, not private's 400


def test_all_ownership_denominator_with_a_private_only_reference_is_refused(tmp_path, capsys):
    """The state file ingested with --ownership private as --benchmark FILE under --denominator
    all-ownership: all 1,188 of Daggett County's LQs were empty ('no benchmark'), exit 0, the
    note saying the reference had no rows for the periods it has."""
    state = tmp_path / "state_private.csv"
    state.write_text("period,region,ownership,industry,level,employment,employment_status\n"
                     "2016Q1,49000,private,10,0,1000,reported\n"
                     "2016Q1,49000,private,11,2,300,reported\n")
    _refused(["lq", str(ONE), "-b", str(state), "-o", "-", "--denominator", "all-ownership"],
             capsys, "all-ownership", "ownerships private")


def test_benchmark_region_missing_from_a_period_is_said(tmp_path, capsys):
    """-b region:S where S has rows for 2015 only: region A's 2016 LQs are empty ('no
    benchmark') and nothing said so; the note now names the period, on stderr and in the
    metadata.  2015 is the plain LQ: (50/100)/(300/1000) = 1.6667."""
    table = DATA / "benchmark_region_one_period.csv"
    out_file = tmp_path / "lq.csv"
    _, err = _ok(["lq", str(table), "-b", "region:S", "-o", str(out_file)], capsys)
    assert "benchmark region S has no rows for period(s) 2016" in err
    rows = {(r["period"], r["industry"]): r for r in csv.DictReader(out_file.open())}
    assert abs(float(rows[("2015", "11")]["lq"]) - (50 / 100) / (300 / 1000)) < 1e-6
    assert rows[("2016", "11")]["lq_reason"] == "no benchmark"
    import json

    meta = json.loads((tmp_path / "lq.csv.meta.json").read_text())
    assert any("period(s) 2016" in n for n in meta["lq"]["notes"])


# ------------------------------------------------------------------ a county against a county

PEERS = DATA / "peer_counties_toy.csv"


def _interval(e, d, Ei, E, nested):
    import math

    lq = (e / d) / (Ei / E)
    if nested:
        var = 1 / e - 1 / d - 1 / Ei - 1 / E + 2 * e / (d * Ei)
    else:
        var = 1 / e - 1 / d + 1 / Ei - 1 / E
    z = 1.959963984540054
    return lq, lq * math.exp(-z * math.sqrt(var)), lq * math.exp(z * math.sqrt(var))


def test_county_against_a_peer_county_takes_the_independent_interval(capsys):
    """-b region:B with B a county beside county A: A is not inside B, so the covariance terms
    of the nested form (region inside its benchmark) do not exist; they made the interval
    narrower, not 'slightly conservative': A/11 [1.3839, 2.0072] where the independent form
    gives [1.3407, 2.0720].  Against the state S the nested form stays (A is S's county)."""
    for bench, Ei, E, nested in (("B", 300, 1000, False), ("S", 350, 1100, True)):
        out, _ = _ok(["lq", str(PEERS), "-o", "-", "-b", f"region:{bench}", "--level", "2"],
                     capsys)
        row = {r["region"]: r for r in _rows(out)}["A"]
        want = _interval(50, 100, Ei, E, nested)
        for got, value in zip((row["lq"], row["lq_lower"], row["lq_upper"]), want):
            assert abs(float(got) - value) < 1e-6 * value, (bench, got, value)


def test_region_alone_at_its_level_is_said(tmp_path, capsys):
    """Utah's statewide file among its counties, -b sum: the state is summed only with itself
    (a state is never added to its counties), so all its LQs are 1.0 and none specialised,
    which read like a finding; the note names it (stderr and metadata).  Connecticut's 09999
    is not: it is summed with the counties (its LQs are not 1), so it is not alone."""
    out_file = tmp_path / "lq.csv"
    _, err = _ok(["lq", str(MIXED), "-o", str(out_file), "--level", "2"], capsys)
    assert "alone at its region level" in err and "S (state)" in err
    rows = list(csv.DictReader(out_file.open()))
    assert {r["lq"] for r in rows if r["region"] == "S"} == {"1.0"}
    import json

    meta = json.loads((tmp_path / "lq.csv.meta.json").read_text())
    assert any("S (state)" in n for n in meta["lq"]["notes"])
    _, err = _ok(["lq", str(CT_SLICE), "-o", "-", "-m", "employment"], capsys)
    assert "09999 (unallocated)" not in err
    # one region level only: nothing to say
    _, err = _ok(["lq", str(TOY), "-o", "-"], capsys)
    assert "alone at its region level" not in err
