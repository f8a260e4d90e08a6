"""stats, indices, shift-share, report and run on inputs the project was not tuned on, as a
regional statistician brings them: REAT's raw CSVs (Göttingen, Freiburg) ingested as they are,
tables of custom industry names, NACE aggregates beside their parts, regions that are present in
one period only.  Every number is checked against REAT's published value or against a plain
recomputation in this file (METHODS.md §2-3), never against the tool's own output.
"""

from __future__ import annotations

import csv
import math

import pytest

from conftest import TEST_DATA, csv_rows as _rows, run_main, run_ok as _ok

DATA = TEST_DATA / "unseen3"
GOETTINGEN = DATA / "REAT_Goettingen.csv"
FREIBURG = DATA / "REAT_Freiburg.csv"


# ------------------------------------------------------------------ plain reference formulas

def _krugman(e: dict, E: dict) -> float:
    """K = Σ_i |e_i/e − E_i/E| over the industries of ``e`` (METHODS.md §2)."""
    te, tE = sum(e.values()), sum(E[i] for i in e)
    return sum(abs(e[i] / te - E[i] / tE) for i in e)


def _lq_gini(e: dict, E: dict) -> float:
    """REAT's gini.spec: Σ_i Σ_k |LQ_i − LQ_k| / (2 n² mean LQ)."""
    te, tE = sum(e.values()), sum(E[i] for i in e)
    lq = [(e[i] / te) / (E[i] / tE) for i in e]
    n, mean = len(lq), sum(lq) / len(lq)
    return sum(abs(a - b) for a in lq for b in lq) / (2 * n * n * mean)


# ------------------------------------------------------------------ REAT's raw Göttingen table

def test_reat_goettingen_raw_a_r_insgesamt_is_the_total(tmp_path, capsys):
    """REAT_Goettingen.csv as shipped: its first row ``"A-R","A-R Insgesamt"`` is the
    all-industries total.  It was read as a level-1 aggregate A-R beside the sections, so
    indices left out every section as "part of A-R" and computed on one industry: Krugman 0.0
    against Germany where REAT publishes 0.4508469 (gini.spec 0.0 for 0.359852)."""
    canon = tmp_path / "goe.csv"
    _ok(["ingest", str(GOETTINGEN), "-o", str(canon), "--keep-region-totals"], capsys)
    table = _rows(canon.read_text(encoding="utf-8"))
    totals = {(r["region"], r["period"]): float(r["employment"]) for r in table
              if r["industry"] == "10"}
    assert totals[("Goettingen", "2008")] == 59125 and totals[("BRD", "2017")] == 32164973
    assert not [r for r in table if r["industry"] == "A-R"]
    out, err = _ok(["indices", str(canon), "-b", "region:BRD", "--period", "2017", "-o", "-"],
                   capsys)
    (row,) = _rows(out)
    assert row["n_cells"] == "15" and "part of A-R" not in err
    assert float(row["krugman"]) == pytest.approx(0.4508469, abs=5e-8)
    assert float(row["lq_gini"]) == pytest.approx(0.359852, abs=5e-7)
    # the published A-R total is the reported total: 3.05% of it is in no listed section (L, S)
    e = {r["industry"]: float(r["employment"]) for r in table
         if r["region"] == "Goettingen" and r["period"] == "2017" and r["industry"] != "10"}
    assert float(row["missing_share"]) == pytest.approx(1 - sum(e.values()) / 69403, rel=1e-12)


# ------------------------------------------------------------------ custom industry names

CUSTOM = (
    "region,industry,year,employment\n"
    "North,Tourism,2020,100\nNorth,Mining,2020,50\nSouth,Tourism,2020,30\nSouth,Mining,2020,120\n"
    "North,Tourism,2021,110\nNorth,Mining,2021,40\nSouth,Tourism,2021,35\nSouth,Mining,2021,130\n"
)


