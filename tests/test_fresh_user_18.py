"""Session 18, a fresh user's review (a regional statistician): problems found by using the
tool as the README and --help describe it, each pinned by a small hand-checkable case."""

from __future__ import annotations

import json

import pytest

from conftest import csv_rows, run_main as run


# ------------------------------------------------------------------ industry indices: region sizes

# A national office's long CSV (region, industry, year, employment) with an all-industries
# 'Total' row per region and ':' for a withheld cell, as Eurostat and Destatis write them.
SECTIONS_WITH_TOTALS = """region,industry,year,employment
R1,Total,2016,1000
R1,C,2016,300
R1,F,2016,:
R1,G,2016,200
R2,Total,2016,500
R2,C,2016,50
R2,F,2016,100
R2,G,2016,150
R3,Total,2016,800
R3,C,2016,100
R3,F,2016,200
R3,G,2016,300
"""


def test_industry_indices_take_the_regions_published_totals_as_their_sizes(tmp_path, capsys):
    """Hoover localisation, EG's G and coagglomeration compare an industry's spread with the
    regions' shares of all activity, x_j = e_j / E.  e_j was the sum of the region's published
    cells at the level, so R1's withheld F made R1 500 jobs where its published total says
    1,000: C's Hoover came out 0.31 instead of 0.232 (on Utah's counties at 6 digits the
    median industry moved by 0.07).  Each region's size is now its published total."""
    raw = tmp_path / "sections.csv"
    raw.write_text(SECTIONS_WITH_TOTALS, encoding="utf-8")
    code, out, err = run(["indices", str(raw), "--by", "industry", "-o", "-"], capsys)
    assert code == 0, err
    got = {r["industry"]: r for r in csv_rows(out)}
    x = [1000 / 2300, 500 / 2300, 800 / 2300]
    c = [300 / 450, 50 / 450, 100 / 450]
    hoover = 0.5 * sum(abs(a - b) for a, b in zip(c, x))  # 0.2319
    assert float(got["C"]["hoover_localisation"]) == pytest.approx(hoover, rel=1e-12)
    assert float(got["C"]["eg_G"]) == pytest.approx(sum((a - b) ** 2 for a, b in zip(c, x)),
                                                    rel=1e-12)
    # F is withheld in R1: over R2 and R3 alone, their totals renormalised
    f, xf = [100 / 300, 200 / 300], [500 / 1300, 800 / 1300]
    assert float(got["F"]["hoover_localisation"]) == pytest.approx(
        0.5 * sum(abs(a - b) for a, b in zip(f, xf)), rel=1e-12)

    code, out, err = run(["indices", str(raw), "--by", "pair", "-o", "-"], capsys)
    assert code == 0, err
    pair = {(r["industry_a"], r["industry_b"]): r for r in csv_rows(out)}
    g = [200 / 650, 150 / 650, 300 / 650]
    want = (sum((a - k) * (b - k) for a, b, k in zip(c, g, x))
            / (1 - sum(k * k for k in x)))
    assert float(pair[("C", "G")]["coagglomeration"]) == pytest.approx(want, rel=1e-9)


def test_industry_indices_without_totals_say_the_sizes_are_short(tmp_path, capsys):
    """Without an all-industries row the regions' sizes can only be their published cells'
    sum, which leaves a withheld cell out: said on stderr, and the indices are as before."""
    raw = tmp_path / "no_totals.csv"
    raw.write_text("\n".join(l for l in SECTIONS_WITH_TOTALS.splitlines()
                             if ",Total," not in l) + "\n", encoding="utf-8")
    code, out, err = run(["indices", str(raw), "--by", "industry", "-o", "-"], capsys)
    assert code == 0, err
    assert err.count("regions without a reported all-industries total take the sum of their "
                     "published cells") == 1
    got = {r["industry"]: r for r in csv_rows(out)}
    x = [500 / 1400, 300 / 1400, 600 / 1400]
    c = [300 / 450, 50 / 450, 100 / 450]
    assert float(got["C"]["hoover_localisation"]) == pytest.approx(
        0.5 * sum(abs(a - b) for a, b in zip(c, x)), rel=1e-12)


