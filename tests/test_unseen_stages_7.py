"""detect, stats, indices, shift-share, report and run on inputs the project was not tuned on:
Eurostat tables where some regions list only an aggregate (K-N, not K, L, M_N), definitions
written in Eurostat's own codes, single states' counties, one-region / one-industry tables.
Every number is checked against a plain recomputation in this file (METHODS.md), never against
the tool's own output.
"""

from __future__ import annotations

import csv

import pytest

from conftest import TEST_DATA, csv_rows as _rows, run_main, run_ok as _ok

DATA = TEST_DATA / "unseen7s"
KN_ONLY = DATA / "nama_10r_3empers_at_k_n_only.tsv"
SECTION_CLUSTERS = DATA / "nace_sections_clusters.csv"
AGG_TOY = TEST_DATA / "unseen3" / "nace_aggregate_only_region.csv"


def _eurostat_cells(path) -> dict:
    """The bulk TSV read by hand: {(year, geo, nace): persons} (None for ': c')."""
    cells = {}
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        years = [h.strip() for h in header[1:]]
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            _unit, _status, nace, geo = parts[0].split(",")
            for year, raw in zip(years, parts[1:]):
                raw = raw.strip()
                cells[(year, geo, nace)] = (None if raw.startswith(":")
                                            else float(raw.split()[0]) * 1000)
    return cells


def _members(path) -> dict:
    with open(path, newline="", encoding="utf-8") as fh:
        out: dict = {}
        for r in csv.DictReader(fh):
            out.setdefault(r["cluster"], []).append(r["industry"])
        return out


def _regional(folder) -> dict:
    with open(folder / "regional_clusters.csv", newline="", encoding="utf-8") as fh:
        return {(r["period"], r["region"], r["cluster_id"]): r for r in csv.DictReader(fh)}


# ------------------------------------------------------------------ detect: aggregate-only regions

@pytest.mark.parametrize("suppressed", ["drop", "impute"])
def test_detect_keeps_the_activity_of_regions_that_list_only_an_aggregate(tmp_path, capsys,
                                                                          suppressed):
    """nama_10r_3empers for Austria's NUTS 2 regions with K, L and M_N removed for AT21, AT22
    and AT33, which keep only their K-N (as a national office publishing K-N alone for small
    regions).  detect left K-N out everywhere (K + L + M_N elsewhere) and those regions' K, L,
    M_N had no row: their business-services and real-estate clusters had no row at all (44,600
    jobs of AT21 in 2021 gone) and the traded denominators lost them.  Now the parts are
    suppressed cells bounded by K-N: with impute the two clusters add up to K-N exactly; with
    drop they are rows of unknown employment, never 0, with K-N as their upper bound.

    And the definitions' ``M_N`` (Eurostat's own spelling, kept by ingest) was normalised to
    ``M-N`` and matched no row: every region's professional services were missing from
    cluster 5 (AT11 2021: 56,300 instead of K + M_N = 106,800)."""
    out = tmp_path / "out"
    _ok(["detect", str(KN_ONLY), "-o", str(out), "--definitions", str(SECTION_CLUSTERS),
         "--suppressed", suppressed, "--lq-denominator", "total"], capsys)
    cells = _eurostat_cells(KN_ONLY)
    members = _members(SECTION_CLUSTERS)
    got = _regional(out)
    periods = sorted({p for (p, _, _) in cells})
    regions = sorted({g for (_, g, _) in cells})
    only_kn = {"AT21", "AT22", "AT33"}
    for p in periods:
        for g in regions:
            for cid, codes in members.items():
                row = got[(p, g, cid)]
                vals = [cells.get((p, g, c)) for c in codes]
                if all(v is not None for v in vals):
                    assert row["employment_status"] == "reported"
                    assert float(row["employment"]) == pytest.approx(sum(vals), rel=1e-9)
            if g in only_kn:
                kn = cells[(p, g, "K-N")]
                r5, r6 = got[(p, g, "5")], got[(p, g, "6")]
                assert (r5["n_industries"], r5["n_suppressed"]) == ("2", "2")
                assert float(r5["employment_upper"]) == pytest.approx(2 * kn)
                assert float(r6["employment_upper"]) == pytest.approx(kn)
                if suppressed == "impute":
                    both = float(r5["employment"]) + float(r6["employment"])
                    assert both == pytest.approx(kn, rel=1e-6)
                else:
                    assert r5["employment"] == "" and r5["employment_status"] == "suppressed"
    # LQ against total employment for the clusters published in every region of a period
    for p in periods:
        totals = {g: cells[(p, g, "TOTAL")] for g in regions}
        for cid, codes in members.items():
            e = {g: [cells.get((p, g, c)) for c in codes] for g in regions}
            if any(v is None for vals in e.values() for v in vals):
                continue
            share = sum(sum(v) for v in e.values()) / sum(totals.values())
            for g in regions:
                lq = sum(e[g]) / totals[g] / share
                assert float(got[(p, g, cid)]["lq"]) == pytest.approx(lq, abs=6e-7)  # 6 decimals
    assert float(got[("2021", "AT11", "5")]["employment"]) == 106800