def test_custom_industries_are_not_all_industry_totals(tmp_path, capsys):
    """A table of industries with names of its own (classification custom, no level) was
    refused by indices and shift-share with "the table holds only all-industry totals": the
    level test ``level == 0`` is null for a null level, and the null flag dropped every row."""
    raw = tmp_path / "custom.csv"
    raw.write_text(CUSTOM, encoding="utf-8")
    e = {}
    for r in _rows(CUSTOM):
        e.setdefault(r["year"], {}).setdefault(r["region"], {})[r["industry"]] = float(r["employment"])
    out, _ = _ok(["indices", str(raw), "-o", "-"], capsys)
    rows = _rows(out)
    assert len(rows) == 4
    for r in rows:
        year = e[r["period"]]
        bench = {i: sum(year[j][i] for j in year) for i in ("Mining", "Tourism")}
        mine = year[r["region"]]
        assert float(r["krugman"]) == pytest.approx(_krugman(mine, bench), rel=1e-12)
        s = [v / sum(mine.values()) for v in mine.values()]
        assert float(r["herfindahl"]) == pytest.approx(sum(x * x for x in s), rel=1e-12)
    out, _ = _ok(["shift-share", str(raw), "--from", "2020", "--to", "2021", "-o", "-"], capsys)
    rows = _rows(out)
    assert len(rows) == 4
    E0 = {i: sum(e["2020"][j][i] for j in e["2020"]) for i in ("Mining", "Tourism")}
    E1 = {i: sum(e["2021"][j][i] for j in e["2021"]) for i in ("Mining", "Tourism")}
    G = sum(E1.values()) / sum(E0.values()) - 1
    for r in rows:
        i, j = r["industry"], r["region"]
        e0, e1 = e["2020"][j][i], e["2021"][j][i]
        Gi = E1[i] / E0[i] - 1
        assert float(r["national_share"]) == pytest.approx(e0 * G, rel=1e-12)
        assert float(r["industry_mix"]) == pytest.approx(e0 * (Gi - G), rel=1e-12, abs=1e-12)
        assert float(r["regional_share"]) == pytest.approx(e1 - e0 * (1 + Gi), rel=1e-12, abs=1e-9)


def test_reat_freiburg_raw_uncoded_rows_are_named_and_custom_reading_gives_reat(tmp_path, capsys):
    """REAT_Freiburg.csv as shipped: three of its nine industries have no WZ letter
    ("Freiberufl,wissenschaftl. ...", "Oeff.Verw. ...", "Kunst, Unterhaltung ...").  indices and
    shift-share computed on the six lettered sections without a word: 47,181 of Freiburg's
    100,056 jobs in 2008.  Then the left-out rows and their share were named, and the reading the
    note suggested (--classification custom) gave REAT's published gini.spec 0.2089009; since
    session 32 the raw reading gives it too."""
    canon = tmp_path / "fr.csv"
    _, err = _ok(["ingest", str(FREIBURG), "-o", str(canon), "--keep-region-totals"], capsys)
    # since session 32 the three are read as the A*10 groups their titles name (M-N, O-Q, R-U),
    # said on stderr, and the raw reading itself gives REAT's published gini.spec
    assert "Oeff.Verw.,Verteidig.,Sozialvers.,Erz.-u.Unterricht = O-Q" in err
    out, err = _ok(["indices", str(canon), "-b", "region:Germany", "--period", "2014", "-o", "-"],
                   capsys)
    assert "no level" not in err
    (row,) = _rows(out)
    assert row["n_cells"] == "9" and row["missing_share"] == ""
    assert float(row["lq_gini"]) == pytest.approx(0.2089009, abs=5e-8)
    _, err = _ok(["shift-share", str(canon), "--from", "2008", "--to", "2014", "-b",
                  "region:Germany", "-o", "-"], capsys)
    assert "no level" not in err
    custom = tmp_path / "frc.csv"
    _ok(["ingest", str(FREIBURG), "-o", str(custom), "--keep-region-totals",
         "--classification", "custom"], capsys)
    out, _ = _ok(["indices", str(custom), "-b", "region:Germany", "--period", "2014", "-o", "-"],
                 capsys)
    (row,) = _rows(out)
    assert row["n_cells"] == "9"
    assert float(row["lq_gini"]) == pytest.approx(0.2089009, abs=5e-8)
    with open(FREIBURG, newline="", encoding="utf-8") as fh:
        raw = list(csv.DictReader(fh))
    e = {r["industry"]: float(r["e_Freiburg2014"]) for r in raw}
    E = {r["industry"]: float(r["e_Germany2014"]) for r in raw}
    assert float(row["krugman"]) == pytest.approx(_krugman(e, E), rel=1e-12)
    assert float(row["lq_gini"]) == pytest.approx(_lq_gini(e, E), rel=1e-12)