# ------------------------------------------------------------------ report: counts of a million

# Employees by Land and WZ 2008 section, as the Regionaldatenbank's table (REAT's
# G.regions.emp) gives them, with each Land's 'Insgesamt'; a cluster file of the user's own.
LAENDER_2014 = """region,industry,year,employment
Bayern,Insgesamt,2014,5065073
Bayern,C,2014,1339581
Bayern,J,2014,178226
Bayern,K,2014,187916
Hessen,Insgesamt,2014,2388624
Hessen,C,2014,502101
Hessen,J,2014,116743
Hessen,K,2014,165377
Bremen,Insgesamt,2014,309203
Bremen,C,2014,54400
Bremen,J,2014,10197
Bremen,K,2014,7964
"""


def _laender_detect(tmp_path, capsys, *extra):
    """detect --definitions FILE on LAENDER_2014: its output folder."""
    raw = tmp_path / "laender.csv"
    raw.write_text(LAENDER_2014, encoding="utf-8")
    defs = tmp_path / "cluster_defs.csv"
    defs.write_text("industry,cluster,cluster_name,type\nC,1,Industrie,traded\n"
                    "J,2,Wissen,traded\nK,2,Wissen,traded\n", encoding="utf-8")
    det = tmp_path / "det"
    code, _, err = run(["detect", str(raw), "-o", str(det), "--definitions", str(defs), *extra],
                       capsys)
    assert code == 0, err
    return det


def test_report_prints_counts_of_a_million_to_the_unit(tmp_path, capsys):
    """The report rounded every number to 6 significant digits, so Bavaria's 1,339,581
    manufacturing jobs read 1,339,580 in the Markdown, HTML and JSON reports, and
    manufacturing over the three Länder, 1,896,082, read 1,896,080.  Counts keep every digit
    of their whole part now; ratios keep their 6 significant digits."""
    det = _laender_detect(tmp_path, capsys)
    code, _, err = run(["report", str(det), "-o", str(tmp_path / "r.md")], capsys)
    assert code == 0, err
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "| Bayern | 1,339,581 |" in md and "1,339,580" not in md
    # (the cluster table has a core-industries column since 412ee9a: | 1 | before the count)
    assert "| 1 | Industrie | traded | 1 | 1 | 1,896,082 |" in md
    code, _, err = run(["report", str(det), "-o", str(tmp_path / "r.json")], capsys)
    assert code == 0, err
    rep = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    industrie = next(c for c in rep["clusters"] if c["cluster_name"] == "Industrie")
    assert industrie["employment"] == 1_896_082
    bayern = next(r for r in rep["regions"] if r["region"] == "Bayern")
    assert bayern["region_employment"] == 5_065_073
    lq = next(p for p in bayern["portfolio"] if p["cluster_name"] == "Industrie")["lq"]
    # a traded cluster's LQ is over traded employment (C, J, K here), kept to 6 digits
    traded_by = 1339581 + 178226 + 187916
    traded = traded_by + 502101 + 116743 + 165377 + 54400 + 10197 + 7964
    assert lq == float(f"{(1339581 / traded_by) / (1896082 / traded):.6g}")


def test_report_methodology_without_establishments_does_not_claim_their_condition(tmp_path,
                                                                                   capsys):
    """A table of employees alone (no establishment counts, as most national offices publish):
    detect drops uscmp-strong's condition on establishments and records it, but the report's
    methodology said 'its employment and establishments are above the 25th percentile' and
    that suppressed cells were 'bounded from the published establishment counts'.  It now says
    the condition was not applied and what bounds the cells."""
    det = _laender_detect(tmp_path, capsys)
    meta = json.loads((det / "metadata.json").read_text(encoding="utf-8"))
    assert meta["strength"]["establishments_condition"] is False
    code, out, err = run(["report", str(det), "-o", "-", "--format", "md"], capsys)
    assert code == 0, err
    assert "employment and establishments are above" not in out
    assert ("its employment is above the 25th percentile (the data hold no establishment "
            "counts, so the rule's condition on them was not applied)") in out
    assert "bounded from the published establishment counts" not in out