def test_detect_toy_region_with_only_the_aggregate_gets_its_trade_back(tmp_path, capsys):
    """The toy of tests/data/unseen3: R2 lists G-I = 300 (not G, H, I), R1 lists G, H, I and
    R3 G-I = G = 300.  R2 had no trade-cluster row and its industry cluster's traded LQ was
    3.0 (its 100 industry jobs over a traded denominator of 100).  With impute R2's trade
    cluster holds the 300 jobs of G-I and the traded LQs are those of B-E = 300 / 100 / 50
    and trade = 600 / 300 / 300."""
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster,cluster_name,type\nB-E,1,Industry,traded\n"
                    "F,2,Building,local\nG,3,Trade,traded\nH,3,Trade,traded\nI,3,Trade,traded\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    _, err = _ok(["detect", str(AGG_TOY), "-o", str(out), "--definitions", str(defs),
                  "--suppressed", "impute"], capsys)
    assert "R2 2020: G, H, I under G-I" in err
    got = _regional(out)
    assert float(got[("2020", "R2", "3")]["employment"]) == pytest.approx(300, rel=1e-6)
    industry = {"R1": 300, "R2": 100, "R3": 50}
    trade = {"R1": 600, "R2": 300, "R3": 300}
    share = sum(industry.values()) / (sum(industry.values()) + sum(trade.values()))
    for r in industry:
        lq = industry[r] / (industry[r] + trade[r]) / share
        assert float(got[("2020", r, "1")]["lq"]) == pytest.approx(lq, abs=6e-7)
    assert got[("2020", "R3", "3")]["n_industries"] == "1"  # H, I are true zeros beside G = G-I


# ------------------------------------------------------------------ detect: growth over suppression

NH_TOURISM = DATA / "qcew_nh_2016_tourism_slice.csv"


def _qcew_cells(path) -> dict:
    """{(quarter, county, code): mean of the three months, None when disclosure N} of the
    private 6-digit rows of a raw QCEW slice."""
    out = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["own_code"] == "5" and r["agglvl_code"] == "78":
                m = sum(float(r[f"month{i}_emplvl"]) for i in (1, 2, 3)) / 3
                out[(f"{r['year']}Q{r['qtr']}", r["area_fips"], r["industry_code"])] = (
                    None if r["disclosure_code"] == "N" else m)
    return out


@pytest.mark.parametrize("suppressed", ["drop", "bounds"])
def test_growth_is_over_the_cells_known_in_both_periods(tmp_path, capsys, suppressed):
    """New Hampshire's ten counties, 2016 by quarter, the private 6-digit cells of USCMP's
    Hospitality and Tourism cluster (22).  employment_growth divided the last quarter's sum of
    published cells by the first's, whichever cells they were: Merrimack (33013) went from
    1,321 jobs in Q1 (2 of 17 cells published) to 20 in Q4 (1 published), -98.5%, because a
    cell of 1,296 jobs published in Q1 was suppressed in Q4.  Growth is now over the cells
    with a value in both quarters (a cell absent in one quarter is a true 0 there): -19.7%
    for Merrimack.  (With bounds a suppressed cell's midpoint is its value.)"""
    out = tmp_path / "out"
    _ok(["detect", str(NH_TOURISM), "-o", str(out), "--definitions", "uscmp", "--month",
         "average", "--suppressed", suppressed], capsys)
    got = _regional(out)
    if suppressed == "drop":
        cells = _qcew_cells(NH_TOURISM)
        counties = sorted({c for (_, c, _) in cells})
        checked = 0
        for c in counties:
            codes = {i for (_, cc, i) in cells if cc == c}
            known = [i for i in codes if cells.get(("2016Q1", c, i), 0) is not None
                     and cells.get(("2016Q4", c, i), 0) is not None]
            e0 = sum(cells.get(("2016Q1", c, i), 0) for i in known)
            e1 = sum(cells.get(("2016Q4", c, i), 0) for i in known)
            row = got[("2016Q4", c, "22")]
            if e0 > 0:
                assert float(row["employment_growth"]) == pytest.approx(e1 / e0 - 1, abs=6e-7)
                checked += 1
            else:
                assert row["employment_growth"] == ""
        assert checked >= 8
        assert float(got[("2016Q4", "33013", "22")]["employment_growth"]) == pytest.approx(
            20.333333 / 25.333333 - 1, abs=1e-5)
    # without suppression the growth is the sums' own: rows whose cells are all known
    for (p, c, k), row in got.items():
        first = got.get(("2016Q1", c, k))
        if p == "2016Q4" and first and row["n_suppressed"] == first["n_suppressed"] == "0" \
                and float(first["employment"]) > 0:
            assert float(row["employment_growth"]) == pytest.approx(
                float(row["employment"]) / float(first["employment"]) - 1, abs=2e-6)


# ------------------------------------------------------------------ report: the LQ it describes