# ------------------------------------------------------------------ industries seen in one region

HAWAII = DATA / "qcew_hawaii_2016q3_private_slice.csv"


def _qcew_cells(path) -> dict:
    """{(county, industry): employment or None (disclosure N)} of a raw QCEW slice, 6-digit
    rows, the quarter's employment as the mean of its three months."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {(r["area_fips"], r["industry_code"]):
            None if r["disclosure_code"] == "N" else
            sum(float(r[f"month{m}_emplvl"]) for m in (1, 2, 3)) / 3
            for r in rows if r["agglvl_code"] == "78"}


def _qcew_county_totals(path) -> dict:
    """{county: private all-industries employment} of a raw QCEW slice (agglvl 71 rows): the
    regions' sizes e_j of the industry indices."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {r["area_fips"]: sum(float(r[f"month{m}_emplvl"]) for m in (1, 2, 3)) / 3
            for r in rows if r["agglvl_code"] == "71"}


def test_industry_indices_need_two_regions(tmp_path, capsys):
    """Hawaii's four counties, 2016 Q3, private: NAICS 111219 is published for Honolulu only
    (suppressed in the other three).  Over that one region its shares are y = x = 1, and
    Hoover localisation and the locational Gini came out 0.0 -- "spread exactly like all
    activity" -- for 110 of the 735 6-digit industries of the Hawaii panel in Q3; they are
    empty now.  The industries published in two or more counties match a plain computation."""
    cells = _qcew_cells(HAWAII)
    out, _ = _ok(["indices", str(HAWAII), "--by", "industry", "--level", "6", "--ownership",
                  "private", "-o", "-"], capsys)
    got = {r["industry"]: r for r in _rows(out)}
    one = got["111219"]
    assert (one["n_cells"], one["n_suppressed"]) == ("4", "3")
    for col in ("hoover_localisation", "locational_gini", "lq_gini", "eg_G"):
        assert one[col] == "", col
    counties = sorted({j for j, _ in cells})
    t = _qcew_county_totals(HAWAII)  # e_j: each county's published total
    checked = 0
    for ind, row in got.items():
        obs = {j: cells[(j, ind)] for j in counties if cells.get((j, ind), 0.0) is not None}
        obs = {j: cells.get((j, ind), 0.0) for j in obs}
        if len(obs) < 2:
            continue
        Ei, T = sum(obs.values()), sum(t[j] for j in obs)
        y = {j: obs[j] / Ei for j in obs}
        x = {j: t[j] / T for j in obs}
        hoover = 0.5 * sum(abs(y[j] - x[j]) for j in obs)
        order = sorted(obs, key=lambda j: y[j] / x[j])
        area, Y = 0.0, 0.0
        for j in order:
            area += x[j] * (2 * Y + y[j])
            Y += y[j]
        assert float(row["hoover_localisation"]) == pytest.approx(hoover, rel=1e-12, abs=1e-15)
        assert float(row["locational_gini"]) == pytest.approx(1 - area, rel=1e-9, abs=1e-12)
        checked += 1
    assert checked == 5


# ------------------------------------------------------------------ an aggregate without its parts