# ------------------------------------------------------------------ lq: a reference of industries

def test_reference_table_without_the_all_industries_row_implies_it(tmp_path, capsys):
    """A national benchmark typed as the README describes it (industry, benchmark_industry_total,
    benchmark_total), listing the industries only: every region's all-industries row came out
    empty, 'no benchmark', and stderr said '3 LQs are empty ('no benchmark'): the reference has
    no rows for industry code(s) 10', as if the reference were incomplete.  Its total is the
    benchmark of that row (a share of 1), as with the default sum benchmark."""
    raw = tmp_path / "sections.csv"
    raw.write_text(SECTIONS_WITH_TOTALS, encoding="utf-8")
    ref = tmp_path / "germany.csv"
    ref.write_text("industry,benchmark_industry_total,benchmark_total\n"
                   "C,2500,10000\nF,1000,10000\nG,3000,10000\n", encoding="utf-8")
    code, out, err = run(["lq", str(raw), "-b", str(ref), "-o", "-"], capsys)
    assert code == 0, err
    assert "no benchmark" not in err and "no benchmark" not in out
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    for region in ("R1", "R2", "R3"):
        assert rows[(region, "10")]["lq"] == "1.0"
        assert rows[(region, "10")]["benchmark_total"] == "10000.0"
    assert float(rows[("R1", "C")]["lq"]) == pytest.approx((300 / 1000) / 0.25, rel=1e-6)
    shares = tmp_path / "shares.csv"
    shares.write_text("industry,benchmark_share\nC,0.25\nF,0.1\nG,0.3\n", encoding="utf-8")
    code, out, err = run(["lq", str(raw), "-b", str(shares), "-o", "-"], capsys)
    assert code == 0, err
    assert "no benchmark" not in err
    assert {r["lq"] for r in csv_rows(out) if r["industry"] == "10"} == {"1.0"}


# ------------------------------------------------------------------ report: a region without clusters

def test_report_names_a_region_without_cluster_cells_instead_of_detailing_it(tmp_path, capsys):
    """The Utah QCEW files as BLS ships them by area include the CSA's file (CS482), which
    holds only its all-industries total.  detect lists it in region_summary and in no row of
    regional_clusters; the report put it first among the regions 'in detail' (its total is
    the largest) with 'Strong clusters: none' over an empty table.  Here Saarland, given by
    its total alone, plays that part: it is named as not shown, with why, in Markdown, HTML
    and JSON, and the count of regions in detail leaves it out."""
    raw = tmp_path / "laender.csv"
    raw.write_text(LAENDER_2014 + "Saarland,Insgesamt,2014,380000\n", encoding="utf-8")
    defs = tmp_path / "cluster_defs.csv"
    defs.write_text("industry,cluster,cluster_name,type\nC,1,Industrie,traded\n"
                    "J,2,Wissen,traded\nK,2,Wissen,traded\n", encoding="utf-8")
    det = tmp_path / "det"
    code, _, err = run(["detect", str(raw), "-o", str(det), "--definitions", str(defs)], capsys)
    assert code == 0, err
    code, md, err = run(["report", str(det), "-o", "-", "--format", "md"], capsys)
    assert code == 0, err
    assert "### Saarland" not in md
    assert "3 of 3 regions in detail" in md
    assert ("Not shown: Saarland. The input holds none of the clusters' industries for it"
            in md)
    code, html, err = run(["report", str(det), "-o", "-", "--format", "html"], capsys)
    assert code == 0, err
    assert "Not shown: Saarland." in html
    code, js, err = run(["report", str(det), "-o", "-", "--format", "json"], capsys)
    assert code == 0, err
    rep = json.loads(js)
    assert [r["region"] for r in rep["regions_without_clusters"]] == ["Saarland"]
    assert "Saarland" not in [r["region"] for r in rep["regions"]]
    assert "Saarland" in [r["region"] for r in rep["regions_all"]]