@pytest.mark.parametrize("suppressed, expected", [("drop", "total"), ("impute", "lone")])
def test_report_describes_the_lq_denominator_detect_used(tmp_path, capsys, suppressed, expected):
    """The report's methodology always said that a cluster's LQ divides by the region's traded
    (or local) employment, the U.S. Cluster Mapping convention.  On New Hampshire's counties
    with 67% of the member cells suppressed, detect's --lq-denominator auto divides by total
    employment (every row says lq_denominator = total): the report described LQs it did not
    show.  It now names the denominator the rows carry, and why auto chose it.  (With impute
    the slice's one traded cluster, 22, was typed: its own employment as denominator, LQ 1 in
    every county; it now takes the total, and the report says why: test_unseen_stages_8.)"""
    out = tmp_path / "detect"
    _ok(["detect", str(NH_TOURISM), "-o", str(out), "--definitions", "uscmp", "--month",
         "average", "--suppressed", suppressed], capsys)
    denominators = {r["lq_denominator"] for r in _regional(out).values()}
    assert denominators == {"total"}
    report = tmp_path / "report.json"
    _ok(["report", str(out), "-o", str(report)], capsys)
    import json

    text = " ".join(json.loads(report.read_text(encoding="utf-8"))["methodology"])
    assert "share of the region's total employment" in text
    assert "share of the region's traded (or local) employment" not in text
    if expected == "total":
        assert "67% of the clusters' member cells have no value" in text
    else:
        assert "the only traded cluster in the data (22)" in text


# ------------------------------------------------------------------ detect: industries without a level

LAENDER = DATA / "reat_laender_emp_2013_2014.csv"


def _laender_cells(path) -> dict:
    """{(year, Land, industry title): employees} of REAT's German table (its Germany row,
    region "Insgesamt", left out)."""
    with open(path, newline="", encoding="utf-8") as fh:
        return {(r["year"], r["region"], r["industry"]): float(r["emp"])
                for r in csv.DictReader(fh) if r["region"] != "Insgesamt"}


def test_detect_groups_a_custom_table_and_names_uncoded_industries(tmp_path, capsys):
    """REAT's Länder x WZ 2008 table names three groups of sections without a letter
    (professional services, arts, public administration: a third of the jobs).  Read raw,
    detect grouped the seven lettered sections and left the three out of every cluster without
    a word.  Ingested with --classification custom (every row one industry), detect refused:
    'only 1 industry at level 0' -- it grouped the one levelled row, the total.  Now the raw
    run names the three it leaves out, and the custom table groups all eleven rows, each
    cluster's employment the sum of its rows."""
    _, err = _ok(["detect", str(LAENDER), "-o", str(tmp_path / "raw")], capsys)
    # (since session 32 the three titles are read as the A*10 groups they name, and said:
    # the raw run groups all ten level-1 groups, none left out)
    assert ("3 industries listed by title only, read as the NACE sections they name "
            "(Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL = M-N; oeff.Verw.,Verteidig.,"
            "Sozialvers.,Erz.-u.Unterricht = O-Q; Kunst, Unterhaltung, Erholung, Priv. Haush.,"
            "usw. = R-U)") in err
    assert "no level" not in err and "detect: 10 industries in " in err
    canon = tmp_path / "custom.csv"
    _ok(["ingest", str(LAENDER), "-o", str(canon), "--classification", "custom"], capsys)
    out = tmp_path / "custom"
    _, err = _ok(["detect", str(canon), "-o", str(out), "--signals", "colocation"], capsys)
    assert "no level" not in err
    with open(out / "clusters.csv", newline="", encoding="utf-8") as fh:
        clusters = {r["industry"]: r["cluster_id"] for r in csv.DictReader(fh)}
    with open(canon, newline="", encoding="utf-8") as fh:
        names = {r["industry"]: r["industry_name"] for r in csv.DictReader(fh)}
    assert len(clusters) == 11 and "10" not in clusters
    cells = _laender_cells(LAENDER)
    got = _regional(out)
    lands = {g for (_, g, _) in cells}
    assert len(lands) == 16
    for (year, land, cid), row in got.items():
        titles = {c if names[c] is None or names[c] == "" else names[c] for c, k in clusters.items()
                  if k == cid}
        want = sum(v for (y, g, t), v in cells.items() if y == year and g == land
                   and any(t == x or t.startswith(x) for x in titles))
        assert float(row["employment"]) == pytest.approx(want, rel=1e-9), (year, land, cid)


def test_cluster_names_from_german_and_russian_titles():
    """Data-driven cluster names took words of ASCII letters only: REAT's German sections gave
    'Land-, Und, Forstwirtschaft' ('und' is 'and'; 'Grundstücks' was cut at the umlaut) and
    Russian or Kazakh titles gave no word at all (the name fell back to 'Cluster 1 (B05)')."""
    from clusterid.core.grouping import cluster_name

    assert cluster_name(["Land- und Forstwirtschaft, Fischerei", "Baugewerbe",
                         "Produzierendes Gewerbe ohne Baugewerbe"]) == \
        "Baugewerbe, Land, Forstwirtschaft"
    assert cluster_name(["Grundstücks- und Wohnungswesen"]) == "Grundstücks, Wohnungswesen"
    assert cluster_name(["Добыча металлических руд", "Производство готовых металлических "
                         "изделий"]) == "Металлических, Добыча, Руд"
    assert cluster_name(["Aircraft Manufacturing", "Aircraft Engine and Engine Parts "
                         "Manufacturing"]) == "Aircraft, Engine, Parts"