def test_region_listing_only_an_aggregate_keeps_its_parts_unknown(tmp_path, capsys):
    """A national office's table: R1 lists G, H and I, R2 only their aggregate G-I (300 of its
    500 jobs), R3 G-I = 300 beside G = 300.  G-I is left out for its parts, and R2's G, H, I
    had no row, so they read as true zeros: R2's trade vanished and its Krugman index was
    1.125 over B-E, F, G, H, I = 100, 100, 0, 0, 0.  Now R2's G, H, I are not observed
    (Krugman over B-E and F only: 2/7); R3's H and I are true zeros (G-I = G)."""
    path = DATA / "nace_aggregate_only_region.csv"
    out, err = _ok(["indices", str(path), "-o", "-"], capsys)
    assert "R2 2020: G, H, I under G-I" in err
    got = {r["region"]: r for r in _rows(out)}
    # the cells the sums use: B-E (C is part of it), F, G, H, I; None = not observed
    cells = {"R1": {"B-E": 300, "F": 100, "G": 200, "H": 150, "I": 250},
             "R2": {"B-E": 100, "F": 100, "G": None, "H": None, "I": None},
             "R3": {"B-E": 50, "F": 50, "G": 300, "H": 0, "I": 0}}
    totals = {"R1": 1000, "R2": 500, "R3": 400}
    for j, row in got.items():
        e = {i: v for i, v in cells[j].items() if v is not None}
        E = {i: sum(cells[k][i] for k in cells if cells[k][i] is not None) for i in e}
        assert row["n_suppressed"] == str(len(cells[j]) - len(e))
        assert float(row["krugman"]) == pytest.approx(_krugman(e, E), rel=1e-12)
        s = [v / sum(e.values()) for v in e.values()]
        assert float(row["herfindahl"]) == pytest.approx(sum(x * x for x in s), rel=1e-12)
        assert float(row["missing_share"]) == pytest.approx(1 - sum(e.values()) / totals[j],
                                                            abs=1e-12)
    assert float(got["R2"]["krugman"]) == pytest.approx(2 / 7, rel=1e-12)


# ------------------------------------------------------------------ stats on custom industries

def test_stats_coverage_of_custom_industries(tmp_path, capsys):
    """stats summed a custom table's all-industry row with its industries as if both were
    finest cells: a region of 150 jobs (Tourism 100, Mining 50) had detail_reported 300 and
    coverage 2.0.  And REAT's Freiburg rows without a WZ letter were in no finest cell:
    detail_reported 47,181 of the 100,056 jobs the nine rows hold in 2008."""
    raw = tmp_path / "custom_total.csv"
    raw.write_text("region,industry,year,employment\n"
                   "North,Total,2020,150\nNorth,Tourism,2020,100\nNorth,Mining,2020,50\n"
                   "South,Total,2020,160\nSouth,Tourism,2020,30\nSouth,Mining,2020,120\n",
                   encoding="utf-8")
    out, _ = _ok(["stats", str(raw), "--output-format", "csv"], capsys)
    got = {r["region"]: r for r in _rows(out)}
    assert float(got["North"]["detail_reported"]) == 150
    assert float(got["North"]["coverage"]) == pytest.approx(1.0)
    assert float(got["South"]["coverage"]) == pytest.approx(150 / 160)
    canon = tmp_path / "fr.csv"
    _ok(["ingest", str(FREIBURG), "-o", str(canon), "--keep-region-totals"], capsys)
    out, _ = _ok(["stats", str(canon), "--output-format", "csv"], capsys)
    with open(FREIBURG, newline="", encoding="utf-8") as fh:
        raw_rows = list(csv.DictReader(fh))
    for r in _rows(out):
        col = f"e_{r['region']}{r['period']}"
        assert float(r["detail_reported"]) == sum(float(x[col]) for x in raw_rows)


# ------------------------------------------------------------------ run: output names checked first