# ------------------------------------------------------------------ report: detect --compare

def test_report_states_the_comparison_with_uscmp_in_markdown_and_html(tmp_path, capsys):
    """detect --compare uscmp records ARI, AMI and both partitions' validation scores; the
    Markdown report (README: 'the same content as Markdown') left them out, and the HTML
    showed them as one line of raw JSON.  Both say them in words now.  The committed detect
    folder of the report tests, its metadata given the comparison detect wrote for the Utah
    sample with co-location, IO and hierarchy."""
    import shutil
    from pathlib import Path

    det = tmp_path / "detect"
    shutil.copytree(Path(__file__).parent / "data" / "report" / "detect", det)
    meta_path = det / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["compare"] = {"ami": 0.641922054641131, "ari": 0.44252500525167887,
                       "benchmark": "uscmp", "benchmark_vintage": "2012", "n_industries": 918,
                       "benchmark_scores": {"n_clusters": 67, "vs_cluster": 0.9658525554047943,
                                            "vs_industry": 0.630718954248366},
                       "data": {"n_clusters": 47, "vs_cluster": 0.9787234042553191,
                                "vs_industry": 0.9978213507625272}}
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    want = ("Against the USCMP definitions (NAICS 2012), over the 918 industries both "
            "partitions hold: adjusted Rand index 0.443, adjusted mutual information 0.642")
    code, md, err = run(["report", str(det), "-o", "-", "--format", "md"], capsys)
    assert code == 0, err
    assert "### Comparison with the benchmark definitions" in md and want in md
    assert "VS-Industry 0.998, VS-Cluster 0.979" in md
    code, html, err = run(["report", str(det), "-o", "-", "--format", "html"], capsys)
    assert code == 0, err
    assert want in html and "&quot;ami&quot;" not in html


def test_region_indices_say_when_suppressed_cells_leave_the_sum_benchmark_short(tmp_path,
                                                                                capsys):
    """lq says that suppressed cells are left out of its sum benchmark's industry totals (so
    those LQs come out too high); indices, whose Krugman and relative Theil compare each
    region with the same sums, said nothing: R1's withheld F left S_F at 300 of at least 300
    + R1's F without a word.  Said once now, with the way out; a benchmark region's own
    published figures need no such note."""
    raw = tmp_path / "sections.csv"
    raw.write_text(SECTIONS_WITH_TOTALS, encoding="utf-8")
    note = "suppressed cells are left out of the sum-of-regions benchmark's industry totals"
    code, _, err = run(["indices", str(raw), "-o", str(tmp_path / "i.csv")], capsys)
    assert code == 0, err
    assert err.count(note) == 1
    code, _, err = run(["indices", str(raw), "-b", "region:R3", "-o", str(tmp_path / "j.csv")],
                       capsys)
    assert code == 0, err
    assert note not in err


@pytest.mark.parametrize("rule,said", [
    ("eco-stars", "under the rule eco-stars, after the European Cluster Observatory [ECO] "
                  "(cut-offs unchecked against its documents): a star each for size"),
    ("lq>=1.05,significant", "under the rule lq>=1.05,significant: every condition of it holds"),
    ("uscmp-qualifying", "under the rule uscmp-qualifying (USCMP tier qualifying or higher): "
                         "the cluster's LQ is above the 25th percentile and at least 1"),
])
def test_report_methodology_describes_the_rule_applied(tmp_path, capsys, rule, said):
    """The methodology described uscmp-strong whatever --rule detect applied ('under the rule
    eco-stars: for uscmp-strong, the cluster's LQ is at least the 75th percentile ...'): a
    report of ECO stars, of a USCMP tier or of one's own conditions stated a test that was not
    the one behind its strong calls."""
    det = _laender_detect(tmp_path, capsys, "--rule", rule)
    code, out, err = run(["report", str(det), "-o", "-", "--format", "json"], capsys)
    assert code == 0, err
    text = " ".join(json.loads(out)["methodology"])
    assert said in text
    assert "for uscmp-strong" not in text