# ------------------------------------------------------------------ shift-share: float noise

def test_shift_share_of_a_region_growing_as_its_industries_is_zero_not_noise(tmp_path, capsys):
    """Against itself (one region), or wherever a region grows exactly as the benchmark
    industry, the regional share is 0; it was written -8.88178419700125e-15 (A: 100 -> 110,
    G_A = 0.1 in floats), a negative competitive effect to anything that tests RS < 0."""
    raw = tmp_path / "one_region.csv"
    raw.write_text("region,industry,year,employment\nR1,A,2020,100\nR1,B,2020,50\n"
                   "R1,A,2021,110\nR1,B,2021,40\n"
                   "R2,A,2020,300\nR2,B,2020,150\nR2,A,2021,330\nR2,B,2021,120\n",
                   encoding="utf-8")
    out, _ = _ok(["shift-share", str(raw), "--from", "2020", "--to", "2021", "-o", "-"], capsys)
    rows = _rows(out)
    assert len(rows) == 4
    for r in rows:
        assert r["regional_share"] == "0.0" and r["competitive"] == "0.0", r
        parts = sum(float(r[k]) for k in ("national_share", "industry_mix", "regional_share"))
        assert parts == pytest.approx(float(r["change"]), abs=1e-9)


# ------------------------------------------------------------------ detect --suppressed bounds

NH_72 = DATA / "qcew_nh_2016q1_sector72_slice.csv"


def test_bounds_points_keep_the_industry_adding_up(tmp_path, capsys):
    """New Hampshire's counties, 2016 Q1, every private row of NAICS sector 72 (accommodation
    and food services, 97 of 272 rows suppressed).  --suppressed bounds counted each suppressed
    cell at the midpoint of its bounds; suppressed siblings under one published remainder then
    added up to more than it: the USCMP clusters of Coos County's sector 72 held 2,244 jobs
    where the sector has 1,829 (on the whole county table the clusters came to 180% of
    Sullivan County's jobs).  Now the suppressed cells sit at points inside their bounds that
    make up their published parents, so over the clusters a county's sector-72 employment is
    the published sector total; every cluster stays inside its bounds."""
    out = tmp_path / "out"
    _ok(["detect", str(NH_72), "-o", str(out), "--definitions", "uscmp", "--month", "average",
         "--suppressed", "bounds"], capsys)
    sector = {}
    with open(NH_72, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["own_code"] == "5" and r["industry_code"] == "72":
                assert r["disclosure_code"] != "N"
                sector[r["area_fips"]] = sum(float(r[f"month{i}_emplvl"]) for i in (1, 2, 3)) / 3
    got = _regional(out)
    totals: dict = {}
    for (_, region, _), row in got.items():
        e = float(row["employment"])
        totals[region] = totals.get(region, 0.0) + e
        assert float(row["employment_lower"]) - 1e-6 <= e <= float(row["employment_upper"]) + 1e-6
    assert sorted(totals) == sorted(sector)
    for region, value in sector.items():
        assert totals[region] == pytest.approx(value, abs=1e-4), region
    assert sum(1 for r in got.values() if r["employment_status"] == "partial") >= 10


# ------------------------------------------------------------------ detect: NACE definitions FILE

KZ = TEST_DATA / "pipeline2" / "kz_oked_oblasts_cp1251.csv"


def _kz_cells() -> dict:
    """The stat.gov.kz table read by hand: {(year, oblast, code): persons} (None: x, ...)."""
    out = {}
    with open(KZ, encoding="cp1251") as fh:
        for line in fh:
            parts = line.rstrip("\n").split(";")
            if len(parts) != 4 or not parts[2].strip().isdigit():
                continue
            region, code, year, raw = (p.strip() for p in parts)
            raw = raw.replace(" ", "").replace("\u00a0", "")
            out[(year, region, code)] = float(raw) if raw.replace(".", "").isdigit() else None
    return out


def test_definitions_of_divisions_on_a_kazakh_table(tmp_path, capsys):
    """OKED divisions in a definitions file, on the stat.gov.kz oblast table (sections, with
    divisions for B and C).  Matching the file's codes to the data's spelling (M_N) also
    matched the all-industries code "10" -- normalised as NACE it reads as division C10 -- so
    a cluster of C10 and C11 summed every oblast's total plus C11 (Akmola 2020: 171,628 jobs in
    a region of 167,846).  And a file listing a division beside its section (C10 and C) was
    accepted and counted that employment twice; it is refused like NAICS 3111 beside 311111."""
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster,cluster_name,type\nC10,1,Food,traded\nC11,1,Food,traded\n"
                    "C24,2,Metals,traded\nC25,2,Metals,traded\nB05,3,Mining,traded\n"
                    "B06,3,Mining,traded\nB07,3,Mining,traded\nF,4,Construction,local\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    _ok(["detect", str(KZ), "-o", str(out), "--definitions", str(defs)], capsys)
    cells = _kz_cells()
    members = {"1": ["C10", "C11"], "2": ["C24", "C25"], "3": ["B05", "B06", "B07"], "4": ["F"]}
    got = _regional(out)
    assert got
    for (year, region, cid), row in got.items():
        vals = [cells.get((year, region, c)) for c in members[cid]]
        known = [v for v in vals if v is not None]
        if row["employment"] != "":
            assert float(row["employment"]) == pytest.approx(sum(known), rel=1e-9), (region, cid)
        assert float(row["share"] or 0) < 1
    nested = tmp_path / "nested.csv"
    nested.write_text("industry,cluster\nC,1\nC10,1\nF,2\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(KZ), "-o", str(tmp_path / "n"), "--definitions",
                             str(nested)], capsys)
    assert code == 1 and "industry C10 and its parent C are both listed" in err