def test_run_refuses_an_output_its_command_cannot_write_before_running(tmp_path, capsys):
    """A pipeline whose third stage writes indices.json (indices writes .parquet or .csv):
    ingest and stats ran, then the run stopped at indices with exit 2 -- against "every
    stage's options are checked before the first stage runs".  Now nothing runs and both
    bad names (indices.json, stats.parquet) are reported at once."""
    import shutil

    shutil.copy(HAWAII, tmp_path / "hawaii.csv")
    (tmp_path / "p.toml").write_text(
        '[pipeline]\noutdir = "out"\n\n'
        '[[stage]]\nname = "ingest"\ninputs = ["hawaii.csv"]\noutput = "canonical.parquet"\n\n'
        '[[stage]]\nname = "counts"\ncommand = "stats"\ninputs = ["@ingest"]\n'
        'output = "stats.parquet"\n\n'
        '[[stage]]\nname = "indices"\ninputs = ["@ingest"]\noutput = "indices.json"\n'
        'options = { by = "industry", level = 6 }\n', encoding="utf-8")
    code, out, err = run_main(["run", str(tmp_path / "p.toml")], capsys)
    assert code == 2 and out == ""
    assert "stage 'indices'" in err and "indices.json: cannot write .json" in err
    assert "stage 'counts'" in err and "stats.parquet" in err
    assert not (tmp_path / "out" / "canonical.parquet").exists()
    # with the names fixed the same pipeline runs, and a second run changes nothing
    text = (tmp_path / "p.toml").read_text(encoding="utf-8")
    (tmp_path / "p.toml").write_text(text.replace("indices.json", "indices.csv")
                                     .replace("stats.parquet", "stats.json"), encoding="utf-8")
    _ok(["run", str(tmp_path / "p.toml")], capsys)
    first = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.is_file()}
    _, err = _ok(["run", str(tmp_path / "p.toml")], capsys)
    assert "nothing to do" in err
    _ok(["run", str(tmp_path / "p.toml"), "--force"], capsys)
    again = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.is_file()}
    assert {k: v for k, v in again.items() if not k.startswith(".clusterid-run")} == \
        {k: v for k, v in first.items() if not k.startswith(".clusterid-run")}


# ------------------------------------------------------------------ report: partial cluster sizes

UTILITIES = DATA / "qcew_hawaii_2016q4_utilities_slice.csv"


def test_report_says_which_cluster_sizes_are_lower_bounds(tmp_path, capsys):
    """Hawaii's counties, 2016 Q4, private: the electric utilities (USCMP cluster 14, 34
    establishments) are suppressed in every county but one cell, NAICS 221118 in Honolulu,
    published as 0.  detect's cluster employment sums the known cells, so the report's
    cluster table said "Electric Power Generation and Transmission ... employment 0" like a
    measured figure.  The report now gives each cluster's status beside the figure (partial:
    a lower bound) and says what it means; the statuses follow detect's regional rows."""
    folder = tmp_path / "detect"
    _ok(["detect", str(UTILITIES), "-o", str(folder), "--definitions", "uscmp", "--month",
         "average"], capsys)
    with open(UTILITIES, newline="", encoding="utf-8") as fh:
        raw = [r for r in csv.DictReader(fh) if r["agglvl_code"] == "78"]
    utilities = [r for r in raw if r["industry_code"].startswith("22111")]
    known = [r for r in utilities if r["disclosure_code"] != "N"]
    assert len(known) == 1 and sum(float(r["month3_emplvl"]) for r in known) == 0
    out, _ = _ok(["report", str(folder), "-o", "-", "--format", "md"], capsys)
    assert "| 14 | Electric Power Generation and Transmission | traded | 9 | 9 | 0 | partial |" in out
    assert "lower bound" in out
    json_path = tmp_path / "r.json"
    _ok(["report", str(folder), "-o", str(json_path)], capsys)
    import json

    report = json.loads(json_path.read_text(encoding="utf-8"))
    got = {c["cluster_id"]: c.get("employment_status") for c in report["clusters"]}
    with open(folder / "regional_clusters.csv", newline="", encoding="utf-8") as fh:
        regional = [r for r in csv.DictReader(fh) if r["region_level"] == "county"]
    want = {}
    for cid in got:
        st = {r["employment_status"] for r in regional if r["cluster_id"] == cid}
        want[cid] = (None if not st else "reported" if st == {"reported"}
                     else "suppressed" if st == {"suppressed"} else "partial")
    assert got == want and got["14"] == "partial"
    assert {"reported", "partial", "suppressed"} <= set(got.values())
    html = tmp_path / "r.html"
    _ok(["report", str(folder), "-o", str(html)], capsys)
    assert "lower bound" in html.read_text(encoding="utf-8")
    # with --suppressed bounds the suppressed cells count at their midpoints: no lower bound
    mid = tmp_path / "detect_bounds"
    _ok(["detect", str(UTILITIES), "-o", str(mid), "--definitions", "uscmp", "--month",
         "average", "--suppressed", "bounds"], capsys)
    out, _ = _ok(["report", str(mid), "-o", "-", "--format", "md"], capsys)
    assert "middle of their bounds" in out and "lower bound" not in out