# ------------------------------------------------------------------ detect --level on finer codes

def test_detect_level_coarser_than_the_table_says_how_to_roll_up(tmp_path, capsys):
    """A table of 6-digit NAICS codes and totals only (a national office's download of the
    finest cells), detect --level 4: refused naming the levels there are, but not the way to
    coarser codes, which is ingest's --level roll-up.  The message now says it."""
    raw = tmp_path / "six_digit.csv"
    raw.write_text("region,industry,year,employment\n"
                   "49001,10,2016,100\n49001,311111,2016,40\n49001,311119,2016,20\n"
                   "49003,10,2016,200\n49003,311111,2016,10\n49003,311211,2016,70\n"
                   "49005,10,2016,300\n49005,311119,2016,30\n49005,311211,2016,90\n",
                   encoding="utf-8")
    code, _, err = run(["detect", str(raw), "-o", str(tmp_path / "det"), "--level", "4"],
                       capsys)
    assert code == 2
    assert ("their levels: 6; roll the codes up first with `clusterid ingest INPUT --level 4 -o "
            "TABLE` and give TABLE to detect") in err


@pytest.mark.parametrize("command", ["lq", "indices"])
def test_lq_and_indices_level_coarser_than_the_table_say_how_to_roll_up(tmp_path, capsys,
                                                                        command):
    """lq and indices refused --level 4 on a table of 6-digit codes ('level 4 is not in the
    input; it has 0, 6') without saying that ingest --level rolls the codes up."""
    raw = tmp_path / "six_digit.csv"
    raw.write_text("region,industry,year,employment\n"
                   "49001,10,2016,100\n49001,311111,2016,40\n49003,10,2016,200\n"
                   "49003,311111,2016,10\n", encoding="utf-8")
    code, _, err = run([command, str(raw), "--level", "4", "-o", "-"], capsys)
    assert code == 2
    assert "roll the codes up first with `clusterid ingest INPUT --level 4 -o TABLE`" in err
    code, _, err = run([command, str(raw), "--level", "7", "-o", "-"], capsys)
    assert code == 2 and "roll the codes up" not in err


# ------------------------------------------------------------------ ingest: one city beside its country

def test_a_country_beside_one_city_is_not_called_the_sum_of_the_regions(tmp_path, capsys):
    """REAT's Göttingen table (headings Goettingen2008 ... BRD2017, the city beside Germany):
    ingest dropped BRD as 'region total rows (sum of the other regions; keep with
    --keep-region-totals)', which says what it is not (Germany is no sum of Göttingen) and not
    what the user needs it for.  It now names the country, the one region, and the benchmark
    option that compares them; a table of several regions reads as before."""
    raw = tmp_path / "goettingen.csv"
    raw.write_text('"WZ2008_Code","WZ2008_Name","Goettingen2008","Goettingen2009","BRD2008",'
                   '"BRD2009"\n"C","C Verarbeitendes Gewerbe",9116,8978,6528569,6363086\n'
                   '"F","F Baugewerbe",1611,1562,1569359,1570440\n', encoding="utf-8")
    code, _, err = run(["ingest", str(raw), "-o", str(tmp_path / "goe.csv")], capsys)
    assert code == 0, err
    assert ("region total rows (BRD: the country beside the one region Goettingen, not a sum of "
            "regions; keep it with --keep-region-totals to compare Goettingen with it, "
            "-b region:BRD)") in err
    assert "sum of the other regions" not in err
    raw.write_text("region,industry,year,employment\nBayern,C,2014,10\nHessen,C,2014,5\n"
                   "Deutschland,C,2014,15\n", encoding="utf-8")
    code, _, err = run(["ingest", str(raw), "-o", str(tmp_path / "de.csv")], capsys)
    assert code == 0, err
    assert "region total rows (sum of the other regions; keep with --keep-region-totals)" in err