def test_grouping_the_deepest_level_says_how_little_it_details(tmp_path, capsys):
    """The Kazakh table breaks only B and C into divisions: detect grouped its deepest level,
    the seven divisions, and every other section (91% of the jobs) was in no cluster without
    a word.  The note names the share and the --level that groups the whole economy."""
    cells = _kz_cells()
    sections = {(y, g, c): v for (y, g, c), v in cells.items()
                if len(c) == 1 and c.isalpha() and v is not None}
    share = (sum(v for (_, _, c), v in sections.items() if c in "BC")
             / sum(sections.values()))
    out = tmp_path / "out"
    _, err = _ok(["detect", str(KZ), "-o", str(out), "--signals", "colocation"], capsys)
    assert f"details only the level-1 codes holding {share:.0%} of the employment" in err
    assert "--level 1 groups the whole economy" in err
    import json

    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert any("--level 1" in n for n in meta["notes"])
    _, err = _ok(["detect", str(KZ), "-o", str(tmp_path / "l1"), "--signals", "colocation",
                  "--level", "1"], capsys)
    assert "details only" not in err


def test_uscmp_traded_universe_on_a_nace_table_says_why(tmp_path, capsys):
    """--universe uscmp-traded on Eurostat sections ended in 'error: <input>: none of the
    requested industries is in the table (found '113110, 113210, ...')', naming USCMP's codes
    as found in a file that holds none of them."""
    code, _, err = run_main(["detect", str(KN_ONLY), "-o", str(tmp_path / "o"), "--universe",
                             "uscmp-traded"], capsys)
    assert code == 2
    assert "--universe uscmp-traded" in err and "NACE" in err and "113110" not in err


def test_locational_gini_of_an_industry_spread_like_activity_is_zero(tmp_path, capsys):
    """One industry in two regions: it is spread exactly like total activity, and the
    locational Gini was written 1.11022302462516e-16 (1 minus a float sum of shares)."""
    raw = tmp_path / "one_industry.csv"
    raw.write_text("region,industry,year,employment\nR1,A,2020,100\nR2,A,2020,50\n",
                   encoding="utf-8")
    out, _ = _ok(["indices", str(raw), "--by", "industry", "-o", "-"], capsys)
    (row,) = _rows(out)
    assert row["locational_gini"] == "0.0" and row["hoover_localisation"] == "0.0"


# ------------------------------------------------------------------ detect: regions without a total row

def test_region_total_without_a_total_row_is_every_industry_of_one_ownership(tmp_path, capsys):
    """A table without all-industries rows: a region's total is the sum of its industries.
    It summed the definitions' members only (clusters of A and F made R1's 'total' 500 of its
    1,000 jobs, agriculture's share 0.6 instead of 0.3) and every ownership at once (total and
    private rows together: 1.87 times the region)."""
    rows = {"R1": {"A": (300, 250), "C": (500, 450), "F": (200, 150)},
            "R2": {"A": (100, 80), "C": (400, 390), "F": (100, 60)},
            "R3": {"A": (50, 40), "C": (300, 280), "F": (50, 30)}}
    raw = tmp_path / "no_total.csv"
    lines = ["region,industry,ownership,year,employment"]
    for g, inds in rows.items():
        for i, (tot, priv) in inds.items():
            lines += [f"{g},{i},total,2020,{tot}", f"{g},{i},private,2020,{priv}"]
    raw.write_text("\n".join(lines) + "\n", encoding="utf-8")
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster,cluster_name,type\nA,1,Agri,traded\nF,2,Constr,local\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    _ok(["detect", str(raw), "-o", str(out), "--definitions", str(defs), "--lq-denominator",
         "total"], capsys)
    got = _regional(out)
    totals = {g: sum(t for t, _ in inds.values()) for g, inds in rows.items()}
    members = {"1": "A", "2": "F"}
    for (_, g, cid), row in got.items():
        e = rows[g][members[cid]][1]  # private: the ownership detect chooses
        assert float(row["region_employment"]) == totals[g]
        assert float(row["share"]) == pytest.approx(e / totals[g], abs=6e-7)
        E = sum(inds[members[cid]][1] for inds in rows.values())
        lq = (e / totals[g]) / (E / sum(totals.values()))
        assert float(row["lq"]) == pytest.approx(lq, abs=6e-7)
    assert len(got) == 6