# ------------------------------------------------------------------ shift-share across a code revision

def test_shift_share_names_codes_present_in_one_period_only(tmp_path, capsys):
    """2016 data on NAICS 2012 beside 2017 data on NAICS 2017 (211111 became 211120 and
    211130, 212231 became 212230): every old code "closed" and every new one "opened" in every
    region, so region A's change of +17 came out as industry mix -145.6 and regional share
    +149 (new industry 147) without a word.  The decomposition is still exact (checked), and
    the codes found in one period only are now named with the advice to map them first."""
    raw = tmp_path / "revision.csv"
    rows = [("A", "211111", 2016, 100), ("A", "212231", 2016, 40), ("A", "236115", 2016, 200),
            ("B", "211111", 2016, 50), ("B", "212231", 2016, 10), ("B", "236115", 2016, 300),
            ("A", "211120", 2017, 60), ("A", "211130", 2017, 45), ("A", "212230", 2017, 42),
            ("A", "236115", 2017, 210), ("B", "211120", 2017, 30), ("B", "211130", 2017, 22),
            ("B", "212230", 2017, 9), ("B", "236115", 2017, 310)]
    raw.write_text("region,industry,year,employment\n"
                   + "".join(f"{r},{i},{y},{v}\n" for r, i, y, v in rows), encoding="utf-8")
    # by default the revision's codes are compared as combined industries (4504262 and before;
    # tests/test_shiftshare_indices_9.py); code by code, as this test checks, on request
    _, err = _ok(["shift-share", str(raw), "--from", "2016", "--to", "2017", "--by", "region",
                  "-o", "-"], capsys)
    assert "compared as 2 combined industries (211111+211120+211130, 212230+212231)" in err
    out, err = _ok(["shift-share", str(raw), "--from", "2016", "--to", "2017", "--by", "region",
                    "--keep-revised-codes", "-o", "-"], capsys)
    assert ("5 industries have activity in one period only, in every region (only in 2016: "
            "211111, 212231; only in 2017: 211120, 211130, 212230)") in err
    got = {r["region"]: r for r in _rows(out)}
    e = {}
    for r, i, y, v in rows:
        e.setdefault(y, {}).setdefault(r, {})[i] = float(v)
    codes = sorted({i for _, i, _, _ in rows})
    E = {y: {i: sum(e[y][r].get(i, 0.0) for r in e[y]) for i in codes} for y in e}
    G = sum(E[2017].values()) / sum(E[2016].values()) - 1
    for region, row in got.items():
        ns = im = rs = 0.0
        for i in codes:
            e0, e1 = e[2016][region].get(i, 0.0), e[2017][region].get(i, 0.0)
            if e0 == 0:
                rs += e1
                continue
            Gi = E[2017][i] / E[2016][i] - 1
            ns, im, rs = ns + e0 * G, im + e0 * (Gi - G), rs + e1 - e0 * (1 + Gi)
        assert float(row["national_share"]) == pytest.approx(ns, rel=1e-12)
        assert float(row["industry_mix"]) == pytest.approx(im, rel=1e-12)
        assert float(row["regional_share"]) == pytest.approx(rs, rel=1e-12)
        assert ns + im + rs == pytest.approx(float(row["change"]), rel=1e-12)
    assert float(got["A"]["industry_mix"]) == pytest.approx(-145.6)


# ------------------------------------------------------------------ shift-share: regions in one period

ONE_PERIOD = """region,industry,year,employment
R1,C,2015,100
R1,F,2015,50
R1,G,2015,30
R2,C,2015,200
R2,F,2015,:
R2,G,2015,80
R3,C,2015,40
R3,G,2015,10
R1,C,2016,110
R1,F,2016,45
R1,G,2016,35
R1,J,2016,12
R2,C,2016,190
R2,F,2016,60
R2,G,2016,90
R4,C,2016,70
R4,G,2016,5
"""


