"""The stages after ingest (stats, lq, indices, shift-share, detect, report, run) on tables
unlike the bundled Utah sample: a national office's table of NACE/OKED sections by oblast, edge
shapes (one region, an industry or region of zeros, a period withheld whole, a measure collected
in some periods only).  Inputs are written inside the tests; their layouts follow
stat.gov.kz's long tables (`Область;Код ОКЭД;Год;Численность работников`, `х` a withheld
cell) and a plain `region,industry,year,<measures>` CSV."""

from __future__ import annotations

from conftest import csv_rows, run_main


def _write(tmp_path, name, header, rows):
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def _oblast_table(tmp_path):
    """Three oblasts x sections A, B, C x 2019-2020; Mangystau's A withheld in 2020 (`х`)."""
    rows = []
    values = {"Акмолинская область": (100, 300, 600), "Мангистауская область": (50, 900, 50),
              "г. Алматы": (10, 90, 900)}
    for year in (2019, 2020):
        for region, vals in values.items():
            for code, v in zip("ABC", vals):
                cell = "х" if (region, code, year) == ("Мангистауская область", "A", 2020) else v + (year - 2019)
                rows.append(f"{region};{code};{year};{cell}")
    path = tmp_path / "kz_long.csv"
    path.write_text("Область;Код ОКЭД;Год;Численность работников\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return path


def test_a_withheld_cell_of_a_region_whose_total_is_unknown_is_said_to_shorten_no_benchmark(
        tmp_path, capsys):
    # Mangystau's 2020 total is unknown (a sum short of its withheld A), so the region is out
    # of the 2020 benchmark whole -- its published B and C too (benchmark totals over the two
    # other oblasts) -- and its withheld A shortens no industry total.  lq said "1 suppressed
    # cells are left out of the benchmark's industry totals ... those industries' LQs come out
    # too high", which was wrong for this table
    src = _oblast_table(tmp_path)
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    assert "left out of the benchmark" not in err
    rows = {(r["period"], r["region"], r["industry"]): r
            for r in csv_rows(out.read_text(encoding="utf-8"))}
    akm_a = rows[("2020", "Акмолинская область", "A")]
    # by hand: e=101, e_j=101+301+601=1003, E_i=101+11=112, E=1003+(11+91+901)=2006
    assert float(akm_a["benchmark_industry_total"]) == 112
    assert float(akm_a["benchmark_total"]) == 2006
    assert abs(float(akm_a["lq"]) - (101 / 1003) / (112 / 2006)) < 1e-6
    assert rows[("2020", "Мангистауская область", "B")]["lq_reason"] == "suppressed region total"
    assert rows[("2020", "Мангистауская область", "A")]["value"] == ""  # never 0


def test_a_measure_not_collected_in_a_period_is_not_said_to_lift_lqs(tmp_path, capsys):
    # establishments and employment in both years, wages in 2019 only: the empty 2018 wages
    # have no LQ at all, and lq said "12 suppressed cells are left out of the benchmark's
    # industry totals (12 wages; 4 of 24 industry totals are ... lower bounds): those
    # industries' LQs come out too high"
    rows = []
    for year in (2018, 2019):
        for j, region in enumerate(("R1", "R2", "R3")):
            for k, ind in enumerate("ABCF"):
                wages = "" if year == 2018 else 1000 * (k + 1) + j
                rows.append((region, ind, year, k + j + 1, 10 * (k + 1) + j, wages))
    src = _write(tmp_path, "t.csv", "region,industry,year,establishments,employment,wages", rows)
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    assert "left out of the benchmark" not in err
    lq = {(r["period"], r["region"], r["industry"], r["measure"]): r
          for r in csv_rows(out.read_text(encoding="utf-8"))}
    w = lq[("2019", "R1", "A", "wages")]
    # R1 2019 wages 1000+2000+3000+4000 = 10000; A: 1000+1001+1002 = 3003 of 30012
    assert abs(float(w["lq"]) - (1000 / 10000) / (3003 / 30012)) < 1e-6
    assert lq[("2018", "R1", "A", "wages")]["lq"] == ""


def test_a_period_withheld_whole_is_not_said_to_lift_lqs(tmp_path, capsys):
    rows = [(r, i, y, "x" if y == 2019 else 10 * (k + 1) + j)
            for y in (2018, 2019) for j, r in enumerate(("R1", "R2", "R3"))
            for k, i in enumerate("ABCF")]
    src = _write(tmp_path, "t.csv", "region,industry,year,employment", rows)
    code, out, err = run_main(["lq", str(src), "-o", "-"], capsys)
    assert code == 0, err
    assert "left out of the benchmark" not in err
    got = [r for r in csv_rows(out) if r["period"] == "2019"]
    assert len(got) == 12 and all(r["lq"] == "" and r["value"] == "" for r in got)


def test_a_partly_withheld_industry_is_still_said_to_lift_its_lqs(tmp_path, capsys):
    # the note stays where it is true: R3's B withheld, R3's total given by its all-industry
    # row, so the sum benchmark's B total is short and B's LQs come out too high
    rows = [(r, i, 2019, "x" if (r, i) == ("R3", "B") else 10 * (k + 1) + j)
            for j, r in enumerate(("R1", "R2", "R3")) for k, i in enumerate("AB")]
    rows += [(r, "TOTAL", 2019, 100) for r in ("R1", "R2", "R3")]
    src = _write(tmp_path, "t.csv", "region,industry,year,employment", rows)
    code, _, err = run_main(["lq", str(src), "-o", "-"], capsys)
    assert code == 0, err
    assert "1 suppressed cells are left out of the benchmark's industry totals" in err


def _zeros(tmp_path, zero_region=False, zero_industry=False):
    rows = []
    for year in (2018, 2019):
        for j, region in enumerate(("R1", "R2", "R3")):
            for k, ind in enumerate("ABCF"):
                v = 10 * (k + 1) + j + (year - 2018) * (k + 1)
                if (zero_region and region == "R3") or (zero_industry and ind == "B"):
                    v = 0
                rows.append((region, ind, year, v))
    return _write(tmp_path, "t.csv", "region,industry,year,employment", rows)


def test_shift_share_says_which_cells_of_zeros_it_does_not_list(tmp_path, capsys):
    # an industry nobody works in (B, 0 everywhere in both years) vanished from the cell
    # output without a word: 9 rows for 3 regions x 4 industries
    src = _zeros(tmp_path, zero_industry=True)
    code, out, err = run_main(["shift-share", str(src), "--from", "2018", "--to", "2019",
                               "-o", "-"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert len(rows) == 9 and {r["industry"] for r in rows} == {"A", "C", "F"}
    assert ("3 cells are 0 in both 2018 and 2019 and not listed (nothing to explain: every "
            "component 0): industry B in every region") in err
    # Dunn by hand, R1 A: base 10, final 11; national 249 -> 273 (g 24/249), A 33 -> 36
    r1a = next(r for r in rows if (r["region"], r["industry"]) == ("R1", "A"))
    g, g_a = 24 / 249, 3 / 33
    assert abs(float(r1a["national_share"]) - 10 * g) < 1e-9
    assert abs(float(r1a["industry_mix"]) - 10 * (g_a - g)) < 1e-9
    assert abs(float(r1a["regional_share"]) - (1 - 10 * g_a)) < 1e-9


def test_shift_share_region_of_published_zeros_is_zero_not_empty_and_no_minus_zero(
        tmp_path, capsys):
    # R3 publishes 0 in every industry in both years: its region row had base, final, change
    # and every component empty, as if unknown; and unchanged cells wrote allocation '-0.0'
    src = _zeros(tmp_path, zero_region=True)
    code, out, err = run_main(["shift-share", str(src), "--from", "2018", "--to", "2019",
                               "--by", "region", "-o", "-"], capsys)
    assert code == 0, err
    r3 = next(r for r in csv_rows(out) if r["region"] == "R3")
    for key in ("base", "final", "change", "national_share", "industry_mix",
                "regional_share", "competitive", "allocation", "new_industry"):
        assert r3[key] == "0.0", (key, r3[key])
    assert "region R3 in every industry" not in err  # said for --by cell only
    flat = _write(tmp_path, "flat.csv", "region,industry,year,employment",
                  [(r, i, y, 10 * (k + 1) + j) for y in (2018, 2019)
                   for j, r in enumerate(("R1", "R2")) for k, i in enumerate("AB")])
    code, out, err = run_main(["shift-share", str(flat), "--from", "2018", "--to", "2019",
                               "-o", "-"], capsys)
    assert code == 0, err
    assert "-0.0" not in out and "-0," not in out


def test_lq_says_why_most_lqs_are_empty_when_region_totals_are_unknown(tmp_path, capsys):
    # Kreise x WZ divisions without the all-industry rows, one cell withheld ('.') in most
    # Kreise: nearly every LQ was empty and lq said only '(... undefined, see lq_reason)'
    divs = ["01", "02", "03", "05", "06", "07", "08", "09"]  # WZ 2008 divisions (no 04)
    rows = [("2022", f"0{k}001", div, "." if d == k else 10 * d + k)
            for k in range(1, 6) for d, div in enumerate(divs, start=1)]
    path = tmp_path / "kreise.csv"
    path.write_text("Jahr;Kreis;WZ2008;Beschäftigte\n"
                    + "\n".join(";".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(path), "-o", "-"], capsys)
    assert code == 0, err
    assert ("35 of the 40 LQs are empty because their region's total is unknown (lq_reason "
            "'suppressed region total'") in err
    assert "--denominator sum divides by the published cells' sum" in err
    code, out, err = run_main(["lq", str(path), "-o", "-", "--denominator", "sum"], capsys)
    assert code == 0, err
    assert "region's total is unknown" not in err
    got = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    # by hand, 01001 industry 02 (read as A02): e=21, e_j = sum(10d+1, d=2..8) = 350+7 = 357;
    # E_i = 21+23+24+25 (02 withheld in 02001) = 93; E = sum of the published cells
    published = [int(v) for _p, _r, _i, v in rows if v != "."]
    e_j = sum(10 * d + 1 for d in range(2, 9))
    assert abs(float(got[("01001", "A02")]["lq"]) - (21 / e_j) / (93 / sum(published))) < 1e-6
    assert got[("02001", "A02")]["value"] == ""


def test_detect_says_why_cluster_strength_is_empty_for_untyped_clusters(tmp_path, capsys):
    # data-driven clusters of an OKED section table have no traded/local type: region_summary's
    # traded_employment and cluster_strength were empty in every row, unsaid
    import json

    rows = []
    for j, region in enumerate(("R1", "R2", "R3", "R4", "R5")):
        for k, ind in enumerate("ABCFGHIJ"):
            rows.append((region, ind, 2022, 100 + ((k * 37 + j * 53) % 97) * (k + 1)))
    src = _write(tmp_path, "t.csv", "region,industry,year,employment", rows)
    out = tmp_path / "det"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--level", "1"], capsys)
    assert code == 0, err
    summary = csv_rows((out / "region_summary.csv").read_text(encoding="utf-8"))
    assert all(r["cluster_strength"] == "" for r in summary)
    said = ("no cluster has a traded or local type (USCMP types NAICS codes only), so "
            "traded_employment, strong_traded_employment and cluster_strength in "
            "region_summary.csv are empty")
    assert said in err
    assert any(said in n for n in json.loads((out / "metadata.json").read_text())["notes"])


def test_indices_of_a_region_shaped_like_its_benchmark_are_zero_not_binary_noise(
        tmp_path, capsys):
    # output in the millions with decimals; R2 is the mean of R1 and R3, so its shares are
    # the benchmark's: Krugman, Hoover, relative Theil and LQ Gini are 0 in exact arithmetic
    # and were written 2.77555756156289e-17, 1.38777878078145e-17, 4.6e-17, 5.6e-17
    rows = [(r, i, 2018, f"{1234567.891 + k * 1000000.25 + j * 333333.5:.3f}")
            for j, r in enumerate(("R1", "R2", "R3")) for k, i in enumerate("ABCF")]
    src = _write(tmp_path, "t.csv", "region,industry,year,output", rows)
    code, out, err = run_main(["indices", str(src), "--measure", "output", "-o", "-"], capsys)
    assert code == 0, err
    got = {r["region"]: r for r in csv_rows(out)}
    for key in ("krugman", "hoover_specialisation", "relative_theil", "lq_gini"):
        assert got["R2"][key] == "0.0", (key, got["R2"][key])
        assert float(got["R1"][key]) > 1e-4
    assert "e-1" not in out
    # Herfindahl by hand: R2's shares (a_k + 333333.5) / its total
    vals = [1234567.891 + k * 1000000.25 + 333333.5 for k in range(4)]
    assert abs(float(got["R2"]["herfindahl"]) - sum((v / sum(vals)) ** 2 for v in vals)) < 1e-12


def test_report_leaves_robust_empty_beside_a_call_that_is_not_strong(tmp_path, capsys):
    # a table with nothing suppressed: every call that was not strong showed 'robust: no',
    # which the report's own glossary reads as a fragile strong call
    rows = []
    for j, region in enumerate(("R1", "R2", "R3", "R4", "R5", "R6")):
        for k, ind in enumerate("ABCFGHIJ"):
            rows.append((region, ind, 2022, 100 + ((k * 37 + j * 53) % 97) * (k + 1)))
    src = _write(tmp_path, "t.csv", "region,industry,year,employment", rows)
    det = tmp_path / "det"
    code, _, err = run_main(["detect", str(src), "-o", str(det), "--level", "1"], capsys)
    assert code == 0, err
    md = tmp_path / "r.md"
    code, _, err = run_main(["report", str(det), "-o", str(md)], capsys)
    assert code == 0, err
    text = md.read_text(encoding="utf-8")
    lines = text.splitlines()
    portfolio = []
    for n, line in enumerate(lines):
        if line.startswith("| rank | cluster") and line.rstrip().endswith("| strong | robust |"):
            for row in lines[n + 2:]:
                if not row.startswith("|"):
                    break
                portfolio.append(row)
    assert portfolio
    for line in portfolio:
        cells = [c.strip() for c in line.split("|")[1:-1]]
        strong, robust = cells[-2], cells[-1]
        assert robust == ("yes" if strong == "yes" else ""), line
    assert "Empty where the call is not strong." in text


def test_report_counts_read_in_the_singular_for_one():
    from clusterid.cli.report import counted

    assert counted(1, "region") == "1 region" and counted(30, "region") == "30 regions"
    assert counted(0, "cluster") == "0 clusters"