def test_stats_coverage_of_a_region_listing_only_an_aggregate(capsys):
    """stats left K-N out of every region's detail because other regions list K, L and M_N:
    AT21, which lists only K-N, had coverage 0.66 (86,500 of 131,100 jobs) with nothing
    suppressed.  The overlaps are now told region by region: its detail is the whole total."""
    out, _ = _ok(["stats", str(KN_ONLY), "--output-format", "csv"], capsys)
    cells = _eurostat_cells(KN_ONLY)
    partition = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]
    for r in _rows(out):
        p, g = r["period"], r["region"]
        # K-N in place of its parts where the region does not list them, or one of them is
        # withheld and K-N published (AT11 2018: 13,300 jobs of a withheld part inside K-N)
        withheld = any(cells.get((p, g, c)) is None for c in ("K", "L", "M_N"))
        whole = (p, g, "K") not in cells or (withheld and cells.get((p, g, "K-N")) is not None)
        parts = ["K-N" if c in ("K", "L", "M_N") and whole else c for c in partition]
        known = [cells[(p, g, c)] for c in dict.fromkeys(parts) if cells.get((p, g, c)) is not None]
        assert float(r["detail_reported"]) == pytest.approx(sum(known), rel=1e-9), (p, g)
        if g in ("AT21", "AT22", "AT33"):
            assert float(r["coverage"]) == pytest.approx(1.0, abs=1e-9)


def test_custom_industries_name_their_clusters(tmp_path, capsys):
    """A table of industries named in words (classification custom) has no titles beside the
    codes: every data-driven cluster was 'Cluster 1 (Fishing)'.  The codes are the names."""
    raw = tmp_path / "custom.csv"
    raw.write_text("region,industry,year,employment\n"
                   + "".join(f"{g},{i},2020,{v}\n" for g, row in {
                       "North": {"Tourism": 400, "Mining": 300, "Fishing": 200, "Retail": 600},
                       "South": {"Tourism": 300, "Mining": 700, "Fishing": 100, "Retail": 500},
                       "East": {"Tourism": 100, "Mining": 100, "Fishing": 300, "Retail": 400},
                   }.items() for i, v in row.items()), encoding="utf-8")
    out = tmp_path / "out"
    _ok(["detect", str(raw), "-o", str(out), "--signals", "colocation"], capsys)
    with open(out / "clusters.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4
    for r in rows:
        assert not r["cluster_name"].startswith("Cluster ")
        assert r["industry"] in r["cluster_name"] or any(
            x["industry"] in r["cluster_name"] for x in rows if x["cluster_id"] == r["cluster_id"])


def _three_sections(tmp_path, name: str, r2_rows: str):
    """A Destatis-style table of sections A, C, F in regions R1-R3 (R2's rows as given, 'x'
    where suppressed) and definitions putting each section in a cluster of its own."""
    raw = tmp_path / name
    raw.write_text("region,nace,year,employment\n"
                   "R1,TOTAL,2020,1000\nR1,A,2020,300\nR1,C,2020,500\nR1,F,2020,200\n"
                   + r2_rows
                   + "R3,TOTAL,2020,400\nR3,A,2020,50\nR3,C,2020,300\nR3,F,2020,50\n",
                   encoding="utf-8")
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster,type\nA,1,traded\nC,2,traded\nF,3,local\n",
                    encoding="utf-8")
    return raw, defs


def test_suppressed_region_total_is_said_to_be_a_lower_bound(tmp_path, capsys):
    """A Destatis-style table whose total for R2 is 'x' and whose C is 'x' there too: R2's
    total became the sum of its published sections (200 of an unknown total) and its LQs
    were computed on it without a word (agriculture 1.78, construction 2.29).  The numbers
    stay (they are all the table tells), but detect says which totals are lower bounds and
    the metadata lists them."""
    raw, defs = _three_sections(tmp_path, "total_x.csv", "R2,TOTAL,2020,x\nR2,A,2020,100\n"
                                                         "R2,C,2020,x\nR2,F,2020,100\n")
    out = tmp_path / "out"
    _, err = _ok(["detect", str(raw), "-o", str(out), "--definitions", str(defs)], capsys)
    assert "1 region total(s) unpublished or suppressed (2020 R2)" in err
    import json

    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["strength"]["regions_with_lower_bound_total"] == ["2020 R2"]
    got = _regional(out)
    assert float(got[("2020", "R2", "1")]["region_employment"]) == 200
    assert float(got[("2020", "R1", "1")]["region_employment"]) == 1000