def test_shift_share_regions_present_in_one_period(tmp_path, capsys):
    """R3 is only in 2015, R4 only in 2016 (a boundary change), R2's F is suppressed in 2015
    and J is new in R1.  The cell rows listed every industry of the table for R3 and R4 as
    "not observed" (R3 x J and R4 x F, J, which neither ever had: 8 rows where 4 cells
    exist) and n_unobserved said 4 for each; now only their own cells (C, G) are listed and
    counted.  Components against METHODS.md §3 over the cells observed in both periods."""
    raw = tmp_path / "one_period.csv"
    raw.write_text(ONE_PERIOD, encoding="utf-8")
    out, _ = _ok(["shift-share", str(raw), "--from", "2015", "--to", "2016", "-o", "-"], capsys)
    rows = _rows(out)
    listed = sorted((r["region"], r["industry"]) for r in rows if r["observed"] == "false")
    assert listed == [("R2", "F"), ("R3", "C"), ("R3", "G"), ("R4", "C"), ("R4", "G")]
    e = {}
    for r in _rows(ONE_PERIOD):
        if r["employment"] != ":":
            e[(r["year"], r["region"], r["industry"])] = float(r["employment"])
    both = [(j, i) for j in ("R1", "R2") for i in ("C", "F", "G", "J")
            if (("2015", j, i) in e or ("2016", j, i) in e) and (j, i) != ("R2", "F")]
    E0 = {i: sum(e.get(("2015", j, i), 0.0) for j, ii in both if ii == i) for i in "CFGJ"}
    E1 = {i: sum(e.get(("2016", j, i), 0.0) for j, ii in both if ii == i) for i in "CFGJ"}
    G = sum(E1.values()) / sum(E0.values()) - 1
    got = {(r["region"], r["industry"]): r for r in rows if r["observed"] == "true"}
    assert sorted(got) == sorted(both)
    for (j, i), r in got.items():
        e0, e1 = e.get(("2015", j, i), 0.0), e.get(("2016", j, i), 0.0)
        rs = e1 if e0 == 0 else e1 - e0 * (E1[i] / E0[i])
        assert float(r["national_share"]) == pytest.approx(e0 * G, abs=1e-12)
        assert float(r["regional_share"]) == pytest.approx(rs, abs=1e-9)
    out, _ = _ok(["shift-share", str(raw), "--from", "2015", "--to", "2016", "--by", "region",
                  "-o", "-"], capsys)
    regions = {r["region"]: r for r in _rows(out)}
    assert {j: regions[j]["n_unobserved"] for j in regions} == {"R1": "0", "R2": "1", "R3": "2",
                                                                 "R4": "2"}


def test_plant_herfindahl_counts_the_plants_of_the_observed_regions(capsys):
    """EG's G of an industry is computed over the counties where its employment is published,
    but its plant Herfindahl 1/N counted the establishments of every county: NAICS 236118 in
    Hawaii, 2016 Q3, is published for Hawaii County (43 establishments) and Honolulu (281) and
    suppressed in Kauai (27) and Maui (81): H was 1/432 and is 1/324.  γ and z follow."""
    with open(HAWAII, newline="", encoding="utf-8") as fh:
        raw = [r for r in csv.DictReader(fh) if r["agglvl_code"] == "78"]
    cells = _qcew_cells(HAWAII)
    out, _ = _ok(["indices", str(HAWAII), "--by", "industry", "--level", "6", "--ownership",
                  "private", "-o", "-"], capsys)
    checked = 0
    for row in _rows(out):
        ind = row["industry"]
        plants = sum(float(r["qtrly_estabs_count"]) for r in raw
                     if r["industry_code"] == ind and cells[(r["area_fips"], ind)] is not None)
        if not row["eg_plant_herfindahl"]:
            continue
        assert float(row["eg_plant_herfindahl"]) == pytest.approx(1 / plants, rel=1e-12), ind
        G, H = float(row["eg_G"]), 1 / plants
        t = _qcew_county_totals(HAWAII)
        # the counties where the cell is published, or absent (a true zero), not suppressed
        counties = sorted(j for j in t if cells.get((j, ind), 0.0) is not None)
        s2 = sum((t[j] / sum(t[k] for k in counties)) ** 2 for j in counties)
        assert float(row["eg_gamma"]) == pytest.approx((G - (1 - s2) * H) / ((1 - s2) * (1 - H)),
                                                       rel=1e-9)
        checked += 1
    assert checked == 5
    got = {r["industry"]: r for r in _rows(out)}
    assert float(got["236118"]["eg_plant_herfindahl"]) == pytest.approx(1 / 324, rel=1e-12)


# ------------------------------------------------------------------ a benchmark region's suppressed cells

STATE_SLICE = DATA / "qcew_utah_2016q1_state_suppressed_slice.csv"


def test_benchmark_region_suppressed_cells_are_unknown_not_zero(capsys):
    """Utah 2016 Q1, private, 4-digit NAICS, counties against the state (-b region:49000):
    the state suppresses 3112, 3121 and 5239, which Box Elder and Weber publish.  Read as 0,
    the state's share of them was 0 and each county's own share of them counted in full:
    Box Elder's Krugman index was 0.5373 and its relative Theil inf (Weber: 0.1014, inf),
    where over the industries both publish they are 0.3537 and 0.1168 (0.0546, 0.0016).
    Those industries are now left out of the benchmark indices, and named on stderr."""
    with open(STATE_SLICE, newline="", encoding="utf-8") as fh:
        raw = list(csv.DictReader(fh))
    emp = {(r["area_fips"], r["industry_code"]):
           None if r["disclosure_code"] == "N" else
           sum(float(r[f"month{m}_emplvl"]) for m in (1, 2, 3)) / 3
           for r in raw if r["industry_code"] != "10"}
    out, err = _ok(["indices", str(STATE_SLICE), "-b", "region:49000", "--level", "4",
                    "--ownership", "private", "-o", "-"], capsys)
    assert "3 industries have no benchmark value" in err and "3112, 3121, 5239" in err
    got = {r["region"]: r for r in _rows(out)}
    assert sorted(got) == ["49003", "49057"]
    for county, row in got.items():
        both = [i for (j, i), v in emp.items() if j == county and v is not None
                and emp.get(("49000", i)) is not None]
        e = {i: emp[(county, i)] for i in both}
        E = {i: emp[("49000", i)] for i in both}
        assert float(row["krugman"]) == pytest.approx(_krugman(e, E), rel=1e-12)
        assert float(row["lq_gini"]) == pytest.approx(_lq_gini(e, E), rel=1e-12)
        te, tE = sum(e.values()), sum(E.values())
        theil = sum(v / te * math.log((v / te) / (E[i] / tE)) for i, v in e.items() if v > 0)
        assert float(row["relative_theil"]) == pytest.approx(theil, rel=1e-12)
    assert float(got["49003"]["krugman"]) == pytest.approx(0.3537, abs=5e-5)


# ------------------------------------------------------------------ division ranges in SDMX-CSV

def test_division_ranges_in_sdmx_csv_read_as_in_the_tsv(capsys):
    """Eurostat's sbs_r_nuts06_r2 with C10-C12 and C13-C15 beside their divisions, downloaded
    as SDMX-CSV (Eurostat's default download) instead of the bulk TSV: the generic reader
    refused the ranges with exit 1 ("not a NACE industry code ... found 'C10-C12'") while the
    TSV reader has them at level 2.  Now both layouts give the same table and the same indices;
    Krugman over the codes kept once (C10, C11, C12, C13-C15, C20) is checked by hand."""
    sdmx = DATA / "sbs_division_ranges_sdmx.csv"
    tsv = TEST_DATA / "eurostat" / "sbs_division_ranges_toy.tsv"
    got, err = _ok(["indices", str(sdmx), "--level", "2", "-o", "-"], capsys)
    want, _ = _ok(["indices", str(tsv), "--level", "2", "-o", "-"], capsys)
    assert got == want
    assert "C10-C12 (C10 + C11 + C12)" in err and "C13 (part of C13-C15)" in err
    cells = {"DE11": {"C10": 200, "C11": 60, "C12": 40, "C13-C15": 150, "C20": 550},
             "DE12": {"C10": 200, "C11": None, "C12": 40, "C13-C15": 150, "C20": 450}}
    for row in _rows(got):
        e = {i: v for i, v in cells[row["region"]].items() if v is not None}
        E = {i: sum(cells[j][i] for j in cells if cells[j][i] is not None) for i in e}
        assert float(row["krugman"]) == pytest.approx(_krugman(e, E), rel=1e-12)