def test_section_definitions_on_a_table_that_also_details_divisions(tmp_path, capsys):
    """The K-N-only table with a division (C10) added for every region: the table's deepest
    level became 2, and detect told overlaps at that level only, so with definitions of
    sections AT21's K, L, M_N got no rows again (its business-services and real-estate
    clusters gone).  Every NACE level is told now."""
    lines = KN_ONLY.read_text(encoding="utf-8").splitlines()
    extra = []
    for line in lines[1:]:
        key, *vals = line.split("\t")
        if key.split(",")[2] == "C":  # C10 made up as a fifth of C (not a published figure)
            extra.append("\t".join([key.replace(",C,", ",C10,")]
                                   + [f"{float(v.split()[0]) / 5:.1f} " if ":" not in v else v
                                      for v in vals]))
    raw = tmp_path / "with_c10.tsv"
    raw.write_text("\n".join(lines + extra) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    _, err = _ok(["detect", str(raw), "-o", str(out), "--definitions", str(SECTION_CLUSTERS),
                  "--suppressed", "impute", "--lq-denominator", "total"], capsys)
    assert "K-N (K + L + M_N)" in err and "AT21 2018: K, L, M_N under K-N" in err
    cells = _eurostat_cells(KN_ONLY)
    got = _regional(out)
    for p in ("2018", "2021"):
        both = float(got[(p, "AT21", "5")]["employment"]) + float(got[(p, "AT21", "6")]["employment"])
        assert both == pytest.approx(cells[(p, "AT21", "K-N")], rel=1e-6)
        k, m = cells[(p, "AT12", "K")], cells[(p, "AT12", "M_N")]
        assert float(got[(p, "AT12", "5")]["employment"]) == pytest.approx(k + m, rel=1e-9)


# ------------------------------------------------------------------ report: a damaged folder

def test_report_on_a_table_without_its_key_columns_is_bad_data(tmp_path, capsys):
    """regional_clusters.csv overwritten by another file (one column 'garbage'): report ended
    in 'internal error: ColumnNotFoundError: unable to find column "region"'.  Now exit 1
    naming the file and the columns it lacks."""
    out = tmp_path / "detect"
    _ok(["detect", str(AGG_TOY), "-o", str(out), "--definitions", str(SECTION_CLUSTERS)],
        capsys)
    (out / "regional_clusters.csv").write_text("garbage\n1\n", encoding="utf-8")
    code, _, err = run_main(["report", str(out), "-o", str(tmp_path / "r.html")], capsys)
    assert code == 1, err
    assert "regional_clusters.csv:1" in err and "period, region, cluster_id" in err
    assert "internal error" not in err and not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("table, column", [("regional_clusters.csv", "employment"),
                                           ("region_summary.csv", "region"),
                                           ("relatedness.csv", "similarity")])
def test_report_on_a_table_missing_an_optional_column(tmp_path, capsys, table, column):
    """A detect folder whose table lost one column (cut by hand, another version): the report
    shows what there is.  These three ended in internal errors (ColumnNotFoundError; a
    DuplicateError when relatedness.csv had no similarity column and its last column,
    industry_b, was taken for it)."""
    out = tmp_path / "detect"
    _ok(["detect", str(KN_ONLY), "-o", str(out), "--signals", "colocation"], capsys)
    path = out / table
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    j = rows[0].index(column)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([r[:j] + r[j + 1:] for r in rows])
    report = tmp_path / "r.json"
    _, err = _ok(["report", str(out), "-o", str(report)], capsys)
    assert f"{table} differ" in err and report.exists()


def test_impute_a_canonical_table_without_a_classification_column(tmp_path, capsys):
    """A canonical table may leave out its classification (a label); the bounds read its
    codes as NAICS, but the imputation's prior asked for the column: 'internal error:
    ColumnNotFoundError: unable to find column "classification"' from impute and from detect
    (co-location imputes).  The values are those of the same table with the column."""
    full = tmp_path / "full.csv"
    _ok(["ingest", str(NH_72), "-o", str(full)], capsys)
    with open(full, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    j = rows[0].index("classification")
    cut = tmp_path / "no_classification.csv"
    with open(cut, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([r[:j] + r[j + 1:] for r in rows])
    a, _ = _ok(["impute", str(full), "-o", "-"], capsys)
    b, _ = _ok(["impute", str(cut), "-o", "-"], capsys)
    assert [r["employment"] for r in _rows(a)] == [r["employment"] for r in _rows(b)]
    assert sum(r["employment_status"] == "estimated" for r in _rows(b)) == 97
    _ok(["detect", str(cut), "-o", str(tmp_path / "d"), "--signals", "colocation"], capsys)


def test_definitions_of_divisions_keep_the_parts_they_name(tmp_path, capsys):
    """tests/data/eurostat's SBS toy (C13-C15 beside C13 and C14, no C15 row; C10-C12 beside
    C10, C11, C12) with a third region listing only C10-C12 (250, made up).  Told as for a
    data-driven grouping, C13 and C14 were left out as 'part of C13-C15', so with definitions
    naming C13 and C14 (and not C13-C15) the textiles cluster had no row in any region.  The
    aggregate the definitions do not name goes instead; DE13's food and tobacco clusters
    share its C10-C12."""
    toy = TEST_DATA / "eurostat" / "sbs_division_ranges_toy.tsv"
    raw = tmp_path / "sbs3.tsv"
    raw.write_text(toy.read_text(encoding="utf-8").rstrip("\n") + "\n"
                   + "".join(f"V16110,{c},DE13\t{v} \n" for c, v in (
                       ("C", 800), ("C10-C12", 250), ("C13-C15", 150), ("C13", 90),
                       ("C14", 60), ("C20", 400))), encoding="utf-8")
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster,cluster_name,type\nC10,1,Food,traded\nC11,1,Food,traded\n"
                    "C12,2,Tobacco,traded\nC13,3,Textiles,traded\nC14,3,Textiles,traded\n"
                    "C20,4,Chemicals,traded\n", encoding="utf-8")
    out = tmp_path / "out"
    _, err = _ok(["detect", str(raw), "-o", str(out), "--definitions", str(defs),
                  "--suppressed", "impute"], capsys)
    assert "C13-C15 (C13 + C14 named by the definitions)" in err
    got = _regional(out)
    textiles = {"DE11": 150, "DE12": 150, "DE13": 150}
    for region, value in textiles.items():
        row = got[("2016", region, "3")]
        assert float(row["employment"]) == value and row["n_industries"] == "2"
    food_tobacco = float(got[("2016", "DE13", "1")]["employment"]) + float(
        got[("2016", "DE13", "2")]["employment"])
    assert food_tobacco == pytest.approx(250, rel=1e-6)
    assert float(got[("2016", "DE12", "1")]["employment"]) == pytest.approx(260, rel=1e-6)


def test_region_with_every_cell_suppressed_has_no_total_not_zero(tmp_path, capsys):
    """R2's total and every section are 'x': its region_employment was written 0 (the sum of
    no published value), a suppressed figure turned into a true zero.  It is empty now, and
    so are its shares and LQs; the clusters' rows keep their upper-bound-less status."""
    raw, defs = _three_sections(tmp_path, "all_x.csv", "R2,TOTAL,2020,x\nR2,A,2020,x\n"
                                                       "R2,C,2020,x\nR2,F,2020,x\n")
    out = tmp_path / "out"
    _ok(["detect", str(raw), "-o", str(out), "--definitions", str(defs)], capsys)
    got = _regional(out)
    for cid in ("1", "2", "3"):
        row = got[("2020", "R2", cid)]
        assert row["employment_status"] == "suppressed"
        assert row["region_employment"] == "" and row["share"] == "" and row["lq"] == ""
    with open(out / "region_summary.csv", newline="", encoding="utf-8") as fh:
        summary = {r["region"]: r for r in csv.DictReader(fh)}
    assert summary["R2"]["region_employment"] == ""
    assert float(summary["R1"]["region_employment"]) == 1000


def test_indices_observed_total_of_nothing_observed_is_empty(tmp_path, capsys):
    """Section B is 'x' in every region (and R2 is 'x' throughout): indices wrote
    observed_total 0.0 for the industry and for the region, a suppressed figure read as 0."""
    raw = tmp_path / "x.csv"
    raw.write_text("region,nace,year,employment\n"
                   "R1,A,2020,300\nR1,B,2020,x\nR1,C,2020,500\n"
                   "R2,A,2020,x\nR2,B,2020,x\nR2,C,2020,x\n"
                   "R3,A,2020,50\nR3,B,2020,x\nR3,C,2020,300\n", encoding="utf-8")
    out, _ = _ok(["indices", str(raw), "--by", "industry", "-o", "-"], capsys)
    got = {r["industry"]: r for r in _rows(out)}
    assert got["B"]["observed_total"] == "" and float(got["A"]["observed_total"]) == 350
    out, _ = _ok(["indices", str(raw), "-o", "-"], capsys)
    got = {r["region"]: r for r in _rows(out)}
    assert got["R2"]["observed_total"] == "" and float(got["R1"]["observed_total"]) == 800


def test_hierarchy_alone_on_sections_is_refused_not_an_arbitrary_grouping(tmp_path, capsys):
    """--signals hierarchy on NACE sections (or custom codes): every pair of industries has
    the same similarity (siblings under the total), yet detect wrote '10 industries in 2
    clusters', a partition chosen by the solver's tie-breaking.  A usage error now."""
    code, _, err = run_main(["detect", str(KN_ONLY), "-o", str(tmp_path / "o"), "--signals",
                             "hierarchy"], capsys)
    assert code == 2 and "every pair of the 10 industries is equally similar" in err
    assert not (tmp_path / "o").exists()
    _ok(["detect", str(KN_ONLY), "-o", str(tmp_path / "ok"), "--signals",
         "colocation,hierarchy"], capsys)
